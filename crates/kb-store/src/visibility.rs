//! The visibility rule of the knowledge bank, as SQL conditions on each node table.
//! Anonymous readers and partners see PUBLISHED only; contributors also their own
//! organisation's work; editors and admins everything. Every read in this crate adds
//! one of these conditions.

use kb_domain::{Status, Viewer, Vocabulary};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition};

use crate::entity::{event, event_organisation, initiative, initiative_organisation, organisation};

fn published() -> &'static str {
    Status::Published.code()
}

/// Initiatives the viewer may see: published, or (for a contributor) one its
/// organisation takes part in.
pub(crate) fn initiatives(viewer: Viewer) -> Condition {
    if viewer.sees_everything() {
        return Condition::all();
    }
    let mut c = Condition::any().add(initiative::Column::Status.eq(published()));
    if let Some(org) = viewer.own_organisation() {
        c = c.add(
            initiative::Column::Id.in_subquery(
                Query::select()
                    .column(initiative_organisation::Column::InitiativeId)
                    .from(initiative_organisation::Entity)
                    .and_where(initiative_organisation::Column::OrganisationId.eq(org))
                    .take(),
            ),
        );
    }
    c
}

/// Organisations the viewer may see: published, or its own.
pub(crate) fn organisations(viewer: Viewer) -> Condition {
    if viewer.sees_everything() {
        return Condition::all();
    }
    let mut c = Condition::any().add(organisation::Column::Status.eq(published()));
    if let Some(org) = viewer.own_organisation() {
        c = c.add(organisation::Column::Id.eq(org));
    }
    c
}

/// Events the viewer may see: published, or organised by its own organisation.
pub(crate) fn events(viewer: Viewer) -> Condition {
    if viewer.sees_everything() {
        return Condition::all();
    }
    let mut c = Condition::any().add(event::Column::Status.eq(published()));
    if let Some(org) = viewer.own_organisation() {
        c = c.add(
            event::Column::Id.in_subquery(
                Query::select()
                    .column(event_organisation::Column::EventId)
                    .from(event_organisation::Entity)
                    .and_where(event_organisation::Column::OrganisationId.eq(org))
                    .take(),
            ),
        );
    }
    c
}
