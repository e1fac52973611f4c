"""The busiest morning: one server, one clock the test moves, every screen of the center at once.

Four counters, the pickup desk, the lookup kiosk and the wall TV, each a page of one Chromium, and forty
citizens. Most dossiers are posted through the counters' own forms to keep the run short; a handful go
through the intake page with the keyboard and the mouse, four of them saved at the same moment and one
with a double click. Receipts are printed to PDF and their QR decoded and opened; the pickup desk scans one
receipt after another; citizens at the kiosk mistype their codes among the right ones; a dossier waits
for documents; results are approved and watched on the TV, page by page; the server restarts mid-morning.
After each step the test reads what each screen shows, and at the end no screen may have had a 4xx or 5xx
that the test did not provoke on purpose.
"""
import collections
import datetime
import os
import re
import secrets
import shutil
import subprocess
import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from app.db import database, open_database
from app.models import Counter, Dossier, Field, Notice, Procedure, ProcedureDocument, Setting, User, UserField
from app.qr import status_url
from app.rules import codes
from app.rules.identity import PROVINCE_CODES
from app.rules.text import mask_name
from app.services import public_address
from tests.browser.conftest import Server
from tests.conftest import PASSWORD, _HASH

pytestmark = pytest.mark.browser

# A Thursday, a working day; never the real date, so a code reading 261210 proves the server's clock is the test's.
MORNING = datetime.datetime(2026, 12, 10, 7, 30)
TV_SECONDS = 5
# The TV shows the ready list and a notice in turn: its footer then carries the panel dots.
TV_PANELS = "ready,notices"
OFFICE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
# What a commune's morning brings, certified copies first; their long names wrap on the TV.
QUICK_PROCEDURES = ("2.000815", "1.001193", "2.000884", "1.000894", "2.000815", "2.000635", "1.004873", "1.000656")
COPY_PROCEDURE = "2.000815"  # certified copies: the fee needs the pages and copies typed
# Forty names whose masked forms on the TV ("Ng*** V** A*") all differ.
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Bùi", "Vũ", "Võ", "Đặng")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh")
GIVEN = ("An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Oanh", "Phúc", "Quang",
         "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến", "Ánh")


PROVINCES = sorted(PROVINCE_CODES)


class Citizen:
    """One person of the queue: who they are, and the dossier once a counter has taken it."""

    def __init__(self, number: int, server_url: str):
        self.number = number
        self.server_url = server_url
        self.name = f"{FAMILY[number % 10]} {MIDDLE[number // 10]} {GIVEN[number % 20]}"
        # 12 digits: a real province code, century-and-sex digit 0/1 (born in the 1900s), year 60-99, then six digits.
        self.id_number = f"{PROVINCES[number % len(PROVINCES)]}{number % 2}{60 + number % 40:02d}{100000 + number:06d}"
        self.phone = f"09{12000000 + number:08d}"
        self.address = f"Số {number + 1}, thôn Trung"
        self.code = ""

    @property
    def dossier(self) -> Dossier:
        return Dossier.get(Dossier.code == self.code)

    @property
    def url(self) -> str:
        """What the receipt's QR code carries."""
        return status_url(self.server_url, self.dossier.token)

    @property
    def board_mark(self) -> tuple[str, str]:
        """What the TV shows of this dossier: the masked name, and the day and number of its code."""
        return mask_name(self.name), self.code.split("-", 1)[1]


class Screen:
    """A page and every 4xx or 5xx it received; the test counts those it provoked on purpose with `provoke`."""

    def __init__(self, name: str, page):
        self.name = name
        self.page = page
        self.failures = []
        self.provoked = collections.Counter()
        self.crashes = []
        page.set_default_timeout(20000)
        page.on("response", self._record)
        page.on("pageerror", lambda error: self.crashes.append(str(error)))

    def _record(self, response):
        if response.status >= 400:
            self.failures.append((response.status, response.request.method, urlparse(response.url).path))

    def provoke(self, status: int, method: str, path: str):
        self.provoked[(status, method, path)] += 1

    def unprovoked(self) -> list:
        left = collections.Counter(self.provoked)
        surprises = []
        for failure in self.failures:
            if left[failure]:
                left[failure] -= 1
            else:
                surprises.append(failure)
        return surprises


