"""The wall-TV board (public): the page, one small fragment per panel polled by htmx, and a heartbeat."""
import hashlib
import subprocess

from flask import Blueprint, abort, g, make_response, request, send_file, url_for

from ..clock import now
from ..pagecache import cached_public_page
from ..pages import render, wants_fragment
from ..rules.board import PANELS, choose_panels
from ..security import public
from ..services import board as board_service
from ..services import queue as queue_service
from ..services import voice
from ..settings import load as load_settings

bp = Blueprint("board", __name__, url_prefix="/bang-tin")

# The calls strip polls far more often than the panels: a called citizen should see the number at once.
CALL_POLL_SECONDS = 2
SLUGS = {"ready": "ket-qua", "procedures": "thu-tuc", "figures": "so-lieu", "notices": "thong-bao"}


def _panel_context(key: str, settings: dict, board, counter, page) -> dict:
    """What one panel's fragment needs, for the page of its list that was asked for."""
    today = now().date()
    if key == "ready":
        return {"ready": board_service.ready_list(page, counter)}
    if key == "procedures":
        return {"procedures": board_service.procedure_list(page, today, settings["default_cutoff"])}
    if key == "notices":
        return {"notices": board_service.notice_list(page, today)}
    period, figures = board_service.period_figures(today, board, settings)
    return {"period": period, "figures": figures}


def _status_context(settings: dict) -> dict:
    moment = now()
    return {"moment": moment, "opening": board_service.opening(moment, settings)}


def _calls_context() -> dict:
    serving, recent = queue_service.board_calls(now().date())
    voiced = {call.key for call in serving if voice.can_say(call.pieces)}
    return {"serving": serving, "recent_calls": recent, "voiced": voiced, "call_poll_seconds": CALL_POLL_SECONDS}


def _conditional(rendered):
    """Answer with a strong ETag of the bytes sent, and 304 when the screen already has them."""
    body, status = rendered
    response = make_response(body, status)
    response.set_etag(hashlib.blake2b(response.get_data(), digest_size=16).hexdigest())
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def _board(only: str | None = None):
    """The whole board, or only the fragment of `only` when htmx polls it."""
    # Kept for the templates too, so that a poll reads the settings once.
    settings = g.settings = load_settings()
    board = board_service.load_board()
    counter = board_service.ready_counter(request.args.get("counter"))
    page = request.args.get("page")
    if only == "status" and wants_fragment():
        return render("board/index.html", "board/_status.html", **_status_context(settings))
    if only == "calls" and wants_fragment():
        return render("board/index.html", "board/_calls.html", **_calls_context())
    if only in PANELS and wants_fragment():
        context = _panel_context(only, settings, board, counter, page)
        return render("board/index.html", f"board/_{only}.html", counter=counter, **context)
    shows = choose_panels(board.panels, only if only in PANELS else request.args.get("panels"), request.args.get("seconds"))
    context = {"counter": counter, "board": board, "shows": shows, "urls": {}, **_status_context(settings), **_calls_context()}
    for show in shows:
        context.update(_panel_context(show.key, settings, board, counter, page))
        arguments = {"counter": counter.id} if show.key == "ready" and counter else {}
        context["urls"][show.key] = url_for(f"board.{show.key}", **arguments)
    return render("board/index.html", **context)


@bp.get("")
@public
@cached_public_page
def index():
    """The board for a 1920×1080 screen; `?panels=ready&counter=2&seconds=20` makes a second screen."""
    return _board()


@public
@cached_public_page
def panel(key):
    """One panel's fragment for htmx polling; opened directly, the board showing only that panel."""
    return _conditional(_board(key))


for _key, _slug in SLUGS.items():
    bp.add_url_rule(f"/{_slug}", endpoint=_key, view_func=panel, defaults={"key": _key}, methods=["GET"])


@bp.get("/trang-thai")
@public
@cached_public_page
def status():
    """The heartbeat: date, server time and whether the center is open, so the screen dims after hours."""
    return _conditional(_board("status"))


@bp.get("/goi-so")
@public
@cached_public_page
def calls():
    """The "đang phục vụ" strip: the tickets being served and the last calls, polled every few seconds."""
    return _conditional(_board("calls"))


@bp.get("/goi-so/<key>.wav")
@public
def call_voice(key):
    """The spoken call of one of today's calls, synthesized once and then served from the cache."""
    serving, recent = queue_service.board_calls(now().date())
    call = next((call for call in serving + recent if call.key == key), None)
    if call is None or not voice.can_say(call.pieces):
        abort(404)
    try:
        wav = voice.for_call(call.sentence, call.pieces)
    except (OSError, subprocess.SubprocessError):
        abort(503)
    return send_file(wav, mimetype="audio/wav", max_age=3600)
