"""Dossier codes, agency codes, status-page tokens and receipt lookup codes, made and read back."""

from __future__ import annotations

import re
import secrets
from datetime import date
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

AGENCY_CODE_PATTERN = r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}"
_AGENCY_CODE = re.compile(AGENCY_CODE_PATTERN)
# A center that also receives on the province's one-stop system gives its own codes a visibly local form,
# TL-261203-0028, so that they are never taken for the province's official <agency>-YYMMDD-NNNN codes.
LOCAL_PREFIX_PATTERN = r"[A-Z]{1,6}"
_LOCAL_PREFIX = re.compile(LOCAL_PREFIX_PATTERN)
_DOSSIER_CODE = re.compile(
    rf"({AGENCY_CODE_PATTERN}|{LOCAL_PREFIX_PATTERN})-([0-9]{{2}})([0-9]{{2}})([0-9]{{2}})-([0-9]{{4}})"
)
# The province's code of a dossier (mã hồ sơ trên hệ thống một cửa điện tử của tỉnh), as its receipt's
# barcode or QR gives it or an officer types it: letters, digits and . _ / -, with a digit and not only
# digits, stored in upper case.
PORTAL_CODE_MIN, PORTAL_CODE_MAX = 3, 60
_PORTAL_CODE = re.compile(rf"[A-Z0-9._/-]{{{PORTAL_CODE_MIN},{PORTAL_CODE_MAX}}}")
# In a scanned address, the query parameter that carries the code (maHoSo, ma_ho_so, MaHoSo, code...).
_PORTAL_CODE_PARAMETER = re.compile(r"ma_?ho_?so|mahs|code|ma", re.IGNORECASE)
# Inside a longer scan (a scanner's prefix, another system's QR text) a code must not be glued to more of one.
_DATE_AND_NUMBER = r"-([0-9]{2})([0-9]{2})([0-9]{2})-([0-9]{4})(?![0-9])"
# A local prefix is letters only, so it must not begin inside a word: "…nhậnTL-…" is no code at all.
_EMBEDDED_DOSSIER_CODES = (
    re.compile(rf"(?<![0-9A-Z.])({AGENCY_CODE_PATTERN}){_DATE_AND_NUMBER}"),
    re.compile(rf"(?<![\w.])({LOCAL_PREFIX_PATTERN}){_DATE_AND_NUMBER}"),
)
_WHITESPACE = re.compile(r"\s+")

MAX_SEQUENCE = 9999

TOKEN_BYTES = 24  # 192 bits: far past guessing, and still a QR code a cheap USB scanner reads at once.
TOKEN_LENGTH = 32  # len(secrets.token_urlsafe(TOKEN_BYTES))
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
STATUS_PATH = "/tra-cuu/"
_STATUS_URL = re.compile(rf"{re.escape(STATUS_PATH)}([A-Za-z0-9_-]+)")

# Read off a receipt, typed by an elderly citizen or spelled over the phone, so nothing here has a twin:
# no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V or 6/G; and no F, J, W, which are not letters of the Vietnamese
# alphabet and are awkward to say aloud. 17 symbols, 4 long: 83,521 codes, enough as the second half of a
# lookup that already needs the dossier code.
LOOKUP_ALPHABET = "34679ACEHKMNPRTXY"
LOOKUP_LENGTH = 4
_LOOKUP = re.compile(rf"[{LOOKUP_ALPHABET}]{{{LOOKUP_LENGTH}}}")

MAX_SCAN_LENGTH = 300
_SUFFIX = re.compile(r"[0-9]{1,4}")
# A code's date and number as read off the receipt: 261203-0022, 261203 22, 2612030022.
_DAY_AND_SEQUENCE = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})-?([0-9]{1,4})")
_SEPARATORS = re.compile(r"[\s.]")


class DossierCode(NamedTuple):
    agency: str
    day: date
    sequence: int


def validate_agency_code(text: str) -> str | None:
    """None when `text` is a QCVN 102:2016 agency code (e.g. 000.00.20.H56), else what is wrong with it.

    Strict on purpose: the code is printed on every receipt, so the settings form stores exactly what passed.
    """
    if not text or not text.strip():
        return "Chưa nhập mã đơn vị."
    if not _AGENCY_CODE.fullmatch(text):
        return (
            "Mã đơn vị phải có dạng 000.00.20.H56: ba chữ số, dấu chấm, hai chữ số, dấu chấm, hai chữ số, "
            "dấu chấm, rồi một chữ cái in hoa và hai chữ số."
        )
    return None


def validate_local_prefix(text: str) -> str | None:
    """None when `text` can begin the center's own codes in their local form (TL-261203-0028), else why not."""
    if not _LOCAL_PREFIX.fullmatch(text or ""):
        return "Tiền tố gồm 1 đến 6 chữ cái in hoa không dấu (A–Z), ví dụ TL."
    return None


