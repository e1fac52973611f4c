import datetime
import threading

import pytest

from app.db import database
from app.models import Counter, DaySequence, Dossier, DossierEvent, Procedure
from app.rules.status import Action, Status, TransitionRefused
from app.services.dossiers import Application, StaleDossier, act, receive
from tests.conftest import user


def test_received_dossier_has_code_token_lookup_rules_and_first_event(make_dossier):
    dossier = make_dossier("2.000815", fee_inputs={"pages": 7, "copies": 3}, received_at=datetime.datetime(2026, 2, 13, 15, 5))
    assert dossier.code == "000.00.20.H42-260213-0001"
    assert len(dossier.token) >= 22 and len(dossier.lookup_code) == 4
    assert dossier.fee_amount == 27000
    assert dossier.due_at.date() == datetime.date(2026, 2, 23)
    assert dossier.status == Status.RECEIVED
    events = list(dossier.events)
    assert [(e.action, e.to_status, e.user.username) for e in events] == [("receive", "received", "tiepnhan")]


def test_sequence_restarts_each_day(make_dossier):
    first = make_dossier(received_at=datetime.datetime(2026, 11, 30, 23, 59, 59))
    second = make_dossier(received_at=datetime.datetime(2026, 12, 1, 0, 0, 0))
    third = make_dossier(received_at=datetime.datetime(2026, 12, 1, 7, 30))
    assert [first.code[-11:], second.code[-11:], third.code[-11:]] == ["261130-0001", "261201-0001", "261201-0002"]


def test_same_idempotency_key_gives_the_same_dossier(make_dossier):
    first = make_dossier(idempotency_key="form-123")
    second = make_dossier(idempotency_key="form-123")
    assert first.id == second.id
    assert Dossier.select().count() == 1


def test_eight_counters_saving_at_once_get_eight_consecutive_codes(make_dossier, app):
    procedure_id = Procedure.get(Procedure.code == "1.001193").id
    counter_id = Counter.get(Counter.name == "Quầy 1").id
    received_at = datetime.datetime(2026, 11, 30, 10, 0)
    codes, errors = [], []
    barrier = threading.Barrier(8)

    def save(index):
        try:
            with database.connection_context():
                barrier.wait()
                application = Application(procedure=Procedure.get_by_id(procedure_id), applicant_name=f"Người {index}")
                codes.append(receive(application, user("tiep_nhan"), Counter.get_by_id(counter_id), received_at).code)
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(code[-4:] for code in codes) == [f"{n:04d}" for n in range(1, 9)]
    assert DaySequence.get(DaySequence.day == received_at.date()).last == 8


def test_pause_and_resume_move_the_appointment_by_working_days_paused(make_dossier):
    dossier = make_dossier("2.000815", fee_inputs={"pages": 1}, received_at=datetime.datetime(2026, 4, 23, 16, 0))
    specialist, leader = user("chuyen_mon"), user("lanh_dao")
    dossier = act(dossier, Action.START, specialist, at=datetime.datetime(2026, 4, 23, 8, 0))
    before = dossier.due_at
    dossier = act(dossier, Action.REQUEST_DOCUMENTS, specialist, note="Thiếu bản chính", at=datetime.datetime(2026, 4, 24, 9, 0))
    assert dossier.status == Status.WAITING_DOCUMENTS and dossier.paused_at is not None
    # Paused Fri 24/04 and resumed Tue 28/04: Fri 24 is the only working day lost (Mon 27/04 is Giỗ Tổ, off).
    dossier = act(dossier, Action.DOCUMENTS_RECEIVED, specialist, at=datetime.datetime(2026, 4, 28, 9, 0))
    assert dossier.paused_at is None
    # Received Thu 23/04 after the cut-off: due Fri 24/04; one working day paused moves it to Tue 28/04 (Mon 27/04 is off).
    assert before.date() == datetime.date(2026, 4, 24)
    assert dossier.due_at.date() == datetime.date(2026, 4, 28)
    dossier = act(dossier, Action.APPROVE, leader, data={"shelf": "Kệ A2"}, at=datetime.datetime(2026, 4, 28, 10, 0))
    assert dossier.status == Status.RESULT_READY and dossier.shelf == "Kệ A2"
    assert dossier.resolved_at == datetime.datetime(2026, 4, 28, 10, 0)
    actions = [e.action for e in DossierEvent.select().where(DossierEvent.dossier == dossier).order_by(DossierEvent.id)]
    assert actions == ["receive", "start", "request_documents", "documents_received", "approve"]


def test_refused_transition_changes_nothing(make_dossier):
    dossier = make_dossier()
    with pytest.raises(TransitionRefused):
        act(dossier, Action.APPROVE, user("lanh_dao"))
    with pytest.raises(TransitionRefused):
        act(dossier, Action.START, user("tiep_nhan"))
    with pytest.raises(TransitionRefused, match="lý do"):
        act(act(dossier, Action.START, user("chuyen_mon")), Action.REFUSE, user("chuyen_mon"), note="   ")
    stored = Dossier.get_by_id(dossier.id)
    assert stored.status == Status.PROCESSING
    assert DossierEvent.select().where(DossierEvent.dossier == dossier).count() == 2


def test_stale_version_is_refused(make_dossier):
    dossier = make_dossier()
    act(dossier, Action.START, user("chuyen_mon"), expected_version=1)
    with pytest.raises(StaleDossier) as refused:
        act(dossier, Action.STOP, user("chuyen_mon"), note="Trùng hồ sơ", expected_version=1)
    assert refused.value.dossier.status == Status.PROCESSING


def test_waiting_for_documents_moves_a_mau_04_appointment_too(make_dossier):
    from app.services.dossiers import Letter, current_appointment, extend

    specialist, leader = user("chuyen_mon"), user("lanh_dao")
    dossier = make_dossier("1.004873", fee_inputs={"copies": 1}, received_at=datetime.datetime(2026, 4, 6, 9, 0))
    dossier = act(dossier, Action.START, specialist, at=datetime.datetime(2026, 4, 6, 10, 0))
    # Mẫu 04 on Wed 08/04 proposes Wed 15/04; documents asked for on Mon 13/04 and back on Wed 15/04: two working days.
    extend(dossier, datetime.datetime(2026, 4, 15, 17, 0), leader, "Chờ xác minh", letter=Letter("UBND xã", "Chủ tịch"), at=datetime.datetime(2026, 4, 8, 9, 0))
    dossier = act(Dossier.get_by_id(dossier.id), Action.REQUEST_DOCUMENTS, specialist, note="Thiếu tờ khai", at=datetime.datetime(2026, 4, 13, 9, 0))
    dossier = act(dossier, Action.DOCUMENTS_RECEIVED, specialist, at=datetime.datetime(2026, 4, 15, 9, 0))
    assert current_appointment(dossier) == datetime.datetime(2026, 4, 17, 17, 0)
    assert dossier.extended_due_at > dossier.due_at
