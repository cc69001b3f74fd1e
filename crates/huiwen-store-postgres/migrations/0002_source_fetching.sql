-- What fetching needs to know about a source: how often (every_secs; 0 for
-- imported collections, which are never fetched), its zone, the validators
-- for conditional GET, how the last fetch went, when it is due, which worker
-- holds it (claimed_until) and whether it was removed (removed_at: its
-- articles stay, the source is no longer listed or fetched).

ALTER TABLE sources
    ADD COLUMN every_secs         INTEGER     NOT NULL DEFAULT 0,
    ADD COLUMN zone               TEXT        NOT NULL DEFAULT 'Asia/Shanghai',
    ADD COLUMN etag               TEXT,
    ADD COLUMN last_modified      TEXT,
    ADD COLUMN last_fetch_at      TIMESTAMPTZ,
    ADD COLUMN last_status        INTEGER,
    ADD COLUMN consecutive_errors INTEGER     NOT NULL DEFAULT 0,
    ADD COLUMN last_error         TEXT,
    ADD COLUMN next_fetch_at      TIMESTAMPTZ,
    ADD COLUMN claimed_until      TIMESTAMPTZ,
    ADD COLUMN removed_at         TIMESTAMPTZ;

CREATE INDEX sources_due ON sources (next_fetch_at) WHERE removed_at IS NULL AND every_secs > 0;
