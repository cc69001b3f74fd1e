//! The rules file (`rules.toml`), parsed once.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub list_headings: Vec<String>,
    pub drop_line_prefixes: Vec<String>,
    pub negative_words: Vec<String>,
    pub comment_words: Vec<String>,
    pub positive_words: Vec<String>,
    pub title_separators: Vec<String>,
    pub caption_suffixes: Vec<String>,
    pub caption_prefixes: Vec<String>,
    #[serde(default)]
    pub site: Vec<SiteRule>,
    /// Class/id word → hint (+1 content, -1 boilerplate, -2 comments), built
    /// from the three word lists: one lookup per word instead of three scans.
    #[serde(skip)]
    pub hint_table: HashMap<String, i8>,
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
            negative_words: Vec::new(),
            comment_words: Vec::new(),
            positive_words: Vec::new(),
            title_separators: Vec::new(),
            caption_suffixes: Vec::new(),
            caption_prefixes: Vec::new(),
            site: Vec::new(),
            hint_table: HashMap::new(),
        });
        // Comments outrank content words, which outrank boilerplate words
        // (the same precedence the class hint applies per element).
        for (list, hint) in [
            (&r.negative_words, -1),
            (&r.positive_words, 1),
            (&r.comment_words, -2),
        ] {
            for w in list.clone() {
                r.hint_table.insert(w, hint);
            }
        }
        for l in &mut r.list_headings {
            *l = l.to_lowercase();
        }
        for l in &mut r.drop_line_prefixes {
            *l = l.to_lowercase();
        }
        r
    })
}

impl Rules {
    /// Whether `text` is a list heading (`相关阅读`, `相关阅读：`, `热门资讯 更多>>`).
    pub fn list_heading(&self, text: &str) -> Option<String> {
        let t = text.trim();
        if t.is_empty() || t.chars().count() > 24 {
            return None;
        }
        let lower = t.to_lowercase();
        let core = lower.trim_matches(|c: char| {
            c.is_whitespace() || "：:>»›【】[]<«|/·-—".contains(c) || c == '更' || c == '多'
        });
        let core = core.trim_end_matches("more").trim();
        self.list_headings
            .iter()
            .find(|h| core == h.as_str())
            .map(|_| {
                t.trim_matches(|c: char| c.is_whitespace() || "：:>»›【】[]".contains(c))
                    .to_string()
            })
    }

    pub fn drop_line(&self, text: &str) -> bool {
        let t = text.trim_start_matches(|c: char| c.is_whitespace() || "[【（(〔".contains(c));
        let lower: String = t.chars().take(24).collect::<String>().to_lowercase();
        self.drop_line_prefixes
            .iter()
            .any(|p| lower.starts_with(p.as_str()))
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
        assert!(rules().list_heading("相关阅读：").is_some());
        assert!(rules().list_heading("热门资讯 更多>>").is_some());
        assert!(rules().list_heading("Related Articles").is_some());
        assert!(rules().list_heading("相关部门表示").is_none());
        assert!(rules().drop_line("（责任编辑：张三）"));
        assert!(rules().drop_line("[ 责编：杨煜 ]"));
        assert!(!rules().drop_line("编者按语"));
        assert_eq!(
            rules().site_selectors("finance.sina.com.cn")[0],
            "#artibody"
        );
        assert!(rules().site_selectors("notsina.com.cn").is_empty());
    }
}
