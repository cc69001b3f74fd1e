//! The story tests every backend runs (atuin's idea: one storage story, many
//! backends). A backend's test file calls [`crate::story_tests!`] with an
//! async function returning a fresh, empty store (`None` to skip, loudly).
//!
//! Each story is a plain async function so a failure points at the story, not
//! at a macro.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use huiwen_core::{
    Article, ArticleDraft, ArticleId, Image, SanitizedHtml, SourceDraft, SourceId, SourceKind,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::{ArticleQuery, Change, Cursor, PageQuery, Store, StoreError, StoredPage};

/// A store under test and what to do when the story is over.
pub struct Fixture {
    pub store: Arc<dyn Store>,
    pub teardown: Box<dyn FnOnce() -> futures_lite_boxed::BoxFuture + Send>,
}

impl std::fmt::Debug for Fixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fixture")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// A boxed future without pulling in the futures crate.
pub mod futures_lite_boxed {
    pub type BoxFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;
}

/// Generates one `#[tokio::test]` per story for a backend.
#[macro_export]
macro_rules! story_tests {
    ($fresh:path) => {
        $crate::story_tests!(@each $fresh;
            sources_are_found_or_created,
            insert_then_read_back,
            importing_twice_changes_nothing,
            update_changes_content_and_sequence,
            matched_by_url_when_guid_differs,
            a_copy_from_another_source_leaves_the_article_alone,
            an_undated_article_keeps_the_time_it_was_first_seen,
            same_article_twice_in_one_batch,
            list_by_source_and_time_with_cursor,
            following_the_change_sequence,
            concurrent_writers,
            a_follower_reading_during_writes_misses_nothing,
            racing_updates_of_one_article_keep_the_last_numbered_version,
            failed_batch_rolls_back,
            invalid_draft_is_refused_before_writing,
            stats_count_what_is_stored,
            sources_are_added_removed_and_revived,
            due_sources_are_claimed_by_one_worker_at_a_time,
            fetch_reports_update_the_fetch_state,
            pages_are_kept_for_reextraction,
        );
    };
    (@each $fresh:path; $($story:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $story() {
                if let Some(fixture) = $fresh().await {
                    $crate::suite::$story(fixture.store.clone()).await;
                    (fixture.teardown)().await;
                }
            }
        )*
    };
}

fn shanghai(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
        .and_then(|o| o.with_ymd_and_hms(y, mo, d, h, mi, 0).single())
        .expect("valid test time")
}

/// A draft with recognisable content.
pub fn draft(
    source: SourceId,
    guid: &str,
    title: &str,
    published_at: DateTime<FixedOffset>,
) -> ArticleDraft {
    let text = format!("{title}。财联社5月14日电，这是正文。");
    ArticleDraft {
        source_id: source,
        guid: guid.to_string(),
        url: Some(format!("https://news.example.com/{guid}.html")),
        outlet: None,
        title: title.to_string(),
        authors: vec![],
        published_at,
        undated: false,
        fetched_at: Utc::now(),
        body_html: SanitizedHtml::from_plain_text(&text),
        text,
        summary: String::new(),
        lang: "zh".to_string(),
        images: vec![],
        tags: vec![],
    }
}

fn feed(name: &str, url: &str) -> SourceDraft {
    SourceDraft {
        name: name.to_string(),
        url: Some(url.to_string()),
        kind: SourceKind::Feed,
        every_secs: 600,
        zone: huiwen_core::time::Zone::default(),
        full_text: false,
    }
}

async fn source(store: &dyn Store, name: &str) -> SourceId {
    store
        .ensure_source(&SourceDraft::import(name))
        .await
        .expect("source")
        .id
}

/// The stored article `id`, which the story has just written.
async fn stored(store: &dyn Store, id: ArticleId) -> Article {
    store.article(id).await.expect("read").expect("exists")
}

fn changes(outcomes: &[crate::UpsertOutcome]) -> Vec<Change> {
    outcomes.iter().map(|o| o.change).collect()
}

pub async fn sources_are_found_or_created(store: Arc<dyn Store>) {
    let a = store
        .ensure_source(&feed("财联社", "https://www.cls.cn/"))
        .await
        .expect("create");
    let again = store
        .ensure_source(&SourceDraft::import("财联社"))
        .await
        .expect("find");
    assert_eq!(a.id, again.id);
    assert_eq!(
        again.kind,
        SourceKind::Feed,
        "finding a source does not change it"
    );
    assert_eq!(again.url.as_deref(), Some("https://www.cls.cn/"));
    let b = source(&*store, "同花顺").await;
    assert_ne!(a.id, b);
    let names: Vec<String> = store
        .sources()
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"同花顺".to_string()));
}

