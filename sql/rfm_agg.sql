-- rfm_agg and rfm_table (1.7): the RFM summary of every customer from one aggregate.
-- Hand-computed cases, each key and time type, daylight saving, NULLs, every error with
-- its SQLSTATE, damaged values, empty input.  rfm_table must give exactly (as text, so
-- numeric scales count) the rows of rfm(...) GROUP BY customer, less the NULL summaries.
SET TimeZone = 'UTC';

------------------------------------------------------------------------------------------
-- By hand
------------------------------------------------------------------------------------------
CREATE TABLE ra_orders (customer bigint, ordered_on date, amount numeric);
INSERT INTO ra_orders VALUES
    -- customer 1: two orders on Fri 03-01 (one purchase of 12.50), Mon 03-04 5, Mon 03-11 1.125
    (1, '2024-03-01', 10.00), (1, '2024-03-01', 2.50), (1, '2024-03-11', 1.125), (1, '2024-03-04', 5),
    -- customer 2: one order, Tue 03-05
    (2, '2024-03-05', 7),
    -- customer 3: first order after the end (no row; rfm gives NULL)
    (3, '2024-04-02', 1),
    -- customer 4: two purchases without amounts, Sat 03-02 and Sat 03-09
    (4, '2024-03-02', NULL), (4, '2024-03-09', NULL),
    -- ignored: no customer, no time
    (NULL, '2024-03-01', 1), (5, NULL, 1);

-- observed until Sun 2024-03-31, in days:
--   1: periods 03-01, 03-04, 03-11: frequency 2, recency 10, t 30,
--      monetary_value (5 + 1.125) / 2 = 3.0625 (the first day's 12.50 left out)
--   2: frequency 0, recency 0, t 26 (03-05 .. 03-31), monetary_value 0
--   4: frequency 1, recency 7, t 29, monetary_value 0 / 1 (no amounts: a purchase worth 0)
SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders), date '2024-03-31', NULL::bigint)
ORDER BY customer;
-- the same in ISO weeks (Mondays 02-26, 03-04, 03-11; the end in the week of 03-25):
--   1: weeks 02-26, 03-04, 03-11: frequency 2, recency 2, t 4, monetary_value 3.0625
--   2: week 03-04: t 3;  4: weeks 02-26 and 03-04: frequency 1, recency 1, t 4
SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders), date '2024-03-31', 'week', NULL::bigint)
ORDER BY customer;
-- in months everything is March: one purchase each, t 0
SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders), date '2024-03-31', 'month', NULL::bigint)
ORDER BY customer;
-- observed until Mon 03-04: 1 has 03-01 and 03-04 (frequency 1, recency 3, t 3, 5 / 1);
-- 2 and 3 start later (no row); 4 has 03-02 (t 2)
SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders), date '2024-03-04', NULL::bigint)
ORDER BY customer;
-- each of these is rfm's answer
SELECT u, e, rows_diff(format('SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders), date %L, %L, NULL::bigint)', e, u),
                     format('SELECT customer, (r).* FROM (SELECT customer, rfm(ordered_on, amount, date %L, %L) AS r FROM ra_orders WHERE customer IS NOT NULL GROUP BY customer) q WHERE r IS NOT NULL', e, u)) AS differences
FROM (VALUES ('day'), ('week'), ('month')) us(u), (VALUES ('2024-02-29'), ('2024-03-01'), ('2024-03-04'), ('2024-03-31'), ('2025-01-01')) es(e)
ORDER BY u, e;
-- the summary's text form: version 1, date (3), integer keys (1), day (1), bigint (oid 20),
-- no time zone, 2 ignored rows, 8 rows, 4 customers in first-seen order, then each
-- customer's key, period count and periods (day number, form 0, scale, amount in 10^-8)
SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders;
-- the 3-argument form reads the summary in its own unit
SELECT rows_diff($$SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount, 'week') FROM ra_orders), date '2024-03-31', NULL::bigint)$$,
               $$SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders), date '2024-03-31', 'week', NULL::bigint)$$) AS week_grain_vs_day_read_in_weeks;
-- an untyped end of a date summary is read as the date it names
SELECT rows_diff($$SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders), '2024-03-31', NULL::bigint)$$,
               $$SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders), date '2024-03-31', NULL::bigint)$$) AS untyped_end;
