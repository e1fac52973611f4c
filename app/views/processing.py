"""Processing (xử lý hồ sơ): the work queues, the dossier page, its actions and its printed forms."""
import datetime
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from flask_login import current_user
from peewee import JOIN, fn
from playhouse.flask_utils import get_object_or_404

from ..clock import now
from ..db import Prepared
from ..models import CHANNELS, PRIORITY_GROUPS, RETURN_METHODS, Counter, Dossier, DossierEvent, Field, Procedure, User, Village
from ..args import id_arg, page_arg
from ..pages import render
from ..formatting import date
from ..rules import inputs
from ..rules.catalogue_file import FORM_LABELS
from ..rules.dates import parse_day, read_day
from ..rules.deadlines import OPEN_STATUSES, Urgency, timeliness
from ..rules.events import control_slip, event_label
from ..rules.status import (
    ADMINISTRATOR, LEADER, OUTSIDE_FIELDS_REASON, RECEIVER, RULES, SPECIALIST, Action, Status, TransitionRefused, allowed_actions,
    check, roles_for_dossier,
)
from ..rules.text import clean, with_village
from ..security import roles_required
from ..services import form_numbers, portal_code, worklist
from ..services.calendar import work_calendar
from ..services.dossiers import ExtensionRefused, Letter, StaleDossier, act, current_appointment, extend, extensions_of
from ..settings import load as load_settings
from . import request_settings

bp = Blueprint("processing", __name__, url_prefix="/ho-so")

EVERYONE = (RECEIVER, SPECIALIST, LEADER, ADMINISTRATOR)
PROCESSORS = (SPECIALIST, LEADER)
SHELF_MAX = 120
NOTE_MAX = 2000
# The longest logbook printed at once: a quarter, which is what an inspection asks for.
LOGBOOK_MAX_DAYS = 92
# What a line of Mẫu 07 shows: a month of a busy center is thousands of lines, and the fee inputs and
# checklists kept as JSON on each dossier are not among them.
LOGBOOK_COLUMNS = (
    Dossier.id, Dossier.code, Dossier.procedure_name, Dossier.sets, Dossier.applicant_name, Dossier.address, Dossier.phone,
    Dossier.received_at, Dossier.due_at, Dossier.extended_due_at, Dossier.resolved_at, Dossier.returned_at, Dossier.status,
    Dossier.return_method, Field.name.alias("field_name"), Field.body.alias("field_body"), Village.name.alias("village_name"),
)
# Handing the result over records who collected it and the fee: that form is the pickup page's.
PAGE_ACTIONS_EXCLUDED = frozenset({Action.HAND_OVER})
STATUS_CHOICES = frozenset({*Status, worklist.ALL_STATUSES})


@bp.app_template_global("urgency")
def urgency_of(dossier: Dossier) -> Urgency | None:
    """The late flag's bucket for any list of the product, on one clock per request."""
    if g.get("deadline_clock") is None:
        g.deadline_clock = worklist.DeadlineClock.current(settings=request_settings())
    return g.deadline_clock.urgency_of(dossier)


_show_prefix: dict = {}


@bp.app_template_global("dossier_url")
def dossier_url(code: str) -> str:
    """url_for("processing.show", code=code), its fixed part worked out once: a list links each of its rows."""
    prefix = _show_prefix.get(request.script_root)
    if prefix is None:
        prefix = _show_prefix[request.script_root] = url_for("processing.show", code="_").removesuffix("_")
    return prefix + quote(code, safe="!$&'()*+,;=:@")


@bp.app_template_global("status_label")
def status_label(status: str) -> str:
    """A stored status in the words staff read."""
    return Status(status).label


@bp.record_once
def _label_globals(state):
    # Globals rather than context, so that macros imported without context (dossier/_macros.html) see them.
    state.app.jinja_env.globals.update(
        channels=CHANNELS, priority_groups=PRIORITY_GROUPS, form_labels=FORM_LABELS, timeliness=timeliness
    )


