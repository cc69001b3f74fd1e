//! Setup shared by the ingest and page tests: a SQLite store in a temporary
//! directory and an ingester allowed to reach servers on 127.0.0.1.

use huiwen_core::config::{FetchConfig, IngestConfig};
use huiwen_fetch::Fetcher;
use huiwen_pipeline::Ingester;
use huiwen_store::Store;
use huiwen_store_sqlite::{SqliteOptions, SqliteStore};
use std::sync::Arc;

pub async fn open_store(dir: &tempfile::TempDir) -> Arc<dyn Store> {
    Arc::new(
        SqliteStore::open(&dir.path().join("huiwen.db"), &SqliteOptions::default())
            .await
            .expect("open"),
    )
}

/// An ingester for the tests' servers on 127.0.0.1, with no per-host
/// spacing between requests.
pub fn local_ingester(store: &Arc<dyn Store>, ingest: IngestConfig) -> Ingester {
    let fetch = FetchConfig {
        allow_private_networks: true,
        per_host_min_interval_ms: 0,
        ..FetchConfig::default()
    };
    Ingester::new(store.clone(), Fetcher::new(fetch).expect("fetcher"), ingest)
}
