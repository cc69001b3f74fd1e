//! Snippets, summaries and titles for display.
//!
//! A list page shows a snippet in a fixed number of columns, where a CJK
//! character takes two and a Latin letter one
//! ([`huiwen_core::text::display_width`]). Cutting by characters either
//! overflows the column or wastes half of it, and cutting blindly lands
//! inside `4710美元` or `0005.HK`, which misquotes the news. [`snippet`]
//! cuts at a sentence end, else a clause, when one is near the width, else
//! at a word boundary from the segmenter, and marks the cut with one `…`.

use crate::attribution::{parse_attribution, remove_spans};
use crate::seg::{segmenter, Mode};
use huiwen_core::text::{bracket_lead, display_width, lead_summary, title_from_lead};

const ELLIPSIS: char = '…';
const SENTENCE_END: &[char] = &['。', '！', '？', '!', '?', '；', ';', '\n'];
const CLAUSE_END: &[char] = &['，', '、', '：', ',', ':', ' ', '）', ')', '”'];

/// `text` in at most `width` display columns, the `…` included.
pub fn snippet(text: &str, width: usize) -> String {
    let text = text.trim();
    if display_width(text) <= width {
        return text.to_string();
    }
    let budget = width.saturating_sub(1);
    // The longest prefix that fits.
    let mut limit = 0;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w > budget {
            break;
        }
        used += w;
        limit = i + c.len_utf8();
    }
    let prefix = &text[..limit];
    // A boundary is "near" when cutting there keeps at least 70% of the room.
    let near = |i: usize| display_width(&prefix[..i]) * 10 >= budget * 7;
    let boundary = |set: &[char]| {
        prefix
            .char_indices()
            .filter(|&(_, c)| set.contains(&c))
            .map(|(i, c)| i + c.len_utf8())
            .rfind(|&i| near(i))
    };
    let cut = boundary(SENTENCE_END)
        .or_else(|| boundary(CLAUSE_END))
        .unwrap_or_else(|| word_boundary(text, limit));
    let mut out = text[..cut]
        .trim_end_matches(|c: char| {
            c.is_whitespace() || SENTENCE_END.contains(&c) || CLAUSE_END.contains(&c)
        })
        .to_string();
    out.push(ELLIPSIS);
    out
}

/// The last token end at or before `limit`.
fn word_boundary(text: &str, limit: usize) -> usize {
    // Only the neighbourhood of the cut needs segmenting.
    let from = text[..limit]
        .char_indices()
        .rev()
        .nth(24)
        .map_or(0, |(i, _)| i);
    let window = &text[from..];
    let window_end = window
        .char_indices()
        .nth(48)
        .map_or(window.len(), |(i, _)| i);
    let tokens = segmenter().cut(&window[..window_end], Mode::Coarse);
    tokens
        .iter()
        .map(|t| from + t.end)
        .rfind(|&e| e <= limit)
        .unwrap_or(from)
}

/// An extractive summary of about `max_chars` characters: the lead
/// sentences, without the `【…】` headline, dateline and attribution lines.
pub fn summary(text: &str, max_chars: usize) -> String {
    let attribution = parse_attribution(text);
    let body = remove_spans(text, &attribution.spans);
    lead_summary(&body, max_chars)
}

/// The title to show: the given one, else the content's `【…】` headline,
/// else its first clause after the dateline.
pub fn title(title: Option<&str>, content: &str) -> Option<String> {
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        return Some(t.to_string());
    }
    // Attribution first: `【文/观察者网 陈思佳】` is a byline, not a headline.
    let attribution = parse_attribution(content);
    let body = remove_spans(content, &attribution.spans);
    if let Some(lead) = bracket_lead(&body) {
        return Some(lead.to_string());
    }
    title_from_lead(&body, 40)
}
