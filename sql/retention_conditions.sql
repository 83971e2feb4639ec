-- retention(cond1, cond2, ...): ClickHouse's conversion flags.
--   element 1 = some row of the group had cond1 true
--   element k = some row had cond1 true AND some row had condk true
-- A row with a NULL condition (or a NULL VARIADIC array) is ignored.  A group
-- without any row with a non-NULL condition array gives NULL (the number of
-- conditions is unknown); a group whose rows all had a NULL condition gives
-- all false.

------------------------------------------------------------------------------
-- ClickHouse's documented example (sql-reference/aggregate-functions/
-- parametric-functions, "retention"): uids 0..4 visit on 2020-01-01, 0..9 on
-- 01-02, 0..14 on 01-03.  Only uids 0..4 have cond1; they also have cond2 and
-- cond3: [1,1,1]; uids 5..14 lack cond1: [0,0,0].  Sums 5, 5, 5.
------------------------------------------------------------------------------
CREATE TABLE retention_test(date date, uid int4);
INSERT INTO retention_test SELECT '2020-01-01', number FROM generate_series(0, 4) number;
INSERT INTO retention_test SELECT '2020-01-02', number FROM generate_series(0, 9) number;
INSERT INTO retention_test SELECT '2020-01-03', number FROM generate_series(0, 14) number;
SELECT
    uid,
    retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
FROM retention_test
WHERE date IN ('2020-01-01', '2020-01-02', '2020-01-03')
GROUP BY uid
ORDER BY uid ASC;
SELECT
    sum(r[1]::int) AS r1,
    sum(r[2]::int) AS r2,
    sum(r[3]::int) AS r3
FROM
(
    SELECT
        uid,
        retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
    FROM retention_test
    WHERE date IN ('2020-01-01', '2020-01-02', '2020-01-03')
    GROUP BY uid
) q;
-- returning to 01-03 from 01-02 instead: uids 0..9 have cond1, all come back
SELECT sum(r[1]::int) AS r1, sum(r[2]::int) AS r2, count(*) AS uids
FROM (SELECT uid, retention(date = '2020-01-02', date = '2020-01-03') AS r
      FROM retention_test GROUP BY uid) q;
-- one condition: element 1 only; 15 uids, 10 of them visited on 01-02
SELECT count(*) FILTER (WHERE r = '{t}') AS t, count(*) FILTER (WHERE r = '{f}') AS f
FROM (SELECT uid, retention(date = '2020-01-02') AS r FROM retention_test GROUP BY uid) q;

------------------------------------------------------------------------------
-- The conditions may hold on different rows; without cond1 all is false
------------------------------------------------------------------------------
CREATE TABLE rc_events (g int, c1 bool, c2 bool, c3 bool);
INSERT INTO rc_events VALUES
    (1, true, false, false), (1, false, false, true),   -- {t,f,t}
    (2, false, true, true),  (2, false, true, false),   -- no cond1: {f,f,f}
    (3, true, true, true),                              -- {t,t,t}
    (4, false, false, false),                           -- {f,f,f}
    (5, true, NULL, false),  (5, false, true, true),    -- NULL row ignored: {f,f,f}
    (6, NULL, NULL, NULL),                              -- only ignored rows: {f,f,f}
    (7, true, false, false), (7, NULL, true, true);     -- NULL row ignored: {t,f,f}
SELECT g, retention(c1, c2, c3) FROM rc_events GROUP BY g ORDER BY g;
-- the same with sorted and with hashed grouping
SET enable_hashagg = off;
SELECT g, retention(c1, c2, c3) FROM rc_events GROUP BY g ORDER BY g;
RESET enable_hashagg;
SET enable_sort = off;
SELECT g, retention(c1, c2, c3) FROM rc_events GROUP BY g ORDER BY g;
RESET enable_sort;
-- ungrouped: over all rows cond1, cond2 and cond3 each hold somewhere
SELECT retention(c1, c2, c3) FROM rc_events;
-- as a window function (the final function runs after every row)
SELECT d, retention(d >= 1, d >= 2, d = 3) OVER (ORDER BY d) FROM generate_series(0, 3) d;

