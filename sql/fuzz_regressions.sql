-- Regressions found by the fuzz driver (test/fuzz/run, under ASan + UBSan): each
-- was undefined behaviour (a signed overflow, an out-of-range float to int cast)
-- and is now a clean ERROR with its SQLSTATE, or a correct result.
SET TimeZone = 'UTC';

-- order_stats_state: a state whose row count is near 2^63 (accepted: its customer
-- counts add up) overflowed the row count when combined with itself.
CREATE TEMP TABLE fr_state AS
SELECT b, overlay(overlay(b PLACING '\xffffffffffffff7f'::bytea FROM 13 FOR 8)
                  PLACING '\xffffffffffffff7f'::bytea FROM length(b) - 7 FOR 8) AS huge
FROM (SELECT order_stats_trans(NULL, 1, timestamptz '2024-01-01', NULL::numeric)::text::bytea AS b) q;
SELECT orders(order_stats_final(('\x' || encode(huge, 'hex'))::order_stats_state)) FROM fr_state;
SELECT sqlstate_of(format($$SELECT order_stats_combine(%L::order_stats_state, %L::order_stats_state)$$,
                          '\x' || encode(huge, 'hex'), '\x' || encode(huge, 'hex'))) FROM fr_state;
-- two customers of near 2^63 orders each: the sum of their counts overflowed
-- while it was being checked against the row count
CREATE TEMP TABLE fr_state2 AS
SELECT overlay(overlay(overlay(b PLACING '\xffffffffffffff7f'::bytea FROM 13 FOR 8)
                       PLACING '\xfeffffffffffff7f'::bytea FROM length(b) - 23 FOR 8)
               PLACING '\xfeffffffffffff7f'::bytea FROM length(b) - 7 FOR 8) AS huge
FROM (SELECT order_stats_trans(order_stats_trans(NULL, 1, timestamptz '2024-01-01', NULL::numeric),
                               2, timestamptz '2024-01-02', NULL::numeric)::text::bytea AS b) q;
SELECT sqlstate_of(format($$SELECT %L::order_stats_state$$, '\x' || encode(huge, 'hex'))) FROM fr_state2;

-- clv fits: the customers of all patterns together overflowed a bigint (the
-- total was a double cast to int8).
SELECT sqlstate_of($$SELECT bgnbd_fit(x, tx, t, 4611686018427387904)
                     FROM (VALUES (1::float8, 1::float8, 2::float8), (2, 1.5, 2)) v(x, tx, t)$$);
SELECT sqlstate_of($$SELECT gamma_gamma_fit(x, m, 9223372036854775807)
                     FROM (VALUES (1::float8, 10::float8), (2, 12)) v(x, m)$$);
-- one pattern of 2^63 - 1 customers is still counted exactly (the fit itself
-- warns that it cannot converge on one pattern: not shown)
SET client_min_messages = error;
SELECT (gamma_gamma_fit(x, m, 9223372036854775807)).customers
FROM (VALUES (1::float8, 10::float8)) v(x, m);
RESET client_min_messages;

-- cohort_agg: a cohort before 2000 has a negative period number, which was
-- shifted left (undefined) to make the cell key; the cells are unchanged (a
-- plain build computed them right; under test/sanitize/run the backend aborted,
-- as on the CDNOW data of test/pgtap/cohort_data.sql).
SELECT cohort, period_offset, cohort_size, active, orders
FROM cohort_table((SELECT cohort_agg(c, t, 'month')
                   FROM (VALUES (1, timestamptz '1999-11-15'), (1, '1999-12-03'), (2, '1999-12-24'),
                                (1, '2000-01-10'), (2, '2000-02-01')) v(c, t)))
ORDER BY 1, 2;

-- cohort_agg states: ignored rows near 2^63 (any count is valid) overflowed when
-- two states were combined.
CREATE TEMP TABLE fr_cohort AS
SELECT '\x' || encode(overlay(b PLACING '\xffffffffffffff7f'::bytea FROM 11 FOR 8), 'hex') AS huge
FROM (SELECT cohort_agg_trans(NULL, 1, timestamptz '2024-01-01', 'month')::text::bytea AS b) q;
SELECT ignored_rows(cohort_agg_final(huge::cohort_state)) FROM fr_cohort;
SELECT sqlstate_of(format($$SELECT cohort_agg_combine(%L::cohort_state, %L::cohort_state)$$, huge, huge))
FROM fr_cohort;

-- gamma_gamma_fit states: the customers left out (frequency 0) of two states
-- together overflowed.
SELECT sqlstate_of($$SELECT clv_fit_combine(clv_spend_fit_trans(NULL, 0, 10, 9223372036854775807),
                                            clv_spend_fit_trans(NULL, 0, 10, 1))$$);

-- revenue_matrix: a period kind byte beyond the known kinds was shifted by more
-- than 31 bits before it was rejected (UBSan); now 22P03.
SELECT sqlstate_of($$SELECT '\x016f030000000000000000000000000000000000000000003c00000000000000000000000000000000000000'::revenue_matrix$$);
