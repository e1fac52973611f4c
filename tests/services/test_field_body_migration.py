"""m0014 gives each field (lĩnh vực) the body in charge that Mẫu 07 prints, keeping the fields a database holds."""
from app.db import database
from app.migrations import migrate
from app.models import Field


def test_m0014_adds_an_empty_body_to_the_fields_of_an_older_database(app):
    with database.connection_context():
        Field.create(name="Hộ tịch", order=1)
        database.execute_sql('ALTER TABLE "field" DROP COLUMN "body"')
        database.execute_sql("DELETE FROM schema_migration WHERE name LIKE 'm0014%'")
        assert migrate(database) == ["m0014_field_body"]
        assert [(field.name, field.body) for field in Field.select()] == [("Hộ tịch", "")]
        assert migrate(database) == []
