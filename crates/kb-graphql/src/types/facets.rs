use async_graphql::{OutputType, SimpleObject};
use kb_domain::Vocabulary;

use super::nodes::{Theme, Topic};
use super::vocab::*;

/// A facet value and the number of initiatives in the list that have it.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(concrete(name = "ThemeFacet", params(Theme)))]
#[graphql(concrete(name = "TopicFacet", params(Topic)))]
#[graphql(concrete(name = "InitiativeKindFacet", params(InitiativeKind)))]
#[graphql(concrete(name = "OrganisationKindFacet", params(OrganisationKind)))]
#[graphql(concrete(name = "TargetGroupFacet", params(TargetGroup)))]
#[graphql(concrete(name = "EducationLevelFacet", params(EducationLevel)))]
#[graphql(concrete(name = "RegionFacet", params(Region)))]
#[graphql(concrete(name = "EvidenceLevelFacet", params(EvidenceLevel)))]
#[graphql(concrete(name = "LanguageFacet", params(String)))]
#[graphql(concrete(name = "YearFacet", params(i32)))]
pub struct Facet<T: OutputType> {
    /// The value counted.
    pub value: T,
    /// How many initiatives of the list have it.
    pub count: i32,
}

/// Counts of a filtered list per value of each vocabulary, most frequent first. A
/// topic counts the initiatives filed under it or under its narrower topics; the counts
/// follow the same visibility as the list.
#[derive(SimpleObject, Debug, Clone)]
pub struct InitiativeFacets {
    /// Per theme.
    pub themes: Vec<Facet<Theme>>,
    /// Per topic (a topic counts its narrower topics too).
    pub topics: Vec<Facet<Topic>>,
    /// Per kind of initiative.
    pub kinds: Vec<Facet<InitiativeKind>>,
    /// Per kind of the organisations behind the initiatives.
    pub organisation_kinds: Vec<Facet<OrganisationKind>>,
    /// Per target group.
    pub target_groups: Vec<Facet<TargetGroup>>,
    /// Per level of education.
    pub education_levels: Vec<Facet<EducationLevel>>,
    /// Per region.
    pub regions: Vec<Facet<Region>>,
    /// Per level of evidence.
    pub evidence_levels: Vec<Facet<EvidenceLevel>>,
    /// ISO 639-1 language codes.
    pub languages: Vec<Facet<String>>,
    /// By start year, oldest first.
    pub years: Vec<Facet<i32>>,
}

fn typed<D: Vocabulary, G: From<D> + OutputType>(
    rows: Vec<kb_store::FacetCount<String>>,
) -> Vec<Facet<G>> {
    rows.into_iter()
        .filter_map(|f| {
            D::from_code(&f.value).map(|d| Facet {
                value: G::from(d),
                count: f.count as i32,
            })
        })
        .collect()
}

impl From<kb_store::InitiativeFacets> for InitiativeFacets {
    fn from(f: kb_store::InitiativeFacets) -> Self {
        InitiativeFacets {
            themes: f
                .themes
                .into_iter()
                .map(|c| Facet {
                    value: Theme(c.value),
                    count: c.count as i32,
                })
                .collect(),
            topics: f
                .topics
                .into_iter()
                .map(|c| Facet {
                    value: Topic(c.value),
                    count: c.count as i32,
                })
                .collect(),
            kinds: typed::<kb_domain::InitiativeKind, _>(f.kinds),
            organisation_kinds: typed::<kb_domain::OrganisationKind, _>(f.organisation_kinds),
            target_groups: typed::<kb_domain::TargetGroup, _>(f.target_groups),
            education_levels: typed::<kb_domain::EducationLevel, _>(f.education_levels),
            regions: typed::<kb_domain::Region, _>(f.regions),
            evidence_levels: typed::<kb_domain::EvidenceLevel, _>(f.evidence_levels),
            languages: f
                .languages
                .into_iter()
                .map(|c| Facet {
                    value: c.value,
                    count: c.count as i32,
                })
                .collect(),
            years: f
                .years
                .into_iter()
                .map(|c| Facet {
                    value: c.value,
                    count: c.count as i32,
                })
                .collect(),
        }
    }
}
