"""A period's dossiers as the National Public Service Portal's sync records: JSON, CSV or Excel."""
import csv
import datetime
import io
import json
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from peewee import JOIN, fn

from ..models import Dossier, DossierEvent, Field, User
from ..rules import portal
from ..rules.periods import Period
from ..rules.spreadsheet import csv_cell, keep_as_text
from ..rules.status import Action, Status
from ..settings import load as load_settings

FORMATS = ("dvcqg", "csv", "xlsx")
MIMETYPES = {
    "dvcqg": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"dvcqg": "json", "csv": "csv", "xlsx": "xlsx"}
_LIST_FIELDS = ("DanhSachLePhi", "DanhSachHoSoBoSung")


@dataclass
class Export:
    """The records of a period, and a warning for each dossier the portal will not recognise fully."""

    period: Period
    records: list[dict]
    warnings: list[str]


def _belongs(period: Period):
    """Received in the period, or received before its end and not finished before its start.

    Finished means handed over, stopped, withdrawn or refused; a result waiting on the shelf is still open.
    Written as what stays open, not as the negation of what finished: a NULL time must not drop a dossier.
    """
    start = datetime.datetime.combine(period.start, datetime.time())
    after = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time())
    not_handed_over = Dossier.returned_at.is_null() | (Dossier.returned_at >= start)
    not_closed = ~Dossier.status.in_((Status.STOPPED, Status.WITHDRAWN)) | (fn.COALESCE(Dossier.closed_at, Dossier.received_at) >= start)
    not_refused = (Dossier.status != Status.REFUSED) | Dossier.resolved_at.is_null() | (Dossier.resolved_at >= start)
    return (Dossier.received_at < after) & not_handed_over & not_closed & not_refused


# Every status but the four that finish a dossier: a dossier in one of them is open, whenever it came.
_UNFINISHED = sorted(set(Status) - {Status.RETURNED, Status.STOPPED, Status.WITHDRAWN, Status.REFUSED})


def _candidates(period: Period):
    """The ids of a superset of the period's dossiers, each part read on an index.

    `_belongs` alone reads every dossier received before the period's end, the whole history: 0,85 s
    of the figures page's 1,2 at a million dossiers, to warn of procedures without a national code.
    A dossier of the period was received in it (on received_at), or before it and is: still unfinished
    (status, received_at), returned since its start or with no return time (returned_at, status:
    m0019), or stopped, withdrawn or refused (status, received_at: few). `_belongs` then keeps exactly
    the period's own, so the two give the same dossiers (tests/services/test_portal_period.py).
    """
    start = datetime.datetime.combine(period.start, datetime.time())
    after = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time())
    before = Dossier.received_at < start
    parts = (
        (Dossier.received_at >= start) & (Dossier.received_at < after),
        Dossier.status.in_(_UNFINISHED) & before,
        (Dossier.returned_at >= start) & before,
        Dossier.returned_at.is_null() & (Dossier.status == Status.RETURNED),
        Dossier.status.in_((Status.STOPPED, Status.WITHDRAWN, Status.REFUSED)) & before,
    )
    query = None
    for condition in parts:
        part = Dossier.select(Dossier.id).where(condition)
        query = part if query is None else query | part
    return query


def _of_period(period: Period):
    return Dossier.id.in_(_candidates(period)) & _belongs(period)


def in_period(period: Period):
    """The dossiers an export of `period` holds, with their field, oldest reception first."""
    return Dossier.select(Dossier, Field).join(Field).where(_of_period(period)).order_by(Dossier.received_at, Dossier.id)


def local_procedures(period: Period) -> list[tuple[str, str, int]]:
    """(code, name, dossiers) of each procedure without a national code among the period's dossiers: cheap
    enough for the figures page, which warns before anyone downloads."""
    query = (
        Dossier.select(Dossier.procedure_code, Dossier.procedure_name, fn.COUNT(Dossier.id))
        .where(_of_period(period))
        .group_by(Dossier.procedure_code, Dossier.procedure_name)
        .order_by(Dossier.procedure_code)
    )
    return [(code, name, count) for code, name, count in query.tuples() if not portal.is_national_code(code)]


