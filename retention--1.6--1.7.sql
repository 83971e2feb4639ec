/* retention--1.6--1.7.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.7'" to load this file. \quit

-- 1.7: the sums of final values over disjoint customer sets (cohort_matrix_sum,
-- revenue_matrix_sum, order_stats_sum), ClickHouse's window_funnel and its
-- report (funnel_agg, funnel_table),
-- product-analytics retention of any event table (retention_agg,
-- retention_table, retention_curve), and a one-pass RFM over every customer
-- (rfm_agg, rfm_table).  The same statements
-- as in retention--1.7.sql (test/upgrade/run checks that both give the same
-- catalog).

-- Sums of final values over disjoint sets of customers (1.7): cohort_agg's and
-- revenue_agg's matrices or order_stats' values of slices of the customers (a GROUP BY of
-- the customer column or of a function of it, a Citus table distributed by
-- the customer column), added up into the value of all of them, holding only
-- cells and counters, never a customer.  Where a customer is in two of the
-- inputs it is counted twice: see doc/citus.md for the groupings that are
-- safe.  The transition function takes and returns the input type (strict:
-- the first input is the first state) and is the combine function, so Citus
-- runs the aggregates on its workers.
CREATE FUNCTION cohort_matrix_sum_trans(cohort_matrix, cohort_matrix) RETURNS cohort_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cohort_matrix_sum(cohort_matrix) (
    SFUNC = cohort_matrix_sum_trans, STYPE = cohort_matrix,
    COMBINEFUNC = cohort_matrix_sum_trans, PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_matrix_sum(cohort_matrix) IS
    'the cohort_matrix of the customers of all the inputs together, when no customer is in two inputs';
CREATE FUNCTION revenue_matrix_sum_trans(revenue_matrix, revenue_matrix) RETURNS revenue_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE revenue_matrix_sum(revenue_matrix) (
    SFUNC = revenue_matrix_sum_trans, STYPE = revenue_matrix,
    COMBINEFUNC = revenue_matrix_sum_trans, PARALLEL = SAFE
);
COMMENT ON AGGREGATE revenue_matrix_sum(revenue_matrix) IS
    'the revenue_matrix of the customers of all the inputs together, when no customer is in two inputs';
CREATE FUNCTION order_stats_sum_trans(order_stats, order_stats) RETURNS order_stats
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE order_stats_sum(order_stats) (
    SFUNC = order_stats_sum_trans, STYPE = order_stats,
    COMBINEFUNC = order_stats_sum_trans, PARALLEL = SAFE
);
COMMENT ON AGGREGATE order_stats_sum(order_stats) IS
    'the order_stats of the customers of all the inputs together, when no customer is in two inputs';
------------------------------------------------------------------------------
-- window_funnel(window, [mode,] event_at, step1, step2, ...): ClickHouse's
-- windowFunnel, the deepest step of a funnel one actor reached (1.7)
------------------------------------------------------------------------------

-- window_funnel(...) -> int4 (src/window_funnel.c, doc/funnel.md), used per actor:
--   SELECT user_id, window_funnel(interval '1 hour', event_at,
--                                 event = 'view', event = 'cart', event = 'buy')
--   FROM events GROUP BY user_id
-- mode: comma-separated strict_deduplication, strict_order, strict_increase,
-- strict_once, allow_reentry.  The state keeps the group's rows (time, steps
-- satisfied); combining concatenates them, so every plan gives the same level.

-- window_funnel_state: the transition state, a real varlena type so that Citus
-- can push window_funnel down; its text and binary forms are versioned and
-- validated.
CREATE TYPE window_funnel_state;

CREATE FUNCTION window_funnel_state_in(cstring) RETURNS window_funnel_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_state_out(window_funnel_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_state_recv(internal) RETURNS window_funnel_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_state_send(window_funnel_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE window_funnel_state (
    INPUT = window_funnel_state_in,
    OUTPUT = window_funnel_state_out,
    RECEIVE = window_funnel_state_recv,
    SEND = window_funnel_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE window_funnel_state IS 'partial state of the window_funnel aggregates (what parallel workers and Citus workers exchange)';

-- Not STRICT: the state starts NULL, rows with a NULL event_at or steps array
-- are ignored, NULL steps count as false.  IMMUTABLE: times are compared as
-- microseconds, never bucketed in a time zone.
CREATE FUNCTION window_funnel_trans(window_funnel_state, interval, timestamptz, boolean[])
    RETURNS window_funnel_state
    AS 'MODULE_PATHNAME', 'window_funnel_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_trans(window_funnel_state, interval, text, timestamptz, boolean[])
    RETURNS window_funnel_state
    AS 'MODULE_PATHNAME', 'window_funnel_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_trans(window_funnel_state, interval, timestamp, boolean[])
    RETURNS window_funnel_state
    AS 'MODULE_PATHNAME', 'window_funnel_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_trans(window_funnel_state, interval, text, timestamp, boolean[])
    RETURNS window_funnel_state
    AS 'MODULE_PATHNAME', 'window_funnel_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_trans(window_funnel_state, interval, date, boolean[])
    RETURNS window_funnel_state
    AS 'MODULE_PATHNAME', 'window_funnel_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_trans(window_funnel_state, interval, text, date, boolean[])
    RETURNS window_funnel_state
    AS 'MODULE_PATHNAME', 'window_funnel_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: a NULL partial state (an idle parallel worker) must be handled.
CREATE FUNCTION window_funnel_combine(window_funnel_state, window_funnel_state)
    RETURNS window_funnel_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: an empty group reached no step, 0.
CREATE FUNCTION window_funnel_final(window_funnel_state) RETURNS int4
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- SSPACE: the state of an actor with a handful of events (its own small
-- memory context).  No INITCOND: the first row builds the state.
CREATE AGGREGATE window_funnel("window" interval, event_at timestamptz, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state, SSPACE = 1024,
    FINALFUNC = window_funnel_final, COMBINEFUNC = window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel("window" interval, mode text, event_at timestamptz, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state, SSPACE = 1024,
    FINALFUNC = window_funnel_final, COMBINEFUNC = window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel(interval, timestamptz, VARIADIC boolean[]) IS
    'ClickHouse windowFunnel: the deepest step reached by a chain of steps within window of its first event';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC boolean[]) IS
    'ClickHouse windowFunnel with modes (strict_deduplication, strict_order, strict_increase, strict_once, allow_reentry)';
CREATE AGGREGATE window_funnel("window" interval, event_at timestamp, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state, SSPACE = 1024,
    FINALFUNC = window_funnel_final, COMBINEFUNC = window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel("window" interval, mode text, event_at timestamp, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state, SSPACE = 1024,
    FINALFUNC = window_funnel_final, COMBINEFUNC = window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel(interval, timestamp, VARIADIC boolean[]) IS
    'ClickHouse windowFunnel: the deepest step reached by a chain of steps within window of its first event';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamp, VARIADIC boolean[]) IS
    'ClickHouse windowFunnel with modes (strict_deduplication, strict_order, strict_increase, strict_once, allow_reentry)';
CREATE AGGREGATE window_funnel("window" interval, event_at date, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state, SSPACE = 1024,
    FINALFUNC = window_funnel_final, COMBINEFUNC = window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel("window" interval, mode text, event_at date, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state, SSPACE = 1024,
    FINALFUNC = window_funnel_final, COMBINEFUNC = window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel(interval, date, VARIADIC boolean[]) IS
    'ClickHouse windowFunnel: the deepest step reached by a chain of steps within window of its first event';
COMMENT ON AGGREGATE window_funnel(interval, text, date, VARIADIC boolean[]) IS
    'ClickHouse windowFunnel with modes (strict_deduplication, strict_order, strict_increase, strict_once, allow_reentry)';

------------------------------------------------------------------------------
-- rfm_agg(customer, ordered_at, amount [, unit]) and rfm_table: the RFM
-- summary of every customer in one pass (1.7)
------------------------------------------------------------------------------

-- rfm_agg(customer, ordered_at, amount [, unit text]) -> rfm_agg_state
-- (src/rfm_table.c): one value for the whole table, not per group: every
-- customer's distinct purchase periods of the grain (day by default, or hour,
-- week, month) with the exact sum of each period's amounts.  rfm_table reads it:
--   SELECT * FROM rfm_table(rfm_agg(customer_id, ordered_at, amount), '2024-06-30', NULL::bigint)
-- gives exactly the rows of
--   SELECT customer_id, (rfm(ordered_at, amount, '2024-06-30')).* FROM orders GROUP BY 1
-- less the customers whose summary is NULL.

-- rfm_agg_state: the state and the summary, a real varlena type (not
-- internal) so that Citus can push rfm_agg down; in memory an expanded object
-- updated in place; its text and binary forms are versioned and validated
-- (src/rfm_agg_state.c).
CREATE TYPE rfm_agg_state;

CREATE FUNCTION rfm_agg_state_in(cstring) RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_state_out(rfm_agg_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_state_recv(internal) RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_state_send(rfm_agg_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE rfm_agg_state (
    INPUT = rfm_agg_state_in,
    OUTPUT = rfm_agg_state_out,
    RECEIVE = rfm_agg_state_recv,
    SEND = rfm_agg_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE rfm_agg_state IS 'every customer''s purchase periods and their exact sums (rfm_agg); read with rfm_table';

-- Transition functions are not STRICT: NULL customers and times are counted
-- as ignored rows, and a NULL amount still makes a purchase.  The timestamptz
-- ones are STABLE: they bucket times in the session TimeZone.  A float8 or
-- float4 amount is converted as amount::numeric.
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamptz, numeric)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamptz, numeric, text)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamptz, float8)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamptz, float8, text)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamptz, float4)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamptz, float4, text)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamp, numeric)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamp, numeric, text)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamp, float8)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamp, float8, text)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamp, float4)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, timestamp, float4, text)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, date, numeric)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, date, numeric, text)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, date, float8)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, date, float8, text)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, date, float4)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_agg_trans(rfm_agg_state, anyelement, date, float4, text)
    RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME', 'rfm_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: a NULL partial state (an idle parallel worker) must be handled.
CREATE FUNCTION rfm_agg_combine(rfm_agg_state, rfm_agg_state) RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- STRICT: no rows give NULL (and rfm_table of NULL no rows).  The flat summary.
CREATE FUNCTION rfm_agg_final(rfm_agg_state) RETURNS rfm_agg_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- The polymorphic aggregates (unsupported key types get ERROR 42804 with a hint).
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamptz, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamptz, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamp, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamp, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at date, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at date, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);

-- Declared once more for every supported key type, for Citus (see order_stats).
CREATE AGGREGATE rfm_agg(customer smallint, ordered_at timestamptz, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer smallint, ordered_at timestamptz, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer integer, ordered_at timestamptz, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer integer, ordered_at timestamptz, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bigint, ordered_at timestamptz, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bigint, ordered_at timestamptz, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer text, ordered_at timestamptz, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer text, ordered_at timestamptz, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer varchar, ordered_at timestamptz, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer varchar, ordered_at timestamptz, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bpchar, ordered_at timestamptz, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bpchar, ordered_at timestamptz, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer uuid, ordered_at timestamptz, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer uuid, ordered_at timestamptz, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer smallint, ordered_at timestamp, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer smallint, ordered_at timestamp, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer integer, ordered_at timestamp, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer integer, ordered_at timestamp, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bigint, ordered_at timestamp, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bigint, ordered_at timestamp, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer text, ordered_at timestamp, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer text, ordered_at timestamp, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer varchar, ordered_at timestamp, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer varchar, ordered_at timestamp, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bpchar, ordered_at timestamp, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bpchar, ordered_at timestamp, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer uuid, ordered_at timestamp, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer uuid, ordered_at timestamp, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer smallint, ordered_at date, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer smallint, ordered_at date, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer integer, ordered_at date, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer integer, ordered_at date, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bigint, ordered_at date, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bigint, ordered_at date, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer text, ordered_at date, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer text, ordered_at date, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer varchar, ordered_at date, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer varchar, ordered_at date, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bpchar, ordered_at date, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer bpchar, ordered_at date, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer uuid, ordered_at date, amount numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer uuid, ordered_at date, amount numeric, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);

-- A float8 or float4 amount, converted exactly as amount::numeric (polymorphic
-- keys only: on Citus pass amount::numeric).
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamptz, amount float8) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamptz, amount float8, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamptz, amount float4) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamptz, amount float4, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamp, amount float8) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamp, amount float8, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamp, amount float4) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at timestamp, amount float4, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at date, amount float8) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at date, amount float8, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at date, amount float4) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_agg(customer anyelement, ordered_at date, amount float4, unit text) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, SSPACE = 1024,
    FINALFUNC = rfm_agg_final, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rfm_agg(anyelement, timestamptz, numeric) IS
    'purchase days and their exact sums of every customer, one value for the whole table (read with rfm_table)';
COMMENT ON AGGREGATE rfm_agg(anyelement, timestamptz, numeric, text) IS
    'purchase periods (hour, day, week or month) and their exact sums of every customer, one value for the whole table (read with rfm_table)';

-- rfm_table(summary, observed_until [, unit], customer_type): one row per
-- customer with an order in or before observed_until's period, the columns of
-- rfm_summary, exactly as rfm(ordered_at, amount, observed_until, unit) per
-- customer.  unit: the summary's own (left out), or a coarser one holding
-- whole periods of it (day -> week, month; hour -> day, week, month).
-- customer_type types the customer column, as jsonb_populate_record's first
-- argument: NULL::bigint.  Not STRICT (customer_type is a NULL); a NULL
-- summary gives no rows.  observed_until is of the summary's time type; a
-- timestamptz (an untyped literal resolves to it) is read as its wall-clock
-- time for a timestamp or date summary.  STABLE for timestamptz (the session
-- TimeZone).
CREATE FUNCTION rfm_table(summary rfm_agg_state, observed_until timestamptz, unit text, customer_type anyelement)
    RETURNS TABLE (customer anyelement, frequency int4, recency float8, t float8, monetary_value numeric)
    AS 'MODULE_PATHNAME', 'rfm_table_tstz' LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;
CREATE FUNCTION rfm_table(summary rfm_agg_state, observed_until timestamptz, customer_type anyelement)
    RETURNS TABLE (customer anyelement, frequency int4, recency float8, t float8, monetary_value numeric)
    AS 'MODULE_PATHNAME', 'rfm_table_tstz' LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;
CREATE FUNCTION rfm_table(summary rfm_agg_state, observed_until timestamp, unit text, customer_type anyelement)
    RETURNS TABLE (customer anyelement, frequency int4, recency float8, t float8, monetary_value numeric)
    AS 'MODULE_PATHNAME', 'rfm_table_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1000;
CREATE FUNCTION rfm_table(summary rfm_agg_state, observed_until timestamp, customer_type anyelement)
    RETURNS TABLE (customer anyelement, frequency int4, recency float8, t float8, monetary_value numeric)
    AS 'MODULE_PATHNAME', 'rfm_table_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1000;
CREATE FUNCTION rfm_table(summary rfm_agg_state, observed_until date, unit text, customer_type anyelement)
    RETURNS TABLE (customer anyelement, frequency int4, recency float8, t float8, monetary_value numeric)
    AS 'MODULE_PATHNAME', 'rfm_table_date' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1000;
CREATE FUNCTION rfm_table(summary rfm_agg_state, observed_until date, customer_type anyelement)
    RETURNS TABLE (customer anyelement, frequency int4, recency float8, t float8, monetary_value numeric)
    AS 'MODULE_PATHNAME', 'rfm_table_date' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION rfm_table(rfm_agg_state, timestamptz, text, anyelement) IS
    'the RFM summary rows (customer, frequency, recency, t, monetary_value) of an rfm_agg value, as rfm per customer';

------------------------------------------------------------------------------
-- retention_agg(actor, event_at, period, is_start, is_return [, value [, options]]):
-- product-analytics retention of any event table (1.7, doc/retention_agg.md)
------------------------------------------------------------------------------

-- retention_options: the options of retention_agg, built by the function of
-- the same name (which checks them; the aggregate checks them again).
CREATE TYPE retention_options AS (
    cohorts text,
    brackets int[],
    min_occurrences int,
    week_start text
);
COMMENT ON TYPE retention_options IS 'options of retention_agg: cohorts (first_time, recurring), brackets, min_occurrences, week_start';

-- Not STRICT: a NULL argument means its default.
CREATE FUNCTION retention_options(cohorts text DEFAULT 'first_time', brackets int[] DEFAULT NULL,
    min_occurrences int DEFAULT 1, week_start text DEFAULT 'monday')
    RETURNS retention_options
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE TYPE retention_matrix;

CREATE FUNCTION retention_matrix_in(cstring) RETURNS retention_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_matrix_out(retention_matrix) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_matrix_recv(internal) RETURNS retention_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_matrix_send(retention_matrix) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE retention_matrix (
    INPUT = retention_matrix_in,
    OUTPUT = retention_matrix_out,
    RECEIVE = retention_matrix_recv,
    SEND = retention_matrix_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE retention_matrix IS 'retention summary of an event table: per cohort and period offset (or bracket), cohort size, active actors and exact value';

-- retention_state: the transition state, a real varlena type (not internal) so
-- that Citus can run retention_agg on its workers (see src/retention_agg.c).
CREATE TYPE retention_state;

CREATE FUNCTION retention_state_in(cstring) RETURNS retention_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_state_out(retention_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_state_recv(internal) RETURNS retention_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_state_send(retention_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE retention_state (
    INPUT = retention_state_in,
    OUTPUT = retention_state_out,
    RECEIVE = retention_state_recv,
    SEND = retention_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE retention_state IS 'partial state of the retention_agg aggregates (what parallel workers and Citus workers exchange)';

-- Transition functions are not STRICT: NULL actors and times are counted as
-- ignored rows, a NULL flag is false, a NULL value adds nothing.  With a text
-- period the timestamptz ones are STABLE (calendar periods in the session
-- TimeZone); with an interval period too (the cohort is the anchor's day).
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamptz, text, boolean, boolean)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamptz, text, boolean, boolean, numeric)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamptz, text, boolean, boolean, numeric, retention_options)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamptz, interval, boolean, boolean)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_window_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamptz, interval, boolean, boolean, numeric)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_window_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamptz, interval, boolean, boolean, numeric, retention_options)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_window_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamp, text, boolean, boolean)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamp, text, boolean, boolean, numeric)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamp, text, boolean, boolean, numeric, retention_options)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamp, interval, boolean, boolean)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_window_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamp, interval, boolean, boolean, numeric)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_window_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, timestamp, interval, boolean, boolean, numeric, retention_options)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_window_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, date, text, boolean, boolean)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, date, text, boolean, boolean, numeric)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, date, text, boolean, boolean, numeric, retention_options)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, date, interval, boolean, boolean)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_window_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, date, interval, boolean, boolean, numeric)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_window_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_agg_trans(retention_state, anyelement, date, interval, boolean, boolean, numeric, retention_options)
    RETURNS retention_state
    AS 'MODULE_PATHNAME', 'retention_agg_window_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: a NULL partial state (an idle parallel worker) must be handled.
CREATE FUNCTION retention_agg_combine(retention_state, retention_state) RETURNS retention_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: empty input yields an empty matrix, not NULL.  STABLE: a rolling
-- window's cohort is the anchor's day in the session TimeZone.
CREATE FUNCTION retention_agg_final(retention_state) RETURNS retention_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

-- The polymorphic aggregates (unsupported key types get ERROR 42804 with a hint).
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamptz, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamptz, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamp, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamp, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at date, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at date, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at date, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at date, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at date, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor anyelement, event_at date, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);

-- Declared once more for every supported key type, for Citus (see order_stats).
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamptz, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamptz, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamptz, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamptz, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamptz, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamptz, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamptz, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamptz, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamptz, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamptz, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamptz, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamptz, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamptz, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamptz, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamptz, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamptz, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamp, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamp, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamp, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamp, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamp, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamp, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamp, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamp, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamp, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamp, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamp, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamp, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamp, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamp, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamp, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at timestamp, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at date, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at date, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at date, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at date, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at date, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at date, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at date, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at date, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at date, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at date, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at date, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at date, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at date, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at date, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at date, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at date, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at date, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at date, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at date, period text, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at date, period text, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at date, period text, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at date, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at date, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor smallint, event_at date, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at date, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at date, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor integer, event_at date, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at date, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at date, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bigint, event_at date, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at date, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at date, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor text, event_at date, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at date, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at date, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor varchar, event_at date, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at date, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at date, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor bpchar, event_at date, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at date, period interval, is_start boolean, is_return boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at date, period interval, is_start boolean, is_return boolean, value numeric) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE retention_agg(actor uuid, event_at date, period interval, is_start boolean, is_return boolean, value numeric, options retention_options) (
    SFUNC = retention_agg_trans, STYPE = retention_state, SSPACE = 1024,
    FINALFUNC = retention_agg_final, COMBINEFUNC = retention_agg_combine, PARALLEL = SAFE
);

-- retention_matrix accessors.  STABLE: period boundaries are local midnights
-- in the session TimeZone.  Not STRICT: observed_until NULL (or left out)
-- means the latest event of the matrix; a NULL matrix gives no rows.
CREATE FUNCTION retention_table(matrix retention_matrix, observed_until timestamptz DEFAULT NULL,
    OUT cohort timestamptz, OUT period_offset int, OUT cohort_size int8, OUT active int8,
    OUT retention_rate float8, OUT active_on_or_after int8, OUT rate_vs_previous float8,
    OUT value numeric, OUT value_per_active numeric, OUT complete boolean)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE ROWS 100;

CREATE FUNCTION retention_curve(matrix retention_matrix, observed_until timestamptz DEFAULT NULL,
    OUT period_offset int, OUT cohorts int, OUT cohort_customers int8, OUT active int8,
    OUT retention_rate float8, OUT mean_rate float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'retention_matrix_curve' LANGUAGE C STABLE PARALLEL SAFE ROWS 20;

-- The matrices of disjoint sets of actors added up (1.7; as cohort_matrix_sum,
-- src/matrix_sum.c): on Citus, one retention_agg per actor summed on the workers.
CREATE FUNCTION retention_matrix_sum_trans(retention_matrix, retention_matrix) RETURNS retention_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE retention_matrix_sum(retention_matrix) (
    SFUNC = retention_matrix_sum_trans, STYPE = retention_matrix,
    COMBINEFUNC = retention_matrix_sum_trans, PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_matrix_sum(retention_matrix) IS
    'the retention_matrix of the actors of all the inputs together, when no actor is in two inputs';

------------------------------------------------------------------------------
-- funnel_agg(level, steps) and funnel_table(counts): how many actors reached
-- each step of a funnel, from window_funnel's levels (1.7, doc/funnel.md)
------------------------------------------------------------------------------

-- funnel_counts (src/funnel_table.c): the actors at each level 0..steps and
-- the rows of a NULL level; versioned text and binary forms, storable.
CREATE TYPE funnel_counts;

CREATE FUNCTION funnel_counts_in(cstring) RETURNS funnel_counts
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_counts_out(funnel_counts) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_counts_recv(internal) RETURNS funnel_counts
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_counts_send(funnel_counts) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE funnel_counts (
    INPUT = funnel_counts_in,
    OUTPUT = funnel_counts_out,
    RECEIVE = funnel_counts_recv,
    SEND = funnel_counts_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE funnel_counts IS 'funnel report: the actors at each window_funnel level 0..steps, and the rows of a NULL level';

-- Not STRICT: the state starts NULL, a NULL level is counted as an ignored row,
-- a NULL steps is an error.
CREATE FUNCTION funnel_agg_trans(funnel_counts, int4, int4) RETURNS funnel_counts
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- The counts of disjoint sets of actors added up: funnel_agg's combine function
-- and funnel_agg_sum's transition and combine function (STRICT: the first
-- input is the first state).
CREATE FUNCTION funnel_counts_add(funnel_counts, funnel_counts) RETURNS funnel_counts
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- The state is the result type (no final function): Citus runs both on its workers.
CREATE AGGREGATE funnel_agg(level int4, steps int4) (
    SFUNC = funnel_agg_trans, STYPE = funnel_counts,
    COMBINEFUNC = funnel_counts_add, PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_agg(int4, int4) IS
    'the actors (rows) at each level 0..steps of a funnel, from window_funnel''s levels, one row per actor';
CREATE AGGREGATE funnel_agg_sum(funnel_counts) (
    SFUNC = funnel_counts_add, STYPE = funnel_counts,
    COMBINEFUNC = funnel_counts_add, PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_agg_sum(funnel_counts) IS
    'the funnel_counts of the actors of all the inputs together, when no actor is in two inputs';

-- The report: per step 1..steps, the actors that reached it or a deeper step.
CREATE FUNCTION funnel_table(counts funnel_counts,
    OUT step int, OUT actors int8, OUT conversion float8, OUT conversion_from_previous float8,
    OUT dropped int8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION funnel_table(funnel_counts) IS
    'per step: the actors that reached it, conversion from step 1 and from the previous step, actors dropped';
CREATE FUNCTION actors(funnel_counts) RETURNS int8
    AS 'MODULE_PATHNAME', 'funnel_counts_actors' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ignored_rows(funnel_counts) RETURNS int8
    AS 'MODULE_PATHNAME', 'funnel_counts_ignored_rows' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
