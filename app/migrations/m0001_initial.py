"""The first schema: every table of app.models as of the first release (created from the models)."""


def apply(migrator):
    # A database without the migration table is built from the models directly; nothing to alter.
    return None
