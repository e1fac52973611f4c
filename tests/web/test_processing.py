"""The work queues, the dossier page and its actions, as specialists, leaders and the counter use them."""
import datetime
import re
import unicodedata

import pytest

from app.models import Dossier, DossierEvent, Field, UserField
from app.rules.status import Action, Status
from app.services import worklist
from app.services.dossiers import act
from tests.conftest import csrf_token_from, user

NOW = datetime.datetime(2026, 11, 30, 10, 0)  # a Monday


@pytest.fixture
def fixed_clock(clock):
    clock.freeze(NOW)
    return NOW


@pytest.fixture
def queue(make_dossier, fixed_clock):
    """One dossier in each urgency bucket, received so that the list must reorder them."""
    return {
        "later": make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 30, 9, 0), name="Lê Thị Sau"),
        "soon": make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 26, 9, 0), name="Phạm Văn Sắp"),
        "overdue": make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 20, 9, 0), name="Trần Văn Trễ"),
        "today": make_dossier("2.000815", received_at=datetime.datetime(2026, 11, 30, 8, 0), name="Nguyễn Văn Đức", fee_inputs={"pages": 2, "copies": 1}),
    }


def _page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    return response, response.get_data(as_text=True)


def _post_action(auth, dossier, action, version=None, **fields):
    data = {"action": action, "version": dossier.version if version is None else version, **fields}
    return auth.post(f"/ho-so/{dossier.code}/thao-tac", data=data, token_from=f"/ho-so/{dossier.code}")


def test_queue_orders_by_urgency_and_counts_each_bucket(client, auth, queue):
    auth.login("lanh_dao")
    response, html = _page(client, "/ho-so")
    assert response.status_code == 200
    positions = [html.index(queue[key].code) for key in ("overdue", "today", "soon", "later")]
    assert positions == sorted(positions)
    for label in ("Quá hạn", "Đến hạn hôm nay", "Sắp đến hạn", "Còn hạn"):
        assert re.search(rf"{label}: <strong>1</strong>", html), label
    row = html[html.index(queue["overdue"].code):]
    assert 'badge-late">Quá hạn' in row[:1500]


def test_bucket_link_filters_the_list(client, auth, queue):
    auth.login("lanh_dao")
    _, html = _page(client, "/ho-so?han=qua_han")
    assert queue["overdue"].code in html
    assert queue["later"].code not in html and queue["today"].code not in html


def test_htmx_refresh_returns_the_list_fragment_and_keeps_filters(client, auth, queue):
    field = Field.get(Field.name == "Hộ tịch")
    auth.login("lanh_dao")
    _, page = _page(client, f"/ho-so?linh_vuc={field.id}&q=tran")
    assert f'<option value="{field.id}" selected>' in page
    assert 'value="tran"' in page
    assert 'hx-trigger="every 30s"' in page and 'hx-include="#dossier-filters"' in page
    response, fragment = _page(client, f"/ho-so?linh_vuc={field.id}&q=tran", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in fragment
    assert queue["overdue"].code in fragment and queue["soon"].code not in fragment
    assert f"linh_vuc={field.id}" in fragment  # bucket and page links keep the filters


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("nguyen van duc", "today"),
        (unicodedata.normalize("NFD", "Nguyễn Văn Đức"), "today"),
        ("NGUYỄN VĂN", "today"),
        ("trần văn trễ", "overdue"),
    ],
)
def test_search_by_name_without_diacritics_nfc_or_nfd(client, auth, queue, typed, key):
    auth.login("tiep_nhan")
    _, html = _page(client, "/ho-so", query_string={"q": typed})
    assert queue[key].code in html
    others = [dossier.code for name, dossier in queue.items() if name != key]
    assert not any(code in html for code in others)


