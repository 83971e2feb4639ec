-- Text I/O of cohort_matrix: exact text forms worked out by hand, round trips,
-- stored values, and clean errors (never a crash) on damaged text.
SET TimeZone = 'UTC';
CREATE TABLE ci_orders (customer int, ordered_at timestamptz, amount numeric);
INSERT INTO ci_orders VALUES
    (1,    '2024-01-10 10:00+00', 10.00),
    (1,    '2024-02-10 10:00+00',  5.50),
    (2,    '2024-01-20 00:00+00',  3),
    (3,    '2024-02-05 00:00+00',  NULL),
    (3,    '2024-03-05 10:00+00',  1.25),
    (1,    '2024-03-05 10:00+00',  2.00),
    (NULL, '2024-01-01 00:00+00',  1);        -- ignored
-- By hand (month): cohort Jan {1, 2}, cohort Feb {3}; activity offsets c1 {0,1,2}, c2 {0}, c3 {0,1}.
--   2024-01-01+0: active 2, active_prev 0, last 1 (c2), orders 2, revenue 10.00 + 3 = 13.00
--   2024-01-01+1: active 1, active_prev 1 (c1 in k0 and k1), last 0, orders 1, revenue 5.50
--   2024-01-01+2: active 1, active_prev 1, last 1 (c1), orders 1, revenue 2.00
--   2024-02-01+0: active 1, active_prev 0, last 0, orders 1, revenue 0 (NULL amount only)
-- [After the run: revenues are printed with the matrix's scale (the largest input scale, 2
-- here): 0 -> 0.00, and c2's lone 3 in the week matrix -> 3.00. Same numeric values as
-- sum(amount); the hand expectations below were changed to that scale.]
--   2024-02-01+1: active 1, active_prev 1, last 1, orders 1, revenue 1.25
-- latest order 2024-03-05 10:00 UTC, 1 ignored row, 5 cells.
SELECT cohort_agg(customer, ordered_at, 'month', amount) FROM ci_orders;
SELECT cohort_agg(customer, ordered_at, 'month') FROM ci_orders;
-- timestamp and date input: the same cells; latest_order_at without a zone
SELECT cohort_agg(customer, ordered_at AT TIME ZONE 'UTC', 'month') FROM ci_orders;
SELECT cohort_agg(customer, ordered_at::date, 'month') FROM ci_orders;
-- week: c1 Wed 01-10 -> week 01-08, Sat 02-10 -> 02-05 (+4), Tue 03-05 -> 03-04 (+8);
-- c2 Sat 01-20 -> 01-15; c3 Mon 02-05 -> 02-05, 03-05 -> 03-04 (+4). No two
-- consecutive active weeks: every active_prev is 0.
SELECT cohort_agg(customer, ordered_at, 'week', amount) FROM ci_orders;
-- The text form does not depend on DateStyle or TimeZone.
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'America/New_York';
SELECT cohort_agg(customer, ordered_at AT TIME ZONE 'UTC', 'month')::text =
       'v1 period=month time=timestamp revenue=none latest_order_at=2024-03-05T10:00:00 ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'
       AS same_text_other_style
FROM ci_orders;
RESET DateStyle;
SET TimeZone = 'UTC';

-- Round trips: value::text::cohort_matrix::text is the same text, for every period,
-- time type, both revenue modes, the lines variant and the empty matrix.
CREATE TABLE ci_stored (label text, m cohort_matrix);
INSERT INTO ci_stored
    SELECT 'month4', cohort_agg(customer, ordered_at, 'month', amount) FROM ci_orders UNION ALL
    SELECT 'month3', cohort_agg(customer, ordered_at, 'month') FROM ci_orders UNION ALL
    SELECT 'day_ts', cohort_agg(customer, ordered_at AT TIME ZONE 'UTC', 'day', amount) FROM ci_orders UNION ALL
    SELECT 'week_date', cohort_agg(customer, ordered_at::date, 'week') FROM ci_orders UNION ALL
    SELECT 'quarter', cohort_agg(customer::text, ordered_at, 'quarter', amount) FROM ci_orders UNION ALL
    SELECT 'year_lines', cohort_agg(customer, ordered_at, 'year', amount, customer * 10) FROM ci_orders UNION ALL
    SELECT 'empty', cohort_agg(customer, ordered_at, 'month', amount) FROM ci_orders WHERE false;
