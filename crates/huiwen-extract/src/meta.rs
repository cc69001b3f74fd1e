//! Metadata: JSON-LD, OpenGraph and other `<meta>` names, microdata,
//! `<time>`, and the headline the page prints.

use chrono::{DateTime, FixedOffset};
use huiwen_core::timestamp::{parse_timestamp, TimestampContext};
use serde_json::Value;

use crate::dom::{collapse, Dom, NodeData, NodeId};
use crate::rules::rules;

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
pub fn collect(dom: &Dom) -> Evidence {
    gather(dom, collect_meta(dom))
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

/// The outlet's name in a site-name field, which sites fill with a tagline
/// or a separator left over from their title template (`Utne – Cure
/// Ignorance`, `Parenting OC |`, `"Terabyte Systems"`, `/`): the part
/// that names the host (`utne.com`) when exactly one part does and the
/// others are Latin-script taglines. `RFI - 法国国际广播电台` stays whole:
/// there the other part is the name in the readers' script.
pub fn site_name(raw: &str, host: Option<&str>) -> Option<String> {
    const SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", ": ", " · "];
    const GENERIC_LABELS: [&str; 8] = ["www", "com", "org", "net", "edu", "gov", "blog", "news"];
    let trim = |s: &str| -> String {
        s.trim_matches(|c: char| c.is_whitespace() || "\"'“”|/-–—:·".contains(c))
            .to_string()
    };
    let whole = trim(raw);
    if !whole.chars().any(char::is_alphanumeric) {
        return None;
    }
    let labels: Vec<&str> = host
        .map(|h| {
            h.split('.')
                .filter(|l| l.len() >= 3 && !GENERIC_LABELS.contains(l))
                .collect()
        })
        .unwrap_or_default();
    let mut marked = whole.clone();
    for sep in SEPARATORS {
        marked = marked.replace(sep, "\u{1f}");
    }
    let parts: Vec<String> = marked
        .split('\u{1f}')
        .map(trim)
        .filter(|p| !p.is_empty())
        .collect();
    let names_host = |part: &str| {
        let squashed: String = part
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        labels
            .iter()
            .any(|l| squashed.contains(l) || squashed.len() >= 4 && l.contains(squashed.as_str()))
    };
    let latin = |part: &str| part.chars().all(|c| !c.is_alphabetic() || c <= '\u{24f}');
    let naming: Vec<&String> = parts.iter().filter(|p| names_host(p)).collect();
    match naming.as_slice() {
        [name] if parts.len() > 1 && parts.iter().all(|p| p == *name || latin(p)) => {
            Some((*name).clone())
        }
        _ => Some(whole),
    }
}

/// Names without empty ones, sentences (60 characters or more) and
/// repeats in a row.
fn name_list(mut names: Vec<String>) -> Vec<String> {
    names.retain(|a| !a.is_empty() && a.chars().count() < 60);
    names.dedup();
    names
}

/// The names of JSON-LD `author` values: the people, or with
/// `organizations` the authors typed `Organization` (the site crediting
/// itself, `Instructables`), which are left for when no person is named
/// anywhere on the page.
fn ld_names(v: &Value, organizations: bool, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !organizations => out.extend(split_authors(s)),
        Value::Object(o) => {
            let organization = o
                .get("@type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.ends_with("Organization") || t == "Corporation");
            if organization != organizations {
                return;
            }
            if let Some(n) = o.get("name").and_then(Value::as_str) {
                out.push(clean_author(&collapse(n)));
            }
        }
        Value::Array(a) => a
            .iter()
            .take(20)
            .for_each(|x| ld_names(x, organizations, out)),
        _ => {}
    }
}

/// "By Jane Doe and John Roe" → [Jane Doe, John Roe]. A degree or role
/// after a comma stays with the one name before it
/// (`Angela Holliday-Bell, MD`, `Paul Frew, Home and Digital Security
/// Expert`): it describes that person rather than naming another.
pub fn split_authors(s: &str) -> Vec<String> {
    let s = collapse(s);
    let s = strip_byline_lead(&s);
    let mut names: Vec<String> = Vec::new();
    // Whether the last name came alone from its part (not out of
    // `A and B`, where a role after the comma is both people's).
    let mut last_alone = false;
    for part in s.split([',', '，', '、', ';', '；', '|', '/']) {
        let part = clean_author(part.trim().trim_start_matches("作者："));
        if part.is_empty() {
            continue;
        }
        if last_alone && describes_person(&part) {
            if let Some(last) = names.last_mut() {
                last.push_str(", ");
                last.push_str(&part);
                last_alone = false;
                continue;
            }
        }
        let before = names.len();
        names.extend(
            part.split(" and ")
                .flat_map(split_joined_names)
                .map(|p| clean_author(p.trim()))
                .filter(|p| !p.is_empty()),
        );
        last_alone = names.len() == before + 1;
    }
    names
}

/// `Jane Doe & John Roe`, `Nicholas Azulay + Isabelle Brauer`: two people
/// when each side is a full name; `Johnson & Johnson` or `Simon &
/// Schuster` is one company.
fn split_joined_names(part: &str) -> Vec<&str> {
    for joiner in [" & ", " + "] {
        let sides: Vec<&str> = part.split(joiner).collect();
        if sides.len() > 1 && sides.iter().all(|s| s.split_whitespace().count() >= 2) {
            return sides;
        }
    }
    vec![part]
}

/// The person's name in an author entry, without the degree or role
/// `split_authors` kept after a comma (`Angela Holliday-Bell, MD`).
pub(crate) fn name_part(author: &str) -> &str {
    author.split_once(", ").map_or(author, |(name, _)| name)
}

/// Post-nominal letters, written without their dots (`M.D.` is `MD`).
const CREDENTIALS: &[&str] = &[
    "MD", "DO", "PHD", "RN", "BSN", "MSN", "NP", "PA-C", "MPH", "MS", "MSC", "MA", "MBA", "JD",
    "ESQ", "CPA", "CFA", "CFP", "RD", "RDN", "LD", "LDN", "CDE", "CDCES", "DDS", "DMD", "DVM",
    "PHARMD", "PSYD", "EDD", "DPT", "OD", "CNM", "IBCLC", "LCSW", "LMFT", "LPC", "FACLM", "FACP",
    "FACC", "FAAP", "FACS", "CSCS", "E-RYT", "RYT", "MW", "JR", "SR", "II", "III", "IV",
];

/// Job titles a byline prints after the name (`Dietitian`, `Senior
/// Editor`, `Home and Digital Security Expert`), by their last word.
const ROLE_NOUNS: &[&str] = &[
    "editor",
    "writer",
    "reporter",
    "correspondent",
    "contributor",
    "columnist",
    "expert",
    "specialist",
    "dietitian",
    "nutritionist",
    "analyst",
    "strategist",
    "consultant",
    "producer",
    "photographer",
    "designer",
    "engineer",
    "developer",
    "manager",
    "director",
    "founder",
    "co-founder",
    "ceo",
    "cto",
    "officer",
    "scientist",
    "researcher",
    "professor",
    "physician",
    "therapist",
    "coach",
    "adviser",
    "advisor",
    "intern",
    "marketer",
    "chief",
    "journalist",
    "sommelier",
    "administrator",
];

/// Whether a part after a comma describes the person before it: degrees
/// (`MD`, `Ph.D.`, `E-RYT 200`, `Jr.`) or a role of a few words.
fn describes_person(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    let credentials = words.iter().all(|w| {
        let letters: String = w.chars().filter(|&c| c != '.').collect();
        // Written in capitals or in a degree's own mixed case: `Ma` and
        // `Do` are names.
        let as_written = letters == letters.to_ascii_uppercase()
            || ["PhD", "PharmD", "PsyD", "EdD", "MSc", "Esq", "Jr", "Sr"]
                .contains(&letters.as_str());
        letters.chars().all(|c| c.is_ascii_digit())
            || as_written && CREDENTIALS.contains(&letters.to_ascii_uppercase().as_str())
    }) && words.iter().any(|w| !w.chars().all(|c| c.is_ascii_digit()));
    credentials || is_role(part)
}

/// A job title of a few words, by its last (`Staff Writer`, `Senior
/// Content Contributor`, `Editor-in-Chief`, `Journalist & Sommelier`).
pub(crate) fn is_role(s: &str) -> bool {
    let mut words = 0;
    let mut last = "";
    for w in s.split_whitespace() {
        words += 1;
        last = w;
    }
    let last = last.trim_end_matches(['.', ':']).to_ascii_lowercase();
    (1..=6).contains(&words)
        && (ROLE_NOUNS.contains(&last.as_str())
            || last.split('-').any(|part| ROLE_NOUNS.contains(&part)))
}

/// "By", "Written by", "Posted by", "Author:" before the names.
fn strip_byline_lead(s: &str) -> &str {
    after_byline_lead(s).unwrap_or(s)
}

/// What follows a byline lead (`By`, `Written by`, `Authors:` …), when the
/// text starts with one: empty when the names stand in the next element
/// or were cut off with a date after them.
pub(crate) fn after_byline_lead(s: &str) -> Option<&str> {
    byline_lead(s).map(|(_, rest)| rest)
}

/// The byline lead `s` starts with (lower-cased), and what follows it.
pub(crate) fn byline_lead(s: &str) -> Option<(&'static str, &str)> {
    [
        "this post was written by",
        "this article was written by",
        "this story was written by",
        "written by",
        "text by",
        "words by",
        "article by",
        "posted by",
        "reviewed by",
        "authors",
        "author",
        "by",
    ]
    .into_iter()
    // Compared in place: lower-casing the whole text first cost a copy of
    // every text node near a headline.
    .find(|lead| {
        s.as_bytes()
            .get(..lead.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(lead.as_bytes()))
            && s[lead.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == ':')
    })
    // The leads are ASCII: a head equal to one ends on a character boundary.
    .map(|lead| {
        let rest = s[lead.len()..].trim_matches(|c: char| c == ':' || c.is_whitespace());
        (lead, rest)
    })
}

/// Quotes and footnote marks CMSs leave around a name (`"David Kim"`,
/// `MD*`).
fn clean_author(s: &str) -> String {
    let name = s
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '*' | '“' | '”' | '†'))
        .trim();
    crate::byline::unpadded_name(name).unwrap_or_else(|| name.to_string())
}