def test_search_by_code_suffix_id_number_and_phone(client, auth, queue):
    auth.login("tiep_nhan")
    today = queue["today"]
    _, html = _page(client, "/ho-so", query_string={"q": str(today.sequence)})
    assert today.code in html
    _, html = _page(client, "/ho-so", query_string={"q": today.code.lower()})
    assert today.code in html and queue["later"].code not in html
    _, html = _page(client, "/ho-so", query_string={"q": "001 203 012 345"})
    assert all(dossier.code in html for dossier in queue.values())
    _, html = _page(client, "/ho-so", query_string={"q": "+84 912 345 678"})
    assert all(dossier.code in html for dossier in queue.values())
    _, html = _page(client, "/ho-so", query_string={"q": "0987654321"})
    assert "Không có hồ sơ nào phù hợp." in html


def test_code_number_alone_lists_that_number_of_every_day_newest_day_first(client, auth, make_dossier, fixed_clock):
    # The first dossier of each day is number 1: typed "1", the list reads like the receipt pile, newest on top.
    days = [datetime.datetime(2026, 11, day, 8, 0) for day in (24, 30, 26)]
    firsts = {received_at.day: make_dossier("1.004873", received_at=received_at) for received_at in days}
    second = make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 30, 8, 5))
    auth.login("tiep_nhan")
    _, html = _page(client, "/ho-so", query_string={"q": "1"})
    positions = [html.index(firsts[day].code) for day in (30, 26, 24)]
    assert positions == sorted(positions)
    assert second.code not in html
    # Narrowed to dossiers still being worked on, the same search lists them by urgency like the queue.
    _, html = _page(client, "/ho-so", query_string={"q": "1", "trang_thai": "received"})
    positions = [html.index(firsts[day].code) for day in (24, 26, 30)]
    assert positions == sorted(positions)


def test_list_pages_follow_on_without_losing_or_repeating_a_dossier(client, auth, make_dossier, fixed_clock, monkeypatch):
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    made = [make_dossier("1.004873", received_at=datetime.datetime(2026, 11, day, 9, 0), name=f"Người Số {day}") for day in (20, 23, 24, 25, 26)]
    auth.login("lanh_dao")
    seen = []
    for number in (1, 2, 3):
        _, html = _page(client, "/ho-so", query_string={"trang": number})
        on_page = [dossier.code for dossier in made if dossier.code in html]
        assert len(on_page) == (2 if number < 3 else 1)
        assert ("Trang sau" in html) == (number < 3)
        assert ("Trang trước" in html) == (number > 1)
        seen += sorted(on_page, key=html.index)
    # Most urgent first across the pages: the earliest received is due first.
    assert seen == [dossier.code for dossier in made]


def test_search_finds_settled_dossiers_and_date_range_narrows(client, auth, queue):
    act(queue["later"], Action.WITHDRAW, user("tiep_nhan"), note="Xin rút")
    auth.login("tiep_nhan")
    _, html = _page(client, "/ho-so", query_string={"q": "le thi sau"})
    assert queue["later"].code in html and "Công dân rút hồ sơ" in html
    _, html = _page(client, "/ho-so", query_string={"trang_thai": "tat_ca", "tu_ngay": "2026-11-26", "den_ngay": "2026-11-26"})
    assert queue["soon"].code in html and queue["overdue"].code not in html


def test_malformed_filters_are_ignored_not_errors(client, auth, queue):
    auth.login("lanh_dao")
    response = client.get("/ho-so?linh_vuc=abc&tu_ngay=31-02-2026&han=xx&trang=-3&kenh=<script>&q=" + "x" * 500)
    assert response.status_code == 200
    # A wrong date is ignored too, but said beside the filters, so the list is not taken for filtered.
    assert "Nhận từ ngày: Ngày «31-02-2026» không đúng dạng dd/mm/yyyy" in response.get_data(as_text=True)