pub async fn insert_then_read_back(store: Arc<dyn Store>) {
    let src = source(&*store, "财联社").await;
    let mut d = draft(
        src,
        "cls:1",
        "美联储Collins：近期出现了许多供应冲击",
        shanghai(2026, 5, 14, 0, 8),
    );
    d.authors = vec!["陈思佳".into()];
    d.outlet = Some("观察者网".into());
    d.images = vec![Image {
        src: "https://img.example.com/a.jpg".into(),
        caption: "视频截图".into(),
    }];
    d.tags = vec!["环球市场情报".into(), "美股动态".into()];
    d.summary = "一直预计生产力会继续增长。".into();
    d.published_at = DateTime::parse_from_rfc3339("2026-05-13T12:08:23.250-04:00").expect("time");
    let out = store
        .upsert_articles(std::slice::from_ref(&d))
        .await
        .expect("insert");
    assert_eq!(changes(&out), vec![Change::Inserted]);
    assert!(out[0].seq > 0);

    let a = stored(&*store, out[0].id).await;
    assert_eq!(a.guid, d.guid);
    assert_eq!(a.url, d.url);
    assert_eq!(a.source, "财联社");
    assert_eq!(a.source_id, src);
    assert_eq!(a.outlet, "观察者网");
    assert_eq!(a.title, d.title);
    assert_eq!(a.authors, d.authors);
    assert_eq!(a.published_at, d.published_at);
    assert_eq!(
        a.published_at.to_rfc3339(),
        "2026-05-13T12:08:23.250-04:00",
        "original offset kept"
    );
    assert_eq!(
        a.fetched_at.timestamp_micros(),
        d.fetched_at.timestamp_micros()
    );
    assert_eq!(a.body_html, d.body_html);
    assert_eq!(a.text, d.text);
    assert_eq!(a.summary, d.summary);
    assert_eq!(a.lang, "zh");
    assert_eq!(a.images, d.images);
    assert_eq!(a.tags, d.tags);
    assert_eq!(a.content_hash, d.content_hash());
    assert_eq!(a.seq, out[0].seq);

    let by_url = store
        .article_by_url("https://news.example.com/cls:1.html")
        .await
        .expect("read")
        .expect("by url");
    assert_eq!(by_url.id, a.id);
    let by_guid = store
        .article_by_url("cls:1")
        .await
        .expect("read")
        .expect("by guid");
    assert_eq!(by_guid.id, a.id);
    assert!(store
        .article_by_url("https://nowhere.example.com/")
        .await
        .expect("read")
        .is_none());
    assert!(store
        .article(huiwen_core::ArticleId(a.id.0 + 1000))
        .await
        .expect("read")
        .is_none());

    // A body is stored once where one form is derived from the other: plain
    // paragraphs from the text, the text of a feed entry from its markup.
    // An extractor's own text, which is not a reading of its markup, is
    // kept beside it. All three read back as they were written.
    let mut rich = draft(src, "cls:3", "有格式", shanghai(2026, 5, 14, 2, 0));
    rich.body_html = SanitizedHtml::sanitize("<p>正文<strong>加粗</strong></p><figure><img src=\"https://img.example.com/b.jpg\"></figure>");
    rich.text = rich.body_html.to_text();
    assert_eq!(rich.text, "正文加粗");
    let mut own = draft(src, "cls:4", "自有正文", shanghai(2026, 5, 14, 3, 0));
    own.body_html = SanitizedHtml::sanitize(
        "<p>第一段</p><p>相关阅读：<a href=\"https://example.com/x\">别的文章</a></p>",
    );
    own.text = "第一段".into();
    let out = store
        .upsert_articles(&[rich.clone(), own.clone()])
        .await
        .expect("insert");
    for (written, outcome) in [rich, own].iter().zip(&out) {
        let back = stored(&*store, outcome.id).await;
        assert_eq!(back.body_html, written.body_html);
        assert_eq!(back.text, written.text);
    }

    let mut plain = draft(src, "cls:2", "没有作者", shanghai(2026, 5, 14, 1, 0));
    plain.url = None;
    let out = store.upsert_articles(&[plain]).await.expect("insert");
    let b = stored(&*store, out[0].id).await;
    assert_eq!(b.outlet, "财联社", "outlet defaults to the source's name");
    assert_eq!(b.url, None);
}

