-- Catalog facts of the retention extension (pg_extension, pg_proc, pg_aggregate, pg_type):
-- what parallel query, Citus and a trusted install rely on.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(87 + 4 + 3 + 1 + 4 + 1 + 1 + 21 + 1 + 1 + 6 + 2 + 3 + 7 + 2 + 3 + 19 + 4 + 5 + 7 + 9 + 10 + 8 + 1);

CREATE TEMP VIEW ext_functions AS
SELECT p.*, p.oid AS fn_oid
FROM pg_depend d
JOIN pg_proc p ON p.oid = d.objid
WHERE d.classid = 'pg_proc'::regclass
  AND d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'retention')
  AND d.deptype = 'e';

CREATE TEMP VIEW ext_aggregates AS
SELECT f.fn_oid, f.proname, a.*
FROM ext_functions f JOIN pg_aggregate a ON a.aggfnoid = f.fn_oid;

------------------------------------------------------------------------------------------
-- the extension
------------------------------------------------------------------------------------------
SELECT has_extension('retention', 'extension retention is installed');
SELECT is((SELECT trusted FROM pg_available_extension_versions
           WHERE name = 'retention' AND version = (SELECT extversion FROM pg_extension WHERE extname = 'retention')),
          true, 'the installed version is trusted (a database owner can install it)');
SELECT is((SELECT relocatable FROM pg_available_extension_versions
           WHERE name = 'retention' AND version = (SELECT extversion FROM pg_extension WHERE extname = 'retention')),
          false, 'the installed version is not relocatable (control file)');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'retention'), false,
          'pg_extension.extrelocatable is false');
SELECT is((SELECT superuser FROM pg_available_extension_versions
           WHERE name = 'retention' AND version = (SELECT extversion FROM pg_extension WHERE extname = 'retention')),
          true, 'superuser = true in the control file (trusted then lets database owners install it)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE pronamespace <> (SELECT extnamespace FROM pg_extension WHERE extname = 'retention')$$,
                'every function lives in the extension''s schema');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions WHERE prosecdef$$,
                'no SECURITY DEFINER function (trusted extension)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions WHERE proconfig IS NOT NULL$$,
                'no function carries SET options');

------------------------------------------------------------------------------------------
-- the aggregates
------------------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM ext_aggregates WHERE proname = 'order_stats'), (6 + 12 + 7 * 3 + 7 * 3 * 7)::int8,
          'order_stats: 6 polymorphic aggregates (3 time types x orders / lines), 12 with float8 or float4 amounts and 168 with concrete key types');
SELECT is_aggregate('order_stats', ARRAY['anyelement', 'timestamp with time zone', 'double precision', 'anycompatible'],
                    'order_stats(anyelement, timestamptz, float8, anycompatible) (1.4)');
SELECT is_aggregate('order_stats', ARRAY['anyelement', 'timestamp with time zone', 'numeric'],
                    'order_stats(anyelement, timestamptz, numeric)');
SELECT is_aggregate('order_stats', ARRAY['anyelement', 'timestamp without time zone', 'numeric'],
                    'order_stats(anyelement, timestamp, numeric)');
SELECT is_aggregate('order_stats', ARRAY['anyelement', 'date', 'numeric'],
                    'order_stats(anyelement, date, numeric)');
SELECT is_aggregate('order_stats', ARRAY['anyelement', 'timestamp with time zone', 'numeric', 'anycompatible'],
                    'order_stats(anyelement, timestamptz, numeric, anycompatible)');
SELECT is_aggregate('order_stats', ARRAY['anyelement', 'timestamp without time zone', 'numeric', 'anycompatible'],
                    'order_stats(anyelement, timestamp, numeric, anycompatible)');
SELECT is_aggregate('order_stats', ARRAY['anyelement', 'date', 'numeric', 'anycompatible'],
                    'order_stats(anyelement, date, numeric, anycompatible)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates WHERE aggcombinefn = 0$$,
                'every aggregate has a combine function');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_type t ON t.oid = a.aggtranstype
                  WHERE t.typtype = 'p'$$,
                'no aggregate has a pseudo-type (internal) transition type (Citus pushes those down)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates
                  WHERE proname = 'order_stats' AND aggtranstype <> 'order_stats_state'::regtype$$,
                'every order_stats aggregate''s transition type is order_stats_state');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates WHERE aggkind <> 'n'$$,
                'all are plain (not ordered-set) aggregates');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates
                  WHERE proname = 'order_stats' AND (aggfinalfn = 0 OR aggfinalfn::regproc::text NOT LIKE '%order_stats_final')$$,
                'every order_stats aggregate has the final function order_stats_final');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.aggfnoid
                  WHERE a.proname = 'order_stats' AND p.prorettype <> 'order_stats'::regtype$$,
                'every order_stats aggregate returns order_stats');
SELECT is((SELECT count(*) FROM ext_aggregates WHERE proname = 'cohort_agg'), (9 + 12 + 7 * 3 * 2 + 7 * 3 * 7)::int8,
          'cohort_agg: 9 polymorphic aggregates (3 time types x without amount / with amount / lines), 12 with float8 or float4 amounts and 189 with concrete key types');
SELECT is_aggregate('cohort_agg', ARRAY['anyelement', 'date', 'text', 'real'],
                    'cohort_agg(anyelement, date, text, float4) (1.4)');
SELECT is_aggregate('cohort_agg', ARRAY['anyelement', 'timestamp with time zone', 'text'],
                    'cohort_agg(anyelement, timestamptz, text)');
