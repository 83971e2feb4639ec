/* retention--1.6--1.7.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.7'" to load this file. \quit

-- 1.7: the sums of final values over disjoint customer sets (cohort_matrix_sum,
-- revenue_matrix_sum, order_stats_sum), ClickHouse's window_funnel, and a
-- one-pass RFM over every customer (rfm_agg, rfm_table).  The same statements
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
