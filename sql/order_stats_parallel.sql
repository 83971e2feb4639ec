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
DROP TABLE os_two;
RESET TimeZone;
