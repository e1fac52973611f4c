"""Fee rules, checked against the real fees of commune procedures."""

import unicodedata

import pytest

from app.rules.fees import (
    FeeInputError,
    FeeKind,
    FeeRule,
    compute_fee,
    describe,
    describe_ground,
    inputs_needed,
    validate_rule,
)

CERTIFIED_COPY = FeeRule(FeeKind.PER_PAGE, tiers=((1, 2000), (3, 1000)), cap_per_copy=200000)
SIGNATURE = FeeRule(FeeKind.FIXED, amount=10000)
CIVIL_STATUS_EXTRACT = FeeRule(FeeKind.FIXED, amount=8000)
CONTRACT = FeeRule(
    FeeKind.CHOICE,
    options=(("Hợp đồng, giao dịch", 50000), ("Sửa đổi, bổ sung", 30000), ("Sửa lỗi sai sót", 25000)),
)
BIRTH = FeeRule(FeeKind.FREE)
SIGNATURE_HALF_ONLINE = FeeRule(FeeKind.FIXED, amount=10000, online_percent=50)
CERTIFIED_COPY_HALF_ONLINE = FeeRule(
    FeeKind.PER_PAGE, tiers=((1, 2000), (3, 1000)), cap_per_copy=200000, online_percent=50
)
RECOGNITION_BY_PROVINCE = FeeRule(FeeKind.FIXED, amount=15000, set_by_province=True)


@pytest.mark.parametrize(
    "rule, inputs, expected",
    [
        (CERTIFIED_COPY, {"pages": 1}, 2000),
        (CERTIFIED_COPY, {"pages": 2}, 4000),
        (CERTIFIED_COPY, {"pages": 3}, 5000),
        (CERTIFIED_COPY, {"pages": 7}, 9000),
        (CERTIFIED_COPY, {"pages": 198}, 200000),
        (CERTIFIED_COPY, {"pages": 500}, 200000),
        (CERTIFIED_COPY, {"pages": 7, "copies": 3}, 27000),
        (CERTIFIED_COPY, {"pages": 500, "copies": 2}, 400000),
        (SIGNATURE, {}, 10000),
        (SIGNATURE, {"copies": 2}, 20000),
        (CIVIL_STATUS_EXTRACT, {"copies": 3}, 24000),
        (CONTRACT, {"option": "Hợp đồng, giao dịch"}, 50000),
        (CONTRACT, {"option": "Sửa đổi, bổ sung"}, 30000),
        (CONTRACT, {"option": "Sửa lỗi sai sót"}, 25000),
        (CONTRACT, {"option": unicodedata.normalize("NFD", "Sửa đổi, bổ sung")}, 30000),
        (BIRTH, {}, 0),
        (BIRTH, {"online": True}, 0),
        (SIGNATURE_HALF_ONLINE, {}, 10000),
        (SIGNATURE_HALF_ONLINE, {"online": True}, 5000),
        (CERTIFIED_COPY_HALF_ONLINE, {"pages": 7, "online": True}, 4500),
        (CERTIFIED_COPY_HALF_ONLINE, {"pages": 7, "copies": 3, "online": True}, 13500),
        (FeeRule(FeeKind.FIXED, amount=25, online_percent=50), {"online": True}, 13),
        (FeeRule(FeeKind.FIXED, amount=8000, online_percent=0), {"online": True}, 0),
        (SIGNATURE, {"online": True}, 10000),
        (RECOGNITION_BY_PROVINCE, {}, 15000),
    ],
)
def test_compute_fee(rule, inputs, expected):
    assert compute_fee(rule, **inputs) == expected


@pytest.mark.parametrize(
    "rule, inputs, field, message",
    [
        (CERTIFIED_COPY, {"pages": 0}, "pages", "Số trang phải lớn hơn 0."),
        (CERTIFIED_COPY, {"pages": -3}, "pages", "Số trang phải lớn hơn 0."),
        (CERTIFIED_COPY, {}, "pages", "Chưa nhập số trang."),
        (CERTIFIED_COPY, {"pages": None}, "pages", "Chưa nhập số trang."),
        (CERTIFIED_COPY, {"pages": "7"}, "pages", "Số trang phải là số nguyên."),
        (CERTIFIED_COPY, {"pages": True}, "pages", "Số trang phải là số nguyên."),
        (CERTIFIED_COPY, {"pages": 7, "copies": 0}, "copies", "Số bản phải lớn hơn 0."),
        (SIGNATURE, {"copies": -1}, "copies", "Số bản phải lớn hơn 0."),
        (CONTRACT, {}, "option", "Chưa chọn loại việc để tính phí."),
        (CONTRACT, {"option": "  "}, "option", "Chưa chọn loại việc để tính phí."),
        (
            CONTRACT,
            {"option": "Công chứng"},
            "option",
            "Không có lựa chọn «Công chứng» trong biểu phí của thủ tục này.",
        ),
    ],
)
def test_compute_fee_refuses_bad_inputs(rule, inputs, field, message):
    with pytest.raises(FeeInputError) as caught:
        compute_fee(rule, **inputs)
    assert caught.value.field == field
    assert caught.value.message == message


