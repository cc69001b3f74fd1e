//! The one error type of the fetcher. Every message names the URL and says
//! what happened in words an operator can act on.

use std::net::IpAddr;

use crate::guard::AddressClass;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The options cannot make a working fetcher.
    #[error("invalid fetch options: {0}")]
    InvalidOptions(String),
    /// The URL does not parse, or has no host.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// Only `http` and `https` are fetched (also on redirects).
    #[error("refused {url}: the {scheme:?} scheme is not fetched (only http and https are)")]
    UnsupportedScheme { url: String, scheme: String },
    /// The private-network guard refused the host; nothing was sent to it.
    #[error(
        "refused {url}: host {host} resolves to {addr}, a {class} address, which is private \
         to this network (set fetch.allow_private_networks = true for intranets)"
    )]
    PrivateAddress {
        url: String,
        host: String,
        addr: IpAddr,
        class: AddressClass,
    },
    /// The site's robots.txt disallows this page for huiwen.
    #[error("{url} is disallowed for huiwen by the site's robots.txt")]
    RobotsDisallowed { url: String },
    /// The body is larger than `fetch.max_body_bytes` (after decompression).
    #[error("{url}: body is larger than fetch.max_body_bytes = {limit} bytes; stopped reading")]
    TooLarge { url: String, limit: u64 },
    /// No attempt finished within `fetch.total_timeout_ms`.
    #[error(
        "{url}: timed out, the server did not finish answering within \
         fetch.total_timeout_ms = {timeout_ms} ms (after {attempts} attempt(s))"
    )]
    Timeout {
        url: String,
        timeout_ms: u64,
        attempts: u32,
    },
    /// More redirects than `fetch.max_redirects`.
    #[error("{url}: more than {max} redirects (fetch.max_redirects)")]
    TooManyRedirects { url: String, max: usize },
    /// A redirect chain came back to a URL it had already visited.
    #[error("{url}: redirect loop, {repeated} was already visited in this redirect chain")]
    RedirectLoop { url: String, repeated: String },
    /// The server answered with a status that is not a success, after the
    /// retries a 429 or 5xx gets.
    #[error("{url}: the server answered HTTP {status} (after {attempts} attempt(s))")]
    Status {
        url: String,
        status: u16,
        attempts: u32,
    },
    /// No connection could be made (refused, reset, DNS failure, TLS failure).
    #[error("{url}: cannot connect (after {attempts} attempt(s)): {message}")]
    Connect {
        url: String,
        message: String,
        attempts: u32,
    },
    /// The connection broke or the body could not be read or decompressed.
    #[error("{url}: error while reading the response: {message}")]
    Io { url: String, message: String },
}

impl FetchError {
    /// The URL concerned: the one asked for or, when the guard or the scheme
    /// check refused a redirect target, that target. Empty for
    /// [`FetchError::InvalidOptions`].
    pub fn url(&self) -> &str {
        match self {
            FetchError::InvalidOptions(_) => "",
            FetchError::InvalidUrl { url, .. }
            | FetchError::UnsupportedScheme { url, .. }
            | FetchError::PrivateAddress { url, .. }
            | FetchError::RobotsDisallowed { url }
            | FetchError::TooLarge { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::RedirectLoop { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::Connect { url, .. }
            | FetchError::Io { url, .. } => url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_address_message_tells_the_operator_what_to_do() {
        let error = FetchError::PrivateAddress {
            url: "https://x/".into(),
            host: "x".into(),
            addr: IpAddr::from([127, 0, 0, 1]),
            class: AddressClass::Loopback,
        };
        assert_eq!(
            error.to_string(),
            "refused https://x/: host x resolves to 127.0.0.1, a loopback address, which is \
             private to this network (set fetch.allow_private_networks = true for intranets)"
        );
    }
}
