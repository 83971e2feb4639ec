-- retention_agg states that outgrow retention.max_state_memory spill to disk
-- in serial plans (src/retention_spill.c) and end with the same matrices as
-- in memory: each result is compared as text with the one stored first under
-- the default budget (1GB, everything in memory).
SET max_parallel_workers_per_gather = 0;
SET TimeZone = 'UTC';

-- 24,000 events of 4,000 actors over 200 days: integer keys and text keys
-- longer than 16 bytes, starts and returns, a few NULL actors (ignored rows)
-- and a few values with more than 8 decimals (kept as numerics).
CREATE TABLE rs_ev AS
SELECT i,
       CASE WHEN i % 997 = 0 THEN NULL ELSE (i * 7919) % 4000 END AS a,
       'actor-with-a-long-key-' || ((i * 7919) % 4000) AS ta,
       timestamptz '2024-01-01' + ((i * 104729) % 200) * interval '1 day'
         + (i % 1440) * interval '1 minute' AS t,
       i % 5 = 0 OR i % 13 = 1 AS st,
       i % 3 <> 0 AS rt,
       CASE WHEN i % 1009 = 0 THEN 1.0000000001 * i ELSE ((i * 31) % 10000) / 100.0 END AS v
FROM generate_series(1::bigint, 24000) i;

CREATE TABLE rs_mem AS
SELECT retention_agg(a, t, 'week', st, rt)::text AS week,
       retention_agg(a, t, 'month', st, rt, v)::text AS month_value,
       retention_agg(ta, t, 'day', st, rt, v)::text AS day_text,
       retention_agg(a, t, 'day', st, rt, v, retention_options(cohorts => 'recurring'))::text AS day_recurring,
       retention_agg(a, t, 'week', st, rt, v,
                     retention_options(brackets => '{1,2,4}', min_occurrences => 2, week_start => 'sunday'))::text AS week_brackets,
       retention_agg(a, t::date, 'quarter', st, rt, v)::text AS quarter_date,
       retention_agg(a, t::timestamp, 'day', st, rt)::text AS day_ts,
       retention_agg(a, t, interval '24 hours', st, rt, v)::text AS window_day,
       retention_agg(ta, t, interval '7 days', st, rt, NULL,
                     retention_options(brackets => '{1,3,7}', min_occurrences => 2))::text AS window_brackets,
       retention_agg(a, t, interval '36 hours', st, rt, v, retention_options(cohorts => 'recurring'))::text AS window_36h
FROM rs_ev;

SET retention.max_state_memory = '64kB';

-- the same matrices from states that spilled (64 kB hold a few hundred actors)
SELECT s.week = m.week AS week,
       s.month_value = m.month_value AS month_value,
       s.day_text = m.day_text AS day_text,
       s.day_recurring = m.day_recurring AS day_recurring,
       s.week_brackets = m.week_brackets AS week_brackets,
       s.quarter_date = m.quarter_date AS quarter_date,
       s.day_ts = m.day_ts AS day_ts,
       s.window_day = m.window_day AS window_day,
       s.window_brackets = m.window_brackets AS window_brackets,
       s.window_36h = m.window_36h AS window_36h
FROM (SELECT retention_agg(a, t, 'week', st, rt)::text AS week,
             retention_agg(a, t, 'month', st, rt, v)::text AS month_value,
             retention_agg(ta, t, 'day', st, rt, v)::text AS day_text,
             retention_agg(a, t, 'day', st, rt, v, retention_options(cohorts => 'recurring'))::text AS day_recurring,
             retention_agg(a, t, 'week', st, rt, v,
                           retention_options(brackets => '{1,2,4}', min_occurrences => 2, week_start => 'sunday'))::text AS week_brackets,
             retention_agg(a, t::date, 'quarter', st, rt, v)::text AS quarter_date,
             retention_agg(a, t::timestamp, 'day', st, rt)::text AS day_ts,
             retention_agg(a, t, interval '24 hours', st, rt, v)::text AS window_day,
             retention_agg(ta, t, interval '7 days', st, rt, NULL,
                           retention_options(brackets => '{1,3,7}', min_occurrences => 2))::text AS window_brackets,
             retention_agg(a, t, interval '36 hours', st, rt, v, retention_options(cohorts => 'recurring'))::text AS window_36h
      FROM rs_ev) s, rs_mem m;

