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
//! Three stages run at once: reading and parsing on a blocking thread,
//! preparing batches (duplicates, source ids) on the calling task, and
//! writing them on a writer task, each batch of `batch_size` drafts one store
//! transaction.

mod reader;
mod records;

use huiwen_core::time::Zone;
use huiwen_core::{ArticleDraft, DraftLimits, SourceDraft, SourceId};
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

/// Rejects met by one part of the import, with their place for ordering.
#[derive(Debug, Default)]
struct RejectLog {
    total: u64,
    listed: Vec<((usize, u64), Reject)>,
}

impl RejectLog {
    fn add(&mut self, max: usize, file: &FileRef, line: Option<u64>, reason: impl Into<String>) {
        self.total += 1;
        if self.listed.len() < max {
            let place = (file.index, line.unwrap_or(u64::MAX));
            self.listed.push((
                place,
                Reject {
                    file: file.name.to_string(),
                    line,
                    reason: reason.into(),
                },
            ));
        }
    }
}

/// A file of the import: its position (for ordering rejects) and name.
#[derive(Debug, Clone)]
struct FileRef {
    index: usize,
    name: Arc<str>,
}

/// A batch ready for the store: `lines[i]` is the line of `drafts[i]`.
#[derive(Debug, Default)]
struct ReadyBatch {
    file: Option<FileRef>,
    lines: Vec<u64>,
    drafts: Vec<ArticleDraft>,
}

/// Turns parsed lines into drafts ready for the store: rejects, duplicates,
/// source names resolved to ids.
struct Preparer<'a> {
    store: &'a dyn Store,
    max_rejects: usize,
    rejects: RejectLog,
    sources: HashMap<String, SourceId>,
    /// guid or URL → where it was first seen.
    seen: HashMap<String, (FileRef, u64)>,
}

/// Writes ready batches and counts what they did.
struct Writer {
    store: Arc<dyn Store>,
    max_rejects: usize,
    rejects: RejectLog,
    counts: [u64; 3],
}

