"""The walk-in queue: issuing tickets, calling them to a counter, what the board shows, and its figures."""
import datetime
from dataclasses import dataclass

from peewee import JOIN

from ..db import write_transaction
from ..models import Counter, ServiceGroup, ServiceGroupCounter, Ticket, User
from ..rules import queue as rules
from ..rules.queue import TicketStatus
from ..rules.spoken import call_sentence, clip_pieces
from ..settings import load as load_settings

# How many earlier calls the board lists under the current ones.
RECENT_CALLS = 4


def policy(settings: dict | None = None) -> rules.QueuePolicy:
    settings = settings or load_settings()
    return rules.QueuePolicy(
        recall_limit=settings["queue_recall_limit"],
        skip_recall_window=datetime.timedelta(minutes=settings["queue_skip_recall_minutes"]),
        priority_streak=settings["queue_priority_streak"],
    )


def issue(group: ServiceGroup, priority: bool, moment: datetime.datetime) -> Ticket:
    """The group's next ticket of the day; the write lock makes two kiosks take two numbers."""
    day = rules.service_day(moment)
    with write_transaction():
        issued = Ticket.select().where((Ticket.group == group) & (Ticket.day == day)).count()
        number = rules.ticket_number(group.first_number, issued)
        return Ticket.create(
            group=group, day=day, number=number, label=rules.ticket_label(group.letter, number),
            priority=priority, issued_at=moment,
        )


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same group taken before this one (priority tickets may still pass it)."""
    return Ticket.select().where(
        (Ticket.group == ticket.group_id) & (Ticket.day == ticket.day)
        & (Ticket.status == TicketStatus.WAITING.value) & (Ticket.id < ticket.id)
    ).count()


def groups_of(counter: Counter) -> list[int]:
    """The groups a counter calls: those linked to it, or every active group when none is."""
    linked = [link.group_id for link in ServiceGroupCounter.select().where(ServiceGroupCounter.counter == counter)]
    return linked or [group.id for group in ServiceGroup.ordered()]


def current(counter: Counter, day: datetime.date) -> Ticket | None:
    """The ticket the counter is serving (called and not finished), if any."""
    return (
        Ticket.select().where((Ticket.counter == counter) & (Ticket.day == day) & (Ticket.status == TicketStatus.CALLED.value))
        .order_by(Ticket.announced_at.desc()).first()
    )


def skipped(counter: Counter, moment: datetime.datetime) -> list[Ticket]:
    """The counter's skipped tickets still within the recall window, newest first."""
    window = policy().skip_recall_window
    return list(
        Ticket.select().where(
            (Ticket.counter == counter) & (Ticket.day == rules.service_day(moment))
            & (Ticket.status == TicketStatus.SKIPPED.value) & (Ticket.skipped_at >= moment - window)
        ).order_by(Ticket.skipped_at.desc())
    )


def waiting_count(counter: Counter, day: datetime.date) -> int:
    return Ticket.select().where(
        (Ticket.day == day) & (Ticket.status == TicketStatus.WAITING.value) & (Ticket.group.in_(groups_of(counter)))
    ).count()


@dataclass(frozen=True)
class Outcome:
    """What a press on the calling page did: the ticket now served, and a sentence for the officer."""

    ticket: Ticket | None
    message: str
    changed: bool


def _finish(ticket: Ticket, status: TicketStatus, moment: datetime.datetime) -> None:
    Ticket.update(status=status.value, finished_at=moment).where(
        (Ticket.id == ticket.id) & (Ticket.status == TicketStatus.CALLED.value)
    ).execute()


def _expire_skipped(day: datetime.date, moment: datetime.datetime, queue_policy: rules.QueuePolicy) -> None:
    """Skipped tickets past the recall window become absent; so do tickets of an earlier day never served
    (numbers are for their day only), and a ticket left called at closing time counts as served."""
    Ticket.update(status=TicketStatus.ABSENT.value, finished_at=moment).where(
        (Ticket.day == day) & (Ticket.status == TicketStatus.SKIPPED.value)
        & (Ticket.skipped_at < moment - queue_policy.skip_recall_window)
    ).execute()
    Ticket.update(status=TicketStatus.ABSENT.value).where(
        (Ticket.day < day) & Ticket.status.in_([TicketStatus.WAITING.value, TicketStatus.SKIPPED.value])
    ).execute()
    Ticket.update(status=TicketStatus.DONE.value).where((Ticket.day < day) & (Ticket.status == TicketStatus.CALLED.value)).execute()


