-- revenue_agg and rfm_agg spill to disk too (serial plans) when their states
-- outgrow retention.max_state_memory, and end with the values of memory:
-- revenue_agg's matrix compared as text with that of the default budget (1GB,
-- everything in memory), rfm_agg's summary through rfm_table's rows (the same
-- set; a spilled summary lists its customers in another order) and its size.
SET max_parallel_workers_per_gather = 0;
SET TimeZone = 'UTC';

-- 20,000 orders of 5,000 customers over a year; integer keys and text keys
-- longer than 16 bytes; rows with NULL customers (ignored rows), NULL amounts,
-- amounts with more than 8 decimals (kept aside as numerics), refunds
CREATE TABLE sm_orders AS
SELECT i,
       CASE WHEN i % 997 = 0 THEN NULL ELSE (i * 7919) % 5000 END AS c,
       'customer-with-a-long-key-' || ((i * 7919) % 5000) AS tc,
       timestamptz '2024-01-01' + ((i * 104729) % 365) * interval '1 day'
         + (i % 1440) * interval '1 minute' AS t,
       CASE WHEN i % 1009 = 0 THEN 1.0000000001
            WHEN i % 1013 = 0 THEN NULL
            ELSE ((i * 31) % 10000) / 100.0 - 10 END AS amt
FROM generate_series(1, 20000) i;

-- rfm_table's rows of a summary as one sorted text
CREATE FUNCTION sm_rows(s rfm_agg_state) RETURNS text LANGUAGE sql AS
$$ SELECT string_agg(r::text, ';' ORDER BY r::text)
   FROM rfm_table(s, timestamptz '2025-06-30', NULL::int) r $$;
CREATE FUNCTION sm_rows_text(s rfm_agg_state) RETURNS text LANGUAGE sql AS
$$ SELECT string_agg(r::text, ';' ORDER BY r::text)
   FROM rfm_table(s, timestamptz '2025-06-30', 'week', NULL::text) r $$;

CREATE FUNCTION sm_rows_hour(s rfm_agg_state) RETURNS text LANGUAGE sql AS
$$ SELECT string_agg(r::text, ';' ORDER BY r::text)
   FROM rfm_table(s, timestamptz '2024-03-31', 'hour', NULL::int) r $$;

CREATE TABLE sm_mem AS
SELECT revenue_agg(c, t, 'month', amt)::text AS rev_int,
       revenue_agg(tc, t, 'week', amt)::text AS rev_text,
       revenue_agg(c, t::date, 'quarter', amt::float8)::text AS rev_date,
       rfm_agg(c, t, amt) AS rfm_int,
       rfm_agg(tc, t, amt, 'week') AS rfm_text
FROM sm_orders;
SELECT (SELECT count(*) FROM rfm_table(rfm_int, timestamptz '2025-06-30', NULL::int)) AS customers,
       length(sm_rows(rfm_int)) > 0 AS has_rows
FROM sm_mem;

SET retention.max_state_memory = '64kB';

-- the same values from states that spilled (64 kB hold a few hundred customers)
CREATE TABLE sm_spilled AS
SELECT revenue_agg(c, t, 'month', amt)::text AS rev_int,
       revenue_agg(tc, t, 'week', amt)::text AS rev_text,
       revenue_agg(c, t::date, 'quarter', amt::float8)::text AS rev_date,
       rfm_agg(c, t, amt) AS rfm_int,
       rfm_agg(tc, t, amt, 'week') AS rfm_text
FROM sm_orders;
SELECT s.rev_int = m.rev_int AS rev_int,
       s.rev_text = m.rev_text AS rev_text,
       s.rev_date = m.rev_date AS rev_date,
       sm_rows(s.rfm_int) = sm_rows(m.rfm_int) AS rfm_int,
       sm_rows_text(s.rfm_text) = sm_rows_text(m.rfm_text) AS rfm_text,
       -- every customer once with its cells: the same size, the same header
       octet_length(s.rfm_int::text) = octet_length(m.rfm_int::text) AS rfm_int_size,
       octet_length(s.rfm_text::text) = octet_length(m.rfm_text::text) AS rfm_text_size,
       substr(s.rfm_int::text, 1, 60) = substr(m.rfm_int::text, 1, 60) AS rfm_int_header,
       substr(s.rfm_text::text, 1, 60) = substr(m.rfm_text::text, 1, 60) AS rfm_text_header,
       -- not in first-seen order (the customers of the partitions come last): a spill happened
       s.rfm_int::text <> m.rfm_int::text AS rfm_order_differs
