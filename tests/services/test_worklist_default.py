"""The default staff list (no filter, as everyone opens it and as it polls) runs on SQL built once: it gives
the same page, in the same order, and the same bucket counts as the general query."""
import dataclasses
import datetime

from app.models import Dossier
from app.rules.status import Status
from app.services import worklist


def test_the_prepared_default_list_equals_the_general_one(make_dossier, monkeypatch):
    start = datetime.datetime(2026, 11, 2, 8, 0)
    made = [make_dossier("1.001193", received_at=start + datetime.timedelta(hours=7 * index)) for index in range(120)]
    # Some finished (never listed), some waiting (listed, no clock), appointments spread around now.
    for index, dossier in enumerate(made):
        status = {0: Status.RETURNED, 1: Status.WAITING_DOCUMENTS, 2: Status.PROCESSING}.get(index % 7, dossier.status)
        Dossier.update(status=status, due_at=start + datetime.timedelta(hours=13 * index % 900)).where(Dossier.id == dossier.id).execute()
    clock = worklist.DeadlineClock(datetime.datetime(2026, 11, 20, 10, 30), datetime.date(2026, 11, 23))
    pages = [worklist.Filters(page=page) for page in (1, 2, 3)]
    fast = [worklist.page_of(filters, clock) for filters in pages], worklist.bucket_counts(pages[0], clock)
    monkeypatch.setattr(worklist, "_is_default", lambda filters, user: False)
    general = [worklist.page_of(filters, clock) for filters in pages], worklist.bucket_counts(pages[0], clock)
    assert [[row.id for row in page.dossiers] for page in fast[0]] == [[row.id for row in page.dossiers] for page in general[0]]
    assert [page.has_more for page in fast[0]] == [True, True, False]
    assert fast[1] == general[1]
    assert all(count > 0 for count in fast[1].values()), fast[1]
    # Each bucket holds what the rule puts in it, dossier by dossier.
    expected = dict.fromkeys(fast[1], 0)
    for dossier in Dossier.select():
        bucket = clock.urgency_of(dossier)
        if bucket is not None and dossier.status in worklist.OPEN_STATUSES:
            expected[bucket] += 1
    assert fast[1] == expected
    assert fast[0][0].dossiers[0].code and fast[0][0].dossiers[0].due_at <= fast[0][0].dossiers[-1].due_at


def test_a_filtered_or_personal_list_is_not_the_default(make_dossier):
    assert worklist._is_default(worklist.Filters(), None)
    assert worklist._is_default(worklist.Filters(page=4), None)
    assert not worklist._is_default(worklist.Filters(q="Nguyễn"), None)
    assert not worklist._is_default(worklist.Filters(field_id=1), None)
    assert not worklist._is_default(worklist.Filters(urgency="qua_han"), None)
    assert not worklist._is_default(dataclasses.replace(worklist.Filters(), status="tat_ca"), None)
    assert not worklist._is_default(worklist.Filters(), object())
