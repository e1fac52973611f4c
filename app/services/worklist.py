"""Work queues and search over dossiers: filters, urgency buckets and pages, each kept on an index."""
import datetime
import re
from dataclasses import dataclass, replace

from peewee import Case, fn

from ..clock import now as clock_now
from ..db import Prepared
from ..models import Dossier, User
from ..rules import codes
from ..rules.deadlines import OPEN_STATUSES, RUNNING_STATUSES, Urgency, bounds, urgency
from ..rules.identity import normalize_phone
from ..rules.status import LEADER, SPECIALIST, Status
from ..rules.text import fold
from .calendar import work_calendar

PAGE_SIZE = 50
# What a line of the list shows (processing/_list.html) and its late flag needs; the rest of a dossier,
# its fee inputs and checklist kept as JSON among them, is read on its own page.
LIST_COLUMNS = (
    Dossier.id, Dossier.code, Dossier.applicant_name, Dossier.priority_group, Dossier.procedure_name,
    Dossier.received_at, Dossier.due_at, Dossier.extended_due_at, Dossier.status,
)
# A filtered name search looks at this many matches of the name; a bare surname matches far more, and
# the page says so rather than making everyone wait while a third of the commune is read.
NAME_MATCH_LIMIT = 5000
ALL_STATUSES = "tat_ca"
# The date and number part of a code without the agency prefix, as people read it off a receipt.
_ID_NUMBER = re.compile(r"[0-9]{12}|[0-9]{9}")
# Higher than any character a folded name holds: the end of a prefix range.
_PREFIX_END = "\uffff"


@dataclass(frozen=True)
class DeadlineClock:
    """Now, and the last day that still counts as "due soon" (the next working day)."""

    now: datetime.datetime
    soon_until: datetime.date

    @classmethod
    def current(cls, at: datetime.datetime | None = None, settings: dict | None = None) -> "DeadlineClock":
        at = at or clock_now()
        return cls(at, work_calendar(settings).next_working_day(at.date()))

    def urgency_of(self, dossier: Dossier) -> Urgency | None:
        """The bucket of a dossier whose clock is running, None for the others."""
        if dossier.status not in RUNNING_STATUSES:
            return None
        return urgency(dossier.due_at, self.now, self.soon_until)


@dataclass(frozen=True)
class Filters:
    """What the person chose above the list; empty values mean "any"."""

    q: str = ""
    field_id: int | None = None
    status: str = ""
    counter_id: int | None = None
    channel: str = ""
    village_id: int | None = None
    priority_group: str = ""
    procedure_code: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    urgency: str = ""
    page: int = 1

    @property
    def statuses(self) -> frozenset[str] | None:
        """The statuses shown: the open ones by default, all of them for a search, or the one chosen."""
        if self.status in set(Status):
            return frozenset({self.status})
        if self.status == ALL_STATUSES or (self.q and not self.status):
            return None
        return frozenset(OPEN_STATUSES)

    @property
    def narrowed(self) -> bool:
        """Whether anything besides the search box narrows the list."""
        return any((
            self.field_id, self.status, self.counter_id, self.channel, self.village_id, self.priority_group,
            self.procedure_code, self.date_from, self.date_to, self.urgency,
        ))

    @property
    def by_appointment(self) -> bool:
        """Open dossiers are listed by urgency, the rest newest first."""
        statuses = self.statuses
        return statuses is not None and statuses <= OPEN_STATUSES


@dataclass(frozen=True)
class Search:
    """What the search box asked for, as a condition; a name or number search also changes the order of the list."""

    condition: object
    by_name: bool = False
    # A code's number alone matches that number on every day: newest day first, read off the
    # (sequence, received_day) index instead of sorting a thousand dossiers by the time of receipt.
    by_day: bool = False


