"""A period's report as the command line and /thong-ke give it: JSON shape, table lines, CSV, text and Excel."""
import csv
import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..formatting import number, percent
from ..rules.periods import Period
from ..rules.spreadsheet import csv_cell, keep_as_text
from . import queue, statistics

# The official table's columns, in the order of the usual report (DOMAIN §6): the group each one sits
# under in the two-row heading (None for a column of its own), its key and its heading.
RECEIVED_GROUP = "Số hồ sơ nhận giải quyết"
RESOLVED_GROUP = "Số hồ sơ đã giải quyết"
IN_PROGRESS_GROUP = "Số hồ sơ đang giải quyết"
# Not a column of the official table: kept after it, for the fees the center did not collect.
FEE_GROUP = "Tiếp nhận mới được miễn, giảm phí"
GROUPED_COLUMNS = (
    (RECEIVED_GROUP, "carried_over", "Tồn kỳ trước"),
    (RECEIVED_GROUP, "received", "Tiếp nhận mới"),
    (RECEIVED_GROUP, "received_truc_tuyen", "Trực tuyến"),
    (RECEIVED_GROUP, "received_truc_tiep", "Trực tiếp"),
    (RECEIVED_GROUP, "received_tai_nha", "Trong đó: tại nhà"),
    (RECEIVED_GROUP, "received_buu_chinh", "Bưu chính công ích"),
    (RESOLVED_GROUP, "resolved", "Tổng số"),
    (RESOLVED_GROUP, "in_time", "Đúng hạn (gồm trước hạn)"),
    (RESOLVED_GROUP, "early", "Trong đó: trước hạn"),
    (RESOLVED_GROUP, "late", "Trễ hạn"),
    (IN_PROGRESS_GROUP, "in_progress_on_time", "Trong hạn"),
    (IN_PROGRESS_GROUP, "in_progress_overdue", "Quá hạn"),
    (None, "waiting", "Chờ bổ sung"),
    (None, "withdrawn", "Rút hồ sơ"),
    (None, "stopped", "Dừng giải quyết"),
    (None, "refused", "Từ chối giải quyết"),
    (None, "on_time_rate", "Tỷ lệ đúng hạn"),
    (FEE_GROUP, "fee_waived", "Miễn phí"),
    (FEE_GROUP, "fee_reduced", "Giảm phí"),
)
COLUMNS = tuple((key, heading) for _group, key, heading in GROUPED_COLUMNS)
KEYS = tuple(key for key, _heading in COLUMNS)
# The machine-readable exports (CSV) also carry the on-time count without the early ones.
CSV_KEYS = (*KEYS[:KEYS.index("early") + 1], "on_time", *KEYS[KEYS.index("early") + 1:])


def heading_groups() -> list[tuple[str, int, bool]]:
    """The first heading row: (text, columns spanned, is a group); a column of its own spans both rows."""
    groups = []
    for group, _key, heading in GROUPED_COLUMNS:
        if group is not None and groups and groups[-1][0] == group:
            groups[-1] = (group, groups[-1][1] + 1, True)
        else:
            groups.append((group, 1, True) if group else (heading, 1, False))
    return groups
TOTAL_LABEL = "Tổng cộng"


def build(period: Period, convention: str = "A", by=None, with_d: bool | None = None) -> dict:
    """The report of `period` in the shape `run.py report --format json` prints."""
    result = statistics.figures(period.start, period.end, convention=convention, by=by, with_d=with_d)
    return {
        "period": period.as_dict(),
        **{key: value for key, value in result.items() if key != "period"},
        "queue": queue.figures(period.start, period.end),
    }


def lines(report: dict) -> list[tuple[str, dict, int]]:
    """(label, figures, depth) for each line of the table: groups, procedures under their field, the total.

    Depth 0 is a group (or a field), 1 a procedure within its field, -1 the total.
    """
    rows = report["rows"]
    procedures = [row for row in rows if row["by"] == "procedure"]
    fields = [row for row in rows if row["by"] == "field"]
    result = []
    if fields and procedures:
        for field in fields:
            result.append((field["label"], field, 0))
            result.extend((row["label"], row, 1) for row in procedures if row["field"] == field["key"])
        result.extend((row["label"], row, 0) for row in rows if row["by"] not in ("field", "procedure"))
    else:
        result.extend((row["label"], row, 0) for row in rows)
    result.append((TOTAL_LABEL, report["total"], -1))
    return result


def title(report: dict, center_name: str) -> str:
    period = report["period"]
    return f"{center_name} — Báo cáo tình hình giải quyết hồ sơ {period['label']}"


def subtitle(report: dict) -> str:
    start = datetime.date.fromisoformat(report["period"]["from"])
    end = datetime.date.fromisoformat(report["period"]["to"])
    as_of = datetime.datetime.fromisoformat(report["as_of"]) if report.get("as_of") else None
    counted_to = (
        f"số liệu tính đến {as_of:%H:%M} ngày {as_of:%d/%m/%Y}"
        if as_of and as_of.date() <= end else f"số liệu tính đến hết ngày {end:%d/%m/%Y}"
    )
    return (
        f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}; {counted_to}. "
        f"Tỷ lệ đúng hạn theo cách {report['convention']}: {statistics.CONVENTIONS[report['convention']]}."
    )


