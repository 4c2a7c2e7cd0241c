//! `kennisbank reindex`.

use clap::Args;
use kb_store::Store;

/// The options of `reindex`.
#[derive(Debug, Args)]
pub struct ReindexArgs {
    /// Where the index is kept; default beside an SQLite database file.
    #[arg(long, env = "KB_INDEX_DIR")]
    index_dir: Option<std::path::PathBuf>,
}

/// Rebuilds the search index on disk from the database.
pub async fn run(database_url: &str, args: ReindexArgs) -> anyhow::Result<()> {
    let ReindexArgs { index_dir } = args;
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    let Some(dir) = kb_server::index_dir(&store, index_dir.as_deref()) else {
        anyhow::bail!("an index on PostgreSQL lives in memory unless --index-dir names a folder");
    };
    let started = std::time::Instant::now();
    let model = kb_readmodel::ReadModel::build_on_disk(&store, &dir).await?;
    let n = model.reindex().await?;
    eprintln!(
        "Indexed {n} initiatives into {} in {:.1} s.",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
