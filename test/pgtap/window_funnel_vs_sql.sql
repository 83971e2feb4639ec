-- window_funnel against plain SQL, serial, under forced parallel plans and partitionwise.
--
-- The plain-SQL reference (q_ref) is written from the definition of the default mode,
-- not from the C code: a group's events are its rows' (time, step) pairs, one per step a
-- row satisfies, in (time, step) order; the level is the largest k for which there are
-- events e1, ..., ek, in that order, e_j of step j, with time(ek) - time(e1) <= window.
-- "In that order" for steps j < j + 1 means time(e_j) <= time(e_j+1): one row may serve
-- consecutive steps.  A recursive CTE builds every chain (step, start, last).  (ClickHouse
-- keeps only the latest start per level; for the default mode that is the same level: a
-- later start is never worse for the window.  The modes change the rules and are held by
-- the pg_regress cases instead; here they must only agree across plans.)
--
-- Shapes: many actors with few events; few actors with many events and many ties (whole
-- seconds); rows satisfying several steps (overlapping conditions); NULL times and NULL
-- conditions; each table filled in random row order (shuffled).  Every aggregate is
-- also held serial = forced parallel = partitionwise (rows of one actor in several
-- partitions) for every mode.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(36);

CREATE SCHEMA tap_wf;
SET LOCAL search_path = tap_wf, public;
\ir lib/plans.psql

-- A table `name` (id, u, t timestamptz, k int): nrows events of nactors actors at random
-- whole seconds in [0, span) of kinds 0..nkinds-1, inserted in random order; p_null of
-- the times and of the kinds NULL.
CREATE FUNCTION make_events(name text, seed float8, nrows int, nactors int, span int,
                            nkinds int, p_null float8) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM setseed(seed);
    EXECUTE format($q$
        CREATE TABLE %I AS
        SELECT id, u, t, k FROM (
            SELECT id, floor(random() * %s)::int AS u,
                   CASE WHEN random() < %s THEN NULL
                        ELSE timestamptz '2024-01-01 00:00:00+00' + floor(random() * %s) * interval '1 s' END AS t,
                   CASE WHEN random() < %s THEN NULL ELSE floor(random() * %s)::int END AS k,
                   random() AS shuffle
            FROM generate_series(1, %s) id) x ORDER BY shuffle$q$,
        name, nactors, p_null, span, p_null, nkinds, nrows);
    EXECUTE format('ALTER TABLE %I SET (parallel_workers = 2)', name);
    EXECUTE format('ANALYZE %I', name);
END
$f$;

-- The extension: one row per actor (u, level), ordered by u.
CREATE FUNCTION q_ext(rel text, win text, steps text[], mode text DEFAULT NULL) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
    SELECT format('SELECT u, window_funnel(%L::interval, %s t, %s) AS level FROM %s GROUP BY u ORDER BY u',
                  win, CASE WHEN mode IS NULL THEN '' ELSE format('%L, ', mode) END,
                  array_to_string(steps, ', '), rel)
$f$;