------------------------------------------------------------------------------
-- NULL arrays and empty input
------------------------------------------------------------------------------
-- no row at all: NULL (the number of conditions is unknown)
SELECT retention(c1, c2) IS NULL AS is_null FROM rc_events WHERE false;
SELECT retention(true, false) IS NULL AS is_null WHERE false;
-- only NULL arrays (VARIADIC NULL): NULL
SELECT retention(VARIADIC NULL::boolean[]) IS NULL AS is_null;
SELECT retention(VARIADIC CASE WHEN g > 0 THEN NULL ELSE ARRAY[c1, c2] END) IS NULL AS is_null FROM rc_events;
-- NULL arrays among others are skipped, before and after the first counted row
SELECT retention(VARIADIC a)
FROM (VALUES (1, NULL::boolean[]), (2, '{t,f}'), (3, NULL), (4, '{f,t}')) v(i, a);
-- rows seen but all with a NULL condition: n is known, the result is all false
SELECT retention(c1, NULL, c3) FROM rc_events;
SELECT retention(VARIADIC '{NULL,t}'::boolean[]), retention(VARIADIC '{t,NULL,t}'::boolean[]);
-- a NULL condition in the first argument position only ignores that row
SELECT retention(x > 1, x > 2) FROM (VALUES (NULL::int), (2), (3)) v(x);

------------------------------------------------------------------------------
-- Errors: the number of conditions
------------------------------------------------------------------------------
-- mismatched counts on rows of one group (only possible through VARIADIC arrays)
SELECT retention(VARIADIC a) FROM (VALUES ('{t,f}'::boolean[]), ('{t}')) v(a);
SELECT sqlstate_of($$SELECT retention(VARIADIC a) FROM (VALUES ('{t}'::boolean[]), ('{t,f,t}')) v(a)$$);
-- a row with a NULL condition is ignored, but its count is checked all the same
SELECT sqlstate_of($$SELECT retention(VARIADIC a) FROM (VALUES ('{t,f}'::boolean[]), ('{NULL}')) v(a)$$);
-- different groups may have different counts
SELECT g, retention(VARIADIC a)
FROM (VALUES (1, '{t,f}'::boolean[]), (2, '{t,t,t}'), (1, '{f,t}')) v(g, a) GROUP BY g ORDER BY g;
-- zero conditions
SELECT retention(VARIADIC '{}'::boolean[]);
SELECT sqlstate_of($$SELECT retention(VARIADIC a) FROM (VALUES ('{t}'::boolean[]), ('{}')) v(a)$$);
-- a two-dimensional array
SELECT sqlstate_of($$SELECT retention(VARIADIC '{{t,f},{t,t}}'::boolean[])$$);

------------------------------------------------------------------------------
-- 100 conditions (and more through VARIADIC; a call takes at most 100 arguments)
------------------------------------------------------------------------------
-- row x (1..100, no multiples of 3) has condition x true and no other, so
-- every condition but those at multiples of 3 held on some row, cond1 included
CREATE TABLE rc_wide AS
    SELECT x, ARRAY(SELECT k = x FROM generate_series(1, 100) k) AS conds
    FROM generate_series(1, 100) x WHERE x % 3 <> 0;
SELECT array_length(r, 1) AS n, array_positions(r, true) = ARRAY(SELECT k FROM generate_series(1, 100) k WHERE k % 3 <> 0) AS true_at_non_multiples_of_3,
       array_positions(r, false) = ARRAY(SELECT k FROM generate_series(3, 99, 3) k) AS false_at_multiples_of_3
FROM (SELECT retention(VARIADIC conds) AS r FROM rc_wide) q;
-- without the row that has cond1: all 100 false
SELECT array_length(r, 1) AS n, array_positions(r, true) AS trues
FROM (SELECT retention(VARIADIC conds) AS r FROM rc_wide WHERE x <> 1) q;
-- the same with 100 separate arguments: retention(conds[1], conds[2], ..., conds[100])
SELECT format('SELECT array_positions(retention(%s), false) AS false_at FROM rc_wide',
              string_agg(format('conds[%s]', k), ', ' ORDER BY k))
