"""The database: chosen by one URL, opened with deliberate pragmas, one connection per request."""
import datetime
import os
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit, urlunsplit

from peewee import (
    Alias, CharField, DatabaseProxy, DateField, DateTimeField, Field, IntegerField, PostgresqlDatabase, SqliteDatabase, TextField,
    Value,
)

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


# For a PostgreSQL database, the folder of the files that go with it (its secret key, logs, voice
# clips, backups); the project's db/ unless set.
DATA_FOLDER_VARIABLE = "MOTCUA_DATA_FOLDER"
PROJECT_DATA_FOLDER = Path(__file__).resolve().parent.parent / "db"


def data_folder(url: str) -> Path:
    """Where the files that go with the database live: beside an SQLite file, else MOTCUA_DATA_FOLDER or db/."""
    path = sqlite_path(url)
    if path is not None and path.name not in ("", ":memory:"):
        return path.resolve().parent
    return Path(os.environ.get(DATA_FOLDER_VARIABLE) or PROJECT_DATA_FOLDER)


def sqlite_path(url: str) -> Path | None:
    """The file behind an sqlite:/// URL, or None for another kind of database."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///"))


POSTGRES_SCHEMES = ("postgres://", "postgresql://")
# An unreachable server is reported after this many seconds, not after the system's two minutes.
POSTGRES_CONNECT_TIMEOUT = 5


class DatabaseUrlError(ValueError):
    """DATABASE_URL names no database this program can open; the message is for the person who set it."""


def is_postgres_url(url: str) -> bool:
    return url.startswith(POSTGRES_SCHEMES)


def without_password(url: str, mask: str | None = None) -> str:
    """The URL with its password replaced by `mask`, or left out (for pg_dump's command line: the
    password goes in PGPASSWORD)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username or ''}:{mask}" if mask else parts.username
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))


def shown_url(url: str) -> str:
    """The URL as it may be printed: without its password."""
    return without_password(url, "***")


