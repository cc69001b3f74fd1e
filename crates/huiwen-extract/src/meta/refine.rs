//! The second look: the headline and the publication date the body pass
//! chose, weighed again against everything the page declares (`<title>`,
//! `og:title`, JSON-LD) and prints (its `<h1>`s, the dates by the byline).
//! Entry point: [`refine`].

use chrono::{DateTime, FixedOffset};
use huiwen_core::timestamp::TimestampContext;

use super::{
    decode_entities, norm, read_date, strip_site_suffix, DateLabel, Evidence, Meta, Shown,
    ShownDate,
};
use crate::dom::{collapse, Dom, NodeId};

/// Words of a title for comparing candidates: lower-cased letter/digit
/// runs, and every CJK character on its own (Chinese has no spaces).
fn title_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if huiwen_core::text::is_cjk(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Share of `a`'s words that `b` also has.
fn word_cover(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    a.iter().filter(|w| b.contains(w)).count() as f64 / a.len() as f64
}

/// The headlines the publisher declares in metadata, site suffix stripped:
/// `<title>`, `og:title`/`twitter:title`, JSON-LD headline.
fn declared_titles(m: &Meta) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, stripped) in declared_pairs(m) {
        if !stripped.is_empty() && !out.iter().any(|o| norm(o) == norm(&stripped)) {
            out.push(stripped);
        }
    }
    out
}

/// Each declared title as written and without its site suffix.
fn declared_pairs(m: &Meta) -> Vec<(String, String)> {
    [
        m.title_tag.clone(),
        m.get(&["og:title", "twitter:title"]).map(str::to_string),
        m.ld_headline(),
    ]
    .into_iter()
    .flatten()
    .map(|t| {
        let full = collapse(&decode_entities(&t));
        let stripped = strip_site_suffix(&full);
        (full, stripped)
    })
    .collect()
}