def parse_search(text: str) -> Search:
    """A code or its last digits, a code's date and number, an ID number, a phone, or else a name."""
    text = text.strip()
    found = codes.extract_token_or_code(text)
    if found:
        kind, value = found
        if kind == "code":
            # The province's code may have the same official form as ours.
            return Search((Dossier.code == value) | (Dossier.portal_code == value))
        if kind == "suffix":
            return Search(Dossier.sequence == int(value), by_day=True)
        return Search(Dossier.token == value)
    compact = re.sub(r"[\s.]", "", text)
    if day_and_sequence := codes.parse_day_and_sequence(compact):
        return Search((Dossier.received_day == day_and_sequence.day) & (Dossier.sequence == day_and_sequence.sequence))
    if _ID_NUMBER.fullmatch(compact):
        return Search(Dossier.id_number == compact)
    phone, _ = normalize_phone(text)
    if phone:
        return Search(Dossier.phone == phone)
    if portal_code := codes.parse_portal_code(text):
        # A name has no digit: this is the province's code (G22.39-261203-0001, H42.99/2026/123).
        return Search(Dossier.portal_code == portal_code)
    key = fold(text)
    # A prefix range rather than LIKE, so that the name index serves it on any database.
    return Search((Dossier.applicant_key >= key) & (Dossier.applicant_key < key + _PREFIX_END), by_name=True)


def mine_condition(user: User):
    """A person's own queue: what they hold, what waits unassigned in their fields, and for a leader what waits for approval."""
    condition = Dossier.assignee == user.id
    if SPECIALIST in user.roles and user.field_ids:
        # Finished dossiers nobody took are nobody's work; naming the open statuses keeps this on an index.
        condition |= (
            Dossier.assignee.is_null()
            & Dossier.field.in_(sorted(user.field_ids))
            & Dossier.status.in_(sorted(OPEN_STATUSES))
        )
    if LEADER in user.roles:
        condition |= Dossier.status == Status.WAITING_APPROVAL
    return condition


def _name_matches(condition):
    """The first matches of a name in register order: what a filtered name search looks at."""
    return Dossier.select(Dossier.id).where(condition).order_by(Dossier.applicant_key, Dossier.received_at.desc()).limit(NAME_MATCH_LIMIT)


def _filtered(filters: Filters, user: User | None, search_first: bool = False):
    """The list's query; `search_first` makes the search's own index find its matches before any filter."""
    query = Dossier.select()
    statuses = filters.statuses
    if statuses is not None:
        query = query.where(Dossier.status.in_(sorted(statuses)))
    if user is not None:
        query = query.where(mine_condition(user))
    if filters.q:
        condition = parse_search(filters.q).condition
        if search_first:
            # Without statistics a database takes "field = 3" for the narrower test and reads a whole
            # field; as a subquery the name index answers first and the filters look only at its matches.
            condition = Dossier.id.in_(_name_matches(condition))
        query = query.where(condition)
    simple = (
        (Dossier.field, filters.field_id),
        (Dossier.counter, filters.counter_id),
        (Dossier.channel, filters.channel),
        (Dossier.village, filters.village_id),
        (Dossier.priority_group, filters.priority_group),
        (Dossier.procedure_code, filters.procedure_code),
    )
    for column, value in simple:
        if value:
            query = query.where(column == value)
    if filters.date_from:
        query = query.where(Dossier.received_at >= datetime.datetime.combine(filters.date_from, datetime.time()))
    if filters.date_to:
        query = query.where(Dossier.received_at < datetime.datetime.combine(filters.date_to + datetime.timedelta(days=1), datetime.time()))
    return query


def _due_between(start: datetime.datetime, end: datetime.datetime):
    return (Dossier.due_at >= start) & (Dossier.due_at < end)


def _in_bucket(query, bucket: Urgency, clock: DeadlineClock):
    start, end = bounds(clock.now, clock.soon_until)[bucket]
    return query.where(Dossier.status.in_(sorted(RUNNING_STATUSES)) & _due_between(start, end))


