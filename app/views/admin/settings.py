"""The center's settings page."""
from flask import flash, g, redirect, render_template, request, url_for

from ... import settings as center_settings
from ...security import audit, roles_required
from . import bp, section

section("admin.settings", "Cài đặt", "Tên xã và trung tâm, mã cơ quan, giờ làm việc, địa chỉ in trên mã QR, Wi-Fi khách.", order=20)


@bp.route("/cai-dat", methods=["GET", "POST"])
@roles_required("quan_tri")
def settings():
    """Every setting in one form; each value is checked and refused beside its field."""
    values = center_settings.load()
    errors = {}
    if request.method == "POST":
        typed = {}
        for spec in center_settings.SPECS:
            value, error = center_settings.parse(spec, request.form.get(spec.key))
            if error:
                errors[spec.key] = error
            else:
                typed[spec.key] = value
        if not errors:
            changed = center_settings.save(typed)
            if changed:
                audit("settings_changed", ", ".join(changed))
            g.settings = None
            flash("Đã lưu cài đặt.", "success")
            return redirect(url_for("admin.settings"), 303)
        values.update({key: request.form.get(key, "") for key in errors})
    groups = {}
    for spec in center_settings.SPECS:
        groups.setdefault(spec.group, []).append(spec)
    return render_template("admin/settings.html", groups=groups, values=values, errors=errors), (400 if errors else 200)
