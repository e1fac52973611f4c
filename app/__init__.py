"""Một Cửa: the software of a commune's Public Administrative Service Center."""
import datetime
import importlib
import os
import pkgutil
from pathlib import Path

from flask import Flask, g, request
from flask_wtf.csrf import CSRFError
from peewee import OperationalError
from werkzeug.datastructures import ImmutableMultiDict

from . import args, badges, formatting, navigation, pagecache, security
from .clock import now
from .db import Prepared, data_folder, database, open_database, sqlite_path
from .extensions import csrf, htmx, login_manager
from .models import User
from .pages import error_page, static_url
from .sessions import SessionInterface
from .rules import codes, inputs
from .rules.text import nfc

ROOT = Path(__file__).resolve().parent.parent
STORAGE_FAILED = (
    "Máy chủ không đọc hoặc ghi được cơ sở dữ liệu (ổ đĩa lỗi, đầy hoặc chỉ cho đọc): thao tác vừa rồi CHƯA được lưu. "
    "Vui lòng báo quản trị viên, rồi thử lại khi máy chủ hoạt động bình thường."
)
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'db' / 'motcua.sqlite3'}"


def create_app(test_config=None):
    """Build the app: defaults, then the environment, then `test_config` wins."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_mapping(
        DATABASE_URL=DEFAULT_DATABASE_URL,
        ENV_NAME="production",
        # A working day of inactivity ends a session; each request renews it.
        PERMANENT_SESSION_LIFETIME=datetime.timedelta(hours=10),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="motcua_session",
        WTF_CSRF_TIME_LIMIT=None,
        # The largest upload is a catalogue or logbook file; anything bigger is refused with 413.
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=2 * 1024 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        KEEP_CONNECTIONS=False,
    )
    # MOTCUA_BACKUP_FOLDER: where a PostgreSQL database's dumps go (backups/ in the data folder by
    # default); an SQLite file's copies stay beside it.
    for name in ("DATABASE_URL", "SECRET_KEY", "ENV_NAME", "BACKUP_FOLDER"):
        if os.environ.get(f"MOTCUA_{name}") or (name == "DATABASE_URL" and os.environ.get(name)):
            app.config[name] = os.environ.get(f"MOTCUA_{name}") or os.environ[name]
    if test_config:
        app.config.update(test_config)

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = security.load_secret_key(secret_key_folder(app.config["DATABASE_URL"]))
    if app.config["ENV_NAME"] == "production" and not app.testing:
        if security.is_weak_secret(app.config["SECRET_KEY"]):
            raise RuntimeError("SECRET_KEY quá yếu: cần ít nhất 32 ký tự ngẫu nhiên.")

    open_database(app.config["DATABASE_URL"])
    args.init_app(app)
    pagecache.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"
    login_manager.unauthorized_handler(security.unauthorized)
    login_manager.user_loader(_load_user)

    app.jinja_env.filters.update(formatting.FILTERS)
    app.jinja_env.globals["menu"] = navigation.menu
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals.update(badges.BADGES)
    app.session_interface = SessionInterface()
    _register_hooks(app)
    _register_blueprints(app)
    _register_errors(app)
    return app


def secret_key_folder(database_url: str) -> Path:
    """Where the generated key is kept: beside the database file (symlinks resolved), or in the project's
    db/ (or MOTCUA_DATA_FOLDER) for an in-memory or PostgreSQL database, never the working directory."""
    return data_folder(database_url)


# Every staff request loads its user: the query's SQL is built once.
_user_by_id = Prepared(lambda user_id: User.select().where(User.id == user_id))


def _load_user(user_id: str):
    record_id = inputs.record_id(user_id.partition(":")[0])
    if record_id is None:
        return None
    user = _user_by_id.first(User, record_id)
    # The session names the password and session version it was made with: a newer one refuses it.
    if user is None or not user.active or user.get_id() != user_id:
        return None
    return user


def _normalise_form():
    """Every submitted text becomes NFC here, once, so no view can forget it."""
    if request.method != "POST" or not request.form:
        return
    request.form = ImmutableMultiDict([(key, nfc(value)) for key, value in request.form.items(multi=True)])


def _register_hooks(app):
    @app.before_request
    def open_connection():
        # The connection opens at the first query (a page served from memory needs none); teardown
        # closes only what this request opened, as a test or a CLI command may hold one already.
        g.connection_was_open = not database.is_closed()
        _normalise_form()
        g.settings = None

    @app.teardown_request
    def close_connection(exc):
        # Under `serve` each waitress thread keeps its connection: opening one with its pragmas costs
        # about 0.7 ms, more than a cached page takes to serve (measured with scripts/bench.py).
        if app.config["KEEP_CONNECTIONS"]:
            return
        if not g.get("connection_was_open", True) and not database.is_closed():
            database.close()

    @app.after_request
    def headers(response):
        security.set_security_headers(response)
        response.headers.add("Vary", "HX-Request, HX-Boosted, HX-History-Restore-Request")
        if security.user_seen_by_this_request():
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def globals_for_templates():
        from .views import request_settings

        settings = request_settings()

        def official_code(dossier) -> str:
            return codes.official_code(dossier.code, dossier.portal_code, settings["uses_province_system"])

        return {"settings": settings, "now": now(), "official_code": official_code}


def _register_blueprints(app):
    """Every module (or package) of app/views with a `bp` is an area of the product."""
    from . import views

    for info in sorted(pkgutil.iter_modules(views.__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{views.__name__}.{info.name}")
        if hasattr(module, "bp"):
            app.register_blueprint(module.bp)


def _register_errors(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(400, "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")

    messages = {
        400: "Yêu cầu không hợp lệ.",
        403: "Bạn không có quyền truy cập trang này.",
        404: "Không tìm thấy trang bạn yêu cầu.",
        405: "Thao tác này không được hỗ trợ.",
        413: "Tệp tải lên quá lớn.",
        429: "Bạn thao tác quá nhiều lần. Vui lòng chờ một lát rồi thử lại.",
        500: "Đã có lỗi xảy ra. Dữ liệu đã lưu không bị ảnh hưởng; vui lòng thử lại hoặc báo quản trị viên.",
    }
    for code, message in messages.items():
        app.register_error_handler(code, lambda error, code=code, message=message: error_page(code, message))

    @app.errorhandler(OperationalError)
    def storage_failed(error):
        # A failing, full or read-only disk: the 500 page's "nothing saved was affected" would hide that
        # what the person just did was NOT saved.
        app.logger.error("database not usable on %s %s", request.method, request.path, exc_info=error)
        return error_page(503, STORAGE_FAILED)
