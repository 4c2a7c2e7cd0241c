//! `kennisbank`: serve the knowledge bank, migrate and seed its database, print its schema,
//! export its published content.

use std::ffi::OsString;

use anyhow::Context;
use clap::builder::FalseyValueParser;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};
use kb_domain::{ApiKeyId, Role, Viewer};
use kb_server::config::{DEFAULT_DATABASE_URL, FileSettings, ServerConfig, masked_url};
use kb_store::{Actor, Store};

#[derive(Debug, Parser)]
#[command(
    name = "kennisbank",
    version,
    about = "The national knowledge bank on student wellbeing, as a GraphQL knowledge graph"
)]
struct Cli {
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded) or `postgres://…`.
    #[arg(long, global = true, env = "KB_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
    /// Log format: `text` or `json`.
    #[arg(long, global = true, env = "KB_LOG_FORMAT", default_value = "text")]
    log_format: String,
    /// A configuration file (TOML; keys are the long flags with `_` for `-`). Flags win
    /// over `KB_*` variables, which win over the file. Default: `kennisbank.toml` in the
    /// working directory, if there is one.
    #[arg(long, global = true, env = "KB_CONFIG", value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the GraphQL API (the default). An empty database is migrated and loaded
    /// with the taxonomy and the demo data set.
    Serve {
        #[command(flatten)]
        config: ServerConfig,
        /// Do not load the demo data set into an empty database. `KB_NO_DEMO=true` (or `1`,
        /// `yes`) skips it; empty, `false`, `0`, `no` and `off` do not.
        #[arg(long, env = "KB_NO_DEMO", value_parser = FalseyValueParser::new())]
        no_demo: bool,
    },
    /// Print the effective configuration of `serve` (with these flags), each setting with
    /// where it came from; passwords masked.
    Config {
        #[command(flatten)]
        config: ServerConfig,
        /// As for `serve`.
        #[arg(long, env = "KB_NO_DEMO", value_parser = FalseyValueParser::new())]
        no_demo: bool,
    },
    /// Run pending database migrations.
    Migrate,
    /// Load data: the taxonomy always, plus the demo set and/or a synthetic set.
    Seed {
        /// Load the demo data set (fictional organisations, initiatives and events).
        #[arg(long)]
        demo: bool,
        /// Generate this many synthetic initiatives (for benchmarks).
        #[arg(long, value_name = "N")]
        synthetic: Option<usize>,
        /// Seed of the synthetic generator: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        rng_seed: u64,
    },
    /// Print the GraphQL schema (SDL, sorted, with federation directives).
    Schema,
    /// Rebuild the full-text search index from the database (the server must not be
    /// running on the same index).
    Reindex {
        /// Where the index is kept; default beside an SQLite database file.
        #[arg(long, env = "KB_INDEX_DIR")]
        index_dir: Option<std::path::PathBuf>,
    },
    /// Write an open-data export of the published knowledge bank (what `/export/…`
    /// serves) to stdout or a file.
    Export {
        #[arg(long, value_enum)]
        format: kb_server::export::CliFormat,
        /// The rows of `cooccurrence-csv`: a dimension (THEME, TOPIC, KIND, …).
        #[arg(long, value_name = "DIMENSION")]
        rows: Option<String>,
        /// The columns of `cooccurrence-csv`: a dimension.
        #[arg(long, value_name = "DIMENSION")]
        columns: Option<String>,
        /// The file to write; stdout without one.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
    },
    /// Import initiatives, organisations or events from a CSV or JSON file: an upsert by
    /// slug, all or nothing, with a report of every bad line and column. A dump (from
    /// `dump`) is restored into an empty database instead.
    Import {
        /// The file: `.csv` or `.json`.
        file: std::path::PathBuf,
        /// What the records are: `initiatives`, `organisations` or `events`.
        #[arg(long, default_value = "initiatives", value_parser = parse_kind)]
        kind: kb_domain::import::ImportKind,
        /// Check the file against the database and say what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write a complete dump of the database as JSON (taxonomy, organisations,
    /// initiatives, events, links and revisions; no API keys), which `import` restores.
    Dump {
        /// The file to write; stdout without one.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
    },
    /// Copy an SQLite database into a new file, consistently, also while a server writes
    /// to it. PostgreSQL has pg_dump for this.
    Backup {
        /// The new file.
        path: std::path::PathBuf,
    },
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Trusted documents: the operations an API key is restricted to.
    Documents {
        #[command(subcommand)]
        command: DocumentsCommand,
    },
}

