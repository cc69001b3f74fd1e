//! Named entities: securities with their codes and markets, companies,
//! people with their titles, organisations and places.
//!
//! Finance news names a listed company three ways — its short name
//! (`湖南白银`), its code (`002716`, `0005.HK`, `NVDA`) or both
//! (`湖南白银(002716)`, `英伟达(NVDA)`) — and the portal must link all three
//! to one entity. Securities come from the shipped table (`securities.tsv`,
//! built from the corpus's own `stocks` labels, see `examples/build-dicts.rs`)
//! and from code patterns; the market of an A-share code follows from its
//! prefix ([`market_of`]). Names that are also ordinary words (`机器人`,
//! `玻璃`, `原油`) count as securities only in a market context (a code, a
//! price move), because that is when the labellers — and readers — mean the
//! security.
//!
//! Companies also come from patterns (`XX股份`, `XX集团`, `XX(002716)`),
//! people from a title before the name (`首席执行官黄仁勋`,
//! `外交部发言人郭嘉昆`), and organisations and places from jieba's part of
//! speech tags. Those three load the segmenter; securities do not.

use crate::normalize::Normalized;
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

const SECURITIES: &str = include_str!("../data/securities.tsv");

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A listed share (A, H, US, …), by name or code.
    Stock,
    /// A market index (`创业板指`, `纳指`).
    Index,
    /// A commodity or futures contract (`现货黄金`, `焦煤`).
    Commodity,
    /// A fund or ETF.
    Fund,
    /// A company not found as a listed security.
    Company,
    Person,
    Org,
    Place,
}

impl EntityKind {
    /// Whether the entity is a tradable security (what the `stocks` labels
    /// of the flash corpus list).
    pub fn is_security(self) -> bool {
        matches!(
            self,
            EntityKind::Stock | EntityKind::Index | EntityKind::Commodity | EntityKind::Fund
        )
    }
}

/// One entity mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    pub kind: EntityKind,
    /// The text as written.
    pub text: String,
    /// The normalised name (`湖南白银`, `英伟达`, `黄仁勋`).
    pub name: String,
    /// The security code (`002716`, `0005`, `NVDA`), when known.
    pub code: Option<String>,
    /// The market (`SH`, `SZ`, `BJ`, `HK`, `US`), when known.
    pub market: Option<String>,
    /// A title for a person (`首席执行官`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Byte span in the input.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
struct Security {
    name: String,
    kind: EntityKind,
    code: Option<String>,
    market: Option<String>,
    /// Share of the texts naming it that the labellers tagged it in.
    labelled: Option<f32>,
}

struct Table {
    securities: Vec<Security>,
    by_code: HashMap<String, usize>,
    matcher: Option<AhoCorasick>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut securities = Vec::new();
    for line in SECURITIES.lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        let (Some(name), Some(kind)) = (f.next(), f.next()) else {
            continue;
        };
        let code = f.next().filter(|c| !c.is_empty()).map(str::to_string);
        let market = f.next().filter(|c| !c.is_empty()).map(str::to_string);
        let labelled = f.next().and_then(|r| r.parse().ok());
        let kind = match kind {
            "index" => EntityKind::Index,
            "commodity" => EntityKind::Commodity,
            "fund" => EntityKind::Fund,
            _ => EntityKind::Stock,
        };
        securities.push(Security {
            name: crate::normalize::normalize(name),
            kind,
            code,
            market,
            labelled,
        });
    }
    let by_code = securities
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((s.code.clone()?, i)))
        .collect();
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(securities.iter().map(|s| s.name.as_str()))
        .ok();
    Table {
        securities,
        by_code,
        matcher,
    }
});

/// Names labelled in at least this share of the texts naming them are
/// securities wherever they occur.
const ALWAYS_SHARE: f32 = 0.7;
/// Below [`ALWAYS_SHARE`] a name needs a market context; below this share
/// it needs a code after it.
const CONTEXT_SHARE: f32 = 0.3;

/// A code in brackets after a name or alone: `(002716)`, `（0005.HK）`,
/// `(NVDA)`, `(301358.SZ)`, `(AAPL.US)`.
const QUOTED_CODE_PATTERN: &str = r"[（(]\s*(?:(?P<a>\d{6})(?:\.(?P<am>SH|SZ|BJ|sh|sz|bj))?|(?P<h>\d{4,5})(?:\.(?:HK|hk))|(?P<h2>\d{5})|(?P<u>[A-Z]{1,5})(?:\.(?:US|O|N))?)\s*[）)]";

