use std::collections::HashMap;

use super::record::{optional_term, organisations, status, taxonomy, term};
use super::{ImportError, ImportKind, ImportNames, RawRecord, column_of, unknown_column};
use crate::id::{InitiativeId, OrganisationId};
use crate::input::{EventFields, EventInput, OrganisationFields, OrganisationInput};
use crate::slug::{is_slug, slugify};
use crate::validate;
use crate::vocab::*;

/// The columns of the import format of organisations.
pub const ORGANISATION_COLUMNS: [&str; 10] = [
    "slug",
    "name",
    "kind",
    "region",
    "city",
    "website",
    "email",
    "description_nl",
    "description_en",
    "part_of",
];

/// The columns of the import format of events.
pub const EVENT_COLUMNS: [&str; 15] = [
    "slug",
    "title",
    "summary",
    "kind",
    "status",
    "starts_at",
    "ends_at",
    "location",
    "online",
    "region",
    "website",
    "themes",
    "topics",
    "organisers",
    "initiatives",
];

/// The list columns of events (organisations have none).
const EVENT_LIST_COLUMNS: [&str; 4] = ["themes", "topics", "organisers", "initiatives"];

/// The organisation an organisation record is part of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParentRef {
    /// One in the database.
    Stored(OrganisationId),
    /// One a record earlier in the same file creates, by its slug.
    InFile(String),
}

/// One valid organisation record, keyed by its slug (or its name's).
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationRecord {
    pub line: usize,
    pub slug: String,
    /// `part_of` as the record gives it: absent (`None`), empty (`Some(None)`) or named.
    pub part_of: Option<Option<ParentRef>>,
    columns: Vec<&'static str>,
    input: OrganisationInput,
}

/// One valid event record, keyed by its slug (or its title's).
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub line: usize,
    pub slug: String,
    /// The status to give the event; `None` keeps it (a new one is a DRAFT).
    pub status: Option<Status>,
    /// The slugs of the featured initiatives, when the record gives the column.
    pub initiatives: Option<Vec<String>>,
    columns: Vec<&'static str>,
    input: EventInput,
}