#[derive(Debug, Subcommand)]
enum DocumentsCommand {
    /// Register every operation of GraphQL files as trusted documents of a key, which
    /// from then on runs those operations only (by text or by hash). Registering again is
    /// harmless.
    Register {
        /// The key: its id, or its name when no other key has it.
        #[arg(long)]
        key: String,
        /// Files of operations and fragments (`.graphql`).
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// List a key's trusted documents: hash, operation and when it was registered.
    List {
        /// The key: its id, or its name when no other key has it.
        #[arg(long)]
        key: String,
        /// Print each document's canonical text too.
        #[arg(long)]
        text: bool,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Create a key and print it once; only its hash is stored.
    Create {
        /// partner, contributor, editor or admin.
        #[arg(long)]
        role: String,
        /// The organisation (slug) a contributor key acts for.
        #[arg(long)]
        organisation: Option<String>,
        /// A name to recognise the key by.
        #[arg(long)]
        name: Option<String>,
        /// Expiry: an RFC 3339 time (`2027-06-30T00:00:00Z`) or a number of days (`90d`).
        #[arg(long)]
        expires: Option<String>,
    },
    /// List the keys (never their secrets).
    List,
    /// Revoke a key by id.
    Revoke { id: i64 },
}

/// Parses `--kind` of `import`.
fn parse_kind(s: &str) -> Result<kb_domain::import::ImportKind, String> {
    kb_domain::import::ImportKind::parse(s)
        .ok_or_else(|| format!("`{s}`: initiatives, organisations or events"))
}

/// Parses `--expires`: an RFC 3339 time or `N` days from now.
fn parse_expiry(s: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    if let Some(days) = s.strip_suffix('d') {
        let days: i64 = days
            .parse()
            .map_err(|_| anyhow::anyhow!("--expires: `{s}` is not a number of days"))?;
        return Ok(chrono::Utc::now() + chrono::Duration::days(days));
    }
    Ok(chrono::DateTime::parse_from_rfc3339(s)
        .map_err(|e| anyhow::anyhow!("--expires: `{s}` is neither RFC 3339 nor days ({e})"))?
        .with_timezone(&chrono::Utc))
}

async fn keys(store: &Store, command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create {
            role,
            organisation,
            name,
            expires,
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                anyhow::anyhow!("--role must be partner, contributor, editor or admin")
            })?;
            let organisation_id = match &organisation {
                Some(slug) => Some(
                    store
                        .organisation_by_slug(Viewer::Editor, slug)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("no organisation with slug `{slug}`"))?
                        .id,
                ),
                None => None,
            };
            let expires_at = expires.as_deref().map(parse_expiry).transpose()?;
            let name = name.unwrap_or_else(|| match &organisation {
                Some(slug) => format!("{} key for {slug}", role.as_str()),
                None => format!("{} key", role.as_str()),
            });
            let new = store
                .create_api_key(&Actor::cli(), &name, role, organisation_id, expires_at)
                .await?;
            eprintln!(
                "Created key {} ({}, {}). It is shown once; store it now:",
                new.key.id,
                new.key.name,
                role.as_str()
            );
            println!("{}", new.secret);
        }
        KeysCommand::List => {
            println!(
                "{:>4}  {:<12} {:<11} {:>5}  {:<25} {:<25} {:<25} name",
                "id", "prefix", "role", "org", "created", "expires", "status"
            );
            for k in store.list_api_keys(Viewer::Admin).await? {
                let status = match (k.revoked_at, k.expires_at) {
                    (Some(t), _) => format!("revoked {}", t.format("%Y-%m-%d")),
                    (None, Some(e)) if e <= chrono::Utc::now() => "expired".to_owned(),
                    _ => k.last_used_at.map_or("never used".to_owned(), |t| {
                        format!("used {}", t.format("%Y-%m-%d %H:%M"))
                    }),
                };
                println!(
                    "{:>4}  {:<12} {:<11} {:>5}  {:<25} {:<25} {:<25} {}",
                    k.id,
                    k.prefix,
                    k.role.as_str(),
                    k.organisation_id.map_or("-".to_owned(), |o| o.to_string()),
                    k.created_at.format("%Y-%m-%d %H:%M"),
                    k.expires_at
                        .map_or("-".to_owned(), |e| e.format("%Y-%m-%d %H:%M").to_string()),
                    status,
                    k.name
                );
            }
        }
        KeysCommand::Revoke { id } => {
            let k = store.revoke_api_key(&Actor::cli(), ApiKeyId(id)).await?;
            eprintln!("Revoked key {} ({}).", k.id, k.name);
        }
    }
    Ok(())
}

