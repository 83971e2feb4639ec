-- test/upgrade/store.sql: run by test/upgrade/run with an OLD release installed (its own
-- retention.so). Stores values of every type that release has, made by its aggregates,
-- plus probe views that show everything about them (text output, send() bytes,
-- accessors), and snapshots what the old release printed into before_* tables.
-- After ALTER EXTENSION retention UPDATE, test/upgrade/values.sql compares the probes,
-- now run by the current retention.so, with the snapshots.
-- psql variable: cohort = true when the release has cohort_agg (1.1 and later).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Orders: rows 1..600 are written before the upgrade (part 'old'), 601..900 after it
-- (part 'new', for combining old stored states with new ones). Every 23rd customer,
-- every 31st time and every 17th amount is NULL; customers as int, text and uuid.
CREATE TABLE orders AS
SELECT g AS id,
       CASE WHEN g <= 600 THEN 'old' ELSE 'new' END AS part,
       CASE WHEN g % 23 <> 0 THEN g * g % 331 END AS cust_int,
       CASE WHEN g % 23 <> 0 THEN 'c' || (g * g * g % 283) END AS cust_text,
       CASE WHEN g % 23 <> 0 THEN md5((g * g % 257)::text)::uuid END AS cust_uuid,
       CASE WHEN g % 31 <> 0 THEN timestamptz '2023-01-01 00:00:00+00'
                                  + (g * 7919 % 500) * interval '1 day'
                                  + (g * 3637 % 86400) * interval '1 second' END AS at_tz,
       CASE WHEN g % 17 <> 0 THEN round((g * 7907 % 100000) / 100.0, 2) END AS amount,
       g % 97 AS order_key
FROM generate_series(1, 900) g;
ALTER TABLE orders ADD COLUMN at_ts timestamp, ADD COLUMN at_date date;
UPDATE orders SET at_ts = at_tz AT TIME ZONE 'UTC', at_date = (at_tz AT TIME ZONE 'UTC')::date;

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

-- what the old release printed (a human can look at it in the log)
SELECT label, os_text FROM before_os ORDER BY label;
