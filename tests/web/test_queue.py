"""The walk-in queue over HTTP: the kiosk's ticket, the counter's buttons, the board's strip, the admin's groups."""
import datetime
import io
import re

import openpyxl

import pytest

from app.db import database
from app.models import Counter, ServiceGroup, Ticket, User
from tests.conftest import ROLE_USERS, Auth, csrf_token_from


@pytest.fixture
def groups(app):
    with database.connection_context():
        counters = [Counter.create(name=f"Quầy {number}", order=number) for number in (1, 2)]
        intake = ServiceGroup.create(name="Tiếp nhận hồ sơ", code="tiep-nhan", first_number=100, order=1)
        pickup = ServiceGroup.create(name="Trả kết quả", code="tra-ket-qua", letter="B", order=2)
        User.update(counter=counters[1]).where(User.username == ROLE_USERS["tiep_nhan"]).execute()
    return {"intake": intake, "pickup": pickup, "counters": counters}


def take(client, code, priority=False, environ_base=None):
    csrf = csrf_token_from(client.get("/lay-so").get_data(as_text=True))
    data = {"csrf_token": csrf, "dich_vu": code, **({"uu_tien": "1"} if priority else {})}
    return client.post("/lay-so", data=data, environ_base=environ_base or {})


def number_on(response) -> str:
    match = re.search(r'class="ticket-number">([^<]+)<', response.get_data(as_text=True))
    assert match, "no ticket number on the page"
    return match.group(1)


def press(client, action, **extra):
    page = client.get("/goi-so").get_data(as_text=True)
    current = re.search(r'name="hien_tai" value="([^"]*)"', page)
    data = {"csrf_token": csrf_token_from(page), "action": action, "hien_tai": current.group(1) if current else "", **extra}
    return client.post("/goi-so", data=data, follow_redirects=True)


def test_kiosk_shows_one_large_button_per_group_and_the_priority_ones(client, groups):
    page = client.get("/lay-so").get_data(as_text=True)
    assert page.count('name="dich_vu" value="tiep-nhan"') == 2
    assert "Tiếp nhận hồ sơ" in page and "Trả kết quả" in page
    assert "Ưu tiên — Trả kết quả" in page
    assert "người cao tuổi, người khuyết tật, phụ nữ mang thai, người đưa con nhỏ, người có công với cách mạng" in page


def test_a_ticket_shows_its_number_group_time_people_ahead_and_lookup_hint(client, groups):
    first = take(client, "tiep-nhan")
    assert first.status_code == 200
    assert number_on(first) == "100"
    second = take(client, "tiep-nhan")
    page = second.get_data(as_text=True)
    assert number_on(second) == "101"
    assert "Tiếp nhận hồ sơ" in page
    assert "Lấy lúc 10:00, 30/11/2026" in page
    assert "Trước ông/bà còn 1 người đang chờ." in page
    assert "tra cứu kết quả bằng mã QR" in page
    assert "size: 80mm auto" in client.get("/static/css/queue.css").get_data(as_text=True)
    assert number_on(take(client, "tra-ket-qua")) == "B1"


def test_numbers_restart_the_next_day(client, groups, clock):
    clock.freeze(datetime.datetime(2026, 11, 30, 23, 59, 59))
    assert number_on(take(client, "tiep-nhan")) == "100"
    assert number_on(take(client, "tiep-nhan")) == "101"
    clock.freeze(datetime.datetime(2026, 12, 1, 0, 0, 0))
    response = take(client, "tiep-nhan")
    assert number_on(response) == "100"
    assert "Không còn ai chờ trước ông/bà." in response.get_data(as_text=True)


def test_unknown_group_is_refused_with_a_message(client, groups):
    response = take(client, "khong-co")
    assert response.status_code == 400
    assert "Vui lòng chọn một dịch vụ trên màn hình." in response.get_data(as_text=True)
    with database.connection_context():
        assert Ticket.select().count() == 0


def test_a_flooding_kiosk_is_stopped_with_a_clear_message(client, groups):
    kiosk = {"REMOTE_ADDR": "10.0.0.9"}
    for _ in range(6):
        assert take(client, "tiep-nhan", environ_base=kiosk).status_code == 200
    refused = take(client, "tiep-nhan", environ_base=kiosk)
    assert refused.status_code == 429
    assert "Máy lấy số vừa in nhiều phiếu liên tiếp" in refused.get_data(as_text=True)
    assert take(client, "tiep-nhan", environ_base={"REMOTE_ADDR": "10.0.0.10"}).status_code == 200
    with database.connection_context():
        assert Ticket.select().count() == 7


