"""The administration's logbook upload and `run.py import-dossiers`: all or nothing, errors by line and column."""
import io
import os
import subprocess
import sys
from pathlib import Path

from app.models import Dossier
from tests.conftest import app_database_url

ROOT = Path(__file__).resolve().parents[2]
GOOD = (
    "ma_ho_so,ma_thu_tuc,ho_ten,thoi_gian_tiep_nhan,thoi_gian_hen_tra,thoi_gian_co_ket_qua\n"
    "A-1,2.000815,Nguyễn Văn An,10/09/2025 08:00,10/09/2025 17:00,10/09/2025 10:00\n"
    "A-2,1.004873,Trần Thị Bình,11/09/2025 08:00,16/09/2025 17:00,\n"
)
BAD = GOOD + "A-3,9.999999,Lê Văn Cường,12/09/2025 08:00,12/09/2025 17:00,\n"


def upload(auth, content: str, filename="so.csv"):
    return auth.post("/quan-tri/nhap-ho-so", data={"tep": (io.BytesIO(content.encode("utf-8")), filename)}, content_type="multipart/form-data", token_from="/quan-tri/nhap-ho-so")


def test_only_the_administrator_imports(client, auth, catalogue):
    auth.login("lanh_dao")
    assert client.get("/quan-tri/nhap-ho-so").status_code == 403
    auth.logout()
    auth.login("quan_tri")
    page = client.get("/quan-tri/nhap-ho-so").get_data(as_text=True)
    assert "Nhập hồ sơ cũ từ sổ theo dõi" in page
    assert "Nhập hồ sơ cũ" in client.get("/quan-tri/").get_data(as_text=True)


def test_upload_then_the_same_file_again(client, auth, catalogue):
    auth.login("quan_tri")
    response = upload(auth, GOOD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/quan-tri/nhap-ho-so")
    assert "2 hồ sơ mới, 0 hồ sơ đã có" in client.get("/quan-tri/nhap-ho-so").get_data(as_text=True)
    assert upload(auth, GOOD).status_code == 303
    assert "0 hồ sơ mới, 2 hồ sơ đã có" in client.get("/quan-tri/nhap-ho-so").get_data(as_text=True)
    assert Dossier.select().count() == 2


def test_bad_file_saves_nothing_and_names_line_and_column(client, auth, catalogue):
    auth.login("quan_tri")
    response = upload(auth, BAD)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tệp chưa được nhập: 1 lỗi" in html
    assert "<td>4</td><td>ma_thu_tuc</td>" in html and "Mã thủ tục 9.999999 không có trong danh mục" in html
    assert Dossier.select().count() == 0


def test_missing_file_is_refused(client, auth, catalogue):
    auth.login("quan_tri")
    response = auth.post("/quan-tri/nhap-ho-so", token_from="/quan-tri/nhap-ho-so")
    assert response.status_code == 400
    assert "Hãy chọn một tệp CSV hoặc XLSX." in response.get_data(as_text=True)


def run(database_file, *args):
    env = dict(os.environ, DATABASE_URL=app_database_url(database_file.parent))
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=database_file.parent, env=env, capture_output=True, text=True, timeout=120)


def test_command_imports_and_refuses(tmp_path, catalogue):
    database_file = tmp_path / "test.sqlite3"
    (tmp_path / "so.csv").write_text(GOOD, encoding="utf-8-sig")
    (tmp_path / "sai.csv").write_text(BAD, encoding="utf-8")
    refused = run(database_file, "import-dossiers", str(tmp_path / "sai.csv"))
    assert refused.returncode == 1
    assert "Dòng 4, cột ma_thu_tuc: Mã thủ tục 9.999999 không có trong danh mục" in refused.stderr
    done = run(database_file, "import-dossiers", str(tmp_path / "so.csv"))
    assert done.returncode == 0, done.stderr
    assert "2 hồ sơ mới, 0 hồ sơ đã có từ trước" in done.stdout
    again = run(database_file, "import-dossiers", str(tmp_path / "so.csv"))
    assert "0 hồ sơ mới, 2 hồ sơ đã có từ trước" in again.stdout
    assert run(database_file, "import-dossiers", str(tmp_path / "khong-co.csv")).returncode == 1


HEADER = "ma_ho_so,ma_thu_tuc,ho_ten,thoi_gian_tiep_nhan,thoi_gian_hen_tra\n"


def test_a_file_of_junk_lines_shows_a_hundred_errors_and_the_count_of_the_others(client, auth, catalogue):
    junk = HEADER + "".join(f"B-{number},2.000815,Nguyễn Văn An,ngày {number},10/09/2025\n" for number in range(250))
    auth.login("quan_tri")
    response = upload(auth, junk)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tệp chưa được nhập: 250 lỗi" in page
    assert page.count("Không đọc được thời gian") == 100
    assert "… và 150 lỗi khác." in page
    assert Dossier.select().count() == 0


def test_a_file_beyond_the_row_limit_is_refused_and_nothing_is_saved(client, auth, catalogue, monkeypatch):
    from app.rules.catalogue_file import FileLimits
    from app.services import dossier_import

    monkeypatch.setattr(dossier_import, "LIMITS", FileLimits(max_rows=4, max_unzipped_bytes=10**6))
    auth.login("quan_tri")
    lines = "".join(f"C-{number},2.000815,Nguyễn Văn An,10/09/2025 08:00,10/09/2025 17:00\n" for number in range(4))
    response = upload(auth, HEADER + lines)
    assert response.status_code == 400
    assert "Tệp có hơn 4 dòng" in response.get_data(as_text=True)
    assert Dossier.select().count() == 0
    assert upload(auth, HEADER + lines[: lines.index("C-3")]).status_code == 303
    assert Dossier.select().count() == 3


def test_import_saves_in_batches_and_skips_codes_already_there(client, auth, catalogue, monkeypatch):
    from app.services import dossier_import

    monkeypatch.setattr(dossier_import, "_BATCH", 2)
    lines = [f"D-{number},2.000815,Nguyễn Văn An,10/09/2025 08:00,10/09/2025 17:00\n" for number in range(5)]
    auth.login("quan_tri")
    assert upload(auth, HEADER + "".join(lines[:3])).status_code == 303
    assert upload(auth, HEADER + "".join(lines)).status_code == 303
    assert "2 hồ sơ mới, 3 hồ sơ đã có" in client.get("/quan-tri/nhap-ho-so").get_data(as_text=True)
    assert sorted(code for (code,) in Dossier.select(Dossier.code).tuples()) == [f"D-{number}" for number in range(5)]


def test_a_file_beyond_the_row_limit_is_refused_before_any_line_is_checked(catalogue, monkeypatch):
    import pytest

    from app.rules.catalogue_file import FileLimits
    from app.services import dossier_import

    checked = []
    monkeypatch.setattr(dossier_import, "LIMITS", FileLimits(max_rows=10, max_unzipped_bytes=10**6))
    monkeypatch.setattr(dossier_import, "_check_line", lambda *args: checked.append(args))
    junk = HEADER + "".join(f"E-{number},2.000815,Nguyễn Văn An,ngày {number},10/09/2025\n" for number in range(50))
    with pytest.raises(dossier_import.DossierImportError) as refused:
        dossier_import.import_dossiers(junk.encode(), "so.csv")
    assert "Tệp có hơn 10 dòng" in str(refused.value)
    assert checked == []
