//! Mutations of API keys (admins): create one, its secret shown once; revoke one.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use kb_domain::{ApiKeyId, NodeId, OrganisationId};

use crate::context::{actor, domain as domain_err, store};
use crate::error::StoreResultExt;
use crate::types::ApiKey;
use crate::types::vocab::*;

/// A new API key.
#[derive(InputObject, Debug, Clone)]
pub struct CreateApiKeyInput {
    /// A name to recognise the key by.
    pub name: String,
    /// The role the key is scoped to.
    pub role: Role,
    /// The organisation a contributor key acts for.
    pub organisation: Option<ID>,
    /// When the key stops working; never when omitted.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A created key: `secret` is shown this once and stored nowhere.
#[derive(SimpleObject)]
pub struct CreateApiKeyPayload {
    /// The new key.
    pub key: ApiKey,
    /// The whole key, to send as `Authorization: Bearer <secret>`; shown only here.
    pub secret: String,
}

/// A revoked key.
#[derive(SimpleObject)]
pub struct RevokeApiKeyPayload {
    /// The key as it is after the change.
    pub key: ApiKey,
}

/// Mutations of API keys.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyMutations;

#[Object]
impl KeyMutations {
    /// Creates an API key (admins).
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The key to create.")] input: CreateApiKeyInput,
    ) -> async_graphql::Result<CreateApiKeyPayload> {
        let organisation = input
            .organisation
            .map(|o| OrganisationId::decode("input.organisation", &o))
            .transpose()
            .map_err(domain_err)?;
        let new = store(ctx)?
            .create_api_key(
                &actor(ctx)?,
                &input.name,
                input.role.into(),
                organisation,
                input.expires_at,
            )
            .await
            .gql()?;
        Ok(CreateApiKeyPayload {
            key: ApiKey(new.key),
            secret: new.secret,
        })
    }

    /// Revokes an API key (admins); requests with it are refused from then on.
    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The key's number (`ApiKey.id`).")] id: i64,
    ) -> async_graphql::Result<RevokeApiKeyPayload> {
        let key = store(ctx)?
            .revoke_api_key(&actor(ctx)?, ApiKeyId(id))
            .await
            .gql()?;
        Ok(RevokeApiKeyPayload { key: ApiKey(key) })
    }
}
