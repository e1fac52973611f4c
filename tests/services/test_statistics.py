"""The figures of a small hand-made set of dossiers, whose right answers are worked out below."""
import datetime

import pytest

from app.models import Dossier, GuidanceSlip, Rating
from app.rules.periods import parse
from app.rules.status import Action
from app.services import statistics
from app.services.dossiers import act
from tests.conftest import user

CERTIFIED_COPY = "2.000815"  # Chứng thực, settled the same day
MARITAL_STATUS = "1.004873"  # Hộ tịch, 3 working days


def at(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, "%d/%m/%Y %H:%M")


@pytest.fixture
def dossiers(make_dossier):
    """Twelve dossiers around September 2025; the comments say what each is in September's report."""
    leader = user("lanh_dao")

    def make(code, received, due, resolved=None, status="returned", **changes):
        fee_inputs = {"pages": 1, "copies": 1} if code == CERTIFIED_COPY else {}
        dossier = make_dossier(code, received_at=at(received), fee_inputs=fee_inputs, **changes)
        updates = {Dossier.due_at: at(due)}
        if resolved:
            updates.update({Dossier.resolved_at: at(resolved), Dossier.status: status})
        Dossier.update(updates).where(Dossier.id == dossier.id).execute()
        return Dossier.get_by_id(dossier.id)

    made = {}
    # Carried over from August and resolved early in September.
    made["d1"] = make(CERTIFIED_COPY, "28/08/2025 09:00", "05/09/2025 17:00", "04/09/2025 10:00")
    # Received and resolved in August: not in September at all.
    made["d2"] = make(CERTIFIED_COPY, "20/08/2025 09:00", "22/08/2025 17:00", "21/08/2025 10:00")
    # On time: resolved on its appointment day.
    made["d3"] = make(CERTIFIED_COPY, "10/09/2025 08:00", "10/09/2025 17:00", "10/09/2025 14:00")
    # Late, even though a Mẫu 04 letter moved the appointment past the day it was resolved.
    made["d4"] = make(CERTIFIED_COPY, "11/09/2025 08:00", "16/09/2025 17:00", "18/09/2025 09:00", channel="truc_tuyen")
    Dossier.update(extended_due_at=at("19/09/2025 17:00")).where(Dossier.id == made["d4"].id).execute()
    # Resolved on 03/10, after the period: in progress and overdue in September, late in October.
    made["d5"] = make(MARITAL_STATUS, "25/09/2025 09:00", "30/09/2025 17:00", "03/10/2025 10:00")
    # Never resolved, due 01/10: in progress within the deadline in September.
    made["d6"] = make(MARITAL_STATUS, "26/09/2025 09:00", "01/10/2025 17:00", channel="buu_chinh")
    # Withdrawn in September.
    made["d7"] = make(CERTIFIED_COPY, "12/09/2025 08:00", "17/09/2025 17:00")
    act(made["d7"], Action.WITHDRAW, leader, note="Công dân xin rút", at=at("15/09/2025 10:00"))
    # Withdrawn on 02/10: still in progress (and overdue) at the end of September.
    made["d8"] = make(CERTIFIED_COPY, "22/09/2025 08:00", "25/09/2025 17:00")
    act(made["d8"], Action.WITHDRAW, leader, note="Công dân xin rút", at=at("02/10/2025 10:00"))
    # Stopped in September.
    made["d9"] = make(CERTIFIED_COPY, "15/09/2025 08:00", "18/09/2025 17:00", channel="tai_nha")
    act(made["d9"], Action.STOP, leader, note="Hồ sơ giả mạo", at=at("19/09/2025 10:00"))
    # Refused with an answer on its appointment day: resolved on time, and counted as refused.
    made["d10"] = make(CERTIFIED_COPY, "16/09/2025 08:00", "16/09/2025 17:00")
    act(made["d10"], Action.START, leader, at=at("16/09/2025 09:00"))
    act(made["d10"], Action.REFUSE, leader, note="Không thuộc thẩm quyền", at=at("16/09/2025 16:00"))
    # Paused two working days (Fri 05/09 09:00 to Tue 09/09 09:00): the appointment moves from 08/09
    # to 10/09, so resolving on 10/09 is on time although it is after the first appointment.
    made["d11"] = make(MARITAL_STATUS, "03/09/2025 09:00", "08/09/2025 17:00")
    act(made["d11"], Action.START, leader, at=at("04/09/2025 09:00"))
    act(made["d11"], Action.REQUEST_DOCUMENTS, leader, note="Thiếu giấy tờ", at=at("05/09/2025 09:00"))
    act(made["d11"], Action.DOCUMENTS_RECEIVED, leader, at=at("09/09/2025 09:00"))
    act(made["d11"], Action.APPROVE, leader, at=at("10/09/2025 11:00"))
    # Received in October, resolved on time the same day.
    made["d12"] = make(CERTIFIED_COPY, "01/10/2025 09:00", "01/10/2025 17:00", "01/10/2025 10:00")

    for key, level, when in (
        ("d1", "rat_hai_long", "04/09/2025 11:00"),
        ("d3", "hai_long", "10/09/2025 15:00"),
        ("d4", "khong_hai_long", "18/09/2025 10:00"),
        ("d10", "hai_long", "16/09/2025 16:30"),
        ("d12", "rat_hai_long", "01/10/2025 11:00"),
    ):
        Rating.create(dossier=made[key], level=level, at=at(when))
    for number, kind, when in (("HD-1", "mau_02", "31/08/2025 10:00"), ("HD-2", "mau_02", "02/09/2025 10:00"), ("HD-3", "mau_03", "30/09/2025 16:00")):
        GuidanceSlip.create(number=number, kind=kind, at=at(when))
    return made


