"""Tests for dossier codes, agency codes, status tokens and lookup codes."""

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.codes import (
    LOOKUP_ALPHABET,
    DossierCode,
    PartialCode,
    extract_token_or_code,
    format_dossier_code,
    looks_like_token,
    new_lookup_code,
    new_status_token,
    normalize_lookup_code,
    parse_day_and_sequence,
    parse_dossier_code,
    parse_partial_code,
    parse_portal_code,
    validate_agency_code,
    validate_local_prefix,
)

AGENCY = "000.00.20.H56"
TOKEN = "k3Jd9_xQ-2mZpL7vR0aB5cN8eT1wY4uF"  # the shape secrets.token_urlsafe(24) gives


@pytest.mark.parametrize("agency, day, sequence, expected", [
    (AGENCY, date(2025, 8, 15), 1, "000.00.20.H56-250815-0001"),
    (AGENCY, date(2026, 1, 2), 37, "000.00.20.H56-260102-0037"),
    ("000.12.34.H29", date(2028, 2, 29), 9999, "000.12.34.H29-280229-9999"),
])
def test_format_dossier_code(agency, day, sequence, expected):
    assert format_dossier_code(agency, day, sequence) == expected


@pytest.mark.parametrize("sequence", [0, -1, 10000])
def test_format_refuses_a_sequence_that_does_not_fit_four_digits(sequence):
    with pytest.raises(ValueError):
        format_dossier_code(AGENCY, date(2025, 8, 15), sequence)


def test_format_refuses_a_malformed_agency_code():
    with pytest.raises(ValueError):
        format_dossier_code("H56", date(2025, 8, 15), 1)


@pytest.mark.parametrize("text, expected", [
    ("000.00.20.H56-250815-0001", DossierCode(AGENCY, date(2025, 8, 15), 1)),
    ("  000.00.20.H56-250815-0012\n", DossierCode(AGENCY, date(2025, 8, 15), 12)),
    ("000.00.20.h56-250815-0012", DossierCode(AGENCY, date(2025, 8, 15), 12)),
    ("000.00.20.H56 - 260301 - 0400", DossierCode(AGENCY, date(2026, 3, 1), 400)),
    ("000.00.20.H56-280229-0001", DossierCode(AGENCY, date(2028, 2, 29), 1)),
    ("000.00.20.H56-260230-0001", None),  # 30 February
    ("000.00.20.H56-270229-0001", None),  # 2027 is not a leap year
    ("000.00.20.H56-251301-0001", None),  # month 13
    ("000.00.20.H56-250815-0000", None),  # sequences start at 0001
    ("000.00.20.H56-250815-٠٠٠١", None),
    ("000.00.20.H56-250815-001", None),
    ("000.00.20.H56-250815-00001", None),
    ("000.00.20.H56-2508150001", None),
    ("000.00.20-250815-0001", None),
    ("G22.386-250815-0001", None),
    ("", None),
    ("mã hồ sơ", None),
])
def test_parse_dossier_code(text, expected):
    assert parse_dossier_code(text) == expected


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    sequence=st.integers(min_value=1, max_value=9999),
)
def test_format_then_parse_gives_the_parts_back(day, sequence):
    assert parse_dossier_code(format_dossier_code(AGENCY, day, sequence)) == (AGENCY, day, sequence)


@pytest.mark.parametrize("text", ["000.00.20.H56", "000.12.34.H29", "123.45.67.A01", "000.00.00.G22"])
def test_valid_agency_codes(text):
    assert validate_agency_code(text) is None


@pytest.mark.parametrize("text", [
    "", "   ", "H56", "000.00.20.h56", "000.00.20.H5", "000.00.20.H567", "00.00.20.H56", "000.0.20.H56",
    "000.00.20.56", "000-00-20-H56", " 000.00.20.H56", "000.00.20.Đ56",
])
def test_invalid_agency_codes_get_a_vietnamese_message(text):
    message = validate_agency_code(text)
    assert message and ("mã đơn vị" in message.lower())


