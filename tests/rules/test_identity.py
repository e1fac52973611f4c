"""Tests for ID numbers, mobile phones and email addresses."""

from datetime import date

import pytest

from app.rules.identity import (
    ID_FORMAT_ERROR,
    birth_year_from_id,
    normalize_phone,
    sex_from_id,
    validate_email,
    validate_id_number,
)

TODAY = date(2025, 8, 15)


@pytest.mark.parametrize("digits, year, sex", [
    ("001203012345", 2003, "nam"),  # Hà Nội, 2 = 2000s, male
    ("001303012345", 2003, "nữ"),
    ("079085001234", 1985, "nam"),  # Hồ Chí Minh, 0 = 1900s, male
    ("036154000321", 1954, "nữ"),  # Nam Định, 1 = 1900s, female
    ("040225998877", 2025, "nam"),
    ("001400012345", 2100, "nam"),
    ("001500012345", 2100, "nữ"),
    ("001600012345", None, None),  # 2200s: nobody yet
    ("001903012345", None, None),
    ("123456789", None, None),  # legacy CMND carries no birth year
    ("00120301234", None, None),
    ("0012030123ab", None, None),
    ("", None, None),
])
def test_birth_year_and_sex_from_id(digits, year, sex):
    assert birth_year_from_id(digits) == year
    assert sex_from_id(digits) == sex


@pytest.mark.parametrize("text, expected", [
    ("001203012345", "001203012345"),
    ("  001 203 012 345 ", "001203012345"),
    ("001.203.012.345", "001203012345"),
    ("079-085-001234", "079085001234"),
    ("036154000321", "036154000321"),
    ("096185000111", "096185000111"),  # Cà Mau, the highest province code
    ("040225998877", "040225998877"),  # born this year: a newborn's birth registration
    ("001005012345", "001005012345"),  # born 1905, 120 years ago: old, but possible
    ("123456789", "123456789"),  # CMND taken as it is
    ("123 456 789", "123456789"),
])
def test_valid_id_numbers(text, expected):
    assert validate_id_number(text, TODAY) == (expected, None)


@pytest.mark.parametrize("text", [
    "00120301234",  # 11 digits
    "0012030123456",  # 13 digits
    "12345678",  # 8 digits
    "1234567890",  # 10 digits
    "00120301234O",  # letter O typed for a zero
    "C01234567",  # a passport number
    "001203012345a",
    "０01203012345",  # full-width digit
])
def test_id_numbers_of_the_wrong_shape(text):
    assert validate_id_number(text, TODAY) == (None, ID_FORMAT_ERROR)


@pytest.mark.parametrize("text, words", [
    ("001299012345", "2099"),  # century digit 2 with year 99: not born yet
    ("001226012345", "2026"),  # next year
    ("001400012345", "2100"),
    ("001004012345", "1904"),  # more than 120 years ago
    ("001600012345", "thứ tư"),
    ("000203012345", "mã tỉnh"),  # no province has code 000
    ("003203012345", "003"),  # a gap between two real codes
    ("097203012345", "097"),  # one past Cà Mau
    ("123203012345", "123"),
    ("001903012345", "thứ tư"),
])
def test_implausible_id_numbers_are_explained(text, words):
    digits, error = validate_id_number(text, TODAY)
    assert digits is None
    assert words in error and "kiểm tra lại" in error


def test_the_future_moves_with_today():
    assert validate_id_number("001226012345", date(2026, 1, 1)) == ("001226012345", None)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_missing_id_number(text):
    assert validate_id_number(text, TODAY) == (None, "Chưa nhập số định danh cá nhân.")


@pytest.mark.parametrize("text, expected", [
    ("0912345678", "0912345678"),
    ("0912 345 678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("0912-345-678", "0912345678"),
    ("(091) 234-5678", "0912345678"),
    ("+84912345678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("+84 (0) 912 345 678", "0912345678"),
    ("84912345678", "0912345678"),
    ("0084 912 345 678", "0912345678"),
    ("0321234567", "0321234567"),  # Viettel 03x
    ("0563456789", "0563456789"),
    ("0701234567", "0701234567"),
    ("0886543210", "0886543210"),
    ("0841234567", "0841234567"),  # 084 is a mobile prefix, not a country code
    (" 0987654321\n", "0987654321"),
])
def test_valid_mobile_numbers(text, expected):
    assert normalize_phone(text) == (expected, None)


@pytest.mark.parametrize("text, words", [
    ("02838123456", "máy bàn"),  # Hồ Chí Minh landline
    ("024 3825 1234", "máy bàn"),  # Hà Nội landline
    ("+84 24 3825 1234", "máy bàn"),
    ("01689123456", "2018"),  # an old 11-digit mobile
    ("091234567", "10 chữ số"),
    ("09123456789", "10 chữ số"),
    ("0612345678", "10 chữ số"),  # 06 is not a mobile prefix
    ("912345678", "10 chữ số"),  # leading zero forgotten
    ("1900 1234", "10 chữ số"),
    ("0912abc678", "chỉ gồm chữ số"),
    ("09123+45678", "chỉ gồm chữ số"),
    ("+1 415 555 0100", "+84"),
    ("", "Chưa nhập"),
    (None, "Chưa nhập"),
])
def test_invalid_phone_numbers_are_explained(text, words):
    number, error = normalize_phone(text)
    assert number is None
    assert words in error


def test_landline_message_asks_for_a_mobile():
    _, error = normalize_phone("02838123456")
    assert "di động" in error


@pytest.mark.parametrize("text, expected", [
    ("nguyenvanan@gmail.com", "nguyenvanan@gmail.com"),
    ("  NguyenVanAn@Gmail.com ", "nguyenvanan@gmail.com"),
    ("ubnd.xa@quangtri.gov.vn", "ubnd.xa@quangtri.gov.vn"),
    ("tran_thi.b+hoso@yahoo.com.vn", "tran_thi.b+hoso@yahoo.com.vn"),
])
def test_valid_emails(text, expected):
    assert validate_email(text) == (expected, None)


@pytest.mark.parametrize("text", [
    "nguyenvanan",
    "nguyenvanan@",
    "@gmail.com",
    "nguyenvanan@gmail",
    "nguyenvanan@gmail.c",
    "nguyenvanan@@gmail.com",
    "nguyen van an@gmail.com",
    "an@gmail..com",
    "an@.gmail.com",
    "a@x.com, b@y.com",
    "a" * 250 + "@gmail.com",
])
def test_invalid_emails(text):
    email, error = validate_email(text)
    assert email is None
    assert "email không hợp lệ" in error


def test_email_typed_with_the_vietnamese_keyboard_on_gets_a_hint():
    email, error = validate_email("nguyenvanán@gmail.com")
    assert email is None
    assert "tắt bộ gõ tiếng Việt" in error


def test_missing_email():
    assert validate_email("  ") == (None, "Chưa nhập địa chỉ email.")
