//! Sanitized HTML and its plain-text reading.
//!
//! Article bodies come from pages and feeds we do not control. A
//! [`SanitizedHtml`] can only be made by running untrusted markup through the
//! sanitizer ([`SanitizedHtml::sanitize`]) or by escaping plain text
//! ([`SanitizedHtml::from_plain_text`]); the store and the web pages accept
//! nothing else, so script injection needs a bug here rather than a forgotten
//! call somewhere else.

use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use crate::article::Image;

/// HTML that is safe to store and show: no scripts, styles, event handlers,
/// forms or frames; links only to http(s)/mailto, marked `noopener noreferrer nofollow`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct SanitizedHtml(String);

/// The one sanitizing policy, for both entry points below.
fn policy() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .add_tag_attributes("img", ["src", "alt", "title", "width", "height"])
        .add_tag_attributes("time", ["datetime"]);
    builder
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(policy)
}

/// The cleaned document as a string. `Document`'s `Display` serializes
/// into a buffer of its own and copies it into a growing string; writing
/// into a buffer of about the input's size and keeping it skips that copy.
fn serialize(doc: &ammonia::Document, size_hint: usize) -> String {
    let mut out = Vec::with_capacity(size_hint);
    match doc.write_to(&mut out) {
        // The serializer writes `str`s only, so this is always UTF-8.
        Ok(()) => String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(_) => doc.to_string(),
    }
}

impl SanitizedHtml {
    /// Sanitizes markup from anywhere.
    pub fn sanitize(untrusted: &str) -> Self {
        SanitizedHtml(serialize(&sanitizer().clean(untrusted), untrusted.len()))
    }

    /// Sanitizes markup found at `base` (a feed or page URL), making its
    /// relative links and image sources absolute on the way: left relative
    /// they would point into the portal once shown there.
    pub fn sanitize_with_base(untrusted: &str, base: &url::Url) -> Self {
        // A policy is a few hundred small allocations (its tag and
        // attribute sets); the entries of one feed share their base, so each
        // thread keeps the policy for the last base it saw.
        thread_local! {
            static BASED: RefCell<Option<(url::Url, ammonia::Builder<'static>)>> =
                const { RefCell::new(None) };
        }
        BASED.with(|cell| {
            let mut cached = cell.borrow_mut();
            if cached.as_ref().is_some_and(|(b, _)| b != base) {
                *cached = None;
            }
            let (_, builder) = cached.get_or_insert_with(|| {
                let mut builder = policy();
                builder.url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()));
                (base.clone(), builder)
            });
            SanitizedHtml(serialize(&builder.clean(untrusted), untrusted.len()))
        })
    }

    /// Markup that was sanitized when it was stored. Only store backends
    /// reading their own rows should call this.
    pub fn from_trusted_store(html: String) -> Self {
        SanitizedHtml(html)
    }

    /// One `<p>` per non-empty line of `text`, escaped.
    pub fn from_plain_text(text: &str) -> Self {
        let mut out = String::with_capacity(text.len() + 16);
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            out.push_str("<p>");
            escape_into(line, &mut out);
            out.push_str("</p>");
        }
        SanitizedHtml(out)
    }

    /// Whether this is exactly [`SanitizedHtml::from_plain_text`] of `text`,
    /// checked without building it (stores keep such bodies once).
    pub fn is_paragraphs_of(&self, text: &str) -> bool {
        let mut rest = self.0.as_str();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let Some(after_open) = rest.strip_prefix("<p>") else {
                return false;
            };
            rest = after_open;
            for c in line.chars() {
                let expected = match c {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    '\'' => "&#39;",
                    _ => {
                        let mut buf = [0; 4];
                        let s: &str = c.encode_utf8(&mut buf);
                        match rest.strip_prefix(s) {
                            Some(r) => {
                                rest = r;
                                continue;
                            }
                            None => return false,
                        }
                    }
                };
                match rest.strip_prefix(expected) {
                    Some(r) => rest = r,
                    None => return false,
                }
            }
            match rest.strip_prefix("</p>") {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text a reader sees (paragraphs separated by a blank line) and the
    /// images, with their `alt` text or `<figcaption>` as caption.
    pub fn to_text_and_images(&self) -> (String, Vec<Image>) {
        html_to_text_and_images(&self.0)
    }

    /// The text a reader sees: [`SanitizedHtml::to_text_and_images`]'s text.
    pub fn to_text(&self) -> String {
        self.to_text_and_images().0
    }

    /// Whether `text` is exactly what [`SanitizedHtml::to_text`] reads from
    /// this markup (stores then keep the markup only).
    pub fn reads_as(&self, text: &str) -> bool {
        // A reading is shorter than its markup (tags and entities shrink to
        // separators and characters), so a longer text is not one; a wrong
        // "no" here only costs the store the text's bytes.
        text.len() <= self.0.len() && self.to_text() == text
    }
}

/// Sanitized HTML read back from JSON (our own import format) is sanitized
/// again: JSON files are untrusted input too.
impl<'de> Deserialize<'de> for SanitizedHtml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Ok(SanitizedHtml::sanitize(&raw))
    }
}

