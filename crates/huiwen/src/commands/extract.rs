//! `huiwen extract FILE|URL`: one page in, one clean article out (see
//! `huiwen_extract`). Needs no store.

use anyhow::{bail, Context};
use clap::ValueEnum;
use huiwen_core::Config;
use huiwen_extract::{extract_bytes, ExtractOptions, Extracted, InputFormat, PageType};
use huiwen_fetch::{FetchOutcome, FetchRequest, Fetcher};
use std::io::Read;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// HTML unless the input has no markup (then a plain-text page dump)
    Auto,
    Html,
    /// A plain-text page dump: title, header lines, body, then lists
    Text,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A saved page (`-` for stdin) or an http(s) URL to fetch
    pub input: String,
    /// Where the page was found: resolves relative links, fallback canonical URL
    #[arg(long, value_name = "ORIGINAL_URL")]
    pub url: Option<String>,
    /// What the input is
    #[arg(long, value_enum, default_value = "auto")]
    pub format: Format,
    /// Print one JSON document
    #[arg(long)]
    pub json: bool,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        Format::Auto => InputFormat::Auto,
        Format::Html => InputFormat::Html,
        Format::Text => InputFormat::Text,
    };
    let options = ExtractOptions::default()
        .with_zone(config.timezone)
        .with_cst_means_china(config.ingest.cst_means_china)
        .with_format(format);
    // An empty --url is no URL (benchmark harnesses pass `--url ''` for
    // pages whose origin is unknown).
    let mut page_url = match args.url.as_deref().map(str::trim) {
        Some(u) if !u.is_empty() => {
            Some(url::Url::parse(u).with_context(|| format!("--url {u:?}"))?)
        }
        _ => None,
    };
    let is_url = args.input.starts_with("http://") || args.input.starts_with("https://");
    let (bytes, charset) = if is_url {
        let fetcher = Fetcher::new(config.fetch.clone())?;
        let body = match fetcher
            .fetch(&FetchRequest::page(args.input.as_str()))
            .await?
        {
            FetchOutcome::Fetched(body) => body,
            FetchOutcome::NotModified { .. } => {
                bail!(
                    "{} answered 304 Not Modified to a plain request",
                    args.input
                )
            }
        };
        if page_url.is_none() {
            page_url = Some(body.final_url.clone());
        }
        (body.body.to_vec(), body.charset)
    } else if args.input == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("reading stdin")?;
        (buf, None)
    } else {
        let bytes =
            std::fs::read(&args.input).with_context(|| format!("reading {}", args.input))?;
        (bytes, None)
    };
    let extracted = extract_bytes(&bytes, charset.as_deref(), page_url.as_ref(), &options)
        .with_context(|| format!("extracting {}", args.input))?;
    if args.json {
        crate::output::json(&extracted)?;
    } else {
        print_human(&extracted, config)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_human(x: &Extracted, config: &Config) -> std::io::Result<()> {
    outln!("{}", x.title)?;
    let mut meta = Vec::new();
    if let Some(t) = &x.published_at {
        meta.push(crate::output::time(t, config.timezone));
    }
    if let Some(o) = &x.outlet {
        meta.push(o.clone());
    }
    if !x.authors.is_empty() {
        meta.push(x.authors.join("、"));
    }
    if x.page_type == PageType::List {
        meta.push("list page".into());
    }
    if !meta.is_empty() {
        outln!("{}", meta.join(" · "))?;
    }
    outln!()?;
    if !x.text.is_empty() {
        outln!("{}", x.text)?;
    }
    // Each image as its caption and its address: a dump names the picture
    // but keeps no address, a page's decorative image has no caption.
    if !x.images.is_empty() {
        outln!("\nImages")?;
        for image in &x.images {
            let line = [image.caption.as_str(), image.src.as_str()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("  ");
            outln!("  {line}")?;
        }
    }
    let mut section = "";
    for item in &x.listed_items {
        if item.section != section {
            section = &item.section;
            outln!("\n{section}")?;
        }
        match &item.published_at {
            Some(t) => outln!(
                "  {}  {}",
                crate::output::time(t, config.timezone),
                item.title
            )?,
            None => outln!("  {}", item.title)?,
        }
    }
    Ok(())
}
