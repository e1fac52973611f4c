"""Backups of the database: consistent copies, checked, dated, rotated, and restored.

On SQLite a backup is made with SQLite's online backup API from a read snapshot of the live file (never a plain
file copy, which could catch a half-written page), written under a temporary name, checked with
`PRAGMA integrity_check`, and only then renamed to its dated name: a file with the final name is
always a complete, checked copy. A restore copies a checked (and, when older, migrated) file into the
live database with the same API, inside one transaction: a crash leaves the old or the new state.

On PostgreSQL the same is done by the server's own tools: `pg_dump --format=custom` writes the copy under
a temporary name, `pg_restore --list` reads it back before it gets its dated name (`.dump`), and a
restore is one `pg_restore --single-transaction`. The rest (names, rotation, the daily schedule, the
refusals and their messages) is shared: the code takes either the SQLite file (a Path) or a
`PostgresDatabase`. The password goes to the tools in PGPASSWORD, never on their command line.
"""
import datetime
import errno
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from peewee import DatabaseError, SqliteDatabase

from ..clock import now
from ..db import PRIVATE_FILE_MODE, SQLITE_PRAGMAS, data_folder, database, is_postgres_url, make_private, sqlite_path, without_password
from ..migrations import SchemaMigration, latest_version, migrate, schema_version
from ..models import MODELS
from ..settings import load as load_settings

log = logging.getLogger("motcua.backup")

SUFFIX = ".sqlite3"
DUMP_SUFFIX = ".dump"
# pg_dump's custom format starts with these bytes.
DUMP_HEADER = b"PGDMP"
PARTIAL_SUFFIX = ".partial"
# The tables every version of the schema has had: a file without them is not a database of this product.
PRODUCT_TABLES = ("schema_migration", "dossier", "dossier_event", "procedure", "user", "setting")
SQLITE_HEADER = b"SQLite format 3\x00"
# Copies made by hand ("Sao lưu ngay") carry this label: the daily rotation never touches them, so an
# officer who backs up right after a mistake keeps the morning's good copy; they go after their own days.
MANUAL_LABEL = "thu-cong"
# Only one backup at a time in a process: the admin's button and the daily one may meet.
_backup_lock = threading.Lock()


class BackupError(Exception):
    """A backup or restore that cannot be done; the message tells the administrator why, in Vietnamese."""


@dataclass(frozen=True)
class PostgresDatabase:
    """A PostgreSQL database to back up: its URL (with the password, never printed) and the folder of its dumps."""

    # Never in a repr (a log line, a traceback): the URL may carry the password.
    url: str = field(repr=False)
    folder: Path

    @property
    def name(self) -> str:
        return unquote(urlsplit(self.url).path.lstrip("/"))

    @property
    def stem(self) -> str:
        """The start of its dumps' names: the database's name, made safe for a file name."""
        return re.sub(r"[^\w.-]", "_", self.name)


# What a backup is of: the SQLite file, or a PostgreSQL database.
Source = Path | PostgresDatabase


def source_for(url: str, folder: Path | str | None = None):
    """What `url` backs up: the SQLite file, a PostgresDatabase, or None (in memory).

    A PostgreSQL database has no folder of its own: its dumps go to `folder` (BACKUP_FOLDER) or to
    backups/ in the data folder (MOTCUA_DATA_FOLDER or the project's db/), beside its logs and key.
    """
    path = sqlite_path(url)
    if path is not None:
        return None if path.name in ("", ":memory:") else path
    if is_postgres_url(url):
        return PostgresDatabase(url, Path(folder) if folder else data_folder(url) / "backups")
    return None


def _suffix(source) -> str:
    return DUMP_SUFFIX if isinstance(source, PostgresDatabase) else SUFFIX


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: datetime.datetime
    size: int
    label: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Inspection:
    """What a file to restore turned out to be."""

    path: Path
    version: int
    dossiers: int


