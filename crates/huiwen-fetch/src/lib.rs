//! # huiwen-fetch — the polite and safe HTTP fetcher
//!
//! The first stage of the pipeline (**fetch** → parse feeds → extract → …):
//! it gets the bytes of feeds and article pages off the web and nothing else.
//! Parsing and extraction are later stages; what this crate hands on is a
//! [`FetchedBody`] (final URL, validators, content type, the body) that
//! [`FetchedBody::decode`] turns into text.
//!
//! * [`Fetcher`]: one HTTP client (rustls, gzip/brotli/deflate, no proxy) for
//!   the whole process, cheap to clone, built from [`FetchOptions`] (the
//!   future `[fetch]` section of `huiwen.toml`).
//! * [`Fetcher::fetch`] takes a [`FetchRequest`] (URL, [`FetchKind::Feed`] or
//!   [`FetchKind::Page`], the ETag / Last-Modified of the copy we have) and
//!   returns a [`FetchOutcome`]: `NotModified` or `Fetched`.
//! * [`charset`]: bytes to text for Chinese sites (GBK, GB18030, Big5,
//!   UTF-8), trusting declarations only as far as they decode cleanly.
//! * [`guard`]: which addresses are never fetched.
//! * [`FetchError`]: everything that can go wrong, each message naming the
//!   URL and, where there is one, the setting to change.
//!
//! ## Why each rule exists
//!
//! **We identify ourselves.** Every request says `huiwen/VERSION (+CONTACT)`,
//! so a site operator who sees us in their logs can find out who we are and
//! ask us to slow down or stop, instead of blocking an anonymous bot.
//!
//! **One host, a few requests, spaced out.** Requests to a host (an origin)
//! hold one of `per_host_concurrency` permits and start at least
//! `per_host_min_interval_ms` apart. A small outlet's server should not
//! notice us, however many of its pages a feed links at once; and politeness
//! keeps us from being rate-limited or banned, which costs more than the wait.
//!
//! **robots.txt for pages, not for feeds.** A page fetch first consults the
//! host's robots.txt (fetched through the same client and guard, cached for
//! `robots_ttl_secs`, parsed by `texting_robots` for the agent `huiwen`); a
//! disallowed page is [`FetchError::RobotsDisallowed`]. A `Crawl-delay`
//! raises that host's minimum interval for every later request (capped at a
//! minute). Feeds are exempt: a site publishes a feed precisely so that
//! readers poll it. A robots.txt that is missing (4xx) allows everything, as
//! RFC 9309 says; one that fails (5xx, timeout) is also treated as allowing
//! everything, for five minutes, rather than blinding us to the site — see
//! the note on `load_robots` in the source for the reasoning.
//!
//! **Conditional GET.** Feeds are polled every few minutes and mostly have
//! not changed; sending `If-None-Match` / `If-Modified-Since` turns most
//! polls into a bodiless 304 ([`FetchOutcome::NotModified`]).
//!
//! **Retries with backoff, honouring Retry-After.** Timeouts, connection
//! errors, 429 and 5xx are retried up to `max_attempts` times, waiting a
//! random time up to `retry_base_ms · 2^n` (full jitter, so workers that
//! failed together do not retry together), or what a 429/503's `Retry-After`
//! asks, capped at `retry_max_ms`. Other 4xx are final at once: asking again
//! will not change the answer.
//!
//! **Bounded in size and time.** A body over `max_body_bytes` is refused —
//! early when `Content-Length` says so, otherwise as soon as the count passes
//! the cap, counting decompressed bytes so a small gzip bomb cannot blow up
//! in memory. `total_timeout_ms` bounds each attempt from connect to the
//! last byte, so a server that trickles a byte a second cannot hold a worker
//! forever. Redirects are limited to `max_redirects`, and a chain that
//! revisits a URL is a [`FetchError::RedirectLoop`] at once.
//!
//! **No fetching into our own network (SSRF guard), on by default.** The
//! URLs we fetch come from feeds, pages and redirects that anyone can write.
//! Without a guard, `http://169.254.169.254/` (a cloud metadata service) or a
//! public name whose DNS answer is `10.0.0.5` would have huiwen fetch
//! internal services on an attacker's behalf. So the client's only resolver
//! drops loopback, private, link-local, unique-local, CGNAT, unspecified,
//! broadcast, multicast, documentation and reserved addresses (IPv4-mapped
//! IPv6 forms included) **after** resolution, at connect time; IP-literal
//! hosts are checked before the request and on every redirect hop; and no
//! proxy is used, since a proxy would resolve names out of the guard's sight.
//! A refusal is [`FetchError::PrivateAddress`], naming the host and the
//! address, never a silent skip. `allow_private_networks = true` turns the
//! guard off for deployments that aggregate intranet sources.
//!
//! Politeness and robots.txt apply to the URL asked for; redirect targets on
//! other hosts are followed within the same attempt.

pub mod charset;
mod error;
mod fetcher;
pub mod guard;
mod options;
mod politeness;

pub use charset::{CharsetSource, Decoded};
pub use error::FetchError;
pub use fetcher::{FetchKind, FetchOutcome, FetchRequest, FetchedBody, Fetcher, ROBOTS_AGENT};
pub use guard::AddressClass;
pub use options::{user_agent, FetchOptions};
