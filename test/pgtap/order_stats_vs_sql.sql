-- order_stats against plain SQL.
--
-- Deterministic data sets of several shapes (empty, one row, 1,000 and 50,000 rows, heavy
-- repeaters, one-time buyers only, mostly or only NULL amounts, refunds, mixed numeric
-- scales, NULL customers and times, extreme and daylight-saving times) are cast to every
-- customer key type and every time type; for each case every accessor of the summary
-- (and the text form of the numeric and interval results, to check scale and form) must
-- equal the plain-SQL formulation over the same table (q_sql of lib/reference.psql):
--   customers          count(DISTINCT customer)
--   orders             count(*)                 lines: count(DISTINCT order_key)
--   repeat_customers   customers with count(*) >= 2      lines: count(DISTINCT order_key) >= 2
--   revenue            sum(amount)
--   aov                sum(amount) / count(*)   lines: sum(amount) / count(DISTINCT order_key)
--   purchase_frequency orders::float8 / customers
--   repeat_rate        repeat_customers::float8 / customers
--   churn_rate         1 - repeat_rate
--   customer_value     sum(amount) / count(DISTINCT customer)
--   first_order_at     min(order time)::timestamptz
--   last_order_at      max(order time)::timestamptz   lines: an order's time is min(line time)
--   observation_window max(order time) - min(order time), on the input type's values
--                      (wall clock for timestamp and date, README "Reference")
--   ignored_rows       rows with NULL customer or NULL time (lines: or NULL order_key)
-- computed over the rows whose customer and time (and order key) are not NULL.
-- Then the same with GROUP BY, the lines variant with every order key type, and a few
-- hand-computed values and errors.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(311);

-- A zone with daylight saving: timestamp/date -> timestamptz conversions and wall-clock
-- windows differ from UTC ones, so a mix-up shows.
SET LOCAL TimeZone = 'Europe/Berlin';

------------------------------------------------------------------------------------------
-- Helpers (created inside the transaction, gone with the ROLLBACK)
------------------------------------------------------------------------------------------
CREATE SCHEMA tap_vs_sql;
SET LOCAL search_path = tap_vs_sql, public;

