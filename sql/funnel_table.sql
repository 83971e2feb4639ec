-- funnel_agg(level, steps) -> funnel_counts, funnel_agg_sum(funnel_counts) and
-- funnel_table(funnel_counts) (doc/funnel.md, "How many actors reached each
-- step").  funnel_agg counts the actors at each level 0..steps (a NULL level
-- is an ignored row); funnel_table gives, per step k, the actors of level >= k,
-- their share of step 1's (conversion) and of step k - 1's
-- (conversion_from_previous; step 1: 1, its own base; NULL where the base has
-- no actor) and the actors lost since step k - 1 (dropped; step 1: 0).  Every
-- expected value below is worked out by hand in the comments.
SET TimeZone = 'UTC';

------------------------------------------------------------------------------
-- window_funnel's levels of six users, view -> cart -> buy within an hour
------------------------------------------------------------------------------
CREATE TABLE ft_events (u int, t timestamptz, e text);
INSERT INTO ft_events VALUES
    (1, '2024-01-01 10:00', 'view'), (1, '2024-01-01 10:10', 'cart'), (1, '2024-01-01 10:20', 'buy'),  -- 3
    (2, '2024-01-01 10:00', 'view'), (2, '2024-01-01 12:00', 'cart'),                                 -- 1 (cart 2 h later)
    (3, '2024-01-01 10:00', 'view'), (3, '2024-01-01 10:05', 'cart'),                                 -- 2
    (4, '2024-01-01 10:00', 'cart'),                                                                  -- 0 (no view)
    (5, '2024-01-01 09:00', 'view'), (5, '2024-01-01 09:01', 'cart'), (5, '2024-01-01 09:02', 'buy'),  -- 3
    (7, '2024-01-01 10:00', 'buy');                                                                   -- 0
CREATE VIEW ft_levels AS
SELECT u, window_funnel(interval '1 hour', t, e = 'view', e = 'cart', e = 'buy') AS level
FROM ft_events GROUP BY u;
SELECT * FROM ft_levels ORDER BY u;
-- levels 0: users 4 and 7, 1: user 2, 2: user 3, 3: users 1 and 5
SELECT funnel_agg(level, 3) FROM ft_levels;
-- step 1: levels >= 1 = 1 + 1 + 2 = 4 actors; conversion 4/4 = 1, from previous 1 (its own base), dropped 0
-- step 2: levels >= 2 = 1 + 2 = 3; 3/4 = 0.75, 3/4 = 0.75, dropped 4 - 3 = 1
-- step 3: level 3 = 2; 2/4 = 0.5, 2/3 = 0.666..., dropped 3 - 2 = 1
SELECT * FROM funnel_table((SELECT funnel_agg(level, 3) FROM ft_levels));
-- every actor counted (level 0 included): 6; no NULL level
SELECT actors(c), ignored_rows(c) FROM (SELECT funnel_agg(level, 3) AS c FROM ft_levels) q;

