"""The catalogue file format: exact round trips, tolerant reading, errors by line and column, the seed."""

import csv
import io
import unicodedata
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.rules.calendar import ExtensionCase, TimeUnit
from app.rules.catalogue_file import (
    CATALOGUE_LIMITS,
    COLUMNS,
    MAX_ERRORS_SHOWN,
    CatalogueFileError,
    DocumentSpec,
    FileLimits,
    ImportErrors,
    ProcedureSpec,
    read_catalogue,
    read_rows,
    write_csv,
    write_xlsx,
)
from app.rules.fees import FeeKind, FeeRule, compute_fee

SEED = Path(__file__).resolve().parents[2] / "app" / "data" / "procedures.csv"

SPECS = [
    ProcedureSpec(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        field_name="Chứng thực",
        working_days=0,
        cutoff=time(15, 0),
        due_time=None,
        fee=FeeRule(FeeKind.PER_PAGE, tiers=((1, 2000), (3, 1000)), cap_per_copy=200000, online_percent=50),
        legal_basis="Nghị định 23/2015/NĐ-CP\nThông tư 226/2016/TT-BTC",
        documents=(
            DocumentSpec("Bản chính giấy tờ, văn bản", "ban_chinh", 1, True),
            DocumentSpec("Bản sao cần chứng thực", "ban_chup", 2, False),
        ),
        on_board=True,
        order=10,
        active=True,
        valid_from=date(2025, 7, 1),
        valid_to=None,
        note="",
    ),
    ProcedureSpec(
        code="2.001035",
        name="Chứng thực hợp đồng, giao dịch",
        field_name="Chứng thực",
        working_days=2,
        cutoff=None,
        due_time=time(16, 30),
        fee=FeeRule(
            FeeKind.CHOICE,
            options=(("Hợp đồng, giao dịch", 50000), ("Sửa đổi, bổ sung", 30000), ("Sửa lỗi sai sót", 25000)),
        ),
        legal_basis="Nghị định 23/2015/NĐ-CP",
        documents=(DocumentSpec("Dự thảo hợp đồng, giao dịch", "ban_chinh", 1, True),),
        on_board=False,
        order=20,
        active=False,
        valid_from=None,
        valid_to=date(2026, 12, 31),
        note="=Ghi chú bắt đầu bằng dấu bằng",
    ),
    ProcedureSpec(
        code="1.001612",
        name="Đăng ký thành lập hộ kinh doanh",
        field_name="Kinh tế",
        working_days=3,
        cutoff=None,
        due_time=None,
        fee=FeeRule(FeeKind.FIXED, amount=100000, set_by_province=True),
        legal_basis="",
        documents=(),
        on_board=False,
        order=0,
        active=True,
        valid_from=date(2025, 7, 1),
        valid_to=date(2027, 2, 28),
        note="Mức phí theo Nghị quyết của HĐND tỉnh; kiểm tra và cập nhật.",
    ),
    ProcedureSpec(
        code="1.001193",
        name="Đăng ký khai sinh",
        field_name="Hộ tịch",
        working_days=0,
        cutoff=time(15, 0),
        due_time=None,
        fee=FeeRule(FeeKind.FREE),
        legal_basis="Luật Hộ tịch 2014",
        documents=(DocumentSpec("Giấy chứng sinh", "ban_chinh", 1, True),),
        on_board=True,
        order=5,
        active=True,
        valid_from=None,
        valid_to=None,
        note="",
    ),
    ProcedureSpec(
        code="2.001263",
        name="Đăng ký việc nuôi con nuôi trong nước",
        field_name="Nuôi con nuôi",
        working_days=30,
        cutoff=None,
        due_time=None,
        fee=FeeRule(FeeKind.FIXED, amount=400000),
        legal_basis="Luật Nuôi con nuôi 2010, Điều 19",
        documents=(),
        on_board=False,
        order=40,
        active=True,
        valid_from=None,
        valid_to=None,
        note="",
        unit=TimeUnit.DAYS,
        extensions=(
            ExtensionCase("Cần xác minh", 15, TimeUnit.DAYS),
            ExtensionCase("Thỏa thuận bằng văn bản", None, TimeUnit.WORKING_DAYS),
            ExtensionCase("Nhiều bản sao", 2, TimeUnit.WORKING_DAYS),
        ),
    ),
]

