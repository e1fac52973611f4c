"""A citizen takes a ticket at the kiosk, the officer calls it, the board shows it, chimes and says it."""
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.staff import login, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def board_browser(browser):
    """A second Chromium with the kiosk flag that lets the board's sound play without a click (README)."""
    speaking = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"],
    )
    yield speaking
    speaking.close()


def test_take_a_ticket_call_it_and_see_and_hear_it_on_the_board(browser, board_browser, server):
    from app.db import database
    from app.models import ServiceGroup

    make_staff(server)
    with database.connection_context():
        ServiceGroup.create(name="Tiếp nhận hồ sơ", code="tiep-nhan", first_number=105)

    kiosk = browser.new_context(locale="vi-VN").new_page()
    plain_board = browser.new_context(viewport={"width": 1280, "height": 720}, locale="vi-VN").new_page()
    plain_board.goto(server.url + "/bang-tin")
    kiosk.goto(server.url + "/lay-so")
    kiosk.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()
    assert kiosk.locator(".ticket-number").inner_text() == "105"
    assert "Không còn ai chờ trước ông/bà." in kiosk.content()

    board = board_browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN").new_page()
    board.goto(server.url + "/bang-tin")
    expect(board.locator(".board-calls-title")).to_be_visible()
    assert "Chưa gọi số nào." in board.locator("#board-calls").inner_text()

    officer = browser.new_context(locale="vi-VN").new_page()
    login(officer, server, "tiep_nhan")
    officer.goto(server.url + "/goi-so")
    started = time.monotonic()
    officer.get_by_role("button", name="Gọi số tiếp theo").click()
    officer.wait_for_selector("text=Đang phục vụ số")
    assert officer.locator(".queue-serving-number").inner_text() == "105"

    board.wait_for_selector(".board-call.is-new .board-call-number:text-is('105')")
    shown = time.monotonic() - started
    assert "Quầy 1" in board.locator(".board-calls-now").inner_text()
    assert board.locator("[data-sound-on]").is_hidden()
    board.wait_for_selector("body[data-call-sound^='voice ']", state="attached", timeout=30000)
    spoken = time.monotonic() - started
    board.wait_for_selector("body[data-call-sound^='done ']", state="attached", timeout=30000)
    print(f"\nnext → board shows the call: {shown:.2f} s; next → voice starts: {spoken:.2f} s")

    # A browser started without the kiosk flag shows the call, and a button that lets the sound out.
    plain_board.wait_for_selector(".board-call-number:text-is('105')")
    plain_board.wait_for_selector("body[data-call-sound='blocked']", state="attached")
    plain_board.get_by_role("button", name="Bật âm thanh").click()
    plain_board.wait_for_selector("body[data-call-sound^='done ']", state="attached", timeout=30000)
    assert plain_board.locator("[data-sound-on]").is_hidden()

    # A restart mid-call: the officer still serves 105, the board still shows it and does not say it again.
    server.restart()
    officer.reload()
    assert officer.locator(".queue-serving-number").inner_text() == "105"
    board.wait_for_timeout(4000)
    assert board.locator(".board-call-number").inner_text() == "105"
    assert board.locator("body").get_attribute("data-call-sound").startswith("done ")