/// Second look at the headline, with the page's `<h1>`s and declared titles
/// side by side. The body pass picks the heading that agrees with
/// `<title>`; it can settle on a sub-heading that merely repeats part of the
/// title, on the title when the real `<h1>` sits in a header it discounts,
/// or on a short heading that is only a fragment of the headline.
fn refine_title(current: &str, m: &Meta, shown: &Shown) -> Option<String> {
    let declared = declared_titles(m);
    if declared.is_empty() {
        return None;
    }
    let site = m.publisher().map(|s| norm(&s));
    let ncur = norm(current);
    // A headline fragment: the chosen text is where a declared title
    // starts, cut at punctuation ("API documentation" of "API
    // Documentation: How to Write, Examples & Best Practices"). Templates
    // print the short form big and keep the full headline for `<title>`.
    for d in &declared {
        let nd = norm(d);
        if ncur.is_empty() || nd.len() <= ncur.len() || !nd.starts_with(&ncur) {
            continue;
        }
        let rest = d
            .char_indices()
            .filter(|(_, c)| !c.is_whitespace())
            .nth(ncur.chars().count())
            .map(|(i, _)| &d[i..])
            .unwrap_or("");
        let cut_at_punct = current
            .trim_end()
            .ends_with(['?', '!', ':', '：', '？', '！'])
            || rest.starts_with([':', '：', '?', '？', '(', '[', '—', '–']);
        // Three words at least: a short tail (": 21 Steps") is a label,
        // not the rest of the headline; a tail after a comma is a name.
        if cut_at_punct && title_words(rest).len() >= 3 {
            return Some(d.clone());
        }
    }
    let is_h1 = shown.h1s.iter().any(|(_, t)| norm(t) == ncur);
    // The declared title with its site suffix still on ("… | Bridgestone
    // Tires"), when the page prints no such heading: the suffix goes.
    let pairs = declared_pairs(m);
    if !is_h1 {
        if let Some((_, stripped)) = pairs.iter().find(|(full, stripped)| {
            norm(full) == ncur && norm(stripped) != ncur && !stripped.is_empty()
        }) {
            return Some(stripped.clone());
        }
    }
    // Words of the declared titles, with and without suffix: a headline
    // <h1> may repeat words the suffix stripper took for a tagline
    // ("… – Top 10 Picks").
    let declared_words: Vec<Vec<String>> = declared
        .iter()
        .cloned()
        .chain(pairs.iter().map(|(full, _)| full.clone()))
        .map(|d| title_words(&d))
        .collect();
    let best_cover = |w: &[String]| {
        declared_words
            .iter()
            .map(|d| word_cover(w, d))
            .fold(0.0f64, f64::max)
    };
    if !is_h1 {
        // The page's own headline <h1>, when the body pass chose something
        // else: the <h1> that shares most words with what the page
        // declares, and not the site's name.
        let candidate = shown
            .h1s
            .iter()
            .filter(|(_, t)| {
                // Not the site's name, whether from metadata or as the
                // suffix of `<title>` ("Whatever" of "… | Whatever").
                let nt = norm(t);
                site.as_ref().is_none_or(|s| *s != nt)
                    && !pairs.iter().any(|(full, stripped)| {
                        norm(full).ends_with(&nt) && !norm(stripped).contains(&nt)
                    })
            })
            .map(|(_, t)| {
                let words = title_words(t);
                let shared = declared_words
                    .iter()
                    .map(|d| words.iter().filter(|w| d.contains(w)).count())
                    .max()
                    .unwrap_or(0);
                (best_cover(&words), shared, t)
            })
            // Two shared words at least: one ("models") is chance.
            .filter(|(cover, shared, _)| *cover >= 0.3 && *shared >= 2)
            .map(|(cover, _, t)| (cover, t))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, t)) = candidate {
            if norm(t) != ncur {
                return Some(t.clone());
            }
        }
    }
    // A heading that is only a scrap of the declared headline ("Discord"
    // for "How we pwned X, Vercel, Discord, …"): the declared one.
    let cur_words = title_words(current);
    if let Some(longest) = declared_words.iter().map(Vec::len).max() {
        if cur_words.len() * 10 < longest * 3 && best_cover(&cur_words) > 0.0 {
            let ld = m.ld_headline().map(|h| strip_site_suffix(&h));
            let og = m.get(&["og:title", "twitter:title"]).map(strip_site_suffix);
            return ld.or(og).or_else(|| declared.first().cloned());
        }
    }
    None
}

