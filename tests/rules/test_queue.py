"""The queue's rules with explicit times: numbering per day, order with priority, recalls, skips, rollover."""
import datetime

import pytest

from app.rules.calendar import WorkCalendar

from app.rules.queue import (
    QueuePolicy,
    TicketStatus,
    Waiting,
    choose_next,
    closing_notice,
    percentile,
    priority_streak,
    recall,
    service_day,
    ticket_label,
    ticket_number,
)

POLICY = QueuePolicy(recall_limit=3, skip_recall_window=datetime.timedelta(minutes=30), priority_streak=2)
MORNING = datetime.datetime(2026, 3, 2, 8, 0)


def at(minutes: int) -> datetime.datetime:
    return MORNING + datetime.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("first", "issued", "number"),
    [(1, 0, 1), (1, 4, 5), (100, 0, 100), (100, 5, 105), (500, 0, 500)],
)
def test_ticket_numbers_count_from_the_groups_block(first, issued, number):
    assert ticket_number(first, issued) == number


@pytest.mark.parametrize(("letter", "number", "label"), [("", 105, "105"), ("A", 7, "A7"), ("B", 21, "B21")])
def test_ticket_label(letter, number, label):
    assert ticket_label(letter, number) == label


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime.datetime(2026, 3, 2, 16, 59), datetime.date(2026, 3, 2)),
        (datetime.datetime(2026, 3, 2, 23, 59, 59), datetime.date(2026, 3, 2)),
        (datetime.datetime(2026, 3, 3, 0, 0, 0), datetime.date(2026, 3, 3)),
        (datetime.datetime(2026, 3, 3, 7, 30), datetime.date(2026, 3, 3)),
    ],
)
def test_the_day_rolls_over_at_midnight(moment, day):
    assert service_day(moment) == day


@pytest.mark.parametrize(
    ("recent", "streak"),
    [([], 0), ([False], 0), ([True], 1), ([True, True], 2), ([True, False, True], 1), ([True, True, True, False], 3)],
)
def test_priority_streak_counts_the_last_calls_in_a_row(recent, streak):
    assert priority_streak(recent) == streak


ORDINARY_1 = Waiting(1, False, at(0))
ORDINARY_2 = Waiting(2, False, at(1))
PRIORITY_3 = Waiting(3, True, at(2))
PRIORITY_4 = Waiting(4, True, at(3))


@pytest.mark.parametrize(
    ("waiting", "streak", "chosen"),
    [
        ([], 0, None),
        ([ORDINARY_2, ORDINARY_1], 0, 1),  # first come, first served, whatever order the rows came in
        ([ORDINARY_1, PRIORITY_3], 0, 3),  # priority first
        ([ORDINARY_1, PRIORITY_3, PRIORITY_4], 1, 3),  # a second priority in a row is still allowed
        ([ORDINARY_1, PRIORITY_3, PRIORITY_4], 2, 1),  # a third is not while someone ordinary waits
        ([ORDINARY_1, PRIORITY_3], 3, 1),
        ([PRIORITY_3, PRIORITY_4], 2, 3),  # nobody ordinary waits: priority goes on
        ([PRIORITY_4, PRIORITY_3], 5, 3),
        ([ORDINARY_1, ORDINARY_2], 2, 1),
    ],
)
def test_choose_next(waiting, streak, chosen):
    ticket = choose_next(waiting, streak, POLICY)
    assert (ticket.id if ticket else None) == chosen


def test_same_moment_tickets_go_in_the_order_they_were_issued():
    same = [Waiting(8, False, at(5)), Waiting(7, False, at(5))]
    assert choose_next(same, 0, POLICY).id == 7


@pytest.mark.parametrize(
    ("status", "recalls", "skipped_at", "moment", "again", "count"),
    [
        (TicketStatus.CALLED, 0, None, at(1), True, 1),
        (TicketStatus.CALLED, 2, None, at(1), True, 3),
        (TicketStatus.CALLED, 3, None, at(1), False, 3),  # the fourth press: vắng mặt
        (TicketStatus.SKIPPED, 0, at(0), at(30), True, 1),  # exactly 30 minutes: still recallable
        (TicketStatus.SKIPPED, 0, at(0), at(30) + datetime.timedelta(seconds=1), False, 0),
        (TicketStatus.SKIPPED, 3, at(0), at(5), False, 3),  # the recall limit holds for skipped tickets too
        (TicketStatus.WAITING, 0, None, at(1), False, 0),
        (TicketStatus.DONE, 0, None, at(1), False, 0),
        (TicketStatus.ABSENT, 0, None, at(1), False, 0),
    ],
)
def test_recall(status, recalls, skipped_at, moment, again, count):
    outcome = recall(status, recalls, skipped_at, moment, POLICY)
    assert (outcome.call_again, outcome.recalls) == (again, count)


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([], 50, None),
        ([7], 50, 7),
        ([7], 90, 7),
        ([4, 1, 3, 2], 50, 2),
        ([1, 2, 3, 4, 5], 50, 3),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10),
        ([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 50, 5),
    ],
)
def test_percentile_is_the_nearest_rank(values, share, expected):
    assert percentile(values, share) == expected


# Mon 30/11/2026 and Tue 01/12/2026 are working days; Sat 05/12 is closed unless Saturday mornings are
# opened (then it ends at 11:30); Fri 01/01/2027 is New Year's Day.
WEEKDAYS = WorkCalendar()
SATURDAYS = WorkCalendar(saturday_counts=True)


@pytest.mark.parametrize(
    ("calendar", "moment", "expected"),
    [
        (WEEKDAYS, datetime.datetime(2026, 11, 30, 10, 0), None),
        (WEEKDAYS, datetime.datetime(2026, 11, 30, 16, 29), None),
        (WEEKDAYS, datetime.datetime(2026, 11, 30, 16, 30), "làm việc đến 17:00 hôm nay. Nếu đến giờ đó chưa được gọi, xin quay lại vào ngày làm việc tiếp theo, 01/12/2026"),
        (WEEKDAYS, datetime.datetime(2026, 11, 30, 16, 59), "làm việc đến 17:00 hôm nay"),
        (WEEKDAYS, datetime.datetime(2026, 11, 30, 17, 0), "đã hết giờ làm việc. Số này có thể không được gọi; nếu vậy, xin quay lại vào ngày làm việc tiếp theo, 01/12/2026"),
        (WEEKDAYS, datetime.datetime(2026, 12, 4, 16, 45), "ngày làm việc tiếp theo, 07/12/2026"),
        (WEEKDAYS, datetime.datetime(2026, 12, 5, 9, 0), "đã hết giờ làm việc"),
        (SATURDAYS, datetime.datetime(2026, 12, 5, 9, 0), None),
        (SATURDAYS, datetime.datetime(2026, 12, 5, 11, 0), "làm việc đến 11:30 hôm nay"),
        (SATURDAYS, datetime.datetime(2026, 12, 5, 11, 30), "đã hết giờ làm việc"),
        (WEEKDAYS, datetime.datetime(2026, 12, 31, 16, 40), "ngày làm việc tiếp theo, 04/01/2027"),
        (WEEKDAYS, datetime.datetime(2027, 1, 1, 9, 0), "đã hết giờ làm việc"),
    ],
)
def test_a_ticket_near_or_after_closing_says_when_to_come_back(calendar, moment, expected):
    notice = closing_notice(moment, calendar)
    if expected is None:
        assert notice is None
    else:
        assert expected in notice