SELECT is_aggregate('cohort_agg', ARRAY['anyelement', 'timestamp without time zone', 'text', 'numeric'],
                    'cohort_agg(anyelement, timestamp, text, numeric)');
SELECT is_aggregate('cohort_agg', ARRAY['anyelement', 'date', 'text', 'numeric', 'anycompatible'],
                    'cohort_agg(anyelement, date, text, numeric, anycompatible)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates
                  WHERE proname = 'cohort_agg' AND (aggtranstype <> 'cohort_state'::regtype
                        OR aggfinalfn::regproc::text NOT LIKE '%cohort_agg_final'
                        OR aggcombinefn::regproc::text NOT LIKE '%cohort_agg_combine')$$,
                'every cohort_agg aggregate has state cohort_state, final cohort_agg_final, combine cohort_agg_combine');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.aggfnoid
                  WHERE a.proname = 'cohort_agg' AND p.prorettype <> 'cohort_matrix'::regtype$$,
                'every cohort_agg aggregate returns cohort_matrix');

-- revenue_agg (1.5): cohort_agg's state and combine function, its own final function
SELECT is((SELECT count(*) FROM ext_aggregates WHERE proname = 'revenue_agg'), (3 + 6 + 7 * 3)::int8,
          'revenue_agg: 3 polymorphic aggregates (one per time type), 6 with float8 or float4 amounts and 21 with concrete key types');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.aggfnoid
                  WHERE a.proname = 'revenue_agg' AND (aggtranstype <> 'cohort_state'::regtype
                        OR aggfinalfn::regproc::text NOT LIKE '%revenue_agg_final'
                        OR aggcombinefn::regproc::text NOT LIKE '%cohort_agg_combine'
                        OR p.prorettype <> 'revenue_matrix'::regtype)$$,
                'every revenue_agg aggregate has state cohort_state, final revenue_agg_final, combine cohort_agg_combine and returns revenue_matrix');
SELECT set_eq($$SELECT array_to_string(p.proargtypes::regtype[], ', ') FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.fn_oid
                WHERE p.proname = 'revenue_agg'
                  AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::regtype[]) t WHERE t IN ('anyelement', 'anycompatible'))$$,
              $$SELECT array_to_string(ARRAY[c, t, 'text', 'numeric']::regtype[], ', ')
                FROM unnest('{smallint,integer,bigint,text,varchar,bpchar,uuid}'::regtype[]) c,
                     unnest('{timestamptz,timestamp,date}'::regtype[]) t$$,
              'revenue_agg for every customer type x time type (Citus)');
SELECT is((SELECT typtype::text || typlen || (typsend <> 0 AND typreceive <> 0) FROM pg_type
           WHERE oid = 'revenue_matrix'::regtype), 'b-1true',
          'revenue_matrix is a varlena base type with binary send and receive');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'mrr_movements(revenue_matrix)'::regprocedure AND a.m = 'o'),
          'period date, start_revenue numeric, new_revenue numeric, reactivation_revenue numeric, '
          'expansion_revenue numeric, contraction_revenue numeric, churned_revenue numeric, end_revenue numeric, '
          'start_customers bigint, new_customers bigint, reactivated_customers bigint, expanded_customers bigint, '
          'contracted_customers bigint, churned_customers bigint, nrr double precision, grr double precision',
          'mrr_movements returns the documented columns');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'revenue_retention(revenue_matrix, timestamptz)'::regprocedure AND a.m = 'o'),
          'cohort date, period_offset integer, cohort_size bigint, cohort_start_revenue numeric, revenue numeric, '
          'net_revenue_retention double precision, complete boolean, customers bigint',
          'revenue_retention returns the documented columns');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'trailing_nrr(revenue_matrix, integer)'::regprocedure AND a.m = 'o'),
          'period date, nrr double precision, grr double precision, start_revenue numeric, '
          'retained_revenue numeric, start_customers bigint, retained_customers bigint',
          'trailing_nrr returns the documented columns');

-- Citus runs a partial aggregate on its workers only when the declared argument types are
-- exactly the argument types (no polymorphic ones): every supported key type has its own
-- order_stats and cohort_agg (retention--1.2--1.3.sql; test/citus/run runs them).
CREATE TEMP VIEW concrete_signatures AS
SELECT p.proname, array_to_string(p.proargtypes::regtype[], ', ') AS args
FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.fn_oid
WHERE p.proname IN ('order_stats', 'cohort_agg')
  AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::regtype[]) t WHERE t IN ('anyelement', 'anycompatible'));
CREATE TEMP VIEW key_types AS
SELECT unnest('{smallint,integer,bigint,text,varchar,bpchar,uuid}'::regtype[]) AS k;
CREATE TEMP VIEW time_types AS
SELECT unnest('{timestamptz,timestamp,date}'::regtype[]) AS t;
SELECT set_eq($$SELECT args FROM concrete_signatures WHERE proname = 'order_stats'$$,
              $$SELECT array_to_string(ARRAY[c.k, t, 'numeric']::regtype[], ', ') FROM key_types c, time_types
                UNION ALL
                SELECT array_to_string(ARRAY[c.k, t, 'numeric', o.k]::regtype[], ', ') FROM key_types c, time_types, key_types o$$,
              'order_stats for every customer type x time type (x order_key type)');
