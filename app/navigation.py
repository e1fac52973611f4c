"""The staff menu: each entry names its page and the roles that see it."""
from flask import current_app
from flask_login import current_user

MENU = (
    ("queue.call", "Gọi số", ("tiep_nhan",)),
    ("intake.index", "Tiếp nhận", ("tiep_nhan",)),
    ("pickup.index", "Trả kết quả", ("tiep_nhan",)),
    ("processing.mine", "Hồ sơ của tôi", ("chuyen_mon", "lanh_dao")),
    ("processing.index", "Danh sách hồ sơ", ("tiep_nhan", "chuyen_mon", "lanh_dao", "quan_tri")),
    ("reports.index", "Thống kê", ("lanh_dao", "quan_tri")),
    ("admin.index", "Quản trị", ("quan_tri",)),
)


def menu() -> list[tuple[str, str]]:
    """The entries this user may open, among the pages the app has."""
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, label)
        for endpoint, label, roles in MENU
        if endpoint in current_app.view_functions and current_user.has_any_role(roles)
    ]