/// Walks the cells of `r`, a record of `kind`: unknown and repeated columns are problems,
/// every other cell goes to `read` as one value (list columns: empty) and as a list. The
/// columns the record gives, in its order.
fn walk(
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
fn key(
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

fn slug_cell(one: &str, slug: &mut Option<String>) -> Result<(), String> {
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
fn first_of_slug(
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

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Validates organisation records: `part_of` names an organisation of the database (slug
/// or name) or of an earlier record of the file. The valid records, and every problem.
pub fn parse_organisations(
    raw: &[RawRecord],
    names: &ImportNames,
) -> (Vec<OrganisationRecord>, Vec<ImportError>) {
    let mut errors = Vec::new();
    let mut records = Vec::new();
    let mut seen = HashMap::new();
    // Earlier records of the file, by folded slug and name: what `part_of` may name.
    let mut earlier: Vec<(String, String)> = Vec::new();
    for r in raw {
        let before = errors.len();
        let mut input = OrganisationInput::default();
        let (mut slug, mut part_of) = (None, None);
        let columns = walk(
            r,
            ImportKind::Organisations,
            &[],
            &mut errors,
            |column, one, _| {
                let check = |r: Result<String, crate::DomainError>| r.map_err(|e| e.message);
                match column {
                    "slug" => slug_cell(one, &mut slug)?,
                    "name" if one.is_empty() => return Err("an organisation needs a name".into()),
                    "name" => input.name = Some(check(validate::title(column, one))?),
                    "kind" if one.is_empty() => return Err("an organisation needs a kind".into()),
                    "kind" => input.kind = Some(term(names, one)?),
                    "region" => input.region = optional_term(names, one)?,
                    "city" => input.city = Some(one.to_owned()),
                    "website" if !one.is_empty() => {
                        input.website = Some(check(validate::url(column, one))?);
                    }
                    "email" if !one.is_empty() => {
                        input.email = Some(check(validate::email(column, one))?);
                    }
                    "website" => input.website = Some(String::new()),
                    "email" => input.email = Some(String::new()),
                    "description_nl" => input.description_nl = Some(one.to_owned()),
                    "description_en" => input.description_en = Some(one.to_owned()),
                    "part_of" if one.is_empty() => part_of = Some(None),
                    "part_of" => {
                        let parent = match names.organisation(one) {
                            Some(id) => ParentRef::Stored(id),
                            None => {
                                let wanted = fold(one);
                                let (s, _) = earlier
                                .iter()
                                .find(|(s, n)| *s == wanted || *n == wanted)
                                .ok_or_else(|| {
                                    format!(
                                        "unknown organisation `{one}` (a slug or a name, in the database or on an earlier line)"
                                    )
                                })?;
                                ParentRef::InFile(s.clone())
                            }
                        };
                        part_of = Some(Some(parent));
                    }
                    _ => {}
                }
                Ok(())
            },
        );
        let Some(slug) = key(r, slug, input.name.as_deref(), &mut errors) else {
            continue;
        };
        if part_of == Some(Some(ParentRef::InFile(slug.clone()))) {
            errors.push(ImportError::new(
                r.line,
                "part_of",
                "an organisation cannot be part of itself",
            ));
        }
        first_of_slug(&mut seen, &slug, r.line, &mut errors);
        earlier.push((
            slug.clone(),
            input.name.as_deref().map(fold).unwrap_or_default(),
        ));
        if errors.len() == before {
            records.push(OrganisationRecord {
                line: r.line,
                slug,
                part_of,
                columns,
                input,
            });
        }
    }
    (records, errors)
}

/// The problem of a domain rule, on the column of its field.
fn on_column(line: usize, e: crate::DomainError) -> ImportError {
    let field = e
        .field
        .as_deref()
        .map_or_else(|| "record".to_owned(), column_of);
    ImportError::new(line, field, e.message)
}

impl OrganisationRecord {
    /// Whether the record gives `column`.
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains(&column)
    }

    /// The content after the import: the record over the `existing` content (or alone
    /// for a new organisation, which needs a name and a kind), part of `part_of` when
    /// the record gives the column.
    pub fn fields(
        &self,
        existing: Option<&OrganisationFields>,
        part_of: Option<OrganisationId>,
    ) -> Result<OrganisationFields, ImportError> {
        let mut input = self.input.clone();
        if self.has("part_of") {
            input.part_of = Some(part_of);
        }
        let mut f = match existing {
            None => {
                for (missing, column, what) in [
                    (input.name.is_none(), "name", "a name"),
                    (input.kind.is_none(), "kind", "a kind"),
                ] {
                    if missing {
                        return Err(ImportError::new(
                            self.line,
                            column,
                            format!("a new organisation needs {what}"),
                        ));
                    }
                }
                OrganisationFields::default()
            }
            Some(e) => e.clone(),
        };
        f.apply(input).map_err(|e| on_column(self.line, e))?;
        if self.has("region") && self.input.region.is_none() {
            f.region = None;
        }
        Ok(f)
    }
}

/// `true`/`false` as a cell may say it.
fn boolean(s: &str) -> Result<bool, String> {
    match s.to_lowercase().as_str() {
        "" | "false" | "no" | "nee" | "0" => Ok(false),
        "true" | "yes" | "ja" | "1" => Ok(true),
        _ => Err(format!(
            "true or false (also yes/no, ja/nee, 1/0), got `{s}`"
        )),
    }
}

/// A time in RFC 3339 (`2027-03-01T13:00:00+01:00`).
fn time(column: &str, s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if s.is_empty() {
        let what = if column == "starts_at" {
            "start"
        } else {
            "end"
        };
        return Err(format!("an event needs its {what} time"));
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| format!("a time in RFC 3339 such as 2027-03-01T13:00:00+01:00, got `{s}`"))
}

/// Validates event records: organisers by slug or name, featured initiatives by slug
/// (the store finds them). The valid records, and every problem.
pub fn parse_events(
    raw: &[RawRecord],
    names: &ImportNames,
) -> (Vec<EventRecord>, Vec<ImportError>) {
    let mut errors = Vec::new();
    let mut records = Vec::new();
    let mut seen = HashMap::new();
    for r in raw {
        let before = errors.len();
        let mut input = EventInput::default();
        let (mut slug, mut state, mut initiatives) = (None, None, None);
        let columns = walk(
            r,
            ImportKind::Events,
            &EVENT_LIST_COLUMNS,
            &mut errors,
            |column, one, list| {
                let check = |r: Result<String, crate::DomainError>| r.map_err(|e| e.message);
                match column {
                    "slug" => slug_cell(one, &mut slug)?,
                    "title" if one.is_empty() => return Err("an event needs a title".into()),
                    "title" => input.title = Some(check(validate::title(column, one))?),
                    "summary" => input.summary = Some(one.to_owned()),
                    "kind" if one.is_empty() => return Err("an event needs a kind".into()),
                    "kind" => input.kind = Some(term::<EventKind>(names, one)?),
                    "status" => state = status(one)?,
                    "starts_at" => input.starts_at = Some(time(column, one)?),
                    "ends_at" => input.ends_at = Some(time(column, one)?),
                    "location" => input.location = Some(one.to_owned()),
                    "online" => input.online = Some(boolean(one)?),
                    "region" => input.region = optional_term(names, one)?,
                    "website" if !one.is_empty() => {
                        input.website = Some(check(validate::url(column, one))?);
                    }
                    "website" => input.website = Some(String::new()),
                    "themes" => input.themes = Some(taxonomy(list, "theme", |n| names.theme(n))?),
                    "topics" => input.topics = Some(taxonomy(list, "topic", |n| names.topic(n))?),
                    "organisers" if list.is_empty() => {
                        return Err("an event needs an organiser".into());
                    }
                    "organisers" => input.organisers = Some(organisations(names, list)?),
                    "initiatives" => initiatives = Some(list.to_vec()),
                    _ => {}
                }
                Ok(())
            },
        );
        let Some(slug) = key(r, slug, input.title.as_deref(), &mut errors) else {
            continue;
        };
        if let (Some(s), Some(e)) = (input.starts_at, input.ends_at)
            && let Err(e) = validate::event_times("ends_at", s, e)
        {
            errors.push(ImportError::new(r.line, "ends_at", e.message));
        }
        first_of_slug(&mut seen, &slug, r.line, &mut errors);
        if errors.len() == before {
            records.push(EventRecord {
                line: r.line,
                slug,
                status: state,
                initiatives,
                columns,
                input,
            });
        }
    }
    (records, errors)
}

impl EventRecord {
    /// Whether the record gives `column`.
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains(&column)
    }

    /// The content after the import: the record over the `existing` content (or alone for
    /// a new event, which needs a title, a kind, its times and an organiser), featuring
    /// `initiatives` when the record gives the column.
    pub fn fields(
        &self,
        existing: Option<&EventFields>,
        initiatives: Option<Vec<InitiativeId>>,
    ) -> Result<EventFields, ImportError> {
        let mut input = self.input.clone();
        input.initiatives = initiatives;
        let mut f = match existing {
            None => {
                for (missing, column, what) in [
                    (input.title.is_none(), "title", "a title"),
                    (input.kind.is_none(), "kind", "a kind"),
                    (input.starts_at.is_none(), "starts_at", "its start time"),
                    (input.ends_at.is_none(), "ends_at", "its end time"),
                    (input.organisers.is_none(), "organisers", "an organiser"),
                ] {
                    if missing {
                        return Err(ImportError::new(
                            self.line,
                            column,
                            format!("a new event needs {what}"),
                        ));
                    }
                }
                EventFields::default()
            }
            Some(e) => e.clone(),
        };
        f.apply(input).map_err(|e| on_column(self.line, e))?;
        if self.has("region") && self.input.region.is_none() {
            f.region = None;
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Cell;

    fn names() -> ImportNames {
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

    fn record(line: usize, cells: &[(&str, &str)]) -> RawRecord {
        RawRecord {
            line,
            cells: cells
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Cell::Text((*v).to_owned())))
                .collect(),
        }
    }

    #[test]
    fn an_organisation_is_part_of_one_in_the_database_or_earlier_in_the_file() {
        let raw = [
            record(
                2,
                &[
                    ("name", "Faculteit Zorg"),
                    ("kind", "hogeschool"),
                    ("part_of", "Hogeschool Lagewaard"),
                ],
            ),
            record(
                3,
                &[
                    ("name", "Lectoraat Welzijn"),
                    ("kind", "university_of_applied_sciences"),
                    ("part_of", "faculteit zorg"),
                    ("region", "UTRECHT"),
                ],
            ),
            record(
                4,
                &[
                    ("name", "Los"),
                    ("kind", "Hogeschool"),
                    ("part_of", "later"),
                ],
            ),
            record(
                5,
                &[("slug", "later"), ("name", "Later"), ("kind", "hogeschool")],
            ),
        ];
        let (records, errors) = parse_organisations(&raw, &names());
        assert_eq!(
            errors,
            vec![ImportError::new(
                4,
                "part_of",
                "unknown organisation `later` (a slug or a name, in the database or on an earlier line)"
            )]
        );
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].slug, "faculteit-zorg");
        assert_eq!(
            records[0].part_of,
            Some(Some(ParentRef::Stored(OrganisationId(1))))
        );
        assert_eq!(
            records[1].part_of,
            Some(Some(ParentRef::InFile("faculteit-zorg".into())))
        );
        let f = records[1]
            .fields(None, Some(OrganisationId(9)))
            .expect("fields");
        assert_eq!(f.name, "Lectoraat Welzijn");
        assert_eq!(f.kind, Some(OrganisationKind::UniversityOfAppliedSciences));
        assert_eq!(f.region, Some(Region::Utrecht));
        assert_eq!(f.part_of, Some(OrganisationId(9)));
    }

    #[test]
    fn an_event_record_reads_times_flags_and_organisers_and_reports_every_bad_cell() {
        let raw = [
            record(
                2,
                &[
                    ("title", "Webinar veerkracht"),
                    ("kind", "webinar"),
                    ("starts_at", "2027-03-01T13:00:00+01:00"),
                    ("ends_at", "2027-03-01T14:30:00+01:00"),
                    ("online", "ja"),
                    ("themes", "Ondersteuning"),
                    ("organisers", "hogeschool-lagewaard"),
                    ("initiatives", "een; twee"),
                    ("status", "published"),
                ],
            ),
            record(
                3,
                &[
                    ("title", "Fout"),
                    ("kind", "borrel"),
                    ("starts_at", "1 maart"),
                    ("online", "misschien"),
                    ("organisers", "niemand"),
                ],
            ),
            record(
                4,
                &[
                    ("title", "Omgekeerd"),
                    ("starts_at", "2027-03-01T13:00:00Z"),
                    ("ends_at", "2027-03-01T12:00:00Z"),
                ],
            ),
        ];
        let (records, errors) = parse_events(&raw, &names());
        let at: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            at,
            vec![
                (3, "kind"),
                (3, "starts_at"),
                (3, "online"),
                (3, "organisers"),
                (4, "ends_at")
            ]
        );
        assert_eq!(records.len(), 1);
        let r = &records[0];
        assert_eq!(r.slug, "webinar-veerkracht");
        assert_eq!(r.status, Some(Status::Published));
        assert_eq!(
            r.initiatives,
            Some(vec!["een".to_owned(), "twee".to_owned()])
        );
        let f = r
            .fields(None, Some(vec![InitiativeId(3), InitiativeId(2)]))
            .expect("fields");
        assert!(f.online);
        assert_eq!(f.themes, vec!["support".to_owned()]);
        assert_eq!(f.organisers, vec![OrganisationId(1)]);
        assert_eq!(f.initiatives, vec![InitiativeId(2), InitiativeId(3)]);
        assert_eq!(
            f.starts_at.map(|t| t.to_rfc3339()),
            Some("2027-03-01T12:00:00+00:00".to_owned())
        );
    }

    #[test]
    fn a_new_event_needs_its_times_and_an_update_keeps_what_the_record_leaves_out() {
        let raw = record(2, &[("slug", "bestaand"), ("location", "Utrecht")]);
        let r = parse_events(&[raw], &names()).0.remove(0);
        let e = r.fields(None, None).expect_err("new needs a title");
        assert_eq!((e.line, e.field.as_str()), (2, "title"));
        let existing = EventFields {
            title: "Bestaand".into(),
            kind: Some(EventKind::Webinar),
            organisers: vec![OrganisationId(1)],
            ..Default::default()
        };
        let f = r.fields(Some(&existing), None).expect("update");
        assert_eq!(f.location.as_deref(), Some("Utrecht"));
        assert_eq!(f.title, "Bestaand");
        assert_eq!(f.organisers, vec![OrganisationId(1)]);
    }
}
