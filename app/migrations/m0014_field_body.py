"""Mẫu 07 names the body in charge of each dossier: a column on field (lĩnh vực), empty for the commune itself."""
from . import add_column


def apply(migrator):
    add_column(migrator.database, "field", "body", "VARCHAR(200) NOT NULL DEFAULT ''")
