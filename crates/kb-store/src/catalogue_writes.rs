//! Writes to organisations (editors) and events (editors, and contributors for their
//! own organisation's events). Same rules as initiatives: one transaction per
//! mutation, a revision and a change-log row, versions guard against lost edits.

use chrono::Utc;
use kb_domain::input::{EventFields, EventInput, OrganisationFields, OrganisationInput};
use kb_domain::workflow::{Action, decide};
use kb_domain::{
    DomainError, ErrorCode, Event, Organisation, Status, Viewer, Vocabulary, slug::slugify,
};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use serde_json::json;

use crate::convert::code;
use crate::entity::{
    event, event_initiative, event_organisation, event_theme, event_topic, organisation,
};
use crate::writes::{Actor, may_write, record_json, replace_rows};
use crate::{Result, Store, visibility};

fn org_json(f: &OrganisationFields, status: &str, version: i32) -> serde_json::Value {
    json!({ "name": f.name, "kind": f.kind.map(|k| k.code()), "region": f.region.map(|r| r.code()), "city": f.city,
            "website": f.website, "email": f.email, "description_nl": f.description_nl,
            "description_en": f.description_en, "part_of": f.part_of, "status": status, "version": version })
}

fn event_json(f: &EventFields, status: &str, version: i32) -> serde_json::Value {
    json!({ "title": f.title, "summary": f.summary, "kind": f.kind.map(|k| k.code()), "starts_at": f.starts_at,
            "ends_at": f.ends_at, "location": f.location, "online": f.online, "region": f.region.map(|r| r.code()),
            "website": f.website, "themes": f.themes, "topics": f.topics, "organisers": f.organisers,
            "initiatives": f.initiatives, "status": status, "version": version })
}

fn org_fields(m: &organisation::Model) -> Result<OrganisationFields> {
    Ok(OrganisationFields {
        name: m.name.clone(),
        kind: Some(code(&m.kind)?),
        region: m.region.as_deref().map(code).transpose()?,
        city: m.city.clone(),
        website: m.website.clone(),
        email: m.email.clone(),
        description_nl: m.description_nl.clone(),
        description_en: m.description_en.clone(),
        part_of: m.part_of_id,
    })
}

fn not_found(what: &str) -> crate::StoreError {
    DomainError::new(ErrorCode::NotFound, format!("{what} not found")).into()
}

fn conflict_if_stale(current: i32, expected: Option<i32>) -> Result<()> {
    match expected {
        Some(v) if v != current => Err(DomainError::conflict(current).into()),
        _ => Ok(()),
    }
}

async fn free_slug<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    col: E::Column,
    title: &str,
    fallback: &str,
) -> Result<String>
where
    E::Column: ColumnTrait,
{
    let base = match slugify(title) {
        s if s.is_empty() => fallback.to_owned(),
        s => s,
    };
    let taken: Vec<String> = E::find()
        .select_only()
        .column(col)
        .filter(col.starts_with(base.clone()))
        .into_tuple()
        .all(db)
        .await?;
    if !taken.contains(&base) {
        return Ok(base);
    }
    Ok((2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !taken.contains(s))
        .unwrap_or(base))
}

impl Store {
    /// Refuses a `part_of` that does not exist or would make a cycle.
    async fn check_part_of(&self, id: Option<i64>, part_of: Option<i64>) -> Result<()> {
        let mut next = part_of;
        let mut steps = 0;
        while let Some(p) = next {
            if Some(p) == id || steps > 50 {
                return Err(DomainError::bad_input(
                    "input.partOf",
                    "an organisation cannot be part of itself",
                )
                .into());
            }
            let row = organisation::Entity::find_by_id(p)
                .one(&self.db)
                .await?
                .ok_or_else(|| DomainError::bad_input("input.partOf", "unknown organisation"))?;
            next = row.part_of_id;
            steps += 1;
        }
        Ok(())
    }

