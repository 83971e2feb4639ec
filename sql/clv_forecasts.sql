-- sBG and BG/BB (1.6): values worked out by hand at parameters where the
-- models have closed forms, fits that must recover parameters exactly, the
-- published fits (Fader & Hardie 2007; Fader, Hardie & Shang 2010), the
-- standard errors, every documented error with its SQLSTATE, and the fit
-- states' kinds.  Reference values marked "mpmath" are in
-- test/clv_math/forecast_reference.out (computed from the formulas, not from
-- this code).

------------------------------------------------------------------------------
-- sBG at alpha = beta = 1: theta ~ Uniform(0, 1), so
--   S(t) = E[(1-theta)^t] = 1/(t+1),  r(t) = S(t)/S(t-1) = t/(t+1),
--   P(T = t) = S(t-1) - S(t) = 1/(t(t+1)),
--   DEL(d) = sum_k S(k) z^k = -ln(1-z)/z with z = 1/(1+d): d = 1 -> 2 ln 2,
--   DERL(1, d) = sum_{k>=0} S(1+k)/S(0) z^k = sum z^k/(k+2) = (-ln(1-z) - z)/z^2
--              -> 4 (ln 2 - 1/2) at d = 1;
-- at alpha = 2, beta = 1 without discount DEL = (alpha+beta-1)/(alpha-1) = 2,
-- DERL(n, 0) = (beta+n-1)/(alpha-1) = n; at alpha <= 1 it is infinite.
------------------------------------------------------------------------------
SELECT t, round(survival(sbg_model(1, 1), t)::numeric, 12) AS s,
       round((1.0 / (t + 1))::numeric, 12) AS hand_s,
       round(retention_rate(sbg_model(1, 1), greatest(t, 1))::numeric, 12) AS r,
       round(churn_probability(sbg_model(1, 1), greatest(t, 1))::numeric, 12) AS p
FROM generate_series(0, 5) t;
SELECT round(expected_lifetime(sbg_model(1, 1), 1)::numeric, 12) AS del,
       round((2 * ln(2))::numeric, 12) AS hand_del,
       round(residual_lifetime(sbg_model(1, 1), 1, 1)::numeric, 12) AS derl,
       round((4 * (ln(2) - 0.5))::numeric, 12) AS hand_derl,
       expected_lifetime(sbg_model(2, 1), 0) AS del_2_1,
       residual_lifetime(sbg_model(2, 1), 3, 0) AS derl_2_1_n3,
       expected_lifetime(sbg_model(1, 1), 0) AS del_1_1,
       expected_lifetime(sbg_model(0.7, 1.2), 0) AS del_heavy_tail;
-- a tiny discount is the no-discount value approached from below
SELECT round(expected_lifetime(sbg_model(2, 1), 1e-9)::numeric, 6) AS del_near_0,
       round(residual_lifetime(sbg_model(2, 1), 3, 1e-9)::numeric, 6) AS derl_near_0;

-- A table that is exactly sBG(1, 1) (1200 S(t)) is fitted back to (1, 1); its
-- log-likelihood is sum over churners of ln P(T = t) plus the survivors' ln S(5):
-- 600 ln(1/2) + 200 ln(1/6) + 100 ln(1/12) + 60 ln(1/20) + 40 ln(1/30) + 200 ln(1/6)
CREATE TABLE exact_sbg (period int, alive int8);
INSERT INTO exact_sbg VALUES (0, 1200), (1, 600), (2, 400), (3, 300), (4, 240), (5, 200);
SELECT round((m).alpha::numeric, 6) AS alpha, round((m).beta::numeric, 6) AS beta,
       round((m).log_likelihood::numeric, 8) AS ll,
       round((600 * ln(1.0/2) + 200 * ln(1.0/6) + 100 * ln(1.0/12) + 60 * ln(1.0/20)
              + 40 * ln(1.0/30) + 200 * ln(1.0/6))::numeric, 8) AS hand_ll,
       (m).customers, (m).periods, (m).converged, (m).at_bound,
       (m).se_alpha > 0 AND (m).se_beta > 0 AS has_se
