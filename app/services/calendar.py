"""The working-day calendar as this center keeps it: the official calendar file, the settings and local overrides."""
import functools
from pathlib import Path

from ..db import Prepared
from ..models import CalendarDay
from ..rules.calendar import OfficialDay, WorkCalendar, read_official_calendar
from ..settings import load

OFFICIAL_FILE = Path(__file__).resolve().parent.parent / "data" / "calendar.csv"


@functools.lru_cache(maxsize=4)
def _official(path: Path, mtime: float) -> dict:
    # Keyed by the modification time: a file edited for a new year is read again without a restart.
    return read_official_calendar(path.read_text(encoding="utf-8"))


def official_days(path: Path = OFFICIAL_FILE) -> dict:
    """The official days off and swapped working days of app/data/calendar.csv, by date."""
    return _official(path, path.stat().st_mtime)


def official_year(year: int) -> list[OfficialDay]:
    return sorted((day for day in official_days().values() if day.day.year == year), key=lambda day: day.day)


# Read by every list that flags deadlines: its SQL is built once.
_overrides = Prepared(lambda: CalendarDay.select(CalendarDay.day, CalendarDay.is_working), parameters=0)


def work_calendar(settings: dict | None = None) -> WorkCalendar:
    """The calendar in force now: official file, Saturday setting, working hours, and the admin table of days."""
    settings = settings or load()
    overrides = dict(_overrides.raw(CalendarDay).tuples())
    official = official_days()
    return WorkCalendar(
        overrides=overrides,
        official=official,
        covered_years=frozenset(day.year for day in official),
        saturday_counts=settings["saturday_counts"],
        work_start=settings["work_start"],
        work_end=settings["work_end"],
        saturday_end=settings["saturday_end"],
    )
