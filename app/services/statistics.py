"""The center's figures for any period (DOMAIN §6), computed by SQL aggregates as of the period's end.

Every figure is what the records said at the end of the period, whenever the report is run: a
dossier resolved after that end counts as in progress, one withdrawn after it as in progress too.
A period that has not ended yet is counted as of now, on the center's clock. Resolved means
`resolved_at` (result ready, or refused with an answer) is set by then; the time a dossier was stopped
or withdrawn is its `closed_at`, set by the status machine. An open dossier whose last clock step by
then was a request for documents (Mẫu 02) is waiting: its clock is stopped, so it is neither within
nor past its deadline.
"""
import datetime

from peewee import Case, Select, Value, fn

from .. import clock
from ..db import on_sqlite
from ..models import CHANNELS, RATING_LEVELS, Counter, Dossier, DossierEvent, Field, GuidanceSlip, Procedure, Rating, User, Village
from ..rules import index766
from ..rules.fees import WAIVED
from ..rules.status import Action, Status

FIGURES = (
    "carried_over",
    "received",
    "resolved",
    "early",
    "on_time",
    "late",
    "in_progress_on_time",
    "in_progress_overdue",
    "waiting",
    "withdrawn",
    "stopped",
    "refused",
    "in_time",
    "received_truc_tuyen",
    "received_truc_tiep",
    "received_tai_nha",
    "received_buu_chinh",
    "fee_waived",
    "fee_reduced",
)
# Received by channel as the official table splits it: the village team's home intake is counted as
# at the counter (trực tiếp) and shown again as a sub-column of it.
_RECEIVED_COLUMNS = {
    "truc_tuyen": ("received_truc_tuyen",),
    "truc_tiep": ("received_truc_tiep",),
    "tai_nha": ("received_truc_tiep", "received_tai_nha"),
    "buu_chinh": ("received_buu_chinh",),
}
_CHANNEL_CODES = {channel: index for index, channel in enumerate(CHANNELS, start=1)}
_CHANNEL_OF_CODE = {index: channel for channel, index in _CHANNEL_CODES.items()}
# Counts behind conventions B and D that are not shown as columns of their own.
_HIDDEN = ("due_in_period", "due_in_period_met", "d_in_time", "d_repeated_requests")

CONVENTIONS = {
    "A": "(Trước hạn + đúng hạn) / số hồ sơ đã giải quyết",
    "B": "Số hồ sơ có ngày hẹn trả trong kỳ đã giải quyết đến hết ngày hẹn / số hồ sơ có ngày hẹn trả trong kỳ",
    "C": "100% − (trễ hạn đã giải quyết + đang giải quyết quá hạn) / (tồn kỳ trước + tiếp nhận mới)",
    "D": (
        "Ước tính theo Quyết định 766/QĐ-TTg, chỉ số 2.1: số hồ sơ kết thúc xử lý đến hết ngày hẹn trả "
        "(không tính thời gian chờ bổ sung; yêu cầu bổ sung hơn một lần tính trễ hạn) / (tồn kỳ trước + tiếp nhận mới)"
    ),
}
# Conventions that are our reading of a published transcription rather than of the legal text: every
# place that names one says "ước tính".
ESTIMATED_CONVENTIONS = frozenset({"D"})

DIMENSIONS = {
    "field": "Lĩnh vực",
    "procedure": "Thủ tục",
    "channel": "Kênh tiếp nhận",
    "counter": "Quầy",
    "officer": "Cán bộ tiếp nhận",
    "village": "Thôn",
}
UNKNOWN_LABEL = "(Không xác định)"

_DIMENSION_COLUMNS = {
    "field": Dossier.field,
    "procedure": Dossier.procedure_code,
    "channel": Dossier.channel,
    "counter": Dossier.counter,
    "officer": Dossier.received_by,
    "village": Dossier.village,
}
_CLOSED_STATUSES = (Status.STOPPED.value, Status.WITHDRAWN.value)
_CLOSING_ACTIONS = (Action.STOP.value, Action.WITHDRAW.value)
_CLOCK_ACTIONS = (Action.REQUEST_DOCUMENTS.value, Action.DOCUMENTS_RECEIVED.value)


