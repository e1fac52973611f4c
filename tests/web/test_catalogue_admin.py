"""Administration of fields, counters and procedures: forms with messages beside the field, nothing half-saved."""
import html
import re
import unicodedata

import pytest

from app.models import AuditLog, Counter, CounterField, Field, Procedure, ProcedureDocument
from app.services.catalogue import all_specs, fee_rule
from app.rules.fees import FeeKind

NEW_PROCEDURE = {
    "ma_thu_tuc": "9.999001",
    "ten_thu_tuc": "Chứng thực việc sửa đổi hợp đồng",
    "thoi_han_ngay": "2",
    "gio_cat": "",
    "gio_hen": "",
    "loai_phi": "lua_chon",
    "muc_phi": "",
    "bac_phi": "",
    "tran_phi_ban": "",
    "lua_chon_phi": "Hợp đồng, giao dịch=50.000; Sửa đổi, bổ sung=30000; Sửa lỗi kỹ thuật=25000",
    "phi_truc_tuyen_phan_tram": "50",
    "can_cu_phap_ly": "Nghị định 23/2015/NĐ-CP",
    "thu_tu": "5",
    "hieu_luc_tu": "01/07/2025",
    "hieu_luc_den": "",
    "ghi_chu": "",
    "hoat_dong": "1",
    "doc_name": ["Phiếu yêu cầu chứng thực", "Hợp đồng đã được chứng thực", ""],
    "doc_form": ["bản chính", "bản chính", "bản chính"],
    "doc_count": ["1", "1", "1"],
    "doc_required": ["bắt buộc", "không bắt buộc", "bắt buộc"],
}


def field_id(name="Chứng thực"):
    return str(Field.get(Field.name == name).id)


def post_procedure(auth, path="/quan-tri/thu-tuc/moi", **changes):
    data = {**NEW_PROCEDURE, "linh_vuc": field_id(), **changes}
    return auth.post(path, data={k: v for k, v in data.items() if v is not None}, token_from=path)


def test_admin_creates_a_procedure_with_documents_and_a_choice_fee(client, auth, catalogue):
    auth.login("quan_tri")
    response = post_procedure(auth)
    assert response.status_code == 303
    assert response.headers["Location"] == "/quan-tri/thu-tuc"
    procedure = Procedure.get(Procedure.code == "9.999001")
    rule = fee_rule(procedure)
    assert rule.kind is FeeKind.CHOICE
    assert rule.options == (("Hợp đồng, giao dịch", 50000), ("Sửa đổi, bổ sung", 30000), ("Sửa lỗi kỹ thuật", 25000))
    assert rule.online_percent == 50
    assert procedure.working_days == 2
    documents = list(procedure.documents.order_by(ProcedureDocument.order))
    assert [(d.name, d.required) for d in documents] == [("Phiếu yêu cầu chứng thực", True), ("Hợp đồng đã được chứng thực", False)]
    assert AuditLog.select().where(AuditLog.action == "procedure_created").count() == 1
    page = client.get("/quan-tri/thu-tuc?q=sua doi hop dong").get_data(as_text=True)
    assert "Chứng thực việc sửa đổi hợp đồng" in page
    assert "Sửa đổi, bổ sung: 30.000 đồng" in page


