-- cohort_agg under parallel and partitionwise plans gives exactly the serial
-- matrix, although one customer's rows (and so their first order) land in
-- several partial states.  Rows come in a scrambled order, times spread over
-- two years, amounts with up to 3 decimals, order keys shared by 3 rows.
SET TimeZone = 'Europe/Bucharest';
CREATE TABLE coh_orders AS
    SELECT i AS order_id, (i::int8 * 7919) % 3001 AS customer,
           timestamptz '2023-01-01' + (i::int8 * 104729 % 1051200) * interval '1 minute' AS ordered_at,
           ((i * 31) % 20000) / 100.0 + CASE WHEN i % 97 = 0 THEN 0.001 ELSE 0 END AS amount,
           i % 5 AS segment
    FROM generate_series(1, 30000) i;
ANALYZE coh_orders;

CREATE TABLE coh_serial AS
    SELECT cohort_agg(customer, ordered_at, 'month')::text AS plain,
           cohort_agg(customer, ordered_at, 'week', amount)::text AS amounts,
           cohort_agg(customer, ordered_at, 'quarter', amount, order_id / 3)::text AS lines
    FROM coh_orders;
-- the serial matrix is not trivial: 21 monthly cohorts (first orders stop
-- before the end) over 24 months, so 24 + 23 + ... + 4 = 294 rows
SELECT count(DISTINCT cohort) AS cohorts, count(*) AS rows, sum(active) AS active_cells
FROM cohort_table((SELECT plain::cohort_matrix FROM coh_serial));

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT cohort_agg(customer, ordered_at, 'month') FROM coh_orders;
SELECT cohort_agg(customer, ordered_at, 'month')::text = (SELECT plain FROM coh_serial) AS parallel_equal,
       cohort_agg(customer, ordered_at, 'week', amount)::text = (SELECT amounts FROM coh_serial) AS parallel_amounts_equal,
       cohort_agg(customer, ordered_at, 'quarter', amount, order_id / 3)::text = (SELECT lines FROM coh_serial) AS parallel_lines_equal
FROM coh_orders;
-- the leader does no scanning: every row goes through a worker's partial state
SET parallel_leader_participation = off;
SELECT cohort_agg(customer, ordered_at, 'week', amount)::text = (SELECT amounts FROM coh_serial) AS workers_only_equal
FROM coh_orders;
RESET parallel_leader_participation;
-- grouped and parallel
EXPLAIN (COSTS OFF) SELECT segment, cohort_agg(customer, ordered_at, 'month') FROM coh_orders GROUP BY segment;
CREATE TABLE coh_grouped AS
    SELECT segment, cohort_agg(customer, ordered_at, 'month', amount)::text AS m FROM coh_orders GROUP BY segment;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups_equal
FROM coh_grouped g JOIN (SELECT segment, cohort_agg(customer, ordered_at, 'month', amount)::text AS m
                         FROM coh_orders GROUP BY segment) q USING (segment)
WHERE g.m = q.m;

-- Partitionwise aggregation over a table hashed by order id: every customer
-- has rows in every partition, and per-partition states are combined.
CREATE TABLE coh_part (order_id int, customer int, ordered_at timestamptz, amount numeric, segment int)
    PARTITION BY HASH (order_id);
CREATE TABLE coh_part_0 PARTITION OF coh_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE coh_part_1 PARTITION OF coh_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE coh_part_2 PARTITION OF coh_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO coh_part SELECT * FROM coh_orders;
ANALYZE coh_part;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT cohort_agg(customer, ordered_at, 'month') FROM coh_part;
SELECT cohort_agg(customer, ordered_at, 'month')::text = (SELECT plain FROM coh_serial) AS partitionwise_equal,
       cohort_agg(customer, ordered_at, 'week', amount)::text = (SELECT amounts FROM coh_serial) AS partitionwise_amounts_equal,
       cohort_agg(customer, ordered_at, 'quarter', amount, order_id / 3)::text = (SELECT lines FROM coh_serial) AS partitionwise_lines_equal
FROM coh_part;

-- Range partitions by time: a customer's first order is in one partition,
-- their later ones in others, so partial states disagree on the cohort.
CREATE TABLE coh_range (order_id int, customer int, ordered_at timestamptz, amount numeric, segment int)
    PARTITION BY RANGE (ordered_at);
CREATE TABLE coh_range_2023 PARTITION OF coh_range FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE coh_range_2024 PARTITION OF coh_range FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- inserted latest first, so each partition's rows also come newest first
INSERT INTO coh_range SELECT * FROM coh_orders ORDER BY ordered_at DESC;
ANALYZE coh_range;
EXPLAIN (COSTS OFF) SELECT cohort_agg(customer, ordered_at, 'month') FROM coh_range;
SELECT cohort_agg(customer, ordered_at, 'month')::text = (SELECT plain FROM coh_serial) AS by_time_equal,
       cohort_agg(customer, ordered_at, 'week', amount)::text = (SELECT amounts FROM coh_serial) AS by_time_amounts_equal,
       cohort_agg(customer, ordered_at, 'quarter', amount, order_id / 3)::text = (SELECT lines FROM coh_serial) AS by_time_lines_equal
