"""m0013 brings a database made before the walk-in queue up to date, keeping what it holds."""
from app.db import database
from app.migrations import migrate
from app.models import Counter, ServiceGroup, Ticket


def test_m0013_adds_the_queue_tables_to_an_older_database(app):
    with database.connection_context():
        Counter.create(name="Quầy 1", order=1)
        for table in ("ticket", "service_group_counter", "service_group"):
            database.execute_sql(f'DROP TABLE "{table}"')
        database.execute_sql(f"DELETE FROM schema_migration WHERE name LIKE {database.param}", ("m0013%",))
        assert migrate(database) == ["m0013_ticket_queue"]
        group = ServiceGroup.create(name="Trả kết quả", code="tra-ket-qua")
        assert Ticket.select().where(Ticket.group == group).count() == 0
        assert [counter.name for counter in Counter.select()] == ["Quầy 1"]
        assert migrate(database) == []
