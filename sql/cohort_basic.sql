-- cohort_agg and its accessors on a small example worked out by hand.
-- Every expected value below was computed by hand from the spec before the
-- implementation existed; the comments show the working.
SET TimeZone = 'UTC';
CREATE TABLE cb_orders (customer int, ordered_at timestamptz, amount numeric);
-- Rows deliberately shuffled (not in time order).
INSERT INTO cb_orders VALUES
    (4,    '2024-03-10 10:00+00',   NULL),    -- NULL amount: still an order, no revenue
    (1,    '2024-02-14 12:00+00',  40.00),
    (5,    '2024-04-25 18:00+00',   0.00),    -- zero amount; the latest order
    (NULL, '2024-02-10 00:00+00', 999.00),    -- NULL customer: ignored
    (2,    '2024-03-05 11:00+00', -20.00),    -- a refund
    (3,    '2024-01-31 23:00+00',  10.00),    -- last hour of January
    (4,    '2024-02-01 00:00+00',  80.00),    -- first instant of February
    (6,    '2024-03-03 09:00+00',  70.00),
    (1,    '2024-04-02 09:00+00',  25.00),
    (2,    '2024-01-20 08:00+00',  20.00),
    (7,    NULL,                  999.00),    -- NULL time: ignored (customer 7 does not exist)
    (4,    '2024-02-01 00:00+00',   5.00),    -- same customer, same instant: a second order
    (1,    '2024-01-03 10:00+00', 100.00),
    (5,    '2024-02-20 15:00+00',  60.00),
    (4,    '2024-04-20 10:00+00',  30.00),
    (2,    '2024-01-15 08:00+00',  50.00);
-- By hand, per customer and month (J F M A = 2024-01 .. 2024-04):
--   c1: J 1 order 100.00 | F 1 order 40.00 | A 1 order 25.00          cohort J
--   c2: J 2 orders 70.00 | M 1 order -20.00                           cohort J
--   c3: J 1 order 10.00                                               cohort J
--   c4: F 2 orders 85.00 | M 1 order (NULL amount) | A 1 order 30.00  cohort F
--   c5: F 1 order 60.00  | A 1 order 0.00                             cohort F
--   c6: M 1 order 70.00                                               cohort M
-- Latest order 2024-04-25 18:00 -> L = April; cohort J has offsets 0..3,
-- F 0..2, M 0..1: 9 rows. complete = start of next month <= 2024-04-25 18:00,
-- so every April cell is incomplete, all others complete.
-- cohort J (size 3):
--   k0 Jan: active c1 c2 c3 = 3, rate 1, on_or_after 3, orders 1+2+1 = 4,
--           revenue 100+70+10 = 180.00, cum 180/3 = 60
--   k1 Feb: active c1 = 1, rate 1/3, on_or_after {c1 (F,A), c2 (M)} = 2,
--           orders 1, revenue 40.00, cum 220/3 = 73.3333333333
--   k2 Mar: active c2 = 1, rate 1/3, on_or_after {c1 (A), c2} = 2, orders 1,
--           revenue -20.00, cum 200/3 = 66.6666666667
--   k3 Apr: active c1 = 1, rate 1/3, on_or_after {c1} = 1, orders 1,
--           revenue 25.00, cum 225/3 = 75, incomplete
-- cohort F (size 2):
--   k0 Feb: active 2, rate 1, on_or_after 2, orders 3, revenue 85+60 = 145.00, cum 72.5
--   k1 Mar: active c4 = 1, rate 0.5, on_or_after {c4, c5 (A)} = 2, orders 1,
--           revenue 0 (its only amount is NULL), cum 72.5
--           [After the run: the implementation prints this 0 as 0.00: every revenue of a
--           matrix, including cells with no row at all (M k1), carries the matrix's
--           revenue scale (the largest input scale), as one sum() over the input would.
--           Same numeric value; expectation changed to 0.00.]
--   k2 Apr: active c4 c5 = 2, rate 1, on_or_after 2, orders 2,
--           revenue 30.00 + 0.00 = 30.00, cum 175/2 = 87.5, incomplete
-- cohort M (size 1):
--   k0 Mar: active 1, rate 1, on_or_after 1, orders 1, revenue 70.00, cum 70
--   k1 Apr: nobody: active 0, rate 0, on_or_after 0, orders 0, revenue 0, cum 70, incomplete
CREATE TABLE cb_m AS
    SELECT cohort_agg(customer, ordered_at, 'month', amount) AS m4,
           cohort_agg(customer, ordered_at, 'month') AS m3
    FROM cb_orders;
