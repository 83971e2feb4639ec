-- States that outgrow retention.max_state_memory spill to disk instead of
-- failing (cohort_agg and order_stats whose rows are orders, serial plans),
-- and end with the same values as in memory.  The results are compared as
-- text with those of the default budget (1GB, everything in memory).
SET max_parallel_workers_per_gather = 0;
SET TimeZone = 'UTC';

-- 20,000 orders of 5,000 customers over a year; integer keys and text keys
-- longer than 16 bytes; a few rows with NULL customers (ignored rows) and a
-- few amounts with more than 8 decimals (kept aside as numerics).
CREATE TABLE sp_orders AS
SELECT i,
       CASE WHEN i % 997 = 0 THEN NULL ELSE (i * 7919) % 5000 END AS c,
       'customer-with-a-long-key-' || ((i * 7919) % 5000) AS tc,
       timestamptz '2024-01-01' + ((i * 104729) % 365) * interval '1 day'
         + (i % 1440) * interval '1 minute' AS t,
       CASE WHEN i % 1009 = 0 THEN 1.0000000001 ELSE ((i * 31) % 10000) / 100.0 END AS amt
FROM generate_series(1, 20000) i;

CREATE TABLE sp_mem AS
SELECT cohort_agg(c, t, 'month', amt)::text AS cohort_int,
       cohort_agg(tc, t, 'month', amt)::text AS cohort_text,
       cohort_agg(c, t, 'month')::text AS cohort_noamount,
       cohort_agg(c, t::date, 'quarter', amt::float8)::text AS cohort_date,
       order_stats(c, t, amt)::text AS stats_int,
       order_stats(tc, t, amt)::text AS stats_text
FROM sp_orders;

SELECT min_val FROM pg_settings WHERE name = 'retention.max_state_memory';
SET retention.max_state_memory = '64kB';

-- the same values from states that spilled (64 kB hold a few hundred customers)
SELECT s.cohort_int = m.cohort_int AS cohort_int,
       s.cohort_text = m.cohort_text AS cohort_text,
       s.cohort_noamount = m.cohort_noamount AS cohort_noamount,
       s.cohort_date = m.cohort_date AS cohort_date,
       s.stats_int = m.stats_int AS stats_int,
       s.stats_text = m.stats_text AS stats_text
FROM (SELECT cohort_agg(c, t, 'month', amt)::text AS cohort_int,
             cohort_agg(tc, t, 'month', amt)::text AS cohort_text,
             cohort_agg(c, t, 'month')::text AS cohort_noamount,
             cohort_agg(c, t::date, 'quarter', amt::float8)::text AS cohort_date,
             order_stats(c, t, amt)::text AS stats_int,
             order_stats(tc, t, amt)::text AS stats_text
      FROM sp_orders) s, sp_mem m;

-- rows in any order: sorted by time descending, by customer
SELECT (SELECT cohort_agg(c, t, 'month', amt ORDER BY t DESC)::text FROM sp_orders) = cohort_int,
       (SELECT cohort_agg(c, t, 'month', amt ORDER BY c, t)::text FROM sp_orders) = cohort_int,
       (SELECT order_stats(tc, t, amt ORDER BY tc DESC)::text FROM sp_orders) = stats_text
FROM sp_mem;

-- each group's state spills on its own, under hash and sort aggregation
CREATE TABLE sp_groups_mem AS
SELECT i % 3 AS g, cohort_agg(c, t, 'month', amt)::text AS m, order_stats(c, t, amt)::text AS s
FROM sp_orders GROUP BY 1;
RESET retention.max_state_memory;
TRUNCATE sp_groups_mem;
INSERT INTO sp_groups_mem
SELECT i % 3, cohort_agg(c, t, 'month', amt)::text, order_stats(c, t, amt)::text
FROM sp_orders GROUP BY 1;
SET retention.max_state_memory = '64kB';
SET enable_sort = off;
SELECT count(*) FILTER (WHERE q.m = r.m AND q.s = r.s) AS equal_groups, count(*) AS groups
FROM (SELECT i % 3 AS g, cohort_agg(c, t, 'month', amt)::text AS m, order_stats(c, t, amt)::text AS s
      FROM sp_orders GROUP BY 1) q JOIN sp_groups_mem r USING (g);
RESET enable_sort;
SET enable_hashagg = off;
SELECT count(*) FILTER (WHERE q.m = r.m AND q.s = r.s) AS equal_groups, count(*) AS groups
FROM (SELECT i % 3 AS g, cohort_agg(c, t, 'month', amt)::text AS m, order_stats(c, t, amt)::text AS s
      FROM sp_orders GROUP BY 1) q JOIN sp_groups_mem r USING (g);
RESET enable_hashagg;

