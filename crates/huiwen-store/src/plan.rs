//! Deciding what a batch does, without a database.
//!
//! Both backends look up the stored rows a batch touches, then hand them with
//! the batch to [`BatchPlan::new`], which applies the drafts one after another
//! in memory: match by guid, then by URL; same content and URL → unchanged;
//! otherwise insert or update. Keeping this here means the two backends
//! cannot disagree about what "the same article" or "changed" means.

use chrono::{DateTime, Utc};
use huiwen_core::{ArticleDraft, ArticleId, ContentHash, Image};
use serde::Serialize;
use std::collections::HashMap;

use crate::{Change, StoreError, UpsertOutcome};

/// The identity and version of a stored article, as the lookup returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingRow {
    pub id: ArticleId,
    pub guid: String,
    pub url: Option<String>,
    pub content_hash: ContentHash,
    pub seq: i64,
}

#[derive(Debug)]
struct Slot {
    id: Option<ArticleId>,
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
    /// `None` when the body is just the text's paragraphs
    /// (`SanitizedHtml::from_plain_text`): stored once, derived on read.
    pub body_html: Option<&'a str>,
    pub body_text: &'a str,
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

    /// The content hash of every draft, in batch order. Hashing reads every
    /// byte of every body, the costliest part of planning: backends compute
    /// this before their writer's turn, so other writers are not kept
    /// waiting by it.
    pub fn content_hashes(batch: &[ArticleDraft]) -> Vec<ContentHash> {
        batch.iter().map(ArticleDraft::content_hash).collect()
    }

    /// Plans `batch` against the stored rows it touches; `hashes` are
    /// [`BatchPlan::content_hashes`] of the same batch.
    pub fn new(
        batch: &[ArticleDraft],
        hashes: Vec<ContentHash>,
        existing: Vec<ExistingRow>,
    ) -> BatchPlan {
        debug_assert_eq!(batch.len(), hashes.len());
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
                guid: row.guid,
                url: row.url,
                hash: row.content_hash,
                draft: None,
                seq: row.seq,
            });
        }
        let mut outcomes = Vec::with_capacity(batch.len());
        for (i, (draft, hash)) in batch.iter().zip(hashes).enumerate() {
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
        BatchPlan { slots, outcomes }
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
            let Some(d) = slot.draft.map(|i| &batch[i]) else {
                continue;
            };
            let row = RowJson {
                id: slot.id.map(|id| id.0),
                source_id: d.source_id.0,
                guid: &slot.guid,
                url: slot.url.as_deref(),
                outlet: d.outlet.as_deref(),
                title: &d.title,
                authors: &d.authors,
                published_at_us: d.published_at.timestamp_micros(),
                published_offset: d.published_at.offset().local_minus_utc(),
                fetched_at_us: d.fetched_at.timestamp_micros(),
                updated_at_us: now_us,
                body_html: (!d.body_html.is_paragraphs_of(&d.text)).then(|| d.body_html.as_str()),
                body_text: &d.text,
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
