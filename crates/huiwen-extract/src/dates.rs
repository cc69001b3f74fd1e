//! Dates written on the page (`2025-11-04 02:46:13`, `2005年07月31日 12:30`,
//! `2024/5/16`): found by a small scanner, read by
//! `huiwen_core::timestamp::parse_timestamp`.

use chrono::{DateTime, FixedOffset};
use huiwen_core::timestamp::{parse_timestamp, TimestampContext};

/// A date found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// Byte range in the scanned text.
    pub start: usize,
    pub end: usize,
    pub instant: DateTime<FixedOffset>,
    /// Whether a time of day was written.
    pub has_time: bool,
}

fn digits(b: &[u8], at: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let mut n = 0u32;
    let mut i = at;
    while i < b.len() && i - at < max && b[i].is_ascii_digit() {
        n = n * 10 + u32::from(b[i] - b'0');
        i += 1;
    }
    if i - at < min || (i < b.len() && b[i].is_ascii_digit()) {
        return None;
    }
    Some((n, i))
}

/// One of the separators, returning the position after it.
fn sep(text: &str, at: usize, seps: &[&str]) -> Option<usize> {
    let rest = text.get(at..)?;
    let trimmed = rest.trim_start_matches(' ');
    let skipped = rest.len() - trimmed.len();
    if skipped > 1 {
        return None;
    }
    seps.iter()
        .find(|s| trimmed.starts_with(**s))
        .map(|s| at + skipped + s.len())
}

/// Every plausible date (years 1990–2099) in `text`, in order: numeric and
/// Chinese (`2025-11-04 02:46`, `2005年7月31日`) and English (`March 5,
/// 2024`, `5 Mar 2024`).
pub fn find_dates(text: &str, ctx: TimestampContext) -> Vec<FoundDate> {
    let mut out = find_numeric_dates(text, ctx);
    let dmy = find_day_first_dates(text, ctx);
    if !dmy.is_empty() {
        out.extend(dmy);
        out.sort_by_key(|d| d.start);
    }
    if text.is_ascii() || text.bytes().any(|c| c.is_ascii_alphabetic()) {
        let english = find_english_dates(text, ctx);
        if !english.is_empty() {
            out.extend(english);
            out.sort_by_key(|d| d.start);
        }
    }
    out
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month name or abbreviation at `at` (`Mar`, `Mar.`, `March`, `Sept`).
fn month_at(b: &[u8], at: usize) -> Option<(u32, usize)> {
    if at > 0 && b[at - 1].is_ascii_alphabetic() {
        return None;
    }
    let mut end = at;
    while end < b.len() && b[end].is_ascii_alphabetic() && end - at < 10 {
        end += 1;
    }
    if end - at < 3 || (end < b.len() && b[end].is_ascii_alphabetic()) {
        return None;
    }
    let word = std::str::from_utf8(&b[at..end]).ok()?.to_ascii_lowercase();
    let m = MONTHS.iter().position(|m| {
        *m == word
            || (word.len() >= 3
                && m.starts_with(word.as_str())
                && (word.len() == 3 || word == "sept"))
    })?;
    let mut p = end;
    if p < b.len() && b[p] == b'.' {
        p += 1;
    }
    Some((m as u32 + 1, p))
}

fn spaces(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && (b[p] == b' ' || b[p] == b'\t') {
        p += 1;
    }
    p
}

fn ordinal_suffix(b: &[u8], p: usize) -> usize {
    for s in [&b"st"[..], b"nd", b"rd", b"th"] {
        if b[p..].starts_with(s) && !b.get(p + 2).is_some_and(u8::is_ascii_alphabetic) {
            return p + 2;
        }
    }
    p
}

fn find_english_dates(text: &str, ctx: TimestampContext) -> Vec<FoundDate> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let Some((month, p)) = month_at(b, i) else {
            // Skip the rest of this word.
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            continue;
        };
        // Month D, YYYY
        let q = spaces(b, p);
        if q > p {
            if let Some((day, r)) = digits(b, q, 1, 2) {
                let r = ordinal_suffix(b, r);
                let r = if b.get(r) == Some(&b',') { r + 1 } else { r };
                let r2 = spaces(b, r);
                if r2 > r || b.get(r - 1) == Some(&b',') {
                    if let Some((year, end)) = digits(b, r2, 4, 4) {
                        if let Some(d) = english(text, year, month, day, i, end, ctx) {
                            out.push(d);
                            i = end;
                            continue;
                        }
                    }
                }
            }
        }
        // D Month YYYY
        let before = text[..i].trim_end_matches([' ', ',']);
        let before = before.strip_suffix("of").map_or(before, str::trim_end);
        let bb = before.as_bytes();
        let mut ds = bb.len();
        let trimmed_ord = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|s| before.strip_suffix(s))
            .filter(|r| r.ends_with(|c: char| c.is_ascii_digit()))
            .map_or(before.len(), str::len);
        ds = ds.min(trimmed_ord);
        let mut start = ds;
        while start > 0 && bb[start - 1].is_ascii_digit() && ds - start < 3 {
            start -= 1;
        }
        if start < ds && (start == 0 || !bb[start - 1].is_ascii_alphanumeric()) {
            if let Ok(day) = before[start..ds].parse::<u32>() {
                let r = spaces(b, p);
                let r = if b.get(r) == Some(&b',') {
                    spaces(b, r + 1)
                } else {
                    r
                };
                if let Some((year, end)) = digits(b, r, 4, 4) {
                    if let Some(d) = english(text, year, month, day, start, end, ctx) {
                        out.push(d);
                        i = end;
                        continue;
                    }
                }
            }
        }
        i = p;
    }
    out
}

