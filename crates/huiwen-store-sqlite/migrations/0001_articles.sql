-- Sources and articles. Instants are INTEGER microseconds since the Unix
-- epoch (UTC); published_offset keeps the offset, in seconds east of UTC,
-- the source wrote the time in. Lists are JSON text.

CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    url         TEXT    UNIQUE,
    kind        TEXT    NOT NULL CHECK (kind IN ('feed', 'page', 'import')),
    created_at  INTEGER NOT NULL
);

CREATE TABLE articles (
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
    body_text        TEXT    NOT NULL,
    summary          TEXT    NOT NULL,
    lang             TEXT    NOT NULL,
    content_hash     TEXT    NOT NULL,
    images           TEXT    NOT NULL DEFAULT '[]',
    tags             TEXT    NOT NULL DEFAULT '[]',
    -- Store-wide change sequence number; followers read seq > last_seen.
    seq              INTEGER NOT NULL UNIQUE
);

CREATE INDEX articles_by_time ON articles (published_at DESC, id DESC);
CREATE INDEX articles_by_source_time ON articles (source_id, published_at DESC, id DESC);

-- The last change sequence number handed out.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('article_seq', 0);
