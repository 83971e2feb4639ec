-- The BG/NBD, MBG/NBD and Gamma-Gamma models on CDNOW against the published and
-- recomputed reference figures (doc/clv_math.md#reference-figures; the data README):
--   * the log-likelihood summed at the rounded published parameters (no optimiser);
--   * every customer's log-likelihood, P(alive), E[Y(39)], expected spend and 12-month CLV
--     against the golden file derived/cdnow_reference_predictions.csv;
--   * the fits: parameters, log-likelihood against the maximum, convergence, counts;
--   * the prediction values the lifetimes, pymc-marketing and BTYD test suites assert;
--   * lifetimes' example_transactions.csv (a raw event log): summarised in plain SQL, and
--     by rfm() when the extension has it.
-- Data: <retention_data>/cdnow/ and <retention_data>/lifetimes_datasets/. The runner passes
-- --set retention_data=/abs/path/to/shared/data, or an empty string when the folder is
-- missing: then each part whose files are missing skips.
--
-- Tolerances (the golden file has 10 significant digits, so its own rounding is up to
-- 5e-10 relative): per-customer values within 1e-9 relative or 1e-12 absolute; sums of
-- log-likelihoods within 1e-5; fitted parameters within +-0.002 of the published 3-decimal
-- values (+-0.01 for Gamma-Gamma's 2-decimal ones) and within 5e-4 relative (2e-3 for b and
-- v, poorly identified) of the maximum recomputed at 40 digits (Newton's method in mpmath
-- on the CSV); the fitted log-likelihood within 1e-3 of that maximum and never below
-- it by more than 1e-6. Printed values of the sources within their own tolerances, and the
-- same quantities at the same parameters within 1e-9 relative of an mpmath recomputation
-- (50 digits, the formulas of doc/clv_math.md).

\if :{?retention_data}
\else
\set retention_data ''
\endif
-- (client side, as \copy reads them)
\set have_cd `test -n :'retention_data' && test -r :'retention_data'/cdnow/cdnow_customers_summary.csv && test -r :'retention_data'/cdnow/cdnow_customers_summary_with_transactions.csv && test -r :'retention_data'/cdnow/derived/cdnow_reference_predictions.csv && echo true || echo false`
\set have_sample `test -n :'retention_data' && test -r :'retention_data'/cdnow/CDNOW_sample.txt && echo true || echo false`
\set have_lt `test -n :'retention_data' && test -r :'retention_data'/lifetimes_datasets/example_transactions.csv && echo true || echo false`

BEGIN;
SET LOCAL client_min_messages = warning;
-- rfm(ordered_at, amount, observed_until) of the RFM summary work (issue 5), when present
SELECT :'have_lt' AND to_regprocedure('rfm(timestamp, numeric, timestamp)') IS NOT NULL AS have_rfm \gset
SELECT plan(CASE WHEN :'have_cd' THEN 53 ELSE 1 END + CASE WHEN :'have_sample' THEN 2 ELSE 1 END
            + CASE WHEN :'have_lt' THEN 10 ELSE 1 END + CASE WHEN :'have_rfm' THEN 2 ELSE 1 END);

CREATE SCHEMA tap_clv_cdnow;
SET LOCAL search_path = tap_clv_cdnow, public;
\ir lib/clv_helpers.psql

-- the recomputed maxima of the log-likelihood on cdnow_customers_summary.csv (mpmath, 40
-- digits, Newton's method from a published MLE until the step is below 1e-14)
CREATE TABLE mle (model text PRIMARY KEY, ll float8, p1 float8, p2 float8, p3 float8, p4 float8);
INSERT INTO mle VALUES
    ('bgnbd',  -9582.4255605673625, 0.242592907204466, 4.41353156120543, 0.792886148098769, 2.42575343649362),
    ('mbgnbd', -9582.1326848999039, 0.524837983665595, 6.1829920196721, 0.891356155331536, 1.6139993347305),
    ('gamma_gamma', -4055.9232435028643, 6.2488024897091, 3.74458845328747, 15.4477480094637, NULL);

\if :have_cd
------------------------------------------------------------------------------------------
-- CDNOW: the load
------------------------------------------------------------------------------------------
\ir lib/clv_cdnow_load.psql

SELECT results_eq($$SELECT count(*), sum(x), count(*) FILTER (WHERE x = 0), min(t), max(t) FROM cdnow_summary$$,
                  $$VALUES (2357::int8, 2457::float8, 1411::int8, 27::float8, 38.86::float8)$$,
                  'CDNOW summary: 2,357 customers, 2,457 repeat purchases, 1,411 with none, T 27 .. 38.86 weeks');
SELECT is_empty($$SELECT id FROM cdnow_summary s FULL JOIN cdnow_money m USING (id) FULL JOIN cdnow_golden g USING (id)
                  WHERE s.x IS DISTINCT FROM m.x OR s.tx IS DISTINCT FROM m.tx OR s.t IS DISTINCT FROM m.t
                     OR s.x IS DISTINCT FROM g.x OR s.tx IS DISTINCT FROM g.tx OR s.t IS DISTINCT FROM g.t
                     OR m.m IS DISTINCT FROM g.m$$,
                'CDNOW: the summary, the summary with spend and the golden file have the same 2,357 customers');

------------------------------------------------------------------------------------------
-- The log-likelihood at the rounded published parameters, summed over the customers
------------------------------------------------------------------------------------------
SELECT clv_near((SELECT sum(log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), x, tx, t)) FROM cdnow_summary),
                -9582.426831, 0, 1e-5, 'BG/NBD (0.243, 4.414, 0.793, 2.426): sum of log-likelihoods -9582.426831');
