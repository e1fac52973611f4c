"""Walk every GET page of the URL map as each role: headers, language, CSP-safe markup, well-formed HTML."""
import re

import html5lib
import pytest
from werkzeug.routing import IntegerConverter

from app.rules.status import Action
from app.services.dossiers import act
from tests.conftest import ROLE_USERS, user

EXTERNAL = re.compile(r'(?:src|href|action)="(?:https?:)?//(?!127\.0\.0\.1|localhost)[^"]+"')


@pytest.fixture
def sample(make_dossier):
    dossier = act(make_dossier(name="Phạm Thị Dung"), Action.START, user("chuyen_mon"))
    return {"code": dossier.code, "token": dossier.token, "procedure_code": dossier.procedure_code}


def _urls(app, sample):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                values[name] = 1
            elif name in sample:
                values[name] = sample[name]
            elif name in ("procedure", "procedure_code"):
                values[name] = sample["procedure_code"]
            else:
                values[name] = "x"
        yield rule, rule.build(values, append_unknown=False)[1]


def _check_page(url, response):
    assert response.status_code < 500, url
    assert response.headers["X-Content-Type-Options"] == "nosniff", url
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
    if response.mimetype != "text/html" or response.status_code in (301, 302, 303, 304):
        return
    page = response.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), f"inline script on {url}"
    assert not re.search(r'\sstyle="', page), f"inline style attribute on {url} (blocked by the CSP)"
    assert not re.search(r"\son[a-z]+=\"", page), f"inline event handler on {url}"
    assert not EXTERNAL.search(page), f"something loaded from outside the LAN on {url}"
    if "<html" in page:
        assert '<html lang="vi">' in page, url
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        try:
            parser.parse(page)
        except html5lib.html5parser.ParseError as error:
            line = page.splitlines()[max(parser.errors[0][0][0] - 1, 0)] if parser.errors else ""
            raise AssertionError(f"{url}: {error} near: {line.strip()[:200]}") from None


def test_every_page_for_every_role_is_safe_and_well_formed(app, client, auth, sample):
    seen = 0
    for role in [None, *ROLE_USERS]:
        client.delete_cookie("motcua_session")
        if role:
            auth.login(role)
        for rule, url in _urls(app, sample):
            response = client.get(url)
            _check_page(url, response)
            seen += response.status_code == 200
    assert seen > len(ROLE_USERS)
