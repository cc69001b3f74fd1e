//! `huiwen analyze` end to end: one text as JSON, and `--jsonl` with a bad
//! line among good ones.

use std::process::Output;

fn analyze(args: &[&str], stdin: &str) -> Output {
    let mut all = vec!["analyze"];
    all.extend_from_slice(args);
    super::huiwen_with_stdin(&all, stdin.as_bytes())
}

#[test]
fn one_text_as_json() {
    let text = "【湖南白银触及涨停】证券之星1月20日盘中消息，13点18分湖南白银(002716)触及涨停板。每经AI快讯，现货黄金突破4710美元/盎司。";
    let out = analyze(&["--json", "--ref-time", "2026-01-20 16:00:42", "-"], text);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(v["title"], "湖南白银触及涨停");
    let stock = v["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .find(|e| e["code"] == "002716")
        .expect("the stock is found");
    assert_eq!(stock["kind"], "stock");
    assert_eq!(stock["name"], "湖南白银");
    assert_eq!(stock["market"], "SZ");
    let times: Vec<(&str, &str)> = v["times"]
        .as_array()
        .expect("times")
        .iter()
        .map(|t| {
            (
                t["text"].as_str().unwrap_or(""),
                t["instant"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        times.contains(&("13点18分", "2026-01-20T13:18:00+08:00")),
        "{times:?}"
    );
    assert!(v["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .any(|t| t == "4710美元"));
    assert!(!v["keywords"].as_array().expect("keywords").is_empty());
    for key in ["outlet", "author", "original_title", "editor"] {
        assert!(v["attribution"].get(key).is_some(), "attribution.{key}");
    }
    assert!(v["snippet"].is_string() && v["summary"].is_string());
}

#[test]
fn jsonl_reports_bad_lines_and_goes_on() {
    let input = concat!(
        r#"{"text": "财联社5月14日电，谷歌日内涨幅扩大至3%。", "ref_time": "2026-05-14T00:15:06+08:00"}"#,
        "\n",
        "not json\n",
        r#"{"text": "昨日收盘，创业板指跌超2%。", "ref_time": "2026-05-15 09:00"}"#,
        "\n",
    );
    let out = analyze(&["--jsonl"], input);
    assert_eq!(out.status.code(), Some(1), "a bad line fails the run");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["attribution"]["outlet"], "财联社");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["times"][0]["instant"], "2026-05-14T00:00:00+08:00");
}