@bp.app_template_filter("from_iso")
def from_iso(value: str) -> datetime.datetime | None:
    """A time kept as ISO text in an event's data, ready for the date filters."""
    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


# The list's choice of procedure, one line per code: read on every load of the list, its SQL built once.
_procedure_choices = Prepared(
    lambda: Procedure.select(Procedure.code, Procedure.name).where(Procedure.active)
    .group_by(Procedure.code, Procedure.name).order_by(fn.MIN(Procedure.order), Procedure.code),
    parameters=0,
)


def _filters(date_errors: dict) -> worklist.Filters:
    """The list's filters as the URL carries them; anything malformed is ignored, a wrong date said in `date_errors`."""
    return worklist.Filters(
        q=clean(request.args.get("q", ""))[:100],
        field_id=id_arg("linh_vuc"),
        status=request.args.get("trang_thai", "") if request.args.get("trang_thai") in STATUS_CHOICES else "",
        counter_id=id_arg("quay"),
        channel=request.args.get("kenh", "") if request.args.get("kenh") in CHANNELS else "",
        village_id=id_arg("thon"),
        priority_group=request.args.get("uu_tien", "") if request.args.get("uu_tien") in PRIORITY_GROUPS else "",
        procedure_code=clean(request.args.get("thu_tuc", ""))[:40],
        date_from=read_day(request.args, "tu_ngay", "Nhận từ ngày", date_errors)[0],
        date_to=read_day(request.args, "den_ngay", "Đến ngày", date_errors)[0],
        urgency=request.args.get("han", "") if request.args.get("han") in set(Urgency) else "",
        page=page_arg(),
    )


def _filter_args(filters: worklist.Filters) -> dict:
    """The filters back as URL arguments, for page links and bucket links."""
    pairs = {
        "q": filters.q, "linh_vuc": filters.field_id, "trang_thai": filters.status, "quay": filters.counter_id,
        "kenh": filters.channel, "thon": filters.village_id, "uu_tien": filters.priority_group,
        "thu_tuc": filters.procedure_code, "tu_ngay": date(filters.date_from), "den_ngay": date(filters.date_to), "han": filters.urgency,
    }
    return {key: value for key, value in pairs.items() if value}


def _list(endpoint: str, title: str, user: User | None):
    date_errors = {}
    filters = _filters(date_errors)
    clock = worklist.DeadlineClock.current(settings=request_settings())
    g.deadline_clock = clock
    page = worklist.page_of(filters, clock, user)
    return render(
        "processing/list.html",
        "processing/_list.html",
        title=title,
        endpoint=endpoint,
        page=page,
        name_match_limit=worklist.NAME_MATCH_LIMIT,
        filters=filters,
        date_errors=date_errors,
        args=_filter_args(filters),
        counts=worklist.bucket_counts(filters, clock, user),
        urgencies=list(Urgency),
        statuses=[(status.value, status.label) for status in Status],
        fields=Field.ordered(),
        counters=Counter.ordered(),
        villages=Village.ordered(),
        procedures=_procedure_choices.raw(Procedure),
    )


@bp.get("")
@roles_required(*EVERYONE)
def index():
    """Every dossier the center holds, most urgent first, with filters and search."""
    return _list("processing.index", "Danh sách hồ sơ", None)


@bp.get("/cua-toi")
@roles_required(*PROCESSORS)
def mine():
    """This person's queue: what they hold and what waits in their fields."""
    return _list("processing.mine", "Hồ sơ của tôi", current_user._get_current_object())


def _dossier(code: str) -> Dossier:
    return get_object_or_404(Dossier, Dossier.code == code)


def _assignees():
    """Who a dossier can be handed to: active specialists and leaders."""
    people = User.select().where(User.active).order_by(User.full_name)
    return [person for person in people if person.has_any_role(PROCESSORS)]


