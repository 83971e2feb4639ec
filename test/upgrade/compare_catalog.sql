-- test/upgrade/compare_catalog.sql (pgTAP): run by test/upgrade/run in a database where an
-- old release was installed and then ALTER EXTENSION retention UPDATE'd with the current
-- build. fresh_catalog holds test/upgrade/catalog_listing.sql's listing of a fresh
-- CREATE EXTENSION retention of the current build (another database, same server); the
-- listing here must equal it, kind by kind, so that a failure says where (set_eq prints
-- the extra and the missing rows).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\ir catalog_listing.sql
SELECT * FROM no_plan();

SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'retention'),
          (SELECT default_version FROM pg_available_extensions WHERE name = 'retention'),
          'extversion after ALTER EXTENSION UPDATE = the default version of the control file');
SELECT cmp_ok((SELECT count(*) FROM fresh_catalog WHERE kind = 'member'), '>', 0::bigint,
              'the fresh install''s listing has members');

SELECT set_eq(format('SELECT object, facts FROM retention_catalog WHERE kind = %L', k),
              format('SELECT object, facts FROM fresh_catalog WHERE kind = %L', k),
              format('catalog, %s: upgraded = fresh install', k))
FROM unnest(ARRAY['extension', 'member', 'function', 'aggregate', 'type', 'attribute',
                  'cast', 'operator', 'comment', 'acl']) WITH ORDINALITY AS u(k, n)
ORDER BY n;

-- no kind left out above, and no duplicate rows either side
SELECT bag_eq('SELECT kind, object, facts FROM retention_catalog',
              'SELECT kind, object, facts FROM fresh_catalog',
              'catalog, whole listing: upgraded = fresh install');

SELECT * FROM finish();
