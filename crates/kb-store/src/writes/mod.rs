//! Writes, grouped by the concept they change. Every mutation is one transaction that
//! writes the rows, an audit record (a revision with the actor, time, action and the whole
//! object before and after, plus a change-log row) and commits; a failed mutation changes
//! nothing. Updates are optimistic: they name the version they change, and a stale version
//! is a `CONFLICT` carrying the current one. Who may write what is asked of
//! [`crate::access`] before anything is written.

/// The audit record of every write: a revision and a change-log row.
mod audit;
/// Contact addresses of erased people: an editor replaces or removes them.
mod contact_review;
/// Events: create, update, the workflow.
mod event;
/// Importing initiatives, organisations and events from a file: an all-or-nothing upsert
/// by slug, a module per kind.
mod import;
/// Initiatives: their content, create and update, restoring a revision.
mod initiative;
/// Initiatives through the moderation workflow: submit, withdraw, publish, …
mod initiative_state;
/// API keys: creating and revoking them (admins).
mod keys;
/// The bilingual lexicon of search (editors).
mod lexicon;
/// Typed links between initiatives.
mod links;
/// Organisations (editors): create, update, archive.
mod organisation;
/// The pieces every entity's write shares: the version-guarded update, free slugs,
/// replacing edge rows.
mod save;
/// Taxonomy curation: topics, labels and descriptions.
mod taxonomy;
/// Trusted documents of API keys: registering operations a key is restricted to.
mod trusted_documents;
/// Saved views: create, update, archive, by their owner or an editor.
mod view;

use kb_domain::{AccountId, ApiKeyId, Viewer};

pub(crate) use audit::log as log_change;
pub use contact_review::{ContactResolution, ContactReview};
pub use import::{ImportReport, ImportStep};
pub use lexicon::{LEXICON_ENTITY, LexiconWrite};
pub use taxonomy::TaxonomyText;
pub use trusted_documents::{NewTrustedDocument, Registered};

/// Who makes a change: the viewer it is decided for, and what the revision records.
#[derive(Debug, Clone)]
pub struct Actor {
    pub viewer: Viewer,
    pub key_id: Option<ApiKeyId>,
    /// The signed-in person, whom the revision names.
    pub account_id: Option<AccountId>,
    /// A readable name: the key's name and prefix, the person's name, or `cli`.
    pub name: String,
}

impl Actor {
    /// The operator at the command line, who acts as an admin.
    pub fn cli() -> Self {
        Self {
            viewer: Viewer::Admin,
            key_id: None,
            account_id: None,
            name: "cli".to_owned(),
        }
    }

    /// The holder of an API key; anonymous when there is none.
    pub fn of_key(key: Option<&crate::ApiKey>) -> Self {
        match key {
            Some(k) => Self {
                viewer: k.viewer(),
                key_id: Some(k.id),
                account_id: None,
                name: format!("{} ({})", k.name, k.prefix),
            },
            None => Self {
                viewer: Viewer::Anonymous,
                key_id: None,
                account_id: None,
                name: "anonymous".to_owned(),
            },
        }
    }

    /// A signed-in person, acting as their account's viewer.
    pub fn of_account(account: &crate::Account) -> Self {
        Self {
            viewer: account.viewer(),
            key_id: None,
            account_id: Some(account.id),
            name: account.name.clone(),
        }
    }
}

/// Writes one audit record for `actor`, for tests of what revisions record.
#[cfg(test)]
pub(crate) async fn record_for_tests(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
) -> crate::Result<()> {
    let change = audit::Change {
        entity: "organisation",
        id: 1,
        action: "update",
        version: 1,
    };
    audit::record(txn, actor, change, None::<&()>, Some(&())).await
}