/// `Kim, Luke` as Scholar's tags and library catalogues write a name:
/// `Luke Kim`. Anything else (one name, a comma before a title or a second
/// person's name that is more than one word each side) is left as it is.
fn given_name_first(name: &str) -> String {
    match name.split_once(',') {
        Some((family, given))
            if !given.contains(',')
                && family.split_whitespace().count() == 1
                && (1..=3).contains(&given.split_whitespace().count())
                && name
                    .chars()
                    .all(|c| c.is_alphabetic() || " ,.-'".contains(c)) =>
        {
            format!("{} {}", given.trim(), family.trim())
        }
        _ => name.to_string(),
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

/// Words of a title for comparing candidates: lower-cased letter/digit
/// runs, and every CJK character on its own (Chinese has no spaces).
fn title_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if huiwen_core::text::is_cjk(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Share of `a`'s words that `b` also has.
fn word_cover(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    a.iter().filter(|w| b.contains(w)).count() as f64 / a.len() as f64
}

/// The headlines the publisher declares in metadata, site suffix stripped:
/// `<title>`, `og:title`/`twitter:title`, JSON-LD headline.
fn declared_titles(m: &Meta) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, stripped) in declared_pairs(m) {
        if !stripped.is_empty() && !out.iter().any(|o| norm(o) == norm(&stripped)) {
            out.push(stripped);
        }
    }
    out
}

/// Each declared title as written and without its site suffix.
fn declared_pairs(m: &Meta) -> Vec<(String, String)> {
    [
        m.title_tag.clone(),
        m.get(&["og:title", "twitter:title"]).map(str::to_string),
        m.ld_headline(),
    ]
    .into_iter()
    .flatten()
    .map(|t| {
        let full = collapse(&decode_entities(&t));
        let stripped = strip_site_suffix(&full);
        (full, stripped)
    })
    .collect()
}

/// Second look at the headline, with the page's `<h1>`s and declared titles
/// side by side. The body pass picks the heading that agrees with
/// `<title>`; it can settle on a sub-heading that merely repeats part of the
/// title, on the title when the real `<h1>` sits in a header it discounts,
/// or on a short heading that is only a fragment of the headline.
fn refine_title(current: &str, m: &Meta, shown: &Shown) -> Option<String> {
    let declared = declared_titles(m);
    if declared.is_empty() {
        return None;
    }
    let site = m.publisher().map(|s| norm(&s));
    let ncur = norm(current);
    // A headline fragment: the chosen text is where a declared title
    // starts, cut at punctuation ("API documentation" of "API
    // Documentation: How to Write, Examples & Best Practices"). Templates
    // print the short form big and keep the full headline for `<title>`.
    for d in &declared {
        let nd = norm(d);
        if ncur.is_empty() || nd.len() <= ncur.len() || !nd.starts_with(&ncur) {
            continue;
        }
        let rest = d
            .char_indices()
            .filter(|(_, c)| !c.is_whitespace())
            .nth(ncur.chars().count())
            .map(|(i, _)| &d[i..])
            .unwrap_or("");
        let cut_at_punct = current
            .trim_end()
            .ends_with(['?', '!', ':', '：', '？', '！'])
            || rest.starts_with([':', '：', '?', '？', '(', '[', '—', '–']);
        // Three words at least: a short tail (": 21 Steps") is a label,
        // not the rest of the headline; a tail after a comma is a name.
        if cut_at_punct && title_words(rest).len() >= 3 {
            return Some(d.clone());
        }
    }
    let is_h1 = shown.h1s.iter().any(|(_, t)| norm(t) == ncur);
    // The declared title with its site suffix still on ("… | Bridgestone
    // Tires"), when the page prints no such heading: the suffix goes.
    let pairs = declared_pairs(m);
    if !is_h1 {
        if let Some((_, stripped)) = pairs.iter().find(|(full, stripped)| {
            norm(full) == ncur && norm(stripped) != ncur && !stripped.is_empty()
        }) {
            return Some(stripped.clone());
        }
    }
    // Words of the declared titles, with and without suffix: a headline
    // <h1> may repeat words the suffix stripper took for a tagline
    // ("… – Top 10 Picks").
    let declared_words: Vec<Vec<String>> = declared
        .iter()
        .cloned()
        .chain(pairs.iter().map(|(full, _)| full.clone()))
        .map(|d| title_words(&d))
        .collect();
    let best_cover = |w: &[String]| {
        declared_words
            .iter()
            .map(|d| word_cover(w, d))
            .fold(0.0f64, f64::max)
    };
    if !is_h1 {
        // The page's own headline <h1>, when the body pass chose something
        // else: the <h1> that shares most words with what the page
        // declares, and not the site's name.
        let candidate = shown
            .h1s
            .iter()
            .filter(|(_, t)| {
                // Not the site's name, whether from metadata or as the
                // suffix of `<title>` ("Whatever" of "… | Whatever").
                let nt = norm(t);
                site.as_ref().is_none_or(|s| *s != nt)
                    && !pairs.iter().any(|(full, stripped)| {
                        norm(full).ends_with(&nt) && !norm(stripped).contains(&nt)
                    })
            })
            .map(|(_, t)| {
                let words = title_words(t);
                let shared = declared_words
                    .iter()
                    .map(|d| words.iter().filter(|w| d.contains(w)).count())
                    .max()
                    .unwrap_or(0);
                (best_cover(&words), shared, t)
            })
            // Two shared words at least: one ("models") is chance.
            .filter(|(cover, shared, _)| *cover >= 0.3 && *shared >= 2)
            .map(|(cover, _, t)| (cover, t))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, t)) = candidate {
            if norm(t) != ncur {
                return Some(t.clone());
            }
        }
    }
    // A heading that is only a scrap of the declared headline ("Discord"
    // for "How we pwned X, Vercel, Discord, …"): the declared one.
    let cur_words = title_words(current);
    if let Some(longest) = declared_words.iter().map(Vec::len).max() {
        if cur_words.len() * 10 < longest * 3 && best_cover(&cur_words) > 0.0 {
            let ld = m.ld_headline().map(|h| strip_site_suffix(&h));
            let og = m.get(&["og:title", "twitter:title"]).map(strip_site_suffix);
            return ld.or(og).or_else(|| declared.first().cloned());
        }
    }
    None
}

