-- retention_agg on the events of PostHog's own retention tests, with PostHog's expected
-- numbers (posthog/hogql_queries/insights/retention/test/test_retention_query_runner.py
-- and test_retention_data_warehouse_24h_window.py; the test names are given with each
-- case).  PostHog's events are (person, time) pairs made by _date(day, hour = 5, month =
-- 0) = 2020-(6 + month)-(10 + day) hour:00; its "alias1" is person1.  Its results are one
-- row per cohort period of the date range, each with the counts of the offsets 0 ..
-- totalIntervals - 1 - row; posthog_rows() reads the same out of retention_table (active,
-- or active_on_or_after for PostHog's "cumulative"), 0 where retention_table has no
-- row.  PostHog's default retention type is recurring; "first_time" is its
-- retention_first_time (first occurrence matching the filters).  A date range that starts
-- after the first events is a WHERE on the events (PostHog ignores earlier events).
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(17);

CREATE SCHEMA tap_ph;
SET LOCAL search_path = tap_ph, public;
SET LOCAL TimeZone = 'UTC';

CREATE FUNCTION d(day int, hour int DEFAULT 5, month int DEFAULT 0) RETURNS timestamptz
LANGUAGE sql STABLE AS $f$ SELECT make_timestamptz(2020, 6 + month, 10 + day, hour, 0, 0) $f$;

-- PostHog's rows: n cohorts from first, step apart, each with n - i offsets.
CREATE FUNCTION posthog_rows(m retention_matrix, first timestamptz, step interval, n int,
                             cumulative boolean DEFAULT false)
RETURNS TABLE (i int, counts int[]) LANGUAGE sql STABLE AS $f$
    SELECT i, ARRAY(SELECT coalesce((SELECT CASE WHEN cumulative THEN t.active_on_or_after ELSE t.active END
                                     FROM retention_table(m) t
                                     WHERE t.cohort = first + i * step AND t.period_offset = k), 0)::int
                    FROM generate_series(0, n - 1 - i) k ORDER BY k)
    FROM generate_series(0, n - 1) i ORDER BY i
$f$;

CREATE FUNCTION expected(rows int[]) RETURNS TABLE (i int, counts int[])
LANGUAGE sql IMMUTABLE AS $f$
    SELECT i - 1, ARRAY(SELECT x FROM unnest(rows[i:i][:]) x WHERE x <> -1)
    FROM generate_subscripts(rows, 1) i ORDER BY i
$f$;

-- the events of test_day_interval, test_all_events*, test_retention_with_properties*
CREATE TABLE pageviews (person text, t timestamptz, prop text);
INSERT INTO pageviews VALUES
    ('person1', d(0), NULL), ('person1', d(1), NULL), ('person1', d(2), NULL), ('person1', d(5), NULL),
    ('person1', d(5, 9), NULL), ('person1', d(6), NULL),
    ('person2', d(1), NULL), ('person2', d(2), NULL), ('person2', d(3), NULL), ('person2', d(6), NULL);

-- test_day_interval: recurring, daily, 11 intervals (-1 pads the rows of the 2-D array)
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'day', true, true, NULL,
                                   retention_options(cohorts => 'recurring')) FROM pageviews), d(0, 0), '1 day', 11)$$,
    $$SELECT * FROM expected(
        '{{1,1,1,0,0,1,1,0,0,0,0},{2,2,1,0,1,2,0,0,0,0,-1},{2,1,0,1,2,0,0,0,0,-1,-1},
          {1,0,0,1,0,0,0,0,-1,-1,-1},{0,0,0,0,0,0,0,-1,-1,-1,-1},{1,1,0,0,0,0,-1,-1,-1,-1,-1},
          {2,0,0,0,0,-1,-1,-1,-1,-1,-1},{0,0,0,0,-1,-1,-1,-1,-1,-1,-1},{0,0,0,-1,-1,-1,-1,-1,-1,-1,-1},
          {0,0,-1,-1,-1,-1,-1,-1,-1,-1,-1},{0,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1}}')$$,
    'PostHog test_day_interval: recurring daily retention');

