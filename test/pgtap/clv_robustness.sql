-- Robustness of BG/NBD, MBG/NBD and Gamma-Gamma and of every prediction over the grid of
-- doc/clv_math.md#robustness (lib/clv_grid.psql): frequency 0, 1, 300, 1000; recency = T,
-- recency = 0; T = 0; every parameter in {1e-3, 1, 1e3}; a = 1 - 1e-9, 1, 1 + 1e-9;
-- horizons 0, 1, 39, 1000. Every value must be finite (no error), P(alive) in [0, 1],
-- expected purchases >= 0 and non-decreasing in the horizon, continuous across a = 1, and
-- within 1e-6 relative of a 50-digit mpmath recomputation (lib/clv_grid_reference.psql).
-- Gamma-Gamma over p, q, v in {1e-3, 1, 1e3} and q = 1 +- 1e-9: q <= 1 is reported
-- (22023), never computed; otherwise the expected spend is the weighted mean of the
-- customer's and the population's. The CLV over the purchase grid: finite, >= 0,
-- non-decreasing in the months, and with no discount equal to E[M] E[Y(months f)].
-- Also BG/NBD at a + b = 1 (c = 0 in its 2F1) and both models at r = 10 .. 300, against
-- mpmath. The Pareto/NBD rows are in clv_pareto.sql.

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(42);

CREATE SCHEMA tap_clv_robustness;
SET LOCAL search_path = tap_clv_robustness, public;
\ir lib/clv_helpers.psql
\ir lib/clv_grid.psql
\ir lib/clv_grid_reference.psql

SELECT grid_add_params('bgnbd');
SELECT grid_add_params('mbgnbd');
SELECT clv_grid_run('{bgnbd, mbgnbd}');