/// Second look at the publication date, with the dates the page prints.
///
/// Structured data (JSON-LD, `<meta>`, `<time>`) stays as the body pass
/// read it: on pages that carry both, it is the published date readers and
/// labellers mean even where the page prints only a later "Updated" date.
/// (`refine` then checks it against the byline only for a printed date
/// well *before* it, and against the page's own zone; see
/// `earlier_printed_date` and `publisher_local_time`.)
/// Without structured data:
/// * a forum thread or comment page prints one "posted" date per post; the
///   page's date is the first post's, not whichever the scan met first
///   below the headline;
/// * when nothing was found, a date printed by the headline: one labelled
///   as the publication date, then `datePublished` in JSON the page ships
///   escaped (which the JSON-LD reader cannot see), then one in a date
///   element, then the first date printed right below the headline, then
///   a printed "updated" date.
fn refine_published(
    current: Option<DateTime<FixedOffset>>,
    structured: bool,
    shown: &Shown,
    headline: Option<NodeId>,
    raw: &str,
    ctx: TimestampContext,
) -> Option<DateTime<FixedOffset>> {
    if structured {
        return None;
    }
    let posted: Vec<&ShownDate> = shown
        .dates
        .iter()
        .filter(|d| d.label == DateLabel::Published)
        .collect();
    if current.is_some() {
        // Several posts, each with its date: the first post's. Only posts
        // below the headline: above it, "posted" dates are a sidebar's.
        let below = |d: &&&ShownDate| headline.is_none_or(|h| d.node > h);
        let posted: Vec<&ShownDate> = posted.iter().filter(below).copied().collect();
        let first = posted.first()?;
        let distinct = posted
            .iter()
            .any(|d| d.at.date_naive() != first.at.date_naive());
        return (posted.len() >= 2 && distinct && Some(first.at) != current).then_some(first.at);
    }
    let near = |label: DateLabel| {
        let mut labelled = shown.dates.iter().filter(|d| d.label == label);
        match headline {
            // Nearest to the headline, and not far from it: dates far away
            // are the template's, a comment's or a listed article's.
            // At equal distance the one below the headline (the byline).
            Some(h) => labelled
                .filter(|d| d.node.abs_diff(h) < NEAR_HEADLINE)
                .min_by_key(|d| (d.node.abs_diff(h), d.node < h))
                .map(|d| d.at),
            None => labelled.next().map(|d| d.at),
        }
    };
    near(DateLabel::Published)
        .or_else(|| escaped_json_date(raw, ctx))
        .or_else(|| near(DateLabel::Dateish))
        .or_else(|| {
            // The byline line under the headline ("作者：… 2005年1月2日").
            headline.and_then(|h| {
                shown
                    .dates
                    .iter()
                    .find(|d| d.node > h && d.node - h < BYLINE_NODES)
                    .map(|d| d.at)
            })
        })
        // The only date left is when the page was last updated: the best
        // estimate there is of when it was written.
        .or_else(|| near(DateLabel::Updated))
        // Far from the headline (a dateline under the article, a page
        // whose headline was not found): only a page that prints a single
        // day, counting labelled dates first, then any, says which it is.
        .or_else(|| {
            let labelled =
                |d: &&ShownDate| matches!(d.label, DateLabel::Published | DateLabel::Dateish);
            single_day(shown.dates.iter().filter(labelled)).or_else(|| {
                single_day(shown.dates.iter().filter(|d| d.label != DateLabel::Updated))
            })
        })
}

/// The first of `dates` when they all fall on one day.
fn single_day<'a>(mut dates: impl Iterator<Item = &'a ShownDate>) -> Option<DateTime<FixedOffset>> {
    let first = dates.next()?;
    let day = first.at.date_naive();
    dates.all(|d| d.at.date_naive() == day).then_some(first.at)
}

/// Nodes between the headline and a date that still belongs to it (a
/// byline block, a breadcrumb and a share bar fit in it).
const NEAR_HEADLINE: usize = 400;

/// Nodes below the headline where an unlabelled date is still its byline.
pub(super) const BYLINE_NODES: usize = 40;

/// `datePublished` inside JSON that is itself a string or an attribute
/// (`&quot;datePublished&quot;:&quot;2025-11-17T09:00:00-05:00&quot;`,
/// `\"datePublished\":\"…\"`): frameworks ship the page's data that way.
fn escaped_json_date(raw: &str, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
    for key in ["&quot;datePublished&quot;", "\\\"datePublished\\\""] {
        let Some(pos) = raw.find(key) else { continue };
        let after = &raw[pos + key.len()..];
        let value: String = after
            .trim_start_matches([':', ' ', '\\', '"'])
            .trim_start_matches("&quot;")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "-:+.".contains(*c))
            .collect();
        if let Some(t) = read_date(&value, ctx) {
            return Some(t);
        }
    }
    None
}

