//! The flat controlled vocabularies of the taxonomy as enums. Codes are the taxonomy's
//! lower_snake codes; the store keeps their Dutch and English labels.

/// A closed set of codes.
pub trait Vocabulary: Sized + Copy + 'static {
    /// The vocabulary's name as used in the taxonomy file and the store.
    const NAME: &'static str;
    /// Every value, in the taxonomy's order.
    const ALL: &'static [Self];
    /// The stable code of the value.
    fn code(self) -> &'static str;
    /// The value of a code, if it is one.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident = $vocab:literal { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl Vocabulary for $name {
            const NAME: &'static str = $vocab;
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }
    };
}

vocabulary!(
    /// What an initiative is.
    InitiativeKind = "initiative_kind" {
        Guide = "guide", Research = "research", Tool = "tool", Training = "training",
        EducationPractice = "education_practice", SupportGroup = "support_group",
        Community = "community", Tips = "tips", PolicyDocument = "policy_document",
        Campaign = "campaign",
    }
);

vocabulary!(
    /// What an organisation is.
    OrganisationKind = "organisation_kind" {
        University = "university", UniversityOfAppliedSciences = "university_of_applied_sciences",
        MboInstitution = "mbo_institution", WellbeingOrganisation = "wellbeing_organisation",
        StudentOrganisation = "student_organisation", HealthService = "health_service",
        KnowledgeInstitute = "knowledge_institute", Government = "government",
        Network = "network", Other = "other",
    }
);

vocabulary!(
    /// Who an initiative is for.
    TargetGroup = "target_group" {
        Students = "students", FirstYearStudents = "first_year_students", Lecturers = "lecturers",
        StudyAdvisers = "study_advisers", StudentPsychologists = "student_psychologists",
        PolicyMakers = "policy_makers", StudentOrganisations = "student_organisations",
        PhdCandidates = "phd_candidates",
    }
);

vocabulary!(
    /// The level of education an initiative serves.
    EducationLevel = "education_level" {
        Mbo = "mbo", HboAssociate = "hbo_associate", HboBachelor = "hbo_bachelor",
        HboMaster = "hbo_master", WoBachelor = "wo_bachelor", WoMaster = "wo_master", Phd = "phd",
    }
);

vocabulary!(
    /// How an initiative is delivered.
    Format = "format" { Online = "online", OnCampus = "on_campus", Hybrid = "hybrid" }
);

vocabulary!(
    /// What using an initiative costs.
    Cost = "cost" { Free = "free", Paid = "paid", Licence = "licence" }
);

vocabulary!(
    /// The prevention level, as in public-health intervention databases.
    PreventionLevel = "prevention_level" {
        Universal = "universal", Selective = "selective", Indicated = "indicated", Care = "care",
    }
);

vocabulary!(
    /// The Dutch recognition ladder of evidence.
    EvidenceLevel = "evidence_level" {
        NotAssessed = "not_assessed", WellDescribed = "well_described", WellFounded = "well_founded",
        FirstIndications = "first_indications", GoodIndications = "good_indications",
        StrongIndications = "strong_indications",
    }
);

vocabulary!(
    /// What an event is.
    EventKind = "event_kind" {
        NetworkMeeting = "network_meeting", Masterclass = "masterclass", Webinar = "webinar",
        Conference = "conference", TrainingSession = "training_session",
        CommunityMeetup = "community_meetup",
    }
);

vocabulary!(
    /// Where: a province, national or international.
    Region = "region" {
        National = "national", International = "international", Groningen = "groningen",
        Friesland = "friesland", Drenthe = "drenthe", Overijssel = "overijssel",
        Flevoland = "flevoland", Gelderland = "gelderland", Utrecht = "utrecht",
        NoordHolland = "noord_holland", ZuidHolland = "zuid_holland", Zeeland = "zeeland",
        NoordBrabant = "noord_brabant", Limburg = "limburg",
    }
);

vocabulary!(
    /// Where an initiative, event or organisation stands in moderation.
    Status = "status" {
        Draft = "draft", Submitted = "submitted", Published = "published",
        Rejected = "rejected", Archived = "archived",
    }
);

vocabulary!(
    /// The part an organisation plays in an initiative (the BY edge).
    OrganisationRole = "organisation_role" { Lead = "lead", Partner = "partner", Funder = "funder" }
);

vocabulary!(
    /// The typed links between initiatives.
    LinkType = "link_type" {
        BuildsOn = "builds_on", InspiredBy = "inspired_by", RelatedTo = "related_to",
    }
);

/// The flat vocabularies whose labels the store keeps: name and codes, in order.
pub fn labelled_vocabularies() -> Vec<(&'static str, Vec<&'static str>)> {
    fn of<V: Vocabulary>() -> (&'static str, Vec<&'static str>) {
        (V::NAME, V::ALL.iter().map(|v| v.code()).collect())
    }
    vec![
        of::<InitiativeKind>(),
        of::<OrganisationKind>(),
        of::<TargetGroup>(),
        of::<EducationLevel>(),
        of::<Format>(),
        of::<Cost>(),
        of::<PreventionLevel>(),
        of::<EvidenceLevel>(),
        of::<EventKind>(),
        of::<Region>(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for (_, codes) in labelled_vocabularies() {
            assert!(!codes.is_empty());
        }
        assert_eq!(
            InitiativeKind::from_code("education_practice"),
            Some(InitiativeKind::EducationPractice)
        );
        assert_eq!(
            Region::from_code("noord_holland"),
            Some(Region::NoordHolland)
        );
        assert_eq!(Region::from_code("Noord-Holland"), None);
        assert_eq!(Status::Published.code(), "published");
    }
}
