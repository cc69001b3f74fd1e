//! Entities from real items (the seed page and the flash corpus), and the
//! goal measured against the corpus's `stocks` labels.

use flate2::read::GzDecoder;
use huiwen_zh::entities::{find_entities, find_securities, market_of, Entity, EntityKind};
use huiwen_zh::eval::{score_entities, LabelledItem};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

fn security<'a>(found: &'a [Entity], name: &str) -> &'a Entity {
    found
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} not found in {found:?}"))
}

#[test]
fn markets_follow_the_code() {
    for (code, market) in [
        ("600519", "SH"),
        ("601995", "SH"),
        ("603268", "SH"),
        ("605499", "SH"),
        ("688256", "SH"),
        ("000408", "SZ"),
        ("001979", "SZ"),
        ("002716", "SZ"),
        ("003816", "SZ"),
        ("300750", "SZ"),
        ("301358", "SZ"),
        ("830799", "BJ"),
        ("430047", "BJ"),
        ("920218", "BJ"),
        ("0005", "HK"),
        ("00700", "HK"),
        ("NVDA", "US"),
    ] {
        assert_eq!(market_of(code), market, "{code}");
    }
}

#[test]
fn securities_in_real_items() {
    // (text, name, code, market)
    let table: &[(&str, &str, &str, &str)] = &[
        (
            "证券之星1月20日盘中消息，13点18分湖南白银(002716)触及涨停板。",
            "湖南白银",
            "002716",
            "SZ",
        ),
        (
            "入选了2026年格隆汇“全球视野”十大核心资产的汇丰控股(0005.HK)",
            "汇丰控股",
            "0005",
            "HK",
        ),
        (
            "财联社5月21日电，湖南裕能(301358.SZ)公告称，公司拟筹划发行H股",
            "湖南裕能",
            "301358",
            "SZ",
        ),
        (
            "财联社6月14日电，松发股份(603268.SH)公告称，公司近日收到中国证监会批复",
            "松发股份",
            "603268",
            "SH",
        ),
        (
            "截至发稿，脑动极光-B(06681.HK)涨28.52%",
            "脑动极光-b",
            "06681",
            "HK",
        ),
        ("美股芯片股走强，英伟达(NVDA)涨超3%", "英伟达", "NVDA", "US"),
        (
            "顺丰控股(06936.HK)发布公告，于2026年回购A股",
            "顺丰控股",
            "06936",
            "HK",
        ),
    ];
    for (text, name, code, market) in table {
        let found = find_securities(text);
        let e = security(&found, name);
        assert_eq!(e.code.as_deref(), Some(*code), "{text}");
        assert_eq!(e.market.as_deref(), Some(*market), "{text}");
        assert_eq!(e.kind, EntityKind::Stock);
        assert_eq!(&text[e.start..e.end], e.text);
    }
}

#[test]
fn a_name_takes_the_code_quoted_elsewhere_in_the_text() {
    let found = find_securities("【湖南白银触及涨停】13点18分湖南白银(002716)触及涨停板。");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().all(|e| e.code.as_deref() == Some("002716")),
        "{found:?}"
    );
}

#[test]
fn a_suffixed_code_in_brackets_is_not_a_second_entity() {
    let text = "【天成自控：子公司获知名合资车企乘用车座椅骨架项目定点】财联社5月14日电，天成自控(603085.SH)公告称，全资子公司武汉天成被某知名合资汽车企业确定为乘用车座椅骨架项目定点供应商。";
    let found = find_securities(text);
    assert_eq!(found.len(), 2, "{found:?}");
    for e in &found {
        assert_eq!(e.name, "天成自控", "{found:?}");
        assert_eq!(e.code.as_deref(), Some("603085"), "{found:?}");
        assert_eq!(e.market.as_deref(), Some("SH"), "{found:?}");
    }
}

#[test]
fn a_bracket_without_a_code_is_not_a_quote() {
    // 机器人 is a board label; a count or an English gloss in brackets
    // after it is not a code.
    let found = find_securities(
        "若在2027年12月31日前完成第一批次机器人（共计300台）的全部交付并满足收入确认条件",
    );
    assert!(found.iter().all(|e| e.name != "机器人"), "{found:?}");
    // With a code it is the security.
    let found = find_securities("人形机器人概念走强，埃斯顿(002747)涨停");
    assert!(
        found
            .iter()
            .any(|e| e.name == "埃斯顿" && e.code.as_deref() == Some("002747")),
        "{found:?}"
    );
}

