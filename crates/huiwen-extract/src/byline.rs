//! Chinese bylines and source lines: 【文/观察者网 陈思佳】, 来源：XX,
//! 本文来源：XX, XX讯, 作者：XX, 文：XX, 执笔人：XX, and reporter lines
//! without a colon (记者 XX YY, 本报记者XX发自北京, （XX 上海报道）).
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
    // Blog platforms: CSDN博客, 新浪博客, 博客园.
    "博客",
    "博客园",
    // Traditional script (Hong Kong, Taiwan): 香港電台-財經, 經濟日報.
    "網",
    "報",
    "臺",
    "新聞",
    "財經",
    "電視",
    "頻道",
    "傳媒",
];

pub fn looks_like_outlet(s: &str) -> bool {
    OUTLET_ENDINGS.iter().any(|e| s.ends_with(e))
        || ["新闻", "网", "新聞", "網"].iter().any(|w| s.contains(w))
}

fn is_name_char(c: char) -> bool {
    huiwen_core::text::is_cjk(c) || c.is_alphanumeric() || c == '·' || c == '•'
}

/// A plausible personal name: 2–8 name characters, not all digits (the
/// `2023` of a date after an empty 作者： label).
fn looks_like_name(s: &str) -> bool {
    let n = s.chars().count();
    (2..=8).contains(&n)
        && s.chars().all(is_name_char)
        && s.chars().any(char::is_alphabetic)
        && !looks_like_outlet(s)
}

/// The labels of the fields a byline line runs on into (`作者：李四
/// 来源：人民网`, `记者 魏其濛 来源：中国青年报`, `作者:zboygirl 阅读(1660)`).
const NEXT_FIELDS: [&str; 13] = [
    "来源", "编辑", "责编", "时间", "发布", "出处", "出自", "日期", "摄影", "阅读", "评论", "点击",
    "浏览",
];

/// `s` up to the first label of a next field.
fn before_next_field(s: &str) -> &str {
    NEXT_FIELDS
        .iter()
        .filter_map(|label| s.find(label))
        .min()
        .map_or(s, |end| &s[..end])
}

/// A Chinese personal name as bylines print it: two to four characters.
pub(crate) fn short_cjk_name(w: &str) -> bool {
    // At most 16 bytes (four characters of three bytes) before counting.
    w.len() <= 16
        && (2..=4).contains(&w.chars().count())
        && w.chars().all(huiwen_core::text::is_cjk)
}

/// A two- or three-character Chinese name padded with spaces to line up
/// with longer ones (`赵 培`, `王　小明` with an ideographic space): the
/// name without them. `None` when `s` is anything else.
pub(crate) fn unpadded_name(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    match join_padded(words).as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The words of a names list with the padded names put back together:
/// `赵 培 李清芬` is 赵培 and 李清芬, `王 小明` is 王小明. A lone character
/// is never a name: it starts one of two or three characters with the
/// words after it.
fn join_padded(words: Vec<&str>) -> Vec<String> {
    let han_chars = |w: &str| {
        w.chars()
            .all(huiwen_core::text::is_cjk)
            .then(|| w.chars().count())
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let mut end = k + 1;
        if han_chars(words[k]) == Some(1) {
            let mut total = 1;
            while let Some(n) = words.get(end).and_then(|w| han_chars(w)) {
                // Single characters after the first, or the given name
                // right after a lone surname.
                if total + n > 3 || (n > 1 && end > k + 1) {
                    break;
                }
                total += n;
                end += 1;
            }
        }
        out.push(words[k..end].concat());
        k = end;
    }
    out
}

pub(crate) fn is_private_use(c: char) -> bool {
    ('\u{e000}'..='\u{f8ff}').contains(&c)
}

fn clean(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || "：:，,。()（）【】[]|/".contains(c))
        .to_string()
}

