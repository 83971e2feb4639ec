-- rfm under parallel, partitionwise, sort-based and spilling plans gives exactly the
-- serial result, although one customer's rows (and so their first period) land in
-- several partial states that rfm_combine merges. Rows come in a scrambled order, times
-- spread over two years, amounts with up to 3 decimals, some NULL times and amounts.
-- Groups are customers (3001, about ten orders each) and segments (5 groups of about
-- 6000 orders, hundreds of distinct periods: large states to merge).
SET TimeZone = 'Europe/Bucharest';
CREATE TABLE rp_orders AS
    SELECT i AS order_id, (i::int8 * 7919) % 3001 AS customer,
           CASE WHEN i % 101 = 0 THEN NULL
                ELSE timestamptz '2023-01-01' + (i::int8 * 104729 % 1051200) * interval '1 minute' END AS ordered_at,
           CASE WHEN i % 53 = 0 THEN NULL
                ELSE ((i * 31) % 20000) / 100.0 - 20 + CASE WHEN i % 97 = 0 THEN 0.001 ELSE 0 END END AS amount,
           (i::int8 * 7919) % 3001 % 5 AS segment
    FROM generate_series(1, 30000) i;
ANALYZE rp_orders;

-- rp_query(rel, grp, extra): the summaries of every unit per group, as text
CREATE FUNCTION rp_query(rel text, grp text, extra text DEFAULT '') RETURNS text LANGUAGE sql AS $$
    SELECT format($q$SELECT %2$s AS grp,
                            rfm(ordered_at, amount, '2024-06-30 12:00' %3$s)::text AS day,
                            rfm(ordered_at, amount, '2024-06-30 12:00', 'week' %3$s)::text AS week,
                            rfm(ordered_at, amount, '2024-06-30 12:00', 'month' %3$s)::text AS month,
                            rfm(ordered_at, amount, '2024-06-30 12:00', 'hour' %3$s)::text AS hour
                     FROM %1$s GROUP BY 1$q$, rel, grp, extra)
$$;
CREATE TABLE rp_serial (grp int8, day text, week text, month text, hour text);
-- the serial results: per customer and per segment (segments numbered -1 .. -5)
DO $$ BEGIN
    EXECUTE 'INSERT INTO rp_serial ' || rp_query('rp_orders', 'customer');
    EXECUTE 'INSERT INTO rp_serial ' || rp_query('rp_orders', '-1 - segment');
END $$;
-- they are not trivial: customers of up to ten repeat days, some first buying after the
-- end (NULL); segments of hundreds of periods
SELECT grp < 0 AS segments, count(*) AS groups, count(*) FILTER (WHERE day IS NULL) AS null_groups,
       max(split_part(trim(both '()' FROM day), ',', 1)::int) AS max_frequency,
       max(split_part(trim(both '()' FROM hour), ',', 1)::int) AS max_hour_frequency
FROM rp_serial GROUP BY 1 ORDER BY 1;
-- rows of rp_serial that the query over rel (per customer and per segment) does not give
CREATE FUNCTION rp_mismatches(rel text, extra text DEFAULT '') RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((SELECT * FROM rp_serial) EXCEPT ALL ((%s) UNION ALL (%s))) x',
                   rp_query(rel, 'customer', extra), rp_query(rel, '-1 - segment', extra)) INTO n;
    RETURN n;
END $$;

-- Forced parallel: partial states per worker, merged by the leader
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT customer, rfm(ordered_at, amount, '2024-06-30 12:00') FROM rp_orders GROUP BY customer;
SELECT rp_mismatches('rp_orders') AS parallel_mismatches;
-- one group over the whole table: every worker's state holds rows of one customer
EXPLAIN (COSTS OFF) SELECT rfm(ordered_at, amount, '2024-06-30 12:00') FROM rp_orders;
CREATE TABLE rp_whole AS
    SELECT rfm(ordered_at, amount, '2024-06-30 12:00', 'hour')::text AS r FROM rp_orders WHERE customer = 17;