/// A date whose numbers were read in `text[start..end]` (month names, day
/// first), with the time printed right after it if any
/// (`13/11/2025 09:21:40`, `Nov 13, 2025 9:21 PM`).
fn english(
    text: &str,
    year: u32,
    month: u32,
    day: u32,
    start: usize,
    end: usize,
    ctx: TimestampContext,
) -> Option<FoundDate> {
    if !(1990..=2099).contains(&year) || !(1..=31).contains(&day) {
        return None;
    }
    let mut canonical = format!("{year:04}-{month:02}-{day:02}");
    let time = time_after(text, end);
    if let Some((t, _)) = &time {
        canonical.push_str(t);
    }
    let instant = parse_timestamp(&canonical, ctx)?;
    Some(FoundDate {
        start,
        end: time.as_ref().map_or(end, |(_, e)| *e),
        instant,
        has_time: time.is_some(),
    })
}

/// `17.05.2021` (day first, European) and `5/16/2024` (month first, US;
/// day first when the first number cannot be a month).
fn find_day_first_dates(text: &str, ctx: TimestampContext) -> Vec<FoundDate> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 8 <= b.len() {
        if !b[i].is_ascii_digit()
            || (i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.' || b[i - 1] == b'/'))
        {
            i += 1;
            continue;
        }
        let found = (|| {
            let (x, p) = digits(b, i, 1, 2)?;
            let sep_char = *b.get(p)?;
            if sep_char != b'.' && sep_char != b'/' {
                return None;
            }
            let (y, q) = digits(b, p + 1, 1, 2)?;
            if b.get(q) != Some(&sep_char) {
                return None;
            }
            let (year, end) = digits(b, q + 1, 4, 4)?;
            if b.get(end)
                .is_some_and(|c| *c == b'.' && b.get(end + 1).is_some_and(u8::is_ascii_digit))
            {
                return None; // a version or IP-like run, not a date
            }
            let (day, month) = if sep_char == b'.' || x > 12 {
                (x, y)
            } else {
                (y, x)
            };
            english(text, year, month, day, i, end, ctx).filter(|_| (1..=12).contains(&month))
        })();
        match found {
            Some(d) => {
                i = d.end;
                out.push(d);
            }
            None => i += 1,
        }
    }
    out
}

fn find_numeric_dates(text: &str, ctx: TimestampContext) -> Vec<FoundDate> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 8 <= b.len() {
        let starts = (b[i] == b'1' && b[i + 1] == b'9') || (b[i] == b'2' && b[i + 1] == b'0');
        if !starts || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        if let Some(found) = date_at(text, i, ctx) {
            i = found.end;
            out.push(found);
        } else {
            i += 1;
        }
    }
    out
}

