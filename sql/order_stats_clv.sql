-- Seed CLV formulas, computed by hand on the basic example:
-- revenue 190.00, 3 customers, 2 repeat customers, customer value cv = 63.333...
SET TimeZone = 'UTC';
CREATE TABLE clv_orders (customer int, ordered_at timestamptz, amount numeric);
INSERT INTO clv_orders VALUES
    (1, '2024-01-05 10:00+00', 100.00), (1, '2024-02-10 00:00+00', 50.00),
    (2, '2024-01-20 00:00+00', 30.00), (3, '2024-03-01 00:00+00', 20.00),
    (3, '2024-03-15 00:00+00', 0.00), (3, '2024-04-01 00:00+00', -10.00);
CREATE TABLE clv_stats AS SELECT order_stats(customer, ordered_at, amount) AS s FROM clv_orders;

SELECT
    -- lifespan from churn: churn = 1 - 2/3, CLV = cv / churn = 190.00 / (3 - 2) = 190
    clv(s) AS from_churn,
    -- margin CLV: 190 * 0.3 = 57
    clv(s, margin => 0.3) AS margin_from_churn,
    -- one-year window: yearly value 63.333; x 0.3 x 3 years = 57
    clv(s, lifespan => interval '3 years', margin => 0.3, observation_window => interval '1 year') AS simple_3y,
    -- 36 months is 3 years
    clv(s, lifespan => interval '36 months', margin => 0.3, observation_window => interval '12 months') AS simple_36m,
    -- discounted: m = 19, r = 2/3, d = 0.1: 19 * (2/3) / (1.1 - 2/3) = 29.230769...
    clv(s, margin => 0.3, discount_rate => 0.1, observation_window => interval '1 year') AS discounted,
    -- discounted with a given retention: 19 * 0.8 / (1 + 0.1 - 0.8) = 50.666667
    clv(s, margin => 0.3, discount_rate => 0.1, retention_rate => 0.8, observation_window => interval '1 year') AS discounted_r,
    -- retention alone sets the lifespan: 1 / (1 - 0.8) = 5 years: 19 * 5 = 95
    clv(s, margin => 0.3, retention_rate => 0.8, observation_window => interval '1 year') AS lifespan_from_r
FROM clv_stats;

-- Without observation_window the window is last - first order:
-- 2024-01-05 10:00 .. 2024-04-01 00:00 = 86 days 14 hours = 86.5833 / 365.25 years;
-- yearly value = 63.3333 / 0.237053 = 267.17; x 0.3 x 3 = 240.45
SELECT observation_window(s), round(clv(s, lifespan => interval '3 years', margin => 0.3), 2) AS simple_data_window
FROM clv_stats;

-- Undefined results are NULL: every customer repeated (no churn), zero window,
-- no revenue.
SELECT clv(order_stats(c, t, a)) AS no_churn
FROM (VALUES (1, timestamptz '2024-01-01', 5.0), (1, timestamptz '2024-02-01', 5.0)) v(c, t, a);
SELECT clv(order_stats(c, t, a), lifespan => interval '1 year') AS zero_window
FROM (VALUES (1, timestamptz '2024-01-01', 5.0), (2, timestamptz '2024-01-01', 5.0)) v(c, t, a);
SELECT clv(order_stats(c, t, NULL::numeric)) AS no_revenue
FROM (VALUES (1, timestamptz '2024-01-01'), (2, timestamptz '2024-01-02')) v(c, t);
SELECT clv(NULL::order_stats) AS null_stats;

-- Bad arguments are errors 22023 with a hint.
SELECT clv(s, margin => 1.5) FROM clv_stats;
SELECT clv(s, lifespan => interval '3 years', discount_rate => 0.1) FROM clv_stats;
SELECT sqlstate_of($$SELECT clv(s, lifespan => interval '-1 year') FROM clv_stats$$);
SELECT sqlstate_of($$SELECT clv(s, margin => -0.1) FROM clv_stats$$);
SELECT sqlstate_of($$SELECT clv(s, retention_rate => 2) FROM clv_stats$$);
SELECT sqlstate_of($$SELECT clv(s, discount_rate => -0.5) FROM clv_stats$$);
SELECT sqlstate_of($$SELECT clv(s, margin => 'NaN') FROM clv_stats$$);
SELECT sqlstate_of($$SELECT clv(s, observation_window => interval '0') FROM clv_stats$$);
