//! Opening the store a config points at.

use anyhow::Context;
use huiwen_core::config::StoreLocation;
use huiwen_core::Config;
use huiwen_store::Store;
use huiwen_store_postgres::{PostgresOptions, PostgresStore};
use huiwen_store_sqlite::{SqliteOptions, SqliteStore};
use std::sync::Arc;
use std::time::Duration;

pub async fn open(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match config.store_location()? {
        StoreLocation::Sqlite(path) => {
            tracing::debug!(path = %path.display(), "opening the SQLite store");
            let options = SqliteOptions {
                busy_timeout: Duration::from_millis(config.store.sqlite_busy_timeout_ms),
                ..SqliteOptions::default()
            };
            Arc::new(
                SqliteStore::open(&path, &options)
                    .await
                    .context("opening the SQLite store")?,
            )
        }
        StoreLocation::Postgres(url) => {
            tracing::debug!("opening the PostgreSQL store");
            let schema =
                Some(config.store.postgres_schema.trim().to_string()).filter(|s| !s.is_empty());
            let options = PostgresOptions {
                max_connections: config.store.postgres_max_connections,
                writer_connections: config.store.postgres_writer_connections,
                schema,
                ..PostgresOptions::default()
            };
            Arc::new(
                PostgresStore::open(&url, &options)
                    .await
                    .context("opening the PostgreSQL store")?,
            )
        }
    })
}

/// Where the store is, for people.
pub fn describe(config: &Config) -> String {
    match config.store_location() {
        Ok(StoreLocation::Sqlite(path)) => format!("SQLite {}", path.display()),
        Ok(StoreLocation::Postgres(url)) => {
            let host = url::Url::parse(&url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
            format!("PostgreSQL on {host}")
        }
        Err(e) => e.to_string(),
    }
}
