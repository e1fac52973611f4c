"""Every POST endpoint of the URL map, fed nasty values with a valid CSRF token: never a 5xx, data stays whole."""
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkzeug.datastructures import MultiDict

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
        if converter.__class__.__name__ == "IntegerConverter":
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
            token = auth.csrf("/dang-nhap")
            form = MultiDict([(field, data.draw(VALUES, label=field)) for field in fields])
            form.add("csrf_token", token)
            response = client.post(url, data=form, headers={"HX-Request": "true"} if htmx else {})
            body = response.get_data(as_text=True)
            assert response.status_code < 500, (url, form, body[:500])
            # The token is valid, so each case reaches the view itself rather than the CSRF guard.
            assert "Phiên làm việc của biểu mẫu" not in body, url

        fuzz()
    _consistent()
