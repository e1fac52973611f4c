"""The audit log: logins and administration, filterable, never editable."""
from flask import request

from ...models import AuditLog
from ...pages import render
from ...security import roles_required
from . import bp, log_page, section

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
    "backup_made": "Sao lưu",
    "backup_downloaded": "Tải bản sao lưu",
    "board_settings_changed": "Sửa cài đặt bảng tin",
    "notice_created": "Thêm thông báo",
    "notice_updated": "Sửa thông báo",
    "notice_deactivated": "Gỡ thông báo",
    "calendar_day_added": "Thêm ngày vào lịch",
    "calendar_day_removed": "Bỏ ngày khỏi lịch",
    "catalogue_imported": "Nhập danh mục thủ tục",
    "dossiers_imported": "Nhập hồ sơ từ sổ cũ",
    "portal_export": "Tải hồ sơ đồng bộ lên Cổng Dịch vụ công",
    "field_created": "Thêm lĩnh vực",
    "field_updated": "Sửa lĩnh vực",
    "counter_created": "Thêm quầy",
    "counter_updated": "Sửa quầy",
    "procedure_created": "Thêm thủ tục",
    "procedure_updated": "Sửa thủ tục",
    "procedure_activated": "Mở lại thủ tục",
    "procedure_deactivated": "Ngừng thủ tục",
    "service_group_created": "Thêm nhóm dịch vụ lấy số",
    "service_group_updated": "Sửa nhóm dịch vụ lấy số",
    "village_created": "Thêm thôn",
    "voice_clip_uploaded": "Tải lên bản ghi âm gọi số",
    "village_updated": "Sửa thôn",
    "village_deleted": "Xóa thôn",
    "team_member_added": "Thêm thành viên tổ công nghệ số",
    "team_member_updated": "Sửa thành viên tổ công nghệ số",
}
@bp.get("/nhat-ky")
@roles_required("quan_tri")
def audit_log():
    """Entries newest first, filtered by person, action and dates."""
    query = AuditLog.select().order_by(AuditLog.at.desc(), AuditLog.id.desc())
    username = request.args.get("nguoi", "").strip()
    action = request.args.get("thao_tac", "")
    if username:
        query = query.where(AuditLog.username == username)
    if action in ACTION_LABELS:
        query = query.where(AuditLog.action == action)
    log = log_page(query, AuditLog.at)
    return render(
        "admin/audit_log.html",
        "admin/_audit_entries.html",
        entries=log["entries"],
        has_more=log["has_more"],
        page=log["page"],
        date_errors=log["date_errors"],
        labels=ACTION_LABELS,
        filters={"nguoi": username, "thao_tac": action, **log["dates"]},
    )
