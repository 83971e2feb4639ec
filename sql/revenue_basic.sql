-- revenue_agg and its accessors (1.5) on small examples worked out by hand.
-- Every expected value was computed by hand from the definitions
-- (doc/revenue_retention.md) before it was compared; the comments show the working.
SET TimeZone = 'UTC';
CREATE TABLE rb_orders (customer int, at date, amount numeric);
-- shuffled on purpose
INSERT INTO rb_orders VALUES
    (2, '2024-02-07', -100.00),   -- a refund: customer 2's February nets to 0
    (1, '2024-03-05',  150.00),
    (3, '2024-03-10',     NULL),   -- NULL amount: a row, no revenue
    (1, '2024-01-05',  100.00),
    (4, '2024-03-11',  -20.00),   -- only a refund: customer 4 never has revenue
    (NULL, '2024-03-11',  5.00),   -- NULL customer: ignored, counted
    (2, '2024-01-06',  200.00),
    (1, '2024-05-05',   50.00),
    (2, '2024-02-06',  100.00),
    (3, '2024-02-10',   30.00),
    (2, '2024-03-07',   80.00),
    (1, '2024-02-05',  150.00);
-- R(c, month), positive only (J F M A M = 2024-01 .. 2024-05):
--   c1: J 100 | F 150 | M 150 | A - | M 50
--   c2: J 200 | F 0 (100 - 100) | M 80
--   c3: F 30 | M 0 (NULL amount)
--   c4: M -20 -> none
-- Jan: new c1 100 + c2 200 = 300 (2); end 300 (2)
-- Feb: c1 100 -> 150 expansion 50; c2 200 -> 0 churn 200; c3 new 30
--      end 180 = 300 + 30 + 50 - 200; nrr (300 + 50 - 200) / 300 = 0.5; grr (300 - 200) / 300 = 1/3
-- Mar: c1 unchanged; c2 reactivated 80 (revenue in January); c3 30 -> 0 churn 30
--      end 230 = 180 + 80 - 30; nrr = grr = (180 - 30) / 180 = 5/6
-- Apr: c1 150 and c2 80 churn: 230 (2); end 0; nrr = grr = 0
-- May: c1 reactivated 50; start 0: nrr, grr NULL
SELECT (mrr_movements(revenue_agg(customer, at, 'month', amount))).* FROM rb_orders;
-- the identity, on every row
SELECT bool_and(end_revenue = start_revenue + new_revenue + reactivation_revenue + expansion_revenue
                - contraction_revenue - churned_revenue) AS identity_holds
FROM mrr_movements((SELECT revenue_agg(customer, at, 'month', amount) FROM rb_orders));
-- cohorts: January {c1, c2} starts with 300: offsets 300, 150 (c1), 230 (c1 150 + c2 80), 0, 50
--          February {c3} starts with 30, then nothing
-- The latest row is in May: May is not complete.
SELECT * FROM revenue_retention((SELECT revenue_agg(customer, at, 'month', amount) FROM rb_orders));
-- observed until the end of June: June is reported (no revenue) and May is complete
SELECT * FROM revenue_retention((SELECT revenue_agg(customer, at, 'month', amount) FROM rb_orders),
                                '2024-06-30 12:00+00')
WHERE cohort = '2024-01-01';
-- trailing, lag 2: Mar from Jan: c1 (100 -> 150), c2 (200 -> 80): retained 230, kept 100 + 80 = 180
--   nrr 230 / 300, grr 180 / 300 = 0.6; Apr from Feb (c1 150, c3 30): nobody in April: 0
--   May from Mar (c1 150, c2 80): c1 50: retained 50, kept min(150, 50) = 50: 50 / 230
SELECT * FROM trailing_nrr((SELECT revenue_agg(customer, at, 'month', amount) FROM rb_orders), 2);
-- lag 1 is mrr_movements' nrr and grr
SELECT m.period, m.nrr = t.nrr AND m.grr = t.grr AS same
FROM mrr_movements((SELECT revenue_agg(customer, at, 'month', amount) FROM rb_orders)) m
JOIN trailing_nrr((SELECT revenue_agg(customer, at, 'month', amount) FROM rb_orders), 1) t USING (period)
WHERE m.nrr IS NOT NULL;
-- customers with revenue: c1, c2, c3; one ignored row
SELECT customers(m), ignored_rows(m)
FROM (SELECT revenue_agg(customer, at, 'month', amount) AS m FROM rb_orders) s;

-- quarters: Q1 c1 400, c2 280 (200 + 0 + 80), c3 30 -> 710 (3 new); Q2: c1 50: contraction 350,
-- churn c2 280 and c3 30 = 310: end 50 = 710 - 350 - 310; nrr = grr = 50 / 710 = 0.070423
SELECT period, start_revenue, new_revenue, contraction_revenue, churned_revenue, end_revenue,
       contracted_customers, churned_customers, round(nrr::numeric, 6) AS nrr, round(grr::numeric, 6) AS grr
