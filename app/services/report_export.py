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
from . import statistics

# The official table's columns, in the order of the usual report (DOMAIN §6).
COLUMNS = (
    ("carried_over", "Tồn kỳ trước"),
    ("received", "Tiếp nhận mới"),
    ("resolved", "Đã giải quyết"),
    ("early", "Trước hạn"),
    ("on_time", "Đúng hạn"),
    ("late", "Trễ hạn"),
    ("in_progress_on_time", "Đang giải quyết trong hạn"),
    ("in_progress_overdue", "Đang giải quyết quá hạn"),
    ("withdrawn", "Rút hồ sơ"),
    ("stopped", "Dừng giải quyết"),
    ("refused", "Từ chối giải quyết"),
    ("on_time_rate", "Tỷ lệ đúng hạn"),
)
KEYS = tuple(key for key, _heading in COLUMNS)
TOTAL_LABEL = "Tổng cộng"


def build(period: Period, convention: str = "A", by=None) -> dict:
    """The report of `period` in the shape `run.py report --format json` prints."""
    result = statistics.figures(period.start, period.end, convention=convention, by=by)
    return {"period": period.as_dict(), **{key: value for key, value in result.items() if key != "period"}}


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
    return (
        f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}; số liệu tính đến hết ngày {end:%d/%m/%Y}. "
        f"Tỷ lệ đúng hạn theo cách {report['convention']}: {statistics.CONVENTIONS[report['convention']]}."
    )


def to_csv(report: dict) -> str:
    """One header row with the JSON keys, then the total and one row per group."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["by", "key", "label", *KEYS])
    writer.writerow(["total", "", TOTAL_LABEL, *(_plain(report["total"][key]) for key in KEYS)])
    for row in report["rows"]:
        cells = [row["by"], "" if row["key"] is None else row["key"], row["label"], *(_plain(row[key]) for key in KEYS)]
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
    sheet.append([first_heading, *(heading for _key, heading in COLUMNS)])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = _BOX
    sheet.row_dimensions[3].height = 48
    for label, figures, depth in lines(report):
        values = [figures[key] for key in KEYS]
        # The rate is stored as a fraction so that Excel's percent format shows 98,81%.
        values[-1] = None if values[-1] is None else round(values[-1] / 100, 4)
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
    sheet.freeze_panes = "B4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
