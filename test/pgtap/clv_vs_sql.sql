-- The per-customer log-likelihoods of BG/NBD, MBG/NBD and Gamma-Gamma against an
-- independent plain-SQL formulation (doc/clv_math.md#bgnbd, #mbgnbd, #gamma-gamma), on
-- deterministic generated data, and the fits checked with that formulation: at every
-- fitted model the plain-SQL log-likelihood at parameters perturbed by +-1e-4 (relative) in
-- each coordinate is lower than at the fit, so the fit is a maximum, found by the extension
-- and confirmed by code that shares nothing with it.
--
-- PostgreSQL 15 has no lgamma: lgamma_sql below is Stirling's series with 7 terms after
-- shifting the argument to >= 15 by the recurrence lnG(z) = lnG(z + n) - ln(z (z+1) ...
-- (z+n-1)); its truncation error there is below 1e-19, and it is checked against 50-digit
-- mpmath values first (1e-14 relative, or absolute where lnG is near 0: its value is then a
-- difference of two numbers near 25).
--
-- Tolerance: max relative error 1e-10 between log_likelihood() and the plain SQL
-- (absolute 1e-10 where |ll| < 1); the sum at the fit equal to the model's log_likelihood
-- within 1e-9 relative.

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(26);

CREATE SCHEMA tap_clv_vs_sql;
SET LOCAL search_path = tap_clv_vs_sql, public;
\ir lib/clv_helpers.psql

------------------------------------------------------------------------------------------
-- lgamma in plain SQL
------------------------------------------------------------------------------------------
CREATE FUNCTION lgamma_sql(z float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
    w float8 := z;
    p float8 := 1;
    s float8;
BEGIN
    WHILE w < 15 LOOP
        p := p * w;
        w := w + 1;
    END LOOP;
    s := 1 / (w * w);
    -- (w - 1/2) ln w - w + ln(2 pi)/2 + sum B_2k / (2k (2k-1) w^(2k-1)), k = 1 .. 7
    RETURN (w - 0.5) * ln(w) - w + 0.91893853320467274178
        + (1.0 / 12 - s * (1.0 / 360 - s * (1.0 / 1260 - s * (1.0 / 1680 - s * (1.0 / 1188
           - s * (691.0 / 360360 - s * (1.0 / 156))))))) / w
        - ln(p);
END
$f$;

-- mpmath: mp.dps = 50; loggamma(mpf(z))
SELECT is_empty($$SELECT z, want, lgamma_sql(z) AS got FROM (VALUES
                    (0.001, 6.9071788853838537), (0.25, 1.2880225246980775), (0.5, 0.57236494292470009),
                    (1, 0), (1.5, -0.12078223763524522), (2, 0), (3.7, 1.4280723266653879),
                    (10, 12.80182748008147), (14.999, 25.188546870546926), (15, 25.191221182738682),
                    (15.5, 26.536914491115614), (100.25, 360.28455963776423), (1000.5, 5908.6741758486775),
                    (100000.3, 1051291.1628502464), (2000000, 27017309.141658144)) v(z, want)
                  WHERE NOT clv_close(lgamma_sql(z), want, 1e-14, 1e-14)$$,
                'lgamma_sql: 15 points from 0.001 to 2e6 within 1e-14 (relative, or absolute near 0) of mpmath');

------------------------------------------------------------------------------------------
-- The log-likelihoods in plain SQL (each term as doc/clv_math.md writes it)
------------------------------------------------------------------------------------------
-- ln(e^u + e^v), by the larger one (PostgreSQL's exp() raises on underflow, so a term
-- below e^-700 of the other is left out)
CREATE FUNCTION lse(u float8, v float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT greatest(u, v) + CASE WHEN abs(u - v) > 700 THEN 0 ELSE ln(1 + exp(-abs(u - v))) END
$f$;
-- BG/NBD: lnG(r+x) - lnG(r) + r ln al + lnG(a+b) + lnG(b+x) - lnG(b) - lnG(a+b+x)
--         + ln(e^A3 + [x > 0] e^A4), A3 = -(r+x) ln(al+T), A4 = ln a - ln(b+x-1) - (r+x) ln(al+tx)
CREATE FUNCTION bgnbd_ll_sql(r float8, al float8, a float8, b float8, x float8, tx float8, t float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT lgamma_sql(r + x) - lgamma_sql(r) + r * ln(al)
         + lgamma_sql(a + b) + lgamma_sql(b + x) - lgamma_sql(b) - lgamma_sql(a + b + x)
         + CASE WHEN x > 0 THEN lse(-(r + x) * ln(al + t), ln(a) - ln(b + x - 1) - (r + x) * ln(al + tx))
                ELSE -(r + x) * ln(al + t) END
$f$;
-- MBG/NBD: lnG(r+x) - lnG(r) + r ln al + lnG(a+b) + lnG(b+x+1) - lnG(b) - lnG(a+b+x+1)
--          - (r+x) ln(al+T) + ln(1 + e^A4), A4 = ln a - ln(b+x) + (r+x)(ln(al+T) - ln(al+tx))
CREATE FUNCTION mbgnbd_ll_sql(r float8, al float8, a float8, b float8, x float8, tx float8, t float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT lgamma_sql(r + x) - lgamma_sql(r) + r * ln(al)
         + lgamma_sql(a + b) + lgamma_sql(b + x + 1) - lgamma_sql(b) - lgamma_sql(a + b + x + 1)
         - (r + x) * ln(al + t) + lse(0, ln(a) - ln(b + x) + (r + x) * (ln(al + t) - ln(al + tx)))
$f$;
-- Gamma-Gamma: lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(x m + v)
CREATE FUNCTION gg_ll_sql(p float8, q float8, v float8, x float8, m float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT lgamma_sql(p * x + q) - lgamma_sql(p * x) - lgamma_sql(q) + q * ln(v)
         + (p * x - 1) * ln(m) + p * x * ln(x) - (p * x + q) * ln(x * m + v)
$f$;

------------------------------------------------------------------------------------------
-- Generated customers: 3,000, deterministic (hashes of the row number, no random()).
-- frequency: 40 % zero, mostly 1 .. 30, some 100 .. 1000; T from 0.5 to 400 (T = 0 too);
-- recency = T, 0 or in between; spend 0.01 .. 5,000 for the repeat buyers.
------------------------------------------------------------------------------------------
\ir lib/clv_simulate.psql
CREATE TABLE customers AS
SELECT i, x, CASE WHEN x = 0 THEN 0
                  WHEN i % 7 = 0 THEN t
                  WHEN i % 11 = 0 THEN 0
                  ELSE round((t * u01(i, 3))::numeric, 2)::float8 END AS tx, t,
       CASE WHEN x > 0 THEN round(exp(ln(0.01) + u01(i, 4) * ln(5000 / 0.01))::numeric, 2)::float8 END AS m
FROM (SELECT i,
             CASE WHEN u01(i, 1) < 0.4 THEN 0
                  WHEN i % 97 = 0 THEN 100 + (i % 901)
                  ELSE 1 + floor(30 * u01(i, 2)) END::float8 AS x,
             CASE WHEN i % 251 = 0 THEN 0 ELSE round((0.5 + 399.5 * u01(i, 5))::numeric, 2)::float8 END AS t
      FROM generate_series(1, 3000) i) g
WHERE NOT (x > 0 AND t = 0);
SELECT ok((SELECT count(*) > 2950 AND count(*) FILTER (WHERE x = 0) > 1000 AND count(*) FILTER (WHERE x >= 100) >= 15
                  AND count(*) FILTER (WHERE x > 0 AND tx = t) > 100 AND count(*) FILTER (WHERE x > 0 AND tx = 0) > 50
                  AND count(*) FILTER (WHERE t = 0) > 3 AND max(x) >= 900
           FROM customers),
          'generated customers: frequency 0 .. 1000, recency = T and recency = 0 among repeat buyers, T = 0');

------------------------------------------------------------------------------------------
-- log_likelihood() = plain SQL, every customer, several parameter sets each
------------------------------------------------------------------------------------------
CREATE TABLE purchase_params (model text, r float8, al float8, a float8, b float8);
INSERT INTO purchase_params VALUES
    ('bgnbd', 0.243, 4.414, 0.793, 2.426), ('bgnbd', 2, 0.5, 5, 0.2), ('bgnbd', 0.01, 100, 0.5, 0.8),
    ('bgnbd', 15, 3, 1, 1), ('bgnbd', 1e-3, 1e3, 1e3, 1e-3),
    ('mbgnbd', 0.525, 6.183, 0.891, 1.614), ('mbgnbd', 2, 0.5, 5, 0.2), ('mbgnbd', 0.01, 100, 0.5, 0.8),
    ('mbgnbd', 15, 3, 1, 1), ('mbgnbd', 1e-3, 1e3, 1e3, 1e-3);
CREATE TABLE ll_compare AS
SELECT model, r, al, a, b, i, x, tx, t,
       CASE model WHEN 'bgnbd' THEN log_likelihood(bgnbd_model(r, al, a, b), x, tx, t)
                  ELSE log_likelihood(mbgnbd_model(r, al, a, b), x, tx, t) END AS ext,
       CASE model WHEN 'bgnbd' THEN bgnbd_ll_sql(r, al, a, b, x, tx, t)
                  ELSE mbgnbd_ll_sql(r, al, a, b, x, tx, t) END AS plain
FROM purchase_params, customers;
SELECT is_empty(format($$SELECT r, al, a, b, i, x, tx, t, ext, plain, abs(ext - plain) / greatest(abs(plain), 1) AS err
                         FROM ll_compare WHERE model = %L AND r = %s AND al = %s AND a = %s AND b = %s
                           AND NOT clv_close(ext, plain, 1e-10, 1e-10)
                         ORDER BY err DESC LIMIT 5$$, model, r, al, a, b),
                format('%s (%s, %s, %s, %s): log_likelihood() = plain SQL for every customer (1e-10)', model, r, al, a, b))
FROM purchase_params;

CREATE TABLE gg_params (p float8, q float8, v float8);
INSERT INTO gg_params VALUES (6.25, 3.74, 15.44), (0.5, 1.5, 2), (30, 0.8, 300), (1, 1, 1), (1e-3, 1e3, 1e3);
CREATE TABLE gg_compare AS
SELECT p, q, v, i, x, m, log_likelihood(gamma_gamma_model(p, q, v), x, m) AS ext, gg_ll_sql(p, q, v, x, m) AS plain
FROM gg_params, customers WHERE x > 0;
SELECT is_empty(format($$SELECT p, q, v, i, x, m, ext, plain FROM gg_compare
                         WHERE p = %s AND q = %s AND v = %s AND NOT clv_close(ext, plain, 1e-10, 1e-10)
                         ORDER BY abs(ext - plain) / greatest(abs(plain), 1) DESC LIMIT 5$$, p, q, v),
                format('gamma_gamma (%s, %s, %s): log_likelihood() = plain SQL for every repeat buyer (1e-10)', p, q, v))
FROM gg_params;

------------------------------------------------------------------------------------------
-- The fits are maxima of the plain-SQL likelihood
------------------------------------------------------------------------------------------
-- 3,000 customers simulated from the models' stories (so the likelihood has an interior
-- maximum): T 20 .. 40, purchase rate ~ Gamma(1, 2.5), drop-out after each purchase with
-- probability ~ Beta(1, 3), spend per purchase 1 + Exp(mean 10 nu), nu in 0.5 .. 2.5.
-- (sim_customer: lib/clv_simulate.psql)
CREATE TABLE sim AS SELECT i, (sim_customer(i)).* FROM generate_series(1, 3000) i;
-- the x-only terms once per distinct frequency, the rest per customer
CREATE FUNCTION total_ll_sql(model text, p1 float8, p2 float8, p3 float8, p4 float8) RETURNS float8
LANGUAGE sql STABLE AS $f$
    SELECT CASE model
        WHEN 'bgnbd' THEN (SELECT sum(bgnbd_ll_sql(p1, p2, p3, p4, x, tx, t)) FROM sim)
        WHEN 'mbgnbd' THEN (SELECT sum(mbgnbd_ll_sql(p1, p2, p3, p4, x, tx, t)) FROM sim)
        ELSE (SELECT sum(gg_ll_sql(p1, p2, p3, x, m)) FROM sim WHERE x > 0 AND m > 0) END
$f$;
CREATE TABLE sim_fits AS
SELECT 'bgnbd' AS model, (f).r AS p1, (f).alpha AS p2, (f).a AS p3, (f).b AS p4, (f).log_likelihood AS ll,
       (f).converged AS converged, (f).at_bound AS at_bound
FROM (SELECT bgnbd_fit(x, tx, t) AS f FROM sim) q
UNION ALL
SELECT 'mbgnbd', (f).r, (f).alpha, (f).a, (f).b, (f).log_likelihood, (f).converged, (f).at_bound
FROM (SELECT mbgnbd_fit(x, tx, t) AS f FROM sim) q
UNION ALL
SELECT 'gamma_gamma', (f).p, (f).q, (f).v, NULL, (f).log_likelihood, (f).converged, (f).at_bound
FROM (SELECT gamma_gamma_fit(x, m) AS f FROM sim) q;
SELECT ok(converged AND NOT at_bound, format('%s fit on the simulated customers: converged, not at the bound', model))
FROM sim_fits ORDER BY model;
-- the model's log_likelihood is the plain-SQL sum at its parameters
SELECT clv_near(ll, total_ll_sql(model, p1, p2, p3, p4), 1e-9, 0,
                format('%s fit: its log_likelihood = the plain-SQL sum at its parameters', model))
FROM sim_fits ORDER BY model;
-- +-1e-4 relative in each coordinate: never higher than at the fit
CREATE TABLE perturbed AS
SELECT model, k, sgn, ll, total_ll_sql(model, p1 * CASE WHEN k = 1 THEN 1 + sgn * 1e-4 ELSE 1 END,
                                     p2 * CASE WHEN k = 2 THEN 1 + sgn * 1e-4 ELSE 1 END,
                                     p3 * CASE WHEN k = 3 THEN 1 + sgn * 1e-4 ELSE 1 END,
                                     p4 * CASE WHEN k = 4 THEN 1 + sgn * 1e-4 ELSE 1 END) AS ll_perturbed,
       total_ll_sql(model, p1, p2, p3, p4) AS ll_at_fit
FROM sim_fits, generate_series(1, 4) k, (VALUES (-1), (1)) s(sgn)
WHERE k <= CASE model WHEN 'gamma_gamma' THEN 3 ELSE 4 END;
SELECT is_empty(format($$SELECT k, sgn, ll_at_fit, ll_perturbed, ll_perturbed - ll_at_fit AS gain FROM perturbed
                         WHERE model = %L AND NOT ll_perturbed < ll_at_fit$$, model),
                format('%s fit: the plain-SQL log-likelihood drops when any parameter moves by +-1e-4 (relative)', model))
FROM (VALUES ('bgnbd'), ('gamma_gamma'), ('mbgnbd')) m(model);

SELECT * FROM finish();
ROLLBACK;
