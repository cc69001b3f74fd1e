//! # huiwen-extract — clean articles from news pages, best on Chinese news
//!
//! huiwen is a pipeline: fetch → parse feeds → **extract** → understand
//! Chinese text → deduplicate and cluster → index → rank → serve. This crate
//! is the extract stage: it turns a fetched page (or a plain-text dump of
//! one) into an article — title, authors, original outlet, dates, images,
//! sanitized body HTML and plain text — and keeps the lists the page carries
//! (相关内容, 热门资讯, latest news) apart as [`ListedItem`]s, never as body.
//! It is usable on its own, like trafilatura, and is what ingest calls for
//! page sources.
//!
//! * [`extract`] (text) and [`extract_bytes`] (bytes as served, decoded with
//!   `huiwen_fetch::charset`: BOM, HTTP charset, `<meta>`, then detection)
//!   are the entry points; both take an [`ExtractOptions`] and return an
//!   [`Extracted`] or an [`ExtractError`].
//! * [`EXTRACTOR_VERSION`] changes whenever the output for the same page can
//!   change, so stored articles can be re-extracted when it moves on.
//!
//! ## How it works, and why this way
//!
//! 1. **Parse** with html5ever's tokenizer into a flat, preorder node arena
//!    (see `dom`): no recursion anywhere, so 100,000 nested `<div>`s or a
//!    50 MB page cost time proportional to their size and never the stack.
//! 2. **Metadata first** (`meta`): JSON-LD (`NewsArticle` and friends, also
//!    inside `@graph`), OpenGraph and other `<meta>` names, microdata, `<time>`,
//!    then what the page prints: the headline that matches `<title>`, dates
//!    near it (Chinese, numeric and English forms), bylines such as
//!    【文/观察者网 陈思佳】, 来源：XX, XX讯 (read by
//!    `huiwen_zh::attribution`, the Chinese-text stage's grammar of
//!    attribution lines, plus 作者：/记者/trailing （张三 李四） here).
//!    Structured data is what the publisher *meant*; the page text is the
//!    fallback because templates put the current date, the site name and
//!    unrelated headlines around every article.
//! 3. **Body** (`body`): every block of running text is scored by its
//!    length and punctuation (Chinese 。，、 count like Latin commas — Chinese
//!    prose has few spaces, so word counts say little), its score flows to
//!    its containers, link-heavy and boilerplate-named containers are
//!    discounted, and the best container plus its text-rich siblings is the
//!    article. Site rules (`rules.toml`, data not code) can name the body
//!    container for known sites.
//! 4. **Boilerplate blocks** are recognised by what Chinese portals print:
//!    list modules under 相关阅读/热门资讯/猜你喜欢 headings, 责任编辑 and
//!    copyright lines, share bars, the box around an email field (a
//!    newsletter signup). Lists become `listed_items` (`body::listed`).
//!    The lines around the text that are the article's metadata go too
//!    (`body::lines`), with
//!    what they say kept:
//!    bylines and datelines above it (their authors and outlet read), an
//!    author box or a dated footer below it, captions under images (moved to
//!    the image). Short chrome lines (reading times, credits, button labels)
//!    are patterns in `rules.toml`.
//!    `body::render` turns the chosen containers into blocks and the kept
//!    blocks into `html` and `text`; a table is kept as a table only when it
//!    reads as data, since old portals lay whole pages out with tables.
//!    The headline (`body::headline`) and the authors (`body::authors`) are
//!    chosen with the content known: the heading above it that the declared
//!    titles name, the byline beside it, the sign-off under it.
//! 5. **Plain-text dumps** (what a naive scraper saves: the article, then
//!    the lists, as one text) are read by `plain` with the same rules.
//!
//! A page whose best block is mostly links is a list or home page:
//! [`PageType::List`], no body, its lists still reported.
//!
//! ## Bounds
//!
//! Any input gives an [`Extracted`] or an [`ExtractError`] (empty, binary),
//! never a panic: inputs are cut at [`ExtractOptions::max_input_bytes`]
//! (8 MiB by default), nesting deeper than 256 elements is flattened, and
//! every pass over the tree is linear or bounded by that depth. The
//! `fuzz/` directory holds a cargo-fuzz target; what it found is replayed by
//! `tests/fuzz_regressions.rs`.
//!
//! ## Quality and speed
//!
//! `examples/eval.rs` scores the extractor on `../shared/data/extract` with
//! the metrics of the peers' `eval.py`; `bench/extract.sh` runs both, with
//! the Python peers and the Rust baselines, in one table (see
//! `bench/README.md`).