fn date_at(text: &str, at: usize, ctx: TimestampContext) -> Option<FoundDate> {
    let b = text.as_bytes();
    let (year, p) = digits(b, at, 4, 4)?;
    if !(1990..=2099).contains(&year) {
        return None;
    }
    let p = sep(text, p, &["-", "/", ".", "年"])?;
    let (month, p) = digits(b, skip_spaces(b, p), 1, 2)?;
    let p = sep(text, p, &["-", "/", ".", "月"])?;
    let (day, mut p) = digits(b, skip_spaces(b, p), 1, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if text[p..].starts_with('日') {
        p += '日'.len_utf8();
    }
    let mut canonical = format!("{year:04}-{month:02}-{day:02}");
    let mut has_time = false;
    if let Some((time, end)) = time_after(text, p) {
        canonical.push_str(&time);
        has_time = true;
        p = end;
    }
    let instant = parse_timestamp(&canonical, ctx)?;
    Some(FoundDate {
        start: at,
        end: p,
        instant,
        has_time,
    })
}

/// An optional time right after a date at `p`: spaces (ASCII, ideographic,
/// nbsp) then `HH:MM[:SS]`, as ` HH:MM:SS` for the canonical form, and
/// where it ends.
fn time_after(text: &str, p: usize) -> Option<(String, usize)> {
    let b = text.as_bytes();
    let rest = &text[p..];
    let trimmed = rest.trim_start_matches([' ', '\u{3000}', '\u{a0}', '\t']);
    let q = p + (rest.len() - trimmed.len());
    if q - p > 6 {
        return None;
    }
    let (h, r) = digits(b, q, 1, 2)?;
    let r = sep(text, r, &[":", "："])?;
    let (m, mut end) = digits(b, r, 2, 2)?;
    let mut s = 0;
    if let Some((sec, r3)) = sep(text, end, &[":", "："]).and_then(|r2| digits(b, r2, 2, 2)) {
        s = sec;
        end = r3;
    }
    // `9:21 PM`: a twelve-hour clock.
    let meridiem = text[end..]
        .trim_start_matches(' ')
        .get(..2)
        .map(str::to_ascii_lowercase);
    let h = match meridiem.as_deref() {
        Some("pm") if (1..12).contains(&h) => h + 12,
        Some("am") if h == 12 => 0,
        _ => h,
    };
    (h < 24 && m < 60 && s < 60).then(|| (format!(" {h:02}:{m:02}:{s:02}"), end))
}

fn skip_spaces(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && b[p] == b' ' {
        p += 1;
    }
    p
}

/// A month and day written without a year, as lists print their entries'
/// times (`(07/13 08:41)`, `05-22 14:30`, `5月22日`), with the time of day
/// if one follows. Numeric forms need two digits each (`3-0` is a score).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
    /// ` HH:MM:SS`, as the canonical form takes it.
    time: Option<String>,
}

impl MonthDay {
    /// The first one in `text`.
    pub fn find(text: &str) -> Option<MonthDay> {
        let b = text.as_bytes();
        (0..b.len()).find_map(|i| {
            if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
                return None;
            }
            let (month, p) = digits(b, i, 1, 2)?;
            let (numeric, p) = if text[p..].starts_with('月') {
                (false, p + '月'.len_utf8())
            } else if p - i == 2 && matches!(b.get(p), Some(b'-' | b'/')) {
                (true, p + 1)
            } else {
                return None;
            };
            let (day, mut p) = digits(b, p, if numeric { 2 } else { 1 }, 2)?;
            if numeric && matches!(b.get(p), Some(b'-' | b'/')) {
                // `05-22-2024`: a full date, not a yearless one.
                return None;
            }
            if !numeric {
                p = p + text[p..].starts_with('日').then_some('日'.len_utf8())?;
            }
            ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| MonthDay {
                month,
                day,
                time: time_after(text, p).map(|(t, _)| t),
            })
        })
    }

    /// The instant in the year that puts it at or before `reference` (a list
    /// on a page shows what came before the page), within the year before.
    pub fn before(
        &self,
        reference: DateTime<FixedOffset>,
        ctx: TimestampContext,
    ) -> Option<DateTime<FixedOffset>> {
        let at_year = |year: i32| {
            let time = self.time.as_deref().unwrap_or("");
            parse_timestamp(
                &format!("{year:04}-{:02}-{:02}{time}", self.month, self.day),
                ctx,
            )
        };
        let year = chrono::Datelike::year(&reference);
        // A day's slack: a list can be newer than the page by a few hours.
        match at_year(year) {
            Some(t) if t <= reference + chrono::Duration::days(1) => Some(t),
            _ => at_year(year - 1),
        }
    }
}

/// A date in the URL path (`/2025/11/04/`, `/20251104/`, `/2025-11-04/`).
pub fn date_in_url(url: &str, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let b = path.as_bytes();
    for i in 0..b.len() {
        if i > 0 && b[i - 1].is_ascii_digit() {
            continue;
        }
        let Some((year, p)) = digits(b, i, 4, 8).map(|(_, e)| (&path[i..e], e)) else {
            continue;
        };
        if year.len() == 8 {
            let (y, m, d) = (&year[..4], &year[4..6], &year[6..8]);
            if let Some(t) = ymd(y, m, d, ctx) {
                return Some(t);
            }
            continue;
        }
        if year.len() != 4 {
            continue;
        }
        // /2025/11/04 or /2025-11-04 or /2025/1104
        let rest = &path[p..];
        let mut parts = rest
            .split(['/', '-', '_'])
            .skip(1)
            .take(2)
            .map(str::to_string);
        let m = parts.next().unwrap_or_default();
        if m.len() == 4 && m.bytes().all(|c| c.is_ascii_digit()) {
            if let Some(t) = ymd(year, &m[..2], &m[2..], ctx) {
                return Some(t);
            }
        }
        let d = parts.next().unwrap_or_default();
        let d: String = d.chars().take_while(char::is_ascii_digit).collect();
        if let Some(t) = ymd(year, &m, &d, ctx) {
            return Some(t);
        }
    }
    None
}

