-- test/upgrade/values.sql (pgTAP): run by test/upgrade/run after the current build has
-- replaced an old release and ALTER EXTENSION retention UPDATE has run. The values the
-- old release stored (test/upgrade/store.sql) must read back exactly as the old release
-- printed them: text output, send() bytes, accessors, set-returning reports; they must
-- survive a text round trip through the current input functions; and the current
-- aggregates must work on them (an old stored state combined with a new one gives the
-- aggregate over all the rows).
-- psql variables: cohort = true when the old release had cohort_agg (1.1 and later);
-- models = true when it had rfm and the CLV models (1.2 and later). The C code of rfm and
-- the models (src/rfm_*.c, src/clv*.c) is unchanged since 1.2, so predictions and fits are
-- compared exactly (float8 text output is the shortest exact form).
-- No ON_ERROR_STOP: a test that raises an error (a value the current input function
-- refuses) must not hide the tests after it; test/upgrade/run counts each ERROR.
\set ON_ERROR_STOP 0
SET client_min_messages = warning;
SELECT * FROM no_plan();

------------------------------------------------------------------------------------------
-- order_stats, order_stats_state
------------------------------------------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM before_os WHERE os_text IS NOT NULL), '>=', 7::bigint,
              'order_stats: the old release stored the values to compare');
SELECT results_eq('SELECT label, os_text FROM os_probe ORDER BY label',
                  'SELECT label, os_text FROM before_os ORDER BY label',
                  'order_stats stored by the old release: text output unchanged');
SELECT results_eq('SELECT label, os_send FROM os_probe ORDER BY label',
                  'SELECT label, os_send FROM before_os ORDER BY label',
                  'order_stats stored by the old release: order_stats_send() bytes unchanged');
SELECT results_eq('SELECT label, accessors FROM os_probe ORDER BY label',
                  'SELECT label, accessors FROM before_os ORDER BY label',
                  'order_stats stored by the old release: every accessor and clv() unchanged');
SELECT results_eq('SELECT label, oss_text FROM os_probe ORDER BY label',
                  'SELECT label, oss_text FROM before_os ORDER BY label',
                  'order_stats_state stored by the old release: text output unchanged');
SELECT results_eq('SELECT label, oss_send FROM os_probe ORDER BY label',
                  'SELECT label, oss_send FROM before_os ORDER BY label',
                  'order_stats_state stored by the old release: order_stats_state_send() bytes unchanged');
SELECT results_eq('SELECT label, oss_final FROM os_probe ORDER BY label',
                  'SELECT label, oss_final FROM before_os ORDER BY label',
                  'order_stats_state stored by the old release: order_stats_final() unchanged');
SELECT is_empty($$SELECT label FROM stored_os
                  WHERE os::text::order_stats::text IS DISTINCT FROM os::text
                     OR order_stats_send(os::text::order_stats) IS DISTINCT FROM order_stats_send(os)
                     OR oss::text::order_stats_state::text IS DISTINCT FROM oss::text
                     OR order_stats_state_send(oss::text::order_stats_state) IS DISTINCT FROM order_stats_state_send(oss)$$,
                'order_stats, order_stats_state stored by the old release: text round trip through the current input functions');

CREATE TEMP VIEW os_fresh AS
SELECT 'int_tstz' AS label, part, order_stats(cust_int, at_tz, amount) AS os, u_os_state(cust_int, at_tz, amount) AS oss FROM orders GROUP BY part
UNION ALL
SELECT 'text_ts', part, order_stats(cust_text, at_ts, amount), u_os_state(cust_text, at_ts, amount) FROM orders GROUP BY part
UNION ALL
SELECT 'uuid_date', part, order_stats(cust_uuid, at_date, amount), u_os_state(cust_uuid, at_date, amount) FROM orders GROUP BY part
UNION ALL
SELECT 'int_tstz_lines', part, order_stats(cust_int, at_tz, amount, order_key), u_os_state(cust_int, at_tz, amount, order_key) FROM orders GROUP BY part
UNION ALL
SELECT 'int_tstz', 'all', order_stats(cust_int, at_tz, amount), NULL FROM orders
UNION ALL
SELECT 'text_ts', 'all', order_stats(cust_text, at_ts, amount), NULL FROM orders
UNION ALL
SELECT 'uuid_date', 'all', order_stats(cust_uuid, at_date, amount), NULL FROM orders
UNION ALL
SELECT 'int_tstz_lines', 'all', order_stats(cust_int, at_tz, amount, order_key), NULL FROM orders;

