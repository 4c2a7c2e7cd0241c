//! Events: editors manage all of them, contributors those their organisation organises,
//! through the same workflow as initiatives. One transaction per write with its audit
//! record; versions guard against lost edits; a slug taken meanwhile is retried.

use chrono::Utc;
use kb_domain::input::{EventFields, EventInput};
use kb_domain::workflow::Action;
use kb_domain::{
    DomainError, ErrorCode, Event, EventId, InitiativeId, OrganisationId, Status, Viewer,
    Vocabulary,
};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QuerySelect, TransactionTrait,
};
use serde_json::json;

use super::Actor;
use super::audit::{Change, record};
use super::save::{free_slug, guarded_update, replace_rows, retry_on_conflict, sorted_codes};
use crate::convert::code;
use crate::entity::{event, event_initiative, event_organisation, event_theme, event_topic};
use crate::{Result, Store, StoreError, access};

const EVENT: &str = "event";

fn snapshot(f: &EventFields, status: &str, version: i32) -> serde_json::Value {
    json!({ "title": f.title, "summary": f.summary, "kind": f.kind.map(|k| k.code()), "starts_at": f.starts_at,
            "ends_at": f.ends_at, "location": f.location, "online": f.online, "region": f.region.map(|r| r.code()),
            "website": f.website, "themes": f.themes, "topics": f.topics,
            "organisers": f.organisers.iter().map(|o| o.0).collect::<Vec<_>>(),
            "initiatives": f.initiatives.iter().map(|i| i.0).collect::<Vec<_>>(), "status": status, "version": version })
}

fn not_found() -> StoreError {
    DomainError::new(ErrorCode::NotFound, "event not found").into()
}

/// Theme and topic row ids of an event's content, checked to exist.
pub(super) struct Edges {
    themes: Vec<i64>,
    topics: Vec<i64>,
}

fn content(f: &EventFields) -> Result<event::ActiveModel> {
    // Creating validates both times; a stored event always has them.
    let (Some(starts), Some(ends)) = (f.starts_at, f.ends_at) else {
        return Err(
            DomainError::bad_input("input.startsAt", "an event needs a start and an end").into(),
        );
    };
    Ok(event::ActiveModel {
        title: Set(f.title.clone()),
        summary: Set(f.summary.clone()),
        kind: Set(f.kind.map_or("network_meeting", |k| k.code()).to_owned()),
        starts_at: Set(starts),
        ends_at: Set(ends),
        location: Set(f.location.clone()),
        online: Set(f.online),
        region: Set(f.region.map(|r| r.code().to_owned())),
        website: Set(f.website.clone()),
        ..Default::default()
    })
}

impl Store {
    /// The current event and its edges, if the viewer may see it.
    pub(super) async fn event_state(
        &self,
        viewer: Viewer,
        id: EventId,
    ) -> Result<Option<(event::Model, EventFields)>> {
        let Some(row) = event::Entity::find_by_id(id.0)
            .filter(access::events(viewer))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let themes = sorted_codes(self.themes_of_events(&[id]).await?, |t| t.code);
        let topics = sorted_codes(self.topics_of_events(&[id]).await?, |t| t.code);
        let mut organisers: Vec<i64> = event_organisation::Entity::find()
            .select_only()
            .column(event_organisation::Column::OrganisationId)
            .filter(event_organisation::Column::EventId.eq(id.0))
            .into_tuple()
            .all(&self.db)
            .await?;
        organisers.sort();
        let mut initiatives: Vec<i64> = event_initiative::Entity::find()
            .select_only()
            .column(event_initiative::Column::InitiativeId)
            .filter(event_initiative::Column::EventId.eq(id.0))
            .into_tuple()
            .all(&self.db)
            .await?;
        initiatives.sort();
        let f = EventFields {
            title: row.title.clone(),
            summary: row.summary.clone(),
            kind: Some(code(&row.kind)?),
            starts_at: Some(row.starts_at),
            ends_at: Some(row.ends_at),
            location: row.location.clone(),
            online: row.online,
            region: row.region.as_deref().map(code).transpose()?,
            website: row.website.clone(),
            themes,
            topics,
            organisers: organisers.into_iter().map(OrganisationId).collect(),
            initiatives: initiatives.into_iter().map(InitiativeId).collect(),
        };
        Ok(Some((row, f)))
    }