FROM (SELECT sbg_fit(period, alive) AS m FROM exact_sbg) s;
-- the same with only periods 0, 2 and 5 (interval-censored: churners between
-- observed periods contribute ln(S(a) - S(b))), still exactly sBG(1, 1);
-- rows of one period add up (two half cohorts), in any order
SELECT round((m).alpha::numeric, 6) AS alpha, round((m).beta::numeric, 6) AS beta,
       round((m).log_likelihood::numeric, 8) AS ll,
       round((800 * ln(1 - 1.0/3) + 200 * ln(1.0/3 - 1.0/6) + 200 * ln(1.0/6))::numeric, 8) AS hand_ll,
       (m).periods
FROM (SELECT sbg_fit(period, alive / 2 ORDER BY random()) AS m
      FROM exact_sbg, generate_series(1, 2) WHERE period IN (0, 2, 5)) s;

-- Fader & Hardie (2007), years 0-7 of 1,000 customers.  Published: regular
-- alpha 0.704, beta 1.182; high end 0.668, 3.806.  mpmath MLE: regular
-- 0.7040772985, 1.182043026, LL -1680.265188, se 0.06559896423, 0.1524756317;
-- high end 0.6680883511, 3.806094964, LL -1611.158147, se 0.1037349311, 0.7855316918.
CREATE TABLE fh2007 (period int, regular int8, high_end int8);
INSERT INTO fh2007 VALUES (0, 1000, 1000), (1, 631, 869), (2, 468, 743), (3, 382, 653),
    (4, 326, 593), (5, 289, 551), (6, 262, 517), (7, 241, 491);
SELECT 'regular' AS cohort, abs((m).alpha - 0.704) <= 0.002 AND abs((m).beta - 1.182) <= 0.002 AS published,
       abs((m).alpha - 0.7040772985) < 1e-6 AND abs((m).beta - 1.182043026) < 1e-6 AS mle,
       abs((m).log_likelihood + 1680.265188) < 1e-6 AS ll,
       abs((m).se_alpha / 0.06559896423 - 1) < 1e-5 AND abs((m).se_beta / 0.1524756317 - 1) < 1e-5 AS se
FROM (SELECT sbg_fit(period, regular) AS m FROM fh2007) s
UNION ALL
SELECT 'high end', abs((m).alpha - 0.668) <= 0.002 AND abs((m).beta - 3.806) <= 0.002,
       abs((m).alpha - 0.6680883511) < 1e-6 AND abs((m).beta - 3.806094964) < 1e-6,
       abs((m).log_likelihood + 1611.158147) < 1e-6,
       abs((m).se_alpha / 0.1037349311 - 1) < 1e-5 AND abs((m).se_beta / 0.7855316918 - 1) < 1e-5
FROM (SELECT sbg_fit(period, high_end) AS m FROM fh2007) s;
-- parameters(): the Wald interval is estimate -+ 1.959963984540054 se
SELECT parameter, round(estimate::numeric, 4) AS estimate, round(std_error::numeric, 4) AS std_error,
       round(ci_lower::numeric, 4) AS ci_lower, round(ci_upper::numeric, 4) AS ci_upper
FROM parameters((SELECT sbg_fit(period, regular) FROM fh2007));
SELECT * FROM parameters(sbg_model(0.704, 1.182));

-- sBG errors and unidentified tables
SELECT sqlstate_of('SELECT sbg_fit(p, a) FROM (VALUES (0, 100::int8), (1, 120)) v(p, a)') AS increasing,
       sqlstate_of('SELECT sbg_fit(p, a) FROM (VALUES (1, 100::int8), (2, 80)) v(p, a)') AS no_period_0,
       sqlstate_of('SELECT sbg_fit(p, a) FROM (VALUES (0, 0::int8), (1, 0)) v(p, a)') AS empty_cohort,
       sqlstate_of('SELECT sbg_fit(-1, 5)') AS negative_period,
       sqlstate_of('SELECT sbg_fit(0, -5)') AS negative_alive;
