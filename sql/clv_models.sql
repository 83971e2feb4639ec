-- The CLV models (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma): constructors,
-- values against an independent 50-digit recomputation, every documented
-- error with its SQLSTATE, the fits' edge cases, the fit state's text form
-- (hostile values included), and serial = parallel = partitionwise fits.
--
-- Reference values: computed with Python mpmath at mp.dps = 50 straight from
-- the formulas of doc/clv_math.md (2 BG/NBD, 3 MBG/NBD, 5 Gamma-Gamma, 6
-- CLV), not from the extension's C code, e.g. for BG/NBD
--   ll(x,tx,T) = lnG(r+x) - lnG(r) + r ln al + lnG(a+b) + lnG(b+x) - lnG(b)
--                - lnG(a+b+x) + ln(e^A3 + [x>0] e^A4),
--     A3 = -(r+x) ln(al+T), A4 = ln a - ln(b+x-1) - (r+x) ln(al+tx)
--   P(alive) = 1 / (1 + [x>0] a/(b+x-1) ((al+T)/(al+tx))^(r+x))
--   E[X(t)] = (a+b-1)/(a-1) (1 - (al/(al+t))^r hyp2f1(r, b, a+b-1, t/(al+t)))
--   E[Y(t)|x,tx,T] = (a+b+x-1)/(a-1) (1 - ((al+T)/(al+T+t))^(r+x)
--                    hyp2f1(r+x, b+x, a+b+x-1, t/(al+T+t))) * P(alive)
-- e.g. mpmath: mp.dps=50; r,al,a,b=map(mpf,('0.243','4.414','0.793','2.426'));
--   x,tx,T=2,mpf('30.43'),mpf('38.86'); 1/(1+a/(b+x-1)*((al+T)/(al+tx))**(r+x))
--   -> 0.72657857008067291...
-- At a = 1 the expectations are the limit a -> 1 (evaluated at a = 1 + 1e-30).
-- Each value is shown rounded to 10 decimals (7 where the tolerance is 1e-9, 9
-- where it is 1e-11), and ok says whether it is within
-- max(abs_tol, rel_tol |want|) of the reference: rel_tol 1e-12 for the
-- log-likelihoods, P(alive) and closed forms, 1e-11 for the 2F1 expectations,
-- 1e-9 where a = 1 +- 1e-9 (a removable singularity) and for products of 12
-- monthly differences (CLV).

CREATE TABLE clv_ref (what text, got float8, want float8, rel_tol float8, abs_tol float8 DEFAULT 0);
CREATE FUNCTION clv_ref_report() RETURNS TABLE (what text, got numeric, ok boolean) LANGUAGE sql AS $$
    SELECT what, round(got::numeric, CASE WHEN rel_tol > 0 THEN least(10, floor(-log(rel_tol))::int - 2) ELSE 10 END),
           got IS NOT NULL AND abs(got - want) <= greatest(abs_tol, rel_tol * abs(want))
    FROM clv_ref ORDER BY what
$$;

------------------------------------------------------------------------------
-- Constructors: the parameters, and NULL in every field a fit reports
------------------------------------------------------------------------------
SELECT bgnbd_model(0.243, 4.414, 0.793, 2.426);
SELECT mbgnbd_model(0.525, 6.183, 0.891, 1.614);
SELECT pareto_nbd_model(0.553, 10.578, 0.606, 11.669);
SELECT gamma_gamma_model(6.25, 3.74, 15.44);
SELECT (m).r, (m).alpha, (m).a, (m).b,
       (m).log_likelihood IS NULL AND (m).customers IS NULL AND (m).iterations IS NULL
       AND (m).converged IS NULL AND (m).at_bound IS NULL AND (m).gradient_norm IS NULL
       AND (m).patterns IS NULL AS fit_fields_null
FROM (SELECT bgnbd_model(0.243, 4.414, 0.793, 2.426) AS m) q;
SELECT (m).r, (m).alpha, (m).a, (m).b,
       num_nulls((m).log_likelihood, (m).customers, (m).iterations, (m).converged, (m).at_bound,
                 (m).gradient_norm, (m).patterns) = 7 AS fit_fields_null
FROM (SELECT mbgnbd_model(0.525, 6.183, 0.891, 1.614) AS m) q;
SELECT (m).r, (m).alpha, (m).s, (m).beta,
       num_nulls((m).log_likelihood, (m).customers, (m).iterations, (m).converged, (m).at_bound,
                 (m).gradient_norm, (m).patterns) = 7 AS fit_fields_null
FROM (SELECT pareto_nbd_model(0.553, 10.578, 0.606, 11.669) AS m) q;
SELECT (m).p, (m).q, (m).v,
       num_nulls((m).log_likelihood, (m).customers, (m).iterations, (m).converged, (m).at_bound,
                 (m).gradient_norm, (m).patterns, (m).skipped) = 8 AS fit_fields_null
FROM (SELECT gamma_gamma_model(6.25, 3.74, 15.44) AS m) q;
-- a model is an ordinary value: its text form reads back equal, and works
SELECT bgnbd_model(0.243, 4.414, 0.793, 2.426)::text::bgnbd_model = bgnbd_model(0.243, 4.414, 0.793, 2.426) AS round_trip,
       p_alive('(0.243,4.414,0.793,2.426,,,,,,,,,,,)'::bgnbd_model, 2, 30.43, 38.86)
     = p_alive(bgnbd_model(0.243, 4.414, 0.793, 2.426), 2, 30.43, 38.86) AS literal_works;
-- the constructors are not STRICT: NULL is an error (below), not a NULL model;
-- the model functions are STRICT: a NULL customer column gives NULL
SELECT p_alive(bgnbd_model(0.243, 4.414, 0.793, 2.426), NULL, 1, 2) IS NULL AS null_in_null_out,
       expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), NULL) IS NULL AS null_horizon,
       expected_spend(gamma_gamma_model(6.25, 3.74, 15.44), 1, NULL) IS NULL AS null_spend;

