//! Metadata: JSON-LD, OpenGraph and other `<meta>` names, microdata,
//! `<time>`, and the headline the page prints.

use chrono::{DateTime, FixedOffset};
use huiwen_core::timestamp::{parse_timestamp, TimestampContext};
use serde_json::Value;

use crate::dom::{collapse, Dom, NodeData, NodeId};
use crate::rules::rules;

/// What the page says about itself.
#[derive(Debug, Default)]
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

pub fn collect(dom: &Dom) -> Meta {
    let mut meta = Meta::default();
    let mut ld = Vec::new();
    for (id, node) in dom.nodes.iter().enumerate() {
        let NodeData::Element { name, .. } = &node.data else {
            continue;
        };
        match &**name {
            "title" if meta.title_tag.is_none() => {
                let t = dom.text_of(id);
                if !t.is_empty() {
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
                    let raw: String = node
                        .children
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
                .unwrap_or_else(|| {
                    let t = dom.text_of(id);
                    if t.chars().count() > 200 {
                        String::new()
                    } else {
                        t
                    }
                });
            if !value.is_empty() {
                meta.itemprops.push((prop.to_ascii_lowercase(), id, value));
            }
        }
    }
    ld.sort_by_key(|(rank, _)| *rank);
    meta.ld = ld.into_iter().map(|(_, v)| v).collect();
    meta
}

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
                self.get(&[
                    "article:published_time",
                    "og:article:published_time",
                    "og:published_time",
                    "article:published",
                    "published_time",
                    "pubdate",
                    "publishdate",
                    "publish_date",
                    "publish-date",
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
                    "date",
                    "created",
                ])
                .map(str::to_string),
            )
            .chain(self.itemprop("datepublished").map(str::to_string));
        for c in candidates {
            if let Some(t) = read_date(&c, ctx) {
                return Some(t);
            }
        }
        None
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
                "dcterms.modified",
            ])
            .map(str::to_string),
        );
        candidates.into_iter().find_map(|c| read_date(&c, ctx))
    }

    pub fn authors(&self) -> Vec<String> {
        let mut out = Vec::new();
        for v in &self.ld {
            if let Some(a) = v.get("author") {
                ld_names(a, &mut out);
            }
            if !out.is_empty() {
                break;
            }
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
        out.retain(|a| !a.is_empty() && a.chars().count() < 60);
        out.dedup();
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

fn ld_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.extend(split_authors(s)),
        Value::Object(o) => {
            if let Some(n) = o.get("name").and_then(Value::as_str) {
                out.push(collapse(n));
            }
        }
        Value::Array(a) => a.iter().take(20).for_each(|x| ld_names(x, out)),
        _ => {}
    }
}

/// "By Jane Doe and John Roe" → [Jane Doe, John Roe].
pub fn split_authors(s: &str) -> Vec<String> {
    let s = collapse(s);
    let lower = s.to_lowercase();
    let s = if lower.starts_with("by ") {
        &s[3..]
    } else {
        &s[..]
    };
    s.split([',', '，', '、', ';', '；', '|', '/'])
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().trim_start_matches("作者：").trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
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
        let bare_hyphen = &t[pos..pos + len] == "-";
        let tail_cjk = tail.chars().any(huiwen_core::text::is_cjk);
        let ok = hn >= 2
            && tn <= 30
            && (tn <= hn || tn <= 12)
            && (!bare_hyphen || (tail_cjk && !tail.contains(' ')));
        if !ok {
            // A separator that is part of the headline: try a site prefix
            // (`新浪网_标题`) no further; stop.
            break;
        }
        t = head.to_string();
    }
    t
}

/// Compares titles loosely: case, width and whitespace do not matter.
pub fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
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
}
