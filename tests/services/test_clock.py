"""The center's clock: one fake that every importer sees, and the clock file a served process reads."""
import datetime
import os
import re
import time
from pathlib import Path

import pytest

from app import clock as center_clock
from app import models, pagecache
from app.clock import CLOCK_FILE_VARIABLE, write_clock_file
from app.services import worklist
from app.views import board, intake
from tests.conftest import TEST_MOMENT

TET_FRIDAY = datetime.datetime(2027, 1, 29, 15, 30)
APP = Path(__file__).resolve().parents[2] / "app"


def test_every_test_starts_at_the_same_moment(clock):
    assert clock.now() == TEST_MOMENT
    assert clock.today() == TEST_MOMENT.date()


def test_a_frozen_clock_reaches_modules_that_imported_now_by_name(clock):
    clock.freeze(TET_FRIDAY)

    assert board.now() == intake.now() == pagecache.now() == worklist.clock_now() == TET_FRIDAY
    assert intake.today() == TET_FRIDAY.date()


def test_advance_moves_the_frozen_clock(clock):
    clock.freeze(TET_FRIDAY)

    assert clock.advance(datetime.timedelta(minutes=45)) == datetime.datetime(2027, 1, 29, 16, 15)
    assert clock.now() == datetime.datetime(2027, 1, 29, 16, 15)


def test_a_moment_with_a_time_zone_is_read_as_vietnam_time(clock):
    clock.freeze(datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.timezone.utc))

    assert clock.now() == datetime.datetime(2027, 1, 1, 0, 30)


def test_reset_gives_back_the_real_clock(clock, monkeypatch):
    monkeypatch.delenv(CLOCK_FILE_VARIABLE, raising=False)
    clock.reset()

    assert abs(clock.now() - clock.real_now()) <= datetime.timedelta(seconds=1)


def test_a_record_made_now_is_stamped_with_the_frozen_moment(clock, db):
    clock.freeze(TET_FRIDAY)

    user = models.User.create(username="moi", full_name="Cán bộ mới", password_hash="!", roles_text="tiep_nhan")

    assert user.created_at == TET_FRIDAY


def test_no_module_but_the_clock_reads_the_wall_clock_for_a_date():
    wall_clock = re.compile(r"\b(datetime\.now|date\.today|datetime\.utcnow|datetime\.today|time\.time|time\.localtime)\(")
    offenders = [
        str(path.relative_to(APP)) for path in APP.rglob("*.py")
        if path.name != "clock.py" and wall_clock.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.fixture
def clock_file(clock, tmp_path, monkeypatch):
    """A process clock faked by MOTCUA_CLOCK_FILE, as a browser test's server has it."""
    path = tmp_path / "clock.txt"
    monkeypatch.setenv(CLOCK_FILE_VARIABLE, str(path))
    clock.reset()
    return path


def test_the_clock_file_stops_the_clock_at_its_moment(clock_file, clock):
    write_clock_file(clock_file, TET_FRIDAY)

    assert clock.now() == TET_FRIDAY
    assert clock.now() == TET_FRIDAY


def test_a_rewritten_clock_file_moves_the_clock_at_once(clock_file, clock):
    write_clock_file(clock_file, TET_FRIDAY)
    assert clock.now() == TET_FRIDAY

    write_clock_file(clock_file, datetime.datetime(2027, 1, 29, 15, 31))

    assert clock.now() == datetime.datetime(2027, 1, 29, 15, 31)


def test_a_running_clock_file_goes_on_from_when_it_was_written(clock_file, clock):
    write_clock_file(clock_file, TET_FRIDAY, running=True)
    written = time.time() - 90
    os.utime(clock_file, (written, written))

    assert clock.now() - TET_FRIDAY in (datetime.timedelta(seconds=90), datetime.timedelta(seconds=91))


def test_freeze_wins_over_the_clock_file(clock_file, clock):
    write_clock_file(clock_file, TET_FRIDAY)

    clock.freeze(TEST_MOMENT)

    assert clock.now() == TEST_MOMENT


@pytest.mark.parametrize("text", ["", "29/01/2027 15:30", "2027-01-29T15:30 chạy", "2027-01-29T15:30 running now"])
def test_a_clock_file_that_does_not_hold_a_moment_is_an_error_not_the_real_time(clock_file, clock, text):
    clock_file.write_text(text, encoding="utf-8")

    with pytest.raises(ValueError):
        clock.now()
