//! The taxonomy: themes, topics and the flat vocabularies.

use async_graphql::{Context, Object};

use crate::context::{loader, read_model};
use crate::types::vocab::Vocabularies;
use crate::types::{Theme, Topic};

/// Themes, topics and vocabularies.
#[derive(Debug, Default, Clone, Copy)]
pub struct TaxonomyQuery;

#[Object]
impl TaxonomyQuery {
    /// The eight StepChange themes, in order.
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Theme>> {
        Ok(read_model(ctx)?
            .themes()
            .await
            .into_iter()
            .map(Theme)
            .collect())
    }

    /// A theme by code.
    async fn theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The theme's code, such as `prevention`.")] code: String,
    ) -> async_graphql::Result<Option<Theme>> {
        Ok(read_model(ctx)?
            .themes()
            .await
            .into_iter()
            .find(|t| t.code == code)
            .map(Theme))
    }

    /// The topics, in the taxonomy's order; only the roots of the tree with `rootsOnly`.
    async fn topics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the roots of the topic tree; false by default.")] roots_only: Option<
            bool,
        >,
    ) -> async_graphql::Result<Vec<Topic>> {
        Ok(read_model(ctx)?
            .topics(roots_only.unwrap_or(false))
            .await
            .into_iter()
            .map(Topic)
            .collect())
    }

    /// A topic by code.
    async fn topic(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The topic's code.")] code: String,
    ) -> async_graphql::Result<Option<Topic>> {
        Ok(read_model(ctx)?
            .topics(false)
            .await
            .into_iter()
            .find(|t| t.code == code)
            .map(Topic))
    }

    /// Every flat controlled vocabulary with its Dutch and English labels.
    async fn vocabularies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vocabularies> {
        let terms = loader(ctx)?
            .load_one(crate::loaders::VocabularyTerms)
            .await
            .map_err(crate::error::loader_error)?
            .unwrap_or_default();
        Ok(Vocabularies::from_terms(terms.as_ref().clone()))
    }
}
