"""The printed forms as Chromium prints them to PDF: one page each, the motto on one line, the logbook's 15 lines a page."""
import datetime
import re
import subprocess

import pytest

from app import create_app
from app.db import database
from app.models import Counter, Dossier, DossierEvent, Procedure, User, Village
from app.rules.status import Action
from app.services.dossiers import Application, act, extend, receive
from app.views.auth import hash_password

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-in-an"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# The procedures a commune receives most, long names included: the logbook's lines grow with them.
PROCEDURES = ("2.000815", "1.004873", "2.000884", "1.001193", "1.013978", "2.000815", "1.004873")
LOGBOOK_DOSSIERS = 40


def _prepare(server) -> dict:
    """A counter officer who is also a leader, a village stored as 'Thôn Kim Đôi', and a month of dossiers."""
    app = create_app({"TESTING": True, "DATABASE_URL": server.database_url, "SECRET_KEY": "x" * 64})
    with app.app_context(), database.connection_context():
        officer = User.create(username="inan", full_name="Bùi Thị In Ấn", password_hash=hash_password(PASSWORD), roles_text="chuyen_mon,lanh_dao,tiep_nhan")
        village = Village.create(name="Thôn Kim Đôi")
        counter = Counter.get(Counter.name == "Quầy 1")
        codes = []
        for index in range(LOGBOOK_DOSSIERS):
            procedure = Procedure.get(Procedure.code == PROCEDURES[index % len(PROCEDURES)])
            received_at = datetime.datetime(2026, 11, 2 + index % 26, 8 + index % 8, 5)
            application = Application(
                procedure=procedure, applicant_name=f"Nguyễn Thị Phương Thảo {index + 1}", id_number="042190012345", phone="0912000111",
                address=f"Số {index + 1}, ngõ Đình", village_id=village.id, email="thao@example.vn",
                fee_inputs={"pages": 3, "copies": 1} if procedure.code == "2.000815" else {},
            )
            codes.append(receive(application, officer, counter, received_at).code)
        letters = Dossier.get(Dossier.code == codes[1])
        act(letters, Action.START, officer, at=datetime.datetime(2026, 11, 3, 10, 0))
        requested = act(Dossier.get_by_id(letters.id), Action.REQUEST_DOCUMENTS, officer, note="Tờ khai chưa có chữ ký.", data={"missing": ["Tờ khai"]}, at=datetime.datetime(2026, 11, 3, 14, 0))
        act(requested, Action.DOCUMENTS_RECEIVED, officer, at=datetime.datetime(2026, 11, 4, 9, 0))
        extension = extend(Dossier.get_by_id(letters.id), datetime.datetime(2026, 11, 12, 17, 0), officer, "Chờ xác minh tại nơi cư trú.", at=datetime.datetime(2026, 11, 5, 9, 0))
        request_event = DossierEvent.get((DossierEvent.dossier == letters.id) & (DossierEvent.action == "request_documents"))
        return {"receipt": codes[0], "letters": letters.code, "request_event": request_event.id, "extension_event": extension.id}


def _login(page, server):
    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("inan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(server.url + "/")


def _print(page, url: str, path) -> list[str]:
    """Print the page as Chromium does (its @page size), and return the text of each printed page, laid out."""
    page.goto(url)
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(path.with_suffix(""))], check=True)
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [text for text in layout.split("\f") if text.strip()]


def test_forms_print_on_their_paper_with_the_motto_whole(server, page, tmp_path):
    made = _prepare(server)
    _login(page, server)
    forms = {
        "mau-01": f"/ho-so/{made['receipt']}/bien-nhan",
        "mau-02": f"/ho-so/{made['letters']}/in/mau-02/{made['request_event']}",
        "mau-04": f"/ho-so/{made['letters']}/in/mau-04/{made['extension_event']}",
        "mau-06": f"/ho-so/{made['letters']}/in/mau-06",
    }
    for name, url in forms.items():
        pages = _print(page, server.url + url, tmp_path / f"{name}.pdf")
        assert len(pages) == 1, name
        # Each line of the motto stays whole (a broken line would split the words between two lines).
        assert MOTTO in pages[0] and "Độc lập - Tự do - Hạnh phúc" in pages[0], name
        assert "thôn Thôn" not in pages[0], name
    receipt = _print(page, server.url + forms["mau-01"], tmp_path / "mau-01.pdf")[0]
    assert receipt.count(MOTTO) == 2 and "Số: 1/BN" in receipt and "Thôn Kim Đôi" in receipt
    letter = " ".join(_print(page, server.url + forms["mau-04"], tmp_path / "mau-04.pdf")[0].split())
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in letter and "Số: 1/XL" in letter


def test_logbook_prints_at_least_15_lines_a_landscape_page(server, page, tmp_path):
    _prepare(server)
    _login(page, server)
    pages = _print(page, server.url + "/ho-so/so-theo-doi?tu_ngay=2026-11-01&den_ngay=2026-11-30", tmp_path / "mau-07.pdf")
    lines = [len(re.findall(r"(?m)^\s*\d+/BN\b", text)) for text in pages]
    assert sum(lines) == LOGBOOK_DOSSIERS
    assert all(count >= 15 for count in lines[:-1]), lines
    # A4 landscape: 297 × 210 mm, i.e. 842 × 595 points.
    info = subprocess.run(["pdfinfo", str(tmp_path / "mau-07.pdf")], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 59[45]\.\d+ pts", info), info
