"""/thong-ke: who may open it, the period picker, the official table, the chart, Excel and print."""
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from app.models import Dossier, Procedure

CERTIFIED_COPY = "2.000815"
MARITAL_STATUS = "1.004873"
POOR_HOUSEHOLD = "Người thuộc hộ nghèo (Luật Hộ tịch 2014, Điều 11 khoản 1)"


@pytest.fixture
def september(make_dossier):
    """Three dossiers of September 2025: one on time, one late (its fee waived), one still open and overdue at the end."""

    def make(code, received, due, resolved=None, ground=None):
        fee_inputs = {"pages": 1, "copies": 1} if code == CERTIFIED_COPY else {}
        if ground:
            fee_inputs["ground"] = ground
        dossier = make_dossier(code, received_at=received, fee_inputs=fee_inputs)
        changes = {Dossier.due_at: due}
        if resolved:
            changes.update({Dossier.resolved_at: resolved, Dossier.status: "returned"})
        Dossier.update(changes).where(Dossier.id == dossier.id).execute()

    day = datetime.datetime
    make(CERTIFIED_COPY, day(2025, 9, 10, 8), day(2025, 9, 10, 17), day(2025, 9, 10, 11))
    make(MARITAL_STATUS, day(2025, 9, 3, 8), day(2025, 9, 8, 17), day(2025, 9, 12, 11), ground=POOR_HOUSEHOLD)
    make(MARITAL_STATUS, day(2025, 9, 22, 8), day(2025, 9, 25, 17))


SEPTEMBER = {"loai": "thang", "nam": "2025", "thang": "9", "cach": "A"}


@pytest.mark.parametrize("role, status", [("lanh_dao", 200), ("quan_tri", 200), ("tiep_nhan", 403), ("chuyen_mon", 403)])
def test_only_leaders_and_administrators_open_the_figures(client, auth, db, role, status):
    auth.login(role)
    assert client.get("/thong-ke/").status_code == status
    assert client.get("/thong-ke/excel", query_string=SEPTEMBER).status_code == status


def test_anonymous_goes_to_the_login(client, db):
    response = client.get("/thong-ke/")
    assert response.status_code == 302
    assert "/dang-nhap" in response.headers["Location"]


def test_table_shows_fields_procedures_totals_and_chart(client, auth, september):
    auth.login("lanh_dao")
    response = client.get("/thong-ke/", query_string=SEPTEMBER)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tháng 9/2025" in html
    assert "Hộ tịch" in html and "Chứng thực" in html and "Tổng cộng" in html
    assert "50,00%" in html  # 1 on time of 2 resolved
    assert "<svg" in html and "Tiếp nhận (cột đặc)" in html
    assert "Từ ngày 01/09/2025 đến ngày 30/09/2025" in html


