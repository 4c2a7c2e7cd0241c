//! The labels of the controlled vocabularies in the visitor's language, read from the
//! API's `vocabularies` alongside a page's data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kb_domain::Language;
use serde::Deserialize;
use serde_json::json;

use crate::Site;
use crate::client::Failure;

/// The selection of [`Vocabularies`].
const SELECTION: &str = "vocabularies { initiativeKinds { value label } \
     targetGroups { value label } educationLevels { value label } regions { value label } \
     evidenceLevels { value label } formats { value label } costs { value label } \
     preventionLevels { value label } organisationKinds { value label } \
     eventKinds { value label } }";

/// The answer to [`SELECTION`].
#[derive(Debug, Deserialize)]
struct Answer {
    vocabularies: Vocabularies,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vocabularies {
    initiative_kinds: Vec<Term>,
    target_groups: Vec<Term>,
    education_levels: Vec<Term>,
    regions: Vec<Term>,
    evidence_levels: Vec<Term>,
    formats: Vec<Term>,
    costs: Vec<Term>,
    prevention_levels: Vec<Term>,
    organisation_kinds: Vec<Term>,
    event_kinds: Vec<Term>,
}

/// A value of a vocabulary (`EDUCATION_PRACTICE`) and its label.
#[derive(Debug, Deserialize)]
struct Term {
    value: String,
    label: String,
}

/// Which vocabulary a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Vocabulary {
    InitiativeKind,
    TargetGroup,
    EducationLevel,
    Region,
    EvidenceLevel,
    Format,
    Cost,
    PreventionLevel,
    OrganisationKind,
    EventKind,
}

impl Vocabulary {
    /// Its terms in the answer.
    fn terms(self, v: &Vocabularies) -> &[Term] {
        match self {
            Vocabulary::InitiativeKind => &v.initiative_kinds,
            Vocabulary::TargetGroup => &v.target_groups,
            Vocabulary::EducationLevel => &v.education_levels,
            Vocabulary::Region => &v.regions,
            Vocabulary::EvidenceLevel => &v.evidence_levels,
            Vocabulary::Format => &v.formats,
            Vocabulary::Cost => &v.costs,
            Vocabulary::PreventionLevel => &v.prevention_levels,
            Vocabulary::OrganisationKind => &v.organisation_kinds,
            Vocabulary::EventKind => &v.event_kinds,
        }
    }

    const ALL: [Vocabulary; 10] = [
        Vocabulary::InitiativeKind,
        Vocabulary::TargetGroup,
        Vocabulary::EducationLevel,
        Vocabulary::Region,
        Vocabulary::EvidenceLevel,
        Vocabulary::Format,
        Vocabulary::Cost,
        Vocabulary::PreventionLevel,
        Vocabulary::OrganisationKind,
        Vocabulary::EventKind,
    ];
}

/// Value → label per vocabulary.
#[derive(Debug, Default)]
pub(crate) struct Vocab {
    labels: HashMap<(Vocabulary, String), String>,
    /// Each vocabulary's values and labels in its own order.
    ordered: HashMap<Vocabulary, Vec<(String, String)>>,
}

impl Vocab {
    fn from(vocabularies: &Vocabularies) -> Self {
        let mut labels = HashMap::new();
        let mut ordered = HashMap::new();
        for kind in Vocabulary::ALL {
            for term in kind.terms(vocabularies) {
                labels.insert((kind, term.value.clone()), term.label.clone());
            }
            ordered.insert(
                kind,
                kind.terms(vocabularies)
                    .iter()
                    .map(|t| (t.value.clone(), t.label.clone()))
                    .collect(),
            );
        }
        Vocab { labels, ordered }
    }

    /// The values (enum values such as `EDUCATION_PRACTICE`) and labels of `kind`, in
    /// the vocabulary's order.
    pub(crate) fn terms(&self, kind: Vocabulary) -> &[(String, String)] {
        self.ordered.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// The label of `value` (an enum value such as `EDUCATION_PRACTICE`); the value
    /// itself when the vocabulary does not hold it.
    pub(crate) fn label<'a>(&'a self, kind: Vocabulary, value: &'a str) -> &'a str {
        self.labels
            .get(&(kind, value.to_owned()))
            .map_or(value, String::as_str)
    }
}

/// The name of a language by its ISO 639-1 code, in the page's language.
pub(crate) fn language_name(code: &str, en: bool) -> String {
    let name = match (code, en) {
        ("nl", false) => "Nederlands",
        ("nl", true) => "Dutch",
        ("en", false) => "Engels",
        ("en", true) => "English",
        ("de", false) => "Duits",
        ("de", true) => "German",
        ("fr", false) => "Frans",
        ("fr", true) => "French",
        ("fy", false) => "Fries",
        ("fy", true) => "Frisian",
        _ => return code.to_owned(),
    };
    name.to_owned()
}

/// How long labels read from the API are kept. The vocabularies are the taxonomy's
/// controlled lists, which the API offers no way to change while the server runs; the
/// minute only bounds what a restore of another taxonomy into a running database could
/// leave stale. Asking for them with every page was one SQL statement per page.
const KEEP: Duration = Duration::from_secs(60);

/// Labels as read, and when.
type Reading = Option<(Instant, Arc<Vocab>)>;

/// The labels of each language (Dutch, English), as last read.
#[derive(Debug, Default)]
pub(crate) struct Kept {
    entries: Mutex<[Reading; 2]>,
}

fn slot(lang: Language) -> usize {
    match lang {
        Language::Nl => 0,
        Language::En => 1,
    }
}

impl Site {
    /// The vocabularies' labels in `lang`, read through the API at most once a minute.
    pub(crate) async fn vocab(&self, lang: Language) -> Result<Arc<Vocab>, Failure> {
        let kept = self
            .vocab
            .entries
            .lock()
            .ok()
            .and_then(|e| e[slot(lang)].clone())
            .filter(|(at, _)| at.elapsed() < KEEP);
        if let Some((_, v)) = kept {
            return Ok(v);
        }
        let data: Answer = self
            .query(
                lang,
                &format!("query Vocabularies {{ {SELECTION} }}"),
                json!({}),
            )
            .await?;
        let v = Arc::new(Vocab::from(&data.vocabularies));
        if let Ok(mut e) = self.vocab.entries.lock() {
            e[slot(lang)] = Some((Instant::now(), v.clone()));
        }
        Ok(v)
    }
}
