"""Staff accounts: create, edit roles, fields and counter, deactivate, reset a password."""
import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import IntegrityError
from playhouse.flask_utils import get_object_or_404
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import InputRequired, ValidationError

from ...db import database
from ...forms import REQUIRED, USERNAME_RULE, new_password_field, no_control_characters, text_field
from ...models import ROLES, Counter, Field, User, UserField
from ...security import audit, roles_required
from ..auth import hash_password
from . import bp, section

section("admin.users", "Tài khoản cán bộ", "Tạo tài khoản, phân vai trò, lĩnh vực, quầy; khóa tài khoản.", order=10)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(FlaskForm):
    full_name = text_field("Họ và tên", 120)
    roles = MultiCheckboxField("Vai trò", choices=list(ROLES.items()))
    fields = MultiCheckboxField("Lĩnh vực phụ trách (chuyên môn)", coerce=int)
    counter = SelectField("Quầy", coerce=int)
    active = BooleanField("Đang hoạt động", default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.choices = [(f.id, f.name) for f in Field.ordered()]
        self.counter.choices = [(0, "— Không gắn quầy —")] + [(c.id, c.name) for c in Counter.ordered()]

    def validate_full_name(self, field):
        no_control_characters(self, field)

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError("Chọn ít nhất một vai trò.")


class NewUserForm(UserForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[InputRequired(message=REQUIRED), USERNAME_RULE],
        filters=[lambda value: value.strip().lower() if isinstance(value, str) else value],
    )
    password = new_password_field("Mật khẩu ban đầu")

    def validate_username(self, field):
        if User.select().where(User.username == field.data).exists():
            raise ValidationError("Tên đăng nhập này đã có người dùng.")


def _apply(form: UserForm, user: User) -> None:
    user.full_name = form.full_name.data
    user.roles = form.roles.data
    user.counter = form.counter.data or None


def _save_fields(user: User, field_ids: list[int]) -> None:
    UserField.delete().where(UserField.user == user).execute()
    for field_id in field_ids:
        UserField.create(user=user, field=field_id)


def _describe(user: User) -> str:
    return f"{user.username}: vai trò {', '.join(sorted(user.roles))}; {'hoạt động' if user.active else 'đã khóa'}"


@bp.get("/tai-khoan")
@roles_required("quan_tri")
def users():
    """Every account, active ones first."""
    accounts = User.select().order_by(User.active.desc(), User.username)
    return render_template("admin/users.html", users=accounts)


@bp.route("/tai-khoan/moi", methods=["GET", "POST"])
@roles_required("quan_tri")
def create_user():
    """A new account; the person changes the password at first login."""
    form = NewUserForm()
    if form.validate_on_submit():
        user = User(username=form.username.data, password_hash=hash_password(form.password.data), must_change_password=True)
        _apply(form, user)
        try:
            with database.atomic():
                user.save()
                _save_fields(user, form.fields.data)
        except IntegrityError:
            form.username.errors.append("Tên đăng nhập này đã có người dùng.")
        else:
            audit("user_created", _describe(user))
            flash(f"Đã tạo tài khoản {user.username}.", "success")
            return redirect(url_for("admin.users"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


def _get_user(user_id: int) -> User:
    return get_object_or_404(User, User.id == user_id)


@bp.route("/tai-khoan/<int:user_id>", methods=["GET", "POST"])
@roles_required("quan_tri")
def edit_user(user_id):
    """Roles, fields, counter and the active flag of an account."""
    user = _get_user(user_id)
    form = UserForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.fields.data = sorted(user.field_ids)
        form.counter.data = user.counter_id or 0
        form.active.data = user.active
    if form.validate_on_submit():
        if user.id == current_user.id and (not form.active.data or "quan_tri" not in form.roles.data):
            form.roles.errors.append("Bạn không thể tự khóa hoặc bỏ quyền quản trị của chính mình.")
        else:
            _apply(form, user)
            user.active = form.active.data
            with database.atomic():
                user.save()
                _save_fields(user, form.fields.data)
            audit("user_updated", _describe(user))
            flash(f"Đã lưu tài khoản {user.username}.", "success")
            return redirect(url_for("admin.users"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.post("/tai-khoan/<int:user_id>/dat-lai-mat-khau")
@roles_required("quan_tri")
def reset_password(user_id):
    """A new temporary password, shown once; the person must change it at next login."""
    user = _get_user(user_id)
    temporary = secrets.token_urlsafe(9)
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    user.save()
    audit("password_reset", user.username)
    return render_template("admin/password_reset.html", user=user, temporary=temporary)