SELECT rfm(ordered_at, amount, '2024-06-30 12:00', 'hour')::text = (SELECT r FROM rp_whole) AS whole_table_equal
FROM rp_orders WHERE customer = 17;
-- the leader does no scanning: every row goes through a worker's partial state
SET parallel_leader_participation = off;
SELECT rp_mismatches('rp_orders') AS workers_only_mismatches;
RESET parallel_leader_participation;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;

-- Sort-based grouping (each customer's rows in the sort's order) and a hash aggregate
-- that spills to disk
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT customer, rfm(ordered_at, amount, '2024-06-30 12:00') FROM rp_orders GROUP BY customer;
SELECT rp_mismatches('rp_orders') AS sorted_mismatches;
RESET enable_hashagg;
SET work_mem = '64kB';
SET enable_sort = off;
SELECT rp_mismatches('rp_orders') AS spilled_mismatches;
RESET enable_sort;
RESET work_mem;
-- rows fed in time order, reversed, and by amount
SELECT rp_mismatches('rp_orders', 'ORDER BY ordered_at') AS time_order_mismatches,
       rp_mismatches('rp_orders', 'ORDER BY ordered_at DESC') AS reversed_mismatches,
       rp_mismatches('rp_orders', 'ORDER BY amount, order_id') AS amount_order_mismatches;

-- Partitionwise aggregation over a table hashed by order id: every customer has rows in
-- every partition, and the per-partition states are combined (the planner aggregates
-- per partition for the segments: few groups)
CREATE TABLE rp_part (order_id int, customer int8, ordered_at timestamptz, amount numeric, segment int)
    PARTITION BY HASH (order_id);
CREATE TABLE rp_part_0 PARTITION OF rp_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE rp_part_1 PARTITION OF rp_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE rp_part_2 PARTITION OF rp_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO rp_part SELECT * FROM rp_orders;
ANALYZE rp_part;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT segment, rfm(ordered_at, amount, '2024-06-30 12:00') FROM rp_part GROUP BY segment;
SELECT rp_mismatches('rp_part') AS partitionwise_mismatches;

-- Range partitions by time: a customer's first order is in one partition, the later
-- ones in others, so the partial states disagree on the first period (and the later
-- partitions' first periods become repeat periods when merged).
CREATE TABLE rp_range (order_id int, customer int8, ordered_at timestamptz, amount numeric, segment int)
    PARTITION BY RANGE (ordered_at);
CREATE TABLE rp_range_2023 PARTITION OF rp_range FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE rp_range_2024 PARTITION OF rp_range FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE rp_range_null PARTITION OF rp_range DEFAULT;
-- inserted latest first, so each partition's rows also come newest first
INSERT INTO rp_range SELECT * FROM rp_orders ORDER BY ordered_at DESC;
ANALYZE rp_range;
EXPLAIN (COSTS OFF) SELECT customer, rfm(ordered_at, amount, '2024-06-30 12:00') FROM rp_range GROUP BY customer;
SELECT rp_mismatches('rp_range') AS by_time_mismatches;
-- and in parallel over the partitions
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT rp_mismatches('rp_range') AS by_time_parallel_mismatches;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET enable_partitionwise_aggregate;

-- timestamp and date inputs under a parallel plan
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
CREATE TABLE rp_wall AS
    SELECT customer, rfm(ordered_at AT TIME ZONE 'UTC', amount, timestamp '2024-06-30 12:00', 'hour')::text AS ts,
           rfm(ordered_at::date, amount, date '2024-06-30', 'week')::text AS d
    FROM rp_orders GROUP BY customer;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS wall_clock_mismatches
FROM ((SELECT * FROM rp_wall) EXCEPT ALL
      (SELECT customer, rfm(ordered_at AT TIME ZONE 'UTC', amount, timestamp '2024-06-30 12:00', 'hour')::text,
              rfm(ordered_at::date, amount, date '2024-06-30', 'week')::text
       FROM rp_orders GROUP BY customer)) x;

DROP TABLE rp_orders, rp_serial, rp_whole, rp_part, rp_range, rp_wall;
DROP FUNCTION rp_mismatches(text, text), rp_query(text, text, text);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET TimeZone;
