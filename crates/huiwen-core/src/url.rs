//! Canonical URLs: the key that tells two fetches of one article apart from
//! two articles.

/// Why a URL was not accepted as an article or source URL.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("not a valid URL: {0}")]
    Invalid(String),
    #[error("only http and https URLs are accepted, not {0:?}")]
    Scheme(String),
}

/// Query parameters that only track the reader and never select content.
fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "spm"
                | "from"
                | "fromsource"
                | "share_token"
                | "fbclid"
                | "gclid"
                | "yclid"
                | "mc_cid"
                | "mc_eid"
                | "scene"
                | "isappinstalled"
        )
}

/// Normalizes an article URL: http(s) only, lower-case host, no default port,
/// no fragment, tracking parameters (`utm_*`, `spm`, `from`, …) removed, the
/// other parameters kept in their order.
pub fn canonical_url(raw: &str) -> Result<String, UrlError> {
    let mut url =
        url::Url::parse(raw.trim()).map_err(|e| UrlError::Invalid(format!("{raw:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UrlError::Scheme(url.scheme().to_string()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlError::Invalid(format!("{raw:?}: no host")));
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Ok(url.to_string())
}

/// The host of a URL, for naming a source after it.
pub fn host_of(raw: &str) -> Option<String> {
    url::Url::parse(raw)
        .ok()?
        .host_str()
        .map(|h| h.trim_start_matches("www.").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_and_fragments_go_content_params_stay() {
        assert_eq!(
            canonical_url("HTTPS://News.Example.COM:443/a/1.html?id=7&utm_source=x&spm=1.2#top")
                .expect("ok"),
            "https://news.example.com/a/1.html?id=7"
        );
        assert_eq!(
            canonical_url("http://e.com/x?utm_medium=rss").expect("ok"),
            "http://e.com/x"
        );
    }

    #[test]
    fn other_schemes_and_garbage_are_refused() {
        assert_eq!(
            canonical_url("ftp://e.com/x"),
            Err(UrlError::Scheme("ftp".into()))
        );
        assert!(matches!(
            canonical_url("not a url"),
            Err(UrlError::Invalid(_))
        ));
        assert!(matches!(
            canonical_url("javascript:alert(1)"),
            Err(UrlError::Scheme(_))
        ));
    }
}