/// Second look at the publication date, with the dates the page prints.
///
/// Structured data (JSON-LD, `<meta>`, `<time>`) stays as the body pass
/// read it: on pages that carry both, it is the published date readers and
/// labellers mean even where the page prints only a later "Updated" date.
/// (`refine` then checks it against the byline only for a printed date
/// well *before* it, and against the page's own zone; see
/// `earlier_printed_date` and `publisher_local_time`.)
/// Without structured data:
/// * a forum thread or comment page prints one "posted" date per post; the
///   page's date is the first post's, not whichever the scan met first
///   below the headline;
/// * when nothing was found, a date printed by the headline: one labelled
///   as the publication date, then `datePublished` in JSON the page ships
///   escaped (which the JSON-LD reader cannot see), then one in a date
///   element, then the first date printed right below the headline, then
///   a printed "updated" date.
fn refine_published(
    current: Option<DateTime<FixedOffset>>,
    structured: bool,
    shown: &Shown,
    headline: Option<NodeId>,
    raw: &str,
    ctx: TimestampContext,
) -> Option<DateTime<FixedOffset>> {
    if structured {
        return None;
    }
    let posted: Vec<&ShownDate> = shown
        .dates
        .iter()
        .filter(|d| d.label == DateLabel::Published)
        .collect();
    if current.is_some() {
        // Several posts, each with its date: the first post's. Only posts
        // below the headline: above it, "posted" dates are a sidebar's.
        let below = |d: &&&ShownDate| headline.is_none_or(|h| d.node > h);
        let posted: Vec<&ShownDate> = posted.iter().filter(below).copied().collect();
        let first = posted.first()?;
        let distinct = posted
            .iter()
            .any(|d| d.at.date_naive() != first.at.date_naive());
        return (posted.len() >= 2 && distinct && Some(first.at) != current).then_some(first.at);
    }
    let near = |label: DateLabel| {
        let mut labelled = shown.dates.iter().filter(|d| d.label == label);
        match headline {
            // Nearest to the headline, and not far from it: dates far away
            // are the template's, a comment's or a listed article's.
            // At equal distance the one below the headline (the byline).
            Some(h) => labelled
                .filter(|d| d.node.abs_diff(h) < NEAR_HEADLINE)
                .min_by_key(|d| (d.node.abs_diff(h), d.node < h))
                .map(|d| d.at),
            None => labelled.next().map(|d| d.at),
        }
    };
    near(DateLabel::Published)
        .or_else(|| escaped_json_date(raw, ctx))
        .or_else(|| near(DateLabel::Dateish))
        .or_else(|| {
            // The byline line under the headline ("作者：… 2005年1月2日").
            headline.and_then(|h| {
                shown
                    .dates
                    .iter()
                    .find(|d| d.node > h && d.node - h < BYLINE_NODES)
                    .map(|d| d.at)
            })
        })
        // The only date left is when the page was last updated: the best
        // estimate there is of when it was written.
        .or_else(|| near(DateLabel::Updated))
        // Far from the headline (a dateline under the article, a page
        // whose headline was not found): only a page that prints a single
        // day, counting labelled dates first, then any, says which it is.
        .or_else(|| {
            let labelled =
                |d: &&ShownDate| matches!(d.label, DateLabel::Published | DateLabel::Dateish);
            single_day(shown.dates.iter().filter(labelled)).or_else(|| {
                single_day(shown.dates.iter().filter(|d| d.label != DateLabel::Updated))
            })
        })
}

