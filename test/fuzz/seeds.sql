-- test/fuzz/seeds.sql: the fuzz driver's function and its seeds (run by test/fuzz/run
-- in a database holding the retention extension).
--
-- fuzz_seeds: per type, valid values made by the aggregates (small, large, many
-- customers, each time kind, period, unit and fit kind, empty), as text and as
-- send() bytes, and the statements that use an accepted value ($1).
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE FUNCTION retention_fuzz(type regtype, seeds bytea[], iterations int8, seed int8,
                               binary bool, uses text[],
                               OUT tried int8, OUT accepted int8, OUT rejected int8,
                               OUT classes text, OUT findings int8, OUT first_finding text)
    AS '$libdir/retention_fuzz', 'retention_fuzz' LANGUAGE C;
CREATE FUNCTION retention_fuzz_selftest(kind text) RETURNS int
    AS '$libdir/retention_fuzz', 'retention_fuzz_selftest' LANGUAGE C STRICT;

-- aggregates that return the transition state itself (no final function)
CREATE AGGREGATE fuzz_os_state(anyelement, timestamptz, numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE fuzz_os_state(anyelement, timestamp, numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE fuzz_os_state(anyelement, date, numeric, anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state);
CREATE AGGREGATE fuzz_cohort_state(anyelement, timestamptz, text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state);
CREATE AGGREGATE fuzz_cohort_state(anyelement, timestamp, text, numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state);
CREATE AGGREGATE fuzz_cohort_state(anyelement, date, text, numeric, anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state);
CREATE AGGREGATE fuzz_rfm_state(timestamptz, numeric, timestamptz) (
    SFUNC = rfm_trans, STYPE = rfm_state);
CREATE AGGREGATE fuzz_rfm_state(timestamp, numeric, timestamp, text) (
    SFUNC = rfm_trans, STYPE = rfm_state);
CREATE AGGREGATE fuzz_rfm_state(date, numeric, date, text) (
    SFUNC = rfm_trans, STYPE = rfm_state);
CREATE AGGREGATE fuzz_holdout_state(timestamptz, numeric, timestamptz, timestamptz) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state);
CREATE AGGREGATE fuzz_holdout_state(date, numeric, date, date, text) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state);
CREATE AGGREGATE fuzz_funnel_state(interval, text, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE fuzz_funnel_state(interval, text, date, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE fuzz_funnel_state(interval, timestamp, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE fuzz_ra_state(anyelement, timestamptz, text, boolean, boolean, numeric, retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state);
CREATE AGGREGATE fuzz_ra_state(anyelement, date, interval, boolean, boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state);
CREATE AGGREGATE fuzz_ra_state(anyelement, timestamp, text, boolean, boolean, numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state);
CREATE AGGREGATE fuzz_sbg_state(int4, int8) (SFUNC = sbg_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE fuzz_bgbb_state(int4, int4, int4, int8) (SFUNC = bgbb_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE fuzz_fit_state(float8, float8, float8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE fuzz_fit_state(float8, float8, float8, int8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE fuzz_spend_state(float8, float8) (
    SFUNC = clv_spend_fit_trans, STYPE = clv_fit_state);
CREATE AGGREGATE fuzz_retention_state(VARIADIC boolean[]) (
    SFUNC = retention_cond_trans, STYPE = bytea);

-- orders: size n, customers c (small: 12 orders of 4 customers; large: 3000 of 700)
CREATE FUNCTION fuzz_orders(n int, c int)
RETURNS TABLE (customer int, ordered_at timestamptz, amount numeric, order_key int) LANGUAGE sql AS $$
    SELECT i % c, timestamptz '2023-12-30 10:00' + i * interval '17 hours 3 minutes 0.25 seconds',
           CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 13) * 1.25 - 2 END, i / 2
    FROM generate_series(1, n) i
$$;

CREATE TABLE fuzz_values (type regtype, v text);   -- the text forms

INSERT INTO fuzz_values
SELECT 'order_stats', x::text FROM (
    SELECT order_stats(customer, ordered_at, amount) x FROM fuzz_orders(12, 4)
    UNION ALL SELECT order_stats(customer, ordered_at, amount) FROM fuzz_orders(3000, 700)
    UNION ALL SELECT order_stats(customer::text, ordered_at::timestamp, amount) FROM fuzz_orders(40, 9)
    UNION ALL SELECT order_stats(customer::int8, ordered_at::date, amount, order_key) FROM fuzz_orders(40, 9)
    UNION ALL SELECT order_stats(customer, ordered_at, amount) FROM fuzz_orders(0, 1)
    UNION ALL SELECT order_stats(customer, ordered_at - interval '2100 years', amount) FROM fuzz_orders(3, 2)
) q;
INSERT INTO fuzz_values
SELECT 'order_stats_state', x::text FROM (
    SELECT fuzz_os_state(customer, ordered_at, amount) x FROM fuzz_orders(12, 4)
    UNION ALL SELECT fuzz_os_state(customer, ordered_at, amount) FROM fuzz_orders(3000, 700)
    UNION ALL SELECT fuzz_os_state(customer::text, ordered_at::timestamp, amount) FROM fuzz_orders(40, 9)
    UNION ALL SELECT fuzz_os_state(customer::int8, ordered_at::date, amount, order_key) FROM fuzz_orders(40, 9)
    UNION ALL SELECT fuzz_os_state(customer::text, ordered_at::date, amount, order_key::text) FROM fuzz_orders(9, 3)
) q;
INSERT INTO fuzz_values
SELECT 'cohort_matrix', x::text FROM (
    SELECT cohort_agg(customer, ordered_at, 'month') x FROM fuzz_orders(12, 4)
    UNION ALL SELECT cohort_agg(customer, ordered_at, 'week', amount) FROM fuzz_orders(3000, 700)
    UNION ALL SELECT cohort_agg(customer::text, ordered_at::timestamp, 'day', amount) FROM fuzz_orders(60, 9)
    UNION ALL SELECT cohort_agg(customer, ordered_at::date, 'quarter', amount, order_key) FROM fuzz_orders(400, 30)
    UNION ALL SELECT cohort_agg(customer, ordered_at, 'year') FROM fuzz_orders(400, 30)
    UNION ALL SELECT cohort_agg(customer, ordered_at, 'month') FROM fuzz_orders(0, 1)
) q WHERE x IS NOT NULL;
INSERT INTO fuzz_values
SELECT 'revenue_matrix', x::text FROM (
    SELECT revenue_agg(customer, ordered_at, 'month', amount) x FROM fuzz_orders(12, 4)
    UNION ALL SELECT revenue_agg(customer, ordered_at, 'week', amount) FROM fuzz_orders(3000, 700)
    UNION ALL SELECT revenue_agg(customer::text, ordered_at::timestamp, 'day', amount) FROM fuzz_orders(60, 9)
    UNION ALL SELECT revenue_agg(customer, ordered_at::date, 'quarter', amount) FROM fuzz_orders(400, 30)
    UNION ALL SELECT revenue_agg(customer, ordered_at, 'month', amount) FROM fuzz_orders(0, 1)
) q WHERE x IS NOT NULL;
INSERT INTO fuzz_values
SELECT 'cohort_state', x::text FROM (
    SELECT fuzz_cohort_state(customer, ordered_at, 'month') x FROM fuzz_orders(12, 4)
    UNION ALL SELECT fuzz_cohort_state(customer, ordered_at, 'week') FROM fuzz_orders(3000, 700)
    UNION ALL SELECT fuzz_cohort_state(customer::text, ordered_at::timestamp, 'day', amount) FROM fuzz_orders(60, 9)
    UNION ALL SELECT fuzz_cohort_state(customer, ordered_at::date, 'quarter', amount, order_key) FROM fuzz_orders(200, 30)
) q;
INSERT INTO fuzz_values
SELECT 'rfm_state', x::text FROM (
    SELECT fuzz_rfm_state(ordered_at, amount, timestamptz '2024-06-01') x FROM fuzz_orders(5, 1)
    UNION ALL SELECT fuzz_rfm_state(ordered_at, amount, timestamptz '2030-01-01') FROM fuzz_orders(3000, 1)
    UNION ALL SELECT fuzz_rfm_state(ordered_at::timestamp, amount, timestamp '2024-06-01', 'week') FROM fuzz_orders(30, 1)
    UNION ALL SELECT fuzz_rfm_state(ordered_at::date, amount, date '2024-06-01', 'month') FROM fuzz_orders(30, 1)
    UNION ALL SELECT fuzz_rfm_state(ordered_at::timestamp, amount, timestamp '2024-06-01', 'hour') FROM fuzz_orders(30, 1)
) q;
INSERT INTO fuzz_values
SELECT 'clv_fit_state', x::text FROM (
    SELECT fuzz_fit_state(i % 5, CASE WHEN i % 5 = 0 THEN 0 ELSE i % 7 + 0.5 END, 10) x FROM generate_series(1, 8) i
    UNION ALL SELECT fuzz_fit_state(i % 9, CASE WHEN i % 9 = 0 THEN 0 ELSE (i % 30) / 2.0 END, 40, i % 3 + 1) FROM generate_series(1, 500) i
    UNION ALL SELECT fuzz_spend_state(i % 4 + 1, i * 1.5) FROM generate_series(1, 20) i
    UNION ALL SELECT fuzz_fit_state(0, 0, 1)
    UNION ALL SELECT fuzz_sbg_state(p, (1000 * 0.8 ^ p)::int8) FROM generate_series(0, 7) p
    UNION ALL SELECT fuzz_sbg_state(p, CASE WHEN p < 3 THEN 50 - 20 * p ELSE 0 END) FROM generate_series(0, 5) p
    UNION ALL SELECT fuzz_bgbb_state(x, x + i % 3, 6, i) FROM generate_series(0, 4) x, generate_series(1, 3) i WHERE x > 0
) q;
INSERT INTO fuzz_values
SELECT 'rfm_holdout_state', x::text FROM (
    SELECT fuzz_holdout_state(ordered_at, amount, timestamptz '2024-03-01', timestamptz '2024-06-01') x FROM fuzz_orders(5, 1)
    UNION ALL SELECT fuzz_holdout_state(ordered_at, amount, timestamptz '2020-01-01', timestamptz '2030-01-01') FROM fuzz_orders(3000, 1)
    UNION ALL SELECT fuzz_holdout_state(ordered_at::date, amount, date '2024-01-01', date '2024-06-01', 'week') FROM fuzz_orders(30, 1)
    UNION ALL SELECT fuzz_holdout_state(ordered_at::date, amount, date '2024-01-01', date '2024-06-01', 'month') FROM fuzz_orders(30, 1)
) q WHERE x IS NOT NULL;
INSERT INTO fuzz_values
SELECT 'window_funnel_state', x::text FROM (
    SELECT fuzz_funnel_state('1 h', '', timestamptz '2024-01-01' + i * interval '7 min', i % 3 = 0, i % 5 = 0, i % 7 = 0) x
    FROM generate_series(1, 40) i
    UNION ALL SELECT fuzz_funnel_state('10 min', 'strict_order, allow_reentry, strict_deduplication',
                                       timestamptz '2024-01-01' + (i % 9) * interval '1 min', i % 2 = 0, i % 4 = 1)
    FROM generate_series(1, 30) i
    UNION ALL SELECT fuzz_funnel_state('3 days', 'strict_once, strict_increase', date '2024-01-01' + i % 20,
                                       VARIADIC array_fill(i % 2 = 0, ARRAY[32])) FROM generate_series(1, 50) i
    UNION ALL SELECT fuzz_funnel_state('0 s', timestamp '2024-01-01' + i * interval '1 s', true) FROM generate_series(1, 3) i
    UNION ALL SELECT fuzz_funnel_state('1 h', 'strict_order', timestamptz '2024-01-01', false)
) q WHERE x IS NOT NULL;
-- funnel_agg (1.7): the counts of window_funnel's levels (1, 3 and 32 steps; NULL
-- levels; every level 0)
INSERT INTO fuzz_values
SELECT 'funnel_counts', x::text FROM (
    SELECT funnel_agg(CASE WHEN i % 11 = 0 THEN NULL ELSE i % 4 END, 3) x FROM generate_series(1, 200) i
    UNION ALL SELECT funnel_agg(i % 33, 32) FROM generate_series(1, 1000) i
    UNION ALL SELECT funnel_agg(i % 2, 1) FROM generate_series(1, 5) i
    UNION ALL SELECT funnel_agg(0, 2) FROM generate_series(1, 3) i
    UNION ALL SELECT funnel_agg(NULL, 4)
    UNION ALL SELECT 'v1 steps=2 ignored_rows=9223372036854775000 levels=9223372036854775000,0,7'::funnel_counts
) q;
-- retention_agg (1.7): states and matrices of calendar periods (days with values and
-- options, Sunday weeks recurring, hours), windows (date times), text and uuid actors
CREATE TEMP TABLE fuzz_ra_events AS
SELECT i % 37 AS u, timestamptz '2024-01-01' + (i * 7919 % 5000) * interval '17 min' AS t,
       i % 3 = 0 AS s, i % 2 = 0 AS r, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 100) / 4.0 END AS v
FROM generate_series(1, 400) i;
INSERT INTO fuzz_values
SELECT 'retention_state', x::text FROM (
    SELECT fuzz_ra_state(u, t, 'day', s, r, v, retention_options(min_occurrences => 2)) x FROM fuzz_ra_events
    UNION ALL SELECT fuzz_ra_state(u::text || 'an actor key longer than sixteen bytes', t, 'week', s, r, v,
                                   retention_options(cohorts => 'recurring', week_start => 'sunday', brackets => '{1,2}'))
              FROM fuzz_ra_events
    UNION ALL SELECT fuzz_ra_state(u, t::date, interval '3 days', s, r) FROM fuzz_ra_events
    UNION ALL SELECT fuzz_ra_state(md5(u::text)::uuid, t::timestamp, 'hour', s, r, v) FROM fuzz_ra_events WHERE u < 5
    UNION ALL SELECT fuzz_ra_state(1, timestamptz '2024-01-01', 'month', false, false, NULL, NULL)
) q WHERE x IS NOT NULL;
INSERT INTO fuzz_values
SELECT 'retention_matrix', x::text FROM (
    SELECT retention_agg(u, t, 'day', s, r, v) x FROM fuzz_ra_events
    UNION ALL SELECT retention_agg(u, t, 'week', s, r, v, retention_options(cohorts => 'recurring', brackets => '{1,3,7}',
                                                                          week_start => 'sunday')) FROM fuzz_ra_events
    UNION ALL SELECT retention_agg(u, t::date, interval '2 days', s, r, v, retention_options(min_occurrences => 2)) FROM fuzz_ra_events
    UNION ALL SELECT retention_agg(u, t, interval '6 hours', s, r) FROM fuzz_ra_events
    UNION ALL SELECT retention_agg(u, t::timestamp, 'quarter', true, true, v) FROM fuzz_ra_events
    UNION ALL SELECT retention_agg(u, t, 'day', s, r) FROM fuzz_ra_events WHERE false
) q;
INSERT INTO fuzz_values
SELECT 'rfm_agg_state', x::text FROM (
    SELECT rfm_agg(customer, ordered_at, amount) x FROM fuzz_orders(5, 2)
    UNION ALL SELECT rfm_agg(customer, ordered_at, amount, 'hour') FROM fuzz_orders(3000, 700)
    UNION ALL SELECT rfm_agg('customer number ' || customer, ordered_at::timestamp, amount, 'week') FROM fuzz_orders(60, 9)
    UNION ALL SELECT rfm_agg(customer::int8, ordered_at::date, amount * 1e20, 'month') FROM fuzz_orders(40, 3)
    UNION ALL SELECT rfm_agg(md5(customer::text)::uuid, ordered_at, amount / 3) FROM fuzz_orders(30, 4)
    UNION ALL SELECT rfm_agg(NULL::int, ordered_at, amount) FROM fuzz_orders(3, 1)
) q;
INSERT INTO fuzz_values
SELECT 'bytea', x::text FROM (
    SELECT fuzz_retention_state(i % 2 = 0, i % 3 = 0, i % 5 = 0) x FROM generate_series(1, 10) i
    UNION ALL SELECT fuzz_retention_state(VARIADIC array_fill(true, ARRAY[40])) FROM generate_series(1, 3)
    UNION ALL SELECT fuzz_retention_state(false)
) q;

CREATE TABLE fuzz_seeds (type regtype PRIMARY KEY, text_seeds bytea[], binary_seeds bytea[], uses text[]);
INSERT INTO fuzz_seeds
SELECT type,
       array_agg(convert_to(v, 'UTF8')),
       array_agg(CASE WHEN type = 'bytea'::regtype THEN v::bytea END),
       NULL
FROM fuzz_values GROUP BY type;
-- the send() bytes (through the types' send functions)
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(order_stats_send(v::order_stats)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'order_stats'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(order_stats_state_send(v::order_stats_state)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'order_stats_state'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(cohort_matrix_send(v::cohort_matrix)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'cohort_matrix'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(revenue_matrix_send(v::revenue_matrix)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'revenue_matrix'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(cohort_state_send(v::cohort_state)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'cohort_state'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(rfm_state_send(v::rfm_state)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'rfm_state'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(clv_fit_state_send(v::clv_fit_state)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'clv_fit_state'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(rfm_holdout_state_send(v::rfm_holdout_state)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'rfm_holdout_state'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(rfm_agg_state_send(v::rfm_agg_state)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'rfm_agg_state'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(window_funnel_state_send(v::window_funnel_state)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'window_funnel_state'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(retention_state_send(v::retention_state)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'retention_state'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(retention_matrix_send(v::retention_matrix)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'retention_matrix'::regtype;
UPDATE fuzz_seeds SET binary_seeds = (SELECT array_agg(funnel_counts_send(v::funnel_counts)) FROM fuzz_values f WHERE f.type = fuzz_seeds.type) WHERE type = 'funnel_counts'::regtype;

-- what is done with an accepted value
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT customers($1), orders($1), repeat_customers($1), ignored_rows($1), revenue($1), aov($1),
            customer_value($1), purchase_frequency($1), repeat_rate($1), churn_rate($1),
            observation_window($1), first_order_at($1), last_order_at($1)',
    'SELECT clv($1), clv($1, interval ''3 years'', 0.3, 0.1, 0.8, interval ''1 year'')::text']
WHERE type = 'order_stats'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT order_stats_final($1)::text',
    'SELECT order_stats_final(order_stats_combine($1, $1))::text',
    'SELECT order_stats_final(order_stats_combine(NULL, $1))::text',
    'SELECT order_stats_final(order_stats_trans($1, 1, timestamptz ''2024-01-01'', 1.5))::text']
WHERE type = 'order_stats_state'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT customers($1), ignored_rows($1), last_order_at($1)',
    'SELECT count(*), sum(revenue), sum(retention_rate) FROM cohort_table($1)',
    'SELECT count(*), sum(retention_rate) FROM cohort_table($1, timestamptz ''2024-03-01'')',
    'SELECT count(*), sum(mean_rate) FROM retention_curve($1)',
    'SELECT count(*), sum(crr) FROM period_retention($1)']
WHERE type = 'cohort_matrix'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT customers($1), ignored_rows($1)',
    'SELECT count(*), sum(end_revenue), sum(nrr), sum(grr) FROM mrr_movements($1)',
    'SELECT count(*), sum(revenue), sum(net_revenue_retention) FROM revenue_retention($1)',
    'SELECT count(*), sum(revenue) FROM revenue_retention($1, timestamptz ''2031-03-01'')',
    'SELECT count(*), sum(nrr), sum(grr) FROM trailing_nrr($1, 1)',
    'SELECT count(*), sum(nrr), sum(grr) FROM trailing_nrr($1, 60)']
WHERE type = 'revenue_matrix'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT cohort_agg_final($1)::text',
    'SELECT cohort_agg_final(cohort_agg_combine($1, $1))::text',
    'SELECT cohort_agg_final(cohort_agg_combine(NULL, $1))::text',
    'SELECT cohort_agg_final(cohort_agg_trans($1, 1, timestamptz ''2024-01-01'', ''month''))::text']
WHERE type = 'cohort_state'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT rfm_final($1)::text',
    'SELECT rfm_final(rfm_combine($1, $1))::text',
    'SELECT rfm_final(rfm_combine(NULL, $1))::text',
    'SELECT rfm_final(rfm_trans($1, timestamptz ''2024-01-01'', 2.5, timestamptz ''2024-06-01''))::text']
WHERE type = 'rfm_state'::regtype;
-- (the fits themselves on one accepted state in 16, chosen by its bytes, of
-- up to about 30 patterns: a fit takes too long under ASan to run on every one
-- of thousands of accepted values; reading the state is done on all of them)
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT bgnbd_fit_final($1)::text, mbgnbd_fit_final($1)::text, pareto_nbd_fit_final($1)::text
     FROM (SELECT clv_fit_state_send($1) AS b) q
     WHERE octet_length(b) < 1000 AND hashtext(encode(b, ''hex'')) % 16 = 0',
    'SELECT gamma_gamma_fit_final($1)::text
     FROM (SELECT clv_fit_state_send($1) AS b) q
     WHERE octet_length(b) < 1000 AND hashtext(encode(b, ''hex'')) % 16 = 0',
    'SELECT clv_fit_state_out(clv_fit_combine($1, clv_fit_trans(NULL, 1, 2, 3)))',
    'SELECT clv_fit_combine($1, $1)::text, clv_fit_combine(NULL, $1)::text',
    'SELECT clv_fit_trans($1, 1, 2, 3)::text, clv_spend_fit_trans($1, 2, 10)::text',
    'SELECT sbg_fit_final($1)::text
     FROM (SELECT clv_fit_state_send($1) AS b) q
     WHERE octet_length(b) < 1000 AND hashtext(encode(b, ''hex'')) % 16 = 0',
    'SELECT bgbb_fit_final($1)::text
     FROM (SELECT clv_fit_state_send($1) AS b) q
     WHERE octet_length(b) < 1000 AND hashtext(encode(b, ''hex'')) % 16 = 0',
    'SELECT sbg_fit_trans($1, 0, 10)::text, bgbb_fit_trans($1, 1, 2, 3)::text']
WHERE type = 'clv_fit_state'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT rfm_holdout_final($1)::text',
    'SELECT rfm_holdout_final(rfm_holdout_combine($1, $1))::text',
    'SELECT rfm_holdout_final(rfm_holdout_combine(NULL, $1))::text']
WHERE type = 'rfm_holdout_state'::regtype;
-- (rfm_table with the wrong customer_type is a clean 42804)
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT count(*), sum(frequency), sum(recency), sum(t), sum(monetary_value) FROM rfm_table($1, timestamptz ''2024-03-01'', NULL::int)',
    'SELECT count(*), sum(frequency), sum(monetary_value) FROM rfm_table($1, timestamptz ''2031-01-01'', ''month'', NULL::text)',
    'SELECT count(*), sum(frequency) FROM rfm_table(rfm_agg_combine($1, $1), timestamptz ''2024-06-01'', NULL::int)',
    'SELECT rfm_agg_final(rfm_agg_combine(NULL, $1))::text',
    'SELECT rfm_agg_final(rfm_agg_trans($1, 1, timestamptz ''2024-01-01'', 2.5))::text']
WHERE type = 'rfm_agg_state'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT window_funnel_final($1)',
    'SELECT window_funnel_final(window_funnel_combine($1, $1))',
    'SELECT window_funnel_final(window_funnel_combine(NULL, $1)), window_funnel_final(window_funnel_combine($1, NULL))']
WHERE type = 'window_funnel_state'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT retention_agg_final($1)::text',
    'SELECT retention_agg_final(retention_agg_combine($1, $1))::text',
    'SELECT retention_agg_final(retention_agg_combine(NULL, $1))::text',
    'SELECT count(*), sum(active), sum(value) FROM retention_table(retention_agg_final($1))']
WHERE type = 'retention_state'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT count(*), sum(active), sum(active_on_or_after), sum(value), sum(value_per_active) FROM retention_table($1)',
    'SELECT count(*), sum(retention_rate) FROM retention_table($1, timestamptz ''2031-03-01'')',
    'SELECT count(*), sum(mean_rate) FROM retention_curve($1)']
WHERE type = 'retention_matrix'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT actors($1), ignored_rows($1)',
    'SELECT count(*), sum(actors), sum(conversion), sum(conversion_from_previous), sum(dropped) FROM funnel_table($1)',
    'SELECT funnel_counts_add($1, $1)::text',
    'SELECT funnel_agg_trans($1, 1, 1)::text, funnel_agg_trans($1, NULL, 3)::text']
WHERE type = 'funnel_counts'::regtype;
UPDATE fuzz_seeds SET uses = ARRAY[
    'SELECT retention_cond_final($1)',
    'SELECT retention_cond_final(retention_cond_combine($1, $1))',
    'SELECT retention_cond_final(retention_cond_combine(NULL, $1)), retention_cond_final(retention_cond_combine($1, NULL))',
    'SELECT retention_cond_final(retention_cond_trans($1, ARRAY[true, false, true]))']
WHERE type = 'bytea'::regtype;
