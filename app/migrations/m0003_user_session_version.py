"""A session version on each user: logout and a password change end every copy of a session cookie."""

COLUMN = "session_version"


def apply(migrator):
    database = migrator.database
    # A database restored from a copy of this version already has it.
    if COLUMN not in {column.name for column in database.get_columns("user")}:
        # Plain ADD COLUMN with its default: playhouse would rebuild the table on SQLite to make it NOT NULL,
        # which the dossiers and events referring to their users forbid.
        database.execute_sql(f'ALTER TABLE "user" ADD COLUMN "{COLUMN}" INTEGER NOT NULL DEFAULT 0')
