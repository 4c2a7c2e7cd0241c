//! Events: what a client sends to create or change one, and the validated content that
//! is stored.

use super::{dedup, optional_text, short_text};
use crate::error::DomainError;
use crate::id::{InitiativeId, OrganisationId};
use crate::validate;
use crate::vocab::*;

/// What a client sends to create or change an event; `None` leaves a field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub kind: Option<EventKind>,
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ends_at: Option<chrono::DateTime<chrono::Utc>>,
    pub location: Option<String>,
    pub online: Option<bool>,
    pub region: Option<Region>,
    pub website: Option<String>,
    pub themes: Option<Vec<String>>,
    pub topics: Option<Vec<String>>,
    /// Organisation row ids; at least one.
    pub organisers: Option<Vec<OrganisationId>>,
    /// Featured initiative row ids.
    pub initiatives: Option<Vec<InitiativeId>>,
}

/// The validated content of an event.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventFields {
    pub title: String,
    pub summary: String,
    pub kind: Option<EventKind>,
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ends_at: Option<chrono::DateTime<chrono::Utc>>,
    pub location: Option<String>,
    pub online: bool,
    pub region: Option<Region>,
    pub website: Option<String>,
    pub themes: Vec<String>,
    pub topics: Vec<String>,
    pub organisers: Vec<OrganisationId>,
    pub initiatives: Vec<InitiativeId>,
}

impl EventFields {
    /// A new event needs a title, a kind, its times and an organiser.
    pub fn create(input: EventInput) -> Result<Self, DomainError> {
        for (missing, field) in [
            (input.title.is_none(), "input.title"),
            (input.kind.is_none(), "input.kind"),
            (input.starts_at.is_none(), "input.startsAt"),
            (input.ends_at.is_none(), "input.endsAt"),
            (
                input.organisers.as_ref().is_none_or(|o| o.is_empty()),
                "input.organisers",
            ),
        ] {
            if missing {
                return Err(DomainError::bad_input(
                    field,
                    format!("a new event needs {field}"),
                ));
            }
        }
        let mut f = EventFields::default();
        f.apply(input)?;
        Ok(f)
    }

    /// Applies a patch; on error nothing is applied.
    pub fn apply(&mut self, input: EventInput) -> Result<(), DomainError> {
        let mut next = self.clone();
        if let Some(t) = input.title {
            next.title = validate::title("input.title", &t)?;
        }
        if let Some(s) = input.summary {
            next.summary = if s.trim().is_empty() {
                String::new()
            } else {
                validate::summary("input.summary", &s)?
            };
        }
        next.kind = input.kind.or(next.kind);
        next.starts_at = input.starts_at.or(next.starts_at);
        next.ends_at = input.ends_at.or(next.ends_at);
        if let (Some(s), Some(e)) = (next.starts_at, next.ends_at) {
            validate::event_times("input.endsAt", s, e)?;
        }
        if let Some(l) = input.location {
            next.location = Some(short_text("input.location", &l, 200)?).filter(|l| !l.is_empty());
        }
        next.online = input.online.unwrap_or(next.online);
        next.region = input.region.or(next.region);
        if let Some(w) = input.website {
            next.website = optional_text("input.website", w, validate::url)?;
        }
        if let Some(t) = input.themes {
            next.themes = dedup(t);
        }
        if let Some(t) = input.topics {
            next.topics = dedup(t);
        }
        if let Some(o) = input.organisers {
            if o.is_empty() {
                return Err(DomainError::bad_input(
                    "input.organisers",
                    "an event needs an organiser",
                ));
            }
            next.organisers = dedup(o);
        }
        if let Some(i) = input.initiatives {
            if i.len() > 50 {
                return Err(DomainError::bad_input(
                    "input.initiatives",
                    "at most 50 featured initiatives",
                ));
            }
            next.initiatives = dedup(i);
        }
        *self = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_event_ends_after_it_starts() {
        let at = |h| chrono::Utc.with_ymd_and_hms(2027, 3, 1, h, 0, 0).single();
        let input = EventInput {
            title: Some("Netwerkdag".into()),
            kind: Some(EventKind::NetworkMeeting),
            starts_at: at(13),
            ends_at: at(12),
            organisers: Some(vec![OrganisationId(1)]),
            ..Default::default()
        };
        assert_eq!(
            EventFields::create(input.clone())
                .expect_err("reversed")
                .field
                .as_deref(),
            Some("input.endsAt")
        );
        assert!(
            EventFields::create(EventInput {
                ends_at: at(17),
                ..input
            })
            .is_ok()
        );
    }
}
