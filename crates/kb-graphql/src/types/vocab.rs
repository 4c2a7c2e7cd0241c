//! GraphQL enums mirroring the domain's vocabularies (`remote` keeps them in step: a
//! variant missing on either side fails to compile), and the `vocabularies` listing.

use async_graphql::{Context, Enum, Object, SimpleObject};
use kb_domain as domain;

use crate::context::request;

macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident => $remote:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

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
        /// Handreiking (Guide).
        Guide,
        /// Onderzoek (Research).
        Research,
        /// Tool.
        Tool,
        /// Training.
        Training,
        /// Onderwijspraktijk (Teaching practice).
        EducationPractice,
        /// Online supportgroep (Online support group).
        SupportGroup,
        /// Community.
        Community,
        /// Tips.
        Tips,
        /// Beleidsdocument (Policy document).
        PolicyDocument,
        /// Campagne (Campaign).
        Campaign,
    }
);
mirror!(
    /// What an organisation is.
    OrganisationKind => OrganisationKind {
        /// Universiteit (Research university).
        University,
        /// Hogeschool (University of applied sciences).
        UniversityOfAppliedSciences,
        /// Mbo-instelling (Vocational institution, MBO).
        MboInstitution,
        /// Welzijnsorganisatie (Wellbeing organisation).
        WellbeingOrganisation,
        /// Studentenorganisatie (Student organisation).
        StudentOrganisation,
        /// Zorgorganisatie (GGD, GGZ): Health service.
        HealthService,
        /// Kennisinstituut (Knowledge institute).
        KnowledgeInstitute,
        /// Overheid (Government).
        Government,
        /// Netwerk (Network).
        Network,
        /// Overig (Other).
        Other,
    }
);
mirror!(
    /// Who an initiative is for.
    TargetGroup => TargetGroup {
        /// Alle studenten (All students).
        Students,
        /// Eerstejaarsstudenten (First-year students).
        FirstYearStudents,
        /// Docenten (Lecturers).
        Lecturers,
        /// Studieloopbaanbegeleiders en studieadviseurs (Study advisers and mentors).
        StudyAdvisers,
        /// Studentpsychologen en decanen (Student psychologists and counsellors).
        StudentPsychologists,
        /// Beleidsmakers en bestuurders (Policy makers and boards).
        PolicyMakers,
        /// Studentenorganisaties (Student organisations).
        StudentOrganisations,
        /// Promovendi (PhD candidates).
        PhdCandidates,
    }
);
mirror!(
    /// The level of education an initiative serves.
    EducationLevel => EducationLevel {
        /// Mbo (Vocational, MBO).
        Mbo,
        /// Hbo associate degree (Associate degree).
        HboAssociate,
        /// Hbo-bachelor (Bachelor (applied sciences)).
        HboBachelor,
        /// Hbo-master (Master (applied sciences)).
        HboMaster,
        /// Wo-bachelor (Bachelor (research university)).
        WoBachelor,
        /// Wo-master (Master (research university)).
        WoMaster,
        /// Promotie (Doctorate).
        Phd,
    }
);
mirror!(
    /// How an initiative is delivered.
    Format => Format {
        /// Online.
        Online,
        /// Op locatie (On campus).
        OnCampus,
        /// Hybride (Hybrid).
        Hybrid,
    }
);
mirror!(
    /// What using an initiative costs.
    Cost => Cost {
        /// Gratis (Free).
        Free,
        /// Betaald (Paid).
        Paid,
        /// Licentie (Licence).
        Licence,
    }
);
mirror!(
    /// The prevention level, as in public-health intervention databases.
    PreventionLevel => PreventionLevel {
        /// Universeel (Universal).
        Universal,
        /// Selectief (Selective).
        Selective,
        /// Geïndiceerd (Indicated).
        Indicated,
        /// Zorg (Care).
        Care,
    }
);
mirror!(
    /// The Dutch recognition ladder of evidence.
    EvidenceLevel => EvidenceLevel {
        /// Niet beoordeeld (Not assessed).
        NotAssessed,
        /// Goed beschreven (Well described).
        WellDescribed,
        /// Goed onderbouwd (Well founded).
        WellFounded,
        /// Effectief - eerste aanwijzingen (Effective - first indications).
        FirstIndications,
        /// Effectief - goede aanwijzingen (Effective - good indications).
        GoodIndications,
        /// Effectief - sterke aanwijzingen (Effective - strong indications).
        StrongIndications,
    }
);
mirror!(
    /// What an event is.
    EventKind => EventKind {
        /// Netwerkbijeenkomst (Network meeting).
        NetworkMeeting,
        /// Masterclass.
        Masterclass,
        /// Webinar.
        Webinar,
        /// Congres (Conference).
        Conference,
        /// Training (Training session).
        TrainingSession,
        /// Communitybijeenkomst (Community meetup).
        CommunityMeetup,
    }
);
mirror!(
    /// A Dutch province, or national or international reach.
    Region => Region {
        /// Landelijk (National).
        National,
        /// Internationaal (International).
        International,
        /// Groningen.
        Groningen,
        /// Friesland.
        Friesland,
        /// Drenthe.
        Drenthe,
        /// Overijssel.
        Overijssel,
        /// Flevoland.
        Flevoland,
        /// Gelderland.
        Gelderland,
        /// Utrecht.
        Utrecht,
        /// Noord-Holland (North Holland).
        NoordHolland,
        /// Zuid-Holland (South Holland).
        ZuidHolland,
        /// Zeeland.
        Zeeland,
        /// Noord-Brabant (North Brabant).
        NoordBrabant,
        /// Limburg.
        Limburg,
    }
);
mirror!(
    /// Where an initiative, event or organisation stands in moderation. Only PUBLISHED
    /// items are visible to anonymous readers and partners.
    InitiativeStatus => Status {
        /// Being written; visible only to its organisations' contributors and to editors.
        Draft,
        /// Waiting for an editor's moderation.
        Submitted,
        /// Visible to everyone.
        Published,
        /// Turned down by an editor, with a reason; may be changed and submitted again.
        Rejected,
        /// Withdrawn from view: the knowledge bank's delete; editors can restore it.
        Archived,
    }
);
mirror!(
    /// The part an organisation plays in an initiative.
    OrganisationRole => OrganisationRole {
        /// The organisation in charge; its contributors may edit the initiative.
        Lead,
        /// An organisation taking part.
        Partner,
        /// An organisation paying for it.
        Funder,
    }
);
mirror!(
    /// A typed link between two initiatives.
    LinkType => LinkType {
        /// The one initiative builds on the other (extends or reuses it).
        BuildsOn,
        /// The one initiative was inspired by the other.
        InspiredBy,
        /// The two are related; the link has no direction of meaning.
        RelatedTo,
    }
);
mirror!(
    /// The role an API key is scoped to.
    Role => Role {
        /// Read-only access for partner tools: reads what the public reads, with its own limits.
        Partner,
        /// Staff of one organisation: drafts and submits that organisation's work and sees it
        /// unpublished.
        Contributor,
        /// The network's editors: see and moderate everything, curate the taxonomy.
        Editor,
        /// An editor who also manages API keys.
        Admin,
    }
);
mirror!(
    /// What a signed-in person may do.
    AccountRole => AccountRole {
        /// Staff of one organisation: drafts and submits its work.
        Contributor,
        /// The network's editors: moderate everything.
        Editor,
        /// Editors who also appoint editors and admins.
        Admin,
    }
);
mirror!(
    /// Where a person stands with their organisation.
    AccountStatus => AccountStatus {
        /// Signed in and acting in their role.
        Active,
        /// Waiting for an editor to grant or refuse membership; reads like the public.
        Pending,
        /// An editor refused the request; reads like the public.
        Refused,
        /// Erased at the person's request: a pseudonym that keeps the history readable,
        /// and no way to sign in.
        Erased,
    }
);
mirror!(
    /// The languages of labels and descriptions.
    Language => Language {
        /// Dutch (nl).
        Nl,
        /// English (en).
        En,
    }
);

