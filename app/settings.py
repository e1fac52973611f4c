"""The center's settings: what each one is, its default, and how a typed value is checked."""
import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from .db import Prepared
from .models import Setting
from .pagecache import kept_with_version
from .rules.codes import validate_agency_code, validate_local_prefix
from .rules.text import clean


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    default: object
    kind: str = "text"  # text, time, bool, int, choice, url
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    max_length: int = 200
    group: str = "Trung tâm"
    minimum: int = 0
    maximum: int = 100_000


SPECS = (
    SettingSpec("province", "Tỉnh/thành phố", "Tỉnh Hà Tĩnh"),
    SettingSpec("commune", "Tên xã", "Xã Thạch Hà"),
    SettingSpec("parent_body", "Cơ quan chủ quản", "UBND XÃ THẠCH HÀ"),
    SettingSpec("center_name", "Tên trung tâm", "Trung tâm Phục vụ hành chính công xã Thạch Hà"),
    SettingSpec(
        "agency_code",
        "Mã định danh cơ quan",
        "000.00.20.H42",
        help="Dạng V1V2V3.Z1Z2.Y1Y2.MX1X2 theo QCVN 102:2016, do tỉnh cấp; dùng trong mã hồ sơ.",
        max_length=20,
    ),
    SettingSpec(
        "uses_province_system",
        "Trung tâm cũng tiếp nhận hồ sơ trên hệ thống một cửa điện tử của tỉnh",
        False,
        "bool",
        help=(
            "Khi chọn: mã hồ sơ của tỉnh là mã chính thức, in trên giấy biên nhận và hiện khi công dân tra cứu; "
            "mã do phần mềm này cấp mang tiền tố nội bộ bên dưới để không trùng dạng với mã của tỉnh. "
            "Mã đã cấp không bị đổi."
        ),
        group="Hệ thống của tỉnh",
    ),
    SettingSpec(
        "local_code_prefix",
        "Tiền tố mã hồ sơ nội bộ",
        "TT",
        help="1 đến 6 chữ cái in hoa không dấu, ví dụ TL: mã nội bộ có dạng TL-261203-0028.",
        max_length=6,
        group="Hệ thống của tỉnh",
    ),
    SettingSpec(
        "signer_title",
        "Chức danh người ký văn bản của Trung tâm",
        "Giám đốc",
        help="In ở chỗ ký của Mẫu 04, Mẫu 05 và văn bản trả lời từ chối, trên chỗ đóng dấu.",
        max_length=120,
    ),
    SettingSpec("address", "Địa chỉ", "Thôn Trung Tiết, xã Thạch Hà, tỉnh Hà Tĩnh", max_length=300),
    SettingSpec("phone", "Điện thoại", "0239 3845 123", max_length=30),
    SettingSpec("work_start", "Giờ bắt đầu làm việc", datetime.time(7, 30), "time", group="Lịch làm việc"),
    SettingSpec("work_end", "Giờ kết thúc làm việc", datetime.time(17, 0), "time", group="Lịch làm việc"),
    SettingSpec(
        "saturday_counts",
        "Sáng thứ Bảy là ngày làm việc",
        False,
        "bool",
        help="Chỉ chọn khi trung tâm làm việc sáng thứ Bảy và tính vào thời hạn giải quyết.",
        group="Lịch làm việc",
    ),
    SettingSpec("saturday_end", "Giờ kết thúc sáng thứ Bảy", datetime.time(11, 30), "time", group="Lịch làm việc"),
    SettingSpec(
        "default_cutoff",
        "Giờ chốt nhận hồ sơ giải quyết trong ngày",
        datetime.time(15, 0),
        "time",
        help="Hồ sơ giải quyết trong ngày nhận sau giờ này được hẹn ngày làm việc tiếp theo.",
        group="Lịch làm việc",
    ),
    SettingSpec(
        "public_base_url",
        "Địa chỉ tra cứu in trên mã QR",
        "http://192.168.1.10:8080",
        "url",
        help="Địa chỉ máy chủ trong mạng nội bộ, ví dụ http://192.168.1.10:8080. Sau khi đổi, hãy kiểm tra tại Quản trị → Địa chỉ tra cứu.",
        group="Biên nhận",
    ),
    SettingSpec(
        "receipt_paper",
        "Khổ giấy biên nhận",
        "A4",
        "choice",
        choices=(("A4", "A4, hai liên trên một trang"), ("A5", "A5, một liên mỗi trang")),
        group="Biên nhận",
    ),
    SettingSpec("wifi_name", "Tên Wi-Fi cho khách", "", max_length=32, group="Biên nhận"),
    SettingSpec("wifi_password", "Mật khẩu Wi-Fi cho khách", "", max_length=63, group="Biên nhận"),
    SettingSpec(
        "backup_hour",
        "Giờ sao lưu hằng ngày",
        datetime.time(11, 30),
        "time",
        help="Máy chủ tự sao lưu một lần mỗi ngày, vào lần đầu tiên máy đang chạy sau giờ này.",
        group="Sao lưu",
    ),
    SettingSpec("backup_keep_daily", "Số bản sao lưu hằng ngày giữ lại", 30, "int", help="Bản mới nhất của mỗi ngày, cho chừng này ngày gần nhất.", group="Sao lưu", minimum=1, maximum=3650),
    SettingSpec("backup_keep_monthly", "Số bản sao lưu hằng tháng giữ lại", 12, "int", help="Bản mới nhất của mỗi tháng, cho chừng này tháng gần nhất.", group="Sao lưu", minimum=0, maximum=1200),
    SettingSpec("backup_keep_manual_days", "Số ngày giữ bản sao lưu thủ công", 30, "int", help="Bản tạo bằng nút «Sao lưu ngay» được giữ riêng chừng này ngày, không bị bản sau thay thế.", group="Sao lưu", minimum=1, maximum=3650),
    SettingSpec(
        "report_cutoff_day",
        "Ngày chốt số liệu báo cáo",
        0,
        "int",
        help="0: kỳ báo cáo theo tháng dương lịch. 15: kỳ tháng tính từ ngày 15 tháng trước đến ngày 14 (quý, năm tương tự).",
        group="Báo cáo",
        minimum=0,
        maximum=28,
    ),
    SettingSpec(
        "report_convention",
        "Cách tính tỷ lệ đúng hạn",
        "A",
        "choice",
        choices=(
            ("A", "A. (Trước hạn + đúng hạn) / số đã giải quyết"),
            ("B", "B. (Trước hạn + đúng hạn) / số hồ sơ có hẹn trả trong kỳ"),
            ("C", "C. 100% − (trễ hạn đã giải quyết + đang quá hạn) / (tồn kỳ trước + tiếp nhận mới)"),
        ),
        group="Báo cáo",
    ),
    SettingSpec("queue_recall_limit", "Số lần gọi lại một số thứ tự", 3, "int", help="Gọi lại quá chừng này lần thì số được ghi «vắng mặt».", group="Lấy số thứ tự", minimum=0, maximum=10),
    SettingSpec("queue_skip_recall_minutes", "Số phút còn gọi lại được số đã bỏ qua", 30, "int", help="Quá chừng này phút kể từ lúc bỏ qua, số được ghi «vắng mặt».", group="Lấy số thứ tự", minimum=0, maximum=480),
    SettingSpec("queue_priority_streak", "Số ưu tiên gọi liền nhau tối đa", 2, "int", help="Khi còn người lấy số thường đang chờ, gọi liền nhau nhiều nhất chừng này số ưu tiên.", group="Lấy số thứ tự", minimum=1, maximum=10),
    SettingSpec("queue_kiosk_limit", "Số phiếu một máy lấy số được in trong 1 phút", 6, "int", help="Chặn bấm liên tục làm ra hàng loạt phiếu.", group="Lấy số thứ tự", minimum=1, maximum=100),
)

