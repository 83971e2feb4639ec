-- order_stats on real data: the UCI "Online Retail" data set (541,909 order lines of a UK
-- online shop, 2010-12-01 .. 2011-12-09), from <retention_data>/online_retail/ (see its
-- README.md). The runner passes --set retention_data=/abs/path/to/shared/data, or an empty
-- string when the folder is missing: then the file skips.
--
-- First a few facts of the data README are pinned against plain SQL (so the load and the
-- analysts' cleaning are right), then every accessor of order_stats is checked against the
-- plain-SQL formulation: the lines variant over the cleaned lines (order = InvoiceNo), the
-- orders variant over one row per invoice, ungrouped and per Country and month, and the
-- lines variant over the raw data (refunds, NULL customers).

\if :{?retention_data}
\else
\set retention_data ''
\endif
-- (client side, as \copy reads it)
\set have_data `test -n :'retention_data' && test -r :'retention_data'/online_retail/online_retail.csv.gz && echo true || echo false`

\if :have_data

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(33);

-- InvoiceDate is UK wall-clock time (GMT / BST): loaded as timestamp, shown in London time
SET LOCAL TimeZone = 'Europe/London';
CREATE SCHEMA tap_online_retail;
SET LOCAL search_path = tap_online_retail, public;

\ir lib/online_retail_load.psql

------------------------------------------------------------------------------------------
-- Facts of the data README, against plain SQL
------------------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM online_retail_raw), 541909::int8, 'raw: 541,909 rows');
SELECT is((SELECT count(DISTINCT InvoiceNo) FROM online_retail_raw), 25900::int8, 'raw: 25,900 invoices');
SELECT is((SELECT count(DISTINCT CustomerID) FROM online_retail_raw WHERE CustomerID <> ''), 4372::int8,
          'raw: 4,372 distinct CustomerIDs');
SELECT is((SELECT count(*) FROM online_retail_raw WHERE CustomerID IS NULL OR CustomerID = ''), 135080::int8,
          'raw: 135,080 rows without CustomerID');
SELECT is((SELECT count(*) FROM online_retail_raw WHERE InvoiceNo LIKE 'C%'), 9288::int8,
          'raw: 9,288 cancellation rows');
SELECT is((SELECT count(*) FROM online_retail_raw WHERE Quantity <= 0), 10624::int8,
          'raw: 10,624 rows with Quantity <= 0');
SELECT is((SELECT sum(Quantity * UnitPrice)::text FROM online_retail_raw), '9747747.934',
          'raw: total of Quantity * UnitPrice 9,747,747.934');
SELECT results_eq('SELECT min(InvoiceDate), max(InvoiceDate) FROM online_retail_raw',
                  $$VALUES (timestamp '2010-12-01 08:26:00', timestamp '2011-12-09 12:50:00')$$,
                  'raw: first and last InvoiceDate');
SELECT is((SELECT count(DISTINCT customer) FROM lines), 4339::int8, 'cleaned: 4,339 customers');
SELECT is((SELECT count(*) FROM lines), 397924::int8, 'cleaned: 397,924 lines');
SELECT is((SELECT count(DISTINCT invoice_no) FROM lines), 18536::int8, 'cleaned: 18,536 invoices');
SELECT is((SELECT sum(revenue)::text FROM lines), '8911407.904', 'cleaned: revenue 8,911,407.904');
SELECT is((SELECT count(*) FROM lines WHERE revenue = 0), 40::int8, 'cleaned: 40 zero-price lines survive');
SELECT is((SELECT count(*) FROM (SELECT invoice_no FROM lines GROUP BY 1
                                 HAVING count(DISTINCT invoiced_at) > 1) x), 30::int8,
          'cleaned: 30 invoices have lines at two times (an order''s time is its earliest line)');
SELECT is_empty($$SELECT invoice_no FROM lines GROUP BY 1
                  HAVING count(DISTINCT customer) > 1 OR count(DISTINCT country) > 1$$,
                'cleaned: an invoice has one customer and one country');
SELECT is((SELECT count(*) FROM (SELECT customer FROM lines GROUP BY 1 HAVING count(DISTINCT country) > 1) x),
          8::int8, 'cleaned: 8 customers appear with two countries');
SELECT results_eq($$SELECT invoice_no, customer, sum(revenue)::text FROM lines
                    WHERE invoice_no IN ('541431', '581483') GROUP BY 1, 2 ORDER BY 1$$,
                  $$VALUES ('541431', 12346, '77183.600'), ('581483', 16446, '168469.600')$$,
                  'cleaned: the two huge invoices cancelled at once are kept (customer, amount)');

