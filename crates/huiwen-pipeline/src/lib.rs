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
//!   Page sources and full-text feeds go through `huiwen-extract`
//!   ([`pages`]).
//! * [`pages`]: the extraction stage — article and list pages, full text for
//!   summary-only feeds, and [`pages::reextract`] over stored pages.
//! * [`opml`]: subscription lists in and out.

pub mod import;
pub mod ingest;
pub mod opml;
pub mod pages;

pub use import::{import_files, ImportOptions, ImportProgress, ImportSummary, NoProgress, Reject};
pub use ingest::{
    Ingester, NoRoundProgress, RoundProgress, RoundSummary, SourceError, SourceOutcome,
};
