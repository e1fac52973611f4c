"""The lookup kiosk: a scanned QR or a code with its lookup code leads to the status page; wrong pairs learn nothing."""
import re

import pytest

from app.ratelimit import SlidingWindowLimiter
from tests.conftest import csrf_token_from

WRONG_PAIR = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."


def submit(client, environ_base=None, **data):
    csrf = csrf_token_from(client.get("/tra-cuu").get_data(as_text=True))
    return client.post("/tra-cuu", data={"csrf_token": csrf, **data}, environ_base=environ_base or {})


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


@pytest.mark.parametrize("scanned", ["", "   ", "xin chào", "12345", "A" * 5000], ids=["empty", "spaces", "words", "five-digits", "5000"])
def test_unreadable_input_gets_a_clear_answer(client, app, scanned):
    response = submit(client, ma=scanned)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Vui lòng quét mã QR" in page or "Không đọc được mã này." in page


def test_unknown_token_scanned_is_refused(client, app):
    response = submit(client, ma="http://192.168.1.10:8080/tra-cuu/" + "Z" * 32)
    assert response.status_code == 400
    assert "Không tìm thấy hồ sơ của mã QR này." in response.get_data(as_text=True)


def wrong_lookup(dossier) -> str:
    return "KKKK" if dossier.lookup_code != "KKKK" else "MMMM"


def unknown_code(number: int) -> str:
    return f"000.00.20.H42-261130-{9000 + number:04d}"


def test_kiosk_is_rate_limited_after_wrong_pairs(client, app, make_dossier):
    dossier = make_dossier()
    app.config.update(LOOKUP_MISS_LIMIT=3)
    for _ in range(3):
        assert submit(client, ma=dossier.code, ma_tra_cuu=wrong_lookup(dossier)).status_code == 400
    response = submit(client, ma=dossier.code, ma_tra_cuu=dossier.lookup_code)
    assert response.status_code == 429
    assert "tra cứu sai quá nhiều lần" in response.get_data(as_text=True)
    app.extensions["lookup_limiter"].reset()
    assert submit(client, ma=dossier.code, ma_tra_cuu=dossier.lookup_code).status_code == 303


def test_typos_on_a_busy_kiosk_do_not_lock_out_the_next_citizen(client, make_dossier):
    """Thirty-nine wrong lookups from one PC in ten minutes, each against another dossier, still let citizens in."""
    for number in range(39):
        assert submit(client, ma=unknown_code(number), ma_tra_cuu="KKKK").status_code == 400
    for dossier in (make_dossier(), make_dossier()):
        response = submit(client, ma=dossier.code, ma_tra_cuu=dossier.lookup_code)
        assert response.status_code == 303, "a right lookup does not use up the PC's allowance"
        assert response.headers["Location"] == f"/tra-cuu/{dossier.token}?tu=kiosk"


