//! Persistence of Kennisbank: sea-orm entities, batch repositories and seeds over SQLite
//! (the embedded default) and PostgreSQL (production).
//!
//! Visibility is a rule of this crate: every read takes a [`Viewer`] and filters in SQL, so
//! no caller — list, relation, `node`, federation entity or facet — can bypass it. Reads
//! take many keys at once (one statement per relation level, never one per row). This
//! crate knows nothing of GraphQL or HTTP.

/// Writes to organisations and events.
mod catalogue_writes;
/// Connecting, configuring and counting statements.
mod connect;
/// Turning rows into domain types.
mod convert;
/// Taxonomy curation: topics, labels and descriptions.
mod curation;
/// sea-orm entities, one file per table.
mod entity;
/// Events: lookups, lists and their edges.
pub mod events;
/// Facet counts of filtered initiative lists.
mod facets;
/// Initiatives: lookups, filtered lists, counts and links.
mod initiatives;
/// API keys: creation, listing, revocation, authentication.
mod keys;
/// Organisations: lookups, lists and their edges.
pub mod organisations;
/// Loading the taxonomy, the demo data set and synthetic data.
pub mod seed;
/// Themes, topics and vocabulary labels.
mod taxonomy;
/// The visibility rule as SQL conditions.
mod visibility;
/// Per-parent windows of related rows in one statement.
mod window;
/// Writes to initiatives: transactions with revisions and the change log.
mod writes;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub use connect::Backend;
pub use facets::{FacetCount, InitiativeFacets};
pub use kb_domain::Viewer;
use kb_migration::{Migrator, MigratorTrait};
pub use keys::{ApiKey, NewKey};
use sea_orm::DatabaseConnection;
pub use writes::{Actor, InitiativeSnapshot, Revision};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A rule of the domain: shown to the client with its code.
    #[error(transparent)]
    Domain(#[from] kb_domain::DomainError),
    /// The database failed; logged, and shown to clients as `INTERNAL`.
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// A seed file could not be read.
    #[error("seed data: {0}")]
    Seed(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
    statements: Arc<AtomicU64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Runs every pending migration.
    #[tracing::instrument(skip(self))]
    pub async fn migrate(&self) -> Result<()> {
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// The number of SQL statements executed on this store since it was opened.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Which database this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await?;
        Ok(())
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<()> {
        self.db.close().await?;
        Ok(())
    }
}

pub use curation::TaxonomyText;
pub use events::EventFilter;
pub use organisations::OrganisationFilter;
