//! Saved views as rows: their filter kept as JSON in the store's own shape (vocabulary
//! codes and row ids, never GraphQL's), and the reads that find them for a viewer
//! through [`crate::access`].

use kb_domain::view::{View, ViewField, ViewId, ViewState};
use kb_domain::{
    ApiKeyId, InitiativeFilter, InitiativeOrder, Language, OrganisationId, Viewer, Vocabulary,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use crate::entity::{api_key, revision, saved_view};
use crate::{Result, Store, StoreError, access};

/// The stored shape of a view's filter: every list by code.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct StoredFilter {
    themes: Vec<String>,
    topics: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    every_topic: Vec<String>,
    kinds: Vec<String>,
    organisations: Vec<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    every_organisation: Vec<i64>,
    organisation_kinds: Vec<String>,
    target_groups: Vec<String>,
    education_levels: Vec<String>,
    regions: Vec<String>,
    evidence_levels: Vec<String>,
    languages: Vec<String>,
    year_from: Option<i32>,
    year_to: Option<i32>,
}

fn codes<V: Vocabulary>(v: &[V]) -> Vec<String> {
    v.iter().map(|x| x.code().to_owned()).collect()
}

fn values<V: Vocabulary>(v: &[String]) -> Result<Vec<V>> {
    v.iter().map(|c| crate::convert::code::<V>(c)).collect()
}

impl StoredFilter {
    pub(crate) fn of(f: &InitiativeFilter) -> Self {
        Self {
            themes: f.themes.clone(),
            topics: f.topics.clone(),
            every_topic: f.every_topic.clone(),
            kinds: codes(&f.kinds),
            organisations: f.organisations.iter().map(|o| o.0).collect(),
            every_organisation: f.every_organisation.iter().map(|o| o.0).collect(),
            organisation_kinds: codes(&f.organisation_kinds),
            target_groups: codes(&f.target_groups),
            education_levels: codes(&f.education_levels),
            regions: codes(&f.regions),
            evidence_levels: codes(&f.evidence_levels),
            languages: f.languages.clone(),
            year_from: f.year_from,
            year_to: f.year_to,
        }
    }

    fn filter(self) -> Result<InitiativeFilter> {
        Ok(InitiativeFilter {
            kinds: values(&self.kinds)?,
            organisation_kinds: values(&self.organisation_kinds)?,
            target_groups: values(&self.target_groups)?,
            education_levels: values(&self.education_levels)?,
            regions: values(&self.regions)?,
            evidence_levels: values(&self.evidence_levels)?,
            themes: self.themes,
            topics: self.topics,
            every_topic: self.every_topic,
            organisations: self.organisations.into_iter().map(OrganisationId).collect(),
            every_organisation: self
                .every_organisation
                .into_iter()
                .map(OrganisationId)
                .collect(),
            languages: self.languages,
            year_from: self.year_from,
            year_to: self.year_to,
            statuses: Vec::new(),
        })
    }
}

pub(crate) fn order_code(o: InitiativeOrder) -> &'static str {
    match o {
        InitiativeOrder::Newest => "newest",
        InitiativeOrder::Title => "title",
        InitiativeOrder::RecentlyUpdated => "recently_updated",
        InitiativeOrder::LeastRecentlyUpdated => "least_recently_updated",
    }
}

pub(crate) fn fields_code(f: &[ViewField]) -> String {
    f.iter().map(|f| f.code()).collect::<Vec<_>>().join(",")
}

fn broken(what: &str, value: &str) -> StoreError {
    StoreError::Internal(format!("unknown view {what} `{value}` in the database"))
}

