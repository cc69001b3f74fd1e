//! `huiwen source …`: the feeds and pages huiwen follows.

use anyhow::{bail, Context};
use huiwen_core::html::feed_links;
use huiwen_core::time::Zone;
use huiwen_core::url::{canonical_url, host_of};
use huiwen_core::{Config, Source, SourceDraft, SourceId, SourceKind};
use huiwen_fetch::{FetchOutcome, FetchRequest, Fetcher};
use serde::Serialize;
use std::process::ExitCode;

use crate::{output, store};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Follow a feed or a page; a site's home page is searched for the feeds it announces
    Add(AddArgs),
    /// The followed sources with their fetch state
    List {
        /// Print `{"sources": [...]}`
        #[arg(long)]
        json: bool,
    },
    /// Follow every feed (and link outline) of an OPML file
    ImportOpml {
        /// The OPML file
        file: std::path::PathBuf,
        /// How often to fetch them [default: 10m for feeds, 30m for pages]
        #[arg(long, value_name = "DURATION")]
        every: Option<String>,
        /// Print `{"added": n, "skipped": n, "rejected": [{"url", "reason"}]}`
        #[arg(long)]
        json: bool,
    },
    /// Print the followed feeds and pages as OPML 2.0
    ExportOpml,
    /// Stop following a source (its articles stay)
    Remove {
        /// Source id or URL
        #[arg(value_name = "ID|URL")]
        source: String,
        /// Print the removed source as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Feed URL, article-list page URL, or a site's home page
    url: String,
    /// Name shown for the source [default: the feed's announced title, else its host]
    #[arg(long)]
    name: Option<String>,
    /// feed or page [default: found out by fetching the URL]
    #[arg(long, value_parser = ["feed", "page"])]
    kind: Option<String>,
    /// How often to fetch: 90s, 10m, 2h, 1d [default: 10m for feeds, 30m for pages]
    #[arg(long, value_name = "DURATION")]
    every: Option<String>,
    /// Zone of the source's times that carry no offset [default: the config's timezone]
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// For feeds whose entries carry only a summary: fetch each entry's page and extract the whole article
    #[arg(long)]
    full_text: bool,
    /// Print `{"sources": [...]}` with what was added
    #[arg(long)]
    json: bool,
}

/// A source as `source list --json` prints it: the stored source and its
/// article count.
#[derive(Debug, Serialize)]
struct Listed {
    #[serde(flatten)]
    source: Source,
    items: u64,
}

/// Reads `90s`, `10m`, `2h`, `1d`, `1h30m`.
pub fn parse_duration(text: &str) -> anyhow::Result<u32> {
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => bail!("cannot read the duration {text:?}: use e.g. 90s, 10m, 2h, 1d"),
        };
        let n: u64 = number
            .parse()
            .with_context(|| format!("cannot read the duration {text:?}"))?;
        total += n * unit;
        number.clear();
    }
    if !number.is_empty() || total == 0 {
        bail!("cannot read the duration {text:?}: use e.g. 90s, 10m, 2h, 1d (a unit is required)");
    }
    u32::try_from(total).context("duration too long")
}

/// Whether a fetched body is a feed rather than a web page.
fn looks_like_feed(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with('{') {
        return head.contains("jsonfeed.org/version");
    }
    let first = |tag: &str| head.find(tag).unwrap_or(usize::MAX);
    let feed = first("<rss").min(first("<feed")).min(first("<rdf:rdf"));
    feed != usize::MAX && feed < first("<html")
}

/// What the URL is: itself a feed, a page announcing feeds, or a page.
async fn discover(
    config: &Config,
    url: &str,
) -> anyhow::Result<Vec<(String, SourceKind, Option<String>)>> {
    let fetcher = Fetcher::new(config.fetch.clone())?;
    let fetched = match fetcher.fetch(&FetchRequest::page(url)).await? {
        FetchOutcome::Fetched(body) => body,
        FetchOutcome::NotModified { .. } => {
            bail!("{url} answered 304 Not Modified to a plain request")
        }
    };
    let final_url = fetched.final_url.to_string();
    let text = fetched.decode().text;
    if looks_like_feed(&text) {
        return Ok(vec![(final_url, SourceKind::Feed, None)]);
    }
    let links = feed_links(&text, &fetched.final_url);
    if links.is_empty() {
        tracing::info!(url = %final_url, "no feed announced; following it as a page");
        return Ok(vec![(final_url, SourceKind::Page, None)]);
    }
    Ok(links
        .into_iter()
        .map(|l| (l.url, SourceKind::Feed, l.title))
        .collect())
}

