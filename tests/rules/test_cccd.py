"""Tests for reading the QR code of a chip ID card as a scanner types it."""

import unicodedata
from datetime import date

import pytest

from app.rules import cccd
from app.rules.cccd import Card, parse, village_in_address

TODAY = date(2026, 12, 3)
ADDRESS = "Thôn Trung Tiết, Xã Thạch Hà, Tỉnh Hà Tĩnh"
CARD_2021 = f"042085001234|182345678|NGUYỄN VĂN ĐỨC|15031985|Nam|{ADDRESS}|10082021"
DUC = Card("042085001234", "182345678", "Nguyễn Văn Đức", date(1985, 3, 15), "Nam", ADDRESS, date(2021, 8, 10))


def card(**changes) -> Card:
    return Card(**{**DUC.__dict__, **changes})


def mojibake(text: str, codec: str) -> str:
    """What a scanner types when it sends the UTF-8 bytes one by one as characters of `codec`."""
    return "".join(bytes([byte]).decode(codec, errors="ignore") or chr(byte) for byte in text.encode("utf-8"))


@pytest.mark.parametrize("text, expected", [
    # 2021 chip card, 7 fields, with the old CMND
    (CARD_2021, DUC),
    # 7 fields, no old CMND
    (f"042085001234||NGUYỄN VĂN ĐỨC|15031985|Nam|{ADDRESS}|10082021", card(old_id="")),
    # 6 fields: readers that leave the old-ID field out
    (f"042085001234|NGUYỄN VĂN ĐỨC|15031985|Nam|{ADDRESS}|10082021", card(old_id="")),
    # 2024 căn cước: fields found by shape, an expiry date in the future ignored, extra text after the address
    (
        f"042185000777|Nguyễn Thị Hoa|Nữ|12051985|Thôn Đông, Xã Thạch Hà|01072024|01072044|Việt Nam|182345678",
        Card("042185000777", "182345678", "Nguyễn Thị Hoa", date(1985, 5, 12), "Nữ", "Thôn Đông, Xã Thạch Hà", date(2024, 7, 1)),
    ),
    # 2024 order with the address before the sex: the second text field is the address
    (
        "042185000777|NGUYỄN THỊ HOA|12051985|Thôn Đông|NỮ",
        Card("042185000777", "", "Nguyễn Thị Hoa", date(1985, 5, 12), "Nữ", "Thôn Đông", None),
    ),
    # a text field between the name and the sex (nationality, place of origin) is not the address
    (
        "042185000777|NGUYỄN THỊ HOA|12051985|Việt Nam|Nữ|Thôn Đông|01072024",
        Card("042185000777", "", "Nguyễn Thị Hoa", date(1985, 5, 12), "Nữ", "Thôn Đông", date(2024, 7, 1)),
    ),
    # of several past dates after the birth, the first is the issue date (the 2021 order)
    (
        "042185000777|NGUYỄN THỊ HOA|12051985|Nữ|Thôn Đông|01072024|15082025",
        Card("042185000777", "", "Nguyễn Thị Hoa", date(1985, 5, 12), "Nữ", "Thôn Đông", date(2024, 7, 1)),
    ),
    # line ending, spaces around fields, doubled spaces, lower-case sex
    (f"  042085001234 | 182345678 |NGUYỄN  VĂN ĐỨC | 15031985 | nam |{ADDRESS} |10082021\r\n", DUC),
    (CARD_2021 + "\n", DUC),
    # decomposed text (NFD) reads the same as precomposed
    (unicodedata.normalize("NFD", CARD_2021), DUC),
    # names: capitals and lower case become title case; a name already in mixed case is kept
    (CARD_2021.replace("NGUYỄN VĂN ĐỨC", "nguyễn văn đức"), DUC),
    (CARD_2021.replace("NGUYỄN VĂN ĐỨC", "H'HEN NIÊ"), card(full_name="H'Hen Niê")),
    (CARD_2021.replace("NGUYỄN VĂN ĐỨC", "Y-Blim McKay"), card(full_name="Y-Blim McKay")),
    # no issue date; an issue date on the birthday itself or tomorrow cannot be one
    (CARD_2021.replace("|10082021", ""), card(issue_date=None)),
    (CARD_2021.replace("|10082021", "|15031985"), card(issue_date=None)),
    (CARD_2021.replace("|10082021", "|04122026"), card(issue_date=None)),
    (CARD_2021.replace("|10082021", "|03122026"), card(issue_date=TODAY)),
    # UTF-8 typed byte by byte as Windows-1252 or Latin-1 characters: undone, that is certain
    (mojibake(CARD_2021, "cp1252"), DUC),
    (mojibake(CARD_2021, "latin-1"), DUC),
])
def test_cards_read(text, expected):
    assert parse(text, TODAY) == expected


