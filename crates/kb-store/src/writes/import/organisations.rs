//! Importing organisations: created as published organisations, or changed where their
//! content differs (their status stays); `part_of` may name an organisation of the same
//! file, and no organisation ends up part of itself.

use std::collections::HashMap;

use kb_domain::OrganisationId;
use kb_domain::import::{ImportError, OrganisationRecord, ParentRef};
use kb_domain::input::OrganisationFields;
use sea_orm::{EntityTrait, TransactionTrait};

use super::{IMPORT, ImportReport, ImportStep, counted};
use crate::entity::organisation;
use crate::writes::Actor;
use crate::writes::organisation::{
    fields as organisation_fields, insert_organisation_in, save_organisation_in,
};
use crate::{Result, Store, StoreError, access};

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
        crate::durability::commit(txn).await?;
        report.written = true;
        Ok(report)
    }
}
