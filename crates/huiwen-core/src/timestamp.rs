//! Reading the dates feeds actually carry.
//!
//! The standards say RFC 822 for RSS and RFC 3339 for Atom and JSON Feed;
//! Chinese feeds write whatever their CMS prints: `2026-01-20 16:00:42` with
//! no zone, `2026年1月20日 13:18`, `2026/01/20`, or RFC 822 with the zone
//! name `CST`. [`parse_timestamp`] reads all of these and always returns the
//! offset the source meant, so the caller can show the time the way the
//! outlet wrote it.

use crate::time::Zone;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

/// How to read the parts of a date the source left implicit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampContext {
    /// The zone a time without an offset is read in.
    pub zone: Zone,
    /// Whether the zone name `CST` means China Standard Time (+08:00) rather
    /// than US Central Standard Time (−06:00).
    pub cst_means_china: bool,
}

impl Default for TimestampContext {
    fn default() -> Self {
        TimestampContext {
            zone: Zone::default(),
            cst_means_china: true,
        }
    }
}

const HOUR: i32 = 3600;

/// Reads one feed date; `None` when it is in no form we know.
///
/// Accepted: RFC 3339 (also with `+0800` or a space instead of `T`), RFC 822
/// / 2822 (weekday optional and not checked, long month and day names,
/// seconds optional, numeric offsets or zone names), `YYYY-MM-DD[ HH:MM[:SS]]`,
/// `YYYY/MM/DD[ HH:MM[:SS]]` and `YYYY年M月D日[ HH:MM[:SS]]`, each optionally
/// followed by a numeric offset. Times without an offset are read in
/// `ctx.zone`; dates without a time are midnight there.
pub fn parse_timestamp(raw: &str, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
    let text = normalize_spaces(raw);
    if text.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&text) {
        return Some(t);
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) && looks_year_first(&text) {
        return parse_year_first(&text, ctx);
    }
    parse_rfc2822ish(&text, ctx)
}

/// Trims, turns ideographic and other Unicode spaces into ASCII spaces and
/// collapses runs, so `2026-01-20　16:00` reads like `2026-01-20 16:00`.
fn normalize_spaces(raw: &str) -> String {
    raw.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn looks_year_first(text: &str) -> bool {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    digits == 4
}

/// `2026-01-20 16:00:42`, `2026/1/20 13:18`, `2026年1月20日 13:18`,
/// `2026-01-20T16:00:42+0800`, `2026-01-20 16:00:42 +08:00` and friends.
fn parse_year_first(text: &str, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
    // One shape for all separators: 年/月 and `/` become `-`, 日 ends the date.
    let mut s = String::with_capacity(text.len());
    let mut prev = ' ';
    for c in text.chars() {
        match c {
            '年' | '月' | '/' => s.push('-'),
            '日' => s.push(' '),
            // The RFC 3339 date-time separator, not the T of a zone name.
            'T' if prev.is_ascii_digit() => s.push(' '),
            _ => s.push(c),
        }
        prev = c;
    }
    let s = normalize_spaces(&s);
    // A trailing `Z` is UTC; chrono's %z does not take it.
    let s = match s.strip_suffix('Z') {
        Some(rest) => format!("{} +0000", rest.trim_end()),
        None => s,
    };
    // Offsets written straight after the time (`16:00:42+0800`) get a space
    // so one set of formats covers both spellings.
    let s = split_glued_offset(&s);

    let (local, offset) = match s.rsplit_once(' ') {
        Some((local, zone)) => match zone_offset(zone, ctx) {
            Some(offset) => (local, Some(offset)),
            None => (s.as_str(), None),
        },
        None => (s.as_str(), None),
    };
    let naive = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(local, fmt).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(local, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })?;
    match offset {
        Some(offset) => naive.and_local_timezone(offset).single(),
        None => Some(ctx.zone.localize(naive)),
    }
}

/// `…16:00:42+0800` → `…16:00:42 +0800`; leaves the date's own `-` alone by
/// only looking after the last `:`.
fn split_glued_offset(s: &str) -> String {
    let Some(colon) = s.find(':') else {
        return s.to_string();
    };
    let tail = &s[colon..];
    match tail.find(['+', '-']) {
        Some(i) if !tail[..i].ends_with(' ') => {
            let at = colon + i;
            format!("{} {}", &s[..at], &s[at..])
        }
        _ => s.to_string(),
    }
}

