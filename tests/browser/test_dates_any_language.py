"""Dates read dd/mm/yyyy and times 24-hour, even in a browser set to English."""
import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.staff import login, make_dossier, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def english_page(browser):
    context = browser.new_context(locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_logbook_and_date_boxes_read_day_first_in_an_english_browser(server, english_page):
    page = english_page
    make_staff(server)
    dossier = make_dossier("Nguyễn Văn An", datetime.datetime(2026, 12, 1, 9, 0), started=True)
    login(page, server, "lanh_dao")

    # An old link with ISO dates still works, and shows them day first.
    page.goto(server.url + "/ho-so/so-theo-doi?tu_ngay=2026-12-01&den_ngay=2026-12-03")
    expect(page.locator("input[name=tu_ngay]")).to_have_value("01/12/2026")
    expect(page.locator("input[name=den_ngay]")).to_have_value("03/12/2026")
    expect(page.get_by_text("Từ ngày 01/12/2026 đến ngày 03/12/2026")).to_be_visible()
    expect(page.get_by_text(dossier.code)).to_be_visible()

    # Typed day first, as the placeholder says.
    expect(page.locator("input[name=tu_ngay]")).to_have_attribute("placeholder", "dd/mm/yyyy")
    page.locator("input[name=tu_ngay]").fill("02/12/2026")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_text("Từ ngày 02/12/2026 đến ngày 03/12/2026")).to_be_visible()
    expect(page.get_by_text(dossier.code)).to_have_count(0)

    # A month-first date is refused in Vietnamese, not read as another day.
    page.locator("input[name=tu_ngay]").fill("12/31/2026")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_text("Từ ngày: Ngày «12/31/2026» không có thật.")).to_be_visible()

    # No date or time box anywhere follows the browser's language.
    for path in ("/ho-so", f"/ho-so/{dossier.code}", "/thong-ke?loai=tuy_chon&tu=2026-12-01&den=2026-12-03"):
        page.goto(server.url + path)
        assert page.locator("input[type=date], input[type=time], input[type=datetime-local]").count() == 0, path
    expect(page.get_by_label("Từ ngày (tùy chọn)")).to_have_value("01/12/2026")
    expect(page.get_by_label("Đến ngày (tùy chọn)")).to_have_value("03/12/2026")


def test_new_appointment_is_typed_day_first(server, english_page):
    page = english_page
    make_staff(server)
    dossier = make_dossier("Trần Thị Bình", datetime.datetime(2026, 11, 30, 9, 0), started=True)
    login(page, server, "lanh_dao")
    page.goto(f"{server.url}/ho-so/{dossier.code}")
    box = page.get_by_label("Ngày hẹn mới")
    expect(box).to_have_attribute("placeholder", "dd/mm/yyyy")
    box.fill("13/15/2026")
    page.get_by_label("Lý do chậm trễ (bắt buộc)").fill("Chờ xác minh tại nơi cư trú.")
    page.get_by_role("button", name="Gia hạn và in Mẫu 04").click()
    expect(page.get_by_text("Ngày «13/15/2026» không có thật.")).to_be_visible()
    expect(page.get_by_label("Ngày hẹn mới")).to_be_focused()


def test_times_read_24_hours_in_an_english_browser(server, english_page):
    page = english_page
    make_staff(server)
    login(page, server, "quan_tri")
    for path in ("/quan-tri/cai-dat", "/quan-tri/bang-tin", "/quan-tri/lich", "/quan-tri/nhat-ky"):
        page.goto(server.url + path)
        assert page.locator("input[type=date], input[type=time], input[type=datetime-local]").count() == 0, path
    page.goto(server.url + "/quan-tri/bang-tin")
    box = page.get_by_label("Giờ tự tải lại trang mỗi ngày")
    expect(box).to_have_attribute("placeholder", "HH:MM")
    box.fill("17:05")
    page.get_by_role("button", name="Lưu cài đặt bảng tin").click()
    page.goto(server.url + "/quan-tri/bang-tin")
    expect(page.get_by_label("Giờ tự tải lại trang mỗi ngày")).to_have_value("17:05")
