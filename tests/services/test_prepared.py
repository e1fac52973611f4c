import datetime

import pytest

from app.db import Prepared
from app.models import Dossier
from app.services import pickup


def test_a_prepared_query_answers_each_value_with_its_own_typed_row(make_dossier):
    first = make_dossier(received_at=datetime.datetime(2026, 11, 30, 9, 0))
    second = make_dossier(received_at=datetime.datetime(2026, 11, 30, 9, 5), name="Trần Thị Bình")
    assert pickup.find_by_token(first.token).applicant_name == "Nguyễn Văn An"
    found = pickup.find_by_token(second.token)
    assert (found.applicant_name, found.received_at) == ("Trần Thị Bình", datetime.datetime(2026, 11, 30, 9, 5))
    assert pickup.find_by_token("A" * 22) is None
    assert [dossier.id for dossier in pickup.find_by_scan(second.code)] == [second.id]


def test_a_parameter_the_query_does_not_use_is_refused(db):
    unused = Prepared(lambda token: Dossier.select())
    with pytest.raises(ValueError):
        list(unused.raw(Dossier, "x"))


def test_status_page_reads_the_counter_the_steps_and_the_fee_due(make_dossier):
    dossier = make_dossier("2.000815", fee_inputs={"pages": 7, "copies": 3})
    page = pickup.status_page(dossier.token)
    assert page.dossier.code == dossier.code
    assert page.counter_name == "Quầy 1"
    assert page.timeline == [(dossier.received_at, "Đã tiếp nhận")]
    assert (page.fee_due, page.missing, page.rating_level) == (27000, [], None)
    assert pickup.status_page("B" * 22) is None