/// Converts a list of domain values to their GraphQL mirror.
pub(crate) fn map<D: Copy, G: From<D>>(values: &[D]) -> Vec<G> {
    values.iter().copied().map(G::from).collect()
}

/// One value of a controlled vocabulary with its labels.
#[derive(Debug, Clone)]
pub struct VocabularyTerm(pub(crate) domain::Term);

/// One value of a controlled vocabulary with its labels.
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
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The language of the text; by default the request's (from `Accept-Language`, else Dutch)."
        )]
        lang: Option<Language>,
    ) -> String {
        self.0.label.get(lang_of(ctx, lang)).to_owned()
    }
}

/// Every flat controlled vocabulary with its labels, in the taxonomy's order.
#[derive(SimpleObject, Debug, Default)]
pub struct Vocabularies {
    /// The values of InitiativeKind.
    pub initiative_kinds: Vec<VocabularyTerm>,
    /// The values of OrganisationKind.
    pub organisation_kinds: Vec<VocabularyTerm>,
    /// The values of TargetGroup.
    pub target_groups: Vec<VocabularyTerm>,
    /// The values of EducationLevel.
    pub education_levels: Vec<VocabularyTerm>,
    /// The values of Format.
    pub formats: Vec<VocabularyTerm>,
    /// The values of Cost.
    pub costs: Vec<VocabularyTerm>,
    /// The values of PreventionLevel.
    pub prevention_levels: Vec<VocabularyTerm>,
    /// The values of EvidenceLevel.
    pub evidence_levels: Vec<VocabularyTerm>,
    /// The values of EventKind.
    pub event_kinds: Vec<VocabularyTerm>,
    /// The values of Region.
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

/// The language of a localised field: its `lang` argument, else the language pinned by
/// a saved view the field is under, else the request's.
pub(crate) fn lang_of(ctx: &Context<'_>, lang: Option<Language>) -> domain::Language {
    if let Some(l) = lang {
        return l.into();
    }
    let Ok(r) = request(ctx) else {
        return domain::Language::default();
    };
    pinned_under(ctx, r).unwrap_or(r.lang)
}

/// The language a view pinned for a field at or above this one's path, if any.
fn pinned_under(ctx: &Context<'_>, r: &crate::RequestContext) -> Option<domain::Language> {
    let pins = r.pinned.lock().ok()?;
    if pins.is_empty() {
        return None;
    }
    let path = ctx.path_node.map(|p| p.to_string_vec()).unwrap_or_default();
    pins.iter()
        .filter(|(at, _)| path.starts_with(at))
        .max_by_key(|(at, _)| at.len())
        .map(|(_, l)| *l)
}

/// Pins `lang` for every field under the current one (a saved view's), or under its
/// item `index` when the field is a list.
pub(crate) fn pin_language(ctx: &Context<'_>, lang: domain::Language, index: Option<usize>) {
    let Ok(r) = request(ctx) else { return };
    let mut path = ctx.path_node.map(|p| p.to_string_vec()).unwrap_or_default();
    path.extend(index.map(|i| i.to_string()));
    if let Ok(mut pins) = r.pinned.lock() {
        pins.push((path, lang));
    }
}
