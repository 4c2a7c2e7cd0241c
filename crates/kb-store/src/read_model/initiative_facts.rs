//! The values in-memory read models filter, count and order initiatives by, read in a
//! handful of statements however many rows: every initiative's status, kind, years,
//! themes, topics, organisations, terms and links, and every organisation's kind and
//! status.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kb_domain::{
    EducationLevel, EvidenceLevel, InitiativeId, InitiativeKind, LinkType, OrganisationId,
    OrganisationKind, Region, Status, TargetGroup, ThemeId, TopicId, Vocabulary,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::convert::{code, rows};
use crate::entity::{
    initiative, initiative_link, initiative_organisation, initiative_term, initiative_theme,
    initiative_topic, organisation,
};
use crate::initiatives::LANGUAGE;
use crate::{Result, Store, StoreError};

/// The values of one initiative that lists filter, count and order by.
#[derive(Debug, Clone, PartialEq)]
pub struct InitiativeFacts {
    pub id: InitiativeId,
    pub status: Status,
    pub kind: InitiativeKind,
    pub region: Option<Region>,
    pub evidence_level: Option<EvidenceLevel>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub sort_key: String,
    pub themes: Vec<ThemeId>,
    pub topics: Vec<TopicId>,
    pub organisations: Vec<OrganisationId>,
    pub languages: Vec<String>,
    pub target_groups: Vec<TargetGroup>,
    pub education_levels: Vec<EducationLevel>,
    /// Its typed links to other initiatives (BUILDS_ON, INSPIRED_BY, RELATED_TO).
    pub links: Vec<(InitiativeId, LinkType)>,
}

/// The values of one organisation that initiative filters use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationFacts {
    pub id: OrganisationId,
    pub kind: OrganisationKind,
    pub status: Status,
    pub name: String,
}

type Row = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i32>,
    Option<i32>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    String,
);

impl Store {
    /// The facts of the initiatives `ids`, or of every initiative with `None`: six
    /// statements either way. Ids that do not exist are absent.
    pub async fn initiative_facts(
        &self,
        ids: Option<&[InitiativeId]>,
    ) -> Result<Vec<InitiativeFacts>> {
        let raw = ids.map(rows);
        let mut q = initiative::Entity::find()
            .select_only()
            .columns([
                initiative::Column::Id,
                initiative::Column::Status,
                initiative::Column::Kind,
                initiative::Column::Region,
                initiative::Column::EvidenceLevel,
                initiative::Column::StartYear,
                initiative::Column::EndYear,
                initiative::Column::PublishedAt,
                initiative::Column::UpdatedAt,
                initiative::Column::SortKey,
            ])
            .order_by_asc(initiative::Column::Id);
        if let Some(ids) = &raw {
            q = q.filter(initiative::Column::Id.is_in(ids.clone()));
        }
        let found: Vec<Row> = q.into_tuple().all(&self.db).await?;
        let mut out: Vec<InitiativeFacts> = Vec::with_capacity(found.len());
        let mut at: HashMap<i64, usize> = HashMap::with_capacity(found.len());
        for (id, status, kind, region, evidence, start, end, published, updated, sort_key) in found
        {
            at.insert(id, out.len());
            out.push(InitiativeFacts {
                id: InitiativeId(id),
                status: code(&status)?,
                kind: code(&kind)?,
                region: region.as_deref().map(code).transpose()?,
                evidence_level: evidence.as_deref().map(code).transpose()?,
                start_year: start,
                end_year: end,
                published_at: published,
                updated_at: updated,
                sort_key,
                themes: Vec::new(),
                topics: Vec::new(),
                organisations: Vec::new(),
                languages: Vec::new(),
                target_groups: Vec::new(),
                education_levels: Vec::new(),
                links: Vec::new(),
            });
        }
        if out.is_empty() {
            return Ok(out);
        }
        let mut themes = initiative_theme::Entity::find().select_only().columns([
            initiative_theme::Column::InitiativeId,
            initiative_theme::Column::ThemeId,
        ]);
        let mut topics = initiative_topic::Entity::find().select_only().columns([
            initiative_topic::Column::InitiativeId,
            initiative_topic::Column::TopicId,
        ]);
        let mut orgs = initiative_organisation::Entity::find()
            .select_only()
            .columns([
                initiative_organisation::Column::InitiativeId,
                initiative_organisation::Column::OrganisationId,
            ]);
        let mut terms = initiative_term::Entity::find().select_only().columns([
            initiative_term::Column::InitiativeId,
            initiative_term::Column::Vocabulary,
            initiative_term::Column::Code,
        ]);
        let mut links = initiative_link::Entity::find().select_only().columns([
            initiative_link::Column::FromId,
            initiative_link::Column::ToId,
            initiative_link::Column::LinkType,
        ]);
        if let Some(ids) = &raw {
            links = links.filter(initiative_link::Column::FromId.is_in(ids.clone()));
            themes = themes.filter(initiative_theme::Column::InitiativeId.is_in(ids.clone()));
            topics = topics.filter(initiative_topic::Column::InitiativeId.is_in(ids.clone()));
            orgs = orgs.filter(initiative_organisation::Column::InitiativeId.is_in(ids.clone()));
            terms = terms.filter(initiative_term::Column::InitiativeId.is_in(ids.clone()));
        }
        let (themes, topics, orgs, terms, links) = futures_util::try_join!(
            themes.into_tuple::<(i64, i64)>().all(&self.db),
            topics.into_tuple::<(i64, i64)>().all(&self.db),
            orgs.into_tuple::<(i64, i64)>().all(&self.db),
            terms.into_tuple::<(i64, String, String)>().all(&self.db),
            links.into_tuple::<(i64, i64, String)>().all(&self.db),
        )?;
        for (from, to, link_type) in links {
            if let Some(k) = at.get(&from).copied() {
                out[k].links.push((InitiativeId(to), code(&link_type)?));
            }
        }
        let index = |id: i64| at.get(&id).copied();
        for (i, t) in themes {
            if let Some(k) = index(i) {
                out[k].themes.push(ThemeId(t));
            }
        }
        for (i, t) in topics {
            if let Some(k) = index(i) {
                out[k].topics.push(TopicId(t));
            }
        }
        for (i, o) in orgs {
            if let Some(k) = index(i) {
                out[k].organisations.push(OrganisationId(o));
            }
        }
        for (i, vocabulary, c) in terms {
            let Some(k) = index(i) else { continue };
            let f = &mut out[k];
            match vocabulary.as_str() {
                LANGUAGE => f.languages.push(c),
                v if v == TargetGroup::NAME => f.target_groups.push(code(&c)?),
                v if v == EducationLevel::NAME => f.education_levels.push(code(&c)?),
                other => {
                    return Err(StoreError::Internal(format!(
                        "initiative {i} has a term of the unknown vocabulary `{other}`"
                    )));
                }
            }
        }
        Ok(out)
    }

    /// Every organisation's kind and status.
    pub async fn organisation_facts(&self) -> Result<Vec<OrganisationFacts>> {
        let found: Vec<(i64, String, String, String)> = organisation::Entity::find()
            .select_only()
            .columns([
                organisation::Column::Id,
                organisation::Column::Kind,
                organisation::Column::Status,
                organisation::Column::Name,
            ])
            .into_tuple()
            .all(&self.db)
            .await?;
        found
            .into_iter()
            .map(|(id, kind, status, name)| {
                Ok(OrganisationFacts {
                    id: OrganisationId(id),
                    kind: code(&kind)?,
                    status: code(&status)?,
                    name,
                })
            })
            .collect()
    }
}
