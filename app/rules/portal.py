"""The National Public Service Portal's dossier-sync record (service DongBoHoSoMC): statuses, times, fields.

Source of the record's shape: OpenCPS, the open-source one-stop system several provinces run, in
VietOpenCPS/opencps-v2, modules/backend-dossiermgt/backend-dossiermgt-service/src/main/java/org/opencps/
dossiermgt/action/impl/DVCQGIntegrationActionImpl.java (`createSyncDossierBodyRequest`, sent with
`"service": "DongBoHoSoMC"` and the records under `"data"`). It gives the field names, the time format
`yyyyMMddHHmmss` in Asia/Ho_Chi_Minh (`convertDate2String`), LoaiDoiTuong ("1" a citizen, "2" a
business) and HinhThuc ("1" when the result travels by post, else "0"), all sent as strings.

OpenCPS does not hold the portal's status codes in its code: each deployment maps its own statuses in
a table (`opencps_dossierstatusmapping.statusCodeDVCQG`). The list below (1–10) was checked against
several other provincial one-stop systems' published source, which agree on every code and label; it
is not an official text, so the README says so too.
"""
import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from zoneinfo import ZoneInfo

from .status import Status
from .text import fold

TIME_FORMAT = "%Y%m%d%H%M%S"
PORTAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SERVICE = "DongBoHoSoMC"

# The portal's TrangThaiHoSo codes and their names (see the module docstring for the source).
PORTAL_STATUS_LABELS: Mapping[str, str] = MappingProxyType({
    "1": "Mới đăng ký",
    "2": "Được tiếp nhận",
    "3": "Không được tiếp nhận",
    "4": "Đang xử lý",
    "5": "Yêu cầu bổ sung giấy tờ",
    "6": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "7": "Công dân yêu cầu rút hồ sơ",
    "8": "Dừng xử lý",
    "9": "Đã xử lý xong",
    "10": "Đã trả kết quả",
})

# Our status -> the portal's code: the one table the export and the reconciliation read.
# - Waiting for the leader's signature is still processing (4) for the portal.
# - A result ready for pickup is "Đã xử lý xong" (9); handed over it is "Đã trả kết quả" (10).
# - Refused here means refused after reception with a written answer, which DOMAIN §6 counts as
#   settled: 9. The portal's 3 is a refusal at the counter, which this software records as a Mẫu 03
#   slip, never as a dossier.
# Codes 1 (registered online, not yet received) and 6 (financial obligation) have no status here.
STATUS_CODES: Mapping[Status, str] = MappingProxyType({
    Status.RECEIVED: "2",
    Status.PROCESSING: "4",
    Status.WAITING_DOCUMENTS: "5",
    Status.WAITING_APPROVAL: "4",
    Status.RESULT_READY: "9",
    Status.RETURNED: "10",
    Status.REFUSED: "9",
    Status.STOPPED: "8",
    Status.WITHDRAWN: "7",
})

# HinhThuc: OpenCPS sends "1" when the result is delivered by post (its viaPostal), else "0".
POSTAL_RETURN = "buu_chinh"
HINH_THUC_BY_POST, HINH_THUC_OTHER = "1", "0"
# LoaiDoiTuong: a commune center's applicants are people ("1"); OpenCPS sends "2" for a business.
CITIZEN = "1"

FIELDS = (
    "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "ChuHoSo", "LoaiDoiTuong", "SoDienThoai", "Email",
    "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "NgayTra", "HinhThuc", "NgayKetThucXuLy",
    "DonViXuLy", "DanhSachLePhi", "DanhSachHoSoBoSung",
)
FEE_NAME = "Phí, lệ phí"

# A national procedure code, as in the national procedure database: 1.001193, 2.000815.
_NATIONAL_CODE = re.compile(r"[0-9]\.[0-9]{6}")


def status_code(status: Status | str) -> str:
    """The portal's TrangThaiHoSo for one of our statuses."""
    return STATUS_CODES[Status(status)]