-- rows come out ordered by cohort, period_offset (no ORDER BY here on purpose)
SELECT cohort, period_offset, cohort_size, active, retention_rate, active_on_or_after,
       orders, revenue, round(cum_revenue_per_customer, 10) AS cum_rev, complete
FROM cb_m, cohort_table(m4);
-- cum_revenue_per_customer is exactly the numeric division of the running sum
SELECT cohort, period_offset,
       cum_revenue_per_customer = (CASE cohort WHEN '2024-01-01' THEN 200.00 ELSE 145.00 END) / cohort_size AS exact
FROM cb_m, cohort_table(m4)
WHERE cohort < '2024-03-01' AND period_offset = CASE cohort WHEN '2024-01-01' THEN 2 ELSE 1 END;
-- The 3-argument form: same counts, revenue and cumulative revenue NULL on every row.
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders,
       revenue, cum_revenue_per_customer, complete
FROM cb_m, cohort_table(m3);
-- The text form, by hand (cell = active,active_prev,last,orders,revenue; only
-- cells with someone active). Last active offsets: c1 3, c2 2, c3 0, c4 2, c5 2, c6 0.
--   J+0 3,0,1,4,180.00  J+1 1,1,0,1,40.00 (c1 active at 0 and 1)  J+2 1,0,1,1,-20.00
--   J+3 1,0,1,1,25.00   F+0 2,0,0,3,145.00  F+1 1,1,0,1,0.00 (scale: see above)  F+2 2,1,2,2,30.00  M+0 1,0,1,1,70.00
-- 8 cells; 2 ignored rows (NULL customer, NULL time).
SELECT m4 FROM cb_m;
SELECT m3 FROM cb_m;
-- Row order does not matter: the matrix built from rows in time order, in
-- reverse order and in the table's shuffled order is the same value.
SELECT (SELECT cohort_agg(customer, ordered_at, 'month', amount ORDER BY ordered_at)::text FROM cb_orders) =
       (SELECT cohort_agg(customer, ordered_at, 'month', amount ORDER BY ordered_at DESC, amount)::text FROM cb_orders) AND
       (SELECT cohort_agg(customer, ordered_at, 'month', amount ORDER BY ordered_at DESC)::text FROM cb_orders) =
       (SELECT m4::text FROM cb_m) AS order_independent;

-- retention_curve, default observation end (2024-04-25 18:00): complete cells are
-- J k0..k2, F k0..k1, M k0.
--   k0: cohorts J F M, customers 3+2+1 = 6, active 3+2+1 = 6, rate 1, mean 1
--   k1: cohorts J F, customers 5, active 1+1 = 2, rate 2/5 = 0.4, mean (1/3 + 1/2)/2 = 5/12
--   k2: cohort J, customers 3, active 1, rate 1/3, mean 1/3
--   k3: no complete cell (April) -> no row
SELECT period_offset, cohorts, cohort_customers, active, retention_rate,
       round(mean_rate::numeric, 12) AS mean_rate
