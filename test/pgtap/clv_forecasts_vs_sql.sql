-- sBG and BG/BB (1.6) against independent plain-SQL formulations, and the standard errors
-- of every fit on real data (sql/clv_forecasts.sql has the hand cases and the published
-- fits; nothing here repeats it):
--   * sBG: S(t) as the product of (beta+k-1)/(alpha+beta+k-1) in SQL for t = 0..60 at five
--     (alpha, beta) pairs; P(T = t), r(t), DEL(d) and DERL(n, d) as direct sums of S with a
--     bounded tail, and the closed forms without discount;
--   * sBG fits: the log-likelihood of a survival table (gaps and pooled rows included) from
--     the SQL S(t), the fit a maximum of it, projections of Fader & Hardie's cohorts;
--   * sbg_fit(cohort_matrix) and retention_forecast on orders of customers that churn
--     geometrically with a Beta-distributed churn probability (sBG is the true model);
--   * BG/BB: log-likelihood, P(alive), E[X(n)] and E[X(n, n+n*) | x, tx, n] from beta-function
--     ratios written as products of rational factors (PostgreSQL 15 has no lgamma), on a grid
--     of patterns and on the donations data; the weighted fit = the fit over one row per
--     customer; a forced parallel plan = serial;
--   * standard errors: the sBG fit's from a finite-difference observed information of the SQL
--     log-likelihood; on CDNOW, BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma against
--     test/clv_math/se_reference.out (mpmath) and the published BG/NBD values; parameters().
-- Reference values copied from test/clv_math/forecast_reference.out and se_reference.out
-- (mpmath, printed to 10 significant digits).
-- Data: <retention_data>/lifetimes_datasets/donations.csv and <retention_data>/cdnow/. The
-- runner passes --set retention_data=/abs/path/to/shared/data, or an empty string when the
-- folder is missing: then each part whose files are missing skips with one skipped test.
--
-- Tolerances: S(t), P(T = t), r(t) 1e-12 relative (P(T = t) as S(t-1) - S(t): 1e-12 of
-- S(t-1), the cancellation); the direct sums 1e-10 relative; BG/BB per pattern 1e-11
-- relative (log-likelihood 1e-12 relative or absolute); log-likelihoods summed over a data
-- set 1e-9 relative; standard errors 1e-4 relative.

\if :{?retention_data}
\else
\set retention_data ''
\endif
-- (client side, as \copy reads them)
\set have_don `test -n :'retention_data' && test -r :'retention_data'/lifetimes_datasets/donations.csv && echo true || echo false`
\set have_cd `test -n :'retention_data' && test -r :'retention_data'/cdnow/cdnow_customers_summary.csv && test -r :'retention_data'/cdnow/cdnow_customers_summary_with_transactions.csv && test -r :'retention_data'/cdnow/derived/cdnow_reference_predictions.csv && echo true || echo false`

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(45 + CASE WHEN :'have_don' THEN 11 ELSE 1 END + CASE WHEN :'have_cd' THEN 10 ELSE 1 END);

CREATE SCHEMA tap_clv_forecasts_vs_sql;
SET LOCAL search_path = tap_clv_forecasts_vs_sql, public;
SET LOCAL TimeZone = 'UTC';
\ir lib/clv_helpers.psql

------------------------------------------------------------------------------------------
-- Plain-SQL formulas
------------------------------------------------------------------------------------------
-- sBG: S(t) = prod_{k=1..t} (beta+k-1)/(alpha+beta+k-1), S(0) = 1
CREATE FUNCTION sql_s(a float8, b float8, t int) RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT exp(coalesce(sum(ln((b + k - 1) / (a + b + k - 1))), 0)) FROM generate_series(1, t) k
$f$;

-- sBG log-likelihood of survival table cohort c (rows of one period add up): between two
-- observed periods p < q, alive(p) - alive(q) customers churned, each ln(S(p) - S(q))
-- (ln P(T = q) when q = p + 1); alive(last) customers survive, each ln S(last)
CREATE TABLE surv (cohort text, period int, alive int8);
CREATE FUNCTION sql_sbg_ll(c text, a float8, b float8) RETURNS float8 LANGUAGE sql STABLE AS $f$
    SELECT sum(CASE WHEN q IS NULL THEN alive * ln(sql_s(a, b, p))
                    ELSE (alive - alive_q) * ln(sql_s(a, b, p) - sql_s(a, b, q)) END)
    FROM (SELECT p, alive, lead(p) OVER w AS q, lead(alive) OVER w AS alive_q
          FROM (SELECT period AS p, sum(alive) AS alive FROM surv WHERE cohort = c GROUP BY period) s
          WINDOW w AS (ORDER BY p)) t
$f$;

-- BG/BB: B(a+k, b+m)/B(a, b) for integers k, m >= 0, a product of rational factors:
--   prod_{i<k} (a+i) * prod_{j<m} (b+j) / prod_{l<k+m} (a+b+l)
CREATE FUNCTION beta_ratio(a float8, b float8, k int, m int) RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT exp(coalesce((SELECT sum(ln(a + i)) FROM generate_series(0, k - 1) i), 0)
             + coalesce((SELECT sum(ln(b + j)) FROM generate_series(0, m - 1) j), 0)
             - coalesce((SELECT sum(ln(a + b + l)) FROM generate_series(0, k + m - 1) l), 0))
$f$;
-- L(x, tx, n) = B(al+x, be+n-x)/B(al,be) B(ga, de+n)/B(ga,de)
--             + sum_{i=0}^{n-tx-1} B(al+x, be+tx-x+i)/B(al,be) B(ga+1, de+tx+i)/B(ga,de)
CREATE FUNCTION sql_bgbb_l(al float8, be float8, ga float8, de float8, x int, tx int, n int)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT beta_ratio(al, be, x, n - x) * beta_ratio(ga, de, 0, n)
         + coalesce((SELECT sum(beta_ratio(al, be, x, tx - x + i) * beta_ratio(ga, de, 1, tx + i))
                     FROM generate_series(0, n - tx - 1) i), 0)
$f$;
-- P(alive at n+1 | x, tx, n) = B(al+x, be+n-x)/B(al,be) B(ga, de+n+1)/B(ga,de) / L
CREATE FUNCTION sql_bgbb_p_alive(al float8, be float8, ga float8, de float8, x int, tx int, n int)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT beta_ratio(al, be, x, n - x) * beta_ratio(ga, de, 0, n + 1) / sql_bgbb_l(al, be, ga, de, x, tx, n)
$f$;
-- E[X(n)] = al/(al+be) sum_{t=1..n} prod_{j<t} (de+j)/(ga+de+j)
CREATE FUNCTION sql_bgbb_e_new(al float8, be float8, ga float8, de float8, n int)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT al / (al + be) * coalesce((SELECT sum(beta_ratio(ga, de, 0, t)) FROM generate_series(1, n) t), 0)
$f$;
-- E[X(n, n+ns) | x, tx, n] = sum_{k=1..ns} P(alive at n+k | data) (al+x)/(al+be+n),
--   P(alive at n+k | data) = B(al+x, be+n-x)/B(al,be) B(ga, de+n+k)/B(ga,de) / L
CREATE FUNCTION sql_bgbb_e_cond(al float8, be float8, ga float8, de float8, ns int, x int, tx int, n int)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT coalesce(sum(beta_ratio(al, be, x, n - x) * beta_ratio(ga, de, 0, n + k)), 0)
           / sql_bgbb_l(al, be, ga, de, x, tx, n) * (al + x) / (al + be + n)
    FROM generate_series(1, ns) k
