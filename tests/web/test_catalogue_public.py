"""The public catalogue /thu-tuc: search without diacritics, filter by field, a printable guide per procedure."""
import unicodedata

import pytest

from app.db import database
from app.models import Field, Procedure


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_catalogue_lists_the_seed_without_login(client, catalogue):
    response = client.get("/thu-tuc")
    assert response.status_code == 200
    page = page_text(response)
    assert "Đăng ký khai sinh" in page
    assert "Mã 1.001193 · Hộ tịch" in page
    assert "Chứng thực bản sao từ bản chính" in page
    assert "Trong ngày (nhận trước 15:00)" in page
    assert "Miễn phí" in page
    assert f"{Procedure.select().where(Procedure.active).count()} thủ tục" in page


@pytest.mark.parametrize(
    "typed",
    ["khai sinh", "KHAI SINH", "đăng ký khai sinh", "dang ky khai sinh", unicodedata.normalize("NFD", "Đăng ký khai sinh"), "  khai   sinh "],
)
def test_search_finds_with_or_without_diacritics(client, catalogue, typed):
    page = page_text(client.get("/thu-tuc", query_string={"q": typed}))
    assert "Đăng ký khai sinh" in page
    assert "Chứng thực chữ ký" not in page


def test_search_by_procedure_code(client, catalogue):
    page = page_text(client.get("/thu-tuc", query_string={"q": "2.000815"}))
    assert "Chứng thực bản sao từ bản chính" in page
    assert "1 thủ tục" in page