def _bucket_sums(base, limits):
    """The count of each bucket, `limits` giving each one's [start, end) in the order of `bounds`."""
    pairs = zip(limits[::2], limits[1::2])
    return base.where(Dossier.status.in_(sorted(RUNNING_STATUSES))).select(*[
        fn.COALESCE(fn.SUM(Case(None, [(_due_between(start, end), 1)], 0)), 0).alias(bucket.value)
        for bucket, (start, end) in zip(bounds(datetime.datetime.min, datetime.date.min), pairs)
    ])


def _is_default(filters: Filters, user: User | None) -> bool:
    """The list as everyone first opens it (and as it polls every 30 s): all open dossiers, no filter."""
    return user is None and not filters.q and not filters.narrowed


# The default list's two queries, their SQL built once (peewee took 1,2 ms a page building them against
# 0,45 ms in SQLite): the page by appointment, and the count of each bucket.
_default_page = Prepared(
    lambda offset: Dossier.select(*LIST_COLUMNS).where(Dossier.id.in_(
        _filtered(Filters(), None).select(Dossier.id).order_by(Dossier.due_at, Dossier.id).limit(PAGE_SIZE + 1).offset(offset)
    )).order_by(Dossier.due_at, Dossier.id)
)
_default_buckets = Prepared(lambda *limits: _bucket_sums(_filtered(Filters(), None), limits), parameters=2 * len(Urgency))


def bucket_counts(filters: Filters, clock: DeadlineClock, user: User | None = None) -> dict[Urgency, int]:
    """How many dossiers of the list (whatever its urgency filter) fall in each bucket, in one pass."""
    limits = [moment for pair in bounds(clock.now, clock.soon_until).values() for moment in pair]
    if _is_default(replace(filters, urgency=""), user):
        row = _default_buckets.first(Dossier, *limits)
        return {bucket: getattr(row, bucket.value) or 0 for bucket in Urgency}
    row = _bucket_sums(_filtered(replace(filters, urgency=""), user), limits).dicts().get()
    return {bucket: row[bucket.value] for bucket in Urgency}


@dataclass(frozen=True)
class Page:
    dossiers: list
    has_more: bool
    # The name matched more dossiers than a filtered search looks at: type more of it.
    name_too_broad: bool = False


def page_of(filters: Filters, clock: DeadlineClock, user: User | None = None) -> Page:
    """One page of the list, most urgent first (or newest first, or by name for a name search)."""
    search = parse_search(filters.q) if filters.q else None
    search_first = bool(search and search.by_name and (filters.narrowed or user is not None))
    query = _filtered(filters, user, search_first=search_first)
    if filters.urgency in set(Urgency):
        query = _in_bucket(query, Urgency(filters.urgency), clock)
    if search and search.by_name:
        # Like a register, by name: the name index gives the first page without sorting every "Nguyễn".
        order = (Dossier.applicant_key, Dossier.received_at.desc(), Dossier.id.desc())
    elif filters.by_appointment:
        order = (Dossier.due_at, Dossier.id)
    elif search and search.by_day:
        # Newest first like the default order (received_day is the date of received_at), on the index.
        order = (Dossier.received_day.desc(), Dossier.received_at.desc(), Dossier.id.desc())
    else:
        order = (Dossier.received_at.desc(), Dossier.id.desc())
    if _is_default(filters, user):
        rows = list(_default_page.raw(Dossier, (filters.page - 1) * PAGE_SIZE))
        return Page(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE)
    # The page's ids first, from the indexes alone; only those rows are then read whole. Sorting every
    # open dossier with all its columns to keep fifty cost more than the rest of the page.
    page_ids = query.select(Dossier.id).order_by(*order).limit(PAGE_SIZE + 1).offset((filters.page - 1) * PAGE_SIZE)
    rows = list(Dossier.select(*LIST_COLUMNS).where(Dossier.id.in_(page_ids)).order_by(*order))
    too_broad = search_first and Dossier.select(Dossier.id).where(search.condition).limit(NAME_MATCH_LIMIT + 1).count() > NAME_MATCH_LIMIT
    return Page(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, too_broad)
