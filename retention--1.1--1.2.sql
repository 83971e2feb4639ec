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
CREATE TYPE bgnbd_model AS (
    r float8, alpha float8, a float8, b float8,
    log_likelihood float8, customers int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8, patterns int8);
CREATE TYPE mbgnbd_model AS (
    r float8, alpha float8, a float8, b float8,
    log_likelihood float8, customers int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8, patterns int8);
CREATE TYPE pareto_nbd_model AS (
    r float8, alpha float8, s float8, beta float8,
    log_likelihood float8, customers int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8, patterns int8);
-- skipped: customers left out of the fit (frequency 0, or monetary_value <= 0)
CREATE TYPE gamma_gamma_model AS (
    p float8, q float8, v float8,
    log_likelihood float8, customers int8, iterations int4, converged boolean,
    at_bound boolean, gradient_norm float8, patterns int8, skipped int8);
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

-- (end of the models section)
