//! One call that runs every analysis on a text, as `huiwen analyze` prints
//! it.

use crate::attribution::{parse_attribution, remove_spans};
use crate::entities::{find_entities, Entity};
use crate::keywords::{tfidf_tokens, Keyword};
use crate::seg::{segmenter, Mode};
use crate::snippet::{snippet, summary, title};
use crate::time::find_times;
use chrono::{DateTime, FixedOffset};
use huiwen_core::time::Zone;
use serde::Serialize;

/// Display columns of a snippet.
pub const SNIPPET_WIDTH: usize = 120;
/// Characters of a summary.
pub const SUMMARY_CHARS: usize = 120;
/// Keywords reported.
pub const KEYWORDS: usize = 10;

/// Everything huiwen-zh reads from one text.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// Words in coarse mode, as written.
    pub tokens: Vec<String>,
    pub keywords: Vec<Keyword>,
    pub entities: Vec<Entity>,
    pub times: Vec<TimeOut>,
    pub attribution: AttributionOut,
    pub title: Option<String>,
    pub snippet: String,
    pub summary: String,
}

/// A time expression as reported: its text and instant (RFC 3339 with the
/// offset).
#[derive(Debug, Clone, Serialize)]
pub struct TimeOut {
    pub text: String,
    pub instant: String,
    pub start: usize,
    pub end: usize,
}

/// The attribution fields as reported.
#[derive(Debug, Clone, Serialize)]
pub struct AttributionOut {
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub original_title: Option<String>,
    pub editor: Option<String>,
}

/// Analyses `text` written at `reference` (its publish time), reading
/// wall-clock times in `zone`.
pub fn analyze(text: &str, reference: DateTime<FixedOffset>, zone: Zone) -> Analysis {
    let attribution = parse_attribution(text);
    // Keywords are about the story, not who carried it.
    let matching = remove_spans(text, &attribution.spans);
    let seg = segmenter();
    let tokens = seg.words(text, Mode::Coarse);
    let keywords = tfidf_tokens(&seg.words(&matching, Mode::Coarse), KEYWORDS);
    let times = find_times(text, reference, zone)
        .into_iter()
        .map(|t| TimeOut {
            instant: t.instant.to_rfc3339(),
            text: t.text,
            start: t.start,
            end: t.end,
        })
        .collect();
    let body_for_snippet = match huiwen_core::text::bracket_lead(text) {
        Some(_) => text
            .split_once('】')
            .map_or(matching.as_str(), |(_, rest)| rest),
        None => matching.as_str(),
    };
    let body_for_snippet =
        remove_spans(body_for_snippet, &parse_attribution(body_for_snippet).spans);
    Analysis {
        tokens: tokens.iter().map(|t| t.text.to_string()).collect(),
        keywords,
        entities: find_entities(text),
        times,
        title: title(None, text),
        snippet: snippet(&body_for_snippet, SNIPPET_WIDTH),
        summary: summary(text, SUMMARY_CHARS),
        attribution: AttributionOut {
            outlet: attribution.outlet,
            author: attribution.author,
            original_title: attribution.original_title,
            editor: attribution.editor,
        },
    }
}
