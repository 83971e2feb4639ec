-- bench/lib.sql: the measuring machinery of bench/run (schema "bench" in the
-- throwaway benchmark cluster).  Nothing here is part of the extension.

\set ON_ERROR_STOP on
CREATE SCHEMA bench;

-- One row per measured query.
CREATE TABLE bench.results (
    id       serial PRIMARY KEY,
    suite    text   NOT NULL DEFAULT 'order_stats',  -- 'order_stats' | 'cohort_agg' | 'revenue' | 'rfm' | 'rfm_agg' | 'scaling': which summary table
    dataset  text   NOT NULL,   -- 'orders 1M', 'lines of 1M orders', 'orders 1M (cohorts)', ...
    grp      text   NOT NULL,   -- 'serial' | 'parallel' | 'jit' | 'sums' (rfm)
    kind     text   NOT NULL,   -- 'base' (count(*)) | 'plain' | 'ours'
    label    text   NOT NULL,
    q        text   NOT NULL,
    settings text[] NOT NULL DEFAULT '{}',   -- {name=value, ...} for this query only
    result   text,              -- the KPI row as text (from an untimed run)
    plan     text,              -- plan shape (node names, top first)
    explain_note text,          -- workers launched, hash/sort memory from EXPLAIN ANALYZE
    runs_ms  float8[],
    best_ms  float8,
    mem_kb   bigint             -- peak private memory of the query, kB (see memory() in bench/run)
);

-- Facts about a data set (size, distribution, state size).
CREATE TABLE bench.facts (
    id      serial PRIMARY KEY,
    dataset text NOT NULL,
    key     text NOT NULL,
    value   text
);

-- A field of this backend's /proc/self/status, kB (Linux): VmHWM, RssAnon, ...
CREATE FUNCTION bench.status_kb(field text) RETURNS bigint LANGUAGE sql VOLATILE
RETURN (regexp_match(pg_read_file('/proc/self/status'), field || ':\s+(\d+) kB'))[1]::bigint;

