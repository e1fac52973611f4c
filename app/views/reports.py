"""Figures (thống kê): a period's official table, a chart by month, the Excel file and a print view."""
import datetime

from flask import Blueprint, Response, request

from ..clock import today
from ..pages import render
from ..rules import index766
from ..rules.dates import read_day
from ..rules.periods import PeriodError, Period, containing, months, parse
from ..security import roles_required
from ..models import CHANNELS, RATING_LEVELS
from ..services import report_export, statistics
from ..settings import load as load_settings

bp = Blueprint("reports", __name__, url_prefix="/thong-ke")

ROLES = ("lanh_dao", "quan_tri")
KINDS = {"thang": "Tháng", "quy": "Quý", "nua_nam": "6 tháng", "nam": "Năm", "tuy_chon": "Tùy chọn"}
# The official table: a line per field with its procedures beneath.
TABLE_BREAKDOWNS = ("field", "procedure")
# A chart of one month alone says little: a short period is shown with the months before it; a long
# one shows its last two years, each month being one more query.
CHART_MIN_MONTHS, CHART_MAX_MONTHS = 6, 24


class PickedPeriod:
    """What the period picker says, read from the query string, with the error beside each field."""

    def __init__(self, args, cutoff_day: int):
        self.cutoff_day = cutoff_day
        current = containing(today(), "M", cutoff_day).key
        month = int(current[5:7])
        self.kind = args.get("loai") if args.get("loai") in KINDS else "thang"
        self.year = args.get("nam", current[:4]).strip()
        self.month = args.get("thang", str(month)).strip()
        self.quarter = args.get("quy", str((month - 1) // 3 + 1)).strip()
        self.half = args.get("nua", "1" if month <= 6 else "2").strip()
        self.errors = {}
        self.day_from, self.date_from = read_day(args, "tu", "Từ ngày", self.errors)
        self.day_to, self.date_to = read_day(args, "den", "Đến ngày", self.errors)
        self.period = self._read()

    def _key(self) -> str:
        if self.kind == "thang":
            return f"{self.year}-{self.month.zfill(2)}"
        if self.kind == "quy":
            return f"{self.year}-Q{self.quarter}"
        if self.kind == "nua_nam":
            return f"{self.year}-H{self.half}"
        if self.kind == "nam":
            return self.year
        return f"{self.day_from.isoformat()}..{self.day_to.isoformat()}"

    def _read(self) -> Period | None:
        if self.kind != "tuy_chon":
            # Dates are only read for a custom period: a stale one in the address is no error elsewhere.
            self.errors.pop("tu", None)
            self.errors.pop("den", None)
        elif self.errors:
            return None
        elif not (self.day_from and self.day_to):
            self.errors["tu" if not self.day_from else "den"] = "Nhập ngày bắt đầu và ngày kết thúc (dd/mm/yyyy)."
            return None
        try:
            return parse(self._key(), self.cutoff_day)
        except PeriodError as error:
            self.errors["tuy_chon" if self.kind == "tuy_chon" else "loai"] = str(error)
            return None

    def query(self) -> dict:
        """The picker's values, for the links to the Excel file and the print view."""
        return {"loai": self.kind, "nam": self.year, "thang": self.month, "quy": self.quarter, "nua": self.half, "tu": self.date_from, "den": self.date_to}


def _picked():
    settings = load_settings()
    picked = PickedPeriod(request.args, settings["report_cutoff_day"])
    convention = request.args.get("cach", settings["report_convention"])
    if convention not in statistics.CONVENTIONS:
        convention = settings["report_convention"]
    return settings, picked, convention


def chart(series: list[dict]) -> dict:
    """Geometry of the chart by month: bar heights for received and resolved, points of the rate line.

    Drawn on the server as SVG so that it prints, and in black and white it still reads: received is
    solid, resolved hatched, the rate a line with its values written beside each point.
    """
    width, height, left, right, top, bottom = 760, 300, 56, 56, 24, 48
    plot_width, plot_height = width - left - right, height - top - bottom
    peak = max([1, *(max(month["received"], month["resolved"]) for month in series)])
    step = plot_width / max(len(series), 1)
    bar = min(28, step / 3)
    bars, points = [], []
    for index, month in enumerate(series):
        middle = left + step * (index + 0.5)
        received_height = plot_height * month["received"] / peak
        resolved_height = plot_height * month["resolved"] / peak
        bars.append({
            "label": month["label"].removeprefix("Tháng "),
            "middle": round(middle, 1),
            "received": month["received"],
            "resolved": month["resolved"],
            "received_x": round(middle - bar, 1),
            "resolved_x": round(middle, 1),
            "received_y": round(top + plot_height - received_height, 1),
            "resolved_y": round(top + plot_height - resolved_height, 1),
            "received_height": round(received_height, 1),
            "resolved_height": round(resolved_height, 1),
        })
        if month["on_time_rate"] is not None:
            points.append({"x": round(middle, 1), "y": round(top + plot_height * (1 - month["on_time_rate"] / 100), 1), "rate": month["on_time_rate"]})
    return {
        "width": width, "height": height, "left": left, "right": width - right, "top": top, "base": top + plot_height,
        "bar": round(bar, 1), "peak": peak, "bars": bars, "points": points,
        "line": " ".join(f"{point['x']},{point['y']}" for point in points),
    }


def _chart_months(period: Period, cutoff_day: int) -> list[Period]:
    spans = months(period, cutoff_day)[-CHART_MAX_MONTHS:]
    while len(spans) < CHART_MIN_MONTHS:
        try:
            spans.insert(0, containing(spans[0].start - datetime.timedelta(days=1), "M", cutoff_day))
        except PeriodError:
            break
    return spans


def _context():
    settings, picked, convention = _picked()
    context = {"picked": picked, "kinds": KINDS, "convention": convention, "conventions": statistics.CONVENTIONS,
               "estimated_conventions": statistics.ESTIMATED_CONVENTIONS, "columns": report_export.COLUMNS,
               "grouped_columns": report_export.GROUPED_COLUMNS, "heading_groups": report_export.heading_groups()}
    if picked.period is None:
        return context, 400
    # With convention D's counts whatever the convention: the 766 estimate panel shows them.
    report = report_export.build(picked.period, convention, TABLE_BREAKDOWNS, with_d=True)
    context.update(
        report=report,
        index766=statistics.estimate_766(report, statistics.synced(picked.period.start, picked.period.end)),
        index766_not_computed=index766.NOT_COMPUTED,
        index766_source=index766.SOURCE,
        lines=report_export.lines(report),
        subtitle=report_export.subtitle(report),
        chart=chart(statistics.monthly(_chart_months(picked.period, picked.cutoff_day), convention)),
        channels=CHANNELS,
        rating_levels=RATING_LEVELS,
        query=picked.query() | {"cach": convention},
    )
    return context, 200


@bp.get("/")
@roles_required(*ROLES)
def index():
    """The period picker and, for the chosen period, the official table and the chart by month."""
    context, status = _context()
    return render("reports/index.html", "reports/_result.html", status=status, **context)


@bp.get("/in")
@roles_required(*ROLES)
def printable():
    """The same table and chart on a plain page for printing, A4 landscape."""
    context, status = _context()
    return render("reports/print.html", status=status, **context)


@bp.get("/excel")
@roles_required(*ROLES)
def excel():
    """The official table as an .xlsx file named after the period."""
    settings, picked, convention = _picked()
    if picked.period is None:
        context, status = _context()
        return render("reports/index.html", "reports/_result.html", status=status, **context)
    # With convention D's counts whatever the convention: the 766 estimate panel shows them.
    report = report_export.build(picked.period, convention, TABLE_BREAKDOWNS, with_d=True)
    content = report_export.to_xlsx(report, settings["center_name"])
    filename = f"bao-cao-{picked.period.key.replace('..', '-den-')}.xlsx"
    return Response(
        content,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


# The national portal's download and reconciliation: routes of this blueprint kept in their own module.
from . import reports_portal  # noqa: E402,F401
