//! The cheap functions never load jieba's dictionary: the extractor calls
//! them on every page. (Its own test binary, so no other test has loaded
//! the segmenter first.)

use chrono::DateTime;
use huiwen_core::time::Zone;
use huiwen_zh::seg::{cut, segmenter_loaded, Mode};

#[test]
fn attribution_times_and_securities_do_not_load_the_segmenter() {
    let text = "【文/观察者网 陈思佳】财联社5月14日电，13点18分湖南白银(002716)触及涨停。";
    let reference = DateTime::parse_from_rfc3339("2026-05-14T16:00:00+08:00").expect("time");
    assert!(huiwen_zh::parse_attribution(text).outlet.is_some());
    assert!(!huiwen_zh::find_times(text, reference, Zone::default()).is_empty());
    assert!(!huiwen_zh::find_securities(text).is_empty());
    assert!(!huiwen_zh::entities::find_people("首席执行官黄仁勋表示").is_empty());
    assert!(
        !segmenter_loaded(),
        "a cheap function loaded the dictionary"
    );
    assert!(!cut(text, Mode::Coarse).is_empty());
    assert!(segmenter_loaded());
}
