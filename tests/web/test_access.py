"""Every route of the URL map: public ones are the SPEC's, staff ones admit only their roles, every POST needs CSRF."""
import re

import pytest
from werkzeug.routing import IntegerConverter

from app import create_app
from app.models import ROLES

PUBLIC_PREFIXES = ("/tra-cuu", "/bang-tin", "/thu-tuc", "/dang-nhap", "/lay-so", "/static/")


def _app_for_listing():
    return create_app({"TESTING": True, "DATABASE_URL": "sqlite:///:memory:", "SECRET_KEY": "x" * 64})


def _example_url(rule) -> str:
    """A concrete URL for a rule; the arguments need not exist (the role check comes first)."""
    values = {}
    for name, converter in rule._converters.items():
        values[name] = 1 if isinstance(converter, IntegerConverter) else "x"
    url = rule.build(values, append_unknown=False)[1]
    return url


def _rules():
    app = _app_for_listing()
    return [rule for rule in app.url_map.iter_rules()], app


RULES, LISTING_APP = _rules()
STAFF_RULES = [r for r in RULES if not getattr(LISTING_APP.view_functions[r.endpoint], "is_public", False) and r.endpoint != "static"]
POST_RULES = [r for r in RULES if "POST" in r.methods]


def test_public_endpoints_are_only_the_specs_addresses():
    for rule in RULES:
        view = LISTING_APP.view_functions[rule.endpoint]
        if getattr(view, "is_public", False) or rule.endpoint == "static":
            assert rule.rule.startswith(PUBLIC_PREFIXES), rule.rule
        else:
            assert getattr(view, "allowed_roles", None), f"{rule.endpoint} states no roles"


@pytest.mark.parametrize("rule", STAFF_RULES, ids=lambda r: f"{r.endpoint}")
def test_staff_route_sends_anonymous_users_to_login(client, rule):
    url = _example_url(rule)
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        response = client.open(url, method=method)
        if method == "POST":
            # Without a session there is no CSRF token either: refused before anything else.
            assert response.status_code in (302, 400), (method, url)
            continue
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/dang-nhap?next="), url


@pytest.mark.parametrize("rule", STAFF_RULES, ids=lambda r: f"{r.endpoint}")
def test_staff_route_refuses_wrong_roles(client, auth, app, rule):
    view = app.view_functions[rule.endpoint]
    url = _example_url(rule)
    token = None
    for role in sorted(set(ROLES) - view.allowed_roles):
        auth.login(role)
        token = auth.csrf("/")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code == 403, (role, method, url)
            assert "Bạn không có quyền truy cập trang này." in response.get_data(as_text=True)
        auth.logout()


@pytest.mark.parametrize("rule", STAFF_RULES, ids=lambda r: f"{r.endpoint}")
def test_staff_route_admits_its_roles(client, auth, app, rule):
    view = app.view_functions[rule.endpoint]
    url = _example_url(rule)
    if "GET" not in rule.methods:
        return
    for role in sorted(view.allowed_roles):
        auth.login(role)
        assert client.get(url).status_code in (200, 302, 303, 404), (role, url)
        auth.logout()


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: f"{r.endpoint}")
def test_every_post_needs_a_csrf_token(client, auth, app, rule):
    view = app.view_functions[rule.endpoint]
    roles = sorted(getattr(view, "allowed_roles", ()) or ["quan_tri"])
    auth.login(roles[0])
    url = _example_url(rule)
    for data in ({}, {"csrf_token": "gia-mao"}):
        response = client.post(url, data=data)
        assert response.status_code == 400, (url, data)
        assert "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ" in response.get_data(as_text=True)


def test_security_headers_on_pages(client, auth):
    for path in ("/dang-nhap", "/khong-co-trang-nay"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp


def test_no_inline_script_in_pages(client, auth):
    auth.login("quan_tri")
    for path in ("/", "/quan-tri/", "/quan-tri/tai-khoan", "/quan-tri/cai-dat", "/quan-tri/nhat-ky"):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert not re.search(r"<[^>]*\son[a-z]+=", page), f"inline event handler on {path}"


def test_errors_are_vietnamese_pages_and_fragments(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang bạn yêu cầu." in response.get_data(as_text=True)
    assert "<html" in response.get_data(as_text=True)
    fragment = client.get("/khong-co-trang-nay", headers={"HX-Request": "true"})
    assert fragment.status_code == 404
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Không tìm thấy" in fragment.get_data(as_text=True)


def test_static_serves_nothing_outside_its_folder(client):
    for path in ("/static/../app/__init__.py", "/static/%2e%2e/run.py", "/static/..%2fdb/secret_key"):
        assert client.get(path).status_code == 404, path
