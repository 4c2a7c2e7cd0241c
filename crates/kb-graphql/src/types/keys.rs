use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use super::nodes::Organisation;
use super::vocab::Role;
use crate::context::loader;
use crate::error::loader_error;

/// An API key as admins see it: never its secret.
#[derive(Debug, Clone)]
pub struct ApiKey(pub(crate) kb_store::ApiKey);

#[Object]
impl ApiKey {
    /// The key's number, for `revokeApiKey` and `kennisbank keys revoke`.
    async fn id(&self) -> i64 {
        self.0.id.0
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
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
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    /// When the key was last used (to the minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}
