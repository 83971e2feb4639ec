-- bench/generate.sql: deterministic benchmark data for the retention extension.
--
--   psql -v n_orders=1000000 [-v n_line_orders=1000000] -f bench/generate.sql
--
-- Builds (dropping any previous version)
--   orders(order_id, customer_id, ordered_at, amount)             n_orders rows
--   order_lines(order_id, line_no, customer_id, ordered_at, amount)
--                         2-3 lines for each of n_line_orders orders (0 or unset: skipped)
--
-- No random(): every value is a pure function of the order id, through
-- hashint8extended(id, seed), so the data are identical on every run, whatever
-- the plan or the order of evaluation.  Order i (1..n) gets:
--
--   ordered_at   2022-01-01 00:00 UTC + (i - 1 + jitter) / n * 1095 days: three
--                years, in insertion (= order_id) order, as an append-only table is
--   customer_id  with probability 1/6 a one-time buyer (an id of its own,
--                n/12 + i); otherwise a draw from a pool of n/12 customers,
--                1 + floor(n/12 * u^1.5), so low ids are heavy repeaters.
--                Result (independent of n): about n/4 distinct customers, about
--                two thirds of them with a single order, about a third repeat
--                customers, the heaviest with a few hundred (1M) to about a
--                thousand (10M) orders, all interleaved over time.
--   amount       1.00 .. 500.00 with cents, skewed towards small baskets
--                (1 + 499 * u^2, rounded to cents).
--
-- Lines (the lines variant): order i gets 2 or 3 lines with the same customer
-- and time as order i of an orders table of n_line_orders rows, each line an
-- amount of 1.00 .. 200.00.
--
-- Tables are UNLOGGED (nothing to recover in a throwaway benchmark cluster)
-- and end VACUUM (FREEZE, ANALYZE)d: hint bits and the visibility map set, so
-- the timed scans do not write.

\set ON_ERROR_STOP on
\if :{?n_orders}
\else
  \set n_orders 1000000
\endif
\if :{?n_line_orders}
\else
  \set n_line_orders 0
\endif

-- uniform double in [0, 1) from (id, stream): the top 53 bits of a 64-bit hash
CREATE FUNCTION pg_temp.u(id bigint, stream int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((pg_catalog.hashint8extended(id, stream) >> 11) & 9007199254740991)::float8
       / 9007199254740992.0::float8;

-- the orders of a table of n orders (inlined into the INSERTs below)
CREATE FUNCTION pg_temp.gen_orders(n bigint)
RETURNS TABLE (order_id bigint, customer_id bigint, ordered_at timestamptz, amount numeric(12,2))
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT i,
           CASE WHEN pg_temp.u(i, 1) < 1.0 / 6
                THEN n / 12 + i                                             -- one-time buyer
                ELSE 1 + floor((n / 12) * pg_temp.u(i, 2) ^ 1.5)::bigint    -- repeat pool
           END,
           timestamptz '2022-01-01 00:00:00+00'
             + ((i - 1 + pg_temp.u(i, 3)) / n) * interval '1095 days',
           round((1 + 499 * pg_temp.u(i, 4) ^ 2)::numeric, 2)::numeric(12,2)
    FROM generate_series(1::bigint, n) AS i
$$;

\timing on

DROP TABLE IF EXISTS orders;
CREATE UNLOGGED TABLE orders (
    order_id    bigint        NOT NULL,
    customer_id bigint        NOT NULL,
    ordered_at  timestamptz   NOT NULL,
    amount      numeric(12,2) NOT NULL
);
INSERT INTO orders SELECT * FROM pg_temp.gen_orders(:n_orders);
VACUUM (FREEZE, ANALYZE) orders;

SELECT :n_line_orders > 0 AS with_lines \gset
\if :with_lines
DROP TABLE IF EXISTS order_lines;
CREATE UNLOGGED TABLE order_lines (
    order_id    bigint        NOT NULL,
    line_no     int           NOT NULL,
    customer_id bigint        NOT NULL,
    ordered_at  timestamptz   NOT NULL,
    amount      numeric(12,2) NOT NULL
);
INSERT INTO order_lines
SELECT o.order_id, l, o.customer_id, o.ordered_at,
       round((1 + 199 * pg_temp.u(o.order_id * 4 + l, 6) ^ 2)::numeric, 2)::numeric(12,2)
FROM pg_temp.gen_orders(:n_line_orders) AS o,
     generate_series(1, 2 + (pg_temp.u(o.order_id, 5) < 0.5)::int) AS l;
VACUUM (FREEZE, ANALYZE) order_lines;
\endif

\timing off
