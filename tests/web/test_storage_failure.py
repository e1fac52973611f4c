"""A failing, full or read-only disk: the counter is told THIS dossier was not saved and keeps what was typed."""
import html
import os
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import OperationalError

from app.models import Dossier, DossierEvent, GuidanceSlip
from app.rules.status import Action
from tests.web.test_intake import counter_staff, valid_form  # noqa: F401 (fixtures and the form a counter types)

ROOT = Path(__file__).resolve().parents[2]
FAILURES = ["attempt to write a readonly database", "disk I/O error", "database or disk is full"]


def _failing_writes(monkeypatch, message):
    def refuse(*args, **kwargs):
        raise OperationalError(message)

    # The first write of a save (the day's number, the slip's number) is where SQLite says no.
    monkeypatch.setattr("app.services.dossiers._next_sequence", refuse)
    monkeypatch.setattr("app.services.intake.issue_slip", refuse)


@pytest.mark.parametrize("message", FAILURES)
def test_intake_says_this_dossier_was_not_saved_and_keeps_the_form(client, counter_staff, monkeypatch, message):
    data = valid_form(client, applicant_name="Trần Thị Gõ Phím", address="Xóm Bến Đò, thôn 3")
    _failing_writes(monkeypatch, message)
    response = client.post("/tiep-nhan", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 503
    assert "Hồ sơ này chưa có biên nhận và CHƯA được lưu" in page
    assert "Dữ liệu đã lưu không bị ảnh hưởng" not in page
    for typed in ("Trần Thị Gõ Phím", "Xóm Bến Đò, thôn 3", "042203012345", data["idempotency_key"]):
        assert f'value="{typed}"' in page, typed
    assert Dossier.select().count() == 0
    monkeypatch.undo()


def test_a_guidance_slip_not_saved_says_so_and_keeps_the_form(client, counter_staff, monkeypatch):
    data = valid_form(client, applicant_name="Lê Văn Chờ", note="Thiếu tờ khai")
    _failing_writes(monkeypatch, "attempt to write a readonly database")
    response = client.post("/tiep-nhan/tu-choi", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 503
    assert "Phiếu này chưa in được và CHƯA được lưu" in page
    assert 'value="Lê Văn Chờ"' in page
    assert GuidanceSlip.select().count() == 0


def test_any_other_action_on_a_failing_disk_answers_503_not_saved(client, auth, make_dossier, monkeypatch):
    dossier = make_dossier()

    def refuse(*args, **kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr("app.views.processing.act", refuse)
    auth.login("lanh_dao")
    response = auth.post(f"/ho-so/{dossier.code}/thao-tac", data={"action": "start", "version": 1}, token_from=f"/ho-so/{dossier.code}")
    assert response.status_code == 503
    assert "CHƯA được lưu" in response.get_data(as_text=True)
    assert DossierEvent.select().where(DossierEvent.dossier == dossier, DossierEvent.action == Action.START).count() == 0


def _as_nobody():
    os.setgid(65534)
    os.setuid(65534)


def _as_someone_who_cannot_write(folder: Path):
    """Run as a user without write permission on `folder`: nobody when root (root writes anywhere), else chmod."""
    if os.geteuid() == 0:
        try:
            probe = subprocess.run([sys.executable, "-c", "import flask, peewee"], preexec_fn=_as_nobody, capture_output=True, timeout=60)
        except PermissionError:
            probe = None
        if probe is None or probe.returncode != 0:
            pytest.skip("this Python cannot be run by the user nobody; the in-process tests below cover the message")
        return {"preexec_fn": _as_nobody}
    folder.chmod(0o555)
    return {}


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("command", ["migrate", "serve"])
@pytest.mark.parametrize("existing", [True, False], ids=["with-database", "empty-folder"])
def test_a_read_only_db_folder_gives_a_vietnamese_message(tmp_path, command, existing):
    folder = tmp_path / "db"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder / 'motcua.sqlite3'}")
    if existing:
        assert subprocess.run([sys.executable, str(ROOT / "run.py"), "migrate"], env=env, capture_output=True, timeout=120).returncode == 0
    else:
        folder.mkdir()
    tmp_path.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)
    folder.chmod(0o755)
    extra = _as_someone_who_cannot_write(folder)
    arguments = [command, "--port", "0"] if command == "serve" else [command]
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *arguments], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, **extra
    )
    folder.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "Lỗi: " in result.stderr and f"cần quyền đọc và ghi thư mục {folder}" in result.stderr


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (PermissionError(13, "Permission denied", "/srv/motcua/db/secret_key"), "Lỗi: không có quyền ghi vào /srv/motcua/db/secret_key."),
        (OperationalError("attempt to write a readonly database"), "Lỗi: không ghi được vào cơ sở dữ liệu (attempt to write a readonly database)."),
        (OperationalError("disk I/O error"), "Lỗi: không ghi được vào cơ sở dữ liệu (disk I/O error)."),
    ],
)
@pytest.mark.parametrize("where", ["create_app", "migrate"])
def test_start_up_on_an_unwritable_database_prints_a_sentence(tmp_path, monkeypatch, capsys, failure, expected, where):
    from app import cli

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db' / 'motcua.sqlite3'}")
    monkeypatch.setattr(cli, "private_files", lambda: None)  # the umask would outlive this test
    monkeypatch.setattr(cli, where, fail)
    assert cli.main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(expected)
    assert f"cần quyền đọc và ghi thư mục {tmp_path / 'db'}" in err and "Traceback" not in err