def test_htmx_gets_only_the_result(client, auth, september):
    auth.login("lanh_dao")
    response = client.get("/thong-ke/", query_string=SEPTEMBER, headers={"HX-Request": "true", "HX-Target": "thong-ke"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "Tháng 9/2025" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"loai": "quy", "nam": "2025", "quy": "5"}, "Quý 5 không hợp lệ"),
        ({"loai": "thang", "nam": "2025", "thang": "13"}, "Tháng 13 không hợp lệ"),
        ({"loai": "nam", "nam": "năm"}, "Không đọc được kỳ báo cáo"),
        ({"loai": "thang", "nam": "0001", "thang": "1"}, "Năm 1 nằm ngoài khoảng"),
        ({"loai": "tuy_chon", "tu": "2025-09-30", "den": "2025-09-01"}, "Khoảng thời gian ngược"),
        ({"loai": "tuy_chon", "tu": "2025-02-30", "den": "2025-03-01"}, "Ngày «2025-02-30» không có thật"),
        ({"loai": "tuy_chon", "tu": "2025-09-01"}, "Nhập ngày bắt đầu và ngày kết thúc (dd/mm/yyyy)"),
    ],
)
def test_bad_period_is_refused_beside_the_picker(client, auth, db, query, message):
    auth.login("lanh_dao")
    response = client.get("/thong-ke/", query_string=query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert client.get("/thong-ke/excel", query_string=query).status_code == 400


def test_print_view_has_no_menu(client, auth, september):
    auth.login("quan_tri")
    response = client.get("/thong-ke/in", query_string=SEPTEMBER)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Báo cáo tình hình giải quyết hồ sơ Tháng 9/2025" in html
    assert 'class="site-header' not in html


def test_excel_export_cell_by_cell(client, auth, september):
    auth.login("lanh_dao")
    response = client.get("/thong-ke/excel", query_string=SEPTEMBER)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "bao-cao-2025-09.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "Trung tâm Phục vụ hành chính công xã Thạch Hà — Báo cáo tình hình giải quyết hồ sơ Tháng 9/2025"
    assert sheet["A2"].value.startswith("Từ ngày 01/09/2025 đến ngày 30/09/2025")
    # Two heading rows: the official groups over their columns; a column of its own spans both.
    assert [cell.value for cell in sheet[3]] == [
        "Lĩnh vực, thủ tục", "Số hồ sơ nhận giải quyết", None, None, None, None, None, "Số hồ sơ đã giải quyết", None, None, None,
        "Số hồ sơ đang giải quyết", None, "Chờ bổ sung", "Rút hồ sơ", "Dừng giải quyết", "Từ chối giải quyết", "Tỷ lệ đúng hạn",
        "Tiếp nhận mới được miễn, giảm phí", None,
    ]
    assert [cell.value for cell in sheet[4]] == [
        None, "Tồn kỳ trước", "Tiếp nhận mới", "Trực tuyến", "Trực tiếp", "Trong đó: tại nhà", "Bưu chính công ích",
        "Tổng số", "Đúng hạn (gồm trước hạn)", "Trong đó: trước hạn", "Trễ hạn", "Trong hạn", "Quá hạn", None, None, None, None, None,
        "Miễn phí", "Giảm phí",
    ]

    def name(code):
        return f"{code} — {Procedure.get(Procedure.code == code).name}"

    expected = [
        ["Hộ tịch", 0, 2, 0, 2, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0.0, 1, 0],
        [name(MARITAL_STATUS), 0, 2, 0, 2, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0.0, 1, 0],
        ["Chứng thực", 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1.0, 0, 0],
        [name(CERTIFIED_COPY), 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1.0, 0, 0],
        ["Tổng cộng", 0, 3, 0, 3, 0, 0, 2, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0.5, 1, 0],
    ]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)] == expected
    for row in sheet.iter_rows(min_row=5):
        assert {cell.number_format for cell in [*row[1:17], *row[18:]]} == {"#,##0"}
        assert row[17].number_format == "0.00%"
    assert sheet["A9"].font.bold and not sheet["A6"].font.bold


def test_cutoff_setting_moves_the_month(client, auth, september):
    from app.settings import save

    save({"report_cutoff_day": 15})
    auth.login("lanh_dao")
    html = client.get("/thong-ke/", query_string=SEPTEMBER).get_data(as_text=True)
    assert "Từ ngày 15/08/2025 đến ngày 14/09/2025" in html


@pytest.mark.parametrize("query", [{"loai": "thang", "nam": "2000", "thang": "1"}, {"loai": "tuy_chon", "tu": "2000-01-01", "den": "2099-12-31"}])
def test_periods_at_the_edges_of_the_years_still_draw(client, auth, db, query):
    auth.login("lanh_dao")
    response = client.get("/thong-ke/", query_string=query)
    assert response.status_code == 200
    assert "<svg" in response.get_data(as_text=True)


