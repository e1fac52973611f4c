"""/thong-ke's 766 estimate panel: the values a leader reads for a period, and nobody else sees it."""
import datetime
import re

import pytest

from app.models import Dossier, Rating

CERTIFIED_COPY = "2.000815"
MARITAL_STATUS = "1.004873"
SEPTEMBER = {"loai": "thang", "nam": "2025", "thang": "9", "cach": "A"}


@pytest.fixture
def september(make_dossier):
    """Three dossiers received in September 2025: on time (online, synced), late (by post, rated
    "không hài lòng"), and one still within its appointment of 02/10 at the end (synced)."""
    day = datetime.datetime

    def make(code, received, due, resolved=None, portal_code="", **changes):
        fee_inputs = {"pages": 1, "copies": 1} if code == CERTIFIED_COPY else {}
        dossier = make_dossier(code, received_at=received, fee_inputs=fee_inputs, **changes)
        updates = {Dossier.due_at: due, Dossier.portal_code: portal_code}
        if resolved:
            updates.update({Dossier.resolved_at: resolved, Dossier.status: "returned"})
        Dossier.update(updates).where(Dossier.id == dossier.id).execute()
        return dossier

    make(CERTIFIED_COPY, day(2025, 9, 10, 8), day(2025, 9, 10, 17), day(2025, 9, 10, 11), portal_code="000.00.12.H40-250910-0001", channel="truc_tuyen")
    late = make(MARITAL_STATUS, day(2025, 9, 3, 8), day(2025, 9, 8, 17), day(2025, 9, 12, 11), channel="buu_chinh")
    Rating.create(dossier=late, level="khong_hai_long", at=day(2025, 9, 12, 15))
    make(MARITAL_STATUS, day(2025, 9, 29, 8), day(2025, 10, 2, 17), portal_code="000.00.12.H40-250929-0002")


def panel_rows(html: str) -> dict:
    """{part: the row's other cells} as read on screen in the panel."""
    section = html[html.index('id="index766-heading"'):]
    section = section[:section.index("</section>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]:
        cells = [" ".join(re.sub(r"<sup>.*?</sup>|<[^>]+>", " ", cell).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_leader_reads_the_estimate_for_the_period(client, auth, september):
    auth.login("lanh_dao")
    response = client.get("/thong-ke/", query_string=SEPTEMBER)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Ước tính Bộ chỉ số 766" in html
    rows = panel_rows(html)
    # 2 of 3 on time under D (the open one is within its appointment); the late one is 1 of 3 overdue.
    assert rows["2.1. Tiến độ giải quyết (hồ sơ xử lý trước hạn, đúng hạn)"] == ["66,67%", "100,00% (chưa xác nhận)", "Còn thiếu 33,33%", "20 điểm"]
    assert rows["3.3. Hồ sơ nộp trực tuyến"] == ["33,33%", "50,00%", "Còn thiếu 16,67%", "Chưa xác nhận"]
    assert rows["3.3. Hồ sơ nộp qua bưu chính công ích"] == ["33,33%", "Không có ngưỡng riêng (chưa xác nhận)", "—", "Chưa xác nhận"]
    # 100% − 1/3 overdue − 1/3 rated "không hài lòng".
    assert rows["5.4. Hài lòng trong tiếp nhận, giải quyết thủ tục hành chính"] == ["33,33%", "90,00%", "Còn thiếu 56,67%", "6 điểm"]
    assert rows["1.4. Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"] == ["66,67%", "100,00% (chưa xác nhận)", "Còn thiếu 33,33%", "6 điểm"]
    assert "Không tính được từ dữ liệu của trung tâm" in html and "Thanh toán trực tuyến (chỉ số 3.5, 3.6)" in html
    assert "ChippedTopaz/qd766" in html
    # Every part has its formula as a footnote.
    assert html.count('id="index766-note-') == 5
    assert "100% − tỷ lệ hồ sơ quá hạn (theo cách D)" in html


def test_convention_d_on_the_page_says_it_is_an_estimate(client, auth, september):
    auth.login("lanh_dao")
    html = client.get("/thong-ke/", query_string=SEPTEMBER | {"cach": "D"}).get_data(as_text=True)
    assert '<option value="D" selected>Cách D (ước tính)</option>' in html
    assert "Tỷ lệ đúng hạn theo cách D: Ước tính theo Quyết định 766/QĐ-TTg" in html
    printed = client.get("/thong-ke/in", query_string=SEPTEMBER | {"cach": "D"}).get_data(as_text=True)
    assert "cách D: Ước tính" in printed and "66,67%" in printed
    assert client.get("/thong-ke/excel", query_string=SEPTEMBER | {"cach": "D"}).status_code == 200


@pytest.mark.parametrize("role", ["tiep_nhan", "chuyen_mon"])
def test_the_panel_is_forbidden_to_other_roles(client, auth, september, role):
    auth.login(role)
    response = client.get("/thong-ke/", query_string=SEPTEMBER)
    assert response.status_code == 403
    assert "Bộ chỉ số 766" not in response.get_data(as_text=True)


def test_the_panel_is_not_shown_without_a_login(client, september):
    response = client.get("/thong-ke/", query_string=SEPTEMBER)
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]
