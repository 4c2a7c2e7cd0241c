//! `node` and `nodes`: any object by its global id.

use async_graphql::{Context, ID, Object};
use kb_domain::{
    ErrorCode, EventId, GlobalId, InitiativeId, NodeKind, OrganisationId, ThemeId, TopicId,
};

use crate::context::{domain as domain_err, loader};
use crate::error::{coded, loader_error};
use crate::limits::MAX_NODE_IDS as MAX_NODES;
use crate::types::{Event, Initiative, Node, Organisation, Theme, Topic};

/// Objects by their global id.
#[derive(Debug, Default, Clone, Copy)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id; null when it does not exist or is not visible.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let gid = GlobalId::decode("id", &id).map_err(domain_err)?;
        load_node(ctx, gid).await
    }

    /// Objects by global id, in the order asked; null where one does not exist or is not
    /// visible. At most 100 ids.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 100.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(coded(
                ErrorCode::LimitExceeded,
                format!("at most {MAX_NODES} ids at once"),
                Some("ids"),
            ));
        }
        let gids = ids
            .iter()
            .map(|id| GlobalId::decode("ids", id))
            .collect::<Result<Vec<_>, _>>()
            .map_err(domain_err)?;
        let loads = gids.into_iter().map(|g| load_node(ctx, g));
        futures_join(loads).await
    }
}

pub(crate) async fn load_node(
    ctx: &Context<'_>,
    gid: GlobalId,
) -> async_graphql::Result<Option<Node>> {
    let l = loader(ctx)?;
    Ok(match gid.kind {
        NodeKind::Initiative => l
            .load_one(InitiativeId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Initiative(Initiative(x))),
        NodeKind::Theme => l
            .load_one(ThemeId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Theme(Theme(x))),
        NodeKind::Topic => l
            .load_one(TopicId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Topic(Topic(x))),
        NodeKind::Organisation => l
            .load_one(OrganisationId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Organisation(Organisation(x))),
        NodeKind::Event => l
            .load_one(EventId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Event(Event(x))),
    })
}

/// Runs lookups side by side so the loader batches them, keeping their order.
async fn futures_join<F, T>(futs: impl IntoIterator<Item = F>) -> async_graphql::Result<Vec<T>>
where
    F: std::future::Future<Output = async_graphql::Result<T>>,
{
    let results = async_graphql::futures_util::future::join_all(futs).await;
    results.into_iter().collect()
}
