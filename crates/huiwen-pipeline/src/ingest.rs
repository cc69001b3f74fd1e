//! Fetching sources: claim the due ones, fetch, parse, store, record.
//!
//! A round claims due sources in small groups (a claim is time-limited, so
//! sources of a worker that dies come back by themselves), fetches up to
//! `concurrency` at once — the fetcher keeps each host's own limits — and
//! records every outcome on the source, which sets when it is due again:
//!
//! * new items: the interval halves (the source is busy: come back sooner);
//! * nothing new or 304: it grows by half (back off a quiet source);
//! * always within `[min_interval_secs, max_interval_secs]`, with ±10 %
//!   jitter so sources added together do not stay in lockstep;
//! * an error: retried after `min_interval · 2^errors` (capped), the interval
//!   itself unchanged, the error kept on the source for `source list`.

use chrono::{DateTime, Utc};
use futures::StreamExt;
use huiwen_core::config::IngestConfig;
use huiwen_core::url::canonical_url;
use huiwen_core::{ArticleDraft, ArticleId, DraftLimits, FetchReport, Source, SourceKind};
use huiwen_extract::{ExtractOptions, Extracted, PageType, EXTRACTOR_VERSION};
use huiwen_feed::{entry_to_draft, parse_feed, FeedOptions};
use huiwen_fetch::{FetchError, FetchKind, FetchOutcome, FetchRequest, FetchedBody, Fetcher};
use huiwen_store::{Change, Store, StoredPage, UpsertOutcome};

use crate::pages::{page_draft, with_full_text};
use serde::Serialize;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::Duration;

/// What one source's fetch came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceOutcome {
    NotModified,
    Fetched { new_items: u64, updated_items: u64 },
    Failed(String),
}

/// Progress of a round, for a progress bar.
pub trait RoundProgress: Send + Sync {
    fn claimed(&self, _sources: usize) {}
    fn finished(&self, _source: &Source, _outcome: &SourceOutcome) {}
}

#[derive(Debug, Clone, Copy, Default)]
pub struct NoRoundProgress;
impl RoundProgress for NoRoundProgress {}

/// A failed source in a round summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceError {
    pub source: String,
    pub error: String,
}

/// What `huiwen fetch --once` prints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RoundSummary {
    /// Sources handled this round.
    pub sources: u64,
    /// Fetched with a body (200).
    pub fetched: u64,
    /// Answered 304.
    pub not_modified: u64,
    pub new_items: u64,
    pub updated_items: u64,
    pub errors: Vec<SourceError>,
    /// How long the round took, from the first claim to the last write.
    pub elapsed_ms: u64,
}

/// Fetches sources into a store.
#[derive(Debug, Clone)]
pub struct Ingester {
    store: Arc<dyn Store>,
    fetcher: Fetcher,
    options: IngestConfig,
    parse_slots: Arc<tokio::sync::Semaphore>,
}