class Morning:
    """The server, its clock, its database and the people working on it."""

    def __init__(self, server: Server):
        self.server = server
        self.now = MORNING
        self.started = time.monotonic()
        self.screens: list[Screen] = []
        self.citizens = [Citizen(number, server.url) for number in range(40)]

    @property
    def url(self) -> str:
        return self.server.url

    def set_clock(self, moment: datetime.datetime) -> None:
        """The center's clock, standing at `moment` for every request of the server from now on."""
        self.server.set_clock(moment, running=False)
        self.now = moment
        self.step(f"{moment:%H:%M}")

    def step(self, what: str) -> None:
        """How long the morning has taken so far, printed when the test fails (and with -s)."""
        print(f"{time.monotonic() - self.started:5.1f} s  {what}")

    def advance(self, minutes: int) -> None:
        self.set_clock(self.now + datetime.timedelta(minutes=minutes))

    def screen(self, browser, name: str, **options) -> Screen:
        context = browser.new_context(**OFFICE, **options)
        screen = Screen(name, context.new_page())
        self.screens.append(screen)
        return screen

    def close(self) -> None:
        """Close every screen, so that the TV stops polling once the morning is over."""
        for screen in self.screens:
            screen.page.context.close()

    def log_in(self, staff: dict) -> None:
        """Everyone arriving at 07:30 logs in on their own screen; the server checks the passwords side by side."""
        for screen, username in staff.items():
            page = screen.page
            page.goto(self.url + "/dang-nhap")
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu").fill(PASSWORD)
        for screen in staff:
            screen.page.get_by_role("button", name="Đăng nhập").click(no_wait_after=True)
        for screen in staff:
            screen.page.wait_for_url(self.url + "/")

    def csrf(self, screen: Screen) -> str:
        return screen.page.locator("input[name=csrf_token]").first.input_value()


def _prepare(server: Server) -> None:
    """Four counter officers, the pickup desk, a specialist and a leader; the TV polls often.

    The administrator has confirmed the public address at the first login (tests/web/test_public_address.py walks
    that step): every QR code points at this server, and no screen warns about the address.
    """
    open_database(server.database_url)
    with database.connection_context():
        counters = list(Counter.select().order_by(Counter.order))
        assert [counter.name for counter in counters] == ["Quầy 1", "Quầy 2", "Quầy 3", "Quầy 4"]
        for number, counter in enumerate(counters, start=1):
            User.create(username=f"quay{number}", full_name=f"Cán bộ quầy {number}", password_hash=_HASH, roles_text="tiep_nhan", counter=counter)
        User.create(username="traketqua", full_name="Cán bộ trả kết quả", password_hash=_HASH, roles_text="tiep_nhan", counter=counters[0])
        specialist = User.create(username="chuyenmon", full_name="Đặng Thị Chuyên", password_hash=_HASH, roles_text="chuyen_mon")
        for field in Field.select():
            UserField.create(user=specialist, field=field)
        User.create(username="lanhdao", full_name="Võ Văn Lãnh", password_hash=_HASH, roles_text="lanh_dao")
        public_address.confirm(server.url)
        Setting.insert(key="board", value='{"refresh_seconds": 5}').on_conflict_replace().execute()
        Notice.create(text="Sáng thứ Bảy 12/12/2026 Trung tâm làm việc bình thường.")


