//! The [`Fetcher`]: one client, and the retry, politeness and robots logic
//! around each request.

use std::error::Error as StdError;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use url::Url;

use crate::charset::{self, Decoded};
use crate::guard::{self, GuardRefusal, GuardedResolver};
use crate::politeness::{HostState, Hosts, RobotsEntry};
use crate::{FetchError, FetchOptions};

/// The product token matched against robots.txt `User-agent` lines.
pub const ROBOTS_AGENT: &str = "huiwen";

/// The most of a robots.txt read; RFC 9309 asks crawlers to parse at least
/// 500 KiB, and anything past the cap is ignored rather than refused.
const ROBOTS_MAX_BYTES: u64 = 512 * 1024;

/// How long a robots.txt that could not be had (5xx, timeout, connection
/// error) counts as "allow all" before it is tried again. Shorter than the
/// normal TTL, so one bad moment does not blind us to a site's rules for long.
const ROBOTS_ERROR_TTL: Duration = Duration::from_secs(300);

const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                           application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
const ACCEPT_PAGE: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";
const ACCEPT_LANGUAGE: &str = "zh-CN, zh;q=0.9, en;q=0.7";

/// Feeds are polled; pages are crawled. The difference decides whether
/// robots.txt applies and where an encoding may be declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FetchKind {
    /// An RSS/Atom/JSON feed. Sites publish feeds to be polled, so robots.txt
    /// is not consulted; the XML declaration may name the encoding.
    Feed,
    /// An article page. robots.txt is honoured; `<meta>` may name the encoding.
    Page,
}

/// One fetch: what to get, and the validators of the copy we already have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    pub url: String,
    pub kind: FetchKind,
    /// Sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

impl FetchRequest {
    pub fn feed(url: impl Into<String>) -> Self {
        FetchRequest {
            url: url.into(),
            kind: FetchKind::Feed,
            etag: None,
            last_modified: None,
        }
    }

    pub fn page(url: impl Into<String>) -> Self {
        FetchRequest {
            kind: FetchKind::Page,
            ..FetchRequest::feed(url)
        }
    }
}

/// What a successful fetch produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// HTTP 304: the copy we have is current.
    NotModified {
        final_url: Url,
    },
    Fetched(FetchedBody),
}

/// A 2xx response, read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedBody {
    /// The URL after redirects.
    pub final_url: Url,
    pub status: u16,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    /// The `charset` of `content_type`, as the server wrote it.
    pub charset: Option<String>,
    /// The body, decompressed, at most `max_body_bytes` long.
    pub body: Bytes,
    /// Attempts it took, the successful one included.
    pub attempts: u32,
    pub kind: FetchKind,
}

impl FetchedBody {
    /// The body as text; see [`charset::decode`].
    pub fn decode(&self) -> Decoded {
        charset::decode(&self.body, self.charset.as_deref(), self.kind)
    }
}

/// The fetcher. Cheap to clone (clones share the client, the per-host
/// schedule and the robots cache) and safe to use from many tasks.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    options: FetchOptions,
    hosts: Hosts,
}

