//! `kennisbank serve`, which is also what `kennisbank` without a command does.

use clap::Args;
use clap::builder::FalseyValueParser;
use kb_server::config::ServerConfig;
use kb_store::Store;

/// The options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub config: ServerConfig,
    /// Do not load the demo data set into an empty database. `KB_NO_DEMO=true` (or `1`,
    /// `yes`) skips it; empty, `false`, `0`, `no` and `off` do not.
    #[arg(long, env = "KB_NO_DEMO", value_parser = FalseyValueParser::new())]
    pub no_demo: bool,
}

/// Prepares the database (migrations, and the taxonomy and demo data set when it is
/// empty), then serves until Ctrl-C or SIGTERM.
pub async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let ServeArgs { config, no_demo } = args;
    let store = Store::connect(database_url).await?;
    kb_server::prepare(&store, !no_demo).await?;
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    tracing::info!(address = %listener.local_addr()?, "serving GraphQL on /graphql");
    kb_server::serve(listener, store, config, kb_server::shutdown::signal()).await?;
    Ok(())
}
