-- test/upgrade/store.sql: run by test/upgrade/run with an OLD release installed (its own
-- retention.so). Stores values of every type that release has, made by its aggregates,
-- plus probe views that show everything about them (text output, send() bytes,
-- accessors), and snapshots what the old release printed into before_* tables.
-- After ALTER EXTENSION retention UPDATE, test/upgrade/values.sql compares the probes,
-- now run by the current retention.so, with the snapshots.
-- psql variables: cohort = true when the release has cohort_agg (1.1 and later);
-- models = true when it has rfm and the CLV models (1.2 and later).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Orders (test/lib/orders.sql): rows 1..600 are written before the upgrade (part 'old'),
-- 601..900 after it (part 'new', for combining old stored states with new ones).
\set n_orders 900
\ir ../lib/orders.sql
ALTER TABLE orders ADD COLUMN part text;
UPDATE orders SET part = CASE WHEN id <= 600 THEN 'old' ELSE 'new' END;

-- The transition states as values: user aggregates over the extension's transition
-- functions (no final function).
CREATE AGGREGATE u_os_state(anyelement, timestamptz, numeric) (SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE u_os_state(anyelement, timestamp, numeric) (SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE u_os_state(anyelement, date, numeric) (SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE u_os_state(anyelement, timestamptz, numeric, anycompatible) (SFUNC = order_stats_trans, STYPE = order_stats_state);

-- label says customer key / time type / variant
CREATE TABLE stored_os (label text PRIMARY KEY, os order_stats, oss order_stats_state);
INSERT INTO stored_os
SELECT 'int_tstz', order_stats(cust_int, at_tz, amount), u_os_state(cust_int, at_tz, amount) FROM orders WHERE part = 'old'
UNION ALL
SELECT 'text_ts', order_stats(cust_text, at_ts, amount), u_os_state(cust_text, at_ts, amount) FROM orders WHERE part = 'old'
UNION ALL
SELECT 'uuid_date', order_stats(cust_uuid, at_date, amount), u_os_state(cust_uuid, at_date, amount) FROM orders WHERE part = 'old'
UNION ALL
SELECT 'int_tstz_lines', order_stats(cust_int, at_tz, amount, order_key), u_os_state(cust_int, at_tz, amount, order_key) FROM orders WHERE part = 'old'
UNION ALL
SELECT 'empty', order_stats(cust_int, at_tz, amount), u_os_state(cust_int, at_tz, amount) FROM orders WHERE false
UNION ALL
SELECT 'only_nulls', order_stats(cust_int, at_tz, amount), u_os_state(cust_int, at_tz, amount) FROM orders WHERE id % 23 = 0 AND part = 'old'
UNION ALL
SELECT 'one_order', order_stats(cust_int, at_tz, amount), u_os_state(cust_int, at_tz, amount) FROM orders WHERE id = 1;
INSERT INTO stored_os VALUES ('null', NULL, NULL);

CREATE VIEW os_probe AS
SELECT label,
       os::text AS os_text,
       order_stats_send(os) AS os_send,
       row(customers(os), orders(os), repeat_customers(os), ignored_rows(os), revenue(os), aov(os),
           customer_value(os), purchase_frequency(os), repeat_rate(os), churn_rate(os),
           observation_window(os), first_order_at(os), last_order_at(os), clv(os),
           clv(os, interval '3 years', 0.25), clv(os, NULL, 0.4, 0.08, 0.7, interval '1 year'))::text AS accessors,
       oss::text AS oss_text,
       order_stats_state_send(oss) AS oss_send,
       order_stats_final(oss)::text AS oss_final
FROM stored_os;
CREATE TABLE before_os AS SELECT * FROM os_probe;

\if :cohort
CREATE AGGREGATE u_cohort_state(anyelement, timestamptz, text, numeric) (SFUNC = cohort_agg_trans, STYPE = cohort_state);
CREATE AGGREGATE u_cohort_state(anyelement, timestamp, text) (SFUNC = cohort_agg_trans, STYPE = cohort_state);
CREATE AGGREGATE u_cohort_state(anyelement, date, text, numeric, anycompatible) (SFUNC = cohort_agg_trans, STYPE = cohort_state);

CREATE TABLE stored_cm (label text PRIMARY KEY, cm cohort_matrix, cs cohort_state);
INSERT INTO stored_cm
SELECT 'int_tstz_month', cohort_agg(cust_int, at_tz, 'month', amount), u_cohort_state(cust_int, at_tz, 'month', amount) FROM orders WHERE part = 'old'
UNION ALL
SELECT 'text_ts_week', cohort_agg(cust_text, at_ts, 'week'), u_cohort_state(cust_text, at_ts, 'week') FROM orders WHERE part = 'old'
UNION ALL
SELECT 'uuid_date_month_lines', cohort_agg(cust_uuid, at_date, 'month', amount, order_key), u_cohort_state(cust_uuid, at_date, 'month', amount, order_key) FROM orders WHERE part = 'old'
UNION ALL
SELECT 'empty', cohort_agg(cust_int, at_tz, 'month', amount), u_cohort_state(cust_int, at_tz, 'month', amount) FROM orders WHERE false
UNION ALL
SELECT 'only_nulls', cohort_agg(cust_int, at_tz, 'month', amount), u_cohort_state(cust_int, at_tz, 'month', amount) FROM orders WHERE id % 23 = 0 AND part = 'old';
INSERT INTO stored_cm VALUES ('null', NULL, NULL);

CREATE VIEW cm_probe AS
SELECT label,
       cm::text AS cm_text,
       cohort_matrix_send(cm) AS cm_send,
       row(customers(cm), ignored_rows(cm), last_order_at(cm))::text AS accessors,
       (SELECT array_agg(t::text ORDER BY t.cohort, t.period_offset) FROM cohort_table(cm, '2024-06-01 00:00+00') t)::text AS cohort_table,
       (SELECT array_agg(t::text ORDER BY t.cohort, t.period_offset) FROM cohort_table(cm) t)::text AS cohort_table_latest,
       (SELECT array_agg(r::text ORDER BY r.period_offset) FROM retention_curve(cm, '2024-06-01 00:00+00') r)::text AS retention_curve,
       (SELECT array_agg(p::text ORDER BY p.period) FROM period_retention(cm) p)::text AS period_retention,
       cs::text AS cs_text,
       cohort_state_send(cs) AS cs_send,
       cohort_agg_final(cs)::text AS cs_final
FROM stored_cm;
CREATE TABLE before_cm AS SELECT * FROM cm_probe;
\endif

\if :models
------------------------------------------------------------------------------------------
-- 1.2: rfm (rfm_summary, rfm_state), the models, their fits (clv_fit_state), predictions
------------------------------------------------------------------------------------------
-- rfm_state as a value: rfm's transition function without its final function, with
-- rfm's INITCOND (the fresh state), as rfm runs it
DO $do$
DECLARE
    sig text;
BEGIN
    FOREACH sig IN ARRAY ARRAY['timestamptz, numeric, timestamptz, text', 'timestamp, numeric, timestamp',
                               'date, numeric, date, text'] LOOP
        EXECUTE format('CREATE AGGREGATE u_rfm_state(%s) (SFUNC = rfm_trans, STYPE = rfm_state, INITCOND = %L)',
                       sig, (SELECT agginitval FROM pg_aggregate
                             WHERE aggfnoid = format('rfm(%s)', sig)::regprocedure));
    END LOOP;
END
$do$;

-- one row per customer and label (time type / unit / observed_until); 'tstz_day_early'
-- observes until 2023-09-01: later orders are left out, customers without an earlier
-- one get NULL
CREATE TABLE stored_rfm (label text, customer int, summary rfm_summary, st rfm_state, PRIMARY KEY (label, customer));
INSERT INTO stored_rfm
SELECT 'tstz_day', cust_int, rfm(at_tz, amount, '2024-06-01 00:00+00'), u_rfm_state(at_tz, amount, '2024-06-01 00:00+00', 'day')
FROM orders WHERE part = 'old' AND cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT 'tstz_week', cust_int, rfm(at_tz, amount, '2024-06-01 00:00+00', 'week'), u_rfm_state(at_tz, amount, '2024-06-01 00:00+00', 'week')
FROM orders WHERE part = 'old' AND cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT 'tstz_day_early', cust_int, rfm(at_tz, amount, '2023-09-01 00:00+00', 'day'), u_rfm_state(at_tz, amount, '2023-09-01 00:00+00', 'day')
FROM orders WHERE part = 'old' AND cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT 'ts_day', cust_int, rfm(at_ts, amount, timestamp '2024-06-01'), u_rfm_state(at_ts, amount, timestamp '2024-06-01')
FROM orders WHERE part = 'old' AND cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT 'date_week', cust_int, rfm(at_date, amount, date '2024-06-01', 'week'), u_rfm_state(at_date, amount, date '2024-06-01', 'week')
FROM orders WHERE part = 'old' AND cust_int IS NOT NULL GROUP BY cust_int
UNION ALL
SELECT 'date_month', cust_int, rfm(at_date, amount, date '2024-06-01', 'month'), u_rfm_state(at_date, amount, date '2024-06-01', 'month')
FROM orders WHERE part = 'old' AND cust_int IS NOT NULL GROUP BY cust_int;
INSERT INTO stored_rfm VALUES ('null', -1, NULL, NULL);

CREATE VIEW rfm_probe AS
SELECT label, customer,
       summary::text AS summary_text,
       st::text AS st_text,
       rfm_state_send(st) AS st_send,
       rfm_final(st)::text AS st_final
FROM stored_rfm;
CREATE TABLE before_rfm AS SELECT * FROM rfm_probe;

-- customers simulated from the BG/NBD and Gamma-Gamma stories (an interior maximum):
-- 1..300 fitted before the upgrade (part 'old'), 301..400 after it (part 'new')
\ir ../pgtap/lib/clv_simulate.psql
CREATE TABLE sim AS
SELECT i AS customer, CASE WHEN i <= 300 THEN 'old' ELSE 'new' END AS part, (sim_customer(i)).*
FROM generate_series(1, 400) i;

CREATE AGGREGATE u_fit_state(float8, float8, float8) (SFUNC = clv_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE u_fit_state(float8, float8, float8, int8) (SFUNC = clv_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE u_spend_fit_state(float8, float8) (SFUNC = clv_spend_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE u_spend_fit_state(float8, float8, int8) (SFUNC = clv_spend_fit_trans, STYPE = clv_fit_state);

-- fitted (with the fit's report), fitted in the weighted form on the distinct patterns,
-- built from given (published CDNOW) parameters, fitted on no rows, NULL
CREATE TABLE stored_models (label text PRIMARY KEY, bg bgnbd_model, mbg mbgnbd_model, pnbd pareto_nbd_model,
                            gg gamma_gamma_model, st clv_fit_state, spend_st clv_fit_state);
INSERT INTO stored_models
SELECT 'fitted', bgnbd_fit(x, tx, t), mbgnbd_fit(x, tx, t), pareto_nbd_fit(x, tx, t), gamma_gamma_fit(x, m),
       u_fit_state(x, tx, t), u_spend_fit_state(x, m)
FROM sim WHERE part = 'old'
UNION ALL
SELECT 'weighted', bgnbd_fit(x, tx, t, n), mbgnbd_fit(x, tx, t, n), pareto_nbd_fit(x, tx, t, n),
       (SELECT gamma_gamma_fit(x, m, n) FROM (SELECT x, m, count(*) AS n FROM sim WHERE part = 'old' GROUP BY 1, 2) g),
       u_fit_state(x, tx, t, n),
       (SELECT u_spend_fit_state(x, m, n) FROM (SELECT x, m, count(*) AS n FROM sim WHERE part = 'old' GROUP BY 1, 2) g)
FROM (SELECT x, tx, t, count(*) AS n FROM sim WHERE part = 'old' GROUP BY 1, 2, 3) p
UNION ALL
SELECT 'given', bgnbd_model(0.243, 4.414, 0.793, 2.426), mbgnbd_model(0.525, 6.183, 0.891, 1.614),
       pareto_nbd_model(0.553, 10.58, 0.606, 11.67), gamma_gamma_model(6.25, 3.74, 15.44), NULL, NULL
UNION ALL
SELECT 'no_rows', bgnbd_fit(x, tx, t), mbgnbd_fit(x, tx, t), pareto_nbd_fit(x, tx, t), gamma_gamma_fit(x, m),
       u_fit_state(x, tx, t), u_spend_fit_state(x, m)
FROM sim WHERE false
UNION ALL
SELECT 'null', NULL, NULL, NULL, NULL, NULL, NULL;

-- predictions of each model at a few (frequency, recency, t, monetary_value) points
CREATE TABLE model_points (x float8, tx float8, t float8, m float8, PRIMARY KEY (x, tx, t, m));
INSERT INTO model_points VALUES (0, 0, 30, 0), (1, 5.5, 30, 12.5), (3, 20.25, 35, 40), (12, 38.5, 40, 7.75);

-- 1.6 added the standard errors se_<parameter> at the end of each model type: a model
-- stored before reads them as NULL, a fit fills them in.  The probes compare the fields
-- every release has (the model without its se_ fields, as jsonb: the values' exact text).
CREATE FUNCTION fields_before_1_6(m anyelement) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_object_agg(key, value) FROM jsonb_each(to_jsonb(m)) WHERE key NOT LIKE 'se\_%'
$$;
CREATE VIEW model_probe AS
SELECT label,
       row(fields_before_1_6(bg), fields_before_1_6(mbg), fields_before_1_6(pnbd), fields_before_1_6(gg))::text AS models_text,
       array[jsonb_send(fields_before_1_6(bg)), jsonb_send(fields_before_1_6(mbg)),
             jsonb_send(fields_before_1_6(pnbd)), jsonb_send(fields_before_1_6(gg))] AS models_send,
       st::text AS st_text,
       clv_fit_state_send(st) AS st_send,
       spend_st::text AS spend_st_text,
       clv_fit_state_send(spend_st) AS spend_st_send,
       row(fields_before_1_6(bgnbd_fit_final(st)), fields_before_1_6(mbgnbd_fit_final(st)),
           fields_before_1_6(pareto_nbd_fit_final(st)), fields_before_1_6(gamma_gamma_fit_final(spend_st)))::text AS refit,
       row(expected_purchases(bg, 365), expected_purchases(mbg, 365), expected_purchases(pnbd, 365))::text AS population,
       (SELECT array_agg(row(p.x, p.tx, p.t, p.m,
                             p_alive(bg, p.x, p.tx, p.t), p_alive(mbg, p.x, p.tx, p.t), p_alive(pnbd, p.x, p.tx, p.t),
                             expected_purchases(bg, 90, p.x, p.tx, p.t), expected_purchases(mbg, 90, p.x, p.tx, p.t),
                             expected_purchases(pnbd, 90, p.x, p.tx, p.t), expected_spend(gg, p.x, p.m),
                             predicted_clv(bg, gg, p.x, p.tx, p.t, p.m, 12, 0.01, 30),
                             predicted_clv(mbg, gg, p.x, p.tx, p.t, p.m, 12, 0.01, 30),
                             predicted_clv(pnbd, gg, p.x, p.tx, p.t, p.m, 6, 0, 4.345),
                             log_likelihood(bg, p.x, p.tx, p.t), log_likelihood(mbg, p.x, p.tx, p.t),
                             log_likelihood(pnbd, p.x, p.tx, p.t),
                             CASE WHEN p.x > 0 THEN log_likelihood(gg, p.x, p.m) END)::text
                         ORDER BY p.x, p.tx, p.t, p.m)
        FROM model_points p)::text AS predictions
FROM stored_models;
CREATE TABLE before_models AS SELECT * FROM model_probe;
\endif

-- what the old release printed (a human can look at it in the log)
SELECT label, os_text FROM before_os ORDER BY label;
\if :models
SELECT label, models_text, predictions FROM before_models ORDER BY label;
\endif
