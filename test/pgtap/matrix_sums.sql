-- cohort_matrix_sum and order_stats_sum (1.7) against the aggregates over all the rows.
--
-- By definition the sum of the values of disjoint customer sets is the value of all of
-- them: cohort_agg and order_stats over the whole table (themselves held against plain
-- SQL in cohort_vs_sql.sql and order_stats_vs_sql.sql) are the reference. Generated
-- orders (deterministic, stored shuffled): heavy repeaters and one-time buyers, NULL
-- customers, times and amounts, refunds, amounts of 10 decimals and of 1e20 (cells
-- beyond 64-bit units), order lines with keys shared within a customer. Every period
-- kind; timestamptz (America/New_York), timestamp and date; int8 and text customer keys;
-- with and without amounts; the order-lines form. The slices: GROUP BY customer % 7 and
-- GROUP BY customer (one value per customer); under hash and sort plans, partial
-- aggregates per partition (a table partitioned by customer hash, each partition's
-- matrix summed, and the sum's own partial states combined), and a forced parallel plan.
-- Every column of cohort_table, and the text of order_stats, must be equal. Then the
-- overlapping case (slices by month: customers counted once per slice, as documented),
-- and the errors with their SQLSTATEs.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(5 * 3 * 2 + 4 + 6 + 4 + 2 + 4 + 5 * 3 + 4 + 1 + 8);

SET LOCAL TimeZone = 'America/New_York';
CREATE SCHEMA tap_matrix_sums;
SET LOCAL search_path = tap_matrix_sums, public;

CREATE FUNCTION hv(i int8, seed int8, m int8) RETURNS int8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT (hashint8extended(i, seed) & 9223372036854775807) % m
$f$;

CREATE TABLE o AS
WITH r AS (
    SELECT i,
           CASE WHEN hv(i, 1, 100) = 0 THEN NULL
                WHEN hv(i, 2, 3) = 0 THEN 1 + hv(i, 3, 40)            -- heavy repeaters
                ELSE 100 + hv(i, 4, 3000) END AS customer,
           CASE WHEN hv(i, 5, 200) = 0 THEN NULL
                ELSE timestamptz '2022-12-30 22:00+00' + hv(i, 6, 800 * 24) * interval '1 hour' END AS ordered_at,
           CASE WHEN hv(i, 7, 50) = 0 THEN NULL
                WHEN hv(i, 7, 50) = 1 THEN -round(hv(i, 8, 5000) / 100.0, 2)
                WHEN hv(i, 7, 50) = 2 THEN round(hv(i, 8, 100000) / 1e7, 10) + 1e-10
                WHEN hv(i, 7, 50) = 3 THEN 1e20 + hv(i, 8, 10)
                ELSE round(hv(i, 8, 30000) / 100.0, 2) END AS amount
    FROM generate_series(1, 12000) i)
SELECT i AS order_id, customer, ordered_at, amount FROM r ORDER BY hashint8(i);
ANALYZE o;
-- order lines: 1 to 3 lines per order, an order's lines with one customer
CREATE TABLE lines AS
SELECT o.order_id, o.customer, o.ordered_at + (l - 1) * interval '40 minutes' AS ordered_at, o.amount
FROM o, generate_series(1, 1 + hv(o.order_id, 9, 3)::int) l ORDER BY hashint8(o.order_id * 10 + l);
-- the same orders partitioned by customer hash (a NULL customer goes to partition 0)
CREATE TABLE op (order_id int8, customer int8, ordered_at timestamptz, amount numeric) PARTITION BY HASH (customer);
CREATE TABLE op0 PARTITION OF op FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE op1 PARTITION OF op FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE op2 PARTITION OF op FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO op SELECT * FROM o;
ANALYZE op;

-- cohort_table of a matrix, every column, as rows of text
CREATE FUNCTION ct(m cohort_matrix) RETURNS SETOF text LANGUAGE sql AS $f$
    SELECT t::text FROM cohort_table(m) t ORDER BY 1
$f$;

-- (a) each period kind x three time types x with and without amounts:
--     the sum over customer % 7, and over every customer (hash plan), equal to the whole
CREATE TEMP TABLE cases AS
SELECT p, tt, am,
       format('cohort_agg(customer, ordered_at::%s, %L%s)', tt, p, CASE WHEN am THEN ', amount' ELSE '' END) AS agg
FROM unnest(ARRAY['day', 'week', 'month', 'quarter', 'year']) p,
     unnest(ARRAY['timestamptz', 'timestamp', 'date']) tt,
     unnest(ARRAY[true, false]) am;

SELECT results_eq(
    format('SELECT * FROM ct((SELECT cohort_matrix_sum(m) FROM (SELECT %s AS m FROM o GROUP BY %s) s))',
           agg, CASE WHEN am THEN 'customer % 7' ELSE 'customer' END),
    format('SELECT * FROM ct((SELECT %s FROM o))', agg),
    format('cohort_matrix_sum of %s over GROUP BY %s equals the whole', agg,
           CASE WHEN am THEN 'customer % 7' ELSE 'customer' END))
FROM cases ORDER BY p, tt, am;

-- (b) text keys, the order-lines form, sort plans
SELECT results_eq(
    $$SELECT * FROM ct((SELECT cohort_matrix_sum(m) FROM
        (SELECT cohort_agg('customer-number-' || customer, ordered_at, 'month', amount) AS m
         FROM o GROUP BY hashtext('customer-number-' || customer) % 5) s))$$,
    $$SELECT * FROM ct((SELECT cohort_agg('customer-number-' || customer, ordered_at, 'month', amount) FROM o))$$,
    'text keys, slices by a hash of the key');
SELECT results_eq(
    $$SELECT * FROM ct((SELECT cohort_matrix_sum(m) FROM
        (SELECT cohort_agg(customer, ordered_at, 'week', amount, order_id) AS m FROM lines GROUP BY customer % 4) s))$$,
    $$SELECT * FROM ct((SELECT cohort_agg(customer, ordered_at, 'week', amount, order_id) FROM lines))$$,
    'the order-lines form');
SET LOCAL enable_hashagg = off;
SELECT results_eq(
    $$SELECT * FROM ct((SELECT cohort_matrix_sum(m) FROM
        (SELECT cohort_agg(customer, ordered_at, 'month', amount) AS m FROM o GROUP BY customer) s))$$,
    $$SELECT * FROM ct((SELECT cohort_agg(customer, ordered_at, 'month', amount) FROM o))$$,
    'a sort plan below (one customer at a time)');
SELECT results_eq(
    $$SELECT order_stats_sum(s)::text FROM
        (SELECT order_stats(customer, ordered_at, amount, order_id) AS s FROM lines GROUP BY customer) q$$,
    $$SELECT order_stats(customer, ordered_at, amount, order_id)::text FROM lines$$,
    'order_stats_sum of the order-lines form, sort plan');
RESET enable_hashagg;

-- (c) order_stats_sum: three time types, with hash slices
SELECT results_eq(
    format('SELECT order_stats_sum(s)::text FROM (SELECT order_stats(customer, ordered_at::%s, amount) AS s FROM o GROUP BY customer %% 7) q', tt),
    format('SELECT order_stats(customer, ordered_at::%s, amount)::text FROM o', tt),
    format('order_stats_sum over GROUP BY customer %% 7 equals the whole, %s', tt))
FROM unnest(ARRAY['timestamptz', 'timestamp', 'date']) tt;
SELECT results_eq(
    $$SELECT order_stats_sum(s)::text FROM (SELECT order_stats(customer, ordered_at, amount) AS s FROM o GROUP BY customer) q$$,
    $$SELECT order_stats(customer, ordered_at, amount)::text FROM o$$,
    'order_stats_sum over one value per customer equals the whole');
-- with rows ignored in every slice, and slices of no orders at all
SELECT results_eq(
    $$SELECT order_stats_sum(s)::text FROM (SELECT order_stats(customer, ordered_at, amount) AS s FROM o
        WHERE customer IS NULL OR ordered_at IS NULL OR customer % 3 = 0 GROUP BY customer % 5) q$$,
    $$SELECT order_stats(customer, ordered_at, amount)::text FROM o WHERE customer IS NULL OR ordered_at IS NULL OR customer % 3 = 0$$,
    'order_stats_sum with ignored rows and empty slices');
SELECT results_eq(
    $$SELECT * FROM ct((SELECT cohort_matrix_sum(m) FROM (SELECT cohort_agg(customer, ordered_at, 'day', amount) AS m FROM o
        WHERE customer IS NULL OR ordered_at IS NULL OR customer % 3 = 0 GROUP BY customer % 5) s))$$,
    $$SELECT * FROM ct((SELECT cohort_agg(customer, ordered_at, 'day', amount) FROM o
        WHERE customer IS NULL OR ordered_at IS NULL OR customer % 3 = 0))$$,
    'cohort_matrix_sum with ignored rows and empty slices');

-- (d) partial aggregates: per partition of a table partitioned by customer hash (the
--     partitions' customers are disjoint), and the sum's own partial states combined
SET LOCAL enable_partitionwise_aggregate = on;
SELECT results_eq(
    $$SELECT * FROM ct((SELECT cohort_matrix_sum(m) FROM (SELECT customer, cohort_agg(customer, ordered_at, 'month', amount) AS m FROM op GROUP BY customer) s))$$,
    $$SELECT * FROM ct((SELECT cohort_agg(customer, ordered_at, 'month', amount) FROM o))$$,
    'partitionwise: one matrix per customer in each partition, summed');
SELECT results_eq(
    $$SELECT count(*)::int FROM (SELECT customer % 13 AS g, cohort_matrix_sum(m) AS s FROM
        (SELECT customer, cohort_agg(customer, ordered_at, 'month', amount) AS m FROM op GROUP BY customer) x
        GROUP BY 1) a JOIN
      (SELECT customer % 13 AS g, cohort_agg(customer, ordered_at, 'month', amount) AS s FROM o GROUP BY 1) b
      ON a.g IS NOT DISTINCT FROM b.g AND a.s::text = b.s::text$$,
    $$SELECT count(DISTINCT customer % 13)::int + 1 FROM o$$,
    'per group of customers, the sums equal the matrices of the groups');
RESET enable_partitionwise_aggregate;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE per_customer AS
SELECT customer, cohort_agg(customer, ordered_at, 'week', amount) AS m,
       order_stats(customer, ordered_at, amount) AS s FROM o GROUP BY customer;
ANALYZE per_customer;
SELECT results_eq(
    $$SELECT * FROM ct((SELECT cohort_matrix_sum(m) FROM per_customer))$$,
    $$SELECT * FROM ct((SELECT cohort_agg(customer, ordered_at, 'week', amount) FROM o))$$,
    'stored per-customer matrices summed under a parallel plan');
SELECT results_eq(
    $$SELECT order_stats_sum(s)::text FROM per_customer$$,
    $$SELECT order_stats(customer, ordered_at, amount)::text FROM o$$,
    'stored per-customer order_stats summed under a parallel plan');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- (e) overlapping customer sets: each customer counted once per slice it is in
SELECT is(
    (SELECT customers(cohort_matrix_sum(m)) FROM
        (SELECT cohort_agg(customer, ordered_at, 'month') AS m FROM o GROUP BY date_trunc('month', ordered_at)) s),
    (SELECT sum(n)::int8 FROM (SELECT count(DISTINCT customer) AS n FROM o
        WHERE customer IS NOT NULL AND ordered_at IS NOT NULL GROUP BY date_trunc('month', ordered_at)) x),
    'overlapping slices (by month): customers = the sum of each month''s distinct customers, as documented');
SELECT is(
    (SELECT customers(order_stats_sum(s)) FROM
        (SELECT order_stats(customer, ordered_at, amount) AS s FROM o GROUP BY date_trunc('month', ordered_at)) q),
    (SELECT sum(n)::int8 FROM (SELECT count(DISTINCT customer) AS n FROM o
        WHERE customer IS NOT NULL AND ordered_at IS NOT NULL GROUP BY date_trunc('month', ordered_at)) x),
    'overlapping slices for order_stats_sum likewise');

-- (f) revenue_matrix_sum: every period kind and time type, one value per customer (each
--     slice ends at its own customer's last period: the churn after it comes from the
--     tails) and GROUP BY customer % 7; the matrix's text (every movement, cohort and lag
--     cell) and mrr_movements
SELECT results_eq(
    format($$SELECT revenue_matrix_sum(m)::text FROM (SELECT revenue_agg(customer, ordered_at::%s, %L, amount) AS m
              FROM o GROUP BY %s) s$$, tt, p, CASE WHEN p IN ('day', 'week') THEN 'customer' ELSE 'customer % 7' END),
    format($$SELECT revenue_agg(customer, ordered_at::%s, %L, amount)::text FROM o$$, tt, p),
    format('revenue_matrix_sum of revenue_agg(%s, %s) over GROUP BY %s equals the whole', p, tt,
           CASE WHEN p IN ('day', 'week') THEN 'customer' ELSE 'customer % 7' END))
FROM unnest(ARRAY['day', 'week', 'month', 'quarter', 'year']) p, unnest(ARRAY['timestamptz', 'timestamp', 'date']) tt
ORDER BY p, tt;
SELECT results_eq(
    $$SELECT t::text FROM mrr_movements((SELECT revenue_matrix_sum(m) FROM
        (SELECT revenue_agg(customer, ordered_at, 'month', amount) AS m FROM o GROUP BY customer) s)) t$$,
    $$SELECT t::text FROM mrr_movements((SELECT revenue_agg(customer, ordered_at, 'month', amount) FROM o)) t$$,
    'mrr_movements of the sum equal those of the whole');
SELECT results_eq(
    $$SELECT t::text FROM trailing_nrr((SELECT revenue_matrix_sum(m) FROM
        (SELECT revenue_agg(customer, ordered_at, 'month', amount) AS m FROM o GROUP BY customer % 3) s), 12) t$$,
    $$SELECT t::text FROM trailing_nrr((SELECT revenue_agg(customer, ordered_at, 'month', amount) FROM o), 12) t$$,
    'trailing_nrr of the sum equals that of the whole');
SELECT results_eq(
    $$SELECT revenue_matrix_sum(m)::text FROM (SELECT customer, revenue_agg(customer, ordered_at, 'month', amount) AS m
        FROM op GROUP BY customer) s$$,
    $$SELECT revenue_agg(customer, ordered_at, 'month', amount)::text FROM o$$,
    'revenue_matrix_sum over the partitions (partial sums combined)');
SELECT throws_ok(
    $$SELECT revenue_matrix_sum(m) FROM (SELECT revenue_agg(customer, ordered_at, 'week', amount) FROM o
        UNION ALL SELECT revenue_agg(customer, ordered_at, 'month', amount) FROM o) s(m)$$,
    '22023', NULL, 'revenue matrices of different periods: 22023');
-- a slice whose customers all stop early: their churn lands in the period after, inside
-- the other slice's later periods
SELECT results_eq(
    $$SELECT revenue_matrix_sum(m)::text FROM (SELECT revenue_agg(customer, ordered_at, 'month', amount) AS m FROM o
        WHERE (customer % 2 = 0 AND ordered_at < '2023-06-01') OR customer % 2 = 1 GROUP BY customer % 2) s$$,
    $$SELECT revenue_agg(customer, ordered_at, 'month', amount)::text FROM o
        WHERE (customer % 2 = 0 AND ordered_at < '2023-06-01') OR customer % 2 = 1$$,
    'a slice that ends early: its churn counted in the period after its last');

-- (g) retention_matrix_sum: retention_agg over the orders as events (a start on amounts
--     over 50, every order a return), one matrix per slice of actors summed, equal to
--     the whole: calendar first-time and recurring cohorts with values, rolling 7-day
--     windows, brackets with min_occurrences, timestamp and date times; partitions; errors
SELECT results_eq(
    format($$SELECT t::text FROM retention_table((SELECT retention_matrix_sum(m) FROM
              (SELECT %s AS m FROM o GROUP BY customer %% 5) s), '2025-06-01') t$$, agg),
    format($$SELECT t::text FROM retention_table((SELECT %s FROM o), '2025-06-01') t$$, agg),
    format('retention_matrix_sum of %s over GROUP BY customer %% 5 equals the whole', agg))
FROM (VALUES
    ($$retention_agg(customer, ordered_at, 'month', amount > 50, true, amount)$$),
    ($$retention_agg(customer, ordered_at, 'week', amount > 50, true, amount, retention_options(cohorts => 'recurring'))$$),
    ($$retention_agg(customer, ordered_at, interval '7 days', amount > 50, true)$$),
    ($$retention_agg(customer, ordered_at::date, 'day', amount > 50, true, amount, retention_options(brackets => '{1,3,7}', min_occurrences => 2))$$),
    ($$retention_agg(customer, ordered_at::timestamp, 'quarter', true, amount < 100, amount, retention_options(week_start => 'sunday'))$$)
) v(agg);
SELECT results_eq(
    $$SELECT retention_matrix_sum(m)::text FROM (SELECT customer, retention_agg(customer, ordered_at, 'month', true, true, amount) AS m
        FROM o GROUP BY customer) s$$,
    $$SELECT retention_agg(customer, ordered_at, 'month', true, true, amount)::text FROM o$$,
    'retention_matrix_sum over one matrix per actor equals the whole, as text');
SELECT results_eq(
    $$SELECT t::text FROM retention_curve((SELECT retention_matrix_sum(m) FROM (SELECT customer, retention_agg(customer, ordered_at, 'month', true, true) AS m
        FROM op GROUP BY customer) s), '2025-06-01') t$$,
    $$SELECT t::text FROM retention_curve((SELECT retention_agg(customer, ordered_at, 'month', true, true) FROM o), '2025-06-01') t$$,
    'retention_curve of the sum over the partitions equals the whole');
SELECT throws_ok(
    $$SELECT retention_matrix_sum(m) FROM (SELECT retention_agg(customer, ordered_at, 'month', true, true) FROM o
        UNION ALL SELECT retention_agg(customer, ordered_at, 'month', true, true, NULL::numeric, retention_options(min_occurrences => 2)) FROM o) s(m)$$,
    '22023', NULL, 'retention matrices of different options: 22023');

-- (h) errors
SELECT throws_ok(
    $$SELECT cohort_matrix_sum(m) FROM (SELECT cohort_agg(customer, ordered_at, 'week') FROM o
        UNION ALL SELECT cohort_agg(customer, ordered_at, 'month') FROM o) s(m)$$,
    '22023', NULL, 'matrices of different periods: 22023');
SELECT throws_ok(
    $$SELECT cohort_matrix_sum(m) FROM (SELECT cohort_agg(customer, ordered_at, 'week') FROM o
        UNION ALL SELECT cohort_agg(customer, ordered_at, 'week', amount) FROM o) s(m)$$,
    '22023', NULL, 'a matrix with revenue and one without: 22023');
SELECT throws_ok(
    $$SELECT cohort_matrix_sum(m) FROM (SELECT cohort_agg(customer, ordered_at, 'week') FROM o
        UNION ALL SELECT cohort_agg(customer, ordered_at::timestamp, 'week') FROM o) s(m)$$,
    '22023', NULL, 'matrices of different time types: 22023');
SELECT throws_ok(
    $$SELECT order_stats_sum(s) FROM (SELECT order_stats(customer, ordered_at, amount) FROM o
        UNION ALL SELECT order_stats(customer, ordered_at::date, amount) FROM o) q(s)$$,
    '22023', NULL, 'order_stats of different time types: 22023');

SELECT * FROM finish();
ROLLBACK;
