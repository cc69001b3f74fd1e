use anyhow::Context;
use huiwen_core::time::parse_user_time;
use huiwen_core::{ArticleId, Config};
use huiwen_store::{ArticleQuery, Cursor};
use std::process::ExitCode;

use crate::{output, store};

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this source (its name, as `huiwen stats` shows it)
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    /// Published at or after (RFC 3339, or `2026-07-30[ 09:30]` in the configured zone)
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Published before
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Articles per page (1–1000)
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    limit: u32,
    /// Continue after a previous page (its `next` value)
    #[arg(long, value_name = "CURSOR")]
    cursor: Option<String>,
    /// Print `{"articles": [...], "next": cursor-or-null}`
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Article id, URL or guid
    #[arg(value_name = "ID|URL")]
    article: String,
    /// Print the article as one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Print the statistics as one JSON object
    #[arg(long)]
    json: bool,
}

pub async fn list(config: &Config, args: ListArgs) -> anyhow::Result<ExitCode> {
    let time = |s: &Option<String>| {
        s.as_deref()
            .map(|s| parse_user_time(s, config.timezone))
            .transpose()
    };
    let query = ArticleQuery {
        source: args.source,
        since: time(&args.since).context("--since")?,
        until: time(&args.until).context("--until")?,
        limit: args.limit,
        cursor: args.cursor.as_deref().map(Cursor::decode).transpose()?,
    };
    let store = store::open(config).await?;
    let page = store.list_articles(&query).await?;
    if args.json {
        output::json(&page)?;
    } else if page.articles.is_empty() {
        outln!("no articles match")?;
    } else {
        out!("{}", output::article_lines(&page.articles, config.timezone))?;
        outln!("(times in {})", config.timezone)?;
        if let Some(next) = &page.next {
            outln!("more: huiwen list --cursor {next}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn show(config: &Config, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = store::open(config).await?;
    let key = args.article.trim();
    let article = match key.parse::<i64>() {
        Ok(id) => store.article(ArticleId(id)).await?,
        Err(_) => match huiwen_core::url::canonical_url(key) {
            Ok(url) => match store.article_by_url(&url).await? {
                Some(a) => Some(a),
                None => store.article_by_url(key).await?,
            },
            Err(_) => store.article_by_url(key).await?,
        },
    };
    let Some(a) = article else {
        anyhow::bail!("no article with id, URL or guid {key:?}");
    };
    if args.json {
        output::json(&a)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{}\n", a.title)?;
    let mut meta = vec![
        a.published_at.format("%Y-%m-%d %H:%M %:z").to_string(),
        a.outlet.clone(),
    ];
    if a.outlet != a.source {
        meta.push(format!("via {}", a.source));
    }
    if !a.authors.is_empty() {
        meta.push(a.authors.join("、"));
    }
    outln!("{}", meta.join(" · "))?;
    if let Some(url) = &a.url {
        outln!("{url}")?;
    }
    outln!("\n{}\n", a.text)?;
    for image in &a.images {
        outln!("[image] {} {}", image.src, image.caption)?;
    }
    if !a.tags.is_empty() {
        outln!("tags: {}", a.tags.join(", "))?;
    }
    outln!(
        "id {} · guid {} · seq {} · lang {}",
        a.id,
        a.guid,
        a.seq,
        a.lang
    )?;
    Ok(ExitCode::SUCCESS)
}

pub async fn stats(config: &Config, args: StatsArgs) -> anyhow::Result<ExitCode> {
    let store = store::open(config).await?;
    let stats = store.stats().await?;
    if args.json {
        output::json(&stats)?;
    } else {
        print_stats(&stats, &store::describe(config), config.timezone)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn print_stats(
    s: &huiwen_store::StoreStats,
    location: &str,
    zone: huiwen_core::time::Zone,
) -> std::io::Result<()> {
    let fmt = |t: &Option<chrono::DateTime<chrono::FixedOffset>>| {
        t.as_ref()
            .map(|t| format!("{} {zone}", output::time(t, zone)))
            .unwrap_or_else(|| "-".into())
    };
    outln!("articles  {}", s.articles)?;
    outln!("from      {}", fmt(&s.first))?;
    outln!("to        {}", fmt(&s.last))?;
    outln!("store     {} ({})", output::bytes(s.db_bytes), location)?;
    outln!("sources   {}", s.sources.len())?;
    let width = s
        .sources
        .iter()
        .map(|c| huiwen_core::text::display_width(&c.name))
        .max()
        .unwrap_or(0);
    for c in &s.sources {
        outln!(
            "  {}  {:>7}",
            huiwen_core::text::pad_to_width(&c.name, width),
            c.articles
        )?;
    }
    Ok(())
}
