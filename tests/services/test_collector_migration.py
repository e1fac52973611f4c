"""m0015: the dossier keeps who collected its result, filled in from an older database's hand-over
records, so the pickup desk finds a person's results from their card with index lookups."""
import datetime

import pytest

from app.db import database
from app.migrations import migrate
from app.models import Dossier, SupportTeam, TeamMember, Village
from app.rules.status import Action
from app.services.dossiers import act
from app.services import pickup
from tests.conftest import user

COLLECTOR = "042185000777"


def _ready(make_dossier, **changes):
    dossier = make_dossier(received_at=datetime.datetime(2026, 11, 2, 9, 0), **changes)
    dossier = act(dossier, Action.START, user("chuyen_mon"), at=datetime.datetime(2026, 11, 2, 10, 0))
    return act(dossier, Action.APPROVE, user("lanh_dao"), data={"shelf": "Kệ A"}, at=datetime.datetime(2026, 11, 2, 11, 0))


def test_m0015_fills_the_collector_from_the_hand_over_records(make_dossier):
    desk = user("tiep_nhan")
    by_proxy = _ready(make_dossier)
    pickup.hand_over(by_proxy, desk, by_proxy.version, pickup.HandOver(
        collector="nguoi_khac", collector_name="Trần Thị Hoa", collector_id_number=COLLECTOR, relation="hàng xóm"))
    by_applicant = _ready(make_dossier, name="Lê Văn Bình")
    pickup.hand_over(by_applicant, desk, by_applicant.version, pickup.HandOver(
        collector="nguoi_nop", collector_name="Lê Văn Bình", collector_id_number="001203012345"))
    village = Village.create(name="Thôn Kim Đôi", order=1)
    member = TeamMember.create(team=SupportTeam.create(village=village), name="Nguyễn Thị Lan")
    by_team = _ready(make_dossier, name="Phạm Văn Cường", village_id=village.id)
    pickup.team_delivered(by_team, member, desk, by_team.version, datetime.datetime(2026, 11, 30, 9, 30))
    assert [Dossier.get_by_id(d.id).collector_id_number for d in (by_proxy, by_applicant, by_team)] == [COLLECTOR, "001203012345", ""]

    # The database as it was before m0015: no column, no indexes.
    for index in ("dossier_representative_id_number", "dossier_collector_id_number"):
        database.execute_sql(f'DROP INDEX "{index}"')
    database.execute_sql('ALTER TABLE "dossier" DROP COLUMN "collector_id_number"')
    database.execute_sql(f"DELETE FROM schema_migration WHERE name LIKE {database.param}", ("m0015%",))
    assert migrate(database) == ["m0015_collector_id_number"]

    assert [Dossier.get_by_id(d.id).collector_id_number for d in (by_proxy, by_applicant, by_team)] == [COLLECTOR, "001203012345", ""]
    assert {index.name for index in database.get_indexes("dossier")} >= {"dossier_representative_id_number", "dossier_collector_id_number"}
    assert [dossier.id for dossier in pickup.find_by_person(COLLECTOR)] == [by_proxy.id]
    assert migrate(database) == []


@pytest.mark.sqlite_only  # SQLite's own query plan
def test_the_card_lookup_reads_the_three_id_indexes(db):
    # SQLite's plan: each ID column through its own index. An OR over them walked every returned
    # dossier through the status index: 1.3 s at a million.
    sql, params = pickup._person_query(COLLECTOR).sql()
    plan = " ".join(str(row) for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
    for index in ("dossier_id_number", "dossier_representative_id_number", "dossier_collector_id_number"):
        assert f"USING INDEX {index} " in plan or f"USING COVERING INDEX {index} " in plan, plan
