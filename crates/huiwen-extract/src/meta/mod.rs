//! Metadata: JSON-LD, OpenGraph and other `<meta>` names, microdata,
//! `<time>` ([`Meta`], read by [`collect`]), and what the page prints that
//! says the same things: its `<h1>`s and the dates in its text, with the
//! label before each (`Updated`, `发布时间`), gathered in one pass as
//! [`Evidence`]. People's and outlets' names as these fields write them are
//! [`names`]'s; the second look at headline and date that weighs all of it
//! is [`refine()`].

use chrono::{DateTime, FixedOffset};
use huiwen_core::timestamp::{parse_timestamp, TimestampContext};
use serde_json::Value;

use crate::dom::{collapse, Dom, NodeData, NodeId};
use crate::rules::rules;

mod names;
mod refine;

pub(crate) use names::{after_byline_lead, byline_lead, is_role, name_part};
use names::{clean_author, given_name_first, ld_names, name_list};
pub use names::{site_name, split_authors};
pub use refine::refine;
use refine::BYLINE_NODES;

/// What the page says about itself.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title_tag: Option<String>,
    /// `<meta>` name/property/itemprop (lower-cased) → content, in order.
    pub metas: Vec<(String, String)>,
    pub canonical: Option<String>,
    pub base_href: Option<String>,
    /// JSON-LD objects that describe an article (or a web page), in order.
    pub ld: Vec<Value>,
    /// Microdata: itemprop → (node, value).
    pub itemprops: Vec<(String, NodeId, String)>,
    pub time_tags: Vec<(NodeId, String)>,
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNews",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "WebPage",
];

