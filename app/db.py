"""The database: chosen by one URL, opened with deliberate pragmas, one connection per request."""
import os
from pathlib import Path

from peewee import DatabaseProxy, SqliteDatabase, Value
from playhouse.db_url import connect

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    # Readers (status page, board) never wait for a counter that is saving, and the reverse.
    "journal_mode": "wal",
    # The schema's foreign keys are rules, not decoration.
    "foreign_keys": 1,
    # Two counters saving at once: the second waits up to 10 s instead of failing with "database is locked".
    "busy_timeout": 10000,
    # FULL syncs the WAL at every commit: a power cut after a receipt is printed cannot lose that dossier.
    "synchronous": "full",
    # 64 MB of page cache keeps the indexes of a million dossiers in memory.
    "cache_size": -64000,
    "temp_store": "memory",
}


# The database, its backups and logs hold citizens' personal data: only the account running the
# server reads them. Files this process creates get no bits for group and others (see run.py's main).
PRIVATE_UMASK = 0o077
PRIVATE_FILE_MODE = 0o600
# SQLite's companions of a database in WAL mode; SQLite gives them the database file's mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def make_private(path: Path) -> None:
    """Read and write for the owner only; a file made by an older version (0644) is tightened too."""
    try:
        if path.exists():
            path.chmod(PRIVATE_FILE_MODE)
    except OSError:
        # Not the owner (or a file system without modes): the server still starts; the mode stays as it was.
        pass


def private_files() -> None:
    """Everything the process creates from now on is private: the database, its WAL, backups, logs."""
    if os.name != "nt":
        os.umask(PRIVATE_UMASK)


def sqlite_path(url: str) -> Path | None:
    """The file behind an sqlite:/// URL, or None for another kind of database."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///"))


def open_database(url: str):
    """Bind the proxy to the database at `url` (SQLite file by default, PostgreSQL possible)."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for file in (path, *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANIONS)):
            make_private(file)
        db = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, check_same_thread=False, timeout=10)
    else:
        db = connect(url)
    database.initialize(db)
    return db


def write_transaction():
    """A transaction that takes the write lock at once.

    SQLite's default deferred transaction reads first and upgrades later; two counters doing that
    at the same instant deadlock and one fails at once instead of waiting. IMMEDIATE makes the
    second wait its turn (busy_timeout). Other databases use their ordinary transaction.
    """
    if isinstance(database.obj, SqliteDatabase):
        return database.atomic("IMMEDIATE")
    return database.atomic()


class Prepared:
    """A hot query whose SQL peewee builds once per database, then run again and again with new values.

    Building a select's SQL costs peewee far more than SQLite takes to answer it (a dossier's wide row
    by its token: most of a millisecond of Python against a few hundredths in SQLite), and a page like
    the status page asks the same question with another token each time. Only the SQL text is kept,
    never a value or a row. `build` receives one marker per parameter and returns the
    query; the values given later go to the database as they are (an id as an int, a status as text).
    Rows come back through `model.raw`, so every column named like a field is converted as usual.
    """

    def __init__(self, build, parameters: int = 1):
        self._build = build
        self._markers = tuple(f"\x00parameter {index}\x00" for index in range(parameters))
        self._compiled = None

    def _sql(self):
        compiled = self._compiled
        if compiled is None or compiled[0] is not database.obj:
            sql, params = self._build(*(Value(marker, converter=False) for marker in self._markers)).sql()
            slots = [self._markers.index(value) if isinstance(value, str) and value in self._markers else None for value in params]
            if {slot for slot in slots if slot is not None} != set(range(len(self._markers))):
                raise ValueError("every parameter must reach the query's parameters unconverted")
            compiled = self._compiled = (database.obj, sql, params, slots)
        return compiled[1:]

    def raw(self, model, *values):
        sql, params, slots = self._sql()
        return model.raw(sql, *[value if slot is None else values[slot] for value, slot in zip(params, slots)])

    def first(self, model, *values):
        """The first row, or None."""
        return next(iter(self.raw(model, *values)), None)
