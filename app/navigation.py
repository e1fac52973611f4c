"""The staff menu: each entry names its page and the roles that see it."""
from typing import NamedTuple

from flask import current_app, request, url_for
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


class Entry(NamedTuple):
    url: str
    label: str
    # The entry of the area the page belongs to (its blueprint), marked aria-current.
    current: bool


_urls: dict = {}


def menu() -> list[Entry]:
    """The entries this user may open, among the pages the app has.

    Every staff page draws the menu: the addresses are worked out once, the user's roles read once,
    and the current area found here rather than in the template's loop.
    """
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return []
    roles = user.roles
    area = (request.endpoint or "").split(".")[0]
    entries = []
    for endpoint, label, allowed in MENU:
        if endpoint not in current_app.view_functions or roles.isdisjoint(allowed):
            continue
        key = (request.script_root, endpoint)
        url = _urls.get(key)
        if url is None:
            url = _urls[key] = url_for(endpoint)
        entries.append(Entry(url, label, bool(request.endpoint) and endpoint.split(".")[0] == area))
    return entries