$f$;

------------------------------------------------------------------------------------------
-- 1. sBG predictions against plain SQL (no data)
------------------------------------------------------------------------------------------
CREATE TABLE pairs (a float8, b float8);
INSERT INTO pairs VALUES (0.704, 1.182), (0.668, 3.806), (2.5, 0.4), (0.05, 20), (30, 30);
-- S(t), t = 0..60, as a running sum of logs (a window), and S(t-1)
CREATE TABLE s_grid AS
SELECT a, b, t, s, lag(s) OVER (PARTITION BY a, b ORDER BY t) AS s_prev
FROM (SELECT a, b, 0 AS t, 1::float8 AS s FROM pairs
      UNION ALL
      SELECT a, b, k, exp(sum(ln((b + k - 1) / (a + b + k - 1))) OVER (PARTITION BY a, b ORDER BY k))
      FROM pairs, generate_series(1, 60) k) g;

SELECT is_empty($$SELECT a, b, t, s AS want, survival(sbg_model(a, b), t) AS got FROM s_grid
                  WHERE NOT clv_close(survival(sbg_model(a, b), t), s, 1e-12)$$,
                'sBG survival(m, t) = prod_{k=1..t} (beta+k-1)/(alpha+beta+k-1) in SQL, t = 0..60, five (alpha, beta), 1e-12 relative');
SELECT is_empty($$SELECT a, b, t, s_prev - s AS want, churn_probability(sbg_model(a, b), t) AS got FROM s_grid
                  WHERE t >= 1 AND NOT clv_close(churn_probability(sbg_model(a, b), t), s_prev - s, 0, 1e-12 * s_prev)$$,
                'sBG churn_probability(m, t) = S(t-1) - S(t) of the SQL S, t = 1..60 (within 1e-12 S(t-1))');
SELECT is_empty($$SELECT a, b, t, s_prev * a / (a + b + t - 1) AS want, churn_probability(sbg_model(a, b), t) AS got FROM s_grid
                  WHERE t >= 1 AND NOT clv_close(churn_probability(sbg_model(a, b), t), s_prev * a / (a + b + t - 1), 1e-12)$$,
                'sBG churn_probability(m, t) = S(t-1) alpha/(alpha+beta+t-1) (= B(alpha+1, beta+t-1)/B(alpha, beta)), 1e-12 relative');
SELECT is_empty($$SELECT a, b, t, s / s_prev AS want, retention_rate(sbg_model(a, b), t) AS got FROM s_grid
                  WHERE t >= 1 AND NOT clv_close(retention_rate(sbg_model(a, b), t), s / s_prev, 1e-12)$$,
                'sBG retention_rate(m, t) = S(t)/S(t-1) of the SQL S, t = 1..60, 1e-12 relative');

-- DEL(d) = sum_{k=0..N} S(k)/(1+d)^k; DERL(n, d) = sum_{t=n..n+N} S(t)/S(n-1)/(1+d)^(t-n).
-- S(k) <= 1, so the tail after N is at most sum_{k>N} z^k = z^(N+1)/(1-z), z = 1/(1+d):
-- N = 20000, 2000, 200 for d = 0.01, 0.1, 1 make it below 1e-50, and it is checked.
-- ln S as a numeric running sum, the terms in log space (exp underflow is an error).
CREATE TABLE rates (d float8, big_n int);
INSERT INTO rates VALUES (0.01, 20000), (0.1, 2000), (1, 200);
CREATE TABLE ln_s AS
SELECT a, b, 0 AS k, 0::float8 AS ln_s FROM pairs
UNION ALL
SELECT a, b, k, (sum(ln((b + k - 1) / (a + b + k - 1))::numeric) OVER (PARTITION BY a, b ORDER BY k))::float8
FROM pairs, generate_series(1, 20010) k;
CREATE INDEX ON ln_s (a, b, k);
CREATE TABLE del_sql AS
SELECT p.a, p.b, r.d, r.big_n,
       (SELECT sum(exp(greatest(l.ln_s - l.k * ln(1 + r.d), -700))::numeric)::float8
        FROM ln_s l WHERE l.a = p.a AND l.b = p.b AND l.k <= r.big_n) AS del,
       (1 / (1 + r.d)) ^ (r.big_n + 1) / (1 - 1 / (1 + r.d)) AS tail_bound
FROM pairs p, rates r;
CREATE TABLE derl_sql AS
SELECT p.a, p.b, r.d, n,
       (SELECT sum(exp(greatest(l.ln_s - l0.ln_s - (l.k - n) * ln(1 + r.d), -700))::numeric)::float8
        FROM ln_s l, ln_s l0 WHERE l.a = p.a AND l.b = p.b AND l0.a = p.a AND l0.b = p.b AND l0.k = n - 1
         AND l.k BETWEEN n AND n + r.big_n) AS derl
FROM pairs p, rates r, (VALUES (1), (3), (10)) v(n);

SELECT is_empty($$SELECT a, b, d, del AS want, expected_lifetime(sbg_model(a, b), d) AS got, tail_bound FROM del_sql
                  WHERE NOT clv_close(expected_lifetime(sbg_model(a, b), d), del, 1e-10) OR NOT tail_bound < 1e-50$$,
                'sBG expected_lifetime(m, d) = sum_{k>=0} S(k)/(1+d)^k summed in SQL (tail < 1e-50), d = 0.01, 0.1, 1, 1e-10 relative');
SELECT is_empty($$SELECT a, b, d, n, derl AS want, residual_lifetime(sbg_model(a, b), n, d) AS got FROM derl_sql
                  WHERE NOT clv_close(residual_lifetime(sbg_model(a, b), n, d), derl, 1e-10)$$,
                'sBG residual_lifetime(m, n, d) = sum_{t>=n} S(t)/S(n-1)/(1+d)^(t-n) in SQL, n = 1, 3, 10, d = 0.01, 0.1, 1, 1e-10 relative');
SELECT is_empty($$SELECT a, b, expected_lifetime(sbg_model(a, b), 0) AS got FROM pairs
                  WHERE NOT CASE WHEN a > 1 THEN clv_close(expected_lifetime(sbg_model(a, b), 0), (a + b - 1) / (a - 1), 1e-14)
                                 ELSE expected_lifetime(sbg_model(a, b), 0) = 'Infinity' END$$,
                'sBG expected_lifetime(m, 0) = (alpha+beta-1)/(alpha-1) when alpha > 1, Infinity when alpha <= 1');
SELECT is_empty($$SELECT a, b, n, residual_lifetime(sbg_model(a, b), n, 0) AS got FROM pairs, generate_series(1, 12) n
                  WHERE NOT CASE WHEN a > 1 THEN clv_close(residual_lifetime(sbg_model(a, b), n, 0), (b + n - 1) / (a - 1), 1e-14)
                                 ELSE residual_lifetime(sbg_model(a, b), n, 0) = 'Infinity' END$$,
                'sBG residual_lifetime(m, n, 0) = (beta+n-1)/(alpha-1) when alpha > 1, Infinity when alpha <= 1, n = 1..12');

