/* retention--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.1'" to load this file. \quit

--
-- 1.1: cohort retention (cohort_agg, the cohort_matrix type and its accessors)
-- and ClickHouse's retention(cond, ...) aggregate.
--
-- There is no retention--1.1.sql: CREATE EXTENSION installs 1.0 and runs this
-- script, so a fresh install and an upgraded one are the same by construction.
-- Conventions as in retention--1.0.sql (STRICT IMMUTABLE PARALLEL SAFE unless a
-- comment says why not; every reference schema-qualified).
--

------------------------------------------------------------------------------
-- retention(cond, ...): ClickHouse-compatible conversion flags
------------------------------------------------------------------------------

-- retention(cond1, cond2, ...) -> boolean[] (src/condition_retention.c):
-- element 1 = some row had cond1 true, element k = some row had cond1 true and
-- some row had condk true.  VARIADIC: any number (>= 1) of conditions.  The
-- state is a bytea (n + one bit per condition), not internal, so that Citus
-- pushes the aggregate down; it is flat, so no serialize functions are needed.

-- Not STRICT: the state starts NULL, and a row with a NULL array is skipped
-- before any state exists (a strict transition function of a state type other
-- than its input type would need an initial value).
CREATE FUNCTION retention_cond_trans(bytea, boolean[]) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- STRICT: a NULL partial state (a worker without rows) is left to nodeAgg.
CREATE FUNCTION retention_cond_combine(bytea, bytea) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
-- STRICT: no state (no row with a non-NULL condition array: the number of
-- conditions is unknown) gives NULL.
CREATE FUNCTION retention_cond_final(bytea) RETURNS boolean[]
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(VARIADIC conditions boolean[]) (
    SFUNC = retention_cond_trans, STYPE = bytea,
    FINALFUNC = retention_cond_final, COMBINEFUNC = retention_cond_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention(VARIADIC boolean[]) IS
    'ClickHouse retention(): element 1 = cond1 held on some row, element k = cond1 and condk each held on some row';

------------------------------------------------------------------------------
-- cohort_agg and cohort_matrix
------------------------------------------------------------------------------

CREATE TYPE cohort_matrix;

CREATE FUNCTION cohort_matrix_in(cstring) RETURNS cohort_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_matrix_out(cohort_matrix) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_matrix_recv(internal) RETURNS cohort_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_matrix_send(cohort_matrix) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE cohort_matrix (
    INPUT = cohort_matrix_in,
    OUTPUT = cohort_matrix_out,
    RECEIVE = cohort_matrix_recv,
    SEND = cohort_matrix_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE cohort_matrix IS 'cohort retention summary: per cohort and period offset, active customers, orders and exact revenue';

-- cohort_state: the transition state, a real varlena type (not internal) so
-- that Citus can run cohort_agg on its workers (see src/cohort_state.h).
CREATE TYPE cohort_state;

CREATE FUNCTION cohort_state_in(cstring) RETURNS cohort_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_state_out(cohort_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_state_recv(internal) RETURNS cohort_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_state_send(cohort_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE cohort_state (
    INPUT = cohort_state_in,
    OUTPUT = cohort_state_out,
    RECEIVE = cohort_state_recv,
    SEND = cohort_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE cohort_state IS 'partial state of the cohort_agg aggregates (what parallel workers and Citus workers exchange)';

-- Transition functions are not STRICT: NULL keys and times are counted as
-- ignored rows, and a NULL amount still makes an order.  The timestamptz ones
-- are STABLE: they bucket times in the session TimeZone.
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, numeric)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, numeric)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, numeric)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, numeric, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, numeric, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, numeric, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: a NULL partial state (an idle parallel worker) must be handled.
CREATE FUNCTION cohort_agg_combine(cohort_state, cohort_state) RETURNS cohort_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: empty input yields an empty matrix, not NULL.
CREATE FUNCTION cohort_agg_final(cohort_state) RETURNS cohort_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount numeric, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount numeric, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount numeric, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);

------------------------------------------------------------------------------
-- cohort_matrix accessors (set-returning; plain rows for BI tools)
------------------------------------------------------------------------------

-- STABLE: period boundaries are local midnights in the session TimeZone.
-- Not STRICT: observed_until NULL (or left out) means the latest order of the
-- matrix; a NULL matrix gives no rows.

CREATE FUNCTION cohort_table(matrix cohort_matrix, observed_until timestamptz DEFAULT NULL,
    OUT cohort date, OUT period_offset int, OUT cohort_size int8, OUT active int8,
    OUT retention_rate float8, OUT active_on_or_after int8, OUT orders int8,
    OUT revenue numeric, OUT cum_revenue_per_customer numeric, OUT complete boolean)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE ROWS 100;

CREATE FUNCTION retention_curve(matrix cohort_matrix, observed_until timestamptz DEFAULT NULL,
    OUT period_offset int, OUT cohorts int, OUT cohort_customers int8, OUT active int8,
    OUT retention_rate float8, OUT mean_rate float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE ROWS 20;

CREATE FUNCTION period_retention(matrix cohort_matrix,
    OUT period date, OUT start_customers int8, OUT end_customers int8, OUT new_customers int8,
    OUT crr float8, OUT retained int8, OUT retention_rate float8, OUT churn_rate float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE ROWS 20;

CREATE FUNCTION customers(cohort_matrix) RETURNS int8
    AS 'MODULE_PATHNAME', 'cohort_matrix_customers' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ignored_rows(cohort_matrix) RETURNS int8
    AS 'MODULE_PATHNAME', 'cohort_matrix_ignored_rows' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
-- STABLE: a timestamp or date is turned into timestamptz in the session TimeZone.
CREATE FUNCTION last_order_at(cohort_matrix) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'cohort_matrix_last_order_at' LANGUAGE C STRICT STABLE PARALLEL SAFE;
