"""Tests for the dossier status machine."""

import itertools
import re

import pytest

from app.rules.status import (
    CITIZEN_TEXTS,
    FINAL_STATUSES,
    OUTSIDE_FIELDS_REASON,
    RESOLVED_STATUSES,
    STATUS_LABELS,
    Action,
    Clock,
    Status,
    Transition,
    TransitionRefused,
    allowed_actions,
    check,
    check_on_dossier,
    roles_for_dossier,
    transition_for,
)

S, A = Status, Action
EVERY_ROLE = {"tiep_nhan", "chuyen_mon", "lanh_dao", "quan_tri"}

# The machine written out edge by edge, independently of the module's table: (from, action) -> to.
EDGES = {
    (S.RECEIVED, A.START): S.PROCESSING,
    (S.PROCESSING, A.REQUEST_DOCUMENTS): S.WAITING_DOCUMENTS,
    (S.WAITING_DOCUMENTS, A.DOCUMENTS_RECEIVED): S.PROCESSING,
    (S.PROCESSING, A.SEND_FOR_APPROVAL): S.WAITING_APPROVAL,
    (S.WAITING_APPROVAL, A.APPROVE): S.RESULT_READY,
    (S.PROCESSING, A.APPROVE): S.RESULT_READY,
    (S.WAITING_APPROVAL, A.RETURN_TO_PROCESSING): S.PROCESSING,
    (S.PROCESSING, A.REFUSE): S.REFUSED,
    (S.WAITING_APPROVAL, A.REFUSE): S.REFUSED,
    (S.RECEIVED, A.STOP): S.STOPPED,
    (S.PROCESSING, A.STOP): S.STOPPED,
    (S.WAITING_DOCUMENTS, A.STOP): S.STOPPED,
    (S.WAITING_APPROVAL, A.STOP): S.STOPPED,
    (S.RECEIVED, A.WITHDRAW): S.WITHDRAWN,
    (S.PROCESSING, A.WITHDRAW): S.WITHDRAWN,
    (S.WAITING_DOCUMENTS, A.WITHDRAW): S.WITHDRAWN,
    (S.WAITING_APPROVAL, A.WITHDRAW): S.WITHDRAWN,
    (S.RESULT_READY, A.HAND_OVER): S.RETURNED,
    (S.PROCESSING, A.TRANSFER): S.PROCESSING,
}

ROLES = {
    A.START: {"chuyen_mon", "lanh_dao"},
    A.REQUEST_DOCUMENTS: {"chuyen_mon", "lanh_dao"},
    A.DOCUMENTS_RECEIVED: {"tiep_nhan", "chuyen_mon", "lanh_dao"},
    A.SEND_FOR_APPROVAL: {"chuyen_mon", "lanh_dao"},
    A.APPROVE: {"lanh_dao"},
    A.RETURN_TO_PROCESSING: {"lanh_dao"},
    A.REFUSE: {"chuyen_mon", "lanh_dao"},
    A.STOP: {"chuyen_mon", "lanh_dao"},
    A.WITHDRAW: {"tiep_nhan", "chuyen_mon", "lanh_dao"},
    A.HAND_OVER: {"tiep_nhan"},
    A.TRANSFER: {"chuyen_mon", "lanh_dao"},
}

CLOCK = {
    A.REQUEST_DOCUMENTS: Clock.PAUSE,
    A.DOCUMENTS_RECEIVED: Clock.RESUME,
    A.APPROVE: Clock.STOP,
    A.REFUSE: Clock.STOP,
    A.STOP: Clock.STOP,
    A.WITHDRAW: Clock.STOP,
}

NOTE_REQUIRED = {A.REQUEST_DOCUMENTS, A.REFUSE, A.STOP, A.WITHDRAW}

VIETNAMESE_LETTER = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")


def assert_vietnamese_reason(refusal: pytest.ExceptionInfo) -> str:
    reason = refusal.value.reason
    assert reason.strip() and VIETNAMESE_LETTER.search(reason.lower()), reason
    assert str(refusal.value) == reason
    return reason