impl Ingester {
    pub fn new(store: Arc<dyn Store>, fetcher: Fetcher, options: IngestConfig) -> Ingester {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Ingester {
            store,
            fetcher,
            options,
            parse_slots: Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }

    /// Fetches every source that is due now, once.
    pub async fn run_once(&self, progress: &dyn RoundProgress) -> RoundSummary {
        let mut summary = RoundSummary::default();
        let clock = std::time::Instant::now();
        // Due as of the round's start: a source fetched in this round is due
        // again only after it, however short its interval, so a round ends.
        let round_start = Utc::now();
        let concurrency = self.options.concurrency.max(1);
        let lease = Duration::from_secs(u64::from(self.options.claim_lease_secs.max(1)));
        // Sources are claimed a batch at a time, and the next batch is
        // claimed as soon as the fetches in flight leave room for it, not
        // when the whole batch is done: waiting for a batch's slowest feed
        // left the cores idle at every batch's end.
        let batches = futures::stream::unfold(false, move |failed| async move {
            if failed {
                return None;
            }
            let claimed = self
                .store
                .claim_due_sources(round_start, (concurrency * 2) as u32, lease)
                .await;
            match claimed {
                Ok(sources) if sources.is_empty() => None,
                Ok(sources) => Some((Ok(sources), false)),
                Err(e) => Some((Err(e), true)),
            }
        });
        let results = batches
            .map(|batch| {
                let items: Vec<Result<Source, huiwen_store::StoreError>> = match batch {
                    Ok(sources) => {
                        progress.claimed(sources.len());
                        sources.into_iter().map(Ok).collect()
                    }
                    Err(e) => vec![Err(e)],
                };
                futures::stream::iter(items)
            })
            .flatten()
            .map(|claimed| async move {
                let source = claimed?;
                // A task of its own, so the runtime's threads share the
                // sources' work (reading bodies, planning, binding rows);
                // polled inside this stream they all took turns on the one
                // thread that drives the round.
                let task = tokio::spawn({
                    let (ingester, source) = (self.clone(), source.clone());
                    async move { ingester.fetch_source(&source).await }
                });
                let outcome = task
                    .await
                    .unwrap_or_else(|e| SourceOutcome::Failed(format!("fetching stopped: {e}")));
                Ok::<_, huiwen_store::StoreError>((source, outcome))
            })
            .buffer_unordered(concurrency);
        let mut results = std::pin::pin!(results);
        while let Some(result) = results.next().await {
            let (source, outcome) = match result {
                Ok(done) => done,
                Err(e) => {
                    summary.errors.push(SourceError {
                        source: "(store)".into(),
                        error: e.to_string(),
                    });
                    continue;
                }
            };
            progress.finished(&source, &outcome);
            summary.sources += 1;
            match &outcome {
                SourceOutcome::NotModified => summary.not_modified += 1,
                SourceOutcome::Fetched {
                    new_items,
                    updated_items,
                } => {
                    summary.fetched += 1;
                    summary.new_items += new_items;
                    summary.updated_items += updated_items;
                }
                SourceOutcome::Failed(error) => summary.errors.push(SourceError {
                    source: source.url.clone().unwrap_or_else(|| source.name.clone()),
                    error: error.clone(),
                }),
            }
        }
        summary.elapsed_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
        summary
    }

    /// Rounds until `stop` resolves, waiting `idle_poll_secs` when nothing is due.
    pub async fn run_until(
        &self,
        stop: impl std::future::Future<Output = ()>,
        progress: &dyn RoundProgress,
    ) {
        tokio::pin!(stop);
        loop {
            let summary = self.run_once(progress).await;
            if summary.sources > 0 {
                tracing::info!(
                    sources = summary.sources,
                    new_items = summary.new_items,
                    not_modified = summary.not_modified,
                    errors = summary.errors.len(),
                    "fetch round done"
                );
            }
            let idle = Duration::from_secs(u64::from(self.options.idle_poll_secs.max(1)));
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(idle) => {}
            }
        }
    }

