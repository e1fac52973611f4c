"""Processing rules: the urgency buckets, the search box, the pause with a holiday, Mẫu 04 and the version check."""
import datetime
import threading

import pytest

from app.db import database
from app.models import Dossier, DossierEvent
from app.rules.deadlines import Urgency, timeliness, urgency
from app.rules.status import Action, Status, TransitionRefused
from app.services import worklist
from app.services.dossiers import ExtensionRefused, StaleDossier, act, extend
from tests.conftest import user

NOW = datetime.datetime(2026, 11, 30, 10, 0)  # a Monday
NEXT_WORKING_DAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("due_at", "expected"),
    [
        (datetime.datetime(2026, 11, 27, 17, 0), Urgency.OVERDUE),
        (datetime.datetime(2026, 11, 30, 9, 59), Urgency.OVERDUE),
        (datetime.datetime(2026, 11, 30, 10, 0), Urgency.TODAY),
        (datetime.datetime(2026, 11, 30, 17, 0), Urgency.TODAY),
        (datetime.datetime(2026, 12, 1, 17, 0), Urgency.SOON),
        (datetime.datetime(2026, 12, 2, 8, 0), Urgency.LATER),
    ],
)
def test_urgency_buckets(due_at, expected):
    assert urgency(due_at, NOW, NEXT_WORKING_DAY) == expected


def test_urgency_before_a_weekend_counts_monday_as_soon():
    friday = datetime.datetime(2026, 11, 27, 9, 0)
    assert urgency(datetime.datetime(2026, 11, 30, 17, 0), friday, datetime.date(2026, 11, 30)) == Urgency.SOON


@pytest.mark.parametrize(
    ("resolved_at", "expected"),
    [
        (datetime.datetime(2026, 12, 1, 16, 0), "Trước hạn"),
        (datetime.datetime(2026, 12, 2, 8, 0), "Đúng hạn"),
        (datetime.datetime(2026, 12, 2, 17, 30), "Đúng hạn"),
        (datetime.datetime(2026, 12, 3, 8, 0), "Quá hạn"),
    ],
)
def test_timeliness_against_the_appointment(resolved_at, expected):
    assert timeliness(resolved_at, datetime.datetime(2026, 12, 2, 17, 0)) == expected


@pytest.mark.parametrize(
    ("typed", "sql_fragment"),
    [
        ("000.00.20.h42-261130-0001", '"code" = ?'),
        ("12", '"sequence" = ?'),
        ("261130-12", '"received_day" = ?'),
        ("001203012345", '"id_number" = ?'),
        ("123456789", '"id_number" = ?'),
        ("+84 912 345 678", '"phone" = ?'),
        ("nguyen van", '"applicant_key" >= ?'),
    ],
)
def test_search_box_understands_codes_numbers_and_names(app, typed, sql_fragment):
    search = worklist.parse_search(typed)
    sql, _ = Dossier.select().where(search.condition).sql()
    assert sql_fragment.replace("?", database.param) in sql
    assert search.by_name == (sql_fragment == '"applicant_key" >= ?')


def test_documents_received_moves_the_appointment_by_working_days_paused_across_a_holiday(make_dossier):
    # Received Wed 26/8/2026, 3 working days: 27, 28 and then 3/9 (31/8, 1/9, 2/9 are National Day holidays).
    dossier = make_dossier("1.004873", received_at=datetime.datetime(2026, 8, 26, 9, 0))
    assert dossier.due_at == datetime.datetime(2026, 9, 3, 17, 0)
    specialist = user("chuyen_mon")
    act(dossier, Action.START, specialist, at=datetime.datetime(2026, 8, 26, 10, 0))
    act(dossier, Action.REQUEST_DOCUMENTS, specialist, note="Thiếu giấy tờ tùy thân", at=datetime.datetime(2026, 8, 27, 10, 0))
    resumed = act(dossier, Action.DOCUMENTS_RECEIVED, specialist, at=datetime.datetime(2026, 9, 4, 9, 0))
    # Paused on 27/8, 28/8 and 3/9: three working days, so Fri 4/9, Mon 7/9, Tue 8/9.
    assert resumed.due_at == datetime.datetime(2026, 9, 8, 17, 0)
    assert resumed.paused_at is None
    with pytest.raises(TransitionRefused):
        act(resumed, Action.DOCUMENTS_RECEIVED, specialist, at=datetime.datetime(2026, 9, 4, 9, 5))
    assert Dossier.get_by_id(dossier.id).due_at == datetime.datetime(2026, 9, 8, 17, 0)


