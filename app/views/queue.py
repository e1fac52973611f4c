"""The walk-in queue: the ticket kiosk (public) and the counter's calling page."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from ..clock import now
from ..models import Counter, ServiceGroup
from ..pages import render
from ..ratelimit import kiosk_ticket_limiter
from ..rules import inputs
from ..rules.queue import PRIORITY_REASONS, closing_notice
from ..security import client_ip, public, roles_required
from ..services import queue
from ..services.calendar import work_calendar

bp = Blueprint("queue", __name__)

# The ticket's page goes back to the kiosk's buttons by itself after this long.
TICKET_RETURN_SECONDS = 15
TOO_MANY = "Máy lấy số vừa in nhiều phiếu liên tiếp. Xin chờ một phút rồi bấm lại, hoặc hỏi cán bộ tại quầy."
ACTIONS = ("next", "recall", "skip", "done", "move")


@bp.route("/lay-so", methods=["GET", "POST"])
@public
def kiosk():
    """Large buttons, one per service group; a press prints that group's next ticket."""
    groups = list(ServiceGroup.ordered())
    if request.method == "GET":
        return render("queue/kiosk.html", groups=groups, reasons=PRIORITY_REASONS, error=None)
    group = next((group for group in groups if group.code == request.form.get("dich_vu", "")), None)
    if group is None:
        return render("queue/kiosk.html", status=400, groups=groups, reasons=PRIORITY_REASONS,
                      error="Vui lòng chọn một dịch vụ trên màn hình.")
    if not kiosk_ticket_limiter().acquire(client_ip()):
        return render("queue/kiosk.html", status=429, groups=groups, reasons=PRIORITY_REASONS, error=TOO_MANY)
    moment = now()
    ticket = queue.issue(group, request.form.get("uu_tien") == "1", moment)
    return render("queue/ticket.html", ticket=ticket, group=group, ahead=queue.people_ahead(ticket),
                  closing=closing_notice(moment, work_calendar()), return_seconds=TICKET_RETURN_SECONDS)


def _counter() -> Counter | None:
    """The officer's own counter, or the one chosen on the page (`quay`) when they have none."""
    if current_user.counter_id:
        return current_user.counter
    chosen = inputs.record_id(request.values.get("quay"))
    if chosen is None:
        return None
    return Counter.get_or_none((Counter.id == chosen) & Counter.active)


def _page(counter: Counter | None, status: int = 200, error: str | None = None):
    moment = now()
    context = {"counter": counter, "counters": list(Counter.ordered()), "groups": list(ServiceGroup.ordered()), "error": error}
    if counter is not None:
        context.update(
            serving=queue.current(counter, moment.date()),
            skipped=queue.skipped(counter, moment),
            waiting=queue.waiting_count(counter, moment.date()),
        )
    return render("queue/call.html", "queue/_call.html", status=status, **context)


@bp.get("/goi-so")
@roles_required("tiep_nhan")
def call():
    """The counter's calling page: the ticket being served and the four buttons."""
    return _page(_counter())


@bp.post("/goi-so")
@roles_required("tiep_nhan")
def press():
    """One button: next, recall, skip or done; the page comes back with what happened."""
    counter = _counter()
    if counter is None:
        return _page(None, 400, "Vui lòng chọn quầy trước khi gọi số.")
    action = request.form.get("action", "")
    if action not in ACTIONS:
        return _page(counter, 400, "Thao tác không hợp lệ.")
    moment = now()
    if action == "next":
        outcome = queue.call_next(counter, current_user._get_current_object(), request.form.get("hien_tai", ""), moment)
    elif action == "recall":
        outcome = queue.recall(counter, request.form.get("ve", ""), moment)
    elif action == "skip":
        outcome = queue.skip(counter, moment)
    elif action == "move":
        outcome = queue.move(counter, request.form.get("nhom", ""), moment)
    else:
        outcome = queue.finish(counter, moment)
    flash(outcome.message, "success" if outcome.changed else "info")
    arguments = {} if current_user.counter_id else {"quay": counter.id}
    return redirect(url_for("queue.call", **arguments), 303)

