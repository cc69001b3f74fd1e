//! Record formats: huiwen's own article JSON and the corpus formats in
//! `shared/data/news`, recognised by their fields.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use huiwen_core::text::{guess_lang, lead_summary, title_from_lead};
use huiwen_core::url::{canonical_url, host_of};
use huiwen_core::{ArticleDraft, Image, SanitizedHtml, SourceId};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::ImportOptions;

/// A record turned into a draft, with its source still a name: the writer
/// resolves names to ids (`draft.source_id` is a placeholder until then).
#[derive(Debug, Clone)]
pub struct ParsedRecord {
    pub format: RecordFormat,
    pub source: String,
    pub draft: ArticleDraft,
}

/// The record formats `huiwen import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    /// huiwen's own article JSON: the `ARTICLE` object `huiwen list --json`
    /// prints (ids and sequence numbers are ignored).
    Article,
    /// Finance flash news (财联社, 同花顺, 东方财富): `id, title, content,
    /// datetime, source, source_name, subjects, stocks…`.
    FinanceFlash,
    /// CCTV 新闻联播 transcripts: `date, title, url, content`.
    Cctv,
    /// Items captured from finance RSS feeds: `title, link, published,
    /// summary (HTML), source`.
    FinanceRss,
}

const TITLE_FROM_LEAD_CHARS: usize = 40;
const SUMMARY_CHARS: usize = 120;

/// Every field of every format, read in one pass: which ones are present
/// tells the format. (Parsing into a generic JSON value first and then into
/// the format's type costs a third more CPU on the import path.)
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AnyRecord {
    id: Option<IdValue>,
    guid: Option<String>,
    title: Option<String>,
    content: Option<String>,
    text: Option<String>,
    html: Option<SanitizedHtml>,
    summary: Option<String>,
    datetime: Option<String>,
    date: Option<String>,
    published: Option<String>,
    published_at: Option<String>,
    fetched_at: Option<DateTime<Utc>>,
    source: Option<SourceField>,
    source_name: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    shareurl: Option<String>,
    link: Option<String>,
    subjects: Option<Vec<String>>,
    authors: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    images: Option<Vec<Image>>,
    lang: Option<String>,
}

impl AnyRecord {
    fn format(&self) -> Option<RecordFormat> {
        let source_is_name = matches!(self.source, Some(SourceField::Name(_)));
        if self.content.is_some() && self.datetime.is_some() && self.source_name.is_some() {
            Some(RecordFormat::FinanceFlash)
        } else if self.link.is_some() && self.published.is_some() && self.summary.is_some() {
            Some(RecordFormat::FinanceRss)
        } else if self.published_at.is_some()
            && (self.text.is_some() || self.html.is_some())
            && source_is_name
        {
            Some(RecordFormat::Article)
        } else if self.date.is_some() && self.title.is_some() && self.content.is_some() {
            Some(RecordFormat::Cctv)
        } else {
            None
        }
    }
}

/// Parses and checks one line. The error is the reason shown to the operator.
pub fn parse_record(
    line: &[u8],
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<ParsedRecord, String> {
    let record: AnyRecord = match serde_json::from_slice(line) {
        Ok(r) => r,
        Err(e) => return Err(explain_json_error(line, e)),
    };
    let Some(format) = record.format() else {
        let fields = serde_json::from_slice::<Map<String, Value>>(line)
            .map(|m| m.keys().take(12).cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        return Err(format!(
            "unknown record shape (fields: {fields}); expected huiwen article JSON, finance-flash, cctv or finance-rss records"
        ));
    };
    let (source, draft) = match format {
        RecordFormat::FinanceFlash => flash(record, options, now)?,
        RecordFormat::Cctv => cctv(record, options, now)?,
        RecordFormat::FinanceRss => rss(record, options, now)?,
        RecordFormat::Article => article(record, options, now)?,
    };
    draft
        .check(&options.limits, now)
        .map_err(|e| e.to_string())?;
    Ok(ParsedRecord {
        format,
        source,
        draft,
    })
}

fn explain_json_error(line: &[u8], e: serde_json::Error) -> String {
    if let Err(utf8) = std::str::from_utf8(line) {
        return format!("line is not valid UTF-8 (at byte {})", utf8.valid_up_to());
    }
    match line.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') if e.is_data() => format!("a field has the wrong type: {e}"),
        Some(b'{') | None => format!("not valid JSON: {e}"),
        Some(_) if serde_json::from_slice::<Value>(line).is_ok() => "not a JSON object".to_string(),
        Some(_) => format!("not valid JSON: {e}"),
    }
}

/// Accepts `"123"` and `123` alike.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum IdValue {
    Text(String),
    Number(i64),
}

