/* retention--1.5--1.6.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.6'" to load this file. \quit

-- 1.6: forecasts you can check.  The sBG and BG/BB models, holdout summaries,
-- standard errors of every fit, purchase-count distributions.  The same
-- statements as in retention--1.6.sql (test/upgrade/run checks that both give
-- the same catalog).

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
