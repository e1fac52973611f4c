"""Receiving a dossier and moving it through the status machine, each step recorded as an event."""
import datetime
from dataclasses import dataclass, field

from peewee import IntegrityError

from ..clock import now
from ..db import write_transaction
from ..models import Counter, DaySequence, Dossier, DossierEvent, Procedure, User
from ..rules import codes
from ..rules.calendar import Extension, WorkCalendar
from ..rules.fees import compute_fee, ground_percent
from ..rules.status import LEADER, OUTSIDE_FIELDS_REASON, SPECIALIST, Action, Clock, Status, TransitionRefused, check, check_on_dossier, roles_for_dossier
from ..rules.text import clean, fold
from ..settings import load as load_settings
from .calendar import work_calendar
from .catalogue import fee_rule, fee_rule_as_data, fee_rule_from_data, processing_rule
from .form_numbers import KIND_OF_ACTION, RECEIPT, issue as issue_number

RECEIVE = "receive"


class StaleDossier(Exception):
    """Someone else changed the dossier since this person's page was drawn."""

    def __init__(self, dossier: Dossier):
        super().__init__("Hồ sơ vừa được người khác cập nhật. Trang đã hiển thị trạng thái mới; vui lòng xem lại trước khi thao tác.")
        self.dossier = dossier
        self.reason = str(self)


@dataclass
class Application:
    """What the counter typed in, already checked by the intake form."""

    procedure: Procedure
    applicant_name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    village_id: int | None = None
    email: str = ""
    representative_name: str = ""
    representative_id_number: str = ""
    representative_relation: str = ""
    channel: str = "truc_tiep"
    team_id: int | None = None
    team_member_id: int | None = None
    portal_code: str = ""
    priority_group: str = ""
    return_method: str = "tai_quay"
    documents: list = field(default_factory=list)
    sets: int = 1
    fee_inputs: dict = field(default_factory=dict)
    idempotency_key: str | None = None
    # A named case with a longer legal time, chosen at intake with the reason.
    extension: Extension | None = None
    extension_reason: str = ""


def appointment_for(procedure: Procedure, received_at: datetime.datetime, calendar: WorkCalendar | None = None, settings: dict | None = None, extension: Extension | None = None) -> datetime.datetime:
    """The appointment as the receipt will print it, for a dossier received at `received_at`.

    Raises CalendarNotCovered when the official calendar file lacks a year it needs.
    """
    settings = settings or load_settings()
    calendar = calendar or work_calendar(settings)
    return calendar.appointment(received_at, processing_rule(procedure, settings["default_cutoff"], extension))


def extension_as_data(extension: Extension | None) -> dict | None:
    return None if extension is None else {"name": extension.name, "amount": extension.amount, "unit": extension.unit.value}


def fee_for(procedure: Procedure, fee_inputs: dict, online: bool = False) -> int:
    """The fee for these inputs (pages, copies, option); raises FeeInputError naming the input at fault."""
    return compute_fee(fee_rule(procedure), online=online, **fee_inputs)


def rules_in_force(procedure: Procedure) -> dict:
    """The procedure's rules as a dossier keeps them: later catalogue changes do not reach it."""
    return {
        "procedure": procedure,
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "field": procedure.field_id,
        "working_days": procedure.working_days,
        "time_unit": procedure.time_unit,
        "cutoff": procedure.cutoff,
        "fee_rule": fee_rule_as_data(fee_rule(procedure)),
    }


def _next_sequence(day: datetime.date) -> int:
    """The next number of the day, taken inside the caller's write transaction so it is never given twice."""
    updated = DaySequence.update(last=DaySequence.last + 1).where(DaySequence.day == day).execute()
    if not updated:
        DaySequence.create(day=day, last=1)
        return 1
    return DaySequence.get(DaySequence.day == day).last


def code_prefix(settings: dict) -> str:
    """What begins a new dossier's code: the agency code, or the local prefix when the province's system
    gives the official codes. Codes already given keep their form."""
    return settings["local_code_prefix"] if settings["uses_province_system"] else settings["agency_code"]


