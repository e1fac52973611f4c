"""The wall board on a 1920×1080 screen: panels in turn, the server going away and coming back, no reload."""
import json
import re

import pytest

pytestmark = pytest.mark.browser

PANEL_TITLES = ("Kết quả đã có — mời nhận", "Thủ tục và lệ phí", "Số liệu", "Thông báo")


def _open_database(server):
    from app.db import database, open_database

    open_database(server.database_url)
    return database.connection_context()


def _prepare(server):
    """Open all day today, poll every 5 s, one notice, and an officer who can approve results."""
    from app.clock import today
    from app.models import CalendarDay, Notice, Setting, User

    with _open_database(server):
        for key, value in (("work_start", "00:00"), ("work_end", "23:59")):
            Setting.create(key=key, value=value)
        Setting.create(key="board", value=json.dumps({"refresh_seconds": 5, "panels": [[key, 5] for key in ("ready", "procedures", "figures", "notices")]}))
        CalendarDay.create(day=today(), is_working=True, reason="Kiểm thử bảng tin")
        Notice.create(text="Lịch nghỉ Tết <script>alert(1)</script>")
        User.create(username="lanhdao", full_name="Lãnh đạo", password_hash="!", roles_text="chuyen_mon,lanh_dao")


def _make_ready(server, name):
    """Receive a dossier at counter 1 and approve it, through the same services the staff pages use."""
    from app.models import Counter, Procedure, User
    from app.rules.status import Action
    from app.services.dossiers import Application, act, receive

    with _open_database(server):
        officer = User.get(User.username == "lanhdao")
        procedure = Procedure.get(Procedure.code == "1.001193")
        dossier = receive(Application(procedure=procedure, applicant_name=name), officer, Counter.get(Counter.name == "Quầy 1"))
        act(dossier, Action.START, officer)
        return act(dossier, Action.APPROVE, officer)