SELECT results_eq($$SELECT f.label, f.os::text FROM os_fresh f WHERE part = 'old' ORDER BY label$$,
                  $$SELECT s.label, s.os::text FROM stored_os s JOIN os_fresh f ON f.label = s.label AND f.part = 'old' ORDER BY label$$,
                  'order_stats: the current aggregates over the same rows give what the old release stored');
SELECT results_eq($$SELECT s.label, order_stats_final(order_stats_combine(s.oss, n.oss))::text
                    FROM stored_os s JOIN os_fresh n ON n.label = s.label AND n.part = 'new' ORDER BY label$$,
                  $$SELECT label, os::text FROM os_fresh WHERE part = 'all' ORDER BY label$$,
                  'order_stats_combine(old stored state, new state) = order_stats over all the rows');
SELECT results_eq($$SELECT s.label, order_stats_final(order_stats_combine(n.oss, s.oss))::text
                    FROM stored_os s JOIN os_fresh n ON n.label = s.label AND n.part = 'new' ORDER BY label$$,
                  $$SELECT label, os::text FROM os_fresh WHERE part = 'all' ORDER BY label$$,
                  'order_stats_combine(new state, old stored state) = order_stats over all the rows');
SELECT results_eq($$SELECT s.label, order_stats_final(order_stats_combine(s.oss, NULL))::text FROM stored_os s ORDER BY label$$,
                  $$SELECT label, oss_final FROM before_os ORDER BY label$$,
                  'order_stats_combine(old stored state, NULL) = the old state');

\if :cohort
------------------------------------------------------------------------------------------
-- cohort_matrix, cohort_state
------------------------------------------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM before_cm WHERE cm_text IS NOT NULL), '>=', 5::bigint,
              'cohort_matrix: the old release stored the values to compare');
SELECT results_eq('SELECT label, cm_text FROM cm_probe ORDER BY label',
                  'SELECT label, cm_text FROM before_cm ORDER BY label',
                  'cohort_matrix stored by the old release: text output unchanged');
SELECT results_eq('SELECT label, cm_send FROM cm_probe ORDER BY label',
                  'SELECT label, cm_send FROM before_cm ORDER BY label',
                  'cohort_matrix stored by the old release: cohort_matrix_send() bytes unchanged');
SELECT results_eq('SELECT label, accessors FROM cm_probe ORDER BY label',
                  'SELECT label, accessors FROM before_cm ORDER BY label',
                  'cohort_matrix stored by the old release: customers(), ignored_rows(), last_order_at() unchanged');
SELECT results_eq('SELECT label, cohort_table FROM cm_probe ORDER BY label',
                  'SELECT label, cohort_table FROM before_cm ORDER BY label',
                  'cohort_matrix stored by the old release: cohort_table(m, observed_until) unchanged');
SELECT results_eq('SELECT label, cohort_table_latest FROM cm_probe ORDER BY label',
                  'SELECT label, cohort_table_latest FROM before_cm ORDER BY label',
                  'cohort_matrix stored by the old release: cohort_table(m) unchanged');
SELECT results_eq('SELECT label, retention_curve FROM cm_probe ORDER BY label',
                  'SELECT label, retention_curve FROM before_cm ORDER BY label',
                  'cohort_matrix stored by the old release: retention_curve() unchanged');
SELECT results_eq('SELECT label, period_retention FROM cm_probe ORDER BY label',
                  'SELECT label, period_retention FROM before_cm ORDER BY label',
                  'cohort_matrix stored by the old release: period_retention() unchanged');