-- SQL expression turning the integer column `col` into a key of type `typ`.
CREATE FUNCTION key_expr(typ text, col text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE typ
        -- injective for 0 <= col < 65536, covers -32768 and negatives
        WHEN 'int2' THEN format('((%1$s %% 65536) - 32768)::int2', col)
        WHEN 'int4' THEN format('(%1$s * 40000 - 2000000000)::int4', col)
        WHEN 'int8' THEN format('(%1$s::int8 * 184467440737095 - 9223372036854775807)', col)
        -- short, long (> 16 bytes), non-ASCII and empty keys
        WHEN 'text' THEN format($$(CASE WHEN %1$s %% 1000 = 999 THEN ''
                                        WHEN %1$s %% 4 = 0 THEN %1$s::text
                                        WHEN %1$s %% 4 = 1 THEN 'customer-number-' || %1$s
                                        WHEN %1$s %% 4 = 2 THEN 'Müller-' || %1$s
                                        ELSE lpad(%1$s::text, 40, 'x') END)::text$$, col)
        -- 'v12' and 'v12 ' are two keys for varchar ...
        WHEN 'varchar' THEN format($$('v' || (%1$s / 2) || repeat(' ', %1$s %% 2))::varchar$$, col)
        -- ... but one key for char(n) (bpchar ignores trailing spaces)
        WHEN 'bpchar' THEN format($$('b' || (%1$s / 2) || repeat(' ', %1$s %% 3))::bpchar$$, col)
        WHEN 'uuid' THEN format($$md5('k' || %1$s)::uuid$$, col)
        -- long keys (> 16 bytes) that differ only in their last bytes
        WHEN 'longtext' THEN format($$('a-key-with-a-long-common-prefix-' || %1$s)::text$$, col)
    END
$f$;

CREATE FUNCTION time_expr(typ text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE typ WHEN 'timestamptz' THEN 't' WHEN 'timestamp' THEN 't::timestamp'
                    WHEN 'date' THEN 't::date' END
$f$;

-- q_ext (the extension's answer, every accessor), q_sql (the same in plain SQL),
-- accessor_list and explain_analyze, created in tap_vs_sql
\ir lib/reference.psql

-- Table d(seg, c, t, a, k): the rows of data set `ds` with customers of type ctype, times
-- of type ttype and order keys of type ktype (NULL: the orders variant, k NULL).
CREATE FUNCTION make_d(ds text, ctype text, ttype text, ktype text) RETURNS void
LANGUAGE plpgsql AS $f$
BEGIN
    DROP TABLE IF EXISTS d;
    EXECUTE format('CREATE TEMP TABLE d AS SELECT seg, %s AS c, %s AS t, a, %s AS k
                    FROM base WHERE ds = %L',
                   key_expr(ctype, 'ci'), time_expr(ttype),
                   coalesce(key_expr(ktype, 'ki'), 'NULL::int'), ds);
END
$f$;

-- The time column t of d for q_sql: a date as timestamp, so that max - min is an interval.
CREATE FUNCTION sql_time(ttype text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN ttype = 'date' THEN 't::timestamp' ELSE 't' END
$f$;

-- One case: table d of make_d (lines variant when ktype is given), every accessor vs
-- plain SQL; not grouped, or grouped by gexpr; rt: the accessors of s::text::order_stats.
CREATE FUNCTION check_case(ds text, ctype text, ttype text, ktype text DEFAULT NULL,
                           grouped bool DEFAULT false, rt bool DEFAULT false,
                           gexpr text DEFAULT 'seg')
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    kexpr text := CASE WHEN ktype IS NOT NULL THEN 'k' END;
    g text := CASE WHEN grouped THEN gexpr END;
BEGIN
    PERFORM make_d(ds, ctype, ttype, ktype);
    RETURN NEXT results_eq(
        q_ext('d', 'c', 't', 'a', kexpr, g, via_text => rt),
        q_sql('d', 'c', sql_time(ttype), 'a', kexpr, g),
        format('%s: %s, customer %s, %s%s%s: every accessor = plain SQL',
               ds, CASE WHEN ktype IS NOT NULL THEN 'lines, order_key ' || ktype ELSE 'orders' END,
               ctype, ttype,
               CASE WHEN NOT grouped THEN '' WHEN gexpr = 'seg' THEN ', GROUP BY segment'
                    ELSE ', GROUP BY ' || gexpr END,
               CASE WHEN rt THEN ', after s::text::order_stats' ELSE '' END));
END
$f$;

------------------------------------------------------------------------------------------
-- Data sets: base(ds, seg, ci, t, a, ki); ci/ki are mapped to each key type by key_expr.
------------------------------------------------------------------------------------------
CREATE TABLE base (ds text, seg int, ci int, t timestamptz, a numeric, ki int);

DO $do$
BEGIN
    -- one order
    INSERT INTO base VALUES ('single', 1, 42, '2021-03-28 01:30:00+00', 19.99, 7);

    -- 1,000 orders of 200 customers, amounts of mixed scales, some NULL, some negative
    PERFORM setseed(0.11);
    INSERT INTO base
    SELECT 'mixed', floor(random() * 4)::int, 1 + floor(random() * 200)::int,
           timestamptz '2019-01-01 00:00:00+00' + floor(random() * 86400 * 800) * interval '1 second',
           (ARRAY[10, 10.5, 0.333, 0.000001, 123456789012.34, -5.25, 0, NULL,
                  round((random() * 1000)::numeric, 2)])[1 + floor(random() * 9)::int],
           NULL
    FROM generate_series(1, 1000);

    -- 50,000 orders of ~25,000 customers: one-time buyers and repeaters mixed
    PERFORM setseed(0.22);
    INSERT INTO base
    SELECT 'big', floor(random() * 7)::int, floor(random() * 25000)::int,
           timestamptz '2018-06-01 00:00:00+00' + floor(random() * 86400 * 1500) * interval '1 second'
               + floor(random() * 1000000) * interval '1 microsecond',
           round((random() * 500 - 50)::numeric, 2), NULL
    FROM generate_series(1, 50000);

    -- heavy repeaters: 5,000 orders of 10 customers, several at the same instant
    PERFORM setseed(0.33);
    INSERT INTO base
    SELECT 'heavy', i % 3, 1 + floor(random() * 10)::int,
           timestamptz '2022-01-01 00:00:00+00' + floor(random() * 500) * interval '1 hour',
           round((random() * 100)::numeric, 3), NULL
    FROM generate_series(1, 5000) i;

    -- one-time buyers only: every customer has one order
    PERFORM setseed(0.44);
    INSERT INTO base
    SELECT 'onetime', i % 5, i,
           timestamptz '2020-02-01 00:00:00+00' + floor(random() * 86400 * 365) * interval '1 second',
           round((random() * 80)::numeric, 2), NULL
    FROM generate_series(1, 3000) i;

    -- mostly NULL amounts (90 %)
    PERFORM setseed(0.55);
    INSERT INTO base
    SELECT 'nullamounts', i % 4, floor(random() * 300)::int,
           timestamptz '2021-01-01 00:00:00+00' + floor(random() * 86400 * 400) * interval '1 second',
           CASE WHEN random() < 0.9 THEN NULL ELSE round((random() * 50)::numeric, 1) END, NULL
    FROM generate_series(1, 2000) i;

    -- only NULL amounts: orders and customers, but revenue NULL
    PERFORM setseed(0.66);
    INSERT INTO base
    SELECT 'allnull', i % 2, floor(random() * 100)::int,
           timestamptz '2021-05-01 00:00:00+00' + floor(random() * 86400 * 30) * interval '1 second',
           NULL, NULL
    FROM generate_series(1, 500) i;

    -- refunds: mostly negative amounts, net revenue negative; zero amounts
    PERFORM setseed(0.77);
    INSERT INTO base
    SELECT 'negative', i % 3, floor(random() * 150)::int,
           timestamptz '2020-10-01 00:00:00+00' + floor(random() * 86400 * 90) * interval '1 second',
           CASE WHEN random() < 0.7 THEN -round((random() * 200)::numeric, 2)
                WHEN random() < 0.5 THEN 0 ELSE round((random() * 100)::numeric, 2) END, NULL
    FROM generate_series(1, 1000) i;

    -- exact sums over wildly mixed scales and magnitudes
    PERFORM setseed(0.88);
    INSERT INTO base
    SELECT 'scales', i % 5, floor(random() * 400)::int,
           timestamptz '2017-01-01 00:00:00+00' + floor(random() * 86400 * 2000) * interval '1 second',
           (ARRAY[10, 10.5, 0.333, 1e-6, 123456789012.34, -123456789012.34, 7.000,
                  0.00000000000000000001, 99999999999999999999.99, -0.1, 0.0, 1e20,
                  3.14159265358979323846264338327950288])[1 + floor(random() * 13)::int],
           NULL
    FROM generate_series(1, 2000) i;

    -- NULL customers and NULL times mixed in
    PERFORM setseed(0.99);
    INSERT INTO base
    SELECT 'withnulls', CASE WHEN i % 37 = 0 THEN NULL ELSE i % 4 END,   -- NULL segments too
           CASE WHEN random() < 0.1 THEN NULL ELSE floor(random() * 250)::int END,
           CASE WHEN random() < 0.1 THEN NULL
                ELSE timestamptz '2019-03-01 00:00:00+00' + floor(random() * 86400 * 700) * interval '1 second' END,
           CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 300)::numeric, 2) END, NULL
    FROM generate_series(1, 1500) i;
    -- a segment made only of ignored rows
    INSERT INTO base VALUES ('withnulls', 9, NULL, '2020-01-01 00:00:00+00', 5, NULL),
                            ('withnulls', 9, 3, NULL, 6, NULL);

    -- only ignored rows: a zero summary with ignored_rows > 0
    INSERT INTO base SELECT 'onlyignored', i % 2, CASE WHEN i % 2 = 0 THEN NULL ELSE i END,
                            CASE WHEN i % 2 = 1 THEN NULL ELSE timestamptz '2020-01-01 00:00:00+00' END,
                            i, NULL
                     FROM generate_series(1, 20) i;

    -- far from today: BC and far future times (all finite times must work)
    INSERT INTO base VALUES
        ('extremes', 0, 1, '0100-06-01 12:00:00+00 BC', 1.5, NULL),
        ('extremes', 0, 1, '1901-12-13 20:45:52+00', 2.5, NULL),
        ('extremes', 1, 2, '200000-01-01 00:00:00+00', 3.25, NULL),
        ('extremes', 1, 3, '2038-01-19 03:14:08+00', 4, NULL),
        ('extremes', 1, 3, '1970-01-01 00:00:00+00', 5, NULL),
        ('extremes', 0, 2, '1999-12-31 23:59:59.999999+00', 6, NULL);

    -- around Europe/Berlin's daylight-saving changes (2021-03-28, 2021-10-31; the wall
    -- clock 02:30 on 2021-10-31 happens twice)
    INSERT INTO base VALUES
        ('dst', 0, 1, '2021-03-28 00:59:59+00', 1, NULL),
        ('dst', 0, 1, '2021-03-28 01:00:00+00', 2, NULL),
        ('dst', 1, 2, '2021-10-31 00:30:00+00', 3, NULL),
        ('dst', 1, 2, '2021-10-31 01:30:00+00', 4, NULL),
        ('dst', 0, 3, '2021-10-30 23:00:00+00', 5, NULL),
        ('dst', 1, 3, '2021-10-31 02:00:00+00', 6, NULL);

    -- Order lines: 900 orders (keys 1..900) of 300 customers, 1 to 5 lines each, lines
    -- up to 2 minutes apart; 2 % of lines carry another customer (an order key with two
    -- customers), 1 % are days off (an order key at two times), NULL keys, customers,
    -- times and amounts sprinkled in; segments per line, so an order may span segments.
    PERFORM setseed(0.123);
    INSERT INTO base
    SELECT 'lines', floor(random() * 3)::int,
           CASE WHEN random() < 0.01 THEN NULL
                WHEN random() < 0.02 THEN floor(random() * 300)::int ELSE o.ci END,
           CASE WHEN random() < 0.01 THEN NULL
                ELSE o.t0 + floor(random() * 3) * interval '1 minute'
                     + CASE WHEN random() < 0.01 THEN (floor(random() * 11) - 5) * interval '1 day'
                            ELSE interval '0' END END,
           CASE WHEN random() < 0.03 THEN NULL
                ELSE (ARRAY[1.25, 0.5, 19.99, 0.001, 250, -3.5, 0])[1 + floor(random() * 7)::int] END,
           CASE WHEN random() < 0.01 THEN NULL ELSE o.ki END
    FROM (SELECT ki, floor(random() * 300)::int AS ci, 1 + floor(random() * 5)::int AS n,
                 timestamptz '2020-01-01 00:00:00+00' + floor(random() * 86400 * 600) * interval '1 second' AS t0
          FROM generate_series(1, 900) ki) o
         CROSS JOIN LATERAL generate_series(1, o.n) l;

    -- 50,000 lines of 15,000 orders of 6,000 customers; segment per order
    PERFORM setseed(0.456);
    INSERT INTO base
    SELECT 'lines_big', o.ki % 5,
           CASE WHEN random() < 0.001 THEN floor(random() * 6000)::int ELSE o.ci END,
           o.t0 + floor(random() * 2) * interval '1 minute', round((random() * 40)::numeric, 2), o.ki
    FROM (SELECT ki, floor(random() * 6000)::int AS ci, 1 + floor(random() * 6)::int AS n,
                 timestamptz '2019-01-01 00:00:00+00' + floor(random() * 86400 * 700) * interval '1 second' AS t0
          FROM generate_series(1, 15000) ki) o
         CROSS JOIN LATERAL generate_series(1, o.n) l;

    -- Clustered order lines, in table order: the lines of an order follow each other, and
    -- an order's customers too. Every 7th order has a line of another customer in the
    -- middle; the first line of an order is its latest (its time is a later line's);
    -- every 11th order repeats after another order's lines (key seen again, not last).
    PERFORM setseed(0.789);
    INSERT INTO base
    SELECT 'clustered', o.ki % 3,
           CASE WHEN o.ki % 7 = 0 AND l = 3 THEN o.ci + 1 ELSE o.ci END,
           o.t0 + CASE WHEN l = 1 THEN interval '5 minutes' ELSE (l - 2) * interval '1 second' END,
           round((random() * 90)::numeric, 2), o.ki
    FROM (SELECT ki, ki / 3 AS ci, 1 + floor(random() * 5)::int AS n,
                 timestamptz '2021-06-01 00:00:00+00' + floor(random() * 86400 * 200) * interval '1 second' AS t0
          FROM generate_series(1, 2000) ki) o
         CROSS JOIN LATERAL generate_series(1, o.n) l
    ORDER BY o.ki, l;
    INSERT INTO base
    SELECT 'clustered', 9, ki / 3, timestamptz '2020-01-01 00:00:00+00' + ki * interval '1 hour', 1, ki
    FROM generate_series(11, 2000, 11) ki;

    -- lines, hand-made: key 1 has lines on 01-01 and 12-31 (its time is 01-01, so the
    -- last order is key 2 on 06-01, not 12-31); key 2 has two customers (2 and 3);
    -- customer 3 has keys 2 and 3 (a repeat customer); NULL customer / key / time rows.
    INSERT INTO base VALUES
        ('lines_edge', 0, 1, '2020-01-01 10:00:00+00', 10, 1),
        ('lines_edge', 0, 1, '2020-12-31 10:00:00+00', 5, 1),
        ('lines_edge', 1, 2, '2020-06-01 10:00:00+00', 1.5, 2),
        ('lines_edge', 1, 3, '2020-06-02 10:00:00+00', 2.25, 2),
        ('lines_edge', 0, 3, '2020-03-01 10:00:00+00', NULL, 3),
        ('lines_edge', 0, NULL, '2021-01-01 10:00:00+00', 100, 4),
        ('lines_edge', 1, 4, '2021-01-01 10:00:00+00', 100, NULL),
        ('lines_edge', 1, 5, NULL, 100, 5);
END
$do$;
-- orders data sets: every row its own order key (for the lines variant on them)
UPDATE base SET ki = n
FROM (SELECT ctid AS row_id, row_number() OVER (PARTITION BY ds ORDER BY ctid) AS n
      FROM base WHERE ds NOT LIKE 'lines%' AND ds <> 'clustered') r
WHERE base.ctid = r.row_id;
ANALYZE base;

------------------------------------------------------------------------------------------
-- The data sets have the shapes they are meant to have (plain SQL only).
------------------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM base WHERE ds = 'big'), 50000::int8, 'big has 50,000 rows');
SELECT ok((SELECT count(*) FROM (SELECT ci FROM base WHERE ds = 'big' GROUP BY ci HAVING count(*) = 1) x) > 1000
          AND (SELECT count(*) FROM (SELECT ci FROM base WHERE ds = 'big' GROUP BY ci HAVING count(*) >= 2) x) > 1000,
          'big has many one-time buyers and many repeaters');
