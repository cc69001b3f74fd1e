//! Why a fetched body is not a feed we can read.

/// Why a body could not be read as a feed. Messages are shown to operators as
/// they are (in `huiwen source list` and the logs), so each says what was
/// found and, where it helps, what to check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    #[error("the feed is empty: the server answered with no content")]
    Empty,
    #[error(
        "got an HTML page, not a feed: check the source URL (it may point at the site's \
         front page, or the server answered with an error or login page)"
    )]
    HtmlPage,
    #[error(
        "not an RSS, Atom or JSON Feed document: no feed root element found (the body starts \
         with {start:?})"
    )]
    NotAFeed {
        /// The first characters of the body, for recognising what came back.
        start: String,
    },
    #[error("malformed XML feed (truncated or not well-formed): {0}")]
    Xml(String),
    #[error("malformed JSON Feed: {0}")]
    Json(String),
    #[error("unsupported JSON Feed version {0:?} (1.0 and 1.1 are supported)")]
    JsonVersion(String),
    #[error("the feed could not be read: {0}")]
    Invalid(String),
}
