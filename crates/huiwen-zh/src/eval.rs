//! Scoring against gold data, shared by the tests (on samples), the
//! `evaluate` example (on whole corpora) and the benchmark script, so the
//! numbers in `bench/README.md` and the thresholds the tests check are
//! computed one way.

use crate::entities::{find_securities, EntityKind};
use crate::normalize::normalize;
use crate::seg::{Mode, Segmenter};
use std::collections::HashSet;

/// Word-level precision, recall, F1 and OOV recall of a segmentation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SegScore {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Recall of gold words not in the training vocabulary.
    pub oov_recall: f64,
    pub gold_words: usize,
}

/// Scores `seg` (coarse mode) on gold lines (words separated by spaces),
/// the SIGHAN bakeoff way: a word is right when its span is.
pub fn score_segmentation(seg: &Segmenter, gold: &str, training_words: &HashSet<&str>) -> SegScore {
    score_spans(
        |raw| {
            seg.cut(raw, Mode::Coarse)
                .iter()
                .filter(|t| !t.text.trim().is_empty())
                .map(|t| (t.start, t.end))
                .collect()
        },
        gold,
        training_words,
    )
}

/// Scores jieba's own `cut` (HMM on), for comparison.
pub fn score_raw_jieba(seg: &Segmenter, gold: &str, training_words: &HashSet<&str>) -> SegScore {
    score_spans(
        |raw| {
            seg.jieba()
                .cut(raw, true)
                .iter()
                .filter(|t| !t.word.trim().is_empty())
                .map(|t| (t.byte_start, t.byte_end))
                .collect()
        },
        gold,
        training_words,
    )
}

/// Scores any cutter that returns the byte spans of the words of a line.
pub fn score_spans(
    cut: impl Fn(&str) -> HashSet<(usize, usize)>,
    gold: &str,
    training_words: &HashSet<&str>,
) -> SegScore {
    let (mut correct, mut predicted, mut gold_n, mut oov, mut oov_hit) = (0usize, 0, 0, 0, 0);
    for line in gold.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let raw: String = words.concat();
        let mut gold_spans = HashSet::new();
        let mut at = 0;
        for w in &words {
            gold_spans.insert((at, at + w.len()));
            at += w.len();
        }
        let pred = cut(&raw);
        predicted += pred.len();
        gold_n += gold_spans.len();
        correct += gold_spans.intersection(&pred).count();
        let mut at = 0;
        for w in &words {
            let span = (at, at + w.len());
            at += w.len();
            if !training_words.contains(w) {
                oov += 1;
                if pred.contains(&span) {
                    oov_hit += 1;
                }
            }
        }
    }
    let precision = ratio(correct, predicted);
    let recall = ratio(correct, gold_n);
    SegScore {
        precision,
        recall,
        f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        oov_recall: ratio(oov_hit, oov),
        gold_words: gold_n,
    }
}

/// One labelled flash item: its text and `stocks` labels (name or code).
#[derive(Debug, Clone)]
pub struct LabelledItem {
    pub text: String,
    pub labels: Vec<(String, String)>,
}

/// Recall and precision of security entities against `stocks` labels.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EntityScore {
    /// Labels whose name or code occurs in the text.
    pub occurring: usize,
    pub recalled: usize,
    /// Predicted securities that can be judged (a name, or a code where the
    /// labels are codes).
    pub predicted: usize,
    pub correct: usize,
    /// Predictions without a code on items labelled by code only.
    pub unjudged: usize,
}

impl EntityScore {
    pub fn recall(&self) -> f64 {
        ratio(self.recalled, self.occurring)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
}

/// The code part of a label code: `301358.SZ` → `301358`, `AAPL.US` → `aapl`
/// (normalised like the text).
fn label_code(code: &str) -> String {
    normalize(code.split('.').next().unwrap_or(code))
}

/// Whether `needle` occurs in `hay` as a whole (for codes: not inside a
/// longer run of digits or letters).
fn occurs_whole(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// What an exchange short name stands for: see [`exchange_name_base`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameBase {
    /// The name without padding, status prefix or share-class mark.
    pub name: String,
    /// Whether a status prefix cut the name short (`XD宏和科`), so the
    /// security's name only starts with [`NameBase::name`].
    pub truncated: bool,
}

/// The name an exchange short name stands for: `裕太微-U` → `裕太微`
/// (share-class and status marks), `五 粮 液` → `五粮液` (padding),
/// `XD宏和科` → `宏和科`, truncated (ex-dividend `XD`, ex-rights `XR`,
/// both `DR`, first days of trading `N` and `C` take the place of the
/// name's last characters; so do the risk warnings `ST` and `*ST`).
/// `TCL科技` keeps its letters.
pub fn exchange_name_base(label: &str) -> NameBase {
    let mut name: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some((head, mark)) = name.rsplit_once('-') {
        if (1..=2).contains(&mark.len()) && mark.bytes().all(|b| b.is_ascii_alphabetic()) {
            name = head.to_string();
        }
    }
    // Normalised names are lower case; the prefixes are ASCII, so the
    // rest starts at the same byte either way.
    let upper = name.to_ascii_uppercase();
    for prefix in ["S*ST", "SST", "*ST", "ST", "XD", "XR", "DR", "N", "C"] {
        let rest = upper
            .strip_prefix(prefix)
            .map(|_| &name[prefix.len()..])
            .filter(|r| r.starts_with(huiwen_core::text::is_cjk));
        if let Some(rest) = rest {
            return NameBase {
                name: rest.to_string(),
                truncated: true,
            };
        }
    }
    NameBase {
        name,
        truncated: false,
    }
}

/// A label's name as the exchanges display it, and the name it stands for.
///
/// The labels use the exchange's short names, which carry trading status
/// and padding that news text does not: `裕太微-U` (loss-making at
/// listing), `五 粮 液` (padded to four columns), and `XD宏和科`, `DR中微公`,
/// `C长鑫` (ex-dividend, ex-rights, first days of trading), where the prefix
/// also cuts the name to four columns (`宏和科技`, `中微公司`, `长鑫科技`).
/// A mention of `宏和科技` is a mention of the labelled security.
#[derive(Debug, Clone)]
struct LabelName {
    /// The label, normalised.
    exact: String,
    /// Without padding, status prefix or share-class suffix.
    base: String,
    /// Whether a status prefix cut the name short, so the security's name
    /// only starts with [`LabelName::base`].
    truncated: bool,
}

impl LabelName {
    fn new(label: &str) -> LabelName {
        let base = exchange_name_base(label);
        LabelName {
            exact: normalize(label.trim()),
            base: normalize(&base.name),
            truncated: base.truncated,
        }
    }

