//! Bad input: an error or a best-effort result in bounded time, never a
//! panic or a hang.

use std::time::{Duration, Instant};

use huiwen_extract::{extract, extract_bytes, ExtractError, ExtractOptions, PageType};

fn opts() -> ExtractOptions {
    ExtractOptions::default()
}

/// Debug builds are slow; the bound is generous but catches anything
/// quadratic on the big inputs below.
fn timed<T>(limit_secs: u64, f: impl FnOnce() -> T) -> T {
    let t0 = Instant::now();
    let out = f();
    let took = t0.elapsed();
    assert!(took < Duration::from_secs(limit_secs), "took {took:?}");
    out
}

#[test]
fn empty_and_blank_inputs_are_errors() {
    assert_eq!(extract("", None, &opts()), Err(ExtractError::Empty));
    assert_eq!(extract(" \n\t ", None, &opts()), Err(ExtractError::Empty));
    assert_eq!(
        extract_bytes(b"", None, None, &opts()),
        Err(ExtractError::Empty)
    );
}

#[test]
fn binary_inputs_are_errors() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    assert!(matches!(
        extract_bytes(png, None, None, &opts()),
        Err(ExtractError::Binary(_))
    ));
    let noise: Vec<u8> = (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    assert!(matches!(
        extract_bytes(&noise, None, None, &opts()),
        Err(ExtractError::Binary(_))
    ));
}

#[test]
fn deeply_nested_divs_do_not_overflow() {
    let html = format!(
        "<html><body>{}<p>深层嵌套的正文，也要读出来。</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let x = timed(20, || extract(&html, None, &opts()).expect("best effort"));
    assert!(x.text.contains("深层嵌套的正文"), "{:?}", x.text);
    // Unclosed, and nested inline elements too.
    let html = "<span><b><i><a href=x>".repeat(30_000) + "文字";
    timed(20, || extract(&html, None, &opts()).expect("best effort"));
}

#[test]
fn a_50_mb_page_is_bounded() {
    let para = "<p>这是一个很长的页面中的一段文字，用来测试极大输入下的时间和内存是否有界。</p>\n";
    let mut html = String::from("<html><head><title>大页面</title></head><body><div>");
    while html.len() < 50 * 1024 * 1024 {
        html.push_str(para);
    }
    let x = timed(60, || extract(&html, None, &opts()).expect("best effort"));
    assert_eq!(x.title, "大页面");
    // Truncated to the input limit, not held whole.
    assert!(x.text.len() < 9 * 1024 * 1024, "{}", x.text.len());
}

#[test]
fn broken_tags_give_best_effort() {
    let html = "<html><body><div class=content><p>第一段，标签没有闭合<p>第二段，<b>粗体没有闭合，<a href='/x'>链接也没有\
                </div></span></table><p>第三段。</td><<<>>>< / p ><!-- 注释没有结束";
    let x = extract(html, None, &opts()).expect("best effort");
    assert!(
        x.text.contains("第一段") && x.text.contains("第二段"),
        "{}",
        x.text
    );
    assert!(!x.text.contains("注释没有结束"));
}

#[test]
fn wrong_charset_is_detected() {
    // Declared UTF-8 in the meta tag, served as GBK.
    let page = "<html><head><meta charset=\"utf-8\"><title>人民币汇率</title></head><body><div><p>人民币兑美元中间价报7.0006，上调45个基点。市场人士认为，汇率保持基本稳定。</p></div></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(page);
    let x = extract_bytes(&gbk, None, None, &opts()).expect("extracts");
    assert_eq!(x.title, "人民币汇率");
    assert!(x.text.contains("人民币兑美元中间价"), "{}", x.text);
    // Declared GB2312 by HTTP but really UTF-8.
    let x = extract_bytes(page.as_bytes(), Some("gb2312"), None, &opts()).expect("extracts");
    assert!(x.text.contains("上调45个基点"), "{}", x.text);
}

/// An undeclared page in another CJK encoding keeps its language: its byte
/// pairs also decode as GB18030 (Shift_JIS and EUC-KR entirely into CJK
/// ideographs), but into rare characters, so it must not be read as Chinese.
/// A page that double-encoded its UTF-8 (its CMS read UTF-8 as Latin-1 and
/// wrote it out again) is read as it was written: `âœ…` is ✅ again, in
/// the text, the title and the byline, while real Latin-1 letters and a
/// Windows-1252 look-alike with no C1 control (`Ã©`) stay as they are.
/// Spacer paragraphs of zero-width characters are no paragraphs.
#[test]
fn double_encoded_utf8_and_invisible_spacers_are_cleaned() {
    let mojibake = |s: &str| -> String { s.bytes().map(char::from).collect() };
    let page = format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
         <p class=\"author\">By Dariusz {jaron}</p>\
         <p>{we} working hard at getting everything back up and running, and the café stays open. \
         Weekly prices went up again, and the council met on Tuesday to discuss them at length.</p>\
         <p>\u{200d}</p><p>\u{200d}Business Plan: {check} included for every member of the team, \
         with no extra fee, said the company in a statement on Monday. Ã© stays.</p>\
         </article></body></html>",
        title = mojibake("Credit Karma’s outage"),
        jaron = mojibake("Jaroń"),
        we = mojibake("We’re"),
        check = mojibake("✅"),
    );
    let x = extract(&page, None, &opts()).expect("extracts");
    assert_eq!(x.title, "Credit Karma’s outage");
    assert!(x.text.starts_with("We’re working hard"), "{}", x.text);
    assert!(x.text.contains("the café stays open"), "{}", x.text);
    assert!(
        x.text.contains("\n\nBusiness Plan: ✅ included"),
        "{}",
        x.text
    );
    assert!(x.text.contains("Ã© stays"), "{}", x.text);
    assert!(!x.text.contains('\u{200d}'), "{:?}", x.text);
    assert_eq!(x.authors, ["Dariusz Jaroń"]);
}