-- a stored summary reads back the same, from text and through the binary form
CREATE TABLE ra_stored AS SELECT rfm_agg(customer, ordered_on, amount) AS s FROM ra_orders;
SELECT s::text::rfm_agg_state::text = s::text AS text_round_trip,
       rfm_agg_state_send(s) = decode(substr(s::text, 3), 'hex') AS send_is_hex_bytes
FROM ra_stored;
SELECT rows_diff($$SELECT * FROM rfm_table((SELECT s FROM ra_stored), date '2024-03-31', NULL::bigint)$$,
               $$SELECT * FROM rfm_table((SELECT s::text::rfm_agg_state FROM ra_stored), date '2024-03-31', NULL::bigint)$$) AS stored_vs_read_back;
-- the combine function: two halves combined are the whole
SELECT rows_diff($$SELECT * FROM rfm_table(rfm_agg_combine((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders WHERE amount > 4),
                                                          (SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders WHERE NOT amount > 4 OR amount IS NULL)),
                                         date '2024-03-31', NULL::bigint)$$,
               $$SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders), date '2024-03-31', NULL::bigint)$$) AS combined_halves;

------------------------------------------------------------------------------------------
-- Every key type, every time type, float amounts, amounts that do not fit 64 bits
------------------------------------------------------------------------------------------
CREATE TABLE ra_gen AS
SELECT i, 1 + (i * 7919) % 23 AS c, timestamptz '2024-01-01' + (i * 104729 % 8760) * interval '1 hour' + (i % 60) * interval '1 minute' AS at,
       CASE WHEN i % 17 = 0 THEN NULL WHEN i % 29 = 0 THEN 1e30 + i WHEN i % 31 = 0 THEN 0.000000001 * i ELSE round((i * 37 % 1000) / 7.0, i % 4) END AS amount
FROM generate_series(1, 600) i;
-- keys: each type (text keys longer than 16 bytes live outside the hash entries)
-- (char(n) keys come back without their trailing spaces, as char(n) compares them)
SELECT k, rows_diff(format('SELECT * FROM rfm_table((SELECT rfm_agg(%s, at, amount) FROM ra_gen), timestamptz %L, NULL::%s)', e, '2024-09-30', k),
                  format('SELECT k, (r).* FROM (SELECT %s AS k, rfm(at, amount, timestamptz %L) AS r FROM ra_gen GROUP BY 1) q WHERE r IS NOT NULL', coalesce(e2, e), '2024-09-30')) AS differences
FROM (VALUES ('smallint', 'c::smallint', NULL), ('integer', 'c::integer', NULL), ('bigint', 'c::bigint', NULL),
             ('text', $$'customer number ' || c$$, NULL), ('varchar', 'c::varchar', NULL),
             ('uuid', $$('00000000-0000-0000-0000-' || lpad(c::text, 12, '0'))::uuid$$, NULL),
             ('bpchar', 'c::char(3)', 'rtrim(c::char(3))::bpchar')) v(k, e, e2)
ORDER BY k;
SELECT customer, length(customer) FROM rfm_table((SELECT rfm_agg(c::char(3), at, amount) FROM ra_gen WHERE c = 7), timestamptz '2024-09-30', NULL::bpchar);
SELECT * FROM rfm_table((SELECT rfm_agg('customer number ' || c, at, amount) FROM ra_gen WHERE c <= 3), timestamptz '2024-09-30', NULL::text)
ORDER BY customer;
-- times: timestamptz, timestamp, date; every unit as the grain and read in every exact unit
SELECT tt, g, u, rows_diff(format('SELECT * FROM rfm_table((SELECT rfm_agg(c, at::%s, amount, %L) FROM ra_gen), %s %L, %L, NULL::int)', tt, g, tt, '2024-09-30 17:30', u),
                         format('SELECT c, (r).* FROM (SELECT c, rfm(at::%s, amount, %s %L, %L) AS r FROM ra_gen GROUP BY 1) q WHERE r IS NOT NULL', tt, tt, '2024-09-30 17:30', u)) AS differences