------------------------------------------------------------------------------
-- BG/NBD at the published CDNOW parameters (0.243, 4.414, 0.793, 2.426)
------------------------------------------------------------------------------
-- customers: CDNOW 1 (2, 30.43, 38.86), CDNOW 2 (1, 1.71, 38.86), a one-time
-- buyer (0, 0, 38.86), (7, 35, 38), T = 0 (0, 0, 0), recency 0 with purchases
-- (3, 0, 20), and x = 1000 (1000, 10, 100), whose P(alive) is 8.3e-858: 0 in
-- double precision.
INSERT INTO clv_ref (what, got, want, rel_tol, abs_tol)
SELECT 'bgnbd ' || w, g, v, rt, at FROM (SELECT bgnbd_model(0.243, 4.414, 0.793, 2.426) AS m) q,
LATERAL (VALUES
    ('ll (0,0,38.86)',        log_likelihood(m, 0, 0, 38.86),        -0.55471327643815845, 1e-12, 0),
    ('ll (2,30.43,38.86)',    log_likelihood(m, 2, 30.43, 38.86),    -9.4586063070662712, 1e-12, 0),
    ('ll (1,1.71,38.86)',     log_likelihood(m, 1, 1.71, 38.86),     -4.4690932750325885, 1e-12, 0),
    ('ll (7,35,38)',          log_likelihood(m, 7, 35, 38),          -22.012920134497155, 1e-12, 0),
    ('ll (0,0,0)',            log_likelihood(m, 0, 0, 0),            0, 0, 1e-14),
    ('ll (3,0,20)',           log_likelihood(m, 3, 0, 20),           -7.1974308813167468, 1e-12, 0),
    ('ll (1000,10,100)',      log_likelihood(m, 1000, 10, 100),      3225.1429836828236, 1e-12, 0),
    ('p_alive (0,0,38.86)',   p_alive(m, 0, 0, 38.86),               1, 0, 0),
    ('p_alive (0,0,0)',       p_alive(m, 0, 0, 0),                   1, 0, 0),
    ('p_alive (2,30.43,38.86)', p_alive(m, 2, 30.43, 38.86),         0.72657857008067291, 1e-12, 0),
    ('p_alive (1,1.71,38.86)',  p_alive(m, 1, 1.71, 38.86),          0.21210098537737908, 1e-12, 0),
    ('p_alive (7,35,38)',     p_alive(m, 7, 35, 38),                 0.86199106509343288, 1e-12, 0),
    ('p_alive (3,0,20)',      p_alive(m, 3, 0, 20),                  0.02130414601410285, 1e-12, 0),
    ('p_alive (1000,10,100)', p_alive(m, 1000, 10, 100),             0, 0, 0),
    ('E[Y(39)] (0,0,38.86)',  expected_purchases(m, 39, 0, 0, 38.86),  0.19509805201126264, 1e-11, 0),
    ('E[Y(39)] (2,30.43,38.86)', expected_purchases(m, 39, 2, 30.43, 38.86), 1.2260281747671444, 1e-11, 0),
    ('E[Y(39)] (1,1.71,38.86)',  expected_purchases(m, 39, 1, 1.71, 38.86),  0.20318698707975406, 1e-11, 0),
    ('E[Y(39)] (7,35,38)',    expected_purchases(m, 39, 7, 35, 38),  4.5561852765897226, 1e-11, 0),
    ('E[Y(39)] (3,0,20)',     expected_purchases(m, 39, 3, 0, 20),   0.081085693851994889, 1e-11, 0),
    ('E[Y(39)] (1000,10,100)', expected_purchases(m, 39, 1000, 10, 100), 0, 0, 1e-300),
    -- T = 0: the customer is new, E[Y(t)] = E[X(t)]
    ('E[Y(39)] (0,0,0)',      expected_purchases(m, 39, 0, 0, 0),    1.1967231933208168, 1e-11, 0),
    ('E[Y(0)] (2,30.43,38.86)', expected_purchases(m, 0, 2, 30.43, 38.86), 0, 0, 0),
    ('E[X(1)]',               expected_purchases(m, 1),              0.05326789117165828, 1e-11, 0),
    ('E[X(39)]',              expected_purchases(m, 39),             1.1967231933208168, 1e-11, 0),
    ('E[X(1000)]',            expected_purchases(m, 1000),           6.5803916137382322, 1e-11, 0),
    ('E[X(0)]',               expected_purchases(m, 0),              0, 0, 0)
) v(w, g, v, rt, at);

------------------------------------------------------------------------------
-- MBG/NBD at the published CDNOW parameters (0.525, 6.183, 0.891, 1.614)
------------------------------------------------------------------------------
-- The drop-out term applies to frequency 0 too: P(alive) < 1 for every customer,
-- even at T = 0 (b/(a+b) = 0.6443...).
INSERT INTO clv_ref (what, got, want, rel_tol, abs_tol)
SELECT 'mbgnbd ' || w, g, v, rt, at FROM (SELECT mbgnbd_model(0.525, 6.183, 0.891, 1.614) AS m) q,
LATERAL (VALUES
    ('ll (0,0,38.86)',        log_likelihood(m, 0, 0, 38.86),        -0.53983746353101456, 1e-12, 0),
    ('ll (2,30.43,38.86)',    log_likelihood(m, 2, 30.43, 38.86),    -9.4855513145339315, 1e-12, 0),
    ('ll (1,1.71,38.86)',     log_likelihood(m, 1, 1.71, 38.86),     -4.4603606125843176, 1e-12, 0),
    ('ll (7,35,38)',          log_likelihood(m, 7, 35, 38),          -21.943352981424208, 1e-12, 0),
    ('ll (0,0,0)',            log_likelihood(m, 0, 0, 0),            0, 0, 1e-14),
    ('ll (3,0,20)',           log_likelihood(m, 3, 0, 20),           -7.5043910869843549, 1e-12, 0),
    ('ll (1000,10,100)',      log_likelihood(m, 1000, 10, 100),      3111.0727333710938, 1e-12, 0),
    ('p_alive (0,0,38.86)',   p_alive(m, 0, 0, 38.86),               0.3897350809187629, 1e-12, 0),
    ('p_alive (0,0,0)',       p_alive(m, 0, 0, 0),                   0.64431137724550898, 1e-12, 0),
    ('p_alive (2,30.43,38.86)', p_alive(m, 2, 30.43, 38.86),         0.70620226511848728, 1e-12, 0),
    ('p_alive (1,1.71,38.86)',  p_alive(m, 1, 1.71, 38.86),          0.17083648431040803, 1e-12, 0),
    ('p_alive (7,35,38)',     p_alive(m, 7, 35, 38),                 0.85064675168222188, 1e-12, 0),
    ('p_alive (3,0,20)',      p_alive(m, 3, 0, 20),                  0.030973789946724971, 1e-12, 0),
    ('p_alive (1000,10,100)', p_alive(m, 1000, 10, 100),             0, 0, 0),
    ('E[Y(39)] (0,0,38.86)',  expected_purchases(m, 39, 0, 0, 38.86),  0.15401274667514668, 1e-11, 0),
    ('E[Y(39)] (2,30.43,38.86)', expected_purchases(m, 39, 2, 30.43, 38.86), 1.2629606232673657, 1e-11, 0),
    ('E[Y(39)] (1,1.71,38.86)',  expected_purchases(m, 39, 1, 1.71, 38.86),  0.18883654136434289, 1e-11, 0),
    ('E[Y(39)] (7,35,38)',    expected_purchases(m, 39, 7, 35, 38),  4.3940474183805089, 1e-11, 0),
    ('E[Y(39)] (3,0,20)',     expected_purchases(m, 39, 3, 0, 20),   0.11668525005305545, 1e-11, 0),
    ('E[Y(39)] (1000,10,100)', expected_purchases(m, 39, 1000, 10, 100), 0, 0, 1e-300),
    ('E[Y(39)] (0,0,0)',      expected_purchases(m, 39, 0, 0, 0),    1.1829536655971726, 1e-11, 0),
    ('E[X(1)]',               expected_purchases(m, 1),              0.053084795263701838, 1e-11, 0),
    ('E[X(39)]',              expected_purchases(m, 39),             1.1829536655971726, 1e-11, 0),
    ('E[X(1000)]',            expected_purchases(m, 1000),           5.6122559658849873, 1e-11, 0),
    ('E[X(0)]',               expected_purchases(m, 0),              0, 0, 0)
) v(w, g, v, rt, at);

