//! The feed stage against fixture feeds of every supported format.

use chrono::{DateTime, TimeZone, Utc};
use huiwen_core::SourceId;
use huiwen_feed::{entry_to_draft, parse_feed, DateNote, FeedEntry, FeedError, FeedOptions};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn base(url: &str) -> url::Url {
    url::Url::parse(url).expect("test base URL")
}

/// 2026-01-21 08:00 in Beijing: the day after most fixture dates.
fn fetched_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 21, 0, 0, 0)
        .single()
        .expect("valid")
}

fn options() -> FeedOptions {
    FeedOptions::new(fetched_at())
}

fn parse(name: &str, feed_url: &str) -> huiwen_feed::ParsedFeed {
    parse_feed(&fixture(name), None, &base(feed_url), &options())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn entry<'a>(entries: &'a [FeedEntry], guid: &str) -> &'a FeedEntry {
    entries
        .iter()
        .find(|e| e.guid == guid)
        .unwrap_or_else(|| panic!("no entry {guid}; have {:?}", guids(entries)))
}

fn guids(entries: &[FeedEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.guid.as_str()).collect()
}

fn rfc3339(t: Option<DateTime<chrono::FixedOffset>>) -> Option<String> {
    t.map(|t| t.to_rfc3339())
}

#[test]
fn rss2_chinese_feed_is_sanitized_and_keeps_offsets() {
    let feed = parse("rss2-zh.xml", "https://news.example.com/rss/finance.xml");
    assert_eq!(feed.title.as_deref(), Some("财经要闻 - 示例新闻网"));
    assert_eq!(
        feed.site_url.as_deref(),
        Some("https://news.example.com/finance/")
    );

    let first = entry(&feed.entries, "news-1001");
    assert_eq!(
        first.url.as_deref(),
        Some("https://news.example.com/finance/2026/0120/1001.html"),
        "tracking parameters removed"
    );
    assert_eq!(
        first.title.as_deref(),
        Some("央行开展逆回购操作 人民币汇率中间价上调")
    );
    // `+0800` stays `+08:00`, not `08:00:42Z`.
    assert_eq!(
        rfc3339(first.published_at).as_deref(),
        Some("2026-01-20T16:00:42+08:00")
    );
    assert_eq!(first.date_note, None);
    assert_eq!(first.authors, vec!["张三"]);
    assert_eq!(first.categories, vec!["央行", "汇率"]);
    let content = first.content.as_ref().expect("content:encoded").as_str();
    assert!(content.contains("流动性保持合理充裕"), "{content}");
    assert!(
        !content.contains("script") && !content.contains("onclick") && !content.contains("alert"),
        "{content}"
    );
    assert!(first.summary.is_some());

    // No guid: the canonical link is the identity. `CST` is China.
    let second = &feed.entries[1];
    assert_eq!(
        second.guid,
        "https://news.example.com/finance/2026/0120/1002.html"
    );
    assert_eq!(second.url.as_deref(), Some(second.guid.as_str()));
    assert_eq!(
        rfc3339(second.published_at).as_deref(),
        Some("2026-01-20T13:18:00+08:00")
    );
    assert!(second.content.is_none());
    let summary = second.summary.as_ref().expect("description").as_str();
    assert!(summary.contains("创业板指"), "{summary}");
    assert!(
        !summary.contains("javascript")
            && !summary.contains("onmouseover")
            && !summary.contains("color:red"),
        "{summary}"
    );

    // The entry with neither guid nor link is kept, identified by its
    // content: the same on every parse, so it is stored once.
    assert_eq!(feed.entries.len(), 3, "{:?}", guids(&feed.entries));
    let anonymous = &feed.entries[2];
    assert!(anonymous.url.is_none());
    assert!(
        anonymous
            .guid
            .starts_with("https://news.example.com/rss/finance.xml#entry-"),
        "{}",
        anonymous.guid
    );
    let again = parse_feed(
        &fixture("rss2-zh.xml"),
        None,
        &base("https://news.example.com/rss/finance.xml"),
        &options(),
    )
    .expect("parses again");
    assert_eq!(
        again.entries[2].guid, anonymous.guid,
        "a content guid is stable"
    );
}

