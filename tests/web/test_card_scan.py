"""A citizen's ID card scanned at the counter: intake fills the form from it, pickup lists the person's
results, public pages ignore it, and the scanned text is kept nowhere."""
import datetime
import html
import json
import logging
import re
import unicodedata

import pytest

from app import logs
from app.models import AuditLog, Dossier, Village
from app.rules import cccd
from app.rules.status import Status
from tests.conftest import csrf_token_from
from tests.web.test_pickup import ready

TODAY = datetime.date(2026, 12, 3)
# The applicant of every make_dossier: 001203012345 is a man of Hà Nội born in 2003.
AN = "001203012345||NGUYỄN VĂN AN|01012003|Nam|Thôn Trung Tiết, Xã Thạch Hà, Tỉnh Hà Tĩnh|10082021"
HOA = "042185000777||TRẦN THỊ HOA|12051985|Nữ|Số 5, đường Trần Phú, Phường Hà Huy Tập|01072021"


def logged_in_desk(auth, catalogue, monkeypatch):
    for module in ("app.views.intake", "app.views.pickup"):
        monkeypatch.setattr(f"{module}.today", lambda: TODAY)
    auth.login("tiep_nhan")
    return auth


desk = pytest.fixture(logged_in_desk, name="desk")


def scan_at_intake(desk, text, **form):
    return desk.post("/tiep-nhan/can-cuoc", data={"the": text, **form}, token_from="/tiep-nhan")


def fills_of(response) -> dict:
    found = re.search(r"data-card-fills='([^']*)'", response.get_data(as_text=True))
    assert found, "the answer fills nothing"
    return json.loads(html.unescape(found.group(1)))


def test_intake_page_offers_the_scan_box(client, desk):
    page = client.get("/tiep-nhan").get_data(as_text=True)
    assert 'data-card-scan="/tiep-nhan/can-cuoc"' in page and 'id="card_scan"' in page
    assert "js/card-scan.js" in page


def test_a_card_fills_the_applicant_with_the_village_found_in_the_address(client, desk):
    village = Village.create(name="Thôn Trung Tiết", order=1)
    Village.create(name="Thôn Đông", order=2)
    response = scan_at_intake(desk, AN)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert fills_of(response) == {
        "applicant_name": "Nguyễn Văn An",
        "id_number": "001203012345",
        "address": "Thôn Trung Tiết, Xã Thạch Hà, Tỉnh Hà Tĩnh",
        "village": str(village.id),
    }
    page = response.get_data(as_text=True)
    assert "<html" not in page
    assert "điền vào mục «Người nộp hồ sơ»" in page
    assert '<dd id="card-birth-date">01/01/2003</dd>' in page and '<dd id="card-sex">Nam</dd>' in page
    assert "Ngày cấp thẻ</dt><dd>10/08/2021" in page
    assert 'data-card-focus="phone"' in page
    assert Dossier.select().count() == 0


def test_an_address_outside_the_villages_is_kept_and_the_village_left_to_the_officer(client, desk):
    Village.create(name="Thôn Trung Tiết", order=1)
    response = scan_at_intake(desk, HOA)
    assert fills_of(response) == {
        "applicant_name": "Trần Thị Hoa",
        "id_number": "042185000777",
        "address": "Số 5, đường Trần Phú, Phường Hà Huy Tập",
    }
    assert "không nêu thôn nào của xã" in response.get_data(as_text=True)


def test_a_second_card_fills_the_representative(client, desk):
    response = scan_at_intake(desk, HOA, applicant_name="Nguyễn Văn An", id_number="001203012345")
    assert fills_of(response) == {"representative_name": "Trần Thị Hoa", "representative_id_number": "042185000777"}
    page = response.get_data(as_text=True)
    assert "«Người được ủy quyền nộp thay»" in page and 'data-card-focus="representative_relation"' in page


@pytest.mark.parametrize("form", [
    {"applicant_name": "Trần Thị Hoa", "id_number": "042185000777"},  # the same card again: refill, not a representative
    {"applicant_name": "", "id_number": " "},
])
def test_the_applicant_is_filled_when_empty_or_the_same_person(client, desk, form):
    assert "applicant_name" in fills_of(scan_at_intake(desk, HOA, **form))


