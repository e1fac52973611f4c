"""PostgreSQL's stand-in for SQLite's `PRAGMA data_version`: a counter every committed write moves on.

The page cache keys a public page on a number that changes whenever any connection commits a change
(app/pagecache.py). SQLite has one; PostgreSQL gets a one-row table, `change_counter`, that a
statement-level trigger on every table of the schema bumps. The bump is part of the writing
transaction, so its new value becomes visible to other connections at the same instant as the rows
it stands for: a reader never sees the new number with the old data.

The trigger fires BEFORE each statement: a writer takes the counter's row lock before the rows it
changes, so two writers queue on the counter instead of each holding a row the other wants.

`install` is idempotent and cheap when nothing is missing; `migrate()` runs it on every PostgreSQL
database, so a fresh schema (made from the models, its migrations recorded without running) and a
table added by a later migration get it too. On SQLite this migration does nothing.
"""
from peewee import SqliteDatabase

COUNTER_TABLE = "change_counter"
TRIGGER = "change_counter_bump"


def apply(migrator):
    install(migrator.database)


def _tables(db) -> list[str]:
    from ..migrations import SchemaMigration
    from ..models import MODELS

    present = set(db.get_tables())
    return [table for table in (SchemaMigration._meta.table_name, *(model._meta.table_name for model in MODELS)) if table in present]


def install(db) -> None:
    """Create the counter, its function and the trigger of every table that lacks them (PostgreSQL only)."""
    # migrate() may be given the app's DatabaseProxy: the engine is the database behind it.
    if isinstance(getattr(db, "obj", db), SqliteDatabase):
        return
    with db.atomic():
        if COUNTER_TABLE not in db.get_tables():
            db.execute_sql(f'CREATE TABLE "{COUNTER_TABLE}" (id integer PRIMARY KEY CHECK (id = 1), n bigint NOT NULL)')
            db.execute_sql(f'INSERT INTO "{COUNTER_TABLE}" (id, n) VALUES (1, 0)')
            db.execute_sql(
                f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f'BEGIN UPDATE "{COUNTER_TABLE}" SET n = n + 1 WHERE id = 1; RETURN NULL; END $$'
            )
        triggered = {row[0] for row in db.execute_sql(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND c.relnamespace = 'public'::regnamespace",
            (TRIGGER,),
        )}
        for table in _tables(db):
            if table not in triggered:
                db.execute_sql(
                    f'CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
                )


def current(connection) -> int:
    """The counter's value, read through a psycopg connection of its own."""
    return connection.execute(f'SELECT n FROM "{COUNTER_TABLE}" WHERE id = 1').fetchone()[0]