    /// Creates an organisation, published at once (editors).
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: OrganisationInput,
    ) -> Result<Organisation> {
        may_write(actor.viewer)?;
        actor.viewer.require_editor("create organisations")?;
        let f = OrganisationFields::create(input)?;
        self.check_part_of(None, f.part_of).await?;
        let slug = free_slug::<organisation::Entity, _>(
            &self.db,
            organisation::Column::Slug,
            &f.name,
            "organisatie",
        )
        .await?;
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let row = organisation::Entity::insert(organisation::ActiveModel {
            id: NotSet,
            slug: Set(slug),
            status: Set(Status::Published.code().to_owned()),
            is_demo: Set(false),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..org_content(&f)
        })
        .exec_with_returning(&txn)
        .await?;
        record_json(
            &txn,
            actor,
            "organisation",
            row.id,
            "create",
            None,
            Some(org_json(&f, &row.status, 1)),
            1,
        )
        .await?;
        txn.commit().await?;
        Organisation::try_from(row)
    }

    /// Changes an organisation (editors), if `expected_version` is current.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i32,
        input: OrganisationInput,
    ) -> Result<Organisation> {
        may_write(actor.viewer)?;
        actor.viewer.require_editor("change organisations")?;
        let before = organisation::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| not_found("organisation"))?;
        conflict_if_stale(before.version, Some(expected_version))?;
        let mut f = org_fields(&before)?;
        let old = f.clone();
        f.apply(input)?;
        self.check_part_of(Some(id), f.part_of).await?;
        self.save_organisation(actor, before, &old, &f, None, "update")
            .await
    }

    /// Archives an organisation (editors): it disappears from public reads.
    pub async fn archive_organisation(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i32>,
    ) -> Result<Organisation> {
        may_write(actor.viewer)?;
        actor.viewer.require_editor("archive organisations")?;
        let before = organisation::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| not_found("organisation"))?;
        conflict_if_stale(before.version, expected_version)?;
        if before.status == Status::Archived.code() {
            return Err(DomainError::new(
                ErrorCode::Conflict,
                "the organisation is archived already",
            )
            .into());
        }
        let f = org_fields(&before)?;
        self.save_organisation(actor, before, &f, &f, Some(Status::Archived), "archive")
            .await
    }

    async fn save_organisation(
        &self,
        actor: &Actor,
        before: organisation::Model,
        old: &OrganisationFields,
        f: &OrganisationFields,
        status: Option<Status>,
        action: &str,
    ) -> Result<Organisation> {
        let txn = self.db.begin().await?;
        let mut row = organisation::ActiveModel {
            version: Set(before.version + 1),
            updated_at: Set(Utc::now()),
            ..org_content(f)
        };
        if let Some(s) = status {
            row.status = Set(s.code().to_owned());
        }
        let done = organisation::Entity::update_many()
            .set(row)
            .filter(organisation::Column::Id.eq(before.id))
            .filter(organisation::Column::Version.eq(before.version))
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            txn.rollback().await?;
            let now = organisation::Entity::find_by_id(before.id)
                .one(&self.db)
                .await?;
            return Err(DomainError::conflict(now.map_or(before.version, |r| r.version)).into());
        }
        let after = organisation::Entity::find_by_id(before.id)
            .one(&txn)
            .await?
            .ok_or_else(|| not_found("organisation"))?;
        record_json(
            &txn,
            actor,
            "organisation",
            before.id,
            action,
            Some(org_json(old, &before.status, before.version)),
            Some(org_json(f, &after.status, after.version)),
            after.version,
        )
        .await?;
        txn.commit().await?;
        Organisation::try_from(after)
    }

    /// The current event and its edges, if the viewer may see it.
    async fn event_state(
        &self,
        viewer: Viewer,
        id: i64,
    ) -> Result<Option<(event::Model, EventFields)>> {
        let Some(row) = event::Entity::find_by_id(id)
            .filter(visibility::events(viewer))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let themes = self
            .themes_of_events(&[id])
            .await?
            .into_iter()
            .map(|(_, t)| t.code)
            .collect::<Vec<_>>();
        let topics = self
            .topics_of_events(&[id])
            .await?
            .into_iter()
            .map(|(_, t)| t.code)
            .collect::<Vec<_>>();
        let organisers: Vec<i64> = event_organisation::Entity::find()
            .select_only()
            .column(event_organisation::Column::OrganisationId)
            .filter(event_organisation::Column::EventId.eq(id))
            .into_tuple()
            .all(&self.db)
            .await?;
        let initiatives: Vec<i64> = event_initiative::Entity::find()
            .select_only()
            .column(event_initiative::Column::InitiativeId)
            .filter(event_initiative::Column::EventId.eq(id))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut f = EventFields {
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
            organisers,
            initiatives,
        };
        f.themes.sort();
        f.topics.sort();
        f.organisers.sort();
        f.initiatives.sort();
        Ok(Some((row, f)))
    }

    /// Theme and topic ids, checking organisers and featured initiatives are visible.
    async fn event_references(
        &self,
        viewer: Viewer,
        f: &EventFields,
    ) -> Result<(Vec<i64>, Vec<i64>)> {
        let ids = self.theme_and_topic_ids(&f.themes, &f.topics).await?;
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
        Ok(ids)
    }

    /// Creates an event as a DRAFT; contributors only for events their organisation
    /// organises.
    pub async fn create_event(&self, actor: &Actor, input: EventInput) -> Result<Event> {
        may_write(actor.viewer)?;
        let f = EventFields::create(input)?;
        let status = decide(actor.viewer, &f.organisers, None, Action::Create)?;
        let (themes, topics) = self.event_references(actor.viewer, &f).await?;
        let slug =
            free_slug::<event::Entity, _>(&self.db, event::Column::Slug, &f.title, "bijeenkomst")
                .await?;
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let row = event::Entity::insert(event::ActiveModel {
            id: NotSet,
            slug: Set(slug),
            status: Set(status.code().to_owned()),
            is_demo: Set(false),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            published_at: Set(None),
            ..event_content(&f)
        })
        .exec_with_returning(&txn)
        .await?;
        write_event_edges(&txn, row.id, &f, &themes, &topics).await?;
        record_json(
            &txn,
            actor,
            "event",
            row.id,
            "create",
            None,
            Some(event_json(&f, &row.status, 1)),
            1,
        )
        .await?;
        txn.commit().await?;
        Event::try_from(row)
    }

    /// Changes an event, if `expected_version` is current.
    pub async fn update_event(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i32,
        input: EventInput,
    ) -> Result<Event> {
        may_write(actor.viewer)?;
        let (row, old) = self
            .event_state(actor.viewer, id)
            .await?
            .ok_or_else(|| not_found("event"))?;
        let status: Status = code(&row.status)?;
        decide(actor.viewer, &old.organisers, Some(status), Action::Update)?;
        conflict_if_stale(row.version, Some(expected_version))?;
        let mut f = old.clone();
        f.apply(input)?;
        decide(actor.viewer, &f.organisers, Some(status), Action::Update)?;
        let refs = self.event_references(actor.viewer, &f).await?;
        self.save_event(actor, row, &old, &f, None, Action::Update, Some(refs))
            .await
    }

    /// Moves an event through the same workflow as initiatives.
    pub async fn transition_event(
        &self,
        actor: &Actor,
        id: i64,
        action: Action,
        expected_version: Option<i32>,
    ) -> Result<Event> {
        may_write(actor.viewer)?;
        let (row, f) = self
            .event_state(actor.viewer, id)
            .await?
            .ok_or_else(|| not_found("event"))?;
        let to = decide(
            actor.viewer,
            &f.organisers,
            Some(code(&row.status)?),
            action,
        )?;
        conflict_if_stale(row.version, expected_version)?;
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
        refs: Option<(Vec<i64>, Vec<i64>)>,
    ) -> Result<Event> {
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let mut row = event::ActiveModel {
            version: Set(before.version + 1),
            updated_at: Set(now),
            ..event_content(f)
        };
        if let Some(s) = status {
            row.status = Set(s.code().to_owned());
            if s == Status::Published && before.published_at.is_none() {
                row.published_at = Set(Some(now));
            }
        }
        let done = event::Entity::update_many()
            .set(row)
            .filter(event::Column::Id.eq(before.id))
            .filter(event::Column::Version.eq(before.version))
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            txn.rollback().await?;
            let now = event::Entity::find_by_id(before.id).one(&self.db).await?;
            return Err(DomainError::conflict(now.map_or(before.version, |r| r.version)).into());
        }
        if let Some((themes, topics)) = refs {
            write_event_edges(&txn, before.id, f, &themes, &topics).await?;
        }
        let after = event::Entity::find_by_id(before.id)
            .one(&txn)
            .await?
            .ok_or_else(|| not_found("event"))?;
        record_json(
            &txn,
            actor,
            "event",
            before.id,
            action.as_str(),
            Some(event_json(old, &before.status, before.version)),
            Some(event_json(f, &after.status, after.version)),
            after.version,
        )
        .await?;
        txn.commit().await?;
        Event::try_from(after)
    }
}

