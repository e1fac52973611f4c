"""Convention D (Decision 766/QĐ-TTg, indicator 2.1, estimated): one dossier per case, walked through the
status machine so that its appointment moves as it really does, then judged in September 2025."""
import datetime

import pytest

from app.models import Dossier
from app.rules.status import Action
from app.services import statistics
from app.services.dossiers import act
from tests.conftest import user

MARITAL_STATUS = "1.004873"  # Hộ tịch, 3 working days
SEPTEMBER = (datetime.date(2025, 9, 1), datetime.date(2025, 9, 30))
OCTOBER = (datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))

START, REQUEST, RECEIVED = Action.START, Action.REQUEST_DOCUMENTS, Action.DOCUMENTS_RECEIVED
APPROVE, WITHDRAW = Action.APPROVE, Action.WITHDRAW


def at(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(f"{text}/2025", "%d/%m %H:%M/%Y")


# Received Mon 15/09/2025 09:00, due Thu 18/09 unless waiting moves it; "22/09" cases are due Thu 25/09.
# Each: (received, steps, what D says in September: 1 on time, 0 late, and whether it was asked twice).
CASES = {
    # No request for documents.
    "resolved on its appointment day": ("15/09 09:00", [(START, "15/09 10:00"), (APPROVE, "18/09 16:00")], 1, 0),
    "resolved the day after its appointment": ("15/09 09:00", [(START, "15/09 10:00"), (APPROVE, "19/09 08:00")], 0, 0),
    "open and past its appointment at the end": ("15/09 09:00", [(START, "15/09 10:00")], 0, 0),
    "open and within its appointment at the end": ("29/09 09:00", [(START, "29/09 10:00")], 1, 0),
    "withdrawn on its appointment day": ("15/09 09:00", [(WITHDRAW, "18/09 16:00")], 1, 0),
    "withdrawn after its appointment": ("15/09 09:00", [(WITHDRAW, "19/09 08:00")], 0, 0),
    # One request: waiting Tue 16 to Fri 19 (three working days) moves the appointment to Tue 23/09.
    "one request, resolved within the time waiting added": (
        "15/09 09:00", [(START, "15/09 10:00"), (REQUEST, "16/09 09:00"), (RECEIVED, "19/09 09:00"), (APPROVE, "23/09 15:00")], 1, 0),
    "one request, resolved after the time waiting added": (
        "15/09 09:00", [(START, "15/09 10:00"), (REQUEST, "16/09 09:00"), (RECEIVED, "19/09 09:00"), (APPROVE, "24/09 09:00")], 0, 0),
    "one request on the appointment day, still waiting at the end": (
        "22/09 09:00", [(START, "22/09 10:00"), (REQUEST, "25/09 09:00")], 1, 0),
    "one request after the appointment, still waiting at the end": (
        "22/09 09:00", [(START, "22/09 10:00"), (REQUEST, "26/09 09:00")], 0, 0),
    "one request, withdrawn while waiting after the appointment": (
        "15/09 09:00", [(START, "15/09 10:00"), (REQUEST, "17/09 09:00"), (WITHDRAW, "29/09 09:00")], 1, 0),
    # Two requests: late, even resolved before the appointment their waiting moved (Mon 22/09).
    "two requests, resolved early": (
        "15/09 09:00",
        [(START, "15/09 10:00"), (REQUEST, "16/09 09:00"), (RECEIVED, "17/09 09:00"), (REQUEST, "18/09 09:00"), (RECEIVED, "19/09 09:00"), (APPROVE, "19/09 15:00")],
        0, 1),
    "two requests, still waiting at the end": (
        "22/09 09:00", [(START, "22/09 10:00"), (REQUEST, "23/09 09:00"), (RECEIVED, "24/09 09:00"), (REQUEST, "24/09 15:00")], 0, 1),
}


def walk(make_dossier, received: str, steps) -> Dossier:
    leader = user("lanh_dao")
    dossier = make_dossier(MARITAL_STATUS, received_at=at(received))
    for action, when in steps:
        note = "Theo đề nghị" if action in (REQUEST, WITHDRAW) else ""
        dossier = act(Dossier.get_by_id(dossier.id), action, leader, note=note, at=at(when))
    return dossier


def d_figures(period) -> tuple:
    result = statistics.figures(*period, convention="D")
    total, judged = result["total"], result["convention_d"]
    return judged["in_time"], judged["repeated_requests"], total["received"] + total["carried_over"], total["on_time_rate"]


@pytest.mark.parametrize("name", list(CASES))
def test_convention_d_judges_each_dossier(make_dossier, name):
    received, steps, in_time, repeated = CASES[name]
    walk(make_dossier, received, steps)
    assert d_figures(SEPTEMBER) == (in_time, repeated, 1, 100.0 * in_time)


def test_waiting_moved_the_appointment_the_cases_rely_on(make_dossier):
    _received, steps, _in_time, _repeated = CASES["one request, resolved within the time waiting added"]
    dossier = walk(make_dossier, "15/09 09:00", steps[:3])
    assert dossier.due_at == at("23/09 17:00")


def test_all_cases_together_give_the_rate(make_dossier):
    for received, steps, _in_time, _repeated in CASES.values():
        walk(make_dossier, received, steps)
    on_time = sum(case[2] for case in CASES.values())
    assert d_figures(SEPTEMBER) == (on_time, 2, len(CASES), round(100 * on_time / len(CASES), 2))
    # The same dossiers under A: the two-request one resolved early counts on time there.
    a_rate = statistics.figures(*SEPTEMBER, convention="A")["total"]
    assert (a_rate["early"] + a_rate["on_time"], a_rate["resolved"]) == (3, 5)


def test_a_second_request_after_the_period_end_is_not_counted_in_it(make_dossier):
    # Due Thu 25/09; waiting Wed 24 to Tue 30 (four working days) moves it to Wed 01/10; asked again on 01/10.
    dossier = walk(make_dossier, "22/09 09:00", [(START, "22/09 10:00"), (REQUEST, "24/09 09:00"), (RECEIVED, "30/09 09:00"), (REQUEST, "01/10 09:00")])
    assert dossier.due_at == at("01/10 17:00")
    assert d_figures(SEPTEMBER) == (1, 0, 1, 100.0)
    assert d_figures(OCTOBER) == (0, 1, 1, 0.0)


@pytest.mark.parametrize(
    "counts, rate",
    [
        ({"d_in_time": 3, "received": 3, "carried_over": 1}, 75.0),
        ({"d_in_time": 1_234, "received": 1_236, "carried_over": 0}, 99.84),
        ({"d_in_time": 0, "received": 0, "carried_over": 0}, None),
    ],
)
def test_on_time_rate_under_convention_d(counts, rate):
    assert statistics.on_time_rate(counts, "D") == rate


def test_convention_d_is_labelled_an_estimate():
    assert "D" in statistics.ESTIMATED_CONVENTIONS
    assert statistics.CONVENTIONS["D"].startswith("Ước tính theo Quyết định 766/QĐ-TTg")


def test_d_is_counted_only_when_asked_for_and_changes_no_other_figure(make_dossier):
    for received, steps, _in_time, _repeated in CASES.values():
        walk(make_dossier, received, steps)
    on_time = sum(case[2] for case in CASES.values())
    plain = statistics.figures(*SEPTEMBER, convention="A", by="field")
    assert "convention_d" not in plain
    asked = statistics.figures(*SEPTEMBER, convention="A", by="field", with_d=True)
    assert asked["convention_d"] == {"in_time": on_time, "repeated_requests": 2}
    assert {key: value for key, value in asked.items() if key != "convention_d"} == plain
