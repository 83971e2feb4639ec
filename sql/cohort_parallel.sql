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
DROP TABLE coh_orders, coh_serial, coh_grouped, coh_part, coh_range;
RESET max_parallel_workers_per_gather;
RESET TimeZone;
