-- Exact money (src/money.c): every sum the extension returns equals sum() over the same
-- amounts in value, display scale and storage bytes.  The extension writes its numerics
-- directly in numeric's storage format (money_numeric); pg_column_size and the text form
-- of numeric_send show any difference from what numeric_in / make_result would build.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(6);

CREATE TEMP TABLE amounts (grp int, amount numeric);
INSERT INTO amounts
SELECT g, a FROM (VALUES
    (1, 1.5), (1, 2.25), (1, -3.75),                     -- sums to zero: no digits, positive
    (2, 10.50), (2, 2.5),                                 -- scale 2
    (3, 0.00000001), (3, 0.00000002),                     -- 8 decimals
    (4, 123456789012.34), (4, 987654321098.76),           -- beyond 2^63 units of 10^-8 together
    (5, -0.5), (5, -0.25),                                -- negative, weight -1
    (6, 99999999999999999999.99),                         -- 20 integer digits
    (7, 1e20), (7, 1),                                    -- weight 5, trailing zero digits stripped
    (8, 0.1234567890),                                    -- 10 decimals: kept as a numeric
    (9, 1.000), (9, 2.000000),                            -- scale 6, integral value
    (10, 12345678.9), (10, -12345678.9), (10, 0.01)
) v(g, a);
-- every value also as the only amount of its own group, and groups of many random amounts
INSERT INTO amounts SELECT 100 + row_number() OVER (), amount FROM amounts;
INSERT INTO amounts
SELECT 1000 + i % 50, round((random() * 2e6 - 1e6)::numeric, (i % 5))
FROM generate_series(1, 5000) i;

CREATE TEMP TABLE expected AS
SELECT grp, sum(amount) AS s FROM amounts GROUP BY grp;
CREATE TEMP TABLE got AS
SELECT grp, revenue(order_stats(1, timestamptz '2024-01-01', amount)) AS s FROM amounts GROUP BY grp;

SELECT is_empty($$SELECT grp FROM expected e JOIN got g USING (grp) WHERE e.s IS DISTINCT FROM g.s$$,
                'order_stats revenue = sum(amount) in value');
SELECT is_empty($$SELECT grp FROM expected e JOIN got g USING (grp) WHERE e.s::text <> g.s::text$$,
                'order_stats revenue = sum(amount) in display scale (text)');
SELECT is_empty($$SELECT grp FROM expected e JOIN got g USING (grp)
                  WHERE pg_column_size(e.s) <> pg_column_size(g.s)
                     OR numeric_send(e.s) <> numeric_send(g.s)$$,
                'order_stats revenue = sum(amount) in storage size and binary form');

-- cohort cells (one customer, one period per group: the cell revenue is the group's sum)
CREATE TEMP TABLE cells AS
SELECT grp, t.revenue AS s
FROM (SELECT grp, cohort_agg(1, timestamptz '2024-01-01', 'month', amount) AS m FROM amounts GROUP BY grp) q,
     cohort_table(q.m) t;
SELECT is_empty($$SELECT grp FROM expected e JOIN cells c USING (grp)
                  WHERE e.s::text <> c.s::text OR pg_column_size(e.s) <> pg_column_size(c.s)$$,
                'cohort_table revenue = sum(amount) in text and storage size');

-- rfm: monetary_value is avg() over the repeat periods' sums, bit for bit
CREATE TEMP TABLE rfm_rows AS
SELECT grp, (rfm(d, amount, date '2024-12-31')).monetary_value AS m
FROM (SELECT grp, amount, date '2024-01-01' + (row_number() OVER (PARTITION BY grp ORDER BY amount, random()))::int AS d
      FROM amounts) q
GROUP BY grp;
CREATE TEMP TABLE rfm_expected AS
SELECT grp, coalesce(avg(amount) FILTER (WHERE rn > 1), 0) AS m
FROM (SELECT grp, amount, row_number() OVER (PARTITION BY grp ORDER BY amount) AS rn FROM amounts) q
GROUP BY grp;
SELECT is_empty($$SELECT grp FROM rfm_expected e JOIN rfm_rows r USING (grp)
                  WHERE e.m::text <> r.m::text AND NOT (e.m = 0 AND r.m = 0)$$,
                'rfm monetary_value = avg() of the repeat periods'' amounts (text)');
SELECT is((SELECT count(*) FROM expected), (SELECT count(*) FROM got), 'every group has a revenue');

SELECT * FROM finish();
ROLLBACK;
