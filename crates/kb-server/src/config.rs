use std::ffi::OsString;
use std::net::SocketAddr;
use std::time::Duration;

use clap::{ArgMatches, Args, FromArgMatches};
use kb_graphql::Limits;

/// The default database: an embedded SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kennisbank.db?mode=rwc";

/// Where the server listens and how it protects itself. The defaults live only in the
/// flag attributes below: `kennisbank serve` reads them, and so does [`ServerConfig::from_flags`].
#[derive(Debug, Clone, Args)]
pub struct ServerConfig {
    /// Address to listen on.
    #[arg(long, env = "KB_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The one external address of the deployment, as `https://kennisbank.example`
    /// (scheme, host, optional port): every absolute link the server writes starts with
    /// it, and the website answers only its host (and `--allowed-hosts`). Without it (a
    /// development run) links use `http://` and the bound address.
    #[arg(long, env = "KB_PUBLIC_URL", value_parser = crate::public::PublicUrl::parse, value_name = "URL")]
    pub public_url: Option<crate::public::PublicUrl>,
    /// More host names the website answers besides the public URL's, comma-separated
    /// (`name` on any port, or `name:port`); requests for other hosts get 421.
    #[arg(
        long,
        env = "KB_ALLOWED_HOSTS",
        value_delimiter = ',',
        value_name = "HOSTS"
    )]
    pub allowed_hosts: Vec<String>,
    /// Proxies whose `X-Forwarded-For` names the client, comma-separated addresses or
    /// networks (`10.0.0.0/8`); from anyone else the header is ignored. Rate limits and
    /// logs count the client so found.
    #[arg(long, env = "KB_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_proxy, value_name = "NETWORKS")]
    pub trusted_proxies: Vec<String>,
    /// Largest request body, in bytes.
    #[arg(long, env = "KB_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    /// Time a request may take, in seconds; fractions such as `0.5` are allowed.
    #[arg(
        long = "request-timeout-secs",
        env = "KB_REQUEST_TIMEOUT_SECS",
        value_name = "SECONDS",
        default_value = "30",
        value_parser = parse_seconds
    )]
    pub request_timeout: Duration,
    /// At shutdown (SIGTERM or Ctrl-C), how long the requests in flight may take to
    /// finish, in seconds; fractions such as `0.5` are allowed. Connections still open
    /// then are cut.
    #[arg(
        long = "shutdown-grace-secs",
        env = "KB_SHUTDOWN_GRACE_SECS",
        value_name = "SECONDS",
        default_value = "10",
        value_parser = parse_seconds
    )]
    pub shutdown_grace: Duration,
    /// Deepest nesting of fields in a query.
    #[arg(long, env = "KB_MAX_DEPTH", default_value_t = Limits::default().depth)]
    pub max_depth: usize,
    /// Largest complexity of a query: a field costs 1 plus its page size (`first` or
    /// `last`; 20 for a connection without them) times the cost of its children.
    #[arg(long, env = "KB_MAX_COMPLEXITY", default_value_t = Limits::default().complexity)]
    pub max_complexity: usize,
    /// Deepest nesting of selection sets, fragments included.
    #[arg(long, env = "KB_MAX_RECURSIVE_DEPTH", default_value_t = Limits::default().recursive_depth)]
    pub max_recursive_depth: usize,
    /// Most directives on one field.
    #[arg(long, env = "KB_MAX_DIRECTIVES", default_value_t = Limits::default().directives)]
    pub max_directives: usize,
    /// Most aliases in one operation.
    #[arg(long, env = "KB_MAX_ALIASES", default_value_t = Limits::default().aliases)]
    pub max_aliases: usize,
    /// Most selections of one response key in one selection set (fragments written out).
    #[arg(long, env = "KB_MAX_MERGED_SELECTIONS", default_value_t = Limits::default().merged_selections)]
    pub max_merged_selections: usize,
    /// Most root fields in one operation.
    #[arg(long, env = "KB_MAX_ROOT_FIELDS", default_value_t = Limits::default().root_fields)]
    pub max_root_fields: usize,
    /// Most operations in one batched request.
    #[arg(long, env = "KB_MAX_BATCH", default_value_t = 10)]
    pub max_batch: usize,
    /// Most characters in a query text (comments and strings included), checked before
    /// parsing.
    #[arg(long, env = "KB_MAX_QUERY_CHARS", default_value_t = Limits::default().query_chars)]
    pub max_query_chars: usize,
    /// Most tokens in a query text (names, punctuation, numbers, strings; not
    /// whitespace, commas or comments), counted before parsing.
    #[arg(long, env = "KB_MAX_QUERY_TOKENS", default_value_t = Limits::default().query_tokens)]
    pub max_query_tokens: usize,
    /// Most representations in one `_entities` field (federation).
    #[arg(long, env = "KB_MAX_ENTITIES", default_value_t = Limits::default().entities)]
    pub max_entities: usize,
    /// Query texts the cache of automatic persisted queries keeps (least recently used
    /// first out); 0 turns the cache off, so a hash alone is never found.
    #[arg(
        long,
        env = "KB_PERSISTED_QUERY_CACHE",
        default_value_t = 1000,
        value_name = "N"
    )]
    pub persisted_query_cache: usize,
    /// Origins whose pages may call the API from a browser (CORS), comma-separated, as
    /// `https://portal.example` (scheme, host, optional port). `*` (the default) allows
    /// every origin: the API is public and authenticates by header, never by cookie.
    /// Empty: no CORS headers at all, so browsers allow same-origin pages only.
    #[arg(
        long,
        env = "KB_CORS_ORIGINS",
        default_value = "*",
        value_delimiter = ',',
        value_parser = parse_origin,
        value_name = "ORIGINS"
    )]
    pub cors_origins: Vec<String>,
    /// How often the read model looks for changes other instances wrote, in seconds
    /// (changes made through this instance are seen at once).
    #[arg(
        long = "follow-interval-secs",
        env = "KB_FOLLOW_INTERVAL_SECS",
        value_name = "SECONDS",
        default_value = "0.5",
        value_parser = parse_seconds
    )]
    pub follow_interval: Duration,
    /// Requests a minute on `/graphql` per client address, for requests without a key;
    /// 0 (the default) is no limit. Behind a proxy, every request has the proxy's address.
    #[arg(
        long,
        env = "KB_RATE_LIMIT_ANONYMOUS",
        default_value_t = 0,
        value_name = "N"
    )]
    pub rate_limit_anonymous: u32,
    /// Requests a minute per partner key; 0 (the default) is no limit.
    #[arg(
        long,
        env = "KB_RATE_LIMIT_PARTNER",
        default_value_t = 0,
        value_name = "N"
    )]
    pub rate_limit_partner: u32,
    /// Requests a minute per contributor key; 0 (the default) is no limit.
    #[arg(
        long,
        env = "KB_RATE_LIMIT_CONTRIBUTOR",
        default_value_t = 0,
        value_name = "N"
    )]
    pub rate_limit_contributor: u32,
    /// Requests a minute per editor or admin key; 0 (the default) is no limit.
    #[arg(
        long,
        env = "KB_RATE_LIMIT_EDITOR",
        default_value_t = 0,
        value_name = "N"
    )]
    pub rate_limit_editor: u32,
    /// Most subscriptions open at once per API key, or per client address for
    /// subscribers without a key; one more is LIMIT_EXCEEDED.
    #[arg(
        long,
        env = "KB_MAX_SUBSCRIPTIONS_PER_KEY",
        default_value_t = 16,
        value_name = "N"
    )]
    pub max_subscriptions_per_key: usize,
    /// Serve Prometheus metrics at `/metrics` (`KB_METRICS=false` turns it off). The
    /// endpoint needs no key: where the service is public, a proxy in front keeps
    /// `/metrics` to the monitoring network.
    #[arg(
        long,
        env = "KB_METRICS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        value_name = "BOOL"
    )]
    pub metrics: bool,
    /// Run every GraphQL resolver in a tracing span of its own (target
    /// `async_graphql::graphql`, level INFO): for finding a slow field, at some cost to
    /// every request.
    #[arg(long, env = "KB_RESOLVER_SPANS", default_value_t = false)]
    pub resolver_spans: bool,
    /// Export traces (the request spans, and resolver spans when on) to an OpenTelemetry
    /// collector over OTLP/HTTP (protobuf): its base URL, such as `http://127.0.0.1:4318`
    /// (`/v1/traces` is added). Off without one.
    #[arg(long, env = "KB_OTLP_ENDPOINT", value_name = "URL")]
    pub otlp_endpoint: Option<String>,
    /// The SMTP server that sends sign-in links: `smtp://host:port` (plain, for a local
    /// relay or tests), `smtp://host:port?tls=required` (STARTTLS) or `smtps://host:port`
    /// (TLS), with `user:password@` where the server wants them. Without it, signing in by
    /// e-mail is off and the sign-in page says so.
    #[arg(long, env = "KB_SMTP_URL", value_name = "URL", value_parser = crate::mail::SmtpUrl::parse)]
    pub smtp_url: Option<crate::mail::SmtpUrl>,
    /// The sender of sign-in e-mails, as `Kennisbank <kennisbank@example.nl>`.
    #[arg(
        long,
        env = "KB_MAIL_FROM",
        default_value = "Kennisbank <kennisbank@localhost>",
        value_name = "ADDRESS",
        value_parser = parse_mailbox
    )]
    pub mail_from: String,
    /// How often notifications of the moderation workflow are enqueued from the change
    /// log and sent, in seconds (they go out only with `--smtp-url`).
    #[arg(
        long = "notify-interval-secs",
        env = "KB_NOTIFY_INTERVAL_SECS",
        value_name = "SECONDS",
        default_value = "10",
        value_parser = parse_seconds
    )]
    pub notify_interval: Duration,
    /// How long a notification that could not be sent waits before its first retry, in
    /// seconds; the following waits are 5, 30, 120, 360, 720 and 1440 times as long, and
    /// the eighth failure gives it up.
    #[arg(
        long = "notify-retry-secs",
        env = "KB_NOTIFY_RETRY_SECS",
        value_name = "SECONDS",
        default_value = "60",
        value_parser = parse_seconds
    )]
    pub notify_retry: Duration,
    /// An OpenID Connect provider people sign in with, by its issuer
    /// (`https://connect.surfconext.nl`); repeat the flag for several, each matched by
    /// position with `--oidc-client-id`, `--oidc-client-secret` and `--oidc-name`. The
    /// redirect URI to register is `{public url}/aanmelden/oidc`.
    #[arg(
        long,
        env = "KB_OIDC_ISSUER",
        value_delimiter = ',',
        value_name = "URL"
    )]
    pub oidc_issuer: Vec<String>,
    /// The client id registered with each provider, in the order of `--oidc-issuer`.
    #[arg(
        long,
        env = "KB_OIDC_CLIENT_ID",
        value_delimiter = ',',
        value_name = "ID"
    )]
    pub oidc_client_id: Vec<String>,
    /// The client secret of each provider, in the order of `--oidc-issuer`; never logged.
    #[arg(
        long,
        env = "KB_OIDC_CLIENT_SECRET",
        value_delimiter = ',',
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub oidc_client_secret: Vec<String>,
    /// The label of each provider's button on the sign-in page (default: the issuer's
    /// host), in the order of `--oidc-issuer`.
    #[arg(long, env = "KB_OIDC_NAME", value_delimiter = ',', value_name = "NAME")]
    pub oidc_name: Vec<String>,
    /// Where the search index is kept. Default: beside an SQLite database file
    /// (`kennisbank.db.search`); in memory for PostgreSQL, rebuilt at every start.
    #[arg(long, env = "KB_INDEX_DIR")]
    pub index_dir: Option<std::path::PathBuf>,
    /// A folder for log files, one a day (`kennisbank-YYYY-MM-DD.log`, UTC), besides
    /// stderr; those older than `--log-retention-days` are deleted.
    #[arg(long, env = "KB_LOG_DIR", value_name = "FOLDER")]
    pub log_dir: Option<std::path::PathBuf>,
    /// Where people send requests about their personal data (to see, export, correct or
    /// erase it), as the privacy page shows it: an e-mail address or a web address.
    /// Without it the page names the network's editors.
    #[arg(long, env = "KB_PRIVACY_CONTACT", value_name = "ADDRESS")]
    pub privacy_contact: Option<String>,
    /// How long personal data is kept.
    #[command(flatten)]
    pub retention: Retention,
}

