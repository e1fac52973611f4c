"""How long filling the applicant takes at intake: one ID card scan against typing the same fields by hand.

Run: .venv/bin/python scripts/card_scan_time.py [milliseconds per keystroke, default 200]
Serves the app with waitress on a scratch database and drives Chromium (/usr/bin/chromium): once a
scanner types the card's QR text (5 ms a key, then Enter) until the fields are filled; once a person
types name, ID number and address and picks the village, at the given pace per character. Also prints
the keystrokes typing would really take with Telex (ễ = e e x) and with birth date and sex added.
"""
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.db import database, open_database  # noqa: E402
from app.models import Counter, User, Village  # noqa: E402
from app.views.auth import hash_password  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

CARD = "042085001234|182345678|NGUYỄN VĂN ĐỨC|15031985|Nam|Thôn Trung Tiết, Xã Thạch Hà, Tỉnh Hà Tĩnh|10082021"
FIELDS = {"applicant_name": "Nguyễn Văn Đức", "id_number": "042085001234", "address": "Thôn Trung Tiết, Xã Thạch Hà, Tỉnh Hà Tĩnh"}
VILLAGE_TYPED = "Thôn Trung"
NOT_ON_THE_FORM = ("15/03/1985", "Nam")  # birth date and sex, if the officer had to type them too
SCANNER_DELAY_MS = 5
PASSWORD = "mat-khau-do"


def telex_keystrokes(text: str) -> int:
    """Keys a person presses for `text` with Telex: each mark is one more key (ễ = e e x), đ is d d."""
    return sum(2 if char in "đĐ" else 1 for char in unicodedata.normalize("NFD", text))


def main(pace_ms: int) -> None:
    server = Server(Path(tempfile.mkdtemp())).start()
    try:
        open_database(server.database_url)
        with database.connection_context():
            counter, _ = Counter.get_or_create(name="Quầy 1", defaults={"order": 1})
            User.create(username="dem", full_name="Đo thời gian", password_hash=hash_password(PASSWORD), roles_text="tiep_nhan", counter=counter)
            Village.create(name="Thôn Trung Tiết", order=1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url + "/dang-nhap")
            page.get_by_label("Tên đăng nhập").fill("dem")
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.keyboard.press("Enter")
            page.wait_for_url(server.url + "/")

            page.goto(server.url + "/tiep-nhan")
            page.locator("#applicant_name").focus()
            start = time.perf_counter()
            page.keyboard.type(CARD, delay=SCANNER_DELAY_MS)
            page.keyboard.press("Enter")
            page.locator("#card-birth-date").wait_for()
            page.wait_for_function("document.querySelector('#village').selectedOptions[0].text === 'Thôn Trung Tiết'")
            scanned = time.perf_counter() - start
            assert all(page.locator(f"#{name}").input_value() == value for name, value in FIELDS.items())

            page.goto(server.url + "/tiep-nhan")
            start = time.perf_counter()
            for name, value in FIELDS.items():
                page.locator(f"#{name}").focus()
                page.keyboard.type(value, delay=pace_ms)
            page.locator("#village").focus()
            page.keyboard.type(VILLAGE_TYPED, delay=pace_ms)
            typed = time.perf_counter() - start
            assert page.locator("#village option:checked").inner_text() == "Thôn Trung Tiết"
            browser.close()
    finally:
        server.stop()

    characters = sum(len(value) for value in FIELDS.values()) + len(VILLAGE_TYPED)
    keys = sum(telex_keystrokes(value) for value in (*FIELDS.values(), VILLAGE_TYPED))
    extra = sum(telex_keystrokes(value) for value in NOT_ON_THE_FORM)
    print(f"Quét thẻ ({len(CARD)} ký tự, {SCANNER_DELAY_MS} ms/phím) đến khi điền xong: {scanned:5.1f} giây (đo)")
    print(f"Gõ tay {characters} ký tự ({pace_ms} ms/ký tự):             {typed:5.1f} giây (đo)")
    print(f"Gõ Telex thật: {keys} phím → {keys * pace_ms / 1000:5.1f} giây; thêm ngày sinh, giới tính: "
          f"{(keys + extra) * pace_ms / 1000:5.1f} giây (tính, không đo; chưa kể chuyển ô, sửa lỗi)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
