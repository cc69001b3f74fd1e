-- Article bodies and stored pages compressed with lz4 instead of pglz.
--
-- Bodies are a few kilobytes, so PostgreSQL compresses them on every
-- insert; with pglz that was the largest single share of the server's work
-- while ingesting (measured: 15 % of its CPU), and writers take turns on the
-- sequence counter, so that work is serial. lz4 compresses several times
-- faster for a slightly larger table. Servers built without lz4 (or older
-- than PostgreSQL 14) keep pglz: this is a speed-up, not a requirement.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE articles ALTER COLUMN body_html SET COMPRESSION lz4, '
         || 'ALTER COLUMN body_text SET COMPRESSION lz4, '
         || 'ALTER COLUMN summary SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE article_pages ALTER COLUMN html SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'keeping pglz compression: %', SQLERRM;
END
$$;
