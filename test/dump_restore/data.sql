-- test/dump_restore/data.sql: the database test/dump_restore/run dumps and restores.
-- Stored values of every type of the extension, made by its aggregates on generated
-- orders (NULL customers, times and amounts, empty summaries, int / text / uuid customer
-- keys, timestamptz / timestamp / date times), fitted models, and a view and a
-- materialized view that call the extension's functions.
\set ON_ERROR_STOP 1
SET client_min_messages = error;  -- the fits on rfm_table warn that they did not converge

\set n_orders 1500
\ir ../lib/orders.sql

-- the transition states as values: user aggregates without a final function
CREATE AGGREGATE os_state(anyelement, timestamptz, numeric) (SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE os_state(anyelement, timestamp, numeric) (SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE os_state(anyelement, date, numeric, anycompatible) (SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE cohort_state_of(anyelement, timestamptz, text, numeric) (SFUNC = cohort_agg_trans, STYPE = cohort_state);
CREATE AGGREGATE cohort_state_of(anyelement, timestamp, text) (SFUNC = cohort_agg_trans, STYPE = cohort_state);
CREATE AGGREGATE cohort_state_of(anyelement, date, text, numeric, anycompatible) (SFUNC = cohort_agg_trans, STYPE = cohort_state);
CREATE AGGREGATE rfm_state_of(timestamptz, numeric, timestamptz, text) (SFUNC = rfm_trans, STYPE = rfm_state);
CREATE AGGREGATE rfm_state_of(date, numeric, date) (SFUNC = rfm_trans, STYPE = rfm_state);
CREATE AGGREGATE fit_state_of(float8, float8, float8) (SFUNC = clv_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE spend_fit_state_of(float8, float8) (SFUNC = clv_spend_fit_trans, STYPE = clv_fit_state);

CREATE TABLE stored_order_stats (label text PRIMARY KEY, v order_stats, st order_stats_state);
INSERT INTO stored_order_stats
SELECT 'int_tstz', order_stats(cust_int, at_tz, amount), os_state(cust_int, at_tz, amount) FROM orders
UNION ALL
SELECT 'text_ts', order_stats(cust_text, at_ts, amount), os_state(cust_text, at_ts, amount) FROM orders
UNION ALL
SELECT 'uuid_date_lines', order_stats(cust_uuid, at_date, amount, order_key), os_state(cust_uuid, at_date, amount, order_key) FROM orders
UNION ALL
SELECT 'empty', order_stats(cust_int, at_tz, amount), os_state(cust_int, at_tz, amount) FROM orders WHERE false
UNION ALL
SELECT 'only_nulls', order_stats(cust_int, at_tz, amount), os_state(cust_int, at_tz, amount) FROM orders WHERE id % 23 = 0
UNION ALL
SELECT 'null', NULL, NULL;
-- one summary per customer too (many small values)
CREATE TABLE customer_stats (customer text PRIMARY KEY, v order_stats);
INSERT INTO customer_stats SELECT cust_text, order_stats(cust_text, at_ts, amount) FROM orders WHERE cust_text IS NOT NULL GROUP BY 1;

CREATE TABLE stored_cohort (label text PRIMARY KEY, v cohort_matrix, st cohort_state);
INSERT INTO stored_cohort
SELECT 'int_tstz_month', cohort_agg(cust_int, at_tz, 'month', amount), cohort_state_of(cust_int, at_tz, 'month', amount) FROM orders
UNION ALL
SELECT 'text_ts_week', cohort_agg(cust_text, at_ts, 'week'), cohort_state_of(cust_text, at_ts, 'week') FROM orders
UNION ALL
SELECT 'uuid_date_day_lines', cohort_agg(cust_uuid, at_date, 'day', amount, order_key), cohort_state_of(cust_uuid, at_date, 'day', amount, order_key) FROM orders
UNION ALL
SELECT 'empty', cohort_agg(cust_int, at_tz, 'month', amount), cohort_state_of(cust_int, at_tz, 'month', amount) FROM orders WHERE false
UNION ALL
SELECT 'null', NULL, NULL;

-- revenue retention (1.5): the summary; its state is cohort_state, stored above
CREATE TABLE stored_revenue (label text PRIMARY KEY, v revenue_matrix);
INSERT INTO stored_revenue
SELECT 'int_tstz_month', revenue_agg(cust_int, at_tz, 'month', amount) FROM orders
UNION ALL
SELECT 'text_ts_week', revenue_agg(cust_text, at_ts, 'week', amount) FROM orders
UNION ALL
SELECT 'uuid_date_quarter', revenue_agg(cust_uuid, at_date, 'quarter', amount) FROM orders
UNION ALL
SELECT 'empty', revenue_agg(cust_int, at_tz, 'month', amount) FROM orders WHERE false
UNION ALL
SELECT 'null', NULL;
CREATE VIEW revenue_report AS
SELECT label, (mrr_movements(v)).* FROM stored_revenue;

-- rfm per customer: the summary (a composite value and its columns) and the state
CREATE TABLE stored_rfm (customer int, unit text, summary rfm_summary, st rfm_state, PRIMARY KEY (customer, unit));
INSERT INTO stored_rfm
SELECT cust_int, 'day', rfm(at_tz, amount, '2024-06-01 00:00+00'), rfm_state_of(at_tz, amount, '2024-06-01 00:00+00', 'day')
FROM orders WHERE cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT cust_int, 'week', rfm(at_tz, amount, '2024-06-01 00:00+00', 'week'), rfm_state_of(at_tz, amount, '2024-06-01 00:00+00', 'week')
FROM orders WHERE cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT cust_int, 'date', rfm(at_date, amount, date '2024-06-01'), rfm_state_of(at_date, amount, date '2024-06-01')
FROM orders WHERE cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT -1, 'null', NULL, NULL;
CREATE TABLE rfm_table AS
SELECT customer, (summary).* FROM stored_rfm WHERE unit = 'day';

-- models: fitted (with the fit's report) on customers simulated from the BG/NBD and
-- Gamma-Gamma stories (an interior maximum) and on rfm_table above (the fits run off:
-- not converged), and built from given parameters
\ir ../pgtap/lib/clv_simulate.psql
CREATE TABLE sim AS SELECT i AS customer, (sim_customer(i)).* FROM generate_series(1, 1500) i;
CREATE TABLE stored_models (label text PRIMARY KEY, bg bgnbd_model, mbg mbgnbd_model,
                            pnbd pareto_nbd_model, gg gamma_gamma_model, st clv_fit_state, spend_st clv_fit_state);
INSERT INTO stored_models
SELECT 'fitted', bgnbd_fit(x, tx, t), mbgnbd_fit(x, tx, t), pareto_nbd_fit(x, tx, t),
       gamma_gamma_fit(x, m), fit_state_of(x, tx, t), spend_fit_state_of(x, m)
FROM sim
UNION ALL
SELECT 'fitted_rfm', bgnbd_fit(frequency, recency, t), mbgnbd_fit(frequency, recency, t), pareto_nbd_fit(frequency, recency, t),
       gamma_gamma_fit(frequency, monetary_value::float8), fit_state_of(frequency, recency, t),
       spend_fit_state_of(frequency, monetary_value::float8)
FROM rfm_table
UNION ALL
SELECT 'given', bgnbd_model(0.243, 4.414, 0.793, 2.426), mbgnbd_model(0.525, 6.183, 0.891, 1.614),
       pareto_nbd_model(0.553, 10.58, 0.606, 11.67), gamma_gamma_model(6.25, 3.74, 15.44), NULL, NULL
UNION ALL
SELECT 'no_rows', bgnbd_fit(frequency, recency, t), mbgnbd_fit(frequency, recency, t), pareto_nbd_fit(frequency, recency, t),
       gamma_gamma_fit(frequency, monetary_value::float8), fit_state_of(frequency, recency, t),
       spend_fit_state_of(frequency, monetary_value::float8)
FROM rfm_table WHERE false
UNION ALL
SELECT 'null', NULL, NULL, NULL, NULL, NULL, NULL;

-- a view and a materialized view over the extension's functions
CREATE VIEW predictions AS
SELECT m.label, r.customer,
       p_alive(m.bg, r.frequency, r.recency, r.t) AS bg_p_alive,
       p_alive(m.pnbd, r.frequency, r.recency, r.t) AS pnbd_p_alive,
       expected_purchases(m.mbg, 90, r.frequency, r.recency, r.t) AS mbg_purchases_90,
       expected_spend(m.gg, r.frequency, r.monetary_value::float8) AS spend,
       predicted_clv(m.bg, m.gg, r.frequency, r.recency, r.t, r.monetary_value::float8, 12, 0.01, 30) AS clv_12
FROM stored_models m CROSS JOIN rfm_table r
WHERE m.label IN ('fitted', 'fitted_rfm', 'given')
UNION ALL
SELECT m.label, -s.customer, p_alive(m.bg, s.x, s.tx, s.t), p_alive(m.pnbd, s.x, s.tx, s.t),
       expected_purchases(m.mbg, 90, s.x, s.tx, s.t), expected_spend(m.gg, s.x, s.m),
       predicted_clv(m.bg, m.gg, s.x, s.tx, s.t, s.m, 12, 0.01, 30)
FROM stored_models m CROSS JOIN sim s
WHERE m.label IN ('fitted', 'given') AND s.customer <= 300;

CREATE VIEW summaries AS
SELECT label, customers(v), orders(v), repeat_customers(v), ignored_rows(v), revenue(v), aov(v),
       purchase_frequency(v), repeat_rate(v), churn_rate(v), observation_window(v),
       first_order_at(v), last_order_at(v), clv(v), order_stats_final(st) AS from_state
FROM stored_order_stats;

CREATE MATERIALIZED VIEW cohort_report AS
SELECT s.label, t.*
FROM stored_cohort s, LATERAL cohort_table(s.v, '2024-06-01 00:00+00') t
WHERE s.label <> 'uuid_date_day_lines';

CREATE MATERIALIZED VIEW model_report AS
SELECT label, (bg).r, (bg).alpha, (bg).a, (bg).b, (bg).log_likelihood,
       expected_purchases(bg, 365) AS bg_new_365, expected_purchases(pnbd, 365) AS pnbd_new_365,
       log_likelihood(gg, 2, 35.5) AS gg_ll, (gg).skipped,
       bgnbd_fit_final(st) = bg AS refit_same
FROM stored_models;

-- 1.6: sBG and BG/BB models (fitted, with standard errors; given), their fit states,
-- a survival table per cohort of a stored cohort_matrix, and a view of forecasts
CREATE AGGREGATE sbg_state_of(int4, int8) (SFUNC = sbg_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE bgbb_state_of(int4, int4, int4, int8) (SFUNC = bgbb_fit_trans, STYPE = clv_fit_state);
CREATE TABLE survival_table (period int, alive int8);
INSERT INTO survival_table VALUES (0, 1000), (1, 631), (2, 468), (3, 382), (4, 326), (5, 289), (6, 262), (7, 241);
CREATE TABLE bgbb_patterns (frequency int, recency int, n_periods int, customers int8);
INSERT INTO bgbb_patterns SELECT x, CASE WHEN x = 0 THEN 0 ELSE greatest(x, tx) END, 6, w
FROM (SELECT x, tx, (7 - x) * 40 + tx * 13 + 5 AS w FROM generate_series(0, 6) x, generate_series(0, 6) tx) s;
CREATE TABLE stored_forecast_models (label text PRIMARY KEY, sbg sbg_model, bgbb bgbb_model,
                                     sbg_st clv_fit_state, bgbb_st clv_fit_state);
INSERT INTO stored_forecast_models
SELECT 'fitted', (SELECT sbg_fit(period, alive) FROM survival_table),
       (SELECT bgbb_fit(frequency, recency, n_periods, customers) FROM bgbb_patterns),
       (SELECT sbg_state_of(period, alive) FROM survival_table),
       (SELECT bgbb_state_of(frequency, recency, n_periods, customers) FROM bgbb_patterns)
UNION ALL
SELECT 'given', sbg_model(0.704, 1.182), bgbb_model(1.204, 0.75, 0.657, 2.783), NULL, NULL
UNION ALL
SELECT 'null', NULL, NULL, NULL, NULL;
CREATE TABLE stored_cohort_fits AS
SELECT s.label, f.cohort, f.model FROM stored_cohort s, LATERAL sbg_fit(s.v, '2024-06-01 00:00+00') f
WHERE s.label = 'int_tstz_month';
CREATE VIEW forecasts AS
SELECT m.label, t, survival(m.sbg, t) AS survival, expected_lifetime(m.sbg, 0.1) AS del,
       residual_lifetime(m.sbg, greatest(t, 1), 0.1) AS derl,
       expected_purchases(m.bgbb, t) AS bgbb_new, p_alive(m.bgbb, 1, 2, 6) AS bgbb_p_alive,
       purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), t, 39) AS bgnbd_count,
       (SELECT string_agg(parameter || '=' || estimate || '+-' || coalesce(std_error::text, '?'), ' ')
        FROM parameters(m.sbg)) AS sbg_parameters,
       sbg_fit_final(m.sbg_st) = m.sbg AS refit_same
FROM stored_forecast_models m, generate_series(0, 12) t
WHERE m.label <> 'null';

-- 1.6: calibration and holdout summaries and their states
CREATE AGGREGATE holdout_state_of(timestamptz, numeric, timestamptz, timestamptz, text) (SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state);
CREATE AGGREGATE holdout_state_of(date, numeric, date, date) (SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state);
CREATE TABLE stored_holdout (customer int, unit text, summary rfm_holdout_summary, st rfm_holdout_state,
                             PRIMARY KEY (customer, unit));
INSERT INTO stored_holdout
SELECT cust_int, 'week', rfm_holdout(at_tz, amount, '2023-06-01 00:00+00', '2024-06-01 00:00+00', 'week'),
       holdout_state_of(at_tz, amount, '2023-06-01 00:00+00', '2024-06-01 00:00+00', 'week')
FROM orders WHERE cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT cust_int, 'date', rfm_holdout(at_date, amount, date '2023-06-01', date '2024-06-01'),
       holdout_state_of(at_date, amount, date '2023-06-01', date '2024-06-01')
FROM orders WHERE cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT -1, 'null', NULL, NULL;
CREATE VIEW holdout_report AS
SELECT unit, (summary).frequency_cal, count(*) AS customers, avg((summary).frequency_holdout) AS holdout,
       sum((rfm_holdout_final(st)).monetary_value_holdout) AS holdout_value
FROM stored_holdout GROUP BY 1, 2;

-- 1.7: window_funnel levels and their states (timestamptz with a mode, date, and a state
-- of a group without rows: NULL)
CREATE AGGREGATE funnel_state_of(interval, text, timestamptz, VARIADIC boolean[]) (SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE funnel_state_of(interval, date, VARIADIC boolean[]) (SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE TABLE stored_funnel (customer int, kind text, level int4, st window_funnel_state, PRIMARY KEY (customer, kind));
INSERT INTO stored_funnel
SELECT cust_int, 'tstz', window_funnel('30 days', 'strict_order', at_tz, amount < 20, amount >= 20, amount >= 60),
       funnel_state_of('30 days', 'strict_order', at_tz, amount < 20, amount >= 20, amount >= 60)
FROM orders WHERE cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT cust_int, 'date', window_funnel('90 days', at_date, amount < 50, amount >= 50),
       funnel_state_of('90 days', at_date, amount < 50, amount >= 50)
FROM orders WHERE cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT -1, 'null', 0, NULL;
CREATE VIEW funnel_report AS
SELECT kind, level, count(*) AS customers, count(*) FILTER (WHERE window_funnel_final(st) = level) AS level_from_state
FROM stored_funnel GROUP BY 1, 2;
-- 1.7: funnel_agg's counts of those levels (per kind; only NULL levels; NULL), and
-- funnel_table over them
CREATE TABLE stored_funnel_counts (kind text PRIMARY KEY, c funnel_counts);
INSERT INTO stored_funnel_counts
SELECT kind, funnel_agg(level, CASE kind WHEN 'tstz' THEN 3 ELSE 2 END)
FROM stored_funnel WHERE kind IN ('tstz', 'date') GROUP BY kind
UNION ALL
SELECT 'null_levels', funnel_agg(NULL::int, 4)
UNION ALL
SELECT 'null', NULL;
CREATE VIEW funnel_table_report AS
SELECT s.kind, t.* FROM stored_funnel_counts s, funnel_table(s.c) t;
-- 1.7: one summary of every customer (rfm_agg) and its rows through rfm_table.  The view
-- reads a date summary (a timestamptz one must be read in the TimeZone it was made in).
CREATE TABLE stored_rfm_agg (label text PRIMARY KEY, v rfm_agg_state);
INSERT INTO stored_rfm_agg
SELECT 'int_tstz_day', rfm_agg(cust_int, at_tz, amount) FROM orders
UNION ALL
SELECT 'text_ts_hour', rfm_agg(cust_text, at_ts, amount, 'hour') FROM orders
UNION ALL
SELECT 'uuid_date_week', rfm_agg(cust_uuid, at_date, amount, 'week') FROM orders
UNION ALL
SELECT 'only_nulls', rfm_agg(cust_int, at_tz, amount) FROM orders WHERE cust_int IS NULL
UNION ALL
SELECT 'null', NULL;
CREATE VIEW rfm_agg_report AS
SELECT r.* FROM stored_rfm_agg s, rfm_table(s.v, date '2024-06-01', NULL::uuid) r WHERE s.label = 'uuid_date_week';

-- 1.7: retention_agg matrices and a state of the orders as events (months, first_time,
-- with values; 30-day windows from date times with brackets and min_occurrences; a group
-- without rows: NULL), and the options they were made with
CREATE AGGREGATE retention_state_of(anyelement, timestamptz, text, boolean, boolean, numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state);
CREATE TABLE stored_retention (kind text PRIMARY KEY, opts retention_options, m retention_matrix, st retention_state);
INSERT INTO stored_retention
SELECT 'months', retention_options(), retention_agg(cust_int, at_tz, 'month', amount > 50, true, amount),
       retention_state_of(cust_int, at_tz, 'month', amount > 50, true, amount)
FROM orders
UNION ALL
SELECT 'windows', retention_options(brackets => '{1,2,6}', min_occurrences => 2),
       retention_agg(cust_int, at_date, interval '30 days', true, amount > 20, amount,
                     retention_options(brackets => '{1,2,6}', min_occurrences => 2)), NULL
FROM orders
UNION ALL
SELECT 'null', NULL, NULL, NULL;
CREATE VIEW retention_report AS
SELECT s.kind, t.* FROM stored_retention s, retention_table(s.m, timestamptz '2030-01-01') t
UNION ALL
SELECT 'from state', t.* FROM stored_retention s, retention_table(retention_agg_final(s.st), timestamptz '2030-01-01') t
WHERE s.st IS NOT NULL;