@pytest.mark.parametrize(
    "changes, column, message",
    [
        ({"ma_thu_tuc": "2.000815"}, "ma_thu_tuc", "Mã thủ tục «2.000815» đã có trong danh mục."),
        ({"ma_thu_tuc": ""}, "ma_thu_tuc", "Không được để trống."),
        ({"ten_thu_tuc": "   "}, "ten_thu_tuc", "Không được để trống."),
        ({"linh_vuc": "99999"}, "linh_vuc", "Hãy chọn một lĩnh vực có trong danh sách."),
        ({"linh_vuc": "abc"}, "linh_vuc", "Hãy chọn một lĩnh vực có trong danh sách."),
        ({"thoi_han_ngay": "-1"}, "thoi_han_ngay", "Phải lớn hơn hoặc bằng 0."),
        ({"thoi_han_ngay": "ba"}, "thoi_han_ngay", "«ba» không phải số nguyên."),
        ({"gio_cat": "25:00", "thoi_han_ngay": "0"}, "gio_cat", "không có thật"),
        ({"loai_phi": "co_dinh", "lua_chon_phi": "", "muc_phi": "-5000"}, "muc_phi", "Mức phí không được âm."),
        ({"loai_phi": "co_dinh", "lua_chon_phi": "", "muc_phi": "mười nghìn"}, "muc_phi", "không phải số nguyên"),
        ({"loai_phi": "theo_trang", "lua_chon_phi": "", "bac_phi": "1:2000; 1:1000"}, "bac_phi", "Trang bắt đầu của các bậc phí phải tăng dần."),
        ({"loai_phi": "theo_trang", "lua_chon_phi": "", "bac_phi": "1:2000; 3:1000", "tran_phi_ban": "1000"}, "tran_phi_ban", "Mức tối đa mỗi bản không được thấp hơn giá của trang đầu tiên."),
        ({"loai_phi": "theo_trang", "lua_chon_phi": "", "bac_phi": "1:-2000"}, "bac_phi", "Giá mỗi trang không được âm."),
        ({"lua_chon_phi": "Hợp đồng=50000; Hợp đồng=30000"}, "lua_chon_phi", "Tên lựa chọn bị trùng"),
        ({"loai_phi": "vang"}, "loai_phi", "Loại phí «vang» không hợp lệ"),
        ({"phi_truc_tuyen_phan_tram": "150"}, "phi_truc_tuyen_phan_tram", "Tỷ lệ phí nộp trực tuyến phải từ 0 đến 100%."),
        ({"hieu_luc_tu": "01/07/2026", "hieu_luc_den": "30/06/2026"}, "hieu_luc_den", "Ngày hết hiệu lực 30/06/2026 trước ngày bắt đầu hiệu lực 01/07/2026."),
        ({"hieu_luc_tu": "31/02/2026"}, "hieu_luc_tu", "Ngày «31/02/2026» không có thật."),
        ({"doc_name": ["Tờ khai | bản chính"]}, "giay_to", "không được chứa ký tự |"),
        ({"doc_count": ["0", "1", "1"]}, "giay_to", "số lượng «0» phải là số nguyên lớn hơn 0"),
        ({"doc_form": ["bản dịch", "bản chính", "bản chính"]}, "giay_to", "hình thức «bản dịch» không hợp lệ"),
    ],
)
def test_bad_procedure_is_refused_beside_the_field_and_nothing_saved(client, auth, catalogue, changes, column, message):
    auth.login("quan_tri")
    before = all_specs()
    response = post_procedure(auth, **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    # The message sits right after its own input.
    assert f'id="{column}-error"' in page
    assert all_specs() == before


def test_edit_changes_a_fee_and_keeps_the_other_values(client, auth, catalogue):
    auth.login("quan_tri")
    procedure = Procedure.get(Procedure.code == "2.000815")
    path = f"/quan-tri/thu-tuc/{procedure.id}"
    form = client.get(path).get_data(as_text=True)
    assert 'value="1:2000; 3:1000"' in form and 'value="200000"' in form
    assert "Bản sao cần chứng thực" in form or "doc_name" in form
    data = _form_values(form)
    data["bac_phi"] = "1:3000; 3:1500"
    response = auth.post(path, data=data, token_from=path)
    assert response.status_code == 303, response.get_data(as_text=True)
    after = Procedure.get_by_id(procedure.id)
    assert fee_rule(after).tiers == ((1, 3000), (3, 1500))
    assert after.name == procedure.name
    assert [d.name for d in after.documents] == [d.name for d in procedure.documents]
    assert "3.000 đồng/trang" in client.get("/thu-tuc/2.000815").get_data(as_text=True)


def _form_values(page: str) -> dict:
    """What a browser would post back from the edit form, unchanged."""
    data: dict = {}
    for name, value in re.findall(r'<input type="(?:text|number)" id="[^"]*" name="([^"]+)" value="([^"]*)"', page):
        data[name] = value
    for name, value in re.findall(r'<input type="(?:text|number)" name="(doc_[a-z]+)" value="([^"]*)"', page):
        data.setdefault(name, []).append(value)
    for name in re.findall(r'<input type="checkbox" name="([^"]+)" value="1" checked>', page):
        data[name] = "1"
    for select in re.finditer(r'<select (?:id="[^"]*" )?name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        name, options = select.groups()
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)', options) or re.search(r'<option(?: value="([^"]*)")?>([^<]*)', options)
        value = chosen.group(1) if chosen.group(1) is not None else chosen.group(2)
        if name.startswith("doc_"):
            data.setdefault(name, []).append(value)
        else:
            data[name] = value
    return {key: [html.unescape(v) for v in value] if isinstance(value, list) else html.unescape(value) for key, value in data.items()}


