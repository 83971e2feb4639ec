-- funnel_table(funnel_agg(window_funnel(...))) against the plain SQL of doc/funnel.md
-- ("How many actors reached each step"), on generated events; serial = forced parallel =
-- partitionwise; funnel_agg_sum of disjoint actor sets = funnel_agg of all; the errors.
--
-- The reference (q_ref) counts, per step k, the actors whose level is >= k, and takes
-- the rates and the drops between consecutive steps with window functions; it shares
-- nothing with the C code but window_funnel's levels.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(26);

CREATE SCHEMA tap_ft;
SET LOCAL search_path = tap_ft, public;
\ir lib/plans.psql

-- A table `name` (id, u, t timestamptz, k int): nrows events of nactors actors at random
-- whole seconds in [0, span) of kinds 0..nkinds-1, in random row order.
CREATE FUNCTION make_events(name text, seed float8, nrows int, nactors int, span int, nkinds int)
RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM setseed(seed);
    EXECUTE format($q$
        CREATE TABLE %I AS
        SELECT id, u, t, k FROM (
            SELECT id, floor(random() * %s)::int AS u,
                   timestamptz '2024-01-01 00:00:00+00' + floor(random() * %s) * interval '1 s' AS t,
                   floor(random() * %s)::int AS k, random() AS shuffle
            FROM generate_series(1, %s) id) x ORDER BY shuffle$q$,
        name, nactors, span, nkinds, nrows);
    EXECUTE format('ANALYZE %I', name);
END
$f$;

-- the levels of the actors of rel (one row per actor)
CREATE FUNCTION q_levels(rel text, win text, steps text[], mode text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
    SELECT format('SELECT u, window_funnel(%L::interval, %s t, %s) AS level FROM %s GROUP BY u',
                  win, CASE WHEN mode IS NULL THEN '' ELSE format('%L, ', mode) END,
                  array_to_string(steps, ', '), rel)
$f$;

-- the extension: funnel_table(funnel_agg(level, n)) over the levels
CREATE FUNCTION q_ext(levels text, n int) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format('SELECT * FROM funnel_table((SELECT funnel_agg(level, %s) FROM (%s) l))', n, levels)
$f$;

-- the plain SQL of doc/funnel.md, with every column of funnel_table
CREATE FUNCTION q_ref(levels text, n int) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format($q$
        WITH levels AS (%s),
        reached AS (
            SELECT step, count(*) FILTER (WHERE level >= step) AS actors
            FROM levels, generate_series(1, %s) AS step
            GROUP BY step)
        SELECT step, actors,
               actors::float8 / nullif(first_value(actors) OVER w, 0) AS conversion,
               actors::float8 / nullif(coalesce(lag(actors) OVER w, actors), 0) AS conversion_from_previous,
               coalesce(lag(actors) OVER w, actors) - actors AS dropped
        FROM reached WINDOW w AS (ORDER BY step)
        ORDER BY step$q$, levels, n)
$f$;

CREATE FUNCTION check_ref(label text, rel text, win text, steps text[], mode text DEFAULT NULL)
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    levels text := q_levels(rel, win, steps, mode);
    n int := cardinality(steps);
BEGIN
    PERFORM use_plan(false);
    RETURN NEXT results_eq(q_ext(levels, n), q_ref(levels, n), label || ': funnel_table = plain SQL');
END
$f$;

------------------------------------------------------------------------------------------
-- Data
------------------------------------------------------------------------------------------
SELECT make_events('e_many', 0.1, 20000, 2000, 3600, 5);   -- 10 events per actor in an hour
SELECT make_events('e_dense', 0.2, 4000, 40, 600, 4);      -- 100 per actor in 10 minutes
SELECT make_events('e_big', 0.4, 150000, 5000, 7200, 6);   -- for parallel plans

-- the levels of e_big's actors (id = u), and 500 rows of a NULL level (actors of a
-- LEFT JOIN without events), as a table for parallel plans and as a partitioned one
CREATE TABLE lv AS
SELECT u AS id, u, level FROM (SELECT u, window_funnel('10 min', t, k = 0, k = 1, k = 2, k = 3) AS level
                               FROM e_big GROUP BY u) x
UNION ALL
SELECT 10000 + i, 10000 + i, NULL FROM generate_series(1, 500) i;
ALTER TABLE lv SET (parallel_workers = 2);
ANALYZE lv;
SELECT make_parts('lv');

SELECT ok((SELECT count(DISTINCT level) FROM lv) = 5,
          'lv: actors at every level 0 to 4');

------------------------------------------------------------------------------------------
-- funnel_table = plain SQL, shapes
------------------------------------------------------------------------------------------
SELECT check_ref('many actors, 4 steps, 5 min', 'e_many', '5 min', ARRAY['k = 0', 'k = 1', 'k = 2', 'k = 3']);
SELECT check_ref('many actors, 3 steps, strict_order', 'e_many', '20 min', ARRAY['k = 0', 'k = 1', 'k = 2'], 'strict_order');
SELECT check_ref('dense, 5 overlapping steps, strict_once', 'e_dense', '20 s',
                 ARRAY['k <= 1', 'k >= 1', 'k <> 2', 'k = 3', 'k < 3'], 'strict_once');
SELECT check_ref('no actor reaches step 1', 'e_many', '5 min', ARRAY['k = 99', 'k = 1', 'k = 2']);
SELECT check_ref('everyone stops at step 2', 'e_many', '1 hour', ARRAY['k = 0', 'k = 1', 'k = 99', 'k = 2']);
SELECT check_ref('one step', 'e_dense', '1 s', ARRAY['k = 2']);
SELECT check_ref('every actor at every step', 'e_dense', '1 hour', ARRAY['true', 'true', 'true']);
SELECT check_ref('no actor at all (no rows)', '(SELECT * FROM e_many WHERE false) q', '5 min', ARRAY['k = 0', 'k = 1']);
SELECT check_ref('32 steps', 'e_dense', '10 min',
                 array_fill('k < 4'::text, ARRAY[31]) || 'k = 9'::text);
