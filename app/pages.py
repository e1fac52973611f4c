"""Page or fragment: one place decides whether a view answers with the whole page or its htmx part."""
from flask import render_template, request, url_for

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


_static_urls: dict = {}


def static_url(filename: str) -> str:
    """`url_for("static", filename=...)`, worked out once per file (and mount point): every page's layout
    names the same few stylesheets and scripts, and building each address took as long as a query."""
    key = (request.script_root, filename)
    url = _static_urls.get(key)
    if url is None:
        url = _static_urls[key] = url_for("static", filename=filename)
    return url
