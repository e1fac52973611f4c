"""`run.py demo-data`: realistic dossiers for trying the product and for benchmarks, inserted in bulk."""
import dataclasses
import datetime
import math
import random
import secrets
import sys
import time
from contextlib import contextmanager

from peewee import SqliteDatabase

from ..clock import now
from ..db import database, write_transaction
from ..models import (
    Counter,
    DaySequence,
    Dossier,
    DossierEvent,
    Field,
    Procedure,
    SupportTeam,
    TeamMember,
    User,
    UserField,
    Village,
)
from ..rules import codes
from ..rules.fees import FeeInputError, inputs_needed
from ..rules.status import Action, Status
from ..rules.text import fold
from ..services import form_numbers
from ..services.calendar import work_calendar
from ..services.catalogue import fee_rule, fee_rule_as_data, in_force, processing_rule, seed_if_empty
from ..services.dossiers import RECEIVE, code_prefix, fee_for
from ..settings import load as load_settings

FAMILY_NAMES = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4), ("Võ", 4), ("Đặng", 2),
    ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 1), ("Dương", 1), ("Lý", 1), ("Đinh", 1), ("Thái", 1),
)
MALE_MIDDLE = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Đình", "Công", "Thanh", "Tiến")
FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Hồng", "Thanh", "Mai", "Kim", "Phương")
MALE_GIVEN = ("An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam", "Phong",
              "Quân", "Sơn", "Thắng", "Thành", "Tuấn", "Việt", "Vinh", "Hiếu", "Trung", "Lộc", "Tài")
FEMALE_GIVEN = ("Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Loan", "Mai",
                "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Trang", "Tuyết", "Vân", "Yến")
VILLAGES = (
    "Trung Tiết", "Bắc Giang", "Nam Giang", "Đông Sơn", "Tây Sơn", "Hòa Bình", "Tân Phú", "An Lạc", "Phú Thượng",
    "Phú Hạ", "Đồng Văn", "Thượng Phong", "Hạ Phong", "Kim Đôi", "Liên Hương", "Minh Tiến", "Yên Hòa", "Đại Đồng",
    "Quyết Thắng",
)
# Certification is by far the commonest request at a commune, then civil status; the rest are rare.
PROCEDURE_WEIGHTS = {
    "2.000815": 40, "2.000884": 12, "2.001035": 5, "2.000908": 3, "2.000913": 1, "2.001019": 1,
    "1.001193": 8, "1.000656": 3, "1.000894": 3, "1.004873": 6, "2.000635": 4, "1.004859": 2, "1.004884": 1,
    "1.001612": 1, "2.000720": 1,
}
OTHER_PROCEDURE_WEIGHT = 0.3
CHANNEL_WEIGHTS = {"truc_tiep": 55, "truc_tuyen": 30, "tai_nha": 10, "buu_chinh": 5}
PRIORITY_WEIGHTS = {"": 89, "nguoi_cao_tuoi": 8, "nguoi_khuyet_tat": 2, "nguoi_neo_don": 1}
# What became of a dossier once the work on it ended, in the proportions a commune reports.
OUTCOME_WEIGHTS = {Status.RETURNED: 93, Status.RESULT_READY: 2, Status.REFUSED: 1, Status.STOPPED: 1, Status.WITHDRAWN: 3}
# How its result came against the appointment: mostly early, some on the day, a few late.
TIMELINESS_WEIGHTS = {"early": 70, "on_time": 26, "late": 4}
REQUEST_DOCUMENTS_SHARE = 0.05
PROVINCE_ID_PREFIX = "042"
MOBILE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070", "076", "077", "078",
                   "079", "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096",
                   "097", "098", "099")
# The history is spread so that a day is busy, not absurd: 1,000 dossiers a working day is about 25
# times a real commune's busiest (DOMAIN §1: 15–40), and a million dossiers then span some five years,
# so a quarter's report reads a quarter, not half the database. The four-digit day sequence allows 9,999.
# Demo staff are told apart by their username; they are not real accounts and do not count as one.
DEMO_PREFIX = "demo."
MAX_PER_DAY = 1000
MIN_SPAN_DAYS = 180
CHUNK = 10_000


