"""A text that would start a formula leaves the software as text, in CSV and in Excel alike."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from app.rules.spreadsheet import csv_cell, keep_as_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(\"http://x\",\"Bấm\")", "'=HYPERLINK(\"http://x\",\"Bấm\")"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Hộ tịch", "Hộ tịch"),
        ("Thôn 1 = Đông", "Thôn 1 = Đông"),
        ("", ""),
        (5, 5),
        (-1, -1),
        (None, None),
        (98.5, 98.5),
    ],
)
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"Bấm\")", "+cmd", "-1+1", "@SUM(A1)", "Hộ tịch"])
def test_keep_as_text_stores_a_string_not_a_formula(text):
    book = Workbook()
    cell = book.active.cell(row=1, column=1, value=text)
    keep_as_text(cell)
    number = book.active.cell(row=1, column=2, value=7)
    keep_as_text(number)
    out = io.BytesIO()
    book.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert (sheet["A1"].value, sheet["A1"].data_type) == (text, "s")
    assert (sheet["B1"].value, sheet["B1"].data_type) == (7, "n")