SELECT clv_near((SELECT sum(log_likelihood(mbgnbd_model(0.525, 6.183, 0.891, 1.614), x, tx, t)) FROM cdnow_summary),
                -9582.132795, 0, 1e-5, 'MBG/NBD (0.525, 6.183, 0.891, 1.614): sum of log-likelihoods -9582.132795');
SELECT clv_near((SELECT sum(log_likelihood(gamma_gamma_model(6.25, 3.74, 15.44), x, m)) FROM cdnow_money WHERE x > 0),
                -4055.924713, 0, 1e-5, 'Gamma-Gamma (6.25, 3.74, 15.44) over the 946 repeat buyers: sum of log-likelihoods -4055.924713');

------------------------------------------------------------------------------------------
-- Every customer against the golden file (1e-9 relative, 1e-12 absolute near 0)
------------------------------------------------------------------------------------------
CREATE TABLE golden_check AS
SELECT g.*,
       log_likelihood(bg, x, tx, t) AS e_bgnbd_ll, p_alive(bg, x, tx, t) AS e_bgnbd_palive,
       expected_purchases(bg, 39, x, tx, t) AS e_bgnbd_cexp_t39,
       log_likelihood(mbg, x, tx, t) AS e_mbgnbd_ll, p_alive(mbg, x, tx, t) AS e_mbgnbd_palive,
       expected_purchases(mbg, 39, x, tx, t) AS e_mbgnbd_cexp_t39,
       expected_spend(gg, x, m) AS e_gg_exp_spend,
       predicted_clv(bg, gg, x, tx, t, m, 12, 0.01, 4.345) AS e_clv
FROM cdnow_golden g,
     (SELECT bgnbd_model(0.243, 4.414, 0.793, 2.426) AS bg, mbgnbd_model(0.525, 6.183, 0.891, 1.614) AS mbg,
             gamma_gamma_model(6.25, 3.74, 15.44) AS gg) p;
SELECT is_empty(format($$SELECT id, x, tx, t, m, %1$s AS want, e_%1$s AS got FROM golden_check
                        WHERE NOT clv_close(e_%1$s, %1$s, 1e-9, 1e-12) ORDER BY id LIMIT 10$$, col),
                format('golden file, every customer: %s (%s) within 1e-9 relative', col, what))
FROM (VALUES ('bgnbd_ll', 'BG/NBD log-likelihood'), ('bgnbd_palive', 'BG/NBD P(alive)'),
             ('bgnbd_cexp_t39', 'BG/NBD expected purchases in 39 weeks'),
             ('mbgnbd_ll', 'MBG/NBD log-likelihood'), ('mbgnbd_palive', 'MBG/NBD P(alive)'),
             ('mbgnbd_cexp_t39', 'MBG/NBD expected purchases in 39 weeks'),
             ('gg_exp_spend', 'Gamma-Gamma expected spend')) c(col, what);
SELECT is_empty($$SELECT id, clv_bgnbd_gg_12m_d001 AS want, e_clv AS got FROM golden_check
                  WHERE NOT clv_close(e_clv, clv_bgnbd_gg_12m_d001, 1e-9, 1e-12) ORDER BY id LIMIT 10$$,
                'golden file, every customer: predicted_clv(bgnbd, gamma_gamma, ..., 12, 0.01, 4.345) within 1e-9 relative');
SELECT clv_near((SELECT sum(e_bgnbd_cexp_t39) FROM golden_check), 1653.948, 0, 5e-4,
                'golden file: sum of BG/NBD E[Y(39)] 1653.948 (doc/clv_math.md)');
SELECT clv_near((SELECT sum(e_mbgnbd_cexp_t39) FROM golden_check), 1577.135, 0, 5e-4,
                'golden file: sum of MBG/NBD E[Y(39)] 1577.135');
