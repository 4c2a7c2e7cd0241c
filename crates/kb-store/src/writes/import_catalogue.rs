//! Importing organisations and events: the same all-or-nothing upsert by slug as for
//! initiatives ([`super::import`]). Every record is checked against the database first
//! (organisers, featured initiatives, themes and topics exist; no organisation ends up
//! part of itself), every problem is reported, and only a file without problems is
//! written, in one transaction, through the same inserts and saves as the API's writes —
//! a revision (action `import`) and a change-log row for each created or changed row. A
//! record that changes nothing writes nothing.

use std::collections::HashMap;

use kb_domain::import::{EventRecord, ImportError, OrganisationRecord, ParentRef, column_of};
use kb_domain::input::{EventFields, OrganisationFields};
use kb_domain::{EventId, InitiativeId, OrganisationId, Status, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};

use super::Actor;
use super::event::{Edges, EventSave, insert_event_in, save_event_in};
use super::import::{ImportReport, ImportStep};
use super::organisation::{
    fields as organisation_fields, insert_organisation_in, save_organisation_in,
};
use crate::convert::code;
use crate::entity::{event, initiative, organisation};
use crate::{Result, Store, StoreError, access};

/// The action the revisions of an import record.
const IMPORT: &str = "import";

/// How many slugs one lookup asks for.
const SLUG_CHUNK: usize = 500;

/// What one organisation record comes to. `parent` names the organisation, created
/// earlier in the same import, that it becomes part of.
enum OrganisationPlan<'a> {
    Create {
        record: &'a OrganisationRecord,
        fields: OrganisationFields,
        parent: Option<String>,
    },
    Update {
        before: Box<organisation::Model>,
        old: OrganisationFields,
        fields: OrganisationFields,
        parent: Option<String>,
    },
}

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

/// The problem a domain rule finds in a record, on the column of its field.
fn record_error(line: usize, e: StoreError) -> Result<ImportError> {
    match e {
        StoreError::Domain(e) => {
            let field = e
                .field
                .as_deref()
                .map_or_else(|| "record".to_owned(), column_of);
            Ok(ImportError::new(line, field, e.message))
        }
        e => Err(e),
    }
}

fn counted<T>(report: &mut ImportReport, plans: &[T], is_create: impl Fn(&T) -> bool) {
    for p in plans {
        if is_create(p) {
            report.created += 1;
        } else {
            report.updated += 1;
        }
    }
}

