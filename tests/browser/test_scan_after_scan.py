"""Scan boxes take one scan after another, and each answer replaces the previous one entirely."""
import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.staff import login, make_ready_dossier, make_staff

pytestmark = pytest.mark.browser


def test_pickup_desk_second_scan_shows_only_the_second_dossier(server, page):
    make_staff(server)
    first = make_ready_dossier("Nguyễn Văn An", datetime.datetime(2026, 11, 30, 9, 0))
    second = make_ready_dossier("Trần Thị Bình", datetime.datetime(2026, 11, 30, 10, 0))
    login(page, server, "tiep_nhan")
    page.goto(server.url + "/tra-ket-qua")

    page.keyboard.type(first.code)
    page.keyboard.press("Enter")
    expect(page.locator(".pickup-dossier")).to_contain_text("Nguyễn Văn An")

    # The scanner types the next receipt over the selected text and presses Enter, as a scanner does.
    page.keyboard.type(second.code)
    page.keyboard.press("Enter")
    expect(page.locator(".pickup-dossier")).to_contain_text("Trần Thị Bình")
    expect(page.locator(".pickup-dossier")).to_have_count(1)
    expect(page.get_by_text("Nguyễn Văn An")).to_have_count(0)
    expect(page.get_by_role("button", name="Xác nhận trả kết quả")).to_have_count(1)
    expect(page.get_by_role("button", name="Tìm")).to_be_enabled()

    # A code that finds nothing clears the previous dossier and its hand-over button.
    page.keyboard.type("000.00.20.H42-991231-9999")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Không tìm thấy hồ sơ nào với mã này.")).to_be_visible()
    expect(page.locator(".pickup-dossier")).to_have_count(0)
    expect(page.get_by_role("button", name="Xác nhận trả kết quả")).to_have_count(0)

    page.keyboard.type(first.code)
    page.keyboard.press("Enter")
    expect(page.locator(".pickup-dossier")).to_contain_text("Nguyễn Văn An")
    expect(page.get_by_text("Không tìm thấy hồ sơ nào với mã này.")).to_have_count(0)

    # A server error page takes the dossier's place, and the next scan still finds where to go.
    page.route("**/tra-ket-qua?q=LOI*", lambda route: route.fulfill(
        status=500, content_type="text/html; charset=utf-8",
        body='<section class="error-page" id="error"><h1>Đã có lỗi xảy ra</h1></section>'))
    page.keyboard.type("LOI")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Đã có lỗi xảy ra")).to_be_visible()
    expect(page.locator(".pickup-dossier")).to_have_count(0)
    page.keyboard.type(second.code)
    page.keyboard.press("Enter")
    expect(page.locator(".pickup-dossier")).to_contain_text("Trần Thị Bình")
    expect(page.get_by_text("Đã có lỗi xảy ra")).to_have_count(0)
    # The only console lines are the browser's notes of the 404 and 500 answers above.
    assert all(" 404 " in error or " 500 " in error for error in page.js_errors), page.js_errors


def test_calendar_trial_takes_one_try_after_another(server, page):
    make_staff(server)
    login(page, server, "quan_tri")
    page.goto(server.url + "/quan-tri/lich?nam=2026")
    trial = page.locator(".trial-form")

    trial.locator("input[name=ngay]").fill("01/12/2026")
    trial.locator("input[name=gio]").fill("09:00")
    trial.get_by_role("button", name="Tính ngày hẹn").click()
    expect(page.locator("#calendar-trial")).to_contain_text("01/12/2026")

    trial.locator("input[name=ngay]").fill("04/12/2026")
    trial.locator("input[name=gio]").press("Enter")
    expect(page.locator("#calendar-trial")).to_contain_text("04/12/2026")
    expect(page.locator("#calendar-trial")).not_to_contain_text("01/12/2026")

    # A wrong date replaces the last result with the message.
    trial.locator("input[name=ngay]").fill("31/02/2026")
    trial.get_by_role("button", name="Tính ngày hẹn").click()
    expect(page.locator("#calendar-trial .error")).to_be_visible()
    expect(page.locator("#calendar-trial")).not_to_contain_text("04/12/2026")


def test_kiosk_takes_a_good_scan_after_a_bad_one(server, browser):
    make_staff(server)
    dossier = make_ready_dossier("Nguyễn Văn An", datetime.datetime(2026, 11, 30, 9, 0))
    kiosk = browser.new_context(locale="vi-VN", viewport={"width": 1080, "height": 1920}).new_page()
    kiosk.goto(server.url + "/tra-cuu")
    kiosk.keyboard.type("XYZ-KHONG-PHAI-MA")
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#ma")).to_be_focused()
    expect(kiosk.locator(".error").first).to_be_visible()
    # The scanner types over the selected text: the receipt's QR, then Enter.
    kiosk.keyboard.type(f"{server.url}/tra-cuu/{dossier.token}")
    kiosk.keyboard.press("Enter")
    expect(kiosk.get_by_text(dossier.code)).to_be_visible()
    expect(kiosk.locator(".status-now")).to_contain_text("Đã có kết quả")
    kiosk.context.close()
