"""The procedure catalogue's file format: the CSV and XLSX files of the seed, the CLI and the admin upload."""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .calendar import AGREED, EXTENSION_UNITS, ExtensionCase, TimeUnit
from .fees import FeeKind, FeeRule, validate_rule
from .spreadsheet import keep_as_text
from .text import fold, nfc

COLUMNS = (
    "ma_thu_tuc",
    "ten_thu_tuc",
    "linh_vuc",
    "thoi_han_ngay",
    "don_vi_thoi_han",
    "gio_cat",
    "gio_hen",
    "truong_hop_gia_han",
    "loai_phi",
    "muc_phi",
    "bac_phi",
    "tran_phi_ban",
    "lua_chon_phi",
    "phi_truc_tuyen_phan_tram",
    "phi_do_tinh_quy_dinh",
    "phi_da_xac_nhan",
    "mien_giam_phi",
    "can_cu_phap_ly",
    "giay_to",
    "hien_bang_tin",
    "thu_tu",
    "hoat_dong",
    "hieu_luc_tu",
    "hieu_luc_den",
    "ghi_chu",
)

# Files made before these columns existed still import: the unit follows from thoi_han_ngay, no cases.
OPTIONAL_COLUMNS = frozenset({"don_vi_thoi_han", "truong_hop_gia_han", "phi_da_xac_nhan", "mien_giam_phi"})

FORM_LABELS = {"ban_chinh": "bản chính", "ban_sao": "bản sao", "ban_chup": "bản chụp"}

_REQUIRED_LABELS = {True: "bắt buộc", False: "không bắt buộc"}
_FEE_KINDS = tuple(kind.value for kind in FeeKind)
# Form and requirement words are matched without diacritics: people type "ban chinh" as often as "bản chính".
_FORMS_BY_WORDS = {fold(label): form for form, label in FORM_LABELS.items()}
_REQUIRED_BY_WORDS = {fold(label): required for required, label in _REQUIRED_LABELS.items()}
_FEE_COLUMNS = {
    "amount": "muc_phi",
    "tiers": "bac_phi",
    "cap_per_copy": "tran_phi_ban",
    "options": "lua_chon_phi",
    "online_percent": "phi_truc_tuyen_phan_tram",
    "grounds": "mien_giam_phi",
}
_TEXT_COLUMNS = {
    "ma_thu_tuc", "ten_thu_tuc", "linh_vuc", "don_vi_thoi_han", "truong_hop_gia_han", "mien_giam_phi", "bac_phi", "lua_chon_phi",
    "can_cu_phap_ly", "giay_to", "ghi_chu",
}
_WRAPPED_COLUMNS = {"can_cu_phap_ly", "giay_to", "ghi_chu", "truong_hop_gia_han", "mien_giam_phi"}
_UNITS = tuple(unit.value for unit in TimeUnit)
_EXTENSION_UNITS = tuple(unit.value for unit in EXTENSION_UNITS)
_BLANK = b"\xef\xbb\xbf \t\r\n"
_XLSX_SIGNATURE = b"PK\x03\x04"
_XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"
_UTF16_SIGNATURES = (b"\xff\xfe", b"\xfe\xff")
_NOT_UTF8_MESSAGE = (
    "Tệp không phải văn bản UTF-8: có thể tệp được lưu bằng bảng mã khác (Windows-1258, TCVN3, VNI) "
    "hoặc không phải tệp CSV. Trong Excel, hãy chọn Lưu thành → «CSV UTF-8 (phân cách bằng dấu phẩy)»."
)


# A person reads a hundred errors; past that the file is the wrong one, and the page says how many more.
MAX_ERRORS_SHOWN = 100


@dataclass(frozen=True)
class FileLimits:
    """How much of an uploaded spreadsheet is read: rows (header included) and the XLSX's size unzipped."""

    max_rows: int
    max_unzipped_bytes: int


# A province's catalogue of commune procedures is a few hundred rows; 1 MB of rows unzips to a few MB.
CATALOGUE_LIMITS = FileLimits(max_rows=5_000, max_unzipped_bytes=50 * 1024 * 1024)


