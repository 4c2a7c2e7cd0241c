//! Writes to initiatives. Every mutation is one transaction that writes the rows, a
//! revision (actor, time, action, the whole object before and after) and a change-log
//! row; a failed mutation changes nothing. Updates are optimistic: they name the version
//! they change, and a stale version is a `CONFLICT` carrying the current one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kb_domain::input::{InitiativeFields, InitiativeInput};
use kb_domain::workflow::{Action, decide};
use kb_domain::{
    DomainError, ErrorCode, Initiative, LinkType, Status, Viewer, Vocabulary, slug::slugify,
    validate,
};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::convert::code;
use crate::entity::{
    change_log, initiative, initiative_link, initiative_organisation, initiative_term,
    initiative_theme, initiative_topic, organisation, revision,
};
use crate::initiatives::LANGUAGE;
use crate::{Result, Store, StoreError, visibility};

/// Who makes a change: the viewer it is decided for, and what the revision records.
#[derive(Debug, Clone)]
pub struct Actor {
    pub viewer: Viewer,
    pub key_id: Option<i64>,
    /// A readable name: the key's name, or `cli`.
    pub name: String,
}

/// The whole of an initiative as a revision stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeSnapshot {
    pub slug: String,
    pub status: String,
    pub version: i32,
    pub title: String,
    pub summary: String,
    pub body: Option<String>,
    pub kind: Option<String>,
    pub rejection_reason: Option<String>,
    pub format: Option<String>,
    pub cost: Option<String>,
    pub prevention_level: Option<String>,
    pub evidence_level: Option<String>,
    pub region: Option<String>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub languages: Vec<String>,
    pub target_groups: Vec<String>,
    pub education_levels: Vec<String>,
    pub themes: Vec<String>,
    pub topics: Vec<String>,
    /// Organisation ids with role codes.
    pub organisations: Vec<(i64, String)>,
}

/// A stored revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub id: i64,
    pub action: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub version: i32,
    pub before: Option<InitiativeSnapshot>,
    pub after: Option<InitiativeSnapshot>,
}

/// The current row and content of an initiative.
struct State {
    row: initiative::Model,
    fields: InitiativeFields,
}

impl State {
    fn status(&self) -> Result<Status> {
        code(&self.row.status)
    }

    fn snapshot(&self) -> InitiativeSnapshot {
        let f = &self.fields;
        let r = &self.row;
        InitiativeSnapshot {
            slug: r.slug.clone(),
            status: r.status.clone(),
            version: r.version,
            title: f.title.clone(),
            summary: f.summary.clone(),
            body: f.body.clone(),
            kind: f.kind.map(|k| k.code().to_owned()),
            rejection_reason: r.rejection_reason.clone(),
            format: f.format.map(|v| v.code().to_owned()),
            cost: f.cost.map(|v| v.code().to_owned()),
            prevention_level: f.prevention_level.map(|v| v.code().to_owned()),
            evidence_level: f.evidence_level.map(|v| v.code().to_owned()),
            region: f.region.map(|v| v.code().to_owned()),
            start_year: f.start_year,
            end_year: f.end_year,
            website: f.website.clone(),
            contact_email: f.contact_email.clone(),
            published_at: r.published_at,
            languages: f.languages.clone(),
            target_groups: f
                .target_groups
                .iter()
                .map(|v| v.code().to_owned())
                .collect(),
            education_levels: f
                .education_levels
                .iter()
                .map(|v| v.code().to_owned())
                .collect(),
            themes: f.themes.clone(),
            topics: f.topics.clone(),
            organisations: f
                .organisations
                .iter()
                .map(|(id, r)| (*id, r.code().to_owned()))
                .collect(),
        }
    }
}

fn opt<V: Vocabulary>(s: &Option<String>) -> Result<Option<V>> {
    s.as_deref().map(code::<V>).transpose()
}