def test_the_pause_moved_the_appointment(dossiers):
    assert Dossier.get_by_id(dossiers["d11"].id).due_at.date() == datetime.date(2025, 9, 10)


FIGURE_NAMES = ("carried_over", "received", "resolved", "early", "on_time", "late", "in_progress_on_time", "in_progress_overdue", "withdrawn", "stopped", "refused", "on_time_rate")


@pytest.mark.parametrize(
    "period, cutoff_day, expected",
    [
        # carried received resolved early on_time late in_progress(on time, overdue) withdrawn stopped refused rate A
        ("2025-09", 0, (1, 9, 5, 1, 3, 1, 1, 2, 1, 1, 1, 80.0)),
        # October, run today: d5 (resolved 03/10), d6 and d8 (withdrawn 02/10) come over from September.
        ("2025-10", 0, (3, 1, 2, 0, 1, 1, 0, 1, 1, 0, 0, 50.0)),
        # Cut on the 15th: 15/08–14/09. d2, d1, d11, d3 resolved; d4 and d7 (withdrawn 15/09) still open.
        ("2025-09", 15, (0, 6, 4, 2, 2, 0, 2, 0, 0, 0, 0, 100.0)),
        ("2025-Q3", 0, (0, 11, 6, 2, 3, 1, 1, 2, 1, 1, 1, 83.33)),
        ("2025-08-01..2025-08-31", 0, (0, 2, 1, 1, 0, 0, 1, 0, 0, 0, 0, 100.0)),
        ("2024", 0, (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None)),
    ],
)
def test_every_figure_as_of_the_period_end(dossiers, period, cutoff_day, expected):
    chosen = parse(period, cutoff_day)
    total = statistics.figures(chosen.start, chosen.end)["total"]
    assert tuple(total[name] for name in FIGURE_NAMES) == expected
    assert_identity(total)


def assert_identity(total):
    """Every dossier of the period is accounted for once, waiting ones included."""
    assert total["carried_over"] + total["received"] == (
        total["resolved"] + total["in_progress_on_time"] + total["in_progress_overdue"] + total["waiting"] + total["withdrawn"] + total["stopped"]
    )


@pytest.mark.parametrize(
    "period, convention, rate",
    [
        ("2025-09", "A", 80.0),  # (1 early + 3 on time) / 5 resolved
        ("2025-09", "B", 57.14),  # d1 d3 d10 d11 of the 7 due in September and not withdrawn or stopped by then
        ("2025-09", "C", 70.0),  # 100 − (1 late + 2 overdue) / (9 received + 1 carried over)
        ("2025-10", "A", 50.0),
        ("2025-10", "B", 50.0),  # d12 of d6 and d12
        ("2025-10", "C", 50.0),  # 100 − (1 + 1) / (1 + 3)
    ],
)
def test_the_three_conventions(dossiers, period, convention, rate):
    chosen = parse(period)
    result = statistics.figures(chosen.start, chosen.end, convention=convention)
    assert result["convention"] == convention
    assert result["total"]["on_time_rate"] == rate


