//! `kennisbank dump`.

use clap::Args;
use kb_store::{Actor, Store};

/// The options of `dump`.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// The file to write; stdout without one.
    #[arg(long, short)]
    output: Option<std::path::PathBuf>,
}

/// Writes the dump as the operator (an admin), and says on stderr how much it holds.
pub async fn run(database_url: &str, args: DumpArgs) -> anyhow::Result<()> {
    let DumpArgs { output } = args;
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    let counts = kb_exchange::dump::dump_to(&store, Actor::cli().viewer, output.as_deref()).await?;
    eprintln!("{}", kb_exchange::dump::summary(&counts));
    Ok(())
}
