-- bench/scale.sql: the measuring machinery of bench/scale (schema "scale" of its throwaway
-- cluster; bench/lib.sql is loaded first, for bench.status_kb and the number formats).
-- Nothing here is part of the extension.

\set ON_ERROR_STOP on
CREATE SCHEMA scale;

-- The queries measured (bench/scale fills it): count(*) (family 'base', the scan baseline of
-- every family), and per family the plain SQL and ours, each ending in one result row.
CREATE TABLE scale.queries (
    id       serial PRIMARY KEY,
    family   text   NOT NULL,   -- 'base' | 'order_stats' | 'cohort' | 'rfm'
    kind     text   NOT NULL,   -- 'base' | 'plain' | 'ours'
    label    text   NOT NULL,
    q        text   NOT NULL,
    settings text[] NOT NULL DEFAULT '{}'   -- {name=value, ...}: this query's own settings
);

-- The run modes: settings on top of the cluster's (none: the planner's defaults).
CREATE TABLE scale.modes (
    pos      int    NOT NULL,
    mode     text   PRIMARY KEY,
    settings text[] NOT NULL
);
INSERT INTO scale.modes VALUES
    (1, 'serial', '{max_parallel_workers_per_gather=0}'),
    (2, 'default', '{}');

-- One row per size: facts about the data.
CREATE TABLE scale.sizes (
    n          bigint PRIMARY KEY,          -- orders
    gen_s      int,                         -- seconds to generate
    table_size bigint,                      -- bytes
    blocks     bigint,
    buffered_before numeric,                -- share of the table's blocks in shared buffers
    buffered_after  numeric                 -- (after pg_prewarm; after the last run)
);

-- The plan of each query in each mode and size (EXPLAIN, not executed).
CREATE TABLE scale.plans (
    n      bigint NOT NULL,
    mode   text   NOT NULL,
    qid    int    NOT NULL,
    shape  text,                 -- node names, top first
    gather text,                 -- 'no Gather' or 'Gather (2 workers)', ...
    PRIMARY KEY (n, mode, qid)
);

-- One row per timed run.
CREATE TABLE scale.runs (
    n          bigint NOT NULL,
    mode       text   NOT NULL,
    qid        int    NOT NULL,
    rep        int    NOT NULL,
    ms         float8,           -- NULL: the query failed (err)
    result     text,             -- its result row, as text
    err        text,             -- SQLSTATE: message
    mem_kb     bigint,           -- peak private memory of the backend during the query
    temp0      bigint,           -- pg_stat_database.temp_bytes and temp_files before the query
    files0     bigint,
    temp_bytes bigint,           -- temp bytes written by the query (its workers included)
    temp_files bigint,
    PRIMARY KEY (n, mode, qid, rep)
);

-- apply(mode, qid): the mode's and the query's settings, for this session; the timed
-- statement (if statement_timeout is given) gets it too.
CREATE FUNCTION scale.apply(p_mode text, p_qid int, p_timeout text DEFAULT '0')
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s text;
BEGIN
    FOR s IN SELECT unnest(settings) FROM scale.modes WHERE mode = p_mode
             UNION ALL SELECT unnest(settings) FROM scale.queries WHERE id = p_qid LOOP
        PERFORM set_config(split_part(s, '=', 1), split_part(s, '=', 2), false);
    END LOOP;
    PERFORM set_config('statement_timeout', p_timeout, false);
END $$;

-- A plan node's name as EXPLAIN's text format writes it.
CREATE FUNCTION scale.node_name(p jsonb) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE WHEN (p ->> 'Parallel Aware')::boolean THEN 'Parallel ' ELSE '' END
    || CASE WHEN p ->> 'Node Type' = 'Aggregate' THEN
            CASE p ->> 'Partial Mode' WHEN 'Partial' THEN 'Partial ' WHEN 'Finalize' THEN 'Finalize ' ELSE '' END
            || CASE p ->> 'Strategy' WHEN 'Hashed' THEN 'HashAggregate' WHEN 'Sorted' THEN 'GroupAggregate'
                                     WHEN 'Mixed' THEN 'MixedAggregate' ELSE 'Aggregate' END
            ELSE p ->> 'Node Type' END
    || CASE WHEN p ? 'Workers Planned' THEN format(' (%s workers)', p ->> 'Workers Planned') ELSE '' END;