class FieldRefused(TransitionRefused):
    """A refusal about one field of an action's form: the page shows it beside that field."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field


def _letter_issuers() -> list[str]:
    """The bodies a Mẫu 04 can come from, for the officer to pick: the center, the commune, its departments."""
    settings = request_settings()
    return [settings["center_name"], settings["parent_body"], *(f"Bộ phận {field.name}" for field in Field.ordered())]


def _acting_roles(dossier: Dossier) -> frozenset[str]:
    """The current person's roles that count on this dossier: a specialist's only in their own fields or on one they hold."""
    return roles_for_dossier(current_user.roles, current_user.field_ids, dossier.field_id, holds=dossier.assignee_id == current_user.id)


def _show(dossier: Dossier, status: int = 200, error: str = "", error_action: str = "", values: dict | None = None, error_field: str = ""):
    roles = _acting_roles(dossier)
    actions = [action for action in allowed_actions(dossier.status, roles) if action not in PAGE_ACTIONS_EXCLUDED]
    events = list(
        DossierEvent.select(DossierEvent, User).join(User, join_type=JOIN.LEFT_OUTER, on=(DossierEvent.user == User.id))
        .where(DossierEvent.dossier == dossier).order_by(DossierEvent.at, DossierEvent.id)
    )
    can_extend = Status(dossier.status) in OPEN_STATUSES and not roles.isdisjoint(PROCESSORS)
    return render(
        "processing/show.html",
        "processing/_dossier.html",
        status=status,
        dossier=dossier,
        actions=actions,
        events=events,
        event_label=event_label,
        assignees=_assignees() if Action.TRANSFER in actions else [],
        documents_to_request=[document.name for document in dossier.procedure.documents],
        appointment=current_appointment(dossier),
        can_extend=can_extend,
        extensions=extensions_of(dossier) if can_extend else 0,
        appointment_passed=now() > current_appointment(dossier),
        letter_issuers=_letter_issuers(),
        error=error,
        error_action=error_action,
        error_field=error_field,
        values=values or {},
        receipt_endpoint="intake.receipt" if "intake.receipt" in current_app.view_functions else None,
        pickup_endpoint="pickup.index" if "pickup.index" in current_app.view_functions else None,
        shelf_max=SHELF_MAX,
    )


@bp.get("/<code>")
@roles_required(*EVERYONE)
def show(code):
    """Everything about one dossier: what was entered, its appointment, its history and what can be done now."""
    return _show(_dossier(code))


def _action_data(action: Action, dossier: Dossier) -> tuple[str, dict]:
    """The note and data an action's form carries, checked; raises FieldRefused with the field and the reason."""
    note = clean(request.form.get("note", ""))
    if len(note) > NOTE_MAX:
        raise FieldRefused("note", f"Ghi chú tối đa {NOTE_MAX} ký tự.")
    data = {}
    if action == Action.REQUEST_DOCUMENTS:
        known = {document.name for document in dossier.procedure.documents}
        missing = [name for name in request.form.getlist("missing") if name in known]
        if missing:
            data["missing"] = missing
        if not note and missing:
            note = "Cần bổ sung: " + "; ".join(missing) + "."
    elif action == Action.APPROVE:
        shelf = clean(request.form.get("shelf", ""))
        if len(shelf) > SHELF_MAX:
            raise FieldRefused("shelf", f"Tên ngăn/kệ để kết quả tối đa {SHELF_MAX} ký tự (đã nhập {len(shelf)}).")
        if shelf:
            data["shelf"] = shelf
    elif action == Action.TRANSFER:
        assignee_id = request.form.get("assignee_id", "")
        choices = {str(person.id): person for person in _assignees()}
        if assignee_id not in choices:
            raise FieldRefused("assignee_id", "Vui lòng chọn người nhận hồ sơ trong danh sách.")
        if int(assignee_id) == dossier.assignee_id:
            raise FieldRefused("assignee_id", "Hồ sơ đang do chính người này giải quyết.")
        data["assignee_id"] = int(assignee_id)
        data["assignee_name"] = choices[assignee_id].full_name
    if action.note_required and not note:
        if action == Action.REQUEST_DOCUMENTS:
            raise FieldRefused("note", "Vui lòng ghi nội dung cần bổ sung, hoặc chọn giấy tờ cần bổ sung ở trên.")
        raise FieldRefused("note", "Vui lòng ghi rõ lý do.")
    return note, data


