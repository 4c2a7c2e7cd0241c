//! API keys, the admins' to manage: creating one (its secret shown once, only its hash
//! stored) and revoking one. Reading keys and authenticating lives in `crate::keys`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use kb_domain::{ApiKeyId, DomainError, ErrorCode, OrganisationId, Role};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use super::Actor;
use crate::entity::{api_key, organisation};
use crate::keys::{KEY_PREFIX, hash, to_key};
use crate::{ApiKey, NewKey, Result, Store, StoreError, access};

/// The longest name of a key; the revisions a key writes record it with its prefix.
pub const KEY_NAME_MAX: usize = 200;

impl Store {
    /// Creates a key (admins). Contributors need an organisation; other roles take none.
    pub async fn create_api_key(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        organisation_id: Option<OrganisationId>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<NewKey> {
        access::require_admin(actor.viewer)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > KEY_NAME_MAX {
            return Err(DomainError::bad_input(
                "name",
                "a key needs a name of 1 to 200 characters",
            )
            .into());
        }
        match (role, organisation_id) {
            (Role::Contributor, None) => {
                return Err(DomainError::bad_input(
                    "organisation",
                    "a contributor key needs an organisation",
                )
                .into());
            }
            (Role::Contributor, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(DomainError::bad_input(
                    "organisation",
                    "only contributor keys belong to an organisation",
                )
                .into());
            }
        }
        if let Some(org) = organisation_id
            && organisation::Entity::find_by_id(org.0)
                .one(&self.db)
                .await?
                .is_none()
        {
            return Err(DomainError::bad_input("organisation", "unknown organisation").into());
        }
        let now = Utc::now();
        if expires_at.is_some_and(|e| e <= now) {
            return Err(DomainError::bad_input("expires", "the expiry lies in the past").into());
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| StoreError::Internal(format!("no randomness: {e}")))?;
        let secret = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
        let row = api_key::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            name: Set(name.to_owned()),
            role: Set(role.as_str().to_owned()),
            organisation_id: Set(organisation_id.map(|o| o.0)),
            prefix: Set(secret.chars().take(10).collect()),
            key_hash: Set(hash(&secret)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            last_used_at: Set(None),
            revoked_at: Set(None),
            trusted_documents: Set(0),
        }
        .insert(&self.db)
        .await?;
        Ok(NewKey {
            key: to_key(row)?,
            secret,
        })
    }

    /// Revokes a key (admins); revoking twice is harmless. Unknown ids are NOT_FOUND.
    pub async fn revoke_api_key(&self, actor: &Actor, id: ApiKeyId) -> Result<ApiKey> {
        access::require_admin(actor.viewer)?;
        let row = api_key::Entity::find_by_id(id.0)
            .one(&self.db)
            .await?
            .ok_or_else(|| DomainError::new(ErrorCode::NotFound, "API key not found"))?;
        if row.revoked_at.is_some() {
            return to_key(row);
        }
        let mut active: api_key::ActiveModel = row.into();
        active.revoked_at = Set(Some(Utc::now()));
        to_key(active.update(&self.db).await?)
    }
}