def to_csv(report: dict) -> str:
    """One header row with the JSON keys, then the total and one row per group."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["by", "key", "label", *CSV_KEYS])
    writer.writerow(["total", "", TOTAL_LABEL, *(_plain(report["total"][key]) for key in CSV_KEYS)])
    for row in report["rows"]:
        cells = [row["by"], "" if row["key"] is None else row["key"], row["label"], *(_plain(row[key]) for key in CSV_KEYS)]
        writer.writerow([csv_cell(cell) for cell in cells])
    return out.getvalue()


def _plain(value):
    return "" if value is None else value


def to_table(report: dict, center_name: str) -> str:
    """A text table for the terminal, numbers written the Vietnamese way."""
    headings = ["", *(heading for _key, heading in COLUMNS)]
    body = [
        [("  " * max(depth, 0)) + label, *(_cell_text(key, figures[key]) for key in KEYS)]
        for label, figures, depth in lines(report)
    ]
    widths = [max(len(str(row[index])) for row in [headings, *body]) for index in range(len(headings))]
    rule = "-+-".join("-" * width for width in widths)

    def line(cells):
        return " | ".join(str(cell).ljust(width) if index == 0 else str(cell).rjust(width) for index, (cell, width) in enumerate(zip(cells, widths)))

    return "\n".join([title(report, center_name), subtitle(report), "", line(headings), rule, *(line(row) for row in body)]) + "\n"


def _cell_text(key: str, value) -> str:
    return percent(value) if key == "on_time_rate" else number(value)


_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"


def _xlsx_heading(sheet, first_heading: str) -> None:
    """Rows 3 and 4: the groups over their columns, each column's heading under its group (merged down when alone)."""
    sheet.append([first_heading, *(group or heading for group, _key, heading in GROUPED_COLUMNS)])
    sheet.append(["", *(heading if group else "" for group, _key, heading in GROUPED_COLUMNS)])
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    column = 2
    for _text, span, grouped in heading_groups():
        if not grouped:
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
        elif span > 1:
            sheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=column + span - 1)
        column += span
    for row in (3, 4):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = _BOX
    sheet.row_dimensions[3].height = 32
    sheet.row_dimensions[4].height = 48


def _xlsx_value(key: str, value):
    if key == "on_time_rate" and value is not None:
        return round(value / 100, 4)
    return value


def to_xlsx(report: dict, center_name: str, first_heading: str = "Lĩnh vực, thủ tục") -> bytes:
    """The official table as an Excel workbook: a title row naming the center and the period,
    Vietnamese headings, counts as whole numbers and the rate as a percentage, ready to print."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    width = len(COLUMNS) + 1
    sheet.append([title(report, center_name)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([subtitle(report)])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    keep_as_text(sheet["A1"])  # the center's name is typed by the administrator
    sheet.row_dimensions[2].height = 32
    _xlsx_heading(sheet, first_heading)
    for label, figures, depth in lines(report):
        # The rate is stored as a fraction so that Excel's percent format shows 98,81%.
        values = [_xlsx_value(key, figures[key]) for key in KEYS]
        sheet.append([label, *values])
        row = sheet.max_row
        for column, key in enumerate(KEYS, start=2):
            cell = sheet.cell(row=row, column=column)
            cell.number_format = RATE_FORMAT if key == "on_time_rate" else COUNT_FORMAT
        for cell in sheet[row]:
            cell.border = _BOX
            cell.font = Font(bold=depth <= 0)
        sheet.cell(row=row, column=1).alignment = Alignment(indent=2 * max(depth, 0), wrap_text=True)
        keep_as_text(sheet.cell(row=row, column=1))
    sheet.column_dimensions["A"].width = 48
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 13
    sheet.freeze_panes = "B5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:4"
    if report.get("queue"):
        _queue_sheet(book, report["queue"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


QUEUE_BREAKDOWNS = (("by_group", "Nhóm dịch vụ"), ("by_counter", "Quầy"), ("by_officer", "Cán bộ"))
QUEUE_COLUMNS = (
    ("issued", "Số phiếu"), ("served", "Đã phục vụ"), ("absent", "Vắng mặt"), ("wait_p50_minutes", "Chờ, trung vị (phút)"),
    ("wait_p90_minutes", "Chờ, 90% (phút)"), ("service_p50_minutes", "Phục vụ, trung vị (phút)"),
)


def _queue_sheet(book: Workbook, queue: dict) -> None:
    """The walk-in queue's figures on a sheet of their own: a line per group, counter and officer, then the total."""
    sheet = book.create_sheet("Lấy số thứ tự")
    sheet.append(["Theo", "Nội dung", *(label for _key, label in QUEUE_COLUMNS)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for by, title_text in QUEUE_BREAKDOWNS:
        for row in queue[by]:
            sheet.append([title_text, row["label"], *(row[key] for key, _label in QUEUE_COLUMNS)])
    sheet.append(["Tổng cộng", "", *(queue[key] for key, _label in QUEUE_COLUMNS)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 32