/// Re-weighs the headline and the publication date the body pass chose,
/// with everything the page shows and declares (see `refine_title` and
/// `refine_published`).
pub fn refine(
    raw: &str,
    dom: &Dom,
    evidence: &Evidence,
    ctx: TimestampContext,
    page_url: Option<&str>,
    out: &mut crate::Extracted,
) {
    let m = &evidence.meta;
    // What the body pass read before looking at the page text.
    let declared = m.published(ctx);
    let structured =
        declared.is_some() || m.time_tags.iter().any(|(_, t)| read_date(t, ctx).is_some());
    // The printed dates are only weighed without structured ones (see
    // `refine_published`).
    let shown = evidence.shown(dom, ctx, !structured);
    if let Some(t) = refine_title(&out.title, m, &shown) {
        out.title = t;
    }
    let headline = evidence
        .headline_node(&out.title)
        .or_else(|| shown.h1s.first().map(|(id, _)| *id));
    if let Some(p) = refine_published(out.published_at, structured, &shown, headline, raw, ctx) {
        out.published_at = Some(p);
    }
    let Some(published) = out.published_at else {
        return;
    };
    // The dates printed by the headline, for the two checks below (only
    // text within `BYLINE_NODES` of it is read, so this costs little).
    let byline = headline.map_or_else(Vec::new, |h| evidence.byline_dates(dom, ctx, h));
    if declared == Some(published) {
        if let Some(p) = earlier_printed_date(published, out.updated_at, &byline) {
            out.published_at = Some(p);
            return;
        }
    }
    let url_day = page_url
        .and_then(|u| crate::dates::date_in_url(u, ctx))
        .map(|t| t.date_naive());
    if let Some(p) = publisher_local_time(published, m, &byline, url_day, ctx) {
        out.published_at = Some(p);
    }
}

/// A date printed at the byline more than a day before the declared
/// publication date: the declared one is then not when the article first
/// appeared but a later event the CMS recorded (a migration, a re-save; a
/// generic `DC.date` that is the modified time). The byline is what the
/// publisher shows as the article's date, and a publication date cannot
/// come after the date printed for it. A day's difference is left alone: it
/// is the same moment in two zones (see `publisher_local_time`). Only a
/// byline that prints one such day counts.
fn earlier_printed_date(
    declared: DateTime<FixedOffset>,
    updated: Option<DateTime<FixedOffset>>,
    byline: &[ShownDate],
) -> Option<DateTime<FixedOffset>> {
    let printed = byline
        .iter()
        .find(|d| d.label == DateLabel::Published)
        .or_else(|| byline.iter().find(|d| d.label == DateLabel::Dateish))?;
    let days = (declared.date_naive() - printed.at.date_naive()).num_days();
    // One date printed there besides the declared ones: several days by
    // the headline are a list's (latest posts, comments), not a byline.
    let known = [Some(declared), updated].map(|t| t.map(|t| t.date_naive()));
    let lone = byline.iter().all(|d| {
        let day = Some(d.at.date_naive());
        day == Some(printed.at.date_naive()) || known.contains(&day)
    });
    (days >= 2 && lone).then_some(printed.at)
}

/// A publication time declared in UTC (`…T02:41:41+00:00`) shown in the
/// publisher's own zone, when the page says which zone that is and the
/// local day is the one the page itself gives. The instant is unchanged;
/// only its calendar day can move — to the day the URL
/// (`/2025/12/18/…`) or the byline ("Posted on December 18, 2025") names.
/// The zone is an offset the page writes in its other timestamps (JSON-LD,
/// `<meta>`, `<time datetime>`); without one, or without the page naming
/// that day, nothing changes.
fn publisher_local_time(
    published: DateTime<FixedOffset>,
    m: &Meta,
    byline: &[ShownDate],
    url_day: Option<chrono::NaiveDate>,
    ctx: TimestampContext,
) -> Option<DateTime<FixedOffset>> {
    // Offset 0 that the page wrote, not the options' zone.
    if published.offset().local_minus_utc() != 0
        || ctx.zone.convert(&published).offset().local_minus_utc() == 0
    {
        return None;
    }
    let named = |day: chrono::NaiveDate| {
        url_day == Some(day)
            || byline
                .iter()
                .any(|d| d.label != DateLabel::Updated && d.at.date_naive() == day)
    };
    m.written_offsets(ctx)
        .into_iter()
        .filter(|o| o.local_minus_utc() != 0)
        .map(|o| published.with_timezone(&o))
        .find(|local| local.date_naive() != published.date_naive() && named(local.date_naive()))
}

