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

-- (end of the RFM summary section)


------------------------------------------------------------------------------
-- BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma models
------------------------------------------------------------------------------

-- (end of the models section)
