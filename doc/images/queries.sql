-- doc/images/queries.sql: the queries behind the pictures of doc/images/ (run by
-- doc/images/make in a throwaway cluster; see doc/images/README.md).
--
--   psql -v data=/abs/path/to/shared/data -f queries.sql     (in the folder the CSVs go to)
--
-- Loads Online Retail and the CDNOW sample as the pgTAP data-set tests do
-- (test/pgtap/lib/online_retail_load.psql, test/pgtap/rfm_cdnow.sql, clv_cdnow.sql) and
-- writes the extension's results, as CSV with a header, into the current directory:
--   cohort_table.csv      Online Retail, monthly cohort_table
--   retention_curve.csv   Online Retail, monthly retention_curve
--   bgnbd_model.csv       CDNOW, BG/NBD fitted on the calibration period (to 1997-09-30)
--   bgnbd_weekly.csv      CDNOW, actual and BG/NBD-expected repeat transactions, weeks 1 .. 78
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS retention;

------------------------------------------------------------------------------------------
-- Online Retail (UCI): order lines of a UK shop, 2010-12-01 .. 2011-12-09 12:50.
-- InvoiceDate is UK wall-clock time: loaded as timestamp, periods in London time.
------------------------------------------------------------------------------------------
SET TimeZone = 'Europe/London';
CREATE TABLE online_retail_raw (InvoiceNo text, StockCode text, Description text, Quantity int,
    InvoiceDate timestamp, UnitPrice numeric(12,3), CustomerID text, Country text);
SELECT format('\copy online_retail_raw from program %L with (format csv, header true)',
              'gzip -dc ''' || replace(:'data' || '/online_retail/online_retail.csv.gz',
                                       '''', '''\''''') || '''') AS copy_command \gset
:copy_command

-- As analysts clean it (and the tests): known customers, no cancellations, positive quantities.
CREATE TABLE lines AS
SELECT InvoiceNo AS invoice_no, CustomerID::numeric::int AS customer, InvoiceDate AS invoiced_at,
       Quantity * UnitPrice AS revenue
FROM online_retail_raw
WHERE CustomerID <> '' AND InvoiceNo NOT LIKE 'C%' AND Quantity > 0;

-- One pass: the monthly cohort matrix, an order = an invoice.
CREATE TABLE retail_cohorts AS
SELECT cohort_agg(customer, invoiced_at, 'month', revenue, invoice_no) AS m FROM lines;

CREATE VIEW cohort_heatmap AS
SELECT cohort, period_offset, cohort_size, active, retention_rate, complete
FROM cohort_table((SELECT m FROM retail_cohorts))
ORDER BY cohort, period_offset;

CREATE VIEW curve AS
SELECT period_offset, cohorts, cohort_customers, active, retention_rate, mean_rate
FROM retention_curve((SELECT m FROM retail_cohorts))
ORDER BY period_offset;

\copy (SELECT * FROM cohort_heatmap) TO 'cohort_table.csv' WITH (FORMAT csv, HEADER)
\copy (SELECT * FROM curve) TO 'retention_curve.csv' WITH (FORMAT csv, HEADER)

------------------------------------------------------------------------------------------
-- CDNOW: the 1/10 sample (2,357 customers who first bought in Q1 1997, followed to
-- 1998-06-30 = 78 weeks). Time in weeks since 1997-01-01; calibration to 1997-09-30
-- (39 weeks), the conventions of the BTYD papers, lifetimes and the tests.
------------------------------------------------------------------------------------------
SET TimeZone = 'UTC';
-- whitespace-separated, CRLF, no header: master_id, sample_id, date, number_of_cds, dollar_value
CREATE TABLE cdnow_file (line text);
SELECT format('\copy cdnow_file from %L', :'data' || '/cdnow/CDNOW_sample.txt') AS copy_command \gset
:copy_command
CREATE TABLE cdnow AS
SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS ordered_on, f[5]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r\t'), '\s+') AS f
      FROM cdnow_file WHERE btrim(line, E' \r\t') <> '') x;

-- The calibration summary (rfm in days to 1997-09-30; later orders are not counted), in
-- weeks, and BG/NBD fitted on it.
CREATE TABLE calibration AS
SELECT customer, (r).frequency, (r).recency / 7 AS recency, (r).t / 7 AS t
FROM (SELECT customer, rfm(ordered_on, amount, date '1997-09-30') AS r FROM cdnow GROUP BY customer) q;
CREATE TABLE fit AS
SELECT bgnbd_fit(frequency, recency, t) AS bg FROM calibration;

\copy (SELECT (bg).r, (bg).alpha, (bg).a, (bg).b, (bg).log_likelihood, (bg).customers, (bg).converged, (SELECT sum(frequency) FROM calibration) AS calibration_repeat FROM fit) TO 'bgnbd_model.csv' WITH (FORMAT csv, HEADER)

-- Week w is days 7(w-1) .. 7w-1 after 1997-01-01. Actual: repeat transactions, i.e. the
-- customer's purchase days after the first (orders on one day are one transaction, as the
-- model counts them). Expected: the cohort's cumulative repeat transactions by the end of
-- week w are sum over customers of E[X(w - b)] for a new customer, b = first purchase day
-- in weeks since 1997-01-01 (BTYD walkthrough, lifetimes' expected_cumulative_transactions);
-- the weekly figure is the increment.
CREATE VIEW bgnbd_weekly AS
WITH days AS (
    SELECT DISTINCT customer, ordered_on - date '1997-01-01' AS day FROM cdnow
), firsts AS (
    SELECT customer, min(day) / 7.0 AS b FROM days GROUP BY customer
), actual AS (
    SELECT d.day / 7 + 1 AS week, count(*) AS repeat_transactions
    FROM days d JOIN firsts f USING (customer)
    WHERE d.day / 7.0 > f.b
    GROUP BY 1
), cumulative AS (
    SELECT w AS week,
           (SELECT coalesce(sum(expected_purchases(bg, w - b)), 0) FROM firsts WHERE b <= w) AS expected_cum
    FROM generate_series(0, 78) w, fit
)
SELECT c.week, coalesce(a.repeat_transactions, 0) AS actual,
       c.expected_cum - lag(c.expected_cum) OVER (ORDER BY c.week) AS expected,
       sum(coalesce(a.repeat_transactions, 0)) OVER (ORDER BY c.week) AS actual_cum,
       c.expected_cum
FROM cumulative c LEFT JOIN actual a USING (week)
ORDER BY c.week
OFFSET 1;

\copy (SELECT * FROM bgnbd_weekly) TO 'bgnbd_weekly.csv' WITH (FORMAT csv, HEADER)