------------------------------------------------------------------------------
-- shapes
------------------------------------------------------------------------------
-- no actor reached step 1: every count 0, every rate NULL (0 / 0)
SELECT funnel_agg(l, 2) FROM (VALUES (0), (0), (0)) v(l);
SELECT * FROM funnel_table((SELECT funnel_agg(l, 2) FROM (VALUES (0), (0), (0)) v(l)));
-- one step: levels 0, 1, 1 -> step 1: 2 actors, 1, 1, 0
SELECT * FROM funnel_table((SELECT funnel_agg(l, 1) FROM (VALUES (0), (1), (1)) v(l)));
-- everyone stops at step 1 of 3: step 2 has 0 actors (2/2 -> 0/2 = 0, dropped 2);
-- step 3's rate from step 2 is 0 / 0: NULL, dropped 0
SELECT * FROM funnel_table((SELECT funnel_agg(l, 3) FROM (VALUES (1), (1)) v(l)));
-- NULL levels are not actors: counted as ignored rows (2), the actors are 1 (level 2)
SELECT funnel_agg(l, 2), actors(funnel_agg(l, 2)), ignored_rows(funnel_agg(l, 2))
FROM (VALUES (NULL), (2), (NULL)) v(l);
-- only NULL levels: a value of no actors (the steps are known), 2 ignored rows
SELECT funnel_agg(l, 2) FROM (VALUES (NULL::int), (NULL)) v(l);
-- no rows: NULL, and funnel_table of NULL has no rows (STRICT)
SELECT funnel_agg(l, 2) IS NULL AS no_rows FROM (VALUES (1)) v(l) WHERE false;
SELECT count(*) FROM funnel_table(NULL);
-- per group, as window functions (the state is updated in place: each row
-- sees the counts so far): 1 -> 0,1,0; +2 -> 0,1,1; +0 -> 1,1,1; +2 -> 1,1,2
SELECT i, l, funnel_agg(l, 2) OVER (ORDER BY i) FROM (VALUES (1, 1), (2, 2), (3, 0), (4, 2)) v(i, l);
-- 32 steps (window_funnel's most): levels 0 and 32
SELECT funnel_agg(l, 32) FROM (VALUES (0), (32)) v(l);
SELECT step, actors, conversion, conversion_from_previous, dropped
FROM funnel_table((SELECT funnel_agg(l, 32) FROM (VALUES (0), (32)) v(l))) WHERE step IN (1, 31, 32);

------------------------------------------------------------------------------
-- funnel_agg_sum: the counts of disjoint actor sets added up
------------------------------------------------------------------------------
-- users split by parity: odd (1, 3, 5, 7: levels 3, 2, 3, 0) and even (2, 4: 1, 0)
SELECT u % 2 AS odd, funnel_agg(level, 3) FROM ft_levels GROUP BY 1 ORDER BY 1;
-- 1,1,0,0 + 1,0,1,2 = 2,1,1,2: funnel_agg over all of them
SELECT funnel_agg_sum(c)::text = (SELECT funnel_agg(level, 3) FROM ft_levels)::text AS sum_equals_all, funnel_agg_sum(c)
FROM (SELECT funnel_agg(level, 3)::text::funnel_counts AS c FROM ft_levels GROUP BY u % 2) q;
-- NULL inputs are skipped; ignored rows add up (1 + 0 + 2)
SELECT funnel_agg_sum(c) FROM (VALUES ('v1 steps=2 ignored_rows=1 levels=5,0,1'::funnel_counts), (NULL),
                                      ('v1 steps=2 ignored_rows=2 levels=1,2,3')) v(c);
SELECT funnel_agg_sum(c) IS NULL AS only_nulls FROM (VALUES (NULL::funnel_counts)) v(c);
-- the function itself does not change its arguments
SELECT funnel_counts_add(a, a), a FROM (SELECT 'v1 steps=1 ignored_rows=1 levels=2,3'::funnel_counts AS a) q;

------------------------------------------------------------------------------
-- errors
------------------------------------------------------------------------------
-- steps: NULL (22004), out of 1..32 (22023), different between rows (22023)
SELECT sqlstate_of($$SELECT funnel_agg(l, NULL) FROM (VALUES (1)) v(l)$$);
SELECT sqlstate_of($$SELECT funnel_agg(l, 0) FROM (VALUES (0)) v(l)$$);
SELECT sqlstate_of($$SELECT funnel_agg(l, 33) FROM (VALUES (0)) v(l)$$);
SELECT sqlstate_of($$SELECT funnel_agg(l, s) FROM (VALUES (1, 3), (1, 2)) v(l, s)$$);
SELECT sqlstate_of($$SELECT funnel_agg(l, s) FROM (VALUES (NULL::int, 3), (NULL, 2)) v(l, s)$$);
-- levels outside 0..steps (22023)
SELECT sqlstate_of($$SELECT funnel_agg(l, 3) FROM (VALUES (0), (4)) v(l)$$);
SELECT sqlstate_of($$SELECT funnel_agg(l, 3) FROM (VALUES (-1)) v(l)$$);
-- the messages in full, once (with their detail and hint)
SELECT funnel_agg(l, 3) FROM (VALUES (0), (4)) v(l);
SELECT funnel_agg(l, s) FROM (VALUES (1, 3), (1, 2)) v(l, s);
SELECT funnel_agg_sum(c) FROM (VALUES ('v1 steps=2 ignored_rows=0 levels=1,0,0'::funnel_counts), ('v1 steps=3 ignored_rows=0 levels=1,0,0,0')) v(c);
-- sums out of range (22003): a level's count, the actors, the ignored rows
SELECT sqlstate_of($$SELECT funnel_agg_sum(c) FROM (VALUES ('v1 steps=1 ignored_rows=0 levels=9223372036854775000,0'::funnel_counts),
                                                           ('v1 steps=1 ignored_rows=0 levels=9223372036854775000,0')) v(c)$$);
SELECT sqlstate_of($$SELECT funnel_agg_sum(c) FROM (VALUES ('v1 steps=1 ignored_rows=0 levels=9223372036854775000,0'::funnel_counts),
                                                           ('v1 steps=1 ignored_rows=0 levels=0,9223372036854775000')) v(c)$$);
SELECT sqlstate_of($$SELECT funnel_agg_sum(c) FROM (VALUES ('v1 steps=1 ignored_rows=9223372036854775000 levels=0,0'::funnel_counts),
                                                           ('v1 steps=1 ignored_rows=9223372036854775000 levels=0,0')) v(c)$$);
SELECT sqlstate_of($$SELECT funnel_agg_trans('v1 steps=1 ignored_rows=0 levels=9223372036854775000,807', 1, 1)$$);

------------------------------------------------------------------------------
-- text and binary forms
------------------------------------------------------------------------------
SELECT 'v1 steps=3 ignored_rows=7 levels=0,1,22,333'::funnel_counts;
SELECT 'v1 steps=1 ignored_rows=0 levels=9223372036854775000,0'::funnel_counts;
SELECT funnel_counts_send('v1 steps=2 ignored_rows=1 levels=2,3,4');
-- hostile text: 22P02 each (version, fields, counts, steps, too few / many levels, actors over int64)
SELECT v, sqlstate_of(format('SELECT %L::funnel_counts', v)) FROM (VALUES
    (''), ('v2 steps=1 ignored_rows=0 levels=0,0'), ('v1 steps=1 levels=0,0'),
    ('v1 steps=0 ignored_rows=0 levels=0'), ('v1 steps=33 ignored_rows=0 levels=0'),
    ('v1 steps=1 ignored_rows=-1 levels=0,0'), ('v1 steps=1 ignored_rows=0 levels=0,-1'),
    ('v1 steps=1 ignored_rows=0 levels=0'), ('v1 steps=1 ignored_rows=0 levels=0,0,0'),
    ('v1 steps=1 ignored_rows=0 levels=0,'), ('v1 steps=1 ignored_rows=0 levels=,0'),
    ('v1 steps=1 ignored_rows=0 levels=0,0 x'), ('v1 steps=1 ignored_rows=0 levels=1 ,0'),
    ('v1 steps=1 ignored_rows=0 levels=9223372036854775000,9223372036854775000')) t(v);
-- binary through COPY (FORMAT binary): round trip, and damaged bytes (22P03 each:
-- truncated, a byte more, version 2, steps 0 and 33, a negative count, actors over int64)
CREATE TABLE ft_stored (id int GENERATED ALWAYS AS IDENTITY, c funnel_counts);
CREATE FUNCTION ft_recv(bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE path text := current_setting('data_directory') || '/retention_funnel_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', bytes, path);
    EXECUTE format('COPY ft_stored (c) FROM %L (FORMAT binary)', path);
    RETURN (SELECT c::text FROM ft_stored ORDER BY id DESC LIMIT 1);
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT ft_recv(funnel_counts_send(c)) AS round_trip
FROM (VALUES ('v1 steps=2 ignored_rows=1 levels=2,3,4'::funnel_counts), (('v1 steps=32 ignored_rows=0 levels=' || repeat('5,', 32) || '6')::funnel_counts)) v(c);
SELECT what, ft_recv(b) FROM (VALUES
    ('intact', '\x01020000000000000001000000000000000200000000000000030000000000000004'::bytea),
    ('truncated', '\x010200000000000000010000000000000002000000000000000300000000000000'),
    ('a byte more', '\x0102000000000000000100000000000000020000000000000003000000000000000400'),
    ('version 2', '\x02020000000000000001000000000000000200000000000000030000000000000004'),
    ('steps 0', '\x01000000000000000000'),
    ('steps 33', '\x0121'),
    ('negative count', '\x01010000000000000000ffffffffffffffff0000000000000001'),
    ('actors over int64', '\x010100000000000000007fffffffffffffff0000000000000001')) t(what, b);

------------------------------------------------------------------------------
-- plans: forced parallel, hash and sorted grouping give the same counts
------------------------------------------------------------------------------
CREATE TABLE ft_many AS
SELECT i AS u, (i * 7919) % 5 AS level FROM generate_series(1, 20000) i;
ANALYZE ft_many;
-- levels (7919 i mod 5) run through 0..4 evenly: 4000 actors each
SELECT funnel_agg(level, 4) FROM ft_many;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT funnel_agg(level, 4) FROM ft_many;
SELECT funnel_agg(level, 4) FROM ft_many;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SET enable_sort = off;
SELECT u % 3 AS g, funnel_agg(level, 4) FROM ft_many GROUP BY 1 ORDER BY 1;
RESET enable_sort;
SET enable_hashagg = off;
SELECT u % 3 AS g, funnel_agg(level, 4) FROM ft_many GROUP BY 1 ORDER BY 1;
RESET enable_hashagg;
