/* retention--1.6--1.7.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.7'" to load this file. \quit

-- 1.7: no memory wall.  A one-pass RFM over every customer (rfm_agg,
-- rfm_table).  The same statements as in retention--1.7.sql (test/upgrade/run
-- checks that both give the same catalog).
