//! Facet counts of a filtered initiative list: per value of every vocabulary, theme and
//! topic. The statements are independent, so they run side by side on the pool; the
//! single-valued fields share one grouped scan of a covering index.

use std::collections::BTreeMap;

use kb_domain::{EducationLevel, InitiativeFilter, TargetGroup, Theme, Topic, Viewer, Vocabulary};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
};

use crate::entity::{
    initiative, initiative_organisation, initiative_term, initiative_theme, initiative_topic,
    organisation,
};
use crate::initiatives::LANGUAGE;
use crate::{Result, Store, access};

/// A value of a facet and the number of initiatives that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount<V> {
    pub value: V,
    pub count: u64,
}

/// Counts of a filtered initiative list per value of each vocabulary, most frequent
/// first. A topic's count includes the initiatives filed under its narrower topics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitiativeFacets {
    pub themes: Vec<FacetCount<Theme>>,
    pub topics: Vec<FacetCount<Topic>>,
    pub kinds: Vec<FacetCount<String>>,
    pub organisation_kinds: Vec<FacetCount<String>>,
    pub target_groups: Vec<FacetCount<String>>,
    pub education_levels: Vec<FacetCount<String>>,
    pub regions: Vec<FacetCount<String>>,
    pub evidence_levels: Vec<FacetCount<String>>,
    pub languages: Vec<FacetCount<String>>,
    /// By start year, oldest first.
    pub years: Vec<FacetCount<i32>>,
}

/// Most frequent first, then by value.
fn sorted<V: Ord + Clone>(map: BTreeMap<V, u64>) -> Vec<FacetCount<V>> {
    let mut v: Vec<FacetCount<V>> = map
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}

fn count() -> Expr {
    Expr::cust("COUNT(*)")
}

type FieldRow = (String, Option<String>, Option<String>, Option<i32>, i64);

