use std::net::SocketAddr;
use std::time::Duration;

use clap::Args;
use kb_graphql::Limits;

/// The default database: an embedded SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kennisbank.db?mode=rwc";

/// Where the server listens and how it protects itself.
#[derive(Debug, Clone, Args)]
pub struct ServerConfig {
    /// Address to listen on.
    #[arg(long, env = "KB_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Largest request body, in bytes.
    #[arg(long, env = "KB_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    /// Time a request may take, in seconds.
    #[arg(long, env = "KB_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// Deepest nesting of fields in a query.
    #[arg(long, env = "KB_MAX_DEPTH", default_value_t = Limits::default().depth)]
    pub max_depth: usize,
    /// Largest complexity of a query (a list field costs its page size times its children).
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

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        let l = Limits::default();
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 256 * 1024,
            request_timeout_secs: 30,
            max_depth: l.depth,
            max_complexity: l.complexity,
            max_recursive_depth: l.recursive_depth,
            max_directives: l.directives,
            max_aliases: l.aliases,
            max_root_fields: l.root_fields,
            max_batch: 10,
        }
    }
}
