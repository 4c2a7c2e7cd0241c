//! API keys: reading and authenticating them (writes are in `crate::writes::keys`). Keys
//! are 256 random bits shown once, stored only as a SHA-256 hash, scoped to a
//! role (and an organisation for contributors), with expiry, revocation and last use.

use chrono::{DateTime, Duration, Utc};
use kb_domain::{ApiKeyId, DomainError, ErrorCode, OrganisationId, Role, Viewer};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

use crate::entity::api_key;
use crate::{Result, Store, StoreError, access};

/// Every key starts with this, so that leaked keys are easy to recognise.
pub(crate) const KEY_PREFIX: &str = "kb_";

/// Last use is written at most this often per key, so reads stay reads.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// A stored key, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<OrganisationId>,
    /// The first characters of the key.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// How many trusted documents the key has: a key with any runs only those.
    pub trusted_documents: i32,
}

impl ApiKey {
    /// Whether the key may run only its trusted documents.
    pub fn restricted(&self) -> bool {
        self.trusted_documents > 0
    }

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

pub(crate) fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub(crate) fn to_key(m: api_key::Model) -> Result<ApiKey> {
    let role = Role::parse(&m.role).ok_or_else(|| {
        StoreError::Internal(format!("unknown role `{}` on key {}", m.role, m.id))
    })?;
    Ok(ApiKey {
        id: ApiKeyId(m.id),
        name: m.name,
        role,
        organisation_id: m.organisation_id.map(OrganisationId),
        prefix: m.prefix,
        created_at: m.created_at,
        expires_at: m.expires_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
        trusted_documents: m.trusted_documents,
    })
}

impl Store {
    /// Every key, newest first (admins).
    pub async fn list_api_keys(&self, viewer: Viewer) -> Result<Vec<ApiKey>> {
        access::require_admin(viewer)?;
        let rows = api_key::Entity::find()
            .order_by_desc(api_key::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter().map(to_key).collect()
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
        // When the key was last used is bookkeeping: a disk too full to note it does not
        // refuse the key (reads go on while writes are refused).
        if row.last_used_at.is_none_or(|t| now - t > TOUCH_EVERY)
            && let Err(e) = api_key::Entity::update_many()
                .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
                .filter(api_key::Column::Id.eq(row.id))
                .exec(&self.db)
                .await
        {
            tracing::warn!(error = %e, key = row.id, "could not note when an API key was used");
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
