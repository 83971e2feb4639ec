-- window_funnel(window, [mode,] event_at, VARIADIC steps): ClickHouse's
-- windowFunnel (doc/funnel.md).  Per group, the events are the rows' steps,
-- sorted by time and then step; a chain starts at a step 1 event, step j
-- counts when step j - 1 was reached and the event lies within window of the
-- chain's first event (t - first <= window).  The result is the deepest level.
-- Times below are seconds after the epoch, so the cases read as ClickHouse's.
CREATE FUNCTION s(int8) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT timestamptz '1970-01-01 00:00:00+00' + $1 * interval '1 second' $$;

------------------------------------------------------------------------------
-- ClickHouse's tests/queries/0_stateless/00632_aggregation_window_funnel.sql,
-- transcribed case by case (ClickHouse writes "select N = windowFunnel(...)";
-- here each level is shown, with N in the comment).
------------------------------------------------------------------------------
CREATE TABLE funnel_test(t int8, event int4);
INSERT INTO funnel_test VALUES (0,1000),(1,1001),(2,1002),(3,1003),(4,1004),(5,1005),(6,1006),(7,1007),(8,1008);
-- 1, 2, 3, 4: one event per second, every window long enough
SELECT window_funnel('10000 s', s(t), event = 1000) AS "1",
       window_funnel('10000 s', s(t), event = 1000, event = 1001) AS "2",
       window_funnel('10000 s', s(t), event = 1000, event = 1001, event = 1002) AS "3",
       window_funnel('10000 s', s(t), event = 1000, event = 1001, event = 1002, event = 1008) AS "4"
  FROM funnel_test;
-- window 1 s, one step: 1.  1003 at 3 s: window 2 s reaches 1005 at 5 s (3
-- steps), 3 s reaches 1006 (4), 4 s reaches 1007 (5): the window's end counts.
SELECT window_funnel('1 s', s(t), event = 1000) AS "1",
       window_funnel('2 s', s(t), event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) AS "3",
       window_funnel('3 s', s(t), event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) AS "4",
       window_funnel('4 s', s(t), event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) AS "5"
  FROM funnel_test;

-- funnel_test2 (DateTime) and funnel_test_u64 (1e14 + k): the same events
-- 1001..1008 at consecutive seconds.  1003..1007 within 4 s: 5.  1001 then
-- 1008: 2.  1008 then 1001: 1008 is the last event, nothing after it: 1.
-- Steps (<= 1007, >= 1002, <= 1006, >= 1004): 1001@1 is step 1 only; 1002@2
-- is steps 1, 2, 3; ... sorted by time then step, 1001 starts, 1002 gives
-- step 2 (and step 1 again: a new chain at 2, and step 3 from it); 1004@4 is
-- steps 1..4: step 4 after step 3: 4.
CREATE TABLE funnel_test2(t timestamp, event int4);
INSERT INTO funnel_test2 SELECT timestamp '2018-01-01 01:01:00' + k * interval '1 s', 1000 + k FROM generate_series(1, 8) k;
SELECT window_funnel('4 s', t, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) AS "5",
       window_funnel('10000 s', t, event = 1001, event = 1008) AS "2",
       window_funnel('10000 s', t, event = 1008, event = 1001) AS "1",
       window_funnel('4 s', t, event <= 1007, event >= 1002, event <= 1006, event >= 1004) AS "4"
  FROM funnel_test2;
CREATE TABLE funnel_test_u64(t int8, event int4);
INSERT INTO funnel_test_u64 SELECT 100000000000 + k, 1000 + k FROM generate_series(1, 8) k;
SELECT window_funnel('4 s', s(t), event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) AS "5",
       window_funnel('10000 s', s(t), event = 1001, event = 1008) AS "2",
       window_funnel('10000 s', s(t), event = 1008, event = 1001) AS "1",
       window_funnel('4 s', s(t), event <= 1007, event >= 1002, event <= 1006, event >= 1004) AS "4"
  FROM funnel_test_u64;

-- funnel_test_strict: 1005 twice (50, 51).  strict_deduplication: the second
-- 1005 repeats the reached step 6 and stops there: 6.  Default mode: 7.
CREATE TABLE funnel_test_strict(t int8, event int4);
INSERT INTO funnel_test_strict VALUES (00,1000),(10,1001),(20,1002),(30,1003),(40,1004),(50,1005),(51,1005),(60,1006),(70,1007),(80,1008);
SELECT window_funnel('10000 s', 'strict_deduplication', s(t), event = 1000, event = 1001, event = 1002, event = 1003, event = 1004, event = 1005, event = 1006) AS "6",
       window_funnel('10000 s', s(t), event = 1000, event = 1001, event = 1002, event = 1003, event = 1004, event = 1005, event = 1006) AS "7"
  FROM funnel_test_strict;
