-- A partial cohort_agg, order_stats or rfm_agg state (a parallel worker's, a
-- partition's under partitionwise aggregation), and a serial rfm_agg state,
-- log their rows and sort them into their flat form (src/key_log.c,
-- cohort_log.c, order_stats_log.c, rfm_agg_log.c); anything the log does not
-- take replays the rows into the ordinary state.  Every result here must
-- equal the serial state's, and rfm_agg's summary rfm(...) GROUP BY customer.
SET max_parallel_workers_per_gather = 0;
SET enable_partitionwise_aggregate = off;

-- hand-counted: customer 1 orders in January (1.00, 2.00) and March (3.00)
-- in partition 0, and in February (4.00) in partition 1; customer 2 in
-- February (5.00) in both partitions, and customer 3 in March (6.00) with the
-- row of a NULL customer.  January's cohort: 1 customer, active in January,
-- February and March; February's: customer 2, active in February only;
-- March's: customer 3.
CREATE TABLE cl_hand (part int, customer int, ordered_at timestamptz, amount numeric)
    PARTITION BY LIST (part);
CREATE TABLE cl_hand_0 PARTITION OF cl_hand FOR VALUES IN (0);
CREATE TABLE cl_hand_1 PARTITION OF cl_hand FOR VALUES IN (1);
CREATE TABLE cl_hand_2 PARTITION OF cl_hand FOR VALUES IN (2);
INSERT INTO cl_hand VALUES
    (0, 1, '2024-03-02', 3.00), (0, 1, '2024-01-05', 1.00), (0, 1, '2024-01-09', 2.00),
    (1, 1, '2024-02-11', 4.00), (0, 2, '2024-02-01', 2.50), (1, 2, '2024-02-20', 2.50),
    (2, 3, '2024-03-30', 6.00), (2, NULL, '2024-03-30', 7.00);
ANALYZE cl_hand;
SET enable_partitionwise_aggregate = on;
SET timezone = 'UTC';
SELECT cohort, period_offset, cohort_size, active, orders, revenue
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'month', amount) FROM cl_hand))
ORDER BY cohort, period_offset;
SELECT customers(m), ignored_rows(m)
FROM (SELECT cohort_agg(customer, ordered_at, 'month', amount) AS m FROM cl_hand) x;
-- order_stats: customers 1 (4 orders) and 2 (2 orders) ordered again, 3 did not
SELECT order_stats(customer, ordered_at, amount)::text FROM cl_hand;

-- generated: 600 customers, 6,000 orders over two years in three
-- partitions, each partition's rows out of time order; the serial state of
-- the same rows (no partitionwise aggregation) is the reference
CREATE TABLE cl_orders (part int, customer int8, ordered_at timestamptz, amount numeric)
    PARTITION BY LIST (part);
CREATE TABLE cl_orders_0 PARTITION OF cl_orders FOR VALUES IN (0);
CREATE TABLE cl_orders_1 PARTITION OF cl_orders FOR VALUES IN (1);
CREATE TABLE cl_orders_2 PARTITION OF cl_orders FOR VALUES IN (2);
INSERT INTO cl_orders
    SELECT i % 3, 1 + (i * 7919) % 600,
           timestamptz '2023-01-01' + ((i * 104729) % 730) * interval '1 day',
           round((1 + (i * 31) % 500) / 7.0, 2)
    FROM generate_series(1, 6000) i
    ORDER BY (i * 2654435761) % 6007;
ANALYZE cl_orders;
CREATE TABLE cl_serial AS
    SELECT cohort_agg(customer, ordered_at, 'month', amount)::text AS amounts,
           cohort_agg(customer, ordered_at, 'week')::text AS plain,
           cohort_agg(customer::text || ' is a customer with a long name', ordered_at, 'month', amount)::text AS long_keys,
           order_stats(customer, ordered_at, amount)::text AS stats,
           order_stats(customer::text || ' is a customer with a long name', ordered_at, amount)::text AS long_stats,
           order_stats(customer, ordered_at, amount, (customer * 1000 + extract(doy FROM ordered_at))::int)::text AS line_stats
    FROM cl_orders;
