//! Loading data into an empty (or growing) knowledge bank: the taxonomy, the demo data
//! set and synthetic data sets for benchmarks. All of them write through [`batch`], which
//! assigns row ids itself so that edges can be written in the same bulk statements.

pub(crate) mod batch;
mod demo;
mod synthetic;
mod taxonomy;

pub use demo::DemoSummary;
pub use synthetic::SyntheticSummary;

use sea_orm::{EntityTrait, PaginatorTrait};

use crate::entity::theme;
use crate::{Result, Store};

impl Store {
    /// Whether the taxonomy has been loaded.
    pub async fn has_taxonomy(&self) -> Result<bool> {
        Ok(theme::Entity::find().count(&self.db).await? > 0)
    }

    /// Loads the taxonomy (themes, topic tree, vocabulary labels) unless present.
    /// Returns whether it loaded anything.
    pub async fn seed_taxonomy(&self) -> Result<bool> {
        if self.has_taxonomy().await? {
            return Ok(false);
        }
        taxonomy::load(&self.db).await?;
        Ok(true)
    }

    /// Loads the demo data set (fictional organisations, initiatives, events, links).
    pub async fn seed_demo(&self) -> Result<DemoSummary> {
        self.seed_taxonomy().await?;
        let loaded = demo::load(self).await?;
        self.analyze().await?;
        Ok(loaded)
    }

    /// Generates `n` synthetic initiatives (with organisations, events and links),
    /// deterministically from `rng_seed`.
    pub async fn seed_synthetic(&self, n: usize, rng_seed: u64) -> Result<SyntheticSummary> {
        self.seed_taxonomy().await?;
        let loaded = synthetic::load(self, n, rng_seed).await?;
        self.analyze().await?;
        Ok(loaded)
    }
}
