"""The wall board's administration: which panels, in what order and for how long, and the notices it shows."""
import datetime
import re

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from playhouse.flask_utils import get_object_or_404
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ...db import write_transaction
from ...forms import REQUIRED
from ...models import Notice
from ...rules.board import MAX_SECONDS, MIN_SECONDS, PANELS, PanelShow, parse_seconds
from ...rules.text import clean, nfc
from ...security import audit, roles_required
from ...services.board import DEFAULT_SECONDS, FIGURE_PERIODS, BoardSettings, load_board, save_board
from . import bp, section

section("admin.board", "Bảng tin", "Màn hình TV: các mục hiển thị, thứ tự, thời gian mỗi mục; thông báo gửi người dân.", order=60)

NOTICE_MAX_LENGTH = 1000
SECONDS_MESSAGE = f"Nhập số giây từ {MIN_SECONDS} đến {MAX_SECONDS}."


def _notice_text(value):
    """Each line tidied, blank lines at the ends dropped; the line breaks the administrator typed are kept."""
    if not isinstance(value, str):
        return value
    lines = [clean(line) for line in nfc(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _day(value):
    """A date sent yyyy-mm-dd by a date picker or typed dd/mm/yyyy; kept as typed when it is neither."""
    if isinstance(value, datetime.date) or value is None:
        return value
    if not value.strip():
        return None
    text = value.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    local = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if iso:
            return datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if local:
            return datetime.date(int(local[3]), int(local[2]), int(local[1]))
    except ValueError:
        pass
    return text


class DayField(StringField):
    """An optional date, shown and typed dd/mm/yyyy (or picked), refused in Vietnamese when it is no real day."""

    def __init__(self, label, **kwargs):
        super().__init__(label, filters=[_day], **kwargs)

    def _value(self):
        return self.data.strftime("%d/%m/%Y") if isinstance(self.data, datetime.date) else (self.data or "")

    def pre_validate(self, form):
        if isinstance(self.data, str):
            raise ValidationError(f"Ngày «{self.data}» không đúng dạng dd/mm/yyyy hoặc không có thật.")


class NoticeForm(FlaskForm):
    text = TextAreaField(
        "Nội dung thông báo",
        validators=[DataRequired(message=REQUIRED), Length(max=NOTICE_MAX_LENGTH, message=f"Tối đa {NOTICE_MAX_LENGTH} ký tự.")],
        filters=[_notice_text],
    )
    valid_from = DayField("Hiển thị từ ngày")
    valid_to = DayField("Đến hết ngày")
    active = BooleanField("Đang hiển thị", default=True)

    def validate_text(self, field):
        # Line breaks and tabs are how a schedule is laid out; other control characters are never meant.
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in field.data or ""):
            raise ValidationError("Có ký tự điều khiển không hợp lệ.")

    def validate_valid_to(self, field):
        start = self.valid_from.data
        if isinstance(field.data, datetime.date) and isinstance(start, datetime.date) and field.data < start:
            raise ValidationError("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")


def _read_settings(form) -> tuple[BoardSettings | None, dict, dict]:
    """The board settings typed in the form, or the Vietnamese message beside each field at fault."""
    errors, values, shows = {}, {}, []
    for position, key in enumerate(PANELS, start=1):
        values[f"show_{key}"] = form.get(f"show_{key}") == "1"
        values[f"order_{key}"] = form.get(f"order_{key}", "").strip()
        values[f"seconds_{key}"] = form.get(f"seconds_{key}", "").strip()
        order = values[f"order_{key}"]
        if not (order.isascii() and order.isdigit()) or not 1 <= int(order) <= len(PANELS):
            errors[f"order_{key}"] = f"Nhập thứ tự từ 1 đến {len(PANELS)}."
        seconds = parse_seconds(values[f"seconds_{key}"])
        if seconds is None:
            errors[f"seconds_{key}"] = SECONDS_MESSAGE
        if values[f"show_{key}"] and not errors.get(f"order_{key}") and seconds:
            shows.append((int(order), position, PanelShow(key, seconds)))
    if not errors and not shows:
        errors["panels"] = "Chọn ít nhất một mục để hiển thị."
    values["refresh_seconds"] = form.get("refresh_seconds", "").strip()
    refresh = parse_seconds(values["refresh_seconds"])
    if refresh is None:
        errors["refresh_seconds"] = SECONDS_MESSAGE
    values["reload_at"] = form.get("reload_at", "").strip()
    try:
        reload_at = datetime.time.fromisoformat(values["reload_at"])
    except ValueError:
        errors["reload_at"] = "Nhập giờ dạng HH:MM, ví dụ 03:00."
    values["figures_period"] = form.get("figures_period", "")
    if values["figures_period"] not in dict(FIGURE_PERIODS):
        errors["figures_period"] = "Hãy chọn một giá trị trong danh sách."
    if errors:
        return None, values, errors
    board = BoardSettings(
        panels=tuple(show for _, _, show in sorted(shows)),
        refresh_seconds=refresh,
        reload_at=reload_at,
        figures_period=values["figures_period"],
    )
    return board, values, errors


def _values_of(board: BoardSettings) -> dict:
    values = {"refresh_seconds": str(board.refresh_seconds), "reload_at": board.reload_at.strftime("%H:%M"), "figures_period": board.figures_period}
    shown = {show.key: (position, show.seconds) for position, show in enumerate(board.panels, start=1)}
    hidden_position = len(shown)
    for key in PANELS:
        if key not in shown:
            hidden_position += 1
        position, seconds = shown.get(key, (hidden_position, DEFAULT_SECONDS))
        values.update({f"show_{key}": key in shown, f"order_{key}": str(position), f"seconds_{key}": str(seconds)})
    return values


@bp.route("/bang-tin", methods=["GET", "POST"])
@roles_required("quan_tri")
def board():
    """The board's panels with their order and seconds, and the list of notices."""
    errors = {}
    values = _values_of(load_board())
    if request.method == "POST":
        settings, values, errors = _read_settings(request.form)
        if settings is not None:
            save_board(settings)
            audit("board_settings_changed", ", ".join(f"{show.key} {show.seconds}s" for show in settings.panels))
            flash("Đã lưu cài đặt bảng tin.", "success")
            return redirect(url_for("admin.board"), 303)
    notices = Notice.select().order_by(Notice.active.desc(), Notice.created_at.desc(), Notice.id.desc())
    return render_template(
        "admin/board.html", panels=PANELS, values=values, errors=errors, periods=FIGURE_PERIODS,
        notices=notices, min_seconds=MIN_SECONDS, max_seconds=MAX_SECONDS,
    ), (400 if errors else 200)


def _get_notice(notice_id: int) -> Notice:
    notice = get_object_or_404(Notice, Notice.id == notice_id)
    return notice


def _describe(notice: Notice) -> str:
    return f"#{notice.id}: {notice.text[:200]}"


@bp.route("/bang-tin/thong-bao/moi", methods=["GET", "POST"])
@roles_required("quan_tri")
def create_notice():
    """A new notice for the board, shown from and to the dates given (either may be left open)."""
    form = NoticeForm()
    if form.validate_on_submit():
        with write_transaction():
            notice = Notice.create(text=form.text.data, valid_from=form.valid_from.data, valid_to=form.valid_to.data, active=form.active.data)
            audit("notice_created", _describe(notice))
        flash("Đã thêm thông báo.", "success")
        return redirect(url_for("admin.board"), 303)
    return render_template("admin/notice_form.html", form=form, notice=None, max_length=NOTICE_MAX_LENGTH), (400 if request.method == "POST" else 200)


@bp.route("/bang-tin/thong-bao/<int:notice_id>", methods=["GET", "POST"])
@roles_required("quan_tri")
def edit_notice(notice_id):
    """Change a notice's text, dates or whether it is shown."""
    notice = _get_notice(notice_id)
    form = NoticeForm(obj=notice if request.method == "GET" else None)
    if form.validate_on_submit():
        with write_transaction():
            form.populate_obj(notice)
            notice.save()
            audit("notice_updated", _describe(notice))
        flash("Đã lưu thông báo.", "success")
        return redirect(url_for("admin.board"), 303)
    return render_template("admin/notice_form.html", form=form, notice=notice, max_length=NOTICE_MAX_LENGTH), (400 if request.method == "POST" else 200)


@bp.post("/bang-tin/thong-bao/<int:notice_id>/go-xuong")
@roles_required("quan_tri")
def deactivate_notice(notice_id):
    """Take a notice off the board at once; it stays in the list and can be shown again by editing it."""
    notice = _get_notice(notice_id)
    with write_transaction():
        Notice.update(active=False).where(Notice.id == notice.id).execute()
        audit("notice_deactivated", _describe(notice))
    flash("Đã gỡ thông báo khỏi bảng tin.", "success")
    return redirect(url_for("admin.board"), 303)
