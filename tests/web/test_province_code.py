"""The province's code of a dossier beside ours: entered at intake or scanned on the dossier's page, found
by the staff search, the pickup desk and the kiosk, and printed as the official code once the center says
it also receives on the province's system, while our own codes take a visibly local form."""
import datetime
import html
import re

import pytest

from app.models import Dossier, DossierEvent, Setting
from app.rules.status import Action
from app.services.dossiers import act
from app.settings import save as save_settings
from tests.conftest import csrf_token_from, user
from tests.web.test_admin import current_form
from tests.web.test_intake import counter_staff, save, valid_form  # noqa: F401 (a fixture)

PROVINCE_CODE = "G22.39-261130-0007"


def both_systems(prefix="TL"):
    save_settings({"uses_province_system": True, "local_code_prefix": prefix})


def page_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def set_code(auth, dossier, scanned):
    return auth.post(f"/ho-so/{dossier.code}/ma-tinh", {"portal_code": scanned}, token_from=f"/ho-so/{dossier.code}")


# --- Our own code's form -------------------------------------------------------------------------------


def test_codes_keep_the_official_form_until_the_center_uses_the_provinces_system(make_dossier):
    before = make_dossier()
    assert before.code == "000.00.20.H42-261130-0001"
    both_systems("TL")
    after = make_dossier()
    assert after.code == "TL-261130-0002"
    # A code already given is never rewritten; the day's numbering runs on across both forms.
    assert Dossier.get_by_id(before.id).code == "000.00.20.H42-261130-0001"


def test_the_administrator_turns_it_on_with_a_prefix_typed_in_any_case(client, auth, catalogue):
    auth.login("quan_tri")
    page = page_of(client.get("/quan-tri/cai-dat"))
    assert "Trung tâm cũng tiếp nhận hồ sơ trên hệ thống một cửa điện tử của tỉnh" in page
    form = current_form()
    form.update(local_code_prefix="tl", uses_province_system="1")
    assert auth.post("/quan-tri/cai-dat", data=form).status_code == 303
    assert Setting.get(Setting.key == "local_code_prefix").value == "TL"
    assert Setting.get(Setting.key == "uses_province_system").value == "1"


# --- Entering the province's code ----------------------------------------------------------------------


def test_scanning_the_provinces_receipt_on_the_dossiers_page_records_its_code(client, auth, make_dossier):
    dossier = make_dossier()
    auth.login("tiep_nhan")
    response = set_code(auth, dossier, f"https://dichvucong.hatinh.gov.vn/tra-cuu?maHoSo={PROVINCE_CODE.lower()}\r\n")
    assert response.status_code == 303
    page = page_of(client.get(f"/ho-so/{dossier.code}"))
    assert f"Đã ghi mã hồ sơ của tỉnh: {PROVINCE_CODE}." in page
    assert re.search(rf'class="portal-code">{re.escape(PROVINCE_CODE)}', page)
    assert "Ghi mã hồ sơ trên hệ thống của tỉnh" in page  # the history keeps who did it and when
    event = DossierEvent.get(DossierEvent.action == "portal_code")
    assert event.data == {"from": "", "to": PROVINCE_CODE} and event.user.username == "tiepnhan"


@pytest.mark.parametrize("scanned, message", [
    ("", "Chưa nhập mã hồ sơ trên Cổng Dịch vụ công hoặc hệ thống của tỉnh."),
    ("<script>alert(1)</script>", "Mã hồ sơ của tỉnh gồm 3 đến 60 ký tự"),
    ("'; DROP TABLE dossier; --", "Mã hồ sơ của tỉnh gồm 3 đến 60 ký tự"),
    ("G22.39-261130-0007😀", "Mã hồ sơ của tỉnh gồm 3 đến 60 ký tự"),
    ("G" * 5000 + "1", "Mã hồ sơ của tỉnh gồm 3 đến 60 ký tự"),
    ("12345", "Mã hồ sơ của tỉnh gồm 3 đến 60 ký tự"),
])
def test_a_bad_province_code_is_refused_beside_its_field_and_the_old_one_kept(client, auth, make_dossier, scanned, message):
    dossier = make_dossier()
    Dossier.update(portal_code="G22.39-261130-0001").where(Dossier.id == dossier.id).execute()
    auth.login("tiep_nhan")
    response = set_code(auth, dossier, scanned)
    assert response.status_code == 400
    error = re.search(r'<p class="error" id="portal-code-error">([^<]*)</p>', response.get_data(as_text=True))
    assert error and html.unescape(error.group(1)).startswith(message)
    assert Dossier.get_by_id(dossier.id).portal_code == "G22.39-261130-0001"
    assert not DossierEvent.select().where(DossierEvent.action == "portal_code").exists()


