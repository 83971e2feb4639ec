-- cohort_agg and its accessors (cohort_table, retention_curve, period_retention) against
-- plain SQL.
--
-- Deterministic data sets (hashint8extended, no random()) of several shapes: a mixed shop
-- (heavy repeaters among occasional buyers, NULL customers, times and amounts, refunds,
-- zero amounts, several orders of a customer at the same instant, per-row countries),
-- amounts of wildly mixed scales and magnitudes (1e-20 .. 1e20), heavy repeaters only,
-- one-time buyers only, a single customer, gaps of many periods, instants at and around
-- local period boundaries and daylight-saving changes of three zones, ignored rows later
-- than every counted one, and order lines
-- (orders of 1 to 3 lines, some spanning two periods, some order keys shared by two
-- customers). Each case is fed to the aggregate in a shuffled order (ORDER BY a hash in a
-- subquery), sometimes sorted by time or reversed, and is checked for every period kind,
-- every time type (timestamptz under America/New_York, Asia/Kolkata and Europe/Bucharest;
-- timestamp; date), customer and order key types (int8, int4, text with long keys,
-- varchar, bpchar, uuid), the 3-, 4- and 5-argument forms, observed_until given and
-- defaulted, and GROUP BY a segment (LATERAL calls over the per-segment matrices): every
-- column of the three accessors must equal the plain-SQL formulation of
-- lib/cohort_reference.psql (see there for the definitions). Then forced parallel plans,
-- partitionwise aggregation over a table partitioned by customer hash and by time range,
-- and a spilling hash aggregate, each against the serial plain-SQL result; the text form
-- (the same under another TimeZone and DateStyle, read back unchanged) and the binary
-- form (COPY BINARY); empty inputs and the documented errors.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(298);

SET LOCAL TimeZone = 'America/New_York';
CREATE SCHEMA tap_cohort;
SET LOCAL search_path = tap_cohort, public;