SELECT label, m::text::cohort_matrix::text = m::text AS text_round_trip,
       m::text = (SELECT cohort_agg(customer, ordered_at, 'month', amount)::text FROM ci_orders) AS equals_month4
FROM ci_stored ORDER BY label;
-- the empty matrix: no cells
SELECT m::text LIKE '% cells=0' AS no_cells, (SELECT count(*) FROM cohort_table(m)) AS table_rows
FROM ci_stored WHERE label = 'empty';
-- a stored value reads back with the same accessor results, also under another zone
-- (the latest order 2024-03-05 10:00 UTC is March in New York too)
SELECT cohort, period_offset, cohort_size, active, active_on_or_after, orders, revenue,
       round(cum_revenue_per_customer, 10) AS cum_rev, complete
FROM ci_stored, cohort_table(m) WHERE label = 'month4';
SET TimeZone = 'America/New_York';
SELECT (SELECT array_agg(t::text) FROM ci_stored, cohort_table(m) t WHERE label = 'month4') =
       (SELECT array_agg(t::text) FROM cohort_table(
            'v1 period=month time=timestamptz revenue=numeric latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2,13.00 2024-01-01+1:1,1,0,1,5.50 2024-01-01+2:1,1,1,1,2.00 2024-02-01+0:1,0,0,1,0.00 2024-02-01+1:1,1,1,1,1.25') t)
       AS same_from_literal;
SET TimeZone = 'UTC';
-- accessors read the literal: period_retention from the cells alone
--   Jan: E 2, N 2; Feb: S 2, E = J+1 (1) + F+0 (1) = 2, N 1, retained = J+1 active_prev 1, crr 1/2;
--   Mar: S 2, E = J+2 (1) + F+1 (1) = 2, N 0, retained 1 + 1 = 2, crr 1, rate 1, churn 0
SELECT * FROM period_retention('v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1');
-- Binary form (cohort_matrix_send): a value read back from its text sends the same bytes,
-- and the bytes do not depend on TimeZone. (Receiving needs COPY FROM a binary file,
-- which this suite does not do.)
SELECT label, cohort_matrix_send(m::text::cohort_matrix) = cohort_matrix_send(m) AS same_bytes,
       length(cohort_matrix_send(m)) > 0 AS has_bytes
FROM ci_stored ORDER BY label;
CREATE TABLE ci_bytes AS SELECT label, cohort_matrix_send(m) AS b FROM ci_stored;
SET TimeZone = 'Asia/Kolkata';
SELECT count(*) FILTER (WHERE cohort_matrix_send(s.m) = b.b) AS same_bytes_in_kolkata, count(*) AS values
FROM ci_stored s JOIN ci_bytes b USING (label);
SET TimeZone = 'UTC';