pub async fn importing_twice_changes_nothing(store: Arc<dyn Store>) {
    let src = source(&*store, "东方财富").await;
    let batch: Vec<_> = (0..50)
        .map(|i| {
            draft(
                src,
                &format!("em:{i}"),
                &format!("第{i}条快讯"),
                shanghai(2026, 5, 20, 9, i),
            )
        })
        .collect();
    let first = store.upsert_articles(&batch).await.expect("first");
    assert!(first.iter().all(|o| o.change == Change::Inserted));
    let seq_before = store.stats().await.expect("stats").last_seq;
    let mut again = batch.clone();
    for d in &mut again {
        d.fetched_at += Duration::hours(1); // refetching is not a change
    }
    let second = store.upsert_articles(&again).await.expect("second");
    assert!(
        second.iter().all(|o| o.change == Change::Unchanged),
        "{:?}",
        changes(&second)
    );
    let ids: Vec<_> = first.iter().map(|o| (o.id, o.seq)).collect();
    let ids_again: Vec<_> = second.iter().map(|o| (o.id, o.seq)).collect();
    assert_eq!(ids, ids_again);
    assert_eq!(
        store.stats().await.expect("stats").last_seq,
        seq_before,
        "no sequence number taken"
    );
    assert_eq!(store.stats().await.expect("stats").articles, 50);
}

pub async fn update_changes_content_and_sequence(store: Arc<dyn Store>) {
    let src = source(&*store, "同花顺").await;
    let a = draft(src, "ths:1", "原标题", shanghai(2026, 5, 19, 0, 5));
    let b = draft(src, "ths:2", "另一条", shanghai(2026, 5, 19, 0, 6));
    let first = store
        .upsert_articles(&[a.clone(), b.clone()])
        .await
        .expect("insert");
    let before = stored(&*store, first[0].id).await;
    let mut a2 = a.clone();
    a2.title = "更正后的标题".into();
    a2.tags = vec!["更正".into()];
    let second = store
        .upsert_articles(&[a2.clone(), b])
        .await
        .expect("update");
    assert_eq!(changes(&second), vec![Change::Updated, Change::Unchanged]);
    assert_eq!(second[0].id, first[0].id);
    assert!(
        second[0].seq > first[1].seq,
        "an update takes a new, higher sequence number"
    );
    assert_eq!(second[1].seq, first[1].seq);
    let after = stored(&*store, first[0].id).await;
    assert_eq!(after.title, "更正后的标题");
    assert_eq!(after.tags, vec!["更正".to_string()]);
    assert!(after.updated_at >= before.updated_at);
    assert_eq!(after.content_hash, a2.content_hash());
}

pub async fn matched_by_url_when_guid_differs(store: Arc<dyn Store>) {
    let src = source(&*store, "中新网").await;
    let a = draft(
        src,
        "feed-guid-1",
        "同一篇文章",
        shanghai(2026, 1, 20, 16, 0),
    );
    let first = store
        .upsert_articles(std::slice::from_ref(&a))
        .await
        .expect("insert");
    // The same page found again through another feed, under another guid.
    let mut same = a.clone();
    same.guid = "other-feed-guid".into();
    let second = store.upsert_articles(&[same.clone()]).await.expect("same");
    assert_eq!(changes(&second), vec![Change::Unchanged]);
    assert_eq!(second[0].id, first[0].id);
    same.title = "同一篇文章（更新）".into();
    let third = store.upsert_articles(&[same]).await.expect("update");
    assert_eq!(changes(&third), vec![Change::Updated]);
    assert_eq!(third[0].id, first[0].id);
    let article = stored(&*store, first[0].id).await;
    assert_eq!(
        article.guid, "feed-guid-1",
        "the first guid stays the article's guid"
    );
    assert_eq!(store.stats().await.expect("stats").articles, 1);
}

/// Two sources carrying one article in different versions (a repost under
/// the original's guid with a prefixed title, or under its own guid with
/// the original's link) do not take turns overwriting it: the article stays
/// with the source that brought it first, and only that source updates it.
pub async fn a_copy_from_another_source_leaves_the_article_alone(store: Arc<dyn Store>) {
    let first_source = source(&*store, "观察者网").await;
    let reposter = source(&*store, "网易新闻").await;
    let original = draft(
        first_source,
        "gcw:1001",
        "黄仁勋：美国低估了中国",
        shanghai(2025, 11, 4, 2, 46),
    );
    let first = store
        .upsert_articles(std::slice::from_ref(&original))
        .await
        .expect("insert");
    let seq_before = store.stats().await.expect("stats").last_seq;

    let mut same_guid = original.clone();
    same_guid.source_id = reposter;
    same_guid.title = "转载：黄仁勋：美国低估了中国".into();
    let mut same_url = same_guid.clone();
    same_url.guid = "163:abc".into();
    for copy in [same_guid, same_url] {
        for _ in 0..2 {
            let out = store
                .upsert_articles(std::slice::from_ref(&copy))
                .await
                .expect("copy");
            assert_eq!(changes(&out), vec![Change::Unchanged]);
            assert_eq!(out[0].id, first[0].id);
            assert_eq!(out[0].seq, first[0].seq);
        }
    }
    let stats = store.stats().await.expect("stats");
    assert_eq!(stats.last_seq, seq_before, "no change recorded for copies");
    assert_eq!(stats.articles, 1);
    let article = stored(&*store, first[0].id).await;
    assert_eq!(article.title, original.title);
    assert_eq!(article.source_id, first_source);

    // The first source's own correction still lands.
    let mut corrected = original.clone();
    corrected.title = "黄仁勋：美国低估了中国的芯片产能".into();
    let out = store.upsert_articles(&[corrected]).await.expect("update");
    assert_eq!(changes(&out), vec![Change::Updated]);
    assert!(out[0].seq > first[0].seq);
}

