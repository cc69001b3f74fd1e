//! Time expressions in Chinese news text, resolved to instants.
//!
//! News text dates itself loosely: `2026年1月20日` and `2026-01-20 16:00:42`
//! are absolute, but most flash items say `1月20日` (year left to the reader),
//! `13点18分` (day left to the reader), `昨日`, `3小时前` or `周二`, and the
//! agency dateline `新华社北京1月20日电` carries the story's date. Every one
//! of them is resolved against a **reference time** — the item's publish
//! time — and a [`Zone`] for wall-clock times, and returned with its byte
//! span so callers can show or strip it.
//!
//! Year-first absolute forms are read by [`huiwen_core::timestamp`], the same
//! reader feeds use, so one form is never read two ways.
//!
//! A vague part of day (`今天上午`, `昨晚`) resolves to the start of that part
//! ([`day_part_start`]): an instant must be one point, and the start keeps
//! "this happened after X" comparisons safe.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveTime};
use huiwen_core::time::Zone;
use huiwen_core::timestamp::{parse_timestamp, TimestampContext};
use regex::{Captures, Regex};
use serde::Serialize;
use std::sync::LazyLock;

/// One time expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeMatch {
    /// The expression as written (`1月20日 13:18`, `3小时前`).
    pub text: String,
    /// Byte offset of the expression in the input.
    pub start: usize,
    /// Byte offset just past the expression.
    pub end: usize,
    /// The instant it denotes, in the zone's offset (or the offset written).
    pub instant: DateTime<FixedOffset>,
}

const DAY_PART: &str =
    r"凌晨|清晨|早上|早晨|早间|上午|中午|午间|午后|下午|傍晚|晚上|晚间|夜间|夜里|深夜";
/// `13:18[:05]`, `13点[18分[5秒]]`, `13时18分`, `3点半`.
const CLOCK: &str = r"(?P<h>\d{1,2})(?:[:：](?P<m>\d{2})(?:[:：](?P<s>\d{2}))?|[点时](?:(?P<m2>\d{1,2})分(?:(?P<s2>\d{1,2})秒)?|(?P<half>半)|整)?)";

/// One pattern per form (the regex crate wants group names unique, and the
/// forms share the clock groups); [`find_times`] keeps the leftmost, then
/// longest, matches so they never overlap.
static TIME_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let tail = format!(r"(?:\s*(?P<part>{DAY_PART}))?(?:\s*{CLOCK})?");
    let pattern = [
        // Year-first absolute, with an optional time and offset: read by core.
        r"(?P<abs>\d{4}\s*[-/年]\s*\d{1,2}\s*[-/月]\s*\d{1,2}(?:\s*日)?(?:(?:\s*|T)\d{1,2}[:：点时]\d{1,2}(?:[:：分]\d{1,2}(?:\.\d+)?秒?)?分?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?)"
            .to_string(),
        // Month and day, the year inferred; `今年`/`去年` pin it.
        format!(
            r"(?P<md>(?P<yword>今年|去年|明年)?(?P<mo>\d{{1,2}})月(?P<d>\d{{1,2}})[日号](?P<dian>电)?{tail})"
        ),
        // Relative day words.
        format!(
            r"(?P<rel>(?P<day>今天|今日|今晨|今早|今晚|昨天|昨日|昨晚|昨夜|前天|前日|明天|明日|明晚|后天){tail})"
        ),
        // Weekdays, this week unless 上/下 says otherwise.
        format!(
            r"(?P<wk>(?P<wshift>上上|上|本|这|下)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天]){tail})"
        ),
        // `3小时前`, `两天前`, `半小时前`.
        r"(?P<ago>(?P<n>\d+|[一二两三四五六七八九十]+|半)\s*(?P<unit>秒钟|秒|分钟|个小时|小时|天|日|周|星期|个月|年)前)".to_string(),
        r"(?P<just>刚刚)".to_string(),
        r"(?P<period>上周|本周|这周|下周|上个月|上月|本月|下个月|下月)".to_string(),
        // A time of day alone, on the reference day.
        format!(r"(?P<tod>(?:(?P<tpart>{DAY_PART})\s*)?{CLOCK})"),
    ];
    pattern
        .iter()
        .map(|p| Regex::new(p).expect("the time patterns are constants"))
        .collect()
});

