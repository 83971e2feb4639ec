/* retention--1.4--1.5.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.5'" to load this file. \quit

-- 1.5: revenue retention.  revenue_agg (over cohort_agg's state) -> revenue_matrix,
-- and its accessors mrr_movements, revenue_retention, trailing_nrr, customers and
-- ignored_rows.  Nothing else changes.  The same statements as in retention--1.5.sql
-- (test/upgrade/run checks that both give the same catalog).

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