SELECT set_eq($$SELECT args FROM concrete_signatures WHERE proname = 'cohort_agg'$$,
              $$SELECT array_to_string(ARRAY[c.k, t, 'text']::regtype[], ', ') FROM key_types c, time_types
                UNION ALL
                SELECT array_to_string(ARRAY[c.k, t, 'text', 'numeric']::regtype[], ', ') FROM key_types c, time_types
                UNION ALL
                SELECT array_to_string(ARRAY[c.k, t, 'text', 'numeric', o.k]::regtype[], ', ') FROM key_types c, time_types, key_types o$$,
              'cohort_agg for every customer type x time type (x amount, x order_key type)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc c ON c.oid = a.aggcombinefn
                  WHERE c.proparallel <> 's'$$,
                'the combine functions are parallel safe');

-- the transition type is a real, transportable base type
SELECT has_type('order_stats_state', 'type order_stats_state exists');
SELECT is((SELECT typtype FROM pg_type WHERE oid = 'order_stats_state'::regtype), 'b'::"char",
          'order_stats_state is a base type');
SELECT is((SELECT typlen FROM pg_type WHERE oid = 'order_stats_state'::regtype), -1::int2,
          'order_stats_state is varlena');
SELECT ok((SELECT typsend <> 0 AND typreceive <> 0 FROM pg_type WHERE oid = 'order_stats_state'::regtype),
          'order_stats_state has binary send and receive');
SELECT has_type('order_stats', 'type order_stats exists');
SELECT is((SELECT typtype FROM pg_type WHERE oid = 'order_stats'::regtype), 'b'::"char",
          'order_stats is a base type');
SELECT ok((SELECT typsend <> 0 AND typreceive <> 0 FROM pg_type WHERE oid = 'order_stats'::regtype),
          'order_stats has binary send and receive');
SELECT is((SELECT typtype::text || typlen || (typsend <> 0 AND typreceive <> 0) FROM pg_type
           WHERE oid = 'cohort_state'::regtype), 'b-1true',
          'cohort_state is a varlena base type with binary send and receive');
SELECT is((SELECT typtype::text || typlen || (typsend <> 0 AND typreceive <> 0) FROM pg_type
           WHERE oid = 'cohort_matrix'::regtype), 'b-1true',
          'cohort_matrix is a varlena base type with binary send and receive');

------------------------------------------------------------------------------------------
-- parallel safety, volatility, strictness of every function
------------------------------------------------------------------------------------------
SELECT ok((SELECT count(*) FROM ext_functions) >= 36,
          'the extension''s functions are found through pg_depend');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions WHERE proparallel <> 's'$$,
                'every function of the extension is PARALLEL SAFE');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE provolatile <> CASE WHEN proname IN ('first_order_at', 'last_order_at', 'cohort_table',
                                                             'retention_curve', 'period_retention',
                                                             'revenue_retention', 'retention_forecast',
                                                             'retention_table', 'retention_agg_final')
                                              OR (proname = 'retention_agg_trans' AND proargtypes[2] = 'timestamptz'::regtype)
                                              OR (proname = 'sbg_fit' AND pronargs = 2 AND proargtypes[0] = 'cohort_matrix'::regtype)
                                              OR (proname IN ('cohort_agg_trans', 'revenue_agg_trans')
                                                  AND proargtypes[2] = 'timestamptz'::regtype)
                                              OR (proname IN ('rfm_trans', 'rfm_holdout_trans')
                                                  AND proargtypes[1] IN ('timestamptz'::regtype,
                                                                         'anyelement'::regtype))
                                              OR (proname = 'rfm_agg_trans' AND proargtypes[2] = 'timestamptz'::regtype)
                                              OR (proname = 'rfm_table' AND proargtypes[1] = 'timestamptz'::regtype)
                                            THEN 's' ELSE 'i' END$$,
                'every function is IMMUTABLE, except those reading the session TimeZone (STABLE)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE proname IN ('order_stats_trans', 'order_stats_combine', 'order_stats_final',
                                    'cohort_agg_trans', 'cohort_agg_combine', 'cohort_agg_final',
                                    'revenue_agg_trans', 'revenue_agg_final',
                                    'rfm_agg_trans', 'rfm_agg_combine', 'rfm_table')
                    AND proisstrict$$,
                'transition, combine and final functions are not STRICT (NULL rows, NULL partial states, empty input)');

-- accessors: return type, volatility, strictness
CREATE TEMP TABLE accessors (i int, fn name, returns text, volatility text);
INSERT INTO accessors VALUES
    (1, 'customers', 'bigint', 'immutable'),
    (2, 'orders', 'bigint', 'immutable'),
    (3, 'repeat_customers', 'bigint', 'immutable'),
    (4, 'revenue', 'numeric', 'immutable'),
    (5, 'aov', 'numeric', 'immutable'),
    (6, 'purchase_frequency', 'double precision', 'immutable'),
    (7, 'repeat_rate', 'double precision', 'immutable'),
    (8, 'churn_rate', 'double precision', 'immutable'),
    (9, 'customer_value', 'numeric', 'immutable'),
    (10, 'first_order_at', 'timestamp with time zone', 'stable'),
    (11, 'last_order_at', 'timestamp with time zone', 'stable'),
    (12, 'observation_window', 'interval', 'immutable'),
    (13, 'ignored_rows', 'bigint', 'immutable');
SELECT function_returns(fn, ARRAY['order_stats'], returns) FROM accessors ORDER BY i;
SELECT volatility_is(fn, ARRAY['order_stats'], volatility) FROM accessors ORDER BY i;
SELECT is_strict(fn, ARRAY['order_stats']) FROM accessors ORDER BY i;

