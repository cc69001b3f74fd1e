//! Sources, articles and listed items.

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::html::SanitizedHtml;
use crate::ids::{ArticleId, SourceId};
use crate::time::Zone;

/// How articles reach us from a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// An RSS, Atom or JSON Feed.
    Feed,
    /// An HTML page that is fetched and extracted.
    Page,
    /// Articles brought in by `huiwen import`.
    Import,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Page => "page",
            SourceKind::Import => "import",
        }
    }
}

impl std::str::FromStr for SourceKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "feed" => Ok(SourceKind::Feed),
            "page" => Ok(SourceKind::Page),
            "import" => Ok(SourceKind::Import),
            other => Err(format!(
                "unknown source kind {other:?} (feed, page or import)"
            )),
        }
    }
}

/// A source to create or find, by its unique `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDraft {
    pub name: String,
    pub url: Option<String>,
    pub kind: SourceKind,
    /// How often to fetch it, in seconds; 0 for sources that are not
    /// fetched (imports).
    pub every_secs: u32,
    /// The zone its times without an offset are in.
    pub zone: Zone,
    /// For a feed whose entries carry only a summary: fetch each entry's
    /// page and extract the whole article from it.
    pub full_text: bool,
}

impl SourceDraft {
    /// A collection of imported articles: no URL, never fetched.
    pub fn import(name: impl Into<String>) -> SourceDraft {
        SourceDraft {
            name: name.into(),
            url: None,
            kind: SourceKind::Import,
            every_secs: 0,
            zone: Zone::default(),
            full_text: false,
        }
    }
}

/// Where fetching a source stands: what the scheduler and `huiwen source
/// list` read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FetchState {
    /// Validators of the copy we have, for conditional GET.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_fetch_at: Option<DateTime<Utc>>,
    /// HTTP status of the last fetch (304 included); `None` when it failed
    /// before an answer.
    pub last_status: Option<u16>,
    pub consecutive_errors: u32,
    pub last_error: Option<String>,
    /// When it is due; `None`: due now.
    pub next_fetch_at: Option<DateTime<Utc>>,
}

/// What one fetch of a source found, for [`FetchState`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchReport {
    pub at: DateTime<Utc>,
    pub status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// `Some` when the fetch failed.
    pub error: Option<String>,
    pub next_fetch_at: DateTime<Utc>,
    /// The interval the scheduler settled on (adaptive).
    pub every_secs: u32,
}

/// A stored source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub id: SourceId,
    pub name: String,
    pub url: Option<String>,
    pub kind: SourceKind,
    pub created_at: DateTime<Utc>,
    pub every_secs: u32,
    pub zone: Zone,
    /// See [`SourceDraft::full_text`].
    pub full_text: bool,
    pub fetch: FetchState,
}

/// An image of an article, with its caption (empty when it has none).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Image {
    pub src: String,
    #[serde(default)]
    pub caption: String,
}

/// An entry of a list a page carries beside its article (相关内容, 热门资讯,
/// latest news): never part of the article body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedItem {
    pub title: String,
    pub url: Option<String>,
    pub snippet: String,
    pub published_at: Option<DateTime<FixedOffset>>,
    /// The list it was found in, as the page names it (e.g. `相关内容`).
    pub section: String,
}

/// An article as ingest produces it, before the store gives it an id.
///
/// Identity: `guid` is unique store-wide (ingest namespaces ids that are only
/// unique per outlet, e.g. `cls:2370637`); `url`, when known, is the canonical
/// URL and unique too. The store matches an incoming draft by guid first,
/// then by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDraft {
    pub source_id: SourceId,
    pub guid: String,
    pub url: Option<String>,
    /// The original publisher when it differs from the source (a repost).
    pub outlet: Option<String>,
    pub title: String,
    pub authors: Vec<String>,
    pub published_at: DateTime<FixedOffset>,
    /// The source gave no usable publish time (none, or one in the future),
    /// so `published_at` is the fetch time. Such a time is not content:
    /// fetching the entry again is no change, and a stored article keeps the
    /// time it was first seen rather than moving to the top of every
    /// newest-first list on each fetch.
    pub undated: bool,
    pub fetched_at: DateTime<Utc>,
    pub body_html: SanitizedHtml,
    pub text: String,
    pub summary: String,
    /// BCP 47 language tag (`zh`, `en`, `und`).
    pub lang: String,
    pub images: Vec<Image>,
    pub tags: Vec<String>,
}

