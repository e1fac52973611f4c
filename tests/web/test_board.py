"""The wall board over HTTP: its panels, fragments with ETags, second-screen overrides, and what the public may see."""
import datetime
import re

import pytest

from app.models import Counter, Dossier, Notice, Procedure, Rating, Setting
from app.rules.status import Action
from app.services import board as board_service
from app.services.dossiers import act
from tests.conftest import user

HX = {"HX-Request": "true"}
MONDAY_MORNING = datetime.datetime(2026, 11, 30, 9, 0)


@pytest.fixture(autouse=True)
def monday_morning(clock):
    """The center's clock, fixed so that dates and opening hours are known."""
    clock.freeze(MONDAY_MORNING)
    return clock


@pytest.fixture(autouse=True)
def figures_never_stale(monkeypatch):
    """Every change shows at once here; the once-a-minute limit has a test of its own."""
    monkeypatch.setattr(board_service, "FIGURES_MAX_AGE", 0)


def ready(dossier, shelf="Kệ A"):
    act(dossier, Action.START, user("chuyen_mon"))
    return act(dossier, Action.APPROVE, user("lanh_dao"), data={"shelf": shelf})


def fragment(client, path, **headers):
    return client.get(path, headers={**HX, **headers})


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_board_page_shows_the_center_the_date_and_every_panel(client, catalogue):
    response = client.get("/bang-tin")
    assert response.status_code == 200
    page = text_of(response)
    assert "Trung tâm Phục vụ hành chính công xã Thạch Hà" in page
    assert "Thứ Hai, 30/11/2026" in page
    assert "09:00" in page
    for title in ("Kết quả đã có — mời nhận", "Thủ tục và lệ phí", "Số liệu", "Thông báo"):
        assert title in page
    assert 'hx-trigger="every 15s, board:turn"' in page
    assert "is-dim" not in re.search(r"<body[^>]*>", page).group(0)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " style=" not in page


def test_ready_list_shows_masked_name_code_tail_procedure_counter_and_priority(client, make_dossier):
    dossier = ready(make_dossier(name="Nguyễn Văn An", priority_group="nguoi_cao_tuoi"))
    response = fragment(client, "/bang-tin/ket-qua")
    assert response.status_code == 200
    html = text_of(response)
    assert "<html" not in html
    assert "Ng*** V** A*" in html
    # The day and the number, as on the receipt: the number alone repeats from one day to the next.
    assert dossier.code.split("-", 1)[1] in html and dossier.code not in html
    assert "Đăng ký khai sinh" in html
    assert "Quầy 1" in html
    assert "Ưu tiên" in html
    for secret in ("Nguyễn Văn An", "001203012345", "0912345678", "Thôn Trung Tiết", dossier.lookup_code, dossier.token):
        assert secret not in html


def test_a_dossier_leaves_the_ready_list_once_handed_over(client, make_dossier):
    dossier = ready(make_dossier(name="Trần Thị Bình"))
    assert "Tr** T** B***" in text_of(fragment(client, "/bang-tin/ket-qua"))
    act(dossier, Action.HAND_OVER, user("tiep_nhan"))
    html = text_of(fragment(client, "/bang-tin/ket-qua"))
    assert "Tr** T** B***" not in html
    assert "Hiện chưa có kết quả nào chờ nhận." in html


def test_dossiers_not_ready_are_not_on_the_board(client, make_dossier):
    make_dossier(name="Lê Văn Cường")
    assert "Lê* V** C***" not in text_of(fragment(client, "/bang-tin/ket-qua"))


def _many_ready(make_dossier, count):
    """`count` ready dossiers, copied from one received through the service (fast, same columns)."""
    model = ready(make_dossier())
    data = Dossier.select().where(Dossier.id == model.id).dicts().get()
    data.pop("id")
    rows = []
    for number in range(2, count + 1):
        row = dict(data, code=f"{data['code'][:-4]}{number:04d}", token=f"t{number:063d}", idempotency_key=None, sequence=number)
        row["resolved_at"] = data["resolved_at"] + datetime.timedelta(seconds=number)
        rows.append(row)
    Dossier.insert_many(rows).execute()


