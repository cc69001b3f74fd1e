-- Sources and articles. published_at is the instant; published_offset keeps
-- the offset, in seconds east of UTC, the source wrote the time in.

CREATE TABLE sources (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE,
    url         TEXT        UNIQUE,
    kind        TEXT        NOT NULL CHECK (kind IN ('feed', 'page', 'import')),
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE articles (
    id               BIGSERIAL PRIMARY KEY,
    source_id        BIGINT      NOT NULL REFERENCES sources (id),
    guid             TEXT        NOT NULL UNIQUE,
    url              TEXT        UNIQUE,
    outlet           TEXT,
    title            TEXT        NOT NULL CHECK (title <> ''),
    authors          JSONB       NOT NULL DEFAULT '[]',
    published_at     TIMESTAMPTZ NOT NULL,
    published_offset INTEGER     NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    body_html        TEXT,  -- NULL: the text's paragraphs, derived on read
    body_text        TEXT        NOT NULL,
    summary          TEXT        NOT NULL,
    lang             TEXT        NOT NULL,
    content_hash     TEXT        NOT NULL,
    images           JSONB       NOT NULL DEFAULT '[]',
    tags             JSONB       NOT NULL DEFAULT '[]',
    -- Store-wide change sequence number; followers read seq > last_seen.
    seq              BIGINT      NOT NULL UNIQUE
);

CREATE INDEX articles_by_time ON articles (published_at DESC, id DESC);
CREATE INDEX articles_by_source_time ON articles (source_id, published_at DESC, id DESC);

-- The last change sequence number handed out. Writers lock this row for the
-- whole write transaction, so numbers become visible in the order they are
-- handed out (a plain SEQUENCE would let a later number commit first).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('article_seq', 0);