FROM sm_spilled s, sm_mem m;
-- read back with every check (a customer twice would be an error); reading
-- makes a state, which needs more than 64 kB
RESET retention.max_state_memory;
SELECT (rfm_int::text)::rfm_agg_state IS NOT NULL AS rfm_int_valid,
       (rfm_text::text)::rfm_agg_state IS NOT NULL AS rfm_text_valid
FROM sm_spilled;
SET retention.max_state_memory = '64kB';

-- rows in any order: sorted by time descending, by customer
SELECT (SELECT revenue_agg(c, t, 'month', amt ORDER BY t DESC)::text FROM sm_orders) = rev_int AS rev_time_desc,
       (SELECT revenue_agg(tc, t, 'week', amt ORDER BY tc, t)::text FROM sm_orders) = rev_text AS rev_customer,
       (SELECT sm_rows(rfm_agg(c, t, amt ORDER BY t DESC)) FROM sm_orders) = sm_rows(rfm_int) AS rfm_time_desc,
       (SELECT sm_rows_text(rfm_agg(tc, t, amt, 'week' ORDER BY tc DESC)) FROM sm_orders) = sm_rows_text(rfm_text) AS rfm_customer
FROM sm_mem;

-- each group's state spills on its own, under hash and sort aggregation
RESET retention.max_state_memory;
CREATE TABLE sm_groups_mem AS
SELECT i % 3 AS g, revenue_agg(c, t, 'month', amt)::text AS rev, sm_rows(rfm_agg(c, t, amt)) AS rfm
FROM sm_orders GROUP BY 1;
SET retention.max_state_memory = '64kB';
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT i % 3 AS g, revenue_agg(c, t, 'month', amt)::text, sm_rows(rfm_agg(c, t, amt)) FROM sm_orders GROUP BY 1;
SELECT count(*) FILTER (WHERE q.rev = r.rev AND q.rfm = r.rfm) AS equal_groups, count(*) AS groups
FROM (SELECT i % 3 AS g, revenue_agg(c, t, 'month', amt)::text AS rev, sm_rows(rfm_agg(c, t, amt)) AS rfm
      FROM sm_orders GROUP BY 1) q JOIN sm_groups_mem r USING (g);
RESET enable_sort;
SET enable_hashagg = off;
SELECT count(*) FILTER (WHERE q.rev = r.rev AND q.rfm = r.rfm) AS equal_groups, count(*) AS groups
FROM (SELECT i % 3 AS g, revenue_agg(c, t, 'month', amt)::text AS rev, sm_rows(rfm_agg(c, t, amt)) AS rfm
      FROM sm_orders GROUP BY 1) q JOIN sm_groups_mem r USING (g);
RESET enable_hashagg;

