//! The history of initiatives: every revision with its whole content before and after,
//! read in one statement for any number of initiatives, for editors and the organisations
//! that take part (the access module decides).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kb_domain::input::InitiativeFields;
use kb_domain::{InitiativeId, OrganisationId, RevisionId, Viewer, Vocabulary};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use crate::convert::code;
use crate::entity::{initiative, revision};
use crate::{Result, Store, StoreError, access};

/// The `entity_type` of an initiative's revisions.
pub(crate) const INITIATIVE: &str = "initiative";

/// The whole of an initiative as a revision stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeSnapshot {
    pub slug: String,
    pub status: String,
    pub version: i32,
    pub title: String,
    pub summary: String,
    /// The title in English; absent from revisions written before there was one.
    #[serde(default)]
    pub title_en: Option<String>,
    /// The summary in English; absent as `title_en`.
    #[serde(default)]
    pub summary_en: Option<String>,
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
    /// Whether the contact address is a person's; false in revisions older than it.
    #[serde(default)]
    pub contact_personal: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub languages: Vec<String>,
    pub target_groups: Vec<String>,
    pub education_levels: Vec<String>,
    pub themes: Vec<String>,
    pub topics: Vec<String>,
    /// Organisation ids with role codes.
    pub organisations: Vec<(i64, String)>,
}

fn codes<V: Vocabulary>(values: &[V]) -> Vec<String> {
    values.iter().map(|v| v.code().to_owned()).collect()
}

fn opt<V: Vocabulary>(s: &Option<String>) -> Result<Option<V>> {
    s.as_deref().map(code::<V>).transpose()
}

impl InitiativeSnapshot {
    /// The snapshot of a stored row and its content.
    pub(crate) fn new(row: &initiative::Model, f: &InitiativeFields) -> Self {
        Self {
            slug: row.slug.clone(),
            status: row.status.clone(),
            version: row.version,
            title: f.title.clone(),
            summary: f.summary.clone(),
            title_en: f.title_en.clone(),
            summary_en: f.summary_en.clone(),
            body: f.body.clone(),
            kind: f.kind.map(|k| k.code().to_owned()),
            rejection_reason: row.rejection_reason.clone(),
            format: f.format.map(|v| v.code().to_owned()),
            cost: f.cost.map(|v| v.code().to_owned()),
            prevention_level: f.prevention_level.map(|v| v.code().to_owned()),
            evidence_level: f.evidence_level.map(|v| v.code().to_owned()),
            region: f.region.map(|v| v.code().to_owned()),
            start_year: f.start_year,
            end_year: f.end_year,
            website: f.website.clone(),
            contact_email: f.contact_email.clone(),
            contact_personal: f.contact_personal,
            published_at: row.published_at,
            languages: f.languages.clone(),
            target_groups: codes(&f.target_groups),
            education_levels: codes(&f.education_levels),
            themes: f.themes.clone(),
            topics: f.topics.clone(),
            organisations: f
                .organisations
                .iter()
                .map(|(id, r)| (id.0, r.code().to_owned()))
                .collect(),
        }
    }

    /// The content this snapshot holds, as fields a write can save again.
    pub(crate) fn fields(&self) -> Result<InitiativeFields> {
        Ok(InitiativeFields {
            title: self.title.clone(),
            summary: self.summary.clone(),
            title_en: self.title_en.clone(),
            summary_en: self.summary_en.clone(),
            body: self.body.clone(),
            kind: opt(&self.kind)?,
            format: opt(&self.format)?,
            cost: opt(&self.cost)?,
            prevention_level: opt(&self.prevention_level)?,
            evidence_level: opt(&self.evidence_level)?,
            region: opt(&self.region)?,
            start_year: self.start_year,
            end_year: self.end_year,
            website: self.website.clone(),
            contact_email: self.contact_email.clone(),
            contact_personal: self.contact_personal,
            languages: self.languages.clone(),
            target_groups: self
                .target_groups
                .iter()
                .map(|c| code(c))
                .collect::<Result<_>>()?,
            education_levels: self
                .education_levels
                .iter()
                .map(|c| code(c))
                .collect::<Result<_>>()?,
            themes: self.themes.clone(),
            topics: self.topics.clone(),
            organisations: self
                .organisations
                .iter()
                .map(|(id, r)| Ok((OrganisationId(*id), code(r)?)))
                .collect::<Result<_>>()?,
        })
    }
}

