"""The dossier status machine: statuses, the actions that move a dossier, and who may take them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Status(StrEnum):
    """Where a dossier stands; the value is what the database stores."""

    RECEIVED = "received"
    PROCESSING = "processing"
    WAITING_DOCUMENTS = "waiting_documents"
    WAITING_APPROVAL = "waiting_approval"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    REFUSED = "refused"
    STOPPED = "stopped"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """The name staff see (DOMAIN §5)."""
        return STATUS_LABELS[self]

    @property
    def citizen_text(self) -> str:
        """A plain sentence for the public status page."""
        return CITIZEN_TEXTS[self]

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES

    @property
    def is_resolved(self) -> bool:
        return self in RESOLVED_STATUSES


class Action(StrEnum):
    """Something a person does to a dossier; the value is what the audit log stores."""

    START = "start"
    REQUEST_DOCUMENTS = "request_documents"
    DOCUMENTS_RECEIVED = "documents_received"
    SEND_FOR_APPROVAL = "send_for_approval"
    APPROVE = "approve"
    RETURN_TO_PROCESSING = "return_to_processing"
    REFUSE = "refuse"
    STOP = "stop"
    WITHDRAW = "withdraw"
    HAND_OVER = "hand_over"
    TRANSFER = "transfer"

    @property
    def label(self) -> str:
        """The verb on the button."""
        return RULES[self].label

    @property
    def roles(self) -> frozenset[str]:
        return RULES[self].roles

    @property
    def clock(self) -> Clock:
        return RULES[self].clock

    @property
    def note_required(self) -> bool:
        return RULES[self].note_required


class Clock(StrEnum):
    """What an action does to the count of working days towards the appointment."""

    NONE = "none"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"


RECEIVER = "tiep_nhan"
SPECIALIST = "chuyen_mon"
LEADER = "lanh_dao"
ADMINISTRATOR = "quan_tri"

ROLE_LABELS = MappingProxyType({
    RECEIVER: "cán bộ tiếp nhận và trả kết quả",
    SPECIALIST: "công chức chuyên môn",
    LEADER: "lãnh đạo",
    ADMINISTRATOR: "quản trị",
})

STATUS_LABELS = MappingProxyType({
    Status.RECEIVED: "Đã tiếp nhận",
    Status.PROCESSING: "Đang giải quyết",
    Status.WAITING_DOCUMENTS: "Chờ bổ sung",
    Status.WAITING_APPROVAL: "Chờ phê duyệt",
    Status.RESULT_READY: "Đã có kết quả, chờ trả",
    Status.RETURNED: "Đã trả kết quả",
    Status.REFUSED: "Từ chối giải quyết",
    Status.STOPPED: "Dừng giải quyết",
    Status.WITHDRAWN: "Công dân rút hồ sơ",
})

# The public page never names an officer or a reason: the citizen has the written notice for that.
CITIZEN_TEXTS = MappingProxyType({
    Status.RECEIVED: "Hồ sơ đã được tiếp nhận và đang chờ chuyển đến cán bộ giải quyết.",
    Status.PROCESSING: "Hồ sơ đang được cán bộ chuyên môn xem xét, giải quyết.",
    Status.WAITING_DOCUMENTS: (
        "Hồ sơ cần bổ sung giấy tờ. Vui lòng xem phiếu yêu cầu bổ sung và nộp thêm giấy tờ tại Trung tâm; "
        "thời gian chờ bổ sung không tính vào thời hạn giải quyết."
    ),
    Status.WAITING_APPROVAL: "Hồ sơ đã xử lý xong và đang chờ lãnh đạo ký duyệt.",
    Status.RESULT_READY: "Hồ sơ đã có kết quả; mời ông/bà nhận kết quả theo giấy hẹn.",
    Status.RETURNED: "Kết quả đã được trả cho người nộp hồ sơ.",
    Status.REFUSED: "Hồ sơ không được giải quyết; lý do đã được thông báo bằng văn bản.",
    Status.STOPPED: "Việc giải quyết hồ sơ đã dừng; lý do đã được thông báo bằng văn bản.",
    Status.WITHDRAWN: "Hồ sơ đã được rút theo đề nghị của người nộp.",
})

# Nothing leaves these; RESULT_READY is not among them because the result still has to be handed over.
FINAL_STATUSES = frozenset({Status.RETURNED, Status.REFUSED, Status.STOPPED, Status.WITHDRAWN})

# DOMAIN §6: a refusal with a written answer counts as settled; stopped and withdrawn are counted apart.
RESOLVED_STATUSES = frozenset({Status.RESULT_READY, Status.RETURNED, Status.REFUSED})

# Statuses a dossier can still be stopped or withdrawn from: anything before its result exists.
_OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.WAITING_DOCUMENTS, Status.WAITING_APPROVAL)


@dataclass(frozen=True)
class ActionRule:
    """Everything the machine knows about one action."""

    label: str
    roles: frozenset[str]
    clock: Clock
    note_required: bool
    moves: Mapping[Status, Status]


def _rule(
    label: str,
    roles: Iterable[str],
    moves: Mapping[Status, Status],
    clock: Clock = Clock.NONE,
    note_required: bool = False,
) -> ActionRule:
    return ActionRule(label, frozenset(roles), clock, note_required, MappingProxyType(dict(moves)))


RULES: Mapping[Action, ActionRule] = MappingProxyType({
    Action.START: _rule(
        "Bắt đầu giải quyết", {SPECIALIST, LEADER},
        {Status.RECEIVED: Status.PROCESSING},
    ),
    Action.REQUEST_DOCUMENTS: _rule(
        "Yêu cầu bổ sung", {SPECIALIST, LEADER},
        {Status.PROCESSING: Status.WAITING_DOCUMENTS},
        clock=Clock.PAUSE, note_required=True,
    ),
    # The citizen usually brings the missing papers to the counter, so the counter may record them.
    Action.DOCUMENTS_RECEIVED: _rule(
        "Nhận hồ sơ bổ sung", {RECEIVER, SPECIALIST, LEADER},
        {Status.WAITING_DOCUMENTS: Status.PROCESSING},
        clock=Clock.RESUME,
    ),
    Action.SEND_FOR_APPROVAL: _rule(
        "Trình phê duyệt", {SPECIALIST, LEADER},
        {Status.PROCESSING: Status.WAITING_APPROVAL},
    ),
    # From PROCESSING only a leader can approve (the role set says so): that is the path for a leader
    # who processes a dossier himself, or for procedures with no separate signing step.
    Action.APPROVE: _rule(
        "Phê duyệt", {LEADER},
        {Status.WAITING_APPROVAL: Status.RESULT_READY, Status.PROCESSING: Status.RESULT_READY},
        clock=Clock.STOP,
    ),
    Action.RETURN_TO_PROCESSING: _rule(
        "Trả lại xử lý", {LEADER},
        {Status.WAITING_APPROVAL: Status.PROCESSING},
    ),
    Action.REFUSE: _rule(
        "Từ chối giải quyết", {SPECIALIST, LEADER},
        {Status.PROCESSING: Status.REFUSED, Status.WAITING_APPROVAL: Status.REFUSED},
        clock=Clock.STOP, note_required=True,
    ),
    Action.STOP: _rule(
        "Dừng giải quyết", {SPECIALIST, LEADER},
        {status: Status.STOPPED for status in _OPEN_STATUSES},
        clock=Clock.STOP, note_required=True,
    ),
    Action.WITHDRAW: _rule(
        "Rút hồ sơ", {RECEIVER, SPECIALIST, LEADER},
        {status: Status.WITHDRAWN for status in _OPEN_STATUSES},
        clock=Clock.STOP, note_required=True,
    ),
    Action.HAND_OVER: _rule(
        "Trả kết quả", {RECEIVER},
        {Status.RESULT_READY: Status.RETURNED},
    ),
    # Changes who holds the dossier, not where it stands; the Mẫu 06 control slip records the hand-off.
    Action.TRANSFER: _rule(
        "Chuyển người xử lý", {SPECIALIST, LEADER},
        {Status.PROCESSING: Status.PROCESSING},
    ),
})


@dataclass(frozen=True)
class Transition:
    """One permitted move, as the caller should record it."""

    action: Action
    from_status: Status
    to_status: Status
    clock: Clock
    note_required: bool


class TransitionRefused(Exception):
    """The action is not possible; `reason` is a Vietnamese sentence to show the person who tried."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _quoted_labels(labels: Iterable[str]) -> str:
    quoted = [f"«{label}»" for label in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " hoặc " + quoted[-1]


def _role_set(roles: Iterable[str] | str) -> frozenset[str]:
    # A lone role string would otherwise be read as a set of letters.
    return frozenset({roles} if isinstance(roles, str) else roles)


def check(status: Status | str, action: Action | str, roles: Iterable[str] | str) -> Transition:
    """The transition `action` makes from `status` for someone holding `roles`, or TransitionRefused."""
    status = Status(status)
    try:
        action = Action(action)
    except ValueError:
        # Actions arrive from form posts, so an unknown one is a refusal rather than a crash.
        raise TransitionRefused(f"Thao tác «{action}» không hợp lệ.") from None
    rule = RULES[action]
    if status not in rule.moves:
        if status.is_final:
            reason = f"Hồ sơ đã ở trạng thái «{status.label}» nên không thể «{action.label}» nữa."
        else:
            reason = (
                f"Hồ sơ đang ở trạng thái «{status.label}» nên không thể «{action.label}»: thao tác này "
                f"chỉ dùng cho hồ sơ {_quoted_labels(s.label for s in Status if s in rule.moves)}."
            )
        raise TransitionRefused(reason)
    if rule.roles.isdisjoint(_role_set(roles)):
        holders = ", ".join(label for role, label in ROLE_LABELS.items() if role in rule.roles)
        raise TransitionRefused(
            f"Vai trò của bạn không được phép «{action.label}»; việc này dành cho {holders}."
        )
    return Transition(action, status, rule.moves[status], rule.clock, rule.note_required)


OUTSIDE_FIELDS_REASON = (
    "Hồ sơ này thuộc lĩnh vực bạn không phụ trách và không được giao cho bạn; công chức chuyên môn chỉ giải quyết "
    "hồ sơ thuộc lĩnh vực của mình hoặc hồ sơ được chuyển cho mình."
)


def roles_for_dossier(
    roles: Iterable[str] | str, field_ids: Iterable[int], dossier_field_id: int, *, holds: bool = False
) -> frozenset[str]:
    """The roles a person may act with on one dossier: a specialist's role counts only in their own fields,
    or on a dossier they hold (`holds`: a leader handed it to them)."""
    roles = _role_set(roles)
    if SPECIALIST in roles and dossier_field_id not in set(field_ids) and not holds:
        return roles - {SPECIALIST}
    return roles


def check_on_dossier(
    status: Status | str, action: Action | str, roles: Iterable[str] | str, field_ids: Iterable[int], dossier_field_id: int,
    *, holds: bool = False,
) -> Transition:
    """`check` for a dossier of `dossier_field_id`, saying so when only the field stands in the way."""
    acting = roles_for_dossier(roles, field_ids, dossier_field_id, holds=holds)
    try:
        return check(status, action, acting)
    except TransitionRefused:
        if acting != _role_set(roles):
            try:
                check(status, action, roles)
            except TransitionRefused:
                pass
            else:
                raise TransitionRefused(OUTSIDE_FIELDS_REASON) from None
        raise


def allowed_actions(status: Status | str, roles: Iterable[str] | str) -> list[Action]:
    """The actions someone holding `roles` may take on a dossier in `status`, in button order."""
    status, roles = Status(status), _role_set(roles)
    return [
        action for action, rule in RULES.items() if status in rule.moves and not rule.roles.isdisjoint(roles)
    ]


def transition_for(from_status: Status | str, to_status: Status | str) -> list[Action]:
    """The actions that move a dossier from one status to the other, whoever takes them."""
    from_status, to_status = Status(from_status), Status(to_status)
    return [action for action, rule in RULES.items() if rule.moves.get(from_status) == to_status]
