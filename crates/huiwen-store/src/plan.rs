//! Deciding what a batch does, without a database.
//!
//! Both backends look up the stored rows a batch touches, then hand them with
//! the batch to [`BatchPlan::new`], which applies the drafts one after another
//! in memory: match by guid, then by URL; same content and URL → unchanged;
//! a copy carried by another source than the article's → unchanged;
//! otherwise insert or update (an undated draft's update keeps the stored
//! publish time, see [`ArticleDraft::undated`]). Keeping this here means the
//! two backends cannot disagree about what "the same article" or "changed"
//! means.
//!
//! **An article belongs to the source that brought it first.** Outlets
//! repost each other under the original's guid or link; when two sources
//! carry the same article in different versions (a prefixed title, another
//! summary), letting the last fetch win made the article flip between the
//! two on every round: an "update", a new change number and the article
//! moving between sources each time, with nothing new to read. Only the
//! owning source's fetches update it; a copy elsewhere is unchanged.

use chrono::{DateTime, Utc};
use huiwen_core::{ArticleDraft, ArticleId, ContentHash, Image, SourceId};
use serde::Serialize;
use std::collections::HashMap;

use crate::{Change, StoreError, UpsertOutcome};

/// The identity and version of a stored article, as the lookup returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingRow {
    pub id: ArticleId,
    pub source_id: SourceId,
    pub guid: String,
    pub url: Option<String>,
    pub content_hash: ContentHash,
    pub seq: i64,
    /// The stored publish time (microseconds, offset in seconds): an update
    /// from an undated draft keeps it.
    pub published_at_us: i64,
    pub published_offset: i32,
}

#[derive(Debug)]
struct Slot {
    id: Option<ArticleId>,
    /// The stored row's publish time, for rows that exist.
    stored_published: Option<(i64, i32)>,
    source_id: SourceId,
    guid: String,
    url: Option<String>,
    hash: ContentHash,
    /// The draft whose content this row gets; `None` for rows left alone.
    draft: Option<usize>,
    seq: i64,
}

/// What a batch will do, row by row.
#[derive(Debug)]
pub struct BatchPlan {
    slots: Vec<Slot>,
    outcomes: Vec<(usize, Change)>,
    /// Per draft, in batch order.
    bodies: Vec<StoredBody>,
}

/// Which of a body's two forms, the sanitized HTML and the text read from
/// it, a row keeps. The other one is derived when the row is read, so every
/// body is stored once where it can be: HTML that is only the text's
/// paragraphs ([`SanitizedHtml::from_plain_text`]) is left out, and so is a
/// text that is exactly what [`SanitizedHtml::to_text`] reads from the HTML,
/// which is every feed entry's. Keeping both doubled the bytes of every
/// article: the log, the compression and the wire carried each body twice.
///
/// [`SanitizedHtml::from_plain_text`]: huiwen_core::SanitizedHtml::from_plain_text
/// [`SanitizedHtml::to_text`]: huiwen_core::SanitizedHtml::to_text
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredBody {
    /// The text; the HTML is its paragraphs.
    TextOnly,
    /// The HTML; the text is read from it.
    HtmlOnly,
    /// Both: the text is not a reading of the HTML (an extractor's own text).
    Both,
}

impl StoredBody {
    /// How `draft`'s body is stored. Reads the whole body: computed with the
    /// content hash, before a writer's turn.
    pub fn of(draft: &ArticleDraft) -> StoredBody {
        if draft.body_html.is_paragraphs_of(&draft.text) {
            StoredBody::TextOnly
        } else if draft.body_html.reads_as(&draft.text) {
            StoredBody::HtmlOnly
        } else {
            StoredBody::Both
        }
    }
}

/// What planning needs to know of a draft that takes reading its whole
/// body: its content hash and how its body is stored. Backends prepare a
/// batch ([`BatchPlan::prepare`]) before their writer's turn, so other
/// writers are not kept waiting by it.
#[derive(Debug, Clone)]
pub struct PreparedDraft {
    hash: ContentHash,
    body: StoredBody,
}