-- clv: not strict (optional arguments default to NULL), immutable, numeric
SELECT function_returns('clv', ARRAY['order_stats', 'interval', 'numeric', 'numeric', 'numeric', 'interval'], 'numeric');
SELECT volatility_is('clv', ARRAY['order_stats', 'interval', 'numeric', 'numeric', 'numeric', 'interval'], 'immutable');
SELECT isnt_strict('clv', ARRAY['order_stats', 'interval', 'numeric', 'numeric', 'numeric', 'interval']);

-- cohort_matrix accessors: set-returning rows with the documented columns, strict, stable
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'cohort_table(cohort_matrix, timestamptz)'::regprocedure AND a.m = 'o'),
          'cohort date, period_offset integer, cohort_size bigint, active bigint, retention_rate double precision, '
          'active_on_or_after bigint, orders bigint, revenue numeric, cum_revenue_per_customer numeric, complete boolean',
          'cohort_table returns the documented columns');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'retention_curve(cohort_matrix, timestamptz)'::regprocedure AND a.m = 'o'),
          'period_offset integer, cohorts integer, cohort_customers bigint, active bigint, '
          'retention_rate double precision, mean_rate double precision',
          'retention_curve returns the documented columns');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'period_retention(cohort_matrix)'::regprocedure AND a.m = 'o'),
          'period date, start_customers bigint, end_customers bigint, new_customers bigint, crr double precision, '
          'retained bigint, retention_rate double precision, churn_rate double precision',
          'period_retention returns the documented columns');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE proname IN ('cohort_table', 'retention_curve', 'period_retention')
                    AND NOT (proretset AND NOT proisstrict)$$,
                'the cohort_matrix accessors are set-returning and take NULL (observed_until NULL = the latest order)');

------------------------------------------------------------------------------------------
-- predictive CLV: the model types, fits and predictions (the interface of issue 5)
------------------------------------------------------------------------------------------
CREATE TEMP TABLE model_types (i int, typ text, fields text);
INSERT INTO model_types VALUES
    (1, 'bgnbd_model', 'r, alpha, a, b'),
    (2, 'mbgnbd_model', 'r, alpha, a, b'),
    (3, 'pareto_nbd_model', 'r, alpha, s, beta'),
    (4, 'gamma_gamma_model', 'p, q, v');
SELECT is((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, NULL), ', ' ORDER BY a.attnum)
           FROM pg_attribute a WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE oid = typ::regtype)
             AND a.attnum > 0),
          (SELECT string_agg(f || ' double precision', ', ') FROM unnest(string_to_array(fields, ', ')) f)
          || ', log_likelihood double precision, customers bigint, iterations integer, converged boolean, '
          || 'at_bound boolean, gradient_norm double precision, patterns bigint'
          || CASE WHEN typ = 'gamma_gamma_model' THEN ', skipped bigint' ELSE '' END
          || (SELECT string_agg(', se_' || f || ' double precision', '') FROM unnest(string_to_array(fields, ', ')) f),
          typ || ' is a composite of its parameters (' || fields || '), the fit''s report and the standard errors (1.6)')
FROM model_types ORDER BY i;
SELECT is_aggregate(f, ARRAY['double precision', 'double precision', 'double precision'], f || '(frequency, recency, t)')
FROM unnest(ARRAY['bgnbd_fit', 'mbgnbd_fit', 'pareto_nbd_fit']) f;
SELECT is_aggregate('gamma_gamma_fit', ARRAY['double precision', 'double precision'], 'gamma_gamma_fit(frequency, monetary_value)');
SELECT is_aggregate(f, ARRAY['double precision', 'double precision', 'double precision', 'bigint'],
                    f || '(frequency, recency, t, customers): the weighted form')
FROM unnest(ARRAY['bgnbd_fit', 'mbgnbd_fit', 'pareto_nbd_fit']) f;
SELECT is_aggregate('gamma_gamma_fit', ARRAY['double precision', 'double precision', 'bigint'],
                    'gamma_gamma_fit(frequency, monetary_value, customers): the weighted form');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates
                  WHERE proname LIKE '%\_fit' AND (aggtranstype <> 'clv_fit_state'::regtype
                        OR aggcombinefn::regproc::text NOT LIKE '%clv_fit_combine')$$,
                'every fit aggregate has state clv_fit_state and combine clv_fit_combine');
SELECT is((SELECT typtype::text || typlen || (typsend <> 0 AND typreceive <> 0) FROM pg_type
           WHERE oid = 'clv_fit_state'::regtype), 'b-1true',
          'clv_fit_state is a varlena base type with binary send and receive');