@pytest.mark.parametrize("text, words", [
    # a receipt's QR scanned by mistake, or a web address
    ("https://motcua.local/tra-cuu/3kq9XbT0aVf2", "đường dẫn"),
    ("HTTP://192.168.1.10:8080/tra-cuu/abc", "đường dẫn"),
    ("www.dichvucong.gov.vn", "đường dẫn"),
    # a dossier code, a phone number, a plain word
    ("000.00.20.H56-261203-0001", "không phải mã QR của thẻ căn cước"),
    ("0912345678", "không phải mã QR của thẻ căn cước"),
    ("", "không phải mã QR của thẻ căn cước"),
    # emoji, control characters
    (CARD_2021.replace("NGUYỄN", "NGUYỄN 😀"), "không phải mã QR của thẻ căn cước"),
    (CARD_2021.replace("|Nam|", "|Nam\x00|"), "không phải mã QR của thẻ căn cước"),
    # two scans glued together in one box
    (CARD_2021 + "\r\n" + CARD_2021, "từng thẻ một"),
    # text of thousands of characters; the limit itself is exact
    ("A" * 5000, "5.000 ký tự"),
    (CARD_2021 + "|" + "x" * (cccd.MAX_LENGTH - len(CARD_2021)), "601 ký tự"),
    # no 12-digit number, or one that is not an ID (no such province, impossible century)
    ("182345678|NGUYỄN VĂN ĐỨC|15031985|Nam|Thôn Đông", "12 chữ số"),
    (CARD_2021.replace("042085001234", "999085001234"), "mã tỉnh"),
    (CARD_2021.replace("042085001234", "042985001234"), "thứ tư"),
    (CARD_2021.replace("042085001234", "042285001234"), "năm sinh 2085"),  # century 2 = 2000s: not born yet
    # impossible or implausible dates
    (CARD_2021.replace("15031985", "31021985"), "31/02/1985 trên thẻ không có thật"),
    (CARD_2021.replace("15031985", "15131985"), "15/13/1985"),
    (CARD_2021.replace("|10082021", "|00082021"), "00/08/2021"),
    ("042226001234|NGUYỄN VĂN AN|04122026|Nam|Thôn Đông", "sau ngày hôm nay"),
    ("042006001234|NGUYỄN VĂN AN|31121905|Nam|Thôn Đông", "hơn 120 năm"),
    # fields missing
    ("042085001234|NGUYỄN VĂN ĐỨC|Nam|Thôn Đông", "ngày sinh"),
    ("042085001234|NGUYỄN VĂN ĐỨC|15031985|Thôn Đông", "giới tính"),
    ("042085001234|15031985|Nam", "họ và tên"),
    # names that are not names
    (CARD_2021.replace("NGUYỄN VĂN ĐỨC", "NGUYỄN VĂN 2"), "không phải chữ cái"),
    (CARD_2021.replace("NGUYỄN VĂN ĐỨC", "<script>"), "không phải chữ cái"),
    (CARD_2021.replace("NGUYỄN VĂN ĐỨC", "A" * 121), "120 ký tự"),
    (CARD_2021.replace(ADDRESS, "Thôn " + "A" * 296), "300 ký tự"),
])
def test_what_is_not_a_card_is_refused_with_a_reason(text, words):
    with pytest.raises(ValueError) as refused:
        parse(text, TODAY)
    assert words in str(refused.value)


def test_the_length_limits_are_exact():
    longest = CARD_2021 + "|" + "x" * (cccd.MAX_LENGTH - len(CARD_2021) - 1)
    assert len(longest) == cccd.MAX_LENGTH
    assert parse(longest, TODAY) == DUC
    assert parse(CARD_2021.replace("NGUYỄN VĂN ĐỨC", "A" * 120), TODAY).full_name == "A" + "a" * 119
    assert parse(CARD_2021.replace(ADDRESS, "Thôn " + "A" * 295), TODAY).address == "Thôn " + "A" * 295


