//! Importing events: organisers, featured initiatives, themes and topics must exist;
//! new events are DRAFTs unless the record gives a status.

use std::collections::HashMap;

use kb_domain::import::{EventRecord, ImportError};
use kb_domain::input::EventFields;
use kb_domain::{EventId, InitiativeId, Status, Viewer};
use sea_orm::TransactionTrait;

use super::{IMPORT, ImportReport, ImportStep, counted, record_error, slug_ids};
use crate::convert::code;
use crate::entity::{event, initiative};
use crate::writes::Actor;
use crate::writes::event::{Edges, EventSave, insert_event_in, save_event_in};
use crate::{Result, Store, StoreError, access};

/// What one event record comes to.
enum EventPlan<'a> {
    Create {
        record: &'a EventRecord,
        fields: EventFields,
        status: Status,
        edges: Edges,
    },
    Update {
        before: Box<event::Model>,
        old: Box<EventFields>,
        fields: EventFields,
        status: Option<Status>,
        edges: Edges,
    },
}

impl Store {
    /// Imports event records (editors): creates the events whose slugs are new (a DRAFT,
    /// or the record's status), changes those whose content or status differs. With
    /// problems, or with `dry_run`, nothing is written.
    pub async fn import_events(
        &self,
        actor: &Actor,
        records: &[EventRecord],
        dry_run: bool,
        progress: &mut (dyn FnMut(ImportStep) + Send),
    ) -> Result<ImportReport> {
        access::require_editor(actor.viewer, "import events")?;
        let slugs: Vec<&str> = records.iter().map(|r| r.slug.as_str()).collect();
        let events: HashMap<String, EventId> =
            slug_ids::<event::Entity, _>(&self.db, event::Column::Slug, event::Column::Id, &slugs)
                .await?
                .into_iter()
                .map(|(s, id)| (s, EventId(id)))
                .collect();
        let featured: Vec<&str> = records
            .iter()
            .flat_map(|r| r.initiatives.iter().flatten().map(String::as_str))
            .collect();
        let initiatives: HashMap<String, InitiativeId> = slug_ids::<initiative::Entity, _>(
            &self.db,
            initiative::Column::Slug,
            initiative::Column::Id,
            &featured,
        )
        .await?
        .into_iter()
        .map(|(s, id)| (s, InitiativeId(id)))
        .collect();
        let mut report = ImportReport::default();
        let mut plans = Vec::new();
        for r in records {
            progress(ImportStep::Checked);
            let before = match events.get(&r.slug) {
                Some(id) => Some(
                    self.event_state(Viewer::Admin, *id)
                        .await?
                        .ok_or_else(|| StoreError::Internal("an event vanished".into()))?,
                ),
                None => None,
            };
            let ids = match &r.initiatives {
                None => None,
                Some(slugs) => {
                    let unknown: Vec<&str> = slugs
                        .iter()
                        .filter(|s| !initiatives.contains_key(s.as_str()))
                        .map(String::as_str)
                        .collect();
                    if !unknown.is_empty() {
                        report.errors.push(ImportError::new(
                            r.line,
                            "initiatives",
                            format!("unknown initiative `{}` (a slug)", unknown.join("`, `")),
                        ));
                        continue;
                    }
                    Some(
                        slugs
                            .iter()
                            .filter_map(|s| initiatives.get(s).copied())
                            .collect(),
                    )
                }
            };
            let fields = match r.fields(before.as_ref().map(|(_, f)| f), ids) {
                Ok(f) => f,
                Err(e) => {
                    report.errors.push(e);
                    continue;
                }
            };
            let edges = match self.event_edges(Viewer::Admin, &fields).await {
                Ok(edges) => edges,
                Err(e) => {
                    report.errors.push(record_error(r.line, e)?);
                    continue;
                }
            };
            let current: Option<Status> = before
                .as_ref()
                .map(|(row, _)| code(&row.status))
                .transpose()?;
            let status = r.status.or(current).unwrap_or(Status::Draft);
            match before {
                None => plans.push(EventPlan::Create {
                    record: r,
                    fields,
                    status,
                    edges,
                }),
                Some((row, old)) => {
                    let new_status = (Some(status) != current).then_some(status);
                    if new_status.is_none() && old == fields {
                        report.unchanged += 1;
                    } else {
                        plans.push(EventPlan::Update {
                            before: Box::new(row),
                            old: Box::new(old),
                            fields,
                            status: new_status,
                            edges,
                        });
                    }
                }
            }
        }
        counted(&mut report, &plans, |p| {
            matches!(p, EventPlan::Create { .. })
        });
        if !report.errors.is_empty() || dry_run || plans.is_empty() {
            return Ok(report);
        }
        let txn = self.db.begin().await?;
        for plan in plans {
            match plan {
                EventPlan::Create {
                    record,
                    fields,
                    status,
                    edges,
                } => {
                    insert_event_in(
                        &txn,
                        actor,
                        record.slug.clone(),
                        &fields,
                        status,
                        &edges,
                        IMPORT,
                    )
                    .await?;
                }
                EventPlan::Update {
                    before,
                    old,
                    fields,
                    status,
                    edges,
                } => {
                    let save = EventSave {
                        before: *before,
                        old: &old,
                        status,
                        action: IMPORT,
                        edges: Some(&edges),
                    };
                    save_event_in(&txn, actor, &fields, save).await?;
                }
            }
            progress(ImportStep::Written);
        }
        crate::durability::commit(txn).await?;
        report.written = true;
        Ok(report)
    }
}