@pytest.mark.parametrize(
    "counts, convention, rate",
    [
        ({"early": 635_000, "on_time": 593, "resolved": 643_272}, "A", 98.81),
        ({"early": 0, "on_time": 0, "resolved": 0}, "A", None),
        ({"due_in_period_met": 3, "due_in_period": 4}, "B", 75.0),
        ({"due_in_period_met": 0, "due_in_period": 0}, "B", None),
        ({"received": 90, "carried_over": 10, "late": 1, "in_progress_overdue": 2}, "C", 97.0),
        ({"received": 0, "carried_over": 0, "late": 0, "in_progress_overdue": 0}, "C", None),
    ],
)
def test_on_time_rate_conventions(counts, convention, rate):
    assert statistics.on_time_rate(counts, convention) == rate


def test_breakdown_by_field_and_procedure(dossiers):
    result = statistics.figures(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30), by=["field", "procedure"])
    by_label = {(row["by"], row["label"]): row for row in result["rows"]}
    civil = by_label[("field", "Hộ tịch")]
    assert (civil["received"], civil["resolved"], civil["on_time"], civil["in_progress_on_time"], civil["in_progress_overdue"], civil["on_time_rate"]) == (3, 1, 1, 1, 1, 100.0)
    certification = by_label[("field", "Chứng thực")]
    assert (certification["carried_over"], certification["received"], certification["resolved"], certification["withdrawn"], certification["stopped"], certification["on_time_rate"]) == (1, 6, 4, 1, 1, 75.0)
    procedures = [row for row in result["rows"] if row["by"] == "procedure"]
    assert {row["key"] for row in procedures} == {CERTIFIED_COPY, MARITAL_STATUS}
    assert all(row["field"] == (civil["key"] if row["key"] == MARITAL_STATUS else certification["key"]) for row in procedures)
    assert sum(row["received"] for row in procedures) == result["total"]["received"]


def test_breakdowns_add_up_to_the_total(dossiers):
    result = statistics.figures(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30), by=list(statistics.DIMENSIONS))
    for dimension in statistics.DIMENSIONS:
        rows = [row for row in result["rows"] if row["by"] == dimension]
        assert rows, dimension
        for name in FIGURE_NAMES[:-1]:
            assert sum(row[name] for row in rows) == result["total"][name], (dimension, name)
    officers = [row for row in result["rows"] if row["by"] == "officer"]
    assert [row["label"] for row in officers] == ["Cán bộ tiepnhan"]
    counters = [row for row in result["rows"] if row["by"] == "counter"]
    assert [row["label"] for row in counters] == ["Quầy 1"]
    villages = [row for row in result["rows"] if row["by"] == "village"]
    assert [row["label"] for row in villages] == [statistics.UNKNOWN_LABEL]


def test_received_by_channel_slips_and_satisfaction(dossiers):
    result = statistics.figures(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30))
    assert result["received_by_channel"] == {"truc_tiep": 6, "tai_nha": 1, "buu_chinh": 1, "truc_tuyen": 1}
    assert result["guidance_slips"] == {"total": 2, "mau_02": 1, "mau_03": 1}
    assert result["satisfaction"] == {"rat_hai_long": 1, "hai_long": 2, "khong_hai_long": 1, "total": 4, "satisfied_rate": 75.0}


def test_monthly_series_for_the_chart(dossiers):
    from app.rules.periods import months

    series = statistics.monthly(months(parse("2025-Q3")))
    assert [(month["label"], month["received"], month["resolved"], month["on_time_rate"]) for month in series] == [
        ("Tháng 7/2025", 0, 0, None),
        ("Tháng 8/2025", 2, 1, 100.0),
        ("Tháng 9/2025", 9, 5, 80.0),
    ]


@pytest.mark.parametrize("by", ["district", ["field", "nope"]])
def test_unknown_breakdown_is_refused(db, by):
    with pytest.raises(ValueError):
        statistics.figures(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30), by=by)


@pytest.fixture
def waiting_across_september(make_dossier):
    """Received Mon 22/09/2025 (3 working days, due Thu 25/09); Mẫu 02 on Wed 24/09; documents back Mon 06/10."""
    leader = user("lanh_dao")
    dossier = make_dossier(MARITAL_STATUS, received_at=at("22/09/2025 09:00"))
    act(dossier, Action.START, leader, at=at("22/09/2025 10:00"))
    act(dossier, Action.REQUEST_DOCUMENTS, leader, note="Thiếu tờ khai", at=at("24/09/2025 09:00"))
    return dossier