fn fields_of_snapshot(s: &InitiativeSnapshot) -> Result<InitiativeFields> {
    Ok(InitiativeFields {
        title: s.title.clone(),
        summary: s.summary.clone(),
        body: s.body.clone(),
        kind: opt(&s.kind)?,
        format: opt(&s.format)?,
        cost: opt(&s.cost)?,
        prevention_level: opt(&s.prevention_level)?,
        evidence_level: opt(&s.evidence_level)?,
        region: opt(&s.region)?,
        start_year: s.start_year,
        end_year: s.end_year,
        website: s.website.clone(),
        contact_email: s.contact_email.clone(),
        languages: s.languages.clone(),
        target_groups: s
            .target_groups
            .iter()
            .map(|c| code(c))
            .collect::<Result<_>>()?,
        education_levels: s
            .education_levels
            .iter()
            .map(|c| code(c))
            .collect::<Result<_>>()?,
        themes: s.themes.clone(),
        topics: s.topics.clone(),
        organisations: s
            .organisations
            .iter()
            .map(|(id, r)| Ok((*id, code(r)?)))
            .collect::<Result<_>>()?,
    })
}

/// Refuses viewers who may not write at all, before anything is looked up.
pub(crate) fn may_write(viewer: Viewer) -> Result<()> {
    match viewer {
        Viewer::Anonymous => Err(DomainError::new(
            ErrorCode::Unauthenticated,
            "sign in with an API key to make changes",
        )
        .into()),
        Viewer::Partner => {
            Err(DomainError::new(ErrorCode::Forbidden, "partner keys are read-only").into())
        }
        _ => Ok(()),
    }
}

fn not_found() -> StoreError {
    DomainError::new(ErrorCode::NotFound, "initiative not found").into()
}

impl Store {
    /// The current state of an initiative the viewer may see.
    async fn state<C: ConnectionTrait>(
        &self,
        db: &C,
        viewer: Viewer,
        id: i64,
    ) -> Result<Option<State>> {
        let Some(row) = initiative::Entity::find_by_id(id)
            .filter(visibility::initiatives(viewer))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let themes: Vec<String> = self
            .themes_of_initiatives(&[id])
            .await?
            .into_iter()
            .map(|(_, t)| t.code)
            .collect();
        let topics: Vec<String> = self
            .topics_of_initiatives(&[id])
            .await?
            .into_iter()
            .map(|(_, t)| t.code)
            .collect();
        let orgs = initiative_organisation::Entity::find()
            .filter(initiative_organisation::Column::InitiativeId.eq(id))
            .order_by_asc(initiative_organisation::Column::OrganisationId)
            .all(db)
            .await?;
        let terms = initiative_term::Entity::find()
            .filter(initiative_term::Column::InitiativeId.eq(id))
            .order_by_asc(initiative_term::Column::Code)
            .all(db)
            .await?;
        let pick = |v: &str| {
            terms
                .iter()
                .filter(|t| t.vocabulary == v)
                .map(|t| t.code.clone())
                .collect::<Vec<_>>()
        };
        let mut themes = themes;
        themes.sort();
        let mut topics = topics;
        topics.sort();
        let fields = InitiativeFields {
            title: row.title.clone(),
            summary: row.summary.clone(),
            body: row.body.clone(),
            kind: Some(code(&row.kind)?),
            format: opt(&row.format)?,
            cost: opt(&row.cost)?,
            prevention_level: opt(&row.prevention_level)?,
            evidence_level: opt(&row.evidence_level)?,
            region: opt(&row.region)?,
            start_year: row.start_year,
            end_year: row.end_year,
            website: row.website.clone(),
            contact_email: row.contact_email.clone(),
            languages: pick(LANGUAGE),
            target_groups: pick(kb_domain::TargetGroup::NAME)
                .iter()
                .map(|c| code(c))
                .collect::<Result<_>>()?,
            education_levels: pick(kb_domain::EducationLevel::NAME)
                .iter()
                .map(|c| code(c))
                .collect::<Result<_>>()?,
            themes,
            topics,
            organisations: orgs
                .iter()
                .map(|o| Ok((o.organisation_id, code(&o.role)?)))
                .collect::<Result<_>>()?,
        };
        Ok(Some(State { row, fields }))
    }