fn ymd(y: &str, m: &str, d: &str, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
    let y: u32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(1995..=2099).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    parse_timestamp(&format!("{y:04}-{m:02}-{d:02}"), ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yearless_dates_take_the_year_before_the_page() {
        let ctx = TimestampContext::default();
        let page = parse_timestamp("2004-07-14 10:00", ctx).expect("a date");
        let read = |t: &str| MonthDay::find(t).and_then(|d| d.before(page, ctx));
        let at = |t: &str| parse_timestamp(t, ctx);
        assert_eq!(read("(07/13 08:41)"), at("2004-07-13 08:41"));
        assert_eq!(read("（12/19 11:29）"), at("2003-12-19 11:29"));
        assert_eq!(read("5月22日"), at("2004-05-22"));
        assert_eq!(read("评论 07-14 09:30"), at("2004-07-14 09:30"));
        for none in ["3-0！", "05-22-2024", "13/45", "第3/4季度", "7/13"] {
            assert_eq!(MonthDay::find(none), None, "{none}");
        }
    }

    #[test]
    fn finds_chinese_and_numeric_dates() {
        let ctx = TimestampContext::default();
        let found = find_dates("发布时间：2005年07月31日 12:30 来源：新华网 2024/5/16", ctx);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].instant.to_rfc3339(), "2005-07-31T12:30:00+08:00");
        assert!(found[0].has_time);
        assert_eq!(found[1].instant.to_rfc3339(), "2024-05-16T00:00:00+08:00");
        assert!(find_dates("电话 2005123456 或 1999-13-01", ctx).is_empty());
        let t = find_dates("2025-11-04 02:46:13", ctx);
        assert_eq!(t[0].instant.to_rfc3339(), "2025-11-04T02:46:13+08:00");
    }

    #[test]
    fn english_dates() {
        let ctx = TimestampContext::default();
        let d = |s| {
            find_dates(s, ctx)
                .iter()
                .map(|f| f.instant.date_naive().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(d("Published March 5, 2024 by Jane"), ["2024-03-05"]);
        assert_eq!(d("Updated: Sept. 12th, 2023"), ["2023-09-12"]);
        assert_eq!(
            d("on 5 Mar 2024 and 21st of December 2025"),
            ["2024-03-05", "2025-12-21"]
        );
        assert_eq!(d("Dec 1,2025"), ["2025-12-01"]);
        assert!(d("Marching band 2024, may 2024 members").is_empty());
        assert!(d("Mayor 12, 2024").is_empty());
        assert_eq!(d("17.05.2021 and 5/16/2024"), ["2021-05-17", "2024-05-16"]);
        assert!(d("version 1.2.2024.1").is_empty());
    }

    /// The time printed after a day-first or month-name date is kept, on a
    /// twelve-hour clock too.
    #[test]
    fn english_dates_keep_their_time() {
        let ctx = TimestampContext::default();
        let t = |s| {
            find_dates(s, ctx)
                .first()
                .map(|f| (f.instant.to_rfc3339(), f.has_time))
        };
        assert_eq!(
            t("13/11/2025 09:21:40"),
            Some(("2025-11-13T09:21:40+08:00".to_string(), true))
        );
        assert_eq!(
            t("Nov 13, 2025 9:21 PM"),
            Some(("2025-11-13T21:21:00+08:00".to_string(), true))
        );
        assert_eq!(
            t("March 5, 2024 12:05 am"),
            Some(("2024-03-05T00:05:00+08:00".to_string(), true))
        );
        assert_eq!(
            t("March 5, 2024"),
            Some(("2024-03-05T00:00:00+08:00".to_string(), false))
        );
    }

    #[test]
    fn url_dates() {
        let ctx = TimestampContext::default();
        let d = |u| date_in_url(u, ctx).map(|t| t.date_naive().to_string());
        assert_eq!(
            d("https://a.com/2025/11/04/x.html").as_deref(),
            Some("2025-11-04")
        );
        assert_eq!(
            d("https://a.com/news/20251104/x.html").as_deref(),
            Some("2025-11-04")
        );
        assert_eq!(
            d("https://a.com/a/2025-11-04/x").as_deref(),
            Some("2025-11-04")
        );
        assert_eq!(
            d("https://a.com/c/2023/0512/x").as_deref(),
            Some("2023-05-12")
        );
        assert_eq!(d("https://a.com/id/123456789"), None);
    }
}
