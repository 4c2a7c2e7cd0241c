use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use kb_domain::NodeId;

use super::initiative::InitiativeConnection;
use super::nodes::{Event, Organisation, Theme, Topic};
use super::vocab::{EventKind, InitiativeStatus, Region};
use crate::context::loader;
use crate::error::loader_error;
use crate::loaders::*;

#[Object]
impl Event {
    pub async fn id(&self) -> ID {
        ID(self.0.id.global().encode())
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    async fn kind(&self) -> EventKind {
        self.0.kind.into()
    }
    async fn status(&self) -> InitiativeStatus {
        self.0.status.into()
    }
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    async fn online(&self) -> bool {
        self.0.online
    }
    async fn region(&self) -> Option<Region> {
        self.0.region.map(Into::into)
    }
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// Whether this is part of the demo data set (fictional).
    async fn is_demo(&self) -> bool {
        self.0.is_demo
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Theme>> {
        let rows = loader(ctx)?
            .load_one(ThemesOfEvent(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(rows.unwrap_or_default().into_iter().map(Theme).collect())
    }
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
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        InitiativeConnection::nested(ctx, InitiativeParent::Event(self.0.id), first, after, None)
            .await
    }
}
