"""`run.py backup` and `run.py restore` run as the administrator runs them, on a real database file."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.instance import InstanceLock

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path, *args):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'motcua.sqlite3'}")
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def usernames(tmp_path):
    db = sqlite3.connect(tmp_path / "motcua.sqlite3")
    names = [row[0] for row in db.execute("select username from user order by username")]
    db.close()
    return names


def add_user(tmp_path, username):
    result = run(tmp_path, "create-user", "--username", username, "--password", "mat-khau-123", "--role", "tiep_nhan")
    assert result.returncode == 0, result.stderr


@pytest.fixture
def backed_up(tmp_path):
    """A database with one account, and a backup of it in db/backups."""
    add_user(tmp_path, "canbo1")
    result = run(tmp_path, "backup")
    assert result.returncode == 0, result.stderr
    assert "Đã sao lưu và kiểm tra" in result.stdout
    [made] = (tmp_path / "backups").glob("motcua-*.sqlite3")
    return made


def test_restore_drill_from_the_command_line(tmp_path, backed_up):
    add_user(tmp_path, "canbo2")
    result = run(tmp_path, "restore", str(backed_up))
    assert result.returncode == 0, result.stderr
    assert usernames(tmp_path) == ["canbo1"]
    assert "Đã khôi phục cơ sở dữ liệu" in result.stdout
    assert "Đã giữ bản sao cơ sở dữ liệu trước khi khôi phục" in result.stdout
    [kept] = (tmp_path / "backups").glob("motcua-*-truoc-khoi-phuc.sqlite3")
    assert [row[0] for row in sqlite3.connect(kept).execute("select username from user order by username")] == ["canbo1", "canbo2"]


def test_backup_to_a_folder_that_does_not_exist(tmp_path):
    result = run(tmp_path, "backup", "--to", str(tmp_path / "usb"))
    assert result.returncode == 1
    assert "không tồn tại" in result.stderr


def test_backup_to_another_folder(tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    result = run(tmp_path, "backup", "--to", str(usb))
    assert result.returncode == 0, result.stderr
    assert len(list(usb.glob("motcua-*.sqlite3"))) == 1


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda good, bad: bad.write_text("đây không phải cơ sở dữ liệu", encoding="utf-8"), "không phải là cơ sở dữ liệu SQLite"),
        (lambda good, bad: bad.write_bytes(good.read_bytes()[:8192]), "bị cắt cụt"),
        (lambda good, bad: (bad.write_bytes(good.read_bytes()), newer(bad)), "phiên bản Một Cửa mới hơn"),
    ],
)
def test_restore_refuses_a_bad_file_and_leaves_the_database_alone(tmp_path, backed_up, spoil, message):
    add_user(tmp_path, "canbo2")
    bad = tmp_path / "bad.sqlite3"
    spoil(backed_up, bad)
    result = run(tmp_path, "restore", str(bad))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Cơ sở dữ liệu đang dùng không bị thay đổi." in result.stderr
    assert usernames(tmp_path) == ["canbo1", "canbo2"]


def newer(path):
    db = sqlite3.connect(path)
    db.execute("insert into schema_migration (name, applied_at) values ('m0999_future', '2030-01-01')")
    db.commit()
    db.close()


def test_restore_refused_while_the_server_runs_unless_forced(tmp_path, backed_up):
    add_user(tmp_path, "canbo2")
    lock = InstanceLock(tmp_path / "motcua.sqlite3").acquire()
    try:
        result = run(tmp_path, "restore", str(backed_up))
        assert result.returncode == 1
        assert "đang chạy" in result.stderr
        assert usernames(tmp_path) == ["canbo1", "canbo2"]
        result = run(tmp_path, "restore", str(backed_up), "--force")
        assert result.returncode == 0, result.stderr
        assert usernames(tmp_path) == ["canbo1"]
    finally:
        lock.release()
