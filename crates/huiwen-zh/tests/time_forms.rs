//! The time-expression table: real forms from the finance-flash corpus
//! (`data/time-forms.tsv`, excerpts around each expression with the item's
//! publish time as the reference; regenerate with
//! `python3 tests/data/gen-time-forms.py` from `../shared`), the seed page,
//! and the relative forms the corpora rarely use.

use chrono::{DateTime, FixedOffset};
use huiwen_core::time::Zone;
use huiwen_zh::time::find_times;

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test times are RFC 3339")
}

/// Checks that `input` holds a match with exactly `text` and `instant`.
fn check(reference: &str, input: &str, text: &str, instant: &str) -> Result<(), String> {
    let found = find_times(input, t(reference), Zone::default());
    if found
        .iter()
        .any(|m| m.text == text && m.instant == t(instant) && &input[m.start..m.end] == text)
    {
        Ok(())
    } else {
        let got: Vec<String> = found
            .iter()
            .map(|m| format!("{}={}", m.text, m.instant.to_rfc3339()))
            .collect();
        Err(format!(
            "{input:?} (ref {reference}): want {text}={instant}, got {got:?}"
        ))
    }
}

#[test]
fn real_forms_from_the_flash_corpus() {
    let table = include_str!("data/time-forms.tsv");
    let mut n = 0;
    let mut wrong = Vec::new();
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "bad row {line:?}");
        n += 1;
        if let Err(e) = check(f[0], f[1], f[2], f[3]) {
            wrong.push(e);
        }
    }
    assert!(
        n >= 150,
        "the table must hold at least 150 real forms, has {n}"
    );
    assert!(
        wrong.is_empty(),
        "{} of {n} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn forms_from_the_seed_page_and_relative_forms() {
    // The seed page was published 2026-01-20 16:00 +08:00 (a Tuesday).
    let r = "2026-01-20T16:00:42+08:00";
    let table: &[(&str, &str, &str)] = &[
        (
            "2026-01-20 16:00:42",
            "2026-01-20 16:00:42",
            "2026-01-20T16:00:42+08:00",
        ),
        (
            "2025-11-04 02:46:13",
            "2025-11-04 02:46:13",
            "2025-11-04T02:46:13+08:00",
        ),
        (
            "以下为2026年1月20日的银行承兑汇票",
            "2026年1月20日",
            "2026-01-20T00:00:00+08:00",
        ),
        (
            "观点网讯：1月20日，美的置业",
            "1月20日",
            "2026-01-20T00:00:00+08:00",
        ),
        (
            "中新网1月20日电 据央行网站消息",
            "中新网1月20日电",
            "2026-01-20T00:00:00+08:00",
        ),
        (
            "新华社北京1月20日电",
            "新华社北京1月20日电",
            "2026-01-20T00:00:00+08:00",
        ),
        (
            "证券之星1月20日盘中消息，13点18分湖南白银",
            "13点18分",
            "2026-01-20T13:18:00+08:00",
        ),
        (
            "该股今日于13:26封涨停",
            "13:26",
            "2026-01-20T13:26:00+08:00",
        ),
        (
            "周二亚洲交易时段，美元兑加元",
            "周二",
            "2026-01-20T00:00:00+08:00",
        ),
        (
            "上周，在投资者评估日本可能提前举行选举",
            "上周",
            "2026-01-12T00:00:00+08:00",
        ),
        (
            "预计日本央行将于周五上调经济增长预期",
            "周五",
            "2026-01-16T00:00:00+08:00",
        ),
        (
            "自2026年2月1日起正式施行",
            "2026年2月1日",
            "2026-02-01T00:00:00+08:00",
        ),
        (
            "当地时间11月2日，黄仁勋接受",
            "11月2日",
            "2025-11-02T00:00:00+08:00",
        ),
        (
            "10月28日，黄仁勋在美国华盛顿",
            "10月28日",
            "2025-10-28T00:00:00+08:00",
        ),
        ("3小时前", "3小时前", "2026-01-20T13:00:42+08:00"),
        ("发布于两天前", "两天前", "2026-01-18T16:00:42+08:00"),
        ("半小时前更新", "半小时前", "2026-01-20T15:30:42+08:00"),
        ("10分钟前", "10分钟前", "2026-01-20T15:50:42+08:00"),
        ("刚刚", "刚刚", "2026-01-20T16:00:42+08:00"),
        ("昨日收盘", "昨日", "2026-01-19T00:00:00+08:00"),
        ("今天上午发布", "今天上午", "2026-01-20T09:00:00+08:00"),
        ("昨天下午3点", "昨天下午3点", "2026-01-19T15:00:00+08:00"),
        ("今晚8点半", "今晚8点半", "2026-01-20T20:30:00+08:00"),
        ("明日凌晨", "明日凌晨", "2026-01-21T00:00:00+08:00"),
        ("下周三", "下周三", "2026-01-28T00:00:00+08:00"),
        ("上周五", "上周五", "2026-01-16T00:00:00+08:00"),
        ("本月", "本月", "2026-01-01T00:00:00+08:00"),
        ("上个月", "上个月", "2025-12-01T00:00:00+08:00"),
        ("去年12月30日", "去年12月30日", "2025-12-30T00:00:00+08:00"),
        ("12月30日", "12月30日", "2025-12-30T00:00:00+08:00"),
        (
            "1月20日 13:18",
            "1月20日 13:18",
            "2026-01-20T13:18:00+08:00",
        ),
        ("1月20日晚间", "1月20日晚间", "2026-01-20T19:00:00+08:00"),
        (
            "2026/01/20 13:18",
            "2026/01/20 13:18",
            "2026-01-20T13:18:00+08:00",
        ),
        (
            "2026年1月20日13点18分",
            "2026年1月20日13点18分",
            "2026-01-20T13:18:00+08:00",
        ),
        (
            "2026-01-20T08:00:00Z",
            "2026-01-20T08:00:00Z",
            "2026-01-20T08:00:00+00:00",
        ),
        ("下午3点", "下午3点", "2026-01-20T15:00:00+08:00"),
        ("晚上12点", "晚上12点", "2026-01-20T00:00:00+08:00"),
    ];
    let wrong: Vec<String> = table
        .iter()
        .filter_map(|(input, text, instant)| check(r, input, text, instant).err())
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn numbers_that_only_look_like_times_are_not_times() {
    let r = t("2026-01-20T16:00:42+08:00");
    for input in [
        "人民币兑美元中间价报7.0006，上调45.00点",
        "上证指数涨30点",
        "比分3:1",
        "2月30日",
        "25:61",
        "持股比例为30.78%",
        "120:30",
    ] {
        let found = find_times(input, r, Zone::default());
        assert!(found.is_empty(), "{input:?} gave {found:?}");
    }
}

#[test]
fn times_carry_the_zone_offset_and_spans() {
    let r = t("2026-01-20T08:00:00+00:00");
    let london: Zone = "Europe/London".parse().expect("zone");
    let found = find_times("会议于13:26开始", r, london);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].instant.to_rfc3339(), "2026-01-20T13:26:00+00:00");
    assert_eq!(&"会议于13:26开始"[found[0].start..found[0].end], "13:26");
}