impl Store {
    /// Facet counts of the filtered list, under the same visibility as the list.
    #[tracing::instrument(skip(self))]
    pub async fn initiative_facets(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
    ) -> Result<InitiativeFacets> {
        let cond = self.initiative_condition(viewer, filter).await?;
        let base: SelectStatement = Query::select()
            .column((initiative::Entity, initiative::Column::Id))
            .from(initiative::Entity)
            .cond_where(cond.clone())
            .take();
        let (fields, terms, org_kinds, theme_counts, direct, rollup, themes, topics) = futures_util::try_join!(
            self.field_counts(cond),
            self.term_counts(base.clone()),
            self.organisation_kind_counts(viewer, base.clone()),
            self.edge_counts::<initiative_theme::Entity>(
                initiative_theme::Column::ThemeId,
                initiative_theme::Column::InitiativeId,
                base.clone()
            ),
            self.edge_counts::<initiative_topic::Entity>(
                initiative_topic::Column::TopicId,
                initiative_topic::Column::InitiativeId,
                base.clone()
            ),
            self.topic_rollup(base),
            self.themes(),
            self.topics(false),
        )?;

        let mut kinds = BTreeMap::new();
        let mut regions = BTreeMap::new();
        let mut evidence = BTreeMap::new();
        let mut years = BTreeMap::new();
        for (kind, region, level, year, n) in fields {
            let n = n as u64;
            *kinds.entry(kind).or_insert(0) += n;
            if let Some(r) = region {
                *regions.entry(r).or_insert(0) += n;
            }
            if let Some(l) = level {
                *evidence.entry(l).or_insert(0) += n;
            }
            if let Some(y) = year {
                *years.entry(y).or_insert(0) += n;
            }
        }
        let pick = |vocab: &str| -> BTreeMap<String, u64> {
            terms
                .iter()
                .filter(|t| t.0 == vocab)
                .map(|t| (t.1.clone(), t.2 as u64))
                .collect()
        };
        let mut facets = InitiativeFacets {
            kinds: sorted(kinds),
            regions: sorted(regions),
            evidence_levels: sorted(evidence),
            years: years
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect(),
            target_groups: sorted(pick(TargetGroup::NAME)),
            education_levels: sorted(pick(EducationLevel::NAME)),
            languages: sorted(pick(LANGUAGE)),
            organisation_kinds: sorted(org_kinds.into_iter().map(|(k, n)| (k, n as u64)).collect()),
            themes: themes
                .into_iter()
                .filter_map(|t| {
                    let n = theme_counts.iter().find(|(id, _)| *id == t.id.0)?.1;
                    Some(FacetCount {
                        value: t,
                        count: n as u64,
                    })
                })
                .collect(),
            topics: topics
                .into_iter()
                .filter_map(|t| {
                    // A root counts its subtree (each initiative once); a leaf itself.
                    let source = if t.broader_id.is_none() {
                        &rollup
                    } else {
                        &direct
                    };
                    let n = source.iter().find(|(id, _)| *id == t.id.0)?.1;
                    Some(FacetCount {
                        value: t,
                        count: n as u64,
                    })
                })
                .collect(),
        };
        facets.themes.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.value.position.cmp(&b.value.position))
        });
        facets.topics.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.value.position.cmp(&b.value.position))
        });
        Ok(facets)
    }

    /// Kind, region, evidence level and start year in one grouped scan.
    async fn field_counts(&self, cond: Condition) -> Result<Vec<FieldRow>> {
        Ok(initiative::Entity::find()
            .select_only()
            .column(initiative::Column::Kind)
            .column(initiative::Column::Region)
            .column(initiative::Column::EvidenceLevel)
            .column(initiative::Column::StartYear)
            .column_as(count(), "n")
            .filter(cond)
            .group_by(initiative::Column::Kind)
            .group_by(initiative::Column::Region)
            .group_by(initiative::Column::EvidenceLevel)
            .group_by(initiative::Column::StartYear)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Languages, target groups and education levels.
    async fn term_counts(&self, base: SelectStatement) -> Result<Vec<(String, String, i64)>> {
        Ok(initiative_term::Entity::find()
            .select_only()
            .column(initiative_term::Column::Vocabulary)
            .column(initiative_term::Column::Code)
            .column_as(count(), "n")
            .filter(initiative_term::Column::InitiativeId.in_subquery(base))
            .group_by(initiative_term::Column::Vocabulary)
            .group_by(initiative_term::Column::Code)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Initiatives per kind of (visible) organisation, each initiative once per kind.
    async fn organisation_kind_counts(
        &self,
        viewer: Viewer,
        base: SelectStatement,
    ) -> Result<Vec<(String, i64)>> {
        Ok(initiative_organisation::Entity::find()
            .select_only()
            .join(
                JoinType::InnerJoin,
                initiative_organisation::Relation::Organisation.def(),
            )
            .column(organisation::Column::Kind)
            .column_as(
                Expr::cust("COUNT(DISTINCT initiative_organisation.initiative_id)"),
                "n",
            )
            .filter(initiative_organisation::Column::InitiativeId.in_subquery(base))
            .filter(access::organisations(viewer))
            .group_by(organisation::Column::Kind)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Initiatives per target of an edge table (themes, topics).
    async fn edge_counts<E: EntityTrait>(
        &self,
        target: E::Column,
        initiative_col: E::Column,
        base: SelectStatement,
    ) -> Result<Vec<(i64, i64)>>
    where
        E::Column: ColumnTrait,
    {
        Ok(E::find()
            .select_only()
            .column(target)
            .column_as(count(), "n")
            .filter(initiative_col.in_subquery(base))
            .group_by(target)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Initiatives per root topic, counting narrower topics, each initiative once.
    async fn topic_rollup(&self, base: SelectStatement) -> Result<Vec<(i64, i64)>> {
        Ok(initiative_topic::Entity::find()
            .select_only()
            .join(JoinType::InnerJoin, initiative_topic::Relation::Topic.def())
            .column_as(Expr::cust("COALESCE(topic.broader_id, topic.id)"), "root")
            .column_as(
                Expr::cust("COUNT(DISTINCT initiative_topic.initiative_id)"),
                "n",
            )
            .filter(initiative_topic::Column::InitiativeId.in_subquery(base))
            .group_by(Expr::cust("COALESCE(topic.broader_id, topic.id)"))
            .into_tuple()
            .all(&self.db)
            .await?)
    }
}
