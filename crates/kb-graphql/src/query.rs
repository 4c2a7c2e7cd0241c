//! The root of every read, merged from one part per concept: objects by global id,
//! initiatives, search, the taxonomy, organisations, events, saved views, analytics, the
//! request's key holder and the federation's entities.

/// `Query.analytics`: co-occurrence, trends, neighbourhoods, paths, centrality.
mod analytics;
/// `contactReviews`: contact addresses of erased people, for editors.
mod contact_reviews;
/// `event` and `events`.
mod event;
/// Apollo Federation's entity resolvers.
mod federation;
/// The inputs that say which items a list holds, and in which order.
mod filters;
/// `initiative` and `initiatives`.
mod initiative;
/// `lexicon`: the bilingual lexicon of search.
mod lexicon;
/// `node` and `nodes`.
pub(crate) mod node;
/// `organisation` and `organisations`.
mod organisation;
/// Full-text search and completions.
mod search;
/// Themes, topics and the flat vocabularies.
mod taxonomy;
/// Who is asking: the holder of the request's key, and the keys.
mod viewer;
/// `Query.view` and `Query.views`: saved views.
pub(crate) mod views;

use async_graphql::{ID, MergedObject};
use kb_domain::ErrorCode;

use crate::error::coded;

pub use filters::{InitiativeFilter, InitiativeOrder};

/// The root of every read: the queries of each concept, merged.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    initiative::InitiativeQuery,
    search::SearchQuery,
    taxonomy::TaxonomyQuery,
    lexicon::LexiconQuery,
    organisation::OrganisationQuery,
    event::EventQuery,
    views::ViewQuery,
    analytics::AnalyticsQuery,
    viewer::ViewerQuery,
    contact_reviews::ContactReviewQuery,
    federation::FederationQuery,
    crate::mutation::proposals::ProposalQuery,
);

/// Exactly one of two lookup arguments.
fn one_of<'a>(
    id: &'a Option<ID>,
    slug: &'a Option<String>,
) -> async_graphql::Result<Result<&'a str, &'a str>> {
    match (id, slug) {
        (Some(id), None) => Ok(Ok(id.as_str())),
        (None, Some(slug)) => Ok(Err(slug.as_str())),
        _ => Err(coded(
            ErrorCode::BadUserInput,
            "give exactly one of `id` and `slug`",
            Some("id"),
        )),
    }
}
