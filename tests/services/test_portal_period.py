"""The dossiers of a period for the province's portal, found on indexes (`_candidates`), are exactly those the
plain rule `_belongs` names: received in the period, or before it and not finished before its start."""
import datetime
import itertools

import pytest

from app.models import Dossier
from app.rules.periods import Period
from app.rules.status import Status
from app.services import portal_export

NOVEMBER = Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), "2026-11", "2026-11")
START = datetime.datetime(2026, 11, 1)

# Moments around the period: long before, the last second before it, its first instant, inside, its
# last second, the first instant after it.
MOMENTS = [
    datetime.datetime(2025, 3, 4, 10, 0),
    START - datetime.timedelta(seconds=1),
    START,
    datetime.datetime(2026, 11, 15, 9, 30),
    datetime.datetime(2026, 11, 30, 23, 59, 59),
    datetime.datetime(2026, 12, 1),
]


@pytest.fixture
def every_case(make_dossier):
    """One dossier for each status, reception moment, and time it finished (or none), as stored rows:
    including rows the app never writes (a returned dossier without its return time)."""
    template = make_dossier()
    cases = []
    for status, received, finished in itertools.product(Status, MOMENTS, [None, *MOMENTS]):
        if finished is not None and finished < received:
            continue
        cases.append((status, received, finished))
    rows = []
    for index, (status, received, finished) in enumerate(cases):
        data = {name: getattr(template, name) for name in template._meta.fields if name not in ("id",)}
        data.update(
            code=f"{template.code}-{index}", token=f"{template.token[:20]}{index:012d}", idempotency_key=None,
            status=status, received_at=received, received_day=received.date(), due_at=received + datetime.timedelta(days=3),
            returned_at=finished if status == Status.RETURNED else None,
            resolved_at=finished if status in (Status.RETURNED, Status.RESULT_READY, Status.REFUSED) else None,
            closed_at=finished if status in (Status.STOPPED, Status.WITHDRAWN) else None,
        )
        rows.append(data)
    Dossier.insert_many(rows).execute()
    return len(rows)


@pytest.mark.parametrize(
    "period",
    [
        NOVEMBER,
        Period(datetime.date(2026, 11, 15), datetime.date(2026, 11, 15), "2026-11-15", "2026-11-15"),
        Period(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31), "2026-Q4", "2026-Q4"),
        Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), "2025", "2025"),
    ],
    ids=lambda period: period.label,
)
def test_the_indexed_reading_finds_exactly_the_rule_s_dossiers(every_case, period):
    plain = {row.id for row in Dossier.select(Dossier.id).where(portal_export._belongs(period))}
    indexed = {row.id for row in portal_export.in_period(period)}
    assert indexed == plain
    assert 0 < len(plain) < every_case + 1


def test_the_rule_itself_on_a_few_rows(every_case):
    """What `_belongs` says in words, checked on the rows of November."""
    found = {(row.status, row.received_at, row.returned_at or row.resolved_at or row.closed_at)
             for row in portal_export.in_period(NOVEMBER)}
    long_before = MOMENTS[0]
    # Received in the period: always.
    assert (Status.RETURNED, MOMENTS[3], MOMENTS[3]) in found
    # Received before and still open, or on the shelf: carried into the period.
    assert (Status.PROCESSING, long_before, None) in found
    assert (Status.RESULT_READY, long_before, MOMENTS[1]) in found
    # Handed over, stopped or refused before the period began: not in it.
    assert (Status.RETURNED, long_before, MOMENTS[1]) not in found
    assert (Status.STOPPED, long_before, MOMENTS[1]) not in found
    assert (Status.REFUSED, long_before, MOMENTS[1]) not in found
    # Handed over at its first instant: still the period's.
    assert (Status.RETURNED, long_before, START) in found
    # Received after the period: never.
    assert not any(received >= datetime.datetime(2026, 12, 1) for _, received, _ in found)