/// Finds the time expressions of `text` and resolves each to an instant.
///
/// `reference` is the time the text was written (its publish time): `昨日`,
/// `3小时前` and a `1月20日` without a year are read relative to it.
/// Wall-clock times are read in `zone`. Expressions that name no valid
/// date (`2月30日`, `25点`) and bare numbers that only look like clock times
/// (`上调45.00点`, index points) are left out.
pub fn find_times(text: &str, reference: DateTime<FixedOffset>, zone: Zone) -> Vec<TimeMatch> {
    let reference_local = zone.convert(&reference);
    let mut found = Vec::new();
    for re in TIME_RES.iter() {
        for caps in re.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            if !clean_left_edge(text, whole.start()) || !clean_right_edge(text, whole.end()) {
                continue;
            }
            if let Some((instant, start, end)) =
                resolve(text, &caps, reference, reference_local, zone)
            {
                let end = start + text[start..end.max(start)].trim_end().len();
                found.push(TimeMatch {
                    text: text[start..end].to_string(),
                    start,
                    end,
                    instant,
                });
            }
        }
    }
    // Leftmost first, the longest at one start; drop what overlaps a kept one.
    found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out: Vec<TimeMatch> = Vec::with_capacity(found.len());
    for m in found {
        if out.last().is_none_or(|last| m.start >= last.end) {
            out.push(m);
        }
    }
    out
}

/// The first time expression of `text`, for a metadata field that holds
/// one date (`发布时间：2026-01-20 16:00`).
pub fn parse_time(
    text: &str,
    reference: DateTime<FixedOffset>,
    zone: Zone,
) -> Option<DateTime<FixedOffset>> {
    find_times(text, reference, zone)
        .into_iter()
        .next()
        .map(|m| m.instant)
}

/// A match must not start in the middle of a number (`120:30` is not
/// `20:30`, `2.13:26` is not `13:26`).
fn clean_left_edge(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    match before.next() {
        Some(c) if c.is_ascii_digit() || c == '.' => false,
        // `12:13:26` is not `13:26`, but `表示：今天` is `今天`.
        Some(':' | '：') => !before.next().is_some_and(|c| c.is_ascii_digit()),
        _ => true,
    }
}

/// Nor end inside one (`13:265`, `1月20日` ok, `3.5点` rejected elsewhere).
fn clean_right_edge(text: &str, end: usize) -> bool {
    !text[end..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '%')
}