static QUOTED_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(QUOTED_CODE_PATTERN).expect("constant pattern"));

/// [`QUOTED_CODE`] right at the start of a text (right after a name).
static QUOTED_CODE_FIRST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{QUOTED_CODE_PATTERN}")).expect("constant pattern"));

/// Codes with an exchange suffix anywhere: `0005.HK`, `600519.SH`.
static SUFFIXED_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<c>\d{6}\.(?:SH|SZ|BJ)|\d{4,5}\.HK)").expect("constant pattern")
});

/// Words after a name that show the security is meant: a price move,
/// a limit, a quote.
static MARKET_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\s*(?:A|H)?股?(?:涨|跌|大涨|大跌|拉升|跳水|走高|走低|走强|走弱|冲高|回落|飙升|暴涨|暴跌|触及|封板|连板|一度|盘中|午后|尾盘|收涨|收跌|股价|市值|期货|主力合约|直线|快速|震荡|翻绿|翻红|逆势|领涨|领跌|均涨|均跌|等|、|\d+天\d+板))",
    )
    .expect("constant pattern")
});

/// The exchange an A-share or Beijing code trades on, from its prefix:
/// 600/601/603/605/688/689/900 → SH; 000/001/002/003/300/301/200 → SZ;
/// 8xx/4xx/920 → BJ; ETFs 5xx → SH, 1xx → SZ. Four- and five-digit codes
/// are Hong Kong's.
pub fn market_of(code: &str) -> &'static str {
    if !code.chars().all(|c| c.is_ascii_digit()) {
        return "US";
    }
    match code.len() {
        4 | 5 => "HK",
        6 => match &code[..3] {
            "600" | "601" | "603" | "605" | "688" | "689" | "900" => "SH",
            p if p.starts_with('5') => "SH",
            "000" | "001" | "002" | "003" | "300" | "301" | "302" | "200" => "SZ",
            p if p.starts_with('1') => "SZ",
            "920" => "BJ",
            p if p.starts_with('8') || p.starts_with('4') => "BJ",
            _ => "",
        },
        _ => "",
    }
}

/// Securities only: dictionary names and codes. Does not load the
/// segmenter.
pub fn find_securities(text: &str) -> Vec<Entity> {
    securities_and_companies(text, false)
}

