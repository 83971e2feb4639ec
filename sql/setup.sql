-- Install the extension for the whole pg_regress suite, plus a helper that
-- shows the SQLSTATE of an error (so the expected files pin error codes).
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
SELECT extname, extversion, extrelocatable FROM pg_extension WHERE extname = 'retention';
