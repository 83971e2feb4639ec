-- rfm_table(rfm_agg(...)) (1.7) held against rfm(...) GROUP BY customer and against the
-- independent plain SQL of lib/rfm_reference.psql, every column equal and monetary_value
-- also as text (its display scale):
--   * generated data (deterministic, hashint8extended): 3,000 customers of several shapes
--     (one-time buyers, a few orders, bursts of orders within a day, heavy repeaters with
--     hundreds of orders), NULL times and amounts, refunds, zeros, 10-decimal amounts,
--     sums beyond 64-bit units, NaN; times around New York's daylight-saving changes;
--     customers first buying after the end; the rows stored shuffled;
--   * every unit as the grain, each time type (timestamptz, timestamp, date), and the
--     grains read in coarser units (day -> week, month; hour -> day, week, month);
--   * each key type; serial, a forced parallel plan, partitionwise aggregation over
--     time-range partitions and UNION ALL (very different partial states) all equal;
--   * the fits over rfm_table's rows equal to the fits over rfm's rows;
--   * CDNOW and Online Retail from <retention_data> (the runner passes --set
--     retention_data=/abs/path/to/shared/data, or an empty string when the folder is
--     missing: then that part skips with one test).
\if :{?retention_data}
\else
\set retention_data ''
\endif
\set have_cd `test -n :'retention_data' && test -r :'retention_data'/cdnow/CDNOW_sample.txt && echo true || echo false`
\set have_or `test -n :'retention_data' && test -r :'retention_data'/online_retail/online_retail.csv.gz && echo true || echo false`

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(1 + 24 + 6 + 4 + 6 + 3 + CASE WHEN :'have_cd' THEN 2 ELSE 1 END + CASE WHEN :'have_or' THEN 2 ELSE 1 END);

CREATE SCHEMA tap_rfm_agg;
SET LOCAL search_path = tap_rfm_agg, public;
SET LOCAL TimeZone = 'America/New_York';

-- rfm_ext, rfm_sql (query texts), created in tap_rfm_agg
\ir lib/rfm_reference.psql

-- rfm_agg_rows(rel, texpr, until, grain, unit, key_type): the rows of rfm_table over
-- rfm_agg(customer, texpr, amount, grain) FROM rel, as rfm_ext gives them
CREATE FUNCTION rfm_agg_rows(rel text, texpr text, until text, grain text, unit text, key_type text DEFAULT 'int')
RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format($q$SELECT customer, frequency, recency, t, monetary_value, monetary_value::text AS monetary_text
                     FROM rfm_table((SELECT rfm_agg(customer, %s, amount, %L) FROM %s), %s, %L, NULL::%s)
                     ORDER BY customer$q$, texpr, grain, rel, until, unit, key_type)
$f$;

CREATE FUNCTION hv(i int8, seed int8, m int8) RETURNS int8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT (hashint8extended(i, seed) & 9223372036854775807) % m
$f$;

CREATE TABLE gen AS
WITH cust AS (
    SELECT c, CASE hv(c, 1, 10) WHEN 0 THEN 1 WHEN 1 THEN 1 WHEN 2 THEN 1 WHEN 3 THEN 1
                                WHEN 4 THEN 2 + hv(c, 2, 3) WHEN 5 THEN 2 + hv(c, 2, 3)
                                WHEN 6 THEN 5 + hv(c, 2, 20) WHEN 7 THEN 5 + hv(c, 2, 20)
                                WHEN 8 THEN 3 + hv(c, 2, 8)      -- a burst within a day
                                ELSE CASE WHEN hv(c, 3, 10) = 0 THEN 100 + hv(c, 2, 300) ELSE 25 + hv(c, 2, 40) END END AS n,
           hv(c, 4, 500 * 24 * 60) AS start_min,
           CASE hv(c, 1, 10) WHEN 8 THEN 1 + hv(c, 5, 18 * 60) ELSE 1 + hv(c, 5, 500 * 24 * 60) END AS span_min
    FROM generate_series(1, 3000) c),