def test_a_dossier_waiting_at_the_period_end_is_waiting_not_overdue(waiting_across_september):
    total = statistics.figures(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30))["total"]
    assert (total["received"], total["waiting"], total["in_progress_overdue"], total["in_progress_on_time"]) == (1, 1, 0, 0)
    assert_identity(total)
    # Still waiting in October: carried over and waiting again, however long it waits.
    october = statistics.figures(datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))["total"]
    assert (october["carried_over"], october["waiting"], october["in_progress_overdue"]) == (1, 1, 0)


def test_the_clock_restarts_with_a_new_appointment_when_the_documents_arrive(waiting_across_september):
    leader = user("lanh_dao")
    resumed = act(Dossier.get_by_id(waiting_across_september.id), Action.DOCUMENTS_RECEIVED, leader, at=at("06/10/2025 09:00"))
    # Paused Wed 24/09 to Mon 06/10: eight working days (24, 25, 26, 29, 30/09, 01, 02, 03/10), so Thu 25/09 becomes Tue 07/10.
    assert resumed.due_at == at("07/10/2025 17:00")
    september = statistics.figures(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30))["total"]
    assert (september["waiting"], september["in_progress_overdue"]) == (1, 0)
    # Waiting until the morning of the 6th, then in progress with its new appointment of 07/10.
    assert statistics.figures(datetime.date(2025, 10, 1), datetime.date(2025, 10, 5))["total"]["waiting"] == 1
    assert statistics.figures(datetime.date(2025, 10, 1), datetime.date(2025, 10, 6))["total"]["in_progress_on_time"] == 1
    october = statistics.figures(datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))["total"]
    assert (october["waiting"], october["in_progress_overdue"]) == (0, 1)
    act(Dossier.get_by_id(waiting_across_september.id), Action.APPROVE, leader, at=at("07/10/2025 15:00"))
    october = statistics.figures(datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))["total"]
    assert (october["carried_over"], october["resolved"], october["on_time"], october["late"], october["waiting"]) == (1, 1, 1, 0, 0)
    assert_identity(october)


@pytest.fixture
def december(make_dossier):
    """Open dossiers of December 2026, due on 02/12 (passed on the 3rd), 10/12 and 28/12; one resolved on the 1st."""
    made = {}
    for key, received, due in (("passed", "30/11/2026 09:00", "02/12/2026 17:00"), ("tenth", "01/12/2026 09:00", "10/12/2026 17:00"), ("late_month", "02/12/2026 09:00", "28/12/2026 17:00")):
        dossier = make_dossier(MARITAL_STATUS, received_at=at(received))
        Dossier.update(due_at=at(due)).where(Dossier.id == dossier.id).execute()
        made[key] = dossier
    done = make_dossier(CERTIFIED_COPY, received_at=at("01/12/2026 08:00"), fee_inputs={"pages": 1, "copies": 1})
    Dossier.update(due_at=at("01/12/2026 17:00"), resolved_at=at("01/12/2026 10:00"), status="result_ready").where(Dossier.id == done.id).execute()
    return made


def test_the_current_period_is_counted_as_of_now(december):
    result = statistics.figures(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31), as_of=at("03/12/2026 10:00"))
    total = result["total"]
    # Only the appointment of 02/12 has passed on 03/12; the ones later in December are within their deadline.
    assert (total["carried_over"], total["received"], total["resolved"], total["in_progress_overdue"], total["in_progress_on_time"]) == (1, 3, 1, 1, 2)
    assert result["as_of"] == "2026-12-03T10:00"
    assert_identity(total)


def test_the_current_period_follows_the_center_clock(december, monkeypatch):
    from app import clock

    monkeypatch.setattr(clock, "now", lambda: at("03/12/2026 10:00"))
    assert statistics.figures(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))["total"]["in_progress_overdue"] == 1
    monkeypatch.setattr(clock, "now", lambda: at("11/12/2026 08:00"))
    assert statistics.figures(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))["total"]["in_progress_overdue"] == 2
    # A past period is still counted as of its own end.
    assert statistics.figures(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))["total"]["in_progress_on_time"] == 1


def test_received_split_by_channel_with_home_intake_inside_the_counter(dossiers):
    total = statistics.figures(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30))["total"]
    # d9 was collected at home by the village team: counted at the counter, and again in its sub-column.
    assert (total["received_truc_tuyen"], total["received_truc_tiep"], total["received_tai_nha"], total["received_buu_chinh"]) == (1, 7, 1, 1)
    assert total["received_truc_tuyen"] + total["received_truc_tiep"] + total["received_buu_chinh"] == total["received"]
    assert total["in_time"] == total["early"] + total["on_time"] == 4


