//! The command line of `kennisbank`: the global options and the subcommands, each in a
//! module of its own with its options and what it does.

use clap::{Parser, Subcommand};
use kb_server::config::DEFAULT_DATABASE_URL;

/// `accounts`: listing people's accounts, granting or refusing requests, appointing roles.
pub mod accounts;
/// `backup`: a consistent copy of an SQLite database, also while it serves.
pub mod backup;
/// `config`: the effective configuration of `serve`, each setting with its source.
pub mod config;
/// `documents`: registering and listing the trusted documents of API keys.
pub mod documents;
/// `dump`: the whole database as JSON, which `import` restores.
pub mod dump;
/// `export`: the open-data exports of the published knowledge bank, to a file.
pub mod export;
/// `import`: records from CSV or JSON files, or a dump into an empty database.
pub mod import;
/// `keys`: creating, listing and revoking API keys.
pub mod keys;
/// `migrate`: the pending database migrations.
pub mod migrate;
/// `reindex`: rebuilding the full-text search index.
pub mod reindex;
/// `schema`: the GraphQL schema as SDL.
pub mod schema;
/// `seed`: the taxonomy, the demo data set and synthetic data.
pub mod seed;
/// `serve`: the GraphQL API, the website and the exports over HTTP (the default).
pub mod serve;

/// The command line: global options and a subcommand.
#[derive(Debug, Parser)]
#[command(
    name = "kennisbank",
    version,
    about = "The national knowledge bank on student wellbeing, as a GraphQL knowledge graph"
)]
pub struct Cli {
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded) or `postgres://…`.
    #[arg(long, global = true, env = "KB_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Log format: `text` or `json`.
    #[arg(long, global = true, env = "KB_LOG_FORMAT", default_value = "text")]
    pub log_format: String,
    /// A configuration file (TOML; keys are the long flags with `_` for `-`). Flags win
    /// over `KB_*` variables, which win over the file. Default: `kennisbank.toml` in the
    /// working directory, if there is one.
    #[arg(long, global = true, env = "KB_CONFIG", value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands; their doc comments are their help.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API (the default). An empty database is migrated and loaded
    /// with the taxonomy and the demo data set.
    Serve(serve::ServeArgs),
    /// Print the effective configuration of `serve` (with these flags), each setting with
    /// where it came from; passwords masked.
    Config(config::ConfigArgs),
    /// Run pending database migrations.
    Migrate,
    /// Load data: the taxonomy always, plus the demo set and/or a synthetic set.
    Seed(seed::SeedArgs),
    /// Print the GraphQL schema (SDL, sorted, with federation directives).
    Schema,
    /// Rebuild the full-text search index from the database (the server must not be
    /// running on the same index).
    Reindex(reindex::ReindexArgs),
    /// Write an open-data export of the published knowledge bank (what `/export/…`
    /// serves) to stdout or a file.
    Export(export::ExportArgs),
    /// Import initiatives, organisations or events from a CSV or JSON file: an upsert by
    /// slug, all or nothing, with a report of every bad line and column. A dump (from
    /// `dump`) is restored into an empty database instead.
    Import(import::ImportArgs),
    /// Write a complete dump of the database as JSON (taxonomy, organisations,
    /// initiatives, events, links and revisions; no API keys), which `import` restores.
    Dump(dump::DumpArgs),
    /// Copy an SQLite database into a new file, consistently, also while a server writes
    /// to it. PostgreSQL has pg_dump for this.
    Backup(backup::BackupArgs),
    /// Manage the accounts of people who sign in.
    Accounts {
        #[command(subcommand)]
        command: accounts::AccountsCommand,
    },
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Trusted documents: the operations an API key is restricted to.
    Documents {
        #[command(subcommand)]
        command: documents::DocumentsCommand,
    },
}
