-- Parallel and partitionwise plans give exactly the serial result, although a
-- customer's rows land in several partial states.
SET TimeZone = 'UTC';
CREATE TABLE par_orders AS
    SELECT i AS order_id, (i::int8 * 7919) % 3001 AS customer,
           timestamptz '2023-01-01' + (i::int8 * 104729 % 500000) * interval '1 minute' AS ordered_at,
           ((i * 31) % 20000) / 100.0 + CASE WHEN i % 97 = 0 THEN 0.001 ELSE 0 END AS amount,
           i % 5 AS segment
    FROM generate_series(1, 30000) i;
ANALYZE par_orders;

CREATE TABLE serial_result AS
    SELECT order_stats(customer, ordered_at, amount)::text AS s,
           order_stats(customer, ordered_at, amount, order_id / 3)::text AS lines
    FROM par_orders;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT order_stats(customer, ordered_at, amount) FROM par_orders;
SELECT order_stats(customer, ordered_at, amount)::text = (SELECT s FROM serial_result) AS parallel_equal,
       order_stats(customer, ordered_at, amount, order_id / 3)::text = (SELECT lines FROM serial_result) AS parallel_lines_equal
FROM par_orders;
-- grouped, parallel
EXPLAIN (COSTS OFF) SELECT segment, order_stats(customer, ordered_at, amount) FROM par_orders GROUP BY segment;
CREATE TABLE par_grouped AS
    SELECT segment, order_stats(customer, ordered_at, amount)::text AS s FROM par_orders GROUP BY segment;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups_equal
FROM par_grouped g JOIN (SELECT segment, order_stats(customer, ordered_at, amount)::text AS s
                         FROM par_orders GROUP BY segment) q USING (segment)
WHERE g.s = q.s;

-- Partitionwise aggregation over a table hashed by order id: every customer
-- has rows in every partition, and per-partition partial states are combined.
CREATE TABLE part_orders (order_id int, customer int, ordered_at timestamptz, amount numeric, segment int)
    PARTITION BY HASH (order_id);
CREATE TABLE part_orders_0 PARTITION OF part_orders FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE part_orders_1 PARTITION OF part_orders FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE part_orders_2 PARTITION OF part_orders FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO part_orders SELECT * FROM par_orders;
ANALYZE part_orders;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT order_stats(customer, ordered_at, amount) FROM part_orders;
SELECT order_stats(customer, ordered_at, amount)::text = (SELECT s FROM serial_result) AS partitionwise_equal,
       order_stats(customer, ordered_at, amount, order_id / 3)::text = (SELECT lines FROM serial_result) AS partitionwise_lines_equal
FROM part_orders;
-- and grouped by segment (not the partition key): partial aggregates per partition
EXPLAIN (COSTS OFF) SELECT segment, order_stats(customer, ordered_at, amount) FROM part_orders GROUP BY segment;
SELECT count(*) AS groups_equal
FROM par_grouped g JOIN (SELECT segment, order_stats(customer, ordered_at, amount)::text AS s
                         FROM part_orders GROUP BY segment) q USING (segment)
WHERE g.s = q.s;
-- partitionwise and parallel together
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT order_stats(customer, ordered_at, amount)::text = (SELECT s FROM serial_result) AS both_equal
FROM part_orders;
-- the KPIs equal plain SQL on the same rows
SELECT customers(s) = (SELECT count(DISTINCT customer) FROM par_orders) AS customers_ok,
       orders(s) = (SELECT count(*) FROM par_orders) AS orders_ok,
       repeat_customers(s) = (SELECT count(*) FROM (SELECT customer FROM par_orders GROUP BY customer HAVING count(*) >= 2) r) AS repeat_ok,
       revenue(s)::text = (SELECT sum(amount)::text FROM par_orders) AS revenue_ok,
       last_order_at(s) = (SELECT max(ordered_at) FROM par_orders) AS last_ok
FROM (SELECT s::order_stats AS s FROM serial_result) q;

