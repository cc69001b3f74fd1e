//! # huiwen-store — the storage contract
//!
//! Every stage reads and writes articles through the [`Store`] trait; the
//! backends live in their own crates (`huiwen-store-sqlite`, the embedded
//! default, and `huiwen-store-postgres`, for several ingest workers and web
//! replicas sharing one database), each with its own migrations. The layout
//! follows atuin: one trait crate, one crate per backend, and one story test
//! suite (`suite`, behind the `test-suite` feature) that every backend runs.
//!
//! ## The write path, and why it is shaped this way
//!
//! [`Store::upsert_articles`] takes a whole batch and writes it in **one
//! transaction**. Both backends do the same steps:
//!
//! 1. hash the drafts ([`plan::BatchPlan::prepare`]) before anything
//!    else, since that reads every byte of every body;
//! 2. look up the rows the batch already has, by guid and URL, in one query;
//! 3. decide per draft — insert, update or unchanged — with the shared,
//!    backend-free [`plan::BatchPlan`];
//! 4. write inserts and updates as two set-based statements, and take as many
//!    change sequence numbers as there are changed rows.
//!
//! The change sequence is safe to follow because the store's single writer
//! lock is held from the moment numbers are handed out to the commit: they
//! become visible in the order they were handed out, so a follower that has
//! read everything up to `seq = n` can never later find a row with a smaller
//! number. SQLite takes that lock first (`BEGIN IMMEDIATE`) and holds it for
//! the whole batch: one file has one writer anyway. PostgreSQL takes it last
//! (a row lock on the sequence counter), so writers store, compress and index
//! their articles side by side; the price is that a writer can plan on rows
//! another has just changed, which the database reports (unique violation,
//! or an update finding the row no longer as planned) and the batch is
//! planned again.

pub mod error;
pub mod plan;
pub mod query;
pub mod row;
#[cfg(feature = "test-suite")]
pub mod suite;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use huiwen_core::{Article, ArticleDraft, ArticleId, FetchReport, Source, SourceDraft, SourceId};

pub use error::StoreError;
pub use query::{
    ArticlePage, ArticleQuery, Cursor, PageQuery, SourceCount, StoreStats, StoredPage,
};

/// What writing one draft did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Inserted,
    Updated,
    Unchanged,
}

/// The result for one draft of a batch, in the batch's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpsertOutcome {
    pub id: ArticleId,
    pub change: Change,
    /// The row's change sequence number after the write.
    pub seq: i64,
}

/// Which backend a store is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The article store. Implementations are cheap to share (`Arc<dyn Store>`)
/// and safe to use from many tasks and processes at once.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    fn backend(&self) -> Backend;

    /// Finds the source called `draft.name`, creating it if needed.
    async fn ensure_source(&self, draft: &SourceDraft) -> Result<Source, StoreError>;

    /// Creates a source; [`StoreError::Conflict`] when its name or URL is
    /// taken. A removed source of that URL or name comes back with the
    /// draft's settings and its old articles.
    async fn add_source(&self, draft: &SourceDraft) -> Result<Source, StoreError>;

    /// Stops following a source. Its articles stay (they were published);
    /// the source disappears from listings and is never fetched again.
    /// `false` when there was no such (live) source.
    async fn remove_source(&self, id: SourceId) -> Result<bool, StoreError>;

    /// The live sources, by name.
    async fn sources(&self) -> Result<Vec<Source>, StoreError>;

    /// Takes up to `limit` fetchable sources that are due at `now` and not
    /// claimed by another worker, and claims them until `now + lease`.
    /// Workers sharing a store never get the same source while its claim
    /// lasts; [`Store::record_fetch`] releases it.
    async fn claim_due_sources(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease: std::time::Duration,
    ) -> Result<Vec<Source>, StoreError>;

    /// Records what a fetch found and releases the claim.
    async fn record_fetch(&self, id: SourceId, report: &FetchReport) -> Result<(), StoreError>;

    /// Writes a batch in one transaction: each draft is matched to a stored
    /// article by guid, then by URL, and inserted, updated or left unchanged.
    /// A batch is applied as if its drafts were written one after another
    /// (the same article twice: the second is an update or unchanged). Any
    /// error rolls the whole batch back.
    async fn upsert_articles(
        &self,
        batch: &[ArticleDraft],
    ) -> Result<Vec<UpsertOutcome>, StoreError>;

    async fn article(&self, id: ArticleId) -> Result<Option<Article>, StoreError>;

    /// Looks an article up by its canonical URL, or by its guid.
    async fn article_by_url(&self, url_or_guid: &str) -> Result<Option<Article>, StoreError>;

    /// Newest first, filtered, keyset-paginated.
    async fn list_articles(&self, query: &ArticleQuery) -> Result<ArticlePage, StoreError>;

    /// Articles whose change sequence number is above `after_seq`, in
    /// sequence order: how indexes and replicas follow the store.
    async fn changes_since(&self, after_seq: i64, limit: u32) -> Result<Vec<Article>, StoreError>;

    async fn stats(&self) -> Result<StoreStats, StoreError>;

    /// Keeps the page each article was extracted from: one per article, a
    /// later save replaces it. All or nothing.
    async fn save_pages(&self, pages: &[StoredPage]) -> Result<(), StoreError>;

    /// Stored pages in article id order, for re-extraction.
    async fn pages(&self, query: &PageQuery) -> Result<Vec<StoredPage>, StoreError>;

    /// Waits for connections to finish and closes them (SQLite folds its
    /// write-ahead log back into the database file on the last close).
    async fn close(&self) {}
}

/// The hard bounds every backend enforces on what it stores. Ingest applies
/// its own, usually tighter, configured limits before this.
pub const STORE_LIMITS: huiwen_core::DraftLimits = huiwen_core::DraftLimits {
    max_body_bytes: 16 * 1024 * 1024,
};

/// Checks every draft of a batch before a backend opens a transaction.
pub fn check_batch(batch: &[ArticleDraft]) -> Result<(), StoreError> {
    let now = chrono::Utc::now();
    for (index, draft) in batch.iter().enumerate() {
        draft
            .check(&STORE_LIMITS, now)
            .map_err(|error| StoreError::InvalidDraft {
                index,
                guid: draft.guid.clone(),
                error,
            })?;
    }
    Ok(())
}
