"""The pickup desk (trả kết quả): find a dossier from one scan, hand its result over, and the village ready lists."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from peewee import fn
from playhouse.flask_utils import get_object_or_404

from ..args import id_arg
from ..clock import now, today
from ..formatting import money
from ..models import PRIORITY_GROUPS, RATING_LEVELS, RETURN_METHODS, Dossier, TeamMember, User, Village
from ..pages import render
from ..rules import cccd, codes, inputs
from ..rules.dates import parse_moment
from ..rules.identity import validate_id_number
from ..rules.status import STATUS_LABELS, Status, TransitionRefused
from ..rules.text import clean
from ..security import roles_required
from ..services import pickup, queue
from ..services.dossiers import StaleDossier

bp = Blueprint("pickup", __name__, url_prefix="/tra-ket-qua")

COLLECTORS = {
    pickup.COLLECTOR_APPLICANT: "Người nộp hồ sơ",
    pickup.COLLECTOR_PROXY: "Người được ủy quyền",
    pickup.COLLECTOR_TEAM: "Tổ công nghệ số",
}
# A fee typed at the counter above this is a slip of the finger, not a commune fee.
MAX_FEE = 100_000_000
STALE_PAGE = "Trang này đã cũ; vui lòng tìm lại hồ sơ."


def _dossier_or_404(dossier_id: int) -> Dossier:
    dossier = get_object_or_404(Dossier, Dossier.id == dossier_id)
    return dossier


def _panel_context(dossier: Dossier, errors=None, form=None, message: str = "") -> dict:
    """Everything the dossier panel shows, whatever the dossier's status."""
    return {
        "dossier": dossier,
        "state": Status(dossier.status),
        "computed_fee": pickup.computed_fee(dossier),
        "missing": pickup.missing_documents(dossier),
        "hand_over": pickup.hand_over_event(dossier),
        "rating": pickup.rating_of(dossier) if dossier.status == Status.RETURNED else None,
        "errors": errors or {},
        "form": form or {},
        "message": message,
    }


def _page(status: int = 200, **context):
    context.setdefault("query", "")
    context.setdefault("matches", [])
    context.setdefault("just_returned", None)
    return render(
        "pickup/index.html", "pickup/_result.html", status=status,
        collectors=COLLECTORS, priority_groups=PRIORITY_GROUPS, status_labels=STATUS_LABELS, levels=RATING_LEVELS, return_methods=RETURN_METHODS,
        **context,
    )


@bp.get("")
@roles_required("tiep_nhan")
def index():
    """One box: a scanned receipt URL, a token, a full code or its last digits → the dossier or a choice."""
    query = clean(request.args.get("q", ""))[: codes.MAX_SCAN_LENGTH + 1]
    just_returned = None
    if id_arg("vua_tra"):
        just_returned = Dossier.get_or_none(Dossier.id == id_arg("vua_tra"))
    if not query:
        context = _panel_context(just_returned) if just_returned else {}
        return _page(just_returned=just_returned, **context)
    if cccd.SEPARATOR in query:
        return _card_page(query)
    matches = pickup.find_by_scan(query)
    if len(matches) == 1:
        return _page(query=query, **_panel_context(matches[0]))
    if not matches:
        if codes.extract_token_or_code(query) is None:
            message = "Không đọc được mã này. Hãy quét mã QR trên giấy biên nhận, hoặc nhập mã hồ sơ hay vài số cuối của mã."
        else:
            message = "Không tìm thấy hồ sơ nào với mã này."
        return _page(status=404, query=query, not_found=message)
    return _page(query=query, matches=matches)


@bp.post("/can-cuoc")
@roles_required("tiep_nhan")
def read_card():
    """A citizen's ID card scanned instead of the lost receipt: their results waiting, or handed over.

    The scanner's text comes by POST so that neither the log nor the browser's history keeps it.
    """
    return _card_page(request.form.get("the", ""))


def _card_page(text: str):
    try:
        card = cccd.parse(text, today())
    except ValueError as refused:
        return _page(status=422, not_found=str(refused))
    matches = pickup.find_by_person(card.id_number)
    if not matches:
        return _page(status=404, card=card, not_found=(
            f"Không có hồ sơ nào đã có kết quả hoặc đã trả của {card.full_name} (số định danh {card.id_number})."
        ))
    if len(matches) == 1:
        return _page(card=card, **_panel_context(matches[0]))
    return _page(card=card, matches=matches)


@bp.get("/ho-so/<int:dossier_id>")
@roles_required("tiep_nhan")
def show(dossier_id):
    """One dossier chosen from a list of matches."""
    dossier = _dossier_or_404(dossier_id)
    return _page(query=dossier.code, **_panel_context(dossier))


