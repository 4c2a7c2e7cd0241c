use std::collections::HashMap;

use kb_domain::{
    DomainError, EventId, Organisation, OrganisationId, OrganisationKind, Page, PageRequest,
    Region, Viewer, Vocabulary,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{all, rows, typed};
use crate::entity::organisation;
use crate::window::{Edge, Sort, linked};
use crate::{Result, Store, access};

/// Which organisations a list holds: AND across fields, OR within a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationFilter {
    pub kinds: Vec<OrganisationKind>,
    pub regions: Vec<Region>,
}

impl Store {
    fn organisation_condition(viewer: Viewer, f: &OrganisationFilter) -> Condition {
        let mut c = Condition::all().add(access::organisations(viewer));
        if !f.kinds.is_empty() {
            c = c.add(organisation::Column::Kind.is_in(f.kinds.iter().map(|k| k.code())));
        }
        if !f.regions.is_empty() {
            c = c.add(organisation::Column::Region.is_in(f.regions.iter().map(|k| k.code())));
        }
        c
    }

    /// Organisations by row id, visible to the viewer.
    pub async fn organisations_by_ids(
        &self,
        viewer: Viewer,
        ids: &[OrganisationId],
    ) -> Result<Vec<Organisation>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(rows(ids)))
            .filter(access::organisations(viewer))
            .all(&self.db)
            .await?;
        all(rows)
    }

    /// The organisation with this slug, if visible.
    pub async fn organisation_by_slug(
        &self,
        viewer: Viewer,
        slug: &str,
    ) -> Result<Option<Organisation>> {
        let row = organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(slug))
            .filter(access::organisations(viewer))
            .one(&self.db)
            .await?;
        row.map(Organisation::try_from).transpose()
    }

    /// The organisations with these slugs that the viewer may see, in no order; one
    /// statement.
    pub async fn organisations_by_slugs(
        &self,
        viewer: Viewer,
        slugs: &[String],
    ) -> Result<Vec<Organisation>> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let rows = organisation::Entity::find()
            .filter(organisation::Column::Slug.is_in(slugs.iter().cloned()))
            .filter(access::organisations(viewer))
            .all(&self.db)
            .await?;
        all(rows)
    }

    /// Row ids of the organisations with these slugs; an unknown slug is bad input.
    pub async fn organisation_ids_by_slugs(
        &self,
        viewer: Viewer,
        field: &str,
        slugs: &[String],
    ) -> Result<Vec<OrganisationId>> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, String)> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .column(organisation::Column::Slug)
            .filter(organisation::Column::Slug.is_in(slugs.iter().cloned()))
            .filter(access::organisations(viewer))
            .into_tuple()
            .all(&self.db)
            .await?;
        if let Some(bad) = slugs.iter().find(|s| !rows.iter().any(|r| &r.1 == *s)) {
            return Err(
                DomainError::bad_input(field, format!("unknown organisation `{bad}`")).into(),
            );
        }
        Ok(rows.into_iter().map(|r| OrganisationId(r.0)).collect())
    }

    /// A window of the filtered organisations, by name.
    pub async fn list_organisations(
        &self,
        viewer: Viewer,
        filter: &OrganisationFilter,
        page: PageRequest,
    ) -> Result<Page<Organisation>> {
        let rows = organisation::Entity::find()
            .filter(Self::organisation_condition(viewer, filter))
            .order_by_asc(organisation::Column::SortKey)
            .order_by_asc(organisation::Column::Id)
            .offset(page.offset)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let has_next = rows.len() as u64 > page.limit;
        let mut items: Vec<Organisation> = all(rows)?;
        items.truncate(page.limit as usize);
        Ok(Page {
            items,
            offset: page.offset,
            total: None,
            has_next,
        })
    }

    /// How many organisations the filtered list holds.
    pub async fn count_organisations(
        &self,
        viewer: Viewer,
        filter: &OrganisationFilter,
    ) -> Result<u64> {
        Ok(organisation::Entity::find()
            .filter(Self::organisation_condition(viewer, filter))
            .count(&self.db)
            .await?)
    }

    /// The visible parts (faculties, members) of each organisation, by name.
    pub async fn parts_of_organisations(
        &self,
        viewer: Viewer,
        ids: &[OrganisationId],
    ) -> Result<HashMap<OrganisationId, Vec<Organisation>>> {
        let mut out: HashMap<OrganisationId, Vec<Organisation>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = organisation::Entity::find()
            .filter(organisation::Column::PartOfId.is_in(rows(ids)))
            .filter(access::organisations(viewer))
            .order_by_asc(organisation::Column::SortKey)
            .order_by_asc(organisation::Column::Id)
            .all(&self.db)
            .await?;
        for row in rows {
            if let Some(parent) = row.part_of_id {
                out.entry(OrganisationId(parent))
                    .or_default()
                    .push(row.try_into()?);
            }
        }
        Ok(out)
    }

    /// The visible organisers of each event, by name.
    pub async fn organisers_of_events(
        &self,
        viewer: Viewer,
        ids: &[EventId],
    ) -> Result<Vec<(EventId, Organisation)>> {
        let rows = linked::<organisation::Entity, _>(
            &self.db,
            Edge {
                table: "event_organisation",
                parent_col: "event_id",
                child_col: "organisation_id",
            },
            &rows(ids),
            access::organisations(viewer),
            None,
            &[Sort::asc(Expr::col((
                organisation::Entity,
                organisation::Column::SortKey,
            )))],
            &[],
        )
        .await?;
        let pairs = rows
            .into_iter()
            .map(|l| Ok((l.parent, l.model.try_into()?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(typed(pairs))
    }
}
