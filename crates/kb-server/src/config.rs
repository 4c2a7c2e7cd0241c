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
    /// Most root fields in one operation.
    #[arg(long, env = "KB_MAX_ROOT_FIELDS", default_value_t = Limits::default().root_fields)]
    pub max_root_fields: usize,
    /// Most operations in one batched request.
    #[arg(long, env = "KB_MAX_BATCH", default_value_t = 10)]
    pub max_batch: usize,
    /// How often the read model looks for changes other instances wrote, in seconds
    /// (changes made through this instance are seen at once).
    #[arg(
        long,
        env = "KB_FOLLOW_INTERVAL_SECS",
        default_value = "0.5",
        value_parser = parse_seconds
    )]
    pub follow_interval: Duration,
    /// Where the search index is kept. Default: beside an SQLite database file
    /// (`kennisbank.db.search`); in memory for PostgreSQL, rebuilt at every start.
    #[arg(long, env = "KB_INDEX_DIR")]
    pub index_dir: Option<std::path::PathBuf>,
}

impl ServerConfig {
    /// The query limits of this configuration.
    pub fn limits(&self) -> Limits {
        Limits {
            depth: self.max_depth,
            complexity: self.max_complexity,
            recursive_depth: self.max_recursive_depth,
            directives: self.max_directives,
            aliases: self.max_aliases,
            root_fields: self.max_root_fields,
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
        assert_eq!(c.max_body_bytes, 256 * 1024);
        assert_eq!(c.max_batch, 10);
        assert_eq!(c.limits().aliases, Limits::default().aliases);
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