-- test_all_events_with_minimum_occurrences: the same events, minimumOccurrences 2
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'day', true, true, NULL,
                                   retention_options(cohorts => 'recurring', min_occurrences => 2)) FROM pageviews),
                                 d(0, 0), '1 day', 11)$$,
    $$SELECT * FROM expected(
        '{{1,0,0,0,0,1,0,0,0,0,0},{2,0,0,0,1,0,0,0,0,0,-1},{2,0,0,1,0,0,0,0,0,-1,-1},
          {1,0,0,0,0,0,0,0,-1,-1,-1},{0,0,0,0,0,0,0,-1,-1,-1,-1},{1,0,0,0,0,0,-1,-1,-1,-1,-1},
          {2,0,0,0,0,-1,-1,-1,-1,-1,-1},{0,0,0,0,-1,-1,-1,-1,-1,-1,-1},{0,0,0,-1,-1,-1,-1,-1,-1,-1,-1},
          {0,0,-1,-1,-1,-1,-1,-1,-1,-1,-1},{0,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1}}')$$,
    'PostHog test_all_events_with_minimum_occurrences: min_occurrences 2');

-- test_retention_with_properties_on_start_event_for_first_time: first_time, the start
-- event is a pageview with the property (person1 on days 2 and 5), returns all pageviews
UPDATE pageviews SET prop = 'value' WHERE person = 'person1' AND t IN (d(2), d(5));
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'day', prop IS NOT DISTINCT FROM 'value', true)
                                  FROM pageviews), d(0, 0), '1 day', 11)$$,
    $$SELECT * FROM expected(
        '{{0,0,0,0,0,0,0,0,0,0,0},{0,0,0,0,0,0,0,0,0,0,-1},{1,0,0,1,1,0,0,0,0,-1,-1},
          {0,0,0,0,0,0,0,0,-1,-1,-1},{0,0,0,0,0,0,0,-1,-1,-1,-1},{0,0,0,0,0,0,-1,-1,-1,-1,-1},
          {0,0,0,0,0,-1,-1,-1,-1,-1,-1},{0,0,0,0,-1,-1,-1,-1,-1,-1,-1},{0,0,0,-1,-1,-1,-1,-1,-1,-1,-1},
          {0,0,-1,-1,-1,-1,-1,-1,-1,-1,-1},{0,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1}}')$$,
    'PostHog test_retention_with_properties_on_start_event_for_first_time: first_time, start with a property');

-- test_retention_with_properties_on_return_event_with_first_time: first_time, every
-- pageview starts, only the pageview with the property (person1, day 5) returns
UPDATE pageviews SET prop = NULL;
UPDATE pageviews SET prop = 'value' WHERE person = 'person1' AND t = d(5);
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'day', true, prop IS NOT DISTINCT FROM 'value')
                                  FROM pageviews), d(0, 0), '1 day', 11)$$,
    $$SELECT * FROM expected(
        '{{1,0,0,0,0,1,0,0,0,0,0},{1,0,0,0,0,0,0,0,0,0,-1},{0,0,0,0,0,0,0,0,0,-1,-1},
          {0,0,0,0,0,0,0,0,-1,-1,-1},{0,0,0,0,0,0,0,-1,-1,-1,-1},{0,0,0,0,0,0,-1,-1,-1,-1,-1},
          {0,0,0,0,0,-1,-1,-1,-1,-1,-1},{0,0,0,0,-1,-1,-1,-1,-1,-1,-1},{0,0,0,-1,-1,-1,-1,-1,-1,-1,-1},
          {0,0,-1,-1,-1,-1,-1,-1,-1,-1,-1},{0,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1}}')$$,
    'PostHog test_retention_with_properties_on_return_event_with_first_time: first_time, return with a property');

