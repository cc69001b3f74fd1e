//! # huiwen-store-sqlite — the embedded default store
//!
//! One SQLite file (`huiwen.db` in the data directory) in WAL mode: readers
//! never wait for the writer, and nothing needs to be installed or started.
//! Migrations in `migrations/` are applied when the store opens.
//!
//! Writes follow the plan described in `huiwen-store`: `BEGIN IMMEDIATE`
//! takes SQLite's single write lock before the lookup (a deferred transaction
//! that reads first and writes later can fail with `SQLITE_BUSY` when another
//! connection wrote in between), then a batch is one lookup, one `INSERT …
//! VALUES` per hundred new rows and one `UPDATE … FROM json_each(?)`.
//! Batches that arrive while another is being written wait and are then
//! written together, one transaction with a savepoint per batch (see
//! `upsert_articles`): one file has one writer, and a commit per feed made
//! it rewrite the same index pages for every feed.

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
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The migrations of this backend, oldest first: (version, description, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "articles",
        include_str!("../migrations/0001_articles.sql"),
    ),
    (
        2,
        "source fetching",
        include_str!("../migrations/0002_source_fetching.sql"),
    ),
    (
        3,
        "article pages",
        include_str!("../migrations/0003_article_pages.sql"),
    ),
    (
        4,
        "body stored once",
        include_str!("../migrations/0004_body_stored_once.sql"),
    ),
];

/// Applies the missing migrations, all in one `BEGIN IMMEDIATE` transaction.
///
/// Not sqlx's migrator: it takes no lock on SQLite, so two processes opening
/// a fresh store at once (two workers started together) would both apply a
/// migration and one would fail on "table already exists". Holding SQLite's
/// write lock for the whole check-and-apply makes the second process wait,
/// then find nothing left to do; SQLite's DDL is transactional, so a failed
/// migration leaves the store as it was.
///
/// Foreign keys are off while migrations run and checked as a whole before
/// the commit, as SQLite's procedure for changing a table asks: rebuilding
/// a table that others refer to (a copy, then `DROP TABLE` of the original)
/// would otherwise fail on the rows that refer to it. They are back on
/// before the connection returns to the pool; a connection where that fails
/// is closed instead, so none with foreign keys off is used for anything
/// else.
async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    use sqlx::Connection as _;
    let failed = |e: sqlx::Error| StoreError::Migrate(e.to_string());
    let mut conn = pool.acquire().await.map_err(failed)?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .map_err(failed)?;
    let migrated = apply_migrations(&mut conn).await;
    if let Err(e) = sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await
    {
        let _ = conn.detach().close().await;
        return migrated.and(Err(failed(e)));
    }
    if migrated? {
        // A migration that rebuilds a table (4 copies every article) leaves
        // the old copy's pages free: the file would keep twice the size
        // until new articles filled them. Give them back, once, at the
        // upgrade. Another process in the middle of a read makes VACUUM
        // fail; the store works as well without it.
        let (free, pages): (i64, i64) = sqlx::query_as(
            "SELECT f.freelist_count, p.page_count FROM pragma_freelist_count AS f, pragma_page_count AS p",
        )
        .fetch_one(&mut *conn)
        .await
        .map_err(failed)?;
        if free * 4 > pages {
            if let Err(e) = sqlx::query("VACUUM").execute(&mut *conn).await {
                tracing::warn!(error = %e, free_pages = free, "could not give free pages back after migrating");
            }
        }
        // The rebuilt table is in the log; fold it in now rather than leave
        // it to whichever command closes the store next.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut *conn)
            .await
            .map_err(failed)?;
    }
    Ok(())
}

/// Applies the missing migrations; whether there were any.
async fn apply_migrations(conn: &mut sqlx::SqliteConnection) -> Result<bool, StoreError> {
    use sqlx::Connection as _;
    let failed = |e: sqlx::Error| StoreError::Migrate(e.to_string());
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.map_err(failed)?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS huiwen_migrations (\
           version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .map_err(failed)?;
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM huiwen_migrations")
        .fetch_all(&mut *tx)
        .await
        .map_err(failed)?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if let Some(newer) = applied.iter().find(|&&v| v > known) {
        return Err(StoreError::Migrate(format!(
            "the store has migration {newer}, newer than this huiwen knows ({known}): upgrade huiwen"
        )));
    }
    let pending: Vec<_> = MIGRATIONS
        .iter()
        .filter(|m| !applied.contains(&m.0))
        .collect();
    if pending.is_empty() {
        // The usual open: no migration, and no foreign key check, which
        // reads every row of every table that has a key.
        tx.commit().await.map_err(failed)?;
        return Ok(false);
    }
    for &(version, description, sql) in pending {
        sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(|e| {
            StoreError::Migrate(format!("migration {version} ({description}): {e}"))
        })?;
        sqlx::query(
            "INSERT INTO huiwen_migrations (version, description, applied_at) VALUES (?1, ?2, ?3)",
        )
        .bind(version)
        .bind(description)
        .bind(Utc::now().timestamp_micros())
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
    }
    let broken: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check LIMIT 5")
            .fetch_all(&mut *tx)
            .await
            .map_err(failed)?;
    if !broken.is_empty() {
        return Err(StoreError::Migrate(format!(
            "rows refer to rows that do not exist (table, rowid): {broken:?}"
        )));
    }
    tx.commit().await.map_err(failed)?;
    Ok(true)
}

/// How to open the store.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    /// How long a writer waits for another writer (another process, too).
    pub busy_timeout: Duration,
    pub max_connections: u32,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            busy_timeout: Duration::from_secs(10),
            max_connections: 4,
        }
    }
}

