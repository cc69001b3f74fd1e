//! # huiwen-store-postgres — the store for more than one machine
//!
//! When one SQLite file is outgrown, several ingest workers and web replicas
//! share one PostgreSQL database. Migrations in `migrations/` are applied on
//! open; `schema` keeps huiwen's tables in their own schema (the tests give
//! every run its own).
//!
//! Writes follow the plan described in `huiwen-store`, with one change of
//! order: the writer lock is taken last. A batch is one lookup
//! (`= ANY($1)`), one `INSERT … SELECT … FROM UNNEST($1, …)` and one
//! `UPDATE … FROM UNNEST($1, …)` (a column per array, bound in binary), all
//! without the lock, so writers store, compress and index their articles
//! side by side. Only then does a writer take the lock — a row lock on the
//! sequence counter, taken by the statement that hands out the batch's
//! numbers into `article_changes` — and commit. The lock is held from the
//! moment numbers are handed out to the commit, so they still become visible
//! in the order they were handed out, which is what lets followers trust
//! `seq > last_seen`.
//!
//! Without the lock, two writers can plan on the same stored rows. The
//! database catches each case: a guid or URL another writer has just
//! inserted fails the insert (unique violation), an update only applies to
//! rows that still have the content hash and URL it was planned on, and
//! crossing writers deadlock and one is ended. The batch is then rolled
//! back and planned again on what is now stored, this time locking the
//! stored rows it touches as it looks them up (`FOR UPDATE`, in id order),
//! so writers racing on one article take turns.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use huiwen_core::{
    Article, ArticleDraft, ArticleId, ContentHash, FetchReport, Source, SourceDraft, SourceId,
};
use huiwen_store::plan::{BatchPlan, ExistingRow, PreparedDraft, RowJson};
use huiwen_store::row::{ArticleColumns, SourceColumns};
use huiwen_store::{
    check_batch, ArticlePage, ArticleQuery, Backend, PageQuery, SourceCount, Store, StoreError,
    StoreStats, StoredPage, UpsertOutcome,
};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{QueryBuilder, Row};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
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
        Migration::new(
            5,
            Cow::Borrowed("article changes"),
            MigrationType::Simple,
            Cow::Borrowed(include_str!("../migrations/0005_article_changes.sql")),
            false,
        ),
        Migration::new(
            6,
            Cow::Borrowed("source check in the store"),
            MigrationType::Simple,
            Cow::Borrowed(include_str!(
                "../migrations/0006_source_check_in_the_store.sql"
            )),
            false,
        ),
        Migration::new(
            7,
            Cow::Borrowed("body stored once"),
            MigrationType::Simple,
            Cow::Borrowed(include_str!("../migrations/0007_body_stored_once.sql")),
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
    /// Connections for readers.
    pub max_connections: u32,
    /// Connections for ingest's writes (see `StoreConfig` in huiwen-core
    /// for why few).
    pub writer_connections: u32,
    /// Schema for huiwen's tables, created if missing; `None` uses the
    /// connection's search_path.
    pub schema: Option<String>,
    pub connect_timeout: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            max_connections: 8,
            writer_connections: 3,
            schema: None,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
    /// Connections for ingest's writes (articles, claims, fetch state), set
    /// up for them once when they connect (see [`WRITER_SETTINGS`]), so a
    /// write need not open an explicit transaction just to change its
    /// settings. Readers (the web pages) never open one.
    writers: PgPool,
    /// Ids of sources this store has read from `sources`: they exist, and
    /// always will (sources are never deleted), so articles naming them need
    /// no check (see migration 0006).
    known_sources: Arc<Mutex<HashSet<i64>>>,
}

/// How long a write waits for a writer connection before failing.
const WRITER_WAIT: Duration = Duration::from_secs(120);