def receive(application: Application, user: User | None, counter: Counter | None, received_at: datetime.datetime | None = None, *, settings: dict | None = None, calendar: WorkCalendar | None = None, imported: bool = False) -> Dossier:
    """Create the dossier with its code, token, lookup code, rules in force and first event.

    A second submission of the same form (same idempotency key) returns the dossier made by the first.
    """
    if application.idempotency_key:
        existing = Dossier.get_or_none(Dossier.idempotency_key == application.idempotency_key)
        if existing is not None:
            return existing
    settings = settings or load_settings()
    calendar = calendar or work_calendar(settings)
    received_at = received_at or now()
    procedure = application.procedure
    online = application.channel == "truc_tuyen"
    fee = fee_for(procedure, application.fee_inputs, online=online)
    ground = application.fee_inputs.get("ground")
    fee_reduction = ground_percent(fee_rule(procedure), ground) if ground else 0
    due_at = appointment_for(procedure, received_at, calendar, settings, application.extension)
    name = clean(application.applicant_name)
    try:
        with write_transaction():
            day = received_at.date()
            sequence = _next_sequence(day)
            dossier = Dossier.create(
                code=codes.format_dossier_code(code_prefix(settings), day, sequence),
                received_day=day,
                sequence=sequence,
                token=codes.new_status_token(),
                lookup_code=codes.new_lookup_code(),
                idempotency_key=application.idempotency_key,
                **rules_in_force(procedure),
                fee_inputs=application.fee_inputs,
                fee_amount=fee,
                fee_reduction=fee_reduction,
                documents=application.documents,
                sets=application.sets,
                extension=extension_as_data(application.extension),
                extension_reason=application.extension_reason if application.extension else "",
                applicant_name=name,
                applicant_key=fold(name),
                id_number=application.id_number,
                phone=application.phone,
                address=application.address,
                village=application.village_id,
                email=application.email,
                representative_name=application.representative_name,
                representative_id_number=application.representative_id_number,
                representative_relation=application.representative_relation,
                channel=application.channel,
                team=application.team_id,
                team_member=application.team_member_id,
                portal_code=application.portal_code,
                priority_group=application.priority_group,
                return_method=application.return_method,
                counter=counter,
                received_by=user,
                received_at=received_at,
                due_at=due_at,
                status=Status.RECEIVED,
                imported=imported,
            )
            DossierEvent.create(
                dossier=dossier,
                at=received_at,
                user=user,
                counter=counter,
                action=RECEIVE,
                to_status=Status.RECEIVED,
                data={"due_at": due_at.isoformat(), "fee": fee},
            )
            issue_number(RECEIPT, received_at, dossier=dossier)
    except IntegrityError:
        # Two clicks raced past the first check: the key is unique, so the first one's dossier exists.
        if application.idempotency_key:
            existing = Dossier.get_or_none(Dossier.idempotency_key == application.idempotency_key)
            if existing is not None:
                return existing
        raise
    return dossier


def act(
    dossier: Dossier,
    action: Action | str,
    user: User,
    *,
    note: str = "",
    data: dict | None = None,
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
    calendar: WorkCalendar | None = None,
    counter: Counter | None = None,
) -> Dossier:
    """Apply one action of the status machine, append its event, and return the dossier as now stored.

    Raises TransitionRefused (not allowed now or for this role, or a required note missing) and
    StaleDossier (the version the person saw is no longer the current one).
    """
    data = dict(data or {})
    note = clean(note)
    at = at or now()
    with write_transaction():
        current = Dossier.get_by_id(dossier.id)
        if expected_version is not None and current.version != expected_version:
            raise StaleDossier(current)
        transition = check_on_dossier(
            current.status, action, user.roles, user.field_ids, current.field_id, holds=current.assignee_id == user.id
        )
        if transition.note_required and not note:
            raise TransitionRefused("Vui lòng ghi rõ lý do.")
        changes = {Dossier.status: transition.to_status, Dossier.version: current.version + 1}
        due_at_before = None
        if transition.clock == Clock.PAUSE:
            changes[Dossier.paused_at] = at
        elif transition.clock == Clock.RESUME and current.paused_at is not None:
            calendar = calendar or work_calendar()
            moved = calendar.move_by_pause(current.due_at, current.paused_at, at)
            data.setdefault("due_at_before", current.due_at.isoformat())
            data["due_at"] = moved.isoformat()
            due_at_before = current.due_at
            changes[Dossier.due_at] = moved
            changes[Dossier.paused_at] = None
            if current.extended_due_at is not None:
                # The citizen holds the Mẫu 04 date: the clock stopped for it too.
                extended = calendar.move_by_pause(current.extended_due_at, current.paused_at, at)
                data["extended_due_at"] = extended.isoformat()
                changes[Dossier.extended_due_at] = extended
        if transition.to_status in (Status.RESULT_READY, Status.REFUSED) and current.resolved_at is None:
            changes[Dossier.resolved_at] = at
        if transition.to_status in (Status.STOPPED, Status.WITHDRAWN):
            changes[Dossier.closed_at] = at
        if transition.to_status == Status.RESULT_READY and data.get("shelf"):
            changes[Dossier.shelf] = clean(str(data["shelf"]))[:120]
        if transition.to_status == Status.RETURNED:
            changes[Dossier.returned_at] = at
            changes[Dossier.collector_id_number] = str(data.get("collector_id_number") or "")[:12]
        if transition.action == Action.START and current.assignee_id is None:
            changes[Dossier.assignee] = user.id
        if transition.action == Action.TRANSFER:
            changes[Dossier.assignee] = data["assignee_id"]
        updated = (
            Dossier.update(changes)
            .where((Dossier.id == current.id) & (Dossier.version == current.version))
            .execute()
        )
        if not updated:
            raise StaleDossier(Dossier.get_by_id(current.id))
        event = DossierEvent.create(
            dossier=current,
            at=at,
            user=user,
            counter=counter if counter is not None else user.counter_id,
            action=str(transition.action),
            from_status=str(transition.from_status),
            to_status=str(transition.to_status),
            note=note,
            data=data,
            due_at_before=due_at_before,
        )
        if event.action in KIND_OF_ACTION:
            issue_number(KIND_OF_ACTION[event.action], at, dossier=current, event=event)
    return Dossier.get_by_id(dossier.id)


