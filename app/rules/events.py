"""Vietnamese words for every step a dossier's history can hold."""

from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from .deadlines import timeliness
from .status import RULES

# Steps that change no status, named by the services that record them.
_OTHER_EVENTS = {
    "receive": "Tiếp nhận hồ sơ",
    "reprint": "In lại giấy biên nhận",
    "extend": "Gia hạn, hẹn lại ngày trả kết quả (Mẫu 04)",
    "rating": "Công dân đánh giá mức độ hài lòng",
    "import": "Nhập từ sổ theo dõi cũ",
    "portal_code": "Ghi mã hồ sơ trên hệ thống của tỉnh",
}

EVENT_LABELS = MappingProxyType({
    **{str(action): rule.label for action, rule in RULES.items()},
    "hand_over": "Trả kết quả cho công dân",
    **_OTHER_EVENTS,
})


def event_label(action: str) -> str:
    """The step in words; an action this version does not know is shown as stored rather than hidden."""
    return EVENT_LABELS.get(action, action)


# Who takes the dossier at each step that moves it from one desk to another (Mẫu 06). A step not listed
# (a reprint, a rating, a Mẫu 04 letter, an import) moves no paper and has no line on the control slip.
CITIZEN = "Người nộp hồ sơ"
COUNTER = "Bộ phận tiếp nhận và trả kết quả"
_TAKERS = {
    "receive": "user",
    "start": "user",
    "transfer": "assignee",
    "send_for_approval": "leader",
    "return_to_processing": "assignee",
    "approve": "counter",
    "request_documents": "citizen",
    "documents_received": "assignee",
    "refuse": "citizen",
    "stop": "citizen",
    "withdraw": "citizen",
    "hand_over": "citizen",
}
_LEADER = "Lãnh đạo phê duyệt"
# Steps done by the person who gives the dossier away (the others are done by the one who takes it).
_DONE_BY_GIVER = frozenset({"transfer", "send_for_approval", "approve", "return_to_processing", "request_documents", "refuse", "stop", "hand_over"})


@dataclass(frozen=True)
class HandOver:
    """One line of Mẫu 06: the step, when, who gave the dossier and who took it, and the step's result."""

    step: str
    at: datetime
    giver: str
    taker: str
    result: str
    note: str


def control_slip(events, due_at: datetime) -> list[HandOver]:
    """The hand-overs among a dossier's events (in order), each judged against the appointment in force then.

    `events` carry `action`, `at`, `note`, `data` and `user_name`; the appointment starts as `due_at`, or
    the one the reception recorded, and moves where the documents that were waited for came in.
    """
    lines, holder, assignee, due = [], CITIZEN, "", due_at
    for event in events:
        if event.data.get("due_at") and event.action in ("receive", "documents_received"):
            due = datetime.fromisoformat(event.data["due_at"])
        kind = _TAKERS.get(event.action)
        if kind is None:
            continue
        taker = {
            "user": event.user_name,
            "assignee": event.data.get("assignee_name") or assignee or event.user_name,
            "leader": _LEADER,
            "counter": COUNTER,
            "citizen": CITIZEN,
        }[kind]
        if event.action in ("start", "transfer"):
            assignee = taker
        giver = (event.user_name or holder) if event.action in _DONE_BY_GIVER else holder
        lines.append(HandOver(event_label(event.action), event.at, giver, taker, timeliness(event.at, due), event.note))
        holder = taker
    return lines
