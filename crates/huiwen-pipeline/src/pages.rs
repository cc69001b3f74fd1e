//! The extraction stage inside ingest: article pages, list pages, full-text
//! feeds, and re-extraction of stored pages.
//!
//! Three ways a page reaches `huiwen-extract`:
//!
//! * a **page source** (`source add --kind page`): the page is fetched like a
//!   feed (conditional GET, robots.txt). An article page becomes one article;
//!   a list page (a channel or home page) has its article links not stored
//!   yet fetched and extracted, at most `ingest.follow_links` per fetch;
//! * a **full-text feed** (`source add --full-text`): every new entry that
//!   carried only a summary has its page fetched, and the extracted body
//!   replaces the summary (title, guid and date stay the feed's);
//! * **re-extraction** ([`reextract`]): every extracted article keeps the
//!   page it came from and the extractor version that read it
//!   ([`StoredPage`]), so a newer extractor can be run over them without
//!   fetching anything.

use chrono::{DateTime, Utc};
use huiwen_core::text::lead_summary;
use huiwen_core::time::Zone;
use huiwen_core::url::canonical_url;
use huiwen_core::{Article, ArticleDraft, DraftLimits, SourceId, SourceKind};
use huiwen_extract::{ExtractOptions, Extracted, PageType, EXTRACTOR_VERSION};
use huiwen_store::{Change, PageQuery, Store, StoreError, StoredPage};
use serde::Serialize;
use std::sync::Arc;

/// Characters of the text an extracted article's summary takes when the
/// page has no description of its own.
const SUMMARY_CHARS: usize = 120;

/// An article as the page says it, for a page source. `None` for a list
/// page or a page with no headline or body.
pub fn page_draft(
    extracted: &Extracted,
    source_id: SourceId,
    page_url: &str,
    fetched_at: DateTime<Utc>,
    zone: Zone,
) -> Option<ArticleDraft> {
    if extracted.page_type != PageType::Article
        || extracted.title.trim().is_empty()
        || extracted.text.trim().is_empty()
    {
        return None;
    }
    let url = extracted
        .canonical_url
        .as_deref()
        .and_then(|u| canonical_url(u).ok())
        .or_else(|| canonical_url(page_url).ok())?;
    let draft = ArticleDraft {
        source_id,
        guid: url.clone(),
        url: Some(url),
        outlet: extracted.outlet.clone(),
        title: extracted.title.clone(),
        authors: extracted.authors.clone(),
        published_at: extracted
            .published_at
            .unwrap_or_else(|| zone.convert(&fetched_at.fixed_offset())),
        undated: extracted.published_at.is_none(),
        fetched_at,
        body_html: extracted.html.clone(),
        text: extracted.text.clone(),
        summary: summary_of(extracted),
        lang: extracted.lang.clone(),
        images: extracted.images.clone(),
        tags: Vec::new(),
    };
    draft
        .check(&DraftLimits::default(), fetched_at)
        .is_ok()
        .then_some(draft)
}

/// A feed entry's draft with the article its page carries: body, text and
/// images from the page; title, identity, date and summary stay the feed's,
/// which are what the outlet announced. Authors, outlet and the publish
/// time from the page fill in what the feed left out. Unchanged when the
/// page has less text than the feed entry.
pub fn with_full_text(mut draft: ArticleDraft, extracted: &Extracted) -> ArticleDraft {
    if extracted.page_type != PageType::Article
        || extracted.text.chars().count() <= draft.text.chars().count()
    {
        return draft;
    }
    draft.body_html = extracted.html.clone();
    draft.text = extracted.text.clone();
    draft.images = extracted.images.clone();
    if draft.authors.is_empty() {
        draft.authors = extracted.authors.clone();
    }
    if draft.outlet.is_none() {
        draft.outlet = extracted.outlet.clone();
    }
    if draft.summary.is_empty() {
        draft.summary = summary_of(extracted);
    }
    if let (true, Some(published_at)) = (draft.undated, extracted.published_at) {
        draft.published_at = published_at;
        draft.undated = false;
    }
    draft
}

fn summary_of(extracted: &Extracted) -> String {
    extracted
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map_or_else(
            || lead_summary(&extracted.text, SUMMARY_CHARS),
            str::to_string,
        )
}

/// A stored article as a draft again, to write a re-extracted version.
fn stored_draft(article: &Article) -> ArticleDraft {
    ArticleDraft {
        source_id: article.source_id,
        guid: article.guid.clone(),
        url: article.url.clone(),
        outlet: (article.outlet != article.source).then(|| article.outlet.clone()),
        title: article.title.clone(),
        authors: article.authors.clone(),
        published_at: article.published_at,
        undated: false,
        fetched_at: article.fetched_at,
        body_html: article.body_html.clone(),
        text: article.text.clone(),
        summary: article.summary.clone(),
        lang: article.lang.clone(),
        images: article.images.clone(),
        tags: article.tags.clone(),
    }
}

