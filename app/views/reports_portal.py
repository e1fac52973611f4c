"""The national portal on /thong-ke: a period's sync records to download, and the province's export reconciled."""
from flask import Response, request

from ..pages import error_page, render
from ..security import audit, roles_required
from ..services import portal_export, portal_reconcile
from ..settings import load as load_settings
from . import reports as figures

FORMAT_LABELS = {"dvcqg": "JSON đồng bộ (DongBoHoSoMC)", "csv": "CSV", "xlsx": "Excel (.xlsx)"}


@figures.bp.context_processor
def portal_context():
    """What the figures page's portal card needs: the formats and the procedures the portal will not recognise."""
    return {
        "portal_formats": FORMAT_LABELS,
        "portal_local_procedures": portal_export.local_procedures,
        "portal_status_text": portal_reconcile.status_text,
    }


def _period(values) -> figures.PickedPeriod:
    return figures.PickedPeriod(values, load_settings()["report_cutoff_day"])


@figures.bp.get("/dong-bo")
@roles_required(*figures.ROLES)
def portal_export_file():
    """The period's dossiers as the portal's sync records, in the chosen format, as a download."""
    picked = _period(request.args)
    file_format = request.args.get("dinh_dang", "dvcqg")
    if file_format not in portal_export.FORMATS:
        return error_page(400, "Định dạng tệp không hợp lệ: chọn JSON đồng bộ, CSV hoặc Excel.")
    if picked.period is None:
        return error_page(400, next(iter(picked.errors.values())))
    export = portal_export.build(picked.period)
    audit("portal_export", f"{picked.period.label}: {len(export.records)} hồ sơ, {file_format}")
    filename = portal_export.filename(picked.period, file_format)
    return Response(
        portal_export.write(export, file_format),
        mimetype=portal_export.MIMETYPES[file_format],
        headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"},
    )


@figures.bp.post("/doi-soat")
@roles_required(*figures.ROLES)
def portal_reconcile_file():
    """Compare the province's export of the period with our dossiers; every bad line of the file is named."""
    picked = _period(request.form)
    context = {"picked": picked, "reconciliation": None, "reconcile_errors": []}
    if picked.period is None:
        context["reconcile_errors"] = [(0, "", message) for message in picked.errors.values()]
        return render("reports/reconcile.html", status=400, **context)
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        context["reconcile_errors"] = [(0, "", "Hãy chọn tệp CSV hoặc XLSX xuất từ hệ thống của tỉnh.")]
        return render("reports/reconcile.html", status=400, **context)
    try:
        context["reconciliation"] = portal_reconcile.reconcile(picked.period, upload.read(), upload.filename)
    except portal_reconcile.ReconcileError as error:
        context["reconcile_errors"] = error.errors
        return render("reports/reconcile.html", status=400, **context)
    return render("reports/reconcile.html", **context)
