-- rfm_state, the transition type of rfm: text ("\x" + hex) and binary forms, versioned and
-- validated; partial states read back combine to the same summary; a damaged value is
-- an ERROR with a SQLSTATE, never a crash.
--
-- The serialized form (src/rfm_io.c; byte offsets):
--   0 version (1), 1 unit (1 day .. 4 hour, 0 fresh), 2 time type (1 timestamptz,
--   2 timestamp, 3 date, 0 fresh), 3 flags (1 numeric part of the first period's sum,
--   2 of the repeat sum), 4 u32 first period's display scale, 8 u32 repeat display scale,
--   12 u64 observed_until, 20 u64 its period, 28 u64 first period's amount in 10^-8
--   units, 36 u64 repeat amount, 44 u32 n, 48 n x u64 periods ascending, then the
--   numeric parts (u32 length + numeric_send bytes); integers little-endian.
SET TimeZone = 'UTC';
CREATE AGGREGATE ri_state(timestamptz, numeric, timestamptz, text) (SFUNC = rfm_trans, STYPE = rfm_state);
CREATE AGGREGATE ri_state(date, numeric, date, text) (SFUNC = rfm_trans, STYPE = rfm_state);
CREATE TABLE ri_orders (customer int, t timestamptz, amount numeric);
INSERT INTO ri_orders VALUES
    (1, '2024-03-05 10:00', 2.50), (1, '2024-03-01 09:00', 1.25), (1, '2024-03-03 00:00', NULL),
    (1, '2024-03-05 11:00', 1e30), (1, '2024-04-02', 7), (2, '2024-03-09', 0.001), (3, '2024-05-01', 1);

-- A state by hand: one order of 1.5 on 2024-03-02, observed until 2024-03-31 (day):
-- version 01, unit 01 (day), time 01 (timestamptz), flags 00, scales 01000000 (1) and
-- 00000000, until 2024-03-31 00:00 UTC = day 8856 after 2000-01-01 = 0x0002b7e8_52a10000 us
-- (little-endian 0000a152e8b70200), its period day 8856 = 0x2298, first amount 1.5 =
-- 150000000 units = 0x08f0d180, repeat 0, one period: day 8827 = 0x227b (2024-03-02)
SELECT rfm_trans(NULL, timestamptz '2024-03-02 12:00', 1.5, timestamptz '2024-03-31');
SELECT rfm_final(rfm_trans(NULL, timestamptz '2024-03-02 12:00', 1.5, timestamptz '2024-03-31'));