def _parse_fee(text: str) -> int | None:
    digits = clean(text).removesuffix("đ").replace(".", "").replace(",", "").replace(" ", "")
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= len(str(MAX_FEE)) and int(digits) <= MAX_FEE else None


def _hand_over_from_form(dossier: Dossier, form) -> tuple[pickup.HandOver | None, dict]:
    """The hand-over the counter typed, or the messages to show beside each field."""
    errors = {}
    collector = form.get("nguoi_nhan", "")
    name = clean(form.get("ten_nguoi_nhan", ""))
    id_text = clean(form.get("so_dinh_danh", ""))
    relation = clean(form.get("quan_he", ""))
    id_number = ""
    if collector not in (pickup.COLLECTOR_APPLICANT, pickup.COLLECTOR_PROXY):
        errors["nguoi_nhan"] = "Chọn người đến nhận kết quả."
    elif collector == pickup.COLLECTOR_PROXY:
        if not name:
            errors["ten_nguoi_nhan"] = "Nhập họ và tên người được ủy quyền."
        elif len(name) > 120:
            errors["ten_nguoi_nhan"] = "Tối đa 120 ký tự."
        if not relation:
            errors["quan_he"] = "Nhập quan hệ với người nộp hoặc giấy ủy quyền."
        elif len(relation) > 200:
            errors["quan_he"] = "Tối đa 200 ký tự."
    if collector == pickup.COLLECTOR_PROXY or (collector == pickup.COLLECTOR_APPLICANT and not dossier.id_number):
        id_number, error = validate_id_number(id_text, now().date())
        if error:
            errors["so_dinh_danh"] = error
    elif collector == pickup.COLLECTOR_APPLICANT:
        name, id_number, relation = dossier.applicant_name, dossier.id_number, ""
    computed = pickup.computed_fee(dossier)
    fee = _parse_fee(form.get("le_phi", ""))
    reason = clean(form.get("ly_do_le_phi", ""))
    if fee is None:
        errors["le_phi"] = "Nhập số tiền bằng chữ số, ví dụ 10.000."
    elif fee != computed and not reason:
        errors["ly_do_le_phi"] = f"Số tiền thu khác mức tính theo quy định ({money(computed)}): ghi rõ lý do."
    elif len(reason) > 500:
        errors["ly_do_le_phi"] = "Tối đa 500 ký tự."
    if errors:
        return None, errors
    return pickup.HandOver(
        collector=collector,
        collector_name=name,
        collector_id_number=id_number,
        relation=relation,
        fee_collected=fee,
        fee_computed=computed,
        fee_reason=reason if fee != computed else "",
        originals_returned=form.get("tra_ban_chinh") == "1",
    ), {}


def _version(form) -> int | None:
    return inputs.record_id(form.get("phien_ban"))


@bp.post("/ho-so/<int:dossier_id>/tra")
@roles_required("tiep_nhan")
def hand_over(dossier_id):
    """Confirm the hand-over: result ready → returned, one event, whatever the number of clicks."""
    dossier = _dossier_or_404(dossier_id)
    version = _version(request.form)
    if version is None:
        return _page(status=400, query=dossier.code, **_panel_context(dossier, message=STALE_PAGE))
    details, errors = _hand_over_from_form(dossier, request.form)
    if errors:
        return _page(status=400, query=dossier.code, **_panel_context(dossier, errors, request.form))
    try:
        dossier = pickup.hand_over(dossier, User.get_by_id(current_user.id), version, details)
    except StaleDossier as stale:
        return _page(status=409, query=dossier.code, **_panel_context(stale.dossier, message=stale.reason))
    except TransitionRefused as refused:
        return _page(status=409, query=dossier.code, **_panel_context(Dossier.get_by_id(dossier.id), message=refused.reason))
    queue.link_dossier(current_user.counter, dossier, now())
    flash(f"Đã trả kết quả hồ sơ {dossier.code} cho {details.collector_name}.", "success")
    return redirect(url_for("pickup.index", vua_tra=dossier.id), 303)


@bp.post("/ho-so/<int:dossier_id>/danh-gia")
@roles_required("tiep_nhan")
def rate(dossier_id):
    """The citizen's rating, given at the counter and entered by the officer."""
    dossier = _dossier_or_404(dossier_id)
    level = request.form.get("muc_do", "")
    if level not in RATING_LEVELS:
        flash("Chọn một mức độ hài lòng.", "error")
    else:
        try:
            pickup.rate(dossier, level, request.form.get("y_kien", ""), source="tai_quay", user=User.get_by_id(current_user.id))
        except pickup.RatingRefused as refused:
            flash(refused.reason, "info")
        else:
            flash(f"Đã ghi đánh giá «{RATING_LEVELS[level]}» cho hồ sơ {dossier.code}.", "success")
    return redirect(url_for("pickup.index"), 303)


