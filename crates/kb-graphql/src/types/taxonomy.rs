use async_graphql::{Context, ID, Object};
use kb_domain::{self as domain, GlobalId, InitiativeFilter, NodeKind};

use super::connection::EventConnection;
use super::initiative::InitiativeConnection;
use super::vocab::Language;
use super::{lang_of, loader};
use crate::error::loader_error;
use crate::loaders::*;

/// One of the eight domains of the StepChange model (policy, research, collaboration,
/// transition, early intervention, prevention, support, equipping).
#[derive(Debug, Clone)]
pub struct Theme(pub(crate) domain::Theme);

/// A topic of the topic tree (SKOS style: broader and narrower topics).
#[derive(Debug, Clone)]
pub struct Topic(pub(crate) domain::Topic);

#[Object]
impl Theme {
    pub async fn id(&self) -> ID {
        ID(GlobalId::new(NodeKind::Theme, self.0.id).encode())
    }
    /// The stable taxonomy code.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn label(&self, ctx: &Context<'_>, lang: Option<Language>) -> String {
        self.0.label.get(lang_of(ctx, lang)).to_owned()
    }
    async fn definition(&self, ctx: &Context<'_>, lang: Option<Language>) -> String {
        self.0.definition.get(lang_of(ctx, lang)).to_owned()
    }
    /// Position in the taxonomy's order.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// Initiatives under this theme, newest first.
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        let filter = InitiativeFilter {
            themes: vec![self.0.code.clone()],
            ..Default::default()
        };
        InitiativeConnection::nested(ctx, Parent::Theme(self.0.id), first, after, Some(filter))
            .await
    }

    /// Events under this theme, most recent first.
    async fn events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        EventConnection::nested_of(ctx, Parent::Theme(self.0.id), first, after).await
    }
}

#[Object]
impl Topic {
    pub async fn id(&self) -> ID {
        ID(GlobalId::new(NodeKind::Topic, self.0.id).encode())
    }
    /// The stable taxonomy code.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn label(&self, ctx: &Context<'_>, lang: Option<Language>) -> String {
        self.0.label.get(lang_of(ctx, lang)).to_owned()
    }
    async fn description(&self, ctx: &Context<'_>, lang: Option<Language>) -> String {
        self.0.description.get(lang_of(ctx, lang)).to_owned()
    }
    /// Synonyms and abbreviations, in Dutch and English, that search understands.
    async fn alt_labels(&self) -> &[String] {
        &self.0.alt_labels
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The broader topic, for a narrower one.
    async fn broader(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Topic>> {
        let Some(id) = self.0.broader_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(TopicId(id))
            .await
            .map_err(loader_error)?
            .map(Topic))
    }
    /// The narrower topics, in the taxonomy's order.
    async fn narrower(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Topic>> {
        let rows = loader(ctx)?
            .load_one(NarrowerOfTopic(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(rows.unwrap_or_default().into_iter().map(Topic).collect())
    }
    /// Initiatives filed directly under this topic, newest first. To include the
    /// narrower topics, filter `Query.initiatives` by this topic's code.
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        InitiativeConnection::nested(ctx, Parent::Topic(self.0.id), first, after, None).await
    }

    /// Events about this topic, most recent first.
    async fn events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        EventConnection::nested_of(ctx, Parent::Topic(self.0.id), first, after).await
    }
}
