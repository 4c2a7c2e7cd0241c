//! `kennisbank`: serve the knowledge bank, migrate and seed its database, print its schema.

use clap::{Parser, Subcommand};
use kb_server::config::{DEFAULT_DATABASE_URL, ServerConfig};
use kb_store::Store;
use tracing_subscriber::EnvFilter;

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
        /// Do not load the demo data set into an empty database.
        #[arg(long, env = "KB_NO_DEMO")]
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
}

fn init_logging(format: &str) {
    let filter = EnvFilter::try_from_env("KB_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging(&cli.log_format);
    let command = cli.command.unwrap_or(Command::Serve {
        config: ServerConfig::default(),
        no_demo: false,
    });
    match command {
        Command::Schema => {
            print!("{}", kb_graphql::sdl());
        }
        Command::Migrate => {
            let store = Store::connect(&cli.database_url).await?;
            store.migrate().await?;
            tracing::info!("migrations applied");
        }
        Command::Seed {
            demo,
            synthetic,
            rng_seed,
        } => {
            let store = Store::connect(&cli.database_url).await?;
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
        Command::Serve { config, no_demo } => {
            let store = Store::connect(&cli.database_url).await?;
            kb_server::prepare(&store, !no_demo).await?;
            let listener = tokio::net::TcpListener::bind(config.bind).await?;
            tracing::info!(address = %listener.local_addr()?, "serving GraphQL on /graphql");
            kb_server::serve(listener, store, config, kb_server::shutdown_signal()).await?;
        }
    }
    Ok(())
}