SELECT results_eq('SELECT label, cs_text FROM cm_probe ORDER BY label',
                  'SELECT label, cs_text FROM before_cm ORDER BY label',
                  'cohort_state stored by the old release: text output unchanged');
SELECT results_eq('SELECT label, cs_send FROM cm_probe ORDER BY label',
                  'SELECT label, cs_send FROM before_cm ORDER BY label',
                  'cohort_state stored by the old release: cohort_state_send() bytes unchanged');
SELECT results_eq('SELECT label, cs_final FROM cm_probe ORDER BY label',
                  'SELECT label, cs_final FROM before_cm ORDER BY label',
                  'cohort_state stored by the old release: cohort_agg_final() unchanged');
SELECT is_empty($$SELECT label FROM stored_cm
                  WHERE cm::text::cohort_matrix::text IS DISTINCT FROM cm::text
                     OR cohort_matrix_send(cm::text::cohort_matrix) IS DISTINCT FROM cohort_matrix_send(cm)
                     OR cs::text::cohort_state::text IS DISTINCT FROM cs::text
                     OR cohort_state_send(cs::text::cohort_state) IS DISTINCT FROM cohort_state_send(cs)$$,
                'cohort_matrix, cohort_state stored by the old release: text round trip through the current input functions');

CREATE TEMP VIEW cm_fresh AS
SELECT 'int_tstz_month' AS label, part, cohort_agg(cust_int, at_tz, 'month', amount) AS cm,
       u_cohort_state(cust_int, at_tz, 'month', amount) AS cs FROM orders GROUP BY part
UNION ALL
SELECT 'text_ts_week', part, cohort_agg(cust_text, at_ts, 'week'), u_cohort_state(cust_text, at_ts, 'week') FROM orders GROUP BY part
UNION ALL
SELECT 'uuid_date_month_lines', part, cohort_agg(cust_uuid, at_date, 'month', amount, order_key),
       u_cohort_state(cust_uuid, at_date, 'month', amount, order_key) FROM orders GROUP BY part
UNION ALL
SELECT 'int_tstz_month', 'all', cohort_agg(cust_int, at_tz, 'month', amount), NULL FROM orders
UNION ALL
SELECT 'text_ts_week', 'all', cohort_agg(cust_text, at_ts, 'week'), NULL FROM orders
UNION ALL
SELECT 'uuid_date_month_lines', 'all', cohort_agg(cust_uuid, at_date, 'month', amount, order_key), NULL FROM orders;

SELECT results_eq($$SELECT f.label, f.cm::text FROM cm_fresh f WHERE part = 'old' ORDER BY label$$,
                  $$SELECT s.label, s.cm::text FROM stored_cm s JOIN cm_fresh f ON f.label = s.label AND f.part = 'old' ORDER BY label$$,
                  'cohort_agg: the current aggregates over the same rows give what the old release stored');
SELECT results_eq($$SELECT s.label, cohort_agg_final(cohort_agg_combine(s.cs, n.cs))::text
                    FROM stored_cm s JOIN cm_fresh n ON n.label = s.label AND n.part = 'new' ORDER BY label$$,
                  $$SELECT label, cm::text FROM cm_fresh WHERE part = 'all' ORDER BY label$$,
                  'cohort_agg_combine(old stored state, new state) = cohort_agg over all the rows');
SELECT results_eq($$SELECT s.label, cohort_agg_final(cohort_agg_combine(n.cs, s.cs))::text
                    FROM stored_cm s JOIN cm_fresh n ON n.label = s.label AND n.part = 'new' ORDER BY label$$,
                  $$SELECT label, cm::text FROM cm_fresh WHERE part = 'all' ORDER BY label$$,
                  'cohort_agg_combine(new state, old stored state) = cohort_agg over all the rows');
\endif

\if :models
------------------------------------------------------------------------------------------
-- rfm_summary, rfm_state
------------------------------------------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM before_rfm WHERE summary_text IS NOT NULL), '>=', 900::bigint,
              'rfm: the old release stored the values to compare');
