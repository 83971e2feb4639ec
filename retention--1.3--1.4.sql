/* retention--1.3--1.4.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.4'" to load this file. \quit

--
-- 1.4: float8 and float4 amounts, and one transition symbol per time type.
--
-- order_stats, cohort_agg and rfm accept a double precision or real amount,
-- converted exactly as amount::numeric would be (before, such a call found no
-- function).  order_stats and cohort_agg get them with polymorphic keys (the
-- typed aggregates of 1.3 keep numeric amounts, so an integer amount still
-- resolves to those); rfm with polymorphic times, so that an integer or untyped
-- amount still resolves to the numeric forms.  On Citus, pass amount::numeric.
--
-- The order-lines form of order_stats_trans now uses the same C function as the
-- orders form of its time type (the number of arguments tells them apart, as in
-- cohort_agg_trans); the old symbols stay in the library for databases that
-- are not yet updated.
--

CREATE OR REPLACE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, numeric, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, numeric, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION order_stats_trans(order_stats_state, anyelement, date, numeric, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- order_stats
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, float8)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, float8, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount float8) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount float8, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, float4)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamptz, float4, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_tstz' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount float4) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamptz, amount float4, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, float8)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, float8, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount float8) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount float8, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, float4)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, timestamp, float4, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount float4) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at timestamp, amount float4, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, float8)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, float8, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount float8) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount float8, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, float4)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION order_stats_trans(order_stats_state, anyelement, date, float4, anycompatible)
    RETURNS order_stats_state
    AS 'MODULE_PATHNAME', 'order_stats_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount float4) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);
CREATE AGGREGATE order_stats(customer anyelement, ordered_at date, amount float4, order_key anycompatible) (
    SFUNC = order_stats_trans, STYPE = order_stats_state, SSPACE = 1024,
    FINALFUNC = order_stats_final, COMBINEFUNC = order_stats_combine, PARALLEL = SAFE
);

-- cohort_agg
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, float8)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, float8, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount float8) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount float8, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, float4)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamptz, text, float4, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_tstz' LANGUAGE C STABLE PARALLEL SAFE;
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount float4) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamptz, period text, amount float4, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, float8)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, float8, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount float8) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount float8, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, float4)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, timestamp, text, float4, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_ts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount float4) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at timestamp, period text, amount float4, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, float8)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, float8, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount float8) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount float8, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, float4)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cohort_agg_trans(cohort_state, anyelement, date, text, float4, anycompatible)
    RETURNS cohort_state
    AS 'MODULE_PATHNAME', 'cohort_agg_trans_date' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount float4) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cohort_agg(customer anyelement, ordered_at date, period text, amount float4, order_key anycompatible) (
    SFUNC = cohort_agg_trans, STYPE = cohort_state, SSPACE = 1024,
    FINALFUNC = cohort_agg_final, COMBINEFUNC = cohort_agg_combine, PARALLEL = SAFE
);

-- rfm
CREATE FUNCTION rfm_trans(rfm_state, anyelement, float8, anyelement)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, anyelement, float8, anyelement, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
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
CREATE FUNCTION rfm_trans(rfm_state, anyelement, float4, anyelement)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_trans(rfm_state, anyelement, float4, anyelement, text)
    RETURNS rfm_state
    AS 'MODULE_PATHNAME', 'rfm_trans_any' LANGUAGE C STABLE PARALLEL SAFE;
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
