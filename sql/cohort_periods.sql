-- cohort_agg period kinds (day, week, month, quarter, year), input types
-- (timestamptz, timestamp, date) and time zones. Expected values worked out by hand.
SET TimeZone = 'UTC';
CREATE TABLE cp_orders (customer int, ordered_at timestamptz);
INSERT INTO cp_orders VALUES
    (1, '2023-12-30 10:00+00'),   -- Saturday; ISO week of Monday 2023-12-25
    (2, '2024-01-08 09:00+00'),   -- Monday
    (1, '2024-04-15 10:00+00'),   -- Monday; the latest order
    (3, '2024-01-02 23:00+00'),   -- Tuesday
    (1, '2024-01-02 10:00+00'),   -- Tuesday
    (2, '2024-01-01 00:00+00');   -- Monday, first instant of 2024
-- month: cohorts Dec 2023 {1}, Jan 2024 {2, 3}; L = April.
--   Dec k0..k4: active 1, 1, 0, 0, 1 (c1 in Dec, Jan, Apr); on_or_after always 1
--   Jan k0..k3: active 2 (3 orders), 0, 0, 0; on_or_after 2, 0, 0, 0
--   complete: every April cell is incomplete.
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'month') FROM cp_orders));
-- quarter: cohorts 2023-Q4 {1}, 2024-Q1 {2, 3}; L = 2024-Q2 (April 15).
--   Q4 k0 1 order; k1 (Q1) c1 on Jan 2; k2 (Q2) c1 on Apr 15, incomplete
--   Q1 k0 active 2, 3 orders; k1 nobody, incomplete
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'quarter') FROM cp_orders));
-- year: cohorts 2023 {1}, 2024 {2, 3}; c1 has 2 orders in 2024.
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'year') FROM cp_orders));
-- week (ISO, Monday): cohorts 2023-12-25 {1}, 2024-01-01 {2, 3}; L = week of 2024-04-15.
-- 2023-12-25 .. 2024-04-15 = 7 + 105 = 112 days = 16 weeks: offsets 0..16 (17 rows),
-- 2024-01-01 cohort offsets 0..15 (16 rows): 33 rows; the two rows of the last week
-- are incomplete: 31 complete. Nonzero cells:
--   2023-12-25 k0 (Dec 30), k1 (Jan 2), k16 (Apr 15); 2024-01-01 k0 (c2 Jan 1, c3 Jan 2), k1 (c2 Jan 8)
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'week') FROM cp_orders))
WHERE active > 0;
SELECT count(*) AS table_rows, count(*) FILTER (WHERE complete) AS complete_rows
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'week') FROM cp_orders));
-- day: cohorts 2023-12-30 {1}, 2024-01-01 {2}, 2024-01-02 {3}; L = 2024-04-15.
-- Days to L: 107, 105, 104 -> 108 + 106 + 105 = 319 rows, 3 incomplete (the last day).
--   2023-12-30 k0, k3 (Jan 2), k107 (Apr 15); 2024-01-01 k0, k7 (Jan 8); 2024-01-02 k0
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'day') FROM cp_orders))
WHERE active > 0;
SELECT count(*) AS table_rows, count(*) FILTER (WHERE complete) AS complete_rows
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'day') FROM cp_orders));
-- The same orders as timestamp (UTC wall clock) and as date give the same tables
-- for every period kind (no order is near a UTC day boundary that a date would move,
-- and with TimeZone UTC the local boundaries are the UTC ones).
SELECT p AS period,
       (SELECT array_agg(t::text) FROM cohort_table((SELECT cohort_agg(customer, ordered_at AT TIME ZONE 'UTC', p) FROM cp_orders)) t) =
       (SELECT array_agg(t::text) FROM cohort_table((SELECT cohort_agg(customer, ordered_at, p) FROM cp_orders)) t) AS timestamp_same,
       (SELECT array_agg(t::text) FROM cohort_table((SELECT cohort_agg(customer, (ordered_at AT TIME ZONE 'UTC')::date, p) FROM cp_orders)) t) =
       (SELECT array_agg(t::text) FROM cohort_table((SELECT cohort_agg(customer, ordered_at, p) FROM cp_orders)) t) AS date_same
FROM (VALUES ('day'), ('week'), ('month'), ('quarter'), ('year')) v(p);
-- The time type is recorded in the matrix.
SELECT split_part(cohort_agg(customer, ordered_at, 'month')::text, ' ', 3) AS tz,
       split_part(cohort_agg(customer, ordered_at AT TIME ZONE 'UTC', 'month')::text, ' ', 3) AS ts,
       split_part(cohort_agg(customer, ordered_at::date, 'month')::text, ' ', 3) AS d
FROM cp_orders;

