"""Backups on PostgreSQL: pg_dump's copies restored with pg_restore, the refusals, and what to run without the tools."""
import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.migrations import available
from app.models import Dossier, DossierEvent, Setting
from app.services import backup
from app.services.backup import BackupError
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs MOTCUA_TEST_DATABASE_URL naming PostgreSQL")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def source(app, tmp_path):
    app.config["BACKUP_FOLDER"] = tmp_path / "backups"
    return backup.source_for(app.config["DATABASE_URL"], app.config["BACKUP_FOLDER"])


def snapshot():
    return (
        [tuple(row) for row in Dossier.select().order_by(Dossier.id).tuples()],
        [tuple(row) for row in DossierEvent.select().order_by(DossierEvent.id).tuples()],
        [tuple(row) for row in Setting.select().order_by(Setting.id).tuples()],
    )


def test_backup_is_a_checked_dump_with_a_dated_name(source, make_dossier):
    make_dossier()
    made = backup.make_backup(source, at=datetime.datetime(2026, 11, 30, 11, 30))
    assert made.name == f"{source.stem}-2026-11-30-113000.dump"
    assert made.path.read_bytes().startswith(b"PGDMP")
    assert [b.name for b in backup.list_backups(source)] == [made.name]
    assert [path.name for path in made.path.parent.iterdir()] == [made.name], "no .partial left behind"
    assert made.path.stat().st_mode & 0o077 == 0


def test_restore_drill_brings_back_exactly_the_backed_up_state(source, make_dossier, tmp_path):
    for hour in (8, 9, 10):
        make_dossier(received_at=datetime.datetime(2026, 11, 30, hour, 0))
    Setting.create(key="commune", value="Xã Thạch Hà")
    before = snapshot()
    saved = backup.make_backup(source, tmp_path).path

    make_dossier(received_at=datetime.datetime(2026, 11, 30, 11, 0))
    Dossier.update(applicant_name="Đã sửa").execute()
    Setting.update(value="Xã Khác").execute()
    assert snapshot() != before

    report = backup.restore(source, saved, running=False)
    assert snapshot() == before
    assert report.restored.dossiers == 3
    assert report.migrated == []
    assert report.safety_copy.label == "truoc-khoi-phuc"
    assert report.safety_copy.path.read_bytes().startswith(b"PGDMP")
    # The sequences come back too: the next dossier does not reuse an id.
    assert make_dossier(received_at=datetime.datetime(2026, 11, 30, 14, 0)).id > max(row[0] for row in before[0])


def test_restore_of_an_older_dump_migrates_it(source, make_dossier, db, tmp_path):
    make_dossier()
    # The dump of a database made before m0016: without its index, its migrations not recorded.
    db.execute_sql("DROP INDEX dossier_portal_code")
    db.execute_sql("DELETE FROM schema_migration WHERE name >= 'm0016'")
    older = backup.make_backup(source, tmp_path).path
    backup.migrate(db)
    report = backup.restore(source, older, running=False)
    assert report.restored.version == 15
    assert report.migrated == [name for name in available() if name >= "m0016"]
    assert "dossier_portal_code" in {index.name for index in db.get_indexes("dossier")}
    assert Dossier.select().count() == 1


def test_restore_of_a_dump_without_a_table_added_since(source, make_dossier, db, tmp_path):
    """A dump from before a table existed (the change counter): the live table goes, and the migration makes it again."""
    make_dossier()
    db.execute_sql("DROP FUNCTION change_counter_bump() CASCADE")
    db.execute_sql("DROP TABLE change_counter")
    db.execute_sql("DELETE FROM schema_migration WHERE name >= 'm0017'")
    older = backup.make_backup(source, tmp_path).path
    backup.migrate(db)
    report = backup.restore(source, older, running=False)
    # The migrations the dump lacks run again: the counter's and every one after it.
    assert report.migrated == [name for name in available() if name >= "m0017"]
    assert db.execute_sql("SELECT n FROM change_counter").fetchone() is not None
    assert db.execute_sql("SELECT count(*) FROM pg_trigger WHERE tgname = 'change_counter_bump'").fetchone()[0] > 20
    make_dossier()


