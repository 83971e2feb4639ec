-- rfm on published reference data (<retention_data>, see each folder's README.md):
--   * CDNOW (cdnow/CDNOW_sample.txt, the 2,357-customer sample of the BTYD papers): rfm
--     with unit day and observed_until 1997-09-30, recency and t divided by 7 (weeks),
--     against cdnow/cdnow_customers_summary_with_transactions.csv (lifetimes' summary):
--     x exact, t_x and T within 0.005 (the file has 2 decimals), zbar within 0.01, for
--     every customer; and the 946 repeat buyers' spend (doc/clv_math.md#conventions;
--     mean 35.08, sd 30.28, median 27.50, min 2.99, max 299.63 per the data README);
--   * lifetimes' example_transactions.csv (no amounts): 5,000 customers, 14,270 distinct
--     customer-days, so the frequencies add up to 9,270.
-- The runner passes --set retention_data=/abs/path/to/shared/data, or an empty string when
-- the folder is missing: then the file skips with one skipped test (and each part whose
-- files are missing skips with one).

\if :{?retention_data}
\else
\set retention_data ''
\endif
-- (client side, as \copy reads them)
\set have_data `test -n :'retention_data' && test -d :'retention_data' && echo true || echo false`
\set have_cd `test -n :'retention_data' && test -r :'retention_data'/cdnow/CDNOW_sample.txt && test -r :'retention_data'/cdnow/cdnow_customers_summary_with_transactions.csv && echo true || echo false`
\set have_lt `test -n :'retention_data' && test -r :'retention_data'/lifetimes_datasets/example_transactions.csv && echo true || echo false`

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(CASE WHEN NOT :'have_data' THEN 1
                 ELSE CASE WHEN :'have_cd' THEN 12 ELSE 1 END + CASE WHEN :'have_lt' THEN 3 ELSE 1 END END);

CREATE SCHEMA tap_rfm_cdnow;
SET LOCAL search_path = tap_rfm_cdnow, public;
SET LOCAL TimeZone = 'UTC';

\if :have_data

\if :have_cd
------------------------------------------------------------------------------------------
-- CDNOW sample
------------------------------------------------------------------------------------------
-- whitespace-separated, CRLF, no header: master_id, sample_id, date, number_of_cds, dollar_value
CREATE TABLE cdnow_file (line text);
SELECT format('\copy cdnow_file from %L', :'retention_data' || '/cdnow/CDNOW_sample.txt') AS copy_command \gset
:copy_command
CREATE TABLE cdnow AS
SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS ordered_on, f[4]::int AS cds, f[5]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r\t'), '\s+') AS f FROM cdnow_file WHERE btrim(line, E' \r\t') <> '') x;
-- the published summary: ID,x,t_x,T,zbar (weeks, 2 decimals)
CREATE TABLE summary (id int, x int, t_x numeric, big_t numeric, zbar numeric);
SELECT format('\copy summary from %L with (format csv, header true)',
              :'retention_data' || '/cdnow/cdnow_customers_summary_with_transactions.csv') AS copy_command \gset
:copy_command

SELECT results_eq($$SELECT count(*), count(DISTINCT customer), min(ordered_on), max(ordered_on) FROM cdnow$$,
                  $$VALUES (6919::int8, 2357::int8, date '1997-01-01', date '1998-06-30')$$,
                  'CDNOW sample: 6,919 orders of 2,357 customers, 1997-01-01 .. 1998-06-30');
SELECT is((SELECT count(*) FROM summary), 2357::int8, 'the published summary has 2,357 customers');

-- rfm in weeks, as lifetimes (freq 'D', then / 7)
CREATE TABLE ours AS
SELECT customer, (r).frequency AS x, (r).recency / 7 AS t_x, (r).t / 7 AS big_t, (r).monetary_value AS zbar
FROM (SELECT customer, rfm(ordered_on, amount, date '1997-09-30') AS r FROM cdnow GROUP BY customer) q;

SELECT is((SELECT count(*) FROM ours o JOIN summary s ON s.id = o.customer), 2357::int8,
          'rfm gives a summary for every customer of the published summary (all first bought before 1997-09-30)');
SELECT is_empty($$SELECT s.id, o.x, s.x FROM summary s JOIN ours o ON o.customer = s.id WHERE o.x <> s.x$$,
                'x (frequency): exact for all 2,357 customers');
SELECT is_empty($$SELECT s.id, o.t_x, s.t_x FROM summary s JOIN ours o ON o.customer = s.id
                  WHERE abs(o.t_x - s.t_x::float8) > 0.005$$,
                't_x (recency / 7): within 0.005 of the published value for all customers');
SELECT is_empty($$SELECT s.id, o.big_t, s.big_t FROM summary s JOIN ours o ON o.customer = s.id
                  WHERE abs(o.big_t - s.big_t::float8) > 0.005$$,
                'T (t / 7): within 0.005 of the published value for all customers');
SELECT is_empty($$SELECT s.id, o.zbar, s.zbar FROM summary s JOIN ours o ON o.customer = s.id
                  WHERE abs(o.zbar - s.zbar) > 0.01$$,
                'zbar (monetary_value): within 0.01 of the published value for all customers');
-- the repeat buyers' spend, the input of Gamma-Gamma
SELECT is((SELECT count(*) FROM ours WHERE x > 0), 946::int8, '946 repeat buyers');
SELECT is((SELECT round(avg(zbar), 2) FROM ours WHERE x > 0), 35.08, 'repeat buyers: mean spend 35.08');
SELECT is((SELECT round(stddev_samp(zbar), 2) FROM ours WHERE x > 0), 30.28, 'repeat buyers: sd of spend 30.28');
SELECT ok((SELECT abs(percentile_cont(0.5) WITHIN GROUP (ORDER BY zbar) - 27.50) <= 0.01 FROM ours WHERE x > 0),
          'repeat buyers: median spend 27.50 (within 0.01)');
SELECT ok((SELECT abs(min(zbar) - 2.99) <= 0.01 AND abs(max(zbar) - 299.63) <= 0.01 FROM ours WHERE x > 0),
          'repeat buyers: spend from 2.99 to 299.63 (within 0.01)');
\else
SELECT skip('CDNOW files missing (retention_data has no cdnow/CDNOW_sample.txt or cdnow_customers_summary_with_transactions.csv)', 1);
\endif

\if :have_lt
------------------------------------------------------------------------------------------
-- lifetimes' example_transactions.csv (date,id; no amounts)
------------------------------------------------------------------------------------------
CREATE TABLE example (ordered_at timestamp, customer int);
SELECT format('\copy example from %L with (format csv, header true)',
              :'retention_data' || '/lifetimes_datasets/example_transactions.csv') AS copy_command \gset
:copy_command
SELECT results_eq($$SELECT count(*), count(DISTINCT customer), count(DISTINCT (customer, ordered_at::date)) FROM example$$,
                  $$VALUES (15273::int8, 5000::int8, 14270::int8)$$,
                  'example_transactions: 15,273 rows, 5,000 customers, 14,270 distinct customer-days');
-- lifetimes' summary_data_from_transaction_data(..., observation_period_end='2014-12-31'):
-- one row per customer, frequency = distinct days - 1, monetary 0 without amounts
SELECT results_eq($$SELECT count(*), sum((r).frequency), bool_and((r).recency <= (r).t),
                           bool_and((r).frequency > 0 OR (r).recency = 0), bool_and((r).monetary_value = 0)
                    FROM (SELECT rfm(ordered_at, NULL, timestamp '2014-12-31') AS r FROM example GROUP BY customer) q$$,
                  $$VALUES (5000::int8, 9270::int8, true, true, true)$$,
                  'example_transactions: 5,000 summaries, frequencies adding up to 14,270 - 5,000, recency <= T, no amounts');
SELECT results_eq($$SELECT max((r).t), min((r).t) >= 0 FROM (SELECT rfm(ordered_at, NULL, timestamp '2014-12-31') AS r
                                                             FROM example GROUP BY customer) q$$,
                  $$SELECT (date '2014-12-31' - min(ordered_at)::date)::float8, true FROM example$$,
                  'example_transactions: the longest T is from the first order of the data to 2014-12-31');
\else
SELECT skip('lifetimes_datasets/example_transactions.csv missing', 1);
\endif

\else
SELECT skip('shared data folder missing (retention_data is empty or not a folder)', 1);
\endif

SELECT * FROM finish();
ROLLBACK;
