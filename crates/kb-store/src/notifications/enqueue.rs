//! Following the change log into the outbox. The position read so far is kept in the
//! database (`notification_cursor`), so every instance continues where any left off; at
//! the very first run it starts at the head, so history from before notifications is
//! never mailed. Instances that read the same changes at once insert the same rows, and
//! the unique (change, account) key keeps one of each.

use std::collections::HashMap;

use chrono::Utc;
use kb_domain::account::{AccountRole, AccountStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TryInsertResult,
};

use super::{ENTITIES, NotificationKind};
use crate::entity::{account, change_log, notification, notification_cursor, revision};
use crate::{Result, Store};

/// The name of the outbox's row in `notification_cursor`.
const CURSOR: &str = "outbox";
/// Changes read per statement.
const BATCH: u64 = 500;

/// A change of the log that notifies someone.
struct Due {
    seq: i64,
    kind: NotificationKind,
    entity_type: String,
    entity_id: i64,
    revision_id: Option<i64>,
}

impl Store {
    /// Reads the change log from the outbox's position to its head and enqueues the
    /// notifications it gives rise to; returns how many rows were added. The first call
    /// on a database only notes the head.
    pub async fn enqueue_notifications(&self) -> Result<u64> {
        let Some(mut from) = self.notification_cursor().await? else {
            let head = self.change_log_head().await?;
            notification_cursor::Entity::insert(notification_cursor::ActiveModel {
                name: Set(CURSOR.to_owned()),
                seq: Set(head),
            })
            .on_conflict_do_nothing_on([notification_cursor::Column::Name])
            .exec_without_returning(&self.db)
            .await?;
            return Ok(0);
        };
        let mut added = 0;
        loop {
            let rows: Vec<change_log::Model> = change_log::Entity::find()
                .filter(change_log::Column::Seq.gt(from))
                .order_by_asc(change_log::Column::Seq)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            let Some(last) = rows.last().map(|r| r.seq) else {
                return Ok(added);
            };
            let due: Vec<Due> = rows
                .into_iter()
                .filter(|r| ENTITIES.contains(&r.entity_type.as_str()))
                .filter_map(|r| {
                    NotificationKind::of_action(&r.action).map(|kind| Due {
                        seq: r.seq,
                        kind,
                        entity_type: r.entity_type,
                        entity_id: r.entity_id,
                        revision_id: r.revision_id,
                    })
                })
                .collect();
            added += self.enqueue(&due).await?;
            // Only forward: another instance may have gone further meanwhile.
            notification_cursor::Entity::update_many()
                .col_expr(notification_cursor::Column::Seq, Expr::value(last))
                .filter(notification_cursor::Column::Name.eq(CURSOR))
                .filter(notification_cursor::Column::Seq.lt(last))
                .exec(&self.db)
                .await?;
            from = last;
        }
    }

    async fn notification_cursor(&self) -> Result<Option<i64>> {
        Ok(notification_cursor::Entity::find_by_id(CURSOR.to_owned())
            .one(&self.db)
            .await?
            .map(|c| c.seq))
    }

    /// Inserts the rows of `due`, leaving those another instance inserted already.
    async fn enqueue(&self, due: &[Due]) -> Result<u64> {
        if due.is_empty() {
            return Ok(0);
        }
        let actors = self.revision_accounts(due).await?;
        let mut editors: Option<Vec<i64>> = None;
        let now = Utc::now();
        let mut rows = Vec::new();
        for d in due {
            let actor = d.revision_id.and_then(|r| actors.get(&r).copied());
            let recipients = match d.kind {
                NotificationKind::Submitted => {
                    if editors.is_none() {
                        editors = Some(self.editor_recipients().await?);
                    }
                    editors.clone().unwrap_or_default()
                }
                _ => self.submitter(d).await?.into_iter().collect(),
            };
            for account_id in recipients.into_iter().filter(|a| Some(*a) != actor) {
                rows.push(notification::ActiveModel {
                    id: NotSet,
                    change_seq: Set(d.seq),
                    account_id: Set(account_id),
                    kind: Set(d.kind.as_str().to_owned()),
                    entity_type: Set(d.entity_type.clone()),
                    entity_id: Set(d.entity_id),
                    created_at: Set(now),
                    attempts: Set(0),
                    next_attempt_at: Set(now),
                    sent_at: Set(None),
                    last_error_kind: Set(None),
                });
            }
        }
        if rows.is_empty() {
            return Ok(0);
        }
        let inserted = notification::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([
                notification::Column::ChangeSeq,
                notification::Column::AccountId,
            ])
            .exec_without_returning(&self.db)
            .await?;
        Ok(match inserted {
            TryInsertResult::Inserted(n) => n,
            TryInsertResult::Empty | TryInsertResult::Conflicted => 0,
        })
    }

    /// The account that made each revision of `due`, where a person made it.
    async fn revision_accounts(&self, due: &[Due]) -> Result<HashMap<i64, i64>> {
        let ids: Vec<i64> = due.iter().filter_map(|d| d.revision_id).collect();
        let found: Vec<(i64, Option<i64>)> = revision::Entity::find()
            .select_only()
            .column(revision::Column::Id)
            .column(revision::Column::ActorAccountId)
            .filter(revision::Column::Id.is_in(ids))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(found
            .into_iter()
            .filter_map(|(rev, account)| account.map(|a| (rev, a)))
            .collect())
    }

    /// Every active editor and admin with an address.
    async fn editor_recipients(&self) -> Result<Vec<i64>> {
        Ok(account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .filter(account::Column::Status.eq(AccountStatus::Active.as_str()))
            .filter(
                account::Column::Role
                    .is_in([AccountRole::Editor.as_str(), AccountRole::Admin.as_str()]),
            )
            .filter(account::Column::Email.is_not_null())
            .filter(account::Column::Email.ne(""))
            .order_by_asc(account::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// The person a decision on `due` is for: whoever made the latest submission before
    /// it, or (when no person did) whoever created the object; only an active account
    /// with an address.
    async fn submitter(&self, due: &Due) -> Result<Option<i64>> {
        let of_object = || {
            revision::Entity::find()
                .filter(revision::Column::EntityType.eq(&due.entity_type))
                .filter(revision::Column::EntityId.eq(due.entity_id))
        };
        let mut submitted = of_object().filter(revision::Column::Action.eq("submit"));
        if let Some(rev) = due.revision_id {
            submitted = submitted.filter(revision::Column::Id.lt(rev));
        }
        let submitter = submitted
            .order_by_desc(revision::Column::Id)
            .one(&self.db)
            .await?
            .and_then(|r| r.actor_account_id);
        let person = match submitter {
            Some(a) => Some(a),
            None => of_object()
                .filter(revision::Column::Action.eq("create"))
                .order_by_asc(revision::Column::Id)
                .one(&self.db)
                .await?
                .and_then(|r| r.actor_account_id),
        };
        let Some(person) = person else {
            return Ok(None);
        };
        let found = account::Entity::find_by_id(person)
            .filter(account::Column::Status.eq(AccountStatus::Active.as_str()))
            .filter(account::Column::Email.is_not_null())
            .filter(account::Column::Email.ne(""))
            .one(&self.db)
            .await?;
        Ok(found.map(|a| a.id))
    }
}
