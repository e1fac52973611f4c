"""The citizen's story: intake, the receipt's QR opened on a phone, approval, pickup with a scanner, a rating."""
import re

import pytest
from playwright.sync_api import expect

from app.db import database, open_database
from app.models import Counter, Dossier, DossierEvent, Procedure, Rating, User
from app.qr import qr_path, status_url
from app.rules.text import mask_name
from app.services.dossiers import Application, receive
from app.settings import save as save_settings
from tests.conftest import PASSWORD, _HASH

pytestmark = pytest.mark.browser


def _staff(server):
    """A counter officer at Quầy 1 and a leader, made in the server's database; QR codes point at this server."""
    open_database(server.database_url)
    with database.connection_context():
        counter, _ = Counter.get_or_create(name="Quầy 1", defaults={"order": 1})
        User.create(username="tiepnhan", full_name="Trần Thị Bích", password_hash=_HASH, roles_text="tiep_nhan", counter=counter)
        User.create(username="lanhdao", full_name="Lê Văn Lãnh", password_hash=_HASH, roles_text="lanh_dao")
        save_settings({"public_base_url": server.url})


def _login(page, server, username):
    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(server.url + "/")


def _receive(page, server) -> Dossier:
    """The counter takes a certified-copy dossier through the intake page and opens its receipt."""
    page.goto(server.url + "/tiep-nhan")
    page.locator("#q").fill("chung thuc ban sao tu ban chinh")
    page.locator("#procedure-results input[name=pick]").first.check()
    page.locator("#procedure-panel input[name=procedure]").wait_for(state="attached")
    for box in page.locator("#procedure-panel table input[type=checkbox]").all():
        box.check()
    page.locator("#pages").fill("3")
    page.locator("#applicant_name").fill("Nguyễn Văn Đức")
    page.locator("#id_number").fill("042203012345")
    page.locator("#phone").fill("0912345678")
    page.locator("#address").fill("Số 5, đường Trần Phú")
    page.locator("#save").click()
    page.wait_for_url(re.compile(r".*/ho-so/.+/bien-nhan$"))
    with database.connection_context():
        return Dossier.get()


def test_citizen_follows_the_dossier_from_receipt_to_rating(server, browser, page):
    _staff(server)
    _login(page, server, "tiepnhan")
    dossier = _receive(page, server)
    # The address was typed in the settings, never checked: the receipt says so in red on screen, not on paper.
    expect(page.locator(".address-warning")).to_contain_text("chưa được kiểm tra")
    page.emulate_media(media="print")
    expect(page.locator(".address-warning")).to_be_hidden()
    page.emulate_media(media="screen")
    url = status_url(server.url, dossier.token)
    # The receipt's QR code carries exactly this address.
    assert qr_path(url) in re.findall(r'<path d="([^"]+)"', page.content())

    # The citizen opens it on a small phone, JavaScript off, without any login.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="vi-VN")
    citizen = phone.new_page()
    citizen.goto(url)
    expect(citizen.locator(".status-now")).to_contain_text("Đã tiếp nhận")
    assert dossier.code in citizen.content()
    assert "Nguyễn Văn Đức" not in citizen.content() and "042203012345" not in citizen.content()
    assert mask_name("Nguyễn Văn Đức") in citizen.content()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360

    # The leader starts and approves, through the processing page.
    office = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    leader = office.new_page()
    _login(leader, server, "lanhdao")
    leader.goto(f"{server.url}/ho-so/{dossier.code}")
    leader.get_by_role("button", name="Bắt đầu giải quyết").click()
    citizen.reload()
    expect(citizen.locator(".status-now")).to_contain_text("Đang giải quyết")
    leader.get_by_label("Ngăn/kệ để kết quả").first.fill("Kệ A, ngăn 3")
    leader.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(leader.get_by_text("Kệ A, ngăn 3").first).to_be_visible()

    citizen.reload()
    expect(citizen.locator(".status-now")).to_contain_text("Đã có kết quả, chờ trả")
    assert "Quầy 1" in citizen.content()
    assert "giấy biên nhận và căn cước" in citizen.content()
    assert "5.000 đ" in citizen.content()

    # At the pickup desk the scanner types the receipt's URL, then Enter.
    page.goto(server.url + "/tra-ket-qua")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(url)
    page.keyboard.press("Enter")
    expect(page.locator(".pickup-dossier")).to_contain_text("Nguyễn Văn Đức")
    expect(page.locator(".shelf")).to_contain_text("Kệ A, ngăn 3")
    expect(page.locator("#le_phi")).to_have_value("5.000")
    page.get_by_label("Đã trả lại bản chính giấy tờ cho người nhận").check()
    page.get_by_role("button", name="Xác nhận trả kết quả").click()
    page.wait_for_url(re.compile(r".*/tra-ket-qua\?vua_tra=\d+$"))
    expect(page.get_by_text(f"Đã trả kết quả hồ sơ {dossier.code} cho Nguyễn Văn Đức.")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.locator("#q").input_value() == ""

    citizen.reload()
    expect(citizen.locator(".status-now")).to_contain_text("Đã trả kết quả")
    assert "Lệ phí còn phải nộp" not in citizen.content()
    citizen.get_by_label("Rất hài lòng").check()
    citizen.get_by_label("Góp ý (không bắt buộc)").fill("Nhanh, không phải đi lại nhiều lần.")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_text("Cảm ơn ông/bà đã đánh giá.")).to_be_visible()
    assert citizen.get_by_role("button", name="Gửi đánh giá").count() == 0

    with database.connection_context():
        assert Rating.get().level == "rat_hai_long"
        assert DossierEvent.select().where(DossierEvent.action == "hand_over").count() == 1
    assert page.js_errors == []
    phone.close()
    office.close()


def test_kiosk_takes_a_scanned_url_or_a_typed_code_and_comes_back_empty(server, page):
    open_database(server.database_url)
    with database.connection_context():
        procedure = Procedure.get(Procedure.code == "2.000815")
        dossier = receive(Application(procedure=procedure, applicant_name="Phạm Thị Hoa", fee_inputs={"pages": 1}), None, None)
    page.goto(server.url + "/tra-cuu")
    assert page.evaluate("document.activeElement.id") == "ma"
    page.keyboard.type(f"http://192.168.1.10:8080/tra-cuu/{dossier.token}")
    page.keyboard.press("Enter")
    expect(page.locator(".status-now")).to_contain_text("Đã tiếp nhận")
    assert mask_name("Phạm Thị Hoa") in page.content()

    page.goto(server.url + "/tra-cuu")
    page.keyboard.type(dossier.code.lower())
    page.keyboard.press("Tab")
    page.keyboard.type(dossier.lookup_code)
    page.keyboard.press("Enter")
    expect(page.locator(".status-now")).to_contain_text("Đã tiếp nhận")
    # The page left on the shared screen goes back to the empty box by itself.
    assert page.locator('meta[http-equiv="refresh"]').get_attribute("content") == "60;url=/tra-cuu"
    assert page.js_errors == []
