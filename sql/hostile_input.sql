-- Hostile input to every type input function: text (*_in) and binary (*_recv,
-- driven by COPY ... FROM ... (FORMAT binary)) forms of order_stats,
-- order_stats_state, cohort_matrix, cohort_state, rfm_state and clv_fit_state,
-- and retention()'s bytea state given to its SQL-callable support functions.
-- Each value is truncated at every length, extended, given a wrong format
-- version and changed one byte (or character) at a time.  Every damaged value
-- must be an ERROR with SQLSTATE 22P02 (text that does not parse) or 22P03
-- (bytes that are not a valid value), or another valid value, which must then
-- read back through its text form to the same text and be usable (the final
-- function or an accessor runs).  The outcomes are counted by SQLSTATE, so any
-- other SQLSTATE (08P01, XX000, ...) or a crash changes the expected output.
SET TimeZone = 'UTC';

------------------------------------------------------------------------------
-- Two valid values of each type: amounts with numeric parts (1e30), order
-- lines, text keys, every time type
------------------------------------------------------------------------------
CREATE TABLE hi_orders (c int, t timestamptz, a numeric, k int);
INSERT INTO hi_orders VALUES
    (1, '2024-01-10 10:00', 10.00, 1), (1, '2024-02-10 10:00', 5.5, 2), (2, '2024-01-20', 3, 3),
    (3, '2024-02-05', NULL, 4), (3, '2024-03-05 10:00', 1e30, 5), (1, '2024-03-05 10:00', 2.00, 6),
    (1, '2024-03-05 11:00', 0.125, 6), (NULL, '2024-01-01', 1, 7);
CREATE TABLE hi_values (typ text, label text, v text);
INSERT INTO hi_values
    SELECT 'order_stats', 'orders', order_stats(c, t, a)::text FROM hi_orders UNION ALL
    SELECT 'order_stats', 'lines, date', order_stats(c::text, t::date, a, k)::text FROM hi_orders UNION ALL
    SELECT 'order_stats_state', 'int keys, amounts',
           order_stats_trans(order_stats_trans(order_stats_trans(NULL, 1, timestamptz '2024-01-01', 5.00),
                                               2, timestamptz '2024-01-02', 1e30),
                             1, timestamptz '2024-01-03', 2)::text UNION ALL
    SELECT 'order_stats_state', 'text keys, lines',
           order_stats_trans(order_stats_trans(order_stats_trans(NULL, 'alice'::text, timestamptz '2024-01-01', 5.00, 10),
                                               'bob'::text, timestamptz '2024-01-02', 1.5, 11),
                             'alice'::text, timestamptz '2024-01-03', 2, 10)::text UNION ALL
    SELECT 'cohort_matrix', 'revenue', cohort_agg(c, t, 'month', a)::text FROM hi_orders UNION ALL
    SELECT 'cohort_matrix', 'lines, date', cohort_agg(c, t::date, 'week', NULL, k)::text FROM hi_orders UNION ALL
    SELECT 'cohort_state', 'amounts',
           cohort_agg_trans(cohort_agg_trans(cohort_agg_trans(NULL::cohort_state, 1, timestamptz '2024-01-01', 'month', 5.00),
                                             2, timestamptz '2024-02-02', 'month', 1e30),
                            1, timestamptz '2024-03-03', 'month', 2)::text UNION ALL
    SELECT 'cohort_state', 'text keys, lines',
           cohort_agg_trans(cohort_agg_trans(cohort_agg_trans(NULL::cohort_state, 'alice'::text, timestamptz '2024-01-01', 'week', 5.00, 10),
                                             'bob'::text, timestamptz '2024-01-02', 'week', 1.5, 11),
                            'alice'::text, timestamptz '2024-01-23', 'week', 2, 10)::text UNION ALL
    SELECT 'rfm_state', 'day, numeric parts',
           rfm_trans(rfm_trans(rfm_trans(NULL, timestamptz '2024-03-01', 1e30, timestamptz '2024-04-30'),
                               timestamptz '2024-03-05', 2.5, timestamptz '2024-04-30'),
                     timestamptz '2024-04-02', 1e30, timestamptz '2024-04-30')::text UNION ALL
    SELECT 'rfm_state', 'hour, date',
           rfm_trans(rfm_trans(NULL, date '2024-03-01', 1.5, date '2024-04-30', 'hour'),
                     date '2024-03-05', 2, date '2024-04-30', 'hour')::text UNION ALL
    -- the states of clv_models.sql: (0, 0, 10) x1 and (1, 5, 10) x2; spend (2, 10) x1
    SELECT 'revenue_matrix', 'month, numeric parts', revenue_agg(c, t, 'month', a)::text FROM hi_orders UNION ALL
    SELECT 'clv_fit_state', 'purchases', '\x01010000000000000000020000000000000000000000000000000000000000000000000024400100000000000000000000000000f03f000000000000144000000000000024400200000000000000' UNION ALL
    SELECT 'clv_fit_state', 'spend', '\x01020000000000000000010000000000000000000040000000000000244000000000000000000100000000000000';