-- ClickHouse's old name of strict_deduplication is refused, as there
SELECT sqlstate_of($$SELECT window_funnel('10000 s', 'strict', s(t), event = 1000) FROM funnel_test_strict$$);

-- funnel_test_strict_order, steps a, b, c (one day window):
--   user 1: a b c        default 3, strict_order 3, + strict_deduplication 3
--   user 2: a d b c      3; d breaks the chain: 1; 1
--   user 3: a a b b c c  3; 3; the second b repeats step 2: 2
--   user 4: aaaa bb cc   3; 3; 2
--   user 5: aa bb d cc   3; d after step 2: 2; the second b: 2
--   user 6: cc bb aa     only step 1 at the end: 1; 1; 1
--   user 7: a c b        (window 10 s, strict_order) c needs b first: 1
CREATE TABLE funnel_test_strict_order(t int8, "user" int4, event text);
INSERT INTO funnel_test_strict_order VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 1, 'c'),
    (1, 2, 'a'), (2, 2, 'd'), (3, 2, 'b'), (4, 2, 'c'),
    (1, 3, 'a'), (2, 3, 'a'), (3, 3, 'b'), (4, 3, 'b'), (5, 3, 'c'), (6, 3, 'c'),
    (1, 4, 'a'), (2, 4, 'a'), (3, 4, 'a'), (4, 4, 'a'), (5, 4, 'b'), (6, 4, 'b'), (7, 4, 'c'), (8, 4, 'c'),
    (1, 5, 'a'), (2, 5, 'a'), (3, 5, 'b'), (4, 5, 'b'), (5, 5, 'd'), (6, 5, 'c'), (7, 5, 'c'),
    (1, 6, 'c'), (2, 6, 'c'), (3, 6, 'b'), (4, 6, 'b'), (5, 6, 'a'), (6, 6, 'a');
SELECT "user",
       window_funnel('86400 s', s(t), event = 'a', event = 'b', event = 'c') AS plain,
       window_funnel('86400 s', 'strict_order', s(t), event = 'a', event = 'b', event = 'c') AS strict_order,
       window_funnel('86400 s', 'strict_deduplication, strict_order', s(t), event = 'a', event = 'b', event = 'c') AS dedup_order
  FROM funnel_test_strict_order GROUP BY "user" ORDER BY "user";
INSERT INTO funnel_test_strict_order VALUES (1, 7, 'a'), (2, 7, 'c'), (3, 7, 'b');
SELECT "user", window_funnel('10 s', 'strict_order', s(t), event = 'a', event = 'b', event = 'c')
  FROM funnel_test_strict_order WHERE "user" = 7 GROUP BY "user";

-- issue 27469: a b c b d, steps a, b, c, d, strict_deduplication: the second
-- b repeats step 2 after step 3 was reached: 3.
SELECT window_funnel('86400 s', 'strict_deduplication', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS "3"
  FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'b'), (5, 'd')) v(t, e);

-- funnel_test_non_null: a NULL step is false (ClickHouse writes COALESCE).
--   u1: (a1, b1) (a2, b2); u2: (a1, -) (a2, -); u3: (-, -); u4: (-, b1) (a2, -) (-, b3)
-- a = a1, a = a2:               2, 2, 0, 0
-- a = a1, b = b2:               2, 1, 0, 0
-- a is null and b is null:      0, 0, 1, 0
-- a is null, b = b3:            0, 0, 1, 2 (u4: 1 at t1, b3 at t3)
-- the same with strict_order:   0, 0, 1, 1 (u4: (a2, -) at t2 satisfies no step)
CREATE TABLE funnel_test_non_null(t int8, u int4, a text, b text);
INSERT INTO funnel_test_non_null VALUES (1, 1, 'a1', 'b1'), (2, 1, 'a2', 'b2'), (1, 2, 'a1', NULL), (2, 2, 'a2', NULL),
    (1, 3, NULL, NULL), (1, 4, NULL, 'b1'), (2, 4, 'a2', NULL), (3, 4, NULL, 'b3');
