-- cohort_matrix_sum and order_stats_sum (1.7): the final values of disjoint sets of
-- customers, added up, equal the aggregate over all the rows.
SET TimeZone = 'UTC';
CREATE TABLE ms_orders (slice text, customer int, ordered_at timestamptz, amount numeric);
INSERT INTO ms_orders VALUES
    ('a', 1, '2024-01-05', 10.00), ('a', 1, '2024-02-10', 5.00),
    ('b', 2, '2024-01-20', 7.50), ('b', 2, '2024-03-01', 2.50),
    ('b', 3, '2024-02-02', 4.00), ('b', NULL, '2024-02-03', 1.00);
-- Worked out by hand. Slice a holds customer 1, slice b customers 2 and 3 (and a row
-- without a customer: ignored). All together, monthly:
--   cohort 2024-01 (customers 1, 2), size 2:
--     +0 January:  active 2, active_prev 0, last 0, orders 2, revenue 10.00 + 7.50 = 17.50
--     +1 February: active 1 (1), active_prev 1 (1 was active in January), last 1 (1's last
--                  month), orders 1, revenue 5.00
--     +2 March:    active 1 (2), active_prev 0 (2 was not active in February), last 1,
--                  orders 1, revenue 2.50
--   cohort 2024-02 (customer 3): +0 active 1, active_prev 0, last 1, orders 1, revenue 4.00
--   latest order 2024-03-01, ignored_rows 1
SELECT cohort_matrix_sum(m) FROM
    (SELECT cohort_agg(customer, ordered_at, 'month', amount) AS m FROM ms_orders GROUP BY slice) s;
--   order_stats: 3 customers, 5 orders, 2 repeat customers (1 and 2), revenue 29.00,
--   first order 2024-01-05, last 2024-03-01, 1 ignored row
SELECT order_stats_sum(s) FROM
    (SELECT order_stats(customer, ordered_at, amount) AS s FROM ms_orders GROUP BY slice) q;
-- and both equal the aggregates over all the rows, in either order of the inputs
SELECT (SELECT cohort_matrix_sum(m ORDER BY slice DESC)::text FROM
            (SELECT slice, cohort_agg(customer, ordered_at, 'month', amount) AS m FROM ms_orders GROUP BY slice) s)
       = cohort_agg(customer, ordered_at, 'month', amount)::text AS matrix_equal,
       (SELECT order_stats_sum(s ORDER BY slice DESC)::text FROM
            (SELECT slice, order_stats(customer, ordered_at, amount) AS s FROM ms_orders GROUP BY slice) q)
       = order_stats(customer, ordered_at, amount)::text AS stats_equal
FROM ms_orders;

-- revenue_matrix_sum, by hand. Customer 1 (slice a): January 10.00, February 5.00;
-- customer 2 (slice b): January 7.50, March 2.50. Slice a's matrix ends in February, so
-- customer 1's churn in March is not in it: the sum counts it in the period after slice a's
-- last (the "tail"), as revenue_agg over all the rows does.
--   January:  new 2 customers, 17.50; end 2, 17.50
--   February: start 17.50; customer 1 contracts by 5.00, customer 2 churns 7.50; end 1, 5.00
--             (nrr = grr = 5.00 / 17.50 = 0.2857...)
--   March:    start 5.00; customer 1 churns 5.00, customer 2 is reactivated with 2.50;
--             end 1, 2.50 (nrr = grr = 0: nothing of February's revenue is kept)
SELECT t.* FROM mrr_movements((SELECT revenue_matrix_sum(m) FROM
    (SELECT revenue_agg(customer, ordered_at, 'month', amount) AS m FROM ms_orders
     WHERE customer IN (1, 2) GROUP BY slice) s)) t;

-- One input: itself. NULL inputs are skipped; no input at all: NULL.
SELECT cohort_matrix_sum(m)::text = (SELECT cohort_agg(customer, ordered_at, 'month', amount)::text FROM ms_orders)
       AS one_input
FROM (SELECT cohort_agg(customer, ordered_at, 'month', amount) AS m FROM ms_orders UNION ALL SELECT NULL) s;
SELECT cohort_matrix_sum(m) IS NULL AS no_input, order_stats_sum(NULL::order_stats) IS NULL AS null_input
FROM (SELECT NULL::cohort_matrix AS m WHERE false) s;
-- A value of no rows at all (period none) adds nothing but its ignored rows: a slice
-- holding only a row without a customer.
SELECT cohort_matrix_sum(m) FROM
    (SELECT cohort_agg(customer, ordered_at, 'month', amount) AS m FROM ms_orders
     WHERE customer IS NULL OR customer = 3 GROUP BY customer IS NULL) s;
SELECT order_stats_sum(s) FROM
    (SELECT order_stats(customer, ordered_at, amount) AS s FROM ms_orders
     WHERE customer IS NULL OR customer = 3 GROUP BY customer IS NULL) q;
-- revenue scales: the larger, as sum() gives it (1.5 + 2.25 = 3.75)
SELECT order_stats_sum(s) FROM (VALUES ((SELECT order_stats(1, timestamptz '2024-01-01', 1.5))),
                                       ((SELECT order_stats(2, timestamptz '2024-01-02', 2.25)))) v(s);
-- sums of many small inputs, one per customer, with a hash aggregate below
SELECT customers(cohort_matrix_sum(m)), ignored_rows(cohort_matrix_sum(m)) FROM
    (SELECT customer, cohort_agg(customer, ordered_at, 'week') AS m FROM ms_orders GROUP BY customer) s;

-- Overlapping customer sets are added up as if they were different customers: grouped
-- by month, customer 1 (January and February) and 2 (January and March) are counted in
-- two months each, so the sum has 5 "customers". This is the documented wrong use.
SELECT customers(cohort_matrix_sum(m)) AS overlapping_sum,
       (SELECT count(DISTINCT customer) FROM ms_orders) AS customers
FROM (SELECT cohort_agg(customer, ordered_at, 'month') AS m FROM ms_orders
      GROUP BY date_trunc('month', ordered_at)) s;

-- Errors: matrices of different periods, time types or amounts (22023); order_stats of
-- different time types (22023)
SELECT cohort_matrix_sum(m) FROM (VALUES ((SELECT cohort_agg(1, timestamptz '2024-01-01', 'week'))),
                                         ((SELECT cohort_agg(2, timestamptz '2024-01-01', 'month')))) v(m);
SELECT cohort_matrix_sum(m) FROM (VALUES ((SELECT cohort_agg(1, timestamptz '2024-01-01', 'month'))),
                                         ((SELECT cohort_agg(2, timestamptz '2024-01-01', 'month', 1.0)))) v(m);
SELECT cohort_matrix_sum(m) FROM (VALUES ((SELECT cohort_agg(1, timestamptz '2024-01-01', 'month'))),
                                         ((SELECT cohort_agg(2, date '2024-01-01', 'month')))) v(m);
SELECT order_stats_sum(s) FROM (VALUES ((SELECT order_stats(1, timestamptz '2024-01-01', 1.0))),
                                       ((SELECT order_stats(2, date '2024-01-01', 1.0)))) v(s);
DROP TABLE ms_orders;