-- The smallest retention.max_state_memory (kB, within 0.5%) under which query q runs
-- without SQLSTATE 54000; NULL if it fails even at 1 GB.
CREATE FUNCTION bench.state_peak_kb(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    lo  bigint := 63;          -- fails (the setting's minimum is 64)
    hi  bigint := 1048576;     -- works (checked first)
    mid bigint;
BEGIN
    BEGIN
        PERFORM set_config('retention.max_state_memory', hi || 'kB', true);
        EXECUTE q;
    EXCEPTION WHEN program_limit_exceeded THEN
        RETURN NULL;
    END;
    WHILE hi - lo > greatest(16, hi / 200) LOOP
        mid := (lo + hi) / 2;
        BEGIN
            PERFORM set_config('retention.max_state_memory', mid || 'kB', true);
            EXECUTE q;
            hi := mid;
        EXCEPTION WHEN program_limit_exceeded THEN
            lo := mid;
        END;
    END LOOP;
    RETURN hi;
END
$$;

-- Register one query: one untimed run that keeps the result row as text and one
-- EXPLAIN (ANALYZE, TIMING OFF) for the plan shape and memory notes.  Settings
-- apply to this transaction only.  Returns the row's id; bench.time_one times it.
CREATE FUNCTION bench.prepare(p_dataset text, p_grp text, p_kind text, p_label text,
                              p_q text, p_settings text[] DEFAULT '{}',
                              p_suite text DEFAULT 'order_stats')
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    s       text;
    r       text;
    line    text;
    m       text[];
    nodes   text[] := '{}';
    notes   text[] := '{}';
    id      int;
BEGIN
    FOREACH s IN ARRAY p_settings LOOP
        PERFORM set_config(split_part(s, '=', 1), split_part(s, '=', 2), true);
    END LOOP;

    EXECUTE format('SELECT t::text FROM (%s) t', p_q) INTO r;

    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ' || p_q LOOP
        m := regexp_match(line, '^\s*(?:->\s+)?([A-Z][A-Za-z ]*?)(?: on \S+(?: \S+)?)?\s+\(actual');
        IF m IS NOT NULL AND m[1] NOT IN ('Subquery Scan', 'Result') THEN
            nodes := nodes || m[1];
        END IF;
        m := regexp_match(line, 'Workers Launched: (\d+)');
        IF m IS NOT NULL THEN notes := notes || ('workers ' || m[1]); END IF;
        m := regexp_match(line, '(?:Memory Usage|Memory|Disk Usage|Disk): (\d+)kB');
        IF m IS NOT NULL THEN
            notes := notes || (CASE WHEN line ~ 'Disk' THEN 'disk ' ELSE 'mem ' END
                               || round(m[1]::numeric / 1024, 1) || ' MB');
        END IF;
    END LOOP;

    INSERT INTO bench.results (suite, dataset, grp, kind, label, q, settings, result, plan,
                               explain_note, runs_ms)
    VALUES (p_suite, p_dataset, p_grp, p_kind, p_label, p_q, p_settings, r,
            array_to_string(nodes, ' > '), array_to_string(notes, ', '), '{}')
    RETURNING results.id INTO id;
    RETURN id;
END
$$;

-- One timed run of a registered query, after an untimed one in the same backend
-- (it maps the table's shared buffers into this process and warms the caches):
-- clock_timestamp() around EXECUTE, the result is discarded.  bench/run calls it
-- in a fresh backend for each run, round-robin over the queries of a data set, so
-- that a burst of other work on the machine spoils one run of each query, not all
-- runs of one.  Returns the time, ms.
CREATE FUNCTION bench.time_one(p_id int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    s   text;
    q   text;
    t0  timestamptz;
    ms  float8;
BEGIN
    SELECT r.q INTO q FROM bench.results r WHERE r.id = p_id;
    FOR s IN SELECT unnest(settings) FROM bench.results r WHERE r.id = p_id LOOP
        PERFORM set_config(split_part(s, '=', 1), split_part(s, '=', 2), true);
    END LOOP;
    EXECUTE q;
    t0 := clock_timestamp();
    EXECUTE q;
    ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    UPDATE bench.results r SET runs_ms = runs_ms || ms,
                               best_ms = least(best_ms, ms)
    WHERE r.id = p_id;
    RETURN ms;
END
$$;

-- Results that differ from the extension's row of the same data set and group.
CREATE VIEW bench.mismatches AS
SELECT r.dataset, r.grp, r.label, r.result AS plain_result, o.result AS ours_result
FROM bench.results r
JOIN bench.results o ON o.dataset = r.dataset AND o.grp = r.grp AND o.kind = 'ours'
WHERE r.kind = 'plain' AND r.result IS DISTINCT FROM o.result
UNION ALL
-- and parallel / jit results that differ from the serial ones
SELECT r.dataset, r.grp, r.label, r.result, s.result
FROM bench.results r
JOIN bench.results s ON s.dataset = r.dataset AND s.grp = 'serial' AND s.label = r.label
WHERE r.grp <> 'serial' AND r.result IS DISTINCT FROM s.result;

-- Per data set and group: count(*), the fastest plain-SQL variant, ours.
CREATE VIEW bench.summary AS
SELECT d.suite, d.dataset, d.grp,
       b.best_ms AS count_ms,
       p.label   AS plain_label, p.best_ms AS plain_ms, p.mem_kb AS plain_mem_kb,
       o.best_ms AS ours_ms, o.mem_kb AS ours_mem_kb,
       p.best_ms / o.best_ms AS speedup,
       o.best_ms / b.best_ms AS ours_per_count,
       p.best_ms / b.best_ms AS plain_per_count,
       min(d.id) AS first_id
FROM bench.results d
LEFT JOIN LATERAL (SELECT * FROM bench.results x WHERE x.dataset = d.dataset AND x.grp = d.grp
                   AND x.kind = 'base' ORDER BY best_ms LIMIT 1) b ON true
LEFT JOIN LATERAL (SELECT * FROM bench.results x WHERE x.dataset = d.dataset AND x.grp = d.grp
                   AND x.kind = 'plain' ORDER BY best_ms LIMIT 1) p ON true
LEFT JOIN LATERAL (SELECT * FROM bench.results x WHERE x.dataset = d.dataset AND x.grp = d.grp
                   AND x.kind = 'ours' AND x.suite = d.suite ORDER BY best_ms LIMIT 1) o ON true
GROUP BY d.suite, d.dataset, d.grp, b.best_ms, p.label, p.best_ms, p.mem_kb, o.best_ms, o.mem_kb;

CREATE FUNCTION bench.ms(x float8) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE WHEN x IS NULL THEN '-' WHEN x < 100 THEN to_char(x, 'FM990.0')
            ELSE to_char(x, 'FM999,999,990') END;
CREATE FUNCTION bench.mb(kb bigint) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE WHEN kb IS NULL THEN '-' ELSE to_char(kb / 1024.0, 'FM999,990.0') || ' MB' END;
CREATE FUNCTION bench.x(r float8) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE WHEN r IS NULL THEN '-' ELSE to_char(r, 'FM990.00') || 'x' END;

-- The markdown report (after the header, which bench/run writes).
CREATE FUNCTION bench.report() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s    record;
    ds   record;
    r    record;
BEGIN
    RETURN NEXT '## Summary';
    RETURN NEXT '';
    RETURN NEXT 'Best of the timed runs, milliseconds. *plain* is the fastest plain-SQL formulation '
             || 'of the same KPIs (named in the last column). speedup = plain / ours (above 1: '
             || 'the extension is faster); the ratios to `count(*)` show what each costs on top of '
             || 'reading the table. Memory: peak private memory of the query '
             || '(VmHWM less shared and file-backed pages, less private memory before), serial runs, '
             || 'fresh backend.';
    RETURN NEXT '';
    FOR s IN SELECT suite FROM bench.results GROUP BY suite ORDER BY min(id) LOOP
        IF s.suite = 'scaling' THEN
            RETURN NEXT '### Parallel scaling';
            RETURN NEXT '';
            RETURN NEXT 'Each query with max_parallel_workers_per_gather = w (parallel costs 0, the '
                     || 'table''s parallel_workers = the largest w), best of the runs. *launched*: '
                     || 'the workers EXPLAIN ANALYZE saw start for ours. *x vs 0*: the time without '
                     || 'workers over the time with w. speedup = plain / ours at the same w. The '
                     || 'plain variant is the one fastest with 2 workers in the full runs.';
            RETURN NEXT '';
            RETURN NEXT '| data | workers | launched | count(*) ms | plain ms | ours ms | ours x vs 0 '
                     || '| plain x vs 0 | speedup plain/ours |';
            RETURN NEXT '|---|--:|---|--:|--:|--:|--:|--:|--:|';
            FOR r IN
                SELECT m.*, z.ours_ms AS ours0, z.plain_ms AS plain0,
                       (SELECT explain_note FROM bench.results x WHERE x.dataset = m.dataset
                          AND x.grp = m.grp AND x.kind = 'ours' LIMIT 1) AS note
                FROM bench.summary m
                LEFT JOIN bench.summary z ON z.dataset = m.dataset AND z.grp = 'w0'
                WHERE m.suite = 'scaling' ORDER BY m.first_id
            LOOP
                RETURN NEXT format('| %s | %s | %s | %s | %s | %s | %s | %s | **%s** |',
                    r.dataset, substr(r.grp, 2),
                    coalesce(substring(r.note FROM 'workers \d+'), 'workers 0'),
                    bench.ms(r.count_ms), bench.ms(r.plain_ms), bench.ms(r.ours_ms),
                    bench.x(r.ours0 / r.ours_ms), bench.x(r.plain0 / r.plain_ms), bench.x(r.speedup));
            END LOOP;
            RETURN NEXT '';
            CONTINUE;
        END IF;
        IF s.suite = 'rfm' THEN
            RETURN NEXT '### RFM summary: rfm ... GROUP BY customer_id';
            RETURN NEXT '';
            RETURN NEXT 'Every customer''s (frequency, recency, t, monetary_value), daily periods, observed '
                     || 'until 2024-09-30 (`SELECT customer_id, rfm(ordered_at, amount, ''2024-09-30'') '
                     || 'FROM orders GROUP BY customer_id`), against the fastest plain-SQL query giving the '
                     || 'same rows. Run *serial*: both end in the md5 of every row in customer order; run '
                     || '*sums*: the same queries ending in sums of the columns (no sort, no text). The base '
                     || 'is `count(*)`; `count(*) GROUP BY customer_id` (the grouping alone) is in the detail '
                     || 'table below.';
            RETURN NEXT '';
        END IF;
        IF s.suite = 'rfm_agg' THEN
            RETURN NEXT '### RFM of every customer in one pass: rfm_table(rfm_agg(...)) (1.7)';
            RETURN NEXT '';
            RETURN NEXT 'The same rows as the RFM summary above (daily periods, observed until 2024-09-30) '
                     || 'from one aggregate over the table, `SELECT * FROM rfm_table((SELECT rfm_agg(customer_id, '
                     || 'ordered_at, amount) FROM orders), ''2024-09-30'', NULL::bigint)`, against the same '
                     || 'plain-SQL variants (and md5-checked against them and rfm); runs as above.';
            RETURN NEXT '';
        END IF;
        IF s.suite = 'cohort_agg' THEN
            RETURN NEXT '### Cohorts: cohort_agg + cohort_table';
            RETURN NEXT '';
            RETURN NEXT 'The full monthly cohort table with revenue (`cohort_table(cohort_agg(customer_id, '
                     || 'ordered_at, ''month'', amount))`, every row and column) against the fastest '
                     || 'plain-SQL query giving the same rows; the parallel run times only that plain '
                     || 'variant.';
            RETURN NEXT '';
        END IF;
        IF s.suite = 'revenue' THEN
            RETURN NEXT '### MRR movements: revenue_agg + mrr_movements';
            RETURN NEXT '';
            RETURN NEXT 'Every month''s revenue movements (`mrr_movements(revenue_agg(customer_id, '
                     || 'ordered_at, ''month'', amount))`: start, new, reactivation, expansion, '
                     || 'contraction, churn, end, in revenue and customers, NRR and GRR; every row and '
                     || 'column) against the fastest plain-SQL query giving the same rows; the parallel '
                     || 'run times only that plain variant.';
            RETURN NEXT '';
        END IF;
        RETURN NEXT format('| data | run | count(*) ms | plain ms | %s ms | speedup plain/ours '
                 || '| ours/count(*) | plain/count(*) | mem plain | mem ours | fastest plain variant |',
                 CASE s.suite WHEN 'revenue' THEN 'revenue_agg' ELSE s.suite END);
        RETURN NEXT '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|';
        FOR r IN SELECT * FROM bench.summary WHERE suite = s.suite ORDER BY first_id LOOP
            RETURN NEXT format('| %s | %s | %s | %s | %s | **%s** | %s | %s | %s | %s | %s |',
                r.dataset, r.grp, bench.ms(r.count_ms), bench.ms(r.plain_ms), bench.ms(r.ours_ms),
                bench.x(r.speedup), bench.x(r.ours_per_count), bench.x(r.plain_per_count),
                bench.mb(r.plain_mem_kb), bench.mb(r.ours_mem_kb), coalesce(r.plain_label, '-'));
        END LOOP;
        RETURN NEXT '';
    END LOOP;
    IF EXISTS (SELECT 1 FROM bench.facts WHERE key LIKE '%\_fit over %') THEN
        RETURN NEXT '### Model fits over the rfm summary';
        RETURN NEXT '';
        RETURN NEXT 'Each fit aggregate over the summary table (one row per customer, `rfm(ordered_at, '
                 || 'amount, ''2024-09-30'', unit)` of the orders): the aggregation into distinct '
                 || 'patterns and the maximum-likelihood fit, best of the runs, serial. There is no '
                 || 'plain-SQL counterpart. These synthetic orders have no drop-out process (customers '
                 || 'buy until the data end), so the purchase models run to their no-drop-out limit and '
                 || 'say so (`converged` false, `at_bound` true). The times include the standard errors (1.6).';
        RETURN NEXT '';
        RETURN NEXT '| data | fit | time, data and result |';
        RETURN NEXT '|---|---|---|';
        FOR r IN SELECT dataset, key, value FROM bench.facts WHERE key LIKE '%\_fit over %' ORDER BY id LOOP
            RETURN NEXT format('| %s | %s | %s |', r.dataset, r.key, r.value);
        END LOOP;
        RETURN NEXT '';
    END IF;
    IF EXISTS (SELECT 1 FROM bench.group_times) THEN
        RETURN NEXT '### GROUP BY with many groups';
        RETURN NEXT '';
        RETURN NEXT 'Each aggregate under `GROUP BY customer_id % 20000`, `% 80000` (the same rows in '
                 || '4x the groups) and `GROUP BY customer_id` (every customer a group), in the plan '
                 || 'PostgreSQL picks (serial, `work_mem` 2GB so that nothing spills), timed with '
                 || '`EXPLAIN (ANALYZE, TIMING OFF)`: every final value computed, none sent to the client. '
                 || 'Linear means 80k/20k near 1; 3 or more fails the run (GROUPS QUADRATIC).';
        RETURN NEXT '';
        RETURN NEXT '| data | aggregate | 20k groups ms | 80k groups ms | 80k / 20k | every customer ms | / count(*), sum(amount) | plan |';
        RETURN NEXT '|---|---|--:|--:|--:|--:|--:|---|';
        FOR r IN
            SELECT t.dataset, t.agg, t20, t80, tall, plan,
                   tall / (SELECT ms FROM bench.group_times c WHERE c.dataset = t.dataset
                           AND c.agg = 'count(*), sum(amount)' AND c.grp = 'customer_id') AS per_count
            FROM (SELECT dataset, agg, min(id) AS id,
                         max(ms) FILTER (WHERE grp = 'customer_id % 20000') AS t20,
                         max(ms) FILTER (WHERE grp = 'customer_id % 80000') AS t80,
                         max(ms) FILTER (WHERE grp = 'customer_id') AS tall,
                         max(plan) FILTER (WHERE grp = 'customer_id') AS plan
                  FROM bench.group_times GROUP BY dataset, agg) t ORDER BY t.id
        LOOP
            RETURN NEXT format('| %s | `%s` | %s | %s | %s | %s | %s | %s |', r.dataset, r.agg,
                bench.ms(r.t20), bench.ms(r.t80), bench.x(r.t80 / r.t20), bench.ms(r.tall),
                bench.x(r.per_count), r.plan);
        END LOOP;
        RETURN NEXT '';
    END IF;
    FOR r IN SELECT * FROM bench.summary WHERE speedup < 1 ORDER BY first_id LOOP
        RETURN NEXT format('- **%s is slower than plain SQL**: %s, %s run: %s ms against %s ms.',
                           r.suite, r.dataset, r.grp, bench.ms(r.ours_ms), bench.ms(r.plain_ms));
    END LOOP;
    IF FOUND THEN RETURN NEXT ''; END IF;

    FOR ds IN SELECT dataset FROM bench.results GROUP BY dataset ORDER BY min(id) LOOP
        RETURN NEXT '## ' || ds.dataset;
        RETURN NEXT '';
        RETURN NEXT (SELECT string_agg(format('%s: %s', key, value), '; ' ORDER BY id)
                     FROM bench.facts f WHERE f.dataset = ds.dataset);
        RETURN NEXT '';
        RETURN NEXT '| run | query | best ms | runs ms | / count(*) | peak mem | plan | EXPLAIN ANALYZE notes |';
        RETURN NEXT '|---|---|--:|--:|--:|--:|---|---|';
        FOR r IN
            SELECT x.*, x.best_ms / (SELECT min(b.best_ms) FROM bench.results b
                                     WHERE b.dataset = x.dataset AND b.grp = x.grp
                                       AND b.kind = 'base') AS per_count
            FROM bench.results x WHERE x.dataset = ds.dataset ORDER BY x.id
        LOOP
            RETURN NEXT format('| %s | %s | %s | %s | %s | %s | %s | %s |',
                r.grp, r.label, bench.ms(r.best_ms),
                (SELECT string_agg(bench.ms(v), ', ') FROM unnest(r.runs_ms) v),
                bench.x(r.per_count), bench.mb(r.mem_kb), r.plan, r.explain_note);
        END LOOP;
        RETURN NEXT '';
    END LOOP;

    RETURN NEXT '## Queries';
    RETURN NEXT '';
    FOR r IN SELECT label, q, settings FROM bench.results x
             WHERE grp = 'serial'
               AND id = (SELECT min(id) FROM bench.results y WHERE y.label = x.label)
             ORDER BY id LOOP
        RETURN NEXT format('- **%s**%s: `%s`', r.label,
            CASE WHEN cardinality(r.settings) > 0
                 THEN ' (with ' || array_to_string(r.settings, ', ') || ')' ELSE '' END,
            regexp_replace(r.q, '\s*\n\s*', ' ', 'g'));
    END LOOP;
END
$$;

-- The transition state as a value: the aggregates without their final function,
-- so pg_column_size() gives the size of the flat state, the form in which a
-- parallel worker (or a Citus worker) ships its partial state.  Skipped with a
-- notice if the extension's transition functions look different.
DO $do$
BEGIN
    CREATE AGGREGATE bench.order_stats_state(anyelement, timestamptz, numeric) (
        SFUNC = order_stats_trans, STYPE = order_stats_state);
    CREATE AGGREGATE bench.order_stats_state(anyelement, timestamptz, numeric, anycompatible) (
        SFUNC = order_stats_trans, STYPE = order_stats_state);
EXCEPTION WHEN others THEN
    RAISE NOTICE 'no flat state size: %', SQLERRM;
END
$do$;

-- The same for rfm (with its INITCOND, the fresh state: as rfm runs).
DO $do$
BEGIN
    EXECUTE format('CREATE AGGREGATE bench.rfm_state(timestamptz, numeric, timestamptz) '
                   '(SFUNC = rfm_trans, STYPE = rfm_state, INITCOND = %L)',
                   (SELECT agginitval FROM pg_aggregate
                    WHERE aggfnoid = 'rfm(timestamptz, numeric, timestamptz)'::regprocedure));
EXCEPTION WHEN others THEN
    RAISE NOTICE 'no rfm_state size: %', SQLERRM;
END
$do$;

-- The same for cohort_agg (the monthly cohort table of bench/run: with amounts).
DO $do$
BEGIN
    CREATE AGGREGATE bench.cohort_agg_state(anyelement, timestamptz, text, numeric) (
        SFUNC = cohort_agg_trans, STYPE = cohort_state);
EXCEPTION WHEN others THEN
    RAISE NOTICE 'no flat cohort_state size: %', SQLERRM;
END
$do$;

-- The same for revenue_agg (its own transition function over cohort_agg's state: the
-- monthly revenue of bench/run).
DO $do$
BEGIN
    CREATE AGGREGATE bench.revenue_agg_state(anyelement, timestamptz, text, numeric) (
        SFUNC = revenue_agg_trans, STYPE = cohort_state);
EXCEPTION WHEN others THEN
    RAISE NOTICE 'no flat revenue_agg state size: %', SQLERRM;
END
$do$;

-- time_fit(q, reps): the best of reps runs of the fit query q, in ms (each run in this
-- backend; the first, untimed, warms the caches).
CREATE FUNCTION bench.time_fit(q text, reps int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    best float8 := 'infinity';
    t0 timestamptz;
BEGIN
    EXECUTE q;
    FOR i IN 1 .. reps LOOP
        t0 := clock_timestamp();
        EXECUTE q;
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN best;
END $$;

-- time_explain(q, reps): the best of reps runs of EXPLAIN (ANALYZE, TIMING OFF) q after
-- an untimed one, in ms: the query's execution with every value computed, none sent.
CREATE FUNCTION bench.time_explain(q text, reps int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    best float8 := 'infinity';
    t0 timestamptz;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF) ' || q;
    FOR i IN 1 .. reps LOOP
        t0 := clock_timestamp();
        EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF) ' || q;
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN best;
END $$;

-- top_node(q): the top plan node PostgreSQL picks for q (HashAggregate, GroupAggregate, ...)
CREATE FUNCTION bench.top_node(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    j json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j;
    RETURN coalesce(j -> 0 -> 'Plan' ->> 'Strategy', '') || ' ' || (j -> 0 -> 'Plan' ->> 'Node Type');
END $$;

CREATE TABLE bench.group_times (id serial, dataset text, agg text, grp text, ms float8, plan text);

-- fit_report(q): the model q returns, as parameters and fit fields
CREATE FUNCTION bench.fit_report(q text, OUT params float8[], OUT ll float8, OUT customers int8,
                                 OUT patterns int8, OUT converged boolean, OUT at_bound boolean)
LANGUAGE plpgsql AS $$
DECLARE
    j jsonb;
BEGIN
    EXECUTE format('SELECT to_jsonb(m) FROM (%s) s(m)', q) INTO j;
    params := ARRAY(SELECT (j ->> k)::float8 FROM unnest(ARRAY['r', 'alpha', 'a', 'b', 's', 'beta', 'p', 'q', 'v']) k
                    WHERE j ? k AND j ->> k IS NOT NULL);
    ll := (j ->> 'log_likelihood')::float8;
    customers := (j ->> 'customers')::int8;
    patterns := (j ->> 'patterns')::int8;
    converged := (j ->> 'converged')::boolean;
    at_bound := (j ->> 'at_bound')::boolean;
END $$;
