-- purchase_count_probability(model, n, t) (1.6): P(X(t) = n) for a new
-- customer, under BG/NBD, MBG/NBD and Pareto/NBD.
--
-- The published BG/NBD values are Fader, Hardie & Lee (2005), eq. 8 at the
-- CDNOW fit (r, alpha, a, b) = (0.243, 4.414, 0.793, 2.426).  The identities
-- hold every model to something computed another way: the probabilities add
-- up to 1, and their mean is expected_purchases(model, t) (the closed form
-- with 2F1 of doc/clv_math.md, not a sum).  Pareto/NBD is also held to its
-- integral over the lifetime evaluated here in plain SQL (Simpson's rule).
-- The large-n references were computed with Python mpmath at mp.dps = 50
-- from the same formulas (doc/clv_math.md#purchase-count-distribution).

-- 7 significant digits
CREATE FUNCTION sig7(v float8) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v = 0 THEN 0 ELSE round(v::numeric, 6 - floor(log(abs(v)))::int) END
$$;

------------------------------------------------------------------------------
-- The published BG/NBD values
------------------------------------------------------------------------------
-- ok: within half a unit of the published value's last digit
SELECT n, t, sig7(p) AS p, abs(p - want) <= half_unit AS ok
FROM (VALUES (0, 39, 0.5737864, 5e-8), (10, 2, 1.0786896e-07, 5e-15),
             (11, 30, 0.0019995214, 5e-11), (12, 30, 0.0015170236, 5e-11), (13, 30, 0.0011633150, 5e-11),
             (14, 30, 0.0009003148, 5e-11), (15, 30, 0.0007023638, 5e-11), (16, 30, 0.0005517902, 5e-11),
             (17, 30, 0.0004361913, 5e-11), (18, 30, 0.0003467171, 5e-11), (19, 30, 0.0002769613, 5e-11),
             (20, 30, 0.0002222260, 5e-11)) AS v(n, t, want, half_unit),
     LATERAL (SELECT purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), n, t) AS p) AS q
ORDER BY t, n;

-- the closed forms at n = 0: BG/NBD (alpha/(alpha+t))^r; MBG/NBD
-- b/(a+b) (alpha/(alpha+t))^r + a/(a+b); Pareto/NBD with alpha = beta:
-- q^(r+s) + s/(r+s) (1 - q^(r+s)), q = alpha/(alpha+t)
SELECT abs(purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), 0, 7)
           - (4.414 / 11.414) ^ 0.243) < 1e-14 AS bgnbd_zero,
       abs(purchase_count_probability(mbgnbd_model(0.525, 6.183, 0.891, 1.614), 0, 7)
           - (1.614 / 2.505 * (6.183 / 13.183) ^ 0.525 + 0.891 / 2.505)) < 1e-14 AS mbgnbd_zero,
       abs(purchase_count_probability(pareto_nbd_model(1.5, 3, 0.5, 3), 0, 10)
           - ((3.0 / 13) ^ 2 + 0.5 / 2 * (1 - (3.0 / 13) ^ 2))) < 1e-14 AS pareto_nbd_zero;

------------------------------------------------------------------------------
-- Identities: sum_n P(X(t) = n) = 1 (to 1e-9) and sum_n n P(X(t) = n) =
-- expected_purchases(model, t) (to 1e-7 relative), n = 0 .. 800
------------------------------------------------------------------------------
CREATE TABLE count_cases (model text, m text, t float8);
INSERT INTO count_cases VALUES
    ('bgnbd', '(0.243,4.414,0.793,2.426)', 39), ('bgnbd', '(0.243,4.414,0.793,2.426)', 5),
    ('bgnbd', '(2.5,0.7,3.2,0.4)', 2), ('bgnbd', '(0.05,100,0.2,15)', 400),
    ('bgnbd', '(1,2,1,3)', 20),
    ('mbgnbd', '(0.525,6.183,0.891,1.614)', 39), ('mbgnbd', '(2.5,0.7,3.2,0.4)', 2),
    ('mbgnbd', '(0.05,100,0.2,15)', 400), ('mbgnbd', '(1,2,1,3)', 20),
    ('pareto_nbd', '(0.553,10.578,0.606,11.669)', 39), ('pareto_nbd', '(0.553,10.578,0.606,11.669)', 100),
    ('pareto_nbd', '(2.5,0.7,3.2,40)', 2), ('pareto_nbd', '(1.5,3,0.5,3)', 10),
    ('pareto_nbd', '(0.8,2,1,5)', 20), ('pareto_nbd', '(0.05,100,0.2,0.01)', 400);

