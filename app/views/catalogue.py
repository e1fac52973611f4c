"""The public catalogue of procedures (/thu-tuc): search as you type, and a printable guide per procedure."""
from flask import Blueprint, abort, request

from ..args import id_arg
from ..clock import today
from ..models import Field, ProcedureDocument
from ..pagecache import cached_public_page
from ..pages import render
from ..rules.catalogue_file import FORM_LABELS
from ..rules.fees import FeeKind, describe, describe_ground
from ..rules.text import clean
from ..security import public
from ..services.catalogue import extension_cases, fee_rule, in_force_by_code, search_in_force, time_in_words
from . import request_settings

bp = Blueprint("catalogue", __name__, url_prefix="/thu-tuc")

# Longer text is not a search anybody types; it would only make the query slower.
MAX_SEARCH_LENGTH = 100


def _default_cutoff():
    return request_settings()["default_cutoff"]


def _card(procedure, cutoff) -> dict:
    rule = fee_rule(procedure)
    return {
        "procedure": procedure,
        "time": time_in_words(procedure, cutoff),
        "fee": describe(rule),
        "fee_online": describe(rule, online=True),
        "free": rule.kind is FeeKind.FREE,
    }


@bp.get("")
@public
@cached_public_page
def index():
    """Procedures in force today, filtered by typed words (diacritics optional) and by field."""
    text = clean(request.args.get("q", ""))[:MAX_SEARCH_LENGTH]
    field_id = id_arg("linh_vuc")
    cutoff = _default_cutoff()
    cards = [_card(procedure, cutoff) for procedure in search_in_force(today(), text, field_id)]
    return render(
        "catalogue/index.html",
        "catalogue/_results.html",
        cards=cards,
        fields=Field.ordered(),
        text=text,
        field_id=field_id,
    )


@bp.get("/<code>")
@public
@cached_public_page
def detail(code):
    """One procedure as a guide for the citizen: documents, time, fees, legal basis; prints on one page."""
    procedure = in_force_by_code(code, today())
    if procedure is None:
        abort(404)
    documents = list(procedure.documents.order_by(ProcedureDocument.order, ProcedureDocument.id))
    return render(
        "catalogue/detail.html",
        card=_card(procedure, _default_cutoff()),
        documents=documents,
        extension_cases=extension_cases(procedure),
        fee_grounds=[describe_ground(name, percent) for name, percent in fee_rule(procedure).grounds],
        form_labels=FORM_LABELS,
    )
