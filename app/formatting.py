"""How numbers, money, dates and times are written for Vietnamese readers (Jinja filters)."""
import datetime

from babel import Locale
from babel.numbers import format_decimal

from .rules.text import village_label, with_village

# Parsed once: Babel parses a locale given by name on every call, and a list page formats hundreds of values.
LOCALE = Locale.parse("vi_VN")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def number(value) -> str:
    """1236 -> '1.236'."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0", locale=LOCALE)


def percent(value) -> str:
    """99.834 -> '99,83%' (the value is already a percentage)."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0.00", locale=LOCALE) + "%"


def money(value) -> str:
    """10000 -> '10.000 đ'."""
    if value is None:
        return ""
    return f"{number(value)} đ"


def date(value) -> str:
    """dd/mm/yyyy."""
    if value is None:
        return ""
    # All digits, so no locale is involved: written directly, which costs a fifth of Babel's pattern engine.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def time(value) -> str:
    """HH:mm."""
    if value is None:
        return ""
    return f"{value.hour:02d}:{value.minute:02d}"


def datetime_(value) -> str:
    """HH:mm dd/mm/yyyy, the order Vietnamese forms use."""
    if value is None:
        return ""
    return f"{time(value)} {date(value)}"


def weekday_date(value) -> str:
    """'Thứ Hai, 30/11/2026'."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"{WEEKDAYS[value.weekday()]}, {date(value)}"


FILTERS = {
    "number": number,
    "percent": percent,
    "money": money,
    "date": date,
    "time": time,
    "datetime": datetime_,
    "weekday_date": weekday_date,
    "village": village_label,
    "with_village": with_village,
}
