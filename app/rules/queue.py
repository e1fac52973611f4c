"""The walk-in queue's rules: ticket numbers per day, who is called next, recalls, skips and absence."""
import datetime
from dataclasses import dataclass
from enum import Enum


class TicketStatus(str, Enum):
    WAITING = "waiting"
    CALLED = "called"
    SKIPPED = "skipped"
    DONE = "done"
    ABSENT = "absent"


# Who may press the kiosk's priority button (the center's notice lists them beside it).
PRIORITY_REASONS = (
    "Người cao tuổi",
    "Người khuyết tật",
    "Phụ nữ mang thai",
    "Người đưa con nhỏ",
    "Người có công với cách mạng",
)


@dataclass(frozen=True)
class QueuePolicy:
    """The center's queue settings (Cài đặt → Lấy số thứ tự)."""

    recall_limit: int
    skip_recall_window: datetime.timedelta
    priority_streak: int


@dataclass(frozen=True)
class Waiting:
    """A ticket waiting to be called, as the choice of the next one needs it."""

    id: int
    priority: bool
    issued_at: datetime.datetime


def service_day(moment: datetime.datetime) -> datetime.date:
    """The day a ticket belongs to: numbers start again at midnight, the center's clock."""
    return moment.date()


# A ticket taken this close to the end of the working day may not be called before it: the ticket says so.
CLOSING_WARNING = datetime.timedelta(minutes=30)


def closing_notice(moment: datetime.datetime, calendar) -> str | None:
    """What a ticket taken at `moment` tells its holder about the end of the day, or None well before it.

    `calendar` is the center's WorkCalendar: its working days and the end of each one's hours."""
    day = moment.date()
    if not calendar.is_working_day(day) or moment.time() >= calendar.end_of_day(day):
        return (
            "Trung tâm đã hết giờ làm việc. Số này có thể không được gọi; nếu vậy, xin quay lại "
            f"vào ngày làm việc tiếp theo, {calendar.next_working_day(day):%d/%m/%Y}."
        )
    end = datetime.datetime.combine(day, calendar.end_of_day(day))
    if end - moment <= CLOSING_WARNING:
        return (
            f"Trung tâm làm việc đến {end:%H:%M} hôm nay. Nếu đến giờ đó chưa được gọi, xin quay lại "
            f"vào ngày làm việc tiếp theo, {calendar.next_working_day(day):%d/%m/%Y}; số này chỉ dùng trong ngày."
        )
    return None


def ticket_number(first_number: int, issued_today: int) -> int:
    """The number of the next ticket of a group whose block starts at `first_number`, after `issued_today` tickets."""
    return first_number + issued_today


def ticket_label(letter: str, number: int) -> str:
    """What the ticket and the board show: "A105", or "105" for a group without a letter."""
    return f"{letter}{number}"


def priority_streak(recent_calls: list[bool]) -> int:
    """How many priority tickets were called in a row last; `recent_calls` newest first, True for priority."""
    streak = 0
    for priority in recent_calls:
        if not priority:
            break
        streak += 1
    return streak


def choose_next(waiting: list[Waiting], streak: int, policy: QueuePolicy) -> Waiting | None:
    """The ticket to call: priority tickets first in the order taken, but after `policy.priority_streak`
    priority calls in a row the longest-waiting ordinary ticket goes, so that walk-ins are never starved."""
    if not waiting:
        return None
    in_order = sorted(waiting, key=lambda ticket: (ticket.issued_at, ticket.id))
    ordinary = [ticket for ticket in in_order if not ticket.priority]
    priority = [ticket for ticket in in_order if ticket.priority]
    if priority and (not ordinary or streak < policy.priority_streak):
        return priority[0]
    return ordinary[0] if ordinary else priority[0]


@dataclass(frozen=True)
class Recall:
    """What pressing "gọi lại" does: call again (and how many recalls that makes), or mark absent."""

    call_again: bool
    recalls: int


def recall(status: TicketStatus, recalls: int, skipped_at: datetime.datetime | None, moment: datetime.datetime,
           policy: QueuePolicy) -> Recall:
    """A called ticket is called again at most `recall_limit` times; the press after that marks it absent.
    A skipped ticket can be called again within `skip_recall_window` of the skip, and then counts as a recall."""
    if status == TicketStatus.SKIPPED and (skipped_at is None or moment - skipped_at > policy.skip_recall_window):
        return Recall(False, recalls)
    if status not in (TicketStatus.CALLED, TicketStatus.SKIPPED):
        return Recall(False, recalls)
    if recalls >= policy.recall_limit:
        return Recall(False, recalls)
    return Recall(True, recalls + 1)


def percentile(values: list[float], share: int) -> float | None:
    """The nearest-rank percentile (`share` of 100) of `values`: a value that occurred, None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-share * len(ordered) // 100))
    return ordered[rank - 1]
