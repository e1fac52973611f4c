"""/thong-ke: the portal's sync records to download and the province's export reconciled, bad files refused by line."""
import io
import json
import os
import subprocess
import sys

import pytest
from openpyxl import Workbook

from app.models import Dossier
from app.rules.periods import parse
from app.services import portal_reconcile
from tests.web.test_export_dossiers_command import ROOT, expected, november  # noqa: F401 (the fixture)
from tests.conftest import app_database_url

NOVEMBER = {"loai": "thang", "nam": "2026", "thang": "11"}
# The province's export of November 2026, differing from ours in exactly three ways:
# the online dossier waits for documents here (5) but is "processing" (4) there; the dossier received on
# 28/10 is missing there; H56.22-261125-0001 is missing here.
PROVINCE_LINES = [
    ("000.00.20.H42-261102-0001", "20261102083000", "10", "20261102170000"),
    ("H56.22-261110-0007", "10/11/2026 14:00", "Đang xử lý", "10/11/2026"),
    ("000.00.20.H42-261120-0001", "20/11/2026 10:00:00", "7", ""),
    ("H56.22-261125-0001", "25/11/2026 08:15", "2", "25/11/2026 17:00"),
]


def province_csv(lines=PROVINCE_LINES, header=("MaHoSo", "NgayTiepNhan", "TrangThaiHoSo", "NgayHenTra")) -> bytes:
    rows = [",".join(header), *(",".join(line) for line in lines)]
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")