def test_edit_cannot_take_another_procedures_code(client, auth, catalogue):
    auth.login("quan_tri")
    procedure = Procedure.get(Procedure.code == "2.000815")
    path = f"/quan-tri/thu-tuc/{procedure.id}"
    data = _form_values(client.get(path).get_data(as_text=True))
    data["ma_thu_tuc"] = "1.001193"
    response = auth.post(path, data=data, token_from=path)
    assert response.status_code == 400
    assert "Mã thủ tục «1.001193» đã có trong danh mục." in response.get_data(as_text=True)
    assert Procedure.get_by_id(procedure.id).code == "2.000815"


def test_deactivate_hides_from_public_and_can_be_undone(client, auth, catalogue):
    auth.login("quan_tri")
    procedure = Procedure.get(Procedure.code == "2.000815")
    stop = f"/quan-tri/thu-tuc/{procedure.id}/hoat-dong"
    confirm = f"/quan-tri/thu-tuc/{procedure.id}/ngung-ap-dung"
    # The list's "Ngừng áp dụng…" is a link to a page that says what it means: nothing changes yet.
    assert f'href="{confirm}">Ngừng áp dụng…</a>' in client.get("/quan-tri/thu-tuc").get_data(as_text=True)
    page = client.get(confirm).get_data(as_text=True)
    assert "Ngừng áp dụng thủ tục 2.000815?" in page and "Hồ sơ đã tiếp nhận theo thủ tục này vẫn giữ nguyên" in page
    assert Procedure.get_by_id(procedure.id).active
    # A stop that did not come through that page is sent there, not applied.
    response = auth.post(stop, data={"ap_dung": "0"}, token_from="/quan-tri/thu-tuc")
    assert response.status_code == 303 and response.headers["Location"] == confirm
    assert Procedure.get_by_id(procedure.id).active
    response = auth.post(stop, data={"ap_dung": "0", "xac_nhan": "1"}, token_from=confirm)
    assert response.status_code == 303
    assert not Procedure.get_by_id(procedure.id).active
    assert client.get("/thu-tuc/2.000815").status_code == 404
    assert "Ngừng áp dụng" in client.get("/quan-tri/thu-tuc").get_data(as_text=True)
    # The same confirmed stop sent twice leaves it stopped: the form says the state it wants.
    auth.post(stop, data={"ap_dung": "0", "xac_nhan": "1"}, token_from=confirm)
    assert not Procedure.get_by_id(procedure.id).active
    auth.post(stop, data={"ap_dung": "1"}, token_from="/quan-tri/thu-tuc")
    assert client.get("/thu-tuc/2.000815").status_code == 200
    assert auth.post(stop, data={}, token_from="/quan-tri/thu-tuc").status_code == 400


def test_procedure_list_says_when_the_province_sets_the_fee(client, auth, catalogue):
    auth.login("quan_tri")
    page = client.get("/quan-tri/thu-tuc").get_data(as_text=True)
    assert "Do HĐND tỉnh quy định" in page
    assert "Trong ngày (nhận trước 15:00)" in page


@pytest.mark.parametrize("path", ["/quan-tri/thu-tuc/99999", "/quan-tri/linh-vuc/99999", "/quan-tri/quay/99999"])
def test_unknown_records_are_404(client, auth, catalogue, path):
    auth.login("quan_tri")
    assert client.get(path).status_code == 404