#[test]
fn cst_can_mean_us_central_when_told() {
    let opts = FeedOptions {
        cst_means_china: false,
        ..options()
    };
    let feed = parse_feed(
        &fixture("rss2-zh.xml"),
        None,
        &base("https://news.example.com/rss.xml"),
        &opts,
    )
    .expect("parses");
    assert_eq!(
        rfc3339(feed.entries[1].published_at).as_deref(),
        Some("2026-01-20T13:18:00-06:00")
    );
}

#[test]
fn atom_links_resolve_against_xml_base_and_feed_url() {
    let feed = parse("atom.xml", "https://tech.example.org/feed.atom");
    assert_eq!(feed.title.as_deref(), Some("科技 <前沿> 观察"));
    assert_eq!(
        feed.site_url.as_deref(),
        Some("https://tech.example.org/blog/")
    );
    let post = entry(&feed.entries, "tag:tech.example.org,2026:post-1");
    assert_eq!(
        post.url.as_deref(),
        Some("https://tech.example.org/blog/posts/llm.html")
    );
    assert_eq!(
        rfc3339(post.published_at).as_deref(),
        Some("2026-01-20T09:30:00+08:00")
    );
    assert_eq!(
        rfc3339(post.updated_at).as_deref(),
        Some("2026-01-20T10:00:00+08:00")
    );
    assert_eq!(post.authors, vec!["李四"]);
    assert_eq!(post.categories, vec!["人工智能"]);
    let content = post.content.as_ref().expect("content").as_str();
    assert!(content.contains("推理速度提升一倍"), "{content}");
    assert!(!content.contains("iframe"), "{content}");

    let old = entry(&feed.entries, "tag:tech.example.org,2025:post-9");
    assert_eq!(
        old.url.as_deref(),
        Some("https://tech.example.org/archive/2025/chips.html"),
        "the entry's own xml:base wins"
    );
    assert_eq!(old.published_at, None);
    assert_eq!(
        rfc3339(old.updated_at).as_deref(),
        Some("2025-12-31T23:00:00+00:00")
    );
}

#[test]
fn atom_without_xml_base_resolves_against_the_feed_url() {
    let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>f</id>
        <entry><title>相对链接</title><link href="../news/7.html"/><updated>2026-01-20T10:00:00+08:00</updated></entry></feed>"#;
    let feed = parse_feed(
        xml.as_bytes(),
        None,
        &base("https://rel.example.com/feeds/all.atom"),
        &options(),
    )
    .expect("parses");
    assert_eq!(
        feed.entries[0].url.as_deref(),
        Some("https://rel.example.com/news/7.html")
    );
    assert_eq!(
        feed.entries[0].guid, "https://rel.example.com/news/7.html",
        "no id: the link is the guid"
    );
}

#[test]
fn json_feed_1_1() {
    let feed = parse("jsonfeed-1.1.json", "https://flash.example.cn/feed.json");
    assert_eq!(feed.title.as_deref(), Some("快讯 JSON"));
    assert_eq!(feed.site_url.as_deref(), Some("https://flash.example.cn/"));
    let first = entry(&feed.entries, "flash-20260120-1");
    assert_eq!(
        first.url.as_deref(),
        Some("https://flash.example.cn/news/1.html")
    );
    assert_eq!(
        rfc3339(first.published_at).as_deref(),
        Some("2026-01-20T22:35:00+08:00")
    );
    assert_eq!(first.authors, vec!["快讯编辑部"]);
    assert_eq!(first.categories, vec!["美股", "指数"]);
    let content = first.content.as_ref().expect("content_html").as_str();
    assert!(
        content.contains("现涨1.0%") && !content.contains("track"),
        "{content}"
    );

    // A naive date in JSON Feed is read in the zone too.
    let second = entry(&feed.entries, "flash-20260120-2");
    assert_eq!(
        rfc3339(second.published_at).as_deref(),
        Some("2026-01-20T21:00:00+08:00")
    );
    let draft = entry_to_draft(second, SourceId(3), &options()).expect("draft");
    assert_eq!(
        draft.title, "美联储官员发表讲话",
        "title from the 【】 lead"
    );
    assert!(draft.text.contains("通胀正在回落"), "{}", draft.text);
}

