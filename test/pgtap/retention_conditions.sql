-- retention(cond1, ..., condn) against plain SQL, serial and under forced parallel plans,
-- and the catalog facts of the aggregate.
--
-- The plain-SQL formulation (q_sql): over the rows whose condition array is not NULL and
-- holds no NULL condition ("counted" rows),
--   element 1 = bool_or(c1)
--   element k = bool_or(c1) AND bool_or(ck)
-- each coalesced to false (a group whose rows were all ignored gives all false), and NULL
-- when the group has no row with a non-NULL array at all (ungrouped empty input).
--
-- Partitionwise aggregation over a table hashed by row id combines per-partition partial
-- states deterministically (which parallel workers do only when the scan splits a group).
--
-- Data: deterministic random tables (setseed) of several shapes: few and many groups, 1 to
-- 120 conditions, rare and frequent true conditions, NULL conditions, NULL arrays.
--
-- The parallel results are kept with CREATE TABLE AS (which may use a parallel plan), not
-- read through results_eq's cursor (cursors never get parallel plans); the tables are
-- ordinary tables created in this transaction (parallel workers cannot read temporary ones).
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(69);

CREATE SCHEMA tap_cond;
SET LOCAL search_path = tap_cond, public;

------------------------------------------------------------------------------------------
-- Helpers (gone with the ROLLBACK)
------------------------------------------------------------------------------------------

-- A table `name` (id, g, c1 .. cn): nrows rows in ngroups groups, each condition true with
-- probability p_true and NULL with probability p_null.
CREATE FUNCTION make_data(name text, seed float8, nrows int, ngroups int, n int,
                          p_true float8, p_null float8) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM setseed(seed);
    EXECUTE format(
        'CREATE TABLE %I AS SELECT id, floor(random() * %s)::int AS g, %s FROM generate_series(1, %s) id',
        name, ngroups,
        (SELECT string_agg(format('CASE WHEN random() < %s THEN NULL ELSE random() < %s END AS c%s',
                                  p_null, p_true, k), ', ' ORDER BY k)
         FROM generate_series(1, n) k),
        nrows);
    EXECUTE format('ALTER TABLE %I SET (parallel_workers = 2)', name);
    EXECUTE format('ANALYZE %I', name);
END
$f$;

-- c1, c2, ..., cn
CREATE FUNCTION cond_list(n int) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT string_agg(format('c%s', k), ', ' ORDER BY k) FROM generate_series(1, n) k
$f$;

-- The extension's answer: one row per group (g), ordered by g; gexpr NULL: not grouped,
-- one row with g = 0. arr_null: rows passing a NULL array (VARIADIC NULL) instead of
-- their conditions; NULL: every row passes retention(c1, ..., cn) (n <= 100).
CREATE FUNCTION q_ext(rel text, n int, gexpr text, arr_null text DEFAULT NULL,
                      filter text DEFAULT 'true') RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format('SELECT %s AS g, retention(%s) AS r FROM %s WHERE %s %s',
                  coalesce(gexpr, '0'),
                  CASE WHEN arr_null IS NULL THEN cond_list(n)
                       ELSE format('VARIADIC CASE WHEN %s THEN NULL ELSE ARRAY[%s] END', arr_null, cond_list(n))
                  END,
                  rel, filter,
                  CASE WHEN gexpr IS NULL THEN '' ELSE 'GROUP BY 1 ORDER BY 1' END)
$f$;

