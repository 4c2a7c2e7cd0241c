use chrono::{DateTime, Utc};
use kb_domain::input::InitiativeFields;
use kb_domain::workflow::Action;
use kb_domain::{DomainError, ErrorCode, Initiative, Viewer};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::lifecycle::{not_found, opt};
use super::*;
use crate::convert::code;
use crate::entity::revision;
use crate::{Result, Store, StoreError};

/// The whole of an initiative as a revision stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeSnapshot {
    pub slug: String,
    pub status: String,
    pub version: i32,
    pub title: String,
    pub summary: String,
    pub body: Option<String>,
    pub kind: Option<String>,
    pub rejection_reason: Option<String>,
    pub format: Option<String>,
    pub cost: Option<String>,
    pub prevention_level: Option<String>,
    pub evidence_level: Option<String>,
    pub region: Option<String>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub languages: Vec<String>,
    pub target_groups: Vec<String>,
    pub education_levels: Vec<String>,
    pub themes: Vec<String>,
    pub topics: Vec<String>,
    /// Organisation ids with role codes.
    pub organisations: Vec<(i64, String)>,
}

/// A stored revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub id: i64,
    pub action: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub version: i32,
    pub before: Option<InitiativeSnapshot>,
    pub after: Option<InitiativeSnapshot>,
}

pub(super) fn fields_of_snapshot(s: &InitiativeSnapshot) -> Result<InitiativeFields> {
    Ok(InitiativeFields {
        title: s.title.clone(),
        summary: s.summary.clone(),
        body: s.body.clone(),
        kind: opt(&s.kind)?,
        format: opt(&s.format)?,
        cost: opt(&s.cost)?,
        prevention_level: opt(&s.prevention_level)?,
        evidence_level: opt(&s.evidence_level)?,
        region: opt(&s.region)?,
        start_year: s.start_year,
        end_year: s.end_year,
        website: s.website.clone(),
        contact_email: s.contact_email.clone(),
        languages: s.languages.clone(),
        target_groups: s
            .target_groups
            .iter()
            .map(|c| code(c))
            .collect::<Result<_>>()?,
        education_levels: s
            .education_levels
            .iter()
            .map(|c| code(c))
            .collect::<Result<_>>()?,
        themes: s.themes.clone(),
        topics: s.topics.clone(),
        organisations: s
            .organisations
            .iter()
            .map(|(id, r)| Ok((*id, code(r)?)))
            .collect::<Result<_>>()?,
    })
}

impl Store {
    /// organisation; others get NOT_FOUND (they may not know it has a history).
    pub async fn initiative_revisions(&self, viewer: Viewer, id: i64) -> Result<Vec<Revision>> {
        let state = self.state(viewer, id).await?.ok_or_else(not_found)?;
        let allowed = viewer.sees_everything()
            || viewer
                .own_organisation()
                .is_some_and(|o| state.fields.organisations.iter().any(|(id, _)| *id == o));
        if !allowed {
            return Err(not_found());
        }
        let rows = revision::Entity::find()
            .filter(revision::Column::EntityType.eq("initiative"))
            .filter(revision::Column::EntityId.eq(id))
            .order_by_desc(revision::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter().map(to_revision).collect()
    }

    /// stays); the restore is itself a new revision. Editors only.
    pub async fn restore_revision(
        &self,
        actor: &Actor,
        revision_id: i64,
        expected_version: i32,
    ) -> Result<Initiative> {
        may_write(actor.viewer)?;
        if !actor.viewer.sees_everything() {
            return Err(
                DomainError::new(ErrorCode::Forbidden, "only editors restore revisions").into(),
            );
        }
        let rev = revision::Entity::find_by_id(revision_id)
            .filter(revision::Column::EntityType.eq("initiative"))
            .one(&self.db)
            .await?
            .ok_or_else(|| DomainError::new(ErrorCode::NotFound, "revision not found"))?;
        let snapshot = to_revision(rev.clone())?.after.ok_or_else(|| {
            DomainError::bad_input("revision", "this revision has no content to restore")
        })?;
        let before = self
            .state(actor.viewer, rev.entity_id)
            .await?
            .ok_or_else(not_found)?;
        if before.row.version != expected_version {
            return Err(DomainError::conflict(before.row.version).into());
        }
        let fields = fields_of_snapshot(&snapshot)?;
        let (theme_ids, topic_ids) = self.references(actor.viewer, &fields).await?;
        self.save(
            actor,
            before,
            fields,
            None,
            Action::Update,
            Some((theme_ids, topic_ids)),
        )
        .await
    }
}

pub(super) fn to_revision(r: revision::Model) -> Result<Revision> {
    let parse = |s: &Option<String>| -> Result<Option<InitiativeSnapshot>> {
        s.as_deref()
            .map(|j| {
                serde_json::from_str(j)
                    .map_err(|e| StoreError::Seed(format!("revision {}: {e}", r.id)))
            })
            .transpose()
    };
    Ok(Revision {
        id: r.id,
        action: r.action.clone(),
        actor: r.actor.clone(),
        at: r.at,
        version: r.version,
        before: parse(&r.before)?,
        after: parse(&r.after)?,
    })
}

/// Writes a revision of an initiative and its change-log row.
pub(super) async fn record(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i64,
    action: &str,
    before: Option<&InitiativeSnapshot>,
    after: Option<&InitiativeSnapshot>,
    version: i32,
) -> Result<()> {
    let json = |s: Option<&InitiativeSnapshot>| -> Result<Option<serde_json::Value>> {
        s.map(|s| serde_json::to_value(s).map_err(|e| StoreError::Seed(e.to_string())))
            .transpose()
    };
    record_json(
        txn,
        actor,
        "initiative",
        id,
        action,
        json(before)?,
        json(after)?,
        version,
    )
    .await
}
