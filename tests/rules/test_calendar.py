"""Table-driven tests of the working-day calendar against the real 2026 calendar."""

from datetime import date, datetime, time
from pathlib import Path

import pytest

from app.rules.calendar import (
    CalendarFileError,
    CalendarNotCovered,
    Extension,
    ExtensionCase,
    OfficialStatus,
    ProcessingRule,
    TimeUnit,
    WorkCalendar,
    read_official_calendar,
)

CALENDAR = WorkCalendar()
SATURDAYS_OPEN = WorkCalendar(saturday_counts=True)
SAME_DAY = ProcessingRule(0, cutoff=time(15, 0))
ONE_DAY = ProcessingRule(1)
THREE_DAYS = ProcessingRule(3)
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


# The official calendar file shipped in app/data, read the way the center reads it.
OFFICIAL_FILE = Path(__file__).resolve().parents[2] / "app" / "data" / "calendar.csv"
OFFICIAL_DAYS = read_official_calendar(OFFICIAL_FILE.read_text(encoding="utf-8"))
OFFICIAL = WorkCalendar(official=OFFICIAL_DAYS, covered_years=frozenset(d.year for d in OFFICIAL_DAYS))
OFFICIAL_SATURDAYS_OPEN = WorkCalendar(
    official=OFFICIAL_DAYS, covered_years=frozenset(d.year for d in OFFICIAL_DAYS), saturday_counts=True
)
SAME_DAY_ONLINE = ProcessingRule(0, time(15, 0), unit=TimeUnit.SAME_DAY)
THIRTY_DAYS = ProcessingRule(30, unit=TimeUnit.DAYS)


@pytest.mark.parametrize(
    ("received", "rule", "expected"),
    [
        # The table: a swapped Saturday is worked, the New Year swap, Tết, and days ending on a day off.
        (datetime(2026, 1, 9, 9, 0), ONE_DAY, datetime(2026, 1, 10, 17, 0)),
        (datetime(2025, 12, 31, 9, 0), THREE_DAYS, datetime(2026, 1, 7, 17, 0)),
        (datetime(2026, 1, 2, 10, 0), SAME_DAY_ONLINE, datetime(2026, 1, 5, 17, 0)),
        (datetime(2026, 2, 13, 15, 30), SAME_DAY_ONLINE, datetime(2026, 2, 23, 17, 0)),
        (datetime(2026, 3, 2, 9, 0), THIRTY_DAYS, datetime(2026, 4, 1, 17, 0)),
        (datetime(2026, 10, 1, 9, 0), THIRTY_DAYS, datetime(2026, 11, 2, 17, 0)),
        # 30 days from Fri 02/01/2026 (a day off): counted from Mon 05/01, day 30 is Wed 04/02.
        (datetime(2026, 1, 2, 9, 0), THIRTY_DAYS, datetime(2026, 2, 4, 17, 0)),
        # 30 days ending on Sun 15/02 inside Tết: the next working day is Mon 23/02.
        (datetime(2026, 1, 16, 9, 0), THIRTY_DAYS, datetime(2026, 2, 23, 17, 0)),
        # N days from a Friday: days 1–2 fall on the weekend and move to Monday; day 4 is Tuesday.
        (datetime(2026, 3, 3, 9, 0), ProcessingRule(1, unit=TimeUnit.DAYS), datetime(2026, 3, 4, 17, 0)),
        (datetime(2026, 3, 6, 9, 0), ProcessingRule(1, unit=TimeUnit.DAYS), datetime(2026, 3, 9, 17, 0)),
        (datetime(2026, 3, 6, 9, 0), ProcessingRule(2, unit=TimeUnit.DAYS), datetime(2026, 3, 9, 17, 0)),
        (datetime(2026, 3, 6, 9, 0), ProcessingRule(3, unit=TimeUnit.DAYS), datetime(2026, 3, 9, 17, 0)),
        (datetime(2026, 3, 6, 9, 0), ProcessingRule(4, unit=TimeUnit.DAYS), datetime(2026, 3, 10, 17, 0)),
        # 15 days for the building permit: Mon 17/08 + 15 = Tue 01/09 (Quốc khánh), then 31/08–02/09 off → Thu 03/09.
        (datetime(2026, 8, 17, 9, 0), ProcessingRule(15, unit=TimeUnit.DAYS), datetime(2026, 9, 3, 17, 0)),
        # The 2026 swapped working Saturday 10/01 and the days off 01–02/01.
        (datetime(2026, 1, 8, 9, 0), ProcessingRule(2), datetime(2026, 1, 10, 17, 0)),
        (datetime(2026, 1, 8, 9, 0), ProcessingRule(3), datetime(2026, 1, 12, 17, 0)),
        (datetime(2026, 1, 10, 16, 0), SAME_DAY_ONLINE, datetime(2026, 1, 12, 17, 0)),
        (datetime(2026, 1, 10, 14, 0), SAME_DAY_ONLINE, datetime(2026, 1, 10, 17, 0)),
        # 2025: Tết from Sat 25/01 to Sun 02/02, the 30/04 swap (Sat 26/04 worked, Fri 02/05 off).
        (datetime(2025, 1, 24, 15, 30), SAME_DAY_ONLINE, datetime(2025, 2, 3, 17, 0)),
        (datetime(2025, 4, 25, 9, 0), ONE_DAY, datetime(2025, 4, 26, 17, 0)),
        (datetime(2025, 4, 29, 9, 0), ONE_DAY, datetime(2025, 5, 5, 17, 0)),
    ],
)
def test_appointment_on_the_official_calendar(received, rule, expected):
    assert OFFICIAL.appointment(received, rule) == expected