/// Appends `text` to `out` escaped for HTML text and attribute values.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The text of [`html_to_text_and_images`] as it is being read: runs of
/// whitespace collapse to one space as they arrive, line breaks (from `<br>`
/// or newlines in the text) to one newline, and paragraphs are separated by a
/// blank line, without building each paragraph on its own first.
#[derive(Default)]
struct Collapsed {
    text: String,
    /// The current paragraph has a word.
    in_paragraph: bool,
    /// The current line of the paragraph has a word.
    line_has_word: bool,
    /// Whitespace after the last word of the line.
    space_pending: bool,
    /// A line with a word ended, so the next word starts a new line.
    newline_pending: bool,
}

impl Collapsed {
    fn word(&mut self, word: &str) {
        if !self.line_has_word {
            if self.newline_pending {
                self.text.push('\n');
                self.newline_pending = false;
            } else if !self.in_paragraph && !self.text.is_empty() {
                self.text.push_str("\n\n");
            }
            self.line_has_word = true;
            self.in_paragraph = true;
        } else if self.space_pending {
            self.text.push(' ');
        }
        self.space_pending = false;
        self.text.push_str(word);
    }

    fn newline(&mut self) {
        if self.line_has_word {
            self.newline_pending = true;
            self.line_has_word = false;
        }
        self.space_pending = false;
    }

    fn end_paragraph(&mut self) {
        self.in_paragraph = false;
        self.line_has_word = false;
        self.space_pending = false;
        self.newline_pending = false;
    }

    /// Appends text, splitting it at whitespace as [`char::is_whitespace`]
    /// does (the ideographic space U+3000 that Chinese pages indent
    /// paragraphs with and the no-break space included).
    fn push_text(&mut self, s: &str) {
        self.push_text_until(s, 0, 0);
    }

    /// Appends `s[from..]` as [`Collapsed::push_text`] does, up to the first
    /// byte whose [`BYTE_CLASS`] shares a bit with `stop`; returns where it
    /// stopped.
    #[inline]
    fn push_text_until(&mut self, s: &str, from: usize, stop: u8) -> usize {
        let bytes = s.as_bytes();
        let notable = MAYBE_SPACE | stop;
        let mut word_start = from;
        let mut i = from;
        'text: while i < bytes.len() {
            // Most bytes are part of a word: pass over them eight at a time
            // (a continuation byte of UTF-8 is never notable), else look at
            // the eight one by one. Stepping by bytes rather than by
            // characters keeps each load independent of the one before.
            let end = match bytes.get(i..i + 8) {
                Some(chunk) => {
                    let classes = chunk
                        .iter()
                        .fold(0, |acc, &b| acc | BYTE_CLASS[usize::from(b)]);
                    if classes & notable == 0 {
                        i += 8;
                        continue;
                    }
                    i + 8
                }
                None => bytes.len(),
            };
            while i < end {
                let class = BYTE_CLASS[usize::from(bytes[i])];
                if class & notable == 0 {
                    i += 1;
                    continue;
                }
                if class & stop != 0 {
                    break 'text;
                }
                let len = whitespace_len(bytes, i);
                if len == 0 {
                    i += 1;
                    continue;
                }
                if word_start < i {
                    self.word(&s[word_start..i]);
                }
                if bytes[i] == b'\n' {
                    self.newline();
                } else if self.line_has_word {
                    self.space_pending = true;
                }
                i += len;
                word_start = i;
            }
        }
        if word_start < i {
            self.word(&s[word_start..i]);
        }
        i
    }
}

/// For each byte, the bits below.
static BYTE_CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < 256 {
        if matches!(
            b as u8,
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3
        ) {
            class[b] |= MAYBE_SPACE;
        }
        if matches!(b as u8, b'<' | b'&' | b'\r' | b'\0') {
            class[b] |= MARKUP;
        }
        b += 1;
    }
    class
};

/// [`BYTE_CLASS`] bit: the byte may start a whitespace character.
const MAYBE_SPACE: u8 = 1;
/// [`BYTE_CLASS`] bit: [`read_serialized`] stops its text at the byte.
const MARKUP: u8 = 2;