SET enable_partitionwise_aggregate = on;
SELECT cohort_agg(customer, ordered_at, 'month', amount)::text = (SELECT amounts FROM cl_serial) AS amounts_equal,
       cohort_agg(customer, ordered_at, 'week')::text = (SELECT plain FROM cl_serial) AS plain_equal,
       cohort_agg(customer::text || ' is a customer with a long name', ordered_at, 'month', amount)::text =
           (SELECT long_keys FROM cl_serial) AS long_keys_equal,
       order_stats(customer, ordered_at, amount)::text = (SELECT stats FROM cl_serial) AS stats_equal,
       order_stats(customer::text || ' is a customer with a long name', ordered_at, amount)::text =
           (SELECT long_stats FROM cl_serial) AS long_stats_equal,
       order_stats(customer, ordered_at, amount, (customer * 1000 + extract(doy FROM ordered_at))::int)::text =
           (SELECT line_stats FROM cl_serial) AS line_stats_equal
FROM cl_orders;

-- rows the log does not take: an amount with more than 8 decimals in the
-- middle of partition 1 (its state replays its rows and goes on as an
-- ordinary one), and two amounts of one customer and month whose sum
-- overflows the 64-bit units in partition 2 (found when the log is sorted)
SET enable_partitionwise_aggregate = off;
INSERT INTO cl_orders VALUES (1, 5, '2023-06-15', 0.123456789),
    (2, 100007, '2023-07-01', 90000000000), (2, 100007, '2023-07-31', 90000000000);
CREATE TABLE cl_serial2 AS
    SELECT cohort_agg(customer, ordered_at, 'month', amount)::text AS amounts FROM cl_orders;
SET enable_partitionwise_aggregate = on;
SELECT cohort_agg(customer, ordered_at, 'month', amount)::text = (SELECT amounts FROM cl_serial2) AS replayed_equal
FROM cl_orders;
SELECT revenue FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'month', amount) FROM cl_orders WHERE customer = 100007))
WHERE cohort = '2023-07-01' AND period_offset = 0;

-- a partition whose rows all have a NULL customer: its state logs no row but
-- counts them
INSERT INTO cl_orders VALUES (0, NULL, '2023-01-01', 1), (0, NULL, '2023-01-02', 1);
SELECT ignored_rows(cohort_agg(customer, ordered_at, 'month', amount)) FROM cl_orders;
SELECT ignored_rows(cohort_agg(customer, ordered_at, 'month', amount)),
       customers(cohort_agg(customer, ordered_at, 'month', amount)),
       order_stats(customer, ordered_at, amount)::text FROM cl_orders WHERE customer IS NULL;
RESET enable_partitionwise_aggregate;

-- rfm_agg, serial, partitionwise and (below) parallel: rfm_table's rows are those of
-- rfm(...) GROUP BY customer, with the rows above the log does not take (an amount
-- with 9 decimals) and two amounts of one customer and day whose sum overflows the
-- units (found when the log is sorted); hourly periods are not logged
INSERT INTO cl_orders VALUES (2, 100008, '2023-06-01', 1), (2, 100008, '2023-07-01 10:00', 90000000000),
    (2, 100008, '2023-07-01 11:00', 90000000000);
CREATE TABLE cl_rfm_queries AS
    SELECT u, format('SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_at, amount, %L) FROM cl_orders), timestamptz ''2024-06-30'', NULL::int8)', u) AS ours,
           format('SELECT customer, (r).* FROM (SELECT customer, rfm(ordered_at, amount, timestamptz ''2024-06-30'', %L) AS r FROM cl_orders WHERE customer IS NOT NULL GROUP BY customer) q WHERE r IS NOT NULL', u) AS plain
    FROM (VALUES ('day'), ('week'), ('hour')) v(u);
SELECT u, rows_diff(ours, plain) AS serial_differences FROM cl_rfm_queries ORDER BY u;
SET enable_partitionwise_aggregate = on;
SELECT u, rows_diff(ours, plain) AS partitionwise_differences FROM cl_rfm_queries ORDER BY u;
RESET enable_partitionwise_aggregate;
SELECT count(*) AS customers, sum(frequency) AS frequency, sum(monetary_value) AS monetary_value
FROM rfm_table((SELECT rfm_agg(customer, ordered_at, amount) FROM cl_orders), timestamptz '2024-06-30', NULL::int8);
SELECT customer, frequency, recency, t, monetary_value
FROM rfm_table((SELECT rfm_agg(customer, ordered_at, amount) FROM cl_orders WHERE customer = 100008), timestamptz '2024-06-30', NULL::int8);

