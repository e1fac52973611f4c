"""The procedure catalogue's administration: fields, counters and procedures with their documents and fees."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from peewee import IntegrityError, fn
from playhouse.flask_utils import get_object_or_404
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from ...args import id_arg
from ...db import write_transaction
from ...forms import no_control_characters, text_field
from ...models import Counter, CounterField, Field, Procedure
from ...rules.calendar import TimeUnit
from ...rules.catalogue_file import COLUMNS, FORM_LABELS, CatalogueFileError, read_record, record_of, same_version
from ...rules.fees import FeeKind, describe
from ...rules.text import clean
from ...security import audit, roles_required
from ...services.catalogue import apply_spec, fee_rule, matching, spec_of, time_in_words
from ...settings import load as load_settings
from . import bp, section
from .users import MultiCheckboxField

section("admin.procedures", "Thủ tục hành chính", "Danh mục thủ tục: thời hạn, phí, lệ phí, giấy tờ; nhập và xuất CSV/XLSX.", order=30)
section("admin.fields", "Lĩnh vực", "Các lĩnh vực thủ tục: Hộ tịch, Chứng thực, Kinh tế…", order=32)
section("admin.counters", "Quầy tiếp nhận", "Các quầy và lĩnh vực mỗi quầy phục vụ.", order=34)

FEE_KIND_LABELS = {
    FeeKind.FREE.value: "Miễn phí",
    FeeKind.FIXED.value: "Cố định mỗi trường hợp",
    FeeKind.PER_PAGE.value: "Theo số trang, có bậc và mức tối đa mỗi bản",
    FeeKind.CHOICE.value: "Theo loại việc (lựa chọn)",
}
REQUIRED_LABELS = ("bắt buộc", "không bắt buộc")
FLAG_COLUMNS = ("phi_do_tinh_quy_dinh", "phi_da_xac_nhan", "hien_bang_tin", "hoat_dong")
# Empty document rows offered under the existing ones; a procedure rarely needs more at once.
EMPTY_DOCUMENT_ROWS = 3
NUMBER_MESSAGE = "Nhập một số nguyên."
DUPLICATE_CODE = (
    "Mã thủ tục «{code}» đã có trong danh mục. Để áp dụng quy định mới từ một ngày, "
    "hãy ghi ngày hiệu lực khác với phiên bản đang có."
)


def _get(model, record_id: int):
    record = get_object_or_404(model, model.id == record_id)
    return record


class FieldForm(FlaskForm):
    name = text_field("Tên lĩnh vực", 120)
    body = text_field("Cơ quan, bộ phận chủ trì giải quyết", 200, required=False)
    order = IntegerField("Thứ tự", default=0, validators=[InputRequired(message=NUMBER_MESSAGE), NumberRange(min=0, max=9999, message="Từ 0 đến 9999.")])

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record

    def validate_name(self, field):
        no_control_characters(self, field)
        # Compared in Python: SQLite's LOWER() leaves Vietnamese capitals such as Đ untouched.
        others = Field.select(Field.name).where(Field.id != (self.record.id if self.record else 0))
        if any(other.name.casefold() == field.data.casefold() for other in others):
            raise ValidationError(f"Lĩnh vực «{field.data}» đã có.")


class CounterForm(FlaskForm):
    name = text_field("Tên quầy", 60)
    order = IntegerField("Thứ tự", default=0, validators=[InputRequired(message=NUMBER_MESSAGE), NumberRange(min=0, max=9999, message="Từ 0 đến 9999.")])
    fields = MultiCheckboxField("Lĩnh vực quầy phục vụ", coerce=int)
    active = BooleanField("Đang hoạt động", default=True)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields.choices = [(f.id, f.name) for f in Field.ordered()]

    def validate_name(self, field):
        no_control_characters(self, field)
        same = Counter.select().where(Counter.name == field.data)
        if self.record is not None:
            same = same.where(Counter.id != self.record.id)
        if same.exists():
            raise ValidationError(f"Quầy «{field.data}» đã có.")


@bp.route("/linh-vuc", methods=["GET", "POST"])
@roles_required("quan_tri")
def fields():
    """Every field with its number of procedures, and the form that adds one."""
    form = FieldForm()
    if form.validate_on_submit():
        try:
            Field.create(name=form.name.data, order=form.order.data, body=form.body.data or "")
        except IntegrityError:
            form.name.errors.append(f"Lĩnh vực «{form.name.data}» đã có.")
        else:
            audit("field_created", form.name.data)
            flash(f"Đã thêm lĩnh vực {form.name.data}.", "success")
            return redirect(url_for("admin.fields"), 303)
    counts = dict(Procedure.select(Procedure.field, fn.COUNT(Procedure.id)).group_by(Procedure.field).tuples())
    status = 400 if form.errors else 200
    return render_template("admin/catalogue/fields.html", form=form, fields=Field.ordered(), counts=counts), status


@bp.route("/linh-vuc/<int:field_id>", methods=["GET", "POST"])
@roles_required("quan_tri")
def edit_field(field_id):
    """Rename a field or change its place in the lists."""
    record = _get(Field, field_id)
    form = FieldForm(obj=record, record=record)
    if form.validate_on_submit():
        before = record.name
        record.name, record.order, record.body = form.name.data, form.order.data, form.body.data or ""
        try:
            record.save()
        except IntegrityError:
            form.name.errors.append(f"Lĩnh vực «{form.name.data}» đã có.")
        else:
            audit("field_updated", f"{before} → {record.name}")
            flash(f"Đã lưu lĩnh vực {record.name}.", "success")
            return redirect(url_for("admin.fields"), 303)
    status = 400 if form.errors else 200
    return render_template("admin/catalogue/field_form.html", form=form, record=record), status


@bp.get("/quay")
@roles_required("quan_tri")
def counters():
    """Every counter, active or not, with the fields it serves."""
    served = {}
    for link in CounterField.select(CounterField, Field).join(Field).order_by(Field.order, Field.name):
        served.setdefault(link.counter_id, []).append(link.field.name)
    rows = Counter.select().order_by(Counter.active.desc(), Counter.order, Counter.name)
    return render_template("admin/catalogue/counters.html", counters=rows, served=served)


def _save_counter(form: CounterForm, record: Counter) -> Counter:
    record.name, record.order, record.active = form.name.data, form.order.data, form.active.data
    with write_transaction():
        record.save()
        CounterField.delete().where(CounterField.counter == record).execute()
        for field_id in form.fields.data:
            CounterField.create(counter=record, field=field_id)
    return record


def _counter_page(form: CounterForm, record: Counter | None):
    if form.validate_on_submit():
        created = record is None
        try:
            record = _save_counter(form, record or Counter())
        except IntegrityError:
            form.name.errors.append(f"Quầy «{form.name.data}» đã có.")
        else:
            audit("counter_created" if created else "counter_updated", record.name)
            flash(f"Đã lưu {record.name}.", "success")
            return redirect(url_for("admin.counters"), 303)
    status = 400 if form.errors else 200
    return render_template("admin/catalogue/counter_form.html", form=form, record=record), status


@bp.route("/quay/moi", methods=["GET", "POST"])
@roles_required("quan_tri")
def create_counter():
    """A new counter and the fields it serves."""
    return _counter_page(CounterForm(), None)


@bp.route("/quay/<int:counter_id>", methods=["GET", "POST"])
@roles_required("quan_tri")
def edit_counter(counter_id):
    """A counter's name, order, fields served and whether it is open."""
    record = _get(Counter, counter_id)
    form = CounterForm(obj=record if request.method == "GET" else None, record=record)
    if request.method == "GET":
        form.fields.data = [link.field_id for link in record.field_links]
    return _counter_page(form, record)