FROM (VALUES ('timestamptz'), ('timestamp'), ('date')) t(tt),
     (VALUES ('hour', 'hour'), ('hour', 'day'), ('hour', 'week'), ('hour', 'month'), ('day', 'day'), ('day', 'week'),
             ('day', 'month'), ('week', 'week'), ('month', 'month')) gu(g, u)
ORDER BY 1, 2, 3;
-- float8 and float4 amounts, converted as amount::numeric
SELECT rows_diff($$SELECT * FROM rfm_table((SELECT rfm_agg(c, at, (amount / 3)::float8) FROM ra_gen WHERE amount < 1e20), timestamptz '2024-09-30', NULL::int)$$,
               $$SELECT c, (r).* FROM (SELECT c, rfm(at, (amount / 3)::float8, timestamptz '2024-09-30') AS r FROM ra_gen WHERE amount < 1e20 GROUP BY 1) q WHERE r IS NOT NULL$$) AS float8_amounts,
       rows_diff($$SELECT * FROM rfm_table((SELECT rfm_agg(c, at, (amount / 3)::float4) FROM ra_gen WHERE amount < 1e20), timestamptz '2024-09-30', NULL::int)$$,
               $$SELECT c, (r).* FROM (SELECT c, rfm(at, (amount / 3)::float4, timestamptz '2024-09-30') AS r FROM ra_gen WHERE amount < 1e20 GROUP BY 1) q WHERE r IS NOT NULL$$) AS float4_amounts;
-- huge sums (1e30 does not fit 64 bits) read back from text
SELECT rows_diff($$SELECT * FROM rfm_table((SELECT rfm_agg(c, at, amount)::text::rfm_agg_state FROM ra_gen), timestamptz '2024-12-31', NULL::int)$$,
               $$SELECT c, (r).* FROM (SELECT c, rfm(at, amount, timestamptz '2024-12-31') AS r FROM ra_gen GROUP BY 1) q WHERE r IS NOT NULL$$) AS slow_sums_read_back;