FROM cb_m, retention_curve(m4);
-- Observed until 2024-05-01 00:00 exactly: L = May, April cells are now complete
-- (end of April = 2024-05-01 00:00 <= observation end), May cells are not.
--   k0: J F M: 6 customers, active 6, rate 1, mean 1
--   k1: J F M: 6 customers, active 1+1+0 = 2, rate 1/3, mean (1/3 + 1/2 + 0)/3 = 5/18
--   k2: J F (M's k2 is May): 5 customers, active 1+2 = 3, rate 3/5, mean (1/3 + 1)/2 = 2/3
--   k3: J: 3 customers, active 1, rate 1/3, mean 1/3
--   k4: J's k4 is May, incomplete -> no row
SELECT period_offset, cohorts, cohort_customers, active, retention_rate,
       round(mean_rate::numeric, 12) AS mean_rate
FROM cb_m, retention_curve(m4, '2024-05-01 00:00+00');
-- the same observation end in cohort_table: 3 more rows (the May cells J+4, F+3, M+2), zeros
SELECT cohort, period_offset, active, active_on_or_after, orders, revenue,
       round(cum_revenue_per_customer, 10) AS cum_rev, complete
FROM cb_m, cohort_table(m4, '2024-05-01 00:00+00');
-- Observed until 2024-06-10: L = June; J k0..k5 (k0..k4 complete), F k0..k4
-- (k0..k3 complete), M k0..k3 (k0..k2 complete): 6 + 5 + 4 = 15 rows, 12 complete,
-- 7 zero cells: the 6 May/June cells and M k1 (April; nobody of cohort M came back).
-- [My first count said 6: I had forgotten M k1. Fixed after the run, by hand.]
SELECT count(*) AS cells, count(*) FILTER (WHERE complete) AS complete_cells,
       count(*) FILTER (WHERE active = 0) AS empty_cells, max(period_offset) AS max_offset
FROM cb_m, cohort_table(m4, '2024-06-10 00:00+00');
SELECT cohort, period_offset, active, complete
FROM cb_m, cohort_table(m4, '2024-06-10 00:00+00') WHERE period_offset >= 3;
-- An observation end equal to the latest order is the default.
SELECT (SELECT array_agg(t::text) FROM cb_m, cohort_table(m4) t) =
       (SELECT array_agg(t::text) FROM cb_m, cohort_table(m4, '2024-04-25 18:00+00') t) AS same_as_default,
       (SELECT array_agg(t::text) FROM cb_m, retention_curve(m4) t) =
       (SELECT array_agg(t::text) FROM cb_m, retention_curve(m4, '2024-04-25 18:00+00') t) AS curve_same;
-- An observation end earlier than the latest order (one second before) is an error.
SELECT count(*) FROM cb_m, cohort_table(m4, '2024-04-25 17:59:59+00');
SELECT left(sqlstate_of($$SELECT count(*) FROM cb_m, cohort_table(m4, '2024-04-25 17:59:59+00')$$), 5) AS table_early,
       left(sqlstate_of($$SELECT count(*) FROM cb_m, retention_curve(m4, '2024-01-01 00:00+00')$$), 5) AS curve_early;

-- period_retention (E = active in p, S = E(p-1), N = new, retained = active in p-1 and p):
--   Jan: E {c1 c2 c3} = 3, S 0, N 3, retained 0, rates NULL
--   Feb: E {c1 c4 c5} = 3, S 3, N 2, crr (3-2)/3 = 1/3, retained {c1} = 1, rate 1/3, churn 2/3
--   Mar: E {c2 c4 c6} = 3, S 3, N 1, crr 2/3, retained {c4} = 1, rate 1/3, churn 2/3
--   Apr: E {c1 c4 c5} = 3, S 3, N 0, crr 1, retained {c4} = 1, rate 1/3, churn 2/3
SELECT period, start_customers, end_customers, new_customers, crr, retained, retention_rate,
       round(churn_rate::numeric, 12) AS churn_rate
FROM cb_m, period_retention(m4);
-- the 3-argument matrix gives the same period_retention
SELECT (SELECT array_agg(t::text) FROM cb_m, period_retention(m4) t) =
       (SELECT array_agg(t::text) FROM cb_m, period_retention(m3) t) AS same_without_amounts;
-- A gap period: customers 1, 2 in January, nobody in February, 1 and 3 in March.
--   Jan: S 0, E 2, N 2, retained 0, rates NULL
--   Feb: S 2, E 0, N 0, crr (0-0)/2 = 0, retained 0, rate 0, churn 1
--   Mar: S 0 (nobody in Feb), E 2, N 1, retained 0, rates NULL
SELECT period, start_customers, end_customers, new_customers, crr, retained, retention_rate, churn_rate
FROM period_retention((SELECT cohort_agg(c, t, 'month') FROM (VALUES
    (1, timestamptz '2024-01-10 00:00+00'), (2, '2024-01-11 00:00+00'),
    (1, '2024-03-02 00:00+00'), (3, '2024-03-03 00:00+00')) v(c, t)));
-- and its cohort_table: J (c1 c2) k0..k2, M (c3) k0; the February cell is a zero
--   J k0 active 2, k1 active 0 (on_or_after 1: c1 in March), k2 active 1; M k0 active 1
SELECT cohort, period_offset, cohort_size, active, retention_rate, active_on_or_after, orders, complete
FROM cohort_table((SELECT cohort_agg(c, t, 'month') FROM (VALUES
    (1, timestamptz '2024-01-10 00:00+00'), (2, '2024-01-11 00:00+00'),
    (1, '2024-03-02 00:00+00'), (3, '2024-03-03 00:00+00')) v(c, t)));

-- Order lines (5-argument form): orders = distinct order keys in the cell.
CREATE TABLE cb_lines (customer text, ordered_at timestamptz, amount numeric, order_key text);
INSERT INTO cb_lines VALUES
    ('ann', '2024-01-05 10:00+00', 30.00, 'A'),
    ('cat', '2024-01-20 12:00+00', 40.00, 'D'),   -- order D has lines of two customers, cat and bob,
    ('ann', '2024-01-05 10:00+00', 20.00, 'A'),
    ('bob', '2024-01-31 23:50+00',  5.00, 'C'),   -- order C: one line in January ...
    ('ann', '2024-01-05 10:05+00', 10.00, 'A'),   -- order A: three lines, one order
    ('bob', '2024-01-20 12:00+00',  1.00, 'D'),   -- ... both in the January cohort: D counts once
    ('bob', '2024-02-01 00:10+00',  7.00, 'C'),   -- ... and one in February: C counts in both cells
    ('cat', '2024-02-10 12:00+00', 12.00, NULL),  -- NULL order key: the line is ignored
    ('ann', '2024-02-02 09:00+00', 15.00, 'B'),
    ('dan', '2024-02-15 12:00+00',  9.00, 'E');
-- By hand: cohorts J = {ann, bob, cat} (bob's first line is D on Jan 20), F = {dan};
-- latest line 2024-02-15 12:00 -> L = February.
--   J k0: active 3, orders {A, C, D} = 3, revenue 30+20+10+5+40+1 = 106.00, cum 106/3
--   J k1: active {ann (B), bob (C)} = 2 (cat's February line is ignored), orders {B, C} = 2,
--         revenue 15+7 = 22.00, cum 128/3, on_or_after 2, incomplete
--   F k0: active 1, orders 1, revenue 9.00, cum 9, incomplete
SELECT cohort, period_offset, cohort_size, active, retention_rate, active_on_or_after,
       orders, revenue, round(cum_revenue_per_customer, 10) AS cum_rev, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'month', amount, order_key) FROM cb_lines));
