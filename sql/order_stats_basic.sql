-- order_stats on a small hand-computed example.
SET TimeZone = 'UTC';
CREATE TABLE basic_orders (customer int, ordered_at timestamptz, amount numeric);
INSERT INTO basic_orders VALUES
    (1, '2024-01-05 10:00+00', 100.00),
    (1, '2024-02-10 00:00+00',  50.00),
    (2, '2024-01-20 00:00+00',  30.00),
    (3, '2024-03-01 00:00+00',  20.00),
    (3, '2024-03-15 00:00+00',   0.00),   -- a zero amount is still an order
    (3, '2024-04-01 00:00+00', -10.00);   -- a refund row is an order with a negative amount
-- By hand: 3 customers, 6 orders, repeat customers 1 and 3 (2 of 3),
-- revenue 100+50+30+20+0-10 = 190.00, AOV 190.00/6 = 31.67, frequency 6/3 = 2,
-- customer value 190.00/3 = 63.33, first 2024-01-05 10:00, last 2024-04-01.
SELECT customers(s), orders(s), repeat_customers(s), revenue(s), aov(s),
       purchase_frequency(s), repeat_rate(s), churn_rate(s), customer_value(s),
       first_order_at(s), last_order_at(s), observation_window(s), ignored_rows(s)
FROM (SELECT order_stats(customer, ordered_at, amount) AS s FROM basic_orders) q;
-- AOV and customer value are exactly what the same division gives in SQL.
SELECT aov(s) = 190.00 / 6 AS aov_as_sql, customer_value(s) = 190.00 / 3 AS cv_as_sql
FROM (SELECT order_stats(customer, ordered_at, amount) AS s FROM basic_orders) q;
-- The summary's text form.
SELECT order_stats(customer, ordered_at, amount) FROM basic_orders;

-- Order lines: an order is a distinct key, its amount the sum of its lines,
-- its time the earliest line.
CREATE TABLE basic_lines (customer int, ordered_at timestamptz, amount numeric, order_key text);
INSERT INTO basic_lines VALUES
    (1, '2024-01-05 10:00+00', 60, 'A'),
    (1, '2024-01-05 10:01+00', 40, 'A'),   -- order A: 100 at 10:00
    (1, '2024-02-10 00:00+00', 50, 'B'),
    (2, '2024-01-20 00:00+00', 30, 'C'),
    (2, '2024-01-20 00:00+00',  0, 'C'),   -- same order, same instant
    (3, '2024-03-01 10:00+00', 20, 'D'),   -- order D has lines of two customers:
    (4, '2024-03-01 09:00+00',  5, 'D');   -- one order, time 09:00 (its earliest line)
-- By hand: customers 1..4 = 4; orders A B C D = 4; repeat: only customer 1 (A, B);
-- revenue 205, AOV 205/4 = 51.25; first 2024-01-05 10:00; last = D at 09:00,
-- not the later 10:00 line.
SELECT customers(s), orders(s), repeat_customers(s), revenue(s), aov(s),
       purchase_frequency(s), repeat_rate(s), first_order_at(s), last_order_at(s)
FROM (SELECT order_stats(customer, ordered_at, amount, order_key) AS s FROM basic_lines) q;

-- GROUP BY gives one summary per group; hash and sort grouping agree.
CREATE TABLE basic_segments AS
    SELECT o.*, CASE WHEN customer = 2 THEN 'B' ELSE 'A' END AS segment FROM basic_orders o;
SET enable_hashagg = on;
SELECT segment, customers(s), orders(s), repeat_customers(s), revenue(s)
FROM (SELECT segment, order_stats(customer, ordered_at, amount) AS s
      FROM basic_segments GROUP BY segment) q ORDER BY segment;
SET enable_hashagg = off;
SELECT segment, customers(s), orders(s), repeat_customers(s), revenue(s)
FROM (SELECT segment, order_stats(customer, ordered_at, amount) AS s
      FROM basic_segments GROUP BY segment) q ORDER BY segment;
RESET enable_hashagg;

-- As a window aggregate over a growing frame (running KPIs by time).
SELECT ordered_at, customers(s), orders(s), revenue(s)
FROM (SELECT ordered_at, order_stats(customer, ordered_at, amount) OVER (ORDER BY ordered_at) AS s
      FROM basic_orders) q ORDER BY ordered_at;

-- A summary can be stored and read back.
CREATE TABLE stored_stats AS
    SELECT 'all'::text AS label, order_stats(customer, ordered_at, amount) AS s FROM basic_orders;
SELECT label, customers(s), revenue(s), aov(s) FROM stored_stats;