fn type_rank(v: &Value) -> Option<usize> {
    let t = v.get("@type")?;
    let names: Vec<&str> = match t {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    names
        .iter()
        .filter_map(|n| ARTICLE_TYPES.iter().position(|t| t == n))
        .min()
}

fn collect_ld(v: &Value, out: &mut Vec<(usize, Value)>, depth: usize) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| collect_ld(x, out, depth + 1)),
        Value::Object(o) => {
            if let Some(rank) = type_rank(v) {
                out.push((rank, v.clone()));
            }
            if let Some(g) = o.get("@graph") {
                collect_ld(g, out, depth + 1);
            }
            if let Some(m) = o.get("mainEntity") {
                collect_ld(m, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Reads what the page says about itself ([`Evidence::meta`]), together
/// with the printed headlines and dates `refine` weighs afterwards.
pub fn collect(dom: &Dom, raw: &str) -> Evidence {
    let mut meta = collect_meta(dom);
    read_enp_properties(raw, &mut meta);
    gather(dom, meta)
}

/// The article properties that Founder's ENP publishing system (光明网,
/// 中国网, many government and party sites) writes into an HTML comment
/// before the text: `<!--enpproperty <date>2024-05-13 08:49:21.0</date>
/// <author>…</author><title>…</title>…/enpproperty-->`. A page of such a
/// CMS may have no `<title>` or `<meta>` of its own; the comment is then its
/// only statement of headline, time and writer. The parser drops comments,
/// so the raw page is searched (once, for the first block).
fn read_enp_properties(raw: &str, meta: &mut Meta) {
    const MARK: &str = "<!--enpproperty";
    // Every page is searched, so with memchr's SIMD search: `str::find`
    // cost 3 % of an extraction.
    let Some(start) = memchr::memmem::find(raw.as_bytes(), MARK.as_bytes()) else {
        return;
    };
    let rest = &raw[start + MARK.len()..];
    let window = crate::truncate(rest, 8_000);
    let block = window.split_once("-->").map_or(window, |(block, _)| block);
    let field = |name: &str| -> Option<String> {
        let open = format!("<{name}>");
        let at = block.find(&open)? + open.len();
        let len = block[at..].find(&format!("</{name}>"))?;
        let value = collapse(&decode_entities(&block[at..at + len]));
        (!value.is_empty()).then_some(value)
    };
    if meta.title_tag.is_none() {
        meta.title_tag = field("title").filter(|t| !placeholder_title(t));
    }
    // `2024-05-13 08:49:21.0`, `2023-12-01 14:43:00:0`: the seconds' tail
    // is a Java timestamp's millisecond field.
    if let Some(date) = field("date") {
        let date = match date.get(..19) {
            Some(head) if date.len() > 19 && date[19..].starts_with(['.', ':']) => head.to_string(),
            _ => date,
        };
        meta.metas.push(("enp:date".into(), date));
    }
    if let Some(author) = field("author") {
        meta.metas.push(("enp:author".into(), author));
    }
}

/// A `<title>` an editor left at its default or filled with a word of the
/// template (无标题文档 is Dreamweaver's, 显示 a forum's "show"): no
/// headline at all.
fn placeholder_title(t: &str) -> bool {
    let t = t.trim();
    let lower = t.to_lowercase();
    t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
        || [
            "无标题文档",
            "无标题",
            "未命名",
            "显示",
            "新建网页 1",
            "untitled",
            "untitled document",
            "document",
            "null",
            "undefined",
        ]
        .contains(&lower.as_str())
}

fn collect_meta(dom: &Dom) -> Meta {
    let mut meta = Meta::default();
    let mut ld = Vec::new();
    for (id, node) in dom.nodes.iter().enumerate() {
        let NodeData::Element { name, .. } = &node.data else {
            continue;
        };
        match &**name {
            "title" if meta.title_tag.is_none() => {
                let t = dom.text_of(id);
                if !t.is_empty() && !placeholder_title(&t) {
                    meta.title_tag = Some(t);
                }
            }
            "meta" => {
                let key = node
                    .attr("property")
                    .or_else(|| node.attr("name"))
                    .or_else(|| node.attr("itemprop"))
                    .or_else(|| node.attr("http-equiv"));
                if let (Some(k), Some(c)) = (key, node.attr("content")) {
                    let c = collapse(&decode_entities(c));
                    if !c.is_empty() {
                        meta.metas.push((k.trim().to_ascii_lowercase(), c));
                    }
                }
            }
            "link" => {
                let rel = node.attr("rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") && meta.canonical.is_none() {
                    meta.canonical = node.attr("href").map(str::to_string);
                }
            }
            "base" if meta.base_href.is_none() => {
                meta.base_href = node.attr("href").map(str::to_string);
            }
            "script" => {
                let ty = node.attr("type").unwrap_or("").to_ascii_lowercase();
                if ty.contains("ld+json") {
                    let raw: String = dom
                        .children(id)
                        .iter()
                        .filter_map(|&c| dom.nodes[c].text())
                        .collect();
                    if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
                        collect_ld(&v, &mut ld, 0);
                    }
                }
            }
            "time" => {
                if let Some(dt) = node.attr("datetime") {
                    meta.time_tags.push((id, dt.to_string()));
                } else {
                    let t = dom.text_of(id);
                    if !t.is_empty() && t.len() < 80 {
                        meta.time_tags.push((id, t));
                    }
                }
            }
            _ => {}
        }
        if let Some(prop) = node.attr("itemprop") {
            let value = node
                .attr("content")
                .or_else(|| node.attr("datetime"))
                .map(str::to_string)
                .or_else(|| scoped_name(dom, id))
                .unwrap_or_else(|| {
                    let t = dom.text_of(id);
                    if t.chars().count() > 200 {
                        String::new()
                    } else {
                        t
                    }
                });
            if !value.is_empty() && !in_comment(dom, id) {
                meta.itemprops.push((prop.to_ascii_lowercase(), id, value));
            }
        }
    }
    ld.sort_by_key(|(rank, _)| *rank);
    meta.ld = ld.into_iter().map(|(_, v)| v).collect();
    meta
}

/// `<meta>` names of the publication time, most specific first.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "published-date",
    "published_date",
    "publishtime",
    "publish_time",
    "pub_date",
    "datepublished",
    "date_published",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "og:release_date",
    "release_date",
    "citation_publication_date",
    "weibo:article:create_at",
    "firstpublishedtime",
    "enp:date",
    "date",
    "created",
];

impl Meta {
    pub fn get(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| {
            self.metas
                .iter()
                .find(|(name, _)| name == k)
                .map(|(_, c)| c.as_str())
        })
    }

    pub fn ld_string(&self, key: &str) -> Option<String> {
        self.ld_str(key)
    }

    fn ld_str(&self, key: &str) -> Option<String> {
        self.ld.iter().find_map(|v| match v.get(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(collapse(&decode_entities(s))),
            Value::Array(a) => a
                .iter()
                .find_map(|x| x.as_str().map(|s| collapse(&decode_entities(s)))),
            _ => None,
        })
    }

    pub fn itemprop(&self, key: &str) -> Option<&str> {
        self.itemprops
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v.as_str())
    }

    pub fn ld_headline(&self) -> Option<String> {
        self.ld_str("headline").or_else(|| {
            // Only an article's `name` is its headline; a WebPage's is the
            // site title.
            self.ld
                .iter()
                .filter(|v| type_rank(v).is_some_and(|r| r + 1 < ARTICLE_TYPES.len()))
                .find_map(|v| v.get("name")?.as_str().map(collapse))
        })
    }

    pub fn published(&self, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
        let candidates = self
            .ld_str("datePublished")
            .into_iter()
            .chain(self.ld_str("dateCreated"))
            .chain(
                PUBLISHED_KEYS
                    .iter()
                    .filter_map(|k| self.get(&[k]))
                    .map(str::to_string),
            )
            .chain(self.itemprop("datepublished").map(str::to_string));
        // The first readable one, unless it gives only the day and a later
        // one gives the time on that day (光明网's `publishdate` 2024-05-13
        // beside its CMS's 2024-05-13 08:49:21).
        let mut day_only: Option<DateTime<FixedOffset>> = None;
        for c in candidates {
            let Some(t) = read_date(&c, ctx) else {
                continue;
            };
            let has_time = c.contains(':');
            match day_only {
                None if has_time => return Some(t),
                None => day_only = Some(t),
                Some(day) if has_time && t.date_naive() == day.date_naive() => return Some(t),
                Some(_) => {}
            }
        }
        day_only
    }

    pub fn updated(&self, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
        let candidates = self.ld_str("dateModified").into_iter().chain(
            self.get(&[
                "article:modified_time",
                "og:updated_time",
                "article:modified",
                "modified_time",
                "lastmod",
                "last-modified",
                "modified-date",
                "modified_date",
                "dcterms.modified",
            ])
            .map(str::to_string),
        );
        candidates.into_iter().find_map(|c| read_date(&c, ctx))
    }

    /// The distinct UTC offsets the page writes in its timestamps (JSON-LD
    /// dates, date `<meta>`s, `<time>` elements), in order.
    fn written_offsets(&self, ctx: TimestampContext) -> Vec<FixedOffset> {
        let ld = self.ld.iter().flat_map(|v| {
            ["datePublished", "dateModified", "dateCreated"]
                .into_iter()
                .filter_map(|k| v.get(k)?.as_str())
        });
        let metas = self
            .metas
            .iter()
            .filter(|(k, _)| k.contains("time") || k.contains("date"))
            .map(|(_, v)| v.as_str());
        let times = self.time_tags.iter().map(|(_, t)| t.as_str());
        let mut out: Vec<FixedOffset> = Vec::new();
        for o in ld
            .chain(metas)
            .chain(times)
            .filter_map(|t| written_offset(t, ctx))
        {
            if !out.contains(&o) {
                out.push(o);
            }
        }
        out
    }

    /// The people the page names as its authors (organizations credited as
    /// author are [`Meta::organization_authors`]).
    pub fn authors(&self) -> Vec<String> {
        let mut out = self.ld_authors(false);
        if out.is_empty() {
            out = self.scholar_authors();
        }
        if out.is_empty() {
            if let Some(a) = self.get(&[
                "author",
                "article:author",
                "byl",
                "parsely-author",
                "dc.creator",
                "sailthru.author",
                "twitter:creator",
                "cxenseparse:author",
                "enp:author",
            ]) {
                if !a.starts_with("http") && !a.starts_with('@') {
                    out.extend(split_authors(a));
                }
            }
        }
        if out.is_empty() {
            if let Some(a) = self.itemprop("author") {
                out.extend(split_authors(a));
            }
        }
        if out.is_empty() {
            out = self.written_by();
        }
        name_list(out)
    }

    /// The authors in Google Scholar's (Highwire Press) tags: one
    /// `citation_author` per person, or the older `citation_authors` list.
    /// Journal pages put their publisher in `meta author`
    /// (`汉斯出版社,Hans Publishers`) and the paper's authors only here.
    fn scholar_authors(&self) -> Vec<String> {
        let mut people: Vec<&str> = self
            .metas
            .iter()
            .filter(|(name, _)| name == "citation_author")
            .map(|(_, person)| person.as_str())
            .take(20)
            .collect();
        if people.is_empty() {
            people = self
                .get(&["citation_authors"])
                .map(|list| list.split([';', '；']).collect())
                .unwrap_or_default();
        }
        people
            .into_iter()
            .map(|person| clean_author(&given_name_first(&collapse(person))))
            .filter(|person| !person.is_empty())
            .collect()
    }

    /// Yoast's Slack preview pair: twitter:label1 "Written by" (or a
    /// site's own wording of it, "Interview by"), twitter:data1 the name.
    /// Set apart because it can name the person where `meta author` names
    /// the site (Five Books).
    pub fn written_by(&self) -> Vec<String> {
        let written_by = (1..=4).find_map(|n| {
            let label = self.get(&[&format!("twitter:label{n}")])?;
            let names_writer = ["written by", "interview by", "author", "authors", "by"]
                .iter()
                .any(|l| label.trim().eq_ignore_ascii_case(l));
            names_writer
                .then(|| self.get(&[&format!("twitter:data{n}")]))
                .flatten()
        });
        written_by.map(split_authors).unwrap_or_default()
    }

    /// JSON-LD authors typed `Organization`: the byline of last resort.
    pub fn organization_authors(&self) -> Vec<String> {
        name_list(self.ld_authors(true))
    }

    /// The `author` names of the first JSON-LD object that gives any: its
    /// people, or with `organizations` its organizations (see [`ld_names`]).
    fn ld_authors(&self, organizations: bool) -> Vec<String> {
        let mut out = Vec::new();
        for a in self.ld.iter().filter_map(|v| v.get("author")) {
            ld_names(a, organizations, &mut out);
            if !out.is_empty() {
                break;
            }
        }
        out
    }

    pub fn publisher(&self) -> Option<String> {
        for v in &self.ld {
            match v.get("publisher") {
                Some(Value::Object(o)) => {
                    if let Some(n) = o.get("name").and_then(Value::as_str) {
                        return Some(collapse(n));
                    }
                }
                Some(Value::String(s)) => return Some(collapse(s)),
                _ => {}
            }
        }
        self.get(&["og:site_name", "application-name", "publisher"])
            .map(str::to_string)
    }

    pub fn image(&self) -> Option<String> {
        if let Some(i) = self.get(&[
            "og:image",
            "og:image:url",
            "twitter:image",
            "twitter:image:src",
        ]) {
            return Some(i.to_string());
        }
        self.ld.iter().find_map(|v| match v.get("image")? {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("url")?.as_str().map(str::to_string),
            Value::Array(a) => a.first().and_then(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o.get("url")?.as_str().map(str::to_string),
                _ => None,
            }),
            _ => None,
        })
    }
}

