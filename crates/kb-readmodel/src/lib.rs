//! The read model of Kennisbank: every initiative's filterable values as compressed
//! bitmaps in memory, so lists, totals and facets are bitmap intersections instead of SQL
//! scans. SQL stays the source of truth: the model is built from the store, follows the
//! store's change log, and is tested against the store's SQL as its oracle.
//!
//! Depends on the store (for facts and the change log, never for SQL of its own) and the
//! domain; knows nothing of GraphQL or HTTP.

/// Co-occurrence, trends, neighbourhoods, paths and centrality.
pub mod analytics;
/// Building the read model from the store, with its search index.
mod build;
/// Completions of labels and organisation names, from memory.
mod completions;
/// Following the change log: applying each batch of changes, and catching up.
mod follow;
/// Events and the organisation hierarchy: the edges beyond initiatives' bitmaps.
mod graph_edges;
/// Writing the search index: whole, or the documents changes touched.
mod indexing;
/// The lexicon of search, loaded from the store and followed through the change log.
mod lexicon;
/// Answers of the published view kept until the next change.
mod memo;
/// The bitmaps and what orderings and the access rule need.
mod projection;
/// What each batch of changes newly published, for live subscribers.
mod published;
/// Selecting, paging, counting and faceting.
mod query;
/// The read model's handle and the reads it answers from memory.
mod read_model;
/// Related initiatives and lineage.
mod related;
/// Full-text search through the index, filtered, paged and faceted by the projection.
mod search;
/// The initiatives of saved views, for the API and the feeds alike.
mod views;

pub use kb_search::{
    Snippet as SearchSnippet, Subject as SearchSubject, Suggestion as SearchSuggestion,
    SuggestionKind,
};
pub use memo::Memo;
pub use projection::Projection;
pub use published::Published;
pub use query::Parent;
pub use read_model::ReadModel;
pub use related::{Direction, LineageStep, Related};
pub use search::{Found, HitPage, SearchPage, SearchParts};
pub use views::{VIEW_EVENT_INITIATIVES, ViewPage};
