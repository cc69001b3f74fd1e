//! Bytes → [`ParsedFeed`]: decoding, the `feed_rs` parse with our date
//! reader, and the mapping into huiwen's model.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, FixedOffset, Utc};
use feed_rs::model::{Entry, Link, Text};
use feed_rs::parser::{self as feed_parser, ParseErrorKind, ParseFeedError};
use huiwen_core::url::canonical_url;
use huiwen_core::SanitizedHtml;
use huiwen_fetch::FetchKind;

use crate::{DateNote, FeedEntry, FeedError, FeedOptions, ParsedFeed};
use huiwen_core::timestamp::{parse_timestamp, TimestampContext};

/// How far in the future a date may be before it is taken for an error.
const FUTURE_SLACK_HOURS: i64 = 24;
/// How much of an unrecognised body an error message quotes.
const QUOTED_START_CHARS: usize = 60;

/// Reads a fetched feed. `http_charset` is the `charset` of the HTTP
/// `Content-Type`, if any; `base_url` is the URL the feed was fetched from
/// (after redirects), against which relative links are resolved.
pub fn parse_feed(
    bytes: &[u8],
    http_charset: Option<&str>,
    base_url: &url::Url,
    options: &FeedOptions,
) -> Result<ParsedFeed, FeedError> {
    let mut warnings = Vec::new();
    let (text, had_errors, encoding) = match sniff_wide_xml(bytes) {
        Some(sniffed) => sniffed,
        None => {
            let d = huiwen_fetch::charset::decode(bytes, http_charset, FetchKind::Feed);
            (d.text, d.had_errors, d.encoding.name())
        }
    };
    if had_errors {
        warnings.push(format!(
            "the feed is not valid {encoding}: some bytes could not be decoded and were replaced with \u{FFFD}"
        ));
    }
    let text = text.trim_start_matches('\u{FEFF}').trim();
    if text.is_empty() {
        return Err(FeedError::Empty);
    }
    let text = declare_utf8(text);
    let text = crate::normalize::normalize(&text);

    let seen = Arc::new(Mutex::new(SeenDates::default()));
    let parser = {
        let seen = Arc::clone(&seen);
        let ctx = TimestampContext {
            zone: options.zone,
            cst_means_china: options.cst_means_china,
        };
        feed_parser::Builder::new()
            .base_uri(Some(base_url.as_str()))
            // Sanitizing is ours (SanitizedHtml), with our policy.
            .sanitize_content(false)
            // An empty id marks "the feed gave none": feed-rs would otherwise
            // invent a hash or a random UUID, and a random guid makes the
            // entry a new article on every fetch.
            .id_generator(|_, _, _| String::new())
            .timestamp_parser(move |raw| {
                let parsed = parse_timestamp(raw, ctx);
                let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
                match parsed {
                    Some(t) => {
                        let instant = t.with_timezone(&Utc);
                        seen.offsets.entry(instant).or_insert(*t.offset());
                        Some(instant)
                    }
                    None => {
                        seen.unreadable.push(raw.trim().to_string());
                        None
                    }
                }
            })
            .build()
    };
    // quick-xml (under feed-rs) panics on some malformed input instead of
    // returning an error (seen: an encoding declaration it meets after its
    // prefix buffer is drained). One hostile feed must not take the worker
    // down with it, so a panic is reported as an unreadable feed.
    let run = |text: &str| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            parser.parse(text.as_bytes())
        }))
    };
    let mut outcome = run(&text);
    if let Ok(Err(ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot))) = &outcome {
        // feed-rs takes `<rss>` for RSS only with a `version` attribute;
        // without one (common in hand-made feeds) it finds "no feed root".
        // Such a feed is read as RSS 2.0, which every earlier RSS is a
        // subset of.
        if let Some(at) = feed_root(&text)
            .filter(|(name, _)| name == "rss")
            .map(|(_, at)| at)
        {
            let tag_end = text[at..].find('>').map_or(text.len(), |i| at + i);
            if !text[at..tag_end].contains("version") {
                let patched = format!("{} version=\"2.0\"{}", &text[..at + 4], &text[at + 4..]);
                outcome = run(&patched);
            }
        }
    }
    let feed = match outcome {
        Ok(Ok(feed)) => feed,
        Ok(Err(ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot)))
            if feed_root(&text).is_some() =>
        {
            // `<rss></rss>` with no channel, or a bare `<feed/>`: a feed with
            // nothing in it yet, not "not a feed" (which would mark the
            // source as broken).
            warnings.push("the feed has no channel or entries".to_string());
            return Ok(ParsedFeed {
                title: None,
                site_url: None,
                entries: Vec::new(),
                warnings,
            });
        }
        Ok(Err(e)) => return Err(feed_error(e, &text)),
        Err(_) => {
            return Err(FeedError::Invalid(
                "the XML reader failed on this document".to_string(),
            ))
        }
    };

    let seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    for raw in &seen.unreadable {
        warnings.push(format!(
            "could not read the date {raw:?}; entries with it are dated by the fetch time"
        ));
    }
    let dates = Dates {
        offsets: &seen.offsets,
        options,
    };

    let mut entries = Vec::with_capacity(feed.entries.len());
    for entry in &feed.entries {
        entries.push(convert_entry(entry, base_url, &dates, &mut warnings));
    }

    Ok(ParsedFeed {
        title: feed.title.as_ref().and_then(plain_text),
        site_url: site_link(&feed.links).and_then(|l| resolve(&l.href, base_url).ok()),
        entries,
        warnings,
    })
}

