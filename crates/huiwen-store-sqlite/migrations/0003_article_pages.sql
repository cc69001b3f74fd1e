-- Full-text sources and the pages articles were extracted from.
--
-- full_text: fetch each feed entry's page and extract the article from it.
-- article_pages keeps the page as fetched (decoded to UTF-8, never shown:
-- it is untrusted HTML) and the version of the extractor that read it, so
-- `huiwen reextract` can run a newer extractor without fetching again.

ALTER TABLE sources ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;

CREATE TABLE article_pages (
    article_id        INTEGER PRIMARY KEY REFERENCES articles (id),
    url               TEXT    NOT NULL,
    html              TEXT    NOT NULL,
    extractor_version TEXT    NOT NULL,
    fetched_at        INTEGER NOT NULL
);