def test_thirty_days_ending_on_a_saturday_stays_when_saturday_mornings_count():
    # Sat 31/10/2026 is a working morning under the setting: the time ends at its closing hour.
    assert OFFICIAL_SATURDAYS_OPEN.appointment(datetime(2026, 10, 1, 9, 0), THIRTY_DAYS) == datetime(2026, 10, 31, 11, 30)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 2), False),  # the file's swap: the package has it as a working Friday
        (date(2026, 1, 10), True),  # ... and Saturday 10/01 as closed
        (date(2026, 1, 3), False),
        (date(2026, 2, 14), False),
        (date(2026, 2, 23), True),
        (date(2025, 4, 26), True),
        (date(2025, 5, 2), False),
        (date(2026, 11, 24), False),  # "cần xác nhận": counted as the row says until the admin decides
    ],
)
def test_official_file_overrides_the_package(day, working):
    assert OFFICIAL.is_working_day(day) is working


def test_admin_override_beats_the_official_file():
    calendar = WorkCalendar(overrides={date(2026, 1, 10): False}, official=OFFICIAL_DAYS)
    assert not calendar.is_working_day(date(2026, 1, 10))


def test_swapped_saturday_in_the_file_is_a_full_day_with_saturday_mornings_open():
    assert OFFICIAL_SATURDAYS_OPEN.end_of_day(date(2026, 1, 10)) == time(17, 0)
    assert not OFFICIAL_SATURDAYS_OPEN.is_working_day(date(2026, 2, 14))  # Tết Saturday stays closed


def test_the_file_covers_2025_to_2027_and_marks_24_11_2026_unconfirmed():
    assert {d.year for d in OFFICIAL_DAYS} >= {2025, 2026, 2027}
    assert OFFICIAL_DAYS[date(2026, 11, 24)].status is OfficialStatus.UNCONFIRMED
    assert all(day.source for day in OFFICIAL_DAYS.values())
    assert date(2026, 11, 24) in [day.day for day in OFFICIAL.undecided_days()]
    decided = WorkCalendar(overrides={date(2026, 11, 24): True}, official=OFFICIAL_DAYS)
    assert date(2026, 11, 24) not in [day.day for day in decided.undecided_days()]


@pytest.mark.parametrize(
    ("received", "rule"),
    [
        (datetime(2031, 3, 2, 9, 0), ONE_DAY),
        (datetime(2024, 12, 30, 9, 0), ONE_DAY),
        # Received in a covered year, due in one the file lacks.
        (datetime(2027, 12, 20, 9, 0), THIRTY_DAYS),
    ],
)
def test_a_year_the_file_does_not_cover_is_refused_never_guessed(received, rule):
    with pytest.raises(CalendarNotCovered, match="Chưa có lịch nghỉ lễ chính thức năm"):
        OFFICIAL.appointment(received, rule)


