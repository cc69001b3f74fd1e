//! # huiwen-feed — feeds into entries and article drafts
//!
//! The second stage of the pipeline (fetch → **parse feeds** → extract → …).
//! `huiwen-fetch` hands over the bytes of a feed and the charset its HTTP
//! answer named; this crate turns them into [`FeedEntry`]s and, one by one,
//! into [`ArticleDraft`](huiwen_core::ArticleDraft)s for the store. It does no
//! I/O.
//!
//! * [`parse_feed`]: bytes → [`ParsedFeed`] (title, site URL, entries and
//!   [`warnings`](ParsedFeed::warnings)). RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and
//!   JSON Feed 1.0/1.1 are read by [`feed_rs`]; everything around it —
//!   decoding, dates, URLs, identity, sanitizing — is ours.
//! * [`FeedOptions`]: the zone naive times are read in, when the feed was
//!   fetched, and how to read the zone name `CST`.
//! * [`FeedEntry`]: one entry, URLs canonical and resolved, HTML sanitized,
//!   dates with the source's offset and a [`DateNote`] when a date was
//!   missing or implausible.
//! * [`entry_to_draft`]: a [`FeedEntry`] as an article draft (text, lead
//!   summary, language, images, a title from the lead when there is none).
//! * Before feed-rs reads a document, `normalize` rewrites the dialects it
//!   does not know (`<xhtml:body>` and `<fullitem>` articles, Dublin Core in
//!   RSS 2.0, base64 Atom text, bare `&` in URLs) into ones it does.
//! * Dates are read by [`huiwen_core::timestamp::parse_timestamp`].
//! * [`FeedError`]: why a body is not a feed we can read.
//!
//! ## Why it works this way
//!
//! **Decoding comes first.** Chinese feeds are often GBK or GB18030, and the
//! XML declaration, the HTTP header or both may be missing or wrong. The body
//! is decoded by `huiwen_fetch::charset::decode` (BOM, HTTP charset, XML
//! declaration, then detection, each declaration verified), and the
//! declaration's `encoding="…"` is then rewritten to UTF-8: the parser gets
//! text that is already decoded and must not decode it a second time.
//!
//! **The source's offset is kept.** A feed that says `16:00:42 +0800` means
//! four in the afternoon in Beijing, and the portal should show that, not
//! `08:00:42Z`. `feed_rs` reduces every date to a UTC instant, so our own
//! date reader, plugged into its parser, notes the offset it read for each
//! instant; after the parse each date gets its offset back. Naive times
//! (`2026-01-20 16:00:42`, the commonest form in Chinese feeds) are read in
//! [`FeedOptions::zone`], Asia/Shanghai unless the source is configured
//! otherwise.
//!
//! **`CST` means China by default.** The RFC 822 zone name `CST` is
//! ambiguous: US Central Standard Time (−06:00) in the RFC's own table, China
//! Standard Time (+08:00) on the Chinese servers that make up most of our
//! sources, whose CMS print the local zone's name. Reading a Chinese feed's
//! `CST` as US Central puts every item fourteen hours in the future, so
//! [`FeedOptions::cst_means_china`] defaults to `true`; a source known to be
//! American turns it off.
//!
//! **Dates are checked against the fetch time.** A date more than a day after
//! [`FeedOptions::fetched_at`] is a misconfigured zone or a typo, and would
//! pin the item to the top of every newest-first list; it is replaced by the
//! fetch time and flagged [`DateNote::ClampedFromFuture`].
//!
//! **Every entry has a stable identity.** An entry with neither an id nor a
//! link is identified by a hash of its title and text (never a random id,
//! which would make it a new article on every fetch). A body
//! that is not a feed at all (an HTML page, truncated XML, an empty answer)
//! is a [`FeedError`] that says which.
//!
//! **All HTML is untrusted.** Summaries and content go through
//! [`SanitizedHtml::sanitize`]; titles are reduced to plain text.

mod draft;
mod error;
mod normalize;
mod parse;

use chrono::{DateTime, FixedOffset, Utc};
use huiwen_core::time::Zone;
use huiwen_core::SanitizedHtml;

pub use draft::entry_to_draft;
pub use error::FeedError;
pub use parse::parse_feed;

/// How to read one fetched feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedOptions {
    /// The zone times without an offset are read in (the source's zone).
    pub zone: Zone,
    /// When the feed was fetched: the bound for plausible dates and the
    /// publish time of entries that have none.
    pub fetched_at: DateTime<Utc>,
    /// Whether the zone name `CST` means China Standard Time (+08:00) rather
    /// than US Central Standard Time (−06:00). Default `true`.
    pub cst_means_china: bool,
}

impl FeedOptions {
    /// Options for a feed fetched at `fetched_at`, read in Asia/Shanghai with
    /// `CST` meaning China.
    pub fn new(fetched_at: DateTime<Utc>) -> Self {
        FeedOptions {
            zone: Zone::default(),
            fetched_at,
            cst_means_china: true,
        }
    }

    /// The fetch time as wall-clock time in the source's zone.
    pub fn fetched_at_in_zone(&self) -> DateTime<FixedOffset> {
        self.zone.convert(&self.fetched_at.fixed_offset())
    }
}

impl Default for FeedOptions {
    fn default() -> Self {
        FeedOptions::new(Utc::now())
    }
}

/// A feed as read: its own metadata, its entries in feed order, and what was
/// odd about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFeed {
    /// The feed's title, as plain text.
    pub title: Option<String>,
    /// The site the feed belongs to (RSS `<link>`, Atom `rel="alternate"`,
    /// JSON Feed `home_page_url`), canonical.
    pub site_url: Option<String>,
    pub entries: Vec<FeedEntry>,
    /// Things an operator may want to know that did not stop the parse:
    /// skipped entries, unreadable dates, undecodable bytes, bad links.
    pub warnings: Vec<String>,
}

/// Why an entry's dates are not simply what the feed said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DateNote {
    /// The feed gave no readable date; drafts use the fetch time.
    Missing,
    /// A date was more than a day after the fetch time and was replaced by
    /// the fetch time.
    ClampedFromFuture,
}

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// The entry's id (RSS `<guid>`, Atom `<id>`, JSON Feed `id`), else its
    /// canonical URL. Never empty.
    pub guid: String,
    /// The entry's link, resolved against `xml:base` and the feed URL, then
    /// made canonical (tracking parameters and fragment removed).
    pub url: Option<String>,
    /// Plain text.
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// With the offset the feed wrote (or the zone's, for naive times).
    pub published_at: Option<DateTime<FixedOffset>>,
    pub updated_at: Option<DateTime<FixedOffset>>,
    pub date_note: Option<DateNote>,
    /// RSS `<description>`, Atom `<summary>`, JSON Feed `summary`.
    pub summary: Option<SanitizedHtml>,
    /// RSS `<content:encoded>`, Atom `<content>`, JSON Feed `content_html`
    /// or `content_text`.
    pub content: Option<SanitizedHtml>,
    pub categories: Vec<String>,
}