def format_dossier_code(agency_code: str, day: date, sequence: int) -> str:
    """'000.00.20.H56-250815-0001': the receiving unit, the day received and the number within that day.

    `agency_code` may also be the center's local prefix ('TL-250815-0001'), when the province's system
    gives dossiers their official codes.
    """
    if validate_agency_code(agency_code) and validate_local_prefix(agency_code):
        raise ValueError(f"not an agency code or a local prefix: {agency_code!r}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"dossier sequence must be 1..{MAX_SEQUENCE}, got {sequence}")
    return f"{agency_code}-{day:%y%m%d}-{sequence:04d}"


def _to_dossier_code(match: re.Match) -> DossierCode | None:
    agency, year, month, day, sequence = match.groups()
    try:
        received = date(2000 + int(year), int(month), int(day))
    except ValueError:
        return None
    if int(sequence) == 0:
        return None
    return DossierCode(agency, received, int(sequence))


def parse_dossier_code(text: str) -> DossierCode | None:
    """The parts of a dossier code however it was typed (case, stray spaces), or None if it is not one."""
    match = _DOSSIER_CODE.fullmatch(_WHITESPACE.sub("", text).upper())
    return _to_dossier_code(match) if match else None


class PartialCode(NamedTuple):
    """As much of a dossier code as a citizen typed: all of it, its date and number, or its number alone."""

    sequence: int
    day: date | None = None
    agency: str | None = None


def parse_day_and_sequence(text: str) -> PartialCode | None:
    """A code's date and number ('261203-0022', '261203 22'), or None when `text` is not one."""
    match = _DAY_AND_SEQUENCE.fullmatch(_SEPARATORS.sub("", text))
    if not match:
        return None
    year, month, day, sequence = (int(part) for part in match.groups())
    try:
        received = date(2000 + year, month, day)
    except ValueError:
        return None
    return PartialCode(sequence, received) if sequence else None


def parse_partial_code(scanned: str) -> PartialCode | None:
    """What a citizen put in the kiosk's box beside a lookup code, if it names a dossier.

    A whole code (also inside a longer scan), its date and number, or its number alone; which dossier a
    short form stands for is for the caller to find out. None for a token or for anything unreadable.
    """
    found = extract_token_or_code(scanned)
    if found is None:
        return parse_day_and_sequence(scanned) if len(scanned) <= MAX_SCAN_LENGTH else None
    kind, value = found
    if kind == "code":
        code = parse_dossier_code(value)
        return PartialCode(code.sequence, code.day, code.agency)
    if kind == "suffix":
        return PartialCode(int(value))
    return None


def parse_portal_code(scanned: str) -> str | None:
    """The province's code of a dossier from what was scanned or typed, in upper case; None when it is not one.

    A scanner gives the code itself, or an address that carries it as a parameter (…?maHoSo=G22.39-…) or
    as its last part (…/ho-so/G22.39-…).
    """
    text = _WHITESPACE.sub("", scanned or "")
    if not text or len(text) > MAX_SCAN_LENGTH or _STATUS_URL.search(text):
        # Our own receipt's QR, scanned by mistake, is not the province's code.
        return None
    if "://" in text:
        parts = urlsplit(text)
        values = [value for name, value in parse_qsl(parts.query) if _PORTAL_CODE_PARAMETER.fullmatch(name)]
        segments = [segment for segment in parts.path.split("/") if segment]
        text = values[0] if values else (unquote(segments[-1]) if segments else "")
    code = text.upper()
    # A digit, and a letter or a separator: a bare number is a code's last digits or a phone, not this.
    if not _PORTAL_CODE.fullmatch(code) or code.isdigit() or not any(character.isdigit() for character in code):
        return None
    return code


def official_code(code: str, portal_code: str, uses_province_system: bool) -> str:
    """The code a citizen is shown: the province's when the center also receives on the province's system
    and the dossier has one, else the center's own."""
    return portal_code if uses_province_system and portal_code else code


def new_status_token() -> str:
    """The unguessable part of a dossier's public status address, printed as the receipt's QR code."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(text: str) -> bool:
    """Whether `text` could be a status token, so garbage is turned away before any database lookup."""
    return bool(_TOKEN.fullmatch(text))


def new_lookup_code() -> str:
    """The short secret printed on the receipt that, with the dossier code, opens the status page."""
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_LENGTH))


def normalize_lookup_code(text: str) -> str | None:
    """The lookup code as stored, or None when `text` cannot be one."""
    code = text.strip().upper()
    return code if _LOOKUP.fullmatch(code) else None


def extract_token_or_code(scanned: str) -> tuple[str, str] | None:
    """Make sense of what a QR scanner or a person put in the lookup box.

    ('token', token) for a status address from any host (the caller decides whether to trust it) or a
    bare token; ('code', DOSSIER-CODE) for a dossier code; ('suffix', '0012') for the last digits of one;
    None for anything else.
    """
    if len(scanned) > MAX_SCAN_LENGTH:
        return None
    text = scanned.strip()
    url = _STATUS_URL.search(text)
    token = url.group(1) if url else text
    if looks_like_token(token):
        return ("token", token)
    compact = _WHITESPACE.sub("", text).upper()
    if _SUFFIX.fullmatch(compact) and int(compact):
        return ("suffix", compact.zfill(4))
    for embedded in _EMBEDDED_DOSSIER_CODES:
        for match in embedded.finditer(compact):
            if code := _to_dossier_code(match):
                return ("code", format_dossier_code(*code))
    return None