------------------------------------------------------------------------------
-- Awkward parameters: b < 1 and b = 1 (BG/NBD must not form ln(b - 1) for
-- frequency 0, pymc-marketing #214), a + b < 1 (the 2F1 of E[X] has c < 0),
-- b < 1 with a > 1, and a = 1 - 1e-9, 1, 1 + 1e-9 (the removable singularity
-- of the expectations).
------------------------------------------------------------------------------
INSERT INTO clv_ref (what, got, want, rel_tol)
SELECT format('%s (%s, %s, %s, %s) %s', mname, r, al, a, b, w), g, v, rt
FROM (VALUES ('bgnbd', 0.243, 4.414, 0.793, 0.5,
              -0.55471327643815845, -3.7413755326076836, 0.73315759214493365, 0.16860110662746505, 0.83181048589262797),
             ('bgnbd', 0.243, 4.414, 0.793, 1,
              -0.55471327643815845, -4.0170701392199717, 0.91209507301438144, 0.18025673562885075, 0.96937737782270771),
             ('bgnbd', 0.243, 4.414, 0.3, 0.5,
              -0.55471327643815845, -4.1504541781888396, 1.1687422041266155, 0.18722310273679667, 1.3543662843820393),
             ('bgnbd', 2, 0.5, 5, 0.2,
              -8.731794505487996, -3.1113383597031105, 1.0498035257974961, 0.76964677007822874, 0.10939965564727227),
             ('mbgnbd', 0.243, 4.414, 0.793, 0.5,
              -0.17989439575959654, -5.1644198926790551, 0.40089975628752076, 0.049788949114273067, 1.0771484781088662),
             ('mbgnbd', 0.243, 4.414, 0.793, 1,
              -0.2710983637888352, -4.9489847390491966, 0.63098712816890612, 0.080672416043938735, 1.1640927814813462),
             ('mbgnbd', 0.243, 4.414, 0.3, 0.5,
              -0.30938515235096647, -5.2036156083897735, 0.94453541701175401, 0.09930820964127677, 1.5430149015736545),
             ('mbgnbd', 2, 0.5, 5, 0.2,
              -0.039214258269626033, -6.5452901619447583, 0.049982539200488536, 5.6025237178467616e-6, 0.20750378103426208)
     ) p(mname, r, al, a, b, ll0, ll1, ex39, ey0, ey2),
LATERAL (SELECT CASE mname WHEN 'bgnbd' THEN log_likelihood(bgnbd_model(r, al, a, b), 0, 0, 38.86)
                           ELSE log_likelihood(mbgnbd_model(r, al, a, b), 0, 0, 38.86) END AS g_ll0,
                CASE mname WHEN 'bgnbd' THEN log_likelihood(bgnbd_model(r, al, a, b), 1, 1.71, 38.86)
                           ELSE log_likelihood(mbgnbd_model(r, al, a, b), 1, 1.71, 38.86) END AS g_ll1,
                CASE mname WHEN 'bgnbd' THEN expected_purchases(bgnbd_model(r, al, a, b), 39)
                           ELSE expected_purchases(mbgnbd_model(r, al, a, b), 39) END AS g_ex39,
                CASE mname WHEN 'bgnbd' THEN expected_purchases(bgnbd_model(r, al, a, b), 39, 0, 0, 38.86)
                           ELSE expected_purchases(mbgnbd_model(r, al, a, b), 39, 0, 0, 38.86) END AS g_ey0,
                CASE mname WHEN 'bgnbd' THEN expected_purchases(bgnbd_model(r, al, a, b), 39, 2, 30.43, 38.86)
                           ELSE expected_purchases(mbgnbd_model(r, al, a, b), 39, 2, 30.43, 38.86) END AS g_ey2) g,
LATERAL (VALUES ('ll (0,0,38.86)', g_ll0, ll0, 1e-12), ('ll (1,1.71,38.86)', g_ll1, ll1, 1e-12),
                ('E[X(39)]', g_ex39, ex39, 1e-11), ('E[Y(39)] (0,0,38.86)', g_ey0, ey0, 1e-11),
                ('E[Y(39)] (2,30.43,38.86)', g_ey2, ey2, 1e-11)) v(w, g, v, rt);
-- a = 1 - 1e-9, 1, 1 + 1e-9: BG/NBD (0.243, 4.414, a, 2.426), MBG/NBD (0.525, 6.183, a, 1.614)
INSERT INTO clv_ref (what, got, want, rel_tol)
SELECT format('a = %s: %s', lab, w), g, v, 1e-9
FROM (VALUES ('1 - 1e-9', 0.999999999::float8,
              1.0842790110667451, 1.1021367865861863, 1.0799969357113262, 0.14158928071599475),
             ('1', 1, 1.0842790105915187, 1.1021367860399558, 1.0799969348367244, 0.14158928061054525),
             ('1 + 1e-9', 1.000000001, 1.0842790101162923, 1.1021367854937253, 1.0799969339621227, 0.14158928050509576)
     ) p(lab, a, bg_ex, bg_ey, mbg_ex, mbg_ey),
LATERAL (VALUES ('bgnbd E[X(39)]', expected_purchases(bgnbd_model(0.243, 4.414, a, 2.426), 39), bg_ex),
                ('bgnbd E[Y(39)] (2,30.43,38.86)', expected_purchases(bgnbd_model(0.243, 4.414, a, 2.426), 39, 2, 30.43, 38.86), bg_ey),
                ('mbgnbd E[X(39)]', expected_purchases(mbgnbd_model(0.525, 6.183, a, 1.614), 39), mbg_ex),
                ('mbgnbd E[Y(39)] (0,0,38.86)', expected_purchases(mbgnbd_model(0.525, 6.183, a, 1.614), 39, 0, 0, 38.86), mbg_ey)
       ) v(w, g, v);
-- pymc-marketing test_numerically_stable_logp: a 0.8, b 2.5, r 0.25, alpha 4, T 40
INSERT INTO clv_ref (what, got, want, rel_tol) VALUES
    ('bgnbd pymc logp (0, 0, 40)', log_likelihood(bgnbd_model(0.25, 4, 0.8, 2.5), 0, 0, 40), -0.59947381819959264, 1e-12),
    ('bgnbd pymc logp (200, 38, 40)', log_likelihood(bgnbd_model(0.25, 4, 0.8, 2.5), 200, 38, 40), 100.79569309270645, 1e-12);

------------------------------------------------------------------------------
-- Gamma-Gamma (6.25, 3.74, 15.44) and the CLV
------------------------------------------------------------------------------
--   ll(x, m) = lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(x m + v)
--   E[M] = (v + x m) p / (px + q - 1); frequency 0: p v / (q - 1) = 35.2189781..., m ignored
--   CLV = sum_{k=1..K} E[M] (E[Y(k f)] - E[Y((k-1) f)]) / (1 + d)^k; with d = 0 it
--   telescopes to E[M] E[Y(K f)]
INSERT INTO clv_ref (what, got, want, rel_tol)
SELECT 'gamma_gamma ' || w, g, v, rt FROM (SELECT gamma_gamma_model(6.25, 3.74, 15.44) AS gg,
                                                  bgnbd_model(0.243, 4.414, 0.793, 2.426) AS bg,
                                                  mbgnbd_model(0.525, 6.183, 0.891, 1.614) AS mbg) q,
LATERAL (VALUES
    ('ll (1, 11.77)',     log_likelihood(gg, 1, 11.77),     -3.73770967874084, 1e-12),
    ('ll (2, 22.35)',     log_likelihood(gg, 2, 22.35),     -3.5513167597317047, 1e-12),
    ('ll (10, 50)',       log_likelihood(gg, 10, 50),       -4.8618490059092797, 1e-12),
    ('ll (300, 1.5)',     log_likelihood(gg, 300, 1.5),     -49.68453178379299, 1e-12),
    ('spend (0, 0)',      expected_spend(gg, 0, 0),         35.218978102189781, 1e-13),
    ('spend (0, 99)',     expected_spend(gg, 0, 99),        35.218978102189781, 1e-13),
    ('spend (0, -5)',     expected_spend(gg, 0, -5),        35.218978102189781, 1e-13),
    ('spend (1, 11.77)',  expected_spend(gg, 1, 11.77),     18.916852057842047, 1e-13),
    ('spend (2, 22.35)',  expected_spend(gg, 2, 22.35),     24.663713910761155, 1e-13),
    ('spend (10, 50)',    expected_spend(gg, 10, 50),       49.379215205395463, 1e-13),
    ('spend (300, 1.5)',  expected_spend(gg, 300, 1.5),     1.5492027650260419, 1e-13),
    ('clv bgnbd (2,30.43,38.86,22.35) 12 m, 1 %, 4.345',
        predicted_clv(bg, gg, 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345), 36.289211125599216, 1e-9),
    ('clv mbgnbd (2,30.43,38.86,22.35) 12 m, 1 %, 4.345',
        predicted_clv(mbg, gg, 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345), 37.201895218922922, 1e-9),
    ('clv bgnbd (1,1.71,38.86,11.77) 24 m, 5 %, 30/7',
        predicted_clv(bg, gg, 1, 1.71, 38.86, 11.77, 24, 0.05, 30 / 7.0), 5.1682272845427338, 1e-9),
    ('clv bgnbd (0,0,38.86,0) 3 m, 0 %, 4.345 = E[M] E[Y(13.035)]',
        predicted_clv(bg, gg, 0, 0, 38.86, 0, 3, 0, 4.345), 2.4691055549020946, 1e-9),
    ('clv bgnbd 0 months', predicted_clv(bg, gg, 2, 30.43, 38.86, 22.35, 0, 0.01, 4.345), 0, 0)
) v(w, g, v, rt);
-- with d = 0 the monthly sum telescopes: CLV = E[M] E[Y(K f)], whatever K
SELECT k AS months,
       abs(predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, 3.74, 15.44), 7, 35, 38, 41.5, k, 0, 4.345)
           - expected_spend(gamma_gamma_model(6.25, 3.74, 15.44), 7, 41.5)
             * expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), k * 4.345, 7, 35, 38))
       <= 1e-12 * predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, 3.74, 15.44), 7, 35, 38, 41.5, k, 0, 4.345)
       AS telescopes
