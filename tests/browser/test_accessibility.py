"""axe-core in Chromium over every page of the product (labels, contrast, language, headings), on a
database with demo dossiers in every state: public pages at 360 px, the board on a TV, staff pages."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
SERIOUS = {"serious", "critical"}


def violations(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{item['id']} ({item['impact']}): {item['help']} — {[node['target'] for node in item['nodes']][:3]}"
        for item in result
        if item["impact"] in SERIOUS
    ]


@pytest.fixture
def audited(browser):
    # axe is evaluated into the page; the product's CSP rightly forbids that, so the audit context bypasses it.
    context = browser.new_context(bypass_csp=True, locale="vi-VN")
    yield context
    context.close()


def _login(page, server, username, password):
    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def _fill(server) -> dict:
    """Demo dossiers in every state and a user with every role on the server's database; what the pages need."""
    env = {**os.environ, "DATABASE_URL": server.database_url}
    if server.clock_file:
        # The demo dossiers are made up to the server's moment, not the real one: at 23:50 or on a
        # holiday the real clock leaves no dossier in some states.
        env["MOTCUA_CLOCK_FILE"] = str(server.clock_file)
    for command in (
        ["demo-data", "--dossiers", "1000", "--seed", "11"],
        ["create-user", "--username", "tatca", "--password", "mat-khau-tat-ca", "--role", "tiep_nhan", "--role", "chuyen_mon", "--role", "lanh_dao", "--role", "quan_tri"],
    ):
        subprocess.run([sys.executable, "run.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(server.database_url.removeprefix("sqlite:///")) as connection:
        by_status = dict(connection.execute("select status, token from dossier group by status").fetchall())
        code, token, procedure_code = connection.execute("select code, token, procedure_code from dossier where status = 'processing' limit 1").fetchone()
    return {"tokens": by_status, "sample": {"code": code, "token": token, "procedure_code": procedure_code}}


def _every_get_page(sample) -> list[str]:
    """Every GET address of the product, filled in the way the security walk fills it."""
    from app import create_app
    from tests.security.test_page_walk import _urls

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///:memory:", "SECRET_KEY": "x" * 64})
    return [url for _rule, url in _urls(app, sample)]


def _audit(page, server, paths, width=None) -> dict:
    """{path: [serious violations]} over the full HTML pages among `paths` (exports and fragments are skipped)."""
    problems = {}
    for path in paths:
        answer = page.request.get(server.url + path)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", "") or "<html" not in answer.text():
            continue
        page.goto(server.url + path)
        found = violations(page)
        if found:
            problems[path] = found
        if width:
            # Nothing wider than the phone's screen: no sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    return problems


def test_public_pages_have_no_serious_violations_at_phone_width(server, audited):
    filled = _fill(server)
    page = audited.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    paths = ["/dang-nhap", "/tra-cuu", "/thu-tuc", f"/thu-tuc/{filled['sample']['procedure_code']}"]
    # The status page as the citizen sees it in every state a dossier can be in.
    paths += [f"/tra-cuu/{token}" for token in filled["tokens"].values()]
    assert len(filled["tokens"]) >= 6, filled["tokens"]
    assert _audit(page, server, paths, width=360) == {}
    page.goto(server.url + "/khong-co-trang-nay")
    assert violations(page) == []


def test_wall_board_has_no_serious_violations_on_a_tv(server, audited):
    _fill(server)
    page = audited.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    assert _audit(page, server, ["/bang-tin"]) == {}


def test_every_staff_page_has_no_serious_violations(server, audited):
    filled = _fill(server)
    page = audited.new_page()
    _login(page, server, "tatca", "mat-khau-tat-ca")
    paths = [path for path in _every_get_page(filled["sample"]) if not path.startswith(("/bang-tin", "/dang-xuat"))]
    assert len(paths) > 40
    assert _audit(page, server, paths) == {}