/// `kennisbank documents`.
async fn documents(store: &Store, command: DocumentsCommand) -> anyhow::Result<()> {
    match command {
        DocumentsCommand::Register { key, files } => {
            let key = store.api_key_by_id_or_name(Viewer::Admin, &key).await?;
            let mut new = Vec::new();
            for file in &files {
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                async_graphql::parser::parse_query(&text).map_err(|e| {
                    anyhow::anyhow!("{}: not a GraphQL document: {e}", file.display())
                })?;
                let operations = kb_graphql::documents::operations(&text);
                if operations.is_empty() {
                    anyhow::bail!("{}: holds no operation", file.display());
                }
                for op in operations {
                    println!(
                        "{}  {}  ({})",
                        op.hash,
                        op.name.as_deref().unwrap_or("(anonymous)"),
                        file.display()
                    );
                    new.push(kb_store::NewTrustedDocument {
                        hash: op.hash,
                        operation_name: op.name,
                        document: op.text,
                    });
                }
            }
            let r = store
                .register_trusted_documents(&Actor::cli(), key.id, &new)
                .await?;
            eprintln!(
                "Registered {} new document{} ({} already there) for key {} ({}); it has {} and runs only those.",
                r.added,
                if r.added == 1 { "" } else { "s" },
                r.unchanged,
                key.id,
                key.name,
                r.total
            );
        }
        DocumentsCommand::List { key, text } => {
            let key = store.api_key_by_id_or_name(Viewer::Admin, &key).await?;
            let docs = store.trusted_documents(Viewer::Admin, key.id).await?;
            if docs.is_empty() {
                eprintln!(
                    "Key {} ({}) has no trusted documents: it may run any operation.",
                    key.id, key.name
                );
            }
            for d in docs {
                println!(
                    "{}  {:<30} {}",
                    d.hash,
                    d.operation_name.as_deref().unwrap_or("(anonymous)"),
                    d.created_at.format("%Y-%m-%d %H:%M")
                );
                if text {
                    println!("    {}", d.document);
                }
            }
        }
    }
    Ok(())
}

