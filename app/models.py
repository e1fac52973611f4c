"""The center's records as peewee models; queries with a meaning get a name here."""
import json

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from .clock import now
from .db import Prepared, database
from .rules.calendar import Extension, ProcessingRule
from .rules.text import fold

ROLES = {
    "tiep_nhan": "Tiếp nhận và trả kết quả",
    "chuyen_mon": "Chuyên môn",
    "lanh_dao": "Lãnh đạo",
    "quan_tri": "Quản trị",
}

# How a dossier reached the center (DOMAIN §1); the key is what the database stores (the intake form's values).
CHANNELS = {
    "truc_tiep": "Trực tiếp tại quầy",
    "tai_nha": "Tổ công nghệ số thu nhận tại nhà",
    "buu_chinh": "Bưu chính công ích",
    "truc_tuyen": "Trực tuyến (Cổng Dịch vụ công quốc gia)",
}

# Priority groups (nhóm yếu thế) served first and visited at home.
PRIORITY_GROUPS = {
    "nguoi_cao_tuoi": "Người cao tuổi",
    "nguoi_khuyet_tat": "Người khuyết tật",
    "nguoi_neo_don": "Người neo đơn",
}

# Where the result goes back to the citizen; the key is what the database stores.
RETURN_METHODS = {
    "tai_quay": "Tại Trung tâm (quầy trả kết quả)",
    "buu_chinh": "Qua bưu chính công ích",
    "to_cong_nghe": "Qua tổ công nghệ số của thôn",
}

# Satisfaction levels a citizen chooses from (DOMAIN §6), best first.
RATING_LEVELS = {
    "rat_hai_long": "Rất hài lòng",
    "hai_long": "Hài lòng",
    "khong_hai_long": "Không hài lòng",
}


class JSONField(TextField):
    """A JSON value stored as text, portable to PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


# One prepared "rows in the center's order" per model: every list's filters and every form's choices read one.
_ordered_queries: dict = {}


def _ordered(model, active_only: bool):
    """The model's rows (only the active ones, or all) by their order, then name; the SQL built once."""
    prepared = _ordered_queries.get(model)
    if prepared is None:

        def build():
            query = model.select().where(model.active) if active_only else model.select()
            return query.order_by(model.order, model.name)

        prepared = _ordered_queries[model] = Prepared(build, parameters=0)
    return prepared.raw(model)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Field(BaseModel):
    """A field of procedures (lĩnh vực): Hộ tịch, Chứng thực, ..."""

    name = CharField(max_length=120, unique=True)
    order = IntegerField(default=0)
    # The body in charge of the field's dossiers (Mẫu 07's "Cơ quan chủ trì giải quyết"); empty: the
    # commune's own (the setting `parent_body`).
    body = CharField(max_length=200, default="")

    @classmethod
    def ordered(cls):
        return _ordered(cls, active_only=False)


class Counter(BaseModel):
    """A service counter (quầy) of the center."""

    name = CharField(max_length=60, unique=True)
    order = IntegerField(default=0)
    active = BooleanField(default=True)

    @classmethod
    def ordered(cls):
        return _ordered(cls, active_only=True)