SELECT is((SELECT count(*) FROM (SELECT ci FROM base WHERE ds = 'heavy' GROUP BY ci HAVING count(*) < 100) x),
          0::int8, 'heavy: every customer has 100+ orders');
SELECT is((SELECT count(DISTINCT ci) FROM base WHERE ds = 'onetime'), 3000::int8, 'onetime: 3,000 customers of one order');
SELECT ok((SELECT sum(a) < 0 FROM base WHERE ds = 'negative'), 'negative: net revenue is negative');
SELECT ok((SELECT count(*) FILTER (WHERE ci IS NULL) > 50 AND count(*) FILTER (WHERE t IS NULL) > 50
           FROM base WHERE ds = 'withnulls'), 'withnulls has NULL customers and NULL times');
SELECT ok((SELECT count(*) FROM (SELECT ki FROM base WHERE ds = 'lines' AND ci IS NOT NULL
                                 GROUP BY ki HAVING count(DISTINCT ci) > 1) x) > 5,
          'lines has order keys with two customers');
SELECT ok((SELECT count(*) FROM (SELECT ki FROM base WHERE ds = 'lines'
                                 GROUP BY ki HAVING max(t) - min(t) > interval '1 day') x) > 5,
          'lines has order keys at two times');
SELECT ok((SELECT count(*) FROM (SELECT ki FROM base WHERE ds = 'lines' GROUP BY ki HAVING count(*) > 1) x) > 300,
          'lines has multi-line orders');