/// One row to insert or update. SQLite binds inserts row by row into
/// multi-row statements and reads updates as JSON (`json_each`); PostgreSQL
/// binds each column as one array (`UNNEST`).
#[derive(Debug, Serialize)]
pub struct RowJson<'a> {
    pub id: Option<i64>,
    pub source_id: i64,
    pub guid: &'a str,
    pub url: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub title: &'a str,
    pub authors: &'a [String],
    pub published_at_us: i64,
    pub published_offset: i32,
    pub fetched_at_us: i64,
    pub updated_at_us: i64,
    /// `None` when the body is just the text's paragraphs (see
    /// [`StoredBody`]): derived on read.
    pub body_html: Option<&'a str>,
    /// `None` when the text is what reading `body_html` gives: derived on
    /// read.
    pub body_text: Option<&'a str>,
    pub summary: &'a str,
    pub lang: &'a str,
    pub content_hash: &'a str,
    pub images: &'a [Image],
    pub tags: &'a [String],
    pub seq: i64,
}

impl BatchPlan {
    /// The guids a batch needs looked up.
    pub fn lookup_guids(batch: &[ArticleDraft]) -> Vec<&str> {
        batch.iter().map(|d| d.guid.as_str()).collect()
    }

    /// The URLs a batch needs looked up.
    pub fn lookup_urls(batch: &[ArticleDraft]) -> Vec<&str> {
        batch.iter().filter_map(|d| d.url.as_deref()).collect()
    }

    /// Every draft of the batch prepared for planning, in batch order.
    /// Reading every byte of every body is the costliest part of planning.
    pub fn prepare(batch: &[ArticleDraft]) -> Vec<PreparedDraft> {
        batch
            .iter()
            .map(|d| PreparedDraft {
                hash: d.content_hash(),
                body: StoredBody::of(d),
            })
            .collect()
    }

    /// Plans `batch` against the stored rows it touches; `prepared` is
    /// [`BatchPlan::prepare`] of the same batch.
    pub fn new(
        batch: &[ArticleDraft],
        prepared: Vec<PreparedDraft>,
        existing: Vec<ExistingRow>,
    ) -> BatchPlan {
        debug_assert_eq!(batch.len(), prepared.len());
        let bodies = prepared.iter().map(|p| p.body).collect();
        let mut slots = Vec::with_capacity(existing.len() + batch.len());
        let mut by_guid: HashMap<String, usize> = HashMap::with_capacity(slots.capacity());
        let mut by_url: HashMap<String, usize> = HashMap::with_capacity(slots.capacity());
        for row in existing {
            let index = slots.len();
            by_guid.insert(row.guid.clone(), index);
            if let Some(url) = &row.url {
                by_url.insert(url.clone(), index);
            }
            slots.push(Slot {
                id: Some(row.id),
                stored_published: Some((row.published_at_us, row.published_offset)),
                source_id: row.source_id,
                guid: row.guid,
                url: row.url,
                hash: row.content_hash,
                draft: None,
                seq: row.seq,
            });
        }
        let mut outcomes = Vec::with_capacity(batch.len());
        for (i, (draft, hash)) in batch
            .iter()
            .zip(prepared.into_iter().map(|p| p.hash))
            .enumerate()
        {
            let found = by_guid
                .get(&draft.guid)
                .or_else(|| draft.url.as_ref().and_then(|u| by_url.get(u)))
                .copied();
            let Some(index) = found else {
                let index = slots.len();
                by_guid.insert(draft.guid.clone(), index);
                if let Some(url) = &draft.url {
                    by_url.insert(url.clone(), index);
                }
                slots.push(Slot {
                    id: None,
                    stored_published: None,
                    source_id: draft.source_id,
                    guid: draft.guid.clone(),
                    url: draft.url.clone(),
                    hash,
                    draft: Some(i),
                    seq: 0,
                });
                outcomes.push((index, Change::Inserted));
                continue;
            };
            let slot = &mut slots[index];
            if slot.source_id != draft.source_id {
                outcomes.push((index, Change::Unchanged));
                continue;
            }
            // The URL the row has after this draft: the draft's, unless another
            // article already owns it (a URL names one article) or it has none.
            let url = match &draft.url {
                Some(u) if by_url.get(u).is_none_or(|&owner| owner == index) => Some(u.clone()),
                _ => slot.url.clone(),
            };
            if slot.hash == hash && url == slot.url {
                outcomes.push((index, Change::Unchanged));
                continue;
            }
            if url != slot.url {
                if let Some(u) = &url {
                    by_url.insert(u.clone(), index);
                }
                slot.url = url;
            }
            slot.hash = hash;
            slot.draft = Some(i);
            outcomes.push((index, Change::Updated));
        }
        BatchPlan {
            slots,
            outcomes,
            bodies,
        }
    }

