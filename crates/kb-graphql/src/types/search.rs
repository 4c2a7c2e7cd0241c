//! Full-text search results: hits with their score and highlighted snippet, paged as a
//! Relay connection (initiatives with disjunctive facets; events and organisations as
//! their own result types), and suggestions for a search box.

use async_graphql::{Context, Enum, Object, SimpleObject};
use kb_domain::{InitiativeFilter, Page};
use kb_readmodel::{HitPage, SearchSnippet, SearchSuggestion, SuggestionKind as Kind};
use roaring::RoaringBitmap;

use super::connection::{PageInfo, encode_cursor};
use super::facets::InitiativeFacets;
use super::nodes::{Event, Initiative, Organisation};
use crate::context::{loader, read_model, viewer};
use crate::error::{StoreResultExt, loader_error};

/// A page of search hits the viewer may see, best first.
pub struct SearchConnection {
    pub(crate) filter: InitiativeFilter,
    /// What the facets count over: every initiative the text matched.
    pub(crate) matched: RoaringBitmap,
    /// The facets, counted with the search when the request selected them.
    pub(crate) facets: Option<kb_store::InitiativeFacets>,
    /// The hits of the page with their rows, in score order.
    pub(crate) page: Page<SearchHit>,
    /// The words the fallback left out (see `leftOut`).
    pub(crate) left_out: Vec<String>,
    /// The query with its spelling corrected (see `suggestions`).
    pub(crate) suggestions: Vec<String>,
}

/// `items`, the rows of the page of hits `found` in its order, as a page.
pub(crate) fn hit_page<S, T>(found: &HitPage<S>, items: Vec<T>) -> Page<T> {
    Page {
        items,
        offset: found.offset,
        total: Some(found.total),
        has_next: found.has_next,
    }
}

/// The edges of a page: each item with the cursor of its position.
fn edges<T: Clone, E>(page: &Page<T>, edge: impl Fn(String, T) -> E) -> Vec<E> {
    page.items
        .iter()
        .enumerate()
        .map(|(i, item)| edge(encode_cursor(page.offset + i as u64), item.clone()))
        .collect()
}

/// A page's total as GraphQL's `Int`.
fn total_count<T>(page: &Page<T>) -> i64 {
    i64::try_from(page.total.unwrap_or(0)).unwrap_or(i64::MAX)
}

/// One hit.
#[derive(SimpleObject, Clone)]
pub struct SearchHit {
    /// The initiative found.
    pub initiative: Initiative,
    /// Relevance: higher is better; comparable within one search only.
    pub score: f64,
    /// The title and a fragment of the text with the matched words in `<mark>`; the rest
    /// of the text HTML-escaped. Null when not asked for.
    pub snippet: Option<Snippet>,
}

/// Highlighted text of a hit, as HTML.
#[derive(SimpleObject, Clone)]
pub struct Snippet {
    /// The whole title (or name), HTML-escaped, with the matched words in `<mark>`.
    pub title: String,
    /// A fragment of the text (see the hit's `snippet`), HTML-escaped, with the matched
    /// words in `<mark>`; `…` marks where it was cut.
    pub text: String,
}

impl From<SearchSnippet> for Snippet {
    fn from(s: SearchSnippet) -> Self {
        Self {
            title: s.title,
            text: s.text,
        }
    }
}

/// A hit with its cursor.
#[derive(SimpleObject)]
pub struct SearchEdge {
    /// The opaque cursor of this position in the hits, for `after`.
    pub cursor: String,
    /// The hit.
    pub node: SearchHit,
}

/// A page of the initiatives matching a search that the viewer may see, best first, with
/// facets.
#[Object]
impl SearchConnection {
    /// The hits of the page, each with its cursor.
    async fn edges(&self) -> Vec<SearchEdge> {
        edges(&self.page, |cursor, node| SearchEdge { cursor, node })
    }
    /// The hits of the page, best first.
    async fn nodes(&self) -> Vec<SearchHit> {
        self.page.items.clone()
    }
    /// Where the page stands in the hits.
    async fn page_info(&self) -> PageInfo {
        PageInfo::of(&self.page)
    }
    /// How many hits the viewer may see under the filter.
    async fn total_count(&self) -> i64 {
        total_count(&self.page)
    }
    /// The words (and quoted phrases) of the query, as typed, that hits may lack. When
    /// requiring every word finds fewer than five the viewer may see, the search falls
    /// back step by step: it leaves out first the words no document holds, then the
    /// most frequent; hits matching more words come first. Empty when every hit matches
    /// every word.
    async fn left_out(&self) -> &[String] {
        &self.left_out
    }
    /// "Did you mean": the query with each word no document holds replaced by the
    /// nearest indexed word that a document the viewer may see holds, when the search
    /// found fewer than five or read such a word as that spelling (its hits then hold
    /// what the corrected word finds). Empty otherwise.
    async fn suggestions(&self) -> &[String] {
        &self.suggestions
    }
    /// Counts over the hits per value of each facet. Each facet honours every other
    /// field of the filter but not its own, so choosing a value keeps its alternatives
    /// countable.
    async fn facets(&self, ctx: &Context<'_>) -> async_graphql::Result<InitiativeFacets> {
        let f = match &self.facets {
            Some(f) => f.clone(),
            // Selected where the search could not see it ahead (it always can today).
            None => read_model(ctx)?
                .search_facets(viewer(ctx)?, &self.filter, &self.matched)
                .await
                .gql()?,
        };
        Ok(InitiativeFacets::from(f))
    }
}

