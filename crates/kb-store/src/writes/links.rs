//! Typed links between initiatives (BUILDS_ON, INSPIRED_BY, RELATED_TO) with a note. The
//! unique index on (from, to, type) is what refuses a duplicate, also between concurrent
//! writers: it answers CONFLICT.

use chrono::Utc;
use kb_domain::{DomainError, ErrorCode, InitiativeId, LinkType, Vocabulary};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;

use super::Actor;
use super::audit::{Change, record};
use super::initiative::not_found;
use crate::entity::initiative_link;
use crate::{Result, Store, access};

const LINK: &str = "initiative_link";

fn note(note: Option<String>) -> Result<Option<String>> {
    match note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) {
        Some(n) if n.chars().count() > 1_000 => {
            Err(DomainError::bad_input("note", "a note may be at most 1000 characters").into())
        }
        other => Ok(other),
    }
}

impl Store {
    /// Links two visible initiatives; the viewer must be allowed to link from `from`.
    pub async fn link_initiatives(
        &self,
        actor: &Actor,
        from: InitiativeId,
        to: InitiativeId,
        link_type: LinkType,
        note_text: Option<String>,
    ) -> Result<()> {
        access::require_writer(actor.viewer)?;
        if from == to {
            return Err(DomainError::bad_input("to", "an initiative cannot link to itself").into());
        }
        let source = self
            .initiative_state(actor.viewer, from)
            .await?
            .ok_or_else(not_found)?;
        access::link_from(actor.viewer, source.fields.lead())?;
        if self
            .initiatives_by_ids(actor.viewer, &[to])
            .await?
            .is_empty()
        {
            return Err(DomainError::bad_input("to", "initiative not found").into());
        }
        let note = note(note_text)?;
        let txn = self.db.begin().await?;
        initiative_link::Entity::insert(initiative_link::ActiveModel {
            id: NotSet,
            from_id: Set(from.0),
            to_id: Set(to.0),
            link_type: Set(link_type.code().to_owned()),
            note: Set(note.clone()),
            created_at: Set(Utc::now()),
        })
        .exec(&txn)
        .await
        .map_err(|e| {
            crate::on_unique(
                e,
                DomainError::new(
                    ErrorCode::Conflict,
                    "these initiatives are already linked this way",
                ),
            )
        })?;
        let link = json!({ "from": from.0, "to": to.0, "type": link_type.code(), "note": note });
        let change = Change {
            entity: LINK,
            id: from.0,
            action: "link",
            version: 1,
        };
        record(&txn, actor, change, None, Some(&link)).await?;
        crate::durability::commit(txn).await?;
        Ok(())
    }

    /// Removes a link; unknown links are NOT_FOUND.
    pub async fn unlink_initiatives(
        &self,
        actor: &Actor,
        from: InitiativeId,
        to: InitiativeId,
        link_type: LinkType,
    ) -> Result<()> {
        access::require_writer(actor.viewer)?;
        let source = self
            .initiative_state(actor.viewer, from)
            .await?
            .ok_or_else(not_found)?;
        access::link_from(actor.viewer, source.fields.lead())?;
        let this_link = || {
            initiative_link::Entity::find()
                .filter(initiative_link::Column::FromId.eq(from.0))
                .filter(initiative_link::Column::ToId.eq(to.0))
                .filter(initiative_link::Column::LinkType.eq(link_type.code()))
        };
        let txn = self.db.begin().await?;
        let existing = this_link()
            .one(&txn)
            .await?
            .ok_or_else(|| DomainError::new(ErrorCode::NotFound, "no such link"))?;
        initiative_link::Entity::delete_by_id(existing.id)
            .exec(&txn)
            .await?;
        let before = json!({ "from": existing.from_id, "to": existing.to_id, "type": existing.link_type, "note": existing.note });
        let change = Change {
            entity: LINK,
            id: from.0,
            action: "unlink",
            version: 1,
        };
        record(&txn, actor, change, Some(&before), None).await?;
        crate::durability::commit(txn).await?;
        Ok(())
    }
}