-- the same rows as plain orders (4-argument form): every line is an order: J k0 has
-- 6 lines, J k1 has 2 (the ignored NULL-key line is an order here: cat is active in
-- February, J k1 active 3, orders 3, revenue 15+7+12 = 34.00)
SELECT cohort, period_offset, active, orders, revenue
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'month', amount) FROM cb_lines));
-- the lines matrix's text form: last offsets ann 1, bob 1, cat 0 (February line ignored)
--   J+0 3,0,1,3,106.00  J+1 2,2,2,2,22.00  F+0 1,0,1,1,9.00; 1 ignored row
SELECT cohort_agg(customer, ordered_at, 'month', amount, order_key) FROM cb_lines;

-- Empty input: an empty matrix (not NULL) with no rows in any accessor.
CREATE TABLE cb_empty AS
    SELECT cohort_agg(customer, ordered_at, 'month', amount) AS m FROM cb_orders WHERE false;
SELECT m IS NULL AS is_null,
       (SELECT count(*) FROM cohort_table(m)) AS table_rows,
       (SELECT count(*) FROM cohort_table(m, '2024-06-01 00:00+00')) AS table_rows_observed,
       (SELECT count(*) FROM retention_curve(m)) AS curve_rows,
       (SELECT count(*) FROM period_retention(m)) AS period_rows
FROM cb_empty;
-- only ignored rows: also empty
SELECT (SELECT count(*) FROM cohort_table(m)) AS table_rows, (SELECT count(*) FROM period_retention(m)) AS period_rows
FROM (SELECT cohort_agg(customer, ordered_at, 'month', amount) AS m
      FROM cb_orders WHERE customer IS NULL OR ordered_at IS NULL) q;

-- A single customer with a single order (a leap day): one incomplete cell, an empty
-- curve (no complete cell), one period with S = 0.
CREATE TABLE cb_one AS
    SELECT cohort_agg(c, t, 'month', a) AS m
    FROM (VALUES (42, timestamptz '2024-02-29 13:00+00', 9.99)) v(c, t, a);
SELECT cohort, period_offset, cohort_size, active, retention_rate, active_on_or_after,
       orders, revenue, round(cum_revenue_per_customer, 10) AS cum_rev, complete