/// Inside a reader's comment (a microdata `Comment` item, WordPress's
/// `<li class="comment">`): its author and date are the commenter's.
fn in_comment(dom: &Dom, mut id: NodeId) -> bool {
    for _ in 0..12 {
        let node = &dom.nodes[id];
        let comment_item = node
            .attr("itemtype")
            .is_some_and(|t| t.ends_with("/Comment"));
        let comment_class = node
            .attr("class")
            .is_some_and(|c| c.split_whitespace().any(|w| w == "comment"));
        if comment_item || comment_class {
            return true;
        }
        if id == 0 {
            return false;
        }
        id = node.parent;
    }
    false
}

/// The `name` of a microdata item (`<div itemprop="author" itemscope
/// itemtype="…/Person">` holding `<meta itemprop="name" content="Emma
/// Ryan">`, a link and the role): the name alone, not the item's text.
fn scoped_name(dom: &Dom, item: NodeId) -> Option<String> {
    dom.nodes[item].attr("itemscope")?;
    let end = dom.subtree_end(item).min(item + 64);
    (item + 1..end)
        .find(|&k| dom.nodes[k].attr("itemprop") == Some("name"))
        .map(|k| {
            dom.nodes[k]
                .attr("content")
                .map_or_else(|| dom.text_of(k), |c| collapse(&decode_entities(c)))
        })
        .filter(|n| !n.is_empty())
}

