//! Loading data into an empty (or growing) knowledge bank: the taxonomy, the demo data
//! set and synthetic data sets for benchmarks. All of them write through [`batch`], which
//! assigns row ids itself so that edges can be written in the same bulk statements.

pub(crate) mod batch;
mod demo;
mod lexicon;
mod synthetic;
mod taxonomy;

pub use demo::DemoSummary;
pub use synthetic::SyntheticSummary;

use sea_orm::{EntityTrait, PaginatorTrait};

use crate::entity::{lexicon_entry, theme};
use crate::{Result, Store};

impl Store {
    /// Whether the taxonomy has been loaded.
    pub async fn has_taxonomy(&self) -> Result<bool> {
        Ok(theme::Entity::find().count(&self.db).await? > 0)
    }

    /// Loads the taxonomy (themes, topic tree, vocabulary labels) unless present, and
    /// the lexicon of search (see [`seed_lexicon`](Self::seed_lexicon)). Returns whether
    /// it loaded the taxonomy.
    pub async fn seed_taxonomy(&self) -> Result<bool> {
        self.seed_lexicon().await?;
        if self.has_taxonomy().await? {
            return Ok(false);
        }
        taxonomy::load(&self.db).await?;
        Ok(true)
    }

    /// Loads the bilingual lexicon of search from the project's copy when the lexicon
    /// is empty: in a new database, and in one made before the lexicon existed. Returns
    /// how many entries it loaded (0 when it had entries already). Reference data: the
    /// demo switch does not affect it.
    pub async fn seed_lexicon(&self) -> Result<usize> {
        if lexicon_entry::Entity::find().count(&self.db).await? > 0 {
            return Ok(0);
        }
        lexicon::load(&self.db).await
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
