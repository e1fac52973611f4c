"""The intake page: live checklist, fee and appointment; saving; every bad input refused beside its field."""
import datetime
import html
import re
import unicodedata

import pytest

from app import settings as center_settings
from app.models import Counter, DaySequence, Dossier, DossierEvent, GuidanceSlip, Procedure, ProcedureDocument, SupportTeam, TeamMember, User, Village
from app.qr import qr_path, status_url, wifi_text
from tests.conftest import csrf_token_from

# A Friday after the same-day cut-off, before the Tết holiday of 2026: the appointment jumps the holiday.
NOW = datetime.datetime(2026, 2, 13, 15, 5)


@pytest.fixture
def counter_staff(client, auth, catalogue, clock):
    """The counter officer of Quầy 2, logged in, with the clock stopped at NOW."""
    clock.freeze(NOW)
    officer = User.get(User.username == "tiepnhan")
    officer.counter = Counter.get(Counter.name == "Quầy 2")
    officer.save()
    auth.login("tiep_nhan")
    return officer


def procedure(code: str) -> Procedure:
    return Procedure.get(Procedure.code == code)


def documents(code: str) -> list[ProcedureDocument]:
    return list(procedure(code).documents.order_by(ProcedureDocument.order))


def valid_form(client, code="2.000815", **changes):
    """Everything a counter officer types for a complete dossier, every required document ticked."""
    chosen = procedure(code)
    page = client.get("/tiep-nhan").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page),
        "idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1),
        "procedure": str(chosen.id),
        "applicant_name": "Nguyễn Văn An",
        "id_number": "042203012345",
        "phone": "+84 912 345 678",
        "address": "Số 5, đường Trần Phú",
        "channel": "truc_tiep",
        "return_method": "tai_quay",
        "sets": "1",
    }
    for document in chosen.documents:
        data[f"doc_{document.id}"] = "1"
        data[f"doc_{document.id}_form"] = document.form
        data[f"doc_{document.id}_count"] = str(document.count)
    if code == "2.000815":
        data.update(pages="7", copies="3")
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def save(client, data):
    return client.post("/tiep-nhan", data=data)


def test_intake_page_preselects_the_officers_counter(client, counter_staff):
    page = client.get("/tiep-nhan").get_data(as_text=True)
    assert f'<option value="{counter_staff.counter_id}" selected>Quầy 2</option>' in page
    assert "Tìm thủ tục" in page and "Lưu và in biên nhận" in page