FROM unnest(ARRAY[1, 12, 120]) k;

SELECT * FROM clv_ref_report();

------------------------------------------------------------------------------
-- Errors, each with its SQLSTATE
------------------------------------------------------------------------------
-- customer summary columns: 22023 for every model function
SELECT q, sqlstate_of(q) FROM (VALUES
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), -1, 0, 10)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), 1.5, 1, 10)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), ''NaN'', 1, 10)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), ''Infinity'', 1, 10)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), ''-Infinity'', 1, 10)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), 1, 11, 10)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), 1, -1, 10)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), 0, 5, 10)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), 0, 0, -1)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), 1, ''NaN'', 10)'),
    ('SELECT log_likelihood(bgnbd_model(0.243, 4.414, 0.793, 2.426), 1, 1, ''Infinity'')'),
    ('SELECT p_alive(bgnbd_model(0.243, 4.414, 0.793, 2.426), 2.5, 1, 10)'),
    ('SELECT p_alive(bgnbd_model(0.243, 4.414, 0.793, 2.426), 2, 10.5, 10)'),
    ('SELECT p_alive(bgnbd_model(0.243, 4.414, 0.793, 2.426), 0, 0.01, 10)'),
    ('SELECT expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), 39, -2, 1, 10)'),
    ('SELECT expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), 39, 2, -0.5, 10)'),
    ('SELECT log_likelihood(mbgnbd_model(0.525, 6.183, 0.891, 1.614), 1, 11, 10)'),
    ('SELECT p_alive(mbgnbd_model(0.525, 6.183, 0.891, 1.614), 0, 3, 10)'),
    ('SELECT expected_purchases(mbgnbd_model(0.525, 6.183, 0.891, 1.614), 39, 0.5, 0, 10)'),
    ('SELECT log_likelihood(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), -1, 0, 10)'),
    ('SELECT p_alive(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 1, 11, 10)'),
    ('SELECT expected_purchases(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), 39, 0, 1, 10)'),
    ('SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, 3.74, 15.44), 2, 40, 38.86, 22.35, 12, 0.01, 4.345)'),
    ('SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, 3.74, 15.44), 1.5, 30, 38.86, 22.35, 12, 0.01, 4.345)')
) t(q);
-- spend: monetary_value <= 0 with frequency > 0, not finite; the Gamma-Gamma
-- log-likelihood at frequency 0; q <= 1 for expected_spend and predicted_clv
SELECT q, sqlstate_of(q) FROM (VALUES
    ('SELECT expected_spend(gamma_gamma_model(6.25, 3.74, 15.44), 1, 0)'),
    ('SELECT expected_spend(gamma_gamma_model(6.25, 3.74, 15.44), 1, -5)'),
    ('SELECT expected_spend(gamma_gamma_model(6.25, 3.74, 15.44), 1, ''NaN'')'),
    ('SELECT expected_spend(gamma_gamma_model(6.25, 3.74, 15.44), 1, ''Infinity'')'),
    ('SELECT expected_spend(gamma_gamma_model(6.25, 3.74, 15.44), -1, 10)'),
    ('SELECT expected_spend(gamma_gamma_model(6.25, 3.74, 15.44), 0.5, 10)'),
    ('SELECT log_likelihood(gamma_gamma_model(6.25, 3.74, 15.44), 1, 0)'),
    ('SELECT log_likelihood(gamma_gamma_model(6.25, 3.74, 15.44), 2, -1)'),
    ('SELECT log_likelihood(gamma_gamma_model(6.25, 3.74, 15.44), 0, 10)'),
    ('SELECT log_likelihood(gamma_gamma_model(6.25, 3.74, 15.44), 0, 0)'),
    ('SELECT log_likelihood(gamma_gamma_model(6.25, 3.74, 15.44), ''NaN'', 10)'),
    ('SELECT expected_spend(gamma_gamma_model(6.25, 1, 15.44), 2, 22.35)'),
    ('SELECT expected_spend(gamma_gamma_model(6.25, 0.5, 15.44), 2, 22.35)'),
    ('SELECT expected_spend(gamma_gamma_model(6.25, 0.5, 15.44), 0, 0)'),
    ('SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, 1, 15.44), 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345)'),
    ('SELECT predicted_clv(mbgnbd_model(0.525, 6.183, 0.891, 1.614), gamma_gamma_model(6.25, 0.999, 15.44), 0, 0, 38.86, 0, 12, 0.01, 4.345)'),
    ('SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, 3.74, 15.44), 2, 30.43, 38.86, 0, 12, 0.01, 4.345)'),
    ('SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, 3.74, 15.44), 2, 30.43, 38.86, -1, 12, 0.01, 4.345)')
) t(q);
-- with q <= 1 the log-likelihood is still defined (only the mean spend is not)
SELECT round(log_likelihood(gamma_gamma_model(6.25, 0.5, 15.44), 2, 22.35)::numeric, 10) AS ll_q_half;
-- model parameters: zero, negative, NULL, NaN, infinite, in every position;
-- from the constructors and from composite values that were not built by them
SELECT q, sqlstate_of(q) FROM (VALUES
    ('SELECT bgnbd_model(0, 4.414, 0.793, 2.426)'),
    ('SELECT bgnbd_model(0.243, -4.414, 0.793, 2.426)'),
    ('SELECT bgnbd_model(0.243, 4.414, NULL, 2.426)'),
    ('SELECT bgnbd_model(0.243, 4.414, 0.793, ''NaN'')'),
    ('SELECT bgnbd_model(''Infinity'', 4.414, 0.793, 2.426)'),
    ('SELECT mbgnbd_model(0.525, 0, 0.891, 1.614)'),
    ('SELECT mbgnbd_model(0.525, 6.183, 0.891, -1)'),
    ('SELECT mbgnbd_model(NULL, 6.183, 0.891, 1.614)'),
    ('SELECT pareto_nbd_model(0.553, 10.578, 0, 11.669)'),
    ('SELECT pareto_nbd_model(0.553, 10.578, 0.606, NULL)'),
    ('SELECT pareto_nbd_model(0.553, ''-Infinity'', 0.606, 11.669)'),
    ('SELECT gamma_gamma_model(0, 3.74, 15.44)'),
    ('SELECT gamma_gamma_model(6.25, -3.74, 15.44)'),
    ('SELECT gamma_gamma_model(6.25, 3.74, NULL)'),
    ('SELECT gamma_gamma_model(6.25, ''NaN'', 15.44)'),
    ('SELECT p_alive(''(,4.414,0.793,2.426,,,,,,,,,,,)''::bgnbd_model, 1, 1, 10)'),
    ('SELECT p_alive(''(0.243,4.414,0.793,0,,,,,,,,,,,)''::bgnbd_model, 1, 1, 10)'),
    ('SELECT log_likelihood(''(0.525,-6.183,0.891,1.614,,,,,,,,,,,)''::mbgnbd_model, 1, 1, 10)'),
    ('SELECT expected_purchases(''(0.525,6.183,NaN,1.614,,,,,,,,,,,)''::mbgnbd_model, 39)'),
    ('SELECT expected_purchases(''(0.553,10.578,0.606,Infinity,,,,,,,,,,,)''::pareto_nbd_model, 39, 1, 1, 10)'),
    ('SELECT expected_spend(''(6.25,,15.44,,,,,,,,,,,)''::gamma_gamma_model, 2, 22.35)'),
    ('SELECT log_likelihood(''(6.25,3.74,0,,,,,,,,,,,)''::gamma_gamma_model, 2, 22.35)'),
    ('SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), ''(-6.25,3.74,15.44,,,,,,,,,,,)''::gamma_gamma_model, 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345)'),
    ('SELECT predicted_clv(''(0.243,4.414,0.793,,,,,,,,,,,,)''::bgnbd_model, gamma_gamma_model(6.25, 3.74, 15.44), 2, 30.43, 38.86, 22.35, 12, 0.01, 4.345)')
) t(q);
-- horizon: negative, NaN, infinite (22023); a horizon so long that the
-- expectation cannot be computed is 22003, never a NaN
SELECT q, sqlstate_of(q) FROM (VALUES
    ('SELECT expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), -1, 2, 30.43, 38.86)'),
    ('SELECT expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), ''NaN'', 2, 30.43, 38.86)'),
    ('SELECT expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), ''Infinity'', 2, 30.43, 38.86)'),
    ('SELECT expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), -0.001)'),
    ('SELECT expected_purchases(mbgnbd_model(0.525, 6.183, 0.891, 1.614), ''NaN'')'),
    ('SELECT expected_purchases(mbgnbd_model(0.525, 6.183, 0.891, 1.614), -39, 0, 0, 10)'),
    ('SELECT expected_purchases(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), -1)'),
    ('SELECT expected_purchases(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), ''Infinity'', 0, 0, 10)'),
    ('SELECT expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), 1e300)'),
    ('SELECT expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), 1e300, 2, 30.43, 38.86)')
) t(q);
-- predicted_clv: months outside 0 .. 12000, discount_rate <= -1 or not finite,
-- units_per_month <= 0 or not finite
SELECT q, sqlstate_of(format('SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, 3.74, 15.44), 2, 30.43, 38.86, 22.35, %s)', q))
FROM (VALUES ('-1, 0.01, 4.345'), ('12001, 0.01, 4.345'), ('12, -1, 4.345'), ('12, -1.5, 4.345'),
             ('12, ''NaN'', 4.345'), ('12, ''Infinity'', 4.345'), ('12, 0.01, 0'), ('12, 0.01, -4.345'),
             ('12, 0.01, ''NaN'''), ('12, 0.01, ''Infinity'''), ('12, -0.5, 4.345'), ('0, 0.01, 4.345')) t(q);