VALID_ROW = {
    "ma_thu_tuc": "2.000884",
    "ten_thu_tuc": "Chứng thực chữ ký",
    "linh_vuc": "Chứng thực",
    "thoi_han_ngay": "0",
    "don_vi_thoi_han": "",
    "gio_cat": "15:00",
    "gio_hen": "",
    "truong_hop_gia_han": "Nhiều bản sao | 2 | ngay_lam_viec",
    "loai_phi": "co_dinh",
    "muc_phi": "10000",
    "bac_phi": "",
    "tran_phi_ban": "",
    "lua_chon_phi": "",
    "phi_truc_tuyen_phan_tram": "100",
    "phi_do_tinh_quy_dinh": "0",
    "phi_da_xac_nhan": "0",
    "mien_giam_phi": "",
    "can_cu_phap_ly": "Nghị định 23/2015/NĐ-CP",
    "giay_to": "Giấy tờ tùy thân | bản chính | 1 | bắt buộc",
    "hien_bang_tin": "1",
    "thu_tu": "30",
    "hoat_dong": "1",
    "hieu_luc_tu": "01/07/2025",
    "hieu_luc_den": "",
    "ghi_chu": "",
}
PER_PAGE_ROW = {
    "loai_phi": "theo_trang",
    "muc_phi": "0",
    "bac_phi": "1:2000; 3:1000",
    "tran_phi_ban": "200000",
}
CHOICE_ROW = {
    "loai_phi": "lua_chon",
    "muc_phi": "0",
    "lua_chon_phi": "Hợp đồng, giao dịch=50000; Sửa đổi, bổ sung=30000",
}


