//! Initiatives: creating them, changing their content, bringing back an earlier
//! revision's content. The state of an initiative as writes see it lives here too, with
//! the one save that every initiative write ends in.

use std::collections::BTreeSet;

use chrono::Utc;
use kb_domain::input::{InitiativeFields, InitiativeInput};
use kb_domain::workflow::Action;
use kb_domain::{
    DomainError, EducationLevel, ErrorCode, Initiative, InitiativeId, OrganisationId, RevisionId,
    Status, TargetGroup, Viewer, Vocabulary, sort_key::sort_key,
};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::Actor;
use super::audit::{Change, record};
use super::save::{free_slug, guarded_update, replace_rows, retry_on_conflict, sorted_codes};
use crate::convert::code;
use crate::entity::{
    initiative, initiative_organisation, initiative_term, initiative_theme, initiative_topic,
    organisation, revision,
};
use crate::initiatives::LANGUAGE;
use crate::revisions::{INITIATIVE, InitiativeSnapshot, to_revision};
use crate::{Result, Store, StoreError, access};

/// The current row and content of an initiative.
pub(super) struct State {
    pub(super) row: initiative::Model,
    pub(super) fields: InitiativeFields,
}

impl State {
    pub(super) fn status(&self) -> Result<Status> {
        code(&self.row.status)
    }

    fn snapshot(&self) -> InitiativeSnapshot {
        InitiativeSnapshot::new(&self.row, &self.fields)
    }
}

/// Theme and topic row ids of an initiative's content, checked to exist.
pub(super) struct Edges {
    themes: Vec<i64>,
    topics: Vec<i64>,
}

pub(super) fn not_found() -> StoreError {
    DomainError::new(ErrorCode::NotFound, "initiative not found").into()
}

fn opt<V: Vocabulary>(s: &Option<String>) -> Result<Option<V>> {
    s.as_deref().map(code::<V>).transpose()
}

impl Store {
    /// The current state of an initiative the viewer may see.
    pub(super) async fn initiative_state(
        &self,
        viewer: Viewer,
        id: InitiativeId,
    ) -> Result<Option<State>> {
        let db = &self.db;
        let Some(row) = initiative::Entity::find_by_id(id.0)
            .filter(access::initiatives(viewer))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let themes = sorted_codes(self.themes_of_initiatives(&[id]).await?, |t| t.code);
        let topics = sorted_codes(self.topics_of_initiatives(&[id]).await?, |t| t.code);
        let orgs = initiative_organisation::Entity::find()
            .filter(initiative_organisation::Column::InitiativeId.eq(id.0))
            .order_by_asc(initiative_organisation::Column::OrganisationId)
            .all(db)
            .await?;
        let terms = initiative_term::Entity::find()
            .filter(initiative_term::Column::InitiativeId.eq(id.0))
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
        let fields = InitiativeFields {
            title: row.title.clone(),
            summary: row.summary.clone(),
            title_en: row.title_en.clone(),
            summary_en: row.summary_en.clone(),
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
            contact_personal: row.contact_personal,
            languages: pick(LANGUAGE),
            target_groups: pick(TargetGroup::NAME)
                .iter()
                .map(|c| code(c))
                .collect::<Result<_>>()?,
            education_levels: pick(EducationLevel::NAME)
                .iter()
                .map(|c| code(c))
                .collect::<Result<_>>()?,
            themes,
            topics,
            organisations: orgs
                .iter()
                .map(|o| Ok((OrganisationId(o.organisation_id), code(&o.role)?)))
                .collect::<Result<_>>()?,
        };
        Ok(Some(State { row, fields }))
    }

    /// Checks the references of an initiative's content: theme and topic codes exist,
    /// organisations exist and are visible to the viewer; unknown ones are bad input on
    /// their field.
    pub(super) async fn initiative_edges(
        &self,
        viewer: Viewer,
        f: &InitiativeFields,
    ) -> Result<Edges> {
        let (themes, topics) = self.theme_and_topic_ids(&f.themes, &f.topics).await?;
        let ids: Vec<i64> = f.organisations.iter().map(|(id, _)| id.0).collect();
        let found: Vec<i64> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .filter(organisation::Column::Id.is_in(ids.clone()))
            .filter(access::organisations(viewer))
            .into_tuple()
            .all(&self.db)
            .await?;
        if ids.iter().any(|id| !found.contains(id)) {
            return Err(
                DomainError::bad_input("input.organisations", "unknown organisation").into(),
            );
        }
        Ok(Edges { themes, topics })
    }

