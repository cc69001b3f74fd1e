//! Feed dialects rewritten into the ones feed-rs reads, before it reads them.
//!
//! feed-rs reads the feed standards well and everything around them not at
//! all: an RSS item whose article is in `<xhtml:body>` or `<fullitem>`, Dublin
//! Core `dc:title` or `dcterms:issued` in RSS 2.0, RSS 1.0 items that carry
//! only `rdf:about`, Atom text in base64, a bare `&` in a URL. Each of these
//! either loses the article or, worse, fails the whole feed. Rather than
//! fork the parser, this module edits the document: unchanged bytes are
//! copied, and only the spans that need it are replaced.
//!
//! Every rewrite is best effort: when the document is not well-formed enough
//! to rewrite, it is returned as it came and feed-rs reports what is wrong.

use std::borrow::Cow;
use std::ops::Range;

use base64::Engine as _;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

const ATOM_03_NS: &str = "http://purl.org/atom/ns#";
const ATOM_10_NS: &str = "http://www.w3.org/2005/Atom";
const RSS_090_NS: &str = "http://my.netscape.com/rdf/simple/0.9/";
const RSS_10_NS: &str = "http://purl.org/rss/1.0/";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
const DCTERMS_NS: &str = "http://purl.org/dc/terms/";
const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";

/// All rewrites, in order: entity repair, namespace renames, then the
/// element rewrites.
pub(crate) fn normalize(text: &str) -> Cow<'_, str> {
    let text = repair_ampersands(text);
    let text = match atom03_as_atom10(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(s) => Cow::Owned(s),
    };
    let text = if contains(&text, RSS_090_NS) {
        // RSS 0.90 is RSS 1.0's ancestor, with the same element names.
        Cow::Owned(text.replace(RSS_090_NS, RSS_10_NS))
    } else {
        text
    };
    match rewrite_elements(&text) {
        Some(rewritten) => Cow::Owned(rewritten),
        None => text,
    }
}

/// Makes a bare `&` (as in `?a=1&b=2`, common in hand-written Chinese feeds)
/// `&amp;`, and `&#X41;` the `&#x41;` XML spells; both otherwise fail the
/// whole document. CDATA sections and comments are left as they are.
fn repair_ampersands(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' if text[i..].starts_with("<![CDATA[") => {
                i = text[i..].find("]]>").map_or(bytes.len(), |e| i + e + 3);
            }
            b'<' if text[i..].starts_with("<!--") => {
                i = text[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            }
            b'&' => {
                let reference = reference_len(&bytes[i..]);
                let fix = match reference {
                    Some(_) if bytes.get(i + 2) == Some(&b'X') => Some("&#x"),
                    Some(_) => None,
                    None => Some("&amp;"),
                };
                if let Some(fix) = fix {
                    let buf = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
                    buf.push_str(&text[copied..i]);
                    buf.push_str(fix);
                    // `&#X` → `&#x`: three bytes replaced; a bare `&`: one.
                    copied = if fix == "&#x" { i + 3 } else { i + 1 };
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
        None => Cow::Borrowed(text),
    }
}

/// The length of the entity or character reference at the start of `s`
/// (which starts with `&`), or `None` when it is not one.
fn reference_len(s: &[u8]) -> Option<usize> {
    let body = s.get(1..)?;
    let (digits, skip): (fn(&u8) -> bool, usize) = match body {
        [b'#', b'x' | b'X', ..] => (u8::is_ascii_hexdigit, 2),
        [b'#', ..] => (u8::is_ascii_digit, 1),
        [c, ..] if c.is_ascii_alphabetic() => (u8::is_ascii_alphanumeric, 0),
        _ => return None,
    };
    let run = body[skip..]
        .iter()
        .take(40)
        .take_while(|c| digits(c))
        .count();
    (run > 0 && body.get(skip + run) == Some(&b';')).then_some(1 + skip + run + 1)
}

/// Atom 0.3 (still served by old Chinese CMSes) read as Atom 1.0: feed-rs
/// knows only the 1.0 namespace and would return no entries. The 0.3
/// elements that were renamed in 1.0 are renamed too.
fn atom03_as_atom10(text: &str) -> Cow<'_, str> {
    if !contains(text, ATOM_03_NS) {
        return Cow::Borrowed(text);
    }
    let mut out = text.replace(ATOM_03_NS, ATOM_10_NS);
    for (old, new) in [
        ("issued", "published"),
        ("modified", "updated"),
        ("tagline", "subtitle"),
        ("copyright", "rights"),
    ] {
        out = out
            .replace(&format!("<{old}>"), &format!("<{new}>"))
            .replace(&format!("<{old} "), &format!("<{new} "))
            .replace(&format!("</{old}>"), &format!("</{new}>"));
    }
    // 0.3 named content types by MIME type; 1.0 by text / html / xhtml.
    for (old, new) in [
        ("type=\"application/xhtml+xml\"", "type=\"xhtml\""),
        ("type=\"text/html\"", "type=\"html\""),
        ("type=\"text/plain\"", "type=\"text\""),
    ] {
        out = out.replace(old, new);
    }
    Cow::Owned(out)
}

