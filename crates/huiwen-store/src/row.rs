//! The columns of a stored article, as both backends select them: ids and
//! instants as integers (microseconds since the epoch), lists as JSON text.
//! Each backend reads its row into [`ArticleColumns`]; turning that into an
//! [`Article`] happens here, once.

use huiwen_core::{
    time, Article, ArticleId, ContentHash, FetchState, SanitizedHtml, Source, SourceId,
};

use crate::StoreError;

#[derive(Debug)]
pub struct ArticleColumns {
    pub id: i64,
    pub url: Option<String>,
    pub guid: String,
    pub source: String,
    pub source_id: i64,
    pub outlet: Option<String>,
    pub title: String,
    pub authors_json: String,
    pub published_at_us: i64,
    pub published_offset: i32,
    pub fetched_at_us: i64,
    pub updated_at_us: i64,
    pub summary: String,
    /// `NULL` when the text is what reading `body_html` gives (see
    /// `plan::StoredBody`).
    pub body_text: Option<String>,
    /// `NULL` when the body is the text's paragraphs.
    pub body_html: Option<String>,
    pub lang: String,
    pub images_json: String,
    pub tags_json: String,
    pub content_hash: String,
    pub seq: i64,
}

impl ArticleColumns {
    pub fn into_article(self) -> Result<Article, StoreError> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("article {} has an invalid {what}", self.id));
        let utc = |us: i64, what: &str| {
            chrono::DateTime::<chrono::Utc>::from_timestamp_micros(us).ok_or_else(|| corrupt(what))
        };
        let (body_html, text) = match (self.body_html, self.body_text) {
            (Some(html), Some(text)) => (SanitizedHtml::from_trusted_store(html), text),
            (Some(html), None) => {
                let html = SanitizedHtml::from_trusted_store(html);
                let text = html.to_text();
                (html, text)
            }
            (None, Some(text)) => (SanitizedHtml::from_plain_text(&text), text),
            (None, None) => return Err(corrupt("body (neither HTML nor text)")),
        };
        Ok(Article {
            id: ArticleId(self.id),
            published_at: time::from_micros(self.published_at_us, self.published_offset)
                .ok_or_else(|| corrupt("published_at"))?,
            fetched_at: utc(self.fetched_at_us, "fetched_at")?,
            updated_at: utc(self.updated_at_us, "updated_at")?,
            authors: serde_json::from_str(&self.authors_json).map_err(|_| corrupt("authors"))?,
            images: serde_json::from_str(&self.images_json).map_err(|_| corrupt("images"))?,
            tags: serde_json::from_str(&self.tags_json).map_err(|_| corrupt("tags"))?,
            outlet: self
                .outlet
                .filter(|o| !o.is_empty())
                .unwrap_or_else(|| self.source.clone()),
            url: self.url,
            guid: self.guid,
            source: self.source,
            source_id: SourceId(self.source_id),
            title: self.title,
            summary: self.summary,
            text,
            body_html,
            lang: self.lang,
            content_hash: ContentHash(self.content_hash),
            seq: self.seq,
        })
    }
}

/// The columns of a source, as both backends select them (instants in
/// microseconds since the epoch).
#[derive(Debug)]
pub struct SourceColumns {
    pub id: i64,
    pub name: String,
    pub url: Option<String>,
    pub kind: String,
    pub created_at_us: i64,
    pub every_secs: i64,
    pub zone: String,
    pub full_text: bool,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_fetch_at_us: Option<i64>,
    pub last_status: Option<i32>,
    pub consecutive_errors: i32,
    pub last_error: Option<String>,
    pub next_fetch_at_us: Option<i64>,
}

/// The column list for [`SourceColumns`] (for `SELECT` and `RETURNING`),
/// given the backend's expression for "column X in microseconds since the
/// epoch".
pub fn source_columns(micros: impl Fn(&str) -> String) -> String {
    format!(
        "id, name, url, kind, {} AS created_at_us, every_secs, zone, full_text, etag, last_modified, \
         {} AS last_fetch_at_us, last_status, consecutive_errors, last_error, {} AS next_fetch_at_us",
        micros("created_at"),
        micros("last_fetch_at"),
        micros("next_fetch_at")
    )
}

impl SourceColumns {
    pub fn into_source(self) -> Result<Source, StoreError> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("source {} has an invalid {what}", self.id));
        let utc = |us: i64| chrono::DateTime::<chrono::Utc>::from_timestamp_micros(us);
        Ok(Source {
            id: SourceId(self.id),
            kind: self.kind.parse().map_err(|_| corrupt("kind"))?,
            created_at: utc(self.created_at_us).ok_or_else(|| corrupt("created_at"))?,
            every_secs: u32::try_from(self.every_secs).map_err(|_| corrupt("interval"))?,
            zone: self.zone.parse().map_err(|_| corrupt("zone"))?,
            full_text: self.full_text,
            fetch: FetchState {
                last_fetch_at: self.last_fetch_at_us.and_then(utc),
                last_status: self.last_status.and_then(|s| u16::try_from(s).ok()),
                consecutive_errors: u32::try_from(self.consecutive_errors).unwrap_or(0),
                next_fetch_at: self.next_fetch_at_us.and_then(utc),
                etag: self.etag,
                last_modified: self.last_modified,
                last_error: self.last_error,
            },
            name: self.name,
            url: self.url,
        })
    }
}
