//! Writes. Every mutation is one transaction that writes the rows, a revision (actor,
//! time, action, the whole object before and after) and a change-log row; a failed
//! mutation changes nothing. Updates are optimistic: they name the version they change,
//! and a stale version is a `CONFLICT` carrying the current one.

/// Creating, changing and moving initiatives through the workflow.
mod lifecycle;
/// Typed links between initiatives.
mod links;
/// Revisions of initiatives: snapshots, history, restoring.
mod revisions;

use chrono::Utc;
use kb_domain::{DomainError, ErrorCode, Viewer};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder,
};

use crate::entity::{change_log, revision};
use crate::{Result, Store, StoreError};

/// Who makes a change: the viewer it is decided for, and what the revision records.
#[derive(Debug, Clone)]
pub struct Actor {
    pub viewer: Viewer,
    pub key_id: Option<i64>,
    /// A readable name: the key's name, or `cli`.
    pub name: String,
}

/// Refuses viewers who may not write at all, before anything is looked up.
pub(crate) fn may_write(viewer: Viewer) -> Result<()> {
    match viewer {
        Viewer::Anonymous => Err(DomainError::new(
            ErrorCode::Unauthenticated,
            "sign in with an API key to make changes",
        )
        .into()),
        Viewer::Partner => {
            Err(DomainError::new(ErrorCode::Forbidden, "partner keys are read-only").into())
        }
        _ => Ok(()),
    }
}

impl Store {
    /// The highest change-log sequence number, for followers of the log.
    pub async fn change_log_head(&self) -> Result<i64> {
        let row = change_log::Entity::find()
            .order_by_desc(change_log::Column::Seq)
            .one(&self.db)
            .await?;
        Ok(row.map_or(0, |r| r.seq))
    }
}

/// Writes a revision of any object (its state before and after as JSON) and its
/// change-log row.
#[allow(clippy::too_many_arguments)] // one column each; a struct would only rename them
pub(crate) async fn record_json(
    txn: &DatabaseTransaction,
    actor: &Actor,
    entity_type: &str,
    id: i64,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    version: i32,
) -> Result<()> {
    let rev = revision::Entity::insert(revision::ActiveModel {
        id: NotSet,
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(id),
        action: Set(action.to_owned()),
        actor_key_id: Set(actor.key_id),
        actor: Set(actor.name.clone()),
        at: Set(Utc::now()),
        before: Set(before.map(|v| v.to_string())),
        after: Set(after.map(|v| v.to_string())),
        version: Set(version),
    })
    .exec(txn)
    .await?;
    log_change(txn, entity_type, id, action, Some(rev.last_insert_id)).await
}

pub(super) async fn log_change(
    txn: &DatabaseTransaction,
    entity_type: &str,
    id: i64,
    action: &str,
    revision_id: Option<i64>,
) -> Result<()> {
    change_log::Entity::insert(change_log::ActiveModel {
        seq: NotSet,
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(id),
        action: Set(action.to_owned()),
        revision_id: Set(revision_id),
        at: Set(Utc::now()),
    })
    .exec(txn)
    .await?;
    Ok(())
}

/// A unique-slug race is a conflict the client can retry.
pub(super) fn slug_taken(e: sea_orm::DbErr) -> StoreError {
    let text = e.to_string();
    if text.contains("UNIQUE") || text.contains("unique") || text.contains("duplicate") {
        DomainError::new(
            ErrorCode::Conflict,
            "an initiative with this slug was created meanwhile; try again",
        )
        .into()
    } else {
        e.into()
    }
}

pub use revisions::{InitiativeSnapshot, Revision};

/// Replaces the rows of an edge table that belong to one parent: the old rows go, the
/// new ones come in one multi-row insert.
pub(crate) async fn replace_rows<A>(
    txn: &DatabaseTransaction,
    parent: <A::Entity as EntityTrait>::Column,
    id: i64,
    rows: impl IntoIterator<Item = A>,
) -> Result<()>
where
    A: ActiveModelTrait + Send,
{
    A::Entity::delete_many()
        .filter(parent.eq(id))
        .exec(txn)
        .await?;
    let rows: Vec<A> = rows.into_iter().collect();
    if !rows.is_empty() {
        A::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
