"""`run.py appointment`: the issue's table through the command, on the center's calendar and settings."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.models import CalendarDay
from tests.conftest import app_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_file(tmp_path, catalogue):
    return tmp_path / "test.sqlite3"


def run(database_file, *args):
    env = dict(os.environ, DATABASE_URL=app_database_url(database_file.parent))
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "appointment", *args],
        cwd=database_file.parent, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--received", "2026-01-09T09:00", "--working-days", "1"), {"due": "2026-01-10T17:00", "unit": "ngay_lam_viec", "amount": 1}),
        (("--received", "2025-12-31T09:00", "--working-days", "3"), {"due": "2026-01-07T17:00", "unit": "ngay_lam_viec", "amount": 3}),
        (("--received", "2026-01-02T10:00", "--same-day"), {"due": "2026-01-05T17:00", "unit": "trong_ngay", "amount": 0}),
        (("--received", "2026-02-13T15:30", "--same-day"), {"due": "2026-02-23T17:00", "unit": "trong_ngay", "amount": 0}),
        (("--received", "2026-03-02T09:00", "--calendar-days", "30"), {"due": "2026-04-01T17:00", "unit": "ngay", "amount": 30}),
        (("--received", "2026-10-01T09:00", "--calendar-days", "30"), {"due": "2026-11-02T17:00", "unit": "ngay", "amount": 30}),
        # The catalogue's adoption row: 30 days, not 30 working days.
        (("--received", "2026-10-01T09:00", "--procedure", "2.001263"), {"due": "2026-11-02T17:00", "unit": "ngay", "amount": 30}),
        (("--received", "2026-02-13T14:00", "--procedure", "2.000815"), {"due": "2026-02-13T17:00", "unit": "trong_ngay", "amount": 0}),
    ],
)
def test_the_issues_table(database_file, args, expected):
    result = run(database_file, *args)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_the_centers_own_overrides_count(database_file):
    CalendarDay.create(day="2026-03-03", is_working=False, reason="Quyết định của UBND xã")
    result = run(database_file, "--received", "2026-03-02T09:00", "--working-days", "1")
    assert json.loads(result.stdout)["due"] == "2026-03-04T17:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--received", "2031-03-03T09:00", "--working-days", "1"), "Chưa có lịch nghỉ lễ chính thức năm 2031"),
        (("--received", "03/03/2026", "--working-days", "1"), "không đúng dạng YYYY-MM-DDTHH:MM"),
        (("--received", "2026-03-03T09:00", "--procedure", "9.999999"), "không có trong danh mục"),
        (("--received", "2026-03-03T09:00", "--working-days", "0"), "từ 1 trở lên"),
        (("--received", "2026-03-03T09:00"), "Lỗi"),
    ],
)
def test_bad_input_gets_a_message_and_no_guess(database_file, args, message):
    result = run(database_file, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
