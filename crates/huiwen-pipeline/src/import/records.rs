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

fn detect(map: &Map<String, Value>) -> Option<RecordFormat> {
    let has = |k: &str| map.contains_key(k);
    if has("content") && has("datetime") && has("source_name") {
        Some(RecordFormat::FinanceFlash)
    } else if has("link") && has("published") && has("summary") {
        Some(RecordFormat::FinanceRss)
    } else if has("published_at") && (has("text") || has("html")) && has("source") {
        Some(RecordFormat::Article)
    } else if has("date") && has("title") && has("content") {
        Some(RecordFormat::Cctv)
    } else {
        None
    }
}

/// Parses and checks one line. The error is the reason shown to the operator.
pub fn parse_record(
    line: &str,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<ParsedRecord, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("not a JSON object".into());
    };
    let Some(format) = detect(&map) else {
        let mut fields: Vec<&str> = map.keys().map(String::as_str).collect();
        fields.truncate(12);
        return Err(format!(
            "unknown record shape (fields: {}); expected huiwen article JSON, finance-flash, cctv or finance-rss records",
            fields.join(", ")
        ));
    };
    let value = Value::Object(map);
    let bad = |e: serde_json::Error| format!("{} record: {e}", format_name(format));
    let (source, draft) = match format {
        RecordFormat::FinanceFlash => {
            flash(serde_json::from_value(value).map_err(bad)?, options, now)?
        }
        RecordFormat::Cctv => cctv(serde_json::from_value(value).map_err(bad)?, options, now)?,
        RecordFormat::FinanceRss => rss(serde_json::from_value(value).map_err(bad)?, options, now)?,
        RecordFormat::Article => {
            article(serde_json::from_value(value).map_err(bad)?, options, now)?
        }
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

fn format_name(format: RecordFormat) -> &'static str {
    match format {
        RecordFormat::Article => "article",
        RecordFormat::FinanceFlash => "finance-flash",
        RecordFormat::Cctv => "cctv",
        RecordFormat::FinanceRss => "finance-rss",
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

#[derive(Debug, Deserialize)]
struct FlashRecord {
    id: IdValue,
    #[serde(default)]
    title: String,
    content: String,
    datetime: String,
    #[serde(default)]
    source: String,
    source_name: String,
    #[serde(default)]
    subjects: Vec<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    shareurl: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CctvRecord {
    date: String,
    title: String,
    #[serde(default)]
    url: Option<String>,
    content: String,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RssSource {
    Name(String),
    Feed {
        #[serde(default)]
        title: Option<String>,
    },
}

#[derive(Debug, Deserialize)]
struct RssRecord {
    title: String,
    link: String,
    published: String,
    summary: String,
    #[serde(default)]
    source: Option<RssSource>,
}

#[derive(Debug, Deserialize)]
struct ArticleRecord {
    #[serde(default)]
    guid: Option<String>,
    #[serde(default)]
    url: Option<String>,
    source: String,
    #[serde(default)]
    outlet: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    published_at: String,
    #[serde(default)]
    fetched_at: Option<DateTime<Utc>>,
    #[serde(default)]
    html: Option<SanitizedHtml>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    images: Vec<Image>,
    #[serde(default)]
    tags: Vec<String>,
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
        fetched_at: now,
        images: Vec::new(),
        tags: Vec::new(),
    }
}

fn flash(
    r: FlashRecord,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<(String, ArticleDraft), String> {
    let id = r.id.into_string();
    if id.is_empty() {
        return Err("finance-flash record without an id".into());
    }
    let source_name = r.source_name.trim().to_string();
    if source_name.is_empty() {
        return Err("finance-flash record without a source_name".into());
    }
    let outlet_key = if r.source.trim().is_empty() {
        source_name.clone()
    } else {
        r.source.trim().to_string()
    };
    let title = title_or_lead(Some(r.title), &r.content)?;
    let published_at = parse_time(&r.datetime, options)?;
    let url = usable_url(r.url).or_else(|| usable_url(r.shareurl));
    let mut draft = draft_from_text(
        format!("{outlet_key}:{id}"),
        url,
        title,
        published_at,
        &r.content,
        now,
    );
    draft.lang = "zh".into();
    draft.tags = r
        .subjects
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Ok((source_name, draft))
}

/// 新闻联播 airs at 19:00 Beijing time; the transcripts carry only the date.
fn cctv(
    r: CctvRecord,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<(String, ArticleDraft), String> {
    let date = NaiveDate::parse_from_str(r.date.trim(), "%Y-%m-%d")
        .map_err(|_| format!("cannot read the date {:?}", r.date))?;
    let broadcast = date.and_hms_opt(19, 0, 0).ok_or("invalid broadcast time")?;
    let published_at = options.zone.localize(broadcast);
    let title = title_or_lead(Some(r.title), &r.content)?;
    let url = usable_url(r.url);
    let guid = match &url {
        Some(u) => u.clone(),
        None => format!("cctv-xwlb:{}:{title}", r.date.trim()),
    };
    let draft = draft_from_text(guid, url, title, published_at, &r.content, now);
    let source = non_empty(r.source).unwrap_or_else(|| "CCTV 新闻联播".to_string());
    Ok((source, draft))
}

fn rss(
    r: RssRecord,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<(String, ArticleDraft), String> {
    let url = canonical_url(&r.link).map_err(|e| format!("link: {e}"))?;
    let published_at = parse_time(&r.published, options)?;
    let html = SanitizedHtml::sanitize(&r.summary);
    let (text, images) = html.to_text_and_images();
    let title = title_or_lead(Some(r.title), &text)?;
    let (source, outlet) = match r.source {
        Some(RssSource::Name(name)) if !name.trim().is_empty() => (name.trim().to_string(), None),
        Some(RssSource::Feed { title }) => (
            host_of(&url).unwrap_or_else(|| "finance-rss".into()),
            non_empty(title),
        ),
        _ => (host_of(&url).unwrap_or_else(|| "finance-rss".into()), None),
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
    r: ArticleRecord,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<(String, ArticleDraft), String> {
    let source = r.source.trim().to_string();
    if source.is_empty() {
        return Err("article record with an empty source".into());
    }
    let url = match non_empty(r.url) {
        Some(u) => Some(canonical_url(&u).map_err(|e| format!("url: {e}"))?),
        None => None,
    };
    let guid = non_empty(r.guid)
        .or_else(|| url.clone())
        .ok_or("article record with neither guid nor url")?;
    let published_at = parse_time(&r.published_at, options)?;
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
        authors: r
            .authors
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        published_at,
        fetched_at: r.fetched_at.unwrap_or(now),
        body_html: html,
        text,
        lang,
        images: r.images,
        tags: r.tags,
    };
    Ok((source, draft))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<ParsedRecord, String> {
        parse_record(line, &ImportOptions::default(), Utc::now())
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