-- ISO weeks across a year boundary (date input): Thursday 2020-12-31 and Sunday
-- 2021-01-03 are the week starting Monday 2020-12-28; Monday 2021-01-04 starts the next.
CREATE TABLE cp_iso (customer int, day date);
INSERT INTO cp_iso VALUES (1, '2020-12-31'), (1, '2021-01-03'), (1, '2021-01-04'),
                          (2, '2021-01-03'), (3, '2021-01-04');
-- week: cohort 2020-12-28 {1, 2}: k0 active 2, 3 orders; k1 c1 (1 order).
-- cohort 2021-01-04 {3}. Observation end = the latest date taken as 2021-01-04 00:00 local:
-- the week 2020-12-28 ends exactly then, so its k0 cell is complete; the last week is not.
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, day, 'week') FROM cp_iso));
-- year: cohort 2020 {1} (k1: 2 orders in 2021), cohort 2021 {2, 3}
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, day, 'year') FROM cp_iso));

-- Daylight saving, America/New_York (clocks go forward Sunday 2024-03-10 02:00).
-- 2024-03-11 03:30 UTC = Sunday March 10 23:30 EDT; 04:30 UTC = Monday March 11 00:30 EDT.
CREATE TABLE cp_ny (customer int, ordered_at timestamptz);
INSERT INTO cp_ny VALUES (1, '2024-03-11 03:30+00'), (1, '2024-03-11 04:30+00'), (2, '2024-03-11 04:30+00');
SET TimeZone = 'America/New_York';
-- week in New York: c1 cohort 2024-03-04 with k1 (Monday), c2 cohort 2024-03-11.
-- The week of 03-04 ends Monday 00:00 EDT = 04:00 UTC <= latest 04:30 UTC: complete.
SELECT cohort, period_offset, cohort_size, active, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'week') FROM cp_ny));
-- day on the 23-hour day: 06:30 UTC (01:30 EST) and 03:30 UTC next day (23:30 EDT) are
-- both March 10; 04:30 UTC is March 11. Under UTC the split is March 10 | March 11, 11.
SELECT cohort, period_offset, active, orders, complete
FROM cohort_table((SELECT cohort_agg(c, t, 'day') FROM (VALUES
    (3, timestamptz '2024-03-10 06:30+00'), (3, '2024-03-11 03:30+00'), (3, '2024-03-11 04:30+00')) v(c, t)));
SET TimeZone = 'UTC';
-- the same instants under UTC: all three rows are Monday 2024-03-11, one cohort of 2
SELECT cohort, period_offset, cohort_size, active, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'week') FROM cp_ny));
SELECT cohort, period_offset, active, orders, complete
FROM cohort_table((SELECT cohort_agg(c, t, 'day') FROM (VALUES
    (3, timestamptz '2024-03-10 06:30+00'), (3, '2024-03-11 03:30+00'), (3, '2024-03-11 04:30+00')) v(c, t)));
-- timestamp and date input: the observation end compares in the session zone.
-- Under New York, timestamp '2024-03-10 12:00' is 16:00 UTC (EDT): observed_until one second
-- earlier is an error, 16:00 UTC is not. date '2024-03-05' is 05:00 UTC (EST midnight).
SET TimeZone = 'America/New_York';
SELECT left(sqlstate_of($$SELECT count(*) FROM cohort_table((SELECT cohort_agg(1, timestamp '2024-03-10 12:00', 'day')), '2024-03-10 15:59:59+00')$$), 5) AS ts_early,
       sqlstate_of($$SELECT count(*) FROM cohort_table((SELECT cohort_agg(1, timestamp '2024-03-10 12:00', 'day')), '2024-03-10 16:00:00+00')$$) AS ts_equal,
       left(sqlstate_of($$SELECT count(*) FROM cohort_table((SELECT cohort_agg(1, date '2024-03-05', 'day')), '2024-03-05 04:59:59+00')$$), 5) AS date_early,
       sqlstate_of($$SELECT count(*) FROM cohort_table((SELECT cohort_agg(1, date '2024-03-05', 'day')), '2024-03-05 05:00:00+00')$$) AS date_equal;
-- the 23-hour March 10 ends at March 11 00:00 EDT = 04:00 UTC: observed until then, the day
-- is complete and March 11 is a zero cell; one second earlier it is the incomplete last day
SELECT cohort, period_offset, active, complete
FROM cohort_table((SELECT cohort_agg(1, timestamp '2024-03-10 12:00', 'day')), '2024-03-11 04:00:00+00');
SELECT cohort, period_offset, active, complete
FROM cohort_table((SELECT cohort_agg(1, timestamp '2024-03-10 12:00', 'day')), '2024-03-11 03:59:59+00');
SET TimeZone = 'UTC';
-- Under UTC, AT TIME ZONE 'America/New_York' gives New York's buckets (timestamp input;
-- its observation end 2024-03-11 00:30 is read in the session zone, UTC, and the week of
-- 03-04 ends at 2024-03-11 00:00 UTC: complete).
SELECT cohort, period_offset, cohort_size, active, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at AT TIME ZONE 'America/New_York', 'week') FROM cp_ny));

