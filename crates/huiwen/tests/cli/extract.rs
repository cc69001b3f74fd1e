//! `huiwen extract` end to end: the seed text dump, an HTML page on stdin
//! with `--url`, and the errors.

use std::process::Output;

fn extract(args: &[&str], stdin: &[u8]) -> Output {
    let mut all = vec!["extract"];
    all.extend_from_slice(args);
    super::huiwen_with_stdin(&all, stdin)
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn the_seed_dump_as_json() {
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../huiwen-extract/tests/fixtures/seed_000.txt"
    );
    let x = json(&extract(&[seed, "--json"], b""));
    assert_eq!(
        x["title"],
        "黄仁勋:美国低估了中国,他们现在能生产数百万颗AI芯片"
    );
    assert_eq!(x["published_at"], "2025-11-04T02:46:13+08:00");
    assert_eq!(x["outlet"], "观察者网");
    assert_eq!(x["authors"][0], "陈思佳");
    assert_eq!(x["page_type"], "article");
    assert_eq!(x["listed_items"].as_array().map(Vec::len), Some(19));
    // Human output: title, then time · outlet · author.
    let human = extract(&[seed], b"");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.starts_with("黄仁勋:美国低估了中国"), "{text}");
    assert!(text.contains("观察者网 · 陈思佳"), "{text}");
    // The screenshot's caption is listed as an image after the text, not in it.
    let (body, after) = text.split_once("\nImages\n").expect("an Images section");
    assert!(!body.contains("视频截图"), "{body}");
    assert!(
        after.starts_with("  黄仁勋接受美国福克斯新闻采访视频截图\n"),
        "{after}"
    );
}

#[test]
fn html_on_stdin_with_its_url() {
    let page = r#"<html><head><title>央行开展逆回购操作_财经频道_新浪网</title>
        <meta property="article:published_time" content="2026-01-20T16:00:42+08:00"></head>
        <body><div class="nav"><a href="/">首页</a></div><div class="article"><h1>央行开展逆回购操作</h1>
        <p>中新网1月20日电 据央行网站消息，央行今日开展了逆回购操作，维护银行体系流动性合理充裕。</p>
        <p><img src="/img/a.jpg"></p><p>图为央行大楼 资料图</p>
        <p>（责任编辑：王璐）</p></div></body></html>"#;
    let x = json(&extract(
        &[
            "-",
            "--url",
            "https://finance.sina.com.cn/a/1.html?utm_source=x",
            "--json",
        ],
        page.as_bytes(),
    ));
    assert_eq!(x["title"], "央行开展逆回购操作");
    assert_eq!(x["published_at"], "2026-01-20T16:00:42+08:00");
    assert_eq!(x["canonical_url"], "https://finance.sina.com.cn/a/1.html");
    assert_eq!(
        x["images"][0]["src"],
        "https://finance.sina.com.cn/img/a.jpg"
    );
    assert_eq!(x["images"][0]["caption"], "图为央行大楼 资料图");
    let text = x["text"].as_str().expect("text");
    assert!(text.starts_with("中新网1月20日电"), "{text}");
    assert!(!text.contains("责任编辑") && !text.contains("首页") && !text.contains("资料图"));
}

#[test]
fn empty_and_missing_inputs_are_errors() {
    let out = extract(&["-"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty input"));
    let out = extract(&["/nonexistent/page.html"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: reading"));
}
