-- test/sqlsmith/setup.sql: the database test/sqlsmith/run lets sqlsmith loose on.
--
-- Orders tables with customer keys of several types (int, bigint, text, uuid) and
-- times of the three accepted types, stored values of every type of the extension
-- (so sqlsmith finds columns of our types and passes them to our functions), and
-- views that run our aggregates and set-returning functions on the data.
-- Run as a superuser in an empty database; the role named by :smith_role gets
-- SELECT only (sqlsmith also generates INSERT/UPDATE/DELETE/MERGE, which must not
-- wear the sample data away).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION retention;

-- orders: 400 customers, about 3000 orders over two years, a few NULLs
CREATE TABLE orders_int (
    order_id bigint PRIMARY KEY, customer_id int, ordered_at timestamptz,
    amount numeric, period text, unit text);
INSERT INTO orders_int
SELECT g, CASE WHEN g % 97 = 0 THEN NULL ELSE (g * 7919) % 400 END,
       CASE WHEN g % 89 = 0 THEN NULL
            ELSE timestamptz '2023-01-01 00:00+00' + (g * 6.6) * interval '1 hour' END,
       CASE WHEN g % 83 = 0 THEN NULL ELSE round((g % 50) * 1.37 + 5, 2) END,
       (ARRAY['day','week','month','quarter','year'])[1 + g % 5],
       (ARRAY['day','week','month','hour'])[1 + g % 4]
FROM generate_series(1, 3000) g;

CREATE TABLE orders_bigint (customer bigint, ordered_at timestamp, amount numeric, order_key int);
INSERT INTO orders_bigint
SELECT customer_id::bigint * 1000000007, ordered_at AT TIME ZONE 'UTC', amount, order_id::int % 2500
FROM orders_int;

CREATE TABLE orders_text (customer text, ordered_at date, amount numeric, order_key text);
INSERT INTO orders_text
SELECT 'cust-' || customer_id, (ordered_at AT TIME ZONE 'UTC')::date, amount, 'o' || order_id
FROM orders_int;

CREATE TABLE orders_uuid (customer uuid, ordered_at timestamptz, amount numeric);
INSERT INTO orders_uuid
SELECT md5(customer_id::text)::uuid, ordered_at, amount FROM orders_int;

-- edge cases in a table of their own: infinities, far past and future, zero and
-- negative and huge amounts, NULLs
CREATE TABLE orders_edge (customer int, ordered_at timestamptz, amount numeric, period text);
INSERT INTO orders_edge VALUES
    (1, 'infinity', 1, 'month'), (2, '-infinity', 1, 'day'),
    (3, '4714-11-24 00:00:00+00 BC', 1, 'year'), (4, '294276-12-31 23:59:59+00', 1, 'week'),
    (5, '2024-01-01', 0, 'quarter'), (6, '2024-01-01', -5, 'month'),
    (7, '2024-01-01', 1e100, 'month'), (8, '2024-01-01', 'NaN', 'month'),
    (NULL, NULL, NULL, NULL), (9, '2024-02-29', 1e-30, 'nonsense');

-- customer-level RFM figures (as float8) for the model fits and predictions
CREATE TABLE customer_rfm (customer int, frequency float8, recency float8, t float8,
                           monetary_value float8, customers int8);
INSERT INTO customer_rfm
SELECT customer_id, (r).frequency, (r).recency, (r).t, (r).monetary_value, 1
FROM (SELECT customer_id, rfm(ordered_at, amount, timestamptz '2026-01-01 00:00+00', 'week') r
      FROM orders_int WHERE customer_id IS NOT NULL GROUP BY customer_id) s;
INSERT INTO customer_rfm VALUES (-1, 0, 0, 0, 0, 0), (-2, NULL, 1, 2, 3, 1),
    (-3, 1e300, 1e300, 1e300, 1e300, 9e18), (-4, 'NaN', 'Infinity', '-Infinity', 'NaN', -1);

-- stored values of every type of ours, one row per group plus edge rows
CREATE TABLE samples (
    id int, label text,
    stats order_stats, stats_state order_stats_state,
    matrix cohort_matrix, matrix_state cohort_state,
    rfm_st rfm_state, rfm_sum rfm_summary,
    bgnbd bgnbd_model, mbgnbd mbgnbd_model, pareto pareto_nbd_model, gg gamma_gamma_model,
    fit_state clv_fit_state);

INSERT INTO samples (id, label, stats, stats_state, matrix, matrix_state, rfm_st, rfm_sum)
SELECT p, 'int/' || p,
       order_stats(customer_id, ordered_at, amount),
       order_stats_trans(NULL::order_stats_state, min(customer_id), min(ordered_at), min(amount)),
       cohort_agg(customer_id, ordered_at, (ARRAY['day','week','month','quarter','year'])[1 + p], amount),
       cohort_agg_trans(NULL::cohort_state, min(customer_id), min(ordered_at), 'month', min(amount)),
       rfm_trans(NULL::rfm_state, min(ordered_at), min(amount), max(ordered_at)),
       rfm(ordered_at, amount, timestamptz '2026-01-01 00:00+00', (ARRAY['day','week','month','hour'])[1 + p % 4])
