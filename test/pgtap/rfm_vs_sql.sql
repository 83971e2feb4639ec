-- rfm against an independent plain-SQL formulation (lib/rfm_reference.psql: the sketch of
-- doc/clv_math.md#conventions generalised to every unit) on generated data:
--   * 4,000 customers (deterministic, hashint8extended; no random()): 40% one order, 30%
--     two or three, 20% up to 20, 9% up to 100, 1% heavy repeaters with 200 to 600
--     orders; a tenth of them within three days (many orders in one period); 2% NULL
--     times; amounts NULL, refunds, zeros, 2 and 3 decimals, integers, 10 decimals (not
--     64-bit units), 1e20 and 5e10 (sums overflow 64-bit units), NaN and Infinity for a
--     few customers; instants at daylight-saving changes of New York and Bucharest, at
--     year, month and day boundaries in UTC and Kolkata, just before and after
--     observed_until; customers first buying after observed_until (NULL);
--     under the parallel plan every row goes through one of two workers' partial states;
--   * the rows stored in a shuffled order;
--   * for every unit (day, week, month, hour) and each input type (timestamptz,
--     timestamp, date), in two TimeZones (America/New_York, Asia/Kolkata), serial and
--     under a forced parallel plan: every column equal, monetary_value also as text (its
--     display scale);
--   * then rows fed in chosen orders (time, reversed, by amount), sort-based grouping,
--     and times spread over 1850 .. 2100 in zones with unusual rules (Lord Howe's
--     30-minute daylight saving, Dublin's negative one, Kathmandu's +05:45, Apia's
--     skipped day, St John's -03:30) for every unit.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(75);

CREATE SCHEMA tap_rfm;
SET LOCAL search_path = tap_rfm, public;

-- rfm_ext, rfm_sql (query texts), created in tap_rfm
\ir lib/rfm_reference.psql

-- A deterministic "random" integer in [0, m) for (i, seed).
CREATE FUNCTION hv(i int8, seed int8, m int8) RETURNS int8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT (hashint8extended(i, seed) & 9223372036854775807) % m
$f$;

-- numeric has infinities since PostgreSQL 14; on 13 those amounts are NaN
SELECT set_config('tap_rfm.infinity',
                  CASE WHEN current_setting('server_version_num')::int >= 140000 THEN 'Infinity' ELSE 'NaN' END,
                  true) AS numeric_infinity \gset

CREATE TABLE gen AS
WITH cust AS (
    SELECT c, CASE WHEN hv(c, 1, 100) < 40 THEN 1
                   WHEN hv(c, 1, 100) < 70 THEN 2 + hv(c, 2, 2)
                   WHEN hv(c, 1, 100) < 90 THEN 4 + hv(c, 2, 17)
                   WHEN hv(c, 1, 100) < 99 THEN 21 + hv(c, 2, 80)
                   ELSE 200 + hv(c, 2, 400) END AS n,
           hv(c, 3, 730 * 24 * 60) AS start_min,
           1 + CASE WHEN hv(c, 9, 10) = 0 THEN hv(c, 4, 3 * 24 * 60) ELSE hv(c, 4, 400 * 24 * 60) END AS span_min
    FROM generate_series(1, 4000) c),
o AS (
    SELECT c AS customer, i, c * 1000 + i AS k, start_min, span_min FROM cust, generate_series(1, n) i)
SELECT customer, i,
       CASE WHEN hv(k, 5, 50) = 0 THEN NULL
            WHEN hv(k, 6, 12) = 0 THEN ('{2023-03-12 06:30+00, 2023-03-12 07:30+00, 2023-11-05 05:30+00, 2023-11-05 06:30+00,
                                          2023-11-05 04:59:59+00, 2023-11-05 05:00+00, 2023-03-26 00:30+00, 2023-03-26 01:30+00,
                                          2023-10-29 00:30+00, 2023-10-29 01:30+00, 2023-12-31 23:59:59.999999+00,
                                          2024-01-01 00:00+00, 2023-12-31 18:29:59+00, 2023-12-31 18:30+00,
                                          2024-01-31 23:30+00, 2024-02-29 12:00+00, 2024-03-31 22:00+00,
                                          2024-06-30 23:59:59+00, 2024-07-01 00:00+00, 2024-06-30 03:59:59+00,
                                          2024-06-30 04:00+00, 2024-06-29 18:30+00, 2024-06-30 18:29:59+00}'::timestamptz[])[1 + hv(k, 10, 23)]
            ELSE timestamptz '2023-01-01 00:00+00' + (start_min + hv(k, 7, span_min)) * interval '1 minute'
                 + hv(k, 11, 60000000) * interval '1 microsecond' END AS t,
       CASE WHEN hv(k, 8, 1000) < 30 THEN NULL
            WHEN hv(k, 8, 1000) < 60 THEN (-(1 + hv(k, 12, 5000)) / 100.0)::numeric(14, 2)
            WHEN hv(k, 8, 1000) < 70 THEN 0
            WHEN hv(k, 8, 1000) < 80 THEN (hv(k, 12, 100000) / 1000.0)::numeric(14, 3)
            WHEN hv(k, 8, 1000) < 85 THEN hv(k, 12, 1000)::numeric
            WHEN hv(k, 8, 1000) < 87 THEN hv(k, 12, 1000) * 0.0000000001
            WHEN hv(k, 8, 1000) = 87 THEN 1e20 + hv(k, 12, 1000)
            WHEN hv(k, 8, 1000) < 92 THEN 50000000000 + hv(k, 12, 1000)
            WHEN hv(k, 8, 1000) = 92 AND customer % 5 = 0 THEN 'NaN'
            WHEN hv(k, 8, 1000) = 93 AND customer % 7 = 0 THEN current_setting('tap_rfm.infinity')::numeric
            ELSE ((1 + hv(k, 12, 50000)) / 100.0)::numeric(14, 2) END AS amount
FROM o;
-- shuffled; ts and d are the wall-clock time and date in UTC
CREATE TABLE orders AS
SELECT customer, i, t, t AT TIME ZONE 'UTC' AS ts, (t AT TIME ZONE 'UTC')::date AS d, amount
FROM gen ORDER BY hv(customer * 1000 + i, 99, 1000000000);
ANALYZE orders;

-- the data, as designed
SELECT results_eq($$SELECT count(*), count(DISTINCT customer), count(*) FILTER (WHERE t IS NULL) > 0,
                           count(*) FILTER (WHERE amount IS NULL) > 0, count(*) FILTER (WHERE amount < 0) > 0,
                           count(*) FILTER (WHERE amount = 'NaN') > 0, count(*) FILTER (WHERE amount = current_setting('tap_rfm.infinity')::numeric) > 0
                    FROM orders$$,
                  $$VALUES (47316::int8, 4000::int8, true, true, true, true, true)$$,
                  'generated data: 47,316 orders of 4,000 customers with NULL times and amounts, refunds, NaN, Infinity');
SELECT ok((SELECT max(n) FROM (SELECT count(DISTINCT t::date) AS n FROM orders GROUP BY customer) x) > 300,
          'a heavy repeater buys on more than 300 distinct days');
SELECT ok((SELECT count(*) FROM (SELECT customer FROM orders GROUP BY customer
                                 HAVING min(t) > '2024-06-30 12:00+00') x) > 100,
          'more than 100 customers first buy after observed_until');

-- check_units(label, texpr, sql_texpr, until, sql_until): one test per unit. results_eq
-- reads its queries through cursors, which PostgreSQL never runs in parallel, so the
-- extension's result is first materialized with CREATE TABLE AS (which may run in
-- parallel), then compared.
CREATE FUNCTION check_units(label text, texpr text, sql_texpr text, until text, sql_until text)
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    u text;
BEGIN
    FOREACH u IN ARRAY ARRAY['day', 'week', 'month', 'hour'] LOOP
        EXECUTE 'CREATE TEMP TABLE ext_result AS ' || rfm_ext('orders', texpr, 'amount', until, u);
        RETURN NEXT results_eq('SELECT * FROM ext_result ORDER BY customer',
                               rfm_sql('orders', sql_texpr, 'amount', sql_until, u),
                               format('%s, %s: rfm = plain SQL', label, u));
        DROP TABLE ext_result;
    END LOOP;
END
$f$;

-- every unit x input type x TimeZone, serial then parallel
CREATE FUNCTION check_all(label text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    z text;
BEGIN
    FOREACH z IN ARRAY ARRAY['America/New_York', 'Asia/Kolkata'] LOOP
        PERFORM set_config('TimeZone', z, true);
        RETURN QUERY SELECT check_units(format('%s, %s, timestamptz', label, z), 't', 't',
                                        $$timestamptz '2024-06-30 12:00:00+00'$$, $$timestamptz '2024-06-30 12:00:00+00'$$);
        RETURN QUERY SELECT check_units(format('%s, %s, timestamp', label, z), 'ts', 'ts',
                                        $$timestamp '2024-06-30 12:00'$$, $$timestamp '2024-06-30 12:00'$$);
        RETURN QUERY SELECT check_units(format('%s, %s, date', label, z), 'd', 'd::timestamp',
                                        $$date '2024-06-30'$$, $$date '2024-06-30'::timestamp$$);
    END LOOP;
END
$f$;

SELECT check_all('serial');

-- parallel: partial states in two workers, merged by the leader (which does not scan
-- itself: on a small table it would otherwise read most rows before the workers start)
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
\ir lib/plan_of.psql
SELECT matches(plan_of(rfm_ext('orders', 't', 'amount', $$timestamptz '2024-06-30 12:00:00+00'$$, 'week')),
               'Gather.*Partial (Hash|Group)Aggregate',
               'the parallel settings give a plan with partial aggregation under Gather');
SELECT matches(plan_of('CREATE TEMP TABLE ext_result AS ' ||
                       rfm_ext('orders', 't', 'amount', $$timestamptz '2024-06-30 12:00:00+00'$$, 'week'),
                       'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF'),
               'Workers Launched: 2.*Partial (Hash|Group)Aggregate',
               'CREATE TABLE AS of the rfm query runs it in two parallel workers');
DROP TABLE ext_result;
SELECT check_all('parallel');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- Rows fed in chosen orders (inside the aggregate call), and sort-based grouping
SET LOCAL TimeZone = 'America/New_York';
SELECT results_eq(rfm_ext('orders', 't', 'amount', $$timestamptz '2024-06-30 12:00:00+00'$$, o.u, o.ord),
                  rfm_sql('orders', 't', 'amount', $$timestamptz '2024-06-30 12:00:00+00'$$, o.u),
                  format('rows ordered by %s, %s: rfm = plain SQL', o.ord, o.u))
FROM (VALUES ('t', 'day'), ('t DESC', 'day'), ('t DESC', 'hour'), ('amount, t', 'week'),
             ('hv(i, 5, 7), t DESC', 'month'), ('hv(i, 6, 1000)', 'hour')) o(ord, u);
SET LOCAL enable_hashagg = off;
SELECT matches(plan_of(rfm_ext('orders', 't', 'amount', $$timestamptz '2024-06-30 12:00:00+00'$$, 'day')),
               'GroupAggregate', 'enable_hashagg = off gives a sort-based plan');
SELECT results_eq(rfm_ext('orders', 't', 'amount', $$timestamptz '2024-06-30 12:00:00+00'$$, u),
                  rfm_sql('orders', 't', 'amount', $$timestamptz '2024-06-30 12:00:00+00'$$, u),
                  format('sort-based grouping, %s: rfm = plain SQL', u))
FROM unnest(ARRAY['day', 'hour']) u;
RESET enable_hashagg;

-- customers with no order in or before the period of observed_until get NULL
SELECT is((SELECT count(*) FROM (SELECT customer, rfm(t, amount, '2024-06-30 12:00+00', 'week') AS r
                                 FROM orders GROUP BY customer) q WHERE r IS NULL),
          (SELECT count(*) FROM (SELECT customer FROM orders GROUP BY customer
                                 HAVING coalesce(min(date_trunc('week', t)) <= date_trunc('week', timestamptz '2024-06-30 12:00+00'), false) = false) x),
          'the customers without an order in or before the week of observed_until get NULL');

-- Times over 1850 .. 2100, in random order, in zones with unusual rules
CREATE TABLE zoned AS
SELECT c AS customer, timestamptz '1850-01-01 00:00+00' + hv(c * 100 + i, 21, 250 * 365 * 24 * 60) * interval '1 minute'
                      + hv(c * 100 + i, 22, 60000000) * interval '1 microsecond' AS t,
       (hv(c * 100 + i, 23, 10000) / 100.0)::numeric(10, 2) AS amount
FROM generate_series(1, 1500) c, generate_series(1, 1 + hv(c, 24, 30)) i
ORDER BY hv(c * 100 + i, 25, 1000000);
-- and every 7 minutes across Lord Howe's 2023 changes (30 minutes back on April 2, forward on October 1)
INSERT INTO zoned SELECT 5000 + g % 7, timestamptz '2023-04-01 14:00+00' + g * interval '7 minutes', g FROM generate_series(1, 400) g;
INSERT INTO zoned SELECT 6000 + g % 5, timestamptz '2023-09-30 14:00+00' + g * interval '7 minutes', g FROM generate_series(1, 400) g;
ANALYZE zoned;
CREATE FUNCTION check_zones() RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    z text;
    u text;
BEGIN
    FOREACH z IN ARRAY ARRAY['Australia/Lord_Howe', 'Europe/Dublin', 'Asia/Kathmandu', 'Pacific/Apia', 'America/St_Johns'] LOOP
        PERFORM set_config('TimeZone', z, true);
        FOREACH u IN ARRAY ARRAY['day', 'week', 'month', 'hour'] LOOP
            CONTINUE WHEN z <> 'Australia/Lord_Howe' AND u IN ('week', 'month');
            RETURN NEXT results_eq(rfm_ext('zoned', 't', 'amount', $$timestamptz '2099-12-31 12:00:00+00'$$, u),
                                   rfm_sql('zoned', 't', 'amount', $$timestamptz '2099-12-31 12:00:00+00'$$, u),
                                   format('1850 .. 2100, %s, %s: rfm = plain SQL', z, u));
        END LOOP;
    END LOOP;
END
$f$;
SELECT check_zones();

SELECT * FROM finish();
ROLLBACK;