SELECT ok((SELECT count(*) FROM (SELECT ki FROM base WHERE ds = 'clustered' AND ci IS NOT NULL
                                 GROUP BY ki HAVING count(DISTINCT ci) > 1) x) > 50,
          'clustered has order keys with two customers');

------------------------------------------------------------------------------------------
-- Orders variant: every data set x customer types int4, int8, text, uuid x all time types
------------------------------------------------------------------------------------------
SELECT check_case(ds, ctype, ttype)
FROM unnest(ARRAY['empty', 'single', 'mixed', 'big', 'heavy', 'onetime', 'nullamounts', 'allnull',
                  'negative', 'scales', 'withnulls', 'onlyignored', 'extremes', 'dst'])
         WITH ORDINALITY AS x(ds, i),
     unnest(ARRAY['int4', 'int8', 'text', 'uuid']) WITH ORDINALITY AS y(ctype, j),
     unnest(ARRAY['timestamptz', 'timestamp', 'date']) WITH ORDINALITY AS z(ttype, l)
ORDER BY i, j, l;

-- varchar, int2 and bpchar customers (varchar keys differing only in trailing spaces are
-- two customers, bpchar ones are one)
SELECT check_case(ds, ctype, ttype)
FROM unnest(ARRAY['mixed', 'withnulls', 'scales']) WITH ORDINALITY AS x(ds, i),
     unnest(ARRAY['varchar', 'int2', 'bpchar']) WITH ORDINALITY AS y(ctype, j),
     unnest(ARRAY['timestamptz', 'timestamp', 'date']) WITH ORDINALITY AS z(ttype, l)