/// How often the write-ahead log is folded back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Folds the write-ahead log into the database file every
/// [`CHECKPOINT_EVERY`], on a connection of its own, until the store is
/// closed. Left to SQLite, the checkpoint runs inside whichever commit
/// crosses the log's size limit, so writers (which take turns) waited for a
/// copy of the whole log: about a fifth of an ingest round. A passive
/// checkpoint takes no lock writers need, so it runs beside them, on another
/// core. Closing the store folds in the rest and empties the log.
fn fold_log_in_background(pool: SqlitePool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(CHECKPOINT_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if pool.is_closed() {
                break;
            }
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                if pool.is_closed() {
                    break;
                }
                tracing::debug!(error = %e, "background checkpoint");
            }
        }
    });
}

/// Looks up, plans and writes one batch inside the caller's transaction.
async fn write_batch(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    batch: &[ArticleDraft],
    prepared: Vec<PreparedDraft>,
) -> Result<Vec<UpsertOutcome>, StoreError> {
    let to_json = |v: &Vec<&str>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    let (guids, urls) = (
        to_json(&BatchPlan::lookup_guids(batch)),
        to_json(&BatchPlan::lookup_urls(batch)),
    );
    let existing = sqlx::query(LOOKUP)
        .bind(guids)
        .bind(urls)
        .fetch_all(&mut **tx)
        .await
        .map_err(db("looking up the batch"))?
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
    let mut plan = BatchPlan::new(batch, prepared, existing);
    let changed = plan.changed_rows() as i64;
    let mut inserted = HashMap::new();
    if changed > 0 {
        let last: i64 = sqlx::query_scalar(
            "UPDATE counters SET value = value + ?1 WHERE name = 'article_seq' RETURNING value",
        )
        .bind(changed)
        .fetch_one(&mut **tx)
        .await
        .map_err(db("taking sequence numbers"))?;
        let (inserts, updates) = plan.rows(batch, last - changed + 1, Utc::now());
        for chunk in inserts.chunks(INSERT_CHUNK) {
            let sql = insert_sql(chunk.len());
            let query = chunk.iter().fold(sqlx::query(&sql), bind_row);
            for row in query
                .fetch_all(&mut **tx)
                .await
                .map_err(db("inserting articles"))?
            {
                let guid: String = row.try_get("guid").map_err(db("inserting articles"))?;
                let id = row.try_get("id").map_err(db("inserting articles"))?;
                inserted.insert(guid, ArticleId(id));
            }
        }
        if !updates.is_empty() {
            let json = serde_json::to_string(&updates)
                .map_err(|e| StoreError::database("encoding rows", e))?;
            sqlx::query(UPDATE_ROWS)
                .bind(json)
                .execute(&mut **tx)
                .await
                .map_err(db("updating articles"))?;
        }
    }
    plan.outcomes(&inserted)
}

/// The same error for each of several callers (sqlx errors cannot be cloned).
fn shared_error(context: &'static str, e: &sqlx::Error) -> StoreError {
    StoreError::database(context, std::io::Error::other(e.to_string()))
}

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
    /// Writers of this process take turns here before asking SQLite for its
    /// write lock. SQLite makes a writer that finds the lock taken sleep
    /// (1, 2, 5 … up to 100 ms) and try again, so pooled connections racing
    /// for it left the cores idle between batches; waiting here is woken the
    /// moment the previous write ends. Other processes still meet at
    /// SQLite's lock, under the busy timeout.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Article batches that found the writer busy, written together by the
    /// next writer to get its turn (see `upsert_articles`).
    waiting: Arc<std::sync::Mutex<Vec<WaitingBatch>>>,
}

/// A batch waiting for the writer, and where its outcome goes.
struct WaitingBatch {
    batch: Vec<ArticleDraft>,
    prepared: Vec<PreparedDraft>,
    reply: tokio::sync::oneshot::Sender<Result<Vec<UpsertOutcome>, StoreError>>,
}

impl std::fmt::Debug for WaitingBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WaitingBatch({} drafts)", self.batch.len())
    }
}

