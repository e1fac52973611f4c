"""`run.py export-dossiers` and the download on /thong-ke: a whole period against records written by hand."""
import csv
import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.models import Dossier
from app.rules.periods import parse
from app.rules.status import Action
from app.services import portal_export
from app.services.dossiers import act
from tests.conftest import app_database_url, user

ROOT = Path(__file__).resolve().parents[2]
dt = datetime.datetime
UNIT = "UBND XÃ THẠCH HÀ"
COPY_NAME = (
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam, "
    "của nước ngoài cấp hoặc chứng nhận"
)


def portal_record(**values):
    """A record with the fields every dossier below shares; each test names only what differs."""
    shared = {
        "MaLinhVuc": "", "LoaiDoiTuong": "1", "SoDienThoai": "0912345678", "Email": "", "NgayTra": "", "HinhThuc": "0",
        "NgayKetThucXuLy": "", "DonViXuLy": UNIT, "DanhSachLePhi": [], "DanhSachHoSoBoSung": [],
    }
    record = shared | values
    order = [
        "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "ChuHoSo", "LoaiDoiTuong", "SoDienThoai", "Email",
        "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "NgayTra", "HinhThuc", "NgayKetThucXuLy",
        "DonViXuLy", "DanhSachLePhi", "DanhSachHoSoBoSung",
    ]
    return {name: record[name] for name in order}


# November 2026, computed by hand from the story in `november` below: oldest reception first.
EXPECTED_NOVEMBER = [
    # Received 28/10 (Wed), 3 working days: due Mon 02/11 17:00; still processing, so open in November.
    portal_record(
        MaHoSo="000.00.20.H42-261028-0001", MaTTHC="1.004873", TenTTHC="Cấp Giấy xác nhận tình trạng hôn nhân",
        TenLinhVuc="Hộ tịch", ChuHoSo="Lê Văn Cường", TrichYeuHoSo="Cấp Giấy xác nhận tình trạng hôn nhân",
        NgayTiepNhan="20261028090000", NgayHenTra="20261102170000", TrangThaiHoSo="4",
        DanhSachLePhi=[{"TenPhiLePhi": "Phí, lệ phí", "Gia": 15000}],
    ),
    # A birth registered in time (free), same day: approved at 10:00, handed over at 15:00.
    portal_record(
        MaHoSo="000.00.20.H42-261102-0001", MaTTHC="1.001193", TenTTHC="Đăng ký khai sinh", TenLinhVuc="Hộ tịch",
        ChuHoSo="Nguyễn Văn An", TrichYeuHoSo="Đăng ký khai sinh", NgayTiepNhan="20261102083000",
        NgayHenTra="20261102170000", TrangThaiHoSo="10", NgayTra="20261102150000", NgayKetThucXuLy="20261102100000",
    ),
    # Online, with the province's code, result by post; 3 pages = 2.000 + 2.000 + 1.000 đ; waiting for documents.
    portal_record(
        MaHoSo="H56.22-261110-0007", MaTTHC="2.000815", TenTTHC=COPY_NAME, TenLinhVuc="Chứng thực", ChuHoSo="Trần Thị Bình",
        TrichYeuHoSo=COPY_NAME, NgayTiepNhan="20261110140000", NgayHenTra="20261110170000", TrangThaiHoSo="5", HinhThuc="1",
        DanhSachLePhi=[{"TenPhiLePhi": "Phí, lệ phí", "Gia": 5000}],
        DanhSachHoSoBoSung=[{
            "HoSoBoSungId": "SUPPLEMENT", "NguoiYeuCauBoSung": "Cán bộ lanhdao", "NoiDungBoSung": "Thiếu bản chính giấy khai sinh",
            "NgayBoSung": "20261110150000", "NgayTiepNhanBoSung": "", "NgayHenTraTruoc": "", "NgayHenTraMoi": "",
        }],
    ),
    # Withdrawn an hour after reception.
    portal_record(
        MaHoSo="000.00.20.H42-261120-0001", MaTTHC="2.000908", TenTTHC="Cấp bản sao từ sổ gốc", TenLinhVuc="Chứng thực",
        ChuHoSo="Hoàng Thị Em", Email="em@example.vn", TrichYeuHoSo="Cấp bản sao từ sổ gốc", NgayTiepNhan="20261120100000",
        NgayHenTra="20261120170000", TrangThaiHoSo="7", NgayKetThucXuLy="20261120110000",
    ),
]


@pytest.fixture
def november(make_dossier):
    """Five dossiers: four belong to November 2026, one was received and handed over in October."""
    leader, receiver = user("lanh_dao"), user("tiep_nhan")
    born = make_dossier("1.001193", received_at=dt(2026, 11, 2, 8, 30))
    act(born, Action.START, leader, at=dt(2026, 11, 2, 9, 0))
    act(born, Action.APPROVE, leader, at=dt(2026, 11, 2, 10, 0))
    act(born, Action.HAND_OVER, receiver, at=dt(2026, 11, 2, 15, 0))
    copy = make_dossier(
        "2.000815", received_at=dt(2026, 11, 10, 14, 0), name="Trần Thị Bình", fee_inputs={"pages": 3},
        portal_code="H56.22-261110-0007", channel="truc_tuyen", return_method="buu_chinh",
    )
    act(copy, Action.START, leader, at=dt(2026, 11, 10, 14, 30))
    act(copy, Action.REQUEST_DOCUMENTS, leader, note="Thiếu bản chính giấy khai sinh", at=dt(2026, 11, 10, 15, 0))
    status = make_dossier("1.004873", received_at=dt(2026, 10, 28, 9, 0), name="Lê Văn Cường", fee_inputs={"copies": 1})
    act(status, Action.START, leader, at=dt(2026, 10, 28, 10, 0))
    october = make_dossier("1.001193", received_at=dt(2026, 10, 15, 9, 0), name="Phạm Văn Dũng")
    act(october, Action.START, leader, at=dt(2026, 10, 15, 9, 30))
    act(october, Action.APPROVE, leader, at=dt(2026, 10, 15, 10, 0))
    act(october, Action.HAND_OVER, receiver, at=dt(2026, 10, 20, 8, 0))
    withdrawn = make_dossier("2.000908", received_at=dt(2026, 11, 20, 10, 0), name="Hoàng Thị Em", email="em@example.vn")
    act(withdrawn, Action.WITHDRAW, receiver, note="Công dân xin rút", at=dt(2026, 11, 20, 11, 0))
    return copy