def test_five_hundred_ready_dossiers_are_paged_not_overflowing(client, make_dossier):
    _many_ready(make_dossier, 500)
    first = text_of(fragment(client, "/bang-tin/ket-qua"))
    assert first.count('class="board-ready-row"') == 18
    assert 'data-pages="28"' in first and "Trang 1/28" in first
    last = text_of(fragment(client, "/bang-tin/ket-qua?page=28"))
    assert "Trang 28/28" in last and last.count('class="board-ready-row"') == 500 - 27 * 18
    assert re.search(r'<span class="board-code">\d{6}-0500</span>', last)
    for wrong in ("999", "0", "-1", "abc", "1e9"):
        assert "Trang 1/28" in text_of(fragment(client, f"/bang-tin/ket-qua?page={wrong}")), wrong


def test_counter_screen_shows_only_its_counter(client, make_dossier):
    other = Counter.get(Counter.name == "Quầy 2")
    dossier = ready(make_dossier(name="Phạm Văn Dũng"))
    Dossier.update(counter=other).where(Dossier.id == dossier.id).execute()
    ready(make_dossier(name="Hoàng Thị Em"))
    html = text_of(fragment(client, f"/bang-tin/ket-qua?counter={other.id}"))
    assert "Ph** V** D***" in html and "Ho*** T** E*" not in html
    page = text_of(client.get(f"/bang-tin?panels=ready&counter={other.id}&seconds=20"))
    assert "Kết quả đã có — mời nhận — Quầy 2" in page
    assert f'hx-get="/bang-tin/ket-qua?counter={other.id}"' in page
    assert 'data-seconds="20"' in page
    for title in ("Thủ tục và lệ phí", "Số liệu", "<h1 class=\"board-panel-title\" id=\"panel-notices-title\">"):
        assert title not in page


@pytest.mark.parametrize(
    "query, shown, seconds",
    [
        ("panels=ready", ["ready"], ["20"]),
        ("panels=notices,ready&seconds=30", ["notices", "ready"], ["30", "30"]),
        ("panels=tivi,quang-cao", ["ready", "procedures", "figures", "notices"], ["20", "15", "15", "15"]),
        ("panels=ready,<script>,ready", ["ready"], ["20"]),
        ("panels=figures&seconds=1", ["figures"], ["15"]),
        ("panels=figures&seconds=abc", ["figures"], ["15"]),
        ("counter=9999&counter=x", ["ready", "procedures", "figures", "notices"], ["20", "15", "15", "15"]),
        ("counter=99999999999999999999999&page=99999999999999999999999", ["ready", "procedures", "figures", "notices"], ["20", "15", "15", "15"]),
    ],
)
def test_url_overrides_for_a_second_screen_ignore_what_makes_no_sense(client, catalogue, query, shown, seconds):
    response = client.get(f"/bang-tin?{query}")
    assert response.status_code == 200
    page = text_of(response)
    assert re.findall(r'id="panel-(\w+)" data-page', page) == shown
    assert re.findall(r'data-panel data-seconds="(\d+)"', page) == seconds
    assert "&lt;script&gt;" not in page and "<script>" not in page


def test_procedures_panel_shows_board_procedures_in_force_with_time_and_fees(client, catalogue):
    html = text_of(fragment(client, "/bang-tin/thu-tuc"))
    assert "Đăng ký khai sinh" in html
    assert "Trong ngày (nhận trước 15:00)" in html
    assert 'class="board-free"><span class="board-clamp board-clamp-3">Miễn phí</span>' in html
    pages = int(re.search(r'data-pages="(\d+)"', html).group(1))
    everything = "".join(text_of(fragment(client, f"/bang-tin/thu-tuc?page={n}")) for n in range(1, pages + 1))
    assert "8.000 đồng/trường hợp" in everything
    assert everything.count("<tbody>") == pages


def test_procedures_panel_leaves_out_procedures_not_for_the_board_or_out_of_force(client, catalogue):
    template = Procedure.get(Procedure.code == "1.001193")
    long_name = "Thủ tục có tên rất dài " + "x" * 277
    Procedure.update(on_board=False).execute()
    for code, name, on_board, valid_to in (
        ("9.000001", long_name, True, None),
        ("9.000002", "Thủ tục không hiện trên bảng", False, None),
        ("9.000003", "Thủ tục đã hết hiệu lực", True, datetime.date(2026, 1, 1)),
    ):
        Procedure.create(code=code, name=name, field=template.field, on_board=on_board, valid_to=valid_to)
    html = text_of(fragment(client, "/bang-tin/thu-tuc"))
    assert len(long_name) == 300 and long_name in html
    assert "board-clamp" in html
    assert "Thủ tục không hiện trên bảng" not in html and "Thủ tục đã hết hiệu lực" not in html
    assert 'data-pages="1"' in html


