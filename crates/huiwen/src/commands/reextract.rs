//! `huiwen reextract`: the current extractor over the pages articles were
//! extracted from, without fetching them again.

use huiwen_core::Config;
use huiwen_extract::ExtractOptions;
use huiwen_pipeline::pages::{reextract, ReextractOptions, ReextractSummary};
use std::process::ExitCode;

use crate::commands::source::find_source;
use crate::{output, store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this source's articles (id, URL or name)
    #[arg(long, value_name = "SOURCE")]
    source: Option<String>,
    /// Also pages the current extractor version already read
    #[arg(long)]
    all: bool,
    /// Print the summary as one JSON document
    #[arg(long)]
    json: bool,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let store = store::open(config).await?;
    let source = match &args.source {
        Some(key) => Some(find_source(store.sources().await?, key)?.id),
        None => None,
    };
    let options = ReextractOptions {
        source,
        all: args.all,
        extract: ExtractOptions::default()
            .with_zone(config.timezone)
            .with_cst_means_china(config.ingest.cst_means_china),
    };
    let span = tracing::info_span!("reextract");
    {
        use tracing_indicatif::span_ext::IndicatifSpanExt;
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{spinner} re-extracting {pos} pages {msg}")
        {
            span.pb_set_style(&style);
        }
    }
    let progress = {
        let span = span.clone();
        move |done: u64| {
            use tracing_indicatif::span_ext::IndicatifSpanExt;
            span.pb_set_position(done);
        }
    };
    let summary = span.in_scope(|| async { reextract(&store, &options, &progress).await });
    let summary = summary.await?;
    drop(span);
    store.close().await;
    if args.json {
        output::json(&summary)?;
    } else {
        print_summary(&summary)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(s: &ReextractSummary) -> std::io::Result<()> {
    outln!(
        "pages {}  already current {}  updated {}  unchanged {}  failed {}  (extractor {})",
        s.pages,
        s.current,
        s.updated,
        s.unchanged,
        s.failed.len(),
        s.extractor_version
    )?;
    for f in &s.failed {
        outln!("  article {} {}: {}", f.article_id, f.url, f.error)?;
    }
    Ok(())
}
