"""The public side: a dossier's status page opened by the receipt's QR code, the lookup kiosk and the rating."""
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for

from ..extensions import csrf
from ..models import RATING_LEVELS, RETURN_METHODS
from ..pagecache import cached_public_page
from ..pages import render
from ..ratelimit import dossier_lookup_limiter, lookup_limiter
from ..rules import codes
from ..rules.status import Status
from ..rules.text import clean, mask_name
from ..security import check_page_form_token, client_ip, page_form_token, public
from ..services import pickup, public_address

bp = Blueprint("status", __name__, url_prefix="/tra-cuu")

WRONG_PAIR = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Vui lòng kiểm tra lại giấy biên nhận."
UNREADABLE = (
    "Không đọc được mã này. Mã hồ sơ in trên giấy biên nhận có dạng 000.00.20.H42-261130-0001; "
    "cũng có thể nhập ngày và số như 261130-0001."
)
AMBIGUOUS = (
    "Có nhiều hồ sơ cùng số này. Vui lòng nhập thêm ngày tiếp nhận như 261130-0001, "
    "hoặc mã hồ sơ đầy đủ in trên giấy biên nhận."
)
DOSSIER_LIMITED = (
    "Hồ sơ này đã bị nhập sai mã tra cứu nhiều lần nên tạm thời không tra cứu được bằng mã. "
    "Ông/bà vui lòng quét mã QR trên giấy biên nhận hoặc hỏi cán bộ tại quầy."
)
CATALOGUE_ENDPOINT = "catalogue.index"
# The kiosk is shared: a dossier left on screen goes back to the empty box after this long.
KIOSK_IDLE_SECONDS = 60
# The page that asks the kiosk's users to wait goes back to the box by itself after this long.
LIMITED_RETURN_SECONDS = 20
# The rating form's CSRF token is bound to the dossier's page (security.page_form_token), not to a session.
RATING_FORM = "rating"
TOO_MANY = (
    "Máy này đã tra cứu sai quá nhiều lần. Tra cứu bằng mã hồ sơ xin chờ ít phút; "
    "ông/bà vẫn có thể quét mã QR trên giấy biên nhận ngay, hoặc hỏi cán bộ tại quầy."
)


def _not_found():
    return render("status/not_found.html", status=404)


@bp.errorhandler(429)
def too_many(error):
    return render("status/limited.html", status=429, message=TOO_MANY, return_seconds=LIMITED_RETURN_SECONDS)


def _look_up(code: str | None, lookup: str):
    """The dossier with this code and lookup code, or None; wrong tries count against this PC and this dossier.

    Each try is counted before the look-up and given back when it was right, so tries made at the same
    moment cannot overrun a limit. Only these tries are limited: a status token cannot be guessed.
    """
    address = client_ip()
    if not lookup_limiter().acquire(address):
        abort(429)
    if code is not None and not dossier_lookup_limiter().acquire(code):
        lookup_limiter().release(address)
        return None, DOSSIER_LIMITED
    dossier = pickup.find_by_code_and_lookup(code, lookup) if code else None
    if dossier is None:
        return None, WRONG_PAIR
    lookup_limiter().release(address)
    dossier_lookup_limiter().release(code)
    return dossier, None