def test_agency_code_message_shows_the_expected_shape():
    assert "000.00.20.H56" in validate_agency_code("UBND xã")


def test_status_tokens_are_long_url_safe_and_different():
    tokens = {new_status_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) >= 22  # at least 128 bits of base64
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert looks_like_token(token)


@pytest.mark.parametrize("text, expected", [
    (TOKEN, True),
    (TOKEN[:-1], False),
    (TOKEN + "A", False),
    (TOKEN[:-1] + "=", False),
    (TOKEN[:-1] + "/", False),
    (" " + TOKEN[1:], False),
    ("000.00.20.H56-250815-0001", False),
    ("", False),
])
def test_looks_like_token(text, expected):
    assert looks_like_token(text) is expected


@pytest.mark.parametrize("twins", ["0O", "OQ", "OD", "1I", "IL", "2Z", "5S", "8B", "UV", "6G"])
def test_lookup_alphabet_has_no_look_alikes(twins):
    assert not set(twins) <= set(LOOKUP_ALPHABET)


def test_lookup_alphabet_is_uppercase_letters_and_digits_without_repeats():
    assert re.fullmatch(r"[A-Z0-9]+", LOOKUP_ALPHABET)
    assert len(set(LOOKUP_ALPHABET)) == len(LOOKUP_ALPHABET)
    assert not set("0O1IL2Z5S8BUVDQ") & set(LOOKUP_ALPHABET)


def test_new_lookup_codes_use_the_whole_alphabet_and_only_it():
    codes = [new_lookup_code() for _ in range(500)]
    assert all(len(code) == 4 and set(code) <= set(LOOKUP_ALPHABET) for code in codes)
    assert set("".join(codes)) == set(LOOKUP_ALPHABET)
    assert all(normalize_lookup_code(code) == code for code in codes)


@pytest.mark.parametrize("text, expected", [
    ("K7MX", "K7MX"),
    ("  k7mx ", "K7MX"),
    ("4acE\t", "4ACE"),
    ("K7M", None),
    ("K7MXY", None),
    ("K0MX", None),  # 0 is never printed: the citizen misread an O or typed a wrong code
    ("K7 MX", None),
    ("", None),
])
def test_normalize_lookup_code(text, expected):
    assert normalize_lookup_code(text) == expected


@pytest.mark.parametrize("scanned, expected", [
    (f"http://192.168.1.10:8080/tra-cuu/{TOKEN}", ("token", TOKEN)),
    (f"https://motcua.example.vn/tra-cuu/{TOKEN}?utm_source=qr&lang=vi", ("token", TOKEN)),
    (f"https://other-host.example.com/tra-cuu/{TOKEN}/", ("token", TOKEN)),
    (f"https://motcua.example.vn/tra-cuu/{TOKEN}#ket-qua", ("token", TOKEN)),
    (f"  http://motcua.local/tra-cuu/{TOKEN}\r\n", ("token", TOKEN)),
    (f"QR:http://motcua.local/tra-cuu/{TOKEN}", ("token", TOKEN)),
    (f"/tra-cuu/{TOKEN}", ("token", TOKEN)),
    (TOKEN, ("token", TOKEN)),
    (f" {TOKEN} ", ("token", TOKEN)),
    ("http://motcua.local/tra-cuu/abc", None),
    ("http://motcua.local/tra-cuu/", None),
    ("000.00.20.H56-250815-0001", ("code", "000.00.20.H56-250815-0001")),
    ("000.00.20.h56-250815-0001", ("code", "000.00.20.H56-250815-0001")),
    ("  000.00.20.H56 - 250815 - 0001  ", ("code", "000.00.20.H56-250815-0001")),
    ("MaHS:000.00.20.H56-250815-0001;MaTTHC:2.000815", ("code", "000.00.20.H56-250815-0001")),
    ("000.00.20.H56-260230-0001", None),
    ("000.00.20.H56-250815-12345", None),
    ("0012", ("suffix", "0012")),
    ("12", ("suffix", "0012")),
    (" 7 ", ("suffix", "0007")),
    ("9999", ("suffix", "9999")),
    ("0", None),
    ("0000", None),
    ("12345", None),
    ("٠٠١٢", None),  # digits of another script are not sequence numbers
    ("-12", None),
    ("Nguyễn Văn An", None),
    ("", None),
    ("   ", None),
    ("'; DROP TABLE dossier; --", None),
])
def test_extract_token_or_code(scanned, expected):
    assert extract_token_or_code(scanned) == expected