@pytest.mark.parametrize("status, action", list(itertools.product(Status, Action)))
def test_every_status_and_action(status, action):
    if (status, action) in EDGES:
        transition = check(status, action, EVERY_ROLE)
        assert transition == Transition(
            action, status, EDGES[status, action], CLOCK.get(action, Clock.NONE), action in NOTE_REQUIRED
        )
    else:
        with pytest.raises(TransitionRefused) as refusal:
            check(status, action, EVERY_ROLE)
        reason = assert_vietnamese_reason(refusal)
        assert f"«{action.label}»" in reason and f"«{status.label}»" in reason


@pytest.mark.parametrize("from_status, to_status", list(itertools.product(Status, Status)))
def test_exactly_the_table_is_reachable(from_status, to_status):
    expected = [action for (source, action), target in EDGES.items() if (source, target) == (from_status, to_status)]
    assert sorted(transition_for(from_status, to_status)) == sorted(expected)


@pytest.mark.parametrize("status, action", list(EDGES))
@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
def test_roles(status, action, role):
    if role in ROLES[action]:
        assert check(status, action, [role]).to_status == EDGES[status, action]
    else:
        with pytest.raises(TransitionRefused) as refusal:
            check(status, action, [role])
        assert assert_vietnamese_reason(refusal).startswith("Vai trò của bạn không được phép")


def test_role_refusal_names_who_may_act():
    with pytest.raises(TransitionRefused) as refusal:
        check(S.WAITING_APPROVAL, A.APPROVE, ["chuyen_mon"])
    assert refusal.value.reason == "Vai trò của bạn không được phép «Phê duyệt»; việc này dành cho lãnh đạo."


def test_wrong_status_is_explained_before_role():
    with pytest.raises(TransitionRefused) as refusal:
        check(S.RECEIVED, A.APPROVE, ["tiep_nhan"])
    assert refusal.value.reason == (
        "Hồ sơ đang ở trạng thái «Đã tiếp nhận» nên không thể «Phê duyệt»: "
        "thao tác này chỉ dùng cho hồ sơ «Đang giải quyết» hoặc «Chờ phê duyệt»."
    )


def test_final_status_refusal_says_the_dossier_is_closed():
    with pytest.raises(TransitionRefused) as refusal:
        check(S.RETURNED, A.HAND_OVER, ["tiep_nhan"])
    assert refusal.value.reason == "Hồ sơ đã ở trạng thái «Đã trả kết quả» nên không thể «Trả kết quả» nữa."


def test_specialist_cannot_approve_straight_from_processing_but_leader_can():
    with pytest.raises(TransitionRefused):
        check(S.PROCESSING, A.APPROVE, ["chuyen_mon"])
    assert check(S.PROCESSING, A.APPROVE, ["lanh_dao"]).to_status == S.RESULT_READY


def test_administrator_alone_can_do_nothing():
    assert all(allowed_actions(status, ["quan_tri"]) == [] for status in Status)


def test_a_person_with_several_roles_gets_the_union():
    assert check(S.RESULT_READY, A.HAND_OVER, ["quan_tri", "tiep_nhan"]).to_status == S.RETURNED


def test_a_single_role_string_is_one_role_not_letters():
    assert check(S.RECEIVED, A.START, "chuyen_mon").to_status == S.PROCESSING
    assert allowed_actions(S.RESULT_READY, "tiep_nhan") == [A.HAND_OVER]


def test_values_from_the_database_and_forms_are_accepted():
    transition = check("waiting_documents", "documents_received", ["tiep_nhan"])
    assert (transition.from_status, transition.to_status, transition.clock) == (
        S.WAITING_DOCUMENTS, S.PROCESSING, Clock.RESUME,
    )


def test_unknown_action_from_a_form_is_refused_not_a_crash():
    with pytest.raises(TransitionRefused) as refusal:
        check(S.PROCESSING, "delete_everything", ["lanh_dao"])
    assert_vietnamese_reason(refusal)


def test_unknown_status_is_a_programming_error():
    with pytest.raises(ValueError):
        check("lost", A.START, ["lanh_dao"])


