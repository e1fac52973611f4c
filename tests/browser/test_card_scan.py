"""A USB scanner types an ID card's QR text into the intake page and the pickup desk, at scanner speed."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from app.db import database, open_database
from app.models import Counter, Dossier, Procedure, User, Village
from app.rules.status import Action
from app.services.dossiers import Application, act, receive
from tests.conftest import PASSWORD, _HASH

pytestmark = pytest.mark.browser

DUC = "042085001234|182345678|NGUYỄN VĂN ĐỨC|15031985|Nam|Thôn Trung Tiết, Xã Thạch Hà, Tỉnh Hà Tĩnh|10082021"
HOA = "042185000777||TRẦN THỊ HOA|12051985|Nữ|Số 5, đường Trần Phú, Phường Hà Huy Tập|01072021"
# A scanner's keys come a few milliseconds apart.
SCANNER_DELAY_MS = 5


def _counter_officer(server):
    open_database(server.database_url)
    with database.connection_context():
        counter, _ = Counter.get_or_create(name="Quầy 1", defaults={"order": 1})
        User.create(username="tiepnhan", full_name="Trần Thị Bích", password_hash=_HASH, roles_text="tiep_nhan", counter=counter)
        Village.create(name="Thôn Trung Tiết", order=1)


def _log_in(server, page):
    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")


def scan(page, text):
    page.keyboard.type(text, delay=SCANNER_DELAY_MS)
    page.keyboard.press("Enter")


def test_two_cards_scanned_in_a_row_into_the_search_box_fill_applicant_and_representative_then_save(server, page):
    _counter_officer(server)
    _log_in(server, page)
    page.goto(server.url + "/tiep-nhan")
    requests = []
    page.on("request", lambda request: requests.append(request))
    assert page.evaluate("document.activeElement.id") == "q"

    # The officer's cursor is in the procedure search box: both cards land there, one right after the other.
    scan(page, DUC)
    scan(page, HOA)
    expect(page.locator("#representative_name")).to_have_value("Trần Thị Hoa")
    expect(page.locator("#applicant_name")).to_have_value("Nguyễn Văn Đức")
    expect(page.locator("#id_number")).to_have_value("042085001234")
    expect(page.locator("#address")).to_have_value("Thôn Trung Tiết, Xã Thạch Hà, Tỉnh Hà Tĩnh")
    expect(page.locator("#village option:checked")).to_have_text("Thôn Trung Tiết")
    expect(page.locator("#representative_id_number")).to_have_value("042185000777")
    assert page.locator("details.representative").evaluate("element => element.open")
    assert page.locator("#q").input_value() == ""
    result = page.locator("#card-scan-result")
    expect(result).to_contain_text("Người được ủy quyền nộp thay")
    expect(page.locator("#card-birth-date")).to_have_text("12/05/1985")
    expect(page.locator("#card-sex")).to_have_text("Nữ")
    expect(page.locator("#representative_relation")).to_be_focused()
    # Filled, not saved; the text went by POST only, never in an address.
    with database.connection_context():
        assert Dossier.select().count() == 0
    assert not any("042085001234" in request.url or "042185000777" in request.url for request in requests)
    assert [request.method for request in requests if "/can-cuoc" in request.url] == ["POST", "POST"]

    # A card scanned into the dedicated box at a person's pace (or pasted) is read as well: the same
    # applicant again fills the applicant, not the representative.
    page.locator("#card_scan").fill(DUC)
    page.locator("#card_scan").press("Enter")
    expect(result).to_contain_text("Người nộp hồ sơ")
    expect(page.locator("#card-birth-date")).to_have_text("15/03/1985")
    expect(page.locator("#phone")).to_be_focused()

    # The officer checks, completes what the card does not hold, picks the procedure and saves.
    page.keyboard.type("0912345678")
    page.locator("#representative_relation").fill("vợ, giấy ủy quyền số 12/UQ")
    page.locator("#q").fill("dang ky khai sinh")
    page.locator("#procedure-results input[name=pick]").first.wait_for()
    page.locator("#q").press("Enter")
    page.locator("#procedure-panel input[name=procedure]").wait_for(state="attached")
    for box in page.locator("#procedure-panel input[type=checkbox]").all():
        box.check()
    page.locator("#save").click()
    page.wait_for_url(re.compile(r".*/ho-so/.+/bien-nhan$"))
    with database.connection_context():
        dossier = Dossier.get()
        assert (dossier.applicant_name, dossier.id_number, dossier.address, dossier.village.name) == (
            "Nguyễn Văn Đức", "042085001234", "Thôn Trung Tiết, Xã Thạch Hà, Tỉnh Hà Tĩnh", "Thôn Trung Tiết"
        )
        assert (dossier.representative_name, dossier.representative_id_number) == ("Trần Thị Hoa", "042185000777")
    assert page.js_errors == []


def test_a_mangled_scan_on_a_checkbox_tells_the_officer_to_switch_the_input_method(server, page):
    _counter_officer(server)
    _log_in(server, page)
    page.goto(server.url + "/tiep-nhan")
    page.locator("#q").fill("dang ky khai sinh")
    page.locator("#procedure-results input[name=pick]").first.wait_for()
    page.locator("#q").press("Enter")
    box = page.locator("#procedure-panel input[type=checkbox]").first
    box.wait_for()
    box.focus()
    checked = box.is_checked()
    # Unikey in Telex has turned "dd" into "đ" inside the number; the card's spaces must not tick the box.
    scan(page, DUC.replace("042085001234", "0420850đ1234"))
    expect(page.locator("#card-scan-result")).to_contain_text("chuyển bộ gõ sang tiếng Anh (E)")
    assert box.is_checked() == checked
    assert page.locator("#applicant_name").input_value() == ""
    assert page.url == server.url + "/tiep-nhan"
    with database.connection_context():
        assert Dossier.select().count() == 0


def _ready_dossier(server, received_at, id_number="042085001234", name="Nguyễn Văn Đức"):
    with database.connection_context():
        officer = User.get(User.username == "tiepnhan")
        leader, _ = User.get_or_create(username="lanhdao", defaults={"full_name": "Lê Văn Lãnh", "password_hash": _HASH, "roles_text": "chuyen_mon,lanh_dao"})
        procedure = Procedure.get(Procedure.code == "2.000815")
        application = Application(procedure=procedure, applicant_name=name, id_number=id_number, phone="0912345678",
                                  address="Thôn Trung Tiết", fee_inputs={"pages": 1, "copies": 1})
        dossier = receive(application, officer, Counter.get(), received_at)
        dossier = act(dossier, Action.START, leader, at=received_at + datetime.timedelta(hours=1))
        return act(dossier, Action.APPROVE, leader, data={"shelf": "Kệ A1"}, at=received_at + datetime.timedelta(hours=2))


def test_a_card_at_the_pickup_desk_lists_the_persons_results(server, page):
    _counter_officer(server)
    first = _ready_dossier(server, datetime.datetime(2026, 11, 2, 9, 0))
    second = _ready_dossier(server, datetime.datetime(2026, 11, 16, 9, 0))
    other = _ready_dossier(server, datetime.datetime(2026, 11, 17, 9, 0), id_number="042185000777", name="Trần Thị Hoa")
    _log_in(server, page)
    page.goto(server.url + "/tra-ket-qua")
    expect(page.locator("#q")).to_be_focused()

    scan(page, DUC)
    result = page.locator("#pickup-result")
    expect(result).to_contain_text("Có 2 hồ sơ khớp")
    expect(result).to_contain_text("Thẻ căn cước của Nguyễn Văn Đức")
    assert first.code in result.inner_text() and second.code in result.inner_text()
    assert other.code not in result.inner_text()
    assert "042085001234" not in page.url and page.locator("#q").input_value() == ""

    # The other citizen has one result: one scan opens it, ready for the hand-over.
    scan(page, HOA)
    expect(result).to_contain_text(other.code)
    expect(page.locator(f"form[action$='/ho-so/{other.id}/tra']")).to_be_visible()

    # A receipt's QR still works in the same box.
    page.locator("#q").focus()
    scan(page, f"http://127.0.0.1/tra-cuu/{first.token}")
    expect(result).to_contain_text(first.code)
    expect(result).not_to_contain_text("Có 2 hồ sơ khớp")
    assert page.js_errors == []
