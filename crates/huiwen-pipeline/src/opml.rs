//! OPML, the format feed readers exchange subscription lists in.
//!
//! Reading takes every `<outline>` with an `xmlUrl` as a feed (nested
//! outlines without one are folders; their names become the feed's
//! category) and every `type="link"` outline with a `url` as a page. Writing
//! produces OPML 2.0 that huiwen, Miniflux, Feedly and the others read back.

use huiwen_core::{Source, SourceKind};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// One subscription of an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlEntry {
    pub url: String,
    pub kind: SourceKind,
    /// `title`, else `text`, else `None`.
    pub title: Option<String>,
    /// The enclosing folders' names, outermost first.
    pub folders: Vec<String>,
}

/// Why an OPML file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpmlError {
    #[error("not valid OPML (XML error at byte {position}): {message}")]
    Xml { position: u64, message: String },
    #[error("not an OPML file: no <opml> element")]
    NotOpml,
}

fn attribute(tag: &BytesStart<'_>, name: &str) -> Option<String> {
    tag.attributes()
        .flatten()
        .find(|a| a.key.as_ref().eq_ignore_ascii_case(name))
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        })
        .filter(|v| !v.is_empty())
}

/// Reads the subscriptions of an OPML document.
pub fn parse_opml(text: &str) -> Result<Vec<OpmlEntry>, OpmlError> {
    let mut reader = Reader::from_str(text);
    let mut entries = Vec::new();
    // One slot per open <outline>: the folder name it contributes, if any.
    let mut open: Vec<Option<String>> = Vec::new();
    let mut seen_opml = false;
    loop {
        let event = reader.read_event().map_err(|e| OpmlError::Xml {
            position: reader.buffer_position(),
            message: e.to_string(),
        })?;
        let (tag, has_children) = match &event {
            Event::Start(tag) => (tag, true),
            Event::Empty(tag) => (tag, false),
            Event::End(end) => {
                if end.local_name().as_ref() == "outline" {
                    open.pop();
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match tag.local_name().as_ref() {
            "opml" => seen_opml = true,
            "outline" => {
                let title = attribute(tag, "title").or_else(|| attribute(tag, "text"));
                let kind = attribute(tag, "type")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let feed = attribute(tag, "xmlUrl").map(|u| (u, SourceKind::Feed));
                let page = (kind == "link")
                    .then(|| attribute(tag, "url"))
                    .flatten()
                    .map(|u| (u, SourceKind::Page));
                let folders: Vec<String> = open.iter().flatten().cloned().collect();
                let is_subscription = match feed.or(page) {
                    Some((url, kind)) => {
                        entries.push(OpmlEntry {
                            url,
                            kind,
                            title: title.clone(),
                            folders,
                        });
                        true
                    }
                    None => false,
                };
                if has_children {
                    open.push(if is_subscription { None } else { title });
                }
            }
            _ => {}
        }
    }
    if !seen_opml {
        return Err(OpmlError::NotOpml);
    }
    Ok(entries)
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// Writes sources as OPML 2.0 (imported collections, which have no URL, are
/// left out).
pub fn write_opml(sources: &[Source], created: chrono::DateTime<chrono::Utc>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n",
    );
    out.push_str("    <title>huiwen sources</title>\n");
    out.push_str(&format!(
        "    <dateCreated>{}</dateCreated>\n  </head>\n  <body>\n",
        created.to_rfc2822()
    ));
    for s in sources {
        let Some(url) = &s.url else { continue };
        let name = escape(&s.name);
        let url = escape(url);
        match s.kind {
            SourceKind::Feed => out.push_str(&format!(
                "    <outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{url}\"/>\n"
            )),
            SourceKind::Page => out.push_str(&format!(
                "    <outline type=\"link\" text=\"{name}\" url=\"{url}\"/>\n"
            )),
            SourceKind::Import => {}
        }
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_titles_and_escapes() {
        let opml = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>订阅</title></head><body>
  <outline text="财经">
    <outline type="rss" text="财联社" xmlUrl="https://www.cls.cn/rss?a=1&amp;b=2"/>
    <outline text="国际"><outline type="rss" title="BBC &lt;中文&gt;" text="x" xmlUrl="https://feeds.bbci.co.uk/zhongwen/simp/rss.xml"/></outline>
  </outline>
  <outline type="rss" xmlUrl="https://36kr.com/feed"/>
  <outline type="link" text="新闻列表" url="https://news.example.com/list.html"/>
  <outline text="空文件夹"></outline>
</body></opml>"#;
        let entries = parse_opml(opml).expect("parses");
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].url, "https://www.cls.cn/rss?a=1&b=2");
        assert_eq!(entries[0].folders, vec!["财经".to_string()]);
        assert_eq!(entries[1].title.as_deref(), Some("BBC <中文>"));
        assert_eq!(
            entries[1].folders,
            vec!["财经".to_string(), "国际".to_string()]
        );
        assert_eq!(
            (entries[2].title.as_deref(), entries[2].folders.len()),
            (None, 0)
        );
        assert_eq!(entries[3].kind, SourceKind::Page);
    }

    #[test]
    fn broken_and_foreign_documents_are_errors() {
        assert!(matches!(
            parse_opml("<opml><body><outline xmlUrl=\"x\"></body>"),
            Err(OpmlError::Xml { .. })
        ));
        assert!(matches!(
            parse_opml("<rss><channel/></rss>"),
            Err(OpmlError::NotOpml)
        ));
    }

    #[test]
    fn written_opml_reads_back() {
        let source = |name: &str, url: Option<&str>, kind| Source {
            id: huiwen_core::SourceId(1),
            name: name.into(),
            url: url.map(Into::into),
            kind,
            created_at: chrono::Utc::now(),
            every_secs: 600,
            zone: Default::default(),
            full_text: false,
            fetch: Default::default(),
        };
        let sources = vec![
            source(
                "观察者网 & \"评论\"",
                Some("https://www.guancha.cn/rss?x=1&y=2"),
                SourceKind::Feed,
            ),
            source(
                "列表",
                Some("https://news.example.com/list.html"),
                SourceKind::Page,
            ),
            source("导入", None, SourceKind::Import),
        ];
        let back = parse_opml(&write_opml(&sources, chrono::Utc::now())).expect("reads back");
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].title.as_deref(), Some("观察者网 & \"评论\""));
        assert_eq!(back[0].url, "https://www.guancha.cn/rss?x=1&y=2");
        assert_eq!(
            (back[1].kind, back[1].url.as_str()),
            (SourceKind::Page, "https://news.example.com/list.html")
        );
    }
}