-- Damaged text: every value below is an ERROR with a SQLSTATE, never a crash.
-- The spec: text input errors are 22P02.
-- 'cell after latest' / 'latest before cohort': a cell whose period is after the period of
-- latest_order_at cannot come from cohort_agg (L is the period of the latest order).
-- 'active after all left': the last column says both customers' last active offset is 0,
-- so nobody can be active at offset 1 (active_on_or_after(1) = 2 - 2 = 0 < active 1).
CREATE TABLE ci_bad (label text, txt text);
INSERT INTO ci_bad VALUES
 ('valid',              'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('empty string',       ''),
 ('garbage',            'garbage'),
 ('version v2',         'v2 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('period months',      'v1 period=months time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('period hour',        'v1 period=hour time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('time interval',      'v1 period=month time=interval revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('revenue float8',     'v1 period=month time=timestamptz revenue=float8 latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('offsets unordered',  'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+1:1,1,0,1 2024-01-01+0:2,0,1,2 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('cohorts unordered',  'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1'),
 ('duplicate cell',     'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=6 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('active > size',      'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:3,1,0,3 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('negative active',    'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:-1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('negative orders',    'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,-1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('negative ignored',   'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=-1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('offset -1',          'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=6 2024-01-01+-1:1,0,0,1 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('no offset-0 cell',   'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=4 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+1:1,0,1,1'),
 ('sum last != size',   'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,0,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('last > active',      'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,0,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,2,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('prev > active',      'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,2,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('prev at offset 0',   'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,1,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('revenue with none',  'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2,13.00 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('revenue missing',    'v1 period=month time=timestamptz revenue=numeric latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2,13.00 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1,2.00 2024-02-01+0:1,0,0,1,0.00 2024-02-01+1:1,1,1,1,1.25'),
 ('revenue not numeric','v1 period=month time=timestamptz revenue=numeric latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2,13.00 2024-01-01+1:1,1,0,1,abc 2024-01-01+2:1,1,1,1,2.00 2024-02-01+0:1,0,0,1,0.00 2024-02-01+1:1,1,1,1,1.25'),
 ('huge cells count',   'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=999999999'),
 ('cells count short',  'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=4 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('count overflow',     'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,99999999999999999999 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('cohort mid-month',   'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-15+0:2,0,1,2 2024-01-15+1:1,1,0,1 2024-01-15+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('week not Monday',    'v1 period=week time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=1 2024-01-02+0:1,0,1,1'),
 ('bad date',           'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-30+0:1,0,0,1 2024-02-30+1:1,1,1,1'),
 ('cell after latest',  'v1 period=month time=timestamptz revenue=none latest_order_at=2024-02-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('latest without Z',   'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00 ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1'),
 ('latest before cohort','v1 period=month time=timestamptz revenue=none latest_order_at=2023-12-05T10:00:00Z ignored_rows=0 cells=1 2024-01-01+0:1,0,1,1'),
 ('active after all left','v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=0 cells=2 2024-01-01+0:2,0,2,2 2024-01-01+1:1,1,0,1'),
 ('prev > active(k-1)', 'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=0 cells=3 2024-01-01+0:2,0,0,2 2024-01-01+1:1,1,0,1 2024-01-01+2:2,2,2,2'),
 ('prev after a gap',   'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=0 cells=2 2024-01-01+0:2,0,1,2 2024-01-01+2:1,1,1,1'),
 ('trailing garbage',   'v1 period=month time=timestamptz revenue=none latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2 2024-01-01+1:1,1,0,1 2024-01-01+2:1,1,1,1 2024-02-01+0:1,0,0,1 2024-02-01+1:1,1,1,1 x');
SELECT label, CASE WHEN r = 'no error' THEN r ELSE left(r, 5) END AS result
FROM ci_bad, LATERAL sqlstate_of(format('SELECT %L::cohort_matrix', txt)) r;
-- the error text says what is wrong
SELECT txt::cohort_matrix FROM ci_bad WHERE label = 'sum last != size';
-- Every prefix of a valid value (lengths 0 .. length - 1) is rejected when the value
-- has no revenue (each prefix lacks a cell or a field).
SELECT count(*) = length(min(txt)) AS all_prefixes_tried,
       count(*) FILTER (WHERE r LIKE '22P02%') = count(*) AS all_rejected
FROM ci_bad, generate_series(0, length(txt) - 1) n,
     LATERAL sqlstate_of(format('SELECT %L::cohort_matrix', left(txt, n))) r
WHERE label = 'valid';
-- With revenue, the prefixes that cut the last revenue 1.25 to 1 or 1. or 1.2 are
-- other valid values (n - length = -3, -2, -1); all the others are rejected.
SELECT array_agg(n - length(txt) ORDER BY n) FILTER (WHERE r = 'no error') AS accepted,
       count(*) FILTER (WHERE r LIKE '22P02%') = count(*) - 3 AS others_rejected
FROM (SELECT 'v1 period=month time=timestamptz revenue=numeric latest_order_at=2024-03-05T10:00:00Z ignored_rows=1 cells=5 2024-01-01+0:2,0,1,2,13.00 2024-01-01+1:1,1,0,1,5.50 2024-01-01+2:1,1,1,1,2.00 2024-02-01+0:1,0,0,1,0.00 2024-02-01+1:1,1,1,1,1.25'::text AS txt) v,
     generate_series(0, length(txt) - 1) n,
     LATERAL sqlstate_of(format('SELECT %L::cohort_matrix', left(txt, n))) r;
-- Every single character replaced by 'x' is rejected.
SELECT count(*) FILTER (WHERE r LIKE '22P02%') = count(*) AS all_rejected
FROM ci_bad, generate_series(1, length(txt)) n,
     LATERAL sqlstate_of(format('SELECT %L::cohort_matrix', overlay(txt placing 'x' from n for 1))) r
WHERE label = 'valid';