o AS (SELECT c AS customer, i, c * 1000 + i AS k, start_min, span_min FROM cust, generate_series(1, n) i)
SELECT customer, i,
       CASE WHEN hv(k, 6, 60) = 0 THEN NULL
            WHEN hv(k, 7, 15) = 0 THEN ('{2023-03-12 06:30+00, 2023-03-12 07:30+00, 2023-11-05 05:30+00, 2023-11-05 06:30+00,
                                         2024-03-10 06:59:59+00, 2024-03-10 07:00+00, 2024-06-30 03:59:59+00, 2024-06-30 04:00+00,
                                         2024-07-01 03:59:59+00, 2024-07-01 04:00+00, 2023-12-31 23:59:59+00}'::timestamptz[])[1 + hv(k, 8, 11)]
            ELSE timestamptz '2023-01-01 00:00+00' + (start_min + hv(k, 9, span_min)) * interval '1 minute' END AS t,
       CASE WHEN hv(k, 10, 1000) < 30 THEN NULL
            WHEN hv(k, 10, 1000) < 60 THEN (-(1 + hv(k, 11, 5000)) / 100.0)::numeric(14, 2)
            WHEN hv(k, 10, 1000) < 70 THEN 0
            WHEN hv(k, 10, 1000) < 80 THEN (hv(k, 11, 100000) / 1000.0)::numeric(14, 3)
            WHEN hv(k, 10, 1000) < 85 THEN hv(k, 11, 1000) * 0.0000000001
            WHEN hv(k, 10, 1000) = 85 THEN 1e20 + hv(k, 11, 1000)
            WHEN hv(k, 10, 1000) < 90 THEN 50000000000 + hv(k, 11, 1000)
            WHEN hv(k, 10, 1000) = 90 AND customer % 5 = 0 THEN 'NaN'
            ELSE ((1 + hv(k, 11, 50000)) / 100.0)::numeric(14, 2) END AS amount
FROM o;
CREATE TABLE orders AS
SELECT customer, i, t, t AT TIME ZONE 'America/New_York' AS ts, (t AT TIME ZONE 'America/New_York')::date AS d, amount
FROM gen ORDER BY hv(customer * 1000 + i, 99, 1000000000);
ANALYZE orders;

SELECT ok((SELECT count(DISTINCT customer) = 3000 AND max(n) > 100 AND bool_or(first_after)
           FROM (SELECT customer, count(DISTINCT t::date) AS n, min(t) > '2024-06-30 12:00+00' AS first_after
                 FROM orders GROUP BY customer) x),
          'generated data: 3,000 customers, a heavy repeater on more than 100 days, customers first buying after the end');

-- every unit as the grain x each time type: against rfm and against the plain SQL (24)
CREATE FUNCTION check_grains() RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    u text;
    tt record;
BEGIN
    FOR tt IN SELECT * FROM (VALUES ('timestamptz', 't', 't', $$timestamptz '2024-06-30 12:00+00'$$, $$timestamptz '2024-06-30 12:00+00'$$),
                                    ('timestamp', 'ts', 'ts', $$timestamp '2024-06-30 08:00'$$, $$timestamp '2024-06-30 08:00'$$),
                                    ('date', 'd', 'd::timestamp', $$date '2024-06-30'$$, $$date '2024-06-30'::timestamp$$)) v(name, texpr, sql_texpr, until, sql_until)
    LOOP
        FOREACH u IN ARRAY ARRAY['day', 'week', 'month', 'hour'] LOOP
            RETURN NEXT results_eq(rfm_agg_rows('orders', tt.texpr, tt.until, u, u),
                                   rfm_ext('orders', tt.texpr, 'amount', tt.until, u),
                                   format('%s, %s: rfm_table(rfm_agg) = rfm GROUP BY customer', tt.name, u));
            RETURN NEXT results_eq(rfm_agg_rows('orders', tt.texpr, tt.until, u, u),
                                   rfm_sql('orders', tt.sql_texpr, 'amount', tt.sql_until, u),
                                   format('%s, %s: rfm_table(rfm_agg) = plain SQL', tt.name, u));
        END LOOP;
    END LOOP;
END
$f$;
SELECT check_grains();

-- grains read in coarser units (6)
SELECT results_eq(rfm_agg_rows('orders', 't', $$timestamptz '2024-06-30 12:00+00'$$, g, u),
                  rfm_ext('orders', 't', 'amount', $$timestamptz '2024-06-30 12:00+00'$$, u),
                  format('timestamptz, %s read in %ss = rfm in %ss', g, u, u))
FROM (VALUES ('day', 'week'), ('day', 'month'), ('hour', 'day'), ('hour', 'week'), ('hour', 'month')) v(g, u);
SELECT results_eq(rfm_agg_rows('orders', 'd', $$date '2024-06-30'$$, 'day', 'month'),
                  rfm_ext('orders', 'd', 'amount', $$date '2024-06-30'$$, 'month'),
                  'date, day read in months = rfm in months');

