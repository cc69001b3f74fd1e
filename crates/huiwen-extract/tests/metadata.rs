//! Headline and publication date on small whole pages: the second look
//! `meta::refine` takes after the body pass (see its unit tests for each
//! rule on its own).

use huiwen_extract::{extract, ExtractOptions};

fn page(head: &str, body: &str) -> String {
    let prose = "<p>This is the article body, long enough to be read as one, with a few \
                 sentences of running text. It goes on for a while, as articles do, and \
                 says nothing in particular. Then it ends.</p>"
        .repeat(4);
    format!("<html><head>{head}</head><body>{body}<article>{prose}</article></body></html>")
}

#[test]
fn the_headline_h1_wins_over_a_sub_heading_that_repeats_the_seo_title() {
    let html = page(
        "<title>5 Best Blockchain Development Trends for 2026-2030</title>",
        "<header><h1>Top 5 Blockchain Technology Trends to Watch in 2026-2030</h1></header>\
         <h2>5 best blockchain development trends for 2026</h2>",
    );
    let x = extract(&html, None, &ExtractOptions::default()).expect("extracts");
    assert_eq!(
        x.title,
        "Top 5 Blockchain Technology Trends to Watch in 2026-2030"
    );
}

#[test]
fn a_page_without_structured_dates_is_dated_by_its_byline() {
    let html = page(
        "<title>Zero waste at home</title>",
        "<h1>Zero waste at home</h1><div class=\"meta\"><span>Published On: 15 August 2025</span></div>",
    );
    let x = extract(&html, None, &ExtractOptions::default()).expect("extracts");
    let day = x.published_at.map(|t| t.date_naive().to_string());
    assert_eq!(day.as_deref(), Some("2025-08-15"));
}

#[test]
fn structured_publication_dates_are_not_second_guessed() {
    let html = page(
        "<title>Zero waste at home</title>\
         <meta property=\"article:published_time\" content=\"2024-01-29T20:47:55+00:00\">\
         <meta property=\"article:modified_time\" content=\"2025-08-19T13:25:59+00:00\">",
        "<h1>Zero waste at home</h1><p class=\"date\">Updated August 19, 2025</p>",
    );
    let x = extract(&html, None, &ExtractOptions::default()).expect("extracts");
    let day = x.published_at.map(|t| t.date_naive().to_string());
    assert_eq!(day.as_deref(), Some("2024-01-29"));
}

#[test]
fn a_forum_thread_is_dated_by_its_first_post() {
    let html = page(
        "<title>周黎明留言板</title>",
        "<h1>一个帖子的标题在这里</h1>\
         <div>第一帖的内容。</div><p>发布时间 2005/05/17 22:11:42 by 眉间尺</p>\
         <div>回复的内容。</div><p>发布时间 2005/05/18 13:45:40 by 愤怒的马</p>",
    );
    let x = extract(&html, None, &ExtractOptions::default()).expect("extracts");
    let day = x.published_at.map(|t| t.date_naive().to_string());
    assert_eq!(day.as_deref(), Some("2005-05-17"));
}
