"""The board's rules: the panel rotation a URL asks for, paging, and the center's opening hours."""
import datetime

import pytest

from app.rules.board import PanelShow, choose_panels, is_open, next_opening, page_of, parse_panel_names
from app.rules.calendar import WorkCalendar

DEFAULTS = (PanelShow("ready", 20), PanelShow("procedures", 15), PanelShow("notices", 10))


@pytest.mark.parametrize(
    "panels, seconds, expected",
    [
        (None, None, [("ready", 20), ("procedures", 15), ("notices", 10)]),
        ("ready", None, [("ready", 20)]),
        ("READY, notices", "30", [("ready", 30), ("notices", 30)]),
        ("notices;ready ready", "", [("notices", 10), ("ready", 20)]),
        ("figures", None, [("figures", 20)]),
        ("tv,ads,", "12", [("ready", 12), ("procedures", 12), ("notices", 12)]),
        ("ready", "4", [("ready", 20)]),
        ("ready", "601", [("ready", 20)]),
        ("ready", "1.5", [("ready", 20)]),
        ("", "abc", [("ready", 20), ("procedures", 15), ("notices", 10)]),
    ],
)
def test_choose_panels_keeps_known_names_and_sane_seconds(panels, seconds, expected):
    assert [(show.key, show.seconds) for show in choose_panels(DEFAULTS, panels, seconds)] == expected


def test_panel_names_from_anything_typed():
    assert parse_panel_names("<script>alert(1)</script>,ready") == ["ready"]
    assert parse_panel_names(None) == []


@pytest.mark.parametrize(
    "total, size, requested, number, count, offset",
    [
        (0, 8, None, 1, 1, 0),
        (8, 8, "1", 1, 1, 0),
        (9, 8, "2", 2, 2, 8),
        (500, 8, "63", 63, 63, 496),
        (500, 8, "64", 1, 63, 0),
        (500, 8, "0", 1, 63, 0),
        (500, 8, "x", 1, 63, 0),
        (16, 8, 2, 2, 2, 8),
    ],
)
def test_page_of_wraps_to_the_first_page_when_out_of_range(total, size, requested, number, count, offset):
    page = page_of(total, size, requested)
    assert (page.number, page.count, page.offset) == (number, count, offset)


CALENDAR = WorkCalendar()
SATURDAYS = WorkCalendar(saturday_counts=True)


@pytest.mark.parametrize(
    "calendar, moment, open_now, reopens",
    [
        (CALENDAR, datetime.datetime(2026, 11, 30, 9, 0), True, None),
        (CALENDAR, datetime.datetime(2026, 11, 30, 7, 30), True, None),
        (CALENDAR, datetime.datetime(2026, 11, 30, 7, 29), False, datetime.datetime(2026, 11, 30, 7, 30)),
        (CALENDAR, datetime.datetime(2026, 11, 30, 17, 0), False, datetime.datetime(2026, 12, 1, 7, 30)),
        (CALENDAR, datetime.datetime(2026, 12, 4, 18, 0), False, datetime.datetime(2026, 12, 7, 7, 30)),
        (CALENDAR, datetime.datetime(2026, 12, 5, 9, 0), False, datetime.datetime(2026, 12, 7, 7, 30)),
        (SATURDAYS, datetime.datetime(2026, 12, 5, 9, 0), True, None),
        (SATURDAYS, datetime.datetime(2026, 12, 5, 12, 0), False, datetime.datetime(2026, 12, 7, 7, 30)),
        # Tết 2026: off from Saturday 14/2 to Sunday 22/2.
        (CALENDAR, datetime.datetime(2026, 2, 16, 9, 0), False, datetime.datetime(2026, 2, 23, 7, 30)),
        # Saturday 22/8/2026 is worked in exchange for Monday 31/8.
        (CALENDAR, datetime.datetime(2026, 8, 22, 9, 0), True, None),
        (CALENDAR, datetime.datetime(2026, 8, 28, 18, 0), False, datetime.datetime(2026, 9, 3, 7, 30)),
    ],
)
def test_open_hours_follow_the_working_calendar(calendar, moment, open_now, reopens):
    assert is_open(moment, calendar) is open_now
    if not open_now:
        assert next_opening(moment, calendar) == reopens