def _tools_or_skip():
    missing = [tool for tool in ("pdftoppm", "zbarimg") if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} missing: apt-get install poppler-utils zbar-tools (.ci/run installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _decode_receipt_qr(page, tmp_path, name: str) -> set[str]:
    """Print the receipt to PDF as the counter's printer gets it, render it and read its QR codes."""
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp_path / name)], check=True)
    png = next(tmp_path.glob(f"{name}*.png"))
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True)
    return {line for line in read.stdout.splitlines() if line}


# --- the counters -------------------------------------------------------------------------------------------------

def _fill_intake(morning: Morning, counter: Screen, citizen: Citizen) -> None:
    """A certified copy taken at the counter the way the officer does it: search, pick, tick, type."""
    page = counter.page
    page.goto(morning.url + "/tiep-nhan")
    expect(page.locator("#q")).to_be_focused()
    # The officer reads the results before taking one: htmx has finished putting them in place.
    page.evaluate("""() => { window.resultsSettled = false; document.body.addEventListener('htmx:afterSettle', (event) => {
        if (event.detail.target.id === 'procedure-results') { window.resultsSettled = true; } }); }""")
    page.keyboard.type("chung thuc ban sao tu ban chinh")
    page.wait_for_function("() => window.resultsSettled")
    page.keyboard.press("Enter")
    page.locator("#procedure-panel input[name=procedure]").wait_for(state="attached")
    for box in page.locator("#procedure-panel table input[type=checkbox]").all():
        box.check()
    page.locator("#pages").fill("2")
    page.locator("#copies").fill("1")
    page.locator("#applicant_name").fill(citizen.name)
    page.locator("#id_number").fill(citizen.id_number)
    page.locator("#phone").fill(citizen.phone)
    page.locator("#address").fill(citizen.address)


def _receipt_code(counter: Screen) -> str:
    """The code of the dossier whose receipt the counter's page has just opened."""
    page = counter.page
    page.wait_for_url(re.compile(r".*/ho-so/[^/]+/bien-nhan$"))
    expect(page.get_by_role("heading", name="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ").first).to_be_visible()
    return page.url.split("/ho-so/")[1].removesuffix("/bien-nhan")


def _post_intake(morning: Morning, counter: Screen, citizen: Citizen, procedure: Procedure, token: str) -> None:
    """The same form the intake page posts, sent from the counter's own session."""
    form = {
        "csrf_token": token,
        "idempotency_key": secrets.token_urlsafe(18),
        "procedure": str(procedure.id),
        "applicant_name": citizen.name,
        "id_number": citizen.id_number,
        "phone": citizen.phone,
        "address": citizen.address,
        "channel": "truc_tiep",
        "return_method": "tai_quay",
        # Asked only by the procedures whose fee counts pages or copies.
        "pages": "2",
        "copies": "1",
    }
    for document in procedure.documents:
        if document.required:
            form[f"doc_{document.id}"] = "1"
    response = counter.page.request.post(morning.url + "/tiep-nhan", form=form, max_redirects=0)
    assert response.status == 303, re.findall(r'class="(?:notice )?error"[^>]*>([^<]+)', response.text())
    citizen.code = response.headers["location"].split("/ho-so/")[1].removesuffix("/bien-nhan")


def _act(morning: Morning, officer: Screen, citizen: Citizen, action: str, **fields) -> None:
    """One action of the dossier page's forms, posted from the officer's session."""
    with database.connection_context():
        version = citizen.dossier.version
    form = {"csrf_token": morning.csrf(officer), "version": str(version), "action": action, **fields}
    response = officer.page.request.post(f"{morning.url}/ho-so/{citizen.code}/thao-tac", form=form, max_redirects=0)
    assert response.status == 303, re.findall(r'class="(?:notice )?error"[^>]*>([^<]+)', response.text())


def _ready(citizens, counter: str | None = None) -> list:
    """The citizens whose result waits on the shelf, at every counter or at the one named."""
    with database.connection_context():
        return [
            citizen for citizen in citizens
            if citizen.code and citizen.dossier.status == "result_ready" and counter in (None, citizen.dossier.counter.name)
        ]


