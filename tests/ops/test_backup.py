"""Backups and restore as a service: checked copies, rotation, the daily schedule, refusals that touch nothing."""
import datetime
import sqlite3
from pathlib import Path

import pytest

from app.migrations import available
from app.models import Dossier, DossierEvent, Procedure, Setting, User
from app.services import backup
from app.services.backup import BackupError, BackupFile

NOON = datetime.time(11, 30)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    "current, last, due",
    [
        ("2026-11-30 08:00", None, True),  # never backed up: at once
        ("2026-11-30 08:00", "2026-11-29 07:59", True),  # more than a day old: at start, before the hour
        ("2026-11-30 08:00", "2026-11-29 12:00", False),  # yesterday's after-hour copy, today's hour not reached
        ("2026-11-30 11:30", "2026-11-29 12:00", True),  # today's hour reached
        ("2026-11-30 16:45", "2026-11-30 11:31", False),  # already done today after the hour
        ("2026-11-30 16:45", "2026-11-30 09:00", True),  # the morning's catch-up copy does not count for today
        ("2026-12-07 07:00", "2026-11-30 16:00", True),  # PC off for a week
    ],
)
def test_backup_due(current, last, due):
    assert backup.backup_due(at(current), at(last) if last else None, NOON) is due


def copies(*stamps, label=""):
    return [BackupFile(Path(f"/b/{stamp}{label}"), at(stamp), 1, label) for stamp in stamps]


def test_rotation_keeps_newest_of_each_recent_day_and_month():
    files = copies(
        "2026-11-30 12:00", "2026-11-30 08:00",  # two today: the newest is kept
        "2026-11-29 12:00", "2026-11-28 12:00",
        "2026-10-31 12:00", "2026-10-01 12:00",  # October: its newest is the monthly copy
        "2026-09-15 12:00", "2026-08-15 12:00",  # beyond the months kept
    )
    removed = {b.made_at for b in backup.backups_to_remove(files, keep_daily=2, keep_monthly=3)}
    assert removed == {at("2026-11-30 08:00"), at("2026-11-28 12:00"), at("2026-10-01 12:00"), at("2026-08-15 12:00")}


def test_rotation_never_removes_the_copy_made_before_a_restore():
    files = copies("2026-01-01 12:00", label="-truoc-khoi-phuc") + copies("2026-11-30 12:00")
    assert backup.backups_to_remove(files, keep_daily=1, keep_monthly=0) == []


def test_copies_made_by_hand_and_the_daily_copy_of_the_same_day_are_all_kept(app, db):
    settings = {"backup_hour": NOON, "backup_keep_daily": 1, "backup_keep_monthly": 0, "backup_keep_manual_days": 30}
    morning = backup.make_backup(live_file(app), at=at("2026-11-30 11:30"))
    first = backup.make_backup(live_file(app), at=at("2026-11-30 14:05"), label=backup.MANUAL_LABEL)
    second = backup.make_backup(live_file(app), at=at("2026-11-30 14:20"), label=backup.MANUAL_LABEL)
    assert backup.rotate(live_file(app), 1, 0, 30, current=at("2026-11-30 14:20")) == []
    assert {b.name for b in backup.list_backups(live_file(app))} == {morning.name, first.name, second.name}
    assert second.name == backup.backup_name(live_file(app), at("2026-11-30 14:20"), backup.MANUAL_LABEL)
    # Copies made by hand do not stand in for the daily one: the next day's is still due at its hour.
    assert backup.latest_backup_time(live_file(app)) == at("2026-11-30 11:30")
    assert backup.backup_due(at("2026-12-01 11:30"), backup.latest_backup_time(live_file(app)), settings["backup_hour"])


@pytest.mark.parametrize(
    "made, removed",
    [
        ("2026-10-31 14:00", True),  # 30 days and some hours before
        ("2026-10-31 14:30", False),  # exactly 30 days before: still kept
        ("2026-11-29 09:00", False),
    ],
)
def test_a_copy_made_by_hand_goes_after_its_days(made, removed):
    files = copies(made, label=backup.MANUAL_LABEL) + copies("2026-11-30 12:00")
    assert (backup.manual_copies_to_remove(files, at("2026-11-30 14:30"), 30) != []) is removed
    assert backup.backups_to_remove(files, keep_daily=1, keep_monthly=0) == []


def test_rotation_removes_an_old_copy_made_by_hand(app, db):
    old = backup.make_backup(live_file(app), at=at("2026-10-01 09:00"), label=backup.MANUAL_LABEL)
    recent = backup.make_backup(live_file(app), at=at("2026-11-20 09:00"), label=backup.MANUAL_LABEL)
    assert backup.rotate(live_file(app), 30, 12, 30, current=at("2026-11-30 14:30")) == [backup.BackupFile(old.path, old.made_at, old.size, old.label)]
    assert [b.name for b in backup.list_backups(live_file(app))] == [recent.name]