    /// Creates an initiative as a DRAFT of its lead organisation.
    #[tracing::instrument(skip(self, input), fields(actor = %actor.name))]
    pub async fn create_initiative(
        &self,
        actor: &Actor,
        input: InitiativeInput,
    ) -> Result<Initiative> {
        access::require_writer(actor.viewer)?;
        let fields = InitiativeFields::create(input)?;
        let status = access::initiative_action(actor.viewer, fields.lead(), None, Action::Create)?;
        let edges = self.initiative_edges(actor.viewer, &fields).await?;
        retry_on_conflict(|| self.insert_initiative(actor, &fields, status, &edges)).await
    }

    async fn insert_initiative(
        &self,
        actor: &Actor,
        fields: &InitiativeFields,
        status: Status,
        edges: &Edges,
    ) -> Result<Initiative> {
        let slug = free_slug::<initiative::Entity, _>(
            &self.db,
            initiative::Column::Slug,
            &fields.title,
            "initiatief",
        )
        .await?;
        let txn = self.db.begin().await?;
        let new = NewInitiative {
            slug,
            status,
            fields,
            edges,
            action: Action::Create.as_str(),
        };
        let row = insert_initiative_in(&txn, actor, new).await?;
        crate::durability::commit(txn).await?;
        Initiative::try_from(row)
    }

    /// Changes an initiative's content, if `expected_version` is still its version.
    #[tracing::instrument(skip(self, input), fields(actor = %actor.name))]
    pub async fn update_initiative(
        &self,
        actor: &Actor,
        id: InitiativeId,
        expected_version: i32,
        input: InitiativeInput,
    ) -> Result<Initiative> {
        access::require_writer(actor.viewer)?;
        let before = self
            .initiative_state(actor.viewer, id)
            .await?
            .ok_or_else(not_found)?;
        let status = before.status()?;
        access::initiative_action(
            actor.viewer,
            before.fields.lead(),
            Some(status),
            Action::Update,
        )?;
        if before.row.version != expected_version {
            return Err(DomainError::conflict(before.row.version).into());
        }
        let mut fields = before.fields.clone();
        fields.apply(input)?;
        // A contributor cannot hand the initiative to another organisation.
        access::initiative_action(actor.viewer, fields.lead(), Some(status), Action::Update)?;
        if status != Status::Draft {
            fields.check_complete()?;
        }
        let edges = self.initiative_edges(actor.viewer, &fields).await?;
        self.save_initiative(actor, before, fields, None, Action::Update, Some(edges))
            .await
    }

    /// Brings back the content of an earlier revision (its status stays); the restore is
    /// itself a new revision. Editors only.
    pub async fn restore_revision(
        &self,
        actor: &Actor,
        revision_id: RevisionId,
        expected_version: i32,
    ) -> Result<Initiative> {
        access::restore_revision(actor.viewer)?;
        let row = revision::Entity::find_by_id(revision_id.0)
            .filter(revision::Column::EntityType.eq(INITIATIVE))
            .one(&self.db)
            .await?
            .ok_or_else(|| DomainError::new(ErrorCode::NotFound, "revision not found"))?;
        let rev = to_revision(row)?;
        let snapshot = rev.after.ok_or_else(|| {
            DomainError::bad_input("revision", "this revision has no content to restore")
        })?;
        let before = self
            .initiative_state(actor.viewer, rev.initiative)
            .await?
            .ok_or_else(not_found)?;
        if before.row.version != expected_version {
            return Err(DomainError::conflict(before.row.version).into());
        }
        let fields = snapshot.fields()?;
        let edges = self.initiative_edges(actor.viewer, &fields).await?;
        self.save_initiative(actor, before, fields, None, Action::Update, Some(edges))
            .await
    }

    /// Saves an initiative's new content and, with `status`, its new status (and the
    /// reason of a rejection), guarded by the version it was read at; rewrites the edges
    /// when given.
    pub(super) async fn save_initiative(
        &self,
        actor: &Actor,
        before: State,
        fields: InitiativeFields,
        status: Option<(Status, Option<String>)>,
        action: Action,
        edges: Option<Edges>,
    ) -> Result<Initiative> {
        let txn = self.db.begin().await?;
        let save = Save {
            before,
            fields: &fields,
            status,
            action: action.as_str(),
            edges: edges.as_ref(),
        };
        let row = save_initiative_in(&txn, actor, save).await?;
        crate::durability::commit(txn).await?;
        Initiative::try_from(row)
    }
}

/// A new initiative as [`insert_initiative_in`] writes it.
pub(super) struct NewInitiative<'a> {
    pub(super) slug: String,
    pub(super) status: Status,
    pub(super) fields: &'a InitiativeFields,
    pub(super) edges: &'a Edges,
    /// The action its revision records.
    pub(super) action: &'a str,
}