    /// Theme and topic ids, checking organisers and featured initiatives are visible.
    pub(super) async fn event_edges(&self, viewer: Viewer, f: &EventFields) -> Result<Edges> {
        let (themes, topics) = self.theme_and_topic_ids(&f.themes, &f.topics).await?;
        if self
            .organisations_by_ids(viewer, &f.organisers)
            .await?
            .len()
            != f.organisers.len()
        {
            return Err(DomainError::bad_input("input.organisers", "unknown organisation").into());
        }
        if self.initiatives_by_ids(viewer, &f.initiatives).await?.len() != f.initiatives.len() {
            return Err(DomainError::bad_input("input.initiatives", "unknown initiative").into());
        }
        Ok(Edges { themes, topics })
    }

    /// Creates an event as a DRAFT; contributors only for events their organisation
    /// organises.
    pub async fn create_event(&self, actor: &Actor, input: EventInput) -> Result<Event> {
        access::require_writer(actor.viewer)?;
        let f = EventFields::create(input)?;
        let status = access::event_action(actor.viewer, &f.organisers, None, Action::Create)?;
        let edges = self.event_edges(actor.viewer, &f).await?;
        retry_on_conflict(|| self.insert_event(actor, &f, status, &edges)).await
    }

    async fn insert_event(
        &self,
        actor: &Actor,
        f: &EventFields,
        status: Status,
        edges: &Edges,
    ) -> Result<Event> {
        let slug =
            free_slug::<event::Entity, _>(&self.db, event::Column::Slug, &f.title, "bijeenkomst")
                .await?;
        let txn = self.db.begin().await?;
        let row =
            insert_event_in(&txn, actor, slug, f, status, edges, Action::Create.as_str()).await?;
        crate::durability::commit(txn).await?;
        Event::try_from(row)
    }

    /// Changes an event, if `expected_version` is current.
    pub async fn update_event(
        &self,
        actor: &Actor,
        id: EventId,
        expected_version: i32,
        input: EventInput,
    ) -> Result<Event> {
        access::require_writer(actor.viewer)?;
        let (row, old) = self
            .event_state(actor.viewer, id)
            .await?
            .ok_or_else(not_found)?;
        let status: Status = code(&row.status)?;
        access::event_action(actor.viewer, &old.organisers, Some(status), Action::Update)?;
        if row.version != expected_version {
            return Err(DomainError::conflict(row.version).into());
        }
        let mut f = old.clone();
        f.apply(input)?;
        // A contributor cannot hand the event to organisations that are not its own.
        access::event_action(actor.viewer, &f.organisers, Some(status), Action::Update)?;
        let edges = self.event_edges(actor.viewer, &f).await?;
        self.save_event(actor, row, &old, &f, None, Action::Update, Some(edges))
            .await
    }

    /// Moves an event through the same workflow as initiatives.
    pub async fn transition_event(
        &self,
        actor: &Actor,
        id: EventId,
        action: Action,
        expected_version: Option<i32>,
    ) -> Result<Event> {
        access::require_writer(actor.viewer)?;
        let (row, f) = self
            .event_state(actor.viewer, id)
            .await?
            .ok_or_else(not_found)?;
        let to = access::event_action(
            actor.viewer,
            &f.organisers,
            Some(code(&row.status)?),
            action,
        )?;
        if let Some(v) = expected_version
            && v != row.version
        {
            return Err(DomainError::conflict(row.version).into());
        }
        self.save_event(actor, row, &f, &f, Some(to), action, None)
            .await
    }

