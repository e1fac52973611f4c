"""Administration (quản trị): accounts, settings, the audit log and the center's reference data."""
import datetime

from flask import Blueprint, render_template, request

from ...args import page_arg
from ...rules.dates import read_day
from ...security import roles_required
from ...clock import today
from ...services.calendar import work_calendar
from ...services.catalogue import unconfirmed_fees

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")

# Each page of the administration lives in its own module; importing them registers their routes.
SECTIONS = []


def section(endpoint: str, label: str, description: str, order: int = 50):
    """Name a page on the administration's home; `order` places its tile."""
    SECTIONS.append((order, endpoint, label, description))
    SECTIONS.sort()


@bp.get("/")
@roles_required("quan_tri")
def index():
    """The administration's home: one tile per section, and what waits for the administrator's decision."""
    return render_template(
        "admin/index.html",
        sections=[entry[1:] for entry in SECTIONS],
        undecided_days=work_calendar().undecided_days(),
        unconfirmed_fees=unconfirmed_fees(today()).count(),
    )


LOG_PAGE_SIZE = 50


def log_page(query, at_column) -> dict:
    """One page of a log, newest first, within the `tu_ngay`/`den_ngay` dates of the request.

    Returns the entries, whether more follow, the page number and the date filters to keep in links.
    """
    date_errors = {}
    date_from, from_text = read_day(request.args, "tu_ngay", "Từ ngày", date_errors)
    date_to, to_text = read_day(request.args, "den_ngay", "Đến ngày", date_errors)
    if date_from:
        query = query.where(at_column >= datetime.datetime.combine(date_from, datetime.time()))
    if date_to:
        query = query.where(at_column < datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time()))
    page = page_arg()
    rows = list(query.limit(LOG_PAGE_SIZE + 1).offset((page - 1) * LOG_PAGE_SIZE))
    return {
        "entries": rows[:LOG_PAGE_SIZE],
        "has_more": len(rows) > LOG_PAGE_SIZE,
        "page": page,
        "dates": {"tu_ngay": from_text, "den_ngay": to_text},
        "date_errors": date_errors,
    }


def uploaded_spreadsheet():
    """The uploaded CSV/XLSX as (bytes, filename), or the error list to show when no file was chosen."""
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        return None, [(0, "", "Hãy chọn một tệp CSV hoặc XLSX.")]
    return (upload.read(), upload.filename), []


def _import_sections():
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        importlib.import_module(f"{__name__}.{info.name}")


_import_sections()