    /// Theme and topic ids of the codes, and a check that every organisation exists and
    /// is visible; unknown references are bad input on their field.
    async fn references(
        &self,
        viewer: Viewer,
        f: &InitiativeFields,
    ) -> Result<(Vec<i64>, Vec<i64>)> {
        let (theme_ids, topic_ids) = self.theme_and_topic_ids(&f.themes, &f.topics).await?;
        let ids: Vec<i64> = f.organisations.iter().map(|(id, _)| *id).collect();
        let found: Vec<i64> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .filter(organisation::Column::Id.is_in(ids.clone()))
            .filter(visibility::organisations(viewer))
            .into_tuple()
            .all(&self.db)
            .await?;
        if ids.iter().any(|id| !found.contains(id)) {
            return Err(
                DomainError::bad_input("input.organisations", "unknown organisation").into(),
            );
        }
        Ok((theme_ids, topic_ids))
    }

    /// Row ids of theme and topic codes; an unknown code is bad input on
    /// `input.themes` or `input.topics`.
    pub(crate) async fn theme_and_topic_ids(
        &self,
        themes: &[String],
        topics: &[String],
    ) -> Result<(Vec<i64>, Vec<i64>)> {
        let found_themes = self.themes_by_codes(themes).await?;
        if let Some(bad) = themes
            .iter()
            .find(|c| !found_themes.iter().any(|t| &t.code == *c))
        {
            return Err(
                DomainError::bad_input("input.themes", format!("unknown theme `{bad}`")).into(),
            );
        }
        let found_topics = self.topics_by_codes(topics).await?;
        if let Some(bad) = topics
            .iter()
            .find(|c| !found_topics.iter().any(|t| &t.code == *c))
        {
            return Err(
                DomainError::bad_input("input.topics", format!("unknown topic `{bad}`")).into(),
            );
        }
        Ok((
            found_themes.into_iter().map(|t| t.id).collect(),
            found_topics.into_iter().map(|t| t.id).collect(),
        ))
    }

    /// A free slug for a title: the title's slug, or that slug with -2, -3, …
    async fn free_slug(&self, title: &str) -> Result<String> {
        let base = match slugify(title) {
            s if s.is_empty() => "initiatief".to_owned(),
            s => s,
        };
        let taken: Vec<String> = initiative::Entity::find()
            .select_only()
            .column(initiative::Column::Slug)
            .filter(initiative::Column::Slug.starts_with(base.clone()))
            .into_tuple()
            .all(&self.db)
            .await?;
        if !taken.contains(&base) {
            return Ok(base);
        }
        Ok((2..)
            .map(|n| format!("{base}-{n}"))
            .find(|s| !taken.contains(s))
            .unwrap_or(base))
    }

    /// Creates an initiative as a DRAFT of its lead organisation.
    #[tracing::instrument(skip(self, input), fields(actor = %actor.name))]
    pub async fn create_initiative(
        &self,
        actor: &Actor,
        input: InitiativeInput,
    ) -> Result<Initiative> {
        may_write(actor.viewer)?;
        let fields = InitiativeFields::create(input)?;
        let status = decide(
            actor.viewer,
            &fields.lead().into_iter().collect::<Vec<_>>(),
            None,
            Action::Create,
        )?;
        let (theme_ids, topic_ids) = self.references(actor.viewer, &fields).await?;
        let slug = self.free_slug(&fields.title).await?;
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let row = initiative::ActiveModel {
            id: NotSet,
            slug: Set(slug),
            status: Set(status.code().to_owned()),
            rejection_reason: Set(None),
            is_demo: Set(false),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            published_at: Set(None),
            ..content(&fields)
        };
        let row = initiative::Entity::insert(row)
            .exec_with_returning(&txn)
            .await
            .map_err(slug_taken)?;
        write_edges(&txn, row.id, &fields, &theme_ids, &topic_ids).await?;
        let after = State {
            row: row.clone(),
            fields,
        };
        record(
            &txn,
            actor,
            row.id,
            Action::Create.as_str(),
            None,
            Some(&after.snapshot()),
            1,
        )
        .await?;
        txn.commit().await?;
        Initiative::try_from(row)
    }