@pytest.fixture(autouse=True)
def backup_folder(request, tmp_path):
    """On PostgreSQL the dumps go to the test's own folder, never the project's db/backups."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["BACKUP_FOLDER"] = tmp_path / "backups"


def live_file(app):
    """What the tests back up: the SQLite file, or the PostgreSQL database (test_backup_postgres.py has its own checks)."""
    return backup.source_for(app.config["DATABASE_URL"], app.config.get("BACKUP_FOLDER"))


@pytest.mark.sqlite_only
def test_backup_is_checked_dated_listed_and_in_delete_mode(app, make_dossier):
    made_dossier = make_dossier()
    made = backup.make_backup(live_file(app), at=at("2026-11-30 11:30"))
    assert made.name == "test-2026-11-30-113000.sqlite3"
    assert [b.name for b in backup.list_backups(live_file(app))] == [made.name]
    copy = sqlite3.connect(made.path)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("SELECT code FROM dossier").fetchall() == [(made_dossier.code,)]
    copy.close()
    assert backup.inspect(made.path).dossiers == 1


@pytest.mark.sqlite_only
def test_a_partial_file_is_not_a_backup_and_is_removed_at_start(app, db):
    folder = backup.folder_for(live_file(app))
    folder.mkdir()
    (folder / "test-2026-11-30-113000.sqlite3.123-456.partial").write_bytes(b"SQLite format 3\x00half")
    assert backup.list_backups(live_file(app)) == []
    assert backup.remove_stale_partials(live_file(app)) == 1
    assert list(folder.iterdir()) == []


def test_missing_folder_is_refused_with_a_clear_message(app, db, tmp_path):
    with pytest.raises(BackupError, match="không tồn tại"):
        backup.make_backup(live_file(app), tmp_path / "usb")


def test_read_only_folder_is_refused(app, db, tmp_path, monkeypatch):
    folder = tmp_path / "usb"
    folder.mkdir()
    folder.chmod(0o555)
    # root writes anywhere: make the check see what an ordinary account sees.
    monkeypatch.setattr(backup.os, "access", lambda path, mode: False)
    with pytest.raises(BackupError, match="chỉ đọc"):
        backup.make_backup(live_file(app), folder)


@pytest.mark.sqlite_only
def test_full_disk_leaves_no_file_and_the_live_database_untouched(app, make_dossier, tmp_path, monkeypatch):
    make_dossier()
    real_copy = backup.copy_database

    def fills_the_disk(source, target, *args):
        real_copy(source, target, *args)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "copy_database", fills_the_disk)
    with pytest.raises(BackupError, match="đã đầy"):
        backup.make_backup(live_file(app), tmp_path)
    assert list(tmp_path.glob("test-*")) == []
    assert Dossier.select().count() == 1


def write_file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "make, message",
    [
        (lambda tmp, good: write_file(tmp / "ghi-chu.sqlite3", "Danh sách hồ sơ".encode() * 100), "không phải là cơ sở dữ liệu SQLite"),
        (lambda tmp, good: write_file(tmp / "rong.sqlite3", b""), "không phải là cơ sở dữ liệu SQLite"),
        (lambda tmp, good: write_file(tmp / "cut.sqlite3", good.read_bytes()[: good.stat().st_size // 2]), "bị cắt cụt"),
        (lambda tmp, good: other_product(tmp / "khac.sqlite3"), "không phải là cơ sở dữ liệu của Một Cửa"),
        (lambda tmp, good: newer_schema(good, tmp / "moi.sqlite3"), "phiên bản Một Cửa mới hơn"),
        (lambda tmp, good: tmp / "khong-co.sqlite3", "Không tìm thấy"),
    ],
)
def test_restore_refuses_bad_files_and_touches_nothing(app, make_dossier, tmp_path, make, message):
    make_dossier()
    good = backup.make_backup(live_file(app), tmp_path).path
    bad = make(tmp_path, good)
    with pytest.raises(BackupError, match=message):
        backup.restore(live_file(app), bad, running=False)
    assert Dossier.select().count() == 1
    assert backup.list_backups(live_file(app)) == []


def other_product(path: Path) -> Path:
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY)")
    other.commit()
    other.close()
    return path


def newer_schema(good: Path, path: Path) -> Path:
    path.write_bytes(good.read_bytes())
    newer = sqlite3.connect(path)
    newer.execute("INSERT INTO schema_migration (name, applied_at) VALUES ('m9999_future', '2030-01-01')")
    newer.commit()
    newer.close()
    return path


def test_restore_refused_while_the_server_runs_unless_forced(app, make_dossier, tmp_path):
    make_dossier()
    good = backup.make_backup(live_file(app), tmp_path).path
    with pytest.raises(BackupError, match="đang chạy"):
        backup.restore(live_file(app), good, running=True)
    assert backup.restore(live_file(app), good, running=True, force=True).restored.dossiers == 1


def snapshot():
    """Everything a restore must bring back, row for row."""
    return (
        [tuple(row) for row in Dossier.select().order_by(Dossier.id).tuples()],
        [tuple(row) for row in DossierEvent.select().order_by(DossierEvent.id).tuples()],
        [tuple(row) for row in Setting.select().order_by(Setting.id).tuples()],
    )


@pytest.mark.sqlite_only
def test_restore_drill_brings_back_exactly_the_backed_up_state(app, make_dossier, tmp_path):
    for hour in (8, 9, 10):
        make_dossier(received_at=datetime.datetime(2026, 11, 30, hour, 0))
    Setting.create(key="commune", value="Xã Thạch Hà")
    before = snapshot()
    saved = backup.make_backup(live_file(app), tmp_path).path

    make_dossier(received_at=datetime.datetime(2026, 11, 30, 11, 0))
    Dossier.update(applicant_name="Đã sửa").execute()
    Setting.update(value="Xã Khác").execute()
    changed = snapshot()
    assert changed != before

    report = backup.restore(live_file(app), saved, running=False)
    assert snapshot() == before
    # The state before the restore is kept, complete, in case the wrong file was chosen.
    kept = sqlite3.connect(report.safety_copy.path)
    assert kept.execute("SELECT count(*) FROM dossier").fetchone()[0] == 4
    kept.close()
    assert report.safety_copy.label == "truoc-khoi-phuc"
    assert sqlite3.connect(live_file(app)).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _restore_as_older(app, tmp_path, *statements):
    """Back up, turn the copy into one made by an older version with `statements`, and restore it."""
    saved = backup.make_backup(live_file(app), tmp_path).path
    older = sqlite3.connect(saved)
    for statement in statements:
        older.execute(statement)
    older.commit()
    older.close()
    return backup.restore(live_file(app), saved, running=False)


@pytest.mark.sqlite_only
def test_restore_of_an_older_schema_migrates_it(app, make_dossier, tmp_path, monkeypatch):
    make_dossier()
    report = _restore_as_older(
        app, tmp_path, "DELETE FROM schema_migration", "INSERT INTO schema_migration (name, applied_at) VALUES ('m0000_start', '2025-07-01')"
    )
    assert report.restored.version == 0
    assert report.migrated == available()
    assert Dossier.select().count() == 1


@pytest.mark.sqlite_only
def test_migration_adds_the_village_index_to_a_database_made_before_it(app, make_dossier, tmp_path):
    make_dossier()
    report = _restore_as_older(
        app, tmp_path, "DROP INDEX dossier_status_village_id", "DELETE FROM schema_migration WHERE name >= 'm0002'"
    )
    # A database made before m0002 lacks every later migration too; each one finds its work already done but that one.
    assert report.migrated == [name for name in available() if name >= "m0002"]
    indexes = sqlite3.connect(live_file(app)).execute("SELECT sql FROM sqlite_master WHERE name = 'dossier_status_village_id'").fetchone()
    assert indexes is not None and '"status", "village_id"' in indexes[0]
    assert Dossier.select().count() == 1


@pytest.mark.sqlite_only
def test_migration_adds_the_session_version_to_a_database_made_before_it(app, tmp_path):
    report = _restore_as_older(
        app, tmp_path, "ALTER TABLE user DROP COLUMN session_version", "DELETE FROM schema_migration WHERE name >= 'm0003'"
    )
    # A database made before m0003 lacks every later migration too; each one finds its work already done but that one.
    assert report.migrated == [name for name in available() if name >= "m0003"]
    assert [user.session_version for user in User.select()] == [0, 0, 0, 0]


@pytest.mark.sqlite_only
def test_migration_numbers_the_receipts_of_a_database_made_before_form_numbers(app, make_dossier, tmp_path):
    import datetime

    from app.models import FormNumber, GuidanceSlip

    later = make_dossier(received_at=datetime.datetime(2026, 11, 30, 9, 0))
    earlier = make_dossier(received_at=datetime.datetime(2026, 11, 2, 9, 0))
    report = _restore_as_older(
        app, tmp_path, "DROP TABLE form_number", "ALTER TABLE guidance_slip DROP COLUMN email",
        "DELETE FROM schema_migration WHERE name >= 'm0006'",
    )
    assert report.migrated == [name for name in available() if name >= "m0006"]
    # Numbered in the order they were received, not the order they were typed in.
    numbers = {row.dossier_id: row.number for row in FormNumber.select().where(FormNumber.kind == "mau_01")}
    assert numbers == {earlier.id: 1, later.id: 2}
    assert GuidanceSlip.select(GuidanceSlip.email).count() == 0


def test_scheduler_backs_up_when_due_then_rotates(app, db):
    settings = {"backup_hour": NOON, "backup_keep_daily": 1, "backup_keep_monthly": 0, "backup_keep_manual_days": 30}
    folder = backup.folder_for(live_file(app))
    folder.mkdir()
    old = backup.make_backup(live_file(app), at=at("2026-01-01 12:00"))
    scheduler = backup.Scheduler(live_file(app), load_settings=lambda: settings)
    made = scheduler.run_once()
    assert made is not None
    assert [b.name for b in backup.list_backups(live_file(app))] == [made.name]
    assert not old.path.exists()
    assert scheduler.run_once() is None


def test_size_text():
    assert [backup.size_text(n) for n in (512, 2_048, 12_345_678, 3_200_000_000)] == ["512 byte", "2,0 KB", "12,3 MB", "3,2 GB"]


@pytest.mark.sqlite_only
def test_migration_gives_units_to_a_database_made_before_them(app, make_dossier, tmp_path):
    """m0004: a same-day dossier and procedure become "trong_ngay", adoption's 30 and the permit's 15 become days."""
    make_dossier("1.001193")
    columns = ("time_unit", "extension_cases")
    report = _restore_as_older(
        app, tmp_path,
        *(f"ALTER TABLE procedure DROP COLUMN {column}" for column in columns),
        *(f"ALTER TABLE dossier DROP COLUMN {column}" for column in ("time_unit", "extension", "extension_reason")),
        "DELETE FROM schema_migration WHERE name >= 'm0004'",
    )
    assert report.migrated == [name for name in available() if name >= "m0004"]
    units = {row.code: (row.working_days, row.time_unit) for row in Procedure.select()}
    assert units["1.001193"] == (0, "trong_ngay")
    assert units["1.004873"] == (3, "ngay_lam_viec")
    assert units["2.001263"] == (30, "ngay")
    assert units["1.013225"] == (15, "ngay")
    dossier = Dossier.get()
    assert (dossier.time_unit, dossier.extension, dossier.extension_reason) == ("trong_ngay", None, "")


@pytest.mark.sqlite_only
def test_migration_gives_fees_their_grounds_and_leaves_province_fees_unconfirmed(app, make_dossier, tmp_path):
    make_dossier("1.001193")
    report = _restore_as_older(
        app, tmp_path,
        "ALTER TABLE procedure DROP COLUMN fee_confirmed",
        "ALTER TABLE procedure DROP COLUMN fee_grounds",
        "DELETE FROM schema_migration WHERE name >= 'm0005'",
    )
    assert report.migrated == [name for name in available() if name >= "m0005"]
    assert {(row.fee_confirmed, tuple(row.fee_grounds)) for row in Procedure.select()} == {(False, ())}


@pytest.mark.sqlite_only
def test_migration_copies_the_fee_ground_and_the_moved_appointment_into_columns(app, make_dossier, tmp_path):
    """m0011: the percent off by a fee ground and, on a "documents received" event, the appointment it replaced."""
    from app.rules.status import Action
    from app.services.dossiers import act
    from tests.conftest import user

    ground = "Người thuộc hộ nghèo (Luật Hộ tịch 2014, Điều 11 khoản 1)"
    waived = make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 23, 9, 0), fee_inputs={"copies": 1, "ground": ground})
    paying = make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 23, 10, 0), fee_inputs={"copies": 1})
    leader = user("lanh_dao")
    act(waived, Action.START, leader, at=datetime.datetime(2026, 11, 23, 11, 0))
    act(Dossier.get_by_id(waived.id), Action.REQUEST_DOCUMENTS, leader, note="Thiếu tờ khai", at=datetime.datetime(2026, 12, 2, 9, 0))
    act(Dossier.get_by_id(waived.id), Action.DOCUMENTS_RECEIVED, leader, at=datetime.datetime(2026, 12, 15, 9, 0))
    report = _restore_as_older(
        app, tmp_path,
        "ALTER TABLE dossier DROP COLUMN fee_reduction",
        "ALTER TABLE dossier_event DROP COLUMN due_at_before",
        "DELETE FROM schema_migration WHERE name >= 'm0011'",
    )
    assert report.migrated == [name for name in available() if name >= "m0011"]
    assert {row.id: row.fee_reduction for row in Dossier.select()} == {waived.id: 100, paying.id: 0}
    moved = DossierEvent.select().where(DossierEvent.due_at_before.is_null(False))
    assert [(row.action, row.due_at_before) for row in moved] == [("documents_received", datetime.datetime(2026, 11, 27, 17, 0))]
