//! Sanitized HTML and its plain-text reading.
//!
//! Article bodies come from pages and feeds we do not control. A
//! [`SanitizedHtml`] can only be made by running untrusted markup through the
//! sanitizer ([`SanitizedHtml::sanitize`]) or by escaping plain text
//! ([`SanitizedHtml::from_plain_text`]); the store and the web pages accept
//! nothing else, so script injection needs a bug here rather than a forgotten
//! call somewhere else.

use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use serde::{Deserialize, Serialize};
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

impl SanitizedHtml {
    /// Sanitizes markup from anywhere.
    pub fn sanitize(untrusted: &str) -> Self {
        SanitizedHtml(sanitizer().clean(untrusted).to_string())
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
            SanitizedHtml(builder.clean(untrusted).to_string())
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

/// Plain text of any HTML fragment: paragraphs separated by a blank line,
/// whitespace collapsed, script and style content dropped.
pub fn html_to_text_and_images(html: &str) -> (String, Vec<Image>) {
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