    /// Changes an initiative's content, if `expected_version` is still its version.
    #[tracing::instrument(skip(self, input), fields(actor = %actor.name))]
    pub async fn update_initiative(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i32,
        input: InitiativeInput,
    ) -> Result<Initiative> {
        may_write(actor.viewer)?;
        let before = self
            .state(&self.db, actor.viewer, id)
            .await?
            .ok_or_else(not_found)?;
        decide(
            actor.viewer,
            &before.fields.lead().into_iter().collect::<Vec<_>>(),
            Some(before.status()?),
            Action::Update,
        )?;
        if before.row.version != expected_version {
            return Err(DomainError::conflict(before.row.version).into());
        }
        let mut fields = before.fields.clone();
        fields.apply(input)?;
        // A contributor cannot hand the initiative to another organisation.
        decide(
            actor.viewer,
            &fields.lead().into_iter().collect::<Vec<_>>(),
            Some(before.status()?),
            Action::Update,
        )?;
        if before.status()? != Status::Draft {
            fields.check_complete()?;
        }
        let (theme_ids, topic_ids) = self.references(actor.viewer, &fields).await?;
        self.save(
            actor,
            before,
            fields,
            None,
            Action::Update,
            Some((theme_ids, topic_ids)),
        )
        .await
    }

    /// Moves an initiative through the workflow: submit, withdraw, publish, reject (with
    /// a reason), archive, restore. `expected_version`, when given, must match.
    #[tracing::instrument(skip(self), fields(actor = %actor.name))]
    pub async fn transition_initiative(
        &self,
        actor: &Actor,
        id: i64,
        action: Action,
        expected_version: Option<i32>,
        reason: Option<String>,
    ) -> Result<Initiative> {
        may_write(actor.viewer)?;
        let before = self
            .state(&self.db, actor.viewer, id)
            .await?
            .ok_or_else(not_found)?;
        let to = decide(
            actor.viewer,
            &before.fields.lead().into_iter().collect::<Vec<_>>(),
            Some(before.status()?),
            action,
        )?;
        if let Some(v) = expected_version
            && v != before.row.version
        {
            return Err(DomainError::conflict(before.row.version).into());
        }
        let reason = match action {
            Action::Reject => Some(validate::reason(
                "reason",
                reason.as_deref().unwrap_or_default(),
            )?),
            _ => None,
        };
        if matches!(to, Status::Submitted | Status::Published) {
            before.fields.check_complete()?;
        }
        let fields = before.fields.clone();
        self.save(actor, before, fields, Some((to, reason)), action, None)
            .await
    }

