//! Who is asking: the holder of the request's API key, and the keys (for admins).

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use crate::context::{loader, request, store, viewer};
use crate::error::{StoreResultExt, loader_error};
use crate::types::Organisation;
use crate::types::vocab::Role;

/// The holder of an API key.
#[derive(Debug, Clone)]
pub struct Me(kb_store::ApiKey);

/// The holder of the API key a request is made with.
#[Object(name = "Viewer")]
impl Me {
    /// The key's name, given when it was created.
    async fn key_name(&self) -> &str {
        &self.0.name
    }
    /// The first characters of the key.
    async fn key_prefix(&self) -> &str {
        &self.0.prefix
    }
    /// The role the key is scoped to.
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The organisation a contributor key belongs to.
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
    /// When the key stops working; null when it does not expire.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
}

/// The request's key holder and the keys.
#[derive(Debug, Default, Clone, Copy)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// Who the request's API key belongs to, and its role; null without a key.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Me>> {
        Ok(request(ctx)?.key.clone().map(Me))
    }

    /// People's accounts, oldest first, of one status when given (editors and admins):
    /// `PENDING` lists the requests to grant or refuse.
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only accounts with this status.")] status: Option<
            crate::types::vocab::AccountStatus,
        >,
    ) -> async_graphql::Result<Vec<crate::types::Account>> {
        Ok(store(ctx)?
            .list_accounts(viewer(ctx)?, status.map(Into::into))
            .await
            .gql()?
            .into_iter()
            .map(crate::types::Account)
            .collect())
    }

    /// Every API key, newest first (admins).
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::types::ApiKey>> {
        Ok(store(ctx)?
            .list_api_keys(viewer(ctx)?)
            .await
            .gql()?
            .into_iter()
            .map(crate::types::ApiKey)
            .collect())
    }
}
