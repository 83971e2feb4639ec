-- order_stats under parallel query and partitionwise aggregation.
--
-- A customer's rows (and an order key's lines) are spread over the whole table, so under
-- a parallel plan they land in the partial states of several processes, and under
-- partitionwise aggregation over a table hashed by row id in the partial states of several
-- partitions. For each query: the plan really has partial aggregates (EXPLAIN ANALYZE,
-- workers launched), its result (every accessor and the summary's text form) equals the
-- serial plan's, and every accessor equals the plain-SQL formulation.
--
-- The results of the parallel plans are kept with CREATE TABLE AS (which may use a
-- parallel plan) and not read through a cursor: queries run through cursors, as pgTAP's
-- results_eq runs them, never get parallel plans. The tables are ordinary tables, created
-- in this transaction: temporary tables cannot be read by parallel workers.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(79);

SET LOCAL TimeZone = 'America/New_York';
CREATE SCHEMA tap_parallel;
SET LOCAL search_path = tap_parallel, public;

------------------------------------------------------------------------------------------
-- Data: 120,000 orders of ~20,000 customers in random physical order; order keys of 1 to
-- 5 lines whose lines lie far apart in the table and up to 3 days apart in time.
------------------------------------------------------------------------------------------
CREATE TABLE po (id int, seg int, mon date, c_int int, c_text text, c_uuid uuid,
                 t_tz timestamptz, t_ts timestamp, t_d date, a numeric,
                 k_int int8, k_text text, k_uuid uuid);
DO $do$
BEGIN
    PERFORM setseed(0.2024);
    INSERT INTO po
    SELECT id, id % 5, date_trunc('month', t AT TIME ZONE 'UTC')::date,
           c, CASE WHEN c IS NULL THEN NULL ELSE 'customer ' || c END, md5('c' || c)::uuid,
           t, t AT TIME ZONE 'UTC', (t AT TIME ZONE 'UTC')::date, a,
           k, 'order-' || k, md5('k' || k)::uuid
    FROM (SELECT id,
                 CASE WHEN random() < 0.01 THEN NULL ELSE floor(random() * 20000)::int END AS c,
                 CASE WHEN random() < 0.005 THEN NULL
                      ELSE timestamptz '2019-01-01 00:00:00+00'
                           + floor(random() * 86400 * 1000) * interval '1 second' END AS t,
                 (ARRAY[10, 10.5, 0.333, 1e-6, 123456789012.34, -7.25, 0, NULL,
                        round((random() * 300)::numeric, 2)])[1 + floor(random() * 9)::int] AS a,
                 floor(random() * 40000)::int8 AS k
          FROM generate_series(1, 120000) id) x
    -- (not ORDER BY random(): the planner would compute every random() of the row as that
    -- one sort key, and all columns would be functions of it)
    ORDER BY md5(id::text);
END
$do$;
-- lines variant: an order key's lines share the customer of its first line (mostly)
CREATE TABLE pl AS
SELECT po.id, po.seg, po.mon,
       -- every 50th line keeps its own customer: order keys with two customers
       CASE WHEN po.id % 50 = 0 THEN po.c_int ELSE coalesce(f.c_int, po.c_int) END AS c_int,
       CASE WHEN po.id % 50 = 0 THEN po.c_text ELSE coalesce(f.c_text, po.c_text) END AS c_text,
       po.t_tz, po.t_ts, po.t_d, po.a, po.k_int, po.k_text, po.k_uuid
FROM po LEFT JOIN (SELECT DISTINCT ON (k_int) k_int, c_int, c_text FROM po
                   WHERE id % 50 <> 0 ORDER BY k_int, id) f USING (k_int);
ALTER TABLE po SET (parallel_workers = 2);
ALTER TABLE pl SET (parallel_workers = 2);
ANALYZE po;
ANALYZE pl;

-- hash partitions by row id: every customer has rows in every partition
CREATE TABLE pp (LIKE pl) PARTITION BY HASH (id);
CREATE TABLE pp_0 PARTITION OF pp FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE pp_1 PARTITION OF pp FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE pp_2 PARTITION OF pp FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE pp_3 PARTITION OF pp FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO pp SELECT * FROM pl;
ANALYZE pp;

SELECT ok((SELECT corr(k_int, c_int) BETWEEN -0.05 AND 0.05 AND corr(k_int, id) BETWEEN -0.05 AND 0.05
           FROM po), 'order keys, customers and row ids are independent');
SELECT ok((SELECT count(*) FILTER (WHERE spread > 0.5 * (SELECT relpages FROM pg_class WHERE oid = 'pl'::regclass))
                  > 0.5 * count(*)
           FROM (SELECT c_int, max((ctid::text::point)[0]) - min((ctid::text::point)[0]) AS spread
                 FROM pl WHERE c_int IS NOT NULL GROUP BY c_int HAVING count(*) >= 3) x),
          'most customers with 3+ rows have rows more than half the table apart (parallel workers split them)');
SELECT ok((SELECT count(*) FILTER (WHERE spread > 0.3 * (SELECT relpages FROM pg_class WHERE oid = 'pl'::regclass))
                  > 0.5 * count(*)
           FROM (SELECT k_int, max((ctid::text::point)[0]) - min((ctid::text::point)[0]) AS spread
                 FROM pl GROUP BY k_int HAVING count(*) >= 2) x),
          'most order keys with 2+ lines have lines far apart in the table');
SELECT ok((SELECT count(*) FROM (SELECT c_int FROM pp GROUP BY c_int
                                 HAVING count(DISTINCT tableoid) = 4) x) > 1000,
          'many customers have rows in all 4 partitions');
SELECT ok((SELECT count(*) FROM (SELECT k_int FROM pp GROUP BY k_int
                                 HAVING count(DISTINCT tableoid) >= 2) x) > 1000,
          'many order keys have lines in 2+ partitions');
SELECT ok((SELECT count(*) FROM (SELECT k_int FROM pp GROUP BY k_int
                                 HAVING count(DISTINCT c_int) >= 2) x) > 500,
          'many order keys have two customers');

------------------------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------------------------

-- q_ext (the extension's query, every accessor), q_sql (the same in plain SQL),
-- accessor_list and explain_analyze, created in tap_parallel
\ir lib/reference.psql

-- Plan settings, transaction-local.
CREATE FUNCTION use_plan(mode text) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM set_config('parallel_leader_participation', 'on', true);
    IF mode = 'serial' THEN
        PERFORM set_config('max_parallel_workers_per_gather', '0', true);
        PERFORM set_config('enable_partitionwise_aggregate', 'off', true);
        RETURN;
    END IF;
    PERFORM set_config('parallel_setup_cost', '0', true);
    PERFORM set_config('parallel_tuple_cost', '0', true);
    PERFORM set_config('min_parallel_table_scan_size', '0', true);
    PERFORM set_config('max_parallel_workers_per_gather',
                       CASE WHEN mode LIKE '%parallel%' THEN '2' ELSE '0' END, true);
    PERFORM set_config('enable_partitionwise_aggregate',
                       CASE WHEN mode LIKE '%partitionwise%' THEN 'on' ELSE 'off' END, true);
    IF mode LIKE '%no leader%' THEN
        PERFORM set_config('parallel_leader_participation', 'off', true);
    END IF;
END
$f$;

-- One case: the query under plan `mode` (plan checked), under the serial plan, and in
-- plain SQL; three tests.
CREATE FUNCTION check_plan(label text, mode text, rel text, cexpr text, texpr text, texpr_sql text,
                           kexpr text, gexpr text, filter text DEFAULT 'true')
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    q text := q_ext(rel, cexpr, texpr, 'a', kexpr, gexpr, filter, state_text => true);
    plan_text text;
BEGIN
    DROP TABLE IF EXISTS res_plan, res_serial;

    PERFORM use_plan(mode);
    plan_text := explain_analyze('CREATE TABLE res_plan AS ' || q);
    RETURN NEXT ok(plan_text ~ 'Partial \w*Aggregate'
                   AND (mode NOT LIKE '%parallel%' OR plan_text ~ 'Workers Launched: [1-9]')
                   AND (mode NOT LIKE '%partitionwise%' OR plan_text ~ 'Append'),
                   format('%s: %s plan with partial aggregates', label, mode));
    IF NOT plan_text ~ 'Partial \w*Aggregate' THEN
        RETURN NEXT diag(plan_text);
    END IF;

    PERFORM use_plan('serial');
    plan_text := explain_analyze('CREATE TABLE res_serial AS ' || q);
    IF plan_text ~ 'Partial|Gather' THEN
        RETURN NEXT diag('serial plan is not serial: ' || plan_text);
    END IF;

    RETURN NEXT results_eq('SELECT * FROM res_plan ORDER BY g', 'SELECT * FROM res_serial ORDER BY g',
                           format('%s: %s result (accessors and s::text) = serial result', label, mode));
    -- the accessors only (the plain SQL has no summary to show as text)
    ALTER TABLE res_plan DROP COLUMN state_text;
    RETURN NEXT results_eq('SELECT * FROM res_plan ORDER BY g',
                           q_sql(rel, cexpr, texpr_sql, 'a', kexpr, gexpr, filter),
                           format('%s: %s result = plain SQL', label, mode));
END
$f$;

------------------------------------------------------------------------------------------
-- Parallel aggregation
------------------------------------------------------------------------------------------
SELECT check_plan('orders, int customers, timestamptz', 'parallel', 'po', 'c_int', 't_tz', 't_tz', NULL, NULL);
SELECT check_plan('orders, text customers, timestamp', 'parallel', 'po', 'c_text', 't_ts', 't_ts', NULL, NULL);
SELECT check_plan('orders, uuid customers, date', 'parallel', 'po', 'c_uuid', 't_d', 't_d::timestamp', NULL, NULL);
SELECT check_plan('orders, GROUP BY segment', 'parallel', 'po', 'c_int', 't_tz', 't_tz', NULL, 'seg');
SELECT check_plan('orders, GROUP BY month', 'parallel', 'po', 'c_text', 't_ts', 't_ts', NULL,
                  'mon');
SELECT check_plan('orders, int customers', 'parallel, no leader', 'po', 'c_int', 't_tz', 't_tz', NULL, NULL);
SELECT check_plan('lines, int customers, int8 keys', 'parallel', 'pl', 'c_int', 't_tz', 't_tz', 'k_int', NULL);
SELECT check_plan('lines, text customers, text keys', 'parallel', 'pl', 'c_text', 't_ts', 't_ts', 'k_text', NULL);
SELECT check_plan('lines, int customers, uuid keys, date', 'parallel', 'pl', 'c_int', 't_d', 't_d::timestamp', 'k_uuid', NULL);
SELECT check_plan('lines, GROUP BY segment', 'parallel', 'pl', 'c_int', 't_tz', 't_tz', 'k_int', 'seg');
-- every partial state empty (NULL): the final result is still the zero summary
SELECT check_plan('orders, no row passes the filter', 'parallel', 'po', 'c_int', 't_tz', 't_tz', NULL, NULL,
                  'id + 0 < 0');
SELECT check_plan('lines, no row passes the filter', 'parallel', 'pl', 'c_text', 't_tz', 't_tz', 'k_text', NULL,
                  'id + 0 < 0');
-- 3 rows pass: most participants have no row, their NULL states meet non-empty ones
SELECT check_plan('orders, 3 rows pass the filter', 'parallel', 'po', 'c_int', 't_tz', 't_tz', NULL, NULL,
                  'id % 40000 = 0');
SELECT check_plan('lines, 3 rows pass the filter, GROUP BY segment', 'parallel', 'pl', 'c_text', 't_ts', 't_ts',
                  'k_int', 'seg', 'id % 40000 = 0');

------------------------------------------------------------------------------------------
-- Partitionwise aggregation (partitions by row id, not by customer)
------------------------------------------------------------------------------------------
SELECT check_plan('partitioned, orders', 'partitionwise', 'pp', 'c_int', 't_tz', 't_tz', NULL, NULL);
SELECT check_plan('partitioned, orders, text', 'partitionwise', 'pp', 'c_text', 't_ts', 't_ts', NULL, NULL);
SELECT check_plan('partitioned, orders, GROUP BY segment', 'partitionwise', 'pp', 'c_int', 't_tz', 't_tz', NULL, 'seg');
SELECT check_plan('partitioned, lines', 'partitionwise', 'pp', 'c_int', 't_tz', 't_tz', 'k_int', NULL);
SELECT check_plan('partitioned, lines, GROUP BY segment', 'partitionwise', 'pp', 'c_text', 't_d', 't_d::timestamp',
                  'k_uuid', 'seg');
SELECT check_plan('partitioned, lines, GROUP BY month', 'partitionwise', 'pp', 'c_int', 't_ts', 't_ts',
                  'k_text', 'mon');
SELECT check_plan('partitioned, orders', 'partitionwise, parallel', 'pp', 'c_int', 't_tz', 't_tz', NULL, NULL);
SELECT check_plan('partitioned, lines, GROUP BY segment', 'partitionwise, parallel', 'pp', 'c_int', 't_tz', 't_tz',
                  'k_int', 'seg');

------------------------------------------------------------------------------------------
-- Partial states moved between nodes, as Citus does: per-shard transition states, sent as
-- text or in binary (COPY BINARY uses the types' send/receive functions), merged with the
-- combine function in any order, NULL states among them.
------------------------------------------------------------------------------------------
SELECT use_plan('serial');
CREATE AGGREGATE tap_partial(anyelement, timestamptz, numeric)
    (SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE tap_partial(anyelement, timestamptz, numeric, anycompatible)
    (SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE tap_merge(order_stats_state)
    (SFUNC = order_stats_combine, STYPE = order_stats_state, FINALFUNC = order_stats_final);

CREATE TABLE shard_states AS
SELECT id % 4 AS shard, tap_partial(c_int, t_tz, a) AS st_orders, tap_partial(c_text, t_tz, a, k_int) AS st_lines
FROM pl GROUP BY 1;
CREATE TABLE serial_summary AS
SELECT order_stats(c_int, t_tz, a) AS s_orders, order_stats(c_text, t_tz, a, k_int) AS s_lines FROM pl;

SELECT results_eq(
    $$SELECT tap_merge(st_orders::text::order_stats_state ORDER BY shard)::text FROM shard_states$$,
    $$SELECT s_orders::text FROM serial_summary$$,
    'orders: 4 shard states through text, merged = serial summary');
SELECT results_eq(
    $$SELECT tap_merge(st_lines::text::order_stats_state ORDER BY shard DESC)::text FROM shard_states$$,
    $$SELECT s_lines::text FROM serial_summary$$,
    'lines: 4 shard states through text, merged in reverse order = serial summary');
SELECT results_eq(
    $$SELECT tap_merge(st ORDER BY o)::text
      FROM (SELECT 2 * shard AS o, st_orders AS st FROM shard_states
            UNION ALL SELECT 3, NULL UNION ALL SELECT -1, NULL UNION ALL SELECT 100, NULL) x$$,
    $$SELECT s_orders::text FROM serial_summary$$,
    'orders: NULL partial states among the shard states change nothing');
SELECT results_eq(
    $$SELECT customers(s), orders(s), repeat_customers(s), revenue(s), first_order_at(s), ignored_rows(s)
      FROM (SELECT tap_merge(st) AS s FROM (VALUES (NULL::order_stats_state), (NULL)) v(st)) q$$,
    $$VALUES (0::int8, 0::int8, 0::int8, NULL::numeric, NULL::timestamptz, 0::int8)$$,
    'only NULL partial states: the zero summary');
SELECT results_eq(
    format('SELECT 0, %s FROM (SELECT tap_merge(st_lines::text::order_stats_state) AS s FROM shard_states) q',
           accessor_list()),
    q_sql('pl', 'c_text', 't_tz', 'a', 'k_int', NULL),
    'lines: accessors of the merged shard states = plain SQL');

-- binary: through COPY BINARY (a client-side file)
\set tap_bin_file `mktemp`
SELECT format('\copy (SELECT shard, st_orders, st_lines FROM shard_states) TO %L WITH (FORMAT binary)',
              :'tap_bin_file') AS copy_out,
       format('\copy shard_states_bin FROM %L WITH (FORMAT binary)', :'tap_bin_file') AS copy_in \gset
:copy_out
CREATE TABLE shard_states_bin (LIKE shard_states);
:copy_in
SELECT format('\copy (SELECT s_orders, s_lines FROM serial_summary) TO %L WITH (FORMAT binary)',
              :'tap_bin_file') AS copy_out,
       format('\copy serial_summary_bin FROM %L WITH (FORMAT binary)', :'tap_bin_file') AS copy_in \gset
:copy_out
CREATE TABLE serial_summary_bin (LIKE serial_summary);
:copy_in
\set tap_rm `rm -f :'tap_bin_file'`

SELECT results_eq(
    $$SELECT tap_merge(st_orders ORDER BY shard)::text, tap_merge(st_lines ORDER BY shard)::text
      FROM shard_states_bin$$,
    $$SELECT s_orders::text, s_lines::text FROM serial_summary$$,
    'orders and lines: shard states through binary send/receive, merged = serial summary');
SELECT results_eq(
    $$SELECT s_orders::text, s_lines::text FROM serial_summary_bin$$,
    $$SELECT s_orders::text, s_lines::text FROM serial_summary$$,
    'order_stats through binary send/receive: unchanged');

SELECT * FROM finish();
ROLLBACK;
