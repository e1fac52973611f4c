"""A procedure whose rules change on a date: both versions kept, each dossier with the rules of its day."""
import dataclasses
import datetime

from app.models import Procedure
from app.rules.fees import FeeKind, FeeRule
from app.services.catalogue import in_force_by_code, save_specs, spec_of
from app.services.dossiers import Application, receive
from tests.conftest import user


def test_new_rules_from_a_date_apply_to_dossiers_received_from_that_date(catalogue):
    current = Procedure.get(Procedure.code == "2.000815")
    old = dataclasses.replace(spec_of(current), valid_to=datetime.date(2027, 2, 28))
    new = dataclasses.replace(spec_of(current), valid_from=datetime.date(2027, 3, 1), valid_to=None, fee=FeeRule(kind=FeeKind.FIXED, amount=5000))
    assert save_specs([old, new]) == (1, 1, 0)
    assert Procedure.select().where(Procedure.code == "2.000815").count() == 2

    before = in_force_by_code("2.000815", datetime.date(2027, 2, 28))
    after = in_force_by_code("2.000815", datetime.date(2027, 3, 1))
    assert before.fee_kind == "theo_trang" and after.fee_kind == "co_dinh"

    received = receive(Application(procedure=before, applicant_name="Lê Văn Cường", fee_inputs={"pages": 7}), user("tiep_nhan"), None, datetime.datetime(2027, 2, 26, 9, 0))
    assert received.fee_amount == 9000
    assert received.fee_rule["kind"] == "theo_trang"