-- recursion: 200,000 customers in 64 kB, so partitions spill again
RESET retention.max_state_memory;
CREATE TABLE sm_many_mem AS
SELECT revenue_agg(i % 200000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', 'week', i % 100)::text AS rev,
       sm_rows(rfm_agg(i % 200000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', (i % 100) / 7.0)) AS rfm
FROM generate_series(1, 300000) i;
SET retention.max_state_memory = '64kB';
SELECT q.rev = r.rev AS revenue_equal, q.rfm = r.rfm AS rfm_equal
FROM (SELECT revenue_agg(i % 200000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', 'week', i % 100)::text AS rev,
             sm_rows(rfm_agg(i % 200000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', (i % 100) / 7.0)) AS rfm
      FROM generate_series(1, 300000) i) q, sm_many_mem r;

-- by hand: three customers after 3,000 others (one order each on
-- 2023-12-01, which fill the 64 kB), so that all their rows go to disk.
-- Customer 1 buys 1.00 every hour for 30 hours from 2024-01-01 00:00;
-- customer 2 10.00 on 2024-01-01 00:00, 5.50 on 2024-01-03 00:00 and 2.25 on
-- 2024-01-03 00:30; customer 3 7.00 on 2024-01-02 12:00; and a row has a NULL
-- customer.  In hours, to 2024-03-31 00:00 (2,160 hours after 2024-01-01):
--   1: frequency 29, recency 29, t 2160, monetary 29.00 / 29 = 1
--   2: frequency 1 (2024-01-03 00:00 and 00:30 are one hour), recency 48,
--      t 2160, monetary (5.50 + 2.25) / 1 = 7.75
--   3: frequency 0, recency 0, t 2160 - 36 = 2124, monetary 0
RESET retention.max_state_memory;
CREATE TABLE sm_three AS
SELECT 1000 + k AS c, timestamptz '2023-12-01' AS t, 1.00 AS amt FROM generate_series(1, 3000) k
UNION ALL
SELECT 1, timestamptz '2024-01-01' + h * interval '1 hour', 1.00 FROM generate_series(0, 29) h
UNION ALL VALUES (2, timestamptz '2024-01-01', 10.00), (2, '2024-01-03', 5.50), (2, '2024-01-03 00:30', 2.25),
                 (3, '2024-01-02 12:00', 7.00), (NULL, '2024-01-02', 1.00);
CREATE TABLE sm_three_mem AS SELECT rfm_agg(c, t, amt, 'hour' ORDER BY t, c) AS s FROM sm_three;
SET retention.max_state_memory = '64kB';
CREATE TABLE sm_three_spilled AS SELECT rfm_agg(c, t, amt, 'hour' ORDER BY t, c) AS s FROM sm_three;
SELECT * FROM rfm_table((SELECT s FROM sm_three_spilled), '2024-03-31', 'hour', NULL::int)
WHERE customer < 1000 ORDER BY customer;
SELECT sm_rows_hour(m.s) = sm_rows_hour(s.s) AS same_rows,
       octet_length(m.s::text) = octet_length(s.s::text) AS same_size,
       m.s::text <> s.s::text AS spilled
FROM sm_three_mem m, sm_three_spilled s;
-- rfm per customer agrees
SELECT c, (rfm(t, amt, '2024-03-31', 'hour')).* FROM sm_three WHERE c < 1000 GROUP BY c ORDER BY c;

-- the spill files: a spill happened (a small temp_file_limit stops it with
-- PostgreSQL's own error), and no file is left after the statement, after an
-- error after spilling, or after a cancel while spilling
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
SET temp_file_limit = '64kB';
SELECT revenue_agg(c, t, 'month', amt) IS NOT NULL FROM sm_orders;
SELECT rfm_agg(tc, t, amt) IS NOT NULL FROM sm_orders;
RESET temp_file_limit;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
-- an error in a row after the state spilled
SELECT rfm_agg(c, t + CASE WHEN i = 19000 THEN 1 / (i - 19000) ELSE 0 END * interval '1 day', amt) IS NOT NULL
FROM sm_orders;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
SELECT revenue_agg(c, t, 'month', amt + CASE WHEN i = 19000 THEN 1 / (i - 19000) ELSE 0 END) IS NOT NULL
FROM sm_orders;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
-- cancel while spilling
SET statement_timeout = '500ms';
SELECT rfm_agg(i, timestamptz '2024-01-01', 1.0) IS NOT NULL FROM generate_series(1, 100000000) i;
SELECT revenue_agg(i, timestamptz '2024-01-01', 'month', 1.0) IS NOT NULL FROM generate_series(1, 100000000) i;
RESET statement_timeout;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();

-- where a state cannot spill the limit stays an error (54000): a window, a
-- parallel worker's partial state
\set VERBOSITY terse
SELECT rfm_agg(c, t, amt) OVER () IS NOT NULL FROM sm_orders LIMIT 1;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SELECT rfm_agg(c, t, amt) IS NOT NULL FROM sm_orders;
\set VERBOSITY default
RESET ALL;
DROP TABLE sm_orders, sm_mem, sm_spilled, sm_groups_mem, sm_many_mem, sm_three, sm_three_mem, sm_three_spilled;
DROP FUNCTION sm_rows(rfm_agg_state), sm_rows_text(rfm_agg_state), sm_rows_hour(rfm_agg_state);