------------------------------------------------------------------------------------------
-- Helpers: the extension's query and the plain-SQL formulation, q_ext and q_sql of
-- lib/reference.psql (created in tap_online_retail)
------------------------------------------------------------------------------------------
\ir lib/reference.psql

------------------------------------------------------------------------------------------
-- order_stats against plain SQL
------------------------------------------------------------------------------------------
SELECT results_eq(q_ext('lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no', NULL),
                  q_sql('lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no', NULL),
                  'lines variant over the cleaned lines: every accessor = plain SQL');
SELECT results_eq(q_ext('invoices', 'customer', 'invoiced_at', 'amount', NULL, NULL),
                  q_sql('invoices', 'customer', 'invoiced_at', 'amount', NULL, NULL),
                  'orders variant over one row per invoice: every accessor = plain SQL');
SELECT results_eq(q_ext('lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no', NULL),
                  q_ext('invoices', 'customer', 'invoiced_at', 'amount', NULL, NULL),
                  'lines variant over lines = orders variant over invoices');
SELECT results_eq(q_ext('lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no', 'country'),
                  q_sql('lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no', 'country'),
                  'lines variant per Country: every accessor = plain SQL');
SELECT results_eq(q_ext('invoices', 'customer', 'invoiced_at', 'amount', NULL, 'country'),
                  q_sql('invoices', 'customer', 'invoiced_at', 'amount', NULL, 'country'),
                  'orders variant per Country: every accessor = plain SQL');
SELECT results_eq(q_ext('lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no',
                        'date_trunc(''month'', invoiced_at)'),
                  q_sql('lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no',
                        'date_trunc(''month'', invoiced_at)'),
                  'lines variant per month: every accessor = plain SQL');
SELECT results_eq(q_ext('invoices', 'customer', 'invoiced_at::date', 'amount', NULL,
                        'extract(isodow FROM invoiced_at)'),
                  q_sql('invoices', 'customer', 'invoiced_at::date::timestamp', 'amount', NULL,
                        'extract(isodow FROM invoiced_at)'),
                  'orders variant, date input, per weekday: every accessor = plain SQL');
SELECT results_eq(q_ext('invoices', 'customer', 'invoiced_at AT TIME ZONE ''Europe/London''', 'amount', NULL, NULL),
                  q_sql('invoices', 'customer', 'invoiced_at AT TIME ZONE ''Europe/London''', 'amount', NULL, NULL),
                  'orders variant, timestamptz input: every accessor = plain SQL');
-- other key types: text customers ('17850.0' as written), bigint invoice numbers
SELECT results_eq(q_ext('lines', 'customer_text', 'invoiced_at', 'revenue', 'invoice_no::int8', 'country'),
                  q_ext('lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no', 'country'),
                  'text customers and bigint order keys give the same answer per Country');
-- the raw data: refunds (negative amounts), cancellations, NULL customers ignored
SELECT results_eq(q_ext('raw_lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no', NULL),
                  q_sql('raw_lines', 'customer', 'invoiced_at', 'revenue', 'invoice_no', NULL),
                  'lines variant over the raw data: every accessor = plain SQL');
SELECT results_eq(q_ext('raw_lines', 'customer', 'invoiced_at', 'revenue', NULL, 'country'),
                  q_sql('raw_lines', 'customer', 'invoiced_at', 'revenue', NULL, 'country'),
                  'orders variant over raw rows per Country: every accessor = plain SQL');
SELECT is((SELECT ignored_rows(order_stats(customer, invoiced_at, revenue, invoice_no)) FROM raw_lines),
          (SELECT count(*) FROM raw_lines WHERE customer IS NULL),
          'raw data: ignored_rows = rows without CustomerID');

------------------------------------------------------------------------------------------
-- The headline figures, against plain SQL
------------------------------------------------------------------------------------------
CREATE TEMP TABLE headline AS
SELECT order_stats(customer, invoiced_at, revenue, invoice_no) AS s FROM lines;
SELECT is(customers(s), (SELECT count(DISTINCT customer) FROM lines), 'customers') FROM headline;
SELECT is(orders(s), (SELECT count(DISTINCT invoice_no) FROM lines), 'orders (distinct invoices)') FROM headline;

SELECT is(revenue(s)::text, (SELECT sum(revenue)::text FROM lines), 'revenue, same text as sum()') FROM headline;

SELECT is(repeat_customers(s),
          (SELECT count(*) FROM (SELECT customer FROM lines GROUP BY 1 HAVING count(DISTINCT invoice_no) >= 2) x),
          'repeat customers (2+ invoices)') FROM headline;

SELECT * FROM finish();
ROLLBACK;

\else

SELECT plan(1);
SELECT skip('shared data folder missing (retention_data is empty or has no online_retail/online_retail.csv.gz)', 1);
SELECT * FROM finish();

\endif
