"""Numbered schema migrations, applied in order by `run.py` before serving.

An empty database gets the current schema from the models in one go and every migration is
recorded as applied (the way Rails loads schema.rb); a database made by an older version gets
only the migrations it lacks. A migration is a module `mNNNN_<what>.py` with `apply(migrator)`
using playhouse.migrate, so that it runs on SQLite and PostgreSQL alike.
"""
import importlib
import pkgutil

from peewee import CharField, DateTimeField, Model, PostgresqlDatabase
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

from ..clock import now
from ..db import database
from ..models import MODELS


class SchemaMigration(Model):
    name = CharField(max_length=120, unique=True)
    applied_at = DateTimeField(default=now)

    class Meta:
        database = database
        table_name = "schema_migration"


def available() -> list[str]:
    """Names of the migration modules, in the order they must run."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if info.name.startswith("m"))


def schema_version(db) -> int:
    """The number of the last migration applied (0 for a database without our schema)."""
    if not db.table_exists("schema_migration"):
        return 0
    names = [row.name for row in SchemaMigration.select(SchemaMigration.name)]
    return max((int(name[1:5]) for name in names), default=0)


def latest_version() -> int:
    return max((int(name[1:5]) for name in available()), default=0)


def add_column(db, table: str, name: str, definition: str) -> None:
    """`ALTER TABLE table ADD COLUMN name definition`, unless a database restored from a later copy has it.

    The definition carries its default ("VARCHAR(12) NOT NULL DEFAULT ''"), which SQLite and PostgreSQL
    both accept in place. playhouse's add_column makes a NOT NULL column by rebuilding the table on
    SQLite, which the foreign keys of the rows referring to it refuse: a database in use could not upgrade.
    """
    if name not in {column.name for column in db.get_columns(table)}:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {definition}')


def _migrator(db):
    # The app passes its DatabaseProxy: the engine is the database behind it.
    engine = getattr(db, "obj", None) or db
    if isinstance(engine, PostgresqlDatabase):
        return PostgresqlMigrator(db)
    return SqliteMigrator(db)


def migrate(db) -> list[str]:
    """Bring the schema up to date; returns the names of what was applied."""
    from .m0017_change_counter import install as install_change_counter
    from .m0018_open_dossiers_index import install as install_open_dossiers_index

    with db.atomic():
        if not db.table_exists("schema_migration"):
            db.create_tables([SchemaMigration, *MODELS])
            for name in available():
                SchemaMigration.create(name=name)
            # A fresh schema records the migrations without running them: the page cache's counter
            # (PostgreSQL only) is part of the schema all the same.
            install_change_counter(db)
            install_open_dossiers_index(db)
            return ["schema"]
        applied = _apply_missing(db)
        # Idempotent: also gives the counter's trigger to a table a later migration made.
        install_change_counter(db)
        install_open_dossiers_index(db)
        return applied


def _apply_missing(db) -> list[str]:
    done = {row.name for row in SchemaMigration.select(SchemaMigration.name)}
    applied = []
    for name in available():
        if name in done:
            continue
        importlib.import_module(f"{__name__}.{name}").apply(_migrator(db))
        SchemaMigration.create(name=name)
        applied.append(name)
    return applied