/// A date string from metadata: a timestamp or, failing that, the first
/// date written in it.
pub fn read_date(raw: &str, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    if let Some(t) = parse_timestamp(raw, ctx) {
        return Some(t);
    }
    // Unix seconds or milliseconds.
    if raw.len() >= 9 && raw.len() <= 13 && raw.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = raw.parse().ok()?;
        let secs = if raw.len() == 13 { n / 1000 } else { n };
        let utc = DateTime::from_timestamp(secs, 0)?;
        return Some(ctx.zone.convert(&utc.fixed_offset()));
    }
    crate::dates::find_dates(raw, ctx)
        .first()
        .map(|f| f.instant)
}

/// What the page shows its readers, for the second look at the headline
/// and the date: its `<h1>`s and the dates printed outside scripts.
struct Shown {
    /// `<h1>`s that can be a headline (not in navigation or footers, not a
    /// logo link), in document order.
    h1s: Vec<(NodeId, String)>,
    dates: Vec<ShownDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateLabel {
    Published,
    Updated,
    /// In a `<time>` or an element whose class says date, with no word
    /// saying which date it is.
    Dateish,
    None,
}

#[derive(Debug, Clone, Copy)]
struct ShownDate {
    node: NodeId,
    at: DateTime<FixedOffset>,
    label: DateLabel,
}

/// The UTC offset a timestamp writes (`…Z`, `…-05:00`, `…+0800`, `GMT`),
/// when it writes one. Read by the same parser as every other date, in two
/// zones 26 hours apart: a written offset comes out the same in both, an
/// implicit one (a date, a time without a zone) takes each zone's.
fn written_offset(raw: &str, ctx: TimestampContext) -> Option<FixedOffset> {
    let read_in = |zone: &str| {
        let zone = zone.parse().ok()?;
        parse_timestamp(raw, TimestampContext { zone, ..ctx })
    };
    let (east, west) = (read_in("Pacific/Kiritimati")?, read_in("Etc/GMT+12")?);
    (east.offset() == west.offset()).then(|| *east.offset())
}

/// Elements whose text no reader sees.
fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "select"
            | "option"
            | "svg"
            | "textarea"
            | "button"
    )
}

/// Containers of site chrome: an `<h1>` there is a logo or a section name.
const CHROME: &[&str] = &["nav", "footer", "aside"];

fn ancestor_named(dom: &Dom, mut i: NodeId, names: &[&str], levels: usize) -> Option<NodeId> {
    for _ in 0..levels {
        if i == 0 {
            return None;
        }
        i = dom.nodes[i].parent;
        if dom.nodes[i].name().is_some_and(|n| names.contains(&&**n)) {
            return Some(i);
        }
    }
    None
}

