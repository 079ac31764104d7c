//! The service's settings: defaults, then a TOML file, then `MAGDIT_…` environment variables
//! (nested keys with `__`, e.g. `MAGDIT_LIMITS__BODY_BYTES`), then `DATABASE_URL`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// Everything `magdit serve` can be told.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// Where the embedded SQLite store lives (created on first start).
    pub data_dir: PathBuf,
    /// A store URL (`postgres://…` or `sqlite://…`); empty = SQLite in `data_dir`.
    pub database_url: String,
    /// `pretty` for people, `json` for log collectors.
    pub log_format: LogFormat,
    pub limits: Limits,
    pub sessions: Sessions,
    pub retention: Retention,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Bounds on what a request may cost.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest request body in bytes, except roster imports.
    pub body_bytes: usize,
    /// Largest roster import in bytes.
    pub import_bytes: usize,
    /// A request that takes longer is answered 503.
    pub request_timeout_ms: u64,
    /// Most items a list endpoint returns per page.
    pub page_size_max: u32,
}

/// How long a login lasts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sessions {
    /// A browser session ends after this many minutes without a request.
    pub idle_minutes: u32,
    /// …and after this many hours in any case.
    pub absolute_hours: u32,
    /// Mark the session cookie `Secure` (sent over HTTPS only). Off only for local trials.
    pub secure_cookie: bool,
}

/// When the service applies the schools' retention periods.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Retention {
    /// Purge expired records at start and then every this many minutes; 0: never (run
    /// `magdit retention purge` from cron instead).
    pub purge_interval_minutes: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { purge_interval_minutes: 60 }
    }
}

impl Retention {
    /// The interval, if the service purges at all.
    pub fn interval(&self) -> Option<std::time::Duration> {
        (self.purge_interval_minutes > 0).then(|| std::time::Duration::from_secs(60 * u64::from(self.purge_interval_minutes)))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            log_format: LogFormat::Pretty,
            limits: Limits::default(),
            sessions: Sessions::default(),
            retention: Retention::default(),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        // 2 MiB holds the largest situation text (1 MiB) with room for its JSON escaping.
        Limits { body_bytes: 2 * 1024 * 1024, import_bytes: 20 * 1024 * 1024, request_timeout_ms: 10_000, page_size_max: 500 }
    }
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions { idle_minutes: 60, absolute_hours: 12, secure_cookie: true }
    }
}

impl Sessions {
    pub fn idle(&self) -> time::Duration {
        time::Duration::minutes(i64::from(self.idle_minutes))
    }

    pub fn absolute(&self) -> time::Duration {
        time::Duration::hours(i64::from(self.absolute_hours))
    }
}

/// A configuration that cannot be used, with the key at fault.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(String);

impl Config {
    /// Reads the defaults, `file` if given (it must exist), and the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError(format!("file {} does not exist", path.display())));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        figment = figment
            .merge(Env::prefixed("MAGDIT_").split("__").ignore(&["lang"]))
            .merge(Env::raw().only(&["DATABASE_URL"]).map(|_| "database_url".into()));
        let config: Config = figment.extract().map_err(|e| ConfigError(e.to_string()))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, what: &str| Err(ConfigError(format!("`{key}` {what}")));
        if self.limits.body_bytes < 1024 {
            return bad("limits.body_bytes", "must be at least 1024");
        }
        if self.limits.request_timeout_ms == 0 {
            return bad("limits.request_timeout_ms", "must be positive");
        }
        if self.limits.page_size_max == 0 {
            return bad("limits.page_size_max", "must be positive");
        }
        if self.sessions.idle_minutes == 0 || self.sessions.absolute_hours == 0 {
            return bad("sessions", "idle_minutes and absolute_hours must be positive");
        }
        Ok(())
    }

    /// The store to open: `database_url`, or the SQLite file in `data_dir`.
    pub fn store_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("magdit.db").display())
        } else {
            self.database_url.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("magdit.toml", "listen = \"0.0.0.0:9000\"\n[limits]\nbody_bytes = 4096\n")?;
            jail.set_env("MAGDIT_LIMITS__PAGE_SIZE_MAX", "50");
            jail.set_env("DATABASE_URL", "postgres://db/magdit");
            let c = Config::load(Some(Path::new("magdit.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(c.listen.port(), 9000);
            assert_eq!(c.limits.body_bytes, 4096);
            assert_eq!(c.limits.page_size_max, 50);
            assert_eq!(c.store_url(), "postgres://db/magdit");
            Ok(())
        });
    }

    #[test]
    fn unknown_key_is_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("magdit.toml", "[limits]\nbody_byte = 4096\n")?;
            let err = Config::load(Some(Path::new("magdit.toml"))).unwrap_err().to_string();
            assert!(err.contains("body_byte"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn purging_can_be_left_to_cron() {
        figment::Jail::expect_with(|jail| {
            assert_eq!(Config::load(None).map_err(|e| e.to_string())?.retention.interval(), Some(std::time::Duration::from_secs(3600)));
            jail.set_env("MAGDIT_RETENTION__PURGE_INTERVAL_MINUTES", "0");
            assert_eq!(Config::load(None).map_err(|e| e.to_string())?.retention.interval(), None);
            Ok(())
        });
    }

    #[test]
    fn default_store_is_sqlite_in_data_dir() {
        let c = Config { data_dir: PathBuf::from("/var/lib/magdit"), ..Config::default() };
        assert_eq!(c.store_url(), "sqlite:///var/lib/magdit/magdit.db");
    }
}