def test_notice_with_script_is_shown_as_text(client, db):
    Notice.create(text='<script>alert("x")</script> Nghỉ Tết <b>từ 14/2</b>')
    html = text_of(fragment(client, "/bang-tin/thong-bao"))
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Nghỉ Tết &lt;b&gt;từ 14/2&lt;/b&gt;" in html
    assert "<script" not in html and "<b>" not in html


def test_notices_show_only_active_ones_valid_today(client, db):
    day = MONDAY_MORNING.date()
    one = datetime.timedelta(days=1)
    for text, valid_from, valid_to, active in (
        ("Thông báo hôm nay", day, day, True),
        ("Thông báo không hạn", None, None, True),
        ("Thông báo ngày mai", day + one, None, True),
        ("Thông báo hết hạn hôm qua", None, day - one, True),
        ("Thông báo đã gỡ", None, None, False),
    ):
        Notice.create(text=text, valid_from=valid_from, valid_to=valid_to, active=active)
    html = text_of(fragment(client, "/bang-tin/thong-bao"))
    assert "Thông báo hôm nay" in html and "Áp dụng đến hết ngày 30/11/2026" in html
    assert "Thông báo không hạn" in html
    for hidden in ("Thông báo ngày mai", "Thông báo hết hạn hôm qua", "Thông báo đã gỡ"):
        assert hidden not in html


def test_figures_panel_shows_this_periods_figures(client, make_dossier):
    for _ in range(3):
        make_dossier()
    ready(make_dossier())
    html = text_of(fragment(client, "/bang-tin/so-lieu"))
    assert "Quý IV/2026 (01/10/2026 – 31/12/2026)" in html
    assert "<dt>Tiếp nhận mới</dt><dd>4</dd>" in html
    assert "<dt>Đã giải quyết</dt><dd>1</dd>" in html
    assert "<dt>Đang giải quyết</dt><dd>3</dd>" in html
    assert "<dt>Tỷ lệ đúng hạn</dt><dd>100,00%</dd>" in html
    assert "chưa có lượt đánh giá nào trong kỳ." in html


def test_satisfaction_reads_with_a_space_after_the_colon(client, make_dossier):
    Rating.create(dossier=ready(make_dossier()), level="rat_hai_long", at=MONDAY_MORNING)
    html = text_of(fragment(client, "/bang-tin/so-lieu"))
    assert "Mức độ hài lòng: <strong>100,00%</strong> hài lòng và rất hài lòng, trên 1 lượt đánh giá." in html


def test_an_empty_notices_panel_says_so_to_the_screen_which_passes_it_over(client, db):
    assert "data-empty" in text_of(fragment(client, "/bang-tin/thong-bao"))
    Notice.create(text="Nghỉ Tết từ 14/2")
    assert "data-empty" not in text_of(fragment(client, "/bang-tin/thong-bao"))


def test_figures_are_recomputed_at_most_once_a_minute(app, client, make_dossier, monkeypatch):
    # This is the figures' own cache; the page cache in front of it is tested in tests/web/test_pagecache.py.
    app.config["PAGE_CACHE"] = False
    make_dossier()
    assert "<dt>Tiếp nhận mới</dt><dd>1</dd>" in text_of(fragment(client, "/bang-tin/so-lieu"))
    monkeypatch.setattr(board_service, "FIGURES_MAX_AGE", 60)
    make_dossier()
    assert "<dt>Tiếp nhận mới</dt><dd>1</dd>" in text_of(fragment(client, "/bang-tin/so-lieu"))
    monkeypatch.setattr(board_service, "FIGURES_MAX_AGE", 0)
    assert "<dt>Tiếp nhận mới</dt><dd>2</dd>" in text_of(fragment(client, "/bang-tin/so-lieu"))


