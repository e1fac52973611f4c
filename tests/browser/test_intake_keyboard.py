"""A whole intake with the keyboard alone, to the receipt; the receipt prints two copies on one A4 page."""
import re

import pytest
from playwright.sync_api import expect

from app.db import database, open_database
from app.models import Counter, Dossier, User
from app.qr import qr_path, status_url
from app.settings import load as load_settings, save as save_settings
from tests.conftest import PASSWORD, _HASH

pytestmark = pytest.mark.browser


def _counter_officer(server):
    """An officer at Quầy 1, made straight in the server's database (the admin pages are tested elsewhere)."""
    open_database(server.database_url)
    with database.connection_context():
        counter, _ = Counter.get_or_create(name="Quầy 1", defaults={"order": 1})
        User.create(username="tiepnhan", full_name="Trần Thị Bích", password_hash=_HASH, roles_text="tiep_nhan", counter=counter)


def _focused(page) -> str:
    return page.evaluate("document.activeElement && (document.activeElement.name || document.activeElement.id || document.activeElement.tagName)")


def _tab_to(page, name: str, limit: int = 12) -> None:
    """Press Tab until the field `name` has the focus, the way a person moves through a form."""
    for _ in range(limit):
        if _focused(page) == name:
            return
        page.keyboard.press("Tab")
    assert _focused(page) == name, f"Tab never reached {name}"


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_counter_officer_takes_a_dossier_with_the_keyboard_and_prints_the_receipt(server, page):
    _counter_officer(server)
    page.goto(server.url + "/dang-nhap")
    page.keyboard.type("tiepnhan")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")
    page.goto(server.url + "/tiep-nhan")

    # The search box has the focus: type without diacritics, go down to the results, take one with Enter.
    assert _focused(page) == "q"
    page.keyboard.type("chung thuc ban sao tu ban chinh")
    page.locator("#procedure-results input[name=pick]").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert _focused(page) == "pick"
    page.keyboard.press("Enter")
    page.locator("#procedure-panel input[name=procedure]").wait_for(state="attached")
    page.locator("#procedure-panel input[type=checkbox]:focus").wait_for()
    assert "Trong ngày (nhận trước 15:00)" in page.locator("#summary").inner_text()
    assert "giờ" in page.locator("#appointment").inner_text()

    page.keyboard.press("Space")  # the original document, received
    _tab_to(page, "pages")
    page.keyboard.type("7")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    expect(page.locator("#fee-amount")).to_contain_text("27.000 đ")

    _tab_to(page, "applicant_name")
    page.keyboard.type("Nguyễn Văn Đức")
    page.keyboard.press("Tab")
    page.keyboard.type("042203012345")
    page.keyboard.press("Tab")
    page.keyboard.type("0912 345 678")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert _focused(page) == "address"
    page.keyboard.type("Số 5, đường Trần Phú")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r".*/ho-so/.+/bien-nhan$"))
    assert page.get_by_role("heading", name="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ").count() == 2
    assert "27.000 đ" in page.content()
    assert page.js_errors == []

    with database.connection_context():
        dossier = Dossier.get()
        expected = qr_path(status_url(load_settings()["public_base_url"], dossier.token))
    assert dossier.applicant_name == "Nguyễn Văn Đức" and dossier.counter.name == "Quầy 1"
    assert page.url.endswith(f"/ho-so/{dossier.code}/bien-nhan")
    assert re.findall(r'<path d="([^"]+)"', page.content()) == [expected, expected]

    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    assert _pdf_pages(pdf) == 1, "the two copies must fit one A4 page"
    page.screenshot(path=str(server.tmp_path / "receipt.png"), full_page=True)

    # On A5 paper each copy has its own sheet.
    with database.connection_context():
        save_settings({"receipt_paper": "A5"})
    page.reload()
    assert _pdf_pages(page.pdf(prefer_css_page_size=True)) == 2


def test_the_fullest_receipt_still_fits_its_paper(server, page):
    """Five documents, a representative, a village team, long names and the Wi-Fi code: nothing is cut off."""
    import datetime

    from app.models import Procedure, SupportTeam, Village
    from app.services.dossiers import Application, receive

    _counter_officer(server)
    with database.connection_context():
        save_settings({"wifi_name": "Trung tam HCC - Khach", "wifi_password": "xin-chao-2026"})
        village = Village.create(name="Trung Tiết Thượng")
        team = SupportTeam.create(village=village, leader_name="Lê Thị Hoa")
        procedure = Procedure.get(Procedure.code == "2.001263")
        application = Application(
            procedure=procedure, applicant_name="Tôn Nữ Thị Phương Thảo Nguyễn Hoàng Bảo Ngọc", id_number="042303012345",
            phone="0912345678", address="Số nhà 1234, ngõ 56, đường Nguyễn Thị Minh Khai, tổ dân phố Trung Tiết Thượng",
            village_id=village.id, email="phuongthao.nguyenhoang@example.com", representative_name="Nguyễn Hoàng Minh Quân",
            representative_id_number="042203012345", representative_relation="chồng, giấy ủy quyền số 12/UQ ngày 01/11/2026",
            channel="tai_nha", team_id=team.id, priority_group="nguoi_khuyet_tat", return_method="to_cong_nghe",
            documents=[{"name": d.name, "form": d.form, "count": d.count} for d in procedure.documents], fee_inputs={"copies": 1},
        )
        dossier = receive(application, User.get(User.username == "tiepnhan"), Counter.get(), datetime.datetime(2026, 11, 30, 9, 0))
    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")
    page.goto(f"{server.url}/ho-so/{dossier.code}/bien-nhan")
    page.emulate_media(media="print")
    page.screenshot(path=str(server.tmp_path / "fullest.png"), full_page=True)
    overflow = page.locator(".copy").evaluate_all("copies => copies.map(c => c.scrollHeight - c.clientHeight)")
    assert overflow == [0, 0], "a copy is taller than its half of the page"
    assert page.locator("svg.qr").count() == 4
    assert _pdf_pages(page.pdf(prefer_css_page_size=True)) == 1
    assert page.js_errors == []
