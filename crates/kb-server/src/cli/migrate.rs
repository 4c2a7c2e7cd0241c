//! `kennisbank migrate`.

use kb_store::Store;

/// Runs every pending migration.
pub async fn run(database_url: &str) -> anyhow::Result<()> {
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    tracing::info!("migrations applied");
    Ok(())
}