-- test_week_interval: recurring weekly, weeks from Sunday and from Monday give the same counts
CREATE TABLE weekly (person text, t timestamptz);
INSERT INTO weekly VALUES
    ('person1', d(0)), ('person2', d(0)), ('person1', d(1)), ('person2', d(1)),
    ('person1', d(7)), ('person2', d(7)), ('person1', d(14)),
    ('person1', d(-6, 5, 1)), ('person2', d(-6, 5, 1)), ('person2', d(1, 5, 1)), ('person1', d(1, 5, 1)),
    ('person2', d(15, 5, 1));
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'week', true, true, NULL,
                                   retention_options(cohorts => 'recurring', week_start => 'sunday')) FROM weekly),
                                 '2020-06-07', '7 days', 7)$$,
    $$SELECT * FROM expected('{{2,2,1,2,2,0,1},{2,1,2,2,0,1,-1},{1,1,1,0,0,-1,-1},{2,2,0,1,-1,-1,-1},
                               {2,0,1,-1,-1,-1,-1},{0,0,-1,-1,-1,-1,-1},{1,-1,-1,-1,-1,-1,-1}}')$$,
    'PostHog test_week_interval: weeks from Sunday, cohorts from 2020-06-07');
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'week', true, true, NULL,
                                   retention_options(cohorts => 'recurring')) FROM weekly),
                                 '2020-06-08', '7 days', 7)$$,
    $$SELECT * FROM expected('{{2,2,1,2,2,0,1},{2,1,2,2,0,1,-1},{1,1,1,0,0,-1,-1},{2,2,0,1,-1,-1,-1},
                               {2,0,1,-1,-1,-1,-1},{0,0,-1,-1,-1,-1,-1},{1,-1,-1,-1,-1,-1,-1}}')$$,
    'PostHog test_week_interval: weeks from Monday, cohorts from 2020-06-08');

-- test_hour_interval_team_timezone: hours in US/Pacific (the events at those local hours,
-- as PostHog's expected cohort times 2020-06-10 06:00 US/Pacific, ... say)
SET LOCAL TimeZone = 'US/Pacific';
CREATE TABLE hourly (person text, t timestamptz);
INSERT INTO hourly VALUES
    ('person1', d(0, 6)), ('person2', d(0, 6)), ('person1', d(0, 7)), ('person2', d(0, 7)),
    ('person1', d(0, 8)), ('person2', d(0, 8)), ('person1', d(0, 10)), ('person1', d(0, 11)),
    ('person2', d(0, 11)), ('person2', d(0, 12)), ('person1', d(0, 14)), ('person2', d(0, 16));
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'hour', true, true, NULL,
                                   retention_options(cohorts => 'recurring')) FROM hourly),
                                 '2020-06-10 06:00 US/Pacific', '1 hour', 11)$$,
    $$SELECT * FROM expected(
        '{{2,2,2,0,1,2,1,0,1,0,1},{2,2,0,1,2,1,0,1,0,1,-1},{2,0,1,2,1,0,1,0,1,-1,-1},
          {0,0,0,0,0,0,0,0,-1,-1,-1},{1,1,0,0,1,0,0,-1,-1,-1,-1},{2,1,0,1,0,1,-1,-1,-1,-1,-1},
          {1,0,0,0,1,-1,-1,-1,-1,-1,-1},{0,0,0,0,-1,-1,-1,-1,-1,-1,-1},{1,0,0,-1,-1,-1,-1,-1,-1,-1,-1},
          {0,0,-1,-1,-1,-1,-1,-1,-1,-1,-1},{1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1}}')$$,
    'PostHog test_hour_interval_team_timezone: hourly in US/Pacific');
SELECT is((SELECT min(cohort) FROM retention_table((SELECT retention_agg(person, t, 'hour', true, true) FROM hourly))),
          '2020-06-10 06:00 US/Pacific'::timestamptz,
          'PostHog test_hour_interval_team_timezone: the first cohort is 06:00 US/Pacific');
SET LOCAL TimeZone = 'UTC';

-- test_retention_multiple_events: recurring, start $some_event, return $pageview
CREATE TABLE two_events (person text, event text, t timestamptz);
INSERT INTO two_events
SELECT p, '$some_event', d(x) FROM (VALUES ('person1', 0), ('person1', 1), ('person1', 2), ('person1', 3),
                                           ('person2', 0), ('person2', 1), ('person2', 2), ('person2', 3),
                                           ('person3', 5)) v(p, x)
UNION ALL
SELECT p, '$pageview', d(x) FROM (VALUES ('person1', 5), ('person1', 6), ('person2', 5)) v(p, x);
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'day', event = '$some_event', event = '$pageview', NULL,
                                   retention_options(cohorts => 'recurring')) FROM two_events), d(0, 0), '1 day', 7)$$,
    $$SELECT * FROM expected('{{2,0,0,0,0,2,1},{2,0,0,0,2,1,-1},{2,0,0,2,1,-1,-1},{2,0,2,1,-1,-1,-1},
                               {0,0,0,-1,-1,-1,-1},{1,0,-1,-1,-1,-1,-1},{0,-1,-1,-1,-1,-1,-1}}')$$,
    'PostHog test_retention_multiple_events: a different return event');

