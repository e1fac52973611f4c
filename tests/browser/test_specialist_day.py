"""A specialist's day: queue → start → request documents → documents received → send for approval;
the leader approves with a shelf; the counter then sees the result ready."""
import datetime

import pytest
from playwright.sync_api import expect

from app import create_app
from app.clock import now
from app.db import database
from app.models import Counter, Field, Procedure, User, UserField
from app.services.dossiers import Application, receive
from app.views.auth import hash_password

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-ca-ngay"


def _prepare(server):
    """Staff and one dossier on the server's database, received the way the counter would."""
    app = create_app({"TESTING": True, "DATABASE_URL": server.database_url, "SECRET_KEY": "x" * 64})
    with app.app_context(), database.connection_context():
        password_hash = hash_password(PASSWORD)
        people = {}
        for username, full_name, role in (
            ("chuyenmon1", "Đặng Thị Hộ Tịch", "chuyen_mon"),
            ("lanhdao1", "Võ Văn Lãnh Đạo", "lanh_dao"),
            ("tiepnhan1", "Bùi Thị Quầy Một", "tiep_nhan"),
        ):
            people[role] = User.create(username=username, full_name=full_name, password_hash=password_hash, roles_text=role)
        UserField.create(user=people["chuyen_mon"], field=Field.get(Field.name == "Hộ tịch"))
        procedure = Procedure.get(Procedure.code == "1.004873")
        dossier = receive(
            Application(procedure=procedure, applicant_name="Hoàng Văn Bốn", id_number="042090012345", phone="0912000111"),
            people["tiep_nhan"], Counter.get(Counter.name == "Quầy 1"), now() - datetime.timedelta(hours=1),
        )
        return dossier.code


def _login(page, server, username):
    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(server.url + "/")


def _logout(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap")


def _do(page, action, button):
    form = page.locator(f"form.action-{action}")
    form.get_by_role("button", name=button).click()
    page.wait_for_selector(".flash-success")


def test_specialist_day_until_the_counter_sees_the_result_ready(server, page):
    code = _prepare(server)

    _login(page, server, "chuyenmon1")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Hồ sơ của tôi").click()
    page.get_by_role("link", name=code).click()
    expect(page.get_by_text("Đã tiếp nhận").first).to_be_visible()
    _do(page, "start", "Bắt đầu giải quyết")
    expect(page.locator(".dossier-state").get_by_text("Đang giải quyết")).to_be_visible()

    request = page.locator("form.action-request_documents")
    request.get_by_label("Giấy tờ tùy thân của người yêu cầu (thẻ căn cước, hộ chiếu)").check()
    request.get_by_label("Nội dung cần bổ sung").fill("Mang theo thẻ căn cước bản chính để đối chiếu.")
    _do(page, "request_documents", "Yêu cầu bổ sung")
    expect(page.locator(".dossier-state").get_by_text("Chờ bổ sung")).to_be_visible()
    page.get_by_role("link", name="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)").click()
    expect(page.get_by_text("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")).to_be_visible()
    expect(page.get_by_text("Giấy tờ tùy thân của người yêu cầu (thẻ căn cước, hộ chiếu)")).to_be_visible()
    page.get_by_role("link", name="Quay lại").click()

    _do(page, "documents_received", "Nhận hồ sơ bổ sung")
    _do(page, "send_for_approval", "Trình phê duyệt")
    expect(page.locator(".dossier-state").get_by_text("Chờ phê duyệt")).to_be_visible()
    _logout(page)

    _login(page, server, "lanhdao1")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Hồ sơ của tôi").click()
    page.get_by_role("link", name=code).click()
    page.locator("form.action-approve").get_by_label("Ngăn/kệ để kết quả").fill("Kệ A, ngăn 2")
    _do(page, "approve", "Phê duyệt")
    _logout(page)

    _login(page, server, "tiepnhan1")
    page.goto(server.url + "/ho-so")
    page.get_by_label("Tìm hồ sơ").fill("hoang van bon")
    page.get_by_label("Tìm hồ sơ").press("Enter")
    page.get_by_role("link", name=code).click()
    expect(page.locator(".dossier-state").get_by_text("Đã có kết quả, chờ trả")).to_be_visible()
    expect(page.get_by_text("Kệ A, ngăn 2").first).to_be_visible()
    history = page.locator("table.history").inner_text()
    for step in ("Tiếp nhận hồ sơ", "Bắt đầu giải quyết", "Yêu cầu bổ sung", "Nhận hồ sơ bổ sung", "Trình phê duyệt", "Phê duyệt"):
        assert step in history
    assert page.js_errors == []
