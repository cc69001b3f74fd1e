//! Bulk import of JSON Lines files.
//!
//! One bad record never costs the others: every line is parsed and checked on
//! its own, and a rejected line is counted and explained in the
//! [`ImportSummary`]. A file that cannot be read at all (missing, or a gzip
//! stream cut short) is reported, and the other files still import; what was
//! read before the break is kept.
//!
//! The same article twice in one import (same guid or URL) keeps its first
//! version and rejects the others as duplicates. That is what makes importing
//! a file twice report "unchanged" for everything: a later copy in the same
//! file would otherwise overwrite the first on every run.
//!
//! Reading and parsing run on a blocking thread; the async side resolves
//! source names and writes batches of `batch_size` drafts, each batch one
//! store transaction.

mod reader;
mod records;

use huiwen_core::time::Zone;
use huiwen_core::{ArticleDraft, DraftLimits, SourceDraft, SourceId, SourceKind};
use huiwen_store::{Change, Store, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use records::{parse_record, ParsedRecord, RecordFormat};

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Drafts per store transaction.
    pub batch_size: usize,
    pub limits: DraftLimits,
    /// How many rejects a summary lists (its counts stay exact).
    pub max_rejects: usize,
    /// Zone for times without an offset.
    pub zone: Zone,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            batch_size: 1000,
            limits: DraftLimits::default(),
            max_rejects: 100,
            zone: Zone::default(),
        }
    }
}

/// One rejected record, or a whole file when `line` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    pub file: String,
    pub line: Option<u64>,
    pub reason: String,
}

/// What an import did. `imported + updated + unchanged + rejected` is the
/// number of records read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// The first `max_rejects` rejects, in the order met.
    pub rejects: Vec<Reject>,
}

/// Progress reports, for a progress bar. Called from the reading thread.
pub trait ImportProgress: Send + Sync {
    /// A file starts; `bytes` is its size on disk.
    fn file_started(&self, _path: &Path, _bytes: u64) {}
    /// `bytes` more of the file (as stored, compressed or not) were read,
    /// holding `records` more records.
    fn advanced(&self, _bytes: u64, _records: u64) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;
impl ImportProgress for NoProgress {}

/// A line read from a file, parsed or not.
#[derive(Debug)]
struct Line {
    number: u64,
    record: Result<ParsedRecord, String>,
}

/// What the reading thread sends: batches of lines, then how the file ended.
#[derive(Debug)]
enum FileEvent {
    Lines(Vec<Line>),
    Failed(String),
}

impl ImportSummary {
    fn reject(&mut self, max: usize, file: &str, line: Option<u64>, reason: impl Into<String>) {
        self.rejected += 1;
        if self.rejects.len() < max {
            self.rejects.push(Reject {
                file: file.to_string(),
                line,
                reason: reason.into(),
            });
        }
    }

    fn count(&mut self, change: Change) {
        match change {
            Change::Inserted => self.imported += 1,
            Change::Updated => self.updated += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }
}

/// The state of one import across its files.
struct Importer<'a> {
    store: &'a dyn Store,
    options: &'a ImportOptions,
    summary: ImportSummary,
    sources: HashMap<String, SourceId>,
    /// guid or URL → where it was first seen.
    seen: HashMap<String, (Arc<str>, u64)>,
}

/// Imports `files` into `store`. Never fails as a whole: everything that goes
/// wrong is in the summary.
pub async fn import_files(
    store: &dyn Store,
    files: &[PathBuf],
    options: &ImportOptions,
    progress: Arc<dyn ImportProgress>,
) -> ImportSummary {
    let mut importer = Importer {
        store,
        options,
        summary: ImportSummary::default(),
        sources: HashMap::new(),
        seen: HashMap::new(),
    };
    for path in files {
        importer.import_file(path, progress.clone()).await;
    }
    importer.summary
}

impl Importer<'_> {
    async fn import_file(&mut self, path: &Path, progress: Arc<dyn ImportProgress>) {
        let file: Arc<str> = Arc::from(path.display().to_string());
        let (tx, mut rx) = tokio::sync::mpsc::channel::<FileEvent>(4);
        let reader = {
            let path = path.to_path_buf();
            let options = self.options.clone();
            tokio::task::spawn_blocking(move || {
                reader::read_file(&path, &options, progress.as_ref(), &tx)
            })
        };
        while let Some(event) = rx.recv().await {
            match event {
                FileEvent::Lines(lines) => self.write_lines(&file, lines).await,
                FileEvent::Failed(reason) => {
                    self.summary
                        .reject(self.options.max_rejects, &file, None, reason)
                }
            }
        }
        if let Err(e) = reader.await {
            self.summary.reject(
                self.options.max_rejects,
                &file,
                None,
                format!("reading stopped: {e}"),
            );
        }
    }