-- rows out of time order (a customer's periods arrive in every order)
SELECT rows_diff($$SELECT * FROM rfm_table((SELECT rfm_agg(c, at, amount ORDER BY md5(i::text)) FROM ra_gen), timestamptz '2024-12-31', NULL::int)$$,
               $$SELECT * FROM rfm_table((SELECT rfm_agg(c, at, amount ORDER BY at DESC) FROM ra_gen), timestamptz '2024-12-31', NULL::int)$$) AS any_row_order,
       rows_diff($$SELECT * FROM rfm_table((SELECT rfm_agg(1, at, amount, 'hour' ORDER BY md5(i::text)) FROM ra_gen), timestamptz '2024-12-31', NULL::int)$$,
               $$SELECT 1, (rfm(at, amount, timestamptz '2024-12-31', 'hour')).* FROM ra_gen$$) AS one_customer_600_hours;

------------------------------------------------------------------------------------------
-- Daylight saving (America/New_York): 2024-03-10 has 23 hours, 2024-11-03 has 25
------------------------------------------------------------------------------------------
SET TimeZone = 'America/New_York';
CREATE TABLE ra_dst (customer int, at timestamptz, amount numeric);
INSERT INTO ra_dst VALUES
    -- 01:30 EST and 03:30 EDT: one day; in hours 01:00 and 03:00, one hour apart
    (1, '2024-03-10 01:30 EST', 1), (1, '2024-03-10 03:30 EDT', 2),
    -- the two 01:30s of 2024-11-03 (EDT, then EST): one day; two hours an hour apart
    (2, '2024-11-03 01:30 EDT', 1), (2, '2024-11-03 01:30 EST', 2),
    -- 23:30 local on 03-09 is 04:30 UTC on 03-10: a day of its own
    (3, '2024-03-09 23:30', 4), (3, '2024-03-10 00:30', 8);
-- hours: 1 frequency 1, recency 1 (03:00 EDT - 01:00 EST), 2 frequency 1, recency 1;
-- 3: 23:00 and 00:00, recency 1
SELECT * FROM rfm_table((SELECT rfm_agg(customer, at, amount, 'hour') FROM ra_dst), timestamptz '2024-11-03 02:00', NULL::int)
ORDER BY customer;
-- read in days: 1 and 2 one purchase, 3 two days
SELECT * FROM rfm_table((SELECT rfm_agg(customer, at, amount, 'hour') FROM ra_dst), timestamptz '2024-11-03 02:00', 'day', NULL::int)
ORDER BY customer;
SELECT g, u, rows_diff(format('SELECT * FROM rfm_table((SELECT rfm_agg(customer, at, amount, %L) FROM ra_dst), timestamptz %L, %L, NULL::int)', g, '2024-11-03 01:30 EST', u),
                     format('SELECT customer, (r).* FROM (SELECT customer, rfm(at, amount, timestamptz %L, %L) AS r FROM ra_dst GROUP BY 1) q WHERE r IS NOT NULL', '2024-11-03 01:30 EST', u)) AS differences
FROM (VALUES ('hour', 'hour'), ('hour', 'day'), ('day', 'day'), ('day', 'week'), ('hour', 'month')) v(g, u)
ORDER BY 1, 2;
-- a timestamptz summary remembers its time zone: read in another one, an ERROR (22023)
CREATE TABLE ra_dst_summary AS SELECT rfm_agg(customer, at, amount) AS s FROM ra_dst;
SET TimeZone = 'UTC';
SELECT sqlstate_of($$SELECT * FROM rfm_table((SELECT s FROM ra_dst_summary), timestamptz '2024-12-01', NULL::int)$$) AS other_time_zone;
SELECT * FROM rfm_table((SELECT s FROM ra_dst_summary), timestamptz '2024-12-01', NULL::int);
SELECT sqlstate_of($$SELECT rfm_agg_combine((SELECT s FROM ra_dst_summary), (SELECT rfm_agg(customer, at, amount) FROM ra_dst))$$) AS combine_other_time_zone;

------------------------------------------------------------------------------------------
-- Errors
------------------------------------------------------------------------------------------
-- customer_type other than the summary's customers: 42804 with the type to pass
SELECT sqlstate_of($$SELECT * FROM rfm_table((SELECT s FROM ra_stored), date '2024-03-31', NULL::int)$$) AS int_for_bigint,
       sqlstate_of($$SELECT * FROM rfm_table((SELECT s FROM ra_stored), date '2024-03-31', NULL::text)$$) AS text_for_bigint;
SELECT * FROM rfm_table((SELECT s FROM ra_stored), date '2024-03-31', NULL::int);
-- a unit that does not hold whole periods of the summary's: 22023 with the units that do
SELECT g, u, left(sqlstate_of(format('SELECT * FROM rfm_table((SELECT rfm_agg(c, at, amount, %L) FROM ra_gen), timestamptz %L, %L, NULL::int)', g, '2024-09-30', u)), 5) AS result
FROM (VALUES ('day', 'hour'), ('week', 'day'), ('week', 'month'), ('month', 'week'), ('month', 'day'), ('month', 'hour')) v(g, u)
ORDER BY 1, 2;
SELECT * FROM rfm_table((SELECT rfm_agg(c, at, amount, 'week') FROM ra_gen), timestamptz '2024-09-30', 'month', NULL::int);
-- unknown units (22023), NULL units (22004), of rfm_agg and of rfm_table
SELECT sqlstate_of($$SELECT rfm_agg(c, at, amount, 'quarter') FROM ra_gen$$) AS agg_quarter,
       sqlstate_of($$SELECT rfm_agg(c, at, amount, NULL) FROM ra_gen$$) AS agg_null_unit,
       sqlstate_of($$SELECT * FROM rfm_table((SELECT s FROM ra_stored), date '2024-03-31', 'year', NULL::bigint)$$) AS table_year,
       sqlstate_of($$SELECT * FROM rfm_table((SELECT s FROM ra_stored), date '2024-03-31', NULL, NULL::bigint)$$) AS table_null_unit;
SELECT * FROM rfm_table((SELECT s FROM ra_stored), date '2024-03-31', NULL, NULL::bigint);
-- observed_until NULL (22004), infinite (22008), of another time type (42804)
SELECT sqlstate_of($$SELECT * FROM rfm_table((SELECT s FROM ra_stored), NULL::date, NULL::bigint)$$) AS null_end,
       sqlstate_of($$SELECT * FROM rfm_table((SELECT s FROM ra_stored), date 'infinity', NULL::bigint)$$) AS infinite_end,
       sqlstate_of($$SELECT * FROM rfm_table((SELECT s FROM ra_stored), timestamp '2024-03-31', NULL::bigint)$$) AS timestamp_end_for_dates,
       sqlstate_of($$SELECT * FROM rfm_table((SELECT rfm_agg(c, at, amount) FROM ra_gen), date '2024-03-31', NULL::int)$$) AS date_end_for_timestamptz;
SELECT * FROM rfm_table((SELECT s FROM ra_stored), NULL::date, NULL::bigint);
SELECT * FROM rfm_table((SELECT s FROM ra_stored), timestamp '2024-03-31', NULL::bigint);
-- infinite order times (22008), unsupported customer types (42804)
SELECT sqlstate_of($$SELECT rfm_agg(1, timestamptz 'infinity', 1)$$) AS infinite_order,
       sqlstate_of($$SELECT rfm_agg(1.5, timestamptz '2024-01-01', 1)$$) AS numeric_customer;
SELECT rfm_agg(1.5, timestamptz '2024-01-01', 1);

------------------------------------------------------------------------------------------
-- Empty input, only ignored rows
------------------------------------------------------------------------------------------
SELECT rfm_agg(customer, ordered_on, amount) IS NULL AS no_rows_is_null FROM ra_orders WHERE false;
SELECT count(*) AS rows_of_null FROM rfm_table(NULL::rfm_agg_state, date '2024-03-31', NULL::bigint);
SELECT rfm_agg(customer, ordered_on, amount) AS only_ignored_rows FROM ra_orders WHERE customer IS NULL OR ordered_on IS NULL;
SELECT count(*) AS rows_of_only_ignored FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_orders WHERE customer IS NULL), date '2024-03-31', NULL::bigint);