-- key types (4): the same customers as text, uuid, smallint, bigint
CREATE VIEW orders_keys AS
SELECT customer, 'customer-' || lpad(customer::text, 12, '0') AS text_key,
       ('00000000-0000-4000-8000-' || lpad(customer::text, 12, '0'))::uuid AS uuid_key,
       customer::smallint AS small_key, customer::bigint * 1000000007 AS big_key, t, amount
FROM orders;
SELECT results_eq(format($q$SELECT customer, frequency, recency, t, monetary_value::text
                            FROM rfm_table((SELECT rfm_agg(%s, t, amount) FROM orders_keys), timestamptz '2024-06-30 12:00+00', NULL::%s)
                            ORDER BY customer$q$, k, typ),
                  format($q$SELECT customer, (r).frequency, (r).recency, (r).t, (r).monetary_value::text
                            FROM (SELECT %s AS customer, rfm(t, amount, timestamptz '2024-06-30 12:00+00') AS r FROM orders_keys GROUP BY 1) q
                            WHERE r IS NOT NULL ORDER BY customer$q$, k),
                  format('%s keys: rfm_table(rfm_agg) = rfm GROUP BY customer', typ))
FROM (VALUES ('text_key', 'text'), ('uuid_key', 'uuid'), ('small_key', 'smallint'), ('big_key', 'bigint')) v(k, typ);

-- serial, parallel, partitionwise, UNION ALL (6). results_eq reads its queries through
-- cursors, which never run in parallel: the parallel results are materialized first.
CREATE TABLE serial_result AS
SELECT * FROM rfm_table((SELECT rfm_agg(customer, t, amount, 'hour') FROM orders), timestamptz '2024-06-30 12:00+00', 'day', NULL::int);
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
\ir lib/plan_of.psql
SELECT ok(plan_of('SELECT rfm_agg(customer, t, amount) FROM orders') LIKE '%Partial Aggregate%Parallel Seq Scan%',
          'forced parallel: partial rfm_agg states in the workers');
CREATE TABLE parallel_result AS
SELECT * FROM rfm_table((SELECT rfm_agg(customer, t, amount, 'hour') FROM orders), timestamptz '2024-06-30 12:00+00', 'day', NULL::int);
SELECT results_eq('SELECT * FROM parallel_result ORDER BY customer', 'SELECT * FROM serial_result ORDER BY customer',
                  'forced parallel = serial');
RESET parallel_leader_participation;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TABLE orders_part (customer int, t timestamptz, amount numeric) PARTITION BY RANGE (t);
CREATE TABLE orders_part_a PARTITION OF orders_part FOR VALUES FROM (MINVALUE) TO ('2023-06-01');
CREATE TABLE orders_part_b PARTITION OF orders_part FOR VALUES FROM ('2023-06-01') TO ('2024-01-01');
CREATE TABLE orders_part_c PARTITION OF orders_part FOR VALUES FROM ('2024-01-01') TO (MAXVALUE);
CREATE TABLE orders_part_n PARTITION OF orders_part DEFAULT;
INSERT INTO orders_part SELECT customer, t, amount FROM orders;
ANALYZE orders_part;
SET LOCAL enable_partitionwise_aggregate = on;
SELECT ok(plan_of('SELECT rfm_agg(customer, t, amount) FROM orders_part') LIKE '%Finalize Aggregate%Partial Aggregate%Partial Aggregate%',
          'partitionwise: one partial rfm_agg state per partition');
CREATE TABLE partitionwise_result AS
SELECT * FROM rfm_table((SELECT rfm_agg(customer, t, amount, 'hour') FROM orders_part), timestamptz '2024-06-30 12:00+00', 'day', NULL::int);
SELECT results_eq('SELECT * FROM partitionwise_result ORDER BY customer', 'SELECT * FROM serial_result ORDER BY customer',
                  'partitionwise over time ranges = serial');
SELECT results_eq($$SELECT * FROM rfm_table((SELECT rfm_agg(customer, t, amount, 'hour') FROM
                                              (SELECT * FROM orders_part_c UNION ALL SELECT * FROM orders_part_n
                                               UNION ALL SELECT * FROM orders_part_a UNION ALL SELECT * FROM orders_part_b) u),
                                             timestamptz '2024-06-30 12:00+00', 'day', NULL::int) ORDER BY customer$$,
                  'SELECT * FROM serial_result ORDER BY customer',
                  'UNION ALL of the partitions, newest first = serial');