/// Securities, and — with `companies` — listed names met outside a market
/// context as plain [`EntityKind::Company`] mentions (`英伟达首席执行官…`
/// is about the company, not its share).
fn securities_and_companies(text: &str, companies: bool) -> Vec<Entity> {
    let table = &*TABLE;
    let normalized = Normalized::new(text);
    let norm = normalized.text.as_str();
    let mut out: Vec<Entity> = Vec::new();
    if let Some(matcher) = &table.matcher {
        for hit in matcher.find_iter(norm) {
            let (s, e) = (hit.start(), hit.end());
            if !latin_boundary(norm, s, e) {
                continue;
            }
            let sec = &table.securities[hit.pattern().as_usize()];
            let after = &norm[e..];
            // `甬金精工科技有限公司` is a company of its own, not 精工科技.
            if after.starts_with("有限") || after.starts_with("股份有限") {
                continue;
            }
            let os = normalized.original_offset(s);
            let oe = normalized.original_offset(e);
            // A code in brackets, not any bracket: `机器人（共计300台）`,
            // `贝莱德（BlackRock）` are a word and its gloss.
            let quoted = QUOTED_CODE_FIRST.is_match(&text[oe..]);
            let share = sec.labelled.unwrap_or(1.0);
            let context =
                quoted || in_list_of_securities(norm, s) || MARKET_CONTEXT.is_match(after);
            // Names that are ordinary words as often as securities need a
            // market context; names that are mostly something else need a
            // code.
            let mut kind = sec.kind;
            if share < ALWAYS_SHARE && !(context && share >= CONTEXT_SHARE) && !quoted {
                if companies && kind == EntityKind::Stock && share >= CONTEXT_SHARE {
                    kind = EntityKind::Company;
                } else {
                    continue;
                }
            }
            out.push(Entity {
                kind,
                text: text[os..oe].to_string(),
                name: sec.name.clone(),
                code: sec.code.clone(),
                market: sec.market.clone(),
                title: None,
                start: os,
                end: oe,
            });
        }
    }
    // Quoted codes: attach to the name right before them, or make a
    // company-named stock from the words before the bracket.
    let mut quoted_spans = Vec::new();
    for caps in QUOTED_CODE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        quoted_spans.push(whole.range());
        let (code, market) = if let Some(a) = caps.name("a") {
            let m = caps
                .name("am")
                .map(|m| m.as_str().to_ascii_uppercase())
                .unwrap_or_else(|| market_of(a.as_str()).to_string());
            (a.as_str().to_string(), m)
        } else if let Some(h) = caps.name("h").or(caps.name("h2")) {
            (h.as_str().to_string(), "HK".to_string())
        } else if let Some(u) = caps.name("u") {
            (u.as_str().to_string(), "US".to_string())
        } else {
            continue;
        };
        if let Some(prev) = out.iter_mut().find(|e| e.end == whole.start()) {
            // The code the text quotes beats the table's: `兆易创新(603986)`
            // is the A share even if the table knows the H share's code.
            prev.code = Some(code);
            prev.market = Some(market);
            continue;
        }
        let is_us = caps.name("u").is_some();
        let head = company_head(&text[..whole.start()]);
        if is_us && head.is_empty() {
            // `(AI)`, `(CEO)`: a bare Latin word in brackets is not a
            // ticker unless a name comes before it.
            continue;
        }
        if is_us && !table.by_code.contains_key(&code) {
            // `(FDA)`, `(NHTSA)`, `(AI)`: only tickers we know are tickers.
            continue;
        }
        let (start, name) = if head.is_empty() {
            (whole.start(), String::new())
        } else {
            (
                whole.start() - head.len(),
                crate::normalize::normalize(head),
            )
        };
        let known = table.by_code.get(&code).map(|&i| &table.securities[i]);
        let kind = if known.is_some_and(|k| k.kind == EntityKind::Fund)
            || name.contains("etf")
            || name.contains("lof")
            || name.ends_with("基金")
        {
            EntityKind::Fund
        } else {
            known.map_or(EntityKind::Stock, |k| k.kind)
        };
        out.push(Entity {
            kind,
            text: text[start..whole.end()].to_string(),
            name: if name.is_empty() {
                known
                    .map(|s| s.name.clone())
                    .unwrap_or_else(|| code.clone())
            } else {
                name
            },
            code: Some(code),
            market: Some(market),
            title: None,
            start,
            end: whole.end(),
        });
    }
    for caps in SUFFIXED_CODE.captures_iter(text) {
        let Some(c) = caps.name("c") else { continue };
        // `天成自控(603085.SH)`: the code was read with its brackets and
        // belongs to the name before them, not to a second entity.
        if quoted_spans
            .iter()
            .any(|q| q.start <= c.start() && c.end() <= q.end)
        {
            continue;
        }
        if out
            .iter()
            .any(|e| e.start <= c.start() && c.end() <= e.end.max(c.end()) && e.end >= c.start())
        {
            continue;
        }
        let (code, market) = c.as_str().split_once('.').unwrap_or((c.as_str(), ""));
        let known = table.by_code.get(code).map(|&i| &table.securities[i]);
        out.push(Entity {
            kind: EntityKind::Stock,
            text: c.as_str().to_string(),
            name: known
                .map(|s| s.name.clone())
                .unwrap_or_else(|| code.to_string()),
            code: Some(code.to_string()),
            market: Some(market.to_string()),
            title: None,
            start: c.start(),
            end: c.end(),
        });
    }
    out.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    out.dedup_by(|b, a| b.start < a.end);
    // `湖南白银` in the headline is the `湖南白银(002716)` of the body.
    let codes: HashMap<String, (String, String)> = out
        .iter()
        .filter_map(|e| Some((e.name.clone(), (e.code.clone()?, e.market.clone()?))))
        .collect();
    for e in out.iter_mut().filter(|e| e.code.is_none()) {
        if let Some((code, market)) = codes.get(&e.name) {
            e.code = Some(code.clone());
            e.market = Some(market.clone());
        }
    }
    out
}