/// The settings `config` was given (global ones and those of `serve`), one per line as
/// TOML, each with where it came from: what `kennisbank config` prints.
fn effective_config(command: &clap::Command, matches: &ArgMatches, file: &FileSettings) -> String {
    let from_file = match &file.path {
        Some(p) => format!("file {}", p.display()),
        None => "file".to_owned(),
    };
    let mut out = format!(
        "# The effective configuration: flags over KB_* variables over {} over defaults.\n",
        file.path.as_deref().map_or_else(
            || "a configuration file".to_owned(),
            |p| p.display().to_string()
        )
    );
    let sub = command.find_subcommand("config");
    let sub_matches = matches.subcommand_matches("config");
    let sections = [(Some(command), Some(matches)), (sub, sub_matches)];
    for (cmd, m) in sections {
        let (Some(cmd), Some(m)) = (cmd, m) else {
            continue;
        };
        let mut args: Vec<&clap::Arg> = cmd.get_arguments().collect();
        args.sort_by_key(|a| a.get_long());
        for arg in args {
            let (Some(long), id) = (arg.get_long(), arg.get_id().as_str()) else {
                continue;
            };
            if matches!(long, "config" | "help" | "version") {
                continue;
            }
            let key = long.replace('-', "_");
            let Ok(Some(raw)) = m.try_get_raw(id) else {
                out.push_str(&format!("# {key} is not set\n"));
                continue;
            };
            let value = raw
                .map(|v| v.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(",");
            let value = if key == "database_url" || key == "otlp_endpoint" {
                masked_url(&value)
            } else {
                value
            };
            let source = match m.value_source(id) {
                Some(ValueSource::CommandLine) => "flag".to_owned(),
                Some(ValueSource::EnvVariable) => {
                    arg.get_env().map_or("environment".to_owned(), |e| {
                        format!("env {}", e.to_string_lossy())
                    })
                }
                _ if file.sets(long) => from_file.clone(),
                _ => "default".to_owned(),
            };
            let shown = if value.parse::<f64>().is_ok() || value == "true" || value == "false" {
                value
            } else {
                format!("{value:?}")
            };
            out.push_str(&format!("{key} = {shown}  # {source}\n"));
        }
    }
    out
}

/// `kennisbank import`: the report on stderr; an error (a non-zero exit) when the file
/// has problems.
async fn import(
    store: &Store,
    file: &std::path::Path,
    kind: kb_domain::import::ImportKind,
    dry_run: bool,
) -> anyhow::Result<()> {
    use kb_server::import::ImportOutcome;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let actor = Actor {
        name: format!("cli import ({name})"),
        ..Actor::cli()
    };
    match kb_server::import::import_records(store, &actor, file, kind, dry_run).await? {
        ImportOutcome::Invalid(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", file.display());
            }
            anyhow::bail!(
                "{} problem{} in {}; nothing was imported",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                file.display()
            );
        }
        ImportOutcome::Imported(r) => {
            let verb = if dry_run {
                "Dry run, nothing written"
            } else {
                "Imported"
            };
            eprintln!(
                "{verb}: {} {} created, {} updated, {} unchanged.",
                kind.as_str(),
                r.created,
                r.updated,
                r.unchanged
            );
        }
        ImportOutcome::Restored { counts: c, written } => {
            let verb = if written {
                "Restored"
            } else {
                "Dry run, nothing written; would restore"
            };
            eprintln!(
                "{verb} {} organisations, {} initiatives, {} events, {} links and {} revisions.",
                c.organisations, c.initiatives, c.events, c.links, c.revisions
            );
        }
    }
    Ok(())
}

/// mimalloc: per-thread free lists without the arena locks glibc's allocator contends on
/// under many small allocations of concurrent requests, and it returns freed pages to the
/// system. C code (SQLite) keeps the C library's allocator, limited as `memory` says.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    kb_server::memory::limit_arenas();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let file = FileSettings::locate(
        args.get(1..).unwrap_or_default(),
        std::env::var_os("KB_CONFIG"),
    )?;
    let definition = file.apply(Cli::command())?;
    let mut matches = definition.clone().get_matches_from(&args);
    if matches.subcommand().is_none() {
        // `serve` is the default command: parse again as if it had been given, so that
        // its flags, `KB_*` variables, the file and defaults apply exactly as to `serve`.
        matches = definition
            .clone()
            .get_matches_from(args.iter().cloned().chain([OsString::from("serve")]));
    }
    let cli = Cli::from_arg_matches(&matches).map_err(|e| e.exit())?;
    let command = cli.command.context("no command, not even the default")?;
    let otlp_endpoint = match &command {
        Command::Serve { config, .. } => config.otlp_endpoint.as_deref(),
        _ => None,
    };
    let telemetry = kb_server::telemetry::init(&cli.log_format, otlp_endpoint)?;
    let result = run_command(&cli.database_url, command, &definition, &matches, &file).await;
    telemetry.shutdown().await;
    result
}

