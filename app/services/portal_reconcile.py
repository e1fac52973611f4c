"""Reconciling a period with the province's own export: dossiers missing on either side, statuses and dates that differ."""
import datetime
import re
from dataclasses import dataclass, field

from ..models import Dossier
from ..rules import portal
from ..rules.catalogue_file import CatalogueFileError, FileLimits, ImportErrors, describe_error, read_rows
from ..rules.periods import Period
from ..rules.text import clean, fold
from .portal_export import in_period

# A province's export of a year at a busy commune fits well within this.
LIMITS = FileLimits(max_rows=100_000, max_unzipped_bytes=200 * 1024 * 1024)
# Header names accepted for each column, folded (no accents, no case) and without spaces or underscores.
HEADERS = {
    "code": ("mahoso", "sohoso", "mahosotinh", "mahosodvcqg"),
    "received_at": ("ngaytiepnhan", "thoigiantiepnhan", "ngaynhan", "ngaynophoso"),
    "due_at": ("ngayhentra", "thoigianhentra", "hentra"),
    "status": ("trangthaihoso", "trangthai", "matrangthai"),
}
COLUMN_NAMES = {"code": "MaHoSo", "received_at": "NgayTiepNhan", "due_at": "NgayHenTra", "status": "TrangThaiHoSo"}
REQUIRED = ("code", "received_at", "status")
_PORTAL_TIME = re.compile(r"^\d{14}$")
# dd/mm/yyyy, optionally with HH:MM or HH:MM:SS; a single-digit day, month or hour is accepted too.
_VIETNAMESE_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_/]{0,59}$")


class ReconcileError(Exception):
    """The file cannot be compared: (line, column, message) for each problem; line 0 is the whole file."""

    def __init__(self, errors):
        self.errors = errors.shown() if isinstance(errors, ImportErrors) else ImportErrors(errors).shown()
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [describe_error(*error) for error in self.errors]


@dataclass(frozen=True)
class Moment:
    """A time as the province's file gives it, with how precise it is: "day", "minute" or "second"."""

    value: datetime.datetime
    precision: str

    def same_as(self, ours: datetime.datetime) -> bool:
        if self.precision == "day":
            return ours.date() == self.value.date()
        if self.precision == "minute":
            return ours.replace(second=0) == self.value
        return ours == self.value

    def text(self) -> str:
        return f"{self.value:%d/%m/%Y}" if self.precision == "day" else f"{self.value:%d/%m/%Y %H:%M:%S}"


@dataclass(frozen=True)
class ProvinceLine:
    line: int
    code: str
    received_at: Moment
    status: str
    due_at: Moment | None = None


@dataclass(frozen=True)
class Difference:
    """One dossier on both sides that disagrees; `what` names the field in Vietnamese."""

    code: str
    line: int
    what: str
    ours: str
    theirs: str


@dataclass
class Reconciliation:
    period: Period
    missing_here: list[ProvinceLine] = field(default_factory=list)
    missing_there: list[dict] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    matched: int = 0

    @property
    def in_step(self) -> bool:
        return not (self.missing_here or self.missing_there or self.differences)


def read_time(text: str) -> Moment | None:
    """yyyyMMddHHmmss or dd/mm/yyyy [HH:MM[:SS]]; None for anything else or a day not on the calendar."""
    text = text.strip()
    try:
        if _PORTAL_TIME.match(text):
            return Moment(datetime.datetime.strptime(text, portal.TIME_FORMAT), "second")
        match = _VIETNAMESE_TIME.match(text)
        if not match:
            return None
        day, month, year, hour, minute, second = match.groups()
        value = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    return Moment(value, "day" if hour is None else "minute" if second is None else "second")


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", fold(text))


def read_file(data: bytes, filename: str) -> list[ProvinceLine]:
    """Every line of the province's file, or ReconcileError naming every bad line and column."""
    errors = ImportErrors()
    lines: list[ProvinceLine] = []
    try:
        rows = read_rows(data, filename or "", LIMITS)
        header = next(rows, None)
        if header is None:
            raise ReconcileError([(0, "", "Tệp trống.")])
        columns = _columns(header)
        seen: dict[str, int] = {}
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            line = _line(number, row, columns, errors)
            if line is None:
                continue
            if line.code in seen:
                errors.append((number, COLUMN_NAMES["code"], f"Mã hồ sơ {line.code} trùng với dòng {seen[line.code]}."))
                continue
            seen[line.code] = number
            lines.append(line)
    except CatalogueFileError as error:
        raise ReconcileError(error.errors) from error
    if errors:
        raise ReconcileError(errors)
    if not lines:
        raise ReconcileError([(0, "", "Tệp chỉ có dòng tiêu đề, không có hồ sơ nào.")])
    return lines


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        key = _header_key(name)
        for column, names in HEADERS.items():
            if key in names and column not in found:
                found[column] = index
    missing = [COLUMN_NAMES[column] for column in REQUIRED if column not in found]
    if missing:
        raise ReconcileError([(1, "", (
            f"Thiếu cột {', '.join(missing)}. Dòng đầu của tệp phải có tên cột: mã hồ sơ (MaHoSo), thời gian tiếp nhận "
            "(NgayTiepNhan), trạng thái (TrangThaiHoSo), và nếu có, ngày hẹn trả (NgayHenTra)."
        ))])
    return found


