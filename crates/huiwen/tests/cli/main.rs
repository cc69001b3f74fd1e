//! The `huiwen` binary as scripts use it: real processes, a real SQLite file
//! and the real PostgreSQL server, stdout parsed as the one JSON document each
//! `--json` command promises.

mod analyze;
mod extract;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn demo_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/demo-corpus.jsonl.gz")
}

fn huiwen<S: AsRef<std::ffi::OsStr>>(args: &[S], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huiwen"));
    cmd.args(args).env_remove("RUST_LOG").env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    // A huiwen.toml in the working directory would be read: run elsewhere.
    cmd.current_dir(std::env::temp_dir());
    cmd.output().expect("run huiwen")
}

/// Starts huiwen with its standard streams piped to the test.
fn spawn_huiwen(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_huiwen"))
        .args(args)
        .env("HUIWEN_LOG", "error")
        .env_remove("RUST_LOG")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("huiwen runs")
}

/// Runs huiwen with `stdin` as its standard input.
fn huiwen_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = spawn_huiwen(args);
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("huiwen finishes")
}

/// Runs a `--json` command and parses its whole stdout as one document.
fn json<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(args: &[S], env: &[(&str, &str)]) -> Value {
    let out = huiwen(args, env);
    assert!(
        out.status.success(),
        "huiwen {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout of {args:?} is not one JSON document ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn n(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

/// The whole script-facing surface, against one store.
fn exercise_store(store_args: &[&str], env: &[(&str, &str)]) {
    let corpus = demo_corpus();
    let corpus = corpus.to_str().expect("utf-8 path");
    let with = |extra: &[&str]| -> Vec<String> {
        store_args
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect()
    };

    let first = json(&with(&["import", corpus, "--json"]), env);
    let imported = n(&first, "imported");
    assert!(imported > 6000, "{first}");
    assert_eq!(
        (
            n(&first, "updated"),
            n(&first, "unchanged"),
            n(&first, "rejected")
        ),
        (0, 0, 0)
    );
    assert!(first["rejects"].as_array().expect("rejects").is_empty());

    let second = json(&with(&["import", corpus, "--json"]), env);
    assert_eq!(
        (
            n(&second, "imported"),
            n(&second, "updated"),
            n(&second, "unchanged")
        ),
        (0, 0, imported)
    );

    let stats = json(&with(&["stats", "--json"]), env);
    assert_eq!(n(&stats, "articles"), imported);
    assert!(n(&stats, "db_bytes") > 0);
    let sources = stats["sources"].as_array().expect("sources");
    let per_source: u64 = sources.iter().map(|s| n(s, "articles")).sum();
    assert_eq!(per_source, imported);
    assert!(sources.iter().any(|s| s["name"] == "财联社"));
    assert!(stats["first"].as_str().expect("first") < stats["last"].as_str().expect("last"));

    let one_day = [
        "list",
        "--source",
        "财联社",
        "--since",
        "2026-07-30",
        "--until",
        "2026-07-31",
        "--limit",
        "50",
        "--json",
    ];
    let page = json(&with(&one_day), env);
    let articles = page["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 50);
    let a = &articles[0];
    for key in [
        "id",
        "url",
        "guid",
        "source",
        "outlet",
        "title",
        "authors",
        "published_at",
        "fetched_at",
        "summary",
        "text",
        "lang",
        "images",
        "tags",
    ] {
        assert!(a.get(key).is_some(), "ARTICLE lacks {key}: {a}");
    }
    assert_eq!(a["source"], "财联社");
    let published = a["published_at"].as_str().expect("time");
    assert!(
        published.starts_with("2026-07-30T") && published.ends_with("+08:00"),
        "{published}"
    );
    let next = page["next"]
        .as_str()
        .expect("more than one page on 2026-07-30");
    let page2 = json(&with(&[&one_day[..], &["--cursor", next]].concat()), env);
    let first_ids: Vec<&Value> = articles.iter().map(|a| &a["id"]).collect();
    for b in page2["articles"].as_array().expect("articles") {
        assert!(!first_ids.contains(&&b["id"]), "pages overlap");
        assert!(
            b["published_at"].as_str().expect("time")
                <= articles[49]["published_at"].as_str().expect("time")
        );
    }

    let id = a["id"].as_i64().expect("id").to_string();
    let by_id = json(&with(&["show", &id, "--json"]), env);
    assert_eq!(by_id["title"], a["title"]);
    let url = a["url"].as_str().expect("flash items have URLs");
    let by_url = json(&with(&["show", url, "--json"]), env);
    assert_eq!(by_url["id"], a["id"]);

    let missing = huiwen(&with(&["show", "999999999"]), env);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("no article"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

#[test]
fn sqlite_import_list_show_stats() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().to_str().expect("utf-8").to_string();
    exercise_store(&["--data-dir", &data], &[]);
    assert!(
        dir.path().join("huiwen.db").is_file(),
        "the store is one file in the data dir"
    );
}

/// A schema of its own on the test PostgreSQL server, dropped when the test
/// ends (pass or fail). `None`, after saying so loudly, when the server is
/// not usable outside CI; with `CI=true` that is a failure.
struct TestPostgres {
    url: String,
    schema: String,
}

impl TestPostgres {
    fn open(name: &str) -> Option<TestPostgres> {
        let url = std::env::var("HUIWEN_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let pg = TestPostgres {
            schema: format!("huiwen_cli_{name}_{}", std::process::id()),
            url,
        };
        let probe = huiwen(&["stats", "--json"], &pg.env());
        if probe.status.success() {
            return Some(pg);
        }
        let why = String::from_utf8_lossy(&probe.stderr);
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true and PostgreSQL at {} is not usable: {why}", pg.url);
        }
        eprintln!("\n!!!!!!!!!! POSTGRESQL TEST {name} DID NOT RUN: {why}\n");
        None
    }

    /// The store URL and schema as environment variables: both configuration
    /// layers below the flags.
    fn env(&self) -> [(&str, &str); 2] {
        [
            ("HUIWEN_DB", self.url.as_str()),
            ("HUIWEN_STORE_POSTGRES_SCHEMA", self.schema.as_str()),
        ]
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        if let Ok(rt) = tokio::runtime::Runtime::new() {
            let _ = rt.block_on(huiwen_store_postgres::PostgresStore::drop_schema(
                &self.url,
                &self.schema,
            ));
        }
    }
}

#[test]
fn postgres_import_list_show_stats() {
    let Some(pg) = TestPostgres::open("import") else {
        return;
    };
    exercise_store(&[], &pg.env());
}

#[test]
fn unreadable_files_fail_the_command_but_not_the_import() {
    let dir = tempfile::tempdir().expect("tmp");
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, "{\"date\": \"2026-07-30\", \"title\": \"新闻联播\", \"url\": null, \"content\": \"正文。\"}\n").expect("write");
    let data = dir.path().join("data");
    let out = huiwen(
        &[
            "--data-dir",
            data.to_str().expect("utf-8"),
            "import",
            "--json",
            dir.path().join("nope.jsonl").to_str().expect("utf-8"),
            good.to_str().expect("utf-8"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let summary: Value =
        serde_json::from_slice(&out.stdout).expect("one JSON document even on failure");
    assert_eq!(n(&summary, "imported"), 1);
    assert_eq!(n(&summary, "rejected"), 1);
    assert!(summary["rejects"][0]["line"].is_null());
    assert!(summary["rejects"][0]["file"]
        .as_str()
        .expect("file")
        .ends_with("nope.jsonl"));
}

#[test]
fn config_example_and_layers() {
    let out = huiwen(&["config", "example"], &[]);
    assert!(out.status.success());
    let example = String::from_utf8(out.stdout).expect("utf-8");
    assert!(example.contains("HUIWEN_DATA_DIR") && example.contains("batch_size"));

    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("site.toml");
    std::fs::write(
        &file,
        "timezone = \"Europe/London\"\n[import]\nbatch_size = 7\nmax_rejects = 3\n",
    )
    .expect("write");
    let out = huiwen(
        &[
            "--config",
            file.to_str().expect("utf-8"),
            "--data-dir",
            "/srv/from-flag",
            "config",
            "show",
        ],
        &[
            ("HUIWEN_IMPORT_BATCH_SIZE", "9"),
            ("HUIWEN_DATA_DIR", "/srv/from-env"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: toml::Table = toml::from_str(&String::from_utf8_lossy(&out.stdout)).expect("toml");
    assert_eq!(
        shown["timezone"].as_str(),
        Some("Europe/London"),
        "file over defaults"
    );
    assert_eq!(
        shown["import"]["batch_size"].as_integer(),
        Some(9),
        "env over file"
    );
    assert_eq!(shown["import"]["max_rejects"].as_integer(), Some(3));
    assert_eq!(
        shown["data_dir"].as_str(),
        Some("/srv/from-flag"),
        "flag over env"
    );

    let bad = huiwen(
        &["--config", file.to_str().expect("utf-8"), "stats"],
        &[("HUIWEN_IMPORT_BATCH_SIZE", "lots")],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("HUIWEN_IMPORT_BATCH_SIZE"));
}

#[test]
fn demo_imports_the_bundled_corpus_and_shows_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("demo");
    let out = huiwen(&["demo", "--data-dir", data.to_str().expect("utf-8")], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Newest articles"), "{text}");
    assert!(
        text.contains("财联社") && text.contains("同花顺") && text.contains("东方财富"),
        "{text}"
    );
    assert!(text.contains("rejected 0"), "{text}");
    let stats = json(
        &[
            "--data-dir",
            data.to_str().expect("utf-8"),
            "stats",
            "--json",
        ],
        &[],
    );
    assert!(n(&stats, "articles") > 6000);
}

#[test]
fn two_importers_share_one_sqlite_file() {
    // Two processes writing one store at once: SQLite's single writer lock
    // (BEGIN IMMEDIATE plus the busy timeout) makes them take turns; neither
    // fails and nothing is lost.
    let dir = tempfile::tempdir().expect("tmp");
    let mut files = Vec::new();
    for part in 0..2 {
        let lines: String = (0..3000)
            .map(|i| {
                serde_json::json!({"date": "2026-07-30", "title": format!("第{part}组第{i}条"), "url": null, "content": "正文。"})
                    .to_string()
                    + "\n"
            })
            .collect();
        let path = dir.path().join(format!("part{part}.jsonl"));
        std::fs::write(&path, lines).expect("write");
        files.push(path);
    }
    let data = dir.path().join("data");
    let spawn = |file: &PathBuf| {
        Command::new(env!("CARGO_BIN_EXE_huiwen"))
            .args([
                "--data-dir",
                data.to_str().expect("utf-8"),
                "import",
                "--batch-size",
                "100",
                "--json",
            ])
            .arg(file)
            .current_dir(std::env::temp_dir())
            .output()
    };
    // No store yet: both processes create and migrate it at the same moment.
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn(&files[0]));
        let b = s.spawn(|| spawn(&files[1]));
        (
            a.join().expect("thread").expect("run"),
            b.join().expect("thread").expect("run"),
        )
    });
    for out in [&a, &b] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let summary: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(n(&summary, "imported"), 3000);
    }
    let stats = json(
        &[
            "--data-dir",
            data.to_str().expect("utf-8"),
            "stats",
            "--json",
        ],
        &[],
    );
    assert_eq!(n(&stats, "articles"), 6000);
    assert_eq!(n(&stats, "last_seq"), 6000);
}

/// A real HTTP server on 127.0.0.1, one thread per connection: `answer`
/// maps a request path to (status line, content type, body). Serves until
/// the test process ends; returns its base URL.
fn serve(
    answer: impl Fn(&str) -> (&'static str, &'static str, String) + Send + Sync + 'static,
) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let answer = std::sync::Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, kind, body) = answer(&path);
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    base
}

/// A tiny site: a home page announcing a feed, the feed, and no robots.txt.
fn serve_site() -> String {
    serve(|path| {
        match path {
        "/" => (
            "200 OK",
            "text/html; charset=utf-8",
            r#"<html><head><title>测试网</title>
            <link rel="alternate" type="application/rss+xml" title="测试新闻" href="/feed.xml"></head>
            <body>首页</body></html>"#
                .to_string(),
        ),
        "/feed.xml" => (
            "200 OK",
            "application/rss+xml",
            r#"<?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>测试新闻</title><link>/</link></channel></rss>"#
                .to_string(),
        ),
        _ => ("404 Not Found", "text/plain", "not found".to_string()),
    }
    })
}

#[test]
fn sources_are_discovered_added_listed_and_removed() {
    let site = serve_site();
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().to_str().expect("utf-8").to_string();
    let allow = [("HUIWEN_FETCH_ALLOW_PRIVATE_NETWORKS", "1")];

    // The guard is on by default: a site on 127.0.0.1 is refused, and the
    // message says how to allow it.
    let refused = huiwen(
        &["--data-dir", &data, "source", "add", &format!("{site}/")],
        &[],
    );
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("allow_private_networks"), "{why}");

    // A home page: the feed it announces is added, named by its title.
    let added = json(
        &[
            "--data-dir",
            &data,
            "source",
            "add",
            &format!("{site}/"),
            "--json",
        ],
        &allow,
    );
    let sources = added["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), 1, "{added}");
    assert_eq!(sources[0]["kind"], "feed");
    assert_eq!(sources[0]["name"], "测试新闻");
    assert_eq!(sources[0]["url"], format!("{site}/feed.xml").as_str());
    assert_eq!(sources[0]["every_secs"], 600);

    // A page with explicit kind, interval and zone: no fetch needed.
    let page = json(
        &[
            "--data-dir",
            &data,
            "source",
            "add",
            "https://www.example.com/news/list.html",
            "--kind",
            "page",
            "--every",
            "30m",
            "--tz",
            "Asia/Hong_Kong",
            "--name",
            "示例列表",
            "--json",
        ],
        &[],
    );
    assert_eq!(page["sources"][0]["every_secs"], 1800);
    assert_eq!(page["sources"][0]["zone"], "Asia/Hong_Kong");

    let again = huiwen(
        &[
            "--data-dir",
            &data,
            "source",
            "add",
            "https://www.example.com/news/list.html",
            "--kind",
            "page",
        ],
        &[],
    );
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let listed = json(&["--data-dir", &data, "source", "list", "--json"], &[]);
    let all = listed["sources"].as_array().expect("sources");
    assert_eq!(all.len(), 2);
    for s in all {
        for key in [
            "id",
            "name",
            "url",
            "kind",
            "every_secs",
            "zone",
            "fetch",
            "items",
        ] {
            assert!(s.get(key).is_some(), "source lacks {key}: {s}");
        }
        assert_eq!(s["fetch"]["consecutive_errors"], 0);
    }

    let removed = json(
        &[
            "--data-dir",
            &data,
            "source",
            "remove",
            "https://www.example.com/news/list.html",
            "--json",
        ],
        &[],
    );
    assert_eq!(removed["name"], "示例列表");
    let listed = json(&["--data-dir", &data, "source", "list", "--json"], &[]);
    assert_eq!(listed["sources"].as_array().expect("sources").len(), 1);
}

/// Serves `/feed{i}.xml` for any i (one item each) and counts the requests
/// per feed.
fn serve_feeds(
    hits: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
) -> String {
    serve(move |path| {
        *hits
            .lock()
            .expect("lock")
            .entry(path.to_string())
            .or_default() += 1;
        // Slow enough that the two workers really overlap.
        std::thread::sleep(std::time::Duration::from_millis(100));
        let name = path.trim_start_matches('/').trim_end_matches(".xml");
        let body = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
             <item><title>{name} 的新闻</title><guid>{name}-1</guid><link>http://example.com/{name}/1</link>\
             <pubDate>Tue, 20 Jan 2026 16:00:42 +0800</pubDate><description>正文。</description></item></channel></rss>"
        );
        ("200 OK", "application/rss+xml", body)
    })
}

#[test]
fn two_workers_on_postgres_never_fetch_the_same_source() {
    let Some(pg) = TestPostgres::open("workers") else {
        return;
    };
    let env = [
        pg.env()[0],
        pg.env()[1],
        ("HUIWEN_FETCH_ALLOW_PRIVATE_NETWORKS", "1"),
        ("HUIWEN_FETCH_PER_HOST_CONCURRENCY", "8"),
        ("HUIWEN_FETCH_PER_HOST_MIN_INTERVAL_MS", "0"),
        ("HUIWEN_INGEST_CONCURRENCY", "3"),
    ];
    let hits = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::new()));
    let site = serve_feeds(hits.clone());
    let feeds = 12;
    for i in 0..feeds {
        let out = huiwen(
            &[
                "source",
                "add",
                &format!("{site}/feed{i}.xml"),
                "--kind",
                "feed",
            ],
            &env,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let run = || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_huiwen"));
        cmd.args(["fetch", "--once", "--json"])
            .current_dir(std::env::temp_dir());
        for (k, v) in &env {
            cmd.env(k, v);
        }
        cmd.output().expect("run worker")
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(run);
        let b = s.spawn(run);
        (a.join().expect("thread"), b.join().expect("thread"))
    });
    let mut handled = 0;
    let mut new_items = 0;
    for out in [&a, &b] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let summary: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert!(
            summary["errors"].as_array().expect("errors").is_empty(),
            "{summary}"
        );
        handled += n(&summary, "sources");
        new_items += n(&summary, "new_items");
    }
    assert_eq!(handled, feeds, "every source fetched once in all");
    assert_eq!(new_items, feeds);
    let hits = hits.lock().expect("lock");
    for i in 0..feeds {
        assert_eq!(
            hits.get(&format!("/feed{i}.xml")),
            Some(&1),
            "feed{i} fetched exactly once: {hits:?}"
        );
    }
}

