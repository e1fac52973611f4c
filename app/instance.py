"""The single-instance lock: one server per database, held as an OS file lock while serving.

On PostgreSQL the lock is a session-level advisory lock of the database, held by a connection of its
own for the server's life: the server releases it when that connection ends, as the OS does the file
lock when the process ends, even when killed.
"""
import os
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .db import POSTGRES_CONNECT_TIMEOUT, is_postgres_url, sqlite_path

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


def _refusal(name: str) -> AlreadyRunning:
    return AlreadyRunning(
        f"Một Cửa đang chạy trên cơ sở dữ liệu này ({name}); "
        "không khởi động bản thứ hai. Hãy dùng bản đang chạy hoặc dừng nó trước."
    )


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
            raise _refusal(self.database_file.name)
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


# The first half of the advisory lock's key says "Một Cửa's instance"; the second is the database's name.
# Advisory locks belong to one database already; the name keeps two products' locks apart when they
# share a database server and a key.
INSTANCE_LOCK_CLASS = 261_203


def _database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def _lock_key(url: str) -> tuple[int, int]:
    crc = zlib.crc32(_database_name(url).encode())
    return INSTANCE_LOCK_CLASS, crc - (1 << 32) if crc >= 1 << 31 else crc


def _connect(url: str):
    import psycopg
    from peewee import OperationalError

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=POSTGRES_CONNECT_TIMEOUT)
    except psycopg.OperationalError as error:
        # As peewee's: run.py turns it into postgres_message's sentence, not a traceback.
        raise OperationalError(str(error)) from error


def _try_advisory_lock(connection, url: str) -> bool:
    return connection.execute("SELECT pg_try_advisory_lock(%s::integer, %s::integer)", _lock_key(url)).fetchone()[0]


class PostgresInstanceLock:
    """Held for the life of the server by a connection of its own; the server drops it when the process ends."""

    def __init__(self, url: str):
        self.url = url
        self.connection = None

    def acquire(self) -> "PostgresInstanceLock":
        connection = _connect(self.url)
        if not _try_advisory_lock(connection, self.url):
            connection.close()
            raise _refusal(_database_name(self.url))
        self.connection = connection
        return self

    def release(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def lock_for(url: str):
    """The instance lock of the database at `url` (not yet acquired), or None for an in-memory database."""
    if is_postgres_url(url):
        return PostgresInstanceLock(url)
    path = sqlite_path(url)
    if path is None or path.name in ("", ":memory:"):
        return None
    return InstanceLock(path)


def running_on(url: str) -> bool:
    """True when a server holds the lock of the database at `url` right now."""
    if is_postgres_url(url):
        with _connect(url) as connection:
            if not _try_advisory_lock(connection, url):
                return True
            connection.execute("SELECT pg_advisory_unlock(%s::integer, %s::integer)", _lock_key(url))
        return False
    path = sqlite_path(url)
    return path is not None and path.name not in ("", ":memory:") and is_running(path)