SELECT results_eq($$SELECT * FROM rfm_table((SELECT rfm_agg_combine(rfm_agg_combine(a.s, b.s), rfm_agg_combine(c.s, n.s))
                                              FROM (SELECT rfm_agg(customer, t, amount, 'hour') s FROM orders_part_a) a,
                                                   (SELECT rfm_agg(customer, t, amount, 'hour') s FROM orders_part_b) b,
                                                   (SELECT rfm_agg(customer, t, amount, 'hour') s FROM orders_part_c) c,
                                                   (SELECT rfm_agg(customer, t, amount, 'hour') s FROM orders_part_n) n),
                                             timestamptz '2024-06-30 12:00+00', 'day', NULL::int) ORDER BY customer$$,
                  'SELECT * FROM serial_result ORDER BY customer',
                  'per-partition summaries combined (rfm_agg_combine) = serial');

-- the fits over rfm_table's rows (3)
CREATE TABLE ours AS
SELECT * FROM rfm_table((SELECT rfm_agg(customer, t, amount) FROM orders WHERE amount <> 'NaN' AND abs(amount) < 1e9),
                        timestamptz '2024-06-30 12:00+00', 'week', NULL::int);
CREATE TABLE theirs AS
SELECT customer, (r).* FROM (SELECT customer, rfm(t, amount, timestamptz '2024-06-30 12:00+00', 'week') AS r
                             FROM orders WHERE amount <> 'NaN' AND abs(amount) < 1e9 GROUP BY customer) q WHERE r IS NOT NULL;
SELECT is((SELECT bgnbd_fit(frequency, recency, t)::text FROM ours), (SELECT bgnbd_fit(frequency, recency, t)::text FROM theirs),
          'bgnbd_fit(frequency, recency, t) FROM rfm_table(...) = over rfm''s rows');
SELECT is((SELECT pareto_nbd_fit(frequency, recency, t)::text FROM ours), (SELECT pareto_nbd_fit(frequency, recency, t)::text FROM theirs),
          'pareto_nbd_fit over rfm_table = over rfm''s rows');
SELECT is((SELECT gamma_gamma_fit(frequency, monetary_value)::text FROM ours WHERE monetary_value > 0),
          (SELECT gamma_gamma_fit(frequency, monetary_value)::text FROM theirs WHERE monetary_value > 0),
          'gamma_gamma_fit over rfm_table = over rfm''s rows');

-- the shared data sets
SET LOCAL TimeZone = 'UTC';
\if :have_cd
CREATE TABLE cdnow_file (line text);
SELECT format('\copy cdnow_file from %L', :'retention_data' || '/cdnow/CDNOW_sample.txt') AS copy_command \gset
:copy_command
CREATE TABLE cdnow AS
SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS ordered_on, f[5]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r\t'), '\s+') AS f FROM cdnow_file WHERE btrim(line, E' \r\t') <> '') x;
SELECT results_eq(rfm_agg_rows('cdnow', 'ordered_on', $$date '1997-09-30'$$, 'day', 'day'),
                  rfm_ext('cdnow', 'ordered_on', 'amount', $$date '1997-09-30'$$, 'day'),
                  'CDNOW sample, calibration to 1997-09-30, days: rfm_table(rfm_agg) = rfm GROUP BY customer');
SELECT results_eq(rfm_agg_rows('cdnow', 'ordered_on', $$date '1998-06-30'$$, 'day', 'week'),
                  rfm_ext('cdnow', 'ordered_on', 'amount', $$date '1998-06-30'$$, 'week'),
                  'CDNOW sample, to 1998-06-30, days read in weeks = rfm in weeks');
\else
SELECT skip('CDNOW sample missing (retention_data has no cdnow/CDNOW_sample.txt)', 1);
\endif
\if :have_or
\ir lib/online_retail_load.psql
SELECT results_eq(rfm_agg_rows('invoices', 'invoiced_at', $$timestamp '2011-09-30 23:59'$$, 'hour', 'day'),
                  rfm_ext('invoices', 'invoiced_at', 'amount', $$timestamp '2011-09-30 23:59'$$, 'day'),
                  'Online Retail invoices, hours read in days = rfm GROUP BY customer');
SELECT results_eq(rfm_agg_rows('invoices', 'invoiced_at', $$timestamp '2011-12-09 23:59'$$, 'day', 'month'),
                  rfm_ext('invoices', 'invoiced_at', 'amount', $$timestamp '2011-12-09 23:59'$$, 'month'),
                  'Online Retail invoices, days read in months = rfm GROUP BY customer');
\else
SELECT skip('Online Retail missing (retention_data has no online_retail/online_retail.csv.gz)', 1);
\endif

SELECT * FROM finish();
ROLLBACK;
