//! API keys: 256 random bits shown once, stored only as a SHA-256 hash, scoped to a
//! role (and an organisation for contributors), with expiry, revocation and last use.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use kb_domain::{DomainError, ErrorCode, Role, Viewer};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

use crate::entity::{api_key, organisation};
use crate::{Result, Store, StoreError};

/// Every key starts with this, so that leaked keys are easy to recognise.
const KEY_PREFIX: &str = "kb_";

/// Last use is written at most this often per key, so reads stay reads.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// A stored key, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    /// The first characters of the key.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// The viewer this key reads and writes as.
    pub fn viewer(&self) -> Viewer {
        match (self.role, self.organisation_id) {
            (Role::Admin, _) => Viewer::Admin,
            (Role::Editor, _) => Viewer::Editor,
            (Role::Contributor, Some(organisation_id)) => Viewer::Contributor { organisation_id },
            // A contributor key always has an organisation; without one it can do
            // nothing a partner cannot.
            (Role::Contributor, None) | (Role::Partner, _) => Viewer::Partner,
        }
    }
}

/// A key as created: the secret is in `secret`, and nowhere else, ever again.
#[derive(Clone)]
pub struct NewKey {
    pub key: ApiKey,
    pub secret: String,
}

impl std::fmt::Debug for NewKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewKey")
            .field("key", &self.key)
            .field("secret", &"[hidden]")
            .finish()
    }
}

fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn to_key(m: api_key::Model) -> Result<ApiKey> {
    let role = Role::parse(&m.role)
        .ok_or_else(|| StoreError::Seed(format!("unknown role `{}` on key {}", m.role, m.id)))?;
    Ok(ApiKey {
        id: m.id,
        name: m.name,
        role,
        organisation_id: m.organisation_id,
        prefix: m.prefix,
        created_at: m.created_at,
        expires_at: m.expires_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
    })
}

impl Store {
    /// Creates a key. Contributors need an organisation; other roles take none.
    pub async fn create_api_key(
        &self,
        name: &str,
        role: Role,
        organisation_id: Option<i64>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<NewKey> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
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
            (Role::Contributor, Some(_)) => {}
            (_, Some(_)) => {
                return Err(DomainError::bad_input(
                    "organisation",
                    "only contributor keys belong to an organisation",
                )
                .into());
            }
            (_, None) => {}
        }
        if let Some(org) = organisation_id
            && organisation::Entity::find_by_id(org)
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
        getrandom::fill(&mut bytes).map_err(|e| StoreError::Seed(format!("no randomness: {e}")))?;
        let secret = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
        let row = api_key::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            name: Set(name.to_owned()),
            role: Set(role.as_str().to_owned()),
            organisation_id: Set(organisation_id),
            prefix: Set(secret.chars().take(10).collect()),
            key_hash: Set(hash(&secret)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            last_used_at: Set(None),
            revoked_at: Set(None),
        }
        .insert(&self.db)
        .await?;
        Ok(NewKey {
            key: to_key(row)?,
            secret,
        })
    }

    /// Every key, newest first.
    pub async fn list_api_keys(&self) -> Result<Vec<ApiKey>> {
        let rows = api_key::Entity::find()
            .order_by_desc(api_key::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter().map(to_key).collect()
    }

    /// Revokes a key by id; revoking twice is harmless. Unknown ids are NOT_FOUND.
    pub async fn revoke_api_key(&self, id: i64) -> Result<ApiKey> {
        let row = api_key::Entity::find_by_id(id)
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

    /// The key a secret belongs to. Unknown, revoked and expired keys are all
    /// `UNAUTHENTICATED`, with the same message, so the answer tells nothing.
    pub async fn authenticate(&self, secret: &str) -> Result<ApiKey> {
        let refused = || {
            DomainError::new(
                ErrorCode::Unauthenticated,
                "unknown, revoked or expired API key",
            )
        };
        if !secret.starts_with(KEY_PREFIX) || secret.len() > 100 {
            return Err(refused().into());
        }
        let row = api_key::Entity::find()
            .filter(api_key::Column::KeyHash.eq(hash(secret)))
            .one(&self.db)
            .await?
            .ok_or_else(refused)?;
        let now = Utc::now();
        if row.revoked_at.is_some() || row.expires_at.is_some_and(|e| e <= now) {
            return Err(refused().into());
        }
        if row.last_used_at.is_none_or(|t| now - t > TOUCH_EVERY) {
            api_key::Entity::update_many()
                .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
                .filter(api_key::Column::Id.eq(row.id))
                .exec(&self.db)
                .await?;
        }
        to_key(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_sha256_hex() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
