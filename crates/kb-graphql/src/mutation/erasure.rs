//! Personal data under the AVG: an admin erases a person's account on their request, and
//! an editor settles the contact addresses of erased people on initiatives (replaced by
//! the lead organisation's address, or removed). Who may do either is the store's access
//! module's to decide.

use async_graphql::{Context, Enum, Object, SimpleObject};
use kb_domain::AccountId;

use crate::context::{actor, store, viewer};
use crate::error::StoreResultExt;
use crate::mutation::initiative::InitiativePayload;
use crate::types::{Account, Initiative};

/// What an editor does with the contact address of an erased person.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ContactReviewAction {
    /// The lead organisation's e-mail address takes its place; when the organisation has
    /// none, the address is removed.
    ReplaceWithOrganisation,
    /// The initiative has no contact address any more.
    Remove,
}

impl From<ContactReviewAction> for kb_store::ContactResolution {
    fn from(a: ContactReviewAction) -> Self {
        match a {
            ContactReviewAction::ReplaceWithOrganisation => Self::ReplaceWithOrganisation,
            ContactReviewAction::Remove => Self::Remove,
        }
    }
}

/// What an erasure did.
#[derive(SimpleObject)]
pub struct EraseAccountPayload {
    /// The account as it is now: status `ERASED`, named by its pseudonym.
    pub account: Account,
    /// Sessions that ended.
    pub sessions: i64,
    /// Revisions that now name the pseudonym.
    pub revisions: i64,
    /// Initiatives whose contact address was the person's, now in `contactReviews`.
    pub contact_reviews: i64,
}

/// Erasure and contact reviews.
#[derive(Debug, Default, Clone, Copy)]
pub struct ErasureMutations;

#[Object]
impl ErasureMutations {
    /// Erases a person's account (admins): sessions and sign-in links go at once, the
    /// account becomes "verwijderde gebruiker N" (N its number) without address or
    /// identity, revisions keep their content and time but name the pseudonym, and the
    /// person's name and address leave every revision snapshot. Initiatives whose
    /// contact address was theirs appear in `contactReviews`.
    async fn erase_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's number (`Account.id`).")] id: i64,
    ) -> async_graphql::Result<EraseAccountPayload> {
        let store = store(ctx)?;
        let erasure = store
            .erase_account(viewer(ctx)?, AccountId(id))
            .await
            .gql()?;
        let account = store.account(erasure.account).await.gql()?.ok_or_else(|| {
            crate::error::coded(kb_domain::ErrorCode::NotFound, "account not found", None)
        })?;
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Ok(EraseAccountPayload {
            account: Account(account),
            sessions: count(erasure.sessions),
            revisions: count(erasure.revisions),
            contact_reviews: count(erasure.contact_reviews),
        })
    }

    /// Settles a contact review (editors): the initiative's contact address is replaced
    /// by the lead organisation's or removed, as an ordinary update (a revision in the
    /// editor's name), and the old address leaves the initiative's revisions. An unknown
    /// review is `NOT_FOUND`.
    async fn resolve_contact_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review's number (`ContactReview.id`).")] id: i64,
        #[graphql(desc = "Replace the address by the organisation's, or remove it.")]
        action: ContactReviewAction,
    ) -> async_graphql::Result<InitiativePayload> {
        let i = store(ctx)?
            .resolve_contact_review(&actor(ctx)?, id, action.into())
            .await
            .gql()?;
        Ok(InitiativePayload {
            initiative: Initiative(i),
        })
    }
}