# --- the TV ---------------------------------------------------------------------------------------------------------

TV_ROWS = "#panel-ready .board-ready-row"
READ_TV = """(ROWS) => {
  const list = document.querySelector('#panel-ready [data-pages]');
  const footer = document.querySelector('.board-footer').getBoundingClientRect();
  const seen = (element) => {
    const box = element.getBoundingClientRect();
    const points = [[box.left + 4, box.top + 3], [box.left + 4, box.bottom - 3], [box.right - 4, box.bottom - 3]];
    return box.height > 0 && box.top >= 0 && box.left >= 0 && box.right <= innerWidth && box.bottom <= innerHeight
      && box.bottom <= footer.top + 1
      && points.every(([x, y]) => { const hit = document.elementFromPoint(x, y); return hit && element.contains(hit); });
  };
  const rows = Array.from(document.querySelectorAll(ROWS));
  const pager = document.querySelector('#panel-ready .board-pager');
  return {
    page: list ? Number(list.dataset.page) : 0, pages: list ? Number(list.dataset.pages) : 0,
    rows: rows.map((row) => ({text: row.innerText, seen: seen(row)})),
    pager: pager ? {text: pager.innerText, seen: seen(pager)} : null,
    active: document.querySelector('#panel-ready').closest('.board-panel').classList.contains('is-active'),
  };
}"""


def _watch_tv(tv: Screen, expected: list, shots=None, timeout_seconds: float = 90) -> int:
    """Follow the TV through its pages until one whole round shows exactly `expected`, every row in sight.

    Returns the number of pages. A row out of sight on any page fails at once, with what the screen showed.
    With `shots` (a path without its suffix), each page seen is saved as `<shots>-<page>.png`.
    """
    page = tv.page
    wanted = sorted(citizen.board_mark for citizen in expected)
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=timeout_seconds)
    pages, shown, last = 0, {}, None
    while datetime.datetime.now() < deadline:
        state = page.evaluate(READ_TV, TV_ROWS)
        if not state["active"]:
            page.wait_for_timeout(250)
            continue
        texts = [row["text"] for row in state["rows"]]
        if (state["page"], state["pages"], texts) != last:
            last = (state["page"], state["pages"], texts)
            if shots:
                page.screenshot(path=f"{shots}-{state['page']}.png")
            hidden = [row["text"] for row in state["rows"] if not row["seen"]]
            assert not hidden, f"rows on the TV out of sight (page {state['page']}/{state['pages']}): {hidden}"
            if state["pages"] > 1:
                assert state["pager"] and state["pager"]["seen"], f"the page counter is out of sight: {state['pager']}"
            if state["pages"] != pages:
                pages, shown = state["pages"], {}
            shown[state["page"]] = texts
            if len(shown) == pages:
                on_screen = [text for page_texts in shown.values() for text in page_texts]
                found = sorted(mark for mark in wanted if any(mark[0] in text and mark[1] in text for text in on_screen))
                if found == wanted and len(on_screen) == len(wanted):
                    return pages
        page.wait_for_timeout(250)
    pytest.fail(f"the TV never showed the {len(wanted)} ready results {wanted}, each once: last saw {shown}")


# --- the pickup desk and the kiosk ----------------------------------------------------------------------------------

def _scan_at_desk(desk: Screen, citizen: Citizen, others) -> None:
    """The scanner types the receipt's QR and Enter; the desk shows that dossier and nothing of another."""
    page = desk.page
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type(citizen.url)
    page.keyboard.press("Enter")
    panel = page.locator("#pickup-result")
    expect(panel.locator(".pickup-dossier .code")).to_have_text(citizen.code)
    expect(panel).to_contain_text(citizen.name)
    text = panel.inner_text()
    stale = [other.name for other in others if other is not citizen and other.code and other.name in text]
    assert not stale, f"the desk still shows {stale} after scanning {citizen.name}"
    # Nor the notice of the last hand-over, which named another citizen.
    expect(page.get_by_text("Đã trả kết quả hồ sơ")).to_have_count(0)
    with database.connection_context():
        dossier_id = citizen.dossier.id
    hand_over = panel.locator("form.hand-over-form")
    if hand_over.count():
        assert hand_over.get_attribute("action").endswith(f"/ho-so/{dossier_id}/tra")