def record(dossier: Dossier, action: str, user: User | None, *, note: str = "", data: dict | None = None, at: datetime.datetime | None = None) -> DossierEvent:
    """An event that changes no status (a reprint, a Mẫu 04 letter, a rating): the history keeps it."""
    return DossierEvent.create(
        dossier=dossier, at=at or now(), user=user, counter=user.counter_id if user else None,
        action=action, from_status=dossier.status, to_status=dossier.status, note=clean(note), data=data or {},
    )


def dossier_fee_rule(dossier: Dossier):
    """The fee rule copied onto the dossier when it was received."""
    return fee_rule_from_data(dossier.fee_rule)


EXTEND = "extend"


class ExtensionRefused(Exception):
    """A new appointment (Mẫu 04) that cannot be given; `reason` is the sentence to show beside `field`."""

    def __init__(self, reason: str, field: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.field = field


@dataclass(frozen=True)
class Letter:
    """Who issues a Mẫu 04 letter: the body that caused the delay and the title of the person who signs."""

    issuer: str
    signer_title: str
    leader_reason: str = ""


def extensions_of(dossier: Dossier) -> int:
    """How many Mẫu 04 letters the dossier has had."""
    return DossierEvent.select().where((DossierEvent.dossier == dossier) & (DossierEvent.action == EXTEND)).count()


def current_appointment(dossier: Dossier) -> datetime.datetime:
    """The appointment the citizen holds now: the Mẫu 04 date when one was given, else the original."""
    return dossier.extended_due_at or dossier.due_at


def extend(
    dossier: Dossier,
    new_due_at: datetime.datetime,
    user: User,
    reason: str,
    *,
    letter: Letter | None = None,
    expected_version: int | None = None,
    calendar: WorkCalendar | None = None,
    at: datetime.datetime | None = None,
) -> DossierEvent:
    """Give a late dossier a new appointment (Mẫu 04); its original one stays for the figures.

    A second extension of the same dossier is a leader's decision, with its reason recorded.
    """
    reason = clean(reason)
    letter = letter or Letter(issuer="", signer_title="")
    if not reason:
        raise ExtensionRefused("Vui lòng ghi rõ lý do chậm trễ.", "reason")
    if extensions_of(dossier):
        if LEADER not in user.roles:
            raise ExtensionRefused("Hồ sơ đã gia hạn một lần; gia hạn lần thứ hai phải do lãnh đạo quyết định.", "leader_reason")
        if not clean(letter.leader_reason):
            raise ExtensionRefused("Gia hạn lần thứ hai: lãnh đạo ghi rõ lý do đồng ý gia hạn.", "leader_reason")
    calendar = calendar or work_calendar()
    if not calendar.is_working_day(new_due_at.date()):
        raise ExtensionRefused("Ngày hẹn mới phải là ngày làm việc.", "new_date")
    with write_transaction():
        current = Dossier.get_by_id(dossier.id)
        if roles_for_dossier(user.roles, user.field_ids, current.field_id, holds=current.assignee_id == user.id).isdisjoint({SPECIALIST, LEADER}):
            raise ExtensionRefused(OUTSIDE_FIELDS_REASON)
        if expected_version is not None and current.version != expected_version:
            raise StaleDossier(current)
        status = Status(current.status)
        if status.is_final or status.is_resolved:
            raise ExtensionRefused(f"Hồ sơ đã ở trạng thái «{status.label}», không cần hẹn lại.")
        before = current_appointment(current)
        if new_due_at <= before:
            raise ExtensionRefused(f"Ngày hẹn mới phải sau ngày hẹn hiện tại ({before:%H:%M %d/%m/%Y}).", "new_date")
        updated = (
            Dossier.update({Dossier.extended_due_at: new_due_at, Dossier.version: current.version + 1})
            .where((Dossier.id == current.id) & (Dossier.version == current.version))
            .execute()
        )
        if not updated:
            raise StaleDossier(Dossier.get_by_id(current.id))
        at = at or now()
        data = {"due_at_before": before.isoformat(), "due_at": new_due_at.isoformat(), "issuer": clean(letter.issuer), "signer_title": clean(letter.signer_title)}
        if letter.leader_reason:
            data["leader_reason"] = clean(letter.leader_reason)
        # Proposed after the appointment had passed: the letter came too late, and the record says so.
        if at > before:
            data["after_appointment"] = True
        event = DossierEvent.create(
            dossier=current, at=at, user=user, counter=user.counter_id, action=EXTEND,
            from_status=current.status, to_status=current.status, note=reason, data=data,
        )
        issue_number(KIND_OF_ACTION[EXTEND], at, dossier=current, event=event)
        return event
