"""A session version on each user: logout and a password change end every copy of a session cookie."""
from peewee import IntegerField
from playhouse.migrate import migrate

COLUMN = "session_version"


def apply(migrator):
    # A database restored from a copy of this version already has it.
    if COLUMN not in {column.name for column in migrator.database.get_columns("user")}:
        migrate(migrator.add_column("user", COLUMN, IntegerField(default=0)))