SELECT u,
       window_funnel('86400 s', s(t), a = 'a1', a = 'a2') AS a1_a2,
       window_funnel('86400 s', s(t), a = 'a1', b = 'b2') AS a1_b2,
       window_funnel('86400 s', s(t), a IS NULL AND b IS NULL) AS both_null,
       window_funnel('86400 s', s(t), a IS NULL, b = 'b3') AS anull_b3,
       window_funnel('86400 s', 'strict_order', s(t), a IS NULL, b = 'b3') AS anull_b3_order
  FROM funnel_test_non_null GROUP BY u ORDER BY u;

-- funnel_test_strict_increase: 1000@0, 1001@1, 1002@1, 1003@1, 1004@2.
--   default: 5.  strict_increase: 1002 at the same second as 1001: 2.
--   steps (1004, 1004, 1004) on one row: a row satisfying several steps gives
--   all of them (sorted by step within its second): 3; strict_increase needs
--   later times: 1; strict_once lets a row serve one step of a chain: 1.
CREATE TABLE funnel_test_strict_increase(t int8, event int4);
INSERT INTO funnel_test_strict_increase VALUES (0,1000),(1,1001),(1,1002),(1,1003),(2,1004);
SELECT window_funnel('10000 s', s(t), event = 1000, event = 1001, event = 1002, event = 1003, event = 1004) AS "5",
       window_funnel('10000 s', 'strict_increase', s(t), event = 1000, event = 1001, event = 1002, event = 1003, event = 1004) AS "2",
       window_funnel('10000 s', s(t), event = 1004, event = 1004, event = 1004) AS "3",
       window_funnel('10000 s', 'strict_once', s(t), event = 1004, event = 1004, event = 1004) AS "1",
       window_funnel('10000 s', 'strict_increase', s(t), event = 1004, event = 1004, event = 1004) AS "1 "
  FROM funnel_test_strict_increase;

-- strict_once, window 200, steps failure, failure, success:
--   uid 123: failure@180, failure@220, success@250: 3 (two failure rows)
--   uid 234: failure@100, failure@250: 2 (150 <= 200)
--   uid 345: success@200, failure@210, success@230: one failure: 1
-- the same with strict_increase, and with strict_deduplication (u345: the
-- one failure row cannot be step 2 of its own chain; nothing repeats).
CREATE TABLE funnel_test3(t int8, result text, uid int4);
INSERT INTO funnel_test3 VALUES (100, 'failure', 234), (200, 'success', 345), (210, 'failure', 345), (230, 'success', 345),
    (250, 'failure', 234), (180, 'failure', 123), (220, 'failure', 123), (250, 'success', 123);
SELECT uid,
       window_funnel('200 s', 'strict_once, strict_increase', s(t), result = 'failure', result = 'failure', result = 'success') AS once_increase,
       window_funnel('200 s', 'strict_once', s(t), result = 'failure', result = 'failure', result = 'success') AS once,
       window_funnel('200 s', 'strict_once,strict_deduplication', s(t), result = 'failure', result = 'failure', result = 'success') AS once_dedup
  FROM funnel_test3 GROUP BY uid ORDER BY uid;

-- allow_reentry (requires strict_order), steps a, b, c [, d]:
--   u1: a b a c      u2: a b a b c      u3: a b c b d
--   u4: a c b        u5: a b c a b c d
-- This is where the stored .reference of 00632 and ClickHouse's code (the
-- released server) disagree; the code counts (doc/funnel.md).  What the
-- code does:
--   strict_order, 3 steps: u1 the second a is step 1 again (a new chain
--     start, not a violation); c extends the reached step 2: 3.  u2: 3.  u3: 3.
--     u4: c before b: stop at 1.  u5: 3.        (.reference: 2 2 3 1 3)
--   strict_order, allow_reentry: u4 skips c, then b: 2; others as above:
--     3 3 3 2 3                                 (.reference: 3 3 3 1 3)
--   strict_order, 4 steps: u1 3, u2 3, u3 d after c: 4; u4 1; u5 4
--                                               (.reference: 2 2 4 1 3)
--   strict_order, allow_reentry, 4 steps: 3 3 4 2 4 (.reference: 3 3 4 1 4)
--   + strict_deduplication, 3 steps: u2: a b a b: the second b repeats the
--     reached step 2: the deepest level reached, 2 (the .reference's 1 is the
--     step of the event before it, the bug ClickHouse fixed, PR 99003);
--     u4: c skipped, b: 2.  3 2 3 2 3           (.reference: 3 1 3 1 3)
CREATE TABLE funnel_test_allow_reentry(t int8, "user" int4, event text);
INSERT INTO funnel_test_allow_reentry VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 1, 'a'), (4, 1, 'c'),
    (1, 2, 'a'), (2, 2, 'b'), (3, 2, 'a'), (4, 2, 'b'), (5, 2, 'c'),
    (1, 3, 'a'), (2, 3, 'b'), (3, 3, 'c'), (4, 3, 'b'), (5, 3, 'd'),
    (1, 4, 'a'), (2, 4, 'c'), (3, 4, 'b'),
    (1, 5, 'a'), (2, 5, 'b'), (3, 5, 'c'), (4, 5, 'a'), (5, 5, 'b'), (6, 5, 'c'), (7, 5, 'd');
