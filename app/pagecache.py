"""Public pages kept in memory until the database changes or the minute turns.

The status page, the board's fragments and the catalogue are read far more often than anything
changes: a TV polls every few seconds and a queue of citizens scan their receipts. A cached copy is
valid while no connection has committed to the database (SQLite's `PRAGMA data_version`, read
through a connection of its own, sees every commit, from this process or another) and within the
same minute (pages show the time and whether an appointment has passed).

PostgreSQL has no data_version. Its stand-in is the `change_counter` row (migration m0017): a trigger on
every table adds one to it in every statement that writes, inside the writing transaction. Other
connections therefore see the new number exactly when they can see the new rows, at the commit, never
before (a page rendered from the old rows could otherwise be kept under the new number) and never
after (the new rows would then be served under the old number). The cache reads it through its own
connection in autocommit mode, one short query per request it could answer, so it sees every commit
from any process, like the pragma. When the counter cannot be read (the server restarting, a schema not
migrated yet), the request goes through the app and nothing is kept.

Only what an anonymous visitor gets is kept: a request with cookies is never answered from memory,
and a page that carries a CSRF token or sets a cookie is never stored, so nobody receives another
person's page. Views opt in with `cached_public_page`; the copy is taken and served by a small WSGI
layer in front of Flask, so a page served from memory costs a dictionary lookup, not a request
through the whole framework. Those pages are counted and the log gets one line a minute with the
count, not a line each: a line each (the logging module's locks, taken by eight threads at once)
cost a third of the throughput (wrk, 16 connections: 2,000 against 3,150 requests per second).
"""
import functools
import sqlite3
import threading
from collections import OrderedDict

from flask import g, request

from .clock import now
from .db import POSTGRES_CONNECT_TIMEOUT, is_postgres_url, sqlite_path

MAX_PAGES = 512
CACHEABLE = "motcua.cacheable"
DATA_VERSION = "motcua.data_version"


class PageCache:
    def __init__(self, database_file):
        self._file = str(database_file)
        # Each server thread watches through a connection of its own. One shared connection needed a
        # lock around the pragma, which waits on SQLite's file locks with the GIL released: the eight
        # threads queued there and at every put behind it, a quarter of the status page's wall time
        # over distinct tokens (py-spy, 100.000 dossiers).
        self._watches = threading.local()
        self._generation = 0
        self._generation_lock = threading.Lock()
        self._lock = threading.Lock()
        self._pages: OrderedDict = OrderedDict()
        self._served = 0

    def take_served(self) -> int:
        """How many pages were served from memory since the last call."""
        with self._lock:
            served, self._served = self._served, 0
            return served

    def data_version(self) -> int | None:
        """A number that is larger after any commit than every number given out before it.

        Each connection's `data_version` counts on its own, so the numbers of two threads' connections
        cannot be compared. Each thread remembers its connection's last value; the first time it finds
        it moved, it moves the shared generation on. Every thread's connection sees every commit, so
        whichever thread asks after a commit moves the generation past all it was before (the others,
        finding their own change later, move it again: a page more is built, none is served stale).
        """
        watches = self._watches
        watch = getattr(watches, "connection", None)
        if watch is None:
            watch = watches.connection = sqlite3.connect(self._file, check_same_thread=False)
            watches.seen = None
        seen = watch.execute("pragma data_version").fetchone()[0]
        if seen != watches.seen:
            with self._generation_lock:
                self._generation += 1
            watches.seen = seen
        return self._generation

    def get(self, key):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                self._served += 1
            return page

    def put(self, key, page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)


class PostgresPageCache(PageCache):
    """The same cache on PostgreSQL, keyed on the change counter read through a connection of its own."""

    def __init__(self, url: str):
        self._url = url
        self._watch = None
        self._lock = threading.Lock()
        self._pages: OrderedDict = OrderedDict()
        self._served = 0

    def data_version(self) -> int | None:
        import psycopg

        from .migrations.m0017_change_counter import current

        with self._lock:
            try:
                if self._watch is None or self._watch.closed:
                    self._watch = psycopg.connect(self._url, autocommit=True, connect_timeout=POSTGRES_CONNECT_TIMEOUT)
                return current(self._watch)
            except psycopg.Error:
                # Connect again at the next request; until then, pages come from the app.
                if self._watch is not None:
                    self._watch.close()
                self._watch = None
                return None


