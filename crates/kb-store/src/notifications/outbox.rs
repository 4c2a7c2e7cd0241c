//! The outbox's side of sending: claiming the rows that are due (a conditional update,
//! so that of several instances exactly one takes a row), writing what a message needs
//! at that moment, and recording that it was sent or when to try again.

use std::time::Duration;

use chrono::{DateTime, Utc};
use kb_domain::account::{AccountRole, AccountStatus};
use kb_domain::id::GlobalId;
use kb_domain::{EventId, InitiativeId, Language, NodeId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::NotificationKind;
use crate::accounts::to_account;
use crate::entity::{account, change_log, notification, revision};
use crate::{InitiativeSnapshot, Result, Store, StoreError, access};

/// Attempts after which a notification is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// The waits after the first seven failures, as multiples of the first wait.
const STEPS: [u32; 7] = [1, 5, 30, 120, 360, 720, 1440];

/// How long to wait before trying a failed notification again: the first wait, then 5,
/// 30, 120, 360, 720 and 1440 times it (with the default of a minute: 1 min, 5 min,
/// 30 min, 2 h, 6 h, 12 h, 24 h); the eighth failure gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: Duration::from_secs(60),
        }
    }
}

impl Backoff {
    /// The wait after the `failures`th failure; `None` once it is time to give up.
    pub fn after(&self, failures: i32) -> Option<Duration> {
        if failures >= MAX_ATTEMPTS {
            return None;
        }
        let step = usize::try_from(failures.max(1) - 1).ok()?;
        STEPS.get(step).map(|n| self.first.saturating_mul(*n))
    }
}

/// A claimed notification with what its message says, read as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub kind: NotificationKind,
    /// Failed attempts before this one.
    pub attempts: i32,
    pub email: String,
    pub name: String,
    pub language: Language,
    /// Whether the recipient moderates (editors and admins), whose pages differ.
    pub editor: bool,
    pub node: GlobalId,
    pub title: String,
    /// The rejection's reason or the return's note.
    pub reason: Option<String>,
}

/// What became of a notification that could not be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// It is tried again at this time.
    Retry(DateTime<Utc>),
    /// It was tried for the last time.
    GaveUp,
}

/// `d` from `now`, at most a year (a wait configured beyond it is a year).
fn later(now: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    let year = chrono::Duration::days(365);
    now + chrono::Duration::from_std(d).map_or(year, |d| d.min(year))
}

