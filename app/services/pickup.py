"""The citizen's side of a dossier: finding it from a scan, what is still missing or due, hand-over and rating."""
import datetime
from dataclasses import dataclass

from peewee import JOIN, IntegrityError

from ..db import Prepared, write_transaction
from ..models import Counter, Dossier, DossierEvent, Rating, SupportTeam, TeamMember, User, Village
from ..rules import codes
from ..rules.fees import FeeInputError, compute_fee
from ..rules.status import FINAL_STATUSES, Action, Status
from ..rules.text import clean
from .dossiers import act, dossier_fee_rule, record

RATE = "rate"
TEAM_TOOK = "team_took"
MAX_CHOICES = 20
MAX_COMMENT_LENGTH = 1000

COLLECTOR_APPLICANT = "applicant"
COLLECTOR_PROXY = "proxy"
COLLECTOR_TEAM = "team"


class AmbiguousCode(Exception):
    """A short form of a code that more than one dossier has."""


def code_for_lookup(partial: codes.PartialCode) -> str | None:
    """The whole dossier code a kiosk entry stands for, or None when no dossier has that short form.

    A whole code is returned as typed, known or not, so the answer never tells which codes exist. A date
    and number names the dossier of that day; a number alone, the one dossier still open with it.
    Raises AmbiguousCode when several dossiers fit.
    """
    if partial.agency is not None:
        return codes.format_dossier_code(partial.agency, partial.day, partial.sequence)
    query = Dossier.select(Dossier.code).where(Dossier.sequence == partial.sequence)
    if partial.day is not None:
        query = query.where(Dossier.received_day == partial.day)
    else:
        query = query.where(Dossier.status.not_in(FINAL_STATUSES))
    found = [dossier.code for dossier in query.limit(2)]
    if len(found) > 1:
        raise AmbiguousCode(partial)
    return found[0] if found else None


class RatingRefused(Exception):
    """The dossier cannot take a rating now; `reason` is a Vietnamese sentence."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def find_by_scan(scanned: str) -> list[Dossier]:
    """The dossiers a pickup scan designates: a status URL or token, a full code, or a code's last digits."""
    found = codes.extract_token_or_code(scanned or "")
    if found is None:
        portal_code = codes.parse_portal_code(scanned or "")
        return list(_by_portal_code.raw(Dossier, portal_code)) if portal_code else []
    kind, value = found
    if kind == "token":
        return list(_by_token.raw(Dossier, value))
    if kind == "code":
        # Ours, or the province's code when it has the same official form.
        return list(_by_code.raw(Dossier, value)) or list(_by_portal_code.raw(Dossier, value))
    # The same last digits come back every day: results waiting at the counter first, then the newest.
    return list(
        Dossier.select()
        .where(Dossier.sequence == int(value))
        .order_by((Dossier.status == Status.RESULT_READY).desc(), Dossier.received_at.desc())
        .limit(MAX_CHOICES)
    )


def find_by_person(id_number: str) -> list[Dossier]:
    """A person's dossiers that wait for them or were handed over, found from their ID card: results
    waiting first, then the newest. The person may be the applicant, the one who submitted for them, or
    the one who collected the result for them."""
    return list(_person_query(id_number))


def _person_query(id_number: str):
    # Three index lookups joined: one OR over the three columns lets SQLite walk the status index
    # instead (1.3 s at a million dossiers).
    ids = (
        Dossier.select(Dossier.id).where(Dossier.id_number == id_number)
        | Dossier.select(Dossier.id).where(Dossier.representative_id_number == id_number)
        | Dossier.select(Dossier.id).where(Dossier.collector_id_number == id_number)
    )
    return (
        Dossier.select()
        .where(Dossier.id.in_(ids) & Dossier.status.in_([Status.RESULT_READY, Status.RETURNED]))
        .order_by((Dossier.status == Status.RESULT_READY).desc(), Dossier.received_at.desc())
        .limit(MAX_CHOICES)
    )


# A scan at the pickup desk or the kiosk finds its dossier with SQL built once.
_by_token = Prepared(lambda token: Dossier.select().where(Dossier.token == token))
_by_code = Prepared(lambda code: Dossier.select().where(Dossier.code == code))
_by_portal_code = Prepared(lambda code: Dossier.select().where(Dossier.portal_code == code))


def find_by_token(text: str) -> Dossier | None:
    """The dossier behind a status-page token, or None for a token that is malformed or unknown."""
    if not codes.looks_like_token(text):
        return None
    return _by_token.first(Dossier, text)


