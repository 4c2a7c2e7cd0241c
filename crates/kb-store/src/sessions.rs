//! Server-side sessions of signed-in people. The browser holds an opaque random value;
//! the database holds only its SHA-256, so a copy of the database signs no one in. A
//! session ends when it has been idle too long, when it reaches its absolute lifetime,
//! at sign-out, or when its person signs out everywhere. Being in the database, sessions
//! survive a restart and work across instances.

use chrono::{DateTime, Duration, Utc};
use kb_domain::AccountId;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::{Account, to_account};
use crate::entity::{account, session};
use crate::tokens::{plausible, random_token, token_hash};
use crate::{Result, Store, StoreError};

/// When a session was seen is written at most this often, so reads stay reads.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLifetime {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, however much it is used.
    pub absolute: Duration,
}

impl Default for SessionLifetime {
    /// Eight hours idle, fourteen days at most.
    fn default() -> Self {
        Self {
            idle: Duration::minutes(480),
            absolute: Duration::days(14),
        }
    }
}

/// A session as it starts: the cookie's value is in `secret` and nowhere else.
#[derive(Clone)]
pub struct NewSession {
    pub secret: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("secret", &"[hidden]")
            .field("csrf_token", &"[hidden]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A live session and the person it belongs to.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    pub account: Account,
    /// The token every form of this session carries.
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("account", &self.account.id)
            .field("csrf_token", &"[hidden]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Store {
    /// Starts a new session for `account`, always with a new value (a session is never
    /// carried over from before sign-in).
    pub async fn start_session(
        &self,
        account: AccountId,
        lifetime: SessionLifetime,
    ) -> Result<NewSession> {
        self.start_session_at(account, lifetime, Utc::now()).await
    }

    pub(crate) async fn start_session_at(
        &self,
        account: AccountId,
        lifetime: SessionLifetime,
        now: DateTime<Utc>,
    ) -> Result<NewSession> {
        let secret = random_token()?;
        let csrf_token = random_token()?;
        let expires_at = now + lifetime.absolute;
        session::ActiveModel {
            id: Set(token_hash(&secret)),
            account_id: Set(account.0),
            csrf_token: Set(csrf_token.clone()),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(expires_at),
        }
        .insert(&self.db)
        .await?;
        Ok(NewSession {
            secret,
            csrf_token,
            expires_at,
        })
    }

    /// The live session a cookie's value names; `None` for an unknown, idle or expired
    /// one (which is deleted then).
    pub async fn session(
        &self,
        secret: &str,
        lifetime: SessionLifetime,
    ) -> Result<Option<Session>> {
        self.session_at(secret, lifetime, Utc::now()).await
    }

    pub(crate) async fn session_at(
        &self,
        secret: &str,
        lifetime: SessionLifetime,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>> {
        if !plausible(secret) {
            return Ok(None);
        }
        let id = token_hash(secret);
        // The session and its account in one statement. The account is read afresh each
        // time, so a new role or a refusal counts at once; its sessions go with it
        // (cascade), so it exists while the session does.
        let Some((row, acc)) = session::Entity::find_by_id(id.clone())
            .find_also_related(account::Entity)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if row.expires_at <= now || row.last_seen_at + lifetime.idle <= now {
            session::Entity::delete_by_id(id).exec(&self.db).await?;
            return Ok(None);
        }
        if now - row.last_seen_at >= TOUCH_EVERY
            && let Err(e) = session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(now))
                .filter(session::Column::Id.eq(&id))
                .exec(&self.db)
                .await
        {
            // Bookkeeping: a disk too full to note it does not end the session.
            tracing::warn!(error = %e, "could not note when a session was used");
        }
        let Some(acc) = acc else {
            return Ok(None);
        };
        Ok(Some(Session {
            account: to_account(acc)?,
            csrf_token: row.csrf_token,
            created_at: row.created_at,
            expires_at: row.expires_at,
        }))
    }

    /// Ends the session a cookie's value names (sign out); whether there was one.
    pub async fn end_session(&self, secret: &str) -> Result<bool> {
        if !plausible(secret) {
            return Ok(false);
        }
        let done = session::Entity::delete_by_id(token_hash(secret))
            .exec(&self.db)
            .await?;
        Ok(done.rows_affected == 1)
    }

    /// Ends every session of `account` (sign out everywhere); how many there were.
    pub async fn end_all_sessions(&self, account: AccountId) -> Result<u64> {
        let done = session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(account.0))
            .exec(&self.db)
            .await?;
        Ok(done.rows_affected)
    }

    /// Deletes sessions that ended by time; how many.
    pub async fn purge_sessions(&self, lifetime: SessionLifetime) -> Result<u64> {
        let now = Utc::now();
        let done = session::Entity::delete_many()
            .filter(
                sea_orm::Condition::any()
                    .add(session::Column::ExpiresAt.lte(now))
                    .add(session::Column::LastSeenAt.lte(now - lifetime.idle)),
            )
            .exec(&self.db)
            .await
            .map_err(StoreError::from)?;
        Ok(done.rows_affected)
    }
}

#[cfg(test)]
mod tests;
