"""Working-day calendar: public holidays, local overrides and appointment dates."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from types import MappingProxyType

import holidays

SATURDAY = 5
SWAPPED_WORKDAY_NAME = "Ngày làm việc bù"
ONE_DAY = timedelta(days=1)


@functools.lru_cache(maxsize=None)
def _package_holidays(year: int) -> holidays.HolidayBase:
    # expand=False: a shared cached object must never grow other years behind our back.
    return holidays.country_holidays("VN", years=year, language="vi", expand=False)


def _package_is_working(d: date) -> bool:
    return _package_holidays(d.year).is_working_day(d)


def _swapped_workday_name(workday: date) -> str:
    """Name a swapped working Saturday after the day off it pays for."""
    # The package labels only the day off ("thay cho ngày 22/08/2026"); the pair may straddle a year end.
    for year in (workday.year - 1, workday.year, workday.year + 1):
        package = _package_holidays(year)
        stamp = workday.strftime(package.substituted_date_format)
        for day_off, name in package.items():
            if stamp in name:
                return f"{SWAPPED_WORKDAY_NAME} (thay cho ngày nghỉ {day_off:%d/%m/%Y})"
    return SWAPPED_WORKDAY_NAME


@dataclass(frozen=True)
class ProcessingRule:
    """How long a procedure takes: N working days, or the same day with a cut-off hour."""

    working_days: int
    cutoff: time | None = None
    due_time: time | None = None


@dataclass(frozen=True)
class WorkCalendar:
    """A center's working days: the package's national calendar, its settings and its local overrides."""

    overrides: Mapping[date, bool] = field(default_factory=dict)
    saturday_counts: bool = False
    work_start: time = time(7, 30)
    work_end: time = time(17, 0)
    saturday_end: time = time(11, 30)

    def __post_init__(self) -> None:
        # A copy behind a read-only view, so the caller's dict changing later cannot change past answers.
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))

    def is_working_day(self, d: date) -> bool:
        if d in self.overrides:
            return self.overrides[d]
        return _package_is_working(d) or self._counts_by_saturday_setting(d)

    def _counts_by_saturday_setting(self, d: date) -> bool:
        # A public holiday falling on a Saturday stays closed even when Saturday mornings are open.
        return (
            self.saturday_counts
            and d.weekday() == SATURDAY
            and d not in self.overrides
            and d not in _package_holidays(d.year)
            and not _package_is_working(d)
        )

    def end_of_day(self, d: date) -> time:
        """End of working hours; a swapped or override-opened Saturday is a full day."""
        return self.saturday_end if self._counts_by_saturday_setting(d) else self.work_end

    def next_working_day(self, d: date) -> date:
        d += ONE_DAY
        while not self.is_working_day(d):
            d += ONE_DAY
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d: the day of receipt never counts (Civil Code art. 147)."""
        if n < 1:
            raise ValueError("Số ngày làm việc phải từ 1 trở lên.")
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def working_days_in(self, start: date, end: date) -> int:
        """Working days d with start <= d < end."""
        return sum(self.is_working_day(start + timedelta(days=i)) for i in range((end - start).days))

    def appointment(self, received: datetime, rule: ProcessingRule) -> datetime:
        """When the result is due.

        A dossier arriving on a non-working day (an online one on Sunday) is treated as received at the
        start of the next working day: a same-day procedure is due that day, an N-day one counts from
        the day after it. For N days the hour of receipt does not matter, since counting starts the next
        day anyway. For the same day, received at or before the cut-off (15:00:00 is still "not after
        15:00") means due today; the cut-off is capped at the end of that day's hours, so a Saturday
        morning or a dossier with no cut-off arriving in the evening goes to the next working day.
        """
        day = received.date()
        received_on_working_day = self.is_working_day(day)
        if not received_on_working_day:
            day = self.next_working_day(day)
        if rule.working_days > 0:
            due = self.add_working_days(day, rule.working_days)
        elif received_on_working_day and received.time() > self._same_day_cutoff(day, rule):
            due = self.next_working_day(day)
        else:
            due = day
        at = self._due_at(due, rule.due_time, received.tzinfo)
        # A printed hour earlier than the receipt itself would be a promise already broken.
        return at if at >= received else self._due_at(due, None, received.tzinfo)

    def _same_day_cutoff(self, d: date, rule: ProcessingRule) -> time:
        end = self.end_of_day(d)
        return end if rule.cutoff is None else min(rule.cutoff, end)

    def _due_at(self, d: date, hour: time | None, tz: tzinfo | None) -> datetime:
        end = self.end_of_day(d)
        return datetime.combine(d, end if hour is None else min(hour, end), tzinfo=tz)

    def move_by_pause(
        self, appointment: datetime, paused_at: datetime, resumed_at: datetime
    ) -> datetime:
        """Push the appointment by the working days the dossier waited for the citizen.

        The day the pause starts counts and the day it ends does not, so a pause started and ended on
        the same day moves nothing.
        """
        if resumed_at < paused_at:
            raise ValueError("Thời điểm tiếp tục giải quyết không được trước thời điểm tạm dừng.")
        paused_days = self.working_days_in(paused_at.date(), resumed_at.date())
        if paused_days == 0:
            return appointment
        due = self.add_working_days(appointment.date(), paused_days)
        return self._due_at(due, appointment.time(), appointment.tzinfo)

    def package_days(self, year: int) -> list[tuple[date, str, bool]]:
        """The national special days of a year (holidays, days off, swapped working Saturdays), by date."""
        package = _package_holidays(year)
        days = [(d, name, False) for d, name in package.items()]
        days += [(d, _swapped_workday_name(d), True) for d in package.weekend_workdays if d.year == year]
        return sorted(days)
