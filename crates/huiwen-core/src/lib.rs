//! # huiwen-core — the domain model every stage shares
//!
//! huiwen is a pipeline: **fetch → parse feeds → extract → understand Chinese
//! text → deduplicate and cluster → index → rank → serve**, with a store in the
//! middle. Every stage speaks the types defined here, so that no stage has to
//! know how another one is built.
//!
//! * [`Source`] / [`SourceDraft`]: where articles come from (a feed, a page, an
//!   imported corpus).
//! * [`ArticleDraft`]: what ingest produces and hands to the store;
//!   [`Article`]: what the store gives back, with its id, change sequence
//!   number and content hash.
//! * [`ListedItem`]: an entry of a list a page carries (related, hot, latest),
//!   kept apart from any article body.
//! * [`ids`]: typed ids for articles, sources, stories and entities.
//! * [`time`]: instants are kept as UTC **plus the offset the source used**
//!   (`DateTime<FixedOffset>`), because a reader in Beijing wants to see
//!   `16:00 +08:00`, not `08:00Z`; naive times are read in a configured zone
//!   (Asia/Shanghai unless told otherwise).
//! * [`timestamp`]: reading the date strings feeds and pages really carry
//!   (`2026-01-20 16:00:42`, `2026年1月20日 13:18`, RFC 822 with `CST`, …).
//! * [`html`]: [`SanitizedHtml`] can only be built by sanitizing or by escaping
//!   plain text, so "body HTML is safe to show" is a property of the type, not a
//!   convention.
//! * [`config`]: one typed [`Config`] from a TOML file, `HUIWEN_*` environment
//!   variables and flags, in that order.
//!
//! This crate does no I/O beyond reading the config file.

pub mod article;
pub mod config;
pub mod html;
pub mod ids;
pub mod text;
pub mod time;
pub mod timestamp;
pub mod url;

pub use article::{
    Article, ArticleDraft, ContentHash, DraftError, DraftLimits, FetchReport, FetchState, Image,
    ListedItem, Source, SourceDraft, SourceKind,
};
pub use config::{Config, ConfigError};
pub use html::SanitizedHtml;
pub use ids::{ArticleId, EntityId, SourceId, StoryId};
