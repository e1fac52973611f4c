"""`run.py backup [--to DIR]` and `run.py restore FILE [--force]`: copies of the database, and putting one back."""
import sys
from pathlib import Path

from flask import current_app

from ..instance import running_on
from ..services import backup
from ..settings import load as load_settings


def register(subparsers) -> None:
    make = subparsers.add_parser("backup", help="sao lưu cơ sở dữ liệu (mặc định vào db/backups)")
    make.add_argument("--to", type=Path, metavar="THƯ_MỤC", help="thư mục đích, ví dụ ổ USB")
    make.set_defaults(handler=make_backup)
    put_back = subparsers.add_parser("restore", help="khôi phục cơ sở dữ liệu từ một bản sao lưu")
    put_back.add_argument("file", type=Path, metavar="TỆP", help="tệp sao lưu (.sqlite3, hoặc .dump với PostgreSQL)")
    put_back.add_argument("--force", action="store_true", help="khôi phục cả khi máy chủ đang chạy")
    put_back.set_defaults(handler=restore)


def _database_file():
    """The SQLite file or the PostgreSQL database to back up (see backup.source_for)."""
    source = backup.source_for(current_app.config["DATABASE_URL"], current_app.config.get("BACKUP_FOLDER"))
    if source is None:
        print("Lỗi: cơ sở dữ liệu trong bộ nhớ không có bản sao lưu.", file=sys.stderr)
    return source


def make_backup(args) -> int:
    """Make a checked copy now; rotate the copies kept in db/backups."""
    database_file = _database_file()
    if database_file is None:
        return 2
    try:
        made = backup.make_backup(database_file, args.to.resolve() if args.to else None)
    except backup.BackupError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1
    print(f"Đã sao lưu và kiểm tra: {made.path} ({backup.size_text(made.size)}).")
    if args.to is None:
        settings = load_settings()
        removed = backup.rotate(database_file, settings["backup_keep_daily"], settings["backup_keep_monthly"], settings["backup_keep_manual_days"])
        if removed:
            print(f"Đã xóa {len(removed)} bản sao lưu cũ theo chế độ giữ bản sao.")
    return 0


def restore(args) -> int:
    """Check a backup, keep a copy of the current database, then put the backup in its place."""
    database_file = _database_file()
    if database_file is None:
        return 2
    try:
        report = backup.restore(database_file, args.file.resolve(), running_on(current_app.config["DATABASE_URL"]), force=args.force)
    except backup.BackupError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        if not isinstance(error, backup.RestoreCutShort):
            print("Cơ sở dữ liệu đang dùng không bị thay đổi.", file=sys.stderr)
        return 1
    restored = report.restored
    print(f"Đã kiểm tra {restored.path.name}: nguyên vẹn, của Một Cửa, cấu trúc số {restored.version}, {restored.dossiers} hồ sơ.")
    if report.migrated:
        print(f"Đã cập nhật cấu trúc lên bản mới nhất: {', '.join(report.migrated)}.")
    if report.safety_copy:
        print(f"Đã giữ bản sao cơ sở dữ liệu trước khi khôi phục: {report.safety_copy.path}.")
    print(f"Đã khôi phục cơ sở dữ liệu {_shown(database_file)} từ {restored.path}.")
    return 0


def _shown(database_file) -> str:
    return f"«{database_file.name}» (PostgreSQL)" if isinstance(database_file, backup.PostgresDatabase) else str(database_file)