def find_by_code_and_lookup(code_text: str, lookup_text: str) -> Dossier | None:
    """The dossier only when both the code and its receipt's lookup code match; None says nothing more."""
    lookup = codes.normalize_lookup_code(lookup_text or "")
    if lookup is None:
        return None
    code = codes.parse_dossier_code(code_text or "")
    if code is not None:
        formatted = codes.format_dossier_code(*code)
        # The receipt may print the province's code as the official one, in the same form as ours.
        named = (Dossier.code == formatted) | (Dossier.portal_code == formatted)
    else:
        portal_code = codes.parse_portal_code(code_text or "")
        if portal_code is None:
            return None
        named = Dossier.portal_code == portal_code
    return Dossier.select().where(named & (Dossier.lookup_code == lookup)).first()


_latest_event = Prepared(
    lambda dossier_id, action: DossierEvent.select()
    .where((DossierEvent.dossier == dossier_id) & (DossierEvent.action == action))
    .order_by(DossierEvent.at.desc(), DossierEvent.id.desc())
    .limit(1),
    parameters=2,
)


def latest_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return _latest_event.first(DossierEvent, dossier.id, str(action))


def missing_documents(dossier: Dossier) -> list[str]:
    """What the last request to complete the dossier (Mẫu 02) asked for, while the dossier waits for it."""
    if dossier.status != Status.WAITING_DOCUMENTS:
        return []
    return _missing_in(latest_event(dossier, Action.REQUEST_DOCUMENTS))


def _missing_in(event: DossierEvent | None) -> list[str]:
    """The documents a request to complete the dossier asked for: its list, or the lines of its note."""
    if event is None:
        return []
    missing = (event.data or {}).get("missing")
    if missing:
        return [clean(str(item)) for item in missing if clean(str(item))]
    return [line for line in (clean(part) for part in event.note.splitlines()) if line]


def hand_over_event(dossier: Dossier) -> DossierEvent | None:
    return latest_event(dossier, Action.HAND_OVER) if dossier.status == Status.RETURNED else None


def computed_fee(dossier: Dossier) -> int:
    """The fee from the rule copied onto the dossier at intake (the catalogue may have changed since)."""
    try:
        return compute_fee(dossier_fee_rule(dossier), online=dossier.channel == "truc_tuyen", **(dossier.fee_inputs or {}))
    except (FeeInputError, TypeError, ValueError):
        # An imported dossier may lack the inputs; what intake charged is then the best answer.
        return dossier.fee_amount


def fee_still_due(dossier: Dossier, handed_over: bool) -> int:
    """What the citizen still has to pay: nothing once a hand-over has recorded the payment."""
    if dossier.status in (Status.REFUSED, Status.STOPPED, Status.WITHDRAWN):
        return 0
    return 0 if handed_over else dossier.fee_amount


def citizen_timeline(events) -> list[tuple[datetime.datetime, str]]:
    """The steps among a dossier's `events` (oldest first) as the citizen may read them: when and
    which status, never who or why."""
    return [
        (event.at, Status(event.to_status).label)
        for event in events
        if event.to_status and event.to_status != event.from_status
    ]


@dataclass
class StatusPage:
    """All the status page shows, read in two queries: the dossier's own columns with its counter's name
    and its rating, then its events (timeline, the last request for documents, the hand-over)."""

    dossier: Dossier
    counter_name: str | None
    rating_level: str | None
    timeline: list[tuple[datetime.datetime, str]]
    missing: list[str]
    fee_due: int


# Only the columns the page (and its rating form) use: the dossier's row is wide.
_STATUS_COLUMNS = (
    Dossier.id, Dossier.code, Dossier.portal_code, Dossier.token, Dossier.status, Dossier.procedure_name, Dossier.applicant_name,
    Dossier.received_at, Dossier.due_at, Dossier.extended_due_at, Dossier.paused_at, Dossier.returned_at,
    Dossier.return_method, Dossier.fee_amount,
)
_status_dossier = Prepared(
    lambda token: Dossier.select(*_STATUS_COLUMNS, Counter.name.alias("counter_name"), Rating.level.alias("rating_level"))
    .join(Counter, JOIN.LEFT_OUTER, on=Counter.id == Dossier.counter)
    .switch(Dossier)
    .join(Rating, JOIN.LEFT_OUTER, on=Rating.dossier == Dossier.id)
    .where(Dossier.token == token)
)
_status_events = Prepared(
    lambda token: DossierEvent.select(
        DossierEvent.at, DossierEvent.action, DossierEvent.from_status, DossierEvent.to_status, DossierEvent.note, DossierEvent.data
    )
    .join(Dossier, on=Dossier.id == DossierEvent.dossier)
    .where(Dossier.token == token)
    .order_by(DossierEvent.at, DossierEvent.id)
)


