//! `initiative` and `initiatives`: one by id or slug, and lists with facets.

use async_graphql::{Context, ID, Object};
use kb_domain::{InitiativeId, NodeId};

use super::filters::{InitiativeFilter, InitiativeOrder};
use super::one_of;
use crate::context::{domain as domain_err, loader, viewer};
use crate::error::loader_error;
use crate::types::Initiative;
use crate::types::connection::page_request;
use crate::types::initiative::InitiativeConnection;

/// Initiatives: one, or a list.
#[derive(Debug, Default, Clone, Copy)]
pub struct InitiativeQuery;

#[Object]
impl InitiativeQuery {
    /// One initiative by id or slug.
    async fn initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id; give exactly one of `id` and `slug`.")] id: Option<ID>,
        #[graphql(
            desc = "The slug (the readable last part of its address); give exactly one of `id` and `slug`."
        )]
        slug: Option<String>,
    ) -> async_graphql::Result<Option<Initiative>> {
        match one_of(&id, &slug)? {
            Ok(id) => {
                let id = InitiativeId::decode("id", id).map_err(domain_err)?;
                Ok(loader(ctx)?
                    .load_one(id)
                    .await
                    .map_err(loader_error)?
                    .map(Initiative))
            }
            Err(slug) => Ok(loader(ctx)?
                .load_one(crate::loaders::InitiativeSlug(slug.to_owned()))
                .await
                .map_err(loader_error)?
                .map(Initiative)),
        }
    }

    /// Initiatives, filtered and ordered, as a Relay connection with facets.
    #[allow(clippy::too_many_arguments)] // Relay's four paging arguments plus filter and order
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which initiatives the list holds; all the viewer may see when omitted.")]
        filter: Option<InitiativeFilter>,
        #[graphql(desc = "The order of the list; NEWEST by default.")] order_by: Option<
            InitiativeOrder,
        >,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "How many items before `before` the page holds, 0 to 100; needs `before` and excludes `first`."
        )]
        last: Option<i32>,
        #[graphql(desc = "The page ends before the item with this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        let filter = filter.unwrap_or_default().to_domain().map_err(domain_err)?;
        let page = page_request(first, after, last, before)?;
        let order = order_by.unwrap_or_default().into();
        InitiativeConnection::listed(ctx, viewer(ctx)?, filter, order, page).await
    }
}
