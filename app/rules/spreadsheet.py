"""Text that leaves the software in a spreadsheet stays text: a name like =HYPERLINK(…) never becomes a formula."""

# What makes Excel or LibreOffice read a cell as a formula (or a DDE command) when a file is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell: a text that would start a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def keep_as_text(cell) -> None:
    """An openpyxl cell holding a text is stored as a string, never as the formula openpyxl would make of "=…"."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
