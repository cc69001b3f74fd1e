//! Chinese bylines and source lines: 【文/观察者网 陈思佳】, 来源：XX,
//! 本文来源：XX, XX讯, 作者：XX, 记者 XX.
//!
//! A deliberately small reader: it recognises the fixed shapes Chinese news
//! pages print at the head or foot of an article and returns the outlet and
//! authors they name, plus the byte range of a leading byline so it can be
//! cut out of the first paragraph.

/// What a byline names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Byline {
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    /// Bytes at the start of the text taken by the byline (0 when it is not
    /// at the start).
    pub lead_len: usize,
}

const OUTLET_ENDINGS: &[&str] = &[
    "网",
    "报",
    "社",
    "台",
    "刊",
    "新闻",
    "日报",
    "晚报",
    "时报",
    "周刊",
    "财经",
    "资讯",
    "中心",
    "APP",
    "App",
    "客户端",
    "杂志",
    "电视",
    "观察",
    "频道",
    "传媒",
];

pub fn looks_like_outlet(s: &str) -> bool {
    OUTLET_ENDINGS.iter().any(|e| s.ends_with(e)) || s.contains("新闻") || s.contains("网")
}

fn is_name_char(c: char) -> bool {
    huiwen_core::text::is_cjk(c) || c.is_alphanumeric() || c == '·' || c == '•'
}

/// A plausible personal name: 2–8 name characters.
fn looks_like_name(s: &str) -> bool {
    let n = s.chars().count();
    (2..=8).contains(&n) && s.chars().all(is_name_char) && !looks_like_outlet(s)
}

fn clean(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || "：:，,。()（）【】[]|/".contains(c))
        .to_string()
}

/// Splits "观察者网 陈思佳" / "记者 张三 李四" into names.
fn names(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || "，,、/;；|".contains(c))
        .map(|w| {
            w.trim_start_matches("记者")
                .trim_start_matches("通讯员")
                .trim()
        })
        .filter(|w| looks_like_name(w))
        .map(str::to_string)
        .collect()
}

/// Reads a byline at the start of `text` (a first paragraph) or a source line
/// anywhere in it (a short header or footer line). The attribution grammar
/// of `huiwen_zh` (bylines, 来源, X讯, datelines, （X播报）) decides outlet
/// and author; the shapes it leaves to others (作者：, 记者, a leading
/// 【…】 to cut from the body) are read here.
pub fn parse(text: &str) -> Byline {
    let mut own = parse_own(text);
    let att = huiwen_zh::attribution::parse_attribution(text);
    // 本报讯 / 本网讯 name no one: "this paper" is whoever published the page.
    let deictic = |o: &str| {
        ["本报", "本刊", "本网", "本台", "本站", "本社"]
            .iter()
            .any(|d| o.starts_with(d))
    };
    if let Some(outlet) = att.outlet.filter(|o| !o.is_empty() && !deictic(o)) {
        own.outlet = Some(outlet);
    }
    if let Some(author) = att.author.filter(|a| !a.is_empty()) {
        let found = names(&author);
        if !found.is_empty() {
            own.authors = found;
        } else if own.authors.is_empty() {
            own.authors = vec![author];
        }
    }
    own
}

fn parse_own(text: &str) -> Byline {
    let t = text.trim_start();
    let offset = text.len() - t.len();
    // 【文/观察者网 陈思佳】 or 【观察者网 陈思佳】
    if let Some(rest) = t.strip_prefix('【') {
        if let Some(close) = rest.find('】') {
            let inner = &rest[..close];
            let lead_len = offset + '【'.len_utf8() + close + '】'.len_utf8();
            let inner = inner
                .trim_start_matches("文")
                .trim_start_matches(['/', '／', '：', ':'])
                .trim();
            if inner.chars().count() <= 30 && !inner.contains(['，', '。', '：']) {
                let mut words = inner.split_whitespace();
                let first = words.next().unwrap_or("");
                let mut byline = Byline {
                    lead_len,
                    ..Byline::default()
                };
                if looks_like_outlet(first) {
                    byline.outlet = Some(first.to_string());
                    byline.authors = names(&words.collect::<Vec<_>>().join(" "));
                } else {
                    byline.authors = names(inner);
                }
                if byline.outlet.is_some() || !byline.authors.is_empty() {
                    return byline;
                }
            }
        }
    }
    let mut byline = Byline::default();
    // 来源：XX / 本文来源：XX / 文章来源：XX
    for key in [
        "本文来源",
        "文章来源",
        "新闻来源",
        "稿件来源",
        "来源",
        "来自",
    ] {
        if let Some(pos) = t.find(key) {
            let after = &t[pos + key.len()..];
            let after = after.trim_start_matches([' ', '\u{3000}']);
            if let Some(after) = after.strip_prefix(['：', ':']) {
                let value: String = after
                    .trim_start()
                    .chars()
                    .take_while(|&c| is_name_char(c))
                    .collect();
                let value = clean(&value);
                if !value.is_empty() && value.chars().count() <= 20 {
                    byline.outlet = Some(value);
                    break;
                }
            }
        }
    }
    // 作者：XX / 记者：XX / 文/XX
    for key in [
        "作者：",
        "作者:",
        "记者：",
        "记者:",
        "文／",
        "文/",
        "撰文：",
        "撰稿：",
    ] {
        if let Some(pos) = t.find(key) {
            let after = &t[pos + key.len()..];
            let mut value: String = after
                .chars()
                .take_while(|&c| is_name_char(c) || c == ' ' || c == '、')
                .take(24)
                .collect();
            // The next field of the same line (`作者：李四 来源：人民网`).
            for stop in [
                "来源", "编辑", "责编", "时间", "发布", "出处", "日期", "摄影",
            ] {
                if let Some(p) = value.find(stop) {
                    value.truncate(p);
                }
            }
            let found = names(value.trim());
            if !found.is_empty() {
                byline.authors = found;
                break;
            }
        }
    }
    // XX讯 / XX电 at the start of the body: 观点网讯：, 中新网1月20日电
    if byline.outlet.is_none() {
        let head: String = t.chars().take(24).collect();
        if let Some(pos) = head.find('讯') {
            let who = clean(&head[..pos]);
            if (2..=10).contains(&who.chars().count())
                && who.chars().all(is_name_char)
                && !who.starts_with("本报")
                && !who.starts_with("本刊")
                && !who.starts_with("本网")
                && !who.contains("通")
            {
                byline.outlet = Some(who);
            }
        }
    }
    byline
}

