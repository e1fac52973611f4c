import datetime

import pytest

from app.clock import now
from app.db import database
from app.models import AuditLog, LoginAttempt, User
from tests.conftest import PASSWORD


def test_login_page_is_vietnamese(client):
    page = client.get("/dang-nhap").get_data(as_text=True)
    assert 'lang="vi"' in page
    assert "Đăng nhập dành cho cán bộ" in page
    assert "Tên đăng nhập" in page


def test_login_then_home_shows_name_and_menu(client, auth):
    response = auth.login("quan_tri")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Xin chào, Cán bộ quantri" in page
    assert "Quản trị" in page


def test_wrong_password_is_refused_with_a_message(client, auth):
    response = auth.login("quan_tri", password="sai-mat-khau")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_empty_login_form_says_what_is_missing(client, auth):
    response = client.post("/dang-nhap", data={"username": "", "password": "", "csrf_token": auth.csrf()})
    assert response.status_code == 400
    assert "Không được để trống." in response.get_data(as_text=True)


def test_five_failures_make_the_user_wait_and_say_how_long(client, auth):
    for _ in range(5):
        assert auth.login("quan_tri", password="sai").status_code == 401
    response = auth.login("quan_tri")
    assert response.status_code == 429
    text = response.get_data(as_text=True)
    assert "Vui lòng thử lại sau 15 phút." in text
    assert client.get("/").status_code == 302


def test_the_wait_ends_after_fifteen_minutes(client, auth, app):
    for _ in range(5):
        auth.login("quan_tri", password="sai")
    with database.connection_context():
        LoginAttempt.update(at=now() - datetime.timedelta(minutes=16)).execute()
    assert auth.login("quan_tri").status_code == 303


ATTACKER = {"REMOTE_ADDR": "10.0.0.66"}


def login_from(client, auth, username, password, environ=None):
    return client.post(
        "/dang-nhap", data={"username": username, "password": password, "csrf_token": auth.csrf()}, environ_base=environ or {}
    )


def test_wrong_passwords_from_elsewhere_never_lock_the_owner_out_of_their_pc(client, auth):
    for _ in range(5):
        assert login_from(client, auth, "quantri", "doan-thu", ATTACKER).status_code == 401
    # The attacker's PC waits, even with the right password...
    assert login_from(client, auth, "quantri", PASSWORD, ATTACKER).status_code == 429
    # ...while the administrator at their own PC logs in.
    assert auth.login("quan_tri").status_code == 303


def test_one_pc_trying_name_after_name_is_stopped(client, auth, app):
    statuses = [login_from(client, auth, f"nguoi-dung-{number}", "doan-thu", ATTACKER).status_code for number in range(40)]
    assert statuses[:20] == [401] * 20
    assert set(statuses[20:]) == {429}
    page = login_from(client, auth, "tiepnhan", PASSWORD, ATTACKER).get_data(as_text=True)
    assert "Đã đăng nhập sai quá nhiều lần từ máy này. Vui lòng thử lại sau 15 phút." in page
    # Only that PC waits.
    assert auth.login("tiep_nhan").status_code == 303
    with database.connection_context():
        assert LoginAttempt.select().where(LoginAttempt.ip == "10.0.0.66").count() == 20, "a refused try is not kept"


def test_an_unknown_name_costs_the_same_password_check(client, auth, monkeypatch):
    from app.views import auth as auth_views

    checked = []
    real_check = auth_views.check_password_hash

    def spy(stored, password):
        checked.append(stored)
        return real_check(stored, password)

    monkeypatch.setattr(auth_views, "check_password_hash", spy)
    assert login_from(client, auth, "khong-co-ai", "doan-thu").status_code == 401
    with database.connection_context():
        real_hash = User.get(User.username == "quantri").password_hash
    assert len(checked) == 1 and checked[0].split("$")[0] == real_hash.split("$")[0], "the same kind of hash, as slow"
    assert auth.login("quan_tri", password="sai").status_code == 401
    assert checked[1] == real_hash


def test_concurrent_wrong_passwords_never_pass_the_limit(app, auth):
    """Check and record are one step: ten tries at once get five answers and five waits, never more tries."""
    import threading

    from app import security

    results = []
    barrier = threading.Barrier(10)

    def attempt():
        with app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.0.66"}), database.connection_context():
            barrier.wait()
            results.append(security.begin_login_attempt("quantri", "10.0.0.66"))

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(wait is None for wait in results) == 5
    with database.connection_context():
        assert LoginAttempt.select().count() == 5


def test_throttle_counts_the_username_whatever_its_case(client, auth):
    for _ in range(5):
        auth.login(username="QuanTri", password="sai")
    assert auth.login("quan_tri").status_code == 429


def test_inactive_user_cannot_log_in(client, auth, app):
    with database.connection_context():
        User.update(active=False).where(User.username == "quantri").execute()
    assert auth.login("quan_tri").status_code == 401


