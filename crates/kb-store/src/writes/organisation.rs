//! Organisations, the editors' to manage: create (published at once), update, archive.
//! Same rules as every write: one transaction with its audit record, versions guard
//! against lost edits, a slug taken meanwhile is retried.

use chrono::Utc;
use kb_domain::input::{OrganisationFields, OrganisationInput};
use kb_domain::{DomainError, ErrorCode, Organisation, OrganisationId, Status, Vocabulary};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, DatabaseTransaction, EntityTrait, TransactionTrait,
};
use serde_json::json;

use super::Actor;
use super::audit::{Change, record};
use super::save::{free_slug, guarded_update, retry_on_conflict};
use crate::convert::code;
use crate::entity::organisation;
use crate::{Result, Store, StoreError, access};

const ORGANISATION: &str = "organisation";

fn snapshot(f: &OrganisationFields, status: &str, version: i32) -> serde_json::Value {
    json!({ "name": f.name, "kind": f.kind.map(|k| k.code()), "region": f.region.map(|r| r.code()), "city": f.city,
            "website": f.website, "email": f.email, "description_nl": f.description_nl,
            "description_en": f.description_en, "part_of": f.part_of.map(|p| p.0), "status": status, "version": version })
}

/// The content of a stored organisation.
pub(super) fn fields(m: &organisation::Model) -> Result<OrganisationFields> {
    Ok(OrganisationFields {
        name: m.name.clone(),
        kind: Some(code(&m.kind)?),
        region: m.region.as_deref().map(code).transpose()?,
        city: m.city.clone(),
        website: m.website.clone(),
        email: m.email.clone(),
        description_nl: m.description_nl.clone(),
        description_en: m.description_en.clone(),
        part_of: m.part_of_id.map(OrganisationId),
    })
}

fn not_found() -> StoreError {
    DomainError::new(ErrorCode::NotFound, "organisation not found").into()
}

fn content(f: &OrganisationFields) -> organisation::ActiveModel {
    organisation::ActiveModel {
        name: Set(f.name.clone()),
        kind: Set(f.kind.map_or("other", |k| k.code()).to_owned()),
        region: Set(f.region.map(|r| r.code().to_owned())),
        city: Set(f.city.clone()),
        website: Set(f.website.clone()),
        email: Set(f.email.clone()),
        description_nl: Set(f.description_nl.clone()),
        description_en: Set(f.description_en.clone()),
        part_of_id: Set(f.part_of.map(|p| p.0)),
        ..Default::default()
    }
}

impl Store {
    /// Refuses a `part_of` that does not exist or would make a cycle.
    async fn check_part_of(
        &self,
        id: Option<OrganisationId>,
        part_of: Option<OrganisationId>,
    ) -> Result<()> {
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
            let row = organisation::Entity::find_by_id(p.0)
                .one(&self.db)
                .await?
                .ok_or_else(|| DomainError::bad_input("input.partOf", "unknown organisation"))?;
            next = row.part_of_id.map(OrganisationId);
            steps += 1;
        }
        Ok(())
    }

    async fn organisation_row(&self, id: OrganisationId) -> Result<organisation::Model> {
        organisation::Entity::find_by_id(id.0)
            .one(&self.db)
            .await?
            .ok_or_else(not_found)
    }

    /// Creates an organisation, published at once (editors).
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: OrganisationInput,
    ) -> Result<Organisation> {
        access::require_editor(actor.viewer, "create organisations")?;
        let f = OrganisationFields::create(input)?;
        self.check_part_of(None, f.part_of).await?;
        retry_on_conflict(|| self.insert_organisation(actor, &f)).await
    }

    async fn insert_organisation(
        &self,
        actor: &Actor,
        f: &OrganisationFields,
    ) -> Result<Organisation> {
        let slug = free_slug::<organisation::Entity, _>(
            &self.db,
            organisation::Column::Slug,
            &f.name,
            "organisatie",
        )
        .await?;
        let txn = self.db.begin().await?;
        let row = insert_organisation_in(&txn, actor, slug, f, "create").await?;
        crate::durability::commit(txn).await?;
        Organisation::try_from(row)
    }

    /// Changes an organisation (editors), if `expected_version` is current.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: OrganisationId,
        expected_version: i32,
        input: OrganisationInput,
    ) -> Result<Organisation> {
        access::require_editor(actor.viewer, "change organisations")?;
        let before = self.organisation_row(id).await?;
        if before.version != expected_version {
            return Err(DomainError::conflict(before.version).into());
        }
        let old = fields(&before)?;
        let mut f = old.clone();
        f.apply(input)?;
        self.check_part_of(Some(id), f.part_of).await?;
        self.save_organisation(actor, before, &old, &f, None, "update")
            .await
    }

    /// Archives an organisation (editors): it disappears from public reads.
    pub async fn archive_organisation(
        &self,
        actor: &Actor,
        id: OrganisationId,
        expected_version: Option<i32>,
    ) -> Result<Organisation> {
        access::require_editor(actor.viewer, "archive organisations")?;
        let before = self.organisation_row(id).await?;
        if let Some(v) = expected_version
            && v != before.version
        {
            return Err(DomainError::conflict(before.version).into());
        }
        if before.status == Status::Archived.code() {
            return Err(DomainError::new(
                ErrorCode::Conflict,
                "the organisation is archived already",
            )
            .into());
        }
        let f = fields(&before)?;
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
        let after = save_organisation_in(&txn, actor, before, old, f, status, action).await?;
        crate::durability::commit(txn).await?;
        Organisation::try_from(after)
    }
}

/// Inserts a published organisation with `slug` and its audit record, in `txn`.
pub(super) async fn insert_organisation_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    slug: String,
    f: &OrganisationFields,
    action: &str,
) -> Result<organisation::Model> {
    let now = Utc::now();
    let row = organisation::Entity::insert(organisation::ActiveModel {
        id: NotSet,
        slug: Set(slug),
        status: Set(Status::Published.code().to_owned()),
        is_demo: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..content(f)
    })
    .exec_with_returning(txn)
    .await?;
    let change = Change {
        entity: ORGANISATION,
        id: row.id,
        action,
        version: 1,
    };
    let after = snapshot(f, &row.status, 1);
    record(txn, actor, change, None, Some(&after)).await?;
    Ok(row)
}

/// Saves the content `f` (and `status`) over `before`, whose content was `old`, with its
/// audit record, in `txn`; the version guards against a concurrent change.
pub(super) async fn save_organisation_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    before: organisation::Model,
    old: &OrganisationFields,
    f: &OrganisationFields,
    status: Option<Status>,
    action: &str,
) -> Result<organisation::Model> {
    let mut row = organisation::ActiveModel {
        version: Set(before.version + 1),
        updated_at: Set(Utc::now()),
        ..content(f)
    };
    if let Some(s) = status {
        row.status = Set(s.code().to_owned());
    }
    guarded_update(
        txn,
        row,
        organisation::Column::Id,
        organisation::Column::Version,
        before.id,
        before.version,
    )
    .await?;
    let after = organisation::Entity::find_by_id(before.id)
        .one(txn)
        .await?
        .ok_or_else(not_found)?;
    let change = Change {
        entity: ORGANISATION,
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
