-- retention_agg against plain SQL: every column of retention_table and retention_curve,
-- serial, under forced parallel plans and partitionwise; cohort_agg = retention_agg with
-- is_start and is_return both true.
--
-- The plain-SQL reference (ref_table) is written from the definitions of
-- doc/retention_agg.md, not from the C code:
--   anchors   first_time: per actor the first is_start event; recurring (calendar
--             periods): every period with an is_start event, anchored at the first of
--             them in the period; windows: the first is_start;
--   hits      the actor's return events at or after the anchor's time (also in the
--             anchor's own period), per offset k (period difference, or floor of the time
--             since the anchor over the window) with their count and summed value;
--   active    offset 0 always, k >= 1 with at least min_occurrences return events; with
--             brackets the offsets map to brackets (0 alone, then the sizes) and an actor
--             is active in a bracket when active in one of its offsets;
--   complete  calendar: the period cohort + k ends by the observation end; windows: the
--             cohort's last possible member's window k ends by it.
-- Periods are found with date_trunc in the session TimeZone (Sunday weeks by shifting a
-- day), so the DST days of America/New_York are crossed by the data.
--
-- Shapes: many actors with few events; few actors with many events (ties at whole
-- hours); NULL actors, times and flags; start and return events that differ; values with
-- NULLs; each table filled in random row order (shuffled).
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(52);

CREATE SCHEMA tap_ra;
SET LOCAL search_path = tap_ra, public;
\ir lib/plans.psql
SET LOCAL TimeZone = 'America/New_York';

-- A table `name` (id, u, t timestamptz, s, r boolean, v numeric): nrows events of
-- nactors actors at random times within span_days days from 2024-02-20 (across the DST
-- change of 2024-03-10), rounded to round_to; p_start of them are start events, p_return
-- return events (independently), p_null of actors, times, flags and values NULL;
-- inserted in random order.
CREATE FUNCTION make_events(name text, seed float8, nrows int, nactors int, span_days int,
                            round_to interval, p_start float8, p_return float8, p_null float8)
RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM setseed(seed);
    EXECUTE format($q$
        CREATE TABLE %I AS
        SELECT id, u, t, s, r, v FROM (
            SELECT id,
                   CASE WHEN random() < %5$s THEN NULL ELSE floor(random() * %2$s)::int END AS u,
                   CASE WHEN random() < %5$s THEN NULL
                        ELSE date_bin(%6$L::interval,
                                      timestamptz '2024-02-20 00:00:00+00' + random() * %3$s * interval '1 day',
                                      timestamptz '2000-01-01 00:00:00+00') END AS t,
                   CASE WHEN random() < %5$s THEN NULL ELSE random() < %7$s END AS s,
                   CASE WHEN random() < %5$s THEN NULL ELSE random() < %8$s END AS r,
                   CASE WHEN random() < %5$s THEN NULL ELSE round((random() * 200 - 20)::numeric, 2) END AS v,
                   random() AS shuffle
            FROM generate_series(1, %4$s) id) x ORDER BY shuffle$q$,
        name, nactors, span_days, nrows, p_null, round_to, p_start, p_return);
    EXECUTE format('ALTER TABLE %I SET (parallel_workers = 2)', name);
    EXECUTE format('ANALYZE %I', name);
END
$f$;