def status_page(token: str) -> StatusPage | None:
    """What the status page of this token shows, or None for a token that is malformed or unknown."""
    if not codes.looks_like_token(token):
        return None
    found = _status_dossier.rows(token)
    if not found:
        return None
    dossier = found[0]
    events = _status_events.rows(token)
    last = {event.action: event for event in events}
    waiting = dossier.status == Status.WAITING_DOCUMENTS
    returned = dossier.status == Status.RETURNED
    return StatusPage(
        dossier=dossier,
        counter_name=dossier.counter_name,
        rating_level=dossier.rating_level if returned else None,
        timeline=citizen_timeline(events),
        missing=_missing_in(last.get(Action.REQUEST_DOCUMENTS)) if waiting else [],
        fee_due=fee_still_due(dossier, returned and Action.HAND_OVER in last),
    )


@dataclass
class HandOver:
    """Who collected the result and what was settled at the counter, already checked by the form."""

    collector: str
    collector_name: str
    collector_id_number: str
    relation: str = ""
    fee_collected: int = 0
    fee_computed: int = 0
    fee_reason: str = ""
    originals_returned: bool = False

    def as_data(self) -> dict:
        return {
            "collector": self.collector,
            "collector_name": self.collector_name,
            "collector_id_number": self.collector_id_number,
            "relation": self.relation,
            "fee_collected": self.fee_collected,
            "fee_computed": self.fee_computed,
            "fee_reason": self.fee_reason,
            "originals_returned": self.originals_returned,
        }


def hand_over(dossier: Dossier, user: User, version: int, details: HandOver) -> Dossier:
    """Result ready → returned, once: a second confirmation of the same page raises StaleDossier."""
    return act(
        dossier, Action.HAND_OVER, user, expected_version=version, data=details.as_data(), note=details.fee_reason
    )


def rate(dossier: Dossier, level: str, comment: str = "", source: str = "cong_dan", user: User | None = None) -> Rating:
    """Store the one rating a returned dossier may have, with an event in its history."""
    if dossier.status != Status.RETURNED:
        raise RatingRefused("Chỉ đánh giá được sau khi đã nhận kết quả.")
    comment = clean(comment or "")[:MAX_COMMENT_LENGTH]
    try:
        with write_transaction():
            rating = Rating.create(dossier=dossier, level=level, comment=comment, source=source)
            record(dossier, RATE, user, data={"level": level, "source": source})
    except IntegrityError:
        raise RatingRefused("Hồ sơ này đã được đánh giá. Cảm ơn ông/bà.") from None
    return rating


_rating = Prepared(lambda dossier_id: Rating.select().where(Rating.dossier == dossier_id))


def rating_of(dossier: Dossier) -> Rating | None:
    return _rating.first(Rating, dossier.id)


def village_ready(village: Village) -> list[tuple[Dossier, DossierEvent | None]]:
    """The village's results waiting to be collected, priority groups first, oldest first, each with its
    team record, if any; the records come in one query, not one per line of the list."""
    condition = (Dossier.village == village) & (Dossier.status == Status.RESULT_READY)
    dossiers = list(Dossier.select().where(condition).order_by((Dossier.priority_group == "").asc(), Dossier.resolved_at, Dossier.id))
    latest = {}
    events = (
        DossierEvent.select()
        .where(DossierEvent.dossier.in_(Dossier.select(Dossier.id).where(condition)) & (DossierEvent.action == TEAM_TOOK))
        .order_by(DossierEvent.at, DossierEvent.id)
    )
    for event in events:
        latest[event.dossier_id] = event
    return [(dossier, _still_current(latest.get(dossier.id), dossier)) for dossier in dossiers]


def team_of(village: Village) -> SupportTeam | None:
    return SupportTeam.get_or_none(SupportTeam.village == village)


def _still_current(event: DossierEvent | None, dossier: Dossier) -> DossierEvent | None:
    """A team member's record of taking the result home, unless it is older than the current result
    (one approved again after a correction), which no longer counts."""
    return event if event is not None and event.at >= (dossier.resolved_at or event.at) else None


def team_take(dossier: Dossier, member: TeamMember, user: User) -> DossierEvent:
    """A team member takes the result from the shelf to bring it home (the status stays ready)."""
    return record(dossier, TEAM_TOOK, user, data={"team_member_id": member.id, "team_member_name": member.name})


def team_delivered(dossier: Dossier, member: TeamMember, user: User, version: int, at: datetime.datetime) -> Dossier:
    """The team member handed the result over at home at `at`: the dossier is returned from that time."""
    data = {
        "collector": COLLECTOR_TEAM,
        "collector_name": member.name,
        "collector_id_number": "",
        "team_member_id": member.id,
        "fee_collected": dossier.fee_amount,
        "fee_computed": dossier.fee_amount,
    }
    return act(dossier, Action.HAND_OVER, user, expected_version=version, data=data, at=at)