SELECT has_function(f, a, f || '(' || array_to_string(a, ', ') || ')')
FROM (VALUES
    ('bgnbd_model', ARRAY['double precision', 'double precision', 'double precision', 'double precision']),
    ('mbgnbd_model', ARRAY['double precision', 'double precision', 'double precision', 'double precision']),
    ('pareto_nbd_model', ARRAY['double precision', 'double precision', 'double precision', 'double precision']),
    ('gamma_gamma_model', ARRAY['double precision', 'double precision', 'double precision']),
    ('log_likelihood', ARRAY['bgnbd_model', 'double precision', 'double precision', 'double precision']),
    ('log_likelihood', ARRAY['mbgnbd_model', 'double precision', 'double precision', 'double precision']),
    ('log_likelihood', ARRAY['pareto_nbd_model', 'double precision', 'double precision', 'double precision']),
    ('log_likelihood', ARRAY['gamma_gamma_model', 'double precision', 'double precision']),
    ('p_alive', ARRAY['bgnbd_model', 'double precision', 'double precision', 'double precision']),
    ('p_alive', ARRAY['mbgnbd_model', 'double precision', 'double precision', 'double precision']),
    ('p_alive', ARRAY['pareto_nbd_model', 'double precision', 'double precision', 'double precision']),
    ('expected_purchases', ARRAY['bgnbd_model', 'double precision', 'double precision', 'double precision', 'double precision']),
    ('expected_purchases', ARRAY['mbgnbd_model', 'double precision', 'double precision', 'double precision', 'double precision']),
    ('expected_purchases', ARRAY['pareto_nbd_model', 'double precision', 'double precision', 'double precision', 'double precision']),
    ('expected_purchases', ARRAY['bgnbd_model', 'double precision']),
    ('expected_purchases', ARRAY['mbgnbd_model', 'double precision']),
    ('expected_purchases', ARRAY['pareto_nbd_model', 'double precision']),
    ('expected_spend', ARRAY['gamma_gamma_model', 'double precision', 'double precision']),
    ('predicted_clv', ARRAY['bgnbd_model', 'gamma_gamma_model', 'double precision', 'double precision', 'double precision',
                            'double precision', 'integer', 'double precision', 'double precision']),
    ('predicted_clv', ARRAY['mbgnbd_model', 'gamma_gamma_model', 'double precision', 'double precision', 'double precision',
                            'double precision', 'integer', 'double precision', 'double precision']),
    ('predicted_clv', ARRAY['pareto_nbd_model', 'gamma_gamma_model', 'double precision', 'double precision', 'double precision',
                            'double precision', 'integer', 'double precision', 'double precision'])
) AS v(f, a);
SELECT is((SELECT array_to_string(proargnames, ', ') FROM pg_proc
           WHERE oid = 'predicted_clv(bgnbd_model, gamma_gamma_model, float8, float8, float8, float8, int4, float8, float8)'::regprocedure),
          'purchase_model, spend_model, frequency, recency, t, monetary_value, months, discount_rate, units_per_month',
          'predicted_clv takes its arguments in the documented order');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE proname IN ('log_likelihood', 'p_alive', 'expected_purchases', 'expected_spend', 'predicted_clv')
                    AND NOT (proisstrict AND provolatile = 'i')$$,
                'the prediction functions are STRICT and IMMUTABLE');

-- 1.6: sBG, BG/BB, standard errors (issue "Forecasts you can check")
SELECT is((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, NULL), ', ' ORDER BY a.attnum)
           FROM pg_attribute a WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'sbg_model'::regtype)
             AND a.attnum > 0),
          'alpha double precision, beta double precision, log_likelihood double precision, customers bigint, '
          'periods bigint, iterations integer, converged boolean, at_bound boolean, gradient_norm double precision, '
          'se_alpha double precision, se_beta double precision',
          'sbg_model is (alpha, beta, log_likelihood, customers, periods, iterations, converged, ...) with standard errors');
SELECT is((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, NULL), ', ' ORDER BY a.attnum)
           FROM pg_attribute a WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'bgbb_model'::regtype)
             AND a.attnum > 0),
          'alpha double precision, beta double precision, gamma double precision, delta double precision, '
          'log_likelihood double precision, customers bigint, iterations integer, converged boolean, '
          'at_bound boolean, gradient_norm double precision, patterns bigint, se_alpha double precision, '
          'se_beta double precision, se_gamma double precision, se_delta double precision',
          'bgbb_model is (alpha, beta, gamma, delta, log_likelihood, ...) with standard errors');
SELECT is_aggregate('sbg_fit', ARRAY['integer', 'bigint'], 'sbg_fit(period int, alive int8)');
SELECT is_aggregate('bgbb_fit', ARRAY['integer', 'integer', 'integer'], 'bgbb_fit(frequency, recency, n_periods)');
SELECT is_aggregate('bgbb_fit', ARRAY['integer', 'integer', 'integer', 'bigint'], 'bgbb_fit(frequency, recency, n_periods, customers)');
SELECT has_function(f, a, f || '(' || array_to_string(a, ', ') || ')')
FROM (VALUES
    ('sbg_model', ARRAY['double precision', 'double precision']),
    ('bgbb_model', ARRAY['double precision', 'double precision', 'double precision', 'double precision']),
    ('survival', ARRAY['sbg_model', 'integer']),
    ('retention_rate', ARRAY['sbg_model', 'integer']),
    ('churn_probability', ARRAY['sbg_model', 'integer']),
    ('expected_lifetime', ARRAY['sbg_model', 'double precision']),
    ('residual_lifetime', ARRAY['sbg_model', 'integer', 'double precision']),
    ('log_likelihood', ARRAY['bgbb_model', 'integer', 'integer', 'integer']),
    ('p_alive', ARRAY['bgbb_model', 'integer', 'integer', 'integer']),
    ('expected_purchases', ARRAY['bgbb_model', 'integer', 'integer', 'integer', 'integer']),
    ('expected_purchases', ARRAY['bgbb_model', 'integer']),
    ('parameters', ARRAY['bgnbd_model']),
    ('parameters', ARRAY['mbgnbd_model']),
    ('parameters', ARRAY['pareto_nbd_model']),
    ('parameters', ARRAY['gamma_gamma_model']),
    ('parameters', ARRAY['sbg_model']),
    ('parameters', ARRAY['bgbb_model']),
    ('sbg_fit', ARRAY['cohort_matrix', 'timestamp with time zone']),
    ('retention_forecast', ARRAY['cohort_matrix', 'integer', 'timestamp with time zone'])
) AS v(f, a);
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'parameters(bgnbd_model)'::regprocedure AND a.m = 'o'),
          'parameter text, estimate double precision, std_error double precision, ci_lower double precision, ci_upper double precision',
          'parameters(model) returns (parameter, estimate, std_error, ci_lower, ci_upper)');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'retention_forecast(cohort_matrix, int4, timestamptz)'::regprocedure AND a.m = 'o'),
          'cohort date, period_offset integer, observed_rate double precision, fitted_rate double precision, projected boolean',
          'retention_forecast returns (cohort, period_offset, observed_rate, fitted_rate, projected)');
