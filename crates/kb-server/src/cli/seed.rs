//! `kennisbank seed`.

use clap::Args;
use kb_store::Store;

/// The options of `seed`: what to load besides the taxonomy.
#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Load the demo data set (fictional organisations, initiatives and events).
    #[arg(long)]
    demo: bool,
    /// Generate this many synthetic initiatives (for benchmarks).
    #[arg(long, value_name = "N")]
    synthetic: Option<usize>,
    /// Seed of the synthetic generator: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    rng_seed: u64,
}

/// Migrates, loads the taxonomy, and then the demo and synthetic data sets asked for.
pub async fn run(database_url: &str, args: SeedArgs) -> anyhow::Result<()> {
    let SeedArgs {
        demo,
        synthetic,
        rng_seed,
    } = args;
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
    Ok(())
}
