//! `event` and `events`.

use async_graphql::{Context, ID, Object};
use kb_domain::{EventId, NodeId};

use super::filters::{EventFilter, list};
use super::one_of;
use crate::context::{domain as domain_err, loader};
use crate::error::loader_error;
use crate::types::Event;
use crate::types::connection::{EventConnection, EventCount, forward};

/// Events: one, or a list.
#[derive(Debug, Default, Clone, Copy)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// One event by id or slug.
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id; give exactly one of `id` and `slug`.")] id: Option<ID>,
        #[graphql(
            desc = "The slug (the readable last part of its address); give exactly one of `id` and `slug`."
        )]
        slug: Option<String>,
    ) -> async_graphql::Result<Option<Event>> {
        match one_of(&id, &slug)? {
            Ok(id) => {
                let id = EventId::decode("id", id).map_err(domain_err)?;
                Ok(loader(ctx)?
                    .load_one(id)
                    .await
                    .map_err(loader_error)?
                    .map(Event))
            }
            Err(slug) => Ok(loader(ctx)?
                .load_one(crate::loaders::EventSlug(slug.to_owned()))
                .await
                .map_err(loader_error)?
                .map(Event)),
        }
    }

    /// Events: most recent first, or soonest first from `filter.from` on.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which events the list holds; all the viewer may see when omitted.")]
        filter: Option<EventFilter>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        let f = filter.unwrap_or_default();
        let organisations = f
            .organisations
            .iter()
            .flatten()
            .map(|id| kb_domain::OrganisationId::decode("filter.organisations", id))
            .collect::<Result<Vec<_>, _>>()
            .map_err(domain_err)?;
        let filter = kb_store::EventFilter {
            kinds: list(&f.kinds),
            regions: list(&f.regions),
            themes: f.themes.unwrap_or_default(),
            from: f.from,
            to: f.to,
            initiatives: None,
            statuses: list(&f.statuses),
            organisations,
        };
        let request = forward(first, after)?;
        let page = loader(ctx)?
            .load_one(crate::loaders::EventList {
                filter: filter.clone(),
                page: request,
            })
            .await
            .map_err(loader_error)?
            .unwrap_or_else(|| kb_domain::Page::empty(request));
        Ok(EventConnection {
            page,
            count: Some(EventCount(filter)),
        })
    }
}