/// An entry without a publish time is stored at the time it was first
/// fetched. Fetching it again (a stand-in time hours later) is no change,
/// a corrected version keeps that first time, and a real date replaces it.
pub async fn an_undated_article_keeps_the_time_it_was_first_seen(store: Arc<dyn Store>) {
    let src = source(&*store, "无日期快讯").await;
    let first_seen = shanghai(2026, 6, 3, 9, 0);
    let mut undated = draft(src, "flash:1", "没有日期的快讯", first_seen);
    undated.undated = true;
    let first = store
        .upsert_articles(std::slice::from_ref(&undated))
        .await
        .expect("insert");

    let mut refetched = undated.clone();
    refetched.published_at = shanghai(2026, 6, 3, 15, 30);
    let out = store
        .upsert_articles(std::slice::from_ref(&refetched))
        .await
        .expect("refetch");
    assert_eq!(changes(&out), vec![Change::Unchanged]);
    assert_eq!(out[0].seq, first[0].seq);

    refetched.title = "没有日期的快讯（更新）".into();
    let out = store.upsert_articles(&[refetched]).await.expect("update");
    assert_eq!(changes(&out), vec![Change::Updated]);
    assert_eq!(stored(&*store, first[0].id).await.published_at, first_seen);

    let mut dated = undated.clone();
    dated.undated = false;
    dated.published_at = shanghai(2026, 6, 2, 20, 15);
    let out = store.upsert_articles(&[dated]).await.expect("dated");
    assert_eq!(changes(&out), vec![Change::Updated]);
    assert_eq!(
        stored(&*store, first[0].id).await.published_at,
        shanghai(2026, 6, 2, 20, 15)
    );
}

pub async fn same_article_twice_in_one_batch(store: Arc<dyn Store>) {
    let src = source(&*store, "财联社").await;
    let a = draft(src, "cls:9", "第一版", shanghai(2026, 6, 1, 8, 0));
    let mut a2 = a.clone();
    a2.title = "第二版".into();
    let b = draft(src, "cls:10", "重复", shanghai(2026, 6, 1, 8, 1));
    let out = store
        .upsert_articles(&[a, b.clone(), a2, b])
        .await
        .expect("batch");
    assert_eq!(
        changes(&out),
        vec![
            Change::Inserted,
            Change::Inserted,
            Change::Updated,
            Change::Unchanged
        ]
    );
    assert_eq!(out[0].id, out[2].id);
    assert_eq!(out[1].id, out[3].id);
    assert_eq!(stored(&*store, out[0].id).await.title, "第二版");
    assert_eq!(store.stats().await.expect("stats").articles, 2);
}