ORDER BY i, j, l;

-- clustered rows (runs of one customer, of one order key), long keys differing at the end
SELECT check_case('clustered', ctype, ttype, ktype)
FROM (VALUES (1, 'longtext', 'timestamptz', NULL), (2, 'longtext', 'timestamp', 'longtext'),
             (3, 'longtext', 'date', 'longtext'), (4, 'bpchar', 'timestamptz', 'bpchar'),
             (5, 'varchar', 'timestamp', 'varchar'), (6, 'int8', 'timestamptz', 'longtext'),
             (7, 'text', 'timestamptz', 'uuid'), (8, 'int2', 'date', 'int4'),
             (9, 'uuid', 'timestamptz', 'text'), (10, 'bpchar', 'timestamp', NULL),
             (11, 'varchar', 'date', NULL)) v(i, ctype, ttype, ktype)
ORDER BY i;
SELECT check_case('clustered', 'longtext', 'timestamptz', 'longtext', true);
SELECT check_case('mixed', 'longtext', 'timestamptz', 'longtext');

-- text I/O round trip: the accessors of s::text::order_stats
SELECT check_case(ds, ctype, ttype, NULL, false, true)
FROM (VALUES (1, 'empty', 'int4', 'timestamptz'), (2, 'mixed', 'text', 'timestamp'),
             (3, 'scales', 'uuid', 'date'), (4, 'withnulls', 'int8', 'timestamptz'),
             (5, 'allnull', 'int4', 'date'), (6, 'extremes', 'int4', 'timestamp'),
             (7, 'dst', 'text', 'timestamptz')) v(i, ds, ctype, ttype)
ORDER BY i;

