//! Mutations of people's accounts and organisations' membership: editors set the domains
//! an organisation owns and whether people of them join it at once, and grant or refuse
//! pending requests; admins appoint editors and admins. Who may do what is the store's
//! access module's to decide.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use kb_domain::{AccountId, NodeId, OrganisationId};

use crate::context::{domain as domain_err, store, viewer};
use crate::error::StoreResultExt;
use crate::types::Account;
use crate::types::vocab::AccountRole;

/// The internet domains an organisation owns, and whether people of them join it without
/// an editor's grant.
#[derive(InputObject, Debug, Clone)]
pub struct SetOrganisationMembershipInput {
    /// The organisation.
    pub organisation: ID,
    /// Its domains (`hanze.nl`), replacing the ones it had; a person at a subdomain
    /// (`psy.hanze.nl`) belongs to the domain's organisation.
    pub domains: Vec<String>,
    /// Whether people of these domains become contributors at their first sign-in
    /// (otherwise they ask, and an editor grants or refuses).
    pub accepts_members: bool,
}

/// An organisation's domains and whether it accepts members, after the change.
#[derive(SimpleObject)]
pub struct OrganisationMembershipPayload {
    /// The organisation's domains, sorted.
    pub domains: Vec<String>,
    /// Whether people of them join without a grant.
    pub accepts_members: bool,
}

/// A person's account after the change.
#[derive(SimpleObject)]
pub struct AccountPayload {
    /// The account as it is now.
    pub account: Account,
}

/// Mutations of accounts and membership.
#[derive(Debug, Default, Clone, Copy)]
pub struct AccountMutations;

#[Object]
impl AccountMutations {
    /// Sets the domains an organisation owns and whether it accepts members (editors).
    /// A domain another organisation owns is `CONFLICT`; nothing is written then.
    async fn set_organisation_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's domains and whether it accepts members.")]
        input: SetOrganisationMembershipInput,
    ) -> async_graphql::Result<OrganisationMembershipPayload> {
        let organisation = OrganisationId::decode("input.organisation", &input.organisation)
            .map_err(domain_err)?;
        let (domains, accepts_members) = store(ctx)?
            .set_organisation_membership(
                viewer(ctx)?,
                organisation,
                &input.domains,
                input.accepts_members,
            )
            .await
            .gql()?;
        Ok(OrganisationMembershipPayload {
            domains,
            accepts_members,
        })
    }

    /// Grants a pending request (editors): the person becomes an active contributor of
    /// `organisation`, or of the organisation they asked to join.
    async fn grant_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's number (`Account.id`).")] account: i64,
        #[graphql(desc = "The organisation; the one asked for when omitted.")] organisation: Option<
            ID,
        >,
    ) -> async_graphql::Result<AccountPayload> {
        let organisation = organisation
            .map(|o| OrganisationId::decode("organisation", &o))
            .transpose()
            .map_err(domain_err)?;
        let account = store(ctx)?
            .grant_account(viewer(ctx)?, AccountId(account), organisation)
            .await
            .gql()?;
        Ok(AccountPayload {
            account: Account(account),
        })
    }

    /// Refuses a pending request (editors): the person stays signed in and reads like
    /// the public.
    async fn refuse_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's number (`Account.id`).")] account: i64,
    ) -> async_graphql::Result<AccountPayload> {
        let account = store(ctx)?
            .refuse_account(viewer(ctx)?, AccountId(account))
            .await
            .gql()?;
        Ok(AccountPayload {
            account: Account(account),
        })
    }

    /// Appoints a person as contributor, editor or admin (admins).
    async fn set_account_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's number (`Account.id`).")] account: i64,
        #[graphql(desc = "The role to give.")] role: AccountRole,
    ) -> async_graphql::Result<AccountPayload> {
        let account = store(ctx)?
            .set_account_role(viewer(ctx)?, AccountId(account), role.into())
            .await
            .gql()?;
        Ok(AccountPayload {
            account: Account(account),
        })
    }
}
