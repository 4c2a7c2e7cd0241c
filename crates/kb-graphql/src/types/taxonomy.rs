use async_graphql::{Context, ID, Object};
use kb_domain::{InitiativeFilter, NodeId};

use super::connection::EventConnection;
use super::initiative::InitiativeConnection;
use super::nodes::{Theme, Topic};
use super::vocab::{Language, lang_of};
use crate::context::loader;
use crate::error::loader_error;
use crate::loaders::*;

/// One of the eight domains of the StepChange model (policy, research, collaboration,
/// transition, early intervention, prevention, support, equipping).
#[Object]
impl Theme {
    /// The opaque global id, for `node` and `nodes`.
    pub async fn id(&self) -> ID {
        ID(self.0.id.global().encode())
    }
    /// The stable taxonomy code.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The name in `lang` (the Dutch one where no English one exists).
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The language of the text; by default the request's (from `Accept-Language`, else Dutch)."
        )]
        lang: Option<Language>,
    ) -> String {
        self.0.label.get(lang_of(ctx, lang)).to_owned()
    }
    /// What the theme covers, in `lang` (in Dutch where no English text exists).
    async fn definition(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The language of the text; by default the request's (from `Accept-Language`, else Dutch)."
        )]
        lang: Option<Language>,
    ) -> String {
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
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        let filter = InitiativeFilter {
            themes: vec![self.0.code.clone()],
            ..Default::default()
        };
        InitiativeConnection::nested(
            ctx,
            InitiativeParent::Theme(self.0.id),
            first,
            after,
            Some(filter),
        )
        .await
    }

    /// Events under this theme, most recent first.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        EventConnection::nested_of(ctx, EventParent::Theme(self.0.id), first, after).await
    }
}

/// A topic of the topic tree (SKOS style: broader and narrower topics).
#[Object]
impl Topic {
    /// The opaque global id, for `node` and `nodes`.
    pub async fn id(&self) -> ID {
        ID(self.0.id.global().encode())
    }
    /// The stable taxonomy code.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The name in `lang` (the Dutch one where no English one exists).
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The language of the text; by default the request's (from `Accept-Language`, else Dutch)."
        )]
        lang: Option<Language>,
    ) -> String {
        self.0.label.get(lang_of(ctx, lang)).to_owned()
    }
    /// What the topic covers, in `lang` (in Dutch where no English text exists); empty
    /// when not written.
    async fn description(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The language of the text; by default the request's (from `Accept-Language`, else Dutch)."
        )]
        lang: Option<Language>,
    ) -> String {
        self.0.description.get(lang_of(ctx, lang)).to_owned()
    }
    /// Synonyms and abbreviations, in Dutch and English, that search understands.
    async fn alt_labels(&self) -> &[String] {
        &self.0.alt_labels
    }
    /// Position in the taxonomy's order.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The broader topic, for a narrower one.
    async fn broader(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Topic>> {
        let Some(id) = self.0.broader_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(id)
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
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        InitiativeConnection::nested(ctx, InitiativeParent::Topic(self.0.id), first, after, None)
            .await
    }

    /// Events about this topic, most recent first.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        EventConnection::nested_of(ctx, EventParent::Topic(self.0.id), first, after).await
    }
}