def test_calling_page_needs_the_intake_role(client, auth, groups):
    assert client.get("/goi-so").status_code == 302
    auth.login("chuyen_mon")
    assert client.get("/goi-so").status_code == 403


def test_next_calls_in_order_and_shows_serving(client, auth, groups):
    take(client, "tiep-nhan")
    take(client, "tiep-nhan")
    auth.login("tiep_nhan")
    page = press(client, "next").get_data(as_text=True)
    assert "Đang phục vụ số <strong class=\"queue-serving-number\">100</strong>" in page
    assert "Đã gọi số 100." in page
    page = press(client, "next").get_data(as_text=True)
    assert "queue-serving-number\">101<" in page
    with database.connection_context():
        assert Ticket.get(Ticket.number == 100).status == "done"


def test_calling_an_empty_queue_says_so(client, auth, groups):
    auth.login("tiep_nhan")
    page = press(client, "next").get_data(as_text=True)
    assert "Không còn ai đang chờ." in page
    assert "Chưa gọi số nào." in page


def test_a_double_click_on_next_does_not_skip_a_ticket(client, auth, groups):
    for _ in range(3):
        take(client, "tiep-nhan")
    auth.login("tiep_nhan")
    page = client.get("/goi-so").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "action": "next", "hien_tai": ""}
    client.post("/goi-so", data=data)
    second = client.post("/goi-so", data=data, follow_redirects=True).get_data(as_text=True)
    assert "queue-serving-number\">100<" in second
    assert "Quầy đã chuyển sang số khác trước lần bấm này" in second
    with database.connection_context():
        assert [ticket.status for ticket in Ticket.select().order_by(Ticket.number)] == ["called", "waiting", "waiting"]


def test_recall_three_times_then_absent(client, auth, groups):
    take(client, "tiep-nhan")
    auth.login("tiep_nhan")
    press(client, "next")
    for count in (1, 2, 3):
        assert f"Đã gọi lại số 100 (lần {count})." in press(client, "recall").get_data(as_text=True)
    page = press(client, "recall").get_data(as_text=True)
    assert "Số 100 đã gọi quá số lần cho phép: ghi vắng mặt." in page
    with database.connection_context():
        assert Ticket.get().status == "absent"


def test_a_skipped_ticket_is_recallable_for_thirty_minutes(client, auth, groups, clock):
    take(client, "tiep-nhan")
    take(client, "tiep-nhan")
    auth.login("tiep_nhan")
    press(client, "next")
    assert "Đã bỏ qua số 100" in press(client, "skip").get_data(as_text=True)
    clock.advance(datetime.timedelta(minutes=30))
    page = client.get("/goi-so").get_data(as_text=True)
    assert "Gọi lại số 100" in page
    skipped_id = re.search(r'name="ve" value="(\d+)"', page).group(1)
    assert "Đã gọi lại số 100 (lần 1)." in press(client, "recall", ve=skipped_id).get_data(as_text=True)
    press(client, "skip")
    clock.advance(datetime.timedelta(minutes=30, seconds=1))
    assert "Gọi lại số 100" not in client.get("/goi-so").get_data(as_text=True)
    assert "Số 100 đã quá thời gian gọi lại: ghi vắng mặt." in press(client, "recall", ve=skipped_id).get_data(as_text=True)
    with database.connection_context():
        assert Ticket.get(Ticket.number == 100).status == "absent"


def test_priority_goes_first_but_never_three_in_a_row(client, auth, groups):
    take(client, "tiep-nhan")  # 100, ordinary
    for _ in range(3):
        take(client, "tiep-nhan", priority=True)  # 101-103
    auth.login("tiep_nhan")
    called = [re.search(r'queue-serving-number">(\w+)<', press(client, "next").get_data(as_text=True)).group(1) for _ in range(4)]
    assert called == ["101", "102", "100", "103"]


