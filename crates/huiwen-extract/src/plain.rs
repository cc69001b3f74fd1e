//! Plain-text page dumps: what a naive scraper keeps of a page — the title,
//! a header (account name, time, read count), the article, then the lists
//! (相关内容, 热门资讯) as one text.
//!
//! Layout assumed, learnt from such dumps and kept loose: the first line is
//! the title; up to six short lines after it are the header, of which only a
//! date is kept (account names such as 「创始人」 are the site's, not the
//! author, and counters such as a lone `0` are read counts); then body
//! paragraphs until a line that is a list heading from the rules; then the
//! lists, each entry either a few lines closed by a time line, or one line
//! `title... snippet...`.

use huiwen_core::{Image, ListedItem, SanitizedHtml};

use crate::dates::find_dates;
use crate::rules::rules;
use crate::{byline, ExtractOptions, Extracted, PageType};
use huiwen_core::html::escape_into;

/// A line that is only a date (and time).
fn date_line(
    line: &str,
    options: &ExtractOptions,
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let found = find_dates(line, options.timestamp_context());
    let first = found.first()?;
    let rest = format!("{}{}", &line[..first.start], &line[first.end..]);
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || "发布时间：:|".contains(c));
    if rest.chars().count() <= 4 {
        Some(first.instant)
    } else {
        None
    }
}

/// Whether a short paragraph is an image caption.
pub(crate) fn is_caption(p: &str) -> bool {
    let n = p.chars().count();
    if !(4..=60).contains(&n) || p.contains(['。', '！', '？', '；', '!', '?', ';']) {
        return false;
    }
    let r = rules();
    r.caption_suffixes.iter().any(|s| p.ends_with(s.as_str()))
        || r.caption_prefixes.iter().any(|s| p.starts_with(s.as_str()))
}

pub fn extract_text(input: &str, url: Option<&url::Url>, options: &ExtractOptions) -> Extracted {
    let r = rules();
    let lines: Vec<&str> = input.lines().map(str::trim).collect();
    let mut i = 0;
    while i < lines.len() && lines[i].is_empty() {
        i += 1;
    }
    let title = lines.get(i).map(|s| s.to_string()).unwrap_or_default();
    i += 1;

    // Header: short lines up to the first blank line.
    let mut published_at = None;
    let header_start = i;
    while i < lines.len() && i - header_start < 6 {
        let line = lines[i];
        if line.is_empty() {
            break;
        }
        if line.chars().count() > 40 || line.contains('。') {
            break;
        }
        if published_at.is_none() {
            published_at = date_line(line, options);
        }
        i += 1;
    }

    // Body paragraphs up to the first list heading.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut images: Vec<Image> = Vec::new();
    let mut html = String::new();
    let mut outlet = None;
    let mut authors = Vec::new();
    while i < lines.len() {
        let line = lines[i];
        if r.list_heading(line).is_some() {
            break;
        }
        i += 1;
        if line.is_empty() || r.drop_line(line) {
            continue;
        }
        let mut para = line;
        if paragraphs.is_empty() {
            let b = byline::parse(para);
            if b.lead_len > 0 {
                outlet = b.outlet.clone();
                authors = b.authors.clone();
                para = para[b.lead_len..].trim();
            } else if outlet.is_none() {
                outlet = b.outlet.clone();
                if authors.is_empty() {
                    authors = b.authors;
                }
            }
            if para.is_empty() {
                continue;
            }
        }
        if is_caption(para) {
            images.push(Image {
                src: String::new(),
                caption: para.to_string(),
            });
            html.push_str("<figure><figcaption>");
            escape_into(para, &mut html);
            html.push_str("</figcaption></figure>");
            continue;
        }
        html.push_str("<p>");
        escape_into(para, &mut html);
        html.push_str("</p>");
        paragraphs.push(para.to_string());
    }

    // Lists.
    let mut listed_items = Vec::new();
    while i < lines.len() {
        let Some(section) = r.list_heading(lines[i]) else {
            i += 1;
            continue;
        };
        i += 1;
        let start = i;
        while i < lines.len() && r.list_heading(lines[i]).is_none() {
            i += 1;
        }
        let block: Vec<&str> = lines[start..i]
            .iter()
            .copied()
            .filter(|l| !l.is_empty())
            .collect();
        listed_items.extend(list_items(&block, &section, options));
    }

    let text = paragraphs.join("\n\n");
    let page_type = if text.is_empty() && !listed_items.is_empty() {
        PageType::List
    } else {
        PageType::Article
    };
    Extracted {
        title,
        authors,
        outlet,
        published_at,
        updated_at: None,
        lead_image: None,
        images,
        html: match url {
            Some(base) => SanitizedHtml::sanitize_with_base(&html, base),
            None => SanitizedHtml::sanitize(&html),
        },
        text,
        lang: String::new(),
        canonical_url: url.and_then(|u| huiwen_core::url::canonical_url(u.as_str()).ok()),
        page_type,
        listed_items,
        description: None,
    }
}

/// Splits `title... snippet` (a truncated title followed by its snippet).
fn split_title_snippet(line: &str) -> (String, String) {
    for marker in ["... ", "…… ", "… "] {
        if let Some(pos) = line.find(marker) {
            let title = &line[..pos + marker.trim_end().len()];
            let snippet = line[pos + marker.len()..].trim();
            if !snippet.is_empty() {
                return (title.to_string(), snippet.to_string());
            }
        }
    }
    (line.to_string(), String::new())
}

fn list_items(block: &[&str], section: &str, options: &ExtractOptions) -> Vec<ListedItem> {
    let mut out = Vec::new();
    let dated = block.iter().any(|l| date_line(l, options).is_some());
    if dated {
        let mut pending: Vec<&str> = Vec::new();
        for line in block {
            if let Some(t) = date_line(line, options) {
                if let Some((first, rest)) = pending.split_first() {
                    out.push(ListedItem {
                        title: first.to_string(),
                        url: None,
                        snippet: rest.join(" "),
                        published_at: Some(t),
                        section: section.to_string(),
                    });
                }
                pending.clear();
            } else {
                pending.push(line);
            }
        }
        if let Some((first, rest)) = pending.split_first() {
            out.push(ListedItem {
                title: first.to_string(),
                url: None,
                snippet: rest.join(" "),
                published_at: None,
                section: section.to_string(),
            });
        }
    } else {
        for line in block {
            let (title, snippet) = split_title_snippet(line);
            out.push(ListedItem {
                title,
                url: None,
                snippet,
                published_at: None,
                section: section.to_string(),
            });
        }
    }
    out
}
