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
/// work; closing the store folds it back in and empties it even while
/// another process (here a plain connection) still has the file open, when
/// SQLite's own fold on the last close does not happen.
#[tokio::test]
async fn closing_folds_the_log_into_the_database_file() {
    use huiwen_core::SourceDraft;
    use huiwen_store::Store;
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huiwen.db");
    let store = SqliteStore::open(&path, &SqliteOptions::default())
        .await
        .expect("open");
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("connect");
    let src = store
        .ensure_source(&SourceDraft::import("财联社"))
        .await
        .expect("source");
    let at = chrono::DateTime::parse_from_rfc3339("2026-05-14T00:00:00+08:00").expect("t");
    let batch: Vec<_> = (0..200)
        .map(|i| huiwen_store::suite::draft(src.id, &format!("cls:{i}"), "标题", at))
        .collect();
    store.upsert_articles(&batch).await.expect("write");
    let wal = dir.path().join("huiwen.db-wal");
    let log_bytes = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    assert!(log_bytes() > 0, "the write went to the log first");
    store.close().await;
    assert_eq!(log_bytes(), 0, "closing left the log behind");
    let articles: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(&mut other)
        .await
        .expect("count");
    assert_eq!(articles, 200);
}
