"""What a number or a date typed into an address may be before it reaches the database."""
import datetime

# The largest integer SQLite (and PostgreSQL's bigint) stores: a larger id names no record.
RECORD_ID_MAX = 2**63 - 1
_RECORD_ID_DIGITS = len(str(RECORD_ID_MAX))
# Dates a filter may name: wide enough for any logbook, narrow enough that adding or taking a few
# days or a quarter never leaves the range Python's dates can hold.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)
# No list is that long; a larger page number shows this page (empty) rather than overflowing the offset.
PAGE_MAX = 1_000_000


def record_id(text: str | None) -> int | None:
    """A positive database id written in plain digits, or None for anything else."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > _RECORD_ID_DIGITS:
        return None
    value = int(text)
    return value if 1 <= value <= RECORD_ID_MAX else None


def day(text: str | None) -> datetime.date | None:
    """A date written yyyy-mm-dd (as a date input sends it) between EARLIEST_DAY and LATEST_DAY, or None."""
    try:
        value = datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return value if EARLIEST_DAY <= value <= LATEST_DAY else None


def page_number(text: str | None) -> int:
    """The page asked for, 1 when none or nonsense, PAGE_MAX at most."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text) > len(str(PAGE_MAX)):
        return PAGE_MAX
    return min(max(int(text), 1), PAGE_MAX)
