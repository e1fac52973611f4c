"""A dossier's return time gets an index (with its status): the dossiers of a period for the province's
portal (the figures page's warning, the export) include those received before it and returned since,
which were otherwise found by reading every dossier ever received (app/services/portal_export.py)."""
from playhouse.migrate import migrate


def apply(migrator):
    if "dossier_returned_at_status" not in {index.name for index in migrator.database.get_indexes("dossier")}:
        migrate(migrator.add_index("dossier", ("returned_at", "status"), name="dossier_returned_at_status"))
