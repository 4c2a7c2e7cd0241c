//! Initiative records: reading each record's cells into an initiative's input, and its
//! content and status over what is stored.

use std::collections::HashMap;

use super::cells::{optional_term, organisations, status, taxonomy, term};
use super::{
    COLUMNS, ImportError, ImportKind, ImportNames, LIST_COLUMNS, RawRecord, column_of,
    unknown_column,
};
use crate::id::OrganisationId;
use crate::input::{InitiativeFields, InitiativeInput};
use crate::slug::{is_slug, slugify};
use crate::validate;
use crate::vocab::*;

/// One valid record: the initiative with `slug`, as far as the record's columns say.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    /// The line the record starts on.
    pub line: usize,
    /// The key of the upsert: the record's slug, or its title's.
    pub slug: String,
    /// The status to give the initiative; `None` keeps it (a new one is a DRAFT).
    pub status: Option<Status>,
    /// The columns the record gives, empty ones included.
    columns: Vec<&'static str>,
    /// The values of those columns (`None` where a cell was empty).
    input: InitiativeInput,
    lead: Option<OrganisationId>,
    partners: Vec<OrganisationId>,
    funders: Vec<OrganisationId>,
}

/// Validates every record against `names`: the valid records, and every problem of the
/// others, in file order. A slug given twice is a problem of its later record.
pub fn parse_records(
    raw: &[RawRecord],
    names: &ImportNames,
) -> (Vec<ImportRecord>, Vec<ImportError>) {
    let mut errors = Vec::new();
    let mut records = Vec::new();
    let mut lines_of_slugs: HashMap<String, usize> = HashMap::new();
    for r in raw {
        let before = errors.len();
        let record = parse(r, names, &mut errors);
        if let Some(record) = record {
            if let Some(first) = lines_of_slugs.get(&record.slug) {
                errors.push(ImportError::new(
                    r.line,
                    "slug",
                    format!("the slug `{}` is also on line {first}", record.slug),
                ));
            } else {
                lines_of_slugs.insert(record.slug.clone(), r.line);
            }
            if errors.len() == before {
                records.push(record);
            }
        }
    }
    (records, errors)
}

fn terms<V: Vocabulary>(names: &ImportNames, values: &[String]) -> Result<Vec<V>, String> {
    values.iter().map(|v| term(names, v)).collect()
}

fn year(column: &str, s: &str) -> Result<Option<i32>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    let y: i32 = s
        .parse()
        .map_err(|_| format!("a year is a whole number, got `{s}`"))?;
    validate::year(column, y).map(Some).map_err(|e| e.message)
}

/// Reads one record, adding its problems to `errors`. `None` when it has no key.
fn parse(
    r: &RawRecord,
    names: &ImportNames,
    errors: &mut Vec<ImportError>,
) -> Option<ImportRecord> {
    let mut rec = ImportRecord {
        line: r.line,
        slug: String::new(),
        status: None,
        columns: Vec::new(),
        input: InitiativeInput::default(),
        lead: None,
        partners: Vec::new(),
        funders: Vec::new(),
    };
    let mut slug = None;
    for (name, cell) in &r.cells {
        let Some(column) = COLUMNS.iter().copied().find(|c| c == name) else {
            errors.push(ImportError::new(
                r.line,
                name.as_str(),
                unknown_column(ImportKind::Initiatives),
            ));
            continue;
        };
        if rec.columns.contains(&column) {
            errors.push(ImportError::new(
                r.line,
                column,
                "the column is given twice",
            ));
            continue;
        }
        rec.columns.push(column);
        let list = cell.list();
        let one = if LIST_COLUMNS.contains(&column) {
            Ok(String::new())
        } else {
            cell.single()
        };
        let outcome =
            one.and_then(|one| read_cell(&mut rec, &mut slug, names, column, &one, &list));
        if let Err(message) = outcome {
            errors.push(ImportError::new(r.line, column, message));
        }
    }
    let slug = match (slug, &rec.input.title) {
        (Some(s), _) => s,
        (None, Some(title)) if !slugify(title).is_empty() => slugify(title),
        // A bad slug is reported already.
        _ if errors.iter().any(|e| e.line == r.line && e.field == "slug") => return None,
        _ => {
            errors.push(ImportError::new(
                r.line,
                "slug",
                "a record needs a slug, or a title to make one from",
            ));
            return None;
        }
    };
    rec.slug = slug;
    if let (Some(start), Some(end)) = (rec.input.start_year, rec.input.end_year)
        && end < start
    {
        errors.push(ImportError::new(
            r.line,
            "end_year",
            format!("end year may not be before start year {start}, got {end}"),
        ));
    }
    let mut seen = Vec::new();
    for (column, ids) in [
        (
            "lead_organisation",
            rec.lead.iter().copied().collect::<Vec<_>>(),
        ),
        ("partners", rec.partners.clone()),
        ("funders", rec.funders.clone()),
    ] {
        for id in ids {
            if seen.contains(&id) {
                errors.push(ImportError::new(
                    r.line,
                    column,
                    "an organisation is listed twice",
                ));
            }
            seen.push(id);
        }
    }
    Some(rec)
}