    /// Writes a new state of an existing initiative in one transaction, guarded by its
    /// version. `status` changes the status (and the rejection reason); `edges` replaces
    /// the edges.
    async fn save(
        &self,
        actor: &Actor,
        before: State,
        fields: InitiativeFields,
        status: Option<(Status, Option<String>)>,
        action: Action,
        edges: Option<(Vec<i64>, Vec<i64>)>,
    ) -> Result<Initiative> {
        let now = Utc::now();
        let id = before.row.id;
        let version = before.row.version;
        let txn = self.db.begin().await?;
        let mut row = initiative::ActiveModel {
            id: Set(id),
            version: Set(version + 1),
            updated_at: Set(now),
            ..content(&fields)
        };
        if let Some((to, reason)) = &status {
            row.status = Set(to.code().to_owned());
            row.rejection_reason = Set(reason.clone());
            if *to == Status::Published && before.row.published_at.is_none() {
                row.published_at = Set(Some(now));
            }
        }
        // The guarded write goes first, so a concurrent writer is found before any
        // other statement of this transaction runs.
        let done = initiative::Entity::update_many()
            .set(row)
            .filter(initiative::Column::Id.eq(id))
            .filter(initiative::Column::Version.eq(version))
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            txn.rollback().await?;
            let current = initiative::Entity::find_by_id(id)
                .one(&self.db)
                .await?
                .map_or(version, |r| r.version);
            return Err(DomainError::conflict(current).into());
        }
        if let Some((theme_ids, topic_ids)) = edges {
            write_edges(&txn, id, &fields, &theme_ids, &topic_ids).await?;
        }
        let after_row = initiative::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(not_found)?;
        let after = State {
            row: after_row.clone(),
            fields,
        };
        record(
            &txn,
            actor,
            id,
            action.as_str(),
            Some(&before.snapshot()),
            Some(&after.snapshot()),
            after_row.version,
        )
        .await?;
        txn.commit().await?;
        Initiative::try_from(after_row)
    }

    /// Links two visible initiatives; the viewer must be allowed to update `from`.
    pub async fn link_initiatives(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        link_type: LinkType,
        note: Option<String>,
    ) -> Result<()> {
        may_write(actor.viewer)?;
        if from == to {
            return Err(DomainError::bad_input("to", "an initiative cannot link to itself").into());
        }
        let source = self
            .state(&self.db, actor.viewer, from)
            .await?
            .ok_or_else(not_found)?;
        let owners: Vec<i64> = source.fields.lead().into_iter().collect();
        if actor.viewer.own_organisation().is_some()
            && !owners.contains(&actor.viewer.own_organisation().unwrap_or(-1))
        {
            return Err(DomainError::new(
                ErrorCode::Forbidden,
                "contributors link their own organisation's initiatives only",
            )
            .into());
        }
        if self
            .initiatives_by_ids(actor.viewer, &[to])
            .await?
            .is_empty()
        {
            return Err(DomainError::bad_input("to", "initiative not found").into());
        }
        let note = match note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) {
            Some(n) if n.chars().count() > 1_000 => {
                return Err(DomainError::bad_input(
                    "note",
                    "a note may be at most 1000 characters",
                )
                .into());
            }
            other => other,
        };
        let exists = initiative_link::Entity::find()
            .filter(initiative_link::Column::FromId.eq(from))
            .filter(initiative_link::Column::ToId.eq(to))
            .filter(initiative_link::Column::LinkType.eq(link_type.code()))
            .one(&self.db)
            .await?;
        if exists.is_some() {
            return Err(DomainError::new(
                ErrorCode::Conflict,
                "these initiatives are already linked this way",
            )
            .into());
        }
        let note_copy = note.clone();
        let txn = self.db.begin().await?;
        initiative_link::Entity::insert(initiative_link::ActiveModel {
            id: NotSet,
            from_id: Set(from),
            to_id: Set(to),
            link_type: Set(link_type.code().to_owned()),
            note: Set(note),
            created_at: Set(Utc::now()),
        })
        .exec(&txn)
        .await?;
        let link = serde_json::json!({ "from": from, "to": to, "type": link_type.code(), "note": note_copy });
        record_json(
            &txn,
            actor,
            "initiative_link",
            from,
            "link",
            None,
            Some(link),
            1,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Removes a link; unknown links are NOT_FOUND.
    pub async fn unlink_initiatives(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        link_type: LinkType,
    ) -> Result<()> {
        may_write(actor.viewer)?;
        let source = self
            .state(&self.db, actor.viewer, from)
            .await?
            .ok_or_else(not_found)?;
        if let Some(org) = actor.viewer.own_organisation()
            && source.fields.lead() != Some(org)
        {
            return Err(DomainError::new(
                ErrorCode::Forbidden,
                "contributors unlink their own organisation's initiatives only",
            )
            .into());
        }
        let existing = initiative_link::Entity::find()
            .filter(initiative_link::Column::FromId.eq(from))
            .filter(initiative_link::Column::ToId.eq(to))
            .filter(initiative_link::Column::LinkType.eq(link_type.code()))
            .one(&self.db)
            .await?;
        let txn = self.db.begin().await?;
        let done = initiative_link::Entity::delete_many()
            .filter(initiative_link::Column::FromId.eq(from))
            .filter(initiative_link::Column::ToId.eq(to))
            .filter(initiative_link::Column::LinkType.eq(link_type.code()))
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            txn.rollback().await?;
            return Err(DomainError::new(ErrorCode::NotFound, "no such link").into());
        }
        let before = existing.map(|l| serde_json::json!({ "from": l.from_id, "to": l.to_id, "type": l.link_type, "note": l.note }));
        record_json(
            &txn,
            actor,
            "initiative_link",
            from,
            "unlink",
            before,
            None,
            1,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The revisions of an initiative, newest first, for editors and the owning
    /// organisation; others get NOT_FOUND (they may not know it has a history).
    pub async fn initiative_revisions(&self, viewer: Viewer, id: i64) -> Result<Vec<Revision>> {
        let state = self
            .state(&self.db, viewer, id)
            .await?
            .ok_or_else(not_found)?;
        let allowed = viewer.sees_everything()
            || viewer
                .own_organisation()
                .is_some_and(|o| state.fields.organisations.iter().any(|(id, _)| *id == o));
        if !allowed {
            return Err(not_found());
        }
        let rows = revision::Entity::find()
            .filter(revision::Column::EntityType.eq("initiative"))
            .filter(revision::Column::EntityId.eq(id))
            .order_by_desc(revision::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter().map(to_revision).collect()
    }

    /// Restores the content an initiative had after revision `revision_id` (its status
    /// stays); the restore is itself a new revision. Editors only.
    pub async fn restore_revision(
        &self,
        actor: &Actor,
        revision_id: i64,
        expected_version: i32,
    ) -> Result<Initiative> {
        may_write(actor.viewer)?;
        if !actor.viewer.sees_everything() {
            return Err(
                DomainError::new(ErrorCode::Forbidden, "only editors restore revisions").into(),
            );
        }
        let rev = revision::Entity::find_by_id(revision_id)
            .filter(revision::Column::EntityType.eq("initiative"))
            .one(&self.db)
            .await?
            .ok_or_else(|| DomainError::new(ErrorCode::NotFound, "revision not found"))?;
        let snapshot = to_revision(rev.clone())?.after.ok_or_else(|| {
            DomainError::bad_input("revision", "this revision has no content to restore")
        })?;
        let before = self
            .state(&self.db, actor.viewer, rev.entity_id)
            .await?
            .ok_or_else(not_found)?;
        if before.row.version != expected_version {
            return Err(DomainError::conflict(before.row.version).into());
        }
        let fields = fields_of_snapshot(&snapshot)?;
        let (theme_ids, topic_ids) = self.references(actor.viewer, &fields).await?;
        self.save(
            actor,
            before,
            fields,
            None,
            Action::Update,
            Some((theme_ids, topic_ids)),
        )
        .await
    }

    /// The highest change-log sequence number, for followers of the log.
    pub async fn change_log_head(&self) -> Result<i64> {
        let row = change_log::Entity::find()
            .order_by_desc(change_log::Column::Seq)
            .one(&self.db)
            .await?;
        Ok(row.map_or(0, |r| r.seq))
    }
}

fn to_revision(r: revision::Model) -> Result<Revision> {
    let parse = |s: &Option<String>| -> Result<Option<InitiativeSnapshot>> {
        s.as_deref()
            .map(|j| {
                serde_json::from_str(j)
                    .map_err(|e| StoreError::Seed(format!("revision {}: {e}", r.id)))
            })
            .transpose()
    };
    Ok(Revision {
        id: r.id,
        action: r.action.clone(),
        actor: r.actor.clone(),
        at: r.at,
        version: r.version,
        before: parse(&r.before)?,
        after: parse(&r.after)?,
    })
}

/// The content columns of an initiative row.
fn content(f: &InitiativeFields) -> initiative::ActiveModel {
    initiative::ActiveModel {
        title: Set(f.title.clone()),
        summary: Set(f.summary.clone()),
        body: Set(f.body.clone()),
        kind: Set(f.kind.map_or("guide", |k| k.code()).to_owned()),
        format: Set(f.format.map(|v| v.code().to_owned())),
        cost: Set(f.cost.map(|v| v.code().to_owned())),
        prevention_level: Set(f.prevention_level.map(|v| v.code().to_owned())),
        evidence_level: Set(f.evidence_level.map(|v| v.code().to_owned())),
        region: Set(f.region.map(|v| v.code().to_owned())),
        start_year: Set(f.start_year),
        end_year: Set(f.end_year),
        website: Set(f.website.clone()),
        contact_email: Set(f.contact_email.clone()),
        ..Default::default()
    }
}

/// Replaces the edges and multi-valued fields of an initiative.
async fn write_edges(
    txn: &DatabaseTransaction,
    id: i64,
    f: &InitiativeFields,
    theme_ids: &[i64],
    topic_ids: &[i64],
) -> Result<()> {
    initiative_theme::Entity::delete_many()
        .filter(initiative_theme::Column::InitiativeId.eq(id))
        .exec(txn)
        .await?;
    initiative_topic::Entity::delete_many()
        .filter(initiative_topic::Column::InitiativeId.eq(id))
        .exec(txn)
        .await?;
    initiative_organisation::Entity::delete_many()
        .filter(initiative_organisation::Column::InitiativeId.eq(id))
        .exec(txn)
        .await?;
    initiative_term::Entity::delete_many()
        .filter(initiative_term::Column::InitiativeId.eq(id))
        .exec(txn)
        .await?;
    if !theme_ids.is_empty() {
        initiative_theme::Entity::insert_many(theme_ids.iter().map(|t| {
            initiative_theme::ActiveModel {
                initiative_id: Set(id),
                theme_id: Set(*t),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    if !topic_ids.is_empty() {
        initiative_topic::Entity::insert_many(topic_ids.iter().map(|t| {
            initiative_topic::ActiveModel {
                initiative_id: Set(id),
                topic_id: Set(*t),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    if !f.organisations.is_empty() {
        initiative_organisation::Entity::insert_many(f.organisations.iter().map(|(o, role)| {
            initiative_organisation::ActiveModel {
                initiative_id: Set(id),
                organisation_id: Set(*o),
                role: Set(role.code().to_owned()),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    let mut terms: HashMap<(&str, String), ()> = HashMap::new();
    for l in &f.languages {
        terms.insert((LANGUAGE, l.clone()), ());
    }
    for t in &f.target_groups {
        terms.insert((kb_domain::TargetGroup::NAME, t.code().to_owned()), ());
    }
    for e in &f.education_levels {
        terms.insert((kb_domain::EducationLevel::NAME, e.code().to_owned()), ());
    }
    if !terms.is_empty() {
        initiative_term::Entity::insert_many(terms.into_keys().map(|(v, c)| {
            initiative_term::ActiveModel {
                initiative_id: Set(id),
                vocabulary: Set(v.to_owned()),
                code: Set(c),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// Writes a revision of an initiative and its change-log row.
async fn record(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i64,
    action: &str,
    before: Option<&InitiativeSnapshot>,
    after: Option<&InitiativeSnapshot>,
    version: i32,
) -> Result<()> {
    let json = |s: Option<&InitiativeSnapshot>| -> Result<Option<serde_json::Value>> {
        s.map(|s| serde_json::to_value(s).map_err(|e| StoreError::Seed(e.to_string())))
            .transpose()
    };
    record_json(
        txn,
        actor,
        "initiative",
        id,
        action,
        json(before)?,
        json(after)?,
        version,
    )
    .await
}

/// Writes a revision of any object (its state before and after as JSON) and its
/// change-log row.
#[allow(clippy::too_many_arguments)] // one column each; a struct would only rename them
pub(crate) async fn record_json(
    txn: &DatabaseTransaction,
    actor: &Actor,
    entity_type: &str,
    id: i64,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    version: i32,
) -> Result<()> {
    let rev = revision::Entity::insert(revision::ActiveModel {
        id: NotSet,
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(id),
        action: Set(action.to_owned()),
        actor_key_id: Set(actor.key_id),
        actor: Set(actor.name.clone()),
        at: Set(Utc::now()),
        before: Set(before.map(|v| v.to_string())),
        after: Set(after.map(|v| v.to_string())),
        version: Set(version),
    })
    .exec(txn)
    .await?;
    log_change(txn, entity_type, id, action, Some(rev.last_insert_id)).await
}

async fn log_change(
    txn: &DatabaseTransaction,
    entity_type: &str,
    id: i64,
    action: &str,
    revision_id: Option<i64>,
) -> Result<()> {
    change_log::Entity::insert(change_log::ActiveModel {
        seq: NotSet,
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(id),
        action: Set(action.to_owned()),
        revision_id: Set(revision_id),
        at: Set(Utc::now()),
    })
    .exec(txn)
    .await?;
    Ok(())
}

/// A unique-slug race is a conflict the client can retry.
fn slug_taken(e: sea_orm::DbErr) -> StoreError {
    let text = e.to_string();
    if text.contains("UNIQUE") || text.contains("unique") || text.contains("duplicate") {
        DomainError::new(
            ErrorCode::Conflict,
            "an initiative with this slug was created meanwhile; try again",
        )
        .into()
    } else {
        e.into()
    }
}