POOR_HOUSEHOLD = "Người thuộc hộ nghèo (Luật Hộ tịch 2014, Điều 11 khoản 1)"
HALF_OFF = "Người cao tuổi (giảm 50%)"


@pytest.fixture
def fee_grounds(make_dossier):
    """September 2025: three marital-status certificates received with a ground (two waived, one half off),
    one without, and one waived in August that is carried over."""
    from app.models import Procedure

    procedure = Procedure.get(Procedure.code == MARITAL_STATUS)
    procedure.fee_grounds = [*procedure.fee_grounds, [HALF_OFF, 50]]
    procedure.save()
    made = [
        make_dossier(MARITAL_STATUS, received_at=at("03/09/2025 09:00"), fee_inputs={"copies": 1, "ground": POOR_HOUSEHOLD}),
        make_dossier(MARITAL_STATUS, received_at=at("04/09/2025 09:00"), fee_inputs={"copies": 1, "ground": POOR_HOUSEHOLD}, channel="truc_tuyen"),
        make_dossier(MARITAL_STATUS, received_at=at("05/09/2025 09:00"), fee_inputs={"copies": 1, "ground": HALF_OFF}),
        make_dossier(MARITAL_STATUS, received_at=at("08/09/2025 09:00"), fee_inputs={"copies": 1}),
        make_dossier(MARITAL_STATUS, received_at=at("29/08/2025 09:00"), fee_inputs={"copies": 1, "ground": POOR_HOUSEHOLD}),
    ]
    return made


def test_the_ground_chosen_at_intake_is_kept_as_the_percent_off(fee_grounds):
    assert [(dossier.fee_reduction, dossier.fee_amount) for dossier in fee_grounds] == [(100, 0), (100, 0), (50, 7500), (0, 15000), (100, 0)]


def test_waived_and_reduced_fees_are_counted_among_the_dossiers_received(fee_grounds):
    result = statistics.figures(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30), by="channel")
    total = result["total"]
    # The August one is carried over, not received in September: not counted again.
    assert (total["received"], total["carried_over"], total["fee_waived"], total["fee_reduced"]) == (4, 1, 2, 1)
    by_channel = {row["key"]: (row["fee_waived"], row["fee_reduced"]) for row in result["rows"]}
    assert by_channel == {"truc_tiep": (1, 1), "truc_tuyen": (1, 0)}
    assert statistics.figures(datetime.date(2025, 8, 1), datetime.date(2025, 8, 31))["total"]["fee_waived"] == 1
    assert_identity(total)


@pytest.fixture
def overdue_then_waiting(make_dossier):
    """Received Mon 23/11/2026 (3 working days, due Fri 27/11): overdue on 30/11; Mẫu 02 on Wed 02/12,
    documents back Tue 15/12, which moves the appointment into December."""
    leader = user("lanh_dao")
    dossier = make_dossier(MARITAL_STATUS, received_at=at("23/11/2026 09:00"), fee_inputs={"copies": 1})
    act(dossier, Action.START, leader, at=at("23/11/2026 10:00"))
    act(Dossier.get_by_id(dossier.id), Action.REQUEST_DOCUMENTS, leader, note="Thiếu tờ khai", at=at("02/12/2026 09:00"))
    return act(Dossier.get_by_id(dossier.id), Action.DOCUMENTS_RECEIVED, leader, at=at("15/12/2026 09:00"))


def test_a_past_period_is_counted_with_the_appointment_in_force_at_its_end(overdue_then_waiting):
    assert overdue_then_waiting.due_at > at("01/12/2026 00:00")
    november = statistics.figures(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), convention="B")["total"]
    # Due on 27/11 and still open on 30/11: overdue then, whatever the appointment became in December.
    assert (november["received"], november["in_progress_overdue"], november["in_progress_on_time"], november["waiting"]) == (1, 1, 0, 0)
    # Due in November and not met by its end.
    assert november["on_time_rate"] == 0.0
    december = statistics.figures(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31), as_of=at("10/12/2026 10:00"))["total"]
    assert (december["carried_over"], december["waiting"], december["in_progress_overdue"]) == (1, 1, 0)
    assert_identity(november)
    assert_identity(december)
