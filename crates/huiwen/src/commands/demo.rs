//! `huiwen demo`: what a newcomer runs first. A fresh embedded store, the
//! bundled corpus imported into it, and a look at what landed.

use anyhow::Context;
use huiwen_core::Config;
use huiwen_store::ArticleQuery;
use std::process::ExitCode;

use crate::commands::{import, query};
use crate::{output, store};

/// Three days of flash news from 财联社, 同花顺 and 东方财富, a week of CCTV
/// 新闻联播 and a week of finance RSS items (see NOTICE).
const DEMO_CORPUS: &[u8] = include_bytes!("../../../../data/demo/demo-corpus.jsonl.gz");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port for the web portal (served once the web part exists)
    #[arg(long, value_name = "PORT")]
    port: Option<u16>,
}

pub async fn run(mut config: Config, data_dir_given: bool, args: Args) -> anyhow::Result<ExitCode> {
    // Without --data-dir the demo lives in a temporary directory, removed on exit.
    let temp = if data_dir_given {
        None
    } else {
        Some(tempfile::Builder::new().prefix("huiwen-demo-").tempdir()?)
    };
    if let Some(t) = &temp {
        config.data_dir = t.path().to_path_buf();
    }
    config.db = String::new();
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating {}", config.data_dir.display()))?;
    let corpus = config.data_dir.join("demo-corpus.jsonl.gz");
    std::fs::write(&corpus, DEMO_CORPUS)
        .with_context(|| format!("writing {}", corpus.display()))?;

    outln!(
        "汇闻 huiwen demo — embedded store at {}\n",
        config.data_dir.display()
    )?;
    let store = store::open(&config).await?;
    let summary =
        import::import_with_bar(store.clone(), &[corpus], &import::options(&config)).await;
    import::print_summary(&summary)?;

    outln!()?;
    query::print_stats(
        &store.stats().await?,
        &store::describe(&config),
        config.timezone,
    )?;
    outln!("\nNewest articles (times in {}):", config.timezone)?;
    let newest = store
        .list_articles(&ArticleQuery {
            limit: 15,
            ..ArticleQuery::default()
        })
        .await?;
    out!(
        "{}",
        output::article_lines(&newest.articles, config.timezone)
    )?;

    outln!(
        "\nThe web portal (home, article, story, search and source pages, JSON API) is not built yet; \
         once it is, `huiwen demo` serves it{}.",
        args.port.map(|p| format!(" on port {p}")).unwrap_or_default()
    )?;
    store.close().await;
    match &temp {
        Some(_) => outln!("This demo store is temporary. Keep one with: huiwen demo --data-dir ./huiwen-data")?,
        None => outln!(
            "Explore it: huiwen --data-dir {} list --source 财联社   |   huiwen --data-dir {0} show ID",
            config.data_dir.display()
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
