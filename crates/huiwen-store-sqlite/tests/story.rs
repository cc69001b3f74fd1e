//! The shared store stories, on a fresh SQLite file each.

use huiwen_store::suite::Fixture;
use huiwen_store_sqlite::{SqliteOptions, SqliteStore};
use std::sync::Arc;

async fn fresh() -> Option<Fixture> {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("huiwen.db"), &SqliteOptions::default())
        .await
        .expect("open");
    Some(Fixture {
        store: Arc::new(store),
        teardown: Box::new(move || Box::pin(async move { drop(dir) })),
    })
}

huiwen_store::story_tests!(fresh);

#[tokio::test]
async fn reopening_keeps_data_and_migrations_are_idempotent() {
    use huiwen_core::SourceDraft;
    use huiwen_store::Store;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested/dir/huiwen.db");
    {
        let store = SqliteStore::open(&path, &SqliteOptions::default())
            .await
            .expect("open");
        let src = store
            .ensure_source(&SourceDraft::import("财联社"))
            .await
            .expect("source");
        let d = huiwen_store::suite::draft(
            src.id,
            "cls:1",
            "标题",
            chrono::DateTime::parse_from_rfc3339("2026-05-14T00:00:00+08:00").expect("t"),
        );
        store.upsert_articles(&[d]).await.expect("write");
    }
    let store = SqliteStore::open(&path, &SqliteOptions::default())
        .await
        .expect("reopen");
    assert_eq!(store.stats().await.expect("stats").articles, 1);
    // Ask the file itself, through a separate plain connection.
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("connect");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .expect("pragma");
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn a_store_from_a_newer_huiwen_is_refused_not_damaged() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huiwen.db");
    SqliteStore::open(&path, &SqliteOptions::default())
        .await
        .expect("create");
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("connect");
    sqlx::query(
        "INSERT INTO huiwen_migrations (version, description, applied_at) VALUES (99, 'future', 0)",
    )
    .execute(&mut conn)
    .await
    .expect("insert");
    conn.close().await.expect("close");
    let err = SqliteStore::open(&path, &SqliteOptions::default())
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("newer than this huiwen"), "{err}");
}

/// Checkpoints run in the background, so the log can grow while writers
/// work; closing the store must fold it back in and leave one file.
#[tokio::test]
async fn closing_folds_the_log_into_the_database_file() {
    use huiwen_core::SourceDraft;
    use huiwen_store::Store;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huiwen.db");
    let store = SqliteStore::open(&path, &SqliteOptions::default())
        .await
        .expect("open");
    let src = store
        .ensure_source(&SourceDraft::import("财联社"))
        .await
        .expect("source");
    let at = chrono::DateTime::parse_from_rfc3339("2026-05-14T00:00:00+08:00").expect("t");
    // Megabytes of log, so that folding it in takes a moment: the process
    // may exit right after `close` returns.
    let body = "财联社5月14日电，这是正文。".repeat(300);
    for chunk in 0..4 {
        let batch: Vec<_> = (0..500)
            .map(|i| {
                let guid = format!("cls:{chunk}:{i}");
                let mut d = huiwen_store::suite::draft(src.id, &guid, "标题", at);
                d.text = format!("{guid} {body}");
                d.body_html = huiwen_core::SanitizedHtml::from_plain_text(&d.text);
                d
            })
            .collect();
        store.upsert_articles(&batch).await.expect("write");
    }
    let wal = dir.path().join("huiwen.db-wal");
    let log_bytes = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    assert!(log_bytes() > 0, "the write went to the log first");
    store.close().await;
    assert_eq!(log_bytes(), 0, "closing left the log behind");
    let reopened = SqliteStore::open(&path, &SqliteOptions::default())
        .await
        .expect("reopen");
    assert_eq!(reopened.stats().await.expect("stats").articles, 2000);
}
