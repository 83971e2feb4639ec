/* retention--1.1--1.2.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.2'" to load this file. \quit

--
-- 1.2: predictive CLV.  The per-customer RFM summary (rfm) and the "buy till
-- you die" models fitted on it in C: BG/NBD, MBG/NBD, Pareto/NBD for purchases
-- and survival, Gamma-Gamma for spend, and the CLV they predict.
--
-- Conventions as in retention--1.0.sql (STRICT IMMUTABLE PARALLEL SAFE unless a
-- comment says why not; every reference schema-qualified).
--

------------------------------------------------------------------------------
-- rfm(ordered_at, amount, observed_until [, unit]): the RFM summary
------------------------------------------------------------------------------

-- rfm(ordered_at, amount numeric, observed_until [, unit text]) -> rfm_summary
-- (src/rfm.c): one customer's RFM summary as lifetimes'
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
-- versioned and validated (src/rfm.c).
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
CREATE FUNCTION rfm_trans(rfm_state, timestamp, numeric, timestamp)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, date, numeric, date)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, timestamptz, numeric, timestamptz, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, timestamp, numeric, timestamp, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, date, numeric, date, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

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
COMMENT ON AGGREGATE rfm(timestamptz, numeric, timestamptz) IS
    'RFM summary of one customer (lifetimes summary_data_from_transaction_data), daily periods';
COMMENT ON AGGREGATE rfm(timestamptz, numeric, timestamptz, text) IS
    'RFM summary of one customer (lifetimes summary_data_from_transaction_data) in day, week, month or hour periods';

-- (end of the RFM summary section)


------------------------------------------------------------------------------
-- BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma models
------------------------------------------------------------------------------

-- (end of the models section)