/// The length in bytes of the character at `bytes[i]` if it is whitespace
/// ([`char::is_whitespace`]: Unicode `White_Space`), else 0. A continuation
/// byte is never whitespace, so a caller may step byte by byte.
#[inline]
fn whitespace_len(bytes: &[u8], i: usize) -> usize {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
        // U+0085, U+00A0
        0xC2 if matches!(at(1), 0x85 | 0xA0) => 2,
        // U+1680
        0xE1 if at(1) == 0x9A && at(2) == 0x80 => 3,
        // U+2000..=U+200A, U+2028, U+2029, U+202F
        0xE2 if at(1) == 0x80 && matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) => 3,
        // U+205F
        0xE2 if at(1) == 0x81 && at(2) == 0x9F => 3,
        // U+3000
        0xE3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        _ => 0,
    }
}

#[derive(Default)]
struct TextState {
    text: Collapsed,
    images: Vec<Image>,
    skip_depth: usize,
    in_figcaption: bool,
    caption: Collapsed,
}

impl TextState {
    fn flush(&mut self) {
        self.text.end_paragraph();
    }

    fn text(&mut self, s: &str) {
        if let Some(target) = self.text_target() {
            target.push_text(s);
        }
    }

    /// Where text goes now: the caption, the text, or (inside a script or
    /// style) nowhere.
    fn text_target(&mut self) -> Option<&mut Collapsed> {
        if self.skip_depth > 0 {
            None
        } else if self.in_figcaption {
            Some(&mut self.caption)
        } else {
            Some(&mut self.text)
        }
    }

    /// A start or end tag; `img_attrs` gives an `<img>`'s `src` and `alt`
    /// (the first of each, empty when missing).
    fn tag<'a>(
        &mut self,
        name: &str,
        start: bool,
        self_closing: bool,
        img_attrs: impl FnOnce() -> (Cow<'a, str>, Cow<'a, str>),
    ) {
        match name {
            "script" | "style" | "noscript" | "template" => {
                if start && !self_closing {
                    self.skip_depth += 1;
                } else if !start {
                    self.skip_depth = self.skip_depth.saturating_sub(1);
                }
            }
            "img" if start => {
                let (src, alt) = img_attrs();
                let src = src.trim();
                if !src.is_empty() {
                    self.images.push(Image {
                        src: src.to_string(),
                        caption: alt.trim().to_string(),
                    });
                }
            }
            "br" => self.text.newline(),
            "figcaption" => {
                self.flush();
                if start {
                    self.in_figcaption = true;
                    self.caption = Collapsed::default();
                } else {
                    self.in_figcaption = false;
                    if let Some(last) = self.images.last_mut() {
                        if !self.caption.text.is_empty() {
                            last.caption = self.caption.text.clone();
                        }
                    }
                }
            }
            "p" | "div" | "section" | "article" | "header" | "footer" | "aside" | "nav"
            | "main" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "li" | "table"
            | "tr" | "blockquote" | "pre" | "figure" | "hr" | "dl" | "dt" | "dd" | "center"
            | "details" | "summary" => self.flush(),
            _ => {}
        }
    }

    fn finish(mut self) -> (String, Vec<Image>) {
        self.flush();
        // The text is kept with the article: give back what growing it
        // left over.
        self.text.text.shrink_to_fit();
        (self.text.text, self.images)
    }
}

struct TextSink(RefCell<TextState>);

