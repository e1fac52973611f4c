"""Importing an old logbook: a round trip, the same file twice, and the bad files people really have."""
import datetime
import io

import pytest
from openpyxl import Workbook

from app.models import DaySequence, Dossier, DossierEvent
from app.rules.status import Status
from app.services import statistics
from app.services.dossier_import import DossierImportError, import_dossiers, parse_time

HEADER = "ma_ho_so,ma_thu_tuc,ho_ten,so_dinh_danh,dien_thoai,dia_chi,kenh,thoi_gian_tiep_nhan,thoi_gian_hen_tra,thoi_gian_co_ket_qua,thoi_gian_tra,trang_thai"
LOGBOOK = "\n".join([
    HEADER,
    "H42-001,2.000815,Nguyễn Văn An,001203012345,+84 912 345 678,Thôn Trung Tiết,truc_tiep,10/09/2025 08:00,10/09/2025 17:00,10/09/2025 10:30,11/09/2025 09:00,",
    "H42-002,1.004873,Trần Thị Bình,,,,truc_tuyen,2025-09-25T09:00,30/09/2025,,,",
    "H42-003,1.004873,Lê Văn Cường,,,,tai_nha,22/09/2025 08:00,25/09/2025 17:00,24/09/2025 16:00,,Từ chối giải quyết",
    "H42-004,2.000815,Phạm Thị Dung,,,,,23/09/2025 08:00,23/09/2025 17:00,,,withdrawn",
]) + "\n"


def test_round_trip_then_the_same_file_adds_nothing(catalogue):
    result = import_dossiers(LOGBOOK.encode("utf-8"), "so-theo-doi.csv")
    assert (result.added, result.already_there) == (4, 0)
    dossiers = {dossier.code: dossier for dossier in Dossier.select()}
    returned = dossiers["H42-001"]
    assert returned.status == Status.RETURNED and returned.imported
    assert (returned.resolved_at, returned.returned_at) == (datetime.datetime(2025, 9, 10, 10, 30), datetime.datetime(2025, 9, 11, 9, 0))
    assert returned.phone == "0912345678" and returned.id_number == "001203012345" and returned.applicant_key == "nguyen van an"
    assert len(returned.token) >= 22 and len(returned.lookup_code) == 4
    assert len({dossier.token for dossier in dossiers.values()}) == 4
    assert dossiers["H42-002"].status == Status.PROCESSING and dossiers["H42-002"].channel == "truc_tuyen"
    assert dossiers["H42-002"].due_at == datetime.datetime(2025, 9, 30)
    assert dossiers["H42-003"].status == Status.REFUSED and dossiers["H42-003"].field.name == "Hộ tịch"
    assert dossiers["H42-004"].status == Status.WITHDRAWN and dossiers["H42-004"].closed_at == datetime.datetime(2025, 9, 23, 8, 0)
    events = list(DossierEvent.select().where(DossierEvent.action == "import"))
    assert len(events) == 4 and "so-theo-doi.csv, dòng 2" in events[0].note

    again = import_dossiers(LOGBOOK.encode("utf-8-sig"), "so-theo-doi.csv")
    assert (again.added, again.already_there) == (0, 4)
    assert Dossier.select().count() == 4

    total = statistics.figures(datetime.date(2025, 9, 1), datetime.date(2025, 9, 30))["total"]
    assert (total["received"], total["resolved"], total["on_time"], total["early"], total["refused"], total["withdrawn"], total["in_progress_overdue"]) == (4, 2, 1, 1, 1, 1, 1)


def test_xlsx_logbook_with_real_date_cells(catalogue):
    book = Workbook()
    sheet = book.active
    sheet.append(["ma_ho_so", "ma_thu_tuc", "ho_ten", "thoi_gian_tiep_nhan", "thoi_gian_hen_tra", "thoi_gian_co_ket_qua"])
    sheet.append(["X-1", "2.000815", "Nguyễn Văn An", datetime.datetime(2025, 9, 10, 8, 0), datetime.datetime(2025, 9, 10, 17, 0), datetime.datetime(2025, 9, 11, 9, 0)])
    out = io.BytesIO()
    book.save(out)
    assert import_dossiers(out.getvalue(), "so.xlsx").added == 1
    dossier = Dossier.get(Dossier.code == "X-1")
    assert dossier.status == Status.RESULT_READY and dossier.resolved_at == datetime.datetime(2025, 9, 11, 9, 0)


