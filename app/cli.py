"""The manage-style commands behind run.py: serve, migrate, accounts and the center's data files."""
import argparse
import gc
import logging
import os
import secrets
import socket
import sys

from peewee import OperationalError

from . import DEFAULT_DATABASE_URL, ROOT, create_app, logs
from .commands import modules as command_modules
from .commands.demo_data import DEMO_PREFIX
from .db import DatabaseUrlError, data_folder, database, is_postgres_url, postgres_message, private_files, sqlite_path
from .instance import AlreadyRunning, lock_for
from .migrations import migrate
from .models import ROLES, Counter, User
from .services import backup
from .services.catalogue import seed_if_empty


class Parser(argparse.ArgumentParser):
    """argparse that explains a mistake in a sentence and exits with 2."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python3 run.py", description="Một Cửa — phần mềm Trung tâm Phục vụ hành chính công xã.")
    commands = parser.add_subparsers(dest="command", parser_class=Parser, metavar="LỆNH")

    serve = commands.add_parser("serve", help="chuẩn bị cơ sở dữ liệu và chạy máy chủ (mặc định)")
    serve.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"), help="địa chỉ lắng nghe (mặc định 0.0.0.0)")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")), help="cổng (mặc định 8080)")
    serve.add_argument("--threads", type=int, default=8, help="số luồng phục vụ (mặc định 8)")

    commands.add_parser("test", help="cài gói kiểm thử và chạy toàn bộ bộ kiểm thử (tham số thêm chuyển cho pytest)")
    commands.add_parser("migrate", help="áp dụng các bản cập nhật cấu trúc cơ sở dữ liệu")

    create_user = commands.add_parser("create-user", help="tạo tài khoản cán bộ")
    create_user.add_argument("--username", required=True, help="tên đăng nhập")
    create_user.add_argument("--password", required=True, help="mật khẩu (ít nhất 8 ký tự)")
    create_user.add_argument("--role", action="append", required=True, choices=sorted(ROLES), help="vai trò (lặp lại để thêm vai trò)")
    create_user.add_argument("--full-name", default="", help="họ và tên")
    create_user.add_argument("--must-change", action="store_true", help="bắt đổi mật khẩu khi đăng nhập lần đầu")

    reset = commands.add_parser("reset-password", help="đặt lại mật khẩu một tài khoản")
    reset.add_argument("--username", required=True, help="tên đăng nhập")
    reset.add_argument("--password", help="mật khẩu mới; bỏ trống để tạo mật khẩu tạm ngẫu nhiên")

    for module in command_modules():
        module.register(commands)
    return parser


def prepare(app) -> None:
    """Bring the database up to date and make sure someone can log in."""
    with database.connection_context():
        applied = migrate(database)
        if applied:
            print(f"Đã cập nhật cơ sở dữ liệu: {', '.join(applied)}")
        seeded = seed_if_empty()
        if seeded:
            print(f"Đã nạp danh mục {seeded} thủ tục hành chính mẫu (app/data/procedures.csv).")
        if not Counter.select().exists():
            for number in range(1, 5):
                Counter.create(name=f"Quầy {number}", order=number)
        # Demo staff (demo-data) are no one's account: they never stand in for the first administrator.
        if not User.select().where(~User.username.startswith(DEMO_PREFIX)).exists():
            _create_first_admin()


def _create_first_admin() -> None:
    from .views.auth import hash_password

    password = secrets.token_urlsafe(9)
    User.create(
        username="admin",
        full_name="Quản trị viên",
        password_hash=hash_password(password),
        roles_text="quan_tri",
        must_change_password=True,
    )
    print("=" * 64)
    print("Đã tạo tài khoản quản trị đầu tiên (chỉ hiển thị một lần):")
    print("  Tên đăng nhập: admin")
    print(f"  Mật khẩu:      {password}")
    print("Hãy đăng nhập và đổi mật khẩu ngay.")
    print("=" * 64, flush=True)


def lan_addresses() -> list[str]:
    """The IPv4 addresses of this PC that other machines on the LAN can use."""
    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    return sorted(address for address in found if not address.startswith("127.")) or ["127.0.0.1"]


def serve(app, host: str, port: int, threads: int) -> int:
    from waitress import serve as waitress_serve

    url = app.config["DATABASE_URL"]
    try:
        # Held until the process ends: a second copy on the same database would interleave writes and backups.
        lock = lock_for(url)
        if lock:
            lock.acquire()
    except AlreadyRunning as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1
    logs.configure(data_folder(url))
    logs.install(app)
    prepare(app)
    app.config["KEEP_CONNECTIONS"] = True
    source = backup.source_for(url, app.config.get("BACKUP_FOLDER"))
    if source:
        backup.Scheduler(source).start()
    # Waitress warns on every queued request; on a busy morning that would bury the useful lines.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # What start-up made (modules, models, templates: some 90.000 objects) lives as long as the server:
    # moved out of the collector's sight, a full collection no longer walks it. Without this, one in a
    # few hundred staff pages paused some 20-30 ms for it (gc.callbacks over 200 staff lists).
    gc.collect()
    gc.freeze()
    addresses = lan_addresses() if host in ("0.0.0.0", "::") else [host]
    print("Một Cửa đang chạy. Mở trên các máy trong mạng nội bộ:")
    for address in addresses:
        base = f"http://{address}:{port}"
        print(f"  Cán bộ đăng nhập: {base}/dang-nhap")
        print(f"  Tra cứu hồ sơ:    {base}/tra-cuu")
        print(f"  Bảng tin (TV):    {base}/bang-tin")
        print(f"  Thủ tục:          {base}/thu-tuc")
    print("Nhấn Ctrl+C để dừng.", flush=True)
    waitress_serve(app, host=host, port=port, threads=threads, ident="motcua")
    if lock:
        lock.release()
    return 0


def create_user(args) -> int:
    from .forms import USERNAME_RULE
    from .rules.text import clean
    from .views.auth import hash_password

    username = args.username.strip().lower()
    if not USERNAME_RULE.regex.match(username):
        print(f"Lỗi: {USERNAME_RULE.message}", file=sys.stderr)
        return 2
    if len(args.password) < 8:
        print("Lỗi: mật khẩu cần ít nhất 8 ký tự.", file=sys.stderr)
        return 2
    full_name = clean(args.full_name) or username
    if len(full_name) > 120:
        print("Lỗi: họ và tên tối đa 120 ký tự.", file=sys.stderr)
        return 2
    with database.connection_context():
        if User.select().where(User.username == username).exists():
            print(f"Lỗi: tên đăng nhập {username} đã có.", file=sys.stderr)
            return 1
        User.create(
            username=username,
            full_name=full_name,
            password_hash=hash_password(args.password),
            roles_text=",".join(sorted(set(args.role))),
            must_change_password=args.must_change,
        )
    print(f"Đã tạo tài khoản {username} ({', '.join(ROLES[r] for r in sorted(set(args.role)))}).")
    return 0


def reset_password(args) -> int:
    from .views.auth import hash_password

    password = args.password or secrets.token_urlsafe(9)
    if len(password) < 8:
        print("Lỗi: mật khẩu cần ít nhất 8 ký tự.", file=sys.stderr)
        return 2
    with database.connection_context():
        user = User.get_or_none(User.username == args.username.strip().lower())
        if user is None:
            print(f"Lỗi: không có tài khoản {args.username}.", file=sys.stderr)
            return 1
        user.password_hash = hash_password(password)
        user.must_change_password = True
        user.active = True
        user.save()
    print(f"Đã đặt lại mật khẩu của {user.username}; người dùng phải đổi khi đăng nhập.")
    if not args.password:
        print(f"Mật khẩu tạm: {password}")
    return 0


def main(argv: list[str]) -> int:
    parser = build_parser()
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["serve", *argv]
    args = parser.parse_args(argv)
    private_files()
    try:
        return _run(parser, args)
    except DatabaseUrlError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1
    except (PermissionError, OperationalError) as error:
        url = _database_url()
        if is_postgres_url(url) and not isinstance(error, PermissionError):
            print(postgres_message(url, error), file=sys.stderr)
            return 1
        # A read-only db/ folder, a full or failing disk: a sentence for whoever started the program.
        print(storage_message(error), file=sys.stderr)
        return 1


def _database_url() -> str:
    return os.environ.get("MOTCUA_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def storage_message(error: Exception) -> str:
    """What to tell the person when the database folder cannot be written."""
    url = _database_url()
    database_file = sqlite_path(url)
    where = database_file.parent if database_file else url
    if isinstance(error, PermissionError):
        reason = f"không có quyền ghi vào {error.filename or where}"
    else:
        reason = f"không ghi được vào cơ sở dữ liệu ({error})"
    return (
        f"Lỗi: {reason}. Một Cửa cần quyền đọc và ghi thư mục {where} (cơ sở dữ liệu, sao lưu, nhật ký) "
        "và ổ đĩa còn chỗ trống. Hãy chạy chương trình bằng tài khoản sở hữu thư mục đó, hoặc nhờ quản trị "
        "máy cấp quyền ghi, rồi chạy lại."
    )


def _run(parser, args) -> int:
    app = create_app()
    if args.command == "serve":
        return serve(app, args.host, args.port, args.threads)
    # Every command works on an up-to-date schema, whatever version made the database.
    with database.connection_context():
        applied = migrate(database)
    if args.command == "migrate":
        print("Cơ sở dữ liệu đã ở phiên bản mới nhất." if not applied else f"Đã áp dụng: {', '.join(applied)}")
        return 0
    if args.command == "create-user":
        return create_user(args)
    if args.command == "reset-password":
        return reset_password(args)
    if hasattr(args, "handler"):
        with app.app_context(), database.connection_context():
            return args.handler(args)
    parser.print_help()
    return 2