def _claim(groups: list[int], counter: Counter, officer: User, moment: datetime.datetime, queue_policy) -> Ticket | None:
    """Take the next ticket for this counter; the conditional UPDATE leaves a ticket to whoever took it first."""
    day = rules.service_day(moment)
    while True:
        rows = Ticket.select(Ticket.id, Ticket.priority, Ticket.issued_at).where(
            (Ticket.day == day) & (Ticket.status == TicketStatus.WAITING.value) & (Ticket.group.in_(groups))
        )
        waiting = [rules.Waiting(row.id, row.priority, row.issued_at) for row in rows]
        recent = Ticket.select(Ticket.priority).where(
            (Ticket.day == day) & (Ticket.group.in_(groups)) & Ticket.called_at.is_null(False)
        ).order_by(Ticket.called_at.desc(), Ticket.id.desc()).limit(queue_policy.priority_streak)
        chosen = rules.choose_next(waiting, rules.priority_streak([row.priority for row in recent]), queue_policy)
        if chosen is None:
            return None
        taken = Ticket.update(
            status=TicketStatus.CALLED.value, called_at=moment, announced_at=moment, counter=counter, officer=officer,
        ).where((Ticket.id == chosen.id) & (Ticket.status == TicketStatus.WAITING.value)).execute()
        if taken:
            return Ticket.get_by_id(chosen.id)


def call_next(counter: Counter, officer: User, seen: str, moment: datetime.datetime) -> Outcome:
    """Finish the ticket being served and call the next one. `seen` is the ticket id the officer's page
    showed ("" for none): when the counter has moved on since (a double click), nothing more is called."""
    day = rules.service_day(moment)
    queue_policy = policy()
    with write_transaction():
        serving = current(counter, day)
        if (str(serving.id) if serving else "") != seen:
            return Outcome(serving, "Quầy đã chuyển sang số khác trước lần bấm này; không gọi thêm số nào.", False)
        if serving is not None:
            _finish(serving, TicketStatus.DONE, moment)
        _expire_skipped(day, moment, queue_policy)
        ticket = _claim(groups_of(counter), counter, officer, moment, queue_policy)
    if ticket is None:
        return Outcome(None, "Không còn ai đang chờ. Khi có người lấy số, bấm «Gọi số tiếp theo».", serving is not None)
    return Outcome(ticket, f"Đã gọi số {ticket.label}.", True)


def recall(counter: Counter, ticket_id: str, moment: datetime.datetime) -> Outcome:
    """Call the serving ticket (or a skipped one, by id) again, or mark it absent past the recall limit."""
    day = rules.service_day(moment)
    queue_policy = policy()
    with write_transaction():
        serving = current(counter, day)
        ticket = serving
        if ticket_id and (serving is None or str(serving.id) != ticket_id):
            if serving is not None:
                return Outcome(serving, f"Hãy xong hoặc bỏ qua số {serving.label} trước khi gọi lại số khác.", False)
            ticket = Ticket.get_or_none((Ticket.id == ticket_id) & (Ticket.counter == counter) & (Ticket.day == day))
        if ticket is None:
            return Outcome(serving, "Không có số nào để gọi lại.", False)
        outcome = rules.recall(TicketStatus(ticket.status), ticket.recalls, ticket.skipped_at, moment, queue_policy)
        if outcome.call_again:
            Ticket.update(status=TicketStatus.CALLED.value, recalls=outcome.recalls, announced_at=moment, skipped_at=None).where(
                Ticket.id == ticket.id
            ).execute()
            return Outcome(Ticket.get_by_id(ticket.id), f"Đã gọi lại số {ticket.label} (lần {outcome.recalls}).", True)
        if ticket.status in (TicketStatus.CALLED.value, TicketStatus.SKIPPED.value):
            Ticket.update(status=TicketStatus.ABSENT.value, finished_at=moment).where(Ticket.id == ticket.id).execute()
            reason = "đã gọi quá số lần cho phép" if ticket.recalls >= queue_policy.recall_limit else "đã quá thời gian gọi lại"
            return Outcome(None, f"Số {ticket.label} {reason}: ghi vắng mặt.", True)
        return Outcome(serving, f"Số {ticket.label} không còn gọi lại được.", False)


def skip(counter: Counter, moment: datetime.datetime) -> Outcome:
    """Set the serving ticket aside: it can be recalled within the window, then it is absent."""
    with write_transaction():
        serving = current(counter, rules.service_day(moment))
        if serving is None:
            return Outcome(None, "Quầy chưa gọi số nào để bỏ qua.", False)
        Ticket.update(status=TicketStatus.SKIPPED.value, skipped_at=moment).where(Ticket.id == serving.id).execute()
    minutes = load_settings()["queue_skip_recall_minutes"]
    return Outcome(None, f"Đã bỏ qua số {serving.label}; còn gọi lại được trong {minutes} phút.", True)


def finish(counter: Counter, moment: datetime.datetime) -> Outcome:
    """The serving ticket is served."""
    with write_transaction():
        serving = current(counter, rules.service_day(moment))
        if serving is None:
            return Outcome(None, "Quầy chưa gọi số nào.", False)
        _finish(serving, TicketStatus.DONE, moment)
    return Outcome(None, f"Đã phục vụ xong số {serving.label}.", True)


