"""One server per database, however its path is written: a symlink or a relative path names the same lock."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.instance import AlreadyRunning, InstanceLock, is_running, lock_path

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")


@pytest.fixture
def database(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "motcua.sqlite3"
    path.write_bytes(b"")
    return path


def _other_paths(database: Path, tmp_path: Path) -> list[Path]:
    linked_file = tmp_path / "lien-ket.sqlite3"
    linked_file.symlink_to(database)
    linked_folder = tmp_path / "thu-muc-lien-ket"
    linked_folder.symlink_to(database.parent, target_is_directory=True)
    return [linked_file, linked_folder / database.name, database.parent / ".." / "db" / database.name]


def test_a_symlinked_path_to_the_same_database_is_refused_while_the_first_holds_the_lock(database, tmp_path):
    first = InstanceLock(database).acquire()
    try:
        for other in _other_paths(database, tmp_path):
            assert lock_path(other) == lock_path(database), other
            assert is_running(other)
            with pytest.raises(AlreadyRunning):
                InstanceLock(other).acquire()
    finally:
        first.release()
    second = InstanceLock(tmp_path / "lien-ket.sqlite3").acquire()
    second.release()


def test_a_second_server_through_a_symlink_does_not_start(database, tmp_path):
    first = InstanceLock(database).acquire()
    try:
        linked = _other_paths(database, tmp_path)[0]
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{linked}")
        # Were the lock escaped, the server would start and serve until the timeout.
        result = subprocess.run([sys.executable, str(ROOT / "run.py"), "serve", "--port", "0"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 1
        assert "đang chạy trên cơ sở dữ liệu này" in result.stderr
    finally:
        first.release()
