//! The rules file (`rules.toml`), parsed once.

use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub list_headings: Vec<String>,
    pub drop_line_prefixes: Vec<String>,
    pub drop_line_patterns: Vec<String>,
    pub negative_words: Vec<String>,
    pub list_words: Vec<String>,
    pub comment_words: Vec<String>,
    pub positive_words: Vec<String>,
    pub title_separators: Vec<String>,
    pub caption_suffixes: Vec<String>,
    pub caption_prefixes: Vec<String>,
    pub author_box_headings: Vec<String>,
    #[serde(default)]
    pub site: Vec<SiteRule>,
    /// Class/id word → hint (+1 content, -1 boilerplate, -3 list module,
    /// -2 comments), built from the four word lists: one lookup per word
    /// instead of four scans.
    #[serde(skip)]
    hint_table: HashMap<String, i8, BuildHasherDefault<WordHasher>>,
    /// For each word length (the last entry for all longer ones), the
    /// first letters of the hint words of that length: most class words
    /// are ruled out by it without a lookup.
    #[serde(skip)]
    hint_first_letters: [u64; HINT_LENGTHS],
    /// `list_headings` (lower-cased) as a set: every short element of a
    /// page is looked up.
    #[serde(skip)]
    list_heading_set: HashSet<String, BuildHasherDefault<WordHasher>>,
    /// `drop_line_prefixes` (lower-cased) by their first character: every
    /// body line is checked.
    #[serde(skip)]
    drop_line_by_first: HashMap<char, Vec<String>>,
    /// The longest of `drop_line_prefixes`, in characters: how much of a
    /// line is lower-cased to compare.
    #[serde(skip)]
    drop_line_prefix_chars: usize,
    /// `drop_line_patterns`, compiled once.
    #[serde(skip)]
    drop_line_regexes: Option<regex::RegexSet>,
}

/// The longest line `drop_line_patterns` are tried on: they describe
/// chrome, and prose that happens to match is longer.
const PATTERN_LINE_CHARS: usize = 80;

/// Word lengths told apart by `hint_first_letters`.
const HINT_LENGTHS: usize = 24;

/// FNV-1a. The hint table is looked up for every class and id word of
/// every element, with short keys, where SipHash's setup costs more than
/// the lookup; its keys are fixed (ours), so there is no flooding to guard
/// against.
#[derive(Debug)]
pub struct WordHasher(u64);

impl Default for WordHasher {
    fn default() -> Self {
        WordHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRule {
    pub host: String,
    pub body: Vec<String>,
}

const RULES_TOML: &str = include_str!("rules.toml");

/// The shipped rules. A rules file that does not parse is a build defect
/// caught by the unit test below, so at run time it falls back to no rules
/// rather than failing every extraction.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut r: Rules = toml::from_str(RULES_TOML).unwrap_or(Rules {
            list_headings: Vec::new(),
            drop_line_prefixes: Vec::new(),
            drop_line_patterns: Vec::new(),
            negative_words: Vec::new(),
            list_words: Vec::new(),
            comment_words: Vec::new(),
            positive_words: Vec::new(),
            title_separators: Vec::new(),
            caption_suffixes: Vec::new(),
            caption_prefixes: Vec::new(),
            author_box_headings: Vec::new(),
            site: Vec::new(),
            hint_table: HashMap::default(),
            hint_first_letters: [0; HINT_LENGTHS],
            list_heading_set: HashSet::default(),
            drop_line_by_first: HashMap::new(),
            drop_line_prefix_chars: 0,
            drop_line_regexes: None,
        });
        // Comments outrank content words, which outrank boilerplate words
        // (the same precedence the class hint applies per element).
        for (list, hint) in [
            (&r.negative_words, -1),
            (&r.list_words, -3),
            (&r.positive_words, 1),
            (&r.comment_words, -2),
        ] {
            for w in list.clone() {
                if let Some(&first) = w.as_bytes().first() {
                    r.hint_first_letters[hint_length_slot(&w)] |= first_letter_bit(first);
                }
                r.hint_table.insert(w, hint);
            }
        }
        for l in &mut r.list_headings {
            *l = l.to_lowercase();
        }
        r.list_heading_set = r.list_headings.iter().cloned().collect();
        for l in &mut r.drop_line_prefixes {
            *l = l.to_lowercase();
            r.drop_line_prefix_chars = r.drop_line_prefix_chars.max(l.chars().count());
            if let Some(first) = l.chars().next() {
                r.drop_line_by_first
                    .entry(first)
                    .or_default()
                    .push(l.clone());
            }
        }
        // A pattern that does not compile is a build defect the unit test
        // below catches; at run time the patterns are then left out.
        r.drop_line_regexes = regex::RegexSet::new(&r.drop_line_patterns).ok();
        r
    })
}

