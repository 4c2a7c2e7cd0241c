//! One audit record per write: a revision (who, when, what, the whole object before and
//! after as JSON, the version it produced) and a change-log row that followers of the log
//! read. Both are written inside the write's transaction, so they exist exactly when the
//! change does.

use chrono::Utc;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait,
};
use serde::Serialize;

use super::Actor;
use crate::entity::{change_log, revision};
use crate::{Result, StoreError};

/// The advisory lock that orders change-log commits on PostgreSQL (an arbitrary constant
/// of this application).
const CHANGE_LOG_LOCK: i64 = 0x006b_626c_6f67;

/// What was changed: the kind of object, its row id, the action and the version it has
/// after the change.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change<'a> {
    pub entity: &'a str,
    pub id: i64,
    pub action: &'a str,
    pub version: i32,
}

fn json<T: Serialize>(value: Option<&T>) -> Result<Option<String>> {
    value
        .map(|v| {
            serde_json::to_string(v)
                .map_err(|e| StoreError::Internal(format!("cannot serialise a revision: {e}")))
        })
        .transpose()
}

/// Writes the revision of `change` and its change-log row.
pub(crate) async fn record<T: Serialize>(
    txn: &DatabaseTransaction,
    actor: &Actor,
    change: Change<'_>,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let now = Utc::now();
    let rev = revision::Entity::insert(revision::ActiveModel {
        id: NotSet,
        entity_type: Set(change.entity.to_owned()),
        entity_id: Set(change.id),
        action: Set(change.action.to_owned()),
        actor_key_id: Set(actor.key_id.map(|k| k.0)),
        actor: Set(actor.name.clone()),
        actor_account_id: Set(actor.account_id.map(|a| a.0)),
        at: Set(now),
        before: Set(json(before)?),
        after: Set(json(after)?),
        version: Set(change.version),
    })
    .exec(txn)
    .await?;
    log(
        txn,
        change.entity,
        change.id,
        change.action,
        Some(rev.last_insert_id),
        now,
    )
    .await
}

/// Writes a change-log row for a change that has no revision of its own (an account's
/// erasure rewrites other rows' history): followers of the log learn that what they
/// keep may be out of date.
pub(crate) async fn log(
    txn: &DatabaseTransaction,
    entity: &str,
    id: i64,
    action: &str,
    revision: Option<i64>,
    at: chrono::DateTime<Utc>,
) -> Result<()> {
    // On PostgreSQL sequence numbers are handed out at insert and become visible at
    // commit, which could be out of order; a follower reading `seq > last` would then
    // skip a late committer for ever. Writers therefore take one transaction-scoped
    // advisory lock before their change-log row and hold it until commit, so rows commit
    // in sequence order. The write rate of a knowledge bank makes this wait negligible.
    // SQLite has one writer at a time already.
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({CHANGE_LOG_LOCK})"))
            .await?;
    }
    change_log::Entity::insert(change_log::ActiveModel {
        seq: NotSet,
        entity_type: Set(entity.to_owned()),
        entity_id: Set(id),
        action: Set(action.to_owned()),
        revision_id: Set(revision),
        at: Set(at),
    })
    .exec(txn)
    .await?;
    Ok(())
}