def test_a_name_typed_without_an_id_makes_the_card_the_representative(client, desk):
    assert "representative_name" in fills_of(scan_at_intake(desk, HOA, applicant_name="Nguyễn Văn An"))


def test_decomposed_text_fills_the_same(client, desk):
    assert fills_of(scan_at_intake(desk, unicodedata.normalize("NFD", HOA)))["applicant_name"] == "Trần Thị Hoa"


def test_mismatch_between_card_and_number_is_a_warning_beside_the_filled_fields(client, desk):
    response = scan_at_intake(desk, HOA.replace("|Nữ|", "|Nam|"))
    assert response.status_code == 200 and fills_of(response)["id_number"] == "042185000777"
    assert "ứng với giới tính Nữ, còn trên thẻ ghi Nam" in response.get_data(as_text=True)


@pytest.mark.parametrize("text, words", [
    ("A" * 5000, "5.000 ký tự"),
    ("x" * 2_000_000, "2.000.000 ký tự"),
    ("https://motcua.local/tra-cuu/3kq9XbT0aVf2c8Lm", "đường dẫn"),
    (HOA.replace("TRẦN", "TRẦN 🙂"), "không phải mã QR của thẻ căn cước"),
    (HOA.replace("12051985", "31021985"), "31/02/1985"),
    (HOA.replace("042185000777", "0421850đ0777"), "tiếng Anh (E)"),
    (HOA.replace("042185000777", "999185000777"), "mã tỉnh"),
    ("", "không phải mã QR"),
])
def test_bad_scans_are_refused_in_vietnamese_and_fill_nothing(client, desk, text, words):
    response = scan_at_intake(desk, text)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert words in page and "data-card-fills" not in page and "<html" not in page


def test_reading_a_card_is_for_counter_staff_with_a_csrf_token(client, auth, catalogue):
    assert auth.post("/tiep-nhan/can-cuoc", data={"the": HOA}, token_from="/dang-nhap").status_code == 302
    auth.login("chuyen_mon")
    assert auth.post("/tiep-nhan/can-cuoc", data={"the": HOA}).status_code == 403
    auth.logout()
    auth.login("tiep_nhan")
    assert client.post("/tiep-nhan/can-cuoc", data={"the": HOA}).status_code == 400
    assert client.get("/tiep-nhan/can-cuoc", query_string={"the": HOA}).status_code == 405


def test_the_scanned_text_is_neither_logged_nor_stored(app, client, auth, catalogue, monkeypatch, caplog, tmp_path):
    logs.install(app)  # as `run.py serve` does
    caplog.set_level(logging.INFO)
    desk = logged_in_desk(auth, catalogue, monkeypatch)
    audit_before = AuditLog.select().count()
    assert scan_at_intake(desk, HOA).status_code == 200
    assert desk.post("/tra-ket-qua/can-cuoc", data={"the": HOA}, token_from="/tra-ket-qua").status_code == 404
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/tiep-nhan/can-cuoc" in logged  # the request itself is logged, as every request is
    assert "042185000777" not in logged and "TRẦN" not in logged and "Trần Thị Hoa" not in logged
    assert AuditLog.select().count() == audit_before
    for path in tmp_path.glob("test.sqlite3*"):
        assert b"042185000777" not in path.read_bytes()


