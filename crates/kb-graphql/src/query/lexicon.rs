//! `lexicon`: the bilingual lexicon of search, for everyone.

use async_graphql::{Context, Object};

use crate::context::{store, viewer};
use crate::error::StoreResultExt;
use crate::types::lexicon::LexiconEntry;

/// The lexicon of search.
#[derive(Debug, Default, Clone, Copy)]
pub struct LexiconQuery;

#[Object]
impl LexiconQuery {
    /// Every entry of the bilingual lexicon that search uses: sets of Dutch and English
    /// words that mean the same, in the lexicon's order (new entries last).
    async fn lexicon(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LexiconEntry>> {
        Ok(store(ctx)?
            .lexicon(viewer(ctx)?)
            .await
            .gql()?
            .into_iter()
            .map(LexiconEntry)
            .collect())
    }
}
