"""Mẫu 07 names the body in charge of each dossier: a column on field (lĩnh vực), empty for the commune itself."""


def apply(migrator):
    database = migrator.database
    if "body" not in {column.name for column in database.get_columns("field")}:
        # Plain ADD COLUMN with its default: playhouse would rebuild the table on SQLite to make it NOT NULL,
        # which the procedures and dossiers referring to the field forbid.
        database.execute_sql('ALTER TABLE "field" ADD COLUMN "body" VARCHAR(200) NOT NULL DEFAULT \'\'')
