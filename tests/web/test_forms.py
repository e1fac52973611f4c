"""The forms of Thông tư 03/2025/TT-VPCP printed for real dossiers: 2025 titles, yearly numbers, the fields each carries."""
import datetime
import html as html_lib
import re

import pytest
from peewee import IntegrityError

from app.models import Dossier, DossierEvent, FormNumber, Village
from app.rules.status import Action
from app.services import form_numbers
from app.services.dossiers import act, record
from tests.conftest import user
from tests.web.test_intake import counter_staff, valid_form  # noqa: F401 (a fixture and a helper shared with intake)

NOW = datetime.datetime(2026, 11, 30, 10, 0)  # a Monday
MARITAL_STATUS = "1.004873"  # 3 working days


def text(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


@pytest.fixture
def kim_doi(catalogue):
    return Village.create(name="Thôn Kim Đôi")


@pytest.fixture
def dossier(make_dossier, kim_doi, clock):
    """Received Mon 30/11/2026 09:00 from Thôn Kim Đôi, due Thu 03/12/2026 17:00."""
    made = make_dossier(MARITAL_STATUS, received_at=datetime.datetime(2026, 11, 30, 9, 0), name="Trần Thị Bình", village_id=kim_doi.id, email="binh@example.vn")
    Dossier.update(address="Số 7, ngõ Đình").where(Dossier.id == made.id).execute()
    return Dossier.get_by_id(made.id)


def test_receipt_numbers_run_through_the_year_and_restart_with_the_next(client, auth, make_dossier, kim_doi):
    first = make_dossier(received_at=datetime.datetime(2026, 11, 30, 9, 0), village_id=kim_doi.id)
    next_day = make_dossier(received_at=datetime.datetime(2026, 12, 1, 9, 0))
    new_year = make_dossier(received_at=datetime.datetime(2027, 1, 4, 9, 0))
    auth.login("tiep_nhan")
    page = text(client.get(f"/ho-so/{first.code}/bien-nhan"))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page and "Số: 1/BN" in page
    assert "số thứ tự 1." in page
    # The village is named once, without "thôn" added before a name that already has it.
    assert "Địa chỉ: Thôn Trung Tiết, thôn Kim Đôi" not in page and "thôn Thôn" not in page
    assert "Thôn Trung Tiết, Thôn Kim Đôi" in page
    # Each dossier received the next day is the 0001 of its day, but not the first receipt of the year.
    assert next_day.code.endswith("-0001") and "Số: 2/BN" in text(client.get(f"/ho-so/{next_day.code}/bien-nhan"))
    assert "Số: 1/BN" in text(client.get(f"/ho-so/{new_year.code}/bien-nhan"))
    # Printing again reprints the same number and spends none.
    assert "Số: 1/BN" in text(client.get(f"/ho-so/{first.code}/bien-nhan"))
    assert FormNumber.select().where(FormNumber.kind == "mau_01").count() == 3


def test_village_without_its_kind_gets_thon_before_it(client, auth, make_dossier, catalogue):
    village = Village.create(name="Đông Hà")
    dossier = make_dossier(village_id=village.id)
    Dossier.update(address="Số 5, đường Trần Phú").where(Dossier.id == dossier.id).execute()
    auth.login("tiep_nhan")
    assert "Địa chỉ: Số 5, đường Trần Phú, thôn Đông Hà" in text(client.get(f"/ho-so/{dossier.code}/bien-nhan"))


def test_mau_02_for_a_dossier_carries_number_contact_and_reason(client, auth, dossier):
    act(dossier, Action.START, user("chuyen_mon"), at=datetime.datetime(2026, 11, 30, 10, 0))
    act(Dossier.get_by_id(dossier.id), Action.REQUEST_DOCUMENTS, user("chuyen_mon"), note="Tờ khai chưa có chữ ký của người yêu cầu.",
        data={"missing": ["Tờ khai đăng ký"]}, at=datetime.datetime(2026, 11, 30, 14, 0))
    event = DossierEvent.get((DossierEvent.dossier == dossier) & (DossierEvent.action == "request_documents"))
    auth.login("chuyen_mon")
    for _ in range(2):
        page = text(client.get(f"/ho-so/{dossier.code}/in/mau-02/{event.id}"))
        assert "Mẫu số 02" in page and "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in page and "Số: 1/PBS" in page
    assert "tiếp nhận hồ sơ của: Trần Thị Bình" in page
    assert "Địa chỉ: Số 7, ngõ Đình, Thôn Kim Đôi" in page
    assert "Số điện thoại: 0912345678 · Email: binh@example.vn" in page
    assert "Tờ khai đăng ký" in page and "Lý do: Tờ khai chưa có chữ ký của người yêu cầu." in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page


def test_mau_03_at_the_counter_carries_number_contact_and_reason(client, counter_staff):  # noqa: F811
    data = valid_form(client, note="Yêu cầu không thuộc thẩm quyền của xã.", email="an@example.vn")
    page = text(client.get(client.post("/tiep-nhan/tu-choi", data=data).headers["Location"]))
    assert "Mẫu số 03" in page and "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in page and "Số: 1/PTC" in page
    assert "Địa chỉ: Số 5, đường Trần Phú" in page and "Số điện thoại: 0912345678 · Email: an@example.vn" in page
    assert "Lý do: Yêu cầu không thuộc thẩm quyền của xã." in page


def test_slip_with_a_wrong_email_is_refused_beside_the_field(client, counter_staff):  # noqa: F811
    data = valid_form(client, note="Không thuộc thẩm quyền.", email="an@@example")
    response = client.post("/tiep-nhan/tu-choi", data=data)
    assert response.status_code == 422
    assert 'id="email"' in response.get_data(as_text=True) and "email" in text(response).lower()


def _extend(auth, dossier, **fields):
    data = {"new_date": "2026-12-08", "reason": "Chờ xác minh tại nơi cư trú", "version": Dossier.get_by_id(dossier.id).version, **fields}
    return auth.post(f"/ho-so/{dossier.code}/gia-han", data=data, token_from=f"/ho-so/{dossier.code}")


def test_mau_04_names_the_body_that_caused_the_delay_and_its_signer(client, auth, dossier):
    auth.login("chuyen_mon")
    response = _extend(auth, dossier, issuer="Bộ phận Tư pháp - Hộ tịch", signer_title="Phó Chủ tịch")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "Mẫu số 04" in page and "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in page
    assert "HẸN LẠI NGÀY TRẢ KẾT QUẢ" not in page
    assert "Số: 1/XL" in page and "Bộ phận Tư pháp - Hộ tịch thành thật xin lỗi" in page
    assert "Phó Chủ tịch (Ký, ghi rõ họ tên và đóng dấu)" in page
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ đến 17:00 ngày 08/12/2026" in page
    # Proposed before the appointment (03/12): no warning.
    assert "Cảnh báo" not in page


def test_mau_04_defaults_to_the_center(client, auth, dossier):
    auth.login("chuyen_mon")
    page = text(client.get(_extend(auth, dossier).headers["Location"]))
    assert "Trung tâm Phục vụ hành chính công xã Thạch Hà thành thật xin lỗi" in page and "Giám đốc (Ký, ghi rõ họ tên và đóng dấu)" in page


def test_mau_04_after_the_appointment_warns(client, auth, dossier, clock):
    clock.freeze(datetime.datetime(2026, 12, 4, 8, 0))
    auth.login("chuyen_mon")
    assert "Mẫu 04 phải gửi công dân trước ngày hẹn" in text(client.get(f"/ho-so/{dossier.code}"))
    page = text(client.get(_extend(auth, dossier).headers["Location"], follow_redirects=True))
    assert "Cảnh báo: văn bản xin lỗi và đề nghị gia hạn (Mẫu 04) phải gửi trước ngày hẹn trả" in page
    assert DossierEvent.get(DossierEvent.action == "extend").data["after_appointment"] is True


def test_second_extension_needs_a_leader_and_the_leaders_reason(client, auth, dossier):
    auth.login("chuyen_mon")
    assert _extend(auth, dossier).status_code == 303
    second = _extend(auth, dossier, new_date="2026-12-10")
    assert second.status_code == 400
    assert "gia hạn lần thứ hai phải do lãnh đạo quyết định" in text(second)
    assert 'id="extend-leader"' in second.get_data(as_text=True) and 'aria-invalid="true"' in second.get_data(as_text=True)
    auth.logout()
    auth.login("lanh_dao")
    without_reason = _extend(auth, dossier, new_date="2026-12-10")
    assert without_reason.status_code == 400 and "lãnh đạo ghi rõ lý do đồng ý gia hạn" in text(without_reason)
    assert Dossier.get_by_id(dossier.id).extended_due_at == datetime.datetime(2026, 12, 8, 17, 0)
    agreed = _extend(auth, dossier, new_date="2026-12-10", leader_reason="Đồng ý: chờ kết quả xác minh của công an xã.")
    assert agreed.status_code == 303
    assert "Số: 2/XL" in text(client.get(agreed.headers["Location"]))
    last = DossierEvent.select().where(DossierEvent.action == "extend").order_by(DossierEvent.id.desc()).get()
    assert last.data["leader_reason"] == "Đồng ý: chờ kết quả xác minh của công an xã." and last.user.username == "lanhdao"


def test_mau_05_is_a_numbered_letter_with_signer_and_seal(client, auth, dossier):
    act(dossier, Action.STOP, user("chuyen_mon"), note="Người yêu cầu đề nghị dừng.", at=datetime.datetime(2026, 12, 1, 9, 0))
    auth.login("chuyen_mon")
    page = text(client.get(f"/ho-so/{dossier.code}/in/mau-05"))
    assert "Mẫu số 05" in page and "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in page and "Số: 1/TB-DGQ" in page
    assert "Người yêu cầu đề nghị dừng." in page and "Giám đốc (Ký, ghi rõ họ tên và đóng dấu)" in page


def test_mau_06_judges_each_real_hand_over(client, auth, dossier):
    specialist, leader = user("chuyen_mon"), user("lanh_dao")
    act(dossier, Action.START, specialist, at=datetime.datetime(2026, 12, 1, 8, 0))
    record(Dossier.get_by_id(dossier.id), "reprint", user("tiep_nhan"), at=datetime.datetime(2026, 12, 1, 9, 0))
    act(Dossier.get_by_id(dossier.id), Action.SEND_FOR_APPROVAL, specialist, at=datetime.datetime(2026, 12, 3, 10, 0))
    act(Dossier.get_by_id(dossier.id), Action.APPROVE, leader, at=datetime.datetime(2026, 12, 4, 9, 0))
    auth.login("tiep_nhan")
    page = text(client.get(f"/ho-so/{dossier.code}/in/mau-06"))
    assert "Mẫu số 06" in page and "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in page
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: 1/BN" in page
    assert "In lại giấy biên nhận" not in page
    rows = re.findall(r"<tr>\s*<td>(\d)\. ([^<]+)</td>.*?<td>([^<]*)</td>\s*<td>[^<]*</td>\s*</tr>", client.get(f"/ho-so/{dossier.code}/in/mau-06").get_data(as_text=True), re.S)
    assert [(step, result) for _number, step, result in rows] == [
        ("Tiếp nhận hồ sơ", "Trước hạn"),
        ("Bắt đầu giải quyết", "Trước hạn"),
        ("Trình phê duyệt", "Đúng hạn"),
        ("Phê duyệt", "Quá hạn"),
    ]
    assert "Cán bộ chuyenmon Lãnh đạo phê duyệt" in page and "Cán bộ lanhdao Bộ phận tiếp nhận và trả kết quả" in page


def test_mau_07_numbers_lines_by_receipt_with_body_and_return_columns(client, auth, make_dossier, kim_doi):
    first = make_dossier(MARITAL_STATUS, received_at=datetime.datetime(2026, 11, 2, 9, 0), village_id=kim_doi.id, return_method="buu_chinh")
    make_dossier(received_at=datetime.datetime(2026, 11, 3, 9, 0))
    auth.login("tiep_nhan")
    response = client.get("/ho-so/so-theo-doi?tu_ngay=2026-11-01&den_ngay=2026-11-30")
    page = text(response)
    assert "Mẫu số 07" in page and "SỔ THEO DÕI HỒ SƠ" in page
    assert "Cơ quan chủ trì giải quyết" in page and "Hình thức trả kết quả" in page
    assert f"1/BN {first.code}" in page and "2/BN" in page
    assert "UBND XÃ THẠCH HÀ" in page and "Qua bưu chính công ích" in page
    assert "thôn Thôn" not in page


def test_mau_07_names_the_body_the_administrator_gave_the_field(client, auth, make_dossier):
    from app.models import Field

    certified = make_dossier("2.000815", fee_inputs={"pages": 2, "copies": 1}, received_at=datetime.datetime(2026, 11, 2, 9, 0))
    make_dossier(received_at=datetime.datetime(2026, 11, 3, 9, 0))
    auth.login("quan_tri")
    field = Field.get(Field.name == certified.procedure.field.name)
    page = auth.post(f"/quan-tri/linh-vuc/{field.id}", data={"name": field.name, "order": field.order, "body": "Phòng Văn hóa - Xã hội"},
                     token_from=f"/quan-tri/linh-vuc/{field.id}", follow_redirects=True)
    assert "Phòng Văn hóa - Xã hội" in text(page)
    auth.logout()
    auth.login("tiep_nhan")
    page = text(client.get("/ho-so/so-theo-doi?tu_ngay=2026-11-01&den_ngay=2026-11-30"))
    assert f'title="{field.name}">Phòng Văn hóa - Xã hội<' in html_lib.unescape(client.get("/ho-so/so-theo-doi?tu_ngay=2026-11-01&den_ngay=2026-11-30").get_data(as_text=True))
    assert 'title="Hộ tịch">UBND XÃ THẠCH HÀ<' in html_lib.unescape(client.get("/ho-so/so-theo-doi?tu_ngay=2026-11-01&den_ngay=2026-11-30").get_data(as_text=True))


def test_a_number_taken_by_a_concurrent_issue_is_retried(db, make_dossier, monkeypatch):
    dossier = make_dossier()
    other = make_dossier()
    FormNumber.delete().where(FormNumber.dossier == other.id).execute()
    real = form_numbers.next_number
    seen = []

    def stale(kind, year):
        # The first look happens before the other session's number is visible: it offers a taken one.
        seen.append(kind)
        return 1 if len(seen) == 1 else real(kind, year)

    monkeypatch.setattr(form_numbers, "next_number", stale)
    issued = form_numbers.issue("mau_01", datetime.datetime(2026, 11, 30, 10, 0), dossier=other)
    assert issued.number == 2 and len(seen) == 2
    with pytest.raises(IntegrityError):
        FormNumber.create(kind="mau_01", year=2026, number=2, dossier=dossier)


def test_written_refusal_is_a_numbered_letter(client, auth, dossier):
    act(dossier, Action.START, user("chuyen_mon"), at=datetime.datetime(2026, 11, 30, 10, 0))
    act(Dossier.get_by_id(dossier.id), Action.REFUSE, user("chuyen_mon"), note="Không đủ điều kiện theo luật.", at=datetime.datetime(2026, 12, 1, 9, 0))
    auth.login("chuyen_mon")
    page = text(client.get(f"/ho-so/{dossier.code}/in/tu-choi"))
    assert "Số: 1/TL-TC" in page and "Không đủ điều kiện theo luật." in page and "Giám đốc (Ký, ghi rõ họ tên và đóng dấu)" in page