/// Imports `files` into `store`. Never fails as a whole: everything that goes
/// wrong is in the summary.
///
/// Three stages run at once: the reading thread parses ahead, this task
/// prepares batches (duplicates, source ids), and a writer task writes them,
/// so the store is never kept waiting for the CPU work around it.
pub async fn import_files(
    store: Arc<dyn Store>,
    files: &[PathBuf],
    options: &ImportOptions,
    progress: Arc<dyn ImportProgress>,
) -> ImportSummary {
    let max_rejects = options.max_rejects;
    let mut preparer = Preparer {
        store: store.as_ref(),
        max_rejects,
        rejects: RejectLog::default(),
        sources: HashMap::new(),
        seen: HashMap::new(),
    };
    let (to_writer, mut writer_inbox) = tokio::sync::mpsc::channel::<ReadyBatch>(2);
    let writer = tokio::spawn({
        let mut writer = Writer {
            store: store.clone(),
            max_rejects,
            rejects: RejectLog::default(),
            counts: [0; 3],
        };
        async move {
            while let Some(batch) = writer_inbox.recv().await {
                writer.write(batch).await;
            }
            writer
        }
    });
    for (index, path) in files.iter().enumerate() {
        let file = FileRef {
            index,
            name: Arc::from(path.display().to_string()),
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel::<FileEvent>(4);
        let reader = {
            let path = path.to_path_buf();
            let options = options.clone();
            let progress = progress.clone();
            tokio::task::spawn_blocking(move || {
                reader::read_file(&path, &options, progress.as_ref(), &tx)
            })
        };
        while let Some(event) = rx.recv().await {
            let batch = preparer.prepare(&file, event).await;
            if !batch.drafts.is_empty() && to_writer.send(batch).await.is_err() {
                break;
            }
        }
        if let Err(e) = reader.await {
            preparer
                .rejects
                .add(max_rejects, &file, None, format!("reading stopped: {e}"));
        }
    }
    drop(to_writer);
    let writer = match writer.await {
        Ok(w) => w,
        Err(e) => {
            preparer.rejects.add(
                max_rejects,
                &FileRef {
                    index: usize::MAX,
                    name: Arc::from(""),
                },
                None,
                format!("writer failed: {e}"),
            );
            Writer {
                store: store.clone(),
                max_rejects,
                rejects: RejectLog::default(),
                counts: [0; 3],
            }
        }
    };
    let mut listed: Vec<_> = preparer
        .rejects
        .listed
        .into_iter()
        .chain(writer.rejects.listed)
        .collect();
    listed.sort_by_key(|(place, _)| *place);
    listed.truncate(max_rejects);
    ImportSummary {
        imported: writer.counts[0],
        updated: writer.counts[1],
        unchanged: writer.counts[2],
        rejected: preparer.rejects.total + writer.rejects.total,
        rejects: listed.into_iter().map(|(_, r)| r).collect(),
    }
}

impl Preparer<'_> {
    async fn prepare(&mut self, file: &FileRef, event: FileEvent) -> ReadyBatch {
        let lines = match event {
            FileEvent::Lines(lines) => lines,
            FileEvent::Failed(reason) => {
                self.rejects.add(self.max_rejects, file, None, reason);
                return ReadyBatch::default();
            }
        };
        let mut ready = ReadyBatch {
            file: Some(file.clone()),
            lines: Vec::with_capacity(lines.len()),
            drafts: Vec::with_capacity(lines.len()),
        };
        for line in lines {
            let record = match line.record {
                Ok(r) => r,
                Err(reason) => {
                    self.rejects
                        .add(self.max_rejects, file, Some(line.number), reason);
                    continue;
                }
            };
            if let Some(reason) = self.duplicate(file, line.number, &record.draft) {
                self.rejects
                    .add(self.max_rejects, file, Some(line.number), reason);
                continue;
            }
            match self.source_id(&record.source).await {
                Ok(id) => {
                    let mut draft = record.draft;
                    draft.source_id = id;
                    ready.lines.push(line.number);
                    ready.drafts.push(draft);
                }
                Err(e) => {
                    self.rejects
                        .add(self.max_rejects, file, Some(line.number), e.to_string())
                }
            }
        }
        ready
    }

    fn duplicate(&mut self, file: &FileRef, line: u64, draft: &ArticleDraft) -> Option<String> {
        let keys = std::iter::once(("guid", draft.guid.as_str()))
            .chain(draft.url.as_deref().map(|u| ("URL", u)));
        for (what, key) in keys.clone() {
            if let Some((first_file, first_line)) = self.seen.get(key) {
                let place = if first_file.index == file.index {
                    format!("line {first_line}")
                } else {
                    format!("{}:{first_line}", first_file.name)
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
        let source = self.store.ensure_source(&SourceDraft::import(name)).await?;
        self.sources.insert(name.to_string(), source.id);
        Ok(source.id)
    }
}

impl Writer {
    /// Writes a batch; when the store refuses it, finds the records at fault
    /// so that the others still land.
    async fn write(&mut self, batch: ReadyBatch) {
        let ReadyBatch {
            file: Some(file),
            mut lines,
            mut drafts,
        } = batch
        else {
            return;
        };
        while !drafts.is_empty() {
            match self.store.upsert_articles(&drafts).await {
                Ok(outcomes) => {
                    for o in outcomes {
                        let slot = match o.change {
                            Change::Inserted => 0,
                            Change::Updated => 1,
                            Change::Unchanged => 2,
                        };
                        self.counts[slot] += 1;
                    }
                    return;
                }
                Err(StoreError::InvalidDraft { index, error, .. }) if index < drafts.len() => {
                    drafts.remove(index);
                    self.rejects.add(
                        self.max_rejects,
                        &file,
                        Some(lines.remove(index)),
                        error.to_string(),
                    );
                }
                Err(e) if drafts.len() > 1 => {
                    tracing::warn!(file = %file.name, error = %e, "batch refused; writing its records one by one");
                    for (line, draft) in lines.into_iter().zip(drafts) {
                        let one = ReadyBatch {
                            file: Some(file.clone()),
                            lines: vec![line],
                            drafts: vec![draft],
                        };
                        Box::pin(self.write(one)).await;
                    }
                    return;
                }
                Err(e) => {
                    drafts.clear();
                    self.rejects.add(
                        self.max_rejects,
                        &file,
                        lines.first().copied(),
                        e.to_string(),
                    );
                }
            }
        }
    }
}