FROM mrr_movements((SELECT revenue_agg(customer, at, 'quarter', amount) FROM rb_orders));

-- one period only: everything is new (400 + 50 + 280 + 30 = 760)
SELECT period, start_revenue, new_revenue, end_revenue, new_customers, nrr
FROM mrr_movements((SELECT revenue_agg(customer, at, 'year', amount) FROM rb_orders));

-- amounts that do not fit 8 decimals or 64 bits are exact too:
--   c1: Jan 0.123456789, Feb 0.2: expansion 0.076543211
--   c2: Jan 1e30, Feb 1e30 + 5: expansion 5
--   c3: Jan 7, Feb 0.000000001 (smaller but positive): contraction 6.999999999
SELECT period, new_revenue, expansion_revenue, contraction_revenue, end_revenue
FROM mrr_movements((SELECT revenue_agg(c, at, 'month', a) FROM (VALUES
    (1, date '2024-01-02', 0.123456789), (1, '2024-02-02', 0.2),
    (2, '2024-01-03', 1e30), (2, '2024-02-03', 1e30), (2, '2024-02-04', 5),
    (3, '2024-01-04', 7), (3, '2024-02-05', 0.000000001)) v(c, at, a)));

-- timestamptz periods are local: 2024-02-01 03:00 UTC is January 31 in New York
SET TimeZone = 'America/New_York';
SELECT period, new_revenue, end_revenue
FROM mrr_movements((SELECT revenue_agg(1, timestamptz '2024-02-01 03:00+00', 'month', 10.00)));
SET TimeZone = 'UTC';

-- a float8 amount is amount::numeric (equal values; the display scale is float8's)
SELECT (SELECT array_agg(m ORDER BY period) FROM mrr_movements(
            (SELECT revenue_agg(customer, at, 'month', amount::float8) FROM rb_orders)) m)
     = (SELECT array_agg(m ORDER BY period) FROM mrr_movements(
            (SELECT revenue_agg(customer, at, 'month', amount) FROM rb_orders)) m) AS float8_same;

-- no rows: a matrix without periods; no rows of any report
SELECT count(*) AS movement_rows FROM mrr_movements((SELECT revenue_agg(customer, at, 'month', amount) FROM rb_orders WHERE false));
SELECT customers(m), ignored_rows(m) FROM (SELECT revenue_agg(customer, at, 'month', amount) AS m FROM rb_orders WHERE false) s;
SELECT count(*) AS cohort_rows FROM revenue_retention(NULL);

-- stored and read back: text and binary forms are the same value
CREATE TABLE rb_stored AS SELECT revenue_agg(customer, at, 'month', amount) AS m FROM rb_orders;
SELECT m::text::revenue_matrix::text = m::text AS text_round_trip,
       revenue_matrix_send(m::text::revenue_matrix) = revenue_matrix_send(m) AS send_same
FROM rb_stored;

-- errors
SELECT sqlstate_of($$SELECT revenue_agg(customer, at, 'hour', amount) FROM rb_orders$$) AS hour_period;
SELECT sqlstate_of($$SELECT revenue_agg(customer, at, NULL, amount) FROM rb_orders$$) AS null_period;
SELECT sqlstate_of($$SELECT revenue_agg(customer, at, CASE WHEN customer = 1 THEN 'month' ELSE 'week' END, amount) FROM rb_orders$$) AS mixed_periods;
SELECT sqlstate_of($$SELECT revenue_agg(1, date '2024-01-01', 'month', 'NaN'::numeric)$$) AS nan_amount;
SELECT sqlstate_of($$SELECT * FROM trailing_nrr((SELECT m FROM rb_stored), 0)$$) AS lag_0;
SELECT sqlstate_of($$SELECT * FROM trailing_nrr((SELECT m FROM rb_stored), 61)$$) AS lag_61;
SELECT sqlstate_of($$SELECT * FROM revenue_retention((SELECT m FROM rb_stored), '2024-05-01 00:00+00')$$) AS until_before_latest;
SELECT sqlstate_of($$SELECT * FROM revenue_retention((SELECT m FROM rb_stored), 'infinity')$$) AS until_infinite;
-- damaged values: hex that is not hex, a truncated value, a count changed by one, a version byte
SELECT sqlstate_of($$SELECT 'abc'::revenue_matrix$$) AS not_hex;
SELECT sqlstate_of(format('SELECT %L::revenue_matrix', left(m::text, length(m::text) - 2))) AS truncated FROM rb_stored;
SELECT sqlstate_of(format('SELECT %L::revenue_matrix', '\x02' || substr(m::text, 5))) AS version_2 FROM rb_stored;
-- the first period's customer count (bytes 41-48 of the value: after the 40-byte header)
SELECT sqlstate_of(format('SELECT %L::revenue_matrix',
                          overlay(m::text placing '03' from 3 + 2 * 40 for 2))) AS count_changed FROM rb_stored;