@pytest.mark.parametrize("typed", ["%", "_", "' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "khai\x00sinh"])
def test_nasty_searches_find_nothing_and_never_fail(client, catalogue, typed):
    response = client.get("/thu-tuc", query_string={"q": typed})
    assert response.status_code == 200
    page = page_text(response)
    assert "Không tìm thấy thủ tục nào" in page
    assert "<script>alert(1)" not in page


def test_htmx_search_answers_with_the_results_fragment(client, catalogue):
    response = client.get("/thu-tuc?q=chung+thuc", headers={"HX-Request": "true", "HX-Target": "catalogue-results"})
    page = page_text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="catalogue-results"' in page
    assert "Chứng thực chữ ký" in page
    assert "Đăng ký khai sinh" not in page


def test_page_has_an_active_search_that_also_works_as_a_plain_form(client, catalogue):
    page = page_text(client.get("/thu-tuc"))
    assert 'hx-trigger="input changed delay:200ms, search"' in page
    assert '<form method="get" action="/thu-tuc"' in page


def test_filter_by_field(client, catalogue):
    field = Field.get(Field.name == "Chứng thực")
    page = page_text(client.get("/thu-tuc", query_string={"linh_vuc": field.id}))
    assert "Chứng thực chữ ký" in page
    assert "Đăng ký khai sinh" not in page
    assert page_text(client.get("/thu-tuc", query_string={"linh_vuc": "abc"})).count("procedure-card") > 5


def test_inactive_and_expired_procedures_are_not_shown(client, catalogue):
    Procedure.update(active=False).where(Procedure.code == "2.000815").execute()
    assert "Chứng thực bản sao từ bản chính" not in page_text(client.get("/thu-tuc"))
    assert client.get("/thu-tuc/2.000815").status_code == 404


def test_detail_is_a_guide_with_documents_time_fees_and_legal_basis(client, catalogue):
    response = client.get("/thu-tuc/2.000815")
    assert response.status_code == 200
    page = page_text(response)
    assert "Chứng thực bản sao từ bản chính" in page
    assert "Trong ngày (nhận trước 15:00)" in page
    assert "2.000 đồng/trang; từ trang thứ 3: 1.000 đồng/trang; tối đa 200.000 đồng/bản" in page
    assert "Thành phần hồ sơ" in page and "Bản chính" in page
    assert "Căn cứ pháp lý" in page
    assert "data-print" in page
    assert "css/catalogue.css" in page


def test_detail_shows_free_badge_and_working_days(client, catalogue):
    page = page_text(client.get("/thu-tuc/1.000894"))  # marriage: free by Luật Hộ tịch 2014 art. 11
    assert '<span class="badge badge-free">Miễn phí</span>' in page
    multi_day = Procedure.select().where(Procedure.working_days == 3, Procedure.active).first()
    assert "3 ngày làm việc" in page_text(client.get(f"/thu-tuc/{multi_day.code}"))


def test_birth_registration_is_free_in_time_and_the_provinces_fee_when_late(client, catalogue):
    page = page_text(client.get("/thu-tuc/1.001193"))
    assert "Đăng ký khai sinh đúng hạn, trong 60 ngày kể từ ngày sinh (Luật Hộ tịch 2014, Điều 11 khoản 1 điểm b; Điều 15): miễn phí" in page
    assert "đăng ký quá hạn nộp lệ phí theo Nghị quyết của HĐND tỉnh" in page
    assert "(theo Nghị quyết HĐND tỉnh)" in page and "badge-free" not in page


def test_fee_set_by_the_province_is_said_so(client, catalogue):
    procedure = Procedure.select().where(Procedure.fee_set_by_province, Procedure.active).first()
    page = page_text(client.get(f"/thu-tuc/{procedure.code}"))
    assert "Mức phí do HĐND tỉnh quy định" in page


def test_online_fee_reduction_is_shown(client, catalogue):
    Procedure.update(fee_online_percent=50).where(Procedure.code == "2.000815").execute()
    page = page_text(client.get("/thu-tuc/2.000815"))
    assert "1.000 đồng/trang; từ trang thứ 3: 500 đồng/trang; tối đa 100.000 đồng/bản (nộp trực tuyến, giảm 50%)" in page


@pytest.mark.parametrize("code", ["khong-co", "0", "%", "2.000815'--"])
def test_unknown_procedure_is_a_polite_404(client, catalogue, code):
    response = client.get(f"/thu-tuc/{code}")
    assert response.status_code == 404
    assert "Không tìm thấy" in page_text(response)


def test_public_pages_show_no_staff_menu_and_use_few_queries(client, catalogue, app):
    queries = []
    original = database.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        queries.append(sql)
        return original(sql, params, *args, **kwargs)

    database.obj.execute_sql = counting
    try:
        client.get("/thu-tuc")
        listing = len(queries)
        queries.clear()
        client.get("/thu-tuc/2.000815")
        detail = len(queries)
    finally:
        del database.obj.execute_sql
    # The layout's settings, then the page's own one or two queries: never one per procedure.
    assert 1 <= listing <= 3, listing
    assert 1 <= detail <= 3, detail


def test_detail_lists_the_named_longer_cases_with_their_extra_time(client, catalogue):
    page = page_text(client.get("/thu-tuc/1.000689"))
    assert "Trường hợp được kéo dài thời hạn" in page
    assert "<li>Cần xác minh việc nhận cha, mẹ, con: thêm 5 ngày làm việc</li>" in page
    contract = page_text(client.get("/thu-tuc/2.001035"))
    assert "<li>Dài hơn theo thỏa thuận bằng văn bản với người yêu cầu chứng thực: thêm số ngày làm việc thỏa thuận bằng văn bản</li>" in contract
    # A procedure without such a case says nothing about it.
    assert "Trường hợp được kéo dài thời hạn" not in page_text(client.get("/thu-tuc/1.004884"))


def test_detail_lists_the_fee_exemption_grounds(client, catalogue):
    page = page_text(client.get("/thu-tuc/1.004873"))
    assert "Được miễn, giảm phí" in page
    for ground in ("Người thuộc gia đình có công với cách mạng", "Người thuộc hộ nghèo", "Người khuyết tật"):
        assert f"<li>{ground} (Luật Hộ tịch 2014, Điều 11 khoản 1): miễn phí</li>" in page
    half = Procedure.get(Procedure.code == "1.004873")
    half.fee_grounds = [["Người cao tuổi", 50]]
    half.save()
    assert "<li>Người cao tuổi: giảm 50%</li>" in page_text(client.get("/thu-tuc/1.004873"))
    assert "Được miễn, giảm phí" not in page_text(client.get("/thu-tuc/2.000815"))


@pytest.mark.sqlite_only
def test_a_change_to_the_catalogue_is_searched_at_once(client, catalogue, app):
    """The catalogue in force is kept in memory with the database's version: any commit, from this
    process or another, is seen by the very next search."""
    assert "Đăng ký khai sinh" in page_text(client.get("/thu-tuc", query_string={"q": "khai sinh"}))
    assert app.extensions["catalogue_in_force"][1], "the list is kept"
    # Another connection (another process, say the administrator's import) renames the procedure.
    import sqlite3

    from app.db import sqlite_path
    from app.rules.text import fold

    other = sqlite3.connect(sqlite_path(app.config["DATABASE_URL"]))
    with other:
        other.execute("UPDATE procedure SET name = ?, search_key = ? WHERE code = '1.001193'",
                      ("Đăng ký khai sinh lưu động", fold("Đăng ký khai sinh lưu động 1.001193")))
    other.close()
    page = page_text(client.get("/thu-tuc", query_string={"q": "luu dong"}))
    assert "Đăng ký khai sinh lưu động" in page
    assert "1 thủ tục" in page
