"""The control slip (Mẫu 06) built from a dossier's events: only real hand-overs, each judged against the appointment in force."""
from dataclasses import dataclass, field
from datetime import datetime

import pytest

from app.rules.events import CITIZEN, COUNTER, control_slip


@dataclass
class Event:
    action: str
    at: datetime
    user_name: str = ""
    note: str = ""
    data: dict = field(default_factory=dict)


def day(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


DUE = day("03/12/2026 17:00")
HISTORY = [
    Event("receive", day("30/11/2026 09:00"), "Lan (quầy)", data={"due_at": DUE.isoformat()}),
    Event("reprint", day("30/11/2026 09:05"), "Lan (quầy)"),
    Event("start", day("30/11/2026 10:00"), "Hùng (chuyên môn)"),
    Event("request_documents", day("01/12/2026 09:00"), "Hùng (chuyên môn)", note="Thiếu tờ khai"),
    # Two working days waited: the appointment moves to 07/12.
    Event("documents_received", day("03/12/2026 09:00"), "Lan (quầy)", data={"due_at": day("07/12/2026 17:00").isoformat()}),
    Event("extend", day("03/12/2026 10:00"), "Hùng (chuyên môn)"),
    Event("transfer", day("04/12/2026 08:00"), "Hùng (chuyên môn)", data={"assignee_name": "Mai (chuyên môn)"}),
    Event("send_for_approval", day("07/12/2026 09:00"), "Mai (chuyên môn)"),
    Event("return_to_processing", day("07/12/2026 11:00"), "Bình (lãnh đạo)", note="Sửa trích lục"),
    Event("send_for_approval", day("07/12/2026 15:00"), "Mai (chuyên môn)"),
    Event("approve", day("08/12/2026 08:00"), "Bình (lãnh đạo)"),
    Event("hand_over", day("09/12/2026 08:00"), "Lan (quầy)"),
    Event("rating", day("09/12/2026 08:05")),
]


def test_control_slip_lists_only_hand_overs_with_giver_taker_and_result():
    lines = [(line.step, line.giver, line.taker, line.result) for line in control_slip(HISTORY, DUE)]
    assert lines == [
        ("Tiếp nhận hồ sơ", CITIZEN, "Lan (quầy)", "Trước hạn"),
        ("Bắt đầu giải quyết", "Lan (quầy)", "Hùng (chuyên môn)", "Trước hạn"),
        ("Yêu cầu bổ sung", "Hùng (chuyên môn)", CITIZEN, "Trước hạn"),
        # Judged against the appointment moved by the wait (07/12), no longer against 03/12.
        ("Nhận hồ sơ bổ sung", CITIZEN, "Hùng (chuyên môn)", "Trước hạn"),
        ("Chuyển người xử lý", "Hùng (chuyên môn)", "Mai (chuyên môn)", "Trước hạn"),
        ("Trình phê duyệt", "Mai (chuyên môn)", "Lãnh đạo phê duyệt", "Đúng hạn"),
        ("Trả lại xử lý", "Bình (lãnh đạo)", "Mai (chuyên môn)", "Đúng hạn"),
        ("Trình phê duyệt", "Mai (chuyên môn)", "Lãnh đạo phê duyệt", "Đúng hạn"),
        ("Phê duyệt", "Bình (lãnh đạo)", COUNTER, "Quá hạn"),
        ("Trả kết quả cho công dân", "Lan (quầy)", CITIZEN, "Quá hạn"),
    ]


@pytest.mark.parametrize("action", ["reprint", "extend", "rating", "import"])
def test_steps_that_move_no_paper_have_no_line(action):
    assert control_slip([Event(action, day("30/11/2026 09:00"), "Lan")], DUE) == []