/// Splits "观察者网 陈思佳" / "记者 张三 李四" into names.
fn names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in s.split(|c: char| "，,、/;；|".contains(c)) {
        let words = part.split_whitespace().map(|w| after_role(w).trim());
        out.extend(
            join_padded(words.collect())
                .into_iter()
                .filter(|w| looks_like_name(w)),
        );
    }
    out
}

/// What follows a reporter's role in one word: `信报记者` names no one,
/// `交汇点记者徐睿翔` names 徐睿翔.
/// The roles a reporter line names people under.
pub(crate) const REPORTER_ROLES: [&str; 3] = ["记者", "通讯员", "实习生"];

fn after_role(word: &str) -> &str {
    REPORTER_ROLES
        .iter()
        .filter_map(|role| word.rfind(role).map(|p| &word[p + role.len()..]))
        .min_by_key(|rest| rest.len())
        .unwrap_or(word)
}

/// A reporter line without a colon, as papers print it under the headline
/// or after the last paragraph: `新华网黑龙江频道 记者 伊琳 李清芬`,
/// `本报记者罗科苏盈发自北京`, `整合 新华日报·交汇点记者 徐睿翔`. The
/// names must stand apart from 记者 (a space) or be closed by 发自/报道,
/// and be all the line holds after it, so that a heading such as 记者手记
/// or a sentence about a reporter is not read as a byline.
fn reporter_line(t: &str) -> Vec<String> {
    let t = t.trim();
    if t.chars().count() > 40 || t.contains(['，', '。', '！', '？', '；', '“', '”', ','])
    {
        return Vec::new();
    }
    // From the first role on: `本报实习生 刘国栋 周炜 本报记者 王燕平` names
    // all five (the later roles are dropped from the words below), and
    // `本报通讯员 张三` names its correspondent.
    let Some((pos, role_len)) = REPORTER_ROLES
        .iter()
        .filter_map(|role| t.find(role).map(|p| (p, role.len())))
        .min()
    else {
        return Vec::new();
    };
    let after = t[pos + role_len..].trim_end_matches(['）', ')', '】', ']']);
    // The next field of the line (`记者 魏其濛 来源：中国青年报`).
    let after = before_next_field(after);
    let (names_part, closed) = match ["发自", "报道"].iter().find_map(|end| after.find(end)) {
        Some(end) => (&after[..end], true),
        None => (after, false),
    };
    let spaced = names_part.starts_with(char::is_whitespace);
    if !(spaced || closed) {
        return Vec::new();
    }
    let mut words = join_padded(names_part.split_whitespace().collect());
    // `记者 彭冲 山东冠县报道`: the word against 报道 is where they reported.
    if after.contains("报道") && words.len() > 1 {
        words.pop();
    }
    let all_names = !words.is_empty() && words.iter().all(|w| short_cjk_name(w));
    if all_names {
        words
            .iter()
            .map(|w| after_role(w))
            .filter(|w| looks_like_name(w))
            .map(str::to_string)
            .collect()
    } else {
        Vec::new()
    }
}

