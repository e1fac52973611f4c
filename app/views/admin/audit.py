"""The audit log: logins and administration, filterable, never editable."""
import datetime

from flask import render_template, request

from ...models import AuditLog
from ...pages import render
from ...security import roles_required
from . import bp, section

section("admin.audit_log", "Nhật ký hệ thống", "Ai đã làm gì, lúc nào, từ máy nào: đăng nhập và thao tác quản trị.", order=90)

ACTION_LABELS = {
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập sai",
    "logout": "Đăng xuất",
    "password_changed": "Đổi mật khẩu",
    "password_reset": "Đặt lại mật khẩu",
    "user_created": "Tạo tài khoản",
    "user_updated": "Sửa tài khoản",
    "settings_changed": "Sửa cài đặt",
}
PAGE_SIZE = 50


def _date(name: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/nhat-ky")
@roles_required("quan_tri")
def audit_log():
    """Entries newest first, filtered by person, action and dates."""
    query = AuditLog.select().order_by(AuditLog.at.desc(), AuditLog.id.desc())
    username = request.args.get("nguoi", "").strip()
    action = request.args.get("thao_tac", "")
    date_from, date_to = _date("tu_ngay"), _date("den_ngay")
    if username:
        query = query.where(AuditLog.username == username)
    if action in ACTION_LABELS:
        query = query.where(AuditLog.action == action)
    if date_from:
        query = query.where(AuditLog.at >= datetime.datetime.combine(date_from, datetime.time()))
    if date_to:
        query = query.where(AuditLog.at < datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time()))
    page = max(request.args.get("trang", 1, type=int) or 1, 1)
    entries = list(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE))
    return render(
        "admin/audit_log.html",
        "admin/_audit_entries.html",
        entries=entries[:PAGE_SIZE],
        has_more=len(entries) > PAGE_SIZE,
        page=page,
        labels=ACTION_LABELS,
        filters={"nguoi": username, "thao_tac": action, "tu_ngay": request.args.get("tu_ngay", ""), "den_ngay": request.args.get("den_ngay", "")},
    )
