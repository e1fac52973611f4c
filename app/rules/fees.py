"""Fee rules of the procedure catalogue: what a dossier costs at the counter or online, and how to say it."""

from dataclasses import dataclass
from enum import StrEnum

from .text import nfc


class FeeKind(StrEnum):
    FREE = "mien_phi"
    FIXED = "co_dinh"
    PER_PAGE = "theo_trang"
    CHOICE = "lua_chon"


@dataclass(frozen=True)
class FeeRule:
    kind: FeeKind
    amount: int = 0
    tiers: tuple[tuple[int, int], ...] = ()
    cap_per_copy: int | None = None
    options: tuple[tuple[str, int], ...] = ()
    online_percent: int = 100
    set_by_province: bool = False
    # Legal grounds that waive or reduce the fee: (ground, percent off; 100 waives it).
    grounds: tuple[tuple[str, int], ...] = ()
    # A fee the province sets stays "chưa xác nhận" until an administrator checks it against the resolution.
    confirmed: bool = False

    def __post_init__(self):
        # Rules come back from the database and from JSON as plain strings and lists.
        object.__setattr__(self, "kind", FeeKind(self.kind))
        object.__setattr__(self, "tiers", tuple((int(start), int(price)) for start, price in self.tiers))
        object.__setattr__(self, "options", tuple((str(name), int(amount)) for name, amount in self.options))
        object.__setattr__(self, "grounds", tuple((str(name), int(percent)) for name, percent in self.grounds))

    @property
    def unconfirmed(self) -> bool:
        return self.set_by_province and not self.confirmed


