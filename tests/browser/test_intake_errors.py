"""Intake: a field's message appears only once the officer has left it or saved, and goes when the value is right."""
import pytest
from playwright.sync_api import expect

from tests.browser.staff import login, make_staff

pytestmark = pytest.mark.browser


def test_page_count_messages_wait_for_the_officer_and_go_when_right(server, page):
    make_staff(server)
    login(page, server, "tiep_nhan")
    page.goto(server.url + "/tiep-nhan")
    page.locator("#q").fill("chung thuc ban sao tu ban chinh")
    page.locator("#procedure-results input[name=pick]").first.check()
    page.locator("#pages").wait_for()
    panel = page.locator("#procedure-panel")

    # Just picked: nothing typed, nothing left, so nothing is wrong yet.
    expect(panel.locator("#fee-amount")).to_have_text("Nhập đủ thông tin để tính phí.")
    expect(panel.locator(".error")).to_have_count(0)
    expect(page.get_by_text("Chưa nhập số trang.")).to_have_count(0)
    expect(page.get_by_text("Chưa nhập số bản.")).to_have_count(0)

    # Leaving the page count empty says so, beside it, and only there.
    page.locator("#pages").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#pages-error")).to_have_text("Chưa nhập số trang.")
    expect(page.locator("#pages")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Chưa nhập số bản.")).to_have_count(0)

    # A right number takes the message away at once, and the fee follows.
    page.locator("#pages").fill("3")
    expect(page.locator("#pages-error")).to_have_count(0)
    expect(page.locator("#pages")).not_to_have_attribute("aria-invalid", "true")
    expect(panel.locator("#fee-amount")).to_have_text("5.000 đ")

    page.locator("#copies").fill("ba")
    page.locator("#copies").press("Tab")
    expect(page.locator("#copies-error")).to_have_text("Số bản phải là số nguyên, viết bằng chữ số (ví dụ 3).")
    page.locator("#copies").fill("2")
    expect(page.locator("#copies-error")).to_have_count(0)
    expect(panel.locator("#fee-amount")).to_have_text("10.000 đ")
    expect(panel.locator(".error")).to_have_count(0)
    assert page.js_errors == []