SELECT cmp_ok((SELECT count(DISTINCT label) FROM before_rfm WHERE summary_text IS NULL AND st_text IS NOT NULL), '=', 1::bigint,
              'rfm: the old release stored NULL summaries of customers with no order before observed_until');
SELECT results_eq('SELECT label, customer, summary_text FROM rfm_probe ORDER BY label, customer',
                  'SELECT label, customer, summary_text FROM before_rfm ORDER BY label, customer',
                  'rfm_summary stored by the old release: text output unchanged');
SELECT results_eq('SELECT label, customer, st_text FROM rfm_probe ORDER BY label, customer',
                  'SELECT label, customer, st_text FROM before_rfm ORDER BY label, customer',
                  'rfm_state stored by the old release: text output unchanged');
SELECT results_eq('SELECT label, customer, st_send FROM rfm_probe ORDER BY label, customer',
                  'SELECT label, customer, st_send FROM before_rfm ORDER BY label, customer',
                  'rfm_state stored by the old release: rfm_state_send() bytes unchanged');
SELECT results_eq('SELECT label, customer, st_final FROM rfm_probe ORDER BY label, customer',
                  'SELECT label, customer, st_final FROM before_rfm ORDER BY label, customer',
                  'rfm_state stored by the old release: rfm_final() unchanged');
SELECT is_empty($$SELECT label, customer FROM stored_rfm
                  WHERE st::text::rfm_state::text IS DISTINCT FROM st::text
                     OR rfm_state_send(st::text::rfm_state) IS DISTINCT FROM rfm_state_send(st)
                     OR summary::text::rfm_summary::text IS DISTINCT FROM summary::text$$,
                'rfm_state, rfm_summary stored by the old release: text round trip through the current input functions');

CREATE TEMP VIEW rfm_fresh AS
SELECT 'tstz_day' AS label, part, cust_int AS customer, rfm(at_tz, amount, '2024-06-01 00:00+00') AS summary,
       u_rfm_state(at_tz, amount, '2024-06-01 00:00+00', 'day') AS st FROM orders GROUP BY GROUPING SETS ((part, cust_int), (cust_int))
UNION ALL
SELECT 'tstz_week', part, cust_int, rfm(at_tz, amount, '2024-06-01 00:00+00', 'week'),
       u_rfm_state(at_tz, amount, '2024-06-01 00:00+00', 'week') FROM orders GROUP BY GROUPING SETS ((part, cust_int), (cust_int))
UNION ALL
SELECT 'tstz_day_early', part, cust_int, rfm(at_tz, amount, '2023-09-01 00:00+00', 'day'),
       u_rfm_state(at_tz, amount, '2023-09-01 00:00+00', 'day') FROM orders GROUP BY GROUPING SETS ((part, cust_int), (cust_int))
UNION ALL
SELECT 'ts_day', part, cust_int, rfm(at_ts, amount, timestamp '2024-06-01'),
       u_rfm_state(at_ts, amount, timestamp '2024-06-01') FROM orders GROUP BY GROUPING SETS ((part, cust_int), (cust_int))
UNION ALL
SELECT 'date_week', part, cust_int, rfm(at_date, amount, date '2024-06-01', 'week'),
       u_rfm_state(at_date, amount, date '2024-06-01', 'week') FROM orders GROUP BY GROUPING SETS ((part, cust_int), (cust_int))
UNION ALL
SELECT 'date_month', part, cust_int, rfm(at_date, amount, date '2024-06-01', 'month'),
       u_rfm_state(at_date, amount, date '2024-06-01', 'month') FROM orders GROUP BY GROUPING SETS ((part, cust_int), (cust_int));
-- (part NULL: all the rows of the customer; customers only in part 'new' have no stored state)
CREATE TEMP TABLE rfm_all AS
SELECT a.label, a.customer, a.summary::text AS summary_all, s.st AS old_st, n.st AS new_st
FROM rfm_fresh a
JOIN stored_rfm s ON s.label = a.label AND s.customer = a.customer
LEFT JOIN rfm_fresh n ON n.label = a.label AND n.customer = a.customer AND n.part = 'new'
WHERE a.part IS NULL AND a.customer IS NOT NULL;