/// The first of `dates` when they all fall on one day.
fn single_day<'a>(mut dates: impl Iterator<Item = &'a ShownDate>) -> Option<DateTime<FixedOffset>> {
    let first = dates.next()?;
    let day = first.at.date_naive();
    dates.all(|d| d.at.date_naive() == day).then_some(first.at)
}

/// Nodes between the headline and a date that still belongs to it (a
/// byline block, a breadcrumb and a share bar fit in it).
const NEAR_HEADLINE: usize = 400;

/// Nodes below the headline where an unlabelled date is still its byline.
const BYLINE_NODES: usize = 40;

/// `datePublished` inside JSON that is itself a string or an attribute
/// (`&quot;datePublished&quot;:&quot;2025-11-17T09:00:00-05:00&quot;`,
/// `\"datePublished\":\"…\"`): frameworks ship the page's data that way.
fn escaped_json_date(raw: &str, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
    for key in ["&quot;datePublished&quot;", "\\\"datePublished\\\""] {
        let Some(pos) = raw.find(key) else { continue };
        let after = &raw[pos + key.len()..];
        let value: String = after
            .trim_start_matches([':', ' ', '\\', '"'])
            .trim_start_matches("&quot;")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "-:+.".contains(*c))
            .collect();
        if let Some(t) = read_date(&value, ctx) {
            return Some(t);
        }
    }
    None
}

