"""Page or fragment: one place decides whether a view answers with the whole page or its htmx part."""
from flask import render_template

from .extensions import htmx


def wants_fragment() -> bool:
    """An htmx request that is not boosted and not a history restore wants only the swapped part."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, fragment: str | None = None, status: int = 200, **context):
    """Render the page `template`, or only `fragment` (a `_name.html` it includes) for htmx."""
    chosen = fragment if fragment and wants_fragment() else template
    return render_template(chosen, **context), status


def error_page(status: int, message: str):
    return render("errors/error.html", "errors/_error.html", status=status, code=status, message=message)