/// How long a sign-in link stays valid, in minutes. Fixed rather than configured: a
/// link in a mailbox is a key to an account, and a quarter of an hour is long enough for
/// mail to arrive and short enough for a forwarded or leaked link to be worthless soon.
pub const SIGN_IN_LINK_MINUTES: u32 = 15;

/// How long personal data is kept: the one definition the software enforces and the
/// privacy page states, so that the page cannot say otherwise than the server does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Args)]
pub struct Retention {
    /// Minutes a signed-in session may go unused before it ends.
    #[arg(
        long,
        env = "KB_SESSION_IDLE_MINUTES",
        default_value_t = 480,
        value_name = "MINUTES",
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub session_idle_minutes: u32,
    /// Days a signed-in session lasts at most, however much it is used.
    #[arg(
        long,
        env = "KB_SESSION_MAX_DAYS",
        default_value_t = 14,
        value_name = "DAYS",
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub session_max_days: u32,
    /// Days access logs are kept: the server deletes its log files in `--log-dir` after
    /// this many days; whatever collects its stderr must keep those no longer.
    #[arg(
        long,
        env = "KB_LOG_RETENTION_DAYS",
        default_value_t = 14,
        value_name = "DAYS",
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub log_retention_days: u32,
    /// How long backups are kept.
    #[command(flatten)]
    pub backups: BackupRetention,
}

