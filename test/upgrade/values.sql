-- test/upgrade/values.sql (pgTAP): run by test/upgrade/run after the current build has
-- replaced an old release and ALTER EXTENSION retention UPDATE has run. The values the
-- old release stored (test/upgrade/store.sql) must read back exactly as the old release
-- printed them: text output, send() bytes, accessors, set-returning reports; they must
-- survive a text round trip through the current input functions; and the current
-- aggregates must work on them (an old stored state combined with a new one gives the
-- aggregate over all the rows).
-- psql variable: cohort = true when the old release had cohort_agg (1.1 and later).
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

SELECT * FROM finish();