------------------------------------------------------------------------------------------
-- Damaged values: text that is not hex 22P02, bytes that are not a summary 22P03.
-- Byte offsets of the date summary of ra_orders (no time zone name): 0 version, 1 time
-- type, 2 key class, 3 unit, 4 u32 customer type, 8 u8 time zone length (0), 9 u64
-- ignored rows, 17 u64 rows, 25 u32 customers, 29 first customer: u64 key, 37 u32
-- periods, 41 first cell: u64 period, 49 u8 form, 50 u16 scale, 52 u64 amount; the next
-- cell at 60
------------------------------------------------------------------------------------------
SELECT sqlstate_of($$SELECT ''::rfm_agg_state$$) AS empty, sqlstate_of($$SELECT '\xzz'::rfm_agg_state$$) AS not_hex,
       sqlstate_of($$SELECT '\x'::rfm_agg_state$$) AS no_bytes, sqlstate_of($$SELECT '\x02'::rfm_agg_state$$) AS version_2;
CREATE FUNCTION ra_patch(hex text, byte_offset int, bytes text) RETURNS text LANGUAGE sql AS
$$ SELECT overlay(hex PLACING bytes FROM 3 + 2 * byte_offset FOR length(bytes)) $$;
-- The value damaged below is this summary as an ordinary value writes it: its customers
-- in first-seen order (1, 2, 3, 4), without the hash-order flag (rfm_agg's own result lists
-- them in key-hash order since 1.7, and a hash-ordered value is checked for that first).
CREATE TABLE ra_good AS SELECT '\x01030101140000000002000000000000000800000000000000040000000100000000000000030000007a22000000000000000200807c814a000000007d220000000000000000000065cd1d000000008422000000000000000300209db406000000000200000000000000010000007e220000000000000000000027b929000000000300000000000000010000009a2200000000000000000000e1f505000000000400000000000000020000007b22000000000000000000000000000000000082220000000000000000000000000000000000'::text AS hex;
SELECT rows_diff($$SELECT * FROM rfm_table((SELECT s FROM ra_stored), date '2024-03-31', NULL::bigint)$$,
               $$SELECT * FROM rfm_table((SELECT hex::rfm_agg_state FROM ra_good), date '2024-03-31', NULL::bigint)$$) AS first_seen_order_same;