def test_a_province_code_already_on_another_dossier_or_one_of_ours_is_refused(client, auth, make_dossier):
    first, second = make_dossier(name="Lê Văn Một"), make_dossier(name="Lê Văn Hai")
    auth.login("tiep_nhan")
    assert set_code(auth, first, PROVINCE_CODE).status_code == 303
    response = set_code(auth, second, PROVINCE_CODE.lower())
    assert response.status_code == 400
    assert f"Mã {PROVINCE_CODE} đã được ghi cho hồ sơ {first.code}." in page_of(response)
    response = set_code(auth, second, first.code)
    assert response.status_code == 400
    assert f"là mã do Trung tâm cấp cho hồ sơ {first.code}, không phải mã của tỉnh." in page_of(response)
    assert Dossier.get_by_id(second.id).portal_code == ""
    # The same code again on its own dossier is no change and no error.
    assert set_code(auth, first, PROVINCE_CODE).status_code == 303
    assert DossierEvent.select().where(DossierEvent.action == "portal_code").count() == 1


def test_recording_the_code_needs_a_login_and_a_csrf_token(client, auth, make_dossier):
    dossier = make_dossier()
    response = client.post(f"/ho-so/{dossier.code}/ma-tinh", data={"portal_code": PROVINCE_CODE})
    assert response.status_code in (302, 400, 401, 403)
    auth.login("tiep_nhan")
    response = client.post(f"/ho-so/{dossier.code}/ma-tinh", data={"portal_code": PROVINCE_CODE})
    assert response.status_code == 400
    assert Dossier.get_by_id(dossier.id).portal_code == ""


# --- Finding a dossier by the province's code ------------------------------------------------------------


def test_the_staff_search_finds_a_dossier_by_the_provinces_code(client, auth, make_dossier):
    wanted, other = make_dossier(name="Phan Văn Tìm"), make_dossier(name="Phan Văn Khác")
    Dossier.update(portal_code=PROVINCE_CODE).where(Dossier.id == wanted.id).execute()
    auth.login("tiep_nhan")
    for typed in (PROVINCE_CODE, PROVINCE_CODE.lower(), f" {PROVINCE_CODE} "):
        page = page_of(client.get("/ho-so", query_string={"q": typed}))
        assert wanted.code in page and other.code not in page


def test_the_pickup_desk_finds_a_result_by_the_provinces_code(client, auth, make_dossier):
    dossier = make_dossier()
    Dossier.update(portal_code=PROVINCE_CODE).where(Dossier.id == dossier.id).execute()
    act(dossier, Action.START, user("chuyen_mon"))
    act(dossier, Action.APPROVE, user("lanh_dao"), data={"shelf": "Kệ B"})
    both_systems()
    auth.login("tiep_nhan")
    page = page_of(client.get("/tra-ket-qua", query_string={"q": PROVINCE_CODE.lower()}))
    assert PROVINCE_CODE in page and "Kệ B" in page
    assert f"Số nội bộ của Trung tâm: {dossier.code}" in page