@bp.get("/thu-tuc")
@roles_required("quan_tri")
def procedures():
    """The whole catalogue, inactive ones included, searchable without diacritics."""
    text = clean(request.args.get("q", ""))
    field_id = id_arg("linh_vuc")
    query = matching(Procedure.select(Procedure, Field).join(Field), text, field_id)
    cutoff = load_settings()["default_cutoff"]
    rows = [(procedure, time_in_words(procedure, cutoff), describe(fee_rule(procedure))) for procedure in query]
    return render_template("admin/catalogue/procedures.html", rows=rows, fields=Field.ordered(), text=text, field_id=field_id)


def _empty_record() -> dict[str, str]:
    return {"loai_phi": FeeKind.FREE.value, "thoi_han_ngay": "0", "phi_truc_tuyen_phan_tram": "100", "hoat_dong": "1", "thu_tu": "0"}


def _documents_of(record: dict[str, str]) -> list[dict[str, str]]:
    """The document rows of the form, from the record's "name | form | count | required" lines."""
    rows = []
    for line in filter(None, record.get("giay_to", "").split("\n")):
        name, form, count, required = ([part.strip() for part in line.split("|")] + ["", "", "", ""])[:4]
        rows.append({"name": name, "form": form, "count": count, "required": required})
    return rows