impl Fetcher {
    /// Builds the client. Fails only on options that cannot work.
    pub fn new(options: FetchOptions) -> Result<Fetcher, FetchError> {
        crate::options::validate(&options).map_err(FetchError::InvalidOptions)?;
        let guard_on = !options.allow_private_networks;
        let mut builder = reqwest::Client::builder()
            .user_agent(crate::options::user_agent(&options))
            .connect_timeout(Duration::from_millis(options.connect_timeout_ms))
            .timeout(Duration::from_millis(options.total_timeout_ms))
            .redirect(redirect_policy(options.max_redirects, guard_on))
            // A proxy would resolve names itself, out of the guard's sight.
            .no_proxy()
            .referer(false);
        if guard_on {
            builder = builder.dns_resolver(Arc::new(GuardedResolver));
        }
        let client = builder.build().map_err(|error| {
            FetchError::InvalidOptions(format!(
                "cannot build the HTTP client (is fetch.user_agent_contact a plain URL?): {}",
                error_chain(&error)
            ))
        })?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                hosts: Hosts::new(
                    options.per_host_concurrency,
                    Duration::from_millis(options.per_host_min_interval_ms),
                ),
                client,
                options,
            }),
        })
    }

    pub fn options(&self) -> &FetchOptions {
        &self.inner.options
    }

    /// Fetches one URL: checks it, waits for the host's turn, consults
    /// robots.txt for pages, and retries timeouts, connection errors, 429 and
    /// 5xx with backoff.
    pub async fn fetch(&self, request: &FetchRequest) -> Result<FetchOutcome, FetchError> {
        let url = self.check_url(&request.url)?;
        let host = self.inner.hosts.get(&url);
        if request.kind == FetchKind::Page {
            self.check_robots(&host, &url).await?;
        }
        let spec = AttemptSpec {
            accept: match request.kind {
                FetchKind::Feed => ACCEPT_FEED,
                FetchKind::Page => ACCEPT_PAGE,
            },
            etag: request.etag.as_deref(),
            last_modified: request.last_modified.as_deref(),
            limit: self.inner.options.max_body_bytes,
            overflow: Overflow::Refuse,
        };
        let options = &self.inner.options;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let failure = match self.attempt(&host, &url, &spec).await {
                Ok(response) => return Ok(response.into_outcome(attempts, request.kind)),
                Err(failure) => failure,
            };
            if !failure.retryable() || attempts >= options.max_attempts {
                return Err(failure.into_error(&url, attempts, options));
            }
            let cap = Duration::from_millis(options.retry_max_ms);
            let wait = match failure.retry_after() {
                Some(asked) => asked.min(cap),
                None => backoff(attempts, options),
            };
            tracing::debug!(%url, attempts, wait_ms = wait.as_millis() as u64, %failure, "retrying fetch");
            tokio::time::sleep(wait).await;
        }
    }

    fn check_url(&self, raw: &str) -> Result<Url, FetchError> {
        let url = Url::parse(raw.trim()).map_err(|error| FetchError::InvalidUrl {
            url: raw.to_owned(),
            reason: error.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::UnsupportedScheme {
                url: url.to_string(),
                scheme: url.scheme().to_owned(),
            });
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(FetchError::InvalidUrl {
                url: raw.to_owned(),
                reason: "it has no host".into(),
            });
        }
        if !self.inner.options.allow_private_networks {
            guard::check_literal_host(&url).map_err(|refusal| private_address(&url, refusal))?;
        }
        Ok(url)
    }

    /// One request: the host's turn, then the exchange under the total timeout.
    async fn attempt(
        &self,
        host: &HostState,
        url: &Url,
        spec: &AttemptSpec<'_>,
    ) -> Result<Response, Failure> {
        let _permit = host.turn().await;
        let total = Duration::from_millis(self.inner.options.total_timeout_ms);
        // reqwest enforces the same timeout; this one also covers our own
        // body loop, so a trickling server cannot outlast it in any case.
        tokio::time::timeout(total, self.exchange(url, spec))
            .await
            .unwrap_or(Err(Failure::Timeout))
    }

    async fn exchange(&self, url: &Url, spec: &AttemptSpec<'_>) -> Result<Response, Failure> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(spec.accept));
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static(ACCEPT_LANGUAGE),
        );
        // Validators came from a server's headers; one that is not a valid
        // header value any more just makes the request unconditional.
        if let Some(value) = spec.etag.and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(header::IF_NONE_MATCH, value);
        }
        if let Some(value) = spec
            .last_modified
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(header::IF_MODIFIED_SINCE, value);
        }
        let mut response = self
            .inner
            .client
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .map_err(|error| self.transport_failure(url, &error))?;

        let status = response.status();
        let final_url = response.url().clone();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Response {
                final_url,
                status,
                headers: response.headers().clone(),
                body: None,
            });
        }
        if !status.is_success() {
            let retry_after = match status {
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                    retry_after(response.headers())
                }
                _ => None,
            };
            return Err(Failure::Status {
                status,
                retry_after,
            });
        }
        let too_large = || {
            Failure::Fatal(FetchError::TooLarge {
                url: url.to_string(),
                limit: spec.limit,
            })
        };
        // The declared length, when there is one, refuses early. It is not
        // trusted beyond that: the loop below counts what actually arrives.
        let declared = response.content_length();
        if spec.overflow == Overflow::Refuse && declared.is_some_and(|len| len > spec.limit) {
            return Err(too_large());
        }
        let limit = usize::try_from(spec.limit).unwrap_or(usize::MAX);
        let capacity = declared.map_or(0, |len| usize::try_from(len).unwrap_or(0).min(limit));
        let mut body = BytesMut::with_capacity(capacity);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| self.transport_failure(url, &error))?
        {
            if body.len() + chunk.len() > limit {
                match spec.overflow {
                    Overflow::Refuse => return Err(too_large()),
                    Overflow::Truncate => {
                        body.extend_from_slice(&chunk[..limit - body.len()]);
                        break;
                    }
                }
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            final_url,
            status,
            headers: response.headers().clone(),
            body: Some(body.freeze()),
        })
    }

    /// Sorts a transport error into what the retry loop needs to know,
    /// recovering the guard's and the redirect policy's own refusals from
    /// wherever the HTTP stack wrapped them.
    fn transport_failure(&self, url: &Url, error: &reqwest::Error) -> Failure {
        let failed_url = error.url().unwrap_or(url);
        if let Some(refusal) = find_source::<GuardRefusal>(error) {
            return Failure::Fatal(private_address(failed_url, refusal.clone()));
        }
        if let Some(refusal) = find_source::<RedirectRefusal>(error) {
            return Failure::Fatal(refusal.to_error(url));
        }
        // Before the timeout check: a connect timeout is a connection
        // failure, and its message says so.
        if error.is_connect() {
            return Failure::Connect(error_chain(error));
        }
        if error.is_timeout() {
            return Failure::Timeout;
        }
        if error.is_decode() {
            return Failure::Fatal(FetchError::Io {
                url: url.to_string(),
                message: error_chain(error),
            });
        }
        // The connection broke before or while the response came.
        Failure::Broken(error_chain(error))
    }

    async fn check_robots(&self, host: &HostState, url: &Url) -> Result<(), FetchError> {
        let mut entry = host.robots.lock().await;
        let now = tokio::time::Instant::now();
        if entry.as_ref().is_none_or(|e| e.expires <= now) {
            let (rules, ttl) = self.load_robots(host, url).await?;
            host.set_crawl_delay(rules.as_ref().and_then(|r| r.delay));
            *entry = Some(RobotsEntry {
                rules,
                expires: now + ttl,
            });
        }
        let path = &url[url::Position::BeforePath..url::Position::AfterQuery];
        let allowed = entry
            .as_ref()
            .and_then(|e| e.rules.as_ref())
            .is_none_or(|rules| rules.allowed(path));
        if allowed {
            Ok(())
        } else {
            Err(FetchError::RobotsDisallowed {
                url: url.to_string(),
            })
        }
    }

    /// Downloads and parses a host's robots.txt, once, without retries.
    ///
    /// * 2xx: its rules (unparseable: allow all).
    /// * 4xx: there are no rules for us (RFC 9309: "unavailable"): allow all.
    /// * 5xx, timeouts, connection errors: **allow all**, for
    ///   [`ROBOTS_ERROR_TTL`]. RFC 9309 would have us stop crawling the site,
    ///   but a news aggregator that goes blind whenever a site's robots.txt
    ///   endpoint hiccups serves nobody; the per-host interval and
    ///   concurrency limits still apply, so we stay a light load.
    /// * The guard refusing the host: that error, for the page.
    async fn load_robots(
        &self,
        host: &HostState,
        url: &Url,
    ) -> Result<(Option<texting_robots::Robot>, Duration), FetchError> {
        let ttl = Duration::from_secs(self.inner.options.robots_ttl_secs);
        let error_ttl = ttl.min(ROBOTS_ERROR_TTL);
        let robots_url = url
            .join("/robots.txt")
            .map_err(|error| FetchError::InvalidUrl {
                url: url.to_string(),
                reason: error.to_string(),
            })?;
        let spec = AttemptSpec {
            accept: "text/plain",
            etag: None,
            last_modified: None,
            limit: ROBOTS_MAX_BYTES.min(self.inner.options.max_body_bytes),
            overflow: Overflow::Truncate,
        };
        match self.attempt(host, &robots_url, &spec).await {
            Ok(Response {
                body: Some(body), ..
            }) => match texting_robots::Robot::new(ROBOTS_AGENT, &body) {
                Ok(rules) => Ok((Some(rules), ttl)),
                Err(error) => {
                    tracing::warn!(%robots_url, %error, "unreadable robots.txt, treating as allow-all");
                    Ok((None, ttl))
                }
            },
            Ok(Response { body: None, .. }) => Ok((None, error_ttl)),
            Err(Failure::Status { status, .. }) if status.is_client_error() => Ok((None, ttl)),
            // Named after the page asked for, not its robots.txt.
            Err(Failure::Fatal(FetchError::PrivateAddress {
                host, addr, class, ..
            })) => Err(FetchError::PrivateAddress {
                url: url.to_string(),
                host,
                addr,
                class,
            }),
            Err(failure) => {
                tracing::warn!(%robots_url, %failure, "robots.txt unavailable, treating as allow-all for now");
                Ok((None, error_ttl))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overflow {
    /// Pages and feeds: a body over the limit is an error.
    Refuse,
    /// robots.txt: keep what fits.
    Truncate,
}

#[derive(Debug)]
struct AttemptSpec<'a> {
    accept: &'static str,
    etag: Option<&'a str>,
    last_modified: Option<&'a str>,
    limit: u64,
    overflow: Overflow,
}

/// A 2xx (with body) or 304 (without).
#[derive(Debug)]
struct Response {
    final_url: Url,
    status: StatusCode,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl Response {
    fn into_outcome(self, attempts: u32, kind: FetchKind) -> FetchOutcome {
        let Some(body) = self.body else {
            return FetchOutcome::NotModified {
                final_url: self.final_url,
            };
        };
        let text = |name| {
            self.headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = text(header::CONTENT_TYPE);
        FetchOutcome::Fetched(FetchedBody {
            status: self.status.as_u16(),
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
            charset: content_type
                .as_deref()
                .and_then(charset::charset_from_content_type),
            content_type,
            body,
            attempts,
            kind,
            final_url: self.final_url,
        })
    }
}

/// Why one attempt failed.
#[derive(Debug)]
enum Failure {
    Timeout,
    /// No connection (retryable).
    Connect(String),
    /// The connection broke mid-exchange (retryable).
    Broken(String),
    Status {
        status: StatusCode,
        retry_after: Option<Duration>,
    },
    /// Not worth retrying.
    Fatal(FetchError),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Timeout => f.write_str("timed out"),
            Failure::Connect(message) | Failure::Broken(message) => f.write_str(message),
            Failure::Status { status, .. } => write!(f, "HTTP {status}"),
            Failure::Fatal(error) => error.fmt(f),
        }
    }
}

impl Failure {
    fn retryable(&self) -> bool {
        match self {
            Failure::Timeout | Failure::Connect(_) | Failure::Broken(_) => true,
            Failure::Status { status, .. } => {
                *status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
            }
            Failure::Fatal(_) => false,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    fn into_error(self, url: &Url, attempts: u32, options: &FetchOptions) -> FetchError {
        let url = url.to_string();
        match self {
            Failure::Timeout => FetchError::Timeout {
                url,
                timeout_ms: options.total_timeout_ms,
                attempts,
            },
            Failure::Connect(message) => FetchError::Connect {
                url,
                message,
                attempts,
            },
            Failure::Broken(message) => FetchError::Io { url, message },
            Failure::Status { status, .. } => FetchError::Status {
                url,
                status: status.as_u16(),
                attempts,
            },
            Failure::Fatal(error) => error,
        }
    }
}

/// Full-jitter exponential backoff: a uniformly random wait between zero and
/// `retry_base_ms · 2^(attempt-1)`, capped at `retry_max_ms`. The randomness
/// keeps many workers that failed together from retrying together.
fn backoff(attempt: u32, options: &FetchOptions) -> Duration {
    let ceiling = options
        .retry_base_ms
        .saturating_mul(2u64.saturating_pow(attempt.saturating_sub(1)))
        .min(options.retry_max_ms);
    // std's per-instance random hash keys are plenty for jitter.
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    Duration::from_millis(random % ceiling.saturating_add(1))
}

/// `Retry-After` as delay-seconds or an HTTP-date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A redirect the policy refused; carried as the source of reqwest's error.
#[derive(Debug)]
enum RedirectRefusal {
    Loop { repeated: Url },
    TooMany { max: usize },
    Scheme { url: Url },
    Private { url: String, refusal: GuardRefusal },
}

impl fmt::Display for RedirectRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedirectRefusal::Loop { repeated } => write!(f, "redirect loop at {repeated}"),
            RedirectRefusal::TooMany { max } => write!(f, "more than {max} redirects"),
            RedirectRefusal::Scheme { url } => write!(f, "redirect to {url}"),
            RedirectRefusal::Private { refusal, .. } => refusal.fmt(f),
        }
    }
}

impl StdError for RedirectRefusal {}

impl RedirectRefusal {
    fn to_error(&self, url: &Url) -> FetchError {
        let url_string = url.to_string();
        match self {
            RedirectRefusal::Loop { repeated } => FetchError::RedirectLoop {
                url: url_string,
                repeated: repeated.to_string(),
            },
            RedirectRefusal::TooMany { max } => FetchError::TooManyRedirects {
                url: url_string,
                max: *max,
            },
            RedirectRefusal::Scheme { url: target } => FetchError::UnsupportedScheme {
                url: target.to_string(),
                scheme: target.scheme().to_owned(),
            },
            RedirectRefusal::Private { url, refusal } => FetchError::PrivateAddress {
                url: url.clone(),
                host: refusal.host.clone(),
                addr: refusal.addr,
                class: refusal.class,
            },
        }
    }
}

fn redirect_policy(max: usize, guard_on: bool) -> Policy {
    Policy::custom(move |attempt| {
        match check_redirect(attempt.url(), attempt.previous(), max, guard_on) {
            Ok(()) => attempt.follow(),
            Err(refusal) => attempt.error(refusal),
        }
    })
}

/// One redirect hop. `previous` holds every URL requested so far in the
/// chain, the original one first.
fn check_redirect(
    next: &Url,
    previous: &[Url],
    max: usize,
    guard_on: bool,
) -> Result<(), RedirectRefusal> {
    if previous.contains(next) {
        return Err(RedirectRefusal::Loop {
            repeated: next.clone(),
        });
    }
    if previous.len() > max {
        return Err(RedirectRefusal::TooMany { max });
    }
    if !matches!(next.scheme(), "http" | "https") {
        return Err(RedirectRefusal::Scheme { url: next.clone() });
    }
    if guard_on {
        guard::check_literal_host(next).map_err(|refusal| RedirectRefusal::Private {
            url: next.to_string(),
            refusal,
        })?;
    }
    Ok(())
}

fn private_address(url: &Url, refusal: GuardRefusal) -> FetchError {
    FetchError::PrivateAddress {
        url: url.to_string(),
        host: refusal.host,
        addr: refusal.addr,
        class: refusal.class,
    }
}

fn find_source<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        current = error.source();
    }
    None
}

