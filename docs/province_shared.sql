-- docs/province.md, "The commune column, measured": add commune_id to the dossier-owned tables of a
-- copy of a demo database and put it first in their indexes, to measure what a shared database costs.
-- Run only on a scratch copy (createdb -T ...): it rewrites the tables.
\timing on
DO $$
DECLARE t text; r record;
BEGIN
  FOREACH t IN ARRAY ARRAY['dossier', 'dossier_event', 'form_number'] LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN commune_id integer', t);
    EXECUTE format('UPDATE %I SET commune_id = 1', t);
    EXECUTE format('ALTER TABLE %I ALTER COLUMN commune_id SET NOT NULL', t);
    FOR r IN SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
             FROM pg_index i WHERE i.indrelid = t::regclass AND NOT i.indisprimary LOOP
      EXECUTE format('DROP INDEX %s', r.name);
      EXECUTE replace(r.def, 'USING btree (', 'USING btree (commune_id, ');
    END LOOP;
  END LOOP;
END $$;
VACUUM FULL dossier;
VACUUM FULL dossier_event;
VACUUM FULL form_number;
