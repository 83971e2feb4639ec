-- float8 and float4 amounts (1.4): order_stats, cohort_agg and rfm take them and
-- convert each amount exactly as amount::numeric does.  Integer and untyped
-- amounts still resolve to the numeric forms (no detour through float8).
SET TimeZone = 'UTC';
CREATE TEMP TABLE fl AS
SELECT (i % 7) AS customer, (i % 5)::text AS line_order,
       timestamptz '2024-01-01' + (i * 37 % 200) * interval '1 day' AS at,
       ((i * 7919) % 100000) / 100.0 + 0.01 AS amount_n
FROM generate_series(1, 300) i;
ALTER TABLE fl ADD COLUMN amount_d float8, ADD COLUMN amount_r real;
UPDATE fl SET amount_d = amount_n::float8, amount_r = amount_n::real;

-- each form equals the same aggregate over amount::numeric (text of the summary)
SELECT order_stats(customer, at, amount_d)::text = order_stats(customer, at, amount_d::numeric)::text AS os_f8,
       order_stats(customer, at, amount_r)::text = order_stats(customer, at, amount_r::numeric)::text AS os_f4,
       order_stats(customer, at::date, amount_d, line_order)::text
         = order_stats(customer, at::date, amount_d::numeric, line_order)::text AS os_lines_f8,
       order_stats(customer::text, at::timestamp, amount_r, line_order)::text
         = order_stats(customer::text, at::timestamp, amount_r::numeric, line_order)::text AS os_lines_f4
FROM fl;
SELECT cohort_agg(customer, at, 'month', amount_d)::text
         = cohort_agg(customer, at, 'month', amount_d::numeric)::text AS co_f8,
       cohort_agg(customer, at::date, 'week', amount_r, line_order)::text
         = cohort_agg(customer, at::date, 'week', amount_r::numeric, line_order)::text AS co_lines_f4
FROM fl;
SELECT bool_and(a IS NOT DISTINCT FROM b) AS rfm_f8
FROM (SELECT customer, rfm(at, amount_d, timestamptz '2024-08-01')::text AS a,
             rfm(at, amount_d::numeric, timestamptz '2024-08-01')::text AS b
      FROM fl GROUP BY customer) q;
SELECT bool_and(a IS NOT DISTINCT FROM b) AS rfm_f4_week_date
FROM (SELECT customer, rfm(at::date, amount_r, date '2024-08-01', 'week')::text AS a,
             rfm(at::date, amount_r::numeric, date '2024-08-01', 'week')::text AS b
      FROM fl GROUP BY customer) q;

-- float4 is converted as float4::numeric (6 significant digits), not through float8
SELECT revenue(order_stats(1, timestamptz '2024-01-01', 0.1::real)) AS real_0_1,
       revenue(order_stats(1, timestamptz '2024-01-01', 0.1::float8)) AS float8_0_1,
       revenue(order_stats(1, timestamptz '2024-01-01', 0.1::real::float8)) AS real_via_float8;
-- NULL, NaN
SELECT revenue(order_stats(1, timestamptz '2024-01-01', NULL::float8)) AS null_amount,
       orders(order_stats(1, timestamptz '2024-01-01', NULL::float8)) AS null_amount_orders,
       revenue(order_stats(1, timestamptz '2024-01-01', 'NaN'::float8)) AS nan_amount;

-- integers and untyped literals keep the numeric forms: 17 digits stay exact
-- (through float8 they would become 12345678901234600), '12.50' keeps its scale
SELECT revenue(order_stats(1, timestamptz '2024-01-01', 12345678901234567)) AS int8_amount,
       revenue(order_stats(1::bigint, timestamptz '2024-01-01', 12345678901234567::int8)) AS int8_amount_typed_key,
       revenue(order_stats(1, timestamptz '2024-01-01', '12.50')) AS untyped_amount;
SELECT (r).monetary_value AS rfm_int8_amount
FROM (SELECT rfm(d, 12345678901234567::int8, date '2024-01-10') AS r
      FROM (VALUES (date '2024-01-01'), (date '2024-01-05')) v(d)) q;
SELECT (r).monetary_value AS rfm_untyped_amount
FROM (SELECT rfm(d, '12.50', date '2024-01-10') AS r
      FROM (VALUES (date '2024-01-01'), (date '2024-01-05')) v(d)) q;
SELECT (r).frequency, (r).monetary_value AS rfm_null_amount
FROM (SELECT rfm(d, NULL, date '2024-01-10') AS r
      FROM (VALUES (date '2024-01-01'), (date '2024-01-05')) v(d)) q;

-- the float rfm forms take any of the three time types, both arguments alike
SELECT sqlstate_of($$SELECT rfm(1, 1.5::float8, 2)$$) AS rfm_float_integer_times;
SELECT (rfm(t, 2.5::float8, timestamp '2024-01-10')).* FROM (VALUES (timestamp '2024-01-01')) v(t);