-- test_rolling_retention and test_rolling_retention_with_minimum_occurrences: cumulative
-- (= active_on_or_after), the date range from day 1 (day 0 ignored), 5 intervals
CREATE TABLE rolling (person text, t timestamptz);
INSERT INTO rolling SELECT p, d(x) FROM (VALUES ('person1', 0), ('person1', 3), ('person1', 4), ('person2', 0),
    ('person2', 1), ('person3', 1), ('person3', 2), ('person3', 3), ('person4', 3), ('person4', 4),
    ('person5', 4)) v(p, x);
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'day', true, true, NULL,
                                   retention_options(cohorts => 'recurring')) FROM rolling WHERE t >= d(1, 0)),
                                 d(1, 0), '1 day', 5, cumulative => true)$$,
    $$SELECT * FROM expected('{{2,1,1,0,0},{1,1,0,0,-1},{3,2,0,-1,-1},{3,0,-1,-1,-1},{0,-1,-1,-1,-1}}')$$,
    'PostHog test_rolling_retention: cumulative = active_on_or_after');
INSERT INTO rolling SELECT 'person1', d(4) FROM generate_series(1, 2)
UNION ALL SELECT 'person3', d(3) FROM generate_series(1, 2);
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, 'day', true, true, NULL,
                                   retention_options(cohorts => 'recurring', min_occurrences => 3))
                                  FROM rolling WHERE t >= d(1, 0)),
                                 d(1, 0), '1 day', 5, cumulative => true)$$,
    $$SELECT * FROM expected('{{2,1,1,0,0},{1,1,0,0,-1},{3,1,0,-1,-1},{3,0,-1,-1,-1},{0,-1,-1,-1,-1}}')$$,
    'PostHog test_rolling_retention_with_minimum_occurrences: cumulative, min_occurrences 3');

-- test_same_table_dwh_start_and_return_24h_window (test_retention_data_warehouse_24h_window.py):
-- 24-hour windows from each user's sign-up
CREATE TABLE activity (person text, activity_type text, t timestamptz);
INSERT INTO activity VALUES
    ('user-1', 'signed_up', '2025-01-01 09:00'), ('user-2', 'signed_up', '2025-01-01 10:00'),
    ('user-3', 'signed_up', '2025-01-02 09:00'), ('user-4', 'signed_up', '2025-01-02 10:00'),
    ('user-1', 'renewed', '2025-01-02 12:00'), ('user-2', 'renewed', '2025-01-03 12:00'),
    ('user-3', 'renewed', '2025-01-03 13:00');
SELECT results_eq(
    $$SELECT * FROM posthog_rows((SELECT retention_agg(person, t, interval '24 hours',
                                         activity_type = 'signed_up', activity_type = 'renewed')
                                  FROM activity), '2025-01-01', '1 day', 4)$$,
    $$SELECT * FROM expected('{{2,1,1,0},{2,1,0,-1},{0,0,-1,-1},{0,-1,-1,-1}}')$$,
    'PostHog test_same_table_dwh_start_and_return_24h_window: 24-hour windows');