@pytest.mark.parametrize("rule", [CERTIFIED_COPY, SIGNATURE, CONTRACT, BIRTH, RECOGNITION_BY_PROVINCE])
def test_validate_rule_accepts_real_rules(rule):
    assert validate_rule(rule) == []


@pytest.mark.parametrize(
    "rule, field, fragment",
    [
        (FeeRule(FeeKind.FIXED, amount=-10000), "amount", "không được âm"),
        (FeeRule(FeeKind.FIXED, amount=0), "amount", "Miễn phí"),
        (FeeRule(FeeKind.PER_PAGE), "tiers", "ít nhất một bậc"),
        (FeeRule(FeeKind.PER_PAGE, tiers=((2, 2000),)), "tiers", "từ trang 1"),
        (FeeRule(FeeKind.PER_PAGE, tiers=((1, 2000), (3, 1000), (3, 500))), "tiers", "tăng dần"),
        (FeeRule(FeeKind.PER_PAGE, tiers=((1, 2000), (5, 1000), (3, 500))), "tiers", "tăng dần"),
        (FeeRule(FeeKind.PER_PAGE, tiers=((1, -2000),)), "tiers", "không được âm"),
        (
            FeeRule(FeeKind.PER_PAGE, tiers=((1, 2000), (3, 1000)), cap_per_copy=1000),
            "cap_per_copy",
            "trang đầu tiên",
        ),
        (FeeRule(FeeKind.CHOICE), "options", "ít nhất một lựa chọn"),
        (FeeRule(FeeKind.CHOICE, options=(("Hợp đồng", 50000), ("Hợp đồng", 30000))), "options", "trùng"),
        (FeeRule(FeeKind.CHOICE, options=(("", 50000),)), "options", "không được để trống"),
        (FeeRule(FeeKind.CHOICE, options=(("Hợp đồng", -1),)), "options", "không được âm"),
        (FeeRule(FeeKind.FIXED, amount=10000, online_percent=101), "online_percent", "từ 0 đến 100"),
        (FeeRule(FeeKind.FIXED, amount=10000, online_percent=-1), "online_percent", "từ 0 đến 100"),
        (FeeRule(FeeKind.FREE, tiers=((1, 2000),)), "tiers", "Theo trang"),
        (FeeRule(FeeKind.FIXED, amount=10000, cap_per_copy=5000), "cap_per_copy", "Theo trang"),
        (FeeRule(FeeKind.FIXED, amount=10000, options=(("A", 1),)), "options", "Theo lựa chọn"),
        (FeeRule(FeeKind.PER_PAGE, amount=5000, tiers=((1, 2000),)), "amount", "Cố định"),
    ],
)
def test_validate_rule_names_the_field_at_fault(rule, field, fragment):
    errors = validate_rule(rule)
    assert any(name == field and fragment in message for name, message in errors), errors


@pytest.mark.parametrize(
    "rule, online, expected",
    [
        (BIRTH, False, "Miễn phí"),
        (SIGNATURE, False, "10.000 đồng/trường hợp"),
        (
            CERTIFIED_COPY,
            False,
            "2.000 đồng/trang; từ trang thứ 3: 1.000 đồng/trang; tối đa 200.000 đồng/bản",
        ),
        (
            CONTRACT,
            False,
            "Hợp đồng, giao dịch: 50.000 đồng; Sửa đổi, bổ sung: 30.000 đồng; Sửa lỗi sai sót: 25.000 đồng",
        ),
        (RECOGNITION_BY_PROVINCE, False, "15.000 đồng/trường hợp (theo Nghị quyết HĐND tỉnh)"),
        (SIGNATURE_HALF_ONLINE, False, "10.000 đồng/trường hợp"),
        (SIGNATURE_HALF_ONLINE, True, "5.000 đồng/trường hợp (nộp trực tuyến, giảm 50%)"),
        (
            CERTIFIED_COPY_HALF_ONLINE,
            True,
            "1.000 đồng/trang; từ trang thứ 3: 500 đồng/trang; tối đa 100.000 đồng/bản"
            " (nộp trực tuyến, giảm 50%)",
        ),
        (FeeRule(FeeKind.FIXED, amount=8000, online_percent=0), True, "Miễn phí (khi nộp trực tuyến)"),
        (FeeRule(FeeKind.FREE, online_percent=50), True, "Miễn phí"),
        (FeeRule(FeeKind.FIXED, amount=1234567), False, "1.234.567 đồng/trường hợp"),
        (
            FeeRule(FeeKind.FIXED, amount=100000, online_percent=50, set_by_province=True),
            True,
            "50.000 đồng/trường hợp (nộp trực tuyến, giảm 50%; theo Nghị quyết HĐND tỉnh)",
        ),
    ],
)
def test_describe(rule, online, expected):
    assert describe(rule, online=online) == expected


