//! Attribution lines: who published, wrote and edited a text.
//!
//! Chinese news carries its byline inside the text rather than in markup:
//! `【文/观察者网 陈思佳】`, `智通财经APP获悉，`, `观点网讯：`, `来源：滚动播报`,
//! `（科股宝播报）`, `责任编辑：王璐`, `原标题：…`, `每经AI快讯，` and the
//! agency dateline `新华社北京1月20日电`. [`parse_attribution`] turns them
//! into an outlet, author, original title and editor, and reports their byte
//! spans, because two reposts of one story differ mostly in exactly these
//! lines: dedup, search and summaries must match on the text without them
//! ([`strip_attribution`]).

use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

/// What the attribution lines of a text say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// The original publisher (`观察者网`, `智通财经`, `新华社`).
    pub outlet: Option<String>,
    /// The writer (`陈思佳`).
    pub author: Option<String>,
    /// The title the story had at its origin (`原标题：…`).
    pub original_title: Option<String>,
    /// The responsible editor (`责任编辑：王璐`).
    pub editor: Option<String>,
    /// Byte ranges in the input of the attribution text (to remove from
    /// matching text), sorted and not overlapping.
    #[serde(skip)]
    pub spans: Vec<Range<usize>>,
}

/// The Han script's blocks as explicit ranges, for the patterns below:
/// `\p{Han}` says the same but compiles to a much larger automaton, and
/// the patterns repeat it up to sixteen times (`{2,16}`); compiling them
/// was most of a `huiwen extract` run on a short page. For the same reason
/// digits are `[0-9０-９]` (ASCII or full-width, as Chinese text writes
/// them), not `\d` (every script's digits).
macro_rules! han {
    () => {
        r"\u{2E80}-\u{2FDF}\u{3005}\u{3007}\u{3021}-\u{3029}\u{3038}-\u{303B}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{F900}-\u{FAFF}\u{20000}-\u{323AF}"
    };
}

/// Characters a name may hold: CJK, Latin letters, digits, `·` in
/// transliterated names, and `-`/`&`.
const NAME: &str = concat!("[", han!(), r"A-Za-z0-9·&\-]");

