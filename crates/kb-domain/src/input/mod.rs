//! Inputs of mutations: patches of optional fields, validated field by field into the
//! complete, clean state that is stored. On an error, nothing of a patch is applied.

/// Events.
mod event;
/// Initiatives.
mod initiative;
/// Organisations.
mod organisation;

pub use event::{EventFields, EventInput};
pub use initiative::{InitiativeFields, InitiativeInput};
pub use organisation::{OrganisationFields, OrganisationInput};

use crate::error::DomainError;

fn optional_text(
    field: &str,
    s: String,
    check: fn(&str, &str) -> Result<String, DomainError>,
) -> Result<Option<String>, DomainError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        check(field, &s).map(Some)
    }
}

fn dedup<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

fn short_text(field: &str, s: &str, max: usize) -> Result<String, DomainError> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > max {
        return Err(DomainError::bad_input(
            field,
            format!("at most {max} characters"),
        ));
    }
    Ok(t)
}
