"""The staff home page: where each person starts their day."""
from flask import Blueprint, render_template

from ..security import staff_required

bp = Blueprint("home", __name__)


@bp.get("/")
@staff_required
def index():
    """Links to the pages this person's roles open."""
    return render_template("home/index.html")