def register(subparsers):
    parser = subparsers.add_parser("demo-data", help="tạo dữ liệu mẫu (hồ sơ, thôn, cán bộ) để dùng thử hoặc đo hiệu năng")
    parser.add_argument("--dossiers", type=int, default=1000, help="số hồ sơ cần tạo (mặc định 1000)")
    parser.add_argument("--seed", type=int, default=None, help="hạt giống ngẫu nhiên, để tạo lại đúng bộ dữ liệu")
    parser.add_argument("--force", action="store_true", help="vẫn tạo khi cơ sở dữ liệu đã có hồ sơ thật (không nên)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    if args.dossiers < 0 or args.dossiers > 5_000_000:
        print("Lỗi: số hồ sơ phải từ 0 đến 5.000.000.", file=sys.stderr)
        return 2
    real = real_dossiers()
    if real and not args.force:
        print(
            f"Lỗi: cơ sở dữ liệu này đã có {real:,} hồ sơ thật; dữ liệu mẫu sẽ trộn lẫn vào số liệu và sổ theo dõi. ".replace(",", ".")
            + "Hãy tạo dữ liệu mẫu trên một cơ sở dữ liệu riêng (DATABASE_URL=sqlite:///demo.sqlite3), "
            "hoặc thêm --force nếu thật sự muốn.",
            file=sys.stderr,
        )
        return 1
    started = time.perf_counter()
    rng = random.Random(args.seed)
    made = generate(args.dossiers, rng, progress=print)
    print(f"Đã tạo {made:,} hồ sơ mẫu trong {time.perf_counter() - started:.1f} giây.".replace(",", "."))
    return 0


def demo_accounts():
    return User.select(User.id).where(User.username.startswith(DEMO_PREFIX))


def real_dossiers() -> int:
    """Dossiers a person received (or imported from the old logbook), as opposed to demo-data's."""
    return (
        Dossier.select()
        .where(Dossier.imported | (Dossier.received_by.is_null(False) & Dossier.received_by.not_in(demo_accounts())))
        .count()
    )


def ensure_reference_data(rng: random.Random, report=print) -> dict:
    """Catalogue, counters, villages with their teams, and staff: made only where missing."""
    seed_if_empty()
    if not Counter.select().exists():
        for number in range(1, 5):
            Counter.create(name=f"Quầy {number}", order=number)
    if not Village.select().exists():
        for order, name in enumerate(VILLAGES, start=1):
            village = Village.create(name=f"Thôn {name}", order=order)
            team = SupportTeam.create(village=village, leader_name=_person_name(rng)[0], leader_phone=_phone(rng))
            for _ in range(3):
                TeamMember.create(team=team, name=_person_name(rng)[0], phone=_phone(rng))
    password = _ensure_staff(rng)
    if password:
        report(f"Đã tạo tài khoản cán bộ mẫu (tên đăng nhập {DEMO_PREFIX}*), mật khẩu tạm chung: {password} (phải đổi khi đăng nhập lần đầu)")
    # Demo dossiers are received and processed by demo staff only, so that real_dossiers() tells them apart.
    staff = [user for user in User.select().where(User.username.startswith(DEMO_PREFIX)) if user.active]
    return {
        "counters": [c.id for c in Counter.ordered()],
        "villages": [
            (team.village_id, team.village.name, team.id, [m.id for m in team.members])
            for team in SupportTeam.select(SupportTeam, Village).join(Village)
        ],
        "receivers": [u.id for u in staff if "tiep_nhan" in u.roles],
        "specialists": _specialists_by_field(),
        "leaders": [u.id for u in staff if "lanh_dao" in u.roles] or [None],
    }


def _ensure_staff(rng: random.Random) -> str | None:
    if User.select().where(User.username.startswith(DEMO_PREFIX)).exists():
        return None
    from ..views.auth import hash_password

    password = secrets.token_urlsafe(9)
    password_hash = hash_password(password)
    counters = list(Counter.ordered())
    staff = [(f"{DEMO_PREFIX}tiepnhan1", "tiep_nhan", counters[0].id if counters else None, None),
             (f"{DEMO_PREFIX}tiepnhan2", "tiep_nhan", counters[1].id if len(counters) > 1 else None, None),
             (f"{DEMO_PREFIX}lanhdao", "lanh_dao", None, None)]
    for field in Field.ordered():
        for number in (1, 2):
            staff.append((f"{DEMO_PREFIX}cm{field.id}.{number}", "chuyen_mon", None, field.id))
    with database.atomic():
        for username, role, counter, field_id in staff:
            # One shared password printed on the screen: each person must choose their own at first login.
            user = User.create(
                username=username, full_name=_person_name(rng)[0], password_hash=password_hash, roles_text=role,
                counter=counter, must_change_password=True,
            )
            if field_id:
                UserField.create(user=user, field=field_id)
    return password


def _specialists_by_field() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for link in UserField.select(UserField, User).join(User).where(User.active & User.username.startswith(DEMO_PREFIX)):
        found.setdefault(link.field_id, []).append(link.user_id)
    return found


def _person_name(rng: random.Random) -> tuple[str, bool]:
    family = rng.choices([n for n, _ in FAMILY_NAMES], [w for _, w in FAMILY_NAMES])[0]
    female = rng.random() < 0.5
    middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    return f"{family} {middle} {given}", female


def _id_number(rng: random.Random, female: bool, birth_year: int) -> str:
    century = 2 * ((birth_year - 1900) // 100) + (1 if female else 0)
    return f"{PROVINCE_ID_PREFIX}{century}{birth_year % 100:02d}{rng.randrange(10**6):06d}"


def _phone(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"


class _Catalogue:
    """The procedures in force with their weights, rules and a fee cache."""

    def __init__(self, settings: dict):
        procedures = list(in_force(now().date()).order_by(Procedure.id))
        self.procedures = procedures
        self.weights = [PROCEDURE_WEIGHTS.get(p.code, OTHER_PROCEDURE_WEIGHT) for p in procedures]
        self.rules = {p.id: processing_rule(p, settings["default_cutoff"]) for p in procedures}
        self.fee_rules = {p.id: fee_rule(p) for p in procedures}
        self.fee_data = {p.id: fee_rule_as_data(self.fee_rules[p.id]) for p in procedures}
        self.documents = {
            p.id: [{"name": d.name, "form": d.form, "count": d.count} for d in p.documents if d.required] for p in procedures
        }
        self._fees = {}

    def fee(self, procedure: Procedure, inputs: dict, online: bool) -> int:
        key = (procedure.id, tuple(sorted(inputs.items())), online)
        if key not in self._fees:
            try:
                self._fees[key] = fee_for(procedure, inputs, online=online)
            except FeeInputError:
                self._fees[key] = 0
        return self._fees[key]

    def fee_inputs(self, procedure: Procedure, rng: random.Random) -> dict:
        needed = inputs_needed(self.fee_rules[procedure.id])
        inputs = {}
        if "pages" in needed:
            inputs["pages"] = rng.choice((1, 1, 1, 2, 2, 3, 4, 6, 8))
        if "copies" in needed:
            inputs["copies"] = rng.choice((1, 1, 1, 2, 2, 3, 5))
        if "option" in needed and self.fee_rules[procedure.id].options:
            inputs["option"] = rng.choice(self.fee_rules[procedure.id].options)[0]
        # A birth or death is one case, nearly always registered in time: the fee is waived (Luật Hộ tịch
        # 2014 art. 11); one in twenty is late and pays the province's fee.
        timely = [name for name, _ in self.fee_rules[procedure.id].grounds if "đúng hạn" in name]
        if timely:
            inputs["copies"] = 1
            if rng.random() < 0.95:
                inputs["ground"] = timely[0]
        return inputs


def _receipt_times(day: datetime.date, count: int, working: bool, until: datetime.datetime, rng: random.Random) -> list[datetime.datetime]:
    """When the day's dossiers arrived: office hours on a working day, online ones at any hour; never after `until`."""
    start = datetime.datetime.combine(day, datetime.time())
    last_minute = min(24 * 60 - 1, int((until - start).total_seconds() // 60) - 1)
    times = []
    for _ in range(count):
        if working and rng.random() < 0.85 and last_minute > 7 * 60 + 30:
            minute = int(rng.triangular(7 * 60 + 30, min(16 * 60 + 45, last_minute), 9 * 60 + 30))
        else:
            minute = rng.randint(0, max(last_minute, 0))
        times.append(start + datetime.timedelta(minutes=minute, seconds=rng.randrange(60)))
    return sorted(times)


def _daily_counts(total: int, days: list[datetime.date], calendar, rng: random.Random) -> dict[datetime.date, int]:
    """Spread the dossiers over the days, working days carrying nearly all of them."""
    weights = [1.0 if calendar.is_working_day(day) else 0.04 for day in days]
    scale = total / sum(weights)
    counts = {day: int(weight * scale) for day, weight in zip(days, weights)}
    short = total - sum(counts.values())
    working_days = [day for day, weight in zip(days, weights) if weight == 1.0] or days
    for day in rng.choices(working_days, k=short):
        counts[day] += 1
    return counts


def generate(total: int, rng: random.Random, progress=print) -> int:
    """Make `total` dossiers with their events over the past months, as intake and processing would have."""
    settings = load_settings()
    # Sample data reaches years before the official calendar file: there the package's calendar will do.
    calendar = dataclasses.replace(work_calendar(settings), covered_years=None)
    refs = ensure_reference_data(rng, progress)
    catalogue = _Catalogue(settings)
    if total == 0 or not catalogue.procedures:
        return 0
    current = now()
    span = max(MIN_SPAN_DAYS, math.ceil(total / MAX_PER_DAY * 7 / 5 * 1.3))
    days = [current.date() - datetime.timedelta(days=offset) for offset in range(span, -1, -1)]
    counts = _daily_counts(total, days, calendar, rng)
    sequences = {row.day: row.last for row in DaySequence.select().where(DaySequence.day >= days[0])}
    next_id = (Dossier.select(Dossier.id).order_by(Dossier.id.desc()).scalar() or 0) + 1
    made = 0
    dossier_rows, event_rows = [], []
    with _unsynced_writes():
        for day in days:
            count = counts[day]
            if not count:
                continue
            start = sequences.get(day, 0)
            count = min(count, codes.MAX_SEQUENCE - start)
            working = calendar.is_working_day(day)
            for offset, received_at in enumerate(_receipt_times(day, count, working, current, rng), start=1):
                dossier, events = _one_dossier(next_id, day, start + offset, received_at, current, settings, calendar, catalogue, refs, rng)
                dossier_rows.append(dossier)
                event_rows.extend(events)
                next_id += 1
                made += 1
            sequences[day] = start + count
            if len(dossier_rows) >= CHUNK:
                _flush(dossier_rows, event_rows)
                progress(f"  … {made:,} hồ sơ".replace(",", "."))
        _flush(dossier_rows, event_rows)
        with write_transaction():
            for day, last in sequences.items():
                DaySequence.insert(day=day, last=last).on_conflict(
                    conflict_target=[DaySequence.day], update={DaySequence.last: last}
                ).execute()
            # The receipts and letters are numbered as if issued in the order they happened.
            form_numbers.backfill()
    return made


@contextmanager
def _unsynced_writes():
    """A bulk load need not sync every chunk to disk: after a crash one runs the command again."""
    sqlite = isinstance(database.obj, SqliteDatabase)
    if sqlite:
        database.execute_sql("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        if sqlite:
            database.execute_sql("PRAGMA synchronous = FULL")
        else:
            # The ids above were chosen here, not drawn from PostgreSQL's sequence: move it past them.
            for model in (Dossier, DossierEvent):
                table = model._meta.table_name
                database.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))"
                )


def _flush(dossier_rows: list, event_rows: list) -> None:
    with write_transaction():
        _bulk_insert(Dossier, dossier_rows)
        _bulk_insert(DossierEvent, event_rows)
    dossier_rows.clear()
    event_rows.clear()


def _bulk_insert(model, rows: list[dict]) -> None:
    """Insert many rows with one prepared statement that peewee wrote for this database.

    Building a multi-row INSERT through the query builder costs more than the database's own work
    at this scale; the statement and each field's conversion stay peewee's, so PostgreSQL works too.
    """
    if not rows:
        return
    # Every column named, defaults filled in, so the statement has exactly one placeholder per value.
    fields = [field for field in model._meta.sorted_fields if field.name in rows[0] or field is not model._meta.primary_key]
    defaults = {field.name: field.default() if callable(field.default) else field.default for field in fields}
    sql, _ = model.insert({field: None for field in fields}).sql()
    converters = [(field.name, field.db_value) for field in fields]
    params = [tuple(convert(row.get(name, defaults[name])) for name, convert in converters) for row in rows]
    database.cursor().executemany(sql, params)


def _working_time_after(at: datetime.datetime, hours: float, calendar) -> datetime.datetime:
    """A moment `hours` later, moved into office hours of a working day (never at night or before opening)."""
    moment = at + datetime.timedelta(hours=hours)
    day = moment.date()
    if not calendar.is_working_day(day) or moment.time() > calendar.end_of_day(day):
        day = calendar.next_working_day(day)
    elif moment.time() >= calendar.work_start:
        return moment
    return datetime.datetime.combine(day, calendar.work_start) + datetime.timedelta(minutes=moment.minute + 30)


def _one_dossier(dossier_id, day, sequence, received_at, current, settings, calendar, catalogue, refs, rng):
    procedure = rng.choices(catalogue.procedures, catalogue.weights)[0]
    channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
    priority = rng.choices(list(PRIORITY_WEIGHTS), list(PRIORITY_WEIGHTS.values()))[0]
    if priority and rng.random() < 0.5:
        channel = "tai_nha"
    name, female = _person_name(rng)
    birth_year = rng.randint(1940, 2006) if priority != "nguoi_cao_tuoi" else rng.randint(1935, 1965)
    village_id, village_name, team_id, members = rng.choice(refs["villages"]) if refs["villages"] else (None, "", None, [])
    fee_inputs = catalogue.fee_inputs(procedure, rng)
    due_at = calendar.appointment(received_at, catalogue.rules[procedure.id])
    specialists = refs["specialists"].get(procedure.field_id) or [None]
    assignee = rng.choice(specialists)
    receiver = rng.choice(refs["receivers"]) if refs["receivers"] else None
    counter = rng.choice(refs["counters"]) if channel == "truc_tiep" and refs["counters"] else None
    row = {
        "id": dossier_id,
        "code": codes.format_dossier_code(code_prefix(settings), day, sequence),
        "received_day": day,
        "sequence": sequence,
        "token": codes.new_status_token(),
        "lookup_code": "".join(rng.choices(codes.LOOKUP_ALPHABET, k=codes.LOOKUP_LENGTH)),
        "procedure": procedure.id,
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "field": procedure.field_id,
        "working_days": procedure.working_days,
        "time_unit": procedure.time_unit,
        "cutoff": procedure.cutoff,
        "fee_rule": catalogue.fee_data[procedure.id],
        "fee_inputs": fee_inputs,
        "fee_amount": catalogue.fee(procedure, fee_inputs, channel == "truc_tuyen"),
        "documents": catalogue.documents[procedure.id],
        "applicant_name": name,
        "applicant_key": fold(name),
        "id_number": _id_number(rng, female, birth_year),
        "phone": _phone(rng) if rng.random() < 0.9 else "",
        "address": f"{village_name or 'Thôn ' + rng.choice(VILLAGES)}, {settings['commune']}",
        "village": village_id,
        "channel": channel,
        "team": team_id if channel == "tai_nha" else None,
        "team_member": rng.choice(members) if channel == "tai_nha" and members else None,
        # The portal numbers its own dossiers; one code per dossier, as it gives them.
        "portal_code": f"G22.39-{day:%y%m%d}-{sequence:04d}" if channel == "truc_tuyen" else "",
        "priority_group": priority,
        "return_method": {"buu_chinh": "buu_chinh", "tai_nha": "to_cong_nghe"}.get(channel, "tai_quay"),
        "counter": counter,
        "received_by": receiver if channel == "truc_tiep" else None,
        "received_at": received_at,
        "due_at": due_at,
        "status": Status.RECEIVED,
        "version": 1,
        # Bulk inserts take their columns from the first row: every row names every column set later.
        "assignee": None,
        "paused_at": None,
        "resolved_at": None,
        "closed_at": None,
        "returned_at": None,
        "shelf": "",
    }
    events = [_event(dossier_id, received_at, receiver, counter, RECEIVE, None, Status.RECEIVED, data={"due_at": due_at.isoformat(), "fee": row["fee_amount"]})]
    _history(row, events, assignee, receiver, rng.choice(refs["leaders"]), current, calendar, rng)
    return row, events


def _event(dossier_id, at, user, counter, action, from_status, to_status, note="", data=None, due_at_before=None):
    return {
        "dossier": dossier_id, "at": at, "user": user, "counter": counter, "action": str(action),
        "from_status": str(from_status) if from_status else None, "to_status": str(to_status) if to_status else None,
        "note": note, "data": data or {}, "due_at_before": due_at_before,
    }


def _history(row, events, assignee, receiver, leader, current, calendar, rng):
    """Walk the dossier through the status machine up to today, appending an event per step."""
    dossier_id = row["id"]

    def step(at, user, action, to_status, note="", data=None, due_at_before=None):
        events.append(_event(dossier_id, at, user, None, action, row["status"], to_status, note, data, due_at_before))
        row["status"] = to_status
        row["version"] += 1

    start_at = _working_time_after(row["received_at"], rng.uniform(0.3, 3), calendar)
    if start_at > current:
        return
    row["assignee"] = assignee
    step(start_at, assignee, Action.START, Status.PROCESSING)
    outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
    if outcome == Status.WITHDRAWN:
        withdraw_at = _working_time_after(start_at, rng.uniform(1, 30), calendar)
        if withdraw_at <= current:
            row["closed_at"] = withdraw_at
            step(withdraw_at, receiver, Action.WITHDRAW, Status.WITHDRAWN, "Công dân đề nghị rút hồ sơ.")
        return
    if rng.random() < REQUEST_DOCUMENTS_SHARE:
        paused_at = _working_time_after(start_at, rng.uniform(0.5, 4), calendar)
        if paused_at > current:
            return
        step(paused_at, assignee, Action.REQUEST_DOCUMENTS, Status.WAITING_DOCUMENTS, "Cần bổ sung bản sao giấy tờ tùy thân.")
        resumed_at = _working_time_after(paused_at, rng.uniform(20, 120), calendar)
        if resumed_at > current:
            row["paused_at"] = paused_at
            return
        moved = calendar.move_by_pause(row["due_at"], paused_at, resumed_at)
        step(resumed_at, receiver, Action.DOCUMENTS_RECEIVED, Status.PROCESSING, data={"due_at_before": row["due_at"].isoformat(), "due_at": moved.isoformat()}, due_at_before=row["due_at"])
        row["due_at"] = moved
        start_at = resumed_at
    if outcome == Status.STOPPED:
        stop_at = _working_time_after(start_at, rng.uniform(1, 24), calendar)
        if stop_at <= current:
            row["closed_at"] = stop_at
            step(stop_at, assignee, Action.STOP, Status.STOPPED, "Người yêu cầu không bổ sung hồ sơ theo yêu cầu.")
        return
    resolved_at = _resolution_time(row["due_at"], start_at, calendar, rng)
    if resolved_at > current:
        return
    if outcome == Status.REFUSED:
        row["resolved_at"] = resolved_at
        step(resolved_at, assignee, Action.REFUSE, Status.REFUSED, "Hồ sơ không đủ điều kiện theo quy định.")
        return
    opening = datetime.datetime.combine(resolved_at.date(), calendar.work_start)
    sent_at = max(start_at, opening, resolved_at - datetime.timedelta(hours=rng.uniform(0.2, 2)))
    step(sent_at, assignee, Action.SEND_FOR_APPROVAL, Status.WAITING_APPROVAL)
    shelf = f"Kệ {rng.choice('ABCD')}, ngăn {rng.randint(1, 8)}"
    row["resolved_at"] = resolved_at
    row["shelf"] = shelf
    step(resolved_at, leader, Action.APPROVE, Status.RESULT_READY, data={"shelf": shelf})
    returned_at = _working_time_after(resolved_at, rng.uniform(0.5, 72), calendar)
    if outcome == Status.RETURNED and returned_at <= current:
        row["returned_at"] = returned_at
        step(returned_at, receiver, Action.HAND_OVER, Status.RETURNED)


def _resolution_time(due_at, start_at, calendar, rng):
    """When the leader approved: by the timeliness drawn, and always in office hours."""
    return _working_time_after(_drawn_resolution(due_at, start_at, calendar, rng), 0, calendar)


def _drawn_resolution(due_at, start_at, calendar, rng):
    timeliness = rng.choices(list(TIMELINESS_WEIGHTS), list(TIMELINESS_WEIGHTS.values()))[0]
    if timeliness == "late":
        day = calendar.add_working_days(due_at.date(), rng.randint(1, 4))
        return datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.randrange(60)))
    if timeliness == "on_time" or due_at.date() <= start_at.date():
        return max(start_at + datetime.timedelta(minutes=20), min(due_at, datetime.datetime.combine(due_at.date(), datetime.time(rng.randint(8, 16), rng.randrange(60)))))
    # Early means a working day before the appointment's, from the day the work started.
    offset = rng.randrange(calendar.working_days_in(start_at.date(), due_at.date()))
    early_day = calendar.add_working_days(start_at.date(), offset) if offset else start_at.date()
    moment = datetime.datetime.combine(early_day, datetime.time(rng.randint(8, 16), rng.randrange(60)))
    return max(moment, start_at + datetime.timedelta(minutes=20))
