"""m0018: on PostgreSQL the staff list of open dossiers, most urgent first, reads a partial index of the
open ones instead of walking every closed dossier on the appointment index."""
import pytest

from app.db import database
from app.models import Dossier
from app.services import worklist
from tests.conftest import ON_POSTGRES


def _indexes():
    return {index.name for index in database.get_indexes("dossier")}


@pytest.mark.skipif(not ON_POSTGRES, reason="the partial index is PostgreSQL's")
def test_the_open_dossiers_list_reads_the_partial_index(db):
    assert "dossier_open_due" in _indexes()
    filters = worklist.Filters()
    ids = worklist._filtered(filters, None).select(Dossier.id).order_by(Dossier.due_at, Dossier.id).limit(51)
    sql, params = ids.sql()
    database.execute_sql("SET enable_seqscan = off")  # an empty table is read whole otherwise
    plan = " ".join(row[0] for row in database.execute_sql(f"EXPLAIN {sql}", params).fetchall())
    assert "dossier_open_due" in plan, plan


def test_sqlite_gets_no_partial_index(db):
    if ON_POSTGRES:
        pytest.skip("SQLite's side")
    assert "dossier_open_due" not in _indexes()
