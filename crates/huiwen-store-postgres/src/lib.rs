//! # huiwen-store-postgres — the store for more than one machine
//!
//! When one SQLite file is outgrown, several ingest workers and web replicas
//! share one PostgreSQL database. Migrations in `migrations/` are applied on
//! open; `schema` keeps huiwen's tables in their own schema (the tests give
//! every run its own).
//!
//! Writes follow the plan described in `huiwen-store`. The writer lock is a
//! row lock on the sequence counter (`SELECT … FOR UPDATE`), taken first and
//! held to the commit: writers queue for the few milliseconds a batch takes,
//! and change sequence numbers become visible in the order they are handed
//! out, which is what lets followers trust `seq > last_seen`. A batch is one
//! lookup (`= ANY($1)`), one `INSERT … SELECT … FROM jsonb_to_recordset($1)`
//! and one `UPDATE … FROM jsonb_to_recordset($1)`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use huiwen_core::{
    Article, ArticleDraft, ArticleId, ContentHash, FetchReport, Source, SourceDraft, SourceId,
};
use huiwen_store::plan::{BatchPlan, ExistingRow};
use huiwen_store::row::{ArticleColumns, SourceColumns};
use huiwen_store::{
    check_batch, ArticlePage, ArticleQuery, Backend, PageQuery, SourceCount, Store, StoreError,
    StoreStats, StoredPage, UpsertOutcome,
};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{QueryBuilder, Row};
use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