# Where a dossier stood at the start of the period, and where it ended up at its end.
_CARRIED_OVER, _RECEIVED = 1, 2
_EARLY, _ON_TIME, _LATE, _OPEN, _OVERDUE, _WITHDRAWN, _STOPPED, _WAITING = range(1, 9)
_OUTCOMES = {
    _WAITING: "waiting",
    _EARLY: "early",
    _ON_TIME: "on_time",
    _LATE: "late",
    _OPEN: "in_progress_on_time",
    _OVERDUE: "in_progress_overdue",
    _WITHDRAWN: "withdrawn",
    _STOPPED: "stopped",
}
_RESOLVED_OUTCOMES = (_EARLY, _ON_TIME, _LATE)
# For convention B: 1 = due in the period, 2 = due in the period and resolved by its appointment day.
_DUE, _DUE_MET = 1, 2
# The fee ground chosen at intake: none, one that reduces the fee, one that waives it.
_FEE_FULL, _FEE_REDUCED, _FEE_WAIVED = 0, 1, 2
_FEE_FIGURES = {_FEE_REDUCED: "fee_reduced", _FEE_WAIVED: "fee_waived"}
# Convention D (Decision 766/QĐ-TTg, indicator 2.1 "tỷ lệ hồ sơ xử lý trước hạn, đúng hạn"), as the
# published transcription of its method puts it ("Mô tả công thức tính chỉ số 766", reproduced in
# github.com/ChippedTopaz/qd766, web/dist/formula-document.js; not the legal text, hence "ước tính"):
# on time / every dossier received or processed in the period, where a dossier is on time if its
# processing ended by its appointment, the time spent waiting for the citizen's documents taken off.
# The end is the result (or refusal), the stop or the withdrawal; for one still waiting, the request
# for documents; for one still open, the end of the period. A dossier asked for documents more than
# once is late whatever its dates.
#
# What D does differently from A, B and C:
# - its population is C's (carried over + received), not A's (resolved) nor B's (due in the period);
# - a dossier asked for documents more than once (by the end of the period) is late;
# - a dossier stopped or withdrawn is judged by when it ended (C never counts it late): on time if it
#   ended by its appointment day; if it was waiting then, its end is the request for documents;
# - a dossier waiting at the end is judged by its request (C never counts it late): on time if the
#   request came by the appointment in force then.
# The waiting time is taken off the same way as in A, B and C: our `due_at` already moves on
# documents_received by the working days paused (the day of the request counts, the day the documents
# came does not: WorkCalendar.move_by_pause), which is "the appointment extended by the waiting time".
# The transcription subtracts the elapsed time instead, so a pause over a weekend or a holiday can
# differ by those days: one more reason D is an estimate. As in A, days are compared, not hours.
_D_AS_OUTCOME, _D_ENDED_IN_TIME, _D_REPEATED_REQUESTS = 0, 1, 2
# A dossier's code is d·1000000 + fee·100000 + channel·10000 + origin·1000 + outcome·100 + refused·10 + due,
# d saying how convention D judges it where its outcome does not say already.
_D_WEIGHT, _FEE_WEIGHT, _CHANNEL_WEIGHT, _ORIGIN_WEIGHT, _OUTCOME_WEIGHT, _REFUSED_WEIGHT = 1000000, 100000, 10000, 1000, 100, 10
# Breakdowns grouped together in one pass: few enough combinations to add up in Python, so that a
# quarter at a million dossiers sorts its rows twice instead of once per breakdown.
_PASSES = (("field", "procedure", "channel", "counter"), ("officer", "village"))
# What the chart by month shows of each month.
_CHART_FIGURES = ("received", "resolved", "on_time_rate")