SELECT what, sqlstate_of(format('SELECT * FROM rfm_table(%L::rfm_agg_state, date %L, NULL::bigint)', ra_patch(hex, o, b), '2024-03-31')) AS result
FROM ra_good, (VALUES ('time type 4', 1, '04'), ('key class 4', 2, '04'), ('unit 5', 3, '05'),
                      ('customer type numeric', 4, 'a4060000'), ('customer type int4', 4, '17000000'),
                      ('time zone on dates', 8, '01'), ('ignored rows negative', 9, 'ffffffffffffffff'),
                      ('rows fewer than periods', 17, '03'), ('customers too many', 25, 'ff'),
                      ('no periods', 37, '00000000'), ('periods too many', 37, 'ff'),
                      ('period not a date', 41, 'ffffffffffffff7f'), ('unknown form', 49, '02'),
                      ('scale 16384', 50, '0040'), ('units past the scale', 52, '01'),
                      ('periods not ascending', 60, '00')) v(what, o, b)
ORDER BY o, what;
SELECT ra_patch(hex, 60, '00')::rfm_agg_state FROM ra_good;
SELECT sqlstate_of(format('SELECT %L::rfm_agg_state', hex || '00')) AS trailing_byte FROM ra_good;
-- a customer twice (the second customer's key patched to the first's)
SELECT sqlstate_of(format('SELECT %L::rfm_agg_state', ra_patch(hex, 41 + 3 * 19, '01'))) AS duplicate_customer FROM ra_good;
-- every truncation is rejected
SELECT count(*) AS truncations, count(*) FILTER (WHERE r LIKE '22P03%') AS rejected
FROM ra_good, generate_series(0, (length(hex) - 2) / 2 - 1) n,
     LATERAL sqlstate_of(format('SELECT %L::rfm_agg_state', left(hex, 2 + 2 * n))) r;
-- every single-byte change: an error, or a valid summary that rfm_table reads; never a crash
SELECT count(*) AS changes, count(*) FILTER (WHERE r LIKE '22P03%') AS rejected,
       count(*) FILTER (WHERE r = 'no error') AS still_valid,
       count(*) FILTER (WHERE r <> 'no error' AND r NOT LIKE '22P03%' AND r NOT LIKE '42804%') AS other