-- Round trips (text -> value -> text), each unit and time type, the fresh state (the
-- aggregates' INITCOND) and a state with numeric parts; the summary of a state read back
-- equals the aggregate's
CREATE TABLE ri_states (label text, s rfm_state);
INSERT INTO ri_states
    SELECT 'day', ri_state(t, amount, '2024-04-30', 'day' ORDER BY t DESC) FROM ri_orders WHERE customer = 1 UNION ALL
    SELECT 'week', ri_state(t, amount, '2024-04-30', 'week') FROM ri_orders WHERE customer = 1 UNION ALL
    SELECT 'month', ri_state(t, amount, '2024-04-30', 'month') FROM ri_orders WHERE customer = 1 UNION ALL
    SELECT 'hour', ri_state(t, amount, '2024-04-30', 'hour' ORDER BY amount) FROM ri_orders WHERE customer = 1 UNION ALL
    SELECT 'date', ri_state(t::date, amount, '2024-04-30', 'day') FROM ri_orders WHERE customer = 1 UNION ALL
    SELECT 'one order', ri_state(t, amount, '2024-04-30', 'day') FROM ri_orders WHERE customer = 2 UNION ALL
    SELECT 'after observed_until', ri_state(t, amount, '2024-04-30', 'day') FROM ri_orders WHERE customer = 3 UNION ALL
    SELECT 'fresh', '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000';
SELECT label, s::text::rfm_state::text = s::text AS text_round_trip, rfm_final(s::text::rfm_state) AS summary
FROM ri_states ORDER BY label;
SELECT label, rfm_final(s) IS NOT DISTINCT FROM
       (SELECT rfm(t, amount, '2024-04-30', label) FROM ri_orders WHERE customer = 1) AS same_as_rfm
FROM ri_states WHERE label IN ('day', 'week', 'month', 'hour') ORDER BY label;
-- the text form does not depend on TimeZone or DateStyle (it is bytes)
SET TimeZone = 'America/New_York';
SET DateStyle = 'SQL, DMY';
SELECT label, s::text = (SELECT s::text FROM ri_states x WHERE x.label = r.label) AS same_text
FROM (SELECT label, s::text::rfm_state AS s FROM ri_states) r ORDER BY label;
RESET DateStyle;
SET TimeZone = 'UTC';

-- Partial states (as parallel workers send them) combine to the same summary, in any order
-- and also through their text forms; NULL and fresh partial states change nothing
SELECT rfm_final(rfm_combine(a, b)) AS ab, rfm_final(rfm_combine(b, a)) AS ba,
       rfm_final(rfm_combine(a::text::rfm_state, b::text::rfm_state)) AS ab_text,
       (SELECT rfm(t, amount, '2024-04-30') FROM ri_orders WHERE customer = 1) AS whole
FROM (SELECT ri_state(t, amount, '2024-04-30', 'day') FILTER (WHERE t >= '2024-03-04') AS a,
             ri_state(t, amount, '2024-04-30', 'day') FILTER (WHERE t < '2024-03-04') AS b
      FROM ri_orders WHERE customer = 1) q;
SELECT rfm_final(rfm_combine(NULL, s)) = rfm_final(s) AS null_left,
       rfm_final(rfm_combine(s, NULL)) = rfm_final(s) AS null_right,
       rfm_final(rfm_combine('\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000', s)) = rfm_final(s) AS fresh_left,
       rfm_final(rfm_combine(s, '\x010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000')) = rfm_final(s) AS fresh_right,
       rfm_combine(NULL, NULL) IS NULL AS both_null
FROM ri_states WHERE label = 'day';

-- Binary form: COPY (FORMAT binary) out and in (rfm_state_send, rfm_state_recv)
CREATE TABLE ri_restored (label text, s rfm_state);
DO $$
DECLARE path text := current_setting('data_directory') || '/retention_rfm_io_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY ri_states TO %L (FORMAT binary)', path);
    EXECUTE format('COPY ri_restored FROM %L (FORMAT binary)', path);
END $$;
SELECT count(*) AS restored, count(*) FILTER (WHERE r.s::text = o.s::text) AS identical
FROM ri_restored r JOIN ri_states o USING (label);
-- the binary form is the text form's bytes
SELECT bool_and(rfm_state_send(s) = decode(substr(s::text, 3), 'hex')) AS send_is_hex_bytes FROM ri_states;

------------------------------------------------------------------------------------------
-- Damaged values
------------------------------------------------------------------------------------------
-- text that is not hex: 22P02
SELECT sqlstate_of($$SELECT ''::rfm_state$$) AS empty, sqlstate_of($$SELECT 'garbage'::rfm_state$$) AS garbage,
       sqlstate_of($$SELECT '\x0'::rfm_state$$) AS odd, sqlstate_of($$SELECT '\xzz'::rfm_state$$) AS not_hex;
-- hex of bytes that are not a state: 22P03
SELECT sqlstate_of($$SELECT '\x'::rfm_state$$) AS no_bytes, sqlstate_of($$SELECT '\x02'::rfm_state$$) AS version_2;
SELECT '\x020101'::rfm_state;
-- One state with a tail, numeric parts and several periods; each invariant broken by
-- changing bytes at the offsets of the header above
CREATE TABLE ri_good AS SELECT s::text AS hex FROM ri_states WHERE label = 'day';
SELECT hex FROM ri_good;
CREATE FUNCTION ri_patch(hex text, byte_offset int, bytes text) RETURNS text LANGUAGE sql AS
$$ SELECT overlay(hex PLACING bytes FROM 3 + 2 * byte_offset FOR length(bytes)) $$;
SELECT what, sqlstate_of(format('SELECT %L::rfm_state', ri_patch(hex, o, b))) AS result
FROM ri_good, (VALUES ('version 0', 0, '00'), ('version 2', 0, '02'), ('unit 0 alone', 1, '00'),
                      ('unit 5', 1, '05'), ('time type 4', 2, '04'), ('unknown flag', 3, '07'),
                      ('display scale 16384', 4, '00400000'), ('until infinity', 12, 'ffffffffffffff7f'),
                      ('until not matching its period', 20, '00000000'), ('units past the scale', 28, '01'),
                      ('n too large', 44, 'ffffff00'), ('n one less', 44, '02000000'),
                      ('periods not ascending', 48, '9922000000000000'),
                      ('a period after observed_until', 64, 'ff22000000000000'),
                      ('numeric part too long', 80, 'ff000000')) v(what, o, b)
