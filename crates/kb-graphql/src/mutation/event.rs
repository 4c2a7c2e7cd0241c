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
    /// The title: at most 200 characters, not empty; required to create.
    pub title: Option<String>,
    /// A plain-text summary, at most 1,000 characters; a blank one clears it.
    pub summary: Option<String>,
    /// What the event is; required to create.
    pub kind: Option<EventKind>,
    /// When it starts; required to create.
    pub starts_at: Option<DateTime<Utc>>,
    /// When it ends: after `startsAt`; required to create.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it takes place (venue and town), at most 200 characters; an empty string
    /// clears it.
    pub location: Option<String>,
    /// Whether it can be attended online.
    pub online: Option<bool>,
    /// The province it takes place in, or national or international reach.
    pub region: Option<Region>,
    /// An http or https URL, at most 500 characters; an empty string clears it.
    pub website: Option<String>,
    /// Theme codes (replaces the list).
    pub themes: Option<Vec<String>>,
    /// Topic codes (replaces the list).
    pub topics: Option<Vec<String>>,
    /// Organisation ids, at least one; required to create. Contributors must name their own.
    pub organisers: Option<Vec<ID>>,
    /// Initiative ids the event features, at most 50.
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
    /// The event as it is after the change.
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
        #[graphql(desc = "The content to write; on update, omitted fields stay as they are.")]
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
        #[graphql(desc = "The global id of the event.")] id: ID,
        #[graphql(
            desc = "The version the client read; if the item changed since, the answer is CONFLICT with `extensions.currentVersion` and nothing is written."
        )]
        expected_version: i32,
        #[graphql(desc = "The content to write; on update, omitted fields stay as they are.")]
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
        #[graphql(desc = "The global id of the event.")] id: ID,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<EventPayload> {
        event_transition(ctx, id, Action::Submit, expected_version).await
    }

    /// DRAFT or SUBMITTED → PUBLISHED (editors).
    async fn publish_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the event.")] id: ID,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<EventPayload> {
        event_transition(ctx, id, Action::Publish, expected_version).await
    }

    /// Any status → ARCHIVED (editors).
    async fn archive_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the event.")] id: ID,
        #[graphql(
            desc = "The version the client read; when given and the item changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<EventPayload> {
        event_transition(ctx, id, Action::Archive, expected_version).await
    }
}
