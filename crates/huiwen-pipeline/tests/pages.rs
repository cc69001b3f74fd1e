//! The extraction stage in ingest, against a real SQLite store and a real
//! HTTP server on 127.0.0.1: page sources (an article page, a list page whose
//! links are followed), full-text feeds, and re-extraction of stored pages.

mod common;

use common::{local_ingester, open_store};
use huiwen_core::config::IngestConfig;
use huiwen_core::{SourceDraft, SourceKind};
use huiwen_extract::EXTRACTOR_VERSION;
use huiwen_pipeline::pages::{reextract, ReextractOptions};
use huiwen_pipeline::{Ingester, NoRoundProgress};
use huiwen_store::{ArticleQuery, PageQuery, Store, StoredPage};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::sync::Arc;

const PARAGRAPHS: [&str; 4] = [
    "中国人民银行1月20日开展了1000亿元7天期逆回购操作，操作利率维持在1.40%不变，当日有800亿元逆回购到期，实现净投放200亿元。",
    "市场人士表示，春节前流动性需求季节性上升，央行通过公开市场操作呵护流动性的意图明显，预计后续仍将加大投放力度，保持流动性合理充裕。",
    "从资金价格看，银行间市场隔夜利率小幅下行，七天期利率基本持平，资金面整体保持平稳，债券市场情绪有所改善，十年期国债收益率下行两个基点。",
    "分析人士认为，在稳增长政策持续发力的背景下，货币政策仍有进一步宽松的空间，降准降息的窗口或在一季度打开，对股市和债市均构成支撑。",
];

/// An article page with site chrome, a byline and a related list.
fn article_page(n: usize, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8">
<title>央行开展逆回购操作之{n}_财经频道_测试网</title>
<link rel="canonical" href="/news/{n}.html"></head>
<body><div class="nav"><a href="/">首页</a> <a href="/finance/">财经</a> <a href="/tech/">科技</a></div>
<div class="article"><h1>央行开展逆回购操作之{n}</h1>
<div class="info">2026-01-20 16:00:42 来源：新华社</div>
{body}<p>责任编辑：王五</p></div>
<div class="related"><h3>相关内容</h3><ul>
<li><a href="/news/91.html">沪指收涨0.5%，成交额放大</a></li>
<li><a href="/news/92.html">人民币汇率中间价上调</a></li></ul></div>
<div class="footer">版权所有 © 测试网</div></body></html>"#
    )
}

/// A channel page: nothing but links to articles.
fn list_page() -> String {
    // Three articles this site serves, then links to pages it does not.
    let items: String = (1..=12)
        .map(|n| {
            format!(
                "<li><a href=\"/news/{n}.html\">央行开展逆回购操作之{n}</a><span>2026-01-20 {:02}:00</span></li>\n",
                n + 8
            )
        })
        .collect();
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>财经频道_测试网</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/finance/">财经</a></div>
<h2>最新新闻</h2><ul class="list">{items}</ul>
<div class="footer">版权所有 © 测试网</div></body></html>"#
    )
}

/// A feed whose entries carry only a one-line summary; the second has no
/// date either.
fn summary_feed(site: &str) -> String {
    let items: String = (1..=2)
        .map(|n| {
            let date = if n == 1 {
                "<pubDate>Tue, 20 Jan 2026 15:30:00 +0800</pubDate>"
            } else {
                ""
            };
            format!(
                "<item><title>央行逆回购（快讯{n}）</title><link>{site}/news/{n}.html</link><guid>ft{n}</guid>\
                 {date}<description>央行开展逆回购操作。</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>快讯</title><link>{site}/</link>{items}</channel></rss>"
    )
}

/// Serves fixed bodies by path (anything else, robots.txt included, is 404).
fn serve(
    routes: impl Fn(&str) -> HashMap<String, (&'static str, String)> + Send + 'static,
) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let routes = routes(&base);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let response = match routes.get(path) {
                Some((content_type, body)) => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                ),
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string(),
            };
            let mut stream = reader.into_inner();
            let _ = stream.write_all(response.as_bytes());
        }
    });
    base
}

