//! GraphQL enums mirroring the domain's vocabularies (`remote` keeps them in step: a
//! variant missing on either side fails to compile), and the `vocabularies` listing.

use async_graphql::{Context, Enum, Object, SimpleObject};
use kb_domain as domain;

use crate::context::request;

macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident => $remote:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        // Exhaustive both ways: a value added on one side only fails to compile.
        impl From<domain::$remote> for $name {
            fn from(v: domain::$remote) -> Self {
                match v { $(domain::$remote::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for domain::$remote {
            fn from(v: $name) -> Self {
                match v { $($name::$variant => domain::$remote::$variant),+ }
            }
        }
    };
}

mirror!(
    /// What an initiative is.
    InitiativeKind => InitiativeKind {
        Guide, Research, Tool, Training, EducationPractice, SupportGroup, Community, Tips, PolicyDocument, Campaign
    }
);
mirror!(
    /// What an organisation is.
    OrganisationKind => OrganisationKind {
        University, UniversityOfAppliedSciences, MboInstitution, WellbeingOrganisation, StudentOrganisation,
        HealthService, KnowledgeInstitute, Government, Network, Other
    }
);
mirror!(
    /// Who an initiative is for.
    TargetGroup => TargetGroup {
        Students, FirstYearStudents, Lecturers, StudyAdvisers, StudentPsychologists, PolicyMakers,
        StudentOrganisations, PhdCandidates
    }
);
mirror!(
    /// The level of education an initiative serves.
    EducationLevel => EducationLevel { Mbo, HboAssociate, HboBachelor, HboMaster, WoBachelor, WoMaster, Phd }
);
mirror!(
    /// How an initiative is delivered.
    Format => Format { Online, OnCampus, Hybrid }
);
mirror!(
    /// What using an initiative costs.
    Cost => Cost { Free, Paid, Licence }
);
mirror!(
    /// The prevention level, as in public-health intervention databases.
    PreventionLevel => PreventionLevel { Universal, Selective, Indicated, Care }
);
mirror!(
    /// The Dutch recognition ladder of evidence.
    EvidenceLevel => EvidenceLevel {
        NotAssessed, WellDescribed, WellFounded, FirstIndications, GoodIndications, StrongIndications
    }
);
mirror!(
    /// What an event is.
    EventKind => EventKind {
        NetworkMeeting, Masterclass, Webinar, Conference, TrainingSession, CommunityMeetup
    }
);
mirror!(
    /// A Dutch province, or national or international reach.
    Region => Region {
        National, International, Groningen, Friesland, Drenthe, Overijssel, Flevoland, Gelderland, Utrecht,
        NoordHolland, ZuidHolland, Zeeland, NoordBrabant, Limburg
    }
);
mirror!(
    /// Where an initiative, event or organisation stands in moderation. Only PUBLISHED
    /// items are visible to anonymous readers and partners.
    InitiativeStatus => Status { Draft, Submitted, Published, Rejected, Archived }
);
mirror!(
    /// The part an organisation plays in an initiative.
    OrganisationRole => OrganisationRole { Lead, Partner, Funder }
);
mirror!(
    /// A typed link between two initiatives.
    LinkType => LinkType { BuildsOn, InspiredBy, RelatedTo }
);
mirror!(
    /// The role an API key is scoped to.
    Role => Role { Partner, Contributor, Editor, Admin }
);
mirror!(
    /// The languages of labels and descriptions.
    Language => Language { Nl, En }
);

/// Converts a list of domain values to their GraphQL mirror.
pub(crate) fn map<D: Copy, G: From<D>>(values: &[D]) -> Vec<G> {
    values.iter().copied().map(G::from).collect()
}

/// One value of a controlled vocabulary with its labels.
#[derive(Debug, Clone)]
pub struct VocabularyTerm(pub(crate) domain::Term);

#[Object]
impl VocabularyTerm {
    /// The taxonomy code (lower_snake_case); the enum value is its upper-case form.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The enum value in this API (SCREAMING_SNAKE_CASE).
    async fn value(&self) -> String {
        self.0.code.to_ascii_uppercase()
    }
    /// The label in `lang` (default: the request's language).
    async fn label(&self, ctx: &Context<'_>, lang: Option<Language>) -> String {
        self.0.label.get(lang_of(ctx, lang)).to_owned()
    }
}

/// Every flat controlled vocabulary with its labels, in the taxonomy's order.
#[derive(SimpleObject, Debug, Default)]
pub struct Vocabularies {
    pub initiative_kinds: Vec<VocabularyTerm>,
    pub organisation_kinds: Vec<VocabularyTerm>,
    pub target_groups: Vec<VocabularyTerm>,
    pub education_levels: Vec<VocabularyTerm>,
    pub formats: Vec<VocabularyTerm>,
    pub costs: Vec<VocabularyTerm>,
    pub prevention_levels: Vec<VocabularyTerm>,
    pub evidence_levels: Vec<VocabularyTerm>,
    pub event_kinds: Vec<VocabularyTerm>,
    pub regions: Vec<VocabularyTerm>,
}

impl Vocabularies {
    pub(crate) fn from_terms(terms: Vec<domain::Term>) -> Self {
        use domain::Vocabulary;
        let mut v = Vocabularies::default();
        for t in terms {
            let list = match t.vocabulary.as_str() {
                domain::InitiativeKind::NAME => &mut v.initiative_kinds,
                domain::OrganisationKind::NAME => &mut v.organisation_kinds,
                domain::TargetGroup::NAME => &mut v.target_groups,
                domain::EducationLevel::NAME => &mut v.education_levels,
                domain::Format::NAME => &mut v.formats,
                domain::Cost::NAME => &mut v.costs,
                domain::PreventionLevel::NAME => &mut v.prevention_levels,
                domain::EvidenceLevel::NAME => &mut v.evidence_levels,
                domain::EventKind::NAME => &mut v.event_kinds,
                domain::Region::NAME => &mut v.regions,
                _ => continue,
            };
            list.push(VocabularyTerm(t));
        }
        v
    }
}

/// The language of a localised field: its `lang` argument, else the request's.
pub(crate) fn lang_of(ctx: &Context<'_>, lang: Option<Language>) -> domain::Language {
    match lang {
        Some(l) => l.into(),
        None => request(ctx).map(|r| r.lang).unwrap_or_default(),
    }
}