/// A name before `(002716)`: the CJK and Latin run back to punctuation,
/// at most 10 characters, without a leading verb or preposition.
fn company_head(before: &str) -> &str {
    let mut start = before.len();
    for (i, c) in before.char_indices().rev().take(10) {
        if huiwen_core::text::is_cjk(c) || c.is_ascii_alphanumeric() || c == '-' {
            start = i;
        } else {
            break;
        }
    }
    let mut head = &before[start..];
    // A name does not run across a function word: `分别是中韩半导体ETF`.
    if let Some((i, c)) = head
        .char_indices()
        .rev()
        .find(|&(_, c)| "是的和与及为在对将了即".contains(c))
    {
        let rest = &head[i + c.len_utf8()..];
        if rest.chars().count() >= 2 {
            head = rest;
        }
    }
    // Drop leading words that are not part of the name: `公告称湖南裕能`.
    for lead in [
        "其中",
        "包括",
        "旗下",
        "公司",
        "子公司",
        "股东",
        "截至发稿",
        "发稿",
        "关于",
        "个股",
        "龙头",
        "如",
        "以及",
        "和",
        "与",
        "及",
        "据",
        "由",
        "对",
        "向",
        "在",
        "称",
        "为",
    ] {
        if let Some(rest) = head.strip_prefix(lead) {
            if rest.chars().count() >= 2 {
                head = rest;
            }
        }
    }
    head
}

/// Whether a name starting at `s` follows `、` after another name: lists of
/// securities (`中国巨石、迅捷兴、兴森科技`) are the labelled context.
fn in_list_of_securities(norm: &str, s: usize) -> bool {
    norm[..s].ends_with('、')
}

/// Latin names must not be cut out of a longer Latin word (`PP` in `APP`).
fn latin_boundary(norm: &str, s: usize, e: usize) -> bool {
    let first = norm[s..].chars().next();
    let last = norm[..e].chars().next_back();
    let before = norm[..s].chars().next_back();
    let after = norm[e..].chars().next();
    let clash = |edge: Option<char>, out: Option<char>| {
        edge.is_some_and(|c| c.is_ascii_alphanumeric())
            && out.is_some_and(|c| c.is_ascii_alphanumeric())
    };
    !clash(first, before) && !clash(last, after)
}

/// Titles that come before a person's name.
const TITLES: &[&str] = &[
    "首席执行官",
    "首席财务官",
    "首席技术官",
    "首席经济学家",
    "首席分析师",
    "董事长",
    "副董事长",
    "总裁",
    "副总裁",
    "总经理",
    "副总经理",
    "董事会秘书",
    "董秘",
    "创始人",
    "联合创始人",
    "CEO",
    "CFO",
    "CTO",
    "COO",
    "发言人",
    "新闻发言人",
    "主席",
    "副主席",
    "总统",
    "副总统",
    "总理",
    "副总理",
    "首相",
    "部长",
    "副部长",
    "行长",
    "副行长",
    "省长",
    "市长",
    "局长",
    "署长",
    "国务卿",
    "大使",
    "秘书长",
    "经济学家",
    "分析师",
    "策略师",
    "研究员",
    "理事",
    "委员",
];

/// Words that end a name (what follows `黄仁勋` in a sentence).
const AFTER_NAME: &[&str] = &[
    "表示", "称", "说", "指出", "认为", "强调", "透露", "介绍", "此前", "近日", "日前", "当天",
    "当地", "在", "于", "与", "和", "对", "将", "已", "曾", "也", "还", "的", "是", "今天", "周",
    "接受", "出席", "宣布", "发表", "回应", "提到", "预计", "警告", "呼吁", "坦言", "依然", "仍",
    "再次", "随后", "首次", "近期", "亲自", "今年", "去年", "：", ":", "，", ",", "、", "。", "（",
    "(", "”", "\"", " ",
];

static TITLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let mut titles: Vec<&str> = TITLES.to_vec();
    titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
    Regex::new(&format!(
        r"(?P<t>{})(?P<n>\p{{Han}}{{2,4}})",
        titles.join("|")
    ))
    .expect("constant pattern")
});