/// Session settings of the writer connections.
///
/// * No waiting for the WAL flush at commit: a synchronous commit would
///   hold the writer lock through a flush, and 200 feeds became 200 fsyncs
///   in a row. Without waiting, a crash of the server can lose the last
///   fraction of a second of writes — never a torn one, and only from the
///   end: the log is written in order, so a source's fetch state (recorded
///   after its articles) never survives without them, and the next fetch
///   brings lost articles back. That is SQLite's WAL-mode `synchronous =
///   NORMAL` guarantee, the embedded default's.
/// * No sequential scans and generic plans: the statements of a write look
///   rows up by unique keys, ids and names only. A plan cached while the
///   table was small cannot then turn the lookup into a scan of every
///   article for each batch once it has grown, and each connection plans
///   each statement once instead of five times before settling (planning
///   was 8 % of the server's work while ingesting, then 3 %).
const WRITER_SETTINGS: [(&str, &str); 3] = [
    ("synchronous_commit", "off"),
    ("enable_seqscan", "off"),
    ("plan_cache_mode", "force_generic_plan"),
];

const MICROS: &str = "(extract(epoch from {}) * 1000000)::int8";

fn micros(column: &str) -> String {
    MICROS.replace("{}", column)
}

fn select_article() -> String {
    format!(
        "SELECT a.id, a.url, a.guid, s.name AS source, a.source_id, a.outlet, a.title, a.authors::text AS authors, \
         {} AS published_at, a.published_offset, {} AS fetched_at, {} AS updated_at, a.summary, a.body_text, \
         a.body_html, a.lang, a.images::text AS images, a.tags::text AS tags, a.content_hash, c.seq \
         FROM articles a JOIN sources s ON s.id = a.source_id JOIN article_changes c ON c.article_id = a.id",
        micros("a.published_at"),
        micros("a.fetched_at"),
        micros("a.updated_at")
    )
}

const EPOCH: &str = "timestamptz 'epoch' + interval '1 microsecond' *";

/// The batch's rows as one array per column (`UNNEST($1::int8[], …)`),
/// bound in PostgreSQL's binary format: the server copies each value out of
/// its array instead of parsing a JSON document of the whole batch.
#[derive(Default)]
struct RowArrays<'a> {
    source_id: Vec<i64>,
    guid: Vec<&'a str>,
    url: Vec<Option<&'a str>>,
    outlet: Vec<Option<&'a str>>,
    title: Vec<&'a str>,
    authors: Vec<String>,
    published_at_us: Vec<i64>,
    published_offset: Vec<i32>,
    fetched_at_us: Vec<i64>,
    updated_at_us: Vec<i64>,
    body_html: Vec<Option<&'a str>>,
    body_text: Vec<Option<&'a str>>,
    summary: Vec<&'a str>,
    lang: Vec<&'a str>,
    content_hash: Vec<&'a str>,
    images: Vec<String>,
    tags: Vec<String>,
}