SELECT (m).alpha IS NULL AS no_parameters, (m).converged, (m).customers, (m).periods
FROM (SELECT sbg_fit(p, a) AS m FROM (VALUES (0, 100::int8), (1, 80)) v(p, a)) s;
SELECT (m).alpha IS NULL AS no_parameters, (m).converged
FROM (SELECT sbg_fit(p, a) AS m FROM (VALUES (0, 100::int8), (1, 100), (2, 100)) v(p, a)) s;
SELECT (m).alpha IS NULL AS no_parameters, (m).converged
FROM (SELECT sbg_fit(p, a) AS m FROM (VALUES (0, 100::int8), (1, 0), (2, 0)) v(p, a)) s;
SELECT sbg_fit(p, a) IS NULL AS no_rows FROM (VALUES (0, NULL::int8), (NULL, 5)) v(p, a);
-- a constant retention of 1/2 is a point mass theta = 1/2: alpha and beta run off to
-- infinity together, and a fit at the bound has no standard errors (its WARNING's
-- gradient figures are left out: they depend on the floating-point details)
SET client_min_messages = error;
SELECT (m).at_bound, (m).converged, round(((m).alpha / ((m).alpha + (m).beta))::numeric, 4) AS mean_theta,
       (m).se_alpha IS NULL AND (m).se_beta IS NULL AS no_se
FROM (SELECT sbg_fit(p, a) AS m FROM (VALUES (0, 1000::int8), (1, 500), (2, 250), (3, 125), (4, 62)) v(p, a)) s;
RESET client_min_messages;
SELECT sqlstate_of('SELECT survival(sbg_model(1, 1), -1)') AS survival_t,
       sqlstate_of('SELECT retention_rate(sbg_model(1, 1), 0)') AS retention_t,
       sqlstate_of('SELECT churn_probability(sbg_model(1, 1), 0)') AS churn_t,
       sqlstate_of('SELECT expected_lifetime(sbg_model(1, 1), -0.1)') AS del_d,
       sqlstate_of('SELECT expected_lifetime(sbg_model(1, 1), ''NaN'')') AS del_nan,
       sqlstate_of('SELECT residual_lifetime(sbg_model(1, 1), 0, 0.1)') AS derl_n,
       sqlstate_of('SELECT sbg_model(0, 1)') AS bad_alpha,
       sqlstate_of('SELECT survival((NULL::float8, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::sbg_model, 1)') AS null_alpha;

------------------------------------------------------------------------------
-- BG/BB at alpha = beta = gamma = delta = 1 (p, theta ~ Uniform(0, 1)):
--   (x, tx, n) = (1, 1, 1): L = E[p] E[1-theta] = 1/2 * 1/2 = 1/4;
--   (0, 0, 1): L = P(alive at 1, no purchase) + P(died before 1)
--            = 1/2 * 1/2 + 1/2 = 3/4 (the customer dies before opportunity 1 with prob theta);
--   P(alive at 2 | (0, 0, 1)) = E[(1-p)] E[(1-theta)^2] / L = (1/2 * 1/3) / (3/4) = 2/9;
--   E[X(n)] = sum_{t=1..n} E[p] E[(1-theta)^t] = 1/2 sum 1/(t+1): n = 2 -> 5/12 (gamma = 1
--   is the removable singularity of delta/(gamma-1));
--   (0, 0, 0): nothing observed, L = 1.
------------------------------------------------------------------------------
SELECT round(exp(log_likelihood(bgbb_model(1, 1, 1, 1), 1, 1, 1))::numeric, 12) AS l_111,
       round(exp(log_likelihood(bgbb_model(1, 1, 1, 1), 0, 0, 1))::numeric, 12) AS l_001,
       log_likelihood(bgbb_model(1, 1, 1, 1), 0, 0, 0) AS ll_000,
       round(p_alive(bgbb_model(1, 1, 1, 1), 0, 0, 1)::numeric, 12) AS p_alive_001,
       round((2.0 / 9)::numeric, 12) AS hand_2_9,
       round(expected_purchases(bgbb_model(1, 1, 1, 1), 2)::numeric, 12) AS e_x2,
       round((5.0 / 12)::numeric, 12) AS hand_5_12;
-- gamma a hair off 1 gives the limit's value (mpmath at (1.2, 0.75, 1, 2.78):
-- E[X(6)] = 1.773534295, E[X(6, 16) | 3, 4, 6] = 1.230433626)
SELECT g, round(expected_purchases(bgbb_model(1.2, 0.75, g, 2.78), 6)::numeric, 8) AS e_x6,
       round(expected_purchases(bgbb_model(1.2, 0.75, g, 2.78), 10, 3, 4, 6)::numeric, 8) AS e_x6_16
