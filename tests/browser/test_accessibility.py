"""axe-core in Chromium over the product's pages: labels, contrast, language, headings; public pages at 360 px."""
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


def _staff_paths(server) -> list[str]:
    database = server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        row = connection.execute("select code from dossier order by id limit 1").fetchone()
    paths = ["/", "/quan-tri/", "/quan-tri/tai-khoan", "/quan-tri/tai-khoan/moi", "/quan-tri/cai-dat", "/quan-tri/nhat-ky", "/doi-mat-khau"]
    optional = ["/tiep-nhan", "/ho-so", "/ho-so/cua-toi", "/tra-ket-qua", "/thong-ke"]
    if row:
        optional.append(f"/ho-so/{row[0]}")
    return paths + optional


def test_public_pages_have_no_serious_violations_at_phone_width(server, audited):
    page = audited.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    problems = {}
    for path in ("/dang-nhap", "/tra-cuu", "/thu-tuc", "/khong-co-trang-nay"):
        response = page.goto(server.url + path)
        if response.status == 404 and path != "/khong-co-trang-nay":
            continue
        found = violations(page)
        if found:
            problems[path] = found
        # Nothing wider than the phone's screen: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    assert problems == {}


def test_staff_pages_have_no_serious_violations(server, audited):
    page = audited.new_page()
    subprocess.run(
        [sys.executable, "run.py", "create-user", "--username", "tatca", "--password", "mat-khau-tat-ca",
         "--role", "tiep_nhan", "--role", "chuyen_mon", "--role", "lanh_dao", "--role", "quan_tri"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": server.database_url}, check=True, capture_output=True,
    )
    _login(page, server, "tatca", "mat-khau-tat-ca")
    problems = {}
    for path in _staff_paths(server):
        response = page.goto(server.url + path)
        if response.status == 404:
            continue
        found = violations(page)
        if found:
            problems[path] = found
    assert problems == {}
