"""The public address printed in QR codes: set at the first login, confirmed by the server reaching itself through it."""
from flask import flash, g, redirect, render_template, request, url_for

from ... import settings as center_settings
from ...security import audit, roles_required
from ...services import public_address
from . import bp, section

section(
    "admin.public_address_page", "Địa chỉ tra cứu",
    "Địa chỉ mã QR trên biên nhận mở ra: kiểm tra rằng điện thoại trong mạng nội bộ tới được máy chủ này.", order=15,
)


def _echo_path(nonce: str) -> str:
    return url_for("status.address_echo", nonce=nonce)


@bp.route("/dia-chi-tra-cuu", methods=["GET", "POST"])
@roles_required("quan_tri")
def public_address_page():
    """Set the public address and check it: the server fetches itself through it before it counts as confirmed."""
    settings = center_settings.load()
    spec = center_settings.SPECS_BY_KEY[public_address.ADDRESS_KEY]
    address, error = public_address.suggested(settings, request.host_url), None
    if request.method == "POST":
        typed = request.form.get(spec.key, "")
        address, error = center_settings.parse(spec, typed)
        error = error or public_address.check(address, _echo_path)
        if error is None:
            changed = public_address.confirm(address)
            g.settings = None
            audit("settings_changed", ", ".join([*changed, public_address.CONFIRMED_KEY]))
            flash(f"Đã kiểm tra: {address} tới được máy chủ này. Mã QR trên biên nhận từ nay dùng địa chỉ này.", "success")
            return redirect(url_for("admin.index"), 303)
        address = typed
    return render_template(
        "admin/public_address.html",
        address=address,
        error=error,
        current=settings[public_address.ADDRESS_KEY],
        confirmed=public_address.is_confirmed(settings),
        max_length=spec.max_length,
    ), (400 if error else 200)
