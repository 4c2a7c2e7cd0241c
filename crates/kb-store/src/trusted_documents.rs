//! Trusted documents: reading the operations an API key is restricted to (writes are in
//! `crate::writes::trusted_documents`). The GraphQL layer computes each document's
//! canonical text and hash; the store keeps them per key.

use chrono::{DateTime, Utc};
use kb_domain::{ApiKeyId, DomainError, ErrorCode, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{api_key, trusted_document};
use crate::keys::to_key;
use crate::{ApiKey, Result, Store, access};

/// A stored trusted document of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedDocument {
    pub key_id: ApiKeyId,
    /// SHA-256 of `document`, lower-case hex.
    pub hash: String,
    pub operation_name: Option<String>,
    /// The canonical text of the operation and the fragments it spreads.
    pub document: String,
    pub created_at: DateTime<Utc>,
}

fn to_document(m: trusted_document::Model) -> TrustedDocument {
    TrustedDocument {
        key_id: ApiKeyId(m.api_key_id),
        hash: m.hash,
        operation_name: m.operation_name,
        document: m.document,
        created_at: m.created_at,
    }
}

impl Store {
    /// The key with this id (digits) or this name (admins). A name that several keys
    /// carry is refused with their ids, so that the operator picks one.
    pub async fn api_key_by_id_or_name(&self, viewer: Viewer, key: &str) -> Result<ApiKey> {
        access::require_admin(viewer)?;
        let mut rows = match key.trim().parse::<i64>() {
            Ok(id) => api_key::Entity::find_by_id(id).all(&self.db).await?,
            Err(_) => {
                api_key::Entity::find()
                    .filter(api_key::Column::Name.eq(key.trim()))
                    .order_by_asc(api_key::Column::Id)
                    .all(&self.db)
                    .await?
            }
        };
        if rows.len() > 1 {
            return Err(DomainError::bad_input(
                "key",
                format!(
                    "{} keys are named `{key}` (ids {}); name one by its id",
                    rows.len(),
                    rows.iter()
                        .map(|r| r.id.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .into());
        }
        match rows.pop() {
            Some(row) => to_key(row),
            None => {
                Err(DomainError::new(ErrorCode::NotFound, format!("no API key `{key}`")).into())
            }
        }
    }

    /// Every trusted document of a key, by operation name then hash (admins).
    pub async fn trusted_documents(
        &self,
        viewer: Viewer,
        key: ApiKeyId,
    ) -> Result<Vec<TrustedDocument>> {
        access::require_admin(viewer)?;
        let rows = trusted_document::Entity::find()
            .filter(trusted_document::Column::ApiKeyId.eq(key.0))
            .order_by_asc(trusted_document::Column::OperationName)
            .order_by_asc(trusted_document::Column::Hash)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(to_document).collect())
    }

    /// The trusted document of the request's own key with this hash, if it has one: the
    /// one look-up a restricted key's request costs.
    pub async fn trusted_document(&self, key: &ApiKey, hash: &str) -> Result<Option<String>> {
        let row = trusted_document::Entity::find()
            .filter(trusted_document::Column::ApiKeyId.eq(key.id.0))
            .filter(trusted_document::Column::Hash.eq(hash))
            .one(&self.db)
            .await?;
        Ok(row.map(|r| r.document))
    }
}