pub async fn run(config: &Config, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Add(args) => add(config, args).await,
        Command::List { json } => list(config, json).await,
        Command::Remove { source, json } => remove(config, &source, json).await,
        Command::ImportOpml { file, every, json } => {
            import_opml(config, &file, every.as_deref(), json).await
        }
        Command::ExportOpml => {
            let store = store::open(config).await?;
            out!(
                "{}",
                huiwen_pipeline::opml::write_opml(&store.sources().await?, chrono::Utc::now())
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn add(config: &Config, args: AddArgs) -> anyhow::Result<ExitCode> {
    let url = canonical_url(&args.url)?;
    let zone: Zone = match &args.tz {
        Some(tz) => tz.parse().map_err(anyhow::Error::msg)?,
        None => config.timezone,
    };
    let every = args.every.as_deref().map(parse_duration).transpose()?;
    let found = match args.kind.as_deref() {
        Some(kind) => vec![(
            url,
            kind.parse::<SourceKind>().map_err(anyhow::Error::msg)?,
            None,
        )],
        None => discover(config, &url).await?,
    };
    let store = store::open(config).await?;
    let mut taken: Vec<String> = store.sources().await?.into_iter().map(|s| s.name).collect();
    let mut added = Vec::new();
    for (i, (url, kind, title)) in found.into_iter().enumerate() {
        let name = match (&args.name, i) {
            (Some(name), 0) => name.clone(),
            (Some(name), n) => format!("{name} ({})", n + 1),
            (None, _) => default_name(title, &url, &taken),
        };
        taken.push(name.clone());
        let default_every = if kind == SourceKind::Page { 1800 } else { 600 };
        let draft = SourceDraft {
            name,
            url: Some(url),
            kind,
            every_secs: every.unwrap_or(default_every),
            zone,
            full_text: args.full_text,
        };
        added.push(store.add_source(&draft).await?);
    }
    store.close().await;
    if args.json {
        output::json(&serde_json::json!({ "sources": added }))?;
    } else {
        for s in &added {
            outln!(
                "added {} {} ({}, every {}): {}",
                s.id,
                s.name,
                s.kind.as_str(),
                every_text(s.every_secs),
                s.url.as_deref().unwrap_or("")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The announced title, else the host, else host and path: the first that
/// no other source uses (a site often has several feeds).
fn default_name(title: Option<String>, url: &str, taken: &[String]) -> String {
    let host = host_of(url).unwrap_or_else(|| url.to_string());
    let with_path = url::Url::parse(url)
        .map(|u| format!("{host}{}", u.path().trim_end_matches('/')))
        .unwrap_or_else(|_| url.to_string());
    let mut candidates: Vec<String> = title.into_iter().collect();
    candidates.extend([host, with_path.clone()]);
    candidates
        .into_iter()
        .find(|c| !taken.contains(c))
        .unwrap_or_else(|| {
            (2..)
                .map(|n| format!("{with_path} ({n})"))
                .find(|c| !taken.contains(c))
                .unwrap_or(with_path)
        })
}

fn every_text(secs: u32) -> String {
    match secs {
        0 => "never".into(),
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

async fn list(config: &Config, json: bool) -> anyhow::Result<ExitCode> {
    let store = store::open(config).await?;
    let counts = store.stats().await?.sources;
    let listed: Vec<Listed> = store
        .sources()
        .await?
        .into_iter()
        .map(|source| {
            let items = counts
                .iter()
                .find(|c| c.name == source.name)
                .map_or(0, |c| c.articles);
            Listed { source, items }
        })
        .collect();
    if json {
        output::json(&serde_json::json!({ "sources": listed }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if listed.is_empty() {
        outln!("no sources; add one with: huiwen source add URL")?;
    }
    let zone = config.timezone;
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| output::time(&t.fixed_offset(), zone))
            .unwrap_or_else(|| "-".into())
    };
    for l in &listed {
        let s = &l.source;
        let f = &s.fetch;
        outln!(
            "{:>4}  {:<6} {}  every {}  items {}  last {} (HTTP {})  next {}  errors {}{}",
            s.id,
            s.kind.as_str(),
            if s.full_text {
                format!("{} (full text)", s.name)
            } else {
                s.name.clone()
            },
            every_text(s.every_secs),
            l.items,
            when(f.last_fetch_at),
            f.last_status.map_or("-".to_string(), |c| c.to_string()),
            if s.every_secs == 0 {
                "-".to_string()
            } else {
                f.next_fetch_at
                    .map_or_else(|| "now".to_string(), |t| when(Some(t)))
            },
            f.consecutive_errors,
            f.last_error
                .as_deref()
                .map(|e| format!("  ({e})"))
                .unwrap_or_default(),
        )?;
        if let Some(url) = &s.url {
            outln!("      {url}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What `source import-opml --json` prints.
#[derive(Debug, Default, Serialize)]
struct OpmlSummary {
    added: u64,
    /// Already followed (same name or URL).
    skipped: u64,
    rejected: Vec<OpmlReject>,
}

#[derive(Debug, Serialize)]
struct OpmlReject {
    url: String,
    reason: String,
}

async fn import_opml(
    config: &Config,
    file: &std::path::Path,
    every: Option<&str>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let entries = huiwen_pipeline::opml::parse_opml(&text)
        .with_context(|| format!("reading {}", file.display()))?;
    let every = every.map(parse_duration).transpose()?;
    let store = store::open(config).await?;
    let mut taken: Vec<String> = store.sources().await?.into_iter().map(|s| s.name).collect();
    let mut summary = OpmlSummary::default();
    for entry in entries {
        let url = match canonical_url(&entry.url) {
            Ok(u) => u,
            Err(e) => {
                summary.rejected.push(OpmlReject {
                    url: entry.url,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let name = default_name(entry.title, &url, &taken);
        let default_every = if entry.kind == SourceKind::Page {
            1800
        } else {
            600
        };
        let draft = SourceDraft {
            name: name.clone(),
            url: Some(url.clone()),
            kind: entry.kind,
            every_secs: every.unwrap_or(default_every),
            zone: config.timezone,
            full_text: false,
        };
        match store.add_source(&draft).await {
            Ok(_) => {
                summary.added += 1;
                taken.push(name);
            }
            Err(huiwen_store::StoreError::Conflict(_)) => summary.skipped += 1,
            Err(e) => summary.rejected.push(OpmlReject {
                url,
                reason: e.to_string(),
            }),
        }
    }
    store.close().await;
    if json {
        output::json(&summary)?;
    } else {
        outln!(
            "added {}  already followed {}  rejected {}",
            summary.added,
            summary.skipped,
            summary.rejected.len()
        )?;
        for r in &summary.rejected {
            outln!("  {}: {}", r.url, r.reason)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The live source a user named by id, URL or name.
pub fn find_source(sources: Vec<Source>, key: &str) -> anyhow::Result<Source> {
    let found = match key.trim().parse::<i64>() {
        Ok(id) => sources.into_iter().find(|s| s.id == SourceId(id)),
        Err(_) => {
            let url = canonical_url(key).unwrap_or_else(|_| key.trim().to_string());
            sources
                .into_iter()
                .find(|s| s.url.as_deref() == Some(url.as_str()) || s.name == key.trim())
        }
    };
    match found {
        Some(source) => Ok(source),
        None => bail!("no source with id, URL or name {key:?} (see huiwen source list)"),
    }
}

async fn remove(config: &Config, key: &str, json: bool) -> anyhow::Result<ExitCode> {
    let store = store::open(config).await?;
    let source = find_source(store.sources().await?, key)?;
    store.remove_source(source.id).await?;
    store.close().await;
    if json {
        output::json(&source)?;
    } else {
        outln!("removed {} {}; its articles stay", source.id, source.name)?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s").expect("ok"), 90);
        assert_eq!(parse_duration("10m").expect("ok"), 600);
        assert_eq!(parse_duration("1h30m").expect("ok"), 5400);
        assert_eq!(parse_duration("1d").expect("ok"), 86_400);
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("0m").is_err());
    }

    #[test]
    fn default_names_do_not_collide() {
        let taken = vec!["测试新闻".to_string(), "example.com".to_string()];
        assert_eq!(
            default_name(
                Some("财经".into()),
                "https://www.example.com/rss/finance.xml",
                &taken
            ),
            "财经"
        );
        assert_eq!(
            default_name(
                Some("测试新闻".into()),
                "https://www.example.com/rss/finance.xml",
                &taken
            ),
            "example.com/rss/finance.xml"
        );
        assert_eq!(
            default_name(None, "https://other.com/", &taken),
            "other.com"
        );
        let taken = vec!["a.com".to_string(), "a.com/feed".to_string()];
        assert_eq!(
            default_name(None, "https://a.com/feed", &taken),
            "a.com/feed (2)"
        );
    }

    #[test]
    fn feeds_are_told_from_pages() {
        assert!(looks_like_feed(
            "\u{feff}<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
        ));
        assert!(looks_like_feed(
            "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
        ));
        assert!(looks_like_feed(
            "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}"
        ));
        assert!(!looks_like_feed(
            "<!doctype html><html><head><link type=\"application/rss+xml\"></head>"
        ));
        assert!(!looks_like_feed("{\"data\": 1}"));
    }
}