@pytest.mark.parametrize("text, birth", [
    ("042226001234|NGUYỄN VĂN AN|03122026|Nam|Thôn Đông", date(2026, 12, 3)),  # born today
    ("042006001234|NGUYỄN VĂN AN|01011906|Nam|Thôn Đông", date(1906, 1, 1)),  # 120 years ago this year
])
def test_birth_dates_at_the_bounds(text, birth):
    assert parse(text, TODAY).birth_date == birth


@pytest.mark.parametrize("text", [
    # Unikey/EVKey in Telex or VNI: letters, đ or marked vowels where the scanner typed digits
    CARD_2021.replace("042085001234", "0420850đ1234"),
    CARD_2021.replace("042085001234", "04208500123ư"),
    CARD_2021.replace("042085001234", "O42085001234"),
    CARD_2021.replace("182345678", "18234567đ"),
    CARD_2021.replace("15031985", "150319đ5"),
    CARD_2021.replace("10082021", "1008202â"),
    CARD_2021.replace("15031985", "15o31985"),
])
def test_mangled_by_a_vietnamese_input_method(text):
    with pytest.raises(ValueError) as refused:
        parse(text, TODAY)
    assert str(refused.value) == cccd.INPUT_METHOD
    assert "tiếng Anh (E)" in cccd.INPUT_METHOD


@pytest.mark.parametrize("text", [
    CARD_2021.replace(ADDRESS, "Tổ 12, Khu phố 3"),  # few digits beside letters: an address, not a mangled number
    CARD_2021.replace(ADDRESS, "Số nhà 1234567 đường Lê Lợi"),  # long digits, but spaced words
])
def test_addresses_with_numbers_are_not_taken_for_mangled_input(text):
    assert parse(text, TODAY).address == text.split("|")[5]


@pytest.mark.parametrize("text, warnings", [
    (CARD_2021, ()),
    # the 4th digit says female (1), the card says Nam
    (CARD_2021.replace("042085001234", "042185001234"), ("giới tính Nữ, còn trên thẻ ghi Nam",)),
    # the 5th-6th digits say 1986
    (CARD_2021.replace("042085001234", "042086001234"), ("năm sinh 1986, còn trên thẻ ghi ngày sinh 15/03/1985",)),
    (CARD_2021.replace("042085001234", "042186001234"), ("giới tính Nữ", "năm sinh 1986")),
])
def test_id_number_cross_checked_with_the_card(text, warnings):
    found = parse(text, TODAY).warnings
    assert len(found) == len(warnings)
    for warning, words in zip(found, warnings):
        assert words in warning and "đối chiếu" in warning


def test_a_woman_born_in_the_2000s_reads_without_warning():
    found = parse("042303012345|TRẦN THỊ ĐÀO|01022003|Nữ|Thôn Đông", TODAY)
    assert (found.sex, found.birth_date, found.warnings) == ("Nữ", date(2003, 2, 1), ())


VILLAGES = [(1, "Thôn Trung Tiết"), (2, "Thôn Đông"), (3, "Thôn 1"), (4, "Thôn 10"), (5, "Xóm Bắc")]


@pytest.mark.parametrize("address, village", [
    ("Thôn Trung Tiết, Xã Thạch Hà, Tỉnh Hà Tĩnh", 1),
    ("THÔN TRUNG TIẾT, XÃ THẠCH HÀ", 1),
    ("thon trung tiet, xa thach ha", 1),
    ("Trung Tiết, Thạch Hà", 1),
    ("Xóm Đông, Thạch Hà", 2),  # another word for village, same name
    ("Thôn 1, Thạch Hà", 3),
    ("Thôn 10, Thạch Hà", 4),
    ("Thôn 11, Thạch Hà", None),
    ("Thôn Trung Tiết Nam, Thạch Hà", None),  # a longer name is another village
    ("Số 5 Trung Tiết Xã Thạch Hà", None),  # no comma, no part that is the village alone
    ("Thôn Tây, Xã Kỳ Anh", None),  # no village of the commune: left for the officer
    ("Thôn Đông, Xã Bắc", 2),
    ("Thôn Đông, Xóm Bắc", None),  # two villages named: the officer chooses
    ("", None),
])
def test_village_found_in_the_address(address, village):
    assert village_in_address(address, VILLAGES) == village