#[cfg(test)]
mod tests {
    use super::super::{collect_meta, gather};
    use super::*;

    fn evidence(html: &str) -> (Dom, Evidence) {
        let dom = crate::dom::parse(html);
        let e = gather(&dom, collect_meta(&dom));
        (dom, e)
    }

    fn title_after(current: &str, html: &str) -> Option<String> {
        let (dom, e) = evidence(html);
        refine_title(
            current,
            &e.meta,
            &e.shown(&dom, TimestampContext::default(), false),
        )
    }

    #[test]
    fn headline_h1_beats_a_sub_heading_that_repeats_part_of_the_title() {
        let html = "<title>7 Key Software Development Methodologies | OS-System</title>\
            <h1>Software Development Methodologies Comparison with Pros and Cons</h1>\
            <h2>Key Software Development Methodologies</h2>";
        assert_eq!(
            title_after("Key Software Development Methodologies", html).as_deref(),
            Some("Software Development Methodologies Comparison with Pros and Cons")
        );
        // An <h1> sharing one word by chance, or naming the site, is no headline.
        let html = "<title>Engora Data Blog: Small adventures with small language models</title>\
            <h1>Whatever</h1><h1>So many models!</h1>";
        assert_eq!(
            title_after("Small adventures with small language models", html),
            None
        );
        let html = "<title>The December Watches, Day 18 | Whatever</title><h1>Whatever</h1>";
        assert_eq!(title_after("The December Watches, Day 18", html), None);
    }

    #[test]
    fn a_headline_cut_short_at_punctuation_is_completed_from_the_title() {
        let html = "<title>API Documentation: How to Write, Examples &amp; Best Practices | Postman</title>\
            <h1>API documentation</h1>";
        assert_eq!(
            title_after("API documentation", html).as_deref(),
            Some("API Documentation: How to Write, Examples & Best Practices")
        );
        // A short label or a name after a comma is not the rest of a headline.
        let html = "<title>How to Make Furniture : 21 Steps - Instructables</title><h1>How to Make Furniture</h1>";
        assert_eq!(title_after("How to Make Furniture", html), None);
        let html = "<title>Skiplagging in the relocation process, Chris Pardo</title>\
            <h1>Skiplagging in the relocation process</h1>";
        assert_eq!(
            title_after("Skiplagging in the relocation process", html),
            None
        );
    }

    #[test]
    fn a_site_suffix_left_on_the_title_is_stripped() {
        let html =
            "<title>The Ultimate Car Maintenance Checklist | Bridgestone Tires</title><p>x</p>";
        assert_eq!(
            title_after(
                "The Ultimate Car Maintenance Checklist | Bridgestone Tires",
                html
            )
            .as_deref(),
            Some("The Ultimate Car Maintenance Checklist")
        );
    }

    #[test]
    fn a_scrap_of_the_headline_gives_way_to_the_declared_one() {
        let html = "<title>How we pwned X, Vercel, Cursor, Discord and hundreds more · GitHub</title>\
            <meta property=\"og:title\" content=\"How we pwned X, Vercel, Cursor, Discord and hundreds more\">\
            <h3>Discord</h3>";
        assert_eq!(
            title_after("Discord", html).as_deref(),
            Some("How we pwned X, Vercel, Cursor, Discord and hundreds more")
        );
    }

    fn date_after(current: Option<&str>, html: &str) -> Option<String> {
        let ctx = TimestampContext::default();
        let (dom, e) = evidence(html);
        let shown = e.shown(&dom, ctx, true);
        let title = e.h1s.first().map(|(_, t)| t.clone()).unwrap_or_default();
        let headline = e.headline_node(&title);
        let structured = e.meta.published(ctx).is_some();
        let current = current.and_then(|c| read_date(c, ctx));
        refine_published(current, structured, &shown, headline, html, ctx)
            .map(|t| t.date_naive().to_string())
    }

