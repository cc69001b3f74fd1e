//! Keywords per article: TF-IDF against an IDF table fitted on our own
//! corpora, and TextRank.
//!
//! jieba ships an IDF table fitted on general web text, where `涨停`,
//! `北向资金` or `央行` are rare and so look important in every flash item;
//! ours (`data/idf.txt`, from the flash, CCTV and RSS corpora) knows they are
//! everyday words here. Stop words (`data/stopwords.txt`) add the news
//! boilerplate — datelines, attribution, `截至发稿` — that no IDF can weigh
//! down because it is in half the documents yet still not a topic.

use crate::seg::{segmenter, Mode, Token};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const IDF: &str = include_str!("../data/idf.txt");
const STOPWORDS: &str = include_str!("../data/stopwords.txt");

struct IdfTable {
    idf: HashMap<&'static str, f32>,
    /// For words the table has never seen: as rare as the rarest listed.
    unknown: f32,
}

static IDF_TABLE: LazyLock<IdfTable> = LazyLock::new(|| {
    let idf: HashMap<&'static str, f32> = IDF
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (w, v) = l.split_once('\t')?;
            Some((w, v.trim().parse().ok()?))
        })
        .collect();
    let unknown = idf.values().copied().fold(1.0f32, f32::max);
    IdfTable { idf, unknown }
});

static STOP: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    STOPWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Whether a normalised word is a stop word.
pub fn is_stopword(word: &str) -> bool {
    STOP.contains(word)
}

/// The IDF of a normalised word.
pub fn idf(word: &str) -> f32 {
    let t = &*IDF_TABLE;
    t.idf.get(word).copied().unwrap_or(t.unknown)
}

/// A keyword and its weight (TF-IDF: term frequency times IDF, over the
/// document's candidate words; TextRank: rank scaled so the first is 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyword {
    pub word: String,
    pub weight: f32,
}

/// Words that can be keywords: not stop words, not numbers, not a single
/// CJK character.
fn candidates<'a>(tokens: &'a [Token<'a>]) -> impl Iterator<Item = Cow<'a, str>> + 'a {
    tokens.iter().map(Token::norm).filter(|w| {
        let chars = w.chars().count();
        // Numbers, amounts and times (`14.4亿`, `13点18分`, `16:00:42`)
        // are facts, not topics; `5G` and `H20` are topics.
        let numeric = w.starts_with(|c: char| c.is_ascii_digit())
            && !w.chars().any(|c| c.is_ascii_alphabetic());
        let cjk_single = chars == 1;
        !numeric && !cjk_single && !is_stopword(w) && w.chars().any(char::is_alphanumeric)
    })
}

/// TF-IDF keywords of pre-cut tokens, best first.
pub fn tfidf_tokens(tokens: &[Token<'_>], top: usize) -> Vec<Keyword> {
    let mut tf: HashMap<Cow<'_, str>, f32> = HashMap::new();
    let mut total = 0f32;
    for w in candidates(tokens) {
        *tf.entry(w).or_default() += 1.0;
        total += 1.0;
    }
    let mut out: Vec<Keyword> = tf
        .into_iter()
        .map(|(w, n)| Keyword {
            weight: n / total * idf(&w),
            word: w.into_owned(),
        })
        .collect();
    sort_top(&mut out, top);
    out
}

/// TF-IDF keywords of a text, best first.
pub fn tfidf(text: &str, top: usize) -> Vec<Keyword> {
    tfidf_tokens(&segmenter().words(text, Mode::Coarse), top)
}

/// TextRank keywords of pre-cut tokens: words that co-occur within a window
/// of 5 vote for each other; 20 iterations with damping 0.85.
pub fn textrank_tokens(tokens: &[Token<'_>], top: usize) -> Vec<Keyword> {
    let words: Vec<Cow<'_, str>> = candidates(tokens).collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for w in &words {
        let next = index.len();
        index.entry(w.as_ref()).or_insert(next);
    }
    let n = index.len();
    if n == 0 {
        return Vec::new();
    }
    let mut edges: Vec<HashMap<usize, f32>> = vec![HashMap::new(); n];
    for (i, a) in words.iter().enumerate() {
        for b in words.iter().skip(i + 1).take(4) {
            let (ia, ib) = (index[a.as_ref()], index[b.as_ref()]);
            if ia != ib {
                *edges[ia].entry(ib).or_default() += 1.0;
                *edges[ib].entry(ia).or_default() += 1.0;
            }
        }
    }
    let out_weight: Vec<f32> = edges.iter().map(|e| e.values().sum()).collect();
    let mut rank = vec![1.0f32; n];
    for _ in 0..20 {
        let mut next = vec![0.15f32; n];
        for (j, e) in edges.iter().enumerate() {
            if out_weight[j] == 0.0 {
                continue;
            }
            for (&i, &w) in e {
                next[i] += 0.85 * w / out_weight[j] * rank[j];
            }
        }
        rank = next;
    }
    let max = rank
        .iter()
        .copied()
        .fold(f32::MIN, f32::max)
        .max(f32::EPSILON);
    let mut out: Vec<Keyword> = index
        .into_iter()
        .map(|(w, i)| Keyword {
            word: w.to_string(),
            weight: rank[i] / max,
        })
        .collect();
    sort_top(&mut out, top);
    out
}

/// TextRank keywords of a text, best first.
pub fn textrank(text: &str, top: usize) -> Vec<Keyword> {
    textrank_tokens(&segmenter().words(text, Mode::Coarse), top)
}

fn sort_top(out: &mut Vec<Keyword>, top: usize) {
    // Ties by word, so the output does not depend on hash order.
    out.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.word.cmp(&b.word))
    });
    out.truncate(top);
}
