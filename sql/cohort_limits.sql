-- cohort_agg's state is bounded by retention.max_state_memory (SQLSTATE 54000,
-- naming the setting); a long aggregate honours statement_timeout; the
-- session stays usable after either.
SET TimeZone = 'UTC';
SET retention.max_state_memory = '64kB';
SELECT customers(cohort_agg(i, timestamptz '2024-01-01' + i * interval '1 hour', 'day'))
FROM generate_series(1, 100000) i;
SELECT sqlstate_of($$SELECT cohort_agg(i % 10, timestamptz '2000-01-01' + i * interval '1 day', 'day', 1.0)
                     FROM generate_series(1, 100000) i$$) AS many_periods;
SELECT sqlstate_of($$SELECT cohort_agg(i, now(), 'month', 1.0, i) FROM generate_series(1, 100000) i$$) AS many_orders;
-- small states still fit
SELECT customers(cohort_agg(i, timestamptz '2024-01-01' + i * interval '1 hour', 'day'))
FROM generate_series(1, 300) i;
SELECT 1 AS still_usable;
RESET retention.max_state_memory;
SELECT customers(cohort_agg(i, timestamptz '2024-01-01' + i * interval '1 hour', 'day'))
FROM generate_series(1, 100000) i;
-- 10^8 rows streamed into one growing state, stopped by statement_timeout
SET statement_timeout = '300ms';
SELECT customers(cohort_agg(a::int8 * 100000 + b, timestamptz '2024-01-01' + b * interval '1 minute', 'week', 1.0))
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
RESET statement_timeout;
SELECT 2 AS still_usable;
-- daily cohorts over ten years: 3,653 cohorts, no cap on periods
SELECT count(*) AS cohort_rows, count(DISTINCT cohort) AS cohorts, sum(active) AS active
FROM cohort_table((SELECT cohort_agg(i, date '2015-01-01' + i, 'day') FROM generate_series(0, 3652) i));
RESET TimeZone;
