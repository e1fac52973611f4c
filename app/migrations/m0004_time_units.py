"""Legal times get a unit (working days, days, same day) and named cases with a longer time (issue 14).

Existing rows keep their meaning: 0 was "same day", N was N working days. The dossier keeps the case
chosen at intake and its reason, since its appointment was computed with them.
"""
from playhouse.migrate import migrate

from ..models import Dossier, Procedure


def apply(migrator):
    migrate(
        migrator.add_column("procedure", "time_unit", Procedure.time_unit),
        migrator.add_column("procedure", "extension_cases", Procedure.extension_cases),
        migrator.add_column("dossier", "time_unit", Dossier.time_unit),
        migrator.add_column("dossier", "extension", Dossier.extension),
        migrator.add_column("dossier", "extension_reason", Dossier.extension_reason),
    )
    Procedure.update(time_unit="trong_ngay").where(Procedure.working_days == 0).execute()
    Dossier.update(time_unit="trong_ngay").where(Dossier.working_days == 0).execute()
    # The two seed rows the issue found wrong: the law says "ngày" (days), not working days.
    for code, amount in (("2.001263", 30), ("1.013225", 15)):
        Procedure.update(time_unit="ngay").where((Procedure.code == code) & (Procedure.working_days == amount)).execute()
