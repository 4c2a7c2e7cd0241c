//! Mutations of the taxonomy (editors): new topics, labels, alternative labels and
//! descriptions of topics and themes. Codes never change.

use async_graphql::{Context, InputObject, Object, SimpleObject};

use crate::context::{actor, store};
use crate::error::StoreResultExt;
use crate::types::{Theme, Topic};

/// Labels and texts of a theme or topic; omitted fields stay as they are.
#[derive(InputObject, Debug, Clone, Default)]
pub struct TaxonomyTextInput {
    /// The Dutch name.
    pub label_nl: Option<String>,
    /// The English name.
    pub label_en: Option<String>,
    /// A topic's description or a theme's definition.
    pub description_nl: Option<String>,
    /// The English text of `descriptionNl`.
    pub description_en: Option<String>,
    /// Topics only: synonyms and abbreviations in either language (replaces the list).
    pub alt_labels: Option<Vec<String>>,
}

impl From<TaxonomyTextInput> for kb_store::TaxonomyText {
    fn from(t: TaxonomyTextInput) -> Self {
        kb_store::TaxonomyText {
            label_nl: t.label_nl,
            label_en: t.label_en,
            description_nl: t.description_nl,
            description_en: t.description_en,
            alt_labels: t.alt_labels,
        }
    }
}

/// A new topic.
#[derive(InputObject, Debug, Clone)]
pub struct CreateTopicInput {
    /// lower_snake_case; never changes once made.
    pub code: String,
    /// The root topic it is narrower than, if any.
    pub broader: Option<String>,
    /// The Dutch name.
    pub label_nl: String,
    /// The English name.
    pub label_en: String,
    /// What the topic covers, in Dutch.
    pub description_nl: Option<String>,
    /// What the topic covers, in English.
    pub description_en: Option<String>,
    /// Synonyms and abbreviations in either language, that search understands.
    pub alt_labels: Option<Vec<String>>,
}

/// The topic a mutation changed.
#[derive(SimpleObject)]
pub struct TopicPayload {
    /// The topic as it is after the change.
    pub topic: Topic,
}

/// The theme a mutation changed.
#[derive(SimpleObject)]
pub struct ThemePayload {
    /// The theme as it is after the change.
    pub theme: Theme,
}

/// Mutations of the taxonomy.
#[derive(Debug, Default, Clone, Copy)]
pub struct TaxonomyMutations;

#[Object]
impl TaxonomyMutations {
    /// Adds a topic to the taxonomy (editors).
    async fn create_topic(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new topic.")] input: CreateTopicInput,
    ) -> async_graphql::Result<TopicPayload> {
        let text = kb_store::TaxonomyText {
            label_nl: Some(input.label_nl),
            label_en: Some(input.label_en),
            description_nl: input.description_nl,
            description_en: input.description_en,
            alt_labels: input.alt_labels,
        };
        let t = store(ctx)?
            .create_topic(&actor(ctx)?, &input.code, input.broader.as_deref(), text)
            .await
            .gql()?;
        Ok(TopicPayload { topic: Topic(t) })
    }

    /// Changes a topic's labels, alternative labels or descriptions (editors).
    async fn update_topic(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code of the topic to change.")] code: String,
        #[graphql(desc = "The texts to change; omitted fields stay as they are.")]
        input: TaxonomyTextInput,
    ) -> async_graphql::Result<TopicPayload> {
        let t = store(ctx)?
            .update_topic(&actor(ctx)?, &code, input.into())
            .await
            .gql()?;
        Ok(TopicPayload { topic: Topic(t) })
    }

    /// Changes a theme's labels or definitions (editors).
    async fn update_theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code of the theme to change.")] code: String,
        #[graphql(desc = "The texts to change; omitted fields stay as they are.")]
        input: TaxonomyTextInput,
    ) -> async_graphql::Result<ThemePayload> {
        let t = store(ctx)?
            .update_theme(&actor(ctx)?, &code, input.into())
            .await
            .gql()?;
        Ok(ThemePayload { theme: Theme(t) })
    }
}