/// At most this many waiting batches go into one transaction, so one
/// commit stays a few megabytes.
const MAX_GROUP: usize = 16;

const SELECT_ARTICLE: &str = "SELECT a.id, a.url, a.guid, s.name AS source, a.source_id, a.outlet, a.title, \
    a.authors, a.published_at, a.published_offset, a.fetched_at, a.updated_at, a.summary, a.body_text, \
    a.body_html, a.lang, a.images, a.tags, a.content_hash, a.seq \
    FROM articles a JOIN sources s ON s.id = a.source_id";

const LOOKUP: &str =
    "SELECT id, source_id, guid, url, content_hash, seq, published_at, published_offset \
    FROM articles WHERE guid IN (SELECT value FROM json_each(?1)) \
    UNION SELECT id, source_id, guid, url, content_hash, seq, published_at, published_offset \
    FROM articles \
    WHERE url IN (SELECT value FROM json_each(?2))";

/// The columns an insert writes, in bind order (see [`bind_row`]).
const INSERT_COLUMNS: &str = "INSERT INTO articles (source_id, guid, url, outlet, title, authors, published_at, \
    published_offset, fetched_at, updated_at, body_html, body_text, summary, lang, content_hash, images, tags, seq) VALUES ";
const INSERT_PLACEHOLDERS: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// Rows per multi-row `INSERT … VALUES`: few statements per batch, and the
/// same few SQL texts, so SQLite's prepared-statement cache keeps them. (A
/// JSON parameter read with `json_each`, as updates use, costs twice as much
/// CPU per row as bound values when rows carry whole article bodies.)
const INSERT_CHUNK: usize = 100;

fn insert_sql(rows: usize) -> String {
    let mut sql =
        String::with_capacity(INSERT_COLUMNS.len() + rows * (INSERT_PLACEHOLDERS.len() + 2) + 20);
    sql.push_str(INSERT_COLUMNS);
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(INSERT_PLACEHOLDERS);
    }
    sql.push_str(" RETURNING id, guid");
    sql
}

fn json_list<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn bind_row<'q>(
    query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    row: &RowJson<'q>,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    query
        .bind(row.source_id)
        .bind(row.guid)
        .bind(row.url)
        .bind(row.outlet)
        .bind(row.title)
        .bind(json_list(&row.authors))
        .bind(row.published_at_us)
        .bind(row.published_offset)
        .bind(row.fetched_at_us)
        .bind(row.updated_at_us)
        .bind(row.body_html)
        .bind(row.body_text)
        .bind(row.summary)
        .bind(row.lang)
        .bind(row.content_hash)
        .bind(json_list(&row.images))
        .bind(json_list(&row.tags))
        .bind(row.seq)
}

const UPDATE_ROWS: &str = "UPDATE articles SET source_id = x.value->>'source_id', url = x.value->>'url', \
    outlet = x.value->>'outlet', title = x.value->>'title', authors = x.value->'authors', \
    published_at = x.value->>'published_at_us', published_offset = x.value->>'published_offset', \
    fetched_at = x.value->>'fetched_at_us', updated_at = x.value->>'updated_at_us', \
    body_html = x.value->>'body_html', body_text = x.value->>'body_text', summary = x.value->>'summary', \
    lang = x.value->>'lang', content_hash = x.value->>'content_hash', images = x.value->'images', \
    tags = x.value->'tags', seq = x.value->>'seq' \
    FROM json_each(?1) AS x WHERE articles.id = x.value->>'id'";

/// SQLITE_BUSY and its extended codes: another connection holds the lock.
fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| c & 0xff == 5),
        _ => false,
    }
}

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::database(context, e)
}

