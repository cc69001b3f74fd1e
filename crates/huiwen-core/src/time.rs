//! Instants and zones.
//!
//! An instant is a `DateTime<FixedOffset>`: the UTC instant together with the
//! offset the source wrote it in. Comparisons and storage use the instant; the
//! offset is kept so we show the time the way the outlet did.
//!
//! Chinese sources mostly write naive local times (`2026-01-20 16:00:42`);
//! those are read in a [`Zone`], Asia/Shanghai by default.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The zone assumed when nobody says.
pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

/// An IANA time zone name, checked when parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Zone(chrono_tz::Tz);

impl Default for Zone {
    fn default() -> Self {
        Zone(chrono_tz::Asia::Shanghai)
    }
}

impl FromStr for Zone {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<chrono_tz::Tz>().map(Zone).map_err(|_| {
            format!("unknown time zone {s:?} (expected an IANA name such as Asia/Shanghai)")
        })
    }
}

impl TryFrom<String> for Zone {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Zone> for String {
    fn from(z: Zone) -> String {
        z.0.name().to_string()
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

impl Zone {
    /// The same instant as wall-clock time in this zone.
    pub fn convert(&self, t: &DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.0).fixed_offset()
    }

    /// Reads a naive local time in this zone. In a DST gap the time is moved
    /// forward by an hour; in a fold the earlier instant wins (the usual
    /// reading of an ambiguous wall-clock time).
    pub fn localize(&self, naive: NaiveDateTime) -> DateTime<FixedOffset> {
        let resolved = match self.0.from_local_datetime(&naive) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t,
            LocalResult::None => {
                let later = naive + chrono::Duration::hours(1);
                match self.0.from_local_datetime(&later) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t,
                    LocalResult::None => return self.0.from_utc_datetime(&naive).fixed_offset(),
                }
            }
        };
        resolved.fixed_offset()
    }
}

/// Why a user-given time could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {input:?} as a time: expected RFC 3339 (2026-01-20T16:00:42+08:00), `2026-01-20 16:00[:42]` or `2026-01-20` (read in {zone})")]
pub struct TimeParseError {
    input: String,
    zone: Zone,
}

/// Reads a time typed by a person or a script: RFC 3339, or a naive date or
/// date-time in `zone`.
pub fn parse_user_time(input: &str, zone: Zone) -> Result<DateTime<FixedOffset>, TimeParseError> {
    let s = input.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(zone.localize(naive));
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(midnight) = date.and_hms_opt(0, 0, 0) {
            return Ok(zone.localize(midnight));
        }
    }
    Err(TimeParseError {
        input: input.to_string(),
        zone,
    })
}

/// An instant from microseconds since the Unix epoch (how the stores keep
/// instants), shown in the given offset.
pub fn from_micros(micros: i64, offset_seconds: i32) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(offset_seconds)?;
    DateTime::<Utc>::from_timestamp_micros(micros).map(|t| t.with_timezone(&offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_times_are_read_in_the_zone() {
        let t = parse_user_time("2026-01-20 16:00:42", Zone::default()).expect("parses");
        assert_eq!(t.to_rfc3339(), "2026-01-20T16:00:42+08:00");
        let d =
            parse_user_time("2026-01-20", "Europe/London".parse().expect("zone")).expect("parses");
        assert_eq!(d.to_rfc3339(), "2026-01-20T00:00:00+00:00");
    }

    #[test]
    fn rfc3339_keeps_its_offset() {
        let t = parse_user_time("2026-01-20T08:00:00-05:00", Zone::default()).expect("parses");
        assert_eq!(t.offset().local_minus_utc(), -5 * 3600);
    }

    #[test]
    fn nonsense_is_an_error_naming_the_forms() {
        let err = parse_user_time("yesterday-ish", Zone::default()).expect_err("must fail");
        assert!(err.to_string().contains("RFC 3339"));
        assert!("Mars/Olympus".parse::<Zone>().is_err());
    }

    #[test]
    fn micros_round_trip_with_offset() {
        let t =
            parse_user_time("2026-01-20T16:00:42.123456+08:00", Zone::default()).expect("parses");
        let back = from_micros(t.timestamp_micros(), 8 * 3600).expect("valid");
        assert_eq!(back, t);
        assert_eq!(back.to_rfc3339(), t.to_rfc3339());
    }
}
