//! Event records: their columns, reading and validating them (organisers by slug or
//! name, featured initiatives by slug), and their content over what is stored.

use std::collections::HashMap;

use super::cells::{
    first_of_slug, key, on_column, optional_term, organisations, required_for_new, slug_cell,
    status, taxonomy, term, walk,
};
use super::{ImportError, ImportKind, ImportNames, RawRecord};
use crate::id::InitiativeId;
use crate::input::{EventFields, EventInput};
use crate::validate;
use crate::vocab::{EventKind, Status};

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
                required_for_new(
                    self.line,
                    "event",
                    &[
                        (input.title.is_none(), "title", "a title"),
                        (input.kind.is_none(), "kind", "a kind"),
                        (input.starts_at.is_none(), "starts_at", "its start time"),
                        (input.ends_at.is_none(), "ends_at", "its end time"),
                        (input.organisers.is_none(), "organisers", "an organiser"),
                    ],
                )?;
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
    use crate::id::OrganisationId;
    use crate::import::cells::fixtures::{names, record};
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
