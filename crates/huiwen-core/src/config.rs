//! The typed configuration.
//!
//! Layers, later ones winning: built-in defaults → the TOML file (`--config`,
//! else `./huiwen.toml` when present) → `HUIWEN_*` environment variables →
//! command-line flags (applied by the binary).
//!
//! Every key has an environment variable named after its path:
//! `import.batch_size` is `HUIWEN_IMPORT_BATCH_SIZE`. The list is derived
//! from the defaults, so a new key gets its variable without anyone
//! remembering to add it.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::time::Zone;

/// Everything huiwen can be told. See [`EXAMPLE`] for each key's meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub data_dir: PathBuf,
    pub db: String,
    pub timezone: Zone,
    pub log: String,
    pub import: ImportConfig,
    pub store: StoreConfig,
    pub fetch: FetchConfig,
    pub ingest: IngestConfig,
}

/// The fetch loop: how many sources at once, how intervals adapt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    pub concurrency: usize,
    pub min_interval_secs: u32,
    pub max_interval_secs: u32,
    pub claim_lease_secs: u32,
    pub idle_poll_secs: u32,
    pub cst_means_china: bool,
    /// Article links a list page source may follow per fetch.
    pub follow_links: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            concurrency: 8,
            min_interval_secs: 120,
            max_interval_secs: 6 * 3600,
            claim_lease_secs: 300,
            idle_poll_secs: 15,
            cst_means_china: true,
            follow_links: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportConfig {
    pub batch_size: usize,
    pub max_body_bytes: usize,
    pub max_rejects: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    pub sqlite_busy_timeout_ms: u64,
    pub postgres_max_connections: u32,
    /// Connections ingest writes through (articles, claims, fetch state).
    /// A write keeps the server's CPU busy from its first statement to its
    /// commit, so writers beyond the server's cores only take turns on
    /// them: on a 2-core machine, 3 writers ingested 7-11 % faster than 8.
    pub postgres_writer_connections: u32,
    pub postgres_schema: String,
}

/// How the fetcher (`huiwen-fetch`) behaves: the `[fetch]` section. Every field has a default chosen for polling
/// news sites from one machine; see each field for what it bounds and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
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

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
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

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./huiwen-data"),
            db: String::new(),
            timezone: Zone::default(),
            log: "info".into(),
            import: ImportConfig::default(),
            store: StoreConfig::default(),
            fetch: FetchConfig::default(),
            ingest: IngestConfig::default(),
        }
    }
}

impl Default for ImportConfig {
    fn default() -> Self {
        ImportConfig {
            batch_size: 1000,
            max_body_bytes: 2 * 1024 * 1024,
            max_rejects: 100,
        }
    }
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            sqlite_busy_timeout_ms: 10_000,
            postgres_max_connections: 8,
            postgres_writer_connections: 3,
            postgres_schema: String::new(),
        }
    }
}

/// A commented example covering every key, with the default values.
/// `huiwen config example` prints it; a test checks it covers every key.
pub const EXAMPLE: &str = r#"# huiwen.toml — every key, with its default value.
# Each key can also be set by an environment variable named after its path
# (data_dir → HUIWEN_DATA_DIR, import.batch_size → HUIWEN_IMPORT_BATCH_SIZE);
# flags such as --data-dir and --db win over both.

# Where the embedded SQLite store (huiwen.db) and other state live.
data_dir = "./huiwen-data"

# The store. Empty: SQLite in data_dir (the default, nothing to set up).
# "sqlite:///path/to/file.db" for a SQLite file elsewhere;
# "postgres://user@host:5432/dbname" for PostgreSQL, shared by several
# ingest workers and web replicas.
db = ""

# The zone for times that carry no offset (most Chinese sources write
# "2026-01-20 16:00:42"), and for --since/--until without one.
timezone = "Asia/Shanghai"

# Log filter (tracing EnvFilter syntax: "warn", "info", "huiwen_store_sqlite=debug").
# RUST_LOG wins over it when set.
log = "info"

[import]
# Records written per transaction.
batch_size = 1000
# Largest article body (HTML plus text, bytes); larger records are rejected.
max_body_bytes = 2097152
# How many rejected records are listed in a summary (the counts stay exact).
max_rejects = 100

[store]
# How long a SQLite writer waits for another writer before giving up.
sqlite_busy_timeout_ms = 10000
# Connection pool size for PostgreSQL (readers: the web pages, the API).
postgres_max_connections = 8
# Connections ingest writes through. Writes keep the server's CPU busy, so
# more writers than the server has cores (plus one) only take turns.
postgres_writer_connections = 3
# PostgreSQL schema to keep huiwen's tables in (created if missing).
# Empty: the connection's default search_path (usually "public").
postgres_schema = ""

