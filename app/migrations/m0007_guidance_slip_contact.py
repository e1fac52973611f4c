"""Mẫu 02 and 03 given at the counter carry the applicant's address, phone and email: three columns on guidance_slip."""
from . import add_column

COLUMNS = {"address": 300, "phone": 10, "email": 120}


def apply(migrator):
    for name, length in COLUMNS.items():
        add_column(migrator.database, "guidance_slip", name, f"VARCHAR({length}) NOT NULL DEFAULT ''")
