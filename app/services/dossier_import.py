"""Importing the history of an old logbook (CSV or XLSX): every line checked, then all saved or none."""
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from ..clock import CENTER_TZ, now
from ..db import write_transaction
from ..models import CHANNELS, DaySequence, Dossier, DossierEvent, Procedure
from ..rules import codes
from ..rules.catalogue_file import CatalogueFileError, FileLimits, ImportErrors, describe_error, read_rows
from ..rules.identity import normalize_phone, validate_id_number
from ..rules.status import RESOLVED_STATUSES, STATUS_LABELS, Status
from ..rules.text import clean, fold
from ..settings import load as load_settings
from .catalogue import in_force_by_code
from .dossiers import rules_in_force
from .form_numbers import RECEIPT, issue as issue_number

COLUMNS = (
    "ma_ho_so",
    "ma_thu_tuc",
    "ho_ten",
    "so_dinh_danh",
    "dien_thoai",
    "dia_chi",
    "kenh",
    "thoi_gian_tiep_nhan",
    "thoi_gian_hen_tra",
    "thoi_gian_co_ket_qua",
    "thoi_gian_tra",
    "trang_thai",
)
REQUIRED = ("ma_ho_so", "ma_thu_tuc", "ho_ten", "thoi_gian_tiep_nhan", "thoi_gian_hen_tra")
IMPORT = "import"
DEFAULT_CHANNEL = "truc_tiep"
_DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
# A status may be written as stored (returned) or as staff read it (Đã trả kết quả), with or without diacritics.
_STATUSES = {status.value: status for status in Status} | {fold(label): status for status, label in STATUS_LABELS.items()}
_CLOSED = (Status.STOPPED, Status.WITHDRAWN)
_LENGTHS = {"ma_ho_so": 40, "ho_ten": 120, "dia_chi": 300}
# Years of a busy commune's logbook in one file; a longer one is imported in parts.
LIMITS = FileLimits(max_rows=200_000, max_unzipped_bytes=300 * 1024 * 1024)
# Dossiers saved per look-up of the codes already there (SQLite takes a bounded number of parameters).
_BATCH = 500


class DossierImportError(Exception):
    """Everything wrong with the file as (line, column, message); line 1 is the header, 0 the file."""

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors.shown() if isinstance(errors, ImportErrors) else ImportErrors(errors).shown()
        super().__init__("\n".join(describe_error(*error) for error in self.errors))

    @property
    def messages(self) -> list[str]:
        return [describe_error(*error) for error in self.errors]


@dataclass
class ImportResult:
    added: int
    already_there: int


@dataclass
class _Line:
    number: int
    values: dict
    procedure: Procedure
    received_at: datetime.datetime
    due_at: datetime.datetime
    resolved_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    status: Status


def parse_time(text: str) -> datetime.datetime | None:
    """'25/09/2025 08:30', '25/09/2025' or ISO 8601 (with an offset, turned into the center's time); None if unreadable."""
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(CENTER_TZ).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def import_dossiers(data: bytes, filename: str, user=None) -> ImportResult:
    """Check the whole file, then add every dossier not already there, in one transaction.

    Raises DossierImportError listing every problem, line and column; nothing is saved then.
    A dossier whose code is already in the database is left as it is, so a second import adds nothing.
    """
    # The file is read twice, one row at a time: once to check every line, then to save them all in one
    # transaction. Only the codes seen are kept in between, never the lines themselves.
    today = now().date()
    _refuse_if_too_long(data, filename)
    errors = ImportErrors()
    count = sum(1 for _line in _lines(data, filename, today, errors))
    if errors:
        raise DossierImportError(errors)
    if not count:
        raise DossierImportError([(0, "", "Tệp chỉ có dòng tiêu đề, không có hồ sơ nào.")])
    settings = load_settings()
    added = 0
    with write_transaction():
        lines = _lines(data, filename, today, ImportErrors())
        while batch := list(islice(lines, _BATCH)):
            known = _existing_codes([line.values["ma_ho_so"] for line in batch])
            for line in batch:
                if line.values["ma_ho_so"] in known:
                    continue
                _save(line, filename, user, settings["agency_code"])
                added += 1
    return ImportResult(added=added, already_there=count - added)


