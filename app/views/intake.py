"""Intake at the counter: the keyboard-first form, the receipt (Mẫu 01) and the guidance slips (Mẫu 02, 03)."""
import functools
import logging

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import ValidationError, validate_csrf
from peewee import OperationalError
from playhouse.flask_utils import get_object_or_404

from ..clock import now, today
from ..extensions import csrf, htmx
from ..models import Counter, Dossier, DossierEvent, GuidanceSlip, User, Village
from ..pages import render
from ..qr import qr_svg, status_url, wifi_text
from ..rules import cccd
from ..rules.calendar import CalendarNotCovered
from ..rules.catalogue_file import FORM_LABELS
from ..rules.fees import describe, describe_ground, inputs_needed
from ..rules.text import clean
from ..security import roles_required
from ..services import form_numbers, intake, public_address, queue
from ..services.catalogue import extension_cases, fee_rule, search_in_force, time_in_words
from ..services.dossiers import appointment_for, receive, record
from . import request_settings

bp = Blueprint("intake", __name__)

RESULTS_SHOWN = 12
STALE_FORM = (
    "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. Những gì đã nhập vẫn còn nguyên; "
    "hãy kiểm tra lại rồi bấm lưu một lần nữa."
)
# The disk failed, filled up or became read-only while saving: say plainly that THIS dossier is not saved.
NOT_SAVED = (
    "{what} CHƯA được lưu: máy chủ không ghi được vào cơ sở dữ liệu (ổ đĩa lỗi, đầy hoặc chỉ cho đọc). "
    "Những gì đã nhập vẫn còn nguyên bên dưới; hãy báo quản trị viên, rồi bấm lưu lại khi máy chủ ghi được."
)
log = logging.getLogger(__name__)
REPRINT = "reprint"
RECEIPT_ROLES = ("tiep_nhan", "chuyen_mon", "lanh_dao")
# Remembered per session so that a double click on a slip button prints one slip, not two.
SLIPS_OF_FORMS = "intake_slips"


def fresh_form_checked(view):
    """Check the CSRF token inside the view, so a stale form comes back with everything typed still in it.

    The app-wide check would answer with an error page and lose the form; this one re-renders it.
    """

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        try:
            if current_app.config.get("WTF_CSRF_ENABLED", True):
                validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            reading = intake.read(request.form, today(), for_save=False)
            reading.errors = {}
            return _page(reading, status=400, form_error=STALE_FORM)
        return view(*args, **kwargs)

    return csrf.exempt(wrapped)


def _summary(reading: intake.Reading) -> dict:
    """What the counter sees before saving: legal time, fee rule and amount, appointment as printed."""
    procedure = reading.procedure
    if procedure is None:
        return {}
    settings = request_settings()
    rule = fee_rule(procedure)
    try:
        appointment, calendar_error = appointment_for(procedure, now(), settings=settings, extension=reading.extension), ""
    except CalendarNotCovered as error:
        appointment, calendar_error = None, str(error)
    return {
        "time_text": time_in_words(procedure, settings["default_cutoff"]),
        "extension": reading.extension,
        "extension_cases": extension_cases(procedure),
        "calendar_error": calendar_error,
        "fee_text": describe(rule, online=reading.values.get("channel") == "truc_tuyen"),
        "fee_amount": reading.fee_amount,
        # A wrong number is explained here; an input not typed yet is no error until the officer saves.
        "fee_error": next((reading.errors[name] for name in ("pages", "copies", "option", "fee_ground") if name in reading.errors and reading.values.get(name, "").strip()), ""),
        "appointment": appointment,
        "fee_inputs": inputs_needed(rule),
        "fee_options": [name for name, _ in rule.options],
        "fee_grounds": [(name, describe_ground(name, percent)) for name, percent in rule.grounds],
    }


def _results(text: str) -> list:
    if not text.strip():
        return []
    return search_in_force(today(), text, limit=RESULTS_SHOWN)


def _page(reading: intake.Reading, status: int = 200, form_error: str = ""):
    """The intake page (or its htmx fragment) for what the form holds now."""
    values = reading.values
    return render(
        "intake/index.html",
        "intake/_procedure.html" if htmx.target == "procedure-panel" else None,
        status=status,
        reading=reading,
        values=values,
        errors=reading.errors,
        form_error=form_error,
        summary=_summary(reading),
        results=_results(values.get("q", "")),
        q=values.get("q", ""),
        chosen=str(reading.procedure.id) if reading.procedure else "",
        form_key=values.get("idempotency_key") or intake.new_form_key(),
        village_choices=[(village.id, village.name) for village in Village.ordered()],
        teams=intake.active_teams(),
        members=intake.active_members(),
        counter_choices=[(counter.id, counter.name) for counter in Counter.ordered()],
        counter_id=str(values.get("counter") or current_user.counter_id or ""),
        channels=intake.CHANNELS,
        priority_groups=intake.PRIORITY_GROUPS,
        return_methods=intake.RETURN_METHODS,
        document_forms=FORM_LABELS,
        address_confirmed=public_address.is_confirmed(request_settings()),
        fee_messages={name: intake.fee_input_messages(name) for name in ("pages", "copies")},
    )


