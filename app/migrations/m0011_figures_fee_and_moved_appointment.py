"""Two plain columns the figures read in SQL (issue 14): the percent off a dossier's fee by its legal
ground, and on a "documents received" event the appointment it replaced.

Both were already kept as JSON (the dossier's fee inputs and rule, the event's data); they are copied
into the new columns here, in Python, because reading JSON in SQL differs between SQLite and PostgreSQL.
Only the few dossiers with a ground and the few resumed ones are read.
"""
import datetime
import json

from peewee import DateTimeField
from playhouse.migrate import migrate

from . import add_column

RESUME = "documents_received"


def apply(migrator):
    database = migrator.database
    event_columns = {column.name for column in database.get_columns("dossier_event")}
    add_column(database, "dossier", "fee_reduction", "INTEGER NOT NULL DEFAULT 0")
    if "due_at_before" not in event_columns:
        migrate(migrator.add_column("dossier_event", "due_at_before", DateTimeField(null=True)))
    _fill_fee_reduction(database)
    _fill_due_at_before(database)


def _fill_fee_reduction(database):
    rows = database.execute_sql(f"SELECT id, fee_inputs, fee_rule FROM dossier WHERE fee_inputs LIKE {database.param}", ("%\"ground\"%",))
    for dossier_id, inputs, rule in list(rows):
        ground = json.loads(inputs or "{}").get("ground")
        percent = dict((name, int(value)) for name, value in json.loads(rule or "{}").get("grounds", ())).get(ground, 0)
        if percent:
            database.execute_sql(f"UPDATE dossier SET fee_reduction = {database.param} WHERE id = {database.param}", (percent, dossier_id))


def _fill_due_at_before(database):
    rows = database.execute_sql(f"SELECT id, data FROM dossier_event WHERE action = {database.param}", (RESUME,))
    for event_id, data in list(rows):
        before = json.loads(data or "{}").get("due_at_before")
        if before:
            moment = datetime.datetime.fromisoformat(before)
            database.execute_sql(f"UPDATE dossier_event SET due_at_before = {database.param} WHERE id = {database.param}", (moment, event_id))