def _version() -> int | None:
    return inputs.record_id(request.form.get("version"))


@bp.post("/<code>/thao-tac")
@roles_required(RECEIVER, SPECIALIST, LEADER)
def act_on(code):
    """Apply one action of the status machine; refusals and stale pages come back with the reason."""
    dossier = _dossier(code)
    name = request.form.get("action", "")
    values = request.form.to_dict()
    try:
        action = Action(name)
    except ValueError:
        return _show(dossier, 400, f"Thao tác «{name[:40]}» không hợp lệ.", name, values)
    if not current_user.has_any_role(action.roles) or action in PAGE_ACTIONS_EXCLUDED:
        return _show(dossier, 403, f"Vai trò của bạn không được phép «{action.label}» tại trang này.", name, values)
    if _acting_roles(dossier).isdisjoint(action.roles):
        return _show(dossier, 403, OUTSIDE_FIELDS_REASON, name, values)
    version = _version()
    if version is None:
        return _show(dossier, 400, "Biểu mẫu thiếu phiên bản hồ sơ; vui lòng tải lại trang.", name, values)
    try:
        # An action no longer possible is said as such, before any complaint about its fields.
        check(dossier.status, action, current_user.roles)
        note, data = _action_data(action, dossier)
        act(dossier, action, current_user, note=note, data=data, expected_version=version)
    except StaleDossier as stale:
        return _show(stale.dossier, 409, stale.reason, name)
    except TransitionRefused as refused:
        fresh = Dossier.get_by_id(dossier.id)
        # Not possible in this status is a conflict with the dossier's state; a missing reason is a form error.
        status = 400 if Status(fresh.status) in RULES[action].moves else 409
        return _show(fresh, status, refused.reason, name, values, getattr(refused, "field", ""))
    flash(f"Đã ghi nhận: {action.label}.", "success")
    return redirect(url_for("processing.show", code=dossier.code), 303)


@bp.post("/<code>/gia-han")
@roles_required(*PROCESSORS)
def extend_appointment(code):
    """Give a late dossier a new appointment and open its Mẫu 04 letter."""
    dossier = _dossier(code)
    values = request.form.to_dict()
    if _acting_roles(dossier).isdisjoint(PROCESSORS):
        return _show(dossier, 403, OUTSIDE_FIELDS_REASON, "extend", values)
    day, error = parse_day(request.form.get("new_date", ""))
    if day is None:
        return _show(dossier, 400, error or "Vui lòng nhập ngày hẹn mới (dd/mm/yyyy).", "extend", values, "new_date")
    version = _version()
    if version is None:
        return _show(dossier, 400, "Biểu mẫu thiếu phiên bản hồ sơ; vui lòng tải lại trang.", "extend", values)
    settings = load_settings()
    texts = {name: clean(request.form.get(name, "")) for name in ("reason", "issuer", "signer_title", "leader_reason")}
    for name, text in texts.items():
        if len(text) > NOTE_MAX:
            return _show(dossier, 400, f"Tối đa {NOTE_MAX} ký tự.", "extend", values, error_field=name)
    letter = Letter(
        issuer=texts["issuer"] or settings["center_name"],
        signer_title=texts["signer_title"] or settings["signer_title"],
        leader_reason=texts["leader_reason"],
    )
    # The new appointment keeps the hour of the old one, the way the receipt printed it.
    new_due_at = datetime.datetime.combine(day, current_appointment(dossier).time())
    try:
        event = extend(dossier, new_due_at, current_user, texts["reason"], letter=letter, expected_version=version, calendar=work_calendar(settings))
    except StaleDossier as stale:
        return _show(stale.dossier, 409, stale.reason, "extend")
    except ExtensionRefused as refused:
        return _show(Dossier.get_by_id(dossier.id), 400, refused.reason, "extend", values, error_field=refused.field)
    if event.data.get("after_appointment"):
        flash(
            "Cảnh báo: văn bản xin lỗi và đề nghị gia hạn (Mẫu 04) phải gửi trước ngày hẹn trả; "
            "ngày hẹn đã qua, hồ sơ vẫn tính là trễ hạn.",
            "warning",
        )
    flash("Đã ghi nhận đề nghị gia hạn; hãy in Mẫu 04 gửi công dân.", "success")
    return redirect(url_for("processing.print_extension", code=dossier.code, event_id=event.id), 303)