def test_imported_code_of_today_keeps_the_counter_numbers_apart(make_dossier):
    today = datetime.date(2026, 11, 30)
    code = f"000.00.20.H42-{today:%y%m%d}-0007"
    import_dossiers(f"ma_ho_so,ma_thu_tuc,ho_ten,thoi_gian_tiep_nhan,thoi_gian_hen_tra\n{code},2.000815,An,30/11/2026 07:40,30/11/2026 17:00\n".encode(), "a.csv")
    assert DaySequence.get(DaySequence.day == today).last == 7
    assert make_dossier(received_at=datetime.datetime(2026, 11, 30, 9, 0)).code.endswith("-0008")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("25/09/2025 08:30", datetime.datetime(2025, 9, 25, 8, 30)),
        ("25/09/2025", datetime.datetime(2025, 9, 25)),
        ("2025-09-25T08:30:00", datetime.datetime(2025, 9, 25, 8, 30)),
        ("2025-09-25T01:30:00+00:00", datetime.datetime(2025, 9, 25, 8, 30)),
        ("2025-09-25", datetime.datetime(2025, 9, 25)),
        ("31/02/2025", None),
        ("hôm qua", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


MINIMAL = "ma_ho_so,ma_thu_tuc,ho_ten,thoi_gian_tiep_nhan,thoi_gian_hen_tra,thoi_gian_co_ket_qua,trang_thai,kenh"


@pytest.mark.parametrize(
    "content, message",
    [
        (f"{MINIMAL}\nA-1,9.999999,An,10/09/2025 08:00,10/09/2025 17:00,,,", "Dòng 2, cột ma_thu_tuc: Mã thủ tục 9.999999 không có trong danh mục"),
        (f"{MINIMAL}\nA-1,2.000815,An,10/09/2025 08:00,10/09/2025 17:00,09/09/2025 10:00,,", "Dòng 2, cột thoi_gian_co_ket_qua: Thời gian có kết quả trước thời gian tiếp nhận"),
        (f"{MINIMAL}\nA-1,2.000815,An,10/09/2025 08:00,10/09/2025 17:00,,,\nA-1,2.000815,Bình,11/09/2025 08:00,11/09/2025 17:00,,,", "Dòng 3, cột ma_ho_so: Mã hồ sơ A-1 trùng với dòng 2"),
        (f"{MINIMAL}\nA-1,2.000815,,10/09/2025 08:00,10/09/2025 17:00,,,", "Dòng 2, cột ho_ten: Không được để trống"),
        (f"{MINIMAL}\nA-1,2.000815,An,10/09/2025 25:00,10/09/2025 17:00,,,", "Dòng 2, cột thoi_gian_tiep_nhan: Không đọc được thời gian"),
        (f"{MINIMAL}\nA-1,2.000815,An,10/09/2025 08:00,09/09/2025 17:00,,,", "Dòng 2, cột thoi_gian_hen_tra: Thời gian hẹn trả trước thời gian tiếp nhận"),
        (f"{MINIMAL}\nA-1,2.000815,An,10/09/2025 08:00,10/09/2025 17:00,,,xe_buyt", "Dòng 2, cột kenh: Kênh «xe_buyt» không hợp lệ"),
        (f"{MINIMAL}\nA-1,2.000815,An,10/09/2025 08:00,10/09/2025 17:00,,refused,", "Dòng 2, cột thoi_gian_co_ket_qua: Trạng thái «Từ chối giải quyết» cần thời gian có kết quả"),
        (f"{MINIMAL}\nA-1,2.000815,An,10/09/2025 08:00,10/09/2025 17:00,10/09/2025 09:00,processing,", "Dòng 2, cột trang_thai: Hồ sơ có thời gian có kết quả nhưng trạng thái là «Đang giải quyết»"),
        (f"{MINIMAL}\nA-1,2.000815,An,10/09/2025 08:00,10/09/2025 17:00,,đã xong,", "Dòng 2, cột trang_thai: Trạng thái «đã xong» không hợp lệ"),
        ("ma_ho_so,ma_thu_tuc,ho_ten,thoi_gian_tiep_nhan\nA-1,2.000815,An,10/09/2025 08:00", "Dòng 1, cột thoi_gian_hen_tra: Thiếu cột bắt buộc"),
        (f"{MINIMAL},ghi_chu\nA-1,2.000815,An,10/09/2025 08:00,10/09/2025 17:00,,,,x", "Dòng 1, cột ghi_chu: Cột không được hỗ trợ"),
        (f"{MINIMAL}\n", "không có hồ sơ nào"),
        ("", "Tệp trống"),
        ("\ufeff\r\n", "Tệp trống"),
    ],
)
def test_bad_files_are_refused_whole(catalogue, content, message):
    # A good line before the bad one: it is not saved either.
    lines = content.split("\n", 1)
    if len(lines) == 2 and lines[1].strip() and "cột Cột" not in message and "Dòng 1" not in message:
        content = f"{lines[0]}\nB-1,2.000815,Bình,10/09/2025 08:00,10/09/2025 17:00,,,\n{lines[1]}"
        message = message.replace("Dòng 3", "Dòng 4").replace("dòng 2", "dòng 3").replace("Dòng 2", "Dòng 3")
    with pytest.raises(DossierImportError) as refused:
        import_dossiers(content.encode("utf-8"), "so.csv")
    assert any(message in text for text in refused.value.messages), refused.value.messages
    assert Dossier.select().count() == 0


def test_windows_1258_file_is_refused_with_the_way_out(catalogue):
    data = f"{MINIMAL}\nA-1,2.000815,Lê Văn Ân,10/09/2025 08:00,10/09/2025 17:00,,,\n".encode("cp1258")
    with pytest.raises(DossierImportError) as refused:
        import_dossiers(data, "so.csv")
    assert "Windows-1258" in str(refused.value) and "CSV UTF-8" in str(refused.value)
    assert Dossier.select().count() == 0


def test_every_error_of_the_file_is_listed(catalogue):
    content = f"{MINIMAL}\nA-1,9.999999,An,10/09/2025 08:00,10/09/2025 17:00,,,\nA-2,2.000815,,xx,10/09/2025 17:00,,,\n"
    with pytest.raises(DossierImportError) as refused:
        import_dossiers(content.encode(), "so.csv")
    assert [error[:2] for error in refused.value.errors] == [(2, "ma_thu_tuc"), (3, "ho_ten"), (3, "thoi_gian_tiep_nhan")]
