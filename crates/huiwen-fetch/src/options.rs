//! [`FetchOptions`]: everything the fetcher can be told, shaped to become the
//! `[fetch]` section of `huiwen.toml`.

use serde::{Deserialize, Serialize};

/// How the fetcher behaves. Every field has a default chosen for polling
/// news sites from one machine; see each field for what it bounds and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchOptions {
    /// Where a site operator can learn who we are and ask us to stop; sent in
    /// the User-Agent as `huiwen/VERSION (+CONTACT)`.
    pub user_agent_contact: String,
    /// Time allowed to open a TCP (and TLS) connection.
    pub connect_timeout_ms: u64,
    /// Time allowed for one attempt, from connecting to the last body byte.
    /// Bounds slow-drip servers too: a body that never ends still ends here.
    /// A fetch that retries can take up to `max_attempts` times this, plus
    /// the waits between attempts.
    pub total_timeout_ms: u64,
    /// Largest body accepted, counted after decompression (so a small gzip
    /// bomb cannot expand past it).
    pub max_body_bytes: u64,
    /// Redirects followed per fetch.
    pub max_redirects: usize,
    /// Attempts per fetch, the first included; at least 1.
    pub max_attempts: u32,
    /// Base of the exponential backoff between attempts.
    pub retry_base_ms: u64,
    /// Longest wait between attempts, also the cap on a server's `Retry-After`.
    pub retry_max_ms: u64,
    /// Minimum time between the starts of two requests to the same host;
    /// a robots.txt `Crawl-delay` can raise it for that host.
    pub per_host_min_interval_ms: u64,
    /// Requests in flight to one host at a time; at least 1.
    pub per_host_concurrency: usize,
    /// How long a host's robots.txt is trusted before it is fetched again.
    pub robots_ttl_secs: u64,
    /// Turns the private-network guard off, for deployments that aggregate
    /// intranet sources. Off by default: see the crate documentation.
    pub allow_private_networks: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            user_agent_contact: "https://github.com/huiwen/huiwen".into(),
            connect_timeout_ms: 10_000,
            total_timeout_ms: 30_000,
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            max_attempts: 3,
            retry_base_ms: 500,
            retry_max_ms: 60_000,
            per_host_min_interval_ms: 1_000,
            per_host_concurrency: 2,
            robots_ttl_secs: 3_600,
            allow_private_networks: false,
        }
    }
}

impl FetchOptions {
    /// The User-Agent header every request carries.
    pub fn user_agent(&self) -> String {
        format!(
            "huiwen/{} (+{})",
            env!("CARGO_PKG_VERSION"),
            self.user_agent_contact
        )
    }

    /// Rejects values that would make the fetcher useless or hang, naming
    /// the config key.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let positive = [
            ("fetch.max_attempts", u64::from(self.max_attempts)),
            (
                "fetch.per_host_concurrency",
                self.per_host_concurrency as u64,
            ),
            ("fetch.connect_timeout_ms", self.connect_timeout_ms),
            ("fetch.total_timeout_ms", self.total_timeout_ms),
        ];
        for (key, value) in positive {
            if value == 0 {
                return Err(format!("{key} must be at least 1"));
            }
        }
        if self.user_agent_contact.trim().is_empty() {
            return Err(
                "fetch.user_agent_contact must name a URL or address where site operators can reach you"
                    .into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_partial_config() {
        let options = FetchOptions::default();
        assert_eq!(options.max_body_bytes, 10 * 1024 * 1024);
        assert!(!options.allow_private_networks);
        assert_eq!(
            options.user_agent(),
            format!(
                "huiwen/{} (+https://github.com/huiwen/huiwen)",
                env!("CARGO_PKG_VERSION")
            )
        );
        let parsed: FetchOptions =
            serde_json::from_str(r#"{"max_attempts": 5}"#).expect("partial config");
        assert_eq!(parsed.max_attempts, 5);
        assert_eq!(parsed.retry_base_ms, 500);
        let unknown = serde_json::from_str::<FetchOptions>(r#"{"max_attempt": 5}"#)
            .expect_err("unknown keys are refused");
        assert!(unknown.to_string().contains("max_attempt"), "{unknown}");
    }

    #[test]
    fn zero_concurrency_is_refused_by_name() {
        let options = FetchOptions {
            per_host_concurrency: 0,
            ..FetchOptions::default()
        };
        let message = options.validate().expect_err("zero concurrency");
        assert!(message.contains("fetch.per_host_concurrency"), "{message}");
    }
}
