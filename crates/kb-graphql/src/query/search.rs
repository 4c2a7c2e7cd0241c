//! Full-text search over initiatives, events and organisations, and completions for a
//! search box.

use std::collections::HashMap;

use async_graphql::{Context, Object};
use kb_domain::ErrorCode;
use kb_readmodel::SearchParts;

use super::filters::InitiativeFilter;
use crate::context::{domain as domain_err, loader, read_model, request, viewer};
use crate::error::{StoreResultExt, coded, loader_error};
use crate::types::connection::page_request;
use crate::types::search::{
    EventHit, EventSearchConnection, OrganisationHit, OrganisationSearchConnection,
    SearchConnection, SearchHit, Snippet, Suggestion, hit_page,
};
use crate::types::vocab::Language;
use crate::types::{Event, Initiative, Organisation};

/// Whether the request selects the hits' snippets (on `edges.node` or `nodes`).
fn asks_for_snippets(ctx: &Context<'_>) -> bool {
    let look = ctx.look_ahead();
    look.field("edges").field("node").field("snippet").exists()
        || look.field("nodes").field("snippet").exists()
}

/// The hits of a page of a search as `make` builds them: their rows loaded by id (through
/// the access rule once more; a row gone meanwhile is left out), with the snippets the
/// search found where the request asked for them.
async fn hit_items<S, R, H>(
    ctx: &Context<'_>,
    found: &kb_readmodel::HitPage<S>,
    mut snippets: HashMap<S, kb_readmodel::SearchSnippet>,
    make: impl Fn(R, f64, Option<Snippet>) -> H,
) -> async_graphql::Result<Vec<H>>
where
    S: kb_readmodel::SearchSubject,
    crate::loaders::Loaders: async_graphql::dataloader::Loader<
            S,
            Value = R,
            Error = std::sync::Arc<async_graphql::Error>,
        >,
    R: Clone + Send + Sync + 'static,
{
    let mut rows = loader(ctx)?
        .load_many(found.hits.iter().map(|(id, _)| *id))
        .await
        .map_err(loader_error)?;
    Ok(found
        .hits
        .iter()
        .filter_map(|(id, score)| {
            let row = rows.remove(id)?;
            Some(make(
                row,
                f64::from(*score),
                snippets.remove(id).map(Into::into),
            ))
        })
        .collect())
}

/// Searches and completions.
#[derive(Debug, Default, Clone, Copy)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Full-text search over initiatives: words in any order (each must match, one typo
    /// forgiven in words of five letters or more, the last word also as a prefix),
    /// quoted phrases, Dutch and English stemming, diacritics folded, synonyms from the
    /// taxonomy; when that finds fewer than five, the best partial matches follow (see
    /// `leftOut`). At most 500 characters and 32 words. Filtered like `initiatives`, best
    /// first, with disjunctive facets. `lang` is the language the query is written in:
    /// its words are then stemmed in that language only (they still match as written in
    /// any language); without it, in Dutch and English both.
    #[allow(clippy::too_many_arguments)] // the query, its language, a filter and paging
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What was typed: words and quoted phrases, at most 500 characters and 32 words."
        )]
        query: String,
        #[graphql(desc = "Which initiatives the list holds; all the viewer may see when omitted.")]
        filter: Option<InitiativeFilter>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "The language `query` is written in: its words are stemmed in that language only; in Dutch and English both when omitted."
        )]
        lang: Option<Language>,
    ) -> async_graphql::Result<SearchConnection> {
        let filter = filter.unwrap_or_default().to_domain().map_err(domain_err)?;
        let page = page_request(first, after, None, None)?;
        let lang = lang.map(Into::into);
        // Snippets show initiatives' texts in the search's language, else the request's.
        let parts = SearchParts {
            snippets: asks_for_snippets(ctx),
            facets: ctx.look_ahead().field("facets").exists(),
            shown: lang.unwrap_or(request(ctx)?.lang),
            suggestions: ctx.look_ahead().field("suggestions").exists(),
        };
        let found = read_model(ctx)?
            .search(viewer(ctx)?, &query, lang, &filter, page, parts)
            .await
            .gql()?;
        let hits = hit_items(ctx, &found.page, found.snippets, |row, score, snippet| {
            SearchHit {
                initiative: Initiative(row),
                score,
                snippet,
            }
        })
        .await?;
        Ok(SearchConnection {
            filter,
            page: hit_page(&found.page, hits),
            matched: found.matched,
            facets: found.facets,
            left_out: found.page.left_out,
            suggestions: found.suggestions,
        })
    }

    /// Full-text search over events: their title, summary, location, themes and topics
    /// (with synonyms), kind, region and organisers, read like `search`'s query. Best
    /// first; only events the viewer may see.
    async fn search_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What was typed: words and quoted phrases, at most 500 characters and 32 words."
        )]
        query: String,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "The language `query` is written in: its words are stemmed in that language only; in Dutch and English both when omitted."
        )]
        lang: Option<Language>,
    ) -> async_graphql::Result<EventSearchConnection> {
        let page = page_request(first, after, None, None)?;
        let lang = lang.map(Into::into);
        let found = read_model(ctx)?
            .search_events(viewer(ctx)?, &query, lang, page, asks_for_snippets(ctx))
            .await
            .gql()?;
        let hits = hit_items(ctx, &found.page, found.snippets, |row, score, snippet| {
            EventHit {
                event: Event(row),
                score,
                snippet,
            }
        })
        .await?;
        Ok(EventSearchConnection::new(&found.page, hits))
    }

    /// Full-text search over organisations: their name, descriptions (both languages),
    /// kind, region and city, read like `search`'s query. Best first; only organisations
    /// the viewer may see.
    async fn search_organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What was typed: words and quoted phrases, at most 500 characters and 32 words."
        )]
        query: String,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "The language `query` is written in: its words are stemmed in that language only; in Dutch and English both when omitted."
        )]
        lang: Option<Language>,
    ) -> async_graphql::Result<OrganisationSearchConnection> {
        let page = page_request(first, after, None, None)?;
        let lang = lang.map(Into::into);
        let found = read_model(ctx)?
            .search_organisations(viewer(ctx)?, &query, lang, page, asks_for_snippets(ctx))
            .await
            .gql()?;
        let hits = hit_items(ctx, &found.page, found.snippets, |row, score, snippet| {
            OrganisationHit {
                organisation: Organisation(row),
                score,
                snippet,
            }
        })
        .await?;
        Ok(OrganisationSearchConnection::new(&found.page, hits))
    }

    /// Completions for a search box: initiative titles, topic labels and organisation
    /// names that start with what was typed (case and diacritics ignored), best first.
    async fn suggest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What has been typed so far.")] prefix: String,
        #[graphql(
            default = 8,
            desc = "How many completions to return, 1 to 20 (8 by default)."
        )]
        first: i32,
    ) -> async_graphql::Result<Vec<Suggestion>> {
        let first = usize::try_from(first)
            .ok()
            .filter(|n| (1..=20).contains(n))
            .ok_or_else(|| coded(ErrorCode::BadUserInput, "first is 1 to 20", Some("first")))?;
        Ok(read_model(ctx)?
            .suggest(viewer(ctx)?, &prefix, first)
            .await
            .gql()?
            .into_iter()
            .map(Suggestion)
            .collect())
    }
}
