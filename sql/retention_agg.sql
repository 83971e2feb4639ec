-- retention_agg(actor, event_at, period, is_start, is_return [, value [, options]])
-- and its accessors retention_table and retention_curve (doc/retention_agg.md).
-- Every case is small enough to check by hand; the comments give the answer.
SET TimeZone = 'UTC';
CREATE FUNCTION dt(day int, hour int DEFAULT 12) RETURNS timestamptz LANGUAGE sql STABLE
    AS $$ SELECT make_timestamptz(2024, 1, day, hour, 0, 0) $$;

------------------------------------------------------------------------------
-- first_time, daily, with values
------------------------------------------------------------------------------
-- u1: starts Jan 1 at 10:00 (and returns then, 10); returns Jan 1 at 08:00 (1:
-- before the anchor, in its period: not counted), Jan 2 (5), Jan 4 (2.50).
-- u2: returns Dec 31 (100, before its anchor's period: ignored), starts Jan 2,
-- returns twice Jan 3 (1 + 1).  u3 only returns: in no cohort.  A NULL actor
-- and a NULL time are ignored rows.
CREATE TABLE ev1 (u int, t timestamptz, s boolean, r boolean, v numeric);
INSERT INTO ev1 VALUES
    (1, dt(1, 10), true, true, 10), (1, dt(1, 8), false, true, 1), (1, dt(2), false, true, 5),
    (1, dt(4), false, true, 2.50),
    (2, '2023-12-31 12:00', false, true, 100), (2, dt(2), true, false, NULL),
    (2, dt(3), false, true, 1), (2, dt(3, 13), false, true, 1),
    (3, dt(2), false, true, 7),
    (NULL, dt(1), true, true, 1), (4, NULL, true, true, 1);
-- cohort Jan 1 (u1): offsets 0..3 (the last event is Jan 4): active 1, 1, 0, 1;
-- values 10.00, 5.00, 0.00, 2.50; active_on_or_after 1, 1, 1, 1 (u1 returns at
-- offset 3); rate_vs_previous -, 1, 0, - (after 0 active); complete while the day
-- ends before Jan 4.  Cohort Jan 2 (u2): 1, 1, 0; values 0.00, 2.00, 0.00.
SELECT * FROM retention_table((SELECT retention_agg(u, t, 'day', s, r, v) FROM ev1));
-- without values: value and value_per_active are NULL
SELECT cohort, period_offset, active, value, value_per_active
  FROM retention_table((SELECT retention_agg(u, t, 'day', s, r) FROM ev1));
-- observed_until Jan 10: every row complete, and the rows run to Jan 10
SELECT cohort, period_offset, active, complete
  FROM retention_table((SELECT retention_agg(u, t, 'day', s, r) FROM ev1), '2024-01-10')
 WHERE period_offset <= 4;
-- the curve: offset 0: 2 cohorts, 2 actors; 1: 2 cohorts, 2 active (rate 1);
-- 2: Jan 1 (0 of 1) and Jan 2 (not complete by Jan 4): 1 cohort, 0
SELECT * FROM retention_curve((SELECT retention_agg(u, t, 'day', s, r) FROM ev1));

------------------------------------------------------------------------------
-- return events before the anchor in the anchor's own period, rows in any order
------------------------------------------------------------------------------
-- u1, in this row order: returns Jan 1 09:00 (1) and 12:00 (2), starts Jan 1 10:00,
-- returns Jan 1 08:00 (4), starts and returns Jan 1 11:00 (8), returns Jan 2 12:00
-- (16), starts Jan 2 13:00.
-- first_time: anchor Jan 1 10:00; offset 0 counts 12:00 and 11:00 (value 10, 2
-- return events), not 09:00 and 08:00; offset 1: 16.
-- recurring: cohort Jan 1 as above; cohort Jan 2 anchored at 13:00: the return at
-- 12:00 that day is before it (offset 0 value 0), and counts for cohort Jan 1's
-- offset 1.
-- u2, in this row order: starts Jan 3 10:00, returns Jan 5 12:00 (32), starts Jan 3
-- 08:00.  Both cohort kinds: cohort Jan 3 (anchor 08:00), offset 0 value 0, offset 2
-- active with 32 (the later, earlier start must not pull the Jan 5 return into Jan 3).
-- Rows with active members only; every row order gives the same matrix.
CREATE TABLE ev_pre (n int, u int, t timestamptz, s boolean, r boolean, v numeric);
INSERT INTO ev_pre VALUES
    (1, 1, dt(1, 9), false, true, 1), (2, 1, dt(1, 12), false, true, 2),
    (3, 1, dt(1, 10), true, false, NULL), (4, 1, dt(1, 8), false, true, 4),
    (5, 1, dt(1, 11), true, true, 8), (6, 1, dt(2, 12), false, true, 16),
    (7, 1, dt(2, 13), true, false, NULL),
    (8, 2, dt(3, 10), true, false, NULL), (9, 2, dt(5, 12), false, true, 32),
    (10, 2, dt(3, 8), true, false, NULL);
SELECT cohort, period_offset, cohort_size, active, value
  FROM retention_table((SELECT retention_agg(u, t, 'day', s, r, v ORDER BY n) FROM ev_pre))
 WHERE active > 0;
SELECT cohort, period_offset, cohort_size, active, value
  FROM retention_table((SELECT retention_agg(u, t, 'day', s, r, v, retention_options(cohorts => 'recurring')
                                             ORDER BY n) FROM ev_pre))
 WHERE active > 0;
SELECT o, (SELECT retention_agg(u, t, 'day', s, r, v ORDER BY n) FROM ev_pre)::text
          = (SELECT m FROM (SELECT CASE o WHEN 'time' THEN retention_agg(u, t, 'day', s, r, v ORDER BY t)
                                          WHEN 'time desc' THEN retention_agg(u, t, 'day', s, r, v ORDER BY t DESC)
                                          ELSE retention_agg(u, t, 'day', s, r, v ORDER BY n DESC) END AS m
                            FROM ev_pre) x)::text AS first_time_same,
          (SELECT retention_agg(u, t, 'day', s, r, v, retention_options(cohorts => 'recurring') ORDER BY n)
             FROM ev_pre)::text
          = (SELECT m FROM (SELECT CASE o
                    WHEN 'time' THEN retention_agg(u, t, 'day', s, r, v, retention_options(cohorts => 'recurring') ORDER BY t)
                    WHEN 'time desc' THEN retention_agg(u, t, 'day', s, r, v, retention_options(cohorts => 'recurring') ORDER BY t DESC)
                    ELSE retention_agg(u, t, 'day', s, r, v, retention_options(cohorts => 'recurring') ORDER BY n DESC) END AS m
                            FROM ev_pre) x)::text AS recurring_same
  FROM unnest(ARRAY['time', 'time desc', 'rows reversed']) o;

------------------------------------------------------------------------------
-- recurring, min_occurrences, brackets
------------------------------------------------------------------------------
-- u1 starts Jan 1 and Jan 3, returns Jan 1..Jan 4 (once each, Jan 4 twice)
CREATE TABLE ev2 (u int, t timestamptz, s boolean, r boolean);
INSERT INTO ev2 VALUES (1, dt(1), true, true), (1, dt(2), false, true), (1, dt(3), true, true),
    (1, dt(4), false, true), (1, dt(4, 15), false, true);
-- first_time: one row, Jan 1: active at 0, 1, 2, 3
SELECT cohort, period_offset, active FROM retention_table((SELECT retention_agg(u, t, 'day', s, r) FROM ev2));
-- recurring: Jan 1 as above, and Jan 3: active at 0, 1
SELECT cohort, period_offset, active, active_on_or_after
  FROM retention_table((SELECT retention_agg(u, t, 'day', s, r, NULL, retention_options(cohorts => 'recurring')) FROM ev2));
-- min_occurrences 2: of the Jan 1 cohort only offset 3 (Jan 4, twice) counts;
-- active_on_or_after stays 1 up to offset 3
SELECT cohort, period_offset, active, active_on_or_after
  FROM retention_table((SELECT retention_agg(u, t, 'day', s, r, NULL, retention_options(min_occurrences => 2)) FROM ev2));
-- brackets {1,2}: bracket 0 = offset 0, 1 = offset 1, 2 = offsets 2..3.
-- u2 starts Jan 1 and returns Jan 2 and Jan 9 (offset 8: past the last bracket).
INSERT INTO ev2 VALUES (2, dt(1), true, false), (2, dt(2), false, true), (2, dt(9), false, true);
-- Jan 1 cohort (u1, u2): bracket 1: both; bracket 2: u1 (active at 2 and 3);
-- complete: bracket 2 ends with offset 3 (Jan 4), before Jan 9
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, complete
  FROM retention_table((SELECT retention_agg(u, t, 'day', s, r, NULL, retention_options(brackets => '{1,2}')) FROM ev2));
-- with min_occurrences 2 as well: bracket 2 (u1's Jan 4 twice) only
SELECT period_offset, active
  FROM retention_table((SELECT retention_agg(u, t, 'day', s, r, NULL,
                        retention_options(brackets => '{1,2}', min_occurrences => 2)) FROM ev2));

------------------------------------------------------------------------------
-- weeks from Monday and from Sunday, months, quarters, years, hours
------------------------------------------------------------------------------
-- Saturday 2024-03-09 start, Sunday 2024-03-10 return: the same Monday week
-- (from Mon 2024-03-04), consecutive Sunday weeks (from Sun 2024-03-03)
CREATE TABLE ev3 (u int, t timestamptz, s boolean, r boolean);
INSERT INTO ev3 VALUES (1, '2024-03-09 12:00', true, false), (1, '2024-03-10 12:00', false, true);
SELECT 'monday' AS week_start, cohort, period_offset, active
  FROM retention_table((SELECT retention_agg(u, t, 'week', s, r) FROM ev3))
UNION ALL
SELECT 'sunday', cohort, period_offset, active
  FROM retention_table((SELECT retention_agg(u, t, 'week', s, r, NULL, retention_options(week_start => 'sunday')) FROM ev3));
-- months, quarters, years of 2024-03-09 .. 2024-03-10: offset 0 only
SELECT p, cohort, period_offset, active
  FROM unnest(ARRAY['month', 'quarter', 'year']) p,
       retention_table((SELECT retention_agg(u, t, p, s, r) FROM ev3));
-- hours on the night clocks go back in America/New_York: 01:30 EDT and 01:30
-- EST are two hours, offsets 0 and 1
SET TimeZone = 'America/New_York';
SELECT cohort, period_offset, active
  FROM retention_table((SELECT retention_agg(1, t, 'hour', t = '2024-11-03 05:30+00', true)
                          FROM unnest(ARRAY['2024-11-03 05:30+00', '2024-11-03 06:30+00']::timestamptz[]) t));
-- days there: Mar 9 23:30 EST (the start), Mar 10 23:30 EDT (the 23-hour day
-- of the spring change: offset 1), Mar 11 00:30 EDT (offset 2)
SELECT cohort, period_offset, active
  FROM retention_table((SELECT retention_agg(1, t, 'day', t = '2024-03-10 04:30+00', true)
                          FROM unnest(ARRAY['2024-03-10 04:30+00', '2024-03-11 03:30+00', '2024-03-11 04:30+00']::timestamptz[]) t));
SET TimeZone = 'UTC';

------------------------------------------------------------------------------
-- rolling windows
------------------------------------------------------------------------------
-- u1 anchors Jan 1 22:00; returns Jan 2 21:59 (offset 0), Jan 2 22:00 (1),
-- Jan 4 23:00 (3, value 2).  u2 anchors Jan 1 23:00, returns Jan 1 22:00 (before
-- its anchor: ignored) and Jan 3 22:59 (1, value 1).  Both in the Jan 1 cohort.
CREATE TABLE ev4 (u int, t timestamptz, s boolean, r boolean, v numeric);
INSERT INTO ev4 VALUES (1, dt(1, 22), true, false, NULL), (1, dt(2, 21) + interval '59 min', false, true, 5),
    (1, dt(2, 22), false, true, 1), (1, dt(4, 23), false, true, 2),
    (2, dt(1, 23), true, false, NULL), (2, dt(1, 22), false, true, 100), (2, dt(3, 22) + interval '59 min', false, true, 1);
-- 24 hours: offset 0: 2 (value 5), 1: 2 (value 2), 2: 0, 3: 1 (value 2); the
-- last event is Jan 4 23:00: offset k is complete once Jan 2 + (k + 1) days has passed
SELECT * FROM retention_table((SELECT retention_agg(u, t, interval '24 hours', s, r, v) FROM ev4));
-- 'recurring' gives the same with windows (one row per actor)
SELECT count(*) FROM (
    SELECT * FROM retention_table((SELECT retention_agg(u, t, interval '24 hours', s, r, v, retention_options(cohorts => 'recurring')) FROM ev4))
    EXCEPT ALL
    SELECT * FROM retention_table((SELECT retention_agg(u, t, interval '24 hours', s, r, v) FROM ev4))) x;
-- 2-day windows with brackets {1}: offset 0, then bracket 1 = offset 1 (days 2..4 from the anchor)
SELECT period_offset, active, value FROM retention_table((SELECT retention_agg(u, t, interval '2 days', s, r, v,
    retention_options(brackets => '{1}')) FROM ev4));
-- 12-hour windows: cohorts are hours (22:00 and 23:00)
SELECT cohort, period_offset, active FROM retention_table((SELECT retention_agg(u, t, interval '12 hours', s, r) FROM ev4))
 WHERE active > 0;
-- date and timestamp input
SELECT cohort, period_offset, active FROM retention_table((SELECT retention_agg(u, t::date, interval '1 day', s, r) FROM ev4))
 WHERE active > 0;
SELECT cohort, period_offset, active FROM retention_table((SELECT retention_agg(u, t::timestamp, 'day', s, r) FROM ev1));

------------------------------------------------------------------------------
-- keys, empty input, options
------------------------------------------------------------------------------
SELECT k, (SELECT count(*) FROM retention_table(m)) AS rows_
  FROM (SELECT 'text' AS k, retention_agg(u::text, t, 'day', s, r) AS m FROM ev1
        UNION ALL SELECT 'uuid', retention_agg(md5(u::text)::uuid, t, 'day', s, r) FROM ev1
        UNION ALL SELECT 'bigint', retention_agg(u::int8 * 10000000000, t, 'day', s, r) FROM ev1
        UNION ALL SELECT 'smallint', retention_agg(u::int2, t, 'day', s, r) FROM ev1) x ORDER BY k;
SELECT count(*) AS no_rows FROM retention_table((SELECT retention_agg(u, t, 'day', s, r) FROM ev1 WHERE false));
SELECT count(*) AS no_rows FROM retention_table(NULL);
SELECT retention_options();
SELECT retention_options(cohorts => 'RECURRING', brackets => '{1,3,7}', min_occurrences => 2, week_start => 'Sunday');
SELECT retention_options(NULL, NULL, NULL, NULL);

------------------------------------------------------------------------------
-- errors
------------------------------------------------------------------------------
SELECT sqlstate_of($$SELECT retention_options(cohorts => 'first')$$);
SELECT sqlstate_of($$SELECT retention_options(brackets => '{}')$$);
SELECT sqlstate_of($$SELECT retention_options(brackets => '{1,0}')$$);
SELECT sqlstate_of($$SELECT retention_options(brackets => '{1,NULL}')$$);
SELECT sqlstate_of($$SELECT retention_options(brackets => '{{1},{2}}')$$);
SELECT sqlstate_of($$SELECT retention_options(min_occurrences => 0)$$);
SELECT sqlstate_of($$SELECT retention_options(week_start => 'friday')$$);
-- a retention_options value built by hand is checked by the aggregate
SELECT sqlstate_of($$SELECT retention_agg(1, now(), 'day', true, true, 1, ROW('x', NULL, 1, 'monday')::retention_options)$$);
SELECT sqlstate_of($$SELECT retention_agg(1, now(), 'minute', true, true)$$);
SELECT sqlstate_of($$SELECT retention_agg(1, now(), NULL::text, true, true)$$);
SELECT sqlstate_of($$SELECT retention_agg(1, now(), interval '1 month', true, true)$$);
SELECT sqlstate_of($$SELECT retention_agg(1, now(), interval '0 s', true, true)$$);
SELECT sqlstate_of($$SELECT retention_agg(1, now(), interval '-1 h', true, true)$$);
SELECT sqlstate_of($$SELECT retention_agg(1, 'infinity'::timestamptz, 'day', true, true)$$);
SELECT sqlstate_of($$SELECT retention_agg(1.5, now(), 'day', true, true)$$);
SELECT sqlstate_of($$SELECT retention_agg(u, t, CASE WHEN u = 1 THEN 'day' ELSE 'week' END, s, r) FROM ev1$$);
SELECT sqlstate_of($$SELECT retention_agg(u, t, 'day', s, r, v, retention_options(min_occurrences => coalesce(u, 1))) FROM ev1$$);
SELECT sqlstate_of($$SELECT * FROM retention_table((SELECT retention_agg(u, t, 'day', s, r) FROM ev1), '2024-01-02')$$);
SELECT sqlstate_of($$SELECT * FROM retention_table((SELECT retention_agg(u, t, 'day', s, r) FROM ev1), 'infinity')$$);
-- a report of more than 1,000,000 offsets per cohort (1-second windows over 30 days)
SELECT sqlstate_of($$SELECT count(*) FROM retention_table((SELECT retention_agg(1, t, interval '1 s', true, true)
                                                          FROM unnest(ARRAY[dt(1), dt(31)]) t))$$);

------------------------------------------------------------------------------
-- retention_matrix and retention_state: text and binary forms, combine, damage
------------------------------------------------------------------------------
CREATE TABLE ra_matrices AS SELECT retention_agg(u, t, 'day', s, r, v) AS m FROM ev1;
-- the flat form: version 1, timestamptz, day, flags 04 (values), min 1, window 0,
-- no brackets, value scale 2, latest time, 2 ignored rows, 9 rows, 7 cells
SELECT m FROM ra_matrices;
SELECT m::text::retention_matrix::text = m::text AS text_round_trip,
       retention_matrix_send(m) = decode(substr(m::text, 3), 'hex') AS send_is_hex_bytes
  FROM ra_matrices;
DO $$
DECLARE path text := current_setting('data_directory') || '/retention_ra_io_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY ra_matrices TO %L (FORMAT binary)', path);
    CREATE TABLE ra_restored (m retention_matrix);
    EXECUTE format('COPY ra_restored FROM %L (FORMAT binary)', path);
END $$;
SELECT r.m::text = o.m::text AS binary_round_trip FROM ra_restored r, ra_matrices o;
CREATE FUNCTION ra_patch(hex text, byte_offset int, bytes text) RETURNS text LANGUAGE sql AS
$$ SELECT overlay(hex PLACING bytes FROM 3 + 2 * byte_offset FOR length(bytes)) $$;
SELECT sqlstate_of($$SELECT 'garbage'::retention_matrix$$) AS garbage,
       sqlstate_of($$SELECT '\x'::retention_matrix$$) AS no_bytes;
SELECT what, sqlstate_of(format('SELECT %L::retention_matrix', ra_patch(m::text, o, b))) AS result
FROM ra_matrices, (VALUES ('version 2', 0, '02'), ('time type 4', 1, '04'), ('period 9', 2, '09'),
                          ('unknown flag', 3, '84'), ('min_occurrences 0', 4, '00000000'),
                          ('a window for days', 8, '01'), ('a bracket count (then garbage)', 16, '01000000'),
                          ('one cell more', 48, '08000000'), ('offset 1 first', 56, '01000000'),
                          ('cohort size 0', 60, '0000000000000000')) v(what, o, b)
ORDER BY o, what;
SELECT sqlstate_of(format('SELECT %L::retention_matrix', m::text || '00')) AS trailing_byte,
       sqlstate_of(format('SELECT %L::retention_matrix', left(m::text, -2))) AS truncated
  FROM ra_matrices;
-- the state: stored, combined, read back
CREATE AGGREGATE ra_state(anyelement, timestamptz, text, boolean, boolean, numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, COMBINEFUNC = retention_agg_combine);
CREATE TABLE ra_states AS SELECT coalesce(u, 0) % 2 AS g, ra_state(u, t, 'day', s, r, v) AS st FROM ev1 GROUP BY 1;
SELECT retention_agg_final(retention_agg_combine(a.st, b.st))::text = (SELECT m::text FROM ra_matrices) AS combined_equals_one_pass,
       retention_agg_final(retention_agg_combine(a.st::text::retention_state, b.st::text::retention_state))::text
           = (SELECT m::text FROM ra_matrices) AS via_text
  FROM ra_states a, ra_states b WHERE a.g = 0 AND b.g = 1;
SELECT retention_agg_combine(NULL, NULL) IS NULL AS both_null,
       retention_agg_final(retention_agg_combine(NULL, st))::text = retention_agg_final(st)::text AS null_left,
       retention_agg_final(retention_agg_combine(st, NULL))::text = retention_agg_final(st)::text AS null_right
  FROM ra_states WHERE g = 1;
SELECT sqlstate_of(format('SELECT retention_agg_combine(%L::retention_state, %L::retention_state)',
                          st::text, (SELECT retention_agg_trans(NULL::retention_state, 1, now(), 'week', true, true)::text)))
  FROM ra_states WHERE g = 1;
SELECT sqlstate_of($$SELECT 'garbage'::retention_state$$) AS garbage;
SELECT what, sqlstate_of(format('SELECT %L::retention_state', ra_patch(st::text, o, b))) AS result
FROM ra_states, (VALUES ('version 2', 0, '02'), ('time type 0', 1, '00'), ('key class 9', 2, '09'),
                        ('period 0', 3, '00'), ('min_occurrences 0', 5, '00000000')) v(what, o, b)
WHERE g = 1 ORDER BY o, what;
SELECT sqlstate_of(format('SELECT %L::retention_state', st::text || '00')) AS trailing_byte,
       sqlstate_of(format('SELECT %L::retention_state', left(st::text, -2))) AS truncated
  FROM ra_states WHERE g = 1;
-- forced parallel plan: partial aggregates, the same matrix
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE TABLE ev_big AS SELECT i % 500 AS u, timestamptz '2024-01-01' + (i * 7919 % 100000) * interval '1 min' AS t,
    i % 3 = 0 AS s, i % 2 = 0 AS r, (i % 100)::numeric / 4 AS v FROM generate_series(1, 50000) i;
ALTER TABLE ev_big SET (parallel_workers = 2);
EXPLAIN (COSTS OFF) SELECT retention_agg(u, t, 'day', s, r, v) FROM ev_big;
CREATE TABLE ra_par AS SELECT retention_agg(u, t, 'day', s, r, v) AS m FROM ev_big;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT (SELECT m::text FROM ra_par) = (SELECT retention_agg(u, t, 'day', s, r, v)::text FROM ev_big) AS parallel_equals_serial;