@pytest.mark.parametrize("scanned", [
    "A" * 5000,
    "1" * 5000,
    f"http://motcua.local/tra-cuu/{TOKEN}?" + "x" * 5000,
    " " * 280 + "000.00.20.H56-250815-0001",
])
def test_extract_refuses_overly_long_input(scanned):
    assert extract_token_or_code(scanned) is None


def test_extract_accepts_input_up_to_the_limit():
    assert extract_token_or_code(" " * 275 + "000.00.20.H56-250815-0001") == ("code", "000.00.20.H56-250815-0001")


@pytest.mark.parametrize("typed, expected", [
    ("261203-0022", PartialCode(22, date(2026, 12, 3))),
    ("261203-22", PartialCode(22, date(2026, 12, 3))),
    (" 261203 - 0022 ", PartialCode(22, date(2026, 12, 3))),
    ("2612030022", PartialCode(22, date(2026, 12, 3))),
    ("26.12.03-0022", PartialCode(22, date(2026, 12, 3))),
    ("280229-9999", PartialCode(9999, date(2028, 2, 29))),
    ("261231-1", PartialCode(1, date(2026, 12, 31))),
    ("270229-0001", None),  # 2027 has no 29 February
    ("261301-0001", None),
    ("261200-0001", None),
    ("261203-0000", None),
    ("261203-12345", None),
    ("26120-0022", None),
    ("261203-", None),
    ("261203--0022", None),
    ("٢٦١٢٠٣-٠٠٢٢", None),  # digits of another script
    ("", None),
])
def test_parse_day_and_sequence(typed, expected):
    assert parse_day_and_sequence(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("000.00.20.H56-261203-0022", PartialCode(22, date(2026, 12, 3), AGENCY)),
    ("MaHS:000.00.20.h56-261203-0022", PartialCode(22, date(2026, 12, 3), AGENCY)),
    ("261203-0022", PartialCode(22, date(2026, 12, 3))),
    ("0022", PartialCode(22)),
    ("22", PartialCode(22)),
    (" 9999 ", PartialCode(9999)),
    ("0", None),
    ("10000", None),
    (TOKEN, None),
    (f"http://192.168.1.10:8080/tra-cuu/{TOKEN}", None),
    ("Nguyễn Văn An", None),
    ("1" * 400, None),
    ("", None),
])
def test_parse_partial_code(typed, expected):
    assert parse_partial_code(typed) == expected


# --- The local form of the center's own codes, beside the province's official ones -----------------------


@pytest.mark.parametrize("prefix, day, sequence, expected", [
    ("TL", date(2026, 12, 3), 28, "TL-261203-0028"),
    ("A", date(2026, 1, 2), 1, "A-260102-0001"),
    ("ABCDEF", date(2028, 2, 29), 9999, "ABCDEF-280229-9999"),
])
def test_format_a_local_code(prefix, day, sequence, expected):
    assert format_dossier_code(prefix, day, sequence) == expected
    assert parse_dossier_code(expected) == DossierCode(prefix, day, sequence)


@pytest.mark.parametrize("prefix", ["", "ABCDEFG", "T1", "tl", "TĐ", "T-L", "T.L", " TL"])
def test_format_refuses_a_prefix_that_is_not_one_to_six_capital_letters(prefix):
    with pytest.raises(ValueError):
        format_dossier_code(prefix, date(2026, 12, 3), 1)


