use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use super::nodes::Organisation;
use super::vocab::{AccountRole, AccountStatus, Language};
use crate::context::loader;
use crate::error::loader_error;

/// A person who signs in on the website, as editors and admins see them.
#[derive(Debug, Clone)]
pub struct Account(pub(crate) kb_store::Account);

async fn organisation(
    ctx: &Context<'_>,
    id: Option<kb_domain::OrganisationId>,
) -> async_graphql::Result<Option<Organisation>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(loader(ctx)?
        .load_one(id)
        .await
        .map_err(loader_error)?
        .map(Organisation))
}

/// A person who signs in on the website (machines use API keys).
#[Object]
impl Account {
    /// The account's number, for `grantAccount`, `refuseAccount`, `setAccountRole` and
    /// `kennisbank accounts`.
    async fn id(&self) -> i64 {
        self.0.id.0
    }
    /// The name the person's provider gives (or the e-mail address's local part).
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The e-mail address the person signed in with or their provider gives.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// The language mail to the person is in.
    async fn language(&self) -> Language {
        self.0.language.into()
    }
    /// What the person may do.
    async fn role(&self) -> AccountRole {
        self.0.role.into()
    }
    /// Whether the person acts in their role, waits for an editor, or was refused.
    async fn status(&self) -> AccountStatus {
        self.0.status.into()
    }
    /// The organisation the person contributes for.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.organisation_id).await
    }
    /// The organisation a pending person asks to join.
    async fn requested_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.requested_organisation_id).await
    }
    /// When the person first signed in.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the person last signed in.
    async fn last_sign_in_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_sign_in_at
    }
}