/// Reads a byline at the start of `text` (a first paragraph) or a source line
/// anywhere in it (a short header or footer line). The attribution grammar
/// of `huiwen_zh` (bylines, 来源, X讯, datelines, （X播报）) decides outlet
/// and author; the shapes it leaves to others (作者：, 记者, a leading
/// 【…】 to cut from the body) are read here.
pub fn parse(text: &str) -> Byline {
    let mut own = parse_own(text);
    let att = huiwen_zh::attribution::parse_attribution(text);
    if let Some(outlet) = att.outlet.filter(|o| !o.is_empty() && !is_deictic(o)) {
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
    if let Some(byline) = bracket_lead(t, offset) {
        return byline;
    }
    // The first reader that finds a name wins, most explicit first.
    let authors = labelled_authors(t)
        .or_else(|| non_empty(reporter_line(t)))
        .or_else(|| bracketed_dateline_author(t))
        .or_else(|| forum_poster(t))
        .or_else(|| credit_after_names(t))
        .unwrap_or_default();
    Byline {
        outlet: source_outlet(t).or_else(|| wire_outlet(t)),
        authors,
        ..Byline::default()
    }
}

fn non_empty(names: Vec<String>) -> Option<Vec<String>> {
    (!names.is_empty()).then_some(names)
}

/// 本报讯 / 本网讯 name no one: "this paper" is whoever published the page.
fn is_deictic(outlet: &str) -> bool {
    ["本报", "本刊", "本网", "本台", "本站", "本社"]
        .iter()
        .any(|d| outlet.starts_with(d))
}

/// `【文/观察者网 陈思佳】` or `【观察者网 陈思佳】` leading a text: outlet and
/// authors, and the length of the lead to cut from the body.
fn bracket_lead(t: &str, offset: usize) -> Option<Byline> {
    let rest = t.strip_prefix('【')?;
    let close = rest.find('】')?;
    let lead_len = offset + '【'.len_utf8() + close + '】'.len_utf8();
    let inner = rest[..close]
        .trim_start_matches("文")
        .trim_start_matches(['/', '／', '：', ':'])
        .trim();
    if inner.chars().count() > 30 || inner.contains(['，', '。', '：']) {
        return None;
    }
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
    (byline.outlet.is_some() || !byline.authors.is_empty()).then_some(byline)
}

/// `来源：XX`, `本文来源：XX`, `文章来源：XX` …
pub(crate) fn source_outlet(t: &str) -> Option<String> {
    const KEYS: [&str; 6] = [
        "本文来源",
        "文章来源",
        "新闻来源",
        "稿件来源",
        "来源",
        "来自",
    ];
    KEYS.iter().find_map(|key| {
        let after = &t[t.find(key)? + key.len()..];
        let after = after
            .trim_start_matches([' ', '\u{3000}'])
            .strip_prefix(['：', ':'])?;
        // `来源：[ 国际金融报 ]`: a portal's brackets around it.
        let value: String = after
            .trim_start_matches(|c: char| c.is_whitespace() || "[［【".contains(c))
            .chars()
            .take_while(|&c| is_name_char(c))
            .collect();
        let value = clean(&value);
        (!value.is_empty() && value.chars().count() <= 20).then_some(value)
    })
}

/// `作者：XX`, `记者：XX`, `文/XX`, and `文：XX` only where a line starts
/// with it (`原文：`, `中文：` are not bylines).
fn labelled_authors(t: &str) -> Option<Vec<String>> {
    const KEYS: [&str; 11] = [
        "作者：",
        "作者:",
        "记者：",
        "记者:",
        "文／",
        "文/",
        "文：",
        "撰文：",
        "撰稿：",
        "执笔人：",
        "执笔：",
    ];
    KEYS.iter().find_map(|&key| {
        let pos = if key == "文：" {
            t.starts_with(key).then_some(0)
        } else {
            t.find(key)
        }?;
        let value: String = t[pos + key.len()..]
            .chars()
            .take_while(|&c| is_name_char(c) || matches!(c, ' ' | '\u{a0}' | '\u{3000}' | '、'))
            .take(24)
            .collect();
        // The next field of the same line (`作者：李四 来源：人民网`).
        let mut found = names(before_next_field(&value).trim());
        if let [one] = found.as_mut_slice() {
            let rest = &t[pos + key.len()..];
            if let Some(alias) = rest
                .find(one.as_str())
                .and_then(|at| latin_alias(&rest[at + one.len()..]))
            {
                *one = format!("{one} ({alias})");
            }
        }
        non_empty(found)
    })
}

/// The Latin name a translated byline gives after the Chinese one,
/// `作者： 周思博 (Joel Spolsky)`: capitalised words in brackets right after
/// it. A role in brackets (`（实习生）`) is no alias.
fn latin_alias(after_name: &str) -> Option<&str> {
    let inner = after_name
        .trim_start()
        .strip_prefix(['(', '（'])?
        .split_once([')', '）'])?
        .0
        .trim();
    let words = inner.split_whitespace().count();
    let name_like = (1..=4).contains(&words)
        && inner
            .split_whitespace()
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        && inner
            .chars()
            .all(|c| c.is_ascii_alphabetic() || " .-'".contains(c));
    name_like.then_some(inner)
}

/// A portal's dateline names the writer in brackets before the source:
/// `2004年7月16日08:19 [ 黄宇 ]  来源：[ 国际金融报 ]`.
fn bracketed_dateline_author(t: &str) -> Option<Vec<String>> {
    // (GBK pages put a private-use character for a wide space there.)
    let head =
        t[..t.find("来源")?].trim_end_matches(|c: char| c.is_whitespace() || is_private_use(c));
    let (_, name) = head.strip_suffix([']', '］'])?.rsplit_once(['[', '［'])?;
    let name = name.trim();
    (short_cjk_name(name) && !looks_like_outlet(name)).then(|| vec![name.to_string()])
}

/// A forum post's footer: `本贴由大卫于2005年8月12日16:12发表`.
fn forum_poster(t: &str) -> Option<Vec<String>> {
    let rest = ["本贴由", "本帖由"]
        .iter()
        .find_map(|lead| t.find(lead).map(|p| &t[p + lead.len()..]))?;
    let name = rest.split_once('于')?.0.trim();
    looks_like_name(name).then(|| vec![name.to_string()])
}

/// `张三/文`, `李四 文/图`: the credit after the names, on a short line.
fn credit_after_names(t: &str) -> Option<Vec<String>> {
    if t.chars().count() > 24 {
        return None;
    }
    let names_part = ["/文", "／文", " 文/图", " 文", "/图文", "/撰文"]
        .iter()
        .find_map(|credit| t.trim_end().strip_suffix(credit))?;
    let found = names(names_part);
    let short = found.iter().all(|n| n.contains('·') || short_cjk_name(n));
    (short && found.len() == names_part.split_whitespace().count())
        .then_some(found)
        .and_then(non_empty)
}

/// `XX讯` / `XX电` at the start of the body: `观点网讯：`, `中新网1月20日电`.
fn wire_outlet(t: &str) -> Option<String> {
    let head: String = t.chars().take(24).collect();
    let who = clean(&head[..head.find('讯')?]);
    ((2..=10).contains(&who.chars().count())
        && who.chars().all(is_name_char)
        && !is_deictic(&who)
        && !who.contains("通"))
    .then_some(who)
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
            .map(after_role)
            .filter(|w| !w.ends_with("报道") && !w.ends_with('摄') && !w.ends_with('电'))
            .filter(|w| short_cjk_name(w) && !looks_like_outlet(w))
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
        // The paper's name before 记者 is a role, not a second reporter.
        assert_eq!(
            super::trailing_authors("定期获得信息交流。(信报记者 蔡雪婧)"),
            ["蔡雪婧"]
        );
    }

    #[test]
    fn reporter_lines_without_a_colon() {
        assert_eq!(
            parse("新华网黑龙江频道\u{a0} 记者\u{a0} 伊琳\u{a0} 李清芬").authors,
            ["伊琳", "李清芬"]
        );
        assert_eq!(parse("本报记者罗科苏盈发自北京").authors, ["罗科苏盈"]);
        assert_eq!(parse("整合 新华日报·交汇点记者 徐睿翔").authors, ["徐睿翔"]);
        assert_eq!(parse("本报讯 （记者 张三）").authors, ["张三"]);
        assert_eq!(parse("新京报记者 彭冲 山东冠县报道").authors, ["彭冲"]);
        assert_eq!(parse("本报记者 张三 通讯员 李四").authors, ["张三", "李四"]);
        assert_eq!(
            parse("本报实习生 刘国栋 周炜 本报记者 王燕平 方云凤").authors,
            ["刘国栋", "周炜", "王燕平", "方云凤"]
        );
        assert_eq!(parse("本报通讯员 张三 李四").authors, ["张三", "李四"]);
        assert_eq!(
            parse("中青报·中青网记者 魏其濛 来源：中国青年报").authors,
            ["魏其濛"]
        );
        assert_eq!(
            parse("作者:zboygirl 阅读(1660) 评论(5)").authors,
            ["zboygirl"]
        );
        // Headings and sentences that mention a reporter name no one.
        assert!(parse("记者手记").authors.is_empty());
        assert!(parse("记者调查发现").authors.is_empty());
        assert!(parse("记者 走访了三家银行和两家券商营业部")
            .authors
            .is_empty());
        assert!(parse("他对记者说，今年的计划不变").authors.is_empty());
    }

    #[test]
    fn a_translated_byline_keeps_the_latin_name() {
        assert_eq!(
            parse("作者： 周思博 (Joel Spolsky) 译： Chen Bin").authors,
            ["周思博 (Joel Spolsky)"]
        );
        assert_eq!(parse("作者：张三（实习生）").authors, ["张三"]);
    }

    #[test]
    fn names_padded_to_line_up_are_one_name() {
        assert_eq!(parse("本报记者 赵 培 李清芬").authors, ["赵培", "李清芬"]);
        assert_eq!(parse("作者：王　小明").authors, ["王小明"]);
        assert_eq!(parse("记者 王　明 张小明").authors, ["王明", "张小明"]);
        assert_eq!(unpadded_name("赵 培").as_deref(), Some("赵培"));
        // Two names, or a name and an initial, are not one padded name.
        assert_eq!(unpadded_name("宋怡 杨志华"), None);
        assert_eq!(unpadded_name("J Doe"), None);
    }

    #[test]
    fn traditional_script_outlets_are_outlets() {
        assert!(looks_like_outlet("香港電台-財經"));
        assert!(looks_like_outlet("經濟日報"));
        assert!(!looks_like_outlet("陳思佳"));
    }

    #[test]
    fn labels_that_only_count_at_a_line_start() {
        assert_eq!(parse("文：眉间尺").authors, ["眉间尺"]);
        assert_eq!(
            parse("执笔人：闵乐夫 赵兰波 刘韬").authors,
            ["闵乐夫", "赵兰波", "刘韬"]
        );
        assert!(parse("原文：本文讨论市场").authors.is_empty());
        assert!(parse("作者：2023-12-01 14:43").authors.is_empty());
        assert_eq!(parse("陈思佳/文").authors, ["陈思佳"]);
        assert_eq!(parse("张三 李四 文").authors, ["张三", "李四"]);
        assert!(parse("中国人民的新文").authors.is_empty());
        assert!(parse("这是一篇散文").authors.is_empty());
        assert!(parse("今天的天气很好 文").authors.is_empty());
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
        assert_eq!(parse("本站讯：近日，全市举办读书活动").outlet, None);
        assert_eq!(parse("作者：李四 来源：人民网").authors, ["李四"]);
        assert_eq!(
            parse("02日14:25 作者： 赵婕 出自[人民文学出版社]").authors,
            ["赵婕"]
        );
        assert_eq!(
            parse("本贴由 大卫 于2005年8月12日16:12发表").authors,
            ["大卫"]
        );
        let sohu = parse("2004年7月16日08:19 [ 黄宇 ]\u{e5c2}  来源：[ 国际金融报 ]");
        assert_eq!(sohu.authors, ["黄宇"]);
        assert_eq!(sohu.outlet.as_deref(), Some("国际金融报"));
        assert!(parse("[ 人民网 ] 来源：[ 国际金融报 ]").authors.is_empty());
        assert!(parse("本贴由于篇幅所限分两次发表").authors.is_empty());
        assert_eq!(parse("普通的一句话，没有署名。"), Byline::default());
    }
}