def test_date_filters_are_typed_day_first(client, auth, queue):
    auth.login("lanh_dao")
    _, html = _page(client, "/ho-so", query_string={"trang_thai": "tat_ca", "tu_ngay": "26/11/2026", "den_ngay": "26/11/2026"})
    assert queue["soon"].code in html and queue["overdue"].code not in html
    assert 'name="tu_ngay" id="tu_ngay" value="26/11/2026"' in html and 'type="date"' not in html
    html = client.get("/ho-so/so-theo-doi?tu_ngay=20/11/2026&den_ngay=30/11/2026").get_data(as_text=True)
    assert "Từ ngày 20/11/2026 đến ngày 30/11/2026" in html
    response = client.get("/ho-so/so-theo-doi?tu_ngay=31/11/2026")
    assert response.status_code == 400 and "Từ ngày: Ngày «31/11/2026» không có thật." in response.get_data(as_text=True)


def test_my_queue_holds_my_dossiers_and_unassigned_ones_of_my_fields(client, auth, queue, make_dossier):
    specialist = user("chuyen_mon")
    UserField.delete().where(UserField.user == specialist).execute()
    UserField.create(user=specialist, field=Field.get(Field.name == "Hộ tịch"))
    certification = queue["today"]  # Chứng thực: not the specialist's field
    auth.login("chuyen_mon")
    _, html = _page(client, "/ho-so/cua-toi")
    assert queue["overdue"].code in html and queue["later"].code in html
    assert certification.code not in html
    act(certification, Action.START, user("lanh_dao"))
    act(Dossier.get_by_id(certification.id), Action.TRANSFER, user("lanh_dao"), data={"assignee_id": specialist.id})
    _, html = _page(client, "/ho-so/cua-toi")
    assert certification.code in html


def test_dossier_page_shows_everything_and_the_allowed_actions(client, auth, queue):
    dossier = queue["today"]
    auth.login("chuyen_mon")
    response, html = _page(client, f"/ho-so/{dossier.code}")
    assert response.status_code == 200
    for text in ("Nguyễn Văn Đức", "001203012345", "0912345678", "Thôn Trung Tiết", "Đã tiếp nhận", "Tiếp nhận hồ sơ", "Bắt đầu giải quyết", "Cán bộ tiepnhan"):
        assert text in html, text
    assert 'name="version" value="1"' in html
    assert "Phê duyệt" not in html  # only a leader approves
    assert client.get("/ho-so/000.00.20.H42-261130-9999").status_code == 404


def test_specialist_starts_processing_and_is_recorded_as_assignee(client, auth, queue):
    dossier = queue["later"]
    auth.login("chuyen_mon")
    response = _post_action(auth, dossier, "start")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/ho-so/{dossier.code}"
    stored = Dossier.get_by_id(dossier.id)
    assert stored.status == Status.PROCESSING and stored.assignee_id == user("chuyen_mon").id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã ghi nhận: Bắt đầu giải quyết." in html and "Đang giải quyết" in html


@pytest.mark.parametrize(
    ("role", "action", "status_code", "message"),
    [
        ("lanh_dao", "approve", 409, "Hồ sơ đang ở trạng thái «Đã tiếp nhận» nên không thể «Phê duyệt»"),
        ("chuyen_mon", "documents_received", 409, "không thể «Nhận hồ sơ bổ sung»"),
        ("tiep_nhan", "start", 403, "Vai trò của bạn không được phép «Bắt đầu giải quyết»"),
        ("chuyen_mon", "approve", 403, "Vai trò của bạn không được phép «Phê duyệt»"),
        ("tiep_nhan", "hand_over", 403, "không được phép «Trả kết quả»"),
        ("chuyen_mon", "delete", 400, "Thao tác «delete» không hợp lệ."),
        ("chuyen_mon", "stop", 400, "Vui lòng ghi rõ lý do."),
    ],
)
def test_actions_sent_by_hand_are_refused_and_change_nothing(client, auth, queue, role, action, status_code, message):
    dossier = queue["later"]
    auth.login(role)
    response = _post_action(auth, dossier, action)
    assert response.status_code == status_code
    assert message in response.get_data(as_text=True)
    stored = Dossier.get_by_id(dossier.id)
    assert stored.status == Status.RECEIVED and stored.version == dossier.version
    assert DossierEvent.select().where(DossierEvent.dossier == dossier).count() == 1


