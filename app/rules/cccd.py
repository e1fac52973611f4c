"""Reading the QR code of a citizen's chip ID card (căn cước công dân, căn cước) as a USB scanner types it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Hashable, Iterable

from .identity import MAX_AGE_YEARS, birth_year_from_id, sex_from_id, validate_id_number
from .text import clean, fold, nfc

SEPARATOR = "|"
# A 2021 card's QR holds about 150 characters and the 2024 card's a few fields more; anything far longer
# is a document or a paste, not a card.
MAX_LENGTH = 600
MAX_NAME_LENGTH = 120
MAX_ADDRESS_LENGTH = 300
SEXES = {"nam": "Nam", "nu": "Nữ"}

_ID = re.compile(r"[0-9]{12}")
_OLD_ID = re.compile(r"[0-9]{9}")
_DATE = re.compile(r"[0-9]{8}")
# A field that was meant to be a number or a date (an ID or DDMMYYYY) but has letters in it.
_DIGITS_WITH_LETTERS = re.compile(r"(?=(?:\D*\d){6})(?=.*[^\W\d_])\S{7,14}")
# Words of letters, joined inside by an apostrophe or a hyphen (H'Hen Niê, Kpă-Ksor).
_NAME = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*(?: [^\W\d_]+(?:['’\-][^\W\d_]+)*)*")
_WORD = re.compile(r"[^\W\d_]+")
# Pictographs (emoji), control characters and code points no card prints.
_JUNK_CATEGORIES = frozenset({"So", "Cc", "Cf", "Co", "Cn", "Cs"})
_URL = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://|www\.)", re.IGNORECASE)
# What a village is called before its name in an address: "Thôn Trung Tiết", "Xóm 3", "Ấp Tân Hòa".
_VILLAGE_PREFIXES = ("to dan pho", "khu pho", "thon", "xom", "ap", "ban", "buon", "lang", "khom", "to")

NOT_A_CARD = "Nội dung vừa quét không phải mã QR của thẻ căn cước; hãy quét mã QR in trên thẻ."
URL_SCANNED = (
    "Nội dung vừa quét là một đường dẫn (như mã QR trên giấy biên nhận), không phải mã QR của thẻ căn cước."
)
INPUT_METHOD = (
    "Bộ gõ tiếng Việt (Unikey, EVKey…) đang bật nên máy quét gõ sai chữ: hãy chuyển bộ gõ sang tiếng Anh (E) "
    "rồi quét lại thẻ."
)
NO_ID = "Không thấy số định danh 12 chữ số trong nội dung vừa quét; " + NOT_A_CARD[0].lower() + NOT_A_CARD[1:]
TWO_SCANS = "Nội dung vừa quét có nhiều dòng, như hai lần quét dính vào nhau; hãy quét lại từng thẻ một."
NO_BIRTH_DATE = "Không thấy ngày sinh (ngày, tháng, năm viết liền 8 chữ số) trong nội dung vừa quét."
NO_SEX = "Không thấy giới tính (Nam hoặc Nữ) trong nội dung vừa quét."
NO_NAME = "Không thấy họ và tên trong nội dung vừa quét."
BAD_NAME = "Họ và tên đọc được có ký tự không phải chữ cái; hãy quét lại thẻ."


@dataclass(frozen=True)
class Card:
    """What the card's QR says about its holder, cleaned; `warnings` are things for the officer to check."""

    id_number: str
    old_id: str
    full_name: str
    birth_date: date
    sex: str
    address: str
    issue_date: date | None
    warnings: tuple[str, ...] = ()