mod body;
mod byline;
mod dates;
mod dom;
mod meta;
mod plain;
mod rules;

use chrono::{DateTime, FixedOffset};
use huiwen_core::time::Zone;
use huiwen_core::timestamp::TimestampContext;
use huiwen_core::{Image, ListedItem, SanitizedHtml};
use serde::Serialize;

pub use url::Url;

/// Changes whenever the same page can extract differently. Ingest stores it
/// with each article so `huiwen reextract` knows what is stale.
pub const EXTRACTOR_VERSION: &str = "huiwen-extract/11";

/// Inputs larger than this are cut (at a character boundary) before parsing:
/// no news article needs more, and it bounds time and memory.
pub const DEFAULT_MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// What kind of input [`extract`] gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum InputFormat {
    /// Decide from the content: markup is HTML, anything else a text dump.
    #[default]
    Auto,
    Html,
    /// A plain-text dump of a page (article, then its lists).
    Text,
}

/// How to extract.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExtractOptions {
    /// Zone of times written without an offset (default Asia/Shanghai).
    pub zone: Zone,
    /// Whether `CST` means China Standard Time.
    pub cst_means_china: bool,
    pub format: InputFormat,
    /// Larger inputs are truncated to this many bytes.
    pub max_input_bytes: usize,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            zone: Zone::default(),
            cst_means_china: true,
            format: InputFormat::Auto,
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
        }
    }
}

impl ExtractOptions {
    pub fn with_zone(mut self, zone: Zone) -> Self {
        self.zone = zone;
        self
    }

    pub fn with_format(mut self, format: InputFormat) -> Self {
        self.format = format;
        self
    }

    pub fn with_cst_means_china(mut self, yes: bool) -> Self {
        self.cst_means_china = yes;
        self
    }

    pub fn with_max_input_bytes(mut self, max: usize) -> Self {
        self.max_input_bytes = max;
        self
    }

    fn timestamp_context(&self) -> TimestampContext {
        TimestampContext {
            zone: self.zone,
            cst_means_china: self.cst_means_china,
        }
    }
}

/// Whether the page is one article or a list (home page, channel page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageType {
    Article,
    List,
}

/// A clean article (or, for a list page, just its metadata and lists). The
/// JSON form is what `huiwen extract --json` prints; fields are added over
/// time, never renamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extracted {
    /// Headline, without the site suffix of `<title>` (`_财经频道_新浪网`).
    pub title: String,
    pub authors: Vec<String>,
    /// The original publisher, when the page names one (byline, JSON-LD
    /// publisher, site name).
    pub outlet: Option<String>,
    /// With the offset the page used; naive times are read in the options'
    /// zone.
    pub published_at: Option<DateTime<FixedOffset>>,
    pub updated_at: Option<DateTime<FixedOffset>>,
    pub lead_image: Option<String>,
    /// Body images with captions (a caption is never also body text).
    pub images: Vec<Image>,
    /// Sanitized body HTML: paragraphs, headings, lists, tables, figures
    /// and links.
    pub html: SanitizedHtml,
    /// Plain body text, paragraphs separated by blank lines.
    pub text: String,
    /// `zh`, `en` or `und`.
    pub lang: String,
    pub canonical_url: Option<String>,
    pub page_type: PageType,
    /// Entries of the lists the page carries (related, hot, latest).
    pub listed_items: Vec<ListedItem>,
    /// The page's own description (`og:description`), when it has one.
    pub description: Option<String>,
}