impl IdValue {
    fn into_string(self) -> String {
        match self {
            IdValue::Text(s) => s.trim().to_string(),
            IdValue::Number(n) => n.to_string(),
        }
    }
}

/// `source` is a name in most formats and `{"title": …}` in captured feeds.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SourceField {
    Name(String),
    Feed {
        #[serde(default)]
        title: Option<String>,
    },
}

fn required(value: Option<String>, what: &str) -> Result<String, String> {
    non_empty(value).ok_or_else(|| format!("record without {what}"))
}

/// RFC 3339, RFC 2822, or a naive date-time in the configured zone.
fn parse_time(raw: &str, options: &ImportOptions) -> Result<DateTime<FixedOffset>, String> {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Ok(t) = DateTime::parse_from_rfc3339(&s) {
        return Ok(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(&s) {
        return Ok(t);
    }
    for fmt in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"] {
        if let Ok(t) = DateTime::parse_from_str(&s, fmt) {
            return Ok(t);
        }
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&s, fmt) {
            return Ok(options.zone.localize(naive));
        }
    }
    Err(format!("cannot read the time {raw:?}"))
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A URL we can use as the article's address, or none (a bad URL costs the
/// article its link, not its place in the store).
fn usable_url(raw: Option<String>) -> Option<String> {
    non_empty(raw).and_then(|u| canonical_url(&u).ok())
}

fn title_or_lead(title: Option<String>, text: &str) -> Result<String, String> {
    non_empty(title)
        .or_else(|| title_from_lead(text, TITLE_FROM_LEAD_CHARS))
        .ok_or_else(|| "no title, and no lead to derive one from".to_string())
}

fn draft_from_text(
    guid: String,
    url: Option<String>,
    title: String,
    published_at: DateTime<FixedOffset>,
    text: &str,
    now: DateTime<Utc>,
) -> ArticleDraft {
    let text = text.trim().replace("\r\n", "\n");
    ArticleDraft {
        source_id: SourceId(0),
        guid,
        url,
        outlet: None,
        summary: lead_summary(&text, SUMMARY_CHARS),
        lang: guess_lang(&format!(
            "{title} {}",
            text.chars().take(500).collect::<String>()
        ))
        .to_string(),
        body_html: SanitizedHtml::from_plain_text(&text),
        text,
        title,
        authors: Vec::new(),
        published_at,
        undated: false,
        fetched_at: now,
        images: Vec::new(),
        tags: Vec::new(),
    }
}

fn clean_list(list: Option<Vec<String>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn source_name(source: Option<SourceField>) -> Option<String> {
    match source {
        Some(SourceField::Name(name)) => non_empty(Some(name)),
        _ => None,
    }
}

fn flash(
    r: AnyRecord,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<(String, ArticleDraft), String> {
    let id = r.id.map(IdValue::into_string).unwrap_or_default();
    if id.is_empty() {
        return Err("finance-flash record without an id".into());
    }
    let source = required(r.source_name, "a source_name")?;
    let outlet_key = source_name(r.source).unwrap_or_else(|| source.clone());
    let content = r.content.unwrap_or_default();
    let title = title_or_lead(r.title, &content)?;
    let published_at = parse_time(r.datetime.as_deref().unwrap_or_default(), options)?;
    let url = usable_url(r.url).or_else(|| usable_url(r.shareurl));
    let mut draft = draft_from_text(
        format!("{outlet_key}:{id}"),
        url,
        title,
        published_at,
        &content,
        now,
    );
    draft.lang = "zh".into();
    draft.tags = clean_list(r.subjects);
    Ok((source, draft))
}

/// 新闻联播 airs at 19:00 Beijing time; the transcripts carry only the date.
fn cctv(
    r: AnyRecord,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<(String, ArticleDraft), String> {
    let raw_date = r.date.unwrap_or_default();
    let date = NaiveDate::parse_from_str(raw_date.trim(), "%Y-%m-%d")
        .map_err(|_| format!("cannot read the date {raw_date:?}"))?;
    let broadcast = date.and_hms_opt(19, 0, 0).ok_or("invalid broadcast time")?;
    let published_at = options.zone.localize(broadcast);
    let content = r.content.unwrap_or_default();
    let title = title_or_lead(r.title, &content)?;
    let url = usable_url(r.url);
    let guid = match &url {
        Some(u) => u.clone(),
        None => format!("cctv-xwlb:{}:{title}", raw_date.trim()),
    };
    let draft = draft_from_text(guid, url, title, published_at, &content, now);
    let source = source_name(r.source).unwrap_or_else(|| "CCTV 新闻联播".to_string());
    Ok((source, draft))
}

fn rss(
    r: AnyRecord,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<(String, ArticleDraft), String> {
    let url =
        canonical_url(r.link.as_deref().unwrap_or_default()).map_err(|e| format!("link: {e}"))?;
    let published_at = parse_time(r.published.as_deref().unwrap_or_default(), options)?;
    let html = SanitizedHtml::sanitize(r.summary.as_deref().unwrap_or_default());
    let (text, images) = html.to_text_and_images();
    let title = title_or_lead(r.title, &text)?;
    let host = || host_of(&url).unwrap_or_else(|| "finance-rss".into());
    let (source, outlet) = match r.source {
        Some(SourceField::Name(name)) if !name.trim().is_empty() => (name.trim().to_string(), None),
        Some(SourceField::Feed { title }) => (host(), non_empty(title)),
        _ => (host(), None),
    };
    let lang = guess_lang(&format!(
        "{title} {}",
        text.chars().take(500).collect::<String>()
    ))
    .to_string();
    let draft = ArticleDraft {
        source_id: SourceId(0),
        guid: url.clone(),
        url: Some(url),
        outlet,
        summary: lead_summary(&text, SUMMARY_CHARS),
        title,
        authors: Vec::new(),
        published_at,
        undated: false,
        fetched_at: now,
        body_html: html,
        text,
        lang,
        images,
        tags: Vec::new(),
    };
    Ok((source, draft))
}

fn article(
    r: AnyRecord,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<(String, ArticleDraft), String> {
    let source = source_name(r.source).ok_or("article record with an empty source")?;
    let url = match non_empty(r.url) {
        Some(u) => Some(canonical_url(&u).map_err(|e| format!("url: {e}"))?),
        None => None,
    };
    let guid = non_empty(r.guid)
        .or_else(|| url.clone())
        .ok_or("article record with neither guid nor url")?;
    let published_at = parse_time(r.published_at.as_deref().unwrap_or_default(), options)?;
    let (html, text) = match (r.html.filter(|h| !h.is_empty()), non_empty(r.text)) {
        (Some(html), Some(text)) => (html, text),
        (Some(html), None) => {
            let (text, _) = html.to_text_and_images();
            (html, text)
        }
        (None, Some(text)) => (SanitizedHtml::from_plain_text(&text), text),
        (None, None) => (SanitizedHtml::default(), String::new()),
    };
    let title = title_or_lead(r.title, &text)?;
    let lang =
        non_empty(r.lang).unwrap_or_else(|| guess_lang(&format!("{title} {text}")).to_string());
    let draft = ArticleDraft {
        source_id: SourceId(0),
        guid,
        url,
        outlet: non_empty(r.outlet).filter(|o| *o != source),
        summary: non_empty(r.summary).unwrap_or_else(|| lead_summary(&text, SUMMARY_CHARS)),
        title,
        authors: clean_list(r.authors),
        published_at,
        undated: false,
        fetched_at: r.fetched_at.unwrap_or(now),
        body_html: html,
        text,
        lang,
        images: r.images.unwrap_or_default(),
        tags: clean_list(r.tags),
    };
    Ok((source, draft))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<ParsedRecord, String> {
        parse_record(line.as_bytes(), &ImportOptions::default(), Utc::now())
    }

    #[test]
    fn flash_items_take_their_lead_as_title_when_untitled() {
        let r = parse(r#"{"brief":"","category":"","content":"财联社5月14日电，数据显示，微软在与OpenAI的合作中已投资1000亿美元。","ctime":1778691089,"date":"2026-05-14","datetime":"2026-05-14T00:51:29+08:00","id":"2370643","level":"C","shareurl":"https://api3.cls.cn/share/article/2370643?os=web","source":"cls","source_name":"财联社","stocks":[],"subjects":["美股动态"],"time":"00:51:29","title":""}"#)
            .expect("parses");
        assert_eq!(r.format, RecordFormat::FinanceFlash);
        assert_eq!(r.source, "财联社");
        assert_eq!(r.draft.guid, "cls:2370643");
        assert_eq!(
            r.draft.title,
            "数据显示，微软在与OpenAI的合作中已投资1000亿美元"
        );
        assert_eq!(
            r.draft.published_at.to_rfc3339(),
            "2026-05-14T00:51:29+08:00"
        );
        assert_eq!(
            r.draft.url.as_deref(),
            Some("https://api3.cls.cn/share/article/2370643?os=web")
        );
        assert_eq!(r.draft.tags, vec!["美股动态".to_string()]);
        assert_eq!(r.draft.lang, "zh");
    }

    #[test]
    fn cctv_is_dated_at_broadcast_time() {
        let r = parse(r#"{"date": "2022-09-24", "title": "【领航中国】共护一江水", "url": null, "content": "央视网消息（新闻联播）：长江是中华民族的母亲河。", "source": "CCTV 新闻联播"}"#)
            .expect("parses");
        assert_eq!(r.format, RecordFormat::Cctv);
        assert_eq!(
            r.draft.published_at.to_rfc3339(),
            "2022-09-24T19:00:00+08:00"
        );
        assert_eq!(r.draft.guid, "cctv-xwlb:2022-09-24:【领航中国】共护一江水");
        assert_eq!(r.source, "CCTV 新闻联播");
    }

    #[test]
    fn rss_summaries_are_sanitized_and_read() {
        let r = parse(r#"{"title": "标题", "link": "http://finance.eastmoney.com/news/1.html?utm_source=rss", "published": "2025-10-10 16:15:33  +0800", "summary": "<p>　　第一段<script>x()</script></p><img src=\"https://img.example.com/a.jpg\" onerror=\"x()\">", "source": {"title": "东方财富Choice数据"}}"#)
            .expect("parses");
        assert_eq!(r.format, RecordFormat::FinanceRss);
        assert_eq!(
            r.draft.url.as_deref(),
            Some("http://finance.eastmoney.com/news/1.html")
        );
        assert_eq!(r.source, "finance.eastmoney.com");
        assert_eq!(r.draft.outlet.as_deref(), Some("东方财富Choice数据"));
        assert_eq!(
            r.draft.published_at.to_rfc3339(),
            "2025-10-10T16:15:33+08:00"
        );
        assert!(
            !r.draft.body_html.as_str().contains("script")
                && !r.draft.body_html.as_str().contains("onerror")
        );
        assert_eq!(r.draft.text, "第一段");
        assert_eq!(r.draft.images.len(), 1);
        let gmt = parse(r#"{"title": "Fed", "link": "https://e.com/a", "published": "Fri, 3 Oct 2025 18:45:00 GMT", "summary": "Rates held.", "source": "CNBC"}"#).expect("parses");
        assert_eq!(
            gmt.draft.published_at.to_rfc3339(),
            "2025-10-03T18:45:00+00:00"
        );
        assert_eq!(gmt.draft.lang, "en");
        assert_eq!(gmt.source, "CNBC");
    }

    #[test]
    fn own_format_round_trips_the_article_json() {
        let r = parse(r#"{"id": 5, "seq": 9, "guid": "g1", "url": "https://e.com/x", "source": "测试源", "outlet": "观察者网", "title": "标题", "authors": ["陈思佳"], "published_at": "2025-11-04T02:46:13+08:00", "html": "<p>正文</p><script>bad()</script>", "lang": "zh", "images": [{"src": "https://e.com/a.jpg", "caption": "截图"}], "tags": ["科技"]}"#)
            .expect("parses");
        assert_eq!(r.format, RecordFormat::Article);
        assert_eq!(r.draft.body_html.as_str(), "<p>正文</p>");
        assert_eq!(r.draft.text, "正文");
        assert_eq!(r.draft.outlet.as_deref(), Some("观察者网"));
        assert_eq!(r.draft.authors, vec!["陈思佳".to_string()]);
    }

    #[test]
    fn bad_records_are_explained() {
        let err = |line: &str| parse(line).expect_err("must be rejected");
        assert!(err("{not json").contains("not valid JSON"));
        assert!(err("[1,2]").contains("not a JSON object"));
        assert!(err(
            r#"{"id": true, "content": "x", "datetime": "2026-01-01", "source_name": "s"}"#
        )
        .contains("wrong type"));
        assert!(err("{\"title\": \"\u{0}\"").contains("not valid JSON"));
        assert!(err(r#"{"foo": 1, "bar": 2}"#).contains("unknown record shape (fields: bar, foo"));
        assert!(
            err(r#"{"date": "2026-01-01", "title": "", "content": "   ", "url": null}"#)
                .contains("no title")
        );
        let future = r#"{"title": "t", "link": "https://e.com/a", "published": "2099-01-01T00:00:00+08:00", "summary": "x", "source": "S"}"#;
        assert!(err(future).contains("future"));
        let old = r#"{"title": "t", "link": "https://e.com/a", "published": "1989-06-01T00:00:00+08:00", "summary": "x", "source": "S"}"#;
        assert!(err(old).contains("before 1990"));
        assert!(err(r#"{"title": "t", "link": "https://e.com/a", "published": "someday", "summary": "x", "source": "S"}"#).contains("cannot read the time"));
        assert!(err(r#"{"title": "t", "link": "javascript:x", "published": "2025-01-01", "summary": "x", "source": "S"}"#).contains("link"));
    }
}
