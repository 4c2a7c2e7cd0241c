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

/// A university, university of applied sciences, wellbeing organisation, network, … behind
/// initiatives and events.
#[Object]
impl Organisation {
    /// The opaque global id, for `node` and `nodes`.
    pub async fn id(&self) -> ID {
        ID(self.0.id.global().encode())
    }
    /// The readable last part of its address, from the name: lower-case ASCII letters and
    /// digits joined by hyphens, at most 80 characters, unique among organisations.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// The name, at most 200 characters.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the organisation is.
    async fn kind(&self) -> OrganisationKind {
        self.0.kind.into()
    }
    /// The province it is based in, or national or international reach; null when not
    /// given.
    async fn region(&self) -> Option<Region> {
        self.0.region.map(Into::into)
    }
    /// The town it is based in; null when not given.
    async fn city(&self) -> Option<&str> {
        self.0.city.as_deref()
    }
    /// Its web address (http or https); null when it has none.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// The organisation's general address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// What the organisation does, in `lang` (in Dutch where no English text exists);
    /// empty when not written.
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
    /// Whether this is part of the demo data set (fictional).
    async fn is_demo(&self) -> bool {
        self.0.is_demo
    }
    /// Increases with every change; updates must name the version they change.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
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
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        EventConnection::nested_of(ctx, EventParent::Organisation(self.0.id), first, after).await
    }
}
