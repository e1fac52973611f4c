"""Dates and times typed dd/mm/yyyy and HH:MM, whatever the browser's language; ISO from old links."""
import datetime

import pytest

from app.rules.dates import parse_day, parse_moment, parse_time, read_day


@pytest.mark.parametrize(
    "text, expected",
    [
        ("01/12/2026", datetime.date(2026, 12, 1)),
        ("1/2/2026", datetime.date(2026, 2, 1)),
        (" 29/02/2028 ", datetime.date(2028, 2, 29)),
        ("2026-12-01", datetime.date(2026, 12, 1)),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_day_reads_day_first_and_iso(text, expected):
    day, error = parse_day(text)
    assert day == expected
    assert error == ""


@pytest.mark.parametrize(
    "text, message",
    [
        ("12/01/2026x", "không đúng dạng dd/mm/yyyy"),
        ("2026/12/01", "không đúng dạng dd/mm/yyyy"),
        ("01-12-2026", "không đúng dạng dd/mm/yyyy"),
        ("1/12/26", "không đúng dạng dd/mm/yyyy"),
        ("31/02/2026", "không có thật"),
        ("29/02/2026", "không có thật"),
        ("01/13/2026", "không có thật"),
        ("2026-02-30", "không có thật"),
        ("0001-01-01", "năm ngoài khoảng 1900–2999"),
        ("31/12/9999", "năm ngoài khoảng 1900–2999"),
        ("31/12/1899", "năm ngoài khoảng 1900–2999"),
        ("01/01/3000", "năm ngoài khoảng 1900–2999"),
    ],
)
def test_parse_day_refuses_with_a_message(text, message):
    day, error = parse_day(text)
    assert day is None
    assert message in error and f"«{text}»" in error


@pytest.mark.parametrize("text, expected", [("01/01/1900", datetime.date(1900, 1, 1)), ("31/12/2999", datetime.date(2999, 12, 31))])
def test_parse_day_takes_the_first_and_last_years(text, expected):
    assert parse_day(text) == (expected, "")


@pytest.mark.parametrize(
    "text, expected",
    [("15:05", datetime.time(15, 5)), ("7:30", datetime.time(7, 30)), ("00:00", datetime.time(0, 0)), ("23:59", datetime.time(23, 59))],
)
def test_parse_time_reads_24_hours(text, expected):
    assert parse_time(text) == (expected, "")


@pytest.mark.parametrize("text", ["24:00", "12:60", "5 PM", "05:00 PM", "1505", ""])
def test_parse_time_refuses_anything_but_hh_mm(text):
    moment, error = parse_time(text)
    assert moment is None and "HH:MM" in error


@pytest.mark.parametrize(
    "text, expected",
    [
        ("01/12/2026 17:00", datetime.datetime(2026, 12, 1, 17, 0)),
        ("2026-12-01T09:05", datetime.datetime(2026, 12, 1, 9, 5)),
        (" 3/12/2026 8:15 ", datetime.datetime(2026, 12, 3, 8, 15)),
    ],
)
def test_parse_moment_reads_day_and_time(text, expected):
    assert parse_moment(text) == (expected, "")


@pytest.mark.parametrize(
    "text, message",
    [
        ("01/12/2026", "dd/mm/yyyy HH:MM"),
        ("", "dd/mm/yyyy HH:MM"),
        ("31/11/2026 10:00", "không có thật"),
        ("01/12/2026 05:00 PM", "dd/mm/yyyy HH:MM"),
        ("01/12/2026 25:00", "HH:MM"),
    ],
)
def test_parse_moment_refuses_with_a_message(text, message):
    moment, error = parse_moment(text)
    assert moment is None and message in error


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"tu_ngay": "2026-12-01"}, (datetime.date(2026, 12, 1), "01/12/2026", {})),
        ({"tu_ngay": "1/12/2026"}, (datetime.date(2026, 12, 1), "01/12/2026", {})),
        ({}, (None, "", {})),
        ({"tu_ngay": "12/31/2026"}, (None, "12/31/2026", {"tu_ngay": "Từ ngày: Ngày «12/31/2026» không có thật."})),
    ],
)
def test_read_day_gives_the_day_its_text_and_a_named_refusal(values, expected):
    errors = {}
    day, text = read_day(values, "tu_ngay", "Từ ngày", errors)
    assert (day, text, errors) == expected
