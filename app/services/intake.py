"""Reading the counter's intake form: every field checked, the message kept beside the field it concerns."""
import datetime
import re
import secrets
from dataclasses import dataclass, field

from peewee import fn

from ..db import Prepared, write_transaction
from ..models import CHANNELS, PRIORITY_GROUPS, RETURN_METHODS, Counter, GuidanceSlip, Procedure, ProcedureDocument, SupportTeam, TeamMember, User, Village
from ..rules.calendar import Extension
from ..rules.catalogue_file import FORM_LABELS
from ..rules.fees import FeeInputError, inputs_needed
from ..rules.inputs import record_id
from ..rules.identity import normalize_phone, validate_email, validate_id_number
from ..rules.text import clean, with_village
from .catalogue import extension_cases, fee_rule, in_force
from . import form_numbers
from . import portal_code as portal_code_service
from .dossiers import Application, fee_for

SLIP_PREFIX = "HD"

NAME_LENGTH = 120
ADDRESS_LENGTH = 300
RELATION_LENGTH = 200
NOTE_LENGTH = 1000
REASON_LENGTH = 300
MAX_AGREED_DAYS = 365
MAX_COUNT = 99
MAX_FEE_COUNT = 10000
_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
_FEE_LABELS = {"pages": "Số trang", "copies": "Số bản"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def new_form_key() -> str:
    """The hidden key that makes a resubmitted form return the dossier its first submission made."""
    return secrets.token_urlsafe(18)


@dataclass
class Checklist:
    """One document of the procedure as the form shows it: ticked or not, with its form and count."""

    id: int
    name: str
    required: bool
    ticked: bool
    form: str
    count: str
    error: str = ""


@dataclass
class Reading:
    """What the form said: the values to show again, the messages per field, and the application if all is well."""

    values: dict
    errors: dict = field(default_factory=dict)
    procedure: Procedure | None = None
    checklist: list[Checklist] = field(default_factory=list)
    fee_inputs: dict = field(default_factory=dict)
    fee_amount: int | None = None
    extension: Extension | None = None
    application: Application | None = None

    @property
    def missing(self) -> list[str]:
        """Required documents not ticked, named as the checklist names them."""
        return [item.name for item in self.checklist if item.required and not item.ticked]


def _text(form, name: str, max_length: int, errors: dict, required: bool = False, label: str = "") -> str:
    value = clean(form.get(name, ""))
    if _CONTROL.search(value):
        errors[name] = "Có ký tự điều khiển không hợp lệ."
    elif required and not value:
        errors[name] = f"Chưa nhập {label}." if label else "Không được để trống."
    elif len(value) > max_length:
        errors[name] = f"Tối đa {max_length} ký tự (đang có {len(value)})."
    return value


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", text):
        return None
    return int(text)


def _choice(form, name: str, choices: dict, default: str, errors: dict) -> str:
    value = form.get(name, default) or default
    if value not in choices:
        errors[name] = "Hãy chọn một giá trị trong danh sách."
        return default
    return value


def _record_id(form, name: str) -> int | None:
    return record_id(form.get(name))


def find_procedure(procedure_id: int | None, day: datetime.date) -> Procedure | None:
    """The procedure picked on the form, if it is still in force today."""
    if procedure_id is None:
        return None
    return in_force(day).where(Procedure.id == procedure_id).first()


def read_checklist(form, procedure: Procedure, errors: dict) -> list[Checklist]:
    """The procedure's documents with what the form says about each one (ticked, form, count)."""
    items = []
    documents = procedure.documents.order_by(ProcedureDocument.order, ProcedureDocument.id)
    # Ticks belong to the checklist that was on screen: a procedure picked since then starts unticked.
    submitted = form.get("procedure") == str(procedure.id)
    for document in documents:
        prefix = f"doc_{document.id}"
        item = Checklist(
            id=document.id,
            name=document.name,
            required=document.required,
            ticked=bool(form.get(prefix)) if submitted else False,
            form=form.get(f"{prefix}_form", document.form) if submitted else document.form,
            count=(form.get(f"{prefix}_count", "") if submitted else "") or str(document.count),
        )
        if item.form not in FORM_LABELS:
            item.error = "Hãy chọn bản chính, bản sao hoặc bản chụp."
        count = _int_or_none(item.count)
        if count is None:
            item.error = "Số lượng phải là số nguyên."
        elif not 1 <= count <= MAX_COUNT:
            item.error = f"Số lượng phải từ 1 đến {MAX_COUNT}."
        if item.error and item.ticked:
            errors[f"{prefix}_count"] = item.error
        items.append(item)
    return items


def fee_input_messages(name: str) -> dict:
    """What the counter reads beside a fee input ("pages", "copies") left empty or not a number."""
    label = _FEE_LABELS[name]
    return {"empty": f"Chưa nhập {label.lower()}.", "not_number": f"{label} phải là số nguyên, viết bằng chữ số (ví dụ 3)."}


def read_fee(form, procedure: Procedure, channel: str, errors: dict) -> tuple[dict, int | None]:
    """The fee inputs this procedure needs, and the fee they give (None while an input is wrong)."""
    needed = inputs_needed(fee_rule(procedure))
    inputs = {}
    for name in ("pages", "copies"):
        if name not in needed:
            continue
        text = (form.get(name) or "").strip()
        number = _int_or_none(text)
        if not text:
            errors[name] = fee_input_messages(name)["empty"]
        elif number is None:
            errors[name] = fee_input_messages(name)["not_number"]
        elif number > MAX_FEE_COUNT:
            errors[name] = f"{_FEE_LABELS[name]} quá lớn (tối đa {MAX_FEE_COUNT:,}).".replace(",", ".")
        else:
            inputs[name] = number
    if "option" in needed:
        inputs["option"] = form.get("option") or None
    ground = clean(form.get("fee_ground", ""))
    if ground:
        inputs["ground"] = ground
    if any(name in errors for name in ("pages", "copies")):
        return inputs, None
    try:
        return inputs, fee_for(procedure, inputs, online=channel == "truc_tuyen")
    except FeeInputError as error:
        errors[error.field] = error.message
        return inputs, None


def read_extension(form, procedure: Procedure, errors: dict) -> Extension | None:
    """The named case with a longer time chosen on the form, checked against this procedure's own cases."""
    name = clean(form.get("extension_case", ""))
    if not name:
        return None
    case = next((case for case in extension_cases(procedure) if case.name == name), None)
    if case is None:
        errors["extension_case"] = "Trường hợp này không thuộc thủ tục đã chọn; hãy chọn lại trong danh sách."
        return None
    agreed = None
    if case.amount is None:
        text = (form.get("extension_days") or "").strip()
        agreed = _int_or_none(text)
        if not text:
            errors["extension_days"] = f"Chưa nhập số {case.unit.label} đã thỏa thuận bằng văn bản."
            return None
        if agreed is None or not 1 <= agreed <= MAX_AGREED_DAYS:
            errors["extension_days"] = f"Số {case.unit.label} thỏa thuận phải là số nguyên từ 1 đến {MAX_AGREED_DAYS}."
            return None
    return case.extension(agreed)


def read(form, today: datetime.date, for_save: bool = True) -> Reading:
    """Check everything the counter typed. With `for_save`, also what a dossier needs that a preview does not."""
    errors: dict = {}
    reading = Reading(values=dict(form.items()))
    # `pick` is a search result just chosen; `procedure` the one whose checklist is on screen.
    chosen = "pick" if form.get("pick") else "procedure"
    reading.procedure = find_procedure(_record_id(form, chosen), today)
    if reading.procedure is None:
        errors["procedure"] = (
            "Thủ tục này không có hoặc không còn áp dụng; hãy tìm và chọn lại." if form.get(chosen) else "Chưa chọn thủ tục."
        )
    channel = _choice(form, "channel", CHANNELS, "truc_tiep", errors)
    if reading.procedure is not None:
        reading.checklist = read_checklist(form, reading.procedure, errors)
        reading.fee_inputs, reading.fee_amount = read_fee(form, reading.procedure, channel, errors)
        reading.extension = read_extension(form, reading.procedure, errors)
    if not for_save:
        reading.errors = errors
        return reading

    name = _text(form, "applicant_name", NAME_LENGTH, errors, required=True, label="họ và tên người nộp")
    id_number = _validated(form, "id_number", lambda text: validate_id_number(text, today), errors)
    phone = _validated(form, "phone", normalize_phone, errors)
    email = _validated(form, "email", validate_email, errors, required=False)
    address = _text(form, "address", ADDRESS_LENGTH, errors, required=True, label="địa chỉ")
    village = _village(form, errors)

    representative = _text(form, "representative_name", NAME_LENGTH, errors)
    representative_id = ""
    relation = _text(form, "representative_relation", RELATION_LENGTH, errors)
    if representative or form.get("representative_id_number", "").strip() or relation:
        if not representative:
            errors["representative_name"] = "Chưa nhập họ và tên người được ủy quyền."
        representative_id = _validated(form, "representative_id_number", lambda text: validate_id_number(text, today), errors)
        if not relation:
            errors["representative_relation"] = "Ghi rõ quan hệ hoặc giấy ủy quyền (ví dụ: con, giấy ủy quyền số …)."

    team, member = _team(form, channel, errors)
    # Required for a dossier sent online, whose code the portal gave; otherwise typed when the province's
    # system has already received it too, or added later on the dossier's page.
    found = portal_code_service.read(form.get("portal_code", ""), required=channel == "truc_tuyen")
    portal_code = found.code
    if found.error:
        errors["portal_code"] = found.error
    priority = form.get("priority_group", "")
    if priority and priority not in PRIORITY_GROUPS:
        errors["priority_group"] = "Hãy chọn một giá trị trong danh sách."
    return_method = _choice(form, "return_method", RETURN_METHODS, "tai_quay", errors)
    if return_method == "to_cong_nghe" and team is None and "team" not in errors:
        team = _village_team(village)
        if team is None:
            errors["team"] = "Chọn tổ công nghệ số sẽ mang kết quả về cho người dân."
    extension_reason = _text(form, "extension_reason", REASON_LENGTH, errors)
    if reading.extension is not None and not extension_reason and "extension_reason" not in errors:
        errors["extension_reason"] = "Ghi rõ lý do áp dụng thời hạn dài hơn (in trên giấy biên nhận)."
    sets = _int_or_none(form.get("sets") or "1")
    if sets is None or not 1 <= sets <= MAX_COUNT:
        errors["sets"] = f"Số bộ hồ sơ phải là số nguyên từ 1 đến {MAX_COUNT}."
    if reading.missing and "procedure" not in errors:
        errors["documents"] = (
            "Còn thiếu giấy tờ bắt buộc: " + "; ".join(reading.missing)
            + ". Hãy đánh dấu khi đã nhận, hoặc bấm «Hồ sơ chưa đầy đủ» để in phiếu hướng dẫn (Mẫu 02)."
        )
    reading.errors = errors
    if errors:
        return reading
    key = form.get("idempotency_key", "")
    reading.application = Application(
        procedure=reading.procedure,
        applicant_name=name,
        id_number=id_number,
        phone=phone,
        address=address,
        village_id=village.id if village else None,
        email=email,
        representative_name=representative,
        representative_id_number=representative_id,
        representative_relation=relation,
        channel=channel,
        team_id=team.id if team else None,
        team_member_id=member.id if member else None,
        portal_code=portal_code,
        priority_group=priority,
        return_method=return_method,
        documents=[
            {"name": item.name, "form": item.form, "count": int(item.count)} for item in reading.checklist if item.ticked
        ],
        sets=sets,
        fee_inputs=reading.fee_inputs,
        idempotency_key=key if _IDEMPOTENCY_KEY.fullmatch(key) else None,
        extension=reading.extension,
        extension_reason=extension_reason if reading.extension else "",
    )
    return reading


def _validated(form, name: str, check, errors: dict, required: bool = True) -> str:
    text = clean(form.get(name, ""))
    if not text and not required:
        return ""
    value, error = check(text)
    if error:
        errors[name] = error
        return ""
    return value


def _village(form, errors: dict) -> Village | None:
    village_id = _record_id(form, "village")
    if not form.get("village"):
        return None
    village = Village.get_or_none((Village.id == village_id) & Village.active) if village_id else None
    if village is None:
        errors["village"] = "Thôn này không còn trong danh sách; hãy chọn lại."
    return village


def _village_team(village: Village | None) -> SupportTeam | None:
    return SupportTeam.get_or_none(SupportTeam.village == village) if village else None


def _team(form, channel: str, errors: dict) -> tuple[SupportTeam | None, TeamMember | None]:
    team = member = None
    if form.get("team"):
        team_id = _record_id(form, "team")
        team = (
            SupportTeam.select().join(Village).where((SupportTeam.id == team_id) & Village.active).first()
            if team_id else None
        )
        if team is None:
            errors["team"] = "Tổ công nghệ số này không còn hoạt động; hãy chọn lại."
    if channel == "tai_nha" and team is None and "team" not in errors:
        errors["team"] = "Chọn tổ công nghệ số đã thu nhận hồ sơ tại nhà."
    if form.get("team_member") and team is not None:
        member_id = _record_id(form, "team_member")
        member = TeamMember.get_or_none(
            (TeamMember.id == member_id) & (TeamMember.team == team) & TeamMember.active
        ) if member_id else None
        if member is None:
            errors["team_member"] = "Thành viên này không thuộc tổ đã chọn hoặc đã nghỉ."
    return team, member


# The intake form's choices of team and member: only what an option shows, on queries built once
# (every load of the form read each member with its team and village as three models).
_team_choices = Prepared(
    lambda: SupportTeam.select(SupportTeam.id, SupportTeam.leader_name, Village.name.alias("village_name"))
    .join(Village).where(Village.active).order_by(Village.order, Village.name),
    parameters=0,
)
_member_choices = Prepared(
    lambda: TeamMember.select(TeamMember.id, TeamMember.name, Village.name.alias("village_name"))
    .join(SupportTeam).join(Village).where(TeamMember.active & Village.active).order_by(Village.order, Village.name, TeamMember.name),
    parameters=0,
)


def active_teams():
    """Teams of active villages, for the intake form's list: each with its `village_name`."""
    return _team_choices.raw(SupportTeam)


def active_members():
    """Active members of active villages' teams, for the intake form's list: each with its `village_name`."""
    return _member_choices.raw(TeamMember)


def counter_of(form, user: User) -> Counter | None:
    """The counter chosen on the form, or the officer's own when the form names none that is open."""
    counter_id = _record_id(form, "counter")
    counter = Counter.get_or_none((Counter.id == counter_id) & Counter.active) if counter_id else None
    return counter or (Counter.get_or_none(Counter.id == user.counter_id) if user.counter_id else None)


def _next_slip_number(day: datetime.date) -> str:
    """'HD-260213-001': the day's next guidance number, taken inside the caller's write transaction."""
    prefix = f"{SLIP_PREFIX}-{day:%y%m%d}-"
    last = (
        GuidanceSlip.select(GuidanceSlip.number)
        .where(GuidanceSlip.number.startswith(prefix))
        .order_by(fn.LENGTH(GuidanceSlip.number).desc(), GuidanceSlip.number.desc())
        .first()
    )
    sequence = int(last.number.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:03d}"


def slip_contact(form) -> tuple[dict, dict]:
    """The applicant's address (with the village), phone and email for Mẫu 02/03, and the errors of those typed in."""
    errors = {}
    phone = _validated(form, "phone", normalize_phone, errors, required=False)
    email = _validated(form, "email", validate_email, errors, required=False)
    address = _text(form, "address", ADDRESS_LENGTH, errors)
    village = _village(form, errors)
    if village is not None:
        address = with_village(address, village.name)[:ADDRESS_LENGTH]
    return {"address": address, "phone": phone, "email": email}, errors


def issue_slip(kind: str, reading: Reading, note: str, user: User, counter: Counter | None, at: datetime.datetime, contact: dict | None = None) -> GuidanceSlip:
    """Record a guidance slip (Mẫu 02 or 03) and its yearly number; no dossier code is spent."""
    with write_transaction():
        slip = GuidanceSlip.create(
            number=_next_slip_number(at.date()),
            kind=kind,
            at=at,
            procedure=reading.procedure,
            applicant_name=clean(reading.values.get("applicant_name", "")),
            **(contact or {}),
            missing=reading.missing if kind == "incomplete" else [],
            reason=note,
            user=user,
            counter=counter,
        )
        form_numbers.issue(form_numbers.KIND_OF_SLIP[kind], at, slip=slip)
        return slip
