-- revenue_agg and its accessors (mrr_movements, revenue_retention, trailing_nrr) against
-- plain SQL, as a finance analyst writes it: a customer x period grid (generate_series,
-- LEFT JOINed to the net revenue of each customer and period) walked with lag() and
-- running max() windows. The reference below never calls the extension.
--
-- The definitions it follows (doc/revenue_retention.md, src/revenue_matrix.h):
--   rows with a NULL customer or time are left out; period p = date_trunc(period, at)::date
--   (timestamptz: in the session TimeZone); R(c, p) = coalesce(sum(amount), 0) of c's rows
--   in p, counted as 0 when not positive ("no revenue"); periods run from the first period
--   with any row to the last, gaps included; R0 = R(c, p - 1), R1 = R(c, p):
--     new          R0 = 0 < R1, no revenue in any earlier period      (+R1)
--     reactivation R0 = 0 < R1, revenue in some period before p - 1   (+R1)
--     expansion    0 < R0 < R1                                        (+R1 - R0)
--     contraction  0 < R1 < R0                                        (+R0 - R1)
--     churn        R0 > 0 = R1                                        (+R0)
--   start = sum R0, end = sum R1, NRR = (start + expansion - contraction - churn) / start,
--   GRR = (start - contraction - churn) / start, (numeric ratio)::float8, NULL when
--   start = 0; revenue_retention per cohort (first period with revenue), offsets 0 ..
--   max(period of observed_until or of the latest row, last period) - cohort, complete =
--   cohort + offset < period of the observation end; trailing_nrr(m, lag): start = R(c, p -
--   lag) summed, retained = R(c, p) over customers with revenue in both, GRR numerator =
--   sum of min(R(c, p - lag), R(c, p)) over them. Every revenue is numeric with the display
--   scale of the largest amount scale (as sum() of all amounts gives it), so revenues are
--   compared as text (scale included), ratios as float8, exactly.
--
-- Deterministic data sets (hashint8extended, no random()) of several shapes: a mixed shop
-- (refunds, some netting to exactly zero within a month, some making a month negative;
-- NULL amounts, customers and times; whole empty months), steady customers with revenue
-- in every period, hand-made refund cases, reactivations after 2 to 9 empty months, a
-- single period, daily activity around a daylight-saving change, and amounts of wildly
-- mixed scales and magnitudes (1e-20 .. 1e20). They are checked for month (mostly) and
-- day, week, quarter, year; timestamptz under America/New_York (and Europe/Bucharest),
-- timestamp and date inputs; bigint, text, int, smallint and uuid
-- customers; numeric, float8 and float4 amounts (= amount::numeric); observed_until
-- later than the data, at a period start, equal to the latest row, NULL; lags 1 .. 60.
-- Then identities over the extension's own answers (end = start + new + reactivation +
-- expansion - contraction - churn; start = the previous end; trailing_nrr(m, 1) = the
-- movements' NRR and GRR; customers(m) = the new customers = the cohort sizes), forced
-- parallel plans, partitionwise aggregation and a UNION ALL under a parallel append
-- (partial states combined; some with amounts of 16+ decimals) against the serial plan
-- and the plain SQL, and the real data sets Online Retail (online_retail/) and CDNOW
-- (cdnow/CDNOW_sample.txt) monthly, from <retention_data> as online_retail.sql and
-- rfm_cdnow.sql read them: the runner passes --set retention_data=/abs/path/to/shared/data,
-- or an empty string when the folder is missing; each missing data set then skips with one
-- skipped test.

\if :{?retention_data}
\else
\set retention_data ''
\endif
-- (client side, as \copy reads them)
\set have_or `test -n :'retention_data' && test -r :'retention_data'/online_retail/online_retail.csv.gz && echo true || echo false`
\set have_cd `test -n :'retention_data' && test -r :'retention_data'/cdnow/CDNOW_sample.txt && echo true || echo false`

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(188 + CASE WHEN :'have_or' THEN 11 ELSE 1 END + CASE WHEN :'have_cd' THEN 8 ELSE 1 END);

SET LOCAL TimeZone = 'America/New_York';
CREATE SCHEMA tap_revenue;
SET LOCAL search_path = tap_revenue, public;

------------------------------------------------------------------------------------------
-- The plain-SQL reference and the extension's query
------------------------------------------------------------------------------------------

-- The length of one period.
CREATE FUNCTION ref_step(period text) RETURNS interval LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE lower(period) WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days'
                              WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months'
                              WHEN 'year' THEN interval '1 year' END
$f$;

-- The plain SQL of accessor `kind` ('mrr', 'retention', 'trailing'): every column, revenues
-- as text, ordered. rel: a table or an aliased subquery; cexpr, texpr, aexpr: the customer,
-- time and amount (any type turned into numeric by a cast); filter: a condition over rel;
-- obs: observed_until (an SQL expression; NULL: the latest row); lag: trailing_nrr's lag.
CREATE FUNCTION rev_sql(kind text, rel text, cexpr text, texpr text, period text, aexpr text,
                        filter text DEFAULT 'true', obs text DEFAULT NULL, lag int DEFAULT 1)
RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format($q$
        WITH f AS (SELECT c, t, a, date_trunc(%6$L, t)::date AS p
                   FROM (SELECT %1$s AS c, %2$s AS t, (%3$s)::numeric AS a FROM %4$s WHERE %5$s) src
                   WHERE c IS NOT NULL AND t IS NOT NULL),
             -- first and last period with any row; z: a zero with the display scale of
             -- sum(amount); pe: the period of the observation end
             b AS (SELECT min(p) AS p0, max(p) AS p1, coalesce(sum(a) * 0, 0) AS z,
                          coalesce(date_trunc(%6$L, (%7$s)::timestamptz)::date, max(p)) AS pe
                   FROM f),
             -- every period from the first to the last reported one, numbered
             per AS (SELECT gs::date AS p, (row_number() OVER (ORDER BY gs) - 1)::int AS i
                     FROM b CROSS JOIN LATERAL generate_series(b.p0::timestamp, greatest(b.p1, b.pe)::timestamp,
                                                               %8$L::interval) gs),
             cust AS (SELECT DISTINCT c FROM f),
             net AS (SELECT c, p, sum(a) AS r FROM f GROUP BY c, p),
             -- the grid: R(c, p) for every customer and period, 0 when not positive
             grid AS (SELECT cust.c, per.p, per.i, greatest(coalesce(net.r, 0), 0) AS r
                      FROM cust CROSS JOIN per LEFT JOIN net ON net.c = cust.c AND net.p = per.p),
             w AS (SELECT c, p, i, r AS r1,
                          coalesce(lag(r) OVER byc, 0) AS r0,
                          coalesce(lag(r, %9$s) OVER byc, 0) AS rl,
                          coalesce(max(r) OVER (byc ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS best_before,
                          coalesce(max(r) OVER (byc ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING), 0) AS best_before_prev,
                          min(p) FILTER (WHERE r > 0) OVER (PARTITION BY c) AS cohort
                   FROM grid WINDOW byc AS (PARTITION BY c ORDER BY p)),
             mv AS (SELECT w.p,
                           sum(r0) + z AS start_rev,
                           coalesce(sum(r1) FILTER (WHERE r0 = 0 AND r1 > 0 AND best_before = 0), 0) + z AS new_rev,
                           coalesce(sum(r1) FILTER (WHERE r0 = 0 AND r1 > 0 AND best_before_prev > 0), 0) + z AS react_rev,
                           coalesce(sum(r1 - r0) FILTER (WHERE r0 > 0 AND r1 > r0), 0) + z AS exp_rev,
                           coalesce(sum(r0 - r1) FILTER (WHERE r0 > 0 AND r1 > 0 AND r1 < r0), 0) + z AS contr_rev,
                           coalesce(sum(r0) FILTER (WHERE r0 > 0 AND r1 = 0), 0) + z AS churn_rev,
                           sum(r1) + z AS end_rev,
                           count(*) FILTER (WHERE r0 > 0) AS start_n,
                           count(*) FILTER (WHERE r0 = 0 AND r1 > 0 AND best_before = 0) AS new_n,
                           count(*) FILTER (WHERE r0 = 0 AND r1 > 0 AND best_before_prev > 0) AS react_n,
                           count(*) FILTER (WHERE r0 > 0 AND r1 > r0) AS exp_n,
                           count(*) FILTER (WHERE r0 > 0 AND r1 > 0 AND r1 < r0) AS contr_n,
                           count(*) FILTER (WHERE r0 > 0 AND r1 = 0) AS churn_n
                    FROM w CROSS JOIN b WHERE w.p <= b.p1 GROUP BY w.p, b.z),
             coh AS (SELECT cohort, count(*) AS size, sum(r1) AS start_rev FROM w WHERE p = cohort GROUP BY cohort),
             cells AS (SELECT cohort, p, i, count(*) FILTER (WHERE r1 > 0) AS n, sum(r1) AS rev
                       FROM w WHERE p >= cohort GROUP BY cohort, p, i),
             tr AS (SELECT w.p,
                           sum(rl) + z AS start_rev,
                           coalesce(sum(r1) FILTER (WHERE rl > 0 AND r1 > 0), 0) + z AS retained,
                           coalesce(sum(least(rl, r1)) FILTER (WHERE rl > 0 AND r1 > 0), 0) + z AS kept,
                           count(*) FILTER (WHERE rl > 0) AS start_n,
                           count(*) FILTER (WHERE rl > 0 AND r1 > 0) AS retained_n
                    FROM w CROSS JOIN b WHERE w.p <= b.p1 GROUP BY w.p, b.z)
        %10$s$q$,
        cexpr, texpr, coalesce(aexpr, 'NULL'), rel, filter, lower(period),
        coalesce(obs, 'NULL'), ref_step(period), lag,
        CASE kind
            WHEN 'mrr' THEN
                'SELECT p AS period, start_rev::text, new_rev::text, react_rev::text, exp_rev::text,
                        contr_rev::text, churn_rev::text, end_rev::text,
                        start_n, new_n, react_n, exp_n, contr_n, churn_n,
                        ((start_rev + exp_rev - contr_rev - churn_rev) / nullif(start_rev, 0))::float8 AS nrr,
                        ((start_rev - contr_rev - churn_rev) / nullif(start_rev, 0))::float8 AS grr
                 FROM mv ORDER BY 1'
            WHEN 'retention' THEN
                'SELECT cells.cohort, cells.i - pc.i AS period_offset, coh.size AS cohort_size,
                        (coh.start_rev + b.z)::text AS cohort_start_revenue, (cells.rev + b.z)::text AS revenue,
                        ((cells.rev + b.z) / (coh.start_rev + b.z))::float8 AS net_revenue_retention,
                        cells.p < b.pe AS complete, cells.n AS customers
                 FROM cells JOIN coh USING (cohort) JOIN per pc ON pc.p = cells.cohort CROSS JOIN b
                 ORDER BY 1, 2'
            WHEN 'trailing' THEN
                'SELECT p AS period, (retained / nullif(start_rev, 0))::float8 AS nrr,
                        (kept / nullif(start_rev, 0))::float8 AS grr, start_rev::text, retained::text,
                        start_n, retained_n
                 FROM tr ORDER BY 1'
        END)
$f$;

-- The columns of accessor `kind` of the extension, as rev_sql gives them.
CREATE FUNCTION rev_cols(kind text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE kind
        WHEN 'mrr' THEN 'x.period, x.start_revenue::text, x.new_revenue::text, x.reactivation_revenue::text,
                         x.expansion_revenue::text, x.contraction_revenue::text, x.churned_revenue::text,
                         x.end_revenue::text, x.start_customers, x.new_customers, x.reactivated_customers,
                         x.expanded_customers, x.contracted_customers, x.churned_customers, x.nrr, x.grr'
        WHEN 'retention' THEN 'x.cohort, x.period_offset, x.cohort_size, x.cohort_start_revenue::text,
                               x.revenue::text, x.net_revenue_retention, x.complete, x.customers'
        WHEN 'trailing' THEN 'x.period, x.nrr, x.grr, x.start_revenue::text, x.retained_revenue::text,
                              x.start_customers, x.retained_customers'
    END
$f$;

-- The accessor `kind` over the matrices m of mrel (an aliased table or subquery, alias s).
CREATE FUNCTION rev_ext_over(kind text, mrel text, obs text DEFAULT NULL, lag int DEFAULT 1)
RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format('SELECT %s FROM %s CROSS JOIN LATERAL %s x ORDER BY 1, 2', rev_cols(kind), mrel,
        CASE kind WHEN 'mrr' THEN 'mrr_movements(s.m)'
                  WHEN 'retention' THEN 'revenue_retention(s.m' || coalesce(', ' || obs, '') || ')'
                  WHEN 'trailing' THEN format('trailing_nrr(s.m, %s)', lag) END)
$f$;

-- The aggregate query of the extension: one row, m.
CREATE FUNCTION rev_agg_query(rel text, cexpr text, texpr text, period text, aexpr text,
                              filter text DEFAULT 'true')
RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format('SELECT revenue_agg(%s, %s, %L, %s) AS m FROM %s WHERE %s', cexpr, texpr, period, aexpr, rel, filter)
$f$;

CREATE FUNCTION rev_ext(kind text, rel text, cexpr text, texpr text, period text, aexpr text,
                        filter text DEFAULT 'true', obs text DEFAULT NULL, lag int DEFAULT 1)
RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT rev_ext_over(kind, '(' || rev_agg_query(rel, cexpr, texpr, period, aexpr, filter) || ') s', obs, lag)
$f$;

------------------------------------------------------------------------------------------
-- Helpers and data
------------------------------------------------------------------------------------------

-- A deterministic "random" integer in [0, m) for (i, seed).
CREATE FUNCTION hv(i int8, seed int8, m int8) RETURNS int8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT (hashint8extended(i, seed) & 9223372036854775807) % m
$f$;

-- SQL expression turning the integer column ci into a customer of type `typ`.
CREATE FUNCTION key_expr(typ text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE typ
        WHEN 'int2' THEN '(ci * 7 - 3000)::int2'
        WHEN 'int4' THEN '(ci * 40000 - 2000000000)::int4'
        WHEN 'int8' THEN '(ci::int8 * 184467440737095 - 9223372036854775807)'
        WHEN 'text' THEN $$(CASE WHEN ci % 3 = 0 THEN ci::text WHEN ci % 3 = 1 THEN 'customer-number-' || ci
                                 ELSE 'Müller-' || ci END)$$
        WHEN 'uuid' THEN $$md5('k' || ci)::uuid$$
    END
$f$;

-- SQL expression of the time of type `typ` from the timestamptz column t: a timestamp is a
-- Bucharest wall clock, a date a Kolkata calendar day.
CREATE FUNCTION time_expr(typ text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE typ WHEN 'timestamptz' THEN 't'
                    WHEN 'timestamp' THEN '(t AT TIME ZONE ''Europe/Bucharest'')'
                    WHEN 'date' THEN '(t AT TIME ZONE ''Asia/Kolkata'')::date' END
$f$;

CREATE TABLE base (ds text, id int8, ci int, t timestamptz, a numeric);

-- mixed: 2,500 rows of ~300 customers over 2022 .. 2024 (UTC), a fifth of them by 15
-- frequent buyers; 1 % NULL customers, 0.4 % NULL times, 4 % NULL amounts, 8 % refunds
-- (some large), 4 % zero amounts, some amounts with 3 decimals; no row from 2023-06-25 to
-- 2023-09-04 (July and August empty in every zone); every 20th purchase refunded a second
-- later (a month netting to exactly zero when it is the customer's only purchase then).
INSERT INTO base
SELECT 'mixed', i,
       CASE WHEN hv(i, 1, 100) = 0 THEN NULL WHEN hv(i, 2, 5) = 0 THEN 1 + hv(i, 3, 15) ELSE 16 + hv(i, 4, 285) END,
       CASE WHEN hv(i, 5, 250) = 0 THEN NULL
            ELSE timestamptz '2022-01-01 00:00:00+00' + hv(i, 6, 1096 * 86400) * interval '1 second' END,
       CASE hv(i, 7, 25) WHEN 0 THEN NULL WHEN 1 THEN -round(hv(i, 8, 30000) / 100.0, 2)
                         WHEN 2 THEN -round(hv(i, 8, 500) / 100.0, 2) WHEN 3 THEN 0
            ELSE round(hv(i, 9, 40000) / 100.0, 2) + CASE WHEN hv(i, 10, 15) = 0 THEN 0.005 ELSE 0 END END
FROM generate_series(1, 2500) i;
DELETE FROM base WHERE ds = 'mixed' AND t >= '2023-06-25 00:00:00+00' AND t < '2023-09-05 00:00:00+00';
INSERT INTO base
SELECT 'mixed', 100000 + id, ci, t + interval '1 second', -a FROM base WHERE ds = 'mixed' AND id % 20 = 0 AND a > 0;

-- steady: 12 customers with revenue in every month of 2023 .. 2024 (1 or 2 rows a month
-- totalling 20, 30, 40 or 50: a quarter of the months equal to the one before), 30
-- one-month customers, and one customer without revenue (a zero and a NULL amount)
INSERT INTO base
SELECT 'steady', c * 1000 + m * 10 + j, c,
       timestamptz '2023-01-01 12:00:00+00' + m * interval '1 month'
           + hv(c * 100 + m, 20, 25 * 86400) * interval '1 second' + j * interval '1 hour',
       round((20 + 10 * hv(c * 100 + m, 21, 4))::numeric / (1 + hv(c * 100 + m, 22, 2)), 2)
FROM generate_series(1, 12) c CROSS JOIN generate_series(0, 23) m CROSS JOIN generate_series(0, 1) j
WHERE j <= hv(c * 100 + m, 22, 2);
INSERT INTO base
SELECT 'steady', 100000 + c, c, timestamptz '2023-01-05 12:00:00+00' + hv(c, 23, 24) * interval '1 month',
       round(hv(c, 24, 9000) / 100.0, 2)
FROM generate_series(100, 129) c;
INSERT INTO base VALUES ('steady', 200000, 200, '2023-05-05 12:00:00+00', 0),
                        ('steady', 200001, 200, '2024-02-05 12:00:00+00', NULL);

-- refunds: hand-made customers (New York months; every row mid-month)
INSERT INTO base (ds, id, ci, t, a) VALUES
    -- 1: 100, then a month netting to exactly 0 (churn), then 50 (reactivation)
    ('refunds', 1, 1, '2024-01-10 12:00:00+00', 100),
    ('refunds', 2, 1, '2024-02-10 12:00:00+00', 100),
    ('refunds', 3, 1, '2024-02-11 12:00:00+00', -100),
    ('refunds', 4, 1, '2024-03-10 12:00:00+00', 50),
    -- 2: 30, a negative month (churn), a NULL-only month, then back after 2 empty months
    ('refunds', 5, 2, '2024-01-15 12:00:00+00', 30),
    ('refunds', 6, 2, '2024-02-15 12:00:00+00', 10),
    ('refunds', 7, 2, '2024-02-16 12:00:00+00', -40),
    ('refunds', 8, 2, '2024-03-15 12:00:00+00', NULL),
    ('refunds', 9, 2, '2024-04-15 12:00:00+00', 20),
    -- 3: a refund first, NULL, then the first revenue (new in March)
    ('refunds', 10, 3, '2024-01-20 12:00:00+00', -10),
    ('refunds', 11, 3, '2024-02-20 12:00:00+00', NULL),
    ('refunds', 12, 3, '2024-03-20 12:00:00+00', 15),
    ('refunds', 13, 3, '2024-03-21 12:00:00+00', -5),
    -- 4: never any revenue (counts nowhere)
    ('refunds', 14, 4, '2024-01-12 12:00:00+00', -3),
    ('refunds', 15, 4, '2024-02-12 12:00:00+00', 0),
    ('refunds', 16, 4, '2024-05-12 12:00:00+00', NULL),
    -- 5: 3 decimals; equal, contraction by 0.001, expansion
    ('refunds', 17, 5, '2024-01-08 12:00:00+00', 10.005),
    ('refunds', 18, 5, '2024-02-08 12:00:00+00', 10.005),
    ('refunds', 19, 5, '2024-03-08 12:00:00+00', 5.002),
    ('refunds', 20, 5, '2024-03-09 12:00:00+00', 5.002),
    ('refunds', 21, 5, '2024-04-08 12:00:00+00', 12),
    ('refunds', 22, 5, '2024-05-08 12:00:00+00', 11.999),
    -- 6: expansion, then a refund bringing the month below the one before (contraction)
    ('refunds', 23, 6, '2024-02-05 12:00:00+00', 40),
    ('refunds', 24, 6, '2024-03-05 12:00:00+00', 70),
    ('refunds', 25, 6, '2024-04-05 12:00:00+00', 70),
    ('refunds', 26, 6, '2024-04-06 12:00:00+00', -45.5),
    ('refunds', 27, 6, '2024-05-05 12:00:00+00', 25),
    -- ignored: NULL customers (one later than every counted row) and a NULL time
    ('refunds', 28, NULL, '2024-03-01 12:00:00+00', 1000.12345),
    ('refunds', 29, NULL, '2025-06-01 12:00:00+00', 1000),
    ('refunds', 30, 7, NULL, 1000);

-- reactivate: 150 customers over 2021 .. 2024, in bursts of 1 to 4 months separated by 2
-- to 9 empty months; no row at all in 2022-03 and 2022-04
INSERT INTO base
SELECT 'reactivate', c * 1000 + m, c,
       timestamptz '2021-01-01 12:00:00+00' + m * interval '1 month' + hv(c * 1000 + m, 31, 20 * 86400) * interval '1 second',
       CASE WHEN hv(c * 1000 + m, 36, 30) = 0 THEN -5 ELSE round(hv(c * 1000 + m, 32, 50000) / 100.0, 2) END
FROM generate_series(1, 150) c CROSS JOIN generate_series(0, 47) m
WHERE m >= hv(c, 35, 12) AND (m - hv(c, 35, 12)) % ((1 + hv(c, 33, 4)) + (2 + hv(c, 34, 8))) < 1 + hv(c, 33, 4)
  AND m NOT IN (14, 15);

-- single: 40 rows of 12 customers in one week (and month, quarter, year) of New York:
-- Monday 2024-05-13 .. Friday
INSERT INTO base
SELECT 'single', i, 1 + hv(i, 40, 12)::int,
       timestamptz '2024-05-13 12:00:00+00' + hv(i, 41, 4 * 86400) * interval '1 second',
       CASE WHEN i % 9 = 0 THEN -5 WHEN i % 13 = 0 THEN NULL ELSE round(hv(i, 42, 10000) / 100.0, 2) END
FROM generate_series(1, 40) i;

-- daily: 40 customers active on about half the New York days 2024-10-20 .. 2024-12-14
-- (New York leaves daylight saving on 2024-11-03), some refunds
INSERT INTO base
SELECT 'daily', c * 1000 + d, c,
       ((date '2024-10-20' + d)::timestamp + hv(c * 1000 + d, 51, 86400) * interval '1 second') AT TIME ZONE 'America/New_York',
       CASE WHEN hv(c * 1000 + d, 52, 12) = 0 THEN -round(hv(c * 1000 + d, 53, 3000) / 100.0, 2)
            ELSE round(hv(c * 1000 + d, 54, 9000) / 100.0, 2) END
FROM generate_series(1, 40) c CROSS JOIN generate_series(0, 55) d
WHERE hv(c * 1000 + d, 50, 2) = 0;
-- scales: 600 rows of 60 customers over 2023 with amounts of mixed scales and magnitudes
-- (past 8 decimals and past 64-bit sums: exact numeric arithmetic throughout), refunds
INSERT INTO base
SELECT 'scales', i, 1 + hv(i, 60, 60)::int,
       timestamptz '2023-01-01 00:00:00+00' + hv(i, 61, 365 * 86400) * interval '1 second',
       (ARRAY[10, 10.5, 0.333, 1e-6, 123456789012.34, -123456789012.34, 7.000, 0.00000000000000000001,
              99999999999999999999.99, -0.1, 0.0, 1e20, 3.14159265358979323846264338327950288, NULL])[1 + hv(i, 62, 14)]
FROM generate_series(1, 600) i;
ANALYZE base;

------------------------------------------------------------------------------------------
-- The data sets have the shapes they are meant to have (plain SQL only, New York months)
------------------------------------------------------------------------------------------
CREATE TEMP TABLE cm AS
SELECT ds, ci, date_trunc('month', t)::date AS p, count(*) AS n, count(a) AS na, sum(a) AS r
FROM base WHERE ci IS NOT NULL AND t IS NOT NULL GROUP BY 1, 2, 3;

SELECT ok((SELECT count(*) FILTER (WHERE ci IS NULL) > 10 AND count(*) FILTER (WHERE t IS NULL) > 3
                  AND count(*) FILTER (WHERE a IS NULL) > 50 AND count(*) FILTER (WHERE a < 0) > 150
                  AND count(*) FILTER (WHERE a = 0) > 50
           FROM base WHERE ds = 'mixed'),
          'mixed has NULL customers, times and amounts, refunds and zero amounts');
SELECT ok((SELECT count(*) FILTER (WHERE n > 1 AND r = 0) >= 20 AND count(*) FILTER (WHERE r < 0) >= 20
                  AND count(*) FILTER (WHERE na = 0) >= 10
           FROM cm WHERE ds = 'mixed'),
          'mixed: 20+ customer-months netting to exactly 0, 20+ negative, 10+ with only NULL amounts');
SELECT is((SELECT array_agg(g.m::date::text ORDER BY g.m) FROM generate_series(date '2022-01-01', '2024-12-01', '1 month') g(m)
           WHERE NOT EXISTS (SELECT FROM cm WHERE ds = 'mixed' AND cm.p = g.m::date)),
          ARRAY['2023-07-01', '2023-08-01'], 'mixed: July and August 2023 have no row at all');
SELECT is((SELECT count(*) FROM (SELECT ci FROM cm WHERE ds = 'steady' AND r > 0 GROUP BY ci HAVING count(*) = 24) x),
          12::int8, 'steady: 12 customers with revenue in all 24 months');
SELECT ok((SELECT count(*) FROM (SELECT ci, p, lag(p) OVER (PARTITION BY ci ORDER BY p) AS prev FROM cm
                                 WHERE ds = 'reactivate' AND r > 0) x
           WHERE p >= (prev + interval '4 months')::date) > 100,
          'reactivate: 100+ returns after 3 or more empty months');
SELECT is((SELECT array_agg(DISTINCT p::text) FROM cm WHERE ds = 'reactivate' AND p >= '2022-02-01' AND p < '2022-06-01'),
          ARRAY['2022-02-01', '2022-05-01'], 'reactivate: March and April 2022 have no row at all');
SELECT ok((SELECT count(DISTINCT date_trunc('week', t)) = 1 AND count(DISTINCT ci) >= 10 FROM base WHERE ds = 'single'),
          'single: one week of New York, 10+ customers');
SELECT ok((SELECT count(*) FROM base WHERE ds = 'daily' AND t >= '2024-11-03 00:00:00-04' AND t < '2024-11-04 00:00:00-05') > 10,
          'daily: 10+ rows on the 25-hour day 2024-11-03 of New York');

------------------------------------------------------------------------------------------
-- Each case against the plain SQL
------------------------------------------------------------------------------------------

-- Table d(id, ci, c, t, a, t0): the rows of data set `ds` with customers of type ctype and
-- times of type ttype (t0 the original timestamptz), in a shuffled physical order.
CREATE FUNCTION make_d(ds text, ctype text, ttype text) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    DROP TABLE IF EXISTS d;
    EXECUTE format('CREATE TEMP TABLE d AS SELECT id, ci, %s AS c, %s AS t, a, t AS t0
                    FROM base WHERE ds = %L ORDER BY hashint8extended(id, 5)',
                   key_expr(ctype), time_expr(ttype), ds);
    ANALYZE d;
END
$f$;

-- One case: the data set under TimeZone tz with amounts of type atype (numeric, float8,
-- float4); each accessor of `kinds` (trailing: for each lag) against the plain SQL.
CREATE FUNCTION check_case(ds text, period text, ctype text, ttype text,
                           tz text DEFAULT 'America/New_York', atype text DEFAULT 'numeric',
                           obs text DEFAULT NULL, lags int[] DEFAULT '{1,3}',
                           kinds text[] DEFAULT '{mrr,retention,trailing}',
                           filter text DEFAULT 'true', note text DEFAULT NULL)
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    rel text := '(SELECT * FROM d ORDER BY hashint8extended(id, 11)) d';
    aexpr text := CASE atype WHEN 'numeric' THEN 'a' ELSE 'a::' || atype END;
    descr text;
    kind text;
    l int;
BEGIN
    PERFORM set_config('TimeZone', tz, true);
    PERFORM make_d(ds, ctype, ttype);
    descr := format('%s: %s, customer %s, %s, TimeZone %s%s%s%s', ds, period, ctype, ttype, tz,
                    CASE WHEN atype = 'numeric' THEN '' ELSE ', ' || atype || ' amounts' END,
                    CASE WHEN obs IS NULL THEN '' ELSE ', observed_until ' || obs END,
                    coalesce(', ' || note, ''));
    FOREACH kind IN ARRAY kinds LOOP
        IF kind = 'trailing' THEN
            FOREACH l IN ARRAY lags LOOP
                RETURN NEXT results_eq(rev_ext(kind, rel, 'c', 't', period, aexpr, filter, obs, l),
                                       rev_sql(kind, 'd', 'c', 't', period, aexpr, filter, obs, l),
                                       format('%s: trailing_nrr lag %s = plain SQL', descr, l));
            END LOOP;
        ELSE
            RETURN NEXT results_eq(rev_ext(kind, rel, 'c', 't', period, aexpr, filter, obs),
                                   rev_sql(kind, 'd', 'c', 't', period, aexpr, filter, obs),
                                   format('%s: %s = plain SQL', descr,
                                          CASE kind WHEN 'mrr' THEN 'mrr_movements' ELSE 'revenue_retention' END));
        END IF;
    END LOOP;
END
$f$;

-- months (the main case): every time and key type, float amounts
SELECT check_case('mixed', 'month', 'int8', 'timestamptz', lags => '{1,3,12}');
SELECT check_case('mixed', 'month', 'text', 'timestamptz', tz => 'Europe/Bucharest');
SELECT check_case('mixed', 'month', 'int8', 'timestamp');
SELECT check_case('mixed', 'month', 'text', 'date');
SELECT check_case('mixed', 'month', 'int2', 'timestamptz', kinds => '{mrr,trailing}', lags => '{2}');
SELECT check_case('mixed', 'month', 'int4', 'date', kinds => '{mrr,retention}');
SELECT check_case('mixed', 'month', 'uuid', 'timestamptz', atype => 'float8', lags => '{1,6}');
SELECT check_case('mixed', 'month', 'int8', 'timestamp', atype => 'float4', lags => '{1}');
SELECT check_case('steady', 'month', 'int8', 'timestamptz', lags => '{1,2,6,23}');
SELECT check_case('steady', 'month', 'text', 'date', atype => 'float8', lags => '{1}');
SELECT check_case('refunds', 'month', 'int8', 'timestamptz', lags => '{1,2,3,4}');
SELECT check_case('refunds', 'month', 'text', 'timestamp', lags => '{1}');
SELECT check_case('refunds', 'month', 'int4', 'date', atype => 'float8', lags => '{1}');
SELECT check_case('reactivate', 'month', 'text', 'timestamptz', lags => '{1,6,12}');
SELECT check_case('reactivate', 'month', 'int8', 'date', lags => '{1,60}');
SELECT check_case('single', 'month', 'int8', 'timestamptz', lags => '{1}');
SELECT check_case('single', 'week', 'text', 'timestamptz', lags => '{1}');
SELECT check_case('scales', 'month', 'int8', 'timestamptz', lags => '{1,3}');
SELECT check_case('scales', 'week', 'text', 'date', lags => '{1}');
-- lag longer than the whole span: no start anywhere
SELECT check_case('steady', 'month', 'int8', 'timestamptz', kinds => '{trailing}', lags => '{30,60}');

-- day, week, quarter, year
SELECT check_case('daily', 'day', 'int8', 'timestamptz', lags => '{1,7}');
SELECT check_case('daily', 'day', 'text', 'timestamp', lags => '{1}');
SELECT check_case('daily', 'day', 'int8', 'date', lags => '{2}');
SELECT check_case('daily', 'week', 'text', 'timestamptz', lags => '{1,4}');
SELECT check_case('daily', 'week', 'int8', 'date', lags => '{1}');
SELECT check_case('mixed', 'day', 'int8', 'timestamptz', lags => '{1,7}',
                  filter => $$(t0 IS NULL OR t0 >= '2024-02-20' AND t0 < '2024-04-10')$$,
                  note => 'days 2024-02-20 .. 2024-04-09');
SELECT check_case('mixed', 'week', 'int8', 'timestamptz', filter => $$(ci <= 15 OR ci IS NULL)$$,
                  note => 'frequent buyers', lags => '{1,4}');
SELECT check_case('single', 'day', 'int8', 'timestamptz', lags => '{1}');
SELECT check_case('mixed', 'quarter', 'text', 'timestamptz', lags => '{1,4}');
SELECT check_case('reactivate', 'quarter', 'int8', 'timestamp', lags => '{1}');
SELECT check_case('mixed', 'year', 'int8', 'timestamptz', lags => '{1,2}');
SELECT check_case('reactivate', 'year', 'text', 'date', lags => '{1}');

-- observed_until: later than the data (extra offsets, the last data month complete), at a
-- local period start (the month before complete), equal to the latest row, NULL
SELECT check_case('mixed', 'month', 'int8', 'timestamptz', obs => $$'2025-03-15 12:00:00-04'$$,
                  kinds => '{retention}');
SELECT check_case('mixed', 'month', 'text', 'timestamptz', obs => $$'2025-01-01 00:00:00 America/New_York'$$,
                  kinds => '{retention}');
SELECT check_case('refunds', 'month', 'int8', 'timestamptz', obs => '(SELECT max(t) FROM d WHERE c IS NOT NULL)',
                  kinds => '{retention}');
SELECT check_case('refunds', 'month', 'int8', 'timestamptz', obs => 'NULL', kinds => '{retention}');
SELECT check_case('reactivate', 'quarter', 'int8', 'date', obs => $$'2026-02-01 00:00:00+00'$$,
                  kinds => '{retention}');
SELECT check_case('daily', 'week', 'int8', 'timestamp', obs => $$'2025-01-06 00:00:00-05'$$,
                  kinds => '{retention}');

------------------------------------------------------------------------------------------
-- Identities over the extension's own answers
------------------------------------------------------------------------------------------
SET LOCAL TimeZone = 'America/New_York';
CREATE TABLE mats (name text, m revenue_matrix);
INSERT INTO mats
SELECT 'mixed, month', revenue_agg(ci, t, 'month', a) FROM base WHERE ds = 'mixed'
UNION ALL SELECT 'mixed, week, float8', revenue_agg(ci::text, t, 'week', a::float8) FROM base WHERE ds = 'mixed'
UNION ALL SELECT 'mixed, quarter, date', revenue_agg(ci, t::date, 'quarter', a) FROM base WHERE ds = 'mixed'
UNION ALL SELECT 'steady, month', revenue_agg(ci, t, 'month', a) FROM base WHERE ds = 'steady'
UNION ALL SELECT 'refunds, month', revenue_agg(ci, t, 'month', a) FROM base WHERE ds = 'refunds'
UNION ALL SELECT 'reactivate, month, timestamp', revenue_agg(ci::int8, t AT TIME ZONE 'UTC', 'month', a)
          FROM base WHERE ds = 'reactivate'
UNION ALL SELECT 'single, day', revenue_agg(ci, t, 'day', a) FROM base WHERE ds = 'single'
UNION ALL SELECT 'scales, month', revenue_agg(ci, t, 'month', a) FROM base WHERE ds = 'scales'
UNION ALL SELECT 'daily, day', revenue_agg(ci, t, 'day', a) FROM base WHERE ds = 'daily'
UNION ALL SELECT 'daily, year', revenue_agg(ci, t, 'year', a) FROM base WHERE ds = 'daily';

SELECT is_empty($$SELECT name, x.period FROM mats, mrr_movements(m) x
                  WHERE x.end_revenue IS DISTINCT FROM x.start_revenue + x.new_revenue + x.reactivation_revenue
                        + x.expansion_revenue - x.contraction_revenue - x.churned_revenue$$,
                'every row: end = start + new + reactivation + expansion - contraction - churn');
SELECT is_empty($$SELECT name, period FROM (
                      SELECT name, x.period, x.start_revenue, x.start_customers,
                             lag(x.end_revenue, 1, 0) OVER w AS prev_end,
                             lag(x.start_customers + x.new_customers + x.reactivated_customers - x.churned_customers, 1, 0::int8)
                                 OVER w AS prev_end_n
                      FROM mats, mrr_movements(m) x WINDOW w AS (PARTITION BY name ORDER BY x.period)) y
                  WHERE start_revenue <> prev_end OR start_customers <> prev_end_n$$,
                'every row: start = the previous period''s end (revenue, and customers counted by movements)');
SELECT results_eq($$SELECT name, x.period, x.nrr, x.grr, x.start_revenue::text, x.start_customers
                    FROM mats, trailing_nrr(m, 1) x ORDER BY 1, 2$$,
                  $$SELECT name, x.period, x.nrr, x.grr, x.start_revenue::text, x.start_customers
                    FROM mats, mrr_movements(m) x ORDER BY 1, 2$$,
                  'trailing_nrr(m, 1): the same NRR, GRR, start revenue and customers as mrr_movements');
SELECT is_empty($$SELECT name FROM mats
                  WHERE (SELECT sum(new_customers) FROM mrr_movements(m))
                        IS DISTINCT FROM customers(m)
                     OR (SELECT sum(cohort_size) FROM revenue_retention(m) WHERE period_offset = 0)
                        IS DISTINCT FROM customers(m)$$,
                'customers(m) = the new customers of all periods = the cohort sizes');
SELECT results_eq($$SELECT customers(m), ignored_rows(m) FROM mats WHERE name = 'mixed, month'$$,
                  $$SELECT count(DISTINCT ci) FILTER (WHERE ci IN (SELECT ci FROM cm WHERE ds = 'mixed' AND r > 0)),
                           count(*) FILTER (WHERE ci IS NULL OR t IS NULL)
                    FROM base WHERE ds = 'mixed'$$,
                  'mixed: customers (with revenue in some month) and ignored rows (NULL customer or time)');

-- no rows: no periods; lags outside 1 .. 60
SELECT is_empty($$SELECT * FROM mrr_movements((SELECT revenue_agg(ci, t, 'month', a) FROM base WHERE false))$$,
                'no rows: mrr_movements has no rows');
SELECT is_empty($$SELECT * FROM revenue_retention((SELECT revenue_agg(ci, t, 'month', a) FROM base WHERE ds = 'refunds'
                                                                                          AND ci IS NULL))$$,
                'only ignored rows: revenue_retention has no rows');
SELECT throws_ok($$SELECT * FROM trailing_nrr((SELECT m FROM mats WHERE name = 'mixed, month'), 0)$$, '22023', NULL,
                 'trailing_nrr lag 0: 22023');
SELECT throws_ok($$SELECT * FROM trailing_nrr((SELECT m FROM mats WHERE name = 'mixed, month'), 61)$$, '22023', NULL,
                 'trailing_nrr lag 61: 22023');

------------------------------------------------------------------------------------------
-- Parallel plans, partitionwise aggregation, a UNION ALL: partial states combined. The
-- matrices are kept with CREATE TABLE AS (queries run through cursors, as results_eq runs
-- them, never get parallel plans); ordinary tables (parallel workers cannot read temporary
-- ones), created in this transaction.
------------------------------------------------------------------------------------------
SET LOCAL TimeZone = 'America/New_York';

-- 30,000 rows of 3,000 customers over 2023 .. 2024, in hashed physical order
CREATE TABLE po (id int8, c_int int, c_text text, t_tz timestamptz, t_d date, a numeric);
INSERT INTO po
SELECT id, c, 'customer ' || c, t, (t AT TIME ZONE 'UTC')::date,
       CASE hv(id, 71, 25) WHEN 0 THEN NULL WHEN 1 THEN -round(hv(id, 79, 20000) / 100.0, 2)
            ELSE round(hv(id, 72, 30000) / 100.0, 2) END
FROM (SELECT id,
             CASE WHEN hv(id, 73, 200) = 0 THEN NULL ELSE hv(id, 74, 3000)::int END AS c,
             CASE WHEN hv(id, 75, 300) = 0 THEN NULL
                  ELSE timestamptz '2023-01-01 00:00:00+00' + hv(id, 76, 731 * 86400) * interval '1 second' END AS t
      FROM generate_series(1, 30000) id) x
ORDER BY hashint8extended(id, 78);
ALTER TABLE po SET (parallel_workers = 2);
ANALYZE po;

-- partitioned by row id: every customer has rows in every partition
CREATE TABLE pp (LIKE po) PARTITION BY HASH (id);
CREATE TABLE pp_0 PARTITION OF pp FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE pp_1 PARTITION OF pp FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE pp_2 PARTITION OF pp FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO pp SELECT * FROM po;
ANALYZE pp;
-- two plain tables, read as a UNION ALL
CREATE TABLE pu_a AS SELECT * FROM po WHERE id % 2 = 0;
CREATE TABLE pu_b AS SELECT * FROM po WHERE id % 2 = 1;
ALTER TABLE pu_a SET (parallel_workers = 2);
ALTER TABLE pu_b SET (parallel_workers = 2);
ANALYZE pu_a;
ANALYZE pu_b;

SELECT ok((SELECT count(*) FROM (SELECT c_int FROM po WHERE c_int IS NOT NULL
                                 GROUP BY c_int
                                 HAVING max((ctid::text::point)[0]) - min((ctid::text::point)[0])
                                        > 0.5 * (SELECT relpages FROM pg_class WHERE oid = 'po'::regclass)) x) > 1500,
          'po: 1,500+ customers have rows more than half the table apart (parallel workers split them)');

-- EXPLAIN ANALYZE of a statement, as one text (the statement is executed).
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

-- One case: the matrix built under plan `mode` (plan checked) and under the serial plan;
-- the plan's accessors against the serial plan's and against the plain SQL. 7 tests.
CREATE FUNCTION check_plan(label text, mode text, rel text, cexpr text, texpr text, period text,
                           filter text DEFAULT 'true', lag int DEFAULT 3, aexpr text DEFAULT 'a')
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    q text := rev_agg_query(rel, cexpr, texpr, period, aexpr, filter);
    plan_text text;
    kind text;
BEGIN
    DROP TABLE IF EXISTS res_plan, res_serial;
    PERFORM use_plan(mode);
    plan_text := explain_analyze('CREATE TABLE res_plan AS ' || q);
    RETURN NEXT ok(plan_text ~ 'Partial \w*Aggregate'
                   AND (mode NOT LIKE '%parallel%' OR plan_text ~ 'Workers Launched: [1-9]')
                   AND (mode NOT LIKE '%partitionwise%' AND rel NOT LIKE '%UNION ALL%' OR plan_text ~ 'Append'),
                   format('%s: %s plan with partial aggregates', label, mode));
    IF NOT plan_text ~ 'Partial \w*Aggregate' THEN
        RETURN NEXT diag(plan_text);
    END IF;
    PERFORM use_plan('serial');
    plan_text := explain_analyze('CREATE TABLE res_serial AS ' || q);
    IF plan_text ~ 'Partial|Gather' THEN
        RETURN NEXT diag('serial plan is not serial: ' || plan_text);
    END IF;
    FOREACH kind IN ARRAY ARRAY['mrr', 'retention', 'trailing'] LOOP
        RETURN NEXT results_eq(rev_ext_over(kind, 'res_plan s', NULL, lag), rev_ext_over(kind, 'res_serial s', NULL, lag),
                               format('%s: %s plan: %s = serial plan', label, mode, kind));
        RETURN NEXT results_eq(rev_ext_over(kind, 'res_plan s', NULL, lag),
                               rev_sql(kind, rel, cexpr, texpr, period, aexpr, filter, NULL, lag),
                               format('%s: %s plan: %s = plain SQL', label, mode, kind));
    END LOOP;
END
$f$;

SELECT check_plan('int customers, timestamptz, month', 'parallel', 'po', 'c_int', 't_tz', 'month');
SELECT check_plan('text customers, date, week (2024 H1)', 'parallel, no leader', 'po', 'c_text', 't_d', 'week',
                  $$t_d >= '2024-01-01' AND t_d < '2024-07-01'$$, 4);
SELECT check_plan('int customers, timestamptz, month', 'partitionwise', 'pp', 'c_int', 't_tz', 'month', lag => 12);
SELECT check_plan('text customers, timestamptz, quarter', 'partitionwise, parallel', 'pp', 'c_text', 't_tz',
                  'quarter', lag => 1);
SELECT check_plan('int customers, date, month, UNION ALL of two tables', 'parallel',
                  '(SELECT * FROM pu_a UNION ALL SELECT * FROM pu_b) u', 'c_int', 't_d', 'month', lag => 1);
-- every 50th amount with 16+ decimals (exact numeric sums in the partial states)
SELECT check_plan('int customers, timestamptz, month, amounts of 16+ decimals', 'parallel', 'po', 'c_int', 't_tz',
                  'month', aexpr => 'CASE WHEN id % 50 = 0 THEN a / 7 ELSE a END');
-- 4 rows pass: most participants have no row, their empty states meet non-empty ones
SELECT check_plan('int customers, timestamptz, month, 4 rows pass', 'parallel', 'po', 'c_int', 't_tz', 'month',
                  'id % 7000 = 0', 1);

------------------------------------------------------------------------------------------
-- Online Retail (UCI), monthly
------------------------------------------------------------------------------------------
\if :have_or
-- InvoiceDate is UK wall-clock time (GMT / BST): loaded as timestamp
SET LOCAL TimeZone = 'Europe/London';
SET LOCAL max_parallel_workers_per_gather = 0;
\ir lib/online_retail_load.psql

SELECT is((SELECT count(*) FROM online_retail_raw), 541909::int8, 'Online Retail: 541,909 raw rows');
-- the raw rows: refunds (cancellations), NULL customers
SELECT results_eq(rev_ext('mrr', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue'),
                  rev_sql('mrr', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue'),
                  'Online Retail, raw rows (refunds, unknown customers): mrr_movements = plain SQL');
SELECT results_eq(rev_ext('retention', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue'),
                  rev_sql('retention', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue'),
                  'Online Retail, raw rows: revenue_retention = plain SQL');
SELECT results_eq(rev_ext('trailing', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue', lag => 1),
                  rev_sql('trailing', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue', lag => 1),
                  'Online Retail, raw rows: trailing_nrr lag 1 = plain SQL');
SELECT results_eq(rev_ext('trailing', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue', lag => 3),
                  rev_sql('trailing', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue', lag => 3),
                  'Online Retail, raw rows: trailing_nrr lag 3 = plain SQL');
SELECT results_eq(rev_ext('trailing', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue', lag => 12),
                  rev_sql('trailing', 'raw_lines', 'customer', 'invoiced_at', 'month', 'revenue', lag => 12),
                  'Online Retail, raw rows: trailing_nrr lag 12 = plain SQL');
-- the cleaned lines, text customers ('17850.0' as written), timestamptz in London time
SELECT results_eq(rev_ext('mrr', 'lines', 'customer_text', 'invoiced_at AT TIME ZONE ''Europe/London''', 'month',
                          'revenue'),
                  rev_sql('mrr', 'lines', 'customer_text', 'invoiced_at AT TIME ZONE ''Europe/London''', 'month',
                          'revenue'),
                  'Online Retail, cleaned lines, text customers, timestamptz: mrr_movements = plain SQL');
SELECT results_eq(rev_ext('retention', 'lines', 'customer_text', 'invoiced_at', 'month', 'revenue',
                          obs => $$'2012-01-01 00:00:00+00'$$),
                  rev_sql('retention', 'lines', 'customer_text', 'invoiced_at', 'month', 'revenue',
                          obs => $$'2012-01-01 00:00:00+00'$$),
                  'Online Retail, cleaned lines, observed_until 2012-01-01 (December complete): revenue_retention = plain SQL');
SELECT results_eq(rev_ext('trailing', 'lines', 'customer', 'invoiced_at', 'month', 'revenue::float8', lag => 6),
                  rev_sql('trailing', 'lines', 'customer', 'invoiced_at', 'month', 'revenue::float8', lag => 6),
                  'Online Retail, cleaned lines, float8 amounts: trailing_nrr lag 6 = plain SQL');
CREATE TEMP TABLE or_m AS SELECT revenue_agg(customer, invoiced_at, 'month', revenue) AS m FROM raw_lines;
SELECT is_empty($$SELECT x.period FROM or_m, mrr_movements(m) x
                  WHERE x.end_revenue <> x.start_revenue + x.new_revenue + x.reactivation_revenue
                        + x.expansion_revenue - x.contraction_revenue - x.churned_revenue$$,
                'Online Retail, raw rows: end = start + new + reactivation + expansion - contraction - churn');
SELECT results_eq($$SELECT x.period, x.nrr, x.grr FROM or_m, trailing_nrr(m, 1) x ORDER BY 1$$,
                  $$SELECT x.period, x.nrr, x.grr FROM or_m, mrr_movements(m) x ORDER BY 1$$,
                  'Online Retail, raw rows: trailing_nrr(m, 1) = the movements'' NRR and GRR');
\else
SELECT skip('Online Retail missing (retention_data has no online_retail/online_retail.csv.gz)', 1);
\endif

------------------------------------------------------------------------------------------
-- CDNOW sample, monthly
------------------------------------------------------------------------------------------
\if :have_cd
SET LOCAL TimeZone = 'UTC';
-- whitespace-separated, CRLF, no header: master_id, sample_id, date, number_of_cds, dollar_value
CREATE TABLE cdnow_file (line text);
SELECT format('\copy cdnow_file from %L', :'retention_data' || '/cdnow/CDNOW_sample.txt') AS copy_command \gset
:copy_command
CREATE TABLE cdnow AS
SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS ordered_on, f[4]::int AS cds, f[5]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r\t'), '\s+') AS f FROM cdnow_file WHERE btrim(line, E' \r\t') <> '') x;
ANALYZE cdnow;

SELECT results_eq($$SELECT count(*), count(DISTINCT customer), min(ordered_on), max(ordered_on) FROM cdnow$$,
                  $$VALUES (6919::int8, 2357::int8, date '1997-01-01', date '1998-06-30')$$,
                  'CDNOW sample: 6,919 orders of 2,357 customers, 1997-01-01 .. 1998-06-30');
SELECT results_eq(rev_ext('mrr', 'cdnow', 'customer', 'ordered_on', 'month', 'amount'),
                  rev_sql('mrr', 'cdnow', 'customer', 'ordered_on', 'month', 'amount'),
                  'CDNOW: mrr_movements = plain SQL');
SELECT results_eq(rev_ext('retention', 'cdnow', 'customer', 'ordered_on', 'month', 'amount'),
                  rev_sql('retention', 'cdnow', 'customer', 'ordered_on', 'month', 'amount'),
                  'CDNOW: revenue_retention = plain SQL');
SELECT results_eq(rev_ext('trailing', 'cdnow', 'customer', 'ordered_on', 'month', 'amount', lag => 1),
                  rev_sql('trailing', 'cdnow', 'customer', 'ordered_on', 'month', 'amount', lag => 1),
                  'CDNOW: trailing_nrr lag 1 = plain SQL');
SELECT results_eq(rev_ext('trailing', 'cdnow', 'customer', 'ordered_on', 'month', 'amount', lag => 12),
                  rev_sql('trailing', 'cdnow', 'customer', 'ordered_on', 'month', 'amount', lag => 12),
                  'CDNOW: trailing_nrr lag 12 = plain SQL');
SELECT results_eq(rev_ext('mrr', 'cdnow', 'customer::text', 'ordered_on', 'quarter', 'amount::float8'),
                  rev_sql('mrr', 'cdnow', 'customer::text', 'ordered_on', 'quarter', 'amount::float8'),
                  'CDNOW, text customers, float8 amounts, quarters: mrr_movements = plain SQL');
-- the cohort is the first quarter of 1997: three monthly cohorts, all of them new then
SELECT results_eq($$SELECT x.cohort, x.cohort_size FROM (SELECT revenue_agg(customer, ordered_on, 'month', amount) AS m
                                                       FROM cdnow) s, revenue_retention(s.m) x
                    WHERE x.period_offset = 0 ORDER BY 1$$,
                  $$SELECT date_trunc('month', first)::date, count(*) FROM (SELECT customer, min(ordered_on) AS first
                                                                           FROM cdnow WHERE amount > 0 GROUP BY 1) f
                    GROUP BY 1 ORDER BY 1$$,
                  'CDNOW: the cohorts are the months of the first purchases (1997-01 .. 1997-03)');
SELECT is_empty($$SELECT x.period FROM (SELECT revenue_agg(customer, ordered_on, 'month', amount) AS m FROM cdnow) s,
                                       mrr_movements(s.m) x
                  WHERE x.end_revenue <> x.start_revenue + x.new_revenue + x.reactivation_revenue
                        + x.expansion_revenue - x.contraction_revenue - x.churned_revenue
                     OR (x.period >= '1997-04-01' AND x.new_customers <> 0)$$,
                'CDNOW: end = start + movements on every row; no new customers after March 1997');
\else
SELECT skip('CDNOW sample missing (retention_data has no cdnow/CDNOW_sample.txt)', 1);
\endif

SELECT * FROM finish();
ROLLBACK;
