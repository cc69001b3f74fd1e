//! Evaluation harness: scores huiwen-extract on labelled pages exactly as
//! `../shared/peers/extract/eval.py` does (same tokenization and metrics),
//! per dataset and for Chinese vs other pages, with pages/s on one core
//! (from the bytes as served, decoding included, and from decoded text as
//! the Python peers are timed).
//!
//! ```sh
//! cargo run --release -p huiwen-extract --example eval -- --data ../shared/data/extract
//! ```
//!
//! Options: `--data DIR`, `--datasets a,b`, `--limit N`, `--worst N` (list the
//! N lowest-F1 pages), `--dump DIR` (one JSON prediction per page),
//! `--markdown` (table rows for bench/README.md), `--page NAME` (one page).

use std::collections::HashMap;

/// The allocator the `huiwen` binary uses, so pages/s here is what the
/// command line gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::{Path, PathBuf};
use std::time::Instant;

use huiwen_extract::{extract_bytes, ExtractOptions};
use unicode_normalization::UnicodeNormalization;

fn is_cjk_token(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3040..=0x30FF)
}

/// `TOKEN_RE = [CJK]|[^\W CJK _]+` over NFKC-normalised, lower-cased text.
fn tokenize(text: &str) -> Vec<String> {
    let norm: String = text.nfkc().collect::<String>().to_lowercase();
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in norm.chars() {
        if is_cjk_token(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn prf(truth: &[String], pred: &[String]) -> Option<(f64, f64, f64)> {
    if truth.is_empty() {
        return None;
    }
    if pred.is_empty() {
        return Some((0.0, 0.0, 0.0));
    }
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for t in truth {
        *counts.entry(t).or_default() += 1;
    }
    let mut tp = 0;
    for p in pred {
        if let Some(c) = counts.get_mut(p.as_str()) {
            if *c > 0 {
                *c -= 1;
                tp += 1;
            }
        }
    }
    let p = tp as f64 / pred.len() as f64;
    let r = tp as f64 / truth.len() as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    Some((p, r, f))
}

fn norm_title(t: &str) -> String {
    let t: String = t.nfkc().collect::<String>().to_lowercase();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn author_set(a: &str) -> Vec<String> {
    let a: String = a.nfkc().collect::<String>().to_lowercase();
    let mut s = a.trim_start();
    for p in ["by", "作者", "记者", "文"] {
        if let Some(rest) = s.strip_prefix(p) {
            let rest = rest.trim_start();
            let rest = rest.strip_prefix([':', '：', '/', '|']).unwrap_or(rest);
            s = rest.trim_start();
            break;
        }
    }
    let mut parts: Vec<String> = s
        .split(|c: char| c.is_whitespace() || ",;，、；/&|".contains(c))
        .filter(|p| !p.is_empty() && *p != "and")
        .map(str::to_string)
        .collect();
    parts.sort();
    parts.dedup();
    parts
}

#[derive(Default, Clone)]
struct Acc {
    n: usize,
    p: f64,
    r: f64,
    f: f64,
    f90: usize,
    f50: usize,
    title_n: usize,
    title_ok: usize,
    date_n: usize,
    date_ok: usize,
    author_n: usize,
    author_ok: usize,
    secs: f64,
    /// The same pages timed from decoded text, as the Python peers are.
    text_secs: f64,
    pages: usize,
}

impl Acc {
    fn add(&mut self, o: &Acc) {
        self.n += o.n;
        self.p += o.p;
        self.r += o.r;
        self.f += o.f;
        self.f90 += o.f90;
        self.f50 += o.f50;
        self.title_n += o.title_n;
        self.title_ok += o.title_ok;
        self.date_n += o.date_n;
        self.date_ok += o.date_ok;
        self.author_n += o.author_n;
        self.author_ok += o.author_ok;
        self.secs += o.secs;
        self.text_secs += o.text_secs;
        self.pages += o.pages;
    }

    fn row(&self, name: &str, markdown: bool) -> String {
        let pct = |ok: usize, n: usize| {
            if n == 0 {
                "–".to_string()
            } else {
                format!("{:.1} % (n={n})", 100.0 * ok as f64 / n as f64)
            }
        };
        let n = self.n.max(1) as f64;
        let cells = [
            name.to_string(),
            self.n.to_string(),
            format!("{:.3} ({:.3}/{:.3})", self.f / n, self.p / n, self.r / n),
            format!("{:.0} %", 100.0 * self.f90 as f64 / n),
            format!("{:.0} %", 100.0 * self.f50 as f64 / n),
            pct(self.title_ok, self.title_n),
            pct(self.date_ok, self.date_n),
            pct(self.author_ok, self.author_n),
            format!("{:.0}", self.pages as f64 / self.secs.max(1e-9)),
            format!("{:.0}", self.pages as f64 / self.text_secs.max(1e-9)),
        ];
        if markdown {
            format!("| {} |", cells.join(" | "))
        } else {
            format!(
                "{:<22} {:>4}  {:<22} {:>6} {:>6}  {:<16} {:<16} {:<16} {:>7} {:>9}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                cells[4],
                cells[5],
                cells[6],
                cells[7],
                cells[8],
                cells[9]
            )
        }
    }
}

struct Args {
    data: PathBuf,
    datasets: Option<Vec<String>>,
    limit: Option<usize>,
    worst: usize,
    dump: Option<PathBuf>,
    markdown: bool,
    page: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        data: PathBuf::from("../shared/data/extract"),
        datasets: None,
        limit: None,
        worst: 0,
        dump: None,
        markdown: false,
        page: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--data" => a.data = it.next().map(PathBuf::from).unwrap_or(a.data),
            "--datasets" => {
                a.datasets = it
                    .next()
                    .map(|s| s.split(',').map(str::to_string).collect())
            }
            "--limit" => a.limit = it.next().and_then(|s| s.parse().ok()),
            "--worst" => a.worst = it.next().and_then(|s| s.parse().ok()).unwrap_or(10),
            "--dump" => a.dump = it.next().map(PathBuf::from),
            "--markdown" => a.markdown = true,
            "--page" => a.page = it.next(),
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    a
}

fn main() {
    let args = args();
    let mut datasets: Vec<String> = std::fs::read_dir(&args.data)
        .unwrap_or_else(|e| {
            eprintln!("cannot read {}: {e}", args.data.display());
            std::process::exit(2);
        })
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    datasets.sort();
    if let Some(only) = &args.datasets {
        datasets.retain(|d| only.contains(d));
    }
    let options = ExtractOptions::default();
    let mut rows: Vec<(String, Acc)> = Vec::new();
    let mut zh = Acc::default();
    let mut other = Acc::default();
    let mut worst: Vec<(f64, String, String)> = Vec::new();
    for ds in &datasets {
        let mut names: Vec<PathBuf> = std::fs::read_dir(args.data.join(ds))
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        if let Some(l) = args.limit {
            names.truncate(l);
        }
        let mut acc_zh = Acc::default();
        let mut acc_other = Acc::default();
        for (k, jf) in names.iter().enumerate() {
            let stem = jf
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if args.page.as_ref().is_some_and(|p| *p != stem) {
                continue;
            }
            let Some((truth, html)) = load(jf) else {
                continue;
            };
            let url = truth
                .get("url")
                .and_then(|u| u.as_str())
                .and_then(|u| url::Url::parse(u).ok());
            // Warm-up: the first 3 pages of the first dataset also run untimed once.
            if k < 3 {
                let _ = extract_bytes(&html, None, url.as_ref(), &options);
            }
            let t0 = Instant::now();
            let result = extract_bytes(&html, None, url.as_ref(), &options);
            let secs = t0.elapsed().as_secs_f64();
            // Again from decoded text (decoding untimed), as the peers are
            // timed: their harness hands them a decoded page.
            let text_secs = {
                let text = huiwen_extract::decode_page(&html, None);
                let t0 = Instant::now();
                let _ = huiwen_extract::extract(&text, url.as_ref(), &options);
                t0.elapsed().as_secs_f64()
            };
            let (title, text, date, authors) = match &result {
                Ok(x) => (
                    x.title.clone(),
                    x.text.clone(),
                    x.published_at.map(|d| d.date_naive().to_string()),
                    x.authors.join(", "),
                ),
                Err(_) => Default::default(),
            };
            let is_zh = truth.get("lang").and_then(|l| l.as_str()) == Some("zh");
            let acc = if is_zh { &mut acc_zh } else { &mut acc_other };
            acc.secs += secs;
            acc.text_secs += text_secs;
            acc.pages += 1;
            let body = truth.get("body").and_then(|b| b.as_str()).unwrap_or("");
            let truth_toks = tokenize(body);
            if let Some((p, r, f)) = prf(&truth_toks, &tokenize(&text)) {
                acc.n += 1;
                acc.p += p;
                acc.r += r;
                acc.f += f;
                acc.f90 += usize::from(f >= 0.9);
                acc.f50 += usize::from(f < 0.5);
                worst.push((f, format!("{ds}/{stem}"), format!("P={p:.2} R={r:.2}")));
            }
            if let Some(t) = truth.get("title").and_then(|t| t.as_str()) {
                acc.title_n += 1;
                let ok = norm_title(t) == norm_title(&title);
                acc.title_ok += usize::from(ok);
                if !ok && args.page.is_some() {
                    eprintln!("title: want {t:?} got {title:?}");
                }
            }
            if let Some(d) = truth.get("date_ymd").and_then(|t| t.as_str()) {
                acc.date_n += 1;
                acc.date_ok += usize::from(date.as_deref() == Some(d));
                if args.page.is_some() {
                    eprintln!("date: want {d} got {date:?}");
                }
            }
            if let Some(a) = truth.get("author").and_then(|t| t.as_str()) {
                acc.author_n += 1;
                let pa = author_set(&authors);
                acc.author_ok += usize::from(!pa.is_empty() && pa == author_set(a));
                if args.page.is_some() {
                    eprintln!("author: want {a:?} got {authors:?}");
                }
            }
            if let Some(dir) = &args.dump {
                let _ = std::fs::create_dir_all(dir.join(ds));
                if let Ok(x) = &result {
                    let _ = std::fs::write(
                        dir.join(ds).join(format!("{stem}.json")),
                        serde_json::to_string_pretty(x).unwrap_or_default(),
                    );
                }
            }
            if args.page.is_some() {
                match &result {
                    Ok(x) => println!("{}", serde_json::to_string_pretty(x).unwrap_or_default()),
                    Err(e) => println!("error: {e}"),
                }
            }
        }
        let mut all = acc_zh.clone();
        all.add(&acc_other);
        if acc_zh.pages > 0 && acc_other.pages > 0 {
            rows.push((format!("{ds} zh"), acc_zh.clone()));
            rows.push((format!("{ds} other"), acc_other.clone()));
        }
        rows.push((ds.clone(), all));
        zh.add(&acc_zh);
        other.add(&acc_other);
    }
    rows.push(("all Chinese".into(), zh.clone()));
    rows.push(("all other".into(), other.clone()));
    let mut all = zh.clone();
    all.add(&other);
    rows.push(("all".into(), all));
    let header = [
        "subset",
        "n",
        "body F1 (P/R)",
        "F1≥.9",
        "F1<.5",
        "title EM",
        "date",
        "author",
        "pages/s",
        "from text",
    ];
    if args.markdown {
        println!("| {} |", header.join(" | "));
        println!("|{}", "---|".repeat(header.len()));
    } else {
        println!(
            "{:<22} {:>4}  {:<22} {:>6} {:>6}  {:<16} {:<16} {:<16} {:>7} {:>9}",
            header[0],
            header[1],
            header[2],
            header[3],
            header[4],
            header[5],
            header[6],
            header[7],
            header[8],
            header[9]
        );
    }
    for (name, acc) in &rows {
        println!("{}", acc.row(name, args.markdown));
    }
    if args.worst > 0 {
        worst.sort_by(|a, b| a.0.total_cmp(&b.0));
        println!("\nworst pages:");
        for (f, name, pr) in worst.iter().take(args.worst) {
            println!("  {f:.3} {pr} {name}");
        }
    }
}

fn load(json: &Path) -> Option<(serde_json::Value, Vec<u8>)> {
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).ok()?).ok()?;
    let html = std::fs::read(json.with_extension("html")).ok()?;
    Some((truth, html))
}
