use huiwen_core::{Config, DraftLimits};
use huiwen_pipeline::{import_files, ImportOptions, ImportSummary};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::{output, progress, store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to import (.jsonl or .jsonl.gz)
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Records per transaction [config: import.batch_size]
    #[arg(long, value_name = "N")]
    batch_size: Option<usize>,
    /// Print the summary as one JSON document
    #[arg(long)]
    json: bool,
}

pub fn options(config: &Config) -> ImportOptions {
    ImportOptions {
        batch_size: config.import.batch_size,
        limits: DraftLimits {
            max_body_bytes: config.import.max_body_bytes,
        },
        max_rejects: config.import.max_rejects,
        zone: config.timezone,
    }
}

/// Exit code 1 when a whole file could not be read; rejected records alone
/// are normal for real corpora and only show in the summary.
pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let store = store::open(config).await?;
    let mut options = options(config);
    if let Some(n) = args.batch_size {
        options.batch_size = n;
    }
    let summary = import_with_bar(store.clone(), &args.files, &options).await;
    store.close().await;
    if args.json {
        output::json(&summary)?;
    } else {
        print_summary(&summary)?;
    }
    Ok(if summary.rejects.iter().any(|r| r.line.is_none()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub async fn import_with_bar(
    store: Arc<dyn huiwen_store::Store>,
    files: &[PathBuf],
    options: &ImportOptions,
) -> ImportSummary {
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let started = std::time::Instant::now();
    let bar = Arc::new(progress::ImportBar::new(total));
    let summary = import_files(store, files, options, bar.clone()).await;
    drop(bar);
    let records = summary.imported + summary.updated + summary.unchanged + summary.rejected;
    let secs = started.elapsed().as_secs_f64();
    tracing::info!(
        records,
        seconds = format!("{secs:.1}"),
        per_second = format!("{:.0}", records as f64 / secs.max(1e-9)),
        "import finished"
    );
    summary
}

/// The counts, and the first rejects (`--json` lists up to import.max_rejects).
pub fn print_summary(s: &ImportSummary) -> std::io::Result<()> {
    const SHOWN: usize = 20;
    outln!(
        "imported {}  updated {}  unchanged {}  rejected {}",
        s.imported,
        s.updated,
        s.unchanged,
        s.rejected
    )?;
    for r in s.rejects.iter().take(SHOWN) {
        match r.line {
            Some(line) => outln!("  {}:{}: {}", r.file, line, r.reason)?,
            None => outln!("  {}: {}", r.file, r.reason)?,
        }
    }
    let shown = s.rejects.len().min(SHOWN) as u64;
    if s.rejected > shown {
        outln!(
            "  … and {} more (--json lists up to import.max_rejects of them)",
            s.rejected - shown
        )?;
    }
    Ok(())
}