[fetch]
# Where a site operator can learn who we are; sent as the User-Agent
# "huiwen/VERSION (+CONTACT)". Set it to your site or a contact page.
user_agent_contact = "https://github.com/huiwen/huiwen"
# Time allowed to connect, and for one attempt from connect to last byte.
connect_timeout_ms = 10000
total_timeout_ms = 30000
# Largest body accepted (after decompression); larger is an error.
max_body_bytes = 10485760
# Redirects followed per fetch (loops are detected and refused).
max_redirects = 5
# Attempts per fetch on timeouts, connection errors, 429 and 5xx, with
# exponential backoff and jitter from retry_base_ms up to retry_max_ms
# (also the cap on a server's Retry-After).
max_attempts = 3
retry_base_ms = 500
retry_max_ms = 60000
# Politeness per host: minimum gap between request starts (robots.txt
# Crawl-delay can raise it) and requests in flight at once.
per_host_min_interval_ms = 1000
per_host_concurrency = 2
# How long a host's robots.txt is trusted (page fetches obey it; feeds are
# published to be polled).
robots_ttl_secs = 3600
# Fetch URLs that resolve to loopback, private, link-local, CGNAT or other
# internal addresses. Off: feeds and redirects from the internet cannot make
# huiwen reach into the network it runs in. On: for intranet sources.
allow_private_networks = false

[ingest]
# Sources fetched at once by one worker (each host still gets its own limits).
concurrency = 8
# Each source's interval adapts: halved while new items arrive, grown by half
# while nothing changes, always within these bounds. `source add --every`
# sets where it starts.
min_interval_secs = 120
max_interval_secs = 21600
# A worker's claim on the sources it is fetching; if it dies, they are free
# again after this long.
claim_lease_secs = 300
# How long an idle worker waits before looking for due sources again.
idle_poll_secs = 15
# Whether the zone name "CST" in feed dates means China Standard Time (+08:00)
# rather than US Central (-06:00).
cst_means_china = true
# A page source that turns out to be a list (a channel or home page): how
# many of its article links not stored yet are fetched and extracted per
# fetch. Full-text feeds fetch the page of every new entry.
follow_links = 20
"#;

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {var}={value:?} is not valid: {message}")]
    Env {
        var: String,
        value: String,
        message: String,
    },
    #[error("configuration is not valid: {0}")]
    Invalid(String),
}

/// Where the embedded store lives when `db` is empty.
pub const SQLITE_FILE_NAME: &str = "huiwen.db";

/// Which store a config points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Config {
    /// Loads defaults, then `file` (when given, it must exist; otherwise
    /// `./huiwen.toml` is read if present), then the `HUIWEN_*` variables of
    /// `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut table = defaults_table();
        let implicit = Path::new("huiwen.toml");
        let path = match file {
            Some(p) => Some(p.to_path_buf()),
            None if implicit.is_file() => Some(implicit.to_path_buf()),
            None => None,
        };
        if let Some(path) = path {
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            let file_table: toml::Table =
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
            merge(&mut table, file_table);
            // Reject unknown keys and wrong types with the file's name on them.
            toml::Value::Table(table.clone())
                .try_into::<Config>()
                .map_err(|e| ConfigError::Parse {
                    path,
                    message: e.to_string(),
                })?;
        }
        let env: std::collections::HashMap<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with("HUIWEN_"))
            .collect();
        if !env.is_empty() {
            let defaults = defaults_table();
            apply_env(&mut table, &defaults, "HUIWEN", &env)?;
        }
        toml::Value::Table(table)
            .try_into::<Config>()
            .map_err(|e| ConfigError::Invalid(e.to_string()))
    }

    /// Every key as `section.key`, in the order of the defaults.
    pub fn keys() -> Vec<String> {
        let mut out = Vec::new();
        collect_keys(&defaults_table(), "", &mut out);
        out
    }

    pub fn store_location(&self) -> Result<StoreLocation, ConfigError> {
        let db = self.db.trim();
        if db.is_empty() {
            Ok(StoreLocation::Sqlite(self.data_dir.join(SQLITE_FILE_NAME)))
        } else if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            Ok(StoreLocation::Postgres(db.to_string()))
        } else if let Some(path) = db.strip_prefix("sqlite://") {
            Ok(StoreLocation::Sqlite(PathBuf::from(path)))
        } else {
            Err(ConfigError::Invalid(format!(
                "db = {db:?}: expected empty (SQLite in data_dir), sqlite://PATH or postgres://URL"
            )))
        }
    }

    /// The config as TOML, as `huiwen config show` prints it.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot render config: {e}\n"))
    }
}

fn defaults_table() -> toml::Table {
    match toml::Value::try_from(Config::default()) {
        Ok(toml::Value::Table(t)) => t,
        _ => unreachable!("Config serializes to a table"),
    }
}

