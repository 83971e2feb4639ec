/* retention--1.5--1.6.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.6'" to load this file. \quit

-- 1.6: forecasts you can check.  The sBG and BG/BB models, holdout summaries,
-- standard errors of every fit, purchase-count distributions.  The same
-- statements as in retention--1.6.sql (test/upgrade/run checks that both give
-- the same catalog).