FROM orders_int, generate_series(0, 4) p
WHERE customer_id % 5 = p
GROUP BY p;
INSERT INTO samples (id, label, stats, matrix)
SELECT 10, 'bigint', order_stats(customer, ordered_at, amount, order_key), cohort_agg(customer, ordered_at, 'week', amount, order_key)
FROM orders_bigint;
INSERT INTO samples (id, label, stats, matrix)
SELECT 11, 'text', order_stats(customer, ordered_at, amount, order_key), cohort_agg(customer, ordered_at, 'month')
FROM orders_text;
INSERT INTO samples (id, label, stats, matrix)
SELECT 12, 'uuid', order_stats(customer, ordered_at, amount), cohort_agg(customer, ordered_at, 'quarter', amount)
FROM orders_uuid;
INSERT INTO samples (id, label, stats, matrix)
SELECT 13, 'empty', order_stats_final(NULL), cohort_agg_final(NULL);
INSERT INTO samples (id, label) VALUES (14, 'nulls');

-- the models: fitted (if the fits converge or not), made by hand, and extreme
UPDATE samples SET
    bgnbd = (SELECT bgnbd_fit(frequency, recency, t) FROM customer_rfm WHERE customer >= 0),
    mbgnbd = (SELECT mbgnbd_fit(frequency, recency, t) FROM customer_rfm WHERE customer >= 0),
    pareto = (SELECT pareto_nbd_fit(frequency, recency, t) FROM customer_rfm WHERE customer >= 0),
    gg = (SELECT gamma_gamma_fit(frequency, monetary_value) FROM customer_rfm
          WHERE customer >= 0 AND frequency > 0),
    fit_state = clv_fit_trans(NULL::clv_fit_state, 2, 30, 50)
WHERE id = 0;
UPDATE samples SET
    bgnbd = bgnbd_model(0.24, 4.41, 0.79, 2.43), mbgnbd = mbgnbd_model(0.5, 5, 0.8, 2.5),
    pareto = pareto_nbd_model(0.55, 10.6, 0.61, 11.7), gg = gamma_gamma_model(6.25, 3.74, 15.4),
    fit_state = clv_spend_fit_trans(NULL::clv_fit_state, 3, 25.5, 10)
WHERE id = 1;
UPDATE samples SET
    bgnbd = bgnbd_model(1e-300, 1e300, 1e-300, 1e300), mbgnbd = mbgnbd_model(1e300, 1e-300, 1e300, 1e-300),
    pareto = pareto_nbd_model(1e-300, 1e-300, 1e300, 1e300), gg = gamma_gamma_model(1e300, 1e-300, 1e300),
    fit_state = clv_fit_combine(clv_fit_trans(NULL::clv_fit_state, 0, 0, 0), clv_fit_trans(NULL::clv_fit_state, 1, 1, 1, 5))
WHERE id = 2;
-- composite values with fields no constructor would accept
UPDATE samples SET
    bgnbd = ROW(-1, 0, 'NaN', 'Infinity', NULL, -5, -1, NULL, true, 'NaN', 0, NULL, NULL, NULL, NULL)::bgnbd_model,
    mbgnbd = ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::mbgnbd_model,
    gg = ROW(0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::gamma_gamma_model
WHERE id = 3;

-- views that run our aggregates and set-returning functions (sqlsmith never calls
-- set-returning functions or polymorphic aggregates with our types on its own)
CREATE VIEW stats_by_period AS
SELECT period, order_stats(customer_id, ordered_at, amount) AS stats,
       cohort_agg(customer_id, ordered_at, 'month', amount, order_id) AS matrix
FROM orders_int GROUP BY period;
CREATE VIEW rfm_by_customer AS
SELECT customer, rfm(ordered_at, amount, date '2026-01-01', 'month') AS summary
FROM orders_text GROUP BY customer;
CREATE VIEW cohort_rows AS
SELECT s.id, c.* FROM samples s, cohort_table(s.matrix) c;
CREATE VIEW curve_rows AS
SELECT s.id, c.* FROM samples s, retention_curve(s.matrix) c;
CREATE VIEW period_rows AS
SELECT s.id, p.* FROM samples s, period_retention(s.matrix) p;
CREATE VIEW retention_flags AS
SELECT customer_id, retention(amount > 10, amount > 30, amount > 60) AS flags
FROM orders_int GROUP BY customer_id;

ANALYZE;
SELECT format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', :'smith_role') \gexec