    #[test]
    fn structured_dates_are_kept() {
        let html = "<meta property=\"article:published_time\" content=\"2024-01-02\">\
            <h1>Headline here</h1><p>Updated March 5, 2025</p>";
        assert_eq!(date_after(Some("2024-01-02"), html), None);
    }

    #[test]
    fn a_forum_thread_is_dated_by_its_first_post() {
        let html = "<h1>Thread title</h1>\
            <div>first post</div><p>发布时间 2005/05/17 22:11:42 by a</p>\
            <div>reply</div><p>发布时间 2005/05/18 13:45:40 by b</p>";
        assert_eq!(
            date_after(Some("2005-05-18 13:45:40"), html).as_deref(),
            Some("2005-05-17")
        );
        // "Posted" dates above the headline are a sidebar's, not posts.
        let html = "<p>发布时间 2005/01/01 10:00:00</p><p>发布时间 2005/02/01 10:00:00</p>\
            <h1>Thread title</h1><p>发布时间 2005/05/18 13:45:40</p>";
        assert_eq!(date_after(Some("2005-05-18 13:45:40"), html), None);
        // One post: the date already found stays.
        let html = "<h1>Thread title</h1><p>发布时间 2005/05/18 13:45:40</p>";
        assert_eq!(date_after(Some("2005-05-18 13:45:40"), html), None);
    }

    #[test]
    fn undated_pages_read_the_date_printed_by_the_headline() {
        // Labelled as published, nearest the headline.
        let html = "<p>Published 1 Jan 2020</p><h1>Headline here</h1>\
            <p class=\"small\">Published On: 15 August 2025</p><p>Body.</p>";
        assert_eq!(date_after(None, html).as_deref(), Some("2025-08-15"));
        // A date element, and no label.
        let html = "<h1>Headline here</h1><div class=\"published-date\">September 4, 2025</div>";
        assert_eq!(date_after(None, html).as_deref(), Some("2025-09-04"));
        let html = "<h1>Headline here</h1><time datetime=\"2022-10-08T10:00:00Z\">8 Oct</time>";
        assert_eq!(date_after(None, html).as_deref(), Some("2022-10-08"));
        // Written by the byline, no label at all.
        let html = "<h1>Headline here</h1><p>作者：张三</p><p>2005年1月2日</p><p>正文。</p>";
        assert_eq!(date_after(None, html).as_deref(), Some("2005-01-02"));
        // Only an "updated" date.
        let html = "<h1>Headline here</h1><p>Updated March 13, 2024</p>";
        assert_eq!(date_after(None, html).as_deref(), Some("2024-03-13"));
        // Dates in scripts are not printed.
        let html = "<h1>Headline here</h1><script>var d = '2021-01-01';</script><p>Body.</p>";
        assert_eq!(date_after(None, html), None);
    }

    #[test]
    fn undated_pages_read_date_published_from_escaped_json() {
        let html = "<h1>Headline here</h1><div data-page=\"{&quot;datePublished&quot;:\
            &quot;2025-11-17T09:00:00-05:00&quot;}\"></div>";
        assert_eq!(date_after(None, html).as_deref(), Some("2025-11-17"));
        let html = "<h1>Headline here</h1><script>self.push(\"{\\\"datePublished\\\":\\\"2024-02-03\\\"}\")</script>";
        assert_eq!(date_after(None, html).as_deref(), Some("2024-02-03"));
    }

    fn published_of(html: &str, url: &str) -> String {
        let url = url::Url::parse(url).expect("a URL");
        let x =
            crate::extract(html, Some(&url), &crate::ExtractOptions::default()).expect("extracts");
        x.published_at.map(|t| t.to_rfc3339()).unwrap_or_default()
    }