@pytest.mark.parametrize("text, error", [
    ("TL", False),
    ("A", False),
    ("ABCDEF", False),
    ("", True),
    ("ABCDEFG", True),
    ("tl", True),
    ("T1", True),
    ("TĐ", True),
    ("000.00.20.H42", True),
])
def test_validate_local_prefix(text, error):
    message = validate_local_prefix(text)
    assert (message is not None) is error
    if error:
        assert "1 đến 6 chữ cái in hoa" in message


@pytest.mark.parametrize("text, expected", [
    ("tl-261203-0028", DossierCode("TL", date(2026, 12, 3), 28)),
    (" TL - 261203 - 0028 ", DossierCode("TL", date(2026, 12, 3), 28)),
    ("TL-260230-0028", None),
    ("TL-261203-0000", None),
    ("ABCDEFG-261203-0028", None),
    ("T1-261203-0028", None),
])
def test_parse_a_local_code(text, expected):
    assert parse_dossier_code(text) == expected


@pytest.mark.parametrize("scanned, expected", [
    ("TL-261203-0028", ("code", "TL-261203-0028")),
    ("Mã hồ sơ: TL-261203-0028", ("code", "TL-261203-0028")),
    ("http://192.168.1.10:8080/ho-so/TL-261203-0028", ("code", "TL-261203-0028")),
    # Spaces go before a code is looked for, so letters glued to a word are not taken for a prefix.
    ("Biên nhận TL-261203-0028", None),
    ("XYZABCDEF-261203-0028", None),
    ("TL-261203-00281", None),
    ("000.00.20.H42-261203-0028", ("code", "000.00.20.H42-261203-0028")),
])
def test_a_local_code_is_found_in_a_scan(scanned, expected):
    assert extract_token_or_code(scanned) == expected


@pytest.mark.parametrize("scanned, expected", [
    ("G22.39-261203-0001", "G22.39-261203-0001"),
    ("  g22.39-261203-0001\r\n", "G22.39-261203-0001"),
    ("000.00.20.H42-261203-0005", "000.00.20.H42-261203-0005"),
    ("H42.99.10/2026/123", "H42.99.10/2026/123"),
    ("G22", "G22"),
    ("https://dichvucong.hatinh.gov.vn/tra-cuu?maHoSo=G22.39-261203-0001", "G22.39-261203-0001"),
    ("https://dichvucong.hatinh.gov.vn/tra-cuu?lang=vi&ma_ho_so=g22.39-261203-0001", "G22.39-261203-0001"),
    ("https://motcua.hatinh.gov.vn/ho-so/G22.39-261203-0001", "G22.39-261203-0001"),
    ("https://motcua.hatinh.gov.vn/ho-so/G22.39-261203-0001/", "G22.39-261203-0001"),
    # What is not the province's code: empty, too short or long, no digit, other signs, our own QR.
    ("", None),
    ("   ", None),
    ("G2", None),
    ("G" * 60 + "1", None),
    ("HOSO", None),
    ("12345", None),
    ("0912345678", None),
    ("2026/123", "2026/123"),
    ("G22.39;DROP TABLE dossier", None),
    ("<b>G22</b>", None),
    ("G22.39-261203-0001😀", None),
    ("Mã hồ sơ 123", None),
    ("http://192.168.1.10:8080/tra-cuu/" + TOKEN, None),
    ("https://dichvucong.hatinh.gov.vn/", None),
    ("1" * 400, None),
])
def test_parse_portal_code(scanned, expected):
    assert parse_portal_code(scanned) == expected


def test_a_portal_code_of_sixty_characters_is_kept_and_of_sixty_one_refused():
    assert parse_portal_code("G" * 59 + "1") == "G" * 59 + "1"
    assert parse_portal_code("G" * 60 + "1") is None
