/* retention--1.5--1.6.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.6'" to load this file. \quit

-- 1.6: forecasts you can check.  The sBG and BG/BB models, holdout summaries,
-- standard errors of every fit, purchase-count distributions.  The same
-- statements as in retention--1.6.sql (test/upgrade/run checks that both give
-- the same catalog).

------------------------------------------------------------------------------
-- Standard errors of every fit: se_<parameter> after the existing fields, so
-- that models stored by 1.5 still read (their new fields are NULL).
------------------------------------------------------------------------------
ALTER TYPE bgnbd_model ADD ATTRIBUTE se_r float8, ADD ATTRIBUTE se_alpha float8,
    ADD ATTRIBUTE se_a float8, ADD ATTRIBUTE se_b float8;
ALTER TYPE mbgnbd_model ADD ATTRIBUTE se_r float8, ADD ATTRIBUTE se_alpha float8,
    ADD ATTRIBUTE se_a float8, ADD ATTRIBUTE se_b float8;
ALTER TYPE pareto_nbd_model ADD ATTRIBUTE se_r float8, ADD ATTRIBUTE se_alpha float8,
    ADD ATTRIBUTE se_s float8, ADD ATTRIBUTE se_beta float8;
ALTER TYPE gamma_gamma_model ADD ATTRIBUTE se_p float8, ADD ATTRIBUTE se_q float8,
    ADD ATTRIBUTE se_v float8;

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