/// The migrations of this backend, oldest first.
fn migrator() -> Migrator {
    let migrations = vec![
        Migration::new(
            1,
            Cow::Borrowed("articles"),
            MigrationType::Simple,
            Cow::Borrowed(include_str!("../migrations/0001_articles.sql")),
            false,
        ),
        Migration::new(
            2,
            Cow::Borrowed("source fetching"),
            MigrationType::Simple,
            Cow::Borrowed(include_str!("../migrations/0002_source_fetching.sql")),
            false,
        ),
        Migration::new(
            3,
            Cow::Borrowed("article pages"),
            MigrationType::Simple,
            Cow::Borrowed(include_str!("../migrations/0003_article_pages.sql")),
            false,
        ),
        Migration::new(
            4,
            Cow::Borrowed("lz4 bodies"),
            MigrationType::Simple,
            Cow::Borrowed(include_str!("../migrations/0004_lz4_bodies.sql")),
            false,
        ),
    ];
    Migrator {
        migrations: Cow::Owned(migrations),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

/// How to open the store.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    pub max_connections: u32,
    /// Schema for huiwen's tables, created if missing; `None` uses the
    /// connection's search_path.
    pub schema: Option<String>,
    pub connect_timeout: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            max_connections: 8,
            schema: None,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

const MICROS: &str = "(extract(epoch from {}) * 1000000)::int8";

fn micros(column: &str) -> String {
    MICROS.replace("{}", column)
}

fn select_article() -> String {
    format!(
        "SELECT a.id, a.url, a.guid, s.name AS source, a.source_id, a.outlet, a.title, a.authors::text AS authors, \
         {} AS published_at, a.published_offset, {} AS fetched_at, {} AS updated_at, a.summary, a.body_text, \
         a.body_html, a.lang, a.images::text AS images, a.tags::text AS tags, a.content_hash, a.seq \
         FROM articles a JOIN sources s ON s.id = a.source_id",
        micros("a.published_at"),
        micros("a.fetched_at"),
        micros("a.updated_at")
    )
}

/// The record type of a row in the batch JSON (see `huiwen_store::plan::RowJson`).
const ROW_RECORD: &str = "x(id int8, source_id int8, guid text, url text, outlet text, title text, authors jsonb, \
    published_at_us int8, published_offset int4, fetched_at_us int8, updated_at_us int8, body_html text, \
    body_text text, summary text, lang text, content_hash text, images jsonb, tags jsonb, seq int8)";

const EPOCH: &str = "timestamptz 'epoch' + interval '1 microsecond' *";

fn insert_rows() -> String {
    format!(
        "INSERT INTO articles (source_id, guid, url, outlet, title, authors, published_at, published_offset, \
         fetched_at, updated_at, body_html, body_text, summary, lang, content_hash, images, tags, seq) \
         SELECT x.source_id, x.guid, x.url, x.outlet, x.title, x.authors, {EPOCH} x.published_at_us, \
         x.published_offset, {EPOCH} x.fetched_at_us, {EPOCH} x.updated_at_us, x.body_html, x.body_text, x.summary, \
         x.lang, x.content_hash, x.images, x.tags, x.seq \
         FROM jsonb_to_recordset($1::text::jsonb) AS {ROW_RECORD} \
         RETURNING id, guid"
    )
}

fn update_rows() -> String {
    format!(
        "UPDATE articles AS a SET source_id = x.source_id, url = x.url, outlet = x.outlet, title = x.title, \
         authors = x.authors, published_at = {EPOCH} x.published_at_us, published_offset = x.published_offset, \
         fetched_at = {EPOCH} x.fetched_at_us, updated_at = {EPOCH} x.updated_at_us, body_html = x.body_html, \
         body_text = x.body_text, summary = x.summary, lang = x.lang, content_hash = x.content_hash, \
         images = x.images, tags = x.tags, seq = x.seq \
         FROM jsonb_to_recordset($1::text::jsonb) AS {ROW_RECORD} WHERE a.id = x.id"
    )
}

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::database(context, e)
}

fn article_columns(row: &PgRow) -> Result<ArticleColumns, sqlx::Error> {
    Ok(ArticleColumns {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        guid: row.try_get("guid")?,
        source: row.try_get("source")?,
        source_id: row.try_get("source_id")?,
        outlet: row.try_get("outlet")?,
        title: row.try_get("title")?,
        authors_json: row.try_get("authors")?,
        published_at_us: row.try_get("published_at")?,
        published_offset: row.try_get("published_offset")?,
        fetched_at_us: row.try_get("fetched_at")?,
        updated_at_us: row.try_get("updated_at")?,
        summary: row.try_get("summary")?,
        body_text: row.try_get("body_text")?,
        body_html: row.try_get("body_html")?,
        lang: row.try_get("lang")?,
        images_json: row.try_get("images")?,
        tags_json: row.try_get("tags")?,
        content_hash: row.try_get("content_hash")?,
        seq: row.try_get("seq")?,
    })
}

fn to_article(row: &PgRow) -> Result<Article, StoreError> {
    article_columns(row)
        .map_err(db("reading an article"))?
        .into_article()
}

fn source_columns(row: &PgRow) -> Result<SourceColumns, sqlx::Error> {
    Ok(SourceColumns {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        url: row.try_get("url")?,
        kind: row.try_get("kind")?,
        created_at_us: row.try_get("created_at_us")?,
        every_secs: i64::from(row.try_get::<i32, _>("every_secs")?),
        zone: row.try_get("zone")?,
        full_text: row.try_get("full_text")?,
        etag: row.try_get("etag")?,
        last_modified: row.try_get("last_modified")?,
        last_fetch_at_us: row.try_get("last_fetch_at_us")?,
        last_status: row.try_get("last_status")?,
        consecutive_errors: row.try_get("consecutive_errors")?,
        last_error: row.try_get("last_error")?,
        next_fetch_at_us: row.try_get("next_fetch_at_us")?,
    })
}

fn to_source(row: &PgRow) -> Result<Source, StoreError> {
    source_columns(row)
        .map_err(db("reading a source"))?
        .into_source()
}

fn source_cols() -> String {
    huiwen_store::row::source_columns(micros)
}

/// `timestamptz` from microseconds since the epoch, for bound parameters.
fn from_micros_sql(param: &str) -> String {
    format!("({EPOCH} {param})")
}

/// Quotes an identifier for SQL (`"my schema"`).
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl PostgresStore {
    /// Connects to `url`, creates the schema if asked to, and migrates.
    pub async fn open(url: &str, options: &PostgresOptions) -> Result<PostgresStore, StoreError> {
        let redacted = redact(url);
        let open_err = |message: String| StoreError::Open {
            location: redacted.clone(),
            message,
        };
        let mut connect = PgConnectOptions::from_str(url).map_err(|e| open_err(e.to_string()))?;
        if let Some(schema) = &options.schema {
            connect = connect.options([("search_path", schema.as_str())]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.connect_timeout)
            .connect_with(connect)
            .await
            .map_err(|e| open_err(e.to_string()))?;
        if let Some(schema) = &options.schema {
            sqlx::query(&format!(
                "CREATE SCHEMA IF NOT EXISTS {}",
                quote_ident(schema)
            ))
            .execute(&pool)
            .await
            .map_err(|e| open_err(format!("cannot create schema {schema}: {e}")))?;
        }
        migrator()
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migrate(e.to_string()))?;
        Ok(PostgresStore { pool })
    }

    /// Drops a schema and everything in it (test clean-up, `huiwen` never
    /// calls this on its own).
    pub async fn drop_schema(url: &str, schema: &str) -> Result<(), StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await
            .map_err(|e| StoreError::Open {
                location: redact(url),
                message: e.to_string(),
            })?;
        sqlx::query(&format!(
            "DROP SCHEMA IF EXISTS {} CASCADE",
            quote_ident(schema)
        ))
        .execute(&pool)
        .await
        .map_err(db("dropping a schema"))?;
        pool.close().await;
        Ok(())
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("****"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ensure_source(&self, draft: &SourceDraft) -> Result<Source, StoreError> {
        sqlx::query(
            "INSERT INTO sources (name, url, kind, created_at, every_secs, zone, full_text) VALUES ($1, $2, $3, now(), $4, $5, $6) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&draft.name)
        .bind(&draft.url)
        .bind(draft.kind.as_str())
        .bind(i32::try_from(draft.every_secs).unwrap_or(i32::MAX))
        .bind(draft.zone.to_string())
        .bind(draft.full_text)
        .execute(&self.pool)
        .await
        .map_err(db("creating a source"))?;
        let row = sqlx::query(&format!(
            "SELECT {} FROM sources WHERE name = $1",
            source_cols()
        ))
        .bind(&draft.name)
        .fetch_one(&self.pool)
        .await
        .map_err(db("reading a source"))?;
        to_source(&row)
    }

    async fn add_source(&self, draft: &SourceDraft) -> Result<Source, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db("starting a write"))?;
        let taken = sqlx::query(
            "SELECT id, name, removed_at IS NOT NULL AS removed FROM sources WHERE name = $1 OR url = $2 ORDER BY id FOR UPDATE",
        )
        .bind(&draft.name)
        .bind(&draft.url)
        .fetch_all(&mut *tx)
        .await
        .map_err(db("checking a new source"))?;
        let mut revive = None;
        for row in &taken {
            let id: i64 = row.try_get("id").map_err(db("checking a new source"))?;
            let removed: bool = row
                .try_get("removed")
                .map_err(db("checking a new source"))?;
            if !removed {
                let name: String = row.try_get("name").map_err(db("checking a new source"))?;
                return Err(StoreError::Conflict(format!(
                    "source {id} ({name}) already has this name or URL"
                )));
            }
            revive.get_or_insert(id);
        }
        let every = i32::try_from(draft.every_secs).unwrap_or(i32::MAX);
        let id: i64 = match revive {
            Some(id) => sqlx::query_scalar(
                "UPDATE sources SET name = $1, url = $2, kind = $3, every_secs = $4, zone = $5, full_text = $7, removed_at = NULL, \
                 next_fetch_at = NULL, claimed_until = NULL, consecutive_errors = 0, last_error = NULL \
                 WHERE id = $6 RETURNING id",
            )
            .bind(&draft.name)
            .bind(&draft.url)
            .bind(draft.kind.as_str())
            .bind(every)
            .bind(draft.zone.to_string())
            .bind(id)
            .bind(draft.full_text)
            .fetch_one(&mut *tx)
            .await
            .map_err(db("reviving a source"))?,
            None => sqlx::query_scalar(
                "INSERT INTO sources (name, url, kind, created_at, every_secs, zone, full_text) VALUES ($1, $2, $3, now(), $4, $5, $6) \
                 RETURNING id",
            )
            .bind(&draft.name)
            .bind(&draft.url)
            .bind(draft.kind.as_str())
            .bind(every)
            .bind(draft.zone.to_string())
            .bind(draft.full_text)
            .fetch_one(&mut *tx)
            .await
            .map_err(db("creating a source"))?,
        };
        let row = sqlx::query(&format!(
            "SELECT {} FROM sources WHERE id = $1",
            source_cols()
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(db("reading a source"))?;
        tx.commit().await.map_err(db("committing a source"))?;
        to_source(&row)
    }

    async fn remove_source(&self, id: SourceId) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE sources SET removed_at = now(), claimed_until = NULL WHERE id = $1 AND removed_at IS NULL")
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db("removing a source"))?;
        Ok(done.rows_affected() > 0)
    }

    async fn sources(&self) -> Result<Vec<Source>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM sources WHERE removed_at IS NULL ORDER BY name",
            source_cols()
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(db("listing sources"))?;
        rows.iter().map(to_source).collect()
    }

    async fn claim_due_sources(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease: Duration,
    ) -> Result<Vec<Source>, StoreError> {
        let now_us = now.timestamp_micros();
        let until_us = now_us.saturating_add(i64::try_from(lease.as_micros()).unwrap_or(i64::MAX));
        // SKIP LOCKED: a worker passes over rows another worker is claiming
        // right now instead of waiting for them; once that claim commits,
        // claimed_until keeps them out of everyone else's reach.
        let sql = format!(
            "UPDATE sources SET claimed_until = {until} WHERE id IN (\
               SELECT id FROM sources WHERE removed_at IS NULL AND every_secs > 0 \
               AND (next_fetch_at IS NULL OR next_fetch_at <= {now}) \
               AND (claimed_until IS NULL OR claimed_until <= {now}) \
               ORDER BY next_fetch_at NULLS FIRST, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING {cols}",
            until = from_micros_sql("$1"),
            now = from_micros_sql("$2"),
            cols = source_cols()
        );
        let rows = sqlx::query(&sql)
            .bind(until_us)
            .bind(now_us)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db("claiming due sources"))?;
        let mut sources = rows.iter().map(to_source).collect::<Result<Vec<_>, _>>()?;
        sources.sort_by_key(|s| (s.fetch.next_fetch_at, s.id));
        Ok(sources)
    }

    async fn record_fetch(&self, id: SourceId, report: &FetchReport) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE sources SET last_fetch_at = {at}, last_status = $2, etag = $3, last_modified = $4, \
             last_error = $5, consecutive_errors = CASE WHEN $5::text IS NULL THEN 0 ELSE consecutive_errors + 1 END, \
             next_fetch_at = {next}, every_secs = $7, claimed_until = NULL WHERE id = $8",
            at = from_micros_sql("$1"),
            next = from_micros_sql("$6"),
        );
        let done = sqlx::query(&sql)
            .bind(report.at.timestamp_micros())
            .bind(report.status.map(i32::from))
            .bind(&report.etag)
            .bind(&report.last_modified)
            .bind(&report.error)
            .bind(report.next_fetch_at.timestamp_micros())
            .bind(i32::try_from(report.every_secs).unwrap_or(i32::MAX))
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(db("recording a fetch"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::InvalidArgument(format!(
                "no source with id {id}"
            )));
        }
        Ok(())
    }

    async fn upsert_articles(
        &self,
        batch: &[ArticleDraft],
    ) -> Result<Vec<UpsertOutcome>, StoreError> {
        check_batch(batch)?;
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let hashes = BatchPlan::content_hashes(batch);
        let mut tx = self.pool.begin().await.map_err(db("starting a write"))?;
        // Writers take turns on the sequence counter (so `seq` follows commit
        // order), and a synchronous commit would hold that turn through a WAL
        // flush: 200 feeds became 200 fsyncs in a row. Without waiting, a
        // crash of the server can lose the last fraction of a second of
        // article writes — never a torn one, and never one whose source's
        // fetch state (committed synchronously afterwards) survived, so the
        // next fetch brings them back. That is SQLite's WAL-mode
        // `synchronous = NORMAL` guarantee, the embedded default's.
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await
            .map_err(db("starting a write"))?;
        let last_seq: i64 =
            sqlx::query_scalar("SELECT value FROM counters WHERE name = 'article_seq' FOR UPDATE")
                .fetch_one(&mut *tx)
                .await
                .map_err(db("taking the writer lock"))?;
        let existing = sqlx::query("SELECT id, guid, url, content_hash, seq FROM articles WHERE guid = ANY($1) OR url = ANY($2)")
            .bind(BatchPlan::lookup_guids(batch))
            .bind(BatchPlan::lookup_urls(batch))
            .fetch_all(&mut *tx)
            .await
            .map_err(db("looking up the batch"))?
            .iter()
            .map(|r| {
                Ok(ExistingRow {
                    id: ArticleId(r.try_get("id")?),
                    guid: r.try_get("guid")?,
                    url: r.try_get("url")?,
                    content_hash: ContentHash(r.try_get("content_hash")?),
                    seq: r.try_get("seq")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(db("looking up the batch"))?;
        let mut plan = BatchPlan::new(batch, hashes, existing);
        let changed = plan.changed_rows() as i64;
        let mut inserted = HashMap::new();
        if changed > 0 {
            sqlx::query("UPDATE counters SET value = $1 WHERE name = 'article_seq'")
                .bind(last_seq + changed)
                .execute(&mut *tx)
                .await
                .map_err(db("taking sequence numbers"))?;
            let (inserts, updates) = plan.rows(batch, last_seq + 1, Utc::now());
            if !inserts.is_empty() {
                let json = serde_json::to_string(&inserts)
                    .map_err(|e| StoreError::database("encoding rows", e))?;
                for row in sqlx::query(&insert_rows())
                    .bind(json)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(db("inserting articles"))?
                {
                    let guid: String = row.try_get("guid").map_err(db("inserting articles"))?;
                    inserted.insert(
                        guid,
                        ArticleId(row.try_get("id").map_err(db("inserting articles"))?),
                    );
                }
            }
            if !updates.is_empty() {
                let json = serde_json::to_string(&updates)
                    .map_err(|e| StoreError::database("encoding rows", e))?;
                sqlx::query(&update_rows())
                    .bind(json)
                    .execute(&mut *tx)
                    .await
                    .map_err(db("updating articles"))?;
            }
        }
        let outcomes = plan.outcomes(&inserted)?;
        tx.commit().await.map_err(db("committing a write"))?;
        Ok(outcomes)
    }

    async fn article(&self, id: ArticleId) -> Result<Option<Article>, StoreError> {
        let sql = format!("{} WHERE a.id = $1", select_article());
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db("reading an article"))?;
        row.as_ref().map(to_article).transpose()
    }

    async fn article_by_url(&self, url_or_guid: &str) -> Result<Option<Article>, StoreError> {
        let select = select_article();
        let sql =
            format!("({select} WHERE a.url = $1) UNION ALL ({select} WHERE a.guid = $1) LIMIT 1");
        let row = sqlx::query(&sql)
            .bind(url_or_guid)
            .fetch_optional(&self.pool)
            .await
            .map_err(db("reading an article"))?;
        row.as_ref().map(to_article).transpose()
    }

    async fn list_articles(&self, query: &ArticleQuery) -> Result<ArticlePage, StoreError> {
        let mut qb = QueryBuilder::new(select_article());
        qb.push(" WHERE true");
        if let Some(source) = &query.source {
            qb.push(" AND s.name = ").push_bind(source);
        }
        if let Some(since) = &query.since {
            qb.push(" AND a.published_at >= ")
                .push_bind(since.timestamp_micros())
                .push(" * interval '1 microsecond' + timestamptz 'epoch'");
        }
        if let Some(until) = &query.until {
            qb.push(" AND a.published_at < ")
                .push_bind(until.timestamp_micros())
                .push(" * interval '1 microsecond' + timestamptz 'epoch'");
        }
        if let Some(c) = &query.cursor {
            qb.push(" AND (a.published_at, a.id) < (")
                .push_bind(c.published_micros)
                .push(" * interval '1 microsecond' + timestamptz 'epoch', ")
                .push_bind(c.id.0)
                .push(")");
        }
        qb.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(query.limit) + 1);
        let rows = qb
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(db("listing articles"))?;
        let articles = rows.iter().map(to_article).collect::<Result<Vec<_>, _>>()?;
        Ok(ArticlePage::from_rows(articles, query.limit))
    }

    async fn changes_since(&self, after_seq: i64, limit: u32) -> Result<Vec<Article>, StoreError> {
        let sql = format!(
            "{} WHERE a.seq > $1 ORDER BY a.seq LIMIT $2",
            select_article()
        );
        let rows = sqlx::query(&sql)
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db("following changes"))?;
        rows.iter().map(to_article).collect()
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn save_pages(&self, pages: &[StoredPage]) -> Result<(), StoreError> {
        if pages.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await.map_err(db("starting a write"))?;
        for page in pages {
            sqlx::query(
                "INSERT INTO article_pages (article_id, url, html, extractor_version, fetched_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (article_id) DO UPDATE SET \
                 url = excluded.url, html = excluded.html, \
                 extractor_version = excluded.extractor_version, fetched_at = excluded.fetched_at",
            )
            .bind(page.article_id.0)
            .bind(&page.url)
            .bind(&page.html)
            .bind(&page.extractor_version)
            .bind(page.fetched_at)
            .execute(&mut *tx)
            .await
            .map_err(db("saving a page"))?;
        }
        tx.commit().await.map_err(db("saving pages"))
    }

    async fn pages(&self, query: &PageQuery) -> Result<Vec<StoredPage>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.article_id, p.url, p.html, p.extractor_version, (extract(epoch FROM p.fetched_at) * 1000000)::BIGINT AS fetched_at_us \
             FROM article_pages p JOIN articles a ON a.id = p.article_id \
             WHERE p.article_id > $1 AND ($2 IS NULL OR a.source_id = $2) \
             ORDER BY p.article_id LIMIT $3",
        )
        .bind(query.after.map_or(0, |id| id.0))
        .bind(query.source.map(|s| s.0))
        .bind(i64::from(query.limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db("reading pages"))?;
        rows.iter()
            .map(|row| {
                let fetched_at_us: i64 = row.try_get("fetched_at_us")?;
                Ok(StoredPage {
                    article_id: ArticleId(row.try_get("article_id")?),
                    url: row.try_get("url")?,
                    html: row.try_get("html")?,
                    extractor_version: row.try_get("extractor_version")?,
                    fetched_at: DateTime::<Utc>::from_timestamp_micros(fetched_at_us)
                        .unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(db("reading pages"))
    }

    async fn stats(&self) -> Result<StoreStats, StoreError> {
        let articles: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
            .fetch_one(&self.pool)
            .await
            .map_err(db("counting articles"))?;
        let sources = sqlx::query(
            "SELECT s.name, count(a.id) AS n FROM sources s LEFT JOIN articles a ON a.source_id = s.id \
             GROUP BY s.id ORDER BY n DESC, s.name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db("counting sources"))?
        .iter()
        .map(|r| Ok(SourceCount { name: r.try_get("name")?, articles: r.try_get::<i64, _>("n")?.max(0) as u64 }))
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(db("counting sources"))?;
        let mut ends = Vec::new();
        for order in ["ASC", "DESC"] {
            let sql = format!(
                "SELECT {} AS published_at, published_offset FROM articles ORDER BY published_at {order}, id {order} LIMIT 1",
                micros("published_at")
            );
            let row = sqlx::query(&sql)
                .fetch_optional(&self.pool)
                .await
                .map_err(db("reading the time range"))?;
            ends.push(match row {
                Some(r) => huiwen_core::time::from_micros(
                    r.try_get("published_at")
                        .map_err(db("reading the time range"))?,
                    r.try_get("published_offset")
                        .map_err(db("reading the time range"))?,
                ),
                None => None,
            });
        }
        let last_seq: i64 =
            sqlx::query_scalar("SELECT value FROM counters WHERE name = 'article_seq'")
                .fetch_one(&self.pool)
                .await
                .map_err(db("reading the sequence"))?;
        let db_bytes: i64 = sqlx::query_scalar(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::int8 FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db("measuring the store"))?;
        Ok(StoreStats {
            articles: articles.max(0) as u64,
            sources,
            first: ends[0],
            last: ends[1],
            db_bytes: db_bytes.max(0) as u64,
            last_seq,
        })
    }
}