-- hi_use(type, text): the value read back (its text is stable) and used
CREATE FUNCTION hi_use(typ text, val text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE back text;
BEGIN
    EXECUTE format('SELECT %L::%s::text', val, typ) INTO back;
    IF back IS DISTINCT FROM val THEN
        RETURN 'accepted, text not stable';
    END IF;
    EXECUTE format(CASE typ
        WHEN 'order_stats' THEN 'SELECT customers(%L::order_stats)::text'
        WHEN 'order_stats_state' THEN 'SELECT order_stats_final(%L::order_stats_state)::text'
        WHEN 'cohort_matrix' THEN 'SELECT count(*)::text FROM cohort_table(%L::cohort_matrix)'
        WHEN 'cohort_state' THEN 'SELECT cohort_agg_final(%L::cohort_state)::text'
        WHEN 'rfm_state' THEN 'SELECT rfm_final(%L::rfm_state)::text'
        WHEN 'clv_fit_state' THEN 'SELECT clv_fit_combine(%1$L::clv_fit_state, %1$L::clv_fit_state)::text'
        WHEN 'revenue_matrix' THEN 'SELECT count(*)::text FROM mrr_movements(%L::revenue_matrix)'
        END, val) INTO back;
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    RETURN 'accepted, then ' || SQLSTATE;
END $$;
-- hi_text(type, text): the SQLSTATE of reading the text, or what hi_use says
CREATE FUNCTION hi_text(typ text, txt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE back text;
BEGIN
    BEGIN
        EXECUTE format('SELECT %L::%s::text', txt, typ) INTO back;
    EXCEPTION WHEN OTHERS THEN
        RETURN SQLSTATE;
    END;
    RETURN hi_use(typ, back);
END $$;
-- hi_recv(type, bytes): the bytes as the one field of a binary COPY file (a
-- bytea's binary form is its bytes), read by COPY FROM into a column of the
-- type, so through the type's receive function
CREATE TABLE hi_into_order_stats (id int GENERATED ALWAYS AS IDENTITY, v order_stats);
CREATE TABLE hi_into_order_stats_state (id int GENERATED ALWAYS AS IDENTITY, v order_stats_state);
CREATE TABLE hi_into_cohort_matrix (id int GENERATED ALWAYS AS IDENTITY, v cohort_matrix);
CREATE TABLE hi_into_cohort_state (id int GENERATED ALWAYS AS IDENTITY, v cohort_state);
CREATE TABLE hi_into_rfm_state (id int GENERATED ALWAYS AS IDENTITY, v rfm_state);
CREATE TABLE hi_into_clv_fit_state (id int GENERATED ALWAYS AS IDENTITY, v clv_fit_state);
CREATE TABLE hi_into_revenue_matrix (id int GENERATED ALWAYS AS IDENTITY, v revenue_matrix);
CREATE FUNCTION hi_write(bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE path text := current_setting('data_directory') || '/retention_hostile_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', bytes, path);
    RETURN path;
END $$;
CREATE FUNCTION hi_recv(typ text, bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    path text := hi_write(bytes);
    back text;
BEGIN
    BEGIN
        EXECUTE format('COPY %I (v) FROM %L (FORMAT binary)', 'hi_into_' || typ, path);
    EXCEPTION WHEN OTHERS THEN
        RETURN SQLSTATE;
    END;
    EXECUTE format('SELECT v::text FROM %I ORDER BY id DESC LIMIT 1', 'hi_into_' || typ) INTO back;
    RETURN hi_use(typ, back);
END $$;
CREATE FUNCTION hi_send(typ text, val text) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE b bytea;
BEGIN
    EXECUTE format('SELECT %s_send(%L::%s)', typ, val, typ) INTO b;
    RETURN b;
END $$;
CREATE FUNCTION hi_xor(b bytea, i int, m int) RETURNS bytea LANGUAGE sql AS
$$ SELECT set_byte(b, i, get_byte(b, i) # m) $$;

-- the intact values: each is accepted in both forms, and its binary form
-- through COPY reads back to the same text
CREATE TABLE hi_bin AS SELECT typ, label, v, hi_send(typ, v) AS b FROM hi_values;
SELECT typ, label, length(b) AS bytes, hi_text(typ, v) AS text_in, hi_recv(typ, b) AS binary_in
FROM hi_bin ORDER BY typ, label;

------------------------------------------------------------------------------
-- COPY (FORMAT binary) round trips: every value of a type in one file
------------------------------------------------------------------------------
DO $$
DECLARE
    path text := current_setting('data_directory') || '/retention_hostile_' || pg_backend_pid() || '.bin';
    t text;
    same boolean;
BEGIN
    FOR t IN SELECT DISTINCT typ FROM hi_values ORDER BY 1 LOOP
        EXECUTE format('TRUNCATE %I', 'hi_into_' || t);
        EXECUTE format('INSERT INTO %I (v) SELECT v::%s FROM hi_values WHERE typ = %L', 'hi_into_' || t, t, t);
        EXECUTE format('COPY %I (v) TO %L (FORMAT binary)', 'hi_into_' || t, path);
        EXECUTE format('TRUNCATE %I', 'hi_into_' || t);
        EXECUTE format('COPY %I (v) FROM %L (FORMAT binary)', 'hi_into_' || t, path);
        EXECUTE format('SELECT array_agg(v::text ORDER BY v::text) = (SELECT array_agg(v ORDER BY v) FROM hi_values WHERE typ = %L) FROM %I',
                       t, 'hi_into_' || t) INTO same;
        RAISE NOTICE '% binary COPY round trip: %', t, same;
    END LOOP;
END $$;

------------------------------------------------------------------------------
-- Binary input (COPY FROM a binary file whose field is damaged)
------------------------------------------------------------------------------
-- truncated: every prefix (0 .. length - 1 bytes); oversized: one byte 00 or
-- ff, or 1000 zero bytes appended; wrong version: the first byte (the format
-- version of every type) 0, 2 or 255; byte flips: each byte xor 01, 80, ff.
-- The states' receive functions (and revenue_matrix's) validate the same flat bytes as their text
-- input (agg_state.c validated_flat_datum, rfm_io.c state_deserialize, revenue_matrix_read), so their
-- byte flips and every truncation run through the hex text form just below,
-- which needs no file; through COPY they get a sample of truncations.
-- order_stats and cohort_matrix have binary forms of their own: every case
-- through COPY (flips: one value of each; the machine is shared, a COPY
-- costs milliseconds).
CREATE TABLE hi_bin_results AS
SELECT typ, 'truncated' AS what, hi_recv(typ, substr(b, 1, n)) AS result
FROM hi_bin, generate_series(0, length(b) - 1) n
WHERE typ IN ('order_stats', 'cohort_matrix') OR n IN (0, 1, 2, 4, 8, 16, length(b) / 2, length(b) - 8, length(b) - 1)
UNION ALL
SELECT typ, 'oversized', hi_recv(typ, b || x)
FROM hi_bin, (VALUES ('\x00'::bytea), ('\xff'), (decode(repeat('00', 1000), 'hex'))) v(x)
UNION ALL
SELECT typ, 'wrong version', hi_recv(typ, set_byte(b, 0, m))
FROM hi_bin, (VALUES (0), (2), (255)) v(m)
UNION ALL
SELECT typ, 'byte flips', hi_recv(typ, hi_xor(b, i, m))
FROM hi_bin, generate_series(0, length(b) - 1) i, (VALUES (1), (128), (255)) v(m)
WHERE label IN ('orders', 'revenue');
SELECT typ, what, result, count(*) FROM hi_bin_results GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- the states' bytes, each flipped, through the hex text form
CREATE TABLE hi_flip_results AS
SELECT typ, 'byte flips' AS what, hi_text(typ, '\x' || encode(hi_xor(b, i, m), 'hex')) AS result
FROM hi_bin, generate_series(0, length(b) - 1) i, (VALUES (1), (128), (255)) v(m)
WHERE typ NOT IN ('order_stats', 'cohort_matrix');
SELECT typ, what, result, count(*) FROM hi_flip_results GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- nothing else than 22P03 or a usable value
SELECT count(*) AS binary_cases, count(*) FILTER (WHERE result NOT IN ('22P03', 'accepted')) AS other_outcomes
FROM (SELECT result FROM hi_bin_results UNION ALL SELECT result FROM hi_flip_results) q;

-- the error of a damaged binary field, as COPY reports it (one per type:
-- the value cut one byte short, then one with a byte appended)
CREATE FUNCTION hi_copy_error(typ text, bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    path text := hi_write(bytes);
    msg text;
    ctx text;
BEGIN
    EXECUTE format('COPY %I (v) FROM %L (FORMAT binary)', 'hi_into_' || typ, path);
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, ctx = PG_EXCEPTION_CONTEXT;
    RETURN SQLSTATE || ': ' || msg || ' (' || split_part(ctx, E'\n', 1) || ')';
END $$;
SELECT typ, hi_copy_error(typ, substr(b, 1, length(b) - 1)) AS cut_short,
       hi_copy_error(typ, b || '\x00'::bytea) AS byte_appended
FROM hi_bin WHERE label IN ('orders', 'int keys, amounts', 'revenue', 'amounts', 'day, numeric parts', 'purchases',
                            'month, numeric parts')
ORDER BY typ;

------------------------------------------------------------------------------
-- Text input
------------------------------------------------------------------------------
-- truncated: every prefix; oversized: a space, '00', ' x', 1000 more cells or
-- 2000 more hex digits appended; wrong version: 'v0', 'v2', 'V1' (summaries)
-- or first byte 00, 02, ff (states); characters replaced: each by 'x', '9', '-'
-- (PostgreSQL 16+ reads integers with a 0x prefix, so there one cohort_matrix text with
-- a character replaced by 'x' is a valid value: expected/hostile_input_1.out)
CREATE TABLE hi_text_results AS
SELECT typ, 'truncated' AS what, hi_text(typ, left(v, n)) AS result
FROM hi_values, generate_series(0, length(v) - 1) n
UNION ALL
SELECT typ, 'oversized', hi_text(typ, v || x)
FROM hi_values, (VALUES (' '), ('00'), (' x'), (repeat(' 2024-01-01+0:1,0,1,1', 1000)), (repeat('00', 1000))) v(x)
UNION ALL
SELECT typ, 'wrong version', hi_text(typ, CASE WHEN v LIKE 'v1 %' THEN x || substr(v, 3) ELSE '\x' || y || substr(v, 5) END)
FROM hi_values, (VALUES ('v0', '00'), ('v2', '02'), ('V1', 'ff')) v(x, y)
UNION ALL
SELECT typ, 'characters replaced', hi_text(typ, overlay(v placing x from n for 1))
FROM hi_values, generate_series(1, length(v)) n, (VALUES ('x'), ('9'), ('-')) v(x);
SELECT typ, what, result, count(*) FROM hi_text_results GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT count(*) AS text_cases, count(*) FILTER (WHERE result NOT IN ('22P02', '22P03', 'accepted')) AS other_outcomes
FROM hi_text_results;
-- the accepted damaged texts are other valid values: for the summaries, a
-- shorter revenue (1e30 cut to 1e29 ...) or count, a trailing space or zeros
-- (order_stats takes no trailing space, cohort_matrix does)
SELECT typ, hi_text(typ, v || ' ') AS trailing_space, hi_text(typ, replace(v, 'ignored_rows=1', 'ignored_rows=9')) AS other_count
FROM hi_values WHERE label IN ('revenue', 'orders') ORDER BY typ;

------------------------------------------------------------------------------
-- A state larger than retention.max_state_memory is refused on input (54000),
-- in both forms, and the session goes on
------------------------------------------------------------------------------
CREATE TABLE hi_big AS
SELECT order_stats_trans(NULL, 1, timestamptz '2024-01-01', 1) AS s LIMIT 0;
CREATE AGGREGATE pg_temp.hi_os_state(int, timestamptz, numeric) (SFUNC = order_stats_trans, STYPE = order_stats_state);
INSERT INTO hi_big SELECT pg_temp.hi_os_state(i, timestamptz '2024-01-01', 1) FROM generate_series(1, 20000) i;
SELECT length(s::text) / 2 > 128 * 1024 AS over_128kb FROM hi_big;
SET retention.max_state_memory = '64kB';
SELECT left(hi_text('order_stats_state', s::text), 5) AS text_in,
       hi_recv('order_stats_state', order_stats_state_send(s)) AS binary_in FROM hi_big;
SELECT left(sqlstate_of(format('SELECT %L::order_stats_state', s::text)), 80) AS error FROM hi_big;
RESET retention.max_state_memory;
SELECT hi_recv('order_stats_state', order_stats_state_send(s)) AS binary_in_default_limit FROM hi_big;

------------------------------------------------------------------------------
-- retention(): its state is a bytea, and its support functions take any
-- bytea: every truncation, extension and byte flip of a valid state is 22P03
-- or another valid state
------------------------------------------------------------------------------
CREATE TABLE hi_cond AS
SELECT retention_cond_trans(retention_cond_trans(NULL, '{t,f,t,f,f,t,f,f,t,t,f}'), '{f,t,f,f,f,f,f,f,f,f,t}') AS s;
SELECT s, retention_cond_final(s) FROM hi_cond;
CREATE FUNCTION hi_cond_try(query text, state bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query USING state;
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
CREATE TABLE hi_cond_results AS
SELECT f, what, hi_cond_try(q, d) AS result
FROM (SELECT 'final' AS f, 'SELECT retention_cond_final($1)' AS q UNION ALL
      SELECT 'combine', 'SELECT retention_cond_combine($1, $1)' UNION ALL
      SELECT 'combine with valid', 'SELECT retention_cond_combine((SELECT s FROM hi_cond), $1)' UNION ALL
      SELECT 'trans', 'SELECT retention_cond_trans($1, ''{t,t,t,t,t,t,t,t,t,t,t}'')') fs,
     (SELECT 'truncated' AS what, substr(s, 1, n) AS d FROM hi_cond, generate_series(0, length(s) - 1) n UNION ALL
      SELECT 'oversized', s || x FROM hi_cond, (VALUES ('\x00'::bytea), ('\xff'), (decode(repeat('00', 1000), 'hex'))) v(x) UNION ALL
      SELECT 'byte flips', hi_xor(s, i, m) FROM hi_cond, generate_series(0, length(s) - 1) i, (VALUES (1), (128), (255)) v(m)) ds;
SELECT f, what, result, count(*) FROM hi_cond_results GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

------------------------------------------------------------------------------
-- cohort_table / retention_curve with an infinite observed_until: 22008 with a
-- hint, as rfm's observed_until
------------------------------------------------------------------------------
SELECT left(sqlstate_of($$SELECT count(*) FROM cohort_table((SELECT cohort_agg(1, timestamptz '2024-01-01', 'month')), 'infinity')$$), 5) AS table_inf,
       left(sqlstate_of($$SELECT count(*) FROM retention_curve((SELECT cohort_agg(1, timestamptz '2024-01-01', 'month')), '-infinity')$$), 5) AS curve_minus_inf;
SELECT count(*) FROM cohort_table((SELECT cohort_agg(1, timestamptz '2024-01-01', 'month')), 'infinity');

DO $$
BEGIN
    EXECUTE format('COPY (SELECT) TO %L', current_setting('data_directory') || '/retention_hostile_' || pg_backend_pid() || '.bin');
END $$;
DROP TABLE hi_orders, hi_values, hi_into_order_stats, hi_into_order_stats_state, hi_into_cohort_matrix,
    hi_into_cohort_state, hi_into_rfm_state, hi_into_clv_fit_state, hi_into_revenue_matrix, hi_bin, hi_bin_results, hi_flip_results, hi_text_results,
    hi_big, hi_cond, hi_cond_results;
DROP FUNCTION hi_use(text, text), hi_text(text, text), hi_write(bytea), hi_recv(text, bytea), hi_send(text, text),
    hi_xor(bytea, int, int), hi_copy_error(text, bytea), hi_cond_try(text, bytea);
RESET TimeZone;