FROM ra_good, generate_series(0, (length(hex) - 2) / 2 - 1) n, (VALUES (1), (128), (255)) x(m),
     LATERAL (SELECT lpad(to_hex(('x' || substr(hex, 3 + 2 * n, 2))::bit(8)::int # m), 2, '0') AS b) nb,
     LATERAL sqlstate_of(format('SELECT count(*) FROM rfm_table(%L::rfm_agg_state, date %L, NULL::bigint)', ra_patch(hex, n, nb.b), '2024-03-31')) r;

-- binary values through COPY (FORMAT binary), read by rfm_agg_state_recv: a bytea's
-- binary form is its bytes; damaged ones are rejected (22P03), good ones read back
CREATE TABLE ra_bytes (b bytea);
INSERT INTO ra_bytes SELECT decode(substr(ra_patch(hex, 60, '00'), 3), 'hex') FROM ra_good;
CREATE TABLE ra_read (s rfm_agg_state);
DO $$
DECLARE path text := current_setting('data_directory') || '/retention_rfm_agg_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY ra_bytes TO %L (FORMAT binary)', path);
    EXECUTE format('COPY ra_read FROM %L (FORMAT binary)', path);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'COPY FROM: %: %', SQLSTATE, SQLERRM;
END $$;
TRUNCATE ra_bytes;
INSERT INTO ra_bytes SELECT decode(substr(hex, 3), 'hex') FROM ra_good;
DO $$
DECLARE path text := current_setting('data_directory') || '/retention_rfm_agg_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY ra_bytes TO %L (FORMAT binary)', path);
    EXECUTE format('COPY ra_read FROM %L (FORMAT binary)', path);
END $$;
SELECT count(*) AS read, bool_and(r.s::text = g.hex) AS same FROM ra_read r, ra_good g;

------------------------------------------------------------------------------------------
-- Parallel and partitionwise plans: the leader keeps the partial states as runs sorted by
-- customer hash and the final function merges them in one pass (src/rfm_agg_runs.c).
-- Customers 239755 and 261619 have the same 32-bit key hash, and so have 198591 and
-- 420281: the merge must still tell them apart.  Each partition of ra_collide makes one
-- partial state, so three meet; customers 101 to 110 are in all three.  By hand, observed
-- until 2024-04-30, in days:
--   239755: 01-03 in parts 0 and 2 (1.5 + 0.25): one period, t 118 (01-03 .. 04-30)
--   261619: 01-31: t 90
--   198591: 02-10 in parts 0 and 1 (3 + 4), 03-10 (0.001): frequency 1, recency 29,
--           t 80, monetary_value 0.001
--   420281: 02-01 (2.25), 03-31 (no amount: worth 0), 04-02 in every part (5e10 + 5e10
--           + 5: over 64-bit units once two are added): frequency 2, recency 61, t 89,
--           monetary_value (0 + 100000000005) / 2 = 50000000002.5
--   7: 03-15 (10), 03-16 (20 in part 2 and 1e30 in part 1): frequency 1, recency 1,
--           t 46, monetary_value 1e30 + 20
--   101 to 110: 02-15 in every part: one period, t 75
--   44 rows, 1 ignored (no customer)
------------------------------------------------------------------------------------------
SET max_parallel_workers_per_gather = 0;
CREATE TABLE ra_collide (part int, customer int8, ordered_on date, amount numeric)
    PARTITION BY LIST (part);
CREATE TABLE ra_collide_0 PARTITION OF ra_collide FOR VALUES IN (0);
CREATE TABLE ra_collide_1 PARTITION OF ra_collide FOR VALUES IN (1);
CREATE TABLE ra_collide_2 PARTITION OF ra_collide FOR VALUES IN (2);
INSERT INTO ra_collide VALUES
    (0, 239755, '2024-01-03', 1.5), (0, 198591, '2024-02-10', 3), (0, 420281, '2024-04-02', 50000000000),
    (0, NULL, '2024-01-01', 100),
    (1, 261619, '2024-01-31', 7), (1, 198591, '2024-02-10', 4), (1, 198591, '2024-03-10', 0.001),
    (1, 420281, '2024-03-31', NULL), (1, 420281, '2024-04-02', 50000000000), (1, 7, '2024-03-16', 1e30),
    (2, 239755, '2024-01-03', 0.25), (2, 420281, '2024-02-01', 2.25), (2, 420281, '2024-04-02', 5),
    (2, 7, '2024-03-15', 10), (2, 7, '2024-03-16', 20);
INSERT INTO ra_collide SELECT part, c, '2024-02-15', 1 FROM generate_series(0, 2) part, generate_series(101, 110) c;
ANALYZE ra_collide;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT rfm_agg(customer, ordered_on, amount) FROM ra_collide;
SET client_min_messages = debug1;
SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_collide), date '2024-04-30', NULL::bigint)
ORDER BY customer;
RESET client_min_messages;
-- the merged summary's counts (little-endian hex: 1 ignored row, 44 rows, 15 customers),
-- and it reads back through the validating input
SELECT substr(s::text, 3 + 2 * 9, 16) AS ignored_rows, substr(s::text, 3 + 2 * 17, 16) AS rows,
       substr(s::text, 3 + 2 * 25, 8) AS customers, s::text::rfm_agg_state IS NOT NULL AS reads_back
FROM (SELECT rfm_agg(customer, ordered_on, amount) AS s FROM ra_collide) q;
-- the same rows (as text) as one plain state's and as rfm's, in every unit and end
SET enable_partitionwise_aggregate = off;
CREATE TABLE ra_collide_one AS
    SELECT u, e, r.*
    FROM (VALUES ('day'), ('week'), ('month')) us(u), (VALUES ('2024-02-10'), ('2024-03-31'), ('2024-04-30')) es(e),
         LATERAL rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_collide), e::date, u, NULL::bigint) r;
SET enable_partitionwise_aggregate = on;
SELECT rows_diff($$SELECT * FROM ra_collide_one$$,
               $$SELECT u, e, r.* FROM (VALUES ('day'), ('week'), ('month')) us(u), (VALUES ('2024-02-10'), ('2024-03-31'), ('2024-04-30')) es(e),
                        LATERAL rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_collide), e::date, u, NULL::bigint) r$$) AS one_state_differences,
       rows_diff($$SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_collide), date '2024-04-30', NULL::bigint)$$,
               $$SELECT customer, (r).* FROM (SELECT customer, rfm(ordered_on, amount, date '2024-04-30') AS r FROM ra_collide WHERE customer IS NOT NULL GROUP BY 1) q WHERE r IS NOT NULL$$) AS rfm_differences;
