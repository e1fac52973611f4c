"""m0016: the province's code of a dossier is looked up, so it gets an index, and the codes typed before
are kept in upper case, as they are now read and compared."""
import pytest

from app.db import database
from app.migrations import migrate
from app.models import Dossier
from app.services import pickup, worklist


def test_m0016_indexes_the_province_code_and_upper_cases_the_old_ones(make_dossier):
    typed, empty = make_dossier(), make_dossier(name="Lê Văn Bình")
    # The database as it was before m0016: no index, a code kept as it was typed.
    database.execute_sql('DROP INDEX "dossier_portal_code"')
    database.execute_sql(f"UPDATE dossier SET portal_code = 'g22.39-261130-0001' WHERE id = {database.param}", (typed.id,))
    database.execute_sql(f"DELETE FROM schema_migration WHERE name LIKE {database.param}", ("m0016%",))
    assert migrate(database) == ["m0016_portal_code_index"]

    assert [Dossier.get_by_id(d.id).portal_code for d in (typed, empty)] == ["G22.39-261130-0001", ""]
    assert "dossier_portal_code" in {index.name for index in database.get_indexes("dossier")}
    assert [d.id for d in pickup.find_by_scan("g22.39-261130-0001")] == [typed.id]
    assert migrate(database) == []


@pytest.mark.sqlite_only  # SQLite's own query plan
def test_the_staff_search_reads_the_province_code_through_its_index(db):
    sql, params = Dossier.select().where(worklist.parse_search("G22.39-261130-0001").condition).sql()
    plan = " ".join(str(row) for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
    assert "dossier_portal_code" in plan, plan