    /// Whether a predicted security name names this label (the text may
    /// use the short name too: `N长进` for the label `长进光子`).
    fn matches(&self, predicted: &str) -> bool {
        if predicted == self.exact
            || predicted == self.base
            || (self.truncated && predicted.starts_with(self.base.as_str()))
        {
            return true;
        }
        let predicted = exchange_name_base(predicted);
        predicted.truncated && self.base.starts_with(predicted.name.as_str())
    }
}

/// Scores [`find_securities`] on labelled items: recall over every
/// security kind, precision over the predicted entities of `kinds`.
pub fn score_entities(items: &[LabelledItem], kinds: &[EntityKind]) -> EntityScore {
    score_entities_with_errors(items, kinds, &mut Vec::new(), &mut Vec::new())
}

/// [`score_entities`], also listing the false positives (`name code`) and
/// the missed labels, for tuning.
pub fn score_entities_with_errors(
    items: &[LabelledItem],
    kinds: &[EntityKind],
    false_positives: &mut Vec<String>,
    missed: &mut Vec<String>,
) -> EntityScore {
    let mut s = EntityScore::default();
    for item in items {
        if item.labels.is_empty() {
            continue;
        }
        let norm_text = normalize(&item.text);
        let names: Vec<LabelName> = item
            .labels
            .iter()
            .filter(|(n, _)| !n.trim().is_empty())
            .map(|(n, _)| LabelName::new(n))
            .collect();
        let codes: HashSet<String> = item
            .labels
            .iter()
            .filter(|(_, c)| !c.trim().is_empty())
            .map(|(_, c)| label_code(c.trim()))
            .collect();
        // One prediction per distinct security in the item, as labels are.
        let mut seen = HashSet::new();
        let entities: Vec<_> = find_securities(&item.text)
            .into_iter()
            .filter(|e| e.kind.is_security())
            .filter(|e| seen.insert((e.name.clone(), e.code.clone())))
            .collect();
        let found_codes: HashSet<String> = entities
            .iter()
            .filter_map(|e| e.code.as_deref().map(normalize))
            .collect();
        for name in &names {
            if norm_text.contains(name.exact.as_str()) || norm_text.contains(name.base.as_str()) {
                s.occurring += 1;
                if entities.iter().any(|e| name.matches(&e.name)) {
                    s.recalled += 1;
                } else {
                    missed.push(name.exact.clone());
                }
            }
        }
        for code in &codes {
            if occurs_whole(&norm_text, code) {
                s.occurring += 1;
                if found_codes.contains(code) {
                    s.recalled += 1;
                } else {
                    missed.push(code.clone());
                }
            }
        }
        let by_code_only = names.is_empty();
        for e in entities.iter().filter(|e| kinds.contains(&e.kind)) {
            let code_ok = e
                .code
                .as_deref()
                .is_some_and(|c| codes.contains(&normalize(c)));
            if by_code_only {
                if e.code.is_none() {
                    s.unjudged += 1;
                    continue;
                }
                s.predicted += 1;
                if code_ok {
                    s.correct += 1;
                    continue;
                }
            } else {
                s.predicted += 1;
                if names.iter().any(|n| n.matches(&e.name)) || code_ok {
                    s.correct += 1;
                    continue;
                }
            }
            false_positives.push(format!("{} {}", e.name, e.code.as_deref().unwrap_or("")));
        }
    }
    s
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_short_names_stand_for_the_names_texts_use() {
        let base = |l: &str| {
            let b = exchange_name_base(l);
            (b.name, b.truncated)
        };
        assert_eq!(base("裕太微-U"), ("裕太微".to_string(), false));
        assert_eq!(base("大普微-UW"), ("大普微".to_string(), false));
        assert_eq!(base("五 粮 液"), ("五粮液".to_string(), false));
        assert_eq!(base("XD宏和科"), ("宏和科".to_string(), true));
        assert_eq!(base("C长鑫"), ("长鑫".to_string(), true));
        assert_eq!(base("*ST华微"), ("华微".to_string(), true));
        assert_eq!(base("TCL科技"), ("TCL科技".to_string(), false));
        assert_eq!(base("英伟达"), ("英伟达".to_string(), false));
    }

    #[test]
    fn a_label_matches_the_security_it_names() {
        let label = LabelName::new("XD宏和科");
        assert!(label.matches("宏和科技"));
        assert!(!label.matches("宏达股份"));
        assert!(LabelName::new("奥比中光-W").matches("奥比中光"));
        assert!(LabelName::new("万 科Ａ").matches("万科a"));
        assert!(LabelName::new("长进光子").matches("n长进"));
        assert!(!LabelName::new("长进光子").matches("长进"));
    }
}
