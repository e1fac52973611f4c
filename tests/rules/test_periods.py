"""Reporting periods: calendar or cut on the 15th, their Vietnamese names, and the ones refused."""
from datetime import date

import pytest

from app.rules.periods import PeriodError, containing, months, parse


@pytest.mark.parametrize(
    "text, cutoff_day, start, end, label",
    [
        ("2025-09", 0, date(2025, 9, 1), date(2025, 9, 30), "Tháng 9/2025"),
        ("2024-02", 0, date(2024, 2, 1), date(2024, 2, 29), "Tháng 2/2024"),
        ("2025-12", 0, date(2025, 12, 1), date(2025, 12, 31), "Tháng 12/2025"),
        ("2025-Q3", 0, date(2025, 7, 1), date(2025, 9, 30), "Quý III/2025"),
        ("2025-q1", 0, date(2025, 1, 1), date(2025, 3, 31), "Quý I/2025"),
        ("2025-Q4", 0, date(2025, 10, 1), date(2025, 12, 31), "Quý IV/2025"),
        ("2025-H1", 0, date(2025, 1, 1), date(2025, 6, 30), "6 tháng đầu năm 2025"),
        ("2025-H2", 0, date(2025, 7, 1), date(2025, 12, 31), "6 tháng cuối năm 2025"),
        ("2025", 0, date(2025, 1, 1), date(2025, 12, 31), "Năm 2025"),
        ("2025-07-01..2025-09-30", 0, date(2025, 7, 1), date(2025, 9, 30), "Từ 01/07/2025 đến 30/09/2025"),
        ("2025-09-05..2025-09-05", 0, date(2025, 9, 5), date(2025, 9, 5), "Từ 05/09/2025 đến 05/09/2025"),
        # Cut on the 15th: from the 15th of the month before to the 14th (DOMAIN §6).
        ("2025-09", 15, date(2025, 8, 15), date(2025, 9, 14), "Tháng 9/2025"),
        ("2025-01", 15, date(2024, 12, 15), date(2025, 1, 14), "Tháng 1/2025"),
        ("2025-Q3", 15, date(2025, 6, 15), date(2025, 9, 14), "Quý III/2025"),
        ("2025-H1", 15, date(2024, 12, 15), date(2025, 6, 14), "6 tháng đầu năm 2025"),
        ("2025", 15, date(2024, 12, 15), date(2025, 12, 14), "Năm 2025"),
        ("2025-07-01..2025-09-30", 15, date(2025, 7, 1), date(2025, 9, 30), "Từ 01/07/2025 đến 30/09/2025"),
        # A cut on the 1st is the calendar month.
        ("2025-09", 1, date(2025, 9, 1), date(2025, 9, 30), "Tháng 9/2025"),
        (" 2025-09 ", 0, date(2025, 9, 1), date(2025, 9, 30), "Tháng 9/2025"),
    ],
)
def test_parse(text, cutoff_day, start, end, label):
    period = parse(text, cutoff_day)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_period_as_json():
    assert parse("2025-Q3").as_dict() == {"from": "2025-07-01", "to": "2025-09-30", "label": "Quý III/2025"}


@pytest.mark.parametrize(
    "text, cutoff_day, message",
    [
        ("2025-Q5", 0, "Quý 5 không hợp lệ"),
        ("2025-Q0", 0, "Quý 0 không hợp lệ"),
        ("2025-13", 0, "Tháng 13 không hợp lệ"),
        ("2025-00", 0, "Tháng 0 không hợp lệ"),
        ("2025-H3", 0, "Nửa năm 3 không hợp lệ"),
        ("2025-09-30..2025-07-01", 0, "Khoảng thời gian ngược"),
        ("2025-02-29..2025-03-31", 0, "Ngày 2025-02-29 không có trên lịch"),
        ("", 0, "Không đọc được kỳ báo cáo"),
        ("quý 3", 0, "Không đọc được kỳ báo cáo"),
        ("2025/09", 0, "Không đọc được kỳ báo cáo"),
        ("0001-01", 0, "Năm 1 nằm ngoài khoảng 2000–2099"),
        ("1999", 0, "Năm 1999 nằm ngoài khoảng"),
        ("2100-Q1", 0, "Năm 2100 nằm ngoài khoảng"),
        ("1999-12-31..2025-01-01", 0, "Năm 1999 nằm ngoài khoảng"),
        ("2025-09", 29, "Ngày chốt số liệu"),
        ("2025-09", -1, "Ngày chốt số liệu"),
    ],
)
def test_refused(text, cutoff_day, message):
    with pytest.raises(PeriodError, match=message):
        parse(text, cutoff_day)


@pytest.mark.parametrize(
    "day, kind, cutoff_day, key",
    [
        (date(2025, 9, 14), "M", 0, "2025-09"),
        (date(2025, 9, 14), "M", 15, "2025-09"),
        (date(2025, 9, 15), "M", 15, "2025-10"),
        (date(2025, 12, 20), "M", 15, "2026-01"),
        (date(2025, 12, 20), "Y", 15, "2026"),
        (date(2025, 9, 20), "Q", 15, "2025-Q4"),
        (date(2025, 6, 30), "H", 0, "2025-H1"),
    ],
)
def test_containing(day, kind, cutoff_day, key):
    assert containing(day, kind, cutoff_day).key == key


def test_months_of_a_quarter_cut_on_the_15th():
    spans = months(parse("2025-Q3", 15), 15)
    assert [(span.label, span.start, span.end) for span in spans] == [
        ("Tháng 7/2025", date(2025, 6, 15), date(2025, 7, 14)),
        ("Tháng 8/2025", date(2025, 7, 15), date(2025, 8, 14)),
        ("Tháng 9/2025", date(2025, 8, 15), date(2025, 9, 14)),
    ]


def test_months_of_a_custom_range_are_clipped():
    spans = months(parse("2025-07-10..2025-08-20"))
    assert [(span.start, span.end) for span in spans] == [(date(2025, 7, 10), date(2025, 7, 31)), (date(2025, 8, 1), date(2025, 8, 20))]
