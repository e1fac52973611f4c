"""The administration's backup page: list with size and date, back up now, download, and who may."""
import datetime
import sqlite3
from pathlib import Path

import pytest

from app.models import AuditLog
from app.services import backup
from tests.conftest import ON_POSTGRES


@pytest.fixture
def source(app, tmp_path):
    """What the page backs up: the test's SQLite file, or its PostgreSQL database with dumps in tmp_path."""
    app.config["BACKUP_FOLDER"] = tmp_path / "backups"
    return backup.source_for(app.config["DATABASE_URL"], app.config["BACKUP_FOLDER"])


def test_page_lists_backups_with_date_and_size(client, auth, db, source):
    backup.make_backup(source, at=datetime.datetime(2026, 11, 30, 11, 30))
    auth.login("quan_tri")
    page = client.get("/quan-tri/sao-luu").get_data(as_text=True)
    assert backup.backup_name(source, datetime.datetime(2026, 11, 30, 11, 30)) in page
    assert "11:30 30/11/2026" in page
    assert " KB" in page or " MB" in page
    assert "Sao lưu ngay" in page
    assert "Sao lưu" in client.get("/quan-tri/").get_data(as_text=True)


def test_back_up_now_redirects_and_the_copy_is_good(client, auth, db, source):
    auth.login("quan_tri")
    response = auth.post("/quan-tri/sao-luu", token_from="/quan-tri/sao-luu")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/quan-tri/sao-luu")
    [made] = backup.list_backups(source)
    assert "Đã sao lưu và kiểm tra" in client.get("/quan-tri/sao-luu").get_data(as_text=True)
    if ON_POSTGRES:
        assert made.path.read_bytes().startswith(backup.DUMP_HEADER)
    else:
        assert sqlite3.connect(made.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert AuditLog.select().where(AuditLog.action == "backup_made").count() == 1


def test_back_up_now_twice_keeps_the_mornings_copy_and_marks_them_by_hand(client, auth, db, source):
    morning = backup.make_backup(source, at=datetime.datetime(2026, 11, 30, 11, 30))
    auth.login("quan_tri")
    auth.post("/quan-tri/sao-luu", token_from="/quan-tri/sao-luu")
    [by_hand] = [b for b in backup.list_backups(source) if b.label]
    # A second press in the same second would reuse the name; an officer's presses are seconds apart.
    by_hand.path.rename(by_hand.path.with_name(backup.backup_name(source, datetime.datetime(2026, 11, 30, 14, 5), backup.MANUAL_LABEL)))
    auth.post("/quan-tri/sao-luu", token_from="/quan-tri/sao-luu")
    kept = backup.list_backups(source)
    assert morning.name in {b.name for b in kept}
    assert [b.label for b in kept].count(backup.MANUAL_LABEL) == 2
    page = client.get("/quan-tri/sao-luu").get_data(as_text=True)
    assert page.count("(thủ công)") == 2
    assert "14:05 30/11/2026 (thủ công)" in page


def test_a_failed_backup_says_why(client, auth, db, monkeypatch):
    def full(*args, **kwargs):
        raise backup.BackupError("Ổ đĩa chứa db/backups đã đầy: không tạo được bản sao lưu.")

    monkeypatch.setattr(backup, "make_backup", full)
    auth.login("quan_tri")
    response = auth.post("/quan-tri/sao-luu", token_from="/quan-tri/sao-luu")
    assert response.status_code == 303
    assert "Không sao lưu được: Ổ đĩa chứa db/backups đã đầy" in client.get("/quan-tri/sao-luu").get_data(as_text=True)


def test_download_sends_the_file(client, auth, db, source):
    made = backup.make_backup(source)
    auth.login("quan_tri")
    response = client.get(f"/quan-tri/sao-luu/{made.name}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.data == made.path.read_bytes()
    assert response.headers["Cache-Control"] == "no-store"
    response.close()


@pytest.mark.parametrize("name", ["khong-co.sqlite3", "..%2Ftest.sqlite3", "test.sqlite3", "secret_key", "test-2026-11-30-113000.sqlite3.1-2.partial"])
def test_download_of_anything_else_is_404(client, auth, db, name, source):
    folder = backup.folder_for(source)
    folder.mkdir()
    (folder / "test-2026-11-30-113000.sqlite3.1-2.partial").write_bytes(b"half")
    auth.login("quan_tri")
    assert client.get(f"/quan-tri/sao-luu/{name}").status_code == 404


@pytest.mark.parametrize("role", ["tiep_nhan", "chuyen_mon", "lanh_dao"])
def test_other_roles_may_not_back_up(client, auth, db, role, source):
    auth.login(role)
    assert client.get("/quan-tri/sao-luu").status_code == 403
    assert auth.post("/quan-tri/sao-luu").status_code == 403
    assert backup.list_backups(source) == []


def test_backup_without_csrf_token_is_refused(client, auth, db, source):
    auth.login("quan_tri")
    assert client.post("/quan-tri/sao-luu").status_code == 400
    assert backup.list_backups(source) == []


def test_backup_settings_refuse_nonsense(client, auth, db):
    from app import settings as center_settings

    spec = center_settings.SPECS_BY_KEY["backup_keep_daily"]
    assert center_settings.parse(spec, "30") == (30, None)
    for typed in ("", "abc", "-1", "0", "٣٠", "99999"):
        value, error = center_settings.parse(spec, typed)
        assert value is None and error == "Nhập một số nguyên từ 1 đến 3650."