def parse(text: str, today: date) -> Card:
    """The card behind a scanned QR text; ValueError with a Vietnamese sentence for anything else.

    The app passes its own clock's `today`; it bounds the birth and issue dates.
    """
    text = nfc(_undo_mojibake(text or "")).strip()
    if len(text) > MAX_LENGTH:
        raise ValueError(
            f"Nội dung vừa quét dài {_thousands(len(text))} ký tự, quá dài cho mã QR của thẻ căn cước "
            f"(tối đa {MAX_LENGTH}); hãy quét lại đúng mã QR in trên thẻ."
        )
    if _URL.match(text):
        raise ValueError(URL_SCANNED)
    if "\n" in text or "\r" in text:
        raise ValueError(TWO_SCANS)
    if SEPARATOR not in text or any(unicodedata.category(char) in _JUNK_CATEGORIES for char in text):
        raise ValueError(NOT_A_CARD)
    fields = [clean(part) for part in text.split(SEPARATOR)]
    if any(_DIGITS_WITH_LETTERS.fullmatch(field) for field in fields):
        raise ValueError(INPUT_METHOD)
    id_number = _first(fields, _ID)
    if id_number is None:
        raise ValueError(NO_ID)
    id_number, error = validate_id_number(id_number, today)
    if error:
        raise ValueError(error)
    dates = [_date(field) for field in fields if _DATE.fullmatch(field)]
    if not dates:
        raise ValueError(NO_BIRTH_DATE)
    birth_date = dates[0]
    if birth_date > today:
        raise ValueError(f"Ngày sinh {birth_date:%d/%m/%Y} sau ngày hôm nay; hãy quét lại thẻ.")
    if birth_date.year < today.year - MAX_AGE_YEARS:
        raise ValueError(f"Ngày sinh {birth_date:%d/%m/%Y} cách đây hơn {MAX_AGE_YEARS} năm; hãy quét lại thẻ.")
    sex_at = next((index for index, field in enumerate(fields) if fold(field) in SEXES), None)
    if sex_at is None:
        raise ValueError(NO_SEX)
    sex = SEXES[fold(fields[sex_at])]
    words = [(index, field) for index, field in enumerate(fields) if _is_words(field) and index != sex_at]
    if not words:
        raise ValueError(NO_NAME)
    full_name = _name(words[0][1])
    after_sex = [field for index, field in words[1:] if index > sex_at]
    address = (after_sex or [field for _, field in words[1:]] or [""])[0]
    if len(address) > MAX_ADDRESS_LENGTH:
        raise ValueError(f"Địa chỉ đọc được dài hơn {MAX_ADDRESS_LENGTH} ký tự; hãy quét lại thẻ.")
    # Only the 2021 layouts are published: there the issue date follows the birth date. The 2024 card may
    # add other dates (its expiry among them), so only one that can have happened already is taken.
    issued = [day for day in dates[1:] if birth_date < day <= today]
    return Card(
        id_number=id_number,
        old_id=_first(fields, _OLD_ID) or "",
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        address=address,
        issue_date=issued[0] if issued else None,
        warnings=_cross_check(id_number, birth_date, sex),
    )


def village_in_address(address: str, villages: Iterable[tuple[Hashable, str]]) -> Hashable | None:
    """The key of the one village the address names in one of its comma-separated parts, else None."""
    parts = {_bare_place(part) for part in address.split(",")}
    found = {key for key, name in villages if _bare_place(name) in parts}
    return found.pop() if len(found) == 1 else None


def _cross_check(id_number: str, birth_date: date, sex: str) -> tuple[str, ...]:
    warnings = []
    encoded_sex = sex_from_id(id_number)
    if encoded_sex is not None and SEXES[fold(encoded_sex)] != sex:
        warnings.append(
            f"Số định danh {id_number} ứng với giới tính {SEXES[fold(encoded_sex)]}, còn trên thẻ ghi {sex}: "
            "hãy đối chiếu với người nộp."
        )
    encoded_year = birth_year_from_id(id_number)
    if encoded_year is not None and encoded_year != birth_date.year:
        warnings.append(
            f"Số định danh {id_number} ứng với năm sinh {encoded_year}, còn trên thẻ ghi ngày sinh "
            f"{birth_date:%d/%m/%Y}: hãy đối chiếu với người nộp."
        )
    return tuple(warnings)


def _first(fields: list[str], shape: re.Pattern) -> str | None:
    return next((field for field in fields if shape.fullmatch(field)), None)


def _date(field: str) -> date:
    try:
        return date(int(field[4:]), int(field[2:4]), int(field[:2]))
    except ValueError:
        raise ValueError(f"Ngày {field[:2]}/{field[2:4]}/{field[4:]} trên thẻ không có thật; hãy quét lại thẻ.") from None


def _is_words(field: str) -> bool:
    """A field of text (a name, an address) rather than a number, a date or nothing."""
    return bool(_WORD.search(field))


def _name(field: str) -> str:
    if len(field) > MAX_NAME_LENGTH:
        raise ValueError(f"Họ và tên đọc được dài hơn {MAX_NAME_LENGTH} ký tự; hãy quét lại thẻ.")
    if not _NAME.fullmatch(field):
        raise ValueError(BAD_NAME)
    # Cards print names in capitals; a form wants "Nguyễn Văn Đức". A name already in mixed case is kept.
    if field.isupper() or field.islower():
        return _WORD.sub(lambda word: word.group(0).capitalize(), field)
    return field


def _bare_place(text: str) -> str:
    """A place name without diacritics, case or the word for its kind: 'Thôn Trung Tiết' -> 'trung tiet'."""
    folded = fold(text)
    for prefix in _VILLAGE_PREFIXES:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1:]
    return folded


def _undo_mojibake(text: str) -> str:
    """Undo a scanner that typed the QR's UTF-8 bytes one by one as Windows-1252 characters ('Nguyá»…n').

    Certain when it works: real Vietnamese text (ễ, ư, ơ…) has letters Windows-1252 cannot hold, and a
    Windows-1252 text that is not UTF-8 in disguise fails to decode.
    """
    if text.isascii():
        return text
    try:
        raw = b"".join(_cp1252_byte(char) for char in text)
        return raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _cp1252_byte(char: str) -> bytes:
    # The five bytes Windows-1252 leaves undefined come through as the C1 control of the same number.
    if 0x80 <= ord(char) <= 0x9F:
        return bytes([ord(char)])
    return char.encode("cp1252")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")
