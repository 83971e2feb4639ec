/* retention--1.7.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION retention" to load this file. \quit

--
-- The whole SQL API of retention 1.7, what CREATE EXTENSION runs.
--
-- retention--1.7.sql is generated from retention.sql.in by tools/expand_sql (make
-- does it); edit retention.sql.in. The generated script is committed so that every
-- signature can be found with grep; test/static/run fails when it differs from what the
-- generator makes. An upgraded install runs retention--1.0.sql and the hand-written
-- upgrade scripts retention--<old>--<new>.sql instead: test/upgrade/run checks that both
-- give the same catalog.
--
-- Functions are STRICT IMMUTABLE PARALLEL SAFE unless a comment says why not.
-- Every name is qualified with @extschema@ or pg_catalog where a body refers to
-- another object, so the script is search_path proof (the extension is trusted).
--
-- The key types every customer-keyed aggregate is declared for, and the time types
-- (with the suffix of their C transition function and its volatility: timestamptz
-- times are bucketed into periods in the session TimeZone).
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
-- ignored rows, and a NULL amount still makes an order.  One C function per
-- time type serves every form (the number of arguments tells orders from
-- order lines); a float8 or float4 amount is converted as amount::numeric.
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, numeric)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, numeric, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, float8)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, float8, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, float4)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, float4, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, numeric)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, numeric, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, float8)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, float8, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, float4)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, float4, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, numeric)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, numeric, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, float8)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, float8, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, float4)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, float4, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: a NULL partial state (an idle parallel worker) must be handled.
CREATE FUNCTION order_stats_combine(order_stats_state, order_stats_state)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: empty input yields a zero summary, not NULL.
CREATE FUNCTION order_stats_final(order_stats_state) RETURNS order_stats
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The polymorphic aggregates: any customer and order_key type resolves to one
-- of these (unsupported key types get ERROR 42804 with a hint to cast).
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount numeric, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount numeric, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount numeric, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);

-- The same aggregates declared once more for every supported key type, so that
-- Citus can run them on its workers.  Citus 13.2 runs a custom aggregate that
-- it cannot push down whole (a query not grouped by the distribution column)
-- as worker_partial_agg('agg'::regprocedure, ROW(args)) on the workers and
-- coord_combine_agg on the coordinator, and worker_partial_agg checks that the
-- row's field types are exactly the aggregate's declared argument types: a
-- polymorphic argument never passes that check.  These have the same support
-- functions and state as the polymorphic ones; a call with supported key types
-- resolves to one of them (an exact match).  Every supported key type needs its
-- own aggregate: with only some of them, a call with another one (say integer
-- next to a bigint aggregate) would be ambiguous.
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamptz, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamptz, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamptz, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamptz, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamptz, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamptz, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamptz, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamptz, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamptz, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamptz, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamptz, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamptz, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamptz, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamptz, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamptz, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamptz, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamptz, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamptz, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamptz, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamptz, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamptz, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamptz, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamptz, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamptz, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamptz, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamptz, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamptz, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamptz, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamptz, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamptz, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamptz, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamptz, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamptz, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamptz, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamptz, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamptz, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamptz, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamptz, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamptz, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamptz, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamptz, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamptz, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamptz, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamptz, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamptz, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamptz, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamptz, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamptz, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamptz, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamptz, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamptz, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamptz, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamptz, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamptz, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamptz, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamptz, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamp, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamp, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamp, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamp, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamp, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamp, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamp, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at timestamp, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamp, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamp, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamp, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamp, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamp, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamp, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamp, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at timestamp, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamp, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamp, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamp, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamp, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamp, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamp, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamp, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at timestamp, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamp, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamp, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamp, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamp, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamp, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamp, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamp, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at timestamp, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamp, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamp, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamp, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamp, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamp, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamp, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamp, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at timestamp, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamp, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamp, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamp, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamp, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamp, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamp, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamp, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at timestamp, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamp, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamp, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamp, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamp, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamp, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamp, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamp, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at timestamp, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at date, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at date, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at date, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at date, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at date, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at date, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at date, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer smallint, ordered_at date, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at date, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at date, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at date, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at date, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at date, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at date, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at date, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer integer, ordered_at date, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at date, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at date, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at date, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at date, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at date, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at date, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at date, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bigint, ordered_at date, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at date, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at date, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at date, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at date, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at date, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at date, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at date, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer text, ordered_at date, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at date, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at date, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at date, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at date, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at date, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at date, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at date, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer varchar, ordered_at date, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at date, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at date, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at date, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at date, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at date, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at date, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at date, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer bpchar, ordered_at date, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at date, amount numeric) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at date, amount numeric, order_key smallint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at date, amount numeric, order_key integer) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at date, amount numeric, order_key bigint) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at date, amount numeric, order_key text) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at date, amount numeric, order_key varchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at date, amount numeric, order_key bpchar) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer uuid, ordered_at date, amount numeric, order_key uuid) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);

-- A float8 or float4 amount, converted exactly as amount::numeric.  Declared
-- with polymorphic keys only: on Citus, pass amount::numeric so that the typed
-- aggregates above are used.
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount float8) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount float8, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount float4) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount float4, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount float8) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount float8, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount float4) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount float4, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount float8) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount float8, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount float4) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount float4, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);

------------------------------------------------------------------------------
-- order_stats accessors
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
-- are STABLE: they bucket times in the session TimeZone.  One C function per
-- time type serves every form (the number of arguments tells them apart); a
-- float8 or float4 amount is converted as amount::numeric.
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, numeric)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, numeric, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, float8)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, float8, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, float4)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, float4, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, numeric)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, numeric, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, float8)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, float8, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, float4)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, float4, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, numeric)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, numeric, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, float8)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, float8, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, float4)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, float4, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: a NULL partial state (an idle parallel worker) must be handled.
CREATE FUNCTION cohort_agg_combine(cohort_state, cohort_state) RETURNS cohort_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: empty input yields an empty matrix, not NULL.
CREATE FUNCTION cohort_agg_final(cohort_state) RETURNS cohort_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The polymorphic aggregates (unsupported key types get ERROR 42804 with a hint).
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount numeric, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount numeric, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount numeric, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);

-- Declared once more for every supported key type, for Citus (see order_stats).
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamptz, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamptz, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamptz, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamptz, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamptz, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamptz, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamptz, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamptz, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamptz, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamptz, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamptz, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamptz, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamptz, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamptz, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamptz, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamptz, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamptz, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamptz, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamptz, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamptz, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamptz, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamptz, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamptz, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamptz, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamptz, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamptz, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamptz, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamptz, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamptz, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamptz, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamptz, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamptz, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamptz, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamptz, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamptz, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamptz, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamptz, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamptz, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamptz, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamptz, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamptz, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamptz, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamptz, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamptz, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamptz, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamptz, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamptz, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamptz, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamptz, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamptz, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamptz, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamptz, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamptz, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamptz, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamptz, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamptz, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamptz, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamptz, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamptz, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamptz, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamptz, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamptz, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamptz, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamp, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamp, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamp, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamp, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamp, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamp, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamp, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamp, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at timestamp, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamp, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamp, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamp, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamp, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamp, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamp, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamp, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamp, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at timestamp, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamp, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamp, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamp, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamp, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamp, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamp, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamp, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamp, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at timestamp, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamp, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamp, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamp, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamp, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamp, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamp, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamp, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamp, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at timestamp, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamp, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamp, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamp, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamp, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamp, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamp, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamp, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamp, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at timestamp, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamp, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamp, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamp, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamp, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamp, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamp, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamp, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamp, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at timestamp, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamp, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamp, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamp, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamp, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamp, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamp, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamp, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamp, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at timestamp, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at date, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at date, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at date, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at date, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at date, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at date, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at date, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at date, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer smallint, ordered_at date, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at date, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at date, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at date, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at date, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at date, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at date, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at date, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at date, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer integer, ordered_at date, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at date, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at date, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at date, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at date, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at date, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at date, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at date, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at date, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bigint, ordered_at date, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at date, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at date, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at date, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at date, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at date, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at date, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at date, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at date, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer text, ordered_at date, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at date, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at date, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at date, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at date, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at date, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at date, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at date, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at date, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer varchar, ordered_at date, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at date, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at date, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at date, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at date, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at date, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at date, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at date, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at date, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer bpchar, ordered_at date, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at date, period text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at date, period text, amount numeric) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at date, period text, amount numeric, order_key smallint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at date, period text, amount numeric, order_key integer) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at date, period text, amount numeric, order_key bigint) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at date, period text, amount numeric, order_key text) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at date, period text, amount numeric, order_key varchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at date, period text, amount numeric, order_key bpchar) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer uuid, ordered_at date, period text, amount numeric, order_key uuid) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);

-- A float8 or float4 amount, converted exactly as amount::numeric (polymorphic
-- keys only: on Citus pass amount::numeric).
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount float8) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount float8, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount float4) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount float4, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount float8) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount float8, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount float4) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount float4, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount float8) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount float8, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount float4) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount float4, order_key anycompatible) (
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

------------------------------------------------------------------------------
-- revenue_agg and revenue_matrix: revenue retention (doc/revenue_retention.md)
------------------------------------------------------------------------------

CREATE TYPE revenue_matrix;

CREATE FUNCTION revenue_matrix_in(cstring) RETURNS revenue_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION revenue_matrix_out(revenue_matrix) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION revenue_matrix_recv(internal) RETURNS revenue_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION revenue_matrix_send(revenue_matrix) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE revenue_matrix (
    INPUT = revenue_matrix_in,
    OUTPUT = revenue_matrix_out,
    RECEIVE = revenue_matrix_recv,
    SEND = revenue_matrix_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE revenue_matrix IS 'revenue retention summary: per period the revenue movements (new, reactivation, expansion, contraction, churn), revenue cohorts and trailing retention, exact';

-- revenue_agg shares cohort_agg's transition state (and so its combine
-- function, parallel plans and Citus pushdown); its own transition functions
-- only name revenue_agg in messages.  Not STRICT, STABLE for timestamptz, as
-- cohort_agg's.
CREATE FUNCTION revenue_agg_trans(cohort_state, anyelement, timestamptz, text, numeric)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'revenue_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION revenue_agg_trans(cohort_state, anyelement, timestamptz, text, float8)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'revenue_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION revenue_agg_trans(cohort_state, anyelement, timestamptz, text, float4)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'revenue_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION revenue_agg_trans(cohort_state, anyelement, timestamp, text, numeric)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'revenue_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION revenue_agg_trans(cohort_state, anyelement, timestamp, text, float8)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'revenue_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION revenue_agg_trans(cohort_state, anyelement, timestamp, text, float4)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'revenue_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION revenue_agg_trans(cohort_state, anyelement, date, text, numeric)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'revenue_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION revenue_agg_trans(cohort_state, anyelement, date, text, float8)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'revenue_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION revenue_agg_trans(cohort_state, anyelement, date, text, float4)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'revenue_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not STRICT: empty input yields an empty matrix, not NULL.
CREATE FUNCTION revenue_agg_final(cohort_state) RETURNS revenue_matrix
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE revenue_agg(customer anyelement, at timestamptz, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer anyelement, at timestamptz, period text, amount float8) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer anyelement, at timestamptz, period text, amount float4) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer smallint, at timestamptz, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer integer, at timestamptz, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer bigint, at timestamptz, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer text, at timestamptz, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer varchar, at timestamptz, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer bpchar, at timestamptz, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer uuid, at timestamptz, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer anyelement, at timestamp, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer anyelement, at timestamp, period text, amount float8) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer anyelement, at timestamp, period text, amount float4) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer smallint, at timestamp, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer integer, at timestamp, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer bigint, at timestamp, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer text, at timestamp, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer varchar, at timestamp, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer bpchar, at timestamp, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer uuid, at timestamp, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer anyelement, at date, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer anyelement, at date, period text, amount float8) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer anyelement, at date, period text, amount float4) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer smallint, at date, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer integer, at date, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer bigint, at date, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer text, at date, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer varchar, at date, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer bpchar, at date, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE revenue_agg(customer uuid, at date, period text, amount numeric) (
    SFUNC = revenue_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = revenue_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);

-- revenue_matrix accessors.  mrr_movements and trailing_nrr read nothing but
-- the matrix (IMMUTABLE); revenue_retention is STABLE and not STRICT as
-- cohort_table (observed_until NULL or left out: the latest row).
CREATE FUNCTION mrr_movements(matrix revenue_matrix,
    OUT period date, OUT start_revenue numeric, OUT new_revenue numeric,
    OUT reactivation_revenue numeric, OUT expansion_revenue numeric,
    OUT contraction_revenue numeric, OUT churned_revenue numeric, OUT end_revenue numeric,
    OUT start_customers int8, OUT new_customers int8, OUT reactivated_customers int8,
    OUT expanded_customers int8, OUT contracted_customers int8, OUT churned_customers int8,
    OUT nrr float8, OUT grr float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 20;

CREATE FUNCTION revenue_retention(matrix revenue_matrix, observed_until timestamptz DEFAULT NULL,
    OUT cohort date, OUT period_offset int, OUT cohort_size int8,
    OUT cohort_start_revenue numeric, OUT revenue numeric, OUT net_revenue_retention float8,
    OUT complete boolean, OUT customers int8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE ROWS 100;

CREATE FUNCTION trailing_nrr(matrix revenue_matrix, lag int,
    OUT period date, OUT nrr float8, OUT grr float8, OUT start_revenue numeric,
    OUT retained_revenue numeric, OUT start_customers int8, OUT retained_customers int8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 20;

CREATE FUNCTION customers(revenue_matrix) RETURNS int8
    AS 'MODULE_PATHNAME', 'revenue_matrix_customers' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ignored_rows(revenue_matrix) RETURNS int8
    AS 'MODULE_PATHNAME', 'revenue_matrix_ignored_rows' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

------------------------------------------------------------------------------
-- rfm(ordered_at, amount, observed_until [, unit]): the RFM summary
------------------------------------------------------------------------------

-- rfm(ordered_at, amount numeric, observed_until [, unit text]) -> rfm_summary
-- (src/rfm_agg.c): one customer's RFM summary as lifetimes'
-- summary_data_from_transaction_data computes it, used per customer:
--   SELECT customer_id, (rfm(ordered_at, amount, '1997-09-30')).* FROM orders GROUP BY 1
-- ordered_at and observed_until are both timestamptz (periods in the session
-- TimeZone), both timestamp or both date; unit is day (default), week, month
-- or hour.  NULL when the customer has no order in or before the period of
-- observed_until.

CREATE TYPE rfm_summary AS (
    frequency int4,         -- distinct purchase periods - 1
    recency float8,         -- units from the first to the last purchase period
    t float8,               -- units from the first purchase period to observed_until's
    monetary_value numeric  -- mean amount of the repeat periods (0 when frequency = 0)
);
COMMENT ON TYPE rfm_summary IS 'per-customer RFM summary (frequency, recency, T, monetary value) as lifetimes computes it';

-- rfm_state: the transition state, a real varlena type (not internal) so that
-- Citus can push rfm down to its workers; its text and binary forms are
-- versioned and validated (src/rfm_state.c).
CREATE TYPE rfm_state;

CREATE FUNCTION rfm_state_in(cstring) RETURNS rfm_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_state_out(rfm_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_state_recv(internal) RETURNS rfm_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_state_send(rfm_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE rfm_state (
    INPUT = rfm_state_in,
    OUTPUT = rfm_state_out,
    RECEIVE = rfm_state_recv,
    SEND = rfm_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE rfm_state IS 'partial state of the rfm aggregates (what parallel workers and Citus workers exchange)';

-- Transition functions are not STRICT: the state starts NULL, a NULL
-- ordered_at is skipped and a NULL amount still makes a purchase.  The
-- timestamptz ones are STABLE: they bucket times in the session TimeZone.
CREATE FUNCTION rfm_trans(rfm_state, timestamptz, numeric, timestamptz)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, timestamptz, numeric, timestamptz, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, timestamp, numeric, timestamp)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, timestamp, numeric, timestamp, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, date, numeric, date)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, date, numeric, date, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- A float8 or float4 amount, converted as amount::numeric.  The times are
-- polymorphic here (one C function finds their type): an integer or untyped
-- amount then still resolves to the numeric forms, whose time arguments match
-- exactly, and not to float8, the preferred numeric type.  STABLE for
-- timestamptz.
CREATE FUNCTION rfm_trans(rfm_state, anyelement, float8, anyelement)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, anyelement, float8, anyelement, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, anyelement, float4, anyelement)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, anyelement, float4, anyelement, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_any' LANGUAGE C STABLE PARALLEL SAFE;

-- Not STRICT: a NULL partial state (an idle parallel worker) must be handled.
CREATE FUNCTION rfm_combine(rfm_state, rfm_state) RETURNS rfm_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- STRICT: no state gives NULL; so does a state without a purchase period
-- (no rows, or none counted).  IMMUTABLE: the state carries
-- the period of observed_until, so no TimeZone is read here.
CREATE FUNCTION rfm_final(rfm_state) RETURNS rfm_summary
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- SSPACE: a one-order customer's state is 64 bytes (80 with palloc's header).
-- INITCOND is the fresh state (format version 1, no unit, no row yet): nodeAgg
-- copies it for each group next to the group's entry, and the first row fills
-- it in place instead of building a new state that nodeAgg would copy again.
CREATE AGGREGATE rfm(ordered_at timestamptz, amount numeric, observed_until timestamptz) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm(ordered_at timestamp, amount numeric, observed_until timestamp) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm(ordered_at date, amount numeric, observed_until date) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm(ordered_at timestamptz, amount numeric, observed_until timestamptz, unit text) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm(ordered_at timestamp, amount numeric, observed_until timestamp, unit text) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm(ordered_at date, amount numeric, observed_until date, unit text) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
-- float8 and float4 amounts (ordered_at and observed_until: timestamptz,
-- timestamp or date, both the same)
CREATE AGGREGATE rfm(ordered_at anyelement, amount float8, observed_until anyelement) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm(ordered_at anyelement, amount float8, observed_until anyelement, unit text) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm(ordered_at anyelement, amount float4, observed_until anyelement) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm(ordered_at anyelement, amount float4, observed_until anyelement, unit text) (
    SFUNC = rfm_trans, STYPE = rfm_state, SSPACE = 80,
    INITCOND = '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    FINALFUNC = rfm_final, COMBINEFUNC = rfm_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rfm(timestamptz, numeric, timestamptz) IS
    'RFM summary of one customer (lifetimes summary_data_from_transaction_data), daily periods';
COMMENT ON AGGREGATE rfm(timestamptz, numeric, timestamptz, text) IS
    'RFM summary of one customer (lifetimes summary_data_from_transaction_data) in day, week, month or hour periods';

------------------------------------------------------------------------------
-- rfm_holdout(ordered_at, amount, calibration_end, observation_end [, unit]):
-- the calibration summary and the holdout period after it (1.6)
------------------------------------------------------------------------------

-- rfm_holdout(...) -> rfm_holdout_summary (src/rfm_holdout.c): lifetimes'
-- calibration_and_holdout_data for one customer, used per customer:
--   SELECT customer_id, (rfm_holdout(ordered_at, amount, '1997-09-30', '1998-06-30')).*
--   FROM orders GROUP BY 1
-- The calibration columns are rfm(ordered_at, amount, calibration_end, unit);
-- the holdout periods are those after calibration_end's period up to
-- observation_end's (orders of later periods are ignored).  NULL when the
-- customer has no order in or before the period of calibration_end.

CREATE TYPE rfm_holdout_summary AS (
    frequency_cal int4,             -- rfm's frequency at calibration_end
    recency_cal float8,             -- rfm's recency
    t_cal float8,                   -- rfm's t
    monetary_value_cal numeric,     -- rfm's monetary_value
    frequency_holdout int4,         -- distinct periods with an order in the holdout period
    monetary_value_holdout numeric, -- their amounts / frequency_holdout (0 when it is 0)
    duration_holdout float8         -- units from calibration_end's period to observation_end's
);
COMMENT ON TYPE rfm_holdout_summary IS 'per-customer calibration RFM summary and holdout purchases (lifetimes calibration_and_holdout_data)';

-- rfm_holdout_state: the transition state (two rfm states), a real varlena
-- type so that Citus can push rfm_holdout down; its text and binary forms
-- are versioned and validated (src/rfm_holdout.c).
CREATE TYPE rfm_holdout_state;

CREATE FUNCTION rfm_holdout_state_in(cstring) RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_state_out(rfm_holdout_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_state_recv(internal) RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_state_send(rfm_holdout_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE rfm_holdout_state (
    INPUT = rfm_holdout_state_in,
    OUTPUT = rfm_holdout_state_out,
    RECEIVE = rfm_holdout_state_recv,
    SEND = rfm_holdout_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE rfm_holdout_state IS 'partial state of the rfm_holdout aggregates (what parallel workers and Citus workers exchange)';

-- Not STRICT, as rfm_trans; the timestamptz ones are STABLE (periods in the
-- session TimeZone).
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, timestamptz, numeric, timestamptz, timestamptz)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, timestamptz, numeric, timestamptz, timestamptz, text)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, timestamp, numeric, timestamp, timestamp)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, timestamp, numeric, timestamp, timestamp, text)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, date, numeric, date, date)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, date, numeric, date, date, text)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- float8 and float4 amounts, converted as amount::numeric; polymorphic times
-- as for rfm_trans.  STABLE for timestamptz.
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, anyelement, float8, anyelement, anyelement)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, anyelement, float8, anyelement, anyelement, text)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, anyelement, float4, anyelement, anyelement)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_holdout_trans(rfm_holdout_state, anyelement, float4, anyelement, anyelement, text)
    RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME', 'rfm_holdout_trans_any' LANGUAGE C STABLE PARALLEL SAFE;

-- Not STRICT: a NULL partial state (an idle parallel worker) must be handled.
CREATE FUNCTION rfm_holdout_combine(rfm_holdout_state, rfm_holdout_state) RETURNS rfm_holdout_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- STRICT: no state gives NULL; so does a state without a calibration period.
-- IMMUTABLE: the state carries the periods of both ends.
CREATE FUNCTION rfm_holdout_final(rfm_holdout_state) RETURNS rfm_holdout_summary
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- SSPACE: a one-order customer's state is 144 bytes (160 with palloc's
-- header).  No INITCOND: the first row builds the state.
CREATE AGGREGATE rfm_holdout(ordered_at timestamptz, amount numeric, calibration_end timestamptz, observation_end timestamptz) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_holdout(ordered_at timestamptz, amount numeric, calibration_end timestamptz, observation_end timestamptz, unit text) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_holdout(ordered_at timestamp, amount numeric, calibration_end timestamp, observation_end timestamp) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_holdout(ordered_at timestamp, amount numeric, calibration_end timestamp, observation_end timestamp, unit text) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_holdout(ordered_at date, amount numeric, calibration_end date, observation_end date) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_holdout(ordered_at date, amount numeric, calibration_end date, observation_end date, unit text) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_holdout(ordered_at anyelement, amount float8, calibration_end anyelement, observation_end anyelement) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_holdout(ordered_at anyelement, amount float8, calibration_end anyelement, observation_end anyelement, unit text) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_holdout(ordered_at anyelement, amount float4, calibration_end anyelement, observation_end anyelement) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rfm_holdout(ordered_at anyelement, amount float4, calibration_end anyelement, observation_end anyelement, unit text) (
    SFUNC = rfm_holdout_trans, STYPE = rfm_holdout_state, SSPACE = 160,
    FINALFUNC = rfm_holdout_final, COMBINEFUNC = rfm_holdout_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rfm_holdout(timestamptz, numeric, timestamptz, timestamptz) IS
    'calibration RFM summary and holdout purchases of one customer (lifetimes calibration_and_holdout_data), daily periods';
COMMENT ON AGGREGATE rfm_holdout(timestamptz, numeric, timestamptz, timestamptz, text) IS
    'calibration RFM summary and holdout purchases of one customer (lifetimes calibration_and_holdout_data) in day, week, month or hour periods';

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
-- BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma models
------------------------------------------------------------------------------

-- The models are composite types, so a fitted model is an ordinary value: it
-- can be stored in a table, dumped and restored, and passed to the prediction
-- functions.  The parameters come first, then what the fit reports (NULL for
-- a model built from given parameters):
--   log_likelihood  sum over the customers, in the data's time unit
--   customers       customers fitted (rows with no NULL)
--   iterations      BFGS iterations
--   converged       the gradient vanished (see the README)
--   at_bound        a parameter ran to e^+-15 of the rescaled search box
--   gradient_norm   largest |d mean log-likelihood / d ln parameter| at the end
--   patterns        distinct (frequency, recency, t) patterns fitted
--   se_<parameter>  standard errors from the observed information (1.6; NULL
--                   where the information matrix is not positive definite)
CREATE TYPE bgnbd_model AS (
    r float8, alpha float8, a float8, b float8,
    log_likelihood float8, customers int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8, patterns int8,
    se_r float8, se_alpha float8, se_a float8, se_b float8);
CREATE TYPE mbgnbd_model AS (
    r float8, alpha float8, a float8, b float8,
    log_likelihood float8, customers int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8, patterns int8,
    se_r float8, se_alpha float8, se_a float8, se_b float8);
CREATE TYPE pareto_nbd_model AS (
    r float8, alpha float8, s float8, beta float8,
    log_likelihood float8, customers int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8, patterns int8,
    se_r float8, se_alpha float8, se_s float8, se_beta float8);
-- skipped: customers left out of the fit (frequency 0, or monetary_value <= 0)
CREATE TYPE gamma_gamma_model AS (
    p float8, q float8, v float8,
    log_likelihood float8, customers int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8, patterns int8, skipped int8,
    se_p float8, se_q float8, se_v float8);
COMMENT ON TYPE bgnbd_model IS 'BG/NBD purchase and drop-out model (Fader, Hardie & Lee 2005): r, alpha, a, b';
COMMENT ON TYPE mbgnbd_model IS 'MBG/NBD purchase and drop-out model (Batislam et al. 2007): r, alpha, a, b';
COMMENT ON TYPE pareto_nbd_model IS 'Pareto/NBD purchase and lifetime model (Schmittlein et al. 1987): r, alpha, s, beta';
COMMENT ON TYPE gamma_gamma_model IS 'Gamma-Gamma spend model (Fader, Hardie & Lee 2005): p, q, v';

-- Constructors from given (published, stored) parameters.
CREATE FUNCTION bgnbd_model(r float8, alpha float8, a float8, b float8) RETURNS bgnbd_model
    AS 'MODULE_PATHNAME', 'clv_model_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_model(r float8, alpha float8, a float8, b float8) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME', 'clv_model_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model(r float8, alpha float8, s float8, beta float8) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME', 'clv_model_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model(p float8, q float8, v float8) RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME', 'clv_model_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- clv_fit_state: the fits' transition state, the distinct customer patterns
-- with their counts; a varlena type (not internal) for Citus (src/clv_fit.c).
CREATE TYPE clv_fit_state;
CREATE FUNCTION clv_fit_state_in(cstring) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_state_out(clv_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_state_recv(internal) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_state_send(clv_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE TYPE clv_fit_state (
    INPUT = clv_fit_state_in,
    OUTPUT = clv_fit_state_out,
    RECEIVE = clv_fit_state_recv,
    SEND = clv_fit_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE clv_fit_state IS 'partial state of the model fits (what parallel workers and Citus workers exchange)';

-- Not STRICT: a row with a NULL is skipped, before any state exists too.
CREATE FUNCTION clv_fit_trans(clv_fit_state, float8, float8, float8) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_spend_fit_trans(clv_fit_state, float8, float8) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- the weighted forms: the last argument is how many customers the row stands for
CREATE FUNCTION clv_fit_trans(clv_fit_state, float8, float8, float8, int8) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_spend_fit_trans(clv_fit_state, float8, float8, int8) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_fit_combine(clv_fit_state, clv_fit_state) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- Not STRICT: the state is NULL when there were no rows (the fit is NULL).
CREATE FUNCTION bgnbd_fit_final(clv_fit_state) RETURNS bgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_fit_final(clv_fit_state) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_fit_final(clv_fit_state) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_final(clv_fit_state) RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Maximum likelihood fits over one row per customer (rfm()'s columns).
CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = bgnbd_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE mbgnbd_fit(frequency float8, recency float8, t float8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = mbgnbd_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_fit(frequency float8, recency float8, t float8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = pareto_nbd_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);
-- Only customers with frequency > 0 and monetary_value > 0 are fitted; the
-- others are counted in the model's skipped field.
CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary_value float8) (
    SFUNC = clv_spend_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = gamma_gamma_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);

-- Weighted: one row per pattern with the number of customers sharing it (a
-- summary already grouped, or published tables such as CDNOW's).
CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8, customers int8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = bgnbd_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE mbgnbd_fit(frequency float8, recency float8, t float8, customers int8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = mbgnbd_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE pareto_nbd_fit(frequency float8, recency float8, t float8, customers int8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = pareto_nbd_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary_value float8, customers int8) (
    SFUNC = clv_spend_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = gamma_gamma_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);

-- One customer's log-likelihood term: sum(log_likelihood(m, ...)) over the
-- customers is the model's log-likelihood.
CREATE FUNCTION log_likelihood(model bgnbd_model, frequency float8, recency float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgnbd_log_likelihood' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION log_likelihood(model mbgnbd_model, frequency float8, recency float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'mbgnbd_log_likelihood' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION log_likelihood(model pareto_nbd_model, frequency float8, recency float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pareto_nbd_log_likelihood' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION log_likelihood(model gamma_gamma_model, frequency float8, monetary_value float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'gamma_gamma_log_likelihood' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- P(alive): the probability that the customer has not dropped out by t.
CREATE FUNCTION p_alive(model bgnbd_model, frequency float8, recency float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgnbd_p_alive_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION p_alive(model mbgnbd_model, frequency float8, recency float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'mbgnbd_p_alive_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION p_alive(model pareto_nbd_model, frequency float8, recency float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pareto_nbd_p_alive_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- Expected purchases in the next horizon units: of this customer (given its
-- summary), or of a new customer.
CREATE FUNCTION expected_purchases(model bgnbd_model, horizon float8, frequency float8, recency float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model mbgnbd_model, horizon float8, frequency float8, recency float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'mbgnbd_expected_purchases_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model pareto_nbd_model, horizon float8, frequency float8, recency float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pareto_nbd_expected_purchases_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model bgnbd_model, horizon float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases_new_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model mbgnbd_model, horizon float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'mbgnbd_expected_purchases_new_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model pareto_nbd_model, horizon float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pareto_nbd_expected_purchases_new_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- Expected value of one future purchase; the population mean for frequency 0.
CREATE FUNCTION expected_spend(model gamma_gamma_model, frequency float8, monetary_value float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'gamma_gamma_expected_spend' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- CLV over the next months, as lifetimes computes it: monthly steps of
-- units_per_month model time units, discounted by (1 + discount_rate)^k.
CREATE FUNCTION predicted_clv(purchase_model bgnbd_model, spend_model gamma_gamma_model,
    frequency float8, recency float8, t float8, monetary_value float8,
    months int4, discount_rate float8, units_per_month float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgnbd_predicted_clv' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION predicted_clv(purchase_model mbgnbd_model, spend_model gamma_gamma_model,
    frequency float8, recency float8, t float8, monetary_value float8,
    months int4, discount_rate float8, units_per_month float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'mbgnbd_predicted_clv' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION predicted_clv(purchase_model pareto_nbd_model, spend_model gamma_gamma_model,
    frequency float8, recency float8, t float8, monetary_value float8,
    months int4, discount_rate float8, units_per_month float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pareto_nbd_predicted_clv' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- parameters(model): each parameter with its standard error and 95% Wald
-- interval, one row each (1.6).
CREATE FUNCTION parameters(model bgnbd_model,
    OUT parameter text, OUT estimate float8, OUT std_error float8, OUT ci_lower float8, OUT ci_upper float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'clv_model_parameters' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 4;
CREATE FUNCTION parameters(model mbgnbd_model,
    OUT parameter text, OUT estimate float8, OUT std_error float8, OUT ci_lower float8, OUT ci_upper float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'clv_model_parameters' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 4;
CREATE FUNCTION parameters(model pareto_nbd_model,
    OUT parameter text, OUT estimate float8, OUT std_error float8, OUT ci_lower float8, OUT ci_upper float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'clv_model_parameters' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 4;
CREATE FUNCTION parameters(model gamma_gamma_model,
    OUT parameter text, OUT estimate float8, OUT std_error float8, OUT ci_lower float8, OUT ci_upper float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'clv_model_parameters' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 3;

------------------------------------------------------------------------------
-- sBG (contractual retention) and BG/BB (discrete-time purchases), 1.6
------------------------------------------------------------------------------

-- Fields as the other models': the parameters, what the fit reports, the
-- standard errors.  sbg_model's periods is the last period of the survival
-- table fitted; bgbb_model's patterns the distinct (frequency, recency,
-- n_periods) fitted.
CREATE TYPE sbg_model AS (
    alpha float8, beta float8,
    log_likelihood float8, customers int8, periods int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8,
    se_alpha float8, se_beta float8);
CREATE TYPE bgbb_model AS (
    alpha float8, beta float8, gamma float8, delta float8,
    log_likelihood float8, customers int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8, patterns int8,
    se_alpha float8, se_beta float8, se_gamma float8, se_delta float8);
COMMENT ON TYPE sbg_model IS 'shifted-beta-geometric contractual retention model (Fader & Hardie 2007): alpha, beta';
COMMENT ON TYPE bgbb_model IS 'BG/BB discrete-time purchase and drop-out model (Fader, Hardie & Shang 2010): alpha, beta, gamma, delta';

CREATE FUNCTION sbg_model(alpha float8, beta float8) RETURNS sbg_model
    AS 'MODULE_PATHNAME', 'clv_model_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_model(alpha float8, beta float8, gamma float8, delta float8) RETURNS bgbb_model
    AS 'MODULE_PATHNAME', 'clv_model_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The fits' states are clv_fit_state, of kinds of their own (src/clv_fit.c).
CREATE FUNCTION sbg_fit_trans(clv_fit_state, int4, int8) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_trans(clv_fit_state, int4, int4, int4) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_trans(clv_fit_state, int4, int4, int4, int8) RETURNS clv_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sbg_fit_final(clv_fit_state) RETURNS sbg_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_final(clv_fit_state) RETURNS bgbb_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- sbg_fit over a survival table: period 0 the cohort's size, then the
-- customers still subscribed at each later period (gaps allowed).  Rows of one
-- period add up (cohorts observed for the same periods, pooled).
CREATE AGGREGATE sbg_fit(period int4, alive int8) (
    SFUNC = sbg_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = sbg_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);
-- bgbb_fit over one row per customer: transactions, the opportunity of the
-- last one, opportunities; or one row per pattern with its customers.
CREATE AGGREGATE bgbb_fit(frequency int4, recency int4, n_periods int4) (
    SFUNC = bgbb_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = bgbb_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);
CREATE AGGREGATE bgbb_fit(frequency int4, recency int4, n_periods int4, customers int8) (
    SFUNC = bgbb_fit_trans, STYPE = clv_fit_state, SSPACE = 4096,
    FINALFUNC = bgbb_fit_final, COMBINEFUNC = clv_fit_combine, PARALLEL = SAFE
);

-- sBG predictions, t and n in periods (period 0 is the acquisition period).
CREATE FUNCTION survival(model sbg_model, t int4) RETURNS float8
    AS 'MODULE_PATHNAME', 'sbg_survival' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_rate(model sbg_model, t int4) RETURNS float8
    AS 'MODULE_PATHNAME', 'sbg_retention_rate_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION churn_probability(model sbg_model, t int4) RETURNS float8
    AS 'MODULE_PATHNAME', 'sbg_churn_probability' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION expected_lifetime(model sbg_model, discount_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'sbg_expected_lifetime_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION residual_lifetime(model sbg_model, n int4, discount_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'sbg_residual_lifetime_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- BG/BB predictions, in opportunities.
CREATE FUNCTION log_likelihood(model bgbb_model, frequency int4, recency int4, n_periods int4) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgbb_log_likelihood' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION p_alive(model bgbb_model, frequency int4, recency int4, n_periods int4) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgbb_p_alive_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model bgbb_model, n_future int4, frequency int4, recency int4, n_periods int4) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgbb_expected_purchases_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model bgbb_model, n int4) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgbb_expected_purchases_new_sql' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION parameters(model sbg_model,
    OUT parameter text, OUT estimate float8, OUT std_error float8, OUT ci_lower float8, OUT ci_upper float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'clv_model_parameters' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 2;
CREATE FUNCTION parameters(model bgbb_model,
    OUT parameter text, OUT estimate float8, OUT std_error float8, OUT ci_lower float8, OUT ci_upper float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'clv_model_parameters' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 4;

-- Each cohort of a cohort_matrix as a subscription cohort: active_on_or_after
-- at the complete offsets read as "still subscribed" (doc/forecasts.md).  A
-- cohort with fewer than three complete offsets (two retention rates) has a
-- NULL model.  STABLE: cohort_table is.
CREATE FUNCTION sbg_fit(matrix cohort_matrix, observed_until timestamptz DEFAULT NULL,
    OUT cohort date, OUT model sbg_model)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 20
    AS $$
    SELECT t.cohort,
           @extschema@.sbg_fit(t.period_offset, t.active_on_or_after) FILTER (WHERE t.complete AND t.offsets >= 3)
      FROM (SELECT c.cohort, c.period_offset, c.active_on_or_after, c.complete,
                   pg_catalog.count(*) FILTER (WHERE c.complete) OVER (PARTITION BY c.cohort) AS offsets
              FROM @extschema@.cohort_table(matrix, observed_until) c) t
     GROUP BY t.cohort
     ORDER BY t.cohort
    $$;

-- Each cohort's observed survival (active_on_or_after / cohort_size at the
-- complete offsets) next to its own sBG fit, offsets 0 .. horizon: the empty
-- lower-right triangle of the cohort heatmap, filled.
CREATE FUNCTION retention_forecast(matrix cohort_matrix, horizon int4, observed_until timestamptz DEFAULT NULL,
    OUT cohort date, OUT period_offset int4, OUT observed_rate float8, OUT fitted_rate float8,
    OUT projected boolean)
    RETURNS SETOF record
    LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 200
    AS $$
BEGIN
    IF horizon IS NULL OR horizon < 0 OR horizon > 10000 THEN
        RAISE EXCEPTION 'horizon must be between 0 and 10000, not %', coalesce(horizon::text, 'NULL')
            USING ERRCODE = '22023',
                  HINT = 'horizon is the last period offset to forecast, in the periods of the cohort_matrix.';
    END IF;
    RETURN QUERY
    SELECT f.cohort, k.k,
           CASE WHEN t.complete THEN t.active_on_or_after::float8 / t.cohort_size END,
           CASE WHEN (f.model).alpha IS NOT NULL THEN @extschema@.survival(f.model, k.k) END,
           t.complete IS NOT TRUE
      FROM @extschema@.sbg_fit(matrix, observed_until) f
     CROSS JOIN pg_catalog.generate_series(0, horizon) AS k(k)
      LEFT JOIN @extschema@.cohort_table(matrix, observed_until) t
        ON t.cohort = f.cohort AND t.period_offset = k.k
     ORDER BY 1, 2;
END
$$;

-- The purchase-count distribution (1.6): P(X(t) = n), the probability that a
-- new customer (acquired at time 0) makes exactly n purchases in (0, t].
CREATE FUNCTION purchase_count_probability(model bgnbd_model, n int4, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgnbd_purchase_count_probability' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION purchase_count_probability(model mbgnbd_model, n int4, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'mbgnbd_purchase_count_probability' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION purchase_count_probability(model pareto_nbd_model, n int4, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pareto_nbd_purchase_count_probability' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

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