-- The reference (see the top of the file).
CREATE FUNCTION q_ref(rel text, win text, steps text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format($q$
        WITH RECURSIVE ev AS (
            SELECT u, t, s.step::int AS step
            FROM %1$s, LATERAL unnest(ARRAY[%2$s]) WITH ORDINALITY s(ok, step)
            WHERE t IS NOT NULL AND s.ok),
        chain(u, step, start, last) AS (
            SELECT u, 1, t, t FROM ev WHERE step = 1
            UNION
            SELECT c.u, c.step + 1, c.start, e.t
            FROM chain c JOIN ev e ON e.u = c.u AND e.step = c.step + 1
                                  AND e.t >= c.last AND e.t - c.start <= %3$L::interval)
        SELECT a.u, coalesce(max(c.step), 0)::int4 AS level
        FROM (SELECT DISTINCT u FROM %1$s) a LEFT JOIN chain c USING (u)
        GROUP BY a.u ORDER BY a.u$q$, rel, array_to_string(steps, ', '), win)
$f$;

-- serial = reference (1 test)
CREATE FUNCTION check_ref(label text, rel text, win text, steps text[]) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM use_plan(false);
    RETURN NEXT results_eq(q_ext(rel, win, steps), q_ref(rel, win, steps),
                           label || ': window_funnel = plain SQL');
END
$f$;

-- forced parallel = serial, and partitionwise over part_rel = serial (4 tests).  The
-- results are kept with CREATE TABLE AS (cursors never get parallel plans).
CREATE FUNCTION check_plans(label text, rel text, part_rel text, win text, steps text[],
                            mode text DEFAULT NULL) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    plan_text text;
BEGIN
    DROP TABLE IF EXISTS res_serial, res_parallel, res_partitionwise;
    PERFORM use_plan(false);
    EXECUTE 'CREATE TABLE res_serial AS ' || q_ext(rel, win, steps, mode);
    PERFORM use_plan(true);
    plan_text := explain_analyze('CREATE TABLE res_parallel AS ' || q_ext(rel, win, steps, mode));
    RETURN NEXT ok(plan_text ~ 'Partial \w*Aggregate' AND plan_text ~ 'Workers Launched: [1-9]',
                   label || ': parallel plan with partial aggregates and workers');
    RETURN NEXT results_eq('SELECT * FROM res_parallel ORDER BY u', 'SELECT * FROM res_serial ORDER BY u',
                           label || ': parallel = serial');
    PERFORM use_plan(false);
    PERFORM set_config('enable_partitionwise_aggregate', 'on', true);
    plan_text := explain_analyze('CREATE TABLE res_partitionwise AS ' || q_ext(part_rel, win, steps, mode));
    PERFORM set_config('enable_partitionwise_aggregate', 'off', true);
    RETURN NEXT ok(plan_text ~ 'Partial \w*Aggregate' AND plan_text ~ 'Append',
                   label || ': partial aggregates per partition');
    RETURN NEXT results_eq('SELECT * FROM res_partitionwise ORDER BY u', 'SELECT * FROM res_serial ORDER BY u',
                           label || ': partitionwise = serial');
END
$f$;

------------------------------------------------------------------------------------------
-- Data
------------------------------------------------------------------------------------------
SELECT make_events('e_many', 0.1, 20000, 2000, 3600, 5, 0.0);   -- 10 events per actor in an hour
SELECT make_events('e_dense', 0.2, 4000, 40, 600, 4, 0.0);      -- 100 per actor in 10 minutes: ties
SELECT make_events('e_nulls', 0.3, 6000, 300, 1800, 4, 0.15);   -- NULL times and kinds
SELECT make_events('e_big', 0.4, 150000, 5000, 7200, 6, 0.01);  -- for parallel plans
SELECT make_parts('e_many'), make_parts('e_dense'), make_parts('e_nulls'), make_parts('e_big');

SELECT ok((SELECT count(DISTINCT level) FROM (SELECT window_funnel('5 min', t, k = 0, k = 1, k = 2, k = 3) AS level
                                              FROM e_many GROUP BY u) x) = 5,
          'e_many: actors at every level 0 to 4 (default mode, 5 minutes)');
SELECT ok((SELECT count(*) FROM (SELECT u, t FROM e_dense GROUP BY u, t HAVING count(*) > 1) x) > 100,
          'e_dense: many events at the same second of one actor');

------------------------------------------------------------------------------------------
-- The default mode against the reference
------------------------------------------------------------------------------------------
SELECT check_ref('many actors, 4 steps, 5 min', 'e_many', '5 min', ARRAY['k = 0', 'k = 1', 'k = 2', 'k = 3']);
SELECT check_ref('many actors, 3 steps, 20 min', 'e_many', '20 min', ARRAY['k = 0', 'k = 1', 'k = 2']);
SELECT check_ref('many actors, a repeated step', 'e_many', '10 min', ARRAY['k = 0', 'k = 1', 'k = 1', 'k = 2']);
SELECT check_ref('many actors, window 0', 'e_many', '0 s', ARRAY['k = 0', 'k <= 1']);
SELECT check_ref('dense, 4 steps, 30 s (ties)', 'e_dense', '30 s', ARRAY['k = 0', 'k = 1', 'k = 2', 'k = 3']);
SELECT check_ref('dense, overlapping steps', 'e_dense', '20 s', ARRAY['k <= 1', 'k >= 1', 'k <> 2', 'k = 3', 'k < 3']);
SELECT check_ref('dense, one step', 'e_dense', '1 s', ARRAY['k = 2']);
SELECT check_ref('NULL times and kinds', 'e_nulls', '3 min', ARRAY['k = 0', 'k = 1', 'k = 2']);
SELECT check_ref('NULL conditions (k IS NULL is a step)', 'e_nulls', '3 min', ARRAY['k = 0', 'k IS NULL', 'k = 3']);

------------------------------------------------------------------------------------------
-- Serial = parallel = partitionwise, every mode
------------------------------------------------------------------------------------------
SELECT check_plans('default', 'e_big', 'e_big_p', '10 min', ARRAY['k = 0', 'k = 1', 'k = 2', 'k = 3']);
SELECT results_eq('SELECT * FROM res_parallel ORDER BY u',
                  q_ref('e_big', '10 min', ARRAY['k = 0', 'k = 1', 'k = 2', 'k = 3']),
                  'default: parallel = plain SQL');
SELECT check_plans('strict_order', 'e_big', 'e_big_p', '10 min', ARRAY['k = 0', 'k = 1', 'k = 2'], 'strict_order');
SELECT check_plans('strict_deduplication, strict_increase', 'e_big', 'e_big_p', '10 min',
                   ARRAY['k = 0', 'k = 1', 'k = 2', 'k = 3'], 'strict_deduplication, strict_increase');
SELECT check_plans('strict_once', 'e_big', 'e_big_p', '10 min', ARRAY['k <= 1', 'k >= 1', 'k < 4', 'k = 5'], 'strict_once');
SELECT check_plans('strict_order, allow_reentry', 'e_big', 'e_big_p', '10 min',
                   ARRAY['k = 0', 'k = 1', 'k = 2', 'k = 3'], 'strict_order, allow_reentry');
SELECT check_plans('dense strict_once, strict_increase', 'e_dense', 'e_dense_p', '1 min',
                   ARRAY['k = 0', 'k < 2', 'k = 1', 'k = 3'], 'strict_once, strict_increase');

SELECT * FROM finish();
ROLLBACK;
