"""Public pages served from memory: the same answer until the database changes, never a personal copy."""
import pytest

from app.rules.status import Action
from app.services.dossiers import act
from tests.conftest import ON_POSTGRES, user


def test_status_page_is_served_from_memory_until_the_dossier_changes(app, client, make_dossier):
    dossier = make_dossier()
    cache = app.extensions["page_cache"]
    first = client.get(f"/tra-cuu/{dossier.token}")
    assert "Đã tiếp nhận" in first.get_data(as_text=True)
    assert len(cache._pages) == 1
    assert client.get(f"/tra-cuu/{dossier.token}").get_data() == first.get_data()
    act(dossier, Action.START, user("chuyen_mon"))
    after = client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    assert "Đang giải quyết" in after


def test_board_fragment_from_memory_still_answers_304(app, client):
    first = client.get("/bang-tin/thu-tuc", headers={"HX-Request": "true"})
    etag = first.headers["ETag"]
    again = client.get("/bang-tin/thu-tuc", headers={"HX-Request": "true", "If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/bang-tin/thu-tuc").get_data() != first.get_data(), "the whole page is not the fragment"


def test_pages_with_a_form_or_for_a_visitor_with_cookies_are_not_kept(app, client, auth, make_dossier):
    from tests.web.test_status_page import drive
    from app.rules.status import Status

    # The kiosk's form carries the visitor's session token (and sets its cookie): never kept.
    page = client.get("/tra-cuu").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert app.extensions["page_cache"]._pages == {}
    # The rating form's token belongs to its dossier's page, not to a visitor: that page may be kept.
    client._cookies.clear()
    returned = drive(make_dossier, Status.RETURNED)
    page = client.get(f"/tra-cuu/{returned.token}").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert [key[0] for key in app.extensions["page_cache"]._pages] == [f"/tra-cuu/{returned.token}"]
    app.extensions["page_cache"]._pages.clear()
    auth.login("tiep_nhan")
    client.get("/thu-tuc")
    assert app.extensions["page_cache"]._pages == {}


def test_pages_from_memory_are_counted_in_one_log_line_a_minute(app, client, clock, caplog):
    import datetime

    clock.freeze(datetime.datetime(2026, 11, 30, 9, 15, 5))
    for _ in range(4):
        assert client.get("/bang-tin/thu-tuc", headers={"HX-Request": "true"}).status_code == 200
    with caplog.at_level("INFO", logger="motcua.requests"):
        clock.freeze(datetime.datetime(2026, 11, 30, 9, 16, 1))
        client.get("/bang-tin/thu-tuc", headers={"HX-Request": "true"})
        client.get("/bang-tin/thu-tuc", headers={"HX-Request": "true"})
    # The first of the four went through the app (and its own log line); three came from memory.
    summaries = [record.getMessage() for record in caplog.records if "from memory" in record.getMessage()]
    assert summaries == ["3 public pages served from memory since the previous count"]


POLL = {"HX-Request": "true"}


@pytest.mark.parametrize("path", ["/bang-tin/ket-qua", "/bang-tin/trang-thai", "/bang-tin/thong-bao", "/thu-tuc?q=khai+sinh"])
@pytest.mark.parametrize("poison", [{"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}], ids=["boosted", "history-restore"])
def test_a_boosted_or_history_request_does_not_poison_the_polls(app, client, catalogue, path, poison):
    fragment = client.get(path, headers=POLL).get_data(as_text=True)
    assert "<html" not in fragment
    app.extensions["page_cache"]._pages.clear()
    whole = client.get(path, headers={**POLL, **poison}).get_data(as_text=True)
    assert "<html" in whole, "a boosted or restored page is the whole page"
    assert client.get(path, headers=POLL).get_data(as_text=True) == fragment
    assert client.get(path, headers={**POLL, **poison}).get_data(as_text=True) == whole


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's change counter")
def test_a_commit_from_another_connection_invalidates_the_page_on_postgres(app, client, catalogue, database_url):
    import psycopg

    first = client.get("/thu-tuc").get_data(as_text=True)
    assert "Thủ tục thử đổi tên" not in first
    assert client.get("/thu-tuc").get_data(as_text=True) == first
    assert len(app.extensions["page_cache"]._pages) == 1
    # Not through the app: another program, or a second server on the same database.
    with psycopg.connect(database_url) as other:
        other.execute("UPDATE procedure SET name = 'Thủ tục thử đổi tên' WHERE code = '1.001193'")
        assert "Thủ tục thử đổi tên" not in client.get("/thu-tuc").get_data(as_text=True), "not committed yet"
    assert "Thủ tục thử đổi tên" in client.get("/thu-tuc").get_data(as_text=True)


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's change counter")
def test_every_table_bumps_the_change_counter_on_postgres(app, db):
    from app.migrations import SchemaMigration
    from app.models import MODELS

    triggered = {row[0] for row in db.execute_sql("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = 'change_counter_bump'")}
    assert triggered == {model._meta.table_name for model in MODELS} | {SchemaMigration._meta.table_name}
