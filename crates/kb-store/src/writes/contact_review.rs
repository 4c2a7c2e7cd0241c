//! Contact addresses of erased people, reviewed by an editor. Erasing an account puts
//! each initiative whose contact address was the person's up for review instead of
//! changing published content silently; the editor replaces the address by the lead
//! organisation's (when it has one; otherwise it is removed) or removes it. Either is an
//! ordinary update of the initiative (a revision and a change-log row, so read models,
//! feeds and exports follow), after which the address is scrubbed from every revision
//! snapshot of that initiative and the review is done.

use chrono::{DateTime, Utc};
use kb_domain::input::InitiativeInput;
use kb_domain::{DomainError, Initiative, InitiativeId, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};

use super::Actor;
use super::initiative::not_found;
use crate::accounts::scrub::Scrub;
use crate::accounts::scrub_revisions;
use crate::entity::{contact_review, initiative, organisation, revision};
use crate::revisions::INITIATIVE;
use crate::{Result, Store, access};

/// An initiative waiting for an editor to settle its contact address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactReview {
    pub id: i64,
    pub initiative: InitiativeId,
    pub title: String,
    pub slug: String,
    /// The initiative's status code (`published`, `draft`, …).
    pub status: String,
    pub requested_at: DateTime<Utc>,
}

/// What an editor does with a reviewed contact address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactResolution {
    /// The lead organisation's address takes its place (removed when it has none).
    ReplaceWithOrganisation,
    /// The initiative has no contact address any more.
    Remove,
}

fn review_not_found() -> DomainError {
    DomainError::not_found("contact review")
}

impl Store {
    /// The contact addresses waiting for review, oldest request first (editors).
    pub async fn contact_reviews(&self, viewer: Viewer) -> Result<Vec<ContactReview>> {
        access::review_contacts(viewer)?;
        let reviews = contact_review::Entity::find()
            .filter(contact_review::Column::EntityType.eq(INITIATIVE))
            .order_by_asc(contact_review::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = reviews.iter().map(|r| r.entity_id).collect();
        let rows = initiative::Entity::find()
            .filter(initiative::Column::Id.is_in(ids))
            .filter(access::initiatives(viewer))
            .all(&self.db)
            .await?;
        Ok(reviews
            .into_iter()
            .filter_map(|r| {
                let i = rows.iter().find(|i| i.id == r.entity_id)?;
                Some(ContactReview {
                    id: r.id,
                    initiative: InitiativeId(i.id),
                    title: i.title.clone(),
                    slug: i.slug.clone(),
                    status: i.status.clone(),
                    requested_at: r.requested_at,
                })
            })
            .collect())
    }

    /// Settles review `id` (editors): the initiative's contact address is replaced or
    /// removed by an update in `actor`'s name, the old address is scrubbed from the
    /// initiative's revisions, and the review is gone. An unknown review is NOT_FOUND.
    pub async fn resolve_contact_review(
        &self,
        actor: &Actor,
        id: i64,
        resolution: ContactResolution,
    ) -> Result<Initiative> {
        access::review_contacts(actor.viewer)?;
        let review = contact_review::Entity::find_by_id(id)
            .filter(contact_review::Column::EntityType.eq(INITIATIVE))
            .one(&self.db)
            .await?
            .ok_or_else(review_not_found)?;
        let initiative_id = InitiativeId(review.entity_id);
        let state = self
            .initiative_state(actor.viewer, initiative_id)
            .await?
            .ok_or_else(not_found)?;
        let old = state.fields.contact_email.clone();
        let replacement = match (resolution, state.fields.lead()) {
            (ContactResolution::ReplaceWithOrganisation, Some(lead)) => {
                organisation::Entity::find_by_id(lead.0)
                    .one(&self.db)
                    .await?
                    .and_then(|o| o.email)
                    .filter(|e| Some(e) != old.as_ref())
            }
            _ => None,
        };
        let updated = match &old {
            Some(_) => {
                let input = InitiativeInput {
                    contact_email: Some(replacement.unwrap_or_default()),
                    contact_personal: Some(false),
                    ..InitiativeInput::default()
                };
                self.update_initiative(actor, initiative_id, state.row.version, input)
                    .await?
            }
            None => Initiative::try_from(state.row)?,
        };
        let txn = self.db.begin().await?;
        if let Some(address) = old.as_deref() {
            scrub_revisions(
                &txn,
                Scrub {
                    address: Some(address),
                    name: None,
                },
                sea_orm::Condition::all()
                    .add(revision::Column::EntityType.eq(INITIATIVE))
                    .add(revision::Column::EntityId.eq(initiative_id.0)),
            )
            .await?;
            // What followers of the log keep of the history is out of date now.
            super::audit::log(&txn, INITIATIVE, initiative_id.0, "scrub", None, Utc::now()).await?;
        }
        contact_review::Entity::delete_by_id(review.id)
            .exec(&txn)
            .await?;
        crate::durability::commit(txn).await?;
        Ok(updated)
    }
}
