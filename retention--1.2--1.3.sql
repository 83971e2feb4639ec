/* retention--1.2--1.3.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "ALTER EXTENSION retention UPDATE TO '1.3'" to load this file. \quit

--
-- 1.3: order_stats and cohort_agg declared once more for every supported key
-- type, so that Citus can run them on its workers.
--
-- Citus 13.2 runs a custom aggregate that it cannot push down whole (a query
-- not grouped by the distribution column) as worker_partial_agg('agg'::
-- regprocedure, ROW(args)) on the workers and coord_combine_agg on the
-- coordinator, and worker_partial_agg checks that the row's field types are
-- exactly the aggregate's declared argument types.  A polymorphic argument
-- (customer anyelement, order_key anycompatible) never passes that check
-- ("worker_partial_agg_sfunc could not confirm type correctness").  The
-- aggregates below have the same transition, combine and final functions and
-- the same state type as the polymorphic ones; only the declared argument
-- types differ.  A call with supported key types now resolves to one of them
-- (an exact match); any other key type still resolves to the polymorphic
-- aggregate and gets its ERROR 42804 with the hint to cast.  Every supported
-- key type needs its own aggregate: with only some of them, a call with
-- another one (say integer next to a bigint aggregate) would be ambiguous.
--
--   order_stats: 7 customer types x 3 time types, and x 7 order_key types
--   cohort_agg:  7 customer types x 3 time types x (no amount, amount), and
--                x 7 order_key types
--
-- (357 aggregates, generated here rather than written out.)
--

DO $$
DECLARE
    keys  text[] := ARRAY['smallint', 'integer', 'bigint', 'text', 'varchar', 'bpchar', 'uuid'];
    times text[] := ARRAY['timestamptz', 'timestamp', 'date'];
    os    text := 'SFUNC = @extschema@.order_stats_trans, STYPE = @extschema@.order_stats_state, '
                  'SSPACE = 1024, FINALFUNC = @extschema@.order_stats_final, '
                  'COMBINEFUNC = @extschema@.order_stats_combine, PARALLEL = SAFE';
    co    text := 'SFUNC = @extschema@.cohort_agg_trans, STYPE = @extschema@.cohort_state, '
                  'SSPACE = 1024, FINALFUNC = @extschema@.cohort_agg_final, '
                  'COMBINEFUNC = @extschema@.cohort_agg_combine, PARALLEL = SAFE';
    c text;
    t text;
    o text;
BEGIN
    FOREACH t IN ARRAY times LOOP
        FOREACH c IN ARRAY keys LOOP
            EXECUTE format('CREATE AGGREGATE @extschema@.order_stats(customer %s, ordered_at %s, '
                           'amount numeric) (%s)', c, t, os);
            EXECUTE format('CREATE AGGREGATE @extschema@.cohort_agg(customer %s, ordered_at %s, '
                           'period text) (%s)', c, t, co);
            EXECUTE format('CREATE AGGREGATE @extschema@.cohort_agg(customer %s, ordered_at %s, '
                           'period text, amount numeric) (%s)', c, t, co);
            FOREACH o IN ARRAY keys LOOP
                EXECUTE format('CREATE AGGREGATE @extschema@.order_stats(customer %s, ordered_at %s, '
                               'amount numeric, order_key %s) (%s)', c, t, o, os);
                EXECUTE format('CREATE AGGREGATE @extschema@.cohort_agg(customer %s, ordered_at %s, '
                               'period text, amount numeric, order_key %s) (%s)', c, t, o, co);
            END LOOP;
        END LOOP;
    END LOOP;
END
$$;