    #[allow(clippy::too_many_arguments)] // the parts of one save, each used once
    async fn save_event(
        &self,
        actor: &Actor,
        before: event::Model,
        old: &EventFields,
        f: &EventFields,
        status: Option<Status>,
        action: Action,
        edges: Option<Edges>,
    ) -> Result<Event> {
        let txn = self.db.begin().await?;
        let save = EventSave {
            before,
            old,
            status,
            action: action.as_str(),
            edges: edges.as_ref(),
        };
        let after = save_event_in(&txn, actor, f, save).await?;
        crate::durability::commit(txn).await?;
        Event::try_from(after)
    }
}

/// Inserts an event with `slug` and `status`, its edges and its audit record, in `txn`.
pub(super) async fn insert_event_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    slug: String,
    f: &EventFields,
    status: Status,
    edges: &Edges,
    action: &str,
) -> Result<event::Model> {
    let now = Utc::now();
    let row = event::Entity::insert(event::ActiveModel {
        id: NotSet,
        slug: Set(slug),
        status: Set(status.code().to_owned()),
        is_demo: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set((status == Status::Published).then_some(now)),
        ..content(f)?
    })
    .exec_with_returning(txn)
    .await?;
    write_edges(txn, row.id, f, edges).await?;
    let change = Change {
        entity: EVENT,
        id: row.id,
        action,
        version: 1,
    };
    record(txn, actor, change, None, Some(&snapshot(f, &row.status, 1))).await?;
    Ok(row)
}

/// What a save of an event changes besides its content: the row before (whose content
/// was `old`), a new status, the action recorded, new edges.
pub(super) struct EventSave<'a> {
    pub before: event::Model,
    pub old: &'a EventFields,
    pub status: Option<Status>,
    pub action: &'a str,
    pub edges: Option<&'a Edges>,
}

/// Saves the content `f` of an event in `txn`, guarded by its version, with its audit
/// record.
pub(super) async fn save_event_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    f: &EventFields,
    save: EventSave<'_>,
) -> Result<event::Model> {
    let EventSave {
        before,
        old,
        status,
        action,
        edges,
    } = save;
    let now = Utc::now();
    let mut row = event::ActiveModel {
        version: Set(before.version + 1),
        updated_at: Set(now),
        ..content(f)?
    };
    if let Some(s) = status {
        row.status = Set(s.code().to_owned());
        if s == Status::Published && before.published_at.is_none() {
            row.published_at = Set(Some(now));
        }
    }
    guarded_update(
        txn,
        row,
        event::Column::Id,
        event::Column::Version,
        before.id,
        before.version,
    )
    .await?;
    if let Some(edges) = edges {
        write_edges(txn, before.id, f, edges).await?;
    }
    let after = event::Entity::find_by_id(before.id)
        .one(txn)
        .await?
        .ok_or_else(not_found)?;
    let change = Change {
        entity: EVENT,
        id: before.id,
        action,
        version: after.version,
    };
    let (was, is) = (
        snapshot(old, &before.status, before.version),
        snapshot(f, &after.status, after.version),
    );
    record(txn, actor, change, Some(&was), Some(&is)).await?;
    Ok(after)
}

async fn write_edges(
    txn: &DatabaseTransaction,
    id: i64,
    f: &EventFields,
    edges: &Edges,
) -> Result<()> {
    let rows = edges.themes.iter().map(|t| event_theme::ActiveModel {
        event_id: Set(id),
        theme_id: Set(*t),
    });
    replace_rows(txn, event_theme::Column::EventId, id, rows).await?;
    let rows = edges.topics.iter().map(|t| event_topic::ActiveModel {
        event_id: Set(id),
        topic_id: Set(*t),
    });
    replace_rows(txn, event_topic::Column::EventId, id, rows).await?;
    let rows = f
        .organisers
        .iter()
        .map(|o| event_organisation::ActiveModel {
            event_id: Set(id),
            organisation_id: Set(o.0),
        });
    replace_rows(txn, event_organisation::Column::EventId, id, rows).await?;
    let rows = f.initiatives.iter().map(|i| event_initiative::ActiveModel {
        event_id: Set(id),
        initiative_id: Set(i.0),
    });
    replace_rows(txn, event_initiative::Column::EventId, id, rows).await
}