def size_text(size: int) -> str:
    """12345678 -> '12,3 MB', the way a Vietnamese reader writes decimals."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".", ",")
    return f"{size} byte"


def folder_for(database_file: "Source") -> Path:
    """db/backups beside the database file; a PostgreSQL database's own folder."""
    if isinstance(database_file, PostgresDatabase):
        return database_file.folder
    return database_file.parent / "backups"


def _name_pattern(database_file: "Source") -> re.Pattern:
    return re.compile(
        rf"{re.escape(database_file.stem)}-(\d{{4}}-\d{{2}}-\d{{2}}-\d{{6}})(?:-([a-z0-9-]+))?{re.escape(_suffix(database_file))}"
    )


def backup_name(database_file: "Source", at: datetime.datetime, label: str = "") -> str:
    """motcua-2026-11-30-113000.sqlite3 (motcua-….dump on PostgreSQL); a label marks a special copy (made by hand, before a restore)."""
    return f"{database_file.stem}-{at:%Y-%m-%d-%H%M%S}{'-' + label if label else ''}{_suffix(database_file)}"


def list_backups(database_file: "Source", folder: Path | None = None) -> list[BackupFile]:
    """The finished backups of this database in `folder`, newest first; temporary files are not backups."""
    folder = folder or folder_for(database_file)
    pattern = _name_pattern(database_file)
    found = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if match and path.is_file():
            made_at = datetime.datetime.strptime(match.group(1), "%Y-%m-%d-%H%M%S")
            found.append(BackupFile(path, made_at, path.stat().st_size, match.group(2) or ""))
    return sorted(found, key=lambda backup: (backup.made_at, backup.name), reverse=True)