@pytest.mark.parametrize("status, roles, expected", [
    (S.RECEIVED, ["tiep_nhan"], [A.WITHDRAW]),
    (S.RECEIVED, ["chuyen_mon"], [A.START, A.STOP, A.WITHDRAW]),
    (S.PROCESSING, ["chuyen_mon"], [
        A.REQUEST_DOCUMENTS, A.SEND_FOR_APPROVAL, A.REFUSE, A.STOP, A.WITHDRAW, A.TRANSFER,
    ]),
    (S.PROCESSING, ["lanh_dao"], [
        A.REQUEST_DOCUMENTS, A.SEND_FOR_APPROVAL, A.APPROVE, A.REFUSE, A.STOP, A.WITHDRAW, A.TRANSFER,
    ]),
    (S.WAITING_DOCUMENTS, ["tiep_nhan"], [A.DOCUMENTS_RECEIVED, A.WITHDRAW]),
    (S.WAITING_APPROVAL, ["chuyen_mon"], [A.REFUSE, A.STOP, A.WITHDRAW]),
    (S.WAITING_APPROVAL, ["lanh_dao"], [A.APPROVE, A.RETURN_TO_PROCESSING, A.REFUSE, A.STOP, A.WITHDRAW]),
    (S.RESULT_READY, ["tiep_nhan"], [A.HAND_OVER]),
    (S.RESULT_READY, ["chuyen_mon", "lanh_dao"], []),
    (S.RETURNED, EVERY_ROLE, []),
])
def test_allowed_actions_build_the_buttons(status, roles, expected):
    assert allowed_actions(status, roles) == expected


@pytest.mark.parametrize("status, action", list(itertools.product(Status, Action)))
def test_allowed_actions_agree_with_check(status, action):
    for role in EVERY_ROLE:
        try:
            check(status, action, [role])
        except TransitionRefused:
            assert action not in allowed_actions(status, [role])
        else:
            assert action in allowed_actions(status, [role])


def test_clock_pauses_while_waiting_for_the_citizen_and_resumes_after():
    assert check(S.PROCESSING, A.REQUEST_DOCUMENTS, ["chuyen_mon"]).clock == Clock.PAUSE
    assert check(S.WAITING_DOCUMENTS, A.DOCUMENTS_RECEIVED, ["tiep_nhan"]).clock == Clock.RESUME


def test_clock_is_untouched_by_transfer_and_hand_over():
    assert check(S.PROCESSING, A.TRANSFER, ["chuyen_mon"]).clock == Clock.NONE
    assert check(S.RESULT_READY, A.HAND_OVER, ["tiep_nhan"]).clock == Clock.NONE


def test_transfer_keeps_the_status():
    transition = check(S.PROCESSING, A.TRANSFER, ["lanh_dao"])
    assert transition.from_status == transition.to_status == S.PROCESSING


def test_the_clock_stops_once_the_result_exists_or_the_dossier_ends():
    for (_, action), target in EDGES.items():
        if target != S.RETURNED and (target.is_final or target.is_resolved):
            assert action.clock == Clock.STOP


def test_nothing_leaves_a_final_status():
    for status in FINAL_STATUSES:
        assert all(transition_for(status, target) == [] for target in Status)
        assert allowed_actions(status, EVERY_ROLE) == []


def test_final_and_resolved_sets():
    assert FINAL_STATUSES == {S.RETURNED, S.REFUSED, S.STOPPED, S.WITHDRAWN}
    assert RESOLVED_STATUSES == {S.RESULT_READY, S.RETURNED, S.REFUSED}
    assert S.RESULT_READY.is_resolved and not S.RESULT_READY.is_final
    assert S.STOPPED.is_final and not S.STOPPED.is_resolved


@pytest.mark.parametrize("status, label", [
    (S.RECEIVED, "Đã tiếp nhận"),
    (S.PROCESSING, "Đang giải quyết"),
    (S.WAITING_DOCUMENTS, "Chờ bổ sung"),
    (S.WAITING_APPROVAL, "Chờ phê duyệt"),
    (S.RESULT_READY, "Đã có kết quả, chờ trả"),
    (S.RETURNED, "Đã trả kết quả"),
    (S.REFUSED, "Từ chối giải quyết"),
    (S.STOPPED, "Dừng giải quyết"),
    (S.WITHDRAWN, "Công dân rút hồ sơ"),
])
def test_status_labels(status, label):
    assert status.label == label == STATUS_LABELS[status]


