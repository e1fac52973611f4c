"""Fees get their legal grounds for a waiver or reduction, and a province's fee its confirmation (issue 14).

Every fee the province sets starts "chưa xác nhận": nobody has checked it against the resolution yet.
Plain ADD COLUMN with a default, which SQLite and PostgreSQL both accept without rebuilding the table.
"""

COLUMNS = (
    ("fee_confirmed", "BOOLEAN NOT NULL DEFAULT FALSE"),
    ("fee_grounds", "TEXT NOT NULL DEFAULT '[]'"),
)


def apply(migrator):
    database = migrator.database
    # A database restored from a copy of this version already has them.
    existing = {column.name for column in database.get_columns("procedure")}
    for name, definition in COLUMNS:
        if name not in existing:
            database.execute_sql(f'ALTER TABLE "procedure" ADD COLUMN "{name}" {definition}')
