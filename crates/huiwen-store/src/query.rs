//! Reading: list queries, cursors and statistics.

use chrono::{DateTime, FixedOffset, Utc};
use huiwen_core::{Article, ArticleId, SourceId};
use serde::Serialize;

use crate::StoreError;

/// A listing: newest first, optionally one source, a publish-time window, a
/// page size and the cursor of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleQuery {
    /// A source name.
    pub source: Option<String>,
    /// Published at or after.
    pub since: Option<DateTime<FixedOffset>>,
    /// Published before.
    pub until: Option<DateTime<FixedOffset>>,
    pub limit: u32,
    pub cursor: Option<Cursor>,
}

impl Default for ArticleQuery {
    fn default() -> Self {
        ArticleQuery {
            source: None,
            since: None,
            until: None,
            limit: 20,
            cursor: None,
        }
    }
}

/// Where the next page starts: after the article with this publish time and
/// id. Keyset, not offset, so pages stay right while articles arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub published_micros: i64,
    pub id: ArticleId,
}

impl Cursor {
    pub fn after(article: &Article) -> Cursor {
        Cursor {
            published_micros: article.published_at.timestamp_micros(),
            id: article.id,
        }
    }

    /// The opaque text form handed to clients.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.published_micros, self.id)
    }

    pub fn decode(s: &str) -> Result<Cursor, StoreError> {
        let bad = || {
            StoreError::InvalidArgument(format!(
                "invalid cursor {s:?}: pass the `next` value of a previous page"
            ))
        };
        let (micros, id) = s.split_once('.').ok_or_else(bad)?;
        Ok(Cursor {
            published_micros: micros.parse().map_err(|_| bad())?,
            id: ArticleId(id.parse().map_err(|_| bad())?),
        })
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticlePage {
    pub articles: Vec<Article>,
    /// The cursor of the next page; `None` on the last one.
    pub next: Option<String>,
}

impl ArticlePage {
    /// Builds a page from up to `limit + 1` rows: the extra row only says
    /// there is a next page.
    pub fn from_rows(mut rows: Vec<Article>, limit: u32) -> ArticlePage {
        let limit = limit as usize;
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|a| Cursor::after(a).encode())
        } else {
            None
        };
        ArticlePage {
            articles: rows,
            next,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceCount {
    pub name: String,
    pub articles: u64,
}

/// What `huiwen stats` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreStats {
    pub articles: u64,
    /// Sources with their article counts, most articles first.
    pub sources: Vec<SourceCount>,
    /// Oldest and newest publish time.
    pub first: Option<DateTime<FixedOffset>>,
    pub last: Option<DateTime<FixedOffset>>,
    /// Bytes the store occupies (file plus WAL for SQLite, tables and
    /// indexes for PostgreSQL).
    pub db_bytes: u64,
    /// The highest change sequence number handed out.
    pub last_seq: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = Cursor {
            published_micros: -5,
            id: ArticleId(42),
        };
        assert_eq!(Cursor::decode(&c.encode()).expect("decodes"), c);
        assert!(Cursor::decode("abc").is_err());
        assert!(Cursor::decode("1.x").is_err());
    }
}

/// The page an article was extracted from, kept so that a newer extractor
/// can read it again without fetching (`huiwen reextract`). `html` is the
/// page as fetched, decoded to UTF-8: untrusted, never shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPage {
    pub article_id: ArticleId,
    pub url: String,
    pub html: String,
    pub extractor_version: String,
    pub fetched_at: DateTime<Utc>,
}

/// Which stored pages to read: by article id, after `after`, optionally of
/// one source only.
#[derive(Debug, Clone, Default)]
pub struct PageQuery {
    pub source: Option<SourceId>,
    pub after: Option<ArticleId>,
    pub limit: u32,
}