------------------------------------------------------------------------------------------
-- GROUP BY segment (a customer's orders fall into several segments)
------------------------------------------------------------------------------------------
SELECT check_case(ds, ctype, ttype, NULL, true)
FROM (VALUES (1, 'mixed', 'int4', 'timestamptz'), (2, 'mixed', 'text', 'timestamp'),
             (3, 'mixed', 'uuid', 'date'), (4, 'mixed', 'int8', 'timestamptz'),
             (5, 'big', 'int8', 'timestamptz'), (6, 'big', 'text', 'date'),
             (7, 'withnulls', 'int4', 'timestamp'), (8, 'withnulls', 'bpchar', 'timestamptz'),
             (9, 'scales', 'varchar', 'timestamptz'), (10, 'negative', 'int2', 'date'),
             (11, 'onlyignored', 'int4', 'timestamptz'), (12, 'empty', 'int4', 'timestamptz'),
             (13, 'extremes', 'uuid', 'timestamp')) v(i, ds, ctype, ttype)
ORDER BY i;

------------------------------------------------------------------------------------------
-- Lines variant: every order key type, with customer types and time types independent
------------------------------------------------------------------------------------------
SELECT check_case('lines', ctype, ttype, ktype)
FROM unnest(ARRAY['int2', 'int4', 'int8', 'text', 'varchar', 'bpchar', 'uuid'])
         WITH ORDINALITY AS k(ktype, i),
     unnest(ARRAY['timestamptz', 'timestamp', 'date']) WITH ORDINALITY AS z(ttype, l),
     LATERAL (SELECT (ARRAY['int4', 'text', 'uuid', 'int8', 'bpchar', 'varchar', 'int2'])
                         [1 + (i + l) % 7]) AS y(ctype)
ORDER BY i, l;

SELECT check_case(ds, ctype, ttype, ktype)
FROM (VALUES (1, 'lines_big', 'int4', 'timestamptz', 'int4'), (2, 'lines_big', 'text', 'timestamp', 'int8'),
             (3, 'lines_big', 'uuid', 'date', 'text'), (4, 'lines_big', 'int8', 'timestamptz', 'uuid'),
             (5, 'lines_edge', 'int4', 'timestamptz', 'int4'), (6, 'lines_edge', 'text', 'timestamp', 'text'),
             (7, 'lines_edge', 'uuid', 'date', 'int2'), (8, 'lines_edge', 'varchar', 'timestamptz', 'bpchar'),
             (9, 'empty', 'int4', 'timestamptz', 'int8'), (10, 'empty', 'text', 'date', 'text'),
             -- every row its own order key: the lines variant must equal the orders variant
             (11, 'mixed', 'int4', 'timestamptz', 'text'),
             (12, 'withnulls', 'int8', 'timestamp', 'int4'),
             (13, 'dst', 'int4', 'timestamp', 'int4'),
             (14, 'lines', 'int4', 'timestamptz', 'int4')) v(i, ds, ctype, ttype, ktype)
ORDER BY i;

-- with GROUP BY (an order can have lines in two segments: each segment counts it)
SELECT check_case(ds, ctype, ttype, ktype, true)
FROM (VALUES (1, 'lines', 'int4', 'timestamptz', 'int4'), (2, 'lines', 'text', 'timestamp', 'uuid'),
             (3, 'lines', 'uuid', 'date', 'bpchar'), (4, 'lines_big', 'int8', 'timestamptz', 'int8'),
             (5, 'lines_big', 'int2', 'date', 'varchar'), (6, 'lines_edge', 'int4', 'timestamptz', 'int4'))
         v(i, ds, ctype, ttype, ktype)
ORDER BY i;

-- the lines variant with text I/O round trip
SELECT check_case('lines', 'int8', 'timestamp', 'text', false, true);
SELECT check_case('lines_edge', 'int4', 'date', 'int4', true, true);

------------------------------------------------------------------------------------------
-- Hash aggregation that spills to disk (tiny work_mem), one group per customer
------------------------------------------------------------------------------------------
-- the extension's query runs with work_mem 64kB and no sorting (its result is kept in a
-- table), the plain SQL with the normal settings
CREATE FUNCTION check_spill(ds text, ctype text, ttype text, ktype text) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE
    kexpr text := CASE WHEN ktype IS NOT NULL THEN 'k' END;
    old_work_mem text := current_setting('work_mem');
    plan_text text;
BEGIN
    DROP TABLE IF EXISTS spilled;
    PERFORM make_d(ds, ctype, ttype, ktype);
    ANALYZE d;
    PERFORM set_config('work_mem', '64kB', true);
    PERFORM set_config('enable_sort', 'off', true);
    plan_text := explain_analyze('CREATE TEMP TABLE spilled AS '
                                 -- (without its ORDER BY, which would favour sorting)
                                 || regexp_replace(q_ext('d', 'c', 't', 'a', kexpr, 'c'),
                                                   'ORDER BY g$', ''));
    PERFORM set_config('work_mem', old_work_mem, true);
    PERFORM set_config('enable_sort', 'on', true);
    RETURN NEXT ok(plan_text ~ 'HashAggregate.*\n.*Batches: ([2-9]|\d\d)',
                   format('%s, GROUP BY customer, work_mem 64kB: a hash aggregate that spills', ds));
    IF NOT plan_text ~ 'HashAggregate.*\n.*Batches: ([2-9]|\d\d)' THEN
        RETURN NEXT diag(plan_text);
    END IF;
    RETURN NEXT results_eq('SELECT * FROM spilled ORDER BY 1',
                           q_sql('d', 'c', sql_time(ttype), 'a', kexpr, 'c'),
                           format('%s: %s, customer %s, %s, GROUP BY customer, spilled hash aggregate: every accessor = plain SQL',
                                  ds, CASE WHEN ktype IS NULL THEN 'orders' ELSE 'lines, order_key ' || ktype END,
                                  ctype, ttype));
END
$f$;
SELECT check_spill('big', 'int4', 'timestamptz', NULL);
SELECT check_spill('withnulls', 'text', 'timestamp', NULL);
SELECT check_spill('lines_big', 'int8', 'date', 'text');