/// RFC 822 / 2822 as feeds write it: `Tue, 20 Jan 2026 16:00:42 +0800`,
/// `Tuesday, 20 January 2026 16:00 CST`, `20 Jan 2026 16:00:42 GMT`.
fn parse_rfc2822ish(text: &str, ctx: TimestampContext) -> Option<DateTime<FixedOffset>> {
    // The weekday adds nothing and is often wrong or abbreviated oddly
    // (`Thurs`), so it is dropped rather than checked.
    let rest = match text.split_once(',') {
        Some((weekday, rest)) if weekday.chars().all(|c| c.is_ascii_alphabetic()) => rest.trim(),
        _ => text,
    };
    let mut parts: Vec<&str> = rest.split(' ').collect();
    // `Jan 20 2026 …` (month first) is seen in the wild; put the day first.
    if parts.len() >= 3
        && parts[0].starts_with(|c: char| c.is_ascii_alphabetic())
        && parts[1].chars().all(|c| c.is_ascii_digit())
    {
        parts.swap(0, 1);
    }
    let offset = match parts.last().and_then(|z| zone_offset(z, ctx)) {
        Some(offset) => {
            parts.pop();
            Some(offset)
        }
        None => None,
    };
    // `January` → `Jan`: chrono's `%b` reads only the abbreviation.
    let body = parts
        .iter()
        .map(|p| short_month(p).unwrap_or(p))
        .collect::<Vec<_>>()
        .join(" ");
    let naive = ["%d %b %Y %H:%M:%S", "%d %b %Y %H:%M", "%d %b %y %H:%M:%S"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(&body, fmt).ok())?;
    match offset {
        Some(offset) => naive.and_local_timezone(offset).single(),
        None => Some(ctx.zone.localize(naive)),
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The abbreviation of a month name spelled out (`January`, `Sept`).
fn short_month(word: &str) -> Option<&str> {
    if word.len() <= 3 || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let head = word.get(..3)?;
    MONTHS
        .iter()
        .any(|m| head.eq_ignore_ascii_case(m))
        .then_some(head)
}

/// A zone as the last word of a date: a numeric offset (`+0800`, `+08:00`,
/// `-0500`) or one of the names RFC 822 allows plus the ones feeds use.
fn zone_offset(word: &str, ctx: TimestampContext) -> Option<FixedOffset> {
    if let Some(offset) = numeric_offset(word) {
        return Some(offset);
    }
    let hours = match word.to_ascii_uppercase().as_str() {
        "UT" | "UTC" | "GMT" | "Z" => 0,
        // China Standard Time for Chinese feeds unless told otherwise; see
        // the crate documentation for why.
        "CST" if ctx.cst_means_china => 8,
        "CST" => -6,
        "CDT" => -5,
        "EST" => -5,
        "EDT" => -4,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "HKT" => 8,
        "JST" | "KST" => 9,
        "BST" => 1,
        "CET" => 1,
        "CEST" => 2,
        _ => return None,
    };
    FixedOffset::east_opt(hours * HOUR)
}

fn numeric_offset(word: &str) -> Option<FixedOffset> {
    let (sign, digits) = match word.as_bytes().first()? {
        b'+' => (1, &word[1..]),
        b'-' => (-1, &word[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|&c| c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * HOUR + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn china() -> TimestampContext {
        TimestampContext::default()
    }

    #[test]
    fn forms_chinese_and_standard_feeds_use() {
        let us_cst = TimestampContext {
            cst_means_china: false,
            ..china()
        };
        let london = TimestampContext {
            zone: "Europe/London".parse().expect("zone"),
            ..china()
        };
        // (input, context, expected RFC 3339 with the offset the source meant)
        let table: &[(&str, TimestampContext, &str)] = &[
            // Naive forms, read in the zone.
            ("2026-01-20 16:00:42", china(), "2026-01-20T16:00:42+08:00"),
            ("2026-01-20 16:00", china(), "2026-01-20T16:00:00+08:00"),
            ("2026-01-20", china(), "2026-01-20T00:00:00+08:00"),
            ("2026-01-20T16:00:42", china(), "2026-01-20T16:00:42+08:00"),
            ("2026-01-20 16:00:42", london, "2026-01-20T16:00:42+00:00"),
            ("2026年1月20日 13:18", china(), "2026-01-20T13:18:00+08:00"),
            (
                "2026年01月20日 13:18:05",
                china(),
                "2026-01-20T13:18:05+08:00",
            ),
            ("2026年1月20日", china(), "2026-01-20T00:00:00+08:00"),
            ("2026年1月20日13:18", china(), "2026-01-20T13:18:00+08:00"),
            ("2026/01/20", china(), "2026-01-20T00:00:00+08:00"),
            ("2026/01/20 13:18", china(), "2026-01-20T13:18:00+08:00"),
            ("2026/1/20 13:18:42", china(), "2026-01-20T13:18:42+08:00"),
            (
                "2026-01-20\u{3000}16:00:42",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            // Year-first with an offset.
            (
                "2026-01-20 16:00:42 +0800",
                us_cst,
                "2026-01-20T16:00:42+08:00",
            ),
            (
                "2026-01-20T16:00:42+0800",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            (
                "2026-01-20 16:00:42 +08:00",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            ("2026-01-20 08:00:42Z", china(), "2026-01-20T08:00:42+00:00"),
            (
                "2026-01-20 16:00:42 CST",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            // RFC 3339.
            (
                "2026-01-20T16:00:42+08:00",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            ("2026-01-20T08:00:42Z", china(), "2026-01-20T08:00:42+00:00"),
            (
                "2026-01-20T03:00:42-05:00",
                china(),
                "2026-01-20T03:00:42-05:00",
            ),
            (
                "2026-01-20T16:00:42.250+08:00",
                china(),
                "2026-01-20T16:00:42.250+08:00",
            ),
            // RFC 822 / 2822.
            (
                "Tue, 20 Jan 2026 16:00:42 +0800",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            (
                "Tue, 20 Jan 2026 16:00:42 CST",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            (
                "Tue, 20 Jan 2026 16:00:42 CST",
                us_cst,
                "2026-01-20T16:00:42-06:00",
            ),
            (
                "Tue, 20 Jan 2026 16:00:42 GMT",
                china(),
                "2026-01-20T16:00:42+00:00",
            ),
            (
                "Tue, 20 Jan 2026 16:00:42 UTC",
                china(),
                "2026-01-20T16:00:42+00:00",
            ),
            (
                "Tue, 20 Jan 2026 16:00:42 EST",
                china(),
                "2026-01-20T16:00:42-05:00",
            ),
            (
                "Tue, 20 Jan 2026 16:00:42 Z",
                china(),
                "2026-01-20T16:00:42+00:00",
            ),
            (
                "20 Jan 2026 16:00:42 +0800",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            (
                "Tue, 20 Jan 2026 16:00 +0800",
                china(),
                "2026-01-20T16:00:00+08:00",
            ),
            (
                "Tuesday, 20 January 2026 16:00:42 +0800",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            // Wrong weekday: kept, the date is what matters.
            (
                "Wed, 20 Jan 2026 16:00:42 +0800",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            (
                "Thurs, 22 Jan 2026 9:05:00 +0530",
                china(),
                "2026-01-22T09:05:00+05:30",
            ),
            (
                "Jan 20 2026 16:00:42 +0800",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
            // RFC 822 without a zone: read in the zone.
            (
                "Tue, 20 Jan 2026 16:00:42",
                china(),
                "2026-01-20T16:00:42+08:00",
            ),
        ];
        assert!(table.len() >= 20);
        let wrong: Vec<String> = table
            .iter()
            .filter_map(|(input, ctx, expected)| {
                let got = parse_timestamp(input, *ctx).map(|t| t.to_rfc3339());
                (got.as_deref() != Some(*expected))
                    .then(|| format!("{input:?}: got {got:?}, expected {expected}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn nonsense_is_none_not_a_guess() {
        for input in [
            "",
            "   ",
            "yesterday",
            "2026-13-45 25:61",
            "2026年13月1日",
            "Tue, 32 Jan 2026 16:00:42 +0800",
            "Tue, 20 Foo 2026 16:00:42 +0800",
            "20 Jan 2026 16:00:42 +9900",
            "12345",
        ] {
            assert_eq!(parse_timestamp(input, china()), None, "input {input:?}");
        }
    }
}
