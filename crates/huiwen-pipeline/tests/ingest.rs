//! The fetch loop against a real SQLite store and real HTTP servers on
//! 127.0.0.1: feeds land as articles, a second round is answered 304, a
//! broken feed is an error on its source and costs the others nothing.

mod common;

use common::{local_ingester, open_store};
use huiwen_core::config::IngestConfig;
use huiwen_core::{SourceDraft, SourceKind};
use huiwen_pipeline::{Ingester, NoRoundProgress};
use huiwen_store::{ArticleQuery, Store};
use std::io::{BufRead, BufReader, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>测试财经</title><link>http://example.com/</link>
<item><title>央行开展逆回购操作</title><link>http://example.com/a/1.html</link><guid>a1</guid>
<pubDate>Tue, 20 Jan 2026 16:00:42 +0800</pubDate><description><![CDATA[<p>央行今日开展<b>逆回购</b>操作。<script>alert(1)</script></p>]]></description></item>
<item><title>沪指收涨</title><link>http://example.com/a/2.html</link><guid>a2</guid>
<pubDate>2026-01-20 15:05:00</pubDate><description>沪指收涨0.5%。</description></item>
</channel></rss>"#;

/// A feed whose item has no date, answered 200 every time (no validators).
const UNDATED_FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>快讯</title><link>http://example.com/</link>
<item><title>没有日期的快讯</title><link>http://example.com/flash/1.html</link>
<description>一条没有发布时间的快讯。</description></item>
</channel></rss>"#;

/// Serves `/feed.xml` (with an ETag, answering 304 to it), `/broken.xml`,
/// `/slow.xml` and `/undated.xml` (200 every time); counts requests to the
/// first two.
fn serve(hits: Arc<[AtomicUsize; 2]>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut if_none_match = false;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                if line
                    .to_ascii_lowercase()
                    .starts_with("if-none-match: \"v1\"")
                {
                    if_none_match = true;
                }
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let response = match path.as_str() {
                "/feed.xml" => {
                    hits[0].fetch_add(1, Ordering::SeqCst);
                    if if_none_match {
                        "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n"
                            .to_string()
                    } else {
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: \"v1\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{FEED}",
                            FEED.len()
                        )
                    }
                }
                "/broken.xml" => {
                    hits[1].fetch_add(1, Ordering::SeqCst);
                    let body = "<rss><channel><item><title>cut";
                    format!("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
                }
                "/undated.xml" => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{UNDATED_FEED}",
                    UNDATED_FEED.len()
                ),
                "/slow.xml" => {
                    // Slower than the sources' intervals: the round must still
                    // not fetch the others twice while it waits for this one.
                    std::thread::sleep(std::time::Duration::from_millis(2500));
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_string()
                }
                _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string(),
            };
            let mut stream = reader.into_inner();
            let _ = stream.write_all(response.as_bytes());
        }
    });
    base
}

/// An ingester whose sources come due again after one to
/// `max_interval_secs` seconds.
fn ingester(store: &Arc<dyn Store>, max_interval_secs: u32) -> Ingester {
    let ingest = IngestConfig {
        min_interval_secs: 1,
        max_interval_secs,
        ..IngestConfig::default()
    };
    local_ingester(store, ingest)
}

fn feed(name: &str, url: String) -> SourceDraft {
    SourceDraft {
        name: name.into(),
        url: Some(url),
        kind: SourceKind::Feed,
        every_secs: 600,
        zone: Default::default(),
        full_text: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_land_then_answer_304_and_a_broken_feed_is_an_error_on_its_source() {
    let hits = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let site = serve(hits.clone());
    let dir = tempfile::tempdir().expect("tmp");
    let store = open_store(&dir).await;
    let good = store
        .add_source(&feed("测试财经", format!("{site}/feed.xml")))
        .await
        .expect("add");
    store
        .add_source(&feed("坏的", format!("{site}/broken.xml")))
        .await
        .expect("add");
    store
        .add_source(&feed("慢的", format!("{site}/slow.xml")))
        .await
        .expect("add");

    // Intervals of about two seconds: the first round cannot meet its own
    // sources again, and the second round, started later, finds them due.
    let ingester = ingester(&store, 2);

    let first = ingester.run_once(&NoRoundProgress).await;
    assert_eq!(
        (
            first.sources,
            first.fetched,
            first.new_items,
            first.not_modified
        ),
        (3, 1, 2, 0),
        "each source once, though the slow one outlasts the others' intervals: {first:?}"
    );
    assert_eq!(first.errors.len(), 2);
    assert!(first
        .errors
        .iter()
        .any(|e| e.source.ends_with("/broken.xml")));

    let articles = store
        .list_articles(&ArticleQuery {
            source: Some("测试财经".into()),
            ..ArticleQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(articles.articles.len(), 2);
    let repo = articles
        .articles
        .iter()
        .find(|a| a.guid == "a1")
        .expect("a1 stored");
    assert_eq!(repo.title, "央行开展逆回购操作");
    assert_eq!(repo.published_at.to_rfc3339(), "2026-01-20T16:00:42+08:00");
    assert!(!repo.body_html.as_str().contains("script"));
    let naive = articles
        .articles
        .iter()
        .find(|a| a.guid == "a2")
        .expect("a2 stored");
    assert_eq!(
        naive.published_at.to_rfc3339(),
        "2026-01-20T15:05:00+08:00",
        "naive times read in the source's zone"
    );

    let sources = store.sources().await.expect("sources");
    let good_state = &sources
        .iter()
        .find(|s| s.id == good.id)
        .expect("good")
        .fetch;
    assert_eq!(
        (good_state.last_status, good_state.etag.as_deref()),
        (Some(200), Some("\"v1\""))
    );
    let broken_state = &sources
        .iter()
        .find(|s| s.name == "坏的")
        .expect("broken")
        .fetch;
    assert_eq!(broken_state.consecutive_errors, 1);
    assert!(broken_state.last_error.is_some());

    tokio::time::sleep(std::time::Duration::from_millis(2400)).await;
    let second = ingester.run_once(&NoRoundProgress).await;
    assert_eq!(second.not_modified, 1, "{second:?}");
    assert_eq!(second.new_items, 0);
    assert_eq!(
        hits[0].load(Ordering::SeqCst),
        2,
        "one request per round for the good feed"
    );
    let sources = store.sources().await.expect("sources");
    assert_eq!(
        sources
            .iter()
            .find(|s| s.id == good.id)
            .expect("good")
            .fetch
            .last_status,
        Some(304)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undated_item_fetched_again_keeps_its_first_seen_time() {
    let site = serve(Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]));
    let dir = tempfile::tempdir().expect("tmp");
    let store = open_store(&dir).await;
    store
        .add_source(&feed("快讯", format!("{site}/undated.xml")))
        .await
        .expect("add");
    let ingester = ingester(&store, 1);
    let stored = || async {
        let page = store
            .list_articles(&ArticleQuery::default())
            .await
            .expect("list");
        assert_eq!(page.articles.len(), 1);
        (page.articles[0].published_at, page.articles[0].seq)
    };

    let first = ingester.run_once(&NoRoundProgress).await;
    assert_eq!((first.fetched, first.new_items), (1, 1), "{first:?}");
    let (first_seen, seq) = stored().await;
    // A later fetch time is a later stand-in publish time.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let second = ingester.run_once(&NoRoundProgress).await;
    assert_eq!(
        (second.fetched, second.new_items, second.updated_items),
        (1, 0, 0),
        "{second:?}"
    );
    assert_eq!(
        stored().await,
        (first_seen, seq),
        "still the first-seen time"
    );
}