async fn run_command(
    database_url: &str,
    command: Command,
    definition: &clap::Command,
    matches: &ArgMatches,
    file: &FileSettings,
) -> anyhow::Result<()> {
    match command {
        Command::Reindex { index_dir } => {
            let store = Store::connect(database_url).await?;
            store.migrate().await?;
            let Some(dir) = kb_server::index_dir(&store, index_dir.as_deref()) else {
                anyhow::bail!(
                    "an index on PostgreSQL lives in memory unless --index-dir names a folder"
                );
            };
            let started = std::time::Instant::now();
            let model = kb_graph::ReadModel::build_on_disk(&store, &dir).await?;
            let n = model.reindex().await?;
            eprintln!(
                "Indexed {n} initiatives into {} in {:.1} s.",
                dir.display(),
                started.elapsed().as_secs_f64()
            );
        }
        Command::Schema => {
            print!("{}", kb_graphql::sdl());
        }
        Command::Config { .. } => {
            print!("{}", effective_config(definition, matches, file));
        }
        Command::Migrate => {
            let store = Store::connect(database_url).await?;
            store.migrate().await?;
            tracing::info!("migrations applied");
        }
        Command::Seed {
            demo,
            synthetic,
            rng_seed,
        } => {
            let store = Store::connect(database_url).await?;
            store.migrate().await?;
            store.seed_taxonomy().await?;
            if demo {
                let s = store.seed_demo().await?;
                tracing::info!(?s, "demo data set");
            }
            if let Some(n) = synthetic {
                let started = std::time::Instant::now();
                let s = store.seed_synthetic(n, rng_seed).await?;
                tracing::info!(
                    ?s,
                    seconds = started.elapsed().as_secs_f64(),
                    "synthetic data set"
                );
            }
        }
        Command::Export {
            format,
            rows,
            columns,
            output,
        } => {
            let export =
                kb_server::export::cli_export(format, rows.as_deref(), columns.as_deref())?;
            let store = Store::connect(database_url).await?;
            store.migrate().await?;
            kb_server::export::export_to(&store, export, output.as_deref()).await?;
        }
        Command::Import {
            file,
            kind,
            dry_run,
        } => {
            let store = Store::connect(database_url).await?;
            store.migrate().await?;
            import(&store, &file, kind, dry_run).await?;
        }
        Command::Dump { output } => {
            let store = Store::connect(database_url).await?;
            store.migrate().await?;
            let c = kb_server::import::dump_to(&store, output.as_deref()).await?;
            eprintln!(
                "Dumped {} organisations, {} initiatives, {} events, {} links and {} revisions.",
                c.organisations, c.initiatives, c.events, c.links, c.revisions
            );
        }
        Command::Backup { path } => {
            if let Some(file) = kb_store::sqlite_file(database_url)
                && !file.exists()
            {
                anyhow::bail!("there is no database at {}", file.display());
            }
            let store = Store::connect(database_url).await?;
            store.backup_sqlite(&path).await?;
            eprintln!("Copied the database into {}.", path.display());
        }
        Command::Keys { command } => {
            let store = Store::connect(database_url).await?;
            store.migrate().await?;
            keys(&store, command).await?;
        }
        Command::Documents { command } => {
            let store = Store::connect(database_url).await?;
            store.migrate().await?;
            documents(&store, command).await?;
        }
        Command::Serve { config, no_demo } => {
            let store = Store::connect(database_url).await?;
            kb_server::prepare(&store, !no_demo).await?;
            let listener = tokio::net::TcpListener::bind(config.bind).await?;
            tracing::info!(address = %listener.local_addr()?, "serving GraphQL on /graphql");
            kb_server::serve(listener, store, config, kb_server::shutdown_signal()).await?;
        }
    }
    Ok(())
}
