use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use kb_domain::NodeId;

use super::initiative::InitiativeConnection;
use super::nodes::{Event, Organisation, Theme, Topic};
use super::vocab::{EventKind, InitiativeStatus, Region};
use crate::context::loader;
use crate::error::loader_error;
use crate::loaders::*;

/// A network meeting, masterclass, webinar, conference, … where initiatives are shown.
#[Object]
impl Event {
    /// The opaque global id, for `node` and `nodes`.
    pub async fn id(&self) -> ID {
        ID(self.0.id.global().encode())
    }
    /// The readable last part of its address, from the title: lower-case ASCII letters and
    /// digits joined by hyphens, at most 80 characters, unique among events.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// The title, at most 200 characters.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// A plain-text summary, at most 1,000 characters.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// What the event is.
    async fn kind(&self) -> EventKind {
        self.0.kind.into()
    }
    /// Where it stands in moderation.
    async fn status(&self) -> InitiativeStatus {
        self.0.status.into()
    }
    /// When it starts.
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    /// When it ends; after `startsAt`.
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    /// Where it takes place (venue and town); null when not given.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    /// Whether it can be attended online.
    async fn online(&self) -> bool {
        self.0.online
    }
    /// The province it takes place in, or national or international reach; null when not
    /// given.
    async fn region(&self) -> Option<Region> {
        self.0.region.map(Into::into)
    }
    /// Its web address (http or https); null when it has none.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// Whether this is part of the demo data set (fictional).
    async fn is_demo(&self) -> bool {
        self.0.is_demo
    }
    /// Increases with every change; updates must name the version they change.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was published; null until then.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// The StepChange themes it is placed under.
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Theme>> {
        let rows = loader(ctx)?
            .load_one(ThemesOfEvent(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(rows.unwrap_or_default().into_iter().map(Theme).collect())
    }
    /// The topics it is about.
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Topic>> {
        let rows = loader(ctx)?
            .load_one(TopicsOfEvent(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(rows.unwrap_or_default().into_iter().map(Topic).collect())
    }
    /// The organisations that organise the event.
    async fn organisers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let rows = loader(ctx)?
            .load_one(OrganisersOfEvent(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(Organisation)
            .collect())
    }
    /// The initiatives the event features, newest first.
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
        InitiativeConnection::nested(ctx, InitiativeParent::Event(self.0.id), first, after, None)
            .await
    }
}