SELECT clv_near((SELECT sum(e_clv) FROM golden_check), 71560.21, 0, 5e-3,
                'golden file: sum of the 12-month CLV 71,560.21');

------------------------------------------------------------------------------------------
-- The fits
------------------------------------------------------------------------------------------
CREATE TABLE fits AS
SELECT (SELECT bgnbd_fit(x, tx, t) FROM cdnow_summary) AS bg,
       (SELECT mbgnbd_fit(x, tx, t) FROM cdnow_summary) AS mbg,
       (SELECT gamma_gamma_fit(x, m) FROM cdnow_money) AS gg;

-- parameters: the published values +-0.002 (Gamma-Gamma +-0.01), and the recomputed MLE
SELECT clv_near((bg).r, 0.243, 0, 0.002, 'BG/NBD fit: r = 0.243 +- 0.002') FROM fits;
SELECT clv_near((bg).alpha, 4.414, 0, 0.002, 'BG/NBD fit: alpha = 4.414 +- 0.002') FROM fits;
SELECT clv_near((bg).a, 0.793, 0, 0.002, 'BG/NBD fit: a = 0.793 +- 0.002') FROM fits;
SELECT clv_near((bg).b, 2.426, 0, 0.002, 'BG/NBD fit: b = 2.426 +- 0.002') FROM fits;
SELECT clv_near((mbg).r, 0.525, 0, 0.002, 'MBG/NBD fit: r = 0.525 +- 0.002') FROM fits;
SELECT clv_near((mbg).alpha, 6.183, 0, 0.002, 'MBG/NBD fit: alpha = 6.183 +- 0.002') FROM fits;
SELECT clv_near((mbg).a, 0.891, 0, 0.002, 'MBG/NBD fit: a = 0.891 +- 0.002') FROM fits;
SELECT clv_near((mbg).b, 1.614, 0, 0.002, 'MBG/NBD fit: b = 1.614 +- 0.002') FROM fits;
SELECT clv_near((gg).p, 6.25, 0, 0.01, 'Gamma-Gamma fit: p = 6.25 +- 0.01') FROM fits;
SELECT clv_near((gg).q, 3.74, 0, 0.01, 'Gamma-Gamma fit: q = 3.74 +- 0.01') FROM fits;
SELECT clv_near((gg).v, 15.44, 0, 0.01, 'Gamma-Gamma fit: v = 15.44 +- 0.01') FROM fits;
SELECT is_empty($$SELECT * FROM fits, LATERAL (VALUES
                    ('bgnbd r', (bg).r, (SELECT p1 FROM mle WHERE model = 'bgnbd'), 5e-4),
                    ('bgnbd alpha', (bg).alpha, (SELECT p2 FROM mle WHERE model = 'bgnbd'), 5e-4),
                    ('bgnbd a', (bg).a, (SELECT p3 FROM mle WHERE model = 'bgnbd'), 5e-4),
                    ('bgnbd b', (bg).b, (SELECT p4 FROM mle WHERE model = 'bgnbd'), 2e-3),
                    ('mbgnbd r', (mbg).r, (SELECT p1 FROM mle WHERE model = 'mbgnbd'), 5e-4),
                    ('mbgnbd alpha', (mbg).alpha, (SELECT p2 FROM mle WHERE model = 'mbgnbd'), 5e-4),
                    ('mbgnbd a', (mbg).a, (SELECT p3 FROM mle WHERE model = 'mbgnbd'), 5e-4),
                    ('mbgnbd b', (mbg).b, (SELECT p4 FROM mle WHERE model = 'mbgnbd'), 2e-3),
                    ('gamma_gamma p', (gg).p, (SELECT p1 FROM mle WHERE model = 'gamma_gamma'), 5e-4),
                    ('gamma_gamma q', (gg).q, (SELECT p2 FROM mle WHERE model = 'gamma_gamma'), 5e-4),
                    ('gamma_gamma v', (gg).v, (SELECT p3 FROM mle WHERE model = 'gamma_gamma'), 2e-3)
                  ) v(param, got, want, tol) WHERE NOT clv_close(got, want, tol)$$,
                'fits: every parameter within 5e-4 relative (b, v: 2e-3) of the recomputed maximum');
-- the log-likelihood: within 1e-3 of the maximum and never below it by more than 1e-6
SELECT clv_near((bg).log_likelihood, (SELECT ll FROM mle WHERE model = 'bgnbd'), 0, 1e-3,
                'BG/NBD fit: log-likelihood within 1e-3 of the maximum -9582.42556')
FROM fits;
SELECT ok(clv_finite((bg).log_likelihood) AND (bg).log_likelihood >= (SELECT ll FROM mle WHERE model = 'bgnbd') - 1e-6,
          'BG/NBD fit: log-likelihood not below the maximum (- 1e-6)')