impl Store {
    /// Imports organisation records (editors): creates those whose slugs are new (as
    /// published organisations), changes those whose content differs; an organisation's
    /// status stays. With problems, or with `dry_run`, nothing is written.
    pub async fn import_organisations(
        &self,
        actor: &Actor,
        records: &[OrganisationRecord],
        dry_run: bool,
        progress: &mut (dyn FnMut(ImportStep) + Send),
    ) -> Result<ImportReport> {
        access::require_editor(actor.viewer, "import organisations")?;
        // Every organisation: what the records update, and the hierarchy to keep free of
        // cycles (organisations are hundreds or thousands, not more).
        let rows = organisation::Entity::find().all(&self.db).await?;
        let by_slug: HashMap<&str, &organisation::Model> =
            rows.iter().map(|m| (m.slug.as_str(), m)).collect();
        let slug_of: HashMap<i64, &str> = rows.iter().map(|m| (m.id, m.slug.as_str())).collect();
        let mut parents: HashMap<String, Option<String>> = rows
            .iter()
            .map(|m| {
                let parent = m
                    .part_of_id
                    .and_then(|p| slug_of.get(&p))
                    .map(|s| (*s).to_owned());
                (m.slug.clone(), parent)
            })
            .collect();
        for r in records {
            if let Some(p) = &r.part_of {
                let parent = match p {
                    Some(ParentRef::Stored(id)) => slug_of.get(&id.0).map(|s| (*s).to_owned()),
                    Some(ParentRef::InFile(s)) => Some(s.clone()),
                    None => None,
                };
                parents.insert(r.slug.clone(), parent);
            }
        }
        let mut report = ImportReport::default();
        let mut plans = Vec::new();
        for r in records {
            progress(ImportStep::Checked);
            let (mut at, mut steps) = (r.slug.clone(), 0);
            while let Some(Some(p)) = parents.get(&at) {
                if *p == r.slug {
                    report.errors.push(ImportError::new(
                        r.line,
                        "part_of",
                        "an organisation cannot be part of itself (through the organisations it is part of)",
                    ));
                    break;
                }
                at = p.clone();
                steps += 1;
                if steps > parents.len() {
                    break;
                }
            }
            let before = by_slug.get(r.slug.as_str()).copied();
            let old = before.map(organisation_fields).transpose()?;
            let (part_of, parent) = match &r.part_of {
                Some(Some(ParentRef::Stored(id))) => (Some(*id), None),
                Some(Some(ParentRef::InFile(s))) => match by_slug.get(s.as_str()) {
                    Some(m) => (Some(OrganisationId(m.id)), None),
                    None => (None, Some(s.clone())),
                },
                _ => (None, None),
            };
            let fields = match r.fields(old.as_ref(), part_of) {
                Ok(f) => f,
                Err(e) => {
                    report.errors.push(e);
                    continue;
                }
            };
            match (before, old) {
                (None, _) => plans.push(OrganisationPlan::Create {
                    record: r,
                    fields,
                    parent,
                }),
                (Some(_), Some(old)) if old == fields && parent.is_none() => {
                    report.unchanged += 1;
                }
                (Some(before), old) => plans.push(OrganisationPlan::Update {
                    before: Box::new(before.clone()),
                    old: old.unwrap_or_default(),
                    fields,
                    parent,
                }),
            }
        }
        counted(&mut report, &plans, |p| {
            matches!(p, OrganisationPlan::Create { .. })
        });
        if !report.errors.is_empty() || dry_run || plans.is_empty() {
            return Ok(report);
        }
        let txn = self.db.begin().await?;
        let mut created: HashMap<String, OrganisationId> = HashMap::new();
        let parent_id = |created: &HashMap<String, OrganisationId>, slug: &str| {
            created.get(slug).copied().ok_or_else(|| {
                StoreError::Internal(format!("`{slug}` was to be created before its parts"))
            })
        };
        for plan in plans {
            match plan {
                OrganisationPlan::Create {
                    record,
                    mut fields,
                    parent,
                } => {
                    if let Some(p) = parent {
                        fields.part_of = Some(parent_id(&created, &p)?);
                    }
                    let row =
                        insert_organisation_in(&txn, actor, record.slug.clone(), &fields, IMPORT)
                            .await?;
                    created.insert(record.slug.clone(), OrganisationId(row.id));
                }
                OrganisationPlan::Update {
                    before,
                    old,
                    mut fields,
                    parent,
                } => {
                    if let Some(p) = parent {
                        fields.part_of = Some(parent_id(&created, &p)?);
                    }
                    save_organisation_in(&txn, actor, *before, &old, &fields, None, IMPORT).await?;
                }
            }
            progress(ImportStep::Written);
        }
        txn.commit().await?;
        report.written = true;
        Ok(report)
    }

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
        txn.commit().await?;
        report.written = true;
        Ok(report)
    }
}

/// The (slug, id) pairs of the rows of `E` among `slugs`, a chunk per statement.
async fn slug_ids<E, C>(
    db: &sea_orm::DatabaseConnection,
    slug: C,
    id: C,
    slugs: &[&str],
) -> Result<Vec<(String, i64)>>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    let mut found = Vec::new();
    for chunk in slugs.chunks(SLUG_CHUNK) {
        let rows: Vec<(String, i64)> = E::find()
            .select_only()
            .column(slug)
            .column(id)
            .filter(slug.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}
