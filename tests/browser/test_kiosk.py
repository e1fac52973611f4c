"""The lookup kiosk standing in portrait: wrong codes, the right one, and the limit page that returns to the box."""
import pytest
from playwright.sync_api import expect

from app.db import database, open_database
from app.models import Procedure
from app.services.dossiers import Application, receive
from tests.conftest import csrf_token_from

pytestmark = pytest.mark.browser

WRONG_PAIR = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."


def _dossier(server):
    open_database(server.database_url)
    with database.connection_context():
        procedure = Procedure.get(Procedure.code == "2.000815")
        return receive(Application(procedure=procedure, applicant_name="Phạm Thị Hoa", fee_inputs={"pages": 1}), None, None)


def _type(page, code, lookup):
    page.locator("#ma").fill(code)
    page.locator("#ma_tra_cuu").fill(lookup)
    page.keyboard.press("Enter")


def test_kiosk_in_portrait_takes_typos_then_the_right_code_and_comes_back_from_the_limit(server, browser, tmp_path):
    dossier = _dossier(server)
    wrong = "KKKK" if dossier.lookup_code != "KKKK" else "MMMM"
    short = f"{dossier.received_day:%y%m%d}-{dossier.sequence:04d}"
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.goto(server.url + "/tra-cuu")
    # Portrait: the box spans the screen in large type.
    box = page.locator("#ma").bounding_box()
    assert box["width"] > 900 and box["height"] > 90
    assert float(page.locator("#ma").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 48

    for _ in range(2):
        _type(page, short, wrong)
        expect(page.locator(".kiosk-form > .error")).to_contain_text(WRONG_PAIR)
        assert page.evaluate("document.activeElement.id") == "ma"
    _type(page, short, dossier.lookup_code.lower())
    expect(page.locator(".status-now")).to_contain_text("Đã tiếp nhận")

    # A queue of other people's typos, from this same PC, up to its allowance...
    page.goto(server.url + "/tra-cuu")
    csrf = csrf_token_from(page.content())
    for number in range(38):
        response = page.request.post(
            server.url + "/tra-cuu",
            form={"csrf_token": csrf, "ma": f"000.00.20.H42-261130-{9000 + number}", "ma_tra_cuu": "KKKK"},
        )
        assert response.status == 400
    # ...and the next wrong one gets the page that asks to wait, then goes back to the box by itself.
    _type(page, short, wrong)
    expect(page.locator("h1")).to_have_text("Vui lòng chờ một lát")
    expect(page.locator(".notice")).to_contain_text("Máy này đã tra cứu sai quá nhiều lần.")
    expect(page.get_by_role("link", name="Quay lại ô tra cứu")).to_be_visible()
    page.screenshot(path=str(tmp_path / "kiosk-limited-portrait.png"))
    # The answer to the form's POST has the box's address already: wait for the box itself.
    page.locator("#ma").wait_for(timeout=30000)
    assert page.url == server.url + "/tra-cuu"
    expect(page.locator("#ma")).to_be_focused()
    # The receipt's QR code still opens the dossier: a token is never refused.
    page.keyboard.type(f"http://192.168.1.10:8080/tra-cuu/{dossier.token}")
    page.keyboard.press("Enter")
    expect(page.locator(".status-now")).to_contain_text("Đã tiếp nhận")
    context.close()
