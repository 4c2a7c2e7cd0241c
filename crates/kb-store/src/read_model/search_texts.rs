//! The texts full-text search indexes, of initiatives, events and organisations, each
//! kind in one statement however many rows.

use kb_domain::{EventId, InitiativeId, OrganisationId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::convert::rows;
use crate::entity::{event, initiative, organisation};
use crate::{Result, Store};

/// The text of one initiative that full-text search indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiativeText {
    pub id: InitiativeId,
    pub title: String,
    pub summary: String,
    /// The title in English, when given.
    pub title_en: Option<String>,
    /// The summary in English, when given.
    pub summary_en: Option<String>,
    pub body: Option<String>,
}

/// The text of one event that full-text search indexes, with the codes of its kind and
/// region (the index labels them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventText {
    pub id: EventId,
    pub title: String,
    pub summary: String,
    pub location: Option<String>,
    pub kind: String,
    pub region: Option<String>,
}

/// The text of one organisation that full-text search indexes, with the codes of its kind
/// and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationText {
    pub id: OrganisationId,
    pub name: String,
    pub description: kb_domain::lang::Localised,
    pub city: Option<String>,
    pub kind: String,
    pub region: Option<String>,
}

impl Store {
    /// The title, summary (in Dutch and, when given, English) and body of the initiatives
    /// `ids`, or of every initiative with `None`, in one statement.
    pub async fn initiative_texts(
        &self,
        ids: Option<&[InitiativeId]>,
    ) -> Result<Vec<InitiativeText>> {
        let mut q = initiative::Entity::find()
            .select_only()
            .columns([
                initiative::Column::Id,
                initiative::Column::Title,
                initiative::Column::Summary,
                initiative::Column::TitleEn,
                initiative::Column::SummaryEn,
                initiative::Column::Body,
            ])
            .order_by_asc(initiative::Column::Id);
        if let Some(ids) = ids {
            q = q.filter(initiative::Column::Id.is_in(rows(ids)));
        }
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let found: Vec<Row> = q.into_tuple().all(&self.db).await?;
        Ok(found
            .into_iter()
            .map(
                |(id, title, summary, title_en, summary_en, body)| InitiativeText {
                    id: InitiativeId(id),
                    title,
                    summary,
                    title_en,
                    summary_en,
                    body,
                },
            )
            .collect())
    }

    /// The texts of the events `ids`, or of every event with `None`, in one statement.
    pub async fn event_texts(&self, ids: Option<&[EventId]>) -> Result<Vec<EventText>> {
        let mut q = event::Entity::find()
            .select_only()
            .columns([
                event::Column::Id,
                event::Column::Title,
                event::Column::Summary,
                event::Column::Location,
                event::Column::Kind,
                event::Column::Region,
            ])
            .order_by_asc(event::Column::Id);
        if let Some(ids) = ids {
            q = q.filter(event::Column::Id.is_in(rows(ids)));
        }
        type Row = (i64, String, String, Option<String>, String, Option<String>);
        let found: Vec<Row> = q.into_tuple().all(&self.db).await?;
        Ok(found
            .into_iter()
            .map(|(id, title, summary, location, kind, region)| EventText {
                id: EventId(id),
                title,
                summary,
                location,
                kind,
                region,
            })
            .collect())
    }

    /// The texts of the organisations `ids`, or of every organisation with `None`, in one
    /// statement.
    pub async fn organisation_texts(
        &self,
        ids: Option<&[OrganisationId]>,
    ) -> Result<Vec<OrganisationText>> {
        let mut q = organisation::Entity::find()
            .select_only()
            .columns([
                organisation::Column::Id,
                organisation::Column::Name,
                organisation::Column::DescriptionNl,
                organisation::Column::DescriptionEn,
                organisation::Column::City,
                organisation::Column::Kind,
                organisation::Column::Region,
            ])
            .order_by_asc(organisation::Column::Id);
        if let Some(ids) = ids {
            q = q.filter(organisation::Column::Id.is_in(rows(ids)));
        }
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            Option<String>,
        );
        let found: Vec<Row> = q.into_tuple().all(&self.db).await?;
        Ok(found
            .into_iter()
            .map(|(id, name, nl, en, city, kind, region)| OrganisationText {
                id: OrganisationId(id),
                name,
                description: kb_domain::lang::Localised { nl, en },
                city,
                kind,
                region,
            })
            .collect())
    }
}
