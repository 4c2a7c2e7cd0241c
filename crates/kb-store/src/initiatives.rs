use std::collections::HashMap;

use kb_domain::{
    EducationLevel, EventId, Initiative, InitiativeFilter, InitiativeId, InitiativeOrder,
    InitiativeTerms, LinkType, NodeId, Organisation, OrganisationId, OrganisationRole, Page,
    PageRequest, TargetGroup, Theme, ThemeId, Topic, TopicId, Viewer, Vocabulary,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{all, code, rows, typed_map};
use crate::entity::{
    initiative, initiative_link, initiative_organisation, initiative_term, initiative_theme,
    initiative_topic, organisation,
};
use crate::window::{self, Edge, Sort, linked};
use crate::{Result, Store, access};

fn edge(table: &'static str, parent_col: &'static str, child_col: &'static str) -> Edge {
    Edge {
        table,
        parent_col,
        child_col,
    }
}

/// Ordering of initiative lists; ties broken by id. `NEWEST` matches the
/// `initiative_newest_idx` index, so the first pages need no sort.
fn order(o: InitiativeOrder) -> Vec<Sort> {
    let col = |c: initiative::Column| Expr::col((initiative::Entity, c));
    match o {
        InitiativeOrder::Newest => vec![
            Sort::desc_nulls_last(col(initiative::Column::PublishedAt)),
            Sort::desc(col(initiative::Column::Id)),
        ],
        InitiativeOrder::Title => vec![
            Sort::asc(col(initiative::Column::SortKey)),
            Sort::asc(col(initiative::Column::Id)),
        ],
        InitiativeOrder::RecentlyUpdated => vec![
            Sort::desc(col(initiative::Column::UpdatedAt)),
            Sort::desc(col(initiative::Column::Id)),
        ],
        InitiativeOrder::LeastRecentlyUpdated => vec![
            Sort::asc(col(initiative::Column::UpdatedAt)),
            Sort::asc(col(initiative::Column::Id)),
        ],
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

/// Initiatives filed under one of the topics `ids`.
fn with_topic(ids: Vec<i64>) -> SimpleExpr {
    initiative::Column::Id.in_subquery(
        Query::select()
            .column(initiative_topic::Column::InitiativeId)
            .from(initiative_topic::Entity)
            .and_where(initiative_topic::Column::TopicId.is_in(ids))
            .take(),
    )
}

/// Initiatives with one of the organisations `ids` behind them.
fn with_organisation(ids: &[kb_domain::OrganisationId]) -> SimpleExpr {
    initiative::Column::Id.in_subquery(
        Query::select()
            .column(initiative_organisation::Column::InitiativeId)
            .from(initiative_organisation::Entity)
            .and_where(initiative_organisation::Column::OrganisationId.is_in(rows(ids)))
            .take(),
    )
}

fn codes<V: Vocabulary>(values: &[V]) -> Vec<String> {
    values.iter().map(|v| v.code().to_owned()).collect()
}

impl Store {
    /// The SQL condition of a filter for this viewer: visibility, the statuses it may
    /// ask for, and every field of the filter. Unknown theme or topic codes are bad input.
    pub(crate) async fn initiative_condition(
        &self,
        viewer: Viewer,
        f: &InitiativeFilter,
    ) -> Result<Condition> {
        f.validate()?;
        let statuses = access::statuses(viewer, &f.statuses);
        let mut c = Condition::all()
            .add(access::initiatives(viewer))
            .add(initiative::Column::Status.is_in(codes(&statuses)));
        if !f.themes.is_empty() {
            let ids = self.theme_ids("filter.themes", &f.themes).await?;
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
            let ids = self.topic_subtree_ids("filter.topics", &f.topics).await?;
            c = c.add(with_topic(ids));
        }
        // Each topic that must be held, with its subtree, a condition of its own.
        for code in &f.every_topic {
            let ids = self
                .topic_subtree_ids("filter.everyTopic", std::slice::from_ref(code))
                .await?;
            c = c.add(with_topic(ids));
        }
        if !f.kinds.is_empty() {
            c = c.add(initiative::Column::Kind.is_in(codes(&f.kinds)));
        }
        for o in &f.every_organisation {
            c = c.add(with_organisation(std::slice::from_ref(o)));
        }
        if !f.organisations.is_empty() {
            c = c.add(with_organisation(&f.organisations));
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
                        .cond_where(access::organisations(viewer))
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
    pub async fn initiatives_by_ids(
        &self,
        viewer: Viewer,
        ids: &[InitiativeId],
    ) -> Result<Vec<Initiative>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = initiative::Entity::find()
            .filter(initiative::Column::Id.is_in(rows(ids)))
            .filter(access::initiatives(viewer))
            .all(&self.db)
            .await?;
        all(rows)
    }

    /// The initiatives with these slugs that the viewer may see, in no order; one
    /// statement.
    pub async fn initiatives_by_slugs(
        &self,
        viewer: Viewer,
        slugs: &[String],
    ) -> Result<Vec<Initiative>> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let rows = initiative::Entity::find()
            .filter(initiative::Column::Slug.is_in(slugs.iter().cloned()))
            .filter(access::initiatives(viewer))
            .all(&self.db)
            .await?;
        all(rows)
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
        window::apply(sea_orm::QueryTrait::query(&mut q), &order(order_by));
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

    /// Languages, target groups and education levels of each initiative.
    pub async fn initiative_terms(
        &self,
        ids: &[InitiativeId],
    ) -> Result<HashMap<InitiativeId, InitiativeTerms>> {
        let mut out: HashMap<InitiativeId, InitiativeTerms> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = initiative_term::Entity::find()
            .filter(initiative_term::Column::InitiativeId.is_in(rows(ids)))
            .order_by_asc(initiative_term::Column::Code)
            .all(&self.db)
            .await?;
        for r in rows {
            let t = out.entry(InitiativeId(r.initiative_id)).or_default();
            match r.vocabulary.as_str() {
                LANGUAGE => t.languages.push(r.code),
                v if v == TargetGroup::NAME => t.target_groups.push(code(&r.code)?),
                v if v == EducationLevel::NAME => t.education_levels.push(code(&r.code)?),
                other => {
                    return Err(crate::StoreError::Internal(format!(
                        "initiative {} has a term of the unknown vocabulary `{other}`",
                        r.initiative_id
                    )));
                }
            }
        }
        for t in out.values_mut() {
            t.target_groups.sort();
            t.education_levels.sort();
        }
        Ok(out)
    }

    /// Themes of each initiative, in the taxonomy's order.
    pub async fn themes_of_initiatives(
        &self,
        ids: &[InitiativeId],
    ) -> Result<Vec<(InitiativeId, Theme)>> {
        self.themes_linked(edge("initiative_theme", "initiative_id", "theme_id"), ids)
            .await
    }

    /// Topics of each initiative, in the taxonomy's order.
    pub async fn topics_of_initiatives(
        &self,
        ids: &[InitiativeId],
    ) -> Result<Vec<(InitiativeId, Topic)>> {
        self.topics_linked(edge("initiative_topic", "initiative_id", "topic_id"), ids)
            .await
    }

    /// Organisations of each initiative with their role, lead first, visible ones only.
    pub async fn organisations_of_initiatives(
        &self,
        viewer: Viewer,
        ids: &[InitiativeId],
    ) -> Result<Vec<(InitiativeId, OrganisationRole, Organisation)>> {
        let rows = linked::<organisation::Entity, _>(
            &self.db,
            edge("initiative_organisation", "initiative_id", "organisation_id"),
            &rows(ids),
            access::organisations(viewer),
            None,
            &[
                Sort::asc(Expr::cust("CASE initiative_organisation.role WHEN 'lead' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END")),
                Sort::asc(Expr::col((organisation::Entity, organisation::Column::SortKey))),
            ],
            &["role"],
        )
        .await?;
        rows.into_iter()
            .map(|l| {
                let role: String = l.row.try_get("", "kb_role")?;
                Ok((InitiativeId(l.parent), code(&role)?, l.model.try_into()?))
            })
            .collect()
    }

    /// Initiatives linked from (or, `reverse`, to) each of `ids` by `link_type`, visible
    /// ones only, by title, with the link's note.
    pub async fn linked_initiatives(
        &self,
        viewer: Viewer,
        ids: &[InitiativeId],
        link_type: LinkType,
        reverse: bool,
    ) -> Result<Vec<(InitiativeId, Option<String>, Initiative)>> {
        let e = if reverse {
            edge("initiative_link", "to_id", "from_id")
        } else {
            edge("initiative_link", "from_id", "to_id")
        };
        let rows = linked::<initiative::Entity, _>(
            &self.db,
            e,
            &rows(ids),
            access::initiatives(viewer),
            Some(initiative_link::Column::LinkType.eq(link_type.code())),
            &[
                Sort::asc(Expr::col((initiative::Entity, initiative::Column::SortKey))),
                Sort::asc(Expr::col((initiative::Entity, initiative::Column::Id))),
            ],
            &["note"],
        )
        .await?;
        rows.into_iter()
            .map(|l| {
                let note: Option<String> = l.row.try_get("", "kb_note")?;
                Ok((InitiativeId(l.parent), note, l.model.try_into()?))
            })
            .collect()
    }

    /// A page of the visible initiatives under each theme.
    pub async fn initiatives_of_themes(
        &self,
        viewer: Viewer,
        ids: &[ThemeId],
        page: PageRequest,
    ) -> Result<HashMap<ThemeId, Page<Initiative>>> {
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
        ids: &[TopicId],
        page: PageRequest,
    ) -> Result<HashMap<TopicId, Page<Initiative>>> {
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
        ids: &[OrganisationId],
        page: PageRequest,
    ) -> Result<HashMap<OrganisationId, Page<Initiative>>> {
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
        ids: &[EventId],
        page: PageRequest,
    ) -> Result<HashMap<EventId, Page<Initiative>>> {
        self.initiative_pages(
            viewer,
            edge("event_initiative", "event_id", "initiative_id"),
            ids,
            page,
        )
        .await
    }

    async fn initiative_pages<P: NodeId + std::hash::Hash + Eq>(
        &self,
        viewer: Viewer,
        e: Edge,
        ids: &[P],
        page: PageRequest,
    ) -> Result<HashMap<P, Page<Initiative>>> {
        let pages = window::pages::<initiative::Entity, _>(
            &self.db,
            e,
            &rows(ids),
            access::initiatives(viewer),
            &order(InitiativeOrder::Newest),
            page,
        )
        .await?;
        let pages = pages
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
            .collect::<Result<HashMap<i64, Page<Initiative>>>>()?;
        Ok(typed_map(pages))
    }
}

/// The store's name of the language "vocabulary" (ISO 639-1 codes).
pub(crate) const LANGUAGE: &str = "language";