@bp.route("", methods=["GET", "POST"])
@public
def kiosk():
    """One box: a scanned receipt QR (URL or token), or a dossier code (or its short form) with the lookup code."""
    errors = {}
    status = 200
    scanned = clean(request.form.get("ma", ""))[: codes.MAX_SCAN_LENGTH + 1]
    lookup = clean(request.form.get("ma_tra_cuu", ""))[:20]
    if request.method == "POST":
        status = 400
        found = codes.extract_token_or_code(scanned) if scanned else None
        partial = codes.parse_partial_code(scanned) if scanned else None
        # A receipt may print the province's code as the dossier's official code.
        portal_code = codes.parse_portal_code(scanned) if scanned and partial is None else None
        if not scanned:
            errors["ma"] = "Vui lòng quét mã QR trên giấy biên nhận hoặc nhập mã hồ sơ."
        elif found and found[0] == "token":
            dossier = pickup.find_by_token(found[1])
            if dossier is not None:
                return redirect(url_for("status.show", token=dossier.token, tu="kiosk"), 303)
            errors["ma"] = "Không tìm thấy hồ sơ của mã QR này. Vui lòng hỏi cán bộ tại quầy."
        elif partial is None and portal_code is None:
            errors["ma"] = UNREADABLE
        elif not lookup:
            errors["ma_tra_cuu"] = "Vui lòng nhập mã tra cứu 4 ký tự in trên giấy biên nhận."
        else:
            try:
                code = pickup.code_for_lookup(partial) if partial else portal_code
            except pickup.AmbiguousCode:
                errors["ma"] = AMBIGUOUS
            else:
                dossier, errors["form"] = _look_up(code, lookup)
                if dossier is not None:
                    return redirect(url_for("status.show", token=dossier.token, tu="kiosk"), 303)
                status = 429 if errors["form"] == DOSSIER_LIMITED else 400
    return render(
        "status/kiosk.html", "status/_kiosk_form.html", status=status,
        errors=errors, scanned=scanned, lookup=lookup, catalogue_url=_catalogue_url(), idle_seconds=KIOSK_IDLE_SECONDS,
    )


def _catalogue_url() -> str | None:
    """The public catalogue's address, once that area exists."""
    return url_for(CATALOGUE_ENDPOINT) if CATALOGUE_ENDPOINT in current_app.view_functions else None


@bp.get("/<token>")
@public
@cached_public_page
def show(token):
    """What a citizen needs to know about their dossier, and nothing about them but a masked name.

    Never limited: a token cannot be guessed, so a wrong one costs nothing and a right one always opens.
    """
    page = pickup.status_page(token)
    if page is None:
        return _not_found()
    return _status_page(page)


def _status_page(page: pickup.StatusPage, status: int = 200, rating_error: str = "", comment: str = ""):
    """The status page; after an incomplete rating, with the message beside the choices and the comment kept."""
    dossier = page.dossier
    body, status = render(
        "status/show.html",
        status=status,
        dossier=dossier,
        state=Status(dossier.status),
        masked_name=mask_name(dossier.applicant_name),
        counter_name=page.counter_name,
        timeline=page.timeline,
        missing=page.missing,
        fee_due=page.fee_due,
        return_method=RETURN_METHODS.get(dossier.return_method, ""),
        rating_level=page.rating_level,
        levels=RATING_LEVELS,
        rating_error=rating_error,
        rating_token=page_form_token(RATING_FORM, dossier.token),
        comment=comment,
        kiosk_idle_seconds=KIOSK_IDLE_SECONDS if request.args.get("tu") == "kiosk" else None,
    )
    # The page names a dossier's progress: no shared proxy keeps it, and the browser asks again each time.
    return body, status, {"Cache-Control": "private, no-cache"}


@bp.post("/<token>/danh-gia")
@public
@csrf.exempt
def rate(token):
    """The citizen's one rating of a returned dossier."""
    check_page_form_token(RATING_FORM, token)
    dossier = pickup.find_by_token(token)
    if dossier is None:
        return _not_found()
    level = request.form.get("muc_do", "")
    if level not in RATING_LEVELS and Status(dossier.status) == Status.RETURNED:
        return _status_page(pickup.status_page(token), 400, "Vui lòng chọn một mức độ hài lòng.", request.form.get("y_kien", "")[:1000])
    try:
        pickup.rate(dossier, level, request.form.get("y_kien", ""))
    except pickup.RatingRefused as refused:
        flash(refused.reason, "info")
    else:
        flash("Cảm ơn ông/bà đã đánh giá. Ý kiến của ông/bà giúp Trung tâm phục vụ tốt hơn.", "success")
    return redirect(url_for("status.show", token=token, _anchor="danh-gia"), 303)


@bp.get("/kiem-tra-dia-chi/<nonce>")
@public
def address_echo(nonce):
    """Answer this server's own check of its public address with the nonce it just issued; any other is not found."""
    if not public_address.answers(nonce):
        abort(404)
    return nonce, 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