/// How long backups are kept: read by `serve` (for the privacy page) and by `backup`
/// (which deletes older backups from its folder), from the same flag and variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Args)]
pub struct BackupRetention {
    /// Days a backup that `kennisbank backup` wrote into a folder is kept; the next
    /// backup into that folder deletes older ones.
    #[arg(
        long,
        env = "KB_BACKUP_RETENTION_DAYS",
        default_value_t = 30,
        value_name = "DAYS",
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub backup_retention_days: u32,
}

impl Retention {
    /// What the website's privacy page states.
    pub fn periods(&self) -> kb_web::Retention {
        kb_web::Retention {
            session_idle_minutes: self.session_idle_minutes,
            session_max_days: self.session_max_days,
            sign_in_link_minutes: SIGN_IN_LINK_MINUTES,
            log_days: self.log_retention_days,
            backup_days: self.backups.backup_retention_days,
        }
    }
}

impl ServerConfig {
    /// The deployment's public address: `--public-url`, or for a development run the
    /// address the server is bound to.
    pub fn public_address(&self, bound: SocketAddr) -> crate::public::PublicUrl {
        self.public_url
            .clone()
            .unwrap_or_else(|| crate::public::PublicUrl::of_bound(bound))
    }

    /// The proxies of `--trusted-proxies` (each entry was checked when it was read).
    pub fn proxies(&self) -> crate::public::TrustedProxies {
        crate::public::TrustedProxies::parse(&self.trusted_proxies).unwrap_or_default()
    }

