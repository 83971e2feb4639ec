/* retention--1.5--1.6.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.6'" to load this file. \quit

-- 1.6: forecasts you can check.  The sBG and BG/BB models, holdout summaries,
-- standard errors of every fit, purchase-count distributions.  The same
-- statements as in retention--1.6.sql (test/upgrade/run checks that both give
-- the same catalog).

-- The purchase-count distribution (1.6): P(X(t) = n), the probability that a
-- new customer (acquired at time 0) makes exactly n purchases in (0, t].
CREATE FUNCTION purchase_count_probability(model bgnbd_model, n int4, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'bgnbd_purchase_count_probability' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION purchase_count_probability(model mbgnbd_model, n int4, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'mbgnbd_purchase_count_probability' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION purchase_count_probability(model pareto_nbd_model, n int4, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pareto_nbd_purchase_count_probability' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