const PUBLISHED_WORDS: &[&str] = &[
    "published",
    "posted",
    "publish",
    "pubdate",
    "发布",
    "发表",
    "刊发",
    "出版",
];
const UPDATED_WORDS: &[&str] = &[
    "updated", "modified", "changed", "reviewed", "revised", "更新", "修改",
];
/// Labels that say "date" without saying which (时间：2005-08-22).
const DATE_WORDS: &[&str] = &["时间", "日期", "date:", "date :"];
const DATE_HINTS: &[&str] = &[
    "date",
    "time",
    "datetime",
    "dateline",
    "pubdate",
    "timestamp",
];

/// Which date a printed date is, from the words before it in its text, the
/// text just before its node, and the class/id/itemprop of its containers.
/// The label written just before a date: in its own text ("Published May
/// 1 · Updated June 2" labels each by the nearest word), else in the text
/// node before it (`<b>时间：</b>2005-08-22`).
fn text_label(before: &str, prev_text: &str) -> Option<DateLabel> {
    let near: String = {
        let tail: Vec<char> = before.chars().rev().take(24).collect();
        tail.into_iter().rev().collect()
    };
    for text in [near.as_str(), prev_text] {
        let (p, u) = (
            rfind_any(text, PUBLISHED_WORDS),
            rfind_any(text, UPDATED_WORDS),
        );
        match (p, u) {
            (Some(p), Some(u)) => {
                return Some(if p > u {
                    DateLabel::Published
                } else {
                    DateLabel::Updated
                })
            }
            (Some(_), None) => return Some(DateLabel::Published),
            (None, Some(_)) => return Some(DateLabel::Updated),
            (None, None) => {
                if rfind_any(text, DATE_WORDS).is_some() {
                    return Some(DateLabel::Dateish);
                }
            }
        }
    }
    None
}

/// What the containers of a date say it is: a class/id/itemprop naming
/// publication or update, or a `<time>`/date-named element.
fn container_label(dom: &Dom, node: NodeId) -> DateLabel {
    let words = |s: &str, list: &[&str]| {
        let s = crate::lowercase(s);
        list.iter().any(|w| s.contains(w))
    };
    let mut i = node;
    let mut dateish = false;
    for _ in 0..4 {
        if i == 0 {
            break;
        }
        i = dom.nodes[i].parent;
        let n = &dom.nodes[i];
        if n.name().is_some_and(|t| &**t == "time") {
            dateish = true;
        }
        for key in ["class", "id", "itemprop"] {
            let Some(v) = n.attr(key) else { continue };
            if words(v, UPDATED_WORDS) {
                return DateLabel::Updated;
            }
            if words(v, PUBLISHED_WORDS) {
                return DateLabel::Published;
            }
            if crate::any_hint_word(v, |w| DATE_HINTS.contains(&w)) {
                dateish = true;
            }
        }
    }
    if dateish {
        DateLabel::Dateish
    } else {
        DateLabel::None
    }
}

fn rfind_any(text: &str, words: &[&str]) -> Option<usize> {
    let lower = crate::lowercase(text);
    words.iter().filter_map(|w| lower.rfind(w)).max()
}

/// Text that may print a date, kept from the parse for `refine`, which
/// reads it in the caller's zone.
#[derive(Debug, Clone)]
struct DateText {
    node: NodeId,
    /// The text, or a `<time>`'s `datetime` attribute.
    text: String,
    /// The text node before it (its label, as in `<b>时间：</b>…`).
    prev_text: String,
    /// The node whose containers may label it (see `container_label`,
    /// read only when the printed dates are weighed).
    labelled_node: NodeId,
    is_datetime_attr: bool,
}

/// What the page declares (its [`Meta`]) and what `refine` needs from the
/// parsed page, gathered by [`collect`] while the body pass holds the tree.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    meta: Meta,
    /// `<h1>`s that can be a headline, in document order.
    h1s: Vec<(NodeId, String)>,
    date_texts: Vec<DateText>,
    /// Short visible text nodes (trimmed) with their node, to find where
    /// the chosen headline is printed: byte ranges of `short_text`, one
    /// buffer for all rather than a string per text node of the page.
    short_texts: Vec<(NodeId, std::ops::Range<usize>)>,
    short_text: String,
}

/// A quick test before the date scanner: a run of four digits starting
/// 19 or 20. Most text on a page has none.
pub(crate) fn may_hold_year(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        (w[0] == b'1' && w[1] == b'9' || w[0] == b'2' && w[1] == b'0')
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
    })
}

/// The first `n` characters of `s`.
fn first_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(end, _)| &s[..end])
}

/// Longest text node kept for locating the headline.
const SHORT_TEXT_BYTES: usize = 600;

