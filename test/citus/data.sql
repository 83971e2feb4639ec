-- test/citus/data.sql: deterministic order lines for the Citus test (test/citus/run).
--
--   psql -v n_customers=4000 -f test/citus/data.sql
--
-- Builds orders_local(line_id, invoice_no, customer_id, ordered_at, amount), a plain
-- table of about 50 * n_customers rows (1 to 3 lines per invoice). The caller copies it
-- into the distributed tables, so every table holds exactly the same rows.
--
-- No random(): every value is a pure function of the customer, invoice and line numbers
-- through hashint8extended, as in bench/generate.sql. A "buy till you die" story, so
-- that the CLV fits have something to find: customer c
--   is born at a uniform time of the four years from 2021-03-01 00:00 UTC,
--   buys at a rate of 0.01 to 0.3 invoices a day (exponential gaps; heavy buyers have
--   several invoices on the same day) and stays for an exponential lifetime of a mean
--   of its own, 30 to 630 days (or until the end of the four years): most customers
--   buy more than once, some only once;
--   spends per line an exponential amount (with cents) of a mean of its own, 5 to 105.
-- An invoice has 1 to 3 lines, 0, 1 and 2 minutes after its time (its time is its
-- earliest line, as order_stats' order_key variant says).

\set ON_ERROR_STOP on
\if :{?n_customers}
\else
  \set n_customers 4000
\endif

CREATE FUNCTION pg_temp.u(id bigint, stream int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((pg_catalog.hashint8extended(id, stream) >> 11) & 9007199254740991)::float8
       / 9007199254740992.0::float8;

DROP TABLE IF EXISTS orders_local;
CREATE TABLE orders_local (
    line_id     bigint        NOT NULL,
    invoice_no  bigint        NOT NULL,
    customer_id bigint        NOT NULL,
    ordered_at  timestamptz   NOT NULL,
    amount      numeric(12,2) NOT NULL
);

INSERT INTO orders_local
WITH customers AS (
    SELECT c,
           1461 * pg_temp.u(c, 1) AS born,                 -- days after 2021-03-01
           0.01 + 0.29 * pg_temp.u(c, 2) ^ 2 AS rate,      -- invoices a day
           -ln(1 - pg_temp.u(c, 3)) * (30 + 600 * pg_temp.u(c, 7)) AS life,  -- days
           5 + 100 * pg_temp.u(c, 8) ^ 2 AS spend          -- mean amount of a line
    FROM generate_series(1::bigint, :n_customers) AS c
), invoices AS (
    SELECT c, c * 1000 + k AS invoice_no, born, life, spend,
           born + sum(CASE WHEN k = 0 THEN 0 ELSE -ln(1 - pg_temp.u(c * 1000 + k, 4)) / rate END)
                  OVER (PARTITION BY c ORDER BY k) AS day
    FROM customers, generate_series(0, 999) AS k
)
SELECT i.invoice_no * 4 + l,
       i.invoice_no,
       i.c,
       timestamptz '2021-03-01 00:00:00+00' + i.day * interval '1 day' + l * interval '1 minute',
       round((0.01 - ln(1 - pg_temp.u(i.invoice_no * 4 + l, 5)) * i.spend)::numeric, 2)
FROM invoices AS i,
     LATERAL generate_series(0, floor(3 * pg_temp.u(i.invoice_no, 6))::int) AS l
WHERE i.day < least(i.born + i.life, 1461);

ANALYZE orders_local;
