"""The server's log: a rotating file in db/logs/ beside the database, and the console.

Requests, errors with their tracebacks, backups and logins are written here for the administrator
(or whoever helps them); a person using the pages only ever sees the Vietnamese error page.
"""
import atexit
import logging
import queue
import re
import time
from logging.handlers import QueueHandler, QueueListener, RotatingFileHandler
from pathlib import Path

from flask import g, request
from flask_login import user_logged_in, user_logged_out

from .db import make_private
from .security import user_seen_by_this_request

LOG_NAME = "motcua.log"
# About 50 MB in all: years of a center's requests, and a size an office PC never notices.
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 10
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

# A status token opens a dossier's public page: whoever reads the log must not be able to open it.
# Its first characters stay, enough to tell two requests apart.
_STATUS_TOKEN = re.compile(r"(/tra-cuu/[A-Za-z0-9_-]{4})[A-Za-z0-9_-]+")

requests_log = logging.getLogger("motcua.requests")
logins_log = logging.getLogger("motcua.logins")


def folder_for(database_folder: Path) -> Path:
    return database_folder / "logs"


def mask_tokens(text: str) -> str:
    """'/tra-cuu/Xk3fP9…' for '/tra-cuu/Xk3fP9aB…(the whole token)'; other paths unchanged."""
    return _STATUS_TOKEN.sub(r"\1…", text)


class MaskingFormatter(logging.Formatter):
    """Every line, a request's as well as an error's traceback, leaves with its status tokens masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_tokens(super().format(record))


def configure(database_folder: Path) -> Path:
    """Send every logger (ours, Flask's errors, waitress) to db/logs/motcua.log and the console."""
    folder = folder_for(database_folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    if any(getattr(handler, "motcua", False) for handler in root.handlers):
        return path
    formatter = MaskingFormatter(FORMAT)
    file_handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    for old in (path, *folder.glob(f"{LOG_NAME}.*")):
        make_private(old)
    console = logging.StreamHandler()
    # The console shows what needs a person's attention; the file keeps every request too (public pages
    # served from memory as one count a minute, see pagecache).
    console.setLevel(logging.WARNING)
    for handler in (file_handler, console):
        handler.setFormatter(formatter)
    queued = QueuedHandler(file_handler, console)
    queued.motcua = True
    root.addHandler(queued)
    root.setLevel(logging.INFO)
    return path


class QueuedHandler(QueueHandler):
    """Every record goes on a queue; one thread of its own formats, masks and writes them.

    A handler writing to the file takes its lock around the write and its flush: eight server threads
    logging each request then queued behind it, each waiting in turn for the GIL as well, and the
    status page over distinct tokens served 492 requests a second with the GIL idle more than half the
    time (py-spy --gil, 100.000 dossiers). A queue's put takes no such lock. Lines keep their order; an
    error's traceback is written as promptly as before (the writer waits on the queue, not on a timer),
    and `flush()` or closing the handler (at exit too) writes out whatever is still queued.
    """

    def __init__(self, *handlers):
        super().__init__(queue.Queue())
        self.listener = QueueListener(self.queue, *handlers, respect_handler_level=True)
        self.listener.start()
        self.targets = handlers
        atexit.register(self.close)

    def handle(self, record):
        # Handler.handle would take this handler's lock: the queue is already safe between threads.
        if self.filter(record):
            self.emit(record)
            return True
        return False

    def flush(self):
        """Return once every record queued so far is written."""
        if self.listener._thread is not None:
            self.queue.join()
        for handler in self.targets:
            handler.flush()

    def close(self):
        if self.listener._thread is not None:
            self.listener.stop()
        for handler in self.targets:
            handler.close()
        atexit.unregister(self.close)
        super().close()


def flush() -> None:
    """Write out every log line queued so far (a test reads the file, an administrator's command ends)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, QueuedHandler):
            handler.flush()


def install(app) -> None:
    """Log each request with its status and time, and each login and logout."""

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        user = user_seen_by_this_request()
        who = user.username if user else "-"
        requests_log.info("%s %s %s %d %.0fms %s", request.remote_addr, request.method, request.path, response.status_code, elapsed, who)
        return response

    user_logged_in.connect(_logged_in, app)
    user_logged_out.connect(_logged_out, app)


def _logged_in(sender, user):
    logins_log.info("login %s from %s", user.username, request.remote_addr)


def _logged_out(sender, user):
    logins_log.info("logout %s from %s", user.username if user else "-", request.remote_addr)