class PageCacheMiddleware:
    """Answer an anonymous GET from memory when its page is stored; store the pages views allow."""

    def __init__(self, wsgi_app, cache: PageCache, log, config):
        self.wsgi_app = wsgi_app
        self.cache = cache
        self.log = log
        self.config = config
        self._minute = None
        self._minute_lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_COOKIE") or not self.config["PAGE_CACHE"]:
            return self.wsgi_app(environ, start_response)
        minute = now().strftime("%Y%m%d%H%M")
        if minute != self._minute:
            self._log_served(minute)
        version = self.cache.data_version()
        if version is None:
            return self.wsgi_app(environ, start_response)
        # The settings read by this page are kept under the same version (app/settings.py).
        environ[DATA_VERSION] = version
        key = (
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            # Every header `pages.wants_fragment` reads: one visitor's headers must not pick another's answer.
            environ.get("HTTP_HX_REQUEST", ""),
            environ.get("HTTP_HX_BOOSTED", ""),
            environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST", ""),
            version,
            minute,
        )
        page = self.cache.get(key)
        if page is not None:
            return self._from_memory(environ, start_response, page)
        answer = {}

        def keep_status(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return start_response(status, headers) if exc_info is None else start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, keep_status)
        if not environ.get(CACHEABLE) or not answer["status"].startswith("200 "):
            return body
        if any(name.lower() == "set-cookie" for name, _ in answer["headers"]):
            return body
        data = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        self.cache.put(key, (answer["status"], answer["headers"], data))
        return [data]

    def _log_served(self, minute: str) -> None:
        """At the first request of a minute, one line for the pages served from memory since the last one."""
        with self._minute_lock:
            if minute == self._minute:
                return
            self._minute = minute
            served = self.cache.take_served()
        if served:
            self.log.info("%d public pages served from memory since the previous count", served)

    def _from_memory(self, environ, start_response, page):
        status, headers, data = page
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        if etag and etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            status, data = "304 Not Modified", b""
            headers = [(name, value) for name, value in headers if name.lower() not in ("content-length", "content-type")]
        start_response(status, headers)
        return [data]


def init_app(app) -> None:
    """Put the cache in front of the app when its database is an SQLite file or PostgreSQL and the setting allows it."""
    from .logs import requests_log

    url = app.config["DATABASE_URL"]
    path = sqlite_path(url)
    app.config.setdefault("PAGE_CACHE", True)
    if path is not None and path.name != ":memory:":
        cache = PageCache(path)
    elif is_postgres_url(url):
        cache = PostgresPageCache(url)
    else:
        return
    app.extensions["page_cache"] = cache
    app.wsgi_app = PageCacheMiddleware(app.wsgi_app, cache, requests_log, app.config)


def current_data_version():
    """The database's version now (it changes at every commit, from any connection or process), for
    what the app keeps beside the pages: the settings, the catalogue in force. None when the app
    watches no database (in memory) or a write transaction is open, which may hold changes not yet
    committed: the caller then reads afresh."""
    from flask import current_app, has_app_context, has_request_context

    from .db import database

    if not has_app_context() or database.in_transaction():
        return None
    if has_request_context() and DATA_VERSION in request.environ:
        # An anonymous page the cache checked a moment ago (it writes nothing): the same version.
        return request.environ[DATA_VERSION]
    cache = current_app.extensions.get("page_cache")
    return cache.data_version() if cache is not None else None


def kept_with_version(name: str, build, key=None):
    """`build()`, kept in the app under `name` with the database's version (and `key`, such as a day) and
    built again at the first call after any commit. Only what is the same for everyone may be kept
    (the settings, the catalogue in force), never a person's data. Without a version (a database in
    memory, an open write transaction) it is built every time."""
    from flask import current_app

    version = current_data_version()
    if version is None:
        return build()
    kept = current_app.extensions.get(name)
    if kept is not None and kept[0] == (version, key):
        return kept[1]
    # Built after the version was read: a commit in between only makes the next call build it again.
    value = build()
    current_app.extensions[name] = ((version, key), value)
    return value


def cached_public_page(view):
    """Allow the anonymous visitor's copy of this page to be kept, unless it carries a CSRF token."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        response = view(*args, **kwargs)
        if "csrf_token" not in g:
            request.environ[CACHEABLE] = True
        return response

    return wrapped