-- The same in plain SQL.
CREATE FUNCTION q_sql(rel text, n int, gexpr text, arr_null text DEFAULT NULL,
                      filter text DEFAULT 'true') RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format(
        'SELECT %s AS g,
                CASE WHEN count(*) FILTER (WHERE NOT arr_null) = 0 THEN NULL
                     ELSE ARRAY[coalesce(bool_or(c1) FILTER (WHERE counted), false)%s] END AS r
         FROM (SELECT *, %s AS arr_null, NOT (%s) AND %s AS counted FROM %s WHERE %s) x %s',
        coalesce(gexpr, '0'),
        (SELECT coalesce(string_agg(format(
                    ', coalesce(bool_or(c1) FILTER (WHERE counted) AND bool_or(c%s) FILTER (WHERE counted), false)', k),
                    '' ORDER BY k), '')
         FROM generate_series(2, n) k),
        coalesce(arr_null, 'false'), coalesce(arr_null, 'false'),
        (SELECT string_agg(format('c%s IS NOT NULL', k), ' AND ' ORDER BY k) FROM generate_series(1, n) k),
        rel, filter,
        CASE WHEN gexpr IS NULL THEN '' ELSE 'GROUP BY 1 ORDER BY 1' END)
$f$;

CREATE FUNCTION explain_analyze(stmt text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    line text;
    result text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || stmt LOOP
        result := result || line || E'\n';
    END LOOP;
    RETURN result;
END
$f$;

-- Plan settings, transaction-local.
CREATE FUNCTION use_plan(parallel bool) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM set_config('parallel_setup_cost', CASE WHEN parallel THEN '0' ELSE '1000' END, true);
    PERFORM set_config('parallel_tuple_cost', CASE WHEN parallel THEN '0' ELSE '0.1' END, true);
    PERFORM set_config('min_parallel_table_scan_size', CASE WHEN parallel THEN '0' ELSE '8MB' END, true);
    PERFORM set_config('max_parallel_workers_per_gather', CASE WHEN parallel THEN '2' ELSE '0' END, true);
END
$f$;

-- One serial case: the extension equals plain SQL; one test.
CREATE FUNCTION check_serial(label text, rel text, n int, gexpr text, arr_null text DEFAULT NULL,
                             filter text DEFAULT 'true') RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM use_plan(false);
    RETURN NEXT results_eq(q_ext(rel, n, gexpr, arr_null, filter), q_sql(rel, n, gexpr, arr_null, filter),
                           label || ': retention() = plain SQL');
END
$f$;

-- One parallel case: the plan has partial aggregates and launched workers, its result
-- equals the serial result and the plain SQL; three tests.
CREATE FUNCTION check_parallel(label text, rel text, n int, gexpr text, arr_null text DEFAULT NULL,
                               filter text DEFAULT 'true') RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    q text := q_ext(rel, n, gexpr, arr_null, filter);
    plan_text text;
BEGIN
    DROP TABLE IF EXISTS res_parallel, res_serial;
    PERFORM use_plan(true);
    plan_text := explain_analyze('CREATE TABLE res_parallel AS ' || q);
    RETURN NEXT ok(plan_text ~ 'Partial \w*Aggregate' AND plan_text ~ 'Workers Launched: [1-9]',
                   label || ': parallel plan with partial aggregates and workers');
    IF NOT (plan_text ~ 'Partial \w*Aggregate' AND plan_text ~ 'Workers Launched: [1-9]') THEN
        RETURN NEXT diag(plan_text);
    END IF;
    PERFORM use_plan(false);
    plan_text := explain_analyze('CREATE TABLE res_serial AS ' || q);
    IF plan_text ~ 'Partial|Gather' THEN
        RETURN NEXT diag('serial plan is not serial: ' || plan_text);
    END IF;
    RETURN NEXT results_eq('SELECT * FROM res_parallel ORDER BY g', 'SELECT * FROM res_serial ORDER BY g',
                           label || ': parallel result = serial result');
    RETURN NEXT results_eq('SELECT * FROM res_parallel ORDER BY g', q_sql(rel, n, gexpr, arr_null, filter),
                           label || ': parallel result = plain SQL');
END
$f$;

-- One partitionwise case (no workers): partial aggregates per partition under an Append,
-- the result equals plain SQL; two tests.
CREATE FUNCTION check_partitionwise(label text, rel text, n int, gexpr text, arr_null text DEFAULT NULL)
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    q text := q_ext(rel, n, gexpr, arr_null);
    plan_text text;
BEGIN
    DROP TABLE IF EXISTS res_partitionwise;
    PERFORM use_plan(false);
    PERFORM set_config('enable_partitionwise_aggregate', 'on', true);
    plan_text := explain_analyze('CREATE TABLE res_partitionwise AS ' || q);
    PERFORM set_config('enable_partitionwise_aggregate', 'off', true);
    RETURN NEXT ok(plan_text ~ 'Partial \w*Aggregate' AND plan_text ~ 'Append',
                   label || ': partial aggregates per partition');
    IF NOT (plan_text ~ 'Partial \w*Aggregate' AND plan_text ~ 'Append') THEN
        RETURN NEXT diag(plan_text);
    END IF;
    RETURN NEXT results_eq('SELECT * FROM res_partitionwise ORDER BY g', q_sql(rel, n, gexpr, arr_null),
                           label || ': partitionwise result = plain SQL');
END
$f$;

------------------------------------------------------------------------------------------
-- Data
------------------------------------------------------------------------------------------
SELECT make_data('d_small', 0.11, 2000, 100, 3, 0.05, 0.02);     -- typical: 3 conditions
SELECT make_data('d_rare', 0.22, 5000, 50, 8, 0.01, 0.0);        -- rare events, no NULLs
SELECT make_data('d_one', 0.33, 1000, 500, 1, 0.3, 0.1);         -- one condition
SELECT make_data('d_wide', 0.44, 3000, 20, 40, 0.02, 0.05);      -- 40 conditions (> 32)
SELECT make_data('d_hundred', 0.55, 2000, 30, 100, 0.05, 0.001); -- 100 conditions
SELECT make_data('d_nully', 0.66, 1000, 200, 4, 0.5, 0.6);       -- most rows ignored
SELECT make_data('d_often', 0.77, 1000, 10, 5, 0.9, 0.0);        -- nearly all true
SELECT make_data('d_big', 0.88, 200000, 2000, 5, 0.002, 0.01);   -- for parallel plans
SELECT make_data('d_big_wide', 0.99, 100000, 300, 120, 0.001, 0.0); -- 120 conditions, parallel

SELECT ok((SELECT count(*) FROM (SELECT g FROM d_nully GROUP BY g
                                 HAVING bool_and(c1 IS NULL OR c2 IS NULL OR c3 IS NULL OR c4 IS NULL)) x) > 0,
          'd_nully has groups whose rows are all ignored (all-false results)');
SELECT ok((SELECT count(*) FILTER (WHERE r[1] AND NOT r[2]) > 0 AND count(*) FILTER (WHERE NOT r[1]) > 0
                  AND count(*) FILTER (WHERE r[1] AND r[2]) > 0
           FROM (SELECT g, retention(c1, c2, c3) AS r FROM d_small GROUP BY g) x),
          'd_small has groups with and without cond1, with and without cond2');

------------------------------------------------------------------------------------------
-- Serial: retention() = plain SQL
------------------------------------------------------------------------------------------
SELECT check_serial('3 conditions, by group', 'd_small', 3, 'g');
SELECT check_serial('3 conditions, ungrouped', 'd_small', 3, NULL);
SELECT check_serial('3 conditions, by g % 7', 'd_small', 3, 'g % 7');
SELECT check_serial('3 conditions, NULL arrays on every 13th row', 'd_small', 3, 'g', 'id % 13 = 0');
SELECT check_serial('3 conditions, NULL arrays on every row of odd groups', 'd_small', 3, 'g', 'g % 2 = 1');
SELECT check_serial('rare events, 8 conditions, by group', 'd_rare', 8, 'g');
SELECT check_serial('rare events, 8 conditions, by g / 10', 'd_rare', 8, 'g / 10');
SELECT check_serial('rare events, 8 conditions, ungrouped', 'd_rare', 8, NULL);
SELECT check_serial('one condition, by group', 'd_one', 1, 'g');
SELECT check_serial('one condition, ungrouped', 'd_one', 1, NULL);
SELECT check_serial('40 conditions, by group', 'd_wide', 40, 'g');
SELECT check_serial('40 conditions, NULL arrays', 'd_wide', 40, 'g', 'id % 5 = 0');
SELECT check_serial('100 conditions, by group', 'd_hundred', 100, 'g');
SELECT check_serial('100 conditions, ungrouped', 'd_hundred', 100, NULL);
SELECT check_serial('120 conditions through VARIADIC, by group', 'd_big_wide', 120, 'g', 'false');
SELECT check_serial('most rows ignored, by group', 'd_nully', 4, 'g');
SELECT check_serial('most rows ignored, ungrouped', 'd_nully', 4, NULL);
SELECT check_serial('nearly all true, by group', 'd_often', 5, 'g');
SELECT check_serial('empty input, ungrouped (NULL)', 'd_small', 3, NULL, NULL, 'id < 0');
SELECT check_serial('empty input, by group (no rows)', 'd_small', 3, 'g', NULL, 'id < 0');
SELECT check_serial('only NULL arrays, ungrouped (NULL)', 'd_small', 3, NULL, 'true');
SELECT check_serial('only NULL arrays, by group (NULL per group)', 'd_small', 3, 'g', 'true');
-- hashed and sorted grouping
SET LOCAL enable_hashagg = off;
SELECT check_serial('sorted grouping, 8 conditions', 'd_rare', 8, 'g');
SET LOCAL enable_hashagg = on;
SET LOCAL enable_sort = off;
SELECT check_serial('hashed grouping, 8 conditions', 'd_rare', 8, 'g');
SET LOCAL enable_sort = on;

-- a few hand-checked values on d_small's shape, independent of the reference
SELECT is((SELECT retention(VARIADIC ARRAY[g = 1, g = 2, g = 3]) FROM d_small WHERE g IN (1, 3)),
          ARRAY[true, false, true], 'groups 1 and 3 present, 2 absent: {t,f,t}');
SELECT is((SELECT retention(VARIADIC ARRAY[g = 1, g = 2, g = 3]) FROM d_small WHERE g IN (2, 3)),
          ARRAY[false, false, false], 'without cond1: {f,f,f}');

------------------------------------------------------------------------------------------
-- Forced parallel plans: partial states combined in the leader
------------------------------------------------------------------------------------------
SELECT check_parallel('parallel, 5 conditions, by group', 'd_big', 5, 'g');
SELECT check_parallel('parallel, 5 conditions, ungrouped', 'd_big', 5, NULL);
SELECT check_parallel('parallel, 5 conditions, by g % 10', 'd_big', 5, 'g % 10');
SELECT check_parallel('parallel, NULL arrays on every 7th row', 'd_big', 5, 'g', 'id % 7 = 0');
SELECT check_parallel('parallel, 120 conditions through VARIADIC', 'd_big_wide', 120, 'g', 'false');
-- few rows pass: most partial states are NULL
SELECT check_parallel('parallel, 2 rows pass (ids 70000, 140000)', 'd_big', 5, NULL, NULL, 'id % 70000 = 0');
SELECT check_parallel('parallel, no row passes (NULL)', 'd_big', 5, NULL, NULL, 'id < 0');

------------------------------------------------------------------------------------------
-- Partitionwise aggregation: 4 partitions by row id, every group has rows in each
------------------------------------------------------------------------------------------
CREATE TABLE d_part (LIKE d_big) PARTITION BY HASH (id);
CREATE TABLE d_part_0 PARTITION OF d_part FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE d_part_1 PARTITION OF d_part FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE d_part_2 PARTITION OF d_part FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE d_part_3 PARTITION OF d_part FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO d_part SELECT * FROM d_big WHERE id <= 50000;
ANALYZE d_part;
SELECT check_partitionwise('partitionwise, 5 conditions, by g % 50', 'd_part', 5, 'g % 50');
SELECT check_partitionwise('partitionwise, 5 conditions, ungrouped', 'd_part', 5, NULL);
SELECT check_partitionwise('partitionwise, NULL arrays on every 3rd row, by g % 50', 'd_part', 5, 'g % 50', 'id % 3 = 0');

------------------------------------------------------------------------------------------
-- Catalog facts
------------------------------------------------------------------------------------------
SELECT is_aggregate('retention', ARRAY['boolean[]'], 'retention(VARIADIC boolean[]) is an aggregate');
SELECT is((SELECT provariadic FROM pg_proc WHERE oid = 'retention(boolean[])'::regprocedure),
          'boolean'::regtype::oid, 'retention is VARIADIC boolean[]');
SELECT is((SELECT prorettype FROM pg_proc WHERE oid = 'retention(boolean[])'::regprocedure),
          'boolean[]'::regtype::oid, 'retention returns boolean[]');
SELECT is((SELECT aggtranstype FROM pg_aggregate WHERE aggfnoid = 'retention(boolean[])'::regprocedure),
          'bytea'::regtype::oid, 'transition type is bytea (not internal: Citus pushes the aggregate down)');
SELECT is((SELECT aggcombinefn FROM pg_aggregate WHERE aggfnoid = 'retention(boolean[])'::regprocedure),
          'retention_cond_combine(bytea, bytea)'::regprocedure::regproc, 'combine function retention_cond_combine');
SELECT is((SELECT aggtransfn FROM pg_aggregate WHERE aggfnoid = 'retention(boolean[])'::regprocedure),
          'retention_cond_trans(bytea, boolean[])'::regprocedure::regproc, 'transition function retention_cond_trans');
SELECT is((SELECT aggfinalfn FROM pg_aggregate WHERE aggfnoid = 'retention(boolean[])'::regprocedure),
          'retention_cond_final(bytea)'::regprocedure::regproc, 'final function retention_cond_final');
SELECT is((SELECT aggserialfn = 0 AND aggdeserialfn = 0 FROM pg_aggregate
           WHERE aggfnoid = 'retention(boolean[])'::regprocedure),
          true, 'no serialize functions (a bytea state travels as it is)');
SELECT is((SELECT proparallel FROM pg_proc WHERE oid = 'retention(boolean[])'::regprocedure),
          's'::"char", 'the aggregate is PARALLEL SAFE');
SELECT is((SELECT string_agg(proname || ':' || proparallel::text || provolatile::text, ',' ORDER BY proname)
           FROM pg_proc WHERE proname IN ('retention_cond_trans', 'retention_cond_combine', 'retention_cond_final')
             AND pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'retention')),
          'retention_cond_combine:si,retention_cond_final:si,retention_cond_trans:si',
          'support functions are PARALLEL SAFE and IMMUTABLE');
SELECT isnt_strict('retention_cond_trans', ARRAY['bytea', 'boolean[]'],
                   'retention_cond_trans is not STRICT (NULL initial state, NULL arrays)');
SELECT is_strict('retention_cond_combine', ARRAY['bytea', 'bytea'], 'retention_cond_combine is STRICT');
SELECT is_strict('retention_cond_final', ARRAY['bytea'], 'retention_cond_final is STRICT (no state: NULL)');
SELECT ok(EXISTS (SELECT 1 FROM pg_depend
                  WHERE classid = 'pg_proc'::regclass AND objid = 'retention(boolean[])'::regprocedure
                    AND refclassid = 'pg_extension'::regclass AND deptype = 'e'
                    AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'retention')),
          'retention(boolean[]) belongs to the extension');

SELECT * FROM finish();
ROLLBACK;