def test_fields_are_added_renamed_and_duplicates_refused(client, auth, catalogue):
    auth.login("quan_tri")
    response = auth.post("/quan-tri/linh-vuc", data={"name": unicodedata.normalize("NFD", "Tư pháp"), "order": "9"}, token_from="/quan-tri/linh-vuc")
    assert response.status_code == 303
    assert Field.get_or_none(Field.name == "Tư pháp") is not None
    duplicate = auth.post("/quan-tri/linh-vuc", data={"name": "Hộ tịch", "order": "1"}, token_from="/quan-tri/linh-vuc")
    assert duplicate.status_code == 400
    assert "Lĩnh vực «Hộ tịch» đã có." in duplicate.get_data(as_text=True)
    empty = auth.post("/quan-tri/linh-vuc", data={"name": "  ", "order": "x"}, token_from="/quan-tri/linh-vuc")
    assert empty.status_code == 400 and "Không được để trống." in empty.get_data(as_text=True)
    field = Field.get(Field.name == "Tư pháp")
    renamed = auth.post(f"/quan-tri/linh-vuc/{field.id}", data={"name": "Tư pháp - Hộ tịch", "order": "9"}, token_from=f"/quan-tri/linh-vuc/{field.id}")
    assert renamed.status_code == 303
    assert Field.get_by_id(field.id).name == "Tư pháp - Hộ tịch"


def test_counters_serve_the_fields_ticked(client, auth, catalogue):
    auth.login("quan_tri")
    ids = [field_id("Hộ tịch"), field_id("Chứng thực")]
    response = auth.post("/quan-tri/quay/moi", data={"name": "Quầy 5", "order": "5", "fields": ids, "active": "y"}, token_from="/quan-tri/quay/moi")
    assert response.status_code == 303
    counter = Counter.get(Counter.name == "Quầy 5")
    assert counter.active
    assert sorted(str(link.field_id) for link in CounterField.select().where(CounterField.counter == counter)) == sorted(ids)
    page = client.get("/quan-tri/quay").get_data(as_text=True)
    assert "Hộ tịch, Chứng thực" in page or "Chứng thực, Hộ tịch" in page
    edit = auth.post(f"/quan-tri/quay/{counter.id}", data={"name": "Quầy 5", "order": "5", "fields": [ids[0]]}, token_from=f"/quan-tri/quay/{counter.id}")
    assert edit.status_code == 303
    assert not Counter.get_by_id(counter.id).active
    assert CounterField.select().where(CounterField.counter == counter).count() == 1
    duplicate = auth.post("/quan-tri/quay/moi", data={"name": "Quầy 1", "order": "1"}, token_from="/quan-tri/quay/moi")
    assert duplicate.status_code == 400 and "Quầy «Quầy 1» đã có." in duplicate.get_data(as_text=True)
    unknown = auth.post("/quan-tri/quay/moi", data={"name": "Quầy 6", "order": "6", "fields": ["99999"]}, token_from="/quan-tri/quay/moi")
    assert unknown.status_code == 400
    assert Counter.get_or_none(Counter.name == "Quầy 6") is None


def test_catalogue_pages_are_admin_only(client, auth, catalogue):
    auth.login("tiep_nhan")
    assert client.get("/quan-tri/thu-tuc").status_code == 403


def test_edit_keeps_the_unit_and_the_named_cases(client, auth, catalogue):
    """Adoption is 30 days, not 30 working days; saving its form unchanged must not turn it back."""
    auth.login("quan_tri")
    for code, unit in (("2.001263", "ngay"), ("1.000894", "trong_ngay")):
        procedure = Procedure.get(Procedure.code == code)
        path = f"/quan-tri/thu-tuc/{procedure.id}"
        form = client.get(path).get_data(as_text=True)
        data = _form_values(form)
        for name, value in re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
            data[name] = html.unescape(value)
        assert data["don_vi_thoi_han"] == unit
        response = auth.post(path, data=data, token_from=path)
        assert response.status_code == 303, response.get_data(as_text=True)
        after = Procedure.get_by_id(procedure.id)
        assert (after.time_unit, after.extension_cases) == (unit, procedure.extension_cases)


def test_edit_refuses_an_unknown_unit_beside_the_field(client, auth, catalogue):
    auth.login("quan_tri")
    procedure = Procedure.get(Procedure.code == "2.001263")
    path = f"/quan-tri/thu-tuc/{procedure.id}"
    data = _form_values(client.get(path).get_data(as_text=True))
    data["don_vi_thoi_han"] = "tuan"
    response = auth.post(path, data=data, token_from=path)
    assert response.status_code == 400
    assert "Đơn vị «tuan» không hợp lệ" in response.get_data(as_text=True)
    assert Procedure.get_by_id(procedure.id).time_unit == "ngay"
