//! Reading the cells of a record, for every kind of record: walking them by column, the
//! record's key, and the values every kind has — vocabulary terms, themes and topics,
//! organisations and statuses — each with a message that says what would do.

use std::collections::HashMap;

use super::{ImportError, ImportKind, ImportNames, RawRecord, column_of, unknown_column};
use crate::id::OrganisationId;
use crate::slug::{is_slug, slugify};
use crate::vocab::{Status, Vocabulary};

fn codes_hint<V: Vocabulary>() -> String {
    let codes: Vec<&str> = V::ALL.iter().map(|v| v.code()).collect();
    codes.join(", ")
}

/// A value of `V` named by `s`, or the error that lists the codes.
pub(super) fn term<V: Vocabulary>(names: &ImportNames, s: &str) -> Result<V, String> {
    names.term::<V>(s).ok_or_else(|| {
        format!(
            "unknown value `{s}`; a code or label of {}",
            codes_hint::<V>()
        )
    })
}

pub(super) fn optional_term<V: Vocabulary>(
    names: &ImportNames,
    s: &str,
) -> Result<Option<V>, String> {
    if s.is_empty() {
        Ok(None)
    } else {
        term(names, s).map(Some)
    }
}

pub(super) fn organisations(
    names: &ImportNames,
    values: &[String],
) -> Result<Vec<OrganisationId>, String> {
    values
        .iter()
        .map(|v| {
            names
                .organisation(v)
                .ok_or_else(|| format!("unknown organisation `{v}` (a slug or a name)"))
        })
        .collect()
}

/// Codes of the themes or topics named, or the first unknown name.
pub(super) fn taxonomy(
    values: &[String],
    what: &str,
    find: impl Fn(&str) -> Option<String>,
) -> Result<Vec<String>, String> {
    values
        .iter()
        .map(|v| find(v).ok_or_else(|| format!("unknown {what} `{v}` (a code or a label)")))
        .collect()
}

pub(super) fn status(s: &str) -> Result<Option<Status>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    match Status::from_code(&s.to_lowercase()) {
        Some(Status::Rejected) => {
            Err("an import does not reject; rejecting takes a reason (rejectInitiative)".into())
        }
        Some(s) => Ok(Some(s)),
        None => Err(format!(
            "unknown status `{s}`; one of draft, submitted, published, archived"
        )),
    }
}

/// Walks the cells of `r`, a record of `kind`: unknown and repeated columns are problems,
/// every other cell goes to `read` as one value (list columns: empty) and as a list. The
/// columns the record gives, in its order.
pub(super) fn walk(
    r: &RawRecord,
    kind: ImportKind,
    list_columns: &[&str],
    errors: &mut Vec<ImportError>,
    mut read: impl FnMut(&'static str, &str, &[String]) -> Result<(), String>,
) -> Vec<&'static str> {
    let mut columns = Vec::new();
    for (name, cell) in &r.cells {
        let Some(column) = kind.columns().iter().copied().find(|c| c == name) else {
            errors.push(ImportError::new(
                r.line,
                name.as_str(),
                unknown_column(kind),
            ));
            continue;
        };
        if columns.contains(&column) {
            errors.push(ImportError::new(
                r.line,
                column,
                "the column is given twice",
            ));
            continue;
        }
        columns.push(column);
        let list = cell.list();
        let one = if list_columns.contains(&column) {
            Ok(String::new())
        } else {
            cell.single()
        };
        if let Err(message) = one.and_then(|one| read(column, &one, &list)) {
            errors.push(ImportError::new(r.line, column, message));
        }
    }
    columns
}

/// The key of a record: its slug, else one made from its title or name (`named`).
pub(super) fn key(
    r: &RawRecord,
    slug: Option<String>,
    named: Option<&str>,
    errors: &mut Vec<ImportError>,
) -> Option<String> {
    match (slug, named.map(slugify)) {
        (Some(s), _) => Some(s),
        (None, Some(s)) if !s.is_empty() => Some(s),
        _ if errors.iter().any(|e| e.line == r.line && e.field == "slug") => None,
        _ => {
            errors.push(ImportError::new(
                r.line,
                "slug",
                "a record needs a slug, or a name or title to make one from",
            ));
            None
        }
    }
}

pub(super) fn slug_cell(one: &str, slug: &mut Option<String>) -> Result<(), String> {
    if one.is_empty() {
        Ok(())
    } else if is_slug(one) {
        *slug = Some(one.to_owned());
        Ok(())
    } else {
        Err("a slug is 1 to 80 lower case letters, digits and single hyphens".to_owned())
    }
}

/// Adds a problem for a slug that an earlier record has; true when it is new.
pub(super) fn first_of_slug(
    seen: &mut HashMap<String, usize>,
    slug: &str,
    line: usize,
    errors: &mut Vec<ImportError>,
) -> bool {
    if let Some(first) = seen.get(slug) {
        errors.push(ImportError::new(
            line,
            "slug",
            format!("the slug `{slug}` is also on line {first}"),
        ));
        false
    } else {
        seen.insert(slug.to_owned(), line);
        true
    }
}

/// The problem of a domain rule, on the column of its field.
pub(super) fn on_column(line: usize, e: crate::DomainError) -> ImportError {
    let field = e
        .field
        .as_deref()
        .map_or_else(|| "record".to_owned(), column_of);
    ImportError::new(line, field, e.message)
}

/// Refuses a record that would create a new `kind` without what it needs: the first
/// missing column of `required` (missing, column, what it holds), named.
pub(super) fn required_for_new(
    line: usize,
    kind: &str,
    required: &[(bool, &str, &str)],
) -> Result<(), ImportError> {
    match required.iter().find(|(missing, _, _)| *missing) {
        Some((_, column, what)) => Err(ImportError::new(
            line,
            *column,
            format!("a new {kind} needs {what}"),
        )),
        None => Ok(()),
    }
}

/// The names and records the tests of organisation and event records read.
#[cfg(test)]
pub(super) mod fixtures {
    use crate::id::OrganisationId;
    use crate::import::{Cell, ImportNames, RawRecord};

    pub(in crate::import) fn names() -> ImportNames {
        let mut n = ImportNames::default();
        n.add_term(
            "organisation_kind",
            "university_of_applied_sciences",
            "Hogeschool",
            "University of applied sciences",
        );
        n.add_term("event_kind", "webinar", "Webinar", "Webinar");
        n.add_term("region", "utrecht", "Utrecht", "Utrecht");
        n.add_theme("support", "Ondersteuning", "Support");
        n.add_organisation(
            OrganisationId(1),
            "hogeschool-lagewaard",
            "Hogeschool Lagewaard",
        );
        n
    }

    pub(in crate::import) fn record(line: usize, cells: &[(&str, &str)]) -> RawRecord {
        RawRecord {
            line,
            cells: cells
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Cell::Text((*v).to_owned())))
                .collect(),
        }
    }
}