def province_xlsx(lines=PROVINCE_LINES) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Ngày hẹn trả"])
    for line in lines:
        sheet.append(list(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data, filename", [(province_csv(), "tinh.csv"), (province_xlsx(), "tinh.xlsx")])
def test_reconciliation_finds_exactly_the_three_differences(november, data, filename):
    result = portal_reconcile.reconcile(parse("2026-11"), data, filename)
    assert result.matched == 3
    assert [(line.line, line.code) for line in result.missing_here] == [(5, "H56.22-261125-0001")]
    assert [dossier["code"] for dossier in result.missing_there] == ["000.00.20.H42-261028-0001"]
    assert result.differences == [
        portal_reconcile.Difference("H56.22-261110-0007", 3, "Trạng thái", "5 — Yêu cầu bổ sung giấy tờ", "4 — Đang xử lý"),
    ]


def test_reception_and_appointment_times_that_differ_are_named(november):
    lines = [
        ("000.00.20.H42-261102-0001", "20261102093000", "10", "03/11/2026"),
        ("H56.22-261110-0007", "10/11/2026 14:00", "5", ""),
        ("000.00.20.H42-261120-0001", "20/11/2026", "7", ""),
        ("000.00.20.H42-261028-0001", "28/10/2026 09:00", "4", "20261102170000"),
    ]
    result = portal_reconcile.reconcile(parse("2026-11"), province_csv(lines), "tinh.csv")
    assert result.missing_here == [] and result.missing_there == []
    assert [(item.line, item.what, item.ours, item.theirs) for item in result.differences] == [
        (2, "Thời gian tiếp nhận", "02/11/2026 08:30:00", "02/11/2026 09:30:00"),
        (2, "Ngày hẹn trả", "02/11/2026 17:00:00", "03/11/2026"),
    ]


def test_bad_lines_are_each_named(november):
    lines = [
        ("000.00.20.H42-261102-0001", "2026-11-02 08:30", "10", ""),
        ("H56.22-261110-0007", "10/11/2026 14:00", "11", ""),
        ("H56.22-261110-0007", "10/11/2026 14:00", "5", ""),
        ("", "20/11/2026", "7", ""),
        ("000.00.20.H42-261120-0001", "31/11/2026", "7", "tomorrow"),
        ("<script>", "20/11/2026", "7", ""),
    ]
    with pytest.raises(portal_reconcile.ReconcileError) as caught:
        portal_reconcile.reconcile(parse("2026-11"), province_csv(lines), "tinh.csv")
    assert caught.value.messages == [
        "Dòng 2, cột NgayTiepNhan: Không đọc được thời gian tiếp nhận «2026-11-02 08:30»: viết dạng 20261130090500 (yyyyMMddHHmmss) hoặc 30/11/2026 09:05.",
        "Dòng 3, cột TrangThaiHoSo: Trạng thái «11» không rõ: dùng mã của Cổng (1 đến 10) hoặc tên trạng thái, ví dụ «Đang xử lý».",
        "Dòng 5, cột MaHoSo: Thiếu mã hồ sơ.",
        "Dòng 6, cột NgayTiepNhan: Không đọc được thời gian tiếp nhận «31/11/2026»: viết dạng 20261130090500 (yyyyMMddHHmmss) hoặc 30/11/2026 09:05.",
        "Dòng 6, cột NgayHenTra: Không đọc được ngày hẹn trả «tomorrow»: viết dạng 20261130090500 (yyyyMMddHHmmss) hoặc 30/11/2026 09:05.",
        "Dòng 7, cột MaHoSo: Mã hồ sơ «<script>» không hợp lệ: chỉ gồm chữ, số và các dấu . - _ /, tối đa 60 ký tự.",
    ]


def test_duplicate_codes_name_both_lines(november):
    lines = [PROVINCE_LINES[0], PROVINCE_LINES[1], PROVINCE_LINES[0]]
    with pytest.raises(portal_reconcile.ReconcileError) as caught:
        portal_reconcile.reconcile(parse("2026-11"), province_csv(lines), "tinh.csv")
    assert caught.value.messages == ["Dòng 4, cột MaHoSo: Mã hồ sơ 000.00.20.H42-261102-0001 trùng với dòng 2."]


def post_file(auth, data: bytes, filename: str, **period):
    form = {**(period or NOVEMBER), "tep": (io.BytesIO(data), filename)}
    return auth.post("/thong-ke/doi-soat", data=form, content_type="multipart/form-data", token_from="/thong-ke/")


def test_reconciliation_page_shows_the_three_findings(november, auth):
    auth.login("lanh_dao")
    response = post_file(auth, province_csv(), "tinh.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Khớp 3 hồ sơ; thiếu ở phần mềm 1; thiếu ở hệ thống tỉnh 1; khác nhau 1." in page
    assert "H56.22-261125-0001" in page and "000.00.20.H42-261028-0001" in page
    assert "5 — Yêu cầu bổ sung giấy tờ" in page and "4 — Đang xử lý" in page


@pytest.mark.parametrize("data, filename, message", [
    (b"", "tinh.csv", "Tệp trống."),
    (b"\x00\x01\x02\xff" * 100, "tinh.csv", "không phải tệp CSV hay XLSX"),
    (b"PK\x03\x04 not really a zip", "tinh.xlsx", "không phải bảng tính XLSX hợp lệ"),
    ("Mã,Tên\r\nA,B\r\n".encode(), "tinh.csv", "Thiếu cột MaHoSo, NgayTiepNhan, TrangThaiHoSo"),
    ("MaHoSo,NgayTiepNhan,TrangThaiHoSo\r\n".encode(), "tinh.csv", "không có hồ sơ nào"),
    (b"%PDF-1.4", "tinh.pdf", "không phải tệp CSV hay XLSX"),
    (province_csv([("A-1", "2026/11/02", "2", "")]), "tinh.csv", "Không đọc được thời gian tiếp nhận «2026/11/02»"),
])
def test_bad_files_get_a_message_and_a_400(november, auth, data, filename, message):
    auth.login("quan_tri")
    response = post_file(auth, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_huge_file_is_refused_with_413(app, auth):
    auth.login("lanh_dao")
    response = post_file(auth, b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1), "tinh.csv")
    assert response.status_code == 413
    assert "Tệp tải lên quá lớn" in response.get_data(as_text=True)


def test_no_file_or_bad_period_is_a_400(november, auth):
    auth.login("lanh_dao")
    response = auth.post("/thong-ke/doi-soat", data=NOVEMBER, token_from="/thong-ke/")
    assert response.status_code == 400
    assert "Hãy chọn tệp CSV hoặc XLSX" in response.get_data(as_text=True)
    response = post_file(auth, province_csv(), "tinh.csv", loai="thang", nam="20x6", thang="11")
    assert response.status_code == 400


def test_reconciliation_needs_csrf(november, auth, client):
    auth.login("lanh_dao")
    response = client.post("/thong-ke/doi-soat", data={**NOVEMBER, "tep": (io.BytesIO(province_csv()), "tinh.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Khớp" not in response.get_data(as_text=True)


def test_download_gives_the_records_of_the_picked_period(november, auth):
    auth.login("lanh_dao")
    response = auth.client.get("/thong-ke/dong-bo", query_string={**NOVEMBER, "dinh_dang": "dvcqg"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment; filename=dong-bo-ho-so-2026-11.json" == response.headers["Content-Disposition"]
    assert response.data[:1] == b"{"
    assert json.loads(response.data) == {"data": expected(november)}
    response = auth.client.get("/thong-ke/dong-bo", query_string={**NOVEMBER, "dinh_dang": "csv"})
    assert response.status_code == 200 and response.data[:3] == b"\xef\xbb\xbf"
    response = auth.client.get("/thong-ke/dong-bo", query_string={**NOVEMBER, "dinh_dang": "xlsx"})
    assert response.status_code == 200 and response.data[:2] == b"PK"


@pytest.mark.parametrize("query, message", [
    ({**NOVEMBER, "dinh_dang": "pdf"}, "Định dạng tệp không hợp lệ"),
    ({"loai": "thang", "nam": "1999", "thang": "11", "dinh_dang": "csv"}, "Năm 1999 nằm ngoài khoảng"),
])
def test_download_refuses_bad_input(november, auth, query, message):
    auth.login("quan_tri")
    response = auth.client.get("/thong-ke/dong-bo", query_string=query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_figures_page_offers_the_downloads_and_warns_of_local_procedures(november, auth):
    Dossier.update(procedure_code="TL.KS01").where(Dossier.code == "000.00.20.H42-261102-0001").execute()
    auth.login("lanh_dao")
    page = auth.client.get("/thong-ke/", query_string=NOVEMBER).get_data(as_text=True)
    assert "Đồng bộ với Cổng Dịch vụ công quốc gia" in page
    assert "/thong-ke/dong-bo?dinh_dang=dvcqg" in page
    assert "Đăng ký khai sinh (mã TL.KS01): 1 hồ sơ" in page
    assert 'action="/thong-ke/doi-soat"' in page


@pytest.mark.parametrize("role", ["tiep_nhan", "chuyen_mon"])
def test_other_roles_are_refused(november, auth, role):
    auth.login(role)
    assert auth.client.get("/thong-ke/dong-bo", query_string=NOVEMBER).status_code == 403
    response = auth.client.post("/thong-ke/doi-soat", data={**NOVEMBER, "csrf_token": auth.csrf("/")})
    assert response.status_code == 403


def test_anonymous_is_sent_to_the_login(client):
    response = client.get("/thong-ke/dong-bo", query_string=NOVEMBER)
    assert response.status_code in (302, 303) and "/dang-nhap" in response.headers["Location"]


def test_reconcile_command_prints_the_three_findings(november, tmp_path):
    province = tmp_path / "tinh.csv"
    province.write_bytes(province_csv())
    env = dict(os.environ, DATABASE_URL=app_database_url(tmp_path))

    def run(*args):
        return subprocess.run([sys.executable, str(ROOT / "run.py"), "reconcile-dossiers", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    result = run("--period", "2026-11", str(province))
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "Đối soát Tháng 11/2026: khớp 3 hồ sơ.",
        "Thiếu ở phần mềm: dòng 5, mã H56.22-261125-0001, tiếp nhận 25/11/2026 08:15:00, trạng thái 2 — Được tiếp nhận.",
        "Thiếu ở hệ thống tỉnh: 000.00.20.H42-261028-0001, tiếp nhận 28/10/2026 09:00.",
        "Khác nhau: dòng 3, mã H56.22-261110-0007, trạng thái: phần mềm 5 — Yêu cầu bổ sung giấy tờ, tệp của tỉnh 4 — Đang xử lý.",
    ]
    province.write_bytes(province_csv([PROVINCE_LINES[0], PROVINCE_LINES[0]]))
    result = run("--period", "2026-11", str(province))
    assert result.returncode == 2
    assert "Lỗi: Dòng 3, cột MaHoSo: Mã hồ sơ 000.00.20.H42-261102-0001 trùng với dòng 2." in result.stderr
    result = run("--period", "2026-Q9", str(province))
    assert result.returncode == 2 and "Quý 9 không hợp lệ" in result.stderr and "Traceback" not in result.stderr
