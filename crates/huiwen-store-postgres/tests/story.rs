//! The shared store stories, each in its own fresh PostgreSQL schema.
//!
//! The server is `HUIWEN_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`). When it cannot be reached the
//! stories say so loudly and do not run — except in CI (`CI=true`), where
//! that is a failure.

use huiwen_store::suite::Fixture;
use huiwen_store_postgres::{PostgresOptions, PostgresStore};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

fn server_url() -> String {
    std::env::var("HUIWEN_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

fn unique_schema() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "huiwen_test_{secs}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

async fn fresh() -> Option<Fixture> {
    let url = server_url();
    let schema = unique_schema();
    let options = PostgresOptions {
        schema: Some(schema.clone()),
        connect_timeout: Duration::from_secs(5),
        // The racing-writer stories run four writers at once: each gets a
        // connection, so they really race instead of queueing for one.
        writer_connections: 8,
        ..PostgresOptions::default()
    };
    match PostgresStore::open(&url, &options).await {
        Ok(store) => Some(Fixture {
            store: Arc::new(store),
            teardown: Box::new(move || {
                Box::pin(async move {
                    PostgresStore::drop_schema(&url, &schema)
                        .await
                        .expect("drop test schema");
                })
            }),
        }),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true and PostgreSQL at {url} is not usable: {e}")
        }
        Err(e) => {
            eprintln!("\n!!!!!!!!!! POSTGRESQL STORE TESTS DID NOT RUN: {url} is not usable: {e}");
            eprintln!(
                "!!!!!!!!!! start PostgreSQL or set HUIWEN_TEST_POSTGRES; in CI this fails.\n"
            );
            None
        }
    }
}

huiwen_store::story_tests!(fresh);