/// Reads the cell of `column` into the record: `one` is the cell as one value, `list`
/// as a list.
fn read_cell(
    rec: &mut ImportRecord,
    slug: &mut Option<String>,
    names: &ImportNames,
    column: &str,
    one: &str,
    list: &[String],
) -> Result<(), String> {
    let input = &mut rec.input;
    let check = |r: Result<String, crate::DomainError>| r.map_err(|e| e.message);
    match column {
        "slug" if one.is_empty() => {}
        "slug" if is_slug(one) => *slug = Some(one.to_owned()),
        "slug" => {
            return Err(
                "a slug is 1 to 80 lower case letters, digits and single hyphens".to_owned(),
            );
        }
        "title" => input.title = Some(check(validate::title(column, one))?),
        "summary" if one.is_empty() => input.summary = Some(String::new()),
        "summary" => input.summary = Some(check(validate::summary(column, one))?),
        "title_en" if one.is_empty() => input.title_en = Some(String::new()),
        "title_en" => input.title_en = Some(check(validate::title(column, one))?),
        "summary_en" if one.is_empty() => input.summary_en = Some(String::new()),
        "summary_en" => input.summary_en = Some(check(validate::summary(column, one))?),
        "body" => input.body = Some(check(validate::body(column, one))?),
        "kind" if one.is_empty() => return Err("an initiative needs a kind".to_owned()),
        "kind" => input.kind = Some(term(names, one)?),
        "status" => rec.status = status(one)?,
        "themes" => input.themes = Some(taxonomy(list, "theme", |n| names.theme(n))?),
        "topics" => input.topics = Some(taxonomy(list, "topic", |n| names.topic(n))?),
        "lead_organisation" if one.is_empty() => {
            return Err("an initiative needs its lead organisation".to_owned());
        }
        "lead_organisation" => {
            rec.lead = organisations(names, &[one.to_owned()])?.first().copied();
        }
        "partners" => rec.partners = organisations(names, list)?,
        "funders" => rec.funders = organisations(names, list)?,
        "languages" => {
            let codes: Vec<String> = list.iter().map(|l| l.to_lowercase()).collect();
            input.languages = Some(validate::languages(column, &codes).map_err(|e| e.message)?);
        }
        "target_groups" => input.target_groups = Some(terms(names, list)?),
        "education_levels" => input.education_levels = Some(terms(names, list)?),
        "format" => input.format = optional_term(names, one)?,
        "cost" => input.cost = optional_term(names, one)?,
        "prevention_level" => input.prevention_level = optional_term(names, one)?,
        "evidence_level" => input.evidence_level = optional_term(names, one)?,
        "region" => input.region = optional_term(names, one)?,
        "start_year" => input.start_year = year(column, one)?,
        "end_year" => input.end_year = year(column, one)?,
        "website" if one.is_empty() => input.website = Some(String::new()),
        "website" => input.website = Some(check(validate::url(column, one))?),
        "contact_email" if one.is_empty() => input.contact_email = Some(String::new()),
        "contact_email" => input.contact_email = Some(check(validate::email(column, one))?),
        _ => {}
    }
    Ok(())
}