fn site() -> String {
    serve(|base| {
        let html = "text/html; charset=utf-8";
        let mut routes = HashMap::new();
        for n in 1..=3 {
            routes.insert(
                format!("/news/{n}.html"),
                (html, article_page(n, &PARAGRAPHS)),
            );
        }
        routes.insert("/finance/".to_string(), (html, list_page()));
        routes.insert(
            "/feed.xml".to_string(),
            ("application/rss+xml", summary_feed(base)),
        );
        routes
    })
}

fn source(name: &str, url: String, kind: SourceKind, full_text: bool) -> SourceDraft {
    SourceDraft {
        name: name.into(),
        url: Some(url),
        kind,
        every_secs: 600,
        zone: Default::default(),
        full_text,
    }
}

fn ingester(store: &Arc<dyn Store>, follow_links: usize) -> Ingester {
    let ingest = IngestConfig {
        follow_links,
        ..IngestConfig::default()
    };
    local_ingester(store, ingest)
}

async fn all_pages(store: &Arc<dyn Store>) -> Vec<StoredPage> {
    store
        .pages(&PageQuery {
            limit: 10,
            ..PageQuery::default()
        })
        .await
        .expect("pages")
}

async fn all_articles(store: &Arc<dyn Store>) -> Vec<huiwen_core::Article> {
    store
        .list_articles(&ArticleQuery {
            limit: 100,
            ..ArticleQuery::default()
        })
        .await
        .expect("list")
        .articles
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_page_becomes_one_clean_article_and_a_list_page_is_followed() {
    let site = site();
    let dir = tempfile::tempdir().expect("tmp");
    let store = open_store(&dir).await;
    store
        .add_source(&source(
            "文章页",
            format!("{site}/news/1.html"),
            SourceKind::Page,
            false,
        ))
        .await
        .expect("add");
    let ingester = ingester(&store, 2);
    let round = ingester.run_once(&NoRoundProgress).await;
    assert!(round.errors.is_empty(), "{round:?}");
    assert_eq!((round.sources, round.new_items), (1, 1));

    // The channel page is a list: it yields no article of its own, and its
    // links not stored yet are followed, two per fetch (follow_links).
    store
        .add_source(&source(
            "财经频道",
            format!("{site}/finance/"),
            SourceKind::Page,
            false,
        ))
        .await
        .expect("add");
    let round = ingester.run_once(&NoRoundProgress).await;
    assert!(round.errors.is_empty(), "{round:?}");
    assert_eq!((round.sources, round.new_items), (1, 2), "{round:?}");

    let articles = all_articles(&store).await;
    let mut urls: Vec<String> = articles.iter().filter_map(|a| a.url.clone()).collect();
    urls.sort();
    assert_eq!(
        urls,
        vec![
            format!("{site}/news/1.html"),
            format!("{site}/news/2.html"),
            format!("{site}/news/3.html")
        ],
        "article 1 was stored already, so 2 and 3 were followed"
    );
    let first = articles
        .iter()
        .find(|a| a.url.as_deref() == Some(&format!("{site}/news/1.html")))
        .expect("article 1");
    assert_eq!(first.title, "央行开展逆回购操作之1", "site suffix removed");
    for p in PARAGRAPHS {
        assert!(first.text.contains(p), "body paragraph kept: {p}");
    }
    for chrome in ["相关内容", "沪指收涨", "首页", "版权所有", "责任编辑"] {
        assert!(
            !first.text.contains(chrome),
            "{chrome:?} is not body: {}",
            first.text
        );
    }
    assert_eq!(first.published_at.to_rfc3339(), "2026-01-20T16:00:42+08:00");

    let pages = all_pages(&store).await;
    assert_eq!(pages.len(), 3, "each extracted article keeps its page");
    assert!(pages
        .iter()
        .all(|p| p.extractor_version == EXTRACTOR_VERSION));
    assert!(pages
        .iter()
        .all(|p| p.html.contains("<div class=\"related\">")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_text_feed_gets_the_articles_its_summaries_point_to() {
    let site = site();
    let dir = tempfile::tempdir().expect("tmp");
    let store = open_store(&dir).await;
    store
        .add_source(&source(
            "快讯全文",
            format!("{site}/feed.xml"),
            SourceKind::Feed,
            true,
        ))
        .await
        .expect("add");

    let round = ingester(&store, 20).run_once(&NoRoundProgress).await;
    assert!(round.errors.is_empty(), "{round:?}");
    assert_eq!(round.new_items, 2);
    let articles = all_articles(&store).await;
    assert_eq!(articles.len(), 2);
    for article in &articles {
        assert!(
            article.title.starts_with("央行逆回购（快讯"),
            "the feed's title stays: {}",
            article.title
        );
        assert!(
            article.text.contains(PARAGRAPHS[1]),
            "full text: {}",
            article.text
        );
        assert_eq!(
            article.summary, "央行开展逆回购操作。",
            "the feed's summary stays"
        );
        // The feed's date stays; the page's fills in a missing one.
        let expected = if article.guid == "ft1" {
            "2026-01-20T15:30:00+08:00"
        } else {
            "2026-01-20T16:00:42+08:00"
        };
        assert_eq!(
            article.published_at.to_rfc3339(),
            expected,
            "{}",
            article.guid
        );
    }
    let pages = all_pages(&store).await;
    assert_eq!(pages.len(), 2);

    // Re-extracting a feed entry's page changes its body, never what the
    // feed announced (title, date, summary).
    let added = "另据了解，本周还有3000亿元中期借贷便利到期，市场预计央行将等量续做。";
    let mut longer = PARAGRAPHS.to_vec();
    longer.push(added);
    let page = pages[0].clone();
    store
        .save_pages(&[StoredPage {
            html: article_page(1, &longer),
            extractor_version: "huiwen-extract/0".to_string(),
            ..page.clone()
        }])
        .await
        .expect("save");
    let before = store
        .article(page.article_id)
        .await
        .expect("read")
        .expect("exists");
    let summary = reextract(&store, &ReextractOptions::default(), &|_| {})
        .await
        .expect("reextract");
    assert_eq!(summary.updated, 1, "{summary:?}");
    let after = store
        .article(page.article_id)
        .await
        .expect("read")
        .expect("exists");
    assert!(after.text.contains(added), "{}", after.text);
    assert_eq!(
        (&after.title, after.published_at, &after.summary),
        (&before.title, before.published_at, &before.summary)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reextraction_rewrites_articles_from_stale_pages_only() {
    let site = site();
    let dir = tempfile::tempdir().expect("tmp");
    let store = open_store(&dir).await;
    let page_source = store
        .add_source(&source(
            "文章页",
            format!("{site}/news/1.html"),
            SourceKind::Page,
            false,
        ))
        .await
        .expect("add");
    let round = ingester(&store, 0).run_once(&NoRoundProgress).await;
    assert_eq!(round.new_items, 1, "{round:?}");

    // As if an older extractor had read a page that now says more.
    let mut stored = all_pages(&store).await;
    let page = stored.remove(0);
    let added = "此外，财政部表示将继续加大专项债发行力度，支持重大项目建设，稳定投资增长，推动经济持续回升向好。";
    let mut longer = PARAGRAPHS.to_vec();
    longer.push(added);
    store
        .save_pages(&[StoredPage {
            html: article_page(1, &longer),
            extractor_version: "huiwen-extract/0".to_string(),
            ..page.clone()
        }])
        .await
        .expect("save");

    let options = ReextractOptions {
        source: Some(page_source.id),
        ..ReextractOptions::default()
    };
    let first = reextract(&store, &options, &|_| {})
        .await
        .expect("reextract");
    assert_eq!(
        (first.pages, first.updated, first.current),
        (1, 1, 0),
        "{first:?}"
    );
    let article = store
        .article(page.article_id)
        .await
        .expect("read")
        .expect("exists");
    assert!(article.text.contains(added), "{}", article.text);
    assert_eq!(
        article.url.as_deref(),
        Some(page.url.as_str()),
        "identity kept"
    );

    // Now current: nothing to do unless asked for all.
    let again = reextract(&store, &options, &|_| {})
        .await
        .expect("reextract");
    assert_eq!(
        (again.pages, again.updated, again.current),
        (1, 0, 1),
        "{again:?}"
    );
    let all = ReextractOptions {
        all: true,
        ..options
    };
    let forced = reextract(&store, &all, &|_| {})
        .await
        .expect("reextract all");
    assert_eq!((forced.updated, forced.unchanged), (0, 1), "{forced:?}");
}