#[test]
fn rss1_rdf_feed() {
    let feed = parse("rss1-rdf.xml", "https://rdf.example.net/rss");
    assert_eq!(feed.title.as_deref(), Some("学术快报"));
    assert_eq!(feed.entries.len(), 1);
    let item = &feed.entries[0];
    assert_eq!(item.url.as_deref(), Some("https://rdf.example.net/a/1"));
    assert_eq!(item.title.as_deref(), Some("量子计算取得新进展"));
    assert_eq!(
        rfc3339(item.published_at.or(item.updated_at)).as_deref(),
        Some("2026-01-19T08:00:00+08:00")
    );
    let summary = item.summary.as_ref().expect("description").as_str();
    assert!(summary.contains("量子纠错"), "{summary}");
}

#[test]
fn gbk_feed_without_any_charset_decodes() {
    let bytes = fixture("rss2-gbk.xml");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must really be GBK"
    );
    let feed = parse_feed(
        &bytes,
        None,
        &base("http://gbk.example.cn/rss.xml"),
        &options(),
    )
    .expect("parses");
    assert_eq!(feed.title.as_deref(), Some("国内要闻（GBK 编码）"));
    let item = &feed.entries[0];
    assert_eq!(
        item.title.as_deref(),
        Some("人民币汇率中间价上调，央行开展逆回购操作")
    );
    assert_eq!(
        rfc3339(item.published_at).as_deref(),
        Some("2026-01-20T09:15:00+08:00")
    );
    assert!(feed.warnings.is_empty(), "{:?}", feed.warnings);
}

#[test]
fn declared_gbk_is_not_decoded_twice() {
    // Declared in the XML, as most GBK feeds do: the parser must not read
    // the already-decoded text as GBK again.
    let xml = "<?xml version=\"1.0\" encoding=\"gb2312\"?><rss version=\"2.0\"><channel><title>经济日报</title>\
               <item><guid>g1</guid><title>稳增长政策持续发力</title></item></channel></rss>";
    let bytes = encoding_gbk(xml);
    let feed = parse_feed(
        &bytes,
        None,
        &base("http://gbk.example.cn/rss.xml"),
        &options(),
    )
    .expect("parses");
    assert_eq!(feed.title.as_deref(), Some("经济日报"));
    assert_eq!(feed.entries[0].title.as_deref(), Some("稳增长政策持续发力"));
    // And the HTTP charset is honoured when the XML says nothing.
    let plain = xml.replacen(" encoding=\"gb2312\"", "", 1);
    let bytes = encoding_gbk(&plain);
    let feed = parse_feed(
        &bytes,
        Some("GBK"),
        &base("http://gbk.example.cn/rss.xml"),
        &options(),
    )
    .expect("parses");
    assert_eq!(feed.title.as_deref(), Some("经济日报"));
}

fn encoding_gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn chinese_date_forms_future_dates_and_unreadable_dates() {
    let feed = parse("rss2-dates.xml", "https://dates.example.com/rss");
    let at = |guid: &str| rfc3339(entry(&feed.entries, guid).published_at);
    assert_eq!(at("naive").as_deref(), Some("2026-01-20T16:00:42+08:00"));
    assert_eq!(at("chinese").as_deref(), Some("2026-01-20T13:18:00+08:00"));
    assert_eq!(
        at("slash-date").as_deref(),
        Some("2026-01-20T00:00:00+08:00")
    );
    assert_eq!(
        at("slash-time").as_deref(),
        Some("2026-01-20T13:18:00+08:00")
    );

    let future = entry(&feed.entries, "future");
    assert_eq!(future.date_note, Some(DateNote::ClampedFromFuture));
    assert_eq!(
        rfc3339(future.published_at).as_deref(),
        Some("2026-01-21T08:00:00+08:00"),
        "clamped to the fetch time, in the zone"
    );

    let unreadable = entry(&feed.entries, "unreadable");
    assert_eq!(unreadable.published_at, None);
    assert_eq!(unreadable.date_note, Some(DateNote::Missing));
    assert!(
        feed.warnings.iter().any(|w| w.contains("上周二下午")),
        "{:?}",
        feed.warnings
    );
    let draft = entry_to_draft(unreadable, SourceId(1), &options()).expect("draft");
    assert_eq!(
        draft.published_at.to_rfc3339(),
        "2026-01-21T08:00:00+08:00",
        "no date: the fetch time in the zone"
    );
    assert!(draft.undated, "a stand-in time is marked");
    let clamped = entry_to_draft(future, SourceId(1), &options()).expect("draft");
    assert!(clamped.undated, "so is a date clamped from the future");
    let dated =
        entry_to_draft(entry(&feed.entries, "naive"), SourceId(1), &options()).expect("draft");
    assert!(!dated.undated);
}