def test_a_pc_guessing_across_dossiers_is_stopped_yet_a_qr_scan_still_opens(client, make_dossier):
    dossier = make_dossier()
    for number in range(40):
        assert submit(client, ma=unknown_code(number), ma_tra_cuu="KKKK").status_code == 400
    response = submit(client, ma=dossier.code, ma_tra_cuu=dossier.lookup_code)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Máy này đã tra cứu sai quá nhiều lần." in page
    assert "Màn hình sẽ tự quay lại ô tra cứu sau 20 giây." in page
    assert 'http-equiv="refresh" content="20;url=/tra-cuu"' in page
    assert 'href="/tra-cuu">Quay lại ô tra cứu</a>' in page
    # A token cannot be guessed, so a right one is never refused.
    scanned = submit(client, ma=f"http://192.168.1.10:8080/tra-cuu/{dossier.token}")
    assert scanned.status_code == 303
    assert client.get(scanned.headers["Location"]).status_code == 200
    # Another PC is not affected.
    other = submit(client, ma=dossier.code, ma_tra_cuu=dossier.lookup_code, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other.status_code == 303


def test_one_dossier_cannot_be_guessed_from_many_pcs(app, client, make_dossier):
    moment = [0.0]
    app.extensions["dossier_lookup_limiter"] = SlidingWindowLimiter(limit=5, window=3600, clock=lambda: moment[0])
    target, neighbour = make_dossier(), make_dossier()
    for number in range(5):
        response = submit(client, ma=target.code, ma_tra_cuu=wrong_lookup(target), environ_base={"REMOTE_ADDR": f"10.0.0.{number}"})
        assert response.status_code == 400
    moment[0] = 3599
    for address in ("10.0.0.9", "10.0.0.1"):
        response = submit(client, ma=target.code, ma_tra_cuu=target.lookup_code, environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 429
        page = response.get_data(as_text=True)
        assert "Hồ sơ này đã bị nhập sai mã tra cứu nhiều lần" in page
        assert "quét mã QR trên giấy biên nhận" in page
        assert 'id="ma"' in page, "the box stays for the next try"
    assert submit(client, ma=neighbour.code, ma_tra_cuu=neighbour.lookup_code, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 303
    assert submit(client, ma=target.token).status_code == 303
    # An hour after the first wrong try the dossier opens again with its code.
    moment[0] = 3601
    assert submit(client, ma=target.code, ma_tra_cuu=target.lookup_code).status_code == 303


def test_concurrent_wrong_lookups_never_pass_the_limit(app, make_dossier):
    """Sixteen wrong lookups at once from one PC with room for five: five are tried, eleven wait."""
    import threading

    app.config.update(LOOKUP_MISS_LIMIT=5)
    clients = [app.test_client() for _ in range(16)]
    tokens = [csrf_token_from(one.get("/tra-cuu").get_data(as_text=True)) for one in clients]
    barrier = threading.Barrier(16)
    statuses = []

    def guess(number):
        barrier.wait()
        response = clients[number].post("/tra-cuu", data={"csrf_token": tokens[number], "ma": unknown_code(number), "ma_tra_cuu": "KKKK"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [400] * 5 + [429] * 11


def test_limiter_counts_and_gives_back_atomically():
    import threading

    limiter = SlidingWindowLimiter(limit=5, window=60, clock=lambda: 0.0)
    barrier = threading.Barrier(32)
    passed = []

    def attempt():
        barrier.wait()
        passed.append(limiter.acquire("10.0.0.1"))

    threads = [threading.Thread(target=attempt) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert passed.count(True) == 5
    limiter.release("10.0.0.1")
    assert limiter.acquire("10.0.0.1") and not limiter.acquire("10.0.0.1")


def test_kiosk_post_needs_the_csrf_token(client, make_dossier):
    dossier = make_dossier()
    assert client.post("/tra-cuu", data={"ma": dossier.code, "ma_tra_cuu": dossier.lookup_code}).status_code == 400


def test_sliding_window_forgets_old_misses_and_resets():
    moment = [0.0]
    limiter = SlidingWindowLimiter(limit=2, window=60, clock=lambda: moment[0])
    assert limiter.acquire("10.0.0.1")
    moment[0] = 30
    assert limiter.acquire("10.0.0.1")
    assert not limiter.acquire("10.0.0.1") and limiter.acquire("10.0.0.2")
    moment[0] = 61  # the first miss has left the window
    assert limiter.acquire("10.0.0.1")
    assert not limiter.acquire("10.0.0.1")
    limiter.reset()
    assert limiter.acquire("10.0.0.1")


@pytest.mark.parametrize(
    "typed",
    ["{day}-{number:04d}", "{day} {number}", "{day}{number:04d}", "{number:04d}", "{number}", " {number} "],
    ids=["date-number", "date-space-short", "date-glued", "number", "short-number", "spaced-number"],
)
def test_short_forms_of_the_code_lead_to_the_status_page(client, make_dossier, typed):
    make_dossier()
    dossier = make_dossier()
    response = submit(client, ma=typed.format(day=dossier.received_day.strftime("%y%m%d"), number=dossier.sequence), ma_tra_cuu=dossier.lookup_code)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/tra-cuu/{dossier.token}?tu=kiosk"


def test_a_number_shared_by_open_dossiers_asks_for_the_date(client, make_dossier):
    import datetime

    first = make_dossier()
    second = make_dossier(received_at=datetime.datetime(2026, 12, 1, 9, 0))
    assert first.sequence == second.sequence == 1
    response = submit(client, ma="1", ma_tra_cuu=second.lookup_code)
    assert response.status_code == 400
    assert "Có nhiều hồ sơ cùng số này. Vui lòng nhập thêm ngày tiếp nhận như 261130-0001" in response.get_data(as_text=True)
    response = submit(client, ma="261201-0001", ma_tra_cuu=second.lookup_code)
    assert response.headers["Location"] == f"/tra-cuu/{second.token}?tu=kiosk"


def test_a_number_alone_counts_only_open_dossiers(client, make_dossier):
    import datetime

    from tests.web.test_status_page import drive
    from app.rules.status import Status

    drive(make_dossier, Status.RETURNED)
    open_one = make_dossier(received_at=datetime.datetime(2026, 12, 1, 9, 0))
    response = submit(client, ma="0001", ma_tra_cuu=open_one.lookup_code)
    assert response.headers["Location"] == f"/tra-cuu/{open_one.token}?tu=kiosk"


def test_wrong_lookup_codes_with_a_short_form_count_against_that_dossier(client, make_dossier):
    dossier = make_dossier()
    for _ in range(5):
        assert submit(client, ma="1", ma_tra_cuu=wrong_lookup(dossier)).status_code == 400
    assert submit(client, ma=dossier.code, ma_tra_cuu=dossier.lookup_code).status_code == 429


def test_a_short_form_nobody_has_is_a_wrong_pair(client, make_dossier):
    make_dossier()
    for typed in ("0002", "261201-0001"):
        response = submit(client, ma=typed, ma_tra_cuu="KKKK")
        assert response.status_code == 400
        assert WRONG_PAIR in response.get_data(as_text=True)


def test_a_number_without_the_lookup_code_asks_for_it(client, make_dossier):
    make_dossier()
    response = submit(client, ma="12", ma_tra_cuu="")
    assert response.status_code == 400
    assert "Vui lòng nhập mã tra cứu 4 ký tự in trên giấy biên nhận." in response.get_data(as_text=True)