def write_file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda tmp, good: write_file(tmp / "ghi-chu.dump", "Danh sách hồ sơ".encode() * 100), "không phải là bản sao lưu PostgreSQL"),
        (lambda tmp, good: write_file(tmp / "rong.dump", b""), "không phải là bản sao lưu PostgreSQL"),
        (lambda tmp, good: write_file(tmp / "ban-sqlite.sqlite3", b"SQLite format 3\x00" + bytes(200)), "không phải là bản sao lưu PostgreSQL"),
        (lambda tmp, good: write_file(tmp / "hong.dump", b"PGDMP" + bytes(300)), "bị hỏng hoặc không phải là bản sao lưu PostgreSQL"),
        (lambda tmp, good: other_product(tmp, good), "không phải là cơ sở dữ liệu của Một Cửa"),
        (lambda tmp, good: tmp / "khong-co.dump", "Không tìm thấy"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_dump_of_this_product(source, make_dossier, tmp_path, make, message):
    make_dossier()
    good = backup.make_backup(source, tmp_path).path
    bad = make(tmp_path, good)
    with pytest.raises(BackupError, match=message):
        backup.restore(source, bad, running=False)
    assert Dossier.select().count() == 1
    assert backup.list_backups(source) == [], "nothing restored, so no copy of the live database either"


def test_a_cut_dump_is_refused_or_rolled_back_and_the_data_stays(source, make_dossier, tmp_path):
    make_dossier()
    good = backup.make_backup(source, tmp_path).path
    cut = write_file(tmp_path / "cut.dump", good.read_bytes()[: good.stat().st_size * 2 // 3])
    Setting.create(key="commune", value="Xã Thạch Hà")
    before = snapshot()
    with pytest.raises(BackupError, match="bị hỏng|pg_restore báo lỗi") as raised:
        backup.restore(source, cut, running=False)
    assert not isinstance(raised.value, backup.RestoreCutShort)
    assert snapshot() == before


def other_product(tmp_path: Path, good: Path) -> Path:
    """A real dump, of another program's database."""
    import psycopg

    url = backup.source_for(os.environ["MOTCUA_TEST_DATABASE_URL"]).url
    server, name = url.rsplit("/", 1)
    other = f"{name}_khac"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{other}"')
    with psycopg.connect(f"{server}/{other}", autocommit=True) as connection:
        connection.execute("CREATE TABLE invoice (id integer PRIMARY KEY)")
    path = tmp_path / "khac.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={path}", f"--dbname={server}/{other}"], check=True)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{other}" WITH (FORCE)')
    return path


def test_restore_refused_while_the_server_runs(source, make_dossier, tmp_path):
    from app.instance import lock_for, running_on

    make_dossier()
    good = backup.make_backup(source, tmp_path).path
    lock = lock_for(source.url).acquire()
    try:
        with pytest.raises(BackupError, match="đang chạy"):
            backup.restore(source, good, running=running_on(source.url))
    finally:
        lock.release()


def without_tools(monkeypatch):
    monkeypatch.setattr(backup, "_tool", lambda name: None)


def test_without_pg_dump_backup_says_what_to_run(source, monkeypatch):
    without_tools(monkeypatch)
    with pytest.raises(backup.MissingTool) as raised:
        backup.make_backup(source, at=datetime.datetime(2026, 11, 30, 11, 30))
    message = str(raised.value)
    assert "chưa cài pg_dump" in message and "postgresql-client" in message
    assert f"pg_dump --format=custom --no-password --file={source.folder}/{source.stem}-2026-11-30-113000.dump" in message
    assert backup.list_backups(source) == []


def test_without_pg_restore_restore_says_what_to_run(source, tmp_path, monkeypatch):
    good = backup.make_backup(source, tmp_path).path
    without_tools(monkeypatch)
    with pytest.raises(backup.MissingTool) as raised:
        backup.restore(source, good, running=False)
    message = str(raised.value)
    assert "chưa cài pg_restore" in message
    assert "pg_restore --clean --if-exists --single-transaction --no-owner" in message and str(good) in message
    assert "python3 run.py migrate" in message


def test_the_password_goes_in_pgpassword_never_on_the_command_line(tmp_path):
    source = backup.PostgresDatabase("postgresql://motcua:bi%20mat@db.xa.local:5433/motcua", tmp_path)
    command = backup._dump_command(source, tmp_path / "x.dump")
    assert not any("bi mat" in word or "bi%20mat" in word for word in command)
    assert "--dbname=postgresql://motcua@db.xa.local:5433/motcua" in command
    assert backup._tool_environment(source.url)["PGPASSWORD"] == "bi mat"
    shown = backup._command_line(source.url, command)
    assert shown.startswith("PGPASSWORD='<mật khẩu>' pg_dump") and "bi mat" not in shown and "bi%20mat" not in shown


def test_the_page_says_what_to_run_without_pg_dump(client, auth, source, monkeypatch):
    without_tools(monkeypatch)
    auth.login("quan_tri")
    response = auth.post("/quan-tri/sao-luu", token_from="/quan-tri/sao-luu")
    assert response.status_code == 303
    page = client.get("/quan-tri/sao-luu").get_data(as_text=True)
    assert "Không sao lưu được: Máy này chưa cài pg_dump" in page
    assert "pg_dump --format=custom" in page


def run_command(app, *argv, path=None):
    env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"], MOTCUA_BACKUP_FOLDER=str(app.config["BACKUP_FOLDER"]), PYTHONPATH=str(ROOT))
    if path is not None:
        env["PATH"] = path
    command = f"import sys; from app.cli import main; sys.exit(main({list(argv)!r}))"
    return subprocess.run([sys.executable, "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_commands_back_up_and_restore(app, source, make_dossier, tmp_path):
    make_dossier()
    made = run_command(app, "backup", "--to", str(tmp_path))
    assert made.returncode == 0, made.stderr
    assert "Đã sao lưu và kiểm tra" in made.stdout
    [dump] = tmp_path.glob("*.dump")
    Dossier.update(applicant_name="Đã sửa").execute()
    restored = run_command(app, "restore", str(dump), "--force")
    assert restored.returncode == 0, restored.stderr
    assert "1 hồ sơ" in restored.stdout and "Đã khôi phục cơ sở dữ liệu" in restored.stdout
    assert [row.applicant_name for row in Dossier.select()] == ["Nguyễn Văn An"]
    # The copy kept before the restore went to the default folder: remove it from the project.
    for kept in (ROOT / "db" / "backups").glob(f"{backup.source_for(app.config['DATABASE_URL']).stem}-*truoc-khoi-phuc.dump"):
        kept.unlink()


def test_the_backup_command_without_the_tools_exits_with_the_command_lines(app, source, tmp_path):
    result = run_command(app, "backup", "--to", str(tmp_path), path=str(tmp_path / "empty"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Lỗi: Máy này chưa cài pg_dump" in result.stderr
    assert "pg_dump --format=custom" in result.stderr


def test_dumps_go_to_the_data_folder_unless_a_backup_folder_is_set(tmp_path, monkeypatch):
    url = "postgresql://motcua@127.0.0.1:5432/motcua"
    monkeypatch.setenv("MOTCUA_DATA_FOLDER", str(tmp_path / "du-lieu"))
    assert backup.source_for(url).folder == tmp_path / "du-lieu" / "backups"
    assert backup.source_for(url, tmp_path / "usb").folder == tmp_path / "usb"