/// Why nothing could be extracted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    #[error("empty input")]
    Empty,
    #[error("input is binary data ({0}), not a page")]
    Binary(&'static str),
}

/// Extracts an article from a page given as text. `url` is where the page
/// was found: it resolves relative links and images and is the fallback
/// canonical URL.
pub fn extract(
    input: &str,
    url: Option<&url::Url>,
    options: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let input = truncate(input, options.max_input_bytes);
    if input.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    if looks_binary(input.as_bytes()) {
        return Err(ExtractError::Binary("control characters"));
    }
    // A page that double-encoded its UTF-8 (`âœ…` for ✅, the C1 controls
    // in it invisible) is read as it was written.
    let repaired = huiwen_core::text::repair_double_encoded(input);
    let input = repaired.as_deref().unwrap_or(input);
    let format = match options.format {
        InputFormat::Auto if looks_like_html(input) => InputFormat::Html,
        InputFormat::Auto => InputFormat::Text,
        f => f,
    };
    let mut out = match format {
        InputFormat::Text => plain::extract_text(input, url, options),
        _ => body::extract_html(input, url, options),
    };
    out.lang = {
        let probe = if out.text.is_empty() {
            &out.title
        } else {
            &out.text
        };
        huiwen_core::text::guess_lang(probe).to_string()
    };
    Ok(out)
}

/// Extracts from bytes as served: decoded by BOM, the HTTP charset
/// (`http_charset`), `<meta charset>`, or detection, in that order.
pub fn extract_bytes(
    bytes: &[u8],
    http_charset: Option<&str>,
    url: Option<&url::Url>,
    options: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let bytes = &bytes[..bytes.len().min(options.max_input_bytes)];
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    if let Some(kind) = binary_magic(bytes) {
        return Err(ExtractError::Binary(kind));
    }
    extract(&decode_page(bytes, http_charset), url, options)
}

/// A page's bytes as text, the way [`extract_bytes`] reads them: by BOM,
/// the HTTP charset, `<meta charset>`, or detection.
pub fn decode_page<'a>(bytes: &'a [u8], http_charset: Option<&str>) -> std::borrow::Cow<'a, str> {
    // Bytes that are valid UTF-8 are UTF-8 (a GBK or Big5 page with any
    // Chinese in it is practically never valid UTF-8); skipping detection
    // here matters, as chardetng costs more than the whole extraction.
    let bom = bytes.starts_with(&[0xef, 0xbb, 0xbf]);
    if http_charset.is_none() || bom {
        let body = if bom { &bytes[3..] } else { bytes };
        if let Ok(text) = std::str::from_utf8(body) {
            return std::borrow::Cow::Borrowed(text);
        }
    }
    let decoded = huiwen_fetch::charset::decode(bytes, http_charset, huiwen_fetch::FetchKind::Page);
    std::borrow::Cow::Owned(decoded.text)
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn binary_magic(b: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"\x7fELF", "executable"),
        (b"RIFF", "RIFF media"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| b.starts_with(m)) {
        return Some(kind);
    }
    if looks_binary(b) {
        return Some("control characters");
    }
    None
}

/// Many NUL or control bytes in the first 4 KB: not text in any encoding a
/// page uses (UTF-16 pages start with a BOM and are decoded before this).
fn looks_binary(b: &[u8]) -> bool {
    if b.starts_with(&[0xff, 0xfe]) || b.starts_with(&[0xfe, 0xff]) {
        return false;
    }
    let head = &b[..b.len().min(4096)];
    let control = head
        .iter()
        .filter(|&&c| c == 0 || (c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0c)))
        .count();
    control * 10 > head.len().max(1)
}