FROM fits;
SELECT clv_near((mbg).log_likelihood, (SELECT ll FROM mle WHERE model = 'mbgnbd'), 0, 1e-3,
                'MBG/NBD fit: log-likelihood within 1e-3 of the maximum -9582.13268')
FROM fits;
SELECT ok(clv_finite((mbg).log_likelihood) AND (mbg).log_likelihood >= (SELECT ll FROM mle WHERE model = 'mbgnbd') - 1e-6,
          'MBG/NBD fit: log-likelihood not below the maximum (- 1e-6)')
FROM fits;
SELECT clv_near((gg).log_likelihood, (SELECT ll FROM mle WHERE model = 'gamma_gamma'), 0, 1e-3,
                'Gamma-Gamma fit: log-likelihood within 1e-3 of the maximum -4055.92324')
FROM fits;
SELECT ok(clv_finite((gg).log_likelihood) AND (gg).log_likelihood >= (SELECT ll FROM mle WHERE model = 'gamma_gamma') - 1e-6,
          'Gamma-Gamma fit: log-likelihood not below the maximum (- 1e-6)')
FROM fits;
-- what the fits report
SELECT results_eq($$SELECT (bg).converged, (bg).at_bound, (bg).customers, (bg).patterns,
                           (mbg).converged, (mbg).at_bound, (mbg).customers, (mbg).patterns,
                           (gg).converged, (gg).at_bound, (gg).customers, (gg).skipped FROM fits$$,
                  $$VALUES (true, false, 2357::int8, 1016::int8, true, false, 2357::int8, 1016::int8,
                            true, false, 946::int8, 1411::int8)$$,
                  'fits: converged, not at the bound; 2,357 customers in 1,016 patterns; Gamma-Gamma on the 946 repeat buyers');
-- the fitted model's log-likelihood is the sum of its customers' terms
SELECT clv_near((bg).log_likelihood, (SELECT sum(log_likelihood(bg, x, tx, t)) FROM cdnow_summary), 1e-12, 0,
                'BG/NBD fit: log_likelihood = sum(log_likelihood(model, frequency, recency, t))')
FROM fits;
SELECT clv_near((mbg).log_likelihood, (SELECT sum(log_likelihood(mbg, x, tx, t)) FROM cdnow_summary), 1e-12, 0,
                'MBG/NBD fit: log_likelihood = sum(log_likelihood(model, frequency, recency, t))')
FROM fits;
SELECT clv_near((gg).log_likelihood, (SELECT sum(log_likelihood(gg, x, m)) FROM cdnow_money WHERE x > 0), 1e-12, 0,
                'Gamma-Gamma fit: log_likelihood = sum(log_likelihood(model, frequency, monetary_value)) over x > 0')
FROM fits;