class ImportErrors(list):
    """(line, column, message) found in a file: the first MAX_ERRORS_SHOWN kept, the others only counted."""

    def __init__(self, errors=(), limit: int = MAX_ERRORS_SHOWN):
        super().__init__()
        self.limit = limit
        self.more = 0
        self.summarised = False
        self.extend(errors)

    def append(self, error) -> None:
        if len(self) < self.limit:
            super().append(error)
        else:
            self.more += 1

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)

    def __bool__(self) -> bool:
        return len(self) > 0 or self.more > 0

    @property
    def total(self) -> int:
        """How many errors the file has, counted or kept."""
        return len(self) - self.summarised + self.more

    def shown(self) -> "ImportErrors":
        """The kept errors, then one line "… và N lỗi khác." when some were only counted."""
        if self.summarised:
            return self
        shown = ImportErrors(self, limit=self.limit + 1)
        if self.more:
            shown.append((0, "", f"… và {self.more:,} lỗi khác.".replace(",", ".")))
            shown.more, shown.summarised = self.more, True
        return shown


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    form: str
    count: int
    required: bool


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field_name: str
    working_days: int
    cutoff: time | None
    due_time: time | None
    fee: FeeRule
    legal_basis: str
    documents: tuple[DocumentSpec, ...]
    on_board: bool
    order: int
    active: bool
    valid_from: date | None
    valid_to: date | None
    note: str
    # None: 0 means the same day and N means N working days, as in files made before the unit column.
    unit: TimeUnit | None = None
    extensions: tuple[ExtensionCase, ...] = ()

    def __post_init__(self) -> None:
        if self.unit is None:
            object.__setattr__(self, "unit", TimeUnit.WORKING_DAYS if self.working_days else TimeUnit.SAME_DAY)


class CatalogueFileError(Exception):
    """Everything wrong with a catalogue file as (line, column, message); line 1 is the header, 0 the file."""

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors.shown() if isinstance(errors, ImportErrors) else ImportErrors(errors).shown()
        super().__init__("\n".join(describe_error(*error) for error in self.errors))


def same_version(valid_from: date | None, other: date | None) -> bool:
    """Two rows of one code are the same version unless both say from which different dates they apply."""
    return valid_from is None or other is None or valid_from == other


def read_catalogue(data: bytes, filename: str) -> list[ProcedureSpec]:
    """Read a whole CSV or XLSX catalogue, or raise CatalogueFileError listing every problem in it."""
    return _parse_rows(read_rows(data, filename or "", CATALOGUE_LIMITS))


def read_record(record: dict[str, str]) -> ProcedureSpec:
    """One procedure given as {column: text} (the admin's edit form), or CatalogueFileError naming its columns."""
    errors: list[tuple[int, str, str]] = []
    spec = _RowParser({name: _clean(record.get(name) or "") for name in COLUMNS}, 0, errors).spec()
    if errors:
        raise CatalogueFileError(errors)
    return spec


def record_of(spec: ProcedureSpec) -> dict[str, str]:
    """A procedure as the text of one row, keyed by column: what the edit form shows."""
    return dict(zip(COLUMNS, _text_cells(spec)))


def write_csv(specs: list[ProcedureSpec]) -> bytes:
    """The catalogue as CSV in UTF-8 with a BOM, the one form Excel opens with the diacritics intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for spec in specs:
        writer.writerow(_text_cells(spec))
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(specs: list[ProcedureSpec]) -> bytes:
    """The catalogue as a one-sheet workbook with a header row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục thủ tục"
    for column, name in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=column, value=name).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = (
            45 if name in _WRAPPED_COLUMNS or name == "ten_thu_tuc" else 14
        )
    for row, spec in enumerate(specs, start=2):
        for column, (name, value) in enumerate(zip(COLUMNS, _typed_cells(spec)), start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if name in _TEXT_COLUMNS:
                # Text format keeps Excel from turning a code like 2.000810 into the number 2.00081.
                cell.number_format = "@"
                keep_as_text(cell)
            if isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, time):
                cell.number_format = "hh:mm"
            if name in _WRAPPED_COLUMNS:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def describe_error(line: int, column: str, message: str) -> str:
    if line == 0:
        return message
    if not column:
        return f"Dòng {line}: {message}"
    return f"Dòng {line}, cột {column}: {message}"


