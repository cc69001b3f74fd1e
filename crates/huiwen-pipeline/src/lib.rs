//! # huiwen-pipeline — moving articles through the stages
//!
//! This crate wires the stages together. Today it holds the bulk importer
//! ([`import`]): JSON Lines files, plain or gzipped, in huiwen's own article
//! format or in one of the corpus formats we ship and test with, read on a
//! blocking thread, checked, deduplicated and written to any
//! [`huiwen_store::Store`] in batched transactions. Fetching, extraction and
//! analysis join here as their issues land.

pub mod import;

pub use import::{import_files, ImportOptions, ImportProgress, ImportSummary, NoProgress, Reject};
