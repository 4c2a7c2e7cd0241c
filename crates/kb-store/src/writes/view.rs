//! Saved views: create, update, archive. Editors and admins change any view, partners
//! the ones their key made. Like every write: one transaction with its revision and
//! change-log row, a stale version is `CONFLICT`, a slug taken meanwhile is retried.

use chrono::Utc;
use kb_domain::view::{View, ViewFields, ViewInput, ViewState};
use kb_domain::{DomainError, ErrorCode, Language};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;

use super::Actor;
use super::audit::{Change, record};
use super::save::{free_slug, guarded_update, retry_on_conflict};
use crate::entity::saved_view;
use crate::views::{StoredFilter, fields_code, order_code};
use crate::{Result, Store, StoreError, access};

const VIEW: &str = "view";

fn not_found() -> StoreError {
    DomainError::new(ErrorCode::NotFound, "view not found").into()
}

fn snapshot(f: &ViewFields, state: ViewState, version: i32) -> serde_json::Value {
    json!({ "slug": f.slug, "title": f.title, "description": f.description,
            "filter": StoredFilter::of(&f.filter), "order": order_code(f.order),
            "search": f.search, "lang": f.lang.map(Language::code), "fields": fields_code(&f.fields),
            "state": state.code(), "version": version })
}

fn fields_of(v: &View) -> ViewFields {
    ViewFields {
        slug: v.slug.clone(),
        title: v.title.clone(),
        description: v.description.clone(),
        filter: v.filter.clone(),
        order: v.order,
        search: v.search.clone(),
        lang: v.lang,
        fields: v.fields.clone(),
    }
}

fn content(f: &ViewFields) -> Result<saved_view::ActiveModel> {
    let filter = serde_json::to_string(&StoredFilter::of(&f.filter))
        .map_err(|e| StoreError::Internal(format!("cannot serialise a view's filter: {e}")))?;
    Ok(saved_view::ActiveModel {
        slug: Set(f.slug.clone()),
        title: Set(f.title.clone()),
        description: Set(f.description.clone()),
        filter: Set(filter),
        order_by: Set(order_code(f.order).to_owned()),
        search: Set(f.search.clone()),
        lang: Set(f.lang.map(|l| l.code().to_owned())),
        fields: Set(fields_code(&f.fields)),
        ..Default::default()
    })
}

impl Store {
    async fn view_row(&self, slug: &str) -> Result<View> {
        saved_view::Entity::find()
            .filter(saved_view::Column::Slug.eq(slug))
            .one(&self.db)
            .await?
            .ok_or_else(not_found)
            .and_then(View::try_from)
    }

    /// Refuses a slug another view has.
    async fn check_slug_free(&self, slug: &str, own: Option<i64>) -> Result<()> {
        let taken = saved_view::Entity::find()
            .filter(saved_view::Column::Slug.eq(slug))
            .one(&self.db)
            .await?;
        match taken {
            Some(row) if Some(row.id) != own => Err(DomainError::new(
                ErrorCode::Conflict,
                format!("another view has the slug `{slug}`"),
            )
            .with_field("input.slug")
            .into()),
            _ => Ok(()),
        }
    }

    /// Makes a view owned by the actor's key (editors, admins and partners).
    pub async fn create_view(&self, actor: &Actor, input: ViewInput) -> Result<View> {
        access::create_view(actor.viewer)?;
        let f = ViewFields::create(input)?;
        if f.slug.is_empty() {
            retry_on_conflict(|| async {
                let mut f = f.clone();
                f.slug = free_slug::<saved_view::Entity, _>(
                    &self.db,
                    saved_view::Column::Slug,
                    &f.title,
                    "view",
                )
                .await?;
                self.insert_view(actor, &f).await
            })
            .await
        } else {
            self.check_slug_free(&f.slug, None).await?;
            self.insert_view(actor, &f).await
        }
    }

    async fn insert_view(&self, actor: &Actor, f: &ViewFields) -> Result<View> {
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let row = saved_view::Entity::insert(saved_view::ActiveModel {
            id: NotSet,
            owner_key_id: Set(actor.key_id.map(|k| k.0)),
            state: Set(ViewState::Active.code().to_owned()),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..content(f)?
        })
        .exec_with_returning(&txn)
        .await?;
        let change = Change {
            entity: VIEW,
            id: row.id,
            action: "create",
            version: 1,
        };
        let after = snapshot(f, ViewState::Active, 1);
        record(&txn, actor, change, None, Some(&after)).await?;
        crate::durability::commit(txn).await?;
        View::try_from(row)
    }

    /// Changes the view `slug` if `expected_version` is current (its owner, editors).
    pub async fn update_view(
        &self,
        actor: &Actor,
        slug: &str,
        expected_version: i32,
        input: ViewInput,
    ) -> Result<View> {
        let before = self.view_row(slug).await?;
        access::change_view(actor.viewer, actor.key_id, before.owner)?;
        if before.version != expected_version {
            return Err(DomainError::conflict(before.version).into());
        }
        let mut f = fields_of(&before);
        f.apply(input)?;
        if f.slug != before.slug {
            self.check_slug_free(&f.slug, Some(before.id.0)).await?;
        }
        self.save_view(actor, &before, &f, before.state, "update")
            .await
    }

    /// Archives the view `slug` (its owner, editors): it is no longer listed or served.
    pub async fn archive_view(
        &self,
        actor: &Actor,
        slug: &str,
        expected_version: Option<i32>,
    ) -> Result<View> {
        let before = self.view_row(slug).await?;
        access::change_view(actor.viewer, actor.key_id, before.owner)?;
        if let Some(v) = expected_version
            && v != before.version
        {
            return Err(DomainError::conflict(before.version).into());
        }
        if before.state == ViewState::Archived {
            return Err(
                DomainError::new(ErrorCode::Conflict, "the view is archived already").into(),
            );
        }
        let f = fields_of(&before);
        self.save_view(actor, &before, &f, ViewState::Archived, "archive")
            .await
    }

    async fn save_view(
        &self,
        actor: &Actor,
        before: &View,
        f: &ViewFields,
        state: ViewState,
        action: &str,
    ) -> Result<View> {
        let txn = self.db.begin().await?;
        let row = saved_view::ActiveModel {
            version: Set(before.version + 1),
            updated_at: Set(Utc::now()),
            state: Set(state.code().to_owned()),
            ..content(f)?
        };
        guarded_update(
            &txn,
            row,
            saved_view::Column::Id,
            saved_view::Column::Version,
            before.id.0,
            before.version,
        )
        .await?;
        let after = saved_view::Entity::find_by_id(before.id.0)
            .one(&txn)
            .await?
            .ok_or_else(not_found)?;
        let change = Change {
            entity: VIEW,
            id: before.id.0,
            action,
            version: after.version,
        };
        let (was, is) = (
            snapshot(&fields_of(before), before.state, before.version),
            snapshot(f, state, after.version),
        );
        record(&txn, actor, change, Some(&was), Some(&is)).await?;
        crate::durability::commit(txn).await?;
        View::try_from(after)
    }
}
