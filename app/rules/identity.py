"""Checks and normalisation for what identifies a person: ID number, mobile phone, email."""

from __future__ import annotations

import re
from datetime import date

ID_LENGTH = 12
LEGACY_ID_LENGTH = 9  # the old chứng minh nhân dân, still on older papers
_ID_SEPARATORS = re.compile(r"[\s.\-]")
_FULL_ID = re.compile(rf"[0-9]{{{ID_LENGTH}}}")
_ID_DIGITS = re.compile(rf"[0-9]{{{ID_LENGTH}}}|[0-9]{{{LEGACY_ID_LENGTH}}}")
# Thông tư 59/2021/TT-BCA: the 4th digit is 2 x (centuries since 1900) + 1 for a woman. Only 0-5
# (1900s to 2100s) can belong to anyone alive or about to be born this century.
_HIGHEST_CENTURY_DIGIT = 5
# A plausibility bound, not a legal number: older than this is a typing mistake in the birth year.
MAX_AGE_YEARS = 120
ID_FORMAT_ERROR = "Số định danh cá nhân phải có 12 chữ số (hoặc 9 chữ số với CMND cũ)."
# Thông tư 07/2016/TT-BCA, Phụ lục I: the first three digits name the province where the birth was
# registered. The 63 codes of 2016 stay valid on every number issued, whatever provinces merged since.
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 "
    "038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 "
    "080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)

MOBILE_LENGTH = 10
MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE_CHARACTERS = re.compile(r"\+?[0-9]+")
_COUNTRY_PREFIXES = ("+84", "0084")
MOBILE_FORMAT_ERROR = "Số điện thoại di động phải có 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09."

MAX_EMAIL_LENGTH = 254
_EMAIL = re.compile(r"[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]{2,}")
EMAIL_FORMAT_ERROR = "Địa chỉ email không hợp lệ (ví dụ: nguyenvanan@gmail.com)."


def birth_year_from_id(digits: str) -> int | None:
    """The birth year a 12-digit ID number encodes, or None for a legacy or malformed number."""
    if not _FULL_ID.fullmatch(digits) or int(digits[3]) > _HIGHEST_CENTURY_DIGIT:
        return None
    return 1900 + 100 * (int(digits[3]) // 2) + int(digits[4:6])


def sex_from_id(digits: str) -> str | None:
    """'nam' or 'nữ' as a 12-digit ID number encodes it, or None for a legacy or malformed number."""
    if birth_year_from_id(digits) is None:
        return None
    return "nữ" if int(digits[3]) % 2 else "nam"


def validate_id_number(text: str, today: date) -> tuple[str | None, str | None]:
    """(the digits, None) for a plausible ID number as typed, else (None, a Vietnamese error).

    The number carries no check digit, so what can be checked is its shape and the birth year it implies.
    """
    digits = _ID_SEPARATORS.sub("", text or "")
    if not digits:
        return None, "Chưa nhập số định danh cá nhân."
    if not _ID_DIGITS.fullmatch(digits):
        return None, ID_FORMAT_ERROR
    if len(digits) == LEGACY_ID_LENGTH:
        return digits, None
    if digits[:3] not in PROVINCE_CODES:
        return None, (
            f"Ba chữ số đầu của số định danh cá nhân (mã tỉnh nơi đăng ký khai sinh) không thể là {digits[:3]}; "
            "vui lòng kiểm tra lại."
        )
    year = birth_year_from_id(digits)
    if year is None:
        return None, (
            f"Chữ số thứ tư của số định danh cá nhân (chỉ thế kỷ sinh và giới tính) không thể là {digits[3]}; "
            "vui lòng kiểm tra lại."
        )
    if year > today.year:
        return None, f"Số định danh cá nhân này cho năm sinh {year}, sau năm hiện tại; vui lòng kiểm tra lại."
    if year < today.year - MAX_AGE_YEARS:
        return None, (
            f"Số định danh cá nhân này cho năm sinh {year}, cách đây hơn {MAX_AGE_YEARS} năm; "
            "vui lòng kiểm tra lại."
        )
    return digits, None


def _national_number(compact: str) -> str:
    """The number as dialled inside Vietnam: '+84 912…', '84912…' and '+84 (0) 912…' become '0912…'."""
    for prefix in _COUNTRY_PREFIXES:
        if compact.startswith(prefix):
            rest = compact[len(prefix):]
            return rest if rest.startswith("0") else "0" + rest
    # Without a '+', a leading 84 is a country code only when the length says so: 0 + 9 digits.
    if compact.startswith("84") and len(compact) == MOBILE_LENGTH + 1:
        return "0" + compact[2:]
    return compact


def normalize_phone(text: str) -> tuple[str | None, str | None]:
    """(ten digits from 0, None) for a Vietnamese mobile number however it was written, else (None, error)."""
    compact = _PHONE_SEPARATORS.sub("", text or "")
    if not compact:
        return None, "Chưa nhập số điện thoại."
    if not _PHONE_CHARACTERS.fullmatch(compact):
        return None, "Số điện thoại chỉ gồm chữ số (có thể viết +84 ở đầu)."
    if compact.startswith("+") and not compact.startswith("+84"):
        return None, "Chỉ nhận số điện thoại di động Việt Nam (mã quốc gia +84)."
    number = _national_number(compact)
    if len(number) == MOBILE_LENGTH and number.startswith(MOBILE_PREFIXES):
        return number, None
    if number.startswith("02") and len(number) in (MOBILE_LENGTH, MOBILE_LENGTH + 1):
        return None, (
            "Đây là số máy bàn. Vui lòng nhập số điện thoại di động (10 chữ số, bắt đầu bằng 03, 05, 07, 08 "
            "hoặc 09) để Trung tâm liên hệ được với người nộp hồ sơ."
        )
    # Eleven-digit mobiles (01x…) were renumbered in 2018; people still copy them off old papers.
    if number.startswith("01") and len(number) == MOBILE_LENGTH + 1:
        return None, "Số di động 11 chữ số đầu 01 đã được đổi sang 10 chữ số từ năm 2018; vui lòng nhập số mới."
    return None, MOBILE_FORMAT_ERROR


def validate_email(text: str) -> tuple[str | None, str | None]:
    """(the address in lower case, None) when it looks deliverable, else (None, a Vietnamese error)."""
    email = (text or "").strip().lower()
    if not email:
        return None, "Chưa nhập địa chỉ email."
    # Typing an address with a Vietnamese keyboard on turns 'ans' into 'án': say so instead of just 'invalid'.
    if not email.isascii():
        return None, (
            "Địa chỉ email không được có dấu tiếng Việt; hãy tắt bộ gõ tiếng Việt (Unikey, EVKey…) rồi nhập lại."
        )
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(email):
        return None, EMAIL_FORMAT_ERROR
    return email, None
