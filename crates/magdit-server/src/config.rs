//! The service's settings: defaults, then a TOML file, then `MAGDIT_…` environment variables
//! (nested keys with `__`, e.g. `MAGDIT_LIMITS__BODY_BYTES`), then `DATABASE_URL`.

use std::collections::BTreeMap;
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
    pub oidc: Oidc,
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

/// Login with a school's own accounts over OpenID Connect (Microsoft Entra ID, Google
/// Workspace, …): `[oidc.providers.<name>]`, none by default.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Oidc {
    /// By name, which appears in the login URLs (`/api/v1/auth/oidc/<name>/start`).
    pub providers: BTreeMap<String, OidcProvider>,
}

/// One identity provider, registered there as a confidential web client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProvider {
    /// The issuer, exactly as the provider's tokens name it; its discovery document is at
    /// `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// Best set by environment: `MAGDIT_OIDC__PROVIDERS__<NAME>__CLIENT_SECRET`.
    pub client_secret: Secret,
    /// The login button's text, e.g. "Inloggen met Microsoft".
    pub display_name: String,
    /// The public callback URL, as registered at the provider:
    /// `https://<host>/api/v1/auth/oidc/<name>/callback`.
    pub redirect_url: String,
    /// When not empty, only these e-mail domains may log in (and, for Google Workspace, only
    /// these hosted domains, `hd`).
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
}

fn default_scopes() -> Vec<String> {
    ["openid", "email", "profile"].map(String::from).to_vec()
}

/// A secret setting: kept out of `Debug` output and so out of logs.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
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
            oidc: Oidc::default(),
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

impl OidcProvider {
    /// The key at fault (under `oidc.providers.<name>`) and what is wrong with it.
    fn check(&self, name: &str) -> Result<(), (&'static str, String)> {
        if name.is_empty() || name.len() > 32 || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(("", "names 1 to 32 of a-z, 0-9 and - (it is part of the login URLs)".into()));
        }
        web_url(&self.issuer).map_err(|e| ("issuer", e))?;
        let callback = web_url(&self.redirect_url).map_err(|e| ("redirect_url", e))?;
        let path = format!("/api/v1/auth/oidc/{name}/callback");
        if !callback.path().ends_with(&path) || callback.query().is_some() {
            return Err(("redirect_url", format!("must end in `{path}`")));
        }
        let required = [("client_id", &self.client_id), ("client_secret", &self.client_secret.0), ("display_name", &self.display_name)];
        for (key, value) in required {
            if value.trim().is_empty() {
                return Err((key, "must not be empty".into()));
            }
        }
        if let Some(d) = self.allowed_domains.iter().find(|d| d.is_empty() || d.contains('@') || d.contains(char::is_whitespace)) {
            return Err(("allowed_domains", format!("has `{d}`; write domains like `school.nl`")));
        }
        if !self.scopes.iter().any(|s| s == "openid") {
            return Err(("scopes", "must include `openid`".into()));
        }
        Ok(())
    }
}

/// An https URL, or http on this machine (a test issuer).
fn web_url(text: &str) -> Result<openidconnect::url::Url, String> {
    let url = openidconnect::url::Url::parse(text).map_err(|e| format!("is not a URL: {e}"))?;
    let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match url.scheme() {
        "https" => Ok(url),
        "http" if local => Ok(url),
        _ => Err("must be an https URL".into()),
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
        for (name, p) in &self.oidc.providers {
            if let Err((key, what)) = p.check(name) {
                let dot = if key.is_empty() { "" } else { "." };
                return Err(ConfigError(format!("`oidc.providers.{name}{dot}{key}` {what}")));
            }
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
    fn the_example_file_loads_with_the_secret_from_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("magdit.toml", include_str!("../magdit.example.toml"))?;
            jail.set_env("MAGDIT_OIDC__PROVIDERS__ENTRA__CLIENT_SECRET", "uit-de-omgeving");
            let c = Config::load(Some(Path::new("magdit.toml"))).map_err(|e| e.to_string())?;
            let entra = &c.oidc.providers["entra"];
            assert_eq!(entra.client_secret.0, "uit-de-omgeving");
            assert_eq!(entra.scopes, ["openid", "email", "profile"]);
            assert_eq!(c.oidc.providers["google"].allowed_domains, ["school.nl"]);
            assert!(!format!("{c:?}").contains("uit-de-omgeving"), "secrets stay out of Debug");
            Ok(())
        });
    }

    #[test]
    fn a_provider_that_cannot_work_is_named() {
        let provider = |extra: &str| {
            format!(
                "[oidc.providers.entra]\nissuer = \"https://login.example/t/v2.0\"\nclient_id = \"c\"\nclient_secret = \"s\"\n\
                 display_name = \"Inloggen\"\nredirect_url = \"https://m.example/api/v1/auth/oidc/entra/callback\"\n{extra}"
            )
        };
        for (text, wanted) in [
            (provider("issuer_url = \"x\"\n"), "issuer_url"),
            (provider("").replace("https://login.example", "http://login.example"), "`oidc.providers.entra.issuer` must be an https URL"),
            (provider("").replace("oidc/entra/callback", "oidc/google/callback"), "`oidc.providers.entra.redirect_url` must end in"),
            (provider("allowed_domains = [\"@school.nl\"]\n"), "`oidc.providers.entra.allowed_domains`"),
            (provider("scopes = [\"email\"]\n"), "`oidc.providers.entra.scopes` must include `openid`"),
            (provider("").replace("client_secret = \"s\"\n", ""), "client_secret"),
            (provider("").replace("providers.entra]", "providers.Entra]"), "`oidc.providers.Entra` names"),
        ] {
            figment::Jail::expect_with(|jail| {
                jail.create_file("magdit.toml", &text)?;
                let err = Config::load(Some(Path::new("magdit.toml"))).unwrap_err().to_string();
                assert!(err.contains(wanted), "{wanted} in {err}");
                Ok(())
            });
        }
    }

    #[test]
    fn default_store_is_sqlite_in_data_dir() {
        let c = Config { data_dir: PathBuf::from("/var/lib/magdit"), ..Config::default() };
        assert_eq!(c.store_url(), "sqlite:///var/lib/magdit/magdit.db");
    }
}
