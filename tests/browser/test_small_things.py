"""Small things a person notices on screen and on paper: each one checked where it shows, in Chromium."""
import datetime

import pytest

from tests.browser.staff import login, make_dossier, make_staff

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