@pytest.mark.parametrize("path", ["/bang-tin/ket-qua", "/bang-tin/thu-tuc", "/bang-tin/so-lieu", "/bang-tin/thong-bao"])
def test_unchanged_fragment_answers_304_and_a_change_gives_a_new_etag(client, make_dossier, path):
    first = fragment(client, path)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "no-cache"
    again = fragment(client, path, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    ready(make_dossier())
    Notice.create(text="Thông báo mới")
    changed = fragment(client, path, **{"If-None-Match": etag})
    if path == "/bang-tin/thu-tuc":
        assert changed.status_code == 304
    else:
        assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_fragment_opened_without_htmx_is_the_board_with_that_panel(client, catalogue):
    page = text_of(client.get("/bang-tin/thu-tuc"))
    assert "<html" in page and re.findall(r'id="panel-(\w+)" data-page', page) == ["procedures"]


def test_heartbeat_says_open_during_working_hours(client, catalogue):
    html = text_of(fragment(client, "/bang-tin/trang-thai"))
    assert 'data-open="1"' in html and 'data-server-now="2026-11-30T09:00:00"' in html
    assert "Thứ Hai, 30/11/2026" in html


@pytest.mark.parametrize(
    "moment, reopens",
    [
        (datetime.datetime(2026, 11, 30, 20, 0), "Mở cửa trở lại lúc 07:30, Thứ Ba, 01/12/2026."),
        (datetime.datetime(2026, 11, 30, 6, 0), "Mở cửa trở lại lúc 07:30, Thứ Hai, 30/11/2026."),
        (datetime.datetime(2026, 12, 5, 10, 0), "Mở cửa trở lại lúc 07:30, Thứ Hai, 07/12/2026."),
        (datetime.datetime(2027, 1, 1, 10, 0), "Mở cửa trở lại lúc 07:30, Thứ Hai, 04/01/2027."),
    ],
)
def test_board_dims_outside_working_hours_with_the_opening_hours(client, catalogue, monday_morning, moment, reopens):
    monday_morning.freeze(moment)
    html = text_of(fragment(client, "/bang-tin/trang-thai"))
    assert 'data-open="0"' in html
    assert "Ngoài giờ làm việc" in html and "Giờ làm việc: 07:30 – 17:00" in html
    assert reopens in html
    page = text_of(client.get("/bang-tin"))
    assert "is-dim" in re.search(r"<body[^>]*>", page).group(0)


def test_board_settings_order_and_seconds_reach_the_page(client, auth, catalogue):
    auth.login("quan_tri")
    data = {
        "show_ready": "1", "order_ready": "2", "seconds_ready": "25",
        "order_procedures": "3", "seconds_procedures": "15",
        "show_figures": "1", "order_figures": "4", "seconds_figures": "10",
        "show_notices": "1", "order_notices": "1", "seconds_notices": "12",
        "refresh_seconds": "20", "reload_at": "02:30", "figures_period": "M",
    }
    response = auth.post("/quan-tri/bang-tin", data=data, token_from="/quan-tri/bang-tin")
    assert response.status_code == 303 and response.headers["Location"] == "/quan-tri/bang-tin"
    page = text_of(client.get("/bang-tin"))
    assert re.findall(r'id="panel-(\w+)" data-page', page) == ["notices", "ready", "figures"]
    assert re.findall(r'data-panel data-seconds="(\d+)"', page) == ["12", "25", "10"]
    assert 'hx-trigger="every 20s, board:turn"' in page and 'data-reload-at="02:30"' in page
    assert "Tháng 11/2026" in page
    form = text_of(client.get("/quan-tri/bang-tin"))
    assert 'name="seconds_ready" id="seconds_ready" value="25"' in form


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"show_ready": "", "show_procedures": "", "show_figures": "", "show_notices": ""}, "Chọn ít nhất một mục để hiển thị."),
        ({"seconds_ready": "1"}, "Nhập số giây từ 5 đến 600."),
        ({"seconds_ready": "mười"}, "Nhập số giây từ 5 đến 600."),
        ({"order_figures": "9"}, "Nhập thứ tự từ 1 đến 4."),
        ({"refresh_seconds": "0"}, "Nhập số giây từ 5 đến 600."),
        ({"reload_at": "25:00"}, "Nhập giờ dạng HH:MM, ví dụ 03:00."),
        ({"figures_period": "tuan"}, "Hãy chọn một giá trị trong danh sách."),
    ],
)
def test_bad_board_settings_are_refused_beside_the_field(client, auth, catalogue, changes, message):
    auth.login("quan_tri")
    data = {"refresh_seconds": "15", "reload_at": "03:00", "figures_period": "Q"}
    for order, key in enumerate(("ready", "procedures", "figures", "notices"), start=1):
        data.update({f"show_{key}": "1", f"order_{key}": str(order), f"seconds_{key}": "15"})
    data.update(changes)
    response = auth.post("/quan-tri/bang-tin", data=data, token_from="/quan-tri/bang-tin")
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Setting.select().where(Setting.key == "board").exists()


