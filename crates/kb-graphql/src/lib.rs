//! The GraphQL API of Kennisbank: the schema of the knowledge graph (types, queries,
//! Relay connections, Apollo Federation v2 entities), the dataloaders that batch every
//! relation into the store, the error codes and the limits on hostile queries.
//!
//! Holds no SQL: every read goes through `kb-store` with the request's viewer, so
//! visibility is decided there. Knows nothing of HTTP; the server crate passes a
//! [`RequestContext`] and a loader per request.

/// Batches that start when the request goes idle, not after a delay.
mod batching;
/// What a resolver reads from the request: viewer, actor, store, loaders, ids.
mod context;
/// Operations in canonical form: the identity of trusted documents.
pub mod documents;
/// Turning store and domain errors into coded GraphQL errors.
mod error;
/// Which operations answer alike until the next change.
mod kept;
/// The tokens of a query text, without parsing it.
pub mod lexer;
/// Limits on query shape: depth, complexity, aliases, root fields, directives.
pub mod limits;
/// Batch loaders: one store call per relation level.
mod loaders;
/// Mutations, one module per object.
mod mutation;
/// Metrics of each operation: requests, outcome, duration, statements, batch sizes.
pub mod observe;
/// Putting an answer's fields in the order of its selection set.
mod order;
/// Automatic persisted queries and trusted documents.
pub mod persisted;
/// What every request runs through around the executor: measurements, limits, error
/// codes and the order of the answer's fields.
mod pipeline;
/// The root query type and the federation entity resolvers.
mod query;
/// The root types assembled from their parts.
mod schema;
/// Resolver spans without the query text, for `--resolver-spans`.
mod spans;
/// Live updates: subscriptions fed by the change log.
mod subscription;
/// Object types of the graph.
mod types;

use async_graphql::dataloader::DataLoader;
use std::sync::Arc;

use kb_readmodel::ReadModel;

use async_graphql::futures_util::StreamExt;
use async_graphql::futures_util::stream::FuturesOrdered;
use async_graphql::{BatchRequest, BatchResponse, SDLExportOptions, Schema};
use kb_domain::{Language, Viewer};
use kb_store::Store;

pub use kept::{Kept, kept_until_next_change};
pub use limits::Limits;
pub use loaders::{Loaders, Memos};
pub use persisted::PersistedQueries;
pub use query::Query;
pub use schema::Mutation;
pub use subscription::Subscription;

/// The executable schema.
pub type KbSchema = Schema<Query, Mutation, Subscription>;

/// A language a saved view pinned, and the response path of the view's field.
pub(crate) type Pin = (Vec<String>, Language);

/// Who is asking and in which language, decided by the server per request.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    pub viewer: Viewer,
    /// The API key the request came with, if any.
    pub key: Option<kb_store::ApiKey>,
    /// The signed-in person of the website's session, if any: their writes name them.
    pub account: Option<kb_store::Account>,
    /// From `Accept-Language`, then Dutch; a field's `lang` argument overrides it.
    pub lang: Language,
    /// Languages pinned by saved views, by the response path of the view's field: every
    /// text under it is served in that language (see `types::vocab::lang_of`).
    pub(crate) pinned: Arc<std::sync::Mutex<Vec<Pin>>>,
}

impl RequestContext {
    /// The context of a request with this key (none: anonymous) and language.
    pub fn new(key: Option<kb_store::ApiKey>, lang: Language) -> Self {
        Self {
            viewer: key.as_ref().map_or(Viewer::Anonymous, |k| k.viewer()),
            key,
            account: None,
            lang,
            pinned: Arc::default(),
        }
    }

    /// The context of a signed-in person: they read and write as their account's viewer
    /// (a pending or refused account reads like the public), and revisions name them.
    pub fn of_account(account: kb_store::Account, lang: Language) -> Self {
        Self {
            viewer: account.viewer(),
            key: None,
            account: Some(account),
            lang,
            pinned: Arc::default(),
        }
    }

    /// Whether the request carries no credentials at all, so the public's memos serve it.
    fn anonymous(&self) -> bool {
        self.key.is_none() && self.account.is_none()
    }
}

/// Builds the schema with its limits. The store is shared schema data; the loaders and
/// the request context are added per request with [`request_data`]. Every operation is
/// measured (see [`observe`]); with `resolver_spans`, every resolver also runs in a
/// tracing span of its own (target `async_graphql::graphql`).
pub fn build_schema(
    store: Store,
    model: ReadModel,
    limits: Limits,
    resolver_spans: bool,
) -> KbSchema {
    let builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .enable_federation()
        .enable_subscription_in_federation();
    let builder = pipeline::install(builder, limits);
    let builder = if resolver_spans {
        builder.extension(spans::ResolverSpans)
    } else {
        builder
    };
    builder
        .data(store)
        .data(model)
        .data(Arc::new(Memos::default()))
        .data(Arc::new(pipeline::Pipeline::new(limits)))
        .finish()
}

