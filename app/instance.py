"""The single-instance lock: one server per database, held as an OS file lock while serving."""
import os
from pathlib import Path

if os.name == "nt":
    import msvcrt
else:
    import fcntl


class AlreadyRunning(Exception):
    """Another process holds the lock of this database."""


def lock_path(database_file: Path) -> Path:
    """db/<name>.lock beside db/<name>.sqlite3, for the file itself: a symlinked or relative path to the
    same database (or to its folder) names the same lock."""
    return database_file.resolve().with_suffix(".lock")


def _try_lock(handle) -> bool:
    try:
        if os.name == "nt":
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle) -> None:
    if os.name == "nt":
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class InstanceLock:
    """Held for the life of the server; the OS releases it when the process ends, even when killed."""

    def __init__(self, database_file: Path):
        self.database_file = database_file.resolve()
        self.path = lock_path(database_file)
        self.handle = None

    def acquire(self) -> "InstanceLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="ascii")
        if not _try_lock(handle):
            handle.close()
            raise AlreadyRunning(
                f"Một Cửa đang chạy trên cơ sở dữ liệu này ({self.database_file.name}); "
                "không khởi động bản thứ hai. Hãy dùng bản đang chạy hoặc dừng nó trước."
            )
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle
        return self

    def release(self) -> None:
        if self.handle is not None:
            _unlock(self.handle)
            self.handle.close()
            self.handle = None


def is_running(database_file: Path) -> bool:
    """True when a server holds the lock of this database right now."""
    path = lock_path(database_file)
    if not path.exists():
        return False
    with open(path, "a+", encoding="ascii") as handle:
        if not _try_lock(handle):
            return True
        _unlock(handle)
    return False
