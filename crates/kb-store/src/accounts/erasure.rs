//! Erasing a person's account (the AVG's right to erasure), in one transaction: their
//! sessions and the sign-in links sent to their address go at once; the account keeps its
//! number but becomes "verwijderde gebruiker N" (N the account's number), with no
//! address, affiliation or identity left, so no sign-in ever finds it again (the same
//! person signing in later gets a new account); every revision they made names the
//! pseudonym instead of them, and their name and address are scrubbed from the JSON
//! snapshots of every revision. Initiatives whose contact address was theirs are not
//! changed silently: each is put up for an editor's review (`contact_review`), which
//! replaces or removes the address through the normal write path.

use chrono::Utc;
use kb_domain::account::AccountStatus;
use kb_domain::{AccountId, AccountRole, DomainError, Viewer};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::export::initiatives_with_contact;
use super::scrub::Scrub;
use crate::entity::{account, contact_review, revision, session, sign_in_link};
use crate::revisions::INITIATIVE;
use crate::{Result, Store, access};

/// The issuer an erased account carries: no provider and no address signs in as it.
pub const ERASED_ISSUER: &str = "erased";

/// Revisions are scrubbed this many at a time.
const PAGE: u64 = 500;

/// The name an erased account keeps, for the history it made.
pub fn pseudonym(id: AccountId) -> String {
    format!("verwijderde gebruiker {}", id.0)
}

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub account: AccountId,
    /// The name the account and its revisions carry now.
    pub pseudonym: String,
    pub sessions: u64,
    pub sign_in_links: u64,
    /// Revisions that named the person as their actor.
    pub revisions: u64,
    /// Revisions whose snapshots mentioned the person's name or address.
    pub snapshots: u64,
    /// Initiatives whose contact address was theirs, now waiting for an editor.
    pub contact_reviews: u64,
}

/// Scrubs the snapshots of the revisions `filter` selects; how many changed.
pub(crate) async fn scrub_revisions<C: ConnectionTrait>(
    db: &C,
    scrub: Scrub<'_>,
    filter: sea_orm::Condition,
) -> Result<u64> {
    let mut changed = 0;
    let mut after_id = 0;
    loop {
        let rows = revision::Entity::find()
            .filter(filter.clone())
            .filter(revision::Column::Id.gt(after_id))
            .order_by_asc(revision::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last() else {
            return Ok(changed);
        };
        after_id = last.id;
        for r in rows {
            let before = r.before.as_deref().and_then(|j| scrub.snapshot(j));
            let after = r.after.as_deref().and_then(|j| scrub.snapshot(j));
            if before.is_none() && after.is_none() {
                continue;
            }
            let mut update = revision::ActiveModel {
                id: Set(r.id),
                ..Default::default()
            };
            if let Some(b) = before {
                update.before = Set(Some(b));
            }
            if let Some(a) = after {
                update.after = Set(Some(a));
            }
            update.update(db).await?;
            changed += 1;
        }
    }
}

impl Store {
    /// Erases account `id` for an admin, on the person's request.
    pub async fn erase_account(&self, viewer: Viewer, id: AccountId) -> Result<Erasure> {
        access::erase_account(viewer)?;
        self.erase(id).await
    }

    /// Erases the account of the person signed in as `id`, at their own request.
    pub async fn erase_own_account(&self, id: AccountId) -> Result<Erasure> {
        self.erase(id).await
    }

    async fn erase(&self, id: AccountId) -> Result<Erasure> {
        let txn = self.db.begin().await?;
        let acc = account::Entity::find_by_id(id.0)
            .one(&txn)
            .await?
            .ok_or_else(|| DomainError::not_found("account"))?;
        let pseudonym = pseudonym(id);
        let address = acc.email.clone().filter(|_| acc.status != "erased");
        let name = acc.name.clone();
        let sessions = session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(id.0))
            .exec(&txn)
            .await?
            .rows_affected;
        let mut sign_in_links = 0;
        let mut contact_reviews = 0;
        if let Some(a) = &address {
            sign_in_links = sign_in_link::Entity::delete_many()
                .filter(
                    Expr::expr(Func::lower(Expr::col(sign_in_link::Column::Email)))
                        .eq(a.to_lowercase()),
                )
                .exec(&txn)
                .await?
                .rows_affected;
            let now = Utc::now();
            for i in initiatives_with_contact(&txn, a).await? {
                let listed = contact_review::Entity::find()
                    .filter(contact_review::Column::EntityType.eq(INITIATIVE))
                    .filter(contact_review::Column::EntityId.eq(i.id))
                    .one(&txn)
                    .await?;
                if listed.is_none() {
                    contact_review::ActiveModel {
                        id: NotSet,
                        entity_type: Set(INITIATIVE.to_owned()),
                        entity_id: Set(i.id),
                        requested_at: Set(now),
                    }
                    .insert(&txn)
                    .await?;
                    contact_reviews += 1;
                }
            }
        }
        let revisions = revision::Entity::update_many()
            .col_expr(revision::Column::Actor, Expr::value(pseudonym.clone()))
            .filter(revision::Column::ActorAccountId.eq(id.0))
            .exec(&txn)
            .await?
            .rows_affected;
        let scrub = Scrub {
            address: address.as_deref(),
            name: (!name.trim().is_empty() && name != pseudonym)
                .then_some((name.as_str(), pseudonym.as_str())),
        };
        let snapshots = if scrub.address.is_some() || scrub.name.is_some() {
            scrub_revisions(
                &txn,
                scrub,
                sea_orm::Condition::any()
                    .add(revision::Column::Before.is_not_null())
                    .add(revision::Column::After.is_not_null()),
            )
            .await?
        } else {
            0
        };
        let mut erased: account::ActiveModel = acc.into();
        erased.issuer = Set(ERASED_ISSUER.to_owned());
        erased.subject = Set(format!("erased:{}", id.0));
        erased.email = Set(None);
        erased.name = Set(pseudonym.clone());
        erased.role = Set(AccountRole::Contributor.as_str().to_owned());
        erased.organisation_id = Set(None);
        erased.requested_organisation_id = Set(None);
        erased.affiliation = Set(None);
        erased.status = Set(AccountStatus::Erased.as_str().to_owned());
        erased.last_sign_in_at = Set(None);
        erased.update(&txn).await?;
        // The revisions now name the pseudonym: what read models and memos keep of them
        // is forgotten when this row is followed.
        crate::writes::log_change(&txn, "account", id.0, "erase", None, Utc::now()).await?;
        crate::durability::commit(txn).await?;
        tracing::info!(
            account = id.0,
            sessions,
            sign_in_links,
            revisions,
            snapshots,
            contact_reviews,
            "account erased"
        );
        Ok(Erasure {
            account: id,
            pseudonym,
            sessions,
            sign_in_links,
            revisions,
            snapshots,
            contact_reviews,
        })
    }
}

#[cfg(test)]
mod tests;