/// A hash of everything a reader can see of an article. Two drafts with the
/// same hash are the same version: storing the second one changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContentHash(pub String);

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Bounds a draft must respect to be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftLimits {
    /// Largest body (HTML plus text) in bytes.
    pub max_body_bytes: usize,
}

impl Default for DraftLimits {
    fn default() -> Self {
        DraftLimits {
            max_body_bytes: 2 * 1024 * 1024,
        }
    }
}

/// Why a draft cannot be stored. The messages are shown to operators as they
/// are, so each says what was wrong and what the bound is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DraftError {
    #[error("no guid and no URL to identify the article")]
    NoIdentity,
    #[error("no title, and no lead to derive one from")]
    NoTitle,
    #[error("published_at {0} is before 1990: almost certainly a parsing error")]
    TooOld(String),
    #[error("published_at {0} is more than a day in the future")]
    InTheFuture(String),
    #[error("body is {size} bytes, over the limit of {limit} bytes (import.max_body_bytes)")]
    BodyTooLarge { size: usize, limit: usize },
}

impl ArticleDraft {
    /// Checks the invariants every stored article satisfies; `now` bounds
    /// publish times from above (a day of slack for clock skew).
    pub fn check(&self, limits: &DraftLimits, now: DateTime<Utc>) -> Result<(), DraftError> {
        if self.guid.trim().is_empty() {
            return Err(DraftError::NoIdentity);
        }
        if self.title.trim().is_empty() {
            return Err(DraftError::NoTitle);
        }
        if self.published_at.year() < 1990 {
            return Err(DraftError::TooOld(self.published_at.to_rfc3339()));
        }
        if self.published_at.with_timezone(&Utc) > now + chrono::Duration::days(1) {
            return Err(DraftError::InTheFuture(self.published_at.to_rfc3339()));
        }
        let size = self.body_html.as_str().len() + self.text.len();
        if size > limits.max_body_bytes {
            return Err(DraftError::BodyTooLarge {
                size,
                limit: limits.max_body_bytes,
            });
        }
        Ok(())
    }

    /// Hash of the reader-visible content. Identity (source, guid, URL) and
    /// `fetched_at` are left out: fetching the same version again, or finding
    /// it under another guid at the same URL, is "unchanged".
    pub fn content_hash(&self) -> ContentHash {
        // The fields go into one buffer and the hasher gets it in one call:
        // fed field by field, BLAKE3 compresses each 1 KiB chunk alone,
        // while a whole body at once lets it compress several chunks side by
        // side (SIMD). The bytes hashed, and so the hash, are the same.
        let mut bytes = Vec::with_capacity(
            256 + self.body_html.as_str().len() + self.text.len() + self.summary.len(),
        );
        let mut field = |field: &[u8]| {
            bytes.extend_from_slice(&(field.len() as u64).to_le_bytes());
            bytes.extend_from_slice(field);
        };
        field(self.outlet.as_deref().unwrap_or("").as_bytes());
        field(self.title.as_bytes());
        for a in &self.authors {
            field(a.as_bytes());
        }
        field(b"|");
        if self.undated {
            field(b"undated");
        } else {
            field(self.published_at.to_rfc3339().as_bytes());
        }
        field(self.body_html.as_str().as_bytes());
        field(self.text.as_bytes());
        field(self.summary.as_bytes());
        field(self.lang.as_bytes());
        for i in &self.images {
            field(i.src.as_bytes());
            field(i.caption.as_bytes());
        }
        field(b"|");
        for t in &self.tags {
            field(t.as_bytes());
        }
        ContentHash(blake3::hash(&bytes).to_hex()[..32].to_string())
    }
}