def test_stale_form_gets_409_with_the_fresh_state_and_nothing_changes(client, auth, queue):
    dossier = queue["later"]
    act(dossier, Action.START, user("lanh_dao"))  # someone else, after this page was drawn
    auth.login("chuyen_mon")
    response = _post_action(auth, dossier, "stop", version=1, note="Dừng theo đề nghị")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Hồ sơ vừa được người khác cập nhật" in html
    assert "Đang giải quyết" in html and 'name="version" value="2"' in html
    stored = Dossier.get_by_id(dossier.id)
    assert stored.status == Status.PROCESSING and stored.version == 2


def test_missing_version_is_refused(client, auth, queue):
    dossier = queue["later"]
    auth.login("chuyen_mon")
    response = auth.post(f"/ho-so/{dossier.code}/thao-tac", data={"action": "start"})
    assert response.status_code == 400
    assert Dossier.get_by_id(dossier.id).status == Status.RECEIVED


def _to_waiting_approval(dossier):
    act(dossier, Action.START, user("chuyen_mon"))
    return act(Dossier.get_by_id(dossier.id), Action.SEND_FOR_APPROVAL, user("chuyen_mon"))


def test_shelf_of_500_characters_is_refused(client, auth, queue):
    dossier = _to_waiting_approval(queue["later"])
    auth.login("lanh_dao")
    response = _post_action(auth, dossier, "approve", shelf="K" * 500)
    assert response.status_code == 400
    assert "Tên ngăn/kệ để kết quả tối đa 120 ký tự (đã nhập 500)." in response.get_data(as_text=True)
    stored = Dossier.get_by_id(dossier.id)
    assert stored.status == Status.WAITING_APPROVAL and stored.shelf == ""


def test_leader_approves_with_a_shelf_and_the_counter_sees_it_ready(client, auth, queue):
    dossier = _to_waiting_approval(queue["later"])
    auth.login("lanh_dao")
    response = _post_action(auth, dossier, "approve", shelf="  Kệ A,   ngăn 3 ")
    assert response.status_code == 303
    stored = Dossier.get_by_id(dossier.id)
    assert stored.status == Status.RESULT_READY and stored.shelf == "Kệ A, ngăn 3" and stored.resolved_at
    auth.logout()
    auth.login("tiep_nhan")
    html = client.get(f"/ho-so/{dossier.code}").get_data(as_text=True)
    assert "Đã có kết quả, chờ trả" in html and "Kệ A, ngăn 3" in html


def test_request_documents_pauses_and_prints_mau_02_then_resume_twice_is_refused(client, auth, queue):
    dossier = queue["later"]
    act(dossier, Action.START, user("chuyen_mon"))
    dossier = Dossier.get_by_id(dossier.id)
    auth.login("chuyen_mon")
    response = _post_action(auth, dossier, "request_documents", missing=["Giấy tờ tùy thân của người yêu cầu (thẻ căn cước, hộ chiếu)", "Không có trong danh mục"], note="")
    assert response.status_code == 303
    stored = Dossier.get_by_id(dossier.id)
    assert stored.status == Status.WAITING_DOCUMENTS and stored.paused_at is not None
    event = DossierEvent.get((DossierEvent.dossier == dossier) & (DossierEvent.action == "request_documents"))
    assert event.data == {"missing": ["Giấy tờ tùy thân của người yêu cầu (thẻ căn cước, hộ chiếu)"]}
    html = client.get(f"/ho-so/{dossier.code}/in/mau-02/{event.id}").get_data(as_text=True)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in html and "thẻ căn cước, hộ chiếu" in html and dossier.code in html

    assert _post_action(auth, stored, "documents_received").status_code == 303
    again = _post_action(auth, stored, "documents_received", version=Dossier.get_by_id(dossier.id).version)
    assert again.status_code == 409
    assert "không thể «Nhận hồ sơ bổ sung»" in again.get_data(as_text=True)
    assert DossierEvent.select().where((DossierEvent.dossier == dossier) & (DossierEvent.action == "documents_received")).count() == 1