def test_extend_sets_a_later_appointment_and_keeps_the_original(make_dossier):
    dossier = make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 30, 9, 0))
    event = extend(dossier, datetime.datetime(2026, 12, 8, 17, 0), user("chuyen_mon"), "Chờ xác minh tại nơi cư trú")
    stored = Dossier.get_by_id(dossier.id)
    assert stored.due_at == datetime.datetime(2026, 12, 3, 17, 0)
    assert stored.extended_due_at == datetime.datetime(2026, 12, 8, 17, 0)
    assert stored.version == dossier.version + 1
    assert event.action == "extend" and event.data["due_at_before"] == "2026-12-03T17:00:00"


@pytest.mark.parametrize(
    ("new_due_at", "reason", "message"),
    [
        (datetime.datetime(2026, 12, 2, 17, 0), "Chờ xác minh", "Ngày hẹn mới phải sau ngày hẹn hiện tại"),
        (datetime.datetime(2026, 12, 3, 17, 0), "Chờ xác minh", "Ngày hẹn mới phải sau ngày hẹn hiện tại"),
        (datetime.datetime(2026, 12, 5, 17, 0), "Chờ xác minh", "Ngày hẹn mới phải là ngày làm việc."),
        (datetime.datetime(2026, 12, 8, 17, 0), "   ", "Vui lòng ghi rõ lý do chậm trễ."),
    ],
)
def test_extend_refuses_bad_dates_and_changes_nothing(make_dossier, new_due_at, reason, message):
    dossier = make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 30, 9, 0))
    with pytest.raises(ExtensionRefused, match=message):
        extend(dossier, new_due_at, user("chuyen_mon"), reason)
    stored = Dossier.get_by_id(dossier.id)
    assert stored.extended_due_at is None and stored.version == dossier.version
    assert DossierEvent.select().where(DossierEvent.action == "extend").count() == 0


def test_extend_refuses_a_dossier_already_settled(make_dossier):
    dossier = make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 30, 9, 0))
    act(dossier, Action.WITHDRAW, user("tiep_nhan"), note="Công dân xin rút")
    with pytest.raises(ExtensionRefused, match="Công dân rút hồ sơ"):
        extend(dossier, datetime.datetime(2026, 12, 8, 17, 0), user("chuyen_mon"), "Chờ xác minh")


def test_second_extension_must_be_later_than_the_first(make_dossier):
    dossier = make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 30, 9, 0))
    extend(dossier, datetime.datetime(2026, 12, 8, 17, 0), user("chuyen_mon"), "Chờ xác minh")
    with pytest.raises(ExtensionRefused):
        extend(dossier, datetime.datetime(2026, 12, 7, 17, 0), user("chuyen_mon"), "Chờ xác minh thêm")


def test_two_specialists_acting_at_once_one_wins_and_the_other_is_told(make_dossier, app):
    """Two threads, two connections, the same version seen: exactly one change is stored."""
    dossier = make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 30, 9, 0))
    seen = dossier.version
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(action, note):
        with database.connection_context():
            person = user("chuyen_mon")
            barrier.wait()
            try:
                act(dossier, action, person, note=note, expected_version=seen)
                outcomes.append("ok")
            except (StaleDossier, TransitionRefused) as error:
                outcomes.append(type(error).__name__)

    threads = [
        threading.Thread(target=attempt, args=(Action.START, "")),
        threading.Thread(target=attempt, args=(Action.STOP, "Người yêu cầu đề nghị dừng")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["StaleDossier", "ok"]
    stored = Dossier.get_by_id(dossier.id)
    assert stored.version == seen + 1
    assert DossierEvent.select().where(DossierEvent.dossier == dossier).count() == 2
    assert stored.status in (Status.PROCESSING, Status.STOPPED)
