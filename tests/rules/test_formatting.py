import datetime

import pytest

from app import formatting


@pytest.mark.parametrize(
    "function, value, shown",
    [
        (formatting.number, 1236, "1.236"),
        (formatting.number, 643272, "643.272"),
        (formatting.number, 0, "0"),
        (formatting.percent, 98.8063, "98,81%"),
        (formatting.percent, 99.83, "99,83%"),
        (formatting.percent, 100, "100,00%"),
        (formatting.percent, None, "—"),
        (formatting.money, 10000, "10.000 đ"),
        (formatting.money, 200000, "200.000 đ"),
        (formatting.date, datetime.date(2026, 2, 3), "03/02/2026"),
        (formatting.date, datetime.datetime(2026, 11, 30, 9, 5), "30/11/2026"),
        (formatting.date, datetime.date(2028, 2, 29), "29/02/2028"),
        (formatting.date, None, ""),
        (formatting.time, datetime.datetime(2026, 11, 30, 9, 5), "09:05"),
        (formatting.time, datetime.time(17, 0), "17:00"),
        (formatting.time, datetime.datetime(2026, 12, 31, 0, 0, 59), "00:00"),
        (formatting.datetime_, datetime.datetime(2026, 1, 1, 0, 0), "00:00 01/01/2026"),
        (formatting.datetime_, None, ""),
        (formatting.datetime_, datetime.datetime(2026, 2, 13, 15, 5), "15:05 13/02/2026"),
        (formatting.weekday_date, datetime.date(2026, 11, 30), "Thứ Hai, 30/11/2026"),
        (formatting.weekday_date, datetime.date(2026, 11, 29), "Chủ nhật, 29/11/2026"),
    ],
)
def test_vietnamese_formats(function, value, shown):
    assert function(value) == shown