#[test]
fn a_date_within_a_day_of_the_fetch_is_not_clamped() {
    let xml = r#"<rss version="2.0"><channel><title>t</title>
        <item><guid>soon</guid><title>稍后</title><pubDate>2026-01-21 20:00:00</pubDate></item>
        </channel></rss>"#;
    let feed =
        parse_feed(xml.as_bytes(), None, &base("https://e.com/"), &options()).expect("parses");
    let e = &feed.entries[0];
    assert_eq!(e.date_note, None);
    assert_eq!(
        rfc3339(e.published_at).as_deref(),
        Some("2026-01-21T20:00:00+08:00")
    );
}

#[test]
fn summary_only_entry_becomes_a_draft_with_the_summary_as_body() {
    let feed = parse("rss2-dates.xml", "https://dates.example.com/rss");
    let e = entry(&feed.entries, "summary-only");
    assert!(e.content.is_none() && e.title.is_none());
    let draft = entry_to_draft(e, SourceId(7), &options()).expect("draft");
    assert_eq!(draft.source_id, SourceId(7));
    assert_eq!(draft.guid, "summary-only");
    assert_eq!(draft.url.as_deref(), Some("https://dates.example.com/7"));
    assert_eq!(
        draft.text,
        "财联社1月20日电，只有摘要的快讯成为正文。第二句补充说明。"
    );
    assert!(draft.body_html.as_str().contains("只有摘要的快讯成为正文"));
    assert_eq!(draft.title, "只有摘要的快讯成为正文", "title from the lead");
    assert_eq!(draft.summary, "只有摘要的快讯成为正文。第二句补充说明。");
    assert_eq!(draft.lang, "zh");
    assert_eq!(draft.published_at.to_rfc3339(), "2026-01-20T10:00:00+08:00");
    assert_eq!(draft.fetched_at, fetched_at());
}

#[test]
fn full_content_wins_over_summary_in_drafts() {
    let feed = parse("rss2-zh.xml", "https://news.example.com/rss.xml");
    let e = entry(&feed.entries, "news-1001");
    let draft = entry_to_draft(e, SourceId(2), &options()).expect("draft");
    assert!(
        draft.text.contains("流动性保持合理充裕"),
        "body is content:encoded: {}",
        draft.text
    );
    assert_eq!(draft.images.len(), 1);
    assert_eq!(
        draft.images[0].src, "https://news.example.com/img/pboc.jpg",
        "relative image resolved? {:?}",
        draft.images
    );
    assert_eq!(draft.images[0].caption, "央行大楼");
    assert_eq!(draft.tags, vec!["央行", "汇率"]);
    assert_eq!(draft.authors, vec!["张三"]);
    assert_eq!(draft.published_at.to_rfc3339(), "2026-01-20T16:00:42+08:00");
    assert!(
        draft.summary.starts_with("中国人民银行今日开展逆回购操作"),
        "dateline skipped: {}",
        draft.summary
    );
}

#[test]
fn published_falls_back_to_updated() {
    let feed = parse("atom.xml", "https://tech.example.org/feed.atom");
    let e = entry(&feed.entries, "tag:tech.example.org,2025:post-9");
    let draft = entry_to_draft(e, SourceId(1), &options()).expect("draft");
    assert_eq!(draft.published_at.to_rfc3339(), "2025-12-31T23:00:00+00:00");
}

/// Titles a CMS double-encoded (UTF-8 read as Latin-1, written out again)
/// read as written; a lone `&#146;` is still the Windows-1252 apostrophe
/// it was meant to be.
#[test]
fn double_encoded_and_windows_1252_titles_read_as_meant() {
    let double_encoded: String = "We’re ✅ back".bytes().map(char::from).collect();
    let xml = format!(
        "<rss version=\"2.0\"><channel><title>t</title>\
         <item><guid>a</guid><title>{double_encoded}</title></item>\
         <item><guid>b</guid><title>It&#146;s back</title></item></channel></rss>"
    );
    let feed =
        parse_feed(xml.as_bytes(), None, &base("https://e.com/"), &options()).expect("parses");
    let titles: Vec<Option<&str>> = feed.entries.iter().map(|e| e.title.as_deref()).collect();
    assert_eq!(titles, [Some("We’re ✅ back"), Some("It’s back")]);
}