impl ImportRecord {
    /// Whether the record gives `column`.
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains(&column)
    }

    /// The content of the initiative after the import: the record's columns over the
    /// `existing` content, or alone for a new initiative (which needs a title, a kind and
    /// a lead organisation). The organisations come out ordered by id, as stored.
    pub fn fields(
        &self,
        existing: Option<&InitiativeFields>,
    ) -> Result<InitiativeFields, ImportError> {
        let mut input = self.input.clone();
        let roles = [
            (
                "lead_organisation",
                OrganisationRole::Lead,
                self.lead.iter().copied().collect::<Vec<_>>(),
            ),
            ("partners", OrganisationRole::Partner, self.partners.clone()),
            ("funders", OrganisationRole::Funder, self.funders.clone()),
        ];
        if roles.iter().any(|(c, _, _)| self.has(c)) {
            let mut list = Vec::new();
            for (column, role, ids) in roles {
                if self.has(column) {
                    list.extend(ids.into_iter().map(|id| (id, role)));
                } else if let Some(e) = existing {
                    list.extend(e.organisations.iter().filter(|(_, r)| *r == role).copied());
                }
            }
            input.organisations = Some(list);
        }
        let error = |e: crate::DomainError| {
            let field = e
                .field
                .as_deref()
                .map_or_else(|| "record".to_owned(), column_of);
            ImportError::new(self.line, field, e.message)
        };
        let mut fields = match existing {
            None => InitiativeFields::create(input).map_err(error)?,
            Some(e) => {
                let mut f = e.clone();
                // Empty cells clear first, so that a range is checked as it will be.
                self.clear(&mut f);
                f.apply(input).map_err(error)?;
                f
            }
        };
        fields.organisations.sort();
        Ok(fields)
    }

    /// Whether `fields` may have `status`: a submitted or published initiative needs a
    /// summary, a theme, a topic and an organisation.
    pub fn check_status(
        &self,
        fields: &InitiativeFields,
        status: Status,
    ) -> Result<(), ImportError> {
        if matches!(status, Status::Submitted | Status::Published) {
            fields.check_complete().map_err(|e| {
                let field = e
                    .field
                    .as_deref()
                    .map_or_else(|| "status".to_owned(), column_of);
                ImportError::new(
                    self.line,
                    field,
                    format!("{} ({})", e.message, status.code()),
                )
            })?;
        }
        Ok(())
    }

    /// Clears the optional fields whose cells are empty (a patch cannot say "none").
    fn clear(&self, f: &mut InitiativeFields) {
        let i = &self.input;
        let empty = |column: &str, is_none: bool| self.has(column) && is_none;
        if empty("format", i.format.is_none()) {
            f.format = None;
        }
        if empty("cost", i.cost.is_none()) {
            f.cost = None;
        }
        if empty("prevention_level", i.prevention_level.is_none()) {
            f.prevention_level = None;
        }
        if empty("evidence_level", i.evidence_level.is_none()) {
            f.evidence_level = None;
        }
        if empty("region", i.region.is_none()) {
            f.region = None;
        }
        if empty("start_year", i.start_year.is_none()) {
            f.start_year = None;
        }
        if empty("end_year", i.end_year.is_none()) {
            f.end_year = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Cell;

    fn names() -> ImportNames {
        let mut n = ImportNames::default();
        n.add_term("initiative_kind", "guide", "Handreiking", "Guide");
        n.add_term("region", "utrecht", "Utrecht", "Utrecht");
        n.add_term("target_group", "students", "Studenten", "Students");
        n.add_theme("support", "Ondersteuning", "Support");
        n.add_topic("resilience", "Veerkracht", "Resilience");
        n.add_organisation(
            OrganisationId(1),
            "hogeschool-lagewaard",
            "Hogeschool Lagewaard",
        );
        n.add_organisation(OrganisationId(2), "fonds-welzijn", "Fonds Welzijn");
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
    fn a_record_resolves_codes_and_labels_into_an_initiative() {
        let raw = record(
            2,
            &[
                ("title", "Veerkracht  in het eerste jaar"),
                ("kind", "handreiking"),
                ("themes", "Ondersteuning"),
                ("topics", "resilience"),
                ("lead_organisation", "Hogeschool Lagewaard"),
                ("funders", "fonds-welzijn"),
                ("target_groups", "STUDENTS"),
                ("languages", "NL; en"),
                ("region", "utrecht"),
                ("start_year", "2024"),
                ("status", "Published"),
            ],
        );
        let (records, errors) = parse_records(&[raw], &names());
        assert_eq!(errors, Vec::new());
        let r = &records[0];
        assert_eq!(r.slug, "veerkracht-in-het-eerste-jaar");
        assert_eq!(r.status, Some(Status::Published));
        let f = r.fields(None).expect("fields");
        assert_eq!(f.title, "Veerkracht in het eerste jaar");
        assert_eq!(f.kind, Some(InitiativeKind::Guide));
        assert_eq!(f.themes, vec!["support".to_owned()]);
        assert_eq!(f.languages, vec!["en".to_owned(), "nl".to_owned()]);
        assert_eq!(f.target_groups, vec![TargetGroup::Students]);
        assert_eq!(f.region, Some(Region::Utrecht));
        assert_eq!(
            f.organisations,
            vec![
                (OrganisationId(1), OrganisationRole::Lead),
                (OrganisationId(2), OrganisationRole::Funder)
            ]
        );
    }

    #[test]
    fn lists_come_as_arrays_or_as_text_and_a_list_in_a_single_column_is_refused() {
        let raw = RawRecord {
            line: 3,
            cells: vec![
                ("title".into(), Cell::Text("Lijsten".into())),
                (
                    "themes".into(),
                    Cell::List(vec!["support".into(), "Ondersteuning".into()]),
                ),
                ("topics".into(), Cell::Text("resilience".into())),
                (
                    "kind".into(),
                    Cell::List(vec!["guide".into(), "tool".into()]),
                ),
            ],
        };
        let (_, errors) = parse_records(&[raw], &names());
        assert_eq!(
            errors,
            vec![ImportError::new(
                3,
                "kind",
                "one value expected, got a list"
            )]
        );
    }

    #[test]
    fn every_bad_cell_of_every_record_is_reported() {
        let raw = [
            record(
                2,
                &[("title", "Goed"), ("kind", "gids"), ("region", "Mars")],
            ),
            record(
                3,
                &[
                    ("title", "Ook goed"),
                    ("themes", "support;vrije tijd"),
                    ("start_year", "twintig"),
                ],
            ),
            record(
                4,
                &[
                    ("slug", "Niet Goed"),
                    ("website", "javascript:alert(1)"),
                    ("colour", "red"),
                ],
            ),
            record(
                5,
                &[
                    ("title", "Vijf"),
                    ("start_year", "2024"),
                    ("end_year", "2020"),
                ],
            ),
            record(6, &[("title", "Goed")]),
        ];
        let (valid, errors) = parse_records(&raw, &names());
        assert_eq!(valid.len(), 0);
        let at: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            at,
            vec![
                (2, "kind"),
                (2, "region"),
                (3, "themes"),
                (3, "start_year"),
                (4, "slug"),
                (4, "website"),
                (4, "colour"),
                (5, "end_year"),
                (6, "slug"),
            ]
        );
        assert_eq!(errors[6].line, 4);
        assert!(
            errors[2].message.contains("`vrije tijd`"),
            "{}",
            errors[2].message
        );
    }

    #[test]
    fn a_new_initiative_needs_title_kind_and_lead_and_absent_columns_keep_existing_values() {
        let raw = record(
            2,
            &[("slug", "bestaand"), ("region", ""), ("summary", "Nieuw")],
        );
        let r = parse_records(&[raw], &names()).0.remove(0);
        let e = r.fields(None).expect_err("new needs a title");
        assert_eq!((e.line, e.field.as_str()), (2, "title"));
        let existing = InitiativeFields {
            title: "Bestaand".into(),
            kind: Some(InitiativeKind::Guide),
            region: Some(Region::Utrecht),
            start_year: Some(2020),
            organisations: vec![(OrganisationId(1), OrganisationRole::Lead)],
            ..Default::default()
        };
        let f = r.fields(Some(&existing)).expect("update");
        assert_eq!(f.summary, "Nieuw");
        assert_eq!(f.region, None);
        assert_eq!(f.start_year, Some(2020));
        assert_eq!(f.title, "Bestaand");
        assert_eq!(f.organisations, existing.organisations);
    }
}
