//! Persistence of Kennisbank: sea-orm entities, batch repositories and seeds over SQLite
//! (the embedded default) and PostgreSQL (production).
//!
//! Access is a rule of this crate, decided in one module (`access`): every read takes a
//! [`Viewer`] and filters in SQL, every write an [`Actor`], so no caller — list, relation,
//! `node`, federation entity, facet or mutation — can bypass it. Reads
//! take many keys at once (one statement per relation level, never one per row). This
//! crate knows nothing of GraphQL or HTTP.

/// The one access rule: who may see and who may change what. Public for read models,
/// which apply the same rule to what they hold.
pub mod access;
/// People's accounts: found or created at sign-in, managed by editors and admins.
mod accounts;
/// Backups of an SQLite database while it serves.
mod backup;
/// Connecting, configuring and counting statements.
mod connect;
/// Turning rows into domain types.
mod convert;
/// A complete dump of the knowledge bank, and its restore into an empty database.
mod dump;
// The pool's guard on connections, the storage-full condition and its probe.
mod durability;
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
/// Reading the bilingual lexicon of search.
mod lexicon;
/// E-mail notifications of the moderation workflow: the outbox that follows the change
/// log, and the rows a sender claims.
mod notifications;
/// Organisations contributors propose for the editors.
mod organisation_proposals;
/// Organisations: lookups, lists and their edges.
pub mod organisations;
/// What in-memory read models read: facts, edges and texts in a few statements, and
/// the change log they follow.
mod read_model;
/// The history of initiatives: revisions and rejection reasons.
mod revisions;
/// Loading the taxonomy, the demo data set and synthetic data.
pub mod seed;
/// Server-side sessions of signed-in people.
mod sessions;
/// Sign-in links sent by e-mail and OpenID Connect attempts, each used once.
mod sign_in;
/// Counting the statements of a request across its tasks.
mod statements;
/// Themes, topics and vocabulary labels.
mod taxonomy;
/// Random secrets and their hashes: session cookies, CSRF tokens, links, `state`.
mod tokens;
/// Trusted documents of API keys: reading them.
mod trusted_documents;
/// Saved views: their rows, stored filter and the reads that find them.
mod views;
/// Per-parent windows of related rows in one statement.
mod window;
/// Writes by concept: initiatives, their workflow, links, organisations, events, the
/// taxonomy and API keys; each one transaction with its audit record.
mod writes;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub use accounts::{
    Account, EMAIL_ISSUER, ERASED_ISSUER, EXPORT_FORMAT, Erasure, Identity, pseudonym,
};
pub use connect::Backend;
pub use dump::{DUMP_FORMAT, DUMP_VERSION, Dump, DumpCounts};
pub use durability::Writable;
pub use facets::{FacetCount, InitiativeFacets};
pub use kb_domain::Viewer;
use kb_domain::sort_key::sort_key;
use kb_migration::{Migrator, MigratorTrait};
pub use keys::{ApiKey, NewKey};
pub use notifications::{Backoff, Failure, Notice, NotificationKind};
pub use organisation_proposals::OrganisationProposal;
pub use read_model::{
    Change, EventFacts, EventText, InitiativeFacts, InitiativeText, OrganisationFacts,
    OrganisationText,
};
pub use revisions::{InitiativeSnapshot, Revision};
use sea_orm::DatabaseConnection;
pub use sessions::{NewSession, Session, SessionLifetime};
pub use sign_in::{SIGN_IN_LINK_LIFETIME, SignInAttempt, UsedLink};
pub use statements::{StatementScope, counting_statements, discarded_connections};
pub use trusted_documents::TrustedDocument;
pub use views::ViewRevision;
pub use writes::{
    Actor, ContactResolution, ContactReview, ImportReport, ImportStep, LEXICON_ENTITY,
    LexiconWrite, NewTrustedDocument, Registered, TaxonomyText,
};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A rule of the domain: shown to the client with its code.
    #[error(transparent)]
    Domain(#[from] kb_domain::DomainError),
    /// The database failed; logged, and shown to clients as `INTERNAL`.
    #[error("database error: {0}")]
    Db(sea_orm::DbErr),
    /// The database cannot be reached (no connection, or it went away): logged, and
    /// shown to clients as `UNAVAILABLE`.
    #[error("database unavailable: {0}")]
    Unavailable(sea_orm::DbErr),
    /// The database's disk is full (SQLite's `SQLITE_FULL`, PostgreSQL's `53100`): nothing
    /// was written; shown to clients as `UNAVAILABLE` with the reason `STORAGE_FULL`.
    #[error("storage full: {0}")]
    StorageFull(sea_orm::DbErr),
    /// A seed file could not be read.
    #[error("seed data: {0}")]
    Seed(String),
    /// A stored row or value the store cannot read back (a broken invariant); logged,
    /// and shown to clients as `INTERNAL`.
    #[error("internal: {0}")]
    Internal(String),
}

