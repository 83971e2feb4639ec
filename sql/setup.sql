-- Install the extension for the whole pg_regress suite, plus a helper that
-- shows the SQLSTATE of an error (so the expected files pin error codes).
CREATE EXTENSION retention;
CREATE FUNCTION sqlstate_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT extname, extversion, extrelocatable FROM pg_extension WHERE extname = 'retention';
