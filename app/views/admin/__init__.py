"""Administration (quản trị): accounts, settings, the audit log and the center's reference data."""
from flask import Blueprint, render_template

from ...security import roles_required

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")

# Each page of the administration lives in its own module; importing them registers their routes.
SECTIONS = []


def section(endpoint: str, label: str, description: str):
    """Name a page on the administration's home."""
    SECTIONS.append((endpoint, label, description))


@bp.get("/")
@roles_required("quan_tri")
def index():
    """The administration's home: one tile per section."""
    return render_template("admin/index.html", sections=SECTIONS)


from . import audit, settings, users  # noqa: E402,F401
