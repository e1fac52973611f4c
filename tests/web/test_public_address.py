"""The public address in the QR codes: set at the first admin login, confirmed only when the server reaches itself."""
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.db import database
from app.models import Setting, User
from app.services import public_address
from app.settings import load as load_settings
from app.settings import save as save_settings
from tests.browser.conftest import free_port
from tests.conftest import PASSWORD, _HASH

DEFAULT_ADDRESS = "http://192.168.1.10:8080"
UNCHECKED = "chưa được kiểm tra nên điện thoại của người dân có thể không mở được"


class LiveServer:
    """A real HTTP server on a free local port, in a thread, serving `wsgi_app`."""

    def __init__(self, wsgi_app):
        self.server = make_server("127.0.0.1", free_port(), wsgi_app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join()


def another_web_server(environ, start_response):
    """Some other machine on the LAN that answers every address (a router's page, another program)."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"Xin chao"]


def check_address(auth, address):
    return auth.post("/quan-tri/dia-chi-tra-cuu", {"public_base_url": address}, token_from="/quan-tri/dia-chi-tra-cuu")


def stored_address() -> str:
    with database.connection_context():
        return load_settings()["public_base_url"]


def test_first_admin_login_leads_to_the_address_step_prefilled_with_the_browsers_address(client, auth, app):
    with database.connection_context():
        User.update(must_change_password=True).where(User.username == "quantri").execute()
    # The admin's browser on another PC of the LAN, as after installing on the server.
    app.config["SERVER_NAME"] = "192.168.1.20:8080"
    auth.login("quan_tri")
    token = auth.csrf("/doi-mat-khau")
    response = client.post("/doi-mat-khau", data={"current": PASSWORD, "new": "mat-khau-moi-123", "confirm": "mat-khau-moi-123", "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/quan-tri/dia-chi-tra-cuu"
    # The address the admin's browser used is offered; this machine's own name would be no use to a phone.
    page = client.get("/quan-tri/dia-chi-tra-cuu").get_data(as_text=True)
    assert 'value="http://192.168.1.20:8080"' in page
    assert f"Địa chỉ hiện tại <strong>{DEFAULT_ADDRESS}</strong> chưa được kiểm tra" in page
    app.config["SERVER_NAME"] = "localhost:8080"
    auth.login("quan_tri", password="mat-khau-moi-123")
    assert f'value="{DEFAULT_ADDRESS}"' in client.get("/quan-tri/dia-chi-tra-cuu").get_data(as_text=True)


def test_unconfirmed_address_warns_the_officer_on_intake_and_the_receipt_on_screen_only(client, auth, make_dossier):
    dossier = make_dossier()
    auth.login("tiep_nhan")
    for path in ("/tiep-nhan", f"/ho-so/{dossier.code}/bien-nhan"):
        page = client.get(path).get_data(as_text=True)
        warning = re.search(r'<p class="address-warning no-print" role="alert">(.*?)</p>', page, re.S)
        assert warning, path
        assert f"mã QR trên biên nhận trỏ tới {DEFAULT_ADDRESS}, địa chỉ này {UNCHECKED}" in warning.group(1)
        assert "Hãy báo quản trị viên kiểm tra địa chỉ tra cứu" in warning.group(1)
        assert "/quan-tri/dia-chi-tra-cuu" not in warning.group(1)
    # On paper the receipt has no such line: what is not printed is hidden by the print style.
    css = (Path(__file__).resolve().parents[2] / "static/css/app.css").read_text()
    assert re.search(r"@media print \{\s*\.no-print[^{]*\{ display: none !important; \}", css)


def test_an_admin_at_the_counter_gets_a_link_to_the_check(client, auth, db):
    User.create(username="quantri2", full_name="Quản trị tiếp nhận", password_hash=_HASH, roles_text="tiep_nhan,quan_tri")
    auth.login(username="quantri2")
    page = client.get("/tiep-nhan").get_data(as_text=True)
    assert '<a href="/quan-tri/dia-chi-tra-cuu">Kiểm tra địa chỉ tra cứu</a>' in page


def test_the_server_confirms_an_address_that_reaches_it_and_the_warning_goes(app, client, auth, make_dossier):
    dossier = make_dossier()
    with LiveServer(app) as live:
        auth.login("quan_tri")
        response = check_address(auth, live.url + "/")
        assert response.status_code == 303
        assert f"Đã kiểm tra: {live.url} tới được máy chủ này" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert stored_address() == live.url
    with database.connection_context():
        assert Setting.get(Setting.key == public_address.CONFIRMED_KEY).value == live.url
    auth.logout()
    auth.login("tiep_nhan")
    assert UNCHECKED not in client.get("/tiep-nhan").get_data(as_text=True)
    receipt = client.get(f"/ho-so/{dossier.code}/bien-nhan").get_data(as_text=True)
    assert UNCHECKED not in receipt and f"vào {live.url}/tra-cuu" in receipt
    # Changed by hand in the settings, the address is unchecked again.
    with database.connection_context():
        save_settings({"public_base_url": "http://192.168.1.30:8080"})
    assert UNCHECKED in client.get("/tiep-nhan").get_data(as_text=True)


@pytest.mark.parametrize(
    "where, message",
    [
        ("nothing", "Không kết nối được tới http://127.0.0.1:"),
        ("other", "có trả lời, nhưng đó không phải máy chủ Một Cửa này"),
        ("192.168.1.10:8080", "Nhập địa chỉ dạng http://192.168.1.10:8080."),
    ],
)
def test_a_wrong_address_is_refused_beside_the_field_and_nothing_changes(client, auth, db, where, message):
    auth.login("quan_tri")
    if where == "other":
        with LiveServer(another_web_server) as other:
            response = check_address(auth, other.url)
    else:
        response = check_address(auth, f"http://127.0.0.1:{free_port()}" if where == "nothing" else where)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(rf'<p class="error" id="public_base_url-error">[^<]*{re.escape(message)}', page)
    assert 'aria-invalid="true"' in page
    assert stored_address() == DEFAULT_ADDRESS
    assert Setting.get_or_none(Setting.key == public_address.CONFIRMED_KEY) is None


def test_the_echo_answers_only_a_nonce_this_server_just_issued(client, db):
    assert client.get("/tra-cuu/kiem-tra-dia-chi/0123456789abcdef0123456789abcdef").status_code == 404
    nonce = public_address.issue_nonce()
    response = client.get(f"/tra-cuu/kiem-tra-dia-chi/{nonce}")
    assert response.status_code == 200 and response.get_data(as_text=True) == nonce
