-- Edge cases of order_stats, each decided in the README.
SET TimeZone = 'UTC';

-- Empty input: a zero summary (not NULL); counts are 0, everything else NULL.
SELECT s IS NULL AS is_null, customers(s), orders(s), repeat_customers(s), revenue(s), aov(s),
       purchase_frequency(s), repeat_rate(s), customer_value(s), first_order_at(s),
       last_order_at(s), observation_window(s), ignored_rows(s), clv(s)
FROM (SELECT order_stats(c, t, a) AS s
      FROM (VALUES (1, now(), 1.0)) v(c, t, a) WHERE false) q;
SELECT order_stats(c, t, a) FROM (VALUES (1, now(), 1.0)) v(c, t, a) WHERE false;

-- NULL customer or NULL time: the row is ignored and counted in ignored_rows.
-- NULL amount: still an order, adds nothing to revenue (as sum() ignores it).
SELECT customers(s), orders(s), revenue(s), aov(s), ignored_rows(s)
FROM (SELECT order_stats(c, t, a) AS s FROM (VALUES
        (NULL::int, timestamptz '2024-01-01', 5.00),
        (1, NULL::timestamptz, 7.00),
        (1, timestamptz '2024-01-02', NULL::numeric),
        (1, timestamptz '2024-01-03', 4.00)) v(c, t, a)) q;
-- only NULL amounts: orders counted, revenue NULL like sum()
SELECT customers(s), orders(s), revenue(s), aov(s)
FROM (SELECT order_stats(c, t, a) AS s FROM (VALUES
        (1, timestamptz '2024-01-02', NULL::numeric),
        (2, timestamptz '2024-01-03', NULL::numeric)) v(c, t, a)) q;
-- only ignored rows: a zero summary that still says how many rows were skipped
SELECT customers(s), orders(s), ignored_rows(s)
FROM (SELECT order_stats(c, t, a) AS s FROM (VALUES
        (NULL::int, timestamptz '2024-01-01', 1.0), (NULL, NULL, NULL)) v(c, t, a)) q;
-- NULL order key in the lines variant: the row is ignored too
SELECT customers(s), orders(s), ignored_rows(s)
FROM (SELECT order_stats(c, t, a, k) AS s FROM (VALUES
        (1, timestamptz '2024-01-01', 1.0, 10), (1, timestamptz '2024-01-02', 2.0, NULL)) v(c, t, a, k)) q;

-- Duplicate rows are separate orders when rows are orders; with an order key they collapse.
SELECT orders(order_stats(c, t, a)) AS as_orders, orders(order_stats(c, t, a, k)) AS as_lines,
       repeat_customers(order_stats(c, t, a)) AS repeat_as_orders,
       repeat_customers(order_stats(c, t, a, k)) AS repeat_as_lines
FROM (VALUES (1, timestamptz '2024-01-01 12:00', 9.99, 77),
             (1, timestamptz '2024-01-01 12:00', 9.99, 77)) v(c, t, a, k);

-- A single order.
SELECT customers(s), orders(s), repeat_rate(s), observation_window(s), clv(s)
FROM (SELECT order_stats(42, timestamptz '2024-05-05 05:05', 12.34) AS s) q;

-- infinity is refused with SQLSTATE 22008 and a hint; so is -infinity, for every time type.
SELECT order_stats(1, timestamptz 'infinity', 1.0);
SELECT sqlstate_of($$SELECT order_stats(1, timestamptz '-infinity', 1.0)$$);
SELECT sqlstate_of($$SELECT order_stats(1, timestamp 'infinity', 1.0)$$);
SELECT sqlstate_of($$SELECT order_stats(1, date 'infinity', 1.0)$$);
SELECT sqlstate_of($$SELECT order_stats(1, date '-infinity', 1.0, 5)$$);
-- extreme but finite times are fine
SELECT first_order_at(s), last_order_at(s)
FROM (SELECT order_stats(c, t, 1.0) AS s FROM (VALUES
        (1, timestamptz '4713-11-24 00:00:00+00 BC'), (2, timestamptz '294276-12-31 23:59:59.999999+00')) v(c, t)) q;

-- Unsupported key types: SQLSTATE 42804 with a hint to cast.
SELECT order_stats(1.5::numeric, now(), 1.0);
SELECT sqlstate_of($$SELECT order_stats(1, now(), 1.0, 2.5::float8)$$);

-- Exact money: mixed scales keep the largest scale, as sum() does; tiny, huge,
-- NaN and many huge values (past the 128-bit fast path) stay exact.
SELECT revenue(order_stats(c, t, a)) AS revenue, sum(a) AS sum,
       revenue(order_stats(c, t, a))::text = sum(a)::text AS same_text
FROM (VALUES (1, now(), 1.5), (2, now(), 2.25), (3, now(), 3)) v(c, t, a);
SELECT revenue(order_stats(c, t, a)) AS revenue, sum(a) AS sum
FROM (VALUES (1, now(), 1), (2, now(), 0.0000000001), (3, now(), -0.00000000005)) v(c, t, a);
SELECT revenue(order_stats(c, t, a)) AS revenue, sum(a) AS sum
FROM (VALUES (1, now(), 1e30), (2, now(), 1), (3, now(), -1e30)) v(c, t, a);
SELECT revenue(order_stats(c, t, a)) AS revenue, sum(a) AS sum
FROM (VALUES (1, now(), 1.0), (2, now(), 'NaN'::numeric)) v(c, t, a);
SELECT revenue(order_stats(i, now(), 9e27 + i)) = sum(9e27 + i) AS overflow_exact,
       revenue(order_stats(i, now(), 9e27 + i)) AS revenue
FROM generate_series(1, 1000) i;
SELECT revenue(order_stats(i, now(), -9e27 - i)) = sum(-9e27 - i) AS negative_overflow_exact
FROM generate_series(1, 1000) i;
-- Two partial states whose fast (128-bit) sums overflow only when combined:
-- the result keeps the inputs' scale (2), exactly as sum().
CREATE TABLE edge_overflow (id int, c int, a numeric) PARTITION BY LIST ((id % 2));
CREATE TABLE edge_overflow_0 PARTITION OF edge_overflow FOR VALUES IN (0);
CREATE TABLE edge_overflow_1 PARTITION OF edge_overflow FOR VALUES IN (1);
INSERT INTO edge_overflow SELECT i, i, 9e27 + 0.01 FROM generate_series(1, 300) i;
ANALYZE edge_overflow;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT revenue(order_stats(c, now(), a)) FROM edge_overflow;
-- by hand: 300 x (9e27 + 0.01) = 2700000000000000000000000000003.00
SELECT revenue(order_stats(c, now(), a)) AS revenue, sum(a) AS sum FROM edge_overflow;
RESET enable_partitionwise_aggregate;
-- a state of the lines variant fed to the orders variant is refused, not mixed up
SELECT sqlstate_of($$SELECT order_stats_final(order_stats_trans(
    order_stats_trans(NULL, 1, timestamptz '2024-01-01', 1.0, 7)::text::order_stats_state,
    1, timestamptz '2024-01-02', 1.0))$$);
