"""`run.py` with a PostgreSQL DATABASE_URL: a clear Vietnamese sentence for a URL it cannot use, a missing
database or an unreachable server, never a traceback; and, on a real server, the commands at work."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app.db import shown_url, without_password
from tests.conftest import ON_POSTGRES, POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]


def run(url: str, *args, tmp_path: Path):
    env = dict(os.environ, DATABASE_URL=url, MOTCUA_DATA_FOLDER=str(tmp_path))
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "url, message",
    [
        ("mysql://cb:mk@127.0.0.1/motcua", "không phải cơ sở dữ liệu dùng được"),
        ("postgresql://cb:mat-khau-bi-mat@127.0.0.1:abc/motcua", "có cổng không hợp lệ"),
        ("postgresql://cb@127.0.0.1:5432/", "thiếu máy chủ hoặc tên cơ sở dữ liệu"),
    ],
)
def test_a_url_it_cannot_use_is_said_in_vietnamese_without_the_password(tmp_path, url, message):
    result = run(url, "migrate", tmp_path=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert "mat-khau-bi-mat" not in result.stderr + result.stdout


def test_the_password_is_never_shown():
    assert shown_url("postgresql://cb:bi-mat@may-chu:5432/motcua") == "postgresql://cb:***@may-chu:5432/motcua"
    assert shown_url("postgresql://cb@may-chu/motcua") == "postgresql://cb@may-chu/motcua"
    # pg_dump's command line: no password at all (it goes in PGPASSWORD).
    assert without_password("postgresql://cb:bi-mat@may-chu:5432/motcua") == "postgresql://cb@may-chu:5432/motcua"
    assert without_password("postgresql://:bi-mat@may-chu/motcua") == "postgresql://may-chu/motcua"


@pytest.mark.skipif(not ON_POSTGRES, reason="needs the PostgreSQL server of MOTCUA_TEST_DATABASE_URL")
def test_an_unreachable_server_is_said_in_vietnamese(tmp_path):
    result = run(f"postgresql://postgres@127.0.0.1:{closed_port()}/motcua", "migrate", tmp_path=tmp_path)
    assert result.returncode == 1
    assert "Lỗi: không kết nối được máy chủ PostgreSQL 127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not ON_POSTGRES, reason="needs the PostgreSQL server of MOTCUA_TEST_DATABASE_URL")
def test_a_missing_database_says_how_to_make_it(tmp_path):
    server = POSTGRES_URL.rsplit("/", 1)[0]
    result = run(f"{server}/khong_co_csdl_nay", "migrate", tmp_path=tmp_path)
    assert result.returncode == 1
    assert "chưa có cơ sở dữ liệu «khong_co_csdl_nay»" in result.stderr and "createdb" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not ON_POSTGRES, reason="needs the PostgreSQL server of MOTCUA_TEST_DATABASE_URL")
def test_migrate_demo_data_and_the_report_run_on_postgresql(tmp_path, database_url):
    assert run(database_url, "migrate", tmp_path=tmp_path).returncode == 0
    again = run(database_url, "migrate", tmp_path=tmp_path)
    assert again.returncode == 0 and "Cơ sở dữ liệu đã ở phiên bản mới nhất." in again.stdout
    made = run(database_url, "demo-data", "--dossiers", "200", "--seed", "3", tmp_path=tmp_path)
    assert made.returncode == 0, made.stderr
    report = run(database_url, "report", "--period", "2026-11", "--format", "json", tmp_path=tmp_path)
    assert report.returncode == 0, report.stderr
    assert '"received"' in report.stdout
    user = run(database_url, "create-user", "--username", "canbo1", "--password", "mat-khau-dai-du", "--role", "tiep_nhan", tmp_path=tmp_path)
    assert user.returncode == 0, user.stderr