-- The start of the period of t, and its number (consecutive periods, consecutive numbers).
CREATE FUNCTION pstart(per text, t timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $f$
    SELECT CASE per WHEN 'sunday_week' THEN date_trunc('week', t + interval '1 day') - interval '1 day'
                    ELSE date_trunc(per, t) END
$f$;
CREATE FUNCTION pidx(per text, t timestamptz) RETURNS int LANGUAGE sql STABLE AS $f$
    SELECT CASE per
        WHEN 'day' THEN pstart(per, t)::date - date '2000-01-01'
        WHEN 'week' THEN (pstart(per, t)::date - date '2000-01-03') / 7
        WHEN 'sunday_week' THEN (pstart(per, t)::date - date '2000-01-02') / 7
        WHEN 'month' THEN (extract(year FROM t) * 12 + extract(month FROM t))::int
    END
$f$;

-- The reference retention_table.  per: day, week, sunday_week, month (win NULL), or the
-- window win (per NULL).
CREATE FUNCTION ref_table(rel text, per text, win interval, recurring boolean, minocc int,
                          brackets int[], has_value boolean, until timestamptz DEFAULT NULL)
RETURNS TABLE (cohort timestamptz, period_offset int, cohort_size int8, active int8,
               retention_rate float8, active_on_or_after int8, rate_vs_previous float8,
               value numeric, value_per_active numeric, complete boolean)
LANGUAGE plpgsql STABLE AS $f$
DECLARE
    unit text := CASE WHEN win IS NULL THEN per WHEN win >= interval '1 day' THEN 'day' ELSE 'hour' END;
BEGIN
    RETURN QUERY EXECUTE format($q$
    WITH ev AS (SELECT u, t, coalesce(s, false) AS s, coalesce(r, false) AS r, v
                FROM %I WHERE u IS NOT NULL AND t IS NOT NULL),
    obs AS (SELECT coalesce($7, max(t)) AS e FROM ev),
    bk AS (SELECT b::int AS b, (sum(sz) OVER (ORDER BY b))::int AS hi
           FROM unnest($5) WITH ORDINALITY x(sz, b)),
    anchors AS (
        SELECT u, t0, pstart($8, t0) AS cstart FROM (
            SELECT u, min(t) AS t0 FROM ev WHERE s GROUP BY u) a
        WHERE $2 IS NOT NULL OR NOT $3
        UNION ALL
        SELECT u, min(t), pstart($1, t) FROM ev
        WHERE s AND $2 IS NULL AND $3 GROUP BY u, pstart($1, t)),
    hits AS (
        SELECT a.u, a.cstart, x.k, count(*) AS n, sum(e.v) AS val
        FROM anchors a JOIN ev e ON e.u = a.u AND e.r,
             LATERAL (SELECT CASE WHEN e.t < a.t0 THEN NULL
                                  WHEN $2 IS NULL THEN pidx($1, e.t) - pidx($1, a.cstart)
                                  ELSE floor(extract(epoch FROM e.t - a.t0) / extract(epoch FROM $2))::int
                             END AS k) x
        WHERE x.k >= 0
        GROUP BY a.u, a.cstart, x.k),
    mapped AS (
        SELECT u, cstart, o, sum(n) AS n, sum(val) AS val FROM (
            SELECT h.*, CASE WHEN $5 IS NULL OR k = 0 THEN k
                             ELSE (SELECT min(b) FROM bk WHERE h.k <= bk.hi) END AS o
            FROM hits h WHERE k = 0 OR n >= $4) y
        WHERE o IS NOT NULL
        GROUP BY u, cstart, o),
    member AS (
        SELECT a.u, a.cstart, 0 AS o, m.val FROM anchors a
        LEFT JOIN mapped m ON m.u = a.u AND m.cstart = a.cstart AND m.o = 0
        UNION ALL
        SELECT u, cstart, o, val FROM mapped WHERE o > 0),
    lastp AS (SELECT u, cstart, max(o) AS lo FROM member GROUP BY u, cstart),
    cells AS (SELECT cstart, o, count(*) AS act, sum(val) AS val FROM member GROUP BY cstart, o),
    sizes AS (SELECT cstart, act AS size, (SELECT max(o) FROM cells c2 WHERE c2.cstart = c.cstart) AS maxo
              FROM cells c WHERE o = 0),
    lastall AS (SELECT greatest(pidx($1, (SELECT e FROM obs)), max(pidx($1, cstart) + o)) AS lp FROM cells),
    grid AS (
        SELECT z.cstart, z.size, g.o FROM sizes z,
        LATERAL generate_series(0, CASE
            WHEN $5 IS NOT NULL THEN cardinality($5)
            WHEN $2 IS NULL THEN (SELECT lp FROM lastall) - pidx($1, z.cstart)
            ELSE greatest(z.maxo, floor(extract(epoch FROM (SELECT e FROM obs) - z.cstart)
                                        / extract(epoch FROM $2))::int) END) g(o)),
    rows AS (
        SELECT g.cstart, g.o, g.size,
               CASE WHEN g.o = 0 THEN g.size ELSE coalesce(c.act, 0) END AS act,
               CASE WHEN g.o = 0 THEN g.size
                    ELSE (SELECT count(*) FROM lastp l WHERE l.cstart = g.cstart AND l.lo >= g.o) END AS aoa,
               CASE WHEN $6 THEN coalesce(c.val, 0) END AS val,
               CASE WHEN $5 IS NULL OR g.o = 0 THEN g.o ELSE (SELECT hi FROM bk WHERE b = g.o) END AS kend
        FROM grid g LEFT JOIN cells c ON c.cstart = g.cstart AND c.o = g.o)
    SELECT cstart, o::int, size, act, act::float8 / size, aoa,
           CASE WHEN o > 0 THEN act::float8 / nullif(lag(act) OVER w, 0) END,
           val, val / nullif(act, 0),
           CASE WHEN $2 IS NULL THEN pidx($1, cstart) + kend < pidx($1, (SELECT e FROM obs))
                ELSE cstart + ('1 ' || $8)::interval + (kend + 1) * $2 <= (SELECT e FROM obs) END
    FROM rows WINDOW w AS (PARTITION BY cstart ORDER BY o)
    ORDER BY cstart, o$q$, rel)
    USING per, win, recurring, minocc, brackets, has_value, until, unit;
END
$f$;

-- The extension's query for the same arguments.
CREATE FUNCTION q_agg(rel text, per text, win interval, recurring boolean, minocc int,
                      brackets int[], has_value boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format('SELECT retention_agg(u, t, %s, s, r%s) AS m FROM %s',
                  CASE WHEN win IS NULL THEN quote_literal(CASE per WHEN 'sunday_week' THEN 'week' ELSE per END)
                       ELSE quote_literal(win) || '::interval' END,
                  CASE WHEN has_value THEN
                      format(', v, retention_options(cohorts => %L, brackets => %L::int[], min_occurrences => %s, week_start => %L)',
                             CASE WHEN recurring THEN 'recurring' ELSE 'first_time' END, brackets, minocc,
                             CASE per WHEN 'sunday_week' THEN 'sunday' ELSE 'monday' END)
                  WHEN recurring OR minocc <> 1 OR brackets IS NOT NULL OR per = 'sunday_week' THEN
                      format(', NULL, retention_options(cohorts => %L, brackets => %L::int[], min_occurrences => %s, week_start => %L)',
                             CASE WHEN recurring THEN 'recurring' ELSE 'first_time' END, brackets, minocc,
                             CASE per WHEN 'sunday_week' THEN 'sunday' ELSE 'monday' END)
                  ELSE '' END, rel)
$f$;

-- retention_table and retention_curve against the reference (2 tests).  Without a value
-- the NULL value of q_agg's options form is passed; the reference then has no values.
CREATE FUNCTION check_ref(label text, rel text, per text, win interval, recurring boolean,
                          minocc int, brackets int[], has_value boolean, until timestamptz DEFAULT NULL)
RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    agg text := q_agg(rel, per, win, recurring, minocc, brackets, has_value);
    ref text := format('SELECT * FROM ref_table(%L, %L, %L, %L, %s, %L, %L, %L)',
                       rel, per, win, recurring, minocc, brackets, has_value, until);
    agg_has_value boolean := has_value OR recurring OR minocc <> 1 OR brackets IS NOT NULL OR per = 'sunday_week';
BEGIN
    IF agg_has_value AND NOT has_value THEN
        -- a NULL value argument: values of 0 rather than NULL
        ref := 'SELECT cohort, period_offset, cohort_size, active, retention_rate, active_on_or_after, '
               'rate_vs_previous, CASE WHEN true THEN 0::numeric END, '
               'CASE WHEN active > 0 THEN 0::numeric END, complete FROM (' || ref || ') x';
    END IF;
    RETURN NEXT results_eq(format('SELECT * FROM retention_table((%s), %L)', agg, until), ref,
                           label || ': retention_table = plain SQL');
    RETURN NEXT results_eq(
        format('SELECT * FROM retention_curve((%s), %L)', agg, until),
        format($q$SELECT period_offset, count(*)::int, sum(cohort_size)::int8, sum(active)::int8,
                         sum(active)::float8 / sum(cohort_size), avg(retention_rate)
                  FROM (%s) x WHERE complete GROUP BY period_offset ORDER BY period_offset$q$, ref),
        label || ': retention_curve = plain SQL');
END
$f$;

-- forced parallel = serial, partitionwise = serial (4 tests), on the matrices' text (the
-- cells exactly) and their tables
CREATE FUNCTION check_plans(label text, rel text, per text, win interval, recurring boolean,
                            minocc int, brackets int[]) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    plan_text text;
BEGIN
    DROP TABLE IF EXISTS res_serial, res_parallel, res_partitionwise;
    PERFORM use_plan(false);
    EXECUTE 'CREATE TABLE res_serial AS ' || q_agg(rel, per, win, recurring, minocc, brackets, true);
    PERFORM use_plan(true);
    plan_text := explain_analyze('CREATE TABLE res_parallel AS ' || q_agg(rel, per, win, recurring, minocc, brackets, true));
    PERFORM use_plan(false);
    RETURN NEXT ok(plan_text ~ 'Partial \w*Aggregate' AND plan_text ~ 'Workers Launched: [1-9]',
                   label || ': parallel plan with partial aggregates and workers');
    RETURN NEXT results_eq('SELECT t.* FROM res_parallel, retention_table(m) t',
                           'SELECT t.* FROM res_serial, retention_table(m) t',
                           label || ': parallel = serial');
    PERFORM set_config('enable_partitionwise_aggregate', 'on', true);
    plan_text := explain_analyze('CREATE TABLE res_partitionwise AS '
                                 || q_agg(rel || '_p', per, win, recurring, minocc, brackets, true));
    PERFORM set_config('enable_partitionwise_aggregate', 'off', true);
    RETURN NEXT ok(plan_text ~ 'Partial \w*Aggregate' AND plan_text ~ 'Append',
                   label || ': partial aggregates per partition');
    RETURN NEXT results_eq('SELECT t.* FROM res_partitionwise, retention_table(m) t',
                           'SELECT t.* FROM res_serial, retention_table(m) t',
                           label || ': partitionwise = serial');
END
$f$;

------------------------------------------------------------------------------------------
-- Data
------------------------------------------------------------------------------------------
SELECT make_events('e_many', 0.1, 6000, 800, 70, '1 minute', 0.3, 0.8, 0.0);
SELECT make_events('e_few', 0.2, 4000, 12, 45, '1 hour', 0.1, 0.6, 0.0);     -- ties
SELECT make_events('e_nulls', 0.3, 3000, 200, 40, '1 second', 0.4, 0.5, 0.05);
SELECT make_events('e_big', 0.4, 150000, 5000, 60, '1 second', 0.3, 0.7, 0.01);
SELECT make_events('e_wide', 0.5, 200000, 80000, 30, '1 second', 0.3, 0.7, 0.01);  -- rows batched (a large actors table)
SELECT make_parts('e_big');

SELECT ok((SELECT count(*) FROM e_many WHERE t::date = date '2024-03-10') > 50,
          'e_many: events on the DST day');
SELECT ok((SELECT count(*) FROM (SELECT u, t FROM e_few GROUP BY u, t HAVING count(*) > 1) x) > 50,
          'e_few: many events of one actor at the same time');

------------------------------------------------------------------------------------------
-- Against the reference
------------------------------------------------------------------------------------------
SELECT check_ref('day, first_time, value', 'e_many', 'day', NULL, false, 1, NULL, true);
SELECT check_ref('day, first_time, no value', 'e_nulls', 'day', NULL, false, 1, NULL, false);
SELECT check_ref('day, recurring', 'e_many', 'day', NULL, true, 1, NULL, true);
SELECT check_ref('week, first_time', 'e_many', 'week', NULL, false, 1, NULL, true);
SELECT check_ref('week from Sunday, recurring', 'e_few', 'sunday_week', NULL, true, 1, NULL, true);
SELECT check_ref('month, first_time', 'e_nulls', 'month', NULL, false, 1, NULL, true);
SELECT check_ref('day, min_occurrences 3', 'e_few', 'day', NULL, false, 3, NULL, true);
SELECT check_ref('day, recurring, brackets, min_occurrences 2', 'e_few', 'day', NULL, true, 2, '{2,5,10}', true);
SELECT check_ref('24-hour windows', 'e_many', NULL, interval '24 hours', false, 1, NULL, true);
SELECT check_ref('24-hour windows, NULLs', 'e_nulls', NULL, interval '24 hours', false, 1, NULL, true);
SELECT check_ref('7-day windows, recurring (one row per actor)', 'e_few', NULL, interval '7 days', true, 1, NULL, true);
SELECT check_ref('6-hour windows (hour cohorts), min_occurrences 2', 'e_few', NULL, interval '6 hours', false, 2, NULL, true);
SELECT check_ref('24-hour windows, brackets', 'e_many', NULL, interval '24 hours', false, 1, '{1,3,7}', true);
SELECT check_ref('day, observed_until', 'e_many', 'day', NULL, false, 1, NULL, true, timestamptz '2024-06-01 12:00+00');
SELECT check_ref('24-hour windows, observed_until', 'e_many', NULL, interval '24 hours', false, 1, NULL, true,
                 timestamptz '2024-05-20 00:00+00');
SELECT check_ref('many actors (batched rows), day', 'e_wide', 'day', NULL, false, 1, NULL, true);
SELECT check_ref('many actors (batched rows), 24-hour windows, recurring', 'e_wide', NULL, interval '24 hours', true, 1, NULL, true);

------------------------------------------------------------------------------------------
-- Serial = parallel = partitionwise
------------------------------------------------------------------------------------------
SELECT check_plans('day, first_time', 'e_big', 'day', NULL, false, 1, NULL);
SELECT check_plans('week, recurring, brackets', 'e_big', 'week', NULL, true, 2, '{1,2}');
SELECT check_plans('24-hour windows', 'e_big', NULL, interval '24 hours', false, 1, NULL);

------------------------------------------------------------------------------------------
-- cohort_agg = retention_agg with is_start and is_return both true on orders
------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT cohort::timestamptz, period_offset, cohort_size, active, retention_rate, active_on_or_after,
             revenue, complete
      FROM cohort_table((SELECT cohort_agg(u, t, 'month', v) FROM e_nulls))$$,
    $$SELECT cohort, period_offset, cohort_size, active, retention_rate, active_on_or_after, value, complete
      FROM retention_table((SELECT retention_agg(u, t, 'month', true, true, v) FROM e_nulls))$$,
    'cohort_agg = retention_agg(..., true, true, amount): months');