/// Executes a (batch) request for one viewer: adds its context and fresh loaders bound
/// to its viewer, whose batches are one store call per relation level. When the request
/// ran a mutation, the instance's read model catches up before the answer goes out, so
/// the next request on this instance lists, counts and facets what this one changed.
pub async fn execute(
    schema: &KbSchema,
    store: &Store,
    ctx: RequestContext,
    batch: BatchRequest,
) -> BatchResponse {
    let model = schema.data::<ReadModel>().cloned();
    let memos = schema.data::<Arc<Memos>>().cloned().unwrap_or_default();
    let (loader, gate) =
        batching::request_loader(Loaders::new(store.clone(), model, memos, ctx.viewer));
    let anonymous = ctx.anonymous();
    let ctx = Arc::new(ctx);
    let loader = Arc::new(loader);
    let pipeline = pipeline_of(schema);
    let run = |r: async_graphql::Request| {
        let r = r.data(ctx.clone()).data(DataLoaderRef(loader.clone()));
        pipeline.run(schema, r, anonymous)
    };
    let (response, mutation) = gate
        .run(async {
            match batch {
                BatchRequest::Single(r) => {
                    let ran = run(r).await;
                    (BatchResponse::Single(ran.response), ran.mutation)
                }
                BatchRequest::Batch(list) => {
                    let ran: Vec<pipeline::Ran> =
                        FuturesOrdered::from_iter(list.into_iter().map(run))
                            .collect()
                            .await;
                    let mutation = ran.iter().any(|r| r.mutation);
                    let list = ran.into_iter().map(|r| r.response).collect();
                    (BatchResponse::Batch(list), mutation)
                }
            }
        })
        .await;
    if mutation {
        catch_up(schema.data::<ReadModel>()).await;
    }
    response
}

/// Read your writes: the read model applies what the store committed.
async fn catch_up(model: Option<&ReadModel>) {
    if let Some(model) = model
        && let Err(e) = model.sync().await
    {
        tracing::error!(error = %e, "the read model could not catch up after a write");
    }
}

/// Executes one request for one viewer, as [`execute`] does a batch.
pub async fn execute_one(
    schema: &KbSchema,
    store: &Store,
    ctx: RequestContext,
    request: async_graphql::Request,
) -> async_graphql::Response {
    match execute(schema, store, ctx, BatchRequest::Single(request)).await {
        BatchResponse::Single(r) => r,
        // One request in, one response out; a batch cannot come back.
        BatchResponse::Batch(mut list) => list.pop().unwrap_or_default(),
    }
}

/// Executes an operation over a socket for one viewer: its context and loaders as
/// [`execute`] gives a request, for as long as the stream runs. `session` is the
/// connection's data (what its `connection_init` set). A mutation is read back like one
/// over HTTP.
pub fn execute_stream(
    schema: &KbSchema,
    store: &Store,
    ctx: RequestContext,
    request: async_graphql::Request,
    session: Option<Arc<async_graphql::Data>>,
) -> async_graphql::futures_util::stream::BoxStream<'static, async_graphql::Response> {
    let model = schema.data::<ReadModel>().cloned();
    let memos = schema.data::<Arc<Memos>>().cloned().unwrap_or_default();
    let (loader, gate) = batching::request_loader(Loaders::new(
        store.clone(),
        model.clone(),
        memos,
        ctx.viewer,
    ));
    let anonymous = ctx.anonymous();
    let request = request
        .data(Arc::new(ctx))
        .data(DataLoaderRef(Arc::new(loader)));
    let (stream, mutation) =
        pipeline_of(schema).run_stream(schema, request, session.unwrap_or_default(), anonymous);
    let stream = gate.run_stream(stream);
    if !mutation {
        return stream.boxed();
    }
    stream
        .then(move |response| {
            let model = model.clone();
            async move {
                catch_up(model.as_ref()).await;
                response
            }
        })
        .boxed()
}

/// The schema's pipeline (built with it by [`build_schema`]; a schema built otherwise
/// gets one with the default limits).
fn pipeline_of(schema: &KbSchema) -> Arc<pipeline::Pipeline> {
    schema
        .data::<Arc<pipeline::Pipeline>>()
        .cloned()
        .unwrap_or_else(|| Arc::new(pipeline::Pipeline::new(Limits::default())))
}

/// The request's loader, shared by the operations of a batch.
pub(crate) struct DataLoaderRef(pub Arc<DataLoader<Loaders>>);

/// The SDL of the public API, sorted, with federation directives: what `schema.graphql`
/// holds and `kennisbank schema` prints.
pub fn sdl() -> String {
    let schema = Schema::build(Query::default(), Mutation::default(), Subscription)
        .enable_federation()
        .enable_subscription_in_federation()
        .finish();
    schema.sdl_with_options(
        SDLExportOptions::new()
            .federation()
            .sorted_fields()
            .sorted_arguments()
            .sorted_enum_items(),
    )
}