impl TokenSink for TextSink {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let attr = |n: &str| {
                    tag.attrs
                        .iter()
                        .find(|a| &*a.name.local == n)
                        .map_or(Cow::Borrowed(""), |a| Cow::Borrowed(&*a.value))
                };
                state.tag(
                    &tag.name,
                    tag.kind == TagKind::StartTag,
                    tag.self_closing,
                    || (attr("src"), attr("alt")),
                );
            }
            Token::CharacterTokens(text) => state.text(&text),
            Token::EOFToken => state.flush(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Plain text of any HTML fragment: paragraphs separated by a blank line,
/// whitespace collapsed, script and style content dropped.
///
/// Markup in the form html5ever's serializer writes, which is what a
/// [`SanitizedHtml`] holds, is read without the general tokenizer (see
/// `read_serialized`); the result is the same either way.
pub fn html_to_text_and_images(html: &str) -> (String, Vec<Image>) {
    let mut state = TextState::default();
    // The text is rarely much shorter than the markup it comes from.
    state.text.text.reserve(html.len());
    if read_serialized(html, &mut state).is_some() {
        return state.finish();
    }
    read_with_tokenizer(html)
}

/// [`html_to_text_and_images`] with html5ever's tokenizer, for any markup.
fn read_with_tokenizer(html: &str) -> (String, Vec<Image>) {
    let tokenizer = Tokenizer::new(
        TextSink(RefCell::new(TextState::default())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner().finish()
}

/// Reads markup in the form html5ever's serializer writes (which is what
/// [`SanitizedHtml`] holds) without the general tokenizer: text with the
/// entities `&amp;` `&lt;` `&gt;` `&quot;` `&nbsp;` `&#39;`, start tags
/// `<name attr="value" …>` and end tags `</name>` with lowercase names. On
/// this form the result is what html5ever's tokenizer makes of it; on
/// anything else (comments, other entities, unquoted attributes, carriage
/// returns, …) it gives up with `None`, leaving `state` half-filled, and the
/// caller reads the markup with the tokenizer instead.
fn read_serialized(html: &str, state: &mut TextState) -> Option<()> {
    let bytes = html.as_bytes();
    if html.starts_with('\u{feff}') {
        // The tokenizer drops a leading byte order mark.
        return None;
    }
    let mut i = 0;
    while i < bytes.len() {
        i = match state.text_target() {
            Some(target) => target.push_text_until(html, i, MARKUP),
            None => {
                while bytes
                    .get(i)
                    .is_some_and(|&b| BYTE_CLASS[usize::from(b)] & MARKUP == 0)
                {
                    i += 1;
                }
                i
            }
        };
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'&' => {
                let (c, len) = entity(&bytes[i..])?;
                state.text(c.encode_utf8(&mut [0; 4]));
                i += len;
            }
            b'<' => i = read_tag(html, i, state)?,
            _ => return None,
        }
    }
    Some(())
}

/// The character an entity the serializer (or [`escape_into`]) writes
/// stands for, and the entity's length.
fn entity(bytes: &[u8]) -> Option<(char, usize)> {
    const ENTITIES: [(&[u8], char); 6] = [
        (b"&amp;", '&'),
        (b"&lt;", '<'),
        (b"&gt;", '>'),
        (b"&quot;", '"'),
        (b"&nbsp;", '\u{a0}'),
        (b"&#39;", '\''),
    ];
    ENTITIES
        .iter()
        .find(|(e, _)| bytes.starts_with(e))
        .map(|&(e, c)| (c, e.len()))
}

/// Reads the tag at `html[at]` (a `<`) into `state`; the index after it.
fn read_tag(html: &str, at: usize, state: &mut TextState) -> Option<usize> {
    let bytes = html.as_bytes();
    let name_at = |i: usize| -> Option<usize> {
        if !bytes.get(i)?.is_ascii_lowercase() {
            return None;
        }
        let mut j = i + 1;
        while bytes
            .get(j)
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            j += 1;
        }
        Some(j)
    };
    if bytes.get(at + 1) == Some(&b'/') {
        let end = name_at(at + 2)?;
        if bytes.get(end) != Some(&b'>') {
            return None;
        }
        state.tag(&html[at + 2..end], false, false, || {
            (Cow::Borrowed(""), Cow::Borrowed(""))
        });
        return Some(end + 1);
    }
    let name_end = name_at(at + 1)?;
    let name = &html[at + 1..name_end];
    let mut src = None;
    let mut alt = None;
    let mut i = name_end;
    loop {
        match bytes.get(i)? {
            b'>' => break,
            b' ' => {}
            _ => return None,
        }
        let attr_start = i + 1;
        let mut j = attr_start;
        while bytes.get(j).is_some_and(|&b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b':' | b'.')
        }) {
            j += 1;
        }
        if j == attr_start || bytes.get(j..j + 2)? != b"=\"" {
            return None;
        }
        let value_start = j + 2;
        let mut k = value_start;
        let mut has_entity = false;
        loop {
            match *bytes.get(k)? {
                b'"' => break,
                b'&' => {
                    entity(&bytes[k..])?;
                    has_entity = true;
                }
                b'\r' | b'\0' => return None,
                _ => {}
            }
            k += 1;
        }
        let value = (&html[value_start..k], has_entity);
        match &html[attr_start..j] {
            "src" if src.is_none() => src = Some(value),
            "alt" if alt.is_none() => alt = Some(value),
            _ => {}
        }
        i = k + 1;
    }
    state.tag(name, true, false, || (decode_attr(src), decode_attr(alt)));
    Some(i + 1)
}

