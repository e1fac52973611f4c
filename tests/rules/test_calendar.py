"""Table-driven tests of the working-day calendar against the real 2026 calendar."""

from datetime import date, datetime, time

import pytest

from app.rules.calendar import ProcessingRule, WorkCalendar

CALENDAR = WorkCalendar()
SATURDAYS_OPEN = WorkCalendar(saturday_counts=True)
SAME_DAY = ProcessingRule(working_days=0, cutoff=time(15, 0))
ONE_DAY = ProcessingRule(working_days=1)
THREE_DAYS = ProcessingRule(working_days=3)
CLOSED_TUESDAY = WorkCalendar(overrides={date(2026, 2, 24): False})
OPEN_SUNDAY = WorkCalendar(overrides={date(2026, 3, 8): True})


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), False),  # Tết Dương lịch
        (date(2026, 2, 17), False),  # Tết Nguyên đán
        (date(2026, 4, 27), False),  # Giỗ Tổ moved off Sunday 26/04
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 8, 22), True),  # Saturday worked in exchange for 31/08
        (date(2026, 8, 31), False),
        (date(2026, 9, 1), False),
        (date(2026, 11, 24), False),  # Ngày Văn hóa Việt Nam, from 2026
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 3, 8), False),
        (date(2026, 3, 9), True),
    ],
)
def test_is_working_day_follows_the_national_calendar(day, expected):
    assert CALENDAR.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("day", "working", "end"),
    [
        (date(2026, 3, 7), True, time(11, 30)),  # ordinary Saturday, open by the setting
        (date(2026, 8, 22), True, time(17, 0)),  # swapped Saturday is a full day
        (date(2026, 3, 8), False, time(17, 0)),
        (date(2026, 3, 9), True, time(17, 0)),
    ],
)
def test_saturday_setting_opens_saturday_mornings(day, working, end):
    assert SATURDAYS_OPEN.is_working_day(day) is working
    assert SATURDAYS_OPEN.end_of_day(day) == end


def test_saturday_setting_keeps_a_holiday_on_saturday_closed():
    assert not SATURDAYS_OPEN.is_working_day(date(2027, 5, 1))


@pytest.mark.parametrize(
    ("overrides", "day", "expected"),
    [
        ({date(2026, 3, 10): False}, date(2026, 3, 10), False),  # local closure on a Tuesday
        ({date(2026, 3, 8): True}, date(2026, 3, 8), True),  # Sunday opened
        ({date(2026, 8, 22): False}, date(2026, 8, 22), False),  # beats the package's swap
        ({date(2026, 4, 27): True}, date(2026, 4, 27), True),  # beats the package's holiday
    ],
)
def test_overrides_win_over_everything(overrides, day, expected):
    assert WorkCalendar(overrides=overrides).is_working_day(day) is expected


def test_overrides_are_copied_from_the_callers_dict():
    overrides = {date(2026, 3, 10): False}
    calendar = WorkCalendar(overrides=overrides)
    overrides[date(2026, 3, 10)] = True
    assert not calendar.is_working_day(date(2026, 3, 10))


@pytest.mark.parametrize(
    ("calendar", "received", "rule", "expected"),
    [
        (CALENDAR, datetime(2026, 2, 13, 10, 0), THREE_DAYS, datetime(2026, 2, 25, 17, 0)),
        (CALENDAR, datetime(2026, 2, 13, 15, 5), SAME_DAY, datetime(2026, 2, 23, 17, 0)),
        (CALENDAR, datetime(2026, 2, 13, 14, 59), SAME_DAY, datetime(2026, 2, 13, 17, 0)),
        (CALENDAR, datetime(2026, 2, 13, 15, 0), SAME_DAY, datetime(2026, 2, 13, 17, 0)),
        (CALENDAR, datetime(2026, 2, 13, 15, 0, 1), SAME_DAY, datetime(2026, 2, 23, 17, 0)),
        (CALENDAR, datetime(2026, 8, 21, 9, 0), ONE_DAY, datetime(2026, 8, 22, 17, 0)),
        (CALENDAR, datetime(2026, 4, 29, 15, 5), SAME_DAY, datetime(2026, 5, 4, 17, 0)),
        # Friday before Giỗ Tổ (Mon 27/04 off).
        (CALENDAR, datetime(2026, 4, 24, 15, 5), SAME_DAY, datetime(2026, 4, 28, 17, 0)),
        # Online on a Sunday: as if received Monday morning.
        (CALENDAR, datetime(2026, 3, 8, 21, 0), SAME_DAY, datetime(2026, 3, 9, 17, 0)),
        (CALENDAR, datetime(2026, 3, 8, 21, 0), ONE_DAY, datetime(2026, 3, 10, 17, 0)),
        # After hours on a working day: counting starts the next day anyway.
        (CALENDAR, datetime(2026, 3, 9, 19, 0), ONE_DAY, datetime(2026, 3, 10, 17, 0)),
        (CALENDAR, datetime(2026, 3, 9, 19, 0), ProcessingRule(0), datetime(2026, 3, 10, 17, 0)),
        (CALENDAR, datetime(2026, 3, 9, 9, 0), ProcessingRule(2, None, time(10)), datetime(2026, 3, 11, 10, 0)),
        (CALENDAR, datetime(2026, 3, 9, 9, 0), ProcessingRule(0, time(15), time(16)), datetime(2026, 3, 9, 16, 0)),
        # A printed hour already past falls back to the end of the day.
        (CALENDAR, datetime(2026, 3, 9, 14, 0), ProcessingRule(0, time(15), time(10)), datetime(2026, 3, 9, 17, 0)),
        # Saturday mornings: the cut-off is capped at 11:30.
        (SATURDAYS_OPEN, datetime(2026, 3, 6, 15, 5), SAME_DAY, datetime(2026, 3, 7, 11, 30)),
        (SATURDAYS_OPEN, datetime(2026, 3, 7, 12, 0), SAME_DAY, datetime(2026, 3, 9, 17, 0)),
        (SATURDAYS_OPEN, datetime(2026, 3, 6, 9, 0), ONE_DAY, datetime(2026, 3, 7, 11, 30)),
        # Local overrides.
        (CLOSED_TUESDAY, datetime(2026, 2, 13, 10, 0), THREE_DAYS, datetime(2026, 2, 26, 17, 0)),
        (OPEN_SUNDAY, datetime(2026, 3, 6, 15, 5), SAME_DAY, datetime(2026, 3, 8, 17, 0)),
    ],
)
def test_appointment(calendar, received, rule, expected):
    assert calendar.appointment(received, rule) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 23)),
        (date(2026, 4, 24), 1, date(2026, 4, 28)),
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # across the year end and Tết Dương lịch
        (date(2026, 8, 28), 1, date(2026, 9, 3)),  # 31/08, 01/09, 02/09 off
    ],
)
def test_add_working_days(start, n, expected):
    assert CALENDAR.add_working_days(start, n) == expected