-- Daylight saving, Europe/Bucharest (clocks go back Sunday 2024-10-27 04:00 EEST -> 03:00 EET).
-- 2024-10-27 21:30 UTC = Sunday 23:30 EET; 22:30 UTC = Monday 2024-10-28 00:30 EET.
CREATE TABLE cp_buc (customer int, ordered_at timestamptz);
INSERT INTO cp_buc VALUES (1, '2024-10-27 21:30+00'), (1, '2024-10-27 22:30+00'), (2, '2024-10-27 22:30+00');
SET TimeZone = 'Europe/Bucharest';
-- week: c1 cohort 2024-10-21 with k1, c2 cohort 2024-10-28; the week of 10-21 ends
-- 2024-10-28 00:00 EET = 10-27 22:00 UTC <= 22:30 UTC: complete
SELECT cohort, period_offset, cohort_size, active, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'week') FROM cp_buc));
-- month: 2024-10-31 21:30 UTC = Oct 31 23:30 EET, 22:30 UTC = Nov 1 00:30 EET
SELECT cohort, period_offset, cohort_size, active, orders, complete
FROM cohort_table((SELECT cohort_agg(c, t, 'month') FROM (VALUES
    (1, timestamptz '2024-10-31 21:30+00'), (1, '2024-10-31 22:30+00')) v(c, t)));
-- day on the 25-hour day: 2024-10-26 21:30 UTC (Oct 27 00:30 EEST) and 2024-10-27
-- 21:30 UTC (Oct 27 23:30 EET), 25 hours apart, are the same local day
SELECT cohort, period_offset, active, orders, complete
FROM cohort_table((SELECT cohort_agg(c, t, 'day') FROM (VALUES
    (3, timestamptz '2024-10-26 21:30+00'), (3, '2024-10-27 21:30+00')) v(c, t)));
SET TimeZone = 'UTC';
-- the same instants under UTC: week all in 2024-10-21 (Sunday the 27th); month all October;
-- day: 10-26 and 10-27
SELECT cohort, period_offset, cohort_size, active, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'week') FROM cp_buc));
SELECT cohort, period_offset, cohort_size, active, orders, complete
FROM cohort_table((SELECT cohort_agg(c, t, 'month') FROM (VALUES
    (1, timestamptz '2024-10-31 21:30+00'), (1, '2024-10-31 22:30+00')) v(c, t)));
SELECT cohort, period_offset, active, orders, complete
FROM cohort_table((SELECT cohort_agg(c, t, 'day') FROM (VALUES
    (3, timestamptz '2024-10-26 21:30+00'), (3, '2024-10-27 21:30+00')) v(c, t)));
-- AT TIME ZONE 'Europe/Bucharest' under UTC: Bucharest's weeks again
SELECT cohort, period_offset, cohort_size, active, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at AT TIME ZONE 'Europe/Bucharest', 'week') FROM cp_buc));

-- A zone east of UTC: Asia/Kolkata (+05:30). 2024-01-31 20:00 UTC = Feb 1 01:30 IST.
CREATE TABLE cp_kol (customer int, ordered_at timestamptz);
INSERT INTO cp_kol VALUES (1, '2024-01-15 12:00+00'), (1, '2024-01-31 20:00+00');
SET TimeZone = 'Asia/Kolkata';
-- January ends Feb 1 00:00 IST = Jan 31 18:30 UTC <= 20:00 UTC: complete
SELECT cohort, period_offset, active, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'month') FROM cp_kol));
-- date input: period boundaries of date input are local times of the session zone.
-- Dates 2024-03-20 and 2024-04-15, observed until 2024-04-30 20:00 UTC = May 1 01:30 IST:
-- L = May; April ends May 1 00:00 IST = Apr 30 18:30 UTC: complete; May is a zero cell.
SELECT cohort, period_offset, active, complete
FROM cohort_table((SELECT cohort_agg(c, d, 'month') FROM (VALUES (1, date '2024-03-20'), (1, '2024-04-15')) v(c, d)),
                  '2024-04-30 20:00+00');
SET TimeZone = 'UTC';
-- under UTC the same instant is still April 30: L = April, April incomplete
SELECT cohort, period_offset, active, complete
FROM cohort_table((SELECT cohort_agg(c, d, 'month') FROM (VALUES (1, date '2024-03-20'), (1, '2024-04-15')) v(c, d)),
                  '2024-04-30 20:00+00');
