"""Public pages kept in memory until the database changes or the minute turns.

The status page, the board's fragments and the catalogue are read far more often than anything
changes: a TV polls every few seconds and a queue of citizens scan their receipts. A cached copy is
valid while no connection has committed to the database (SQLite's `PRAGMA data_version`, read
through a connection of its own, sees every commit, from this process or another) and within the
same minute (pages show the time and whether an appointment has passed). Only what an anonymous
visitor gets is kept: a request with cookies, a page carrying a CSRF token or setting a cookie is
never stored, so nobody receives another person's page.
"""
import functools
import sqlite3
import threading
from collections import OrderedDict

from flask import current_app, g, make_response, request

from .clock import now
from .db import sqlite_path

MAX_PAGES = 512


class PageCache:
    def __init__(self, database_file):
        self._watch = sqlite3.connect(str(database_file), check_same_thread=False)
        self._lock = threading.Lock()
        self._pages: OrderedDict = OrderedDict()

    def data_version(self) -> int:
        with self._lock:
            return self._watch.execute("pragma data_version").fetchone()[0]

    def get(self, key):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)


def init_app(app) -> None:
    """A cache for this app's database, when it is an SQLite file and the setting allows it."""
    path = sqlite_path(app.config["DATABASE_URL"])
    if app.config.get("PAGE_CACHE", True) and path is not None and path.name != ":memory:":
        app.extensions["page_cache"] = PageCache(path)


def _key(cache: PageCache):
    return (request.full_path, request.headers.get("HX-Request", ""), cache.data_version(), now().strftime("%Y%m%d%H%M"))


def cached_public_page(view):
    """Serve the anonymous visitor's copy of this page from memory while it is still true."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        cache = current_app.extensions.get("page_cache")
        if cache is None or request.cookies:
            return view(*args, **kwargs)
        key = _key(cache)
        page = cache.get(key)
        if page is not None:
            body, status, headers = page
            return make_response(body, status, headers).make_conditional(request)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and "Set-Cookie" not in response.headers and "csrf_token" not in g:
            headers = [(name, value) for name, value in response.headers.items() if name.lower() != "content-length"]
            cache.put(key, (response.get_data(), 200, headers))
        return response

    return wrapped