def expected(copy_dossier) -> list[dict]:
    from app.models import DossierEvent

    request = DossierEvent.get((DossierEvent.dossier == copy_dossier) & (DossierEvent.action == "request_documents"))
    records = json.loads(json.dumps(EXPECTED_NOVEMBER))
    records[2]["DanhSachHoSoBoSung"][0]["HoSoBoSungId"] = str(request.id)
    return records


def test_a_whole_period_matches_the_records_computed_by_hand(november):
    export = portal_export.build(parse("2026-11"))
    assert export.records == expected(november)
    assert export.warnings == []
    assert json.loads(portal_export.to_json(export)) == {"data": expected(november)}


def test_october_holds_the_dossiers_open_in_it_but_not_later_ones(november):
    codes = [record["MaHoSo"] for record in portal_export.build(parse("2026-10")).records]
    assert codes == ["000.00.20.H42-261015-0001", "000.00.20.H42-261028-0001"]
    # In December only what is still open: the one processing and the one waiting for documents.
    codes = [record["MaHoSo"] for record in portal_export.build(parse("2026-12")).records]
    assert codes == ["000.00.20.H42-261028-0001", "H56.22-261110-0007"]


def test_a_local_procedure_code_is_exported_empty_with_a_warning(november):
    Dossier.update(procedure_code="TL.KS01").where(Dossier.code == "000.00.20.H42-261102-0001").execute()
    export = portal_export.build(parse("2026-11"))
    assert export.records[1]["MaTTHC"] == ""
    assert export.warnings == [
        "Hồ sơ 000.00.20.H42-261102-0001: thủ tục «Đăng ký khai sinh» có mã TL.KS01, không phải mã thủ tục quốc gia; "
        "MaTTHC để trống, cần bổ sung trên hệ thống của tỉnh."
    ]


def test_csv_and_xlsx_have_the_same_columns_and_no_formula(november):
    Dossier.update(applicant_name="=HYPERLINK(\"http://x\")").where(Dossier.code == "000.00.20.H42-261102-0001").execute()
    export = portal_export.build(parse("2026-11"))
    data = portal_export.to_csv(export)
    assert data[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(EXPECTED_NOVEMBER[0])
    assert len(rows) == 5
    assert rows[2][rows[0].index("ChuHoSo")] == "'=HYPERLINK(\"http://x\")"
    assert rows[3][rows[0].index("NgayTiepNhan")] == "20261110140000"
    assert json.loads(rows[1][rows[0].index("DanhSachLePhi")]) == [{"TenPhiLePhi": "Phí, lệ phí", "Gia": 15000}]
    sheet = load_workbook(io.BytesIO(portal_export.to_xlsx(export))).active
    assert [cell.value for cell in sheet[1]] == list(EXPECTED_NOVEMBER[0])
    assert sheet.cell(row=3, column=6).value == "=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=3, column=6).data_type == "s"
    assert sheet.cell(row=3, column=11).value == "20261102083000"


def run(database_file, *args):
    env = dict(os.environ, DATABASE_URL=app_database_url(database_file.parent))
    return subprocess.run([sys.executable, str(ROOT / "run.py"), "export-dossiers", *args], cwd=database_file.parent, env=env, capture_output=True, text=True, timeout=120)


def test_command_writes_json_without_bom_and_warns_on_stderr(november, tmp_path):
    records = expected(november)
    Dossier.update(procedure_code="TL.KS01").where(Dossier.code == "000.00.20.H42-261102-0001").execute()
    records[1]["MaTTHC"] = ""
    out = tmp_path / "dong-bo.json"
    result = run(tmp_path / "test.sqlite3", "--period", "2026-11", "--format", "dvcqg", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:1] == b"{"
    assert json.loads(out.read_bytes().decode("utf-8")) == {"data": records}
    assert "Cảnh báo: Hồ sơ 000.00.20.H42-261102-0001" in result.stderr
    assert "Đã ghi 4 hồ sơ (Tháng 11/2026)" in result.stdout
    out = tmp_path / "dong-bo.xlsx"
    assert run(tmp_path / "test.sqlite3", "--period", "2026-11", "--format", "xlsx", "--out", str(out)).returncode == 0
    assert load_workbook(out).active.max_row == 5


@pytest.mark.parametrize(
    "args, message",
    [
        (["--period", "2026-Q5", "--out", "x.json"], "Quý 5 không hợp lệ"),
        (["--period", "thang 11", "--out", "x.json"], "Không đọc được kỳ báo cáo"),
        (["--period", "2026-11", "--format", "pdf", "--out", "x.pdf"], "invalid choice"),
        (["--period", "2026-11"], "--out"),
    ],
)
def test_bad_input_is_refused_without_traceback(app, tmp_path, args, message):
    result = run(tmp_path / "test.sqlite3", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
