//! Writers that race: PostgreSQL writes a batch's articles before it takes
//! the sequence counter, so these check what the lock still has to give —
//! followers never miss a change, and the last number is the last version.
//!
//! The server is `HUIWEN_TEST_POSTGRES`, as for the store stories; without
//! one these tests say so and pass, except in CI (`CI=true`).

use huiwen_core::{SourceDraft, SourceId};
use huiwen_store::suite::draft;
use huiwen_store::{Change, Store};
use huiwen_store_postgres::{PostgresOptions, PostgresStore};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn server_url() -> String {
    std::env::var("HUIWEN_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A store in a schema of its own, and the schema's name for dropping it.
async fn fresh(name: &str) -> Option<(Arc<PostgresStore>, String)> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let schema = format!("huiwen_test_{name}_{secs}_{}", std::process::id());
    let options = PostgresOptions {
        schema: Some(schema.clone()),
        connect_timeout: Duration::from_secs(5),
        ..PostgresOptions::default()
    };
    match PostgresStore::open(&server_url(), &options).await {
        Ok(store) => Some((Arc::new(store), schema)),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true and PostgreSQL is not usable: {e}")
        }
        Err(e) => {
            eprintln!("\n!!!!!!!!!! POSTGRESQL WRITER TESTS DID NOT RUN: {e}\n");
            None
        }
    }
}

async fn source(store: &dyn Store, name: &str) -> SourceId {
    store
        .ensure_source(&SourceDraft::import(name))
        .await
        .expect("source")
        .id
}

fn at(minute: u32) -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::TimeZone;
    chrono::FixedOffset::east_opt(8 * 3600)
        .and_then(|o| o.with_ymd_and_hms(2026, 6, 2, 9, minute % 60, 0).single())
        .expect("valid test time")
}

/// A follower reading while four writers insert (some articles shared, so
/// batches are also planned again) sees every article: a number handed out
/// is never committed after a larger one was readable.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_follower_reading_during_writes_misses_nothing() {
    let Some((store, schema)) = fresh("follow").await else {
        return;
    };
    let src = source(&*store, "东方财富").await;
    let done = Arc::new(AtomicBool::new(false));
    let follower = {
        let (store, done) = (store.clone(), done.clone());
        tokio::spawn(async move {
            let (mut last, mut seen) = (0, HashMap::new());
            loop {
                let finished = done.load(Ordering::SeqCst);
                let page = store.changes_since(last, 37).await.expect("follow");
                for a in &page {
                    assert!(a.seq > last, "strictly increasing");
                    last = a.seq;
                    seen.insert(a.id, a.seq);
                }
                if page.is_empty() {
                    if finished {
                        return seen;
                    }
                    tokio::task::yield_now().await;
                }
            }
        })
    };
    let mut writers = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            for b in 0..25 {
                let batch: Vec<_> = (0..12)
                    .map(|i| {
                        let guid = if i < 3 {
                            format!("shared:{b}:{i}")
                        } else {
                            format!("w{w}:{b}:{i}")
                        };
                        draft(src, &guid, &format!("标题 {guid}"), at(i))
                    })
                    .collect();
                store.upsert_articles(&batch).await.expect("batch");
            }
        }));
    }
    for w in writers {
        w.await.expect("writer");
    }
    done.store(true, Ordering::SeqCst);
    let seen = follower.await.expect("follower");
    let stored = store.changes_since(0, 10_000).await.expect("all");
    assert_eq!(stored.len(), 25 * 3 + 4 * 25 * 9);
    for a in &stored {
        assert_eq!(seen.get(&a.id), Some(&a.seq), "the follower saw {}", a.guid);
    }
    assert_eq!(
        store.stats().await.expect("stats").last_seq,
        stored.last().map_or(0, |a| a.seq)
    );
    PostgresStore::drop_schema(&server_url(), &schema)
        .await
        .expect("drop test schema");
}

/// Writers updating the same article at once all succeed, and the version
/// stored is the one that got the last sequence number.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_updates_of_one_article_keep_the_last_numbered_version() {
    let Some((store, schema)) = fresh("race").await else {
        return;
    };
    let src = source(&*store, "财联社").await;
    store
        .upsert_articles(&[draft(src, "race:1", "初稿", at(0))])
        .await
        .expect("first version");
    let mut writers = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let mut versions = Vec::new();
            for n in 0..10 {
                let title = format!("第{w}位作者的第{n}稿");
                let out = store
                    .upsert_articles(&[draft(src, "race:1", &title, at(n))])
                    .await
                    .expect("update");
                assert_eq!(out[0].change, Change::Updated);
                versions.push((out[0].seq, title));
            }
            versions
        }));
    }
    let mut versions = Vec::new();
    for w in writers {
        versions.extend(w.await.expect("writer"));
    }
    let seqs: HashSet<i64> = versions.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(seqs.len(), 40, "every update took its own number");
    let (last_seq, last_title) = versions.iter().max().expect("versions");
    let stored = store.changes_since(0, 10).await.expect("changes");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].seq, *last_seq);
    assert_eq!(&stored[0].title, last_title);
    assert_eq!(store.stats().await.expect("stats").last_seq, *last_seq);
    PostgresStore::drop_schema(&server_url(), &schema)
        .await
        .expect("drop test schema");
}