fn looks_like_html(s: &str) -> bool {
    const TAGS: [&str; 13] = [
        "<html",
        "<!doctype",
        "<body",
        "<div",
        "<p>",
        "<p ",
        "<head",
        "<meta",
        "<table",
        "<article",
        "<br",
        "<span",
        "<a ",
    ];
    // In any ASCII case, compared where each `<` is rather than in a
    // lower-cased copy of the head.
    let head = truncate(s, 64 * 1024);
    head.match_indices('<').any(|(at, _)| {
        TAGS.iter().any(|tag| {
            head.as_bytes()
                .get(at..at + tag.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(tag.as_bytes()))
        })
    })
}

/// Whether `found` holds for one of the words of a class or id value
/// (`article-content_main` → `article`, `content`, `main`), lower-cased,
/// for the rules' hint lists. Words are ASCII letter/digit runs, split
/// once more at case changes (`ArticleContent` → `article`, `content`),
/// and then also given whole, so `artibody` and `ArticleContent` match as
/// written.
///
/// Every element of a page has its class and id read this way, so no word
/// is allocated: a word is passed as a slice of `value` when it is already
/// lower-case, else lower-cased into a small buffer.
pub(crate) fn any_hint_word(value: &str, mut found: impl FnMut(&str) -> bool) -> bool {
    // Byte by byte: the bytes of a non-ASCII character are never ASCII
    // letters or digits, so they separate words as the character would.
    let b = value.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if any_camel_part(&value[start..i], &mut found) {
            return true;
        }
    }
    false
}

/// The parts of an ASCII word split before each upper-case letter that
/// follows a lower-case letter or a digit, then (when there are several)
/// the whole word; each lower-cased.
fn any_camel_part(word: &str, found: &mut impl FnMut(&str) -> bool) -> bool {
    let b = word.as_bytes();
    let mut start = 0;
    let mut parts = 0;
    for i in 1..b.len() {
        let prev_lower = b[i - 1].is_ascii_lowercase() || b[i - 1].is_ascii_digit();
        if b[i].is_ascii_uppercase() && prev_lower {
            if lowered(&word[start..i], found) {
                return true;
            }
            parts += 1;
            start = i;
        }
    }
    if lowered(&word[start..], found) {
        return true;
    }
    parts > 0 && lowered(word, found)
}

/// Calls `f` with `w` (ASCII) lower-cased.
fn lowered(w: &str, f: &mut impl FnMut(&str) -> bool) -> bool {
    if !w.bytes().any(|c| c.is_ascii_uppercase()) {
        return f(w);
    }
    let mut buf = [0u8; 32];
    match buf.get_mut(..w.len()) {
        Some(dst) => {
            dst.copy_from_slice(w.as_bytes());
            dst.make_ascii_lowercase();
            // Lower-casing ASCII keeps it ASCII, hence UTF-8.
            std::str::from_utf8(dst).is_ok_and(f)
        }
        None => f(&w.to_ascii_lowercase()),
    }
}

/// `s.to_lowercase()`, borrowed when that changes nothing, as it is for
/// most text on the pages read here: ASCII without capitals, CJK
/// characters and punctuation, which have no case.
pub(crate) fn lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    let caseless = |c: char| {
        if c.is_ascii() {
            !c.is_ascii_uppercase()
        } else {
            // Latin-1 punctuation, general punctuation, CJK symbols, kana
            // and ideographs, and the halfwidth/fullwidth forms except the
            // capitals Ａ–Ｚ.
            matches!(
                c,
                '\u{a0}'..='\u{bf}'
                    | '\u{2000}'..='\u{206f}'
                    | '\u{3000}'..='\u{9fff}'
                    | '\u{ff00}'..='\u{ff20}'
                    | '\u{ff3b}'..='\u{ffef}'
            )
        }
    };
    if s.chars().all(caseless) {
        std::borrow::Cow::Borrowed(s)
    } else if s.is_ascii() {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

/// Re-exported for the evaluation harness and the CLI.
pub fn is_html(input: &str) -> bool {
    looks_like_html(input)
}
