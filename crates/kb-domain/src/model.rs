use chrono::{DateTime, Utc};

use crate::id::{EventId, InitiativeId, OrganisationId, ThemeId, TopicId};
use crate::lang::Localised;
use crate::vocab::*;

/// A shared piece of work on student wellbeing: a guide, study, tool, training, …
#[derive(Debug, Clone, PartialEq)]
pub struct Initiative {
    pub id: InitiativeId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The title in English, when given.
    pub title_en: Option<String>,
    /// The summary in English, when given.
    pub summary_en: Option<String>,
    pub body: Option<String>,
    pub kind: InitiativeKind,
    pub status: Status,
    pub format: Option<Format>,
    pub cost: Option<Cost>,
    pub prevention_level: Option<PreventionLevel>,
    pub evidence_level: Option<EvidenceLevel>,
    pub region: Option<Region>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    /// Whether the contact address is a person's (shown to signed-in people only).
    pub contact_personal: bool,
    pub is_demo: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// The multi-valued vocabulary fields of an initiative, loaded on demand.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InitiativeTerms {
    pub languages: Vec<String>,
    pub target_groups: Vec<TargetGroup>,
    pub education_levels: Vec<EducationLevel>,
}

/// One of the eight StepChange domains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub id: ThemeId,
    pub code: String,
    pub label: Localised,
    pub definition: Localised,
    pub position: i32,
}

/// A node of the topic tree (SKOS style: `broader` points to the parent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: TopicId,
    pub code: String,
    pub broader_id: Option<TopicId>,
    pub label: Localised,
    pub description: Localised,
    /// Synonyms and abbreviations, in either language.
    pub alt_labels: Vec<String>,
    pub position: i32,
}

/// `roots` and every topic below them in the tree given as `(topic, broader topic)`
/// pairs: what a filter on a topic means (a topic includes its narrower topics). Each
/// once, the roots first.
pub fn with_narrower<I: Copy + PartialEq>(tree: &[(I, Option<I>)], roots: Vec<I>) -> Vec<I> {
    let mut ids = roots;
    let mut frontier = ids.clone();
    while !frontier.is_empty() {
        let next: Vec<I> = tree
            .iter()
            .filter(|(id, broader)| {
                broader.is_some_and(|b| frontier.contains(&b)) && !ids.contains(id)
            })
            .map(|(id, _)| *id)
            .collect();
        ids.extend(&next);
        frontier = next;
    }
    ids
}

/// An institution or organisation behind initiatives and events.
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub slug: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub status: Status,
    pub region: Option<Region>,
    pub city: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub description: Localised,
    pub part_of_id: Option<OrganisationId>,
    pub is_demo: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A network meeting, masterclass, webinar, … where initiatives are shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub kind: EventKind,
    pub status: Status,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
    pub online: bool,
    pub region: Option<Region>,
    pub website: Option<String>,
    pub is_demo: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// A label of a flat vocabulary value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub vocabulary: String,
    pub code: String,
    pub label: Localised,
    pub position: i32,
}

#[cfg(test)]
mod topic_tree {
    use super::with_narrower;

    #[test]
    fn a_topic_includes_every_topic_below_it_once() {
        // 1 ─ 2 ─ 4, 1 ─ 3; 5 on its own.
        let tree = [
            (1, None),
            (2, Some(1)),
            (3, Some(1)),
            (4, Some(2)),
            (5, None),
        ];
        assert_eq!(with_narrower(&tree, vec![1]), vec![1, 2, 3, 4]);
        assert_eq!(with_narrower(&tree, vec![2, 5]), vec![2, 5, 4]);
        assert_eq!(with_narrower(&tree, vec![1, 2]), vec![1, 2, 3, 4]);
        assert!(with_narrower(&tree, Vec::new()).is_empty());
    }
}