@pytest.mark.parametrize(
    ("received", "rule", "expected"),
    [
        # Marriage, verification needed: same day + 5 working days (Luật Hộ tịch art. 18).
        (datetime(2026, 3, 9, 9, 0), ProcessingRule(0, time(15), extension=Extension("Xác minh", 5)), datetime(2026, 3, 16, 17, 0)),
        # After the cut-off the ordinary day is Tuesday, then 2 more working days.
        (datetime(2026, 3, 9, 15, 30), ProcessingRule(0, time(15), extension=Extension("Nhiều bản", 2)), datetime(2026, 3, 12, 17, 0)),
        # 3 working days + 5 more working days = 8.
        (datetime(2026, 3, 9, 9, 0), ProcessingRule(3, extension=Extension("Xác minh", 5)), datetime(2026, 3, 19, 17, 0)),
        # Extra calendar days end on a working day: Thu 12/03 + 2 days = Sat → Mon 16/03.
        (datetime(2026, 3, 9, 9, 0), ProcessingRule(3, extension=Extension("Thỏa thuận", 2, TimeUnit.DAYS)), datetime(2026, 3, 16, 17, 0)),
        (datetime(2026, 3, 9, 9, 0), ProcessingRule(3, extension=Extension("Thỏa thuận", 1, TimeUnit.DAYS)), datetime(2026, 3, 13, 17, 0)),
    ],
)
def test_extension_adds_its_time_after_the_ordinary_appointment(received, rule, expected):
    assert OFFICIAL.appointment(received, rule) == expected


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (ProcessingRule(3), "3 ngày làm việc"),
        (ProcessingRule(30, unit=TimeUnit.DAYS), "30 ngày"),
        (ProcessingRule(0, time(15)), "Trong ngày (nhận trước 15:00)"),
        (ProcessingRule(0), "Trong ngày"),
    ],
)
def test_rule_words(rule, words):
    assert rule.words == words


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": 3, "unit": TimeUnit.SAME_DAY}, "0"),
        ({"amount": 0, "unit": TimeUnit.DAYS}, "từ 1"),
        ({"amount": 0, "unit": TimeUnit.WORKING_DAYS}, "từ 1"),
    ],
)
def test_rule_refuses_an_amount_that_does_not_fit_its_unit(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ProcessingRule(**kwargs)


def test_extension_refuses_same_day_and_zero():
    with pytest.raises(ValueError):
        Extension("x", 2, TimeUnit.SAME_DAY)
    with pytest.raises(ValueError):
        Extension("x", 0)


@pytest.mark.parametrize(
    ("case", "agreed", "expected"),
    [
        (ExtensionCase("Xác minh", 5), None, Extension("Xác minh", 5)),
        (ExtensionCase("Thỏa thuận", None), 7, Extension("Thỏa thuận", 7)),
        (ExtensionCase("Xác minh", 5), 9, Extension("Xác minh", 5)),  # a fixed case ignores a typed amount
    ],
)
def test_extension_case_gives_its_extension(case, agreed, expected):
    assert case.extension(agreed) == expected


def test_agreed_case_needs_the_agreed_amount():
    with pytest.raises(ValueError):
        ExtensionCase("Thỏa thuận", None).extension()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ngay,loai\n", "Dòng 1: tiêu đề"),
        ("ngay,loai,ten,van_ban,trang_thai\n31/02/2026,nghi,X,Y,chinh_thuc\n", "Dòng 2, cột ngay"),
        ("ngay,loai,ten,van_ban,trang_thai\n01/01/2026,nghi,X,Y,chinh_thuc\n01/01/2026,nghi,X,Y,chinh_thuc\n", "Dòng 3, cột ngay"),
        ("ngay,loai,ten,van_ban,trang_thai\n01/01/2026,lam,X,Y,chinh_thuc\n", "Dòng 2, cột loai"),
        ("ngay,loai,ten,van_ban,trang_thai\n01/01/2026,nghi,X,,chinh_thuc\n", "Dòng 2, cột van_ban"),
        ("ngay,loai,ten,van_ban,trang_thai\n01/01/2026,nghi,X,Y,chac\n", "Dòng 2, cột trang_thai"),
        ("ngay,loai,ten,van_ban,trang_thai\n01/01/2026,nghi,X\n", "Dòng 2: cần 5 ô"),
    ],
)
def test_calendar_file_errors_name_line_and_column(text, message):
    with pytest.raises(CalendarFileError, match=message):
        read_official_calendar(text)