def test_table_has_the_official_columns_and_counts_a_waiting_dossier(client, auth, september, make_dossier):
    from app.rules.status import Action
    from app.services.dossiers import act
    from tests.conftest import user

    waiting = make_dossier(MARITAL_STATUS, received_at=datetime.datetime(2025, 9, 23, 8, 0), channel="tai_nha")
    act(waiting, Action.START, user("chuyen_mon"), at=datetime.datetime(2025, 9, 23, 9, 0))
    act(Dossier.get_by_id(waiting.id), Action.REQUEST_DOCUMENTS, user("chuyen_mon"), note="Thiếu tờ khai", at=datetime.datetime(2025, 9, 24, 9, 0))
    auth.login("lanh_dao")
    for path in ("/thong-ke/", "/thong-ke/in"):
        html = client.get(path, query_string=SEPTEMBER).get_data(as_text=True)
        for heading in ("Số hồ sơ nhận giải quyết", "Trực tuyến", "Trong đó: tại nhà", "Bưu chính công ích",
                        "Số hồ sơ đã giải quyết", "Đúng hạn (gồm trước hạn)", "Trong đó: trước hạn", "Số hồ sơ đang giải quyết", "Chờ bổ sung"):
            assert heading in html, (path, heading)
        total = html[html.index('<tr class="total">'):]
        cells = re.findall(r'<td class="num">([^<]*)</td>', total)[:17]
        # carried, received 4 (3 at the counter, one of them at home), resolved 2 (1 in time, 0 early, 1 late),
        # in progress 0 + 1 overdue, waiting 1, withdrawn, stopped, refused 0, rate 50%.
        assert cells == ["0", "4", "0", "4", "1", "0", "2", "1", "0", "1", "0", "1", "1", "0", "0", "0", "50,00%"], path
FORMULA_NAMES = ['=HYPERLINK("http://ke-gian.example","Bấm vào đây")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)"]


@pytest.fixture
def formula_villages(make_dossier):
    """A field and four villages whose names an Excel user would run as formulas."""
    import datetime

    from app.models import Field, Village

    Field.update(name=FORMULA_NAMES[0]).where(Field.name == "Hộ tịch").execute()
    for order, name in enumerate(FORMULA_NAMES):
        village = Village.create(name=name, order=order)
        make_dossier(MARITAL_STATUS, received_at=datetime.datetime(2025, 9, 10 + order, 8), village_id=village.id)


def _no_formula_in(xlsx: bytes):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def test_excel_export_keeps_formula_like_names_as_text(client, auth, formula_villages):
    auth.login("lanh_dao")
    response = client.get("/thong-ke/excel", query_string=SEPTEMBER)
    assert response.status_code == 200
    _no_formula_in(response.data)
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A5"].value == FORMULA_NAMES[0] and sheet["A5"].data_type == "s"


def test_report_csv_and_xlsx_by_village_keep_formula_like_names_as_text(formula_villages):
    import csv

    from app.rules.periods import parse
    from app.services import report_export

    report = report_export.build(parse("2025-09"), by="village")
    rows = list(csv.reader(io.StringIO(report_export.to_csv(report))))
    labels = sorted(row[2] for row in rows[2:])
    assert labels == sorted("'" + name for name in FORMULA_NAMES)
    content = report_export.to_xlsx(report, "=Trung tâm", "Thôn")
    _no_formula_in(content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sorted(sheet.cell(row=row, column=1).value for row in range(5, 9)) == sorted(FORMULA_NAMES)
    assert sheet["A1"].data_type == "s"


def test_table_and_print_view_count_the_waived_fees(client, auth, september):
    auth.login("lanh_dao")
    for path in ("/thong-ke/", "/thong-ke/in"):
        html = client.get(path, query_string=SEPTEMBER).get_data(as_text=True)
        assert "Tiếp nhận mới được miễn, giảm phí" in html and "Miễn phí" in html and "Giảm phí" in html, path
        total = html[html.index('<tr class="total">'):]
        cells = re.findall(r'<td class="num">([^<]*)</td>', total)
        # After the rate: one dossier received with its fee waived, none reduced.
        assert cells[16:19] == ["50,00%", "1", "0"], path