-- rows in other orders: by time descending, by actor, shuffled
SELECT (SELECT retention_agg(a, t, 'week', st, rt ORDER BY t DESC)::text FROM rs_ev) = week AS week_desc,
       (SELECT retention_agg(a, t, 'day', st, rt, v, retention_options(cohorts => 'recurring') ORDER BY a, t)::text
        FROM rs_ev) = day_recurring AS recurring_by_actor,
       (SELECT retention_agg(ta, t, 'day', st, rt, v ORDER BY md5(i::text))::text FROM rs_ev) = day_text AS text_shuffled,
       (SELECT retention_agg(a, t, interval '24 hours', st, rt, v ORDER BY t DESC)::text FROM rs_ev) = window_day AS window_desc,
       (SELECT retention_agg(a, t, 'month', st, rt, v ORDER BY md5(i::text))::text FROM rs_ev) = month_value AS month_shuffled
FROM rs_mem;

-- each group's state spills on its own, under hash and sort aggregation
RESET retention.max_state_memory;
CREATE TABLE rs_groups_mem AS
SELECT i % 3 AS g, retention_agg(a, t, 'week', st, rt, v)::text AS w,
       retention_agg(a, t, interval '24 hours', st, rt)::text AS win
FROM rs_ev GROUP BY 1;
SET retention.max_state_memory = '64kB';
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT i % 3 AS g, retention_agg(a, t, 'week', st, rt, v)::text FROM rs_ev GROUP BY 1;
SELECT count(*) FILTER (WHERE q.w = r.w AND q.win = r.win) AS equal_groups, count(*) AS groups
FROM (SELECT i % 3 AS g, retention_agg(a, t, 'week', st, rt, v)::text AS w,
             retention_agg(a, t, interval '24 hours', st, rt)::text AS win
      FROM rs_ev GROUP BY 1) q JOIN rs_groups_mem r USING (g);
RESET enable_sort;
SET enable_hashagg = off;
SELECT count(*) FILTER (WHERE q.w = r.w AND q.win = r.win) AS equal_groups, count(*) AS groups
FROM (SELECT i % 3 AS g, retention_agg(a, t, 'week', st, rt, v)::text AS w,
             retention_agg(a, t, interval '24 hours', st, rt)::text AS win
      FROM rs_ev GROUP BY 1) q JOIN rs_groups_mem r USING (g);
RESET enable_hashagg;

-- recursion: 100,000 actors in 64 kB, so partitions spill again
RESET retention.max_state_memory;
CREATE TABLE rs_many_mem AS
SELECT retention_agg(i % 100000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', 'week',
                     i % 7 = 0, true, i % 100)::text AS w,
       retention_agg(i % 100000, timestamptz '2024-01-01' + (i % 97) * interval '1 hour', interval '12 hours',
                     i % 7 = 0, i % 2 = 0)::text AS win
FROM generate_series(1, 200000) i;
SET retention.max_state_memory = '64kB';
SELECT q.w = r.w AS week_equal, q.win = r.win AS window_equal
FROM (SELECT retention_agg(i % 100000, timestamptz '2024-01-01' + (i % 97) * interval '1 day', 'week',
                           i % 7 = 0, true, i % 100)::text AS w,
             retention_agg(i % 100000, timestamptz '2024-01-01' + (i % 97) * interval '1 hour', interval '12 hours',
                           i % 7 = 0, i % 2 = 0)::text AS win
      FROM generate_series(1, 200000) i) q, rs_many_mem r;

