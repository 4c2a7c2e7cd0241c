//! What a resolver reads from the request: who asks (viewer, actor), in which language,
//! the store and the request's loaders, and ids decoded to their typed form.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID};
use kb_domain::{DomainError, ErrorCode, NodeId, Viewer};
use kb_store::{Actor, Store};

use crate::RequestContext;
use crate::error::coded;
use crate::loaders::Loaders;

/// The request's context; a missing one is a wiring fault, reported as INTERNAL.
pub(crate) fn request<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a RequestContext> {
    ctx.data::<std::sync::Arc<RequestContext>>()
        .map(|r| r.as_ref())
        .map_err(|_| coded(ErrorCode::Internal, "internal error", None))
}

pub(crate) fn viewer(ctx: &Context<'_>) -> async_graphql::Result<Viewer> {
    Ok(request(ctx)?.viewer)
}

/// Who makes a change: the signed-in person or the request's key, as the store records
/// it.
pub(crate) fn actor(ctx: &Context<'_>) -> async_graphql::Result<Actor> {
    let r = request(ctx)?;
    Ok(match &r.account {
        Some(account) => Actor::of_account(account),
        None => Actor::of_key(r.key.as_ref()),
    })
}

/// The instance's read model: ids, totals and facets of lists.
pub(crate) fn read_model<'a>(
    ctx: &Context<'a>,
) -> async_graphql::Result<&'a kb_readmodel::ReadModel> {
    ctx.data::<kb_readmodel::ReadModel>()
        .map_err(|_| coded(ErrorCode::Internal, "internal error", None))
}

pub(crate) fn store<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Store> {
    ctx.data::<Store>()
        .map_err(|_| coded(ErrorCode::Internal, "internal error", None))
}

pub(crate) fn loader<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DataLoader<Loaders>> {
    ctx.data::<crate::DataLoaderRef>()
        .map(|l| l.0.as_ref())
        .map_err(|_| coded(ErrorCode::Internal, "internal error", None))
}

/// A domain error as a GraphQL error.
pub(crate) fn domain(e: DomainError) -> async_graphql::Error {
    crate::error::DomainErr(e).into()
}

/// A global id that must be of the kind `T`; anything else is bad input on `field`.
pub(crate) fn node_id<T: NodeId>(field: &str, id: &ID) -> async_graphql::Result<T> {
    T::decode(field, id).map_err(domain)
}
