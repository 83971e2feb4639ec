-- What differs between the PostgreSQL majors the extension supports (13 and later), checked
-- exactly where the feature exists and skipped (with the reason) where it does not. The
-- pg_regress suite has alternative expected files for these (expected/*_1.out): this file
-- makes sure that on 15 and later the newer behaviour is the one seen.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(3);

-- the library is loaded by any of its functions (and with it retention.max_state_memory)
SELECT is(customers(order_stats(1, now(), 1.0)), 1::int8, 'the library is loaded');

-- MarkGUCPrefixReserved arrived in 15: unknown retention.* settings are refused there
-- (order_stats_limits_1.out is the output of 13 and 14, where such a SET succeeds).
SELECT CASE WHEN current_setting('server_version_num')::int >= 150000
            THEN throws_ok('SET LOCAL retention.no_such_setting = 1', '42602',
                           'invalid configuration parameter name "retention.no_such_setting"',
                           'PostgreSQL 15+: an unknown retention.* setting is refused (reserved prefix)')
            ELSE skip('no reserved setting prefixes before PostgreSQL 15', 1) END;

-- numeric infinities arrived in 14 (rfm_basic_1.out is the output of 13, which refuses them).
SELECT CASE WHEN current_setting('server_version_num')::int >= 140000
            THEN results_eq($$SELECT (rfm(t, b, date '2024-03-31')).monetary_value::text,
                                     (rfm(t, c, date '2024-03-31')).monetary_value::text
                              FROM (VALUES (date '2024-03-01', 1::numeric, 1::numeric),
                                           ('2024-03-02', 'Infinity', 'Infinity'),
                                           ('2024-03-03', 3, '-Infinity')) v(t, b, c)$$,
                            $$VALUES ('Infinity', 'NaN')$$,
                            'PostgreSQL 14+: rfm of infinite amounts is as avg() (+Infinity; +Infinity and -Infinity: NaN)')
            ELSE skip('numeric has no Infinity before PostgreSQL 14', 1) END;
SELECT * FROM finish();
ROLLBACK;