SELECT ok((SELECT conversion IS NULL AND conversion_from_previous IS NULL
           FROM funnel_table((SELECT funnel_agg(level, 3) FROM (SELECT 0 AS level) x)) WHERE step = 1),
          'no actor at step 1: its rates are NULL');

-- the counts themselves, against count(*) per level
SELECT is((SELECT funnel_agg(level, 4)::text FROM lv),
          (SELECT format('v1 steps=4 ignored_rows=%s levels=%s', count(*) FILTER (WHERE level IS NULL),
                         (SELECT string_agg(c::text, ',' ORDER BY l)
                          FROM (SELECT l, (SELECT count(*) FROM lv WHERE level = l) AS c
                                FROM generate_series(0, 4) l) x))
           FROM lv),
          'funnel_agg: the actors at each level and the rows of a NULL level, as count(*) gives them');
SELECT is((SELECT array[actors(c), ignored_rows(c)] FROM (SELECT funnel_agg(level, 4) AS c FROM lv) x),
          (SELECT array[count(level), count(*) - count(level)] FROM lv),
          'actors() counts every actor (level 0 too), ignored_rows() the NULL levels');

------------------------------------------------------------------------------------------
-- serial = forced parallel = partitionwise (results kept with CREATE TABLE AS: cursors
-- never get parallel plans)
------------------------------------------------------------------------------------------
SELECT use_plan(false);
CREATE TABLE res_serial AS SELECT funnel_agg(level, 4)::text AS c FROM lv;
SELECT use_plan(true);
SELECT ok(explain_analyze('CREATE TABLE res_parallel AS SELECT funnel_agg(level, 4)::text AS c FROM lv')
              ~ 'Partial Aggregate(.|\n)*Workers Launched: [1-9]|Workers Launched: [1-9](.|\n)*Partial Aggregate',
          'funnel_agg: a parallel plan with partial aggregates and workers');
SELECT is((SELECT c FROM res_parallel), (SELECT c FROM res_serial), 'funnel_agg: parallel = serial');
SELECT ok(explain_analyze('CREATE TABLE res_parallel_table AS ' || q_ext('SELECT level FROM lv', 4))
              ~ 'Partial Aggregate',
          'funnel_table over a parallel funnel_agg: partial aggregates');
SELECT use_plan(false);
SELECT results_eq('SELECT * FROM res_parallel_table ORDER BY step', q_ref('SELECT level FROM lv', 4),
                  'funnel_table over a parallel funnel_agg = plain SQL');
SET LOCAL enable_partitionwise_aggregate = on;
SELECT ok(explain_analyze('CREATE TABLE res_partitionwise AS SELECT funnel_agg(level, 4)::text AS c FROM lv_p')
              ~ 'Partial Aggregate(.|\n)*Append|Append(.|\n)*Partial Aggregate',
          'funnel_agg: partial aggregates per partition');
SELECT is((SELECT c FROM res_partitionwise), (SELECT c FROM res_serial), 'funnel_agg: partitionwise = serial');
SET LOCAL enable_partitionwise_aggregate = off;

-- funnel_agg_sum of disjoint actor sets (u % 7), serial and parallel; over a stored form
SELECT is((SELECT funnel_agg_sum(c)::text FROM (SELECT funnel_agg(level, 4) AS c FROM lv GROUP BY u % 7) x),
          (SELECT c FROM res_serial), 'funnel_agg_sum of the groups = funnel_agg of all (serial)');
SELECT use_plan(true);
CREATE TABLE lv_groups AS SELECT u % 7 AS g, funnel_agg(level, 4) AS c FROM lv_p GROUP BY 1;
ALTER TABLE lv_groups SET (parallel_workers = 2);
SELECT ok(explain_analyze('CREATE TABLE res_sum AS SELECT funnel_agg_sum(c)::text AS c FROM lv_groups')
              ~ 'Partial Aggregate',
          'funnel_agg_sum: partial aggregates');
SELECT is((SELECT c FROM res_sum), (SELECT c FROM res_serial), 'funnel_agg_sum of the groups = funnel_agg of all (parallel)');
SELECT use_plan(false);

------------------------------------------------------------------------------------------
-- errors
------------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT funnel_agg(level, CASE WHEN u < 100 THEN 4 ELSE 3 END) FROM lv WHERE level <= 3$$,
                 '22023', 'funnel_agg got a different number of steps on rows of the same group',
                 'steps differ between rows: 22023');
SELECT throws_ok($$SELECT funnel_agg(level, 3) FROM lv$$,
                 '22023', 'funnel_agg level 4 is outside 0..3',
                 'a level above steps (window_funnel of 4 steps counted as 3): 22023');
SELECT throws_ok($$SELECT funnel_agg(level, NULL) FROM lv$$,
                 '22004', 'the steps of funnel_agg must not be NULL', 'steps NULL: 22004');
SELECT throws_ok($$SELECT funnel_agg_sum(c) FROM (SELECT funnel_agg(level, 4) FROM lv UNION ALL SELECT funnel_agg(0, 3)) x(c)$$,
                 '22023', 'cannot add funnel_counts of different numbers of steps',
                 'funnel_agg_sum of different steps: 22023');

SELECT * FROM finish();
ROLLBACK;
