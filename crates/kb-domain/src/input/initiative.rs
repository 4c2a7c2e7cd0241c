use super::{dedup, optional_text};
use crate::error::{DomainError, Problems};
use crate::id::OrganisationId;
use crate::validate;
use crate::vocab::*;

/// What a client sends to create or change an initiative. `None` leaves a field as it
/// is; an empty string clears an optional text (website, contact, body, the English
/// title and summary).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InitiativeInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// The title in English; the Dutch one stays the primary title.
    pub title_en: Option<String>,
    /// The summary in English.
    pub summary_en: Option<String>,
    pub body: Option<String>,
    pub kind: Option<InitiativeKind>,
    pub format: Option<Format>,
    pub cost: Option<Cost>,
    pub prevention_level: Option<PreventionLevel>,
    pub evidence_level: Option<EvidenceLevel>,
    pub region: Option<Region>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    /// Whether the contact address is a person's, published with their consent and
    /// shown to signed-in people only.
    pub contact_personal: Option<bool>,
    pub languages: Option<Vec<String>>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub education_levels: Option<Vec<EducationLevel>>,
    /// Theme codes.
    pub themes: Option<Vec<String>>,
    /// Topic codes.
    pub topics: Option<Vec<String>>,
    /// Organisation row ids with their roles; exactly one LEAD.
    pub organisations: Option<Vec<(OrganisationId, OrganisationRole)>>,
}

/// The complete, validated content of an initiative (everything but its status).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InitiativeFields {
    pub title: String,
    pub summary: String,
    pub title_en: Option<String>,
    pub summary_en: Option<String>,
    pub body: Option<String>,
    pub kind: Option<InitiativeKind>,
    pub format: Option<Format>,
    pub cost: Option<Cost>,
    pub prevention_level: Option<PreventionLevel>,
    pub evidence_level: Option<EvidenceLevel>,
    pub region: Option<Region>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub contact_personal: bool,
    pub languages: Vec<String>,
    pub target_groups: Vec<TargetGroup>,
    pub education_levels: Vec<EducationLevel>,
    pub themes: Vec<String>,
    pub topics: Vec<String>,
    pub organisations: Vec<(OrganisationId, OrganisationRole)>,
}

impl InitiativeFields {
    /// The fields of a new initiative: a title, a kind and a lead organisation are
    /// required from the start.
    pub fn create(input: InitiativeInput) -> Result<Self, DomainError> {
        let mut p = Problems::default();
        if input.title.is_none() {
            p.push(DomainError::bad_input(
                "input.title",
                "a new initiative needs a title",
            ));
        }
        if input.kind.is_none() {
            p.push(DomainError::bad_input(
                "input.kind",
                "a new initiative needs a kind",
            ));
        }
        if input.organisations.as_ref().is_none_or(|o| o.is_empty()) {
            p.push(DomainError::bad_input(
                "input.organisations",
                "a new initiative needs its lead organisation",
            ));
        }
        let mut f = InitiativeFields::default();
        if let Err(e) = f.apply(input) {
            if e.problems.is_empty() {
                p.push(e);
            } else {
                for problem in e.problems {
                    p.push(DomainError::bad_input(problem.field, problem.message));
                }
            }
        }
        p.finish()?;
        Ok(f)
    }

    /// Applies a patch, validating every field it sets; on error nothing is applied, and
    /// the error lists every field at fault (see [`DomainError::problems`]).
    pub fn apply(&mut self, input: InitiativeInput) -> Result<(), DomainError> {
        let mut next = self.clone();
        let mut p = Problems::default();
        if let Some(t) = input.title {
            next.title = p
                .check(validate::title("input.title", &t))
                .unwrap_or(next.title);
        }
        if let Some(s) = input.summary {
            if s.trim().is_empty() {
                next.summary = String::new();
            } else if let Some(s) = p.check(validate::summary("input.summary", &s)) {
                next.summary = s;
            }
        }
        if let Some(t) = input.title_en
            && let Some(t) = p.check(optional_text("input.titleEn", t, validate::title))
        {
            next.title_en = t;
        }
        if let Some(s) = input.summary_en
            && let Some(s) = p.check(optional_text("input.summaryEn", s, validate::summary))
        {
            next.summary_en = s;
        }
        if let Some(b) = input.body
            && let Some(b) = p.check(validate::body("input.body", &b))
        {
            next.body = (!b.is_empty()).then_some(b);
        }
        if let Some(k) = input.kind {
            next.kind = Some(k);
        }
        next.format = input.format.or(next.format);
        next.cost = input.cost.or(next.cost);
        next.prevention_level = input.prevention_level.or(next.prevention_level);
        next.evidence_level = input.evidence_level.or(next.evidence_level);
        next.region = input.region.or(next.region);
        if let Some(y) = input.start_year {
            next.start_year = Some(y);
        }
        if let Some(y) = input.end_year {
            next.end_year = Some(y);
        }
        p.check(validate::year_range(
            "input.startYear",
            next.start_year,
            "input.endYear",
            next.end_year,
        ));
        if let Some(w) = input.website
            && let Some(w) = p.check(optional_text("input.website", w, validate::url))
        {
            next.website = w;
        }
        if let Some(e) = input.contact_email
            && let Some(e) = p.check(optional_text("input.contactEmail", e, validate::email))
        {
            next.contact_email = e;
        }
        if let Some(personal) = input.contact_personal {
            next.contact_personal = personal;
        }
        // Without an address there is nothing personal to hide.
        if next.contact_email.is_none() {
            next.contact_personal = false;
        }
        if let Some(l) = input.languages
            && let Some(l) = p.check(validate::languages("input.languages", &l))
        {
            next.languages = l;
        }
        if let Some(t) = input.target_groups {
            next.target_groups = dedup(t);
        }
        if let Some(e) = input.education_levels {
            next.education_levels = dedup(e);
        }
        if let Some(t) = input.themes {
            next.themes = dedup(t);
        }
        if let Some(t) = input.topics {
            next.topics = dedup(t);
        }
        if let Some(o) = input.organisations
            && let Some(o) = p.check(organisations(o))
        {
            next.organisations = o;
        }
        for (field, n, max) in [
            ("input.themes", next.themes.len(), 8),
            ("input.topics", next.topics.len(), 10),
            ("input.targetGroups", next.target_groups.len(), 8),
            ("input.educationLevels", next.education_levels.len(), 7),
        ] {
            if n > max {
                p.push(DomainError::bad_input(
                    field,
                    format!("at most {max} values, got {n}"),
                ));
            }
        }
        p.finish()?;
        *self = next;
        Ok(())
    }