    fn article(head: &str, top: &str, bottom: &str) -> String {
        let para = "<p>The committee met on a cold morning, and after a long debate, \
            the members agreed on a plan that would change the town for years.</p>";
        format!(
            "<html><head><title>Comfort watches, day eighteen</title>{head}</head><body>\
             <article><h1>Comfort watches, day eighteen</h1>{top}{}</article>{bottom}</body></html>",
            para.repeat(6)
        )
    }

    #[test]
    fn a_utc_publication_time_is_shown_in_the_zone_the_page_uses() {
        let utc =
            "<meta property=\"article:published_time\" content=\"2025-12-19T02:41:41+00:00\">";
        let head = format!(
            "{utc}<meta property=\"article:modified_time\" content=\"2025-12-19T09:39:52-05:00\">"
        );
        // The page writes -05:00 elsewhere and its URL names the 18th.
        let html = article(&head, "", "");
        assert_eq!(
            published_of(&html, "https://example.com/2025/12/18/comfort-watches/"),
            "2025-12-18T21:41:41-05:00"
        );
        // Or its byline does (here the zone is a comment's `<time>`).
        let comments = "<p>Reply <time datetime=\"2025-12-18T21:46:01-05:00\">9:46 pm</time></p>";
        let html = article(utc, "<p>Posted on December 18, 2025</p>", comments);
        assert_eq!(
            published_of(&html, "https://example.com/comfort-watches/"),
            "2025-12-18T21:41:41-05:00"
        );
        // Nothing names the local day, or the page writes no other zone:
        // the time stays as declared.
        let html = article(&head, "<p>Posted on December 19, 2025</p>", "");
        assert_eq!(
            published_of(&html, "https://example.com/a/"),
            "2025-12-19T02:41:41+00:00"
        );
        let html = article(utc, "", "");
        assert_eq!(
            published_of(&html, "https://example.com/2025/12/18/comfort-watches/"),
            "2025-12-19T02:41:41+00:00"
        );
    }

    #[test]
    fn a_byline_date_well_before_the_declared_one_is_the_publication_date() {
        let head = "<meta name=\"DC.date\" content=\"2024-07-05T14:20:08Z\">\
            <meta property=\"og:updated_time\" content=\"2024-07-05T14:20:08-04:00\">";
        let top =
            "<time class=\"title-bar__date\" datetime=\"2024-03-01 05:00:00\">March 1, 2024</time>";
        let html = article(head, top, "");
        assert!(published_of(&html, "https://example.com/a/").starts_with("2024-03-01"));
        // Labelled as the publication date, in an element with no date class.
        let html = article(head, "<p>Published on 8 Jun 2024</p>", "");
        assert!(published_of(&html, "https://example.com/a/").starts_with("2024-06-08"));
        // Several days by the headline are a list, not a byline.
        let list = "<ul><li><a href=\"/x\">Older story</a> <time datetime=\"2024-02-11\">Feb 11</time></li>\
            <li><a href=\"/y\">Oldest story</a> <time datetime=\"2024-01-20\">Jan 20</time></li></ul>";
        let html = article(head, list, "");
        assert_eq!(
            published_of(&html, "https://example.com/a/"),
            "2024-07-05T14:20:08+00:00"
        );
        // A day before is the same moment in another zone; a later printed
        // date (an update) does not replace the publication date.
        for top in [
            "<p>Published July 4, 2024</p>",
            "<p>Updated August 9, 2024</p>",
        ] {
            let html = article(head, top, "");
            assert_eq!(
                published_of(&html, "https://example.com/a/"),
                "2024-07-05T14:20:08+00:00"
            );
        }
    }

    #[test]
    fn a_dateline_far_below_the_headline_counts_when_it_is_the_only_day() {
        let mut html = String::from("<h1>Headline here</h1>");
        for _ in 0..500 {
            html.push_str("<p>Paragraph.</p>");
        }
        html.push_str("<p class=\"date\">December 3, 2025. <i>Updated: December 7, 2025</i></p>");
        assert_eq!(date_after(None, &html).as_deref(), Some("2025-12-03"));
    }
}