@pytest.fixture
def screen(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(20000)
    page.crashes = []
    page.on("pageerror", lambda error: page.crashes.append(str(error)))
    yield page
    context.close()


def _active_title(page):
    return page.locator(".board-panel.is-active .board-panel-title")


def test_board_rotates_rides_out_a_server_restart_and_shows_a_new_result_without_reload(server, screen):
    from playwright.sync_api import expect

    _prepare(server)
    _make_ready(server, "Trần Văn Bảo")
    page = screen
    page.goto(server.url + "/bang-tin?seconds=5")
    expect(page.locator(".board-clock")).to_have_text(re.compile(r"^\d{2}:\d{2}$"))
    expect(page.locator(".board-date")).to_have_text(re.compile(r"^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật), \d{2}/\d{2}/\d{4}$"))
    for title in PANEL_TITLES:
        expect(_active_title(page)).to_have_text(title, timeout=40000)
        expect(page.locator(".board-panel:not(.is-active)")).to_have_count(3)
        # What is on screen fits it: no scrolling on a TV.
        assert page.evaluate("document.documentElement.scrollHeight") <= 1080
        box = page.locator(".board-panel.is-active").bounding_box()
        assert box["y"] + box["height"] <= page.locator(".board-footer").bounding_box()["y"] + 1
    assert page.locator(".board-name").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 28
    assert page.locator(".board-notice-text").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 28
    expect(page.locator("#panel-notices")).to_contain_text("Lịch nghỉ Tết <script>alert(1)</script>")
    expect(page.locator("#panel-ready")).to_contain_text("Tr** V** B**")
    page.evaluate("window.sameBoardPage = true")

    server.stop()
    expect(page.locator("#board-offline")).to_be_visible(timeout=20000)
    expect(page.locator("#board-offline")).to_contain_text("Mất kết nối — cập nhật lúc ")
    expect(page.locator("#panel-ready")).to_contain_text("Tr** V** B**")
    expect(page.locator("#panel-notices")).to_contain_text("Lịch nghỉ Tết")
    expect(page.locator(".board-panel-title")).to_have_count(4)

    server.restart()
    dossier = _make_ready(server, "Nguyễn Thị Hoa")
    expect(page.locator("#panel-ready")).to_contain_text("Ng*** T** H**", timeout=30000)
    expect(page.locator("#panel-ready")).to_contain_text(dossier.code.split("-", 1)[1])
    expect(page.locator("#board-offline")).to_be_hidden()
    expect(_active_title(page)).to_have_text("Kết quả đã có — mời nhận", timeout=40000)
    expect(page.get_by_text("Ng*** T** H**")).to_be_visible()
    assert page.evaluate("window.sameBoardPage") is True
    assert page.crashes == []


def _many_ready(server, count):
    """`count` results ready, oldest first: one approved through the services, the others copies of it."""
    import datetime

    from app.models import Dossier

    first = _make_ready(server, "Phạm Thị Xuân Mai")
    with _open_database(server):
        data = Dossier.select().where(Dossier.id == first.id).dicts().get()
        data.pop("id")
        rows = []
        for number in range(2, count + 1):
            row = dict(data, code=f"{data['code'][:-4]}{number:04d}", token=f"t{number:063d}", idempotency_key=None, sequence=number)
            row.update(resolved_at=data["resolved_at"] + datetime.timedelta(seconds=number), priority_group="nguoi_cao_tuoi" if number % 7 == 0 else "")
            rows.append(row)
        Dossier.insert_many(rows).execute()
        return [first.code] + [row["code"] for row in rows]


# Every ready row on every page, and the page counter, inside the screen and under nothing (the footer).
GEOMETRY = """() => {
  const inside = (element) => {
    const box = element.getBoundingClientRect();
    const footer = document.querySelector(".board-footer").getBoundingClientRect();
    const onTop = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return box.width > 0 && box.top >= 0 && box.left >= 0 && box.right <= innerWidth && box.bottom <= innerHeight
      && box.bottom <= footer.top && element.contains(onTop);
  };
  const list = document.querySelector("#panel-ready [data-pages]");
  const rows = Array.from(list.querySelectorAll(".board-ready-row"));
  return {
    page: Number(list.dataset.page), pages: Number(list.dataset.pages),
    rows: rows.map((row) => row.querySelector(".board-code").textContent),
    hidden: rows.filter((row) => !inside(row)).map((row) => row.querySelector(".board-code").textContent),
    codesCut: rows.filter((row) => { const code = row.querySelector(".board-code"); return code.scrollWidth > code.clientWidth; }).length,
    pagerShown: inside(list.querySelector(".board-pager")),
    pager: list.querySelector(".board-pager").textContent,
  };
}"""


def test_every_ready_row_of_every_page_fits_the_tv_and_a_hundred_go_round_in_two_minutes(server, browser, tmp_path):
    from playwright.sync_api import expect

    _prepare(server)
    with _open_database(server):
        from app.models import Notice, Setting

        Setting.delete().where(Setting.key == "board").execute()
        Notice.delete().execute()
    codes = _many_ready(server, 100)
    for width, height in ((1920, 1080), (1280, 720)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        page = context.new_page()
        page.set_default_timeout(20000)
        # The board as the settings make it: how long each page of results stays, how many pages there are.
        page.goto(server.url + "/bang-tin")
        seconds = int(page.locator(".board-panel").first.get_attribute("data-seconds"))
        pages = int(page.locator("#panel-ready [data-pages]").get_attribute("data-pages"))
        assert pages * seconds <= 120, (pages, seconds)
        assert page.evaluate(GEOMETRY)["hidden"] == []
        # No notices: their panel is passed over and its name is not among the panels below.
        expect(page.locator(".board-dots li", has_text="Thông báo")).to_be_hidden()
        assert page.locator(".board-dots li:visible").count() == 3

        # The same board, only the results, turned page by page as the rotation does.
        page.goto(server.url + "/bang-tin?panels=ready&seconds=600")
        seen = []
        for number in range(1, pages + 1):
            if number > 1:
                page.evaluate("n => { const poller = document.querySelector('#panel-ready'); poller.setAttribute('data-page', n); htmx.trigger(poller, 'board:turn'); }", number)
            expect(page.locator(f"#panel-ready [data-page='{number}']")).to_be_attached()
            page.screenshot(path=tmp_path / f"board-{width}x{height}-page{number}.png")
            shown = page.evaluate(GEOMETRY)
            assert shown["hidden"] == [] and shown["pagerShown"], (width, shown)
            assert shown["codesCut"] == 0 and shown["pager"] == f"Trang {number}/{pages}"
            seen += shown["rows"]
        # Every result appears once, by the day and number on its receipt, the last one on the last page.
        assert seen == [code.split("-", 1)[1] for code in codes]
        assert seen[-1] == codes[-1][-11:]
        context.close()