SPECS_BY_KEY = {spec.key: spec for spec in SPECS}


def _to_text(spec: SettingSpec, value) -> str:
    if spec.kind == "time":
        return value.strftime("%H:%M")
    if spec.kind == "bool":
        return "1" if value else "0"
    return str(value)


def _from_text(spec: SettingSpec, text: str):
    if spec.kind == "time":
        return datetime.time.fromisoformat(text)
    if spec.kind == "bool":
        return text == "1"
    if spec.kind == "int":
        return int(text)
    return text


# Read by every page's layout: its SQL is built once.
_saved = Prepared(lambda: Setting.select(Setting.key, Setting.value), parameters=0)


def load() -> dict:
    """Every setting, typed, with defaults for those never saved.

    Every page reads them (the layout's name and hours), and they change a few times a year: they are
    kept with the database's version and read again at the first call after any commit (from any
    connection or process), so an administrator's save shows on the next page as before. Each caller
    gets its own copy.
    """
    return dict(kept_with_version("settings", _read))


def _read() -> dict:
    values = {spec.key: spec.default for spec in SPECS}
    for key, text in _saved.raw(Setting).tuples():
        spec = SPECS_BY_KEY.get(key)
        if spec is not None:
            values[key] = _from_text(spec, text)
    return values


def parse(spec: SettingSpec, raw: str | None):
    """Check one typed value; returns (value, Vietnamese error or None)."""
    text = clean(raw or "")
    if spec.kind == "bool":
        return text in ("1", "on", "true", "y"), None
    if len(text) > spec.max_length:
        return None, f"Tối đa {spec.max_length} ký tự."
    if spec.kind == "time":
        try:
            return datetime.time.fromisoformat(text), None
        except ValueError:
            return None, "Nhập giờ dạng HH:MM, ví dụ 07:30."
    if spec.kind == "int":
        if not text.isascii() or not text.isdigit() or not spec.minimum <= int(text) <= spec.maximum:
            return None, f"Nhập một số nguyên từ {spec.minimum} đến {spec.maximum}."
        return int(text), None
    if spec.kind == "choice":
        if text not in dict(spec.choices):
            return None, "Hãy chọn một giá trị trong danh sách."
        return text, None
    if spec.kind == "url":
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            return None, "Nhập địa chỉ dạng http://192.168.1.10:8080."
        return text.rstrip("/"), None
    if spec.key == "agency_code":
        error = validate_agency_code(text)
        if error:
            return None, error
    if spec.key == "local_code_prefix":
        text = text.upper()
        error = validate_local_prefix(text)
        if error:
            return None, error
    if spec.key in ("commune", "center_name", "province", "parent_body") and not text:
        return None, "Không được để trống."
    return text, None


def save(values: dict) -> list[str]:
    """Store typed values; returns the keys that changed."""
    current = load()
    changed = []
    for key, value in values.items():
        spec = SPECS_BY_KEY[key]
        if current.get(key) == value:
            continue
        Setting.insert(key=key, value=_to_text(spec, value)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: _to_text(spec, value)}
        ).execute()
        changed.append(key)
    return changed
