//! How results are printed: `--json` prints exactly one JSON document on
//! stdout; otherwise a layout for people. Logs never go to stdout.

use chrono::{DateTime, FixedOffset};
use huiwen_core::text::{display_width, pad_to_width};
use huiwen_core::time::Zone;
use huiwen_core::Article;
use serde::Serialize;
use std::io::Write;

pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A time for people: in the configured zone, so that a newest-first list
/// reads in order (JSON keeps each source's own offset).
pub fn time(t: &DateTime<FixedOffset>, zone: Zone) -> String {
    zone.convert(t).format("%Y-%m-%d %H:%M").to_string()
}

/// Shortens to `width` columns at a character boundary, marking the cut.
pub fn fit(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w > width.saturating_sub(1) {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// One line per article: time, source, title.
pub fn article_lines(articles: &[Article], zone: Zone) -> String {
    let source_width = articles
        .iter()
        .map(|a| display_width(&a.source).min(16))
        .max()
        .unwrap_or(0);
    let id_width = articles
        .iter()
        .map(|a| a.id.to_string().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for a in articles {
        out.push_str(&format!(
            "{:>id_width$}  {}  {}  {}\n",
            a.id,
            time(&a.published_at, zone),
            pad_to_width(&fit(&a.source, 16), source_width),
            fit(&a.title, 70)
        ));
    }
    out
}

pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KB", n as f64 / (1u64 << 10) as f64),
        n => format!("{n} B"),
    }
}