    /// Fetches one claimed source and records the outcome on it.
    pub async fn fetch_source(&self, source: &Source) -> SourceOutcome {
        let started = Utc::now();
        let Some(url) = source.url.clone() else {
            return self
                .record_failure(source, started, None, "source has no URL".into())
                .await;
        };
        let kind = if source.kind == SourceKind::Page {
            FetchKind::Page
        } else {
            FetchKind::Feed
        };
        let request = FetchRequest {
            url,
            kind,
            etag: source.fetch.etag.clone(),
            last_modified: source.fetch.last_modified.clone(),
        };
        let fetched = match self.fetcher.fetch(&request).await {
            Ok(FetchOutcome::NotModified { .. }) => {
                let every = self.backoff(source.every_secs);
                let report = FetchReport {
                    at: started,
                    status: Some(304),
                    etag: source.fetch.etag.clone(),
                    last_modified: source.fetch.last_modified.clone(),
                    error: None,
                    next_fetch_at: jittered(started, every, source),
                    every_secs: every,
                };
                return self
                    .record(source, report, SourceOutcome::NotModified)
                    .await;
            }
            Ok(FetchOutcome::Fetched(body)) => body,
            Err(e) => {
                let status = match &e {
                    FetchError::Status { status, .. } => Some(*status),
                    _ => None,
                };
                return self
                    .record_failure(source, started, status, e.to_string())
                    .await;
            }
        };
        if source.kind == SourceKind::Page {
            return self.ingest_page_source(source, started, fetched).await;
        }
        let options = FeedOptions {
            zone: source.zone,
            fetched_at: started,
            cst_means_china: self.options.cst_means_china,
        };
        // Parsing and sanitizing are the CPU-heavy part of a fetch: run them
        // on the blocking pool so several feeds use several cores, instead
        // of all of them taking turns on the task that drives the round.
        let (body, charset, final_url) = (
            fetched.body.clone(),
            fetched.charset.clone(),
            fetched.final_url.clone(),
        );
        let (source_id, source_name) = (source.id, source.name.clone());
        // As many parses at once as there are cores: more would only hold
        // more parsed feeds in memory at the same time.
        let Ok(core) = self.parse_slots.acquire().await else {
            let why = "shutting down".to_string();
            return self
                .record_failure(source, started, Some(fetched.status), why)
                .await;
        };
        let parsed = tokio::task::spawn_blocking(move || {
            let feed = parse_feed(&body, charset.as_deref(), &final_url, &options)?;
            for warning in &feed.warnings {
                tracing::debug!(source = %source_name, %warning, "feed warning");
            }
            let limits = DraftLimits::default();
            // Each draft, and whether its entry carried only a summary.
            let drafts: Vec<(ArticleDraft, bool)> = feed
                .entries
                .iter()
                .filter_map(|entry| match entry_to_draft(entry, source_id, &options) {
                    Ok(d) if d.check(&limits, started).is_ok() => {
                        Some((d, entry.content.is_none()))
                    }
                    Ok(_) | Err(_) => {
                        tracing::debug!(source = %source_name, guid = %entry.guid, "entry skipped");
                        None
                    }
                })
                .collect();
            Ok::<_, huiwen_feed::FeedError>(drafts)
        })
        .await;
        // The core is free for the next feed while this one waits for the
        // store's writer: held through the write, a feed queued behind
        // the writer kept a core idle.
        drop(core);
        let drafts = match parsed {
            Ok(Ok(drafts)) => drafts,
            Ok(Err(e)) => {
                return self
                    .record_failure(source, started, Some(fetched.status), e.to_string())
                    .await
            }
            Err(e) => {
                let why = format!("parsing stopped: {e}");
                return self
                    .record_failure(source, started, Some(fetched.status), why)
                    .await;
            }
        };
        let (drafts, summary_only): (Vec<ArticleDraft>, Vec<bool>) = drafts.into_iter().unzip();
        let outcomes = match self.store.upsert_articles(&drafts).await {
            Ok(o) => o,
            Err(e) => {
                return self
                    .record_failure(source, started, Some(fetched.status), e.to_string())
                    .await
            }
        };
        if source.full_text {
            // New entries first stand with their summary; their pages are
            // fetched and extracted now, and the article is updated.
            let wanted: Vec<(ArticleDraft, ArticleId)> = drafts
                .into_iter()
                .zip(summary_only)
                .zip(&outcomes)
                .filter(|((d, only), o)| *only && o.change == Change::Inserted && d.url.is_some())
                .map(|((d, _), o)| (d, o.id))
                .collect();
            self.fill_full_text(source, wanted).await;
        }
        let validators = (fetched.etag.clone(), fetched.last_modified.clone());
        self.record_success(source, started, fetched.status, validators, &outcomes)
            .await
    }

    /// A page source: one article, or a list page whose new article links
    /// are followed.
    async fn ingest_page_source(
        &self,
        source: &Source,
        started: DateTime<Utc>,
        fetched: FetchedBody,
    ) -> SourceOutcome {
        let status = fetched.status;
        let page = match self.extract_fetched(fetched, source).await {
            Ok(page) => page,
            Err(why) => {
                return self
                    .record_failure(source, started, Some(status), why)
                    .await
            }
        };
        let mut drafts = Vec::new();
        let mut pages = Vec::new();
        if let Some(draft) = page_draft(
            &page.extracted,
            source.id,
            page.url.as_str(),
            started,
            source.zone,
        ) {
            drafts.push(draft);
            pages.push(page.page);
        } else if page.extracted.page_type == PageType::List {
            let links = self.new_links(&page.extracted, &page.url).await;
            let followed = futures::stream::iter(links)
                .map(|link| async move { (self.fetch_page(&link, source).await, link) })
                .buffer_unordered(self.options.concurrency.clamp(1, 4))
                .collect::<Vec<_>>()
                .await;
            for (result, link) in followed {
                match result {
                    Ok(article) => {
                        let when = Utc::now();
                        match page_draft(
                            &article.extracted,
                            source.id,
                            article.url.as_str(),
                            when,
                            source.zone,
                        ) {
                            Some(draft) => {
                                drafts.push(draft);
                                pages.push(article.page);
                            }
                            None => tracing::debug!(%link, "linked page is not an article"),
                        }
                    }
                    Err(error) => tracing::debug!(%link, %error, "linked page not fetched"),
                }
            }
        } else {
            let why = "the page has no article to extract (no headline or no body)".to_string();
            return self
                .record_failure(source, started, Some(status), why)
                .await;
        }
        let outcomes = match self.store.upsert_articles(&drafts).await {
            Ok(o) => o,
            Err(e) => {
                return self
                    .record_failure(source, started, Some(status), e.to_string())
                    .await
            }
        };
        self.keep_pages(
            &outcomes.iter().map(|o| o.id).collect::<Vec<_>>(),
            pages,
            started,
        )
        .await;
        self.record_success(
            source,
            started,
            status,
            (page.etag, page.last_modified),
            &outcomes,
        )
        .await
    }

