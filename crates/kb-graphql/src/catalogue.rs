//! Mutations of organisations (editors) and events (editors, and contributors for their
//! own organisation's events).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use kb_domain::input::{EventInput as DomainEvent, OrganisationInput as DomainOrganisation};
use kb_domain::workflow::Action;
use kb_domain::{DomainError, GlobalId, NodeKind};

use crate::error::StoreResultExt;
use crate::mutation::actor;
use crate::types::vocab::*;
use crate::types::{Event, Organisation, domain as domain_err, store};

/// The content of an organisation; on update, omitted fields stay as they are.
#[derive(InputObject, Debug, Clone, Default)]
pub struct OrganisationInput {
    pub name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub region: Option<Region>,
    pub city: Option<String>,
    pub website: Option<String>,
    /// The organisation's general address.
    pub email: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    /// The organisation this one is part of.
    pub part_of: Option<ID>,
}

/// The content of an event; on update, omitted fields stay as they are.
#[derive(InputObject, Debug, Clone, Default)]
pub struct EventInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub kind: Option<EventKind>,
    pub starts_at: Option<DateTime<Utc>>,
    /// After `startsAt`.
    pub ends_at: Option<DateTime<Utc>>,
    pub location: Option<String>,
    pub online: Option<bool>,
    pub region: Option<Region>,
    pub website: Option<String>,
    /// Theme codes.
    pub themes: Option<Vec<String>>,
    /// Topic codes.
    pub topics: Option<Vec<String>>,
    /// Organisation ids; contributors must name their own.
    pub organisers: Option<Vec<ID>>,
    /// Initiative ids the event features.
    pub initiatives: Option<Vec<ID>>,
}

fn ids(
    field: &str,
    list: Option<Vec<ID>>,
    kind: NodeKind,
) -> Result<Option<Vec<i64>>, DomainError> {
    list.map(|l| {
        l.iter()
            .map(|id| GlobalId::decode_kind(field, id, kind))
            .collect()
    })
    .transpose()
}

impl OrganisationInput {
    fn into_domain(self) -> Result<DomainOrganisation, DomainError> {
        Ok(DomainOrganisation {
            name: self.name,
            kind: self.kind.map(Into::into),
            region: self.region.map(Into::into),
            city: self.city,
            website: self.website,
            email: self.email,
            description_nl: self.description_nl,
            description_en: self.description_en,
            part_of: self
                .part_of
                .map(|p| {
                    GlobalId::decode_kind("input.partOf", &p, NodeKind::Organisation).map(Some)
                })
                .transpose()?,
        })
    }
}

impl EventInput {
    fn into_domain(self) -> Result<DomainEvent, DomainError> {
        Ok(DomainEvent {
            title: self.title,
            summary: self.summary,
            kind: self.kind.map(Into::into),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            location: self.location,
            online: self.online,
            region: self.region.map(Into::into),
            website: self.website,
            themes: self.themes,
            topics: self.topics,
            organisers: ids("input.organisers", self.organisers, NodeKind::Organisation)?,
            initiatives: ids("input.initiatives", self.initiatives, NodeKind::Initiative)?,
        })
    }
}

/// The organisation a mutation changed.
#[derive(SimpleObject)]
pub struct OrganisationPayload {
    pub organisation: Organisation,
}

/// The event a mutation changed.
#[derive(SimpleObject)]
pub struct EventPayload {
    pub event: Event,
}

fn id_of(id: &ID, kind: NodeKind) -> async_graphql::Result<i64> {
    GlobalId::decode_kind("id", id, kind).map_err(domain_err)
}

async fn event_transition(
    ctx: &Context<'_>,
    id: ID,
    action: Action,
    v: Option<i32>,
) -> async_graphql::Result<EventPayload> {
    let id = id_of(&id, NodeKind::Event)?;
    let e = store(ctx)?
        .transition_event(&actor(ctx)?, id, action, v)
        .await
        .gql()?;
    Ok(EventPayload { event: Event(e) })
}

/// Mutations of organisations and events.
#[derive(Debug, Default, Clone, Copy)]
pub struct CatalogueMutations;

#[Object]
impl CatalogueMutations {
    /// Creates an organisation, published at once (editors).
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        input: OrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let input = input.into_domain().map_err(domain_err)?;
        let o = store(ctx)?
            .create_organisation(&actor(ctx)?, input)
            .await
            .gql()?;
        Ok(OrganisationPayload {
            organisation: Organisation(o),
        })
    }

    /// Changes an organisation (editors); a stale `expectedVersion` is CONFLICT.
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: OrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let id = id_of(&id, NodeKind::Organisation)?;
        let input = input.into_domain().map_err(domain_err)?;
        let o = store(ctx)?
            .update_organisation(&actor(ctx)?, id, expected_version, input)
            .await
            .gql()?;
        Ok(OrganisationPayload {
            organisation: Organisation(o),
        })
    }

    /// Archives an organisation (editors).
    async fn archive_organisation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<OrganisationPayload> {
        let id = id_of(&id, NodeKind::Organisation)?;
        let o = store(ctx)?
            .archive_organisation(&actor(ctx)?, id, expected_version)
            .await
            .gql()?;
        Ok(OrganisationPayload {
            organisation: Organisation(o),
        })
    }

    /// Creates an event as a DRAFT; contributors for events their organisation organises.
    async fn create_event(
        &self,
        ctx: &Context<'_>,
        input: EventInput,
    ) -> async_graphql::Result<EventPayload> {
        let input = input.into_domain().map_err(domain_err)?;
        let e = store(ctx)?.create_event(&actor(ctx)?, input).await.gql()?;
        Ok(EventPayload { event: Event(e) })
    }

    /// Changes an event; a stale `expectedVersion` is CONFLICT.
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: EventInput,
    ) -> async_graphql::Result<EventPayload> {
        let id = id_of(&id, NodeKind::Event)?;
        let input = input.into_domain().map_err(domain_err)?;
        let e = store(ctx)?
            .update_event(&actor(ctx)?, id, expected_version, input)
            .await
            .gql()?;
        Ok(EventPayload { event: Event(e) })
    }

    /// DRAFT → SUBMITTED.
    async fn submit_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<EventPayload> {
        event_transition(ctx, id, Action::Submit, expected_version).await
    }

    /// DRAFT or SUBMITTED → PUBLISHED (editors).
    async fn publish_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<EventPayload> {
        event_transition(ctx, id, Action::Publish, expected_version).await
    }

    /// Any status → ARCHIVED (editors).
    async fn archive_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<EventPayload> {
        event_transition(ctx, id, Action::Archive, expected_version).await
    }
}
