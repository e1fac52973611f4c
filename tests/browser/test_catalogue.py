"""A citizen searches the catalogue as they type and prints a guide; an admin closes a day and sees the appointment move."""
import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import ROOT

pytestmark = pytest.mark.browser


def test_citizen_searches_without_diacritics_and_prints_a_one_page_guide(server, page):
    page.goto(server.url + "/thu-tuc")
    expect(page.get_by_role("heading", name="Thủ tục hành chính")).to_be_visible()
    page.get_by_label("Tìm thủ tục").press_sequentially("chung thuc ban sao", delay=20)
    page.wait_for_url(re.compile(r".*q=chung(%20|\+)thuc(%20|\+)ban(%20|\+)sao.*"))
    results = page.locator("#catalogue-results")
    assert "Chứng thực bản sao từ bản chính" in results.inner_text()
    assert "Đăng ký khai sinh" not in results.inner_text()

    page.get_by_role("link", name="Chứng thực bản sao từ bản chính").click()
    page.wait_for_url("**/thu-tuc/2.000815")
    expect(page.get_by_text("Trong ngày (nhận trước 15:00)").first).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".guide-header")).to_be_visible()
    pdf = page.pdf(format="A4", print_background=False)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert page.js_errors == []


def test_admin_closes_a_day_and_the_trial_appointment_moves(server, page):
    created = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "create-user", "--username", "quantri2", "--password", "mat-khau-quan-tri", "--role", "quan_tri"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": server.database_url}, capture_output=True, text=True, timeout=60,
    )
    assert created.returncode == 0, created.stderr
    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("quantri2")
    page.get_by_label("Mật khẩu").fill("mat-khau-quan-tri")
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")

    page.goto(server.url + "/quan-tri/lich?nam=2026")
    trial = page.locator("#calendar-trial")
    page.get_by_label("Thủ tục").select_option("2.000815")
    page.get_by_label("Ngày nhận").fill("13/02/2026")
    page.get_by_label("Giờ nhận").fill("15:05")
    page.get_by_role("button", name="Tính ngày hẹn").click()
    expect(trial).to_contain_text("23/02/2026")
    assert "Thứ Hai, 23/02/2026" in trial.inner_text()

    page.get_by_label("Ngày", exact=True).fill("23/02/2026")
    page.get_by_label("Lý do").fill("Nghỉ theo quyết định của UBND xã")
    page.get_by_role("button", name="Thêm điều chỉnh").click()
    page.wait_for_url("**/quan-tri/lich?nam=2026")
    expect(page.get_by_text("Đã đặt ngày 23/02/2026 là ngày nghỉ.")).to_be_visible()

    page.get_by_label("Thủ tục").select_option("2.000815")
    page.get_by_label("Ngày nhận").fill("13/02/2026")
    page.get_by_label("Giờ nhận").fill("15:05")
    page.get_by_role("button", name="Tính ngày hẹn").click()
    expect(trial).to_contain_text("24/02/2026")
    assert "Thứ Ba, 24/02/2026" in trial.inner_text()
    assert page.js_errors == []
