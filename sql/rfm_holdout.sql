-- rfm_holdout: the calibration summary (exactly rfm at calibration_end) and the holdout
-- purchases in the periods after calibration_end's up to observation_end's. Small cases
-- computed by hand (the computation is in the comments), the boundaries of both ends,
-- every unit and time type, NULLs, errors with their SQLSTATE, parallel plans, and the
-- state's text form.
SET TimeZone = 'UTC';

-- 1. Dates, unit day, calibration_end 2024-01-10, observation_end 2024-01-20.
-- Customer 1: calibration days 01-01 (10), 01-05 (5 + 1), 01-10 (2: at calibration_end,
--   still calibration); holdout days 01-11 (3 + 4), 01-20 (6: at observation_end);
--   01-21 (100) after observation_end: ignored.
--   frequency_cal = 3 days - 1 = 2, recency_cal = 01-10 - 01-01 = 9, t_cal = 9,
--   monetary_value_cal = (6 + 2) / 2 = 4; frequency_holdout = 2 days,
--   monetary_value_holdout = (7 + 6) / 2 = 6.5, duration_holdout = 01-20 - 01-10 = 10.
-- Customer 2: only 01-12, first seen in the holdout: NULL.
-- Customer 3: one calibration day 01-03 (7.25), nothing after: (0, 0, 7, 0, 0, 0, 10).
-- Customer 4: only 01-25, after observation_end: NULL.
CREATE TABLE rh_orders (customer int, ordered_on date, amount numeric);
INSERT INTO rh_orders VALUES
    (1, '2024-01-11', 3), (1, '2024-01-01', 10.0), (1, '2024-01-05', 5), (1, '2024-01-20', 6),
    (1, '2024-01-05', 1), (1, '2024-01-21', 100), (1, '2024-01-10', 2), (1, '2024-01-11', 4),
    (2, '2024-01-12', 1), (3, '2024-01-03', 7.25), (4, '2024-01-25', 1);
SELECT customer, rfm_holdout(ordered_on, amount, date '2024-01-10', date '2024-01-20') AS summary,
       rfm_holdout(ordered_on, amount, date '2024-01-10', date '2024-01-20') IS NULL AS is_null
FROM rh_orders GROUP BY customer ORDER BY customer;
SELECT customer, (rfm_holdout(ordered_on, amount, date '2024-01-10', date '2024-01-20')).*
FROM rh_orders WHERE customer = 1 GROUP BY customer;
-- the calibration columns are rfm's at calibration_end, for every customer and unit (both
-- NULL for customers 2 and 4 by day and hour; customer 2's 01-12 lies in the week of
-- calibration_end; January holds every order)
SELECT u, count(*) AS customers, count(*) FILTER (WHERE r IS NULL) AS null_summaries,
       bool_and(CASE WHEN h IS NULL THEN r IS NULL
                     ELSE ROW((h).frequency_cal, (h).recency_cal, (h).t_cal, (h).monetary_value_cal)::rfm_summary = r
                          AND (h).monetary_value_cal::text = (r).monetary_value::text END) AS calibration_is_rfm
FROM (SELECT u, customer, rfm_holdout(ordered_on, amount, date '2024-01-10', date '2024-01-20', u) AS h,
             rfm(ordered_on, amount, date '2024-01-10', u) AS r
      FROM rh_orders, (VALUES ('day'), ('week'), ('month'), ('hour')) v(u)
      GROUP BY u, customer) q
GROUP BY u ORDER BY u;
-- calibration_end = observation_end: an empty holdout of duration 0
SELECT rfm_holdout(ordered_on, amount, date '2024-01-10', date '2024-01-10') FROM rh_orders WHERE customer = 1;

