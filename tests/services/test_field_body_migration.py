"""m0014 gives each field (lĩnh vực) the body in charge that Mẫu 07 prints, keeping the fields a database
holds and the procedures and dossiers that refer to them."""
from app.db import database
from app.migrations import migrate
from app.models import Dossier, Field, Procedure


def test_m0014_adds_an_empty_body_to_the_fields_of_an_older_database(make_dossier):
    make_dossier()  # a procedure and a dossier refer to the field: a rebuilt table would break them
    database.execute_sql('ALTER TABLE "field" DROP COLUMN "body"')
    database.execute_sql(f"DELETE FROM schema_migration WHERE name LIKE {database.param}", ("m0014%",))
    fields = Field.select().count()
    assert migrate(database) == ["m0014_field_body"]
    assert Field.select().count() == fields and {field.body for field in Field.select()} == {""}
    assert Dossier.select().join(Procedure).join(Field).count() == 1
    assert migrate(database) == []
