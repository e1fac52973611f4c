"""Mẫu 02 and 03 given at the counter carry the applicant's address, phone and email: three columns on guidance_slip."""
from peewee import CharField
from playhouse.migrate import migrate

COLUMNS = {"address": 300, "phone": 10, "email": 120}


def apply(migrator):
    present = {column.name for column in migrator.database.get_columns("guidance_slip")}
    migrate(*(
        migrator.add_column("guidance_slip", name, CharField(max_length=length, default=""))
        for name, length in COLUMNS.items() if name not in present
    ))