def _closed_at():
    """When a stopped or withdrawn dossier left the open statuses (NULL for any other).

    `closed_at` is set by the status machine; a dossier closed before it existed (or imported without
    the time) falls back on its stop or withdraw event, and failing that on its reception.
    """
    event_at = (
        DossierEvent.select(fn.MIN(DossierEvent.at))
        .where((DossierEvent.dossier == Dossier.id) & DossierEvent.action.in_(_CLOSING_ACTIONS))
    )
    closed = fn.COALESCE(Dossier.closed_at, event_at, Dossier.received_at)
    return Case(None, [(Dossier.status.in_(_CLOSED_STATUSES), closed)], None)


def _day(column):
    """The date part of a stored time: SQLite keeps "YYYY-MM-DD HH:MM:SS" text, and slicing it is
    several times cheaper than date(), which matters over a million rows; PostgreSQL has a timestamp."""
    return fn.substr(column, 1, 10) if on_sqlite() else fn.DATE(column)


def _resolution():
    """Early, on time or late: the day it was resolved against the day of its appointment."""
    resolved_day, due_day = _day(Dossier.resolved_at), _day(Dossier.due_at)
    return Case(None, [(resolved_day < due_day, _EARLY), (resolved_day == due_day, _ON_TIME)], _LATE)


def _waiting_at(end: datetime.datetime):
    """Waiting for the citizen's documents at `end`: its last clock step before then was a request (Mẫu 02)."""
    last_step = (
        DossierEvent.select(DossierEvent.action)
        .where((DossierEvent.dossier == Dossier.id) & DossierEvent.action.in_(_CLOCK_ACTIONS) & (DossierEvent.at < end))
        .order_by(DossierEvent.at.desc(), DossierEvent.id.desc()).limit(1)
    )
    return Value(Action.REQUEST_DOCUMENTS.value) == last_step


def _may_wait():
    """Waiting now or asked for documents once: only such a dossier is asked about its clock steps."""
    return Dossier.paused_at.is_null(False) | fn.EXISTS(
        DossierEvent.select(DossierEvent.id).where((DossierEvent.dossier == Dossier.id) & (DossierEvent.action == Action.REQUEST_DOCUMENTS.value))
    )


def _appointment_at(end: datetime.datetime):
    """The appointment in force at `end`: documents received after it moved `due_at`, and the first such
    event keeps the appointment it replaced."""
    replaced = (
        DossierEvent.select(DossierEvent.due_at_before)
        .where(
            (DossierEvent.dossier == Dossier.id) & (DossierEvent.action == Action.DOCUMENTS_RECEIVED.value)
            & (DossierEvent.at >= end) & DossierEvent.due_at_before.is_null(False)
        )
        .order_by(DossierEvent.at, DossierEvent.id).limit(1)
    )
    return Case(None, [(_may_wait(), fn.COALESCE(replaced, Dossier.due_at))], Dossier.due_at)


def _open_at(end: datetime.datetime):
    """Waiting, within the deadline or overdue at `end`: overdue when the appointment in force then was
    before `end` (the end of the period's last day, or now)."""
    return Case(None, [(_may_wait() & _waiting_at(end), _WAITING), (_appointment_at(end) < end, _OVERDUE)], _OPEN)


def _requests_before(end: datetime.datetime, aggregate):
    """An aggregate over the dossier's own requests for documents (Mẫu 02) before `end`, read through
    the events' dossier index. The events have no index on the action, so a subquery grouped over all
    of them reads the whole history, once per part of `_coded`: 0.23 s against 0.16 s for this one, a
    quarter's figures at 60.000 dossiers (0.10 s without convention D)."""
    return (
        DossierEvent.select(aggregate)
        .where((DossierEvent.dossier == Dossier.id) & (DossierEvent.action == Action.REQUEST_DOCUMENTS.value) & (DossierEvent.at < end))
    )


