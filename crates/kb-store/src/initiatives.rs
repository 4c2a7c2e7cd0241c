use std::collections::HashMap;

use kb_domain::{
    DomainError, EducationLevel, Initiative, InitiativeFilter, InitiativeOrder, InitiativeTerms,
    LinkType, OrganisationRole, Page, PageRequest, TargetGroup, Theme, Topic, Viewer, Vocabulary,
};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};

use crate::convert::{all, code};
use crate::entity::{
    initiative, initiative_link, initiative_organisation, initiative_term, initiative_theme,
    initiative_topic, organisation, theme, topic,
};
use crate::window::{self, Edge, linked};
use crate::{Result, Store, visibility};

/// A value of a facet and the number of initiatives that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount<V> {
    pub value: V,
    pub count: u64,
}

/// Counts of a filtered initiative list per value of each vocabulary. A topic's count
/// includes the initiatives filed under its narrower topics.
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
    pub years: Vec<FacetCount<i32>>,
}

fn edge(table: &'static str, parent_col: &'static str, child_col: &'static str) -> Edge {
    Edge {
        table,
        parent_col,
        child_col,
    }
}

/// Ordering expressions of initiative lists; ties broken by id.
fn order(o: InitiativeOrder) -> Vec<(SimpleExpr, Order)> {
    let col = |c: initiative::Column| Expr::col((initiative::Entity, c));
    match o {
        InitiativeOrder::Newest => vec![
            (
                Expr::cust("CASE WHEN initiative.published_at IS NULL THEN 1 ELSE 0 END"),
                Order::Asc,
            ),
            (col(initiative::Column::PublishedAt), Order::Desc),
            (col(initiative::Column::Id), Order::Desc),
        ],
        InitiativeOrder::Title => vec![
            (Expr::cust("LOWER(initiative.title)"), Order::Asc),
            (col(initiative::Column::Id), Order::Asc),
        ],
        InitiativeOrder::RecentlyUpdated => {
            vec![
                (col(initiative::Column::UpdatedAt), Order::Desc),
                (col(initiative::Column::Id), Order::Desc),
            ]
        }
    }
}

fn ids_with_term(vocabulary: &'static str, codes: Vec<String>) -> SimpleExpr {
    initiative::Column::Id.in_subquery(
        Query::select()
            .column(initiative_term::Column::InitiativeId)
            .from(initiative_term::Entity)
            .and_where(initiative_term::Column::Vocabulary.eq(vocabulary))
            .and_where(initiative_term::Column::Code.is_in(codes))
            .take(),
    )
}

fn codes<V: Vocabulary>(values: &[V]) -> Vec<String> {
    values.iter().map(|v| v.code().to_owned()).collect()
}

