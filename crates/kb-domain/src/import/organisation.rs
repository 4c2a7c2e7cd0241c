//! Organisation records: their columns, reading and validating them (`part_of` may name
//! an organisation an earlier record of the same file creates), and their content over
//! what is stored.

use std::collections::HashMap;

use super::cells::{
    first_of_slug, key, on_column, optional_term, required_for_new, slug_cell, term, walk,
};
use super::{ImportError, ImportKind, ImportNames, RawRecord};
use crate::id::OrganisationId;
use crate::input::{OrganisationFields, OrganisationInput};
use crate::validate;

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
                required_for_new(
                    self.line,
                    "organisation",
                    &[
                        (input.name.is_none(), "name", "a name"),
                        (input.kind.is_none(), "kind", "a kind"),
                    ],
                )?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::cells::fixtures::{names, record};
    use crate::vocab::{OrganisationKind, Region};
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
}