-- the messages and hints users see
\set VERBOSITY default
SELECT p_alive(bgnbd_model(0.243, 4.414, 0.793, 2.426), 0, 5, 10);
SELECT expected_spend(gamma_gamma_model(6.25, 0.8, 15.44), 2, 22.35);
SELECT bgnbd_model(0.243, 0, 0.793, 2.426);
SELECT predicted_clv(bgnbd_model(0.243, 4.414, 0.793, 2.426), gamma_gamma_model(6.25, 3.74, 15.44), 2, 30.43, 38.86, 22.35, 12, 0.01, 0);
SELECT log_likelihood(gamma_gamma_model(6.25, 3.74, 15.44), 0, 10);

------------------------------------------------------------------------------
-- Fits: empty input, NULL rows, invalid rows, degenerate data
------------------------------------------------------------------------------
CREATE TABLE fit_small (x float8, tx float8, t float8, m float8);
INSERT INTO fit_small VALUES
    (0, 0, 38.86, 0), (2, 30.43, 38.86, 22.35), (1, 1.71, 38.86, 11.77), (0, 0, 38.86, 0),
    (7, 35, 38, 41.5), (3, 20, 30, 18), (0, 0, 27, 0), (1, 25, 33, 30.01), (5, 30.5, 36, 25),
    (2, 10, 35, 15.5), (1, 1.71, 38.86, 11.77), (0, 0, 32.5, 0), (4, 18, 28, 60);
-- empty input: NULL, for every fit (a model, not an error)
SELECT bgnbd_fit(x, tx, t) IS NULL AS bgnbd, mbgnbd_fit(x, tx, t) IS NULL AS mbgnbd,
       pareto_nbd_fit(x, tx, t) IS NULL AS pareto_nbd, gamma_gamma_fit(x, m) IS NULL AS gamma_gamma
FROM fit_small WHERE false;
-- only NULL rows: NULL too
SELECT bgnbd_fit(x, tx, t) IS NULL AS bgnbd, gamma_gamma_fit(x, m) IS NULL AS gamma_gamma
FROM (VALUES (NULL::float8, 1::float8, 2::float8, 5::float8), (1, NULL, 2, NULL), (1, 1, NULL, NULL)) v(x, tx, t, m);
-- only customers Gamma-Gamma leaves out (frequency 0, or spend <= 0): NULL, with a NOTICE
SELECT gamma_gamma_fit(x, m) IS NULL AS gamma_gamma FROM (VALUES (0::float8, 10::float8), (2, 0), (3, -4)) v(x, m);
-- NULL rows are skipped: the same fit, bit for bit, as without them
CREATE TABLE fit_small_nulls AS SELECT * FROM fit_small;
-- every added row has a NULL in a column the fit reads (x, tx, t for the
-- purchase models, x, m for Gamma-Gamma); so do the last two, whose other
-- values would be errors in a complete row: a row with a NULL is not checked
INSERT INTO fit_small_nulls VALUES (NULL, 1, 2, NULL), (1, NULL, 2, NULL), (1, 1, NULL, NULL), (NULL, 0, 5, 10),
    ('NaN', NULL, 1, NULL), (2, 'NaN', NULL, NULL);