/// Characters a list heading is trimmed of before it is looked up:
/// whitespace, separators and `更多` (`热门资讯 更多>>`).
fn is_around_list_heading(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '：' | ':'
                | '>'
                | '»'
                | '›'
                | '【'
                | '】'
                | '['
                | ']'
                | '<'
                | '«'
                | '|'
                | '/'
                | '·'
                | '-'
                | '—'
                | '更'
                | '多'
        )
}

fn hint_length_slot(word: &str) -> usize {
    word.len().min(HINT_LENGTHS - 1)
}

/// One of 64 bits for a byte (a digit shares its bit with a letter, which
/// only costs a lookup).
fn first_letter_bit(b: u8) -> u64 {
    1 << (b % 64)
}

impl Rules {
    /// The hint (+1 content, -1 boilerplate, -2 comments) of a class or id
    /// word, if it has one.
    pub fn hint(&self, word: &str) -> Option<i8> {
        let first = *word.as_bytes().first()?;
        if self.hint_first_letters[hint_length_slot(word)] & first_letter_bit(first) == 0 {
            return None;
        }
        self.hint_table.get(word).copied()
    }

    /// Whether `text` is a list heading (`相关阅读`, `相关阅读：`, `热门资讯 更多>>`).
    pub fn list_heading(&self, text: &str) -> Option<String> {
        let t = text.trim();
        if t.is_empty() || t.chars().count() > 24 {
            return None;
        }
        let lower = crate::lowercase(t);
        let mut core = lower.trim_matches(is_around_list_heading);
        // `trim_end_matches("more")`, without setting up a substring search.
        while let Some(rest) = core.strip_suffix("more") {
            core = rest;
        }
        let core = core.trim();
        self.list_heading_set.contains(core).then(|| {
            t.trim_matches(|c: char| c.is_whitespace() || "：:>»›【】[]".contains(c))
                .to_string()
        })
    }

