//! What every handler of the GraphQL endpoint shares: the schema, the store, the limits
//! and the counters of requests and subscriptions.

use kb_graphql::KbSchema;
use kb_store::Store;

/// The state of the `/graphql`, `/healthz` and `/readyz` routes.
pub(super) struct AppState {
    pub(super) schema: KbSchema,
    pub(super) store: Store,
    pub(super) limits: kb_graphql::Limits,
    pub(super) max_batch: usize,
    pub(super) rate: crate::rate::RateLimits,
    /// Open subscriptions per key or address, and the shutdown that ends them.
    pub(super) subscriptions: crate::live::Subscriptions,
    /// For the change-log position in the entity tags of GET queries.
    pub(super) model: kb_readmodel::ReadModel,
    pub(super) persisted: kb_graphql::PersistedQueries,
    /// Answers of analytics queries, kept until the next change.
    pub(super) kept: super::kept::KeptAnswers,
}
