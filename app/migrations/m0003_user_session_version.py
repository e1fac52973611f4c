"""A session version on each user: logout and a password change end every copy of a session cookie."""
from . import add_column


def apply(migrator):
    add_column(migrator.database, "user", "session_version", "INTEGER NOT NULL DEFAULT 0")
