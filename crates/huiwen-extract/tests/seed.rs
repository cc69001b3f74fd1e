//! Item 2 of the extract issue: the plain-text page dump of the seed.

use huiwen_extract::{extract, ExtractOptions, PageType};

const SEED: &str = include_str!("fixtures/seed_000.txt");

#[test]
fn seed_dump_yields_the_article_and_its_lists() {
    let x = extract(SEED, None, &ExtractOptions::default()).expect("extracts");
    assert_eq!(
        x.title,
        "黄仁勋:美国低估了中国,他们现在能生产数百万颗AI芯片"
    );
    assert_eq!(
        x.published_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2025-11-04T02:46:13+08:00")
    );
    assert_eq!(x.outlet.as_deref(), Some("观察者网"));
    assert_eq!(x.authors, ["陈思佳"]);
    assert_eq!(x.page_type, PageType::Article);
    assert_eq!(x.lang, "zh");
    assert!(
        x.text.starts_with("美国对英伟达最先进的"),
        "{}",
        &x.text[..60]
    );
    assert!(x.text.ends_with("损人害己。"));
    assert!(!x.text.contains("黄仁勋接受美国福克斯新闻采访视频截图"));
    assert_eq!(x.images.len(), 1);
    assert_eq!(x.images[0].caption, "黄仁勋接受美国福克斯新闻采访视频截图");
    assert!(!x.text.contains("创始人"));
    assert!(!x.text.lines().any(|l| l.trim() == "0"));
    assert!(!x.text.contains("相关内容") && !x.text.contains("热门资讯"));
    assert!(!x.text.contains("美的置业"));
    let related: Vec<_> = x
        .listed_items
        .iter()
        .filter(|i| i.section == "相关内容")
        .collect();
    let hot: Vec<_> = x
        .listed_items
        .iter()
        .filter(|i| i.section == "热门资讯")
        .collect();
    assert_eq!(related.len(), 9);
    assert_eq!(hot.len(), 10);
    assert_eq!(related[0].title, "美的置业集团14.4亿中期...");
    assert!(related[0].snippet.starts_with("观点网讯:1月20日"));
    assert_eq!(
        related[0].published_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-01-20T16:00:42+08:00")
    );
    assert_eq!(
        related[8].published_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-01-20T16:00:33+08:00")
    );
    assert_eq!(hot[0].title, "财政部、国家发改委、工信部、央...");
    assert!(hot[0].snippet.starts_with("据新华社消息"));
    assert!(hot[9].snippet.ends_with("(科股宝播报)"));
    insta::assert_json_snapshot!("seed_000", x);
}
