//! Mutations of events: editors manage all of them, contributors those their organisation
//! organises, through the same workflow as initiatives.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use kb_domain::input::EventInput as DomainEvent;
use kb_domain::workflow::Action;
use kb_domain::{DomainError, EventId, InitiativeId, NodeId, OrganisationId};

use crate::context::{actor, domain as domain_err, node_id, store};
use crate::error::StoreResultExt;
use crate::types::Event;
use crate::types::vocab::*;

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

fn ids<T: NodeId>(field: &str, list: Option<Vec<ID>>) -> Result<Option<Vec<T>>, DomainError> {
    list.map(|l| l.iter().map(|id| T::decode(field, id)).collect())
        .transpose()
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
            organisers: ids::<OrganisationId>("input.organisers", self.organisers)?,
            initiatives: ids::<InitiativeId>("input.initiatives", self.initiatives)?,
        })
    }
}

/// The event a mutation changed.
#[derive(SimpleObject)]
pub struct EventPayload {
    pub event: Event,
}

/// Moves an event through the workflow.
async fn event_transition(
    ctx: &Context<'_>,
    id: ID,
    action: Action,
    v: Option<i32>,
) -> async_graphql::Result<EventPayload> {
    let id: EventId = node_id("id", &id)?;
    let e = store(ctx)?
        .transition_event(&actor(ctx)?, id, action, v)
        .await
        .gql()?;
    Ok(EventPayload { event: Event(e) })
}

/// Mutations of events.
#[derive(Debug, Default, Clone, Copy)]
pub struct EventMutations;

#[Object]
impl EventMutations {
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
        let id: EventId = node_id("id", &id)?;
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