def link_dossier(counter: Counter | None, dossier, moment: datetime.datetime) -> None:
    """The ticket the counter is serving brought this dossier (received at intake or handed over at pickup)."""
    if counter is None:
        return
    Ticket.update(dossier=dossier).where(
        (Ticket.counter == counter) & (Ticket.day == rules.service_day(moment))
        & (Ticket.status == TicketStatus.CALLED.value) & Ticket.dossier.is_null()
    ).execute()


def move(counter: Counter, group_code: str, moment: datetime.datetime) -> Outcome:
    """The citizen came for another service: the serving ticket waits in that group, in the place its time gives it."""
    target = ServiceGroup.get_or_none((ServiceGroup.code == group_code) & ServiceGroup.active)
    with write_transaction():
        serving = current(counter, rules.service_day(moment))
        if serving is None:
            return Outcome(None, "Quầy chưa gọi số nào để chuyển.", False)
        if target is None or target.id == serving.group_id:
            return Outcome(serving, "Vui lòng chọn một nhóm dịch vụ khác để chuyển số.", False)
        Ticket.update(
            group=target, status=TicketStatus.WAITING.value, counter=None, officer=None, called_at=None, announced_at=None,
            recalls=0,
        ).where(Ticket.id == serving.id).execute()
    return Outcome(None, f"Đã chuyển số {serving.label} sang nhóm «{target.name}».", True)


@dataclass(frozen=True)
class Call:
    """One call as the board shows and says it; `key` changes with every call and recall."""

    key: str
    label: str
    counter: str
    sentence: str
    pieces: list[str] | None
    at: datetime.datetime


def _call(ticket: Ticket) -> Call:
    return Call(
        key=f"{ticket.id}-{ticket.recalls}", label=ticket.label, counter=ticket.counter.name,
        sentence=call_sentence(ticket.label, ticket.counter.name), pieces=clip_pieces(ticket.label, ticket.counter.name),
        at=ticket.announced_at,
    )


def board_calls(day: datetime.date) -> tuple[list[Call], list[Call]]:
    """The tickets being served now (one per counter, newest call first) and the last calls before them."""
    called = (
        Ticket.select(Ticket, Counter).join(Counter)
        .where((Ticket.day == day) & Ticket.announced_at.is_null(False))
        .order_by(Ticket.announced_at.desc(), Ticket.id.desc())
    )
    serving = [_call(ticket) for ticket in called.where(Ticket.status == TicketStatus.CALLED.value)]
    shown = {call.key for call in serving}
    recent = [_call(ticket) for ticket in called.limit(RECENT_CALLS + len(serving))]
    return serving, [call for call in recent if call.key not in shown][:RECENT_CALLS]



def _minutes(delta: datetime.timedelta) -> float:
    return round(delta.total_seconds() / 60, 1)


def _summary(tickets: list[Ticket]) -> dict:
    """Issued, served and absent; wait (taking to first call) p50/p90 and service (call to done) p50, in minutes."""
    waits = [_minutes(ticket.called_at - ticket.issued_at) for ticket in tickets if ticket.called_at]
    services = [
        _minutes(ticket.finished_at - ticket.called_at)
        for ticket in tickets if ticket.status == TicketStatus.DONE.value and ticket.called_at and ticket.finished_at
    ]
    return {
        "issued": len(tickets),
        "served": sum(ticket.status == TicketStatus.DONE.value for ticket in tickets),
        "absent": sum(ticket.status == TicketStatus.ABSENT.value for ticket in tickets),
        "wait_p50_minutes": rules.percentile(waits, 50),
        "wait_p90_minutes": rules.percentile(waits, 90),
        "service_p50_minutes": rules.percentile(services, 50),
    }


def figures(start: datetime.date, end: datetime.date) -> dict:
    """The queue's figures for the days `start`..`end`: in total, and by group, counter and officer."""
    tickets = list(
        Ticket.select(Ticket, ServiceGroup, Counter, User)
        .join(ServiceGroup).switch(Ticket).join(Counter, join_type=JOIN.LEFT_OUTER)
        .switch(Ticket).join(User, join_type=JOIN.LEFT_OUTER)
        .where((Ticket.day >= start) & (Ticket.day <= end))
    )

    def by(label_of) -> list[dict]:
        groups: dict[str, list[Ticket]] = {}
        for ticket in tickets:
            label = label_of(ticket)
            if label is not None:
                groups.setdefault(label, []).append(ticket)
        return [{"label": label, **_summary(members)} for label, members in sorted(groups.items())]

    return {
        **_summary(tickets),
        "by_group": by(lambda ticket: ticket.group.name),
        "by_counter": by(lambda ticket: ticket.counter.name if ticket.counter_id else None),
        "by_officer": by(lambda ticket: ticket.officer.full_name if ticket.officer_id else None),
    }