def _convention_d(end: datetime.datetime, resolved_by_end, closed_at):
    """How convention D judges the dossier at `end`, where its outcome alone does not tell: asked for
    documents more than once (late), or stopped, withdrawn or waiting and ended by its appointment."""
    requests = _requests_before(end, fn.COUNT(DossierEvent.id))
    last_request = _requests_before(end, fn.MAX(DossierEvent.at))
    # Stopped or withdrawn while waiting: processing ended with the request, the clock stopped then.
    ended_at = fn.COALESCE(Dossier.paused_at, closed_at)
    return Case(
        None,
        [
            (Value(1) < requests, _D_REPEATED_REQUESTS),
            (resolved_by_end, _D_AS_OUTCOME),
            (closed_at < end, Case(None, [(_day(ended_at) <= _day(Dossier.due_at), _D_ENDED_IN_TIME)], _D_AS_OUTCOME)),
            (_may_wait() & _waiting_at(end) & (_day(last_request) <= _day(_appointment_at(end))), _D_ENDED_IN_TIME),
        ],
        _D_AS_OUTCOME,
    )


def _coded(start: datetime.datetime, end: datetime.datetime, with_d: bool = True, resolved_only: bool = False):
    """The dossiers that matter to [start, end), each as its dimensions and a few small codes.

    Four disjoint parts, each read through its own index, so that a quarter reads that quarter's
    dossiers and those still open rather than the whole history: received in the period; received
    before and resolved in or after it; received before and not resolved, still open at the start or
    stopped or withdrawn since. `end` is exclusive.

    `resolved_only` keeps what convention A's rate reads: what was received, and what was resolved in
    the period and when. A dossier carried over and still unresolved at the end is left out, and an
    open one is not asked whether it waits or is overdue (it counts as in progress); the due codes of
    convention B stay 0. Everything resolved after the period is then not read at all, which for a
    month of the chart is most of the history since.
    """
    closed_at = _closed_at()
    resolved_by_end = Dossier.resolved_at.is_null(False) & (Dossier.resolved_at < end)
    closed_code = Case(Dossier.status, [(Status.WITHDRAWN.value, _WITHDRAWN)], _STOPPED)
    refused = _flag(resolved_by_end & (Dossier.status == Status.REFUSED.value))
    if resolved_only:
        due, open_at = Value(0), Value(_OPEN)
    else:
        # The appointment in force at the end: one resolved by then has not moved since.
        due_at = Case(None, [(resolved_by_end, Dossier.due_at)], _appointment_at(end))
        due = Case(
            None,
            [
                ((due_at < start) | (due_at >= end), 0),
                (closed_at < end, 0),
                (resolved_by_end & (_day(Dossier.resolved_at) <= _day(Dossier.due_at)), _DUE_MET),
                # A dossier waiting for documents at the end has no appointment to meet yet.
                (~resolved_by_end & _waiting_at(end), 0),
            ],
            _DUE,
        )
        open_at = _open_at(end)
    # Convention D reads each dossier's requests for documents: only when it is asked for.
    judged_d = _convention_d(end, resolved_by_end, closed_at) if with_d else Value(_D_AS_OUTCOME)
    channel = Case(Dossier.channel, list(_CHANNEL_CODES.items()), 0)
    fee = Case(None, [(Dossier.fee_reduction >= WAIVED, _FEE_WAIVED), (Dossier.fee_reduction > 0, _FEE_REDUCED)], _FEE_FULL)
    dimensions = [column.alias(name) for name, column in _DIMENSION_COLUMNS.items()]
    received_before = Dossier.received_at < start

    def part(origin, outcome, where):
        # One small integer says it all, so that grouping sorts on two columns rather than five.
        code = Value(origin * _ORIGIN_WEIGHT) + judged_d * _D_WEIGHT + fee * _FEE_WEIGHT + channel * _CHANNEL_WEIGHT + outcome * _OUTCOME_WEIGHT + refused * _REFUSED_WEIGHT + due
        return Dossier.select(*dimensions, code.alias("code")).where(where)

    received = part(
        _RECEIVED,
        Case(None, [(resolved_by_end, _resolution()), (closed_at < end, closed_code)], open_at),
        (Dossier.received_at >= start) & (Dossier.received_at < end),
    )
    resolved_since = received_before & (Dossier.resolved_at >= start)
    if resolved_only:
        resolved_in = part(_CARRIED_OVER, _resolution(), resolved_since & (Dossier.resolved_at < end))
        return (received + resolved_in).cte("coded", materialized=True)
    resolved_later = part(_CARRIED_OVER, Case(None, [(resolved_by_end, _resolution())], open_at), resolved_since)
    # Split in two so that each reads its own range of the (resolved_at, closed_at, received_at) index.
    still_open = part(
        _CARRIED_OVER,
        Case(None, [(closed_at < end, closed_code)], open_at),
        received_before & Dossier.resolved_at.is_null() & Dossier.closed_at.is_null() & (closed_at.is_null() | (closed_at >= start)),
    )
    closed_since = part(
        _CARRIED_OVER,
        Case(None, [(closed_at < end, closed_code)], open_at),
        received_before & Dossier.resolved_at.is_null() & (Dossier.closed_at >= start),
    )
    return (received + resolved_later + still_open + closed_since).cte("coded", materialized=True)


