-- rfm: every documented error, with its SQLSTATE (sqlstate_of() of setup.sql), and the
-- message with its hint where the user needs one.
SET TimeZone = 'UTC';

-- observed_until NULL: 22004, on the first row or a later one
SELECT sqlstate_of($$SELECT rfm(timestamptz '2024-01-01', 1, NULL)$$) AS null_until;
SELECT sqlstate_of($$SELECT rfm(t, 1, u) FROM (VALUES (timestamptz '2024-01-01', timestamptz '2024-02-01'),
                                                     ('2024-01-02', NULL)) v(t, u)$$) AS null_until_second_row;
-- also when the row's time is NULL (the row is skipped, the argument still checked)
SELECT sqlstate_of($$SELECT rfm(NULL::date, 1, NULL::date)$$) AS null_until_null_time;
SELECT rfm(timestamptz '2024-01-01', 1, NULL);

-- observed_until differing between rows of a group: 22023 (also within one period)
SELECT sqlstate_of($$SELECT rfm(t, 1, u) FROM (VALUES (timestamptz '2024-01-01', timestamptz '2024-02-01'),
                                                     ('2024-01-02', '2024-03-01')) v(t, u)$$) AS until_differs;
SELECT sqlstate_of($$SELECT rfm(t, 1, u) FROM (VALUES (date '2024-01-01', timestamp '2024-02-01 10:00'),
                                                     ('2024-01-02', '2024-02-01 11:00')) v(t, u)$$) AS until_differs_same_day;
SELECT rfm(t, 1, u) FROM (VALUES (timestamptz '2024-01-01', timestamptz '2024-02-01'),
                                 ('2024-01-02', '2024-03-01')) v(t, u);
-- per group it may differ (each customer observed to their own end)
SELECT c, rfm(t, 1, u) FROM (VALUES (1, date '2024-01-01', date '2024-02-01'),
                                    (2, '2024-01-02', '2024-03-01')) v(c, t, u) GROUP BY c ORDER BY c;

-- unit: NULL 22004; unknown 22023 with the valid units in the hint; case-insensitive;
-- it must be the same on every row of a group (22023)
SELECT sqlstate_of($$SELECT rfm(timestamptz '2024-01-01', 1, timestamptz '2024-02-01', NULL)$$) AS null_unit;
SELECT rfm(timestamptz '2024-01-01', 1, timestamptz '2024-02-01', NULL);
SELECT rfm(timestamptz '2024-01-01', 1, timestamptz '2024-02-01', 'quarter');
SELECT u, CASE WHEN r = 'no error' THEN r ELSE left(r, 5) END AS result
FROM (VALUES ('quarter'), ('year'), ('hours'), ('days'), ('minute'), (''), (' day'), ('day '), ('isoweek'),
             ('D'), ('Day'), ('WEEK'), ('Month'), ('hOuR')) v(u),
     LATERAL sqlstate_of(format('SELECT rfm(timestamptz %L, 1, timestamptz %L, %L)', '2024-01-01', '2024-02-01', u)) r;
SELECT sqlstate_of($$SELECT rfm(t, 1, date '2024-02-01', u) FROM (VALUES (date '2024-01-01', 'day'),
                                                                       ('2024-01-02', 'week')) v(t, u)$$) AS unit_differs;
SELECT rfm(t, 1, date '2024-02-01', u) FROM (VALUES (date '2024-01-01', 'day'), ('2024-01-02', 'week')) v(t, u);
-- 'Day' and 'day' on two rows are the same unit
SELECT rfm(t, 1, date '2024-02-01', u) FROM (VALUES (date '2024-01-01', 'day'), ('2024-01-02', 'Day')) v(t, u);

-- infinite times: 22008 with a hint, as cohort_agg (ordered_at) ...
SELECT left(sqlstate_of($$SELECT rfm(timestamptz 'infinity', 1, timestamptz '2024-02-01')$$), 5) AS tz_inf,
       left(sqlstate_of($$SELECT rfm(timestamptz '-infinity', 1, timestamptz '2024-02-01', 'hour')$$), 5) AS tz_minus_inf,
       left(sqlstate_of($$SELECT rfm(timestamp 'infinity', 1, timestamp '2024-02-01', 'week')$$), 5) AS ts_inf,
       left(sqlstate_of($$SELECT rfm(date '-infinity', 1, date '2024-02-01', 'month')$$), 5) AS date_minus_inf,
       left(sqlstate_of($$SELECT rfm(t, 1, date '2024-02-01') FROM (VALUES (date '2024-01-01'), ('infinity')) v(t)$$), 5) AS second_row_inf;