-- The node names of a plan, top first (depth first), without Subquery Scan and Result.
CREATE FUNCTION scale.shape(p jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    parts text[] := '{}';
    c     jsonb;
    sub   text;
BEGIN
    IF p ->> 'Node Type' NOT IN ('Subquery Scan', 'Result') THEN
        parts := parts || scale.node_name(p);
    END IF;
    FOR c IN SELECT jsonb_array_elements(coalesce(p -> 'Plans', '[]')) LOOP
        sub := scale.shape(c);
        IF sub <> '' THEN parts := parts || sub; END IF;
    END LOOP;
    RETURN array_to_string(parts, ' > ');
END $$;

-- plan(n, mode, qid): EXPLAIN of the query under its mode, recorded (one transaction each:
-- the settings are local).
CREATE FUNCTION scale.plan(p_n bigint, p_mode text, p_qid int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s     text;
    j     jsonb;
    shape text;
BEGIN
    FOR s IN SELECT unnest(settings) FROM scale.modes WHERE mode = p_mode
             UNION ALL SELECT unnest(settings) FROM scale.queries WHERE id = p_qid LOOP
        PERFORM set_config(split_part(s, '=', 1), split_part(s, '=', 2), true);
    END LOOP;
    EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || (SELECT q FROM scale.queries WHERE id = p_qid) INTO j;
    shape := scale.shape(j -> 0 -> 'Plan');
    INSERT INTO scale.plans (n, mode, qid, shape, gather)
    VALUES (p_n, p_mode, p_qid, shape,
            coalesce((regexp_match(shape, 'Gather(?: Merge)? \(\d+ workers\)'))[1], 'no Gather'));
END $$;

-- warm(qid): in a fresh backend, before a timed run: a serial scan of every tuple of the
-- table (mapping its shared buffers into this process, as bench/run's memory runs do), the
-- plan of the query (loading the catalog entries it needs and the library), and a forced
-- flush of this backend's statistics once the statement ends, so that the next one reads
-- pg_stat_database as of now.
CREATE FUNCTION scale.warm(p_qid int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    keep text := current_setting('max_parallel_workers_per_gather');
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', '0', false);
    PERFORM count(*) FROM orders WHERE amount IS NULL;
    PERFORM set_config('max_parallel_workers_per_gather', keep, false);
    EXECUTE 'EXPLAIN ' || (SELECT q FROM scale.queries WHERE id = p_qid);
    PERFORM customers(order_stats(1, now(), 1.0));
    PERFORM pg_stat_force_next_flush();
END $$;

-- timed(n, mode, qid, rep): one timed run of the query, clock_timestamp() around EXECUTE
-- (planning included; its one result row kept as text), with the backend's memory and the
-- temp bytes before; an error (or statement_timeout) is recorded, not raised. Then a forced
-- statistics flush, for finish() to read the temp bytes after.
CREATE FUNCTION scale.timed(p_n bigint, p_mode text, p_qid int, p_rep int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    q      text := (SELECT q FROM scale.queries WHERE id = p_qid);
    temp0  bigint := (SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database());
    files0 bigint := (SELECT temp_files FROM pg_stat_database WHERE datname = current_database());
    anon0  bigint := bench.status_kb('RssAnon');
    t0     timestamptz;
    ms     float8;
    r      text;
    e      text;
BEGIN
    BEGIN
        t0 := clock_timestamp();
        EXECUTE format('SELECT t::text FROM (%s) t', q) INTO r;
        ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    EXCEPTION
        WHEN query_canceled THEN e := SQLSTATE || ': ' || SQLERRM;
        WHEN others THEN e := SQLSTATE || ': ' || SQLERRM;
    END;
    INSERT INTO scale.runs (n, mode, qid, rep, ms, result, err, mem_kb, temp0, files0)
    VALUES (p_n, p_mode, p_qid, p_rep, ms, r, e,
            bench.status_kb('VmHWM') - bench.status_kb('RssFile') - bench.status_kb('RssShmem') - anon0,
            temp0, files0);
    PERFORM pg_stat_force_next_flush();
END $$;

-- finish(...): the temp bytes and files written by the run (its statistics and its parallel
-- workers' are flushed by now); a line for the progress log.
CREATE FUNCTION scale.finish(p_n bigint, p_mode text, p_qid int, p_rep int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    d record;
    r record;
BEGIN
    SELECT temp_bytes, temp_files INTO d FROM pg_stat_database WHERE datname = current_database();
    UPDATE scale.runs x SET temp_bytes = d.temp_bytes - x.temp0, temp_files = d.temp_files - x.files0
    WHERE x.n = p_n AND x.mode = p_mode AND x.qid = p_qid AND x.rep = p_rep
    RETURNING * INTO r;
    RETURN format('    %-5s %-7s rep %s  %-62s %s', scale.human(p_n), p_mode, p_rep,
                  (SELECT label FROM scale.queries WHERE id = p_qid),
                  CASE WHEN r.err IS NOT NULL THEN 'ERROR ' || r.err
                       ELSE format('%s ms, %s, temp %s', round(r.ms::numeric, 1), bench.mb(r.mem_kb),
                                   pg_size_pretty(r.temp_bytes)) END);
END $$;

CREATE FUNCTION scale.human(n bigint) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE WHEN n >= 1000000 THEN trim_scale(round(n / 1e6, 1))::text || 'M'
            WHEN n >= 1000 THEN trim_scale(round(n / 1e3, 1))::text || 'k'
            ELSE n::text END;

-- Bytes as MB (temp written).
CREATE FUNCTION scale.bytes(b bigint) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE WHEN b IS NULL THEN '-' WHEN b = 0 THEN '0' ELSE to_char(b / 1048576.0, 'FM999,990.0') || ' MB' END;

-- Per size, mode and query: the best run and what goes with it.
CREATE VIEW scale.best AS
SELECT r.n, r.mode, m.pos AS mode_pos, r.qid, q.family, q.kind, q.label,
       min(r.ms) AS best_ms,
       array_agg(r.ms ORDER BY r.rep) AS runs_ms,
       max(r.mem_kb) AS mem_kb,
       max(r.temp_bytes) AS temp_bytes,
       max(r.temp_files) AS temp_files,
       min(r.err) AS err,
       count(DISTINCT r.result) AS n_results,
       min(r.result) AS result
FROM scale.runs r
JOIN scale.queries q ON q.id = r.qid
JOIN scale.modes m ON m.mode = r.mode
GROUP BY r.n, r.mode, m.pos, r.qid, q.family, q.kind, q.label;

-- Results that differ: ours (and each plain variant) against every other plain variant of
-- its family, same size and mode; each query's default-plan result against its serial one;
-- and the runs of one query among themselves.
CREATE VIEW scale.mismatches AS
SELECT o.n, o.mode, o.label, 'differs from ' || p.label AS what, o.result, p.result AS reference
FROM scale.best o
JOIN scale.best p ON p.n = o.n AND p.mode = o.mode AND p.family = o.family
                 AND p.kind = 'plain' AND p.qid <> o.qid
WHERE o.kind IN ('ours', 'plain') AND (o.kind = 'ours' OR o.qid > p.qid)
  AND o.result IS NOT NULL AND p.result IS NOT NULL AND o.result <> p.result
UNION ALL
SELECT d.n, d.mode, d.label, 'differs from its serial result', d.result, s.result
FROM scale.best d
JOIN scale.best s ON s.n = d.n AND s.qid = d.qid AND s.mode = 'serial'
WHERE d.mode <> 'serial' AND d.result IS NOT NULL AND s.result IS NOT NULL AND d.result <> s.result
UNION ALL
SELECT n, mode, label, n_results || ' different results in its runs', result, NULL
FROM scale.best WHERE n_results > 1;

-- Each row of the family tables: the best run, its ratios, and the result check.
CREATE VIEW scale.rows AS
SELECT b.*,
       c.best_ms AS count_ms,
       p.plain_ms,
       b.best_ms * 1e6 / b.n AS ns,
       f.ns AS ns_first, f.n AS n_first,
       pl.gather, pl.shape,
       CASE WHEN b.result IS NULL OR b.kind = 'base' THEN NULL
            WHEN b.kind = 'ours' AND p.plain_n = 0 THEN 'not checked: no plain result'
            WHEN p.plain_diff > 0 OR (b.kind = 'plain' AND p.ours_diff > 0) THEN 'MISMATCH'
            WHEN b.kind = 'ours' THEN '= plain'
            WHEN p.ours_n > 0 THEN '= ours'
       END AS plain_check,
       CASE WHEN b.mode = 'serial' OR b.result IS NULL THEN NULL
            WHEN s.result IS NULL THEN 'not checked: no serial result'
            WHEN s.result = b.result THEN '= serial'
            ELSE 'MISMATCH with serial' END AS serial_check
FROM scale.best b
LEFT JOIN LATERAL (SELECT x.best_ms FROM scale.best x
                   WHERE x.n = b.n AND x.mode = b.mode AND x.kind = 'base') c ON true
LEFT JOIN LATERAL (SELECT min(x.best_ms) FILTER (WHERE x.kind = 'plain') AS plain_ms,
                          count(x.result) FILTER (WHERE x.kind = 'plain' AND x.qid <> b.qid) AS plain_n,
                          count(*) FILTER (WHERE x.kind = 'plain' AND x.qid <> b.qid AND x.result <> b.result) AS plain_diff,
                          count(x.result) FILTER (WHERE x.kind = 'ours' AND x.qid <> b.qid) AS ours_n,
                          count(*) FILTER (WHERE x.kind = 'ours' AND x.qid <> b.qid AND x.result <> b.result) AS ours_diff
                   FROM scale.best x
                   WHERE x.n = b.n AND x.mode = b.mode AND x.family = b.family) p ON true
LEFT JOIN LATERAL (SELECT x.best_ms * 1e6 / x.n AS ns, x.n FROM scale.best x
                   WHERE x.mode = b.mode AND x.qid = b.qid AND x.best_ms IS NOT NULL
                   ORDER BY x.n LIMIT 1) f ON true
LEFT JOIN scale.plans pl ON pl.n = b.n AND pl.mode = b.mode AND pl.qid = b.qid
LEFT JOIN scale.best s ON s.n = b.n AND s.qid = b.qid AND s.mode = 'serial';

-- The markdown report after the header (which bench/scale writes).
CREATE FUNCTION scale.report() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    fam   record;
    r     record;
    first bigint := (SELECT min(n) FROM scale.runs);
    title text;
BEGIN
    IF EXISTS (SELECT 1 FROM scale.mismatches) THEN
        RETURN NEXT format('**MISMATCH: %s results differ from the plain SQL''s or the serial one (section MISMATCH '
                           || 'at the end).**', (SELECT count(*) FROM scale.mismatches));
        RETURN NEXT '';
    END IF;
    RETURN NEXT '## Data';
    RETURN NEXT '';
    RETURN NEXT '| orders | customers | table | generated in | table blocks in shared buffers: after pg_prewarm, after the last run |';
    RETURN NEXT '|--:|--:|--:|--:|---|';
    FOR r IN
        SELECT z.*, (SELECT split_part(trim(both '()' FROM x.result), ',', 1)
                     FROM scale.best x WHERE x.n = z.n AND x.family = 'order_stats'
                       AND x.result IS NOT NULL LIMIT 1) AS customers
        FROM scale.sizes z ORDER BY n
    LOOP
        RETURN NEXT format('| %s | %s | %s | %s s | %s%%, %s%% |', to_char(r.n, 'FM999,999,999,999'),
            coalesce(to_char(r.customers::bigint, 'FM999,999,999,999'), '-'), pg_size_pretty(r.table_size),
            r.gen_s, round(100 * r.buffered_before, 1), round(100 * r.buffered_after, 1));
    END LOOP;
    RETURN NEXT '';

    FOR fam IN SELECT family FROM scale.queries WHERE family <> 'base' GROUP BY family ORDER BY min(id) LOOP
        title := CASE fam.family
            WHEN 'order_stats' THEN '## order_stats: the order KPIs of the whole table'
            WHEN 'cohort' THEN '## Cohorts: the monthly cohort table, cohort_agg + cohort_table'
            WHEN 'rfm' THEN '## RFM: every customer''s summary, rfm GROUP BY customer_id and rfm_table(rfm_agg)'
            ELSE '## ' || fam.family END;
        RETURN NEXT title;
        RETURN NEXT '';
        RETURN NEXT format('| orders | mode | query | plan | best ms | / count(*) | best plain / this '
                 || '| ns per order | per order vs %s | peak mem | temp written | result |', scale.human(first));
        RETURN NEXT '|--:|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|';
        FOR r IN SELECT * FROM scale.rows WHERE family IN ('base', fam.family)
                 ORDER BY n, mode_pos, qid LOOP
            RETURN NEXT format('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |',
                scale.human(r.n), r.mode,
                CASE WHEN r.kind = 'ours' THEN '**' || r.label || '**' ELSE r.label END,
                coalesce(r.gather, '-'),
                CASE WHEN r.best_ms IS NULL THEN 'ERROR' ELSE bench.ms(r.best_ms) END,
                CASE WHEN r.kind = 'base' THEN '1.00x' ELSE bench.x(r.best_ms / r.count_ms) END,
                CASE WHEN r.kind = 'base' THEN '-'
                     WHEN r.kind = 'ours' THEN '**' || bench.x(r.plain_ms / r.best_ms) || '**'
                     ELSE bench.x(r.plain_ms / r.best_ms) END,
                coalesce(to_char(r.ns, 'FM999,990.0'), '-'),
                CASE WHEN r.ns IS NULL OR r.n = r.n_first THEN '-'
                     WHEN r.ns / r.ns_first > 1.5 THEN '**' || bench.x(r.ns / r.ns_first) || '**'
                     ELSE bench.x(r.ns / r.ns_first) END,
                bench.mb(r.mem_kb), scale.bytes(r.temp_bytes),
                concat_ws(', ', '`' || left(md5(r.result), 8) || '`',
                          CASE WHEN r.plain_check LIKE 'MISMATCH%' THEN '**MISMATCH**' ELSE r.plain_check END,
                          CASE WHEN r.serial_check LIKE 'MISMATCH%' THEN '**' || r.serial_check || '**' ELSE r.serial_check END,
                          CASE WHEN r.result IS NOT NULL AND r.n_results > 1 THEN '**MISMATCH between its runs**' END,
                          CASE WHEN r.err IS NOT NULL AND r.best_ms IS NOT NULL THEN 'a run failed: ' || r.err
                               WHEN r.err IS NOT NULL THEN 'ERROR ' || r.err END));
        END LOOP;
        RETURN NEXT '';
    END LOOP;

    RETURN NEXT format('## Cost per order beyond 1.5x that at %s', scale.human(first));
    RETURN NEXT '';
    RETURN NEXT 'Each query of the extension whose time per order at a size is more than 1.5 times '
             || format('its time per order at %s in the same mode, with what changed: ', scale.human(first))
             || 'the plan, temp files (a spill to disk), the backend''s memory, and the time per '
             || 'order of `count(*)` and of the best plain SQL over the same sizes (the same growth '
             || 'there points at the machine: caches, memory bandwidth, other work).';
    RETURN NEXT '';
    FOR r IN
        SELECT o.*, f.shape AS shape_first, f.gather AS gather_first, f.mem_kb AS mem_first,
               f.temp_bytes AS temp_first, c.ns / c.ns_first AS count_growth,
               (SELECT min(x.best_ms) FROM scale.best x WHERE x.n = o.n AND x.mode = o.mode
                  AND x.family = o.family AND x.kind = 'plain') * o.n_first
               / nullif((SELECT min(x.best_ms) FROM scale.best x WHERE x.n = o.n_first AND x.mode = o.mode
                  AND x.family = o.family AND x.kind = 'plain'), 0) / o.n AS plain_growth
        FROM scale.rows o
        LEFT JOIN scale.rows f ON f.n = o.n_first AND f.mode = o.mode AND f.qid = o.qid
        LEFT JOIN scale.rows c ON c.n = o.n AND c.mode = o.mode AND c.kind = 'base'
        WHERE o.kind = 'ours' AND o.ns / o.ns_first > 1.5
        ORDER BY o.family, o.qid, o.mode_pos, o.n
    LOOP
        RETURN NEXT format('- %s, %s, %s orders: %s ns per order against %s at %s (**%s**). %s',
            r.label, r.mode, scale.human(r.n), to_char(r.ns, 'FM999,990.0'), to_char(r.ns_first, 'FM999,990.0'),
            scale.human(r.n_first), bench.x(r.ns / r.ns_first),
            concat_ws('; ',
                CASE WHEN r.shape IS DISTINCT FROM r.shape_first
                     THEN format('plan `%s` here, `%s` at %s', r.shape, r.shape_first, scale.human(r.n_first)) END,
                CASE WHEN coalesce(r.temp_bytes, 0) > 0
                     THEN format('temp files: %s written (%s at %s)', scale.bytes(r.temp_bytes),
                                 scale.bytes(r.temp_first), scale.human(r.n_first)) END,
                format('memory %s (%s at %s)', bench.mb(r.mem_kb), bench.mb(r.mem_first), scale.human(r.n_first)),
                format('count(*) per order %s, best plain per order %s of their %s figures',
                       bench.x(r.count_growth), bench.x(r.plain_growth), scale.human(r.n_first))) || '.');
    END LOOP;
    IF NOT FOUND THEN
        RETURN NEXT 'None: every query of the extension that ran stayed within 1.5x.';
    END IF;
    RETURN NEXT '';

    IF EXISTS (SELECT 1 FROM scale.best WHERE err IS NOT NULL) THEN
        RETURN NEXT '## Errors';
        RETURN NEXT '';
        RETURN NEXT 'A query that failed is not run again at that size and mode.';
        RETURN NEXT '';
        FOR r IN SELECT * FROM scale.best WHERE err IS NOT NULL ORDER BY n, mode_pos, qid LOOP
            RETURN NEXT format('- %s orders, %s: %s: `%s`', scale.human(r.n), r.mode, r.label, r.err);
        END LOOP;
        RETURN NEXT '';
    END IF;

    RETURN NEXT '## Plans';
    RETURN NEXT '';
    RETURN NEXT '| mode | query | orders | plan (EXPLAIN, top first) |';
    RETURN NEXT '|---|---|---|---|';
    FOR r IN
        SELECT p.mode, q.label, p.shape, string_agg(scale.human(p.n), ', ' ORDER BY p.n) AS sizes
        FROM scale.plans p JOIN scale.queries q ON q.id = p.qid JOIN scale.modes m ON m.mode = p.mode
        GROUP BY m.pos, p.mode, q.id, q.label, p.shape ORDER BY q.id, m.pos, min(p.n)
    LOOP
        RETURN NEXT format('| %s | %s | %s | %s |', r.mode, r.label, r.sizes, r.shape);
    END LOOP;
    RETURN NEXT '';

    RETURN NEXT '## Runs';
    RETURN NEXT '';
    RETURN NEXT '| orders | mode | query | runs ms | temp files |';
    RETURN NEXT '|--:|---|---|---|--:|';
    FOR r IN SELECT * FROM scale.best ORDER BY n, mode_pos, qid LOOP
        RETURN NEXT format('| %s | %s | %s | %s | %s |', scale.human(r.n), r.mode, r.label,
            (SELECT string_agg(CASE WHEN v IS NULL THEN 'ERROR' ELSE bench.ms(v) END, ', ') FROM unnest(r.runs_ms) v),
            coalesce(r.temp_files::text, '-'));
    END LOOP;
    RETURN NEXT '';

    RETURN NEXT '## Queries';
    RETURN NEXT '';
    FOR r IN SELECT * FROM scale.queries ORDER BY id LOOP
        RETURN NEXT format('- **%s**%s: `%s`', r.label,
            CASE WHEN cardinality(r.settings) > 0
                 THEN ' (with ' || array_to_string(r.settings, ', ') || ')' ELSE '' END,
            regexp_replace(r.q, '\s*\n\s*', ' ', 'g'));
    END LOOP;

    IF EXISTS (SELECT 1 FROM scale.mismatches) THEN
        RETURN NEXT '';
        RETURN NEXT '## MISMATCH';
        RETURN NEXT '';
        RETURN NEXT '| orders | mode | query | what | its result | the other result |';
        RETURN NEXT '|--:|---|---|---|---|---|';
        FOR r IN SELECT * FROM scale.mismatches ORDER BY n, mode, label LOOP
            RETURN NEXT format('| %s | %s | %s | %s | `%s` | `%s` |', scale.human(r.n), r.mode, r.label,
                               r.what, r.result, coalesce(r.reference, '-'));
        END LOOP;
    END IF;
END
$$;