def _flag(condition):
    return Case(None, [(condition, 1)], 0)


def _counts(start: datetime.datetime, end: datetime.datetime, dimensions: list[str], with_d: bool = True, resolved_only: bool = False) -> tuple[dict, dict]:
    """{code: count} for the total, and {dimension: {(key, parent): {code: count}}} for each breakdown.

    One statement: the coded rows are made once and grouped by a few breakdowns at a time; the
    groups that come back (hundreds to a few thousand) are added up here.
    """
    cte = _coded(start, end, with_d, resolved_only)
    passes = [[name for name in group if name in dimensions] for group in _PASSES]
    passes = [group for group in passes if group] or [[]]
    names = _PASSES[0] + _PASSES[1]
    query = None
    for index, group in enumerate(passes):
        chosen = [getattr(cte.c, name) if name in group else Value(None) for name in names]
        grouped = [getattr(cte.c, name) for name in group]
        arm = Select([cte], [Value(index), *chosen, cte.c.code, fn.COUNT(1)]).group_by(*grouped, cte.c.code)
        query = arm if query is None else query + arm
    total, breakdowns = {}, {name: {} for name in dimensions}
    for index, *keys, code, count in query.with_cte(cte).tuples().execute(Dossier._meta.database):
        values = dict(zip(names, keys))
        if index == 0:
            total[code] = total.get(code, 0) + count
        for name in passes[index]:
            parent = values["field"] if name == "procedure" else None
            group = breakdowns[name].setdefault((values[name], parent), {})
            group[code] = group.get(code, 0) + count
    return total, breakdowns


def _tally(coded_counts: dict) -> dict:
    """The figures (and the counts behind convention B) from {code: count}."""
    counts = dict.fromkeys(FIGURES + _HIDDEN, 0)
    for code, count in coded_counts.items():
        judged_d, fee, channel = code // _D_WEIGHT, code // _FEE_WEIGHT % 10, code // _CHANNEL_WEIGHT % 10
        origin, outcome = code // _ORIGIN_WEIGHT % 10, code // _OUTCOME_WEIGHT % 10
        refused, due = code // _REFUSED_WEIGHT % 10, code % _REFUSED_WEIGHT
        if origin == _CARRIED_OVER:
            counts["carried_over"] += count
        else:
            counts["received"] += count
            for name in _RECEIVED_COLUMNS.get(_CHANNEL_OF_CODE.get(channel), ()):
                counts[name] += count
            if fee in _FEE_FIGURES:
                counts[_FEE_FIGURES[fee]] += count
        counts[_OUTCOMES[outcome]] += count
        if outcome in _RESOLVED_OUTCOMES:
            counts["resolved"] += count
        if outcome in (_EARLY, _ON_TIME):
            counts["in_time"] += count
        if judged_d == _D_REPEATED_REQUESTS:
            counts["d_repeated_requests"] += count
        elif judged_d == _D_ENDED_IN_TIME or outcome in (_EARLY, _ON_TIME, _OPEN):
            counts["d_in_time"] += count
        counts["refused"] += count * refused
        if due:
            counts["due_in_period"] += count
        if due == _DUE_MET:
            counts["due_in_period_met"] += count
    return counts