-- text keys over 16 bytes
CREATE TABLE ra_long (part int, customer text, ordered_on date, amount numeric) PARTITION BY LIST (part);
CREATE TABLE ra_long_0 PARTITION OF ra_long FOR VALUES IN (0);
CREATE TABLE ra_long_1 PARTITION OF ra_long FOR VALUES IN (1);
CREATE TABLE ra_long_2 PARTITION OF ra_long FOR VALUES IN (2);
INSERT INTO ra_long SELECT part, 'a customer with a long name, number ' || customer, ordered_on, amount FROM ra_collide;
ANALYZE ra_long;
SET client_min_messages = debug1;
SELECT rows_diff($$SELECT * FROM rfm_table((SELECT rfm_agg(customer, ordered_on, amount) FROM ra_long), date '2024-04-30', NULL::text)$$,
               $$SELECT 'a customer with a long name, number ' || customer, frequency, recency, t, monetary_value FROM ra_collide_one WHERE u = 'day' AND e = '2024-04-30'$$) AS long_keys_differences;
RESET client_min_messages;
-- a combined state that is not finalized at once is settled first: a state aggregate
-- without a final function, read back through its text form
CREATE AGGREGATE pg_temp.ra_state_agg(anyelement, date, numeric) (
    SFUNC = rfm_agg_trans, STYPE = rfm_agg_state, COMBINEFUNC = rfm_agg_combine, PARALLEL = SAFE);
SELECT rows_diff($$SELECT * FROM rfm_table((SELECT pg_temp.ra_state_agg(customer, ordered_on, amount)::text::rfm_agg_state FROM ra_collide), date '2024-04-30', NULL::bigint)$$,
               $$SELECT customer, frequency, recency, t, monetary_value FROM ra_collide_one WHERE u = 'day' AND e = '2024-04-30'$$) AS settled_differences;
RESET enable_partitionwise_aggregate;
-- parallel workers send their states flattened in hash order
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT rfm_agg(c, at, amount) FROM ra_gen;
CREATE TABLE ra_par AS
    SELECT * FROM rfm_table((SELECT rfm_agg(c, at, amount) FROM ra_gen), timestamptz '2024-09-30', NULL::int);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
SELECT rows_diff($$SELECT * FROM ra_par$$,
               $$SELECT * FROM rfm_table((SELECT rfm_agg(c, at, amount) FROM ra_gen), timestamptz '2024-09-30', NULL::int)$$) AS parallel_differences;
-- a state that says its customers are in hash order must be: a state of customers 1 and
-- 2 (the unit byte 81: day, hash order) reads back as it is, but not with its two
-- customer records (31 bytes each after the 29-byte header) swapped; without the flag
-- (01) the swapped records are a valid state
CREATE TABLE ra_two AS
    SELECT rfm_agg_trans(rfm_agg_trans(NULL::rfm_agg_state, 1::bigint, date '2024-05-01', 1::numeric),
                         2::bigint, date '2024-05-01', 1::numeric)::text AS s;
SELECT substr(s, 9, 2) AS unit_byte, s::rfm_agg_state IS NOT NULL AS reads FROM ra_two;
SELECT ('\x' || substr(s, 3, 58) || substr(s, 3 + 58 + 62, 62) || substr(s, 3 + 58, 62))::rfm_agg_state FROM ra_two;
SELECT * FROM rfm_table((SELECT ('\x' || substr(s, 3, 6) || '01' || substr(s, 11, 50) || substr(s, 3 + 58 + 62, 62) ||
                                 substr(s, 3 + 58, 62))::rfm_agg_state FROM ra_two), date '2024-05-31', NULL::bigint);
RESET max_parallel_workers_per_gather;
DROP TABLE ra_collide, ra_collide_one, ra_long, ra_par, ra_two;

DROP TABLE ra_orders, ra_stored, ra_gen, ra_dst, ra_dst_summary, ra_good, ra_bytes, ra_read;
DROP FUNCTION ra_patch(text, int, text);
RESET TimeZone;