FROM generate_series(1, 100) k \gexec
-- 101 arguments are more than PostgreSQL passes to a function (54023)
SELECT sqlstate_of(format('SELECT retention(%s)', string_agg('true', ', ')))
FROM generate_series(1, 101);
-- 1000 conditions through VARIADIC: element 1000 = cond1 and cond1000
SELECT array_length(r, 1) AS n, array_positions(r, true) AS true_at
FROM (SELECT retention(VARIADIC ARRAY(SELECT k IN (1, 17, 1000) FROM generate_series(1, 1000) k)) AS r) q;

------------------------------------------------------------------------------
-- Parallel and partitionwise plans: partial states combined
------------------------------------------------------------------------------
-- id 1..100000, uid = id % 1000 (1000 uids, 100 rows each), k = id / 1000;
-- each uid has exactly one row with k = 10, 50, 90.
--   c1: k = 10 and uid even                     -> r1: 500 uids
--   c2: k = 50 and uid % 3 = 0                  -> r2: uids % 6 = 0: 0..996, 167
--   c3: k = 90 and uid % 5 = 0, but NULL (row ignored) when also uid % 7 = 0
--                                               -> r3: uids % 10 = 0 (100) less
--                                                  uids % 70 = 0 (0..980, 15): 85
CREATE TABLE rc_big AS
    SELECT id, id % 1000 AS uid, id / 1000 AS k FROM generate_series(1, 100000) id;
ALTER TABLE rc_big SET (parallel_workers = 2);
ANALYZE rc_big;
CREATE VIEW rc_big_conds AS
    SELECT uid, k, k = 10 AND uid % 2 = 0 AS c1, k = 50 AND uid % 3 = 0 AS c2,
           CASE WHEN k = 90 AND uid % 7 = 0 THEN NULL ELSE k = 90 AND uid % 5 = 0 END AS c3
    FROM rc_big;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE rc_serial AS
    SELECT uid, retention(c1, c2, c3) AS r FROM rc_big_conds GROUP BY uid;
SELECT count(*) AS uids, sum(r[1]::int) AS r1, sum(r[2]::int) AS r2, sum(r[3]::int) AS r3 FROM rc_serial;
SELECT retention(c1, c2, c3) FROM rc_big_conds;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT retention(c1, c2, c3) FROM rc_big_conds;
SELECT retention(c1, c2, c3) FROM rc_big_conds;
EXPLAIN (COSTS OFF) CREATE TABLE rc_parallel AS
    SELECT uid, retention(c1, c2, c3) AS r FROM rc_big_conds GROUP BY uid;
CREATE TABLE rc_parallel AS
    SELECT uid, retention(c1, c2, c3) AS r FROM rc_big_conds GROUP BY uid;
SELECT count(*) AS uids, sum(r[1]::int) AS r1, sum(r[2]::int) AS r2, sum(r[3]::int) AS r3 FROM rc_parallel;
SELECT count(*) AS differences
FROM rc_parallel p FULL JOIN rc_serial s USING (uid)
WHERE p.r IS DISTINCT FROM s.r;
-- no row passes: every partial state is NULL, and so is the result
SELECT retention(c1, c2, c3) IS NULL AS is_null FROM rc_big_conds WHERE uid < 0;
-- 2 rows pass (ids 10000 and 50000: uid 0, k 10 and 50): most partial states are NULL
SELECT retention(c1, c2, c3) FROM rc_big_conds WHERE uid = 0 AND k IN (10, 50);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- partitionwise: partitions by id, so every uid has rows in every partition
CREATE TABLE rc_part (id int, uid int, k int) PARTITION BY HASH (id);
CREATE TABLE rc_part_0 PARTITION OF rc_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE rc_part_1 PARTITION OF rc_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE rc_part_2 PARTITION OF rc_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO rc_part SELECT * FROM rc_big;
ANALYZE rc_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
    SELECT uid % 2 AS parity, retention(k = 10, k = 50, k = 90) FROM rc_part GROUP BY uid % 2;
-- every uid, even or odd, has k = 10, 50 and 90 rows: {t,t,t} for both
SELECT uid % 2 AS parity, retention(k = 10, k = 50, k = 90) FROM rc_part GROUP BY uid % 2 ORDER BY 1;
SELECT count(*) AS differences
FROM (SELECT uid, retention(k = 10 AND uid % 2 = 0, k = 50 AND uid % 3 = 0,
                            CASE WHEN k = 90 AND uid % 7 = 0 THEN NULL ELSE k = 90 AND uid % 5 = 0 END) AS r
      FROM rc_part GROUP BY uid) p
