"""Every POST endpoint of the URL map, fed nasty values with a valid CSRF token: never a 5xx, data stays whole."""
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from app.db import database
from app.models import Dossier, DossierEvent, LoginAttempt, User
from app.rules.status import Action
from app.services.dossiers import act
from tests.conftest import _HASH as TEST_HASH
from tests.conftest import ROLE_USERS, user

NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\t\n",
        "A" * 5000,
        "Nguye\u0302\u0303n Va\u0306n A",
        "Nguyễn Văn Đức",
        "🙂👍🏽",
        "\x00\x01\x1b",
        "<script>alert(1)</script>",
        "' OR 1=1; DROP TABLE dossier; --",
        "0",
        "-3",
        "ba",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "30/02/2026",
        "2026-02-30",
        "1900-01-01",
        "../../etc/passwd",
        "%00",
        "null",
    ]
)
VALUES = st.one_of(NASTY_TEXT, st.text(alphabet=string.printable + "ăâđêôơưĂÂĐÊÔƠƯáàảãạ", max_size=40), st.integers(-10**6, 10**6).map(str))


def _field_names(html: str) -> set[str]:
    return set(re.findall(r'\bname="([^"]+)"', html)) - {"csrf_token"}


def _post_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in rule.methods), key=lambda rule: rule.rule)


def _url(rule, sample) -> str:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        else:
            values[name] = sample.get(name, "x")
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture
def world(app, make_dossier):
    """Dossiers in several statuses, so that routes taking a code or token reach a real one."""
    received = make_dossier(name="Nguyễn Văn An")
    processing = act(make_dossier(name="Trần Thị Bích"), Action.START, user("chuyen_mon"))
    ready = act(act(make_dossier(name="Lê Văn Cường"), Action.START, user("lanh_dao")), Action.APPROVE, user("lanh_dao"), data={"shelf": "Kệ 1"})
    return {"code": processing.code, "token": ready.token, "dossiers": [received, processing, ready]}


def _restore_staff():
    with database.connection_context():
        for role, username in ROLE_USERS.items():
            User.update(password_hash=TEST_HASH, roles_text=role, active=True, must_change_password=False).where(User.username == username).execute()
        LoginAttempt.delete().execute()


def _consistent():
    with database.connection_context():
        assert database.execute_sql("pragma integrity_check").fetchone()[0] == "ok"
        orphans = Dossier.select().where(~Dossier.id.in_(DossierEvent.select(DossierEvent.dossier).where(DossierEvent.action == "receive")))
        assert orphans.count() == 0, "a dossier without its first event"
        codes = Dossier.select(Dossier.code).count()
        assert codes == Dossier.select(Dossier.code).distinct().count()


def test_every_post_endpoint_survives_nasty_values(app, client, auth, world):
    names = set()
    pages = ["/", *[rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and not rule.arguments]]
    for role in ROLE_USERS:
        auth.logout()
        auth.login(role)
        for path in pages:
            response = client.get(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                names |= _field_names(response.get_data(as_text=True))
    names = sorted(names | {"q", "note", "version", "name", "code"})
    rules = _post_rules(app)
    assert rules, "no POST endpoint found"
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        role = sorted(getattr(view, "allowed_roles", None) or ["quan_tri"])[0]
        url = _url(rule, world)

        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(fields=st.lists(st.sampled_from(names), max_size=12), data=st.data(), htmx=st.booleans())
        def fuzz(fields, data, htmx):
            # A fuzzed POST may log the user out, reset a password or take a role away: start each case afresh.
            _restore_staff()
            client.delete_cookie("motcua_session")
            if rule.endpoint != "auth.login":
                auth.login(role)
            token = _form_token(app, rule, url) or auth.csrf("/dang-nhap")
            form = MultiDict([(field, data.draw(VALUES, label=field)) for field in fields])
            form.add("csrf_token", token)
            response = client.post(url, data=form, headers={"HX-Request": "true"} if htmx else {})
            body = response.get_data(as_text=True)
            assert response.status_code < 500, (url, form, body[:500])
            # The token is valid, so each case reaches the view itself rather than the CSRF guard.
            assert "Phiên làm việc của biểu mẫu" not in body, url

        fuzz()
    _consistent()


def _form_token(app, rule, url: str) -> str | None:
    """The CSRF token of a form bound to its page rather than to the session (the status page's rating)."""
    if rule.endpoint != "status.rate":
        return None
    from app.security import page_form_token
    from app.views.status import RATING_FORM

    with app.test_request_context():
        return page_form_token(RATING_FORM, url.split("/")[2])


# What an anonymous visitor can type into an address: absurd and malformed numbers, impossible dates,
# control characters and emoji, in every path parameter and every query argument.
NASTY_URL_VALUES = [
    str(2**63),
    "9" * 30,
    "-1",
    "²",
    "1e309",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "\x00",
    "%0d%0aSet-Cookie:x=1",
    "🙂",
]
# Pairs that only go wrong together: a range from the first day of year 1 to the last of year 9999.
NASTY_QUERY_PAIRS = [
    {"tu_ngay": "0001-01-01", "den_ngay": "9999-12-31"},
    {"tu_ngay": "9999-12-31", "den_ngay": "0001-01-01"},
    {"ky": "9999-12", "tu_ngay": "9999-12-31"},
]


def _get_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"), key=lambda rule: rule.rule)


def _query_names(app, client, auth) -> set[str]:
    """Every argument a GET form or link of the product sends, seen as each role."""
    names = {"next", "trang", "q", "linh_vuc", "tu_ngay", "den_ngay", "ky", "panels", "counter", "seconds"}
    for role in ROLE_USERS:
        auth.logout()
        auth.login(role)
        for rule in _get_rules(app):
            if rule.arguments:
                continue
            response = client.get(rule.rule)
            if response.mimetype != "text/html":
                continue
            html = response.get_data(as_text=True)
            names |= set(re.findall(r'[?&]([a-z_]+)=', html))
            for form in re.findall(r'<form(?![^>]*method="post")[^>]*>(.*?)</form>', html, re.S):
                names |= _field_names(form)
    return names


def _nasty_paths(rule, world):
    """The rule built with each nasty value in each of its parameters, the others left real."""
    real = {name: world.get(name, "x") for name in rule.arguments}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            real[name] = 1
    paths = []
    for name in rule.arguments:
        for value in NASTY_URL_VALUES:
            marker = 424242424242
            built = rule.build({**real, name: marker if isinstance(real[name], int) else value}, append_unknown=False)[1]
            paths.append(built.replace(str(marker), value) if isinstance(real[name], int) else built)
    return paths


def test_every_get_address_survives_nasty_path_and_query_values(app, client, auth, world):
    from urllib.parse import urlencode

    names = sorted(_query_names(app, client, auth))
    failures = []
    for role in [None, *ROLE_USERS]:
        auth.logout()
        _restore_staff()
        if role:
            auth.login(role)
        for rule in _get_rules(app):
            real = rule.build({name: world.get(name, 1 if name.endswith("_id") else "x") for name in rule.arguments}, append_unknown=False)[1]
            queries = [{name: value for name in names} for value in NASTY_URL_VALUES] + NASTY_QUERY_PAIRS
            urls = _nasty_paths(rule, world) + [f"{real}?{urlencode(query)}" for query in queries]
            for url in urls:
                try:
                    status = client.get(url).status_code
                except Exception as error:  # the test client re-raises what would have been a 500
                    status = repr(error)[:120]
                if not isinstance(status, int) or status >= 500:
                    failures.append((role, url[:160], status))
    assert failures == []
