//! `huiwen analyze`: what huiwen-zh reads from one text (or, with
//! `--jsonl`, from one text per line), to see and test the Chinese-text
//! stage without a store.

use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use huiwen_core::time::{parse_user_time, Zone};
use huiwen_core::Config;
use huiwen_zh::Analysis;
use serde::Deserialize;
use std::io::{BufRead, BufWriter, Read, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text file to analyse; `-` or nothing reads standard input
    #[arg(value_name = "FILE|-")]
    file: Option<PathBuf>,
    /// The time the text was written, for `昨日`, `13:26` and dates without a
    /// year: RFC 3339 or `2026-01-20 16:00[:00]` in --tz [default: now]
    #[arg(long, value_name = "T")]
    ref_time: Option<String>,
    /// Zone for wall-clock times [default: the config's timezone]
    #[arg(long, value_name = "ZONE")]
    tz: Option<Zone>,
    /// Print one JSON document
    #[arg(long)]
    json: bool,
    /// Read one JSON object per line (`{"text", "ref_time"}`) and write one
    /// result per line
    #[arg(long, conflicts_with = "json")]
    jsonl: bool,
}

/// One input line of `--jsonl`.
#[derive(Debug, Deserialize)]
struct Line {
    text: String,
    #[serde(default)]
    ref_time: Option<String>,
}

pub fn run(config: &Config, args: Args) -> anyhow::Result<std::process::ExitCode> {
    let zone = args.tz.unwrap_or(config.timezone);
    let default_ref = match &args.ref_time {
        Some(t) => parse_user_time(t, zone)?,
        None => zone.convert(&chrono::Utc::now().fixed_offset()),
    };
    let input: Box<dyn Read> = match &args.file {
        Some(p) if p.as_os_str() != "-" => {
            Box::new(std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?)
        }
        _ => Box::new(std::io::stdin().lock()),
    };
    if args.jsonl {
        return jsonl(input, default_ref, zone);
    }
    let mut text = String::new();
    std::io::BufReader::new(input)
        .read_to_string(&mut text)
        .context("reading the text (it must be UTF-8)")?;
    let analysis = huiwen_zh::analyze(&text, default_ref, zone);
    if args.json {
        crate::output::json(&analysis)?;
    } else {
        out!("{}", human(&analysis))?;
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// One result per line; a bad line gets `{"line": n, "error": "…"}` and the
/// rest go on, so one broken record does not stop a corpus run.
fn jsonl(
    input: Box<dyn Read>,
    default_ref: DateTime<FixedOffset>,
    zone: Zone,
) -> anyhow::Result<std::process::ExitCode> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for (i, line) in std::io::BufReader::new(input).lines().enumerate() {
        let line = line.context("reading the input")?;
        if line.trim().is_empty() {
            continue;
        }
        let result = serde_json::from_str::<Line>(&line)
            .map_err(|e| e.to_string())
            .and_then(|l| {
                let reference = match l.ref_time.as_deref() {
                    Some(t) => parse_user_time(t, zone).map_err(|e| e.to_string())?,
                    None => default_ref,
                };
                Ok(huiwen_zh::analyze(&l.text, reference, zone))
            });
        match result {
            Ok(a) => serde_json::to_writer(&mut out, &a)?,
            Err(e) => {
                failed = true;
                serde_json::to_writer(&mut out, &serde_json::json!({"line": i + 1, "error": e}))?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    })
}

fn human(a: &Analysis) -> String {
    let mut s = String::new();
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
    s.push_str(&format!("title:    {}\n", opt(&a.title)));
    s.push_str(&format!("snippet:  {}\n", a.snippet));
    s.push_str(&format!("summary:  {}\n", a.summary));
    s.push_str(&format!(
        "source:   outlet {} · author {} · editor {} · original title {}\n",
        opt(&a.attribution.outlet),
        opt(&a.attribution.author),
        opt(&a.attribution.editor),
        opt(&a.attribution.original_title)
    ));
    let keywords: Vec<String> = a
        .keywords
        .iter()
        .map(|k| format!("{} {:.2}", k.word, k.weight))
        .collect();
    s.push_str(&format!("keywords: {}\n", keywords.join(" · ")));
    s.push_str("entities:\n");
    for e in &a.entities {
        let code = match (&e.code, &e.market) {
            (Some(c), Some(m)) => format!(" {c}.{m}"),
            (Some(c), None) => format!(" {c}"),
            _ => String::new(),
        };
        let title = e
            .title
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        s.push_str(&format!(
            "  {:<9} {}{}{}\n",
            format!("{:?}", e.kind).to_lowercase(),
            e.text,
            code,
            title
        ));
    }
    s.push_str("times:\n");
    for t in &a.times {
        s.push_str(&format!("  {}  →  {}\n", t.text, t.instant));
    }
    s.push_str(&format!("tokens:   {}\n", a.tokens.join(" / ")));
    s
}
