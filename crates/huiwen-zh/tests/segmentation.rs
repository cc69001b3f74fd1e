//! Segmentation: tokens kept whole, normalisation, modes, and the SIGHAN
//! 2005 PKU/MSR scores with and without the finance dictionary.

use huiwen_zh::eval::{score_segmentation, SegScore};
use huiwen_zh::seg::{segmenter, Mode, Segmenter, FINANCE_DICT};
use std::collections::HashSet;
use std::path::PathBuf;

fn words(text: &str, mode: Mode) -> Vec<String> {
    segmenter()
        .words(text, mode)
        .into_iter()
        .map(|t| t.text.to_string())
        .collect()
}

#[test]
fn numbers_tickers_and_latin_digit_mixes_stay_whole() {
    let w = words(
        "13点18分湖南白银(002716)触及涨停，13:26汇丰控股(0005.HK)涨3.5%，英伟达H20芯片与5G，现货黄金突破4710美元/盎司",
        Mode::Coarse,
    );
    for whole in [
        "13点18分",
        "13:26",
        "002716",
        "0005.HK",
        "H20",
        "5G",
        "3.5%",
        "4710美元",
        "湖南白银",
        "现货黄金",
    ] {
        assert!(w.iter().any(|x| x == whole), "{whole} not whole in {w:?}");
    }
}

#[test]
fn search_mode_adds_the_parts_of_long_words() {
    let coarse = words("现货黄金突破4710美元", Mode::Coarse);
    let search = words("现货黄金突破4710美元", Mode::Search);
    assert!(coarse.contains(&"4710美元".to_string()));
    for part in ["4710", "美元", "4710美元", "黄金"] {
        assert!(
            search.iter().any(|x| x == part),
            "{part} missing from {search:?}"
        );
    }
    assert!(search.len() > coarse.len());
}

#[test]
fn normalised_for_matching_original_for_display() {
    let text = "ＡＩ晶片與輝達（ＮＶＤＡ）";
    let tokens = segmenter().words(text, Mode::Coarse);
    let norms: Vec<String> = tokens.iter().map(|t| t.norm().into_owned()).collect();
    assert!(norms.iter().any(|n| n == "nvda"), "{norms:?}");
    assert!(
        norms.iter().any(|n| n.contains("辉达") || n == "辉"),
        "{norms:?}"
    );
    for t in &tokens {
        assert_eq!(&text[t.start..t.end], t.text);
    }
    let display: String = tokens.iter().map(|t| t.text).collect();
    assert!(display.contains("ＮＶＤＡ"));
}

#[test]
fn spans_tile_the_text() {
    let text = "【纽约期银日内大涨5%】财联社5月14日电，现货白银日内涨幅达3%，现报89.11美元/盎司。";
    let tokens = segmenter().cut(text, Mode::Coarse);
    let joined: String = tokens.iter().map(|t| t.text).collect();
    assert_eq!(joined, text);
}

fn icwb2() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/seg/icwb2/gold")
}

fn score(corpus: &str, seg: &Segmenter) -> SegScore {
    let dir = icwb2();
    let gold = std::fs::read_to_string(dir.join(format!("{corpus}_test_gold.utf8")))
        .expect("icwb2 gold data in ../shared");
    let train = std::fs::read_to_string(dir.join(format!("{corpus}_training_words.utf8")))
        .expect("icwb2 training words in ../shared");
    let words: HashSet<&str> = train.lines().map(str::trim).collect();
    score_segmentation(seg, &gold, &words)
}

#[test]
fn finance_dictionary_costs_at_most_half_a_point_of_f1() {
    let plain = Segmenter::plain();
    let finance = Segmenter::with_user_dict(FINANCE_DICT).expect("shipped dictionary loads");
    for corpus in ["pku", "msr"] {
        let without = score(corpus, &plain);
        let with = score(corpus, &finance);
        assert!(
            without.gold_words > 100_000,
            "{corpus}: gold data incomplete"
        );
        // Sanity floors: jieba scores about 0.82 on both.
        assert!(with.f1 > 0.80, "{corpus}: F1 {:.4}", with.f1);
        assert!(
            with.oov_recall > 0.5,
            "{corpus}: OOV recall {:.4}",
            with.oov_recall
        );
        assert!(
            with.f1 >= without.f1 - 0.005,
            "{corpus}: finance dictionary lowers F1 from {:.4} to {:.4}",
            without.f1,
            with.f1
        );
    }
}

#[test]
fn the_shipped_dictionary_loads_and_knows_finance_words() {
    let seg = Segmenter::with_user_dict(FINANCE_DICT).expect("shipped dictionary loads");
    for w in ["湖南白银", "金融监管总局", "纽约期银", "科创50"] {
        assert!(
            seg.jieba()
                .has_word(&huiwen_zh::normalize::normalize_keep_case(w)),
            "{w} missing from the finance dictionary"
        );
    }
}