fn collect_keys(table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
    for (k, v) in table {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => collect_keys(t, &path, out),
            _ => out.push(path),
        }
    }
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn apply_env(
    table: &mut toml::Table,
    defaults: &toml::Table,
    prefix: &str,
    env: &std::collections::HashMap<String, String>,
) -> Result<(), ConfigError> {
    for (key, default) in defaults {
        let var = format!("{prefix}_{}", key.to_ascii_uppercase());
        match default {
            toml::Value::Table(sub_defaults) => {
                if let Some(toml::Value::Table(sub)) = table.get_mut(key) {
                    apply_env(sub, sub_defaults, &var, env)?;
                }
            }
            _ => {
                if let Some(raw) = env.get(&var) {
                    let bad = |message: &str| ConfigError::Env {
                        var: var.clone(),
                        value: raw.clone(),
                        message: message.into(),
                    };
                    let value = match default {
                        toml::Value::Integer(_) => toml::Value::Integer(
                            raw.trim().parse().map_err(|_| bad("expected an integer"))?,
                        ),
                        toml::Value::Float(_) => toml::Value::Float(
                            raw.trim().parse().map_err(|_| bad("expected a number"))?,
                        ),
                        toml::Value::Boolean(_) => {
                            toml::Value::Boolean(match raw.trim().to_ascii_lowercase().as_str() {
                                "1" | "true" | "yes" | "on" => true,
                                "0" | "false" | "no" | "off" | "" => false,
                                _ => return Err(bad("expected true/false or 1/0")),
                            })
                        }
                        _ => toml::Value::String(raw.clone()),
                    };
                    table.insert(key.clone(), value);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env() -> Vec<(String, String)> {
        Vec::new()
    }

    #[test]
    fn example_is_the_defaults_and_covers_every_key() {
        let parsed: Config = toml::from_str(EXAMPLE).expect("example parses");
        assert_eq!(parsed, Config::default());
        let example_table: toml::Table = toml::from_str(EXAMPLE).expect("table");
        let mut example_keys = Vec::new();
        collect_keys(&example_table, "", &mut example_keys);
        example_keys.sort();
        let mut keys = Config::keys();
        keys.sort();
        assert_eq!(example_keys, keys);
    }

    #[test]
    fn file_then_env_override_in_order() {
        let dir = std::env::temp_dir().join(format!("huiwen-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("huiwen.toml");
        std::fs::write(
            &file,
            "data_dir = \"/srv/news\"\n[import]\nbatch_size = 50\n",
        )
        .expect("write");
        let env = vec![
            ("HUIWEN_IMPORT_BATCH_SIZE".to_string(), "75".to_string()),
            ("HUIWEN_DB".to_string(), "postgres://u@h/db".to_string()),
            ("UNRELATED".to_string(), "x".to_string()),
        ];
        let c = Config::load(Some(&file), env).expect("loads");
        assert_eq!(c.data_dir, PathBuf::from("/srv/news"));
        assert_eq!(c.import.batch_size, 75);
        assert_eq!(
            c.store_location().expect("loc"),
            StoreLocation::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(c.import.max_rejects, ImportConfig::default().max_rejects);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn mistakes_are_named() {
        let dir = std::env::temp_dir().join(format!("huiwen-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("bad.toml");
        std::fs::write(&file, "[import]\nbatch_sise = 5\n").expect("write");
        let err = Config::load(Some(&file), no_env()).expect_err("typo");
        assert!(err.to_string().contains("batch_sise"), "{err}");
        let err = Config::load(
            None,
            vec![("HUIWEN_IMPORT_BATCH_SIZE".into(), "many".into())],
        )
        .expect_err("bad env");
        assert!(
            err.to_string().contains("HUIWEN_IMPORT_BATCH_SIZE"),
            "{err}"
        );
        let err = Config::load(Some(&dir.join("missing.toml")), no_env()).expect_err("missing");
        assert!(matches!(err, ConfigError::Read { .. }));
        let c = Config {
            db: "mysql://x".into(),
            ..Config::default()
        };
        assert!(c.store_location().is_err());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn every_key_has_a_working_variable() {
        // Each key's variable, set to a value different from its default,
        // must change that key: no key is left without a variable.
        let defaults = toml::Value::try_from(Config::default()).expect("table");
        for key in Config::keys() {
            let var = format!("HUIWEN_{}", key.replace('.', "_").to_ascii_uppercase());
            let default = key.split('.').fold(&defaults, |v, part| &v[part]);
            let value = match default {
                toml::Value::Integer(n) => (n + 1).to_string(),
                toml::Value::Boolean(b) => (!b).to_string(),
                _ if key == "timezone" => "Europe/Paris".to_string(),
                _ => "postgres://changed@host/db".to_string(),
            };
            let loaded = Config::load(None, vec![(var.clone(), value)])
                .unwrap_or_else(|e| panic!("{var}: {e}"));
            let loaded = toml::Value::try_from(loaded).expect("table");
            let got = key.split('.').fold(&loaded, |v, part| &v[part]);
            assert_ne!(got, default, "{var} did not change {key}");
        }
    }
}
