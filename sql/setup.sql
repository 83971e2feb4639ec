-- Install the extension for the whole pg_regress suite, plus helpers: one that
-- shows the SQLSTATE of an error (so the expected files pin error codes), and
-- one that counts the rows two queries do not share.
-- As postgresql-hll does, install the oldest version and walk every upgrade
-- step, so the whole suite runs on an upgraded install.
CREATE EXTENSION retention VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'retention';
ALTER EXTENSION retention UPDATE;
CREATE FUNCTION sqlstate_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- rows of q1 not in q2 plus rows of q2 not in q1, compared as text
CREATE FUNCTION rows_diff(q1 text, q2 text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((SELECT x::text FROM (%s) x EXCEPT ALL SELECT y::text FROM (%s) y)'
                   ' UNION ALL (SELECT y::text FROM (%s) y EXCEPT ALL SELECT x::text FROM (%s) x)) d',
                   q1, q2, q2, q1) INTO n;
    RETURN n;
END $$;
SELECT extname, extversion, extrelocatable FROM pg_extension WHERE extname = 'retention';
