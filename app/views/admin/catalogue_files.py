"""Importing and exporting the procedure catalogue as CSV or XLSX from the administration."""
from flask import current_app, flash, redirect, request, url_for

from ...clock import today
from ...pages import error_page, render
from ...rules.catalogue_file import CatalogueFileError
from ...security import audit, roles_required
from ...services.catalogue import EXPORT_FORMATS, export_catalogue, import_catalogue
from . import bp, uploaded_spreadsheet


@bp.errorhandler(413)
def upload_too_large(error):
    """Say how big a file may be, instead of a bare "too large"."""
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    return error_page(413, f"Tệp tải lên quá lớn: chỉ nhận tệp tối đa {limit} MB. Không có dữ liệu nào bị thay đổi.")


@bp.route("/thu-tuc/nhap", methods=["GET", "POST"])
@roles_required("quan_tri")
def import_procedures():
    """Upload a CSV or XLSX catalogue: saved all or nothing, every bad cell named by line and column."""
    errors = []
    if request.method == "POST":
        upload, errors = uploaded_spreadsheet()
        if upload:
            data, filename = upload
            try:
                count = import_catalogue(data, filename)
            except CatalogueFileError as error:
                errors = error.errors
            else:
                audit("catalogue_imported", f"{filename}: {count.summary()}")
                flash(f"Đã nhập tệp {filename}: {count.summary()}.", "success")
                return redirect(url_for("admin.procedures"), 303)
    status = 400 if errors else 200
    return render("admin/catalogue/import.html", status=status, errors=errors)


@bp.get("/thu-tuc/xuat")
@roles_required("quan_tri")
def export_procedures():
    """Download the whole catalogue in the format the import reads back."""
    file_format = request.args.get("dinh_dang", "xlsx")
    if file_format not in EXPORT_FORMATS:
        return error_page(400, "Định dạng xuất chỉ có thể là csv hoặc xlsx.")
    _, mimetype = EXPORT_FORMATS[file_format]
    filename = f"danh-muc-thu-tuc-{today():%Y%m%d}.{file_format}"
    response = current_app.response_class(export_catalogue(file_format), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