@bp.post("/<code>/ma-tinh")
@roles_required(*EVERYONE)
def set_portal_code(code):
    """Record the province's code of the dossier, scanned from the province's receipt or typed."""
    dossier = _dossier(code)
    scanned = clean(request.form.get("portal_code", ""))
    found = portal_code.save(dossier, scanned, current_user._get_current_object())
    if found.error:
        return _show(dossier, 400, found.error, "portal_code", {"portal_code": scanned[:300]}, "portal_code")
    flash(f"Đã ghi mã hồ sơ của tỉnh: {found.code}.", "success")
    return redirect(url_for("processing.show", code=dossier.code), 303)


def _event(dossier: Dossier, event_id: int, action: str) -> DossierEvent:
    event = get_object_or_404(DossierEvent, (DossierEvent.id == event_id) & (DossierEvent.dossier == dossier) & (DossierEvent.action == action))
    return event


def _last_event(dossier: Dossier, action: str) -> DossierEvent:
    event = (
        DossierEvent.select().where((DossierEvent.dossier == dossier) & (DossierEvent.action == action))
        .order_by(DossierEvent.at.desc(), DossierEvent.id.desc()).first()
    )
    if event is None:
        abort(404)
    return event


def _print(template: str, dossier: Dossier | None = None, issued_at: datetime.datetime | None = None, number: str = "", **context):
    """A printable form, with a way back to the dossier (or the list) that is not printed."""
    back_url = url_for("processing.show", code=dossier.code) if dossier else url_for("processing.index")
    return render(template, dossier=dossier, issued_at=issued_at or now(), number=number, back_url=back_url, **context)


def _letter_number(kind: str, dossier: Dossier, event: DossierEvent) -> str:
    """The number the letter got when its step was recorded (older ones were numbered by migration m0006)."""
    return form_numbers.label(form_numbers.issue(kind, event.at, dossier=dossier, event=event))


@bp.get("/<code>/in/mau-02/<int:event_id>")
@roles_required(*EVERYONE)
def print_request(code, event_id):
    """Mẫu 02: what the citizen must bring to complete the dossier, as the specialist asked."""
    dossier = _dossier(code)
    event = _event(dossier, event_id, Action.REQUEST_DOCUMENTS)
    return _print(
        "forms/mau_02.html",
        dossier,
        issued_at=event.at,
        number=_letter_number("mau_02", dossier, event),
        applicant_name=dossier.applicant_name,
        address=with_village(dossier.address, dossier.village.name if dossier.village else ""),
        phone=dossier.phone,
        email=dossier.email,
        procedure_name=dossier.procedure_name,
        dossier_code=dossier.code,
        missing=event.data.get("missing", []),
        note=event.note,
        officer_name=event.user.full_name if event.user else "",
    )