def _record_from_form(errors: dict[str, list[str]]) -> tuple[dict[str, str], Field | None]:
    """The posted form as a catalogue row; the field and the document rows are checked here."""
    form = request.form
    record = {name: form.get(name, "") for name in COLUMNS if name not in FLAG_COLUMNS}
    for flag in FLAG_COLUMNS:
        # An unticked checkbox sends nothing.
        record[flag] = "1" if form.get(flag) else "0"
    field_id = form.get("linh_vuc", type=int)
    field = Field.get_or_none(Field.id == field_id) if field_id else None
    record["linh_vuc"] = field.name if field else ""
    if field is None:
        errors.setdefault("linh_vuc", []).append("Hãy chọn một lĩnh vực có trong danh sách.")
    lines = []
    rows = zip(form.getlist("doc_name"), form.getlist("doc_form"), form.getlist("doc_count"), form.getlist("doc_required"))
    for name, form_label, count, required in rows:
        name = clean(name)
        if not name:
            continue
        if "|" in name:
            # "|" separates the parts of a document in the catalogue file.
            errors.setdefault("giay_to", []).append(f"Tên giấy tờ «{name}» không được chứa ký tự |.")
            continue
        lines.append(f"{name} | {form_label} | {clean(count)} | {required}")
    record["giay_to"] = "\n".join(lines)
    return record, field


def _procedure_page(procedure: Procedure | None):
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        record, field = _record_from_form(errors)
        try:
            spec = read_record(record)
        except CatalogueFileError as error:
            spec = None
            for _, column, message in error.errors:
                # The select already said what is wrong with the field.
                if not (column == "linh_vuc" and "linh_vuc" in errors):
                    errors.setdefault(column, []).append(message)
        if spec is not None and not errors:
            duplicate = Procedure.select().where(Procedure.code == spec.code)
            if procedure is not None:
                duplicate = duplicate.where(Procedure.id != procedure.id)
            if any(same_version(other.valid_from, spec.valid_from) for other in duplicate):
                errors["ma_thu_tuc"] = [DUPLICATE_CODE.format(code=spec.code)]
        if spec is not None and not errors:
            created = procedure is None
            try:
                with write_transaction():
                    procedure = apply_spec(procedure or Procedure(), spec, field)
            except IntegrityError:
                errors["ma_thu_tuc"] = [DUPLICATE_CODE.format(code=spec.code)]
            else:
                audit("procedure_created" if created else "procedure_updated", f"{spec.code} {spec.name}")
                flash(f"Đã lưu thủ tục {spec.code} — {spec.name}.", "success")
                return redirect(url_for("admin.procedures"), 303)
        record["linh_vuc"] = str(field.id) if field else ""
    elif procedure is not None:
        record = record_of(spec_of(procedure))
        record["linh_vuc"] = str(procedure.field_id)
    else:
        record = _empty_record()
    documents = _documents_of(record) + [{"name": "", "form": "bản chính", "count": "1", "required": "bắt buộc"}] * EMPTY_DOCUMENT_ROWS
    return render_template(
        "admin/catalogue/procedure_form.html",
        procedure=procedure,
        record=record,
        errors=errors,
        documents=documents,
        fields=Field.ordered(),
        fee_kinds=FEE_KIND_LABELS,
        time_units={unit.value: unit.label.capitalize() for unit in TimeUnit},
        document_forms=list(FORM_LABELS.values()),
        required_labels=REQUIRED_LABELS,
    ), (400 if errors else 200)


@bp.route("/thu-tuc/moi", methods=["GET", "POST"])
@roles_required("quan_tri")
def create_procedure():
    """A new procedure with its time, fee rule and documents."""
    return _procedure_page(None)


@bp.route("/thu-tuc/<int:procedure_id>", methods=["GET", "POST"])
@roles_required("quan_tri")
def edit_procedure(procedure_id):
    """Change a procedure; dossiers already received keep the rules copied onto them."""
    return _procedure_page(_get(Procedure, procedure_id))


@bp.get("/thu-tuc/<int:procedure_id>/ngung-ap-dung")
@roles_required("quan_tri")
def confirm_stop_procedure(procedure_id):
    """The step between "Ngừng áp dụng" and the change: what stopping means, and a way back."""
    return render_template("admin/catalogue/procedure_stop.html", procedure=_get(Procedure, procedure_id))


@bp.post("/thu-tuc/<int:procedure_id>/hoat-dong")
@roles_required("quan_tri")
def toggle_procedure(procedure_id):
    """Stop offering a procedure once confirmed (it stays, since dossiers name it), or offer it again.

    The form says which state it wants, so a second click or an old page cannot flip it back.
    """
    procedure = _get(Procedure, procedure_id)
    wanted = request.form.get("ap_dung")
    if wanted not in ("0", "1"):
        abort(400)
    if wanted == "0" and request.form.get("xac_nhan") != "1":
        return redirect(url_for("admin.confirm_stop_procedure", procedure_id=procedure.id), 303)
    procedure.active = wanted == "1"
    procedure.save()
    audit("procedure_activated" if procedure.active else "procedure_deactivated", f"{procedure.code} {procedure.name}")
    state = "Đã mở lại" if procedure.active else "Đã ngừng áp dụng"
    flash(f"{state} thủ tục {procedure.code} — {procedure.name}.", "success")
    return redirect(url_for("admin.procedures"), 303)