/// Whether any element rewrite could apply; most feeds need none, and a
/// few substring scans are far cheaper than a second XML pass.
fn may_need_rewrite(text: &str) -> bool {
    // Dublin Core by its usual prefix: `dc:creator` and `dc:date`, which
    // nearly every feed has, need no rewrite and must not cost a second pass.
    [
        "<body",
        ":body",
        "<fullitem",
        "dc:title",
        "dc:description",
        "dc:subject",
        "dc:author",
        DCTERMS_NS,
        "rdf:about",
        "base64",
    ]
    .iter()
    .any(|needle| contains(text, needle))
        || rss_has_default_namespace(text)
        || has_untextual_text_construct(text)
}

/// `haystack.contains(needle)`, with SIMD: normalizing reads whole feeds
/// (a few hundred kilobytes each) several times over.
fn contains(haystack: &str, needle: &str) -> bool {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes()).is_some()
}

/// Whether an Atom text construct (`<title type="…">` and the like) names a
/// type that is empty or not text: nearly every Atom feed has `type="html"`,
/// and only these few need the second pass.
fn has_untextual_text_construct(text: &str) -> bool {
    const NEEDLE: &str = "type=\"";
    memchr::memmem::find_iter(text.as_bytes(), NEEDLE).any(|at| {
        let value_start = at + NEEDLE.len();
        let value = text[value_start..].split('"').next().unwrap_or_default();
        if is_textual_type(value.trim()) {
            return false;
        }
        let tag_start = text[..at].rfind('<').unwrap_or(0);
        let name: String = text[tag_start + 1..at]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        is_atom_text(name.rsplit(':').next().unwrap_or_default())
    })
}

fn rss_has_default_namespace(text: &str) -> bool {
    text.find("<rss").is_some_and(|at| {
        let tag = &text[at..];
        let end = tag.find('>').unwrap_or(tag.len());
        tag[..end].contains("xmlns=")
    })
}

