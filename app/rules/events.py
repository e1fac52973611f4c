"""Vietnamese words for every step a dossier's history can hold."""

from types import MappingProxyType

from .status import RULES

# Steps that change no status, named by the services that record them.
_OTHER_EVENTS = {
    "receive": "Tiếp nhận hồ sơ",
    "reprint": "In lại giấy biên nhận",
    "extend": "Gia hạn, hẹn lại ngày trả kết quả (Mẫu 04)",
    "rating": "Công dân đánh giá mức độ hài lòng",
    "import": "Nhập từ sổ theo dõi cũ",
}

EVENT_LABELS = MappingProxyType({
    **{str(action): rule.label for action, rule in RULES.items()},
    "hand_over": "Trả kết quả cho công dân",
    **_OTHER_EVENTS,
})


def event_label(action: str) -> str:
    """The step in words; an action this version does not know is shown as stored rather than hidden."""
    return EVENT_LABELS.get(action, action)
