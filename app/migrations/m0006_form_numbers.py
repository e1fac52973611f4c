"""Issued forms get a yearly number per kind ("Số: 15/BN", Thông tư 03/2025/TT-VPCP): the form_number table.

Receipts, letters and guidance slips made by an older version are numbered here, in the order they were
issued, so that the logbook (Mẫu 07), whose STT is the receipt's number, has one on every line.
"""


def apply(migrator):
    from ..models import FormNumber
    from ..services.form_numbers import backfill

    database = migrator.database
    if not database.table_exists("form_number"):
        database.create_tables([FormNumber])
    backfill()