------------------------------------------------------------------------------------------
-- As a window aggregate: the final function runs on a state that goes on growing
------------------------------------------------------------------------------------------
-- expected: the plain-SQL answer over each prefix (or frame) of the rows in ki order
CREATE FUNCTION expected_frames(src_ds text, lines bool, lo_offset int) RETURNS SETOF record
LANGUAGE plpgsql AS $f$
DECLARE
    n int;
BEGIN
    DROP TABLE IF EXISTS d;
    CREATE TEMP TABLE d AS SELECT seg, ci AS c, t, a, ki AS k FROM base WHERE ds = src_ds AND ki <= 60;
    FOR n IN SELECT DISTINCT k FROM d WHERE k IS NOT NULL ORDER BY 1 LOOP
        RETURN QUERY EXECUTE format('SELECT %s, x.* FROM (%s) x', n,
            q_sql(format('(SELECT * FROM d WHERE k <= %s AND k > %s) d0', n,
                         CASE WHEN lo_offset IS NULL THEN '-1' ELSE (n - lo_offset)::text END),
                  'c', 't', 'a', CASE WHEN lines THEN 'k' END, NULL));
    END LOOP;
END
$f$;

-- One case: order_stats(ci, t, a) (lines: order_stats(ci, t, a, ki)) OVER (ORDER BY ki
-- <frame>) over the rows of data set ds with ki <= 60, one row per ki: every accessor =
-- expected_frames (the frame: the rows up to ki, or with lo_offset the last lo_offset ones)
CREATE FUNCTION check_window(ds text, lines bool, frame text, lo_offset int, description text)
RETURNS text LANGUAGE sql AS $f$
    SELECT results_eq(
        format($q$SELECT DISTINCT ki, 0, %s
                  FROM (SELECT ki, order_stats(ci, t, a%s) OVER (ORDER BY ki%s) AS s
                        FROM base WHERE ds = %L AND ki <= 60) q
                  WHERE ki IS NOT NULL ORDER BY ki$q$,
               accessor_list(), CASE WHEN lines THEN ', ki' ELSE '' END, frame, ds),
        format($q$SELECT * FROM expected_frames(%L, %L, %s)
                      AS (n int, g int, cust int8, ord int8, rep int8, rev numeric, rev_t text, aov numeric,
                          aov_t text, f float8, rr float8, cr float8, cv numeric, cv_t text,
                          first timestamptz, last timestamptz, w interval, w_t text, ign int8, rt bool)$q$,
               ds, lines, coalesce(lo_offset::text, 'NULL')),
        description)
$f$;
SELECT check_window('withnulls', false, ' ROWS UNBOUNDED PRECEDING', NULL,
                    'window, running total (orders variant): every accessor = plain SQL over the prefix');
SELECT check_window('mixed', false, ' ROWS 4 PRECEDING', 5,
                    'window, sliding frame of 5 rows: every accessor = plain SQL over the frame');
-- (the default frame: the lines of one order key are peers, their rows are one)
SELECT check_window('lines', true, '', NULL,
                    'window, running by order key (lines variant): every accessor = plain SQL over the prefix');

-- the same aggregate twice, and both variants, in one query
SELECT results_eq(
    $$SELECT customers(order_stats(ci, t, a)), orders(order_stats(ci, t, a)),
             revenue(order_stats(ci, t, a))::text, orders(order_stats(ci, t, a, ki)),
             last_order_at(order_stats(ci, t::timestamp, a)), ignored_rows(order_stats(ci, t, a, ki))
      FROM base WHERE ds = 'lines'$$,
    $$SELECT count(DISTINCT ci) FILTER (WHERE t IS NOT NULL),
             count(*) FILTER (WHERE ci IS NOT NULL AND t IS NOT NULL),
             (sum(a) FILTER (WHERE ci IS NOT NULL AND t IS NOT NULL))::text,
             count(DISTINCT ki) FILTER (WHERE ci IS NOT NULL AND t IS NOT NULL),
             (max(t::timestamp) FILTER (WHERE ci IS NOT NULL))::timestamptz,
             count(*) FILTER (WHERE ci IS NULL OR t IS NULL OR ki IS NULL)
      FROM base WHERE ds = 'lines'$$,
    'several order_stats calls in one query');

------------------------------------------------------------------------------------------
-- Hand-computed values (lines_edge, see above)
------------------------------------------------------------------------------------------
CREATE TEMP TABLE edge AS
SELECT order_stats(ci, t, a, ki) AS s FROM base WHERE ds = 'lines_edge';
SELECT is(customers(s), 3::int8, 'lines_edge: customers 1, 2, 3') FROM edge;
SELECT is(orders(s), 3::int8, 'lines_edge: orders = keys 1, 2, 3 (key 2 with two customers counted once)') FROM edge;
SELECT is(repeat_customers(s), 1::int8, 'lines_edge: customer 3 (keys 2 and 3) is the only repeater') FROM edge;
SELECT is(revenue(s)::text, '18.75', 'lines_edge: revenue 10 + 5 + 1.5 + 2.25') FROM edge;
SELECT is(aov(s)::text, '6.2500000000000000', 'lines_edge: aov 18.75 / 3 as numeric / bigint') FROM edge;
SELECT is(first_order_at(s), timestamptz '2020-01-01 10:00:00+00', 'lines_edge: first order') FROM edge;
SELECT is(last_order_at(s), timestamptz '2020-06-01 10:00:00+00',
          'lines_edge: last order is key 2 (key 1''s later line does not move key 1)') FROM edge;
