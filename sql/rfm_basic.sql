-- rfm(ordered_at, amount, observed_until [, unit]): hand-computed RFM summaries, as
-- lifetimes' summary_data_from_transaction_data defines them (doc/clv_math.md section 1):
--   periods: every order is put in its unit period; orders of one period are one
--            purchase, their amounts summed; periods after observed_until's are dropped
--   frequency = distinct periods - 1, recency = units from the first period to the last,
--   t = units from the first period to observed_until's period,
--   monetary_value = sum of the amounts of every period but the first / frequency
--                    (numeric division, as avg() does it), 0 when frequency = 0.
-- Every expected value is worked out in the comment above its query.
SET TimeZone = 'UTC';

------------------------------------------------------------------------------------------
-- Same-period collapse, unsorted input, the first period left out of monetary_value
------------------------------------------------------------------------------------------
CREATE TABLE rb_orders (customer int, ordered_at timestamptz, amount numeric);
INSERT INTO rb_orders VALUES          -- deliberately not in time order
    (1, '2024-03-05 10:00+00', 20.00),
    (1, '2024-03-01 09:00+00', 10.00),
    (1, '2024-03-10 12:00+00',  7.25),
    (1, '2024-03-01 18:30+00',  5.50),
    (1, '2024-03-05 23:59+00',  4.00),
    (2, '2024-03-08 20:00+00',  0.01),
    (2, '2024-03-08 08:00+00', 99.99),
    (3, '2024-03-31 23:00+00', 12.00);
-- observed_until 2024-03-31, unit day (the default):
--   c1: days 03-01 (10.00 + 5.50 = 15.50, the first), 03-05 (20.00 + 4.00 = 24.00),
--       03-10 (7.25): frequency 2, recency 10 - 1 = 9, t = 31 - 1 = 30,
--       monetary (24.00 + 7.25) / 2 = 15.625, shown with avg()'s 16 decimals:
--       15.6250000000000000 (15.50 of the first day is not in it)
--   c2: one day (two orders, 100.00): frequency 0, recency 0, t = 31 - 8 = 23, monetary 0
--   c3: one order on the last day: frequency 0, recency 0, t 0, monetary 0
SELECT customer, (rfm(ordered_at, amount, '2024-03-31')).* FROM rb_orders GROUP BY customer ORDER BY customer;
-- the same with the unit spelled out, in any case, and as one composite value
SELECT customer, rfm(ordered_at, amount, '2024-03-31', 'day') AS day,
       rfm(ordered_at, amount, '2024-03-31', 'DAY') = rfm(ordered_at, amount, '2024-03-31') AS same
FROM rb_orders GROUP BY customer ORDER BY customer;
-- monetary_value is exactly (the same text as) avg() over the repeat days' sums
SELECT (rfm(ordered_at, amount, '2024-03-31')).monetary_value::text =
       (SELECT avg(s)::text FROM (VALUES (24.00), (7.25)) v(s)) AS same_as_avg