SELECT "user",
       window_funnel('86400 s', 'strict_order', s(t), event = 'a', event = 'b', event = 'c') AS strict_order,
       window_funnel('86400 s', 'strict_order, allow_reentry', s(t), event = 'a', event = 'b', event = 'c') AS reentry,
       window_funnel('86400 s', 'strict_order', s(t), event = 'a', event = 'b', event = 'c', event = 'd') AS order_4,
       window_funnel('86400 s', 'strict_order, allow_reentry', s(t), event = 'a', event = 'b', event = 'c', event = 'd') AS reentry_4,
       window_funnel('86400 s', 'strict_order, allow_reentry, strict_deduplication', s(t), event = 'a', event = 'b', event = 'c') AS combined
  FROM funnel_test_allow_reentry GROUP BY "user" ORDER BY "user";

-- ecommerce (window 600): steps begin_checkout (B), view_product_detail (V),
-- complete_payment (P) [or B, V, B, P]:
--   u1: B V B P    u2: B V V B P    u3: B V P
--   strict_order, B V P: u1 P extends V: 3; u2 3; u3 3   (.reference: 2 2 3)
--   + allow_reentry: 3 3 3                                 (.reference: 3 3 3)
--   strict_order, B V B P: a B row is steps 1 and 3.  B@100 gives the events
--     (100, step 1), (100, step 3); the step 3 event comes before any step 2:
--     strict_order stops at the first step not reached: 1 1 1 (.reference: 1 1 1)
--   + allow_reentry: that early step 3 is skipped; V@200 is step 2; B@300 is
--     step 1 (a new start) and step 3 (after step 2 of the chain from 100);
--     P@400 step 4: u1 4, u2 4; u3 B V P: P needs step 3: 2 (.reference: 1 1 1)
CREATE TABLE funnel_test_ecommerce(t int8, user_id int4, action text);
INSERT INTO funnel_test_ecommerce VALUES (100, 1, 'begin_checkout'), (200, 1, 'view_product_detail'), (300, 1, 'begin_checkout'), (400, 1, 'complete_payment'),
    (100, 2, 'begin_checkout'), (200, 2, 'view_product_detail'), (250, 2, 'view_product_detail'), (300, 2, 'begin_checkout'), (400, 2, 'complete_payment'),
    (100, 3, 'begin_checkout'), (200, 3, 'view_product_detail'), (300, 3, 'complete_payment');
SELECT user_id,
       window_funnel('600 s', 'strict_order', s(t), action = 'begin_checkout', action = 'view_product_detail', action = 'complete_payment') AS normal,
       window_funnel('600 s', 'strict_order,allow_reentry', s(t), action = 'begin_checkout', action = 'view_product_detail', action = 'complete_payment') AS reentry,
       window_funnel('600 s', 'strict_order', s(t), action = 'begin_checkout', action = 'view_product_detail', action = 'begin_checkout', action = 'complete_payment') AS normal_4,
       window_funnel('600 s', 'strict_order,allow_reentry', s(t), action = 'begin_checkout', action = 'view_product_detail', action = 'begin_checkout', action = 'complete_payment') AS reentry_4
  FROM funnel_test_ecommerce GROUP BY user_id ORDER BY user_id;

------------------------------------------------------------------------------
-- Hand-computed cases of our own
------------------------------------------------------------------------------
CREATE TABLE ev(u int4, t int8, e text);
-- the window's end: a@0, b@60 (window 60 s: 60 - 0 <= 60, counts), c@61
-- (61 > 60, not).  One microsecond more or less at the boundary.
INSERT INTO ev VALUES (1, 0, 'a'), (1, 60, 'b'), (1, 61, 'c');
SELECT window_funnel('60 s', s(t), e = 'a', e = 'b', e = 'c') AS "2",
       window_funnel('61 s', s(t), e = 'a', e = 'b', e = 'c') AS "3",
       window_funnel('59.999999 s', s(t), e = 'a', e = 'b', e = 'c') AS "1",
       window_funnel('0 s', s(t), e = 'a', e = 'b', e = 'c') AS "1 "
  FROM ev WHERE u = 1;