#[test]
fn opml_in_and_out() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8");
    let opml = dir.path().join("subs.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>订阅</title></head><body>
        <outline text="财经"><outline type="rss" text="财联社电报" xmlUrl="https://www.cls.cn/telegraph/rss?utm_source=x"/>
        <outline type="rss" text="华尔街见闻" xmlUrl="https://wallstreetcn.com/feed"/></outline>
        <outline type="rss" text="坏链接" xmlUrl="ftp://example.com/feed"/>
        <outline type="link" text="列表页" url="https://news.example.com/list.html"/></body></opml>"#,
    )
    .expect("write");
    let opml = opml.to_str().expect("utf-8");
    let first = json(
        &[
            "--data-dir",
            data,
            "source",
            "import-opml",
            opml,
            "--every",
            "15m",
            "--json",
        ],
        &[],
    );
    assert_eq!(
        (n(&first, "added"), n(&first, "skipped")),
        (3, 0),
        "{first}"
    );
    assert_eq!(first["rejected"].as_array().expect("rejected").len(), 1);
    assert!(first["rejected"][0]["reason"]
        .as_str()
        .expect("reason")
        .contains("ftp"));
    let again = json(
        &["--data-dir", data, "source", "import-opml", opml, "--json"],
        &[],
    );
    assert_eq!(
        (n(&again, "added"), n(&again, "skipped")),
        (0, 3),
        "importing twice adds nothing"
    );

    let listed = json(&["--data-dir", data, "source", "list", "--json"], &[]);
    let names: Vec<&str> = listed["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert!(
        names.contains(&"财联社电报") && names.contains(&"列表页"),
        "{names:?}"
    );
    assert!(listed["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .all(|s| s["every_secs"] == 900));

    let out = huiwen(&["--data-dir", data, "source", "export-opml"], &[]);
    assert!(out.status.success());
    let exported = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        exported.contains("xmlUrl=\"https://www.cls.cn/telegraph/rss\""),
        "canonical URL exported: {exported}"
    );
    assert!(
        exported.contains("type=\"link\"")
            && exported.contains("https://news.example.com/list.html")
    );
    // What we export, another huiwen imports: a fresh store gets the same sources.
    let export_file = dir.path().join("export.opml");
    std::fs::write(&export_file, &exported).expect("write");
    let other = dir.path().join("other");
    let round = json(
        &[
            "--data-dir",
            other.to_str().expect("utf-8"),
            "source",
            "import-opml",
            export_file.to_str().expect("utf-8"),
            "--json",
        ],
        &[],
    );
    assert_eq!(n(&round, "added"), 3);
}

