-- bench/retention_agg.sql: retention_agg + retention_table against the best plain SQL
-- we know, serial, on generated events (issue 15's target: 10M events of 1M actors over
-- 90 days, daily; >= 3x for calendar first-time retention, >= 5x for 24-hour windows).
--
--   psql -X -v n_events=10000000 -v n_actors=1000000 -f bench/retention_agg.sql
--
-- Each query runs twice (the second time by \g); the second (warm) timing counts.  The plain SQL gives the
-- cohort sizes and the active actors per (cohort, offset), a subset of what
-- retention_table reports (no active_on_or_after, rates or completeness).
\set ON_ERROR_STOP on
\if :{?n_events} \else \set n_events 10000000 \endif
\if :{?n_actors} \else \set n_actors 1000000 \endif
SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SET work_mem = '1GB';
SET jit = off;
SET retention.max_state_memory = '4GB';
DROP TABLE IF EXISTS bench_events;
SELECT setseed(0.15);
CREATE UNLOGGED TABLE bench_events AS
SELECT floor(random() * :n_actors)::int AS u,
       timestamptz '2024-01-01 00:00+00' + random() * interval '90 days' AS t,
       random() < 0.2 AS s, random() < 0.8 AS r
FROM generate_series(1, :n_events);
VACUUM ANALYZE bench_events;
SELECT count(*) AS events, count(DISTINCT u) AS actors FROM bench_events;
\timing on

\echo === calendar days, first_time: retention_agg + retention_table
SELECT count(*), sum(active) FROM retention_table((SELECT retention_agg(u, t, 'day', s, r) FROM bench_events));
\g
\echo === calendar days, first_time: plain SQL
WITH f AS (SELECT u, min(t)::date AS c FROM bench_events WHERE s GROUP BY u),
     d AS (SELECT DISTINCT u, t::date AS d FROM bench_events WHERE r),
     cells AS (SELECT f.c, d.d - f.c AS k, count(*) AS active FROM f JOIN d USING (u) WHERE d.d > f.c GROUP BY 1, 2
               UNION ALL SELECT c, 0, count(*) FROM f GROUP BY c)
SELECT count(*), sum(active) FROM cells;
\g

\echo === 24-hour windows: retention_agg + retention_table
SELECT count(*), sum(active) FROM retention_table((SELECT retention_agg(u, t, interval '24 hours', s, r) FROM bench_events));
\g
\echo === 24-hour windows: plain SQL
WITH f AS (SELECT u, min(t) AS t0 FROM bench_events WHERE s GROUP BY u),
     a AS (SELECT DISTINCT e.u, f.t0::date AS c, floor(extract(epoch FROM e.t - f.t0) / 86400)::int AS k
           FROM f JOIN bench_events e USING (u) WHERE e.r AND e.t >= f.t0),
     cells AS (SELECT c, k, count(*) AS active FROM a WHERE k > 0 GROUP BY 1, 2
               UNION ALL SELECT t0::date, 0, count(*) FROM f GROUP BY 1)
SELECT count(*), sum(active) FROM cells;
\g
\timing off

\echo === state size: the flat state (what parallel workers send) per actor
CREATE TEMP TABLE bench_state_size AS SELECT 1;
CREATE AGGREGATE pg_temp.ra_state(anyelement, timestamptz, text, boolean, boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state);
CREATE AGGREGATE pg_temp.ra_state(anyelement, timestamptz, interval, boolean, boolean) (
    SFUNC = retention_agg_trans, STYPE = retention_state);
SELECT 'day' AS period, octet_length(retention_state_send(pg_temp.ra_state(u, t, 'day', s, r)))::float8
           / (SELECT count(DISTINCT u) FROM bench_events WHERE s OR r) AS flat_bytes_per_actor
  FROM bench_events
UNION ALL
SELECT '24 hours', octet_length(retention_state_send(pg_temp.ra_state(u, t, interval '24 hours', s, r)))::float8
           / (SELECT count(DISTINCT u) FROM bench_events WHERE s OR r)
  FROM bench_events;