-- a window of 0: only events at the chain's first instant; a row that is
-- steps 1 and 2 at once reaches 2 (ClickHouse: events sorted by step)
SELECT window_funnel('0 s', s(t), e = 'a', e IN ('a', 'b')) AS "2" FROM ev WHERE u = 1;

-- events before a chain start do not count; a later step 1 restarts level 1
-- only (what the earlier chain reached stays):
--   u2: b@0 a@10 c@20 b@30 c@40, window 100: b@0 before any a; a@10; c@20
--       needs b; b@30 step 2; c@40 step 3: 3
--   u3: a@0 b@10 a@20 c@55, window 50: c@55 extends step 2 of the chain
--       from 0 (55 > 50): no; a@20 started a chain without b: 2
--   u4: a@0 a@30 b@40 c@55, window 50: the chain from 30: 3
--   u5: c@0 b@1 only later steps: 0
INSERT INTO ev VALUES (2, 0, 'b'), (2, 10, 'a'), (2, 20, 'c'), (2, 30, 'b'), (2, 40, 'c'),
    (3, 0, 'a'), (3, 10, 'b'), (3, 20, 'a'), (3, 55, 'c'),
    (4, 0, 'a'), (4, 30, 'a'), (4, 40, 'b'), (4, 55, 'c'),
    (5, 0, 'c'), (5, 1, 'b');
SELECT u, window_funnel('100 s', s(t), e = 'a', e = 'b', e = 'c') AS w100,
       window_funnel('50 s', s(t), e = 'a', e = 'b', e = 'c') AS w50
  FROM ev WHERE u BETWEEN 2 AND 5 GROUP BY u ORDER BY u;
-- u2 w50: a@10, b@30, c@40 (30 <= 50): 3.  u3 w100: 3.  u4 w100: 3.  u5: 0.

-- unsorted input: the same rows in any order give the same levels
SELECT u, window_funnel('50 s', s(t), e = 'a', e = 'b', e = 'c' ORDER BY t DESC) AS desc_order,
       window_funnel('50 s', s(t), e = 'a', e = 'b', e = 'c' ORDER BY e DESC, t) AS by_event
  FROM ev WHERE u BETWEEN 2 AND 5 GROUP BY u ORDER BY u;

-- ties: b and a at the same instant: sorted by step, a (step 1) first: 2.
-- strict_increase: b must come strictly after a: 1.  strict_order, a row of
-- no step at the same instant as b: sorted first (step 0), it stops the chain: 1.
INSERT INTO ev VALUES (6, 5, 'b'), (6, 5, 'a'), (7, 0, 'a'), (7, 5, 'x'), (7, 5, 'b');
SELECT u, window_funnel('1 min', s(t), e = 'a', e = 'b') AS plain,
       window_funnel('1 min', 'strict_increase', s(t), e = 'a', e = 'b') AS increase,
       window_funnel('1 min', 'strict_order', s(t), e = 'a', e = 'b') AS strict_order
  FROM ev WHERE u IN (6, 7) GROUP BY u ORDER BY u;
-- u6: 2, 1, 2.  u7: 2, 2, 1 (x at 5 sorts before b at 5).

-- strict_deduplication counts a repeat of a reached step (not step 1): a a b b
-- c: 2; a b a b c (the repeat comes after a restart): the deepest level
-- reached, 2.  strict_once: a row serves one step of a chain; with the steps
-- (e = 'a', true) one row is both: default 2, strict_once needs two rows.
INSERT INTO ev VALUES (8, 0, 'a'), (8, 1, 'a'), (8, 2, 'b'), (8, 3, 'b'), (8, 4, 'c'),
    (9, 0, 'a'), (9, 1, 'b'), (9, 2, 'a'), (9, 3, 'b'), (9, 4, 'c'),
    (10, 0, 'a');
SELECT u, window_funnel('1 h', 'strict_deduplication', s(t), e = 'a', e = 'b', e = 'c') AS dedup,
       window_funnel('1 h', s(t), e = 'a', true) AS plain_any,
       window_funnel('1 h', 'STRICT_ONCE', s(t), e = 'a', true) AS once_any
  FROM ev WHERE u BETWEEN 8 AND 10 GROUP BY u ORDER BY u;