def test_the_kiosk_opens_the_status_page_with_the_provinces_code_and_the_lookup_code(client, make_dossier):
    dossier = make_dossier()
    Dossier.update(portal_code=PROVINCE_CODE).where(Dossier.id == dossier.id).execute()
    csrf = csrf_token_from(client.get("/tra-cuu").get_data(as_text=True))
    response = client.post("/tra-cuu", data={"csrf_token": csrf, "ma": PROVINCE_CODE.lower(), "ma_tra_cuu": dossier.lookup_code})
    assert response.status_code == 303 and response.headers["Location"].startswith(f"/tra-cuu/{dossier.token}")
    wrong = next(letter for letter in "34679ACEHKMNPRTXY" if letter != dossier.lookup_code[0]) + dossier.lookup_code[1:]
    response = client.post("/tra-cuu", data={"csrf_token": csrf, "ma": PROVINCE_CODE, "ma_tra_cuu": wrong})
    assert response.status_code == 400


# --- The official code where a citizen sees one -----------------------------------------------------------


def test_once_the_center_uses_the_provinces_system_the_citizen_sees_the_provinces_code(client, auth, make_dossier):
    dossier = make_dossier(name="Võ Thị Công")
    Dossier.update(portal_code=PROVINCE_CODE).where(Dossier.id == dossier.id).execute()
    auth.login("tiep_nhan")
    # Not yet: the province's code is only mentioned beside the channel.
    receipt = page_of(client.get(f"/ho-so/{dossier.code}/bien-nhan"))
    assert f"Mã hồ sơ: <strong>{dossier.code}</strong>" in receipt
    status = page_of(client.get(f"/tra-cuu/{dossier.token}"))
    assert f'<dd class="code">{dossier.code}</dd>' in status

    both_systems()
    receipt = page_of(client.get(f"/ho-so/{dossier.code}/bien-nhan"))
    assert receipt.count(f"Mã hồ sơ: <strong>{PROVINCE_CODE}</strong>") == 2  # both copies
    assert f'<span class="code">{PROVINCE_CODE}</span>' in receipt
    assert f"Số nội bộ của Trung tâm: {dossier.code}" in receipt
    status = page_of(client.get(f"/tra-cuu/{dossier.token}"))
    assert f'<dd class="code">{PROVINCE_CODE}</dd>' in status and dossier.code not in status


def test_a_dossier_without_the_provinces_code_shows_its_local_code(client, auth, make_dossier):
    both_systems("TL")
    dossier = make_dossier()
    assert dossier.code.startswith("TL-")
    status = page_of(client.get(f"/tra-cuu/{dossier.token}"))
    assert f'<dd class="code">{dossier.code}</dd>' in status


def test_the_board_shows_the_tail_of_the_code_on_the_citizens_receipt(client, make_dossier, clock):
    clock.freeze(datetime.datetime(2026, 11, 30, 9, 0))
    dossier = make_dossier(name="Đỗ Văn Bảng")
    Dossier.update(portal_code="G22.39-261129-0042").where(Dossier.id == dossier.id).execute()
    act(dossier, Action.START, user("chuyen_mon"))
    act(dossier, Action.APPROVE, user("lanh_dao"), data={"shelf": "Kệ A"})
    listing = page_of(client.get("/bang-tin/ket-qua", headers={"HX-Request": "true"}))
    assert "261130-0001" in listing and "261129-0042" not in listing
    both_systems()
    listing = page_of(client.get("/bang-tin/ket-qua", headers={"HX-Request": "true"}))
    assert "261129-0042" in listing and "261130-0001" not in listing


# --- At intake -------------------------------------------------------------------------------------------


def test_intake_keeps_a_province_code_typed_for_a_dossier_brought_to_the_counter(client, counter_staff):
    response = save(client, valid_form(client, portal_code=" g22.39-260213-0003 "))
    assert response.status_code == 303
    assert Dossier.get().portal_code == "G22.39-260213-0003"


def test_intake_refuses_a_province_code_another_dossier_has_and_saves_nothing(client, counter_staff):
    assert save(client, valid_form(client, portal_code=PROVINCE_CODE)).status_code == 303
    response = save(client, valid_form(client, portal_code=PROVINCE_CODE, applicant_name="Người Thứ Hai"))
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="portal_code-error">([^<]*)</p>', response.get_data(as_text=True))
    assert error and html.unescape(error.group(1)).startswith(f"Mã {PROVINCE_CODE} đã được ghi cho hồ sơ ")
    assert Dossier.select().count() == 1
