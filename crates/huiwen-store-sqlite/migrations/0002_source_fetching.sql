-- What fetching needs to know about a source: how often (every_secs; 0 for
-- imported collections, which are never fetched), its zone, the validators
-- for conditional GET, how the last fetch went, when it is due, which worker
-- holds it (claimed_until) and whether it was removed (removed_at: its
-- articles stay, the source is no longer listed or fetched).

ALTER TABLE sources ADD COLUMN every_secs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN zone TEXT NOT NULL DEFAULT 'Asia/Shanghai';
ALTER TABLE sources ADD COLUMN etag TEXT;
ALTER TABLE sources ADD COLUMN last_modified TEXT;
ALTER TABLE sources ADD COLUMN last_fetch_at INTEGER;
ALTER TABLE sources ADD COLUMN last_status INTEGER;
ALTER TABLE sources ADD COLUMN consecutive_errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN last_error TEXT;
ALTER TABLE sources ADD COLUMN next_fetch_at INTEGER;
ALTER TABLE sources ADD COLUMN claimed_until INTEGER;
ALTER TABLE sources ADD COLUMN removed_at INTEGER;

CREATE INDEX sources_due ON sources (next_fetch_at) WHERE removed_at IS NULL AND every_secs > 0;
