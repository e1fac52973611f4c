"""The procedure catalogue in the database: rules of a procedure, the version in force, loading and exporting files."""
import datetime
from pathlib import Path
from typing import NamedTuple

from ..db import Prepared, write_transaction
from ..formatting import number
from ..models import Field, Procedure, ProcedureDocument
from ..pagecache import kept_with_version
from ..rules.calendar import Extension, ExtensionCase, ProcessingRule, TimeUnit
from ..rules.catalogue_file import DocumentSpec, ProcedureSpec, read_catalogue, write_csv, write_xlsx
from ..rules.fees import FeeRule
from ..rules.text import fold

SEED_FILE = Path(__file__).resolve().parent.parent / "data" / "procedures.csv"


def _time(text: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(text) if text else None


def fee_rule(procedure: Procedure) -> FeeRule:
    return FeeRule(
        kind=procedure.fee_kind,
        amount=procedure.fee_amount,
        tiers=tuple(tuple(tier) for tier in procedure.fee_tiers or ()),
        cap_per_copy=procedure.fee_cap,
        options=tuple(tuple(option) for option in procedure.fee_options or ()),
        online_percent=procedure.fee_online_percent,
        set_by_province=procedure.fee_set_by_province,
        grounds=tuple(tuple(ground) for ground in procedure.fee_grounds or ()),
        confirmed=procedure.fee_confirmed,
    )


def fee_rule_as_data(rule: FeeRule) -> dict:
    """A fee rule as JSON, copied onto a dossier so later catalogue changes do not touch it."""
    return {
        "kind": str(rule.kind),
        "amount": rule.amount,
        "tiers": [list(tier) for tier in rule.tiers],
        "cap_per_copy": rule.cap_per_copy,
        "options": [list(option) for option in rule.options],
        "online_percent": rule.online_percent,
        "set_by_province": rule.set_by_province,
        "grounds": [list(ground) for ground in rule.grounds],
        "confirmed": rule.confirmed,
    }


def fee_rule_from_data(data: dict) -> FeeRule:
    return FeeRule(**data)


def extension_cases(procedure: Procedure) -> list[ExtensionCase]:
    """The named cases where this procedure's law allows a longer time."""
    return [ExtensionCase(name, amount, unit) for name, amount, unit in procedure.extension_cases or ()]


def processing_rule(
    procedure: Procedure, default_cutoff: datetime.time | None = None, extension: Extension | None = None
) -> ProcessingRule:
    """N working days, N days, or same day with its cut-off (the procedure's own, else the center's setting)."""
    # 0 is the same day whatever the unit says: a row made without a unit keeps the old meaning.
    unit = TimeUnit(procedure.time_unit) if procedure.working_days else TimeUnit.SAME_DAY
    cutoff = _time(procedure.cutoff)
    if unit is TimeUnit.SAME_DAY and cutoff is None:
        cutoff = default_cutoff
    return ProcessingRule(
        procedure.working_days, cutoff=cutoff, due_time=_time(procedure.due_time), unit=unit, extension=extension
    )


def in_force(day: datetime.date):
    """Active procedures whose rules apply on `day` (one row per code)."""
    return Procedure.select().where(
        Procedure.active
        & ((Procedure.valid_from.is_null()) | (Procedure.valid_from <= day))
        & ((Procedure.valid_to.is_null()) | (Procedure.valid_to >= day))
    )


def time_in_words(procedure: Procedure, default_cutoff: datetime.time | None = None) -> str:
    """The legal time as people read it: "3 ngày làm việc", "30 ngày", "Trong ngày (nhận trước 15:00)"."""
    return processing_rule(procedure, default_cutoff).words


# Only the columns a list shows, with the field's name: the public search runs on every keystroke.
_LISTED_COLUMNS = (
    Procedure.id, Procedure.code, Procedure.name, Procedure.working_days, Procedure.time_unit, Procedure.cutoff, Procedure.due_time,
    Procedure.fee_kind, Procedure.fee_amount, Procedure.fee_tiers, Procedure.fee_cap, Procedure.fee_options,
    Procedure.fee_online_percent, Procedure.fee_set_by_province, Procedure.fee_confirmed, Procedure.fee_grounds,
    Procedure.field, Field.name.alias("field_name"),
)
# The catalogue in force on a day, in list order, with what a list shows and the search key: read once per
# database version (app/pagecache.py) and searched in memory. It is public and small (a commune's few
# hundred procedures); the citizens' search box asks on every keystroke, and a query per keystroke with
# its rows made into models was most of the search's time (cProfile over 1.000 distinct typed prefixes).
_in_force_listed = Prepared(
    lambda day: in_force(day).select(*_LISTED_COLUMNS, Procedure.search_key).join(Field)
    .order_by(Field.order, Field.name, Procedure.order, Procedure.code)
)
def listed_in_force(day: datetime.date) -> list[Procedure]:
    """The procedures in force on `day` with their field's name, in list order (shared: read, never change them)."""
    return kept_with_version("catalogue_in_force", lambda: _read_listed(day), key=day)


def _read_listed(day: datetime.date) -> list[Procedure]:
    procedures = list(_in_force_listed.raw(Procedure, Procedure.valid_from.db_value(day)))
    for procedure in procedures:
        procedure.field = Field(id=procedure.field_id, name=procedure.field_name)
    return procedures


def search_in_force(day: datetime.date, text: str = "", field_id: int | None = None, limit: int | None = None) -> list[Procedure]:
    """Procedures in force on `day` with their field's name, matching every word of `text` with or without
    diacritics (the folded words within the folded search key, as LIKE '%word%' read them), in list order."""
    words = fold(text).split()
    found = [
        procedure for procedure in listed_in_force(day)
        if (not field_id or procedure.field_id == field_id) and all(word in procedure.search_key for word in words)
    ]
    return found[:limit] if limit else found


def matching(query, text: str = "", field_id: int | None = None):
    """Narrow a query of procedures joined to their field to every typed word and one field, in list order."""
    for word in fold(text).split():
        query = query.where(Procedure.search_key.contains(word))
    if field_id:
        query = query.where(Procedure.field == field_id)
    return query.order_by(Field.order, Field.name, Procedure.order, Procedure.code)


def unconfirmed_fees(day: datetime.date):
    """Procedures in force whose fee the province sets and no administrator has confirmed yet."""
    return in_force(day).where(Procedure.fee_set_by_province & ~Procedure.fee_confirmed).order_by(Procedure.order, Procedure.code)


def in_force_by_code(code: str, day: datetime.date) -> Procedure | None:
    """The version of procedure `code` whose rules apply on `day`, with its field."""
    return (
        in_force(day)
        .select_extend(Field)
        .join(Field)
        .where(Procedure.code == code)
        .order_by(Procedure.valid_from.desc(nulls="last"))
        .first()
    )


def spec_of(procedure: Procedure) -> ProcedureSpec:
    return ProcedureSpec(
        code=procedure.code,
        name=procedure.name,
        field_name=procedure.field.name,
        working_days=procedure.working_days,
        cutoff=_time(procedure.cutoff),
        due_time=_time(procedure.due_time),
        fee=fee_rule(procedure),
        legal_basis=procedure.legal_basis,
        documents=tuple(
            DocumentSpec(name=d.name, form=d.form, count=d.count, required=d.required)
            for d in procedure.documents.order_by(ProcedureDocument.order, ProcedureDocument.id)
        ),
        on_board=procedure.on_board,
        order=procedure.order,
        active=procedure.active,
        valid_from=procedure.valid_from,
        valid_to=procedure.valid_to,
        note=procedure.note,
        unit=TimeUnit(procedure.time_unit),
        extensions=tuple(extension_cases(procedure)),
    )


def all_specs() -> list[ProcedureSpec]:
    """The whole catalogue, in the order of an export file."""
    query = Procedure.select(Procedure, Field).join(Field).order_by(Procedure.order, Procedure.code, Procedure.valid_from)
    return [spec_of(procedure) for procedure in query]


def apply_spec(procedure: Procedure, spec: ProcedureSpec, field: Field) -> Procedure:
    """Copy a spec onto a procedure row and replace its documents (inside the caller's transaction)."""
    rule = spec.fee
    procedure.code = spec.code
    procedure.name = spec.name
    procedure.field = field
    procedure.working_days = spec.working_days
    procedure.time_unit = spec.unit.value
    procedure.extension_cases = [[case.name, case.amount, case.unit.value] for case in spec.extensions]
    procedure.cutoff = spec.cutoff.strftime("%H:%M") if spec.cutoff else None
    procedure.due_time = spec.due_time.strftime("%H:%M") if spec.due_time else None
    procedure.fee_kind = str(rule.kind)
    procedure.fee_amount = rule.amount
    procedure.fee_tiers = [list(tier) for tier in rule.tiers]
    procedure.fee_cap = rule.cap_per_copy
    procedure.fee_options = [list(option) for option in rule.options]
    procedure.fee_online_percent = rule.online_percent
    procedure.fee_set_by_province = rule.set_by_province
    procedure.fee_confirmed = rule.confirmed
    procedure.fee_grounds = [list(ground) for ground in rule.grounds]
    procedure.legal_basis = spec.legal_basis
    procedure.on_board = spec.on_board
    procedure.order = spec.order
    procedure.active = spec.active
    procedure.valid_from = spec.valid_from
    procedure.valid_to = spec.valid_to
    procedure.note = spec.note
    procedure.save()
    ProcedureDocument.delete().where(ProcedureDocument.procedure == procedure).execute()
    for order, document in enumerate(spec.documents, start=1):
        ProcedureDocument.create(
            procedure=procedure, name=document.name, form=document.form, count=document.count, required=document.required, order=order
        )
    return procedure


class ImportCount(NamedTuple):
    """How many rows of a catalogue file added a procedure, changed one, or said what it already said."""

    created: int
    changed: int
    unchanged: int

    def summary(self) -> str:
        return f"{number(self.created)} thủ tục thêm mới, {number(self.changed)} thủ tục thay đổi, {number(self.unchanged)} thủ tục không đổi"


def save_specs(specs: list[ProcedureSpec]) -> ImportCount:
    """Create or update procedures from specs, all or nothing; fields named in them are created.

    A row matches an existing procedure by code and valid-from date; a row equal to what is stored
    is left alone and counted as unchanged.
    """
    created = changed = unchanged = 0
    with write_transaction():
        fields = {field.name: field for field in Field.select()}
        for spec in specs:
            field = fields.get(spec.field_name)
            if field is None:
                field = fields[spec.field_name] = Field.create(name=spec.field_name, order=len(fields) + 1)
            procedure = Procedure.get_or_none((Procedure.code == spec.code) & (Procedure.valid_from == spec.valid_from)) if spec.valid_from else Procedure.get_or_none((Procedure.code == spec.code) & Procedure.valid_from.is_null())
            if procedure is None:
                procedure = Procedure()
                created += 1
            elif spec_of(procedure) == spec:
                unchanged += 1
                continue
            else:
                changed += 1
            apply_spec(procedure, spec, field)
    return ImportCount(created, changed, unchanged)


EXPORT_FORMATS = {
    "csv": (write_csv, "text/csv; charset=utf-8"),
    "xlsx": (write_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def export_catalogue(file_format: str) -> bytes:
    """The whole catalogue as a CSV or XLSX file that `import_catalogue` reads back identically."""
    writer, _ = EXPORT_FORMATS[file_format]
    return writer(all_specs())


def import_catalogue(data: bytes, filename: str) -> ImportCount:
    """Read a CSV or XLSX file and save it all or nothing; raises CatalogueFileError listing each bad cell."""
    return save_specs(read_catalogue(data, filename))


def seed_if_empty() -> int:
    """Load the seed catalogue shipped in app/data on a database that has no procedure yet."""
    if Procedure.select().exists():
        return 0
    return save_specs(read_catalogue(SEED_FILE.read_bytes(), SEED_FILE.name)).created
