"""The staff list of open dossiers on PostgreSQL: a partial index on (due_at, id) of the open ones.

The list asks for `status IN (the four open statuses) ORDER BY due_at, id LIMIT 51`. PostgreSQL plans it
on the due_at index and, not knowing that open dossiers are the recent few, walked 97.463 closed
dossiers to find 51 open ones at 100.000 (107 ms, docs/province.md); the partial index holds only the
open ones. SQLite picks another plan for the same query, and cannot match a partial index against the
query's bound parameters, so it gets none. `install` is idempotent; `migrate()` runs it on every
PostgreSQL database, as a fresh schema records its migrations without running them.
"""
from peewee import SqliteDatabase

from ..rules.deadlines import OPEN_STATUSES

INDEX = "dossier_open_due"


def apply(migrator):
    install(migrator.database)


def install(db) -> None:
    if isinstance(getattr(db, "obj", db), SqliteDatabase):
        return
    statuses = ", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES))
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "dossier" ("due_at", "id") WHERE "status" IN ({statuses})')
