-- The model fits: memory bound, cancel, and the session afterwards.
-- 300,000 customers with 300,000 distinct (frequency, recency, t) patterns:
-- frequency g % 40, recency (g % 997) / 10 weeks (0 for frequency 0), t 100 + g / 10000.
CREATE TEMP TABLE many AS
SELECT (g % 40)::float8 AS frequency,
       CASE WHEN g % 40 = 0 THEN 0 ELSE (g % 997) / 10.0 END::float8 AS recency,
       (100 + g / 10000.0)::float8 AS t
FROM generate_series(1, 300000) g;
SELECT count(*), count(DISTINCT (frequency, recency, t)) FROM many;

-- The pattern table is 32 bytes a slot, at most half full: 2^20 slots
-- (32 MB) for 300,000 patterns, beyond a 16 MB limit: ERROR 54000 naming the
-- setting, and the session goes on.
SET retention.max_state_memory = '16MB';
SELECT sqlstate_of('SELECT bgnbd_fit(frequency, recency, t) FROM many');
SELECT sqlstate_of('SELECT gamma_gamma_fit(frequency + 1, t) FROM many');
RESET retention.max_state_memory;
SELECT 1 AS still_here;

-- The fit itself honours cancel: the patterns in a stored state, then a
-- Pareto/NBD fit over them (seconds) under a 300 ms statement_timeout.
CREATE AGGREGATE pg_temp.patterns(float8, float8, float8) (
    SFUNC = clv_fit_trans, STYPE = clv_fit_state, COMBINEFUNC = clv_fit_combine);
CREATE TEMP TABLE state AS SELECT pg_temp.patterns(frequency, recency, t) AS s FROM many;
-- (57014 is not caught by a plpgsql WHEN OTHERS, so the statements run
-- directly and the expected output shows the ERROR.)
SET statement_timeout = '300ms';
SELECT (pareto_nbd_fit_final(s)).converged FROM state;
RESET statement_timeout;
SELECT 1 AS still_here;
