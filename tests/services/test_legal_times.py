"""Units and named longer cases reach the stored appointment, and the figures read that appointment (issue 14)."""
import datetime

import pytest

from app.models import Dossier
from app.rules.calendar import CalendarNotCovered, Extension
from app.services import statistics

MARRIAGE = "1.000894"
ADOPTION = "2.001263"


def resolve(dossier, at):
    Dossier.update(resolved_at=at, status="returned").where(Dossier.id == dossier.id).execute()


def test_adoption_is_thirty_days_not_thirty_working_days(make_dossier):
    dossier = make_dossier(ADOPTION, received_at=datetime.datetime(2026, 10, 1, 9, 0))
    assert dossier.due_at == datetime.datetime(2026, 11, 2, 17, 0)
    assert (dossier.working_days, dossier.time_unit, dossier.legal_time.words) == (30, "ngay", "30 ngày")


@pytest.mark.parametrize(
    ("extension", "late", "on_time_or_early"),
    [
        # Resolved on Mon 09/03, after the ordinary same day (Mon 02/03) but within 5 more working days.
        (Extension("Cần xác minh điều kiện kết hôn", 5), 0, 1),
        (None, 1, 0),
    ],
)
def test_a_dossier_with_a_longer_case_is_not_late_in_the_figures(make_dossier, extension, late, on_time_or_early):
    dossier = make_dossier(
        MARRIAGE, received_at=datetime.datetime(2026, 3, 2, 9, 0), extension=extension, extension_reason="Cần xác minh" if extension else ""
    )
    expected_due = datetime.datetime(2026, 3, 9, 17, 0) if extension else datetime.datetime(2026, 3, 2, 17, 0)
    assert dossier.due_at == expected_due
    resolve(dossier, datetime.datetime(2026, 3, 9, 10, 0))
    total = statistics.figures(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))["total"]
    assert total["late"] == late
    assert total["early"] + total["on_time"] == on_time_or_early


def test_receiving_in_a_year_the_calendar_file_lacks_is_refused(make_dossier):
    with pytest.raises(CalendarNotCovered, match="năm 2031"):
        make_dossier(MARRIAGE, received_at=datetime.datetime(2031, 3, 3, 9, 0))
    assert Dossier.select().count() == 0