/// Which stored pages `huiwen reextract` reads again.
#[derive(Debug, Clone, Default)]
pub struct ReextractOptions {
    /// Only this source's articles.
    pub source: Option<SourceId>,
    /// Also pages the current extractor already read (default: only those
    /// an older extractor read).
    pub all: bool,
    pub extract: ExtractOptions,
}

/// What `huiwen reextract` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReextractSummary {
    /// Stored pages looked at.
    pub pages: u64,
    /// Pages the current extractor had already read (skipped without `--all`).
    pub current: u64,
    /// Articles whose content changed.
    pub updated: u64,
    /// Read again, same content.
    pub unchanged: u64,
    /// Pages that no longer yield an article (now a list page, empty), with
    /// the article left as it was.
    pub failed: Vec<ReextractFailure>,
    pub extractor_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReextractFailure {
    pub article_id: i64,
    pub url: String,
    pub error: String,
}

/// How many stored pages are read and written per batch.
const REEXTRACT_BATCH: u32 = 100;

/// Runs the current extractor over stored pages and writes what changed.
/// `progress` is called with the number of pages done so far.
pub async fn reextract(
    store: &Arc<dyn Store>,
    options: &ReextractOptions,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<ReextractSummary, StoreError> {
    let mut summary = ReextractSummary {
        extractor_version: EXTRACTOR_VERSION.to_string(),
        ..Default::default()
    };
    // Whether an article came from a page source or a full-text feed
    // decides what the page may change; removed sources count as feeds
    // (their articles keep what was announced).
    let page_sources: std::collections::HashSet<SourceId> = store
        .sources()
        .await?
        .into_iter()
        .filter(|s| s.kind == SourceKind::Page)
        .map(|s| s.id)
        .collect();
    let mut after = None;
    loop {
        let pages = store
            .pages(&PageQuery {
                source: options.source,
                after,
                limit: REEXTRACT_BATCH,
            })
            .await?;
        let Some(last) = pages.last() else { break };
        after = Some(last.article_id);
        let mut drafts = Vec::new();
        let mut rewritten = Vec::new();
        for page in pages {
            summary.pages += 1;
            if page.extractor_version == EXTRACTOR_VERSION && !options.all {
                summary.current += 1;
                continue;
            }
            let Some(article) = store.article(page.article_id).await? else {
                continue;
            };
            let from_page_source = page_sources.contains(&article.source_id);
            match reextract_one(&article, &page, from_page_source, &options.extract) {
                Ok(draft) => {
                    drafts.push(draft);
                    rewritten.push(StoredPage {
                        extractor_version: EXTRACTOR_VERSION.to_string(),
                        ..page
                    });
                }
                Err(error) => summary.failed.push(ReextractFailure {
                    article_id: page.article_id.0,
                    url: page.url.clone(),
                    error,
                }),
            }
        }
        for outcome in store.upsert_articles(&drafts).await? {
            match outcome.change {
                Change::Unchanged => summary.unchanged += 1,
                Change::Updated | Change::Inserted => summary.updated += 1,
            }
        }
        store.save_pages(&rewritten).await?;
        progress(summary.pages);
    }
    Ok(summary)
}

fn reextract_one(
    article: &Article,
    page: &StoredPage,
    from_page_source: bool,
    options: &ExtractOptions,
) -> Result<ArticleDraft, String> {
    let url = url::Url::parse(&page.url).ok();
    let extracted =
        huiwen_extract::extract(&page.html, url.as_ref(), options).map_err(|e| e.to_string())?;
    if extracted.page_type != PageType::Article || extracted.text.trim().is_empty() {
        return Err("the page no longer yields an article".to_string());
    }
    let stored = stored_draft(article);
    // An article from a page source is the page's through and through; one
    // from a feed keeps what the feed said (see `with_full_text`).
    if from_page_source {
        if let Some(mut draft) = page_draft(
            &extracted,
            article.source_id,
            &page.url,
            article.fetched_at,
            options.zone,
        ) {
            // The identity it was stored under stays, and so does its date
            // when the page no longer shows one.
            if extracted.published_at.is_none() {
                draft.published_at = stored.published_at;
            }
            draft.guid = stored.guid;
            draft.url = stored.url;
            return Ok(draft);
        }
    }
    let mut feed_draft = stored;
    // Re-extraction must be able to make the text shorter too.
    feed_draft.text.clear();
    Ok(with_full_text(feed_draft, &extracted))
}