def test_an_officer_without_a_counter_chooses_one(client, auth, groups):
    take(client, "tra-ket-qua")
    with database.connection_context():
        User.update(counter=None).where(User.username == ROLE_USERS["tiep_nhan"]).execute()
    auth.login("tiep_nhan")
    page = client.get("/goi-so").get_data(as_text=True)
    assert "Quầy của tôi" in page
    refused = client.post("/goi-so", data={"csrf_token": csrf_token_from(page), "action": "next"})
    assert refused.status_code == 400
    assert "Vui lòng chọn quầy trước khi gọi số." in refused.get_data(as_text=True)
    counter = groups["counters"][0]
    response = client.post("/goi-so", data={"csrf_token": csrf_token_from(page), "action": "next", "quay": counter.id, "hien_tai": ""})
    assert response.headers["Location"].endswith(f"/goi-so?quay={counter.id}")
    assert "queue-serving-number\">B1<" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_call_survives_a_restart(app, client, auth, groups):
    take(client, "tiep-nhan")
    auth.login("tiep_nhan")
    press(client, "next")
    if not database.is_closed():
        database.close()
    # A new process: nothing but the database remembers the call.
    fresh = app.test_client()
    board = fresh.get("/bang-tin/goi-so", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert re.findall(r'class="board-call-number">(\w+)<', board) == ["100"]
    Auth(fresh).login("tiep_nhan")
    assert "queue-serving-number\">100<" in fresh.get("/goi-so").get_data(as_text=True)


def test_board_strip_shows_current_calls_and_the_last_four(client, auth, groups):
    for _ in range(6):
        take(client, "tiep-nhan")
    auth.login("tiep_nhan")
    for _ in range(6):
        press(client, "next")
    fragment = client.get("/bang-tin/goi-so", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment
    now = re.findall(r'class="board-call-number">(\w+)<', fragment)
    past = re.findall(r'class="board-call-past">(\w+) →', fragment)
    assert now == ["105"]
    assert past == ["104", "103", "102", "101"]
    assert 'data-call-key=' in fragment
    board = client.get("/bang-tin").get_data(as_text=True)
    assert "Đang phục vụ" in board and "Bật âm thanh" in board and 'hx-get="/bang-tin/goi-so"' in board


def test_admin_creates_a_group_and_refuses_bad_input(client, auth, groups):
    auth.login("quan_tri")
    page = client.get("/quan-tri/lay-so/moi").get_data(as_text=True)
    csrf = csrf_token_from(page)
    bad = client.post("/quan-tri/lay-so/moi", data={"csrf_token": csrf, "name": "Hướng dẫn", "code": "Hướng dẫn", "letter": "1", "first_number": "-3"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Mã gồm chữ thường không dấu, số và gạch ngang" in text
    assert "Một hoặc hai chữ cái không dấu" in text
    assert "Số đầu tiên từ 0 đến 9.000." in text
    taken = client.post("/quan-tri/lay-so/moi", data={"csrf_token": csrf, "name": "Hướng dẫn", "code": "tiep-nhan", "first_number": "1"})
    assert taken.status_code == 400 and "Đã có nhóm dùng mã này." in taken.get_data(as_text=True)
    counter = groups["counters"][0]
    created = client.post("/quan-tri/lay-so/moi", data={
        "csrf_token": csrf, "name": "Hướng dẫn, tra cứu", "code": "huong-dan", "letter": "c", "first_number": "1",
        "order": "3", "active": "y", "counters": str(counter.id)})
    assert created.status_code == 303
    with database.connection_context():
        group = ServiceGroup.get(ServiceGroup.code == "huong-dan")
        assert group.letter == "C" and [link.counter_id for link in group.counter_links] == [counter.id]
    assert "Hướng dẫn, tra cứu" in client.get("/quan-tri/lay-so").get_data(as_text=True)


def test_report_json_has_the_queue_figures(client, auth, groups, clock):
    from app.rules.periods import parse
    from app.services import report_export

    for _ in range(3):
        take(client, "tiep-nhan")  # all at 10:00
    auth.login("tiep_nhan")
    clock.advance(datetime.timedelta(minutes=4))
    press(client, "next")  # 100 waited 4 minutes
    clock.advance(datetime.timedelta(minutes=6))
    press(client, "next")  # 100 served 6 minutes; 101 waited 10
    clock.advance(datetime.timedelta(minutes=2))
    press(client, "skip")
    clock.advance(datetime.timedelta(minutes=31))
    press(client, "next")  # 101 absent; 102 waited 43
    with database.connection_context():
        report = report_export.build(parse("2026-11"))
    queue = report["queue"]
    assert (queue["issued"], queue["served"], queue["absent"]) == (3, 1, 1)
    assert (queue["wait_p50_minutes"], queue["wait_p90_minutes"], queue["service_p50_minutes"]) == (10.0, 43.0, 6.0)
    assert [row["label"] for row in queue["by_group"]] == ["Tiếp nhận hồ sơ"]
    assert queue["by_counter"][0]["label"] == "Quầy 2" and queue["by_counter"][0]["issued"] == 3
    assert queue["by_officer"][0]["label"] == "Cán bộ tiepnhan"
    with database.connection_context():
        assert report_export.build(parse("2026-10"))["queue"]["issued"] == 0
    auth.logout()
    auth.login("lanh_dao")
    page = client.get("/thong-ke/?loai=thang&nam=2026&thang=11").get_data(as_text=True)
    section = page[page.index('id="queue-heading"'):]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/thong-ke/excel?loai=thang&nam=2026&thang=11").data))
    rows = list(workbook["Lấy số thứ tự"].values)
    assert rows[0][:3] == ("Theo", "Nội dung", "Số phiếu")
    assert ("Quầy", "Quầy 2", 3, 1, 1, 10, 43, 6) in rows and rows[-1] == ("Tổng cộng", None, 3, 1, 1, 10, 43, 6)
    assert "<td>Quầy</td><td>Quầy 2</td>" in section
    assert re.search(r'Tổng cộng</th><td class="num">3</td><td class="num">1</td><td class="num">1</td>\s*<td class="num">10 phút</td><td class="num">43 phút</td><td class="num">6 phút</td>', section)


def test_the_dossier_saved_at_intake_is_linked_to_the_ticket_being_served(client, catalogue, auth, clock):
    from app.models import Dossier
    from tests.web.test_intake import NOW, save, valid_form

    clock.freeze(NOW)
    with database.connection_context():
        ServiceGroup.create(name="Tiếp nhận hồ sơ", code="tiep-nhan", first_number=100)
        User.update(counter=Counter.get(Counter.name == "Quầy 2")).where(User.username == ROLE_USERS["tiep_nhan"]).execute()
    take(client, "tiep-nhan")
    auth.login("tiep_nhan")
    press(client, "next")
    assert save(client, valid_form(client)).status_code == 303
    dossier = Dossier.get()
    page = client.get("/goi-so").get_data(as_text=True)
    assert f"Hồ sơ của số này: <a href=\"/ho-so/{dossier.code}\">{dossier.code}</a>" in page
    with database.connection_context():
        assert Ticket.get().dossier_id == dossier.id


def test_the_officer_moves_a_ticket_to_another_group(client, auth, groups, clock):
    take(client, "tiep-nhan")  # 100 at 10:00
    clock.advance(datetime.timedelta(minutes=1))
    take(client, "tra-ket-qua")  # B1 at 10:01
    auth.login("tiep_nhan")
    press(client, "next")
    page = press(client, "move", nhom="tra-ket-qua").get_data(as_text=True)
    assert "Đã chuyển số 100 sang nhóm «Trả kết quả»." in page
    assert "Chưa gọi số nào." in page
    # It keeps its place by the time it was taken: before B1.
    assert "queue-serving-number\">100<" in press(client, "next").get_data(as_text=True)
    with database.connection_context():
        assert Ticket.get(Ticket.number == 100).group_id == groups["pickup"].id
    assert "Vui lòng chọn một nhóm dịch vụ khác" in press(client, "move", nhom="tra-ket-qua").get_data(as_text=True)


def test_tickets_left_at_closing_are_not_called_the_next_morning(client, auth, groups, clock):
    clock.freeze(datetime.datetime(2026, 11, 30, 16, 58))
    take(client, "tiep-nhan")  # 100: called, never finished
    take(client, "tiep-nhan")  # 101: taken just before closing, never called
    auth.login("tiep_nhan")
    press(client, "next")
    clock.freeze(datetime.datetime(2026, 12, 1, 7, 30))
    page = press(client, "next").get_data(as_text=True)
    assert "Không còn ai đang chờ." in page
    assert "Chưa gọi số nào." in page
    with database.connection_context():
        assert [(ticket.number, ticket.status) for ticket in Ticket.select().order_by(Ticket.number)] == [(100, "done"), (101, "absent")]
    fragment = client.get("/bang-tin/goi-so", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Chưa gọi số nào." in fragment


def test_a_ticket_taken_near_closing_says_until_when_and_when_to_come_back(client, groups, clock):
    clock.freeze(datetime.datetime(2026, 12, 4, 16, 40))  # a Friday, twenty minutes before 17:00
    page = take(client, "tiep-nhan").get_data(as_text=True)
    assert "Trung tâm làm việc đến 17:00 hôm nay" in page and "ngày làm việc tiếp theo, 07/12/2026" in page
    clock.freeze(datetime.datetime(2026, 12, 4, 10, 0))
    assert "làm việc đến" not in take(client, "tiep-nhan").get_data(as_text=True)
