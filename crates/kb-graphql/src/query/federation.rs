//! Apollo Federation's entity resolvers: `_entities` resolves through the same loaders
//! as `node`, so visibility applies in the store exactly as there.

use async_graphql::{Context, ID, Object};
use kb_domain::{EventId, InitiativeId, OrganisationId, ThemeId, TopicId};

use crate::context::{loader, node_id};
use crate::error::loader_error;
use crate::types::{Event, Initiative, Organisation, Theme, Topic};

/// The entities of the federation subgraph.
#[derive(Debug, Default, Clone, Copy)]
pub struct FederationQuery;

#[Object]
impl FederationQuery {
    #[graphql(entity)]
    async fn find_initiative_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Initiative>> {
        let id: InitiativeId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Initiative))
    }

    #[graphql(entity)]
    async fn find_theme_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Theme>> {
        let id: ThemeId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Theme))
    }

    #[graphql(entity)]
    async fn find_topic_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Topic>> {
        let id: TopicId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Topic))
    }

    #[graphql(entity)]
    async fn find_organisation_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Organisation>> {
        let id: OrganisationId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Organisation))
    }

    #[graphql(entity)]
    async fn find_event_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Event>> {
        let id: EventId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Event))
    }
}