fn resolve(
    text: &str,
    caps: &Captures<'_>,
    reference: DateTime<FixedOffset>,
    reference_local: DateTime<FixedOffset>,
    zone: Zone,
) -> Option<(DateTime<FixedOffset>, usize, usize)> {
    let whole = caps.get(0)?;
    let (start, end) = (whole.start(), whole.end());
    let today = reference_local.date_naive();

    if let Some(abs) = caps.name("abs") {
        let cleaned: String = abs
            .as_str()
            .chars()
            .map(|c| match c {
                '点' | '时' | '：' => ':',
                _ => c,
            })
            .filter(|&c| c != '分' && c != '秒')
            .collect();
        let ctx = TimestampContext {
            zone,
            cst_means_china: true,
        };
        let t = parse_timestamp(cleaned.trim_end_matches(':'), ctx)?;
        return Some((t, start, end));
    }
    if caps.name("md").is_some() {
        let month: u32 = caps.name("mo")?.as_str().parse().ok()?;
        let day: u32 = caps.name("d")?.as_str().parse().ok()?;
        let date = match caps.name("yword").map(|m| m.as_str()) {
            Some("今年") => NaiveDate::from_ymd_opt(today.year(), month, day)?,
            Some("去年") => NaiveDate::from_ymd_opt(today.year() - 1, month, day)?,
            Some("明年") => NaiveDate::from_ymd_opt(today.year() + 1, month, day)?,
            _ => nearest_year(today, month, day)?,
        };
        let (time, start, end) = time_tail(text, caps, start, end)?;
        let mut start = start;
        let mut end = end;
        if caps.name("dian").is_some() {
            // A dateline: `财联社5月14日电`, `新华社北京1月20日电` — the outlet
            // and place belong to the expression.
            start = dateline_start(text, caps.name("md")?.start());
            end = end.max(caps.name("dian")?.end());
        }
        return Some((zone.localize(date.and_time(time)), start, end));
    }
    if let Some(day) = caps.name("day") {
        let (shift, implied_part) = match day.as_str() {
            "今天" | "今日" => (0, None),
            "今晨" | "今早" => (0, Some("早上")),
            "今晚" => (0, Some("晚上")),
            "昨天" | "昨日" => (-1, None),
            "昨晚" | "昨夜" => (-1, Some("晚上")),
            "前天" | "前日" => (-2, None),
            "明天" | "明日" => (1, None),
            "明晚" => (1, Some("晚上")),
            "后天" => (2, None),
            _ => return None,
        };
        let date = today + Duration::days(shift);
        let (time, start, end) = time_tail_with(text, caps, start, end, implied_part)?;
        return Some((zone.localize(date.and_time(time)), start, end));
    }
    if let Some(wd) = caps.name("wd") {
        let target = match wd.as_str() {
            "一" => 0,
            "二" => 1,
            "三" => 2,
            "四" => 3,
            "五" => 4,
            "六" => 5,
            _ => 6,
        };
        let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let week_shift = match caps.name("wshift").map(|m| m.as_str()) {
            Some("上上") => -2,
            Some("上") => -1,
            Some("下") => 1,
            Some(_) => 0,
            // A bare weekday in news is this week's, or last week's when
            // that day has not come yet: reports look back.
            None if target > today.weekday().num_days_from_monday() => -1,
            None => 0,
        };
        let date = monday + Duration::days(week_shift * 7 + i64::from(target));
        let (time, start, end) = time_tail(text, caps, start, end)?;
        return Some((zone.localize(date.and_time(time)), start, end));
    }
    if caps.name("ago").is_some() {
        let n = caps.name("n")?.as_str();
        let unit = caps.name("unit")?.as_str();
        let t = if n == "半" {
            match unit {
                "小时" | "个小时" => reference - Duration::minutes(30),
                "天" | "日" => reference - Duration::hours(12),
                "分钟" => reference - Duration::seconds(30),
                _ => return None,
            }
        } else {
            let n = i64::from(small_number(n)?);
            match unit {
                "秒" | "秒钟" => reference - Duration::seconds(n),
                "分钟" => reference - Duration::minutes(n),
                "小时" | "个小时" => reference - Duration::hours(n),
                "天" | "日" => reference - Duration::days(n),
                "周" | "星期" => reference - Duration::weeks(n),
                "个月" => reference.checked_sub_months(Months::new(u32::try_from(n).ok()?))?,
                _ => reference.checked_sub_months(Months::new(u32::try_from(n * 12).ok()?))?,
            }
        };
        return Some((zone.convert(&t), start, end));
    }
    if caps.name("just").is_some() {
        return Some((zone.convert(&reference), start, end));
    }
    if let Some(p) = caps.name("period") {
        let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let first = today.with_day(1)?;
        let date = match p.as_str() {
            "上周" => monday - Duration::days(7),
            "本周" | "这周" => monday,
            "下周" => monday + Duration::days(7),
            "上个月" | "上月" => first.checked_sub_months(Months::new(1))?,
            "本月" => first,
            _ => first.checked_add_months(Months::new(1))?,
        };
        return Some((zone.localize(date.and_time(NaiveTime::MIN)), start, end));
    }
    if caps.name("tod").is_some() {
        // A bare `45点` is index points, not a time: a clock needs minutes,
        // a colon, a part of day or `半`/`整`.
        let has_minutes = caps.name("m").is_some() || caps.name("m2").is_some();
        let has_marker = caps.name("tpart").is_some()
            || caps.name("half").is_some()
            || whole.as_str().ends_with('整');
        if !has_minutes && !has_marker {
            return None;
        }
        let time = clock(caps, caps.name("tpart").map(|m| m.as_str()))?;
        return Some((zone.localize(today.and_time(time)), start, end));
    }
    None
}

