//! Importing initiatives: new ones need a title, a kind and a lead organisation, and a
//! status may need a complete content.

use std::collections::HashMap;

use kb_domain::import::{ImportError, ImportRecord, column_of};
use kb_domain::input::InitiativeFields;
use kb_domain::{InitiativeId, Status, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};

use super::{IMPORT, ImportReport, ImportStep, SLUG_CHUNK};
use crate::entity::initiative;
use crate::writes::Actor;
use crate::writes::initiative::{
    Edges, NewInitiative, Save, State, insert_initiative_in, save_initiative_in,
};
use crate::{Result, Store, StoreError, access};

/// What one record comes to.
enum Plan<'a> {
    Create {
        record: &'a ImportRecord,
        fields: InitiativeFields,
        status: Status,
        edges: Edges,
    },
    Update {
        before: Box<State>,
        fields: InitiativeFields,
        status: Option<Status>,
        edges: Edges,
    },
}

impl Store {
    /// Imports `records` (editors and admins): creates the initiatives whose slugs are
    /// new, changes those whose content or status differs, and reports every problem.
    /// With problems, or with `dry_run`, nothing is written.
    pub async fn import_initiatives(
        &self,
        actor: &Actor,
        records: &[ImportRecord],
        dry_run: bool,
        progress: &mut (dyn FnMut(ImportStep) + Send),
    ) -> Result<ImportReport> {
        access::require_editor(actor.viewer, "import initiatives")?;
        let existing: HashMap<String, InitiativeId> = self
            .initiative_ids_by_slug(records)
            .await?
            .into_iter()
            .collect();
        let mut report = ImportReport::default();
        let mut plans = Vec::new();
        for record in records {
            let before = match existing.get(&record.slug) {
                Some(id) => Some(
                    self.initiative_state(Viewer::Admin, *id)
                        .await?
                        .ok_or_else(|| StoreError::Internal("an initiative vanished".into()))?,
                ),
                None => None,
            };
            match self.plan(record, before).await? {
                Ok(Some(plan)) => plans.push(plan),
                Ok(None) => report.unchanged += 1,
                Err(e) => report.errors.push(e),
            }
            progress(ImportStep::Checked);
        }
        for plan in &plans {
            match plan {
                Plan::Create { .. } => report.created += 1,
                Plan::Update { .. } => report.updated += 1,
            }
        }
        if !report.errors.is_empty() || dry_run || plans.is_empty() {
            return Ok(report);
        }
        let txn = self.db.begin().await?;
        for plan in plans {
            match plan {
                Plan::Create {
                    record,
                    fields,
                    status,
                    edges,
                } => {
                    let new = NewInitiative {
                        slug: record.slug.clone(),
                        status,
                        fields: &fields,
                        edges: &edges,
                        action: IMPORT,
                    };
                    insert_initiative_in(&txn, actor, new).await?;
                }
                Plan::Update {
                    before,
                    fields,
                    status,
                    edges,
                } => {
                    let save = Save {
                        before: *before,
                        fields: &fields,
                        status: status.map(|s| (s, None)),
                        action: IMPORT,
                        edges: Some(&edges),
                    };
                    save_initiative_in(&txn, actor, save).await?;
                }
            }
            progress(ImportStep::Written);
        }
        crate::durability::commit(txn).await?;
        report.written = true;
        Ok(report)
    }

    /// The ids of the stored initiatives among the records' slugs.
    async fn initiative_ids_by_slug(
        &self,
        records: &[ImportRecord],
    ) -> Result<Vec<(String, InitiativeId)>> {
        let slugs: Vec<&str> = records.iter().map(|r| r.slug.as_str()).collect();
        let mut found = Vec::new();
        for chunk in slugs.chunks(SLUG_CHUNK) {
            let rows: Vec<(String, i64)> = initiative::Entity::find()
                .select_only()
                .column(initiative::Column::Slug)
                .column(initiative::Column::Id)
                .filter(initiative::Column::Slug.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(&self.db)
                .await?;
            found.extend(rows.into_iter().map(|(s, id)| (s, InitiativeId(id))));
        }
        Ok(found)
    }

    /// What `record` comes to over its current state: a create, an update, nothing
    /// (`None`), or a problem of the record.
    async fn plan<'a>(
        &self,
        record: &'a ImportRecord,
        before: Option<State>,
    ) -> Result<Result<Option<Plan<'a>>, ImportError>> {
        let fields = match record.fields(before.as_ref().map(|b| &b.fields)) {
            Ok(f) => f,
            Err(e) => return Ok(Err(e)),
        };
        let current = before.as_ref().map(State::status).transpose()?;
        let status = record.status.or(current).unwrap_or(Status::Draft);
        if let Err(e) = record.check_status(&fields, status) {
            return Ok(Err(e));
        }
        let edges = match self.initiative_edges(Viewer::Admin, &fields).await {
            Ok(edges) => edges,
            Err(StoreError::Domain(e)) => {
                let field = e
                    .field
                    .as_deref()
                    .map_or_else(|| "record".to_owned(), column_of);
                return Ok(Err(ImportError::new(record.line, field, e.message)));
            }
            Err(e) => return Err(e),
        };
        Ok(Ok(match before {
            None => Some(Plan::Create {
                record,
                fields,
                status,
                edges,
            }),
            Some(before) => {
                let new_status = (Some(status) != current).then_some(status);
                if new_status.is_none() && fields.same_content(&before.fields) {
                    None
                } else {
                    Some(Plan::Update {
                        before: Box::new(before),
                        fields,
                        status: new_status,
                        edges,
                    })
                }
            }
        }))
    }
}
