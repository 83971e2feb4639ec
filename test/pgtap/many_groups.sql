-- Every aggregate under GROUP BY with many groups, in each plan PostgreSQL has for it,
-- equal to the sort-based plan (GroupAggregate), value for value as text.
--
-- 1.7 keeps the states of one aggregate context in one shared memory context instead of
-- one context per state (agg_state.c: hash aggregation walked the context tree for every
-- new group, so GROUP BY was quadratic). What that must not break, each plan resetting or
-- sharing the aggregate context differently:
--   hash:      HashAggregate, thousands of groups in one hash table;
--   spill:     HashAggregate over work_mem 64kB, so it spills and resets its hash context
--              between batches (the shared context goes with it and must be made anew);
--   sets:      GROUPING SETS sorted (one aggregate context per set, the rows alternate
--              between them) and hashed;
--   partial:   Partial HashAggregates over the partitions of a table, a Finalize
--              HashAggregate combining their states (in one process: the partial states
--              reach the combine function as pointers into the other aggregate's memory);
--   window:    the aggregate over a window partition, and over a moving frame, which
--              restarts the aggregate (and resets the shared context) on every row.
-- The reference is the same query with enable_hashagg = off (one group at a time, its
-- context reset between groups), or, for the windows, the GROUP BY / subquery form.
-- How it fails: the plans are checked to be the ones meant (a spill really spills), and
-- any state read after its memory went back, or two states sharing memory wrongly,
-- changes values (or crashes the backend, which fails every remaining test).

BEGIN;
SET LOCAL client_min_messages = error;
SELECT plan(9 * 5 + 4 + 4 + 2);

CREATE SCHEMA tap_many_groups;
SET LOCAL search_path = tap_many_groups, public;

CREATE FUNCTION hv(i int8, seed int8, m int8) RETURNS int8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT (hashint8extended(i, seed) & 9223372036854775807) % m
$f$;

-- 24,000 orders of 6,000 customers over two years; amounts with cents, some with 10
-- decimals (the exact slow path), NULL amounts; stored in hash order
CREATE TABLE o AS
SELECT 1 + hv(i, 1, 6000) AS customer,
       timestamptz '2023-01-01 00:00+00' + hv(i, 2, 730 * 24) * interval '1 hour' AS ordered_at,
       CASE WHEN hv(i, 3, 50) = 0 THEN NULL
            WHEN hv(i, 3, 50) = 1 THEN round(hv(i, 4, 100000) / 1e6, 10) + 1e-10
            ELSE hv(i, 4, 50000) / 100.0 END AS amount,
       i AS k
FROM generate_series(1, 24000) i ORDER BY hashint8(i);
ALTER TABLE o ADD COLUMN seg int;
UPDATE o SET seg = customer % 97;
ANALYZE o;
-- the same rows in four partitions by k
CREATE TABLE op (LIKE o) PARTITION BY RANGE (k);
CREATE TABLE op1 PARTITION OF op FOR VALUES FROM (1) TO (6001);
CREATE TABLE op2 PARTITION OF op FOR VALUES FROM (6001) TO (12001);
CREATE TABLE op3 PARTITION OF op FOR VALUES FROM (12001) TO (18001);
CREATE TABLE op4 PARTITION OF op FOR VALUES FROM (18001) TO (24001);
INSERT INTO op SELECT * FROM o;
ANALYZE op;

-- The aggregates, each as an expression over o's columns.
CREATE TABLE aggs (name text PRIMARY KEY, expr text);
INSERT INTO aggs VALUES
    ('order_stats', 'order_stats(customer, ordered_at, amount)'),
    ('cohort_agg', 'cohort_agg(customer, ordered_at, ''month'', amount)'),
    ('revenue_agg', 'revenue_agg(customer, ordered_at, ''month'', amount)'),
    ('rfm', 'rfm(ordered_at, amount, timestamptz ''2025-01-01'')'),
    ('rfm_holdout', 'rfm_holdout(ordered_at, amount, timestamptz ''2024-06-30'', timestamptz ''2025-01-01'')'),
    ('bgnbd_fit', 'bgnbd_fit((customer % 4)::int, (customer % 4) * 3.0, 20.0 + k % 3)'),
    ('retention', 'retention(ordered_at < ''2024-01-01'', ordered_at >= ''2024-01-01'')'),
    ('retention_agg', 'retention_agg(customer, ordered_at, ''month'', amount > 100, true, amount)'),
    ('funnel_agg', 'funnel_agg(CASE WHEN k % 50 = 0 THEN NULL ELSE (k % 5)::int END, 4)');

-- q under the settings given (name=value, ...), as rows of text
CREATE FUNCTION run(settings text, q text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    s text;
    saved text[] := '{}';
BEGIN
    FOREACH s IN ARRAY string_to_array(settings, ',') LOOP
        saved := saved || format('%s=%s', split_part(s, '=', 1), current_setting(split_part(s, '=', 1)));
        PERFORM set_config(split_part(s, '=', 1), split_part(s, '=', 2), true);
    END LOOP;
    RETURN QUERY EXECUTE format('SELECT x::text FROM (%s) x', q);
    FOREACH s IN ARRAY saved LOOP
        PERFORM set_config(split_part(s, '=', 1), split_part(s, '=', 2), true);
    END LOOP;
END $f$;

-- the top plan nodes of q under the settings, as text
CREATE FUNCTION plan_under(settings text, q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    s text;
    line text;
    result text := '';
BEGIN
    FOREACH s IN ARRAY string_to_array(settings, ',') LOOP
        PERFORM set_config(split_part(s, '=', 1), split_part(s, '=', 2), true);
    END LOOP;
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        result := result || line || E'\n';
    END LOOP;
    PERFORM set_config('work_mem', '64MB', true), set_config('enable_hashagg', 'on', true),
            set_config('enable_sort', 'on', true), set_config('enable_partitionwise_aggregate', 'off', true);
    RETURN result;
END $f$;

SET LOCAL work_mem = '64MB';
SET LOCAL max_parallel_workers_per_gather = 0;

CREATE TEMP TABLE q_text (name text, shape text, q text, settings text, ref text, ref_settings text);
INSERT INTO q_text
SELECT a.name, s.shape, replace(s.q, '@AGG', a.expr), s.settings, replace(coalesce(s.ref, s.q), '@AGG', a.expr), s.ref_settings
FROM aggs a, (VALUES
    ('hash, GROUP BY customer % 997',
     'SELECT customer % 997 AS g, @AGG AS v FROM o GROUP BY 1 ORDER BY 1', 'enable_sort=off', NULL,
     'enable_hashagg=off'),
    ('hash, GROUP BY customer (6,000 groups)',
     'SELECT customer AS g, @AGG AS v FROM o GROUP BY 1 ORDER BY 1', 'enable_sort=off', NULL,
     'enable_hashagg=off'),
    ('hash spilling (work_mem 64kB), GROUP BY customer',
     'SELECT customer AS g, @AGG AS v FROM o GROUP BY 1 ORDER BY 1', 'enable_sort=off,work_mem=64kB,hash_mem_multiplier=1', NULL,
     'enable_hashagg=off'),
    ('GROUPING SETS (customer % 7, customer % 11, ()), sorted and hashed',
     'SELECT customer % 7 AS a, customer % 11 AS b, @AGG AS v FROM o GROUP BY GROUPING SETS ((customer % 7), (customer % 11), ()) ORDER BY 1, 2',
     'enable_hashagg=off',
     'SELECT customer % 7 AS a, customer % 11 AS b, @AGG AS v FROM o GROUP BY GROUPING SETS ((customer % 7), (customer % 11), ()) ORDER BY 1, 2',
     'enable_sort=off'),
    ('partial hash aggregates per partition, combined, GROUP BY a column of 97 values',
     'SELECT seg AS g, @AGG AS v FROM op GROUP BY 1 ORDER BY 1',
     'enable_partitionwise_aggregate=on,enable_sort=off',
     'SELECT seg AS g, @AGG AS v FROM o GROUP BY 1 ORDER BY 1', 'enable_hashagg=off')) AS s(shape, q, settings, ref, ref_settings);

SELECT results_eq(format('SELECT * FROM run(%L, %L)', settings, q),
                  format('SELECT * FROM run(%L, %L)', ref_settings, ref),
                  format('%s: %s equal to the reference plan', name, shape))
FROM q_text ORDER BY name, shape;

-- the plans are the ones meant
SELECT ok(plan_under('enable_sort=off,work_mem=64kB,hash_mem_multiplier=1',
                  'SELECT customer, order_stats(customer, ordered_at, amount) FROM o GROUP BY 1')
          ~ 'HashAggregate.*\n.*Batches: ([2-9]|\d\d+)',
          'the spill case really spills: HashAggregate with more than one batch');
SELECT ok(plan_under('enable_sort=off', 'SELECT customer, cohort_agg(customer, ordered_at, ''month'') FROM o GROUP BY 1')
          ~ 'HashAggregate.*\n.*Batches: 1 ', 'the hash case stays in memory');
SELECT ok(plan_under('enable_hashagg=off', 'SELECT customer % 7, customer % 11, order_stats(customer, ordered_at, amount) FROM o GROUP BY GROUPING SETS ((customer % 7), (customer % 11), ())')
          ~ 'GroupAggregate', 'the sorted grouping sets are a GroupAggregate');
SELECT ok(plan_under('enable_partitionwise_aggregate=on,enable_sort=off',
                  'SELECT seg, order_stats(customer, ordered_at, amount) FROM op GROUP BY 1')
          ~ 'Finalize HashAggregate(.|\n)*Partial HashAggregate', 'the partitioned case is a Finalize HashAggregate over Partial HashAggregates');

-- window aggregates: over a whole partition (one aggregate per partition, the shared
-- aggregate context of the WindowAgg), and over a moving frame of 4 rows, which restarts
-- the aggregate on every row (no inverse transition function)
SELECT results_eq(
    $$SELECT DISTINCT customer % 13, (order_stats(customer, ordered_at, amount) OVER (PARTITION BY customer % 13))::text,
                                     (cohort_agg(customer, ordered_at, 'month', amount) OVER (PARTITION BY customer % 13))::text
      FROM o ORDER BY 1$$,
    $$SELECT customer % 13, order_stats(customer, ordered_at, amount)::text, cohort_agg(customer, ordered_at, 'month', amount)::text
      FROM o GROUP BY 1 ORDER BY 1$$,
    'order_stats and cohort_agg over window partitions equal GROUP BY');
SELECT results_eq(
    $$SELECT k, (order_stats(customer, ordered_at, amount) OVER w)::text, (cohort_agg(customer, ordered_at, 'month', amount) OVER w)::text
      FROM o WHERE k <= 3000 WINDOW w AS (PARTITION BY customer % 13 ORDER BY k ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)
      ORDER BY k$$,
    $$SELECT o1.k, (SELECT order_stats(customer, ordered_at, amount)::text FROM
                     (SELECT * FROM o o2 WHERE o2.customer % 13 = o1.customer % 13 AND o2.k <= o1.k AND o2.k <= 3000
                      ORDER BY o2.k DESC LIMIT 4) f),
                   (SELECT cohort_agg(customer, ordered_at, 'month', amount)::text FROM
                     (SELECT * FROM o o2 WHERE o2.customer % 13 = o1.customer % 13 AND o2.k <= o1.k AND o2.k <= 3000
                      ORDER BY o2.k DESC LIMIT 4) f)
      FROM o o1 WHERE o1.k <= 3000 ORDER BY o1.k$$,
    'order_stats and cohort_agg over a moving frame (a restart per row) equal the aggregate of the same 4 rows');
SELECT results_eq(
    $$SELECT k, (rfm(ordered_at, amount, timestamptz '2025-01-01') OVER w)::text
      FROM o WHERE k <= 2000 WINDOW w AS (PARTITION BY customer % 5 ORDER BY k ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
      ORDER BY k$$,
    $$SELECT o1.k, (SELECT rfm(ordered_at, amount, timestamptz '2025-01-01')::text FROM
                     (SELECT * FROM o o2 WHERE o2.customer % 5 = o1.customer % 5 AND o2.k <= o1.k AND o2.k <= 2000
                      ORDER BY o2.k DESC LIMIT 3) f)
      FROM o o1 WHERE o1.k <= 2000 ORDER BY o1.k$$,
    'rfm over a moving frame equals the aggregate of the same 3 rows');
-- funnel_agg changes its state in place: over a moving frame (a restart per row) and over
-- a growing one (each row adds to the state the previous row's result was read from)
SELECT results_eq(
    $$SELECT k, (funnel_agg((k % 5)::int, 4) OVER w)::text
      FROM o WHERE k <= 2000 WINDOW w AS (PARTITION BY customer % 5 ORDER BY k ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
      ORDER BY k$$,
    $$SELECT o1.k, (SELECT funnel_agg((k % 5)::int, 4)::text FROM
                     (SELECT * FROM o o2 WHERE o2.customer % 5 = o1.customer % 5 AND o2.k <= o1.k AND o2.k <= 2000
                      ORDER BY o2.k DESC LIMIT 3) f)
      FROM o o1 WHERE o1.k <= 2000 ORDER BY o1.k$$,
    'funnel_agg over a moving frame equals the aggregate of the same 3 rows');
SELECT results_eq(
    $$SELECT k, (funnel_agg((k % 5)::int, 4) OVER (PARTITION BY customer % 5 ORDER BY k))::text
      FROM o WHERE k <= 1000 ORDER BY k$$,
    $$SELECT o1.k, (SELECT funnel_agg((k % 5)::int, 4)::text FROM o o2
                    WHERE o2.customer % 5 = o1.customer % 5 AND o2.k <= o1.k)
      FROM o o1 WHERE o1.k <= 1000 ORDER BY o1.k$$,
    'funnel_agg over a growing frame equals the aggregate of the rows so far');
-- two of our aggregates over two different windows of one WindowAgg, and under a
-- HashAggregate in the same query (two aggregate contexts alive at once)
SELECT results_eq(
    $$SELECT g, s::text, c::text FROM (
        SELECT customer % 97 AS g, order_stats(customer, ordered_at, amount) AS s,
               cohort_agg(customer, ordered_at, 'week') AS c FROM o GROUP BY 1) h
      JOIN (SELECT DISTINCT customer % 97 AS g2,
                   (order_stats(customer, ordered_at, amount) OVER (PARTITION BY customer % 97))::text AS s2
            FROM o) w ON w.g2 = h.g AND w.s2 = h.s::text
      ORDER BY 1$$,
    $$SELECT customer % 97, order_stats(customer, ordered_at, amount)::text, cohort_agg(customer, ordered_at, 'week')::text
      FROM o GROUP BY 1 ORDER BY 1$$,
    'a hash aggregate and a window aggregate of ours in one query');

SELECT * FROM finish();
ROLLBACK;
