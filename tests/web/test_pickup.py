"""The pickup desk: one scan finds the dossier, the hand-over is recorded once, and the village lists."""
import datetime
import re

import pytest

from app.models import Dossier, DossierEvent, Rating, SupportTeam, TeamMember, Village
from app.rules.status import Action, Status
from app.services.dossiers import act, record
from tests.conftest import Auth, user

T0 = datetime.datetime(2026, 11, 30, 9, 0)


def ready(dossier, shelf="Kệ B3"):
    received = dossier.received_at
    dossier = act(dossier, Action.START, user("chuyen_mon"), at=received + datetime.timedelta(hours=1))
    return act(dossier, Action.APPROVE, user("lanh_dao"), data={"shelf": shelf}, at=received + datetime.timedelta(hours=2))


@pytest.fixture
def desk(auth):
    auth.login("tiep_nhan")
    return auth


def confirm(desk, dossier, version=None, **changes):
    data = {
        "phien_ban": str(dossier.version if version is None else version),
        "nguoi_nhan": "applicant",
        "le_phi": "5.000",
        "tra_ban_chinh": "1",
    }
    data.update(changes)
    return desk.post(f"/tra-ket-qua/ho-so/{dossier.id}/tra", data=data, token_from="/tra-ket-qua")


def returned_events(dossier):
    return DossierEvent.select().where((DossierEvent.dossier == dossier) & (DossierEvent.action == "hand_over")).count()


