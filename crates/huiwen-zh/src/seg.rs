//! Word segmentation: jieba-rs with the shipped finance dictionary, run on
//! normalised text, with numbers and tickers kept whole.
//!
//! jieba's dictionary takes about a second to load, so there is exactly one
//! [`Segmenter`] per process ([`segmenter`], built on first use); the
//! attribution and time modules never touch it. Two modes:
//!
//! * [`Mode::Coarse`] — one token per word, the longest reading
//!   (`美联储主席`, `4710美元`): for keywords, entities and display.
//! * [`Mode::Search`] — the coarse tokens plus the dictionary words inside
//!   long ones (`中华人民共和国` also gives `中华`, `人民`, `共和国`;
//!   `4710美元` also gives `4710` and `美元`): for an index, where a query
//!   for a part must find the whole.
//!
//! Segmentation runs on [`Normalized`] text (full-width folded, traditional
//! mapped to simplified) so the same word is cut the same way however it was
//! typed; Latin case is folded per token afterwards (jieba's dictionary has
//! `T恤` and `B超`, and folding a whole text first cost more than the rest of
//! our pipeline). Every token keeps the span of its original surface for
//! display and its normalised, lower-case form for matching.

use crate::normalize::{is_normal_keep_case, normalize_char, Normalized};
use jieba_rs::Jieba;
use serde::Serialize;
use std::borrow::Cow;
use std::io::BufReader;
use std::sync::OnceLock;

/// The finance user dictionary (jieba format: `word freq tag`), generated
/// by `examples/build-dicts.rs`.
pub const FINANCE_DICT: &str = include_str!("../data/finance.dict");

static SEGMENTER: OnceLock<Segmenter> = OnceLock::new();

/// The process-wide segmenter with the finance dictionary (loaded on first
/// use, about a second).
pub fn segmenter() -> &'static Segmenter {
    SEGMENTER.get_or_init(|| {
        // The shipped dictionary is checked by the tests, so a load failure
        // is a build defect; fall back to the plain dictionary rather than
        // panic.
        Segmenter::with_user_dict(FINANCE_DICT).unwrap_or_else(|_| Segmenter::plain())
    })
}

/// Whether [`segmenter`] has been built in this process (the extractor
/// calls attribution and time functions on every page and must not pay
/// for the dictionary).
pub fn segmenter_loaded() -> bool {
    SEGMENTER.get().is_some()
}

/// How finely to cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One token per word, the longest reading.
    Coarse,
    /// Coarse tokens plus the dictionary words inside the long ones.
    Search,
}

/// One token: its original surface and span; [`Token::norm`] gives its
/// normalised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token<'a> {
    /// The text as written (display).
    pub text: &'a str,
    /// Byte span in the original text.
    pub start: usize,
    pub end: usize,
}

impl<'a> Token<'a> {
    /// The normalised form (matching, indexing): full-width folded,
    /// simplified, lower-case. Borrowed from the text when that changes
    /// nothing, as for most Chinese words. Computed on demand, because
    /// display and counting do not need it and segmentation speed is
    /// measured against bare jieba.
    pub fn norm(&self) -> Cow<'a, str> {
        let text: &'a str = self.text;
        match text.char_indices().find(|&(_, c)| normalize_char(c) != c) {
            None => Cow::Borrowed(text),
            Some((i, _)) => {
                let mut out = String::with_capacity(text.len());
                out.push_str(&text[..i]);
                out.extend(text[i..].chars().map(normalize_char));
                Cow::Owned(out)
            }
        }
    }

    /// Whether the token is a word worth indexing (not spaces or punctuation).
    pub fn is_word(&self) -> bool {
        self.text
            .chars()
            .any(|c| c.is_alphanumeric() || huiwen_core::text::is_cjk(c))
    }
}

/// Errors building a segmenter from a user dictionary.
#[derive(Debug, thiserror::Error)]
pub enum SegError {
    #[error("invalid user dictionary: {0}")]
    Dictionary(String),
}

/// jieba plus our post-processing.
pub struct Segmenter {
    jieba: Jieba,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter").finish_non_exhaustive()
    }
}

