//! Object types of the graph and the Relay plumbing they share.

pub mod connection;
pub mod event;
pub mod facets;
pub mod initiative;
pub mod keys;
pub mod organisation;
pub mod taxonomy;
pub mod vocab;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Interface};
use kb_domain::{DomainError, ErrorCode, Language as DomainLanguage, Viewer};
use kb_store::Store;

use crate::RequestContext;
use crate::error::coded;
use crate::loaders::Loaders;
pub use event::Event;
pub use initiative::Initiative;
pub use keys::ApiKey;
pub use organisation::Organisation;
pub use taxonomy::{Theme, Topic};

/// An object with a global id (Relay).
#[derive(Interface)]
#[graphql(field(name = "id", ty = "async_graphql::ID", desc = "The opaque global id."))]
pub enum Node {
    Initiative(Initiative),
    Theme(Theme),
    Topic(Topic),
    Organisation(Organisation),
    Event(Event),
}

/// The request's context; a missing one is a wiring fault, reported as INTERNAL.
pub(crate) fn request<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a RequestContext> {
    ctx.data::<std::sync::Arc<RequestContext>>()
        .map(|r| r.as_ref())
        .map_err(|_| coded(ErrorCode::Internal, "internal error", None))
}

pub(crate) fn viewer(ctx: &Context<'_>) -> async_graphql::Result<Viewer> {
    Ok(request(ctx)?.viewer)
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

/// The language of a localised field: its `lang` argument, else the request's.
pub(crate) fn lang_of(ctx: &Context<'_>, lang: Option<vocab::Language>) -> DomainLanguage {
    match lang {
        Some(l) => l.into(),
        None => request(ctx).map(|r| r.lang).unwrap_or_default(),
    }
}

/// A domain error as a GraphQL error.
pub(crate) fn domain(e: DomainError) -> async_graphql::Error {
    crate::error::DomainErr(e).into()
}