def _file_error(message: str) -> CatalogueFileError:
    return CatalogueFileError([(0, "", message)])


def read_rows(data: bytes, filename: str, limits: FileLimits) -> Iterator[list[str]]:
    """The file's rows one at a time, as text cells; CatalogueFileError when it is unreadable or too long.

    Rows are never all held at once: an import checks each as it comes.
    """
    extension = filename.lower().rpartition(".")[2] if "." in filename else ""
    # Only a file whose first bytes are blank is stripped whole (a copy of the file).
    if not data[:4096].strip(_BLANK) and not data.strip(_BLANK):
        raise _file_error("Tệp trống.")
    if data.startswith(_XLSX_SIGNATURE) or extension == "xlsx":
        return _capped(_xlsx_rows(data, limits.max_unzipped_bytes), limits.max_rows)
    if data.startswith(_XLS_SIGNATURE) or extension == "xls":
        raise _file_error(
            "Tệp Excel 97–2003 (.xls) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8."
        )
    if extension not in ("", "csv", "txt"):
        raise _file_error(f"Tệp «{filename}» không phải tệp CSV hay XLSX.")
    return _capped(_csv_rows(data), limits.max_rows)


def _capped(rows: Iterator[list[str]], max_rows: int) -> Iterator[list[str]]:
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            raise _file_error(
                f"Tệp có hơn {max_rows:,} dòng; mỗi lần chỉ nhập tối đa {max_rows:,} dòng (kể cả dòng tiêu đề). ".replace(",", ".")
                + "Hãy chia tệp thành nhiều phần. Chưa có gì được lưu."
            )
        yield row