def csv_bytes(*rows: dict, header=COLUMNS, delimiter=",", bom=True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def row(code="2.000884", **overrides) -> dict:
    return {**VALID_ROW, "ma_thu_tuc": code, **overrides}


def to_windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 stores Vietnamese: vowel shapes precomposed, tone marks as combining marks."""
    encoded = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            encoded += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in marks if mark in "\u0300\u0301\u0303\u0309\u0323")
        shape = "".join(mark for mark in marks if mark not in tones)
        encoded += unicodedata.normalize("NFC", base + shape).encode("cp1258") + tones.encode("cp1258")
    return encoded


def errors_of(data: bytes, filename: str = "danh-muc.csv") -> CatalogueFileError:
    with pytest.raises(CatalogueFileError) as caught:
        read_catalogue(data, filename)
    return caught.value


# Round trips and tolerant reading


def test_csv_round_trip_is_exact():
    assert read_catalogue(write_csv(SPECS), "danh-muc.csv") == SPECS


def test_xlsx_round_trip_is_exact():
    assert read_catalogue(write_xlsx(SPECS), "danh-muc.xlsx") == SPECS


def test_empty_catalogue_round_trips():
    assert read_catalogue(write_csv([]), "danh-muc.csv") == []
    assert read_catalogue(write_xlsx([]), "danh-muc.xlsx") == []


def test_written_csv_starts_with_bom_and_header_in_order():
    data = write_csv(SPECS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8").split("\r\n", 1)[0] == ",".join(COLUMNS)


def test_xlsx_is_detected_by_signature_whatever_the_name():
    assert read_catalogue(write_xlsx(SPECS), "tai-len") == SPECS


@pytest.mark.parametrize("bom", [True, False])
def test_reads_csv_with_or_without_bom(bom):
    specs = read_catalogue(csv_bytes(row(), bom=bom), "danh-muc.csv")
    assert specs[0].code == "2.000884"
    assert specs[0].fee == FeeRule(FeeKind.FIXED, amount=10000)


def test_reads_semicolon_separated_csv_from_excel_in_vietnamese_settings():
    data = csv_bytes(row(**PER_PAGE_ROW), delimiter=";")
    assert compute_fee(read_catalogue(data, "danh-muc.csv")[0].fee, pages=7) == 9000


def test_decomposed_text_becomes_precomposed():
    decomposed = unicodedata.normalize("NFD", write_csv(SPECS).decode("utf-8-sig")).encode("utf-8")
    assert decomposed != write_csv(SPECS)
    assert read_catalogue(decomposed, "danh-muc.csv") == SPECS


def test_cells_are_stripped_and_line_endings_unified():
    data = csv_bytes(
        row(
            ten_thu_tuc="  Chứng thực chữ ký \u00a0",
            can_cu_phap_ly=" Nghị định 23/2015/NĐ-CP \r\n Thông tư 226/2016/TT-BTC ",
        )
    )
    spec = read_catalogue(data, "danh-muc.csv")[0]
    assert spec.name == "Chứng thực chữ ký"
    assert spec.legal_basis == "Nghị định 23/2015/NĐ-CP\nThông tư 226/2016/TT-BTC"


def test_documents_accept_words_without_diacritics_and_written_back_with_them():
    documents = [
        "To khai | ban chinh | 1 | bat buoc",
        "",
        "Anh the | BẢN CHỤP | 2 | khong bat buoc",
        "Giấy tờ | bản sao | 1 | Không bắt buộc",
    ]
    data = csv_bytes(row(giay_to="\n".join(documents)))
    spec = read_catalogue(data, "danh-muc.csv")[0]
    assert spec.documents == (
        DocumentSpec("To khai", "ban_chinh", 1, True),
        DocumentSpec("Anh the", "ban_chup", 2, False),
        DocumentSpec("Giấy tờ", "ban_sao", 1, False),
    )
    assert "Anh the | bản chụp | 2 | không bắt buộc" in write_csv([spec]).decode("utf-8-sig")


def test_money_may_be_written_with_dots_between_thousands():
    contract = row("2.001035", **{**CHOICE_ROW, "lua_chon_phi": "Hợp đồng=50.000"})
    data = csv_bytes(row(muc_phi="10.000"), contract)
    signature, contract = read_catalogue(data, "danh-muc.csv")
    assert signature.fee.amount == 10000
    assert contract.fee.options == (("Hợp đồng", 50000),)


def test_empty_optional_cells_take_their_defaults():
    empty = ("phi_truc_tuyen_phan_tram", "phi_do_tinh_quy_dinh", "hien_bang_tin", "thu_tu", "hoat_dong")
    data = csv_bytes(row(**dict.fromkeys(empty, "")))
    spec = read_catalogue(data, "danh-muc.csv")[0]
    assert (spec.fee.online_percent, spec.fee.set_by_province) == (100, False)
    assert (spec.on_board, spec.order, spec.active) == (False, 0, True)


def test_blank_rows_are_skipped():
    data = csv_bytes(row("2.000884"), {}, row("2.000815", **PER_PAGE_ROW))
    assert [spec.code for spec in read_catalogue(data, "danh-muc.csv")] == ["2.000884", "2.000815"]


def test_reads_a_workbook_as_excel_types_its_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    values = {
        **VALID_ROW,
        "thoi_han_ngay": 0.0,
        "gio_cat": time(15, 0),
        "muc_phi": 10000.0,
        "thu_tu": 30,
        "hien_bang_tin": True,
        "hoat_dong": 1,
        "hieu_luc_tu": datetime(2025, 7, 1),
        "hieu_luc_den": None,
    }
    sheet.append([values[name] for name in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    spec = read_catalogue(buffer.getvalue(), "danh-muc.xlsx")[0]
    assert (spec.working_days, spec.cutoff, spec.fee.amount) == (0, time(15, 0), 10000)
    assert (spec.on_board, spec.active) == (True, True)
    assert (spec.valid_from, spec.valid_to) == (date(2025, 7, 1), None)


def test_writer_refuses_text_that_would_read_back_differently():
    spec = SPECS[1]
    bad = ProcedureSpec(**{**spec.__dict__, "fee": FeeRule(FeeKind.CHOICE, options=(("Phí = 50%", 1),))})
    with pytest.raises(ValueError):
        write_csv([bad])


# Errors: every one named by line and column, all collected, nothing half read


@pytest.mark.parametrize(
    "overrides, column, fragment",
    [
        ({"ma_thu_tuc": ""}, "ma_thu_tuc", "Không được để trống."),
        ({"ten_thu_tuc": "  "}, "ten_thu_tuc", "Không được để trống."),
        ({"linh_vuc": ""}, "linh_vuc", "Không được để trống."),
        ({"thoi_han_ngay": ""}, "thoi_han_ngay", "Không được để trống."),
        ({"thoi_han_ngay": "ba"}, "thoi_han_ngay", "«ba» không phải số nguyên."),
        ({"thoi_han_ngay": "2.5"}, "thoi_han_ngay", "không phải số nguyên"),
        ({"thoi_han_ngay": "-1"}, "thoi_han_ngay", "Phải lớn hơn hoặc bằng 0."),
        ({"gio_cat": "25:00"}, "gio_cat", "Giờ «25:00» không có thật."),
        ({"gio_cat": "3 giờ chiều"}, "gio_cat", "không đúng dạng HH:MM"),
        ({"thoi_han_ngay": "3"}, "gio_cat", "chỉ dùng cho thủ tục giải quyết trong ngày"),
        ({"gio_hen": "16h30"}, "gio_hen", "không đúng dạng HH:MM"),
        ({"loai_phi": "phi_le"}, "loai_phi", "Loại phí «phi_le» không hợp lệ"),
        ({"loai_phi": ""}, "loai_phi", "Loại phí trống không hợp lệ"),
        ({"muc_phi": "mười nghìn"}, "muc_phi", "không phải số nguyên"),
        ({"muc_phi": "-5"}, "muc_phi", "Mức phí không được âm."),
        ({"muc_phi": "0"}, "muc_phi", "Miễn phí"),
        ({**PER_PAGE_ROW, "bac_phi": "2:2000"}, "bac_phi", "bắt đầu từ trang 1"),
        ({**PER_PAGE_ROW, "bac_phi": "1:2000; 1:1000"}, "bac_phi", "tăng dần"),
        ({**PER_PAGE_ROW, "bac_phi": "1-2000"}, "bac_phi", "«1-2000» không đúng dạng «trang:giá»"),
        ({**PER_PAGE_ROW, "tran_phi_ban": "1000"}, "tran_phi_ban", "trang đầu tiên"),
        ({**PER_PAGE_ROW, "tran_phi_ban": "hai trăm"}, "tran_phi_ban", "không phải số nguyên"),
        ({**CHOICE_ROW, "lua_chon_phi": ""}, "lua_chon_phi", "ít nhất một lựa chọn"),
        ({**CHOICE_ROW, "lua_chon_phi": "Hợp đồng=50000; Hợp đồng=30000"}, "lua_chon_phi", "trùng"),
        ({**CHOICE_ROW, "lua_chon_phi": "Hợp đồng: 50000"}, "lua_chon_phi", "không đúng dạng «tên=số tiền»"),
        ({"phi_truc_tuyen_phan_tram": "150"}, "phi_truc_tuyen_phan_tram", "từ 0 đến 100"),
        ({"phi_do_tinh_quy_dinh": "có"}, "phi_do_tinh_quy_dinh", "Chỉ nhận 0 hoặc 1, không nhận «có»."),
        ({"hien_bang_tin": "x"}, "hien_bang_tin", "Chỉ nhận 0 hoặc 1"),
        ({"hoat_dong": "2"}, "hoat_dong", "Chỉ nhận 0 hoặc 1"),
        ({"thu_tu": "đầu"}, "thu_tu", "không phải số nguyên"),
        ({"hieu_luc_tu": "30/02/2026"}, "hieu_luc_tu", "Ngày «30/02/2026» không có thật."),
        ({"hieu_luc_tu": "2026-01-01"}, "hieu_luc_tu", "không đúng dạng dd/mm/yyyy"),
        ({"hieu_luc_den": "31/06/2026"}, "hieu_luc_den", "không có thật"),
        (
            {"hieu_luc_tu": "01/07/2025", "hieu_luc_den": "30/06/2025"},
            "hieu_luc_den",
            "Ngày hết hiệu lực 30/06/2025 trước ngày bắt đầu hiệu lực 01/07/2025.",
        ),
        ({"giay_to": "Tờ khai | bản chính | 1"}, "giay_to", "Giấy tờ thứ 1: cần 4 phần"),
        (
            {"giay_to": "Tờ khai | bản chính | 1 | bắt buộc\nẢnh | bản gốc | 1 | bắt buộc"},
            "giay_to",
            "Giấy tờ thứ 2: hình thức «bản gốc» không hợp lệ",
        ),
        ({"giay_to": "Tờ khai | bản chính | 0 | bắt buộc"}, "giay_to", "số lượng «0» phải là số nguyên"),
        ({"giay_to": "Tờ khai | bản chính | 1 | có"}, "giay_to", "«có» phải là «bắt buộc» hoặc"),
    ],
)
def test_each_bad_cell_is_named_by_line_and_column(overrides, column, fragment):
    error = errors_of(csv_bytes(row("1.001193"), row(**overrides)))
    found = [(line, name) for line, name, message in error.errors if fragment in message]
    assert (3, column) in found, error.errors
    assert f"Dòng 3, cột {column}: " in str(error)


def test_all_errors_are_collected_and_nothing_is_returned():
    data = csv_bytes(
        row("1.001193", muc_phi="abc"), row("2.000884"), row("2.000815", gio_cat="99:99", hoat_dong="có")
    )
    error = errors_of(data)
    assert [(line, column) for line, column, _ in error.errors] == [
        (2, "muc_phi"),
        (4, "gio_cat"),
        (4, "hoat_dong"),
    ]
    assert str(error).splitlines()[0].startswith("Dòng 2, cột muc_phi: ")


def test_duplicate_code_names_the_first_line():
    error = errors_of(csv_bytes(row("2.000884"), row("1.001193"), row("2.000884")))
    assert error.errors == [(4, "ma_thu_tuc", "Mã thủ tục «2.000884» trùng với dòng 2.")]


def test_line_numbers_are_rows_as_a_spreadsheet_shows_them():
    documents = "A | bản chính | 1 | bắt buộc\nB | bản sao | 1 | bắt buộc\nC | bản chụp | 1 | bắt buộc"
    multi_line = row("1.001193", giay_to=documents)
    error = errors_of(csv_bytes(multi_line, {}, row("2.000884", thu_tu="x")))
    assert [(line, column) for line, column, _ in error.errors] == [(4, "thu_tu")]


def test_errors_in_xlsx_name_the_sheet_row():
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append([VALID_ROW[name] for name in COLUMNS])
    bad = {**VALID_ROW, "ma_thu_tuc": "1.001193", "thoi_han_ngay": "hai"}
    workbook.active.append([bad[name] for name in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = errors_of(buffer.getvalue(), "danh-muc.xlsx")
    assert [(line, column) for line, column, _ in error.errors] == [(3, "thoi_han_ngay")]


def test_row_longer_than_the_header_is_refused():
    data = csv_bytes(row()).rstrip(b"\r\n") + ",thừa\r\n".encode()
    assert errors_of(data).errors == [(2, "", "Dòng có nhiều ô hơn số cột của dòng tiêu đề.")]


@pytest.mark.parametrize(
    "header, expected",
    [
        ([name for name in COLUMNS if name != "muc_phi"], [(1, "muc_phi", "Thiếu cột «muc_phi».")]),
        ([*COLUMNS, "phi"], [(1, "phi", "Cột «phi» không thuộc mẫu danh mục thủ tục.")]),
        ([*COLUMNS, "ghi_chu"], [(1, "ghi_chu", "Cột «ghi_chu» xuất hiện hơn một lần.")]),
        (["ma_thu_tuc", "", *COLUMNS[1:]], [(1, "", "Cột thứ 2 không có tên.")]),
    ],
)
def test_wrong_or_missing_headers_are_refused(header, expected):
    assert errors_of(csv_bytes(row(), header=header)).errors == expected


def test_header_is_read_whatever_its_case():
    header, rest = csv_bytes(row()).decode("utf-8-sig").split("\r\n", 1)
    data = f"{header.upper()}\r\n{rest}".encode()
    assert read_catalogue(data, "danh-muc.csv")[0].code == "2.000884"


def test_header_only_file_is_an_empty_catalogue():
    assert read_catalogue(csv_bytes(), "danh-muc.csv") == []


# Files that are not a catalogue at all


def test_windows_1258_file_is_refused_with_a_clear_message():
    data = to_windows_1258(csv_bytes(row()).decode("utf-8-sig"))
    assert data.decode("cp1258") != data.decode("utf-8", errors="replace")
    error = errors_of(data)
    assert len(error.errors) == 1
    line, column, message = error.errors[0]
    assert (line, column) == (2, "")
    assert "Tệp không phải văn bản UTF-8" in message
    assert "Windows-1258" in message
    assert "CSV UTF-8" in message


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "danh-muc.csv", "Tệp trống."),
        (b"\xef\xbb\xbf\r\n", "danh-muc.csv", "Tệp trống."),
        (bytes(range(256)) * 8, "danh-muc.csv", "Tệp không phải tệp CSV hay XLSX."),
        (bytes(range(256)) * 8, "", "Tệp không phải tệp CSV hay XLSX."),
        (bytes(range(128, 256)) * 8, "danh-muc.csv", "Tệp không phải văn bản UTF-8"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "anh.png", "Tệp «anh.png» không phải tệp CSV hay XLSX."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "danh-muc.xls", "(.xls) không được hỗ trợ"),
        ("ma_thu_tuc".encode("utf-16"), "danh-muc.csv", "UTF-16"),
        (b"ma_thu_tuc,ten_thu_tuc", "danh-muc.xlsx", "Tệp không phải bảng tính XLSX hợp lệ."),
    ],
)
def test_files_that_are_not_a_catalogue_are_refused(data, filename, message):
    error = errors_of(data, filename)
    assert len(error.errors) == 1
    assert message in error.errors[0][2]
    assert message in str(error)


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải bảng tính")
    error = errors_of(buffer.getvalue(), "danh-muc.zip")
    assert error.errors == [(0, "", "Tệp không phải bảng tính XLSX hợp lệ.")]


def test_unclosed_quote_is_refused():
    data = csv_bytes(row()) + b'"2.000815,Ch\xe1\xbb\xa9ng th\xe1\xbb\xb1c'
    assert "dấu ngoặc kép" in str(errors_of(data))


# The seed catalogue

TIMELY_BIRTH = "Đăng ký khai sinh đúng hạn, trong 60 ngày kể từ ngày sinh (Luật Hộ tịch 2014, Điều 11 khoản 1 điểm b; Điều 15)"
TIMELY_DEATH = "Đăng ký khai tử đúng hạn, trong 15 ngày kể từ ngày chết (Luật Hộ tịch 2014, Điều 11 khoản 1 điểm b; Điều 33)"

SECTION_7 = [
    # code, working days, cut-off, fee inputs, fee, set by the province
    # Birth and death: free when registered in time (Luật Hộ tịch 2014 art. 11), the province's fee when late.
    ("1.001193", 0, time(15, 0), {"ground": TIMELY_BIRTH}, 0, True),
    ("1.001193", 0, time(15, 0), {}, None, True),
    ("1.000689", 3, None, {}, None, True),
    ("1.000894", 0, None, {}, 0, False),
    ("1.000656", 0, None, {"ground": TIMELY_DEATH}, 0, True),
    ("1.000656", 0, None, {}, None, True),
    ("1.004873", 3, None, {}, None, True),
    ("2.000635", 0, None, {}, 8000, False),
    ("2.000635", 0, None, {"copies": 3}, 24000, False),
    ("2.000908", 0, time(15, 0), {}, 0, False),
    ("2.000815", 0, time(15, 0), {"pages": 1}, 2000, False),
    ("2.000815", 0, time(15, 0), {"pages": 7}, 9000, False),
    ("2.000815", 0, time(15, 0), {"pages": 500}, 200000, False),
    ("2.000815", 0, time(15, 0), {"pages": 7, "copies": 3}, 27000, False),
    ("2.000884", 0, time(15, 0), {}, 10000, False),
    ("2.001035", 2, None, {"option": "Hợp đồng, giao dịch"}, 50000, False),
    ("2.001035", 2, None, {"option": "Sửa đổi, bổ sung"}, 30000, False),
    ("2.001035", 2, None, {"option": "Sửa lỗi sai sót"}, 25000, False),
    ("1.001612", 3, None, {}, None, True),
]


@pytest.fixture(scope="module")
def seed():
    data = SEED.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return {spec.code: spec for spec in read_catalogue(data, SEED.name)}


def test_seed_covers_the_commune_fields(seed):
    assert len(seed) >= 25
    fields = {spec.field_name for spec in seed.values()}
    assert {"Hộ tịch", "Chứng thực", "Kinh tế", "Đất đai", "Xây dựng", "Bảo trợ xã hội"} <= fields
    assert 10 <= sum(spec.on_board for spec in seed.values()) <= 14


def test_seed_procedures_are_complete(seed):
    for spec in seed.values():
        assert spec.active and spec.legal_basis and spec.documents, spec.code
        assert any(document.required for document in spec.documents), spec.code


@pytest.mark.parametrize("code, working_days, cutoff, inputs, fee, by_province", SECTION_7)
def test_seed_has_each_domain_procedure_with_its_time_and_fee(
    seed, code, working_days, cutoff, inputs, fee, by_province
):
    spec = seed[code]
    assert (spec.working_days, spec.cutoff) == (working_days, cutoff)
    assert spec.fee.set_by_province is by_province
    if fee is not None:
        assert compute_fee(spec.fee, **inputs) == fee
    if by_province:
        # A fee the province sets is charged only once an administrator confirms it; the seed confirms none.
        assert spec.fee.unconfirmed


def test_late_birth_and_death_registration_pay_the_provinces_fee_until_a_legal_ground_waives_it(seed):
    for code, timely in (("1.001193", TIMELY_BIRTH), ("1.000656", TIMELY_DEATH)):
        rule = seed[code].fee
        assert compute_fee(rule) == rule.amount > 0
        assert [percent for name, percent in rule.grounds if name == timely] == [100]
        # Art. 11's other grounds (meritorious families, poor households, disabilities) waive a late one too.
        assert sum(percent == 100 and "Điều 11 khoản 1" in name for name, percent in rule.grounds) == 4


def test_seed_round_trips_through_both_formats(seed):
    specs = list(seed.values())
    assert read_catalogue(write_csv(specs), "danh-muc.csv") == specs
    assert read_catalogue(write_xlsx(specs), "danh-muc.xlsx") == specs


def test_a_code_may_have_versions_from_different_dates():
    specs = read_catalogue(csv_bytes(row("2.000884", hieu_luc_tu="01/07/2025", hieu_luc_den="28/02/2027"), row("2.000884", hieu_luc_tu="01/03/2027")), "c.csv")
    assert [(spec.code, spec.valid_from) for spec in specs] == [("2.000884", date(2025, 7, 1)), ("2.000884", date(2027, 3, 1))]
    error = errors_of(csv_bytes(row("2.000884", hieu_luc_tu="01/07/2025"), row("2.000884", hieu_luc_tu="")))
    assert error.errors == [(3, "ma_thu_tuc", "Mã thủ tục «2.000884» trùng với dòng 2.")]


# Units of legal time and named cases with a longer time (issue 14)

SEED_UNITS = [
    # code, amount, unit: "ngày" where the law says days, "trong_ngay" for the same day
    ("2.001263", 30, TimeUnit.DAYS),  # Luật Nuôi con nuôi: 30 ngày
    ("1.013225", 15, TimeUnit.DAYS),  # Luật Xây dựng: 15 ngày for a house
    ("1.001193", 0, TimeUnit.SAME_DAY),
    ("1.000894", 0, TimeUnit.SAME_DAY),
    ("2.000815", 0, TimeUnit.SAME_DAY),
    ("1.004873", 3, TimeUnit.WORKING_DAYS),
    ("2.001035", 2, TimeUnit.WORKING_DAYS),
    ("1.001612", 3, TimeUnit.WORKING_DAYS),
]


@pytest.mark.parametrize("code, amount, unit", SEED_UNITS)
def test_seed_legal_time_has_its_unit(seed, code, amount, unit):
    assert (seed[code].working_days, seed[code].unit) == (amount, unit)


SEED_CASES = [
    ("1.000894", "Cần xác minh điều kiện kết hôn", 5, TimeUnit.WORKING_DAYS),
    ("1.000656", "Cần xác minh", 3, TimeUnit.WORKING_DAYS),
    ("1.000689", "Cần xác minh việc nhận cha, mẹ, con", 5, TimeUnit.WORKING_DAYS),
    ("1.001022", "Cần xác minh việc nhận cha, mẹ, con", 5, TimeUnit.WORKING_DAYS),
    ("2.000815", "Nhiều loại giấy tờ, bản chính nhiều trang, nhiều bản sao hoặc nội dung phức tạp", 2, TimeUnit.WORKING_DAYS),
    ("2.000815", "Dài hơn theo thỏa thuận bằng văn bản với người yêu cầu chứng thực", None, TimeUnit.WORKING_DAYS),
    ("2.001035", "Dài hơn theo thỏa thuận bằng văn bản với người yêu cầu chứng thực", None, TimeUnit.WORKING_DAYS),
]


@pytest.mark.parametrize("code, name, amount, unit", SEED_CASES)
def test_seed_lists_the_named_cases_with_a_longer_time(seed, code, name, amount, unit):
    assert ExtensionCase(name, amount, unit) in seed[code].extensions


def test_seed_legal_basis_names_an_article_for_each_time_it_confirms(seed):
    for code in ("2.001263", "1.013225", "1.000894", "2.000815", "2.001035"):
        assert "Điều" in seed[code].legal_basis, code


def test_export_import_export_is_identical_for_the_seed(seed):
    specs = list(seed.values())
    for writer, name in ((write_csv, "danh-muc.csv"), (write_xlsx, "danh-muc.xlsx")):
        first = writer(specs)
        again = read_catalogue(first, name)
        assert again == specs
        assert write_csv(again) == write_csv(specs)
    assert write_csv(specs) == SEED.read_bytes()


def test_a_file_without_the_new_columns_still_reads_with_the_old_meaning():
    old_header = tuple(name for name in COLUMNS if name not in ("don_vi_thoi_han", "truong_hop_gia_han"))
    specs = read_catalogue(csv_bytes(row("1.001193"), row("1.004873", thoi_han_ngay="3", gio_cat=""), header=old_header), "c.csv")
    assert [(spec.working_days, spec.unit, spec.extensions) for spec in specs] == [
        (0, TimeUnit.SAME_DAY, ()),
        (3, TimeUnit.WORKING_DAYS, ()),
    ]


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"don_vi_thoi_han": "tuan"}, "don_vi_thoi_han", "Đơn vị «tuan» không hợp lệ"),
        ({"don_vi_thoi_han": "ngay", "thoi_han_ngay": "0", "gio_cat": ""}, "thoi_han_ngay", "phải từ 1 trở lên"),
        ({"don_vi_thoi_han": "trong_ngay", "thoi_han_ngay": "3"}, "thoi_han_ngay", "thoi_han_ngay = 0"),
        ({"don_vi_thoi_han": "ngay", "thoi_han_ngay": "30"}, "gio_cat", "Giờ cắt chỉ dùng"),
        ({"truong_hop_gia_han": "Cần xác minh |  | ngay_lam_viec"}, "truong_hop_gia_han", "Trường hợp thứ 1: thiếu thời gian kéo dài"),
        ({"truong_hop_gia_han": "Cần xác minh | 5"}, "truong_hop_gia_han", "Trường hợp thứ 1: cần 3 phần"),
        ({"truong_hop_gia_han": "A | 2 | ngay\nB | 0 | ngay"}, "truong_hop_gia_han", "Trường hợp thứ 2: thời gian kéo dài «0»"),
        ({"truong_hop_gia_han": "A | 2 | trong_ngay"}, "truong_hop_gia_han", "đơn vị «trong_ngay» không hợp lệ"),
        ({"truong_hop_gia_han": "A | 2 | tuan"}, "truong_hop_gia_han", "đơn vị «tuan» không hợp lệ"),
        ({"truong_hop_gia_han": "A | 2 | ngay\nA | 3 | ngay"}, "truong_hop_gia_han", "Trường hợp thứ 2: tên «A» đã có"),
    ],
)
def test_units_and_cases_errors_name_line_and_column(overrides, column, fragment):
    error = errors_of(csv_bytes(row("1.001193"), row(**overrides)))
    found = [(line, name) for line, name, message in error.errors if fragment in message]
    assert (3, column) in found, error.errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A | 2 | ngay_lam_viec", (ExtensionCase("A", 2, TimeUnit.WORKING_DAYS),)),
        ("A | 15 | ngay\nB | thoa_thuan | ngay_lam_viec", (ExtensionCase("A", 15, TimeUnit.DAYS), ExtensionCase("B", None))),
        ("", ()),
    ],
)
def test_cases_are_read(text, expected):
    [spec] = read_catalogue(csv_bytes(row(truong_hop_gia_han=text)), "c.csv")
    assert spec.extensions == expected


# Fee grounds and the province fee's confirmation (issue 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Người thuộc hộ nghèo | 100", (("Người thuộc hộ nghèo", 100),)),
        ("A | 100\nB (Điều 11, khoản 1) | 50", (("A", 100), ("B (Điều 11, khoản 1)", 50))),
        ("", ()),
    ],
)
def test_fee_grounds_are_read(text, expected):
    [spec] = read_catalogue(csv_bytes(row(mien_giam_phi=text)), "c.csv")
    assert spec.fee.grounds == expected


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"mien_giam_phi": "Người thuộc hộ nghèo"}, "Căn cứ thứ 1: cần 2 phần"),
        ({"mien_giam_phi": "A | 100\nB | nhiều"}, "Căn cứ thứ 2: phần trăm giảm «nhiều»"),
        ({"mien_giam_phi": "A | 0"}, "Mức giảm phải từ 1 đến 100"),
        ({"mien_giam_phi": "A | 100\nA | 50"}, "bị trùng"),
        ({"phi_da_xac_nhan": "có"}, "Chỉ nhận 0 hoặc 1"),
    ],
)
def test_fee_ground_errors_name_line_and_column(overrides, fragment):
    error = errors_of(csv_bytes(row("1.001193"), row(**overrides)))
    column = next(iter(overrides))
    assert (3, column) in [(line, name) for line, name, message in error.errors if fragment in message], error.errors


def test_seed_lists_article_11_grounds_and_flags_province_fees_unconfirmed(seed):
    grounds = dict(seed["1.004873"].fee.grounds)
    assert grounds == {
        "Người thuộc gia đình có công với cách mạng (Luật Hộ tịch 2014, Điều 11 khoản 1)": 100,
        "Người thuộc hộ nghèo (Luật Hộ tịch 2014, Điều 11 khoản 1)": 100,
        "Người khuyết tật (Luật Hộ tịch 2014, Điều 11 khoản 1)": 100,
    }
    assert seed["2.000635"].fee.grounds == ()  # a copy's fee, not a registration fee
    assert all(spec.fee.unconfirmed for spec in seed.values() if spec.fee.set_by_province)
# Import caps (issue 19, 3.4): a file is read one row at a time, stops at a row limit and at an unzipped
# size, and its errors are shown a hundred at most with the count of the others.


@pytest.mark.parametrize(("found", "kept", "last"), [(0, 0, None), (1, 1, None), (100, 100, None), (101, 101, "… và 1 lỗi khác."), (1234, 101, "… và 1.134 lỗi khác.")])
def test_import_errors_keep_a_hundred_and_count_the_rest(found, kept, last):
    errors = ImportErrors()
    for line in range(2, found + 2):
        errors.append((line, "ma_thu_tuc", "Không được để trống."))
    assert bool(errors) == (found > 0)
    assert errors.total == found
    shown = errors.shown()
    assert len(shown) == kept and shown.total == found
    assert (shown[-1][2] if last else None) == last
    assert MAX_ERRORS_SHOWN == 100
    assert CatalogueFileError(errors).errors == shown


def _csv(lines: int) -> bytes:
    return ("ma_thu_tuc\n" + "".join(f"x{number}\n" for number in range(lines - 1))).encode()


def test_rows_are_read_up_to_the_limit_and_refused_beyond():
    limits = FileLimits(max_rows=5, max_unzipped_bytes=10**6)
    assert len(list(read_rows(_csv(5), "a.csv", limits))) == 5
    rows = read_rows(_csv(6), "a.csv", limits)
    assert [next(rows) for _ in range(5)]  # the first rows come before the limit is known to be passed
    with pytest.raises(CatalogueFileError) as refused:
        next(rows)
    assert "Tệp có hơn 5 dòng" in str(refused.value) and "Chưa có gì được lưu" in str(refused.value)


def _xlsx(rows: int) -> bytes:
    book = Workbook()
    for number in range(rows):
        book.active.append([f"x{number}", "y" * 50])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_that_unzips_beyond_the_limit_is_refused_before_it_is_read():
    data = _xlsx(2000)
    assert len(list(read_rows(data, "a.xlsx", FileLimits(max_rows=5000, max_unzipped_bytes=10**7)))) == 2000
    with pytest.raises(CatalogueFileError) as refused:
        list(read_rows(data, "a.xlsx", FileLimits(max_rows=5000, max_unzipped_bytes=100_000)))
    assert "khi giải nén" in str(refused.value)
    with pytest.raises(CatalogueFileError) as refused:
        list(read_rows(data, "a.xlsx", FileLimits(max_rows=100, max_unzipped_bytes=10**7)))
    assert "Tệp có hơn 100 dòng" in str(refused.value)


def test_a_catalogue_of_junk_lines_shows_a_hundred_errors_and_the_count_of_the_others():
    data = ",".join(COLUMNS).encode() + b"\n" + b"".join(b"x%d,,,,,\n" % number for number in range(300))
    with pytest.raises(CatalogueFileError) as refused:
        read_catalogue(data, "rac.csv")
    errors = refused.value.errors
    assert len(errors) == 101 and errors.total > 300
    assert errors[-1][2].startswith("… và ") and errors[-1][2].endswith(" lỗi khác.")


def test_a_catalogue_beyond_the_row_limit_is_refused():
    data = ",".join(COLUMNS).encode() + b"\n" + b"x,,,,,\n" * CATALOGUE_LIMITS.max_rows
    with pytest.raises(CatalogueFileError) as refused:
        read_catalogue(data, "dai.csv")
    assert f"Tệp có hơn {CATALOGUE_LIMITS.max_rows:,} dòng".replace(",", ".") in str(refused.value)
