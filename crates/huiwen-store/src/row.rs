//! The columns of a stored article, as both backends select them: ids and
//! instants as integers (microseconds since the epoch), lists as JSON text.
//! Each backend reads its row into [`ArticleColumns`]; turning that into an
//! [`Article`] happens here, once.

use huiwen_core::{time, Article, ArticleId, ContentHash, SanitizedHtml, SourceId};

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
    pub body_text: String,
    /// `NULL` when the body is the text's paragraphs (see `plan::RowJson`).
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
        let body_html = match self.body_html {
            Some(html) => SanitizedHtml::from_trusted_store(html),
            None => SanitizedHtml::from_plain_text(&self.body_text),
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
            text: self.body_text,
            body_html,
            lang: self.lang,
            content_hash: ContentHash(self.content_hash),
            seq: self.seq,
        })
    }
}
