//! The inputs that say which items a list holds, and in which order.

use async_graphql::{Enum, ID, InputObject};
use chrono::{DateTime, Utc};
use kb_domain::{self as domain, DomainError, NodeId, OrganisationId};

use crate::types::vocab::*;

/// Which initiatives a list holds: AND across fields, OR within a list.
#[derive(InputObject, Debug, Default, Clone)]
pub struct InitiativeFilter {
    /// Theme codes.
    pub themes: Option<Vec<String>>,
    /// Topic codes; a topic includes its narrower topics.
    pub topics: Option<Vec<String>>,
    /// Topic codes that must all be held (each including its narrower topics): the
    /// initiatives two topics share.
    pub every_topic: Option<Vec<String>>,
    /// Kinds of initiative.
    pub kinds: Option<Vec<InitiativeKind>>,
    /// Organisation ids.
    pub organisations: Option<Vec<ID>>,
    /// Organisation ids that must all be behind an initiative: the initiatives they
    /// share.
    pub every_organisation: Option<Vec<ID>>,
    /// Kinds of the organisations behind them.
    pub organisation_kinds: Option<Vec<OrganisationKind>>,
    /// Target groups.
    pub target_groups: Option<Vec<TargetGroup>>,
    /// Levels of education.
    pub education_levels: Option<Vec<EducationLevel>>,
    /// Regions.
    pub regions: Option<Vec<Region>>,
    /// Levels of evidence.
    pub evidence_levels: Option<Vec<EvidenceLevel>>,
    /// ISO 639-1 codes (`nl`, `en`).
    pub languages: Option<Vec<String>>,
    /// Active in or after this year (not ended before it).
    pub year_from: Option<i32>,
    /// Started in or before this year.
    pub year_to: Option<i32>,
    /// Only honoured for viewers allowed to see them; others see PUBLISHED only.
    pub statuses: Option<Vec<InitiativeStatus>>,
}

pub(super) fn list<G: Copy + Into<D>, D>(v: &Option<Vec<G>>) -> Vec<D> {
    v.iter().flatten().map(|g| (*g).into()).collect()
}

impl InitiativeFilter {
    pub(crate) fn to_domain(&self) -> Result<domain::InitiativeFilter, DomainError> {
        let organisations = self
            .organisations
            .iter()
            .flatten()
            .map(|id| OrganisationId::decode("filter.organisations", id))
            .collect::<Result<Vec<_>, _>>()?;
        let every_organisation = self
            .every_organisation
            .iter()
            .flatten()
            .map(|id| OrganisationId::decode("filter.everyOrganisation", id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(domain::InitiativeFilter {
            themes: self.themes.clone().unwrap_or_default(),
            topics: self.topics.clone().unwrap_or_default(),
            every_topic: self.every_topic.clone().unwrap_or_default(),
            kinds: list(&self.kinds),
            organisations,
            every_organisation,
            organisation_kinds: list(&self.organisation_kinds),
            target_groups: list(&self.target_groups),
            education_levels: list(&self.education_levels),
            regions: list(&self.regions),
            evidence_levels: list(&self.evidence_levels),
            languages: self.languages.clone().unwrap_or_default(),
            year_from: self.year_from,
            year_to: self.year_to,
            statuses: list(&self.statuses),
        })
    }
}

/// The order of an initiative list.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
#[graphql(remote = "domain::InitiativeOrder")]
pub enum InitiativeOrder {
    /// Most recently published first.
    #[default]
    Newest,
    /// Alphabetical by title.
    Title,
    /// Most recently changed first.
    RecentlyUpdated,
    /// Longest unchanged first: for a queue of submissions, the one waiting longest first.
    LeastRecentlyUpdated,
}

/// Which organisations a list holds.
#[derive(InputObject, Debug, Default)]
pub struct OrganisationFilter {
    /// Kinds of organisation.
    pub kinds: Option<Vec<OrganisationKind>>,
    /// Regions.
    pub regions: Option<Vec<Region>>,
}

/// Which events a list holds.
#[derive(InputObject, Debug, Default)]
pub struct EventFilter {
    /// Kinds of event.
    pub kinds: Option<Vec<EventKind>>,
    /// Regions.
    pub regions: Option<Vec<Region>>,
    /// Theme codes.
    pub themes: Option<Vec<String>>,
    /// Only events ending at or after this moment; the list is then soonest first.
    pub from: Option<DateTime<Utc>>,
    /// Only events starting before this moment.
    pub to: Option<DateTime<Utc>>,
    /// Only events in these statuses; anonymous readers and partners see PUBLISHED ones
    /// only, whatever is asked.
    pub statuses: Option<Vec<InitiativeStatus>>,
    /// Global ids of organisations: only events one of them organises.
    pub organisations: Option<Vec<ID>>,
}