/// Units that belong to the number before them (`4710美元`, `3.5亿元`).
const UNITS: &[&str] = &[
    "亿美元",
    "万美元",
    "亿港元",
    "亿元",
    "万元",
    "千元",
    "美元",
    "港元",
    "日元",
    "欧元",
    "英镑",
    "元",
    "万亿",
    "亿",
    "万",
    "千",
    "百",
    "股",
    "手",
    "吨",
    "桶",
    "盎司",
    "克",
    "公斤",
    "千克",
    "点",
    "倍",
    "个百分点",
    "基点",
    "bp",
    "家",
    "只",
    "辆",
    "台",
    "人",
    "户",
    "倍",
    "%",
    "‰",
];

impl Segmenter {
    /// jieba's default dictionary only (for comparisons).
    pub fn plain() -> Segmenter {
        Segmenter {
            jieba: Jieba::new(),
        }
    }

    /// jieba's default dictionary plus a user dictionary in jieba format.
    pub fn with_user_dict(dict: &str) -> Result<Segmenter, SegError> {
        let mut jieba = Jieba::new();
        jieba
            .load_dict(&mut BufReader::new(dict.as_bytes()))
            .map_err(|e| SegError::Dictionary(e.to_string()))?;
        Ok(Segmenter { jieba })
    }

    /// The underlying jieba (for raw comparisons in benchmarks).
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    /// Cuts `text` into tokens (spaces and punctuation included, so the
    /// spans tile the text).
    pub fn cut<'a>(&self, text: &'a str, mode: Mode) -> Vec<Token<'a>> {
        if is_normal_keep_case(text) {
            // Most news text is already half-width and simplified: jieba
            // reads it in place and its offsets are the original's.
            let pieces = self.jieba.cut(text, true);
            self.assemble(text, text, pieces, mode, |offset| offset)
        } else {
            let normalized = Normalized::keep_case(text);
            let pieces = self.jieba.cut(&normalized.text, true);
            let mut offsets = normalized.original_offsets();
            self.assemble(text, &normalized.text, pieces, mode, |offset| {
                offsets.get(offset)
            })
        }
    }

    /// Tokens from jieba's pieces of `norm` (the normalised `original`):
    /// what jieba split is merged back (a clock time, a number and its
    /// unit, a ticker and its suffix), and spans are mapped to `original`
    /// by `to_original` (called with offsets in mostly increasing order).
    fn assemble<'a>(
        &self,
        original: &'a str,
        norm: &str,
        mut pieces: Vec<jieba_rs::Token<'_>>,
        mode: Mode,
        mut to_original: impl FnMut(usize) -> usize,
    ) -> Vec<Token<'a>> {
        // Merge in place: the merged spans are written over the pieces
        // already read (`merged <= i`), so no second list is built.
        let mut merged = 0;
        let mut i = 0;
        while let Some(piece) = pieces.get(i) {
            let s = piece.byte_start;
            let mut e = piece.byte_end;
            let bytes = piece.word.as_bytes();
            // A clock time starts with a digit and every join is onto an
            // ASCII end, so a piece with non-ASCII at both ends (most
            // Chinese words) is a token as it is.
            if bytes.first().is_some_and(u8::is_ascii) || bytes.last().is_some_and(u8::is_ascii) {
                i += clock_time_len(&pieces[i..]);
                e = pieces[i - 1].byte_end;
                while i < pieces.len() && should_join(&norm[s..e], pieces[i].word) {
                    e = pieces[i].byte_end;
                    i += 1;
                }
            } else {
                i += 1;
            }
            pieces[merged].byte_start = s;
            pieces[merged].byte_end = e;
            merged += 1;
        }
        pieces.truncate(merged);
        let mut token = |s: usize, e: usize| {
            let (os, oe) = (to_original(s), to_original(e));
            Token {
                text: &original[os..oe],
                start: os,
                end: oe,
            }
        };
        match mode {
            // Mapped in place: a token is smaller than jieba's, so the
            // collect reuses jieba's allocation (and keeps its spare
            // capacity, which jieba sized for the text anyway).
            Mode::Coarse => pieces
                .into_iter()
                .map(|piece| token(piece.byte_start, piece.byte_end))
                .collect(),
            Mode::Search => {
                let mut out = Vec::with_capacity(pieces.len() + pieces.len() / 8);
                for piece in &pieces {
                    let (s, e) = (piece.byte_start, piece.byte_end);
                    if e - s > 6 {
                        for (sub_s, sub_e) in self.parts(&norm[s..e]) {
                            out.push(token(s + sub_s, s + sub_e));
                        }
                    }
                    out.push(token(s, e));
                }
                out
            }
        }
    }

    /// The words only (no spaces or punctuation), as original surfaces.
    pub fn words<'a>(&self, text: &'a str, mode: Mode) -> Vec<Token<'a>> {
        let mut tokens = self.cut(text, mode);
        tokens.retain(Token::is_word);
        tokens
    }

    /// Dictionary words inside a long word, and the number and unit of a
    /// merged `4710美元`.
    fn parts(&self, word: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        if let Some(split) = number_unit_split(word) {
            out.push((0, split));
            out.push((split, word.len()));
            return out;
        }
        let bounds: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(word.len()))
            .collect();
        for n in [2usize, 3] {
            for w in bounds.windows(n + 1) {
                let (s, e) = (w[0], w[n]);
                if e - s < word.len() && self.jieba.has_word(&word[s..e]) {
                    out.push((s, e));
                }
            }
        }
        out
    }
}

