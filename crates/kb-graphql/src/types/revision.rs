//! An initiative's history: its revisions, the action each records, and who changed it
//! last.

use async_graphql::{Object, SimpleObject};
use chrono::{DateTime, Utc};
use kb_domain as domain;

/// One change of an initiative.
#[derive(Debug, Clone)]
pub struct Revision(pub(crate) kb_store::Revision);

/// One change of an initiative.
#[Object]
impl Revision {
    /// The revision's number, for `restoreRevision`.
    async fn id(&self) -> i64 {
        self.0.id.0
    }
    /// What happened, as a word: create, update, submit, withdraw, publish, reject,
    /// archive, restore or import.
    #[graphql(deprecation = "Use `kind`, the same as an enum.")]
    async fn action(&self) -> &str {
        self.0.action.as_str()
    }
    /// What happened.
    async fn kind(&self) -> RevisionAction {
        self.0.action.into()
    }
    /// The key that made the change.
    async fn actor(&self) -> &str {
        &self.0.actor
    }
    /// When the change was made.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The version the change produced.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The whole initiative before the change (null for a creation).
    async fn before(&self) -> Option<async_graphql::Json<kb_store::InitiativeSnapshot>> {
        self.0.before.clone().map(async_graphql::Json)
    }
    /// The whole initiative after the change.
    async fn after(&self) -> Option<async_graphql::Json<kb_store::InitiativeSnapshot>> {
        self.0.after.clone().map(async_graphql::Json)
    }
}

/// Who made an initiative's latest change, and when.
#[derive(SimpleObject, Debug, Clone)]
pub struct LastChange {
    /// The person's name, or the key's or `cli`; a pseudonym once the person was erased.
    pub actor: String,
    /// When the change was made.
    pub at: DateTime<Utc>,
}

/// What a revision records that happened.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum RevisionAction {
    /// Created (`createInitiative`).
    Create,
    /// Edited (`updateInitiative`, or an earlier revision restored).
    Update,
    /// Submitted for review.
    Submit,
    /// Withdrawn from review, back to a draft.
    Withdraw,
    /// Published by an editor.
    Publish,
    /// Rejected by an editor, with a reason.
    Reject,
    /// Sent back to its authors as a draft by an editor, with a note.
    SendBack,
    /// Archived.
    Archive,
    /// Restored from the archive.
    Restore,
    /// Written by `kennisbank import`.
    Import,
}

impl From<domain::revision::RevisionAction> for RevisionAction {
    fn from(action: domain::revision::RevisionAction) -> Self {
        use domain::revision::RevisionAction as R;
        use domain::workflow::Action as A;
        match action {
            R::Workflow(A::Create) => RevisionAction::Create,
            R::Workflow(A::Update) => RevisionAction::Update,
            R::Workflow(A::Submit) => RevisionAction::Submit,
            R::Workflow(A::Withdraw) => RevisionAction::Withdraw,
            R::Workflow(A::Publish) => RevisionAction::Publish,
            R::Workflow(A::Reject) => RevisionAction::Reject,
            R::Workflow(A::SendBack) => RevisionAction::SendBack,
            R::Workflow(A::Archive) => RevisionAction::Archive,
            R::Workflow(A::Restore) => RevisionAction::Restore,
            R::Import => RevisionAction::Import,
        }
    }
}