SELECT is((SELECT array_to_string(proargnames, ', ') FROM pg_proc
           WHERE oid = 'expected_purchases(bgbb_model, int4, int4, int4, int4)'::regprocedure),
          'model, n_future, frequency, recency, n_periods',
          'expected_purchases(bgbb_model, ...) takes its arguments in the documented order');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE proname IN ('survival', 'retention_rate', 'churn_probability', 'expected_lifetime',
                                    'residual_lifetime', 'parameters')
                    AND NOT (proisstrict AND provolatile = 'i')$$,
                'the sBG predictions and parameters() are STRICT and IMMUTABLE');

-- rfm: the per-customer summary (issue 5's interface)
SELECT is((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, NULL), ', ' ORDER BY a.attnum)
           FROM pg_attribute a WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'rfm_summary'::regtype)
             AND a.attnum > 0),
          'frequency integer, recency double precision, t double precision, monetary_value numeric',
          'rfm_summary is (frequency int, recency float8, t float8, monetary_value numeric)');
SELECT is((SELECT count(*) FROM ext_aggregates WHERE proname = 'rfm'), 10::int8,
          'ten rfm aggregates (3 time types x with and without unit, and float8 / float4 amounts with and without unit)');
SELECT is_aggregate('rfm', ARRAY['anyelement', 'double precision', 'anyelement', 'text'],
                    'rfm(ordered_at anyelement, amount float8, observed_until anyelement, unit) (1.4)');
SELECT is_aggregate('rfm', ARRAY['timestamp with time zone', 'numeric', 'timestamp with time zone'],
                    'rfm(ordered_at timestamptz, amount, observed_until)');
SELECT is_aggregate('rfm', ARRAY['timestamp with time zone', 'numeric', 'timestamp with time zone', 'text'],
                    'rfm(ordered_at timestamptz, amount, observed_until, unit)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.aggfnoid
                  WHERE a.proname = 'rfm' AND (a.aggtranstype <> 'rfm_state'::regtype
                        OR p.prorettype <> 'rfm_summary'::regtype)$$,
                'every rfm aggregate has state rfm_state and returns rfm_summary');
SELECT is((SELECT typtype::text || typlen || (typsend <> 0 AND typreceive <> 0) FROM pg_type
           WHERE oid = 'rfm_state'::regtype), 'b-1true',
          'rfm_state is a varlena base type with binary send and receive');

-- 1.7: the sums over disjoint customer sets, as Citus needs them (a combine function, a
-- state type that is not internal, no polymorphic argument) and PostgreSQL parallel query
SELECT is_aggregate('cohort_matrix_sum', ARRAY['cohort_matrix'], 'cohort_matrix_sum(cohort_matrix) (1.7)');
SELECT is_aggregate('order_stats_sum', ARRAY['order_stats'], 'order_stats_sum(order_stats) (1.7)');
SELECT is_aggregate('revenue_matrix_sum', ARRAY['revenue_matrix'], 'revenue_matrix_sum(revenue_matrix) (1.7)');
SELECT is_aggregate('retention_matrix_sum', ARRAY['retention_matrix'], 'retention_matrix_sum(retention_matrix) (1.7)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.aggfnoid
                  WHERE a.proname IN ('cohort_matrix_sum', 'revenue_matrix_sum', 'retention_matrix_sum', 'order_stats_sum')
                    AND (a.aggcombinefn = 0 OR a.aggtranstype <> p.prorettype OR a.aggfinalfn <> 0
                         OR p.proparallel <> 's' OR a.aggtransfn <> a.aggcombinefn)$$,
                'the sums: state = result type, no final function, the transition function combines, PARALLEL SAFE');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE proname IN ('cohort_matrix_sum_trans', 'revenue_matrix_sum_trans', 'retention_matrix_sum_trans', 'order_stats_sum_trans')
                    AND NOT (proisstrict AND provolatile = 'i')$$,
                'the sums'' transition functions are STRICT (the first input is the first state) and IMMUTABLE');
-- window_funnel (1.7): ClickHouse's windowFunnel
SELECT is((SELECT count(*) FROM ext_aggregates WHERE proname = 'window_funnel'), 6::int8,
          'six window_funnel aggregates (3 time types x with and without mode)');
SELECT is_aggregate('window_funnel', ARRAY['interval', 'timestamp with time zone', 'boolean[]'],
                    'window_funnel(window interval, event_at timestamptz, VARIADIC steps boolean[])');
