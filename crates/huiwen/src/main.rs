//! `huiwen` — the command line. Deliberately thin: it parses flags, sets up
//! logging and progress bars, opens the store the config points at, and hands
//! over to the library crates. Errors become one `error: …` line and exit
//! code 1.

/// Import and ingest allocate on one thread and free on another; mimalloc
/// handles that far better than glibc's allocator (the import benchmark runs
/// about a third faster with it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `println!` that hands the write error back instead of panicking: a
/// reader that closes the pipe early (`huiwen list | head`) ends the
/// command quietly (see `main`), as it ends `cat`.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `print!` that hands the write error back; see `outln!`.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod commands;
mod output;
mod progress;
mod store;

use anyhow::Context;
use clap::{Parser, Subcommand};
use huiwen_core::Config;
use std::path::PathBuf;

/// 汇闻 huiwen — a news aggregation portal engine, Chinese finance and tech news first.
#[derive(Debug, Parser)]
#[command(name = "huiwen", version, about, long_about = None)]
struct Cli {
    /// Config file [default: ./huiwen.toml when present]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Data directory for the embedded store [config: data_dir]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Store URL: postgres://… or sqlite://PATH [config: db, env: HUIWEN_DB]
    #[arg(long, global = true, value_name = "URL")]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import JSON Lines files (.jsonl, .jsonl.gz): huiwen article JSON or the finance-flash, cctv and finance-rss corpus formats
    Import(commands::import::Args),
    /// List articles, newest first
    List(commands::query::ListArgs),
    /// Show one article by id, URL or guid
    Show(commands::query::ShowArgs),
    /// Counts per source, time range and store size
    Stats(commands::query::StatsArgs),
    /// Manage the feeds and pages huiwen follows
    #[command(subcommand)]
    Source(commands::source::Command),
    /// Fetch the sources that are due: one round with --once, else until stopped
    Fetch(commands::fetch::Args),
    /// Fetch due sources until stopped (Ctrl-C); several workers may share a store
    Worker,
    /// Extract the article from a saved page or a URL: title, authors, outlet, dates, body, lists
    Extract(commands::extract::Args),
    /// Run the current extractor again over the pages articles were extracted from (no fetching)
    Reextract(commands::reextract::Args),
    /// Analyse one Chinese text: tokens, keywords, entities, times, attribution, title, snippet, summary
    Analyze(commands::analyze::Args),
    /// Start a fresh embedded store with the bundled demo corpus
    Demo(commands::demo::Args),
    /// Print an example config, or the config in effect
    #[command(subcommand)]
    Config(commands::config::Command),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // The reader stopped reading (`| head`): nothing is wrong.
        Err(e) if closed_pipe(&e) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Whether `e` comes from writing to a pipe whose reader has gone.
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let mut config = Config::load(cli.config.as_deref(), std::env::vars())
        .context("loading the configuration")?;
    if let Some(dir) = &cli.data_dir {
        config.data_dir = dir.clone();
    }
    if let Some(db) = &cli.db {
        config.db = db.clone();
    }
    progress::init_logging(&config.log);
    // One page or one text needs no worker threads; starting them was a
    // third of `huiwen extract`'s time on a short page.
    let one_shot = matches!(
        cli.command,
        Command::Extract(_) | Command::Analyze(_) | Command::Config(_)
    );
    let runtime = if one_shot {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    }
    .enable_all()
    .build()
    .context("starting the runtime")?;
    runtime.block_on(async move {
        match cli.command {
            Command::Import(args) => commands::import::run(&config, args).await,
            Command::List(args) => commands::query::list(&config, args).await,
            Command::Show(args) => commands::query::show(&config, args).await,
            Command::Stats(args) => commands::query::stats(&config, args).await,
            Command::Fetch(args) => commands::fetch::run(&config, args).await,
            Command::Worker => commands::fetch::worker(&config).await,
            Command::Source(cmd) => commands::source::run(&config, cmd).await,
            Command::Reextract(args) => commands::reextract::run(&config, args).await,
            Command::Demo(args) => commands::demo::run(config, cli.data_dir.is_some(), args).await,
            Command::Config(cmd) => commands::config::run(&config, cmd),
            Command::Analyze(args) => commands::analyze::run(&config, args),
            Command::Extract(args) => commands::extract::run(&config, args).await,
        }
    })
}
