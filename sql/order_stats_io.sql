-- Text and binary I/O of order_stats and order_stats_state: exact round trips,
-- and clean errors (never a crash) on damaged values.
SET TimeZone = 'UTC';
CREATE TABLE io_orders AS
    SELECT (i % 97) AS c, timestamptz '2024-01-01' + i * interval '7 hours 13 minutes 1.5 seconds' AS t,
           (i % 13) * 1.25 AS a, i / 2 AS k
    FROM generate_series(1, 2000) i;

-- text round trip, for each time type and for the empty summary
SELECT s::text::order_stats::text = s::text AS text_round_trip, s
FROM (SELECT order_stats(c, t, a) AS s FROM io_orders
      UNION ALL SELECT order_stats(c, t::timestamp, a) FROM io_orders
      UNION ALL SELECT order_stats(c, t::date, a, k) FROM io_orders
      UNION ALL SELECT order_stats(c, t, a) FROM io_orders WHERE false) q;
-- round trip independent of DateStyle and TimeZone
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'America/New_York';
SELECT s::text::order_stats::text = s::text AS round_trip_other_style
FROM (SELECT order_stats(c, t, a) AS s FROM io_orders) q;
RESET DateStyle;
SET TimeZone = 'UTC';
-- BC times and microseconds
SELECT 'v1 time=timestamp customers=1 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=0044-03-15T12:00:00.000001BC last_order_at=0044-03-15T12:00:00.000001BC'::order_stats;
SELECT first_order_at('v1 time=timestamp customers=1 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=0044-03-15T12:00:00.000001BC last_order_at=0044-03-15T12:00:00.000001BC'::order_stats);

-- binary round trip through COPY (FORMAT binary), summaries and states
CREATE TABLE io_stored (s order_stats);
INSERT INTO io_stored SELECT order_stats(c, t, a) FROM io_orders;
INSERT INTO io_stored SELECT order_stats(c::text, t::date, a, k) FROM io_orders;
INSERT INTO io_stored SELECT order_stats(c, t, a) FROM io_orders WHERE false;
DO $$
DECLARE path text := current_setting('data_directory') || '/retention_io_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY io_stored TO %L (FORMAT binary)', path);
    CREATE TABLE io_restored (s order_stats);
    EXECUTE format('COPY io_restored FROM %L (FORMAT binary)', path);
END $$;
SELECT (SELECT array_agg(s::text ORDER BY s::text) FROM io_stored) =
       (SELECT array_agg(s::text ORDER BY s::text) FROM io_restored) AS binary_round_trip;

-- A partial state is a real value: its text form reads back, and combining
-- two flat halves equals aggregating everything.
SELECT order_stats_final(order_stats_combine(
           order_stats_combine(NULL, order_stats_trans(order_stats_trans(NULL, 1, timestamptz '2024-01-01', 5.00), 2, timestamptz '2024-01-02', 1.5)::text::order_stats_state),
           order_stats_trans(NULL, 1, timestamptz '2024-01-03', 2.00)::text::order_stats_state));
SELECT order_stats_trans(NULL, 1, timestamptz '2024-01-01', 5.00);
SELECT order_stats_trans(NULL, 'ab'::text, date '2024-01-01', NULL, 7);

-- Damaged order_stats text: each is an ERROR with a SQLSTATE, never a crash.
SELECT sqlstate_of($$SELECT ''::order_stats$$);
SELECT sqlstate_of($$SELECT 'garbage'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v2 time=timestamptz customers=0 orders=0 repeat_customers=0 ignored_rows=0 revenue=null first_order_at=null last_order_at=null'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=1 orders=1 repeat_customers=2 ignored_rows=0 revenue=1 first_order_at=2024-01-01T00:00:00Z last_order_at=2024-01-01T00:00:00Z'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=-1 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=2024-01-01T00:00:00Z last_order_at=2024-01-01T00:00:00Z'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=1 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=2024-01-02T00:00:00Z last_order_at=2024-01-01T00:00:00Z'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=1 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=2024-02-30T00:00:00Z last_order_at=2024-03-01T00:00:00Z'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=1 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=2024-01-01T00:00:00 last_order_at=2024-01-01T00:00:00Z'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=1 orders=1 repeat_customers=0 ignored_rows=0 revenue=abc first_order_at=2024-01-01T00:00:00Z last_order_at=2024-01-01T00:00:00Z'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=99999999999999999999 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=2024-01-01T00:00:00Z last_order_at=2024-01-01T00:00:00Z'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=0 orders=0 repeat_customers=0 ignored_rows=0 revenue=5 first_order_at=null last_order_at=null'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=1 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=2024-01-01T00:00:00Z last_order_at=2024-01-01T00:00:00Z trailing'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=date customers=1 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=2024-01-01T00:00:00 last_order_at=2024-01-01'::order_stats$$);
SELECT sqlstate_of($$SELECT 'v1 time=timestamptz customers=1 orders=1 repeat_customers=0 ignored_rows=0 revenue=1 first_order_at=300000-01-01T00:00:00Z last_order_at=300000-01-01T00:00:00Z'::order_stats$$);
-- the error text shows what is wrong
SELECT 'v1 time=timestamptz customers=1 orders=1 repeat_customers=2 ignored_rows=0 revenue=1 first_order_at=2024-01-01T00:00:00Z last_order_at=2024-01-01T00:00:00Z'::order_stats;

-- Damaged order_stats_state values: truncated, wrong version, bad hex, every
-- single-byte corruption of a small state: errors, never a crash.
SELECT sqlstate_of($$SELECT ''::order_stats_state$$);
SELECT sqlstate_of($$SELECT '\x'::order_stats_state$$);
SELECT sqlstate_of($$SELECT '\x0'::order_stats_state$$);
SELECT sqlstate_of($$SELECT '\xzz'::order_stats_state$$);
SELECT sqlstate_of($$SELECT '\x02010101'::order_stats_state$$);
CREATE TABLE io_good AS
    SELECT order_stats_trans(order_stats_trans(order_stats_trans(NULL, 'alice'::text, timestamptz '2024-01-01', 5.00, 10),
                                               'bob'::text, timestamptz '2024-01-02', 1.5, 11),
                             'alice'::text, timestamptz '2024-01-03', 2, 12)::text AS hex;
SELECT hex FROM io_good;
-- every prefix (truncation) is rejected
SELECT count(*) AS truncations, count(*) FILTER (WHERE r LIKE '22P03%' OR r LIKE '42804%') AS rejected
FROM (SELECT sqlstate_of(format('SELECT %L::order_stats_state', left(hex, n))) AS r
      FROM io_good, generate_series(4, length(hex) - 2, 2) n) q;
-- every byte set to 0xff: either rejected, or (when the byte is free data such
-- as a key or amount) accepted as another valid state
SELECT count(*) AS flips,
       count(*) FILTER (WHERE r LIKE '22P03%' OR r = 'no error' OR r LIKE '42804%') AS clean
FROM (SELECT sqlstate_of(format('SELECT order_stats_final(%L::order_stats_state)',
                                overlay(hex placing 'ff' from n for 2))) AS r
      FROM io_good, generate_series(3, length(hex) - 1, 2) n) q;