-- 2. timestamptz in America/New_York (periods are local days), unit day; 2024-03-10 is
-- the day daylight saving time starts there. calibration_end 2024-03-10 12:00 local,
-- observation_end 2024-03-20 08:00 local. Orders (local time, amount):
--   03-01 10:00 (1)                 calibration, first day
--   03-10 12:00 (2), exactly calibration_end        calibration day 03-10
--   03-10 23:00 (4), same day after calibration_end calibration day 03-10 (period level)
--   03-11 00:00 (8)                 holdout day 03-11
--   03-20 08:00 (16), exactly observation_end       holdout day 03-20
--   03-20 23:59 (32), same day after it             holdout day 03-20
--   03-21 00:00 (64)                ignored
-- frequency_cal 1, recency_cal 9, t_cal 9, monetary_value_cal 2 + 4 = 6;
-- frequency_holdout 2, monetary_value_holdout (8 + 16 + 32) / 2 = 28, duration 10.
SET TimeZone = 'America/New_York';
CREATE TABLE rh_tz (ordered_at timestamptz, amount numeric);
INSERT INTO rh_tz VALUES ('2024-03-20 23:59', 32), ('2024-03-10 12:00', 2), ('2024-03-21 00:00', 64),
    ('2024-03-01 10:00', 1), ('2024-03-11 00:00', 8), ('2024-03-10 23:00', 4), ('2024-03-20 08:00', 16);
