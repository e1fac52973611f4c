"""Fixtures in flaskr's manner: an app on a temporary SQLite file, a client, and logins per role.

With MOTCUA_TEST_DATABASE_URL set to a PostgreSQL server (postgresql://user@host:port/name), the app
fixture runs on PostgreSQL instead: each pytest worker gets its own database (name_gw0, ...), emptied and
migrated afresh for every test. Tests of what only SQLite has (pragmas, the WAL, the file's backups)
are marked `sqlite_only` and skipped there.
"""
import datetime
import os
import re

import pytest

from app import create_app
from app.db import database
from app.migrations import migrate
from app.models import User
from app.views.auth import hash_password

PASSWORD = "mat-khau-thu-nghiem"
ROLE_USERS = {
    "tiep_nhan": "tiepnhan",
    "chuyen_mon": "chuyenmon",
    "lanh_dao": "lanhdao",
    "quan_tri": "quantri",
}
# One hash for every test user: hashing is deliberately slow and the suite makes many users.
_HASH = hash_password(PASSWORD)
# The grounds the counter picks for an everyday birth or death registration, made in time: Luật Hộ tịch
# 2014 art. 11 waives the fee, which the province charges only for a late one.
TIMELY_REGISTRATION = {
    "1.001193": "Đăng ký khai sinh đúng hạn, trong 60 ngày kể từ ngày sinh (Luật Hộ tịch 2014, Điều 11 khoản 1 điểm b; Điều 15)",
    "1.000656": "Đăng ký khai tử đúng hạn, trong 15 ngày kể từ ngày chết (Luật Hộ tịch 2014, Điều 11 khoản 1 điểm b; Điều 33)",
}
# Where the center's clock stands in every test unless the test moves it: a Monday morning, working day.
TEST_MOMENT = datetime.datetime(2026, 11, 30, 10, 0)


@pytest.fixture(autouse=True)
def clock():
    """The center's clock (`app.clock`), stopped at TEST_MOMENT for every test, so no test sees the real
    date or hour. A test that needs another moment calls `clock.freeze(moment)` or `clock.advance(delta)`;
    every module that imported `now`/`today` sees it. The real clock comes back after the test."""
    from app import clock as center_clock

    center_clock.freeze(TEST_MOMENT)
    yield center_clock
    center_clock.reset()


# The PostgreSQL server the suite runs on instead of SQLite, when set (see .ci/run).
POSTGRES_URL = os.environ.get("MOTCUA_TEST_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgres")


def pytest_collection_modifyitems(config, items):
    if not ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="SQLite only: the test is about SQLite itself (pragmas, WAL, its file)")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres_url(worker_id):
    """This worker's own PostgreSQL database, made once for the session."""
    import psycopg

    name = f"{POSTGRES_URL.rsplit('/', 1)[1]}_{worker_id}"
    with psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}"


_current = {}


def app_database_url(tmp_path) -> str:
    """The URL of the test's app database, for a `run.py` command run beside it."""
    return _current["url"] if ON_POSTGRES else f"sqlite:///{tmp_path / 'test.sqlite3'}"


def fresh_database_url(request, tmp_path, name="test") -> str:
    """A new, empty database for one test: an SQLite file, or this worker's PostgreSQL database emptied."""
    if not ON_POSTGRES:
        return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
    import psycopg

    url = _current["url"] = request.getfixturevalue("postgres_url")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
    return url


@pytest.fixture
def database_url(request, tmp_path, monkeypatch):
    if ON_POSTGRES:
        # The files that go with a PostgreSQL database (key, logs, voice clips, backups): the test's own.
        monkeypatch.setenv("MOTCUA_DATA_FOLDER", str(tmp_path))
    return fresh_database_url(request, tmp_path)


@pytest.fixture
def app(database_url):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "x" * 64})
    with database.connection_context():
        migrate(database)
        for role, username in ROLE_USERS.items():
            User.create(username=username, full_name=f"Cán bộ {username}", password_hash=_HASH, roles_text=role)
    yield app
    if not database.is_closed():
        database.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Auth:
    """Log in and out as a given role, the way a person does: through the login form."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path="/dang-nhap") -> str:
        return csrf_token_from(self.client.get(path).get_data(as_text=True))

    def login(self, role="quan_tri", username=None, password=PASSWORD):
        username = username or ROLE_USERS[role]
        return self.client.post("/dang-nhap", data={"username": username, "password": password, "csrf_token": self.csrf()})

    def logout(self):
        return self.client.post("/dang-xuat", data={"csrf_token": self.csrf("/dang-nhap")})

    def post(self, path, data=None, **kwargs):
        """POST a form with a valid CSRF token taken from the page at `path` (or the home page)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(kwargs.pop("token_from", "/")))
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def db(app):
    """A connection for tests that read or write the database directly."""
    with database.connection_context():
        yield database


@pytest.fixture
def catalogue(db):
    """The seed catalogue and four counters, as on a new center's first day; the test specialist processes every field."""
    from app.models import Counter, Field, UserField
    from app.services.catalogue import seed_if_empty

    seed_if_empty()
    for number in range(1, 5):
        Counter.get_or_create(name=f"Quầy {number}", defaults={"order": number})
    for field in Field.select():
        UserField.get_or_create(user=user("chuyen_mon"), field=field)
    return db


def user(role: str):
    return User.get(User.username == ROLE_USERS[role])


@pytest.fixture
def make_dossier(catalogue):
    """Receive a dossier through the same service the counter uses: make_dossier('2.000815', fee_inputs={'pages': 7}).
    A birth or death registration is made in time unless the test gives its own fee_inputs ({} for a late one)."""
    import datetime

    from app.models import Counter, Procedure
    from app.services.dossiers import Application, receive

    def make(code="1.001193", received_at=None, name="Nguyễn Văn An", **changes):
        procedure = Procedure.get(Procedure.code == code)
        fee_inputs = changes.pop("fee_inputs", {"ground": TIMELY_REGISTRATION[code]} if code in TIMELY_REGISTRATION else {})
        application = Application(procedure=procedure, applicant_name=name, id_number="001203012345", phone="0912345678", address="Thôn Trung Tiết", fee_inputs=fee_inputs, **changes)
        received_at = received_at or datetime.datetime(2026, 11, 30, 9, 0)
        return receive(application, user("tiep_nhan"), Counter.get(Counter.name == "Quầy 1"), received_at)

    return make
