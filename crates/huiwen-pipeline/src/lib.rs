//! # huiwen-pipeline — moving articles through the stages
//!
//! This crate wires the stages together:
//!
//! * [`import`]: JSON Lines files, plain or gzipped, in huiwen's own article
//!   format or in one of the corpus formats we ship and test with, read on a
//!   blocking thread, checked, deduplicated and written to any
//!   [`huiwen_store::Store`] in batched transactions.
//! * [`ingest`]: the fetch loop — claim due sources, fetch them
//!   (`huiwen-fetch`), parse feeds (`huiwen-feed`), store the entries,
//!   record how it went and when to come back.
//!
//! * [`opml`]: subscription lists in and out.
//!
//! Extraction and analysis join here as their issues land.

pub mod import;
pub mod ingest;
pub mod opml;

pub use import::{import_files, ImportOptions, ImportProgress, ImportSummary, NoProgress, Reject};
pub use ingest::{
    Ingester, NoRoundProgress, RoundProgress, RoundSummary, SourceError, SourceOutcome,
};