/// Reporters named at the end of a Chinese article: `（常书香 马丹阳）`,
/// `（姚峰 上海报道）`, `新京报记者 彭冲 山东冠县报道`, `作者：宋怡 杨志华`.
pub fn trailing_authors(text: &str) -> Vec<String> {
    let t = text.trim_end();
    let tail: String = {
        let n = t.chars().count();
        t.chars().skip(n.saturating_sub(40)).collect()
    };
    let cleaned = |inner: &str| -> Vec<String> {
        inner
            .split(|c: char| c.is_whitespace() || "，,、/;；|".contains(c))
            .map(|w| w.trim_start_matches("记者").trim_start_matches("通讯员"))
            .filter(|w| !w.ends_with("报道") && !w.ends_with('摄') && !w.ends_with('电'))
            .filter(|w| {
                let n = w.chars().count();
                (2..=4).contains(&n)
                    && w.chars().all(huiwen_core::text::is_cjk)
                    && !looks_like_outlet(w)
            })
            .map(str::to_string)
            .collect()
    };
    if let Some(body) = tail.strip_suffix(['）', ')']) {
        if let Some(open) = body.rfind(['（', '(']) {
            let open_len = body[open..].chars().next().map_or(1, char::len_utf8);
            let inner = body[open + open_len..].trim();
            if !inner.contains(['，', '。', '：', ':']) || inner.starts_with("记者") {
                let found = cleaned(inner);
                if !found.is_empty() {
                    return found;
                }
            }
        }
    }
    if let Some(pos) = tail.rfind("记者") {
        let after = &tail[pos + "记者".len()..];
        let words: String = after
            .chars()
            .take_while(|&c| c != '】' && c != '。')
            .collect();
        let found: Vec<String> = cleaned(&words).into_iter().take(3).collect();
        if !found.is_empty() && !words.contains('，') {
            return found;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    #[test]
    fn trailing_reporters() {
        assert_eq!(
            super::trailing_authors("倡树廉洁家风。（常书香 马丹阳 ）"),
            ["常书香", "马丹阳"]
        );
        assert_eq!(
            super::trailing_authors("都不是利益再分配吗？”（姚峰 上海报道）"),
            ["姚峰"]
        );
        assert_eq!(
            super::trailing_authors("新京报记者 彭冲 山东冠县报道"),
            ["彭冲"]
        );
        assert!(super::trailing_authors("他说（大意如此），就这样。").is_empty());
    }

    use super::*;

    #[test]
    fn bracket_byline() {
        let text = "【文/观察者网 陈思佳】美国对英伟达最先进的人工智能芯片";
        let b = parse(text);
        assert_eq!(b.outlet.as_deref(), Some("观察者网"));
        assert_eq!(b.authors, ["陈思佳"]);
        assert_eq!(&text[b.lead_len..], "美国对英伟达最先进的人工智能芯片");
    }

    #[test]
    fn source_and_wire_lines() {
        assert_eq!(
            parse("来源：新华网 2024-05-16").outlet.as_deref(),
            Some("新华网")
        );
        assert_eq!(
            parse("本文来源：第一财经").outlet.as_deref(),
            Some("第一财经")
        );
        assert_eq!(
            parse("观点网讯：1月20日，美的置业集团").outlet.as_deref(),
            Some("观点网")
        );
        assert_eq!(parse("本报讯 （记者 张三）").outlet, None);
        assert_eq!(parse("作者：李四 来源：人民网").authors, ["李四"]);
        assert_eq!(parse("普通的一句话，没有署名。"), Byline::default());
    }
}