@bp.get("/tiep-nhan")
@roles_required("tiep_nhan")
def index():
    """A new intake form, the officer's counter preselected."""
    reading = intake.read(request.args, today(), for_save=False)
    reading.errors = {}
    return _page(reading)


@bp.post("/tiep-nhan")
@roles_required("tiep_nhan")
@fresh_form_checked
def create():
    """Save the dossier and open its receipt; anything wrong comes back beside its field."""
    reading = intake.read(request.form, today())
    if "refresh" in request.form:
        reading.errors = {}
        return _page(reading)
    if reading.application is None:
        return _page(reading, status=422)
    counter = intake.counter_of(request.form, current_user)
    try:
        dossier = receive(reading.application, User.get_by_id(current_user.id), counter)
    except CalendarNotCovered as error:
        return _page(reading, status=422, form_error=str(error))
    except OperationalError:
        log.exception("intake not saved: the database could not be written")
        return _page(reading, status=503, form_error=NOT_SAVED.format(what="Hồ sơ này chưa có biên nhận và"))
    queue.link_dossier(counter, dossier, now())
    return redirect(url_for("intake.receipt", code=dossier.code), 303)


def _card_fills(card: cccd.Card, form) -> tuple[str, dict]:
    """Which part of the form a card fills, and with what: the applicant first, then the representative.

    A card whose number is already the applicant's refills the applicant (the same card scanned again).
    """
    applicant_id = clean(form.get("id_number", ""))
    if (clean(form.get("applicant_name", "")) or applicant_id) and applicant_id != card.id_number:
        return "representative", {"representative_name": card.full_name, "representative_id_number": card.id_number}
    fills = {"applicant_name": card.full_name, "id_number": card.id_number, "address": card.address}
    village = cccd.village_in_address(card.address, [(str(village.id), village.name) for village in Village.ordered()])
    if village is not None:
        fills["village"] = village
    return "applicant", fills


@bp.post("/tiep-nhan/can-cuoc")
@roles_required("tiep_nhan")
def read_card():
    """A scanned ID card's QR text → the fields it fills, for the officer to check before saving.

    The text comes by POST so that no log or browser history keeps it; it is not stored either.
    """
    try:
        card = cccd.parse(request.form.get("the", ""), today())
    except ValueError as refused:
        response = render("intake/_card_scan.html", status=422, error=str(refused))
    else:
        target, fills = _card_fills(card, request.form)
        response = render("intake/_card_scan.html", card=card, target=target, fills=fills)
    body, status = response
    return body, status, {"Cache-Control": "no-store"}


@bp.get("/tiep-nhan/thu-tuc")
@roles_required("tiep_nhan")
def procedures():
    """Procedures matching what is typed, with or without diacritics (the live search)."""
    if not htmx:
        return redirect(url_for("intake.index", q=request.args.get("q", "")), 303)
    text = request.args.get("q", "")
    return render("intake/_results.html", results=_results(text), q=text, chosen=request.args.get("procedure", ""))


@bp.get("/tiep-nhan/xem-truoc")
@roles_required("tiep_nhan")
def preview():
    """The chosen procedure's checklist, fee and appointment, refreshed as the form changes."""
    if not htmx:
        return redirect(url_for("intake.index"), 303)
    reading = intake.read(request.args, today(), for_save=False)
    if htmx.target == "summary":
        return render("intake/_summary.html", summary=_summary(reading), reading=reading)
    # A checklist just shown has no field the officer has left yet: no message beside any of them.
    reading.errors = {}
    return _page(reading)