def _line(number: int, row: list[str], columns: dict[str, int], errors: ImportErrors) -> ProvinceLine | None:
    def cell(column: str) -> str:
        index = columns.get(column)
        return clean(row[index]) if index is not None and index < len(row) else ""

    problems = []
    code = cell("code")
    if not code:
        problems.append(("code", "Thiếu mã hồ sơ."))
    elif not _CODE.match(code):
        problems.append(("code", f"Mã hồ sơ «{code[:60]}» không hợp lệ: chỉ gồm chữ, số và các dấu . - _ /, tối đa 60 ký tự."))
    received = read_time(cell("received_at"))
    if received is None:
        problems.append(("received_at", _time_problem(cell("received_at"), "thời gian tiếp nhận")))
    status = portal.read_status(cell("status"))
    if status is None:
        problems.append(("status", (
            f"Trạng thái «{cell('status')[:60]}» không rõ: dùng mã của Cổng (1 đến 10) hoặc tên trạng thái, ví dụ «Đang xử lý»."
            if cell("status") else "Thiếu trạng thái."
        )))
    due = None
    if cell("due_at"):
        due = read_time(cell("due_at"))
        if due is None:
            problems.append(("due_at", _time_problem(cell("due_at"), "ngày hẹn trả")))
    for column, message in problems:
        errors.append((number, COLUMN_NAMES[column], message))
    if problems:
        return None
    return ProvinceLine(number, code, received, status, due)


def _time_problem(text: str, what: str) -> str:
    if not text:
        return f"Thiếu {what}."
    return f"Không đọc được {what} «{text[:40]}»: viết dạng 20261130090500 (yyyyMMddHHmmss) hoặc 30/11/2026 09:05."


def reconcile(period: Period, data: bytes, filename: str) -> Reconciliation:
    """Compare the province's file with our dossiers of `period`, matched by provincial code, else by ours."""
    lines = read_file(data, filename)
    codes = [line.code for line in lines]
    by_code: dict[str, Dossier] = {}
    for start in range(0, len(codes), 400):
        batch = codes[start:start + 400]
        for dossier in Dossier.select().where(Dossier.portal_code.in_(batch) | Dossier.code.in_(batch)):
            by_code.setdefault(dossier.code, dossier)
            if dossier.portal_code:
                # The province's code wins over ours when both could match.
                by_code[dossier.portal_code] = dossier
    result = Reconciliation(period)
    matched_ids = set()
    for line in lines:
        dossier = by_code.get(line.code)
        if dossier is None:
            result.missing_here.append(line)
            continue
        matched_ids.add(dossier.id)
        result.matched += 1
        result.differences.extend(_compare(line, dossier))
    for dossier in in_period(period):
        if dossier.id not in matched_ids:
            result.missing_there.append({
                "code": dossier.code, "portal_code": dossier.portal_code, "procedure": dossier.procedure_name,
                "received_at": dossier.received_at, "status": portal.status_code(dossier.status),
            })
    return result


def status_text(code: str) -> str:
    return f"{code} — {portal.PORTAL_STATUS_LABELS[code]}"


def _compare(line: ProvinceLine, dossier: Dossier) -> list[Difference]:
    found = []
    ours = portal.status_code(dossier.status)
    if ours != line.status:
        found.append(Difference(line.code, line.line, "Trạng thái", status_text(ours), status_text(line.status)))
    if not line.received_at.same_as(dossier.received_at):
        found.append(Difference(line.code, line.line, "Thời gian tiếp nhận", f"{dossier.received_at:%d/%m/%Y %H:%M:%S}", line.received_at.text()))
    if line.due_at is not None and not line.due_at.same_as(dossier.due_at):
        found.append(Difference(line.code, line.line, "Ngày hẹn trả", f"{dossier.due_at:%d/%m/%Y %H:%M:%S}", line.due_at.text()))
    return found
