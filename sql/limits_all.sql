-- Every aggregate, every form: the state is bounded by retention.max_state_memory
-- (ERROR 54000 naming the setting, the session usable after), and a long run is
-- stopped by statement_timeout (57014) with the next query answered.  Completes
-- order_stats_limits, cohort_limits, rfm_errors and clv_limits, which cover
-- order_stats, cohort_agg(.., amount), rfm, bgnbd_fit and gamma_gamma_fit
-- (memory) and order_stats, cohort_agg(.., amount) and pareto_nbd_fit_final
-- (cancel).  retention(VARIADIC boolean[]) has no memory bound to test: its
-- state is one bit per condition, so no larger than the row's own array.
-- window_funnel (1.7): its state (the rows) and its final function's chains.
-- retention_agg (1.7): its state (actors and their nodes) and its final count.
SET TimeZone = 'UTC';
-- the setting exists once the library is loaded
SELECT customers(order_stats(1, now(), 1.0));

------------------------------------------------------------------------------
-- 54000 naming the setting, for each aggregate form; the session goes on
------------------------------------------------------------------------------
-- 100,000 customers (or 10,000 distinct hours for rfm, 10,000 distinct
-- patterns for the fits) need more than 64 kB
SET retention.max_state_memory = '64kB';
SELECT what, sqlstate_of(q) AS result FROM (VALUES
    ('order_stats',                $$SELECT order_stats(i, timestamptz '2024-01-01', 1.0) FROM generate_series(1, 100000) i$$),
    ('order_stats, order lines',   $$SELECT order_stats(i, timestamptz '2024-01-01', 1.0, i % 7) FROM generate_series(1, 100000) i$$),
    ('cohort_agg',                 $$SELECT cohort_agg(i, timestamptz '2024-01-01', 'month') FROM generate_series(1, 100000) i$$),
    ('cohort_agg, amount',         $$SELECT cohort_agg(i, timestamptz '2024-01-01', 'month', 1.0) FROM generate_series(1, 100000) i$$),
    ('cohort_agg, order lines',    $$SELECT cohort_agg(i % 100, timestamptz '2024-01-01', 'month', 1.0, i) FROM generate_series(1, 100000) i$$),
    ('rfm',                        $$SELECT rfm(timestamptz '2024-01-01' + i * interval '1 hour', 1, timestamptz '2030-01-01', 'hour') FROM generate_series(1, 10000) i$$),
    ('bgnbd_fit',                  $$SELECT bgnbd_fit(g % 40, CASE WHEN g % 40 = 0 THEN 0 ELSE (g % 997) / 10.0 END, 100 + g / 10000.0) FROM generate_series(1, 10000) g$$),
    ('bgnbd_fit, weighted',        $$SELECT bgnbd_fit(g % 40, CASE WHEN g % 40 = 0 THEN 0 ELSE (g % 997) / 10.0 END, 100 + g / 10000.0, 3) FROM generate_series(1, 10000) g$$),
    ('mbgnbd_fit',                 $$SELECT mbgnbd_fit(g % 40, CASE WHEN g % 40 = 0 THEN 0 ELSE (g % 997) / 10.0 END, 100 + g / 10000.0) FROM generate_series(1, 10000) g$$),
    ('mbgnbd_fit, weighted',       $$SELECT mbgnbd_fit(g % 40, CASE WHEN g % 40 = 0 THEN 0 ELSE (g % 997) / 10.0 END, 100 + g / 10000.0, 3) FROM generate_series(1, 10000) g$$),
    ('pareto_nbd_fit',             $$SELECT pareto_nbd_fit(g % 40, CASE WHEN g % 40 = 0 THEN 0 ELSE (g % 997) / 10.0 END, 100 + g / 10000.0) FROM generate_series(1, 10000) g$$),
    ('pareto_nbd_fit, weighted',   $$SELECT pareto_nbd_fit(g % 40, CASE WHEN g % 40 = 0 THEN 0 ELSE (g % 997) / 10.0 END, 100 + g / 10000.0, 3) FROM generate_series(1, 10000) g$$),
    ('gamma_gamma_fit',            $$SELECT gamma_gamma_fit(g % 40 + 1, g) FROM generate_series(1, 10000) g$$),
    ('gamma_gamma_fit, weighted',  $$SELECT gamma_gamma_fit(g % 40 + 1, g, 3) FROM generate_series(1, 10000) g$$),
    ('sbg_fit (1.6)',              $$SELECT sbg_fit(g, 100000000 - g) FROM generate_series(0, 10000) g$$),
    ('bgbb_fit (1.6)',             $$SELECT bgbb_fit(g % 100 + 1, g % 100 + 1 + g / 100, 10000) FROM generate_series(1, 10000) g$$),
    ('bgbb_fit, weighted (1.6)',   $$SELECT bgbb_fit(g % 100 + 1, g % 100 + 1 + g / 100, 10000, 3) FROM generate_series(1, 10000) g$$),
    ('rfm_holdout (1.6)',          $$SELECT rfm_holdout(timestamptz '2024-01-01' + i * interval '1 hour', 1, timestamptz '2024-06-01', timestamptz '2030-01-01', 'hour') FROM generate_series(1, 10000) i$$),
    ('window_funnel (1.7)',        $$SELECT window_funnel('1 h', timestamptz '2024-01-01' + i * interval '1 s', true, i % 2 = 0) FROM generate_series(1, 100000) i$$),
    ('window_funnel, strict_once: the final function''s chains (1.7)',
                                   $$SELECT window_funnel('1 h', 'strict_once', timestamptz '2024-01-01' + i * interval '1 s', true, false) FROM generate_series(1, 1500) i$$),
    ('rfm_agg (1.7)',              $$SELECT rfm_agg(i, timestamptz '2024-01-01', 1.0) FROM generate_series(1, 100000) i$$),
    ('rfm_agg, one customer''s hours (1.7)', $$SELECT rfm_agg(1, timestamptz '2024-01-01' + i * interval '1 hour', 1.0, 'hour') FROM generate_series(1, 10000) i$$),
    ('retention_agg (1.7)',        $$SELECT retention_agg(i, timestamptz '2024-01-01', 'day', true, true) FROM generate_series(1, 100000) i$$),
    ('retention_agg, one actor''s events in 24-hour windows (1.7)',
                                   $$SELECT retention_agg(1, timestamptz '2024-01-01' + i * interval '1 s', interval '24 hours', true, true) FROM generate_series(1, 100000) i$$)
) v(what, q);
-- (1,500 rows are a 32 kB state; sorting them and keeping a chain per row is more)
-- the message, its detail and hint
SELECT cohort_agg(i % 100, timestamptz '2024-01-01', 'month', 1.0, i) FROM generate_series(1, 100000) i;
SELECT 1 AS still_usable;
-- the bound is per state: 1,000 groups of 100 customers each fit
SELECT count(*) AS groups, sum(customers(s)) AS customers
FROM (SELECT i % 1000 AS g, order_stats(i, timestamptz '2024-01-01', 1.0) AS s FROM generate_series(1, 100000) i GROUP BY 1) q;
RESET retention.max_state_memory;
SELECT customers(cohort_agg(i % 100, timestamptz '2024-01-01', 'month', 1.0, i)) FROM generate_series(1, 100000) i;