pub async fn list_by_source_and_time_with_cursor(store: Arc<dyn Store>) {
    let cls = source(&*store, "财联社").await;
    let ths = source(&*store, "同花顺").await;
    let mut batch = Vec::new();
    for i in 0..30u32 {
        let src = if i % 3 == 0 { ths } else { cls };
        // Several articles share a publish time: the cursor must still not
        // skip or repeat any.
        batch.push(draft(
            src,
            &format!("x:{i}"),
            &format!("标题{i}"),
            shanghai(2026, 5, 14 + i / 10, 9, (i % 10) / 2),
        ));
    }
    store.upsert_articles(&batch).await.expect("insert");

    let all = store
        .list_articles(&ArticleQuery {
            limit: 100,
            ..ArticleQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(all.articles.len(), 30);
    assert!(all.next.is_none());
    for pair in all.articles.windows(2) {
        assert!(
            (pair[0].published_at, pair[0].id) > (pair[1].published_at, pair[1].id),
            "newest first, ties by id"
        );
    }

    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list_articles(&ArticleQuery {
                limit: 7,
                cursor,
                ..ArticleQuery::default()
            })
            .await
            .expect("page");
        assert!(page.articles.len() <= 7);
        seen.extend(page.articles.iter().map(|a| a.id));
        match page.next {
            Some(next) => cursor = Some(Cursor::decode(&next).expect("cursor")),
            None => break,
        }
    }
    assert_eq!(
        seen,
        all.articles.iter().map(|a| a.id).collect::<Vec<_>>(),
        "pages cover everything once, in order"
    );

    let only_ths = store
        .list_articles(&ArticleQuery {
            source: Some("同花顺".into()),
            limit: 100,
            ..ArticleQuery::default()
        })
        .await
        .expect("by source");
    assert_eq!(only_ths.articles.len(), 10);
    assert!(only_ths.articles.iter().all(|a| a.source == "同花顺"));

    let window = store
        .list_articles(&ArticleQuery {
            since: Some(shanghai(2026, 5, 15, 0, 0)),
            until: Some(shanghai(2026, 5, 16, 0, 0)),
            limit: 100,
            ..ArticleQuery::default()
        })
        .await
        .expect("window");
    assert_eq!(window.articles.len(), 10);
    assert!(window
        .articles
        .iter()
        .all(|a| a.published_at >= shanghai(2026, 5, 15, 0, 0)
            && a.published_at < shanghai(2026, 5, 16, 0, 0)));

    let none = store
        .list_articles(&ArticleQuery {
            source: Some("没有这个来源".into()),
            ..ArticleQuery::default()
        })
        .await
        .expect("unknown source");
    assert!(none.articles.is_empty());
}

pub async fn following_the_change_sequence(store: Arc<dyn Store>) {
    let src = source(&*store, "财联社").await;
    let batch: Vec<_> = (0..25)
        .map(|i| {
            draft(
                src,
                &format!("f:{i}"),
                &format!("快讯{i}"),
                shanghai(2026, 7, 1, 10, i),
            )
        })
        .collect();
    store.upsert_articles(&batch).await.expect("insert");

    // A follower reads in small pages and must see every article once.
    let mut last = 0;
    let mut seen = HashSet::new();
    loop {
        let page = store.changes_since(last, 4).await.expect("changes");
        if page.is_empty() {
            break;
        }
        for a in &page {
            assert!(a.seq > last, "strictly increasing");
            last = a.seq;
            assert!(seen.insert(a.id), "each article once");
        }
    }
    assert_eq!(seen.len(), 25);

    // After an update the follower sees just that article, at its new version.
    let mut changed = batch[7].clone();
    changed.title = "快讯7（更新）".into();
    store.upsert_articles(&[changed]).await.expect("update");
    let page = store.changes_since(last, 100).await.expect("changes");
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].title, "快讯7（更新）");
    assert!(store
        .changes_since(page[0].seq, 100)
        .await
        .expect("changes")
        .is_empty());
}

/// Batch `b` of writer `w`: `len` articles, the first `shared` of which
/// every writer's batch `b` also has.
fn writer_batch(src: SourceId, w: u32, b: u32, len: u32, shared: u32) -> Vec<ArticleDraft> {
    (0..len)
        .map(|i| {
            let guid = if i < shared {
                format!("shared:{b}:{i}")
            } else {
                format!("w{w}:{b}:{i}")
            };
            draft(
                src,
                &guid,
                &format!("标题 {guid}"),
                shanghai(2026, 6, 2, 9, i),
            )
        })
        .collect()
}

pub async fn concurrent_writers(store: Arc<dyn Store>) {
    let src = source(&*store, "东方财富").await;
    let writers = 4;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for b in 0..5 {
                // Every writer also writes ten articles all writers share.
                let batch = writer_batch(src, w, b, 40, 10);
                outcomes.extend(
                    store
                        .upsert_articles(&batch)
                        .await
                        .expect("concurrent batch"),
                );
            }
            outcomes
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("writer task"));
    }
    let unique = usize::try_from(5 * 10 + writers * 5 * 30).expect("a small count");
    let inserted = all.iter().filter(|o| o.change == Change::Inserted).count();
    assert_eq!(inserted, unique, "every article inserted exactly once");
    assert_eq!(
        all.iter().filter(|o| o.change == Change::Unchanged).count(),
        all.len() - unique
    );
    let stats = store.stats().await.expect("stats");
    assert_eq!(stats.articles as usize, unique);
    let followed = store.changes_since(0, 10_000).await.expect("follow");
    assert_eq!(followed.len(), unique);
    let seqs: HashSet<i64> = followed.iter().map(|a| a.seq).collect();
    assert_eq!(seqs.len(), unique, "sequence numbers are unique");
    assert_eq!(stats.last_seq, followed.last().map_or(0, |a| a.seq));
}

/// A follower reading while four writers insert (some articles shared, so
/// writers also meet on the same rows) sees every article: a number handed
/// out is never committed after a larger one was readable. PostgreSQL writes
/// a batch's articles before it takes the sequence counter and SQLite writes
/// waiting batches as one group; both must still keep this.
pub async fn a_follower_reading_during_writes_misses_nothing(store: Arc<dyn Store>) {
    use std::sync::atomic::{AtomicBool, Ordering};
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
                let batch = writer_batch(src, w, b, 12, 3);
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
}

