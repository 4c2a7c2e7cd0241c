//! What a sign-in holds between its steps: links sent by e-mail (single use, fifteen
//! minutes, only the token's hash stored) and OpenID Connect attempts between the
//! redirect to the provider and its answer (taken once, by the hash of their `state`).
//! Taking either is one conditional statement, so two requests with the same value
//! cannot both succeed.

use chrono::{DateTime, Duration, Utc};
use kb_domain::Language;
use kb_domain::account::{EmailAddress, NextPath};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::entity::{sign_in_attempt, sign_in_link};
use crate::tokens::{plausible, random_token, token_hash};
use crate::{Result, Store};

/// How long a link sent by e-mail can be used.
pub const SIGN_IN_LINK_LIFETIME: Duration = Duration::minutes(15);

/// How long a person has at the provider before the attempt lapses.
pub const SIGN_IN_ATTEMPT_LIFETIME: Duration = Duration::minutes(15);

/// A link that was used: who it was for and where they were going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedLink {
    pub email: String,
    pub next: String,
    pub language: Language,
}

/// What the relying party keeps while the person is at the provider.
#[derive(Clone, PartialEq, Eq)]
pub struct SignInAttempt {
    /// The configured provider's name.
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
    pub language: Language,
}

impl std::fmt::Debug for SignInAttempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInAttempt")
            .field("provider", &self.provider)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// A new single-use link's token for `email`, to be mailed and forgotten.
    pub async fn create_sign_in_link(
        &self,
        email: &EmailAddress,
        next: &NextPath,
        language: Language,
    ) -> Result<String> {
        self.create_sign_in_link_at(email, next, language, Utc::now())
            .await
    }

    pub(crate) async fn create_sign_in_link_at(
        &self,
        email: &EmailAddress,
        next: &NextPath,
        language: Language,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let token = random_token()?;
        sign_in_link::ActiveModel {
            token_hash: Set(token_hash(&token)),
            email: Set(email.as_str().to_owned()),
            next: Set(next.as_str().to_owned()),
            language: Set(language.code().to_owned()),
            created_at: Set(now),
            expires_at: Set(now + SIGN_IN_LINK_LIFETIME),
            used_at: Set(None),
        }
        .insert(&self.db)
        .await?;
        Ok(token)
    }

    /// Whether `token` is a link that can still be used (for the page that asks to
    /// confirm; looking does not use it up).
    pub async fn sign_in_link_usable(&self, token: &str) -> Result<bool> {
        if !plausible(token) {
            return Ok(false);
        }
        let now = Utc::now();
        Ok(sign_in_link::Entity::find_by_id(token_hash(token))
            .one(&self.db)
            .await?
            .is_some_and(|l| l.used_at.is_none() && l.expires_at > now))
    }

    /// Uses a link: the first use within its lifetime gets what it was for, every later
    /// or late one `None`.
    pub async fn use_sign_in_link(&self, token: &str) -> Result<Option<UsedLink>> {
        self.use_sign_in_link_at(token, Utc::now()).await
    }

    pub(crate) async fn use_sign_in_link_at(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UsedLink>> {
        if !plausible(token) {
            return Ok(None);
        }
        let hash = token_hash(token);
        let taken = sign_in_link::Entity::update_many()
            .col_expr(sign_in_link::Column::UsedAt, Expr::value(now))
            .filter(sign_in_link::Column::TokenHash.eq(&hash))
            .filter(sign_in_link::Column::UsedAt.is_null())
            .filter(sign_in_link::Column::ExpiresAt.gt(now))
            .exec(&self.db)
            .await?;
        if taken.rows_affected != 1 {
            return Ok(None);
        }
        Ok(sign_in_link::Entity::find_by_id(hash)
            .one(&self.db)
            .await?
            .map(|l| UsedLink {
                language: Language::from_code(&l.language).unwrap_or_default(),
                email: l.email,
                next: l.next,
            }))
    }

    /// How many links were asked for `email` since `since` (for its rate limit).
    pub async fn sign_in_links_since(
        &self,
        email: &EmailAddress,
        since: DateTime<Utc>,
    ) -> Result<u64> {
        use sea_orm::PaginatorTrait;
        Ok(sign_in_link::Entity::find()
            .filter(sign_in_link::Column::Email.eq(email.as_str()))
            .filter(sign_in_link::Column::CreatedAt.gt(since))
            .count(&self.db)
            .await?)
    }

    /// Keeps an OpenID Connect attempt under the hash of its `state`.
    pub async fn begin_sign_in_attempt(&self, state: &str, attempt: &SignInAttempt) -> Result<()> {
        self.begin_sign_in_attempt_at(state, attempt, Utc::now())
            .await
    }

    pub(crate) async fn begin_sign_in_attempt_at(
        &self,
        state: &str,
        attempt: &SignInAttempt,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sign_in_attempt::ActiveModel {
            state_hash: Set(token_hash(state)),
            provider: Set(attempt.provider.clone()),
            nonce: Set(attempt.nonce.clone()),
            pkce_verifier: Set(attempt.pkce_verifier.clone()),
            next: Set(attempt.next.clone()),
            language: Set(attempt.language.code().to_owned()),
            expires_at: Set(now + SIGN_IN_ATTEMPT_LIFETIME),
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    /// Takes the attempt a `state` names, once: a replayed, unknown or lapsed `state`
    /// gets `None`.
    pub async fn take_sign_in_attempt(&self, state: &str) -> Result<Option<SignInAttempt>> {
        self.take_sign_in_attempt_at(state, Utc::now()).await
    }

    pub(crate) async fn take_sign_in_attempt_at(
        &self,
        state: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SignInAttempt>> {
        if state.is_empty() || state.len() > 200 {
            return Ok(None);
        }
        let hash = token_hash(state);
        let Some(row) = sign_in_attempt::Entity::find_by_id(hash.clone())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let deleted = sign_in_attempt::Entity::delete_by_id(hash)
            .exec(&self.db)
            .await?;
        // Another request took it between the read and the delete.
        if deleted.rows_affected != 1 || row.expires_at <= now {
            return Ok(None);
        }
        Ok(Some(SignInAttempt {
            language: Language::from_code(&row.language).unwrap_or_default(),
            provider: row.provider,
            nonce: row.nonce,
            pkce_verifier: row.pkce_verifier,
            next: row.next,
        }))
    }

    /// Deletes lapsed links (used or not: they count towards an address's limit until
    /// then) and lapsed attempts; how many.
    pub async fn purge_sign_ins(&self) -> Result<u64> {
        let now = Utc::now();
        let links = sign_in_link::Entity::delete_many()
            .filter(sign_in_link::Column::ExpiresAt.lte(now))
            .exec(&self.db)
            .await?;
        let attempts = sign_in_attempt::Entity::delete_many()
            .filter(sign_in_attempt::Column::ExpiresAt.lte(now))
            .exec(&self.db)
            .await?;
        Ok(links.rows_affected + attempts.rows_affected)
    }
}

#[cfg(test)]
mod tests;
