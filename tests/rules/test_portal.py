"""The portal's sync record: the status table, the time format, the record of a dossier in each status."""
import datetime
from zoneinfo import ZoneInfo

import pytest

from app.rules.portal import (
    FIELDS,
    PORTAL_STATUS_LABELS,
    STATUS_CODES,
    DossierFacts,
    Supplement,
    is_national_code,
    portal_time,
    read_status,
    record,
    status_code,
)
from app.rules.status import Status

S = Status
# Written out by hand, independently of the module: changing one entry of its table fails here.
EXPECTED_CODES = [
    (S.RECEIVED, "2"),
    (S.PROCESSING, "4"),
    (S.WAITING_DOCUMENTS, "5"),
    (S.WAITING_APPROVAL, "4"),
    (S.RESULT_READY, "9"),
    (S.RETURNED, "10"),
    (S.REFUSED, "9"),
    (S.STOPPED, "8"),
    (S.WITHDRAWN, "7"),
]


def test_every_status_is_in_the_table():
    assert {status for status, _code in EXPECTED_CODES} == set(Status)
    assert set(STATUS_CODES) == set(Status)


@pytest.mark.parametrize("status, code", EXPECTED_CODES)
def test_status_maps_to_portal_code(status, code):
    assert status_code(status) == code
    assert status_code(status.value) == code
    assert code in PORTAL_STATUS_LABELS


def test_portal_codes_and_names():
    assert dict(PORTAL_STATUS_LABELS) == {
        "1": "Mới đăng ký", "2": "Được tiếp nhận", "3": "Không được tiếp nhận", "4": "Đang xử lý",
        "5": "Yêu cầu bổ sung giấy tờ", "6": "Yêu cầu thực hiện nghĩa vụ tài chính", "7": "Công dân yêu cầu rút hồ sơ",
        "8": "Dừng xử lý", "9": "Đã xử lý xong", "10": "Đã trả kết quả",
    }


@pytest.mark.parametrize("moment, text", [
    (datetime.datetime(2026, 11, 30, 9, 5, 7), "20261130090507"),
    (datetime.datetime(2026, 1, 1, 0, 0, 0), "20260101000000"),
    (datetime.datetime(2026, 12, 31, 23, 59, 59), "20261231235959"),
    (datetime.datetime(2025, 7, 1, 15, 0), "20250701150000"),
    # An aware time is shown on the center's clock: 17:30 UTC is 00:30 the next day in Hà Nội.
    (datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.timezone.utc), "20270101003000"),
    (datetime.datetime(2026, 6, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), "20260601080000"),
    (None, ""),
])
def test_portal_time(moment, text):
    assert portal_time(moment) == text


@pytest.mark.parametrize("code, national", [
    ("1.001193", True), ("2.000815", True), ("1.013978", True),
    ("TL.001", False), ("1.00119", False), ("10.00119", False), ("1-001193", False), ("", False), ("a.001193", False),
])
def test_national_procedure_code(code, national):
    assert is_national_code(code) is national


@pytest.mark.parametrize("text, code", [
    ("2", "2"), ("10", "10"), ("10.0", "10"), ("Đã trả kết quả", "10"), ("da tra ket qua", "10"), ("ĐANG XỬ LÝ", "4"),
    ("Yêu cầu bổ sung giấy tờ", "5"), ("Chờ bổ sung", "5"), ("Đã có kết quả, chờ trả", "9"), ("returned", "10"),
    ("11", None), ("", None), ("Không rõ", None),
])
def test_read_status(text, code):
    assert read_status(text) == code


def facts(status, **changes):
    values = dict(
        code="000.00.20.H56-261130-0001", portal_code="", procedure_code="1.001193", procedure_name="Đăng ký khai sinh",
        field_name="Hộ tịch", applicant_name="Nguyễn Văn An", phone="0912345678", email="an@example.vn",
        received_at=datetime.datetime(2026, 11, 30, 9, 0), due_at=datetime.datetime(2026, 11, 30, 17, 0), status=status,
        unit="UBND XÃ THẠCH HÀ",
    )
    return DossierFacts(**(values | changes))


@pytest.mark.parametrize("status, code", EXPECTED_CODES)
def test_record_of_a_dossier_in_each_status(status, code):
    ended = datetime.datetime(2026, 11, 30, 16, 0) if status in (S.RESULT_READY, S.RETURNED, S.REFUSED, S.STOPPED, S.WITHDRAWN) else None
    returned = datetime.datetime(2026, 12, 1, 8, 30) if status == S.RETURNED else None
    result = record(facts(status, ended_at=ended, returned_at=returned))
    assert list(result) == list(FIELDS)
    assert result == {
        "MaHoSo": "000.00.20.H56-261130-0001", "MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh", "MaLinhVuc": "",
        "TenLinhVuc": "Hộ tịch", "ChuHoSo": "Nguyễn Văn An", "LoaiDoiTuong": "1", "SoDienThoai": "0912345678",
        "Email": "an@example.vn", "TrichYeuHoSo": "Đăng ký khai sinh", "NgayTiepNhan": "20261130090000",
        "NgayHenTra": "20261130170000", "TrangThaiHoSo": code, "NgayTra": "20261201083000" if returned else "",
        "HinhThuc": "0", "NgayKetThucXuLy": "20261130160000" if ended else "", "DonViXuLy": "UBND XÃ THẠCH HÀ",
        "DanhSachLePhi": [], "DanhSachHoSoBoSung": [],
    }


def test_record_prefers_the_provincial_code_and_leaves_a_local_procedure_code_out():
    result = record(facts(S.RECEIVED, portal_code="H56.22-261130-0099", procedure_code="TL.001"))
    assert (result["MaHoSo"], result["MaTTHC"]) == ("H56.22-261130-0099", "")


def test_record_of_a_postal_return_with_fee_and_supplement():
    supplement = Supplement(
        id=7, requested_at=datetime.datetime(2026, 11, 30, 10, 0), requested_by="Cán bộ chuyên môn", content="Thiếu giấy chứng sinh",
        received_at=datetime.datetime(2026, 12, 2, 8, 0), due_before=datetime.datetime(2026, 11, 30, 17, 0),
        due_after=datetime.datetime(2026, 12, 2, 15, 0),
    )
    result = record(facts(S.PROCESSING, return_method="buu_chinh", fee_amount=8000, supplements=(supplement,)))
    assert result["HinhThuc"] == "1"
    assert result["DanhSachLePhi"] == [{"TenPhiLePhi": "Phí, lệ phí", "Gia": 8000}]
    assert result["DanhSachHoSoBoSung"] == [{
        "HoSoBoSungId": "7", "NguoiYeuCauBoSung": "Cán bộ chuyên môn", "NoiDungBoSung": "Thiếu giấy chứng sinh",
        "NgayBoSung": "20261130100000", "NgayTiepNhanBoSung": "20261202080000", "NgayHenTraTruoc": "20261130170000",
        "NgayHenTraMoi": "20261202150000",
    }]