/// Writers updating the same article at once all succeed, and the version
/// stored is the one that got the last sequence number.
pub async fn racing_updates_of_one_article_keep_the_last_numbered_version(store: Arc<dyn Store>) {
    let src = source(&*store, "财联社").await;
    store
        .upsert_articles(&[draft(src, "race:1", "初稿", shanghai(2026, 6, 2, 9, 0))])
        .await
        .expect("first version");
    let mut writers = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let mut versions = Vec::new();
            for n in 0..10 {
                let title = format!("第{w}位作者的第{n}稿");
                let at = shanghai(2026, 6, 2, 9, n);
                let out = store
                    .upsert_articles(&[draft(src, "race:1", &title, at)])
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
}

pub async fn failed_batch_rolls_back(store: Arc<dyn Store>) {
    let src = source(&*store, "财联社").await;
    let ok = draft(src, "keep:1", "之前写入的", shanghai(2026, 5, 14, 8, 0));
    store.upsert_articles(&[ok]).await.expect("first");
    let seq_before = store.stats().await.expect("stats").last_seq;

    let mut batch: Vec<_> = (0..5)
        .map(|i| {
            draft(
                src,
                &format!("rollback:{i}"),
                &format!("回滚{i}"),
                shanghai(2026, 5, 14, 9, i),
            )
        })
        .collect();
    // The fourth draft names a source that does not exist: the database
    // refuses it in the middle of the transaction.
    batch[3].source_id = SourceId(987_654);
    let err = store.upsert_articles(&batch).await.expect_err("must fail");
    assert!(matches!(err, StoreError::Database { .. }), "{err}");

    let stats = store.stats().await.expect("stats");
    assert_eq!(stats.articles, 1, "nothing of the failed batch is stored");
    assert_eq!(stats.last_seq, seq_before, "no sequence number was used");
    assert!(store
        .article_by_url("rollback:0")
        .await
        .expect("read")
        .is_none());
    // The store is still usable, and the next write continues the sequence.
    let out = store
        .upsert_articles(&batch[..3])
        .await
        .expect("after rollback");
    assert!(out.iter().all(|o| o.change == Change::Inserted));
    assert_eq!(out[0].seq, seq_before + 1);
}

pub async fn invalid_draft_is_refused_before_writing(store: Arc<dyn Store>) {
    let src = source(&*store, "财联社").await;
    let good = draft(src, "v:1", "好的", shanghai(2026, 5, 14, 8, 0));
    let mut bad = draft(src, "v:2", "", shanghai(2026, 5, 14, 8, 1));
    bad.title = "   ".into();
    let err = store
        .upsert_articles(&[good.clone(), bad])
        .await
        .expect_err("must fail");
    match err {
        StoreError::InvalidDraft { index, guid, .. } => {
            assert_eq!(index, 1);
            assert_eq!(guid, "v:2");
        }
        other => panic!("expected InvalidDraft, got {other}"),
    }
    let mut future = good.clone();
    future.guid = "v:3".into();
    future.published_at = shanghai(2099, 1, 1, 0, 0);
    assert!(matches!(
        store.upsert_articles(&[future]).await,
        Err(StoreError::InvalidDraft { .. })
    ));
    assert_eq!(store.stats().await.expect("stats").articles, 0);
}

pub async fn stats_count_what_is_stored(store: Arc<dyn Store>) {
    let empty = store.stats().await.expect("stats");
    assert_eq!(empty.articles, 0);
    assert!(empty.first.is_none() && empty.last.is_none());
    let cls = source(&*store, "财联社").await;
    let ths = source(&*store, "同花顺").await;
    let mut batch: Vec<_> = (0..6)
        .map(|i| {
            draft(
                cls,
                &format!("s:{i}"),
                &format!("标题{i}"),
                shanghai(2026, 5, 14, 9, i),
            )
        })
        .collect();
    batch.push(draft(ths, "t:1", "最早", shanghai(2026, 5, 1, 0, 0)));
    batch.push(draft(ths, "t:2", "最晚", shanghai(2026, 7, 31, 23, 59)));
    store.upsert_articles(&batch).await.expect("insert");
    let stats = store.stats().await.expect("stats");
    assert_eq!(stats.articles, 8);
    assert_eq!(stats.sources.len(), 2);
    assert_eq!(
        (stats.sources[0].name.as_str(), stats.sources[0].articles),
        ("财联社", 6)
    );
    assert_eq!(
        (stats.sources[1].name.as_str(), stats.sources[1].articles),
        ("同花顺", 2)
    );
    assert_eq!(stats.first, Some(shanghai(2026, 5, 1, 0, 0)));
    assert_eq!(stats.last, Some(shanghai(2026, 7, 31, 23, 59)));
    assert_eq!(stats.last_seq, 8);
    assert!(stats.db_bytes > 0);
}

pub async fn sources_are_added_removed_and_revived(store: Arc<dyn Store>) {
    let a = store
        .add_source(&feed("观察者网", "https://www.guancha.cn/rss.xml"))
        .await
        .expect("add");
    assert_eq!(
        (a.kind, a.every_secs, a.fetch.consecutive_errors),
        (SourceKind::Feed, 600, 0)
    );
    assert!(
        a.fetch.next_fetch_at.is_none(),
        "a new source is due at once"
    );
    let same_url = store
        .add_source(&feed("另一个名字", "https://www.guancha.cn/rss.xml"))
        .await;
    assert!(
        matches!(same_url, Err(StoreError::Conflict(_))),
        "{same_url:?}"
    );
    let same_name = store
        .add_source(&feed("观察者网", "https://other.example.com/rss"))
        .await;
    assert!(
        matches!(same_name, Err(StoreError::Conflict(_))),
        "{same_name:?}"
    );

    // Articles of a removed source stay; the source leaves the listings.
    store
        .upsert_articles(&[draft(a.id, "gc:1", "标题", shanghai(2026, 7, 1, 8, 0))])
        .await
        .expect("article");
    assert!(store.remove_source(a.id).await.expect("remove"));
    assert!(
        !store.remove_source(a.id).await.expect("remove twice"),
        "already removed"
    );
    assert!(store.sources().await.expect("list").is_empty());
    assert_eq!(store.stats().await.expect("stats").articles, 1);
    let now = Utc::now();
    assert!(store
        .claim_due_sources(now, 10, std::time::Duration::from_secs(60))
        .await
        .expect("claim")
        .is_empty());

    // Adding it again brings it back, with its articles and new settings.
    let mut again = feed("观察者网", "https://www.guancha.cn/rss.xml");
    again.every_secs = 900;
    let b = store.add_source(&again).await.expect("revive");
    assert_eq!((b.id, b.every_secs), (a.id, 900));
    assert_eq!(store.sources().await.expect("list").len(), 1);
}

pub async fn due_sources_are_claimed_by_one_worker_at_a_time(store: Arc<dyn Store>) {
    for i in 0..20 {
        store
            .add_source(&feed(
                &format!("源{i}"),
                &format!("https://s{i}.example.com/feed"),
            ))
            .await
            .expect("add");
    }
    store
        .ensure_source(&SourceDraft::import("导入的"))
        .await
        .expect("import source");
    let now = Utc::now();
    let lease = std::time::Duration::from_secs(300);
    // Two workers claim in small bites at the same time until nothing is left.
    let mut workers = Vec::new();
    for _ in 0..2 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = store.claim_due_sources(now, 3, lease).await.expect("claim");
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|s| s.id));
            }
        }));
    }
    let mut claimed = Vec::new();
    for w in workers {
        claimed.extend(w.await.expect("worker"));
    }
    let unique: HashSet<_> = claimed.iter().copied().collect();
    assert_eq!(
        claimed.len(),
        20,
        "every fetchable source claimed once (imports never)"
    );
    assert_eq!(unique.len(), 20, "no source claimed twice");

    // Until the lease runs out nobody gets them again; after it, they are due.
    assert!(store
        .claim_due_sources(now + Duration::seconds(299), 50, lease)
        .await
        .expect("claim")
        .is_empty());
    let after = store
        .claim_due_sources(now + Duration::seconds(301), 50, lease)
        .await
        .expect("claim");
    assert_eq!(
        after.len(),
        20,
        "an expired claim (a crashed worker) frees the source"
    );
}

