//! `kennisbank backup`.

use clap::Args;
use kb_store::Store;

/// The options of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file.
    path: std::path::PathBuf,
}

/// Copies the SQLite database into a new file; refuses when there is no database file,
/// rather than create an empty one to copy.
pub async fn run(database_url: &str, args: BackupArgs) -> anyhow::Result<()> {
    let BackupArgs { path } = args;
    if let Some(file) = kb_store::sqlite_file(database_url)
        && !file.exists()
    {
        anyhow::bail!("there is no database at {}", file.display());
    }
    let store = Store::connect(database_url).await?;
    store.backup_sqlite(&path).await?;
    eprintln!("Copied the database into {}.", path.display());
    Ok(())
}