/// What our date reader saw during one parse.
#[derive(Debug, Default)]
struct SeenDates {
    /// The offset each instant was written with. Two dates of one feed that
    /// are the same instant in different offsets keep the first offset.
    offsets: HashMap<DateTime<Utc>, FixedOffset>,
    /// Dates no form matched, for the warnings.
    unreadable: Vec<String>,
}

struct Dates<'a> {
    offsets: &'a HashMap<DateTime<Utc>, FixedOffset>,
    options: &'a FeedOptions,
}

impl Dates<'_> {
    /// The instant with the offset the feed wrote it in; the zone's offset
    /// when our reader did not see it (it always should).
    fn with_offset(&self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        match self.offsets.get(&instant) {
            Some(offset) => instant.with_timezone(offset),
            None => self.options.zone.convert(&instant.fixed_offset()),
        }
    }

    /// The date as the feed wrote it, or the fetch time when it is more than
    /// a day after the fetch (the bool says so).
    fn plausible(&self, instant: DateTime<Utc>) -> (DateTime<FixedOffset>, bool) {
        if instant > self.options.fetched_at + Duration::hours(FUTURE_SLACK_HOURS) {
            (self.options.fetched_at_in_zone(), true)
        } else {
            (self.with_offset(instant), false)
        }
    }
}

/// `None` when the entry has no identity (the caller warns).
/// An identity for an entry with neither id nor link, from what it says:
/// the same entry in the same feed gets the same guid on every fetch (so it
/// is stored once), a changed one a new guid. FNV-1a, written out because an
/// identity must not change with the standard library's hasher.
fn content_guid(entry: &Entry, base_url: &url::Url) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes.iter().chain(b"\x1f") {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(
        entry
            .title
            .as_ref()
            .map_or("", |t| t.content.as_str())
            .as_bytes(),
    );
    feed(
        entry
            .summary
            .as_ref()
            .map_or("", |t| t.content.as_str())
            .as_bytes(),
    );
    feed(
        entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .unwrap_or("")
            .as_bytes(),
    );
    format!("{base_url}#entry-{hash:016x}")
}

fn convert_entry(
    entry: &Entry,
    base_url: &url::Url,
    dates: &Dates<'_>,
    warnings: &mut Vec<String>,
) -> FeedEntry {
    let id = entry.id.trim();
    let url = entry_link(&entry.links)
        .and_then(|link| match resolve(&link.href, base_url) {
            Ok(url) => Some(url),
            Err(e) => {
                warnings.push(format!("ignored the link of entry {:?}: {e}", entry.id));
                None
            }
        })
        // An RSS guid is a permalink unless it says otherwise, and many
        // feeds give no <link> at all: a guid that is a web address is it.
        .or_else(|| {
            (id.starts_with("http://") || id.starts_with("https://"))
                .then(|| canonical_url(id).ok())
                .flatten()
        });
    let guid = match (id.is_empty(), &url) {
        (false, _) => id.to_string(),
        (true, Some(url)) => url.clone(),
        (true, None) => content_guid(entry, base_url),
    };

    // Relative `src` and `href` in the entry's HTML are relative to its
    // xml:base, else to the feed; left relative they would point into the
    // portal once shown there.
    let html_base = entry
        .base
        .as_deref()
        .and_then(|b| base_url.join(b).ok())
        .unwrap_or_else(|| base_url.clone());

    let published = entry.published.map(|t| dates.plausible(t));
    let updated = entry.updated.map(|t| dates.plausible(t));
    let clamped = published.is_some_and(|(_, c)| c) || updated.is_some_and(|(_, c)| c);
    let date_note = if clamped {
        Some(DateNote::ClampedFromFuture)
    } else if published.is_none() && updated.is_none() {
        Some(DateNote::Missing)
    } else {
        None
    };

    FeedEntry {
        guid,
        url,
        title: entry.title.as_ref().and_then(plain_text),
        authors: distinct(entry.authors.iter().filter_map(|p| p.name.as_deref())),
        published_at: published.map(|(t, _)| t),
        updated_at: updated.map(|(t, _)| t),
        date_note,
        summary: entry
            .summary
            .as_ref()
            .and_then(|t| to_sanitized(&t.content, t.content_type.as_str(), &html_base)),
        content: entry
            .content
            .as_ref()
            .and_then(|c| to_sanitized(c.body.as_deref()?, c.content_type.as_str(), &html_base)),
        categories: distinct(
            entry
                .categories
                .iter()
                .map(|c| c.label.as_deref().unwrap_or(&c.term)),
        ),
    }
}

