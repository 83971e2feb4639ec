/* retention--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.1'" to load this file. \quit

--
-- 1.1: cohort retention (cohort_agg, the cohort_matrix type and its accessors)
-- and ClickHouse's retention(cond, ...) aggregate.
--
-- There is no retention--1.1.sql: CREATE EXTENSION installs 1.0 and runs this
-- script, so a fresh install and an upgraded one are the same by construction.
-- Conventions as in retention--1.0.sql (STRICT IMMUTABLE PARALLEL SAFE unless a
-- comment says why not; every reference schema-qualified).
--

------------------------------------------------------------------------------
-- retention(cond, ...): ClickHouse-compatible conversion flags
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- cohort_agg and cohort_matrix
------------------------------------------------------------------------------