#[test]
fn an_entry_with_nothing_to_title_it_is_a_draft_error() {
    let xml = r#"<rss version="2.0"><channel><title>t</title>
        <item><guid>empty</guid><pubDate>2026-01-20 10:00:00</pubDate></item></channel></rss>"#;
    let feed =
        parse_feed(xml.as_bytes(), None, &base("https://e.com/"), &options()).expect("parses");
    let err = entry_to_draft(&feed.entries[0], SourceId(1), &options()).expect_err("no title");
    assert_eq!(err, huiwen_core::DraftError::NoTitle);
}

fn parse_err(bytes: &[u8]) -> FeedError {
    parse_feed(bytes, None, &base("https://e.com/feed"), &options()).expect_err("must fail")
}

#[test]
fn malformed_inputs_are_clear_errors() {
    assert_eq!(parse_err(b""), FeedError::Empty);
    assert_eq!(parse_err(b" \n\t "), FeedError::Empty);
    assert_eq!(parse_err(&fixture("html-page.html")), FeedError::HtmlPage);
    assert!(parse_err(&fixture("html-page.html"))
        .to_string()
        .contains("HTML page"));

    let err = parse_err(&fixture("truncated.xml"));
    assert!(matches!(err, FeedError::Xml(_)), "{err:?}");
    assert!(err.to_string().contains("malformed XML"), "{err}");

    let err = parse_err("服务暂时不可用，请稍后再试".as_bytes());
    assert!(matches!(err, FeedError::NotAFeed { .. }), "{err:?}");
    assert!(err.to_string().contains("服务暂时不可用"), "{err}");

    let err = parse_err(b"<?xml version=\"1.0\"?><note><to>x</to></note>");
    assert!(matches!(err, FeedError::NotAFeed { .. }), "{err:?}");

    let err = parse_err(b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [");
    assert!(matches!(err, FeedError::Json(_)), "{err:?}");

    let err = parse_err(b"<rss version=\"2.0\"><channel><title>a</title></chan");
    assert!(matches!(err, FeedError::Xml(_)), "{err:?}");
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let samples: Vec<Vec<u8>> = vec![
        vec![0xff, 0xfe, 0x00],
        vec![0x00; 64],
        b"<".to_vec(),
        b"{".to_vec(),
        b"<?xml".to_vec(),
        b"<rss version=\"2.0\">".to_vec(),
        b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>".to_vec(),
        b"{\"version\":\"https://jsonfeed.org/version/9\",\"items\":[]}".to_vec(),
        fixture("rss2-zh.xml")[..300].to_vec(),
        fixture("rss2-gbk.xml")[..101].to_vec(),
    ];
    for bytes in samples {
        // Every one of these is broken, so each must be an error (and
        // returning at all means no panic).
        let result = parse_feed(&bytes, None, &base("https://e.com/"), &options());
        assert!(
            result.is_err(),
            "{:?} parsed: {result:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

#[test]
fn atom_03_feeds_are_read_like_atom_10() {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#">
  <title>旧版 Atom</title>
  <entry>
    <title type="text/html" mode="escaped">沪指&lt;b&gt;收涨&lt;/b&gt;</title>
    <link rel="alternate" type="text/html" href="https://old.example.com/a/1"/>
    <id>tag:old.example.com,2026:1</id>
    <issued>2026-01-20T16:00:42+08:00</issued>
    <modified>2026-01-20T17:00:00+08:00</modified>
    <content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>正文</p></div></content>
  </entry>
</feed>"#;
    let feed = parse_feed(
        xml.as_bytes(),
        None,
        &base("https://old.example.com/atom.xml"),
        &options(),
    )
    .expect("parses");
    assert_eq!(feed.entries.len(), 1, "{:?}", feed.warnings);
    let e = &feed.entries[0];
    assert_eq!(e.guid, "tag:old.example.com,2026:1");
    assert_eq!(e.title.as_deref(), Some("沪指收涨"));
    assert_eq!(
        rfc3339(e.published_at).as_deref(),
        Some("2026-01-20T16:00:42+08:00")
    );
    assert_eq!(
        rfc3339(e.updated_at).as_deref(),
        Some("2026-01-20T17:00:00+08:00")
    );
    assert!(e
        .content
        .as_ref()
        .expect("content")
        .as_str()
        .contains("正文"));
}