    /// Whether two contents say the same, whatever order their lists are in.
    pub fn same_content(&self, other: &InitiativeFields) -> bool {
        fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
            let mut v = v.to_vec();
            v.sort();
            v
        }
        let lists = |f: &InitiativeFields| {
            (
                sorted(&f.languages),
                sorted(&f.target_groups),
                sorted(&f.education_levels),
                sorted(&f.themes),
                sorted(&f.topics),
                sorted(&f.organisations),
            )
        };
        let plain = |f: &InitiativeFields| InitiativeFields {
            languages: Vec::new(),
            target_groups: Vec::new(),
            education_levels: Vec::new(),
            themes: Vec::new(),
            topics: Vec::new(),
            organisations: Vec::new(),
            ..f.clone()
        };
        plain(self) == plain(other) && lists(self) == lists(other)
    }

    /// The lead organisation: the owner whose contributors may act on the initiative.
    pub fn lead(&self) -> Option<OrganisationId> {
        self.organisations
            .iter()
            .find(|(_, r)| *r == OrganisationRole::Lead)
            .map(|(id, _)| *id)
    }

    /// What an initiative needs before it can be submitted: a summary, at least one
    /// theme, topic and organisation, and a kind. The error lists every missing part.
    pub fn check_complete(&self) -> Result<(), DomainError> {
        let mut p = Problems::default();
        for (missing, field, message) in [
            (
                self.summary.trim().is_empty(),
                "input.summary",
                "a summary is required to submit",
            ),
            (
                self.themes.is_empty(),
                "input.themes",
                "at least one theme is required to submit",
            ),
            (
                self.topics.is_empty(),
                "input.topics",
                "at least one topic is required to submit",
            ),
            (
                self.organisations.is_empty(),
                "input.organisations",
                "at least one organisation is required to submit",
            ),
        ] {
            if missing {
                p.push(DomainError::bad_input(field, message));
            }
        }
        p.finish()
    }
}

