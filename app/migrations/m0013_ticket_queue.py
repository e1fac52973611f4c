"""The walk-in queue (issue 16): service groups, the counters serving them, and the day's tickets."""


def apply(migrator):
    from ..models import ServiceGroup, ServiceGroupCounter, Ticket

    database = migrator.database
    missing = [model for model in (ServiceGroup, ServiceGroupCounter, Ticket) if not database.table_exists(model._meta.table_name)]
    if missing:
        database.create_tables(missing)
