"""The badges every dossier list shares: the late flag, the priority group and the status (Jinja globals).

They were Jinja macros; a staff list of 50 rows called three per row, and each macro call builds a
context of its own: a third of the list's rendering (cProfile of /ho-so at 100.000 dossiers). The HTML
is the same.
"""
from markupsafe import Markup, escape

from .models import PRIORITY_GROUPS
from .rules.deadlines import Urgency
from .rules.status import Status


def late_flag(bucket: Urgency | None) -> Markup:
    """"Quá hạn", "Đến hạn hôm nay" or "Sắp đến hạn"; nothing when there is time left (late_flag(urgency(dossier)))."""
    if not bucket or bucket == Urgency.LATER:
        return Markup("")
    kind = "badge-late" if bucket == Urgency.OVERDUE else "badge-soon"
    return Markup(f'<span class="badge {kind}">{escape(bucket.label)}</span>')


def priority_badge(group: str | None) -> Markup:
    if not group:
        return Markup("")
    return Markup(f'<span class="badge badge-priority">{escape(PRIORITY_GROUPS.get(group, group))}</span>')


def status_badge(status: str) -> Markup:
    return Markup(f'<span class="status status-{escape(status)}">{escape(Status(status).label)}</span>')


def options(items, chosen, value: str = "id", label: str = "name") -> Markup:
    """The <option>s of a filter's list, the chosen value marked selected: rows read by their `value` and
    `label` attributes, or (value, label) pairs. The staff list's form draws six lists on every load (a
    hundred procedures among them): one call, not a Jinja loop."""
    pairs = (item if isinstance(item, tuple) else (getattr(item, value), getattr(item, label)) for item in items)
    # escape() and one join: Markup.format escapes through string.Formatter, several times slower.
    return Markup("".join(
        f'<option value="{escape(key)}"{" selected" if key == chosen else ""}>{escape(text)}</option>' for key, text in pairs
    ))


BADGES = {"late_flag": late_flag, "priority_badge": priority_badge, "status_badge": status_badge, "options": options}