/// The element rewrites. `None` when there was nothing to change or the
/// document could not be read far enough to change it.
fn rewrite_elements(text: &str) -> Option<String> {
    if !may_need_rewrite(text) {
        return None;
    }
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // One frame per open element: the name its end tag must be given when
    // the start tag was renamed.
    let mut open: Vec<Option<String>> = Vec::new();
    let mut root: Option<String> = None;
    let mut item: Option<ItemState> = None;
    loop {
        let start = position(&reader);
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (namespace(&ns), event),
            Err(_) => return None,
        };
        let end = position(&reader);
        match event {
            Event::Start(tag) => {
                let local = tag.local_name().as_ref().to_string();
                let qname = tag.name().as_ref().to_string();
                let depth = open.len();
                if root.is_none() {
                    root = Some(local.clone());
                    if local == "rss" && rss_has_default_namespace(&text[start..end]) {
                        // RSS 2.0 has no namespace; a default one (seen:
                        // `http://backend.userland.com/rss2`) hides every
                        // element from the reader.
                        edits.push((start..end, drop_default_namespace(&text[start..end])));
                    }
                }
                let in_item = item.as_ref().is_some_and(|it| it.depth + 1 == depth);
                if local == "item" && item.is_none() {
                    item = Some(ItemState {
                        depth,
                        about: attribute(&tag, "about"),
                        saw_link: false,
                    });
                    open.push(None);
                    continue;
                }
                if in_item {
                    if local == "link" {
                        if let Some(it) = item.as_mut() {
                            it.saw_link = true;
                        }
                    }
                    if matches!(local.as_str(), "body" | "fullitem") {
                        // The whole article, as XHTML elements (`body`) or
                        // as escaped HTML (`fullitem`): content:encoded.
                        let inner = reader.read_text(tag.name()).ok()?;
                        let html = if local == "body" {
                            inner.into_inner().into_owned()
                        } else {
                            text_content(&inner)?
                        };
                        let after = position(&reader);
                        edits.push((
                            start..after,
                            format!(
                                "<content:encoded xmlns:content=\"{CONTENT_NS}\">{}</content:encoded>",
                                quick_xml::escape::escape(html.as_str())
                            ),
                        ));
                        continue;
                    }
                    if let Some(new_name) = item_rename(ns, &local, &qname, root.as_deref()) {
                        edits.push((start..start + 1 + qname.len(), format!("<{new_name}")));
                        open.push(Some(new_name));
                        continue;
                    }
                }
                if ns == Some(ATOM_10_NS) && is_atom_text(&local) {
                    if let Some(mode) = atom_text_mode(&tag) {
                        let inner = reader.read_text(tag.name()).ok()?;
                        let after = position(&reader);
                        let raw = quick_xml::escape::unescape(&inner).ok()?.into_owned();
                        let (type_attr, body) = match mode {
                            AtomTextMode::Base64 => ("html", decode_base64(&raw)?),
                            AtomTextMode::Untyped => ("text", raw),
                        };
                        edits.push((
                            start..after,
                            format!(
                                "<{qname} type=\"{type_attr}\">{}</{qname}>",
                                quick_xml::escape::escape(body.as_str())
                            ),
                        ));
                        continue;
                    }
                }
                open.push(None);
            }
            Event::End(_) => {
                let depth = open.len().saturating_sub(1);
                if let Some(Some(renamed)) = open.pop() {
                    edits.push((start..end, format!("</{renamed}>")));
                }
                if item.as_ref().is_some_and(|it| it.depth == depth) {
                    if let Some(ItemState {
                        about: Some(about),
                        saw_link: false,
                        ..
                    }) = item.take()
                    {
                        // RSS 1.0 identifies an item by rdf:about, which is
                        // its link; feed-rs drops items without <link>.
                        edits.push((
                            start..start,
                            format!("<link>{}</link>", quick_xml::escape::escape(about.as_str())),
                        ));
                    }
                    item = None;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 256);
    let mut copied = 0;
    for (range, replacement) in edits {
        out.push_str(&text[copied..range.start]);
        out.push_str(&replacement);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

struct ItemState {
    depth: usize,
    about: Option<String>,
    saw_link: bool,
}

fn position(reader: &NsReader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// The namespaces a rewrite depends on; any other is `None`.
fn namespace(ns: &ResolveResult<'_>) -> Option<&'static str> {
    match ns {
        ResolveResult::Bound(ns) => [ATOM_10_NS, DC_NS, DCTERMS_NS]
            .into_iter()
            .find(|known| *known == ns.as_ref()),
        _ => None,
    }
}

fn attribute(tag: &BytesStart<'_>, local: &str) -> Option<String> {
    tag.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// The name an item child is read under: Dublin Core's title, description,
/// subject and author as the RSS elements they duplicate, DCMI terms dates
/// as RSS dates.
fn item_rename(ns: Option<&str>, local: &str, qname: &str, root: Option<&str>) -> Option<String> {
    let rss2 = root == Some("rss");
    let prefix = qname.rsplit_once(':').map(|(p, _)| p);
    match (ns?, local) {
        (DC_NS, "title" | "description") => Some(local.to_string()),
        (DC_NS, "subject") if rss2 => Some("category".to_string()),
        (DC_NS, "author") => prefix.map(|p| format!("{p}:creator")),
        (DCTERMS_NS, "issued" | "created") if rss2 => Some("pubDate".to_string()),
        (DCTERMS_NS, "modified") if rss2 => Some("updated".to_string()),
        _ => None,
    }
}

fn is_atom_text(local: &str) -> bool {
    matches!(
        local,
        "title" | "subtitle" | "summary" | "content" | "rights"
    )
}

enum AtomTextMode {
    Base64,
    /// `type=""`, which feed-rs refuses (failing the whole feed).
    Untyped,
}

/// Atom 0.3's `mode="base64"` and 1.0's non-text media types carry base64;
/// an empty type is plain text.
fn atom_text_mode(tag: &BytesStart<'_>) -> Option<AtomTextMode> {
    if attribute(tag, "mode").as_deref() == Some("base64") {
        return Some(AtomTextMode::Base64);
    }
    let media_type = attribute(tag, "type")?;
    let media_type = media_type.trim();
    if media_type.is_empty() {
        return Some(AtomTextMode::Untyped);
    }
    (!is_textual_type(media_type)).then_some(AtomTextMode::Base64)
}

/// Text, HTML or XML: read as it is. Empty is not textual (it needs a type).
fn is_textual_type(media_type: &str) -> bool {
    matches!(media_type, "text" | "html" | "xhtml")
        || media_type.starts_with("text/")
        || media_type.ends_with("+xml")
        || media_type.ends_with("/xml")
}

/// The text of raw element content: entities decoded, CDATA sections taken
/// as they are.
fn text_content(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find("<![CDATA[") {
        out.push_str(&quick_xml::escape::unescape(&rest[..at]).ok()?);
        let body = &rest[at + "<![CDATA[".len()..];
        let end = body.find("]]>").unwrap_or(body.len());
        out.push_str(&body[..end]);
        rest = body.get(end + 3..).unwrap_or("");
    }
    out.push_str(&quick_xml::escape::unescape(rest).ok()?);
    Some(out)
}

fn decode_base64(raw: &str) -> Option<String> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// The start tag without its `xmlns="…"` attribute.
fn drop_default_namespace(tag: &str) -> String {
    let Some(at) = tag.find("xmlns=") else {
        return tag.to_string();
    };
    let value_start = at + "xmlns=".len();
    let quote = tag[value_start..].chars().next().unwrap_or('"');
    let value_end = tag[value_start + 1..]
        .find(quote)
        .map_or(tag.len(), |i| value_start + 1 + i + 1);
    format!("{}{}", &tag[..at], &tag[value_end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

    #[test]
    fn bare_ampersands_are_escaped_and_references_kept() {
        assert_eq!(
            repair_ampersands("<link>http://x/?a=1&b=2&amp;c&#12;&#x41;&#X41;&nbsp;&</link>"),
            "<link>http://x/?a=1&amp;b=2&amp;c&#12;&#x41;&#x41;&nbsp;&amp;</link>"
        );
        assert_eq!(
            repair_ampersands("<![CDATA[a & b]]><!-- & -->"),
            "<![CDATA[a & b]]><!-- & -->"
        );
        assert!(matches!(repair_ampersands("a &amp; b"), Cow::Borrowed(_)));
    }

    #[test]
    fn rss_body_and_fullitem_become_content() {
        let out = normalize(
            "<rss version=\"2.0\"><channel><item><body xmlns=\"http://www.w3.org/1999/xhtml\"><p>Hi &amp; bye</p></body></item>\
             <item><fullitem>&lt;b&gt;x&lt;/b&gt;</fullitem></item></channel></rss>",
        );
        assert!(out.contains("<content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;</content:encoded>"), "{out}");
        assert!(
            out.contains(">&lt;b&gt;x&lt;/b&gt;</content:encoded>"),
            "{out}"
        );
    }

    #[test]
    fn dublin_core_and_rdf_about_are_mapped() {
        let out = normalize(
            "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><item>\
             <dc:title>T</dc:title><dc:subject>S</dc:subject></item></channel></rss>",
        );
        assert!(
            out.contains("<title>T</title><category>S</category>"),
            "{out}"
        );
        let rdf = format!(
            "<rdf:RDF xmlns:rdf=\"{RDF_NS}\" xmlns=\"{RSS_10_NS}\"><item rdf:about=\"http://e/1\"><title>x</title></item></rdf:RDF>"
        );
        let out = normalize(&rdf);
        assert!(
            out.contains("<title>x</title><link>http://e/1</link></item>"),
            "{out}"
        );
    }

    #[test]
    fn atom_base64_text_is_decoded() {
        let out = normalize(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"application/octet-stream\">PGI+aGk8L2I+</title></feed>",
        );
        assert!(
            out.contains("<title type=\"html\">&lt;b&gt;hi&lt;/b&gt;</title>"),
            "{out}"
        );
    }

    #[test]
    fn feeds_needing_nothing_are_not_copied() {
        let feed = "<rss version=\"2.0\"><channel><item><title>a</title></item></channel></rss>";
        assert!(matches!(normalize(feed), Cow::Borrowed(_)));
        // Typed Atom text and enclosures of any type need no second pass.
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"html\">a</title>\
                    <link rel=\"enclosure\" type=\"audio/mpeg\" href=\"x\"/><content type=\"xhtml\">nobody</content></feed>";
        assert!(!may_need_rewrite(atom));
        assert!(has_untextual_text_construct(
            "<atom:title type=\"\">x</atom:title>"
        ));
        assert!(has_untextual_text_construct(
            "<summary type='x' type=\"image/png\">"
        ));
    }
}
