//! The database schema of Kennisbank as sea-orm migrations, for SQLite and PostgreSQL alike.
//!
//! One migration per change; a migration that has landed is never edited. The server runs
//! them forward on start-up and with `kennisbank migrate`. Depends on nothing of the
//! project, so the schema's history stands on its own.

pub use sea_orm_migration::prelude::*;

/// The graph: nodes, typed edges and vocabulary labels.
mod m20261129_000001_create_graph;
/// API keys, revisions and the change log.
mod m20261129_000002_contributions;
/// Collation-free sort keys; room for a key's name in revisions.
mod m20261130_000003_sort_keys;
/// Saved views of partners and editors.
mod m20261130_000004_views;
/// Trusted documents per API key.
mod m20261130_000005_trusted_documents;
/// The row the readiness probe writes.
mod m20261206_000006_storage_probe;
/// Accounts of people, organisations' domains, sessions, sign-in links and attempts.
mod m20261206_000007_accounts;
/// Contact addresses an editor is to review after an account's erasure.
mod m20261207_000008_erasure;
/// The outbox of e-mail notifications and the change-log position it has read.
mod m20261207_000009_notifications;
/// An initiative's title and summary in English.
mod m20261207_000010_translations;
/// Organisations proposed by contributors, for the editors.
mod m20261207_000011_organisation_proposals;
/// Whether an initiative's contact address is a person's.
mod m20261207_000012_personal_contacts;
/// The bilingual lexicon of search.
mod m20261207_000013_lexicon;

/// The list of migrations, in order.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_create_graph::Migration),
            Box::new(m20261129_000002_contributions::Migration),
            Box::new(m20261130_000003_sort_keys::Migration),
            Box::new(m20261130_000004_views::Migration),
            Box::new(m20261130_000005_trusted_documents::Migration),
            Box::new(m20261206_000006_storage_probe::Migration),
            Box::new(m20261206_000007_accounts::Migration),
            Box::new(m20261207_000008_erasure::Migration),
            Box::new(m20261207_000009_notifications::Migration),
            Box::new(m20261207_000010_translations::Migration),
            Box::new(m20261207_000011_organisation_proposals::Migration),
            Box::new(m20261207_000012_personal_contacts::Migration),
            Box::new(m20261207_000013_lexicon::Migration),
        ]
    }
}
