import unicodedata

import pytest

from app.rules.text import clean, fold, mask_name, nfc

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