    /// The query limits of this configuration.
    pub fn limits(&self) -> Limits {
        Limits {
            depth: self.max_depth,
            complexity: self.max_complexity,
            recursive_depth: self.max_recursive_depth,
            directives: self.max_directives,
            aliases: self.max_aliases,
            merged_selections: self.max_merged_selections,
            root_fields: self.max_root_fields,
            query_chars: self.max_query_chars,
            query_tokens: self.max_query_tokens,
            entities: self.max_entities,
        }
    }

    /// How long sessions of signed-in people last: the retention settings.
    pub fn session_lifetime(&self) -> kb_store::SessionLifetime {
        kb_store::SessionLifetime {
            idle: chrono::Duration::minutes(i64::from(self.retention.session_idle_minutes)),
            absolute: chrono::Duration::days(i64::from(self.retention.session_max_days)),
        }
    }

    /// What the website's privacy page states: the retention periods and the contact.
    pub fn privacy(&self) -> kb_web::Privacy {
        kb_web::Privacy {
            retention: self.retention.periods(),
            contact: self.privacy_contact.clone(),
        }
    }

    /// The rate limits of this configuration.
    pub fn rate_limits(&self) -> crate::rate::Limits {
        crate::rate::Limits {
            anonymous: self.rate_limit_anonymous,
            partner: self.rate_limit_partner,
            contributor: self.rate_limit_contributor,
            editor: self.rate_limit_editor,
        }
    }