SELECT (SELECT bgnbd_fit(x, tx, t)::text FROM fit_small_nulls) = (SELECT bgnbd_fit(x, tx, t)::text FROM fit_small)
       AS bgnbd_skips_nulls,
       (SELECT mbgnbd_fit(x, tx, t)::text FROM fit_small_nulls) = (SELECT mbgnbd_fit(x, tx, t)::text FROM fit_small)
       AS mbgnbd_skips_nulls,
       (SELECT gamma_gamma_fit(x, m)::text FROM fit_small_nulls) = (SELECT gamma_gamma_fit(x, m)::text FROM fit_small)
       AS gamma_gamma_skips_nulls,
       (SELECT (bgnbd_fit(x, tx, t)).customers FROM fit_small_nulls) AS bgnbd_customers,
       (SELECT (gamma_gamma_fit(x, m)).customers + (gamma_gamma_fit(x, m)).skipped FROM fit_small_nulls) AS gamma_gamma_rows_seen;
DROP TABLE fit_small_nulls;
-- and rows come in any order: the same bits
SELECT (SELECT bgnbd_fit(x, tx, t ORDER BY t DESC, x) FROM fit_small)::text
     = (SELECT bgnbd_fit(x, tx, t ORDER BY x DESC, tx) FROM fit_small)::text AS order_independent;
-- what the fits report on this small data: counts are exact
SELECT (f).customers, (f).patterns, (f).log_likelihood < 0 AS ll_negative, (f).iterations > 0 AS iterated
FROM (SELECT bgnbd_fit(x, tx, t) AS f FROM fit_small) q;
SELECT (f).customers, (f).patterns, (f).skipped FROM (SELECT gamma_gamma_fit(x, m) AS f FROM fit_small) q;
-- the reported log-likelihood is the sum of the per-customer terms at the fitted parameters
SELECT abs((f).log_likelihood - (SELECT sum(log_likelihood(f, x, tx, t)) FROM fit_small)) < 1e-10 AS bgnbd_ll_is_sum
FROM (SELECT bgnbd_fit(x, tx, t) AS f FROM fit_small) q;
SELECT abs((f).log_likelihood - (SELECT sum(log_likelihood(f, x, tx, t)) FROM fit_small)) < 1e-10 AS mbgnbd_ll_is_sum
FROM (SELECT mbgnbd_fit(x, tx, t) AS f FROM fit_small) q;
SELECT abs((f).log_likelihood - (SELECT sum(log_likelihood(f, x, m)) FROM fit_small WHERE x > 0 AND m > 0)) < 1e-10 AS gamma_gamma_ll_is_sum
FROM (SELECT gamma_gamma_fit(x, m) AS f FROM fit_small) q;
-- invalid rows: 22023, as in the model functions
SELECT q, sqlstate_of(q) FROM (VALUES
    ('SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1::float8, 2::float8, 1::float8)) v(x, tx, t)'),
    ('SELECT bgnbd_fit(x, tx, t) FROM (VALUES (1::float8, -1::float8, 1::float8)) v(x, tx, t)'),
    ('SELECT mbgnbd_fit(x, tx, t) FROM (VALUES (0::float8, 1::float8, 2::float8)) v(x, tx, t)'),
    ('SELECT mbgnbd_fit(x, tx, t) FROM (VALUES (1.5::float8, 1::float8, 2::float8)) v(x, tx, t)'),
    ('SELECT pareto_nbd_fit(x, tx, t) FROM (VALUES (-1::float8, 0::float8, 2::float8)) v(x, tx, t)'),
    ('SELECT pareto_nbd_fit(x, tx, t) FROM (VALUES (1::float8, 1::float8, ''Infinity''::float8)) v(x, tx, t)'),
    ('SELECT bgnbd_fit(x, tx, t) FROM (VALUES (''NaN''::float8, 1::float8, 2::float8)) v(x, tx, t)'),
    ('SELECT gamma_gamma_fit(x, m) FROM (VALUES (1.5::float8, 10::float8)) v(x, m)'),
    ('SELECT gamma_gamma_fit(x, m) FROM (VALUES (-2::float8, 10::float8)) v(x, m)'),
    ('SELECT gamma_gamma_fit(x, m) FROM (VALUES (2::float8, ''NaN''::float8)) v(x, m)'),
    ('SELECT gamma_gamma_fit(x, m) FROM (VALUES (2::float8, ''-Infinity''::float8)) v(x, m)')
) t(q);
-- A degenerate fit: one customer cannot identify four parameters. The fit
-- runs off to the search bound, says so (converged false, at_bound true) and
-- warns; the numbers are returned for inspection only.
\set VERBOSITY terse
SELECT (f).converged, (f).at_bound, (f).customers, (f).patterns
FROM (SELECT bgnbd_fit(x, tx, t) AS f FROM (VALUES (2::float8, 30.43::float8, 38.86::float8)) v(x, tx, t)) q;
SELECT (f).converged, (f).at_bound, (f).customers, (f).patterns
FROM (SELECT mbgnbd_fit(x, tx, t) AS f FROM (VALUES (2::float8, 30.43::float8, 38.86::float8)) v(x, tx, t)) q;
SELECT (f).converged, (f).at_bound, (f).customers, (f).patterns, (f).skipped
FROM (SELECT gamma_gamma_fit(x, m) AS f FROM (VALUES (2::float8, 22.35::float8)) v(x, m)) q;
-- Nobody ever bought again (every frequency 0): the BG/NBD likelihood
-- sum r ln(alpha / (alpha + T)) has no maximum (its supremum 0 is approached as
-- r / alpha -> 0), so this is no converged fit either.
-- (The warning's wording is not pinned here: client_min_messages = error.)
-- No parameters are returned for such data.
SET client_min_messages = error;
SELECT (f).converged, (f).at_bound OR NOT (f).converged AS flagged, (f).r IS NULL AS no_parameters
FROM (SELECT bgnbd_fit(x, tx, t) AS f FROM (VALUES (0::float8, 0::float8, 38.86::float8), (0, 0, 20), (0, 0, 30)) v(x, tx, t)) q;
SELECT (f).converged, (f).at_bound OR NOT (f).converged AS flagged
FROM (SELECT mbgnbd_fit(x, tx, t) AS f FROM (VALUES (0::float8, 0::float8, 38.86::float8), (0, 0, 20), (0, 0, 30)) v(x, tx, t)) q;
-- Customers all born at the end of observation (t = 0): every parameter
-- gives the same likelihood, 0; nothing is identified, so the fit gives no
-- parameters (and no likelihood) rather than wherever a search stopped.
SELECT (f).converged, (f).r IS NULL AND (f).log_likelihood IS NULL AS no_parameters
FROM (SELECT bgnbd_fit(x, tx, t) AS f FROM (VALUES (0::float8, 0::float8, 0::float8), (0, 0, 0)) v(x, tx, t)) q;
RESET client_min_messages;
\set VERBOSITY default

------------------------------------------------------------------------------
-- clv_fit_state: the fits' partial state as text (what parallel and Citus
-- workers exchange): the format, round trips, damaged values
------------------------------------------------------------------------------
-- the aggregates' transition state, exposed (pg_temp, as the clv_limits test does)
CREATE AGGREGATE pg_temp.fit_state(float8, float8, float8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state, COMBINEFUNC = clv_fit_combine);
CREATE AGGREGATE pg_temp.spend_state(float8, float8) (
    SFUNC = clv_spend_fit_trans, STYPE = clv_fit_state, COMBINEFUNC = clv_fit_combine);
