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