SELECT is_aggregate('window_funnel', ARRAY['interval', 'text', 'date', 'boolean[]'],
                    'window_funnel(window interval, mode text, event_at date, VARIADIC steps boolean[])');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.aggfnoid
                  WHERE a.proname = 'window_funnel'
                    AND (a.aggtranstype <> 'window_funnel_state'::regtype OR p.prorettype <> 'int4'::regtype
                         OR a.aggcombinefn <> 'window_funnel_combine'::regproc OR p.proparallel <> 's'
                         OR p.provariadic <> 'boolean'::regtype)$$,
                'every window_funnel aggregate: state window_funnel_state, returns int4, a combine function, PARALLEL SAFE, VARIADIC boolean');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE proname IN ('window_funnel_trans', 'window_funnel_combine', 'window_funnel_final')
                    AND (proisstrict OR provolatile <> 'i')$$,
                'window_funnel''s transition, combine and final functions are IMMUTABLE and not STRICT');
SELECT is((SELECT count(*) FROM ext_functions WHERE proname = 'window_funnel_trans'), 6::int8,
          'six window_funnel transition functions');
SELECT is((SELECT typtype::text || typlen || (typsend <> 0 AND typreceive <> 0) FROM pg_type
           WHERE oid = 'window_funnel_state'::regtype), 'b-1true',
          'window_funnel_state is a varlena base type with binary send and receive');
-- funnel_agg, funnel_agg_sum and funnel_table (1.7): how many actors reached each step
SELECT is_aggregate('funnel_agg', ARRAY['integer', 'integer'], 'funnel_agg(level int4, steps int4)');
SELECT is_aggregate('funnel_agg_sum', ARRAY['funnel_counts'], 'funnel_agg_sum(funnel_counts)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.aggfnoid
                  WHERE a.proname IN ('funnel_agg', 'funnel_agg_sum')
                    AND (a.aggtranstype <> 'funnel_counts'::regtype OR p.prorettype <> 'funnel_counts'::regtype
                         OR a.aggfinalfn <> 0 OR a.aggcombinefn <> 'funnel_counts_add'::regproc
                         OR p.proparallel <> 's')$$,
                'funnel_agg and funnel_agg_sum: state = result = funnel_counts, no final function, combine funnel_counts_add, PARALLEL SAFE');
SELECT is((SELECT string_agg(proname || ' ' || proisstrict || ' ' || provolatile::text, ', ' ORDER BY proname)
           FROM ext_functions WHERE proname IN ('funnel_agg_trans', 'funnel_counts_add')),
          'funnel_agg_trans false i, funnel_counts_add true i',
          'funnel_agg_trans is not STRICT (NULL levels are counted), funnel_counts_add is (the first input is the first state); both IMMUTABLE');
SELECT is((SELECT typtype::text || typlen || (typsend <> 0 AND typreceive <> 0) FROM pg_type
           WHERE oid = 'funnel_counts'::regtype), 'b-1true',
          'funnel_counts is a varlena base type with binary send and receive');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'funnel_table(funnel_counts)'::regprocedure AND a.m = 'o'),
          'step integer, actors bigint, conversion double precision, conversion_from_previous double precision, dropped bigint',
          'funnel_table returns the documented columns');
SELECT ok((SELECT proretset AND proisstrict AND provolatile = 'i' FROM pg_proc
           WHERE oid = 'funnel_table(funnel_counts)'::regprocedure),
          'funnel_table is set-returning, STRICT and IMMUTABLE');
SELECT is((SELECT string_agg(p.proname || ' ' || format_type(p.prorettype, NULL) || ' ' || p.proisstrict || ' ' || p.provolatile::text,
                             ', ' ORDER BY p.proname)
           FROM ext_functions p WHERE p.pronargs = 1 AND p.proargtypes[0] = 'funnel_counts'::regtype
             AND p.proname IN ('actors', 'ignored_rows')),
          'actors bigint true i, ignored_rows bigint true i',
          'actors(funnel_counts) and ignored_rows(funnel_counts): bigint, STRICT, IMMUTABLE');
-- rfm_agg and rfm_table (1.7): one summary of every customer, and its rows
SELECT is((SELECT count(*) FROM ext_aggregates WHERE proname = 'rfm_agg'), (6 + 12 + 7 * 3 * 2)::int8,
          'rfm_agg: 6 polymorphic aggregates (3 time types x with and without unit), 12 with float8 or float4 amounts and 42 with concrete key types');
SELECT is_aggregate('rfm_agg', ARRAY['anyelement', 'timestamp with time zone', 'numeric'],
                    'rfm_agg(customer anyelement, ordered_at timestamptz, amount numeric)');
SELECT is_aggregate('rfm_agg', ARRAY['anyelement', 'date', 'real', 'text'],
                    'rfm_agg(customer anyelement, ordered_at date, amount float4, unit text)');
SELECT set_eq($$SELECT array_to_string(p.proargtypes::regtype[], ', ') FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.fn_oid
                WHERE p.proname = 'rfm_agg'
                  AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::regtype[]) t WHERE t IN ('anyelement', 'anycompatible'))$$,
              $$SELECT array_to_string(ARRAY[c, t, 'numeric']::regtype[], ', ')
                FROM unnest('{smallint,integer,bigint,text,varchar,bpchar,uuid}'::regtype[]) c,
                     unnest('{timestamptz,timestamp,date}'::regtype[]) t
                UNION ALL
                SELECT array_to_string(ARRAY[c, t, 'numeric', 'text']::regtype[], ', ')
                FROM unnest('{smallint,integer,bigint,text,varchar,bpchar,uuid}'::regtype[]) c,
                     unnest('{timestamptz,timestamp,date}'::regtype[]) t$$,
              'rfm_agg for every customer type x time type, with and without unit (Citus)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.aggfnoid
                  WHERE a.proname = 'rfm_agg' AND (aggtranstype <> 'rfm_agg_state'::regtype
                        OR aggfinalfn::regproc::text NOT LIKE '%rfm_agg_final'
                        OR aggcombinefn::regproc::text NOT LIKE '%rfm_agg_combine'
                        OR p.prorettype <> 'rfm_agg_state'::regtype)$$,
                'every rfm_agg aggregate has state rfm_agg_state, final rfm_agg_final, combine rfm_agg_combine and returns rfm_agg_state');