ORDER BY o, what;
SELECT sqlstate_of(format('SELECT %L::rfm_state', hex || '00')) AS trailing_byte FROM ri_good;
-- repeat amounts with a single period (the one-order state, repeat amount set to 1)
SELECT sqlstate_of(format('SELECT %L::rfm_state', ri_patch(s::text, 36, '00e1f50500000000'))) AS repeat_without_repeat_period
FROM ri_states WHERE label = 'one order';
-- the error says what is wrong
SELECT ri_patch(hex, 48, '9922000000000000')::rfm_state FROM ri_good;
-- every truncation is rejected
SELECT count(*) AS truncations, count(*) FILTER (WHERE r LIKE '22P03%' OR r LIKE '22P02%') AS rejected
FROM ri_good, generate_series(0, (length(hex) - 2) / 2 - 1) n,
     LATERAL sqlstate_of(format('SELECT %L::rfm_state', left(hex, 2 + 2 * n))) r;
-- every single-byte change (each byte xor 0x01, 0x80, 0xff): an error, or a valid state
-- whose summary can be read; never a crash
SELECT count(*) AS changes, count(*) FILTER (WHERE r LIKE '22P03%') AS rejected,
       count(*) FILTER (WHERE r = 'no error') AS still_valid,
       count(*) FILTER (WHERE r <> 'no error' AND r NOT LIKE '22P03%') AS other
FROM ri_good, generate_series(0, (length(hex) - 2) / 2 - 1) n, (VALUES (1), (128), (255)) x(m),
     LATERAL (SELECT lpad(to_hex(('x' || substr(hex, 3 + 2 * n, 2))::bit(8)::int # m), 2, '0') AS b) nb,
     LATERAL sqlstate_of(format('SELECT rfm_final(%L::rfm_state)', ri_patch(hex, n, nb.b))) r;
-- damaged binary values through COPY (FORMAT binary): a bytea's binary form is its
-- bytes, so a file of bytea values reads back as rfm_state through rfm_state_recv
CREATE TABLE ri_bad_bytes (b bytea);
INSERT INTO ri_bad_bytes SELECT decode(substr(ri_patch(hex, 48, '9922000000000000'), 3), 'hex') FROM ri_good;
CREATE TABLE ri_bad_states (s rfm_state);
DO $$
DECLARE path text := current_setting('data_directory') || '/retention_rfm_bad_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY ri_bad_bytes TO %L (FORMAT binary)', path);
    EXECUTE format('COPY ri_bad_states FROM %L (FORMAT binary)', path);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'COPY FROM: %: %', SQLSTATE, SQLERRM;
END $$;
SELECT count(*) AS bad_states_read FROM ri_bad_states;
-- the same file with the good bytes reads back
TRUNCATE ri_bad_bytes;
INSERT INTO ri_bad_bytes SELECT decode(substr(hex, 3), 'hex') FROM ri_good;
DO $$
DECLARE path text := current_setting('data_directory') || '/retention_rfm_bad_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY ri_bad_bytes TO %L (FORMAT binary)', path);
    EXECUTE format('COPY ri_bad_states FROM %L (FORMAT binary)', path);
END $$;
SELECT rfm_final(s) = (SELECT rfm_final(s) FROM ri_states WHERE label = 'day') AS good_bytes_read FROM ri_bad_states;

DROP TABLE ri_orders, ri_states, ri_restored, ri_good, ri_bad_bytes, ri_bad_states;
DROP FUNCTION ri_patch(text, int, text);
DROP AGGREGATE ri_state(timestamptz, numeric, timestamptz, text);
DROP AGGREGATE ri_state(date, numeric, date, text);
RESET TimeZone;