impl TryFrom<saved_view::Model> for View {
    type Error = StoreError;
    fn try_from(m: saved_view::Model) -> Result<Self> {
        let stored: StoredFilter = serde_json::from_str(&m.filter)
            .map_err(|e| StoreError::Internal(format!("view {} filter: {e}", m.id)))?;
        let order = match m.order_by.as_str() {
            "newest" => InitiativeOrder::Newest,
            "title" => InitiativeOrder::Title,
            "recently_updated" => InitiativeOrder::RecentlyUpdated,
            "least_recently_updated" => InitiativeOrder::LeastRecentlyUpdated,
            o => return Err(broken("order", o)),
        };
        let lang = match m.lang.as_deref() {
            None => None,
            Some(l) => Some(Language::from_code(l).ok_or_else(|| broken("language", l))?),
        };
        let fields = m
            .fields
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| ViewField::from_code(c).ok_or_else(|| broken("field", c)))
            .collect::<Result<Vec<_>>>()?;
        Ok(View {
            id: ViewId(m.id),
            state: ViewState::from_code(&m.state).ok_or_else(|| broken("state", &m.state))?,
            filter: stored.filter()?,
            order,
            lang,
            fields,
            slug: m.slug,
            title: m.title,
            description: m.description,
            owner: m.owner_key_id.map(ApiKeyId),
            search: m.search,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// One change of a view as its history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewRevision {
    /// `create`, `update` or `archive`.
    pub action: String,
    /// The key's name and prefix, or `cli`.
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The version the change produced.
    pub version: i32,
}

impl Store {
    /// The history of `view`, newest first, for those who may change it (its owner,
    /// editors); empty for everyone else.
    pub async fn view_revisions(
        &self,
        viewer: Viewer,
        key: Option<ApiKeyId>,
        view: &View,
    ) -> Result<Vec<ViewRevision>> {
        if access::change_view(viewer, key, view.owner).is_err() {
            return Ok(Vec::new());
        }
        Ok(revision::Entity::find()
            .filter(revision::Column::EntityType.eq("view"))
            .filter(revision::Column::EntityId.eq(view.id.0))
            .order_by_desc(revision::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| ViewRevision {
                action: r.action,
                actor: r.actor,
                at: r.at,
                version: r.version,
            })
            .collect())
    }

    /// The name and prefix of the key `id`, as revisions name it; `None` when it is gone.
    pub async fn api_key_label(&self, id: ApiKeyId) -> Result<Option<String>> {
        Ok(api_key::Entity::find_by_id(id.0)
            .one(&self.db)
            .await?
            .map(|k| format!("{} ({})", k.name, k.prefix)))
    }

    /// The view with this slug, if it is there for `viewer` holding `key` (active views
    /// for everyone; archived ones for editors and their owner).
    pub async fn view_by_slug(
        &self,
        viewer: Viewer,
        key: Option<ApiKeyId>,
        slug: &str,
    ) -> Result<Option<View>> {
        let row = saved_view::Entity::find()
            .filter(saved_view::Column::Slug.eq(slug))
            .one(&self.db)
            .await?;
        let view = row.map(View::try_from).transpose()?;
        Ok(view.filter(|v| access::sees_view(viewer, key, v.owner, v.state)))
    }

    /// Every active view, by slug.
    pub async fn views(&self) -> Result<Vec<View>> {
        saved_view::Entity::find()
            .filter(saved_view::Column::State.eq(ViewState::Active.code()))
            .order_by_asc(saved_view::Column::Slug)
            .all(&self.db)
            .await?
            .into_iter()
            .map(View::try_from)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kb_domain::{InitiativeKind, TargetGroup};

    #[test]
    fn a_filter_reads_back_as_it_was_stored() {
        let f = InitiativeFilter {
            topics: vec!["lgbtqia2s".into()],
            kinds: vec![InitiativeKind::ALL[0]],
            target_groups: vec![TargetGroup::ALL[1]],
            organisations: vec![OrganisationId(4)],
            languages: vec!["en".into()],
            year_from: Some(2020),
            ..Default::default()
        };
        let json = serde_json::to_string(&StoredFilter::of(&f)).expect("json");
        let back: StoredFilter = serde_json::from_str(&json).expect("parse");
        assert_eq!(back.filter().expect("filter"), f);
    }
}