    async fn write_lines(&mut self, file: &Arc<str>, lines: Vec<Line>) {
        let max = self.options.max_rejects;
        let mut numbers = Vec::with_capacity(lines.len());
        let mut drafts = Vec::with_capacity(lines.len());
        for line in lines {
            let record = match line.record {
                Ok(r) => r,
                Err(reason) => {
                    self.summary.reject(max, file, Some(line.number), reason);
                    continue;
                }
            };
            if let Some(reason) = self.duplicate(file, line.number, &record.draft) {
                self.summary.reject(max, file, Some(line.number), reason);
                continue;
            }
            match self.source_id(&record.source).await {
                Ok(id) => {
                    let mut draft = record.draft;
                    draft.source_id = id;
                    numbers.push(line.number);
                    drafts.push(draft);
                }
                Err(e) => self.summary.reject(max, file, Some(line.number), e.to_string()),
            }
        }
        self.write_batch(file, numbers, drafts).await;
    }

    /// Writes a batch (`numbers[i]` is the line of `drafts[i]`); when the
    /// store refuses it, finds the records at fault so that the others land.
    async fn write_batch(&mut self, file: &Arc<str>, mut numbers: Vec<u64>, mut drafts: Vec<ArticleDraft>) {
        let max = self.options.max_rejects;
        while !drafts.is_empty() {
            match self.store.upsert_articles(&drafts).await {
                Ok(outcomes) => {
                    outcomes.iter().for_each(|o| self.summary.count(o.change));
                    return;
                }
                Err(StoreError::InvalidDraft { index, error, .. }) if index < drafts.len() => {
                    drafts.remove(index);
                    self.summary.reject(max, file, Some(numbers.remove(index)), error.to_string());
                }
                Err(e) if drafts.len() > 1 => {
                    tracing::warn!(file = %file, error = %e, "batch refused; writing its records one by one");
                    for (number, draft) in numbers.into_iter().zip(drafts) {
                        Box::pin(self.write_batch(file, vec![number], vec![draft])).await;
                    }
                    return;
                }
                Err(e) => {
                    drafts.clear();
                    self.summary.reject(max, file, numbers.first().copied(), e.to_string());
                }
            }
        }
    }

    fn duplicate(&mut self, file: &Arc<str>, line: u64, draft: &ArticleDraft) -> Option<String> {
        let keys = std::iter::once(("guid", draft.guid.as_str()))
            .chain(draft.url.as_deref().map(|u| ("URL", u)));
        for (what, key) in keys.clone() {
            if let Some((first_file, first_line)) = self.seen.get(key) {
                let place = if **first_file == **file {
                    format!("line {first_line}")
                } else {
                    format!("{first_file}:{first_line}")
                };
                return Some(format!(
                    "duplicate of {place} (same {what} {key}); the first one is kept"
                ));
            }
        }
        for (_, key) in keys {
            self.seen.insert(key.to_string(), (file.clone(), line));
        }
        None
    }

    async fn source_id(&mut self, name: &str) -> Result<SourceId, StoreError> {
        if let Some(id) = self.sources.get(name) {
            return Ok(*id);
        }
        let source = self
            .store
            .ensure_source(&SourceDraft {
                name: name.to_string(),
                url: None,
                kind: SourceKind::Import,
            })
            .await?;
        self.sources.insert(name.to_string(), source.id);
        Ok(source.id)
    }
}