def find_backup(database_file: "Source", name: str) -> BackupFile | None:
    """The backup called `name` in the backup folder, or None (never a path outside it)."""
    return next((backup for backup in list_backups(database_file) if backup.name == name), None)


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        raise BackupError(f"Thư mục {folder} không tồn tại. Hãy kiểm tra đường dẫn (USB đã cắm chưa?).")
    if not folder.is_dir():
        raise BackupError(f"{folder} không phải là một thư mục.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(f"Không ghi được vào thư mục {folder} (chỉ đọc hoặc không có quyền).")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; Windows cannot open a folder and needs no such step."""
    if os.name == "nt":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _integrity_errors(connection: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def _file_integrity_errors(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return _integrity_errors(connection)
    finally:
        connection.close()


def copy_database(source: Path, target: Path, step_pages: int = -1, pause: float = 0.0) -> None:
    """Copy `source` into `target` with the online backup API.

    The default copies from one read snapshot in a single step: in WAL mode a reader never blocks a
    writer, whereas the API restarts a stepped copy from the first page whenever another connection
    writes, so steps could run forever on a busy morning (scripts/backup_wait.py measures both).
    `step_pages` and `pause` exist for a database not in WAL mode and for tests.
    """
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    # A copy holds the same personal data as the database: private from its first byte.
    target.touch(mode=PRIVATE_FILE_MODE)
    make_private(target)
    dst = sqlite3.connect(target)
    try:
        def progress(status, remaining, total):
            time.sleep(pause)

        src.backup(dst, pages=step_pages, progress=progress if pause else None)
        # The copy is a file on its own: no WAL beside it, so it can be carried away in one piece.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def make_backup(database_file: "Source", folder: Path | None = None, at: datetime.datetime | None = None, label: str = "", step_pages: int = -1, pause: float = 0.0) -> BackupFile:
    """Make one checked backup of `database_file` in `folder` (db/backups by default) and return it."""
    folder = folder or folder_for(database_file)
    if folder == folder_for(database_file):
        folder.mkdir(parents=True, exist_ok=True)
    _check_folder(folder)
    if isinstance(database_file, PostgresDatabase):
        return _dump(database_file, folder, at or now(), label)
    if not database_file.is_file():
        raise BackupError(f"Không tìm thấy cơ sở dữ liệu {database_file}.")
    at = at or now()
    final = folder / backup_name(database_file, at, label)
    partial = folder / f"{final.name}.{os.getpid()}-{threading.get_ident()}{PARTIAL_SUFFIX}"
    started = time.monotonic()
    with _backup_lock:
        try:
            copy_database(database_file, partial, step_pages, pause)
            errors = _file_integrity_errors(partial)
            if errors:
                raise BackupError(f"Bản sao vừa tạo bị lỗi khi kiểm tra ({errors[0]}); đã bỏ bản sao này.")
            with open(partial, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, final)
            _fsync_folder(folder)
        except (OSError, sqlite3.Error) as error:
            _discard(partial)
            raise BackupError(_explain_write_error(error, folder)) from error
        except BackupError:
            _discard(partial)
            raise
    size = final.stat().st_size
    log.info("backup made: %s (%d bytes, %.1f s)", final, size, time.monotonic() - started)
    return BackupFile(final, at.replace(microsecond=0), size, label)


def _discard(partial: Path) -> None:
    partial.unlink(missing_ok=True)
    Path(f"{partial}-journal").unlink(missing_ok=True)


def _explain_write_error(error: Exception, folder: Path) -> str:
    text = str(error).lower()
    number = getattr(error, "errno", None)
    if "full" in text or number == errno.ENOSPC:
        return f"Ổ đĩa chứa {folder} đã đầy: không tạo được bản sao lưu. Hãy giải phóng chỗ trống hoặc chọn nơi khác."
    if "readonly" in text or "read-only" in text or number in (errno.EACCES, errno.EROFS):
        return f"Không ghi được vào thư mục {folder} (chỉ đọc hoặc không có quyền)."
    return f"Không tạo được bản sao lưu trong {folder}: {error}."


def remove_stale_partials(database_file: "Source") -> int:
    """Delete temporary files left by a backup that was cut short (called when the server starts)."""
    folder = folder_for(database_file)
    removed = 0
    if folder.is_dir():
        # With its rollback journal (".partial-journal") when the copy was cut mid-write.
        for path in folder.glob(f"{database_file.stem}-*{PARTIAL_SUFFIX}*"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def backups_to_remove(backups: list[BackupFile], keep_daily: int, keep_monthly: int) -> list[BackupFile]:
    """Rotation: keep the newest copy of each of the last `keep_daily` days and `keep_monthly` months.

    Labelled copies (made before a restore) are never removed automatically.
    """
    ordinary = sorted((b for b in backups if not b.label), key=lambda b: b.made_at, reverse=True)
    keep = set()
    days, months = [], []
    for backup in ordinary:
        day, month = backup.made_at.date(), (backup.made_at.year, backup.made_at.month)
        if day not in days:
            days.append(day)
            if len(days) <= keep_daily:
                keep.add(backup.path)
        if month not in months:
            months.append(month)
            if len(months) <= keep_monthly:
                keep.add(backup.path)
    return [backup for backup in ordinary if backup.path not in keep]


def manual_copies_to_remove(backups: list[BackupFile], current: datetime.datetime, keep_days: int) -> list[BackupFile]:
    """Copies made by hand more than `keep_days` days before `current`; a later copy never pushes one out."""
    limit = current - datetime.timedelta(days=keep_days)
    return [backup for backup in backups if backup.label == MANUAL_LABEL and backup.made_at < limit]


def rotate(database_file: "Source", keep_daily: int, keep_monthly: int, keep_manual_days: int, current: datetime.datetime | None = None) -> list[BackupFile]:
    """Delete the backups in db/backups that the rotation no longer keeps; returns them."""
    backups = list_backups(database_file)
    removed = backups_to_remove(backups, keep_daily, keep_monthly) + manual_copies_to_remove(backups, current or now(), keep_manual_days)
    for backup in removed:
        backup.path.unlink(missing_ok=True)
        log.info("backup removed by rotation: %s", backup.path)
    return removed


def backup_due(current: datetime.datetime, last: datetime.datetime | None, hour: datetime.time) -> bool:
    """Is a daily backup due? Never made, more than a day old, or none yet since today's backup hour."""
    if last is None or current - last >= datetime.timedelta(days=1):
        return True
    todays_time = datetime.datetime.combine(current.date(), hour)
    return current >= todays_time and last < todays_time


def inspect(path: Path) -> Inspection:
    """Check a file before restoring it: an SQLite file, intact, of this product, not of a newer version."""
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp {path}.")
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER):
        raise BackupError(f"Tệp {path.name} không phải là cơ sở dữ liệu SQLite.")
    page_size = int.from_bytes(header[16:18], "big") or 65536
    pages = int.from_bytes(header[28:32], "big")
    if pages and path.stat().st_size < page_size * pages:
        raise BackupError(f"Tệp {path.name} bị cắt cụt (thiếu dữ liệu so với kích thước ghi trong tệp); không dùng được.")
    checked = SqliteDatabase(f"file:{path}?mode=ro", uri=True)
    try:
        with checked.connection_context():
            tables = set(checked.get_tables())
            missing = [table for table in PRODUCT_TABLES if table not in tables]
            if missing:
                raise BackupError(f"Tệp {path.name} không phải là cơ sở dữ liệu của Một Cửa (thiếu bảng {', '.join(missing)}).")
            errors = _integrity_errors(checked.connection())
            if errors:
                raise BackupError(f"Tệp {path.name} bị hỏng ({errors[0]}); không dùng được.")
            with SchemaMigration.bind_ctx(checked):
                version = schema_version(checked)
            dossiers = checked.execute_sql("SELECT count(*) FROM dossier").fetchone()[0]
    except (sqlite3.DatabaseError, DatabaseError) as error:
        raise BackupError(f"Tệp {path.name} bị hỏng hoặc không phải là cơ sở dữ liệu ({error}).") from error
    if version > latest_version():
        raise BackupError(
            f"Tệp {path.name} được tạo bởi phiên bản Một Cửa mới hơn (cấu trúc số {version}, bản này chỉ biết tới số "
            f"{latest_version()}). Hãy cập nhật phần mềm trước khi khôi phục."
        )
    return Inspection(path, version, dossiers)


@dataclass(frozen=True)
class RestoreReport:
    restored: Inspection
    safety_copy: BackupFile | None
    migrated: list


def restore(database_file: "Source", path: Path, running: bool, force: bool = False) -> RestoreReport:
    """Replace the live database by the checked contents of `path`, after keeping a copy of it.

    The copy into the live file is one write transaction of the backup API (other connections see
    the new state at their next read): a crash in the middle leaves the database as it was.
    """
    if running and not force:
        raise BackupError(
            "Máy chủ Một Cửa đang chạy trên cơ sở dữ liệu này. Hãy dừng máy chủ rồi khôi phục "
            "(hoặc thêm --force nếu chắc chắn không ai đang làm việc)."
        )
    if isinstance(database_file, PostgresDatabase):
        return _restore_dump(database_file, path)
    found = inspect(path)
    staging = database_file.with_name(f"{database_file.name}.restore{PARTIAL_SUFFIX}")
    try:
        copy_database(path, staging)
        # Every missing migration, not only those above the highest applied: branches may land out of order.
        migrated = _migrate_file(staging)
        errors = _file_integrity_errors(staging)
        if errors:
            raise BackupError(f"Bản khôi phục bị lỗi sau khi cập nhật cấu trúc ({errors[0]}).")
        safety = make_backup(database_file, label="truoc-khoi-phuc") if database_file.exists() else None
        _copy_into_live(staging, database_file)
    except (OSError, sqlite3.Error, DatabaseError) as error:
        raise BackupError(f"Không khôi phục được: {error}.") from error
    finally:
        _discard(staging)
    log.warning("database restored from %s (version %d, %d dossiers); previous state kept in %s", path, found.version, found.dossiers, safety.path if safety else "-")
    return RestoreReport(found, safety, migrated)


def _migrate_file(path: Path) -> list[str]:
    older = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    with older.connection_context(), older.bind_ctx([SchemaMigration, *MODELS]):
        return migrate(older)


def _copy_into_live(staging: Path, database_file: Path) -> None:
    src = sqlite3.connect(f"file:{staging}?mode=ro", uri=True)
    dst = sqlite3.connect(database_file, timeout=SQLITE_PRAGMAS["busy_timeout"] / 1000)
    try:
        dst.execute(f"PRAGMA synchronous={SQLITE_PRAGMAS['synchronous']}")
        src.backup(dst)
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        dst.close()
        src.close()


class RestoreCutShort(BackupError):
    """A restore that failed after changing the live database (tables a dump lacks were dropped)."""


class MissingTool(BackupError):
    """pg_dump or pg_restore is not installed; the message gives the command lines to run elsewhere."""


def _tool(name: str) -> str | None:
    """Where PostgreSQL's client program `name` is installed, or None."""
    return shutil.which(name)


def _tool_environment(url: str) -> dict:
    environment = dict(os.environ, PGCONNECT_TIMEOUT="5")
    password = urlsplit(url).password
    if password is not None:
        environment["PGPASSWORD"] = unquote(password)
    return environment


def _shell_word(text: str) -> str:
    return text if re.fullmatch(r"[\w@%+=:,./-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def _command_line(url: str, words: list) -> str:
    """A command as the administrator may type it: the password as a placeholder, never its value."""
    line = " ".join(_shell_word(str(word)) for word in words)
    return f"PGPASSWORD='<mật khẩu>' {line}" if urlsplit(url).password is not None else line


def _dump_command(source: PostgresDatabase, target: Path, program: str = "pg_dump") -> list:
    return [program, "--format=custom", "--no-password", f"--file={target}", f"--dbname={without_password(source.url)}"]


def _restore_command(source: PostgresDatabase, path: Path, program: str = "pg_restore") -> list:
    return [program, "--clean", "--if-exists", "--single-transaction", "--no-owner", "--exit-on-error", "--no-password", f"--dbname={without_password(source.url)}", str(path)]


def _require(program: str, source: PostgresDatabase, what: str, commands: list) -> str:
    """The tool's path; without it, a MissingTool that lists `commands` (argument lists, or lines as they are)."""
    found = _tool(program)
    if found is None:
        lines = "\n".join(f"  {command if isinstance(command, str) else _command_line(source.url, command)}" for command in commands)
        raise MissingTool(
            f"Máy này chưa cài {program} (công cụ của PostgreSQL) nên không {what} được. Hãy cài gói "
            f"postgresql-client cùng phiên bản với máy chủ (Debian/Ubuntu: sudo apt-get install postgresql-client), "
            f"hoặc chạy trên một máy đã có nó:\n{lines}"
        )
    return found


def _run_tool(command: list, url: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, env=_tool_environment(url), capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError as error:
        raise BackupError(f"Không chạy được {Path(command[0]).name}: {error}.") from error


def _tool_reason(result: subprocess.CompletedProcess) -> str:
    """The first line of what a tool said on failure, without its program-name prefix."""
    lines = [line.strip() for line in (result.stderr or "").splitlines() if line.strip()]
    reason = next((line for line in lines if "error" in line.lower()), lines[0] if lines else f"mã lỗi {result.returncode}")
    return re.sub(r"^(pg_dump|pg_restore): (error: )?", "", reason)


def _dump(source: PostgresDatabase, folder: Path, at: datetime.datetime, label: str) -> BackupFile:
    final = folder / backup_name(source, at, label)
    pg_dump = _require("pg_dump", source, "sao lưu", [_dump_command(source, final)])
    pg_restore = _require("pg_restore", source, "kiểm tra bản sao lưu", [_dump_command(source, final), ["pg_restore", "--list", str(final)]])
    partial = folder / f"{final.name}.{os.getpid()}-{threading.get_ident()}{PARTIAL_SUFFIX}"
    started = time.monotonic()
    with _backup_lock:
        try:
            partial.touch(mode=PRIVATE_FILE_MODE)
            make_private(partial)
            result = _run_tool(_dump_command(source, partial, pg_dump), source.url)
            if result.returncode != 0:
                reason = _tool_reason(result)
                if "no space left" in reason.lower():
                    raise OSError(errno.ENOSPC, reason)
                raise BackupError(f"pg_dump không sao lưu được cơ sở dữ liệu «{source.name}»: {reason}.")
            _read_back(partial, pg_restore, source.url)
            with open(partial, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, final)
            _fsync_folder(folder)
        except OSError as error:
            _discard(partial)
            raise BackupError(_explain_write_error(error, folder)) from error
        except BackupError:
            _discard(partial)
            raise
    size = final.stat().st_size
    log.info("backup made: %s (%d bytes, %.1f s)", final, size, time.monotonic() - started)
    return BackupFile(final, at.replace(microsecond=0), size, label)


def _read_back(path: Path, pg_restore: str, url: str) -> None:
    result = _run_tool([pg_restore, "--list", str(path)], url)
    if result.returncode != 0 or not _dump_tables(result.stdout):
        raise BackupError(f"Bản sao vừa tạo bị lỗi khi kiểm tra ({_tool_reason(result)}); đã bỏ bản sao này.")


def _dump_tables(listing: str) -> set[str]:
    """The tables named in `pg_restore --list`'s table of contents ("215; 1259 16390 TABLE public dossier postgres")."""
    return set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, re.MULTILINE))


def _dump_migrations(path: Path, pg_restore: str, url: str) -> list[str]:
    """The names in the dump's schema_migration table, read from its data without restoring anything."""
    result = _run_tool([pg_restore, "--data-only", "--table=schema_migration", "--file=-", str(path)], url)
    if result.returncode != 0:
        raise BackupError(f"Tệp {path.name} bị hỏng ({_tool_reason(result)}); không dùng được.")
    return re.findall(r"^\d+\t(m\d{4}_\w+)\t", result.stdout, re.MULTILINE)


def inspect_dump(path: Path, source: PostgresDatabase) -> tuple[Inspection, set[str]]:
    """Check a dump before restoring it: pg_dump's custom format, of this product, not of a newer version.

    Returns the inspection (its dossiers are counted once restored) and the tables the dump holds.
    """
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp {path}.")
    with open(path, "rb") as handle:
        header = handle.read(len(DUMP_HEADER))
    if header != DUMP_HEADER:
        raise BackupError(f"Tệp {path.name} không phải là bản sao lưu PostgreSQL (pg_dump --format=custom).")
    pg_restore = _require("pg_restore", source, "khôi phục", [_restore_command(source, path), "python3 run.py migrate  (với cùng DATABASE_URL)"])
    result = _run_tool([pg_restore, "--list", str(path)], source.url)
    if result.returncode != 0:
        raise BackupError(f"Tệp {path.name} bị hỏng hoặc không phải là bản sao lưu PostgreSQL ({_tool_reason(result)}).")
    tables = _dump_tables(result.stdout)
    missing = [table for table in PRODUCT_TABLES if table not in tables]
    if missing:
        raise BackupError(f"Tệp {path.name} không phải là cơ sở dữ liệu của Một Cửa (thiếu bảng {', '.join(missing)}).")
    version = max((int(name[1:5]) for name in _dump_migrations(path, pg_restore, source.url)), default=0)
    if version > latest_version():
        raise BackupError(
            f"Tệp {path.name} được tạo bởi phiên bản Một Cửa mới hơn (cấu trúc số {version}, bản này chỉ biết tới số "
            f"{latest_version()}). Hãy cập nhật phần mềm trước khi khôi phục."
        )
    return Inspection(path, version, 0), tables


def _restore_dump(source: PostgresDatabase, path: Path) -> RestoreReport:
    """pg_restore into the live database in one transaction, after keeping a dump of it; then migrate.

    The live database is the one the app is bound to (`database`): the command runs inside the app.
    """
    found, tables = inspect_dump(path, source)
    pg_restore = _tool("pg_restore")
    safety = make_backup(source, label="truoc-khoi-phuc")
    try:
        dropped = _drop_tables_the_dump_lacks(tables)
        result = _run_tool(_restore_command(source, path, pg_restore), source.url)
        if result.returncode != 0:
            outcome = (
                f"đã xóa các bảng mà bản sao lưu không có ({', '.join(dropped)}); hãy khôi phục lại bản {safety.path}"
                if dropped else "pg_restore đã hủy toàn bộ, dữ liệu giữ nguyên như trước"
            )
            raise (RestoreCutShort if dropped else BackupError)(f"Không khôi phục được: pg_restore báo lỗi ({_tool_reason(result)}); {outcome}.")
        # Every missing migration, not only those above the highest applied: branches may land out of order.
        migrated = migrate(database)
        dossiers = database.execute_sql("SELECT count(*) FROM dossier").fetchone()[0]
    except DatabaseError as error:
        raise BackupError(f"Không khôi phục được: {error}.") from error
    found = replace(found, dossiers=dossiers)
    log.warning("database restored from %s (version %d, %d dossiers); previous state kept in %s", path, found.version, found.dossiers, safety.path)
    return RestoreReport(found, safety, migrated)


def _drop_tables_the_dump_lacks(tables: set[str]) -> list[str]:
    """A dump made by an older version lacks the tables added since; their rows refer to the tables the
    restore replaces (which their foreign keys would keep it from dropping), and the migrations after
    the restore make them again, empty, as they were when the dump was made. The dump is kept beforehand."""
    from ..migrations.m0017_change_counter import COUNTER_TABLE, TRIGGER

    ours = {model._meta.table_name for model in MODELS} | {"schema_migration", COUNTER_TABLE}
    extra = sorted((ours & set(database.get_tables())) - tables)
    if extra:
        with database.atomic():
            if COUNTER_TABLE in extra:
                # Its triggers would bump a table that is gone: every write would fail until the migration.
                database.execute_sql(f"DROP FUNCTION IF EXISTS {TRIGGER}() CASCADE")
            for table in extra:
                database.execute_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    return extra


def latest_backup_time(database_file: "Source") -> datetime.datetime | None:
    """When the last daily copy was made; a copy made by hand or before a restore does not stand in for it."""
    backups = [backup for backup in list_backups(database_file) if not backup.label]
    return backups[0].made_at if backups else None


def _current_settings() -> dict:
    with database.connection_context():
        return load_settings()


class Scheduler(threading.Thread):
    """The daily backup while serving: wakes every few minutes, backs up when due, then rotates."""

    def __init__(self, database_file: "Source", load_settings=None, interval: float = 300.0):
        super().__init__(name="motcua-backup", daemon=True)
        self.database_file = database_file
        self.load_settings = load_settings or _current_settings
        self.interval = interval
        self.stopping = threading.Event()

    def run(self):
        remove_stale_partials(self.database_file)
        while not self.stopping.is_set():
            self.run_once()
            self.stopping.wait(self.interval)

    def run_once(self) -> BackupFile | None:
        try:
            settings = self.load_settings()
            if not backup_due(now(), latest_backup_time(self.database_file), settings["backup_hour"]):
                return None
            made = make_backup(self.database_file)
            rotate(self.database_file, settings["backup_keep_daily"], settings["backup_keep_monthly"], settings["backup_keep_manual_days"])
            return made
        except Exception:
            # The server keeps serving; the log tells the administrator, and the next wake tries again.
            log.exception("automatic backup failed")
            return None

    def stop(self):
        self.stopping.set()
