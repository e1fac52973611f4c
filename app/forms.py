"""Form building blocks shared by every area: Vietnamese messages and cleaned text fields."""
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp, ValidationError

from .rules.text import clean

REQUIRED = "Không được để trống."


def strip_text(value):
    return clean(value) if isinstance(value, str) else value


def text_field(label, max_length, required=True, **kwargs):
    """A one-line text input: NFC, spaces tidied, a length limit stated in Vietnamese."""
    validators = [DataRequired(message=REQUIRED)] if required else []
    validators.append(Length(max=max_length, message=f"Tối đa {max_length} ký tự."))
    return StringField(label, validators=validators, filters=[strip_text], **kwargs)


USERNAME_RULE = Regexp(
    r"^[a-z0-9._-]{3,60}$",
    message="Tên đăng nhập gồm 3–60 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.",
)


def new_password_field(label="Mật khẩu mới"):
    return PasswordField(
        label,
        validators=[InputRequired(message=REQUIRED), Length(min=8, max=128, message="Mật khẩu cần từ 8 đến 128 ký tự.")],
    )


def no_control_characters(form, field):
    if isinstance(field.data, str) and any(ord(ch) < 32 for ch in field.data):
        raise ValidationError("Có ký tự điều khiển không hợp lệ.")