FROM rb_orders WHERE customer = 1;
-- rows in any order (lifetimes bug #85): time order, reversed, by amount
SELECT customer, rfm(ordered_at, amount, '2024-03-31' ORDER BY ordered_at) AS by_time,
       rfm(ordered_at, amount, '2024-03-31' ORDER BY ordered_at DESC) AS reversed,
       rfm(ordered_at, amount, '2024-03-31' ORDER BY amount) AS by_amount
FROM rb_orders GROUP BY customer ORDER BY customer;

------------------------------------------------------------------------------------------
-- observed_until: in the middle of a period, orders after it, a first order after it
------------------------------------------------------------------------------------------
-- observed_until 2024-03-05 12:00 is floored to the day 03-05: c1's order at 03-05 23:59
-- is on that day and counts; 03-10 is after and is ignored:
--   c1: 03-01 (15.50), 03-05 (24.00): frequency 1, recency 4, t 4, monetary 24.00 / 1 =
--       24.0000000000000000
--   c2 (first order 03-08) and c3 (03-31): no order on or before 03-05: NULL
SELECT customer, rfm(ordered_at, amount, '2024-03-05 12:00') FROM rb_orders GROUP BY customer ORDER BY customer;
-- unit week: observed_until Wednesday 2024-03-13 is floored to Monday 03-11. Weeks:
-- 03-01 (Fri) and 03-05 (Tue) are in the weeks of Mon 02-26 and Mon 03-04, 03-08 in that of
-- 03-04, 03-10 (Sun) in that of 03-04 too, 03-31 (Sun) in that of 03-25 (after 03-11: ignored):
--   c1: weeks 02-26 (15.50), 03-04 (24.00 + 7.25 = 31.25): frequency 1, recency 1,
--       t = (03-11 - 02-26) / 7 = 2, monetary 31.2500000000000000
--   c2: week 03-04: frequency 0, recency 0, t 1, monetary 0
--   c3: NULL
SELECT customer, rfm(ordered_at, amount, '2024-03-13 15:00', 'week') FROM rb_orders GROUP BY customer ORDER BY customer;
-- no rows at all: NULL; GROUP BY over no rows: no row
SELECT rfm(ordered_at, amount, '2024-03-31') IS NULL AS empty_is_null FROM rb_orders WHERE false;
SELECT customer, rfm(ordered_at, amount, '2024-03-31') FROM rb_orders WHERE false GROUP BY customer;

------------------------------------------------------------------------------------------
-- Units: ISO weeks across a year boundary, months, hours
------------------------------------------------------------------------------------------
CREATE TABLE rb_units (customer int, ordered_at timestamptz, amount numeric);
INSERT INTO rb_units VALUES
    (1, '2025-01-05 10:00+00', 2),    -- Sunday: ISO week 2025-W01, Monday 2024-12-30
    (1, '2024-12-29 10:00+00', 1),    -- Sunday: week of Monday 2024-12-23 (2024-W52)
    (1, '2025-01-06 00:00+00', 4),    -- Monday: week of 2025-01-06
    (1, '2024-12-30 00:00+00', 3),    -- Monday: week of 2024-12-30
    (2, '2024-01-31 23:59+00', 10),
    (2, '2024-02-01 00:00+00', 20),
    (2, '2024-02-29 12:00+00', 30),
    (2, '2024-04-15 00:00+00', 40);
-- week, observed_until Friday 2025-01-31 -> Monday 2025-01-27:
--   c1: weeks 12-23 (1), 12-30 (3 + 2 = 5), 01-06 (4): frequency 2, recency 2,
--       t = (01-27 - 12-23) / 7 = 35 / 7 = 5, monetary (5 + 4) / 2 = 4.5000000000000000
--   c2: weeks 01-29 (Wed 01-31 and Thu 02-01: 30), 02-26 (Thu 02-29: 30), 04-15 (Mon: 40):
--       frequency 2, recency (04-15 - 01-29) / 7 = 77 / 7 = 11, t = (2025-01-27 - 2024-01-29) / 7
--       = 364 / 7 = 52, monetary (30 + 40) / 2 = 35.0000000000000000
SELECT customer, (rfm(ordered_at, amount, '2025-01-31', 'week')).* FROM rb_units GROUP BY customer ORDER BY customer;
-- month, observed_until 2025-01-31:
--   c1: 2024-12 (1 + 3 = 4), 2025-01 (2 + 4 = 6): frequency 1, recency 1, t 1, monetary 6
--       -> 6.0000000000000000
--   c2: 2024-01 (10), 2024-02 (20 + 30 = 50), 2024-04 (40): frequency 2, recency 3,
--       t = 2024-01 to 2025-01 = 12, monetary (50 + 40) / 2 = 45.0000000000000000
SELECT customer, (rfm(ordered_at, amount, '2025-01-31', 'month')).* FROM rb_units GROUP BY customer ORDER BY customer;
-- hour, observed_until 2025-01-06 00:30 -> 00:00:
--   c1: hours 2024-12-29 10:00 (1), 12-30 00:00 (3), 2025-01-05 10:00 (2), 01-06 00:00 (4):
--       frequency 3, recency = 8 days - 10 h = 182 h, t = 182 h, monetary (3 + 2 + 4) / 3 = 3.0000000000000000
--   c2: all before: hours 2024-01-31 23:00 (10), 02-01 00:00 (20), 02-29 12:00 (30),
--       04-15 00:00 (40): frequency 3, recency = 75 days - 23 h = 1777 h,
--       t = 2025-01-06 00:00 - 2024-01-31 23:00 = 340 days + 1 h = 8161 h,
--       monetary (20 + 30 + 40) / 3 = 30.0000000000000000
SELECT customer, (rfm(ordered_at, amount, '2025-01-06 00:30', 'hour')).* FROM rb_units GROUP BY customer ORDER BY customer;

------------------------------------------------------------------------------------------
-- timestamptz is bucketed in the session TimeZone; daylight-saving days
------------------------------------------------------------------------------------------
CREATE TABLE rb_dst (customer int, ordered_at timestamptz, amount numeric);
INSERT INTO rb_dst VALUES
    -- New York, 2024-11-03: clocks go back at 02:00 EDT to 01:00 EST (a 25-hour day)
    (1, '2024-11-03 04:30+00', 1),    -- 00:30 EDT
    (1, '2024-11-03 05:30+00', 2),    -- 01:30 EDT
    (1, '2024-11-03 06:30+00', 4),    -- 01:30 EST (the second 01:30)
    (1, '2024-11-04 04:30+00', 8),    -- 23:30 EST, still Nov 3 in New York
    -- New York, 2024-03-10: clocks go forward at 02:00 EST to 03:00 EDT (a 23-hour day)
    (2, '2024-03-10 06:30+00', 1),    -- 01:30 EST
    (2, '2024-03-10 07:30+00', 2),    -- 03:30 EDT
    (2, '2024-03-11 03:30+00', 4);    -- 23:30 EDT, Mar 10 in New York; Mar 11 in UTC
SET TimeZone = 'America/New_York';
-- day, observed_until 2024-11-03 12:00 New York:
--   c1: all four orders are on Nov 3 in New York (00:30 EDT .. 23:30 EST): one period,
--       frequency 0, recency 0, t 0, monetary 0
--   c2: all three on Mar 10: frequency 0, recency 0, t = Nov 3 - Mar 10 = 238 days, monetary 0
SELECT customer, (rfm(ordered_at, amount, '2024-11-03 12:00')).* FROM rb_dst GROUP BY customer ORDER BY customer;
-- hour (date_trunc('hour') keeps the instant's own offset: the two 01:30s are two hours),
-- observed_until 2024-11-03 12:45 EST -> 12:00 EST = 17:00 UTC:
--   c1: 00:00 EDT (04:00 UTC, 1), 01:00 EDT (05:00 UTC, 2), 01:00 EST (06:00 UTC, 4),
--       23:00 EST (2024-11-04 04:00 UTC, 8 - after 12:00 EST: ignored): frequency 2,
--       recency 2 h (elapsed, 04:00 -> 06:00 UTC), t = 17:00 - 04:00 UTC = 13 h (the wall
--       clock shows 12 h), monetary (2 + 4) / 2 = 3.0000000000000000
--   c2: 01:00 EST (06:00 UTC, 1), 03:00 EDT (07:00 UTC, 2), 23:00 EDT (03:00 UTC 03-11, 4):
--       frequency 2, recency 21 h (06:00 -> 03:00 next day UTC), t = from 2024-03-10 06:00
--       to 2024-11-03 17:00 UTC = 238 days + 11 h = 5723 h, monetary (2 + 4) / 2 = 3.0000000000000000
SELECT customer, (rfm(ordered_at, amount, '2024-11-03 12:45', 'hour')).* FROM rb_dst GROUP BY customer ORDER BY customer;
-- the same rows in UTC, day, observed_until 2024-11-04 (UTC):
--   c1: Nov 3 (1 + 2 + 4 = 7), Nov 4 (8): frequency 1, recency 1, t 1, monetary 8.0000000000000000
--   c2: Mar 10 (1 + 2 = 3), Mar 11 (4): frequency 1, recency 1, t = Nov 4 - Mar 10 = 239,
--       monetary 4.0000000000000000
SET TimeZone = 'UTC';
SELECT customer, (rfm(ordered_at, amount, '2024-11-04')).* FROM rb_dst GROUP BY customer ORDER BY customer;
-- Asia/Kolkata (+05:30): hours start at :30 UTC. 10:10 UTC is 15:40 IST (hour 15:00 IST =
-- 09:30 UTC), 10:40 UTC is 16:10 IST (16:00 IST = 10:30 UTC): one UTC hour, two periods.
-- observed_until 12:00 UTC = 17:30 IST -> 17:00 IST = 11:30 UTC:
--   frequency 1, recency 1, t 2, monetary 2.0000000000000000
SET TimeZone = 'Asia/Kolkata';
SELECT (rfm(t, a, '2024-05-01 12:00+00', 'hour')).*
FROM (VALUES (timestamptz '2024-05-01 10:10+00', 1), ('2024-05-01 10:40+00', 2)) v(t, a);
-- the same rows as a day in Kolkata: both on May 1: frequency 0
SELECT (rfm(t, a, '2024-05-01 12:00+00')).*
FROM (VALUES (timestamptz '2024-05-01 10:10+00', 1), ('2024-05-01 10:40+00', 2)) v(t, a);
SET TimeZone = 'UTC';

------------------------------------------------------------------------------------------
-- timestamp and date input: wall-clock values, no time zone
------------------------------------------------------------------------------------------
-- timestamp: the New York wall-clock times of rb_dst c1 (00:30, 01:30, 01:30, 23:30 on
-- Nov 3), observed_until 2024-11-03 12:45:
--   hour: 00:00 (1), 01:00 (2 + 4 = 6: the two 01:30s are one wall-clock hour); 23:00 is after:
--       frequency 1, recency 1, t 12, monetary 6.0000000000000000
--   day: one day: frequency 0, recency 0, t 0, monetary 0
SELECT (rfm(ordered_at AT TIME ZONE 'America/New_York', amount, timestamp '2024-11-03 12:45', 'hour')).*
FROM rb_dst WHERE customer = 1;
SELECT (rfm(ordered_at AT TIME ZONE 'America/New_York', amount, timestamp '2024-11-03 12:45')).*
FROM rb_dst WHERE customer = 1;
-- the result does not depend on the session TimeZone
SET TimeZone = 'Pacific/Auckland';
SELECT (rfm(ordered_at AT TIME ZONE 'America/New_York', amount, timestamp '2024-11-03 12:45', 'hour')).*
FROM rb_dst WHERE customer = 1;
SET TimeZone = 'UTC';
-- date: rb_orders as dates, observed_until date '2024-03-31' (as the first query):
--   c1 frequency 2, recency 9, t 30, monetary 15.6250000000000000; c2 0, 0, 23, 0; c3 0, 0, 0, 0
SELECT customer, (rfm(ordered_at::date, amount, date '2024-03-31')).* FROM rb_orders GROUP BY customer ORDER BY customer;
-- date with unit hour: periods are midnights, 24 hours a day (also across 2024-03-10,
-- a 23-hour day in New York: dates have no zone):
--   c1: 03-01, 03-05, 03-10: frequency 2, recency 9 * 24 = 216, t 30 * 24 = 720
SET TimeZone = 'America/New_York';
SELECT customer, (rfm(ordered_at::date, amount, date '2024-03-31', 'hour')).* FROM rb_orders
WHERE customer = 1 GROUP BY customer;
SET TimeZone = 'UTC';

------------------------------------------------------------------------------------------
-- NULLs, refunds, zero amounts
------------------------------------------------------------------------------------------
CREATE TABLE rb_nulls (customer int, ordered_at timestamptz, amount numeric);
INSERT INTO rb_nulls VALUES
    (1, '2024-03-01', 10.00),
    (1, '2024-03-02', NULL),          -- a purchase worth nothing (pandas' sum skips NaN)
    (1, '2024-03-03', 6.00),
    (1, NULL, 1000),                  -- no time: skipped
    (2, '2024-03-01', 5),
    (2, '2024-03-04', NULL),
    (2, '2024-03-04', NULL),          -- a day of NULL amounts only: a purchase worth 0
    (3, NULL, 1),                     -- only rows without a time: NULL
    (4, '2024-03-01', 50.00),
    (4, '2024-03-02', -20.00),        -- a refund and a purchase on one day: 10.00
    (4, '2024-03-02', 30.00),
    (4, '2024-03-05', -15.50),        -- a refund alone: -15.50
    (5, '2024-03-01', 0),
    (5, '2024-03-02', 0.000);
-- observed_until 2024-03-31:
--   c1: 03-01 (10.00), 03-02 (nothing), 03-03 (6.00): frequency 2, recency 2, t 30,
--       monetary (0 + 6.00) / 2 = 3.0000000000000000
--   c2: 03-01 (5), 03-04 (0): frequency 1, recency 3, t 30, monetary 0 / 1; avg() of a
--       numeric 0 shows 20 decimals: 0.00000000000000000000
--   c3: NULL
--   c4: 03-01 (50.00), 03-02 (10.00), 03-05 (-15.50): frequency 2, recency 4, t 30,
--       monetary (10.00 - 15.50) / 2 = -2.7500000000000000
--   c5: 03-01 (0), 03-02 (0.000): frequency 1, recency 1, t 30, monetary 0.000 / 1 =
--       0.00000000000000000000 (20 decimals, as avg(0.000))
SELECT customer, (rfm(ordered_at, amount, '2024-03-31')).* FROM rb_nulls GROUP BY customer ORDER BY customer;
-- the same numbers from plain SQL (coalesce(sum(amount), 0) per day, then avg() of all days but the first)
SELECT customer, count(*) - 1 AS frequency, max(d) - min(d) AS recency, date '2024-03-31' - min(d) AS t,
       coalesce(avg(s) FILTER (WHERE k > 1), 0) AS monetary_value
FROM (SELECT customer, d, s, row_number() OVER (PARTITION BY customer ORDER BY d) AS k
      FROM (SELECT customer, ordered_at::date AS d, coalesce(sum(amount), 0) AS s
            FROM rb_nulls WHERE ordered_at IS NOT NULL GROUP BY 1, 2) p) r
GROUP BY customer ORDER BY customer;

------------------------------------------------------------------------------------------
-- Exact sums: amounts beyond 64-bit units, more than 8 decimals, overflowing sums
------------------------------------------------------------------------------------------
-- c1: 03-01 (1), 03-02 (123456789012345678901234567890.123456789012345678901),
--     03-03 (0.000000000000000000001): repeat sum 123456789012345678901234567890.123456789012345678902
--     (21 decimals), frequency 2: / 2 = 61728394506172839450617283945.061728394506172839451
--     (avg keeps the 21 decimals: more than its 16 significant digits)
-- c2: 03-01 (1.00), 03-02 (90000000000.00), 03-03 (90000000000.00): each fits 64-bit units
--     of 10^-8, their sum does not; 180000000000.00 / 2 = 90000000000.00000000 (avg: 8 decimals)
-- c3: the huge amount is in the first period, and an earlier-sorted row makes it a repeat:
--     rows 03-02 (1e30), then 03-01 (2): first 03-01 (2), repeat 03-02 (1e30): monetary
--     1e30 / 1 = 1000000000000000000000000000000 (avg of 1e30: no decimals needed)
-- c4: the first day's amount has 21 decimals, the repeat day's 1: the scale of the first
--     day is not the repeat sum's: 2.5 / 1 = 2.5000000000000000 (avg(2.5)), not 21 decimals
CREATE TABLE rb_big (customer int, ordered_at timestamptz, amount numeric);
INSERT INTO rb_big VALUES
    (1, '2024-03-01', 1),
    (1, '2024-03-02', 123456789012345678901234567890.123456789012345678901),
    (1, '2024-03-03', 0.000000000000000000001),
    (2, '2024-03-01', 1.00),
    (2, '2024-03-02', 90000000000.00),
    (2, '2024-03-03', 90000000000.00),
    (3, '2024-03-02', 1e30),
    (3, '2024-03-01', 2),
    (4, '2024-03-01', 0.000000000000000000001),
    (4, '2024-03-02', 2.5);
SELECT customer, (rfm(ordered_at, amount, '2024-03-31' ORDER BY ordered_at DESC)).* FROM rb_big GROUP BY customer ORDER BY customer;
-- the same in time order, and equal to avg() over the repeat days as text
SELECT customer, (r).monetary_value::text = ref AS same_as_avg
FROM (SELECT customer, rfm(ordered_at, amount, '2024-03-31' ORDER BY ordered_at) AS r FROM rb_big GROUP BY customer) q
JOIN (SELECT customer, avg(s)::text AS ref
      FROM (SELECT customer, d, s, row_number() OVER (PARTITION BY customer ORDER BY d) AS k
            FROM (SELECT customer, ordered_at::date AS d, sum(amount) AS s FROM rb_big GROUP BY 1, 2) p) r
      WHERE k > 1 GROUP BY customer) a USING (customer)
ORDER BY customer;
-- NaN and infinities as amounts: as avg() (NaN; +Infinity; +Infinity and -Infinity: NaN;
-- a NaN in the first day only is left out: (2 + 4) / 2 = 3.0000000000000000)
SELECT (rfm(t, a, date '2024-03-31')).monetary_value AS nan,
       (rfm(t, b, date '2024-03-31')).monetary_value AS inf,
       (rfm(t, c, date '2024-03-31')).monetary_value AS inf_minus_inf,
       (rfm(t, d, date '2024-03-31')).monetary_value AS nan_only_in_first_day
FROM (VALUES (date '2024-03-01', 1::numeric, 1::numeric, 1::numeric, 'NaN'::numeric),
             ('2024-03-02', 'NaN', 'Infinity', 'Infinity', 2),
             ('2024-03-03', 3, 3, '-Infinity', 4)) v(t, a, b, c, d);

------------------------------------------------------------------------------------------
-- A heavy repeater in random order: many distinct periods out of order
------------------------------------------------------------------------------------------
-- 400 days from 2023-01-01, each with two orders (1.00 and 2.00), fed in a scrambled
-- order: 400 periods, frequency 399, recency 399, t = 2024-12-31 - 2023-01-01 = 730,
-- monetary 399 * 3.00 / 399 = 3.0000000000000000
SELECT (rfm(timestamptz '2023-01-01' + (i % 400) * interval '1 day' + interval '12 hours', (1 + i / 400)::numeric(6, 2),
            '2024-12-31' ORDER BY (i * 7919) % 800)).*
FROM generate_series(0, 799) i;

DROP TABLE rb_orders, rb_units, rb_dst, rb_nulls, rb_big;
RESET TimeZone;