    /// How many rows the batch inserts or updates: the number of change
    /// sequence numbers to take.
    pub fn changed_rows(&self) -> usize {
        self.slots.iter().filter(|s| s.draft.is_some()).count()
    }

    /// Gives the changed rows the sequence numbers `first_seq..` and returns
    /// them as rows to insert and rows to update.
    pub fn rows<'a>(
        &'a mut self,
        batch: &'a [ArticleDraft],
        first_seq: i64,
        now: DateTime<Utc>,
    ) -> (Vec<RowJson<'a>>, Vec<RowJson<'a>>) {
        for (seq, slot) in (first_seq..).zip(self.slots.iter_mut().filter(|s| s.draft.is_some())) {
            slot.seq = seq;
        }
        let (mut inserts, mut updates) = (Vec::new(), Vec::new());
        let now_us = now.timestamp_micros();
        for slot in &self.slots {
            let Some((d, body)) = slot.draft.map(|i| (&batch[i], self.bodies[i])) else {
                continue;
            };
            let (published_at_us, published_offset) = match slot.stored_published {
                Some(stored) if d.undated => stored,
                _ => (
                    d.published_at.timestamp_micros(),
                    d.published_at.offset().local_minus_utc(),
                ),
            };
            let row = RowJson {
                id: slot.id.map(|id| id.0),
                source_id: d.source_id.0,
                guid: &slot.guid,
                url: slot.url.as_deref(),
                outlet: d.outlet.as_deref(),
                title: &d.title,
                authors: &d.authors,
                published_at_us,
                published_offset,
                fetched_at_us: d.fetched_at.timestamp_micros(),
                updated_at_us: now_us,
                body_html: (body != StoredBody::TextOnly).then(|| d.body_html.as_str()),
                body_text: (body != StoredBody::HtmlOnly).then_some(d.text.as_str()),
                summary: &d.summary,
                lang: &d.lang,
                content_hash: &slot.hash.0,
                images: &d.images,
                tags: &d.tags,
                seq: slot.seq,
            };
            if slot.id.is_some() {
                updates.push(row);
            } else {
                inserts.push(row);
            }
        }
        (inserts, updates)
    }

    /// The outcome of every draft, once the inserted rows have ids
    /// (`inserted` maps an inserted guid to its new id).
    pub fn outcomes(
        &self,
        inserted: &HashMap<String, ArticleId>,
    ) -> Result<Vec<UpsertOutcome>, StoreError> {
        self.outcomes
            .iter()
            .map(|&(index, change)| {
                let slot = &self.slots[index];
                let id = match slot.id {
                    Some(id) => id,
                    None => *inserted.get(&slot.guid).ok_or_else(|| {
                        StoreError::Corrupt(format!("inserted row {} got no id", slot.guid))
                    })?,
                };
                Ok(UpsertOutcome {
                    id,
                    change,
                    seq: slot.seq,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use huiwen_core::SanitizedHtml;

    fn body(html: SanitizedHtml, text: &str) -> StoredBody {
        let at = chrono::DateTime::parse_from_rfc3339("2026-05-14T00:00:00+08:00").expect("t");
        let mut d = crate::suite::draft(huiwen_core::SourceId(1), "g", "标题", at);
        d.body_html = html;
        d.text = text.to_string();
        StoredBody::of(&d)
    }

    #[test]
    fn each_body_is_stored_in_the_form_the_other_is_derived_from() {
        let plain = SanitizedHtml::from_plain_text("第一段\n第二段");
        assert_eq!(body(plain, "第一段\n第二段"), StoredBody::TextOnly);

        let rich = SanitizedHtml::sanitize(
            "<p>第一段 <a href=\"https://e.com/\">链接</a></p><p>第二段</p>",
        );
        let reading = rich.to_text();
        assert_eq!(reading, "第一段 链接\n\n第二段");
        assert_eq!(body(rich.clone(), &reading), StoredBody::HtmlOnly);
        // An extractor's own text, or a reading one character off, is kept.
        assert_eq!(body(rich.clone(), "第一段"), StoredBody::Both);
        assert_eq!(body(rich, "第一段 链接\n\n第二段。"), StoredBody::Both);
    }
}
