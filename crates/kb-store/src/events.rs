use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kb_domain::{
    Event, EventId, EventKind, NodeId, Page, PageRequest, Region, Theme, Topic, Viewer, Vocabulary,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{all, rows, typed_map};
use crate::entity::{event, event_initiative, event_organisation, event_theme};
use crate::window::{self, Edge, Sort};
use crate::{Result, Store, access};

/// Which events a list holds: AND across fields, OR within a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EventFilter {
    pub kinds: Vec<EventKind>,
    pub regions: Vec<Region>,
    /// Theme codes.
    pub themes: Vec<String>,
    /// Only events that end at or after this moment.
    pub from: Option<DateTime<Utc>>,
    /// Only events that start before this moment.
    pub to: Option<DateTime<Utc>>,
    /// Only events featuring one of these initiatives (a view's); `None` does not filter.
    pub initiatives: Option<Vec<kb_domain::InitiativeId>>,
    /// Only events in one of these statuses (of those the viewer may see at all).
    pub statuses: Vec<kb_domain::Status>,
    /// Only events one of these organisations organises.
    pub organisations: Vec<kb_domain::OrganisationId>,
}

fn edge(table: &'static str, parent_col: &'static str, child_col: &'static str) -> Edge {
    Edge {
        table,
        parent_col,
        child_col,
    }
}

/// Soonest first within a window of events.
fn event_order() -> Vec<Sort> {
    vec![
        Sort::desc(Expr::col((event::Entity, event::Column::StartsAt))),
        Sort::desc(Expr::col((event::Entity, event::Column::Id))),
    ]
}

impl Store {
    async fn event_condition(&self, viewer: Viewer, f: &EventFilter) -> Result<Condition> {
        let mut c = Condition::all().add(access::events(viewer));
        if !f.kinds.is_empty() {
            c = c.add(event::Column::Kind.is_in(f.kinds.iter().map(|k| k.code())));
        }
        if !f.regions.is_empty() {
            c = c.add(event::Column::Region.is_in(f.regions.iter().map(|k| k.code())));
        }
        if !f.themes.is_empty() {
            let ids = self.theme_ids("filter.themes", &f.themes).await?;
            c = c.add(
                event::Column::Id.in_subquery(
                    Query::select()
                        .column(event_theme::Column::EventId)
                        .from(event_theme::Entity)
                        .and_where(event_theme::Column::ThemeId.is_in(ids))
                        .take(),
                ),
            );
        }
        if let Some(ids) = &f.initiatives {
            c = c.add(
                event::Column::Id.in_subquery(
                    Query::select()
                        .column(event_initiative::Column::EventId)
                        .from(event_initiative::Entity)
                        .and_where(event_initiative::Column::InitiativeId.is_in(rows(ids)))
                        .take(),
                ),
            );
        }
        if !f.statuses.is_empty() {
            c = c.add(event::Column::Status.is_in(f.statuses.iter().map(|s| s.code())));
        }
        if !f.organisations.is_empty() {
            c = c.add(
                event::Column::Id.in_subquery(
                    Query::select()
                        .column(event_organisation::Column::EventId)
                        .from(event_organisation::Entity)
                        .and_where(
                            event_organisation::Column::OrganisationId
                                .is_in(rows(&f.organisations)),
                        )
                        .take(),
                ),
            );
        }
        if let Some(from) = f.from {
            c = c.add(event::Column::EndsAt.gte(from));
        }
        if let Some(to) = f.to {
            c = c.add(event::Column::StartsAt.lt(to));
        }
        Ok(c)
    }