def test_every_status_has_a_citizen_sentence():
    assert set(CITIZEN_TEXTS) == set(Status)
    for status in Status:
        text = status.citizen_text
        assert text.endswith(".") and VIETNAMESE_LETTER.search(text.lower())


def test_every_action_has_a_vietnamese_label_and_stored_value():
    labels = [action.label for action in Action]
    assert len(set(labels)) == len(labels)
    assert all(VIETNAMESE_LETTER.search(label.lower()) for label in labels)
    assert all(re.fullmatch(r"[a-z_]+", action.value) for action in Action)
    assert all(re.fullmatch(r"[a-z_]+", status.value) for status in Status)


def test_note_is_required_for_the_actions_the_citizen_must_be_told_about():
    assert {action for action in Action if action.note_required} == NOTE_REQUIRED


# A specialist's role counts only on dossiers of their fields; every other role is unaffected by the field.
@pytest.mark.parametrize(
    ("roles", "field_ids", "dossier_field", "expected"),
    [
        ({"chuyen_mon"}, {1}, 1, {"chuyen_mon"}),
        ({"chuyen_mon"}, {1}, 2, set()),
        ({"chuyen_mon"}, set(), 1, set()),
        ({"chuyen_mon"}, {1, 2}, 2, {"chuyen_mon"}),
        ({"chuyen_mon", "tiep_nhan"}, {1}, 2, {"tiep_nhan"}),
        ({"chuyen_mon", "lanh_dao"}, {1}, 2, {"lanh_dao"}),
        ({"lanh_dao"}, set(), 2, {"lanh_dao"}),
        ({"tiep_nhan"}, set(), 2, {"tiep_nhan"}),
        ({"quan_tri"}, set(), 2, {"quan_tri"}),
        ("chuyen_mon", {2}, 2, {"chuyen_mon"}),
    ],
)
def test_roles_for_dossier_drops_the_specialist_role_outside_their_fields(roles, field_ids, dossier_field, expected):
    assert roles_for_dossier(roles, field_ids, dossier_field) == expected


@pytest.mark.parametrize(("roles", "holds", "expected"), [({"chuyen_mon"}, True, {"chuyen_mon"}), ({"chuyen_mon"}, False, set()), ({"tiep_nhan"}, True, {"tiep_nhan"})])
def test_a_specialist_acts_on_a_dossier_of_another_field_handed_to_them(roles, holds, expected):
    assert roles_for_dossier(roles, {1}, 2, holds=holds) == expected
    if expected == {"chuyen_mon"}:
        assert check_on_dossier(S.PROCESSING, A.SEND_FOR_APPROVAL, roles, {1}, 2, holds=holds).to_status == S.WAITING_APPROVAL


@pytest.mark.parametrize("action", [A.SEND_FOR_APPROVAL, A.TRANSFER, A.REFUSE, A.STOP, A.WITHDRAW, A.REQUEST_DOCUMENTS])
def test_a_specialist_outside_their_field_is_refused_with_the_field_reason(action):
    assert check_on_dossier(S.PROCESSING, action, {"chuyen_mon"}, {1}, 1).action == action
    with pytest.raises(TransitionRefused) as refused:
        check_on_dossier(S.PROCESSING, action, {"chuyen_mon"}, {1}, 2)
    assert refused.value.reason == OUTSIDE_FIELDS_REASON


def test_field_check_keeps_the_status_reason_and_other_roles():
    # The status, not the field, is what stops this one: the person hears about the status.
    with pytest.raises(TransitionRefused) as refused:
        check_on_dossier(S.RETURNED, A.STOP, {"chuyen_mon"}, {1}, 2)
    assert "Đã trả kết quả" in refused.value.reason
    # A counter clerk who is also a specialist still records a withdrawal in any field.
    assert check_on_dossier(S.PROCESSING, A.WITHDRAW, {"chuyen_mon", "tiep_nhan"}, {1}, 2).to_status == S.WITHDRAWN
    assert check_on_dossier(S.PROCESSING, A.SEND_FOR_APPROVAL, {"lanh_dao"}, set(), 2).to_status == S.WAITING_APPROVAL
    assert check_on_dossier(S.PROCESSING, A.SEND_FOR_APPROVAL, {"chuyen_mon", "lanh_dao"}, {1}, 2).to_status == S.WAITING_APPROVAL