------------------------------------------------------------------------------
-- statement_timeout stops a long aggregate (10^8 rows) or a long fit; the
-- backend answers the next query.  (57014 is not caught by a plpgsql WHEN
-- OTHERS, so the statements run directly and the expected output shows the
-- ERROR.)
------------------------------------------------------------------------------
-- the fits' patterns, 150,000 distinct ones, as stored states: each fit of
-- them takes seconds
CREATE AGGREGATE pg_temp.patterns(float8, float8, float8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state, COMBINEFUNC = clv_fit_combine);
CREATE AGGREGATE pg_temp.spend_patterns(float8, float8) (
    SFUNC = clv_spend_fit_trans, STYPE = clv_fit_state, COMBINEFUNC = clv_fit_combine);
CREATE TEMP TABLE lim_states AS
SELECT pg_temp.patterns(g % 40, CASE WHEN g % 40 = 0 THEN 0 ELSE (g % 997) / 10.0 END, 100 + g / 10000.0) AS s,
       pg_temp.spend_patterns(g % 40 + 1, g) AS sp
FROM generate_series(1, 150000) g;
SET statement_timeout = '200ms';
SELECT customers(order_stats(a::int8 * 100000 + b, now(), 1.0, b % 1000))
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 1 AS answered;
SELECT customers(cohort_agg(a::int8 * 100000 + b, timestamptz '2024-01-01' + b * interval '1 minute', 'day'))
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 2 AS answered;
SELECT customers(cohort_agg(a, timestamptz '2024-01-01' + b * interval '1 minute', 'day', 1.0, a::int8 * 100000 + b))
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 3 AS answered;
SELECT rfm(timestamptz '2024-01-01' + b * interval '1 hour', a, timestamptz '2030-01-01', 'hour')
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 4 AS answered;
SELECT retention(a % 2 = 0, b % 3 = 0, (a + b) % 5 = 0)
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 5 AS answered;
SELECT bgnbd_fit(b % 40, CASE WHEN b % 40 = 0 THEN 0 ELSE (b % 997) / 10.0 END, 100 + a)
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 6 AS answered;
SELECT gamma_gamma_fit(b % 40 + 1, a)
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 7 AS answered;
-- the fits themselves (the final functions' optimisation)
SELECT (bgnbd_fit_final(s)).converged FROM lim_states;
SELECT 8 AS answered;
SELECT (mbgnbd_fit_final(s)).converged FROM lim_states;
SELECT 9 AS answered;
SELECT (gamma_gamma_fit_final(sp)).converged FROM lim_states;
SELECT 10 AS answered;
-- 1.6: rfm_holdout over 10^8 rows, and a BG/BB fit of 20,000 patterns of 2,000 opportunities
SELECT rfm_holdout(timestamptz '2024-01-01' + b * interval '1 hour', a, timestamptz '2025-01-01', timestamptz '2030-01-01', 'hour')
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 11 AS answered;
-- (20,000 rows aggregate in milliseconds; the fit's likelihood has up to 2,000 terms a pattern)
SELECT (bgbb_fit(x, x + g % 1000, 2000)).converged FROM generate_series(1, 200) x, generate_series(1, 100) g;
SELECT 12 AS answered;
-- 1.7: window_funnel over 10^8 rows (a few are events); and the final function
-- of strict_once, strict_increase over 100,000 rows at one instant, each step 1
-- and 2: every step 2 event tries every chain of step 1 (10^10 tries)
SELECT window_funnel('1 h', timestamptz '2024-01-01' + b * interval '1 s', a % 1000 = 0 AND b % 1000 = 0, b % 1000 = 1)
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 13 AS answered;
SELECT window_funnel('1 h', 'strict_once, strict_increase', timestamptz '2024-01-01', true, true, true)
FROM generate_series(1, 100000) i;
SELECT 14 AS answered;
-- 1.7: rfm_agg over 10^8 rows (10,000 customers of 10,000 hours each)
SELECT rfm_agg(a, timestamptz '2024-01-01' + b * interval '1 hour', 1.0, 'hour') IS NULL
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 15 AS answered;
-- 1.7: retention_agg over 10^8 rows, in calendar days and in 24-hour windows
SELECT retention_agg(a, timestamptz '2024-01-01' + b * interval '1 minute', 'day', true, b % 3 = 0)
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 16 AS answered;
SELECT retention_agg(a, timestamptz '2024-01-01' + b * interval '1 minute', interval '24 hours', b = 1, true)
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
SELECT 17 AS answered;
RESET statement_timeout;
DROP TABLE lim_states;
RESET TimeZone;
