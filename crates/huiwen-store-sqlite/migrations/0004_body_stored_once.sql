-- An article's body is stored once where it can be.
--
-- Every article kept its sanitized HTML and, beside it, the text read from
-- that HTML: the same words twice, written to the log and read back twice
-- (the benchmark's 10,000 feed entries took 63 MB with both, 34 MB without;
-- ingest was 10 % faster). Now `body_text` is NULL when it is exactly what
-- reading `body_html` gives, which is the case for every feed entry, and the
-- store reads the text from the HTML when it loads the row; `body_html` was
-- already NULL when it is only the text's paragraphs. A text an extractor
-- made on its own is still stored as it came.
--
-- Rows stored before keep both. The reading of NULL texts is the store's
-- current one: were it ever to change, such articles would show the new
-- reading (and a later fetch of the same content would count as a change).
--
-- SQLite cannot drop a NOT NULL constraint, so the table is rebuilt
-- (https://sqlite.org/lang_altertable.html#otheralter): the store runs its
-- migrations with foreign keys off and checks them all before it commits.
CREATE TABLE articles_new (
    id               INTEGER PRIMARY KEY,
    source_id        INTEGER NOT NULL REFERENCES sources (id),
    guid             TEXT    NOT NULL UNIQUE,
    url              TEXT    UNIQUE,
    outlet           TEXT,
    title            TEXT    NOT NULL CHECK (title <> ''),
    authors          TEXT    NOT NULL DEFAULT '[]',
    published_at     INTEGER NOT NULL,
    published_offset INTEGER NOT NULL,
    fetched_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    body_html        TEXT,  -- NULL: the text's paragraphs, derived on read
    body_text        TEXT,  -- NULL: read from body_html on load
    summary          TEXT    NOT NULL,
    lang             TEXT    NOT NULL,
    content_hash     TEXT    NOT NULL,
    images           TEXT    NOT NULL DEFAULT '[]',
    tags             TEXT    NOT NULL DEFAULT '[]',
    -- Store-wide change sequence number; followers read seq > last_seen.
    seq              INTEGER NOT NULL UNIQUE,
    CHECK (body_html IS NOT NULL OR body_text IS NOT NULL)
);

INSERT INTO articles_new (id, source_id, guid, url, outlet, title, authors, published_at, published_offset,
    fetched_at, updated_at, body_html, body_text, summary, lang, content_hash, images, tags, seq)
SELECT id, source_id, guid, url, outlet, title, authors, published_at, published_offset,
    fetched_at, updated_at, body_html, body_text, summary, lang, content_hash, images, tags, seq
FROM articles;

DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;

CREATE INDEX articles_by_time ON articles (published_at DESC, id DESC);
CREATE INDEX articles_by_source_time ON articles (source_id, published_at DESC, id DESC);
