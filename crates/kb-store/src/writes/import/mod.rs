//! Importing records from a file: an upsert by slug of validated records, all or nothing,
//! for initiatives, organisations and events alike. Every record is checked against the
//! database first and every problem is reported; only a file without problems is written,
//! in one transaction, through the same inserts and saves as the API's writes, so each
//! created or changed row gets its revision (action `import`) and change-log row and the
//! read models follow. A record that changes nothing writes nothing, so importing a file
//! twice changes nothing the second time.

/// Importing events.
mod events;
/// Importing initiatives.
mod initiatives;
/// Importing organisations, part of one another.
mod organisations;

use kb_domain::import::{ImportError, ImportNames, column_of};
use kb_domain::{OrganisationId, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::organisation;
use crate::{Result, Store, StoreError, access};

/// The action the revisions of an import record.
const IMPORT: &str = kb_domain::revision::RevisionAction::Import.as_str();

/// How many slugs one lookup asks for.
const SLUG_CHUNK: usize = 500;

/// What an import did, or would do on a dry run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Every problem found; when there is one, nothing was written.
    pub errors: Vec<ImportError>,
    /// Whether the changes were committed (false on a dry run and on problems).
    pub written: bool,
}

/// A step of an import, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStep {
    /// A record was checked against the database.
    Checked,
    /// A created or changed initiative was written.
    Written,
}

impl Store {
    /// The names an import by `viewer` may use: every vocabulary value, theme and topic
    /// with its labels, and every organisation the viewer sees by slug and name.
    pub async fn import_names(&self, viewer: Viewer) -> Result<ImportNames> {
        let mut names = ImportNames::default();
        for t in self.vocabulary_terms().await? {
            let en = t.label.en.unwrap_or_default();
            names.add_term(&t.vocabulary, &t.code, &t.label.nl, &en);
        }
        for t in self.themes().await? {
            let en = t.label.en.unwrap_or_default();
            names.add_theme(&t.code, &t.label.nl, &en);
        }
        for t in self.topics(false).await? {
            let en = t.label.en.unwrap_or_default();
            names.add_topic(&t.code, &t.label.nl, &en);
        }
        let organisations: Vec<(i64, String, String)> = organisation::Entity::find()
            .select_only()
            .columns([
                organisation::Column::Id,
                organisation::Column::Slug,
                organisation::Column::Name,
            ])
            .filter(access::organisations(viewer))
            .into_tuple()
            .all(&self.db)
            .await?;
        for (id, slug, name) in organisations {
            names.add_organisation(OrganisationId(id), &slug, &name);
        }
        Ok(names)
    }
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
