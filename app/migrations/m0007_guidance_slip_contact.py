"""Mẫu 02 and 03 given at the counter carry the applicant's address, phone and email: three columns on guidance_slip."""

COLUMNS = {"address": 300, "phone": 10, "email": 120}


def apply(migrator):
    database = migrator.database
    present = {column.name for column in database.get_columns("guidance_slip")}
    for name, length in COLUMNS.items():
        if name not in present:
            # Plain ADD COLUMN with its default: playhouse would rebuild the table on SQLite to make it NOT
            # NULL, which the form numbers referring to a slip forbid.
            database.execute_sql(f'ALTER TABLE "guidance_slip" ADD COLUMN "{name}" VARCHAR({length}) NOT NULL DEFAULT \'\'')