def test_transfer_needs_a_person_from_the_list(client, auth, queue):
    dossier = queue["later"]
    act(dossier, Action.START, user("chuyen_mon"))
    dossier = Dossier.get_by_id(dossier.id)
    auth.login("chuyen_mon")
    assert _post_action(auth, dossier, "transfer", assignee_id=str(user("tiep_nhan").id)).status_code == 400
    response = _post_action(auth, dossier, "transfer", assignee_id=str(user("lanh_dao").id), note="Lãnh đạo trực tiếp xử lý")
    assert response.status_code == 303
    assert Dossier.get_by_id(dossier.id).assignee_id == user("lanh_dao").id
    html = client.get(f"/ho-so/{dossier.code}").get_data(as_text=True)
    assert "Chuyển cho Cán bộ lanhdao." in html


def test_extension_earlier_than_the_appointment_is_refused_and_a_later_one_prints_mau_04(client, auth, queue):
    dossier = queue["overdue"]
    auth.login("chuyen_mon")
    url = f"/ho-so/{dossier.code}/gia-han"
    earlier = auth.post(url, data={"new_date": "2026-11-23", "reason": "Chờ xác minh", "version": dossier.version}, token_from=f"/ho-so/{dossier.code}")
    assert earlier.status_code == 400
    assert "Ngày hẹn mới phải sau ngày hẹn hiện tại" in earlier.get_data(as_text=True)
    assert Dossier.get_by_id(dossier.id).extended_due_at is None
    response = auth.post(url, data={"new_date": "2026-12-04", "reason": "Chờ xác minh tại nơi cư trú", "version": dossier.version}, token_from=f"/ho-so/{dossier.code}")
    assert response.status_code == 303
    assert "/in/mau-04/" in response.headers["Location"]
    stored = Dossier.get_by_id(dossier.id)
    assert stored.extended_due_at == datetime.datetime(2026, 12, 4, 17, 0) and stored.due_at == dossier.due_at
    letter = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in letter and "04/12/2026" in letter and "Chờ xác minh tại nơi cư trú" in letter
    page = client.get(f"/ho-so/{dossier.code}").get_data(as_text=True)
    assert "Hẹn lại (Mẫu 04)" in page and "Gia hạn, hẹn lại ngày trả kết quả (Mẫu 04)" in page


def test_stop_and_refusal_print_their_notices(client, auth, queue):
    stopped, refused = queue["later"], queue["soon"]
    auth.login("chuyen_mon")
    assert _post_action(auth, stopped, "stop", note="Người yêu cầu không bổ sung hồ sơ").status_code == 303
    html = client.get(f"/ho-so/{stopped.code}/in/mau-05").get_data(as_text=True)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in html and "Người yêu cầu không bổ sung hồ sơ" in html
    act(refused, Action.START, user("chuyen_mon"))
    assert _post_action(auth, Dossier.get_by_id(refused.id), "refuse", note="Không đủ điều kiện").status_code == 303
    html = client.get(f"/ho-so/{refused.code}/in/tu-choi").get_data(as_text=True)
    assert "Về việc từ chối giải quyết hồ sơ" in html and "Không đủ điều kiện" in html
    assert client.get(f"/ho-so/{queue['today'].code}/in/mau-05").status_code == 404