def on_time_rate(counts: dict, convention: str = "A") -> float | None:
    """The on-time rate in percent with two decimals under convention A, B, C or D; None when undefined."""
    if convention == "A":
        numerator, denominator = counts["early"] + counts["on_time"], counts["resolved"]
    elif convention == "B":
        numerator, denominator = counts["due_in_period_met"], counts["due_in_period"]
    elif convention == "C":
        denominator = counts["received"] + counts["carried_over"]
        numerator = denominator - counts["late"] - counts["in_progress_overdue"]
    elif convention == "D":
        numerator, denominator = counts["d_in_time"], counts["received"] + counts["carried_over"]
    else:
        raise ValueError(f"unknown convention {convention}")
    if not denominator:
        return None
    return round(100 * numerator / denominator, 2)


def _figures_of(coded_counts, convention: str) -> dict:
    return _shown(_tally(coded_counts), convention)


def _shown(counts: dict, convention: str) -> dict:
    shown = {name: counts[name] for name in FIGURES}
    shown["on_time_rate"] = on_time_rate(counts, convention)
    return shown


def _labels(dimension: str, keys: set) -> dict:
    """{key: (readable name, sort key)} for the groups of a breakdown, in the order the center set."""
    if dimension == "procedure":
        query = Procedure.select(Procedure.code, Procedure.name).where(Procedure.code.in_(keys))
        # The newest version's name wins.
        return {row.code: (f"{row.code} — {row.name}", (0, row.code)) for row in query.order_by(Procedure.valid_from.asc(nulls="first"))}
    if dimension == "channel":
        return {key: (label, (index, "")) for index, (key, label) in enumerate(CHANNELS.items())}
    if dimension == "officer":
        return {row.id: (row.full_name, (0, row.full_name)) for row in User.select().where(User.id.in_(keys))}
    model = {"field": Field, "counter": Counter, "village": Village}[dimension]
    return {row.id: (row.name, (row.order, row.name)) for row in model.select().where(model.id.in_(keys))}


def _rows(dimension: str, grouped: dict, convention: str) -> list[dict]:
    labels = _labels(dimension, {key for key, _parent in grouped if key is not None})
    ordered = []
    for (key, parent), values in grouped.items():
        label, order = labels.get(key, (UNKNOWN_LABEL if key is None else str(key), None))
        row = {"by": dimension, "key": key, "label": label, **_figures_of(values, convention)}
        if dimension == "procedure":
            row["field"] = parent
        # Groups without a name (no counter, a deleted village) go last.
        ordered.append(((order is None, order or (0, label)), row))
    ordered.sort(key=lambda item: item[0])
    return [row for _order, row in ordered]


_SECOND = datetime.timedelta(seconds=1)


