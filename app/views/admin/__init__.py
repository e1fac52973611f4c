"""Administration (quản trị): accounts, settings, the audit log and the center's reference data."""
from flask import Blueprint, render_template

from ...security import roles_required

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
    """The administration's home: one tile per section."""
    return render_template("admin/index.html", sections=[entry[1:] for entry in SECTIONS])


def _import_sections():
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        importlib.import_module(f"{__name__}.{info.name}")


_import_sections()