fn article_columns(row: &SqliteRow) -> Result<ArticleColumns, sqlx::Error> {
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

fn to_article(row: &SqliteRow) -> Result<Article, StoreError> {
    article_columns(row)
        .map_err(db("reading an article"))?
        .into_article()
}

fn source_columns(row: &SqliteRow) -> Result<SourceColumns, sqlx::Error> {
    Ok(SourceColumns {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        url: row.try_get("url")?,
        kind: row.try_get("kind")?,
        created_at_us: row.try_get("created_at_us")?,
        every_secs: row.try_get("every_secs")?,
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

fn to_source(row: &SqliteRow) -> Result<Source, StoreError> {
    source_columns(row)
        .map_err(db("reading a source"))?
        .into_source()
}

/// Instants are stored as microseconds already.
fn source_cols() -> String {
    huiwen_store::row::source_columns(|column| column.to_string())
}

impl SqliteStore {
    /// Opens (creating if needed) the store file at `path` and migrates it.
    pub async fn open(path: &Path, options: &SqliteOptions) -> Result<SqliteStore, StoreError> {
        let open_err = |message: String| StoreError::Open {
            location: path.display().to_string(),
            message,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| open_err(format!("cannot create {}: {e}", dir.display())))?;
        }
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(options.busy_timeout)
            .pragma("cache_size", "-32768")
            // Checkpoints are the background task's job (see
            // `fold_log_in_background`); this only bounds the log if that
            // task cannot keep up.
            .pragma("wal_autocheckpoint", "16384")
            // A multi-row INSERT keeps a statement journal (to undo just that
            // statement on a constraint error); in a temporary file that is
            // a file write per batch.
            .pragma("temp_store", "memory")
            .page_size(16384);
        // Switching a fresh file to WAL needs a moment of exclusive access,
        // and SQLite answers "busy" at once instead of waiting when another
        // process is doing the same; keep trying for the busy timeout.
        let deadline = std::time::Instant::now() + options.busy_timeout;
        let pool = loop {
            let attempt = SqlitePoolOptions::new()
                .max_connections(options.max_connections.max(1))
                .connect_with(connect.clone())
                .await;
            match attempt {
                Ok(pool) => break pool,
                Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(25)).await;
                }
                Err(e) => return Err(open_err(e.to_string())),
            }
        };
        migrate(&pool).await?;
        fold_log_in_background(pool.clone());
        Ok(SqliteStore {
            writer: Arc::default(),
            waiting: Arc::default(),
            pool,
            path: path.to_path_buf(),
        })
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Vec<WaitingBatch>> {
        // Only pushes and drains happen under this lock, so the list is
        // whole whatever panicked while holding it.
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// One batch, one transaction; the caller has the writer's turn.
    async fn write_alone(
        &self,
        batch: &[ArticleDraft],
        prepared: Vec<PreparedDraft>,
    ) -> Result<Vec<UpsertOutcome>, StoreError> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db("starting a write"))?;
        let outcomes = write_batch(&mut tx, batch, prepared).await?;
        tx.commit().await.map_err(db("committing a write"))?;
        Ok(outcomes)
    }

    /// Waiting batches in one transaction, a savepoint each; every caller is
    /// answered once the commit's fate is known. The caller has the
    /// writer's turn.
    async fn write_group(&self, group: Vec<WaitingBatch>) {
        let mut tx = match self.pool.begin_with("BEGIN IMMEDIATE").await {
            Ok(tx) => tx,
            Err(e) => {
                for waiting in group {
                    let _ = waiting
                        .reply
                        .send(Err(shared_error("starting a write", &e)));
                }
                return;
            }
        };
        let mut written = Vec::with_capacity(group.len());
        for WaitingBatch {
            batch,
            prepared,
            reply,
        } in group
        {
            let result = match sqlx::query("SAVEPOINT batch").execute(&mut *tx).await {
                Ok(_) => write_batch(&mut tx, &batch, prepared).await,
                Err(e) => Err(StoreError::database("starting a write", e)),
            };
            let closed = match &result {
                Ok(_) => sqlx::query("RELEASE batch").execute(&mut *tx).await,
                Err(_) => {
                    sqlx::query("ROLLBACK TO batch; RELEASE batch")
                        .execute(&mut *tx)
                        .await
                }
            };
            match (result, closed) {
                (Ok(outcomes), Ok(_)) => written.push((reply, outcomes)),
                (Err(e), _) => {
                    let _ = reply.send(Err(e));
                }
                (Ok(_), Err(e)) => {
                    let _ = reply.send(Err(StoreError::database("writing a batch", e)));
                }
            }
        }
        match tx.commit().await {
            Ok(()) => {
                for (reply, outcomes) in written {
                    let _ = reply.send(Ok(outcomes));
                }
            }
            Err(e) => {
                for (reply, _) in written {
                    let _ = reply.send(Err(shared_error("committing a write", &e)));
                }
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ensure_source(&self, draft: &SourceDraft) -> Result<Source, StoreError> {
        let _turn = self.writer.lock().await;
        sqlx::query(
            "INSERT INTO sources (name, url, kind, created_at, every_secs, zone, full_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&draft.name)
        .bind(&draft.url)
        .bind(draft.kind.as_str())
        .bind(Utc::now().timestamp_micros())
        .bind(i64::from(draft.every_secs))
        .bind(draft.zone.to_string())
        .bind(draft.full_text)
        .execute(&self.pool)
        .await
        .map_err(db("creating a source"))?;
        let row = sqlx::query(&format!(
            "SELECT {} FROM sources WHERE name = ?1",
            source_cols()
        ))
        .bind(&draft.name)
        .fetch_one(&self.pool)
        .await
        .map_err(db("reading a source"))?;
        to_source(&row)
    }

    async fn add_source(&self, draft: &SourceDraft) -> Result<Source, StoreError> {
        let _turn = self.writer.lock().await;
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db("starting a write"))?;
        let taken = sqlx::query(
            "SELECT id, name, url, removed_at FROM sources WHERE name = ?1 OR url = ?2 ORDER BY id",
        )
        .bind(&draft.name)
        .bind(&draft.url)
        .fetch_all(&mut *tx)
        .await
        .map_err(db("checking a new source"))?;
        let mut revive = None;
        for row in &taken {
            let id: i64 = row.try_get("id").map_err(db("checking a new source"))?;
            let removed: Option<i64> = row
                .try_get("removed_at")
                .map_err(db("checking a new source"))?;
            if removed.is_none() {
                let name: String = row.try_get("name").map_err(db("checking a new source"))?;
                return Err(StoreError::Conflict(format!(
                    "source {id} ({name}) already has this name or URL"
                )));
            }
            revive.get_or_insert(id);
        }
        let id: i64 = match revive {
            Some(id) => sqlx::query_scalar(
                "UPDATE sources SET name = ?1, url = ?2, kind = ?3, every_secs = ?4, zone = ?5, full_text = ?7, removed_at = NULL, \
                 next_fetch_at = NULL, claimed_until = NULL, consecutive_errors = 0, last_error = NULL \
                 WHERE id = ?6 RETURNING id",
            )
            .bind(&draft.name)
            .bind(&draft.url)
            .bind(draft.kind.as_str())
            .bind(i64::from(draft.every_secs))
            .bind(draft.zone.to_string())
            .bind(id)
            .bind(draft.full_text)
            .fetch_one(&mut *tx)
            .await
            .map_err(db("reviving a source"))?,
            None => sqlx::query_scalar(
                "INSERT INTO sources (name, url, kind, created_at, every_secs, zone, full_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 RETURNING id",
            )
            .bind(&draft.name)
            .bind(&draft.url)
            .bind(draft.kind.as_str())
            .bind(Utc::now().timestamp_micros())
            .bind(i64::from(draft.every_secs))
            .bind(draft.zone.to_string())
            .bind(draft.full_text)
            .fetch_one(&mut *tx)
            .await
            .map_err(db("creating a source"))?,
        };
        let row = sqlx::query(&format!(
            "SELECT {} FROM sources WHERE id = ?1",
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
        let _turn = self.writer.lock().await;
        let done = sqlx::query("UPDATE sources SET removed_at = ?1, claimed_until = NULL WHERE id = ?2 AND removed_at IS NULL")
            .bind(Utc::now().timestamp_micros())
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
        let _turn = self.writer.lock().await;
        // One statement under SQLite's write lock: two workers cannot both
        // see a source as unclaimed.
        let sql = format!(
            "UPDATE sources SET claimed_until = ?1 WHERE id IN (\
               SELECT id FROM sources WHERE removed_at IS NULL AND every_secs > 0 \
               AND (next_fetch_at IS NULL OR next_fetch_at <= ?2) \
               AND (claimed_until IS NULL OR claimed_until <= ?2) \
               ORDER BY coalesce(next_fetch_at, 0), id LIMIT ?3) \
             RETURNING {}",
            source_cols()
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
        let _turn = self.writer.lock().await;
        let done = sqlx::query(
            "UPDATE sources SET last_fetch_at = ?1, last_status = ?2, etag = ?3, last_modified = ?4, \
             last_error = ?5, consecutive_errors = CASE WHEN ?5 IS NULL THEN 0 ELSE consecutive_errors + 1 END, \
             next_fetch_at = ?6, every_secs = ?7, claimed_until = NULL WHERE id = ?8",
        )
        .bind(report.at.timestamp_micros())
        .bind(report.status.map(i64::from))
        .bind(&report.etag)
        .bind(&report.last_modified)
        .bind(&report.error)
        .bind(report.next_fetch_at.timestamp_micros())
        .bind(i64::from(report.every_secs))
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

    /// Writes a batch in one transaction, as the other backends do. When
    /// the writer is busy, the batch waits with the others that found it
    /// busy, and the next writer to get its turn writes them all in one
    /// transaction, each under a savepoint of its own (so one batch's error
    /// undoes only that batch). While feeds arrive faster than one writer
    /// stores them, this is what keeps up: each commit writes every page it
    /// touched to the log, and fifty new articles touch most leaf pages of
    /// the guid and URL indexes, which one commit per feed rewrote for every
    /// feed.
    async fn upsert_articles(
        &self,
        batch: &[ArticleDraft],
    ) -> Result<Vec<UpsertOutcome>, StoreError> {
        check_batch(batch)?;
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let prepared = BatchPlan::prepare(batch);
        // Nobody writing (the importer's case, one writer): no copy, no
        // queue.
        if let Ok(_turn) = self.writer.try_lock() {
            return self.write_alone(batch, prepared).await;
        }
        let (reply, mut outcome) = tokio::sync::oneshot::channel();
        self.lock_waiting().push(WaitingBatch {
            batch: batch.to_vec(),
            prepared,
            reply,
        });
        loop {
            tokio::select! {
                // A writer that took this batch into its group answers
                // before it gives up its turn, so when both are ready the
                // answer is what is looked at.
                biased;
                answer = &mut outcome => {
                    return answer.unwrap_or_else(|_| {
                        Err(StoreError::database(
                            "writing a batch",
                            std::io::Error::other("the write of its group was abandoned"),
                        ))
                    });
                }
                turn = self.writer.clone().lock_owned() => {
                    let group: Vec<WaitingBatch> = {
                        let mut waiting = self.lock_waiting();
                        let n = waiting.len().min(MAX_GROUP);
                        waiting.drain(..n).collect()
                    };
                    if group.is_empty() {
                        continue;
                    }
                    // A task of its own holds the turn: the group carries
                    // other callers' batches, which must be answered even if
                    // this caller stops waiting. Should it panic, the
                    // group's senders are dropped and every caller, this
                    // one included, is told the write was abandoned.
                    let store = self.clone();
                    let _ = tokio::spawn(async move {
                        store.write_group(group).await;
                        drop(turn);
                    })
                    .await;
                }
            }
        }
    }

    async fn article(&self, id: ArticleId) -> Result<Option<Article>, StoreError> {
        let sql = format!("{SELECT_ARTICLE} WHERE a.id = ?1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db("reading an article"))?;
        row.as_ref().map(to_article).transpose()
    }

    async fn article_by_url(&self, url_or_guid: &str) -> Result<Option<Article>, StoreError> {
        let sql = format!("{SELECT_ARTICLE} WHERE a.url = ?1 UNION ALL {SELECT_ARTICLE} WHERE a.guid = ?1 LIMIT 1");
        let row = sqlx::query(&sql)
            .bind(url_or_guid)
            .fetch_optional(&self.pool)
            .await
            .map_err(db("reading an article"))?;
        row.as_ref().map(to_article).transpose()
    }

    async fn list_articles(&self, query: &ArticleQuery) -> Result<ArticlePage, StoreError> {
        let mut qb = QueryBuilder::new(SELECT_ARTICLE);
        qb.push(" WHERE 1 = 1");
        if let Some(source) = &query.source {
            qb.push(" AND s.name = ").push_bind(source);
        }
        if let Some(since) = &query.since {
            qb.push(" AND a.published_at >= ")
                .push_bind(since.timestamp_micros());
        }
        if let Some(until) = &query.until {
            qb.push(" AND a.published_at < ")
                .push_bind(until.timestamp_micros());
        }
        if let Some(c) = &query.cursor {
            qb.push(" AND (a.published_at, a.id) < (")
                .push_bind(c.published_micros)
                .push(", ")
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
        let sql = format!("{SELECT_ARTICLE} WHERE a.seq > ?1 ORDER BY a.seq LIMIT ?2");
        let rows = sqlx::query(&sql)
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db("following changes"))?;
        rows.iter().map(to_article).collect()
    }

    async fn close(&self) {
        // Fold what the background task has not yet folded into the
        // database file and empty the log, so a closed store is one file.
        let _turn = self.writer.lock().await;
        // Only one checkpoint runs at a time, and SQLite answers "busy" at
        // once (no busy handler) when the background task's is running; it
        // reports that in the result row, not as an error. Try again until
        // the log is folded in, for about two seconds at most.
        for _ in 0..200 {
            match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.pool)
                .await
            {
                Ok((0, _, _)) => break,
                Ok(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                Err(e) => {
                    tracing::debug!(error = %e, "closing checkpoint");
                    break;
                }
            }
        }
        self.pool.close().await;
    }

    async fn save_pages(&self, pages: &[StoredPage]) -> Result<(), StoreError> {
        let _turn = self.writer.lock().await;
        if pages.is_empty() {
            return Ok(());
        }
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db("starting a write"))?;
        for page in pages {
            sqlx::query(
                "INSERT INTO article_pages (article_id, url, html, extractor_version, fetched_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (article_id) DO UPDATE SET \
                 url = excluded.url, html = excluded.html, \
                 extractor_version = excluded.extractor_version, fetched_at = excluded.fetched_at",
            )
            .bind(page.article_id.0)
            .bind(&page.url)
            .bind(&page.html)
            .bind(&page.extractor_version)
            .bind(page.fetched_at.timestamp_micros())
            .execute(&mut *tx)
            .await
            .map_err(db("saving a page"))?;
        }
        tx.commit().await.map_err(db("saving pages"))
    }

    async fn pages(&self, query: &PageQuery) -> Result<Vec<StoredPage>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.article_id, p.url, p.html, p.extractor_version, p.fetched_at AS fetched_at_us \
             FROM article_pages p JOIN articles a ON a.id = p.article_id \
             WHERE p.article_id > ?1 AND (?2 IS NULL OR a.source_id = ?2) \
             ORDER BY p.article_id LIMIT ?3",
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
            let sql = format!("SELECT published_at, published_offset FROM articles ORDER BY published_at {order}, id {order} LIMIT 1");
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
        let file_len = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        let db_bytes = file_len(self.path.clone()) + file_len(PathBuf::from(wal));
        Ok(StoreStats {
            articles: articles.max(0) as u64,
            sources,
            first: ends[0],
            last: ends[1],
            db_bytes,
            last_seq,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use huiwen_core::{SanitizedHtml, SourceDraft};
    use huiwen_store::suite::draft;
    use huiwen_store::Change;
    use sqlx::Connection as _;

    /// Batches that find the writer busy are written as one group: each gets
    /// its own outcome, a failing batch is undone alone (its savepoint), and
    /// sequence numbers stay unique and gap-free.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn batches_waiting_for_the_writer_are_written_together() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(&dir.path().join("huiwen.db"), &SqliteOptions::default())
            .await
            .expect("open");
        let src = store
            .ensure_source(&SourceDraft::import("财联社"))
            .await
            .expect("source")
            .id;
        let at = DateTime::parse_from_rfc3339("2026-05-14T08:00:00+08:00").expect("time");
        // Hold the writer's turn until every batch is waiting, so they are
        // certainly written as one group.
        let turn = store.writer.clone().lock_owned().await;
        let mut tasks = Vec::new();
        for b in 0..6 {
            let store = store.clone();
            // Batch 3 names a source that does not exist: its insert fails
            // the foreign key, inside the group's transaction.
            let source = if b == 3 { SourceId(999) } else { src };
            let batch: Vec<_> = (0..20)
                .map(|i| draft(source, &format!("g{b}:{i}"), &format!("标题 {b} {i}"), at))
                .collect();
            tasks.push(tokio::spawn(
                async move { store.upsert_articles(&batch).await },
            ));
        }
        while store.lock_waiting().len() < 6 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        drop(turn);
        for (b, task) in tasks.into_iter().enumerate() {
            let result = task.await.expect("writer task");
            if b == 3 {
                assert!(result.is_err(), "the batch with an unknown source fails");
                continue;
            }
            let outcomes = result.expect("the other batches are written");
            assert_eq!(outcomes.len(), 20);
            for (i, o) in outcomes.iter().enumerate() {
                assert_eq!(o.change, Change::Inserted);
                let stored = store.article(o.id).await.expect("read").expect("stored");
                assert_eq!(
                    stored.guid,
                    format!("g{b}:{i}"),
                    "each caller gets its own ids"
                );
                assert_eq!(stored.seq, o.seq);
            }
        }
        assert!(store.lock_waiting().is_empty());
        let followed = store.changes_since(0, 1000).await.expect("follow");
        let seqs: Vec<i64> = followed.iter().map(|a| a.seq).collect();
        assert_eq!(
            seqs,
            (1..=100).collect::<Vec<i64>>(),
            "no gap where batch 3 was undone"
        );
        assert!(followed.iter().all(|a| !a.guid.starts_with("g3:")));
        store.close().await;
    }

    /// Migrations run with foreign keys off; the connection they ran on
    /// goes back to the pool with them on again. With one connection, every
    /// later write goes through it.
    #[tokio::test]
    async fn foreign_keys_are_on_again_after_migrating() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = SqliteOptions {
            max_connections: 1,
            ..SqliteOptions::default()
        };
        let store = SqliteStore::open(&dir.path().join("huiwen.db"), &options)
            .await
            .expect("open");
        let orphan = StoredPage {
            article_id: ArticleId(42),
            url: "https://example.com/42".to_string(),
            html: "<p>无主页面</p>".to_string(),
            extractor_version: "v".to_string(),
            fetched_at: Utc::now(),
        };
        let refused = store.save_pages(&[orphan]).await;
        assert!(refused.is_err(), "a page of a missing article was stored");
        store.close().await;
    }

    /// A store of version 3, where every article's text sits beside its
    /// HTML, is rebuilt by 0004 with its rows, its change sequence and the
    /// pages that refer to its articles; foreign keys and the new check hold
    /// afterwards.
    #[tokio::test]
    async fn migrating_a_store_of_version_3_keeps_articles_and_pages() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("huiwen.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let mut conn = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("connect");
        sqlx::raw_sql(
            "CREATE TABLE huiwen_migrations (version INTEGER PRIMARY KEY, \
             description TEXT NOT NULL, applied_at INTEGER NOT NULL)",
        )
        .execute(&mut conn)
        .await
        .expect("migrations table");
        for &(version, description, sql) in &MIGRATIONS[..3] {
            sqlx::raw_sql(sql)
                .execute(&mut conn)
                .await
                .expect("old migration");
            sqlx::query("INSERT INTO huiwen_migrations VALUES (?1, ?2, 0)")
                .bind(version)
                .bind(description)
                .execute(&mut conn)
                .await
                .expect("record");
        }
        sqlx::raw_sql(
            "INSERT INTO sources (id, name, kind, created_at) VALUES (1, '旧来源', 'import', 0); \
             INSERT INTO articles (id, source_id, guid, url, title, published_at, published_offset, fetched_at, \
             updated_at, body_html, body_text, summary, lang, content_hash, seq) VALUES \
             (1, 1, 'old:1', 'https://old.example.com/1', '旧文一', 0, 28800, 0, 0, \
              '<p>正文<b>加粗</b></p>', '正文加粗', '', 'zh', 'h1', 7), \
             (2, 1, 'old:2', NULL, '旧文二', 0, 28800, 0, 0, NULL, '只有文字', '', 'zh', 'h2', 8); \
             INSERT INTO articles (id, source_id, guid, title, published_at, published_offset, fetched_at, \
             updated_at, body_html, body_text, summary, lang, content_hash, seq) \
             WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 399) \
             SELECT i, 1, 'bulk:' || i, '填充' || i, 0, 28800, 0, 0, NULL, \
             printf('%.3000c', '字'), '', 'zh', 'h' || i, i FROM n; \
             UPDATE counters SET value = 399 WHERE name = 'article_seq'; \
             INSERT INTO article_pages (article_id, url, html, extractor_version, fetched_at) \
             VALUES (1, 'https://old.example.com/1', '<html></html>', 'huiwen-extract/2', 0);",
        )
        .execute(&mut conn)
        .await
        .expect("rows of version 3");
        conn.close().await.expect("close");

        let store = SqliteStore::open(&path, &SqliteOptions::default())
            .await
            .expect("migrate to the current version");
        // The rebuild freed the old table's pages (most of the file); the
        // upgrade gave them back.
        let (free, pages): (i64, i64) = sqlx::query_as(
            "SELECT f.freelist_count, p.page_count FROM pragma_freelist_count AS f, pragma_page_count AS p",
        )
        .fetch_one(&store.pool)
        .await
        .expect("page counts");
        assert!(
            free * 10 < pages,
            "{free} of {pages} pages free after migrating"
        );
        let old = store.changes_since(0, 2).await.expect("follow");
        let read: Vec<(&str, &str, &str, i64)> = old
            .iter()
            .map(|a| {
                (
                    a.guid.as_str(),
                    a.body_html.as_str(),
                    a.text.as_str(),
                    a.seq,
                )
            })
            .collect();
        assert_eq!(
            read,
            vec![
                ("old:1", "<p>正文<b>加粗</b></p>", "正文加粗", 7),
                ("old:2", "<p>只有文字</p>", "只有文字", 8)
            ]
        );
        let pages = store
            .pages(&PageQuery {
                source: None,
                after: None,
                limit: 10,
            })
            .await
            .expect("pages");
        assert_eq!(pages.len(), 1, "the page of article 1 survived the rebuild");

        // New rows keep one form where the other is a reading of it.
        let mut new = draft(
            SourceId(1),
            "new:1",
            "新文",
            chrono::Utc::now().fixed_offset(),
        );
        new.body_html = SanitizedHtml::sanitize(
            "<p>第一段</p><p>第二段 <a href=\"https://x.example.com/\">链接</a></p>",
        );
        new.text = new.body_html.to_text();
        let out = store.upsert_articles(&[new.clone()]).await.expect("write");
        assert_eq!(out[0].seq, 400);
        let back = store
            .article(out[0].id)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!((back.body_html, back.text), (new.body_html, new.text));
        store.close().await;

        let mut conn = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("connect");
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&mut conn)
            .await
            .expect("pragma");
        let stored: (Option<String>, Option<String>) =
            sqlx::query_as("SELECT body_html, body_text FROM articles WHERE guid = 'new:1'")
                .fetch_one(&mut conn)
                .await
                .expect("row");
        assert!(stored.0.is_some() && stored.1.is_none(), "{stored:?}");
        let orphan_page = sqlx::query(
            "INSERT INTO article_pages (article_id, url, html, extractor_version, fetched_at) \
             VALUES (999, 'u', 'h', 'v', 0)",
        )
        .execute(&mut conn)
        .await;
        assert!(
            orphan_page.is_err(),
            "article_pages still refers to articles"
        );
        let no_body = sqlx::query(
            "INSERT INTO articles (source_id, guid, title, published_at, published_offset, fetched_at, \
             updated_at, body_html, body_text, summary, lang, content_hash, seq) \
             VALUES (1, 'x', 'x', 0, 0, 0, 0, NULL, NULL, '', 'zh', 'h', 99)",
        )
        .execute(&mut conn)
        .await;
        assert!(no_body.is_err(), "an article without a body is refused");
    }
}
