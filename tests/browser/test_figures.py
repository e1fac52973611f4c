"""The leader's figures: an old logbook imported, a quarter picked, the table and chart, Excel and print."""
import io
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect
from openpyxl import load_workbook

from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

LOGBOOK = (
    "ma_ho_so,ma_thu_tuc,ho_ten,kenh,thoi_gian_tiep_nhan,thoi_gian_hen_tra,thoi_gian_co_ket_qua,thoi_gian_tra\n"
    "S-1,2.000815,Nguyễn Văn An,truc_tiep,10/07/2025 08:00,10/07/2025 17:00,10/07/2025 10:00,10/07/2025 15:00\n"
    "S-2,1.004873,Trần Thị Bình,truc_tuyen,05/08/2025 08:00,08/08/2025 17:00,07/08/2025 10:00,\n"
    "S-3,1.004873,Lê Văn Cường,tai_nha,25/09/2025 08:00,30/09/2025 17:00,03/10/2025 10:00,\n"
)


def run(server, *args):
    env = dict(os.environ, DATABASE_URL=server.database_url)
    result = subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=server.tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def test_leader_picks_a_quarter_and_takes_the_figures_away(server, page, tmp_path):
    (tmp_path / "so.csv").write_text(LOGBOOK, encoding="utf-8")
    run(server, "import-dossiers", str(tmp_path / "so.csv"))
    run(server, "create-user", "--username", "lanhdao", "--password", "mat-khau-lanh-dao", "--role", "lanh_dao", "--full-name", "Phạm Văn Lãnh")

    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill("mat-khau-lanh-dao")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Thống kê").first.click()
    page.wait_for_url("**/thong-ke/")

    page.get_by_label("Loại kỳ").select_option("quy")
    page.get_by_label("Năm").fill("2025")
    page.get_by_label("Quý").select_option("3")
    page.get_by_role("button", name="Xem số liệu").click()
    page.wait_for_url("**loai=quy**")
    heading = page.get_by_role("heading", name="Quý III/2025")
    heading.wait_for()
    total = page.get_by_role("row", name="Tổng cộng")
    cells = total.inner_text().split("\t")
    # Carried over, received; resolved and, under "đúng hạn", the early ones (the channel columns sit between).
    assert (cells[1], cells[2], cells[7], cells[9]) == ("0", "3", "2", "1")
    assert page.locator("figure.report-chart svg rect").count() >= 12
    expect(page.get_by_text("Tiếp nhận (cột đặc)")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp Excel (.xlsx)").click()
    assert download.value.suggested_filename == "bao-cao-2025-Q3.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert sheet["A1"].value.endswith("Quý III/2025")

    printable = page.get_by_role("link", name="Bản in").get_attribute("href")
    page.goto(server.url + printable)
    expect(page.get_by_role("heading", name="Báo cáo tình hình giải quyết hồ sơ Quý III/2025")).to_be_visible()
    assert page.locator(".site-header").count() == 0
    if os.environ.get("MOTCUA_SCREENSHOTS"):
        page.screenshot(path=os.environ["MOTCUA_SCREENSHOTS"] + "/figures-print.png", full_page=True)
    assert page.js_errors == []