/// The time part after a date: a clock time, else the start of the part of
/// day, else midnight. A date followed by a bare hour without minutes
/// (`1月20日3点`) still reads the hour, because after a date it cannot be
/// index points.
fn time_tail(
    text: &str,
    caps: &Captures<'_>,
    start: usize,
    end: usize,
) -> Option<(NaiveTime, usize, usize)> {
    time_tail_with(text, caps, start, end, None)
}

fn time_tail_with(
    _text: &str,
    caps: &Captures<'_>,
    start: usize,
    end: usize,
    implied_part: Option<&str>,
) -> Option<(NaiveTime, usize, usize)> {
    let part = caps.name("part").map(|m| m.as_str()).or(implied_part);
    if caps.name("h").is_some() {
        return Some((clock(caps, part)?, start, end));
    }
    let time = part.map_or(Some(NaiveTime::MIN), day_part_start)?;
    Some((time, start, end))
}

/// A clock time from the `CLOCK` groups; a part of day turns `3点` after
/// `下午` into 15:00 and `12点` after `晚上` into midnight.
fn clock(caps: &Captures<'_>, part: Option<&str>) -> Option<NaiveTime> {
    let mut hour: u32 = caps.name("h")?.as_str().parse().ok()?;
    let minute: u32 = match (caps.name("m").or(caps.name("m2")), caps.name("half")) {
        (Some(m), _) => m.as_str().parse().ok()?,
        (None, Some(_)) => 30,
        (None, None) => 0,
    };
    let second: u32 = match caps.name("s").or(caps.name("s2")) {
        Some(s) => s.as_str().parse().ok()?,
        None => 0,
    };
    match part {
        Some("下午" | "午后" | "傍晚" | "晚上" | "晚间" | "夜间" | "夜里" | "深夜")
            if (1..12).contains(&hour) =>
        {
            hour += 12;
        }
        Some("中午" | "午间") if (1..6).contains(&hour) => hour += 12,
        Some("晚上" | "夜间" | "夜里" | "深夜") if hour == 12 => hour = 0,
        _ => {}
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// Where a vague part of day starts: 凌晨 00:00, 清晨/早上 06:00, 上午 09:00,
/// 中午 12:00, 下午 13:00, 傍晚 17:00, 晚上 19:00, 夜间 21:00, 深夜 23:00.
pub fn day_part_start(part: &str) -> Option<NaiveTime> {
    let hour = match part {
        "凌晨" => 0,
        "清晨" | "早上" | "早晨" | "早间" => 6,
        "上午" => 9,
        "中午" | "午间" => 12,
        "午后" | "下午" => 13,
        "傍晚" => 17,
        "晚上" | "晚间" => 19,
        "夜间" | "夜里" => 21,
        "深夜" => 23,
        _ => return None,
    };
    NaiveTime::from_hms_opt(hour, 0, 0)
}

/// The year that puts `month`/`day` closest to `today`: a December item
/// saying `1月2日` means next January, a January item saying `12月30日`
/// means last December.
fn nearest_year(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    [today.year(), today.year() - 1, today.year() + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - today).num_days().abs())
}

/// The start of a dateline's outlet and place: back over CJK and Latin
/// letters (`新华社北京`, `中新网`, `IT之家`) to the start of the line or the
/// first punctuation, at most 16 characters.
fn dateline_start(text: &str, date_start: usize) -> usize {
    let mut start = date_start;
    for (i, c) in text[..date_start].char_indices().rev().take(16) {
        if huiwen_core::text::is_cjk(c) || c.is_ascii_alphanumeric() {
            start = i;
        } else {
            break;
        }
    }
    start
}

/// `3`, `12`, `三`, `十二`, `两`, `二十`.
fn small_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}
