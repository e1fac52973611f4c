"""The public side: a dossier's status page opened by the receipt's QR code, the lookup kiosk and the rating."""
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for

from ..models import RATING_LEVELS, RETURN_METHODS
from ..pagecache import cached_public_page
from ..pages import render
from ..ratelimit import lookup_limiter
from ..rules import codes
from ..rules.status import Status
from ..rules.text import clean, mask_name
from ..security import client_ip, public
from ..services import pickup

bp = Blueprint("status", __name__, url_prefix="/tra-cuu")

WRONG_PAIR = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Vui lòng kiểm tra lại giấy biên nhận."
CATALOGUE_ENDPOINT = "catalogue.index"
# The kiosk is shared: a dossier left on screen goes back to the empty box after this long.
KIOSK_IDLE_SECONDS = 60
TOO_MANY = "Ông/bà đã tra cứu sai quá nhiều lần. Vui lòng chờ ít phút rồi thử lại, hoặc hỏi cán bộ tại quầy."


def _refuse_if_limited():
    if lookup_limiter().blocked(client_ip()):
        abort(429, TOO_MANY)


def _not_found():
    """A miss counts against the address, then the polite 404 page."""
    lookup_limiter().hit(client_ip())
    return render("status/not_found.html", status=404)


@bp.errorhandler(429)
def too_many(error):
    return render("status/limited.html", status=429, message=TOO_MANY)


@bp.route("", methods=["GET", "POST"])
@public
def kiosk():
    """One box: a scanned receipt QR (URL or token), or a dossier code with the receipt's lookup code."""
    errors = {}
    scanned = clean(request.form.get("ma", ""))[: codes.MAX_SCAN_LENGTH + 1]
    lookup = clean(request.form.get("ma_tra_cuu", ""))[:20]
    if request.method == "POST":
        _refuse_if_limited()
        found = codes.extract_token_or_code(scanned) if scanned else None
        if not scanned:
            errors["ma"] = "Vui lòng quét mã QR trên giấy biên nhận hoặc nhập mã hồ sơ."
        elif found and found[0] == "token":
            dossier = pickup.find_by_token(found[1])
            if dossier is not None:
                return redirect(url_for("status.show", token=dossier.token, tu="kiosk"), 303)
            lookup_limiter().hit(client_ip())
            errors["ma"] = "Không tìm thấy hồ sơ của mã QR này. Vui lòng hỏi cán bộ tại quầy."
        elif (found is None or found[0] == "suffix") and not lookup:
            errors["ma"] = "Không đọc được mã này. Mã hồ sơ in trên giấy biên nhận có dạng 000.00.20.H42-261130-0001."
        elif not lookup:
            errors["ma_tra_cuu"] = "Vui lòng nhập mã tra cứu 4 ký tự in trên giấy biên nhận."
        else:
            dossier = pickup.find_by_code_and_lookup(found[1] if found else "", lookup)
            if dossier is not None:
                return redirect(url_for("status.show", token=dossier.token, tu="kiosk"), 303)
            lookup_limiter().hit(client_ip())
            errors["form"] = WRONG_PAIR
    status = 400 if errors else 200
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
    """What a citizen needs to know about their dossier, and nothing about them but a masked name."""
    _refuse_if_limited()
    dossier = pickup.find_by_token(token)
    if dossier is None:
        return _not_found()
    state = Status(dossier.status)
    body, status = render(
        "status/show.html",
        dossier=dossier,
        state=state,
        masked_name=mask_name(dossier.applicant_name),
        timeline=pickup.citizen_timeline(dossier),
        missing=pickup.missing_documents(dossier),
        fee_due=pickup.fee_still_due(dossier),
        return_method=RETURN_METHODS.get(dossier.return_method, ""),
        rating=pickup.rating_of(dossier) if state == Status.RETURNED else None,
        levels=RATING_LEVELS,
        kiosk_idle_seconds=KIOSK_IDLE_SECONDS if request.args.get("tu") == "kiosk" else None,
    )
    # The page names a dossier's progress: no shared proxy keeps it, and the browser asks again each time.
    return body, status, {"Cache-Control": "private, no-cache"}


@bp.post("/<token>/danh-gia")
@public
def rate(token):
    """The citizen's one rating of a returned dossier."""
    _refuse_if_limited()
    dossier = pickup.find_by_token(token)
    if dossier is None:
        return _not_found()
    level = request.form.get("muc_do", "")
    if level not in RATING_LEVELS:
        flash("Vui lòng chọn một mức độ hài lòng.", "error")
        return redirect(url_for("status.show", token=token, _anchor="danh-gia"), 303)
    try:
        pickup.rate(dossier, level, request.form.get("y_kien", ""))
    except pickup.RatingRefused as refused:
        flash(refused.reason, "info")
    else:
        flash("Cảm ơn ông/bà đã đánh giá. Ý kiến của ông/bà giúp Trung tâm phục vụ tốt hơn.", "success")
    return redirect(url_for("status.show", token=token, _anchor="danh-gia"), 303)