-- a hash aggregate rescanned without new parameters (the inner side of a
-- nested loop) finalizes the same spilled states again: same values each time
CREATE TABLE sp_loops AS SELECT generate_series(1, 3) AS x;
ANALYZE sp_loops, sp_orders;
SET enable_material = off;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT l.x, q.g
FROM sp_loops l, (SELECT i % 3 AS g, cohort_agg(c, t, 'month', amt)::text AS m, order_stats(c, t, amt)::text AS s
                  FROM sp_orders GROUP BY 1) q
WHERE q.g <> l.x + 10;
SELECT count(*) FILTER (WHERE j.m = r.m AND j.s = r.s) AS equal_finals, count(*) AS finals
FROM (SELECT l.x, q.*
      FROM sp_loops l, (SELECT i % 3 AS g, cohort_agg(c, t, 'month', amt)::text AS m, order_stats(c, t, amt)::text AS s
                        FROM sp_orders GROUP BY 1) q
      WHERE q.g <> l.x + 10 OFFSET 0) j JOIN sp_groups_mem r USING (g);
RESET enable_material;
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_sort;

-- recursion: 200,000 customers in 64 kB, so partitions spill again
RESET retention.max_state_memory;
CREATE TABLE sp_many_mem AS
SELECT cohort_agg(i % 200000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', 'week', i % 100)::text AS m,
       order_stats(i % 200000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', i % 100)::text AS s
FROM generate_series(1, 300000) i;
SET retention.max_state_memory = '64kB';
SELECT q.m = r.m AS cohort_equal, q.s = r.s AS order_stats_equal
FROM (SELECT cohort_agg(i % 200000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', 'week', i % 100)::text AS m,
             order_stats(i % 200000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', i % 100)::text AS s
      FROM generate_series(1, 300000) i) q, sp_many_mem r;

-- few rows on disk: at 256 kB a state holds 2,048 customers; the 2,049th
-- spills, then customer 1's later days no longer fit and go to its file too
-- (its customers in memory are counted with the partitions), so most of the
-- 8 partitions have no file, yet their customers in memory count
RESET retention.max_state_memory;
CREATE TABLE sp_few AS
SELECT i AS ord, i AS c, timestamptz '2024-01-01' AS t FROM generate_series(1, 2049) i
UNION ALL
SELECT 100000 + k, 1, timestamptz '2024-01-01' + k * interval '1 day' FROM generate_series(1, 10) k;
CREATE TABLE sp_few_mem AS
SELECT cohort_agg(c, t, 'day', ord ORDER BY ord)::text AS m FROM sp_few;
SET retention.max_state_memory = '256kB';
SELECT customers(s.m) AS customers, s.m::text = f.m AS cohort_equal
FROM (SELECT cohort_agg(c, t, 'day', ord ORDER BY ord) AS m FROM sp_few) s, sp_few_mem f;
SET retention.max_state_memory = '64kB';

-- the spill files: a spill happened (a small temp_file_limit stops it with
-- PostgreSQL's own error), and no file is left after the statement, after an
-- error after spilling, or after a cancel while spilling
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
SET temp_file_limit = '64kB';
SELECT customers(cohort_agg(c, t, 'month', amt)) FROM sp_orders;
SELECT customers(order_stats(tc, t, amt)) FROM sp_orders;
RESET temp_file_limit;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
-- an error in a later expression, after the final function
SELECT customers(cohort_agg(c, t, 'month', amt)) / 0 FROM sp_orders;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
-- an error in a row after the state spilled
SELECT customers(order_stats(c, t + CASE WHEN i = 19000 THEN 1 / (i - 19000) ELSE 0 END * interval '1 day', amt))
FROM sp_orders;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
-- in a transaction that goes on, and in a subtransaction rolled back
BEGIN;
SELECT customers(cohort_agg(c, t, 'month', amt)) FROM sp_orders;
SAVEPOINT a;
SELECT customers(cohort_agg(c, t, 'month', amt)) / 0 FROM sp_orders;
ROLLBACK TO a;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
COMMIT;
-- cancel while spilling
SET statement_timeout = '500ms';
SELECT customers(cohort_agg(i, timestamptz '2024-01-01', 'month', 1.0)) FROM generate_series(1, 100000000) i;
RESET statement_timeout;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();

-- where a state cannot spill the limit stays an error (54000): the order-lines
-- form, a window (revenue_agg's too; it spills elsewhere, sql/spill_more.sql),
-- a parallel worker's partial state
\set VERBOSITY terse
SELECT customers(order_stats(c, t, amt, i)) FROM sp_orders;
SELECT customers(cohort_agg(c, t, 'month', amt, i)) FROM sp_orders;
SELECT revenue_agg(c, t, 'month', amt) OVER () IS NOT NULL FROM sp_orders LIMIT 1;
SELECT customers(cohort_agg(c, t, 'month', amt) OVER ()) FROM sp_orders LIMIT 1;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SELECT customers(order_stats(c, t, amt)) FROM sp_orders;
\set VERBOSITY default
RESET ALL;
DROP TABLE sp_orders, sp_mem, sp_groups_mem, sp_many_mem, sp_few, sp_few_mem, sp_loops;
