"""Staff login, logout and password change."""
import functools
import math
import secrets
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from .. import security
from ..clock import now
from ..forms import REQUIRED, new_password_field
from ..models import User
from ..security import public, staff_required
from ..services import public_address
from ..settings import load as load_settings

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[InputRequired(message=REQUIRED), Length(max=60, message="Tối đa 60 ký tự.")])
    password = PasswordField("Mật khẩu", validators=[InputRequired(message=REQUIRED), Length(max=128, message="Tối đa 128 ký tự.")])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Mật khẩu hiện tại", validators=[InputRequired(message=REQUIRED)])
    new = new_password_field()
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[InputRequired(message=REQUIRED), EqualTo("new", message="Hai lần nhập mật khẩu mới không khớp.")],
    )


def safe_next(target: str | None) -> str | None:
    """Only a path on this server: never another host, whatever tricks the link uses."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    # A header cannot carry a line break or another control character (a response-splitting attempt).
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def hash_password(password: str) -> str:
    return generate_password_hash(password)


@functools.cache
def _unknown_user_hash() -> str:
    """A hash of a random password, made the same way as the users' ones, checked for unknown names."""
    return hash_password(secrets.token_urlsafe(24))


@bp.route("/dang-nhap", methods=["GET", "POST"])
@public
def login():
    """The staff login form, with a wait after repeated failures."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data.strip()
        ip = security.client_ip()
        wait = security.begin_login_attempt(username, ip)
        if wait is not None:
            minutes = max(1, math.ceil(wait.total_seconds() / 60))
            form.password.errors.append(f"Đã đăng nhập sai quá nhiều lần từ máy này. Vui lòng thử lại sau {minutes} phút.")
            return render_template("auth/login.html", form=form), 429
        user = User.get_or_none(User.username == username.lower())
        # An unknown name costs the same hashing as a known one, so the answer's timing tells nothing.
        password_ok = check_password_hash(user.password_hash if user else _unknown_user_hash(), form.password.data)
        if user is None or not user.active or not password_ok:
            security.audit("login_failed", f"Tên đăng nhập: {username[:60]}", user=None)
            form.password.errors.append("Tên đăng nhập hoặc mật khẩu không đúng.")
            return render_template("auth/login.html", form=form), 401
        security.clear_failed_logins(username, ip)
        session.clear()
        session.permanent = True
        login_user(user)
        user.last_login_at = now()
        user.save(only=[User.last_login_at])
        security.audit("login", "", user=user)
        if user.must_change_password:
            flash("Đây là lần đăng nhập đầu tiên hoặc mật khẩu vừa được đặt lại: hãy đổi mật khẩu.", "info")
            return redirect(url_for("auth.change_password"), 303)
        return redirect(safe_next(request.args.get("next")) or url_for("home.index"), 303)
    if request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/dang-xuat")
@staff_required
def logout():
    """End the session here and on every copy of its cookie: the user's session version moves on."""
    security.audit("logout")
    User.update(session_version=User.session_version + 1).where(User.id == current_user.id).execute()
    logout_user()
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"), 303)


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@staff_required
def change_password():
    """Change one's own password (required at first login)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = User.get_by_id(current_user.id)
        if not check_password_hash(user.password_hash, form.current.data):
            form.current.errors.append("Mật khẩu hiện tại không đúng.")
        elif form.new.data == form.current.data:
            form.new.errors.append("Mật khẩu mới phải khác mật khẩu hiện tại.")
        else:
            user.password_hash = hash_password(form.new.data)
            user.must_change_password = False
            user.session_version += 1
            user.save()
            login_user(user)
            security.audit("password_changed", user=user)
            flash("Đã đổi mật khẩu.", "success")
            if user.has_any_role(["quan_tri"]) and not public_address.is_confirmed(load_settings()):
                # The first run's second step: the address every receipt's QR code will open.
                return redirect(url_for("admin.public_address_page"), 303)
            return redirect(url_for("home.index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status