CREATE FUNCTION count_moments(model text, m text, t float8, OUT total float8, OUT mean float8, OUT expected float8)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT sum(p), sum(n * p), expected_purchases(%2$s_model%1$s, %3$s)
                    FROM (SELECT n, purchase_count_probability(%2$s_model%1$s, n, %3$s) AS p
                          FROM generate_series(0, 800) AS n) AS s', m, model, t)
        INTO total, mean, expected;
END $$;

SELECT model, m, t, abs(total - 1) < 1e-9 AS sums_to_1,
       abs(mean - expected) <= 1e-7 * expected AS mean_is_expected_purchases
FROM count_cases, LATERAL count_moments(model, m, t)
ORDER BY model, m, t;

-- MBG/NBD is not BG/NBD: it loses customers at time 0 too
SELECT purchase_count_probability(mbgnbd_model(0.243, 4.414, 0.793, 2.426), 0, 39)
     > purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), 0, 39) AS mbgnbd_more_zeros;

------------------------------------------------------------------------------
-- Pareto/NBD against its integral in plain SQL:
--   NB(n; t) (beta/(beta+t))^s + int_0^t (s/beta) (beta/(beta+tau))^(s+1) NB(n; tau) dtau
-- with NB(n; tau) = prod_{j<n} (r+j)/(j+1) (alpha/(alpha+tau))^r (tau/(alpha+tau))^n,
-- by Simpson's rule over 4000 intervals
------------------------------------------------------------------------------
CREATE FUNCTION pnbd_count_sql(r float8, al float8, s float8, be float8, n int, t float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
    WITH c AS (SELECT coalesce(exp(sum(ln((r + j) / (j + 1)))), 1) AS c FROM generate_series(0, n - 1) AS j),
    nodes AS (SELECT k, t * k / 4000.0 AS tau,
                     CASE WHEN k IN (0, 4000) THEN 1 WHEN k % 2 = 1 THEN 4 ELSE 2 END AS w
              FROM generate_series(0, 4000) AS k)
    SELECT c * (al / (al + t)) ^ r * (t / (al + t)) ^ n * (be / (be + t)) ^ s
         + t / 4000.0 / 3 * sum(w * s / be * (be / (be + tau)) ^ (s + 1) * c * (al / (al + tau)) ^ r * (tau / (al + tau)) ^ n)
    FROM c, nodes GROUP BY c
$$;

SELECT m, n, t, sig7(p) AS p, abs(p - pnbd_count_sql(r, al, s, be, n, t)) < 1e-6 * greatest(p, 1e-3) AS ok
FROM (VALUES (0.553, 10.578, 0.606, 11.669, 39), (2.5, 0.7, 3.2, 40, 2), (0.8, 2, 1, 5, 20)) AS v(r, al, s, be, t),
     LATERAL (SELECT format('(%s,%s,%s,%s)', r, al, s, be) AS m) AS mm,
     generate_series(0, 7, 1) AS n,
     LATERAL (SELECT purchase_count_probability(pareto_nbd_model(r, al, s, be), n, t) AS p) AS q
WHERE n IN (0, 1, 3, 7)
ORDER BY m, n;

------------------------------------------------------------------------------
-- t = 0, large n, long horizons
------------------------------------------------------------------------------
SELECT purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), 0, 0) AS bg_0,
       purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), 3, 0) AS bg_3,
       purchase_count_probability(mbgnbd_model(0.525, 6.183, 0.891, 1.614), 0, 0) AS mbg_0,
       purchase_count_probability(mbgnbd_model(0.525, 6.183, 0.891, 1.614), 1, 0) AS mbg_1,
       purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 0, 0) AS pnbd_0,
       purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 1, 0) AS pnbd_1;