@bp.get("/thon")
@roles_required("tiep_nhan")
def villages():
    """Each village with the number of its results waiting, to print the lists for the teams."""
    counts = dict(
        Dossier.select(Dossier.village, fn.COUNT(Dossier.id))
        .where((Dossier.status == Status.RESULT_READY) & Dossier.village.is_null(False))
        .group_by(Dossier.village)
        .tuples()
    )
    rows = [(village, counts.get(village.id, 0)) for village in Village.ordered()]
    return render("pickup/villages.html", rows=rows)


@bp.get("/thon/<int:village_id>")
@roles_required("tiep_nhan")
def village(village_id):
    """The printable list of one village's ready results, with its team and the home hand-overs."""
    return _village_page(get_object_or_404(Village, Village.id == village_id))


def _village_page(village: Village, status: int = 200, moment_error: dict | None = None):
    """The village list; `moment_error` ({dossier_id, text, message}) puts a refused time back beside its box."""
    team = pickup.team_of(village)
    members = list(TeamMember.select().where((TeamMember.team == team) & TeamMember.active).order_by(TeamMember.name)) if team else []
    return render(
        "pickup/village.html",
        village=village,
        team=team,
        members=members,
        rows=pickup.village_ready(village),
        priority_groups=PRIORITY_GROUPS,
        return_methods=RETURN_METHODS,
        now=now(),
        moment_error=moment_error or {},
        status=status,
    )


def _team_member(dossier: Dossier, form) -> TeamMember | None:
    """The member chosen, only from the team of the dossier's village."""
    member_id = inputs.record_id(form.get("thanh_vien"))
    team = pickup.team_of(dossier.village) if dossier.village_id else None
    if member_id is None or team is None:
        return None
    return TeamMember.get_or_none((TeamMember.id == member_id) & (TeamMember.team == team))


def _back_to_village(dossier: Dossier):
    if dossier.village_id is None:
        return redirect(url_for("pickup.villages"), 303)
    return redirect(url_for("pickup.village", village_id=dossier.village_id), 303)


@bp.post("/ho-so/<int:dossier_id>/to-nhan")
@roles_required("tiep_nhan")
def team_take(dossier_id):
    """A member of the village team takes the result to bring it home."""
    dossier = _dossier_or_404(dossier_id)
    member = _team_member(dossier, request.form)
    if member is None:
        flash("Chọn thành viên tổ công nghệ số của thôn nhận mang kết quả đi.", "error")
    elif dossier.status != Status.RESULT_READY:
        flash(f"Hồ sơ {dossier.code} đang ở trạng thái «{Status(dossier.status).label}», không giao cho tổ được.", "error")
    else:
        pickup.team_take(dossier, member, User.get_by_id(current_user.id))
        flash(f"Đã ghi: {member.name} nhận mang kết quả hồ sơ {dossier.code} đến nhà.", "success")
    return _back_to_village(dossier)


@bp.post("/ho-so/<int:dossier_id>/to-da-trao")
@roles_required("tiep_nhan")
def team_deliver(dossier_id):
    """The team member reports the result handed over at home: the dossier is returned from that moment."""
    dossier = _dossier_or_404(dossier_id)
    member = _team_member(dossier, request.form)
    moment, moment_error = parse_moment(request.form.get("thoi_diem", ""))
    version = _version(request.form)
    earliest = dossier.resolved_at or dossier.received_at
    if moment is not None and not earliest.replace(second=0) <= moment <= now():
        moment_error = f"Thời điểm trao phải sau khi có kết quả ({earliest:%H:%M %d/%m/%Y}) và không muộn hơn hiện tại."
    if member is None:
        flash("Chọn thành viên tổ đã trao kết quả.", "error")
    elif version is None:
        flash(STALE_PAGE, "error")
    elif moment_error:
        # A member was found, so the dossier has a village: its list comes back with the time beside its box.
        refused = {"dossier_id": dossier.id, "text": request.form.get("thoi_diem", "")[:40], "message": f"Đã trao tại nhà lúc: {moment_error}"}
        return _village_page(dossier.village, 400, refused)
    else:
        try:
            pickup.team_delivered(dossier, member, User.get_by_id(current_user.id), version, moment)
        except (StaleDossier, TransitionRefused) as refused:
            flash(refused.reason, "error")
        else:
            flash(f"Đã ghi: kết quả hồ sơ {dossier.code} đã trao tại nhà.", "success")
    return _back_to_village(dossier)