-- test_retention_24h_window_calculation: person1 at 23:00 on day 0, 01:00 and 23:00 on
-- day 1; then person2 at 01:00 and 23:00 on day 1 and 02:00 on day 2 (recurring for the
-- calendar rows, as PostHog's default)
CREATE TABLE h24 (person text, t timestamptz, browser text);
INSERT INTO h24 VALUES ('person1', '2020-06-10 23:00', NULL), ('person1', '2020-06-11 01:00', NULL),
                       ('person1', '2020-06-11 23:00', NULL);
SELECT results_eq(
    $$SELECT 'calendar', (SELECT counts[1:2] FROM posthog_rows((SELECT retention_agg(person, t, 'day', true, true, NULL,
                                retention_options(cohorts => 'recurring')) FROM h24), d(0, 0), '1 day', 3) WHERE i = 0)
      UNION ALL
      SELECT '24 hours', (SELECT counts[1:2] FROM posthog_rows((SELECT retention_agg(person, t, interval '24 hours', true, true)
                                FROM h24), d(0, 0), '1 day', 3) WHERE i = 0)$$,
    $$VALUES ('calendar', '{1,1}'::int[]), ('24 hours', '{1,1}'::int[])$$,
    'PostHog test_retention_24h_window_calculation: person1, calendar days and 24-hour windows (day 0: 1, 1)');
INSERT INTO h24 VALUES ('person2', '2020-06-11 01:00', NULL), ('person2', '2020-06-11 23:00', NULL),
                       ('person2', '2020-06-12 02:00', NULL);
SELECT results_eq(
    $$SELECT 'calendar', (SELECT counts[1:2] FROM posthog_rows((SELECT retention_agg(person, t, 'day', true, true, NULL,
                                retention_options(cohorts => 'recurring')) FROM h24), d(0, 0), '1 day', 3) WHERE i = 1)
      UNION ALL
      SELECT '24 hours', (SELECT counts[1:2] FROM posthog_rows((SELECT retention_agg(person, t, interval '24 hours', true, true)
                                FROM h24), d(0, 0), '1 day', 3) WHERE i = 1)$$,
    $$VALUES ('calendar', '{2,1}'::int[]), ('24 hours', '{1,1}'::int[])$$,
    'PostHog test_retention_24h_window_calculation: person2, day 1 (calendar 2, 1; 24-hour windows 1, 1)');

-- test_retention_24h_window_first_time_matching_filters: the first Chrome pageview
-- (14:00) anchors; returns at +23 h and +25 h
DELETE FROM h24;
INSERT INTO h24 VALUES ('person1', '2020-06-10 10:00', 'Safari'), ('person1', '2020-06-10 14:00', 'Chrome'),
                       ('person1', '2020-06-11 13:00', 'Chrome'), ('person1', '2020-06-11 15:00', 'Chrome');
SELECT results_eq(
    $$SELECT counts[1:2] FROM posthog_rows((SELECT retention_agg(person, t, interval '24 hours', browser = 'Chrome', true)
                                            FROM h24), d(0, 0), '1 day', 3) WHERE i = 0$$,
    $$VALUES ('{1,1}'::int[])$$,
    'PostHog test_retention_24h_window_first_time_matching_filters: day 0 cohort 1, 1');

-- test_retention_24h_window_first_time_ever: both users start on day 0, returns within 24 h
DELETE FROM h24;
INSERT INTO h24 VALUES ('person1', '2020-06-10 14:00', NULL), ('person1', '2020-06-10 23:00', NULL),
                       ('person2', '2020-06-10 23:00', NULL), ('person2', '2020-06-11 22:00', NULL);
SELECT results_eq(
    $$SELECT counts[1:2] FROM posthog_rows((SELECT retention_agg(person, t, interval '24 hours', true, true)
                                            FROM h24), d(0, 0), '1 day', 3) WHERE i = 0$$,
    $$VALUES ('{2,0}'::int[])$$,
    'PostHog test_retention_24h_window_first_time_ever: day 0 cohort 2, 0');

-- test_retention_24h_window_with_minimum_occurrences: of three users starting at 12:00,
-- person3 returns twice in interval 1, person2 once (PostHog asserts >= 1; here exactly 1)
DELETE FROM h24;
INSERT INTO h24 VALUES ('person1', '2020-06-10 12:00', NULL),
                       ('person2', '2020-06-10 12:00', NULL), ('person2', '2020-06-11 13:00', NULL),
                       ('person3', '2020-06-10 12:00', NULL), ('person3', '2020-06-11 13:00', NULL),
                       ('person3', '2020-06-11 14:00', NULL);
SELECT results_eq(
    $$SELECT counts[1:2] FROM posthog_rows((SELECT retention_agg(person, t, interval '24 hours', true, true, NULL,
                                            retention_options(min_occurrences => 2)) FROM h24), d(0, 0), '1 day', 3) WHERE i = 0$$,
    $$VALUES ('{3,1}'::int[])$$,
    'PostHog test_retention_24h_window_with_minimum_occurrences: day 0 cohort 3, 1');

SELECT * FROM finish();
ROLLBACK;
