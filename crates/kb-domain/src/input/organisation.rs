//! Organisations: what a client sends to create or change one, and the validated
//! content that is stored.

use super::{optional_text, short_text};
use crate::error::DomainError;
use crate::id::OrganisationId;
use crate::validate;
use crate::vocab::*;

/// What a client sends to create or change an organisation; `None` leaves a field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganisationInput {
    pub name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub region: Option<Region>,
    pub city: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    /// The organisation this one is part of (row id); `Some(None)` detaches it.
    pub part_of: Option<Option<OrganisationId>>,
}

/// The validated content of an organisation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrganisationFields {
    pub name: String,
    pub kind: Option<OrganisationKind>,
    pub region: Option<Region>,
    pub city: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub description_nl: String,
    pub description_en: Option<String>,
    pub part_of: Option<OrganisationId>,
}

impl OrganisationFields {
    /// A new organisation needs a name and a kind.
    pub fn create(input: OrganisationInput) -> Result<Self, DomainError> {
        if input.name.is_none() {
            return Err(DomainError::bad_input(
                "input.name",
                "a new organisation needs a name",
            ));
        }
        if input.kind.is_none() {
            return Err(DomainError::bad_input(
                "input.kind",
                "a new organisation needs a kind",
            ));
        }
        let mut f = OrganisationFields::default();
        f.apply(input)?;
        Ok(f)
    }

    /// Applies a patch; on error nothing is applied.
    pub fn apply(&mut self, input: OrganisationInput) -> Result<(), DomainError> {
        let mut next = self.clone();
        if let Some(n) = input.name {
            next.name = validate::title("input.name", &n)?;
        }
        next.kind = input.kind.or(next.kind);
        next.region = input.region.or(next.region);
        if let Some(c) = input.city {
            next.city = Some(short_text("input.city", &c, 100)?).filter(|c| !c.is_empty());
        }
        if let Some(w) = input.website {
            next.website = optional_text("input.website", w, validate::url)?;
        }
        if let Some(e) = input.email {
            next.email = optional_text("input.email", e, validate::email)?;
        }
        if let Some(d) = input.description_nl {
            next.description_nl = validate::body("input.descriptionNl", &d)?;
        }
        if let Some(d) = input.description_en {
            let d = validate::body("input.descriptionEn", &d)?;
            next.description_en = (!d.is_empty()).then_some(d);
        }
        if let Some(p) = input.part_of {
            next.part_of = p;
        }
        *self = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_needs_name_and_kind() {
        let e = OrganisationFields::create(OrganisationInput {
            name: Some("X".into()),
            ..Default::default()
        });
        assert_eq!(e.expect_err("kind").field.as_deref(), Some("input.kind"));
        let f = OrganisationFields::create(OrganisationInput {
            name: Some(" Hogeschool  Lagewaard ".into()),
            kind: Some(OrganisationKind::UniversityOfAppliedSciences),
            email: Some("welzijn@lagewaard.example".into()),
            ..Default::default()
        })
        .expect("valid");
        assert_eq!(f.name, "Hogeschool Lagewaard");
    }
}
