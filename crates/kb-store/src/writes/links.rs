use chrono::Utc;
use kb_domain::{DomainError, ErrorCode, LinkType, Vocabulary};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};

use super::lifecycle::not_found;
use super::*;
use crate::entity::initiative_link;
use crate::{Result, Store};

impl Store {
    /// Links two visible initiatives; the viewer must be allowed to update `from`.
    pub async fn link_initiatives(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        link_type: LinkType,
        note: Option<String>,
    ) -> Result<()> {
        may_write(actor.viewer)?;
        if from == to {
            return Err(DomainError::bad_input("to", "an initiative cannot link to itself").into());
        }
        let source = self
            .state(actor.viewer, from)
            .await?
            .ok_or_else(not_found)?;
        let owners: Vec<i64> = source.fields.lead().into_iter().collect();
        if actor.viewer.own_organisation().is_some()
            && !owners.contains(&actor.viewer.own_organisation().unwrap_or(-1))
        {
            return Err(DomainError::new(
                ErrorCode::Forbidden,
                "contributors link their own organisation's initiatives only",
            )
            .into());
        }
        if self
            .initiatives_by_ids(actor.viewer, &[to])
            .await?
            .is_empty()
        {
            return Err(DomainError::bad_input("to", "initiative not found").into());
        }
        let note = match note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) {
            Some(n) if n.chars().count() > 1_000 => {
                return Err(DomainError::bad_input(
                    "note",
                    "a note may be at most 1000 characters",
                )
                .into());
            }
            other => other,
        };
        let exists = initiative_link::Entity::find()
            .filter(initiative_link::Column::FromId.eq(from))
            .filter(initiative_link::Column::ToId.eq(to))
            .filter(initiative_link::Column::LinkType.eq(link_type.code()))
            .one(&self.db)
            .await?;
        if exists.is_some() {
            return Err(DomainError::new(
                ErrorCode::Conflict,
                "these initiatives are already linked this way",
            )
            .into());
        }
        let note_copy = note.clone();
        let txn = self.db.begin().await?;
        initiative_link::Entity::insert(initiative_link::ActiveModel {
            id: NotSet,
            from_id: Set(from),
            to_id: Set(to),
            link_type: Set(link_type.code().to_owned()),
            note: Set(note),
            created_at: Set(Utc::now()),
        })
        .exec(&txn)
        .await?;
        let link = serde_json::json!({ "from": from, "to": to, "type": link_type.code(), "note": note_copy });
        record_json(
            &txn,
            actor,
            "initiative_link",
            from,
            "link",
            None,
            Some(link),
            1,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Removes a link; unknown links are NOT_FOUND.
    pub async fn unlink_initiatives(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        link_type: LinkType,
    ) -> Result<()> {
        may_write(actor.viewer)?;
        let source = self
            .state(actor.viewer, from)
            .await?
            .ok_or_else(not_found)?;
        if let Some(org) = actor.viewer.own_organisation()
            && source.fields.lead() != Some(org)
        {
            return Err(DomainError::new(
                ErrorCode::Forbidden,
                "contributors unlink their own organisation's initiatives only",
            )
            .into());
        }
        let existing = initiative_link::Entity::find()
            .filter(initiative_link::Column::FromId.eq(from))
            .filter(initiative_link::Column::ToId.eq(to))
            .filter(initiative_link::Column::LinkType.eq(link_type.code()))
            .one(&self.db)
            .await?;
        let txn = self.db.begin().await?;
        let done = initiative_link::Entity::delete_many()
            .filter(initiative_link::Column::FromId.eq(from))
            .filter(initiative_link::Column::ToId.eq(to))
            .filter(initiative_link::Column::LinkType.eq(link_type.code()))
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            txn.rollback().await?;
            return Err(DomainError::new(ErrorCode::NotFound, "no such link").into());
        }
        let before = existing.map(|l| serde_json::json!({ "from": l.from_id, "to": l.to_id, "type": l.link_type, "note": l.note }));
        record_json(
            &txn,
            actor,
            "initiative_link",
            from,
            "unlink",
            before,
            None,
            1,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
