"""The dossier events in the audit log: every step of every dossier, by person and date, never editable."""
from peewee import JOIN

from ...args import id_arg
from ...models import Dossier, DossierEvent, User
from ...pages import render
from ...rules.events import event_label
from ...security import roles_required
from . import bp, log_page, section

section("admin.dossier_events", "Nhật ký xử lý hồ sơ", "Mọi bước của mọi hồ sơ: ai làm, lúc nào, từ trạng thái nào sang trạng thái nào.", order=91)

@bp.get("/nhat-ky-ho-so")
@roles_required("quan_tri")
def dossier_events():
    """Dossier events newest first, filtered by person and dates."""
    query = (
        DossierEvent.select(DossierEvent, Dossier.code, User)
        .join(Dossier, on=(DossierEvent.dossier == Dossier.id))
        .switch(DossierEvent)
        .join(User, join_type=JOIN.LEFT_OUTER, on=(DossierEvent.user == User.id))
        .order_by(DossierEvent.at.desc(), DossierEvent.id.desc())
    )
    user_id = id_arg("nguoi")
    if user_id:
        query = query.where(DossierEvent.user == user_id)
    log = log_page(query, DossierEvent.at)
    return render(
        "admin/dossier_events.html",
        "admin/_dossier_events.html",
        events=log["entries"],
        has_more=log["has_more"],
        page=log["page"],
        date_errors=log["date_errors"],
        event_label=event_label,
        people=User.select().order_by(User.full_name),
        filters={"nguoi": str(user_id or ""), **log["dates"]},
    )
