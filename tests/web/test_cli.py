"""run.py's commands, run as a person runs them: a real process on a real database file."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import SqliteDatabase

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path, *args):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def users(tmp_path):
    db = SqliteDatabase(str(tmp_path / "cli.sqlite3"))
    rows = db.execute_sql("select username, roles_text, must_change_password from user order by username").fetchall()
    db.close()
    return rows


def test_migrate_then_create_user_with_two_roles(tmp_path):
    result = run(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    result = run(tmp_path, "create-user", "--username", "canbo1", "--password", "mat-khau-123", "--role", "tiep_nhan", "--role", "chuyen_mon", "--full-name", "Nguyễn Văn An")
    assert result.returncode == 0, result.stderr
    assert ("canbo1", "chuyen_mon,tiep_nhan", 0) in users(tmp_path)
    assert run(tmp_path, "migrate").stdout.strip() == "Cơ sở dữ liệu đã ở phiên bản mới nhất."


@pytest.mark.parametrize(
    "args, message",
    [
        (["create-user", "--username", "canbo1", "--password", "mat-khau-123", "--role", "vua"], "invalid choice"),
        (["create-user", "--username", "canbo1", "--password", "ngan", "--role", "tiep_nhan"], "ít nhất 8 ký tự"),
        (["create-user", "--username", "Cán Bộ", "--password", "mat-khau-123", "--role", "tiep_nhan"], "Tên đăng nhập gồm"),
        (["create-user", "--password", "mat-khau-123", "--role", "tiep_nhan"], "--username"),
        (["reset-password", "--username", "khongco"], "không có tài khoản"),
        (["khong-co-lenh"], "invalid choice"),
    ],
)
def test_bad_arguments_give_a_message_and_a_non_zero_exit(tmp_path, args, message):
    result = run(tmp_path, *args)
    assert result.returncode != 0
    assert message in result.stderr


def test_existing_username_is_refused(tmp_path):
    args = ["create-user", "--username", "canbo1", "--password", "mat-khau-123", "--role", "tiep_nhan"]
    assert run(tmp_path, *args).returncode == 0
    result = run(tmp_path, *args)
    assert result.returncode == 1
    assert "đã có" in result.stderr


def test_reset_password_prints_a_temporary_password_and_forces_a_change(tmp_path):
    run(tmp_path, "create-user", "--username", "canbo1", "--password", "mat-khau-123", "--role", "tiep_nhan")
    result = run(tmp_path, "reset-password", "--username", "canbo1")
    assert result.returncode == 0
    assert "Mật khẩu tạm:" in result.stdout
    assert ("canbo1", "tiep_nhan", 1) in users(tmp_path)


def test_every_command_has_help(tmp_path):
    for command in ("serve", "migrate", "create-user", "reset-password"):
        result = run(tmp_path, command, "--help")
        assert result.returncode == 0, command
        assert "usage:" in result.stdout