def test_add_working_days_refuses_zero():
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(date(2026, 3, 9), 0)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 2, 9), date(2026, 2, 23), 5),  # the Tết fortnight
        (date(2026, 4, 20), date(2026, 5, 4), 7),
        (date(2026, 3, 9), date(2026, 3, 9), 0),
        (date(2026, 3, 10), date(2026, 3, 9), 0),
    ],
)
def test_working_days_in(start, end, expected):
    assert CALENDAR.working_days_in(start, end) == expected


@pytest.mark.parametrize(
    ("calendar", "appointment", "paused", "resumed", "expected"),
    [
        # Mon 23/02 and Tue 24/02 paused: two working days.
        (CALENDAR, (2026, 2, 25, 17), (2026, 2, 23, 9), (2026, 2, 25, 8), (2026, 2, 27, 17)),
        # Fri 24/04 to Tue 28/04 spans Giỗ Tổ: only Friday counts; the new date skips 30/04 and 01/05.
        (CALENDAR, (2026, 4, 29, 10), (2026, 4, 24, 9), (2026, 4, 28, 9), (2026, 5, 4, 10)),
        (CALENDAR, (2026, 3, 11, 17), (2026, 3, 9, 8), (2026, 3, 9, 16), (2026, 3, 11, 17)),
        # A 17:00 appointment moved onto a Saturday morning closes at 11:30.
        (SATURDAYS_OPEN, (2026, 3, 6, 17), (2026, 3, 4, 9), (2026, 3, 5, 9), (2026, 3, 7, 11, 30)),
    ],
)
def test_move_by_pause(calendar, appointment, paused, resumed, expected):
    moved = calendar.move_by_pause(datetime(*appointment), datetime(*paused), datetime(*resumed))
    assert moved == datetime(*expected)


def test_move_by_pause_refuses_resume_before_pause():
    with pytest.raises(ValueError, match="tạm dừng"):
        CALENDAR.move_by_pause(
            datetime(2026, 3, 11, 17, 0), datetime(2026, 3, 10, 9, 0), datetime(2026, 3, 9, 9, 0)
        )


@pytest.mark.parametrize(
    ("day", "working", "name_part"),
    [
        (date(2026, 8, 22), True, "31/08/2026"),
        (date(2026, 8, 31), False, "22/08/2026"),
        (date(2026, 4, 27), False, "Giỗ Tổ"),
        (date(2026, 11, 24), False, "Văn hóa"),
    ],
)
def test_package_days_lists_holidays_and_swapped_saturdays(day, working, name_part):
    days = {d: (name, is_working) for d, name, is_working in CALENDAR.package_days(2026)}
    name, is_working = days[day]
    assert is_working is working
    assert name_part in name


def test_package_days_is_sorted_and_within_the_year():
    days = CALENDAR.package_days(2026)
    assert [d for d, _, _ in days] == sorted(d for d, _, _ in days)
    assert {d.year for d, _, _ in days} == {2026}


def test_package_days_names_a_swap_across_the_year_end():
    days = {d: name for d, name, _ in CALENDAR.package_days(2019)}
    assert "31/12/2018" in days[date(2019, 1, 5)]