impl Store {
    /// Claims up to `limit` due notifications for `lease` (after which, if neither sent
    /// nor failed, they are due again) and reads their messages' contents. Rows whose
    /// recipient is gone, no longer active, without an address or no longer allowed to
    /// see the object are deleted instead.
    pub async fn claim_notifications(&self, limit: u64, lease: Duration) -> Result<Vec<Notice>> {
        let now = Utc::now();
        let due: Vec<notification::Model> = notification::Entity::find()
            .filter(notification::Column::SentAt.is_null())
            .filter(notification::Column::Attempts.lt(MAX_ATTEMPTS))
            .filter(notification::Column::NextAttemptAt.lte(now))
            .order_by_asc(notification::Column::NextAttemptAt)
            .order_by_asc(notification::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut notices = Vec::new();
        for row in due {
            let claimed = notification::Entity::update_many()
                .col_expr(
                    notification::Column::NextAttemptAt,
                    Expr::value(later(now, lease)),
                )
                .filter(notification::Column::Id.eq(row.id))
                .filter(notification::Column::SentAt.is_null())
                .filter(notification::Column::NextAttemptAt.lte(now))
                .exec(&self.db)
                .await?;
            if claimed.rows_affected != 1 {
                continue;
            }
            match self.notice(&row).await? {
                Some(n) => notices.push(n),
                None => {
                    notification::Entity::delete_by_id(row.id)
                        .exec(&self.db)
                        .await?;
                }
            }
        }
        Ok(notices)
    }

    /// The message of `row` as its recipient may read it; `None` when there is none to
    /// send.
    async fn notice(&self, row: &notification::Model) -> Result<Option<Notice>> {
        let Some(found) = account::Entity::find_by_id(row.account_id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let person = to_account(found)?;
        let email = person.email.clone().unwrap_or_default();
        if person.status != AccountStatus::Active || email.is_empty() {
            return Ok(None);
        }
        let kind = NotificationKind::parse(&row.kind).ok_or_else(|| {
            StoreError::Internal(format!("unknown notification kind `{}`", row.kind))
        })?;
        let viewer = person.viewer();
        let (node, title, reason) = match row.entity_type.as_str() {
            "initiative" => {
                let id = InitiativeId(row.entity_id);
                let Some(i) = self.initiatives_by_ids(viewer, &[id]).await?.pop() else {
                    return Ok(None);
                };
                let reason = match kind {
                    NotificationKind::Rejected | NotificationKind::SentBack
                        if access::initiatives_with_history(&self.db, viewer, &[id])
                            .await?
                            .contains(&id) =>
                    {
                        self.reason_of_change(row.change_seq).await?
                    }
                    _ => None,
                };
                (id.global(), i.title, reason)
            }
            "event" => {
                let id = EventId(row.entity_id);
                let Some(e) = self.events_by_ids(viewer, &[id]).await?.pop() else {
                    return Ok(None);
                };
                (id.global(), e.title, None)
            }
            _ => return Ok(None),
        };
        Ok(Some(Notice {
            id: row.id,
            kind,
            attempts: row.attempts,
            email,
            name: person.name,
            language: person.language,
            editor: person.role != AccountRole::Contributor,
            node,
            title,
            reason,
        }))
    }

    /// The reason or note a change gave, as its revision recorded it: still the one meant
    /// when the initiative has moved on (and lost it) before the message goes.
    async fn reason_of_change(&self, seq: i64) -> Result<Option<String>> {
        let Some(revision_id) = change_log::Entity::find_by_id(seq)
            .one(&self.db)
            .await?
            .and_then(|c| c.revision_id)
        else {
            return Ok(None);
        };
        let after = revision::Entity::find_by_id(revision_id)
            .one(&self.db)
            .await?
            .and_then(|r| r.after);
        let Some(after) = after else {
            return Ok(None);
        };
        let snapshot: InitiativeSnapshot = serde_json::from_str(&after).map_err(|e| {
            StoreError::Internal(format!("revision {revision_id} cannot be read: {e}"))
        })?;
        Ok(snapshot.rejection_reason)
    }

    /// Records that `notice` was sent.
    pub async fn notification_sent(&self, notice: &Notice) -> Result<()> {
        notification::Entity::update_many()
            .col_expr(notification::Column::SentAt, Expr::value(Some(Utc::now())))
            .col_expr(
                notification::Column::LastErrorKind,
                Expr::value(None::<String>),
            )
            .filter(notification::Column::Id.eq(notice.id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Records that sending `notice` failed, with the kind of failure (never the server's
    /// words); a `permanent` failure is not tried again.
    pub async fn notification_failed(
        &self,
        notice: &Notice,
        kind: &str,
        permanent: bool,
        backoff: &Backoff,
    ) -> Result<Failure> {
        let failures = if permanent {
            MAX_ATTEMPTS
        } else {
            notice.attempts.saturating_add(1)
        };
        let wait = backoff.after(failures);
        let next = later(Utc::now(), wait.unwrap_or_default());
        let stored: String = kind.chars().take(32).collect();
        notification::Entity::update_many()
            .col_expr(notification::Column::Attempts, Expr::value(failures))
            .col_expr(notification::Column::NextAttemptAt, Expr::value(next))
            .col_expr(
                notification::Column::LastErrorKind,
                Expr::value(Some(stored)),
            )
            .filter(notification::Column::Id.eq(notice.id))
            .exec(&self.db)
            .await?;
        Ok(match wait {
            Some(_) => Failure::Retry(next),
            None => Failure::GaveUp,
        })
    }

    /// Deletes notifications created more than `age` ago that were sent or given up;
    /// returns how many. Rows are kept a while after sending so that an instance that
    /// reads the same changes late finds them and adds nothing again.
    pub async fn purge_notifications(&self, age: chrono::Duration) -> Result<u64> {
        let deleted = notification::Entity::delete_many()
            .filter(notification::Column::CreatedAt.lt(Utc::now() - age))
            .filter(
                Condition::any()
                    .add(notification::Column::SentAt.is_not_null())
                    .add(notification::Column::Attempts.gte(MAX_ATTEMPTS)),
            )
            .exec(&self.db)
            .await?;
        Ok(deleted.rows_affected)
    }

    /// Notifications not sent yet and not given up.
    pub async fn pending_notifications(&self) -> Result<u64> {
        Ok(notification::Entity::find()
            .filter(notification::Column::SentAt.is_null())
            .filter(notification::Column::Attempts.lt(MAX_ATTEMPTS))
            .count(&self.db)
            .await?)
    }
}