    pub fn drop_line(&self, text: &str) -> bool {
        let t = text.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '[' | '【' | '（' | '(' | '〔' | '|')
        });
        let Some(first) = t.chars().next().and_then(|c| c.to_lowercase().next()) else {
            return false;
        };
        // Most lines start with a character no prefix does: they are let go
        // before anything is lower-cased.
        let by_prefix = self.drop_line_by_first.get(&first).is_some_and(|prefixes| {
            let head = t
                .char_indices()
                .nth(self.drop_line_prefix_chars)
                .map_or(t, |(end, _)| &t[..end]);
            let lower = crate::lowercase(head);
            prefixes.iter().any(|p| lower.starts_with(p.as_str()))
        });
        by_prefix || self.author_box_heading(text) || self.drop_line_by_pattern(text.trim())
    }

    /// Whether `text` is the heading of the box about the writer (`About
    /// the Author`).
    pub fn author_box_heading(&self, text: &str) -> bool {
        let t = text.trim().trim_end_matches([':', '：']).trim_end();
        t.len() <= 24
            && self
                .author_box_headings
                .iter()
                .any(|h| h.eq_ignore_ascii_case(t))
    }

    fn drop_line_by_pattern(&self, line: &str) -> bool {
        let Some(set) = &self.drop_line_regexes else {
            return false;
        };
        line.chars().nth(PATTERN_LINE_CHARS).is_none() && set.is_match(line)
    }

    pub fn site_selectors(&self, host: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for rule in &self.site {
            if host == rule.host || host.ends_with(&format!(".{}", rule.host)) {
                out.extend(rule.body.iter().map(String::as_str));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_parse() {
        let r: Rules = toml::from_str(RULES_TOML).expect("rules.toml parses");
        assert!(r.list_headings.len() > 20);
        // An empty prefix would drop every line (`drop_line` files prefixes
        // by their first character).
        assert!(r.drop_line_prefixes.iter().all(|p| !p.is_empty()));
        regex::RegexSet::new(&r.drop_line_patterns).expect("drop_line_patterns compile");
        // A Unicode `\b` sends every Chinese line to the regex crate's slow
        // matcher (see rules.toml).
        for p in &r.drop_line_patterns {
            assert!(
                !p.replace("(?-u:\\b)", "").contains("\\b"),
                "Unicode word boundary in {p}"
            );
            // Unicode classes are slow to compile (see rules.toml), and so
            // is any character repeated a bounded number of times.
            assert!(
                !p.contains("\\d") && !p.contains("\\p{"),
                "Unicode class in {p}"
            );
            let any_char_repeat = p
                .match_indices(".{")
                .any(|(at, _)| at == 0 || p.as_bytes()[at - 1] != b'\\');
            assert!(!any_char_repeat, "bounded repeat of any character in {p}");
        }
        assert!(rules().drop_line("《北京影人》5月20日起播出 时长：01:45 来源：电影网"));
        assert!(rules().drop_line("Share"));
        assert!(rules().drop_line("About the Author:"));
        assert!(rules().author_box_heading("ABOUT THE REVIEWER"));
        assert!(!rules().author_box_heading("About the author's new book"));
        for chrome in [
            "Table of Contents",
            "Jun 08, 2023 • 11 Minute Read",
            "| Reading Time: 7 minutes",
            "(Visited 1,902 times, 364 visits today)",
            "Last Updated Jul 24, 2024",
            "Reviewed in 2024",
            "Edited by: Keri Stooksbury",
            "Credit: Reviewed / Timothy Renzi",
            "View all posts by Maureen Salamon",
            "toggle caption",
            "NASA/SDO hide caption",
            "13-Minute Listen",
            "5 min watch",
            "18 Maggio 2024 alle 09:22 1 minuti di lettura",
            "3 min de lecture",
            "Lesezeit: 3 Min.",
            "（更多内容请继续关注 查报纸网 www.cbzw.com.cn）",
            "加载中...",
            "发送GP到6666 随时随地查行情",
            "We independently evaluate all of our recommendations. If you click on links we provide, we may receive compensation.",
            "We may earn commission from links on this page, but we only recommend products we back.",
            "Table of Contents Show",
            "Last updated:",
            "Book a demo",
            "Get started today",
            "Learn more →",
            "اشتراک گذاری",
            "Paylaş",
            "Teilen",
            "シェア",
            "7 分钟",
            "约3分钟读完",
            "阅读时间：5分钟",
        ] {
            assert!(rules().drop_line(chrome), "{chrome}");
        }
        for text in [
            "Contents of the new bill were leaked on Friday.",
            "Reviewed by the board, the plan was approved.",
            "Updated figures show it is a 5 min read.",
            "会议只开了7分钟",
            "Updated rules took effect last week.",
            "页面加载中出现的问题已经修复。",
            "发送短信到10086可以查询话费。",
            "Learn more about the plan at the council's website.",
            "Check it out before the sale ends on Friday.",
            "Lesezeit ist Lebenszeit, sagt er.",
            "7分钟后，救援人员赶到现场。",
        ] {
            assert!(!rules().drop_line(text), "{text}");
        }
        // Prefixes longer than the first two dozen characters count too.
        assert!(rules().drop_line("This story was previously published on an earlier date."));
        assert!(rules().drop_line("收藏"));
        assert!(!rules().drop_line("Share the road with cyclists."));
        assert!(rules().drop_line("《北京影人》5月20日起播出收起"));
        assert!(!rules().drop_line("展开收起"));
        assert!(!rules().drop_line("他站起身，把伞收起。"));
        assert!(rules().drop_line("Regular price $80.00 USD Sale price $49.99 USD"));
        assert!(rules().drop_line("Unit price / per"));
        assert!(rules().drop_line("4.93 / 5.0"));
        assert!(rules().drop_line("(169) 169 total reviews"));
        assert!(rules().drop_line("Sale"));
        assert!(rules().drop_line("3.75 star rating 20 Reviews"));
        assert!(!rules().drop_line("PRICE: $373-$400"));
        assert!(!rules().drop_line("Sale prices rose 3% in May."));
        assert!(!rules().drop_line("Sale price of the house: $500,000."));
        let long = format!("{}收起", "这是一段很长的正文。".repeat(9));
        assert!(!rules().drop_line(&long), "patterns are for short lines");
        assert!(rules().list_heading("相关阅读：").is_some());
        assert!(rules().list_heading("热门资讯 更多>>").is_some());
        assert!(rules().list_heading("Related Articles").is_some());
        assert!(rules().list_heading("相关部门表示").is_none());
        assert!(rules().drop_line("（责任编辑：张三）"));
        assert!(rules().drop_line("[ 责编：杨煜 ]"));
        assert!(!rules().drop_line("编者按语"));
        assert!(rules().drop_line("By signing up you agree to our Terms of Use."));
        assert!(!rules().drop_line("By signing up for the program, residents save."));
        // Forum chrome around a single post, some set off with a bar.
        assert!(rules().drop_line("| 主题已经关闭，停止回复．"));
        assert!(rules().drop_line("您是本文第 154 个阅览者"));
        assert!(rules().drop_line("当前位置：首页->军事技术"));
        assert!(!rules().drop_line("在线用户数量去年增长了三成。"));
        assert!(!rules().drop_line("游客欢迎这一新政策。"));
        // A list module's name is its own kind of hint, not boilerplate.
        assert_eq!(rules().hint("ranking"), Some(-3));
        assert_eq!(rules().hint("sidebar"), Some(-1));
        assert_eq!(
            rules().site_selectors("finance.sina.com.cn")[0],
            "#artibody"
        );
        assert!(rules().site_selectors("notsina.com.cn").is_empty());
    }
}
