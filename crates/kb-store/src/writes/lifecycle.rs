use std::collections::BTreeSet;

use chrono::Utc;
use kb_domain::input::{InitiativeFields, InitiativeInput};
use kb_domain::workflow::{Action, decide};
use kb_domain::{
    DomainError, ErrorCode, Initiative, Status, Viewer, Vocabulary, slug::slugify, validate,
};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::revisions::record;
use super::*;
use crate::convert::code;
use crate::entity::{
    initiative, initiative_organisation, initiative_term, initiative_theme, initiative_topic,
    organisation,
};
use crate::initiatives::LANGUAGE;
use crate::{Result, Store, StoreError, visibility};

/// The current row and content of an initiative.
pub(super) struct State {
    pub(super) row: initiative::Model,
    pub(super) fields: InitiativeFields,
}

impl State {
    pub(super) fn status(&self) -> Result<Status> {
        code(&self.row.status)
    }

    pub(super) fn snapshot(&self) -> InitiativeSnapshot {
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

pub(super) fn opt<V: Vocabulary>(s: &Option<String>) -> Result<Option<V>> {
    s.as_deref().map(code::<V>).transpose()
}

pub(super) fn not_found() -> StoreError {
    DomainError::new(ErrorCode::NotFound, "initiative not found").into()
}

impl Store {
    /// The current state of an initiative the viewer may see.
    pub(super) async fn state(&self, viewer: Viewer, id: i64) -> Result<Option<State>> {
        let db = &self.db;
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

    /// is visible; unknown references are bad input on their field.
    pub(super) async fn references(
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
        let before = self.state(actor.viewer, id).await?.ok_or_else(not_found)?;
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
        let before = self.state(actor.viewer, id).await?.ok_or_else(not_found)?;
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

    /// the edges.
    pub(super) async fn save(
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
}

/// The content columns of an initiative row.
pub(super) fn content(f: &InitiativeFields) -> initiative::ActiveModel {
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
pub(super) async fn write_edges(
    txn: &DatabaseTransaction,
    id: i64,
    f: &InitiativeFields,
    theme_ids: &[i64],
    topic_ids: &[i64],
) -> Result<()> {
    let themes = theme_ids.iter().map(|t| initiative_theme::ActiveModel {
        initiative_id: Set(id),
        theme_id: Set(*t),
    });
    replace_rows(txn, initiative_theme::Column::InitiativeId, id, themes).await?;
    let topics = topic_ids.iter().map(|t| initiative_topic::ActiveModel {
        initiative_id: Set(id),
        topic_id: Set(*t),
    });
    replace_rows(txn, initiative_topic::Column::InitiativeId, id, topics).await?;
    let organisations =
        f.organisations
            .iter()
            .map(|(o, role)| initiative_organisation::ActiveModel {
                initiative_id: Set(id),
                organisation_id: Set(*o),
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
                .map(|t| (kb_domain::TargetGroup::NAME, t.code())),
        )
        .chain(
            f.education_levels
                .iter()
                .map(|e| (kb_domain::EducationLevel::NAME, e.code())),
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
