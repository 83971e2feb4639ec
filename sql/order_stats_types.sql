-- Key and time types: every customer type with every order-key type, and the
-- three time types.  Each query uses the same 5 orders / 7 lines:
--   customers a (orders x, y), b (order z, two lines), c (order w); 4 orders, 1 repeat.
SET TimeZone = 'UTC';
CREATE TABLE typed_lines (c int, k int, t timestamptz, a numeric);
INSERT INTO typed_lines VALUES
    (1, 10, '2024-01-01 08:00+00', 1.00), (1, 10, '2024-01-01 09:00+00', 2.00),
    (1, 11, '2024-02-01 08:00+00', 3.00),
    (2, 12, '2024-01-15 08:00+00', 4.00), (2, 12, '2024-01-15 08:30+00', 5.00),
    (3, 13, '2024-03-01 08:00+00', 6.00), (3, 13, '2024-03-01 08:00+00', 7.00);

CREATE FUNCTION typed_keys(c int) RETURNS TABLE (i2 int2, i4 int4, i8 int8, tx text,
                                                 vc varchar, bp char(8), id uuid)
LANGUAGE sql IMMUTABLE AS $$
    SELECT c::int2, c, c::int8 * 10000000000, 'key-' || c || repeat('x', c * 10),
           ('k' || c)::varchar, ('k' || c)::char(8),
           ('00000000-0000-0000-0000-' || lpad(c::text, 12, '0'))::uuid
$$;

-- All 7 x 7 combinations: expect 3 customers, 4 orders, 1 repeat, revenue 28.00 everywhere.
WITH keyed AS (
    SELECT ck.i2 AS int2, ck.i4 AS int4, ck.i8 AS int8, ck.tx AS text, ck.vc AS varchar,
           ck.bp AS bpchar, ck.id AS uuid,
           ok.i2 AS k2, ok.i4 AS k4, ok.i8 AS k8, ok.tx AS kt, ok.vc AS kv,
           ok.bp AS kb, ok.id AS ku, l.t, l.a
    FROM typed_lines l, typed_keys(l.c) ck, typed_keys(l.k) ok
), results AS (
    SELECT unnest(ARRAY[
        order_stats(int2, t, a, k2), order_stats(int2, t, a, k4), order_stats(int2, t, a, k8),
        order_stats(int2, t, a, kt), order_stats(int2, t, a, kv), order_stats(int2, t, a, kb),
        order_stats(int2, t, a, ku),
        order_stats(int4, t, a, k2), order_stats(int4, t, a, k4), order_stats(int4, t, a, k8),
        order_stats(int4, t, a, kt), order_stats(int4, t, a, kv), order_stats(int4, t, a, kb),
        order_stats(int4, t, a, ku),
        order_stats(int8, t, a, k2), order_stats(int8, t, a, k4), order_stats(int8, t, a, k8),
        order_stats(int8, t, a, kt), order_stats(int8, t, a, kv), order_stats(int8, t, a, kb),
        order_stats(int8, t, a, ku),
        order_stats(text, t, a, k2), order_stats(text, t, a, k4), order_stats(text, t, a, k8),
        order_stats(text, t, a, kt), order_stats(text, t, a, kv), order_stats(text, t, a, kb),
        order_stats(text, t, a, ku),
        order_stats(varchar, t, a, k2), order_stats(varchar, t, a, k4), order_stats(varchar, t, a, k8),
        order_stats(varchar, t, a, kt), order_stats(varchar, t, a, kv), order_stats(varchar, t, a, kb),
        order_stats(varchar, t, a, ku),
        order_stats(bpchar, t, a, k2), order_stats(bpchar, t, a, k4), order_stats(bpchar, t, a, k8),
        order_stats(bpchar, t, a, kt), order_stats(bpchar, t, a, kv), order_stats(bpchar, t, a, kb),
        order_stats(bpchar, t, a, ku),
        order_stats(uuid, t, a, k2), order_stats(uuid, t, a, k4), order_stats(uuid, t, a, k8),
        order_stats(uuid, t, a, kt), order_stats(uuid, t, a, kv), order_stats(uuid, t, a, kb),
        order_stats(uuid, t, a, ku)]) AS s
    FROM keyed
)
SELECT count(*) AS combinations, customers(s), orders(s), repeat_customers(s), revenue(s)
FROM results GROUP BY 2, 3, 4, 5;

-- Rows as orders, each customer type: 7 rows, 3 customers, customers 1, 2, 3 all repeat.
SELECT 'int2' AS type, customers(s), orders(s), repeat_customers(s) FROM (SELECT order_stats(k.i2, t, a) s FROM typed_lines, typed_keys(c) k) q
UNION ALL SELECT 'int8', customers(s), orders(s), repeat_customers(s) FROM (SELECT order_stats(k.i8, t, a) s FROM typed_lines, typed_keys(c) k) q
UNION ALL SELECT 'text', customers(s), orders(s), repeat_customers(s) FROM (SELECT order_stats(k.tx, t, a) s FROM typed_lines, typed_keys(c) k) q
UNION ALL SELECT 'uuid', customers(s), orders(s), repeat_customers(s) FROM (SELECT order_stats(k.id, t, a) s FROM typed_lines, typed_keys(c) k) q;

-- Keys are exact: text compares bytes ('a' and 'a ' differ, case matters),
-- char(n) ignores trailing spaces as its = operator does, integers compare by value.
SELECT customers(order_stats(c, now(), 1.0)) FROM (VALUES ('a'::text), ('a '), ('A'), ('a')) v(c);
SELECT customers(order_stats(c, now(), 1.0)) FROM (VALUES ('a'::char(3)), ('a  '), ('a')) v(c);
SELECT customers(order_stats(c, now(), 1.0)) FROM (VALUES (''::text), (''), (NULL)) v(c);
-- long text keys (stored out of line in the state) and many of them
SELECT customers(order_stats(repeat('k', 100) || (i % 1000), now(), 1.0)) FROM generate_series(1, 5000) i;

-- Time types.  timestamp and date keep wall-clock values; first/last_order_at
-- give timestamptz in the session time zone, as a cast would.
SELECT order_stats(c, t::timestamp, a) FROM typed_lines;
SELECT order_stats(c, t::date, a) FROM typed_lines;
SET TimeZone = 'Europe/Bucharest';
SELECT first_order_at(s), last_order_at(s), observation_window(s)
FROM (SELECT order_stats(c, t::timestamp, a) s FROM typed_lines) q;
SELECT first_order_at(s), last_order_at(s), observation_window(s)
FROM (SELECT order_stats(c, t::date, a) s FROM typed_lines) q;
-- timestamptz input is stored in UTC: the zone changes only how it is shown
SELECT first_order_at(s), order_stats_out(s) FROM (SELECT order_stats(c, t, a) s FROM typed_lines) q;
RESET TimeZone;