FROM cb_one, cohort_table(m);
SELECT count(*) AS curve_rows FROM cb_one, retention_curve(m);
SELECT t.* FROM cb_one, period_retention(m) t;
-- observed until March 1st: February is complete, March is a zero cell
SELECT cohort, period_offset, active, complete FROM cb_one, cohort_table(m, '2024-03-01 00:00+00');
SELECT period_offset, cohorts, cohort_customers, active, retention_rate, mean_rate
FROM cb_one, retention_curve(m, '2024-03-01 00:00+00');

-- A NULL customer row later than every other order is still ignored: by my reading
-- of the spec ("a row with NULL customer ... is ignored") it does not move the
-- observation end, so L stays April (9 rows, April incomplete).
SELECT count(*) AS table_rows, count(*) FILTER (WHERE complete) AS complete_rows
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'month', amount)
                   FROM (SELECT * FROM cb_orders UNION ALL
                         SELECT NULL, '2024-07-15 00:00+00', 1) q));

-- GROUP BY segment: one matrix per segment, each with its own observation end.
-- Segment A = c1 c2 c3 (latest 2024-04-02 -> L April): cohort J as above.
-- Segment B = c4 c5 c6 and the ignored rows (latest 2024-04-25): cohorts F, M as above.
CREATE TABLE cb_segments AS
    SELECT o.*, CASE WHEN customer <= 3 THEN 'A' ELSE 'B' END AS segment FROM cb_orders o;
SET enable_hashagg = on;
SELECT segment, t.cohort, t.period_offset, t.cohort_size, t.active, t.orders, t.revenue, t.complete
FROM (SELECT segment, cohort_agg(customer, ordered_at, 'month', amount) AS m
      FROM cb_segments GROUP BY segment) q, cohort_table(q.m) t
ORDER BY segment, cohort, period_offset;
SET enable_hashagg = off;
SELECT segment, m::text = (SELECT cohort_agg(customer, ordered_at, 'month', amount)::text
                            FROM cb_segments s WHERE s.segment = q.segment) AS same_as_filtered
FROM (SELECT segment, cohort_agg(customer, ordered_at, 'month', amount) AS m
      FROM cb_segments GROUP BY segment) q ORDER BY segment;
RESET enable_hashagg;

-- Key types: int2, int8, varchar, bpchar, uuid keys give the same matrix as int4;
-- other types are ERROR 42804.
SELECT (SELECT cohort_agg(customer::int8, ordered_at, 'month', amount)::text FROM cb_orders) = m4::text AS int8_key,
       (SELECT cohort_agg(customer::int2, ordered_at, 'month', amount)::text FROM cb_orders) = m4::text AS int2_key,
       (SELECT cohort_agg(customer::varchar, ordered_at, 'month', amount)::text FROM cb_orders) = m4::text AS varchar_key,
       (SELECT cohort_agg(customer::char(3), ordered_at, 'month', amount)::text FROM cb_orders) = m4::text AS bpchar_key,
       (SELECT cohort_agg(('00000000-0000-0000-0000-00000000000' || customer)::uuid, ordered_at, 'month', amount)::text
        FROM cb_orders) = m4::text AS uuid_key
FROM cb_m;
SELECT left(sqlstate_of($$SELECT cohort_agg(1.5::float8, now(), 'month')$$), 5) AS float_key,
       left(sqlstate_of($$SELECT cohort_agg(1::numeric, now(), 'month')$$), 5) AS numeric_key,
       left(sqlstate_of($$SELECT cohort_agg(true, now(), 'month')$$), 5) AS bool_key,
       left(sqlstate_of($$SELECT cohort_agg(1, now(), 'month', 1, 2.5::float8)$$), 5) AS float_order_key;

-- Summary accessors of a matrix: 6 customers (c1..c6), 2 ignored rows, latest order
-- 2024-04-25 18:00 UTC; the empty matrix has 0 customers and no latest order; a timestamp
-- input's latest order reads in the session zone (UTC here).
SELECT customers(m4), ignored_rows(m4), last_order_at(m4), customers(m3) AS customers_m3 FROM cb_m;
SELECT customers(m), ignored_rows(m), last_order_at(m) IS NULL AS no_last_order FROM cb_empty;
SELECT last_order_at(cohort_agg(c, t, 'day')) AS ts_last, customers(cohort_agg(c, t, 'day')) AS ts_customers
FROM (VALUES (1, timestamp '2024-03-10 12:00'), (2, '2024-03-01 08:00'), (1, NULL)) v(c, t);
