"""The database, its WAL, backups and logs hold personal data: readable by the server's account only."""
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app import logs
from app.db import make_private
from app.services import backup

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(tmp_path, *args):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'db' / 'motcua.sqlite3'}")
    # A lax umask, as many PCs have: the program itself must make its files private.
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )


def test_commands_create_the_database_wal_and_backups_private(tmp_path):
    result = run(tmp_path, "backup")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "db"
    database = folder / "motcua.sqlite3"
    made = [database, *folder.glob("motcua.sqlite3-*"), *(folder / "backups").glob("*.sqlite3")]
    assert len(made) >= 2
    assert {path.name: mode(path) for path in made} == {path.name: 0o600 for path in made}


def test_a_database_left_world_readable_by_an_older_version_is_tightened(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    database = folder / "motcua.sqlite3"
    database.touch()
    database.chmod(0o644)
    assert run(tmp_path, "migrate").returncode == 0
    assert mode(database) == 0o600
    assert all(mode(path) == 0o600 for path in folder.glob("motcua.sqlite3-*"))


def test_a_backup_is_private_even_under_a_lax_umask(app, db, tmp_path):
    old = os.umask(0o022)
    try:
        # The SQLite file's copy, or on PostgreSQL a dump in the test's folder.
        made = backup.make_backup(backup.source_for(app.config["DATABASE_URL"], tmp_path / "backups"))
    finally:
        os.umask(old)
    assert mode(made.path) == 0o600


def test_log_files_are_private(tmp_path):
    folder = logs.folder_for(tmp_path)
    folder.mkdir()
    old_log = folder / f"{logs.LOG_NAME}.1"
    old_log.write_text("older lines\n")
    old_log.chmod(0o644)
    previous = os.umask(0o022)
    try:
        path = logs.configure(tmp_path)
    finally:
        os.umask(previous)
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "motcua", False)]:
            root.removeHandler(handler)
            handler.close()
    assert (mode(path), mode(old_log)) == (0o600, 0o600)


def test_make_private_ignores_a_missing_file(tmp_path):
    make_private(tmp_path / "nothing-here")