/// The organisations of an initiative with their roles: none twice, exactly one LEAD,
/// at most 20.
fn organisations(
    o: Vec<(OrganisationId, OrganisationRole)>,
) -> Result<Vec<(OrganisationId, OrganisationRole)>, DomainError> {
    let mut seen = std::collections::HashSet::new();
    if o.iter().any(|(id, _)| !seen.insert(*id)) {
        return Err(DomainError::bad_input(
            "input.organisations",
            "an organisation is listed twice",
        ));
    }
    let leads = o
        .iter()
        .filter(|(_, r)| *r == OrganisationRole::Lead)
        .count();
    if leads != 1 {
        return Err(DomainError::bad_input(
            "input.organisations",
            format!("exactly one organisation must be LEAD, got {leads}"),
        ));
    }
    if o.len() > 20 {
        return Err(DomainError::bad_input(
            "input.organisations",
            "at most 20 organisations",
        ));
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_input() -> InitiativeInput {
        InitiativeInput {
            title: Some("  Buddy  programma  ".into()),
            kind: Some(InitiativeKind::EducationPractice),
            organisations: Some(vec![(OrganisationId(3), OrganisationRole::Lead)]),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_initiative_needs_title_kind_and_lead() {
        let f = InitiativeFields::create(new_input()).expect("valid");
        assert_eq!(f.title, "Buddy programma");
        assert_eq!(f.lead(), Some(OrganisationId(3)));
        for (field, input) in [
            (
                "input.title",
                InitiativeInput {
                    title: None,
                    ..new_input()
                },
            ),
            (
                "input.kind",
                InitiativeInput {
                    kind: None,
                    ..new_input()
                },
            ),
            (
                "input.organisations",
                InitiativeInput {
                    organisations: Some(vec![]),
                    ..new_input()
                },
            ),
        ] {
            let e = InitiativeFields::create(input).expect_err(field);
            assert_eq!(e.field.as_deref(), Some(field));
        }
    }

    #[test]
    fn exactly_one_lead_organisation() {
        let two = vec![
            (OrganisationId(1), OrganisationRole::Lead),
            (OrganisationId(2), OrganisationRole::Lead),
        ];
        let e = InitiativeFields::create(InitiativeInput {
            organisations: Some(two),
            ..new_input()
        })
        .expect_err("two");
        assert_eq!(e.field.as_deref(), Some("input.organisations"));
        let twice = vec![
            (OrganisationId(1), OrganisationRole::Lead),
            (OrganisationId(1), OrganisationRole::Partner),
        ];
        assert!(
            InitiativeFields::create(InitiativeInput {
                organisations: Some(twice),
                ..new_input()
            })
            .is_err()
        );
    }

    #[test]
    fn a_failed_patch_changes_nothing() {
        let mut f = InitiativeFields::create(new_input()).expect("valid");
        let before = f.clone();
        let bad = InitiativeInput {
            summary: Some("Nieuwe samenvatting".into()),
            website: Some("javascript:alert(1)".into()),
            ..Default::default()
        };
        let e = f.apply(bad).expect_err("bad url");
        assert_eq!(e.field.as_deref(), Some("input.website"));
        assert_eq!(f, before);
    }

    #[test]
    fn submitting_needs_summary_theme_topic_and_organisation() {
        let mut f = InitiativeFields::create(new_input()).expect("valid");
        assert_eq!(
            f.check_complete().expect_err("summary").field.as_deref(),
            Some("input.summary")
        );
        f.apply(InitiativeInput {
            summary: Some("Samenvatting".into()),
            ..Default::default()
        })
        .expect("ok");
        assert_eq!(
            f.check_complete().expect_err("themes").field.as_deref(),
            Some("input.themes")
        );
        f.apply(InitiativeInput {
            themes: Some(vec!["support".into()]),
            ..Default::default()
        })
        .expect("ok");
        assert_eq!(
            f.check_complete().expect_err("topics").field.as_deref(),
            Some("input.topics")
        );
        f.apply(InitiativeInput {
            topics: Some(vec!["resilience".into()]),
            ..Default::default()
        })
        .expect("ok");
        assert_eq!(f.check_complete(), Ok(()));
    }

    #[test]
    fn the_body_is_sanitised_and_empty_texts_clear() {
        let mut f = InitiativeFields::create(new_input()).expect("valid");
        f.apply(InitiativeInput {
            body: Some("<p onclick=\"x()\">Hallo</p><script>alert(1)</script>".into()),
            website: Some("https://lagewaard.example".into()),
            ..Default::default()
        })
        .expect("ok");
        assert_eq!(f.body.as_deref(), Some("<p>Hallo</p>"));
        f.apply(InitiativeInput {
            website: Some(" ".into()),
            ..Default::default()
        })
        .expect("ok");
        assert_eq!(f.website, None);
    }

    #[test]
    fn english_texts_are_cleaned_like_the_dutch_ones_and_an_empty_string_clears_them() {
        let mut f = InitiativeFields::create(InitiativeInput {
            title_en: Some("  Buddy   programme ".into()),
            summary_en: Some(" Students help students.\r\nWeekly. ".into()),
            ..new_input()
        })
        .expect("valid");
        assert_eq!(f.title_en.as_deref(), Some("Buddy programme"));
        assert_eq!(
            f.summary_en.as_deref(),
            Some("Students help students.\nWeekly.")
        );
        f.apply(InitiativeInput {
            title_en: Some("".into()),
            summary_en: Some(" \n ".into()),
            ..Default::default()
        })
        .expect("ok");
        assert_eq!((f.title_en, f.summary_en), (None, None));
    }

    #[test]
    fn a_too_long_english_title_or_summary_is_refused_on_its_own_field() {
        let mut f = InitiativeFields::create(new_input()).expect("valid");
        let before = f.clone();
        let e = f
            .apply(InitiativeInput {
                title_en: Some("x".repeat(validate::TITLE_MAX + 1)),
                summary_en: Some("Fine".into()),
                ..Default::default()
            })
            .expect_err("long title");
        assert_eq!(e.field.as_deref(), Some("input.titleEn"));
        assert_eq!(e.message, "title may be at most 200 characters, got 201");
        let e = f
            .apply(InitiativeInput {
                summary_en: Some("y".repeat(validate::SUMMARY_MAX + 1)),
                ..Default::default()
            })
            .expect_err("long summary");
        assert_eq!(e.field.as_deref(), Some("input.summaryEn"));
        let e = f
            .apply(InitiativeInput {
                title_en: Some("Tab\u{7}bell".into()),
                ..Default::default()
            })
            .expect_err("control character");
        assert_eq!(e.field.as_deref(), Some("input.titleEn"));
        assert_eq!(f, before);
    }
}
