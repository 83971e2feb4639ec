-- cohort_agg and its accessors (cohort_table, retention_curve, period_retention) on real
-- data, against the plain-SQL formulation of lib/cohort_reference.psql:
--   * the UCI "Online Retail" data set (<retention_data>/online_retail/, 2010-12-01 ..
--     2011-12-09, UK wall-clock times loaded as timestamp, TimeZone Europe/London), cleaned
--     as in online_retail.sql: the lines variant (order key = InvoiceNo) and the orders
--     variant over one row per invoice, monthly and weekly, per Country, over the raw data
--     (refunds, NULL customers), with observed_until, and with timestamptz, date and
--     text-customer inputs;
--   * CDNOW (<retention_data>/cdnow/CDNOW_master.txt, see its README.md: the customers who
--     first bought in Q1 1997, followed to 1998-06-30; dates), monthly, weekly, quarterly.
-- The runner passes --set retention_data=/abs/path/to/shared/data, or an empty string
-- when the folder is missing: then each part whose file is missing skips.

\if :{?retention_data}
\else
\set retention_data ''
\endif
-- (client side, as \copy reads them)
\set have_or `test -n :'retention_data' && test -r :'retention_data'/online_retail/online_retail.csv.gz && echo true || echo false`
\set have_cd `test -n :'retention_data' && test -r :'retention_data'/cdnow/CDNOW_master.txt && echo true || echo false`

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(CASE WHEN :'have_or' THEN 26 ELSE 1 END + CASE WHEN :'have_cd' THEN 18 ELSE 1 END);

CREATE SCHEMA tap_cohort_data;
SET LOCAL search_path = tap_cohort_data, public;

