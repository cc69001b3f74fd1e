//! Any bytes, as served (with and without a declared charset) and as text:
//! extraction must return, never panic.
#![no_main]

use huiwen_extract::{extract, extract_bytes, ExtractOptions, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = ExtractOptions::default().with_max_input_bytes(1 << 20);
    let url = url::Url::parse("https://news.example.com/a/2025/11/04/1.html").ok();
    let _ = extract_bytes(data, None, url.as_ref(), &options);
    let _ = extract_bytes(data, Some("gbk"), None, &options);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = extract(text, None, &options.clone().with_format(InputFormat::Text));
        let _ = extract(text, url.as_ref(), &options.with_format(InputFormat::Html));
    }
});