    /// Records a fetch that stored `outcomes`: the interval speeds up when
    /// something new came, backs off when not.
    async fn record_success(
        &self,
        source: &Source,
        started: DateTime<Utc>,
        status: u16,
        (etag, last_modified): (Option<String>, Option<String>),
        outcomes: &[UpsertOutcome],
    ) -> SourceOutcome {
        let count = |change| outcomes.iter().filter(|o| o.change == change).count() as u64;
        let (new_items, updated_items) = (count(Change::Inserted), count(Change::Updated));
        let every = if new_items > 0 {
            self.speed_up(source.every_secs)
        } else {
            self.backoff(source.every_secs)
        };
        let report = FetchReport {
            at: started,
            status: Some(status),
            etag,
            last_modified,
            error: None,
            next_fetch_at: jittered(started, every, source),
            every_secs: every,
        };
        let outcome = SourceOutcome::Fetched {
            new_items,
            updated_items,
        };
        self.record(source, report, outcome).await
    }

    /// The article links of a list page that are not stored yet, on the
    /// page's own site, at most `follow_links` of them.
    async fn new_links(&self, list: &Extracted, page_url: &url::Url) -> Vec<String> {
        let mut links: Vec<String> = Vec::new();
        for item in &list.listed_items {
            if links.len() >= self.options.follow_links {
                break;
            }
            let Some(href) = item.url.as_deref() else {
                continue;
            };
            let Ok(link) = page_url.join(href) else {
                continue;
            };
            if link.host_str() != page_url.host_str() {
                continue;
            }
            let Ok(link) = canonical_url(link.as_str()) else {
                continue;
            };
            if links.contains(&link) || link == page_url.as_str() {
                continue;
            }
            if let Ok(None) = self.store.article_by_url(&link).await {
                links.push(link);
            }
        }
        links
    }

    /// Full text for new summary-only entries of a full-text feed.
    async fn fill_full_text(&self, source: &Source, wanted: Vec<(ArticleDraft, ArticleId)>) {
        if wanted.is_empty() {
            return;
        }
        let concurrency = self.options.concurrency.clamp(1, 4);
        let filled = futures::stream::iter(wanted)
            .map(|(draft, id)| async move {
                let url = draft.url.clone().unwrap_or_default();
                match self.fetch_page(&url, source).await {
                    // A page too large for the store keeps the summary, and
                    // the rest of the batch is still written.
                    Ok(page) => Some((with_full_text(draft, &page.extracted), id, page.page))
                        .filter(|(d, _, _)| d.check(&DraftLimits::default(), Utc::now()).is_ok()),
                    Err(error) => {
                        tracing::debug!(%url, %error, "full text not fetched; the summary stays");
                        None
                    }
                }
            })
            .buffer_unordered(concurrency)
            .filter_map(|x| async move { x })
            .collect::<Vec<_>>()
            .await;
        let mut drafts = Vec::with_capacity(filled.len());
        let mut ids = Vec::with_capacity(filled.len());
        let mut pages = Vec::with_capacity(filled.len());
        for (draft, id, html) in filled {
            drafts.push(draft);
            ids.push(id);
            pages.push(html);
        }
        match self.store.upsert_articles(&drafts).await {
            Ok(_) => self.keep_pages(&ids, pages, Utc::now()).await,
            Err(e) => {
                tracing::warn!(source = %source.name, error = %e, "could not store full text")
            }
        }
    }

    /// Stores the pages extracted articles came from, for `huiwen reextract`.
    async fn keep_pages(&self, ids: &[ArticleId], pages: Vec<FetchedPage>, at: DateTime<Utc>) {
        let stored: Vec<StoredPage> = ids
            .iter()
            .zip(pages)
            .map(|(id, page)| StoredPage {
                article_id: *id,
                url: page.url,
                html: page.html,
                extractor_version: EXTRACTOR_VERSION.to_string(),
                fetched_at: at,
            })
            .collect();
        if let Err(e) = self.store.save_pages(&stored).await {
            tracing::warn!(error = %e, "could not keep the extracted pages");
        }
    }