-- n = 100000 against mpmath (50 digits), to 1e-10 relative
SELECT what, sig7(p) AS p, abs(p - want) <= 1e-10 * want AS ok
FROM (VALUES
    ('bgnbd', purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), 100000, 1e7), 1.0749490397762539307e-9),
    ('mbgnbd', purchase_count_probability(mbgnbd_model(0.525, 6.183, 0.891, 1.614), 100000, 1e7), 4.1395274205266786693e-10),
    ('pareto_nbd', purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 100000, 1e6), 3.718838297920957e-09)
) AS v(what, p, want);

-- far beyond what the horizon allows: 0 (the true values are below 1e-5000),
-- and the largest n at a long horizon: a small positive number, no error
SELECT purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), 100000, 30) AS bg,
       purchase_count_probability(mbgnbd_model(0.243, 4.414, 0.793, 2.426), 100000, 30) AS mbg,
       purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 100000, 30) AS pnbd;
SELECT p > 0 AND p < 1e-15 AS small_positive
FROM (VALUES (purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), 2147483647, 1e9)),
             (purchase_count_probability(mbgnbd_model(0.243, 4.414, 0.793, 2.426), 2147483647, 1e9)),
             (purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 2147483647, 1e9))) AS v(p);

-- a horizon of 1e12 time units: P(X = 0) tends to a/(a+b) (MBG/NBD) and to
-- the share who die before buying; the distribution still sums to 1 over
-- n < 10^12 (checked at n = 0 only: the mass is spread over that range)
SELECT sig7(purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), 0, 1e12)) AS bg,
       sig7(purchase_count_probability(mbgnbd_model(0.525, 6.183, 0.891, 1.614), 0, 1e12)) AS mbg,
       sig7(purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 0, 1e12)) AS pnbd;

------------------------------------------------------------------------------
-- Errors: ERROR 22023 with a hint
------------------------------------------------------------------------------
SELECT q, sqlstate_of(q) FROM (VALUES
    ('SELECT purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), -1, 10)'),
    ('SELECT purchase_count_probability(mbgnbd_model(0.243, 4.414, 0.793, 2.426), 1, -1)'),
    ('SELECT purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 1, ''NaN'')'),
    ('SELECT purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 1, ''Infinity'')'),
    ('SELECT purchase_count_probability(''(0.243,4.414,0.793,0,,,,,,,,,,,)''::bgnbd_model, 1, 10)'),
    ('SELECT purchase_count_probability(''(0.243,,0.793,2.426,,,,,,,,,,,)''::mbgnbd_model, 1, 10)'),
    ('SELECT purchase_count_probability(''(0.553,10.578,-0.606,11.669,,,,,,,,,,,)''::pareto_nbd_model, 1, 10)'),
    ('SELECT purchase_count_probability(''(0.553,10.578,0.606,NaN,,,,,,,,,,,)''::pareto_nbd_model, 1, 10)')
) AS v(q);
-- the SQLSTATE (not "verbose", whose LOCATION line would pin the C file's line numbers),
-- then the message and hint
\set VERBOSITY sqlstate
SELECT purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), -3, 10);
SELECT purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 2, -1);
\set VERBOSITY default
SELECT purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), -3, 10);
SELECT purchase_count_probability(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 2, -1);
-- STRICT: NULL in, NULL out
SELECT purchase_count_probability(bgnbd_model(0.243, 4.414, 0.793, 2.426), NULL, 10) IS NULL AS null_n;
