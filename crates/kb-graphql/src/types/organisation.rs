use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use kb_domain::{InitiativeFilter, NodeId};

use super::connection::EventConnection;
use super::initiative::InitiativeConnection;
use super::nodes::Organisation;
use super::vocab::{Language, OrganisationKind, Region, lang_of};
use crate::context::loader;
use crate::error::loader_error;
use crate::loaders::*;

#[Object]
impl Organisation {
    pub async fn id(&self) -> ID {
        ID(self.0.id.global().encode())
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> OrganisationKind {
        self.0.kind.into()
    }
    async fn region(&self) -> Option<Region> {
        self.0.region.map(Into::into)
    }
    async fn city(&self) -> Option<&str> {
        self.0.city.as_deref()
    }
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// The organisation's general address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    async fn description(&self, ctx: &Context<'_>, lang: Option<Language>) -> String {
        self.0.description.get(lang_of(ctx, lang)).to_owned()
    }
    /// Whether this is part of the demo data set (fictional).
    async fn is_demo(&self) -> bool {
        self.0.is_demo
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The organisation this one is part of (a university for a faculty, a network for
    /// a member).
    async fn part_of(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.part_of_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Organisation))
    }
    /// The organisations that are part of this one.
    async fn parts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let rows = loader(ctx)?
            .load_one(PartsOfOrganisation(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(Organisation)
            .collect())
    }
    /// Initiatives the organisation takes part in, newest first.
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        let filter = InitiativeFilter {
            organisations: vec![self.0.id],
            ..Default::default()
        };
        InitiativeConnection::nested(
            ctx,
            InitiativeParent::Organisation(self.0.id),
            first,
            after,
            Some(filter),
        )
        .await
    }
    /// Events the organisation organises, most recent first.
    async fn events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        EventConnection::nested_of(ctx, EventParent::Organisation(self.0.id), first, after).await
    }
}