FROM coh_range;
RESET enable_partitionwise_aggregate;

-- A partial state travels as cohort_state: it can be written out and read
-- back (hex text and binary), and combining it again gives the same matrix.
SELECT cohort_agg_final(cohort_state_in(cohort_state_out(
           cohort_agg_trans(NULL::cohort_state, 1, timestamptz '2024-05-01 10:00', 'month', 9.99))))::text;
SELECT cohort_agg_final(cohort_agg_combine(
           cohort_agg_trans(NULL::cohort_state, 1, timestamptz '2024-05-01 10:00', 'month', 9.99),
           cohort_agg_trans(NULL::cohort_state, 1, timestamptz '2024-03-01 10:00', 'month', 5.01)))::text;
-- The leader keeps the partial states as runs sorted by customer hash and
-- merges them in one pass (src/cohort_runs.c).  Customers 239755 and 261619
-- have the same 32-bit key hash, and so have 198591 and 420281: the merge
-- must still tell them apart.  Each partition of coh_collide holds every
-- order of these four customers once, so three partial states meet.  By hand,
-- monthly, 3 copies of each order:
--   239755: Jan, Jan, Mar    261619: Jan, Feb    198591: Feb, Mar    420281: Mar
--   cohort Jan: 2 customers; offset 0: 2 active, 9 orders; offset 1: 261619
--   (active before too, last); offset 2: 239755 (not active in Feb, last)
--   cohort Feb: 198591, active in Feb and Mar; cohort Mar: 420281
CREATE TABLE coh_collide (part int, customer int8, ordered_at timestamptz, amount numeric)
    PARTITION BY LIST (part);
CREATE TABLE coh_collide_0 PARTITION OF coh_collide FOR VALUES IN (0);
CREATE TABLE coh_collide_1 PARTITION OF coh_collide FOR VALUES IN (1);
CREATE TABLE coh_collide_2 PARTITION OF coh_collide FOR VALUES IN (2);
INSERT INTO coh_collide
    SELECT part, c, m, a
    FROM generate_series(0, 2) part,
         (VALUES (239755, timestamptz '2024-01-03', 1.5), (239755, '2024-01-20', 2.25),
                 (239755, '2024-03-05', 10), (261619, '2024-01-31', 7), (261619, '2024-02-01', 0.01),
                 (198591, '2024-02-10', 3), (198591, '2024-03-10', 4), (420281, '2024-03-31', 5)) v(c, m, a);
ANALYZE coh_collide;
SET enable_partitionwise_aggregate = on;
SET client_min_messages = debug1;
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders, revenue
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'month', amount) FROM coh_collide));
RESET client_min_messages;
-- the same as one plain state (no runs), and with text keys over 16 bytes
SET enable_partitionwise_aggregate = off;
CREATE TABLE coh_collide_one AS
    SELECT cohort_agg(customer, ordered_at, 'month', amount)::text AS m FROM coh_collide;
SET enable_partitionwise_aggregate = on;
SELECT cohort_agg(customer, ordered_at, 'month', amount)::text = (SELECT m FROM coh_collide_one) AS one_state_equal
FROM coh_collide;
CREATE TABLE coh_long AS
    SELECT part, 'a customer with a long name, number ' || customer AS customer, ordered_at, amount
    FROM coh_collide;
SET enable_partitionwise_aggregate = on;
SELECT cohort_agg(customer, ordered_at, 'month', amount)::text =
       (SELECT cohort_agg(customer::text, ordered_at, 'month', amount)::text FROM coh_collide) AS long_keys_equal
FROM coh_long;
RESET enable_partitionwise_aggregate;
-- a state that says its customers are in hash order must be: a state of
-- customers 1 and 2 (flags 0x03: amounts, hash order) is read back as it is,
-- but not with its two customer records (28 bytes each after the 54-byte
-- header) swapped
CREATE TABLE coh_two AS
    SELECT cohort_state_out(cohort_agg_trans(cohort_agg_trans(NULL::cohort_state, 1, timestamptz '2024-05-01', 'month', 1),
                                             2, timestamptz '2024-05-01', 'month', 1))::text AS s;
SELECT substr(s, 13, 2) AS flags, cohort_state_in(s::cstring) IS NOT NULL AS reads FROM coh_two;
SELECT cohort_state_in(('\x' || substr(s, 3, 108) || substr(s, 3 + 108 + 56, 56) || substr(s, 3 + 108, 56))::cstring)
FROM coh_two;
DROP TABLE coh_collide, coh_collide_one, coh_long, coh_two;
DROP TABLE coh_orders, coh_serial, coh_grouped, coh_part, coh_range;
RESET max_parallel_workers_per_gather;
RESET TimeZone;
