"""Reporting periods: month, quarter, half-year, year or custom range, calendar or cut on a given day."""
import datetime
import re
from dataclasses import dataclass

ROMAN = ("I", "II", "III", "IV")

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq](\d)$")
_HALF = re.compile(r"^(\d{4})-[Hh](\d)$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
# The latest day a cut-off can fall on so that every month has it.
MAX_CUTOFF_DAY = 28
# Dossier codes carry a two-digit year from 2000: no record of this software falls outside.
YEARS = range(2000, 2100)


class PeriodError(ValueError):
    """A period that cannot be read; the message is a Vietnamese sentence for the person who typed it."""


@dataclass(frozen=True)
class Period:
    """A reporting period: the first and last day it covers (both included) and its Vietnamese name."""

    start: datetime.date
    end: datetime.date
    label: str
    key: str

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "label": self.label}


def _month_span(year: int, first_month: int, last_month: int, cutoff_day: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of months first..last of `year`; with a cut-off, from its day in the month before."""
    if not cutoff_day:
        start = datetime.date(year, first_month, 1)
        after = datetime.date(year + (last_month == 12), last_month % 12 + 1, 1)
        return start, after - datetime.timedelta(days=1)
    before_year, before_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
    start = datetime.date(before_year, before_month, cutoff_day)
    return start, datetime.date(year, last_month, cutoff_day) - datetime.timedelta(days=1)


def _checked_cutoff(cutoff_day: int) -> int:
    if not 0 <= cutoff_day <= MAX_CUTOFF_DAY:
        raise PeriodError(f"Ngày chốt số liệu phải từ 0 (theo tháng dương lịch) đến {MAX_CUTOFF_DAY}.")
    # Cutting on the 1st is the calendar month itself.
    return 0 if cutoff_day == 1 else cutoff_day


def _check_year(year: int) -> int:
    if year not in YEARS:
        raise PeriodError(f"Năm {year} nằm ngoài khoảng {YEARS.start}–{YEARS.stop - 1}.")
    return year


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"Ngày {text} không có trên lịch.") from None


def _format(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def parse(text: str, cutoff_day: int = 0) -> Period:
    """Read "2025-09", "2025-Q3", "2025-H1", "2025" or "2025-07-01..2025-09-30".

    `cutoff_day` 0 gives calendar periods; 15 makes a month run from the 15th of the month before to
    the 14th, and a quarter, half or year likewise (DOMAIN §6). A custom range is taken as typed.
    """
    text = (text or "").strip()
    cutoff_day = _checked_cutoff(cutoff_day)
    if match := _RANGE.match(text):
        start, end = _date(match.group(1)), _date(match.group(2))
        _check_year(start.year)
        _check_year(end.year)
        if end < start:
            raise PeriodError(f"Khoảng thời gian ngược: ngày bắt đầu {_format(start)} sau ngày kết thúc {_format(end)}.")
        return Period(start, end, f"Từ {_format(start)} đến {_format(end)}", text)
    if match := _MONTH.match(text):
        year, month = _check_year(int(match.group(1))), int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"Tháng {month} không hợp lệ: tháng từ 1 đến 12.")
        return Period(*_month_span(year, month, month, cutoff_day), f"Tháng {month}/{year}", f"{year}-{month:02d}")
    if match := _QUARTER.match(text):
        year, quarter = _check_year(int(match.group(1))), int(match.group(2))
        if not 1 <= quarter <= 4:
            raise PeriodError(f"Quý {quarter} không hợp lệ: quý từ 1 đến 4.")
        span = _month_span(year, 3 * quarter - 2, 3 * quarter, cutoff_day)
        return Period(*span, f"Quý {ROMAN[quarter - 1]}/{year}", f"{year}-Q{quarter}")
    if match := _HALF.match(text):
        year, half = _check_year(int(match.group(1))), int(match.group(2))
        if half not in (1, 2):
            raise PeriodError(f"Nửa năm {half} không hợp lệ: dùng H1 (6 tháng đầu năm) hoặc H2 (6 tháng cuối năm).")
        span = _month_span(year, 6 * half - 5, 6 * half, cutoff_day)
        return Period(*span, f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}", f"{year}-H{half}")
    if match := _YEAR.match(text):
        year = _check_year(int(match.group(1)))
        return Period(*_month_span(year, 1, 12, cutoff_day), f"Năm {year}", str(year))
    raise PeriodError(
        f"Không đọc được kỳ báo cáo «{text}». Dùng dạng 2025-09 (tháng), 2025-Q3 (quý), 2025-H1 (6 tháng), "
        "2025 (năm) hoặc 2025-07-01..2025-09-30 (tùy chọn)."
    )


def containing(day: datetime.date, kind: str, cutoff_day: int = 0) -> Period:
    """The month, quarter ("Q"), half ("H") or year ("Y") period that `day` falls in."""
    cutoff_day = _checked_cutoff(cutoff_day)
    year, month = day.year, day.month
    if cutoff_day and day.day >= cutoff_day:
        # From the cut-off on, a day belongs to the next month's report.
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    keys = {
        "M": f"{year}-{month:02d}",
        "Q": f"{year}-Q{(month - 1) // 3 + 1}",
        "H": f"{year}-H{1 if month <= 6 else 2}",
        "Y": str(year),
    }
    return parse(keys[kind], cutoff_day)


def months(period: Period, cutoff_day: int = 0) -> list[Period]:
    """The reporting months the period touches, each clipped to the period, for a chart by month."""
    spans = []
    day = period.start
    while day <= period.end:
        month = containing(day, "M", cutoff_day)
        spans.append(Period(max(month.start, period.start), min(month.end, period.end), month.label, month.key))
        day = month.end + datetime.timedelta(days=1)
    return spans