-- The flat form, little-endian: version 01, kind 01 (purchases) / 02 (spend),
-- skipped u64, n u32, then n patterns sorted by (x, tx, T): three IEEE doubles
-- and a u64 count. Worked out by hand (Python struct.pack('<BBQI', 1, 1, 0, 2)
-- + pack('<dddQ', 0, 0, 10, 1) + pack('<dddQ', 1, 5, 10, 2)):
--   01 01 0000000000000000 02000000
--   0000000000000000 0000000000000000 0000000000002440 0100000000000000   (0, 0, 10) x1
--   000000000000f03f 0000000000001440 0000000000002440 0200000000000000   (1, 5, 10) x2
SELECT pg_temp.fit_state(x, tx, t) FROM (VALUES (1::float8, 5::float8, 10::float8), (0, 0, 10), (1, 5, 10)) v(x, tx, t);
SELECT pg_temp.fit_state(x, tx, t)::text
     = '\x01010000000000000000020000000000000000000000000000000000000000000000000024400100000000000000000000000000f03f000000000000144000000000000024400200000000000000'
       AS format_as_documented
FROM (VALUES (1::float8, 5::float8, 10::float8), (0, 0, 10), (1, 5, 10)) v(x, tx, t);
-- spend: (2, 22.35) kept as (x, m, 0); (0, 5) and (1, 0) counted in skipped (2)
SELECT pg_temp.spend_state(x, m) FROM (VALUES (2::float8, 22.35::float8), (0, 5), (1, 0)) v(x, m);
-- -0.0 and 0.0 are one pattern
SELECT pg_temp.fit_state(x, tx, t)::text = pg_temp.fit_state(abs(x), abs(tx), t)::text AS signed_zero_one_pattern
FROM (VALUES ('-0'::float8, '-0'::float8, 10::float8), (0, 0, 10)) v(x, tx, t);
-- a hand-written state fits exactly like the rows it stands for (degenerate
-- data: the warnings are not the point here)
SET client_min_messages = error;
SELECT bgnbd_fit_final('\x01010000000000000000020000000000000000000000000000000000000000000000000024400100000000000000000000000000f03f000000000000144000000000000024400200000000000000')::text
     = (SELECT bgnbd_fit(x, tx, t)::text FROM (VALUES (1::float8, 5::float8, 10::float8), (0, 0, 10), (1, 5, 10)) v(x, tx, t))
       AS hand_written_state_fits_the_same;
RESET client_min_messages;
-- the empty state (kind 00, no patterns) fits to NULL
SELECT bgnbd_fit_final('\x0100000000000000000000000000') IS NULL AS empty_state_null;
-- round trips: state -> text -> state refits identically, for the data above;
-- combining two halves is the state of the whole
CREATE TABLE fit_states AS
SELECT pg_temp.fit_state(x, tx, t) AS s, pg_temp.spend_state(x, m) AS sp,
       pg_temp.fit_state(x, tx, t) FILTER (WHERE x < 2) AS lo, pg_temp.fit_state(x, tx, t) FILTER (WHERE x >= 2) AS hi
FROM fit_small;
SELECT s::text::clv_fit_state::text = s::text AS text_round_trip,
       bgnbd_fit_final(s::text::clv_fit_state)::text = (SELECT bgnbd_fit(x, tx, t)::text FROM fit_small) AS bgnbd_refits,
       mbgnbd_fit_final(s::text::clv_fit_state)::text = (SELECT mbgnbd_fit(x, tx, t)::text FROM fit_small) AS mbgnbd_refits,
       gamma_gamma_fit_final(sp::text::clv_fit_state)::text = (SELECT gamma_gamma_fit(x, m)::text FROM fit_small) AS gamma_gamma_refits,
       clv_fit_combine(lo, hi)::text = s::text AS combine_is_whole,
       clv_fit_combine(hi, lo)::text = s::text AS combine_commutes,
       clv_fit_combine(NULL, s)::text = s::text AS combine_null_left,
       clv_fit_combine(s, NULL)::text = s::text AS combine_null_right,
       clv_fit_state_send(s::text::clv_fit_state) = clv_fit_state_send(s) AS same_bytes
FROM fit_states;
-- the binary form (send / receive) through COPY BINARY, a client-side file
\set clv_bin_file `mktemp`
SELECT format('\copy fit_states TO %L WITH (FORMAT binary)', :'clv_bin_file') AS copy_out,
       format('\copy fit_states_bin FROM %L WITH (FORMAT binary)', :'clv_bin_file') AS copy_in \gset
:copy_out
CREATE TABLE fit_states_bin (LIKE fit_states);
:copy_in
\set clv_rm `rm -f :'clv_bin_file'`
SELECT b.s::text = f.s::text AND b.sp::text = f.sp::text AND b.lo::text = f.lo::text AND b.hi::text = f.hi::text
       AS binary_round_trip,
       bgnbd_fit_final(b.s)::text = bgnbd_fit_final(f.s)::text AS binary_refits
