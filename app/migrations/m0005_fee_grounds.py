"""Fees get their legal grounds for a waiver or reduction, and a province's fee its confirmation (issue 14).

Every fee the province sets starts "chưa xác nhận": nobody has checked it against the resolution yet.
Plain ADD COLUMN with a default, which SQLite and PostgreSQL both accept without rebuilding the table.
"""
from . import add_column

COLUMNS = (
    ("fee_confirmed", "BOOLEAN NOT NULL DEFAULT FALSE"),
    ("fee_grounds", "TEXT NOT NULL DEFAULT '[]'"),
)


def apply(migrator):
    for name, definition in COLUMNS:
        add_column(migrator.database, "procedure", name, definition)
