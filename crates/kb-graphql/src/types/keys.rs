use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use super::nodes::Organisation;
use super::vocab::Role;
use crate::context::loader;
use crate::error::loader_error;

/// An API key as admins see it: never its secret.
#[derive(Debug, Clone)]
pub struct ApiKey(pub(crate) kb_store::ApiKey);

/// An API key as admins see it: never its secret.
#[Object]
impl ApiKey {
    /// The key's number, for `revokeApiKey` and `kennisbank keys revoke`.
    async fn id(&self) -> i64 {
        self.0.id.0
    }
    /// The name given when the key was created, to recognise it by.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The role the key is scoped to.
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The first characters of the key.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }
    /// The organisation a contributor key acts for.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Organisation))
    }
    /// When the key was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the key stops working; null when it does not expire.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    /// When the key was last used (to the minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    /// When the key was revoked; null while it is not.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}