def _notice_form(auth, path, **changes):
    data = {"text": "Nghỉ Tết Nguyên đán từ 14/02 đến 22/02/2026.", "valid_from": "01/02/2026", "valid_to": "2026-02-22", "active": "y", **changes}
    return auth.post(path, data=data, token_from=path)


def test_admin_writes_edits_and_takes_down_a_notice(client, auth, db):
    auth.login("quan_tri")
    response = _notice_form(auth, "/quan-tri/bang-tin/thong-bao/moi", text="  Lịch nghỉ Tết:\r\n  Từ 14/02   đến 22/02  \r\n")
    assert response.status_code == 303
    notice = Notice.get()
    assert notice.text == "Lịch nghỉ Tết:\nTừ 14/02 đến 22/02"
    assert (notice.valid_from, notice.valid_to) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 22))
    form = text_of(client.get(f"/quan-tri/bang-tin/thong-bao/{notice.id}"))
    assert 'value="01/02/2026"' in form and 'value="22/02/2026"' in form
    response = _notice_form(auth, f"/quan-tri/bang-tin/thong-bao/{notice.id}", text="Lịch mới", valid_to="")
    assert response.status_code == 303
    notice = Notice.get_by_id(notice.id)
    assert notice.text == "Lịch mới" and notice.valid_to is None
    response = auth.post(f"/quan-tri/bang-tin/thong-bao/{notice.id}/go-xuong", token_from="/quan-tri/bang-tin")
    assert response.status_code == 303
    assert not Notice.get_by_id(notice.id).active
    assert "Đã gỡ" in text_of(client.get("/quan-tri/bang-tin"))
    assert client.get("/quan-tri/bang-tin/thong-bao/999").status_code == 404


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"text": ""}, "Không được để trống."),
        ({"text": " \r\n  "}, "Không được để trống."),
        ({"text": "x" * 1001}, "Tối đa 1000 ký tự."),
        ({"text": "Nghỉ\x00Tết"}, "Có ký tự điều khiển không hợp lệ."),
        ({"valid_from": "31/02/2026"}, "Ngày «31/02/2026» không đúng dạng dd/mm/yyyy hoặc không có thật."),
        ({"valid_to": "ngày mai"}, "Ngày «ngày mai» không đúng dạng dd/mm/yyyy hoặc không có thật."),
        ({"valid_from": "23/02/2026"}, "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."),
    ],
)
def test_bad_notice_is_refused_beside_the_field_and_nothing_saved(client, auth, db, changes, message):
    auth.login("quan_tri")
    response = _notice_form(auth, "/quan-tri/bang-tin/thong-bao/moi", **changes)
    assert response.status_code == 400
    assert message in text_of(response)
    assert Notice.select().count() == 0


@pytest.mark.parametrize(
    "stored",
    ["not json", "[1, 2]", '{"panels": "ready", "refresh_seconds": "abc", "reload_at": 3}', '{"panels": [["ready"], [1, 2, 3], ["tv", 5]], "figures_period": "W"}'],
)
def test_damaged_board_settings_fall_back_to_the_defaults(client, catalogue, stored):
    Setting.create(key="board", value=stored)
    page = text_of(client.get("/bang-tin"))
    assert re.findall(r'id="panel-(\w+)" data-page', page) == ["ready", "procedures", "figures", "notices"]
    assert 'hx-trigger="every 15s, board:turn"' in page and 'data-reload-at="03:00"' in page