fn gather(dom: &Dom, meta: Meta) -> Evidence {
    let mut out = Evidence {
        meta,
        ..Evidence::default()
    };
    let mut hidden_until = 0;
    let mut prev_text = "";
    for id in 0..dom.nodes.len() {
        if id < hidden_until {
            continue;
        }
        let node = &dom.nodes[id];
        match &node.data {
            NodeData::Element { name, .. } if is_hidden(name) => {
                hidden_until = dom.subtree_end(id);
            }
            NodeData::Element { name, .. } if &**name == "h1" => {
                let text = dom.text_of(id);
                let len = text.chars().count();
                let in_chrome = ancestor_named(dom, id, CHROME, 12).is_some();
                // A logo: the heading is a link, or holds one and is short.
                let is_link = ancestor_named(dom, id, &["a"], 3).is_some()
                    || len < 40
                        && dom.nodes[id..dom.subtree_end(id)]
                            .iter()
                            .any(|n| n.name().is_some_and(|t| &**t == "a"));
                // `{{ … }}`: an unrendered client-side template.
                if (4..=200).contains(&len) && !in_chrome && !is_link && !text.contains("{{") {
                    out.h1s.push((id, text));
                }
            }
            NodeData::Element { name, .. } if &**name == "time" => {
                // `<time datetime>` around a printed date: the attribute is
                // the precise form of what the reader sees.
                if let Some(dt) = node.attr("datetime") {
                    if !dom.text_of(id).is_empty() {
                        out.date_texts.push(DateText {
                            node: id,
                            text: dt.to_string(),
                            prev_text: first_chars(prev_text, 40).to_string(),
                            labelled_node: id + 1,
                            is_datetime_attr: true,
                        });
                    }
                }
            }
            NodeData::Text(t) => {
                let trimmed = t.trim();
                if trimmed.is_empty() {
                    continue;
                }
                if may_hold_year(t) {
                    out.date_texts.push(DateText {
                        node: id,
                        text: t.to_string(),
                        prev_text: first_chars(prev_text, 40).to_string(),
                        labelled_node: id,
                        is_datetime_attr: false,
                    });
                }
                if trimmed.len() <= SHORT_TEXT_BYTES {
                    let start = out.short_text.len();
                    out.short_text.push_str(trimmed);
                    out.short_texts.push((id, start..out.short_text.len()));
                }
                prev_text = trimmed;
            }
            _ => {}
        }
    }
    out
}

impl Evidence {
    /// What the page declares about itself (JSON-LD, `<meta>`, microdata).
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The page's headline `<h1>`s and, `with_dates`, the dates it prints,
    /// read in `ctx`'s zone, with their labels.
    fn shown(&self, dom: &Dom, ctx: TimestampContext, with_dates: bool) -> Shown {
        let mut dates = Vec::new();
        let date_texts = if with_dates {
            &self.date_texts[..]
        } else {
            &[]
        };
        for dt in date_texts {
            let container = || container_label(dom, dt.labelled_node);
            if dt.is_datetime_attr {
                if let Some(at) = read_date(&dt.text, ctx) {
                    let label = text_label("", &dt.prev_text).unwrap_or_else(container);
                    dates.push(ShownDate {
                        node: dt.node,
                        at,
                        label,
                    });
                }
                continue;
            }
            for d in crate::dates::find_dates(&dt.text, ctx) {
                let label =
                    text_label(&dt.text[..d.start], &dt.prev_text).unwrap_or_else(container);
                dates.push(ShownDate {
                    node: dt.node,
                    at: d.instant,
                    label,
                });
            }
        }
        Shown {
            h1s: self.h1s.clone(),
            dates,
        }
    }

    /// The dates printed within `BYLINE_NODES` of the headline node, the
    /// nearest first (below before above at the same distance).
    fn byline_dates(&self, dom: &Dom, ctx: TimestampContext, headline: NodeId) -> Vec<ShownDate> {
        let near = |dt: &&DateText| dt.node.abs_diff(headline) < BYLINE_NODES;
        let texts: Vec<DateText> = self.date_texts.iter().filter(near).cloned().collect();
        let subset = Evidence {
            date_texts: texts,
            ..Evidence::default()
        };
        let mut dates = subset.shown(dom, ctx, true).dates;
        dates.sort_by_key(|d| (d.node.abs_diff(headline), d.node < headline));
        dates
    }

    /// Where the headline is printed: the first text node that is the
    /// title (an `<h1>`'s, or on old pages a `<strong>`'s or a cell's).
    fn headline_node(&self, title: &str) -> Option<NodeId> {
        let want = norm(title);
        if want.is_empty() {
            return None;
        }
        self.short_texts
            .iter()
            .find(|(_, range)| norm_chars(&self.short_text[range.clone()]).eq(want.chars()))
            .map(|(id, _)| *id)
            .or_else(|| {
                self.h1s
                    .iter()
                    .find(|(_, t)| norm(t) == want)
                    .map(|(id, _)| *id)
            })
    }
}