-- cohort_ext (the extension's query), cohort_sql (the plain SQL), cohort_agg_query,
-- cohort_ext_over and cohort_explain_analyze, created in tap_cohort
\ir lib/cohort_reference.psql

------------------------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------------------------

-- A deterministic "random" integer in [0, m) for (i, seed).
CREATE FUNCTION hv(i int8, seed int8, m int8) RETURNS int8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT (hashint8extended(i, seed) & 9223372036854775807) % m
$f$;

-- SQL expression turning the integer column `col` into a key of type `typ`.
CREATE FUNCTION key_expr(typ text, col text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE typ
        WHEN 'int4' THEN format('(%1$s * 40000 - 2000000000)::int4', col)
        WHEN 'int8' THEN format('(%1$s::int8 * 184467440737095 - 9223372036854775807)', col)
        -- short, long (> 16 bytes), non-ASCII and empty keys
        WHEN 'text' THEN format($$(CASE WHEN %1$s %% 1000 = 999 THEN ''
                                        WHEN %1$s %% 4 = 0 THEN %1$s::text
                                        WHEN %1$s %% 4 = 1 THEN 'customer-number-' || %1$s
                                        WHEN %1$s %% 4 = 2 THEN 'Müller-' || %1$s
                                        ELSE lpad(%1$s::text, 40, 'x') END)::text$$, col)
        -- long keys (> 16 bytes) that differ only in their last bytes
        WHEN 'longtext' THEN format($$('a-key-with-a-long-common-prefix-' || %1$s)::text$$, col)
        -- 'v12' and 'v12 ' are two keys for varchar ...
        WHEN 'varchar' THEN format($$('v' || (%1$s / 2) || repeat(' ', %1$s %% 2))::varchar$$, col)
        -- ... but one key for char(n) (bpchar ignores trailing spaces)
        WHEN 'bpchar' THEN format($$('b' || (%1$s / 2) || repeat(' ', %1$s %% 3))::bpchar$$, col)
        WHEN 'uuid' THEN format($$md5('k' || %1$s)::uuid$$, col)
    END
$f$;

-- SQL expression of the time of type `typ` from the timestamptz column t: a timestamp is a
-- Bucharest wall clock, a date a Kolkata calendar day (so neither depends on the session
-- TimeZone, and both differ from the session's view of t).
CREATE FUNCTION time_expr(typ text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE typ WHEN 'timestamptz' THEN 't'
                    WHEN 'timestamp' THEN '(t AT TIME ZONE ''Europe/Bucharest'')'
                    WHEN 'date' THEN '(t AT TIME ZONE ''Asia/Kolkata'')::date' END
$f$;

-- Table d(id, seg, c, t, a, k, t0): the rows of data set `ds` with customers of type
-- ctype, times of type ttype, order keys of type ktype (NULL: k NULL) and t0 the original
-- timestamptz (for filters); its physical order shuffled.
CREATE FUNCTION make_d(ds text, ctype text, ttype text, ktype text) RETURNS void
LANGUAGE plpgsql AS $f$
BEGIN
    DROP TABLE IF EXISTS d;
    EXECUTE format('CREATE TEMP TABLE d AS SELECT id, seg, %s AS c, %s AS t, a, %s AS k, t AS t0
                    FROM base WHERE ds = %L ORDER BY hashint8extended(id, 5)',
                   key_expr(ctype, 'ci'), time_expr(ttype),
                   coalesce(key_expr(ktype, 'ki'), 'NULL::int'), ds);
    ANALYZE d;
END
$f$;

-- One case: the data set under TimeZone tz, the accessors `kinds` of the extension
-- against plain SQL, one test each. form: 3, 4 (amounts) or 5 (amounts and order keys of
-- type ktype); obs: observed_until (SQL text); gexpr: GROUP BY; input_order: the order
-- the aggregate sees ('shuffled', 'time', 'time desc'); filter over d (t0 is the
-- timestamptz); via_text: the matrix through its text form.
CREATE FUNCTION check_case(ds text, period text, ctype text, ttype text, tz text,
                           form int DEFAULT 4, ktype text DEFAULT NULL, obs text DEFAULT NULL,
                           gexpr text DEFAULT NULL,
                           kinds text[] DEFAULT '{table,curve,period}',
                           input_order text DEFAULT 'shuffled', filter text DEFAULT 'true',
                           via_text bool DEFAULT false, note text DEFAULT NULL)
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    rel text := CASE input_order
        WHEN 'shuffled' THEN '(SELECT * FROM d ORDER BY hashint8extended(id, 11)) d'
        WHEN 'time' THEN '(SELECT * FROM d ORDER BY t NULLS FIRST, id) d'
        WHEN 'time desc' THEN '(SELECT * FROM d ORDER BY t DESC NULLS LAST, id DESC) d' END;
    aexpr text := CASE WHEN form >= 4 THEN 'a' END;
    kexpr text := CASE WHEN form = 5 THEN 'k' END;
    kind text;
    descr text;
BEGIN
    PERFORM set_config('TimeZone', tz, true);
    PERFORM make_d(ds, ctype, ttype, CASE WHEN form = 5 THEN ktype END);
    descr := format('%s: %s, %s, customer %s, %s, TimeZone %s%s%s%s%s%s',
                    ds, period,
                    CASE form WHEN 3 THEN '3 arguments' WHEN 4 THEN 'orders with amounts'
                              ELSE 'lines, order_key ' || ktype END,
                    ctype, ttype, tz,
                    CASE WHEN gexpr IS NULL THEN '' ELSE ', GROUP BY ' || gexpr END,
                    CASE WHEN obs IS NULL THEN '' ELSE ', observed_until ' || obs END,
                    CASE WHEN input_order = 'shuffled' THEN '' ELSE ', input sorted by ' || input_order END,
                    CASE WHEN via_text THEN ', via m::text::cohort_matrix' ELSE '' END,
                    coalesce(', ' || note, ''));
    FOREACH kind IN ARRAY kinds LOOP
        RETURN NEXT results_eq(
            cohort_ext(kind, rel, 'c', 't', period, aexpr, kexpr, gexpr, obs, filter, via_text),
            cohort_sql(kind, 'd', 'c', 't', period, aexpr, kexpr, gexpr, obs, filter),
            format('%s: %s = plain SQL', descr,
                   CASE kind WHEN 'table' THEN 'cohort_table' WHEN 'curve' THEN 'retention_curve'
                             ELSE 'period_retention' END));
    END LOOP;
END
$f$;

------------------------------------------------------------------------------------------
-- Data sets: base(ds, id, seg, ci, t, a, ki); ci/ki are mapped to each key type by key_expr
-- and t to each time type by time_expr.
------------------------------------------------------------------------------------------
CREATE TABLE base (ds text, id int8, seg text, ci int, t timestamptz, a numeric, ki int);

-- mixed: 3,000 orders 2023-01-01 .. 2024-12-31 (UTC) of 420 customers, a third of them by
-- 20 heavy repeaters; 1 % NULL customers, 0.5 % NULL times, 5 % NULL amounts, 5 % refunds,
-- 5 % zero amounts, some amounts with 3 decimals; 2 % NULL countries; then 150 more orders
-- of a customer at the same instant as one of theirs.
INSERT INTO base
SELECT 'mixed', i,
       CASE WHEN hv(i, 1, 50) = 0 THEN NULL ELSE (ARRAY['UK', 'France', 'Germany', 'Spain'])[1 + hv(i, 2, 4)] END,
       CASE WHEN hv(i, 3, 100) = 0 THEN NULL
            WHEN hv(i, 4, 3) = 0 THEN hv(i, 5, 20) ELSE 20 + hv(i, 6, 400) END,
       CASE WHEN hv(i, 7, 200) = 0 THEN NULL
            ELSE timestamptz '2023-01-01 00:00:00+00' + hv(i, 8, 731 * 86400) * interval '1 second' END,
       CASE hv(i, 9, 20) WHEN 0 THEN NULL WHEN 1 THEN -round(hv(i, 10, 20000) / 100.0, 2) WHEN 2 THEN 0
            ELSE round(hv(i, 11, 50000) / 100.0, 2) + CASE WHEN hv(i, 12, 10) = 0 THEN 0.005 ELSE 0 END END,
       i
FROM generate_series(1, 3000) i;
INSERT INTO base
SELECT 'mixed', 3000 + id, seg, ci, t, round(coalesce(a, 1) / 3, 2), 3000 + id
FROM base WHERE ds = 'mixed' AND id <= 150;

-- repeaters: 3,000 orders of 60 customers over 18 months, each customer active most months
INSERT INTO base
SELECT 'repeaters', i, (ARRAY['UK', 'France'])[1 + hv(i, 20, 2)], i % 60,
       timestamptz '2023-06-01 00:00:00+00' + hv(i, 21, 540 * 86400) * interval '1 second',
       round(hv(i, 22, 10000) / 100.0, 2), i
FROM generate_series(1, 3000) i;

-- one_time: 600 customers with one order each over 2024
INSERT INTO base
SELECT 'one_time', i, (ARRAY['UK', 'France', 'Spain'])[1 + hv(i, 30, 3)], i,
       timestamptz '2024-01-01 00:00:00+00' + hv(i, 31, 366 * 86400) * interval '1 second',
       round(hv(i, 32, 10000) / 100.0, 2), i
FROM generate_series(1, 600) i;

-- single: one customer, orders at the same instant, around month ends in UTC vs New York,
-- with gaps of 3 to 20 months; a NULL and a negative amount
INSERT INTO base (ds, id, seg, ci, t, a, ki) VALUES
    ('single', 1, 'UK', 7, '2021-01-15 10:00:00+00', 10, 1),
    ('single', 2, 'UK', 7, '2021-01-15 10:00:00+00', 20, 2),
    ('single', 3, 'UK', 7, '2021-02-01 03:00:00+00', 5.5, 3),   -- 2021-01-31 in New York
    ('single', 4, 'UK', 7, '2021-02-01 12:00:00+00', NULL, 4),
    ('single', 5, 'UK', 7, '2021-06-01 03:00:00+00', -4.25, 5), -- 2021-05-31 in New York
    ('single', 6, 'UK', 7, '2022-11-20 12:00:00+00', 99.99, 6),
    ('single', 7, 'UK', 7, '2024-02-29 20:00:00+00', 1, 7);     -- 2024-03-01 in Kolkata

-- gaps: 200 customers with 3 orders (a few with 1) separated by 3 to 42 months, 2015 .. 2024
INSERT INTO base
SELECT 'gaps', c * 10 + j, (ARRAY['UK', 'France'])[1 + hv(c, 40, 2)], c,
       timestamptz '2015-01-01 00:00:00+00' + hv(c, 41, 700 * 86400) * interval '1 second'
           + j * (3 + hv(c, 42, 40)) * interval '1 month' + hv(c * 10 + j, 43, 86400) * interval '1 second',
       CASE WHEN hv(c * 10 + j, 44, 10) = 0 THEN NULL ELSE round(hv(c * 10 + j, 45, 30000) / 100.0, 2) END,
       c * 10 + j
FROM generate_series(1, 200) c CROSS JOIN generate_series(0, 2) j
WHERE j = 0 OR c % 17 <> 0;

-- edges: instants at local midnight of month starts and of some Mondays in New York,
-- Kolkata, Bucharest and UTC, one second before, and one microsecond after; and around
-- the 2023/2024 daylight-saving changes of New York and Bucharest
INSERT INTO base
SELECT 'edges', row_number() OVER (), (ARRAY['UK', 'France'])[1 + hv(n, 50, 2)], hv(n, 51, 40)::int, t,
       round(hv(n, 52, 10000) / 100.0, 2), row_number() OVER ()
FROM (SELECT (b AT TIME ZONE z) + delta AS t,
             (extract(epoch FROM (b AT TIME ZONE z) + delta) * 1000000)::int8 AS n
      FROM (SELECT generate_series(timestamp '2023-01-01', '2025-01-01', '1 month') AS b
            UNION ALL
            SELECT generate_series(timestamp '2023-01-02', '2024-12-30', '35 days')) bs
           CROSS JOIN unnest(ARRAY['America/New_York', 'Asia/Kolkata', 'Europe/Bucharest', 'UTC']) z
           CROSS JOIN unnest(ARRAY[interval '-1 second', interval '0', interval '1 microsecond']) delta
      UNION ALL
      SELECT t, (extract(epoch FROM t) * 1000000)::int8
      FROM unnest(ARRAY[timestamptz '2024-03-10 01:59:59-05', '2024-03-10 03:00:00-04',
                        '2024-03-09 23:30:00-05', '2024-03-11 00:00:00-04',
                        '2024-11-03 01:30:00-04', '2024-11-03 01:30:00-05', '2024-11-04 00:00:00-05',
                        '2023-03-26 02:59:59+02', '2023-03-26 04:00:00+03', '2023-03-27 00:00:00+03',
                        '2024-10-27 03:30:00+03', '2024-10-27 03:30:00+02', '2024-10-28 00:00:00+02']) t) x;

-- ignored_latest: the latest rows are ignored ones (NULL customer; NULL order key, which
-- only the lines variant ignores), and a NULL time
INSERT INTO base (ds, id, seg, ci, t, a, ki) VALUES
    ('ignored_latest', 1, 'A', 1, '2024-01-10 12:00:00+00', 10, 1),
    ('ignored_latest', 2, 'A', 1, '2024-02-10 12:00:00+00', 20, 2),
    ('ignored_latest', 3, 'B', 2, '2024-02-20 12:00:00+00', 5, 3),
    ('ignored_latest', 4, 'B', 2, '2024-03-05 12:00:00+00', NULL, 4),
    ('ignored_latest', 5, 'A', 3, '2024-03-06 12:00:00+00', 7, 5),
    ('ignored_latest', 6, 'A', NULL, '2024-08-01 12:00:00+00', 100, 6),
    ('ignored_latest', 7, 'B', 4, NULL, 100, 7),
    ('ignored_latest', 8, 'B', 5, '2024-09-01 12:00:00+00', 50, NULL);

-- lines: 1,200 orders 2023-03 .. 2024-10 of 250 customers, 2 or 3 lines (every 10th order
-- 1 line); every 6th order's lines are up to 4 days apart (some span two periods), the
-- others a minute apart; every 15th order's second line is another customer's (an order
-- key of two customers); NULL customers, times, keys and amounts sprinkled in; refunds.
INSERT INTO base
SELECT 'lines', od.o * 10 + l, od.seg,
       CASE WHEN hv(od.o * 10 + l, 50, 200) = 0 THEN NULL
            WHEN od.o % 15 = 0 AND l = 2 THEN hv(od.o, 54, 250) ELSE od.ci END,
       CASE WHEN hv(od.o * 10 + l, 58, 300) = 0 THEN NULL
            WHEN od.o % 6 = 0 THEN od.t0 + (l - 1) * hv(od.o, 55, 4 * 86400) * interval '1 second'
            ELSE od.t0 + (l - 1) * interval '1 minute' END,
       CASE hv(od.o * 10 + l, 56, 25) WHEN 0 THEN NULL WHEN 1 THEN -2.5
            ELSE round(hv(od.o * 10 + l, 59, 9000) / 100.0, 2) END,
       CASE WHEN hv(od.o * 10 + l, 57, 150) = 0 THEN NULL ELSE od.o END
FROM (SELECT o, hv(o, 51, 250)::int AS ci, (ARRAY['UK', 'France', 'Spain'])[1 + hv(o, 60, 3)] AS seg,
             timestamptz '2023-03-01 00:00:00+00' + hv(o, 52, 600 * 86400) * interval '1 second' AS t0,
             CASE WHEN o % 10 = 0 THEN 1 ELSE 2 + hv(o, 53, 2) END AS n
      FROM generate_series(1, 1200) o) od
     CROSS JOIN LATERAL generate_series(1, od.n) l;

-- scales: amounts of wildly mixed scales and magnitudes (exact sums)
INSERT INTO base
SELECT 'scales', i, (ARRAY['UK', 'France'])[1 + hv(i, 80, 2)], hv(i, 81, 150)::int,
       timestamptz '2022-01-01 00:00:00+00' + hv(i, 82, 400 * 86400) * interval '1 second',
       (ARRAY[10, 10.5, 0.333, 1e-6, 123456789012.34, -123456789012.34, 7.000, 0.00000000000000000001,
              99999999999999999999.99, -0.1, 0.0, 1e20, 3.14159265358979323846264338327950288, NULL])[1 + hv(i, 83, 14)],
       i
FROM generate_series(1, 1500) i;

-- a NULL-customer-only data set (every row ignored)
INSERT INTO base SELECT 'all_ignored', i, 'UK', NULL, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 day', 1, i
FROM generate_series(1, 10) i;
ANALYZE base;

------------------------------------------------------------------------------------------
-- The data sets have the shapes they are meant to have (plain SQL only).
------------------------------------------------------------------------------------------
SELECT ok((SELECT count(*) FILTER (WHERE ci IS NULL) > 10 AND count(*) FILTER (WHERE t IS NULL) > 5
                  AND count(*) FILTER (WHERE a IS NULL) > 50 AND count(*) FILTER (WHERE a < 0) > 50
                  AND count(*) FILTER (WHERE a = 0) > 50 AND count(*) FILTER (WHERE seg IS NULL) > 20
           FROM base WHERE ds = 'mixed'),
          'mixed has NULL customers, times, amounts and countries, refunds and zero amounts');
SELECT ok((SELECT count(*) FROM (SELECT ci, t FROM base WHERE ds = 'mixed' AND ci IS NOT NULL AND t IS NOT NULL
                                 GROUP BY 1, 2 HAVING count(*) > 1) x) >= 100,
          'mixed has 100+ customers with several orders at the same instant');
SELECT ok((SELECT min(n) >= 30 FROM (SELECT count(*) AS n FROM base WHERE ds = 'mixed' AND ci < 20 GROUP BY ci) x)
          AND (SELECT count(*) FROM (SELECT ci FROM base WHERE ds = 'mixed' GROUP BY ci HAVING count(*) = 1) x) > 10,
          'mixed has heavy repeaters (30+ orders) and one-time buyers');
SELECT ok((SELECT min(n) >= 12 FROM (SELECT count(DISTINCT date_trunc('month', t AT TIME ZONE 'UTC')) AS n
                                     FROM base WHERE ds = 'repeaters' GROUP BY ci) x),
          'repeaters: every customer is active in 12+ months');
SELECT ok((SELECT count(*) FROM (SELECT ci FROM base WHERE ds = 'gaps' GROUP BY ci
                                 HAVING max(t) - min(t) > interval '5 years') x) > 10,
          'gaps: customers with orders more than 5 years apart');
SELECT ok((SELECT count(*) FROM (SELECT ki FROM base WHERE ds = 'lines' AND ci IS NOT NULL AND t IS NOT NULL
                                 GROUP BY ki HAVING count(DISTINCT date_trunc('month', t)) > 1) x) >= 5
          AND (SELECT count(*) FROM (SELECT ki FROM base WHERE ds = 'lines' AND ci IS NOT NULL AND t IS NOT NULL
                                     GROUP BY ki HAVING count(DISTINCT date_trunc('week', t)) > 1) x) >= 20,
          'lines: orders whose lines fall in two months, two weeks');
-- the customers' first months in New York time, as cohort_agg sees them
SELECT ok((SELECT count(*) FILTER (WHERE n_cust = 2 AND n_cohorts = 1) >= 3
                  AND count(*) FILTER (WHERE n_cohorts = 2) >= 3
           FROM (SELECT l.ki, count(DISTINCT l.ci) AS n_cust, count(DISTINCT f.cohort) AS n_cohorts
                 FROM base l JOIN (SELECT ci, min(date_trunc('month', t)) AS cohort FROM base
                                   WHERE ds = 'lines' AND t IS NOT NULL AND ki IS NOT NULL GROUP BY ci) f USING (ci)
                 WHERE l.ds = 'lines' AND l.t IS NOT NULL AND l.ki IS NOT NULL
                 GROUP BY l.ki HAVING count(DISTINCT l.ci) = 2) x),
          'lines: order keys of two customers of the same cohort, and of two cohorts (months, New York)');
SELECT ok((SELECT count(*) FILTER (WHERE date_trunc('month', t AT TIME ZONE 'America/New_York')
                                         <> date_trunc('month', t AT TIME ZONE 'UTC')) > 20
                  AND count(*) FILTER (WHERE date_trunc('month', t AT TIME ZONE 'Asia/Kolkata')
                                             <> date_trunc('month', t AT TIME ZONE 'UTC')) > 20
           FROM base WHERE ds = 'edges'),
          'edges: 20+ instants in another month in New York / Kolkata than in UTC');

------------------------------------------------------------------------------------------
-- Every period kind, time type and TimeZone (mixed shop, orders with amounts)
------------------------------------------------------------------------------------------
SELECT check_case('mixed', 'month', 'int8', 'timestamptz', 'America/New_York');
SELECT check_case('mixed', 'month', 'int8', 'timestamptz', 'Asia/Kolkata');
SELECT check_case('mixed', 'month', 'text', 'timestamptz', 'Europe/Bucharest', input_order => 'time');
SELECT check_case('mixed', 'week', 'uuid', 'timestamptz', 'America/New_York');
SELECT check_case('mixed', 'week', 'int8', 'timestamptz', 'Asia/Kolkata', input_order => 'time desc');
SELECT check_case('mixed', 'quarter', 'int8', 'timestamptz', 'Asia/Kolkata');
SELECT check_case('mixed', 'quarter', 'longtext', 'timestamptz', 'America/New_York');
SELECT check_case('mixed', 'year', 'text', 'timestamptz', 'America/New_York');
SELECT check_case('mixed', 'year', 'int8', 'timestamptz', 'Asia/Kolkata');
-- days: 7 weeks around New York's 2024-03-10 and Bucharest's 2024-03-31 changes
SELECT check_case('mixed', 'day', 'int8', 'timestamptz', 'America/New_York',
                  filter => $$(t0 IS NULL OR t0 >= '2024-02-20' AND t0 < '2024-04-10')$$,
                  note => 'days 2024-02-20 .. 2024-04-09');
SELECT check_case('mixed', 'day', 'text', 'timestamptz', 'Europe/Bucharest',
                  filter => $$(t0 IS NULL OR t0 >= '2024-03-10' AND t0 < '2024-04-28')$$,
                  note => 'days 2024-03-10 .. 2024-04-27');
-- timestamp (Bucharest wall clock) and date (Kolkata day) inputs: periods of their values
SELECT check_case('mixed', 'month', 'int8', 'timestamp', 'America/New_York');
SELECT check_case('mixed', 'week', 'int4', 'timestamp', 'Asia/Kolkata');
SELECT check_case('mixed', 'quarter', 'varchar', 'timestamp', 'Europe/Bucharest');
SELECT check_case('mixed', 'week', 'int4', 'date', 'Asia/Kolkata');
SELECT check_case('mixed', 'month', 'bpchar', 'date', 'America/New_York');
SELECT check_case('mixed', 'year', 'uuid', 'date', 'Europe/Bucharest');
SELECT check_case('mixed', 'day', 'int8', 'date', 'America/New_York',
                  filter => $$(t0 IS NULL OR t0 >= '2024-10-01' AND t0 < '2024-11-15')$$,
                  note => 'days 2024-10-01 .. 2024-11-14');
-- the 3-argument form: revenue and cum_revenue_per_customer NULL
SELECT check_case('mixed', 'month', 'int8', 'timestamptz', 'America/New_York', form => 3);
SELECT check_case('mixed', 'week', 'longtext', 'timestamp', 'America/New_York', form => 3,
                  filter => $$(t0 IS NULL OR t0 >= '2024-01-01')$$, note => '2024');
SELECT check_case('mixed', 'quarter', 'uuid', 'date', 'Asia/Kolkata', form => 3);
-- the period in any case
SELECT check_case('mixed', 'MONTH', 'int8', 'timestamptz', 'America/New_York', kinds => '{table}');
SELECT check_case('mixed', 'Week', 'text', 'date', 'Asia/Kolkata', kinds => '{period}');
-- the matrix through its text form
SELECT check_case('mixed', 'month', 'text', 'timestamptz', 'Asia/Kolkata', via_text => true);
SELECT check_case('lines', 'week', 'int8', 'timestamptz', 'America/New_York', form => 5, ktype => 'longtext',
                  via_text => true, kinds => '{table,period}');

------------------------------------------------------------------------------------------
-- observed_until
------------------------------------------------------------------------------------------
-- later than the data: extra periods (zeros), and the last data period complete
SELECT check_case('mixed', 'month', 'int8', 'timestamptz', 'America/New_York',
                  obs => $$'2025-03-15 12:00:00-05'$$, kinds => '{table,curve}');
-- exactly at a local month start: that month is L, the month before complete
SELECT check_case('mixed', 'month', 'int8', 'timestamptz', 'America/New_York',
                  obs => $$'2025-01-01 00:00:00 America/New_York'$$, kinds => '{table,curve}');
SELECT check_case('mixed', 'week', 'text', 'timestamptz', 'Asia/Kolkata',
                  obs => $$'2025-01-13 00:00:00 Asia/Kolkata'$$, kinds => '{table,curve}');
-- equal to the latest order: the default's answer
SELECT check_case('mixed', 'quarter', 'int8', 'timestamptz', 'Europe/Bucharest',
                  obs => '(SELECT max(t) FROM d WHERE c IS NOT NULL)', kinds => '{table,curve}');
-- an explicit NULL: the default
SELECT check_case('mixed', 'month', 'int8', 'timestamptz', 'Asia/Kolkata', obs => 'NULL', kinds => '{table,curve}');
-- timestamp and date inputs: observed_until compared in the session TimeZone (2025-01-01
-- 03:00 UTC is still 2024-12-31 in New York: December is L and incomplete)
SELECT check_case('mixed', 'month', 'int8', 'timestamp', 'America/New_York',
                  obs => $$'2025-01-01 03:00:00+00'$$, kinds => '{table,curve}');
SELECT check_case('mixed', 'week', 'uuid', 'date', 'Asia/Kolkata',
                  obs => $$'2025-02-10 00:00:00+05:30'$$, kinds => '{table,curve}',
                  filter => $$(t0 IS NULL OR t0 >= '2024-06-01')$$, note => 'from 2024-06');
SELECT check_case('mixed', 'year', 'int8', 'timestamp', 'Europe/Bucharest',
                  obs => $$'2026-07-01 00:00:00+00'$$, form => 3, kinds => '{table,curve}');
SELECT check_case('mixed', 'day', 'int8', 'timestamptz', 'America/New_York',
                  obs => $$'2024-04-20 12:00:00-04'$$,
                  filter => $$(t0 IS NULL OR t0 >= '2024-03-01' AND t0 < '2024-04-01')$$,
                  kinds => '{table,curve}', note => 'days of 2024-03');

------------------------------------------------------------------------------------------
-- GROUP BY a segment: per-country matrices, cohort_table over each (LATERAL)
------------------------------------------------------------------------------------------
SELECT check_case('mixed', 'month', 'int8', 'timestamptz', 'America/New_York', gexpr => 'seg');
SELECT check_case('mixed', 'week', 'text', 'date', 'Asia/Kolkata', gexpr => 'seg',
                  filter => $$(t0 IS NULL OR t0 >= '2024-04-01')$$, note => 'from 2024-04');
SELECT check_case('mixed', 'quarter', 'uuid', 'timestamp', 'Europe/Bucharest', form => 3, gexpr => 'seg',
                  obs => $$'2025-06-30 00:00:00+00'$$, kinds => '{table,curve}');
SELECT check_case('lines', 'month', 'int8', 'timestamptz', 'Asia/Kolkata', form => 5, ktype => 'int8',
                  gexpr => 'seg');

------------------------------------------------------------------------------------------
-- Other shapes
------------------------------------------------------------------------------------------
SELECT check_case('repeaters', 'month', 'int8', 'timestamptz', 'America/New_York');
SELECT check_case('repeaters', 'week', 'text', 'timestamptz', 'Asia/Kolkata');
SELECT check_case('repeaters', 'quarter', 'int4', 'date', 'Europe/Bucharest', gexpr => 'seg');
SELECT check_case('one_time', 'month', 'int8', 'timestamptz', 'America/New_York');
SELECT check_case('one_time', 'week', 'uuid', 'timestamp', 'Asia/Kolkata', input_order => 'time');
SELECT check_case('one_time', 'day', 'text', 'timestamptz', 'Europe/Bucharest',
                  filter => $$t0 >= '2024-03-20' AND t0 < '2024-04-20'$$, note => 'days 2024-03-20 .. 2024-04-19');
SELECT check_case('single', 'month', 'int8', 'timestamptz', 'America/New_York');
SELECT check_case('single', 'month', 'text', 'timestamptz', 'Asia/Kolkata', obs => $$'2024-06-01 00:00:00+00'$$,
                  kinds => '{table,curve}');
SELECT check_case('single', 'day', 'int8', 'timestamptz', 'America/New_York',
                  filter => $$t0 < '2021-07-01'$$, note => 'days of 2021-01 .. 2021-06');
SELECT check_case('single', 'day', 'text', 'timestamptz', 'Asia/Kolkata', note => 'days 2021-01 .. 2024-03');
SELECT check_case('single', 'week', 'uuid', 'date', 'Europe/Bucharest');
SELECT check_case('single', 'year', 'int8', 'timestamp', 'America/New_York', form => 3);
SELECT check_case('gaps', 'year', 'int8', 'timestamptz', 'America/New_York');
-- long spans: days over up to 9 years (a few customers)
SELECT check_case('gaps', 'day', 'int8', 'timestamptz', 'America/New_York', filter => 'id / 10 % 50 = 0',
                  kinds => '{table,period}', note => '4 customers');
SELECT check_case('gaps', 'day', 'uuid', 'date', 'Asia/Kolkata', filter => 'id / 10 % 100 = 1',
                  obs => $$'2026-01-01 00:00:00+05:30'$$, kinds => '{table,curve}', note => '2 customers');
SELECT check_case('gaps', 'quarter', 'text', 'timestamptz', 'Asia/Kolkata');
SELECT check_case('gaps', 'month', 'int8', 'date', 'Europe/Bucharest', input_order => 'time desc');
SELECT check_case('gaps', 'month', 'uuid', 'timestamptz', 'America/New_York', gexpr => 'seg',
                  obs => $$'2025-12-31 23:59:59.999999-05'$$, kinds => '{table,curve}');
SELECT check_case('edges', 'day', 'int8', 'timestamptz', 'Asia/Kolkata',
                  filter => $$t0 >= '2024-02-25' AND t0 < '2024-05-05'$$, note => 'days 2024-02-25 .. 2024-05-04');
SELECT check_case('edges', 'day', 'text', 'timestamptz', 'America/New_York',
                  filter => $$t0 >= '2024-10-01' AND t0 < '2024-12-05'$$, note => 'days 2024-10-01 .. 2024-12-04');
SELECT check_case('edges', 'week', 'int8', 'timestamptz', 'Europe/Bucharest');
SELECT check_case('edges', 'month', 'int8', 'timestamptz', 'America/New_York');
SELECT check_case('edges', 'month', 'uuid', 'timestamptz', 'Asia/Kolkata');
SELECT check_case('edges', 'month', 'int8', 'timestamptz', 'Europe/Bucharest');
SELECT check_case('edges', 'quarter', 'text', 'timestamp', 'America/New_York');
SELECT check_case('edges', 'year', 'int8', 'timestamptz', 'Asia/Kolkata', obs => $$'2026-01-01 00:00:00+05:30'$$,
                  kinds => '{table,curve}');
SELECT check_case('edges', 'week', 'int8', 'date', 'America/New_York');
SELECT check_case('scales', 'month', 'int8', 'timestamptz', 'America/New_York');
SELECT check_case('scales', 'week', 'text', 'timestamptz', 'Asia/Kolkata', form => 5, ktype => 'int8',
                  kinds => '{table}');
-- ignored rows later than every counted one do not move the observation end
SELECT check_case('ignored_latest', 'month', 'int8', 'timestamptz', 'America/New_York');
SELECT check_case('ignored_latest', 'week', 'text', 'timestamptz', 'America/New_York', form => 5, ktype => 'int8');

------------------------------------------------------------------------------------------
-- Order lines (the 5-argument form): order keys of every type
------------------------------------------------------------------------------------------
SELECT check_case('lines', 'month', 'int8', 'timestamptz', 'America/New_York', form => 5, ktype => 'int8');
SELECT check_case('lines', 'week', 'text', 'timestamptz', 'Europe/Bucharest', form => 5, ktype => 'longtext');
SELECT check_case('lines', 'quarter', 'uuid', 'timestamptz', 'Asia/Kolkata', form => 5, ktype => 'uuid');
SELECT check_case('lines', 'day', 'int8', 'timestamptz', 'America/New_York', form => 5, ktype => 'text',
                  filter => $$(t0 IS NULL OR t0 >= '2023-10-20' AND t0 < '2023-12-10')$$,
                  note => 'days 2023-10-20 .. 2023-12-09');
SELECT check_case('lines', 'month', 'longtext', 'timestamp', 'Asia/Kolkata', form => 5, ktype => 'int4');
SELECT check_case('lines', 'week', 'int4', 'date', 'America/New_York', form => 5, ktype => 'bpchar');
SELECT check_case('lines', 'year', 'text', 'timestamptz', 'America/New_York', form => 5, ktype => 'varchar',
                  input_order => 'time desc');
SELECT check_case('lines', 'month', 'int8', 'timestamptz', 'America/New_York', form => 5, ktype => 'uuid',
                  obs => $$'2025-02-01 00:00:00-05'$$, kinds => '{table,curve}');
-- the same lines as orders (every line an order)
SELECT check_case('lines', 'month', 'int8', 'timestamptz', 'America/New_York');

------------------------------------------------------------------------------------------
-- The text and binary forms: the same matrix back, whatever the DateStyle and TimeZone
------------------------------------------------------------------------------------------
SET LOCAL TimeZone = 'America/New_York';
CREATE TABLE mats (name text, m cohort_matrix);
INSERT INTO mats
SELECT 'mixed, orders, timestamptz, month', cohort_agg(ci, t, 'month', a) FROM base WHERE ds = 'mixed'
UNION ALL
SELECT 'mixed, 3 arguments, timestamp, week', cohort_agg(md5(ci::text)::uuid, t AT TIME ZONE 'UTC', 'week')
FROM base WHERE ds = 'mixed'
UNION ALL
SELECT 'lines, text keys, date, quarter', cohort_agg('customer-' || ci, t::date, 'quarter', a, 'order-' || ki)
FROM base WHERE ds = 'lines'
UNION ALL
SELECT 'scales, orders, timestamptz, day', cohort_agg(ci, t, 'day', a) FROM base WHERE ds = 'scales'
UNION ALL
SELECT 'empty, lines', cohort_agg(ci, t, 'year', a, ki) FROM base WHERE false;
CREATE TABLE mats_text AS SELECT name, m::text AS txt FROM mats;

SET LOCAL TimeZone = 'Asia/Kolkata';
SET LOCAL DateStyle = 'SQL, DMY';
SET LOCAL extra_float_digits = 0;
SELECT results_eq($$SELECT name, m::text FROM mats ORDER BY name$$,
                  $$SELECT name, txt FROM mats_text ORDER BY name$$,
                  'text form: the same under another TimeZone, DateStyle and extra_float_digits');
SELECT results_eq($$SELECT name, txt::cohort_matrix::text FROM mats_text ORDER BY name$$,
                  $$SELECT name, txt FROM mats_text ORDER BY name$$,
                  'text form read back (under another TimeZone and DateStyle) and written again: unchanged');
RESET DateStyle;
RESET extra_float_digits;
SET LOCAL TimeZone = 'America/New_York';
SELECT results_eq($$SELECT name, x.* FROM mats_text, cohort_table(txt::cohort_matrix) x ORDER BY 1, 2, 3$$,
                  $$SELECT name, x.* FROM mats, cohort_table(m) x ORDER BY 1, 2, 3$$,
                  'text form read back under another TimeZone and DateStyle: cohort_table unchanged');

-- binary: through COPY BINARY (a client-side file)
\set tap_bin_file `mktemp`
SELECT format('\copy mats TO %L WITH (FORMAT binary)', :'tap_bin_file') AS copy_out,
       format('\copy mats_bin FROM %L WITH (FORMAT binary)', :'tap_bin_file') AS copy_in \gset
:copy_out
CREATE TABLE mats_bin (LIKE mats);
:copy_in
\set tap_rm `rm -f :'tap_bin_file'`
SELECT results_eq($$SELECT name, m::text FROM mats_bin ORDER BY name$$,
                  $$SELECT name, m::text FROM mats ORDER BY name$$,
                  'binary send/receive: the same matrices (text form)');
SELECT results_eq($$SELECT name, x.* FROM mats_bin, retention_curve(m) x ORDER BY 1, 2$$,
                  $$SELECT name, x.* FROM mats, retention_curve(m) x ORDER BY 1, 2$$,
                  'binary send/receive: retention_curve unchanged');
SELECT results_eq($$SELECT name, x.* FROM mats_bin, period_retention(m) x ORDER BY 1, 2$$,
                  $$SELECT name, x.* FROM mats, period_retention(m) x ORDER BY 1, 2$$,
                  'binary send/receive: period_retention unchanged');

------------------------------------------------------------------------------------------
-- Empty input: an empty matrix (not NULL), no rows
------------------------------------------------------------------------------------------
SET LOCAL TimeZone = 'America/New_York';
SELECT ok((SELECT cohort_agg(ci, t, 'month') IS NOT NULL FROM base WHERE false),
          'no rows: cohort_agg gives a matrix, not NULL');
SELECT ok((SELECT cohort_agg(ci, t, 'month', a, ki) IS NOT NULL FROM base WHERE ds = 'all_ignored'),
          'only ignored rows (NULL customers), lines: a matrix, not NULL');
SELECT is_empty($$SELECT * FROM cohort_table((SELECT cohort_agg(ci, t, 'week', a) FROM base WHERE false))$$,
                'no rows: cohort_table has no rows');
SELECT is_empty($$SELECT * FROM cohort_table((SELECT cohort_agg(ci, t, 'month', a) FROM base WHERE false),
                                             '2025-01-01 00:00:00+00')$$,
                'no rows, observed_until given: cohort_table has no rows');
SELECT is_empty($$SELECT * FROM retention_curve((SELECT cohort_agg(ci::text, t::date, 'month') FROM base
                                                 WHERE ds = 'all_ignored'))$$,
                'only ignored rows: retention_curve has no rows');
SELECT is_empty($$SELECT * FROM period_retention((SELECT cohort_agg(ci, t, 'day', a) FROM base
                                                  WHERE ds = 'all_ignored'))$$,
                'only ignored rows: period_retention has no rows');
SELECT is_empty($$SELECT * FROM cohort_table((SELECT cohort_agg(ci, t, 'month', a)::text::cohort_matrix FROM base
                                              WHERE false))$$,
                'no rows, through the text form: cohort_table has no rows');

------------------------------------------------------------------------------------------
-- Errors of the contract
------------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT cohort_agg(ci, t, 'fortnight') FROM base WHERE ds = 'single'$$, '22023', NULL,
                 'an unknown period: 22023');
SELECT throws_ok($$SELECT cohort_agg(ci, t, ' month') FROM base WHERE ds = 'single'$$, '22023', NULL,
                 'a period with a space: 22023');
SELECT throws_ok($$SELECT cohort_agg(ci, t, NULL::text) FROM base WHERE ds = 'single'$$, '22004', NULL,
                 'a NULL period: 22004');
SELECT throws_ok($$SELECT cohort_agg(ci, t, CASE WHEN id = 3 THEN 'week' ELSE 'month' END) FROM base
                   WHERE ds = 'single'$$, '22023', NULL,
                 'periods that differ between rows: 22023');
SELECT throws_ok($$SELECT cohort_agg(c, t, 'month') FROM (VALUES (1, timestamptz '2024-01-01'),
                                                                (2, timestamptz 'infinity')) v(c, t)$$,
                 '22008', NULL, 'ordered_at = infinity: 22008');
SELECT throws_ok($$SELECT cohort_agg(c, t, 'month') FROM (VALUES (1, date '2024-01-01'),
                                                                (2, date '-infinity')) v(c, t)$$,
                 '22008', NULL, 'ordered_at = -infinity (date): 22008');
SELECT throws_ok($$SELECT * FROM cohort_table((SELECT cohort_agg(ci, t, 'month', a) FROM base WHERE ds = 'single'),
                                              '2024-02-29 19:59:59+00')$$, '22023', NULL,
                 'observed_until earlier than the latest order: 22023');
SELECT throws_ok($$SELECT cohort_agg(ci::float8, t, 'month') FROM base WHERE ds = 'single'$$, '42804', NULL,
                 'a float8 customer: 42804');

------------------------------------------------------------------------------------------
-- Parallel plans, partitionwise aggregation, a spilling hash aggregate: the same answer
-- as the serial plain SQL. The matrices are kept with CREATE TABLE AS (queries run
-- through cursors, as results_eq runs them, never get parallel plans); ordinary tables
-- (parallel workers cannot read temporary ones), created in this transaction.
------------------------------------------------------------------------------------------
SET LOCAL TimeZone = 'Asia/Kolkata';

-- 40,000 orders of 4,000 customers over 2023 .. 2024 in hashed physical order
CREATE TABLE po (id int8, seg text, c_int int, c_text text, c_uuid uuid,
                 t_tz timestamptz, t_ts timestamp, t_d date, a numeric, k_int int8, k_text text);
INSERT INTO po
SELECT id, (ARRAY['UK', 'France', 'Spain', 'Italy', 'Norway'])[1 + hv(id, 70, 5)],
       c, 'customer ' || c, md5('c' || c)::uuid,
       t, t AT TIME ZONE 'UTC', (t AT TIME ZONE 'UTC')::date,
       CASE hv(id, 71, 30) WHEN 0 THEN NULL WHEN 1 THEN -3.75 ELSE round(hv(id, 72, 30000) / 100.0, 2) END,
       k, 'order-key-number-' || k
FROM (SELECT id,
             CASE WHEN hv(id, 73, 200) = 0 THEN NULL ELSE hv(id, 74, 4000)::int END AS c,
             CASE WHEN hv(id, 75, 300) = 0 THEN NULL
                  ELSE timestamptz '2023-01-01 00:00:00+00' + hv(id, 76, 731 * 86400) * interval '1 second' END AS t,
             -- order keys of about 3 lines, far apart in the table (and in time)
             hv(id, 77, 13000) AS k
      FROM generate_series(1, 40000) id) x
ORDER BY hashint8extended(id, 78);
ALTER TABLE po SET (parallel_workers = 2);
ANALYZE po;

-- partitioned by customer hash, each partition by time range (and a default partition
-- for NULL times): a customer's rows lie in several partitions
CREATE TABLE pp (LIKE po) PARTITION BY HASH (c_int);
CREATE TABLE pp_0 PARTITION OF pp FOR VALUES WITH (MODULUS 3, REMAINDER 0) PARTITION BY RANGE (t_tz);
CREATE TABLE pp_1 PARTITION OF pp FOR VALUES WITH (MODULUS 3, REMAINDER 1) PARTITION BY RANGE (t_tz);
CREATE TABLE pp_2 PARTITION OF pp FOR VALUES WITH (MODULUS 3, REMAINDER 2) PARTITION BY RANGE (t_tz);
DO $do$
DECLARE
    h int;
BEGIN
    FOR h IN 0..2 LOOP
        EXECUTE format($$CREATE TABLE pp_%1$s_a PARTITION OF pp_%1$s FOR VALUES FROM (MINVALUE) TO ('2023-07-01')$$, h);
        EXECUTE format($$CREATE TABLE pp_%1$s_b PARTITION OF pp_%1$s FOR VALUES FROM ('2023-07-01') TO ('2024-03-01')$$, h);
        EXECUTE format($$CREATE TABLE pp_%1$s_c PARTITION OF pp_%1$s FOR VALUES FROM ('2024-03-01') TO (MAXVALUE)$$, h);
        EXECUTE format($$CREATE TABLE pp_%1$s_d PARTITION OF pp_%1$s DEFAULT$$, h);
    END LOOP;
END
$do$;
INSERT INTO pp SELECT * FROM po;
ANALYZE pp;

SELECT ok((SELECT count(*) FROM (SELECT c_int FROM pp GROUP BY c_int HAVING count(DISTINCT tableoid) >= 3) x) > 2000,
          'partitioned: 2,000+ customers have rows in 3+ partitions');
SELECT ok((SELECT count(*) FROM (SELECT c_int FROM po WHERE c_int IS NOT NULL GROUP BY c_int
                                 HAVING max((ctid::text::point)[0]) - min((ctid::text::point)[0])
                                        > 0.5 * (SELECT relpages FROM pg_class WHERE oid = 'po'::regclass)) x) > 2000,
          'po: 2,000+ customers have rows more than half the table apart (parallel workers split them)');

-- Plan settings, transaction-local.
CREATE FUNCTION use_plan(mode text) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM set_config('parallel_leader_participation', 'on', true);
    PERFORM set_config('enable_sort', 'on', true);
    PERFORM set_config('enable_hashagg', 'on', true);
    PERFORM set_config('work_mem', '4MB', true);
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
    IF mode = 'hash spill' THEN
        PERFORM set_config('work_mem', '64kB', true);
        PERFORM set_config('enable_sort', 'off', true);
    END IF;
END
$f$;

-- One case: the matrices (per group) built under plan `mode` (plan checked), then every
-- accessor against the plain SQL (serial, through a cursor); 1 + #kinds tests.
CREATE FUNCTION check_plan(label text, mode text, rel text, cexpr text, texpr text, period text,
                           aexpr text, kexpr text, gexpr text, filter text DEFAULT 'true',
                           kinds text[] DEFAULT '{table,curve,period}')
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    plan_text text;
    plan_ok bool;
    kind text;
BEGIN
    DROP TABLE IF EXISTS res_plan;
    PERFORM use_plan(mode);
    plan_text := cohort_explain_analyze('CREATE TABLE res_plan AS '
                                        || cohort_agg_query(rel, cexpr, texpr, period, aexpr, kexpr, gexpr, filter));
    plan_ok := CASE WHEN mode = 'hash spill'
                    THEN plan_text ~ 'HashAggregate' AND plan_text ~ '(Batches: ([2-9]|[1-9][0-9]+))|Disk Usage'
                    ELSE plan_text ~ 'Partial \w*Aggregate'
                         AND (mode NOT LIKE '%parallel%' OR plan_text ~ 'Workers Launched: [1-9]')
                         AND (mode NOT LIKE '%partitionwise%' OR plan_text ~ 'Append') END;
    RETURN NEXT ok(plan_ok, format('%s: %s plan (%s)', label, mode,
                                   CASE WHEN mode = 'hash spill' THEN 'hash aggregate spilling to disk'
                                        ELSE 'partial aggregates' END));
    IF NOT plan_ok THEN
        RETURN NEXT diag(plan_text);
    END IF;
    PERFORM use_plan('serial');
    FOREACH kind IN ARRAY kinds LOOP
        RETURN NEXT results_eq(
            cohort_ext_over(kind, 'res_plan s'),
            cohort_sql(kind, rel, cexpr, texpr, period, aexpr, kexpr, gexpr, NULL, filter),
            format('%s: %s plan: %s = plain SQL', label, mode,
                   CASE kind WHEN 'table' THEN 'cohort_table' WHEN 'curve' THEN 'retention_curve'
                             ELSE 'period_retention' END));
    END LOOP;
END
$f$;

SELECT check_plan('orders, int customers, timestamptz, month', 'parallel', 'po', 'c_int', 't_tz', 'month',
                  'a', NULL, NULL);
SELECT check_plan('orders, text customers, timestamp, week (2024), GROUP BY segment', 'parallel', 'po', 'c_text',
                  't_ts', 'week', 'a', NULL, 'seg', $$t_ts >= '2024-01-01'$$);
SELECT check_plan('orders, uuid customers, date, month', 'parallel, no leader', 'po', 'c_uuid', 't_d', 'month',
                  'a', NULL, NULL);
SELECT check_plan('3 arguments, int customers, timestamptz, quarter', 'parallel', 'po', 'c_int', 't_tz', 'quarter',
                  NULL, NULL, NULL);
SELECT check_plan('lines, int customers, int8 keys, timestamptz, month', 'parallel', 'po', 'c_int', 't_tz', 'month',
                  'a', 'k_int', NULL);
SELECT check_plan('lines, text customers, text keys, date, month, GROUP BY segment', 'parallel, no leader', 'po',
                  'c_text', 't_d', 'month', 'a', 'k_text', 'seg');
-- most participants see no row: empty partial states meet non-empty ones
SELECT check_plan('orders, 5 rows pass the filter, month', 'parallel', 'po', 'c_int', 't_tz', 'month',
                  'a', NULL, NULL, 'id % 8000 = 0');
SELECT check_plan('orders, int customers, timestamptz, month', 'partitionwise', 'pp', 'c_int', 't_tz', 'month',
                  'a', NULL, NULL);
SELECT check_plan('orders, text customers, timestamp, month, GROUP BY segment', 'partitionwise', 'pp', 'c_text',
                  't_ts', 'month', 'a', NULL, 'seg');
SELECT check_plan('orders, int customers, timestamptz, week', 'partitionwise', 'pp', 'c_int', 't_tz', 'week',
                  'a', NULL, NULL, kinds => '{table}');
SELECT check_plan('lines, uuid customers, int8 keys, timestamptz, month', 'partitionwise', 'pp', 'c_uuid', 't_tz',
                  'month', 'a', 'k_int', NULL);
SELECT check_plan('orders, int customers, date, quarter', 'partitionwise, parallel', 'pp', 'c_int', 't_d',
                  'quarter', 'a', NULL, NULL);
SELECT check_plan('lines, text customers, text keys, timestamptz, month, GROUP BY segment',
                  'partitionwise, parallel', 'pp', 'c_text', 't_tz', 'month', 'a', 'k_text', 'seg');
-- 1,000 groups in a 64 kB hash table
SELECT check_plan('orders, 1,000 groups, timestamptz, month (2024)', 'hash spill', 'po', 'c_int', 't_tz', 'month',
                  'a', NULL, 'c_int % 1000', $$t_tz >= '2024-01-01'$$);
SELECT check_plan('lines, 1,000 groups, text keys, timestamp, quarter', 'hash spill', 'po', 'c_text', 't_ts',
                  'quarter', 'a', 'k_text', 'c_int % 1000', 'true', '{table}');

SELECT * FROM finish();
ROLLBACK;