/// How many of jieba's pieces, from the first, make one clock time:
/// `13` `:` `26` (`:` `05`), `13点` `18` `分` or `13` `点` `18` `分`; 1 when
/// they do not.
fn clock_time_len(pieces: &[jieba_rs::Token<'_>]) -> usize {
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    let word = |k: usize| pieces.get(k).map_or("", |t| t.word);
    let first = word(0);
    if !first.starts_with(|c: char| c.is_ascii_digit()) {
        return 1;
    }
    let hour_word = first
        .strip_suffix('点')
        .or_else(|| first.strip_suffix('时'))
        .is_some_and(digits);
    if hour_word && digits(word(1)) && word(2) == "分" {
        3
    } else if digits(first) && matches!(word(1), "点" | "时") && digits(word(2)) && word(3) == "分"
    {
        4
    } else if digits(first) && word(1) == ":" && digits(word(2)) {
        if word(3) == ":" && digits(word(4)) {
            5
        } else {
            3
        }
    } else {
        1
    }
}

fn is_number(s: &str) -> bool {
    let mut digits = false;
    for c in s.chars() {
        match c {
            '0'..='9' => digits = true,
            '.' | ',' => {}
            _ => return false,
        }
    }
    digits
}

fn is_latin_or_digit(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether jieba's two pieces are really one token.
fn should_join(prev: &str, next: &str) -> bool {
    // Every rule below joins onto an ASCII end (a digit, a Latin letter,
    // `.`); most pairs are two CJK words and stop here.
    if prev.as_bytes().last().is_none_or(|&b| b >= 0x80) {
        return false;
    }
    // `3.5` + `%`, `4710` + `美元`, `3.5` + `亿元`.
    if is_number(prev) && UNITS.contains(&next) {
        return true;
    }
    // `0005` + `.hk` split oddly, `h` + `20`, `5` + `g`: Latin-digit runs.
    if is_latin_or_digit(prev) && is_latin_or_digit(next) {
        return true;
    }
    if (prev.ends_with(|c: char| c.is_ascii_digit()) && next.starts_with('.'))
        || (prev.ends_with('.') && next.starts_with(|c: char| c.is_ascii_alphanumeric()))
    {
        return is_ticker_like(prev, next);
    }
    false
}

fn is_ticker_like(prev: &str, next: &str) -> bool {
    let joined = format!("{prev}{next}");
    joined
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.')
}

/// Where the number of a `4710美元` ends, when the word is a number and a unit.
fn number_unit_split(word: &str) -> Option<usize> {
    let split = word.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
    (split > 0 && is_number(&word[..split]) && UNITS.contains(&&word[split..])).then_some(split)
}

/// Cuts with the shared segmenter.
pub fn cut(text: &str, mode: Mode) -> Vec<Token<'_>> {
    segmenter().cut(text, mode)
}