def portal_time(moment: datetime.datetime | None) -> str:
    """`yyyyMMddHHmmss` in Asia/Ho_Chi_Minh; "" for no time. Our times are naive local time already;
    an aware one is converted first."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(PORTAL_TZ)
    return moment.strftime(TIME_FORMAT)


def is_national_code(code: str) -> bool:
    """Whether a procedure code has the national database's shape (d.dddddd)."""
    return bool(_NATIONAL_CODE.fullmatch(code or ""))


@dataclass(frozen=True)
class Supplement:
    """One request for more documents (Mẫu 02) and, once they came, their reception."""

    id: int
    requested_at: datetime.datetime
    requested_by: str
    content: str
    received_at: datetime.datetime | None = None
    due_before: datetime.datetime | None = None
    due_after: datetime.datetime | None = None


@dataclass(frozen=True)
class DossierFacts:
    """What the export needs of one dossier, read from the database by the service."""

    code: str
    portal_code: str
    procedure_code: str
    procedure_name: str
    field_name: str
    applicant_name: str
    phone: str
    email: str
    received_at: datetime.datetime
    due_at: datetime.datetime
    status: Status
    unit: str
    return_method: str = "tai_quay"
    returned_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    fee_amount: int = 0
    supplements: tuple[Supplement, ...] = field(default_factory=tuple)


def record(facts: DossierFacts) -> dict:
    """The portal's sync record of one dossier, its fields in the published order."""
    return {
        "MaHoSo": facts.portal_code or facts.code,
        "MaTTHC": facts.procedure_code if is_national_code(facts.procedure_code) else "",
        "TenTTHC": facts.procedure_name,
        # We hold no national code for a field (lĩnh vực): the portal reads it from MaTTHC.
        "MaLinhVuc": "",
        "TenLinhVuc": facts.field_name,
        "ChuHoSo": facts.applicant_name,
        "LoaiDoiTuong": CITIZEN,
        "SoDienThoai": facts.phone,
        "Email": facts.email,
        "TrichYeuHoSo": facts.procedure_name,
        "NgayTiepNhan": portal_time(facts.received_at),
        "NgayHenTra": portal_time(facts.due_at),
        "TrangThaiHoSo": status_code(facts.status),
        "NgayTra": portal_time(facts.returned_at),
        "HinhThuc": HINH_THUC_BY_POST if facts.return_method == POSTAL_RETURN else HINH_THUC_OTHER,
        "NgayKetThucXuLy": portal_time(facts.ended_at),
        "DonViXuLy": facts.unit,
        "DanhSachLePhi": [{"TenPhiLePhi": FEE_NAME, "Gia": facts.fee_amount}] if facts.fee_amount else [],
        "DanhSachHoSoBoSung": [_supplement(item) for item in facts.supplements],
    }


def _supplement(item: Supplement) -> dict:
    return {
        "HoSoBoSungId": str(item.id),
        "NguoiYeuCauBoSung": item.requested_by,
        "NoiDungBoSung": item.content,
        "NgayBoSung": portal_time(item.requested_at),
        "NgayTiepNhanBoSung": portal_time(item.received_at),
        "NgayHenTraTruoc": portal_time(item.due_before),
        "NgayHenTraMoi": portal_time(item.due_after),
    }


# What a province's file may say for a status: the code, the portal's name, or ours; any case, any accents.
_STATUS_WORDS = (
    {code: code for code in PORTAL_STATUS_LABELS}
    | {fold(label): code for code, label in PORTAL_STATUS_LABELS.items()}
    | {fold(status.label): code for status, code in STATUS_CODES.items()}
    | {status.value: code for status, code in STATUS_CODES.items()}
)


def read_status(text: str) -> str | None:
    """The portal's code for a status as a province's file writes it, or None when it is not one."""
    return _STATUS_WORDS.get(fold(text or "").removesuffix(".0"))