#[test]
fn names_that_are_ordinary_words_need_a_market_context() {
    // 机器人 is also a board label; in a sentence about a company's robot
    // business it is not a security.
    let found = find_securities("目前其机器人业务团队约100人（含原有无人机团队）。");
    assert!(found.iter().all(|e| e.name != "机器人"), "{found:?}");
    // `PP` must not be cut out of `APP`.
    let found = find_securities("企查查APP显示，近日，宣城海螺新型建材有限公司成立");
    assert!(found.iter().all(|e| e.name != "pp"), "{found:?}");
    // A listed name inside a longer company name is that company, not the stock.
    let found = find_securities("拟设立浙江甬金精工科技有限公司");
    assert!(found.iter().all(|e| e.name != "精工科技"), "{found:?}");
    // In a list of movers the labellers tag, and so do we.
    let found = find_securities("期市早盘，甲醇、LPG涨超4%，燃油、原油涨超3%。");
    assert!(
        found
            .iter()
            .any(|e| e.name == "甲醇" && e.kind == EntityKind::Commodity),
        "{found:?}"
    );
}

#[test]
fn people_with_titles_from_the_seed_page() {
    let text = "但英伟达首席执行官黄仁勋依然惦记着中国市场。中国外交部发言人郭嘉昆此前表示，中方已多次表明严正立场。";
    let found = find_entities(text);
    let people: Vec<(&str, Option<&str>)> = found
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .map(|e| (e.name.as_str(), e.title.as_deref()))
        .collect();
    assert!(
        people.contains(&("黄仁勋", Some("首席执行官"))),
        "{people:?}"
    );
    assert!(people.contains(&("郭嘉昆", Some("发言人"))), "{people:?}");
    let nvidia = security(&found, "英伟达");
    assert_eq!(nvidia.code.as_deref(), Some("NVDA"));
}

#[test]
fn places_and_organisations() {
    let found = find_entities(
        "10月28日，黄仁勋在美国华盛顿举行的首届英伟达开发者大会上声称，中国人民银行将开展操作。",
    );
    let kinds = |k: EntityKind| -> Vec<&str> {
        found
            .iter()
            .filter(|e| e.kind == k)
            .map(|e| e.name.as_str())
            .collect()
    };
    assert!(kinds(EntityKind::Place).contains(&"华盛顿"), "{found:?}");
    assert!(
        kinds(EntityKind::Org).contains(&"中国人民银行")
            || kinds(EntityKind::Place).contains(&"美国"),
        "{found:?}"
    );
}

/// The flash items whose `stocks` labels are names (财联社, 同花顺).
fn name_labelled_items() -> Vec<LabelledItem> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/news/finance-flash.dev.jsonl.gz");
    let file = std::fs::File::open(&path).expect("the flash corpus in ../shared");
    let mut out = Vec::new();
    for line in BufReader::new(GzDecoder::new(file)).lines() {
        let line = line.expect("readable corpus");
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let field = |v: &serde_json::Value, k: &str| {
            v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string()
        };
        if field(&v, "source") == "eastmoney" {
            continue;
        }
        let labels: Vec<(String, String)> = v
            .get("stocks")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
            .map(|s| (field(s, "name"), field(s, "code")))
            .collect();
        if labels.is_empty() {
            continue;
        }
        out.push(LabelledItem {
            text: format!("{}\n{}", field(&v, "title"), field(&v, "content")),
            labels,
        });
    }
    out
}

#[test]
fn recall_and_precision_against_the_corpus_labels() {
    let items = name_labelled_items();
    assert!(items.len() > 10_000, "corpus incomplete: {}", items.len());
    let stock = [EntityKind::Stock];
    let all = score_entities(&items, &stock);
    assert!(all.recall() >= 0.95, "recall {:.4}", all.recall());
    // The labels name an item's subject; market wrap-ups label only the
    // index while naming dozens of stocks, which costs most of what is
    // left (bench/README.md).
    assert!(all.precision() >= 0.90, "precision {:.4}", all.precision());
    let listed: Vec<LabelledItem> = items.into_iter().filter(|i| i.labels.len() >= 2).collect();
    let several = score_entities(&listed, &stock);
    assert!(
        several.precision() >= 0.90,
        "precision on multi-label items {:.4}",
        several.precision()
    );
    assert!(
        several.recall() >= 0.95,
        "recall on multi-label items {:.4}",
        several.recall()
    );
}
