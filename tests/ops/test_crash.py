"""Crash safety, proven by really killing processes: the server mid-save, a backup mid-copy."""
import http.client
import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from app.services import backup
from tests.browser.conftest import ROOT, Server, free_port

CLIENTS = 8
PASSWORD = "mat-khau-123"
# Marriage: same day and free (Luật Hộ tịch 2014 art. 11), so the form needs no fee inputs.
SIMPLE_PROCEDURE = "1.000894"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Officer:
    """One counter officer's browser: logs in, then saves dossiers through the intake form as fast as it can."""

    def __init__(self, url: str, username: str, form: dict):
        self.url = url
        self.form = form
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
        self.login(username)

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> str:
        """POST and return the Location of the 303 answer."""
        try:
            self.opener.open(self.url + path, urllib.parse.urlencode(data).encode(), timeout=30)
        except urllib.error.HTTPError as answer:
            if answer.code == 303:
                return answer.headers["Location"]
            raise
        raise AssertionError(f"{path} did not redirect")

    def token(self, page: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def login(self, username: str) -> None:
        page = self.get("/dang-nhap")
        self.post("/dang-nhap", {"username": username, "password": PASSWORD, "csrf_token": self.token(page)})

    def save_until(self, stop: threading.Event, saved: list) -> None:
        """Each code whose receipt address came back is one the officer saw: it must survive."""
        while not stop.is_set():
            try:
                page = self.get("/tiep-nhan")
                key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
                location = self.post("/tiep-nhan", dict(self.form, csrf_token=self.token(page), idempotency_key=key))
            except (OSError, AttributeError, http.client.HTTPException):
                return  # the server is gone, maybe in the middle of an answer
            saved.append(re.search(r"/ho-so/([^/]+)/bien-nhan", location).group(1))


def run_py(database: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}")
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def intake_form(database: Path) -> dict:
    """A complete dossier of a procedure without fee inputs, every document ticked."""
    db = sqlite3.connect(database)
    procedure_id = db.execute("select id from procedure where code = ? and active", (SIMPLE_PROCEDURE,)).fetchone()[0]
    form = {
        "procedure": str(procedure_id), "applicant_name": "Nguyễn Văn An", "id_number": "042203012345",
        "phone": "0912345678", "address": "Thôn Trung Tiết", "channel": "truc_tiep", "return_method": "tai_quay", "sets": "1",
    }
    for document_id, document_form, count in db.execute("select id, form, count from procedure_document where procedure_id = ?", (procedure_id,)):
        form.update({f"doc_{document_id}": "1", f"doc_{document_id}_form": document_form, f"doc_{document_id}_count": str(count)})
    db.close()
    return form


def kill(server: Server) -> None:
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=10)
    server.log.close()


def test_every_receipted_dossier_survives_a_kill_of_the_server(tmp_path):
    database = tmp_path / "browser.sqlite3"
    for number in range(CLIENTS):
        result = run_py(database, "create-user", "--username", f"quay{number}", "--password", PASSWORD, "--role", "tiep_nhan")
        assert result.returncode == 0, result.stderr
    server = Server(tmp_path).start()
    form = intake_form(database)
    counters = [Officer(server.url, f"quay{number}", form) for number in range(CLIENTS)]
    saved, stop = [], threading.Event()
    threads = [threading.Thread(target=counter.save_until, args=(stop, saved)) for counter in counters]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(saved) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    kill(server)  # mid-flight: the eight counters are still posting
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(saved) >= 40, server.output

    restarted = Server(tmp_path, port=free_port()).start()
    restarted.stop()
    db = sqlite3.connect(database)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    codes = [row[0] for row in db.execute("select code from dossier")]
    assert len(codes) == len(set(codes))
    missing = set(saved) - set(codes)
    assert not missing, f"{len(missing)} receipted dossiers lost"
    received = {row[0] for row in db.execute("select d.code from dossier d join dossier_event e on e.dossier_id = d.id where e.action = 'receive'")}
    assert set(codes) <= received, "a dossier without its receive event"
    db.close()


def test_a_second_server_on_the_same_database_is_refused_and_a_killed_one_restarts(tmp_path):
    server = Server(tmp_path).start()
    second = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "serve", "--host", "127.0.0.1", "--port", str(free_port())],
        cwd=ROOT, env=dict(os.environ, DATABASE_URL=server.database_url), capture_output=True, text=True, timeout=60,
    )
    assert second.returncode == 1
    assert "đang chạy trên cơ sở dữ liệu này" in second.stderr
    kill(server)
    again = Server(tmp_path, port=free_port()).start()
    again.stop()
    log = (tmp_path / "logs" / "motcua.log").read_text(encoding="utf-8")
    assert "GET /dang-nhap 200" in log


HALF_BACKUP = """
import sys
from pathlib import Path
from app.services import backup
print("copying", flush=True)
backup.make_backup(Path(sys.argv[1]), step_pages=8, pause=0.02)
"""


@pytest.mark.sqlite_only
def test_a_kill_in_the_middle_of_a_backup_harms_nothing(app, db, tmp_path):
    from app.models import Notice

    # A few megabytes copied eight pages at a time: the copy takes seconds, time enough to be cut.
    Notice.insert_many([{"text": f"Thông báo số {number} " + "lịch làm việc " * 150} for number in range(2000)]).execute()
    live = Path(db.obj.database)
    before = sqlite3.connect(live).execute("select count(*), sum(length(text)) from notice").fetchone()
    helper = subprocess.Popen([sys.executable, "-c", HALF_BACKUP, str(live)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert helper.stdout.readline().strip() == "copying"
    folder = backup.folder_for(live)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(path.stat().st_size > 64 * 1024 for path in folder.glob("*.partial")):
        time.sleep(0.01)
    helper.send_signal(signal.SIGKILL)
    helper.wait(timeout=10)
    helper.stdout.close()

    [partial] = folder.glob("*.partial")
    assert backup.list_backups(live) == []
    with pytest.raises(backup.BackupError):
        backup.inspect(partial)
    check = sqlite3.connect(live)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("select count(*), sum(length(text)) from notice").fetchone() == before
    check.close()
    assert backup.remove_stale_partials(live) >= 1
    assert backup.make_backup(live).path.exists()
    assert [path.suffix for path in folder.iterdir()] == [".sqlite3"]
