/* retention--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION retention" to load this file. \quit

--
-- Functions are STRICT IMMUTABLE PARALLEL SAFE unless a comment says why not.
-- Every name is qualified with @extschema@ or pg_catalog where a body refers to
-- another object, so the script is search_path proof (the extension is trusted).
--

------------------------------------------------------------------------------
-- order_stats: the summary type
------------------------------------------------------------------------------

CREATE TYPE order_stats;

CREATE FUNCTION order_stats_in(cstring) RETURNS order_stats
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_out(order_stats) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_recv(internal) RETURNS order_stats
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_send(order_stats) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE order_stats (
    INPUT = order_stats_in,
    OUTPUT = order_stats_out,
    RECEIVE = order_stats_recv,
    SEND = order_stats_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE order_stats IS 'summary of orders: customers, orders, repeat customers, exact revenue, first and last order';

------------------------------------------------------------------------------
-- order_stats_state: the aggregates' transition state.  A real varlena type
-- (not internal) so that Citus can run the aggregate on its workers; in memory
-- it is an expanded object updated in place (see src/order_stats_state.h).
------------------------------------------------------------------------------

CREATE TYPE order_stats_state;

CREATE FUNCTION order_stats_state_in(cstring) RETURNS order_stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_state_out(order_stats_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_state_recv(internal) RETURNS order_stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_state_send(order_stats_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE order_stats_state (
    INPUT = order_stats_state_in,
    OUTPUT = order_stats_state_out,
    RECEIVE = order_stats_state_recv,
    SEND = order_stats_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE order_stats_state IS 'partial state of the order_stats aggregates (what parallel workers and Citus workers exchange)';

-- Transition functions are not STRICT: NULL keys and times are counted as
-- ignored rows, and a NULL amount still makes an order.
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, numeric)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, numeric)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, numeric)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, numeric, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_lines_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, numeric, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_lines_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, numeric, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_lines_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: a NULL partial state (an idle parallel worker) must be handled.
CREATE FUNCTION order_stats_combine(order_stats_state, order_stats_state)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: empty input yields a zero summary, not NULL.
CREATE FUNCTION order_stats_final(order_stats_state) RETURNS order_stats
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount numeric, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount numeric, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount numeric, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);

------------------------------------------------------------------------------
-- accessors
------------------------------------------------------------------------------

CREATE FUNCTION customers(order_stats) RETURNS int8
    AS 'MODULE_PATHNAME', 'order_stats_customers' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION orders(order_stats) RETURNS int8
    AS 'MODULE_PATHNAME', 'order_stats_orders' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION repeat_customers(order_stats) RETURNS int8
    AS 'MODULE_PATHNAME', 'order_stats_repeat_customers' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ignored_rows(order_stats) RETURNS int8
    AS 'MODULE_PATHNAME', 'order_stats_ignored_rows' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION revenue(order_stats) RETURNS numeric
    AS 'MODULE_PATHNAME', 'order_stats_revenue_fn' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION aov(order_stats) RETURNS numeric
    AS 'MODULE_PATHNAME', 'order_stats_aov' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION customer_value(order_stats) RETURNS numeric
    AS 'MODULE_PATHNAME', 'order_stats_customer_value' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION purchase_frequency(order_stats) RETURNS float8
    AS 'MODULE_PATHNAME', 'order_stats_purchase_frequency' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION repeat_rate(order_stats) RETURNS float8
    AS 'MODULE_PATHNAME', 'order_stats_repeat_rate' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION churn_rate(order_stats) RETURNS float8
    AS 'MODULE_PATHNAME', 'order_stats_churn_rate' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION observation_window(order_stats) RETURNS interval
    AS 'MODULE_PATHNAME', 'order_stats_observation_window' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- STABLE: for timestamp and date input the stored wall-clock time is turned
-- into timestamptz in the session TimeZone, as a cast would.
CREATE FUNCTION first_order_at(order_stats) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'order_stats_first_order_at' LANGUAGE C STRICT STABLE PARALLEL SAFE;
CREATE FUNCTION last_order_at(order_stats) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'order_stats_last_order_at' LANGUAGE C STRICT STABLE PARALLEL SAFE;

-- Not STRICT: the optional arguments default to NULL (see README, "CLV").
CREATE FUNCTION clv(stats order_stats,
                    lifespan interval DEFAULT NULL,
                    margin numeric DEFAULT 1,
                    discount_rate numeric DEFAULT NULL,
                    retention_rate numeric DEFAULT NULL,
                    observation_window interval DEFAULT NULL)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'order_stats_clv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