def _xlsx_rows(data: bytes, max_unzipped_bytes: int) -> Iterator[list[str]]:
    # A few kilobytes of XLSX can unzip to gigabytes: the sizes the archive declares are checked first
    # (the zip reader never inflates a member past its declared size).
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise _file_error("Tệp không phải bảng tính XLSX hợp lệ.") from error
    if unzipped > max_unzipped_bytes:
        raise _file_error(
            f"Tệp XLSX khi giải nén lớn {unzipped // (1024 * 1024):,} MB, vượt giới hạn {max_unzipped_bytes // (1024 * 1024):,} MB. ".replace(",", ".")
            + "Hãy chia tệp thành nhiều phần hoặc lưu dưới dạng CSV."
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl lets zip, XML and key errors of a damaged file through as they are
        raise _file_error("Tệp không phải bảng tính XLSX hợp lệ.") from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as error:
                raise _file_error("Tệp không phải bảng tính XLSX hợp lệ.") from error
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    if data.startswith(_UTF16_SIGNATURES):
        raise _file_error(
            "Tệp được lưu bằng bảng mã UTF-16 («Unicode Text»); hãy lưu lại dưới dạng «CSV UTF-8»."
        )
    if b"\x00" in data:
        raise _file_error("Tệp không phải tệp CSV hay XLSX.")
    # Decoded as it is read, so the file's text is never held twice.
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        # Excel set to Vietnamese regional settings separates CSV cells with ";" instead of ",".
        header_line = text.readline()
        text.seek(0)
    except UnicodeDecodeError as error:
        raise _not_utf8(data) from error
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            raise _not_utf8(data) from error
        except csv.Error as error:
            raise CatalogueFileError(
                [(reader.line_num, "", "Dòng CSV sai định dạng, có thể thiếu dấu ngoặc kép đóng.")]
            ) from error
        yield row


def _not_utf8(data: bytes) -> CatalogueFileError:
    """The error naming the line of the first byte that is not UTF-8 (the decoder reads ahead of the rows)."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return CatalogueFileError([(data[: error.start].count(b"\n") + 1, "", _NOT_UTF8_MESSAGE)])
    return CatalogueFileError([(0, "", _NOT_UTF8_MESSAGE)])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == time(0) else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}" if value.second == 0 else f"{value:%H:%M:%S}"
    return str(value)


def _clean(text: str) -> str:
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    # Control characters are invisible leftovers of copy and paste, and XLSX cannot store them.
    text = "".join(char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _parse_rows(rows: Iterator[list[str]]) -> list[ProcedureSpec]:
    first = next(rows, None)
    if not first or not any(_clean(cell) for cell in first):
        raise _file_error("Tệp trống hoặc thiếu dòng tiêu đề.")
    header = [_clean(cell).lower() for cell in first]
    while header and not header[-1]:
        header.pop()
    header_errors = _header_errors(header)
    if header_errors:
        raise CatalogueFileError(header_errors)

    errors = ImportErrors()
    specs = []
    # A code may appear again as another version of its rules, from another valid-from date.
    versions_of_code: dict[str, list[tuple]] = {}
    for line, row in enumerate(rows, start=2):
        cells = [_clean(cell) for cell in row]
        if not any(cells):
            continue
        if any(cells[len(header):]):
            errors.append((line, "", "Dòng có nhiều ô hơn số cột của dòng tiêu đề."))
            continue
        record = dict.fromkeys(OPTIONAL_COLUMNS, "")
        record.update({name: cells[index] if index < len(cells) else "" for index, name in enumerate(header)})
        spec = _RowParser(record, line, errors).spec()
        if spec is None:
            continue
        clash = next((earlier for valid_from, earlier in versions_of_code.get(spec.code, []) if same_version(valid_from, spec.valid_from)), None)
        if clash is not None:
            errors.append((line, "ma_thu_tuc", f"Mã thủ tục «{spec.code}» trùng với dòng {clash}."))
            continue
        versions_of_code.setdefault(spec.code, []).append((spec.valid_from, line))
        specs.append(spec)
    if errors:
        # Rows are checked cell by cell out of column order; people read the list left to right.
        errors.sort(key=lambda error: (error[0], COLUMNS.index(error[1]) if error[1] in COLUMNS else -1))
        raise CatalogueFileError(errors)
    return specs


def _header_errors(header: list[str]) -> list[tuple[int, str, str]]:
    errors = []
    for index, name in enumerate(header, start=1):
        if not name:
            errors.append((1, "", f"Cột thứ {index} không có tên."))
        elif name not in COLUMNS:
            errors.append((1, name, f"Cột «{name}» không thuộc mẫu danh mục thủ tục."))
        elif header.index(name) != index - 1:
            errors.append((1, name, f"Cột «{name}» xuất hiện hơn một lần."))
    for name in COLUMNS:
        if name not in header and name not in OPTIONAL_COLUMNS:
            errors.append((1, name, f"Thiếu cột «{name}»."))
    return errors


class _RowParser:
    """Turns one row into a ProcedureSpec, noting each bad cell instead of stopping at the first."""

    def __init__(self, record: dict[str, str], line: int, errors: list[tuple[int, str, str]]):
        self.record = record
        self.line = line
        self.errors = errors
        self.error_count = len(errors)

    def spec(self) -> ProcedureSpec | None:
        working_days = self.integer("thoi_han_ngay", minimum=0)
        unit = self.unit(working_days)
        cutoff = self.clock("gio_cat")
        if cutoff is not None and unit is not None and unit is not TimeUnit.SAME_DAY:
            self.error("gio_cat", "Giờ cắt chỉ dùng cho thủ tục giải quyết trong ngày (thoi_han_ngay = 0).")
        valid_from = self.day("hieu_luc_tu")
        valid_to = self.day("hieu_luc_den")
        if valid_from and valid_to and valid_to < valid_from:
            self.error(
                "hieu_luc_den",
                f"Ngày hết hiệu lực {valid_to:%d/%m/%Y} trước ngày bắt đầu hiệu lực {valid_from:%d/%m/%Y}.",
            )
        values = dict(
            code=self.text("ma_thu_tuc", required=True),
            name=self.text("ten_thu_tuc", required=True),
            field_name=self.text("linh_vuc", required=True),
            working_days=working_days,
            cutoff=cutoff,
            due_time=self.clock("gio_hen"),
            fee=self.fee(),
            legal_basis=self.text("can_cu_phap_ly"),
            documents=self.documents(),
            on_board=self.flag("hien_bang_tin", default=False),
            order=self.integer("thu_tu", default=0),
            active=self.flag("hoat_dong", default=True),
            valid_from=valid_from,
            valid_to=valid_to,
            note=self.text("ghi_chu"),
            unit=unit,
            extensions=self.extensions(),
        )
        if len(self.errors) > self.error_count:
            return None
        return ProcedureSpec(**values)

    def error(self, column: str, message: str) -> None:
        self.errors.append((self.line, column, message))

    def text(self, column: str, required: bool = False) -> str:
        value = self.record[column]
        if required and not value:
            self.error(column, "Không được để trống.")
        return value

    def integer(self, column: str, default: int | None = None, minimum: int | None = None) -> int | None:
        value = self.record[column]
        if not value:
            if default is None:
                self.error(column, "Không được để trống.")
            return default
        number = _parse_int(value)
        if number is None:
            self.error(column, f"«{value}» không phải số nguyên.")
        elif minimum is not None and number < minimum:
            self.error(column, f"Phải lớn hơn hoặc bằng {minimum}.")
            return None
        return number

    def unit(self, amount: int | None) -> TimeUnit | None:
        """The unit of thoi_han_ngay; left empty, 0 means the same day and N working days."""
        value = self.record["don_vi_thoi_han"].lower()
        if not value:
            return TimeUnit.WORKING_DAYS if amount else TimeUnit.SAME_DAY
        if value not in _UNITS:
            self.error("don_vi_thoi_han", f"Đơn vị «{value}» không hợp lệ; dùng {', '.join(_UNITS)}.")
            return None
        unit = TimeUnit(value)
        if amount is not None:
            if unit is TimeUnit.SAME_DAY and amount != 0:
                self.error("thoi_han_ngay", "Thủ tục giải quyết trong ngày (trong_ngay) có thoi_han_ngay = 0.")
            elif unit is not TimeUnit.SAME_DAY and amount == 0:
                self.error("thoi_han_ngay", f"Thời hạn tính bằng {unit.label} phải từ 1 trở lên.")
        return unit

    def extensions(self) -> tuple[ExtensionCase, ...]:
        cases = []
        lines = [line for line in self.record["truong_hop_gia_han"].split("\n") if line]
        for position, line in enumerate(lines, start=1):
            case = self.extension(line, position)
            if case is None:
                continue
            if any(other.name == case.name for other in cases):
                self.error("truong_hop_gia_han", f"Trường hợp thứ {position}: tên «{case.name}» đã có ở trên.")
                continue
            cases.append(case)
        return tuple(cases)

    def extension(self, line: str, position: int) -> ExtensionCase | None:
        prefix = f"Trường hợp thứ {position}"
        parts = [part.strip() for part in line.split("|")]
        shape = f"tên trường hợp | số ngày hoặc {AGREED} | {' hoặc '.join(_EXTENSION_UNITS)}"
        if len(parts) != 3 or not parts[0]:
            self.error("truong_hop_gia_han", f"{prefix}: cần 3 phần «{shape}».")
            return None
        name, amount_text, unit_text = parts
        problems = []
        amount = None
        if not amount_text:
            problems.append("thiếu thời gian kéo dài")
        elif amount_text.lower() != AGREED:
            amount = _parse_int(amount_text)
            if amount is None or amount < 1:
                problems.append(f"thời gian kéo dài «{amount_text}» phải là số nguyên lớn hơn 0 hoặc {AGREED}")
        if unit_text.lower() not in _EXTENSION_UNITS:
            shown = f"«{unit_text}»" if unit_text else "trống"
            problems.append(f"đơn vị {shown} không hợp lệ; dùng {' hoặc '.join(_EXTENSION_UNITS)}")
        if problems:
            self.error("truong_hop_gia_han", f"{prefix}: {'; '.join(problems)}.")
            return None
        return ExtensionCase(name, amount, TimeUnit(unit_text.lower()))

    def flag(self, column: str, default: bool) -> bool:
        value = self.record[column]
        if not value:
            return default
        if value not in ("0", "1"):
            self.error(column, f"Chỉ nhận 0 hoặc 1, không nhận «{value}».")
        return value == "1"

    def clock(self, column: str) -> time | None:
        value = self.record[column]
        if not value:
            return None
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
        if match is None:
            self.error(column, f"Giờ «{value}» không đúng dạng HH:MM (ví dụ 15:00).")
            return None
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            self.error(column, f"Giờ «{value}» không có thật.")
            return None
        return time(hour, minute)

    def day(self, column: str) -> date | None:
        value = self.record[column]
        if not value:
            return None
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        if match is None:
            self.error(column, f"Ngày «{value}» không đúng dạng dd/mm/yyyy (ví dụ 01/07/2025).")
            return None
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            self.error(column, f"Ngày «{value}» không có thật.")
            return None

    def fee(self) -> FeeRule | None:
        kind_text = self.record["loai_phi"].lower()
        kind = FeeKind(kind_text) if kind_text in _FEE_KINDS else None
        if kind is None:
            shown = f"«{kind_text}»" if kind_text else "trống"
            self.error("loai_phi", f"Loại phí {shown} không hợp lệ; dùng {', '.join(_FEE_KINDS)}.")
        before = len(self.errors)
        amount = self.integer("muc_phi", default=0)
        tiers = self.pairs("bac_phi", ":", "trang:giá", "1:2000; 3:1000", number_key=True)
        cap = self.integer("tran_phi_ban", default=None) if self.record["tran_phi_ban"] else None
        options = self.pairs(
            "lua_chon_phi", "=", "tên=số tiền", "Hợp đồng, giao dịch=50000", number_key=False
        )
        online_percent = self.integer("phi_truc_tuyen_phan_tram", default=100)
        set_by_province = self.flag("phi_do_tinh_quy_dinh", default=False)
        confirmed = self.flag("phi_da_xac_nhan", default=False)
        grounds = self.grounds()
        if len(self.errors) > before or kind is None:
            return None
        rule = FeeRule(
            kind=kind,
            amount=amount,
            tiers=tiers,
            cap_per_copy=cap,
            options=options,
            online_percent=online_percent,
            set_by_province=set_by_province,
            grounds=grounds,
            confirmed=confirmed,
        )
        for field, message in validate_rule(rule):
            self.error(_FEE_COLUMNS[field], message)
        return rule

    def grounds(self) -> tuple[tuple[str, int], ...]:
        """Lines «căn cứ | phần trăm giảm»; 100 waives the fee."""
        grounds = []
        lines = [line for line in self.record["mien_giam_phi"].split("\n") if line]
        for position, line in enumerate(lines, start=1):
            name, found, percent_text = (part.strip() for part in line.rpartition("|"))
            percent = _parse_int(percent_text)
            if not found or not name or "|" in name:
                self.error("mien_giam_phi", f"Căn cứ thứ {position}: cần 2 phần «căn cứ | phần trăm giảm», ví dụ «Người thuộc hộ nghèo | 100».")
            elif percent is None:
                self.error("mien_giam_phi", f"Căn cứ thứ {position}: phần trăm giảm «{percent_text}» phải là số nguyên từ 1 đến 100.")
            else:
                grounds.append((name, percent))
        return tuple(grounds)

    def pairs(self, column: str, separator: str, shape: str, example: str, number_key: bool) -> tuple:
        value = self.record[column]
        pairs = []
        for item in filter(None, (part.strip() for part in value.split(";"))):
            key, found, number = (part.strip() for part in item.rpartition(separator))
            parsed_key = _parse_int(key) if number_key else key
            amount = _parse_int(number)
            if not found or not key or parsed_key is None or amount is None:
                self.error(column, f"«{item}» không đúng dạng «{shape}», ví dụ «{example}».")
                continue
            pairs.append((parsed_key, amount))
        return tuple(pairs)

    def documents(self) -> tuple[DocumentSpec, ...]:
        documents = []
        lines = [line for line in self.record["giay_to"].split("\n") if line]
        for position, line in enumerate(lines, start=1):
            document = self.document(line, position)
            if document is not None:
                documents.append(document)
        return tuple(documents)

    def document(self, line: str, position: int) -> DocumentSpec | None:
        prefix = f"Giấy tờ thứ {position}"
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 4 or not parts[0]:
            shape = "tên | hình thức | số lượng | bắt buộc/không bắt buộc"
            self.error("giay_to", f"{prefix}: cần 4 phần «{shape}».")
            return None
        name, form_text, count_text, required_text = parts
        count = _parse_int(count_text)
        problems = []
        if fold(form_text) not in _FORMS_BY_WORDS:
            problems.append(f"hình thức «{form_text}» không hợp lệ; dùng bản chính, bản sao hoặc bản chụp")
        if count is None or count < 1:
            problems.append(f"số lượng «{count_text}» phải là số nguyên lớn hơn 0")
        if fold(required_text) not in _REQUIRED_BY_WORDS:
            problems.append(f"«{required_text}» phải là «bắt buộc» hoặc «không bắt buộc»")
        if problems:
            self.error("giay_to", f"{prefix}: {'; '.join(problems)}.")
            return None
        form = _FORMS_BY_WORDS[fold(form_text)]
        return DocumentSpec(name, form, count, _REQUIRED_BY_WORDS[fold(required_text)])


def _parse_int(text: str) -> int | None:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    # People write money with a dot between thousands: 50.000.
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return int(text.replace(".", ""))
    return None


def _text_cells(spec: ProcedureSpec) -> list[str]:
    return [_cell_text(value) for value in _typed_cells(spec)]


def _typed_cells(spec: ProcedureSpec) -> list:
    fee = spec.fee
    return [
        spec.code,
        spec.name,
        spec.field_name,
        spec.working_days,
        spec.unit.value,
        spec.cutoff,
        spec.due_time,
        "\n".join(_extension_line(case) for case in spec.extensions),
        fee.kind.value,
        fee.amount,
        "; ".join(f"{start}:{price}" for start, price in fee.tiers),
        fee.cap_per_copy,
        "; ".join(f"{_checked(name, ';=', 'lua_chon_phi')}={amount}" for name, amount in fee.options),
        fee.online_percent,
        int(fee.set_by_province),
        int(fee.confirmed),
        "\n".join(_ground_line(name, percent) for name, percent in fee.grounds),
        spec.legal_basis,
        "\n".join(_document_line(document) for document in spec.documents),
        int(spec.on_board),
        spec.order,
        int(spec.active),
        spec.valid_from,
        spec.valid_to,
        spec.note,
    ]


_PART_SEPARATORS = "|\n"


def _ground_line(name: str, percent: int) -> str:
    return f"{_checked(name, _PART_SEPARATORS, 'mien_giam_phi')} | {percent}"


def _extension_line(case: ExtensionCase) -> str:
    name = _checked(case.name, "|\n", "truong_hop_gia_han")
    return f"{name} | {AGREED if case.amount is None else case.amount} | {case.unit.value}"


def _document_line(document: DocumentSpec) -> str:
    name = _checked(document.name, "|\n", "giay_to")
    return f"{name} | {FORM_LABELS[document.form]} | {document.count} | {_REQUIRED_LABELS[document.required]}"


def _checked(text: str, forbidden: str, column: str) -> str:
    # These characters separate the parts of a cell; inside a name the file would read back differently.
    if any(char in text for char in forbidden):
        shown = " ".join(forbidden.strip())
        raise ValueError(f"«{text}» chứa ký tự không được dùng trong cột {column}: {shown}")
    return text
