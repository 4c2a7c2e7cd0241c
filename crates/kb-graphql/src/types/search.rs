//! Full-text search results: hits with their score and highlighted snippet, paged as a
//! Relay connection with disjunctive facets, and suggestions for a search box.

use async_graphql::{Context, Enum, Object, SimpleObject};
use kb_domain::{InitiativeFilter, Page};
use kb_graph::{SearchPage, SearchSnippet, SearchSuggestion, SuggestionKind as Kind};

use super::connection::{PageInfo, encode_cursor};
use super::facets::InitiativeFacets;
use super::nodes::Initiative;
use crate::context::{loader, read_model, viewer};
use crate::error::{StoreResultExt, loader_error};

/// A page of search hits the viewer may see, best first.
pub struct SearchConnection {
    pub(crate) filter: InitiativeFilter,
    pub(crate) page: SearchPage,
    /// The hits of the page with their rows, in score order.
    pub(crate) hits: Vec<SearchHit>,
}

/// One hit.
#[derive(SimpleObject, Clone)]
pub struct SearchHit {
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
    pub title: String,
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
    pub cursor: String,
    pub node: SearchHit,
}

#[Object]
impl SearchConnection {
    async fn edges(&self) -> Vec<SearchEdge> {
        self.hits
            .iter()
            .enumerate()
            .map(|(i, h)| SearchEdge {
                cursor: encode_cursor(self.page.offset + i as u64),
                node: h.clone(),
            })
            .collect()
    }
    async fn nodes(&self) -> Vec<SearchHit> {
        self.hits.clone()
    }
    async fn page_info(&self) -> PageInfo {
        PageInfo::of(&Page {
            items: self.hits.clone(),
            offset: self.page.offset,
            total: Some(self.page.total),
            has_next: self.page.has_next,
        })
    }
    /// How many hits the viewer may see under the filter.
    async fn total_count(&self) -> i64 {
        i64::try_from(self.page.total).unwrap_or(i64::MAX)
    }
    /// Counts over the hits per value of each facet. Each facet honours every other
    /// field of the filter but not its own, so choosing a value keeps its alternatives
    /// countable.
    async fn facets(&self, ctx: &Context<'_>) -> async_graphql::Result<InitiativeFacets> {
        let f = read_model(ctx)?
            .search_facets(viewer(ctx)?, &self.filter, &self.page.matched)
            .await
            .gql()?;
        Ok(InitiativeFacets::from(f))
    }
}

/// What a suggestion names.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionKind {
    Initiative,
    Topic,
    Organisation,
}

/// A completion of what someone is typing.
pub struct Suggestion(pub(crate) SearchSuggestion);

#[Object]
impl Suggestion {
    /// The completion (a title, a topic label or an organisation name), as plain text.
    async fn text(&self) -> &str {
        &self.0.text
    }
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