/// A unique index refusing a row means a concurrent or earlier write holds the key: a
/// `CONFLICT` the client can act on, found through the driver's error code (never the
/// message text). Everything else stays a database error.
impl From<sea_orm::DbErr> for StoreError {
    fn from(e: sea_orm::DbErr) -> Self {
        on_unique(
            e,
            kb_domain::DomainError::new(
                kb_domain::ErrorCode::Conflict,
                "another change took this name or key meanwhile; try again",
            ),
        )
    }
}

/// `conflict` when `e` is a unique-key violation, unavailable when the database cannot be
/// reached, the database error otherwise.
pub(crate) fn on_unique(e: sea_orm::DbErr, conflict: kb_domain::DomainError) -> StoreError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Domain(conflict),
        _ if unreachable_database(&e) => StoreError::Unavailable(e),
        _ if durability::storage_full(&e) => StoreError::StorageFull(e),
        _ => StoreError::Db(e),
    }
}

/// Whether `e` says the database cannot be reached rather than that a statement failed:
/// no connection from the pool, a connection that broke, or PostgreSQL shutting down
/// (SQLSTATE classes 08, connection exception, and 57P, operator intervention).
fn unreachable_database(e: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(x)) | DbErr::Query(RuntimeErr::SqlxError(x)) => {
            match x.as_ref() {
                Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
                Sqlx::Database(d) => d
                    .code()
                    .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
                _ => false,
            }
        }
        _ => false,
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The file an `sqlite://` URL names; `None` for PostgreSQL and in-memory SQLite.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let path = url
        .strip_prefix("sqlite://")?
        .split('?')
        .next()
        .filter(|p| !p.is_empty() && *p != ":memory:")?;
    Some(std::path::PathBuf::from(path))
}

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
    statements: Arc<AtomicU64>,
    /// Where it connected, for [`Store::with_own_pool`].
    url: Arc<str>,
    /// The readiness probe's last answer.
    probe: Arc<durability::Probe>,
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
        self.fill_sort_keys().await
    }

    /// Gives rows made before sort keys existed (or by hand) their key: the folding is
    /// the domain's, so SQL cannot compute it in a migration. Reads nothing when every
    /// row has one.
    async fn fill_sort_keys(&self) -> Result<()> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};
        let txn = self.db.begin().await?;
        let initiatives: Vec<(i64, String)> = entity::initiative::Entity::find()
            .select_only()
            .column(entity::initiative::Column::Id)
            .column(entity::initiative::Column::Title)
            .filter(entity::initiative::Column::SortKey.eq(""))
            .into_tuple()
            .all(&txn)
            .await?;
        for (id, title) in initiatives {
            entity::initiative::Entity::update_many()
                .col_expr(
                    entity::initiative::Column::SortKey,
                    sea_orm::sea_query::Expr::value(sort_key(&title)),
                )
                .filter(entity::initiative::Column::Id.eq(id))
                .exec(&txn)
                .await?;
        }
        let organisations: Vec<(i64, String)> = entity::organisation::Entity::find()
            .select_only()
            .column(entity::organisation::Column::Id)
            .column(entity::organisation::Column::Name)
            .filter(entity::organisation::Column::SortKey.eq(""))
            .into_tuple()
            .all(&txn)
            .await?;
        for (id, name) in organisations {
            entity::organisation::Entity::update_many()
                .col_expr(
                    entity::organisation::Column::SortKey,
                    sea_orm::sea_query::Expr::value(sort_key(&name)),
                )
                .filter(entity::organisation::Column::Id.eq(id))
                .exec(&txn)
                .await?;
        }
        crate::durability::commit(txn).await?;
        Ok(())
    }

    /// How many connections the store's pool holds open, and how many of those are idle.
    pub fn pool_use(&self) -> (u32, usize) {
        match self.backend {
            Backend::Sqlite => {
                let pool = self.db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
            Backend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
        }
    }

    /// The number of SQL statements executed on this store since it was opened.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Another handle on the same database with a pool and a statement count of its
    /// own: for background work, which must neither wait behind requests for a
    /// connection nor count among their statements.
    pub async fn with_own_pool(&self) -> Result<Store> {
        Store::connect(&self.url).await
    }

    /// The file of an SQLite database (none for PostgreSQL or an in-memory SQLite):
    /// where files that belong with the database, such as the search index, go.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        sqlite_file(&self.url)
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

pub use events::EventFilter;
pub use organisations::OrganisationFilter;