-- The leader keeps the partial states as runs sorted by customer hash and
-- merges them in one pass (src/order_stats_runs.c).  Customers 239755 and
-- 261619 have the same 32-bit key hash, and so have 198591 and 420281: the
-- merge must still tell them apart.  Each partition of os_collide makes one
-- partial state, so three meet.  By hand:
--   part 0: 239755 (Jan 3 10:00, 1.5), 198591 (Feb 10, 3), a NULL customer (ignored)
--   part 1: 261619 (Jan 31, 7), 198591 (Mar 10, 0.001), 420281 (Mar 31, NULL amount)
--   part 2: 420281 (Feb 1, 2.25), 420281 (Apr 2 12:00, 5), 7 (Mar 15, 10), 7 (Mar 16, 20)
--   every part: customers 101 to 110, one order each (Feb 15, 1)
--   15 customers, 39 orders; repeat: 198591 (two runs), 420281 (two runs, two
--   orders in one), 7 (one run), 101 to 110 (three runs), not 239755 nor
--   261619 (one order each); 1 ignored row; revenue 1.5 + 3 + 7 + 0.001 +
--   2.25 + 5 + 10 + 20 + 30 = 78.751; first order Jan 3 10:00 (the ignored
--   row's Jan 1 does not count), last Apr 2 12:00
SET max_parallel_workers_per_gather = 0;
CREATE TABLE os_collide (part int, customer int8, ordered_at timestamptz, amount numeric)
    PARTITION BY LIST (part);
CREATE TABLE os_collide_0 PARTITION OF os_collide FOR VALUES IN (0);
CREATE TABLE os_collide_1 PARTITION OF os_collide FOR VALUES IN (1);
CREATE TABLE os_collide_2 PARTITION OF os_collide FOR VALUES IN (2);
INSERT INTO os_collide VALUES
    (0, 239755, '2024-01-03 10:00', 1.5), (0, 198591, '2024-02-10', 3), (0, NULL, '2024-01-01', 100),
    (1, 261619, '2024-01-31', 7), (1, 198591, '2024-03-10', 0.001), (1, 420281, '2024-03-31', NULL),
    (2, 420281, '2024-02-01', 2.25), (2, 420281, '2024-04-02 12:00', 5), (2, 7, '2024-03-15', 10),
    (2, 7, '2024-03-16', 20);
INSERT INTO os_collide SELECT part, c, '2024-02-15', 1 FROM generate_series(0, 2) part, generate_series(101, 110) c;
ANALYZE os_collide;
SET enable_partitionwise_aggregate = on;
SET client_min_messages = debug1;
SELECT order_stats(customer, ordered_at, amount) FROM os_collide;
RESET client_min_messages;
-- the same as one plain state (no runs), and with text keys over 16 bytes
SET enable_partitionwise_aggregate = off;
CREATE TABLE os_collide_one AS
    SELECT order_stats(customer, ordered_at, amount)::text AS s FROM os_collide;
SET enable_partitionwise_aggregate = on;
SELECT order_stats(customer, ordered_at, amount)::text = (SELECT s FROM os_collide_one) AS one_state_equal
FROM os_collide;
CREATE TABLE os_long (part int, customer text, ordered_at timestamptz, amount numeric)
    PARTITION BY LIST (part);
CREATE TABLE os_long_0 PARTITION OF os_long FOR VALUES IN (0);
CREATE TABLE os_long_1 PARTITION OF os_long FOR VALUES IN (1);
CREATE TABLE os_long_2 PARTITION OF os_long FOR VALUES IN (2);
INSERT INTO os_long
    SELECT part, 'a customer with a long name, number ' || customer, ordered_at, amount FROM os_collide;
ANALYZE os_long;
SET client_min_messages = debug1;
SELECT order_stats(customer, ordered_at, amount)::text = (SELECT s FROM os_collide_one) AS long_keys_equal
FROM os_long;
RESET client_min_messages;
-- a combined state that is not finalized at once is settled first: a state
-- aggregate without a final function, read back through its text form
CREATE AGGREGATE pg_temp.os_state_agg(anyelement, timestamptz, numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, COMBINEFUNC = order_stats_combine,
    PARALLEL = SAFE);
EXPLAIN (COSTS OFF) SELECT pg_temp.os_state_agg(customer, ordered_at, amount)::text FROM os_collide;
SELECT order_stats_final(pg_temp.os_state_agg(customer, ordered_at, amount)::text::order_stats_state)::text =
       (SELECT s FROM os_collide_one) AS settled_equal
FROM os_collide;
RESET enable_partitionwise_aggregate;
-- a state that says its customers are in hash order must be: a state of
-- customers 1 and 2 (order_class byte 80: rows are orders, hash order) is
-- read back as it is, but not with its two customer records (16 bytes each
-- after the 76-byte header) swapped; without the flag (00) the swapped
-- records are a valid state
CREATE TABLE os_two AS
    SELECT order_stats_state_out(order_stats_trans(order_stats_trans(NULL, 1, timestamptz '2024-05-01', 1),
                                                   2, timestamptz '2024-05-01', 1))::text AS s;
SELECT substr(s, 9, 2) AS order_class_byte, order_stats_state_in(s::cstring) IS NOT NULL AS reads FROM os_two;
SELECT order_stats_final(order_stats_state_in(('\x' || substr(s, 3, 6) || '00' || substr(s, 11, 144) ||
                                               substr(s, 3 + 152 + 32, 32) || substr(s, 3 + 152, 32))::cstring))::text
FROM os_two;
SELECT order_stats_state_in(('\x' || substr(s, 3, 152) || substr(s, 3 + 152 + 32, 32) || substr(s, 3 + 152, 32))::cstring)
FROM os_two;
DROP TABLE os_collide, os_collide_one, os_long, os_two;
RESET max_parallel_workers_per_gather;
RESET TimeZone;