impl<'a> RowArrays<'a> {
    fn new(rows: &[RowJson<'a>]) -> Result<RowArrays<'a>, StoreError> {
        let encode = |e| StoreError::database("encoding rows", e);
        let mut a = RowArrays::default();
        for r in rows {
            a.source_id.push(r.source_id);
            a.guid.push(r.guid);
            a.url.push(r.url);
            a.outlet.push(r.outlet);
            a.title.push(r.title);
            a.authors
                .push(serde_json::to_string(r.authors).map_err(encode)?);
            a.published_at_us.push(r.published_at_us);
            a.published_offset.push(r.published_offset);
            a.fetched_at_us.push(r.fetched_at_us);
            a.updated_at_us.push(r.updated_at_us);
            a.body_html.push(r.body_html);
            a.body_text.push(r.body_text);
            a.summary.push(r.summary);
            a.lang.push(r.lang);
            a.content_hash.push(r.content_hash);
            a.images
                .push(serde_json::to_string(r.images).map_err(encode)?);
            a.tags.push(serde_json::to_string(r.tags).map_err(encode)?);
        }
        Ok(a)
    }

    /// Binds the columns as `$1`…`$17` of [`ROW_ARRAYS`].
    fn bind<'q>(self, query: PgQuery<'q>) -> PgQuery<'q>
    where
        'a: 'q,
    {
        query
            .bind(self.source_id)
            .bind(self.guid)
            .bind(self.url)
            .bind(self.outlet)
            .bind(self.title)
            .bind(self.authors)
            .bind(self.published_at_us)
            .bind(self.published_offset)
            .bind(self.fetched_at_us)
            .bind(self.updated_at_us)
            .bind(self.body_html)
            .bind(self.body_text)
            .bind(self.summary)
            .bind(self.lang)
            .bind(self.content_hash)
            .bind(self.images)
            .bind(self.tags)
    }
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// The arrays [`RowArrays::bind`] binds, and the names of their columns.
const ROW_ARRAYS: &str = "$1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
    $7::int8[], $8::int4[], $9::int8[], $10::int8[], $11::text[], $12::text[], $13::text[], $14::text[], \
    $15::text[], $16::text[], $17::text[]";
const ROW_COLUMNS: &str =
    "source_id, guid, url, outlet, title, authors, published_at_us, published_offset, \
    fetched_at_us, updated_at_us, body_html, body_text, summary, lang, content_hash, images, tags";

/// Inserts the rows of a [`RowArrays`]. A guid or URL another writer has
/// just stored fails the statement (unique violation), and the batch is
/// planned again.
fn insert_rows() -> String {
    format!(
        "INSERT INTO articles (source_id, guid, url, outlet, title, authors, published_at, published_offset, \
         fetched_at, updated_at, body_html, body_text, summary, lang, content_hash, images, tags) \
         SELECT x.source_id, x.guid, x.url, x.outlet, x.title, x.authors::jsonb, {EPOCH} x.published_at_us, \
         x.published_offset, {EPOCH} x.fetched_at_us, {EPOCH} x.updated_at_us, x.body_html, x.body_text, x.summary, \
         x.lang, x.content_hash, x.images::jsonb, x.tags::jsonb \
         FROM UNNEST({ROW_ARRAYS}) AS x({ROW_COLUMNS}) \
         RETURNING id, guid"
    )
}

/// Updates the rows of a [`RowArrays`] (ids `$18`) that still have the
/// content hash (`$19`) and URL (`$20`) the batch was planned on: a row
/// another writer changed in between is left alone, and the batch is
/// planned again.
fn update_rows() -> String {
    format!(
        "UPDATE articles AS a SET source_id = x.source_id, url = x.url, outlet = x.outlet, title = x.title, \
         authors = x.authors::jsonb, published_at = {EPOCH} x.published_at_us, published_offset = x.published_offset, \
         fetched_at = {EPOCH} x.fetched_at_us, updated_at = {EPOCH} x.updated_at_us, body_html = x.body_html, \
         body_text = x.body_text, summary = x.summary, lang = x.lang, content_hash = x.content_hash, \
         images = x.images::jsonb, tags = x.tags::jsonb \
         FROM UNNEST({ROW_ARRAYS}, $18::int8[], $19::text[], $20::text[]) AS x({ROW_COLUMNS}, id, old_hash, old_url) \
         WHERE a.id = x.id AND a.content_hash = x.old_hash AND a.url IS NOT DISTINCT FROM x.old_url"
    )
}

/// Inserts the rows of a [`RowArrays`] and numbers them, in one statement:
/// `$18` is each row's place (1, 2, …) among the batch's changed rows, in
/// the order of the guids `$2`. Returns each new row's id and guid, and the
/// last number handed out before the batch.
///
/// The counter is the writer lock, as in [`TAKE_SEQUENCE`], and it is still
/// taken after the articles are stored: its new value is computed from the
/// count of inserted rows, so the server inserts them all before it updates
/// (and locks) the counter row, and keeps the lock to the commit. A guid or
/// URL another writer has just stored fails the statement, which undoes it
/// all, and the batch is planned again.
fn insert_and_number() -> String {
    format!(
        "WITH ins AS ({insert}), \
         c AS (UPDATE counters SET value = value + (SELECT count(*) FROM ins) WHERE name = 'article_seq' \
               RETURNING value - (SELECT count(*) FROM ins) AS last), \
         numbered AS (INSERT INTO article_changes (article_id, seq) \
               SELECT i.id, c.last + p.place FROM ins i \
               JOIN UNNEST($2::text[], $18::int8[]) AS p(guid, place) ON p.guid = i.guid CROSS JOIN c) \
         SELECT i.id, i.guid, c.last FROM ins i CROSS JOIN c",
        insert = insert_rows()
    )
}

/// Takes `$3` change sequence numbers and gives them, in order, to the
/// inserted articles `$1` and the updated articles `$4`: `$2` and `$5` are
/// each row's place (1, 2, …) among the batch's changed rows. Returns the
/// last number handed out before the batch. The `UPDATE` of the counter is
/// the writer lock; it is held to the commit.
const TAKE_SEQUENCE: &str = "WITH c AS (UPDATE counters SET value = value + $3 WHERE name = 'article_seq' \
    RETURNING value - $3 AS last), \
    i AS (INSERT INTO article_changes (article_id, seq) SELECT x.id, c.last + x.n FROM c, UNNEST($1::int8[], $2::int8[]) AS x(id, n)), \
    u AS (UPDATE article_changes AS a SET seq = c.last + x.n FROM c, UNNEST($4::int8[], $5::int8[]) AS x(id, n) WHERE a.article_id = x.id) \
    SELECT last FROM c";

/// How many times a batch is planned again after another writer changed
/// rows it was planned on, before the write fails.
const ATTEMPTS: usize = 8;

/// A batch that has to be planned again: another writer stored or changed
/// one of its articles after the lookup (or the two deadlocked).
fn must_replan(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "23505" || code == "40P01")
}

/// Why a batch must be planned again.
type Replan = Box<dyn std::error::Error + Send + Sync>;

enum Attempt {
    Done(Vec<UpsertOutcome>),
    Replan(Replan),
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
            .connect_with(connect.clone())
            .await
            .map_err(|e| open_err(e.to_string()))?;
        // Connected when the first write comes; a reader never opens one.
        let writers = PgPoolOptions::new()
            .max_connections(options.writer_connections.max(1))
            // Few writers for many feeds: a write waiting for another to
            // finish is backpressure, not a fault.
            .acquire_timeout(WRITER_WAIT.max(options.connect_timeout))
            .connect_lazy_with(connect.options(WRITER_SETTINGS));
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
        Ok(PostgresStore {
            pool,
            writers,
            known_sources: Arc::default(),
        })
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

impl PostgresStore {
    /// A source read from its row, remembered as one that exists.
    fn source_from(&self, row: &PgRow) -> Result<Source, StoreError> {
        let source = to_source(row)?;
        self.known_sources
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(source.id.0);
        Ok(source)
    }

