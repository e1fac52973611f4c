"""Working-day calendar: public holidays, the official calendar file, local overrides and appointment dates."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
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


class TimeUnit(StrEnum):
    """The unit of a legal time; the value is what the catalogue file and the database store."""

    WORKING_DAYS = "ngay_lam_viec"
    DAYS = "ngay"
    SAME_DAY = "trong_ngay"

    @property
    def label(self) -> str:
        return UNIT_LABELS[self]


UNIT_LABELS = MappingProxyType({
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.DAYS: "ngày",
    TimeUnit.SAME_DAY: "trong ngày",
})

# An extension (a named case with a longer time) is counted in working days or days, never "same day".
EXTENSION_UNITS = (TimeUnit.WORKING_DAYS, TimeUnit.DAYS)


@dataclass(frozen=True)
class Extension:
    """A named case where the law allows a longer time: `amount` more `unit`s after the ordinary appointment."""

    name: str
    amount: int
    unit: TimeUnit = TimeUnit.WORKING_DAYS

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", TimeUnit(self.unit))
        if self.unit not in EXTENSION_UNITS:
            raise ValueError("Thời gian kéo dài tính bằng ngày làm việc hoặc ngày.")
        if self.amount < 1:
            raise ValueError("Thời gian kéo dài phải từ 1 trở lên.")

    @property
    def words(self) -> str:
        return f"thêm {self.amount} {self.unit.label}"


AGREED = "thoa_thuan"


@dataclass(frozen=True)
class ExtensionCase:
    """A named case of a procedure in the catalogue; `amount` None means agreed in writing, typed at intake."""

    name: str
    amount: int | None
    unit: TimeUnit = TimeUnit.WORKING_DAYS

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", TimeUnit(self.unit))

    @property
    def words(self) -> str:
        if self.amount is None:
            return f"thêm số {self.unit.label} thỏa thuận bằng văn bản"
        return f"thêm {self.amount} {self.unit.label}"

    def extension(self, agreed: int | None = None) -> Extension:
        """The extension this case gives; an agreed case needs the agreed amount."""
        amount = self.amount if self.amount is not None else agreed
        if amount is None:
            raise ValueError("Trường hợp thỏa thuận cần số ngày đã thỏa thuận.")
        return Extension(self.name, amount, self.unit)


@dataclass(frozen=True)
class ProcessingRule:
    """How long a procedure takes: N working days, N days, or the same day with a cut-off hour.

    Without a unit, 0 means the same day and N > 0 means N working days. An extension (a named case
    chosen at intake) adds its time after the ordinary appointment.
    """

    amount: int
    cutoff: time | None = None
    due_time: time | None = None
    unit: TimeUnit | None = None
    extension: Extension | None = None

    def __post_init__(self) -> None:
        unit = TimeUnit(self.unit) if self.unit else (TimeUnit.WORKING_DAYS if self.amount else TimeUnit.SAME_DAY)
        object.__setattr__(self, "unit", unit)
        if unit is TimeUnit.SAME_DAY and self.amount != 0:
            raise ValueError("Thủ tục giải quyết trong ngày có thời hạn 0.")
        if unit is not TimeUnit.SAME_DAY and self.amount < 1:
            raise ValueError(f"Thời hạn tính bằng {unit.label} phải từ 1 trở lên.")

    @property
    def words(self) -> str:
        """The legal time as people read it: "3 ngày làm việc", "30 ngày", "Trong ngày (nhận trước 15:00)"."""
        if self.unit is not TimeUnit.SAME_DAY:
            return f"{self.amount} {self.unit.label}"
        return f"Trong ngày (nhận trước {self.cutoff:%H:%M})" if self.cutoff else "Trong ngày"


class CalendarNotCovered(ValueError):
    """The official calendar file has no data for a year the computation needs: never guess."""

    def __init__(self, year: int, covered: frozenset[int]):
        self.year = year
        shown = ", ".join(str(y) for y in sorted(covered)) or "không có năm nào"
        super().__init__(
            f"Chưa có lịch nghỉ lễ chính thức năm {year} (tệp lịch hiện có: {shown}); không thể tính ngày hẹn trả. "
            "Quản trị viên cần bổ sung ngày nghỉ, ngày làm bù của năm này vào tệp lịch (app/data/calendar.csv)."
        )


class OfficialStatus(StrEnum):
    """How sure the official calendar file is of a day."""

    CONFIRMED = "chinh_thuc"  # announced by the document named in the row
    EXPECTED = "du_kien"  # follows the Labour Code; the year's official notice is not in the file yet
    UNCONFIRMED = "can_xac_nhan"  # its legal status is unknown: counted as the row says until the admin decides

    @property
    def label(self) -> str:
        return OFFICIAL_STATUS_LABELS[self]


OFFICIAL_STATUS_LABELS = MappingProxyType({
    OfficialStatus.CONFIRMED: "chính thức",
    OfficialStatus.EXPECTED: "dự kiến",
    OfficialStatus.UNCONFIRMED: "cần xác nhận",
})


@dataclass(frozen=True)
class OfficialDay:
    """One row of the official calendar file: a day off or a swapped working day, with its source."""

    day: date
    is_working: bool
    name: str
    source: str
    status: OfficialStatus = OfficialStatus.CONFIRMED


CALENDAR_COLUMNS = ("ngay", "loai", "ten", "van_ban", "trang_thai")
_KINDS = {"nghi": False, "lam_bu": True}


class CalendarFileError(ValueError):
    """Everything wrong with the calendar file, as "Dòng N, cột X: …" lines."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def read_official_calendar(text: str) -> dict[date, OfficialDay]:
    """Parse the official calendar file (CSV with the CALENDAR_COLUMNS header), or raise CalendarFileError."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    if not rows or [cell.strip() for cell in rows[0]] != list(CALENDAR_COLUMNS):
        raise CalendarFileError([f"Dòng 1: tiêu đề phải là {','.join(CALENDAR_COLUMNS)}."])
    errors: list[str] = []
    days: dict[date, OfficialDay] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CALENDAR_COLUMNS):
            errors.append(f"Dòng {line}: cần {len(CALENDAR_COLUMNS)} ô, có {len(row)}.")
            continue
        day_text, kind, name, source, status = (cell.strip() for cell in row)
        match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", day_text)
        day = None
        try:
            day = date(int(match[3]), int(match[2]), int(match[1])) if match else None
        except ValueError:
            pass
        if day is None:
            errors.append(f"Dòng {line}, cột ngay: «{day_text}» không phải ngày dd/mm/yyyy có thật.")
        elif day in days:
            errors.append(f"Dòng {line}, cột ngay: ngày {day_text} đã có ở dòng trên.")
        if kind not in _KINDS:
            errors.append(f"Dòng {line}, cột loai: «{kind}» không hợp lệ; dùng nghi hoặc lam_bu.")
        if not name:
            errors.append(f"Dòng {line}, cột ten: không được để trống.")
        if not source:
            errors.append(f"Dòng {line}, cột van_ban: ghi văn bản làm căn cứ.")
        if status not in set(OfficialStatus):
            errors.append(f"Dòng {line}, cột trang_thai: «{status}» không hợp lệ; dùng {', '.join(OfficialStatus)}.")
        if day is not None and day not in days and kind in _KINDS and name and source and status in set(OfficialStatus):
            days[day] = OfficialDay(day, _KINDS[kind], name, source, OfficialStatus(status))
    if errors:
        raise CalendarFileError(errors)
    return days


@dataclass(frozen=True)
class WorkCalendar:
    """A center's working days: the package's national calendar, its settings and its local overrides."""

    overrides: Mapping[date, bool] = field(default_factory=dict)
    # The official calendar file: it wins over the package; the admin's overrides win over it.
    official: Mapping[date, OfficialDay] = field(default_factory=dict)
    # Years the official file covers; an appointment outside them is refused. None: no check (the package alone).
    covered_years: frozenset[int] | None = None
    saturday_counts: bool = False
    work_start: time = time(7, 30)
    work_end: time = time(17, 0)
    saturday_end: time = time(11, 30)

    def __post_init__(self) -> None:
        # A copy behind a read-only view, so the caller's dict changing later cannot change past answers.
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))
        object.__setattr__(self, "official", MappingProxyType(dict(self.official)))
        if self.covered_years is not None:
            object.__setattr__(self, "covered_years", frozenset(self.covered_years))

    def is_working_day(self, d: date) -> bool:
        if d in self.overrides:
            return self.overrides[d]
        if d in self.official:
            return self.official[d].is_working
        return _package_is_working(d) or self._counts_by_saturday_setting(d)

    def check_covered(self, *days: date) -> None:
        """Raise CalendarNotCovered unless the official file covers every year from the first day to the last."""
        if self.covered_years is None or not days:
            return
        for year in range(min(days).year, max(days).year + 1):
            if year not in self.covered_years:
                raise CalendarNotCovered(year, self.covered_years)

    def undecided_days(self) -> list[OfficialDay]:
        """Official days marked "cần xác nhận" that the center has not decided with an override."""
        return sorted(
            (day for day in self.official.values() if day.status is OfficialStatus.UNCONFIRMED and day.day not in self.overrides),
            key=lambda day: day.day,
        )

    def _counts_by_saturday_setting(self, d: date) -> bool:
        # A public holiday falling on a Saturday stays closed even when Saturday mornings are open.
        return (
            self.saturday_counts
            and d.weekday() == SATURDAY
            and d not in self.overrides
            and d not in self.official
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

    def add_days(self, d: date, n: int) -> date:
        """The n-th day after d; a last day that is a day off moves to the next working day (Civil Code art. 148)."""
        if n < 1:
            raise ValueError("Số ngày phải từ 1 trở lên.")
        d += timedelta(days=n)
        return d if self.is_working_day(d) else self.next_working_day(d)

    def _add(self, d: date, n: int, unit: TimeUnit) -> date:
        return self.add_days(d, n) if unit is TimeUnit.DAYS else self.add_working_days(d, n)

    def appointment(self, received: datetime, rule: ProcessingRule) -> datetime:
        """When the result is due, at the end of that working day unless the procedure names an hour.

        A dossier arriving on a non-working day (an online one on Sunday) is treated as received at the
        start of the next working day: a same-day procedure is due that day, an N-day one counts from
        the day after it. For N working days or N days the hour of receipt does not matter, since
        counting starts the next day anyway; N days end on a working day (art. 148). For the same day,
        received at or before the cut-off (15:00:00 is still "not after 15:00") means due today; the
        cut-off is capped at the end of that day's hours, so a Saturday morning or a dossier with no
        cut-off arriving in the evening goes to the next working day. An extension's time is added
        after that ordinary appointment day. Outside the official file's years: CalendarNotCovered.
        """
        self.check_covered(received.date())
        day = received.date()
        received_on_working_day = self.is_working_day(day)
        if not received_on_working_day:
            day = self.next_working_day(day)
        if rule.unit is not TimeUnit.SAME_DAY:
            due = self._add(day, rule.amount, rule.unit)
        elif received_on_working_day and received.time() > self._same_day_cutoff(day, rule):
            due = self.next_working_day(day)
        else:
            due = day
        if rule.extension is not None:
            due = self._add(due, rule.extension.amount, rule.extension.unit)
        self.check_covered(received.date(), due)
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