------------------------------------------------------------------------------------------
-- Prediction values asserted by the reference test suites (doc/clv_math.md#reference-figures)
------------------------------------------------------------------------------------------
-- lifetimes, BG/NBD fitted: E[Y(39) | 2, 30.43, 38.86] = 1.226 (abs < 0.001)
SELECT clv_near(expected_purchases(bg, 39, 2, 30.43, 38.86), 1.226, 0, 0.001,
                'BG/NBD fitted: E[Y(39) | 2, 30.43, 38.86] = 1.226 +- 0.001 (lifetimes)') FROM fits;
-- lifetimes, BG/NBD fitted: E[X(t)] at six t, decimal=3 (|diff| < 1.5e-3)
SELECT is_empty($$SELECT t, want, expected_purchases(bg, t) AS got FROM fits,
                    (VALUES (0.1429, 0.0078), (1, 0.0532), (3, 0.1506), (31.8571, 1.0405), (32, 1.0437), (78, 1.8576)) v(t, want)
                  WHERE NOT clv_close(expected_purchases(bg, t), want, 0, 1.5e-3)$$,
                'BG/NBD fitted: E[X(t)] for t = 0.1429, 1, 3, 31.8571, 32, 78 (lifetimes, decimal=3)');
-- P(alive) of a one-time buyer is exactly 1; x = 1000, t_x = 10, T = 100 gives exactly 0
SELECT ok(p_alive(bg, 0, 0, 38.86) = 1 AND p_alive(bg, 0, 0, 0) = 1 AND p_alive(bg, 0, 0, 1e6) = 1,
          'BG/NBD fitted: P(alive) = 1 exactly for frequency 0')
FROM fits;
SELECT ok(p_alive(bg, 1000, 10, 100) = 0, 'BG/NBD fitted: P(alive | 1000, 10, 100) = 0 exactly, no error')
FROM fits;
-- pymc-marketing test_numerically_stable_logp (a 0.8, b 2.5, r 0.25, alpha 4, T 40), decimal=5
SELECT clv_near(log_likelihood(bgnbd_model(0.25, 4, 0.8, 2.5), 0, 0, 40), -0.59947382, 0, 1.5e-5,
                'BG/NBD logp (0, 0, 40) = -0.59947382 (pymc-marketing)');
SELECT clv_near(log_likelihood(bgnbd_model(0.25, 4, 0.8, 2.5), 200, 38, 40), 100.7957, 0, 1.5e-5,
                'BG/NBD logp (200, 38, 40) = 100.7957 (pymc-marketing)');
-- BTYD walkthrough, params (0.2425982, 4.4136842, 0.7929899, 2.4261667): printed values within
-- 1e-5 relative (BTYD works in exact weeks, the printed digits are 7), and the mpmath
-- recomputation at these parameters within 1e-9 relative
SELECT is_empty($$SELECT what, got, printed, mp FROM (
                    SELECT bgnbd_model(0.2425982, 4.4136842, 0.7929899, 2.4261667) AS m) q,
                  LATERAL (VALUES
                    ('E[X(52)]', expected_purchases(m, 52), 1.444004, 1.4440048010359273),
                    ('E[Y(52) | 26, 30.85714, 31]', expected_purchases(m, 52, 26, 30.85714, 31), 25.75659, 25.756536041055002),
                    ('P(alive | 26, 30.85714, 31)', p_alive(m, 26, 30.85714, 31), 0.9688523, 0.96885208689689981),
                    ('E[Y(52) | 10, 20, 39]', expected_purchases(m, 52, 10, 20, 39), 0.3474606, 0.34746024562624406),
                    ('E[Y(52) | 15, 20, 39]', expected_purchases(m, 52, 15, 20, 39), 0.04283391, 0.042833954195339525),
                    ('E[Y(52) | 20, 20, 39]', expected_purchases(m, 52, 20, 20, 39), 0.004158973, 0.0041589857381143682),
                    ('E[Y(52) | 25, 20, 39]', expected_purchases(m, 52, 25, 20, 39), 0.0003583685, 0.00035837044012641466)
                  ) v(what, got, printed, mp)
                  WHERE NOT clv_close(got, printed, 1e-5) OR NOT clv_close(got, mp, 1e-9)$$,
                'BG/NBD, BTYD walkthrough parameters: E[X(52)], customer 1516, the "paradox" x = 10 .. 25');
-- BTYD "exp" row: mean E[Y(39)] by calibration frequency 0 .. 6, 7+ at the BTYD parameters;
-- BTYD used exact weeks (printed, within 5e-4), the recomputation the CSV (1e-9 relative)
SELECT is_empty($$WITH m AS (SELECT bgnbd_model(0.2425982, 4.4136842, 0.7929899, 2.4261667) AS m),
                  bins AS (SELECT least(x, 7) AS bin, avg(expected_purchases(m, 39, x, tx, t)) AS got
                           FROM cdnow_summary, m GROUP BY 1)
                  SELECT bin, got, printed, mp FROM bins FULL JOIN (VALUES
                    (0, 0.2250893, 0.225090583965), (1, 0.5231364, 0.523133772251), (2, 1.044126, 1.04412451741),
                    (3, 1.520256, 1.52022149511), (4, 2.163824, 2.16383699078), (5, 2.653789, 2.6538205272),
                    (6, 3.503957, 3.50395220601), (7, 6.157036, 6.15715981337)) v(bin, printed, mp) USING (bin)
                  WHERE NOT clv_close(got, printed, 0, 5e-4) OR NOT clv_close(got, mp, 1e-9)$$,
                'BG/NBD, BTYD parameters: mean E[Y(39)] by frequency 0 .. 6, 7+ (the walkthrough''s "exp" row)');
-- MBG/NBD fitted (lifetimes): E[Y(39) | 2, 30.43, 38.86] within 0.05 of 1.226; E[X(t)]
-- within 5 % of the BG/NBD values; P(alive) of a one-time buyer below 1 (lifetimes asks at
-- (0, 1, 1), which is no customer summary here: recency must be 0 when frequency is 0, so
-- (0, 0, 1)); and the recomputed values at the MLE within 1e-5 relative
SELECT clv_near(expected_purchases(mbg, 39, 2, 30.43, 38.86), 1.226, 0, 0.05,
                'MBG/NBD fitted: E[Y(39) | 2, 30.43, 38.86] = 1.226 +- 0.05 (lifetimes)')
FROM fits;
SELECT clv_near(expected_purchases(mbg, 39, 2, 30.43, 38.86), 1.262670788239239, 1e-5, 0,
                'MBG/NBD fitted: E[Y(39) | 2, 30.43, 38.86] = 1.262671 (recomputed)')
FROM fits;
SELECT ok(p_alive(mbg, 0, 0, 1) < 1 AND p_alive(mbg, 0, 0, 1) > 0, 'MBG/NBD fitted: 0 < P(alive | 0, 0, 1) < 1')
FROM fits;
SELECT is_empty($$SELECT t, lifetimes, recomputed, expected_purchases(mbg, t) AS got FROM fits,
                    (VALUES (0.1429, 0.0078, 0.0077796179409203771), (1, 0.0532, 0.053060620238793849),
                            (3, 0.1506, 0.15079299715273949), (31.8571, 1.0405, 1.0334705832407347),
                            (32, 1.0437, 1.0366092788999531), (78, 1.8576, 1.8036360920450578)) v(t, lifetimes, recomputed)
                  WHERE NOT clv_close(expected_purchases(mbg, t), lifetimes, 0.05)
                     OR NOT clv_close(expected_purchases(mbg, t), recomputed, 1e-5)$$,
                'MBG/NBD fitted: E[X(t)] for the six t within 5 % of lifetimes'' values and 1e-5 of the recomputation');
-- lifetimes Quickstart CLV (weekly CDNOW with the daily factor 30: a 360-week horizon) and with
-- the right factor 4.345 (doc/clv_math.md#clv), fitted BG/NBD and Gamma-Gamma, customers 1-3
SELECT is_empty($$SELECT id, f, want, got FROM fits, cdnow_money,
                    LATERAL (VALUES (30, CASE id WHEN 1 THEN 140.096211 WHEN 2 THEN 18.943467 ELSE 38.180574 END, 1e-5),
                                    (4.345, CASE id WHEN 1 THEN 36.28 WHEN 2 THEN 4.64 ELSE 8.34 END, 0.005)) v(f, want, tol),
                    LATERAL (SELECT predicted_clv(bg, gg, x, tx, t, m, 12, 0.01, f) AS got) c
                  WHERE id <= 3 AND NOT clv_close(got, want, 0, tol)$$,
                'CLV of customers 1-3 as in lifetimes'' Quickstart (140.096211, 18.943467, 38.180574; 36.28, 4.64, 8.34)');
-- Gamma-Gamma fitted: E[M] of the first 10 customers (lifetimes, atol 0.1), and the recomputed
-- values at the MLE (4.2: 24.6586, 18.9115, 35.1710, 71.4629, 27.2824) within 1e-4
SELECT is_empty($$SELECT id, want, mle, expected_spend(gg, x, m) AS got FROM fits, cdnow_money
                  JOIN (VALUES (1, 24.65, 24.6586), (2, 18.91, 18.9115), (3, 35.17, 35.1710), (4, 35.17, 35.1710),
                               (5, 35.17, 35.1710), (6, 71.46, 71.4629), (7, 18.91, 18.9115), (8, 35.17, 35.1710),
                               (9, 27.28, 27.2824), (10, 35.17, 35.1710)) v(id, want, mle) USING (id)
                  WHERE NOT clv_close(expected_spend(gg, x, m), want, 0, 0.1)
                     OR NOT clv_close(expected_spend(gg, x, m), mle, 0, 1e-4)$$,
                'Gamma-Gamma fitted: E[M] of customers 1-10 (lifetimes)');
-- the CLV does not depend on how it is asked: the same for a model stored and read back
SELECT is(predicted_clv(bg::text::bgnbd_model, gg::text::gamma_gamma_model, 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345),
          predicted_clv(bg, gg, 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345),
          'fitted models read back from their text form predict the same bits')
FROM fits;
\else
SELECT skip('CDNOW files missing (retention_data is empty or lacks cdnow/cdnow_customers_summary*.csv or cdnow/derived/cdnow_reference_predictions.csv)', 1);
\endif

\if :have_sample
------------------------------------------------------------------------------------------
-- Cumulative repeat purchases of the whole cohort, weeks 20 .. 25 (BTYD walkthrough):
-- sum over customers of E[X(w - b_i)], b_i = first purchase in weeks since 1997-01-01
------------------------------------------------------------------------------------------
CREATE TABLE cdnow_sample_file (line text);
SELECT format('\copy cdnow_sample_file from %L', :'retention_data' || '/cdnow/CDNOW_sample.txt') AS copy_sample \gset
:copy_sample
CREATE TABLE first_purchase AS
SELECT f[2]::int AS id, min(to_date(f[3], 'YYYYMMDD')) AS first_day
FROM (SELECT regexp_split_to_array(btrim(line, E' \r\t'), '\s+') AS f FROM cdnow_sample_file WHERE btrim(line, E' \r\t') <> '') x
GROUP BY 1;
SELECT is((SELECT count(*) FROM first_purchase), 2357::int8, 'CDNOW_sample.txt: 2,357 customers');
-- printed 1312.458, 1387.346, 1460.392, 1531.713, 1601.418, 1669.6 (within 0.002); recomputed
-- (mpmath on the first purchase days, 1e-9 relative)
SELECT is_empty($$WITH m AS (SELECT bgnbd_model(0.2425982, 4.4136842, 0.7929899, 2.4261667) AS m)
                  SELECT w, printed, mp, got FROM (VALUES
                    (20, 1312.458, 1312.45861466), (21, 1387.346, 1387.34708624), (22, 1460.392, 1460.39266929),
                    (23, 1531.713, 1531.71436605), (24, 1601.418, 1601.41851906), (25, 1669.6, 1669.6006805)) v(w, printed, mp),
                  LATERAL (SELECT sum(expected_purchases(m, w - (first_day - date '1997-01-01') / 7.0)) AS got
                           FROM first_purchase, m WHERE (first_day - date '1997-01-01') / 7.0 <= w) s
                  WHERE NOT clv_close(got, printed, 0, 0.002) OR NOT clv_close(got, mp, 1e-9)$$,
                'BG/NBD, BTYD parameters: expected cumulative repeat purchases, weeks 20 .. 25 (walkthrough)');
\else
SELECT skip('CDNOW_sample.txt missing (retention_data is empty or has no cdnow/CDNOW_sample.txt)', 1);
\endif

\if :have_lt
------------------------------------------------------------------------------------------
-- lifetimes' example_transactions.csv: 15,273 orders of 5,000 customers in 2014, no amounts.
-- Summarised in plain SQL as lifetimes does (days, same-day orders one purchase,
-- observation end the last order day, 2014-12-31), then fitted.
------------------------------------------------------------------------------------------
CREATE TABLE lt_orders (ordered_at timestamp, id int);
SELECT format('\copy lt_orders from %L with (format csv, header true)',
              :'retention_data' || '/lifetimes_datasets/example_transactions.csv') AS copy_lt \gset
:copy_lt
CREATE TABLE lt_summary AS
SELECT id, (count(DISTINCT date_trunc('day', ordered_at)) - 1)::float8 AS x,
       (extract(epoch FROM max(date_trunc('day', ordered_at)) - min(date_trunc('day', ordered_at))) / 86400)::float8 AS tx,
       (extract(epoch FROM timestamp '2014-12-31' - min(date_trunc('day', ordered_at))) / 86400)::float8 AS t
FROM lt_orders GROUP BY id;
SELECT results_eq($$SELECT count(*), count(DISTINCT id), min(ordered_at), max(ordered_at) FROM lt_orders$$,
                  $$VALUES (15273::int8, 5000::int8, timestamp '2014-01-01', timestamp '2014-12-31')$$,
                  'example_transactions.csv: 15,273 orders of 5,000 customers in 2014');
SELECT is((SELECT count(*) + sum(x) FROM lt_summary), 14270::float8,
          'example_transactions.csv: 14,270 distinct customer-days (= customers + repeat purchases)');
CREATE TABLE lt_fit AS SELECT bgnbd_fit(x, tx, t) AS bg FROM lt_summary;
-- recomputed MLE (mpmath, 40 digits, as for CDNOW): r 0.163850901450, alpha 1.86428044013,
-- a 1.85034310750, b 3.18105875559, LL -39248.6261205762923; lifetimes' docstring: 0.16,
-- 1.86, 1.85, 3.18
SELECT is_empty($$SELECT * FROM lt_fit, LATERAL (VALUES
                    ('r', (bg).r, 0.163850901449999, 5e-4), ('alpha', (bg).alpha, 1.86428044012651, 5e-4),
                    ('a', (bg).a, 1.85034310749838, 5e-4), ('b', (bg).b, 3.18105875559002, 2e-3)) v(param, got, want, tol)
                  WHERE NOT clv_close(got, want, tol)$$,
                'example_transactions, BG/NBD fit: r 0.1639, alpha 1.8643, a 1.8503, b 3.1811 (recomputed MLE, 5e-4 relative)');
SELECT clv_near((bg).log_likelihood, -39248.6261205762923, 0, 1e-3,
                'example_transactions, BG/NBD fit: log-likelihood within 1e-3 of the maximum -39248.626')
FROM lt_fit;
SELECT ok(clv_finite((bg).log_likelihood) AND (bg).log_likelihood >= -39248.6261205762923 - 1e-6,
          'example_transactions, BG/NBD fit: log-likelihood not below the maximum (- 1e-6)')
FROM lt_fit;
SELECT ok((bg).converged AND NOT (bg).at_bound AND (bg).customers = 5000,
          'example_transactions, BG/NBD fit: converged, 5,000 customers')
FROM lt_fit;
-- lifetimes test_customer_lifetime_value_with_known_values: first five customers, monetary
-- value 1, months of 30 days. gamma_gamma_model(1, 2, 1) gives E[M] = (1 + x) / (x + 1) = 1
-- exactly for monetary value 1, so the CLV is the expected purchases.
--   time 1, d 0: 0.016053, 0.021171, 0.030461, 0.031686, 0.001607 (decimal=5);
--   time 1, d 1: half of it (decimal=5); time 2: ~2x (d 0) and ~0.75x (d 1) of time 1, rtol 0.1
SELECT is_empty($$SELECT id, want, e30, c1, c1d, c2, c2d FROM lt_fit, lt_summary
                  JOIN (VALUES (0, 0.016053), (1, 0.021171), (2, 0.030461), (3, 0.031686), (4, 0.001607)) v(id, want) USING (id),
                  LATERAL (SELECT expected_purchases(bg, 30, x, tx, t) AS e30,
                                  predicted_clv(bg, gamma_gamma_model(1, 2, 1), x, tx, t, 1, 1, 0, 30) AS c1,
                                  predicted_clv(bg, gamma_gamma_model(1, 2, 1), x, tx, t, 1, 1, 1, 30) AS c1d,
                                  predicted_clv(bg, gamma_gamma_model(1, 2, 1), x, tx, t, 1, 2, 0, 30) AS c2,
                                  predicted_clv(bg, gamma_gamma_model(1, 2, 1), x, tx, t, 1, 2, 1, 30) AS c2d) c
                  WHERE NOT clv_close(e30, want, 0, 1.5e-5) OR NOT clv_close(c1, want, 0, 1.5e-5)
                     OR NOT clv_close(c1d, want / 2, 0, 1.5e-5) OR NOT clv_close(c2, 2 * c1, 0.1)
                     OR NOT clv_close(c2d, 0.75 * c1, 0.1)$$,
                'example_transactions: E[Y(30)] and CLV of the first five customers (lifetimes test values)');
-- the same customers against the mpmath recomputation at the recomputed MLE (1e-6 relative:
-- the fitted parameters are the MLE to about 1e-7)
SELECT is_empty($$SELECT id, want, expected_purchases(bg, 30, x, tx, t) AS got FROM lt_fit, lt_summary
                  JOIN (VALUES (0, 0.0160530090565), (1, 0.0211710621546), (2, 0.0304613117784),
                               (3, 0.0316861562548), (4, 0.00160676025334)) v(id, want) USING (id)
                  WHERE NOT clv_close(expected_purchases(bg, 30, x, tx, t), want, 1e-6)$$,
                'example_transactions: E[Y(30)] of the first five customers = recomputation at the MLE');
SELECT is_empty($$SELECT id, x, tx, t FROM lt_summary WHERE id <= 4 AND (id, x, tx, t) NOT IN
                    (VALUES (0, 0::float8, 0::float8, 298::float8), (1, 0, 0, 224), (2, 6, 142, 292), (3, 0, 0, 147), (4, 2, 9, 183))$$,
                'example_transactions: the first five summaries (0,0,298) (0,0,224) (6,142,292) (0,0,147) (2,9,183)');
SELECT ok((SELECT bool_and(x >= 0 AND tx >= 0 AND tx <= t AND (x > 0 OR tx = 0)) FROM lt_summary),
          'example_transactions: every plain-SQL summary is a valid customer summary');
\else
SELECT skip('example_transactions.csv missing (retention_data is empty or has no lifetimes_datasets/example_transactions.csv)', 1);
\endif

\if :have_rfm
-- rfm(), the extension's own summary, equals the plain-SQL one and fits the same
CREATE TABLE lt_rfm AS
SELECT id, (rfm(ordered_at, NULL::numeric, timestamp '2014-12-31')).* FROM lt_orders GROUP BY id;
SELECT is_empty($$SELECT id FROM lt_summary s FULL JOIN lt_rfm r USING (id)
                  WHERE s.x IS DISTINCT FROM r.frequency::float8 OR s.tx IS DISTINCT FROM r.recency
                     OR s.t IS DISTINCT FROM r.t$$,
                'example_transactions: rfm() gives the plain-SQL summary for all 5,000 customers');
SELECT is((SELECT bgnbd_fit(frequency, recency, t)::text FROM lt_rfm), (SELECT bg::text FROM lt_fit),
          'example_transactions: the BG/NBD fit over rfm() is the fit over the plain-SQL summary');
\else
SELECT skip('no rfm(timestamp, numeric, timestamp) in this build, or no example_transactions.csv', 1);
\endif

SELECT * FROM finish();
ROLLBACK;