@pytest.mark.parametrize(
    "rule, expected",
    [
        (BIRTH, set()),
        (SIGNATURE, {"copies"}),
        (CERTIFIED_COPY, {"pages", "copies"}),
        (CONTRACT, {"option", "copies"}),
    ],
)
def test_inputs_needed(rule, expected):
    assert inputs_needed(rule) == expected


def test_rule_rebuilt_from_stored_strings_and_lists_equals_the_original():
    stored = FeeRule("theo_trang", tiers=[[1, 2000], [3, 1000]], cap_per_copy=200000)
    assert stored == CERTIFIED_COPY
    assert stored.kind is FeeKind.PER_PAGE


# Waivers and reductions by legal ground (issue 14)

GROUNDED = FeeRule(
    FeeKind.FIXED, amount=15000, online_percent=50, set_by_province=True,
    grounds=(("Người thuộc hộ nghèo", 100), ("Giảm một nửa", 50), ("Giảm một phần", 33)),
)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, 15000),
        ({"ground": "Người thuộc hộ nghèo"}, 0),
        ({"ground": "Giảm một nửa"}, 7500),
        ({"ground": "Giảm một nửa", "copies": 3}, 22500),
        ({"ground": "Giảm một phần"}, 10050),  # 15.000 × 67%
        ({"ground": "Giảm một nửa", "online": True}, 3750),
        ({"ground": ""}, 15000),
    ],
)
def test_a_ground_waives_or_reduces_the_fee(kwargs, expected):
    assert compute_fee(GROUNDED, **kwargs) == expected


def test_a_ground_the_procedure_does_not_allow_is_a_field_error():
    with pytest.raises(FeeInputError) as caught:
        compute_fee(GROUNDED, ground="Người cao tuổi")
    assert caught.value.field == "fee_ground"
    assert "không áp dụng cho thủ tục này" in caught.value.message
    with pytest.raises(FeeInputError):
        compute_fee(FeeRule(FeeKind.FREE), ground="Người thuộc hộ nghèo")


@pytest.mark.parametrize(
    ("grounds", "message"),
    [
        ((("A", 0),), "Mức giảm phải từ 1 đến 100"),
        ((("A", 101),), "Mức giảm phải từ 1 đến 100"),
        ((("A", 100), ("A", 50)), "bị trùng: A"),
        (((" ", 100),), "không được để trống"),
    ],
)
def test_bad_grounds_are_refused(grounds, message):
    errors = validate_rule(FeeRule(FeeKind.FIXED, amount=15000, grounds=grounds))
    assert [field for field, _ in errors] == ["grounds"]
    assert message in errors[0][1]


def test_valid_grounds_pass():
    assert validate_rule(FeeRule(FeeKind.FIXED, amount=15000, grounds=(("A", 1), ("B", 100)))) == []


@pytest.mark.parametrize(
    ("rule", "unconfirmed"),
    [
        (FeeRule(FeeKind.FIXED, amount=1, set_by_province=True), True),
        (FeeRule(FeeKind.FIXED, amount=1, set_by_province=True, confirmed=True), False),
        (FeeRule(FeeKind.FIXED, amount=1), False),
    ],
)
def test_a_province_fee_is_unconfirmed_until_checked(rule, unconfirmed):
    assert rule.unconfirmed is unconfirmed


@pytest.mark.parametrize(
    ("name", "percent", "words"),
    [("Hộ nghèo", 100, "Hộ nghèo: miễn phí"), ("Hộ nghèo", 50, "Hộ nghèo: giảm 50%"), ("Hộ nghèo", 99, "Hộ nghèo: giảm 99%")],
)
def test_describe_ground(name, percent, words):
    assert describe_ground(name, percent) == words
