"""Numbers and dates from the address (path and query string), read once and safely for every view."""
from flask import request
from werkzeug.routing import IntegerConverter

from .rules import inputs


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in a route: an id beyond what the database stores matches no route, so the answer is 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=inputs.RECORD_ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def id_arg(name: str) -> int | None:
    return inputs.record_id(request.args.get(name))


def date_arg(name: str):
    return inputs.day(request.args.get(name))


def page_arg(name: str = "trang") -> int:
    return inputs.page_number(request.args.get(name))


def init_app(app) -> None:
    """Call before any blueprint is registered: routes take their converter when they are added."""
    app.url_map.converters["int"] = RecordIdConverter
