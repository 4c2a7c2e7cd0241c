//! `organisation` and `organisations`.

use async_graphql::{Context, ID, Object};
use kb_domain::{NodeId, OrganisationId};

use super::filters::{OrganisationFilter, list};
use super::one_of;
use crate::context::{domain as domain_err, loader, store, viewer};
use crate::error::{StoreResultExt, loader_error};
use crate::types::Organisation;
use crate::types::connection::{OrganisationConnection, OrganisationCount, forward};

/// Organisations: one, or a list.
#[derive(Debug, Default, Clone, Copy)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// One organisation by id or slug.
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id; give exactly one of `id` and `slug`.")] id: Option<ID>,
        #[graphql(
            desc = "The slug (the readable last part of its address); give exactly one of `id` and `slug`."
        )]
        slug: Option<String>,
    ) -> async_graphql::Result<Option<Organisation>> {
        match one_of(&id, &slug)? {
            Ok(id) => {
                let id = OrganisationId::decode("id", id).map_err(domain_err)?;
                Ok(loader(ctx)?
                    .load_one(id)
                    .await
                    .map_err(loader_error)?
                    .map(Organisation))
            }
            Err(slug) => Ok(loader(ctx)?
                .load_one(crate::loaders::OrganisationSlug(slug.to_owned()))
                .await
                .map_err(loader_error)?
                .map(Organisation)),
        }
    }

    /// Organisations by name.
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Which organisations the list holds; all the viewer may see when omitted."
        )]
        filter: Option<OrganisationFilter>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<OrganisationConnection> {
        let f = filter.unwrap_or_default();
        let filter = kb_store::OrganisationFilter {
            kinds: list(&f.kinds),
            regions: list(&f.regions),
        };
        let page = store(ctx)?
            .list_organisations(viewer(ctx)?, &filter, forward(first, after)?)
            .await
            .gql()?;
        Ok(OrganisationConnection {
            page,
            count: Some(OrganisationCount(filter)),
        })
    }
}