SELECT is(ignored_rows(s), 3::int8, 'lines_edge: NULL customer, NULL key, NULL time rows ignored') FROM edge;

-- a stored summary read under another TimeZone: timestamp input is wall-clock time and
-- converts in the session's zone at read time; timestamptz input is an instant
CREATE TEMP TABLE stored AS
SELECT order_stats(ci, t::timestamp, a) AS s_ts, order_stats(ci, t, a) AS s_tz,
       order_stats(ci, t::timestamp, a)::text AS s_ts_text, order_stats(ci, t, a)::text AS s_tz_text
FROM base WHERE ds = 'withnulls';
SET LOCAL TimeZone = 'America/Los_Angeles';
SELECT results_eq(
    $$SELECT first_order_at(s_ts), last_order_at(s_ts), observation_window(s_ts),
             first_order_at(s_tz), last_order_at(s_tz), observation_window(s_tz),
             s_ts::text = s_ts_text, s_tz::text = s_tz_text FROM stored$$,
    $$SELECT min(t AT TIME ZONE 'Europe/Berlin')::timestamptz, max(t AT TIME ZONE 'Europe/Berlin')::timestamptz,
             max(t AT TIME ZONE 'Europe/Berlin') - min(t AT TIME ZONE 'Europe/Berlin'),
             min(t), max(t), max(t) - min(t), true, true
      FROM base WHERE ds = 'withnulls' AND ci IS NOT NULL AND t IS NOT NULL$$,
    'summary made in Europe/Berlin, read in America/Los_Angeles: times as casts in the new zone');
SET LOCAL TimeZone = 'Europe/Berlin';

-- revenue scale exactly as sum()
SELECT is(revenue(order_stats(c, t, a))::text, '13.00', '10.50 + 2.5 = 13.00 (scale as sum())')
FROM (VALUES (1, timestamptz '2020-01-01', 10.50), (2, '2020-01-02', 2.5)) v(c, t, a);
SELECT is(revenue(order_stats(c, t, a))::text, '3.75', '1.5 + 2.25 = 3.75')
FROM (VALUES (1, timestamptz '2020-01-01', 1.5), (1, '2020-01-02', 2.25)) v(c, t, a);

-- empty input: a zero summary, not NULL
SELECT results_eq(
    $$SELECT s IS NULL, customers(s), orders(s), repeat_customers(s), revenue(s), aov(s),
             purchase_frequency(s), repeat_rate(s), churn_rate(s), customer_value(s),
             first_order_at(s), last_order_at(s), observation_window(s), ignored_rows(s)
      FROM (SELECT order_stats(ci, t, a) AS s FROM base WHERE false) q$$,
    $$VALUES (false, 0::int8, 0::int8, 0::int8, NULL::numeric, NULL::numeric, NULL::float8,
              NULL::float8, NULL::float8, NULL::numeric, NULL::timestamptz, NULL::timestamptz,
              NULL::interval, 0::int8)$$,
    'empty input: zero summary');

------------------------------------------------------------------------------------------
-- Errors
------------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT order_stats(1, timestamptz 'infinity', 1.0)$$, '22008', NULL,
                 'timestamptz infinity: ERROR 22008');
SELECT throws_ok($$SELECT order_stats(1, timestamp '-infinity', 1.0)$$, '22008', NULL,
                 'timestamp -infinity: ERROR 22008');
SELECT throws_ok($$SELECT order_stats(1, date 'infinity', 1.0)$$, '22008', NULL,
                 'date infinity: ERROR 22008');
SELECT throws_ok($$SELECT order_stats(1, timestamptz '-infinity', 1.0, 5)$$, '22008', NULL,
                 'lines, timestamptz -infinity: ERROR 22008');
SELECT throws_ok($$SELECT order_stats(1, timestamp 'infinity', 1.0, 'x'::text)$$, '22008', NULL,
                 'lines, timestamp infinity: ERROR 22008');
SELECT throws_ok($$SELECT order_stats(c, t, 1.0) FROM (VALUES (1, date '2020-01-01'), (2, date '-infinity')) v(c, t)$$,
                 '22008', NULL, 'date -infinity after finite rows: ERROR 22008');
SELECT throws_ok($$SELECT order_stats(1.5::numeric, timestamptz '2020-01-01', 1.0)$$, '42804', NULL,
                 'numeric customer: ERROR 42804');
SELECT throws_ok($$SELECT order_stats(1, timestamptz '2020-01-01', 1.0, 2.5::float8)$$, '42804', NULL,
                 'float8 order key: ERROR 42804');

SELECT * FROM finish();
ROLLBACK;