/// Rewrites the XML declaration's encoding to UTF-8 (or adds nothing when
/// there is no declaration): the text is already decoded, and a leftover
/// `encoding="gbk"` would make the XML reader decode it again into mojibake.
fn declare_utf8(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("<?xml") {
        if let Some(end) = rest.find("?>") {
            return format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>{}",
                &rest[end + 2..]
            );
        }
    }
    text.to_string()
}

fn feed_error(e: ParseFeedError, text: &str) -> FeedError {
    // An HTML page fails in many ways (no feed root, unclosed <meta>), and
    // "it is an HTML page" is the useful thing to say about all of them.
    if looks_like_html(text) {
        return FeedError::HtmlPage;
    }
    match e {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => FeedError::NotAFeed {
            start: text.chars().take(QUOTED_START_CHARS).collect(),
        },
        ParseFeedError::ParseError(kind) => FeedError::Invalid(kind.to_string()),
        ParseFeedError::XmlReader(e) => FeedError::Xml(e.to_string()),
        ParseFeedError::JsonSerde(e) => FeedError::Json(e.to_string()),
        ParseFeedError::JsonUnsupportedVersion(v) => FeedError::JsonVersion(v),
        ParseFeedError::IoError(e) => FeedError::Invalid(e.to_string()),
    }
}

/// UTF-16 and UTF-32 without a byte order mark (and UTF-32 with one),
/// recognised by the NUL pattern of `<` (XML 1.0 appendix F). The shared
/// decoder knows UTF-16 only by its BOM and has no UTF-32 at all; read as a
/// single-byte encoding such a body is NULs between letters and no feed.
/// Returns the text, whether some units were invalid, and the encoding name.
fn sniff_wide_xml(bytes: &[u8]) -> Option<(String, bool, &'static str)> {
    let (width, big_endian, body, name) = match bytes {
        [0, 0, 0xFE, 0xFF, rest @ ..] => (4, true, rest, "UTF-32BE"),
        [0xFF, 0xFE, 0, 0, rest @ ..] => (4, false, rest, "UTF-32LE"),
        [0, 0, 0, b'<', ..] => (4, true, bytes, "UTF-32BE"),
        [b'<', 0, 0, 0, ..] => (4, false, bytes, "UTF-32LE"),
        [0, b'<', 0, b'?', ..] => (2, true, bytes, "UTF-16BE"),
        [b'<', 0, b'?', 0, ..] => (2, false, bytes, "UTF-16LE"),
        _ => return None,
    };
    let mut had_errors = body.len() % width != 0;
    let text = if width == 4 {
        body.chunks_exact(4)
            .map(|c| {
                let quad = [c[0], c[1], c[2], c[3]];
                let n = if big_endian {
                    u32::from_be_bytes(quad)
                } else {
                    u32::from_le_bytes(quad)
                };
                char::from_u32(n).unwrap_or_else(|| {
                    had_errors = true;
                    char::REPLACEMENT_CHARACTER
                })
            })
            .collect()
    } else {
        let units = body.chunks_exact(2).map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .map(|r| {
                r.unwrap_or_else(|_| {
                    had_errors = true;
                    char::REPLACEMENT_CHARACTER
                })
            })
            .collect()
    };
    Some((text, had_errors, name))
}

/// What follows the prolog: XML declarations, processing instructions,
/// comments and the doctype skipped; empty when one of them is unterminated.
fn skip_prolog(text: &str) -> &str {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let skip_to = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<!") {
            rest.find('>').map(|i| i + 1)
        } else {
            return rest;
        };
        match skip_to {
            Some(i) => rest = &rest[i..],
            None => return "",
        }
    }
}

/// The first element's local name and byte offset when it is a feed root
/// (`rss`, `feed`, `rdf:RDF`); feed-rs reports some of those documents as
/// having no root.
fn feed_root(text: &str) -> Option<(String, usize)> {
    let rest = skip_prolog(text);
    let name: String = rest
        .strip_prefix('<')?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == ':' || *c == '_' || *c == '-')
        .collect();
    let local = name.rsplit(':').next().unwrap_or("").to_string();
    let at = text.len() - rest.len();
    matches!(local.as_str(), "rss" | "feed" | "RDF").then_some((local, at))
}

/// Whether the document is HTML: an HTML doctype in its prolog, or `<html>`
/// as its first element.
fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    let rest = skip_prolog(&head);
    rest.starts_with("<html") || head[..head.len() - rest.len()].contains("<!doctype html")
}