-- a log that outgrows retention.max_state_memory is added up and freed before the
-- tables are built from it: at 64kB, 500 customers of 10 orders each in one partition
-- (a log of 5,000 rows would need 160 kB; the partial states cannot spill) give the
-- serial result, and a serial rfm_agg of 1,200 rows of 300 customers (one day each)
-- needs no spill (no DEBUG line)
CREATE TABLE cl_small (part int, customer int, ordered_at timestamptz, amount numeric)
    PARTITION BY LIST (part);
CREATE TABLE cl_small_1 PARTITION OF cl_small FOR VALUES IN (1);
CREATE TABLE cl_small_2 PARTITION OF cl_small FOR VALUES IN (2);
INSERT INTO cl_small SELECT 1, i % 500, timestamptz '2024-01-01' + (i % 90) * interval '1 day', 10
    FROM generate_series(1, 5000) i;
INSERT INTO cl_small SELECT 2, i, timestamptz '2024-01-01', 10 FROM generate_series(1, 10) i;
ANALYZE cl_small;
CREATE TABLE cl_small_serial AS SELECT order_stats(customer, ordered_at, amount)::text AS stats FROM cl_small;
SET enable_partitionwise_aggregate = on;
SET retention.max_state_memory = '64kB';
SELECT order_stats(customer, ordered_at, amount)::text = (SELECT stats FROM cl_small_serial) AS replayed_in_64kB
FROM cl_small;
RESET enable_partitionwise_aggregate;
SET client_min_messages = debug1;
SELECT customers, frequency FROM (SELECT count(*) AS customers, sum(frequency) AS frequency
    FROM rfm_table((SELECT rfm_agg(i % 300, timestamptz '2024-01-01', 1.0)
                    FROM generate_series(1, 1200) i), timestamptz '2024-02-01', NULL::int4)) x;
RESET client_min_messages;
RESET retention.max_state_memory;

-- parallel plans: a Partial Aggregate in the workers (and the leader), with
-- and without GROUP BY; revenue_agg shares the state
CREATE TABLE cl_flat AS SELECT * FROM cl_orders;
ALTER TABLE cl_flat SET (parallel_workers = 2);
ANALYZE cl_flat;
CREATE TABLE cl_flat_serial AS
    SELECT (SELECT cohort_agg(customer, ordered_at, 'month', amount)::text FROM cl_flat) AS one,
           (SELECT revenue_agg(customer, ordered_at, 'month', amount)::text FROM cl_flat) AS revenue,
           (SELECT order_stats(customer, ordered_at, amount)::text FROM cl_flat) AS stats,
           (SELECT string_agg(m, ';' ORDER BY part) FROM
              (SELECT part, cohort_agg(customer, ordered_at, 'quarter', amount)::text AS m
               FROM cl_flat GROUP BY part) g) AS grouped;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT (SELECT cohort_agg(customer, ordered_at, 'month', amount)::text FROM cl_flat) = one AS parallel_equal,
       (SELECT revenue_agg(customer, ordered_at, 'month', amount)::text FROM cl_flat) = revenue AS revenue_equal,
       (SELECT order_stats(customer, ordered_at, amount)::text FROM cl_flat) = stats AS stats_equal,
       (SELECT string_agg(m, ';' ORDER BY part) FROM
          (SELECT part, cohort_agg(customer, ordered_at, 'quarter', amount)::text AS m
           FROM cl_flat GROUP BY part) g) = grouped AS grouped_equal
FROM cl_flat_serial;
SELECT u, rows_diff(replace(ours, 'cl_orders', 'cl_flat'), replace(plain, 'cl_orders', 'cl_flat')) AS parallel_differences
FROM cl_rfm_queries ORDER BY u;
-- the plan is a parallel one
EXPLAIN (COSTS OFF) SELECT cohort_agg(customer, ordered_at, 'month', amount) FROM cl_flat;
RESET ALL;
DROP TABLE cl_small, cl_small_serial, cl_hand, cl_orders, cl_serial, cl_serial2, cl_flat, cl_flat_serial, cl_rfm_queries;