/// Re-weighs the headline and the publication date the body pass chose,
/// with everything the page shows and declares (see `refine_title` and
/// `refine_published`).
pub fn refine(
    raw: &str,
    dom: &Dom,
    evidence: &Evidence,
    ctx: TimestampContext,
    page_url: Option<&str>,
    out: &mut crate::Extracted,
) {
    let m = &evidence.meta;
    // What the body pass read before looking at the page text.
    let declared = m.published(ctx);
    let structured =
        declared.is_some() || m.time_tags.iter().any(|(_, t)| read_date(t, ctx).is_some());
    // The printed dates are only weighed without structured ones (see
    // `refine_published`).
    let shown = evidence.shown(dom, ctx, !structured);
    if let Some(t) = refine_title(&out.title, m, &shown) {
        out.title = t;
    }
    let headline = evidence
        .headline_node(&out.title)
        .or_else(|| shown.h1s.first().map(|(id, _)| *id));
    if let Some(p) = refine_published(out.published_at, structured, &shown, headline, raw, ctx) {
        out.published_at = Some(p);
    }
    let Some(published) = out.published_at else {
        return;
    };
    // The dates printed by the headline, for the two checks below (only
    // text within `BYLINE_NODES` of it is read, so this costs little).
    let byline = headline.map_or_else(Vec::new, |h| evidence.byline_dates(dom, ctx, h));
    if declared == Some(published) {
        if let Some(p) = earlier_printed_date(published, out.updated_at, &byline) {
            out.published_at = Some(p);
            return;
        }
    }
    let url_day = page_url
        .and_then(|u| crate::dates::date_in_url(u, ctx))
        .map(|t| t.date_naive());
    if let Some(p) = publisher_local_time(published, m, &byline, url_day, ctx) {
        out.published_at = Some(p);
    }
}

/// A date printed at the byline more than a day before the declared
/// publication date: the declared one is then not when the article first
/// appeared but a later event the CMS recorded (a migration, a re-save; a
/// generic `DC.date` that is the modified time). The byline is what the
/// publisher shows as the article's date, and a publication date cannot
/// come after the date printed for it. A day's difference is left alone: it
/// is the same moment in two zones (see `publisher_local_time`). Only a
/// byline that prints one such day counts.
fn earlier_printed_date(
    declared: DateTime<FixedOffset>,
    updated: Option<DateTime<FixedOffset>>,
    byline: &[ShownDate],
) -> Option<DateTime<FixedOffset>> {
    let printed = byline
        .iter()
        .find(|d| d.label == DateLabel::Published)
        .or_else(|| byline.iter().find(|d| d.label == DateLabel::Dateish))?;
    let days = (declared.date_naive() - printed.at.date_naive()).num_days();
    // One date printed there besides the declared ones: several days by
    // the headline are a list's (latest posts, comments), not a byline.
    let known = [Some(declared), updated].map(|t| t.map(|t| t.date_naive()));
    let lone = byline.iter().all(|d| {
        let day = Some(d.at.date_naive());
        day == Some(printed.at.date_naive()) || known.contains(&day)
    });
    (days >= 2 && lone).then_some(printed.at)
}