def _refuse_if_too_long(data: bytes, filename: str) -> None:
    """Count the rows before checking any: a file past the limit is refused in seconds, not after the check."""
    try:
        for _row in read_rows(data, filename or "", LIMITS):
            pass
    except CatalogueFileError as error:
        raise DossierImportError(error.errors) from error


def _existing_codes(wanted: list[str]) -> set[str]:
    return {code for (code,) in Dossier.select(Dossier.code).where(Dossier.code.in_(wanted)).tuples()}


def _lines(data: bytes, filename: str, today: datetime.date, errors: ImportErrors) -> Iterator[_Line]:
    """Each good line of the file in turn; every problem goes to `errors` (a file-wide one is raised)."""
    try:
        yield from _check(read_rows(data, filename or "", LIMITS), today, errors)
    except CatalogueFileError as error:
        raise DossierImportError(error.errors) from error


def _check(rows: Iterator[list[str]], today: datetime.date, errors: ImportErrors) -> Iterator[_Line]:
    first = next(rows, None)
    if not first or not any(cell.strip() for cell in first):
        raise DossierImportError([(0, "", "Tệp trống.")])
    header = [fold(cell).replace(" ", "_") for cell in first]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [cell for cell, name in zip(first, header) if name and name not in COLUMNS]
    header_errors = [(1, name, "Thiếu cột bắt buộc.") for name in missing]
    header_errors += [(1, cell, f"Cột không được hỗ trợ; các cột dùng được: {', '.join(COLUMNS)}.") for cell in unknown]
    if header_errors:
        raise DossierImportError(header_errors)
    first_line_of = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: clean(row[index]) if index < len(row) else "" for index, name in enumerate(header) if name in COLUMNS}
        values = {name: values.get(name, "") for name in COLUMNS}
        line = _check_line(number, values, today, errors)
        code = values["ma_ho_so"]
        if code and code in first_line_of:
            errors.append((number, "ma_ho_so", f"Mã hồ sơ {code} trùng với dòng {first_line_of[code]}."))
        first_line_of.setdefault(code, number)
        if line is not None:
            yield line


def _check_line(number: int, values: dict, today: datetime.date, errors: list) -> _Line | None:
    found = []

    def refuse(column, message):
        found.append((number, column, message))

    for name in REQUIRED:
        if not values[name]:
            refuse(name, "Không được để trống.")
    for name, limit in _LENGTHS.items():
        if len(values[name]) > limit:
            refuse(name, f"Tối đa {limit} ký tự.")
    times = {}
    for name in ("thoi_gian_tiep_nhan", "thoi_gian_hen_tra", "thoi_gian_co_ket_qua", "thoi_gian_tra"):
        if values[name]:
            times[name] = parse_time(values[name])
            if times[name] is None:
                refuse(name, f"Không đọc được thời gian «{values[name]}»; dùng dạng 25/09/2025 08:30, 25/09/2025 hoặc 2025-09-25T08:30.")
    received, due = times.get("thoi_gian_tiep_nhan"), times.get("thoi_gian_hen_tra")
    resolved, returned = times.get("thoi_gian_co_ket_qua"), times.get("thoi_gian_tra")
    if received and due and due < received:
        refuse("thoi_gian_hen_tra", "Thời gian hẹn trả trước thời gian tiếp nhận.")
    if received and resolved and resolved < received:
        refuse("thoi_gian_co_ket_qua", "Thời gian có kết quả trước thời gian tiếp nhận.")
    if returned and (resolved or received) and returned < (resolved or received):
        refuse("thoi_gian_tra", "Thời gian trả trước thời gian có kết quả." if resolved else "Thời gian trả trước thời gian tiếp nhận.")
    if received and received.date() > today:
        refuse("thoi_gian_tiep_nhan", "Thời gian tiếp nhận ở tương lai.")
    if values["kenh"] and values["kenh"] not in CHANNELS:
        refuse("kenh", f"Kênh «{values['kenh']}» không hợp lệ; dùng một trong: {', '.join(CHANNELS)}.")
    for name, check in (("so_dinh_danh", lambda text: validate_id_number(text, today)), ("dien_thoai", normalize_phone)):
        if values[name]:
            value, error = check(values[name])
            if error:
                refuse(name, error)
            else:
                values[name] = value
    status = _status(values, resolved, returned, refuse)
    procedure = None
    if values["ma_thu_tuc"]:
        procedure = _procedure(values["ma_thu_tuc"], received)
        if procedure is None:
            refuse("ma_thu_tuc", f"Mã thủ tục {values['ma_thu_tuc']} không có trong danh mục thủ tục.")
    errors.extend(found)
    if found:
        return None
    return _Line(number, values, procedure, received, due, resolved, returned, status)


