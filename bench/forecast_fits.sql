-- bench/forecast_fits.sql: how long the 1.6 fits take on 2.5M customers (one row per
-- customer, as a user runs them), and per cohort of a monthly cohort matrix.
--   psql -X -f bench/forecast_fits.sql     (in a database with the extension; ~3 minutes)
-- Generated data, seeded: each fit's time is the aggregate over 2.5M rows plus the
-- maximum likelihood fit over the distinct patterns plus the standard errors.
\timing on
SET max_parallel_workers_per_gather = 0;  -- serial first; the default plan below
SELECT setseed(0.16);

-- BG/BB: 26 opportunities, p and theta drawn per customer, alive for a geometric number of
-- opportunities, transactions a binomial draw (normal approximation) among them
CREATE TEMP TABLE bgbb_customers AS
SELECT g AS customer,
       least(alive, greatest(0, round(alive * p + sqrt(alive * p * (1 - p)) * z))::int) AS x, alive, p
FROM (SELECT g, p, z,
             least(26, floor(ln(1 - random()) / ln(1 - theta)))::int AS alive
      FROM (SELECT g, random() AS p, 0.02 + 0.3 * random() ^ 2 AS theta,
                   sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z
            FROM generate_series(1, 2500000) g) a) b;
CREATE TEMP TABLE bgbb_summary AS
SELECT customer, x, CASE WHEN x = 0 THEN 0 ELSE x + floor(random() * (alive - x + 1))::int END AS tx, 26 AS n
FROM bgbb_customers;
VACUUM ANALYZE bgbb_summary;
SELECT count(*) AS customers, count(DISTINCT (x, tx)) AS patterns FROM bgbb_summary;
SELECT (m).alpha, (m).beta, (m).gamma, (m).delta, (m).iterations, (m).converged, (m).se_alpha
FROM (SELECT bgbb_fit(x, tx, n) AS m FROM bgbb_summary) s;
-- the same patterns grouped first (what a user with a summary table would pass)
SELECT (m).iterations FROM (SELECT bgbb_fit(x, tx, n, c) AS m
                            FROM (SELECT x, tx, n, count(*) AS c FROM bgbb_summary GROUP BY 1, 2, 3) q) s;

-- BG/NBD with standard errors on 2.5M (frequency, recency, t) rows in weeks, 2 decimals
CREATE TEMP TABLE rfm_summary AS
SELECT g AS customer, x, CASE WHEN x = 0 THEN 0 ELSE round((t * random())::numeric, 2)::float8 END AS tx, t
FROM (SELECT g, floor(-ln(1 - random()) * 2 * random())::int AS x, round((52 * random())::numeric, 2)::float8 AS t
      FROM generate_series(1, 2500000) g) a;
VACUUM ANALYZE rfm_summary;
SELECT count(*) AS customers, count(DISTINCT (x, tx, t)) AS patterns FROM rfm_summary;
SELECT (m).r, (m).alpha, (m).a, (m).b, (m).iterations, (m).converged, (m).se_r
FROM (SELECT bgnbd_fit(x, tx, t) AS m FROM rfm_summary) s;

-- sBG per cohort: 36 monthly cohorts of 250,000 customers, each active every month until a
-- geometric churn (theta per customer), one order per active month
CREATE TEMP TABLE sub_orders AS
SELECT c.customer, c.start + (k * interval '1 month') AS ordered_at
FROM (SELECT g AS customer, timestamptz '2022-01-01' + (floor(random() * 36) * interval '1 month') AS start,
             0.03 + 0.4 * random() ^ 3 AS theta, random() AS u
      FROM generate_series(1, 250000) g) c,
     generate_series(0, least(35, floor(ln(1 - c.u) / ln(1 - c.theta)))::int) k
WHERE c.start + (k * interval '1 month') < '2025-01-01';
SELECT count(*) AS orders FROM sub_orders;
CREATE TEMP TABLE sub_matrix AS SELECT cohort_agg(customer, ordered_at, 'month') AS m FROM sub_orders;
SELECT count(*) AS cohorts, count(*) FILTER (WHERE (model).converged) AS converged
FROM sub_matrix, sbg_fit(m, '2025-01-01');
SELECT count(*) AS forecast_rows FROM sub_matrix, retention_forecast(m, 36, '2025-01-01');

RESET max_parallel_workers_per_gather;
SELECT (m).iterations FROM (SELECT bgbb_fit(x, tx, n) AS m FROM bgbb_summary) s;
SELECT (m).iterations FROM (SELECT bgnbd_fit(x, tx, t) AS m FROM rfm_summary) s;