-- cohort_ext (the extension's query), cohort_sql (the plain SQL), created in tap_cohort_data
\ir lib/cohort_reference.psql

-- The accessors `kinds` of the extension against plain SQL, one test each (arguments of
-- cohort_ext / cohort_sql).
CREATE FUNCTION check_data(label text, rel text, cexpr text, texpr text, period text, aexpr text,
                           kexpr text, gexpr text DEFAULT NULL, obs text DEFAULT NULL,
                           kinds text[] DEFAULT '{table,curve,period}')
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    kind text;
BEGIN
    FOREACH kind IN ARRAY kinds LOOP
        RETURN NEXT results_eq(
            cohort_ext(kind, rel, cexpr, texpr, period, aexpr, kexpr, gexpr, obs),
            cohort_sql(kind, rel, cexpr, texpr, period, aexpr, kexpr, gexpr, obs),
            format('%s: %s = plain SQL', label,
                   CASE kind WHEN 'table' THEN 'cohort_table' WHEN 'curve' THEN 'retention_curve'
                             ELSE 'period_retention' END));
    END LOOP;
END
$f$;

\if :have_or
------------------------------------------------------------------------------------------
-- Online Retail
------------------------------------------------------------------------------------------
-- InvoiceDate is UK wall-clock time (GMT / BST): loaded as timestamp, periods in London time
SET LOCAL TimeZone = 'Europe/London';

\ir lib/online_retail_load.psql

-- the load, against the data README
SELECT is((SELECT count(*) FROM online_retail_raw), 541909::int8, 'Online Retail: 541,909 raw rows');
SELECT is((SELECT count(DISTINCT customer) FROM lines), 4339::int8, 'Online Retail: 4,339 customers after cleaning');
SELECT is((SELECT count(*) FROM (SELECT invoice_no FROM lines GROUP BY 1
                                 HAVING count(DISTINCT invoiced_at) > 1) x), 30::int8,
          'Online Retail: 30 invoices have lines at two times (an order counted once per cell)');

-- the headline figures of the extension, against plain SQL
SELECT is((SELECT sum(cohort_size) FROM cohort_table((SELECT cohort_agg(customer, invoiced_at, 'month', revenue, invoice_no)
                                                      FROM lines)) WHERE period_offset = 0),
          (SELECT count(DISTINCT customer) FROM lines)::numeric,
          'Online Retail, monthly: the cohort sizes add up to the customers');
SELECT results_eq($$SELECT cohort, cohort_size FROM cohort_table((SELECT cohort_agg(customer, invoiced_at, 'month', revenue,
                                                                                    invoice_no) FROM lines))
                    WHERE period_offset = 0 AND cohort = '2010-12-01'$$,
                  $$SELECT date '2010-12-01', count(DISTINCT customer) FROM lines
                    WHERE invoiced_at < '2011-01-01'$$,
                  'Online Retail, monthly: the December 2010 cohort is every customer of December 2010');

-- the lines (398k rows) in a few cases, the invoices (18.5k) in the others: the plain SQL
-- over the lines takes about a second a query
SELECT check_data('Online Retail, lines (order key InvoiceNo), month', 'lines', 'customer', 'invoiced_at',
                  'month', 'revenue', 'invoice_no', kinds => '{table,curve}');
SELECT check_data('Online Retail, lines (order key InvoiceNo), week', 'lines', 'customer', 'invoiced_at',
                  'week', 'revenue', 'invoice_no', kinds => '{table,period}');
SELECT check_data('Online Retail, lines, text customers, int8 order keys, month', 'lines', 'customer_text',
                  'invoiced_at', 'month', 'revenue', 'invoice_no::int8', kinds => '{table}');
SELECT check_data('Online Retail, raw lines (refunds, NULL customers), month', 'raw_lines', 'customer',
                  'invoiced_at', 'month', 'revenue', 'invoice_no', kinds => '{table}');
SELECT check_data('Online Retail, invoices (orders), month', 'invoices', 'customer', 'invoiced_at',
                  'month', 'amount', NULL);
SELECT check_data('Online Retail, invoices (orders), week', 'invoices', 'customer', 'invoiced_at',
                  'week', 'amount', NULL);
SELECT check_data('Online Retail, invoices, 3 arguments, quarter', 'invoices', 'customer', 'invoiced_at',
                  'quarter', NULL, NULL);
SELECT check_data('Online Retail, invoices, month, per Country', 'invoices', 'customer', 'invoiced_at',
                  'month', 'amount', NULL, 'country', kinds => '{table,curve}');
SELECT check_data('Online Retail, invoices, month, observed_until 2012-01-01 00:00 London', 'invoices', 'customer',
                  'invoiced_at', 'month', 'amount', NULL,
                  obs => $$'2012-01-01 00:00:00 Europe/London'$$, kinds => '{table,curve}');
SELECT check_data('Online Retail, invoices, timestamptz input, week', 'invoices', 'customer',
                  $$(invoiced_at AT TIME ZONE 'Europe/London')$$, 'week', 'amount', NULL, kinds => '{table}');
SELECT check_data('Online Retail, invoices, date input, month', 'invoices', 'customer', 'invoiced_at::date',
                  'month', 'amount', NULL, kinds => '{table}');

\else
SELECT skip('shared data folder missing (retention_data is empty or has no online_retail/online_retail.csv.gz)', 1);
\endif

\if :have_cd
------------------------------------------------------------------------------------------
-- CDNOW
------------------------------------------------------------------------------------------
SET LOCAL TimeZone = 'America/New_York';

-- whitespace-separated, fixed width, CRLF, one header line
CREATE TABLE cdnow_file (line text);
SELECT format('\copy cdnow_file from %L', :'retention_data' || '/cdnow/CDNOW_master.txt') AS copy_command \gset
:copy_command
CREATE TABLE cdnow AS
SELECT f[1] AS customer_text, f[1]::int AS customer, to_date(f[2], 'YYYYMMDD') AS ordered_on,
       f[3]::int AS cds, f[4]::numeric AS amount, row_number() OVER () AS id
FROM (SELECT regexp_split_to_array(btrim(line, E' \r\t'), '\s+') AS f FROM cdnow_file
      WHERE line !~ 'customer_id') x;
ANALYZE cdnow;

-- the load, against the data README
SELECT results_eq($$SELECT count(*), count(DISTINCT customer), sum(cds), sum(amount), min(ordered_on), max(ordered_on)
                    FROM cdnow$$,
                  $$VALUES (69659::int8, 23570::int8, 167881::int8, 2500315.63::numeric, date '1997-01-01',
                            date '1998-06-30')$$,
                  'CDNOW: 69,659 orders, 23,570 customers, 167,881 CDs, $2,500,315.63, 1997-01-01 .. 1998-06-30');
SELECT is((SELECT count(*) FROM (SELECT customer FROM cdnow GROUP BY 1 HAVING min(ordered_on) >= '1997-04-01') x),
          0::int8, 'CDNOW: every customer first bought in Q1 1997');

-- the headline figures of the extension, against the README
SELECT results_eq($$SELECT cohort, cohort_size FROM cohort_table((SELECT cohort_agg(customer, ordered_on, 'quarter', amount)
                                                                   FROM cdnow)) WHERE period_offset = 0$$,
                  $$VALUES (date '1997-01-01', 23570::int8)$$,
                  'CDNOW, quarterly: one cohort, Q1 1997, of 23,570 customers');
SELECT results_eq($$SELECT DISTINCT cohort FROM cohort_table((SELECT cohort_agg(customer, ordered_on, 'month')
                                                             FROM cdnow)) ORDER BY 1$$,
                  $$VALUES (date '1997-01-01'), ('1997-02-01'), ('1997-03-01')$$,
                  'CDNOW, monthly: the cohorts are January, February and March 1997');
SELECT is((SELECT sum(revenue) FROM cohort_table((SELECT cohort_agg(customer, ordered_on, 'week', amount) FROM cdnow))),
          2500315.63, 'CDNOW, weekly: the cells'' revenue adds up to $2,500,315.63');

SELECT check_data('CDNOW, month', 'cdnow', 'customer', 'ordered_on', 'month', 'amount', NULL);
SELECT check_data('CDNOW, week', 'cdnow', 'customer', 'ordered_on', 'week', 'amount', NULL);
SELECT check_data('CDNOW, quarter', 'cdnow', 'customer', 'ordered_on', 'quarter', 'amount', NULL,
                  kinds => '{table,curve}');
SELECT check_data('CDNOW, 3 arguments, month', 'cdnow', 'customer', 'ordered_on', 'month', NULL, NULL,
                  kinds => '{table}');
SELECT check_data('CDNOW, month, observed_until 1998-07-01 00:00 New York', 'cdnow', 'customer', 'ordered_on',
                  'month', 'amount', NULL, obs => $$'1998-07-01 00:00:00'$$, kinds => '{table,curve}');
SELECT check_data('CDNOW, text customers (as written), week, order key = row', 'cdnow', 'customer_text',
                  'ordered_on', 'week', 'amount', 'id', kinds => '{table,period}');

\else
SELECT skip('shared data folder missing (retention_data is empty or has no cdnow/CDNOW_master.txt)', 1);
\endif

SELECT * FROM finish();
ROLLBACK;