-- u8: 2, 2, 2.  u9: 2, 2, 2.  u10 (one row a): dedup 1, plain 2 (the row is
-- steps 1 and 2), strict_once 1.

-- empty group, NULL times and VARIADIC NULL are ignored, NULL steps are false
SELECT window_funnel('1 h', s(t), e = 'a') AS "0" FROM ev WHERE false;
SELECT window_funnel('1 h', NULL::timestamptz, true, true) AS "0";
SELECT window_funnel('1 h', s(1), VARIADIC NULL::boolean[]) AS "0";
SELECT window_funnel('1 h', s(t), CASE WHEN e = 'a' THEN true END, CASE WHEN e = 'b' THEN true END) AS "2"
  FROM ev WHERE u = 1;

-- timestamp and date times; a window of a day is 24 hours
SELECT window_funnel('1 day', d, d = '2024-03-01', d = '2024-03-02', d = '2024-03-04') AS "2",
       window_funnel('3 days', d, d = '2024-03-01', d = '2024-03-02', d = '2024-03-04') AS "3"
  FROM (VALUES (date '2024-03-01'), ('2024-03-02'), ('2024-03-04')) v(d);
SELECT window_funnel('1 day', ts, ts = '2024-03-01 10:00', ts = '2024-03-02 10:00', ts = '2024-03-02 10:00:01') AS "2"
  FROM (VALUES (timestamp '2024-03-01 10:00'), ('2024-03-02 10:00'), ('2024-03-02 10:00:01')) v(ts);

-- 32 steps: each row i (1..32) is step i, one second apart: 32
SELECT window_funnel('1 min', s(i), VARIADIC (SELECT array_agg(i = k ORDER BY k) FROM generate_series(1, 32) k)) AS "32"
  FROM generate_series(1, 32) i;

