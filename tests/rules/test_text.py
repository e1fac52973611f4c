import unicodedata

import pytest

from app.rules.text import clean, fold, mask_name, nfc, village_label, with_village

NFD_NGUYEN = unicodedata.normalize("NFD", "Nguyễn Văn Đức")


@pytest.mark.parametrize(
    "typed, key",
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        (NFD_NGUYEN, "nguyen van duc"),
        ("ĐẶNG THỊ HỒNG", "dang thi hong"),
        ("  Trần   Thị  Bích  ", "tran thi bich"),
        ("Chứng thực bản sao từ bản chính", "chung thuc ban sao tu ban chinh"),
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("Phạm Ngọc Ánh 🙂", "pham ngoc anh 🙂"),
        ("", ""),
    ],
)
def test_fold_gives_a_key_without_diacritics(typed, key):
    assert fold(typed) == key


def test_nfd_and_nfc_become_the_same_string():
    assert NFD_NGUYEN != "Nguyễn Văn Đức"
    assert nfc(NFD_NGUYEN) == "Nguyễn Văn Đức"
    assert clean("  " + NFD_NGUYEN + "  ") == "Nguyễn Văn Đức"


@pytest.mark.parametrize(
    "name, masked",
    [
        ("Nguyễn Văn An", "Ng*** V** A*"),
        ("Lê Thị Hồng Nhung", "Lê* T** H*** N***"),
        ("An", "A*"),
        (unicodedata.normalize("NFD", "Nguyễn Văn An"), "Ng*** V** A*"),
        ("   ", ""),
    ],
)
def test_mask_name_hides_all_but_initials(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    "stored, label, heading",
    [
        ("Kim Đôi", "thôn Kim Đôi", "Thôn Kim Đôi"),
        ("Thôn Kim Đôi", "Thôn Kim Đôi", "Thôn Kim Đôi"),
        ("thôn Kim Đôi", "thôn Kim Đôi", "thôn Kim Đôi"),
        ("Xóm 3", "Xóm 3", "Xóm 3"),
        ("Tổ dân phố 5", "Tổ dân phố 5", "Tổ dân phố 5"),
        ("Bản Phú", "Bản Phú", "Bản Phú"),
        # A name that merely starts with the letters of a kind is still a name.
        ("Thônglà", "thôn Thônglà", "Thôn Thônglà"),
        ("Bảnh", "thôn Bảnh", "Thôn Bảnh"),
        ("", "", ""),
    ],
)
def test_village_label_adds_thon_only_where_the_name_lacks_its_kind(stored, label, heading):
    assert village_label(stored) == label
    assert village_label(stored, heading=True) == heading


@pytest.mark.parametrize(
    "address, village, printed",
    [
        ("Số 5, đường Trần Phú", "Kim Đôi", "Số 5, đường Trần Phú, thôn Kim Đôi"),
        ("Số 5, đường Trần Phú", "Thôn Kim Đôi", "Số 5, đường Trần Phú, Thôn Kim Đôi"),
        ("Thôn Kim Đôi, xã Thạch Hà", "Thôn Kim Đôi", "Thôn Kim Đôi, xã Thạch Hà"),
        ("thon kim doi", "Kim Đôi", "thon kim doi"),
        ("", "Kim Đôi", "thôn Kim Đôi"),
        ("Số 5", "", "Số 5"),
    ],
)
def test_address_names_its_village_once(address, village, printed):
    assert with_village(address, village) == printed
RLO, PDF, ZWSP, ZWJ, ZWNJ, WJ, BOM, SHY, LRI, PDI, ALM = "\u202e", "\u202c", "\u200b", "\u200d", "\u200c", "\u2060", "\ufeff", "\u00ad", "\u2066", "\u2069", "\u061c"


@pytest.mark.parametrize(
    "typed, stored",
    [
        (f"Nguyễn Văn {RLO}nA", "Nguyễn Văn nA"),
        (f"{RLO}gnáyhT{PDF} Lê", "gnáyhT Lê"),
        (f"Ng{ZWSP}uyễn", "Nguyễn"),
        (f"Trần{ZWJ}{ZWNJ} Thị", "Trần Thị"),
        (f"{BOM}Phạm{WJ} Ánh", "Phạm Ánh"),
        (f"Hoàng{SHY}Anh", "HoàngAnh"),
        (f"{LRI}Lý{PDI} Văn{ALM} Bốn", "Lý Văn Bốn"),
        ("\u200e\u200fĐỗ\u202a\u202b\u202d Mười", "Đỗ Mười"),
        (f"{ZWSP} {ZWSP}", ""),
        ("Nguyễn Văn Đức 🙂", "Nguyễn Văn Đức 🙂"),
        ("Lê\tVăn\r\nBa", "Lê Văn Ba"),
    ],
)
def test_clean_strips_invisible_and_direction_characters(typed, stored):
    assert clean(typed) == stored
    assert clean(unicodedata.normalize("NFD", typed)) == stored


def test_nfc_strips_them_too_and_fold_finds_the_name_despite_them():
    assert nfc(f"Ng{ZWSP}uye\u0302\u0303n{RLO}") == "Nguyễn"
    assert fold(f"Ng{ZWSP}uyễn {RLO}Văn") == "nguyen van"
    # A search key drops the control characters nobody types (a form refuses them beside the field).
    assert fold("khai\x00 sinh\x1f\x7f") == "khai sinh"
    assert fold("khai\x00sinh") == "khaisinh"


def test_every_stripped_character_is_an_invisible_format_character():
    import sys

    from app.rules.text import INVISIBLE

    stripped = [chr(cp) for cp in range(sys.maxunicode + 1) if INVISIBLE.match(chr(cp))]
    assert {unicodedata.category(ch) for ch in stripped} == {"Cf"}
    assert len(stripped) > 150