def _bounds(date_from: datetime.date, date_to: datetime.date, as_of: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the period, its end brought back to `as_of` (now by default) while it has not come.

    Times are kept to the second: what happened during the second of `as_of` has happened by then.
    """
    start = datetime.datetime.combine(date_from, datetime.time())
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time())
    return start, max(start, min(end, (as_of or clock.now()) + _SECOND))


def _satisfaction(start: datetime.datetime, end: datetime.datetime) -> dict:
    counts = dict.fromkeys(RATING_LEVELS, 0)
    query = Rating.select(Rating.level, fn.COUNT(Rating.id)).where((Rating.at >= start) & (Rating.at < end)).group_by(Rating.level)
    for level, count in query.tuples():
        if level in counts:
            counts[level] = count
    total = sum(counts.values())
    satisfied = counts["rat_hai_long"] + counts["hai_long"]
    return {**counts, "total": total, "satisfied_rate": round(100 * satisfied / total, 2) if total else None}


def figures(date_from: datetime.date, date_to: datetime.date, convention: str = "A", by=None, as_of: datetime.datetime | None = None, with_d: bool | None = None) -> dict:
    """Every figure of the period [date_from, date_to] (both days included), as of its end, or as of
    `as_of` (now on the center's clock by default) while the period has not ended.

    `by` names one breakdown ("field", "procedure", "channel", "counter", "officer", "village") or a
    list of them; `rows` then holds one row per group, each with `by`, `key` and `label`. Received
    by channel, guidance slips and satisfaction come along whatever `by` says. Convention D's counts
    (`convention_d`, for the 766 estimate) come under D or when `with_d` asks for them: they read each
    dossier's requests for documents, which the other conventions do not need.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention}")
    dimensions = [by] if isinstance(by, str) else list(by or ())
    unknown = set(dimensions) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown breakdown {', '.join(sorted(unknown))}")
    start, end = _bounds(date_from, date_to, as_of)
    wanted = dimensions if "channel" in dimensions else [*dimensions, "channel"]
    with_d = convention == "D" if with_d is None else with_d
    total, grouped = _counts(start, end, wanted, with_d)
    rows = {dimension: _rows(dimension, grouped[dimension], convention) for dimension in wanted}
    slips = (
        GuidanceSlip.select(GuidanceSlip.kind, fn.COUNT(GuidanceSlip.id))
        .where((GuidanceSlip.at >= start) & (GuidanceSlip.at < end))
        .group_by(GuidanceSlip.kind)
    )
    slips_by_kind = dict(slips.tuples())
    counts = _tally(total)
    return {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "as_of": end.isoformat(timespec="minutes"),
        "convention": convention,
        "total": _shown(counts, convention),
        "rows": [row for dimension in dimensions for row in rows[dimension]],
        "received_by_channel": {key: 0 for key in CHANNELS} | {row["key"]: row["received"] for row in rows["channel"] if row["received"]},
        "guidance_slips": {"total": sum(slips_by_kind.values()), **slips_by_kind},
        "satisfaction": _satisfaction(start, end),
        # For the 766 estimate, whatever the convention: on time under D, and late for asking twice or more.
        **({"convention_d": {"in_time": counts["d_in_time"], "repeated_requests": counts["d_repeated_requests"]}} if with_d else {}),
    }


def synced(date_from: datetime.date, date_to: datetime.date, as_of: datetime.datetime | None = None) -> int:
    """The dossiers received in the period that carry the province's code (`portal_code`), read
    through the reception index: the 766 index counts them as synced to the national portal."""
    start, end = _bounds(date_from, date_to, as_of)
    return Dossier.select().where((Dossier.received_at >= start) & (Dossier.received_at < end) & (Dossier.portal_code != "")).count()


def estimate_766(result: dict, synced_count: int) -> list[dict]:
    """The 766 estimate panel's parts from a period's figures (any convention: D's counts come along)."""
    total = result["total"]
    return index766.estimate({
        "population": total["received"] + total["carried_over"],
        "in_time": result["convention_d"]["in_time"],
        "received": total["received"],
        "received_online": total["received_truc_tuyen"],
        "received_postal": total["received_buu_chinh"],
        "disliked": result["satisfaction"]["khong_hai_long"],
        "synced": synced_count,
    })


def monthly(months: list, convention: str = "A", as_of: datetime.datetime | None = None) -> list[dict]:
    """Received, resolved and the on-time rate for each (start, end, label) span, for the chart.

    Only these: under convention A a month is read without what was carried over and still open at
    its end (most of the history since, for the chart's older months), so its other figures are not
    complete.
    """
    series = []
    for month in months:
        start, end = _bounds(month.start, month.end, as_of)
        values, _breakdowns = _counts(start, end, [], with_d=convention == "D", resolved_only=convention == "A")
        shown = _figures_of(values, convention)
        series.append({"label": month.label, "from": month.start, "to": month.end, **{name: shown[name] for name in _CHART_FIGURES}})
    return series