#[test]
fn undeclared_japanese_and_korean_pages_are_not_read_as_chinese() {
    let pages = [
        (
            encoding_rs::SHIFT_JIS,
            "日本銀行は本日、金融政策決定会合を開き、大規模な金融緩和策を維持することを決めました。株式市場では日経平均株価が上昇しました。",
        ),
        (
            encoding_rs::EUC_KR,
            "한국은행은 오늘 기준금리를 동결하기로 결정했습니다. 주식 시장에서는 코스피 지수가 상승했으며 외국인 투자자들이 순매수를 기록했습니다.",
        ),
    ];
    for (encoding, paragraph) in pages {
        let page = format!(
            "<html><head><title>news</title></head><body><article>{}</article></body></html>",
            format!("<p>{paragraph}</p>").repeat(4)
        );
        let (bytes, _, unmappable) = encoding.encode(&page);
        assert!(!unmappable);
        let x = extract_bytes(&bytes, None, None, &opts()).expect("extracts");
        assert!(
            x.text.contains(paragraph),
            "{}: {}",
            encoding.name(),
            x.text
        );
    }
}

/// An old GB2312 page with a stray byte that is invalid in any GB encoding:
/// the page is still Chinese (the bad byte becomes U+FFFD), not a Latin guess.
#[test]
fn gbk_page_with_a_stray_invalid_byte_stays_chinese() {
    let paragraph = "人民币兑美元中间价报7.0006，上调45个基点。市场人士认为，在国内经济稳步恢复的背景下，汇率将保持基本稳定，央行开展逆回购操作，沪深两市成交额突破一万亿元。";
    let page = format!(
        "<html><head><title>人民币汇率</title></head><body><div>{}</div></body></html>",
        format!("<p>{paragraph}</p>").repeat(3)
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&page);
    let mut bytes = gbk.into_owned();
    let at = bytes.len() - "</div></body></html>".len();
    bytes.insert(at, 0xff);
    for declared in [None, Some("gb2312")] {
        let x = extract_bytes(&bytes, declared, None, &opts()).expect("extracts");
        assert_eq!(x.title, "人民币汇率", "{declared:?}");
        assert!(x.text.contains(paragraph), "{declared:?}: {}", x.text);
    }
}

#[test]
fn a_list_only_page_has_no_body() {
    let mut html = String::from(
        "<html><head><title>财经频道_新浪网</title></head><body><div class=nav><a href=/>首页</a></div><h2>最新资讯</h2><ul>",
    );
    for i in 0..30 {
        html.push_str(&format!(
            "<li><a href=\"/news/{i}.html\">央行开展{i}亿元逆回购操作维护流动性</a><span>2026-01-20 16:{i:02}</span></li>"
        ));
    }
    html.push_str("</ul></body></html>");
    let url = url::Url::parse("https://finance.sina.com.cn/").expect("url");
    let x = extract(&html, Some(&url), &opts()).expect("extracts");
    assert_eq!(x.page_type, PageType::List);
    assert!(x.text.is_empty() && x.html.is_empty());
    assert_eq!(x.listed_items.len(), 30);
    assert_eq!(x.listed_items[0].section, "最新资讯");
    assert_eq!(
        x.listed_items[3].url.as_deref(),
        Some("https://finance.sina.com.cn/news/3.html")
    );
    assert_eq!(
        x.listed_items[3]
            .published_at
            .map(|t| t.to_rfc3339())
            .as_deref(),
        Some("2026-01-20T16:03:00+08:00")
    );
}

#[test]
fn lone_surrogates_nuls_and_odd_bytes_do_not_panic() {
    for input in [
        "<p>\0\0\0</p>",
        "<<<<<<<<",
        "<script>",
        "<title>",
        "<![CDATA[ x",
        "<a href=\"javascript:alert(1)\">点击</a>",
        "2025年13月45日 99:99",
        "【",
        "【文/",
        "\u{feff}<html>",
    ] {
        let _ = extract(input, None, &opts());
        let _ = extract_bytes(input.as_bytes(), Some("utf-16"), None, &opts());
    }
}