@bp.get("/<code>/in/mau-04/<int:event_id>")
@roles_required(*EVERYONE)
def print_extension(code, event_id):
    """Mẫu 04: the apology and the proposed new date, from the body that caused the delay."""
    dossier = _dossier(code)
    event = _event(dossier, event_id, "extend")
    settings = load_settings()
    return _print(
        "processing/mau_04.html", dossier, issued_at=event.at, event=event,
        number=_letter_number("mau_04", dossier, event),
        issuer=event.data.get("issuer") or settings["center_name"],
        signer_title=event.data.get("signer_title") or settings["signer_title"],
        due_before=datetime.datetime.fromisoformat(event.data["due_at_before"]),
        due_after=datetime.datetime.fromisoformat(event.data["due_at"]),
    )


@bp.get("/<code>/in/mau-05")
@roles_required(*EVERYONE)
def print_stop(code):
    """Mẫu 05: the notice that processing of the dossier has stopped, with the reason."""
    dossier = _dossier(code)
    event = _last_event(dossier, Action.STOP)
    return _print("processing/mau_05.html", dossier, issued_at=event.at, event=event, number=_letter_number("mau_05", dossier, event))


@bp.get("/<code>/in/tu-choi")
@roles_required(*EVERYONE)
def print_refusal(code):
    """The written answer refusing the request, with the reason."""
    dossier = _dossier(code)
    event = _last_event(dossier, Action.REFUSE)
    return _print("processing/refusal.html", dossier, issued_at=event.at, event=event, number=_letter_number("tu_choi", dossier, event))


@bp.get("/<code>/in/mau-06")
@roles_required(*EVERYONE)
def print_control_slip(code):
    """Mẫu 06: each hand-over of the dossier, who gave and who took it, when, and whether it was in time."""
    dossier = _dossier(code)
    events = (
        DossierEvent.select(DossierEvent, User.full_name.alias("user_name"))
        .join(User, join_type=JOIN.LEFT_OUTER, on=(DossierEvent.user == User.id))
        .where(DossierEvent.dossier == dossier).order_by(DossierEvent.at, DossierEvent.id).objects()
    )
    return _print(
        "processing/mau_06.html", dossier,
        receipt_number=form_numbers.number_of(form_numbers.RECEIPT, dossier=dossier),
        hand_overs=control_slip(events, dossier.due_at),
    )


@bp.get("/so-theo-doi")
@roles_required(*EVERYONE)
def logbook():
    """Mẫu 07: the logbook of dossiers received in a date range (A4 landscape)."""
    today = now().date()
    errors = {}
    date_from = read_day(request.args, "tu_ngay", "Từ ngày", errors)[0] or today.replace(day=1)
    date_to = read_day(request.args, "den_ngay", "Đến ngày", errors)[0] or today
    if errors:
        error = " ".join(errors.values())
    elif date_to < date_from:
        error = "Ngày kết thúc phải sau ngày bắt đầu."
    elif (date_to - date_from).days >= LOGBOOK_MAX_DAYS:
        error = f"Mỗi lần in tối đa {LOGBOOK_MAX_DAYS} ngày; vui lòng chọn khoảng ngắn hơn."
    else:
        error = ""
    dossiers = []
    if not error:
        dossiers = list(
            Dossier.select(*LOGBOOK_COLUMNS)
            .join(Field, on=(Dossier.field == Field.id))
            .join(Village, JOIN.LEFT_OUTER, on=(Dossier.village == Village.id))
            .where(
                (Dossier.received_at >= datetime.datetime.combine(date_from, datetime.time()))
                & (Dossier.received_at < datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time()))
            ).order_by(Dossier.received_at, Dossier.id).objects()
        )
    return _print(
        "processing/mau_07.html", dossiers=dossiers, date_from=date_from, date_to=date_to, error=error, status=400 if error else 200,
        receipt_numbers=form_numbers.receipt_numbers([dossier.id for dossier in dossiers]), return_methods=RETURN_METHODS,
    )