def test_next_is_followed_only_within_this_server(client, auth):
    for target, expected in [
        ("/quan-tri/", "/quan-tri/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ]:
        response = client.post(
            "/dang-nhap",
            query_string={"next": target},
            data={"username": "quantri", "password": PASSWORD, "csrf_token": auth.csrf()},
        )
        assert response.headers["Location"] == expected, target
        auth.logout()


def test_logout_ends_the_session(client, auth):
    auth.login("quan_tri")
    response = auth.logout()
    assert response.status_code == 303
    assert client.get("/").status_code == 302


def test_a_copied_cookie_is_refused_after_logout(app, client, auth):
    auth.login("quan_tri")
    copied = app.test_client()
    copied.set_cookie("motcua_session", client.get_cookie("motcua_session").value)
    assert copied.get("/").status_code == 200
    auth.logout()
    assert copied.get("/").status_code == 302
    assert copied.get("/quan-tri/").headers["Location"].startswith("/dang-nhap")


def test_a_copied_cookie_is_refused_after_a_password_change(app, client, auth):
    auth.login("quan_tri")
    copied = app.test_client()
    copied.set_cookie("motcua_session", client.get_cookie("motcua_session").value)
    token = auth.csrf("/doi-mat-khau")
    response = client.post("/doi-mat-khau", data={"current": PASSWORD, "new": "mat-khau-moi-123", "confirm": "mat-khau-moi-123", "csrf_token": token})
    assert response.status_code == 303
    assert client.get("/").status_code == 200, "the one who changed it stays logged in"
    assert copied.get("/").status_code == 302


def test_a_user_who_must_change_the_password_can_still_log_out(client, auth):
    with database.connection_context():
        User.update(must_change_password=True).where(User.username == "quantri").execute()
    auth.login("quan_tri")
    page = client.get("/doi-mat-khau").get_data(as_text=True)
    assert "Đăng xuất" in page
    response = client.post("/dang-xuat", data={"csrf_token": auth.csrf("/doi-mat-khau")})
    assert response.status_code == 303
    assert response.headers["Location"] == "/dang-nhap"
    assert client.get("/doi-mat-khau").headers["Location"].startswith("/dang-nhap")


def test_logout_needs_a_post_with_token(client, auth):
    auth.login("quan_tri")
    assert client.get("/dang-xuat").status_code == 405
    assert client.post("/dang-xuat").status_code == 400
    assert client.get("/").status_code == 200


def test_session_cookie_is_httponly_samesite_and_expires_in_a_working_day(client, auth, app):
    response = auth.login("quan_tri")
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("motcua_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie
    assert app.permanent_session_lifetime == datetime.timedelta(hours=10)


def test_htmx_request_with_expired_session_redirects_whole_page(client):
    response = client.get("/quan-tri/nhat-ky", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/dang-nhap?next=")
    assert response.get_data(as_text=True) == ""


def test_must_change_password_at_first_login(client, auth, app):
    with database.connection_context():
        User.update(must_change_password=True).where(User.username == "quantri").execute()
    response = auth.login("quan_tri")
    assert response.headers["Location"] == "/doi-mat-khau"
    assert client.get("/quan-tri/").headers["Location"] == "/doi-mat-khau"
    token = auth.csrf("/doi-mat-khau")
    response = client.post("/doi-mat-khau", data={"current": PASSWORD, "new": "mat-khau-moi-123", "confirm": "mat-khau-moi-123", "csrf_token": token})
    assert response.status_code == 303
    assert client.get("/quan-tri/").status_code == 200
    auth.logout()
    assert auth.login("quan_tri", password="mat-khau-moi-123").status_code == 303


@pytest.mark.parametrize(
    "form, message",
    [
        ({"current": "sai", "new": "mat-khau-moi-123", "confirm": "mat-khau-moi-123"}, "Mật khẩu hiện tại không đúng."),
        ({"current": PASSWORD, "new": "ngan", "confirm": "ngan"}, "Mật khẩu cần từ 8 đến 128 ký tự."),
        ({"current": PASSWORD, "new": "mat-khau-moi-123", "confirm": "khac-han-123"}, "Hai lần nhập mật khẩu mới không khớp."),
        ({"current": PASSWORD, "new": PASSWORD, "confirm": PASSWORD}, "Mật khẩu mới phải khác mật khẩu hiện tại."),
    ],
)
def test_change_password_refuses_bad_input(client, auth, form, message):
    auth.login("quan_tri")
    response = client.post("/doi-mat-khau", data=dict(form, csrf_token=auth.csrf("/doi-mat-khau")))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    auth.logout()
    assert auth.login("quan_tri").status_code == 303


def test_password_is_stored_hashed(app):
    with database.connection_context():
        stored = User.get(User.username == "quantri").password_hash
    assert PASSWORD not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


def test_logins_are_in_the_audit_log(client, auth, app):
    auth.login("quan_tri", password="sai")
    auth.login("quan_tri")
    with database.connection_context():
        actions = [entry.action for entry in AuditLog.select().order_by(AuditLog.id)]
        ips = {entry.ip for entry in AuditLog.select()}
    assert actions == ["login_failed", "login"]
    assert ips == {"127.0.0.1"}



def test_the_session_cookie_is_renewed_at_most_once_a_minute(client, auth, monkeypatch):
    from app import sessions

    auth.login("quan_tri")
    client.get("/")  # the first page after the login changes the session (its greeting is shown, then dropped)
    # Signed a moment ago: the next pages leave it as it is.
    assert "Set-Cookie" not in client.get("/ho-so").headers
    assert "Set-Cookie" not in client.get("/").headers
    # Signed longer ago than REFRESH_AFTER: the next page renews it, for ten more hours.
    monkeypatch.setattr(sessions, "REFRESH_AFTER", datetime.timedelta(0))
    renewed = client.get("/ho-so").headers.getlist("Set-Cookie")
    assert any(value.startswith("motcua_session=") and "Expires=" in value for value in renewed)
    assert client.get("/ho-so").status_code == 200


def test_a_visitor_without_a_cookie_is_given_none(client, catalogue):
    # Pages without a form: no session is made, no cookie is sent.
    for path, headers in (("/thu-tuc", {}), ("/thu-tuc", {"HX-Request": "true"}), ("/bang-tin/trang-thai", {"HX-Request": "true"})):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
    # A page with a session's CSRF token (the kiosk's form) does make one.
    assert any(value.startswith("motcua_session=") for value in client.get("/tra-cuu").headers.getlist("Set-Cookie"))
