"""Service groups of the walk-in queue: their ticket letter or number block, and the counters calling them."""
import re

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from peewee import IntegrityError
from playhouse.flask_utils import get_object_or_404
from wtforms import BooleanField, IntegerField, SelectMultipleField, widgets
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ...db import write_transaction
from ...forms import REQUIRED, no_control_characters, text_field
from ...models import Counter, ServiceGroup, ServiceGroupCounter, Ticket
from ...security import audit, roles_required
from ...rules.spoken import CLIP_PHRASES
from ...services import voice
from . import bp, section

CODE = re.compile(r"^[a-z0-9-]+$")
LETTER = re.compile(r"^[A-Z]{0,2}$")

section("admin.service_groups", "Lấy số thứ tự", "Nhóm dịch vụ của máy lấy số, số hoặc chữ của từng nhóm, quầy gọi số; giọng đọc của bảng tin.", order=47)


class ServiceGroupForm(FlaskForm):
    name = text_field("Tên nhóm dịch vụ", 120)
    code = text_field("Mã nhóm (chữ thường không dấu, ví dụ tiep-nhan)", 30)
    letter = text_field("Chữ đứng trước số (không bắt buộc)", 2, required=False)
    first_number = IntegerField(
        "Số đầu tiên mỗi ngày", default=1,
        validators=[InputRequired(message=REQUIRED), NumberRange(min=0, max=9000, message="Số đầu tiên từ 0 đến 9.000.")],
    )
    order = IntegerField("Thứ tự trên máy lấy số", default=0, validators=[Optional(), NumberRange(min=0, max=9999, message="Thứ tự từ 0 đến 9.999.")])
    active = BooleanField("Đang dùng (hiện trên máy lấy số)", default=True)
    counters = SelectMultipleField(
        "Quầy gọi số của nhóm (không chọn quầy nào: mọi quầy đều gọi)", coerce=int,
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(), validate_choice=True,
    )

    def validate_name(self, field):
        no_control_characters(self, field)

    def validate_code(self, field):
        if not CODE.match(field.data or ""):
            raise ValidationError("Mã gồm chữ thường không dấu, số và gạch ngang, ví dụ tiep-nhan.")

    def validate_letter(self, field):
        field.data = (field.data or "").upper()
        if not LETTER.match(field.data):
            raise ValidationError("Một hoặc hai chữ cái không dấu, ví dụ A; để trống nếu chỉ dùng số.")


def _form(group: ServiceGroup | None) -> ServiceGroupForm:
    form = ServiceGroupForm(obj=group if request.method == "GET" else None)
    form.counters.choices = [(counter.id, counter.name) for counter in Counter.ordered()]
    if request.method == "GET":
        form.counters.data = [link.counter_id for link in group.counter_links] if group else []
    return form


def _save(form: ServiceGroupForm, group: ServiceGroup) -> bool:
    """The group and its counters together; a taken name or code becomes a message beside its field."""
    if group.id and group.code != form.code.data and Ticket.select().where(Ticket.group == group).exists():
        form.code.errors.append("Nhóm đã có phiếu nên không đổi mã được (máy lấy số và số liệu dùng mã này).")
        return False
    group.name, group.code, group.letter = form.name.data, form.code.data, form.letter.data or ""
    group.first_number, group.order, group.active = form.first_number.data, form.order.data or 0, form.active.data
    try:
        with write_transaction():
            group.save()
            ServiceGroupCounter.delete().where(ServiceGroupCounter.group == group).execute()
            for counter_id in form.counters.data or []:
                ServiceGroupCounter.create(group=group, counter=counter_id)
    except IntegrityError:
        taken = ServiceGroup.select().where((ServiceGroup.code == group.code) & (ServiceGroup.id != group.id)).exists()
        (form.code if taken else form.name).errors.append("Đã có nhóm dùng mã này." if taken else "Đã có nhóm mang tên này.")
        return False
    return True


def _groups_page(status: int = 200, clip_error: str | None = None, chosen: str = ""):
    groups = ServiceGroup.select().order_by(ServiceGroup.active.desc(), ServiceGroup.order, ServiceGroup.name)
    return render_template(
        "admin/service_groups.html", groups=groups, no_voice=voice.missing_reason(), phrases=CLIP_PHRASES,
        recorded=voice.recorded_phrases(), clip_error=clip_error, chosen=chosen,
    ), status


@bp.get("/lay-so")
@roles_required("quan_tri")
def service_groups():
    """The kiosk's service groups, whether the board can speak, and the recorded clips."""
    return _groups_page()


@bp.post("/lay-so/ghi-am")
@roles_required("quan_tri")
def upload_clip():
    """A recording of one phrase or number word, said instead of the synthetic voice."""
    phrase = request.form.get("cau", "")
    upload = request.files.get("tep")
    try:
        voice.save_clip(phrase, upload.read(voice.MAX_CLIP_BYTES + 1) if upload else b"")
    except voice.BadClip as error:
        return _groups_page(400, str(error), phrase)
    audit("voice_clip_uploaded", phrase)
    flash(f"Đã lưu bản ghi âm «{phrase}».", "success")
    return redirect(url_for("admin.service_groups"), 303)


@bp.route("/lay-so/moi", methods=["GET", "POST"])
@roles_required("quan_tri")
def create_service_group():
    """A new service group on the kiosk."""
    form = _form(None)
    if form.validate_on_submit():
        group = ServiceGroup()
        if _save(form, group):
            audit("service_group_created", group.name)
            flash(f"Đã thêm nhóm dịch vụ {group.name}.", "success")
            return redirect(url_for("admin.service_groups"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/service_group_form.html", form=form, group=None), status


@bp.route("/lay-so/<int:group_id>", methods=["GET", "POST"])
@roles_required("quan_tri")
def edit_service_group(group_id):
    """Name, code, numbers and counters of a service group."""
    group = get_object_or_404(ServiceGroup, ServiceGroup.id == group_id)
    form = _form(group)
    if form.validate_on_submit():
        if _save(form, group):
            audit("service_group_updated", group.name)
            flash(f"Đã lưu nhóm dịch vụ {group.name}.", "success")
            return redirect(url_for("admin.service_groups"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/service_group_form.html", form=form, group=group), status