def open_database(url: str):
    """Bind the proxy to the database at `url`: an SQLite file (the default) or a PostgreSQL database."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for file in (path, *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANIONS)):
            make_private(file)
        db = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, check_same_thread=False, timeout=10)
    elif is_postgres_url(url):
        db = _postgres(url)
    else:
        raise DatabaseUrlError(
            f"DATABASE_URL «{shown_url(url)}» không phải cơ sở dữ liệu dùng được. Hãy dùng "
            "sqlite:///đường/dẫn/tệp.sqlite3 hoặc postgresql://người_dùng:mật_khẩu@máy_chủ:cổng/tên_cơ_sở_dữ_liệu."
        )
    database.initialize(db)
    return db


def _postgres(url: str):
    try:
        import psycopg
        from psycopg.types.numeric import Int8BinaryDumper, Int8Dumper
    except ImportError:
        raise DatabaseUrlError(
            "Chưa cài trình điều khiển PostgreSQL (psycopg). Hãy chạy «python3 run.py» với DATABASE_URL này: "
            "chương trình tự cài các gói trong requirements-postgres.txt."
        ) from None
    # psycopg sends a Python int as the smallest integer type that holds it; the figures multiply such
    # parameters (a code's weight is 1.000.000), which would overflow a smallint. bigint compares with
    # every integer column through its index.
    psycopg.adapters.register_dumper(int, Int8Dumper)
    psycopg.adapters.register_dumper(int, Int8BinaryDumper)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not parts.hostname:
        raise DatabaseUrlError(
            f"DATABASE_URL «{shown_url(url)}» thiếu máy chủ hoặc tên cơ sở dữ liệu: "
            "postgresql://người_dùng:mật_khẩu@máy_chủ:cổng/tên_cơ_sở_dữ_liệu."
        )
    try:
        port = parts.port or 5432
    except ValueError:
        raise DatabaseUrlError(f"DATABASE_URL «{shown_url(url)}» có cổng không hợp lệ.") from None
    return PostgresqlDatabase(
        unquote(name),
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or "") or None,
        password=unquote(parts.password or "") or None,
        connect_timeout=POSTGRES_CONNECT_TIMEOUT,
        # The JIT compiler spends seconds compiling the figures' one wide query (7,3 s against 1,6 s
        # for a quarter at 100.000 dossiers, docs/province.md): short queries never gain from it.
        options="-c jit=off",
        prefer_psycopg3=True,
    )


def postgres_message(url: str, error: Exception) -> str:
    """What to tell the person when the PostgreSQL server of `url` cannot be used."""
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    reason = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
    where = f"{parts.hostname}:{parts.port or 5432}"
    if "does not exist" in reason and "database" in reason:
        return (
            f"Lỗi: máy chủ PostgreSQL {where} chưa có cơ sở dữ liệu «{name}». Hãy tạo nó (ví dụ: "
            f"createdb -h {parts.hostname} -p {parts.port or 5432} -U {parts.username or 'postgres'} {name}) rồi chạy lại."
        )
    if "password" in reason or "authentication" in reason:
        return f"Lỗi: máy chủ PostgreSQL {where} từ chối đăng nhập của «{parts.username or ''}». Hãy kiểm tra tên người dùng và mật khẩu trong DATABASE_URL."
    return (
        f"Lỗi: không kết nối được máy chủ PostgreSQL {where} (cơ sở dữ liệu «{name}»): {reason}. "
        "Hãy kiểm tra máy chủ đang chạy, địa chỉ và cổng trong DATABASE_URL, và tường lửa."
    )


def on_sqlite() -> bool:
    """Whether the bound database is SQLite (else PostgreSQL): for the few statements that differ."""
    return isinstance(database.obj, SqliteDatabase)


# The key of PostgreSQL's advisory lock that plays the part of SQLite's write lock.
WRITE_LOCK_KEY = 261_203_001


def write_transaction():
    """A transaction that takes the write lock at once.

    SQLite's default deferred transaction reads first and upgrades later; two counters doing that
    at the same instant deadlock and one fails at once instead of waiting. IMMEDIATE makes the
    second wait its turn (busy_timeout). On PostgreSQL, whose transactions never lock the whole
    database, a transaction-level advisory lock does the same: what reads a counter (the day's last
    code, a form's last number, a ticket's) and writes the next one runs one at a time, as on SQLite.
    """
    if isinstance(database.obj, SqliteDatabase):
        return database.atomic("IMMEDIATE")
    return _locked_transaction()


@contextmanager
def _locked_transaction():
    with database.atomic() as transaction:
        database.execute_sql(f"SELECT pg_advisory_xact_lock({database.param})", (WRITE_LOCK_KEY,))
        yield transaction


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
            query = self._build(*(Value(marker, converter=False) for marker in self._markers))
            sql, params = query.sql()
            slots = [self._markers.index(value) if isinstance(value, str) and value in self._markers else None for value in params]
            if {slot for slot in slots if slot is not None} != set(range(len(self._markers))):
                raise ValueError("every parameter must reach the query's parameters unconverted")
            compiled = self._compiled = (database.obj, sql, params, slots, query)
        return compiled[1:4]

    def raw(self, model, *values):
        sql, params, slots = self._sql()
        return model.raw(sql, *[value if slot is None else values[slot] for value, slot in zip(params, slots)])

    def first(self, model, *values):
        """The first row, or None."""
        return next(iter(self.raw(model, *values)), None)

    def rows(self, *values) -> list:
        """The rows as plain objects whose attributes are the selected columns' names (or aliases), each value
        converted as its field converts it: for the hottest public pages, where making model instances
        cost more than the query (the status page: a third of its time, cProfile over 1.000 tokens).
        Nothing but attributes: no model method, no lazy foreign key."""
        sql, params, slots = self._sql()
        # The names and converters of the columns, worked out at the first call (and kept with the query).
        compiled = self._compiled
        if not isinstance(compiled[4], tuple):
            compiled = self._compiled = (*compiled[:4], _columns(compiled[4]))
        names, converters = compiled[4]
        cursor = database.execute_sql(sql, [value if slot is None else values[slot] for value, slot in zip(params, slots)])
        return [
            SimpleNamespace(**{name: value if value is None or convert is None else convert(value)
                               for name, convert, value in zip(names, converters, row)})
            for row in cursor.fetchall()
        ]


def _columns(query):
    """The names and converters of a select's columns: fields and aliases of fields only."""
    names, converters = [], []
    for node in query._returning:
        name = node._alias if isinstance(node, Alias) else None
        field = node.node if isinstance(node, Alias) else node
        if not isinstance(field, Field):
            raise ValueError("Prepared.rows reads fields and aliases of fields only")
        names.append(name or field.name)
        converters.append(_converter(field))
    return tuple(names), tuple(converters)


def _converter(field):
    """How a column's stored value becomes the field's Python value; None where it already is one."""
    if isinstance(field, DateTimeField):
        return _datetime_value
    if isinstance(field, DateField):
        return _date_value
    if type(field).python_value is Field.python_value and isinstance(field, (CharField, TextField, IntegerField)):
        # Text and integers come back from both engines as the type they are.
        return None
    return field.python_value


def _datetime_value(value):
    # SQLite keeps peewee's "YYYY-MM-DD HH:MM:SS[.ffffff]" text; PostgreSQL returns a datetime.
    return datetime.datetime.fromisoformat(value) if isinstance(value, str) else value


def _date_value(value):
    return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value