def _status(values: dict, resolved, returned, refuse) -> Status | None:
    """The status written in the file, or the one its times imply: returned, result ready, or processing."""
    if not values["trang_thai"]:
        if returned and not resolved:
            refuse("thoi_gian_co_ket_qua", "Có thời gian trả nhưng thiếu thời gian có kết quả.")
        return Status.RETURNED if returned else Status.RESULT_READY if resolved else Status.PROCESSING
    status = _STATUSES.get(values["trang_thai"]) or _STATUSES.get(fold(values["trang_thai"]))
    if status is None:
        refuse("trang_thai", f"Trạng thái «{values['trang_thai']}» không hợp lệ; dùng một trong: {', '.join(s.value for s in Status)}.")
        return None
    if status in RESOLVED_STATUSES and not resolved:
        refuse("thoi_gian_co_ket_qua", f"Trạng thái «{status.label}» cần thời gian có kết quả.")
    if status not in RESOLVED_STATUSES and resolved:
        refuse("trang_thai", f"Hồ sơ có thời gian có kết quả nhưng trạng thái là «{status.label}».")
    if status == Status.RETURNED and not returned:
        refuse("thoi_gian_tra", "Trạng thái «Đã trả kết quả» cần thời gian trả.")
    return status


def _procedure(code: str, received: datetime.datetime | None) -> Procedure | None:
    """The version in force when the dossier was received; an old logbook may predate the catalogue's dates."""
    if received is not None:
        procedure = in_force_by_code(code, received.date())
        if procedure is not None:
            return procedure
    return Procedure.select().where(Procedure.code == code).order_by(Procedure.valid_from.desc(nulls="last")).first()


def _save(line: _Line, filename: str, user, agency_code: str) -> None:
    values, procedure = line.values, line.procedure
    code = values["ma_ho_so"]
    parsed = codes.parse_dossier_code(code)
    sequence = parsed.sequence if parsed else 0
    if parsed and parsed.agency == agency_code:
        _reserve_sequence(parsed.day, parsed.sequence)
    closed_at = (line.returned_at or line.received_at) if line.status in _CLOSED else None
    dossier = Dossier.create(
        code=code,
        received_day=line.received_at.date(),
        sequence=sequence,
        token=codes.new_status_token(),
        lookup_code=codes.new_lookup_code(),
        **rules_in_force(procedure),
        applicant_name=values["ho_ten"],
        applicant_key=fold(values["ho_ten"]),
        id_number=values["so_dinh_danh"],
        phone=values["dien_thoai"],
        address=values["dia_chi"],
        channel=values["kenh"] or DEFAULT_CHANNEL,
        received_at=line.received_at,
        due_at=line.due_at,
        resolved_at=line.resolved_at,
        returned_at=line.returned_at,
        closed_at=closed_at,
        status=line.status,
        imported=True,
    )
    DossierEvent.create(
        dossier=dossier,
        at=now(),
        user=user,
        action=IMPORT,
        to_status=line.status,
        note=f"Nhập từ sổ theo dõi cũ ({filename}, dòng {line.number}).",
        data={"file": filename, "line": line.number, "received_at": line.received_at.isoformat(), "due_at": line.due_at.isoformat()},
    )
    issue_number(RECEIPT, line.received_at, dossier=dossier)


def _reserve_sequence(day: datetime.date, sequence: int) -> None:
    """Make the counter's next number of that day come after an imported one, so codes never collide."""
    updated = DaySequence.update(last=sequence).where((DaySequence.day == day) & (DaySequence.last < sequence)).execute()
    if not updated and not DaySequence.select().where(DaySequence.day == day).exists():
        DaySequence.create(day=day, last=sequence)
