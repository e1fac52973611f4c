"""The wall board's rules: which panels it shows and for how long, paging, and whether the center is open."""
import datetime
import math
import re
from dataclasses import dataclass

from .calendar import WorkCalendar

PANELS = {
    "ready": "Kết quả đã có — mời nhận",
    "procedures": "Thủ tục và lệ phí",
    "figures": "Số liệu",
    "notices": "Thông báo",
}
# Shorter than this a person cannot read a page; longer and the other panels are never seen.
MIN_SECONDS = 5
MAX_SECONDS = 600


@dataclass(frozen=True)
class PanelShow:
    """One panel in the rotation and how many seconds each of its pages stays on screen."""

    key: str
    seconds: int

    @property
    def label(self) -> str:
        return PANELS[self.key]


@dataclass(frozen=True)
class Page:
    """Which slice of a list is on screen: page `number` of `count`, starting at row `offset`."""

    number: int
    count: int
    offset: int
    size: int


def parse_seconds(text) -> int | None:
    """A number of seconds typed in a URL or a form, or None when it is not a usable one."""
    try:
        seconds = int(str(text).strip())
    except (TypeError, ValueError):
        return None
    return seconds if MIN_SECONDS <= seconds <= MAX_SECONDS else None


def parse_panel_names(text) -> list[str]:
    """Known panel names in the order written, each once; anything else is ignored."""
    names = []
    for name in re.split(r"[\s,;]+", str(text or "").strip().lower()):
        if name in PANELS and name not in names:
            names.append(name)
    return names


def choose_panels(defaults: tuple[PanelShow, ...], panels_text=None, seconds_text=None) -> list[PanelShow]:
    """The rotation for one screen: the settings, overridden by `?panels=` and `?seconds=` when they make sense.

    A second screen asks for `panels=ready&seconds=20`; unknown names are dropped, and when none is
    left the screen shows what the settings say rather than nothing.
    """
    default_seconds = {show.key: show.seconds for show in defaults}
    names = parse_panel_names(panels_text) or [show.key for show in defaults]
    seconds = parse_seconds(seconds_text) if seconds_text not in (None, "") else None
    fallback = max(default_seconds.values(), default=MIN_SECONDS * 3)
    return [PanelShow(name, seconds or default_seconds.get(name, fallback)) for name in names]


def page_of(total: int, size: int, requested) -> Page:
    """The page asked for; past the end (the list got shorter since) it starts again at the first."""
    count = max(1, math.ceil(total / size))
    try:
        number = int(requested)
    except (TypeError, ValueError):
        number = 1
    if not 1 <= number <= count:
        number = 1
    return Page(number=number, count=count, offset=(number - 1) * size, size=size)


def is_open(moment: datetime.datetime, calendar: WorkCalendar) -> bool:
    """Whether the center is serving people at `moment`: a working day, within its hours."""
    day = moment.date()
    return calendar.is_working_day(day) and calendar.work_start <= moment.time() < calendar.end_of_day(day)


def next_opening(moment: datetime.datetime, calendar: WorkCalendar) -> datetime.datetime:
    """When the doors open next after `moment` (today if it is a working day and still early)."""
    day = moment.date()
    if not (calendar.is_working_day(day) and moment.time() < calendar.work_start):
        day = calendar.next_working_day(day)
    return datetime.datetime.combine(day, calendar.work_start)