pub async fn fetch_reports_update_the_fetch_state(store: Arc<dyn Store>) {
    let s = store
        .add_source(&feed("财联社", "https://www.cls.cn/feed"))
        .await
        .expect("add");
    let now = Utc::now();
    let lease = std::time::Duration::from_secs(300);
    assert_eq!(
        store
            .claim_due_sources(now, 5, lease)
            .await
            .expect("claim")
            .len(),
        1
    );
    let failed = huiwen_core::FetchReport {
        at: now,
        status: Some(503),
        etag: None,
        last_modified: None,
        error: Some("HTTP 503 after 3 attempts".into()),
        next_fetch_at: now + Duration::seconds(120),
        every_secs: 600,
    };
    store.record_fetch(s.id, &failed).await.expect("record");
    store.record_fetch(s.id, &failed).await.expect("record");
    let listed = store.sources().await.expect("list");
    let state = &listed[0].fetch;
    assert_eq!(
        (state.consecutive_errors, state.last_status),
        (2, Some(503))
    );
    assert_eq!(
        state.last_error.as_deref(),
        Some("HTTP 503 after 3 attempts")
    );
    assert_eq!(
        state.next_fetch_at.map(|t| t.timestamp_micros()),
        Some((now + Duration::seconds(120)).timestamp_micros())
    );
    // Recording released the claim, and the source is not due before next_fetch_at.
    assert!(store
        .claim_due_sources(now + Duration::seconds(60), 5, lease)
        .await
        .expect("claim")
        .is_empty());
    assert_eq!(
        store
            .claim_due_sources(now + Duration::seconds(121), 5, lease)
            .await
            .expect("claim")
            .len(),
        1
    );

    let ok = huiwen_core::FetchReport {
        at: now + Duration::seconds(121),
        status: Some(200),
        etag: Some("\"v2\"".into()),
        last_modified: Some("Tue, 20 Jan 2026 08:00:42 GMT".into()),
        error: None,
        next_fetch_at: now + Duration::seconds(421),
        every_secs: 300,
    };
    store.record_fetch(s.id, &ok).await.expect("record");
    let listed = store.sources().await.expect("list");
    let state = &listed[0].fetch;
    assert_eq!(
        (
            state.consecutive_errors,
            state.last_status,
            state.last_error.as_deref()
        ),
        (0, Some(200), None)
    );
    assert_eq!(state.etag.as_deref(), Some("\"v2\""));
    assert_eq!(listed[0].every_secs, 300, "the adaptive interval is kept");
    assert!(store
        .record_fetch(huiwen_core::SourceId(987_654), &ok)
        .await
        .is_err());
}

