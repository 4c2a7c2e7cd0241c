//! `kennisbank`: serve the knowledge bank, migrate and seed its database, print its schema,
//! export its published content.

/// The command line: its options and one module per subcommand.
mod cli;

use std::ffi::OsString;

use anyhow::Context;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use cli::{Cli, Command};
use kb_server::config::FileSettings;

/// mimalloc: per-thread free lists without the arena locks glibc's allocator contends on
/// under many small allocations of concurrent requests, and it returns freed pages to the
/// system. C code (SQLite) keeps the C library's allocator, limited as `memory` says.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    kb_server::memory::limit_arenas();
    kb_server::install_crypto();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

/// Parses the command line over the configuration file and runs the command, `serve`
/// without one.
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
    let (otlp_endpoint, log_files) = match &command {
        Command::Serve(args) => {
            let files = match &args.config.log_dir {
                Some(dir) => Some(
                    kb_server::telemetry::files::LogFiles::open(
                        dir,
                        args.config.retention.log_retention_days,
                    )
                    .with_context(|| format!("--log-dir {}", dir.display()))?,
                ),
                None => None,
            };
            (args.config.otlp_endpoint.as_deref(), files)
        }
        _ => (None, None),
    };
    let telemetry = kb_server::telemetry::init(&cli.log_format, log_files, otlp_endpoint)?;
    let result = run_command(&cli.database_url, command, &definition, &matches, &file).await;
    telemetry.shutdown().await;
    result
}

/// Runs one subcommand; `definition`, `matches` and `file` are what `config` reports on.
async fn run_command(
    database_url: &str,
    command: Command,
    definition: &clap::Command,
    matches: &ArgMatches,
    file: &FileSettings,
) -> anyhow::Result<()> {
    match command {
        Command::Reindex(args) => cli::reindex::run(database_url, args).await,
        Command::Schema => {
            cli::schema::run();
            Ok(())
        }
        Command::Config(_) => {
            cli::config::run(definition, matches, file);
            Ok(())
        }
        Command::Migrate => cli::migrate::run(database_url).await,
        Command::Seed(args) => cli::seed::run(database_url, args).await,
        Command::Export(args) => cli::export::run(database_url, args).await,
        Command::Import(args) => cli::import::run(database_url, args).await,
        Command::Dump(args) => cli::dump::run(database_url, args).await,
        Command::Backup(args) => cli::backup::run(database_url, args).await,
        Command::Keys { command } => cli::keys::run(database_url, command).await,
        Command::Accounts { command } => cli::accounts::run(database_url, command).await,
        Command::Documents { command } => cli::documents::run(database_url, command).await,
        Command::Serve(args) => cli::serve::run(database_url, args).await,
    }
}
