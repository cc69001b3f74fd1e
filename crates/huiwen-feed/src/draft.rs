//! A feed entry as an article draft.

use huiwen_core::text::{guess_lang, lead_summary, title_from_lead};
use huiwen_core::{ArticleDraft, DraftError, SanitizedHtml, SourceId};

use crate::{DateNote, FeedEntry, FeedOptions};

/// Longest title taken from the lead of an untitled entry, in characters
/// (the importer's bound, so both paths title flash items alike).
const TITLE_FROM_LEAD_CHARS: usize = 40;
/// Longest lead summary, in characters.
const SUMMARY_CHARS: usize = 120;

/// Turns an entry into a draft for the store.
///
/// The body is the entry's full content when it has one, else its summary
/// (many Chinese feeds carry only a `<description>`, and that is all the text
/// there is). The publish time is the entry's, else its update time, else the
/// fetch time in the source's zone, marked [`ArticleDraft::undated`] (as is a
/// date clamped from the future); `options` is the one the feed was parsed
/// with. Fails only when there is no title and no text to take one from.
pub fn entry_to_draft(
    entry: &FeedEntry,
    source_id: SourceId,
    options: &FeedOptions,
) -> Result<ArticleDraft, DraftError> {
    if entry.guid.trim().is_empty() {
        return Err(DraftError::NoIdentity);
    }
    let body_html = entry
        .content
        .as_ref()
        .or(entry.summary.as_ref())
        .cloned()
        .unwrap_or_else(|| SanitizedHtml::from_plain_text(""));
    let (text, images) = body_html.to_text_and_images();
    let title = entry
        .title
        .clone()
        .or_else(|| title_from_lead(&text, TITLE_FROM_LEAD_CHARS))
        .ok_or(DraftError::NoTitle)?;
    let lang_sample = if text.is_empty() { &title } else { &text };
    let lang = guess_lang(lang_sample).to_string();
    let dated = entry.published_at.or(entry.updated_at);

    Ok(ArticleDraft {
        source_id,
        guid: entry.guid.clone(),
        url: entry.url.clone(),
        outlet: None,
        title,
        authors: entry.authors.clone(),
        published_at: dated.unwrap_or_else(|| options.fetched_at_in_zone()),
        // A date clamped from the future is the fetch time too.
        undated: dated.is_none() || entry.date_note == Some(DateNote::ClampedFromFuture),
        fetched_at: options.fetched_at,
        summary: lead_summary(&text, SUMMARY_CHARS),
        text,
        body_html,
        lang,
        images,
        tags: entry.categories.clone(),
    })
}
