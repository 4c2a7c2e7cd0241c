//! The import formats of initiatives, organisations and events: records of named cells (a
//! CSV row, a JSON object), each validated into the content of one object, keyed by its
//! slug. Every problem of
//! every record is reported as (line, column, message), so that a file is fixed in one
//! go; reading files and writing rows are the caller's.
//!
//! A column present in a record sets its field (an empty cell clears an optional one); a
//! column absent leaves the field of an existing initiative as it is. Vocabulary values,
//! themes and topics are accepted as codes or as their Dutch or English labels, in any
//! case; organisations by slug or by name.

/// Reading cells the same way for every kind of record: by column, slugs, terms and names.
mod cells;
/// Event records: their columns, validation and content.
mod event;
/// Initiative records: reading one record's cells into an initiative's input.
mod initiative;
/// The names an import may use, and their codes.
mod names;
/// Organisation records: their columns, validation (parents in the file too) and content.
mod organisation;

pub use event::{EVENT_COLUMNS, EventRecord, parse_events};
pub use initiative::{ImportRecord, parse_records};
pub use names::ImportNames;
pub use organisation::{ORGANISATION_COLUMNS, OrganisationRecord, ParentRef, parse_organisations};

use std::fmt;

/// What the records of an import file are: `kennisbank import --kind`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ImportKind {
    #[default]
    Initiatives,
    Organisations,
    Events,
}

impl ImportKind {
    /// The kind `initiatives`, `organisations` or `events` names (singular too).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "initiatives" | "initiative" => Some(Self::Initiatives),
            "organisations" | "organisation" | "organizations" | "organization" => {
                Some(Self::Organisations)
            }
            "events" | "event" => Some(Self::Events),
            _ => None,
        }
    }

    /// Its name, plural.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initiatives => "initiatives",
            Self::Organisations => "organisations",
            Self::Events => "events",
        }
    }

    /// The columns of its records.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Initiatives => &COLUMNS,
            Self::Organisations => &ORGANISATION_COLUMNS,
            Self::Events => &EVENT_COLUMNS,
        }
    }
}

/// The columns of the import format of initiatives, in the order docs/data.md documents
/// them.
pub const COLUMNS: [&str; 25] = [
    "slug",
    "title",
    "summary",
    "title_en",
    "summary_en",
    "body",
    "kind",
    "status",
    "themes",
    "topics",
    "lead_organisation",
    "partners",
    "funders",
    "languages",
    "target_groups",
    "education_levels",
    "format",
    "cost",
    "prevention_level",
    "evidence_level",
    "region",
    "start_year",
    "end_year",
    "website",
    "contact_email",
];

/// The columns that hold lists (`;`-separated in a CSV cell, arrays in JSON).
pub const LIST_COLUMNS: [&str; 7] = [
    "themes",
    "topics",
    "partners",
    "funders",
    "languages",
    "target_groups",
    "education_levels",
];

/// One cell of a record as the file gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// A text: a CSV cell, a JSON string or number. In a list column its values are
    /// separated by `;`.
    Text(String),
    /// A list of texts: a JSON array.
    List(Vec<String>),
}

impl Cell {
    /// The cell as one value, trimmed; a list of one value counts as that value.
    fn single(&self) -> Result<String, String> {
        match self {
            Cell::Text(s) => Ok(s.trim().to_owned()),
            Cell::List(v) if v.len() <= 1 => Ok(v.first().map_or("", |s| s.trim()).to_owned()),
            Cell::List(_) => Err("one value expected, got a list".to_owned()),
        }
    }

    /// The cell as a list: a text split at `;`, every value trimmed, empty ones dropped.
    fn list(&self) -> Vec<String> {
        let values: Vec<&str> = match self {
            Cell::Text(s) => s.split(';').collect(),
            Cell::List(v) => v.iter().map(String::as_str).collect(),
        };
        values
            .into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// A record as read from a file: the line it starts on, and its cells by column name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRecord {
    pub line: usize,
    pub cells: Vec<(String, Cell)>,
}

/// One problem of an import file: where (line and column) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl ImportError {
    pub fn new(line: usize, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            line,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.field, self.message)
    }
}

/// The problems of a header (the columns of a CSV file of `kind`, named on `line`):
/// unknown and repeated columns.
pub fn check_columns<'a>(
    kind: ImportKind,
    line: usize,
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<ImportError> {
    let mut seen = Vec::new();
    let mut errors = Vec::new();
    for name in names {
        if !kind.columns().contains(&name) {
            errors.push(ImportError::new(line, name, unknown_column(kind)));
        } else if seen.contains(&name) {
            errors.push(ImportError::new(line, name, "the column is given twice"));
        }
        seen.push(name);
    }
    errors
}

fn unknown_column(kind: ImportKind) -> String {
    format!(
        "unknown column; the columns of {} are {}",
        kind.as_str(),
        kind.columns().join(", ")
    )
}

/// The import column an input field of the domain (`input.startYear`) is about.
pub fn column_of(field: &str) -> String {
    let name = field.strip_prefix("input.").unwrap_or(field);
    if name == "organisations" {
        return "lead_organisation".to_owned();
    }
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_fields_name_their_import_column() {
        assert_eq!(column_of("input.startYear"), "start_year");
        assert_eq!(column_of("input.contactEmail"), "contact_email");
        assert_eq!(column_of("input.organisations"), "lead_organisation");
        assert_eq!(column_of("input.title"), "title");
        for c in LIST_COLUMNS {
            assert!(COLUMNS.contains(&c), "{c}");
        }
    }

    #[test]
    fn a_header_with_unknown_and_repeated_columns_is_reported_per_column() {
        let errors = check_columns(
            ImportKind::Initiatives,
            1,
            ["slug", "titel", "kind", "slug"],
        );
        let at: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(at, vec![(1, "titel"), (1, "slug")]);
    }

    #[test]
    fn a_cell_splits_into_a_list_at_semicolons() {
        assert_eq!(
            Cell::Text(" support; prevention ;;".into()).list(),
            vec!["support".to_owned(), "prevention".to_owned()]
        );
        assert_eq!(Cell::Text("  ".into()).list(), Vec::<String>::new());
        assert_eq!(Cell::List(vec!["a".into()]).single(), Ok("a".to_owned()));
        assert!(Cell::List(vec!["a".into(), "b".into()]).single().is_err());
    }
}