def test_control_slip_and_logbook_are_built_from_the_events(client, auth, queue):
    dossier = _to_waiting_approval(queue["later"])
    act(Dossier.get_by_id(dossier.id), Action.APPROVE, user("lanh_dao"), data={"shelf": "Kệ B"})
    auth.login("tiep_nhan")
    html = client.get(f"/ho-so/{dossier.code}/in/mau-06").get_data(as_text=True)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in html
    for text in ("Tiếp nhận hồ sơ", "Bắt đầu giải quyết", "Trình phê duyệt", "Phê duyệt", "Cán bộ lanhdao", "Người nhận (ký)"):
        assert text in html, text
    response = client.get("/ho-so/so-theo-doi?tu_ngay=2026-11-20&den_ngay=2026-11-30")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "SỔ THEO DÕI HỒ SƠ" in html and "paper-a4-landscape.css" in html and "4 hồ sơ" in html
    assert client.get("/ho-so/so-theo-doi?tu_ngay=2026-01-01&den_ngay=2026-12-31").status_code == 400
    assert client.get("/ho-so/so-theo-doi?tu_ngay=2026-12-01&den_ngay=2026-11-01").status_code == 400


def test_admin_sees_dossier_events_filtered_by_person_and_date(client, auth, queue):
    act(queue["later"], Action.START, user("chuyen_mon"), at=datetime.datetime(2026, 11, 30, 9, 30))
    auth.login("quan_tri")
    html = client.get("/quan-tri/").get_data(as_text=True)
    assert "Nhật ký xử lý hồ sơ" in html
    html = client.get(f"/quan-tri/nhat-ky-ho-so?nguoi={user('chuyen_mon').id}").get_data(as_text=True)
    assert "Bắt đầu giải quyết" in html and queue["later"].code in html and "Tiếp nhận hồ sơ" not in html
    html = client.get("/quan-tri/nhat-ky-ho-so?tu_ngay=2026-11-26&den_ngay=2026-11-26").get_data(as_text=True)
    assert queue["soon"].code in html and queue["later"].code not in html
    html = client.get("/quan-tri/nhat-ky-ho-so?tu_ngay=26/11/2026&den_ngay=26/11/2026").get_data(as_text=True)
    assert queue["soon"].code in html and queue["later"].code not in html
    assert 'value="26/11/2026"' in html
    html = client.get("/quan-tri/nhat-ky-ho-so?tu_ngay=11/26/2026").get_data(as_text=True)
    assert "Từ ngày: Ngày «11/26/2026» không có thật." in html


def test_pages_carry_no_inline_script_or_style(client, auth, queue):
    auth.login("lanh_dao")
    code = queue["today"].code
    for path in ("/ho-so", "/ho-so/cua-toi", f"/ho-so/{code}", f"/ho-so/{code}/in/mau-06", "/ho-so/so-theo-doi"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html, path
    assert csrf_token_from(client.get(f"/ho-so/{code}").get_data(as_text=True))


def test_filtered_search_by_a_too_common_name_says_so(client, auth, queue, make_dossier, monkeypatch):
    monkeypatch.setattr(worklist, "NAME_MATCH_LIMIT", 1)
    make_dossier("1.004873", received_at=datetime.datetime(2026, 11, 27, 9, 0), name="Nguyễn Thị Hai")
    auth.login("lanh_dao")
    field = Field.get(Field.name == "Hộ tịch")
    _, html = _page(client, "/ho-so", query_string={"q": "nguyen", "linh_vuc": field.id})
    assert "khớp hơn 1 hồ sơ" in html
    _, html = _page(client, "/ho-so", query_string={"q": "nguyen thi hai", "linh_vuc": field.id})
    assert "khớp hơn" not in html and "Nguyễn Thị Hai" in html


@pytest.fixture
def civil_status_specialist(db):
    """A specialist bound to Hộ tịch only, who logs in as the suite's users do."""
    from app.models import User
    from tests.conftest import PASSWORD, _HASH

    person = User.create(username="chuyenmon.hotich", full_name="Cán bộ hộ tịch", password_hash=_HASH, roles_text="chuyen_mon")
    UserField.create(user=person, field=Field.get(Field.name == "Hộ tịch"))
    return person, PASSWORD


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("send_for_approval", {}),
        ("transfer", {"assignee_id": "SELF"}),
        ("refuse", {"note": "Không đủ điều kiện"}),
        ("stop", {"note": "Dừng"}),
        ("withdraw", {"note": "Công dân rút"}),
        ("request_documents", {"note": "Thiếu giấy"}),
    ],
)
def test_specialist_cannot_act_on_another_fields_dossier(client, auth, queue, civil_status_specialist, action, fields):
    person, password = civil_status_specialist
    certification = act(queue["today"], Action.START, user("lanh_dao"))  # Chứng thực, held by the leader
    if fields.get("assignee_id") == "SELF":
        fields = {"assignee_id": str(person.id)}
    auth.login(username=person.username, password=password)
    response = _post_action(auth, certification, action, **fields)
    assert response.status_code == 403
    assert "lĩnh vực bạn không phụ trách" in response.get_data(as_text=True)
    stored = Dossier.get_by_id(certification.id)
    assert (stored.status, stored.version, stored.assignee_id) == (Status.PROCESSING, certification.version, user("lanh_dao").id)
    assert DossierEvent.select().where(DossierEvent.dossier == certification).count() == 2


