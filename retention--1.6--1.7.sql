/* retention--1.6--1.7.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.7'" to load this file. \quit

-- 1.7: no memory wall.  A one-pass RFM over every customer (rfm_agg,
-- rfm_table).  The same statements as in retention--1.7.sql (test/upgrade/run
-- checks that both give the same catalog).

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
