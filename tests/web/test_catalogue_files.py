"""Catalogue import and export: from the admin page and from run.py, all or nothing, exact round trip."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app import create_app
from app.db import database
from app.migrations import migrate
from app.models import Field, Procedure, User
from app.services.catalogue import SEED_FILE, all_specs, seed_if_empty
from tests.conftest import _HASH, Auth

ROOT = Path(__file__).resolve().parents[2]
IMPORT = "/quan-tri/thu-tuc/nhap"


def upload(auth, data: bytes, filename: str):
    return auth.post(IMPORT, data={"tep": (io.BytesIO(data), filename)}, token_from=IMPORT, content_type="multipart/form-data")


def seeded_specs():
    with database.connection_context():
        seed_if_empty()
        return all_specs()


def empty_center(tmp_path):
    """A second center on its own empty database, with its administrator logged in."""
    other = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "SECRET_KEY": "y" * 64})
    with database.connection_context():
        migrate(database)
        User.create(username="quantri", full_name="Quản trị", password_hash=_HASH, roles_text="quan_tri")
    auth = Auth(other.test_client())
    auth.login("quan_tri")
    return auth


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_of_a_seeded_center_imported_into_an_empty_one_reproduces_it(client, auth, tmp_path, file_format):
    specs = seeded_specs()
    auth.login("quan_tri")
    response = client.get(f"/quan-tri/thu-tuc/xuat?dinh_dang={file_format}")
    assert response.status_code == 200
    assert f".{file_format}\"" in response.headers["Content-Disposition"]
    exported = response.get_data()

    other = empty_center(tmp_path)
    response = upload(other, exported, f"danh-muc.{file_format}")
    assert response.status_code == 303, response.get_data(as_text=True)
    with database.connection_context():
        assert all_specs() == specs
        assert Procedure.select().count() == len(specs)


def test_exported_workbook_has_the_header_and_one_row_per_procedure(client, auth):
    specs = seeded_specs()
    auth.login("quan_tri")
    workbook = load_workbook(io.BytesIO(client.get("/quan-tri/thu-tuc/xuat?dinh_dang=xlsx").get_data()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("ma_thu_tuc", "ten_thu_tuc", "linh_vuc")
    assert len(rows) == len(specs) + 1


def test_import_updates_existing_and_reports_counts(client, auth):
    seeded_specs()
    auth.login("quan_tri")
    text = SEED_FILE.read_text(encoding="utf-8-sig").replace("Đăng ký khai sinh,", "Đăng ký khai sinh (đúng hạn),", 1)
    response = upload(auth, text.encode("utf-8"), "sua.csv")
    assert response.status_code == 303
    page = client.get("/quan-tri/thu-tuc").get_data(as_text=True)
    # Only the row that really changed is counted as changed; the others said what was stored.
    with database.connection_context():
        total = Procedure.select().count()
    assert f"0 thủ tục thêm mới, 1 thủ tục thay đổi, {total - 1} thủ tục không đổi." in page
    with database.connection_context():
        assert Procedure.get(Procedure.code == "1.001193").name == "Đăng ký khai sinh (đúng hạn)"



def test_a_file_with_errors_changes_nothing_and_names_line_and_column(client, auth):
    seeded_specs()
    auth.login("quan_tri")
    header = SEED_FILE.read_text(encoding="utf-8-sig").splitlines()[0]
    good = "9.000001,Thủ tục mới,Tư pháp,3,ngay_lam_viec,,,,co_dinh,10000,,,,100,0,,,,,0,1,1,,,"
    bad = "9.000002,Thủ tục sai,Tư pháp,-3,,,,,co_dinh,-10000,,,,100,0,,,,,0,1,1,01/07/2026,30/06/2026,"
    response = upload(auth, f"{header}\n{good}\n{bad}\n".encode("utf-8"), "sai.csv")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Tệp chưa được nhập" in page
    assert "<td>3</td><td>thoi_han_ngay</td><td>Phải lớn hơn hoặc bằng 0.</td>" in page
    assert "<td>3</td><td>muc_phi</td><td>Mức phí không được âm.</td>" in page
    assert "<td>3</td><td>hieu_luc_den</td>" in page
    with database.connection_context():
        assert Procedure.get_or_none(Procedure.code == "9.000001") is None
        assert Field.get_or_none(Field.name == "Tư pháp") is None


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "anh.png", "không phải tệp CSV hay XLSX"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 40, "cu.xls", "Excel 97–2003 (.xls) không được hỗ trợ"),
        (b"PK\x03\x04 not really a zip", "hong.xlsx", "Tệp không phải bảng tính XLSX hợp lệ."),
        ("mã,tên\n1,2\n".encode("utf-8"), "sai-cot.csv", "Cột «mã» không thuộc mẫu danh mục thủ tục."),
        ("ma_thu_tuc,ten_thu_tuc\n".encode("cp1258"), "thieu.csv", "Thiếu cột «linh_vuc»."),
        (b"", "rong.csv", "Tệp trống."),
    ],
)
def test_files_that_are_not_a_catalogue_are_refused_with_nothing_changed(client, auth, data, filename, message):
    before = seeded_specs()
    auth.login("quan_tri")
    response = upload(auth, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with database.connection_context():
        assert all_specs() == before


def test_import_without_a_file_asks_for_one(client, auth):
    auth.login("quan_tri")
    response = auth.post(IMPORT, token_from=IMPORT)
    assert response.status_code == 400
    assert "Hãy chọn một tệp CSV hoặc XLSX." in response.get_data(as_text=True)


def test_a_50_mb_upload_is_refused_with_the_limit_in_vietnamese(client, auth):
    auth.login("quan_tri")
    token = auth.csrf(IMPORT)
    # The size is refused from the Content-Length alone, before any of the body is read.
    response = client.post(
        IMPORT,
        input_stream=io.BytesIO(b"--x--\r\n"),
        content_type="multipart/form-data; boundary=x",
        headers={"X-CSRFToken": token},
        environ_overrides={"CONTENT_LENGTH": str(50 * 1024 * 1024)},
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Tệp tải lên quá lớn: chỉ nhận tệp tối đa 20 MB." in page


def test_export_refuses_an_unknown_format(client, auth):
    auth.login("quan_tri")
    response = client.get("/quan-tri/thu-tuc/xuat?dinh_dang=pdf")
    assert response.status_code == 400
    assert "csv hoặc xlsx" in response.get_data(as_text=True)


def run(tmp_path, name, *args):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / name}")
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_command_line_round_trip_between_two_databases(tmp_path):
    first = run(tmp_path, "a.sqlite3", "import-procedures", str(SEED_FILE))
    assert first.returncode == 0, first.stderr
    assert "thủ tục thêm mới, 0 thủ tục thay đổi, 0 thủ tục không đổi." in first.stdout
    again = run(tmp_path, "a.sqlite3", "import-procedures", str(SEED_FILE))
    assert "0 thủ tục thêm mới, 0 thủ tục thay đổi," in again.stdout
    assert run(tmp_path, "a.sqlite3", "export-procedures", "a.xlsx").returncode == 0
    imported = run(tmp_path, "b.sqlite3", "import-procedures", "a.xlsx")
    assert imported.returncode == 0, imported.stderr
    assert run(tmp_path, "a.sqlite3", "export-procedures", "a.csv").returncode == 0
    assert run(tmp_path, "b.sqlite3", "export-procedures", "b.csv").returncode == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_command_line_errors_name_line_and_column_and_exit_non_zero(tmp_path):
    header = SEED_FILE.read_text(encoding="utf-8-sig").splitlines()[0]
    (tmp_path / "sai.csv").write_text(f"{header}\n9.000002,Thủ tục sai,Tư pháp,ba,,,,,co_dinh,10000,,,,100,0,,,,,0,1,1,,,\n", encoding="utf-8")
    result = run(tmp_path, "c.sqlite3", "import-procedures", "sai.csv")
    assert result.returncode == 1
    assert "Dòng 2, cột thoi_han_ngay: «ba» không phải số nguyên." in result.stderr
    missing = run(tmp_path, "c.sqlite3", "import-procedures", "khong-co.csv")
    assert missing.returncode == 1 and "không tìm thấy tệp" in missing.stderr
    wrong = run(tmp_path, "c.sqlite3", "export-procedures", "danh-muc.pdf")
    assert wrong.returncode == 2 and "đuôi .csv hoặc .xlsx" in wrong.stderr
    for command in ("import-procedures", "export-procedures"):
        assert run(tmp_path, "c.sqlite3", command, "--help").returncode == 0
