"""The province's code of a dossier (`portal_code`) becomes a way to find it: the staff search, the pickup
desk and the kiosk look it up, and a code already given to another dossier is refused. It gets an index,
and the codes typed before are kept in upper case, as they are now read and compared.
"""
from playhouse.migrate import migrate


def apply(migrator):
    database = migrator.database
    database.execute_sql("UPDATE dossier SET portal_code = UPPER(portal_code) WHERE portal_code <> UPPER(portal_code)")
    if "dossier_portal_code" not in {index.name for index in database.get_indexes("dossier")}:
        migrate(migrator.add_index("dossier", ("portal_code",), name="dossier_portal_code"))