/// A stored revision of an initiative.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub id: RevisionId,
    pub initiative: InitiativeId,
    pub action: kb_domain::revision::RevisionAction,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub version: i32,
    pub before: Option<InitiativeSnapshot>,
    pub after: Option<InitiativeSnapshot>,
}

/// A stored revision row as a [`Revision`]; a row whose JSON does not parse is a broken
/// row, surfaced as an internal error rather than skipped.
pub(crate) fn to_revision(r: revision::Model) -> Result<Revision> {
    let parse = |s: &Option<String>| -> Result<Option<InitiativeSnapshot>> {
        s.as_deref()
            .map(|j| {
                serde_json::from_str(j).map_err(|e| {
                    StoreError::Internal(format!("revision {} does not parse: {e}", r.id))
                })
            })
            .transpose()
    };
    Ok(Revision {
        id: RevisionId(r.id),
        initiative: InitiativeId(r.entity_id),
        action: kb_domain::revision::RevisionAction::parse(&r.action).ok_or_else(|| {
            StoreError::Internal(format!(
                "revision {} has an unknown action `{}`",
                r.id, r.action
            ))
        })?,
        actor: r.actor.clone(),
        at: r.at,
        version: r.version,
        before: parse(&r.before)?,
        after: parse(&r.after)?,
    })
}

impl Store {
    /// The revisions of each initiative whose history the viewer may read, newest first;
    /// initiatives it may not read are absent from the map. One statement for the access
    /// decision (contributors only) and one for the revisions, however many ids.
    pub async fn revisions_of_initiatives(
        &self,
        viewer: Viewer,
        ids: &[InitiativeId],
    ) -> Result<HashMap<InitiativeId, Vec<Revision>>> {
        let allowed = access::initiatives_with_history(&self.db, viewer, ids).await?;
        let mut out: HashMap<InitiativeId, Vec<Revision>> =
            allowed.iter().map(|id| (*id, Vec::new())).collect();
        if allowed.is_empty() {
            return Ok(out);
        }
        let rows = revision::Entity::find()
            .filter(revision::Column::EntityType.eq(INITIATIVE))
            .filter(revision::Column::EntityId.is_in(allowed.iter().map(|i| i.0)))
            .order_by_desc(revision::Column::Id)
            .all(&self.db)
            .await?;
        for row in rows {
            let r = to_revision(row)?;
            if let Some(list) = out.get_mut(&r.initiative) {
                list.push(r);
            }
        }
        Ok(out)
    }

    /// Who made the latest change to each initiative whose history the viewer may read,
    /// and when; one statement for the access decision and one for the changes, which
    /// reads the newest revision of each and none of their snapshots.
    pub async fn last_changes(
        &self,
        viewer: Viewer,
        ids: &[InitiativeId],
    ) -> Result<HashMap<InitiativeId, (String, DateTime<Utc>)>> {
        let allowed = access::initiatives_with_history(&self.db, viewer, ids).await?;
        if allowed.is_empty() {
            return Ok(HashMap::new());
        }
        let newest = sea_orm::sea_query::Query::select()
            .expr(sea_orm::sea_query::Func::max(
                sea_orm::sea_query::Expr::col(revision::Column::Id),
            ))
            .from(revision::Entity)
            .and_where(revision::Column::EntityType.eq(INITIATIVE))
            .and_where(revision::Column::EntityId.is_in(allowed.iter().map(|i| i.0)))
            .group_by_col(revision::Column::EntityId)
            .take();
        let rows: Vec<(i64, String, DateTime<Utc>)> = revision::Entity::find()
            .select_only()
            .column(revision::Column::EntityId)
            .column(revision::Column::Actor)
            .column(revision::Column::At)
            .filter(revision::Column::Id.in_subquery(newest))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, actor, at)| (InitiativeId(id), (actor, at)))
            .collect())
    }

    /// The rejection reason of each initiative whose history the viewer may read (editors,
    /// and the organisations taking part); absent for the rest and where there is none.
    pub async fn rejection_reasons(
        &self,
        viewer: Viewer,
        ids: &[InitiativeId],
    ) -> Result<HashMap<InitiativeId, String>> {
        let allowed = access::initiatives_with_history(&self.db, viewer, ids).await?;
        if allowed.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(i64, Option<String>)> = initiative::Entity::find()
            .select_only()
            .column(initiative::Column::Id)
            .column(initiative::Column::RejectionReason)
            .filter(initiative::Column::Id.is_in(allowed.iter().map(|i| i.0)))
            .filter(initiative::Column::RejectionReason.is_not_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, r)| r.map(|r| (InitiativeId(id), r)))
            .collect())
    }
}