------------------------------------------------------------------------------
-- Errors
------------------------------------------------------------------------------
SELECT sqlstate_of($$SELECT window_funnel('1 month', s(1), true)$$);
SELECT sqlstate_of($$SELECT window_funnel('-1 s', s(1), true)$$);
SELECT sqlstate_of($$SELECT window_funnel('1 day -1 s', s(1), true)$$);
SELECT sqlstate_of($$SELECT window_funnel(NULL, s(1), true)$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', NULL, s(1), true)$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', 'strict_order, fast', s(1), true)$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', 'strict_order,', s(1), true)$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', 'allow_reentry', s(1), true)$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', s(1), VARIADIC '{}'::boolean[])$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', s(1), VARIADIC '{{true},{false}}'::boolean[])$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', s(1), VARIADIC array_fill(true, ARRAY[33]))$$);
SELECT sqlstate_of($$SELECT window_funnel('2147483647 days', s(1), true)$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', 'infinity'::timestamptz, true)$$);
-- the window, the mode and the number of steps are the same on every row
SELECT sqlstate_of($$SELECT window_funnel(t * interval '1 s', s(t), true) FROM generate_series(1, 2) t$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', CASE t WHEN 1 THEN '' ELSE 'strict_order' END, s(t), true) FROM generate_series(1, 2) t$$);
SELECT sqlstate_of($$SELECT window_funnel('1 h', s(t), VARIADIC array_fill(true, ARRAY[t])) FROM generate_series(1, 2) t$$);

------------------------------------------------------------------------------
-- window_funnel_state: text and binary forms, combine, damaged values
------------------------------------------------------------------------------
-- One row at 1970-01-01 00:00:01+00 satisfying step 1 of 2, window 1 hour:
--   01 version, 01 timestamptz, 02 steps, 00 no mode,
--   00a493d600000000   window 3600 * 10^6 us = 0xd693a400, little-endian,
--   01000000           one row,
--   4062d7c4fea2fcff   time (1 - 946684800) * 10^6 us from 2000-01-01,
--   01000000           mask: step 1
SELECT window_funnel_trans(NULL, '1 h', s(1), ARRAY[true, false]) AS state;
SELECT window_funnel_final(window_funnel_trans(NULL, '1 h', s(1), ARRAY[true, false])) AS "1";
SELECT window_funnel_final(NULL) AS "0";
-- the state of an aggregate's rows, stored
CREATE AGGREGATE wf_state(interval, text, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state, COMBINEFUNC = window_funnel_combine);
CREATE TABLE wf_states(u int4, st window_funnel_state);
INSERT INTO wf_states SELECT u, wf_state('50 s', 'strict_order', s(t), e = 'a', e = 'b', e = 'c')
  FROM ev WHERE u IN (3, 4) GROUP BY u;
-- u4 (a@0 a@30 b@40 c@55, strict_order 50 s): 3; u3: 2
SELECT u, st, window_funnel_final(st) FROM wf_states ORDER BY u;
-- text round trip; the two states combined (u3's rows then u4's): the rows of
-- both in one group.  Sorted: a@0 a@0 b@10 a@20 a@30 b@40 c@55 c@55:
-- a@30 restarts, b@40 step 2, c@55 (25 s after 30): 3
SELECT u, window_funnel_final(st::text::window_funnel_state) AS round_trip FROM wf_states ORDER BY u;
SELECT window_funnel_final(window_funnel_combine(a.st, b.st)) AS "3"
  FROM wf_states a, wf_states b WHERE a.u = 3 AND b.u = 4;
SELECT window_funnel_combine(NULL, NULL) IS NULL AS both_null,
       window_funnel_final(window_funnel_combine(NULL, st)) = window_funnel_final(st) AS null_left,
       window_funnel_final(window_funnel_combine(st, NULL)) = window_funnel_final(st) AS null_right
  FROM wf_states WHERE u = 4;
-- states of different parameters do not combine
SELECT sqlstate_of(format('SELECT window_funnel_combine(%L::window_funnel_state, %L::window_funnel_state)',
                          st::text, window_funnel_trans(NULL, '1 h', s(1), ARRAY[true, false, true])::text))
  FROM wf_states WHERE u = 4;
-- Binary form: COPY (FORMAT binary) out and in (window_funnel_state_send, _recv)
CREATE TABLE wf_restored(u int4, st window_funnel_state);
DO $$
DECLARE path text := current_setting('data_directory') || '/retention_wf_io_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY wf_states TO %L (FORMAT binary)', path);
    EXECUTE format('COPY wf_restored FROM %L (FORMAT binary)', path);
END $$;
SELECT count(*) AS restored, count(*) FILTER (WHERE r.st::text = o.st::text) AS identical
  FROM wf_restored r JOIN wf_states o USING (u);
SELECT bool_and(window_funnel_state_send(st) = decode(substr(st::text, 3), 'hex')) AS send_is_hex_bytes FROM wf_states;

-- damaged values: text that is not hex 22P02, bytes that are not a state 22P03
SELECT sqlstate_of($$SELECT 'garbage'::window_funnel_state$$) AS garbage,
       sqlstate_of($$SELECT '\x'::window_funnel_state$$) AS no_bytes;
CREATE TABLE wf_good AS SELECT st::text AS hex FROM wf_states WHERE u = 4;
-- u4's state: 01 01 03 02 (strict_order), window 50 s, 4 rows (time, mask)
SELECT hex FROM wf_good;
CREATE FUNCTION wf_patch(hex text, byte_offset int, bytes text) RETURNS text LANGUAGE sql AS
$$ SELECT overlay(hex PLACING bytes FROM 3 + 2 * byte_offset FOR length(bytes)) $$;
SELECT what, sqlstate_of(format('SELECT %L::window_funnel_state', wf_patch(hex, o, b))) AS result
FROM wf_good, (VALUES ('version 2', 0, '02'), ('time type 4', 1, '04'), ('0 steps', 2, '00'),
                      ('33 steps', 2, '21'), ('unknown mode bit', 3, '22'), ('allow_reentry alone', 3, '10'),
                      ('negative window', 4, '00000000000000ff'), ('one row more', 12, '05000000'),
                      ('time infinity', 16, 'ffffffffffffff7f'), ('mask past 3 steps', 24, '08000000')) v(what, o, b)
ORDER BY o, what;
SELECT sqlstate_of(format('SELECT %L::window_funnel_state', hex || '00')) AS trailing_byte FROM wf_good;
-- a row of no step is kept only in strict_order mode
SELECT sqlstate_of(format('SELECT %L::window_funnel_state', wf_patch(wf_patch(hex, 3, '00'), 24, '00000000'))) AS mask_0_without_strict_order,
       sqlstate_of(format('SELECT %L::window_funnel_state', wf_patch(hex, 24, '00000000'))) AS mask_0_strict_order
  FROM wf_good;
-- a date state's time must be a whole day
SELECT sqlstate_of(format('SELECT %L::window_funnel_state', wf_patch(wf_patch(hex, 1, '03'), 16, '01'))) AS date_not_midnight
  FROM wf_good;
-- every truncation is rejected; every single-byte change is an error (22P03)
-- or a valid state whose level can be read, never a crash
SELECT count(*) AS truncations, count(*) FILTER (WHERE r LIKE '22P03%') AS rejected
FROM wf_good, generate_series(0, (length(hex) - 2) / 2 - 1) n,
     LATERAL sqlstate_of(format('SELECT %L::window_funnel_state', left(hex, 2 + 2 * n))) r;
SELECT count(*) AS changes, count(*) FILTER (WHERE r LIKE '22P03%') + count(*) FILTER (WHERE r = 'no error') AS rejected_or_valid
FROM wf_good, generate_series(0, (length(hex) - 2) / 2 - 1) n, (VALUES (1), (128), (255)) x(m),
     LATERAL (SELECT lpad(to_hex(('x' || substr(hex, 3 + 2 * n, 2))::bit(8)::int # m), 2, '0') AS b) nb,
     LATERAL sqlstate_of(format('SELECT window_funnel_final(%L::window_funnel_state)', wf_patch(hex, n, nb.b))) r;

------------------------------------------------------------------------------
-- Parallel and partitionwise plans give the serial levels
------------------------------------------------------------------------------
CREATE TABLE wf_events(u int4, t int8, e text);
-- 200 actors, 30 events each at pseudo-random seconds of 10 minutes, of the
-- kinds a to e (steps a, b, c, d)
INSERT INTO wf_events SELECT u, abs(hashint4(u * 1000 + k)) % 600, chr(97 + abs(hashint4(u * 7 + k * 13)) % 5)
  FROM generate_series(1, 200) u, generate_series(1, 30) k;
CREATE TABLE wf_serial AS
SELECT u, window_funnel('2 min', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS plain,
       window_funnel('2 min', 'strict_order', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS strict_order,
       window_funnel('2 min', 'strict_once, strict_increase', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS once
  FROM wf_events GROUP BY u;
SELECT plain, strict_order, once, count(*) FROM wf_serial GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
SET enable_hashagg = off;
-- one parallel level over all rows: the workers' states are combined
EXPLAIN (COSTS OFF) SELECT window_funnel('2 min', s(t), e = 'a', e = 'b') FROM wf_events;
SELECT window_funnel('2 min', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS all_rows_parallel FROM wf_events;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
SELECT window_funnel('2 min', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS all_rows_serial FROM wf_events;
RESET max_parallel_workers_per_gather; SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT u, window_funnel('2 min', s(t), e = 'a') FROM wf_events GROUP BY u;
CREATE TABLE wf_parallel AS
SELECT u, window_funnel('2 min', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS plain,
       window_funnel('2 min', 'strict_order', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS strict_order,
       window_funnel('2 min', 'strict_once, strict_increase', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS once
  FROM wf_events GROUP BY u;
SELECT count(*) AS differ FROM wf_serial s FULL JOIN wf_parallel p USING (u)
 WHERE (s.plain, s.strict_order, s.once) IS DISTINCT FROM (p.plain, p.strict_order, p.once);
-- partitionwise: partitioned by time, so one actor's rows are in several
-- partitions and their partial states are combined
CREATE TABLE wf_parts(u int4, t int8, e text) PARTITION BY RANGE (t);
CREATE TABLE wf_parts_1 PARTITION OF wf_parts FOR VALUES FROM (0) TO (200);
CREATE TABLE wf_parts_2 PARTITION OF wf_parts FOR VALUES FROM (200) TO (400);
CREATE TABLE wf_parts_3 PARTITION OF wf_parts FOR VALUES FROM (400) TO (600);
INSERT INTO wf_parts SELECT * FROM wf_events;
ANALYZE wf_parts;
SET enable_partitionwise_aggregate = on; SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT window_funnel('2 min', s(t), e = 'a') FROM wf_parts;
SELECT window_funnel('2 min', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS all_rows_partitionwise FROM wf_parts;
SELECT count(*) AS differ FROM wf_serial s FULL JOIN (
    SELECT u, window_funnel('2 min', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS plain,
           window_funnel('2 min', 'strict_order', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS strict_order,
           window_funnel('2 min', 'strict_once, strict_increase', s(t), e = 'a', e = 'b', e = 'c', e = 'd') AS once
      FROM wf_parts GROUP BY u) p USING (u)
 WHERE (s.plain, s.strict_order, s.once) IS DISTINCT FROM (p.plain, p.strict_order, p.once);
RESET ALL;
