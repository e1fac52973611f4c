"""Numbers and dates read from an address: anything the database or the calendar cannot hold is None."""
import datetime

import pytest

from app.rules.inputs import EARLIEST_DAY, LATEST_DAY, PAGE_MAX, RECORD_ID_MAX, day, page_number, record_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        ("9" * 30, None),
        ("9" * 5000, None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("1e3", None),
        ("²", None),
        ("١٢", None),
        ("", None),
        (None, None),
        ("\x00", None),
    ],
)
def test_record_id(text, expected):
    assert record_id(text) == expected


def test_record_id_max_is_sqlites_largest_integer():
    assert RECORD_ID_MAX == 9223372036854775807


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03", datetime.date(2026, 12, 3)),
        ("1900-01-01", datetime.date(1900, 1, 1)),
        ("1899-12-31", None),
        ("2999-12-31", datetime.date(2999, 12, 31)),
        ("3000-01-01", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("03/12/2026", None),
        ("", None),
        (None, None),
        ("🙂", None),
    ],
)
def test_day(text, expected):
    assert day(text) == expected


def test_day_bounds_leave_room_for_a_quarter_either_side():
    assert EARLIEST_DAY - datetime.timedelta(days=92) > datetime.date.min
    assert LATEST_DAY + datetime.timedelta(days=92) < datetime.date.max


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        ("1", 1),
        ("0", 1),
        ("-3", 1),
        ("", 1),
        (None, 1),
        ("abc", 1),
        ("²", 1),
        (str(PAGE_MAX), PAGE_MAX),
        (str(PAGE_MAX + 1), PAGE_MAX),
        ("9" * 30, PAGE_MAX),
    ],
)
def test_page_number(text, expected):
    assert page_number(text) == expected


def test_the_last_page_offset_fits_the_database():
    assert PAGE_MAX * 1000 < RECORD_ID_MAX
