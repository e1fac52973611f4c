"""Legal times get a unit (working days, days, same day) and named cases with a longer time (issue 14).

Existing rows keep their meaning: 0 was "same day", N was N working days. The dossier keeps the case
chosen at intake and its reason, since its appointment was computed with them.
"""
from ..models import Dossier, Procedure
from . import add_column


# Column definitions that SQLite and PostgreSQL both accept in ADD COLUMN. playhouse's add_column makes a NOT
# NULL column by rebuilding the table on SQLite, which the dossier's foreign keys refuse; a default avoids it.
COLUMNS = (
    ("procedure", "time_unit", "VARCHAR(20) NOT NULL DEFAULT 'ngay_lam_viec'"),
    ("procedure", "extension_cases", "TEXT NOT NULL DEFAULT '[]'"),
    ("dossier", "time_unit", "VARCHAR(20) NOT NULL DEFAULT 'ngay_lam_viec'"),
    ("dossier", "extension", "TEXT"),
    ("dossier", "extension_reason", "TEXT NOT NULL DEFAULT ''"),
)


def apply(migrator):
    for table, name, definition in COLUMNS:
        add_column(migrator.database, table, name, definition)
    Procedure.update(time_unit="trong_ngay").where(Procedure.working_days == 0).execute()
    Dossier.update(time_unit="trong_ngay").where(Dossier.working_days == 0).execute()
    # The two seed rows the issue found wrong: the law says "ngày" (days), not working days.
    for code, amount in (("2.001263", 30), ("1.013225", 15)):
        Procedure.update(time_unit="ngay").where((Procedure.code == code) & (Procedure.working_days == amount)).execute()