    /// Refuses a batch naming a source that does not exist, as the foreign
    /// key did before migration 0006. Only sources this store has not read
    /// yet are looked up: in a worker, none.
    async fn check_sources(&self, batch: &[ArticleDraft]) -> Result<(), StoreError> {
        let unknown: Vec<i64> = {
            let known = self
                .known_sources
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let ids: BTreeSet<i64> = batch
                .iter()
                .map(|d| d.source_id.0)
                .filter(|id| !known.contains(id))
                .collect();
            ids.into_iter().collect()
        };
        if unknown.is_empty() {
            return Ok(());
        }
        let found: Vec<i64> = sqlx::query_scalar("SELECT id FROM sources WHERE id = ANY($1)")
            .bind(&unknown)
            .fetch_all(&self.pool)
            .await
            .map_err(db("checking the batch's sources"))?;
        self.known_sources
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(&found);
        match unknown.iter().find(|id| !found.contains(id)) {
            Some(missing) => Err(StoreError::Database {
                context: "writing articles",
                source: format!("no source with id {missing}").into(),
            }),
            None => Ok(()),
        }
    }

    /// One attempt at [`Store::upsert_articles`]: look up and plan the
    /// batch without any lock, write its articles, then take the writer
    /// lock only to hand out the batch's sequence numbers, and commit.
    ///
    /// A batch of new articles only — nearly every batch a feed brings — is
    /// written by one statement ([`insert_and_number`]), in the implicit
    /// transaction of that statement: two round trips for the batch, the
    /// lookup and the write, where an explicit transaction takes five
    /// (`BEGIN`, lookup, insert, numbers, `COMMIT`). Each round trip on
    /// this machine cost about as much server time as inserting a few
    /// articles. Batches that update stored rows, and every batch after a
    /// conflict (`lock_rows`: the stored rows it touches are locked by the
    /// lookup, in id order, so no other writer changes them before this one
    /// commits), take the explicit transaction.
    async fn try_upsert(
        &self,
        batch: &[ArticleDraft],
        prepared: &[PreparedDraft],
        lock_rows: bool,
    ) -> Result<Attempt, StoreError> {
        let mut tx = if lock_rows {
            Some(self.writers.begin().await.map_err(db("starting a write"))?)
        } else {
            None
        };
        // Locking reads take the rows in id order, so two writers locking
        // overlapping batches cannot deadlock.
        let lookup_sql =
            format!(
            "SELECT a.id, a.source_id, a.guid, a.url, a.content_hash, c.seq, {} AS published_at, \
             a.published_offset FROM articles a JOIN article_changes c ON c.article_id = a.id \
             WHERE a.guid = ANY($1) OR a.url = ANY($2){}",
            micros("a.published_at"),
            if lock_rows { " ORDER BY a.id FOR UPDATE OF a" } else { "" }
        );
        let lookup = sqlx::query(&lookup_sql)
            .bind(BatchPlan::lookup_guids(batch))
            .bind(BatchPlan::lookup_urls(batch));
        let lookup = match tx.as_mut() {
            Some(tx) => lookup.fetch_all(&mut **tx).await,
            None => lookup.fetch_all(&self.writers).await,
        };
        let existing = match lookup {
            Ok(rows) => rows,
            Err(e) if must_replan(&e) => return Ok(Attempt::Replan(Box::new(e))),
            Err(e) => return Err(StoreError::database("looking up the batch", e)),
        }
        .iter()
        .map(|r| {
            Ok(ExistingRow {
                id: ArticleId(r.try_get("id")?),
                source_id: SourceId(r.try_get("source_id")?),
                guid: r.try_get("guid")?,
                url: r.try_get("url")?,
                content_hash: ContentHash(r.try_get("content_hash")?),
                seq: r.try_get("seq")?,
                published_at_us: r.try_get("published_at")?,
                published_offset: r.try_get("published_offset")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(db("looking up the batch"))?;
        // What each stored row looked like when the batch was planned.
        let planned_on: HashMap<i64, (String, Option<String>)> = existing
            .iter()
            .map(|r| (r.id.0, (r.content_hash.0.clone(), r.url.clone())))
            .collect();
        let mut plan = BatchPlan::new(batch, prepared.to_vec(), existing);
        if plan.changed_rows() == 0 {
            if let Some(tx) = tx {
                tx.commit().await.map_err(db("committing a write"))?;
            }
            return Ok(Attempt::Done(plan.outcomes(&HashMap::new())?));
        }
        // Sequence numbers are taken last; until then each changed row
        // carries its place among the batch's changed rows (1, 2, …).
        let (inserts, mut updates) = plan.rows(batch, 1, Utc::now());
        let mut tx = match tx {
            Some(tx) => tx,
            None if updates.is_empty() => {
                let (inserted, last_seq) = match self.insert_numbered(&inserts).await? {
                    Ok(done) => done,
                    Err(replan) => return Ok(Attempt::Replan(replan)),
                };
                let new_ids = inserted.values().map(|id| id.0).collect();
                let outcomes = numbered(plan.outcomes(&inserted)?, &new_ids, last_seq);
                return Ok(Attempt::Done(outcomes));
            }
            None => self.writers.begin().await.map_err(db("starting a write"))?,
        };
        let places: HashMap<&str, i64> = inserts.iter().map(|r| (r.guid, r.seq)).collect();
        let place_of = |guid: &str| {
            places.get(guid).copied().ok_or_else(|| {
                StoreError::Corrupt(format!("inserted a row {guid} the batch does not have"))
            })
        };
        let mut inserted = HashMap::new();
        let (mut new_ids, mut new_places) = (Vec::new(), Vec::new());
        let (mut updated_ids, mut updated_places) = (Vec::new(), Vec::new());
        if !inserts.is_empty() {
            // In the batch's order, so ids follow it. Two batches that
            // share new articles in opposite orders can deadlock; the
            // server ends one of them, which is planned again.
            let sql = insert_rows();
            let rows = match RowArrays::new(&inserts)?
                .bind(sqlx::query(&sql))
                .fetch_all(&mut *tx)
                .await
            {
                Ok(rows) => rows,
                Err(e) if must_replan(&e) => return Ok(Attempt::Replan(Box::new(e))),
                Err(e) => return Err(StoreError::database("inserting articles", e)),
            };
            for row in rows {
                let guid: String = row.try_get("guid").map_err(db("inserting articles"))?;
                let id: i64 = row.try_get("id").map_err(db("inserting articles"))?;
                new_ids.push(id);
                new_places.push(place_of(&guid)?);
                inserted.insert(guid, ArticleId(id));
            }
        }
        if !updates.is_empty() {
            // In id order: two batches updating the same articles lock
            // them in the same order, and one waits for the other.
            updates.sort_unstable_by_key(|r| r.id);
            let (mut ids, mut old_hashes, mut old_urls) = (Vec::new(), Vec::new(), Vec::new());
            for r in &updates {
                let id = r.id.unwrap_or_default();
                let (hash, url) = planned_on.get(&id).cloned().ok_or_else(|| {
                    StoreError::Corrupt(format!("article {id} was updated without being looked up"))
                })?;
                ids.push(id);
                old_hashes.push(hash);
                old_urls.push(url);
                updated_ids.push(id);
                updated_places.push(r.seq);
            }
            let sql = update_rows();
            let done = match RowArrays::new(&updates)?
                .bind(sqlx::query(&sql))
                .bind(ids)
                .bind(old_hashes)
                .bind(old_urls)
                .execute(&mut *tx)
                .await
            {
                Ok(done) => done,
                Err(e) if must_replan(&e) => return Ok(Attempt::Replan(Box::new(e))),
                Err(e) => return Err(StoreError::database("updating articles", e)),
            };
            if done.rows_affected() != updates.len() as u64 {
                return Ok(Attempt::Replan(
                    "an article of the batch changed while it was written".into(),
                ));
            }
        }
        let changed = (new_ids.len() + updated_ids.len()) as i64;
        let changed_ids: HashSet<i64> = new_ids.iter().chain(&updated_ids).copied().collect();
        let outcomes = plan.outcomes(&inserted)?;
        let last_seq: i64 = sqlx::query_scalar(TAKE_SEQUENCE)
            .bind(new_ids)
            .bind(new_places)
            .bind(changed)
            .bind(updated_ids)
            .bind(updated_places)
            .fetch_one(&mut *tx)
            .await
            .map_err(db("taking sequence numbers"))?;
        tx.commit().await.map_err(db("committing a write"))?;
        Ok(Attempt::Done(numbered(outcomes, &changed_ids, last_seq)))
    }

    /// Writes a batch of new articles only, with [`insert_and_number`].
    /// Returns each new id by guid and the last number handed out before
    /// the batch, or why the batch must be planned again.
    async fn insert_numbered(
        &self,
        inserts: &[RowJson<'_>],
    ) -> Result<Result<(HashMap<String, ArticleId>, i64), Replan>, StoreError> {
        let sql = insert_and_number();
        let places: Vec<i64> = inserts.iter().map(|r| r.seq).collect();
        let rows = match RowArrays::new(inserts)?
            .bind(sqlx::query(&sql))
            .bind(places)
            .fetch_all(&self.writers)
            .await
        {
            Ok(rows) => rows,
            Err(e) if must_replan(&e) => return Ok(Err(Box::new(e))),
            Err(e) => return Err(StoreError::database("inserting articles", e)),
        };
        let mut inserted = HashMap::new();
        let mut last_seq = None;
        for row in &rows {
            let guid: String = row.try_get("guid").map_err(db("inserting articles"))?;
            let id: i64 = row.try_get("id").map_err(db("inserting articles"))?;
            last_seq = Some(
                row.try_get::<i64, _>("last")
                    .map_err(db("inserting articles"))?,
            );
            inserted.insert(guid, ArticleId(id));
        }
        match last_seq {
            Some(last_seq) if inserted.len() == inserts.len() => Ok(Ok((inserted, last_seq))),
            _ => Err(StoreError::Corrupt(format!(
                "inserted {} of a batch's {} new articles",
                inserted.len(),
                inserts.len()
            ))),
        }
    }
}

/// The outcomes with the batch's numbers: the rows it `changed` got the
/// places 1, 2, … after `last_seq`, the number handed out before it.
fn numbered(
    mut outcomes: Vec<UpsertOutcome>,
    changed: &HashSet<i64>,
    last_seq: i64,
) -> Vec<UpsertOutcome> {
    for o in &mut outcomes {
        if changed.contains(&o.id.0) {
            o.seq += last_seq;
        }
    }
    outcomes
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
        self.source_from(&row)
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
        self.source_from(&row)
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
        rows.iter().map(|r| self.source_from(r)).collect()
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
            .fetch_all(&self.writers)
            .await
            .map_err(db("claiming due sources"))?;
        let mut sources = rows
            .iter()
            .map(|r| self.source_from(r))
            .collect::<Result<Vec<_>, _>>()?;
        sources.sort_by_key(|s| (s.fetch.next_fetch_at, s.id));
        Ok(sources)
    }

    async fn record_fetch(&self, id: SourceId, report: &FetchReport) -> Result<(), StoreError> {
        // On a writer connection: committed without waiting for the WAL
        // flush, like article writes (see `WRITER_SETTINGS`). The log keeps
        // them in order, so fetch state never outlives the articles it
        // records; a crash loses at most the last fraction of a second of
        // both, and those sources are fetched again. Waiting was one fsync
        // per source. Ingest then keeps to the writer connections, instead
        // of starting (and warming) a second set of server processes.
        let sql = format!(
            "UPDATE sources SET last_fetch_at = {at}, last_status = $2, etag = $3, last_modified = $4, \
             last_error = $5, consecutive_errors = CASE WHEN $5::text IS NULL THEN 0 ELSE consecutive_errors + 1 END, \
             next_fetch_at = {next}, every_secs = $7, claimed_until = NULL \
             WHERE id = $8",
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
            .execute(&self.writers)
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
        self.check_sources(batch).await?;
        let prepared = BatchPlan::prepare(batch);
        let mut attempt = 1;
        loop {
            // After a conflict the batch's stored rows are locked as they are
            // looked up: racing writers of one article then take turns
            // instead of undoing each other's plans over and over.
            match self.try_upsert(batch, &prepared, attempt > 1).await? {
                Attempt::Done(outcomes) => return Ok(outcomes),
                Attempt::Replan(source) if attempt >= ATTEMPTS => {
                    return Err(StoreError::Database {
                        context: "writing a batch other writers kept changing",
                        source,
                    })
                }
                Attempt::Replan(e) => {
                    tracing::debug!(attempt, error = %e, "another writer changed the batch's articles; planning again");
                    attempt += 1;
                }
            }
        }
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
            "{} WHERE c.seq > $1 ORDER BY c.seq LIMIT $2",
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
        self.writers.close().await;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A store written by an earlier version (migrations up to 0004, `seq`
    /// in articles) keeps its change sequence when 0005 moves it out, still
    /// refuses articles of a missing source once 0006 drops the foreign key,
    /// and keeps its texts when 0007 stops storing derived ones.
    #[tokio::test]
    async fn migrating_a_store_of_version_4_keeps_its_change_sequence() {
        let url = std::env::var("HUIWEN_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
        let schema = format!("huiwen_test_migrate_{}", std::process::id());
        let connect = PgConnectOptions::from_str(&url).expect("HUIWEN_TEST_POSTGRES is a URL");
        let pool = match PgPoolOptions::new()
            .max_connections(1)
            .connect_with(connect.options([("search_path", schema.as_str())]))
            .await
        {
            Ok(pool) => pool,
            Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!("CI=true and PostgreSQL is not usable: {e}")
            }
            Err(e) => {
                eprintln!("\n!!!!!!!!!! POSTGRESQL MIGRATION TEST DID NOT RUN: {e}\n");
                return;
            }
        };
        sqlx::query(&format!("CREATE SCHEMA {}", quote_ident(&schema)))
            .execute(&pool)
            .await
            .expect("schema");
        let mut old = migrator();
        old.migrations = Cow::Owned(
            old.migrations
                .iter()
                .filter(|m| m.version <= 4)
                .cloned()
                .collect(),
        );
        old.run(&pool).await.expect("migrations 1 to 4");
        sqlx::raw_sql(
            "INSERT INTO sources (name, kind, created_at) VALUES ('旧来源', 'import', now()); \
             INSERT INTO articles (source_id, guid, url, title, published_at, published_offset, fetched_at, \
             updated_at, body_text, summary, lang, content_hash, seq) \
             SELECT 1, 'old:' || n, 'https://old.example.com/' || n, '旧文' || n, now(), 28800, now(), now(), \
             '正文', '', 'zh', 'hash' || n, 10 * n FROM generate_series(1, 3) AS n; \
             UPDATE counters SET value = 30 WHERE name = 'article_seq'",
        )
        .execute(&pool)
        .await
        .expect("rows of version 4");
        pool.close().await;

        let store = PostgresStore::open(
            &url,
            &PostgresOptions {
                schema: Some(schema.clone()),
                ..PostgresOptions::default()
            },
        )
        .await
        .expect("migrate to the current version");
        let followed = store.changes_since(0, 10).await.expect("follow");
        let seqs: Vec<(String, i64)> = followed.iter().map(|a| (a.guid.clone(), a.seq)).collect();
        assert_eq!(
            seqs,
            vec![
                ("old:1".to_string(), 10),
                ("old:2".to_string(), 20),
                ("old:3".to_string(), 30)
            ]
        );
        let mut changed = huiwen_store::suite::draft(
            SourceId(1),
            "old:2",
            "旧文2（更新）",
            chrono::Utc::now().fixed_offset(),
        );
        changed.url = Some("https://old.example.com/2".to_string());
        let out = store.upsert_articles(&[changed]).await.expect("update");
        assert_eq!(out[0].change, huiwen_store::Change::Updated);
        assert_eq!(out[0].seq, 31);
        assert_eq!(
            store.changes_since(20, 10).await.expect("follow")[1].seq,
            31
        );
        // Source 1 was never read through this store, yet its article was
        // written: unknown sources are looked up. One that does not exist is
        // refused, as the foreign key 0006 dropped refused it.
        let orphan = huiwen_store::suite::draft(
            SourceId(2),
            "orphan:1",
            "没有来源的文章",
            chrono::Utc::now().fixed_offset(),
        );
        let err = store
            .upsert_articles(&[orphan])
            .await
            .expect_err("source 2 does not exist");
        assert!(err.to_string().contains("no source with id 2"), "{err}");
        assert_eq!(store.stats().await.expect("stats").last_seq, 31);

        // 0007: old rows keep their text; a new article whose text is the
        // reading of its markup stores the markup only, and reads back
        // whole; a row with neither is refused.
        assert!(followed.iter().all(|a| a.text == "正文"), "{followed:?}");
        let mut rich = huiwen_store::suite::draft(
            SourceId(1),
            "new:1",
            "新文",
            chrono::Utc::now().fixed_offset(),
        );
        rich.body_html = huiwen_core::SanitizedHtml::sanitize(
            "<p>第一段</p><p>第二段 <a href=\"https://x.example.com/\">链接</a></p>",
        );
        rich.text = rich.body_html.to_text();
        let out = store
            .upsert_articles(std::slice::from_ref(&rich))
            .await
            .expect("write");
        let back = store
            .article(out[0].id)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!((back.body_html, back.text), (rich.body_html, rich.text));
        let text_stored: bool =
            sqlx::query_scalar("SELECT body_text IS NOT NULL FROM articles WHERE guid = 'new:1'")
                .fetch_one(&store.pool)
                .await
                .expect("row");
        assert!(
            !text_stored,
            "the text was stored beside the markup it is read from"
        );
        let no_body = sqlx::query(
            "INSERT INTO articles (source_id, guid, title, published_at, published_offset, fetched_at, \
             updated_at, body_html, body_text, summary, lang, content_hash) \
             VALUES (1, 'x', 'x', now(), 0, now(), now(), NULL, NULL, '', 'zh', 'h')",
        )
        .execute(&store.pool)
        .await;
        assert!(no_body.is_err(), "an article without a body is refused");
        store.close().await;
        PostgresStore::drop_schema(&url, &schema)
            .await
            .expect("drop test schema");
    }
}