    /// Events by row id, visible to the viewer.
    pub async fn events_by_ids(&self, viewer: Viewer, ids: &[EventId]) -> Result<Vec<Event>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = event::Entity::find()
            .filter(event::Column::Id.is_in(rows(ids)))
            .filter(access::events(viewer))
            .all(&self.db)
            .await?;
        all(rows)
    }

    /// The events with these slugs that the viewer may see, in no order; one statement.
    pub async fn events_by_slugs(&self, viewer: Viewer, slugs: &[String]) -> Result<Vec<Event>> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let rows = event::Entity::find()
            .filter(event::Column::Slug.is_in(slugs.iter().cloned()))
            .filter(access::events(viewer))
            .all(&self.db)
            .await?;
        all(rows)
    }

    /// A window of the filtered events, soonest first when `from` is given (upcoming
    /// events), otherwise most recent first.
    pub async fn list_events(
        &self,
        viewer: Viewer,
        filter: &EventFilter,
        page: PageRequest,
    ) -> Result<Page<Event>> {
        let cond = self.event_condition(viewer, filter).await?;
        let mut q = event::Entity::find().filter(cond);
        q = if filter.from.is_some() {
            q.order_by_asc(event::Column::StartsAt)
                .order_by_asc(event::Column::Id)
        } else {
            q.order_by_desc(event::Column::StartsAt)
                .order_by_desc(event::Column::Id)
        };
        let rows = q
            .offset(page.offset)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let has_next = rows.len() as u64 > page.limit;
        let mut items: Vec<Event> = all(rows)?;
        items.truncate(page.limit as usize);
        Ok(Page {
            items,
            offset: page.offset,
            total: None,
            has_next,
        })
    }

    /// How many events the filtered list holds.
    pub async fn count_events(&self, viewer: Viewer, filter: &EventFilter) -> Result<u64> {
        let cond = self.event_condition(viewer, filter).await?;
        Ok(event::Entity::find().filter(cond).count(&self.db).await?)
    }

    /// A page of the visible events featuring each initiative.
    pub async fn events_of_initiatives(
        &self,
        viewer: Viewer,
        ids: &[kb_domain::InitiativeId],
        page: PageRequest,
    ) -> Result<HashMap<kb_domain::InitiativeId, Page<Event>>> {
        self.event_pages(
            viewer,
            edge("event_initiative", "initiative_id", "event_id"),
            ids,
            page,
        )
        .await
    }

    /// A page of the visible events each organisation organises.
    pub async fn events_of_organisations(
        &self,
        viewer: Viewer,
        ids: &[kb_domain::OrganisationId],
        page: PageRequest,
    ) -> Result<HashMap<kb_domain::OrganisationId, Page<Event>>> {
        self.event_pages(
            viewer,
            edge("event_organisation", "organisation_id", "event_id"),
            ids,
            page,
        )
        .await
    }

    /// A page of the visible events under each theme.
    pub async fn events_of_themes(
        &self,
        viewer: Viewer,
        ids: &[kb_domain::ThemeId],
        page: PageRequest,
    ) -> Result<HashMap<kb_domain::ThemeId, Page<Event>>> {
        self.event_pages(
            viewer,
            edge("event_theme", "theme_id", "event_id"),
            ids,
            page,
        )
        .await
    }

    /// A page of the visible events about each topic.
    pub async fn events_of_topics(
        &self,
        viewer: Viewer,
        ids: &[kb_domain::TopicId],
        page: PageRequest,
    ) -> Result<HashMap<kb_domain::TopicId, Page<Event>>> {
        self.event_pages(
            viewer,
            edge("event_topic", "topic_id", "event_id"),
            ids,
            page,
        )
        .await
    }

    async fn event_pages<P: NodeId + std::hash::Hash + Eq>(
        &self,
        viewer: Viewer,
        e: Edge,
        ids: &[P],
        page: PageRequest,
    ) -> Result<HashMap<P, Page<Event>>> {
        let pages = window::pages::<event::Entity, _>(
            &self.db,
            e,
            &rows(ids),
            access::events(viewer),
            &event_order(),
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
            .collect::<Result<HashMap<i64, Page<Event>>>>()?;
        Ok(typed_map(pages))
    }

    /// Themes of each event.
    pub async fn themes_of_events(&self, ids: &[EventId]) -> Result<Vec<(EventId, Theme)>> {
        self.themes_linked(edge("event_theme", "event_id", "theme_id"), ids)
            .await
    }

    /// Topics of each event.
    pub async fn topics_of_events(&self, ids: &[EventId]) -> Result<Vec<(EventId, Topic)>> {
        self.topics_linked(edge("event_topic", "event_id", "topic_id"), ids)
            .await
    }
}