/// An attribute value read by [`read_tag`], its entities (if it has any)
/// decoded.
fn decode_attr(value: Option<(&str, bool)>) -> Cow<'_, str> {
    match value {
        None => Cow::Borrowed(""),
        Some((raw, false)) => Cow::Borrowed(raw),
        Some((raw, true)) => {
            let mut out = String::with_capacity(raw.len());
            let mut rest = raw;
            while let Some(amp) = rest.find('&') {
                out.push_str(&rest[..amp]);
                // Checked while scanning the value.
                let (c, len) = entity(&rest.as_bytes()[amp..]).unwrap_or(('&', 1));
                out.push(c);
                rest = &rest[amp + len..];
            }
            out.push_str(rest);
            Cow::Owned(out)
        }
    }
}

/// A feed a page announces with `<link rel="alternate" type="…" href="…">`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    /// Absolute URL, resolved against the page's URL (or its `<base href>`).
    pub url: String,
    pub title: Option<String>,
}

const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
];

struct LinkSink {
    base: RefCell<url::Url>,
    found: RefCell<Vec<FeedLink>>,
}

impl TokenSink for LinkSink {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let attr = |n: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == n)
                .map(|a| a.value.trim().to_string())
        };
        match &*tag.name {
            "base" => {
                if let Some(href) = attr("href") {
                    let joined = self.base.borrow().join(&href);
                    if let Ok(b) = joined {
                        *self.base.borrow_mut() = b;
                    }
                }
            }
            "link" => {
                let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
                let kind = attr("type").unwrap_or_default().to_ascii_lowercase();
                let is_feed = rel.split_whitespace().any(|r| r == "alternate")
                    && FEED_TYPES.contains(&kind.as_str());
                if let (true, Some(href)) = (is_feed, attr("href")) {
                    if let Ok(url) = self.base.borrow().join(&href) {
                        let title = attr("title").filter(|t| !t.is_empty());
                        let mut found = self.found.borrow_mut();
                        if !found.iter().any(|f| f.url == url.as_str()) {
                            found.push(FeedLink {
                                url: url.to_string(),
                                title,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The feeds a page announces (feed autodiscovery), in page order.
pub fn feed_links(html: &str, page_url: &url::Url) -> Vec<FeedLink> {
    let sink = LinkSink {
        base: RefCell::new(page_url.clone()),
        found: RefCell::new(Vec::new()),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.into_inner()
}

/// `html_to_text_and_images` as it was written first: every fragment through
/// html5ever's tokenizer, each paragraph collapsed on its own. The tests hold
/// the faster reading to its results.
#[cfg(test)]
mod reference {
    use html5ever::tokenizer::{
        BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::RefCell;

    use crate::article::Image;

    const BLOCK_TAGS: &[&str] = &[
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "table",
        "tr",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "hr",
        "dl",
        "dt",
        "dd",
        "center",
        "details",
        "summary",
    ];

    #[derive(Default)]
    struct TextState {
        paragraphs: Vec<String>,
        current: String,
        images: Vec<Image>,
        skip_depth: usize,
        in_figcaption: bool,
        caption: String,
    }

    impl TextState {
        fn flush(&mut self) {
            let para = collapse_whitespace(&self.current);
            if !para.is_empty() {
                self.paragraphs.push(para);
            }
            self.current.clear();
        }

        fn tag(&mut self, tag: &Tag) {
            let name: &str = &tag.name;
            let start = tag.kind == TagKind::StartTag;
            if matches!(name, "script" | "style" | "noscript" | "template") {
                if start && !tag.self_closing {
                    self.skip_depth += 1;
                } else if !start {
                    self.skip_depth = self.skip_depth.saturating_sub(1);
                }
                return;
            }
            match name {
                "img" if start => {
                    let attr = |n: &str| {
                        tag.attrs
                            .iter()
                            .find(|a| &*a.name.local == n)
                            .map(|a| a.value.trim().to_string())
                            .unwrap_or_default()
                    };
                    let src = attr("src");
                    if !src.is_empty() {
                        self.images.push(Image {
                            src,
                            caption: attr("alt"),
                        });
                    }
                }
                "br" => self.current.push('\n'),
                "figcaption" => {
                    self.flush();
                    if start {
                        self.in_figcaption = true;
                        self.caption.clear();
                    } else {
                        self.in_figcaption = false;
                        let caption = collapse_whitespace(&self.caption);
                        if let Some(last) = self.images.last_mut() {
                            if !caption.is_empty() {
                                last.caption = caption;
                            }
                        }
                    }
                }
                _ if BLOCK_TAGS.contains(&name) => self.flush(),
                _ => {}
            }
        }
    }

    struct TextSink(RefCell<TextState>);

    impl TokenSink for TextSink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut state = self.0.borrow_mut();
            match token {
                Token::TagToken(tag) => state.tag(&tag),
                Token::CharacterTokens(text) if state.skip_depth == 0 => {
                    if state.in_figcaption {
                        state.caption.push_str(&text);
                    } else {
                        state.current.push_str(&text);
                    }
                }
                Token::EOFToken => state.flush(),
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }

    /// The reading before `read_serialized` and [`super::Collapsed`]: what the
    /// faster one must give exactly.
    pub(super) fn html_to_text_and_images(html: &str) -> (String, Vec<Image>) {
        let tokenizer = Tokenizer::new(
            TextSink(RefCell::new(TextState::default())),
            TokenizerOpts::default(),
        );
        let input = BufferQueue::default();
        input.push_back(html.into());
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        let state = tokenizer.sink.0.into_inner();
        (state.paragraphs.join("\n\n"), state.images)
    }

    /// Collapses runs of whitespace (including the ideographic space U+3000 that
    /// Chinese pages indent paragraphs with) to one space, keeping line breaks
    /// from `<br>` as single newlines, and trims.
    fn collapse_whitespace(s: &str) -> String {
        let mut lines = Vec::new();
        for line in s.split('\n') {
            let mut out = String::with_capacity(line.len());
            for word in line.split(char::is_whitespace).filter(|w| !w.is_empty()) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
            }
            if !out.is_empty() {
                lines.push(out);
            }
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_bad_schemes_are_removed() {
        let html = SanitizedHtml::sanitize(
            r#"<p onclick="x()">正文<script>alert(1)</script></p><a href="javascript:alert(1)">链接</a><iframe src="https://e.com"></iframe><style>p{}</style>"#,
        );
        let s = html.as_str();
        assert!(
            !s.contains("script") && !s.contains("onclick") && !s.contains("javascript"),
            "{s}"
        );
        assert!(!s.contains("iframe") && !s.contains("style"), "{s}");
        assert!(s.contains("正文") && s.contains("链接"), "{s}");
    }

    #[test]
    fn each_base_gets_its_own_links_although_the_policy_is_kept_per_thread() {
        let markup = r#"<a href="x.html">全文</a>"#;
        for (base, want) in [
            (
                "https://a.example.com/feed.xml",
                "https://a.example.com/x.html",
            ),
            (
                "https://b.example.com/rss/",
                "https://b.example.com/rss/x.html",
            ),
            (
                "https://a.example.com/feed.xml",
                "https://a.example.com/x.html",
            ),
        ] {
            let base = url::Url::parse(base).expect("url");
            let html = SanitizedHtml::sanitize_with_base(markup, &base);
            assert!(html.as_str().contains(want), "{} for {base}", html.as_str());
        }
    }

    #[test]
    fn relative_links_become_absolute_under_the_same_policy() {
        let base = url::Url::parse("https://news.example.com/finance/feed.xml").expect("url");
        let html = SanitizedHtml::sanitize_with_base(
            r#"<p><a href="/a/1.html">全文</a><img src="img/x.jpg" onerror="x()"><script>bad()</script></p>"#,
            &base,
        );
        let s = html.as_str();
        assert!(
            s.contains(r#"href="https://news.example.com/a/1.html""#),
            "{s}"
        );
        assert!(
            s.contains(r#"src="https://news.example.com/finance/img/x.jpg""#),
            "{s}"
        );
        assert!(!s.contains("onerror") && !s.contains("script"), "{s}");
    }

    #[test]
    fn plain_text_is_escaped_into_paragraphs() {
        let html = SanitizedHtml::from_plain_text("第一段 <b>\n\n  第二段 & 更多  \n");
        assert_eq!(
            html.as_str(),
            "<p>第一段 &lt;b&gt;</p><p>第二段 &amp; 更多</p>"
        );
    }

    #[test]
    fn recognises_its_own_plain_paragraphs() {
        for text in ["第一段 <b>\n\n  第二段 & \"引号\" 'x'  \n", "", "一行"] {
            assert!(
                SanitizedHtml::from_plain_text(text).is_paragraphs_of(text),
                "{text:?}"
            );
        }
        let html = SanitizedHtml::from_plain_text("甲\n乙");
        assert!(!html.is_paragraphs_of("甲"));
        assert!(!html.is_paragraphs_of("甲\n乙\n丙"));
        assert!(!html.is_paragraphs_of("甲\n丁"));
        assert!(!SanitizedHtml::sanitize("<p>甲<b>乙</b></p>").is_paragraphs_of("甲乙"));
    }

    #[test]
    fn text_keeps_paragraphs_and_collects_images() {
        let html = SanitizedHtml::sanitize(
            "<p>　　美联储表示，<strong>通胀</strong>回落。</p><figure><img src=\"https://e.com/a.jpg\" alt=\"图\"><figcaption>黄仁勋接受采访视频截图</figcaption></figure><p>第二段<br>换行</p>",
        );
        let (text, images) = html.to_text_and_images();
        assert_eq!(text, "美联储表示，通胀回落。\n\n第二段\n换行");
        assert_eq!(images.len(), 1);
        assert_eq!(images[0].src, "https://e.com/a.jpg");
        assert_eq!(images[0].caption, "黄仁勋接受采访视频截图");
    }

    #[test]
    fn whitespace_is_found_as_char_is_whitespace_finds_it() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            let want = if c.is_whitespace() { c.len_utf8() } else { 0 };
            assert_eq!(whitespace_len(bytes, 0), want, "{c:?}");
            let class = BYTE_CLASS[usize::from(bytes[0])];
            if c.is_whitespace() {
                assert_ne!(class & MAYBE_SPACE, 0, "{c:?}");
            }
            for &b in &bytes[1..] {
                assert_eq!(BYTE_CLASS[usize::from(b)], 0, "{c:?}");
            }
        }
    }

    /// A small deterministic generator (xorshift), so that the test needs no
    /// dependency and fails the same way every time.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }
    }

    const TEXT: &[&str] = &[
        "美联储表示",
        "通胀回落。",
        "，",
        "abc",
        "x y",
        " ",
        "  ",
        "\u{3000}\u{3000}",
        "\u{a0}",
        "\n",
        "\n\n",
        "\t",
        "\r\n",
        "\r",
        "\u{2003}",
        "\u{85}",
        "\u{200b}",
        "\u{feff}",
        "\u{1680}",
        "\u{205f}",
        "\u{202f}",
        "\0",
        "\u{b}",
        "\u{c}",
        "'",
        "\"",
        ">",
        "<",
        "& ",
        "&amp;",
        "&lt;",
        "&gt;",
        "&quot;",
        "&#39;",
        "&nbsp;",
        "&nbsp",
        "&amp",
        "&copy;",
        "&#x41;",
        "&#12288;",
        "&ampx",
        "=",
        "/",
    ];

    const MARKUP: &[&str] = &[
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<strong>",
        "</strong>",
        "<span>",
        "</span>",
        "<a href=\"https://e.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer nofollow\">",
        "</a>",
        "<blockquote>",
        "</blockquote>",
        "<figure>",
        "</figure>",
        "<figcaption>",
        "</figcaption>",
        "<img src=\"https://e.com/a.jpg\" alt=\"图 一\">",
        "<img src=\" https://e.com/b.jpg \" alt=\" a &quot;b&quot; &gt; c&amp;d&nbsp;e&#39;f&lt;\">",
        "<img alt=\"无源\">",
        "<img src=\"\" alt=\"空\">",
        "<img src=\"https://e.com/c.jpg\">",
        "<img src=\"a>b<c.jpg\" alt=\"x > y\" width=\"10\">",
        "<img src=\"first.jpg\" src=\"second.jpg\" alt=\"1\" alt=\"2\">",
        "<img src='single.jpg' alt='单'>",
        "<img src=unquoted.jpg alt=x>",
        "<IMG SRC=\"upper.jpg\">",
        "<img src=\"s.jpg\"/>",
        "<img src=\"s.jpg\" >",
        "<img src=\"&copy;.jpg\">",
        "<img src=\"cr.jpg\" alt=\"a\r\nb\rc\">",
        "<img src=\"nul.jpg\" alt=\"a\0b\">",
        "<img SRC=\"upper-attr.jpg\" Alt=\"大写\">",
        "<iMG src=\"mixed.jpg\">",
        "<dIv>",
        "</dIv>",
        "<img\nsrc=\"nl.jpg\">",
        "<br>",
        "<br/>",
        "</br>",
        "<hr>",
        "<h1>",
        "</h1>",
        "<h2>",
        "</h2>",
        "<ul>",
        "<li>",
        "</li>",
        "</ul>",
        "<table>",
        "<tbody>",
        "<tr>",
        "<td>",
        "</td>",
        "</tr>",
        "</tbody>",
        "</table>",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<script/>",
        "<style>",
        "</style>",
        "<noscript>",
        "</noscript>",
        "<template>",
        "</template>",
        "<!-- 注释 <p> -->",
        "<!DOCTYPE html>",
        "<?php echo 1 ?>",
        "<P>",
        "</P >",
        "<p >",
        "<p class=\"x\" id=\"y\">",
        "<time datetime=\"2024-01-01\">",
        "</time>",
        "<textarea>",
        "</textarea>",
        "<svg><foreignObject>",
        "</foreignObject></svg>",
        "<3",
        "</>",
        "<p",
        "<img src=\"unterminated",
    ];

    /// Up to 40 pieces of [`TEXT`] and [`MARKUP`]; with `mostly_fast`, all
    /// but about one in 30 of them pieces the fast reading takes on their own,
    /// so that it gets far into the fragment (and sometimes gives up there).
    fn generated_fragment(rng: &mut Rng, mostly_fast: bool) -> String {
        let fast = |piece: &&str| read_serialized(piece, &mut TextState::default()).is_some();
        let fast_text: Vec<&str> = TEXT.iter().copied().filter(fast).collect();
        let fast_markup: Vec<&str> = MARKUP.iter().copied().filter(fast).collect();
        let mut html = String::new();
        for _ in 0..rng.below(40) + 1 {
            let any = !mostly_fast || rng.below(30) == 0;
            let piece = match (rng.below(2) == 0, any) {
                (true, true) => rng.pick(TEXT),
                (true, false) => rng.pick(&fast_text),
                (false, true) => rng.pick(MARKUP),
                (false, false) => rng.pick(&fast_markup),
            };
            html.push_str(piece);
        }
        html
    }

    /// Reads `html` every way there is and holds each to the reference.
    /// Whether the fast reading took it.
    fn assert_read_as_reference(html: &str) -> bool {
        let want = reference::html_to_text_and_images(html);
        assert_eq!(html_to_text_and_images(html), want, "{html:?}");
        assert_eq!(read_with_tokenizer(html), want, "{html:?}");
        let mut state = TextState::default();
        let fast = read_serialized(html, &mut state).is_some();
        if fast {
            assert_eq!(state.finish(), want, "{html:?}");
        }
        fast
    }

    #[test]
    fn generated_fragments_read_as_the_tokenizer_reads_them() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut sanitized, mut fast) = (0, 0);
        for i in 0..3000 {
            let raw = generated_fragment(&mut rng, i % 2 == 0);
            assert_read_as_reference(&raw);
            let clean = SanitizedHtml::sanitize(&raw);
            sanitized += 1;
            if assert_read_as_reference(clean.as_str()) {
                fast += 1;
            }
            // Escaped text goes the fast way unless it holds what the
            // tokenizer would change: a carriage return, a NUL, or a leading
            // byte order mark.
            let plain = SanitizedHtml::from_plain_text(&raw);
            assert!(
                assert_read_as_reference(plain.as_str()) || raw.contains(['\0', '\r', '\u{feff}']),
                "{raw:?}"
            );
        }
        // Sanitized markup goes the fast way unless it holds a carriage
        // return or a NUL (which the sanitizer keeps as text).
        assert!(fast * 10 > sanitized * 7, "{fast} of {sanitized}");
    }

    #[test]
    fn fixture_feeds_read_as_the_tokenizer_reads_them() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../huiwen-feed/tests/data");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        let mut read = 0;
        for entry in entries {
            let Ok(bytes) = std::fs::read(entry.expect("dir entry").path()) else {
                continue;
            };
            let content = String::from_utf8_lossy(&bytes);
            let mut pieces = vec![content.to_string()];
            pieces.extend(
                content
                    .split("<![CDATA[")
                    .skip(1)
                    .filter_map(|c| c.split_once("]]>").map(|(inner, _)| inner.to_string())),
            );
            for piece in pieces {
                assert_read_as_reference(&piece);
                assert!(
                    assert_read_as_reference(SanitizedHtml::sanitize(&piece).as_str())
                        || piece.contains('\r')
                );
                read += 1;
            }
        }
        assert!(read > 0);
    }

    #[test]
    fn announced_feeds_are_found_and_resolved() {
        let page = url::Url::parse("https://news.example.com/finance/index.html").expect("url");
        let html = r#"<html><head><link rel="stylesheet" href="a.css">
            <link rel="alternate" type="application/rss+xml" title="财经频道" href="/rss/finance.xml">
            <LINK REL="Alternate" TYPE="application/atom+xml" HREF="https://other.example.com/atom">
            <link rel="alternate" type="text/html" hreflang="en" href="/en/"></head></html>"#;
        let links = feed_links(html, &page);
        assert_eq!(links.len(), 2, "{links:?}");
        assert_eq!(links[0].url, "https://news.example.com/rss/finance.xml");
        assert_eq!(links[0].title.as_deref(), Some("财经频道"));
        assert_eq!(links[1].url, "https://other.example.com/atom");
        assert!(feed_links("<p>no feeds</p>", &page).is_empty());
    }

    #[test]
    fn deserializing_sanitizes() {
        let html: SanitizedHtml =
            serde_json::from_str(r#""<p>ok</p><script>bad()</script>""#).expect("json");
        assert_eq!(html.as_str(), "<p>ok</p>");
    }
}