class FeeInputError(ValueError):
    """An input the fee needs is missing or wrong; `field` names it so a form shows the message beside it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


_INPUT_LABELS = {"pages": "Số trang", "copies": "Số bản"}
WAIVED = 100


def compute_fee(
    rule: FeeRule,
    *,
    pages: int | None = None,
    copies: int = 1,
    option: str | None = None,
    online: bool = False,
    ground: str | None = None,
) -> int:
    """Return the fee in đồng; `copies` counts copies for a per-page fee and cases for the other kinds.

    `ground` names one of the rule's legal grounds for a waiver or reduction; any other is refused.
    """
    copies = _positive_count(copies, "copies")
    if rule.kind is FeeKind.FREE:
        total = 0
    elif rule.kind is FeeKind.FIXED:
        total = rule.amount * copies
    elif rule.kind is FeeKind.PER_PAGE:
        total = _price_of_one_copy(rule, _positive_count(pages, "pages")) * copies
    else:
        total = _option_amount(rule, option) * copies
    total = _online_amount(total, rule.online_percent) if online else total
    if ground:
        total = _online_amount(total, 100 - ground_percent(rule, ground))
    return total


def ground_percent(rule: FeeRule, ground: str) -> int:
    """The percent off a ground gives, or FeeInputError when the procedure does not allow it."""
    wanted = nfc(ground).strip()
    for name, percent in rule.grounds:
        if name == wanted:
            return percent
    raise FeeInputError("fee_ground", f"Căn cứ miễn, giảm «{wanted}» không áp dụng cho thủ tục này; hãy chọn trong danh sách.")


def describe_ground(name: str, percent: int) -> str:
    """"Người thuộc hộ nghèo: miễn phí", "…: giảm 50%"."""
    return f"{name}: {'miễn phí' if percent == WAIVED else f'giảm {percent}%'}"


def inputs_needed(rule: FeeRule) -> set[str]:
    """Which of 'pages', 'copies' and 'option' the intake form must ask for this rule."""
    return {
        FeeKind.FREE: set(),
        FeeKind.FIXED: {"copies"},
        FeeKind.PER_PAGE: {"pages", "copies"},
        FeeKind.CHOICE: {"option", "copies"},
    }[rule.kind]


def validate_rule(rule: FeeRule) -> list[tuple[str, str]]:
    """Return (field, message) for everything wrong with a rule; an empty list means it can be used."""
    errors = []
    if rule.amount < 0:
        errors.append(("amount", "Mức phí không được âm."))
    if rule.kind is FeeKind.FIXED and rule.amount == 0:
        # A fixed fee of 0 would print as "0 đồng" where people expect "Miễn phí".
        errors.append(("amount", "Phí cố định phải lớn hơn 0; nếu không thu phí, hãy chọn loại «Miễn phí»."))
    if rule.kind is FeeKind.PER_PAGE:
        errors += _tier_errors(rule)
    if rule.kind is FeeKind.CHOICE:
        errors += _option_errors(rule)
    errors += _unused_field_errors(rule)
    if not 0 <= rule.online_percent <= 100:
        errors.append(("online_percent", "Tỷ lệ phí nộp trực tuyến phải từ 0 đến 100%."))
    errors += _ground_errors(rule)
    return errors


def _ground_errors(rule: FeeRule) -> list[tuple[str, str]]:
    errors = []
    names = [name for name, _ in rule.grounds]
    if any(not name.strip() for name in names):
        errors.append(("grounds", "Tên căn cứ miễn, giảm không được để trống."))
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        errors.append(("grounds", f"Căn cứ miễn, giảm bị trùng: {', '.join(duplicates)}."))
    if any(not 1 <= percent <= WAIVED for _, percent in rule.grounds):
        errors.append(("grounds", f"Mức giảm phải từ 1 đến {WAIVED} (%); {WAIVED} là miễn phí."))
    return errors


def describe(rule: FeeRule, online: bool = False) -> str:
    """The fee as people read it on the lookup screen and the receipt."""
    percent = rule.online_percent if online else 100
    if rule.kind is FeeKind.FREE or percent == 0:
        text = "Miễn phí"
    elif rule.kind is FeeKind.FIXED:
        text = f"{_money(_online_amount(rule.amount, percent))}/trường hợp"
    elif rule.kind is FeeKind.PER_PAGE:
        text = _describe_tiers(rule, percent)
    else:
        text = "; ".join(
            f"{name}: {_money(_online_amount(amount, percent))}" for name, amount in rule.options
        )
    notes = []
    if online and percent < 100 and rule.kind is not FeeKind.FREE:
        notes.append("khi nộp trực tuyến" if percent == 0 else f"nộp trực tuyến, giảm {100 - percent}%")
    if rule.set_by_province:
        notes.append("theo Nghị quyết HĐND tỉnh")
    return f"{text} ({'; '.join(notes)})" if notes else text


def _money(amount: int) -> str:
    # Catalogue texts spell the unit out ("10.000 đồng"), as fee schedules are written.
    return f"{amount:,} đồng".replace(",", ".")


def _online_amount(amount: int, percent: int) -> int:
    # Half up, as a cashier rounds; Python's round() would round half to even.
    return (amount * percent + 50) // 100


def _positive_count(value, field: str) -> int:
    label = _INPUT_LABELS[field]
    if value is None:
        raise FeeInputError(field, f"Chưa nhập {label.lower()}.")
    # bool is an int subclass; True pages would silently mean one page.
    if isinstance(value, bool) or not isinstance(value, int):
        raise FeeInputError(field, f"{label} phải là số nguyên.")
    if value <= 0:
        raise FeeInputError(field, f"{label} phải lớn hơn 0.")
    return value


def _price_of_one_copy(rule: FeeRule, pages: int) -> int:
    price = 0
    tier_ends = [start for start, _ in rule.tiers[1:]] + [pages + 1]
    for (start, price_per_page), next_start in zip(rule.tiers, tier_ends):
        if start > pages:
            break
        price += (min(next_start, pages + 1) - start) * price_per_page
    if rule.cap_per_copy is not None:
        price = min(price, rule.cap_per_copy)
    return price


def _option_amount(rule: FeeRule, option: str | None) -> int:
    if option is None or not option.strip():
        raise FeeInputError("option", "Chưa chọn loại việc để tính phí.")
    # Form input may arrive decomposed (NFD) from some Vietnamese keyboards.
    wanted = nfc(option).strip()
    for name, amount in rule.options:
        if name == wanted:
            return amount
    raise FeeInputError("option", f"Không có lựa chọn «{wanted}» trong biểu phí của thủ tục này.")


def _tier_errors(rule: FeeRule) -> list[tuple[str, str]]:
    if not rule.tiers:
        return [("tiers", "Phí theo trang cần ít nhất một bậc phí.")]
    errors = []
    if rule.tiers[0][0] != 1:
        errors.append(("tiers", "Bậc phí đầu tiên phải bắt đầu từ trang 1."))
    starts = [start for start, _ in rule.tiers]
    if any(later <= earlier for earlier, later in zip(starts, starts[1:])):
        errors.append(("tiers", "Trang bắt đầu của các bậc phí phải tăng dần."))
    if any(price < 0 for _, price in rule.tiers):
        errors.append(("tiers", "Giá mỗi trang không được âm."))
    if rule.cap_per_copy is not None and rule.cap_per_copy < rule.tiers[0][1]:
        errors.append(("cap_per_copy", "Mức tối đa mỗi bản không được thấp hơn giá của trang đầu tiên."))
    return errors


def _option_errors(rule: FeeRule) -> list[tuple[str, str]]:
    if not rule.options:
        return [("options", "Phí theo lựa chọn cần ít nhất một lựa chọn.")]
    errors = []
    names = [name for name, _ in rule.options]
    if any(not name.strip() for name in names):
        errors.append(("options", "Tên lựa chọn không được để trống."))
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        errors.append(("options", f"Tên lựa chọn bị trùng: {', '.join(duplicates)}."))
    if any(amount < 0 for _, amount in rule.options):
        errors.append(("options", "Số tiền của lựa chọn không được âm."))
    return errors


def _unused_field_errors(rule: FeeRule) -> list[tuple[str, str]]:
    # A value the kind ignores was almost always typed in the wrong column; silently dropping it
    # would show people a fee other than the one the administrator meant.
    errors = []
    if rule.kind is not FeeKind.FIXED and rule.amount > 0:
        errors.append(("amount", "Mức phí cố định chỉ dùng cho loại phí «Cố định»."))
    if rule.kind is not FeeKind.PER_PAGE and rule.tiers:
        errors.append(("tiers", "Bậc phí chỉ dùng cho loại phí «Theo trang»."))
    if rule.kind is not FeeKind.PER_PAGE and rule.cap_per_copy is not None:
        errors.append(("cap_per_copy", "Mức tối đa mỗi bản chỉ dùng cho loại phí «Theo trang»."))
    if rule.kind is not FeeKind.CHOICE and rule.options:
        errors.append(("options", "Các lựa chọn chỉ dùng cho loại phí «Theo lựa chọn»."))
    return errors


def _describe_tiers(rule: FeeRule, percent: int) -> str:
    parts = []
    for index, (start, price) in enumerate(rule.tiers):
        per_page = f"{_money(_online_amount(price, percent))}/trang"
        parts.append(per_page if index == 0 else f"từ trang thứ {start}: {per_page}")
    if rule.cap_per_copy is not None:
        parts.append(f"tối đa {_money(_online_amount(rule.cap_per_copy, percent))}/bản")
    return "; ".join(parts)
