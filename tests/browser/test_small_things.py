"""Small things a person notices on screen and on paper: each one checked where it shows, in Chromium."""
import datetime

import pytest
from playwright.sync_api import expect

from app.db import database
from app.models import User
from app.services import pickup
from tests.browser.staff import login, make_dossier, make_ready_dossier, make_staff

pytestmark = pytest.mark.browser


def test_dossier_code_under_the_receipts_qr_stays_on_one_line(server, page):
    make_staff(server)
    dossier = make_dossier("Nguyễn Văn An", datetime.datetime(2026, 11, 30, 9, 0))
    login(page, server, "tiep_nhan")
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        page.goto(f"{server.url}/ho-so/{dossier.code}/bien-nhan")
        captions = page.locator(".qr-block .code")
        assert captions.count() == 2
        for index in range(2):
            caption = captions.nth(index)
            assert caption.inner_text() == dossier.code
            lines = caption.evaluate("element => element.getClientRects().length")
            fits = caption.evaluate("element => element.getBoundingClientRect().width <= element.closest('figure').getBoundingClientRect().width + 0.5")
            assert lines == 1 and fits, (media, index)


def test_board_settings_put_order_and_seconds_side_by_side(server, page):
    make_staff(server)
    login(page, server, "quan_tri")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(server.url + "/quan-tri/bang-tin")
    rows = page.locator("form table tbody tr")
    assert rows.count() >= 3
    for index in range(rows.count()):
        row = rows.nth(index)
        order = row.locator("input[name^=order_]").bounding_box()
        seconds = row.locator("input[name^=seconds_]").bounding_box()
        header = page.locator("form table thead th").nth(3).bounding_box()
        # One row of the table, two columns: the boxes side by side, the seconds under their heading.
        assert abs(order["y"] - seconds["y"]) < 2 and seconds["x"] > order["x"] + order["width"]
        assert header["x"] - 1 <= seconds["x"] <= header["x"] + header["width"]


def test_empty_rating_is_answered_by_the_page_in_vietnamese(server, browser):
    make_staff(server)
    dossier = make_ready_dossier("Nguyễn Văn An", datetime.datetime(2026, 11, 30, 9, 0))
    with database.connection_context():
        pickup.hand_over(dossier, User.get(User.username == "tiepnhan"), dossier.version,
                         pickup.HandOver(collector=pickup.COLLECTOR_APPLICANT, collector_name="Nguyễn Văn An", collector_id_number="001203012345"))
    # A phone set to English: the browser's own bubble would speak English.
    phone = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    citizen = phone.new_page()
    citizen.goto(f"{server.url}/tra-cuu/{dossier.token}")
    citizen.get_by_label("Góp ý (không bắt buộc)").fill("Nhanh gọn.")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.locator("#muc_do-error")).to_have_text("Vui lòng chọn một mức độ hài lòng.")
    expect(citizen.get_by_label("Góp ý (không bắt buộc)")).to_have_value("Nhanh gọn.")
    citizen.get_by_label("Hài lòng", exact=True).check()
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_text("Cảm ơn ông/bà đã đánh giá.")).to_be_visible()
    phone.close()
