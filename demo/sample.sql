-- demo/sample.sql: a deterministic sample shop for the retention demo (demo/run).
--
-- Creates, in the current schema,
--   orders(order_id, customer_id, ordered_at, amount)              one row per order
--   order_lines(order_id, line_no, customer_id, ordered_at,
--               product_id, line_amount)                           several rows per order
-- about 20,000 orders of 6,500 customers over two years (2023 and 2024, UTC), with a
-- realistic mix: about half the customers buy once, a few buy every couple of weeks, and
-- the shop grows (more first orders in 2024 than in 2023). The lines of an order add up
-- to exactly its amount, so both tables give the same revenue.
--
-- No random(): every value comes from sample_u(), a fixed integer hash, so every run
-- (any machine, any PostgreSQL version) produces the same rows and the same KPIs.
-- Load it into any database: psql -f demo/sample.sql

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS order_lines, orders;
DROP FUNCTION IF EXISTS sample_u(bigint, int);

-- A uniform number in [0, 1) for (key, salt): two rounds of a 32-bit multiply/xor-shift
-- integer hash ("lowbias32"). Plain bigint arithmetic: x < 2^32 and the multiplier
-- < 2^27, so nothing overflows.
CREATE FUNCTION sample_u(key bigint, salt int) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (h3 # (h3 >> 16))::float8 / 4294967296
    FROM (SELECT mod(h2 # (h2 >> 15), 4294967296) * 73244475 % 4294967296 AS h3
          FROM (SELECT mod(h1 # (h1 >> 16), 4294967296) * 73244475 % 4294967296 AS h2
                FROM (SELECT mod(key * 2654435761 + salt * 40503 + 12345, 4294967296) AS h1) a) b) c
$$;

CREATE TABLE orders (
    order_id    bigint PRIMARY KEY,
    customer_id int NOT NULL,
    ordered_at  timestamptz NOT NULL,
    amount      numeric(10,2) NOT NULL
);

WITH customer AS (
    SELECT c AS customer_id,
           -- first order: over 730 days, denser towards the end (the shop grows)
           timestamptz '2023-01-01 00:00+00'
               + (730 * sample_u(c, 1) ^ 0.75) * interval '1 day' AS first_at,
           -- planned number of orders: half one-time buyers, a long tail of loyal ones
           CASE
               WHEN sample_u(c, 2) < 0.50 THEN 1
               WHEN sample_u(c, 2) < 0.70 THEN 2
               WHEN sample_u(c, 2) < 0.82 THEN 3 + floor(3 * sample_u(c, 3))::int   --  3..5
               WHEN sample_u(c, 2) < 0.94 THEN 6 + floor(10 * sample_u(c, 3))::int  --  6..15
               ELSE 16 + floor(35 * sample_u(c, 3))::int                            -- 16..50
           END AS planned,
           -- typical days between two orders of this customer: 4 .. 94
           4 + 90 * sample_u(c, 4) ^ 2 AS gap_days,
           -- typical basket of this customer: 15 .. 135
           15 + 120 * sample_u(c, 5) AS basket
    FROM generate_series(1, 6500) AS c
), placed AS (
    SELECT k.customer_id, n,
           -- the day: each gap varies from 0.5x to 1.5x the customer's typical gap
           date_trunc('day', k.first_at
               + (sum(CASE WHEN n = 1 THEN 0
                           ELSE k.gap_days * (0.5 + sample_u(k.customer_id * 100 + n, 6)) END)
                      OVER (PARTITION BY k.customer_id ORDER BY n)) * interval '1 day')
               -- the time of day: 06:00 .. 23:59
               + (6 * 60 + floor(1080 * sample_u(k.customer_id * 100 + n, 7))) * interval '1 minute'
               AS ordered_at,
           round((k.basket * (0.6 + 0.8 * sample_u(k.customer_id * 100 + n, 8)))::numeric, 2)
               AS amount
    FROM customer AS k, generate_series(1, k.planned) AS n
)
INSERT INTO orders (order_id, customer_id, ordered_at, amount)
SELECT row_number() OVER (ORDER BY ordered_at, customer_id), customer_id, ordered_at, amount
FROM placed
WHERE ordered_at < timestamptz '2025-01-01 00:00+00'   -- the data ends with 2024
ORDER BY ordered_at, customer_id;

-- Order lines: 1 to 4 lines per order, the last line takes the rest so the lines of an
-- order sum to its amount exactly.
CREATE TABLE order_lines (
    order_id    bigint NOT NULL REFERENCES orders,
    line_no     int NOT NULL,
    customer_id int NOT NULL,
    ordered_at  timestamptz NOT NULL,
    product_id  int NOT NULL,
    line_amount numeric(10,2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

INSERT INTO order_lines
SELECT o.order_id, l, o.customer_id, o.ordered_at,
       1 + floor(500 * sample_u(o.order_id * 10 + l, 9))::int AS product_id,
       CASE WHEN l < k.lines THEN round(o.amount / k.lines, 2)
            ELSE o.amount - (k.lines - 1) * round(o.amount / k.lines, 2) END AS line_amount
FROM orders AS o,
     LATERAL (SELECT 1 + floor(4 * sample_u(o.order_id, 10))::int AS lines) AS k,
     generate_series(1, k.lines) AS l
ORDER BY o.order_id, l;

ANALYZE orders;
ANALYZE order_lines;
