//! `huiwen fetch` and `huiwen worker`: the fetch loop.

use huiwen_core::Config;
use huiwen_fetch::Fetcher;
use huiwen_pipeline::{Ingester, RoundSummary};
use huiwen_store::Store;
use std::process::ExitCode;
use std::sync::Arc;

use crate::{output, progress, store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Fetch every due source once and stop (without it: keep fetching, like `huiwen worker`)
    #[arg(long)]
    once: bool,
    /// Print the round's summary as one JSON document (with --once)
    #[arg(long)]
    json: bool,
}

/// The fetch loop, and its store to close when the loop is done (closing
/// folds SQLite's write-ahead log back into the database file).
async fn ingester(config: &Config) -> anyhow::Result<(Ingester, Arc<dyn Store>)> {
    let store = store::open(config).await?;
    let fetcher = Fetcher::new(config.fetch.clone())?;
    let ingester = Ingester::new(Arc::clone(&store), fetcher, config.ingest.clone());
    Ok((ingester, store))
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    if !args.once {
        return worker(config).await;
    }
    let (ingester, store) = ingester(config).await?;
    let bar = Arc::new(progress::CountBar::new("fetching"));
    let summary = ingester.run_once(bar.as_ref()).await;
    drop(bar);
    store.close().await;
    if args.json {
        output::json(&summary)?;
    } else {
        print_summary(&summary)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(s: &RoundSummary) -> std::io::Result<()> {
    outln!(
        "sources {}  fetched {}  not modified {}  new items {}  updated items {}  errors {}  ({:.1} s)",
        s.sources,
        s.fetched,
        s.not_modified,
        s.new_items,
        s.updated_items,
        s.errors.len(),
        s.elapsed_ms as f64 / 1000.0
    )?;
    for e in &s.errors {
        outln!("  {}: {}", e.source, e.error)?;
    }
    Ok(())
}

/// Fetches until Ctrl-C or SIGTERM.
pub async fn worker(config: &Config) -> anyhow::Result<ExitCode> {
    let (ingester, store) = ingester(config).await?;
    tracing::info!(
        concurrency = config.ingest.concurrency,
        "worker started; Ctrl-C stops it"
    );
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("stopping after the current round");
    };
    ingester
        .run_until(stop, &huiwen_pipeline::NoRoundProgress)
        .await;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