/// An event that matches a search.
#[derive(SimpleObject, Clone)]
pub struct EventHit {
    /// The event found.
    pub event: Event,
    /// Relevance: higher is better; comparable within one search only.
    pub score: f64,
    /// The title and a fragment of the summary (or of the location, if only it matches)
    /// with the matched words in `<mark>`; the rest HTML-escaped. Null when not asked for.
    pub snippet: Option<Snippet>,
}

/// An organisation that matches a search.
#[derive(SimpleObject, Clone)]
pub struct OrganisationHit {
    /// The organisation found.
    pub organisation: Organisation,
    /// Relevance: higher is better; comparable within one search only.
    pub score: f64,
    /// The name and a fragment of the Dutch description (or of the English one, if only
    /// it matches) with the matched words in `<mark>`; the rest HTML-escaped. Null when
    /// not asked for.
    pub snippet: Option<Snippet>,
}

/// The connection and edge types of the hits of one type of search result.
macro_rules! hit_connection {
    ($conn:ident, $edge:ident, $hit:ty, $what:literal) => {
        #[doc = concat!("A page of the ", $what, " matching a search that the viewer may see, best first.")]
        #[derive(SimpleObject)]
        pub struct $conn {
            /// The hits of the page, each with its cursor.
            pub edges: Vec<$edge>,
            /// The hits of the page, best first.
            pub nodes: Vec<$hit>,
            /// Where the page stands in the hits.
            pub page_info: PageInfo,
            /// How many hits the viewer may see.
            pub total_count: i64,
            /// The words (and quoted phrases) of the query, as typed, that hits may lack:
            /// when requiring every word finds fewer than five, the search leaves out the
            /// words no document holds, then the most frequent, and hits matching more
            /// words come first. Empty when every hit matches every word.
            pub left_out: Vec<String>,
        }

        #[doc = concat!("One of the ", $what, " matching a search, with its cursor.")]
        #[derive(SimpleObject)]
        pub struct $edge {
            /// The opaque cursor of this position in the hits, for `after`.
            pub cursor: String,
            /// The hit.
            pub node: $hit,
        }

        impl $conn {
            /// The connection of `hits`, the rows of a page of `found` in its order.
            pub(crate) fn new<S>(found: &HitPage<S>, hits: Vec<$hit>) -> Self {
                let page = hit_page(found, hits);
                Self {
                    edges: edges(&page, |cursor, node| $edge { cursor, node }),
                    page_info: PageInfo::of(&page),
                    total_count: total_count(&page),
                    left_out: found.left_out.clone(),
                    nodes: page.items,
                }
            }
        }
    };
}

hit_connection!(EventSearchConnection, EventHitEdge, EventHit, "events");
hit_connection!(
    OrganisationSearchConnection,
    OrganisationHitEdge,
    OrganisationHit,
    "organisations"
);

/// What a suggestion names.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionKind {
    /// An initiative's title.
    Initiative,
    /// A topic's label.
    Topic,
    /// An organisation's name.
    Organisation,
}

/// A completion of what someone is typing.
pub struct Suggestion(pub(crate) SearchSuggestion);

/// A completion of what someone is typing.
#[Object]
impl Suggestion {
    /// The completion (a title, a topic label or an organisation name), as plain text.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// What the completion names.
    async fn kind(&self) -> SuggestionKind {
        match self.0.kind {
            Kind::Initiative => SuggestionKind::Initiative,
            Kind::Topic => SuggestionKind::Topic,
            Kind::Organisation => SuggestionKind::Organisation,
        }
    }
    /// The initiative, for an initiative's title.
    async fn initiative(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Initiative>> {
        let Some(id) = self.0.id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Initiative))
    }
}
