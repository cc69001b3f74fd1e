//! Replays the committed fuzz corpus (`fuzz/corpus/extract`) and the
//! regression inputs the fuzzer found (`tests/fixtures/fuzz`) through the
//! same calls as the fuzz target, so `cargo test` guards them on stable.

use huiwen_extract::{extract, extract_bytes, ExtractOptions, InputFormat};
use std::path::Path;

fn run_one(data: &[u8]) {
    let options = ExtractOptions::default().with_max_input_bytes(1 << 20);
    let url = url::Url::parse("https://news.example.com/a/2025/11/04/1.html").ok();
    let _ = extract_bytes(data, None, url.as_ref(), &options);
    let _ = extract_bytes(data, Some("gbk"), None, &options);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = extract(text, None, &options.clone().with_format(InputFormat::Text));
        let _ = extract(text, url.as_ref(), &options.with_format(InputFormat::Html));
    }
}

fn replay(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        if let Ok(data) = std::fs::read(e.path()) {
            run_one(&data);
            n += 1;
        }
    }
    n
}

#[test]
fn fuzz_corpus_and_regressions_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = replay(&root.join("fuzz/corpus/extract"));
    assert!(
        corpus >= 5,
        "the committed corpus is there ({corpus} files)"
    );
    replay(&root.join("tests/fixtures/fuzz"));
}
