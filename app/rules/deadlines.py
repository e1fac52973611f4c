"""How close an unfinished dossier is to its appointment: the buckets every list sorts and flags by."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from .status import Status


class Urgency(StrEnum):
    """The value is what a filter link carries."""

    OVERDUE = "qua_han"
    TODAY = "hom_nay"
    SOON = "sap_den_han"
    LATER = "con_han"

    @property
    def label(self) -> str:
        return URGENCY_LABELS[self]


URGENCY_LABELS = MappingProxyType({
    Urgency.OVERDUE: "Quá hạn",
    Urgency.TODAY: "Đến hạn hôm nay",
    Urgency.SOON: "Sắp đến hạn",
    Urgency.LATER: "Còn hạn",
})

# The clock runs only in these. While the dossier waits for the citizen's papers it is stopped (the
# appointment moves when they arrive), and a result that exists is no longer late or early.
RUNNING_STATUSES = frozenset({Status.RECEIVED, Status.PROCESSING, Status.WAITING_APPROVAL})

# Everything a specialist or leader still has to act on.
OPEN_STATUSES = frozenset(RUNNING_STATUSES | {Status.WAITING_DOCUMENTS})


def urgency(due_at: datetime, now: datetime, soon_until: date) -> Urgency:
    """The bucket of a dossier due at `due_at`; `soon_until` is the next working day after today."""
    if due_at < now:
        return Urgency.OVERDUE
    if due_at.date() == now.date():
        return Urgency.TODAY
    if due_at.date() <= soon_until:
        return Urgency.SOON
    return Urgency.LATER


def bounds(now: datetime, soon_until: date) -> dict[Urgency, tuple[datetime, datetime]]:
    """For each bucket, the range [start, end) of appointments in it, for a database query."""
    tomorrow = datetime.combine(date.fromordinal(now.date().toordinal() + 1), datetime.min.time())
    after_soon = datetime.combine(date.fromordinal(soon_until.toordinal() + 1), datetime.min.time())
    return {
        Urgency.OVERDUE: (datetime.min, now),
        Urgency.TODAY: (now, tomorrow),
        Urgency.SOON: (tomorrow, after_soon),
        Urgency.LATER: (after_soon, datetime.max),
    }


def timeliness(resolved_at: datetime, due_at: datetime) -> str:
    """DOMAIN §6 in words: early before the appointment's day, on time on it, late after it."""
    if resolved_at.date() < due_at.date():
        return "Trước hạn"
    if resolved_at <= due_at or resolved_at.date() == due_at.date():
        return "Đúng hạn"
    return "Quá hạn"