def _slip(kind: str):
    reading = intake.read(request.form, today(), for_save=False)
    errors = {name: message for name, message in reading.errors.items() if name == "procedure"}
    note = clean(request.form.get("note", ""))
    name = clean(request.form.get("applicant_name", ""))
    if not name:
        errors["applicant_name"] = "Chưa nhập họ và tên người nộp."
    elif len(name) > intake.NAME_LENGTH:
        errors["applicant_name"] = f"Tối đa {intake.NAME_LENGTH} ký tự (đang có {len(name)})."
    if len(note) > intake.NOTE_LENGTH:
        errors["note"] = f"Tối đa {intake.NOTE_LENGTH} ký tự."
    elif kind == "refused" and not note:
        errors["note"] = "Ghi rõ lý do từ chối tiếp nhận (in trên Mẫu 03)."
    elif kind == "incomplete" and not reading.missing and not note and "procedure" not in errors:
        errors["note"] = "Bỏ đánh dấu những giấy tờ còn thiếu, hoặc ghi rõ cần bổ sung gì (in trên Mẫu 02)."
    contact, contact_errors = intake.slip_contact(request.form)
    errors.update(contact_errors)
    if errors:
        reading.errors = errors
        return _page(reading, status=422)
    key = request.form.get("idempotency_key", "")
    done = session.get(SLIPS_OF_FORMS, {})
    if f"{kind}:{key}" in done:
        return redirect(url_for("intake.slip", number=done[f"{kind}:{key}"]), 303)
    try:
        slip = intake.issue_slip(kind, reading, note, User.get_by_id(current_user.id), intake.counter_of(request.form, current_user), now(), contact)
    except OperationalError:
        log.exception("guidance slip not saved: the database could not be written")
        return _page(reading, status=503, form_error=NOT_SAVED.format(what="Phiếu này chưa in được và"))
    session[SLIPS_OF_FORMS] = {f"{kind}:{key}": slip.number}
    return redirect(url_for("intake.slip", number=slip.number), 303)


@bp.post("/tiep-nhan/chua-day-du")
@roles_required("tiep_nhan")
@fresh_form_checked
def incomplete():
    """Hồ sơ chưa đầy đủ: record the guidance and print Mẫu 02 listing what is missing."""
    return _slip("incomplete")


@bp.post("/tiep-nhan/tu-choi")
@roles_required("tiep_nhan")
@fresh_form_checked
def refuse():
    """Từ chối tiếp nhận: record it and print Mẫu 03 with the reason."""
    return _slip("refused")


@bp.get("/tiep-nhan/phieu/<number>")
@roles_required("tiep_nhan", "lanh_dao")
def slip(number):
    """A guidance slip as printed: Mẫu 02 (incomplete) or Mẫu 03 (refused)."""
    slip = get_object_or_404(GuidanceSlip, GuidanceSlip.number == number)
    kind = "mau_03" if slip.kind == "refused" else "mau_02"
    context = {
        "number": form_numbers.number_of(kind, slip=slip),
        "issued_at": slip.at,
        "applicant_name": slip.applicant_name,
        "address": slip.address,
        "phone": slip.phone,
        "email": slip.email,
        "procedure_name": slip.procedure.name if slip.procedure else "",
        "officer_name": slip.user.full_name if slip.user else "",
        "back_url": url_for("intake.index"),
    }
    if slip.kind == "refused":
        return render("forms/mau_03.html", reason=slip.reason, **context)
    return render("forms/mau_02.html", dossier_code="", missing=slip.missing, note=slip.reason, **context)


def _dossier(code: str) -> Dossier:
    return get_object_or_404(Dossier, Dossier.code == code)


@bp.get("/ho-so/<code>/bien-nhan")
@roles_required(*RECEIPT_ROLES)
def receipt(code):
    """The receipt and appointment slip (Mẫu 01): two copies on A4 or one per A5 page, with the QR code."""
    dossier = _dossier(code)
    settings = request_settings()
    lookup_url = status_url(settings["public_base_url"], dossier.token)
    wifi = (
        qr_svg(wifi_text(settings["wifi_name"], settings["wifi_password"]), f"Mã QR kết nối Wi-Fi {settings['wifi_name']}")
        if settings["wifi_name"] else ""
    )
    receipt_number = form_numbers.issue(form_numbers.RECEIPT, dossier.received_at, dossier=dossier)
    return render(
        "intake/receipt.html",
        dossier=dossier,
        number=form_numbers.label(receipt_number),
        logbook_line=receipt_number.number,
        paper=settings["receipt_paper"],
        qr=qr_svg(lookup_url, f"Mã QR tra cứu hồ sơ {dossier.code}"),
        wifi_qr=wifi,
        channels=intake.CHANNELS,
        priority_groups=intake.PRIORITY_GROUPS,
        return_methods=intake.RETURN_METHODS,
        document_forms=FORM_LABELS,
        # The dossier page belongs to the processing area; link to it once that area exists.
        dossier_url=url_for("processing.show", code=dossier.code) if "processing.show" in current_app.view_functions else "",
        reprints=dossier.events.where(DossierEvent.action == REPRINT).count(),
        address_confirmed=public_address.is_confirmed(settings),
    )


@bp.post("/ho-so/<code>/in-lai")
@roles_required(*RECEIPT_ROLES)
def reprint(code):
    """Print the receipt again; the history records who reprinted it and when."""
    dossier = _dossier(code)
    record(dossier, REPRINT, User.get_by_id(current_user.id))
    return redirect(url_for("intake.receipt", code=dossier.code), 303)
