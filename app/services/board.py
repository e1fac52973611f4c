"""What the wall board shows: its settings, and the ready list, procedures, figures and notices, page by page."""
import datetime
import json
import threading
import time
from dataclasses import dataclass, replace

from peewee import JOIN, fn

from ..db import database
from ..models import Counter, Dossier, DossierEvent, Notice, Procedure, Rating, Setting
from ..rules import periods
from ..rules.board import PANELS, Page, PanelShow, is_open, next_opening, page_of, parse_seconds
from ..rules.fees import describe
from ..rules.status import Status
from ..rules.codes import official_code
from ..rules.text import mask_name
from . import statistics
from .calendar import work_calendar
from .catalogue import fee_rule, in_force, time_in_words
from ..settings import load as load_settings

SETTING_KEY = "board"
# What fits one page at the board's type size (it scales with the screen: 1920×1080 and 1280×720 alike):
# the ready list in two columns of rows of fixed height (tests/browser/test_board.py measures it), so
# that 100 results go round in six pages; procedures' long names wrapped on two or three lines.
READY_PER_PAGE = 18
PROCEDURES_PER_PAGE = 5
NOTICES_PER_PAGE = 2
FIGURE_PERIODS = (("M", "Tháng"), ("Q", "Quý"), ("H", "Sáu tháng"), ("Y", "Năm"))


@dataclass(frozen=True)
class BoardSettings:
    """The administrator's choices for the board."""

    panels: tuple[PanelShow, ...] = (
        PanelShow("ready", 20),
        PanelShow("procedures", 15),
        PanelShow("figures", 15),
        PanelShow("notices", 15),
    )
    refresh_seconds: int = 15
    reload_at: datetime.time = datetime.time(3, 0)
    figures_period: str = "Q"

    def as_data(self) -> dict:
        return {
            "panels": [[show.key, show.seconds] for show in self.panels],
            "refresh_seconds": self.refresh_seconds,
            "reload_at": self.reload_at.strftime("%H:%M"),
            "figures_period": self.figures_period,
        }


DEFAULTS = BoardSettings()
DEFAULT_SECONDS = 15


def _from_data(data: dict) -> BoardSettings:
    """Settings read back from the database; a value that no longer makes sense falls back to its default."""
    changes = {}
    panels = tuple(
        PanelShow(entry[0], parse_seconds(entry[1]) or DEFAULT_SECONDS)
        for entry in data.get("panels") or ()
        if isinstance(entry, list) and len(entry) == 2 and entry[0] in PANELS
    )
    if panels:
        changes["panels"] = panels
    if parse_seconds(data.get("refresh_seconds")):
        changes["refresh_seconds"] = parse_seconds(data["refresh_seconds"])
    try:
        changes["reload_at"] = datetime.time.fromisoformat(str(data["reload_at"]))
    except (KeyError, TypeError, ValueError):
        pass
    if data.get("figures_period") in dict(FIGURE_PERIODS):
        changes["figures_period"] = data["figures_period"]
    return replace(DEFAULTS, **changes)


def load_board() -> BoardSettings:
    row = Setting.get_or_none(Setting.key == SETTING_KEY)
    if row is None:
        return DEFAULTS
    try:
        data = json.loads(row.value)
    except ValueError:
        return DEFAULTS
    return _from_data(data) if isinstance(data, dict) else DEFAULTS


def save_board(board: BoardSettings) -> None:
    value = json.dumps(board.as_data(), ensure_ascii=False, sort_keys=True)
    Setting.insert(key=SETTING_KEY, value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}
    ).execute()


@dataclass(frozen=True)
class ReadyRow:
    """A result waiting on the shelf, as the public may see it: no full name, no full code."""

    name: str
    short_code: str
    procedure: str
    counter: str
    priority: bool


@dataclass(frozen=True)
class Listing:
    """One page of a panel's list."""

    rows: list
    page: Page


def short_code(code: str) -> str:
    """'261203-0023' from '000.00.20.H56-261203-0023': the day and number a person compares with the receipt.

    The number alone repeats from one day to the next; the agency part is the same on every receipt.
    """
    return code.split("-", 1)[-1]


def ready_counter(counter_id) -> Counter | None:
    """The counter a second screen asks for (`?counter=2`), or None to show every counter."""
    try:
        counter_id = int(counter_id)
    except (TypeError, ValueError):
        return None
    # A number too long for the database is no counter either, not an error.
    if not 0 < counter_id < 2**31:
        return None
    return Counter.get_or_none((Counter.id == counter_id) & Counter.active)