def build(period: Period) -> Export:
    """The sync records of `period`, oldest reception first, with the warnings."""
    settings = load_settings()
    dossiers = list(in_period(period))
    supplements = _supplements([dossier.id for dossier in dossiers])
    records, warnings = [], []
    for dossier in dossiers:
        facts = _facts(dossier, supplements.get(dossier.id, ()), dossier.field.body or settings["parent_body"])
        records.append(portal.record(facts))
        if not portal.is_national_code(dossier.procedure_code):
            warnings.append(
                f"Hồ sơ {dossier.code}: thủ tục «{dossier.procedure_name}» có mã {dossier.procedure_code}, không phải mã "
                "thủ tục quốc gia; MaTTHC để trống, cần bổ sung trên hệ thống của tỉnh."
            )
    return Export(period, records, warnings)


def _facts(dossier: Dossier, supplements, unit: str) -> portal.DossierFacts:
    return portal.DossierFacts(
        code=dossier.code,
        portal_code=dossier.portal_code,
        procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name,
        field_name=dossier.field.name,
        applicant_name=dossier.applicant_name,
        phone=dossier.phone,
        email=dossier.email,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        status=Status(dossier.status),
        unit=unit,
        return_method=dossier.return_method,
        returned_at=dossier.returned_at,
        # When processing ended: the result or the refusal, else the stop or the withdrawal.
        ended_at=dossier.resolved_at or dossier.closed_at,
        fee_amount=dossier.fee_amount,
        supplements=tuple(supplements),
    )


def _supplements(dossier_ids: list[int]) -> dict[int, list[portal.Supplement]]:
    """Each dossier's requests for documents, paired with the reception that answered each."""
    found: dict[int, list[portal.Supplement]] = {}
    for start in range(0, len(dossier_ids), 500):
        events = (
            DossierEvent.select(DossierEvent, User)
            .join(User, on=(DossierEvent.user == User.id), join_type=JOIN.LEFT_OUTER)
            .where(
                DossierEvent.dossier.in_(dossier_ids[start:start + 500])
                & DossierEvent.action.in_((Action.REQUEST_DOCUMENTS, Action.DOCUMENTS_RECEIVED))
            )
            .order_by(DossierEvent.dossier, DossierEvent.at, DossierEvent.id)
        )
        for event in events:
            items = found.setdefault(event.dossier_id, [])
            if event.action == Action.REQUEST_DOCUMENTS:
                requested_by = event.user.full_name if event.user_id else ""
                items.append(portal.Supplement(event.id, event.at, requested_by, event.note))
            elif items and items[-1].received_at is None:
                last = items[-1]
                due_before = _time(event.data.get("due_at_before")) or event.due_at_before
                items[-1] = portal.Supplement(
                    last.id, last.requested_at, last.requested_by, last.content, event.at, due_before, _time(event.data.get("due_at"))
                )
    return found


def _time(text) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(text) if text else None


def to_json(export: Export) -> bytes:
    """`{"data": [...]}` in UTF-8 without a BOM, the body DongBoHoSoMC takes."""
    return (json.dumps({"data": export.records}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cells(record: dict) -> list:
    # The lists go in one cell each, as the JSON the portal takes.
    return [json.dumps(record[name], ensure_ascii=False) if name in _LIST_FIELDS else record[name] for name in portal.FIELDS]


def to_csv(export: Export) -> bytes:
    """The same columns, one dossier a line; with a BOM so Excel keeps the diacritics."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(portal.FIELDS)
    for record in export.records:
        writer.writerow([csv_cell(cell) for cell in _cells(record)])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(export: Export) -> bytes:
    """The same columns in a workbook; every cell is text, so codes and times keep their digits."""
    book = Workbook()
    sheet = book.active
    sheet.title = "DongBoHoSoMC"
    sheet.append(list(portal.FIELDS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in export.records:
        sheet.append(_cells(record))
        for cell in sheet[sheet.max_row]:
            keep_as_text(cell)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {"dvcqg": to_json, "csv": to_csv, "xlsx": to_xlsx}


def write(export: Export, file_format: str) -> bytes:
    return WRITERS[file_format](export)


def filename(period: Period, file_format: str) -> str:
    return f"dong-bo-ho-so-{period.key.replace('..', '-den-')}.{EXTENSIONS[file_format]}"