def test_dossier_page_offers_a_specialist_no_action_outside_their_fields(client, auth, queue, civil_status_specialist):
    person, password = civil_status_specialist
    certification = act(queue["today"], Action.START, user("lanh_dao"))
    auth.login(username=person.username, password=password)
    html = client.get(f"/ho-so/{certification.code}").get_data(as_text=True)
    assert 'name="action"' not in html and "action-extend" not in html
    assert "Không có thao tác nào dành cho bạn" in html
    own = act(queue["later"], Action.START, user("lanh_dao"))  # Hộ tịch: the specialist's field
    html = client.get(f"/ho-so/{own.code}").get_data(as_text=True)
    for action in ("send_for_approval", "transfer", "refuse", "stop", "withdraw"):
        assert f'name="action" value="{action}"' in html, action


def test_specialist_cannot_extend_another_fields_dossier(client, auth, queue, civil_status_specialist):
    person, password = civil_status_specialist
    certification = act(queue["today"], Action.START, user("lanh_dao"))
    auth.login(username=person.username, password=password)
    response = auth.post(
        f"/ho-so/{certification.code}/gia-han",
        data={"new_date": "2026-12-15", "reason": "Chờ xác minh", "version": certification.version},
        token_from=f"/ho-so/{certification.code}",
    )
    assert response.status_code == 403
    assert Dossier.get_by_id(certification.id).extended_due_at is None


def test_service_refuses_a_specialist_outside_their_fields(queue, civil_status_specialist):
    from app.rules.status import TransitionRefused

    person, _ = civil_status_specialist
    certification = act(queue["today"], Action.START, user("lanh_dao"))
    with pytest.raises(TransitionRefused):
        act(certification, Action.SEND_FOR_APPROVAL, person)
    own = act(queue["later"], Action.START, person)
    assert own.status == Status.PROCESSING and own.assignee_id == person.id


def test_a_dossier_of_another_field_handed_to_the_specialist_is_theirs_to_process(client, auth, queue, civil_status_specialist):
    person, password = civil_status_specialist
    certification = act(queue["today"], Action.START, user("lanh_dao"))
    certification = act(certification, Action.TRANSFER, user("lanh_dao"), data={"assignee_id": person.id})
    auth.login(username=person.username, password=password)
    assert 'name="action" value="send_for_approval"' in client.get(f"/ho-so/{certification.code}").get_data(as_text=True)
    assert _post_action(auth, certification, "send_for_approval").status_code == 303
    assert Dossier.get_by_id(certification.id).status == Status.WAITING_APPROVAL