/// Strips site suffixes (`_财经频道_新浪网`, ` - Reuters`, `-奎屯新闻网`).
pub fn strip_site_suffix(title: &str) -> String {
    let mut t = collapse(title);
    let seps = &rules().title_separators;
    loop {
        let mut best: Option<(usize, usize)> = None;
        for sep in seps {
            if let Some(pos) = t.rfind(sep.as_str()) {
                // The separator that ends last wins; at the same end the
                // longer one (` - ` over `-`).
                let end = pos + sep.len();
                if best.is_none_or(|(p, l)| end > p + l || (end == p + l && sep.len() > l)) {
                    best = Some((pos, sep.len()));
                }
            }
        }
        let Some((pos, len)) = best else { break };
        let head = t[..pos].trim();
        let tail = t[pos + len..].trim();
        let (hn, tn) = (head.chars().count(), tail.chars().count());
        // A bare `-` or `<` joins words too (`COVID-19`, `3<5`): it
        // separates only a Chinese site's name (`艺术史研究<世纪在线中国艺术网`).
        let bare_hyphen = matches!(&t[pos..pos + len], "-" | "<");
        let tail_cjk = tail.chars().any(huiwen_core::text::is_cjk);
        let ok = hn >= 2
            && tn <= 30
            && (tn <= hn || tn <= 12)
            && (!bare_hyphen || (tail_cjk && !tail.contains(' ')));
        if !ok {
            // Not a suffix. A short brand or section before a pipe is a
            // prefix (`The Agency | ML (Machine Learning) at Georgia Tech`,
            // `Opinion | Why …`) when what follows reads as a sentence, not
            // as a long name (`Obituaries | The Wall Street Journal`: every
            // word capitalised). Other separators can be the headline's own
            // (`Top 10: …`), and `新浪网_标题` is left as it is.
            let sentence = tail
                .split_whitespace()
                .any(|w| w.starts_with(|c: char| c.is_lowercase()));
            let prefix = matches!(&t[pos..pos + len], "|" | "｜")
                && head.is_ascii()
                && head.split_whitespace().count() <= 3
                && tail.split_whitespace().count() >= 4
                && sentence
                && !tail.contains(['|', '｜']);
            if prefix {
                t = tail.to_string();
            }
            break;
        }
        t = head.to_string();
    }
    t
}

/// Compares titles loosely: case, width and whitespace do not matter.
pub fn norm(s: &str) -> String {
    norm_chars(s).collect()
}

/// The characters of [`norm`], for comparing without building the string.
fn norm_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
}