fn org_content(f: &OrganisationFields) -> organisation::ActiveModel {
    organisation::ActiveModel {
        name: Set(f.name.clone()),
        kind: Set(f.kind.map_or("other", |k| k.code()).to_owned()),
        region: Set(f.region.map(|r| r.code().to_owned())),
        city: Set(f.city.clone()),
        website: Set(f.website.clone()),
        email: Set(f.email.clone()),
        description_nl: Set(f.description_nl.clone()),
        description_en: Set(f.description_en.clone()),
        part_of_id: Set(f.part_of),
        ..Default::default()
    }
}

fn event_content(f: &EventFields) -> event::ActiveModel {
    let starts = f.starts_at.unwrap_or_default();
    event::ActiveModel {
        title: Set(f.title.clone()),
        summary: Set(f.summary.clone()),
        kind: Set(f.kind.map_or("network_meeting", |k| k.code()).to_owned()),
        starts_at: Set(starts),
        ends_at: Set(f.ends_at.unwrap_or(starts)),
        location: Set(f.location.clone()),
        online: Set(f.online),
        region: Set(f.region.map(|r| r.code().to_owned())),
        website: Set(f.website.clone()),
        ..Default::default()
    }
}

async fn write_event_edges(
    txn: &DatabaseTransaction,
    id: i64,
    f: &EventFields,
    themes: &[i64],
    topics: &[i64],
) -> Result<()> {
    let rows = themes.iter().map(|t| event_theme::ActiveModel {
        event_id: Set(id),
        theme_id: Set(*t),
    });
    replace_rows(txn, event_theme::Column::EventId, id, rows).await?;
    let rows = topics.iter().map(|t| event_topic::ActiveModel {
        event_id: Set(id),
        topic_id: Set(*t),
    });
    replace_rows(txn, event_topic::Column::EventId, id, rows).await?;
    let rows = f
        .organisers
        .iter()
        .map(|o| event_organisation::ActiveModel {
            event_id: Set(id),
            organisation_id: Set(*o),
        });
    replace_rows(txn, event_organisation::Column::EventId, id, rows).await?;
    let rows = f.initiatives.iter().map(|i| event_initiative::ActiveModel {
        event_id: Set(id),
        initiative_id: Set(*i),
    });
    replace_rows(txn, event_initiative::Column::EventId, id, rows).await
}
