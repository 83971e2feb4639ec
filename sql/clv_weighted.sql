-- The weighted fits: one row per pattern with the number of customers sharing
-- it give the same model, bit for bit, as one row per customer (the state
-- keeps patterns with counts either way).
-- 600 customers, deterministic: ages t of 20 .. 39 weeks, frequency skewed
-- towards 0 (floor(8 u^3)), recency close to t for two in five of them (alive)
-- and early for the others (gone), spend 10 .. 99.
-- (These data do not identify BG/NBD: every customer has about the same
-- drop-out chance, so a and b run off together and the fits warn; only the
-- equality matters here, so warnings are not shown.)
SET client_min_messages = error;
CREATE TEMP TABLE people AS
SELECT x AS frequency,
       CASE WHEN x = 0 THEN 0 WHEN v < 0.4 THEN t - floor(5 * v) ELSE floor(t * (v - 0.4)) END AS recency,
       t, spend
FROM (SELECT floor(8 * (((g * 7919) % 1000) / 1000.0) ^ 3)::float8 AS x,
             ((g * 104729) % 1000) / 1000.0 AS v,
             (20 + g % 20)::float8 AS t,
             (10 + (g * 37) % 90)::float8 AS spend
      FROM generate_series(1, 600) g) s;
CREATE TEMP TABLE grouped AS
SELECT frequency, recency, t, count(*) AS n FROM people GROUP BY 1, 2, 3;
SELECT count(*) AS patterns, sum(n) AS customers FROM grouped;

SELECT (SELECT bgnbd_fit(frequency, recency, t) FROM people)
     = (SELECT bgnbd_fit(frequency, recency, t, n) FROM grouped) AS bgnbd_same,
       (SELECT mbgnbd_fit(frequency, recency, t) FROM people)
     = (SELECT mbgnbd_fit(frequency, recency, t, n) FROM grouped) AS mbgnbd_same,
       (SELECT pareto_nbd_fit(frequency, recency, t) FROM people)
     = (SELECT pareto_nbd_fit(frequency, recency, t, n) FROM grouped) AS pareto_same,
       (SELECT gamma_gamma_fit(frequency, spend) FROM people)
     = (SELECT gamma_gamma_fit(frequency, spend, n)
        FROM (SELECT frequency, spend, count(*) AS n FROM people GROUP BY 1, 2) s) AS gamma_gamma_same;

-- a weight of 0 adds nothing, NULL skips the row, a negative one is an error
SELECT (SELECT bgnbd_fit(frequency, recency, t, n) FROM grouped)
     = (SELECT bgnbd_fit(frequency, recency, t, n)
        FROM (SELECT * FROM grouped UNION ALL VALUES (3, 3, 40, 0), (3, 3, 41, NULL)) s) AS zero_and_null_add_nothing;
SELECT sqlstate_of($$SELECT bgnbd_fit(1, 1, 2, -1)$$);
-- customers with frequency 0 given by weight count as skipped in Gamma-Gamma
SELECT (m).customers, (m).skipped
FROM (SELECT gamma_gamma_fit(frequency, spend, n) AS m
      FROM (SELECT frequency, spend, count(*) AS n FROM people GROUP BY 1, 2) s) q;
SELECT count(*) FILTER (WHERE frequency > 0) AS repeat_buyers, count(*) FILTER (WHERE frequency = 0) AS one_time
FROM people;
RESET client_min_messages;