/// An article page with site chrome around it.
fn article_html(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_财经_测试网</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/finance/">财经</a></div>
<div class="article"><h1>{title}</h1><div class="info">2026-01-20 16:00:42 来源：新华社</div>{body}</div>
<div class="related"><h3>热门资讯</h3><ul><li><a href="/x/1.html">沪指收涨0.5%</a></li><li><a href="/x/2.html">人民币汇率中间价上调</a></li></ul></div>
</body></html>"#
    )
}

const CLI_PARAGRAPHS: [&str; 3] = [
    "国家统计局1月20日发布数据，初步核算，全年国内生产总值比上年增长5.0%，经济运行总体平稳，高质量发展扎实推进，主要预期目标顺利完成。",
    "分季度看，四季度国内生产总值同比增长5.4%，比三季度加快0.8个百分点，消费对经济增长的贡献率持续提升，投资结构不断优化。",
    "国家统计局新闻发言人表示，外部环境变化带来的不利影响加深，但我国经济基础稳、优势多、韧性强、潜能大，长期向好的支撑条件和基本趋势没有变。",
];

#[test]
fn a_page_source_is_extracted_and_can_be_reextracted() {
    let site = serve(|path| match path {
        "/news/gdp.html" => (
            "200 OK",
            "text/html; charset=utf-8",
            article_html("全年经济增长5.0%", &CLI_PARAGRAPHS),
        ),
        _ => ("404 Not Found", "text/plain", "not found".to_string()),
    });
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().to_str().expect("utf-8").to_string();
    let allow = [("HUIWEN_FETCH_ALLOW_PRIVATE_NETWORKS", "1")];
    let page_url = format!("{site}/news/gdp.html");

    let added = json(
        &[
            "--data-dir",
            &data,
            "source",
            "add",
            &page_url,
            "--kind",
            "page",
            "--json",
        ],
        &allow,
    );
    assert_eq!(added["sources"][0]["kind"], "page");
    assert_eq!(added["sources"][0]["full_text"], false);

    let round = json(&["--data-dir", &data, "fetch", "--once", "--json"], &allow);
    assert_eq!(
        (n(&round, "fetched"), n(&round, "new_items")),
        (1, 1),
        "{round}"
    );
    assert!(
        round["errors"].as_array().is_some_and(Vec::is_empty),
        "{round}"
    );
    assert!(
        round.get("elapsed_ms").is_some_and(Value::is_u64),
        "{round}"
    );
    // `fetch` closes its store, which folds SQLite's write-ahead log back
    // into the database file.
    let wal = std::path::Path::new(&data).join("huiwen.db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "fetch left {} behind",
        wal.display()
    );

    let article = json(&["--data-dir", &data, "show", &page_url, "--json"], &[]);
    assert_eq!(article["title"], "全年经济增长5.0%");
    assert_eq!(article["published_at"], "2026-01-20T16:00:42+08:00");
    let text = article["text"].as_str().expect("text");
    assert!(text.contains(CLI_PARAGRAPHS[2]), "{text}");
    assert!(
        !text.contains("热门资讯") && !text.contains("首页"),
        "{text}"
    );

    // The page was read by the current extractor: nothing to do, unless all.
    let current = json(&["--data-dir", &data, "reextract", "--json"], &[]);
    assert_eq!(
        (n(&current, "pages"), n(&current, "current")),
        (1, 1),
        "{current}"
    );
    let forced = json(
        &[
            "--data-dir",
            &data,
            "reextract",
            "--all",
            "--source",
            &page_url,
            "--json",
        ],
        &[],
    );
    assert_eq!(
        (
            n(&forced, "pages"),
            n(&forced, "unchanged"),
            n(&forced, "updated")
        ),
        (1, 1, 0),
        "{forced}"
    );
    let unknown = huiwen(
        &["--data-dir", &data, "reextract", "--source", "没有这个源"],
        &[],
    );
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("no source"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}

/// A reader that stops reading (`huiwen extract page | head -1`) ends the
/// command quietly: no panic about a failed print, no error.
#[test]
fn a_closed_pipe_ends_output_quietly() {
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../huiwen-extract/tests/fixtures/seed_000.txt"
    );
    let page = std::fs::read(seed).expect("seed fixture");
    for args in [vec!["extract", "-"], vec!["extract", "-", "--json"]] {
        let mut child = spawn_huiwen(&args);
        // The reader is gone before huiwen has read its input, so its
        // first write meets a closed pipe.
        drop(child.stdout.take());
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&page).expect("write stdin");
        drop(stdin);
        let out = child.wait_with_output().expect("huiwen finishes");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