FULL JOIN rc_serial s USING (uid)
WHERE p.r IS DISTINCT FROM s.r;
RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;

------------------------------------------------------------------------------
-- The support functions called directly
------------------------------------------------------------------------------
-- state: version 1, 3 zero bytes, n (4 bytes, big-endian), one bit per condition
SELECT retention_cond_trans(NULL, '{t,f,t}') AS s1,
       retention_cond_trans(retention_cond_trans(NULL, '{t,f,t}'), '{f,t,f}') AS s2,
       retention_cond_trans(NULL, NULL) IS NULL AS null_stays_null;
SELECT retention_cond_final('\x010000000000000305') AS f5,
       retention_cond_final('\x010000000000000306') AS f6_no_cond1,
       retention_cond_final('\x01000000000000090f01') AS f9;
-- the arguments are read, never changed
SELECT retention_cond_combine(a, b) AS ab, a, b
FROM (VALUES ('\x010000000000000301'::bytea, '\x010000000000000304'::bytea)) v(a, b);
SELECT retention_cond_trans(a, '{f,t,f}') AS trans, a
FROM (VALUES ('\x010000000000000301'::bytea)) v(a);
-- corrupted states: ERROR 22P03, never a crash
SELECT retention_cond_final('\x');
SELECT sqlstate_of($$SELECT retention_cond_final('\x0100000000000003')$$);
SELECT sqlstate_of($$SELECT retention_cond_final('\x01000000000000030500')$$);
SELECT sqlstate_of($$SELECT retention_cond_final('\x020000000000000305')$$);
SELECT sqlstate_of($$SELECT retention_cond_final('\x010100000000000305')$$);
SELECT sqlstate_of($$SELECT retention_cond_final('\x010000000000000000')$$);
SELECT sqlstate_of($$SELECT retention_cond_final('\x01000000ffffffff00')$$);
SELECT sqlstate_of($$SELECT retention_cond_final('\x010000007fffffff00')$$);
SELECT sqlstate_of($$SELECT retention_cond_final('\x010000000000000308')$$);
SELECT sqlstate_of($$SELECT retention_cond_trans('\x0100', '{t}')$$);
SELECT sqlstate_of($$SELECT retention_cond_trans('\x0100', NULL)$$);
SELECT sqlstate_of($$SELECT retention_cond_combine('\x010000000000000301', '\x01000000000000')$$);
SELECT sqlstate_of($$SELECT retention_cond_combine('\xffff', '\x010000000000000301')$$);
-- valid states of different sizes, or a row of another size
SELECT sqlstate_of($$SELECT retention_cond_combine('\x010000000000000301', '\x01000000000000090f01')$$);
SELECT sqlstate_of($$SELECT retention_cond_combine('\x010000000000000301', '\x010000000000000201')$$);
SELECT sqlstate_of($$SELECT retention_cond_trans('\x010000000000000301', '{t,t}')$$);
SELECT sqlstate_of($$SELECT retention_cond_trans(NULL, '{}')$$);
-- states kept in a table (as a caller of the support functions may) combine and finish
CREATE TABLE rc_states (s bytea);
INSERT INTO rc_states VALUES ('\x010000000000000301'), ('\x010000000000000306');
SELECT retention_cond_final(s) FROM (SELECT retention_cond_combine(a.s, b.s) AS s
                                     FROM rc_states a, rc_states b WHERE a.s < b.s) q;
-- an aggregate of one's own over the support functions, with a hand-made initial state:
-- the state is checked on the in-place path too
CREATE AGGREGATE rc_own(boolean[]) (SFUNC = retention_cond_trans, STYPE = bytea,
                                    FINALFUNC = retention_cond_final, INITCOND = '\x010000000000000300');
SELECT rc_own(ARRAY[x = 1, x = 2, x = 4]) FROM generate_series(1, 3) x;
CREATE AGGREGATE rc_bad(boolean[]) (SFUNC = retention_cond_trans, STYPE = bytea,
                                    FINALFUNC = retention_cond_final, INITCOND = '\x0100000000000003ff');
SELECT rc_bad(ARRAY[x = 1, x = 2, x = 4]) FROM generate_series(1, 3) x;