SELECT rfm_holdout(ordered_at, amount, timestamptz '2024-03-10 12:00', timestamptz '2024-03-20 08:00') AS new_york
FROM rh_tz;
-- the same instants in UTC: 03-10 23:00 New York is 03-11 03:00 UTC (a holdout day now),
-- 03-20 23:59 is 03-21 03:59 (after observation_end's day 03-20), 03-21 00:00 is 03-21
-- 04:00; calibration_end is 03-10 16:00 UTC, observation_end 03-20 12:00 UTC.
-- calibration days 03-01, 03-10 (2): (1, 9, 9, 2); holdout days 03-11 (4 + 8), 03-20
-- (16): 2 days, (12 + 16) / 2 = 14; duration 10.
SET TimeZone = 'UTC';
SELECT rfm_holdout(ordered_at, amount, timestamptz '2024-03-10 16:00', timestamptz '2024-03-20 12:00') AS utc
FROM rh_tz;

-- 3. Unit week (weeks start on Monday), dates: calibration_end Wed 2024-01-10 (week of
-- 01-08), observation_end Wed 2024-01-31 (week of 01-29).
--   01-01 Mon (10): calibration week 01-01
--   01-12 Fri (20): the week of calibration_end, after it: calibration week 01-08
--   01-15 Mon (1), 01-17 Wed (2): holdout week 01-15
--   02-02 Fri (3.5): the week of observation_end, after it: holdout week 01-29
--   02-05 Mon (99): ignored
-- (1, 1, 1, 20, 2, (1 + 2 + 3.5) / 2 = 3.25, 3 weeks from 01-08 to 01-29)
SELECT rfm_holdout(d, a, date '2024-01-10', date '2024-01-31', 'week') AS week
FROM (VALUES (date '2024-01-17', 2), ('2024-02-05', 99), ('2024-01-01', 10), ('2024-01-15', 1),
             ('2024-01-12', 20), ('2024-02-02', 3.5)) v(d, a);

-- 4. Unit month, timestamp: calibration_end 2024-02-15, observation_end 2024-05-01.
--   01-31 23:00 (1.10) calibration Jan; 02-29 10:00 (2.20) calibration Feb (after
--   calibration_end, same month); 03-01 (3.30) holdout Mar; 05-31 23:59 (4.40) holdout May;
--   06-01 (5.50) ignored.
-- (1, 1, 1, 2.20, 2, (3.30 + 4.40) / 2 = 3.85, 3 months Feb .. May)
SELECT rfm_holdout(t, a, timestamp '2024-02-15', timestamp '2024-05-01', 'month') AS month
FROM (VALUES (timestamp '2024-05-31 23:59', 4.40), ('2024-02-29 10:00', 2.20), ('2024-06-01', 5.50),
             ('2024-01-31 23:00', 1.10), ('2024-03-01', 3.30)) v(t, a);

-- 5. Unit hour, timestamptz: calibration_end 10:30, observation_end 13:15 (2024-01-01 UTC).
--   08:05 (1) hour 8; 10:45 (2) hour 10, after calibration_end in its hour: calibration;
--   11:00 (3) holdout hour 11; 13:59 (4) holdout hour 13; 14:00 (5) ignored.
-- (1, 2, 2, 2, 2, (3 + 4) / 2 = 3.5, 3 hours from 10:00 to 13:00)
SELECT rfm_holdout(t, a, timestamptz '2024-01-01 10:30', timestamptz '2024-01-01 13:15', 'hour') AS hour
FROM (VALUES (timestamptz '2024-01-01 13:59', 4), ('2024-01-01 08:05', 1), ('2024-01-01 14:00', 5),
             ('2024-01-01 10:45', 2), ('2024-01-01 11:00', 3)) v(t, a);

-- 6. NULLs. A NULL ordered_at is skipped; a NULL amount still makes its period a purchase
-- (worth 0). Calibration: 01-01 (10), 01-02 (NULL): (1, 1, 9, 0). Holdout: 01-11 (NULL),
-- 01-12 (4), and a NULL time (5) skipped: 2 days, (0 + 4) / 2 = 2, duration 10.
SELECT rfm_holdout(d, a, date '2024-01-10', date '2024-01-20') AS nulls
FROM (VALUES (date '2024-01-01', 10), ('2024-01-02', NULL), ('2024-01-11', NULL), ('2024-01-12', 4),
             (NULL, 5)) v(d, a);
-- no row, only NULL times, only holdout rows: NULL
SELECT rfm_holdout(d, 1, date '2024-01-10', date '2024-01-20') IS NULL AS no_row
FROM (VALUES (date '2024-01-01')) v(d) WHERE false;
SELECT rfm_holdout(d, 1, date '2024-01-10', date '2024-01-20') IS NULL AS null_times
FROM (VALUES (NULL::date), (NULL)) v(d);
-- float8 and float4 amounts, as amount::numeric: calibration 01-01 (0.5), 01-03 (0.25);
-- holdout 01-15 (1.5): (1, 2, 9, 0.25, 1, 1.5, 10)
SELECT rfm_holdout(d, a::float8, date '2024-01-10', date '2024-01-20') AS float8_amounts,
       rfm_holdout(d, a::float4, date '2024-01-10', date '2024-01-20', 'day') AS float4_amounts
FROM (VALUES (date '2024-01-01', 0.5), ('2024-01-03', 0.25), ('2024-01-15', 1.5)) v(d, a);

-- 7. Errors
-- calibration_end after observation_end: 22023 with a hint
SELECT sqlstate_of($$SELECT rfm_holdout(date '2024-01-01', 1, date '2024-02-01', date '2024-01-31')$$) AS ends_reversed;
SELECT rfm_holdout(date '2024-01-01', 1, date '2024-02-01', date '2024-01-31');
-- in the same period is still an error (the times are compared, not the periods)
SELECT left(sqlstate_of($$SELECT rfm_holdout(timestamp '2024-01-01', 1, timestamp '2024-02-01 12:00',
                                              timestamp '2024-02-01 11:00')$$), 5) AS ends_reversed_same_day;
-- NULL ends: 22004, also on a row with a NULL time
SELECT sqlstate_of($$SELECT rfm_holdout(date '2024-01-01', 1, NULL, date '2024-01-31')$$) AS null_calibration_end,
       sqlstate_of($$SELECT rfm_holdout(NULL::date, 1, date '2024-01-01', NULL)$$) AS null_observation_end;
-- infinite ends: 22008
SELECT left(sqlstate_of($$SELECT rfm_holdout(date '2024-01-01', 1, date '2024-01-10', date 'infinity')$$), 5) AS obs_infinite,
       left(sqlstate_of($$SELECT rfm_holdout(timestamptz '2024-01-01', 1, timestamptz '-infinity', timestamptz '2024-01-10')$$), 5) AS cal_infinite,
       left(sqlstate_of($$SELECT rfm_holdout(timestamptz 'infinity', 1, timestamptz '2024-01-01', timestamptz '2024-01-10')$$), 5) AS ordered_at_infinite;
-- ends differing between rows of a group: 22023
SELECT sqlstate_of($$SELECT rfm_holdout(d, 1, c, o) FROM (VALUES (date '2024-01-01', date '2024-01-10', date '2024-01-20'),
                                                                 ('2024-01-02', '2024-01-11', '2024-01-20')) v(d, c, o)$$) AS cal_differs;
SELECT left(sqlstate_of($$SELECT rfm_holdout(d, 1, c, o) FROM (VALUES (date '2024-01-01', date '2024-01-10', date '2024-01-20'),
                                                                      ('2024-01-02', '2024-01-10', '2024-01-21')) v(d, c, o)$$), 5) AS obs_differs;
SELECT rfm_holdout(d, 1, c, o) FROM (VALUES (date '2024-01-01', date '2024-01-10', date '2024-01-20'),
                                            ('2024-01-02', '2024-01-10', '2024-01-21')) v(d, c, o);
-- unit: NULL 22004, unknown 22023, differing between rows 22023
SELECT sqlstate_of($$SELECT rfm_holdout(date '2024-01-01', 1, date '2024-01-10', date '2024-01-20', NULL)$$) AS null_unit;
SELECT rfm_holdout(date '2024-01-01', 1, date '2024-01-10', date '2024-01-20', 'quarter');
SELECT left(sqlstate_of($$SELECT rfm_holdout(d, 1, date '2024-01-10', date '2024-01-20', u)
                         FROM (VALUES (date '2024-01-01', 'day'), ('2024-01-02', 'week')) v(d, u)$$), 5) AS unit_differs;

-- 8. Parallel, partitionwise and sorted plans give the serial result. Orders over two
-- years in a scrambled order, some NULL times and amounts; holdout from 2024-03-31 12:00
-- to 2024-09-30 12:00 (Bucharest) for every unit.
SET TimeZone = 'Europe/Bucharest';
CREATE TABLE rh_many AS
    SELECT i AS order_id, (i::int8 * 7919) % 2003 AS customer,
           CASE WHEN i % 101 = 0 THEN NULL
                ELSE timestamptz '2023-01-01' + (i::int8 * 104729 % 1051200) * interval '1 minute' END AS ordered_at,
           CASE WHEN i % 53 = 0 THEN NULL ELSE ((i * 31) % 20000) / 100.0 - 20 END AS amount
    FROM generate_series(1, 20000) i
    UNION ALL
    -- customers 5000 .. 5099 first buy in the holdout period (NULL)
    SELECT 20000 + i, 5000 + i % 100, timestamptz '2024-05-01' + i * interval '7 hours', i % 17
    FROM generate_series(1, 1000) i;
ANALYZE rh_many;
CREATE FUNCTION rh_query(rel text) RETURNS text LANGUAGE sql AS $$
    SELECT format($q$SELECT customer,
                            rfm_holdout(ordered_at, amount, '2024-03-31 12:00', '2024-09-30 12:00')::text AS day,
                            rfm_holdout(ordered_at, amount, '2024-03-31 12:00', '2024-09-30 12:00', 'week')::text AS week,
                            rfm_holdout(ordered_at, amount, '2024-03-31 12:00', '2024-09-30 12:00', 'month')::text AS month,
                            rfm_holdout(ordered_at, amount, '2024-03-31 12:00', '2024-09-30 12:00', 'hour')::text AS hour
                     FROM %s GROUP BY 1$q$, rel)
$$;
CREATE TABLE rh_serial (customer int8, day text, week text, month text, hour text);
DO $$ BEGIN EXECUTE 'INSERT INTO rh_serial ' || rh_query('rh_many'); END $$;
-- not trivial: customers first seen in the holdout (NULL), customers with holdout purchases
SELECT count(*) AS customers, count(*) FILTER (WHERE day IS NULL) AS null_customers,
       count(*) FILTER (WHERE split_part(day, ',', 5) <> '0') AS with_holdout_days,
       max(split_part(day, ',', 5)::int) AS max_frequency_holdout
FROM rh_serial;
CREATE FUNCTION rh_mismatches(rel text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((SELECT * FROM rh_serial) EXCEPT ALL (%s)) x', rh_query(rel)) INTO n;
    RETURN n;
END $$;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT customer, rfm_holdout(ordered_at, amount, '2024-03-31 12:00', '2024-09-30 12:00')
FROM rh_many GROUP BY customer;
SELECT rh_mismatches('rh_many') AS parallel_mismatches;
SET parallel_leader_participation = off;
SELECT rh_mismatches('rh_many') AS workers_only_mismatches;
RESET parallel_leader_participation;
-- one group over the whole table: partial states of one customer merged
EXPLAIN (COSTS OFF) SELECT rfm_holdout(ordered_at, amount, '2024-03-31 12:00', '2024-09-30 12:00') FROM rh_many;
CREATE TABLE rh_whole AS
    SELECT rfm_holdout(ordered_at, amount, '2024-03-31 12:00', '2024-09-30 12:00', 'hour')::text AS r FROM rh_many;
SET max_parallel_workers_per_gather = 0;
SELECT rfm_holdout(ordered_at, amount, '2024-03-31 12:00', '2024-09-30 12:00', 'hour')::text = (SELECT r FROM rh_whole)
       AS whole_table_equal
FROM rh_many;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
-- sort-based grouping and a spilling hash aggregate
SET enable_hashagg = off;
SELECT rh_mismatches('rh_many') AS sorted_mismatches;
RESET enable_hashagg;
SET work_mem = '64kB';
SET enable_sort = off;
SELECT rh_mismatches('rh_many') AS spilled_mismatches;
RESET enable_sort;
RESET work_mem;
-- range partitions by time, aggregated per partition and combined: the calibration rows
-- and the holdout rows of a customer in different partial states
CREATE TABLE rh_range (order_id int, customer int8, ordered_at timestamptz, amount numeric)
    PARTITION BY RANGE (ordered_at);
CREATE TABLE rh_range_a PARTITION OF rh_range FOR VALUES FROM ('2023-01-01') TO ('2024-04-15');
CREATE TABLE rh_range_b PARTITION OF rh_range FOR VALUES FROM ('2024-04-15') TO ('2025-01-01');
CREATE TABLE rh_range_null PARTITION OF rh_range DEFAULT;
INSERT INTO rh_range SELECT * FROM rh_many ORDER BY ordered_at DESC;
ANALYZE rh_range;
SET enable_partitionwise_aggregate = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT rh_mismatches('rh_range') AS by_time_parallel_mismatches;
RESET enable_partitionwise_aggregate;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SET TimeZone = 'UTC';

-- 9. The state: text form round trip, combine, damaged values.
-- Form (hex bytes): u8 version 01, u32 length + the calibration rfm_state's form, u32
-- length + the holdout rfm_state's form (sql/rfm_io.sql describes those), little-endian.
CREATE AGGREGATE rh_state(date, numeric, date, date, text) (SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state);
CREATE TABLE rh_states (label text, s rfm_holdout_state);
INSERT INTO rh_states
    SELECT 'customer 1, ' || u, rh_state(ordered_on, amount, '2024-01-10', '2024-01-20', u)
    FROM rh_orders, (VALUES ('day'), ('week'), ('month'), ('hour')) v(u) WHERE customer = 1 GROUP BY u UNION ALL
    SELECT 'customer 2', rh_state(ordered_on, amount, '2024-01-10', '2024-01-20', 'day') FROM rh_orders WHERE customer = 2;
SELECT label, s::text::rfm_holdout_state::text = s::text AS text_round_trip,
       rfm_holdout_final(s::text::rfm_holdout_state) AS summary
FROM rh_states ORDER BY label;
-- one order of 1.5 on 2024-01-01, ends 2024-01-10 and 2024-01-20, by hand: version 01;
-- calibration part of 0x38 = 56 bytes (rfm_state: 01 unit 01 day, 03 date, flags 00,
-- scale 1, 0, until 2024-01-10 = day 8775 = 0x0002b18ae17ba000 us, period 8775 = 0x2247,
-- first amount 150000000 = 0x08f0d180, n 1, day 8766 = 0x223e); holdout part of 0x30 =
-- 48 bytes (until 2024-01-20 = day 8785, period 0x2251, no period)
SELECT rfm_holdout_trans(NULL, date '2024-01-01', 1.5, date '2024-01-10', date '2024-01-20') AS one_order;
SELECT rfm_holdout_final(('\x01'
    || '38000000' || '01010300' || '01000000' || '00000000' || '00a07be18ab10200' || '4722000000000000'
                  || '80d1f00800000000' || '0000000000000000' || '01000000' || '3e22000000000000'
    || '30000000' || '01010300' || '00000000' || '00000000' || '0060e50b54b20200' || '5122000000000000'
                  || '0000000000000000' || '0000000000000000' || '00000000')::rfm_holdout_state) AS by_hand;
-- partial states combine to the whole, in either order, through their text forms too;
-- NULL partial states change nothing
SELECT rfm_holdout_final(rfm_holdout_combine(a, b)) AS ab, rfm_holdout_final(rfm_holdout_combine(b, a)) AS ba,
       rfm_holdout_final(rfm_holdout_combine(a::text::rfm_holdout_state, b::text::rfm_holdout_state)) AS ab_text,
       rfm_holdout_final(rfm_holdout_combine(a, NULL)) = rfm_holdout_final(a) AS null_right,
       rfm_holdout_final(rfm_holdout_combine(NULL, b)) = rfm_holdout_final(b) AS null_left,
       rfm_holdout_combine(NULL, NULL) IS NULL AS both_null
FROM (SELECT rh_state(ordered_on, amount, '2024-01-10', '2024-01-20', 'day') FILTER (WHERE ordered_on >= '2024-01-05') AS a,
             rh_state(ordered_on, amount, '2024-01-10', '2024-01-20', 'day') FILTER (WHERE ordered_on < '2024-01-05') AS b
      FROM rh_orders WHERE customer = 1) q;
-- states of different ends or units do not combine (22023)
SELECT left(sqlstate_of($$SELECT rfm_holdout_combine(rfm_holdout_trans(NULL, date '2024-01-01', 1, date '2024-01-10', date '2024-01-20'),
                                                      rfm_holdout_trans(NULL, date '2024-01-01', 1, date '2024-01-10', date '2024-01-21'))$$), 5) AS combine_ends_differ,
       left(sqlstate_of($$SELECT rfm_holdout_combine(rfm_holdout_trans(NULL, date '2024-01-01', 1, date '2024-01-10', date '2024-01-20'),
                                                      rfm_holdout_trans(NULL, date '2024-01-01', 1, date '2024-01-10', date '2024-01-20', 'week'))$$), 5) AS combine_units_differ;
-- binary form (send) is the text form's bytes
SELECT bool_and(rfm_holdout_state_send(s) = decode(substr(s::text, 3), 'hex')) AS send_is_hex_bytes FROM rh_states;
-- damaged values: 22P02 (not hex) or 22P03 (bytes that are no state), never a crash.
-- cal and hold are the two parts of one_order above; the others are changed copies.
WITH p AS (
    SELECT '38000000' || '01010300' || '01000000' || '00000000' || '00a07be18ab10200' || '4722000000000000'
                      || '80d1f00800000000' || '0000000000000000' || '01000000' || '3e22000000000000' AS cal,
           -- the calibration period on day 8784 (2024-01-19), after calibration_end
           '38000000' || '01010300' || '01000000' || '00000000' || '00a07be18ab10200' || '4722000000000000'
                      || '80d1f00800000000' || '0000000000000000' || '01000000' || '5022000000000000' AS cal_late,
           '30000000' || '01010300' || '00000000' || '00000000' || '0060e50b54b20200' || '5122000000000000'
                      || '0000000000000000' || '0000000000000000' || '00000000' AS hold,
           -- the holdout part of timestamp times
           '30000000' || '01010200' || '00000000' || '00000000' || '0060e50b54b20200' || '5122000000000000'
                      || '0000000000000000' || '0000000000000000' || '00000000' AS hold_ts,
           -- a holdout period on day 8775, calibration_end's day
           '38000000' || '01010300' || '01000000' || '00000000' || '0060e50b54b20200' || '5122000000000000'
                      || '80d1f00800000000' || '0000000000000000' || '01000000' || '4722000000000000' AS hold_early,
           -- a fresh rfm_state (no unit): the rfm aggregates' INITCOND
           '30000000' || '01' || repeat('00', 47) AS fresh)
SELECT v AS damage, sqlstate_of(format('SELECT %L::rfm_holdout_state', s)) AS result
FROM p, LATERAL (VALUES
    ('undamaged', '\x01' || cal || hold),
    ('not hex', 'xyz'),
    ('empty', '\x'),
    ('version 2', '\x02' || cal || hold),
    ('truncated', '\x01' || cal || left(hold, 40)),
    ('no holdout part', '\x01' || cal),
    ('calibration length too long', '\x01' || 'ff' || substr(cal, 3) || hold),
    ('trailing byte', '\x01' || cal || hold || '00'),
    ('parts swapped', '\x01' || hold || cal),
    ('holdout of other times', '\x01' || cal || hold_ts),
    ('holdout period in the calibration', '\x01' || cal || hold_early),
    ('calibration period after its end', '\x01' || cal_late || hold),
    ('fresh calibration part', '\x01' || fresh || hold)
) x(v, s);

-- 10. The memory bound of rfm: 9,985 distinct hours (2028-01-01 .. 2029-02-20) in either part
-- need 128 kB (54000); 744 holdout hours (01-20 01:00 .. 02-20 00:00: 23 + 11 x 24 + 19 x 24 + 1) fit
SET retention.max_state_memory = '64kB';
SELECT left(sqlstate_of($$SELECT rfm_holdout(t, 1, timestamptz '2030-01-01', timestamptz '2030-01-01', 'hour')
                         FROM generate_series(timestamptz '2028-01-01', '2029-02-20', interval '1 hour') t$$), 5) AS calibration_too_large,
       left(sqlstate_of($$SELECT rfm_holdout(t, 1, timestamptz '2027-01-01', timestamptz '2030-01-01', 'hour')
                         FROM generate_series(timestamptz '2028-01-01', '2029-02-20', interval '1 hour') t$$), 5) AS holdout_too_large,
       (SELECT (rfm_holdout(t, 1, timestamptz '2028-01-20', timestamptz '2030-01-01', 'hour')).frequency_holdout
        FROM generate_series(timestamptz '2028-01-01', '2028-02-20', interval '1 hour') t) AS small_enough;
RESET retention.max_state_memory;

DROP TABLE rh_orders, rh_tz, rh_many, rh_serial, rh_whole, rh_range, rh_states;
DROP FUNCTION rh_query(text), rh_mismatches(text);
DROP AGGREGATE rh_state(date, numeric, date, date, text);
RESET TimeZone;