    /// Fetches an article page (robots.txt applies) and extracts it.
    async fn fetch_page(&self, url: &str, source: &Source) -> Result<ExtractedPage, String> {
        let request = FetchRequest {
            url: url.to_string(),
            kind: FetchKind::Page,
            etag: None,
            last_modified: None,
        };
        match self.fetcher.fetch(&request).await {
            Ok(FetchOutcome::Fetched(body)) => self.extract_fetched(body, source).await,
            Ok(FetchOutcome::NotModified { .. }) => {
                Err("answered 304 to an unconditional GET".into())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Decodes and extracts a fetched page on the blocking pool, one per core.
    async fn extract_fetched(
        &self,
        fetched: FetchedBody,
        source: &Source,
    ) -> Result<ExtractedPage, String> {
        let Ok(_core) = self.parse_slots.acquire().await else {
            return Err("shutting down".into());
        };
        let options = ExtractOptions::default()
            .with_zone(source.zone)
            .with_cst_means_china(self.options.cst_means_china);
        tokio::task::spawn_blocking(move || {
            let html = fetched.decode().text;
            let extracted = huiwen_extract::extract(&html, Some(&fetched.final_url), &options)
                .map_err(|e| e.to_string())?;
            Ok(ExtractedPage {
                page: FetchedPage {
                    url: fetched.final_url.to_string(),
                    html,
                },
                url: fetched.final_url,
                etag: fetched.etag,
                last_modified: fetched.last_modified,
                extracted,
            })
        })
        .await
        .map_err(|e| format!("extraction stopped: {e}"))?
    }

    async fn record_failure(
        &self,
        source: &Source,
        at: DateTime<Utc>,
        status: Option<u16>,
        error: String,
    ) -> SourceOutcome {
        let errors = source.fetch.consecutive_errors.saturating_add(1).min(16);
        let delay = u64::from(self.options.min_interval_secs.max(1))
            .saturating_mul(1 << errors.min(10))
            .min(u64::from(self.options.max_interval_secs.max(1)));
        let report = FetchReport {
            at,
            status,
            etag: source.fetch.etag.clone(),
            last_modified: source.fetch.last_modified.clone(),
            error: Some(error.clone()),
            next_fetch_at: jittered(at, u32::try_from(delay).unwrap_or(u32::MAX), source),
            every_secs: source.every_secs,
        };
        self.record(source, report, SourceOutcome::Failed(error))
            .await
    }

    async fn record(
        &self,
        source: &Source,
        report: FetchReport,
        outcome: SourceOutcome,
    ) -> SourceOutcome {
        if let Err(e) = self.store.record_fetch(source.id, &report).await {
            // The claim lapses by itself; the source is fetched again then.
            tracing::warn!(source = %source.name, error = %e, "could not record a fetch");
            return SourceOutcome::Failed(format!(
                "{}; and recording it failed: {e}",
                describe(&outcome)
            ));
        }
        outcome
    }

    fn clamp(&self, secs: u64) -> u32 {
        let min = u64::from(self.options.min_interval_secs.max(1));
        let max = u64::from(
            self.options
                .max_interval_secs
                .max(self.options.min_interval_secs)
                .max(1),
        );
        u32::try_from(secs.clamp(min, max)).unwrap_or(u32::MAX)
    }

    fn speed_up(&self, every: u32) -> u32 {
        self.clamp(u64::from(every) / 2)
    }

    fn backoff(&self, every: u32) -> u32 {
        self.clamp(u64::from(every) + u64::from(every) / 2)
    }
}

fn describe(outcome: &SourceOutcome) -> String {
    match outcome {
        SourceOutcome::NotModified => "not modified".into(),
        SourceOutcome::Fetched { new_items, .. } => format!("fetched, {new_items} new"),
        SourceOutcome::Failed(e) => e.clone(),
    }
}

/// `at + secs`, give or take 10 %, different per source and per call.
fn jittered(at: DateTime<Utc>, secs: u32, source: &Source) -> DateTime<Utc> {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(source.id.0);
    h.write_i64(at.timestamp_nanos_opt().unwrap_or_default());
    let unit = (h.finish() % 2001) as f64 / 1000.0 - 1.0; // -1.0 ..= 1.0
    let millis = (f64::from(secs) * 1000.0 * (1.0 + 0.1 * unit)).max(0.0) as i64;
    at + chrono::Duration::milliseconds(millis)
}

/// A fetched page and what was extracted from it.
struct ExtractedPage {
    page: FetchedPage,
    url: url::Url,
    etag: Option<String>,
    last_modified: Option<String>,
    extracted: Extracted,
}

/// The page as fetched, decoded, kept for re-extraction.
struct FetchedPage {
    url: String,
    html: String,
}
