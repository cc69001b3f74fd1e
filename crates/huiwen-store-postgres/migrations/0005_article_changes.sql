-- Change sequence numbers move out of articles into their own small table.
--
-- Writers took turns on the sequence counter for the whole batch, so the
-- server's heaviest work (storing, compressing and indexing the articles)
-- ran one batch at a time. Now a writer stores its articles first, side by
-- side with the others, and takes the counter only at the end, to hand out
-- the batch's numbers: one row here per changed article (its latest number),
-- a few small index entries, then the commit. The counter stays locked from
-- that moment to the commit, so numbers still become visible in the order
-- they are handed out and followers can trust `seq > last_seen`.
--
-- No foreign key to articles: articles are never deleted, and its check
-- would run while the counter is held.
CREATE TABLE article_changes (
    article_id BIGINT PRIMARY KEY,
    seq        BIGINT NOT NULL UNIQUE
);

INSERT INTO article_changes (article_id, seq) SELECT id, seq FROM articles;

ALTER TABLE articles DROP COLUMN seq;

-- Articles stay in their row, bodies compressed, instead of going to the
-- TOAST table: compressed, an article is a few kilobytes, and storing its
-- body_text and body_html out of line added two TOAST rows and two TOAST
-- index entries to every insert, and two more index lookups to every read
-- (measured while ingesting: 5 % less server CPU, 10 % more space). Every
-- column is MAIN: PostgreSQL moves EXTENDED columns out of line before it
-- compresses MAIN ones, so with MAIN bodies alone the title, guid, URL and
-- lists of every article would each become a TOAST row. Rows still too
-- large once compressed go out of line as before; rows stored before keep
-- their place.
ALTER TABLE articles
    ALTER COLUMN guid SET STORAGE MAIN,
    ALTER COLUMN url SET STORAGE MAIN,
    ALTER COLUMN outlet SET STORAGE MAIN,
    ALTER COLUMN title SET STORAGE MAIN,
    ALTER COLUMN authors SET STORAGE MAIN,
    ALTER COLUMN body_html SET STORAGE MAIN,
    ALTER COLUMN body_text SET STORAGE MAIN,
    ALTER COLUMN summary SET STORAGE MAIN,
    ALTER COLUMN lang SET STORAGE MAIN,
    ALTER COLUMN content_hash SET STORAGE MAIN,
    ALTER COLUMN images SET STORAGE MAIN,
    ALTER COLUMN tags SET STORAGE MAIN;