FROM fit_states f, fit_states_bin b;
DROP TABLE fit_states_bin;
-- Damaged values: each is an error (22P02 bad text, 22P03 bad content), never
-- a wrong fit or a crash. The intact value (first row, 'no error') is the state
-- of one customer (1, 5, 10): header 01 01 0000000000000000 01000000, pattern
-- 000000000000f03f 0000000000001440 0000000000002440 0100000000000000; each
-- damaged one changes one thing (Python struct.pack as above).
SELECT what, sqlstate_of(format('SELECT %L::clv_fit_state', v)) FROM (VALUES
    ('intact', '\x0101000000000000000001000000000000000000f03f000000000000144000000000000024400100000000000000'),
    ('no \x', '0101000000000000000001000000000000000000f03f000000000000144000000000000024400100000000000000'),
    ('odd length', '\x0101000000000000000001000000000000000000f03f00000000000014400000000000002440010000000000000'),
    ('not hex', '\x0101000000000000000001000000000000000000f03f000000000000144000000000000024400100000000zz0000'),
    ('empty', '\x'),
    ('header cut', '\x0101000000'),
    ('truncated pattern', '\x0101000000000000000001000000000000000000f03f00000000000014400000000000002440010000000000'),
    ('trailing byte', '\x0101000000000000000001000000000000000000f03f000000000000144000000000000024400100000000000000' || '00'),
    ('version 0', '\x0001000000000000000001000000000000000000f03f000000000000144000000000000024400100000000000000'),
    ('version 2', '\x0201000000000000000001000000000000000000f03f000000000000144000000000000024400100000000000000'),
    ('kind 3', '\x0103000000000000000001000000000000000000f03f000000000000144000000000000024400100000000000000'),
    ('count says 2, 1 pattern', '\x0101000000000000000002000000000000000000f03f000000000000144000000000000024400100000000000000'),
    ('count says 0, 1 pattern', '\x0101000000000000000000000000000000000000f03f000000000000144000000000000024400100000000000000'),
    ('count 2^32-1, no pattern', '\x01010000000000000000ffffffff'),
    ('customer count 0', '\x0101000000000000000001000000000000000000f03f000000000000144000000000000024400000000000000000'),
    ('customer count -1', '\x0101000000000000000001000000000000000000f03f00000000000014400000000000002440ffffffffffffffff'),
    ('purchases with skipped 1', '\x0101010000000000000001000000000000000000f03f000000000000144000000000000024400100000000000000'),
    ('kind empty with a pattern', '\x0100000000000000000001000000000000000000f03f000000000000144000000000000024400100000000000000'),
    ('recency > t (1, 11, 10)', '\x0101000000000000000001000000000000000000f03f000000000000264000000000000024400100000000000000'),
    ('recency < 0 (1, -5, 10)', '\x0101000000000000000001000000000000000000f03f00000000000014c000000000000024400100000000000000'),
    ('x 1.5', '\x0101000000000000000001000000000000000000f83f000000000000144000000000000024400100000000000000'),
    ('x -1 (-1, 0, 10)', '\x0101000000000000000001000000000000000000f0bf000000000000000000000000000024400100000000000000'),
    ('x 0, recency 5', '\x01010000000000000000010000000000000000000000000000000000144000000000000024400100000000000000'),
    ('t NaN', '\x0101000000000000000001000000000000000000f03f0000000000001440000000000000f87f0100000000000000'),
    ('recency and t infinite', '\x0101000000000000000001000000000000000000f03f000000000000f07f000000000000f07f0100000000000000')
) t(what, v);
-- spend states: patterns (x > 0, m > 0, 0); the intact one is (2, 10) x1
SELECT what, sqlstate_of(format('SELECT %L::clv_fit_state', v)) FROM (VALUES
    ('intact', '\x01020000000000000000010000000000000000000040000000000000244000000000000000000100000000000000'),
    ('m = 0', '\x01020000000000000000010000000000000000000040000000000000000000000000000000000100000000000000'),
    ('m < 0', '\x0102000000000000000001000000000000000000004000000000000024c000000000000000000100000000000000'),
    ('x = 0', '\x01020000000000000000010000000000000000000000000000000000244000000000000000000100000000000000'),
    ('third field 1', '\x010200000000000000000100000000000000000000400000000000002440000000000000f03f0100000000000000')
) t(what, v);
-- a state of one kind given to the other kind's fit, or combined with it: 42804
SELECT sqlstate_of('SELECT bgnbd_fit_final(sp) FROM fit_states') AS spend_into_bgnbd,
       sqlstate_of('SELECT gamma_gamma_fit_final(s) FROM fit_states') AS purchases_into_gamma_gamma,
       sqlstate_of('SELECT clv_fit_combine(s, sp) FROM fit_states') AS mixed_combine;
DROP TABLE fit_states;

------------------------------------------------------------------------------
-- Serial, forced parallel and partitionwise fits give the same bits
------------------------------------------------------------------------------
-- 20,000 customers simulated deterministically (no random()): T 20..40 weeks,
-- purchase rate lambda ~ Gamma(1, 2.5), drop-out after each purchase with
-- p ~ Beta(1, 3), spend per purchase 1 + Exp(mean 10 nu), nu in 0.5..2.5;
-- times rounded to 2 decimals as in the CDNOW summary, so patterns repeat.
-- (u01 and sim_customer: test/pgtap/lib/clv_simulate.psql, shared with pgTAP; pg_regress
-- runs psql in the repository root)
\i test/pgtap/lib/clv_simulate.psql
CREATE TABLE fit_sim AS SELECT i AS id, (sim_customer(i)).* FROM generate_series(1, 20000) i;
ANALYZE fit_sim;
SELECT count(*) AS customers, sum(x) AS repeat_purchases, count(*) FILTER (WHERE x = 0) AS one_time_buyers,
       count(DISTINCT (x, tx, t)) AS patterns FROM fit_sim;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE fit_serial AS
SELECT bgnbd_fit(x, tx, t)::text AS bg, mbgnbd_fit(x, tx, t)::text AS mbg, gamma_gamma_fit(x, m)::text AS gg
FROM fit_sim;
-- the serial fits are proper maxima (checked in depth by the pgTAP suite)
SELECT (bg::bgnbd_model).converged AND NOT (bg::bgnbd_model).at_bound AS bg_converged,
       (mbg::mbgnbd_model).converged AND NOT (mbg::mbgnbd_model).at_bound AS mbg_converged,
       (gg::gamma_gamma_model).converged AND NOT (gg::gamma_gamma_model).at_bound AS gg_converged,
       (bg::bgnbd_model).customers, (bg::bgnbd_model).patterns, (gg::gamma_gamma_model).skipped
FROM fit_serial;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(x, tx, t) FROM fit_sim;
SELECT bgnbd_fit(x, tx, t)::text = (SELECT bg FROM fit_serial) AS bgnbd_parallel_equal,
       mbgnbd_fit(x, tx, t)::text = (SELECT mbg FROM fit_serial) AS mbgnbd_parallel_equal,
       gamma_gamma_fit(x, m)::text = (SELECT gg FROM fit_serial) AS gamma_gamma_parallel_equal
FROM fit_sim;
-- the leader does no scanning: every row goes through a worker's state, which
-- travels to the leader in its flat form
SET parallel_leader_participation = off;
SELECT bgnbd_fit(x, tx, t)::text = (SELECT bg FROM fit_serial) AS bgnbd_workers_only_equal,
       gamma_gamma_fit(x, m)::text = (SELECT gg FROM fit_serial) AS gamma_gamma_workers_only_equal
FROM fit_sim;
RESET parallel_leader_participation;
-- partitionwise, over partitions of very different patterns (by frequency)
CREATE TABLE fit_part (id int, x float8, tx float8, t float8, m float8) PARTITION BY RANGE (x);
CREATE TABLE fit_part_0 PARTITION OF fit_part FOR VALUES FROM (0) TO (1);
CREATE TABLE fit_part_1 PARTITION OF fit_part FOR VALUES FROM (1) TO (5);
CREATE TABLE fit_part_2 PARTITION OF fit_part FOR VALUES FROM (5) TO (MAXVALUE);
INSERT INTO fit_part SELECT * FROM fit_sim ORDER BY id DESC;
ANALYZE fit_part;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(x, tx, t) FROM fit_part;
SELECT bgnbd_fit(x, tx, t)::text = (SELECT bg FROM fit_serial) AS bgnbd_partitionwise_equal,
       mbgnbd_fit(x, tx, t)::text = (SELECT mbg FROM fit_serial) AS mbgnbd_partitionwise_equal,
       gamma_gamma_fit(x, m)::text = (SELECT gg FROM fit_serial) AS gamma_gamma_partitionwise_equal
FROM fit_part;
RESET enable_partitionwise_aggregate;
-- grouped and parallel: one fit per group, each equal to its serial fit
CREATE TABLE fit_grouped AS SELECT id % 3 AS g, bgnbd_fit(x, tx, t)::text AS bg FROM fit_sim GROUP BY 1;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups_equal
FROM fit_grouped f JOIN (SELECT id % 3 AS g, bgnbd_fit(x, tx, t)::text AS bg FROM fit_sim GROUP BY 1) s USING (g)
WHERE f.bg = s.bg;
RESET max_parallel_workers_per_gather;
DROP TABLE fit_sim, fit_serial, fit_part, fit_grouped, fit_small, clv_ref;
DROP FUNCTION sim_customer(int8), u01(int8, int8), clv_ref_report();
