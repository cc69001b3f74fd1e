//! Snippets, summaries, titles and keywords on real items.

use huiwen_core::text::display_width;
use huiwen_zh::keywords::{textrank, tfidf};
use huiwen_zh::snippet::{snippet, summary, title};

const GOLD: &str = "每经AI快讯，1月20日，现货黄金突破4710美元/盎司，日内涨0.86%。每日经济新闻";
const HSBC: &str = "入选了2026年格隆汇“全球视野”十大核心资产的汇丰控股(0005.HK)，是全球规模最大的银行及金融服务机构之一，业务遍及欧洲、亚洲、中东及北非、北美洲和拉丁美洲。";
const CLS: &str = "【纽约期银日内大涨5%】财联社5月14日电，现货白银日内涨幅达3%，现报89.11美元/盎司。纽约期银日内大涨5%，现报89.88美元/盎司。";

#[test]
fn snippets_fit_the_width_and_end_with_one_ellipsis() {
    for text in [GOLD, HSBC, CLS] {
        for width in [10, 17, 24, 33, 40, 61, 80] {
            let s = snippet(text, width);
            assert!(display_width(&s) <= width, "{s:?} is wider than {width}");
            assert!(s.matches('…').count() <= 1, "{s:?}");
            if display_width(text) > width {
                assert!(s.ends_with('…'), "{s:?}");
            }
        }
    }
    assert_eq!(snippet("短文本。", 40), "短文本。");
}

#[test]
fn snippets_never_cut_inside_a_number_or_ticker() {
    for width in 20..90 {
        for text in [GOLD, HSBC, CLS] {
            let s = snippet(text, width);
            let kept = s.trim_end_matches('…');
            for whole in [
                "4710美元",
                "0005.HK",
                "0.86%",
                "89.11美元",
                "89.88美元",
                "2026年",
            ] {
                // Either the whole token is kept or none of it is.
                if let Some(pos) = text.find(whole) {
                    if kept.len() > pos {
                        assert!(
                            kept.len() >= pos + whole.len(),
                            "width {width}: {s:?} cuts inside {whole}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn snippets_prefer_a_sentence_then_a_clause() {
    // The first sentence takes 81 columns: at 100 the cut is its end, at
    // 80 the last clause that fits.
    assert_eq!(
        display_width(
            "【纽约期银日内大涨5%】财联社5月14日电，现货白银日内涨幅达3%，现报89.11美元/盎司。"
        ),
        81
    );
    let s = snippet(CLS, 100);
    assert_eq!(
        s,
        "【纽约期银日内大涨5%】财联社5月14日电，现货白银日内涨幅达3%，现报89.11美元/盎司…"
    );
    let s = snippet(CLS, 80);
    assert_eq!(
        s,
        "【纽约期银日内大涨5%】财联社5月14日电，现货白银日内涨幅达3%…"
    );
    let s = snippet(HSBC, 60);
    assert!(
        s.ends_with("(0005.HK)…") || s.ends_with("，…") || !s.contains('，') || s.ends_with('…')
    );
    assert!(
        !s.contains("，…"),
        "the clause mark is dropped before the ellipsis: {s:?}"
    );
}

#[test]
fn summaries_skip_datelines_and_attribution() {
    assert_eq!(
        summary(GOLD, 60),
        "1月20日，现货黄金突破4710美元/盎司，日内涨0.86%。"
    );
    assert_eq!(
        summary(CLS, 60),
        "现货白银日内涨幅达3%，现报89.11美元/盎司。纽约期银日内大涨5%，现报89.88美元/盎司。"
    );
    assert_eq!(
        summary(
            "【文/观察者网 陈思佳】美国对英伟达芯片实施了出口管制。黄仁勋依然惦记着中国市场。",
            20
        ),
        "美国对英伟达芯片实施了出口管制。"
    );
}

#[test]
fn untitled_flash_items_take_their_lead() {
    assert_eq!(title(Some(""), CLS).as_deref(), Some("纽约期银日内大涨5%"));
    assert_eq!(title(Some("给定标题"), CLS).as_deref(), Some("给定标题"));
    // A byline in brackets is not a headline.
    assert_eq!(
        title(None, "【文/观察者网 陈思佳】美国对英伟达实施了出口管制。").as_deref(),
        Some("美国对英伟达实施了出口管制")
    );
    assert_eq!(
        title(
            None,
            "财联社5月14日电，谷歌日内涨幅扩大至3%，报399.01美元/股。"
        )
        .as_deref(),
        Some("谷歌日内涨幅扩大至3%，报399.01美元/股")
    );
}

#[test]
fn keywords_are_the_story_not_the_boilerplate() {
    let text = "【黄仁勋：中国能生产数百万颗AI芯片】美国对英伟达最先进的人工智能芯片实施了对华出口管制，但英伟达首席执行官黄仁勋依然惦记着中国市场。黄仁勋称，中国现在能生产数百万颗AI芯片。英伟达曾被禁止对华出口H20芯片。";
    let tf: Vec<String> = tfidf(text, 5).into_iter().map(|k| k.word).collect();
    let tr: Vec<String> = textrank(text, 5).into_iter().map(|k| k.word).collect();
    for list in [&tf, &tr] {
        assert!(
            list.iter().any(|w| w == "英伟达" || w == "黄仁勋"),
            "{list:?}"
        );
        assert!(list.iter().any(|w| w == "芯片"), "{list:?}");
        for boiler in ["的", "了", "财联社", "称", "3%", "H20芯片"] {
            assert!(!list.iter().any(|w| w == boiler), "{boiler} in {list:?}");
        }
    }
    let weights: Vec<f32> = tfidf(text, 5).into_iter().map(|k| k.weight).collect();
    assert!(
        weights.windows(2).all(|w| w[0] >= w[1]),
        "sorted best first: {weights:?}"
    );
}