/// People introduced by a title: `首席执行官黄仁勋`, `外交部发言人郭嘉昆`.
pub fn find_people(text: &str) -> Vec<Entity> {
    let mut out = Vec::new();
    for caps in TITLE_RE.captures_iter(text) {
        let (Some(t), Some(n)) = (caps.name("t"), caps.name("n")) else {
            continue;
        };
        let candidate = n.as_str();
        // The longest name (3, then 2 characters; 4 for some compound
        // surnames) that a boundary word follows.
        let lens: Vec<usize> = candidate.char_indices().map(|(i, _)| i).skip(2).collect();
        let mut chosen = None;
        for end in [3usize, 2, 4] {
            let byte_end = if end == candidate.chars().count() {
                Some(candidate.len())
            } else {
                lens.get(end - 2).copied()
            };
            let Some(byte_end) = byte_end else { continue };
            let rest = &text[n.start() + byte_end..];
            if rest.is_empty() || AFTER_NAME.iter().any(|w| rest.starts_with(w)) {
                chosen = Some(byte_end);
                break;
            }
        }
        let Some(len) = chosen else { continue };
        let name = &candidate[..len];
        out.push(Entity {
            kind: EntityKind::Person,
            text: name.to_string(),
            name: crate::normalize::normalize(name),
            code: None,
            market: None,
            title: Some(t.as_str().to_string()),
            start: n.start(),
            end: n.start() + len,
        });
    }
    out
}

/// What follows a person's name when the text quotes them: `黄仁勋称`,
/// `黄仁勋还表示`.
static SPEECH_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[还也则曾再又均亦]?(?:表示|称|说|指出|认为|透露|强调|介绍|坦言|回应|警告|宣布|补充|直言|预计|接受)")
        .expect("constant pattern")
});

/// Company suffixes for names not in the securities table.
static COMPANY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<c>[\p{Han}A-Za-z]{2,10}?(?:股份有限公司|有限责任公司|有限公司|股份|集团|银行|科技|控股|证券|保险|汽车|电子|医药|能源|材料|通信|半导体|智能|资本|投资公司))",
    )
    .expect("constant pattern")
});

/// All entities: securities, people, and — with the segmenter's part of
/// speech tags — companies, organisations and places.
pub fn find_entities(text: &str) -> Vec<Entity> {
    let mut out = securities_and_companies(text, true);
    let overlaps =
        |out: &[Entity], s: usize, e: usize| out.iter().any(|x| x.start < e && s < x.end);
    for p in find_people(text) {
        if !overlaps(&out, p.start, p.end) {
            out.push(p);
        }
    }
    // Organisations, places and remaining people from jieba's tags; a
    // company suffix on an organisation makes it a company.
    let seg = crate::seg::segmenter();
    let normalized = Normalized::new(text);
    let base = normalized.text.as_ptr() as usize;
    for tag in seg.jieba().tag(&normalized.text, true) {
        // Tags borrow from the input, so their offset is their address.
        let s = tag.word.as_ptr() as usize - base;
        let e = s + tag.word.len();
        let kind = match tag.tag {
            "nt" => EntityKind::Org,
            "ns" => EntityKind::Place,
            "nr" if (2..=4).contains(&tag.word.chars().count()) => EntityKind::Person,
            _ => continue,
        };
        let (os, oe) = (normalized.original_offset(s), normalized.original_offset(e));
        // jieba's HMM tags many word pairs as names (`严正`); a person needs
        // a title before or a speech verb after.
        let title = (kind == EntityKind::Person)
            .then(|| {
                let mut titles: Vec<&&str> = TITLES
                    .iter()
                    .filter(|t| text[..os].ends_with(**t))
                    .collect();
                titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
                titles.first().map(|t| (**t).to_string())
            })
            .flatten();
        if kind == EntityKind::Person && title.is_none() && !SPEECH_AFTER.is_match(&text[oe..]) {
            continue;
        }
        if tag.word.chars().count() < 2 || overlaps(&out, os, oe) {
            continue;
        }
        let kind = if kind == EntityKind::Org && COMPANY_RE.is_match(tag.word) {
            EntityKind::Company
        } else {
            kind
        };
        out.push(Entity {
            kind,
            text: text[os..oe].to_string(),
            name: tag.word.to_string(),
            code: None,
            market: None,
            title,
            start: os,
            end: oe,
        });
    }
    // Company-suffixed words jieba knew as one token (`美的置业集团`).
    for m in COMPANY_RE.find_iter(text) {
        if overlaps(&out, m.start(), m.end()) {
            continue;
        }
        let head = company_head(m.as_str());
        if head.chars().count() < 4 || head.len() != m.as_str().len() {
            continue;
        }
        out.push(Entity {
            kind: EntityKind::Company,
            text: m.as_str().to_string(),
            name: crate::normalize::normalize(m.as_str()),
            code: None,
            market: None,
            title: None,
            start: m.start(),
            end: m.end(),
        });
    }
    out.sort_by_key(|e| e.start);
    out
}
