//! [`FetchOptions`]: everything the fetcher can be told, shaped to become the
//! `[fetch]` section of `huiwen.toml`.

/// How the fetcher behaves: the `[fetch]` section of the configuration,
/// defined in `huiwen-core` so the config file knows it.
pub use huiwen_core::config::FetchConfig as FetchOptions;

/// The User-Agent header every request carries.
pub fn user_agent(options: &FetchOptions) -> String {
    format!(
        "huiwen/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        options.user_agent_contact
    )
}

/// Rejects values that would make the fetcher useless or hang, naming the
/// config key.
pub(crate) fn validate(options: &FetchOptions) -> Result<(), String> {
    let this = options;
    {
        let positive = [
            ("fetch.max_attempts", u64::from(this.max_attempts)),
            (
                "fetch.per_host_concurrency",
                this.per_host_concurrency as u64,
            ),
            ("fetch.connect_timeout_ms", this.connect_timeout_ms),
            ("fetch.total_timeout_ms", this.total_timeout_ms),
        ];
        for (key, value) in positive {
            if value == 0 {
                return Err(format!("{key} must be at least 1"));
            }
        }
        if this.user_agent_contact.trim().is_empty() {
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
            user_agent(&options),
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
        let message = validate(&options).expect_err("zero concurrency");
        assert!(message.contains("fetch.per_host_concurrency"), "{message}");
    }
}