/// What a pattern's every match contains, checked before the pattern is
/// run (or compiled: a page's first lines compile only what they need).
#[derive(Debug, Clone, Copy)]
enum Trigger {
    Chars(&'static [char]),
    /// One of [`SIGNATURES`].
    Signatures,
}

impl Trigger {
    fn found_in(self, text: &str) -> bool {
        match self {
            Trigger::Chars(chars) => text.contains(chars),
            Trigger::Signatures => SIGNATURES.iter().any(|s| text.contains(s)),
        }
    }
}

/// A pattern compiled the first time a text holds its trigger.
struct Pattern {
    source: String,
    compiled: OnceLock<Regex>,
}

impl Pattern {
    fn new(source: String) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    fn regex(&self) -> &Regex {
        self.compiled
            .get_or_init(|| Regex::new(&self.source).expect("attribution patterns are constants"))
    }
}

static PATTERNS: LazyLock<Vec<(Kind, Trigger, Pattern)>> = LazyLock::new(|| {
    let n = NAME;
    let mk = Pattern::new;
    vec![
        // 【文/观察者网 陈思佳】, 文/陈思佳, 文｜陈思佳 (at a line start).
        (
            Kind::Byline,
            Trigger::Chars(&['文']),
            mk(format!(
                r"(?m)(?:【\s*文\s*[/／｜|]\s*(?P<a>{n}+)(?:[ \u3000]+(?P<b>{n}+(?:[ \u3000、]+{n}+)*))?\s*】|^[ \u3000]*文\s*[/／｜|]\s*(?P<c>{n}+)(?:[ \u3000]+(?P<d>{n}+))?[ \u3000]*$)"
            )),
        ),
        // 原标题：X / 原文标题：《X》 — to the end of the line or the title's
        // closing bracket.
        (
            Kind::OriginalTitle,
            Trigger::Chars(&['题']),
            mk(r"[（(]?原(?:文)?标题[：:｜\s]\s*(?:《(?P<b>[^》\n]+)》|(?P<a>[^\n）)]+?)\s*[）)]?\s*(?:\n|$))".to_string()),
        ),
        // 责任编辑：X, 编辑：X, 责编：X.
        (
            Kind::Editor,
            Trigger::Chars(&['编']),
            mk(format!(
                r"[（(\[【]?(?:责任编辑|责编|编辑)[：:｜|/\s]\s*(?P<a>{n}+(?:、{n}+)*)\s*[）)\]】]?"
            )),
        ),
        // 本文来源：X, 文章来源：X, 来源：X.
        (
            Kind::Source,
            Trigger::Chars(&['源']),
            mk(format!(
                r"[（(]?(?:本文|文章|信息|新闻)?来源[：:]\s*(?P<a>{n}+)(?:\s*[）)])?"
            )),
        ),
        // 每经AI快讯，
        (
            Kind::Fixed("每日经济新闻"),
            Trigger::Chars(&['讯']),
            mk(r"每经AI快讯[，,：:]?".to_string()),
        ),
        // 《科创板日报》18日讯，
        (
            Kind::Lead,
            Trigger::Chars(&['讯']),
            mk(r"(?m)^[ \u3000]*《(?P<a>[^》\n]{2,12})》(?:[0-9０-９]{1,2}日)?讯[：:，,\s]*".to_string()),
        ),
        // 证券之星1月20日盘中消息，  钛媒体App 1月20日消息，
        (
            Kind::Lead,
            Trigger::Chars(&['息']),
            mk(format!(
                r"(?m)(?:^|(?P<lb>】))[ \u3000]*(?P<a>{n}{{2,10}}?)(?:APP|App|app)?\s*[0-9０-９]{{1,2}}月[0-9０-９]{{1,2}}日(?:盘中|晚间|早间|午间)?消息[，,：:\s]*"
            )),
        ),
        // 观点网讯：, 汇通财经APP讯——, 智通财经APP获悉， (at a paragraph start).
        (
            Kind::Lead,
            Trigger::Chars(&['讯', '悉']),
            mk(format!(
                r"(?m)(?:^|[ \u3000]|(?P<lb>】))[ \u3000]*(?P<a>{n}{{2,14}}?)(?:APP|App|app)?(?:讯|记者获悉|获悉)(?:[：:，,\s]|——|-|—)+"
            )),
        ),
        // （科股宝播报）, （人民财讯）, (环球市场播报)
        (
            Kind::Paren,
            Trigger::Chars(&['播', '讯']),
            mk(format!(
                r"[（(](?P<a>{n}{{2,12}}?(?:播报|财讯))[）)]"
            )),
        ),
        // A newspaper's name signing off after the last sentence:
        // `…日内涨0.86%。 每日经济新闻`.
        (
            Kind::Trailer,
            Trigger::Signatures,
            mk(format!(
                r"[。！？!?]\s*(?P<a>{})\s*$",
                SIGNATURES.join("|")
            )),
        ),
        // Datelines: 财联社5月14日电， 新华社北京1月20日电
        (
            Kind::Dateline,
            Trigger::Chars(&['电']),
            mk(
                concat!(r#"(?m)(?:^|(?P<lb>】))[ \u3000]*(?P<a>["#, han!(), r#"A-Za-z]{2,16}?)(?:[0-9０-９]{4}年)?[0-9０-９]{1,2}月[0-9０-９]{1,2}日(?:[0-9０-９]{1,2}时)?电[，,：:\s]*"#)
                .to_string(),
            ),
        ),
    ]
});

#[derive(Debug, Clone, Copy)]
enum Kind {
    Byline,
    OriginalTitle,
    Editor,
    Source,
    Fixed(&'static str),
    Lead,
    Paren,
    Trailer,
    Dateline,
}

/// One of these characters is in every match of [`PATTERNS`] but the
/// trailer's: 文 (bylines), 题 (原标题), 编 (编辑, 责编), 源 (来源), 讯 (X讯,
/// 快讯, 财讯), 息 (消息), 悉 (获悉), 播 (播报), 电 (datelines).
const TRIGGERS: [char; 9] = ['文', '题', '编', '源', '讯', '息', '悉', '播', '电'];

/// Whether any pattern can match: most lines a page is checked for hold
/// none of the trigger characters, and a scan for them costs far less than
/// running every pattern's captures.
fn may_attribute(text: &str) -> bool {
    text.contains(TRIGGERS) || SIGNATURES.iter().any(|s| text.contains(s))
}

/// Outlets that sign off at the end of a text.
const SIGNATURES: &[&str] = &[
    "每日经济新闻",
    "证券时报",
    "中国证券报",
    "上海证券报",
    "证券日报",
    "第一财经",
    "央视新闻",
    "人民日报",
    "经济日报",
    "新华社",
    "21世纪经济报道",
];

/// Words that end an outlet's name; a lone `文/X` ending in one of these is
/// an outlet, otherwise a person.
const OUTLET_ENDINGS: &[&str] = &[
    "网",
    "社",
    "报",
    "刊",
    "台",
    "新闻",
    "财经",
    "日报",
    "周刊",
    "时报",
    "资讯",
    "证券",
    "APP",
    "观察",
    "头条",
    "之家",
    "研究院",
    "传媒",
    "媒体",
    "杂志",
];

/// Leads that end in 讯/获悉 but are not outlets (`资讯`, `据悉`, `记者`).
const NOT_OUTLETS: &[&str] = &["记者", "本报记者", "据", "笔者"];

/// Reads the attribution lines of `text`. Nothing here loads the segmenter:
/// it is cheap enough for every page the extractor looks at.
pub fn parse_attribution(text: &str) -> Attribution {
    let mut out = Attribution::default();
    if !may_attribute(text) {
        return out;
    }
    // Lower rank wins for the outlet: an explicit byline beats a lead
    // (`X讯`), which beats `来源：`, a dateline and a trailing `（X播报）`.
    let mut outlet_rank = usize::MAX;
    let mut spans: Vec<Range<usize>> = Vec::new();
    for (kind, trigger, pattern) in PATTERNS.iter() {
        if !trigger.found_in(text) {
            continue;
        }
        for caps in pattern.regex().captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            if spans
                .iter()
                .any(|s| s.start < whole.end() && whole.start() < s.end)
            {
                continue;
            }
            let a = caps.name("a").map(|m| m.as_str().trim().to_string());
            let mut set_outlet = |name: Option<String>, rank: usize| {
                if let Some(name) = name.filter(|n| !n.is_empty()) {
                    if rank < outlet_rank {
                        outlet_rank = rank;
                        out.outlet = Some(name);
                    }
                }
            };
            match kind {
                Kind::Byline => {
                    let first = a.or_else(|| caps.name("c").map(|m| m.as_str().to_string()));
                    let second = caps
                        .name("b")
                        .or(caps.name("d"))
                        .map(|m| m.as_str().trim().to_string());
                    match (first, second) {
                        (Some(outlet), Some(author)) => {
                            set_outlet(Some(outlet), 0);
                            out.author.get_or_insert(author);
                        }
                        (Some(one), None) if is_outlet_name(&one) => set_outlet(Some(one), 0),
                        (Some(one), None) => {
                            out.author.get_or_insert(one);
                        }
                        _ => continue,
                    }
                }
                Kind::OriginalTitle => {
                    let Some(title) = caps.name("b").map(|m| m.as_str().to_string()).or(a) else {
                        continue;
                    };
                    let title = title.trim_matches(['《', '》', ' ']).to_string();
                    if title.is_empty() {
                        continue;
                    }
                    out.original_title.get_or_insert(title);
                }
                Kind::Editor => {
                    let Some(editor) = a else { continue };
                    out.editor.get_or_insert(editor);
                }
                Kind::Source => set_outlet(a.map(|s| strip_app(&s)), 3),
                Kind::Fixed(name) => set_outlet(Some((*name).to_string()), 1),
                Kind::Lead => {
                    let Some(mut name) = a else { continue };
                    // `财联社记者采访获悉` is 财联社's; `记者从国铁集团获悉`
                    // names a source, not an outlet.
                    if let Some(i) = name.find("记者") {
                        name.truncate(i);
                    }
                    let short = name.chars().count() <= 5;
                    // 资讯, 通讯, 快讯, 喜讯 are words, not `X讯` leads.
                    let word_xun = whole.as_str().contains('讯')
                        && name.ends_with(['资', '通', '快', '喜', '音', '视', '简', '短', '电']);
                    if word_xun {
                        continue;
                    }
                    if name.chars().count() < 2
                        || NOT_OUTLETS.contains(&name.as_str())
                        || !(short || is_outlet_name(&name) || whole.as_str().contains("APP"))
                    {
                        continue;
                    }
                    set_outlet(Some(name), 1);
                }
                Kind::Paren => set_outlet(a, 5),
                Kind::Trailer => set_outlet(a, 2),
                Kind::Dateline => set_outlet(a.map(|s| dateline_outlet(&s)), 4),
            }
            // A dateline right after a `【…】` headline keeps the bracket; a
            // signature keeps the sentence end before it.
            let start = match (caps.name("lb"), kind) {
                (Some(lb), _) => lb.end(),
                (None, Kind::Trailer) => caps.name("a").map_or(whole.start(), |a| a.start()),
                _ => whole.start(),
            };
            spans.push(start..whole.end());
        }
    }
    spans.sort_by_key(|s| s.start);
    out.spans = spans;
    out
}

/// `text` without its attribution lines, for matching (dedup, search,
/// keywords). A removed span becomes a space only between two Latin words
/// or numbers, so they do not join.
pub fn strip_attribution(text: &str) -> String {
    let attribution = parse_attribution(text);
    remove_spans(text, &attribution.spans)
}

/// `text` with `spans` (sorted, disjoint byte ranges) taken out.
pub fn remove_spans(text: &str, spans: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        if span.start < at || span.end > text.len() {
            continue;
        }
        out.push_str(&text[at..span.start]);
        // A space only where two Latin words or numbers would otherwise
        // join; Chinese needs none.
        let before = out.chars().next_back();
        let after = text[span.end..].chars().next();
        if before.is_some_and(|c| c.is_ascii_alphanumeric())
            && after.is_some_and(|c| c.is_ascii_alphanumeric())
        {
            out.push(' ');
        }
        at = span.end;
    }
    out.push_str(&text[at..]);
    out.trim().to_string()
}

fn is_outlet_name(name: &str) -> bool {
    OUTLET_ENDINGS.iter().any(|e| name.ends_with(e))
}

fn strip_app(name: &str) -> String {
    name.trim_end_matches("APP")
        .trim_end_matches("App")
        .trim()
        .to_string()
}

/// The agency in a dateline head: `新华社北京` → `新华社`, `中新网` → `中新网`.
fn dateline_outlet(head: &str) -> String {
    for agency_end in ["社", "网", "台"] {
        if let Some(i) = head.find(agency_end) {
            return head[..i + agency_end.len()].to_string();
        }
    }
    head.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// The quick check before any pattern runs knows every pattern's
    /// trigger characters.
    #[test]
    fn the_quick_check_holds_every_pattern_trigger() {
        for (kind, trigger, _) in PATTERNS.iter() {
            if let Trigger::Chars(chars) = trigger {
                assert!(chars.iter().all(|c| TRIGGERS.contains(c)), "{kind:?}");
            }
        }
    }

    /// The prefilters never hide a match: every line of the bundled demo
    /// corpus (7,000 real flash, RSS and broadcast items) on which a
    /// pattern matches holds a trigger character or a signature, and that
    /// pattern's own trigger.
    #[test]
    fn triggers_cover_every_pattern_match() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/demo/demo-corpus.jsonl.gz"
        );
        let file = std::fs::File::open(path).expect("the demo corpus ships with the repository");
        let mut jsonl = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut jsonl)
            .expect("gzip");
        let mut matched = 0;
        for record in jsonl.lines() {
            let value: serde_json::Value = serde_json::from_str(record).expect("json line");
            for field in ["title", "content", "brief"] {
                let Some(text) = value.get(field).and_then(|v| v.as_str()) else {
                    continue;
                };
                for line in text.lines() {
                    for (kind, trigger, pattern) in PATTERNS.iter() {
                        if pattern.regex().is_match(line) {
                            matched += 1;
                            assert!(may_attribute(line), "{line}");
                            assert!(trigger.found_in(line), "{kind:?}: {line}");
                        }
                    }
                }
            }
        }
        assert!(
            matched > 1000,
            "only {matched} lines matched: wrong corpus?"
        );
    }
}