pub async fn pages_are_kept_for_reextraction(store: Arc<dyn Store>) {
    let mut full_text = feed("界面新闻", "https://www.jiemian.com/rss.xml");
    full_text.full_text = true;
    let a = store.add_source(&full_text).await.expect("source a");
    assert!(a.full_text, "the full-text setting is stored");
    let b = store
        .add_source(&feed("观察者网", "https://www.guancha.cn/rss.xml"))
        .await
        .expect("source b");
    assert!(!b.full_text);
    let ids: Vec<ArticleId> = store
        .upsert_articles(&[
            draft(a.id, "jm:1", "一", shanghai(2026, 7, 1, 8, 0)),
            draft(b.id, "gc:1", "二", shanghai(2026, 7, 1, 9, 0)),
            draft(a.id, "jm:2", "三", shanghai(2026, 7, 1, 10, 0)),
        ])
        .await
        .expect("articles")
        .iter()
        .map(|o| o.id)
        .collect();
    let page = |id: ArticleId, version: &str| StoredPage {
        article_id: id,
        url: format!("https://example.com/{}", id.0),
        html: "<html><body><p>正文 & <b>标记</b></p></body></html>".to_string(),
        extractor_version: version.to_string(),
        fetched_at: Utc
            .with_ymd_and_hms(2026, 7, 1, 0, 0, 0)
            .single()
            .expect("instant"),
    };
    store
        .save_pages(&[page(ids[0], "1"), page(ids[1], "1"), page(ids[2], "1")])
        .await
        .expect("save");
    // A second save of a page replaces it.
    store
        .save_pages(&[page(ids[2], "2")])
        .await
        .expect("re-save");

    let all = store
        .pages(&PageQuery {
            source: None,
            after: None,
            limit: 10,
        })
        .await
        .expect("all pages");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0], page(ids[0], "1"), "read back exactly as saved");
    assert_eq!(all[2].extractor_version, "2");

    let of_a = store
        .pages(&PageQuery {
            source: Some(a.id),
            after: None,
            limit: 1,
        })
        .await
        .expect("first page of a");
    assert_eq!(
        of_a.iter().map(|p| p.article_id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    let next = store
        .pages(&PageQuery {
            source: Some(a.id),
            after: Some(ids[0]),
            limit: 10,
        })
        .await
        .expect("rest of a");
    assert_eq!(
        next.iter().map(|p| p.article_id).collect::<Vec<_>>(),
        vec![ids[2]]
    );

    // A page of an article that does not exist is refused, and nothing of
    // its batch is kept.
    let refused = store
        .save_pages(&[page(ids[1], "3"), page(ArticleId(9_999_999), "3")])
        .await;
    assert!(refused.is_err(), "{refused:?}");
    let b_pages = store
        .pages(&PageQuery {
            source: Some(b.id),
            after: None,
            limit: 10,
        })
        .await
        .expect("pages of b");
    assert_eq!(
        b_pages[0].extractor_version, "1",
        "the batch was rolled back"
    );
}
