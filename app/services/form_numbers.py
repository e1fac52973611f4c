"""The numbers of issued forms ("Số: 15/BN"): a yearly sequence per kind, never given twice."""
import datetime
from dataclasses import dataclass

from peewee import IntegrityError, fn

from ..db import database
from ..models import Dossier, DossierEvent, FormNumber, GuidanceSlip
from ..rules.status import Action


@dataclass(frozen=True)
class FormKind:
    """A kind of numbered form: the symbol after the number and the title it carries (Thông tư 03/2025/TT-VPCP)."""

    symbol: str
    title: str


KINDS = {
    "mau_01": FormKind("BN", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "mau_02": FormKind("PBS", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "mau_03": FormKind("PTC", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "mau_04": FormKind("XL", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    "mau_05": FormKind("TB-DGQ", "Thông báo dừng giải quyết hồ sơ"),
    "tu_choi": FormKind("TL-TC", "Văn bản trả lời từ chối giải quyết hồ sơ"),
}
RECEIPT = "mau_01"
# The letter each step of the status machine (or a Mẫu 04 extension) issues with its event.
KIND_OF_ACTION = {
    Action.REQUEST_DOCUMENTS.value: "mau_02",
    Action.STOP.value: "mau_05",
    Action.REFUSE.value: "tu_choi",
    "extend": "mau_04",
}
KIND_OF_SLIP = {"incomplete": "mau_02", "refused": "mau_03"}
# Two PostgreSQL sessions may take the same next number; the unique index refuses the second, which retries.
ATTEMPTS = 5
BACKFILL_BATCH = 5000


def label(row: FormNumber | None) -> str:
    """'15/BN', the way the form prints it after "Số:"."""
    return f"{row.number}/{KINDS[row.kind].symbol}" if row else ""


def _existing(kind: str, dossier, event, slip) -> FormNumber | None:
    query = FormNumber.select().where(FormNumber.kind == kind)
    for column, value in ((FormNumber.dossier, dossier), (FormNumber.event, event), (FormNumber.slip, slip)):
        query = query.where(column.is_null() if value is None else column == value)
    return query.first()


def next_number(kind: str, year: int) -> int:
    """The number after the last one of this kind in this year (two sessions may both see the same one)."""
    return (FormNumber.select(fn.MAX(FormNumber.number)).where((FormNumber.kind == kind) & (FormNumber.year == year)).scalar() or 0) + 1


def issue(kind: str, at: datetime.datetime, *, dossier=None, event=None, slip=None) -> FormNumber:
    """The number of this form: the one it already has, else the next of its kind in the year of `at`."""
    existing = _existing(kind, dossier, event, slip)
    if existing is not None:
        return existing
    for attempt in range(ATTEMPTS):
        try:
            with database.atomic():
                return FormNumber.create(kind=kind, year=at.year, number=next_number(kind, at.year), dossier=dossier, event=event, slip=slip, issued_at=at)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def number_of(kind: str, *, dossier=None, event=None, slip=None) -> str:
    """The printed number of a form already issued ('' when it has none)."""
    return label(_existing(kind, dossier, event, slip))


def receipt_numbers(dossier_ids: list[int]) -> dict[int, str]:
    """{dossier id: '15/BN'} for a page of the logbook, in one query."""
    query = FormNumber.select(FormNumber.dossier, FormNumber.kind, FormNumber.number).where(
        (FormNumber.kind == RECEIPT) & FormNumber.dossier.in_(dossier_ids)
    )
    return {row.dossier_id: label(row) for row in query}


def _insert_sequences(kind: str, rows) -> int:
    """Give each (at, references) of `rows`, in issue order, the next number of its kind in its year."""
    last = dict(FormNumber.select(FormNumber.year, fn.MAX(FormNumber.number)).where(FormNumber.kind == kind).group_by(FormNumber.year).tuples())
    batch, made = [], 0
    for at, references in rows:
        last[at.year] = last.get(at.year, 0) + 1
        batch.append({"kind": kind, "year": at.year, "number": last[at.year], "issued_at": at, "dossier": None, "event": None, "slip": None, **references})
        if len(batch) == BACKFILL_BATCH:
            FormNumber.insert_many(batch).execute()
            made, batch = made + len(batch), []
    if batch:
        FormNumber.insert_many(batch).execute()
    return made + len(batch)


def backfill() -> int:
    """Number every receipt, letter and guidance slip made without one (older versions, imports, demo data)."""
    with database.atomic():
        numbered = FormNumber.select(FormNumber.dossier).where((FormNumber.kind == RECEIPT) & FormNumber.dossier.is_null(False))
        receipts = Dossier.select(Dossier.id, Dossier.received_at).where(Dossier.id.not_in(numbered)).order_by(Dossier.received_at, Dossier.id)
        made = _insert_sequences(RECEIPT, ((at, {"dossier": ident}) for ident, at in receipts.tuples()))
        letters = FormNumber.select(FormNumber.event).where(FormNumber.event.is_null(False))
        for action, kind in KIND_OF_ACTION.items():
            events = (
                DossierEvent.select(DossierEvent.id, DossierEvent.at, DossierEvent.dossier)
                .where((DossierEvent.action == action) & DossierEvent.id.not_in(letters))
                .order_by(DossierEvent.at, DossierEvent.id)
            )
            made += _insert_sequences(kind, ((at, {"event": ident, "dossier": dossier}) for ident, at, dossier in events.tuples()))
        slips = FormNumber.select(FormNumber.slip).where(FormNumber.slip.is_null(False))
        for slip_kind, kind in KIND_OF_SLIP.items():
            guidance = GuidanceSlip.select(GuidanceSlip.id, GuidanceSlip.at).where((GuidanceSlip.kind == slip_kind) & GuidanceSlip.id.not_in(slips)).order_by(GuidanceSlip.at, GuidanceSlip.id)
            made += _insert_sequences(kind, ((at, {"slip": ident}) for ident, at in guidance.tuples()))
    return made
