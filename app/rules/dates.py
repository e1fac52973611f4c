"""Dates and times as typed here, dd/mm/yyyy and 24-hour HH:MM whatever the browser's language; ISO still read for old links."""
import datetime
import re

from .inputs import EARLIEST_DAY, LATEST_DAY
from .text import clean

_LOCAL_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def parse_day(text: str) -> tuple[datetime.date | None, str]:
    """(day, "") for dd/mm/yyyy or yyyy-mm-dd; (None, message) for anything else; (None, "") when empty."""
    text = clean(text or "")
    if not text:
        return None, ""
    local, iso = _LOCAL_DAY.fullmatch(text), _ISO_DAY.fullmatch(text)
    if local is None and iso is None:
        return None, f"Ngày «{text}» không đúng dạng dd/mm/yyyy (ví dụ 01/12/2026)."
    year, month, day = (int(part) for part in iso.groups()) if iso else (int(local[3]), int(local[2]), int(local[1]))
    if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        return None, f"Ngày «{text}» có năm ngoài khoảng {EARLIEST_DAY.year}–{LATEST_DAY.year}."
    try:
        return datetime.date(year, month, day), ""
    except ValueError:
        return None, f"Ngày «{text}» không có thật."


def parse_time(text: str) -> tuple[datetime.time | None, str]:
    """(time, "") for a 24-hour HH:MM; (None, message) otherwise, empty included."""
    match = _TIME.fullmatch(clean(text or ""))
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None, "Nhập giờ dạng HH:MM (24 giờ), ví dụ 15:05."
    return datetime.time(int(match[1]), int(match[2])), ""


def parse_moment(text: str) -> tuple[datetime.datetime | None, str]:
    """(moment, "") for "dd/mm/yyyy HH:MM" or ISO "yyyy-mm-ddTHH:MM"; (None, message) otherwise, empty included."""
    parts = clean(text or "").replace("T", " ").split(" ")
    if len(parts) != 2:
        return None, "Nhập ngày giờ dạng dd/mm/yyyy HH:MM, ví dụ 01/12/2026 15:05."
    day, error = parse_day(parts[0])
    if day is None:
        return None, error or "Nhập ngày giờ dạng dd/mm/yyyy HH:MM, ví dụ 01/12/2026 15:05."
    moment, error = parse_time(parts[1])
    if moment is None:
        return None, error
    return datetime.datetime.combine(day, moment), ""


def read_day(values, name: str, label: str, errors: dict) -> tuple[datetime.date | None, str]:
    """The day `values[name]` holds and the text to show back in its box (dd/mm/yyyy, or as typed when refused).

    A refusal goes in `errors[name]`, opened by the field's `label` so that it reads on its own.
    """
    text = values.get(name, "")
    day, error = parse_day(text)
    if error:
        errors[name] = f"{label}: {error}"
    return day, f"{day:%d/%m/%Y}" if day else text