def ready_list(page_number, counter: Counter | None = None) -> Listing:
    """Dossiers whose result is ready, oldest first, read through the index on status."""
    condition = Dossier.status == Status.RESULT_READY
    if counter is not None:
        condition &= Dossier.counter == counter
    page = page_of(Dossier.select().where(condition).count(), READY_PER_PAGE, page_number)
    uses_province_system = load_settings()["uses_province_system"]
    query = (
        Dossier.select(
            Dossier.applicant_name, Dossier.code, Dossier.portal_code, Dossier.procedure_name, Dossier.priority_group,
            Counter.name.alias("counter_name"),
        )
        .join(Counter, JOIN.LEFT_OUTER, on=(Dossier.counter == Counter.id))
        .where(condition)
        .order_by(Dossier.resolved_at, Dossier.id)
        .limit(page.size)
        .offset(page.offset)
        .dicts()
    )
    rows = [
        ReadyRow(
            name=mask_name(row["applicant_name"]),
            # The code the citizen's receipt printed: the province's, when it is the official one.
            short_code=short_code(official_code(row["code"], row["portal_code"], uses_province_system)),
            procedure=row["procedure_name"],
            counter=row["counter_name"] or "",
            priority=bool(row["priority_group"]),
        )
        for row in query
    ]
    return Listing(rows, page)


@dataclass(frozen=True)
class ProcedureRow:
    name: str
    time: str
    fee_counter: str
    fee_online: str


def procedure_list(page_number, day: datetime.date, default_cutoff: datetime.time | None) -> Listing:
    """The procedures marked for the board and in force today, in the catalogue's order."""
    query = in_force(day).where(Procedure.on_board)
    page = page_of(query.count(), PROCEDURES_PER_PAGE, page_number)
    rows = []
    for procedure in query.order_by(Procedure.order, Procedure.code).limit(page.size).offset(page.offset):
        rule = fee_rule(procedure)
        rows.append(ProcedureRow(
            name=procedure.name,
            time=time_in_words(procedure, default_cutoff),
            fee_counter=describe(rule),
            fee_online=describe(rule, online=True),
        ))
    return Listing(rows, page)


def notice_list(page_number, day: datetime.date) -> Listing:
    """Notices the administrator left active whose dates include `day`, newest first."""
    query = Notice.select().where(
        Notice.active
        & (Notice.valid_from.is_null() | (Notice.valid_from <= day))
        & (Notice.valid_to.is_null() | (Notice.valid_to >= day))
    )
    page = page_of(query.count(), NOTICES_PER_PAGE, page_number)
    rows = list(query.order_by(Notice.created_at.desc(), Notice.id.desc()).limit(page.size).offset(page.offset))
    return Listing(rows, page)


def current_period(day: datetime.date, board: BoardSettings, settings: dict) -> periods.Period:
    """The reporting period the board's figures cover: the one `day` falls in, cut as the reports are."""
    return periods.containing(day, board.figures_period, settings.get("report_cutoff_day", 0))


@dataclass(frozen=True)
class Opening:
    """Whether the doors are open now, and if not, when they open."""

    open: bool
    next_opening: datetime.datetime | None


def opening(moment: datetime.datetime, settings: dict) -> Opening:
    calendar = work_calendar(settings)
    if is_open(moment, calendar):
        return Opening(True, None)
    return Opening(False, next_opening(moment, calendar))


def _last_id(model) -> int:
    return model.select(fn.MAX(model.id)).scalar() or 0


# The last figures computed, with what they were computed from. Every TV polls them and they change
# only when a dossier, an event or a rating is written (every change of status writes an event); over a
# million dossiers they take seconds, so a busy morning recomputes them at most once a minute.
FIGURES_MAX_AGE = 60
_last_figures: dict = {}
_figures_lock = threading.Lock()


def _fresh(cached, scope, written) -> bool:
    return cached is not None and cached[0] == scope and (cached[1] == written or time.monotonic() - cached[2] < FIGURES_MAX_AGE)


def period_figures(day: datetime.date, board: BoardSettings, settings: dict) -> tuple[periods.Period, dict]:
    """This period's totals and satisfaction as the reports compute them (DOMAIN §6)."""
    period = current_period(day, board, settings)
    convention = settings.get("report_convention", "A")
    scope = (database.obj.database, period.key, convention)
    written = (_last_id(Dossier), _last_id(DossierEvent), _last_id(Rating))
    cached = _last_figures.get("last")
    if _fresh(cached, scope, written):
        return period, cached[3]
    # One thread recomputes; while it does, the other screens keep the figures they had rather than
    # all waiting seconds for the same sums. Only the very first computation is waited for.
    have_figures = cached is not None and cached[0] == scope
    if not _figures_lock.acquire(blocking=not have_figures):
        return period, cached[3]
    try:
        cached = _last_figures.get("last")
        if not _fresh(cached, scope, written):
            result = statistics.figures(period.start, period.end, convention)
            total = result["total"] or {**dict.fromkeys(statistics.FIGURES, 0), "on_time_rate": None}
            cached = (scope, written, time.monotonic(), {"total": total, "satisfaction": result["satisfaction"]})
            _last_figures["last"] = cached
    finally:
        _figures_lock.release()
    return period, cached[3]