impl Store {
    /// The SQL condition of a filter for this viewer: visibility, the statuses it may
    /// ask for, and every field of the filter. Unknown theme or topic codes are bad input.
    async fn initiative_condition(
        &self,
        viewer: Viewer,
        f: &InitiativeFilter,
    ) -> Result<Condition> {
        f.validate()?;
        let statuses = viewer.allowed_statuses(&f.statuses);
        let mut c = Condition::all()
            .add(visibility::initiatives(viewer))
            .add(initiative::Column::Status.is_in(codes(&statuses)));
        if !f.themes.is_empty() {
            let found = self.themes_by_codes(&f.themes).await?;
            if let Some(bad) = f
                .themes
                .iter()
                .find(|c| !found.iter().any(|t| &t.code == *c))
            {
                return Err(DomainError::bad_input(
                    "filter.themes",
                    format!("unknown theme `{bad}`"),
                )
                .into());
            }
            let ids: Vec<i64> = found.iter().map(|t| t.id).collect();
            c = c.add(
                initiative::Column::Id.in_subquery(
                    Query::select()
                        .column(initiative_theme::Column::InitiativeId)
                        .from(initiative_theme::Entity)
                        .and_where(initiative_theme::Column::ThemeId.is_in(ids))
                        .take(),
                ),
            );
        }
        if !f.topics.is_empty() {
            let known = self.topics_by_codes(&f.topics).await?;
            if let Some(bad) = f
                .topics
                .iter()
                .find(|c| !known.iter().any(|t| &t.code == *c))
            {
                return Err(DomainError::bad_input(
                    "filter.topics",
                    format!("unknown topic `{bad}`"),
                )
                .into());
            }
            let ids = self.topic_subtree_ids(&f.topics).await?;
            c = c.add(
                initiative::Column::Id.in_subquery(
                    Query::select()
                        .column(initiative_topic::Column::InitiativeId)
                        .from(initiative_topic::Entity)
                        .and_where(initiative_topic::Column::TopicId.is_in(ids))
                        .take(),
                ),
            );
        }
        if !f.kinds.is_empty() {
            c = c.add(initiative::Column::Kind.is_in(codes(&f.kinds)));
        }
        if !f.organisations.is_empty() {
            c = c.add(
                initiative::Column::Id.in_subquery(
                    Query::select()
                        .column(initiative_organisation::Column::InitiativeId)
                        .from(initiative_organisation::Entity)
                        .and_where(
                            initiative_organisation::Column::OrganisationId
                                .is_in(f.organisations.clone()),
                        )
                        .take(),
                ),
            );
        }
        if !f.organisation_kinds.is_empty() {
            c = c.add(
                initiative::Column::Id.in_subquery(
                    Query::select()
                        .column((
                            initiative_organisation::Entity,
                            initiative_organisation::Column::InitiativeId,
                        ))
                        .from(initiative_organisation::Entity)
                        .inner_join(
                            organisation::Entity,
                            Expr::col((organisation::Entity, organisation::Column::Id)).equals((
                                initiative_organisation::Entity,
                                initiative_organisation::Column::OrganisationId,
                            )),
                        )
                        .and_where(organisation::Column::Kind.is_in(codes(&f.organisation_kinds)))
                        .cond_where(visibility::organisations(viewer))
                        .take(),
                ),
            );
        }
        if !f.target_groups.is_empty() {
            c = c.add(ids_with_term(TargetGroup::NAME, codes(&f.target_groups)));
        }
        if !f.education_levels.is_empty() {
            c = c.add(ids_with_term(
                EducationLevel::NAME,
                codes(&f.education_levels),
            ));
        }
        if !f.languages.is_empty() {
            c = c.add(ids_with_term(LANGUAGE, f.languages.clone()));
        }
        if !f.regions.is_empty() {
            c = c.add(initiative::Column::Region.is_in(codes(&f.regions)));
        }
        if !f.evidence_levels.is_empty() {
            c = c.add(initiative::Column::EvidenceLevel.is_in(codes(&f.evidence_levels)));
        }
        // A year range keeps initiatives active in it: started by its end, not ended
        // before its start.
        if let Some(from) = f.year_from {
            c = c.add(
                Condition::any()
                    .add(initiative::Column::EndYear.is_null())
                    .add(initiative::Column::EndYear.gte(from)),
            );
            c = c.add(initiative::Column::StartYear.is_not_null());
        }
        if let Some(to) = f.year_to {
            c = c.add(initiative::Column::StartYear.lte(to));
        }
        Ok(c)
    }