    /// The configuration these flags give, with the defaults for the others. `KB_*`
    /// variables are not read, so that what a test gets does not depend on the
    /// environment it runs in.
    pub fn from_flags<I, T>(flags: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let command = Self::augment_args(clap::Command::new("serve").no_binary_name(true))
            .mut_args(|arg| arg.env(None::<&'static str>));
        let matches: ArgMatches = command.try_get_matches_from(flags)?;
        Self::from_arg_matches(&matches)
    }
}

/// One entry of `--trusted-proxies`, checked.
fn parse_proxy(text: &str) -> Result<String, String> {
    crate::public::TrustedProxies::parse(&[text.to_owned()])?;
    Ok(text.trim().to_owned())
}

/// An origin for CORS: `*`, nothing (an empty item, ignored), or `scheme://host[:port]`
/// with an http(s) scheme and no path.
fn parse_origin(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() || s == "*" {
        return Ok(s.to_owned());
    }
    let url = url::Url::parse(s).map_err(|e| format!("`{s}` is not an origin: {e}"))?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || !bare {
        return Err(format!(
            "`{s}` is not an origin: give scheme, host and optional port, as `https://portal.example`"
        ));
    }
    // The form browsers send in `Origin`: no trailing slash, the default port left out.
    Ok(url.origin().ascii_serialization())
}

/// A sender such as `Kennisbank <kennisbank@example.nl>`.
fn parse_mailbox(s: &str) -> Result<String, String> {
    s.trim()
        .parse::<lettre::message::Mailbox>()
        .map(|_| s.trim().to_owned())
        .map_err(|e| format!("`{s}` is not a sender address: {e}"))
}

/// A positive number of seconds, fractions allowed.
fn parse_seconds(s: &str) -> Result<Duration, String> {
    let seconds: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    match Duration::try_from_secs_f64(seconds) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err(format!("`{s}`: the time must be more than zero")),
        Err(e) => Err(format!("`{s}`: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_those_of_the_flags() {
        let c = ServerConfig::from_flags(Vec::<String>::new()).expect("defaults");
        assert_eq!(c.bind, SocketAddr::from(([127, 0, 0, 1], 8080)));
        assert_eq!(c.request_timeout, Duration::from_secs(30));
        assert_eq!(c.shutdown_grace, Duration::from_secs(10));
        assert_eq!(c.max_body_bytes, 256 * 1024);
        assert_eq!(c.max_batch, 10);
        assert_eq!(c.limits().aliases, Limits::default().aliases);
        assert_eq!(c.limits().query_chars, 50_000);
        assert_eq!(c.limits().query_tokens, 10_000);
        assert_eq!(c.limits().entities, 100);
        assert_eq!(c.persisted_query_cache, 1000);
        assert_eq!(c.cors_origins, vec!["*".to_owned()]);
        assert_eq!(c.notify_interval, Duration::from_secs(10));
        assert_eq!(c.notify_retry, Duration::from_secs(60));
        assert_eq!(
            c.retention,
            Retention {
                session_idle_minutes: 480,
                session_max_days: 14,
                log_retention_days: 14,
                backups: BackupRetention {
                    backup_retention_days: 30
                },
            }
        );
        assert_eq!(SIGN_IN_LINK_MINUTES, 15);
        // What the privacy page states is what the store enforces.
        assert_eq!(
            kb_store::SIGN_IN_LINK_LIFETIME.num_minutes(),
            i64::from(SIGN_IN_LINK_MINUTES)
        );
    }

    #[test]
    fn retention_periods_come_from_their_flags_and_are_never_zero() {
        let c = ServerConfig::from_flags([
            "--session-idle-minutes",
            "60",
            "--session-max-days",
            "7",
            "--log-retention-days",
            "3",
            "--backup-retention-days",
            "90",
        ])
        .expect("retention");
        assert_eq!(
            c.retention.periods(),
            kb_web::Retention {
                session_idle_minutes: 60,
                session_max_days: 7,
                sign_in_link_minutes: 15,
                log_days: 3,
                backup_days: 90,
            }
        );
        for flag in [
            "--session-idle-minutes",
            "--session-max-days",
            "--log-retention-days",
            "--backup-retention-days",
        ] {
            assert!(ServerConfig::from_flags([flag, "0"]).is_err(), "{flag} 0");
        }
    }

    #[test]
    fn cors_origins_are_a_list_of_origins() {
        let c = ServerConfig::from_flags([
            "--cors-origins",
            "https://portal.example, HTTP://Intranet.example:8443/",
        ])
        .expect("origins");
        assert_eq!(
            c.cors_origins,
            vec![
                "https://portal.example".to_owned(),
                "http://intranet.example:8443".to_owned()
            ]
        );
        for bad in [
            "portal.example",
            "https://portal.example/path",
            "ftp://x.example",
        ] {
            assert!(
                ServerConfig::from_flags(["--cors-origins", bad]).is_err(),
                "{bad}"
            );
        }
        let none = ServerConfig::from_flags(["--cors-origins", ""]).expect("none");
        assert_eq!(none.cors_origins, vec![String::new()]);
    }

    #[test]
    fn every_setting_is_documented_in_the_operations_doc_with_its_variable() {
        let doc = include_str!("../../../docs/operations.md");
        let command = ServerConfig::augment_args(clap::Command::new("serve"));
        for arg in command.get_arguments() {
            if let Some(long) = arg.get_long() {
                assert!(
                    doc.contains(&format!("`--{long}")),
                    "docs/operations.md lacks --{long}"
                );
            }
            if let Some(env) = arg.get_env().and_then(|e| e.to_str()) {
                assert!(doc.contains(env), "docs/operations.md lacks {env}");
            }
        }
    }

    #[test]
    fn cors_origins_from_the_file_are_split_as_from_the_flag() {
        let file = FileSettings::parse(
            std::path::Path::new("kennisbank.toml"),
            "cors_origins = \"https://a.example,https://b.example\"\n",
        )
        .expect("file");
        let command = ServerConfig::augment_args(clap::Command::new("serve").no_binary_name(true))
            .mut_args(|arg| arg.env(None::<&'static str>));
        let matches = file
            .apply(command)
            .expect("applies")
            .try_get_matches_from(Vec::<String>::new())
            .expect("matches");
        let c = ServerConfig::from_arg_matches(&matches).expect("config");
        assert_eq!(
            c.cors_origins,
            vec![
                "https://a.example".to_owned(),
                "https://b.example".to_owned()
            ]
        );
    }

    #[test]
    fn a_timeout_takes_whole_or_fractional_seconds() {
        assert_eq!(parse_seconds("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_seconds("0.001"), Ok(Duration::from_millis(1)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("NaN").is_err());
        assert!(parse_seconds("inf").is_err());
        assert!(parse_seconds("30s").is_err());
    }
}

/// The configuration file read when `--config` / `KB_CONFIG` names none and it exists.
pub const DEFAULT_CONFIG_FILE: &str = "kennisbank.toml";

/// The settings of a configuration file: TOML whose keys are the long flags' names with
/// `_` for `-` (`bind`, `max_depth`, `request_timeout_secs`, `database_url`, …).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileSettings {
    /// Where they were read from.
    pub path: Option<std::path::PathBuf>,
    /// Each setting as the text its flag would take.
    pub values: std::collections::BTreeMap<String, String>,
}

impl FileSettings {
    /// Parses TOML text read from `path`. Values are strings, numbers or booleans.
    pub fn parse(path: &std::path::Path, text: &str) -> anyhow::Result<Self> {
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("{}: not a configuration file: {e}", path.display()))?;
        let mut values = std::collections::BTreeMap::new();
        for (key, value) in table {
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => anyhow::bail!(
                    "{}: `{key}` must be a string, number or boolean, not {}",
                    path.display(),
                    other.type_str()
                ),
            };
            values.insert(key, text);
        }
        Ok(Self {
            path: Some(path.to_owned()),
            values,
        })
    }

    /// The file `args` name with `--config FILE`, else the one `KB_CONFIG` names, else
    /// `kennisbank.toml` in the working directory if there is one; no settings without.
    /// A file that is named but missing is an error.
    pub fn locate(args: &[OsString], env: Option<OsString>) -> anyhow::Result<Self> {
        let mut named = None;
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let arg = arg.to_string_lossy();
            if arg == "--config" {
                named = it.next().cloned();
            } else if let Some(path) = arg.strip_prefix("--config=") {
                named = Some(OsString::from(path));
            }
        }
        let (path, required) = match named.or(env) {
            Some(p) => (std::path::PathBuf::from(p), true),
            None => (std::path::PathBuf::from(DEFAULT_CONFIG_FILE), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&path, &text),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(anyhow::anyhow!("{}: {e}", path.display())),
        }
    }

    /// `command` with these settings as the defaults of its flags (and its subcommands'),
    /// so that a flag given wins over its `KB_*` variable, which wins over the file, which
    /// wins over the built-in default. A key that names no flag is an error.
    pub fn apply(&self, command: clap::Command) -> anyhow::Result<clap::Command> {
        let mut unknown: std::collections::BTreeSet<&str> =
            self.values.keys().map(String::as_str).collect();
        let command = self.apply_to(command, &mut unknown);
        if !unknown.is_empty() {
            let path = self
                .path
                .as_deref()
                .map_or_else(String::new, |p| format!("{}: ", p.display()));
            anyhow::bail!(
                "{path}unknown setting{} {}; settings are the long flags with `_` for `-` (see `kennisbank serve --help`)",
                if unknown.len() == 1 { "" } else { "s" },
                unknown
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        Ok(command)
    }

    fn apply_to<'a>(
        &'a self,
        mut command: clap::Command,
        unknown: &mut std::collections::BTreeSet<&'a str>,
    ) -> clap::Command {
        let ids: Vec<(String, String)> = command
            .get_arguments()
            .filter_map(|a| Some((a.get_id().to_string(), a.get_long()?.replace('-', "_"))))
            .collect();
        for (id, key) in ids {
            if let Some((key, value)) = self.values.get_key_value(&key) {
                unknown.remove(key.as_str());
                command = command.mut_arg(id, |a| a.default_value(value.clone()));
            }
        }
        let names: Vec<String> = command
            .get_subcommands()
            .map(|s| s.get_name().to_owned())
            .collect();
        for name in names {
            command = command.mut_subcommand(&name, |s| self.apply_to(s, unknown));
        }
        command
    }

    /// Whether the file sets the flag with this long name.
    pub fn sets(&self, long: &str) -> bool {
        self.values.contains_key(&long.replace('-', "_"))
    }
}

/// `url` with its password, if any, replaced by `****`: what may be printed or logged.
pub fn masked_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            // Only URLs that cannot be a base refuse a password; these have one already.
            let _ = u.set_password(Some("****"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}