@pytest.mark.parametrize(
    "scanned",
    [
        "http://192.168.1.10:8080/tra-cuu/{token}",
        "https://may-chu-khac.example/tra-cuu/{token}",
        "]Q1http://192.168.1.10:8080/tra-cuu/{token}",
        "{token}",
        "{code}",
        "  {code_lower}  ",
        "{code_spaced}",
        "Mã hồ sơ: {code}",
        "{suffix}",
    ],
    ids=["url", "other-host", "scanner-prefix", "token", "code", "lowercase-spaces", "spaces-inside", "prefix-text", "last-digits"],
)
def test_scanner_inputs_find_the_dossier(client, desk, make_dossier, scanned):
    dossier = ready(make_dossier("2.000815", fee_inputs={"pages": 3}, received_at=T0))
    values = {
        "token": dossier.token,
        "code": dossier.code,
        "code_lower": dossier.code.lower(),
        "code_spaced": dossier.code.replace("-", " - "),
        "suffix": str(dossier.sequence),
    }
    response = client.get("/tra-ket-qua", query_string={"q": scanned.format(**values)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert dossier.code in page
    assert "Nguyễn Văn An" in page
    assert "Xác nhận trả kết quả" in page
    assert "Kệ B3" in page
    assert 'value="5.000"' in page


def test_last_digits_matching_several_dossiers_offer_a_choice(client, desk, make_dossier):
    first = ready(make_dossier(received_at=T0))
    second = make_dossier(received_at=T0 + datetime.timedelta(days=1), name="Lê Thị Hoa")
    response = client.get("/tra-ket-qua", query_string={"q": "1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Có 2 hồ sơ khớp" in page
    # The one waiting at the counter comes first.
    assert page.index(first.code) < page.index(second.code)
    assert f"/tra-ket-qua/ho-so/{second.id}" in page
    chosen = client.get(f"/tra-ket-qua/ho-so/{second.id}").get_data(as_text=True)
    assert "Lê Thị Hoa" in chosen


@pytest.mark.parametrize("scanned", ["xin chào", "A" * 5000, "<script>alert(1)</script>", "0"], ids=["words", "5000", "script", "zero"])
def test_unreadable_scans_get_a_clear_answer(client, desk, catalogue, scanned):
    response = client.get("/tra-ket-qua", query_string={"q": scanned})
    assert response.status_code == 404
    assert "Không đọc được mã này." in response.get_data(as_text=True)


def test_unknown_code_is_not_found(client, desk, catalogue):
    response = client.get("/tra-ket-qua", query_string={"q": "000.00.20.H42-261130-0042"})
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ nào với mã này." in response.get_data(as_text=True)


def test_htmx_search_answers_with_the_fragment(client, desk, make_dossier):
    dossier = make_dossier()
    response = client.get("/tra-ket-qua", query_string={"q": dossier.code}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" not in page and 'id="pickup-result"' in page and dossier.code in page


def test_confirm_hands_over_once_and_returns_to_an_empty_box(client, desk, make_dossier):
    dossier = ready(make_dossier("2.000815", fee_inputs={"pages": 3}, received_at=T0))
    response = confirm(desk, dossier)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/tra-ket-qua?vua_tra={dossier.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Đã trả kết quả hồ sơ {dossier.code} cho Nguyễn Văn An." in page
    assert 'value=""' in page and "data-autofocus" in page
    stored = Dossier.get_by_id(dossier.id)
    assert stored.status == Status.RETURNED and stored.returned_at is not None
    event = DossierEvent.get((DossierEvent.dossier == dossier) & (DossierEvent.action == "hand_over"))
    assert event.data["collector"] == "applicant"
    assert event.data["collector_id_number"] == "001203012345"
    assert event.data["fee_collected"] == 5000 and event.data["originals_returned"] is True


def test_double_confirm_makes_one_returned_event(client, desk, make_dossier):
    dossier = ready(make_dossier())
    assert confirm(desk, dossier, le_phi="0").status_code == 303
    second = confirm(desk, dossier, le_phi="0")
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Hồ sơ vừa được người khác cập nhật." in page
    assert "Đã trả kết quả lúc" in page
    assert returned_events(dossier) == 1


def test_two_counters_confirming_at_once_make_one_returned_event(app, client, desk, make_dossier):
    dossier = ready(make_dossier())
    other = app.test_client()
    other_desk = Auth(other)
    other_desk.login("tiep_nhan")
    # Both counters drew the page with the same version; the second to press Confirm is refused.
    first = confirm(desk, dossier, le_phi="0")
    late = confirm(other_desk, dossier, le_phi="0")
    assert (first.status_code, late.status_code) == (303, 409)
    assert returned_events(dossier) == 1


@pytest.mark.parametrize(
    "changes, field_message",
    [
        ({"nguoi_nhan": "proxy", "ten_nguoi_nhan": "Trần Thị Bích", "quan_he": "vợ", "so_dinh_danh": ""}, "Chưa nhập số định danh cá nhân."),
        ({"nguoi_nhan": "proxy", "ten_nguoi_nhan": "Trần Thị Bích", "quan_he": "vợ", "so_dinh_danh": "12345"}, "Số định danh cá nhân phải có 12 chữ số"),
        ({"nguoi_nhan": "proxy", "ten_nguoi_nhan": "", "quan_he": "vợ", "so_dinh_danh": "040185000777"}, "Nhập họ và tên người được ủy quyền."),
        ({"nguoi_nhan": "proxy", "ten_nguoi_nhan": "Trần Thị Bích", "quan_he": "", "so_dinh_danh": "040185000777"}, "Nhập quan hệ với người nộp"),
        ({"nguoi_nhan": "ai-do"}, "Chọn người đến nhận kết quả."),
        ({"le_phi": "năm nghìn"}, "Nhập số tiền bằng chữ số"),
        ({"le_phi": "-5000"}, "Nhập số tiền bằng chữ số"),
        ({"le_phi": "3.000"}, "Số tiền thu khác mức tính theo quy định (5.000 đ): ghi rõ lý do."),
    ],
    ids=["proxy-no-id", "proxy-bad-id", "proxy-no-name", "proxy-no-relation", "bad-collector", "fee-words", "fee-negative", "fee-no-reason"],
)
def test_bad_hand_over_is_refused_beside_the_field(client, desk, make_dossier, changes, field_message):
    dossier = ready(make_dossier("2.000815", fee_inputs={"pages": 3}))
    response = confirm(desk, dossier, **changes)
    assert response.status_code == 400
    assert field_message in response.get_data(as_text=True)
    assert Dossier.get_by_id(dossier.id).status == Status.RESULT_READY
    assert returned_events(dossier) == 0


def test_authorised_person_and_edited_fee_with_reason_are_recorded(client, desk, make_dossier):
    dossier = ready(make_dossier("2.000815", fee_inputs={"pages": 3}))
    response = confirm(
        desk, dossier, nguoi_nhan="proxy", ten_nguoi_nhan="  Trần   Thị Bích ", so_dinh_danh="040 185 000 777",
        quan_he="vợ, có giấy ủy quyền", le_phi="3.000", ly_do_le_phi="Chỉ chứng thực 2 trang",
    )
    assert response.status_code == 303
    event = DossierEvent.get((DossierEvent.dossier == dossier) & (DossierEvent.action == "hand_over"))
    assert event.data["collector_name"] == "Trần Thị Bích"
    assert event.data["collector_id_number"] == "040185000777"
    assert (event.data["fee_collected"], event.data["fee_computed"], event.data["fee_reason"]) == (3000, 5000, "Chỉ chứng thực 2 trang")
    page = client.get(f"/tra-ket-qua/ho-so/{dossier.id}").get_data(as_text=True)
    assert "cho <strong>Trần Thị Bích</strong> (người được ủy quyền, vợ, có giấy ủy quyền)" in page


def test_not_ready_shows_status_appointment_and_missing_in_large_type(client, desk, make_dossier):
    dossier = act(make_dossier(received_at=T0), Action.START, user("chuyen_mon"), at=T0)
    dossier = act(dossier, Action.REQUEST_DOCUMENTS, user("chuyen_mon"), note="Thiếu tờ khai", data={"missing": ["Tờ khai đăng ký khai sinh"]}, at=T0)
    page = client.get("/tra-ket-qua", query_string={"q": dossier.code}).get_data(as_text=True)
    assert '<p class="status-big">Chờ bổ sung</p>' in page
    assert "Hẹn trả kết quả" in page
    assert "<li>Tờ khai đăng ký khai sinh</li>" in page
    assert "Xác nhận trả kết quả" not in page
    assert confirm(desk, dossier, le_phi="0").status_code == 409
    assert returned_events(dossier) == 0


def test_priority_group_is_marked(client, desk, make_dossier):
    dossier = ready(make_dossier(priority_group="nguoi_cao_tuoi"))
    page = client.get("/tra-ket-qua", query_string={"q": dossier.code}).get_data(as_text=True)
    assert "Ưu tiên: Người cao tuổi" in page


def test_counter_records_the_citizens_rating_once(client, desk, make_dossier):
    dossier = ready(make_dossier())
    confirm(desk, dossier, le_phi="0")
    page = client.get(f"/tra-ket-qua?vua_tra={dossier.id}").get_data(as_text=True)
    assert "Người dân đánh giá tại quầy" in page
    response = desk.post(f"/tra-ket-qua/ho-so/{dossier.id}/danh-gia", data={"muc_do": "hai_long"}, token_from="/tra-ket-qua")
    assert response.status_code == 303
    assert "Đã ghi đánh giá «Hài lòng»" in client.get("/tra-ket-qua").get_data(as_text=True)
    desk.post(f"/tra-ket-qua/ho-so/{dossier.id}/danh-gia", data={"muc_do": "rat_hai_long"}, token_from="/tra-ket-qua")
    assert Rating.get(Rating.dossier == dossier).level == "hai_long"
    assert Rating.get(Rating.dossier == dossier).source == "tai_quay"


def test_pickup_desk_is_for_counter_staff_only(client, auth, catalogue):
    assert client.get("/tra-ket-qua").status_code == 302
    auth.login("chuyen_mon")
    assert client.get("/tra-ket-qua").status_code == 403


@pytest.fixture
def village(db):
    village = Village.create(name="Thôn Đông Thượng", order=1)
    team = SupportTeam.create(village=village, leader_name="Phan Văn Tổ", leader_phone="0988000111")
    TeamMember.create(team=team, name="Hồ Thị Mai")
    TeamMember.create(team=team, name="Đặng Văn Nam", active=False)
    return village


def test_village_list_is_printable_with_team_and_priority(client, desk, make_dossier, village):
    home = ready(make_dossier(village_id=village.id, return_method="to_cong_nghe", priority_group="nguoi_khuyet_tat", name="Võ Thị Lan"))
    counter = ready(make_dossier(village_id=village.id, name="Bùi Văn Tâm"))
    make_dossier(village_id=village.id, name="Chưa Xong")
    overview = client.get("/tra-ket-qua/thon").get_data(as_text=True)
    assert "Thôn Đông Thượng" in overview and ">2<" in overview
    page = client.get(f"/tra-ket-qua/thon/{village.id}").get_data(as_text=True)
    assert "Danh sách kết quả chờ trả — Thôn Đông Thượng" in page
    assert "tổ trưởng Phan Văn Tổ (0988000111)" in page and "Hồ Thị Mai" in page and "Đặng Văn Nam" not in page
    assert home.code in page and counter.code in page and "Chưa Xong" not in page
    assert "Ưu tiên: Người khuyết tật" in page
    assert page.index("Võ Thị Lan") < page.index("Bùi Văn Tâm")
    assert "data-print" in page
    assert client.get("/tra-ket-qua/thon/9999").status_code == 404


def test_village_team_takes_and_delivers_at_home(client, desk, make_dossier, village):
    earlier = datetime.datetime(2026, 11, 2, 9, 0)
    dossier = ready(make_dossier(village_id=village.id, return_method="to_cong_nghe", received_at=earlier))
    member = TeamMember.get(TeamMember.name == "Hồ Thị Mai")
    response = desk.post(f"/tra-ket-qua/ho-so/{dossier.id}/to-nhan", data={"thanh_vien": str(member.id)}, token_from="/tra-ket-qua")
    assert response.status_code == 303
    page = client.get(f"/tra-ket-qua/thon/{village.id}").get_data(as_text=True)
    assert "Hồ Thị Mai nhận mang đi lúc" in page
    assert "Xác nhận đã trao" in page
    # Typed day first and 24-hour, whatever the browser's language: no datetime-local picker.
    assert re.search(r'name="thoi_diem" value="\d\d/\d\d/\d{4} \d\d:\d\d"', page) and "datetime-local" not in page
    assert Dossier.get_by_id(dossier.id).status == Status.RESULT_READY

    dossier = Dossier.get_by_id(dossier.id)
    delivered = {"thanh_vien": str(member.id), "phien_ban": str(dossier.version)}
    future = desk.post(f"/tra-ket-qua/ho-so/{dossier.id}/to-da-trao", data=dict(delivered, thoi_diem="2099-01-01T10:00"), token_from="/tra-ket-qua")
    assert future.status_code == 400
    assert f'<p class="error" id="at-{dossier.id}-error">Đã trao tại nhà lúc: Thời điểm trao phải sau khi có kết quả' in future.get_data(as_text=True)
    assert "không muộn hơn hiện tại" in future.get_data(as_text=True)
    assert Dossier.get_by_id(dossier.id).status == Status.RESULT_READY

    twelve_hour = (dossier.resolved_at + datetime.timedelta(hours=3)).strftime("%m/%d/%Y %I:%M %p")
    refused = desk.post(f"/tra-ket-qua/ho-so/{dossier.id}/to-da-trao", data=dict(delivered, thoi_diem=twelve_hour), token_from="/tra-ket-qua")
    # Beside the box, with what was typed still in it.
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert f'<p class="error" id="at-{dossier.id}-error">Đã trao tại nhà lúc: Nhập ngày giờ dạng dd/mm/yyyy HH:MM' in page
    assert f'value="{twelve_hour}"' in page
    moment = (dossier.resolved_at + datetime.timedelta(hours=3)).strftime("%d/%m/%Y %H:%M")
    response = desk.post(f"/tra-ket-qua/ho-so/{dossier.id}/to-da-trao", data=dict(delivered, thoi_diem=moment), token_from="/tra-ket-qua")
    assert response.status_code == 303
    stored = Dossier.get_by_id(dossier.id)
    assert stored.status == Status.RETURNED
    assert stored.returned_at == dossier.resolved_at + datetime.timedelta(hours=3)
    event = DossierEvent.get((DossierEvent.dossier == dossier) & (DossierEvent.action == "hand_over"))
    assert (event.data["collector"], event.data["team_member_id"]) == ("team", member.id)
    again = desk.post(f"/tra-ket-qua/ho-so/{dossier.id}/to-da-trao", data=dict(delivered, thoi_diem=moment), token_from="/tra-ket-qua")
    assert "Hồ sơ vừa được người khác cập nhật." in client.get(again.headers["Location"]).get_data(as_text=True)
    assert returned_events(dossier) == 1


def test_village_list_shows_each_line_its_own_team_record_and_not_one_older_than_the_result(client, desk, make_dossier, village):
    member = TeamMember.get(TeamMember.name == "Hồ Thị Mai")
    taken = ready(make_dossier(village_id=village.id, return_method="to_cong_nghe", name="Đã Giao Tổ"))
    waiting = ready(make_dossier(village_id=village.id, return_method="to_cong_nghe", name="Chưa Giao Tổ"))
    stale = ready(make_dossier(village_id=village.id, return_method="to_cong_nghe", name="Giao Trước Khi Sửa"))
    record(taken, "team_took", user("tiep_nhan"), data={"team_member_id": member.id, "team_member_name": member.name}, at=taken.resolved_at + datetime.timedelta(minutes=5))
    record(stale, "team_took", user("tiep_nhan"), data={"team_member_id": member.id, "team_member_name": member.name}, at=stale.resolved_at - datetime.timedelta(minutes=5))
    page = client.get(f"/tra-ket-qua/thon/{village.id}").get_data(as_text=True)
    lines = {dossier.code: page[page.index(dossier.code):][:2500] for dossier in (taken, waiting, stale)}
    assert "Hồ Thị Mai nhận mang đi lúc" in lines[taken.code] and "Xác nhận đã trao" in lines[taken.code]
    for code in (waiting.code, stale.code):
        line = lines[code][:lines[code].index("</tr>")]
        assert "nhận mang đi lúc" not in line and "Giao cho tổ" in line


def test_member_of_another_village_cannot_take_the_result(client, desk, make_dossier, village):
    dossier = ready(make_dossier(village_id=village.id, return_method="to_cong_nghe"))
    elsewhere = Village.create(name="Thôn Tây")
    stranger = TeamMember.create(team=SupportTeam.create(village=elsewhere), name="Người Lạ")
    desk.post(f"/tra-ket-qua/ho-so/{dossier.id}/to-nhan", data={"thanh_vien": str(stranger.id)}, token_from="/tra-ket-qua")
    assert DossierEvent.select().where(DossierEvent.action == "team_took").count() == 0
