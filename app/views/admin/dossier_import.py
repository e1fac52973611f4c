"""Importing the history of an old logbook from the administration, the same as `run.py import-dossiers`."""
from flask import flash, redirect, request, url_for
from flask_login import current_user

from ...pages import render
from ...security import audit, roles_required
from ...services.dossier_import import COLUMNS, REQUIRED, DossierImportError, import_dossiers as import_logbook
from . import bp, section, uploaded_spreadsheet

section("admin.import_dossiers", "Nhập hồ sơ cũ", "Nhập lịch sử hồ sơ từ sổ theo dõi Excel hoặc tệp xuất của hệ thống tỉnh, để số liệu bắt đầu từ dữ liệu thật.", order=75)


@bp.route("/nhap-ho-so", methods=["GET", "POST"])
@roles_required("quan_tri")
def import_dossiers():
    """Upload a CSV or XLSX logbook: all or nothing, every bad cell named by line and column."""
    errors = []
    if request.method == "POST":
        upload, errors = uploaded_spreadsheet()
        if upload:
            data, filename = upload
            try:
                result = import_logbook(data, filename, current_user)
            except DossierImportError as error:
                errors = error.errors
            else:
                audit("dossiers_imported", f"{filename}: {result.added} mới, {result.already_there} đã có")
                flash(f"Đã nhập tệp {filename}: {result.added} hồ sơ mới, {result.already_there} hồ sơ đã có từ trước (bỏ qua).", "success")
                return redirect(url_for("admin.import_dossiers"), 303)
    return render("admin/dossier_import.html", status=400 if errors else 200, errors=errors, columns=COLUMNS, required=REQUIRED)