SELECT results_eq($$SELECT f.label, f.customer, f.summary::text, f.st::text FROM rfm_fresh f
                    WHERE f.part = 'old' AND f.customer IS NOT NULL ORDER BY 1, 2$$,
                  $$SELECT label, customer, summary::text, st::text FROM stored_rfm WHERE label <> 'null' ORDER BY 1, 2$$,
                  'rfm: the current aggregates over the same rows give the summaries and states the old release stored');
SELECT cmp_ok((SELECT count(*) FROM rfm_all WHERE new_st IS NOT NULL AND summary_all IS NOT NULL), '>=', 500::bigint,
              'rfm: customers with orders before and after the upgrade to combine');
SELECT is_empty($$SELECT label, customer FROM rfm_all
                  WHERE rfm_final(rfm_combine(old_st, new_st))::text IS DISTINCT FROM summary_all$$,
                'rfm_final(rfm_combine(old stored state, new state)) = rfm over all the rows of the customer');
SELECT is_empty($$SELECT label, customer FROM rfm_all
                  WHERE rfm_final(rfm_combine(new_st, old_st))::text IS DISTINCT FROM summary_all$$,
                'rfm_final(rfm_combine(new state, old stored state)) = rfm over all the rows of the customer');

------------------------------------------------------------------------------------------
-- bgnbd_model, mbgnbd_model, pareto_nbd_model, gamma_gamma_model, clv_fit_state
------------------------------------------------------------------------------------------
SELECT cmp_ok((SELECT count(*) FROM before_models WHERE st_text IS NOT NULL AND refit IS NOT NULL), '>=', 2::bigint,
              'models: the old release stored fitted models and their states to compare');
SELECT is_empty($$SELECT label FROM before_models
                  WHERE label IN ('fitted', 'weighted', 'given') AND (predictions IS NULL OR predictions LIKE '%,,%')$$,
                'models: the old release printed every prediction of the fitted and given models');
SELECT results_eq('SELECT label, models_text FROM model_probe ORDER BY label',
                  'SELECT label, models_text FROM before_models ORDER BY label',
                  'bgnbd_model, mbgnbd_model, pareto_nbd_model, gamma_gamma_model stored by the old release: text output unchanged');
SELECT results_eq('SELECT label, models_send FROM model_probe ORDER BY label',
                  'SELECT label, models_send FROM before_models ORDER BY label',
                  'models stored by the old release: record_send() bytes unchanged');
SELECT results_eq('SELECT label, st_text, spend_st_text FROM model_probe ORDER BY label',
                  'SELECT label, st_text, spend_st_text FROM before_models ORDER BY label',
                  'clv_fit_state stored by the old release: text output unchanged');
SELECT results_eq('SELECT label, st_send, spend_st_send FROM model_probe ORDER BY label',
                  'SELECT label, st_send, spend_st_send FROM before_models ORDER BY label',
                  'clv_fit_state stored by the old release: clv_fit_state_send() bytes unchanged');
SELECT results_eq('SELECT label, population FROM model_probe ORDER BY label',
                  'SELECT label, population FROM before_models ORDER BY label',
                  'models stored by the old release: expected_purchases(model, 365) of a new customer as the old release printed it');
SELECT results_eq('SELECT label, predictions FROM model_probe ORDER BY label',
                  'SELECT label, predictions FROM before_models ORDER BY label',
                  'models stored by the old release: p_alive, expected_purchases, expected_spend, predicted_clv, log_likelihood as the old release printed them (exactly)');
SELECT results_eq('SELECT label, refit FROM model_probe ORDER BY label',
                  'SELECT label, refit FROM before_models ORDER BY label',
                  'clv_fit_state stored by the old release: *_fit_final() gives the models the old release fitted from it');
