//! Trusted documents (admins): registering operations for an API key, which from then on
//! runs only its registered operations. Audited like every write: a revision of the key
//! with the hashes before and after, and a change-log row.

use chrono::Utc;
use kb_domain::{ApiKeyId, DomainError, ErrorCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use super::Actor;
use super::audit::{Change, record};
use crate::entity::{api_key, trusted_document};
use crate::{Result, Store, access};

/// An operation to register, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTrustedDocument {
    /// SHA-256 of `document`, lower-case hex.
    pub hash: String,
    pub operation_name: Option<String>,
    pub document: String,
}

/// What registering did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    /// Documents new to the key.
    pub added: usize,
    /// Documents the key had already.
    pub unchanged: usize,
    /// The key's documents after registering.
    pub total: usize,
}

impl Store {
    /// Registers operations as trusted documents of a key (admins), in one transaction;
    /// a document the key has already is left as it is. Hashes must be 64 hex digits.
    pub async fn register_trusted_documents(
        &self,
        actor: &Actor,
        key: ApiKeyId,
        documents: &[NewTrustedDocument],
    ) -> Result<Registered> {
        access::require_admin(actor.viewer)?;
        if let Some(bad) = documents
            .iter()
            .find(|d| d.hash.len() != 64 || !d.hash.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(DomainError::bad_input(
                "hash",
                format!("`{}` is not a sha256 in hex", bad.hash),
            )
            .into());
        }
        let txn = self.db.begin().await?;
        api_key::Entity::find_by_id(key.0)
            .one(&txn)
            .await?
            .ok_or_else(|| DomainError::new(ErrorCode::NotFound, "API key not found"))?;
        let before: Vec<String> = trusted_document::Entity::find()
            .select_only()
            .column(trusted_document::Column::Hash)
            .filter(trusted_document::Column::ApiKeyId.eq(key.0))
            .order_by_asc(trusted_document::Column::Hash)
            .into_tuple()
            .all(&txn)
            .await?;
        let mut after = before.clone();
        let now = Utc::now();
        let mut added = 0;
        for d in documents {
            if after.contains(&d.hash) {
                continue;
            }
            trusted_document::Entity::insert(trusted_document::ActiveModel {
                id: NotSet,
                api_key_id: Set(key.0),
                hash: Set(d.hash.to_ascii_lowercase()),
                operation_name: Set(d.operation_name.clone()),
                document: Set(d.document.clone()),
                created_at: Set(now),
            })
            .exec(&txn)
            .await?;
            after.push(d.hash.to_ascii_lowercase());
            added += 1;
        }
        after.sort();
        let total = i32::try_from(after.len()).unwrap_or(i32::MAX);
        if added > 0 {
            api_key::Entity::update_many()
                .col_expr(api_key::Column::TrustedDocuments, Expr::value(total))
                .filter(api_key::Column::Id.eq(key.0))
                .exec(&txn)
                .await?;
            let change = Change {
                entity: "api_key",
                id: key.0,
                action: "register_documents",
                version: total,
            };
            record(&txn, actor, change, Some(&before), Some(&after)).await?;
        }
        crate::durability::commit(txn).await?;
        Ok(Registered {
            added,
            unchanged: documents.len() - added,
            total: after.len(),
        })
    }
}