------------------------------------------------------------------------------------------
-- 2. sBG fits: the log-likelihood from the SQL S(t), and a maximum of it
------------------------------------------------------------------------------------------
-- Fader & Hardie (2007): 1,000 customers each, years 0..7
INSERT INTO surv
SELECT 'regular', p - 1, v FROM unnest(ARRAY[1000, 631, 468, 382, 326, 289, 262, 241]) WITH ORDINALITY u(v, p)
UNION ALL
SELECT 'high end', p - 1, v FROM unnest(ARRAY[1000, 869, 743, 653, 593, 551, 517, 491]) WITH ORDINALITY u(v, p);
-- generated: 6,000 customers whose churn probability is Beta(1, 2.5) (inverse CDF), alive
-- at period t while their geometric lifetime L >= t; observed at periods 0, 1, 2, 4, 7, 11
-- (interval-censored gaps), and the same customers as two half cohorts (rows add up)
SELECT setseed(0.31);
CREATE TABLE sim_sbg AS
SELECT i, CASE WHEN theta <= 0 THEN 1000 WHEN theta >= 1 THEN 0
               ELSE least(1000, floor(ln(u) / ln(1 - theta))) END::int AS lifetime
FROM (SELECT i, 1 - (1 - random()) ^ (1 / 2.5) AS theta, 1 - random() AS u FROM generate_series(1, 6000) i) s;
INSERT INTO surv
SELECT 'generated, gaps', p, count(*) FILTER (WHERE lifetime >= p)
FROM sim_sbg, unnest(ARRAY[0, 1, 2, 4, 7, 11]) p GROUP BY p
UNION ALL
SELECT 'generated, two halves', p, count(*) FILTER (WHERE lifetime >= p)
FROM sim_sbg, generate_series(0, 9) p GROUP BY p, i % 2;
CREATE TABLE sbg_fits AS
SELECT cohort, sbg_fit(period, alive ORDER BY random()) AS m FROM surv GROUP BY cohort;

SELECT is_empty($$SELECT cohort, (m).log_likelihood AS got, sql_sbg_ll(cohort, (m).alpha, (m).beta) AS want FROM sbg_fits
                  WHERE NOT (m).converged OR NOT clv_close((m).log_likelihood, sql_sbg_ll(cohort, (m).alpha, (m).beta), 1e-9)$$,
                'sBG fits (Fader & Hardie regular, high end; generated with gaps; generated in two halves): log_likelihood = the SQL sum of churners ln(S(p)-S(q)) + survivors ln S(last), 1e-9 relative');
SELECT is((SELECT count(*) FROM sbg_fits), 4::int8, 'sBG: four survival tables fitted');
SELECT is_empty($$SELECT cohort, da, db, ll, at_fit
                  FROM (SELECT cohort, m, sql_sbg_ll(cohort, (m).alpha, (m).beta) AS at_fit FROM sbg_fits) f,
                       (VALUES (1.001, 1.0), (0.999, 1.0), (1.0, 1.001), (1.0, 0.999)) v(da, db),
                       LATERAL (SELECT sql_sbg_ll(cohort, (m).alpha * da, (m).beta * db) AS ll) l
                  WHERE NOT ll < at_fit$$,
                'sBG fits are maxima: the SQL log-likelihood is lower at (alpha (1 +- 1e-3), beta) and (alpha, beta (1 +- 1e-3))');
-- the generated tables: gaps are read as interval-censored, so they still estimate the truth
SELECT ok(abs((m).alpha - 1) < 0.3 AND abs((m).beta / 2.5 - 1) < 0.3,
          format('sBG fit of the generated table with gaps near the truth (1, 2.5): %s, %s',
                 round((m).alpha::numeric, 3), round((m).beta::numeric, 3)))
FROM sbg_fits WHERE cohort = 'generated, gaps';

-- projections for years 8..12 (mpmath: 1000 S(t) at the MLE, forecast_reference.out), and
-- the paper's point: they track the hold-out survivors (within 20 of 1,000)
CREATE TABLE holdout (cohort text, year int, projected float8, actual int);
INSERT INTO holdout VALUES
    ('regular', 8, 220.0849665, 223), ('regular', 9, 204.4107866, 207), ('regular', 10, 191.1901910, 194),
    ('regular', 11, 179.8649924, 183), ('regular', 12, 170.0374528, 173),
    ('high end', 8, 460.4396718, 468), ('high end', 9, 435.7795900, 445), ('high end', 10, 414.1723979, 427),
    ('high end', 11, 395.0553432, 409), ('high end', 12, 377.9990716, 394);
SELECT is_empty($$SELECT h.*, 1000 * survival(m, year) AS got FROM holdout h JOIN sbg_fits USING (cohort)
                  WHERE NOT clv_close(1000 * survival(m, year), projected, 1e-6)$$,
                'sBG Fader & Hardie, years 8..12: 1000 survival(fit, t) = the mpmath projection at the MLE, 1e-6 relative');
SELECT is_empty($$SELECT h.*, 1000 * survival(m, year) AS got FROM holdout h JOIN sbg_fits USING (cohort)
                  WHERE NOT abs(1000 * survival(m, year) - actual) < 20$$,
                'sBG Fader & Hardie, years 8..12: the projection is within 20 customers of the actual survivors (223 .. 173, 468 .. 394)');

------------------------------------------------------------------------------------------
-- 3. sbg_fit(cohort_matrix) and retention_forecast on generated orders
------------------------------------------------------------------------------------------
-- 12,000 customers in 18 monthly cohorts (2023-01 .. 2024-06); churn probability theta ~
-- Beta(1, 3) (inverse CDF 1 - (1-u)^(1/3)); an order (sometimes two) every month from the
-- cohort month until the first churn, observed until 2024-07-01
SELECT setseed(0.77);
CREATE TABLE customers AS
SELECT i AS customer, (timestamptz '2023-01-01 00:00+00' + make_interval(months => i % 18)) AS first_month,
       CASE WHEN theta <= 0 THEN 1000 WHEN theta >= 1 THEN 0
            ELSE least(1000, floor(ln(u) / ln(1 - theta))) END::int AS lifetime
FROM (SELECT i, 1 - (1 - random()) ^ (1 / 3.0) AS theta, 1 - random() AS u FROM generate_series(1, 12000) i) s;
CREATE TABLE orders AS
SELECT customer, first_month + make_interval(months => k) + random() * interval '27 days' AS ordered_at,
       round((5 + random() * 95)::numeric, 2) AS amount
