"""Migrations that add a column to a table other rows refer to keep working on a database in use: a
NOT NULL column added by rebuilding the table (playhouse's way on SQLite) is refused by the foreign keys."""
import datetime

import pytest

from app.db import database
from app.migrations import migrate
from app.models import GuidanceSlip, User
from app.services import form_numbers


@pytest.mark.parametrize(
    ("migration", "table", "columns"),
    [
        ("m0003_user_session_version", "user", ["session_version"]),
        ("m0007_guidance_slip_contact", "guidance_slip", ["address", "phone", "email"]),
    ],
)
def test_a_column_is_added_under_rows_that_refer_to_the_table(make_dossier, migration, table, columns):
    dossier = make_dossier()  # refers to the counter officer (user)
    slip = GuidanceSlip.create(number="HD-1", kind="incomplete", applicant_name="Nguyễn Văn An", procedure=dossier.procedure,
                               user=User.get(User.username == "tiepnhan"))
    form_numbers.issue("mau_02", datetime.datetime(2026, 11, 30, 9, 0), slip=slip)  # a form number refers to the slip
    for column in columns:
        database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    database.execute_sql(f"DELETE FROM schema_migration WHERE name = '{migration}'")
    assert migrate(database) == [migration]
    assert set(columns) <= {column.name for column in database.get_columns(table)}
    assert User.select().count() == 4 and GuidanceSlip.select().count() == 1
    assert migrate(database) == []


def test_migrations_get_the_migrator_of_the_engine_behind_the_proxy(db):
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

    from app.migrations import _migrator
    from tests.conftest import ON_POSTGRES

    assert type(_migrator(db)) is (PostgresqlMigrator if ON_POSTGRES else SqliteMigrator)