/// Inserts an initiative with its edges and its audit record, in `txn`; published at
/// once when its status is PUBLISHED.
pub(super) async fn insert_initiative_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    new: NewInitiative<'_>,
) -> Result<initiative::Model> {
    let now = Utc::now();
    let row = initiative::Entity::insert(initiative::ActiveModel {
        id: NotSet,
        slug: Set(new.slug),
        status: Set(new.status.code().to_owned()),
        rejection_reason: Set(None),
        is_demo: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set((new.status == Status::Published).then_some(now)),
        ..content(new.fields)
    })
    .exec_with_returning(txn)
    .await?;
    write_edges(txn, row.id, new.fields, new.edges).await?;
    let after = InitiativeSnapshot::new(&row, new.fields);
    let change = Change {
        entity: INITIATIVE,
        id: row.id,
        action: new.action,
        version: 1,
    };
    record(txn, actor, change, None, Some(&after)).await?;
    Ok(row)
}

/// A change of an initiative as [`save_initiative_in`] writes it.
pub(super) struct Save<'a> {
    /// The state it was read in; its version guards the update.
    pub(super) before: State,
    pub(super) fields: &'a InitiativeFields,
    /// The new status and the reason of a rejection, when the status changes.
    pub(super) status: Option<(Status, Option<String>)>,
    /// The action its revision records.
    pub(super) action: &'a str,
    /// The edges to write, when they change.
    pub(super) edges: Option<&'a Edges>,
}

/// Saves an initiative's new content (and status) with its audit record, in `txn`.
pub(super) async fn save_initiative_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    save: Save<'_>,
) -> Result<initiative::Model> {
    let Save {
        before,
        fields,
        status,
        action,
        edges,
    } = save;
    let now = Utc::now();
    let id = before.row.id;
    let version = before.row.version;
    let mut row = initiative::ActiveModel {
        version: Set(version + 1),
        updated_at: Set(now),
        ..content(fields)
    };
    if let Some((to, reason)) = &status {
        row.status = Set(to.code().to_owned());
        row.rejection_reason = Set(reason.clone());
        if *to == Status::Published && before.row.published_at.is_none() {
            row.published_at = Set(Some(now));
        }
    }
    guarded_update(
        txn,
        row,
        initiative::Column::Id,
        initiative::Column::Version,
        id,
        version,
    )
    .await?;
    if let Some(edges) = edges {
        write_edges(txn, id, fields, edges).await?;
    }
    let after_row = initiative::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(not_found)?;
    let after = InitiativeSnapshot::new(&after_row, fields);
    let change = Change {
        entity: INITIATIVE,
        id,
        action,
        version: after_row.version,
    };
    record(txn, actor, change, Some(&before.snapshot()), Some(&after)).await?;
    Ok(after_row)
}

/// The content columns of an initiative row.
fn content(f: &InitiativeFields) -> initiative::ActiveModel {
    initiative::ActiveModel {
        title: Set(f.title.clone()),
        sort_key: Set(sort_key(&f.title)),
        summary: Set(f.summary.clone()),
        title_en: Set(f.title_en.clone()),
        summary_en: Set(f.summary_en.clone()),
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
        contact_personal: Set(f.contact_personal),
        ..Default::default()
    }
}

/// Replaces the edges and multi-valued fields of an initiative.
async fn write_edges(
    txn: &DatabaseTransaction,
    id: i64,
    f: &InitiativeFields,
    edges: &Edges,
) -> Result<()> {
    let themes = edges.themes.iter().map(|t| initiative_theme::ActiveModel {
        initiative_id: Set(id),
        theme_id: Set(*t),
    });
    replace_rows(txn, initiative_theme::Column::InitiativeId, id, themes).await?;
    let topics = edges.topics.iter().map(|t| initiative_topic::ActiveModel {
        initiative_id: Set(id),
        topic_id: Set(*t),
    });
    replace_rows(txn, initiative_topic::Column::InitiativeId, id, topics).await?;
    let organisations =
        f.organisations
            .iter()
            .map(|(o, role)| initiative_organisation::ActiveModel {
                initiative_id: Set(id),
                organisation_id: Set(o.0),
                role: Set(role.code().to_owned()),
            });
    replace_rows(
        txn,
        initiative_organisation::Column::InitiativeId,
        id,
        organisations,
    )
    .await?;
    let terms: BTreeSet<(&str, &str)> = f
        .languages
        .iter()
        .map(|l| (LANGUAGE, l.as_str()))
        .chain(
            f.target_groups
                .iter()
                .map(|t| (TargetGroup::NAME, t.code())),
        )
        .chain(
            f.education_levels
                .iter()
                .map(|e| (EducationLevel::NAME, e.code())),
        )
        .collect();
    let terms = terms
        .into_iter()
        .map(|(v, c)| initiative_term::ActiveModel {
            initiative_id: Set(id),
            vocabulary: Set(v.to_owned()),
            code: Set(c.to_owned()),
        });
    replace_rows(txn, initiative_term::Column::InitiativeId, id, terms).await
}