FROM (VALUES (1.0::float8), (1 - 1e-12), (1 + 1e-9), (1 + 1e-6)) v(g);
-- and to 1e-12 relative: within 1e-14 of 1 the value moves by about 1.35 (gamma - 1)
SELECT g, abs(expected_purchases(bgbb_model(1.2, 0.75, g, 2.78), 10, 3, 4, 6) / 1.230433626 - 1) < 1e-9 AS near_limit,
       abs(expected_purchases(bgbb_model(1.2, 0.75, g, 2.78), 10, 3, 4, 6)
           / expected_purchases(bgbb_model(1.2, 0.75, 1, 2.78), 10, 3, 4, 6) - 1) < 1e-12 AS smooth
FROM (VALUES (1 - 1e-14), (1 + 1e-14), (1 + 1e-15)) v(g);

-- The donations data (Fader, Hardie & Shang 2010): 11,104 donors, 6 opportunities,
-- as lifetimes_datasets/donations.csv (frequency, recency, periods, weights).
CREATE TABLE donations (frequency int, recency int, n_periods int, donors int8);
INSERT INTO donations VALUES
    (0, 0, 6, 3464), (1, 1, 6, 1091), (1, 2, 6, 277), (1, 3, 6, 129), (1, 4, 6, 78), (1, 5, 6, 119),
    (1, 6, 6, 129), (2, 2, 6, 613), (2, 3, 6, 255), (2, 4, 6, 155), (2, 5, 6, 173), (2, 6, 6, 234),
    (3, 3, 6, 322), (3, 4, 6, 181), (3, 5, 6, 225), (3, 6, 6, 357), (4, 4, 6, 240), (4, 5, 6, 284),
    (4, 6, 6, 512), (5, 5, 6, 335), (5, 6, 6, 728), (6, 6, 6, 1203);
SELECT sum(donors) AS donors, count(*) AS patterns FROM donations;
-- published 1.204, 0.750, 0.657, 2.783, LL -33225.58; mpmath MLE 1.203522352,
-- 0.7497163582, 0.6567182084, 2.783442233, LL -33225.58127, se 0.06939136239,
-- 0.02944771666, 0.05100985896, 0.3208190030; LL at the published -33225.581755
SELECT abs((m).alpha - 1.204) <= 0.002 AND abs((m).beta - 0.750) <= 0.002
       AND abs((m).gamma - 0.657) <= 0.002 AND abs((m).delta - 2.783) <= 0.002 AS published,
       abs((m).alpha / 1.203522352 - 1) < 1e-6 AND abs((m).beta / 0.7497163582 - 1) < 1e-6
       AND abs((m).gamma / 0.6567182084 - 1) < 1e-6 AND abs((m).delta / 2.783442233 - 1) < 1e-6 AS mle,
       round((m).log_likelihood::numeric, 4) AS ll, (m).customers, (m).patterns, (m).converged,
       abs((m).se_alpha / 0.06939136239 - 1) < 1e-5 AND abs((m).se_beta / 0.02944771666 - 1) < 1e-5
       AND abs((m).se_gamma / 0.05100985896 - 1) < 1e-5 AND abs((m).se_delta / 0.3208190030 - 1) < 1e-5 AS se
FROM (SELECT bgbb_fit(frequency, recency, n_periods, donors) AS m FROM donations) s;
SELECT round(sum(donors * log_likelihood(bgbb_model(1.204, 0.750, 0.657, 2.783), frequency, recency, n_periods))::numeric, 6) AS ll_published
FROM donations;
-- one row per donor gives the same fit as the weighted rows, bit for bit
SELECT (SELECT bgbb_fit(frequency, recency, n_periods, donors) FROM donations)
     = (SELECT bgbb_fit(frequency, recency, n_periods) FROM donations, generate_series(1, donors)) AS weighted_equals_rows;
-- predictions at the MLE (mpmath: P(alive at 7) 0.1081332819, 0.5896571848,
-- 0.9304335755; sum E[X(6, 11)] 12884.15685; E[X(6, 16)] 0.1302180884 for (0, 0),
-- 3.627967656 for (4, 5); E[X(10)] 3.179829028)
WITH m AS (SELECT bgbb_fit(frequency, recency, n_periods, donors) AS m FROM donations)
SELECT round(p_alive(m, 0, 0, 6)::numeric, 7) AS p_alive_0_0, round(p_alive(m, 2, 4, 6)::numeric, 7) AS p_alive_2_4,
       round(p_alive(m, 6, 6, 6)::numeric, 7) AS p_alive_6_6,
       round((SELECT sum(donors * expected_purchases(m, 5, frequency, recency, n_periods)) FROM donations)::numeric, 3) AS next_5,
       round(expected_purchases(m, 10, 0, 0, 6)::numeric, 7) AS e_0_0, round(expected_purchases(m, 10, 4, 5, 6)::numeric, 7) AS e_4_5,
       round(expected_purchases(m, 10)::numeric, 7) AS e_x10
