"""The pickup desk's village lists read one village's ready results: an index on (status, village).

Without it a village's list walked every dossier the village ever filed (about 100,000 at a million
dossiers) to keep the thousand ready ones; with it the list and the per-village counts are index ranges.
"""
from playhouse.migrate import migrate

COLUMNS = ("status", "village_id")
NAME = "dossier_status_village_id"


def apply(migrator):
    # A database restored from a copy of this version already has it.
    if NAME not in {index.name for index in migrator.database.get_indexes("dossier")}:
        migrate(migrator.add_index("dossier", COLUMNS, name=NAME))