SELECT results_eq(
    $$SELECT cohort::timestamptz, period_offset, cohort_size, active, retention_rate, active_on_or_after,
             revenue, complete
      FROM cohort_table((SELECT cohort_agg(u, t, 'week', v) FROM e_big), '2024-07-01')$$,
    $$SELECT cohort, period_offset, cohort_size, active, retention_rate, active_on_or_after, value, complete
      FROM retention_table((SELECT retention_agg(u, t, 'week', true, true, v) FROM e_big), '2024-07-01')$$,
    'cohort_agg = retention_agg(..., true, true, amount): weeks, observed_until');
SELECT results_eq(
    $$SELECT period_offset, cohorts, cohort_customers, active, retention_rate, mean_rate
      FROM retention_curve((SELECT cohort_agg(u, t, 'day') FROM e_many))$$,
    $$SELECT period_offset, cohorts, cohort_customers, active, retention_rate, mean_rate
      FROM retention_curve((SELECT retention_agg(u, t, 'day', true, true) FROM e_many))$$,
    'cohort_agg = retention_agg(..., true, true): the retention curves');

-- the text round trip of a matrix
SELECT is((SELECT count(*) FROM (SELECT retention_agg(u, t, 'day', s, r, v) AS m FROM e_many) x
           WHERE m::text::retention_matrix::text = m::text), 1::bigint, 'matrix text round trip');

SELECT * FROM finish();
ROLLBACK;