def _kiosk_lookup(morning: Morning, kiosk: Screen, code: str, lookup: str) -> None:
    page = kiosk.page
    if urlparse(page.url).path != "/tra-cuu":
        page.goto(morning.url + "/tra-cuu")
    box = page.locator("#ma")
    expect(box).to_be_focused()
    box.fill(code)
    page.locator("#ma_tra_cuu").fill(lookup)
    page.keyboard.press("Enter")


def _kiosk_typo(morning: Morning, kiosk: Screen, citizen: Citizen, wrong: str) -> None:
    _kiosk_lookup(morning, kiosk, citizen.code, wrong)
    kiosk.provoke(400, "POST", "/tra-cuu")
    expect(kiosk.page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này")


def _kiosk_finds(morning: Morning, kiosk: Screen, citizen: Citizen, code: str | None = None) -> None:
    with database.connection_context():
        lookup = citizen.dossier.lookup_code
    _kiosk_lookup(morning, kiosk, code or citizen.code, lookup)
    page = kiosk.page
    expect(page.locator(".status-now")).to_be_visible()
    assert citizen.code in page.content()
    assert mask_name(citizen.name) in page.content() and citizen.name not in page.content()


def _wrong_lookup(right: str) -> str:
    """A well-formed lookup code one symbol off, the way a citizen misreads the receipt."""
    alphabet = codes.LOOKUP_ALPHABET
    return alphabet[(alphabet.index(right[0]) + 1) % len(alphabet)] + right[1:]


# --- the morning ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def morning(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("morning"), clock=MORNING)
    server.set_clock(MORNING, running=False)
    server.start()
    _prepare(server)
    morning = Morning(server)
    yield morning
    morning.close()
    server.stop()


def test_the_busiest_morning(morning, browser, tmp_path):
    _tools_or_skip()
    url = morning.url
    citizens = morning.citizens

    # 07:30 — everyone opens their screen.
    tv = morning.screen(browser, "TV", viewport={"width": 1920, "height": 1080})
    tv.page.goto(f"{url}/bang-tin?panels={TV_PANELS}&seconds={TV_SECONDS}")
    expect(tv.page.locator(".board-clock")).to_have_text("07:30")
    expect(tv.page.locator("#panel-ready")).to_contain_text("Hiện chưa có kết quả nào chờ nhận")
    tv.page.evaluate("window.sameBoardPage = true")
    kiosk = morning.screen(browser, "kiosk", viewport={"width": 1080, "height": 1920})
    kiosk.page.goto(url + "/tra-cuu")
    counters = [morning.screen(browser, f"Quầy {number}", viewport={"width": 1366, "height": 768}) for number in range(1, 5)]
    desk = morning.screen(browser, "trả kết quả", viewport={"width": 1366, "height": 768})
    specialist = morning.screen(browser, "chuyên môn")
    leader = morning.screen(browser, "lãnh đạo")
    phone = morning.screen(browser, "điện thoại", viewport={"width": 360, "height": 740})
    staff = {counter: f"quay{number}" for number, counter in enumerate(counters, start=1)}
    morning.log_in({**staff, desk: "traketqua", specialist: "chuyenmon", leader: "lanhdao"})
    desk.page.goto(url + "/tra-ket-qua")
    morning.step("screens open")

    # The first four citizens at the four counters at once; Quầy 1's officer double-clicks Save.
    first_four = citizens[:4]
    for counter, citizen in zip(counters, first_four):
        _fill_intake(morning, counter, citizen)
    counters[0].page.locator("#save").dblclick(no_wait_after=True)
    for counter in counters[1:]:
        counter.page.locator("#save").click(no_wait_after=True)
    for counter, citizen in zip(counters, first_four):
        citizen.code = _receipt_code(counter)
    assert len({citizen.code for citizen in first_four}) == 4
    assert all("-261210-" in citizen.code for citizen in first_four), [citizen.code for citizen in first_four]
    with database.connection_context():
        assert Dossier.select().where(Dossier.applicant_name == first_four[0].name).count() == 1
        assert Dossier.select().count() == 4
        for counter_number, citizen in enumerate(first_four, start=1):
            assert citizen.dossier.counter.name == f"Quầy {counter_number}"
    morning.step("four intakes")

    # Two receipts go to the printer; their QR is read back, and one citizen opens it on a phone.
    expect(counters[0].page.locator(".address-warning")).to_have_count(0)
    for counter, citizen in zip(counters[:2], first_four[:2]):
        assert _decode_receipt_qr(counter.page, tmp_path, f"receipt-{citizen.number}") == {citizen.url}
    phone.page.goto(first_four[0].url)
    expect(phone.page.locator(".status-now")).to_contain_text("Đã tiếp nhận")
    assert first_four[0].code in phone.page.content() and first_four[0].name not in phone.page.content()
    morning.step("receipts printed and read")

    # 07:40 to 08:20 — the queue: thirty more citizens, the four counters in turn.
    with database.connection_context():
        procedures = [Procedure.get(Procedure.code == code) for code in QUICK_PROCEDURES]
        for procedure in procedures:
            list(procedure.documents)
    tokens = [morning.csrf(counter) for counter in counters]
    for index, citizen in enumerate(citizens[4:34]):
        if index % 6 == 0:
            morning.advance(10)
        counter = index % 4
        with database.connection_context():
            _post_intake(morning, counters[counter], citizen, procedures[index % len(procedures)], tokens[counter])
    with database.connection_context():
        assert Dossier.select().count() == 34
        assert [citizen.dossier.counter.name for citizen in citizens[4:8]] == ["Quầy 1", "Quầy 2", "Quầy 3", "Quầy 4"]

    # 08:40 — the specialist asks the first citizen for a document, through the dossier page.
    morning.set_clock(MORNING.replace(hour=8, minute=40))
    waiting = first_four[0]
    page = specialist.page
    page.goto(f"{url}/ho-so/{waiting.code}")
    page.locator("form.action-start").get_by_role("button", name="Bắt đầu giải quyết").click()
    expect(page.locator(".flash-success")).to_be_visible()
    request = page.locator("form.action-request_documents")
    with database.connection_context():
        missing = ProcedureDocument.select().join(Procedure).where(Procedure.code == COPY_PROCEDURE).order_by(ProcedureDocument.order).first().name
    request.get_by_label(missing).check()
    request.get_by_label("Nội dung cần bổ sung").fill("Mang theo bản chính để đối chiếu.")
    request.get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(page.locator(".dossier-state")).to_contain_text("Chờ bổ sung")
    phone.page.reload()
    expect(phone.page.locator(".status-now")).to_contain_text("Chờ bổ sung")
    expect(phone.page.get_by_text(missing)).to_be_visible()

    # 09:00 — the leader approves: one through the page with its shelf, the others through the same form.
    morning.set_clock(MORNING.replace(hour=9, minute=0))
    approved = [first_four[1]] + citizens[4:12]
    page = leader.page
    page.goto(f"{url}/ho-so/{approved[0].code}")
    page.locator("form.action-start").get_by_role("button", name="Bắt đầu giải quyết").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.locator("form.action-approve").get_by_label("Ngăn/kệ để kết quả").fill("Kệ A, ngăn 1")
    page.locator("form.action-approve").get_by_role("button", name="Phê duyệt").click()
    expect(page.locator(".dossier-state")).to_contain_text("Đã có kết quả, chờ trả")
    for number, citizen in enumerate(approved[1:]):
        _act(morning, leader, citizen, "start")
        _act(morning, leader, citizen, "approve", shelf=f"Kệ B, ngăn {number % 5 + 1}")

    # The TV shows every ready result, each row of each page in sight.
    morning.step("approved")
    _watch_tv(tv, _ready(citizens), shots=tmp_path / "tv-0900")
    expect(tv.page.locator(".board-clock")).to_have_text("09:00")
    morning.step("TV watched")

    # 09:10 — the pickup desk scans one receipt after another; each scan replaces the dossier on screen.
    morning.set_clock(MORNING.replace(hour=9, minute=10))
    for citizen in (approved[0], approved[1], waiting, approved[2]):
        _scan_at_desk(desk, citizen, citizens)
    expect(desk.page.locator("#pickup-result .status-big")).to_have_text("Đã có kết quả, chờ trả")
    desk.page.screenshot(path=str(tmp_path / "desk-scan.png"))
    desk.page.get_by_role("button", name="Xác nhận trả kết quả").click()
    expect(desk.page.get_by_text(f"Đã trả kết quả hồ sơ {approved[2].code} cho {approved[2].name}.")).to_be_visible()
    _scan_at_desk(desk, approved[3], citizens)
    # A receipt of a code the center never issued: a clear message, and nothing left of the dossier before.
    page = desk.page
    page.keyboard.type(approved[3].code[:-4] + "0999")
    page.keyboard.press("Enter")
    desk.provoke(404, "GET", "/tra-ket-qua")
    expect(page.locator("#pickup-result")).to_contain_text("Không tìm thấy hồ sơ nào với mã này.")
    expect(page.locator("#pickup-result .pickup-dossier")).to_have_count(0)
    expect(page.get_by_role("button", name="Xác nhận trả kết quả")).to_have_count(0)
    _scan_at_desk(desk, approved[3], citizens)
    with database.connection_context():
        assert approved[2].dossier.status == "returned" and approved[3].dossier.status == "result_ready"

    # 09:20 — at the kiosk, ten citizens mistype their lookup codes, twice each, among others who get it right.
    morning.set_clock(MORNING.replace(hour=9, minute=20))
    with database.connection_context():
        lookups = {citizen.code: citizen.dossier.lookup_code for citizen in citizens[:34]}
    for round_ in range(2):
        for citizen in citizens[20:30]:
            _kiosk_typo(morning, kiosk, citizen, _wrong_lookup(lookups[citizen.code]))
        _kiosk_finds(morning, kiosk, citizens[30 + round_])
    for citizen in (citizens[20], citizens[29]):
        _kiosk_finds(morning, kiosk, citizen)
    # A receipt's QR scanned at the kiosk is never refused, nor the status page on a phone.
    kiosk.page.goto(url + "/tra-cuu")
    kiosk.page.keyboard.type(waiting.url)
    kiosk.page.keyboard.press("Enter")
    expect(kiosk.page.locator(".status-now")).to_contain_text("Chờ bổ sung")
    phone.page.reload()
    expect(phone.page.locator(".status-now")).to_contain_text("Chờ bổ sung")
    # Short forms of the code: the day and number, or the number alone, with the lookup code.
    short = citizens[24]
    day_and_number = "-".join(short.code.split("-")[-2:])
    _kiosk_finds(morning, kiosk, short, code=day_and_number)
    _kiosk_finds(morning, kiosk, citizens[25], code=citizens[25].code[-4:])

    # 09:30 — the server restarts (an update); two counters have a form half typed meanwhile.
    morning.set_clock(MORNING.replace(hour=9, minute=30))
    _fill_intake(morning, counters[1], citizens[34])
    _fill_intake(morning, counters[2], citizens[35])
    morning.server.stop()
    expect(tv.page.locator("#board-offline")).to_be_visible(timeout=20000)
    expect(tv.page.locator("#board-offline")).to_contain_text("Mất kết nối")
    assert tv.page.locator(TV_ROWS).count() > 0
    tv.page.screenshot(path=str(tmp_path / "tv-offline.png"))
    morning.step("server stopped")
    morning.server.restart()
    morning.step("server started")

    # Every page carries on: the half-typed forms save, the desk scans, the kiosk looks up, the TV refreshes.
    counters[1].page.locator("#save").click()
    citizens[34].code = _receipt_code(counters[1])
    counters[2].page.locator("#save").click()
    citizens[35].code = _receipt_code(counters[2])
    assert _decode_receipt_qr(counters[2].page, tmp_path, "receipt-after-restart") == {citizens[35].url}
    tokens = [morning.csrf(counter) for counter in counters]
    with database.connection_context():
        for index, citizen in enumerate(citizens[36:]):
            _post_intake(morning, counters[index % 4], citizen, procedures[index % len(procedures)], tokens[index % 4])
        assert Dossier.select().count() == 40
    expect(tv.page.locator("#board-offline")).to_be_hidden(timeout=20000)
    _scan_at_desk(desk, approved[4], citizens)
    _kiosk_finds(morning, kiosk, citizens[26])

    # 10:00 — more results; the desk hands two over and shows the waiting dossier as waiting.
    morning.set_clock(MORNING.replace(hour=10, minute=0))
    for number, citizen in enumerate(citizens[12:20] + citizens[26:40]):
        _act(morning, leader, citizen, "start")
        _act(morning, leader, citizen, "approve", shelf=f"Kệ C, ngăn {number % 5 + 1}")
    desk.page.get_by_role("button", name="Xác nhận trả kết quả").click()
    expect(desk.page.get_by_text(f"Đã trả kết quả hồ sơ {approved[4].code}")).to_be_visible()
    _scan_at_desk(desk, citizens[30], citizens)
    desk.page.get_by_role("button", name="Xác nhận trả kết quả").click()
    expect(desk.page.get_by_text(f"Đã trả kết quả hồ sơ {citizens[30].code}")).to_be_visible()
    _scan_at_desk(desk, waiting, citizens)
    expect(desk.page.locator("#pickup-result .status-big")).to_have_text("Chờ bổ sung")
    expect(desk.page.get_by_role("button", name="Xác nhận trả kết quả")).to_have_count(0)
    desk.page.screenshot(path=str(tmp_path / "desk-waiting.png"))

    # The TV, never reloaded, shows the new results and no longer the ones handed over, page after page.
    morning.step("handed over")
    ready = _ready(citizens)
    assert len(ready) == 28
    assert _watch_tv(tv, ready, shots=tmp_path / "tv-1000") >= 2
    assert tv.page.evaluate("window.sameBoardPage") is True
    # Quầy 1's own smaller screen (1280×720) lists only its results, every row in sight too.
    counter_tv = morning.screen(browser, "TV Quầy 1", viewport={"width": 1280, "height": 720})
    with database.connection_context():
        counter_one = Counter.get(Counter.name == "Quầy 1").id
    counter_tv.page.goto(f"{url}/bang-tin?panels=ready&counter={counter_one}&seconds={TV_SECONDS}")
    _watch_tv(counter_tv, _ready(citizens, "Quầy 1"), shots=tmp_path / "tv-quay-1")
    morning.step("TV watched")

    # Nobody met an error they did not cause, and no page's script failed.
    for screen in morning.screens:
        assert screen.unprovoked() == [], f"{screen.name}: {screen.unprovoked()}"
        assert screen.crashes == [], f"{screen.name}: {screen.crashes}"
    assert sum(screen.provoked.total() for screen in morning.screens) == 21