    /// Initiatives by row id, visible to the viewer, in no particular order.
    pub async fn initiatives_by_ids(&self, viewer: Viewer, ids: &[i64]) -> Result<Vec<Initiative>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = initiative::Entity::find()
            .filter(initiative::Column::Id.is_in(ids.iter().copied()))
            .filter(visibility::initiatives(viewer))
            .all(&self.db)
            .await?;
        all(rows)
    }

    /// The initiative with this slug, if the viewer may see it.
    pub async fn initiative_by_slug(
        &self,
        viewer: Viewer,
        slug: &str,
    ) -> Result<Option<Initiative>> {
        let row = initiative::Entity::find()
            .filter(initiative::Column::Slug.eq(slug))
            .filter(visibility::initiatives(viewer))
            .one(&self.db)
            .await?;
        row.map(Initiative::try_from).transpose()
    }

    /// A window of the filtered, ordered list of initiatives.
    #[tracing::instrument(skip(self))]
    pub async fn list_initiatives(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
        order_by: InitiativeOrder,
        page: PageRequest,
    ) -> Result<Page<Initiative>> {
        let cond = self.initiative_condition(viewer, filter).await?;
        let mut q = initiative::Entity::find().filter(cond);
        for (expr, o) in order(order_by) {
            q = q.order_by(expr, o);
        }
        let rows = q
            .offset(page.offset)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let has_next = rows.len() as u64 > page.limit;
        let mut items: Vec<Initiative> = all(rows)?;
        items.truncate(page.limit as usize);
        Ok(Page {
            items,
            offset: page.offset,
            total: None,
            has_next,
        })
    }

    /// How many initiatives the filtered list holds.
    pub async fn count_initiatives(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
    ) -> Result<u64> {
        let cond = self.initiative_condition(viewer, filter).await?;
        Ok(initiative::Entity::find()
            .filter(cond)
            .count(&self.db)
            .await?)
    }

    /// Facet counts of the filtered list.
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
        let count = || Expr::cust("COUNT(*)");

        let mut facets = InitiativeFacets::default();
        for (column, target) in [
            (initiative::Column::Kind, &mut facets.kinds),
            (initiative::Column::Region, &mut facets.regions),
            (
                initiative::Column::EvidenceLevel,
                &mut facets.evidence_levels,
            ),
        ] {
            let rows: Vec<(Option<String>, i64)> = initiative::Entity::find()
                .select_only()
                .column(column)
                .column_as(count(), "n")
                .filter(cond.clone())
                .group_by(column)
                .into_tuple()
                .all(&self.db)
                .await?;
            *target = counts(rows.into_iter().filter_map(|(v, n)| v.map(|v| (v, n))));
        }
        let years: Vec<(Option<i32>, i64)> = initiative::Entity::find()
            .select_only()
            .column(initiative::Column::StartYear)
            .column_as(count(), "n")
            .filter(cond.clone())
            .group_by(initiative::Column::StartYear)
            .into_tuple()
            .all(&self.db)
            .await?;
        facets.years = years
            .into_iter()
            .filter_map(|(y, n)| {
                y.map(|y| FacetCount {
                    value: y,
                    count: n as u64,
                })
            })
            .collect();
        facets.years.sort_by_key(|f| f.value);

        let terms: Vec<(String, String, i64)> = initiative_term::Entity::find()
            .select_only()
            .column(initiative_term::Column::Vocabulary)
            .column(initiative_term::Column::Code)
            .column_as(count(), "n")
            .filter(initiative_term::Column::InitiativeId.in_subquery(base.clone()))
            .group_by(initiative_term::Column::Vocabulary)
            .group_by(initiative_term::Column::Code)
            .into_tuple()
            .all(&self.db)
            .await?;
        let pick = |vocab: &str| {
            counts(
                terms
                    .iter()
                    .filter(|t| t.0 == vocab)
                    .map(|t| (t.1.clone(), t.2)),
            )
        };
        facets.target_groups = pick(TargetGroup::NAME);
        facets.education_levels = pick(EducationLevel::NAME);
        facets.languages = pick(LANGUAGE);

        let org_kinds: Vec<(String, i64)> = initiative_organisation::Entity::find()
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
            .filter(initiative_organisation::Column::InitiativeId.in_subquery(base.clone()))
            .filter(visibility::organisations(viewer))
            .group_by(organisation::Column::Kind)
            .into_tuple()
            .all(&self.db)
            .await?;
        facets.organisation_kinds = counts(org_kinds);

        let theme_counts: Vec<(i64, i64)> = initiative_theme::Entity::find()
            .select_only()
            .column(initiative_theme::Column::ThemeId)
            .column_as(count(), "n")
            .filter(initiative_theme::Column::InitiativeId.in_subquery(base.clone()))
            .group_by(initiative_theme::Column::ThemeId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let themes = self.themes().await?;
        facets.themes = themes
            .into_iter()
            .filter_map(|t| {
                theme_counts
                    .iter()
                    .find(|(id, _)| *id == t.id)
                    .map(|(_, n)| FacetCount {
                        value: t,
                        count: *n as u64,
                    })
            })
            .collect();
        facets.themes.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.value.position.cmp(&b.value.position))
        });

        // Topics: a leaf counts its own initiatives; a root also those of its narrower
        // topics, each initiative once.
        let direct: Vec<(i64, i64)> = initiative_topic::Entity::find()
            .select_only()
            .column(initiative_topic::Column::TopicId)
            .column_as(count(), "n")
            .filter(initiative_topic::Column::InitiativeId.in_subquery(base.clone()))
            .group_by(initiative_topic::Column::TopicId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let rollup: Vec<(i64, i64)> = initiative_topic::Entity::find()
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
            .await?;
        let topics = self.topics(false).await?;
        facets.topics = topics
            .into_iter()
            .filter_map(|t| {
                let source = if t.broader_id.is_none() {
                    &rollup
                } else {
                    &direct
                };
                source
                    .iter()
                    .find(|(id, _)| *id == t.id)
                    .map(|(_, n)| FacetCount {
                        value: t,
                        count: *n as u64,
                    })
            })
            .collect();
        facets.topics.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.value.position.cmp(&b.value.position))
        });
        Ok(facets)
    }

    /// Languages, target groups and education levels of each initiative.
    pub async fn initiative_terms(&self, ids: &[i64]) -> Result<HashMap<i64, InitiativeTerms>> {
        let mut out: HashMap<i64, InitiativeTerms> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = initiative_term::Entity::find()
            .filter(initiative_term::Column::InitiativeId.is_in(ids.iter().copied()))
            .order_by_asc(initiative_term::Column::Code)
            .all(&self.db)
            .await?;
        for r in rows {
            let t = out.entry(r.initiative_id).or_default();
            match r.vocabulary.as_str() {
                LANGUAGE => t.languages.push(r.code),
                v if v == TargetGroup::NAME => t.target_groups.push(code(&r.code)?),
                v if v == EducationLevel::NAME => t.education_levels.push(code(&r.code)?),
                _ => {}
            }
        }
        for t in out.values_mut() {
            t.target_groups.sort();
            t.education_levels.sort();
        }
        Ok(out)
    }

    /// Themes of each initiative, in the taxonomy's order.
    pub async fn themes_of_initiatives(&self, ids: &[i64]) -> Result<Vec<(i64, Theme)>> {
        let rows = linked::<theme::Entity, _>(
            &self.db,
            edge("initiative_theme", "initiative_id", "theme_id"),
            ids,
            Condition::all(),
            None,
            &[(
                Expr::col((theme::Entity, theme::Column::Position)),
                Order::Asc,
            )],
            &[],
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|l| (l.parent, Theme::from(l.model)))
            .collect())
    }

    /// Topics of each initiative, in the taxonomy's order.
    pub async fn topics_of_initiatives(&self, ids: &[i64]) -> Result<Vec<(i64, Topic)>> {
        let rows = linked::<topic::Entity, _>(
            &self.db,
            edge("initiative_topic", "initiative_id", "topic_id"),
            ids,
            Condition::all(),
            None,
            &[(
                Expr::col((topic::Entity, topic::Column::Position)),
                Order::Asc,
            )],
            &[],
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|l| (l.parent, Topic::from(l.model)))
            .collect())
    }

    /// Organisations of each initiative with their role, lead first, visible ones only.
    pub async fn organisations_of_initiatives(
        &self,
        viewer: Viewer,
        ids: &[i64],
    ) -> Result<Vec<(i64, OrganisationRole, kb_domain::Organisation)>> {
        let rows = linked::<organisation::Entity, _>(
            &self.db,
            edge("initiative_organisation", "initiative_id", "organisation_id"),
            ids,
            visibility::organisations(viewer),
            None,
            &[
                (
                    Expr::cust("CASE initiative_organisation.role WHEN 'lead' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END"),
                    Order::Asc,
                ),
                (Expr::col((organisation::Entity, organisation::Column::Name)), Order::Asc),
            ],
            &["role"],
        )
        .await?;
        rows.into_iter()
            .map(|l| {
                let role: String = l.row.try_get("", "kb_role")?;
                Ok((l.parent, code(&role)?, l.model.try_into()?))
            })
            .collect()
    }

    /// Initiatives linked from (or, `reverse`, to) each of `ids` by `link_type`, visible
    /// ones only, by title, with the link's note.
    pub async fn linked_initiatives(
        &self,
        viewer: Viewer,
        ids: &[i64],
        link_type: LinkType,
        reverse: bool,
    ) -> Result<Vec<(i64, Option<String>, Initiative)>> {
        let e = if reverse {
            edge("initiative_link", "to_id", "from_id")
        } else {
            edge("initiative_link", "from_id", "to_id")
        };
        let rows = linked::<initiative::Entity, _>(
            &self.db,
            e,
            ids,
            visibility::initiatives(viewer),
            Some(initiative_link::Column::LinkType.eq(link_type.code())),
            &[(Expr::cust("LOWER(initiative.title)"), Order::Asc)],
            &["note"],
        )
        .await?;
        rows.into_iter()
            .map(|l| {
                let note: Option<String> = l.row.try_get("", "kb_note")?;
                Ok((l.parent, note, l.model.try_into()?))
            })
            .collect()
    }

    /// A page of the visible initiatives under each theme.
    pub async fn initiatives_of_themes(
        &self,
        viewer: Viewer,
        ids: &[i64],
        page: PageRequest,
    ) -> Result<HashMap<i64, Page<Initiative>>> {
        self.initiative_pages(
            viewer,
            edge("initiative_theme", "theme_id", "initiative_id"),
            ids,
            page,
        )
        .await
    }

    /// A page of the visible initiatives filed directly under each topic.
    pub async fn initiatives_of_topics(
        &self,
        viewer: Viewer,
        ids: &[i64],
        page: PageRequest,
    ) -> Result<HashMap<i64, Page<Initiative>>> {
        self.initiative_pages(
            viewer,
            edge("initiative_topic", "topic_id", "initiative_id"),
            ids,
            page,
        )
        .await
    }

    /// A page of the visible initiatives each organisation takes part in.
    pub async fn initiatives_of_organisations(
        &self,
        viewer: Viewer,
        ids: &[i64],
        page: PageRequest,
    ) -> Result<HashMap<i64, Page<Initiative>>> {
        self.initiative_pages(
            viewer,
            edge(
                "initiative_organisation",
                "organisation_id",
                "initiative_id",
            ),
            ids,
            page,
        )
        .await
    }

    /// A page of the visible initiatives each event features.
    pub async fn initiatives_of_events(
        &self,
        viewer: Viewer,
        ids: &[i64],
        page: PageRequest,
    ) -> Result<HashMap<i64, Page<Initiative>>> {
        self.initiative_pages(
            viewer,
            edge("event_initiative", "event_id", "initiative_id"),
            ids,
            page,
        )
        .await
    }

    async fn initiative_pages(
        &self,
        viewer: Viewer,
        e: Edge,
        ids: &[i64],
        page: PageRequest,
    ) -> Result<HashMap<i64, Page<Initiative>>> {
        let pages = window::pages::<initiative::Entity, _>(
            &self.db,
            e,
            ids,
            visibility::initiatives(viewer),
            &order(InitiativeOrder::Newest),
            page,
        )
        .await?;
        pages
            .into_iter()
            .map(|(k, p)| {
                Ok((
                    k,
                    Page {
                        items: all(p.items)?,
                        offset: p.offset,
                        total: p.total,
                        has_next: p.has_next,
                    },
                ))
            })
            .collect()
    }
}

/// The store's name of the language "vocabulary" (ISO 639-1 codes).
pub(crate) const LANGUAGE: &str = "language";

fn counts(rows: impl IntoIterator<Item = (String, i64)>) -> Vec<FacetCount<String>> {
    let mut v: Vec<FacetCount<String>> = rows
        .into_iter()
        .map(|(value, n)| FacetCount {
            value,
            count: n as u64,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}