SELECT cohort, period_offset, active, orders, complete
FROM cohort_table((SELECT cohort_agg(customer, ordered_at, 'month') FROM cp_kol));

-- Daily cohorts over ten years (date input), a few customers.
-- Cohorts 2015-03-01, 2016-02-29, 2020-07-15, 2024-12-31; L = 2024-12-31.
--   2015-03-01 -> 2025-03-01 = 3650 + 3 leap days = 3653; minus 60 (2024-12-31 -> 2025-03-01): 3593
--   2016-02-29 -> 2016-03-01 1, -> 2024-03-01 2920 + 2 = 2922, -> 2024-12-31 305: 3228
--   2020-07-15 -> 2024-07-15 1461, -> 2024-12-31 31+31+30+31+30+16 = 169: 1630
--   2024-12-31: 0
-- rows = (3593+1) + (3228+1) + (1630+1) + (0+1) = 8455; the last day of each cohort is
-- incomplete: 8451 complete; active cells: d1 x2, d2, d3 x2, d4 = 6.
CREATE TABLE cp_long (customer int, day date);
INSERT INTO cp_long VALUES (1, '2015-03-01'), (1, '2024-12-31'), (2, '2016-02-29'),
                           (3, '2020-07-15'), (3, '2021-01-01'), (4, '2024-12-31');
SELECT count(*) AS table_rows, count(*) FILTER (WHERE complete) AS complete_rows,
       sum(active) AS active_cells, count(DISTINCT cohort) AS cohorts, max(period_offset) AS max_offset
FROM cohort_table((SELECT cohort_agg(customer, day, 'day') FROM cp_long));
SELECT cohort, period_offset, active, active_on_or_after
FROM cohort_table((SELECT cohort_agg(customer, day, 'day') FROM cp_long)) WHERE active > 0;

-- Period names are case-insensitive; anything else is ERROR 22023.
SELECT cohort_agg(1, timestamptz '2024-01-01 00:00+00', 'months');
SELECT p, CASE WHEN r = 'no error' THEN r ELSE left(r, 5) END AS result
FROM (VALUES ('months'), ('Month '), (' month'), ('mon'), (''), ('weeks'), ('isoweek'),
             ('hour'), ('decade'), ('day '), ('MONTH'), ('Week'), ('dAy'), ('QUARTER'), ('Year')) v(p),
     LATERAL sqlstate_of(format('SELECT cohort_agg(1, timestamptz %L, %L)', '2024-01-01 00:00+00', p)) r;
SELECT (SELECT cohort_agg(customer, ordered_at, 'MONTH')::text FROM cp_orders) =
       (SELECT cohort_agg(customer, ordered_at, 'month')::text FROM cp_orders) AS upper_same;
-- NULL period: 22004; a period that changes between rows: 22023. 'Month' and 'month'
-- on different rows name the same period (my reading of "case-insensitive"): no error.
SELECT left(sqlstate_of($$SELECT cohort_agg(1, timestamptz '2024-01-01 00:00+00', NULL)$$), 5) AS null_period,
       left(sqlstate_of($$SELECT cohort_agg(c, t, p) FROM (VALUES (1, timestamptz '2024-01-01 00:00+00', 'month'),
                                                             (2, '2024-01-02 00:00+00', NULL)) v(c, t, p)$$), 5) AS null_on_second_row,
       left(sqlstate_of($$SELECT cohort_agg(c, t, p) FROM (VALUES (1, timestamptz '2024-01-01 00:00+00', 'month'),
                                                             (2, '2024-01-02 00:00+00', 'week')) v(c, t, p)$$), 5) AS mixed,
       sqlstate_of($$SELECT cohort_agg(c, t, p) FROM (VALUES (1, timestamptz '2024-01-01 00:00+00', 'month'),
                                                     (2, '2024-01-02 00:00+00', 'Month')) v(c, t, p)$$) AS mixed_case;
-- +-infinity: 22008 for every time type
SELECT left(sqlstate_of($$SELECT cohort_agg(1, timestamptz 'infinity', 'month')$$), 5) AS tz_inf,
       left(sqlstate_of($$SELECT cohort_agg(1, timestamptz '-infinity', 'day')$$), 5) AS tz_minus_inf,
       left(sqlstate_of($$SELECT cohort_agg(1, timestamp 'infinity', 'week')$$), 5) AS ts_inf,
       left(sqlstate_of($$SELECT cohort_agg(1, date '-infinity', 'year')$$), 5) AS date_minus_inf,
       left(sqlstate_of($$SELECT cohort_agg(c, t, 'month', 1) FROM (VALUES (1, date '2024-01-01'), (2, 'infinity')) v(c, t)$$), 5) AS second_row_inf;
