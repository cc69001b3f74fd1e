//! The fetcher against real HTTP servers on 127.0.0.1.
//!
//! Each test starts its own tiny server ([`Server`]) that reads a request
//! head and writes a canned raw HTTP/1.1 response chosen by a closure, so a
//! test controls every byte: lying lengths, trickled bodies, endless streams.
//! All servers are on loopback, so tests that need a fetch to succeed turn
//! the private-network guard off; the guard itself is tested with it on.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use encoding_rs::{BIG5, GB18030};
use huiwen_fetch::{
    AddressClass, CharsetSource, FetchError, FetchOptions, FetchOutcome, FetchRequest, FetchedBody,
    Fetcher,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MIB: u64 = 1024 * 1024;

// ---------------------------------------------------------------- server

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    headers: HashMap<String, String>,
    at: Instant,
}

impl Hit {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// What the server writes back.
enum Reply {
    /// These bytes, then close.
    Raw(Vec<u8>),
    /// `head`, then `total` zero bytes in 64 KiB writes (chunked framing if
    /// asked), stopping early when the client goes away.
    Stream {
        head: String,
        total: u64,
        chunked: bool,
    },
    /// `head`, then one byte a second, forever (until the client goes away).
    Trickle { head: String },
    /// Waits, then replies.
    After(Duration, Box<Reply>),
}

type Handler = dyn Fn(&Hit, usize) -> Reply + Send + Sync;

#[derive(Clone)]
struct Server {
    addr: SocketAddr,
    hits: Arc<Mutex<Vec<Hit>>>,
    /// Body bytes the server managed to write, over all streams.
    streamed: Arc<AtomicU64>,
    /// Connections whose reply is finished (or abandoned by the client).
    done: Arc<AtomicUsize>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
}

impl Server {
    /// Starts a server; `handler` gets each request and how many earlier
    /// requests had the same path.
    async fn start(handler: impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let server = Server {
            addr: listener.local_addr().expect("local addr"),
            hits: Arc::default(),
            streamed: Arc::default(),
            done: Arc::default(),
            in_flight: Arc::default(),
            max_in_flight: Arc::default(),
        };
        let handler: Arc<Handler> = Arc::new(handler);
        let accepting = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = accepting.clone();
                let handler = handler.clone();
                tokio::spawn(async move { server.serve(stream, &*handler).await });
            }
        });
        server
    }

    async fn serve(&self, mut stream: TcpStream, handler: &Handler) {
        let Some(hit) = read_head(&mut stream).await else {
            return;
        };
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let seen = {
            let mut hits = self.hits.lock().expect("hits");
            let seen = hits.iter().filter(|h| h.path == hit.path).count();
            hits.push(hit.clone());
            seen
        };
        let reply = handler(&hit, seen);
        self.write_reply(&mut stream, reply).await;
        let _ = stream.shutdown().await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.done.fetch_add(1, Ordering::SeqCst);
    }

    async fn write_reply(&self, stream: &mut TcpStream, mut reply: Reply) {
        while let Reply::After(wait, inner) = reply {
            tokio::time::sleep(wait).await;
            reply = *inner;
        }
        match reply {
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes).await;
            }
            Reply::Stream {
                head,
                total,
                chunked,
            } => {
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let block = vec![0u8; 64 * 1024];
                let mut sent = 0u64;
                while sent < total {
                    let result = if chunked {
                        let mut framed = format!("{:x}\r\n", block.len()).into_bytes();
                        framed.extend_from_slice(&block);
                        framed.extend_from_slice(b"\r\n");
                        stream.write_all(&framed).await
                    } else {
                        stream.write_all(&block).await
                    };
                    if result.is_err() {
                        return;
                    }
                    sent += block.len() as u64;
                    self.streamed
                        .fetch_add(block.len() as u64, Ordering::SeqCst);
                }
                if chunked {
                    let _ = stream.write_all(b"0\r\n\r\n").await;
                }
            }
            Reply::Trickle { head } => {
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                loop {
                    if stream.write_all(b"x").await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            Reply::After(..) => unreachable!("unwrapped above"),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn hits(&self, path: &str) -> Vec<Hit> {
        let hits = self.hits.lock().expect("hits");
        hits.iter().filter(|h| h.path == path).cloned().collect()
    }

    fn total_hits(&self) -> usize {
        self.hits.lock().expect("hits").len()
    }

    /// Waits until `n` connections have finished, so counters are final.
    async fn wait_done(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.done.load(Ordering::SeqCst) < n {
            assert!(
                Instant::now() < deadline,
                "server connections did not finish"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn read_head(stream: &mut TcpStream) -> Option<Hit> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buffer.len() > 64 * 1024 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buffer).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Some(Hit { path, headers, at })
}

/// A complete response with a correct Content-Length.
fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut bytes = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (name, value) in headers {
        bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    bytes.extend_from_slice(
        format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    bytes.extend_from_slice(body);
    Reply::Raw(bytes)
}

fn ok(content_type: &str, body: &[u8]) -> Reply {
    response("200 OK", &[("Content-Type", content_type)], body)
}

fn not_found() -> Reply {
    response(
        "404 Not Found",
        &[("Content-Type", "text/plain")],
        b"not found",
    )
}

fn redirect(location: &str) -> Reply {
    response("302 Found", &[("Location", location)], b"")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("fixture {path}: {error}"))
}

// ---------------------------------------------------------------- helpers

/// Options for tests that fetch from loopback: guard off, no per-host
/// spacing, quick retries.
fn loopback_options() -> FetchOptions {
    FetchOptions {
        user_agent_contact: "https://example.org/contact".into(),
        allow_private_networks: true,
        per_host_min_interval_ms: 0,
        retry_base_ms: 10,
        retry_max_ms: 5_000,
        connect_timeout_ms: 2_000,
        total_timeout_ms: 5_000,
        ..FetchOptions::default()
    }
}

fn fetcher(options: FetchOptions) -> Fetcher {
    Fetcher::new(options).expect("fetcher")
}

fn fetched(outcome: Result<FetchOutcome, FetchError>) -> FetchedBody {
    match outcome {
        Ok(FetchOutcome::Fetched(body)) => body,
        other => panic!("expected a fetched body, got {other:?}"),
    }
}

fn feed(url: String) -> FetchRequest {
    FetchRequest::feed(url)
}

fn page(url: String) -> FetchRequest {
    FetchRequest::page(url)
}

// ---------------------------------------------------------------- encodings

#[tokio::test]
async fn gbk_feed_without_any_charset_decodes_to_chinese() {
    let body = fixture("gbk-feed.xml");
    assert!(
        std::str::from_utf8(&body).is_err(),
        "fixture must not be UTF-8"
    );
    let server = Server::start(move |_, _| ok("application/rss+xml", &body)).await;

    let got = fetched(
        fetcher(loopback_options())
            .fetch(&feed(server.url("/rss")))
            .await,
    );
    assert_eq!(got.charset, None);
    assert_eq!(got.content_type.as_deref(), Some("application/rss+xml"));

    let decoded = got.decode();
    assert_eq!(decoded.encoding, GB18030);
    assert_eq!(decoded.source, CharsetSource::Detected);
    assert!(!decoded.had_errors);
    assert!(
        decoded.text.contains("<title>人民币汇率中间价上调</title>"),
        "{}",
        decoded.text
    );
    assert!(decoded.text.contains("沪深两市成交额突破一万亿元"));
}

#[tokio::test]
async fn big5_page_with_meta_charset_decodes() {
    let body = fixture("big5-page.html");
    let server = Server::start(move |hit, _| match hit.path.as_str() {
        "/news/1.html" => ok("text/html", &body),
        _ => not_found(),
    })
    .await;

    let got = fetched(
        fetcher(loopback_options())
            .fetch(&page(server.url("/news/1.html")))
            .await,
    );
    let decoded = got.decode();
    assert_eq!(decoded.encoding, BIG5);
    assert_eq!(decoded.source, CharsetSource::MetaTag);
    assert!(
        decoded
            .text
            .contains("<title>臺股收盤：加權指數上漲</title>"),
        "{}",
        decoded.text
    );
    assert!(decoded.text.contains("外資連續三日買超"));
    // A page fetch asked for robots.txt first; its 404 means allow-all.
    assert_eq!(server.hits("/robots.txt").len(), 1);
}

// ---------------------------------------------------------------- conditional GET

#[tokio::test]
async fn conditional_get_gets_not_modified() {
    const ETAG: &str = "\"v1\"";
    const MODIFIED: &str = "Thu, 30 Jul 2026 01:00:00 GMT";
    let server = Server::start(|hit, _| {
        if hit.header("if-none-match") == Some(ETAG) {
            response("304 Not Modified", &[("ETag", ETAG)], b"")
        } else {
            response(
                "200 OK",
                &[
                    ("Content-Type", "application/rss+xml; charset=utf-8"),
                    ("ETag", ETAG),
                    ("Last-Modified", MODIFIED),
                ],
                b"<rss/>",
            )
        }
    })
    .await;
    let fetcher = fetcher(loopback_options());

    let first = fetched(fetcher.fetch(&feed(server.url("/rss"))).await);
    assert_eq!(first.etag.as_deref(), Some(ETAG));
    assert_eq!(first.last_modified.as_deref(), Some(MODIFIED));
    assert_eq!(first.charset.as_deref(), Some("utf-8"));
    assert_eq!(&first.body[..], b"<rss/>");

    let again = FetchRequest {
        etag: first.etag.clone(),
        last_modified: first.last_modified.clone(),
        ..feed(server.url("/rss"))
    };
    match fetcher.fetch(&again).await {
        Ok(FetchOutcome::NotModified { final_url }) => {
            assert_eq!(final_url.as_str(), server.url("/rss"));
        }
        other => panic!("expected NotModified, got {other:?}"),
    }
    let hits = server.hits("/rss");
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].header("if-none-match"), None);
    assert_eq!(hits[1].header("if-modified-since"), Some(MODIFIED));
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn too_many_requests_with_retry_after_is_retried_after_the_wait() {
    let server = Server::start(|_, seen| {
        if seen == 0 {
            response(
                "429 Too Many Requests",
                &[("Retry-After", "1")],
                b"slow down",
            )
        } else {
            ok("application/rss+xml", b"<rss/>")
        }
    })
    .await;

    let started = Instant::now();
    let got = fetched(
        fetcher(loopback_options())
            .fetch(&feed(server.url("/rss")))
            .await,
    );
    assert_eq!(got.attempts, 2);
    assert!(started.elapsed() >= Duration::from_secs(1));
    let hits = server.hits("/rss");
    assert_eq!(hits.len(), 2);
    assert!(hits[1].at - hits[0].at >= Duration::from_secs(1));
}

#[tokio::test]
async fn persistent_503_fails_after_max_attempts() {
    let server = Server::start(|_, _| response("503 Service Unavailable", &[], b"down")).await;
    let error = fetcher(loopback_options())
        .fetch(&feed(server.url("/rss")))
        .await
        .expect_err("503 every time");
    assert!(
        matches!(
            error,
            FetchError::Status {
                status: 503,
                attempts: 3,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("HTTP 503"), "{error}");
    assert_eq!(server.hits("/rss").len(), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = Server::start(|_, _| not_found()).await;
    let error = fetcher(loopback_options())
        .fetch(&feed(server.url("/gone")))
        .await
        .expect_err("404");
    assert!(
        matches!(
            error,
            FetchError::Status {
                status: 404,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.hits("/gone").len(), 1);
}

// ---------------------------------------------------------------- redirects

#[tokio::test]
async fn redirect_loop_is_detected() {
    let server = Server::start(|hit, _| match hit.path.as_str() {
        "/a" => redirect("/b"),
        _ => redirect("/a"),
    })
    .await;
    let error = fetcher(loopback_options())
        .fetch(&feed(server.url("/a")))
        .await
        .expect_err("loop");
    match &error {
        FetchError::RedirectLoop { repeated, .. } => assert_eq!(repeated, &server.url("/a")),
        other => panic!("expected RedirectLoop, got {other:?}"),
    }
    // a → b → (a again: refused before it is requested)
    assert_eq!(server.total_hits(), 2);
}

#[tokio::test]
async fn redirects_are_followed_up_to_the_limit() {
    // /hops/N/i redirects to /hops/N/i+1 until i = N.
    let server = Server::start(|hit, _| {
        let parts: Vec<usize> = hit.path.split('/').filter_map(|p| p.parse().ok()).collect();
        match parts[..] {
            [total, i] if i < total => redirect(&format!("/hops/{total}/{}", i + 1)),
            _ => ok("text/html", b"end"),
        }
    })
    .await;
    let fetcher = fetcher(loopback_options());

    let five = fetched(fetcher.fetch(&feed(server.url("/hops/5/0"))).await);
    assert_eq!(five.final_url.as_str(), server.url("/hops/5/5"));
    assert_eq!(&five.body[..], b"end");

    let error = fetcher
        .fetch(&feed(server.url("/hops/6/0")))
        .await
        .expect_err("six redirects");
    assert!(
        matches!(error, FetchError::TooManyRedirects { max: 5, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn redirect_to_another_scheme_is_refused() {
    let server = Server::start(|_, _| redirect("ftp://files.example/feed.xml")).await;
    let error = fetcher(loopback_options())
        .fetch(&feed(server.url("/rss")))
        .await
        .expect_err("ftp redirect");
    assert!(
        matches!(&error, FetchError::UnsupportedScheme { scheme, .. } if scheme == "ftp"),
        "{error:?}"
    );
}

// ---------------------------------------------------------------- body cap

fn small_cap() -> FetchOptions {
    FetchOptions {
        max_body_bytes: MIB,
        ..loopback_options()
    }
}

fn assert_too_large(result: Result<FetchOutcome, FetchError>) {
    match result {
        Err(FetchError::TooLarge { limit, .. }) => assert_eq!(limit, MIB),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn declared_oversize_body_is_refused_before_reading() {
    let server = Server::start(|_, _| Reply::Stream {
        head: format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            50 * MIB
        ),
        total: 50 * MIB,
        chunked: false,
    })
    .await;
    assert_too_large(fetcher(small_cap()).fetch(&feed(server.url("/big"))).await);
    server.wait_done(1).await;
    // The client hung up at once; only socket buffers' worth got out.
    let streamed = server.streamed.load(Ordering::SeqCst);
    assert!(streamed < 20 * MIB, "server streamed {streamed} bytes");
}

#[tokio::test]
async fn undeclared_oversize_body_is_cut_at_the_cap() {
    let server = Server::start(|hit, _| Reply::Stream {
        head: match hit.path.as_str() {
            // No length at all: the body ends when the connection does.
            "/no-length" => {
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
            }
            _ => "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n",
        }
        .to_owned(),
        total: 50 * MIB,
        chunked: hit.path != "/no-length",
    })
    .await;
    let fetcher = fetcher(small_cap());
    assert_too_large(fetcher.fetch(&feed(server.url("/no-length"))).await);
    assert_too_large(fetcher.fetch(&feed(server.url("/chunked"))).await);
    server.wait_done(2).await;
    let streamed = server.streamed.load(Ordering::SeqCst);
    assert!(
        streamed < 40 * MIB,
        "server streamed {streamed} bytes for two fetches"
    );
}

#[tokio::test]
async fn lying_small_content_length_gets_only_what_was_declared() {
    // Declares 1000 bytes, then keeps sending: nothing past the declared
    // length is ever read as body.
    let server = Server::start(|_, _| Reply::Stream {
        head: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n".into(),
        total: 50 * MIB,
        chunked: false,
    })
    .await;
    let got = fetched(fetcher(small_cap()).fetch(&feed(server.url("/liar"))).await);
    assert_eq!(got.body.len(), 1000);
}

#[tokio::test]
async fn gzip_bomb_is_cut_at_the_cap_after_decompression() {
    let bomb = fixture("bomb.gz");
    assert!(
        (bomb.len() as u64) < MIB,
        "the compressed bomb is under the cap"
    );
    let server = Server::start(move |_, _| {
        response(
            "200 OK",
            &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            &bomb,
        )
    })
    .await;
    let got = fetcher(small_cap()).fetch(&feed(server.url("/bomb"))).await;
    assert_too_large(got);
    let asked = server.hits("/bomb");
    assert!(
        asked[0]
            .header("accept-encoding")
            .is_some_and(|v| v.contains("gzip")),
        "{:?}",
        asked[0].headers
    );
}

// ---------------------------------------------------------------- timeouts

#[tokio::test]
async fn trickling_server_times_out_within_the_total_timeout() {
    let server = Server::start(|_, _| Reply::Trickle {
        head: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n".into(),
    })
    .await;
    let options = FetchOptions {
        total_timeout_ms: 2_000,
        max_attempts: 1,
        ..loopback_options()
    };
    let started = Instant::now();
    let error = fetcher(options)
        .fetch(&feed(server.url("/slow")))
        .await
        .expect_err("trickle");
    let took = started.elapsed();
    assert!(
        matches!(
            error,
            FetchError::Timeout {
                timeout_ms: 2_000,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        took >= Duration::from_millis(1_900),
        "gave up early: {took:?}"
    );
    assert!(took < Duration::from_millis(3_000), "took {took:?}");
}

#[tokio::test]
async fn timeouts_are_retried() {
    let server = Server::start(|_, _| Reply::Trickle {
        head: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".into(),
    })
    .await;
    let options = FetchOptions {
        total_timeout_ms: 700,
        max_attempts: 2,
        ..loopback_options()
    };
    let error = fetcher(options)
        .fetch(&feed(server.url("/slow")))
        .await
        .expect_err("trickle");
    assert!(
        matches!(error, FetchError::Timeout { attempts: 2, .. }),
        "{error:?}"
    );
    assert_eq!(server.hits("/slow").len(), 2);
}

// ---------------------------------------------------------------- robots.txt and politeness

#[tokio::test]
async fn robots_disallow_applies_to_pages_not_feeds() {
    let server = Server::start(|hit, _| match hit.path.as_str() {
        "/robots.txt" => ok("text/plain", b"User-agent: *\nDisallow: /private\n"),
        _ => ok("text/html", b"<p>hello</p>"),
    })
    .await;
    let fetcher = fetcher(loopback_options());

    let error = fetcher
        .fetch(&page(server.url("/private/report.html")))
        .await
        .expect_err("disallowed");
    match &error {
        FetchError::RobotsDisallowed { url } => {
            assert_eq!(url, &server.url("/private/report.html"));
        }
        other => panic!("expected RobotsDisallowed, got {other:?}"),
    }
    assert!(server.hits("/private/report.html").is_empty());

    fetched(fetcher.fetch(&page(server.url("/public.html"))).await);
    let as_feed = fetched(
        fetcher
            .fetch(&feed(server.url("/private/report.html")))
            .await,
    );
    assert_eq!(&as_feed.body[..], b"<p>hello</p>");
    // robots.txt was read once and cached for both page fetches.
    assert_eq!(server.hits("/robots.txt").len(), 1);
}

#[tokio::test]
async fn robots_rules_for_huiwen_are_used() {
    let server = Server::start(|hit, _| match hit.path.as_str() {
        "/robots.txt" => ok(
            "text/plain",
            b"User-agent: *\nDisallow:\n\nUser-agent: huiwen\nDisallow: /\n",
        ),
        _ => ok("text/html", b"<p>hello</p>"),
    })
    .await;
    let error = fetcher(loopback_options())
        .fetch(&page(server.url("/any.html")))
        .await
        .expect_err("huiwen is disallowed everywhere");
    assert!(
        matches!(error, FetchError::RobotsDisallowed { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn failing_robots_txt_allows_pages() {
    let server = Server::start(|hit, _| match hit.path.as_str() {
        "/robots.txt" => response("500 Internal Server Error", &[], b"oops"),
        _ => ok("text/html", b"<p>hello</p>"),
    })
    .await;
    let got = fetched(
        fetcher(loopback_options())
            .fetch(&page(server.url("/a.html")))
            .await,
    );
    assert_eq!(&got.body[..], b"<p>hello</p>");
    assert_eq!(
        server.hits("/robots.txt").len(),
        1,
        "robots.txt is not retried"
    );
}

#[tokio::test]
async fn crawl_delay_spaces_page_fetches() {
    let server = Server::start(|hit, _| match hit.path.as_str() {
        "/robots.txt" => ok("text/plain", b"User-agent: *\nCrawl-delay: 1\n"),
        _ => ok("text/html", b"<p>hello</p>"),
    })
    .await;
    let fetcher = fetcher(loopback_options()); // min interval 0: only the delay spaces them
    fetched(fetcher.fetch(&page(server.url("/p1"))).await);
    fetched(fetcher.fetch(&page(server.url("/p2"))).await);

    let robots = server.hits("/robots.txt")[0].at;
    let p1 = server.hits("/p1")[0].at;
    let p2 = server.hits("/p2")[0].at;
    // A few ms of slack for loopback connection set-up between the client's
    // start and the server reading the request head.
    let slack = Duration::from_millis(10);
    assert!(
        p1 - robots + slack >= Duration::from_secs(1),
        "{:?}",
        p1 - robots
    );
    assert!(p2 - p1 + slack >= Duration::from_secs(1), "{:?}", p2 - p1);
}

#[tokio::test]
async fn per_host_interval_and_concurrency_are_kept() {
    let server = Server::start(|_, _| {
        Reply::After(
            Duration::from_millis(200),
            Box::new(ok("application/rss+xml", b"<rss/>")),
        )
    })
    .await;
    let fetcher = fetcher(FetchOptions {
        per_host_min_interval_ms: 300,
        per_host_concurrency: 1,
        ..loopback_options()
    });
    let requests: Vec<FetchRequest> = (0..3)
        .map(|i| feed(server.url(&format!("/f{i}"))))
        .collect();
    let results = futures_join(&fetcher, &requests).await;
    for result in results {
        fetched(result);
    }
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 1);
    let mut starts: Vec<Instant> = server
        .hits
        .lock()
        .expect("hits")
        .iter()
        .map(|h| h.at)
        .collect();
    starts.sort();
    assert_eq!(starts.len(), 3);
    for pair in starts.windows(2) {
        // Concurrency 1 and 200 ms replies alone would space them by 200 ms.
        assert!(pair[1] - pair[0] + Duration::from_millis(10) >= Duration::from_millis(300));
    }
}

#[tokio::test]
async fn concurrency_above_one_overlaps_requests() {
    let server = Server::start(|_, _| {
        Reply::After(
            Duration::from_millis(300),
            Box::new(ok("application/rss+xml", b"<rss/>")),
        )
    })
    .await;
    let fetcher = fetcher(FetchOptions {
        per_host_concurrency: 2,
        ..loopback_options()
    });
    let requests: Vec<FetchRequest> = (0..4)
        .map(|i| feed(server.url(&format!("/f{i}"))))
        .collect();
    for result in futures_join(&fetcher, &requests).await {
        fetched(result);
    }
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 2);
}

/// Runs fetches concurrently on the test's runtime.
async fn futures_join(
    fetcher: &Fetcher,
    requests: &[FetchRequest],
) -> Vec<Result<FetchOutcome, FetchError>> {
    let tasks: Vec<_> = requests
        .iter()
        .map(|request| {
            let fetcher = fetcher.clone();
            let request = request.clone();
            tokio::spawn(async move { fetcher.fetch(&request).await })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("fetch task"));
    }
    results
}

// ---------------------------------------------------------------- the private-network guard

fn guarded() -> Fetcher {
    fetcher(FetchOptions {
        allow_private_networks: false,
        ..loopback_options()
    })
}

#[tokio::test]
async fn guard_refuses_a_loopback_literal() {
    let server = Server::start(|_, _| ok("application/rss+xml", b"<rss/>")).await;
    let error = guarded()
        .fetch(&feed(server.url("/rss")))
        .await
        .expect_err("loopback");
    match &error {
        FetchError::PrivateAddress {
            host, addr, class, ..
        } => {
            assert_eq!(host, "127.0.0.1");
            assert_eq!(*addr, IpAddr::from([127, 0, 0, 1]));
            assert_eq!(*class, AddressClass::Loopback);
        }
        other => panic!("expected PrivateAddress, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("127.0.0.1, a loopback address"),
        "{message}"
    );
    assert!(
        message.contains("fetch.allow_private_networks = true"),
        "{message}"
    );
    assert_eq!(server.total_hits(), 0, "nothing may reach the server");
}

#[tokio::test]
async fn guard_refuses_a_name_that_resolves_to_loopback() {
    let server = Server::start(|_, _| ok("application/rss+xml", b"<rss/>")).await;
    let url = format!("http://localhost:{}/rss", server.addr.port());
    let fetcher = guarded();
    for request in [feed(url.clone()), page(url.clone())] {
        // The page's robots.txt fetch is refused the same way.
        match fetcher.fetch(&request).await {
            Err(FetchError::PrivateAddress {
                url: refused,
                host,
                addr,
                class,
            }) => {
                assert_eq!(refused, url);
                assert_eq!(host, "localhost");
                assert!(addr.is_loopback(), "{addr}");
                assert_eq!(class, AddressClass::Loopback);
            }
            other => panic!("expected PrivateAddress for {request:?}, got {other:?}"),
        }
    }
    assert_eq!(server.total_hits(), 0, "nothing may reach the server");
}

#[tokio::test]
async fn guard_refuses_ipv6_and_mapped_forms() {
    for url in [
        "http://[::1]:9/rss",
        "http://[::ffff:127.0.0.1]:9/rss",
        "http://[fd00::1]/rss",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://2130706433/",
    ] {
        let result = guarded().fetch(&feed(url.into())).await;
        assert!(
            matches!(result, Err(FetchError::PrivateAddress { .. })),
            "{url}: {result:?}"
        );
    }
}

#[tokio::test]
async fn guard_off_fetches_the_same_urls() {
    let server = Server::start(|_, _| ok("application/rss+xml", b"<rss/>")).await;
    let fetcher = fetcher(loopback_options());
    let got = fetched(fetcher.fetch(&feed(server.url("/rss"))).await);
    assert_eq!(&got.body[..], b"<rss/>");
    let by_name = format!("http://localhost:{}/rss", server.addr.port());
    let got = fetched(fetcher.fetch(&feed(by_name)).await);
    assert_eq!(&got.body[..], b"<rss/>");
    assert_eq!(server.total_hits(), 2);
}

// ---------------------------------------------------------------- requests and URLs

#[tokio::test]
async fn requests_identify_huiwen() {
    let server = Server::start(|_, _| ok("application/rss+xml", b"<rss/>")).await;
    let fetcher = fetcher(loopback_options());
    fetched(fetcher.fetch(&feed(server.url("/rss"))).await);
    let hit = &server.hits("/rss")[0];
    assert_eq!(
        hit.header("user-agent"),
        Some(
            format!(
                "huiwen/{} (+https://example.org/contact)",
                env!("CARGO_PKG_VERSION")
            )
            .as_str()
        )
    );
    assert!(hit
        .header("accept")
        .is_some_and(|a| a.contains("application/rss+xml")));
}

#[tokio::test]
async fn bad_urls_are_refused_before_any_request() {
    let fetcher = fetcher(loopback_options());
    for (url, want_scheme) in [
        ("ftp://files.example/feed.xml", Some("ftp")),
        ("file:///etc/passwd", Some("file")),
        ("not a url", None),
        ("http://", None),
    ] {
        let error = fetcher.fetch(&feed(url.into())).await.expect_err(url);
        match (&error, want_scheme) {
            (FetchError::UnsupportedScheme { scheme, .. }, Some(want)) => assert_eq!(scheme, want),
            (FetchError::InvalidUrl { .. }, None) => {}
            _ => panic!("{url}: unexpected {error:?}"),
        }
    }
}

#[test]
fn invalid_options_are_refused_by_key() {
    let error = Fetcher::new(FetchOptions {
        max_attempts: 0,
        ..FetchOptions::default()
    })
    .expect_err("zero attempts");
    assert!(error.to_string().contains("fetch.max_attempts"), "{error}");
    let error = Fetcher::new(FetchOptions {
        user_agent_contact: "line\nbreak".into(),
        ..FetchOptions::default()
    })
    .expect_err("header injection");
    assert!(matches!(error, FetchError::InvalidOptions(_)), "{error:?}");
}
