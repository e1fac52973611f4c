"""Mẫu 07 names the body in charge of each dossier: a column on field (lĩnh vực), empty for the commune itself."""
from peewee import CharField
from playhouse.migrate import migrate


def apply(migrator):
    if "body" not in {column.name for column in migrator.database.get_columns("field")}:
        migrate(migrator.add_column("field", "body", CharField(max_length=200, default="")))