/// An error and its causes, `outer: inner: innermost` — reqwest's own
/// message alone ("error sending request") rarely says what went wrong.
fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut message = error.to_string();
    let mut current = error.source();
    while let Some(cause) = current {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        current = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test url")
    }

    #[test]
    fn redirect_hops_are_checked() {
        let start = [url("https://news.example/a")];
        assert!(check_redirect(&url("https://news.example/b"), &start, 5, true).is_ok());
        assert!(matches!(
            check_redirect(&url("https://news.example/a"), &start, 5, true),
            Err(RedirectRefusal::Loop { .. })
        ));
        assert!(matches!(
            check_redirect(&url("http://10.0.0.5/admin"), &start, 5, true),
            Err(RedirectRefusal::Private {
                refusal: GuardRefusal {
                    class: guard::AddressClass::Private,
                    ..
                },
                ..
            })
        ));
        assert!(check_redirect(&url("http://10.0.0.5/admin"), &start, 5, false).is_ok());
        assert!(matches!(
            check_redirect(&url("file:///etc/passwd"), &start, 5, false),
            Err(RedirectRefusal::Scheme { .. })
        ));
        let five: Vec<Url> = (0..5)
            .map(|i| url(&format!("https://n.example/{i}")))
            .collect();
        assert!(check_redirect(&url("https://n.example/x"), &five, 5, true).is_ok());
        let six: Vec<Url> = (0..6)
            .map(|i| url(&format!("https://n.example/{i}")))
            .collect();
        assert!(matches!(
            check_redirect(&url("https://n.example/x"), &six, 5, true),
            Err(RedirectRefusal::TooMany { max: 5 })
        ));
    }

    #[test]
    fn backoff_is_jittered_and_capped() {
        let options = FetchOptions {
            retry_base_ms: 100,
            retry_max_ms: 1_000,
            ..FetchOptions::default()
        };
        for _ in 0..100 {
            assert!(backoff(1, &options) <= Duration::from_millis(100));
            assert!(backoff(3, &options) <= Duration::from_millis(400));
            assert!(backoff(60, &options) <= Duration::from_millis(1_000));
        }
        let waits: std::collections::HashSet<_> = (0..50).map(|_| backoff(8, &options)).collect();
        assert!(waits.len() > 10, "waits should vary: {waits:?}");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_str(&later).expect("date header"),
        );
        let wait = retry_after(&headers).expect("date is read");
        assert!(wait > Duration::from_secs(110) && wait <= Duration::from_secs(120));
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}
