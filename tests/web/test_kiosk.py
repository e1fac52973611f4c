"""The lookup kiosk: a scanned QR or a code with its lookup code leads to the status page; wrong pairs learn nothing."""
import re

import pytest

from app.ratelimit import SlidingWindowLimiter
from tests.conftest import csrf_token_from

WRONG_PAIR = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."


def submit(client, **data):
    csrf = csrf_token_from(client.get("/tra-cuu").get_data(as_text=True))
    return client.post("/tra-cuu", data={"csrf_token": csrf, **data})


def test_kiosk_page_has_one_focused_box_and_links_the_catalogue(client, app):
    response = client.get("/tra-cuu")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'<input[^>]*id="ma"[^>]*autofocus', page)
    assert "Mã tra cứu (4 ký tự in trên giấy biên nhận)" in page
    assert "js/kiosk.js" in page and "htmx-2" not in page
    if "catalogue.index" in app.view_functions:
        assert "Xem danh mục thủ tục hành chính" in page


@pytest.mark.parametrize(
    "typed_code, typed_lookup",
    [
        ("{code}", "{lookup}"),
        ("  {code}  ", " {lookup_lower} "),
        ("{code_lower}", "{lookup}"),
        ("{code_spaced}", "{lookup}"),
    ],
    ids=["exact", "spaces-lowercase-lookup", "lowercase-code", "spaces-inside"],
)
def test_code_and_lookup_code_lead_to_the_status_page(client, make_dossier, typed_code, typed_lookup):
    dossier = make_dossier()
    values = {
        "code": dossier.code,
        "code_lower": dossier.code.lower(),
        "code_spaced": dossier.code.replace("-", " - "),
        "lookup": dossier.lookup_code,
        "lookup_lower": dossier.lookup_code.lower(),
    }
    response = submit(client, ma=typed_code.format(**values), ma_tra_cuu=typed_lookup.format(**values))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/tra-cuu/{dossier.token}?tu=kiosk"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert dossier.code in page
    # On the shared kiosk the dossier leaves the screen by itself.
    assert 'http-equiv="refresh" content="60;url=/tra-cuu"' in page


def test_wrong_pairs_are_refused_with_one_message(client, make_dossier):
    dossier = make_dossier()
    other = make_dossier()
    wrong_lookup = next(c for c in ("KKKK", "MMMM") if c != dossier.lookup_code)
    pages = []
    for code, lookup in [
        (dossier.code, wrong_lookup),
        (dossier.code, other.lookup_code if other.lookup_code != dossier.lookup_code else wrong_lookup),
        (dossier.code[:-4] + "9999", dossier.lookup_code),
        ("000.00.20.H99-261130-0001", dossier.lookup_code),
        (dossier.code, "0O1I"),
    ]:
        response = submit(client, ma=code, ma_tra_cuu=lookup)
        assert response.status_code == 400, (code, lookup)
        page = response.get_data(as_text=True)
        assert WRONG_PAIR in page
        pages.append(page)
    for page in pages:
        assert "mã tra cứu không đúng" not in page and "mã hồ sơ không đúng" not in page


def test_code_without_lookup_code_asks_for_it(client, make_dossier):
    dossier = make_dossier()
    response = submit(client, ma=dossier.code, ma_tra_cuu="")
    assert response.status_code == 400
    assert "Vui lòng nhập mã tra cứu 4 ký tự in trên giấy biên nhận." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "scanned",
    [
        "http://192.168.1.10:8080/tra-cuu/{token}",
        "https://other-server.example/tra-cuu/{token}",
        "]Q1http://192.168.1.10:8080/tra-cuu/{token}\r",
        "  {token}  ",
    ],
    ids=["lan-url", "other-host", "scanner-prefix", "bare-token"],
)
def test_scanned_qr_url_with_enter_leads_to_the_status_page(client, make_dossier, scanned):
    dossier = make_dossier()
    response = submit(client, ma=scanned.format(token=dossier.token))
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/tra-cuu/{dossier.token}")


@pytest.mark.parametrize("scanned", ["", "   ", "xin chào", "12", "A" * 5000], ids=["empty", "spaces", "words", "suffix", "5000"])
def test_unreadable_input_gets_a_clear_answer(client, app, scanned):
    response = submit(client, ma=scanned)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Vui lòng quét mã QR" in page or "Không đọc được mã này." in page


def test_unknown_token_scanned_is_refused(client, app):
    response = submit(client, ma="http://192.168.1.10:8080/tra-cuu/" + "Z" * 32)
    assert response.status_code == 400
    assert "Không tìm thấy hồ sơ của mã QR này." in response.get_data(as_text=True)


def test_kiosk_is_rate_limited_after_wrong_pairs(client, app, make_dossier):
    dossier = make_dossier()
    app.config.update(LOOKUP_MISS_LIMIT=3)
    for _ in range(3):
        assert submit(client, ma=dossier.code, ma_tra_cuu="KKKK" if dossier.lookup_code != "KKKK" else "MMMM").status_code == 400
    response = submit(client, ma=dossier.code, ma_tra_cuu=dossier.lookup_code)
    assert response.status_code == 429
    assert "tra cứu sai quá nhiều lần" in response.get_data(as_text=True)
    app.extensions["lookup_limiter"].reset()
    assert submit(client, ma=dossier.code, ma_tra_cuu=dossier.lookup_code).status_code == 303


def test_kiosk_post_needs_the_csrf_token(client, make_dossier):
    dossier = make_dossier()
    assert client.post("/tra-cuu", data={"ma": dossier.code, "ma_tra_cuu": dossier.lookup_code}).status_code == 400


def test_sliding_window_forgets_old_misses_and_resets():
    moment = [0.0]
    limiter = SlidingWindowLimiter(limit=2, window=60, clock=lambda: moment[0])
    limiter.hit("10.0.0.1")
    moment[0] = 30
    limiter.hit("10.0.0.1")
    assert limiter.blocked("10.0.0.1") and not limiter.blocked("10.0.0.2")
    moment[0] = 61  # the first miss has left the window
    assert not limiter.blocked("10.0.0.1")
    limiter.hit("10.0.0.1")
    assert limiter.blocked("10.0.0.1")
    limiter.reset()
    assert not limiter.blocked("10.0.0.1")