class CounterField(BaseModel):
    counter = ForeignKeyField(Counter, backref="field_links", on_delete="CASCADE")
    field = ForeignKeyField(Field, backref="counter_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("counter", "field"), True),)


class User(BaseModel):
    """A member of staff; never deleted, only deactivated, because records name them."""

    username = CharField(max_length=60, unique=True)
    full_name = CharField(max_length=120)
    password_hash = CharField(max_length=255)
    roles_text = CharField(max_length=120, default="")
    counter = ForeignKeyField(Counter, null=True, backref="staff", on_delete="SET NULL")
    active = BooleanField(default=True)
    must_change_password = BooleanField(default=False)
    created_at = DateTimeField(default=now)
    last_login_at = DateTimeField(null=True)
    # Moves on at logout and password change: every session cookie made before then is refused.
    session_version = IntegerField(default=0)

    @property
    def roles(self) -> set[str]:
        return {role for role in self.roles_text.split(",") if role}

    @roles.setter
    def roles(self, value):
        self.roles_text = ",".join(sorted(set(value)))

    def has_any_role(self, roles) -> bool:
        return bool(self.roles & set(roles))

    @property
    def role_labels(self) -> list[str]:
        return [ROLES[role] for role in sorted(self.roles) if role in ROLES]

    @property
    def field_ids(self) -> set[int]:
        return {link.field_id for link in self.field_links}

    # flask-login's user protocol.
    @property
    def is_active(self):
        return self.active

    @property
    def is_authenticated(self):
        return True

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        # The hash changes with the password: a reset logs every session of that user out; so does
        # a new session version (logout, password change).
        return f"{self.id}:{self.password_hash[-12:]}:{self.session_version}"


class UserField(BaseModel):
    """The fields a specialist (chuyên môn) processes."""

    user = ForeignKeyField(User, backref="field_links", on_delete="CASCADE")
    field = ForeignKeyField(Field, backref="user_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("user", "field"), True),)


class Setting(BaseModel):
    key = CharField(max_length=60, unique=True)
    value = TextField()


class AuditLog(BaseModel):
    """Append-only record of logins and administration: who, what, when, from where."""

    at = DateTimeField(default=now, index=True)
    user = ForeignKeyField(User, null=True, backref="audit_entries", on_delete="SET NULL")
    username = CharField(max_length=60, default="")
    action = CharField(max_length=60, index=True)
    detail = TextField(default="")
    ip = CharField(max_length=64, default="")


class LoginAttempt(BaseModel):
    """Failed logins, kept in the database so that the throttle holds across restarts and threads."""

    username_key = CharField(max_length=60, index=True)
    at = DateTimeField(default=now, index=True)
    ip = CharField(max_length=64, default="")


class Procedure(BaseModel):
    """An administrative procedure (thủ tục hành chính) with its legal time and fee rule.

    The same code may have several rows, each valid from a date: a dossier keeps the rules
    in force when it was received.
    """

    code = CharField(max_length=40, index=True)
    name = CharField(max_length=500)
    search_key = CharField(max_length=500, index=True)
    field = ForeignKeyField(Field, backref="procedures", on_delete="RESTRICT")
    # The legal time: `working_days` counts in `time_unit` (ngay_lam_viec, ngay, or trong_ngay with 0).
    working_days = IntegerField(default=0)
    time_unit = CharField(max_length=20, default="ngay_lam_viec")
    cutoff = CharField(max_length=5, null=True)
    due_time = CharField(max_length=5, null=True)
    # Named cases with a longer time: [[name, amount or null (agreed in writing), unit], ...] (m0004).
    extension_cases = JSONField(default=list)
    fee_kind = CharField(max_length=20, default="mien_phi")
    fee_amount = IntegerField(default=0)
    fee_tiers = JSONField(default=list)
    fee_cap = IntegerField(null=True)
    fee_options = JSONField(default=list)
    fee_online_percent = IntegerField(default=100)
    fee_set_by_province = BooleanField(default=False)
    # Checked by an administrator against the province's resolution (m0005); only a province's fee needs it.
    fee_confirmed = BooleanField(default=False)
    # Legal grounds that waive or reduce the fee: [[ground, percent off], ...] (m0005).
    fee_grounds = JSONField(default=list)
    legal_basis = TextField(default="")
    on_board = BooleanField(default=False)
    order = IntegerField(default=0)
    active = BooleanField(default=True)
    valid_from = DateField(null=True)
    valid_to = DateField(null=True)
    note = TextField(default="")

    class Meta:
        indexes = ((("code", "valid_from"), True),)

    def save(self, *args, **kwargs):
        self.search_key = fold(f"{self.code} {self.name}")
        return super().save(*args, **kwargs)


class ProcedureDocument(BaseModel):
    """A document a procedure requires, with its form (bản chính / bản sao / bản chụp) and count."""

    procedure = ForeignKeyField(Procedure, backref="documents", on_delete="CASCADE")
    name = CharField(max_length=300)
    form = CharField(max_length=20, default="ban_chinh")
    count = IntegerField(default=1)
    required = BooleanField(default=True)
    order = IntegerField(default=0)


class CalendarDay(BaseModel):
    """A local decision on a day: closed (a local day off) or open (a swap the package lacks)."""

    day = DateField(unique=True)
    is_working = BooleanField()
    reason = CharField(max_length=200, default="")


class Village(BaseModel):
    """A village (thôn) of the commune."""

    name = CharField(max_length=120, unique=True)
    order = IntegerField(default=0)
    active = BooleanField(default=True)

    @classmethod
    def ordered(cls):
        return _ordered(cls, active_only=True)


class SupportTeam(BaseModel):
    """The village's community digital-support team (tổ công nghệ số cộng đồng)."""

    village = ForeignKeyField(Village, backref="teams", unique=True, on_delete="RESTRICT")
    leader_name = CharField(max_length=120, default="")
    leader_phone = CharField(max_length=20, default="")


class TeamMember(BaseModel):
    team = ForeignKeyField(SupportTeam, backref="members", on_delete="RESTRICT")
    name = CharField(max_length=120)
    phone = CharField(max_length=20, default="")
    active = BooleanField(default=True)


class DaySequence(BaseModel):
    """The last dossier number given on a day; incremented inside the saving transaction."""

    day = DateField(unique=True)
    last = IntegerField(default=0)


class Dossier(BaseModel):
    """A dossier (hồ sơ) received by the center, with the rules in force copied onto it."""

    code = CharField(max_length=40, unique=True)
    received_day = DateField()
    sequence = IntegerField()
    token = CharField(max_length=64, unique=True)
    lookup_code = CharField(max_length=8)
    idempotency_key = CharField(max_length=64, unique=True, null=True)

    procedure = ForeignKeyField(Procedure, backref="dossiers", on_delete="RESTRICT")
    procedure_code = CharField(max_length=40)
    procedure_name = CharField(max_length=500)
    field = ForeignKeyField(Field, backref="dossiers", on_delete="RESTRICT")
    working_days = IntegerField()
    time_unit = CharField(max_length=20, default="ngay_lam_viec")
    cutoff = CharField(max_length=5, null=True)
    # The named case chosen at intake ({"name", "amount", "unit"}) and why: the appointment includes its time.
    extension = JSONField(null=True)
    extension_reason = TextField(default="")
    fee_rule = JSONField(default=dict)
    fee_inputs = JSONField(default=dict)
    fee_amount = IntegerField(default=0)
    # Percent off the fee by the legal ground chosen at intake (100 waives it): the figures count these.
    fee_reduction = IntegerField(default=0)
    documents = JSONField(default=list)
    sets = IntegerField(default=1)

    applicant_name = CharField(max_length=120)
    applicant_key = CharField(max_length=120, index=True)
    id_number = CharField(max_length=12, default="", index=True)
    phone = CharField(max_length=10, default="", index=True)
    address = CharField(max_length=300, default="")
    village = ForeignKeyField(Village, null=True, backref="dossiers", on_delete="RESTRICT")
    email = CharField(max_length=120, default="")
    representative_name = CharField(max_length=120, default="")
    # Indexed, as are the ID numbers below: the pickup desk finds a person's results from their card.
    representative_id_number = CharField(max_length=12, default="", index=True)
    representative_relation = CharField(max_length=200, default="")

    channel = CharField(max_length=20, default="truc_tiep", index=True)
    team = ForeignKeyField(SupportTeam, null=True, backref="dossiers", on_delete="RESTRICT")
    team_member = ForeignKeyField(TeamMember, null=True, backref="dossiers", on_delete="RESTRICT")
    # The province's code of the dossier, when it is also received on the province's system (upper case).
    portal_code = CharField(max_length=60, default="", index=True)
    priority_group = CharField(max_length=20, default="", index=True)
    return_method = CharField(max_length=20, default="tai_quay")
    counter = ForeignKeyField(Counter, null=True, backref="dossiers", on_delete="RESTRICT")
    received_by = ForeignKeyField(User, null=True, backref="received_dossiers", on_delete="RESTRICT")
    assignee = ForeignKeyField(User, null=True, backref="assigned_dossiers", on_delete="RESTRICT")

    received_at = DateTimeField(index=True)
    due_at = DateTimeField(index=True)
    extended_due_at = DateTimeField(null=True)
    paused_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True, index=True)
    # When it was stopped or withdrawn: the figures of a past period need the time, not just the status.
    closed_at = DateTimeField(null=True)
    returned_at = DateTimeField(null=True)
    # The ID number of whoever collected the result (the applicant, or someone for them), set at hand-over.
    collector_id_number = CharField(max_length=12, default="", index=True)
    status = CharField(max_length=24, default="received", index=True)
    shelf = CharField(max_length=120, default="")
    imported = BooleanField(default=False)
    version = IntegerField(default=1)

    @property
    def legal_time(self) -> ProcessingRule:
        """The legal time as the dossier keeps it: its `words` read "3 ngày làm việc", "30 ngày", "Trong ngày"."""
        return ProcessingRule(self.working_days, unit=self.time_unit if self.working_days else None)

    @property
    def extension_case(self) -> Extension | None:
        """The named case with a longer time chosen at intake, if any."""
        return Extension(**self.extension) if self.extension else None

    class Meta:
        # The work queues read open dossiers by appointment, the lists by day received, the search by
        # the last digits of the code (the day's sequence) or by name in register order: each stays an
        # index range at a million rows.
        indexes = (
            (("status", "due_at"), False),
            (("status", "received_at"), False),
            (("sequence", "received_day"), False),
            (("assignee", "status"), False),
            (("field", "status"), False),
            (("applicant_key", "received_at"), False),
            # A period's figures read the dossiers still open at its start through this one (statistics).
            (("resolved_at", "closed_at", "received_at"), False),
            # The wall board's ready list, for every counter or one, in the order the results came back.
            (("status", "resolved_at"), False),
            (("status", "counter", "resolved_at"), False),
            # A period's dossiers for the province's portal: those returned since its start (m0019).
            (("returned_at", "status"), False),
            # The pickup desk's list of one village's ready results, and its count per village (m0002).
            (("status", "village"), False),
        )


class DossierEvent(BaseModel):
    """One step in a dossier's history. Never updated or deleted: a correction is a new event."""

    dossier = ForeignKeyField(Dossier, backref="events", on_delete="RESTRICT")
    at = DateTimeField(default=now, index=True)
    user = ForeignKeyField(User, null=True, backref="dossier_events", on_delete="RESTRICT")
    counter = ForeignKeyField(Counter, null=True, on_delete="RESTRICT")
    action = CharField(max_length=40)
    from_status = CharField(max_length=24, null=True)
    to_status = CharField(max_length=24, null=True)
    note = TextField(default="")
    data = JSONField(default=dict)
    # The appointment before this event moved it (documents received after a Mẫu 02): the figures of a
    # past period read the appointment in force at its end from it.
    due_at_before = DateTimeField(null=True)


class GuidanceSlip(BaseModel):
    """A Mẫu 02 (incomplete) or Mẫu 03 (refused) given at the counter without opening a dossier."""

    number = CharField(max_length=40, unique=True)
    kind = CharField(max_length=20)
    at = DateTimeField(default=now, index=True)
    procedure = ForeignKeyField(Procedure, null=True, on_delete="RESTRICT")
    applicant_name = CharField(max_length=120, default="")
    # Mẫu 02 and 03 are addressed to the applicant: where and how to reach them (m0007).
    address = CharField(max_length=300, default="")
    phone = CharField(max_length=10, default="")
    email = CharField(max_length=120, default="")
    missing = JSONField(default=list)
    reason = TextField(default="")
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    counter = ForeignKeyField(Counter, null=True, on_delete="RESTRICT")


class FormNumber(BaseModel):
    """The number printed as "Số: N/<ký hiệu>" on an issued form: a yearly sequence per kind of form.

    A form issued again for the same dossier (and event, or guidance slip) is reprinted with its number.
    """

    kind = CharField(max_length=20)
    year = IntegerField()
    number = IntegerField()
    dossier = ForeignKeyField(Dossier, null=True, backref="form_numbers", on_delete="RESTRICT")
    event = ForeignKeyField(DossierEvent, null=True, backref="form_numbers", on_delete="RESTRICT")
    slip = ForeignKeyField(GuidanceSlip, null=True, backref="form_numbers", on_delete="RESTRICT")
    issued_at = DateTimeField(default=now)

    class Meta:
        indexes = (
            (("kind", "year", "number"), True),
            (("dossier", "kind"), False),
            (("event",), False),
            (("slip",), False),
        )


class Rating(BaseModel):
    """A citizen's satisfaction with a settled dossier, once per dossier."""

    dossier = ForeignKeyField(Dossier, unique=True, backref="ratings", on_delete="RESTRICT")
    level = CharField(max_length=20)
    comment = TextField(default="")
    at = DateTimeField(default=now, index=True)
    source = CharField(max_length=20, default="cong_dan")


class Notice(BaseModel):
    """A notice for the wall board, written by the administrator."""

    text = TextField()
    valid_from = DateField(null=True)
    valid_to = DateField(null=True)
    created_at = DateTimeField(default=now)
    active = BooleanField(default=True)


class ServiceGroup(BaseModel):
    """A service of the walk-in queue ("Tiếp nhận hồ sơ", "Trả kết quả"), with its own ticket numbers."""

    name = CharField(max_length=120, unique=True)
    # What the kiosk posts as `dich_vu`: short, stable, in the URL-safe alphabet.
    code = CharField(max_length=30, unique=True)
    # Tickets read "A12" with a letter; without one, numbers start at `first_number` (a block: 100, 200...).
    letter = CharField(max_length=2, default="")
    first_number = IntegerField(default=1)
    order = IntegerField(default=0)
    active = BooleanField(default=True)

    @classmethod
    def ordered(cls):
        return _ordered(cls, active_only=True)


class ServiceGroupCounter(BaseModel):
    """Which counters call which groups' tickets; a counter linked to none calls every group."""

    group = ForeignKeyField(ServiceGroup, backref="counter_links", on_delete="CASCADE")
    counter = ForeignKeyField(Counter, backref="group_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("group", "counter"), True),)


class Ticket(BaseModel):
    """A walk-in ticket (số thứ tự): taken at the kiosk, called to a counter, served or absent."""

    group = ForeignKeyField(ServiceGroup, backref="tickets", on_delete="RESTRICT")
    day = DateField()
    number = IntegerField()
    label = CharField(max_length=12)
    priority = BooleanField(default=False)
    issued_at = DateTimeField()
    status = CharField(max_length=10, default="waiting")
    # The first call (wait time runs to it) and the latest call or recall (the board announces it).
    called_at = DateTimeField(null=True)
    announced_at = DateTimeField(null=True)
    recalls = IntegerField(default=0)
    skipped_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    counter = ForeignKeyField(Counter, null=True, backref="tickets", on_delete="SET NULL")
    officer = ForeignKeyField(User, null=True, backref="tickets", on_delete="SET NULL")
    dossier = ForeignKeyField(Dossier, null=True, backref="tickets", on_delete="SET NULL")

    class Meta:
        indexes = ((("group", "day", "number"), True), (("day", "status"), False))


MODELS = [
    Field,
    Counter,
    CounterField,
    User,
    UserField,
    Setting,
    AuditLog,
    LoginAttempt,
    Procedure,
    ProcedureDocument,
    CalendarDay,
    Village,
    SupportTeam,
    TeamMember,
    DaySequence,
    Dossier,
    DossierEvent,
    GuidanceSlip,
    FormNumber,
    Rating,
    Notice,
    ServiceGroup,
    ServiceGroupCounter,
    Ticket,
]
