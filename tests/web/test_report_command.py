"""`run.py report`: the JSON shape of the issue, CSV, Excel, the text table, and bad periods refused."""
import csv
import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.models import Dossier
from tests.conftest import app_database_url

ROOT = Path(__file__).resolve().parents[2]
KEYS = [
    "carried_over", "received", "resolved", "early", "on_time", "late", "in_progress_on_time", "in_progress_overdue", "waiting",
    "withdrawn", "stopped", "refused", "in_time", "received_truc_tuyen", "received_truc_tiep", "received_tai_nha", "received_buu_chinh",
    "fee_waived", "fee_reduced", "on_time_rate",
]
CSV_KEYS = [
    "carried_over", "received", "received_truc_tuyen", "received_truc_tiep", "received_tai_nha", "received_buu_chinh", "resolved",
    "in_time", "early", "on_time", "late", "in_progress_on_time", "in_progress_overdue", "waiting", "withdrawn", "stopped", "refused",
    "on_time_rate", "fee_waived", "fee_reduced",
]


@pytest.fixture
def database_file(tmp_path, make_dossier):
    """Two dossiers of September 2025: one resolved early, its fee waived, one resolved on 03/10 (in progress in September)."""
    day = datetime.datetime
    waived = {"copies": 1, "ground": "Người thuộc hộ nghèo (Luật Hộ tịch 2014, Điều 11 khoản 1)"}
    for received, due, resolved, fee_inputs in ((day(2025, 9, 10, 8), day(2025, 9, 12, 17), day(2025, 9, 11, 9), waived), (day(2025, 9, 25, 8), day(2025, 9, 30, 17), day(2025, 10, 3, 9), {"copies": 1})):
        dossier = make_dossier("1.004873", received_at=received, fee_inputs=fee_inputs)
        Dossier.update(due_at=due, resolved_at=resolved, status="returned").where(Dossier.id == dossier.id).execute()
    return tmp_path / "test.sqlite3"


def run(database_file, *args):
    env = dict(os.environ, DATABASE_URL=app_database_url(database_file.parent))
    return subprocess.run([sys.executable, str(ROOT / "run.py"), "report", *args], cwd=database_file.parent, env=env, capture_output=True, text=True, timeout=120)


def test_json_has_the_shape_of_the_issue(database_file):
    result = run(database_file, "--period", "2025-09", "--format", "json", "--by", "field")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["period"] == {"from": "2025-09-01", "to": "2025-09-30", "label": "Tháng 9/2025"}
    assert report["convention"] == "A"
    assert list(report["total"]) == KEYS
    assert [report["total"][key] for key in KEYS] == [0, 2, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1, 0, 100.0]
    assert [(row["label"], row["received"]) for row in report["rows"]] == [("Hộ tịch", 2)]
    assert set(KEYS) <= set(report["rows"][0])


def test_october_run_today_carries_september_over(database_file):
    report = json.loads(run(database_file, "--period", "2025-10-01..2025-10-31", "--format", "json", "--convention", "C").stdout)
    assert (report["total"]["carried_over"], report["total"]["late"], report["total"]["on_time_rate"]) == (1, 1, 0.0)
    assert report["rows"] == []


def test_nothing_resolved_gives_a_null_rate(database_file):
    report = json.loads(run(database_file, "--period", "2024", "--format", "json").stdout)
    assert report["total"]["on_time_rate"] is None


def test_csv_table_and_xlsx(database_file, tmp_path):
    rows = list(csv.reader(io.StringIO(run(database_file, "--period", "2025-Q3", "--format", "csv", "--by", "channel").stdout)))
    assert rows[0] == ["by", "key", "label", *CSV_KEYS]
    assert rows[1][:5] == ["total", "", "Tổng cộng", "0", "2"]
    assert rows[1][-3:] == ["100.0", "1", "0"]
    assert rows[2][:4] == ["channel", "truc_tiep", "Trực tiếp tại quầy", "0"]
    table = run(database_file, "--period", "2025-Q3").stdout
    assert "Quý III/2025" in table and "Tổng cộng" in table and "100,00%" in table
    out = tmp_path / "bao-cao.xlsx"
    result = run(database_file, "--period", "2025-Q3", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet["A1"].value.endswith("Báo cáo tình hình giải quyết hồ sơ Quý III/2025")
    assert [cell.value for cell in sheet[3]][:3] == ["Nội dung", "Số hồ sơ nhận giải quyết", None]
    assert [cell.value for cell in sheet[4]][1:5] == ["Tồn kỳ trước", "Tiếp nhận mới", "Trực tuyến", "Trực tiếp"]
    assert [cell.value for cell in sheet[5]][:5] == ["Tổng cộng", 0, 2, 0, 2]
    # The waived fee, after the official columns.
    assert [cell.value for cell in sheet[3]][-2:] == ["Tiếp nhận mới được miễn, giảm phí", None]
    assert [cell.value for cell in sheet[4]][-2:] == ["Miễn phí", "Giảm phí"]
    assert [cell.value for cell in sheet[5]][-3:] == [1.0, 1, 0]


def test_json_written_to_a_file_has_no_bom_and_csv_keeps_one_for_excel(database_file, tmp_path):
    out = tmp_path / "bao-cao.json"
    assert run(database_file, "--period", "2025-09", "--format", "json", "--out", str(out)).returncode == 0
    assert out.read_bytes()[:1] == b"{"
    assert json.loads(out.read_bytes().decode("utf-8"))["total"]["received"] == 2
    out = tmp_path / "bao-cao.csv"
    assert run(database_file, "--period", "2025-09", "--format", "csv", "--out", str(out)).returncode == 0
    assert out.read_bytes()[:3] == "\ufeff".encode("utf-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--period", "2025-Q5"], "Quý 5 không hợp lệ"),
        (["--period", "2025-13"], "Tháng 13 không hợp lệ"),
        (["--period", "2025-09-30..2025-09-01"], "Khoảng thời gian ngược"),
        (["--period", "2025-09", "--format", "xlsx"], "cần --out"),
        (["--period", "2025-09", "--by", "xa"], "invalid choice"),
    ],
)
def test_bad_input_is_refused(database_file, args, message):
    result = run(database_file, *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_convention_d_is_offered_and_labelled_an_estimate(database_file):
    result = run(database_file, "--period", "2025-09", "--format", "table", "--convention", "D")
    assert result.returncode == 0, result.stderr
    assert "Tỷ lệ đúng hạn theo cách D: Ước tính theo Quyết định 766/QĐ-TTg" in result.stdout
    report = json.loads(run(database_file, "--period", "2025-09", "--format", "json", "--convention", "D").stdout)
    # The early one is on time; the one resolved on 03/10 is still open and past its 30/09 appointment at the end: late.
    assert (report["total"]["on_time_rate"], report["convention_d"]) == (50.0, {"in_time": 1, "repeated_requests": 0})
