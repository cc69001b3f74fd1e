//! Baseline extractors in the same harness as huiwen-extract.
//!
//! * `baselines NAME FILE [URL]` prints `{"title", "text", "published_at",
//!   "authors"}` for `eval.py --cmd` (NAME: `dom_smoothie`, `rs_trafilatura`,
//!   `huiwen`).
//! * `baselines NAME --speed DIR…` extracts every `*.html` under the given
//!   dataset folders in one process and prints pages/s (decoding included,
//!   as for huiwen's own harness).

use std::path::PathBuf;
use std::time::Instant;

fn decode(bytes: &[u8]) -> String {
    huiwen_fetch::charset::decode(bytes, None, huiwen_fetch::FetchKind::Page).text
}

fn run(name: &str, bytes: &[u8], url: Option<&str>) -> serde_json::Value {
    match name {
        "dom_smoothie" => {
            let html = decode(bytes);
            let url = url.filter(|u| u.starts_with("http"));
            match dom_smoothie::Readability::new(html.as_str(), url, None)
                .and_then(|mut r| r.parse())
            {
                Ok(a) => serde_json::json!({
                    "title": a.title,
                    "text": a.text_content.to_string(),
                    "published_at": a.published_time,
                    "authors": a.byline.into_iter().collect::<Vec<_>>(),
                }),
                Err(e) => serde_json::json!({ "error": e.to_string() }),
            }
        }
        "rs_trafilatura" => {
            let html = decode(bytes);
            match rs_trafilatura::extract(&html) {
                Ok(r) => serde_json::json!({
                    "title": r.metadata.title,
                    "text": r.content_text,
                    "published_at": r.metadata.date.map(|d| d.to_rfc3339()),
                    "authors": r.metadata.author.into_iter().collect::<Vec<_>>(),
                }),
                Err(e) => serde_json::json!({ "error": e.to_string() }),
            }
        }
        "huiwen" => {
            let url = url.and_then(|u| url_parse(u));
            match huiwen_extract::extract_bytes(
                bytes,
                None,
                url.as_ref(),
                &huiwen_extract::ExtractOptions::default(),
            ) {
                Ok(x) => serde_json::to_value(&x).unwrap_or_default(),
                Err(e) => serde_json::json!({ "error": e.to_string() }),
            }
        }
        other => {
            eprintln!("unknown extractor {other}");
            std::process::exit(2);
        }
    }
}

fn url_parse(u: &str) -> Option<huiwen_extract::Url> {
    huiwen_extract::Url::parse(u).ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.first() else {
        eprintln!("usage: baselines NAME FILE [URL] | baselines NAME --speed DIR...");
        std::process::exit(2);
    };
    if args.get(1).map(String::as_str) == Some("--speed") {
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in &args[2..] {
            if let Ok(rd) = std::fs::read_dir(dir) {
                files.extend(
                    rd.flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "html")),
                );
            }
        }
        files.sort();
        let mut secs = 0.0;
        let mut n = 0;
        for f in &files {
            let Ok(bytes) = std::fs::read(f) else {
                continue;
            };
            let t0 = Instant::now();
            let _ = run(name, &bytes, None);
            secs += t0.elapsed().as_secs_f64();
            n += 1;
        }
        println!(
            "{name}: {n} pages, {:.1} pages/s",
            n as f64 / secs.max(1e-9)
        );
        return;
    }
    let Some(file) = args.get(1) else {
        eprintln!("usage: baselines NAME FILE [URL]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(1);
    });
    let out = run(name, &bytes, args.get(2).map(String::as_str));
    println!("{out}");
}