/// An article as stored. Its JSON form is the `ARTICLE` object of the CLI and
/// API: fields are added over time, never renamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub id: ArticleId,
    pub url: Option<String>,
    pub guid: String,
    /// The source's name (feed, page or imported collection).
    pub source: String,
    pub source_id: SourceId,
    /// The original publisher; the source's name when nobody else is named.
    pub outlet: String,
    pub title: String,
    pub authors: Vec<String>,
    pub published_at: DateTime<FixedOffset>,
    pub fetched_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub summary: String,
    pub text: String,
    #[serde(rename = "html")]
    pub body_html: SanitizedHtml,
    pub lang: String,
    pub images: Vec<Image>,
    pub tags: Vec<String>,
    pub content_hash: ContentHash,
    /// Store-wide change sequence number: every insert or update takes the
    /// next one, so followers (indexes, replicas) read `seq > last_seen`.
    pub seq: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ArticleDraft {
        ArticleDraft {
            source_id: SourceId(1),
            guid: "cls:1".into(),
            url: None,
            outlet: None,
            title: "标题".into(),
            authors: vec![],
            published_at: DateTime::parse_from_rfc3339("2026-05-14T00:08:23+08:00").expect("time"),
            undated: false,
            fetched_at: Utc::now(),
            body_html: SanitizedHtml::from_plain_text("正文"),
            text: "正文".into(),
            summary: String::new(),
            lang: "zh".into(),
            images: vec![],
            tags: vec![],
        }
    }

    #[test]
    fn hash_is_stable_across_versions() {
        // Stored rows keep their hash: if this changes, every stored article
        // looks changed to the next fetch and is rewritten.
        let mut a = draft();
        a.authors = vec!["陈思佳".into()];
        a.images = vec![Image {
            src: "https://example.com/a.jpg".into(),
            caption: "截图".into(),
        }];
        assert_eq!(a.content_hash().0, "4b33ecdf9d6cc44b48501493fe44f750");
    }

    #[test]
    fn an_undated_drafts_hash_leaves_its_stand_in_time_out() {
        let mut a = draft();
        a.undated = true;
        let mut b = a.clone();
        b.published_at = a.published_at + chrono::Duration::hours(5);
        assert_eq!(a.content_hash(), b.content_hash());
        let dated = draft();
        assert_ne!(a.content_hash(), dated.content_hash());
    }

    #[test]
    fn hash_ignores_fetch_time_but_not_content() {
        let a = draft();
        let mut b = a.clone();
        b.fetched_at = a.fetched_at + chrono::Duration::hours(3);
        assert_eq!(a.content_hash(), b.content_hash());
        b.title.push('!');
        assert_ne!(a.content_hash(), b.content_hash());
        let mut c = a.clone();
        c.tags = vec!["ab".into()];
        let mut d = a.clone();
        d.tags = vec!["a".into(), "b".into()];
        assert_ne!(
            c.content_hash(),
            d.content_hash(),
            "field boundaries are part of the hash"
        );
    }

    #[test]
    fn checks_explain_what_is_wrong() {
        let now = Utc::now();
        let limits = DraftLimits {
            max_body_bytes: 100,
        };
        assert_eq!(draft().check(&limits, now), Ok(()));
        let mut d = draft();
        d.title = "  ".into();
        assert_eq!(d.check(&limits, now), Err(DraftError::NoTitle));
        let mut d = draft();
        d.published_at = DateTime::parse_from_rfc3339("2099-01-01T00:00:00+08:00").expect("time");
        assert!(matches!(
            d.check(&limits, now),
            Err(DraftError::InTheFuture(_))
        ));
        let mut d = draft();
        d.published_at = DateTime::parse_from_rfc3339("1989-12-31T00:00:00+08:00").expect("time");
        assert!(matches!(d.check(&limits, now), Err(DraftError::TooOld(_))));
        let mut d = draft();
        d.text = "x".repeat(200);
        let err = d.check(&limits, now).expect_err("too large");
        assert!(err.to_string().contains("max_body_bytes"), "{err}");
    }
}