SELECT is((SELECT typtype::text || typlen || (typsend <> 0 AND typreceive <> 0) FROM pg_type
           WHERE oid = 'rfm_agg_state'::regtype), 'b-1true',
          'rfm_agg_state is a varlena base type with binary send and receive');
SELECT is((SELECT string_agg(format_type(p.proargtypes[1], NULL) || '/' || p.pronargs, ', '
                                 ORDER BY format_type(p.proargtypes[1], NULL), p.pronargs)
           FROM ext_functions p WHERE p.proname = 'rfm_table'),
          'date/3, date/4, timestamp with time zone/3, timestamp with time zone/4, timestamp without time zone/3, timestamp without time zone/4',
          'rfm_table for each time type of observed_until, with and without unit');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'rfm_table(rfm_agg_state, timestamptz, text, anyelement)'::regprocedure AND a.m = 't'),
          'customer anyelement, frequency integer, recency double precision, t double precision, monetary_value numeric',
          'rfm_table returns (customer, frequency, recency, t, monetary_value), the customer typed by customer_type');
SELECT is((SELECT array_to_string(proargnames[1:4], ', ') FROM pg_proc
           WHERE oid = 'rfm_table(rfm_agg_state, timestamptz, text, anyelement)'::regprocedure),
          'summary, observed_until, unit, customer_type',
          'rfm_table takes (summary, observed_until, unit, customer_type)');

-- retention_agg (1.7): retention of any event table
SELECT is((SELECT count(*) FROM ext_aggregates WHERE proname = 'retention_agg'), (3 * 2 * 3 + 3 * 2 * 7 * 3)::int8,
          'retention_agg: 18 polymorphic aggregates (3 time types x text or interval period x 3 forms) and 126 with concrete key types');
SELECT is_aggregate('retention_agg', ARRAY['anyelement', 'timestamp with time zone', 'text', 'boolean', 'boolean'],
                    'retention_agg(actor anyelement, event_at timestamptz, period text, is_start boolean, is_return boolean)');
SELECT is_aggregate('retention_agg', ARRAY['integer', 'date', 'interval', 'boolean', 'boolean', 'numeric', 'retention_options'],
                    'retention_agg(actor integer, event_at date, period interval, is_start, is_return, value numeric, options retention_options)');
SELECT is_empty($$SELECT a.fn_oid::regprocedure FROM ext_aggregates a JOIN pg_proc p ON p.oid = a.fn_oid
                  WHERE a.proname = 'retention_agg'
                    AND (a.aggtranstype <> 'retention_state'::regtype OR p.prorettype <> 'retention_matrix'::regtype
                         OR a.aggcombinefn <> 'retention_agg_combine'::regproc
                         OR a.aggfinalfn <> 'retention_agg_final'::regproc OR p.proparallel <> 's')$$,
                'every retention_agg aggregate: state retention_state, returns retention_matrix, a combine function, PARALLEL SAFE');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE proname IN ('retention_agg_trans', 'retention_agg_combine', 'retention_agg_final', 'retention_options')
                    AND proisstrict$$,
                'retention_agg''s transition, combine and final functions and retention_options are not STRICT');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'retention_table(retention_matrix, timestamptz)'::regprocedure AND a.m = 'o'),
          'cohort timestamp with time zone, period_offset integer, cohort_size bigint, active bigint, '
          'retention_rate double precision, active_on_or_after bigint, rate_vs_previous double precision, '
          'value numeric, value_per_active numeric, complete boolean',
          'retention_table returns the documented columns');
SELECT is((SELECT string_agg(a.n || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.o)
           FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes) WITH ORDINALITY a(n, t, m, o)
           WHERE p.oid = 'retention_curve(retention_matrix, timestamptz)'::regprocedure AND a.m = 'o'),
          'period_offset integer, cohorts integer, cohort_customers bigint, active bigint, '
          'retention_rate double precision, mean_rate double precision',
          'retention_curve(retention_matrix) returns the columns of retention_curve(cohort_matrix)');
SELECT is_empty($$SELECT fn_oid::regprocedure FROM ext_functions
                  WHERE proname = 'retention_table' AND NOT (proretset AND NOT proisstrict)$$,
                'retention_table is set-returning and takes NULL (observed_until NULL = the latest event)');
SELECT is((SELECT string_agg(typtype::text || typlen || (typsend <> 0 AND typreceive <> 0), ' ' ORDER BY typname)
           FROM pg_type WHERE oid IN ('retention_matrix'::regtype, 'retention_state'::regtype)), 'b-1true b-1true',
          'retention_matrix and retention_state are varlena base types with binary send and receive');
SELECT is((SELECT p.prorettype::regtype::text || ' ' || t.typtype::text
           FROM pg_proc p JOIN pg_type t ON t.oid = p.prorettype
           WHERE p.oid = 'retention_options(text, int[], int, text)'::regprocedure), 'retention_options c',
          'retention_options(cohorts, brackets, min_occurrences, week_start) returns the composite type retention_options');

SELECT * FROM finish();
ROLLBACK;