@pytest.mark.parametrize("typed", ["chung thuc ban sao", "CHỨNG THỰC bản sao", unicodedata.normalize("NFD", "chứng thực bản sao"), "2.000815"])
def test_procedure_search_ignores_diacritics(client, counter_staff, typed):
    response = client.get("/tiep-nhan/thu-tuc", query_string={"q": typed}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    assert "Chứng thực bản sao từ bản chính" in fragment
    assert f'name="pick" value="{procedure("2.000815").id}"' in fragment


def test_procedure_search_without_htmx_lands_on_the_page_with_results(client, counter_staff):
    response = client.get("/tiep-nhan/thu-tuc?q=khai+sinh")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đăng ký khai sinh" in page and 'name="pick"' in page


def test_search_that_finds_nothing_says_so(client, counter_staff):
    fragment = client.get("/tiep-nhan/thu-tuc", query_string={"q": "xyz khong co"}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Không tìm thấy thủ tục nào khớp «xyz khong co»" in fragment


def test_picking_a_procedure_shows_checklist_time_fee_and_appointment(client, counter_staff):
    chosen = procedure("2.000815")
    response = client.get(
        "/tiep-nhan/xem-truoc",
        query_string={"pick": chosen.id, "pages": "7", "copies": "3"},
        headers={"HX-Request": "true", "HX-Target": "procedure-panel"},
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    for document in chosen.documents:
        assert html.escape(document.name, quote=False) in fragment
    assert "Số trang mỗi bản" in fragment and "Số bản (số trường hợp)" in fragment
    assert "Trong ngày (nhận trước 15:00)" in fragment
    assert "27.000 đ" in fragment
    # Received Friday 13/02 after 15:00; Tết closes the center from 14/02 to 22/02.
    assert "17 giờ 00 phút, Thứ Hai, 23/02/2026" in fragment


@pytest.mark.parametrize(
    "pages, message",
    [("0", "Số trang phải lớn hơn 0."), ("-3", "Số trang phải lớn hơn 0."), ("ba", "Số trang phải là số nguyên")],
)
def test_live_fee_explains_a_wrong_page_count(client, counter_staff, pages, message):
    response = client.get(
        "/tiep-nhan/xem-truoc",
        query_string={"procedure": procedure("2.000815").id, "pages": pages, "copies": "1"},
        headers={"HX-Request": "true", "HX-Target": "summary"},
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_live_fee_waits_for_a_page_count_not_typed_yet(client, counter_staff):
    fragment = client.get(
        "/tiep-nhan/xem-truoc",
        query_string={"procedure": procedure("2.000815").id, "pages": "", "copies": "1"},
        headers={"HX-Request": "true", "HX-Target": "summary"},
    ).get_data(as_text=True)
    assert "Nhập đủ thông tin để tính phí." in fragment
    assert "Chưa nhập số trang." not in fragment and 'class="error"' not in fragment


def test_picked_procedure_shows_no_message_before_anything_is_typed(client, counter_staff):
    fragment = client.get(
        "/tiep-nhan/xem-truoc",
        query_string={"pick": procedure("2.000815").id},
        headers={"HX-Request": "true", "HX-Target": "procedure-panel"},
    ).get_data(as_text=True)
    assert "Số trang mỗi bản" in fragment
    assert 'class="error"' not in fragment and 'aria-invalid="true"' not in fragment


def test_online_channel_shows_the_online_fee(client, counter_staff):
    procedure("2.000884").update(fee_online_percent=50).where(Procedure.code == "2.000884").execute()
    fragment = client.get(
        "/tiep-nhan/xem-truoc",
        query_string={"procedure": procedure("2.000884").id, "copies": "2", "channel": "truc_tuyen"},
        headers={"HX-Request": "true", "HX-Target": "summary"},
    ).get_data(as_text=True)
    assert "10.000 đ" in fragment


def test_saving_creates_the_dossier_and_opens_its_receipt(client, counter_staff):
    response = save(client, valid_form(client, applicant_name=unicodedata.normalize("NFD", "Nguyễn  Văn Đức ")))
    assert response.status_code == 303
    dossier = Dossier.get()
    assert response.headers["Location"] == f"/ho-so/{dossier.code}/bien-nhan"
    assert dossier.code == "000.00.20.H42-260213-0001"
    assert dossier.applicant_name == "Nguyễn Văn Đức"
    assert dossier.phone == "0912345678"
    assert dossier.fee_amount == 27000 and dossier.fee_inputs == {"pages": 7, "copies": 3}
    assert dossier.counter.name == "Quầy 2" and dossier.received_by.username == "tiepnhan"
    assert dossier.due_at == datetime.datetime(2026, 2, 23, 17, 0)
    assert [(d["name"], d["count"]) for d in dossier.documents] == [(d.name, d.count) for d in documents("2.000815")]
    assert DossierEvent.get(DossierEvent.dossier == dossier).action == "receive"


def test_double_submit_makes_one_dossier(client, counter_staff):
    data = valid_form(client)
    first, second = save(client, data), save(client, data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert Dossier.select().count() == 1


def test_priority_channel_team_and_representative_are_kept(client, counter_staff):
    village = Village.create(name="Trung Tiết")
    team = SupportTeam.create(village=village, leader_name="Lê Thị Hoa", leader_phone="0987654321")
    member = TeamMember.create(team=team, name="Trần Văn Bình")
    data = valid_form(
        client, village=str(village.id), channel="tai_nha", team=str(team.id), team_member=str(member.id),
        priority_group="nguoi_cao_tuoi", return_method="to_cong_nghe",
        representative_name="Nguyễn Thị Lan", representative_id_number="042303012345", representative_relation="con gái",
    )
    assert save(client, data).status_code == 303
    dossier = Dossier.get()
    assert (dossier.channel, dossier.team_id, dossier.team_member_id, dossier.village_id) == ("tai_nha", team.id, member.id, village.id)
    assert dossier.priority_group == "nguoi_cao_tuoi" and dossier.return_method == "to_cong_nghe"
    receipt = client.get(f"/ho-so/{dossier.code}/bien-nhan").get_data(as_text=True)
    assert '<span class="badge badge-priority">Người cao tuổi</span>' in receipt
    assert "Người nộp thay: Nguyễn Thị Lan (con gái)" in receipt


def test_return_by_village_team_defaults_to_the_applicants_village_team(client, counter_staff):
    village = Village.create(name="Đông Hà")
    team = SupportTeam.create(village=village)
    assert save(client, valid_form(client, village=str(village.id), return_method="to_cong_nghe")).status_code == 303
    assert Dossier.get().team_id == team.id


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"applicant_name": ""}, "applicant_name", "Chưa nhập họ và tên người nộp."),
        ({"applicant_name": "     "}, "applicant_name", "Chưa nhập họ và tên người nộp."),
        ({"applicant_name": "A" * 300}, "applicant_name", "Tối đa 120 ký tự (đang có 300)."),
        ({"applicant_name": "Lê\x00Văn"}, "applicant_name", "Có ký tự điều khiển không hợp lệ."),
        ({"id_number": "12345"}, "id_number", "Số định danh cá nhân phải có 12 chữ số"),
        ({"id_number": "042903012345"}, "id_number", "Chữ số thứ tư của số định danh cá nhân"),
        ({"id_number": ""}, "id_number", "Chưa nhập số định danh cá nhân."),
        ({"phone": "0239 3845 123"}, "phone", "Đây là số máy bàn."),
        ({"phone": "091234567"}, "phone", "Số điện thoại di động phải có 10 chữ số"),
        ({"phone": "không có"}, "phone", "Số điện thoại chỉ gồm chữ số"),
        ({"email": "an@gmail"}, "email", "Địa chỉ email không hợp lệ"),
        ({"address": " "}, "address", "Chưa nhập địa chỉ."),
        ({"procedure": "999999"}, "procedure", "Thủ tục này không có hoặc không còn áp dụng"),
        ({"procedure": "abc"}, "procedure", "Thủ tục này không có hoặc không còn áp dụng"),
        ({"procedure": None}, "procedure", "Chưa chọn thủ tục."),
        ({"pages": "0"}, "pages", "Số trang phải lớn hơn 0."),
        ({"pages": "-3"}, "pages", "Số trang phải lớn hơn 0."),
        ({"pages": "ba"}, "pages", "Số trang phải là số nguyên"),
        ({"pages": "9" * 5000}, "pages", "Số trang phải là số nguyên"),
        ({"copies": "0"}, "copies", "Số bản phải lớn hơn 0."),
        ({"sets": "0"}, "sets", "Số bộ hồ sơ phải là số nguyên từ 1 đến 99."),
        ({"channel": "bo_cau"}, "channel", "Hãy chọn một giá trị trong danh sách."),
        ({"channel": "truc_tuyen"}, "portal_code", "Chưa nhập mã hồ sơ trên Cổng Dịch vụ công hoặc hệ thống của tỉnh."),
        ({"channel": "truc_tuyen", "portal_code": "<b>x</b>"}, "portal_code", "Mã hồ sơ của tỉnh gồm 3 đến 60 ký tự"),
        ({"portal_code": "G22.39-261130-0001😀"}, "portal_code", "Mã hồ sơ của tỉnh gồm 3 đến 60 ký tự"),
        ({"portal_code": "x" * 5000}, "portal_code", "Mã hồ sơ của tỉnh gồm 3 đến 60 ký tự"),
        ({"channel": "tai_nha"}, "team", "Chọn tổ công nghệ số đã thu nhận hồ sơ tại nhà."),
        ({"team": "424242"}, "team", "Tổ công nghệ số này không còn hoạt động"),
        ({"return_method": "to_cong_nghe"}, "team", "Chọn tổ công nghệ số sẽ mang kết quả về"),
        ({"priority_group": "vip"}, "priority_group", "Hãy chọn một giá trị trong danh sách."),
        ({"village": "424242"}, "village", "Thôn này không còn trong danh sách; hãy chọn lại."),
        ({"representative_name": "Trần Văn B"}, "representative_id_number", "Chưa nhập số định danh cá nhân."),
        ({"representative_relation": "con"}, "representative_name", "Chưa nhập họ và tên người được ủy quyền."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(client, counter_staff, changes, field, message):
    data = valid_form(client, **{"address": "Xóm Chùa <b>đậm</b>", **changes} if "address" not in changes else changes)
    response = save(client, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error"[^>]*>([^<]*)</p>', page)
    assert error, f"no message beside {field}"
    assert html.unescape(error.group(1)).startswith(message)
    if "address" not in changes:
        assert 'value="Xóm Chùa &lt;b&gt;đậm&lt;/b&gt;"' in page  # everything typed is still there, as text
    assert Dossier.select().count() == 0 and DaySequence.select().count() == 0


def test_inactive_village_is_refused_and_not_offered(client, counter_staff):
    village = Village.create(name="Thôn Cũ", active=False)
    assert ">Thôn Cũ<" not in client.get("/tiep-nhan").get_data(as_text=True)
    response = save(client, valid_form(client, village=str(village.id)))
    assert response.status_code == 422
    assert "Thôn này không còn trong danh sách; hãy chọn lại." in response.get_data(as_text=True)


def test_missing_required_document_is_refused_and_points_to_the_guidance_slip(client, counter_staff):
    first = documents("2.000815")[0]
    data = valid_form(client, **{f"doc_{first.id}": None})
    response = save(client, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Còn thiếu giấy tờ bắt buộc: " + html.escape(first.name, quote=False) in page
    assert "Hồ sơ chưa đầy đủ" in page
    assert Dossier.select().count() == 0


def test_document_count_must_be_a_small_whole_number(client, counter_staff):
    document = documents("2.000815")[0]
    response = save(client, valid_form(client, **{f"doc_{document.id}_count": "hai"}))
    assert response.status_code == 422
    assert "Số lượng phải là số nguyên." in response.get_data(as_text=True)


def test_expired_form_keeps_everything_typed(client, counter_staff):
    data = valid_form(client, csrf_token="het-han", applicant_name="Phạm Thị Mai")
    response = save(client, data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ" in page
    assert 'value="Phạm Thị Mai"' in page and 'value="+84 912 345 678"' in page
    assert Dossier.select().count() == 0
    # The page carries a fresh token: saving again works.
    data["csrf_token"] = csrf_token_from(page)
    assert save(client, data).status_code == 303


def test_refresh_button_without_javascript_shows_the_picked_procedure(client, counter_staff):
    data = valid_form(client, procedure=None, pick=str(procedure("1.001193").id), refresh="1")
    response = save(client, data)
    assert response.status_code == 200
    assert "Tờ khai đăng ký khai sinh" in response.get_data(as_text=True)
    assert Dossier.select().count() == 0


def saved_dossier(client, **changes) -> Dossier:
    assert save(client, valid_form(client, **changes)).status_code == 303
    return Dossier.select().order_by(Dossier.id.desc()).get()


def test_receipt_is_form_01_with_two_copies_and_the_qr_of_the_status_address(client, counter_staff):
    dossier = saved_dossier(client, applicant_name="Nguyễn Văn <script>alert(1)</script>", email="an@gmail.com")
    response = client.get(f"/ho-so/{dossier.code}/bien-nhan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "Liên 1: giao người nộp hồ sơ" in page and "Liên 2: lưu tại Trung tâm" in page
    assert page.count(f"Mã hồ sơ: <strong>{dossier.code}</strong>") == 2
    assert f'Mã tra cứu: <strong class="lookup">{dossier.lookup_code}</strong>' in page
    assert "Nguyễn Văn &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "27.000 đ" in page
    assert "15 giờ 05 phút, Thứ Sáu, 13/02/2026" in page
    assert "17 giờ 00 phút, Thứ Hai, 23/02/2026" in page
    assert "receipt-a4.css" in page
    expected = qr_path(status_url("http://192.168.1.10:8080", dossier.token))
    assert re.findall(r'<path d="([^"]+)"', page) == [expected, expected]
    assert "Wi-Fi" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) and " style=" not in page


def test_receipt_prints_the_guest_wifi_qr_and_a5_when_set(client, counter_staff):
    center_settings.save({"wifi_name": "TTHCC Khach", "wifi_password": "mat;khau", "receipt_paper": "A5", "public_base_url": "https://motcua.local"})
    dossier = saved_dossier(client)
    page = client.get(f"/ho-so/{dossier.code}/bien-nhan").get_data(as_text=True)
    paths = re.findall(r'<path d="([^"]+)"', page)
    assert paths == [qr_path(f"https://motcua.local/tra-cuu/{dossier.token}"), qr_path(wifi_text("TTHCC Khach", "mat;khau"))] * 2
    assert wifi_text("TTHCC Khach", "mat;khau") == "WIFI:T:WPA;S:TTHCC Khach;P:mat\\;khau;;"
    assert "quét mã để kết nối mạng «TTHCC Khach»" in page
    assert "receipt-a5.css" in page


def test_reprint_is_recorded_and_returns_to_the_receipt(client, auth, counter_staff):
    dossier = saved_dossier(client)
    response = auth.post(f"/ho-so/{dossier.code}/in-lai", token_from=f"/ho-so/{dossier.code}/bien-nhan")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/ho-so/{dossier.code}/bien-nhan"
    events = [(e.action, e.user.username) for e in DossierEvent.select().where(DossierEvent.dossier == dossier).order_by(DossierEvent.id)]
    assert events == [("receive", "tiepnhan"), ("reprint", "tiepnhan")]
    assert "Đã in lại 1 lần." in client.get(f"/ho-so/{dossier.code}/bien-nhan").get_data(as_text=True)


def test_unknown_receipt_is_a_404(client, counter_staff):
    assert client.get("/ho-so/000.00.20.H42-260213-9999/bien-nhan").status_code == 404
    assert client.post("/ho-so/khong-co/in-lai", data={"csrf_token": csrf_token_from(client.get("/tiep-nhan").get_data(as_text=True))}).status_code == 404


def test_specialist_and_leader_can_open_the_receipt(client, auth, counter_staff):
    dossier = saved_dossier(client)
    auth.logout()
    for role in ("chuyen_mon", "lanh_dao"):
        auth.login(role)
        assert client.get(f"/ho-so/{dossier.code}/bien-nhan").status_code == 200
        auth.logout()


def test_incomplete_dossier_prints_form_02_with_the_missing_documents_and_spends_no_code(client, counter_staff):
    missing = documents("2.000815")[0]
    data = valid_form(client, **{f"doc_{missing.id}": None, "note": "Mang bản chính để đối chiếu."})
    response = client.post("/tiep-nhan/chua-day-du", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/tiep-nhan/phieu/HD-260213-001"
    slip = GuidanceSlip.get()
    assert (slip.kind, slip.missing, slip.applicant_name, slip.counter.name) == ("incomplete", [missing.name], "Nguyễn Văn An", "Quầy 2")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in page
    assert f"<li>{html.escape(missing.name, quote=False)}</li>" in page
    # The slip's printed number is the first Mẫu 02 of the year; the applicant's contact is on it.
    assert "Mang bản chính để đối chiếu." in page and "Số: 1/PBS" in page
    assert "Địa chỉ: Số 5, đường Trần Phú" in page and "Số điện thoại: 0912345678" in page
    assert "ngày 13 tháng 02 năm 2026" in page
    assert Dossier.select().count() == 0 and DaySequence.select().count() == 0
    # The same form sent twice (a double click) prints the same slip; a new form gets the next number.
    assert client.post("/tiep-nhan/chua-day-du", data=data).headers["Location"] == "/tiep-nhan/phieu/HD-260213-001"
    second = client.post("/tiep-nhan/chua-day-du", data=valid_form(client, **{f"doc_{missing.id}": None}))
    assert second.headers["Location"] == "/tiep-nhan/phieu/HD-260213-002"


def test_incomplete_with_nothing_missing_asks_what_is_missing(client, counter_staff):
    response = client.post("/tiep-nhan/chua-day-du", data=valid_form(client))
    assert response.status_code == 422
    assert "Bỏ đánh dấu những giấy tờ còn thiếu, hoặc ghi rõ cần bổ sung gì" in response.get_data(as_text=True)
    assert GuidanceSlip.select().count() == 0


def test_refusal_needs_a_reason_and_prints_form_03(client, counter_staff):
    response = client.post("/tiep-nhan/tu-choi", data=valid_form(client, applicant_name="", note=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ghi rõ lý do từ chối tiếp nhận" in page and "Chưa nhập họ và tên người nộp." in page
    response = client.post("/tiep-nhan/tu-choi", data=valid_form(client, note="Yêu cầu không thuộc thẩm quyền của xã <b>."))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in page
    assert "Yêu cầu không thuộc thẩm quyền của xã &lt;b&gt;." in page
    assert GuidanceSlip.get().kind == "refused" and Dossier.select().count() == 0


def test_unknown_slip_is_a_404(client, counter_staff):
    assert client.get("/tiep-nhan/phieu/HD-000000-999").status_code == 404


def test_intake_pages_have_no_inline_script_or_style(client, counter_staff):
    dossier = saved_dossier(client)
    slip = client.post("/tiep-nhan/tu-choi", data=valid_form(client, note="Không thuộc thẩm quyền.")).headers["Location"]
    for path in ("/tiep-nhan", f"/ho-so/{dossier.code}/bien-nhan", slip):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert not re.search(r"\sstyle=", page), path
        assert not re.search(r"\son[a-z]+=", page), path


def test_a_new_form_shows_no_error(client, counter_staff):
    page = client.get("/tiep-nhan").get_data(as_text=True)
    assert 'class="error"' not in page and "Chưa lưu được" not in page


@pytest.mark.parametrize("option, status, amount", [("Sửa đổi, bổ sung", 303, 30000), (unicodedata.normalize("NFD", "Sửa lỗi sai sót"), 303, 25000), ("Mua bán", 422, None), ("", 422, None)])
def test_fee_by_option_is_computed_or_refused_beside_the_option(client, counter_staff, option, status, amount):
    response = save(client, valid_form(client, code="2.001035", option=option, copies="1"))
    assert response.status_code == status
    if amount is None:
        assert re.search(r'<p class="error" id="option-error">', response.get_data(as_text=True))
        assert Dossier.select().count() == 0
    else:
        assert Dossier.get().fee_amount == amount


@pytest.mark.parametrize(
    "name, password, text",
    [
        ("TTHCC", "12345678", "WIFI:T:WPA;S:TTHCC;P:12345678;;"),
        ("Khách: tầng 1", 'a;b,c"d\\e', 'WIFI:T:WPA;S:Khách\\: tầng 1;P:a\\;b\\,c\\"d\\\\e;;'),
    ],
)
def test_wifi_qr_text_escapes_the_formats_special_characters(name, password, text):
    assert wifi_text(name, password) == text


def test_status_url_has_one_slash_whatever_the_setting():
    assert status_url("http://192.168.1.10:8080/", "abc") == status_url("http://192.168.1.10:8080", "abc") == "http://192.168.1.10:8080/tra-cuu/abc"


# Named cases with a longer legal time (issue 14)

MARRIAGE_CHECK = "Cần xác minh điều kiện kết hôn"
AGREED = "Dài hơn theo thỏa thuận bằng văn bản với người yêu cầu chứng thực"


def test_the_form_offers_only_the_procedures_own_cases(client, counter_staff):
    chosen = procedure("1.000894")
    page = client.get("/tiep-nhan/xem-truoc", query_string={"procedure": chosen.id}, headers={"HX-Request": "true", "HX-Target": "procedure-panel"}).get_data(as_text=True)
    assert f'<option value="{MARRIAGE_CHECK}">{MARRIAGE_CHECK} (thêm 5 ngày làm việc)</option>' in page
    assert AGREED not in page


def test_a_chosen_case_moves_the_appointment_and_prints_on_the_receipt(client, counter_staff):
    response = save(client, valid_form(client, "1.000894", extension_case=MARRIAGE_CHECK, extension_reason="Bên nữ thường trú ở tỉnh khác"))
    assert response.status_code == 303
    dossier = Dossier.get()
    # After the 15:00 cut-off on Friday 13/02 the ordinary day is Monday 23/02 (Tết), then 5 more working days.
    assert dossier.due_at == datetime.datetime(2026, 3, 2, 17, 0)
    assert dossier.extension == {"name": MARRIAGE_CHECK, "amount": 5, "unit": "ngay_lam_viec"}
    assert dossier.extension_reason == "Bên nữ thường trú ở tỉnh khác"
    receipt = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "3. Thời gian giải quyết hồ sơ theo quy định: trong ngày; trường hợp cần xác minh điều kiện kết hôn: thêm 5 ngày làm việc (lý do: Bên nữ thường trú ở tỉnh khác)" in receipt
    assert "02/03/2026" in receipt


def test_without_a_case_the_ordinary_time_holds(client, counter_staff):
    assert save(client, valid_form(client, "1.000894")).status_code == 303
    dossier = Dossier.get()
    assert (dossier.due_at, dossier.extension, dossier.extension_reason) == (datetime.datetime(2026, 2, 23, 17, 0), None, "")


def test_an_agreed_case_takes_the_typed_days(client, counter_staff):
    data = valid_form(client, "2.001035", option="Hợp đồng, giao dịch", copies="1", extension_case=AGREED, extension_days="3", extension_reason="Văn bản thỏa thuận ngày 13/02/2026")
    assert save(client, data).status_code == 303
    # 2 working days: Mon 23/02, Tue 24/02; 3 agreed more: Wed 25, Thu 26, Fri 27/02.
    assert Dossier.get().due_at == datetime.datetime(2026, 2, 27, 17, 0)


@pytest.mark.parametrize(
    ("code", "changes", "field", "message"),
    [
        ("1.000894", {"extension_case": AGREED, "extension_reason": "x"}, "extension_case", "không thuộc thủ tục đã chọn"),
        ("1.000894", {"extension_case": MARRIAGE_CHECK, "extension_reason": " "}, "extension_reason", "Ghi rõ lý do"),
        ("2.001035", {"option": "Hợp đồng, giao dịch", "copies": "1", "extension_case": AGREED, "extension_reason": "x"}, "extension_days", "Chưa nhập số ngày làm việc đã thỏa thuận"),
        ("2.001035", {"option": "Hợp đồng, giao dịch", "copies": "1", "extension_case": AGREED, "extension_days": "0", "extension_reason": "x"}, "extension_days", "từ 1 đến 365"),
        ("2.001035", {"option": "Hợp đồng, giao dịch", "copies": "1", "extension_case": AGREED, "extension_days": "ba", "extension_reason": "x"}, "extension_days", "từ 1 đến 365"),
    ],
)
def test_a_bad_case_is_refused_beside_its_field(client, counter_staff, code, changes, field, message):
    response = save(client, valid_form(client, code, **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error">' in page and message in page
    assert Dossier.select().count() == 0


# Fee waivers by legal ground (issue 14)

POOR = "Người thuộc hộ nghèo (Luật Hộ tịch 2014, Điều 11 khoản 1)"


def test_a_fee_ground_waives_the_fee_and_prints_on_the_receipt(client, counter_staff):
    response = save(client, valid_form(client, "1.004873", copies="1", fee_ground=POOR))
    assert response.status_code == 303
    dossier = Dossier.get()
    assert (dossier.fee_amount, dossier.fee_inputs["ground"]) == (0, POOR)
    receipt = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert f"Miễn phí</strong> (miễn, giảm theo căn cứ: {POOR})" in receipt


def test_a_fee_ground_not_allowed_for_the_procedure_is_a_field_error(client, counter_staff):
    response = save(client, valid_form(client, "2.000635", copies="1", fee_ground=POOR))
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "không áp dụng cho thủ tục này" in page
    assert Dossier.select().count() == 0