SELECT is_empty($$SELECT label FROM stored_models
                  WHERE st IS NOT NULL
                    AND row(fields_before_1_6(bgnbd_fit_final(st)), fields_before_1_6(mbgnbd_fit_final(st)), fields_before_1_6(pareto_nbd_fit_final(st)), fields_before_1_6(gamma_gamma_fit_final(spend_st)))::text
                        IS DISTINCT FROM row(fields_before_1_6(bg), fields_before_1_6(mbg), fields_before_1_6(pnbd), fields_before_1_6(gg))::text$$,
                'clv_fit_state stored by the old release: the current *_fit_final() gives the stored models');
SELECT is_empty($$SELECT label FROM stored_models
                  WHERE st::text::clv_fit_state::text IS DISTINCT FROM st::text
                     OR clv_fit_state_send(st::text::clv_fit_state) IS DISTINCT FROM clv_fit_state_send(st)
                     OR spend_st::text::clv_fit_state::text IS DISTINCT FROM spend_st::text
                     OR clv_fit_state_send(spend_st::text::clv_fit_state) IS DISTINCT FROM clv_fit_state_send(spend_st)
                     OR bg::text::bgnbd_model::text IS DISTINCT FROM bg::text
                     OR mbg::text::mbgnbd_model::text IS DISTINCT FROM mbg::text
                     OR pnbd::text::pareto_nbd_model::text IS DISTINCT FROM pnbd::text
                     OR gg::text::gamma_gamma_model::text IS DISTINCT FROM gg::text$$,
                'clv_fit_state and the models stored by the old release: text round trip through the current input functions');

CREATE TEMP VIEW fit_fresh AS
SELECT part, bgnbd_fit(x, tx, t) AS bg, mbgnbd_fit(x, tx, t) AS mbg, pareto_nbd_fit(x, tx, t) AS pnbd,
       gamma_gamma_fit(x, m) AS gg, u_fit_state(x, tx, t) AS st, u_spend_fit_state(x, m) AS spend_st
FROM sim GROUP BY ROLLUP (part);
SELECT results_eq($$SELECT row(fields_before_1_6(bg), fields_before_1_6(mbg), fields_before_1_6(pnbd), fields_before_1_6(gg))::text, st::text, spend_st::text FROM fit_fresh WHERE part = 'old'$$,
                  $$SELECT row(fields_before_1_6(bg), fields_before_1_6(mbg), fields_before_1_6(pnbd), fields_before_1_6(gg))::text, st::text, spend_st::text FROM stored_models WHERE label = 'fitted'$$,
                  'models: the current fits over the same customers give the models and states the old release stored');
SELECT results_eq($$SELECT row(bgnbd_fit_final(c), mbgnbd_fit_final(c), pareto_nbd_fit_final(c), gamma_gamma_fit_final(sc))::text, c::text, sc::text
                    FROM (SELECT clv_fit_combine(s.st, n.st) AS c, clv_fit_combine(s.spend_st, n.spend_st) AS sc
                          FROM stored_models s, fit_fresh n WHERE s.label = 'fitted' AND n.part = 'new') q$$,
                  $$SELECT row(bg, mbg, pnbd, gg)::text, st::text, spend_st::text FROM fit_fresh WHERE part IS NULL$$,
                  'clv_fit_combine(old stored state, new state): the fits and the state over all the customers');
SELECT results_eq($$SELECT row(bgnbd_fit_final(c), mbgnbd_fit_final(c), pareto_nbd_fit_final(c), gamma_gamma_fit_final(sc))::text, c::text, sc::text
                    FROM (SELECT clv_fit_combine(n.st, s.st) AS c, clv_fit_combine(n.spend_st, s.spend_st) AS sc
                          FROM stored_models s, fit_fresh n WHERE s.label = 'weighted' AND n.part = 'new') q$$,
                  $$SELECT row(bg, mbg, pnbd, gg)::text, st::text, spend_st::text FROM fit_fresh WHERE part IS NULL$$,
                  'clv_fit_combine(new state, old stored weighted state): the fits and the state over all the customers');
\endif

SELECT * FROM finish();
