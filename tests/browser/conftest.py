"""Browser tests: Debian's Chromium, driven by Playwright, against run.py serving with waitress."""
import datetime
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# The machine has no internet: without these Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`python3 run.py serve` on a free port and a fresh database; what it printed is kept.

    `clock`: the moment (naive Vietnam time) the server's clock shows when it starts; it runs on from
    there in real time. `server.set_clock(moment)` moves it while the server runs (`running=False`
    stops it at that moment). Both write the file named by MOTCUA_CLOCK_FILE (see app/clock.py); the
    server re-reads it at its next request. Without `clock` the server has the real clock.
    The `server` fixture starts it at the test's `clock` (tests/conftest.py); what the test itself does
    through the services (receive, act) uses that in-process clock, so move both together:
    `clock.freeze(moment); server.set_clock(moment)`.
    """

    def __init__(self, tmp_path: Path, port: int | None = None, clock: datetime.datetime | None = None):
        self.tmp_path = tmp_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{tmp_path / 'browser.sqlite3'}"
        self.output = ""
        self.process = None
        self.clock_file = tmp_path / "clock.txt" if clock else None
        if clock:
            self.set_clock(clock)

    def set_clock(self, moment: datetime.datetime, running: bool = True):
        """Show `moment` on the server's clock from now on, going on in real time unless `running=False`."""
        from app.clock import write_clock_file

        assert self.clock_file, "start the Server with clock=... to fake its clock"
        write_clock_file(self.clock_file, moment, running)

    def env(self) -> dict:
        """The environment of the server's process: its database and its clock. Give it to `run.py`
        commands run beside the server, so they see the same data and the same time."""
        env = dict(os.environ, DATABASE_URL=self.database_url, PYTHONUNBUFFERED="1")
        if self.clock_file:
            env["MOTCUA_CLOCK_FILE"] = str(self.clock_file)
        return env

    def start(self):
        env = self.env()
        self.log = open(self.tmp_path / f"server-{self.port}.log", "a+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "run.py"), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/dang-nhap", timeout=2)
                break
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.log.seek(0)
        self.output = self.log.read()
        assert self.process.poll() is None, self.output
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        if self.process:
            self.log.close()

    def restart(self):
        """Start again on the same port and database, as after a power cut or an update."""
        self.stop()
        return self.start()

    def first_admin_password(self) -> str:
        match = re.search(r"Mật khẩu:\s+(\S+)", self.output)
        assert match, self.output
        return match.group(1)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing at /usr/bin/chromium; .ci/run installs it (apt-get install chromium).")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(tmp_path, clock):
    """A server whose clock starts where this test's clock stands (tests/conftest.py `clock`) and runs."""
    server = Server(tmp_path, clock=clock.now()).start()
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.js_errors = errors
    yield page
    context.close()