-- by hand: 3,000 actors who start on Monday 2024-01-01 and return once on
-- Jan 8 fill the 64 kB: the state spills, and the later rows of the actors in
-- memory (1 to 3 among them) no longer fit, so they go to disk too, as do all
-- of actor 4's (rows in the order of ord).  Weekly cohorts, values:
--   actor 1 starts Jan 2, returns Jan 9 (2.5) and Jan 10 (1.25): offset 1,
--     and Jan 23 (0.000000001): offset 3;
--   actor 2 starts Jan 8 09:00 with a return (5), returns Jan 8 10:00 (1):
--     offset 0, and Jan 15 (3): offset 1;
--   actor 3 returns Jan 1 (7: before its start, ignored), starts Jan 3,
--     returns Jan 4 (1): offset 0;
--   actor 4 starts Jan 16, returns Jan 29 (10): offset 2.
-- Cohort Jan 1: 3,002 members (the 3,000, actors 1 and 3), offsets 0..4 (the
-- last event is Jan 29): active 3002, 3001, 0, 1, 0; on or after 3002, 3001,
-- 1, 1, 0; values 1, 3.75, 0, 0.000000001, 0.  Cohort Jan 8 (actor 2): active
-- 1, 1, 0, 0; values 6, 3, 0, 0.  Cohort Jan 15 (actor 4): active 1, 0, 1; on
-- or after 1, 1, 1; values 0, 0, 10.  Scale 9 (the largest).
CREATE TABLE rs_hand (ord int, a int, t timestamptz, st boolean, rt boolean, v numeric);
INSERT INTO rs_hand VALUES
    (1, 1, '2024-01-02 10:00', true, false, NULL),
    (2, 2, '2024-01-08 09:00', true, true, 5),
    (3, 3, '2024-01-01 08:00', false, true, 7),
    (9001, 1, '2024-01-09 12:00', false, true, 2.5),
    (9002, 1, '2024-01-10 12:00', false, true, 1.25),
    (9003, 1, '2024-01-23 12:00', false, true, 0.000000001),
    (9004, 2, '2024-01-08 10:00', false, true, 1),
    (9005, 2, '2024-01-15 10:00', false, true, 3),
    (9006, 3, '2024-01-03 08:00', true, false, NULL),
    (9007, 3, '2024-01-04 08:00', false, true, 1),
    (9008, 4, '2024-01-16 00:00', true, false, NULL),
    (9009, 4, '2024-01-29 00:00', false, true, 10),
    (9010, NULL, '2024-02-01 00:00', true, true, 1);
INSERT INTO rs_hand SELECT 1000 + k, 1000 + k, timestamptz '2024-01-01 00:00', true, false, NULL::numeric
FROM generate_series(1, 3000) k
UNION ALL
SELECT 5000 + k, 1000 + k, '2024-01-08 00:00', false, true, NULL FROM generate_series(1, 3000) k;
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, value
FROM retention_table((SELECT retention_agg(a, t, 'week', st, rt, v ORDER BY ord) FROM rs_hand));
RESET retention.max_state_memory;
CREATE TABLE rs_hand_mem AS SELECT retention_agg(a, t, 'week', st, rt, v ORDER BY ord)::text AS m FROM rs_hand;
SET retention.max_state_memory = '64kB';
SELECT (SELECT retention_agg(a, t, 'week', st, rt, v ORDER BY ord)::text FROM rs_hand) = m AS hand_equal
FROM rs_hand_mem;

-- the spill files: none is left after the statement, after an error while
-- spilling (a small temp_file_limit), an error after the final function or in
-- a row after the state spilled, or a cancel while spilling
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
SET temp_file_limit = '64kB';
SELECT retention_agg(a, t, 'day', st, rt, v) IS NOT NULL FROM rs_ev;
RESET temp_file_limit;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
SELECT (retention_agg(a, t, 'day', st, rt, v) IS NOT NULL)::int / 0 FROM rs_ev;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
SELECT retention_agg(a, t, 'day', st, rt, v + CASE WHEN i = 20000 THEN 1 / (i - 20000) ELSE 0 END) IS NOT NULL
FROM rs_ev;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
BEGIN;
SELECT retention_agg(a, t, 'day', st, rt, v) IS NOT NULL FROM rs_ev;
SAVEPOINT a;
SELECT (retention_agg(a, t, 'day', st, rt, v) IS NOT NULL)::int / 0 FROM rs_ev;
ROLLBACK TO a;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();
COMMIT;
SET statement_timeout = '500ms';
SELECT retention_agg(i, timestamptz '2024-01-01', 'month', true, true) IS NOT NULL
FROM generate_series(1, 100000000) i;
RESET statement_timeout;
SELECT count(*) AS temp_files FROM pg_ls_tmpdir();

-- where a state cannot spill the limit stays an error (54000): a window, a
-- parallel worker's partial state
\set VERBOSITY terse
SELECT retention_agg(a, t, 'day', st, rt) OVER () IS NOT NULL FROM rs_ev LIMIT 1;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SELECT retention_agg(a, t, 'day', st, rt) IS NOT NULL FROM rs_ev;
\set VERBOSITY default
RESET ALL;
DROP TABLE rs_ev, rs_mem, rs_groups_mem, rs_many_mem, rs_hand, rs_hand_mem;