/// The entry's own page: an `alternate` link (or one without `rel`) first.
fn entry_link(links: &[Link]) -> Option<&Link> {
    links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .or_else(|| links.first())
}

/// The site's front page: never the feed's own `self` link.
fn site_link(links: &[Link]) -> Option<&Link> {
    links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
}

/// Resolves `href` against the feed URL (feed-rs has applied `xml:base`
/// already) and makes it canonical.
fn resolve(href: &str, base_url: &url::Url) -> Result<String, String> {
    let joined = base_url
        .join(href.trim())
        .map_err(|e| format!("{href:?} is not a URL: {e}"))?;
    canonical_url(joined.as_str()).map_err(|e| e.to_string())
}

fn is_html(media_type: &str) -> bool {
    media_type.contains("html") || media_type.contains("xml")
}

/// A title or name as plain text; HTML titles (Atom `type="html"`) are
/// reduced to their text.
fn plain_text(text: &Text) -> Option<String> {
    let repaired;
    let text = match demoronize(&text.content) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(content) => {
            repaired = Text {
                content,
                ..text.clone()
            };
            &repaired
        }
    };
    let plain = if is_html(text.content_type.as_str()) {
        SanitizedHtml::sanitize(&text.content)
            .to_text_and_images()
            .0
    } else if text.content.contains('&') {
        // XML knows only five named entities, so an HTML one such as
        // `&ldquo;` or `&nbsp;` reaches us undecoded (common in Chinese
        // feeds). Decoding it through the HTML reader, with `<` and `>`
        // escaped so that nothing is taken for markup, keeps plain text plain.
        let escaped = text.content.replace('<', "&lt;").replace('>', "&gt;");
        SanitizedHtml::sanitize(&escaped).to_text_and_images().0
    } else {
        text.content
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let plain = plain.replace("\n\n", " ").replace('\n', " ");
    let plain = plain.trim();
    (!plain.is_empty()).then(|| plain.to_string())
}

fn to_sanitized(body: &str, media_type: &str, base: &url::Url) -> Option<SanitizedHtml> {
    let body = &*demoronize(body);
    let html = if is_html(media_type) {
        SanitizedHtml::sanitize_with_base(body, base)
    } else if media_type.starts_with("text/") {
        SanitizedHtml::from_plain_text(body)
    } else {
        // Images, audio, base64 payloads: not article text.
        return None;
    };
    (!html.as_str().trim().is_empty()).then_some(html)
}

/// C1 control characters (U+0080–U+009F) read as what they were meant to
/// be: first UTF-8 that a CMS double-encoded (`â\u{80}\u{99}` is ’, see
/// `huiwen_core::text::repair_double_encoded`), then the Windows-1252
/// punctuation of the rest: feeds write `&#146;` for ’ because their CMS
/// thought in Windows-1252, and no one means a control character.
fn demoronize(text: &str) -> std::borrow::Cow<'_, str> {
    // U+0080–U+009F are 0xC2 0x80–0x9F in UTF-8; 0xC2 is rare in Chinese
    // text, so looking for it first skips nearly every body at SIMD speed.
    let bytes = text.as_bytes();
    let has_c1 =
        memchr::memchr_iter(0xC2, bytes).any(|at| matches!(bytes.get(at + 1), Some(0x80..=0x9F)));
    if !has_c1 {
        return std::borrow::Cow::Borrowed(text);
    }
    let repaired = huiwen_core::text::repair_double_encoded(text);
    let text = repaired.as_deref().unwrap_or(text);
    text.chars()
        .map(|c| {
            let code = u32::from(c);
            match u8::try_from(code) {
                Ok(byte @ 0x80..=0x9f) => encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(&[byte])
                    .0
                    .chars()
                    .next()
                    .unwrap_or(c),
                _ => c,
            }
        })
        .collect()
}

fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items.map(str::trim).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declaration_is_rewritten_to_utf8() {
        assert_eq!(
            declare_utf8("<?xml version=\"1.0\" encoding=\"gbk\" ?><rss/>"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss/>"
        );
        assert_eq!(declare_utf8("<rss/>"), "<rss/>");
    }

    #[test]
    fn html_is_recognised_behind_declarations_and_comments() {
        assert!(looks_like_html("<!DOCTYPE html><html>"));
        assert!(looks_like_html(
            "<?xml version=\"1.0\"?>\n<!-- hi -->\n<!DOCTYPE html PUBLIC \"x\"><html>"
        ));
        assert!(looks_like_html("<HTML><body>"));
        assert!(!looks_like_html(
            "<?xml version=\"1.0\"?><rss version=\"2.0\">"
        ));
        assert!(!looks_like_html("<!-- <html> --><feed>"));
    }
}
