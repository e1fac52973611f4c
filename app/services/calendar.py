"""The working-day calendar as this center keeps it: the holidays package, the settings and local overrides."""
from ..models import CalendarDay
from ..rules.calendar import WorkCalendar
from ..settings import load


def work_calendar(settings: dict | None = None) -> WorkCalendar:
    """The calendar in force now: Saturday setting, working hours, and the admin table of days."""
    settings = settings or load()
    overrides = {row.day: row.is_working for row in CalendarDay.select(CalendarDay.day, CalendarDay.is_working)}
    return WorkCalendar(
        overrides=overrides,
        saturday_counts=settings["saturday_counts"],
        work_start=settings["work_start"],
        work_end=settings["work_end"],
        saturday_end=settings["saturday_end"],
    )