/// A publication time declared in UTC (`…T02:41:41+00:00`) shown in the
/// publisher's own zone, when the page says which zone that is and the
/// local day is the one the page itself gives. The instant is unchanged;
/// only its calendar day can move — to the day the URL
/// (`/2025/12/18/…`) or the byline ("Posted on December 18, 2025") names.
/// The zone is an offset the page writes in its other timestamps (JSON-LD,
/// `<meta>`, `<time datetime>`); without one, or without the page naming
/// that day, nothing changes.
fn publisher_local_time(
    published: DateTime<FixedOffset>,
    m: &Meta,
    byline: &[ShownDate],
    url_day: Option<chrono::NaiveDate>,
    ctx: TimestampContext,
) -> Option<DateTime<FixedOffset>> {
    // Offset 0 that the page wrote, not the options' zone.
    if published.offset().local_minus_utc() != 0
        || ctx.zone.convert(&published).offset().local_minus_utc() == 0
    {
        return None;
    }
    let named = |day: chrono::NaiveDate| {
        url_day == Some(day)
            || byline
                .iter()
                .any(|d| d.label != DateLabel::Updated && d.at.date_naive() == day)
    };
    m.written_offsets(ctx)
        .into_iter()
        .filter(|o| o.local_minus_utc() != 0)
        .map(|o| published.with_timezone(&o))
        .find(|local| local.date_naive() != published.date_naive() && named(local.date_naive()))
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
    }

    #[test]
    fn site_names_lose_taglines_and_stray_separators() {
        let name = |raw: &str, host: &str| site_name(raw, Some(host));
        assert_eq!(
            name("Utne – Cure Ignorance", "www.utne.com").as_deref(),
            Some("Utne")
        );
        assert_eq!(
            name(
                "MonsGeek - - Make Cool Gears Accessible",
                "www.monsgeek.com"
            )
            .as_deref(),
            Some("MonsGeek")
        );
        assert_eq!(
            name(
                "Expert Digital Marketing For Design-Build Contractors | Contractor Growth Network",
                "www.contractorgrowthnetwork.com"
            )
            .as_deref(),
            Some("Contractor Growth Network")
        );
        assert_eq!(
            name("Parenting OC |", "parentingoc.com").as_deref(),
            Some("Parenting OC")
        );
        assert_eq!(
            name("\"Terabyte Systems\"", "terabyte.systems").as_deref(),
            Some("Terabyte Systems")
        );
        assert_eq!(name("/", "www.kaspersky.com"), None);
        // Kept whole: the other part is the name in another script, both
        // parts name the host, or none does.
        assert_eq!(
            name("RFI - 法国国际广播电台", "www.rfi.fr").as_deref(),
            Some("RFI - 法国国际广播电台")
        );
        assert_eq!(
            name(
                "Admissions Blog - University of Illinois Urbana-Champaign",
                "blog.admissions.illinois.edu"
            )
            .as_deref(),
            Some("Admissions Blog - University of Illinois Urbana-Champaign")
        );
        assert_eq!(
            name("Wirecutter: Reviews for the Real World", "www.nytimes.com").as_deref(),
            Some("Wirecutter: Reviews for the Real World")
        );
        assert_eq!(site_name("新浪财经", None).as_deref(), Some("新浪财经"));
    }

    #[test]
    fn author_leads_and_marks_are_dropped() {
        assert_eq!(
            split_authors("Written By Angela Holliday-Bell, MD*"),
            ["Angela Holliday-Bell, MD"]
        );
        assert_eq!(split_authors("\"David Kim\""), ["David Kim"]);
        // Degrees and roles after a comma describe the name before them.
        assert_eq!(
            split_authors("By Paul Frew, Home and Digital Security Expert"),
            ["Paul Frew, Home and Digital Security Expert"]
        );
        assert_eq!(
            split_authors("Michael Greger, M.D. FACLM, Holly Wilgus, E-RYT 200"),
            ["Michael Greger, M.D. FACLM", "Holly Wilgus, E-RYT 200"]
        );
        assert_eq!(
            split_authors("Jane Doe, Ph.D., John Roe"),
            ["Jane Doe, Ph.D.", "John Roe"]
        );
        // A role after two names is both people's, and `Ma` is a name.
        assert_eq!(
            split_authors("Julie Weisenhorn and Natalie Hoidal, Extension editor"),
            ["Julie Weisenhorn", "Natalie Hoidal", "Extension editor"]
        );
        assert_eq!(split_authors("Wang Li, Ma"), ["Wang Li", "Ma"]);
        assert_eq!(
            split_authors("By Jane Doe and John Roe"),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(
            split_authors("By Nicholas Azulay + Isabelle Brauer"),
            ["Nicholas Azulay", "Isabelle Brauer"]
        );
        assert_eq!(
            split_authors("By Jane Doe & John Roe"),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(split_authors("Johnson & Johnson"), ["Johnson & Johnson"]);
        assert_eq!(split_authors("Byron Smith"), ["Byron Smith"]);
        assert!(split_authors("Written By").is_empty());
        assert_eq!(split_authors("Authors : Jane Doe"), ["Jane Doe"]);
        assert_eq!(
            split_authors("This post was written by Vanessa Mendez, MD"),
            ["Vanessa Mendez, MD"]
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

    fn evidence(html: &str) -> (Dom, Evidence) {
        let dom = crate::dom::parse(html);
        let e = gather(&dom, collect_meta(&dom));
        (dom, e)
    }

    fn title_after(current: &str, html: &str) -> Option<String> {
        let (dom, e) = evidence(html);
        refine_title(
            current,
            &e.meta,
            &e.shown(&dom, TimestampContext::default(), false),
        )
    }

    #[test]
    fn headline_h1_beats_a_sub_heading_that_repeats_part_of_the_title() {
        let html = "<title>7 Key Software Development Methodologies | OS-System</title>\
            <h1>Software Development Methodologies Comparison with Pros and Cons</h1>\
            <h2>Key Software Development Methodologies</h2>";
        assert_eq!(
            title_after("Key Software Development Methodologies", html).as_deref(),
            Some("Software Development Methodologies Comparison with Pros and Cons")
        );
        // An <h1> sharing one word by chance, or naming the site, is no headline.
        let html = "<title>Engora Data Blog: Small adventures with small language models</title>\
            <h1>Whatever</h1><h1>So many models!</h1>";
        assert_eq!(
            title_after("Small adventures with small language models", html),
            None
        );
        let html = "<title>The December Watches, Day 18 | Whatever</title><h1>Whatever</h1>";
        assert_eq!(title_after("The December Watches, Day 18", html), None);
    }

    #[test]
    fn a_headline_cut_short_at_punctuation_is_completed_from_the_title() {
        let html = "<title>API Documentation: How to Write, Examples &amp; Best Practices | Postman</title>\
            <h1>API documentation</h1>";
        assert_eq!(
            title_after("API documentation", html).as_deref(),
            Some("API Documentation: How to Write, Examples & Best Practices")
        );
        // A short label or a name after a comma is not the rest of a headline.
        let html = "<title>How to Make Furniture : 21 Steps - Instructables</title><h1>How to Make Furniture</h1>";
        assert_eq!(title_after("How to Make Furniture", html), None);
        let html = "<title>Skiplagging in the relocation process, Chris Pardo</title>\
            <h1>Skiplagging in the relocation process</h1>";
        assert_eq!(
            title_after("Skiplagging in the relocation process", html),
            None
        );
    }

    #[test]
    fn a_site_suffix_left_on_the_title_is_stripped() {
        let html =
            "<title>The Ultimate Car Maintenance Checklist | Bridgestone Tires</title><p>x</p>";
        assert_eq!(
            title_after(
                "The Ultimate Car Maintenance Checklist | Bridgestone Tires",
                html
            )
            .as_deref(),
            Some("The Ultimate Car Maintenance Checklist")
        );
    }

    #[test]
    fn a_scrap_of_the_headline_gives_way_to_the_declared_one() {
        let html = "<title>How we pwned X, Vercel, Cursor, Discord and hundreds more · GitHub</title>\
            <meta property=\"og:title\" content=\"How we pwned X, Vercel, Cursor, Discord and hundreds more\">\
            <h3>Discord</h3>";
        assert_eq!(
            title_after("Discord", html).as_deref(),
            Some("How we pwned X, Vercel, Cursor, Discord and hundreds more")
        );
    }

    fn date_after(current: Option<&str>, html: &str) -> Option<String> {
        let ctx = TimestampContext::default();
        let (dom, e) = evidence(html);
        let shown = e.shown(&dom, ctx, true);
        let title = e.h1s.first().map(|(_, t)| t.clone()).unwrap_or_default();
        let headline = e.headline_node(&title);
        let structured = e.meta.published(ctx).is_some();
        let current = current.and_then(|c| read_date(c, ctx));
        refine_published(current, structured, &shown, headline, html, ctx)
            .map(|t| t.date_naive().to_string())
    }

    #[test]
    fn structured_dates_are_kept() {
        let html = "<meta property=\"article:published_time\" content=\"2024-01-02\">\
            <h1>Headline here</h1><p>Updated March 5, 2025</p>";
        assert_eq!(date_after(Some("2024-01-02"), html), None);
    }

    #[test]
    fn a_forum_thread_is_dated_by_its_first_post() {
        let html = "<h1>Thread title</h1>\
            <div>first post</div><p>发布时间 2005/05/17 22:11:42 by a</p>\
            <div>reply</div><p>发布时间 2005/05/18 13:45:40 by b</p>";
        assert_eq!(
            date_after(Some("2005-05-18 13:45:40"), html).as_deref(),
            Some("2005-05-17")
        );
        // "Posted" dates above the headline are a sidebar's, not posts.
        let html = "<p>发布时间 2005/01/01 10:00:00</p><p>发布时间 2005/02/01 10:00:00</p>\
            <h1>Thread title</h1><p>发布时间 2005/05/18 13:45:40</p>";
        assert_eq!(date_after(Some("2005-05-18 13:45:40"), html), None);
        // One post: the date already found stays.
        let html = "<h1>Thread title</h1><p>发布时间 2005/05/18 13:45:40</p>";
        assert_eq!(date_after(Some("2005-05-18 13:45:40"), html), None);
    }

    #[test]
    fn undated_pages_read_the_date_printed_by_the_headline() {
        // Labelled as published, nearest the headline.
        let html = "<p>Published 1 Jan 2020</p><h1>Headline here</h1>\
            <p class=\"small\">Published On: 15 August 2025</p><p>Body.</p>";
        assert_eq!(date_after(None, html).as_deref(), Some("2025-08-15"));
        // A date element, and no label.
        let html = "<h1>Headline here</h1><div class=\"published-date\">September 4, 2025</div>";
        assert_eq!(date_after(None, html).as_deref(), Some("2025-09-04"));
        let html = "<h1>Headline here</h1><time datetime=\"2022-10-08T10:00:00Z\">8 Oct</time>";
        assert_eq!(date_after(None, html).as_deref(), Some("2022-10-08"));
        // Written by the byline, no label at all.
        let html = "<h1>Headline here</h1><p>作者：张三</p><p>2005年1月2日</p><p>正文。</p>";
        assert_eq!(date_after(None, html).as_deref(), Some("2005-01-02"));
        // Only an "updated" date.
        let html = "<h1>Headline here</h1><p>Updated March 13, 2024</p>";
        assert_eq!(date_after(None, html).as_deref(), Some("2024-03-13"));
        // Dates in scripts are not printed.
        let html = "<h1>Headline here</h1><script>var d = '2021-01-01';</script><p>Body.</p>";
        assert_eq!(date_after(None, html), None);
    }

    #[test]
    fn undated_pages_read_date_published_from_escaped_json() {
        let html = "<h1>Headline here</h1><div data-page=\"{&quot;datePublished&quot;:\
            &quot;2025-11-17T09:00:00-05:00&quot;}\"></div>";
        assert_eq!(date_after(None, html).as_deref(), Some("2025-11-17"));
        let html = "<h1>Headline here</h1><script>self.push(\"{\\\"datePublished\\\":\\\"2024-02-03\\\"}\")</script>";
        assert_eq!(date_after(None, html).as_deref(), Some("2024-02-03"));
    }

    fn published_of(html: &str, url: &str) -> String {
        let url = url::Url::parse(url).expect("a URL");
        let x =
            crate::extract(html, Some(&url), &crate::ExtractOptions::default()).expect("extracts");
        x.published_at.map(|t| t.to_rfc3339()).unwrap_or_default()
    }

    fn article(head: &str, top: &str, bottom: &str) -> String {
        let para = "<p>The committee met on a cold morning, and after a long debate, \
            the members agreed on a plan that would change the town for years.</p>";
        format!(
            "<html><head><title>Comfort watches, day eighteen</title>{head}</head><body>\
             <article><h1>Comfort watches, day eighteen</h1>{top}{}</article>{bottom}</body></html>",
            para.repeat(6)
        )
    }

    #[test]
    fn a_utc_publication_time_is_shown_in_the_zone_the_page_uses() {
        let utc =
            "<meta property=\"article:published_time\" content=\"2025-12-19T02:41:41+00:00\">";
        let head = format!(
            "{utc}<meta property=\"article:modified_time\" content=\"2025-12-19T09:39:52-05:00\">"
        );
        // The page writes -05:00 elsewhere and its URL names the 18th.
        let html = article(&head, "", "");
        assert_eq!(
            published_of(&html, "https://example.com/2025/12/18/comfort-watches/"),
            "2025-12-18T21:41:41-05:00"
        );
        // Or its byline does (here the zone is a comment's `<time>`).
        let comments = "<p>Reply <time datetime=\"2025-12-18T21:46:01-05:00\">9:46 pm</time></p>";
        let html = article(utc, "<p>Posted on December 18, 2025</p>", comments);
        assert_eq!(
            published_of(&html, "https://example.com/comfort-watches/"),
            "2025-12-18T21:41:41-05:00"
        );
        // Nothing names the local day, or the page writes no other zone:
        // the time stays as declared.
        let html = article(&head, "<p>Posted on December 19, 2025</p>", "");
        assert_eq!(
            published_of(&html, "https://example.com/a/"),
            "2025-12-19T02:41:41+00:00"
        );
        let html = article(utc, "", "");
        assert_eq!(
            published_of(&html, "https://example.com/2025/12/18/comfort-watches/"),
            "2025-12-19T02:41:41+00:00"
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

    #[test]
    fn a_byline_date_well_before_the_declared_one_is_the_publication_date() {
        let head = "<meta name=\"DC.date\" content=\"2024-07-05T14:20:08Z\">\
            <meta property=\"og:updated_time\" content=\"2024-07-05T14:20:08-04:00\">";
        let top =
            "<time class=\"title-bar__date\" datetime=\"2024-03-01 05:00:00\">March 1, 2024</time>";
        let html = article(head, top, "");
        assert!(published_of(&html, "https://example.com/a/").starts_with("2024-03-01"));
        // Labelled as the publication date, in an element with no date class.
        let html = article(head, "<p>Published on 8 Jun 2024</p>", "");
        assert!(published_of(&html, "https://example.com/a/").starts_with("2024-06-08"));
        // Several days by the headline are a list, not a byline.
        let list = "<ul><li><a href=\"/x\">Older story</a> <time datetime=\"2024-02-11\">Feb 11</time></li>\
            <li><a href=\"/y\">Oldest story</a> <time datetime=\"2024-01-20\">Jan 20</time></li></ul>";
        let html = article(head, list, "");
        assert_eq!(
            published_of(&html, "https://example.com/a/"),
            "2024-07-05T14:20:08+00:00"
        );
        // A day before is the same moment in another zone; a later printed
        // date (an update) does not replace the publication date.
        for top in [
            "<p>Published July 4, 2024</p>",
            "<p>Updated August 9, 2024</p>",
        ] {
            let html = article(head, top, "");
            assert_eq!(
                published_of(&html, "https://example.com/a/"),
                "2024-07-05T14:20:08+00:00"
            );
        }
    }

    #[test]
    fn a_dateline_far_below_the_headline_counts_when_it_is_the_only_day() {
        let mut html = String::from("<h1>Headline here</h1>");
        for _ in 0..500 {
            html.push_str("<p>Paragraph.</p>");
        }
        html.push_str("<p class=\"date\">December 3, 2025. <i>Updated: December 7, 2025</i></p>");
        assert_eq!(date_after(None, &html).as_deref(), Some("2025-12-03"));
    }
}