SELECT rfm(timestamptz 'infinity', 1, timestamptz '2024-02-01');
-- ... and observed_until
SELECT left(sqlstate_of($$SELECT rfm(timestamptz '2024-01-01', 1, timestamptz 'infinity')$$), 5) AS until_inf,
       left(sqlstate_of($$SELECT rfm(timestamp '2024-01-01', 1, timestamp '-infinity')$$), 5) AS until_minus_inf,
       left(sqlstate_of($$SELECT rfm(date '2024-01-01', 1, date 'infinity', 'hour')$$), 5) AS until_date_inf;
SELECT rfm(date '2024-01-01', 1, date 'infinity');

-- out of range: dates beyond timestamps (22008), and a time in the first, incomplete
-- period of the timestamp range (4714-11-24 BC is a Monday, but the month of November
-- 4714 BC started before the range: 22008, as cohort_agg)
SELECT left(sqlstate_of($$SELECT rfm(date '5874897-12-31', 1, date '2024-02-01')$$), 5) AS date_beyond,
       left(sqlstate_of($$SELECT rfm(date '2024-01-01', 1, date '5874897-12-31')$$), 5) AS until_date_beyond,
       left(sqlstate_of($$SELECT rfm(timestamp '4714-11-24 00:00 BC', 1, timestamp '2024-02-01', 'month')$$), 5) AS first_month,
       left(sqlstate_of($$SELECT rfm(timestamp '2024-01-01', 1, timestamp '4714-11-24 00:00 BC', 'month')$$), 5) AS until_first_month,
       sqlstate_of($$SELECT rfm(timestamp '4714-11-24 00:00 BC', 1, timestamp '2024-02-01', 'week')$$) AS first_week_complete;
SELECT rfm(timestamp '4714-11-24 10:00 BC', 1, timestamp '2024-02-01', 'month');
-- in New York the first UTC instant is still 4714-11-23 BC (local), in the incomplete first day
SET TimeZone = 'America/New_York';
SELECT left(sqlstate_of($$SELECT rfm(timestamptz '4714-11-24 00:00+00 BC', 1, timestamptz '2024-02-01')$$), 5) AS tz_first_day;
-- in Kolkata (then local mean time, +05:53:28) the hour of 00:00:10 UTC started at
-- 05:00 local, 53 minutes before the first instant (00:10 UTC is in the hour of 06:00, fine)
SET TimeZone = 'Asia/Kolkata';
SELECT left(sqlstate_of($$SELECT rfm(timestamptz '4714-11-24 00:00:10+00 BC', 1, timestamptz '2024-02-01', 'hour')$$), 5) AS tz_first_hour,
       sqlstate_of($$SELECT rfm(timestamptz '4714-11-24 00:10+00 BC', 1, timestamptz '2024-02-01', 'hour')$$) AS tz_second_hour;
SET TimeZone = 'UTC';
-- the last instants of the range are fine
SELECT rfm(timestamp '294276-12-31 23:59:59.999999', 1, timestamp '294276-12-31 23:59:59.999999', 'hour');

-- A state is capped by retention.max_state_memory (per state): 10,000 distinct hours need
-- more than 64 kB (8 bytes a period): 54000, never an out-of-memory kill
SET retention.max_state_memory = '64kB';
SELECT left(sqlstate_of($$SELECT rfm(timestamptz '2024-01-01' + i * interval '1 hour', 1, timestamptz '2030-01-01', 'hour')
                          FROM generate_series(1, 10000) i$$), 5) AS too_many_periods;
SELECT (rfm(timestamptz '2024-01-01' + i * interval '1 hour', 1, timestamptz '2030-01-01', 'hour')).frequency
FROM generate_series(1, 5000) i;
RESET retention.max_state_memory;

-- Support functions called by hand with states that do not belong together
SELECT left(sqlstate_of($$SELECT rfm_trans(rfm_trans(NULL, timestamptz '2024-01-01', 1, timestamptz '2024-02-01'),
                                           timestamp '2024-01-02', 1, timestamp '2024-02-01')$$), 5) AS trans_other_type,
       left(sqlstate_of($$SELECT rfm_combine(rfm_trans(NULL, timestamptz '2024-01-01', 1, timestamptz '2024-02-01'),
                                             rfm_trans(NULL, timestamp '2024-01-02', 1, timestamp '2024-02-01'))$$), 5) AS combine_types,
       left(sqlstate_of($$SELECT rfm_combine(rfm_trans(NULL, date '2024-01-01', 1, date '2024-02-01'),
                                             rfm_trans(NULL, date '2024-01-02', 1, date '2024-02-01', 'week'))$$), 5) AS combine_units,
       left(sqlstate_of($$SELECT rfm_combine(rfm_trans(NULL, date '2024-01-01', 1, date '2024-02-01'),
                                             rfm_trans(NULL, date '2024-01-02', 1, date '2024-03-01'))$$), 5) AS combine_until;
RESET TimeZone;
