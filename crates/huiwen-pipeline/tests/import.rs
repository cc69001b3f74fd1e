//! The importer against a real SQLite store, with every kind of bad input the
//! foundation issue names next to good records.

use flate2::write::GzEncoder;
use flate2::Compression;
use huiwen_pipeline::{import_files, ImportOptions, NoProgress};
use huiwen_store::{ArticleQuery, Store};
use huiwen_store_sqlite::{SqliteOptions, SqliteStore};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn flash(id: u32, title: &str, content: &str, datetime: &str) -> String {
    serde_json::json!({
        "brief": "", "category": "", "content": content, "ctime": 0, "date": "2026-05-14",
        "datetime": datetime, "id": id.to_string(), "level": "C", "shareurl": "", "source": "cls",
        "source_name": "财联社", "stocks": [], "subjects": ["环球市场情报"], "time": "00:00:00", "title": title
    })
    .to_string()
}

fn gzip(lines: &[String]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    for l in lines {
        enc.write_all(l.as_bytes()).expect("gz");
        enc.write_all(b"\n").expect("gz");
    }
    enc.finish().expect("gz")
}

async fn store(dir: &Path) -> Arc<SqliteStore> {
    Arc::new(
        SqliteStore::open(&dir.join("huiwen.db"), &SqliteOptions::default())
            .await
            .expect("open"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_records_are_counted_and_explained_and_the_rest_lands() {
    let dir = tempfile::tempdir().expect("tmp");
    let good: Vec<String> = (0..20)
        .map(|i| {
            flash(
                i,
                &format!("快讯{i}"),
                &format!("财联社5月14日电，第{i}条。"),
                "2026-05-14T09:00:00+08:00",
            )
        })
        .collect();

    let mut mixed: Vec<u8> = Vec::new();
    for l in &good[..10] {
        mixed.extend_from_slice(l.as_bytes());
        mixed.push(b'\n');
    }
    mixed.extend_from_slice(b"{\"title\": \"\xff\xfe bad bytes\"}\n"); // line 11: invalid UTF-8
    mixed.extend_from_slice(
        flash(100, "", "财联社5月14日电，", "2026-05-14T09:00:00+08:00").as_bytes(),
    ); // 12: no title, no lead
    mixed.push(b'\n');
    mixed.extend_from_slice(flash(101, "未来", "正文。", "2099-01-01T00:00:00+08:00").as_bytes()); // 13
    mixed.push(b'\n');
    mixed.extend_from_slice(flash(102, "远古", "正文。", "1985-01-01T00:00:00+08:00").as_bytes()); // 14
    mixed.push(b'\n');
    mixed.extend_from_slice(
        flash(
            103,
            "巨大",
            &"长".repeat(10 * 1024 * 1024 / 3),
            "2026-05-14T09:00:00+08:00",
        )
        .as_bytes(),
    ); // 15: 10 MB
    mixed.push(b'\n');
    mixed.extend_from_slice(b"{\"weather\": \"sunny\", \"temp\": 21}\n"); // 16: unknown shape
    mixed.extend_from_slice(good[3].as_bytes()); // 17: same item twice
    mixed.push(b'\n');
    mixed.extend_from_slice(b"\n   \n"); // blank lines are not records
    mixed.extend_from_slice(b"{\"truncated\": \n"); // 20: broken JSON
    std::fs::write(dir.path().join("mixed.jsonl"), &mixed).expect("write");

    // A gzip file cut in half: what was readable before the cut still lands.
    let whole = gzip(&good[10..]);
    std::fs::write(dir.path().join("cut.jsonl.gz"), &whole[..whole.len() / 2]).expect("write");

    let files: Vec<PathBuf> = vec![
        dir.path().join("mixed.jsonl"),
        dir.path().join("missing.jsonl"),
        dir.path().join("cut.jsonl.gz"),
    ];
    let store = store(dir.path()).await;
    let options = ImportOptions {
        batch_size: 4,
        ..ImportOptions::default()
    };
    let summary = import_files(store.clone(), &files, &options, Arc::new(NoProgress)).await;

    let reasons: Vec<(Option<u64>, &str)> = summary
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    let reason_of = |line: u64| {
        summary
            .rejects
            .iter()
            .find(|r| r.line == Some(line) && r.file.ends_with("mixed.jsonl"))
            .map(|r| r.reason.clone())
            .unwrap_or_default()
    };
    assert!(reason_of(11).contains("not valid UTF-8"), "{reasons:?}");
    assert!(reason_of(12).contains("no title"), "{reasons:?}");
    assert!(reason_of(13).contains("future"), "{reasons:?}");
    assert!(reason_of(14).contains("before 1990"), "{reasons:?}");
    assert!(reason_of(15).contains("max_body_bytes"), "{reasons:?}");
    assert!(
        reason_of(16).contains("unknown record shape"),
        "{reasons:?}"
    );
    assert!(reason_of(17).contains("duplicate of line 4"), "{reasons:?}");
    assert!(reason_of(20).contains("not valid JSON"), "{reasons:?}");
    let missing = summary
        .rejects
        .iter()
        .find(|r| r.file.ends_with("missing.jsonl"))
        .expect("missing file reported");
    assert_eq!(missing.line, None);
    let cut = summary
        .rejects
        .iter()
        .find(|r| r.file.ends_with("cut.jsonl.gz") && r.line.is_none())
        .expect("cut file reported");
    assert!(cut.reason.contains("ends early"), "{}", cut.reason);

    let landed_from_cut = summary.imported - 10;
    assert!(
        landed_from_cut < 10,
        "the cut file cannot have delivered everything"
    );
    assert_eq!(summary.rejected, 8 + 2);
    assert_eq!(
        store.stats().await.expect("stats").articles,
        summary.imported
    );

    // The untouched file again: everything unchanged, the same rejects.
    let again = import_files(store.clone(), &files[..1], &options, Arc::new(NoProgress)).await;
    assert_eq!(
        (
            again.imported,
            again.updated,
            again.unchanged,
            again.rejected
        ),
        (0, 0, 10, 8)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_are_capped_but_counts_stay_exact() {
    let dir = tempfile::tempdir().expect("tmp");
    let lines: String = (0..50).map(|i| format!("{{\"n\": {i}}}\n")).collect();
    std::fs::write(dir.path().join("junk.jsonl"), lines).expect("write");
    let store = store(dir.path()).await;
    let options = ImportOptions {
        max_rejects: 5,
        ..ImportOptions::default()
    };
    let summary = import_files(
        store.clone(),
        &[dir.path().join("junk.jsonl")],
        &options,
        Arc::new(NoProgress),
    )
    .await;
    assert_eq!(summary.rejected, 50);
    assert_eq!(summary.rejects.len(), 5);
    assert_eq!(summary.rejects[4].line, Some(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_corpus_formats_import_and_reimport_unchanged() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/demo-corpus.jsonl.gz");
    let store = store(dir.path()).await;
    let files = vec![corpus];
    let first = import_files(
        store.clone(),
        &files,
        &ImportOptions::default(),
        Arc::new(NoProgress),
    )
    .await;
    assert!(first.imported > 1000, "{first:?}");
    assert_eq!(first.updated, 0);
    let second = import_files(
        store.clone(),
        &files,
        &ImportOptions::default(),
        Arc::new(NoProgress),
    )
    .await;
    assert_eq!(second.unchanged, first.imported);
    assert_eq!(
        (second.imported, second.updated, second.rejected),
        (0, 0, first.rejected)
    );
    let sources = store.stats().await.expect("stats").sources;
    for expected in ["财联社", "同花顺", "东方财富", "CCTV 新闻联播"] {
        assert!(
            sources.iter().any(|s| s.name == expected && s.articles > 0),
            "{expected} missing from {sources:?}"
        );
    }
    let newest = store
        .list_articles(&ArticleQuery {
            limit: 5,
            ..ArticleQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(newest.articles.len(), 5);
    assert!(newest.articles.iter().all(|a| !a.title.trim().is_empty()));
    // Headline-only feed items exist; the flash items all have a body.
    let flash = store
        .list_articles(&ArticleQuery {
            source: Some("财联社".into()),
            limit: 50,
            ..ArticleQuery::default()
        })
        .await
        .expect("list");
    assert!(flash
        .articles
        .iter()
        .all(|a| !a.text.is_empty() && a.published_at.offset().local_minus_utc() == 8 * 3600));
}

/// A real store that refuses any batch holding one poisoned article, as a
/// database would on a constraint it alone knows about.
#[derive(Debug)]
struct RefusesOne {
    inner: SqliteStore,
    poisoned: &'static str,
}

#[async_trait::async_trait]
impl Store for RefusesOne {
    fn backend(&self) -> huiwen_store::Backend {
        self.inner.backend()
    }
    async fn ensure_source(
        &self,
        d: &huiwen_core::SourceDraft,
    ) -> Result<huiwen_core::Source, huiwen_store::StoreError> {
        self.inner.ensure_source(d).await
    }
    async fn sources(&self) -> Result<Vec<huiwen_core::Source>, huiwen_store::StoreError> {
        self.inner.sources().await
    }
    async fn upsert_articles(
        &self,
        batch: &[huiwen_core::ArticleDraft],
    ) -> Result<Vec<huiwen_store::UpsertOutcome>, huiwen_store::StoreError> {
        if batch.iter().any(|d| d.guid == self.poisoned) {
            let refusal = std::io::Error::other("constraint \"no_poison\" violated");
            return Err(huiwen_store::StoreError::database(
                "inserting articles",
                refusal,
            ));
        }
        self.inner.upsert_articles(batch).await
    }
    async fn article(
        &self,
        id: huiwen_core::ArticleId,
    ) -> Result<Option<huiwen_core::Article>, huiwen_store::StoreError> {
        self.inner.article(id).await
    }
    async fn article_by_url(
        &self,
        u: &str,
    ) -> Result<Option<huiwen_core::Article>, huiwen_store::StoreError> {
        self.inner.article_by_url(u).await
    }
    async fn list_articles(
        &self,
        q: &ArticleQuery,
    ) -> Result<huiwen_store::ArticlePage, huiwen_store::StoreError> {
        self.inner.list_articles(q).await
    }
    async fn changes_since(
        &self,
        s: i64,
        l: u32,
    ) -> Result<Vec<huiwen_core::Article>, huiwen_store::StoreError> {
        self.inner.changes_since(s, l).await
    }
    async fn add_source(
        &self,
        d: &huiwen_core::SourceDraft,
    ) -> Result<huiwen_core::Source, huiwen_store::StoreError> {
        self.inner.add_source(d).await
    }
    async fn remove_source(
        &self,
        id: huiwen_core::SourceId,
    ) -> Result<bool, huiwen_store::StoreError> {
        self.inner.remove_source(id).await
    }
    async fn claim_due_sources(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        limit: u32,
        lease: std::time::Duration,
    ) -> Result<Vec<huiwen_core::Source>, huiwen_store::StoreError> {
        self.inner.claim_due_sources(now, limit, lease).await
    }
    async fn record_fetch(
        &self,
        id: huiwen_core::SourceId,
        report: &huiwen_core::FetchReport,
    ) -> Result<(), huiwen_store::StoreError> {
        self.inner.record_fetch(id, report).await
    }
    async fn stats(&self) -> Result<huiwen_store::StoreStats, huiwen_store::StoreError> {
        self.inner.stats().await
    }
    async fn save_pages(
        &self,
        pages: &[huiwen_store::StoredPage],
    ) -> Result<(), huiwen_store::StoreError> {
        self.inner.save_pages(pages).await
    }
    async fn pages(
        &self,
        query: &huiwen_store::PageQuery,
    ) -> Result<Vec<huiwen_store::StoredPage>, huiwen_store::StoreError> {
        self.inner.pages(query).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_the_store_refuses_costs_only_the_bad_record() {
    let dir = tempfile::tempdir().expect("tmp");
    let lines: String = (0..20)
        .map(|i| {
            flash(
                i,
                &format!("快讯{i}"),
                "财联社5月14日电，正文。",
                "2026-05-14T09:00:00+08:00",
            ) + "\n"
        })
        .collect();
    std::fs::write(dir.path().join("f.jsonl"), lines).expect("write");
    let store = Arc::new(RefusesOne {
        inner: Arc::into_inner(store(dir.path()).await).expect("sole owner"),
        poisoned: "cls:13",
    });
    let options = ImportOptions {
        batch_size: 8,
        ..ImportOptions::default()
    };
    let summary = import_files(
        store.clone(),
        &[dir.path().join("f.jsonl")],
        &options,
        Arc::new(NoProgress),
    )
    .await;
    assert_eq!((summary.imported, summary.rejected), (19, 1));
    assert_eq!(summary.rejects[0].line, Some(14));
    assert!(
        summary.rejects[0].reason.contains("no_poison"),
        "{}",
        summary.rejects[0].reason
    );
}