FROM customers, generate_series(0, lifetime) k, generate_series(1, 1 + (random() < 0.3)::int) o
WHERE first_month + make_interval(months => k) < timestamptz '2024-07-01 00:00+00';
CREATE TABLE mat AS SELECT cohort_agg(customer, ordered_at, 'month', amount) AS m FROM orders;
\set ou '''2024-07-01 00:00+00''::timestamptz'

-- the reference: each cohort's fit over its complete rows, NULL with fewer than 3
CREATE FUNCTION ref_fit(mm cohort_matrix, ou timestamptz, OUT cohort date, OUT model sbg_model)
RETURNS SETOF record LANGUAGE sql STABLE AS $f$
    SELECT c.cohort, CASE WHEN c.n >= 3 THEN (SELECT sbg_fit(t.period_offset, t.active_on_or_after)
                                               FROM cohort_table(mm, ou) t WHERE t.cohort = c.cohort AND t.complete) END
    FROM (SELECT cohort, count(*) FILTER (WHERE complete) AS n FROM cohort_table(mm, ou) GROUP BY cohort) c
    ORDER BY c.cohort
$f$;
-- retention_forecast's rows without its fitted_rate: every cohort, offsets 0..h
CREATE FUNCTION ref_forecast(mm cohort_matrix, h int, ou timestamptz)
RETURNS TABLE (cohort date, period_offset int, observed_rate float8, projected boolean) LANGUAGE sql STABLE AS $f$
    SELECT c.cohort, k, CASE WHEN t.complete THEN t.active_on_or_after::float8 / t.cohort_size END,
           NOT coalesce(t.complete, false)
    FROM (SELECT DISTINCT cohort FROM cohort_table(mm, ou)) c CROSS JOIN generate_series(0, h) k
    LEFT JOIN cohort_table(mm, ou) t ON t.cohort = c.cohort AND t.period_offset = k
    ORDER BY 1, 2
$f$;

SELECT results_eq($$SELECT * FROM sbg_fit((SELECT m FROM mat), $$ || :'ou' || $$)$$,
                  $$SELECT * FROM ref_fit((SELECT m FROM mat), $$ || :'ou' || $$)$$,
                  'sbg_fit(cohort_matrix, observed_until) = per cohort sbg_fit(period_offset, active_on_or_after) over the complete rows of cohort_table, NULL below 3 complete offsets');
SELECT results_eq($$SELECT * FROM sbg_fit((SELECT m FROM mat))$$,
                  $$SELECT * FROM ref_fit((SELECT m FROM mat), NULL)$$,
                  'sbg_fit(cohort_matrix) without observed_until = the same over cohort_table(m) (the last month incomplete)');
SELECT results_eq($$SELECT cohort FROM sbg_fit((SELECT m FROM mat), $$ || :'ou' || $$) WHERE model IS NULL$$,
                  $$VALUES (date '2024-05-01'), (date '2024-06-01')$$,
                  'sbg_fit(cohort_matrix): NULL model exactly for the cohorts with 1 or 2 complete offsets (2024-05, 2024-06)');
SELECT results_eq($$SELECT cohort, period_offset, observed_rate, projected FROM retention_forecast((SELECT m FROM mat), 24, $$ || :'ou' || $$)$$,
                  $$SELECT * FROM ref_forecast((SELECT m FROM mat), 24, $$ || :'ou' || $$)$$,
                  'retention_forecast(m, 24, observed_until): offsets 0..24 of every cohort, observed_rate = active_on_or_after/cohort_size on complete rows else NULL, projected = not complete');
SELECT results_eq($$SELECT cohort, period_offset, observed_rate, projected FROM retention_forecast((SELECT m FROM mat), 3)$$,
                  $$SELECT * FROM ref_forecast((SELECT m FROM mat), 3, NULL)$$,
                  'retention_forecast(m, 3) without observed_until: the same rows (horizon below the observed offsets)');
SELECT is_empty($$SELECT f.cohort, f.period_offset, f.fitted_rate, (r.model).alpha, (r.model).beta
                  FROM retention_forecast((SELECT m FROM mat), 24, $$ || :'ou' || $$) f
                  JOIN ref_fit((SELECT m FROM mat), $$ || :'ou' || $$) r USING (cohort)
                  WHERE CASE WHEN (r.model).alpha IS NULL THEN f.fitted_rate IS NOT NULL
                             ELSE NOT clv_close(f.fitted_rate, sql_s((r.model).alpha, (r.model).beta, f.period_offset), 1e-12) END$$,
                'retention_forecast: fitted_rate = the SQL S(offset) of the cohort''s own fit (1e-12 relative), NULL without a model');
SELECT is((SELECT count(*) FROM retention_forecast((SELECT m FROM mat), 0, :ou)), 18::int8,
          'retention_forecast(m, 0): one row (offset 0) per cohort, 18');
SELECT throws_ok($$SELECT * FROM retention_forecast((SELECT m FROM mat), -1)$$, '22023', NULL,
                 'retention_forecast: horizon -1 is ERROR 22023');
SELECT throws_ok($$SELECT * FROM retention_forecast((SELECT m FROM mat), 10001)$$, '22023', NULL,
                 'retention_forecast: horizon 10001 is ERROR 22023');
SELECT throws_ok($$SELECT * FROM retention_forecast((SELECT m FROM mat), NULL)$$, '22023', NULL,
                 'retention_forecast: horizon NULL is ERROR 22023');
-- the truth (1, 3): the 12 cohorts of 2023 pooled on offsets 0..6 (complete for all)
CREATE TABLE pooled AS
SELECT sbg_fit(period_offset, active_on_or_after) AS m
FROM cohort_table((SELECT m FROM mat), :ou) WHERE cohort < date '2024-01-01' AND period_offset <= 6;
SELECT ok(abs((m).alpha - 1) < 0.25 AND abs((m).beta / 3 - 1) < 0.25
          AND abs((m).alpha - 1) < 3 * (m).se_alpha + 0.05 AND abs((m).beta - 3) < 3 * (m).se_beta + 0.15,
          format('sBG fit of the generated 2023 cohorts (offsets 0..6) near the truth alpha 1, beta 3: %s (se %s), %s (se %s)',
                 round((m).alpha::numeric, 3), round((m).se_alpha::numeric, 3), round((m).beta::numeric, 3), round((m).se_beta::numeric, 3)))
FROM pooled;
SELECT is_empty($$SELECT cohort, (model).alpha, (model).beta FROM sbg_fit((SELECT m FROM mat), $$ || :'ou' || $$)
                  WHERE cohort <= date '2023-12-01' AND NOT ((model).alpha BETWEEN 0.4 AND 2.5 AND (model).beta BETWEEN 1 AND 9)$$,
                'sbg_fit(cohort_matrix): each 2023 cohort (7 .. 18 complete offsets) fits alpha in [0.4, 2.5], beta in [1, 9] (truth 1, 3)');

------------------------------------------------------------------------------------------
-- 4a. BG/BB against plain SQL on a grid of patterns (no data)
------------------------------------------------------------------------------------------
-- every (x, tx, n) with n <= 12; four parameter sets, gamma = 1 exactly and 1 + 1e-4 among them
CREATE TABLE bb_params (al float8, be float8, ga float8, de float8);
INSERT INTO bb_params VALUES (1.204, 0.750, 0.657, 2.783), (0.3, 2.5, 1, 0.7), (5, 0.4, 1 + 1e-4, 12), (0.8, 0.8, 3.5, 1.5);
CREATE TABLE bb_patterns AS
SELECT 0 AS x, 0 AS tx, n FROM generate_series(0, 12) n
UNION ALL
SELECT x, tx, n FROM generate_series(1, 12) n, generate_series(1, n) x, generate_series(x, n) tx;
CREATE TABLE bb_grid AS
SELECT p.*, x, tx, n, bgbb_model(al, be, ga, de) AS m, ln(sql_bgbb_l(al, be, ga, de, x, tx, n)) AS ll,
       sql_bgbb_p_alive(al, be, ga, de, x, tx, n) AS p_alive
FROM bb_params p, bb_patterns;

SELECT is_empty($$SELECT al, be, ga, de, x, tx, n, ll AS want, log_likelihood(m, x, tx, n) AS got FROM bb_grid
                  WHERE NOT clv_close(log_likelihood(m, x, tx, n), ll, 1e-12, 1e-12)$$,
                'BG/BB log_likelihood(m, x, tx, n) = ln of the beta-ratio products in SQL, every pattern with n <= 12, four models, 1e-12');
SELECT is_empty($$SELECT al, be, ga, de, x, tx, n, p_alive AS want, p_alive(m, x, tx, n) AS got FROM bb_grid
                  WHERE NOT clv_close(p_alive(m, x, tx, n), p_alive, 1e-11)$$,
                'BG/BB p_alive(m, x, tx, n) = B(al+x,be+n-x)/B(al,be) B(ga,de+n+1)/B(ga,de) / L in SQL, every pattern with n <= 12, 1e-11 relative');
SELECT is_empty($$SELECT al, be, ga, de, x, tx, n, ns, want, expected_purchases(m, ns, x, tx, n) AS got
                  FROM bb_grid, (VALUES (0), (1), (5), (10)) v(ns), LATERAL (SELECT sql_bgbb_e_cond(al, be, ga, de, ns, x, tx, n) AS want) w
                  WHERE NOT clv_close(expected_purchases(m, ns, x, tx, n), want, 1e-11, 1e-300)$$,
                'BG/BB expected_purchases(m, n*, x, tx, n) = sum_{k=1..n*} P(alive at n+k | data) (al+x)/(al+be+n) in SQL, n* = 0, 1, 5, 10, 1e-11 relative');
SELECT is_empty($$SELECT al, be, ga, de, n, want, expected_purchases(bgbb_model(al, be, ga, de), n) AS got
                  FROM bb_params, generate_series(0, 40) n, LATERAL (SELECT sql_bgbb_e_new(al, be, ga, de, n) AS want) w
                  WHERE NOT clv_close(expected_purchases(bgbb_model(al, be, ga, de), n), want, 1e-11, 1e-300)$$,
                'BG/BB expected_purchases(m, n) = al/(al+be) sum_{t=1..n} prod_{j<t} (de+j)/(ga+de+j) in SQL, n = 0..40, 1e-11 relative');
-- gamma a hair off 1: delta/(gamma-1) (1 - e^D) is a removable singularity there, and the
-- SQL sums have none. (These found that clv_lgamma_diff(x, d) took the Stirling corrections
-- of x and x + d separately and subtracted them, an absolute error of about 1e-18 in
-- D = O(gamma - 1), so E[X(n)] and E[X(n, n+n*) | ...] lost about 1e-18/|gamma - 1|
-- relative: 1e-6 at 1 + 1e-12. The difference is now taken term by term.)
CREATE TABLE bb_near1 AS
SELECT 1.2::float8 AS al, 0.75::float8 AS be, ga::float8, de::float8
FROM (VALUES (1 + 1e-7), (1 - 1e-7), (1 + 1e-9), (1 + 1e-12)) g(ga), (VALUES (2.783), (12)) d(de);
SELECT is_empty($$SELECT al, be, ga, de, n, want, expected_purchases(bgbb_model(al, be, ga, de), n) AS got
                  FROM bb_near1, generate_series(1, 40) n, LATERAL (SELECT sql_bgbb_e_new(al, be, ga, de, n) AS want) w
                  WHERE NOT clv_close(expected_purchases(bgbb_model(al, be, ga, de), n), want, 1e-11)
                  ORDER BY ga DESC, de, n LIMIT 10$$,
                'BG/BB expected_purchases(m, n) with gamma = 1 -+ 1e-7, 1 + 1e-9, 1 + 1e-12 = the SQL sum, n = 1..40, 1e-11 relative');
SELECT is_empty($$SELECT al, be, ga, de, x, tx, n, want, expected_purchases(bgbb_model(al, be, ga, de), 10, x, tx, n) AS got
                  FROM bb_near1, bb_patterns, LATERAL (SELECT sql_bgbb_e_cond(al, be, ga, de, 10, x, tx, n) AS want) w
                  WHERE n = 6 AND NOT clv_close(expected_purchases(bgbb_model(al, be, ga, de), 10, x, tx, n), want, 1e-11)
                  ORDER BY ga DESC, de, x, tx LIMIT 10$$,
                'BG/BB expected_purchases(m, 10, x, tx, 6) with gamma = 1 -+ 1e-7, 1 + 1e-9, 1 + 1e-12 = the SQL sum, every pattern, 1e-11 relative');

-- a generated data set: p ~ Beta(2, 1) (sqrt(u)), theta ~ Beta(1, 3); n = 4..10 opportunities;
-- alive at opportunity t while the geometric lifetime >= t, buying with probability p
SELECT setseed(0.55);
CREATE TABLE bb_cust AS
SELECT i, sqrt(random()) AS p, 4 + (i % 7) AS n,
       CASE WHEN theta <= 0 THEN 1000 WHEN theta >= 1 THEN 0 ELSE least(1000, floor(ln(u) / ln(1 - theta))) END::int AS life
FROM (SELECT i, 1 - (1 - random()) ^ (1 / 3.0) AS theta, 1 - random() AS u FROM generate_series(1, 20000) i) s;
CREATE TABLE bb_sim AS
SELECT i, coalesce(count(t) FILTER (WHERE buy), 0)::int AS x, coalesce(max(t) FILTER (WHERE buy), 0)::int AS tx, n
FROM (SELECT c.i, c.n, t, t <= c.life AND random() < c.p AS buy FROM bb_cust c, generate_series(1, c.n) t) o
     RIGHT JOIN bb_cust USING (i, n)
GROUP BY i, n;
ANALYZE bb_sim;
CREATE TABLE bb_sim_fit AS SELECT bgbb_fit(x, tx, n) AS m FROM bb_sim;

SELECT ok((SELECT bgbb_fit(x, tx, n, c) FROM (SELECT x, tx, n, count(*) AS c FROM bb_sim GROUP BY x, tx, n ORDER BY c DESC) g)::text
          = m::text AND (m).converged,
          'BG/BB generated (20,000 customers): the fit over patterns with counts = the fit over one row per customer, bit for bit')
FROM bb_sim_fit;
SELECT clv_near((m).log_likelihood,
                (SELECT sum(c * ln(sql_bgbb_l((m).alpha, (m).beta, (m).gamma, (m).delta, x, tx, n)))
                 FROM (SELECT x, tx, n, count(*) AS c FROM bb_sim GROUP BY x, tx, n) g), 1e-9, 0,
                'BG/BB generated: the fit''s log_likelihood = sum of the SQL ln L over the customers, 1e-9 relative')
FROM bb_sim_fit;
SELECT ok(abs((m).alpha / 2 - 1) < 0.3 AND abs((m).beta - 1) < 0.3 AND abs((m).gamma - 1) < 0.3 AND abs((m).delta / 3 - 1) < 0.3,
          format('BG/BB generated: the fit near the truth (2, 1, 1, 3): %s, %s, %s, %s',
                 round((m).alpha::numeric, 3), round((m).beta::numeric, 3), round((m).gamma::numeric, 3), round((m).delta::numeric, 3)))
FROM bb_sim_fit;
\ir lib/plan_of.psql
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT matches(plan_of('SELECT bgbb_fit(x, tx, n) FROM bb_sim'), 'Gather.*Partial Aggregate',
               'BG/BB generated: the forced parallel settings give a Partial Aggregate under Gather');
SELECT ok((SELECT bgbb_fit(x, tx, n) FROM bb_sim)::text = m::text,
          'BG/BB generated: bgbb_fit under a forced parallel plan = serial, bit for bit')
FROM bb_sim_fit;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

------------------------------------------------------------------------------------------
-- 5a. Standard errors without reference files: sBG by finite differences in SQL
------------------------------------------------------------------------------------------
-- observed information I = -H of the SQL log-likelihood at the fit, central differences
-- with steps h = 1e-4 alpha, k = 1e-4 beta:
--   H_aa = (LL(a+h) - 2 LL(a) + LL(a-h)) / h^2,  H_bb likewise,
--   H_ab = (LL(a+h,b+k) - LL(a+h,b-k) - LL(a-h,b+k) + LL(a-h,b-k)) / (4 h k);
-- the inverse of the 2x2 I: se_alpha = sqrt(I_bb / det), se_beta = sqrt(I_aa / det)
CREATE TABLE fd_se AS
SELECT cohort, m, i_bb / det AS var_a, i_aa / det AS var_b
FROM (SELECT cohort, m, i_aa, i_bb, i_ab, i_aa * i_bb - i_ab * i_ab AS det
      FROM (SELECT cohort, m,
                   -(sql_sbg_ll(cohort, a + h, b) - 2 * sql_sbg_ll(cohort, a, b) + sql_sbg_ll(cohort, a - h, b)) / (h * h) AS i_aa,
                   -(sql_sbg_ll(cohort, a, b + k) - 2 * sql_sbg_ll(cohort, a, b) + sql_sbg_ll(cohort, a, b - k)) / (k * k) AS i_bb,
                   -(sql_sbg_ll(cohort, a + h, b + k) - sql_sbg_ll(cohort, a + h, b - k)
                     - sql_sbg_ll(cohort, a - h, b + k) + sql_sbg_ll(cohort, a - h, b - k)) / (4 * h * k) AS i_ab
            FROM (SELECT cohort, m, (m).alpha AS a, (m).beta AS b, 1e-4 * (m).alpha AS h, 1e-4 * (m).beta AS k
                  FROM sbg_fits) s) i) d;
SELECT is_empty($$SELECT cohort, (m).se_alpha, sqrt(var_a) AS fd_alpha, (m).se_beta, sqrt(var_b) AS fd_beta FROM fd_se
                  WHERE NOT clv_close((m).se_alpha, sqrt(var_a), 1e-4) OR NOT clv_close((m).se_beta, sqrt(var_b), 1e-4)$$,
                'sBG se_alpha, se_beta of the four fits = the inverse finite-difference information of the SQL log-likelihood, 1e-4 relative');
SELECT clv_near((m).se_alpha, sqrt(var_a), 1e-4, 0, 'sBG Fader & Hardie regular: se_alpha = the SQL finite-difference value (mpmath 0.06559896423)')
FROM fd_se WHERE cohort = 'regular';
SELECT clv_near((m).se_beta, sqrt(var_b), 1e-4, 0, 'sBG Fader & Hardie regular: se_beta = the SQL finite-difference value (mpmath 0.1524756317)')
FROM fd_se WHERE cohort = 'regular';

-- parameters(): rows = the model's fields, Wald 95 % = estimate -+ 1.959963984540054 se
CREATE FUNCTION wald_bad(est float8, se float8, lo float8, hi float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$
    SELECT NOT (clv_close(lo, est - 1.959963984540054 * se, 1e-14, 1e-15) AND clv_close(hi, est + 1.959963984540054 * se, 1e-14, 1e-15))
$f$;
SELECT results_eq($$SELECT parameter, estimate, std_error FROM parameters((SELECT m FROM sbg_fits WHERE cohort = 'regular'))$$,
                  $$SELECT v.* FROM (SELECT m FROM sbg_fits WHERE cohort = 'regular') f,
                           LATERAL (VALUES ('alpha', (m).alpha, (m).se_alpha), ('beta', (m).beta, (m).se_beta)) v$$,
                  'parameters(sbg fit): rows alpha, beta with the model''s estimates and se_ fields');
SELECT results_eq($$SELECT parameter, estimate, std_error FROM parameters((SELECT m FROM bb_sim_fit))$$,
                  $$SELECT v.* FROM bb_sim_fit, LATERAL (VALUES ('alpha', (m).alpha, (m).se_alpha), ('beta', (m).beta, (m).se_beta),
                                                        ('gamma', (m).gamma, (m).se_gamma), ('delta', (m).delta, (m).se_delta)) v$$,
                  'parameters(bgbb fit): rows alpha, beta, gamma, delta with the model''s estimates and se_ fields');
SELECT is_empty($$SELECT p.* FROM sbg_fits, parameters(m) p WHERE std_error IS NULL OR NOT std_error > 0 OR wald_bad(estimate, std_error, ci_lower, ci_upper)
                  UNION ALL
                  SELECT p.* FROM bb_sim_fit, parameters(m) p WHERE std_error IS NULL OR NOT std_error > 0 OR wald_bad(estimate, std_error, ci_lower, ci_upper)$$,
                'parameters() of the sBG and BG/BB fits: std_error > 0, ci = estimate -+ 1.959963984540054 std_error');
SELECT is_empty($$SELECT 'sbg', p.* FROM parameters(sbg_model(0.7, 1.2)) p WHERE std_error IS NOT NULL OR ci_lower IS NOT NULL OR ci_upper IS NOT NULL
                  UNION ALL SELECT 'bgbb', p.* FROM parameters(bgbb_model(1.2, 0.75, 0.66, 2.78)) p WHERE std_error IS NOT NULL OR ci_lower IS NOT NULL OR ci_upper IS NOT NULL
                  UNION ALL SELECT 'bgnbd', p.* FROM parameters(bgnbd_model(0.243, 4.414, 0.793, 2.426)) p WHERE std_error IS NOT NULL OR ci_lower IS NOT NULL OR ci_upper IS NOT NULL
                  UNION ALL SELECT 'mbgnbd', p.* FROM parameters(mbgnbd_model(0.525, 6.183, 0.891, 1.614)) p WHERE std_error IS NOT NULL OR ci_lower IS NOT NULL OR ci_upper IS NOT NULL
                  UNION ALL SELECT 'pnbd', p.* FROM parameters(pareto_nbd_model(0.553, 10.578, 0.606, 11.669)) p WHERE std_error IS NOT NULL OR ci_lower IS NOT NULL OR ci_upper IS NOT NULL
                  UNION ALL SELECT 'gg', p.* FROM parameters(gamma_gamma_model(6.25, 3.74, 15.44)) p WHERE std_error IS NOT NULL OR ci_lower IS NOT NULL OR ci_upper IS NOT NULL$$,
                'parameters() of constructor-built models (all six kinds): std_error, ci_lower, ci_upper NULL');
SELECT is((SELECT count(*) FROM parameters(sbg_model(0.7, 1.2))) + (SELECT count(*) FROM parameters(bgbb_model(1.2, 0.75, 0.66, 2.78)))
          + (SELECT count(*) FROM parameters(gamma_gamma_model(6.25, 3.74, 15.44))), 9::int8,
          'parameters() of constructor-built models: 2 (sBG) + 4 (BG/BB) + 3 (Gamma-Gamma) rows with their estimates');

------------------------------------------------------------------------------------------
-- 4b. BG/BB on the donations data (Fader, Hardie & Shang 2010)
------------------------------------------------------------------------------------------
\if :have_don
CREATE TABLE donations (frequency int, recency int, periods int, weights int8);
SELECT format('\copy donations from %L with (format csv, header true)',
              :'retention_data' || '/lifetimes_datasets/donations.csv') AS copy_command \gset
:copy_command
CREATE TABLE don_fit AS SELECT bgbb_fit(frequency, recency, periods, weights) AS m FROM donations;
CREATE TABLE don_rows AS SELECT frequency, recency, periods FROM donations, generate_series(1, weights) ORDER BY random();
ANALYZE don_rows;

SELECT results_eq($$SELECT count(*), sum(weights), max(periods), min(periods) FROM donations$$,
                  $$VALUES (22::int8, 11104::numeric, 6, 6)$$,
                  'donations.csv: 22 patterns, 11,104 donors, 6 opportunities');
SELECT is_empty($$SELECT d.*, ln(sql_bgbb_l((m).alpha, (m).beta, (m).gamma, (m).delta, frequency, recency, periods)) AS want,
                         log_likelihood(m, frequency, recency, periods) AS got
                  FROM donations d, don_fit
                  WHERE NOT clv_close(log_likelihood(m, frequency, recency, periods),
                                      ln(sql_bgbb_l((m).alpha, (m).beta, (m).gamma, (m).delta, frequency, recency, periods)), 1e-12, 1e-12)$$,
                'donations, fitted model: log_likelihood(m, x, tx, n) = ln L from the SQL beta-ratio products, every pattern, 1e-12');
SELECT clv_near((m).log_likelihood,
                (SELECT sum(weights * ln(sql_bgbb_l((m).alpha, (m).beta, (m).gamma, (m).delta, frequency, recency, periods))) FROM donations),
                1e-9, 0, 'donations: the fit''s log_likelihood = sum of weights x SQL ln L (mpmath max -33225.58127), 1e-9 relative')
FROM don_fit;
SELECT is_empty($$SELECT d.*, sql_bgbb_p_alive((m).alpha, (m).beta, (m).gamma, (m).delta, frequency, recency, periods) AS want,
                         p_alive(m, frequency, recency, periods) AS got
                  FROM donations d, don_fit
                  WHERE NOT clv_close(p_alive(m, frequency, recency, periods),
                                      sql_bgbb_p_alive((m).alpha, (m).beta, (m).gamma, (m).delta, frequency, recency, periods), 1e-11)$$,
                'donations, fitted model: p_alive(m, x, tx, n) = the SQL P(alive at n+1), every pattern, 1e-11 relative');
SELECT is_empty($$SELECT d.*, ns, want, expected_purchases(m, ns, frequency, recency, periods) AS got
                  FROM donations d, don_fit, (VALUES (1), (5), (10), (25)) v(ns),
                       LATERAL (SELECT sql_bgbb_e_cond((m).alpha, (m).beta, (m).gamma, (m).delta, ns, frequency, recency, periods) AS want) w
                  WHERE NOT clv_close(expected_purchases(m, ns, frequency, recency, periods), want, 1e-11)$$,
                'donations, fitted model: expected_purchases(m, n*, x, tx, n) = the SQL sum of P(alive at n+k) (al+x)/(al+be+n), n* = 1, 5, 10, 25');
SELECT is_empty($$SELECT n, want, expected_purchases(m, n) AS got
                  FROM don_fit, generate_series(1, 30) n,
                       LATERAL (SELECT sql_bgbb_e_new((m).alpha, (m).beta, (m).gamma, (m).delta, n) AS want) w
                  WHERE NOT clv_close(expected_purchases(m, n), want, 1e-11)$$,
                'donations, fitted model: expected_purchases(m, n) = the SQL al/(al+be) sum of prod (de+j)/(ga+de+j), n = 1..30');
SELECT clv_near((SELECT sum(weights * expected_purchases(m, 5, frequency, recency, periods)) FROM donations, don_fit),
                12884.15685, 1e-6, 0, 'donations: sum of E[X(6, 11)] over the donors = mpmath 12884.15685 at the MLE, 1e-6 relative');
SELECT is_empty($$SELECT da, ll, at_fit
                  FROM don_fit, LATERAL (SELECT sum(weights * ln(sql_bgbb_l((m).alpha, (m).beta, (m).gamma, (m).delta, frequency, recency, periods))) AS at_fit FROM donations) f,
                       (VALUES (1.001, 1.0, 1.0, 1.0), (0.999, 1.0, 1.0, 1.0), (1.0, 1.001, 1.0, 1.0), (1.0, 0.999, 1.0, 1.0),
                               (1.0, 1.0, 1.001, 1.0), (1.0, 1.0, 0.999, 1.0), (1.0, 1.0, 1.0, 1.001), (1.0, 1.0, 1.0, 0.999)) v(da, db, dg, dd),
                       LATERAL (SELECT sum(weights * ln(sql_bgbb_l((m).alpha * da, (m).beta * db, (m).gamma * dg, (m).delta * dd,
                                                                   frequency, recency, periods))) AS ll FROM donations) l
                  WHERE NOT ll < at_fit$$,
                'donations: the fit is a maximum, the SQL log-likelihood is lower with any parameter moved by 1e-3 (relative)');
SELECT ok((SELECT bgbb_fit(frequency, recency, periods) FROM don_rows)::text = m::text,
          'donations: bgbb_fit over 11,104 rows (one per donor, shuffled) = the weighted fit over 22 patterns, bit for bit')
FROM don_fit;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT matches(plan_of('SELECT bgbb_fit(frequency, recency, periods) FROM don_rows'), 'Gather.*Partial Aggregate',
               'donations: the forced parallel settings give a Partial Aggregate under Gather');
SELECT ok((SELECT bgbb_fit(frequency, recency, periods) FROM don_rows)::text = m::text,
          'donations: bgbb_fit over one row per donor under a forced parallel plan = the serial fit, bit for bit')
FROM don_fit;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
\else
SELECT skip('donations.csv missing (retention_data is empty or has no lifetimes_datasets/donations.csv)', 1);
\endif

------------------------------------------------------------------------------------------
-- 5b. Standard errors on CDNOW against se_reference.out (mpmath, 30 digits)
------------------------------------------------------------------------------------------
\if :have_cd
\ir lib/clv_cdnow_load.psql
CREATE TABLE cd_fits AS
SELECT (SELECT bgnbd_fit(x, tx, t) FROM cdnow_summary) AS bg,
       (SELECT mbgnbd_fit(x, tx, t) FROM cdnow_summary) AS mbg,
       (SELECT pareto_nbd_fit(x, tx, t) FROM cdnow_summary) AS pn,
       (SELECT gamma_gamma_fit(x, m) FROM cdnow_money) AS gg;
-- se_reference.out: <model>.se.<parameter>
CREATE TABLE se_ref (model text, parameter text, se float8);
INSERT INTO se_ref VALUES
    ('bgnbd', 'r', 0.01255731958), ('bgnbd', 'alpha', 0.3782214155), ('bgnbd', 'a', 0.1857191431), ('bgnbd', 'b', 0.7053457551),
    ('mbgnbd', 'r', 0.08326406461), ('mbgnbd', 'alpha', 0.6955979329), ('mbgnbd', 'a', 0.1547853114), ('mbgnbd', 'b', 0.5374723605),
    ('pnbd', 'r', 0.04762875443), ('pnbd', 'alpha', 0.8427239235), ('pnbd', 's', 0.1872795695), ('pnbd', 'beta', 6.21102932),
    ('gg', 'p', 1.189687038), ('gg', 'q', 0.2901656151), ('gg', 'v', 4.159993878);
-- every fit's parameters() rows, by model
CREATE TABLE cd_params AS
SELECT 'bgnbd' AS model, p.* FROM cd_fits, parameters(bg) p
UNION ALL SELECT 'mbgnbd', p.* FROM cd_fits, parameters(mbg) p
UNION ALL SELECT 'pnbd', p.* FROM cd_fits, parameters(pn) p
UNION ALL SELECT 'gg', p.* FROM cd_fits, parameters(gg) p;

SELECT ok((bg).converged AND (mbg).converged AND (pn).converged AND (gg).converged, 'CDNOW: the four fits converged') FROM cd_fits;
SELECT is_empty($$SELECT r.*, (bg).se_r, (bg).se_alpha, (bg).se_a, (bg).se_b FROM se_ref r, cd_fits
                  WHERE model = 'bgnbd' AND NOT clv_close(CASE parameter WHEN 'r' THEN (bg).se_r WHEN 'alpha' THEN (bg).se_alpha
                                                                         WHEN 'a' THEN (bg).se_a WHEN 'b' THEN (bg).se_b END, se, 1e-4)$$,
                'CDNOW bgnbd_fit: se_r, se_alpha, se_a, se_b = mpmath 0.01255731958, 0.3782214155, 0.1857191431, 0.7053457551 (1e-4 relative)');
SELECT is_empty($$SELECT r.*, (mbg).se_r, (mbg).se_alpha, (mbg).se_a, (mbg).se_b FROM se_ref r, cd_fits
                  WHERE model = 'mbgnbd' AND NOT clv_close(CASE parameter WHEN 'r' THEN (mbg).se_r WHEN 'alpha' THEN (mbg).se_alpha
                                                                          WHEN 'a' THEN (mbg).se_a WHEN 'b' THEN (mbg).se_b END, se, 1e-4)$$,
                'CDNOW mbgnbd_fit: se_r, se_alpha, se_a, se_b = mpmath 0.08326406461, 0.6955979329, 0.1547853114, 0.5374723605 (1e-4 relative)');
SELECT is_empty($$SELECT r.*, (pn).se_r, (pn).se_alpha, (pn).se_s, (pn).se_beta FROM se_ref r, cd_fits
                  WHERE model = 'pnbd' AND NOT clv_close(CASE parameter WHEN 'r' THEN (pn).se_r WHEN 'alpha' THEN (pn).se_alpha
                                                                        WHEN 's' THEN (pn).se_s WHEN 'beta' THEN (pn).se_beta END, se, 1e-4)$$,
                'CDNOW pareto_nbd_fit: se_r, se_alpha, se_s, se_beta = mpmath 0.04762875443, 0.8427239235, 0.1872795695, 6.21102932 (1e-4 relative)');
SELECT is_empty($$SELECT r.*, (gg).se_p, (gg).se_q, (gg).se_v FROM se_ref r, cd_fits
                  WHERE model = 'gg' AND NOT clv_close(CASE parameter WHEN 'p' THEN (gg).se_p WHEN 'q' THEN (gg).se_q
                                                                      WHEN 'v' THEN (gg).se_v END, se, 1e-4)$$,
                'CDNOW gamma_gamma_fit: se_p, se_q, se_v = mpmath 1.189687038, 0.2901656151, 4.159993878 (1e-4 relative)');
SELECT ok(abs((bg).se_r - 0.0126) <= 0.001 AND abs((bg).se_alpha - 0.378) <= 0.002
          AND abs((bg).se_a - 0.186) <= 0.001 AND abs((bg).se_b - 0.705) <= 0.002,
          'CDNOW bgnbd_fit: standard errors as published, 0.0126, 0.378, 0.186, 0.705 (+- 0.001, 0.002, 0.001, 0.002)')
FROM cd_fits;
SELECT results_eq($$SELECT model, parameter FROM cd_params$$,
                  $$VALUES ('bgnbd', 'r'), ('bgnbd', 'alpha'), ('bgnbd', 'a'), ('bgnbd', 'b'),
                           ('mbgnbd', 'r'), ('mbgnbd', 'alpha'), ('mbgnbd', 'a'), ('mbgnbd', 'b'),
                           ('pnbd', 'r'), ('pnbd', 'alpha'), ('pnbd', 's'), ('pnbd', 'beta'),
                           ('gg', 'p'), ('gg', 'q'), ('gg', 'v')$$,
                  'CDNOW parameters(): one row per parameter, in the model''s order');
SELECT is_empty($$SELECT p.*, r.se FROM cd_params p JOIN se_ref r USING (model, parameter)
                  WHERE NOT clv_close(std_error, se, 1e-4)$$,
                'CDNOW parameters(): std_error = the mpmath standard errors (1e-4 relative)');
SELECT is_empty($$SELECT p.*, want_est, want_se FROM cd_params p JOIN
                    (SELECT 'bgnbd' AS model, v.* FROM cd_fits, LATERAL (VALUES ('r', (bg).r, (bg).se_r), ('alpha', (bg).alpha, (bg).se_alpha),
                                                                                 ('a', (bg).a, (bg).se_a), ('b', (bg).b, (bg).se_b)) v(parameter, want_est, want_se)
                     UNION ALL
                     SELECT 'mbgnbd', v.* FROM cd_fits, LATERAL (VALUES ('r', (mbg).r, (mbg).se_r), ('alpha', (mbg).alpha, (mbg).se_alpha),
                                                                        ('a', (mbg).a, (mbg).se_a), ('b', (mbg).b, (mbg).se_b)) v
                     UNION ALL
                     SELECT 'pnbd', v.* FROM cd_fits, LATERAL (VALUES ('r', (pn).r, (pn).se_r), ('alpha', (pn).alpha, (pn).se_alpha),
                                                                      ('s', (pn).s, (pn).se_s), ('beta', (pn).beta, (pn).se_beta)) v
                     UNION ALL
                     SELECT 'gg', v.* FROM cd_fits, LATERAL (VALUES ('p', (gg).p, (gg).se_p), ('q', (gg).q, (gg).se_q), ('v', (gg).v, (gg).se_v)) v) w
                    USING (model, parameter)
                  WHERE estimate IS DISTINCT FROM want_est OR std_error IS DISTINCT FROM want_se$$,
                'CDNOW parameters(): estimate and std_error are the model''s fields, exactly');
SELECT is_empty($$SELECT * FROM cd_params WHERE wald_bad(estimate, std_error, ci_lower, ci_upper)$$,
                'CDNOW parameters(): ci_lower, ci_upper = estimate -+ 1.959963984540054 std_error');
\else
SELECT skip('CDNOW files missing (retention_data is empty or lacks cdnow/cdnow_customers_summary*.csv or cdnow/derived/cdnow_reference_predictions.csv)', 1);
\endif

SELECT * FROM finish();
ROLLBACK;