FROM m;

-- BG/BB errors and unidentified data
SELECT sqlstate_of('SELECT bgbb_fit(2, 1, 6)') AS recency_below_frequency,
       sqlstate_of('SELECT bgbb_fit(1, 7, 6)') AS recency_beyond_n,
       sqlstate_of('SELECT bgbb_fit(0, 2, 6)') AS recency_without_purchase,
       sqlstate_of('SELECT bgbb_fit(1, 1, 6, -1)') AS negative_customers,
       sqlstate_of('SELECT p_alive(bgbb_model(1, 1, 1, 1), 3, 2, 6)') AS p_alive_summary,
       sqlstate_of('SELECT expected_purchases(bgbb_model(1, 1, 1, 1), -1, 0, 0, 6)') AS negative_future,
       sqlstate_of('SELECT expected_purchases(bgbb_model(1, 1, 1, 1), -1)') AS negative_n,
       sqlstate_of('SELECT bgbb_model(1, 1, 1, ''Infinity'')') AS infinite_delta;
SELECT (m).alpha IS NULL AS no_parameters, (m).converged, (m).customers
FROM (SELECT bgbb_fit(0, 0, 6, 50) AS m) s;
SELECT (m).alpha IS NULL AS no_parameters, (m).converged
FROM (SELECT bgbb_fit(6, 6, 6, 50) AS m) s;

-- A fit state of one model does not finish as another's
SELECT sqlstate_of('SELECT sbg_fit_final(bgbb_fit_trans(NULL, 1, 1, 6))') AS bgbb_into_sbg,
       sqlstate_of('SELECT bgbb_fit_final(sbg_fit_trans(NULL, 0, 100))') AS sbg_into_bgbb,
       sqlstate_of('SELECT bgnbd_fit_final(bgbb_fit_trans(NULL, 1, 1, 6))') AS bgbb_into_bgnbd;
-- their text forms read back, and damaged ones do not
SELECT st::text::clv_fit_state::text = st::text AS survival_round_trip
FROM (SELECT sbg_fit_trans(sbg_fit_trans(sbg_fit_trans(NULL, 0, 10), 1, 4), 2, 0) AS st) s;
SELECT st::text::clv_fit_state::text = st::text AS bgbb_round_trip
FROM (SELECT bgbb_fit_trans(bgbb_fit_trans(NULL, 2, 4, 6, 3), 0, 0, 6) AS st) s;
-- the flat form (src/clv_fit.c), little-endian: version 01, kind (03 survival, 04 BG/BB),
-- skipped u64 0, patterns u32, then per pattern x, tx, T as doubles and the count u64:
-- survival (0, 0, 0) x 10 (alive) and the zero marker (1, 1, 0) x 1 (1.0 = 000000000000f03f);
-- BG/BB (2, 4, 6) x 3 (2.0 = 0000000000000040, 4.0 = ...1040, 6.0 = ...1840)
SELECT sbg_fit_trans(sbg_fit_trans(NULL, 0, 10), 1, 0)::text AS survival_state,
       bgbb_fit_trans(NULL, 2, 4, 6, 3)::text AS bgbb_state;
-- (a period marker other than 1; frequency 5 after recency 4; period 0.5)
SELECT sqlstate_of($$SELECT '\x0103000000000000000001000000000000000000f03f000000000000004000000000000000000100000000000000'::clv_fit_state$$) AS bad_marker,
       sqlstate_of($$SELECT '\x01040000000000000000010000000000000000001440000000000000104000000000000018400300000000000000'::clv_fit_state$$) AS frequency_after_recency,
       sqlstate_of($$SELECT '\x0103000000000000000001000000000000000000e03f000000000000000000000000000000000a00000000000000'::clv_fit_state$$) AS half_period;