------------------------------------------------------------------------------------------
-- Per model: finite, no error, in range, monotone, continuous at a = 1, accurate
------------------------------------------------------------------------------------------
CREATE FUNCTION check_purchase_model(m text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
    RETURN NEXT is_empty(format($$SELECT p1, p2, p3, p4, x, tx, t, ll, ll_err FROM grid_customer_values
                                  WHERE model = %L AND NOT grid_finite(ll) LIMIT 10$$, m),
                         format('%s grid: log_likelihood finite, no error (135 parameter sets x 14 customers)', m));
    RETURN NEXT is_empty(format($$SELECT p1, p2, p3, p4, x, tx, t, pa, pa_err FROM grid_customer_values
                                  WHERE model = %L AND NOT (grid_finite(pa) AND pa BETWEEN 0 AND 1) LIMIT 10$$, m),
                         format('%s grid: p_alive finite, in [0, 1], no error', m));
    RETURN NEXT is_empty(format($$SELECT p1, p2, p3, p4, x, tx, t, h, ey, ey_err FROM grid_expected
                                  WHERE model = %L AND NOT grid_finite(ey) LIMIT 10$$, m),
                         format('%s grid: expected_purchases(model, h, x, tx, t) finite, no error (h = 0, 1, 39, 1000)', m));
    RETURN NEXT is_empty(format($$SELECT p1, p2, p3, p4, x, tx, t, h, ey FROM grid_expected
                                  WHERE model = %L AND grid_finite(ey) AND NOT (ey >= 0 AND (h > 0 OR ey = 0))
                                  ORDER BY ey LIMIT 10$$, m),
                         format('%s grid: expected_purchases(model, h, x, tx, t) >= 0, and 0 at h = 0', m));
    RETURN NEXT is_empty(format($$SELECT p1, p2, p3, p4, x, tx, t, array_agg(ey ORDER BY h) AS by_horizon
                                  FROM grid_expected WHERE model = %L GROUP BY 1, 2, 3, 4, 5, 6, 7
                                  HAVING NOT bool_and(grid_finite(ey))
                                      OR array_agg(ey ORDER BY h) <> array_agg(ey ORDER BY ey, h) LIMIT 10$$, m),
                         format('%s grid: expected_purchases(model, h, x, tx, t) non-decreasing in h', m));
    RETURN NEXT is_empty(format($$SELECT p1, p2, p3, p4, h, ex, ex_err FROM grid_new
                                  WHERE model = %L AND NOT (grid_finite(ex) AND ex >= 0 AND (h > 0 OR ex = 0))
                                  LIMIT 10$$, m),
                         format('%s grid: expected_purchases(model, h) of a new customer finite, >= 0, 0 at h = 0', m));
    RETURN NEXT is_empty(format($$SELECT p1, p2, p3, p4, array_agg(ex ORDER BY h) AS by_horizon
                                  FROM grid_new WHERE model = %L GROUP BY 1, 2, 3, 4
                                  HAVING NOT bool_and(grid_finite(ex))
                                      OR array_agg(ex ORDER BY h) <> array_agg(ex ORDER BY ex, h) LIMIT 10$$, m),
                         format('%s grid: expected_purchases(model, h) of a new customer non-decreasing in h', m));
    -- T = 0: the customer is new, E[Y(h) | 0, 0, 0] = E[X(h)]
    RETURN NEXT is_empty(format($$SELECT e.p1, e.p2, e.p3, e.p4, e.h, ey, ex FROM grid_expected e
                                  JOIN grid_new n USING (model, p1, p2, p3, p4, h)
                                  WHERE model = %L AND x = 0 AND t = 0 AND NOT clv_close(ey, ex, 1e-6, 1e-300) LIMIT 10$$, m),
                         format('%s grid: E[Y(h) | 0, 0, 0] = E[X(h)] (a customer born now is new)', m));
    -- a = 1 -+ 1e-9 next to a = 1: within 1e-6 relative (the singularity is removable)
    RETURN NEXT is_empty(format($$SELECT e.p1, e.p2, e.p3 AS a, e.p4, e.x, e.tx, e.t, e.h, e.ey, one.ey AS ey_at_1
                                  FROM grid_expected e JOIN grid_expected one USING (model, p1, p2, p4, x, tx, t, h)
                                  WHERE model = %L AND one.p3 = 1 AND e.p3 IN (1 - 1e-9, 1 + 1e-9)
                                    AND NOT clv_close(e.ey, one.ey, 1e-6, 1e-300) LIMIT 10$$, m),
                         format('%s grid: E[Y] continuous across a = 1 (a = 1 -+ 1e-9 within 1e-6 of a = 1)', m));
    RETURN NEXT is_empty(format($$SELECT e.p1, e.p2, e.p3 AS a, e.p4, e.h, e.ex, one.ex AS ex_at_1
                                  FROM grid_new e JOIN grid_new one USING (model, p1, p2, p4, h)
                                  WHERE model = %L AND one.p3 = 1 AND e.p3 IN (1 - 1e-9, 1 + 1e-9)
                                    AND NOT clv_close(e.ex, one.ex, 1e-6, 1e-300) LIMIT 10$$, m),
                         format('%s grid: E[X] continuous across a = 1 (a = 1 -+ 1e-9 within 1e-6 of a = 1)', m));
    -- against the mpmath references: 405 new-customer values, 405 conditional ones
    RETURN NEXT is_empty(format($$SELECT r.p1, r.p2, r.p3, r.p4, r.h, want, ex AS got, ex_err,
                                         abs(ex - want) / nullif(abs(want), 0) AS rel_err
                                  FROM grid_ref r JOIN grid_new n USING (model, p1, p2, p3, p4, h)
                                  WHERE model = %L AND kind = 'ex'
                                    AND NOT clv_close(ex, want,
                                                      -- the documented limit (README): a within 2.2e-3
                                                      -- of 1 with horizons past 999 alpha, 1e-3
                                                      CASE WHEN abs(r.p3 - 1) < 2.2e-3 AND r.h / (r.p2 + r.h) > 0.999
                                                           THEN 1e-3 ELSE 1e-6 END, 1e-300)
                                  ORDER BY rel_err DESC NULLS FIRST LIMIT 10$$, m),
                         format('%s grid: E[X(h)] within 1e-6 relative of mpmath (135 parameter sets x h = 1, 39, 1000; 1e-3 where a is within 2.2e-3 of 1 and h > 999 alpha)', m));
    RETURN NEXT is_empty(format($$SELECT r.p1, r.p2, r.p3, r.p4, r.x, r.tx, r.t, want, ey AS got, ey_err,
                                         abs(ey - want) / nullif(abs(want), 0) AS rel_err
                                  FROM grid_ref r JOIN grid_expected e USING (model, p1, p2, p3, p4, h, x, tx, t)
                                  WHERE model = %L AND kind = 'ey' AND NOT clv_close(ey, want, 1e-6, 1e-300)
                                  ORDER BY rel_err DESC NULLS FIRST LIMIT 10$$, m),
                         format('%s grid: E[Y(39) | x, tx, t] within 1e-6 relative of mpmath ((0,0,39), (1,20,39), (300,39,39))', m));
END
$f$;
SELECT is((SELECT count(*) FROM grid_ref WHERE model IN ('bgnbd', 'mbgnbd')), 1620::int8,
          'the BG/NBD and MBG/NBD references are loaded (1,620 values)');
SELECT check_purchase_model('bgnbd');
-- BG/NBD: nobody drops out before a repeat purchase
SELECT is_empty($$SELECT p1, p2, p3, p4, t, pa FROM grid_customer_values WHERE model = 'bgnbd' AND x = 0 AND pa IS DISTINCT FROM 1$$,
                'bgnbd grid: P(alive) = 1 exactly for frequency 0');
SELECT check_purchase_model('mbgnbd');
-- MBG/NBD: a drop-out chance at time 0, so P(alive) < 1 for everyone
SELECT is_empty($$SELECT p1, p2, p3, p4, x, tx, t, pa FROM grid_customer_values WHERE model = 'mbgnbd' AND NOT pa < 1$$,
                'mbgnbd grid: P(alive) < 1 for every customer, frequency 0 included');

------------------------------------------------------------------------------------------
-- Two corners the grid steps over, against mpmath (1e-6 relative):
--  * BG/NBD with a + b = 1 (and 1 -+ 1e-9): the 2F1 of E[X] has c = a + b - 1 = 0, a
--    removable singularity of (a+b-1)/(a-1) 2F1(r, b; a+b-1; z) (the value at a + b = 1 is
--    the limit, mpmath at b + 1e-25); r 0.243, alpha 4.414, E[X(39)] and E[Y(39) | 0, 0, 38.86];
--  * r from 10 to 300 (alpha 1): low heterogeneity in the purchase rate, with a < 1, a > 1,
--    b small; E[X(39)] and E[Y(39) | 5, 30, 39] of both models.
------------------------------------------------------------------------------------------
SELECT is_empty($$SELECT a, b, want_ex, ex.value AS ex, ex.error AS ex_err, want_ey, ey.value AS ey, ey.error AS ey_err
                  FROM (VALUES
                    (0.5, 0.5, 0.91794689274571381, 0.17723624757724501), (0.5, 0.500000001, 0.91794689332708894, 0.17723624761182266),
                    (0.5, 0.499999999, 0.91794689216433868, 0.17723624754266735), (0.3, 0.7, 1.2782591487680624, 0.19271487629100514),
                    (0.3, 0.700000001, 1.2782591492279033, 0.1927148763133338), (0.3, 0.699999999, 1.2782591483082215, 0.19271487626867648),
                    (0.9, 0.1, 0.49316273192388335, 0.15047004257055068), (0.9, 0.100000001, 0.49316273254745196, 0.15047004262443217),
                    (0.9, 0.099999999, 0.49316273130031474, 0.1504700425166692)) v(a, b, want_ex, want_ey),
                  LATERAL clv_try(format('SELECT expected_purchases(bgnbd_model(0.243, 4.414, %s, %s), 39)', a, b)) ex,
                  LATERAL clv_try(format('SELECT expected_purchases(bgnbd_model(0.243, 4.414, %s, %s), 39, 0, 0, 38.86)', a, b)) ey
                  WHERE NOT clv_close(ex.value, want_ex, 1e-6) OR NOT clv_close(ey.value, want_ey, 1e-6)$$,
                'bgnbd: a + b = 1 and 1 -+ 1e-9: E[X(39)] and E[Y(39) | 0, 0, 38.86] finite and within 1e-6 of mpmath');
SELECT is_empty(format($$SELECT r, a, b, what, want, got.value AS got, got.error FROM (VALUES
                    (10, 0.8, 2, 18.435822667120709, 17.451069012644481, 1.2531509710559334, 1.488221894710913),
                    (10, 1.5, 0.001, 1.0019064989998938, 0.0019066405423986666, 0.29670512907127775, 0.40107253457140118),
                    (10, 2.5, 3, 2.9972577027183149, 1.9972716328348079, 0.27745013844735334, 0.3362383929752701),
                    (30, 0.8, 2, 25.349677944486842, 24.355705107229177, 0.015014276241896771, 0.018536812657141929),
                    (30, 1.5, 0.001, 1.0019474668381461, 0.0019474904922513364, 0.0025230114527610533, 0.0035512916708635639),
                    (30, 2.5, 3, 2.9995365447165697, 1.9995371915826289, 0.0021485189468892549, 0.0026744352080207263),
                    (50, 0.8, 2, 29.082645450245507, 28.086612770552442, 0.00011664172221827046, 0.00014511035818095626),
                    (50, 1.5, 0.001, 1.0019595221107857, 0.0019595328165677224, 1.702455237398611e-5, 2.4226125650055993e-5),
                    (50, 2.5, 3, 2.9997898702458689, 1.9997900401978093, 1.3725024018537595e-5, 1.7189487198474541e-5),
                    (100, 0.8, 2, 34.778287148705723, 33.780549704527973, 4.6104637634560324e-10, 5.787286881844733e-10),
                    (100, 1.5, 0.001, 1.0019714898468734, 0.00197149355866387, 5.5038897634136565e-11, 7.9226914726861749e-11),
                    (100, 2.5, 3, 2.9999270552963544, 1.9999270840558567, 4.1328917463152528e-11, 5.2013622550006902e-11),
                    (300, 0.8, 2, 45.563213631911324, 44.564148749921331, 5.1165247859667382e-32, 6.491382562749999e-32),
                    (300, 1.5, 0.001, 1.001983582369064, 0.0019835830742586645, 4.4277534183544478e-33, 6.4481219418188961e-33),
                    (300, 2.5, 3, 2.999986130371941, 1.9999861321647292, 3.0469011575364448e-33, 3.8455698718410953e-33)
                  ) v(r, a, b, bg_ex, mbg_ex, bg_ey, mbg_ey),
                  LATERAL (VALUES ('bgnbd E[X(39)]', 'bgnbd', '', bg_ex), ('mbgnbd E[X(39)]', 'mbgnbd', '', mbg_ex),
                                  ('bgnbd E[Y(39) | 5, 30, 39]', 'bgnbd', ', 5, 30, 39', bg_ey),
                                  ('mbgnbd E[Y(39) | 5, 30, 39]', 'mbgnbd', ', 5, 30, 39', mbg_ey)) w(what, model, cust, want),
                  LATERAL clv_try(format('SELECT expected_purchases(%%s_model(%%s, 1, %%s, %%s), 39%%s)', model, r, a, b, cust)) got
                  WHERE NOT clv_close(got.value, want, 1e-6, 1e-300) ORDER BY r, a, what LIMIT 12$$),
                'bgnbd, mbgnbd: r = 10 .. 300 (alpha 1; a 0.8, 1.5, 2.5): E[X(39)] and E[Y(39) | 5, 30, 39] within 1e-6 of mpmath');

------------------------------------------------------------------------------------------
-- Gamma-Gamma
------------------------------------------------------------------------------------------
CREATE TABLE gg_grid AS
SELECT p, q, v, x, m, ll.value AS ll, ll.error AS ll_err, sp.value AS spend, sp.error AS spend_err
FROM unnest('{1e-3, 1, 1e3}'::float8[]) p, unnest(ARRAY[1e-3, 1 - 1e-9, 1, 1 + 1e-9, 1e3]::float8[]) q,
     unnest('{1e-3, 1, 1e3}'::float8[]) v, unnest('{0, 1, 300, 1000}'::float8[]) x, unnest('{1e-3, 1, 1e3}'::float8[]) m,
     LATERAL clv_try(format('SELECT log_likelihood(gamma_gamma_model(%s, %s, %s), %s, %s)', p, q, v, x, m)) ll,
     LATERAL clv_try(format('SELECT expected_spend(gamma_gamma_model(%s, %s, %s), %s, %s)', p, q, v, x, m)) sp;
SELECT is_empty($$SELECT p, q, v, x, m, ll, ll_err FROM gg_grid WHERE x > 0 AND NOT grid_finite(ll) LIMIT 10$$,
                'gamma_gamma grid: log_likelihood finite, no error (frequency 1, 300, 1000; q <= 1 too)');
SELECT is_empty($$SELECT p, q, v, x, m, ll_err FROM gg_grid WHERE x = 0 AND ll_err NOT LIKE '22023:%'$$,
                'gamma_gamma grid: log_likelihood at frequency 0 is 22023');
SELECT is_empty($$SELECT p, q, v, x, m, spend, spend_err FROM gg_grid
                  WHERE q <= 1 AND (spend IS NOT NULL OR spend_err NOT LIKE '22023: expected spend needs gamma_gamma_model parameter q > 1%')$$,
                'gamma_gamma grid: expected_spend with q <= 1 (1e-3, 1 - 1e-9, 1) is ERROR 22023, never a value');
-- q > 1: a weighted mean of the customer's m and the population mean p v / (q - 1)
SELECT is_empty($$SELECT p, q, v, x, m, spend, spend_err, p * v / (q - 1) AS population FROM gg_grid
                  WHERE q > 1 AND NOT (grid_finite(spend) AND spend > 0
                        AND spend >= least(CASE WHEN x > 0 THEN m END, p * v / (q - 1)) * (1 - 1e-12)
                        AND spend <= greatest(CASE WHEN x > 0 THEN m END, p * v / (q - 1)) * (1 + 1e-12)) LIMIT 10$$,
                'gamma_gamma grid: expected_spend with q > 1 finite, > 0, between the customer''s mean and the population''s');
SELECT is_empty($$SELECT p, q, v, m, spend FROM gg_grid WHERE q > 1 AND x = 0 AND NOT clv_close(spend, p * v / (q - 1), 1e-12)$$,
                'gamma_gamma grid: expected_spend at frequency 0 is the population mean p v / (q - 1)');
-- near q = 1 the population mean is huge but exact: q = 1 + 1e-9
SELECT clv_near(expected_spend(gamma_gamma_model(1, 1 + 1e-9, 1), 0, 0), 1 / ((1 + 1e-9)::float8 - 1), 1e-12, 0,
                'gamma_gamma: q = 1 + 1e-9, frequency 0: p v / (q - 1) = 1 / 1.00000008274e-9 (q - 1 of the double q)');
SELECT is_empty($$SELECT q, error FROM unnest(ARRAY[1e-3, 1 - 1e-9, 1]::float8[]) q,
                    LATERAL clv_try(format('SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, %s, 15.44), 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345)', q)) c
                  WHERE error NOT LIKE '22023: expected spend needs gamma_gamma_model parameter q > 1%'$$,
                'gamma_gamma: predicted_clv with q <= 1 is ERROR 22023 (not a negative or infinite CLV)');

------------------------------------------------------------------------------------------
-- The CLV over the purchase grid (Gamma-Gamma 6.25, 3.74, 15.44; spend 20; 4.345 units a month)
------------------------------------------------------------------------------------------
CREATE TABLE clv_grid AS
SELECT g.model, p1, p2, p3, p4, c.x, c.tx, c.t, months, d, v.value AS clv, v.error AS clv_err
FROM grid_params g, (VALUES (0::float8, 0::float8, 0::float8), (0, 0, 39), (1, 20, 39), (300, 39, 39), (1000, 0, 39)) c(x, tx, t),
     (VALUES (0, 0.01::float8), (1, 0.01), (12, 0.01), (24, 0.01), (24, 0)) k(months, d),
     LATERAL clv_try(format('SELECT predicted_clv(%s, gamma_gamma_model(6.25, 3.74, 15.44), %s, %s, %s, 20, %s, %s, 4.345)',
                            grid_model(g.model, p1, p2, p3, p4), c.x, c.tx, c.t, months, d)) v
WHERE g.model IN ('bgnbd', 'mbgnbd');
SELECT is_empty(format($$SELECT p1, p2, p3, p4, x, tx, t, months, d, clv, clv_err FROM clv_grid
                         WHERE model = %L AND NOT (grid_finite(clv) AND clv >= 0 AND (months > 0 OR clv = 0)) LIMIT 10$$, m),
                format('%s grid: predicted_clv finite, >= 0, no error (0 for 0 months)', m))
FROM (VALUES ('bgnbd'), ('mbgnbd')) ms(m);
SELECT is_empty(format($$SELECT p1, p2, p3, p4, x, tx, t, array_agg(clv ORDER BY months) AS by_months FROM clv_grid
                         WHERE model = %L AND d = 0.01 GROUP BY 1, 2, 3, 4, 5, 6, 7
                         HAVING NOT bool_and(grid_finite(clv)) OR array_agg(clv ORDER BY months) <> array_agg(clv ORDER BY clv, months)
                         LIMIT 10$$, m),
                format('%s grid: predicted_clv non-decreasing in the months', m))
FROM (VALUES ('bgnbd'), ('mbgnbd')) ms(m);
SELECT is_empty(format($$SELECT c.p1, c.p2, c.p3, c.p4, c.x, c.tx, c.t, clv, e.ey
                         FROM clv_grid c, LATERAL clv_try(format('SELECT expected_spend(gamma_gamma_model(6.25, 3.74, 15.44), %%s, 20)
                                                                       * expected_purchases(%%s, 24 * 4.345, %%s, %%s, %%s)',
                                                                   c.x, grid_model(c.model, c.p1, c.p2, c.p3, c.p4), c.x, c.tx, c.t)) e(ey, err)
                         WHERE c.model = %L AND months = 24 AND d = 0 AND NOT clv_close(clv, ey, 1e-9, 1e-300) LIMIT 10$$, m),
                format('%s grid: with no discount predicted_clv = E[M] E[Y(24 x 4.345)] (the monthly sum telescopes)', m))
FROM (VALUES ('bgnbd'), ('mbgnbd')) ms(m);

SELECT * FROM finish();
ROLLBACK;