/// Decodes the entities CMSs leave escaped a second time in metadata
/// (`&amp;`, `&#8217;`, `&#x27;`, `&quot;`).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        // Entity names are short; look for the `;` among the next 12
        // characters (not bytes: the text around may be any script).
        let Some(semi) = tail
            .char_indices()
            .take(12)
            .find_map(|(i, c)| (c == ';').then_some(i))
        else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let name = &tail[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_suffixes_are_stripped() {
        assert_eq!(
            strip_site_suffix("黄仁勋:美国低估了中国_财经频道_新浪网"),
            "黄仁勋:美国低估了中国"
        );
        assert_eq!(
            strip_site_suffix("乌鲁木齐新闻速递-奎屯新闻网"),
            "乌鲁木齐新闻速递"
        );
        assert_eq!(
            strip_site_suffix("Fed holds rates - Reuters"),
            "Fed holds rates"
        );
        assert_eq!(
            strip_site_suffix("Well-known co-founder speaks"),
            "Well-known co-founder speaks"
        );
        assert_eq!(
            strip_site_suffix("The Agency | ML (Machine Learning) at Georgia Tech"),
            "ML (Machine Learning) at Georgia Tech"
        );
        assert_eq!(
            strip_site_suffix("Top 10: Best Language Learning App (tested by experts)"),
            "Top 10: Best Language Learning App (tested by experts)"
        );
        assert_eq!(
            strip_site_suffix("Obituaries | The Wall Street Journal Online"),
            "Obituaries | The Wall Street Journal Online"
        );
        assert_eq!(
            strip_site_suffix("艺术史研究<世纪在线中国艺术网"),
            "艺术史研究"
        );
        assert_eq!(
            strip_site_suffix("Le retour du loup « Le Monde"),
            "Le retour du loup"
        );
        // Arithmetic is no separator.
        assert_eq!(
            strip_site_suffix("Why 3<5 still surprises students"),
            "Why 3<5 still surprises students"
        );
    }

    #[test]
    fn placeholder_titles_are_no_titles() {
        for t in ["无标题文档", "显示", "1", "Untitled Document", "null"] {
            assert!(placeholder_title(t), "{t}");
        }
        for t in ["夜雨", "Fed holds rates", "2025年报"] {
            assert!(!placeholder_title(t), "{t}");
        }
    }

    #[test]
    fn yoast_written_by_pair_names_the_author() {
        let dom = crate::dom::parse(
            "<head><meta name=\"twitter:label1\" content=\"Written by\">\
             <meta name=\"twitter:data1\" content=\"Cody Jensen\">\
             <meta name=\"twitter:label2\" content=\"Est. reading time\">\
             <meta name=\"twitter:data2\" content=\"9 minutes\"></head>",
        );
        assert_eq!(collect_meta(&dom).authors(), ["Cody Jensen"]);
        let interview = crate::dom::parse(
            "<head><meta name=\"twitter:label1\" content=\"Interview by\">\
             <meta name=\"twitter:data1\" content=\"Sylvia Bishop\"></head>",
        );
        assert_eq!(collect_meta(&interview).authors(), ["Sylvia Bishop"]);
        let reading_time_only = crate::dom::parse(
            "<head><meta name=\"twitter:label1\" content=\"Est. reading time\">\
             <meta name=\"twitter:data1\" content=\"9 minutes\"></head>",
        );
        assert!(collect_meta(&reading_time_only).authors().is_empty());
    }

    #[test]
    fn scholar_tags_name_the_papers_authors() {
        // A journal page: the publisher in `meta author`, the people in
        // Scholar's tags, family name first.
        let dom = crate::dom::parse(
            "<head><meta name=\"author\" content=\"汉斯出版社,Hans Publishers\">\
             <meta name=\"citation_author\" content=\"Kim, Luke\">\
             <meta name=\"citation_author\" content=\"Mary Ann Doe\"></head>",
        );
        assert_eq!(collect_meta(&dom).authors(), ["Luke Kim", "Mary Ann Doe"]);
        let list = crate::dom::parse(
            "<head><meta name=\"author\" content=\"中文学术期刊\">\
             <meta name=\"citation_authors\" content=\"赵 培; 李清芬\"></head>",
        );
        assert_eq!(collect_meta(&list).authors(), ["赵培", "李清芬"]);
        assert_eq!(given_name_first("Smith, John, Jr."), "Smith, John, Jr.");
        assert_eq!(given_name_first("Van der Berg, Anna"), "Van der Berg, Anna");
    }

    #[test]
    fn entities_left_in_metadata_are_decoded() {
        assert_eq!(
            decode_entities("Trends &amp; Why They&#8217;re Smart"),
            "Trends & Why They’re Smart"
        );
        assert_eq!(
            decode_entities("a & b &bogus; &#x27;c&#x27;"),
            "a & b &bogus; 'c'"
        );
    }

    #[test]
    fn offsets_are_read_only_where_a_timestamp_writes_one() {
        let off =
            |s: &str| written_offset(s, TimestampContext::default()).map(|o| o.local_minus_utc());
        assert_eq!(off("2025-12-18T21:46:01-05:00"), Some(-5 * 3600));
        assert_eq!(off("2024-05-20T06:09:59Z"), Some(0));
        assert_eq!(off("2026-01-20 16:00:42 +0800"), Some(8 * 3600));
        assert_eq!(off("2026-01-20T16:00:42.123+05:30"), Some(19800));
        for none in [
            "2025-12-18",
            "2025-12-18 10:30",
            "2005年1月2日 12:30",
            "Dec 18, 2025 - 10:30",
        ] {
            assert_eq!(off(none), None, "{none}");
        }
    }

    /// A page of Founder's ENP CMS states its headline, time and writer
    /// only in the comment the CMS writes before the text.
    #[test]
    fn enp_properties_in_a_comment_are_metadata() {
        let raw = "<html><body><!--enpproperty <articleid>78478030</articleid>\
            <date>2022-10-21 09:44:58:0</date><author>By Mitchell Blatt</author>\
            <title>Hoax school shootings in US traumatizing students</title>\
            <keyword>hoax</keyword>/enpproperty--><p>Multiple schools…</p></body></html>";
        let dom = crate::dom::parse(raw);
        let evidence = collect(&dom, raw);
        let m = evidence.meta();
        assert_eq!(
            m.title_tag.as_deref(),
            Some("Hoax school shootings in US traumatizing students")
        );
        let ctx = TimestampContext::default();
        assert_eq!(
            m.published(ctx).map(|t| t.to_rfc3339()).as_deref(),
            Some("2022-10-21T09:44:58+08:00")
        );
        assert_eq!(m.authors(), ["Mitchell Blatt"]);
        // A page's own <title> stays, an empty property is none, and the
        // CMS's time refines the page's date-only `publishdate`.
        let raw = "<html><head><title>Own title</title>\
            <meta name=\"publishdate\" content=\"2024-05-13\"></head><body>\
            <!--enpproperty <date>2024-05-13 08:49:21.0</date><author></author>\
            <title>CMS title</title>/enpproperty--></body></html>";
        let dom = crate::dom::parse(raw);
        let evidence = collect(&dom, raw);
        assert_eq!(evidence.meta().title_tag.as_deref(), Some("Own title"));
        assert!(evidence.meta().authors().is_empty());
        assert_eq!(
            evidence
                .meta()
                .published(ctx)
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2024-05-13T08:49:21+08:00")
        );
    }
}