def test_pickup_lists_the_persons_results_waiting_then_handed_over(client, desk, make_dossier):
    waiting = ready(make_dossier("2.000815", fee_inputs={"pages": 3}))
    returned = ready(make_dossier(received_at=datetime.datetime(2026, 11, 2, 9, 0)))
    Dossier.update(status=Status.RETURNED).where(Dossier.id == returned.id).execute()
    in_progress = make_dossier(received_at=datetime.datetime(2026, 12, 1, 9, 0))
    someone_else = ready(make_dossier(name="Lê Thị Mai"))
    Dossier.update(id_number="042185000777").where(Dossier.id == someone_else.id).execute()
    response = desk.post("/tra-ket-qua/can-cuoc", data={"the": AN}, token_from="/tra-ket-qua", headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" not in page and 'id="pickup-result"' in page
    assert "Thẻ căn cước của <strong>Nguyễn Văn An</strong>, số định danh 001203012345" in page
    assert "Có 2 hồ sơ khớp" in page
    assert page.index(waiting.code) < page.index(returned.code)
    assert in_progress.code not in page and someone_else.code not in page


def test_pickup_with_one_result_opens_it_for_the_hand_over(client, desk, make_dossier):
    waiting = ready(make_dossier("2.000815", fee_inputs={"pages": 3}))
    response = desk.post("/tra-ket-qua/can-cuoc", data={"the": AN}, token_from="/tra-ket-qua")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and waiting.code in page
    assert f'action="/tra-ket-qua/ho-so/{waiting.id}/tra"' in page


def test_pickup_finds_the_results_of_someone_who_submitted_for_another(client, desk, make_dossier):
    waiting = ready(make_dossier(representative_name="Trần Thị Hoa", representative_id_number="042185000777", representative_relation="vợ"))
    page = desk.post("/tra-ket-qua/can-cuoc", data={"the": HOA}, token_from="/tra-ket-qua").get_data(as_text=True)
    assert waiting.code in page


def test_pickup_finds_the_results_someone_collected_for_another(client, desk, make_dossier):
    from app.models import User
    from app.services import pickup

    collected = ready(make_dossier(received_at=datetime.datetime(2026, 11, 2, 9, 0)))
    pickup.hand_over(collected, User.get(User.username == "tiepnhan"), collected.version, pickup.HandOver(
        collector="nguoi_khac", collector_name="Trần Thị Hoa", collector_id_number="042185000777", relation="hàng xóm"))
    not_hers = ready(make_dossier(name="Lê Văn Bình"))
    page = desk.post("/tra-ket-qua/can-cuoc", data={"the": HOA}, token_from="/tra-ket-qua").get_data(as_text=True)
    assert collected.code in page and not_hers.code not in page


def test_pickup_card_without_results_says_so(client, desk, make_dossier):
    make_dossier()  # received, not ready: nothing to hand over yet
    response = desk.post("/tra-ket-qua/can-cuoc", data={"the": AN}, token_from="/tra-ket-qua")
    assert response.status_code == 404
    assert "Không có hồ sơ nào đã có kết quả hoặc đã trả của Nguyễn Văn An (số định danh 001203012345)." in response.get_data(as_text=True)


def test_pickup_without_javascript_reads_a_card_typed_into_the_box(client, desk, make_dossier):
    waiting = ready(make_dossier())
    response = client.get("/tra-ket-qua", query_string={"q": AN})
    assert response.status_code == 200 and waiting.code in response.get_data(as_text=True)


@pytest.mark.parametrize("text, words", [
    ("x" * 50_000, "ký tự"),
    (unicodedata.normalize("NFD", AN.replace("001203012345", "0012030đ2345")), "tiếng Anh (E)"),
    ("https://motcua.local/tra-cuu/abc|def", "đường dẫn"),
    (AN.replace("NGUYỄN", "🙂"), "không phải mã QR của thẻ căn cước"),
])
def test_pickup_refuses_bad_scans_with_a_message(client, desk, make_dossier, text, words):
    ready(make_dossier())
    response = desk.post("/tra-ket-qua/can-cuoc", data={"the": text}, token_from="/tra-ket-qua")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert words in page and "Nguyễn Văn An" not in page


def test_public_pages_never_take_a_card(client, make_dossier):
    dossier = ready(make_dossier(received_at=datetime.datetime(2026, 11, 2, 9, 0)))
    csrf = csrf_token_from(client.get("/tra-cuu").get_data(as_text=True))
    response = client.post("/tra-cuu", data={"csrf_token": csrf, "ma": AN})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Không đọc được mã này" in page or "Không tìm thấy" in page
    assert dossier.code not in page and dossier.token not in page and "Nguyễn" not in page.replace(AN, "")
    assert client.get("/tra-cuu/" + AN.replace("|", "%7C")).status_code == 404
    anonymous = client.post("/tra-ket-qua/can-cuoc", data={"csrf_token": csrf, "the": AN})
    assert anonymous.status_code == 302 and "/dang-nhap" in anonymous.headers["Location"]
